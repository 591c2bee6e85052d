"""What the reminder rules share: the columns of a vehicle's tasks, and dating reminders.

The maintenance reminders, the renewals and the end of the warranty remind each vehicle's
owner of a deadline, counted from an anchor (the purchase, the last service) in whole
calendar months or estimated kilometres: these are their common pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._tasks import CHANNELS, Texts
from aftersales_crm.features import add_months
from aftersales_crm.values import ContactChannel

__all__ = [
    "KM_REACHED_READS",
    "NAT",
    "add_months_each",
    "days_after",
    "km_reached",
    "may_meet",
    "vehicle_tasks",
]

NAT: Final = np.datetime64("NaT", "D")
"""No day."""


def vehicle_tasks(
    inputs: CareInputs, rows: NDArray[np.intp], params: Mapping[str, Any]
) -> dict[str, Any]:
    """The columns every reminder of the vehicles at ``rows`` shares: owner, VIN, channel.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
        >>> sorted(vehicle_tasks(inputs, np.array([0]), {"channel": "phone", "priority": 50}))
        ['channel', 'customer', 'priority', 'source', 'source_table', 'vehicle']
    """
    vehicles = inputs.vehicles
    vins = Texts(rows.astype(np.int64), inputs.texts("vehicles", "vin"))
    return {
        "customer": Texts(vehicles["owner"][rows].astype(np.int64), inputs.customer_ids),
        "vehicle": vins,
        "channel": np.full(len(rows), CHANNELS.index(ContactChannel(params["channel"]))),
        "priority": np.full(len(rows), params["priority"]),
        "source": vins,
        "source_table": "vehicles",
    }


def days_after(days: NDArray[np.datetime64], n: int) -> NDArray[np.datetime64]:
    """``n`` days after each of ``days``, as ``datetime64[D]`` (NaT stays NaT).

    Examples:
        >>> days_after(np.array(["2026-02-27", "NaT"], dtype="datetime64[D]"), 2).tolist()
        [datetime.date(2026, 3, 1), None]
    """
    out: NDArray[np.datetime64] = (days + np.timedelta64(n, "D")).astype("datetime64[D]")
    return out


def add_months_each(
    days: NDArray[np.datetime64], months: NDArray[np.int64]
) -> NDArray[np.datetime64]:
    """``days`` plus a number of months per row (the rule of [`add_months`][aftersales_crm.features.add_months]).

    ``days`` and ``months`` broadcast together. Fast: the rows' days span a few thousand
    days and their months a few numbers, far fewer than the rows, so ``add_months``
    shifts each day of the span once per number of months and every row looks its own
    day up: one gather instead of a pass over the rows per number of months.

    Examples:
        >>> days = np.array(["2026-01-31", "2024-02-29"], dtype="datetime64[D]")
        >>> add_months_each(days, np.array([1, 12])).tolist()
        [datetime.date(2026, 2, 28), datetime.date(2025, 2, 28)]
    """
    days = np.asarray(days, dtype="datetime64[D]")
    months = np.asarray(months, dtype=np.int64)
    shape = np.broadcast_shapes(days.shape, months.shape)
    known = ~np.isnat(days)
    if not known.any() or not months.size:
        return np.full(shape, NAT)
    raw = days.view(np.int64)
    # NaT is int64's least: never the latest day, left out of the earliest.
    low = int(raw.min(where=known, initial=np.iinfo(np.int64).max))
    high = int(raw.max())
    steps = np.unique(months) if int(months.max()) - int(months.min()) > _STEPS else None
    fewest = int(months.min())
    lines = np.arange(fewest, int(months.max()) + 1) if steps is None else steps
    days_in_span = high - low + 1
    if days_in_span * len(lines) > max(int(np.prod(shape)), _TABLE_MIN):
        wide, by = np.broadcast_arrays(days, months)
        each = np.full(shape, NAT)
        for step in np.unique(by).tolist():  # days far apart: a pass per number of months
            rows = by == step
            each[rows] = add_months(wide[rows], int(step))
        return each
    # A line of the table per number of months, each the span's days shifted by it.
    span = np.arange(low, high + 1).astype("datetime64[D]")
    table = np.concatenate([add_months(span, int(step)) for step in lines.tolist()])
    line = months - fewest if steps is None else np.searchsorted(steps, months)
    out: NDArray[np.datetime64] = table[line * days_in_span + np.where(known, raw - low, 0)]
    if not known.all():
        out[np.broadcast_to(~known, shape)] = NAT
    return out


_STEPS: Final = 16
"""Numbers of months spread wider than this are found by sorting, not as a range."""


_TABLE_MIN: Final = 4096
"""The largest table of shifted days ``add_months_each`` makes whatever the number of rows."""


KM_REACHED_READS: Final = frozenset({"km_per_day", "last_mileage", "last_visit"})
"""The vehicle features ``km_reached`` reads."""


def km_reached(
    inputs: CareInputs,
    rows: NDArray[np.intp],
    since: NDArray[np.datetime64],
    km: NDArray[np.float64],
) -> NDArray[np.datetime64]:
    """The day each vehicle at ``rows`` is estimated to have driven ``km`` since ``since``.

    With the features' mileage model: ``ceil((km - reading) / km_per_day)`` days after the
    vehicle's latest odometer reading, or ``ceil(km / km_per_day)`` days after ``since``
    without one (a reading before ``since`` is not one: the distance counts from
    ``since``); NaT where ``km`` is NaN or the vehicle has no estimated km a day.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
        >>> rows = np.flatnonzero(inputs.vehicles["km_per_day"] > 0)[:1]
        >>> rate = float(inputs.vehicles["km_per_day"][rows[0]])
        >>> since = np.array(["2030-01-01"], dtype="datetime64[D]")  # after every reading
        >>> km_reached(inputs, rows, since, np.array([10 * rate])).tolist()  # 10 days' driving
        [datetime.date(2030, 1, 11)]
    """
    vehicles = inputs.vehicles
    rate = vehicles["km_per_day"][rows]
    reading = vehicles["last_mileage"][rows]
    read_on = vehicles["last_visit"][rows]
    read = ~np.isnan(reading) & ~np.isnat(read_on) & (read_on >= since)
    start = np.where(read, read_on, since)
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.ceil(np.maximum(km - np.where(read, reading, 0.0), 0.0) / rate)
    unknown = np.isnan(days) | ~(rate > 0)
    out: NDArray[np.datetime64] = np.where(
        unknown, NAT, start + np.where(unknown, 0, days).astype(np.int64)
    ).astype("datetime64[D]")
    return out


def may_meet(inputs: CareInputs, due: NDArray[np.datetime64], longest: int) -> NDArray[np.intp]:
    """The rows whose window, from ``due`` and at most ``longest`` days long, may meet the days.

    Those due from ``longest`` days before the first day to the last day: two comparisons
    of the due days read each row once, and [`meets`][aftersales_crm.care.CareInputs.meets]
    decides on the few rows near (NaT, the least int64, is never near).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(2, seed=1), start=date(2026, 7, 10))
        >>> due = np.array(["2026-07-01", "2026-07-05", "2026-07-11"], dtype="datetime64[D]")
        >>> may_meet(inputs, due, 5).tolist()
        [1]
    """
    raw = due.view(np.int64)
    first = (np.datetime64(inputs.start, "D") - np.timedelta64(longest, "D")).astype(np.int64)
    last = np.datetime64(inputs.end, "D").astype(np.int64)
    return np.flatnonzero((raw >= first) & (raw <= last))
