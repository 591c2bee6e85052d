"""Vehicle features: visits, mileage, age, owners and the next service due of each vehicle."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.features._calendar import (
    NAT,
    completed_years,
    dates,
    day_number,
    days_between,
)
from aftersales_crm.features._kernels import Segments, rows_of, run_blocks
from aftersales_crm.features._mileage import MileageMethod, MileageModel, vehicle_rates
from aftersales_crm.features._quality import vehicle_quality
from aftersales_crm.features._service import due_dates, service_history
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.tables import Tables
from aftersales_crm.values import BodyType, FuelType

__all__ = ["VEHICLE_TABLE_COLUMNS", "reads_orders", "vehicle_features"]


VEHICLE_TABLE_COLUMNS: Final = frozenset(
    {"age_years", "owner", "owners", "owned_since", "body_type", "fuel", "sold_here"}
)
"""The vehicle features read from the vehicle and ownership tables alone, without the orders.

[`compute_vehicles`][aftersales_crm.features.compute_vehicles] asked for these alone reads no
order, so it is quick on any number of orders.

Examples:
    >>> sorted(VEHICLE_TABLE_COLUMNS)[:3]
    ['age_years', 'body_type', 'fuel']
"""

_CATEGORIES: Final = {"km_per_day_method": MileageMethod, "body_type": BodyType, "fuel": FuelType}


def reads_orders(wanted: frozenset[str] | None) -> bool:
    """Whether the vehicle columns ``wanted`` (None: all) need the orders' kernels.

    Examples:
        >>> reads_orders(frozenset({"owner", "fuel"})), reads_orders(frozenset({"km_per_day"}))
        (False, True)
    """
    return wanted is None or not wanted <= VEHICLE_TABLE_COLUMNS


def vehicle_features(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    perm: NDArray[np.intp] | None,
    as_of: date,
    mileage: MileageModel,
    threads: int,
    wanted: frozenset[str] | None = None,
) -> FeatureTable:
    """The features of every vehicle of ``tables``, from the counted ``orders``.

    ``perm`` puts the orders in (vehicle, time) order (None when they are). An unfitted
    ``mileage`` model is fitted on these vehicles' readings. Only the kernels giving a
    ``wanted`` column run (every kernel for None), the orders' kernels for any column
    not read from the tables alone (``reads_orders``); the table holds every column
    the kernels that ran give.
    """
    v = tables.vehicles
    as_of_day = day_number(as_of)
    out: dict[str, NDArray[Any]] = {}
    if reads_orders(wanted):
        out = _order_columns(tables, orders, perm, as_of, mileage, threads, wanted)
    out["age_years"] = completed_years(v["purchase_date"], as_of)
    out["owner"], out["owners"], out["owned_since"] = _owners(tables, as_of_day)
    out["body_type"] = v["body_type"]
    out["fuel"] = v["fuel"]
    out["sold_here"] = v["sold_here"]
    return FeatureTable(
        "vin",
        v["vin"],
        out,
        as_of,
        tables.currency,
        categories={name: kind for name, kind in _CATEGORIES.items() if name in out},
    )


def _order_columns(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    perm: NDArray[np.intp] | None,
    as_of: date,
    mileage: MileageModel,
    threads: int,
    wanted: frozenset[str] | None,
) -> dict[str, NDArray[Any]]:
    """The vehicle columns of the orders: visits, readings, mileage, service, quality."""
    v = tables.vehicles
    n = len(v)
    as_of_day = day_number(as_of)
    everyone = Segments.of(orders["vehicle"], n)
    _, max_km_per_day, _ = mileage.checked()

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        seg = everyone.part(first, stop)
        lo = int(everyone.starts[first]) if first < n else 0
        rows = rows_of(perm, lo, lo + int(seg.counts.sum()))
        d = orders["day"][rows]
        start, last = seg.first(d, NAT), seg.last(d, NAT)
        readings = vehicle_rates(
            seg, seg.group_of_rows(), d, orders["mileage"][rows], start, max_km_per_day
        )
        return {
            "visits": seg.counts,
            "first_visit": dates(start),
            "last_visit": dates(last),
            **readings,
            **service_history(
                seg,
                d,
                orders["bits"][rows],
                orders["dealer"][rows],
                orders["mileage"][rows],
                wanted,
            ),
        }

    out = run_blocks(block, everyone.blocks(), threads)
    if not mileage.fitted:
        mileage = mileage.fitted_on(tables, out["rate"], mileage.trusted(out), as_of)
    out |= mileage.estimate(tables, out)
    del out["rate"], out["confidence"]
    km_per_day = out["km_per_day"]
    last = out["last_visit"].view(np.int64)
    purchase = v["purchase_date"].view(np.int64)
    seen = last != NAT
    elapsed = days_between(as_of_day, np.where(seen, last, purchase))
    elapsed[elapsed < 0] = np.nan
    out["mileage_at_as_of"] = np.where(seen, out["last_mileage"], 0.0) + km_per_day * elapsed
    out["service_due"] = due_dates(out["last_service"], km_per_day, out["last_service_mileage"])
    return out | vehicle_quality(tables, orders, out, as_of_day, wanted)


def _owners(
    tables: Tables, as_of_day: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.datetime64]]:
    """Per vehicle: the owner on ``as_of``, the number of owners, the current owner's start.

    The owner is -1 and the start NaT for a vehicle nobody owns on ``as_of``.
    """
    w = tables.ownerships
    n = len(tables.vehicles)
    owner = np.full(n, -1, dtype=np.int64)
    since = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if not len(w):
        return owner, np.zeros(n, dtype=np.int64), since
    start, end = w["start"].view(np.int64), w["end"].view(np.int64)
    started = start <= as_of_day
    current = np.flatnonzero(started & ((end == NAT) | (end > as_of_day)))
    owner[w["vehicle"][current]] = w["customer"][current]
    since[w["vehicle"][current]] = w["start"][current]
    return owner, np.bincount(w["vehicle"][started], minlength=n).astype(np.int64), since
