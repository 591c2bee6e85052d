"""lifetime_value equals the straightforward sum of discounted expected visits, period by period."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("scipy")

from aftersales_crm.clv import (
    BgNbd,
    GammaGamma,
    History,
    ParetoNbd,
    lifetime_value,
    simulate_bgnbd,
)
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import FeatureTable

from .cdnow import SUMMARY


def reference(
    visits: BgNbd | ParetoNbd, data: History, spend: Any, periods: int, period: float, rate: float
) -> Any:
    """The definition, written out: every period's expected visits, discounted, times spend."""
    total = np.zeros(len(data))
    for k in range(1, periods + 1):
        upto = visits.expected_visits(data, k * period)
        before = visits.expected_visits(data, (k - 1) * period)
        total += (upto - before) / (1 + rate) ** k
    return total * np.asarray(spend, dtype=float)


@pytest.fixture(scope="module")
def cdnow() -> History:
    rows = np.genfromtxt(SUMMARY, delimiter=",", names=True)
    return History(rows["x"], rows["t_x"], rows["T"])


@pytest.fixture(scope="module", params=[BgNbd, ParetoNbd], ids=["bgnbd", "pareto"])
def in_weeks(request: Any, cdnow: History) -> BgNbd | ParetoNbd:
    model: BgNbd | ParetoNbd = request.param().fit_arrays(cdnow.x, cdnow.t_x, cdnow.T, unit="weeks")
    return model


@pytest.fixture(scope="module")
def in_days() -> tuple[BgNbd, History]:
    ages = np.floor(np.random.default_rng(3).uniform(0, 1500, 3000))
    h = simulate_bgnbd(ages, r=2.0, alpha=75.0, a=1.5, b=14.0, seed=4)
    days = History(h.x, np.floor(h.t_x), ages)
    return BgNbd().fit_arrays(days.x, days.t_x, days.T), days


def test_cdnow_weeks_match_the_definition(in_weeks: BgNbd | ParetoNbd, cdnow: History) -> None:
    # recency and age with 2 decimals: the pairs are sorted, not tabled
    spend = np.linspace(10, 60, len(cdnow))
    got = lifetime_value(in_weeks, cdnow, spend, periods=12, period=4.3, discount_rate=0.01)
    want = reference(in_weeks, cdnow, spend, 12, 4.3, 0.01)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_whole_days_with_customers_without_visits_match_the_definition(
    in_days: tuple[BgNbd, History],
) -> None:
    model, days = in_days
    nan = np.array([np.nan])
    h = History(
        np.concatenate([days.x, [0]]),
        np.concatenate([days.t_x, nan]),
        np.concatenate([days.T, nan]),
    )
    got = lifetime_value(model, h, 300.0)
    assert np.isnan(got[-1])
    want = reference(model, days, 300.0, 12, 30.0, 0.01)
    np.testing.assert_allclose(got[:-1], want, rtol=1e-12, atol=0)


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 300),
            st.floats(0, 1, allow_nan=False),
            st.one_of(st.integers(0, 2000).map(float), st.floats(0, 2000)),
        ),
        min_size=1,
        max_size=40,
    ),
    periods=st.integers(1, 24),
    period=st.floats(0.5, 400),
    rate=st.floats(-0.5, 0.5),
)
def test_random_histories_match_the_definition(
    in_days: tuple[BgNbd, History],
    rows: list[tuple[int, float, float]],
    periods: int,
    period: float,
    rate: float,
) -> None:
    model, _ = in_days
    x = np.array([r[0] for r in rows], dtype=float)
    age = np.array([r[2] for r in rows])
    recency = np.where(x > 0, np.array([r[1] for r in rows]) * age, 0.0)
    h = History(x, recency, age)
    got = lifetime_value(model, h, 1.0, periods=periods, period=period, discount_rate=rate)
    want = reference(model, h, 1.0, periods, period, rate)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)


def test_arguments_are_checked(in_days: tuple[BgNbd, History]) -> None:
    model, days = in_days
    with pytest.raises(InvalidValue, match="periods is 0"):
        lifetime_value(model, days, 1.0, periods=0)
    with pytest.raises(InvalidValue, match="discount_rate is -1"):
        lifetime_value(model, days, 1.0, discount_rate=-1)
    with pytest.raises(InvalidValue, match="period is -3"):
        lifetime_value(model, days, 1.0, period=-3)
    with pytest.raises(InvalidValue, match="spend"):
        lifetime_value(model, days, [1.0, 2.0])
    in_weeks = BgNbd().fit_arrays(days.x, days.t_x / 7, days.T / 7, unit="weeks")
    table = FeatureTable.from_columns(
        {"frequency": [1], "span_days": [3], "tenure_days": [9]}, as_of="2026-06-30"
    )
    with pytest.raises(InvalidValue, match="fitted in weeks"):
        lifetime_value(in_weeks, table, 1.0)
    assert lifetime_value(model, table, [2.0])[0] == 2 * lifetime_value(model, table, 1.0)[0]
    with pytest.raises(InvalidType, match="visits is GammaGamma"):
        lifetime_value(GammaGamma(), days, 1.0)  # type: ignore[arg-type]
