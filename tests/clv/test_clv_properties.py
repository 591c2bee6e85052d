"""Invariants of the visit and spend models on random valid inputs (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("scipy")

from aftersales_crm.clv import BgNbd, GammaGamma, History, ParetoNbd, simulate_bgnbd
from aftersales_crm.errors import ConvergenceError, InvalidValue

MODELS = (BgNbd, ParetoNbd)


def fitted(cls: type[BgNbd] | type[ParetoNbd], params: tuple[float, ...]) -> BgNbd | ParetoNbd:
    """A model with the given parameters, as a fit would leave it (in weeks)."""
    model = cls()
    for name, value in zip(cls.PARAMETERS, params, strict=True):
        setattr(model, f"{name}_", value)
    model.unit_ = "weeks"
    return model


log_parameter = st.floats(min_value=-5, max_value=5)
parameters = st.tuples(log_parameter, log_parameter, log_parameter, log_parameter).map(
    lambda logs: tuple(float(np.exp(v)) for v in logs)
)


@st.composite
def histories(draw: st.DrawFn) -> History:
    """Valid histories, including recency == T, hundreds of visits, tiny and huge ages."""
    n = draw(st.integers(min_value=1, max_value=6))
    x, t_x, age = [], [], []
    for _ in range(n):
        visits = draw(st.one_of(st.integers(0, 5), st.integers(100, 600)))
        T = float(np.exp(draw(st.floats(min_value=-7, max_value=11))))  # noqa: N806
        where = draw(st.sampled_from(["end", "start", "inside"]))
        share = {"end": 1.0, "start": 0.0, "inside": draw(st.floats(0, 1))}[where]
        x.append(visits)
        t_x.append(T * share if visits else 0.0)
        age.append(T)
    return History(x, t_x, age)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@given(params=parameters, h=histories(), t=st.floats(min_value=0, max_value=1e4))
def test_predictions_are_finite_and_p_alive_a_probability(
    cls: type[BgNbd], params: tuple[float, ...], h: History, t: float
) -> None:
    model = fitted(cls, params)
    p = model.p_alive(h)
    assert np.isfinite(p).all()
    assert ((p >= 0) & (p <= 1)).all()
    assert np.isfinite(model.expected_visits(h, t)).all()
    assert (model.expected_visits(h, t) >= 0).all()
    assert np.isfinite(model.log_likelihood(h)).all()
    assert np.isfinite(model.population_visits(t))


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@given(
    params=parameters,
    h=histories(),
    t=st.floats(min_value=0, max_value=1e3),
    more=st.floats(min_value=0, max_value=1e3),
)
def test_expected_visits_grow_with_the_horizon(
    cls: type[BgNbd], params: tuple[float, ...], h: History, t: float, more: float
) -> None:
    model = fitted(cls, params)
    short, long = model.expected_visits(h, t), model.expected_visits(h, t + more)
    assert (long >= short * (1 - 1e-7) - 1e-12).all()


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@given(params=parameters, h=histories(), t=st.floats(min_value=0, max_value=1e3))
def test_a_row_does_not_depend_on_the_other_rows(
    cls: type[BgNbd], params: tuple[float, ...], h: History, t: float
) -> None:
    model = fitted(cls, params)
    whole = model.expected_visits(h, t)
    alive = model.p_alive(h)
    for i in range(len(h)):
        one = h.take(np.array([i]))
        assert model.expected_visits(one, t)[0] == pytest.approx(whole[i], rel=1e-12, abs=0)
        assert model.p_alive(one)[0] == alive[i]


@given(
    p=log_parameter,
    q=st.floats(min_value=0.01, max_value=5),
    v=log_parameter,
    x=st.lists(st.integers(0, 500), min_size=1, max_size=5),
    m=st.floats(min_value=1e-3, max_value=1e7),
)
def test_expected_spend_is_finite_and_between_own_and_population_mean(
    p: float, q: float, v: float, x: list[int], m: float
) -> None:
    gg = GammaGamma()
    gg.p_, gg.q_, gg.v_ = float(np.exp(p)), 1 + float(q), float(np.exp(v))
    spend = gg.expected_spend(x=x, m=[m] * len(x))
    assert np.isfinite(spend).all()
    population = gg.population_spend()
    low, high = min(m, population), max(m, population)
    repeat = np.array(x) > 0
    assert ((spend[repeat] >= low * (1 - 1e-12)) & (spend[repeat] <= high * (1 + 1e-12))).all()
    np.testing.assert_allclose(spend[~repeat], population, rtol=1e-12)


@pytest.fixture(scope="module")
def synthetic() -> History:
    rng = np.random.default_rng(5)
    return simulate_bgnbd(rng.uniform(5, 60, 3000).round(1), r=0.6, alpha=4.0, a=0.9, b=3.0, seed=5)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_compressed_fit_equals_the_fit_on_every_row(cls: type[BgNbd], synthetic: History) -> None:
    h = synthetic
    every = cls().fit_arrays(h.x, h.t_x, h.T)
    rows = np.column_stack([h.x, h.t_x, h.T])
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    assert len(unique) < len(rows)  # there is something to compress
    weighted = cls().fit_arrays(*unique.T, weights=counts)
    assert weighted.params_ == every.params_
    assert weighted.log_likelihood_ == pytest.approx(every.log_likelihood_, rel=1e-12)
    assert every.n_distinct_ == len(unique)
    assert every.n_customers_ == len(rows)
    # the likelihood of the weighted rows is the likelihood of every row
    per_row = every.log_likelihood(h).sum()
    assert (counts * every.log_likelihood(History(*unique.T))).sum() == pytest.approx(per_row)
    assert per_row == pytest.approx(every.log_likelihood_)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_the_fit_does_not_depend_on_row_order(cls: type[BgNbd], synthetic: History) -> None:
    h = synthetic
    order = np.random.default_rng(1).permutation(len(h))
    assert cls().fit_arrays(h.x, h.t_x, h.T).params_ == (
        cls().fit_arrays(h.x[order], h.t_x[order], h.T[order]).params_
    )


def test_bgnbd_recovers_the_parameters_it_was_drawn_with() -> None:
    h = simulate_bgnbd(np.full(20_000, 52.0), r=0.8, alpha=6.0, a=1.2, b=4.0, seed=11)
    model = BgNbd().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
    for name, truth in {"r": 0.8, "alpha": 6.0, "a": 1.2, "b": 4.0}.items():
        low, high = model.confidence_intervals_[name]
        assert low * 0.9 < truth < high * 1.1, (name, model.params_[name], (low, high))


def no_dropout(n: int = 4000) -> History:
    """Everyone visits every 5 weeks on average and nobody ever leaves."""
    rng = np.random.default_rng(3)
    age = rng.uniform(20, 200, n)
    x = rng.poisson(age / 5.0).astype(float)
    t_x = np.where(x > 0, age * rng.beta(np.maximum(x, 1), 1), 0.0)
    return History(x, t_x, age)


@pytest.mark.parametrize(
    ("cls", "reason"),
    [(BgNbd, "nobody seems to drop out"), (ParetoNbd, "nobody seems to drop out")],
    ids=["BgNbd", "ParetoNbd"],
)
def test_a_runaway_fit_raises_and_says_why(cls: type[BgNbd], reason: str) -> None:
    h = no_dropout()
    with pytest.raises(ConvergenceError, match=reason) as info:
        cls().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
    assert "fit on a longer observation period" in str(info.value)  # and what to do


def test_gamma_gamma_on_equal_spends_raises_and_says_why() -> None:
    x = np.arange(1, 2001) % 7 + 1
    m = 20.0 + np.random.default_rng(2).normal(0, 1e-3, len(x))
    with pytest.raises(ConvergenceError, match="spend looks the same across customers"):
        GammaGamma().fit_arrays(x, m)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1], [5], [3]), "0 <= t_x <= T; the first is row 0"),
        (([1.5], [1], [3]), "x is a whole number"),
        (([0], [1], [3]), "t_x is 0 when x is 0"),
        (([-1], [0], [3]), "x is a whole number"),
    ],
)
def test_bad_histories_name_the_rule_and_the_row(
    args: tuple[list[float], ...], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        BgNbd().fit_arrays(*args)


def test_gamma_gamma_refuses_repeat_customers_without_spend() -> None:
    with pytest.raises(InvalidValue, match="first is row 1"):
        GammaGamma().fit_arrays([1, 2, 0], [10.0, 0.0, 0.0])
