"""The fits' two phases (a search on a subsample, then Newton steps on all rows) reach the
optimum of the plain L-BFGS-B search on all rows, and runaway fits stop early, explained."""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("scipy")

from aftersales_crm.clv import BgNbd, GammaGamma, History, ParetoNbd, simulate_bgnbd
from aftersales_crm.clv import _fitting as fitting
from aftersales_crm.clv._fitting import maximise, plain_search
from aftersales_crm.errors import ConvergenceError

from .cdnow import SUMMARY

Model = BgNbd | ParetoNbd | GammaGamma


def book(n: int, seed: int) -> tuple[History, np.ndarray]:
    """n customers of a known BG/NBD process in days, and a Gamma-Gamma mean spend each."""
    rng = np.random.default_rng(seed)
    age = np.floor(rng.uniform(30, 4 * 365.25, n))
    h = simulate_bgnbd(age, r=1.5, alpha=60.0, a=1.2, b=9.0, seed=seed + 1)
    history = History(h.x, np.floor(h.t_x), h.T)
    nu = rng.gamma(4.0, 1 / 15.0, n)
    visits = np.maximum(h.x, 1)
    spend = rng.gamma(6.0 * visits, 1 / (nu * visits))
    return history, np.where(h.x > 0, spend, 0.0)


def fit(cls: type[Model], h: History, spend: np.ndarray, unit: str = "days") -> Model:
    if issubclass(cls, GammaGamma):
        return cls().fit_arrays(h.x, spend)
    return cls().fit_arrays(h.x, h.t_x, h.T, unit=unit)


def outcome(cls: type[Model], h: History, spend: np.ndarray) -> Model | str:
    """The fitted model, or the words of its ConvergenceError."""
    try:
        return fit(cls, h, spend)
    except ConvergenceError as error:
        return str(error)


DROPOUT = {"a", "b", "s", "beta"}
"""The drop-out parameters, on a flatter ridge of the likelihood than the others."""


def assert_same_optimum(new: Model, old: Model) -> None:
    for name, value in new.params_.items():
        tolerance = 2e-5 if name in DROPOUT else 1e-6
        assert value == pytest.approx(old.params_[name], rel=tolerance), name
        assert new.standard_errors_[name] == pytest.approx(old.standard_errors_[name], rel=2e-3)
    assert new.log_likelihood_ == pytest.approx(old.log_likelihood_, abs=1e-6)
    assert new.log_likelihood_ >= old.log_likelihood_ - 1e-7  # no worse an optimum


@pytest.mark.parametrize(
    ("cls", "seed"),
    [(BgNbd, 1), (BgNbd, 2), (GammaGamma, 1), (GammaGamma, 3), (ParetoNbd, 1)],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_the_subsample_and_newton_fit_is_the_plain_fit(cls: type[Model], seed: int) -> None:
    h, spend = book(9_000, seed)
    new = fit(cls, h, spend)
    with plain_search():
        old = fit(cls, h, spend)
    assert "L-BFGS-B on 8,000 of " in new.convergence_.message
    assert "Newton on all rows: converged" in new.convergence_.message
    assert old.convergence_.message.startswith("L-BFGS-B on all rows: ")
    assert new.convergence_.gradient_norm <= fitting.GRADIENT_TOLERANCE
    assert_same_optimum(new, old)


@pytest.fixture(scope="module")
def cdnow() -> Any:
    return np.genfromtxt(SUMMARY, delimiter=",", names=True)


@pytest.mark.parametrize("cls", [BgNbd, GammaGamma, ParetoNbd], ids=lambda c: c.__name__)
def test_on_cdnow_newton_polishes_the_plain_fit(cls: type[Model], cdnow: Any) -> None:
    h = History(cdnow["x"], cdnow["t_x"], cdnow["T"])
    new = fit(cls, h, cdnow["zbar"], unit="weeks")
    with plain_search():
        old = fit(cls, h, cdnow["zbar"], unit="weeks")
    assert new.convergence_.message.startswith("L-BFGS-B on all rows: ")  # no subsample
    assert_same_optimum(new, old)


@settings(max_examples=6, deadline=None)
@given(
    n=st.integers(min_value=60, max_value=150),
    seed=st.integers(min_value=0, max_value=10_000),
    cls=st.sampled_from([BgNbd, GammaGamma]),
)
def test_the_fit_does_not_depend_on_row_order(n: int, seed: int, cls: type[Model]) -> None:
    # a subsample of 40 rows, so that small books take the two-phase path (the Pareto/NBD
    # fit, slower, is checked on one book in test_clv_properties)
    h, spend = book(n, seed)
    order = np.random.default_rng(seed).permutation(n)
    shuffled = History(h.x[order], h.t_x[order], h.T[order])
    with mock.patch.object(fitting, "SUBSAMPLE", 40):
        first, second = outcome(cls, h, spend), outcome(cls, shuffled, spend[order])
    if isinstance(first, str) or isinstance(second, str):
        assert first == second  # the same explained error
        return
    assert "L-BFGS-B on 40 of " in first.convergence_.message
    assert first.params_ == second.params_
    assert first.log_likelihood_ == second.log_likelihood_


def homogeneous_dropout(n: int, seed: int) -> History:
    """Customers who each leave after an exponential lifetime of the same mean (two years)."""
    rng = np.random.default_rng(seed)
    age = np.floor(rng.uniform(1, 5 * 365.25, n))
    rate = rng.gamma(2.0, 1 / 75.0, n)
    life = np.minimum(rng.exponential(730.0, n), age)
    x = rng.poisson(rate * life).astype(float)
    t_x = np.where(x > 0, np.floor(life * rng.beta(np.maximum(x, 1), 1)), 0.0)
    return History(x, t_x, age)


def test_homogeneous_dropout_stops_early_and_says_why() -> None:
    # s and beta run off together; every evaluation gets slower on the way (the
    # hypergeometric terms of large s): the search stops once they pass e⁸.
    h = homogeneous_dropout(600, 4)
    with pytest.raises(ConvergenceError, match="drop-out looks homogeneous: s and beta diverge"):
        ParetoNbd().fit_arrays(h.x, h.t_x, h.T)


def quadratic(centre: float) -> fitting.Objective:
    return lambda p: (float(((p - centre) ** 2).sum()), 2 * (p - centre))


def test_a_search_that_runs_away_raises_before_newton() -> None:
    def downhill(p: np.ndarray) -> tuple[float, np.ndarray]:
        return float(np.exp(-p[0]) + p[1] ** 2), np.array([-np.exp(-p[0]), 2 * p[1]])

    with pytest.raises(ConvergenceError, match=r"u ran away \[runaway parameters on the rescaled"):
        maximise(
            quadratic(0.0),
            np.zeros(2),
            ("u", "v"),
            total=1.0,
            runaway=lambda away: f"{', '.join(away)} ran away",
            search=downhill,
            search_rows=(10, 100),
        )


def test_newton_falls_back_to_the_plain_search_where_the_hessian_is_not_positive() -> None:
    # the subsample's optimum, log-parameter 1, is where the full objective bends down
    def double_well(p: np.ndarray) -> tuple[float, np.ndarray]:
        return float(((p**2 - 4) ** 2).sum()), 4 * p * (p**2 - 4)

    _, est = maximise(
        double_well, np.zeros(1), ("u",), total=1.0, runaway=str, search=quadratic(1.0)
    )
    assert est.params["u"] == pytest.approx(np.exp(2.0), rel=1e-6)
    message = est.convergence.message
    assert "Newton on all rows: stopped: its Hessian is not positive definite; L-BFGS-B" in message


def test_newton_halves_a_step_that_overshoots() -> None:
    def hyperbola(p: np.ndarray) -> tuple[float, np.ndarray]:
        return float(np.sqrt(1 + p**2).sum()), p / np.sqrt(1 + p**2)

    _, est = maximise(hyperbola, np.zeros(1), ("u",), total=1.0, runaway=str, search=quadratic(2.0))
    assert est.params["u"] == pytest.approx(1.0, abs=1e-9)
    assert "Newton on all rows: converged" in est.convergence.message


def test_a_numeric_model_takes_its_hessian_by_differences() -> None:
    def numeric(p: np.ndarray) -> tuple[float, None]:
        return float(((p - [0.5, -0.5]) ** 2 * [1.0, 3.0]).sum() + (p[0] * p[1]) ** 2), None

    _, est = maximise(numeric, np.zeros(2), ("u", "v"), total=100.0, runaway=str)
    assert est.convergence.converged
    assert est.convergence.gradient_norm <= fitting.GRADIENT_TOLERANCE


def test_a_flat_direction_at_the_optimum_is_named() -> None:
    def flat_in_v(p: np.ndarray) -> tuple[float, np.ndarray]:
        return float((p[0] - 1.0) ** 2), np.array([2 * (p[0] - 1.0), 0.0])

    with pytest.raises(ConvergenceError, match="the likelihood is flat along v at the optimum"):
        maximise(flat_in_v, np.zeros(2), ("u", "v"), total=1.0, runaway=str)


def test_newton_and_the_plain_search_that_cannot_improve_say_so() -> None:
    # a gradient that the values do not follow: no step improves the likelihood
    def inconsistent(p: np.ndarray) -> tuple[float, np.ndarray]:
        return float(p[0]), p - 5.0

    def curvature(p: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        return float(p[0]), p - 5.0, np.eye(1)

    with pytest.raises(ConvergenceError, match="the optimiser stopped without reaching") as info:
        maximise(
            inconsistent,
            np.zeros(1),
            ("u",),
            total=1.0,
            runaway=str,
            curvature=curvature,
            search=quadratic(1.0),
        )
    assert "Newton on all rows: stopped: no step along the Newton direction" in str(info.value)
