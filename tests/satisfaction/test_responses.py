"""Responses in columns, and the instrument check that names the response, item, value and scale."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import synthetic
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import Book
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    ELEVEN_POINT,
    NPS_SURVEY,
    SERVQUAL,
    SERVQUAL_1988,
    TEN_POINT,
    Asks,
    Factor,
    Instrument,
    Item,
    Responses,
)
from aftersales_crm.tables import Tables

from .build import many, response, responses


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        # An item the instrument does not have.
        ({"sq99": (1, 1)}, "survey response S1, item sq99 is not an item of the instrument"),
        # A perception outside the item's 1–7 scale.
        (
            {"sq01": (8, 7)},
            "survey response S1, item sq01: perception 8 is outside the item's scale 1–7",
        ),
        # An expectation outside it.
        (
            {"sq02": (7, 0)},
            "survey response S1, item sq02: expectation 0 is outside the item's scale 1–7",
        ),
    ],
)
def test_an_answer_that_breaks_the_instrument_is_named(
    answers: dict[str, tuple[int, int]], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message) as info:
        responses(response(SERVQUAL, answers)).ratings(SERVQUAL)
    assert info.value.code == "survey_answer"


def test_an_expectation_for_an_item_that_asks_only_a_perception_is_refused() -> None:
    given = responses(response(CSI_CHINA_2015, {"sa_courtesy": (9, 8)}))
    with pytest.raises(InvalidValue, match="item sa_courtesy asks for no expectation, got 8"):
        given.ratings(CSI_CHINA_2015)


def test_many_bad_answers_are_counted_after_the_first_three() -> None:
    rows = [{"answers": {"sq01": (9, 1)}} for _ in range(5)]
    with pytest.raises(InvalidValue, match=r"^5 answers break .* \(and 2 more\)$"):
        many(SERVQUAL, rows).ratings(SERVQUAL)


def test_a_second_answer_to_an_item_is_refused_even_in_hand_built_columns() -> None:
    one = responses(response(NPS_SURVEY, {"recommend": 9}))
    doubled = Responses(
        **_fields(one)
        | {
            "answer_of": np.array([0, 0]),
            "item": np.array([0, 0]),
            "perception": np.array([9.0, 3.0]),
            "expectation": np.array([np.nan, np.nan]),
        }
    )
    with pytest.raises(InvalidValue, match="item recommend is answered twice"):
        doubled.ratings(NPS_SURVEY)


def test_responses_to_another_instrument_are_refused_with_the_way_to_select() -> None:
    given = responses(
        response(NPS_SURVEY, {"recommend": 9}, id="S1"), response(SERVQUAL, {}, id="S2")
    )
    with pytest.raises(
        InvalidValue, match=r"survey response S1 answers nps@1.*Responses.of\('servqual'\)"
    ):
        given.ratings(SERVQUAL)
    assert given.of("servqual").ids.tolist() == ["S2"]
    assert given.of(NPS_SURVEY).ids.tolist() == ["S1"]
    assert given.of("servqual@1988").ids.tolist() == []


def test_importance_points_to_an_unknown_factor_are_refused() -> None:
    given = responses(response(SERVQUAL, {}, importance={"tangibles": 50, "price": 50}))
    with pytest.raises(
        InvalidValue, match="factor price, which instrument servqual@1991 does not have"
    ):
        given.ratings(SERVQUAL)


def test_importance_points_are_normalised_per_respondent() -> None:
    given = responses(response(SERVQUAL, {}, importance={"tangibles": 25, "empathy": 75}))
    assert given.ratings(SERVQUAL).importance.tolist() == [[0.25, 0.0, 0.0, 0.0, 0.75]]


def test_the_columns_of_the_tables_are_the_columns_of_the_records() -> None:
    book = synthetic.book(20, seed=4)
    from_tables = Responses.from_tables(Tables.from_book(book))
    from_records = Responses.from_records(book.surveys.values())
    assert from_tables.ids.tolist() == from_records.ids.tolist()
    for name in ("customer", "order", "recommend", "at"):
        got, expected = getattr(from_tables, name), getattr(from_records, name)
        if name == "recommend":  # NaN where a response has none (SERVQUAL asks for none)
            assert np.array_equal(got, expected, equal_nan=True), name
        else:
            assert got.tolist() == expected.tolist(), name
    for instrument in (CSI_CHINA_2015, SERVQUAL):
        tables_ratings = from_tables.of(instrument).ratings(instrument)
        records_ratings = from_records.of(instrument).ratings(instrument)
        for what in ("perception", "expectation", "importance"):
            np.testing.assert_array_equal(
                getattr(tables_ratings, what), getattr(records_ratings, what), err_msg=what
            )
    assert Book.from_records(Tables.from_book(book).to_records()).surveys == book.surveys


@pytest.mark.parametrize("roles", [None, ["advisor"], ["manager", "other"]])
def test_staff_responses_read_the_same_from_the_tables_and_the_records(
    roles: list[str] | None,
) -> None:
    book = synthetic.book(20, seed=4)
    from_tables = Responses.from_staff_tables(Tables.from_book(book), roles=roles)
    from_records = Responses.from_staff_records(book.staff_surveys.values(), roles=roles)
    assert from_tables.noun == from_records.noun == "staff survey response"
    wanted = [s.id for s in book.staff_surveys.values() if roles is None or s.role in roles]
    assert from_tables.ids.tolist() == from_records.ids.tolist() == wanted
    for name in ("customer", "order", "at"):
        assert getattr(from_tables, name).tolist() == getattr(from_records, name).tolist(), name
    assert [from_tables.advisors[a] for a in from_tables.advisor] == [
        book.staff_surveys[i].staff for i in wanted
    ]
    tables_beliefs = from_tables.ratings(SERVQUAL)
    np.testing.assert_array_equal(
        tables_beliefs.expectation, from_records.ratings(SERVQUAL).expectation
    )
    assert np.isnan(tables_beliefs.perception).all()
    assert len(from_tables.points) == 0


def test_staff_roles_must_be_staff_roles() -> None:
    with pytest.raises(InvalidValue, match="roles names 'owner', not a staff role"):
        Responses.from_staff_records([], roles=["owner"])
    with pytest.raises(InvalidType, match="expected StaffSurveyAnswered records"):
        Responses.from_staff_records([response(SERVQUAL, {"sq01": (1, 1)})])  # type: ignore[list-item]
    with pytest.raises(InvalidType, match="tables: expected Tables"):
        Responses.from_staff_tables("tables")  # type: ignore[arg-type]


def test_take_carries_each_responses_answers_and_repeats_them_for_repeated_rows() -> None:
    given = many(NPS_SURVEY, [{"answers": {"recommend": r}} for r in (1, 2, 3)])
    taken = given.take(np.array([2, 2, 0]))
    assert taken.ids.tolist() == ["S2", "S2", "S0"]
    assert taken.answer_of.tolist() == [0, 1, 2]
    assert taken.perception.tolist() == [3.0, 3.0, 1.0]
    assert given.take(np.array([], dtype=np.intp)).perception.tolist() == []
    with pytest.raises(InvalidValue, match="not a row"):
        given.take(np.array([3]))


def test_without_answers_strips_only_the_rows_given() -> None:
    given = many(NPS_SURVEY, [{"answers": {"recommend": r}, "recommend": r} for r in (1, 2)])
    stripped = given.without_answers(np.array([1]))
    assert stripped.answer_of.tolist() == [0]
    assert stripped.recommend.tolist()[0] == 1.0
    assert np.isnan(stripped.recommend[1])


def test_hand_built_columns_are_checked() -> None:
    good = responses(response(NPS_SURVEY, {"recommend": 9}))
    with pytest.raises(InvalidType, match="Responses: recommend is None"):
        Responses(**{**_fields(good), "recommend": None})
    with pytest.raises(InvalidValue, match=r"item holds codes outside 0\.\.0"):
        Responses(**{**_fields(good), "item": np.array([4])})
    with pytest.raises(InvalidValue, match="dealer has 2 rows for 1 responses"):
        Responses(**{**_fields(good), "dealer": np.array([0, 0])})


def _fields(given: Responses) -> dict[str, Any]:
    return {f.name: getattr(given, f.name) for f in attrs.fields(Responses)}


_MIXED = Instrument(
    "mixed",
    "1",
    (
        Factor(
            "f",
            "甲",
            "f",
            (
                Item("ten", "十", "ten", TEN_POINT),
                Item("eleven", "十一", "eleven", ELEVEN_POINT, asks=Asks.BOTH, reverse=True),
            ),
        ),
    ),
)
"""Items on two scales, one asking for an expectation: the quick check cannot vouch for it."""

_RATINGS = st.sampled_from([np.nan, np.nan, 0.0, 1.0, 4.0, 7.0, 10.0, 11.0, 2.5, np.inf, -np.inf])


@settings(max_examples=300)
@given(data=st.data())
def test_the_quick_check_refuses_what_the_answer_by_answer_check_refuses(
    data: st.DataObject,
) -> None:
    # The reference: the answer-by-answer check, then each answer put in its cell.
    instrument = data.draw(st.sampled_from([SERVQUAL, SERVQUAL_1988, CSI_CHINA_2015, _MIXED]))
    known = list(instrument.item_ids[:5])
    names = data.draw(st.permutations([*known, "not_an_item"]) | st.just(known))
    n = data.draw(st.integers(1, 4))
    rows = data.draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, len(names) - 1), _RATINGS, _RATINGS),
            max_size=12,
        )
    )
    if data.draw(st.booleans()):  # stored response by response, item by item
        rows = sorted({(r, i): (r, i, p, e) for r, i, p, e in rows}.values())
    one = responses(response(NPS_SURVEY, {}))
    given_ = Responses(
        **_fields(one)
        | {
            "ids": np.array([f"S{i}" for i in range(n)], dtype=object),
            "instrument": np.zeros(n, dtype=np.int64),
            "instruments": (instrument.key,),
            "customer": np.full(n, "C1", dtype=object),
            "order": np.full(n, None, dtype=object),
            "dealer": np.zeros(n, dtype=np.int64),
            "advisor": np.zeros(n, dtype=np.int64),
            "at": np.repeat(one.at, n),
            "recommend": np.full(n, np.nan),
            "answer_of": np.array([r for r, *_ in rows], dtype=np.int64),
            "item": np.array([i for _, i, *_ in rows], dtype=np.int64),
            "items": tuple(names),
            "perception": np.array([p for *_, p, _ in rows], dtype=np.float64),
            "expectation": np.array([e for *_, e in rows], dtype=np.float64),
        }
    )
    position = {item: j for j, item in enumerate(instrument.item_ids)}
    where = np.array([position.get(names[i], -1) for _, i, *_ in rows], dtype=np.intp)
    refused = None
    try:
        given_._explain(instrument, where)
    except InvalidValue as exc:
        refused = str(exc)
    if refused is not None:
        with pytest.raises(InvalidValue) as info:
            given_.ratings(instrument)
        assert str(info.value) == refused
        return
    ratings = given_.ratings(instrument)
    for name, values in (("perception", given_.perception), ("expectation", given_.expectation)):
        expected = np.full((n, len(instrument.items)), np.nan)
        expected[given_.answer_of, where] = values
        for j, item in enumerate(instrument.items):
            if item.reverse:
                expected[:, j] = item.scale.reverse(expected[:, j])
        np.testing.assert_array_equal(getattr(ratings, name), expected)
