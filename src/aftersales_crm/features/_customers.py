"""Customer features: visits, spend, intervals, service mix, where they live, what they own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm.features._calendar import (
    NAT,
    completed_years,
    dates,
    day_number,
    days_between,
)
from aftersales_crm.features._engagement import (
    DEALER_COLUMNS,
    ON_TIME_COLUMNS,
    activity_features,
    order_engagement,
)
from aftersales_crm.features._kernels import Segments, group_order, rows_of, run_blocks, wants
from aftersales_crm.features._orders import (
    first_maintenance_orders,
    line_counts,
    order_counts,
    routine_orders,
)
from aftersales_crm.features._quality import CUSTOMER_QUALITY_COLUMNS, customer_quality, rate
from aftersales_crm.features._service import OWNER_FIRST_MAINTENANCE_COLUMNS, at_rows
from aftersales_crm.tables import Tables
from aftersales_crm.values import PayType, bearing_deg, haversine_km, sector_codes

__all__ = ["customer_features"]

_NEVER: Final = np.iinfo(np.int64).max
_ORDER_COLUMNS: Final = ("day", "amount", "customer_pay", "lines", "bits", "dealer")
_SPEND_ORDER_COLUMNS: Final = ("day", "amount", "lines")

_SPEND_COLUMNS: Final = frozenset(
    {
        "lines",
        "spend_fen",
        "spend_customer_pay_fen",
        "spend_window_fen",
        "spend_window_customer_pay_fen",
        "avg_visit_spend_fen",
        "avg_line_spend_fen",
        "avg_line_spend_customer_pay_fen",
    }
)
"""The columns of the spend kernel, which runs alone when no visit column is wanted."""

_CUSTOMER_PAY_COLUMNS: Final = frozenset(
    {"spend_customer_pay_fen", "spend_window_customer_pay_fen", "avg_line_spend_customer_pay_fen"}
)
"""The spend kernel's columns of the customer-pay spend, summed only when one is wanted."""

_HOME_COLUMNS: Final = frozenset({"dealer", "distance_km", "bearing_deg", "sector"})
_AGE_COLUMNS: Final = frozenset({"age_years"})
_BLOCK_COLUMNS: Final = (
    _SPEND_COLUMNS | _HOME_COLUMNS | _AGE_COLUMNS | ON_TIME_COLUMNS | DEALER_COLUMNS
)
"""The columns of the block kernels other than the visit kernel."""


def _half_up(total: NDArray[np.int64], count: NDArray[np.int64]) -> NDArray[np.int64]:
    """Non-negative ``total / count`` rounded half up to a whole minor unit, 0 when count is 0."""
    safe = np.maximum(count, 1)
    return np.where(count > 0, (2 * total + safe) // (2 * safe), 0)


def customer_features(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    perm: NDArray[np.intp] | None,
    as_of: date,
    window: relativedelta | timedelta,
    threads: int,
    wanted: frozenset[str] | None = None,
) -> dict[str, NDArray[Any]]:
    """The feature columns of every customer of ``tables``, from the counted ``orders``.

    ``perm`` puts the orders in (customer, time) order (None when they are). Only the
    kernels giving a ``wanted`` column run (every kernel for None); the visit kernel runs
    for any column no other kernel gives. Cheap columns come whether wanted or not.
    """
    n = len(tables.customers)
    as_of_day = day_number(as_of)
    window_start = day_number(as_of - window)
    everyone = Segments.of(orders["customer"], n)
    table: dict[str, NDArray[Any]] = {
        "gender": tables.customers["gender"],
        "hobbies": tables.customers["hobbies"],
    }
    table["vehicles_owned"], table["first_purchase"] = _ownership_facts(tables, as_of_day)
    table |= activity_features(tables, as_of_day, window_start)
    given = (
        table.keys() | _BLOCK_COLUMNS | CUSTOMER_QUALITY_COLUMNS | OWNER_FIRST_MAINTENANCE_COLUMNS
    )
    visit_kernel = wanted is None or not wanted <= given  # it gives the spend columns too
    spend = wants(wanted, _SPEND_COLUMNS)
    customer_pay = wants(wanted, _CUSTOMER_PAY_COLUMNS)
    home = wants(wanted, _HOME_COLUMNS)
    fallback = _selling_dealer(tables, as_of_day, without=everyone.counts == 0) if home else None

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        seg = everyone.part(first, stop)
        lo = int(everyone.starts[first]) if first < n else 0
        size = int(seg.counts.sum())
        rows = rows_of(perm, lo, lo + size)
        cols: dict[str, NDArray[Any]] = {}
        if visit_kernel:
            o = {k: orders[k][rows] for k in _ORDER_COLUMNS}
            cols = _customer_block(seg, o, as_of_day, window_start)
        elif spend:  # gathering only the columns the spend kernel reads
            read = (*_SPEND_ORDER_COLUMNS, "customer_pay") if customer_pay else _SPEND_ORDER_COLUMNS
            o = {k: orders[k][rows] for k in read}
            cols = _spend(seg, o, window_start, customer_pay=customer_pay)
        if fallback is not None:
            last = seg.last(np.arange(size), -1)
            dealer = fallback[first:stop].copy()
            seen = np.flatnonzero(last >= 0)
            original = lo + last[seen] if isinstance(rows, slice) else rows[last[seen]]
            dealer[seen] = orders["dealer"][original]
            cols["dealer"] = dealer
            cols |= _where_they_live(tables, dealer, first, stop)
        if wants(wanted, _AGE_COLUMNS):
            cols["age_years"] = completed_years(tables.customers["birthday"][first:stop], as_of)
        return cols | order_engagement(seg, orders, rows, wanted)

    out: dict[str, NDArray[Any]] = {}
    if visit_kernel or wants(wanted, _BLOCK_COLUMNS):
        out = run_blocks(block, everyone.blocks(), threads)
    if wants(wanted, CUSTOMER_QUALITY_COLUMNS):
        out |= customer_quality(orders, n, as_of_day, window_start)
    return out | table


def _ownership_facts(
    tables: Tables, as_of_day: int
) -> tuple[NDArray[np.int64], NDArray[np.datetime64]]:
    """Per customer, vehicles owned on ``as_of`` and the first purchase among their vehicles.

    The purchase is the earliest purchase date of any vehicle they came to own by
    ``as_of`` (``NaT`` when unknown).
    """
    w, n = tables.ownerships, len(tables.customers)
    start, end = w["start"].view(np.int64), w["end"].view(np.int64)
    started = start <= as_of_day
    current = started & ((end == NAT) | (end > as_of_day))
    owned = np.bincount(w["customer"][current], minlength=n).astype(np.int64)
    bought = tables.vehicles["purchase_date"].view(np.int64)[w["vehicle"]]
    known = started & (bought != NAT)
    first = np.full(n, _NEVER, dtype=np.int64)
    np.minimum.at(first, w["customer"][known], bought[known])
    first[first == _NEVER] = NAT
    return owned, dates(first)


def _customer_block(
    seg: Segments, o: Mapping[str, NDArray[Any]], as_of_day: int, window_start: int
) -> dict[str, NDArray[Any]]:
    """The order-based features of a block of customers whose orders are in (customer, time) order."""
    n = len(seg.counts)
    g, d = seg.group_of_rows(), o["day"]
    out: dict[str, NDArray[Any]] = {}

    first = seg.first(d, NAT)
    last = seg.last(d, NAT)
    new_day = np.ones(len(d), dtype=bool)
    new_day[1:] = (g[1:] != g[:-1]) | (d[1:] != d[:-1])
    counts = order_counts(seg, o["bits"], new_day)
    visit_days = counts["visit_days"]
    out["visits"] = seg.counts
    out["visit_days"] = visit_days
    out["first_visit"] = dates(first)
    out["last_visit"] = dates(last)
    out["recency_days"] = days_between(as_of_day, last)
    out["tenure_days"] = days_between(as_of_day, first)
    out["span_days"] = days_between(last, first)
    out["frequency"] = np.maximum(visit_days - 1, 0)
    out |= {k: v for k, v in counts.items() if k.startswith("visits_")}

    out |= _spend(seg, o, window_start)
    # The window holds the last months of a history of years: count only its rows.
    recent = np.flatnonzero(d > window_start)
    out["visits_window"] = np.bincount(g[recent], minlength=n)
    out["visit_days_window"] = np.bincount(g[recent[new_day[recent]]], minlength=n)
    # Gamma-Gamma's monetary value: the spend of the repeat visit days (orders of one day
    # are one visit day), without the first visit day, per repeat visit day.
    first_day_spend = seg.sum(np.where(d == first[g], o["amount"], 0))
    out["repeat_spend_fen"] = out["spend_fen"] - first_day_spend
    out["avg_repeat_day_spend_fen"] = _half_up(out["repeat_spend_fen"], out["frequency"])
    out["avg_visit_spend_customer_pay_fen"] = _half_up(
        out["spend_customer_pay_fen"], out[f"visits_{PayType.CUSTOMER.value}_pay"]
    )

    distinct = np.flatnonzero(new_day)
    dg, dd = g[distinct], d[distinct]
    same = dg[1:] == dg[:-1]
    gaps = (dd[1:] - dd[:-1])[same]
    out["interval_mean_days"] = np.where(
        visit_days > 1, out["span_days"] / np.maximum(visit_days - 1, 1), np.nan
    )
    out["interval_median_days"] = Segments.of(dg[1:][same], n).median(gaps)

    # The loyalty category widened to any vehicle: the customer's own orders, after
    # their first first-maintenance visit (the material's per-vehicle rule is rolled up
    # from the vehicle features by owner_first_maintenance).
    fm_row = seg.first_where(first_maintenance_orders(o["bits"]))
    fm_day = at_rows(d, fm_row, NAT)
    fm_dealer = at_rows(o["dealer"], fm_row, -1)
    after = (fm_day[g] != NAT) & (d > fm_day[g]) & routine_orders(o["bits"])
    same = o["dealer"] == fm_dealer[g]
    out["any_vehicle_first_maintenance"] = dates(fm_day)
    out["any_vehicle_return_date"] = dates(at_rows(d, seg.first_where(after & same), NAT))
    out["any_vehicle_network_return_date"] = dates(at_rows(d, seg.first_where(after), NAT))

    out["on_time_rate"] = rate(counts["on_time"], counts["promised"])
    out["comebacks"] = counts["comebacks"]
    out["appointment_share"] = rate(counts["appointments"], seg.counts)
    return out


def _spend(
    seg: Segments,
    o: Mapping[str, NDArray[Any]],
    window_start: int,
    *,
    customer_pay: bool = True,
) -> dict[str, NDArray[Any]]:
    """The spend columns of a block of customers: sums, window sums and averages.

    The customer-pay columns (read from ``o["customer_pay"]``) only with ``customer_pay``.
    """
    in_window = o["day"] > window_start
    spend = seg.sum(o["amount"])
    lines, customer_pay_lines = line_counts(seg, o["lines"])
    paid = seg.sum(o["customer_pay"]) if customer_pay else None
    out = {
        "lines": lines,
        "spend_fen": spend,
        "spend_customer_pay_fen": paid,
        "spend_window_fen": seg.sum(np.where(in_window, o["amount"], 0)),
        "spend_window_customer_pay_fen": (
            seg.sum(np.where(in_window, o["customer_pay"], 0)) if customer_pay else None
        ),
        "avg_visit_spend_fen": _half_up(spend, seg.counts),
        "avg_line_spend_fen": _half_up(spend, lines),
        "avg_line_spend_customer_pay_fen": (
            _half_up(paid, customer_pay_lines) if paid is not None else None
        ),
    }
    return {name: values for name, values in out.items() if values is not None}


def _where_they_live(
    tables: Tables, dealer: NDArray[np.int64], first: int, stop: int
) -> dict[str, NDArray[Any]]:
    """Distance, bearing and compass sector from each customer's dealer to their home."""
    dealers = tables.dealers
    has = dealer >= 0
    if len(dealers):
        d_lat = np.where(has, dealers["lat"][np.maximum(dealer, 0)], np.nan)
        d_lon = np.where(has, dealers["lon"][np.maximum(dealer, 0)], np.nan)
    else:
        d_lat = d_lon = np.full(len(dealer), np.nan)
    c_lat = tables.customers["home_lat"][first:stop]
    c_lon = tables.customers["home_lon"][first:stop]
    bearing = bearing_deg(d_lat, d_lon, c_lat, c_lon)
    return {
        "distance_km": haversine_km(d_lat, d_lon, c_lat, c_lon),
        "bearing_deg": bearing,
        "sector": sector_codes(bearing, winds=8),
    }


def _selling_dealer(
    tables: Tables, as_of_day: int, without: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """The selling dealer of the earliest ownership's vehicle, for customers ``without`` one.

    For the customers marked ``without`` (a servicing dealer): the selling dealer of the
    vehicle of their earliest ownership that has one; -1 for everyone else.
    """
    w, v = tables.ownerships, tables.vehicles
    n = len(tables.customers)
    if not len(w) or not without.any():
        return np.full(n, -1, dtype=np.int64)
    start = w["start"].view(np.int64)
    keep = np.flatnonzero(without[w["customer"]] & (start <= as_of_day))
    selling = np.full(len(w), -1, dtype=np.int64)
    selling[keep] = v["selling_dealer"][w["vehicle"][keep]]
    keep = keep[selling[keep] >= 0]
    perm = keep[group_order(w["customer"][keep], start[keep])]
    seg = Segments.of(w["customer"][perm], n)
    return seg.first(selling[perm], -1)
