"""Measures the material names: first-time fix, parts replaced, mileage bands, brand.

The customer and vehicle kernels add these columns with one call each
(``customer_quality``, ``vehicle_quality``); [`dealer_features`][aftersales_crm.features.dealer_features] gives the
first-time-fix rate per dealer from the same per-order rule (``fix_outcomes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta, tzinfo
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features._calendar import DEFAULT_TIME_ZONE, day_number
from aftersales_crm.features._inputs import as_tables, threads_of
from aftersales_crm.features._kernels import wants
from aftersales_crm.features._orders import (
    order_days,
    order_facts,
    promise_outcomes,
    repair_job_orders,
)
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from aftersales_crm.values import Material, Quote

__all__ = [
    "CUSTOMER_QUALITY_COLUMNS",
    "FIRST_TIME_FIX",
    "FIRST_TIME_FIX_WINDOW",
    "MILEAGE_BAND_EDGES_KM",
    "MILEAGE_CLASS",
    "VEHICLE_FIX_COLUMNS",
    "customer_quality",
    "dealer_features",
    "fix_outcomes",
    "mileage_band_edges",
    "rate",
    "vehicle_quality",
]

FIRST_TIME_FIX: Final = Quote(
    Material.CSI_COURSE,
    "高质量的维修服务(一次修复率)",
    "high-quality repair service (the first-time-fix rate)",
)
"""Where the first-time-fix rate comes from: the material names it, without a formula.

Examples:
    >>> print(FIRST_TIME_FIX)
    《客户关系与CSI培训课程(原件无标题)》: “高质量的维修服务(一次修复率)”
"""

FIRST_TIME_FIX_WINDOW: Final = timedelta(days=30)
"""A repair job is fixed first time when no comeback to it opens within 30 days.

The material names the measure but not its window. Published field-service definitions
count a job as fixed first time when no return visit for the same fault follows within a
window the business sets, commonly 7, 30 or 90 days (the first-time-fix-rate glossaries of
tractian.com and freshdesk.com). The library's choice is 30 days: a comeback for the same
fault shows within weeks, while a return months later is as likely a new fault.

Examples:
    >>> FIRST_TIME_FIX_WINDOW.days
    30
"""

MILEAGE_CLASS: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "行使里程分类/完成该里程的时间间隔",
    "mileage class / the time taken to complete that mileage",
)
"""Where mileage bands come from: dynamic customer data to keep (变动的信息). The material
writes 行使 for 行驶 (driven) and gives no band edges.

Examples:
    >>> MILEAGE_CLASS.source.citation
    '《信息回访员基础培训分析报告》'
"""

MILEAGE_BAND_EDGES_KM: Final = (10_000, 30_000, 60_000, 100_000)
"""The lower edges of the mileage bands but the first (which starts at 0 km).

The material gives no edges; these are the library's choice, at the milestones of a car's
after-sales life in China: 10,000 km is past the first maintenance and the first regular
services; 30,000 km is two years at the features' default of 15,000 km a year
([`DEFAULT_KM_PER_DAY`][aftersales_crm.features.DEFAULT_KM_PER_DAY]); 60,000 km is where the minimum
warranty of the PRC's rules for household cars ends (家用汽车产品修理、更换、退货责任规定,
2013, revised 2021: 包修期 at least 3 years or 60,000 km); from 100,000 km the large wear
parts come due.

Examples:
    >>> [f"{edge:,}" for edge in MILEAGE_BAND_EDGES_KM]
    ['10,000', '30,000', '60,000', '100,000']
"""


def mileage_band_edges(edges: tuple[int, ...]) -> NDArray[np.float64]:
    """The lower edge of every band, 0 km first: ``(0, *edges)`` as floats."""
    return np.asarray((0, *edges), dtype=np.float64)


def fix_outcomes(
    orders: Mapping[str, NDArray[Any]], as_of_day: int, window_days: int
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Per counted order: whether it is a settled repair job, and whether it was fixed first time.

    A repair job is an order with a line of [`REPAIR_KINDS`][aftersales_crm.records.REPAIR_KINDS]
    that is not itself a comeback (it is the first attempt at a fault). It is settled when
    its window has passed by ``as_of`` (opened at least ``window_days`` days before): a
    younger job may still see its comeback, so it is not counted yet. A settled job is
    fixed first time when no order with ``comeback_of`` pointing to it opened within
    ``window_days`` days of it (business dates).

    Args:
        orders: the counted order facts of ``order_facts``.
        as_of_day: ``as_of`` as a day number.
        window_days: the window in days.

    Returns:
        Two bool arrays aligned with ``orders``: settled repair jobs, and those fixed first
        time.
    """
    day = orders["day"]
    comeback = orders["comeback"]
    job = repair_job_orders(orders["bits"]) & (comeback < 0) & (day + window_days <= as_of_day)
    # Each counted comeback finds the counted order it comes back to (rows ascend).
    back = np.flatnonzero(comeback >= 0)
    rows = orders["row"]
    where = np.minimum(np.searchsorted(rows, comeback[back]), max(len(rows) - 1, 0))
    found = rows[where] == comeback[back] if len(rows) else np.zeros(0, dtype=bool)
    soon = found & (day[back] - day[where] <= window_days)
    failed = np.zeros(len(day), dtype=bool)
    failed[where[soon]] = True
    return job, job & ~failed


def rate(part: NDArray[np.int64], whole: NDArray[np.int64]) -> NDArray[np.float64]:
    """``part / whole``, NaN where ``whole`` is 0: the one rule of the rates features report."""
    rate: NDArray[np.float64] = np.divide(
        part, whole, out=np.full(len(whole), np.nan), where=whole > 0
    )
    return rate


def _fix_columns(
    orders: Mapping[str, NDArray[Any]], key: str, n: int, as_of_day: int
) -> dict[str, NDArray[Any]]:
    """``repair_jobs``, ``fixed_first_time`` and ``first_time_fix_rate`` per ``key`` row."""
    job, fixed = fix_outcomes(orders, as_of_day, FIRST_TIME_FIX_WINDOW.days)
    group = orders[key]
    jobs = np.bincount(group[job], minlength=n).astype(np.int64)
    first_time = np.bincount(group[fixed], minlength=n).astype(np.int64)
    return {
        "repair_jobs": jobs,
        "fixed_first_time": first_time,
        "first_time_fix_rate": rate(first_time, jobs),
    }


def _parts(group: NDArray[np.int64], parts: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, group, parts)
    return out


CUSTOMER_QUALITY_COLUMNS: Final = frozenset(
    {
        "repair_jobs",
        "fixed_first_time",
        "first_time_fix_rate",
        "parts_replaced",
        "parts_replaced_window",
    }
)
"""The columns of ``customer_quality``."""


def customer_quality(
    orders: Mapping[str, NDArray[Any]], n: int, as_of_day: int, window_start: int
) -> dict[str, NDArray[Any]]:
    """The customer columns: first-time fix, and the parts replaced in total and in the window."""
    recent = orders["day"] > window_start
    customer, parts = orders["customer"], orders["parts"]
    return {
        **_fix_columns(orders, "customer", n, as_of_day),
        "parts_replaced": _parts(customer, parts, n),
        "parts_replaced_window": _parts(customer[recent], parts[recent], n),
    }


VEHICLE_FIX_COLUMNS: Final = frozenset({"repair_jobs", "fixed_first_time", "first_time_fix_rate"})
"""The vehicle columns of the first-time-fix kernel."""


def vehicle_quality(
    tables: Tables,
    orders: Mapping[str, NDArray[Any]],
    vehicles: Mapping[str, NDArray[Any]],
    as_of_day: int,
    wanted: frozenset[str] | None = None,
) -> dict[str, NDArray[Any]]:
    """The vehicle columns: first-time fix, parts replaced, brand and mileage band.

    ``vehicles`` holds the vehicle columns computed so far (``mileage_at_as_of`` and
    ``km_per_day`` among them). The first-time fix and ``parts_replaced`` (read from
    ``orders["parts"]``) come only when ``wanted`` (None: every column); the rest are cheap.
    """
    n = len(tables.vehicles)
    mileage = vehicles["mileage_at_as_of"]
    lower = mileage_band_edges(MILEAGE_BAND_EDGES_KM)
    band = np.searchsorted(lower, mileage, side="right") - 1
    known = ~np.isnan(mileage) & (band >= 0)
    edge = np.where(known, lower[np.maximum(band, 0)], np.nan)
    km_per_day = vehicles["km_per_day"]
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.where(edge == 0, 0.0, edge / np.where(km_per_day > 0, km_per_day, np.nan))
    out: dict[str, NDArray[Any]] = {}
    if wants(wanted, VEHICLE_FIX_COLUMNS):
        out |= _fix_columns(orders, "vehicle", n, as_of_day)
    if wants(wanted, frozenset({"parts_replaced"})):
        out["parts_replaced"] = _parts(orders["vehicle"], orders["parts"], n)
    return out | {
        "brand": tables.vehicles.label_texts("brand"),
        "mileage_band_km": np.where(known, edge, -1).astype(np.int64),
        "days_to_mileage_band": days,
    }


def _window_days(window: object) -> int:
    """``window`` checked: a timedelta of whole days, at least one."""
    if isinstance(window, timedelta) and window.days >= 1 and window == timedelta(window.days):
        return window.days
    msg = f"window is {window!r}, expected a timedelta of whole days, at least one, such as timedelta(days=30)"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def dealer_features(
    data: Tables | Book,
    *,
    as_of: date | str,
    window: timedelta = FIRST_TIME_FIX_WINDOW,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    threads: int | None = None,
) -> FeatureTable:
    """Each dealer's first-time-fix rate, on-time delivery and workshop counts on ``as_of``.

    The rule is the customers' and vehicles' ([`FIRST_TIME_FIX`][aftersales_crm.features.FIRST_TIME_FIX],
    [`FIRST_TIME_FIX_WINDOW`][aftersales_crm.features.FIRST_TIME_FIX_WINDOW]): a repair job is an order with a repair line
    ([`REPAIR_KINDS`][aftersales_crm.records.REPAIR_KINDS]) that is not itself a comeback, counted
    once its window has passed by ``as_of``; it is fixed first time when no order marked
    as a comeback to it (``comeback_of``) opened within the window. A job counts for the
    dealer that opened it.

    Columns, one row per dealer in the order of ``tables.dealers`` (key ``dealer_id``):
    ``visits`` (orders opened by ``as_of``), ``comebacks`` (those marked as a comeback),
    ``repair_jobs``, ``fixed_first_time``, ``first_time_fix_rate`` (NaN without a job),
    ``promised`` (orders delivered by ``as_of`` with a promised time), ``on_time`` (those
    delivered by the promise, the rule of ``on_time``),
    ``on_time_rate`` (NaN without a promise) and ``parts_replaced``.

    Args:
        data: the customer base.
        as_of: the day to describe (a date or an ISO date string).
        window: the comeback window, whole days (default 30 days).
        time_zone: the IANA time zone of the dealers' business dates, or a tzinfo.
        threads: how many threads to use; by default one per CPU.

    Returns:
        The dealer features.

    Raises:
        InvalidValue: an argument of the wrong type or out of range, naming it.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> dealers = dealer_features(synthetic.tables(2_000, seed=1), as_of="2026-06-30")
        >>> dealers.key, len(dealers)
        ('dealer_id', 2)
        >>> bool((dealers["fixed_first_time"] <= dealers["repair_jobs"]).all())
        True
        >>> dealer_features(synthetic.tables(5, seed=1), as_of="2026-06-30", window=timedelta(hours=5))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: window is datetime.timedelta(seconds=18000), expected a timedelta of whole days, at least one, such as timedelta(days=30)
    """
    on = as_of_date(as_of)
    window_days = _window_days(window)
    workers = threads_of(threads)
    tables = as_tables(data)
    zone, day = order_days(tables, time_zone)
    as_of_day = day_number(on)
    counted = day <= as_of_day
    orders = order_facts(tables, day, counted, zone, as_of_day, workers)
    n = len(tables.dealers)
    job, fixed = fix_outcomes(orders, as_of_day, window_days)
    dealer = orders["dealer"]
    jobs = np.bincount(dealer[job], minlength=n).astype(np.int64)
    promised, kept = promise_outcomes(orders["bits"])
    promises = np.bincount(dealer[promised], minlength=n).astype(np.int64)
    on_time = np.bincount(dealer[kept], minlength=n).astype(np.int64)
    first_time = np.bincount(dealer[fixed], minlength=n).astype(np.int64)
    return FeatureTable(
        "dealer_id",
        tables.dealers["id"],
        {
            "visits": np.bincount(dealer, minlength=n).astype(np.int64),
            "comebacks": np.bincount(dealer[orders["comeback"] >= 0], minlength=n).astype(np.int64),
            "repair_jobs": jobs,
            "fixed_first_time": first_time,
            "first_time_fix_rate": rate(first_time, jobs),
            "promised": promises,
            "on_time": on_time,
            "on_time_rate": rate(on_time, promises),
            "parts_replaced": _parts(dealer, orders["parts"], n),
        },
        on,
        tables.currency,
    )
