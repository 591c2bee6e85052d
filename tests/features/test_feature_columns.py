"""compute(columns=...), compute_vehicles(columns=...) and compute(vehicle_columns=...): the
columns asked for, each equal to the whole computation's."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import _orders
from aftersales_crm.tables import Tables

AS_OF = date(2025, 12, 31)  # orders after it in the book below
BOOK = synthetic.book(60, seed=4)
WHOLE = features.compute(BOOK, as_of=AS_OF)
WHOLE_VEHICLES = features.compute_vehicles(BOOK, as_of=AS_OF)
# The book as Tables, converted once for the properties below (a Book is converted on every
# call): each example then computes only the features it selects.
TABLES = Tables.from_book(BOOK)


def _same(
    some: features.FeatureTable | None, names: set[str], whole: features.FeatureTable
) -> None:
    """``some`` holds the columns ``names``, each equal to ``whole``'s, with its ids and kinds."""
    assert some is not None
    assert set(some) == names
    assert some.ids.tolist() == whole.ids.tolist()
    for name in names:
        mine, theirs = np.asarray(some[name]), np.asarray(whole[name])
        assert mine.dtype == theirs.dtype, name
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name
    assert {k: v for k, v in whole.categories.items() if k in names} == dict(some.categories)


@given(st.sets(st.sampled_from(sorted(WHOLE))))
def test_any_selection_equals_the_whole_computation(names: set[str]) -> None:
    _same(features.compute(TABLES, as_of=AS_OF, columns=names), names, WHOLE)


@pytest.mark.parametrize(
    "names",
    [
        {"spend_window_fen", "avg_line_spend_fen"},  # the spend kernel alone
        {"main_dealer_share", "on_time_arrival_rate"},  # the engagement kernels alone
        {"sector", "age_years"},  # where they live, and their age
        {"parts_replaced", "return_date", "activities_window"},  # table-wide kernels
        {"interval_median_days", "visits_window"},  # the visit kernel
    ],
)
def test_each_kernel_alone_equals_the_whole_computation(names: set[str]) -> None:
    tables = synthetic.columns(300, seed=2).tables()
    some = features.compute(tables, as_of=date(2026, 6, 30), columns=names, threads=2)
    whole = features.compute(tables, as_of=date(2026, 6, 30), threads=2)
    for name in names:
        mine, theirs = np.asarray(some[name]), np.asarray(whole[name])
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name


def test_the_vehicle_features_stay_whole() -> None:
    some = features.compute(BOOK, as_of=AS_OF, columns=["visits"])
    assert some.vehicles is not None
    assert WHOLE.vehicles is not None
    assert list(some.vehicles) == list(WHOLE.vehicles)


def test_no_column_gives_an_empty_table_of_every_customer() -> None:
    some = features.compute(BOOK, as_of=AS_OF, columns=())
    assert list(some) == []
    assert len(some) == len(WHOLE)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["visits", "spend"], "columns names 'spend', not a customer feature"),
        (["km_per_day"], "columns names 'km_per_day'"),  # a vehicle feature
        ("visits", "columns is 'visits' .str., expected a list or tuple"),
        ([1], r"columns holds 1 \(int\), expected feature names as str"),
    ],
)
def test_a_bad_selection_is_named(columns: object, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        features.compute(BOOK, as_of=AS_OF, columns=columns)  # type: ignore[arg-type]


@given(st.sets(st.sampled_from(sorted(WHOLE_VEHICLES))))
def test_any_vehicle_selection_equals_the_whole_computation(names: set[str]) -> None:
    _same(features.compute_vehicles(TABLES, as_of=AS_OF, columns=names), names, WHOLE_VEHICLES)


@given(
    st.sets(st.sampled_from(sorted(WHOLE_VEHICLES))),
    st.sets(st.sampled_from(["visits", "return_date"])),
)
def test_any_vehicle_selection_with_the_customer_features_equals_the_whole(
    names: set[str], customer: set[str]
) -> None:
    # return_date is rolled up from vehicle columns, asked for or not.
    some = features.compute(TABLES, as_of=AS_OF, columns=customer, vehicle_columns=names)
    _same(some.vehicles, names, WHOLE_VEHICLES)
    for name in customer:
        mine, theirs = np.asarray(some[name]), np.asarray(WHOLE[name])
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name


def test_the_parts_are_counted_only_for_parts_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = []
    parts = _orders._parts_per_order

    def counting(tables: Tables) -> NDArray[np.int64]:
        counted.append(1)
        return parts(tables)

    monkeypatch.setattr(_orders, "_parts_per_order", counting)
    names = set(WHOLE_VEHICLES) - {"parts_replaced"}
    _same(features.compute_vehicles(BOOK, as_of=AS_OF, columns=names), names, WHOLE_VEHICLES)
    features.compute(BOOK, as_of=AS_OF, columns=["visits"], vehicle_columns=names)
    assert counted == []
    _same(
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=["parts_replaced"]),
        {"parts_replaced"},
        WHOLE_VEHICLES,
    )
    assert counted == [1]


def test_columns_of_the_tables_alone_need_no_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_orders(*args: object, **kwargs: object) -> None:
        raise AssertionError("the order facts were computed")

    monkeypatch.setattr("aftersales_crm.features._engine.order_facts", no_orders)
    _same(
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=["owner", "fuel"]),
        {"owner", "fuel"},
        WHOLE_VEHICLES,
    )


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["owner", "spend_fen"], "columns names 'spend_fen', not a vehicle feature"),
        ("owner", "columns is 'owner' .str., expected a list or tuple"),
        ([1], r"columns holds 1 \(int\), expected feature names as str"),
    ],
)
def test_a_bad_vehicle_selection_is_named(columns: object, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=columns)  # type: ignore[arg-type]


def test_a_bad_vehicle_selection_of_compute_is_named() -> None:
    with pytest.raises(InvalidValue, match="vehicle_columns names 'spend_fen', not a vehicle"):
        features.compute(BOOK, as_of=AS_OF, columns=[], vehicle_columns=["spend_fen"])
