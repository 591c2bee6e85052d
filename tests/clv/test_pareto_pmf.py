"""Pareto/NBD P(X(t) = n): a distribution, the defining integral, the note's closed form, a simulation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("scipy")

from scipy import integrate  # type: ignore[import-untyped]
from scipy import special as sp

from aftersales_crm.clv import ParetoNbd
from aftersales_crm.clv._pareto_pmf import log_probability_of_visits
from aftersales_crm.errors import InvalidValue, NotFittedError

from .cdnow import SUMMARY

#: The CDNOW fit in weeks (r, α, s, β), as published and as test_cdnow_golden checks it.
CDNOW = np.array([0.5533, 10.5778, 0.6062, 11.6669])


def pmf(params: Any, n: Any, t: float) -> Any:
    return np.exp(log_probability_of_visits(np.asarray(params, dtype=float), n, t))


@pytest.fixture(scope="module")
def model() -> ParetoNbd:
    cdnow = np.genfromtxt(SUMMARY, delimiter=",", names=True)
    return ParetoNbd().fit_arrays(cdnow["x"], cdnow["t_x"], cdnow["T"], unit="weeks")


@pytest.mark.parametrize("t", [1.0, 39.0, 78.0])
def test_the_probabilities_sum_to_one_with_the_population_mean(model: ParetoNbd, t: float) -> None:
    n = np.arange(3000)
    p = model.probability_of_visits(n, t)
    assert (p >= 0).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n * p).sum() == pytest.approx(model.population_visits(t), rel=1e-6)


def by_quad(params: Any, n: int, t: float) -> float:
    """The defining expression, with scipy's adaptive quadrature on τ itself."""
    r, alpha, s, beta = params

    def nb(tau: float) -> float:
        log = (
            sp.gammaln(r + n)
            - sp.gammaln(r)
            - sp.gammaln(n + 1)
            + r * np.log(alpha / (alpha + tau))
        )
        return float(np.exp(log + (n * np.log(tau / (alpha + tau)) if n else 0.0)))

    alive = nb(t) * (beta / (beta + t)) ** s
    died, _ = integrate.quad(
        lambda tau: s * beta**s * (beta + tau) ** (-s - 1) * nb(tau),
        0,
        t,
        epsabs=0,
        epsrel=1e-13,
        limit=500,
    )
    return float(alive + died)


@pytest.mark.parametrize("params", [CDNOW, [0.5533, 1.5, 0.6062, 11.6669], [2.0, 70.0, 1.5, 300.0]])
@pytest.mark.parametrize("t", [0.5, 39.0, 1000.0])
def test_it_is_the_defining_integral(params: Any, t: float) -> None:
    n = [0, 1, 2, 5, 10, 30]
    want = [by_quad(params, k, t) for k in n]
    np.testing.assert_allclose(pmf(params, n, t), want, rtol=1e-10)


def closed_form(params: Any, x: int, t: float) -> float:
    """Fader & Hardie (2006), "Deriving an expression for P(X(t)=x) under the Pareto/NBD
    model": the expression with Gauss hypergeometric functions (case α ≥ β and α < β)."""
    r, alpha, s, beta = params
    nb = np.exp(sp.gammaln(r + x) - sp.gammaln(r) - sp.gammaln(x + 1))
    first = nb * (alpha / (alpha + t)) ** r * (t / (alpha + t)) ** x * (beta / (beta + t)) ** s
    big, other = (alpha, s + 1) if alpha >= beta else (beta, r + x)
    z = abs(alpha - beta)
    b1 = sp.hyp2f1(r + s, other, r + s + x + 1, z / big) / big ** (r + s)
    b2 = sum(
        np.exp(sp.gammaln(r + s + i) - sp.gammaln(r + s) - sp.gammaln(i + 1))
        * t**i
        * sp.hyp2f1(r + s + i, other, r + s + x + 1, z / (big + t))
        / (big + t) ** (r + s + i)
        for i in range(x + 1)
    )
    return float(
        first + alpha**r * beta**s * np.exp(sp.betaln(r + x, s + 1) - sp.betaln(r, s)) * (b1 - b2)
    )


@pytest.mark.parametrize("params", [CDNOW, [0.5533, 1.5, 0.6062, 11.6669]])
def test_it_is_the_notes_closed_form_where_that_is_stable(params: Any) -> None:
    # The closed form subtracts terms of alternating size: at t = 39 weeks and x <= 10 it
    # keeps its digits (at t = 0.5 and x = 10 it has lost five of them, at x = 30 all).
    n = list(range(11))
    want = [closed_form(params, k, 39.0) for k in n]
    np.testing.assert_allclose(pmf(params, n, 39.0), want, rtol=1e-10)


def test_it_agrees_with_a_simulation_of_the_model() -> None:
    r, alpha, s, beta = CDNOW
    rng = np.random.default_rng(7)
    size, t = 400_000, 39.0
    rate = rng.gamma(r, 1 / alpha, size)
    death = rng.exponential(1.0, size) / rng.gamma(s, 1 / beta, size)
    visits = rng.poisson(rate * np.minimum(death, t))
    seen = np.bincount(visits, minlength=8)[:8] / size
    p = pmf(CDNOW, np.arange(8), t)
    se = np.sqrt(p * (1 - p) / size)
    assert (np.abs(seen - p) < 4 * se).all(), (seen, p)


@given(
    r=st.floats(0.01, 50),
    alpha=st.floats(1e-3, 1e4),
    s=st.floats(0.01, 50),
    beta=st.floats(1e-3, 1e4),
    t=st.floats(0, 1e5),
    n=st.lists(st.integers(0, 100_000), min_size=1, max_size=5),
)
def test_probabilities_are_finite_and_in_range(
    r: float, alpha: float, s: float, beta: float, t: float, n: list[int]
) -> None:
    p = pmf([r, alpha, s, beta], n, t)
    assert np.isfinite(p).all()
    assert ((p >= 0) & (p <= 1 + 1e-12)).all()


def test_at_t_zero_nobody_has_visited_yet() -> None:
    assert pmf(CDNOW, [0, 1, 5], 0.0).tolist() == [1.0, 0.0, 0.0]


def test_shapes_follow_n_as_in_bgnbd(model: ParetoNbd) -> None:
    assert model.probability_of_visits(2, 39).shape == (1,)
    square = model.probability_of_visits([[0, 1], [2, 2]], 39)
    assert square.shape == (2, 2)
    assert square[1, 0] == square[1, 1] == model.probability_of_visits([2], 39)[0]


def test_bad_arguments_are_named(model: ParetoNbd) -> None:
    with pytest.raises(InvalidValue, match="n counts visits"):
        model.probability_of_visits([-1], 39)
    with pytest.raises(InvalidValue, match="n"):
        model.probability_of_visits([1.5], 39)
    with pytest.raises(InvalidValue, match="t is -1"):
        model.probability_of_visits([1], -1)
    with pytest.raises(NotFittedError):
        ParetoNbd().probability_of_visits([1], 39)
