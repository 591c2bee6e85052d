"""The BG/NBD model of Fader, Hardie & Lee (2005): Poisson visits, geometric drop-out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import whole_array
from aftersales_crm.clv._fitting import Curvature, Objective, dot, scipy_special
from aftersales_crm.clv._model import VisitModel, horizon
from aftersales_crm.clv._quadrature import log_beta_expectation
from aftersales_crm.errors import InvalidValue

__all__ = ["BgNbd"]

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]

_A_NEAR_ONE: Final = 1e-7
"""E[X(t)] has a removable singularity at a = 1 ((a + b - 1)/(a - 1) times a bracket that
vanishes); within this distance of 1, a is moved to 1 ± 1e-7 (relative error below 1e-6)."""

_TINY_LOG: Final = -18.0
"""Below log(p t/(α+T)) = -18, 1 - (1 + pc)^-n is n p c to within 1e-8 relative."""

_ADVICE: Final = (
    "; a churn model needs customers who visit at different rates and stop; fit on a longer"
    " observation period or more customers, or treat churn as a fixed probability per visit"
)


def _distinct(x: Vector) -> tuple[Vector, NDArray[np.intp]]:
    """The distinct visit counts, and each row's position among them.

    The special functions depend on x alone: they are evaluated once per count (a few
    hundred) instead of once per row.
    """
    ux, inverse = np.unique(x, return_inverse=True)
    return ux, inverse.ravel()


def _terms(
    p: Vector,
    x: Vector,
    t_x: Vector,
    T: Vector,  # noqa: N803
    distinct: tuple[Vector, NDArray[np.intp]],
) -> tuple[Any, ...]:
    sp = scipy_special()
    r, alpha, a, b = p
    ux, at = distinct
    repeat = x > 0
    base = sp.betaln(a, b)
    bx1 = np.where(ux > 0, b + ux - 1, b)  # b + x - 1 only where x > 0
    head = (sp.gammaln(r + ux) - sp.gammaln(r))[at] + r * np.log(alpha)
    t1 = (sp.betaln(a, b + ux) - base)[at] - (r + x) * np.log(alpha + T)
    t2 = np.where(
        repeat, (sp.betaln(a + 1, bx1) - base)[at] - (r + x) * np.log(alpha + t_x), -np.inf
    )
    return head, t1, t2, bx1, repeat


def _rows_ll(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    head, t1, t2, _, _ = _terms(p, x, t_x, T, _distinct(x))
    return np.asarray(head + np.logaddexp(t1, t2), dtype=np.float64)


def _derivatives(
    x: Vector,
    t_x: Vector,
    T: Vector,  # noqa: N803
    w: Vector,
) -> Callable[[Vector, bool], tuple[float, Vector, Matrix]]:
    """Log-parameters → minus the weighted log-likelihood, its gradient and (if asked) Hessian.

    Each row's likelihood is ``head + log(e^t1 + e^t2)``; with the posterior shares
    ``w1, w2`` of its two terms, the Hessian of the log-sum is ``w1 ∇²t1 + w2 ∇²t2 + w1 w2
    (∇t1 - ∇t2)(∇t1 - ∇t2)ᵀ``, and every derivative in a and b depends on the visit count
    alone, so it is taken once per distinct count and summed with the shares. The chain
    rule to log-parameters: ``∂²/∂φ_i∂φ_j = θ_i θ_j ∂²/∂θ_i∂θ_j + [i = j] θ_i ∂/∂θ_i``.
    """
    sp = scipy_special()
    distinct = _distinct(x)
    ux, at = distinct
    n = len(ux)
    total = float(w.sum())
    counts = np.bincount(at, weights=w, minlength=n)

    def derivatives(log_p: Vector, second: bool) -> tuple[float, Vector, Matrix]:  # noqa: FBT001
        p = np.exp(log_p)
        r, alpha, a, b = p
        head, t1, t2, bx1, _ = _terms(p, x, t_x, T, distinct)
        both = np.logaddexp(t1, t2)
        w1 = w * np.exp(t1 - both)
        w2 = w * np.exp(t2 - both)  # 0 where x == 0
        s1 = np.bincount(at, weights=w1, minlength=n)
        s2 = np.bincount(at, weights=w2, minlength=n)
        inv_T, inv_tx = 1 / (alpha + T), 1 / (alpha + t_x)  # noqa: N806
        la_T, la_tx = np.log(alpha + T), np.log(alpha + t_x)  # noqa: N806
        rx = r + x
        dab, dabx = sp.digamma(a + b), sp.digamma(a + b + ux)
        grad = np.array(
            [
                dot(counts, sp.digamma(r + ux) - sp.digamma(r))
                + total * np.log(alpha)
                - dot(w1, la_T)
                - dot(w2, la_tx),
                total * r / alpha - dot(rx, w1 * inv_T + w2 * inv_tx),
                dot(s1, sp.digamma(a) - dabx)
                + dot(s2, sp.digamma(a + 1) - dabx)
                - total * (sp.digamma(a) - dab),
                dot(s1, sp.digamma(b + ux) - dabx)
                + dot(s2, sp.digamma(bx1) - dabx)
                - total * (sp.digamma(b) - dab),
            ]
        )
        value = dot(w, head + both)
        if not second:
            return -value, -grad * p, np.empty((0, 0))
        # the outer product of ∇t1 - ∇t2, weighted w w1 w2 (0 where x == 0)
        v = w1 * np.exp(t2 - both)
        d_r, d_alpha = la_tx - la_T, rx * (inv_tx - inv_T)
        inv_a, inv_b = 1 / a, 1 / bx1  # ∂(t1 - t2)/∂a = -1/a, ∂/∂b = 1/(b + x - 1)
        sv = np.bincount(at, weights=v, minlength=n)
        per_count = (
            np.bincount(at, weights=v * d_r, minlength=n),
            np.bincount(at, weights=v * d_alpha, minlength=n),
        )
        outer = np.empty((4, 4))
        outer[0, 0], outer[0, 1], outer[1, 1] = (
            dot(v, d_r**2),
            dot(v, d_r * d_alpha),
            dot(v, d_alpha**2),
        )
        outer[0, 2], outer[1, 2] = -inv_a * per_count[0].sum(), -inv_a * per_count[1].sum()
        outer[0, 3], outer[1, 3] = dot(per_count[0], inv_b), dot(per_count[1], inv_b)
        outer[2, 2], outer[2, 3], outer[3, 3] = (
            inv_a**2 * sv.sum(),
            -inv_a * dot(sv, inv_b),
            dot(sv, inv_b**2),
        )
        tab, tabx = sp.polygamma(1, a + b), sp.polygamma(1, a + b + ux)
        tb = sp.polygamma(1, b)
        inner = np.zeros((4, 4))
        inner[0, 0] = dot(counts, sp.polygamma(1, r + ux) - sp.polygamma(1, r))
        inner[0, 1] = total / alpha - dot(w1, inv_T) - dot(w2, inv_tx)
        inner[1, 1] = -total * r / alpha**2 + dot(rx, w1 * inv_T**2 + w2 * inv_tx**2)
        inner[2, 2] = dot(s1 + s2, tab - tabx) - s2.sum() / a**2
        inner[2, 3] = dot(s1 + s2, tab - tabx)
        inner[3, 3] = dot(s1, sp.polygamma(1, b + ux) - tabx - tb + tab) + dot(
            s2, sp.polygamma(1, bx1) - tabx - tb + tab
        )
        upper = np.triu(inner + outer)
        hessian = upper + np.triu(upper, 1).T
        hessian = hessian * np.outer(p, p) + np.diag(grad * p)
        return -value, -grad * p, -hessian

    return derivatives


def _objective(x: Vector, t_x: Vector, T: Vector, w: Vector) -> Objective:  # noqa: N803
    derivatives = _derivatives(x, t_x, T, w)

    def objective(log_p: Vector) -> tuple[float, Vector]:
        value, grad, _ = derivatives(log_p, False)  # noqa: FBT003
        return value, grad

    return objective


def _curvature(x: Vector, t_x: Vector, T: Vector, w: Vector) -> Curvature:  # noqa: N803
    derivatives = _derivatives(x, t_x, T, w)
    return lambda log_p: derivatives(log_p, True)  # noqa: FBT003


def _rows_alive(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    sp = scipy_special()
    r, alpha, a, b = p
    repeat = x > 0
    odds = (
        np.log(a)
        - np.log(np.where(repeat, b + x - 1, 1.0))
        + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    return np.asarray(np.where(repeat, sp.expit(-odds), 1.0), dtype=np.float64)


def _rows_expected(p: Vector, t: float, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
    sp = scipy_special()
    r, alpha, a, b = p
    if abs(a - 1) < _A_NEAR_ONE:
        a = 1 + _A_NEAR_ONE if a >= 1 else 1 - _A_NEAR_ONE
    # (1 - z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z) with z = t / (alpha + T + t), by Euler's
    # transformation (1 - z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): no power overflows.
    log_1mz = np.log(alpha + T) - np.log(alpha + T + t)
    z = -np.expm1(log_1mz)
    with np.errstate(all="ignore"):
        h = sp.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        bracket = -np.expm1((a - 1) * log_1mz + np.log(h))
        given_alive = (a + b + x - 1) / (a - 1) * bracket
    # E[Y(t) | alive] = E[(1 - (1 + p t/(α+T))^-(r+x)) / p] over p ~ Beta(a, b+x): it lies
    # in [0, (r+x) t/(α+T)]; where the closed form leaves that range (hyp2f1 fails for
    # large a, r and z near 1) the expectation is integrated instead.
    c = t / (alpha + T)
    high = (r + x) * c
    bad = ~(np.isfinite(given_alive) & (given_alive >= 0) & (given_alive <= high * (1 + 1e-9)))
    if bad.any():
        n, cb = (r + x)[bad], c[bad]

        def log_g(sigma: Vector) -> Vector:
            u = sigma + np.log(cb)[:, None, None]  # log(p t/(α+T))
            nn = n[:, None, None]
            with np.errstate(divide="ignore", over="ignore"):
                exact = np.log(-np.expm1(-nn * np.log1p(np.exp(u))))
            return np.asarray(
                np.where(u < _TINY_LOG, np.log(nn) + u, exact) - sigma, dtype=np.float64
            )

        shape_a = np.full(int(bad.sum()), a)
        given_alive[bad] = np.exp(log_beta_expectation(sp, shape_a, (b + x)[bad], log_g))
    out = np.clip(given_alive, 0.0, high) * _rows_alive(p, x, t_x, T)
    return np.asarray(out, dtype=np.float64)


class BgNbd(VisitModel):
    """The BG/NBD model: visits at a Poisson rate, drop-out after any visit, both heterogeneous.

    While active, a customer visits at rate λ ~ Gamma(r, α); after each visit they drop out
    with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005, "'Counting your customers'
    the easy way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2)). The
    model is fitted by maximum likelihood on each customer's repeat visits ``x``
    (``frequency``), recency ``t_x`` (``span_days``) and age ``T`` (``tenure_days``), in
    the log form of the likelihood (no overflow, no NaN for hundreds of visits), with
    analytic gradients, over log-parameters, from a fixed starting point; identical
    customers are evaluated once, weighted.

    Attributes:
        r_: shape of the visit-rate distribution (fitted).
        alpha_: its scale, in the fit's time unit (fitted).
        a_: first shape of the drop-out probability distribution (fitted).
        b_: its second shape (fitted).
        log_likelihood_: total log-likelihood at the fit (fitted).
        standard_errors_: each parameter's standard error (observed information).
        confidence_intervals_: each parameter's 95% interval (on the log scale).
        convergence_: how the optimiser ended (``Convergence``).
        n_customers_: customers fitted on; ``n_distinct_``: distinct histories among them.
        unit_: the time unit of ``alpha_`` and of every horizon (``"days"`` from features).

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.clv import History, simulate_bgnbd
        >>> h = simulate_bgnbd(np.full(2000, 52.0), r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1)
        >>> model = BgNbd().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
        >>> {k: round(v, 1) for k, v in model.params_.items()}
        {'r': 0.4, 'alpha': 4.4, 'a': 0.8, 'b': 2.0}
        >>> model.p_alive(History([2, 0], [30.4, 0], [38.9, 38.9])).round(3).tolist()
        [0.703, 1.0]
        >>> model.expected_visits(History([2], [30.4], [38.9]), 39).round(3).tolist()
        [1.275]

    References:
        Fader, Hardie & Lee (2005); Hardie's note "A Stable Log-Likelihood for the BG/NBD".
    """

    PARAMETERS: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    TIME_PARAMETERS: ClassVar[tuple[str, ...]] = ("alpha",)
    DROPOUT: ClassVar[tuple[str, str]] = ("a", "b")
    ADVICE: ClassVar[str] = _ADVICE

    r_: float
    alpha_: float
    a_: float
    b_: float

    _rows_ll = staticmethod(_rows_ll)
    _rows_alive = staticmethod(_rows_alive)
    _rows_expected = staticmethod(_rows_expected)
    _objective = staticmethod(_objective)
    _curvature = staticmethod(_curvature)

    def probability_of_visits(self, n: ArrayLike, t: float) -> Vector:
        """P(X(t) = n): the probability that a new customer makes ``n`` repeat visits in ``t``.

        Fader, Hardie & Lee (2005), equation (8), with the negative binomial tail as a
        regularised incomplete beta function.

        Args:
            n: visit counts (whole numbers ≥ 0), one or many.
            t: the horizon, in the fit's time unit.

        Raises:
            NotFittedError: before fitting.
            InvalidValue: ``n`` negative or not whole, or ``t`` not a time ≥ 0.
        """
        sp = scipy_special()
        span = horizon(t)
        counts = whole_array(n, parameter="n")
        if (counts < 0).any():
            msg = f"n counts visits: whole numbers >= 0, got {counts.min()}"
            raise InvalidValue(msg, code="invalid_count")
        r, alpha, a, b = self._params()
        k = counts.astype(np.float64)
        base = sp.betaln(a, b)
        log_q = np.log(span) - np.log(alpha + span) if span > 0 else -np.inf
        log_nb = (
            sp.gammaln(r + k)
            - sp.gammaln(r)
            - sp.gammaln(k + 1)
            + r * (np.log(alpha) - np.log(alpha + span))
            + np.where(k > 0, k * log_q, 0.0)
        )
        alive = np.exp(sp.betaln(a, b + k) - base + log_nb)
        tail = sp.betainc(np.maximum(k, 1), r, np.exp(log_q))  # P(NB >= n) for n >= 1
        bk1 = np.where(k > 0, b + k - 1, b)
        gone = np.where(k > 0, np.exp(sp.betaln(a + 1, bk1) - base) * tail, 0.0)
        return np.asarray(alive + gone, dtype=np.float64)
