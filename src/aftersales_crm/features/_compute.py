"""The feature engine: every feature of every customer and vehicle in a few numpy passes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any, Final

import attrs
import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features._kernels import Segments, group_order, run_blocks
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from aftersales_crm.values import (
    ROUTINE_SERVICE_KINDS,
    BodyType,
    CompassSector,
    FuelType,
    Gender,
    LabelledEnum,
    PayType,
    ServiceKind,
    bearing_deg,
    haversine_km,
    sector_codes,
)

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEFAULT_KM_PER_DAY",
    "DEFAULT_WINDOW",
    "MAX_KM_PER_DAY",
    "MIN_MODEL_VEHICLES",
    "MileageMethod",
    "compute",
    "profile",
]

DEFAULT_WINDOW: Final = relativedelta(months=12)
"""The trailing window of the ``spend_window_*`` features: 12 months."""

CHINA_STANDARD_TIME: Final = timedelta(hours=8)
"""The UTC offset that turns an order's instant into its business date (UTC+8, no DST)."""

DEFAULT_KM_PER_DAY: Final = 15_000 / 365
"""The km/day used when neither the vehicle's readings nor its model tell: 15,000 km a year.

A design choice, not a published figure: Chinese estimates of annual mileage range from
about 18,900 km (Tsinghua, 2015) to 26,910 km (2007), falling with vehicle age; 15,000 km is
the conservative default recommended in the project's research notes (automotive §7)."""

MAX_KM_PER_DAY: Final = 300.0
"""Readings implying more than 300 km a day are flagged as odometer anomalies."""

MIN_MODEL_VEHICLES: Final = 5
"""A model's median km/day is used only when at least five of its vehicles have readings."""

_US_PER_DAY: Final = 86_400_000_000
_NAT: Final = np.iinfo(np.int64).min
_NEVER: Final = np.iinfo(np.int64).max
_DAYS_PER_YEAR: Final = 365.0
_FEBRUARY: Final = 2
_MARCH: Final = 3
_LEAP_DAY: Final = 29
_KINDS: Final = tuple(ServiceKind)
_PAYS: Final = tuple(PayType)
_PAY_SHIFT: Final = len(_KINDS)
_CUSTOMER_PAY: Final = _PAYS.index(PayType.CUSTOMER)
_FIRST_MAINTENANCE_BIT: Final = 1 << _KINDS.index(ServiceKind.FIRST_MAINTENANCE)
_ROUTINE_BITS: Final = sum(1 << _KINDS.index(k) for k in ROUTINE_SERVICE_KINDS)
# Flags of an order kept beside its service kinds and pay types, counted in one pass.
_PROMISED_BIT: Final = _PAY_SHIFT + len(_PAYS)
_ON_TIME_BIT: Final = _PROMISED_BIT + 1
_COMEBACK_BIT: Final = _PROMISED_BIT + 2
_APPOINTMENT_BIT: Final = _PROMISED_BIT + 3
_NEW_DAY_BIT: Final = _PROMISED_BIT + 4
_N_BITS: Final = _NEW_DAY_BIT + 1
_LINE_BITS: Final = np.array(
    [(1 << k) | (1 << (_PAY_SHIFT + p)) for k in range(len(_KINDS)) for p in range(len(_PAYS))],
    dtype=np.int32,
)  # the bits of a line, by kind * len(PayType) + pay
_LINE_COUNT_SHIFT: Final = 32  # lines and customer-pay lines of an order share one int64


class MileageMethod(LabelledEnum):
    """How a vehicle's km/day was estimated (``km_per_day_method``).

    Examples:
        >>> [m.value for m in MileageMethod]
        ['readings', 'model_median', 'default']
    """

    READINGS = "readings", "least squares over the vehicle's odometer readings", "按本车里程记录"
    MODEL_MEDIAN = "model_median", "median of the same model's vehicles", "按同车型中位数"
    DEFAULT = "default", "the configured default", "按默认值"


def _day_number(day: date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def _dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    return days.astype(np.int64).view("datetime64[D]")


def _days_between(
    later: NDArray[np.int64] | int, earlier: NDArray[np.int64]
) -> NDArray[np.float64]:
    """``later - earlier`` in days as floats, NaN where ``earlier`` is missing."""
    out = (np.asarray(later) - earlier).astype(np.float64)
    out[earlier == _NAT] = np.nan
    return out


def _business_days(instants: NDArray[np.datetime64], offset_us: int) -> NDArray[np.int64]:
    raw = instants.astype("datetime64[us]").view(np.int64)
    days = (raw + offset_us) // _US_PER_DAY
    days[raw == _NAT] = _NAT
    return days


def _at(values: NDArray[np.int64], rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """``values[rows]``, missing (NaT) where the row is -1."""
    out = np.full(len(rows), _NAT, dtype=np.int64)
    found = rows >= 0
    out[found] = values[rows[found]]
    return out


def _half_up(total: NDArray[np.int64], count: NDArray[np.int64]) -> NDArray[np.int64]:
    """Non-negative ``total / count`` rounded half up to a whole minor unit, 0 when count is 0."""
    safe = np.maximum(count, 1)
    return np.where(count > 0, (2 * total + safe) // (2 * safe), 0)


def _ratio(part: NDArray[np.int64], whole: NDArray[np.int64]) -> NDArray[np.float64]:
    out = np.full(len(whole), np.nan)
    some = whole > 0
    out[some] = part[some] / whole[some]
    return out


def _civil(
    days: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Year, month and day of days since 1970-01-01 in the proleptic Gregorian calendar.

    Integer arithmetic only (the civil-from-days algorithm of H. Hinnant, "chrono-compatible
    low-level date algorithms"), several times faster than numpy's calendar casts.
    """
    z = days + 719_468  # days from 0000-03-01, so leap days end a year of the cycle
    era = z // 146_097
    day_of_era = z - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153  # 0 is March
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    january = 10  # shifted month of January: March is 0
    month = np.where(shifted_month < january, shifted_month + 3, shifted_month - 9)
    year = year_of_era + era * 400 + (month < _MARCH)
    return year, month, day


def _days_from_civil(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Days since 1970-01-01 of proleptic Gregorian dates: the inverse of :func:`_civil`."""
    year = year - (month < _MARCH)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month < _MARCH, month + 9, month - 3) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = era * 146_097 + day_of_era - 719_468
    return days


_MONTH_DAYS: Final = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def add_months(days: NDArray[np.datetime64], months: int) -> NDArray[np.datetime64]:
    """Dates plus whole calendar months, as :class:`relativedelta` ``(months=…)`` adds them.

    A day past the end of the target month is clamped to its last day (31 January + 1
    month is 28 or 29 February); NaT stays NaT. Integer arithmetic only, several times
    faster than numpy's month casts.

    Args:
        days: ``datetime64[D]`` dates.
        months: whole months to add (negative to subtract).

    Returns:
        ``datetime64[D]`` array of the shape of ``days``.

    Examples:
        >>> days = np.array(["2026-01-31", "2024-02-29", "NaT"], dtype="datetime64[D]")
        >>> add_months(days, 1).tolist()
        [datetime.date(2026, 2, 28), datetime.date(2024, 3, 29), None]
        >>> add_months(days, -12)[:2].tolist()
        [datetime.date(2025, 1, 31), datetime.date(2023, 2, 28)]
    """
    days = np.asarray(days, dtype="datetime64[D]")
    missing = np.isnat(days)
    year, month, day = _civil(np.where(missing, 0, days.view(np.int64)))
    index = year * 12 + (month - 1) + months
    year, month = index // 12, index % 12 + 1
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = _MONTH_DAYS[month] + (leap & (month == _FEBRUARY))
    shifted = _days_from_civil(year, month, np.minimum(day, length))
    out: NDArray[np.datetime64] = shifted.astype("datetime64[D]")
    out[missing] = np.datetime64("NaT")
    return out


def completed_years(born: NDArray[np.datetime64], as_of: date) -> NDArray[np.float64]:
    """Whole years from each date to ``as_of``, as :class:`relativedelta` counts them.

    A 29 February date has its anniversary on 28 February in other years. NaN for missing
    dates and for dates after ``as_of``.

    Examples:
        >>> born = np.array(["2020-02-29", "2020-03-01", "NaT"], dtype="datetime64[D]")
        >>> completed_years(born, date(2021, 2, 28)).tolist()
        [1.0, 0.0, nan]
    """
    year, month, day = _civil(born.view(np.int64))
    leap = as_of.year % 4 == 0 and (as_of.year % 100 != 0 or as_of.year % 400 == 0)
    if not leap:
        day = np.where((month == _FEBRUARY) & (day == _LEAP_DAY), _LEAP_DAY - 1, day)
    before = (month > as_of.month) | ((month == as_of.month) & (day > as_of.day))
    years: NDArray[np.float64] = (as_of.year - year - before).astype(np.float64)
    years[np.isnat(born) | (born > np.datetime64(as_of, "D"))] = np.nan
    return years


def compute(
    data: Tables | Book,
    *,
    as_of: date,
    window: relativedelta = DEFAULT_WINDOW,
    utc_offset: timedelta = CHINA_STANDARD_TIME,
    default_km_per_day: float = DEFAULT_KM_PER_DAY,
    max_km_per_day: float = MAX_KM_PER_DAY,
    min_model_vehicles: int = MIN_MODEL_VEHICLES,
    model_km_per_day: Mapping[str, float] | None = None,
    threads: int | None = None,
) -> FeatureTable:
    """Every customer's and vehicle's features on ``as_of``, from tables or a Book.

    Only orders opened on or before ``as_of`` (as business dates, see ``utc_offset``)
    count; the feature catalogue is on the documentation page *Features*. The work runs in
    blocks of customers (and of vehicles), side by side on ``threads`` threads; the result
    does not depend on the number of threads.

    Args:
        data: the customer base.
        as_of: the day to describe.
        window: the trailing window of ``spend_window_*``.
        utc_offset: the offset from UTC of the dealers' business dates.
        default_km_per_day: the last fallback of ``km_per_day``.
        max_km_per_day: readings implying more are odometer anomalies; a fitted rate above
            it falls back.
        min_model_vehicles: vehicles with readings a model needs for its median to be used.
        model_km_per_day: model → km/day to use as the model fallback instead of the
            medians of ``data`` (how :func:`profile` passes the population's medians).
        threads: how many threads to use; by default one per CPU.

    Returns:
        The customer features, with the vehicle features as ``.vehicles``.

    Raises:
        InvalidValue: for a parameter out of range.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> feats = compute(synthetic.columns(200, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> int(feats["visits"].sum()) > 0, bool(feats.vehicles["km_per_day"].min() > 0)
        (True, True)
    """
    if min_model_vehicles < 1:
        msg = f"min_model_vehicles is {min_model_vehicles}, must be >= 1"
        raise InvalidValue(msg, code="min_model_vehicles")
    if max_km_per_day <= 0 or default_km_per_day < 0:
        msg = f"max_km_per_day ({max_km_per_day}) must be > 0 and default_km_per_day ({default_km_per_day}) >= 0"
        raise InvalidValue(msg, code="km_per_day")
    tables = data if isinstance(data, Tables) else Tables.from_book(data)
    workers = max(1, threads if threads is not None else (os.cpu_count() or 1))
    offset_us = int(utc_offset / timedelta(microseconds=1))
    as_of_day = _day_number(as_of)
    opened = tables.orders["opened_at"].view(np.int64)
    counted = (opened + offset_us) // _US_PER_DAY <= as_of_day
    keys = {k: tables.orders[k] for k in ("customer", "vehicle")} | {"time": opened}
    if not counted.all():
        keys = {k: v[counted] for k, v in keys.items()}
    with ThreadPoolExecutor(max_workers=2 if workers > 1 else 1) as side:
        # Orders are put in (customer, time) and (vehicle, time) order on the side while
        # their lines are summed.
        by_customer = side.submit(_grouping, keys["customer"], keys["time"])
        by_vehicle = side.submit(_grouping, keys["vehicle"], keys["time"])
        orders = _order_facts(tables, counted, offset_us, as_of_day, workers)
        vehicles = side.submit(
            _vehicle_features,
            tables,
            orders,
            by_vehicle.result(),
            as_of,
            default_km_per_day=default_km_per_day,
            max_km_per_day=max_km_per_day,
            min_model_vehicles=min_model_vehicles,
            model_km_per_day=model_km_per_day,
            threads=workers,
        )
        columns = _customer_features(tables, orders, by_customer.result(), as_of, window, workers)
    return FeatureTable(
        "customer_id",
        tables.customers["id"],
        columns,
        as_of,
        tables.currency,
        categories={"sector": CompassSector, "gender": Gender},
        vehicles=vehicles.result(),
    )


# -- orders -------------------------------------------------------------------------------


def _order_facts(
    tables: Tables,
    counted: NDArray[np.bool_],
    offset_us: int,
    as_of_day: int,
    threads: int,
) -> dict[str, NDArray[Any]]:
    """Per counted order: its lines summed, its service and pay bits, flags, business date."""
    o, ln = tables.orders, tables.lines
    order_of_line = ln["order"]
    line = {k: ln[k] for k in ("labour_fen", "parts_fen", "pay", "kind")}
    if len(order_of_line) > 1 and (order_of_line[1:] < order_of_line[:-1]).any():
        by_order = np.argsort(order_of_line, kind="stable")
        line = {k: v[by_order] for k, v in line.items()}
    by_line = Segments.of(order_of_line, len(o))

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        segments = by_line.part(first, stop)
        lo = int(by_line.starts[first]) if first < len(o) else 0
        part = {k: v[lo : lo + int(segments.counts.sum())] for k, v in line.items()}
        amount = part["labour_fen"] + part["parts_fen"]
        customer_pay = part["pay"] == _CUSTOMER_PAY
        bits = _LINE_BITS[part["kind"] * np.int8(len(_PAYS)) + part["pay"]]
        order_bits = np.zeros(stop - first, dtype=np.int32)
        if len(segments.filled_groups):
            order_bits[segments.filled_groups] = np.bitwise_or.reduceat(
                bits, segments.filled_starts
            )
        opened = o["opened_at"][first:stop].view(np.int64)
        closed_raw = o["closed_at"][first:stop].view(np.int64)
        promised_raw = o["promised_at"][first:stop].view(np.int64)
        closed = _business_days(o["closed_at"][first:stop], offset_us)
        delivered = (closed != _NAT) & (closed <= as_of_day) & (promised_raw != _NAT)
        flags = (
            (delivered.astype(np.int32) << _PROMISED_BIT)
            | ((delivered & (closed_raw <= promised_raw)).astype(np.int32) << _ON_TIME_BIT)
            | ((o["comeback"][first:stop] >= 0).astype(np.int32) << _COMEBACK_BIT)
            | (o["by_appointment"][first:stop].astype(np.int32) << _APPOINTMENT_BIT)
        )
        return {
            "day": (opened + offset_us) // _US_PER_DAY,
            "amount": segments.sum(amount),
            "customer_pay": segments.sum(np.where(customer_pay, amount, 0)),
            "lines": (segments.counts << _LINE_COUNT_SHIFT) | segments.count(customer_pay),
            "bits": order_bits | flags,
        }

    facts = run_blocks(
        block, Segments.from_counts(np.ones(len(o), dtype=np.int64)).blocks(), threads
    )
    facts |= {k: o[k] for k in ("customer", "vehicle", "dealer", "mileage")}
    facts["time"] = o["opened_at"].view(np.int64)
    if not counted.all():
        facts = {k: v[counted] for k, v in facts.items()}
    return facts


def _grouping(group: NDArray[np.int64], time: NDArray[np.int64]) -> NDArray[np.intp] | None:
    """:func:`group_order`, or None when the rows are in (group, time) order already."""
    if len(group) > 1 and (
        (group[1:] < group[:-1]).any() or ((group[1:] == group[:-1]) & (time[1:] < time[:-1])).any()
    ):
        return group_order(group, time)
    return None


def _rows(perm: NDArray[np.intp] | None, lo: int, hi: int) -> NDArray[np.intp] | slice:
    """Rows ``lo:hi`` of the grouped order: positions, or a slice when already grouped."""
    return slice(lo, hi) if perm is None else perm[lo:hi]


# -- customers ----------------------------------------------------------------------------


def _customer_features(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    perm: NDArray[np.intp] | None,
    as_of: date,
    window: relativedelta,
    threads: int,
) -> dict[str, NDArray[Any]]:
    n = len(tables.customers)
    as_of_day = _day_number(as_of)
    window_start = _day_number(as_of - window)
    everyone = Segments.of(orders["customer"], n)
    fallback = _selling_dealer(tables, as_of_day, without=everyone.counts == 0)
    wanted = ("day", "amount", "customer_pay", "lines", "bits")

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        seg = everyone.part(first, stop)
        lo = int(everyone.starts[first]) if first < n else 0
        rows = _rows(perm, lo, lo + int(seg.counts.sum()))
        o = {k: orders[k][rows] for k in wanted}
        out = _customer_block(seg, o, as_of_day, window_start)
        last = out.pop("last_row")
        dealer = fallback[first:stop].copy()
        seen = np.flatnonzero(last >= 0)
        original = lo + last[seen] if isinstance(rows, slice) else rows[last[seen]]
        dealer[seen] = orders["dealer"][original]
        out["dealer"] = dealer
        out |= _where_they_live(tables, dealer, first, stop)
        out["age_years"] = completed_years(tables.customers["birthday"][first:stop], as_of)
        return out

    out = run_blocks(block, everyone.blocks(), threads)
    out["gender"] = tables.customers["gender"]
    out["hobbies"] = tables.customers["hobbies"]
    out["vehicles_owned"], out["first_purchase"] = _ownership_facts(tables, as_of_day)
    return out


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
    current = started & ((end == _NAT) | (end > as_of_day))
    owned = np.bincount(w["customer"][current], minlength=n).astype(np.int64)
    bought = tables.vehicles["purchase_date"].view(np.int64)[w["vehicle"]]
    known = started & (bought != _NAT)
    first = np.full(n, _NEVER, dtype=np.int64)
    np.minimum.at(first, w["customer"][known], bought[known])
    first[first == _NEVER] = _NAT
    return owned, _dates(first)


def _customer_block(
    seg: Segments, o: Mapping[str, NDArray[Any]], as_of_day: int, window_start: int
) -> dict[str, NDArray[Any]]:
    """The order-based features of a block of customers whose orders are in (customer, time) order."""
    n = len(seg.counts)
    g, d = seg.group_of_rows(), o["day"]
    out: dict[str, NDArray[Any]] = {}

    first = seg.first(d, _NAT)
    last = seg.last(d, _NAT)
    new_day = np.ones(len(d), dtype=bool)
    new_day[1:] = (g[1:] != g[:-1]) | (d[1:] != d[:-1])
    counts = seg.count_bits(o["bits"] | (new_day.astype(np.int32) << _NEW_DAY_BIT), _N_BITS)
    visit_days = counts[:, _NEW_DAY_BIT]
    out["visits"] = seg.counts
    out["visit_days"] = visit_days
    out["first_visit"] = _dates(first)
    out["last_visit"] = _dates(last)
    out["recency_days"] = _days_between(as_of_day, last)
    out["tenure_days"] = _days_between(as_of_day, first)
    out["span_days"] = _days_between(last, first)
    out["frequency"] = np.maximum(visit_days - 1, 0)
    for j, kind in enumerate(_KINDS):
        out[f"visits_{kind.value}"] = counts[:, j]
    for j, pay in enumerate(_PAYS):
        out[f"visits_{pay.value}_pay"] = counts[:, _PAY_SHIFT + j]

    in_window = d > window_start
    spend = seg.sum(o["amount"])
    customer_pay = seg.sum(o["customer_pay"])
    both = seg.sum(o["lines"])
    lines, customer_pay_lines = both >> _LINE_COUNT_SHIFT, both & ((1 << _LINE_COUNT_SHIFT) - 1)
    out["lines"] = lines
    out["spend_fen"] = spend
    out["spend_customer_pay_fen"] = customer_pay
    out["spend_window_fen"] = seg.sum(np.where(in_window, o["amount"], 0))
    out["spend_window_customer_pay_fen"] = seg.sum(np.where(in_window, o["customer_pay"], 0))
    out["avg_visit_spend_fen"] = _half_up(spend, seg.counts)
    out["avg_line_spend_fen"] = _half_up(spend, lines)
    out["avg_visit_spend_customer_pay_fen"] = _half_up(
        customer_pay, out[f"visits_{PayType.CUSTOMER.value}_pay"]
    )
    out["avg_line_spend_customer_pay_fen"] = _half_up(customer_pay, customer_pay_lines)

    distinct = np.flatnonzero(new_day)
    dg, dd = g[distinct], d[distinct]
    same = dg[1:] == dg[:-1]
    gaps = (dd[1:] - dd[:-1])[same]
    out["interval_mean_days"] = np.where(
        visit_days > 1, out["span_days"] / np.maximum(visit_days - 1, 1), np.nan
    )
    out["interval_median_days"] = Segments.of(dg[1:][same], n).median(gaps)

    fm_row = seg.first_where((o["bits"] & _FIRST_MAINTENANCE_BIT) != 0)
    fm_day = _at(d, fm_row)
    after = (fm_day[g] != _NAT) & (d > fm_day[g]) & ((o["bits"] & _ROUTINE_BITS) != 0)
    back_row = seg.first_where(after)
    out["first_maintenance"] = _dates(fm_day)
    out["returned_after_first_maintenance"] = back_row >= 0
    out["return_date"] = _dates(_at(d, back_row))

    out["on_time_rate"] = _ratio(counts[:, _ON_TIME_BIT], counts[:, _PROMISED_BIT])
    out["comebacks"] = counts[:, _COMEBACK_BIT]
    out["appointment_share"] = _ratio(counts[:, _APPOINTMENT_BIT], seg.counts)
    out["last_row"] = seg.last(np.arange(len(d)), -1)
    return out


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


# -- vehicles -----------------------------------------------------------------------------


def _vehicle_features(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    perm: NDArray[np.intp] | None,
    as_of: date,
    *,
    default_km_per_day: float,
    max_km_per_day: float,
    min_model_vehicles: int,
    model_km_per_day: Mapping[str, float] | None,
    threads: int,
) -> FeatureTable:
    v = tables.vehicles
    n = len(v)
    as_of_day = _day_number(as_of)
    everyone = Segments.of(orders["vehicle"], n)

    def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
        seg = everyone.part(first, stop)
        lo = int(everyone.starts[first]) if first < n else 0
        rows = _rows(perm, lo, lo + int(seg.counts.sum()))
        return _vehicle_block(seg, orders["day"][rows], orders["mileage"][rows], max_km_per_day)

    out = run_blocks(block, everyone.blocks(), threads)
    rate, confidence = out.pop("rate"), out.pop("confidence")
    # Readings that go backwards or jump are not trusted for the rate.
    fitted = (
        ~np.isnan(rate) & (rate >= 0) & (rate <= max_km_per_day) & (out["odometer_anomalies"] == 0)
    )
    model = v["model"]
    medians = _model_medians(tables, model, rate, fitted, min_model_vehicles, model_km_per_day)
    model_rate = (
        np.where(model >= 0, medians[np.maximum(model, 0)], np.nan)
        if len(medians)
        else np.full(n, np.nan)
    )
    by_model = ~fitted & ~np.isnan(model_rate)
    km_per_day = np.where(fitted, rate, np.where(by_model, model_rate, default_km_per_day))
    out["km_per_day"] = km_per_day
    out["km_per_day_method"] = np.where(fitted, 0, np.where(by_model, 1, 2)).astype(np.int8)
    out["km_per_day_confidence"] = np.where(fitted, confidence, 0.0)
    last = out["last_visit"].view(np.int64)
    purchase = v["purchase_date"].view(np.int64)
    seen = last != _NAT
    elapsed = _days_between(as_of_day, np.where(seen, last, purchase))
    elapsed[elapsed < 0] = np.nan
    out["mileage_at_as_of"] = np.where(seen, out["last_mileage"], 0.0) + km_per_day * elapsed
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
        categories={"km_per_day_method": MileageMethod, "body_type": BodyType, "fuel": FuelType},
    )


def _vehicle_block(
    seg: Segments, d: NDArray[np.int64], mileage: NDArray[np.int64], max_km_per_day: float
) -> dict[str, NDArray[Any]]:
    """Visits, the fitted km/day and odometer anomalies of a block of vehicles."""
    g = seg.group_of_rows()
    m = mileage.astype(np.float64)
    first, last = seg.first(d, _NAT), seg.last(d, _NAT)
    same = g[1:] == g[:-1]
    climb = m[1:] - m[:-1]
    elapsed = np.maximum(d[1:] - d[:-1], 1)
    odd = np.zeros(len(g), dtype=bool)
    odd[1:] = same & ((climb < 0) | (climb > max_km_per_day * elapsed))
    rate, confidence = _fitted_rate(seg, g, d, m, first)
    return {
        "visits": seg.counts,
        "first_visit": _dates(first),
        "last_visit": _dates(last),
        "rate": rate,
        "confidence": confidence,
        "odometer_anomalies": seg.count(odd),
        "last_mileage": seg.last(m, np.nan),
    }


def _fitted_rate(
    seg: Segments,
    g: NDArray[np.int64],
    d: NDArray[np.int64],
    m: NDArray[np.float64],
    first: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Least-squares km/day per vehicle and its confidence (NaN rate without two days).

    Confidence is the fit's R² times the share of a year the readings span (at most 1).
    """
    n = len(seg.counts)
    if not len(g):
        return np.full(n, np.nan), np.zeros(n)
    t = (d - first[g]).astype(np.float64)
    y = m - seg.first(m, np.nan)[g]
    k = seg.counts.astype(np.float64)
    st, sy = seg.sum(t), seg.sum(y)
    stt, sty, syy = seg.sum(t * t), seg.sum(t * y), seg.sum(y * y)
    var_t = k * stt - st * st
    cov = k * sty - st * sy
    var_y = k * syy - sy * sy
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(var_t > 0, cov / var_t, np.nan)
        r2 = np.where(var_y > 0, cov * cov / (var_t * var_y), 1.0)
    span = seg.last(d, 0) - seg.first(d, 0)
    confidence = np.clip(r2, 0.0, 1.0) * np.minimum(span / _DAYS_PER_YEAR, 1.0)
    return rate, confidence


def _model_medians(
    tables: Tables,
    model: NDArray[np.int32],
    rate: NDArray[np.float64],
    fitted: NDArray[np.bool_],
    min_vehicles: int,
    given: Mapping[str, float] | None,
) -> NDArray[np.float64]:
    """The km/day of each model label: given, or the median of its fitted vehicles."""
    names = tables.vehicles.labels["model"]
    if given is not None:
        return np.array([given.get(name, np.nan) for name in names], dtype=np.float64)
    medians = np.full(len(names), np.nan)
    use = fitted & (model >= 0)
    codes = model[use]
    order = np.argsort(codes, kind="stable")
    seg = Segments.of(codes[order].astype(np.int64), len(names))
    values = rate[use][order]
    for code in np.flatnonzero(seg.counts >= min_vehicles).tolist():
        start = seg.starts[code]
        medians[code] = np.median(values[start : start + seg.counts[code]])
    return medians


def model_rates(tables: Tables, *, as_of: date, **params: Any) -> dict[str, float]:
    """The median km/day of each model with enough fitted vehicles, as :func:`compute` uses it.

    Pass it as ``model_km_per_day`` when computing a slice of ``tables``, so the slice falls
    back to the medians of the whole base (this is what :func:`profile` does).

    Args:
        tables: the customer base.
        as_of: the day to describe.
        **params: the keyword parameters of :func:`compute`.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> rates = model_rates(synthetic.columns(300, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> len(rates) > 0, all(0 <= r <= MAX_KM_PER_DAY for r in rates.values())
        (True, True)
    """
    params.pop("model_km_per_day", None)
    vehicles = compute(tables, as_of=as_of, **params).vehicles
    assert vehicles is not None
    fitted = vehicles["km_per_day_method"] == list(MileageMethod).index(MileageMethod.READINGS)
    medians = _model_medians(
        tables,
        tables.vehicles["model"],
        vehicles["km_per_day"],
        fitted,
        params.get("min_model_vehicles", MIN_MODEL_VEHICLES),
        None,
    )
    names = tables.vehicles.labels["model"]
    return {names[i]: float(medians[i]) for i in np.flatnonzero(~np.isnan(medians)).tolist()}


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
    current = np.flatnonzero(started & ((end == _NAT) | (end > as_of_day)))
    owner[w["vehicle"][current]] = w["customer"][current]
    since[w["vehicle"][current]] = w["start"][current]
    return owner, np.bincount(w["vehicle"][started], minlength=n).astype(np.int64), since


# -- one customer -------------------------------------------------------------------------


def profile(data: Tables | Book, customer_id: str, *, as_of: date, **params: Any) -> FeatureTable:
    """One customer's features, computed by the same kernels on a slice of the base.

    The slice holds the customer, every vehicle they owned or brought in, every order of
    those vehicles (earlier owners' readings count for km/day) and what those orders
    point to. The model medians of km/day come from the whole base, so the result equals
    the customer's row of :func:`compute` on the whole base.

    Args:
        data: the customer base.
        customer_id: whose features.
        as_of: the day to describe.
        **params: the keyword parameters of :func:`compute`.

    Returns:
        A one-row FeatureTable; ``.vehicles`` holds the customer's vehicles.

    Raises:
        KeyError: no customer has that id.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(30, seed=4)
        >>> one = profile(book, "C0000007", as_of=date(2026, 6, 30))
        >>> whole = compute(book, as_of=date(2026, 6, 30))
        >>> one.row("C0000007") == whole.row("C0000007")
        True
    """
    tables = data if isinstance(data, Tables) else Tables.from_book(data)
    where = np.flatnonzero(tables.customers["id"] == customer_id)
    if not len(where):
        raise KeyError(customer_id)
    if "model_km_per_day" not in params:
        params["model_km_per_day"] = model_rates(tables, as_of=as_of, **params)
    part, row, vehicle_rows = _slice(tables, int(where[0]))
    one = compute(part, as_of=as_of, **params).take(np.array([row]))
    assert one.vehicles is not None
    return attrs.evolve(one, vehicles=one.vehicles.take(vehicle_rows))


def _slice(tables: Tables, customer: int) -> tuple[Tables, int, NDArray[np.intp]]:
    """The part of ``tables`` one customer's features depend on, with references remapped."""
    o, w = tables.orders, tables.ownerships
    mine = np.zeros(len(tables.vehicles), dtype=bool)
    mine[o["vehicle"][o["customer"] == customer]] = True
    mine[w["vehicle"][w["customer"] == customer]] = True
    keep_orders = mine[o["vehicle"]]
    while True:  # comebacks may point to orders of other vehicles: follow them
        targets = o["comeback"][keep_orders]
        targets = targets[targets >= 0]
        missing = targets[~keep_orders[targets]]
        if not len(missing):
            break
        keep_orders[missing] = True
    keep_vehicles = mine.copy()
    keep_vehicles[o["vehicle"][keep_orders]] = True
    keep_ownerships = keep_vehicles[w["vehicle"]] | (w["customer"] == customer)
    keep_vehicles[w["vehicle"][keep_ownerships]] = True
    keep_customers = np.zeros(len(tables.customers), dtype=bool)
    keep_customers[customer] = True
    keep_customers[o["customer"][keep_orders]] = True
    keep_customers[w["customer"][keep_ownerships]] = True
    keep = {
        "dealers": np.ones(len(tables.dealers), dtype=bool),
        "customers": keep_customers,
        "consents": keep_customers[tables.consents["customer"]],
        "vehicles": keep_vehicles,
        "ownerships": keep_ownerships,
        "orders": keep_orders,
        "lines": keep_orders[tables.lines["order"]],
    }
    part = _subset(tables, keep)
    new_row = np.cumsum(keep_customers) - 1
    vehicle_rows = (np.cumsum(keep_vehicles) - 1)[mine]
    return part, int(new_row[customer]), vehicle_rows


def _subset(tables: Tables, keep: Mapping[str, NDArray[np.bool_]]) -> Tables:
    from aftersales_crm.tables import Table

    remap = {name: np.cumsum(mask) - 1 for name, mask in keep.items()}
    parts: dict[str, Table] = {}
    for table in tables:
        if table.name not in keep:
            continue  # a table features do not read stays empty
        rows = np.flatnonzero(keep[table.name])
        columns = {}
        for column in table.schema.columns:
            values = table[column.name][rows]
            if column.target is not None:
                values = np.where(values >= 0, remap[column.target][values], -1)
            columns[column.name] = values
        parts[table.name] = Table(table.schema, columns, table.labels)
    return Tables(tables.currency, **parts)
