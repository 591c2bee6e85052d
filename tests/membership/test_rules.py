"""The ledger's shared rules: the scalar and the array forms agree."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.membership._rules import (
    NEVER,
    consumption_key,
    consumption_order,
    expiry_instant,
    expiry_instants,
    reversal_target,
    reversal_targets,
)


@given(st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 50), st.integers(0, 50),
                          st.integers(0, 10**9)), min_size=1, max_size=20))  # fmt: skip
def test_the_array_reversal_rule_is_the_scalar_rule(
    rows: list[tuple[int, int, int, int]],
) -> None:
    grant, bottom, top, amount = (np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))
    top = np.minimum(top, bottom)
    expected = [
        reversal_target(int(g), Fraction(int(t), int(b)), int(a))
        for g, t, b, a in zip(grant, top, bottom, amount, strict=True)
    ]
    assert reversal_targets(grant, top, bottom, amount).tolist() == expected


@given(st.lists(st.none() | st.dates(date(2000, 1, 1), date(2099, 12, 31)), max_size=20),
       st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York"]))  # fmt: skip
def test_the_array_expiry_rule_is_the_scalar_rule(days: list[date | None], zone: str) -> None:
    array = np.array([np.datetime64("NaT") if d is None else np.datetime64(d) for d in days],
                     dtype="datetime64[D]")  # fmt: skip
    assert expiry_instants(array, zone).tolist() == [expiry_instant(d, zone) for d in days]


def test_points_last_until_the_end_of_their_day_in_new_york_across_daylight_saving() -> None:
    # 2026-03-08 is the day New York moves to daylight saving time: the day is 23 hours long
    end = expiry_instant(date(2026, 3, 8), "America/New_York")
    start = expiry_instant(date(2026, 3, 7), "America/New_York")
    assert end - start == 23 * 3600 * 10**6
    assert expiry_instant(None) == NEVER


@given(st.lists(st.tuples(st.sampled_from([5, 9, NEVER]), st.integers(0, 3),
                          st.sampled_from(["A", "B", "C", "D"])), min_size=1, max_size=12))  # fmt: skip
def test_the_array_consumption_order_is_the_order_of_the_consumption_key(
    lots: list[tuple[int, int, str]],
) -> None:
    expires, at, ids = zip(*lots, strict=True)
    rank = {text: i for i, text in enumerate(sorted(set(ids)))}
    order = consumption_order(np.array(expires), np.array(at), np.array([rank[i] for i in ids]))
    keys = [consumption_key(*lot) for lot in lots]
    assert [keys[i] for i in order.tolist()] == sorted(keys)


def test_a_day_boundary_in_shanghai_is_four_pm_utc() -> None:
    assert expiry_instant(date(2026, 3, 31)) == expiry_instant(date(2026, 3, 30)) + 86_400 * 10**6
    assert (expiry_instant(date(2026, 3, 31)) // 10**6) % 86_400 == 16 * 3600
    assert timedelta(microseconds=expiry_instant(date(1970, 1, 1))) == timedelta(hours=16)
