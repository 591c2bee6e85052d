"""The vehicle features alone are those of the whole computation."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue


@pytest.mark.parametrize(
    "data",
    [
        synthetic.book(80, seed=4),  # orders after as_of below, and Book facts
        synthetic.columns(300, seed=2).tables(),
    ],
)
@pytest.mark.parametrize("as_of", [date(2025, 12, 31), date(2026, 6, 30)])
def test_the_vehicle_features_alone_equal_those_of_compute(data: object, as_of: date) -> None:
    alone = features.compute_vehicles(data, as_of=as_of)  # type: ignore[arg-type]
    together = features.compute(data, as_of=as_of).vehicles  # type: ignore[arg-type]
    assert together is not None
    assert list(alone) == list(together)
    assert alone.ids.tolist() == together.ids.tolist()
    for name in together:
        mine, theirs = np.asarray(alone[name]), np.asarray(together[name])
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name


def test_orders_without_a_vehicle_count_for_no_vehicle() -> None:
    from aftersales_crm.tables import Tables

    arrays: dict[str, Any] = synthetic.columns(40, seed=3).tables().to_arrays()
    orders = arrays["orders"]
    none = np.arange(len(orders["vin"])) % 3 == 0
    orders["vin"] = np.where(none, np.array(None, dtype=object), orders["vin"])
    orders["mileage"] = np.where(none, np.array(None, dtype=object), orders["mileage"])
    tables = Tables.from_arrays(**arrays)
    alone = features.compute_vehicles(tables, as_of=date(2026, 6, 30))
    together = features.compute(tables, as_of=date(2026, 6, 30)).vehicles
    assert together is not None
    assert np.array_equal(alone["visits"], together["visits"])


def test_a_bad_as_of_is_named() -> None:
    with pytest.raises(InvalidValue, match="as_of"):
        features.compute_vehicles(synthetic.book(2, seed=1), as_of="30 June")


def test_the_table_columns_alone_read_no_order_and_equal_the_whole_computation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tables = synthetic.columns(300, seed=2).tables()
    whole = features.compute_vehicles(tables, as_of=date(2026, 6, 30))

    def no_orders(*args: object) -> None:
        raise AssertionError("the orders were read")

    monkeypatch.setattr("aftersales_crm.features._engine.order_days", no_orders)
    alone = features.compute_vehicles(
        tables, as_of=date(2026, 6, 30), columns=features.VEHICLE_TABLE_COLUMNS
    )
    assert set(alone) == features.VEHICLE_TABLE_COLUMNS
    for name in features.VEHICLE_TABLE_COLUMNS:
        assert np.array_equal(np.asarray(alone[name]), np.asarray(whole[name])), name
    with pytest.raises(AssertionError, match="the orders were read"):
        features.compute_vehicles(tables, as_of=date(2026, 6, 30), columns=["owner", "visits"])


def test_a_bad_time_zone_is_named_when_no_order_is_read() -> None:
    with pytest.raises(InvalidValue, match="time_zone"):
        features.compute_vehicles(
            synthetic.book(2, seed=1),
            as_of=date(2026, 6, 30),
            time_zone="Mars/Olympus",
            columns=["owner"],
        )
