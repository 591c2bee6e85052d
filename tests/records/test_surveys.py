"""Survey responses as records and as tables: what every instrument's answers obey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from aftersales_crm import synthetic
from aftersales_crm.errors import IntegrityError, TableValidationError
from aftersales_crm.records import Answer, Book, ImportancePoints, SurveyAnswered
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
