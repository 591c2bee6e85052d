"""The club activities customers attended: the ``activities`` table, drawn as columns.

Attendance is the generator's choice, documented next to its numbers in ``._world``:
each customer has a propensity to attend, drawn from a gamma distribution with mean 1 and
a small shape, so that most customers never come and a few come often; a customer who
visits the workshop more in the activity window is invited and comes more often. A
customer attends only while a member, from their first purchase, and never on or after
``as_of``'s day; nobody attends more activities than the club holds.

The draw reads its own random stream, so the other tables of a seed are the same with or
without it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._draws import Columns, nones
from aftersales_crm.synthetic._identifiers import digits

__all__ = ["draw_activities"]

_US_PER_DAY = 86_400_000_000


def draw_activities(
    rng: np.random.Generator,
    customer_ids: NDArray[np.str_],
    ownerships: Columns,
    orders: Columns,
    end: np.int64,
) -> tuple[Columns, dict[str, tuple[str, ...]]]:
    """The activities table: who attended a club activity on which day, one row each.

    Args:
        rng: the activities' own random stream.
        customer_ids: str array of shape (n_customers,), the customers' ids.
        ownerships: the ownerships table's columns (the first purchase makes a member).
        orders: the orders table's columns (visits in the window raise attendance).
        end: ``as_of`` as a day number since 1970.

    Returns:
        The columns of the activities table, rows in (customer, day) order, and the
        labels of its ``activity_id`` column: one activity id per month, ``EV`` and the
        year and month, from the first month of the window to the last.
    """
    n = len(customer_ids)
    first_ago, last_ago = w.ACTIVITY_DAYS_AGO  # days before as_of, the last one excluded
    window_start, window_end = end - (last_ago - 1), end - first_ago
    member_since = np.full(n, end + 1, dtype=np.int64)
    np.minimum.at(member_since, ownerships["customer"], ownerships["start"].astype(np.int64))
    start = np.maximum(member_since, window_start)
    days = np.maximum(window_end - start + 1, 0)  # the days each customer could attend
    visit_day = orders["opened_at"].view(np.int64) // _US_PER_DAY  # the day in UTC
    in_window = (visit_day >= window_start) & (visit_day <= window_end)
    visits = np.bincount(orders["customer"][in_window], minlength=n)
    shape = w.ACTIVITY_PROPENSITY_SHAPE
    propensity = rng.gamma(shape, 1 / shape, n)
    expected = (w.ACTIVITY_BASE + w.ACTIVITY_PER_VISIT * visits) * days / (last_ago - first_ago)
    held = np.ceil(w.ACTIVITIES_PER_YEAR * days / 365.25).astype(np.int64)
    count = np.minimum(rng.poisson(propensity * expected), held)
    customer = np.repeat(np.arange(n, dtype=np.int64), count)
    day = start[customer] + np.floor(rng.random(len(customer)) * days[customer]).astype(np.int64)
    order = np.lexsort((day, customer))
    customer, day = customer[order], day[order]
    # The k-th activity of a customer, from 0: the row less the customer's first row.
    k = np.arange(len(customer)) - np.repeat(np.cumsum(count) - count, count)
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first_month = np.datetime64(int(window_start), "D").astype("datetime64[M]").astype(np.int64)
    last_month = np.datetime64(int(window_end), "D").astype("datetime64[M]").astype(np.int64)
    months = np.arange(first_month, last_month + 1)
    years, month_of_year = np.divmod(months, 12)
    labels = tuple(digits((years + 1970) * 100 + month_of_year + 1, 6, "EV").tolist())
    columns: dict[str, NDArray[Any]] = {
        "id": _attendance_ids(customer_ids[customer], k),
        "activity_id": (month - first_month).astype(np.int32),
        "customer": customer,
        "on": day.astype("datetime64[D]"),
        "feedback": nones(len(customer)),
    }
    return columns, {"activity_id": labels}


def _attendance_ids(customer_ids: NDArray[np.str_], k: NDArray[np.int64]) -> NDArray[np.str_]:
    """``A``, the customer's id, ``-`` and the attendance's number for that customer."""
    numbered = np.char.add(np.char.add("A", customer_ids), "-")
    ids = np.char.add(numbered, k.astype(np.str_))
    # As narrow as the longest id, as the tables' ingest makes an id column.
    longest = int(np.char.str_len(ids).max(initial=1))
    return ids.astype(f"U{longest}")
