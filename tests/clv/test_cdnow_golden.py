"""The published CDNOW figures (Fader, Hardie & Lee 2005; Fader & Hardie's notes), as tests.

The 39-week summary of the 2,357 CDNOW sample customers (``tests/data``): the fits must
give the published parameters and log-likelihoods to their printed precision.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("scipy")

from aftersales_crm.clv import BgNbd, GammaGamma, History, ParetoNbd, lifetime_value

from .cdnow import SUMMARY

DATA = SUMMARY


@pytest.fixture(scope="module")
def cdnow() -> Any:
    return np.genfromtxt(DATA, delimiter=",", names=True)


@pytest.fixture(scope="module")
def bgnbd(cdnow: Any) -> BgNbd:
    return BgNbd().fit_arrays(cdnow["x"], cdnow["t_x"], cdnow["T"], unit="weeks")


@pytest.fixture(scope="module")
def pareto(cdnow: Any) -> ParetoNbd:
    return ParetoNbd().fit_arrays(cdnow["x"], cdnow["t_x"], cdnow["T"], unit="weeks")


@pytest.fixture(scope="module")
def gamma_gamma(cdnow: Any) -> GammaGamma:
    return GammaGamma().fit_arrays(cdnow["x"], cdnow["zbar"])


def test_the_sample_is_the_published_one(cdnow: Any) -> None:
    assert len(cdnow) == 2357
    assert int((cdnow["x"] > 0).sum()) == 946


def test_bgnbd_reproduces_fader_hardie_lee_2005(bgnbd: BgNbd) -> None:
    # r, α to the 4 printed decimals; a and b lie on a flat ridge: 1e-3 relative.
    assert round(bgnbd.r_, 4) == 0.2426
    assert round(bgnbd.alpha_, 4) == 4.4135
    assert bgnbd.a_ == pytest.approx(0.7929, rel=1e-3)
    assert bgnbd.b_ == pytest.approx(2.4258, rel=1e-3)
    assert bgnbd.log_likelihood_ == pytest.approx(-9582.43, abs=5e-3)
    assert bgnbd.n_customers_ == 2357
    assert bgnbd.convergence_.converged


def test_bgnbd_standard_errors_are_lifetimes_hessian_ones(bgnbd: BgNbd) -> None:
    # lifetimes 0.11.3 on the same data: 0.0126, 0.3782, 0.1857, 0.7053.
    se = bgnbd.standard_errors_
    assert [round(se[n], 3) for n in ("r", "alpha", "a", "b")] == [0.013, 0.378, 0.186, 0.705]
    for name, (low, high) in bgnbd.confidence_intervals_.items():
        assert 0 < low < bgnbd.params_[name] < high


def test_bgnbd_customer_one_expects_1_226_visits_in_39_weeks(bgnbd: BgNbd) -> None:
    # Hardie's spreadsheet: ID 1 (x 2, t_x 30.43, T 38.86) E[Y(39)] = 1.226.
    one = History([2], [30.43], [38.86])
    assert bgnbd.expected_visits(one, 39)[0] == pytest.approx(1.226, abs=5e-4)


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.1429, 0.0078),
        (1.0, 0.0532),
        (3.0, 0.1506),
        (31.8571, 1.0405),
        (32.0, 1.0437),
        (78.0, 1.8576),
    ],
)
def test_bgnbd_population_visits_match_hardies_sheet(
    bgnbd: BgNbd, t: float, expected: float
) -> None:
    # Hardie's sheet prints E[X(t)] to 4 decimals from its own rounded fit; lifetimes
    # checks it to 3 decimals, so do we (E[X(78)] is 1.85797 with the exact MLE).
    assert bgnbd.population_visits(t) == pytest.approx(expected, abs=1e-3)


def test_bgnbd_probability_of_visits_sums_to_one(bgnbd: BgNbd) -> None:
    p = bgnbd.probability_of_visits(np.arange(400), 39)
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (p >= 0).all()
    # the mean of the distribution is E[X(t)]
    assert (np.arange(400) * p).sum() == pytest.approx(bgnbd.population_visits(39), rel=1e-9)


def test_pareto_nbd_reproduces_the_published_fit(pareto: ParetoNbd) -> None:
    # r, s to 4 decimals; α, β to 1e-4 relative (lifetimes' own Nelder-Mead fits vary by
    # 3e-4 in β between seeds); the log-likelihood to its printed 2 decimals.
    assert round(pareto.r_, 4) == 0.5533
    assert round(pareto.s_, 4) == 0.6062
    assert pareto.alpha_ == pytest.approx(10.5778, rel=1e-4)
    assert pareto.beta_ == pytest.approx(11.6669, rel=2e-4)
    assert pareto.log_likelihood_ == pytest.approx(-9594.97, abs=5e-3)


def test_pareto_nbd_stays_finite_where_lifetimes_returns_nan(pareto: ParetoNbd) -> None:
    # recency == T with 1..300 visits: lifetimes gives NaN for 122 of them on scipy >= 1.16.
    x = np.arange(1, 301, dtype=float)
    for age in (38.86, 200.0, 1000.0):
        h = History(x, np.full(300, age), np.full(300, age))
        for values in (pareto.p_alive(h), pareto.expected_visits(h, 39), pareto.log_likelihood(h)):
            assert np.isfinite(values).all()
        assert (pareto.p_alive(h) <= 1).all()


def test_gamma_gamma_reproduces_fader_hardie_2013(gamma_gamma: GammaGamma) -> None:
    assert gamma_gamma.n_customers_ == 946
    assert [round(gamma_gamma.params_[n], 4) for n in ("p", "q", "v")] == [6.2488, 3.7446, 15.4477]
    assert gamma_gamma.log_likelihood_ == pytest.approx(-4055.9232, abs=1e-3)


def test_gamma_gamma_first_ten_conditional_spends(gamma_gamma: GammaGamma, cdnow: Any) -> None:
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": the ten values
    # as printed, which are the exact ones cut (not rounded) to the cent: ID 1 is 24.6586.
    published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    got = gamma_gamma.expected_spend(x=cdnow["x"][:10], m=cdnow["zbar"][:10])
    assert (np.floor(got * 100) / 100).tolist() == published


def test_lifetime_value_discounts_the_expected_visits(
    bgnbd: BgNbd, gamma_gamma: GammaGamma, cdnow: Any
) -> None:
    h = History(cdnow["x"][:5], cdnow["t_x"][:5], cdnow["T"][:5])
    spend = gamma_gamma.expected_spend(x=cdnow["x"][:5], m=cdnow["zbar"][:5])
    undiscounted = lifetime_value(bgnbd, h, spend, periods=3, period=13.0, discount_rate=0.0)
    np.testing.assert_allclose(undiscounted, bgnbd.expected_visits(h, 39) * spend, rtol=1e-12)
    by_hand = (
        sum(
            (bgnbd.expected_visits(h, 13.0 * k) - bgnbd.expected_visits(h, 13.0 * (k - 1)))
            / 1.05**k
            for k in (1, 2, 3)
        )
        * spend
    )
    got = lifetime_value(bgnbd, h, spend, periods=3, period=13.0, discount_rate=0.05)
    np.testing.assert_allclose(got, by_hand, rtol=1e-12)
    assert (got < undiscounted).all()
