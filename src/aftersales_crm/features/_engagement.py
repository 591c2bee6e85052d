"""Engagement features of the owners' club's value model: on time, main dealer, activities.

《斯柯达车友汇客户关爱总监培训教材》 scores a customer's value partly from "经销店忠诚:
按时到店 多店变换" (dealer loyalty: arriving on time, moving between dealers) and
"活动参与: 积极参与经销店活动" (activity participation: taking an active part in the
dealer's activities). These kernels give the customer features behind them:

* on-time arrival: ``service_returns``, ``on_time_returns`` and ``on_time_arrival_rate``;
* multi-dealer switching: ``dealers_visited`` and ``main_dealer_share``;
* activity participation: ``activities`` and ``activities_window``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.features._calendar import dates
from aftersales_crm.features._kernels import Segments, wants
from aftersales_crm.features._orders import service_orders
from aftersales_crm.features._service import due_dates
from aftersales_crm.tables import Tables
from aftersales_crm.values import NONE_CODE

__all__ = ["DEALER_COLUMNS", "ON_TIME_COLUMNS", "activity_features", "order_engagement"]

ON_TIME_COLUMNS: Final = frozenset({"service_returns", "on_time_returns", "on_time_arrival_rate"})
"""The columns of the on-time arrival kernel."""

DEALER_COLUMNS: Final = frozenset({"dealers_visited", "main_dealer_share"})
"""The columns of the multi-dealer kernel."""


def _share(part: NDArray[np.int64], whole: NDArray[np.int64]) -> NDArray[np.float64]:
    """``part / whole``, NaN where ``whole`` is 0."""
    out: NDArray[np.float64] = np.full(len(whole), np.nan)
    return np.divide(part, whole, out=out, where=whole > 0)


def order_engagement(
    seg: Segments,
    orders: Mapping[str, NDArray[Any]],
    rows: NDArray[np.intp] | slice,
    wanted: frozenset[str] | None = None,
) -> dict[str, NDArray[Any]]:
    """On-time arrival and dealer features of a block of customers.

    ``seg`` groups the block's orders, ``orders[k][rows]`` in (customer, time) order; only
    the kernels giving a ``wanted`` column run (all of them for None).
    """
    g = seg.group_of_rows()
    d = orders["day"][rows]
    out: dict[str, NDArray[Any]] = {}
    if wants(wanted, ON_TIME_COLUMNS):
        out |= _on_time_arrival(seg, g, d, orders, rows)
    if wants(wanted, DEALER_COLUMNS):
        out |= _dealers(seg, g, d, orders["dealer"][rows])
    return out


def _on_time_arrival(
    seg: Segments,
    g: NDArray[np.int64],
    d: NDArray[np.int64],
    orders: Mapping[str, NDArray[Any]],
    rows: NDArray[np.intp] | slice,
) -> dict[str, NDArray[Any]]:
    """Service visits of a vehicle after the customer's earlier one, and how many on time.

    A service visit is an order with a routine-service or first-maintenance line. Each one
    whose vehicle had an earlier service visit by the same customer on an earlier day is a
    *return*; it is on time when it comes no later than the earlier visit's due date by
    [`service_due`][aftersales_crm.features.service_due] (6 months, or 5,000 km at the pace of
    the two odometer readings, whichever first). Orders of the same vehicle on the same
    day are one visit.
    """
    n = len(seg.counts)
    vehicles = orders["vehicle"][rows]
    service = np.flatnonzero(service_orders(orders["bits"][rows]) & (vehicles != NONE_CODE))
    vehicle = vehicles[service]
    # By customer, vehicle, then time: a stable sort keeps each customer's time order.
    key = g[service] * (int(vehicle.max(initial=0)) + 1) + vehicle
    order = np.argsort(key, kind="stable")
    by, same = service[order], key[order]
    day = d[by]
    pair = np.flatnonzero((same[1:] == same[:-1]) & (day[1:] > day[:-1]))
    after = pair + 1
    earlier, later = by[pair], by[after]
    day_before, day_after = day[pair], day[after]
    # Only the pairs' readings become floats, not the whole block's.
    mileage = orders["mileage"][rows]
    km_before, km_after = mileage[earlier].astype(np.float64), mileage[later].astype(np.float64)
    elapsed = (day_after - day_before).astype(np.float64)
    due = due_dates(dates(day_before), (km_after - km_before) / elapsed, km_before)
    on_time = dates(day_after) <= due
    whose = g[later]
    returns = np.bincount(whose, minlength=n).astype(np.int64, copy=False)
    kept = np.bincount(whose[on_time], minlength=n).astype(np.int64, copy=False)
    return {
        "service_returns": returns,
        "on_time_returns": kept,
        "on_time_arrival_rate": _share(kept, returns),
    }


def _dealers(
    seg: Segments, g: NDArray[np.int64], d: NDArray[np.int64], dealer: NDArray[np.int64]
) -> dict[str, NDArray[Any]]:
    """Dealers visited, and the share of visit days at the dealer with the most of them."""
    n = len(seg.counts)
    key = g * (int(dealer.max(initial=0)) + 1) + dealer
    order = np.argsort(key, kind="stable")
    k, day = key[order], d[order]
    new_pair = np.ones(len(k), dtype=bool)
    new_pair[1:] = k[1:] != k[:-1]
    new_day = new_pair.copy()
    new_day[1:] |= day[1:] != day[:-1]
    pair = np.cumsum(new_pair) - 1
    days_at = np.bincount(pair[new_day], minlength=int(new_pair.sum()))
    customer = g[order][new_pair]
    pairs = Segments.of(customer, n)
    most = np.zeros(n, dtype=np.int64)
    if len(pairs.filled_groups):
        most[pairs.filled_groups] = np.maximum.reduceat(days_at, pairs.filled_starts)
    new_visit_day = np.ones(len(d), dtype=bool)
    new_visit_day[1:] = (g[1:] != g[:-1]) | (d[1:] != d[:-1])
    visit_days = seg.count(new_visit_day)
    return {"dealers_visited": pairs.counts, "main_dealer_share": _share(most, visit_days)}


def activity_features(
    tables: Tables, as_of_day: int, window_start: int
) -> dict[str, NDArray[np.int64]]:
    """Club activities each customer attended up to ``as_of`` and in the trailing window.

    ``as_of_day`` and ``window_start`` are day numbers; the window is the days after
    ``window_start``, as for ``spend_window_fen``.
    """
    a, n = tables.activities, len(tables.customers)
    on = a["on"].view(np.int64)
    counted = on <= as_of_day
    recent = counted & (on > window_start)
    return {
        "activities": np.bincount(a["customer"][counted], minlength=n).astype(np.int64),
        "activities_window": np.bincount(a["customer"][recent], minlength=n).astype(np.int64),
    }
