"""Survey responses, customers' and staff's, as records and as tables: what every instrument's answers obey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from aftersales_crm import synthetic
from aftersales_crm.errors import IntegrityError, TableValidationError
from aftersales_crm.records import (
    Answer,
    Book,
    ImportancePoints,
    StaffAnswer,
    StaffRole,
    StaffSurveyAnswered,
    SurveyAnswered,
)
from aftersales_crm.tables import Tables

AT = datetime(2026, 3, 9, 10, tzinfo=UTC)


def survey(**overrides: Any) -> SurveyAnswered:
    fields: dict[str, Any] = {
        "id": "S1",
        "instrument": "servqual",
        "version": "1991",
        "customer_id": "C1",
        "dealer_id": "D1",
        "at": AT,
        "answers": [Answer(item="sq01", perception=6, expectation=7)],
    }
    return SurveyAnswered(**(fields | overrides))


def test_a_response_holds_answers_importance_points_and_a_recommend_score() -> None:
    response = survey(
        importance=[
            ImportancePoints(factor="tangibles", points=40),
            ImportancePoints(factor="empathy", points=60),
        ],
        recommend=9,
    )
    assert [(p.factor, p.points) for p in response.importance] == [
        ("tangibles", 40),
        ("empathy", 60),
    ]
    assert SurveyAnswered.model_validate_json(response.model_dump_json()) == response


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        # The same item answered twice: named with the response.
        (
            {"answers": [Answer(item="sq01", perception=6), Answer(item="sq01", perception=5)]},
            "survey response S1 answers item sq01 2 times; one answer per item",
        ),
        # Importance points must make 100.
        (
            {"importance": [ImportancePoints(factor="tangibles", points=40)]},
            "the importance points sum to 40, not 100",
        ),
        # A factor given points twice.
        (
            {
                "importance": [
                    ImportancePoints(factor="empathy", points=50),
                    ImportancePoints(factor="empathy", points=50),
                ]
            },
            "gives importance points to factor empathy 2 times",
        ),
        ({"recommend": 11}, "less than or equal to 10"),  # the recommend scale is 0–10
        ({"recommend": True}, "valid integer"),  # never a boolean for a number
    ],
)
def test_a_response_breaking_a_rule_is_refused_with_its_reason(
    overrides: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        survey(**overrides)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"item": "sq01"}, "neither a perception nor an expectation"),
        ({"item": "sq01", "perception": 101}, "less than or equal to 100"),
        ({"item": "sq01", "perception": -1}, "greater than or equal to 0"),
        ({"item": "sq 01", "perception": 1}, "pattern"),
    ],
)
def test_an_answer_needs_a_rating_within_what_any_scale_may_hold(
    fields: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        Answer(**fields)


def test_a_missing_answer_is_simply_an_item_left_out() -> None:
    assert survey(answers=[]).answers == ()


def _network() -> Book:
    return synthetic.book(8, seed=3)


def test_a_survey_about_an_order_must_be_of_its_dealer_and_after_it_was_opened() -> None:
    book = _network()
    order = next(iter(book.repair_orders.values()))
    other_dealer = next(d for d in book.dealers if d != order.dealer_id)
    base = {"customer_id": order.customer_id, "repair_order_id": order.id, "id": "S-new"}
    with pytest.raises(IntegrityError, match=f"repair order '{order.id}' is of dealer"):
        book.add(survey(**base, dealer_id=other_dealer, at=order.opened_at))
    with pytest.raises(IntegrityError, match="before repair order"):
        book.add(survey(**base, dealer_id=order.dealer_id, at=order.opened_at - timedelta(hours=1)))
    assert (
        "S-new" in book.add(survey(**base, dealer_id=order.dealer_id, at=order.opened_at)).surveys
    )


def test_the_synthetic_network_answers_surveys_that_survive_the_tables() -> None:
    book = _network()
    assert book.surveys
    tables = Tables.from_book(book)
    assert len(tables.surveys) == len(book.surveys)
    assert len(tables.survey_answers) == sum(len(s.answers) for s in book.surveys.values())
    assert Book.from_records(tables.to_records()).surveys == book.surveys


def _arrays(**answers: list[Any]) -> dict[str, Any]:
    arrays: dict[str, Any] = Tables.from_book(_network()).to_arrays()
    first = str(arrays["surveys"]["id"][0])
    arrays["survey_answers"] = {"survey_id": [first] * len(answers["item"]), **answers}
    return arrays


def test_tables_name_every_duplicate_answer_and_answer_without_a_rating() -> None:
    arrays = _arrays(item=["a", "b", "a"], perception=[1, None, 3], expectation=[None, None, 4])
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(**arrays)
    found = {(p.table, p.row, p.code) for p in info.value.problems}
    assert found == {
        ("survey_answers", 1, "missing_value"),  # neither rating
        ("survey_answers", 2, "duplicate_answer"),  # item a again
    }


def test_tables_name_importance_points_that_do_not_make_100() -> None:
    arrays: dict[str, Any] = Tables.from_book(_network()).to_arrays()
    first, second = (str(x) for x in arrays["surveys"]["id"][:2])
    arrays["survey_importance"] = {
        "survey_id": [first, first, second, second],
        "factor": ["f", "g", "f", "f"],
        "points": [30, 70, 50, 40],
    }
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(**arrays)
    found = sorted((p.row, p.code) for p in info.value.problems)
    assert found == [(2, "importance_sum"), (3, "duplicate_importance"), (3, "importance_sum")]


# -- staff answers: what staff believe customers expect (gap 1) ------------------------------


def staff_survey(**overrides: Any) -> StaffSurveyAnswered:
    fields: dict[str, Any] = {
        "id": "SS1",
        "instrument": "servqual",
        "version": "1991",
        "dealer_id": "D1",
        "staff": "SM01",
        "role": "manager",
        "at": AT,
        "answers": [StaffAnswer(item="sq01", expectation=6)],
    }
    return StaffSurveyAnswered(**(fields | overrides))


def test_a_staff_response_holds_believed_expectations_and_round_trips() -> None:
    response = staff_survey(
        answers=[StaffAnswer(item="sq01", expectation=6), {"item": "sq02", "expectation": 5}]
    )
    assert response.role is StaffRole.MANAGER
    assert [(a.item, a.expectation) for a in response.answers] == [("sq01", 6), ("sq02", 5)]
    assert StaffSurveyAnswered.model_validate_json(response.model_dump_json()) == response


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        (
            {"answers": [StaffAnswer(item="sq01", expectation=6)] * 2},
            "staff survey response SS1 answers item sq01 2 times; one answer per item",
        ),
        ({"answers": []}, "at least 1 item"),  # a response says something
        ({"role": "owner"}, "'manager', 'advisor' or 'other'"),
        # Gap 1 is about beliefs of expectations: a perception has no place, named by the rule.
        (
            {"answers": [{"item": "sq01", "perception": 5, "expectation": 6}]},
            "holds a perception .5.; a staff answer holds only the expectation staff believe",
        ),
        (
            {"answers": [Answer(item="sq01", perception=5)]},
            "the staff answer to item sq01 holds a perception",
        ),
        ({"answers": [{"item": "sq01"}]}, "expectation\n  Field required"),
        ({"answers": [{"item": "sq01", "expectation": 101}]}, "less than or equal to 100"),
    ],
)
def test_a_staff_response_breaking_a_rule_is_refused_with_its_reason(
    overrides: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        staff_survey(**overrides)


def test_an_answer_with_only_an_expectation_is_taken_as_a_staff_answer() -> None:
    response = staff_survey(answers=[Answer(item="sq03", expectation=7)])
    assert response.answers == (StaffAnswer(item="sq03", expectation=7),)


def test_the_synthetic_staff_answer_servqual_and_survive_the_tables() -> None:
    book = _network()
    staff = list(book.staff_surveys.values())
    per_dealer = {d: [s.role for s in staff if s.dealer_id == d] for d in book.dealers}
    # Each dealer's manager and one or two advisors.
    assert all(roles.count(StaffRole.MANAGER) == 1 for roles in per_dealer.values())
    assert all(1 <= roles.count(StaffRole.ADVISOR) <= 2 for roles in per_dealer.values())
    assert {(s.instrument, s.version, len(s.answers)) for s in staff} == {("servqual", "1991", 22)}
    assert all(1 <= a.expectation <= 7 for s in staff for a in s.answers)
    tables = Tables.from_book(book)
    assert len(tables.staff_surveys) == len(staff)
    assert len(tables.staff_survey_answers) == 22 * len(staff)
    assert Book.from_records(tables.to_records()).staff_surveys == book.staff_surveys


def test_a_staff_response_must_be_of_a_known_dealer() -> None:
    with pytest.raises(IntegrityError, match="D9"):
        _network().add(staff_survey(dealer_id="D9"))


def _staff_arrays(**answers: list[Any]) -> dict[str, Any]:
    arrays: dict[str, Any] = Tables.from_book(_network()).to_arrays()
    first = str(arrays["staff_surveys"]["id"][0])
    arrays["staff_survey_answers"] = {"staff_survey_id": [first] * len(answers["item"]), **answers}
    return arrays


def test_tables_name_every_duplicate_staff_answer_and_staff_response_without_answers() -> None:
    arrays = _staff_arrays(item=["a", "b", "a"], expectation=[1, 2, 3])
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(**arrays)
    found = {(p.table, p.row, p.code) for p in info.value.problems}
    n_staff = len(arrays["staff_surveys"]["id"])
    assert ("staff_survey_answers", 2, "duplicate_answer") in found  # item a again
    # Every other staff response lost its answers: each is named.
    assert {row for table, row, _ in found if table == "staff_surveys"} == set(range(1, n_staff))


def test_tables_refuse_a_perception_column_among_staff_answers() -> None:
    arrays = _staff_arrays(item=["a"], expectation=[1], perception=[2])
    with pytest.raises(
        TableValidationError, match="staff_survey_answers has no column 'perception'"
    ):
        Tables.from_arrays(**arrays)
