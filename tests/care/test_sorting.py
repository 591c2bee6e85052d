"""The planner's sorting kernels against their plain numpy meaning: ``sort_rows`` is
``np.lexsort``, the calls are the windows of one customer and channel that overlap."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.care import _planner
from aftersales_crm.care._agenda import OPEN, OVERDUE, renumber
from aftersales_crm.care._facts import sort_rows, sort_rows_and_ties
from aftersales_crm.care._tasks import CareTasks, Reason, TaskKind


@st.composite
def key_columns(draw: st.DrawFn) -> list[np.ndarray]:
    """One to four int64 keys of one length, of small or huge ranges (every path of sort_rows)."""
    n = draw(st.integers(min_value=0, max_value=60))
    keys = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        bound = draw(st.sampled_from([1, 2, 7, 1000, 1 << 20, 1 << 40, 1 << 62]))
        low = draw(st.integers(min_value=-bound, max_value=0))
        values = draw(st.lists(st.integers(low, low + bound), min_size=n, max_size=n))
        keys.append(np.array(values, dtype=np.int64))
    return keys


@given(keys=key_columns())
def test_sort_rows_is_lexsort_with_the_first_key_most_significant(keys: list[np.ndarray]) -> None:
    order = sort_rows(*keys)
    assert order.dtype == np.intp
    assert order.tolist() == np.lexsort(keys[::-1]).tolist()


@given(keys=key_columns())
def test_the_ties_are_the_rows_with_the_keys_of_the_row_before(keys: list[np.ndarray]) -> None:
    order, tie = sort_rows_and_ties(*keys)
    assert order.tolist() == np.lexsort(keys[::-1]).tolist()
    rows = list(zip(*(key[order].tolist() for key in keys), strict=True))
    assert tie.tolist() == [i > 0 and rows[i] == rows[i - 1] for i in range(len(rows))]


def test_sort_rows_packs_many_rows_below_the_keys() -> None:
    rng = np.random.default_rng(1)
    keys = [rng.integers(0, 30, 5000), rng.integers(-3, 3, 5000), rng.integers(0, 1 << 30, 5000)]
    assert sort_rows(*keys).tolist() == np.lexsort(keys[::-1]).tolist()


def _calls_by_pairs(
    customer: np.ndarray, channel: np.ndarray, start: np.ndarray, end: np.ndarray, live: np.ndarray
) -> np.ndarray:
    """The calls by their meaning: open tasks linked when one customer and channel's windows overlap."""
    n = len(customer)
    call = np.full(n, -1, dtype=np.int64)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    rows = np.flatnonzero(live).tolist()
    for i in rows:
        for j in rows:
            same = customer[i] == customer[j] and channel[i] == channel[j]
            if same and start[i] <= end[j] and start[j] <= end[i]:
                parent[root(i)] = root(j)
    for i in rows:
        call[i] = root(i)
    return renumber(call)


CALL_ROWS = st.lists(
    st.tuples(
        st.integers(0, 3),  # customer
        st.integers(0, 1),  # channel
        st.integers(0, 12),  # window start
        st.integers(0, 5),  # window length
        st.sampled_from([OPEN, OVERDUE, 1, 3]),  # status (closed, blocked: no call)
        st.booleans(),  # among the rows ordered beforehand, if not open or overdue
    ),
    max_size=30,
)


def _call_tasks(
    rows: list[tuple[int, int, int, int, int, bool]],
) -> tuple[CareTasks, np.ndarray, np.ndarray]:
    """Tasks of the rows' customers, channels and windows; the customers, and the live rows (open or overdue)."""
    customer = np.array([r[0] for r in rows], dtype=np.int64)
    start = np.array([r[2] for r in rows], dtype="datetime64[D]")
    status = np.array([r[4] for r in rows], dtype=np.int8)
    tasks = CareTasks.build(
        TaskKind("doc_call", "call", "电话", purpose="care"),
        Reason("a", "甲"),
        customer=[f"C{c}" for c in customer.tolist()],
        due=start,
        window_start=start,
        window_end=start + np.array([r[3] for r in rows], dtype="timedelta64[D]"),
        channel=np.array([r[1] for r in rows], dtype=np.int8),
    )
    return tasks, customer, (status == OPEN) | (status == OVERDUE)


@given(rows=CALL_ROWS)
def test_calls_join_the_overlapping_windows_of_one_customer_and_channel(
    rows: list[tuple[int, int, int, int, int, bool]],
) -> None:
    tasks, customer, live = _call_tasks(rows)
    ordered = _planner._call_order(
        tasks.channel, tasks.window_start, customer, np.flatnonzero(live)
    )
    expected = _calls_by_pairs(customer, tasks.channel, tasks.window_start, tasks.window_end, live)
    assert _planner._calls_of(ordered, live, tasks).tolist() == expected.tolist()


@given(rows=CALL_ROWS)
def test_calls_ordered_among_more_rows_then_kept_live_are_the_calls(
    rows: list[tuple[int, int, int, int, int, bool]],
) -> None:
    # The planner orders the allowed tasks for the calls before it knows the closed ones.
    tasks, customer, live = _call_tasks(rows)
    more = np.flatnonzero(live | np.array([r[5] for r in rows], dtype=bool))
    ordered = _planner._call_order(tasks.channel, tasks.window_start, customer, more)
    expected = _calls_by_pairs(customer, tasks.channel, tasks.window_start, tasks.window_end, live)
    assert _planner._calls_of(ordered, live, tasks).tolist() == expected.tolist()
