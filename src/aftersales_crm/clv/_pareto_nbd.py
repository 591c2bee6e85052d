"""The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987): Poisson visits, exponential lifetimes."""

from __future__ import annotations

from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm.clv._fitting import Objective, dot, scipy_special
from aftersales_crm.clv._model import VisitModel
from aftersales_crm.clv._pareto_pmf import log_probability_of_visits
from aftersales_crm.clv._quadrature import log_beta_expectation

__all__ = ["ParetoNbd"]

Vector = NDArray[np.float64]

_ADVICE: Final = (
    "; fit on a longer observation period or more customers, or use BgNbd, whose drop-out"
    " after a visit is often better identified on short histories"
)


_LARGE_B: Final = 300.0
_NEAR_ONE: Final = 0.9
"""hyp2f1(1, B; C; z) is not tried for B ≥ 300 and z > 0.9: the quadrature goes there."""


def _log_h_quadrature(sp: Any, B: Vector, C: Vector, log1mz: Vector) -> Vector:  # noqa: N803
    """Log 2F1(1, B; C; z) by quadrature: E[1/(1 - zU)], U ~ Beta(B, C - B).

    With V = 1 - U ~ Beta(C - B, B) and ε = (1-z)/z it is E[1/(ε + V)]/z; the integrand
    bends at log V = log ε, where extra panels go.
    """
    logz = np.log(-np.expm1(log1mz))
    leps = log1mz - logz

    def log_g(sigma: Vector) -> Vector:
        return np.asarray(-np.logaddexp(leps[:, None, None], sigma), dtype=np.float64)

    return log_beta_expectation(sp, C - B, B, log_g, feature=leps) - logz


def _log_h(sp: Any, B: Vector, C: Vector, log1mz: Vector) -> Vector:  # noqa: N803
    """Log 2F1(1, B; C; z), C > B, 0 ≤ z < 1, given log(1 - z): finite, within its bounds.

    The value lies between 1/(1 - zB/C) (Jensen) and 1/(1 - z). scipy's hyp2f1 is used
    where it lands within them; elsewhere (z near 1, B large, where scipy returns NaN, inf
    or a wrong value, and is not even asked for B ≥ 300 and z > 0.9, where it is slow
    and mostly wrong) the quadrature of ``_log_h_quadrature``, and as the last resort
    the value is held within its bounds.
    """
    z = -np.expm1(log1mz)
    low, high = -np.log1p(-z * B / C), -log1mz
    # scipy's series is slow there (up to a millisecond a value) and mostly wrong
    skip = (B >= _LARGE_B) & (z > _NEAR_ONE)
    out = np.full(len(z), np.nan)
    with np.errstate(all="ignore"):
        out[~skip] = np.log(sp.hyp2f1(1.0, B[~skip], C[~skip], z[~skip]))
    slack = 1e-9 * np.maximum(1.0, high)
    bad = ~(np.isfinite(out) & (out >= low - slack) & (out <= high + slack))
    redo = bad & (B >= 1)
    if redo.any():
        out[redo] = _log_h_quadrature(sp, B[redo], C[redo], log1mz[redo])
    return np.asarray(np.clip(np.where(np.isnan(out), low, out), low, high), dtype=np.float64)


def _log_tail(sp: Any, p: Vector, x: Vector, y: Vector) -> Vector:
    """Log ∫_y^∞ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ, without overflow.

    The integral is (m+y)^-(r+s+x)/(r+s+x) · 2F1(·; r+s+x+1; z) with m = max(α, β) (Fader &
    Hardie's note on the Pareto/NBD likelihood). Euler's transformation turns that 2F1 into
    (1-z)^(…) · 2F1(1, B; C; z) with C > B, whose value lies in [1, 1/(1-z)]: every power
    is taken in logs and the hypergeometric factor is bounded (``_log_h``).
    """
    r, alpha, s, beta = p
    P, Q = r + x, s + 1.0  # noqa: N806
    k = P + Q - 1.0  # r + s + x
    la, lb = np.log(alpha + y), np.log(beta + y)
    if alpha >= beta:
        return np.asarray(
            -P * la - (Q - 1) * lb - np.log(k) + _log_h(sp, P, P + Q, lb - la),
            dtype=np.float64,
        )
    return np.asarray(
        -(P - 1) * la - Q * lb - np.log(k) + _log_h(sp, Q + 0 * P, P + Q, la - lb),
        dtype=np.float64,
    )


Pairs = tuple[Vector, Vector, NDArray[np.intp]]
"""The distinct (x, y) pairs among the rows' (x, t_x) and (x, T), and each row's two places."""


def _pairs(x: Vector, t_x: Vector, T: Vector) -> Pairs:  # noqa: N803
    """The tail integrals depend on (x, t_x) and on (x, T) alone: their distinct pairs.

    On whole-day histories there are far fewer of them than rows (67,000 for the two
    tails of 95,669 distinct rows in the benchmark), so the fit evaluates the
    hypergeometric function once per pair.

    Examples:
        >>> ux, uy, at = _pairs(np.array([1.0, 1.0]), np.array([2.0, 3.0]), np.array([3.0, 3.0]))
        >>> ux.tolist(), uy.tolist(), at.tolist()
        ([1.0, 1.0], [2.0, 3.0], [0, 1, 1, 1])
    """
    xs, ys = np.concatenate([x, x]), np.concatenate([t_x, T])
    order = np.lexsort((ys, xs))
    sx, sy = xs[order], ys[order]
    new = np.ones(len(sx), dtype=bool)
    new[1:] = (sx[1:] != sx[:-1]) | (sy[1:] != sy[:-1])
    at = np.empty(len(sx), dtype=np.intp)
    at[order] = np.cumsum(new) - 1
    return sx[new], sy[new], at


def _parts(
    p: Vector,
    x: Vector,
    t_x: Vector,
    T: Vector,  # noqa: N803
    pairs: Pairs | None = None,
) -> tuple[Vector, Vector, Vector]:
    """(the common factor, log of the "alive at T" term, log of the "died in (t_x, T]" term)."""
    sp = scipy_special()
    r, alpha, s, beta = p
    head = sp.gammaln(r + x) - sp.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    if pairs is None:
        upper, lower = _log_tail(sp, p, x, t_x), _log_tail(sp, p, x, T)
    else:
        ux, uy, at = pairs
        tails = _log_tail(sp, p, ux, uy)[at]
        upper, lower = tails[: len(x)], tails[len(x) :]
    with np.errstate(divide="ignore"):  # t_x == T: the interval is empty, log 0 = -inf
        died = np.log(s) + upper + np.log(-np.expm1(np.minimum(lower - upper, 0.0)))
    return head, alive, died


def _rows_ll(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    head, alive, died = _parts(p, x, t_x, T)
    return np.asarray(head + np.logaddexp(alive, died), dtype=np.float64)


def _rows_alive(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    _, alive, died = _parts(p, x, t_x, T)
    return np.asarray(np.exp(alive - np.logaddexp(alive, died)), dtype=np.float64)


def _rows_expected(p: Vector, t: float, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    r, alpha, s, beta = p
    # (r+x)(β+T)/((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)] P(alive); the bracket over s-1 as
    # -expm1(-(s-1) L)/(s-1), L = log1p(t/(β+T)), which is L itself at s = 1.
    span = np.log1p(t / (beta + T))
    ratio = span if s == 1 else -np.expm1(-(s - 1) * span) / (s - 1)
    out = (r + x) * (beta + T) / (alpha + T) * ratio * _rows_alive(p, x, t_x, T)
    return np.asarray(out, dtype=np.float64)


def _objective(x: Vector, t_x: Vector, T: Vector, w: Vector) -> Objective:  # noqa: N803
    pairs = _pairs(x, t_x, T)

    def objective(log_p: Vector) -> tuple[float, Vector | None]:
        # no analytic gradient: the hypergeometric term's derivatives in its parameters
        # have no closed form; the optimiser takes differences (maximise)
        head, alive, died = _parts(np.exp(log_p), x, t_x, T, pairs)
        return -dot(w, head + np.logaddexp(alive, died)), None

    return objective


class ParetoNbd(VisitModel):
    """The Pareto/NBD model: visits at a Poisson rate, an exponential lifetime, both heterogeneous.

    While active, a customer visits at rate λ ~ Gamma(r, α); their lifetime is exponential
    with rate μ ~ Gamma(s, β) (Schmittlein, Morrison & Colombo 1987, "Counting your
    customers: who are they and what will they do next?", *Management Science* 33(1)). The
    likelihood is the one of Fader & Hardie's note "A note on deriving the Pareto/NBD model
    and related expressions" (2005), computed in logs: its hypergeometric term goes through
    Euler's transformation to a function bounded by 1/(1-z), and the difference of the two
    tail integrals is taken as log(-expm1(·)), so recency equal to age, hundreds of visits,
    tiny or huge ages give finite numbers (lifetimes returns NaN there on scipy ≥ 1.16).
    Gradients are forward differences of the exact log-likelihood during the search,
    central ones at the optimum; the Hessian is taken from second differences.

    Attributes:
        r_: shape of the visit-rate distribution (fitted).
        alpha_: its scale, in the fit's time unit (fitted).
        s_: shape of the drop-out rate distribution (fitted).
        beta_: its scale, in the fit's time unit (fitted).
        log_likelihood_: total log-likelihood at the fit (fitted).
        standard_errors_: each parameter's standard error (observed information).
        confidence_intervals_: each parameter's 95% interval (on the log scale).
        convergence_: how the optimiser ended.
        n_customers_: customers fitted on; ``n_distinct_``: distinct histories among them.
        unit_: the time unit of ``alpha_``, ``beta_`` and every horizon.

    Examples:
        >>> from aftersales_crm.clv import History, simulate_bgnbd
        >>> h = simulate_bgnbd(np.full(2000, 52.0), r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1)
        >>> model = ParetoNbd().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
        >>> sorted(model.params_)
        ['alpha', 'beta', 'r', 's']
        >>> p = model.p_alive(History([300, 2], [52.0, 30.4], [52.0, 52.0]))
        >>> bool(np.isfinite(p).all() and (0 <= p).all() and (p <= 1).all())
        True

    References:
        Schmittlein, Morrison & Colombo (1987); Fader & Hardie (2005), note 008.
    """

    PARAMETERS: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    TIME_PARAMETERS: ClassVar[tuple[str, ...]] = ("alpha", "beta")
    DROPOUT: ClassVar[tuple[str, str]] = ("s", "beta")
    ADVICE: ClassVar[str] = _ADVICE

    r_: float
    alpha_: float
    s_: float
    beta_: float

    _rows_ll = staticmethod(_rows_ll)
    _rows_alive = staticmethod(_rows_alive)
    _rows_expected = staticmethod(_rows_expected)
    _objective = staticmethod(_objective)

    def probability_of_visits(self, n: ArrayLike, t: float) -> Vector:
        """P(X(t) = n): the probability that a new customer makes ``n`` repeat visits in ``t``.

        The distribution of Fader & Hardie's note "Deriving an expression for P(X(t) = x)
        under the Pareto/NBD model" (2006), computed in logs with the integral over the
        time of death taken by quadrature: finite for every ``n`` and ``t``; the
        probabilities over n = 0, 1, … sum to 1 and their mean is
        ``population_visits``.

        The arguments, the shape of the result and the errors are those of
        ``BgNbd.probability_of_visits``: ``n`` one or many whole numbers ≥ 0, ``t`` a
        horizon in the fit's time unit; NotFittedError before fitting, InvalidValue for a
        bad ``n`` or ``t``.

        Examples:
            >>> from aftersales_crm.clv import simulate_bgnbd
            >>> h = simulate_bgnbd(np.full(2000, 52.0), r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1)
            >>> model = ParetoNbd().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
            >>> p = model.probability_of_visits(np.arange(2000), 52)
            >>> round(float(p.sum()), 9), bool(p[0] > p[1] > p[2])
            (1.0, True)
        """
        return np.exp(log_probability_of_visits(self._params(), n, t))
