"""compute_vehicles(columns=...) and compute(vehicle_columns=...): each column the whole one."""

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
WHOLE = features.compute_vehicles(BOOK, as_of=AS_OF)
WHOLE_CUSTOMERS = features.compute(BOOK, as_of=AS_OF)


def _same(some: features.FeatureTable | None, names: set[str]) -> None:
    assert some is not None
    assert set(some) == names
    assert some.ids.tolist() == WHOLE.ids.tolist()
    for name in names:
        mine, theirs = np.asarray(some[name]), np.asarray(WHOLE[name])
        assert mine.dtype == theirs.dtype, name
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name
    assert {k: v for k, v in WHOLE.categories.items() if k in names} == dict(some.categories)


@given(st.sets(st.sampled_from(sorted(WHOLE))))
def test_any_selection_equals_the_whole_computation(names: set[str]) -> None:
    _same(features.compute_vehicles(BOOK, as_of=AS_OF, columns=names), names)


@given(st.sets(st.sampled_from(sorted(WHOLE))), st.sets(st.sampled_from(["visits", "return_date"])))
def test_any_selection_with_the_customer_features_equals_the_whole(
    names: set[str], customer: set[str]
) -> None:
    # return_date is rolled up from vehicle columns, asked for or not.
    some = features.compute(BOOK, as_of=AS_OF, columns=customer, vehicle_columns=names)
    _same(some.vehicles, names)
    for name in customer:
        mine, theirs = np.asarray(some[name]), np.asarray(WHOLE_CUSTOMERS[name])
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name


def test_the_parts_are_counted_only_for_parts_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = []
    parts = _orders._parts_per_order

    def counting(tables: Tables) -> NDArray[np.int64]:
        counted.append(1)
        return parts(tables)

    monkeypatch.setattr(_orders, "_parts_per_order", counting)
    names = set(WHOLE) - {"parts_replaced"}
    _same(features.compute_vehicles(BOOK, as_of=AS_OF, columns=names), names)
    features.compute(BOOK, as_of=AS_OF, columns=["visits"], vehicle_columns=names)
    assert counted == []
    _same(
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=["parts_replaced"]), {"parts_replaced"}
    )
    assert counted == [1]


def test_columns_of_the_tables_alone_need_no_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_orders(*args: object, **kwargs: object) -> None:
        raise AssertionError("the order facts were computed")

    monkeypatch.setattr("aftersales_crm.features._engine.order_facts", no_orders)
    _same(
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=["owner", "fuel"]), {"owner", "fuel"}
    )


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["owner", "spend_fen"], "columns names 'spend_fen', not a vehicle feature"),
        ("owner", "columns is 'owner' .str., expected a list or tuple"),
        ([1], r"columns holds 1 \(int\), expected feature names as str"),
    ],
)
def test_a_bad_selection_is_named(columns: object, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        features.compute_vehicles(BOOK, as_of=AS_OF, columns=columns)  # type: ignore[arg-type]


def test_a_bad_vehicle_selection_of_compute_is_named() -> None:
    with pytest.raises(InvalidValue, match="vehicle_columns names 'spend_fen', not a vehicle"):
        features.compute(BOOK, as_of=AS_OF, columns=[], vehicle_columns=["spend_fen"])
