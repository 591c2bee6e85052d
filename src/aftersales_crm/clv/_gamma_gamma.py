"""The Gamma-Gamma spend model (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and CLV")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar, Final, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import number_array
from aftersales_crm._params import Column, Constraint, validate_params
from aftersales_crm._policy import Parameterised, check_is_fitted, feature
from aftersales_crm.clv._fitting import (
    Convergence,
    Curvature,
    Objective,
    compress,
    dot,
    maximise,
    scipy_special,
    search_rows,
)
from aftersales_crm.clv._history import FREQUENCY
from aftersales_crm.clv._model import weights_array
from aftersales_crm.errors import ConvergenceError, InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["GammaGamma"]

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]

_SPEND_CODE: Final = "invalid_spend"


def _spend_arrays(x: ArrayLike, m: ArrayLike) -> tuple[Vector, Vector]:
    xs = np.array(number_array(x, parameter="x"), dtype=np.float64, ndmin=1)
    ms = np.array(number_array(m, parameter="m"), dtype=np.float64, ndmin=1)
    if xs.shape != ms.shape or xs.ndim != 1:
        msg = f"x and m need one value per customer: shapes {xs.shape} and {ms.shape}"
        raise InvalidValue(msg, code=_SPEND_CODE)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(xs) | (xs < 0) | (xs != np.floor(xs))
        bad |= (xs > 0) & ~(np.isfinite(ms) & (ms > 0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        msg = (
            f"{int(bad.sum())} customer(s) break the rule: x is a whole number >= 0 and a"
            f" customer with repeat visits has a mean spend m > 0; the first is row {row}"
            f" (x {xs[row]:g}, m {ms[row]:g}). Gamma-Gamma models positive spend: leave out"
            " visits without spend (warranty, goodwill) before computing m"
        )
        raise InvalidValue(msg, code=_SPEND_CODE)
    return xs, ms


def _rows_ll(p: Vector, x: Vector, m: Vector) -> Vector:
    sp = scipy_special()
    q_, v = p[1], p[2]
    px = p[0] * x
    out = (
        sp.gammaln(px + q_)
        - sp.gammaln(px)
        - sp.gammaln(q_)
        + q_ * np.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q_) * np.log(v + x * m)
    )
    return np.asarray(out, dtype=np.float64)


def _derivatives(
    x: Vector, m: Vector, w: Vector
) -> Callable[[Vector, bool], tuple[float, Vector, Matrix]]:
    """Log-parameters → minus the weighted log-likelihood, its gradient and (if asked) Hessian."""
    sp = scipy_special()
    log_xm = np.log(m) + np.log(x)

    def derivatives(log_p: Vector, second: bool) -> tuple[float, Vector, Matrix]:  # noqa: FBT001
        p = np.exp(log_p)
        q_, v = p[1], p[2]
        px = p[0] * x
        ll = _rows_ll(p, x, m)
        vxm = v + x * m
        lvxm = np.log(vxm)
        dpq = sp.digamma(px + q_)
        d_p = x * (dpq - sp.digamma(px) + log_xm - lvxm)
        d_q = dpq - sp.digamma(q_) + np.log(v) - lvxm
        d_v = q_ / v - (px + q_) / vxm
        grad = np.array([dot(w, d) for d in (d_p, d_q, d_v)])
        if not second:
            return -dot(w, ll), -grad * p, np.empty((0, 0))
        tpq = sp.polygamma(1, px + q_)
        inv = 1 / vxm
        wx = w * x
        hessian = np.empty((3, 3))
        hessian[0, 0] = dot(wx * x, tpq - sp.polygamma(1, px))
        hessian[0, 1] = hessian[1, 0] = dot(wx, tpq)
        hessian[0, 2] = hessian[2, 0] = -dot(wx, inv)
        hessian[1, 1] = dot(w, tpq) - w.sum() * sp.polygamma(1, q_)
        hessian[1, 2] = hessian[2, 1] = w.sum() / v - dot(w, inv)
        hessian[2, 2] = -w.sum() * q_ / v**2 + dot(w, (px + q_) * inv**2)
        hessian = hessian * np.outer(p, p) + np.diag(grad * p)
        return -dot(w, ll), -grad * p, -hessian

    return derivatives


def _objective(x: Vector, m: Vector, w: Vector) -> Objective:
    derivatives = _derivatives(x, m, w)

    def objective(log_p: Vector) -> tuple[float, Vector]:
        value, grad, _ = derivatives(log_p, False)  # noqa: FBT003
        return value, grad

    return objective


def _curvature(x: Vector, m: Vector, w: Vector) -> Curvature:
    derivatives = _derivatives(x, m, w)
    return lambda log_p: derivatives(log_p, True)  # noqa: FBT003


def _runaway(away: dict[str, int]) -> str:
    if away.get("q", 0) > 0:
        which = "q and v diverge" if away.get("v", 0) > 0 else "q diverges"
        why = (
            f"spend looks the same across customers: {which} (every customer has the same"
            " mean spend per visit)"
        )
    elif away.get("p", 0) > 0:
        why = "spend per visit barely varies around each customer's mean: p diverges"
    else:
        why = f"the parameters {', '.join(sorted(away))} run to 0 or infinity"
    return why + "; use the population's mean spend per visit instead, or fit on more customers"


class GammaGamma(Parameterised):
    """The Gamma-Gamma model of the mean spend per visit, and each customer's expected spend.

    Each visit's spend is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers (``v_`` is γ);
    the model is fitted on each repeat customer's number of repeat visits ``x`` and their
    mean spend ``m`` per repeat visit (Colombo & Jiang 1999, "A stochastic RFM model",
    *Journal of Interactive Marketing* 13(3); Fader, Hardie & Lee 2005, "RFM and CLV: using
    iso-value curves for customer base analysis", *Journal of Marketing Research* 42(4); Fader
    & Hardie's note "The Gamma-Gamma model of monetary value", 2013). It assumes spend is
    independent of visit frequency: check their correlation among repeat customers first.

    Customers without repeat visits are left out of the fit; their expected spend is the
    population mean ``p v / (q - 1)``. A fit with q ≤ 1 (a spend distribution without a
    mean) raises [`ConvergenceError`][aftersales_crm.errors.ConvergenceError] instead of giving
    infinite or negative values.

    Attributes:
        monetary: the feature column of the mean spend per repeat visit day, read by
            [`fit`][aftersales_crm.clv.GammaGamma.fit] and [`expected_spend`][aftersales_crm.clv.GammaGamma.expected_spend] on a feature table.
        p_: shape of the per-visit spend (fitted).
        q_: shape of the spend-scale distribution (fitted).
        v_: its scale, in the spend's unit (fitted).
        log_likelihood_: total log-likelihood at the fit (fitted).
        standard_errors_: each parameter's standard error (observed information).
        confidence_intervals_: each parameter's 95% interval (on the log scale).
        convergence_: how the optimiser ended.
        n_customers_: repeat customers fitted on.

    Examples:
        >>> gg = GammaGamma().fit_arrays([1, 2, 4, 1, 3, 2, 6, 1], [30.0, 22.5, 41.0, 12.0,
        ...     18.3, 95.0, 33.3, 27.0])
        >>> sorted(gg.params_)
        ['p', 'q', 'v']
        >>> bool((gg.expected_spend(x=[0, 3], m=[0, 20.0]) > 0).all())
        True
    """

    DEFAULT_MONETARY: ClassVar[str] = "avg_repeat_day_spend_fen"
    """The mean spend of a customer's repeat visit days (same-day orders merged, the first
    visit day left out), the ``m`` of Fader, Hardie & Lee (2005)."""

    PARAMETERS: ClassVar[tuple[str, ...]] = ("p", "q", "v")
    START: ClassVar[tuple[float, ...]] = (1.0, 1.0, 1.0)
    """All parameters 1 on spend rescaled to a mean of 1."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {"monetary": Column()}
    """A feature column name."""

    p_: float
    q_: float
    v_: float
    log_likelihood_: float
    standard_errors_: Mapping[str, float]
    confidence_intervals_: Mapping[str, tuple[float, float]]
    convergence_: Convergence
    n_customers_: int

    def __init__(self, *, monetary: str = DEFAULT_MONETARY) -> None:
        self.monetary = monetary

    def fit(self, features: FeatureTable) -> Self:
        """A copy fitted on the repeat customers of a feature table (``frequency``, ``monetary``).

        Raises:
            InvalidValue: a missing column, or a repeat customer without positive spend.
            ConvergenceError: the fit did not converge, or q ≤ 1; the message says why.
        """
        validate_params(self)
        return self.fit_arrays(feature(features, FREQUENCY), feature(features, self.monetary))

    def fit_arrays(self, x: ArrayLike, m: ArrayLike, *, weights: ArrayLike | None = None) -> Self:
        """A copy fitted on repeat visits ``x`` and mean spend per repeat visit ``m``.

        Rows with ``x`` 0 are left out (they have no repeat spend).

        Raises:
            InvalidValue: a repeat customer without positive spend, or bad weights.
            ConvergenceError: the fit did not converge, or q ≤ 1; the message says why.
        """
        validate_params(self)
        xs, ms = _spend_arrays(x, m)
        w = weights_array(weights, len(xs))
        repeat = xs > 0
        given = np.ones(int(repeat.sum())) if w is None else w[repeat]
        if not given.sum() > 0:
            msg = "GammaGamma: no customer with repeat visits to fit on"
            raise InvalidValue(msg, code="nothing_to_fit")
        (xu, mu), counts = compress((xs[repeat], ms[repeat]), given)
        total = float(counts.sum())
        scale = dot(counts, mu) / total  # on the sorted rows: the same in any row order
        mu = mu / scale
        sample = search_rows((xu, mu), counts)
        search = None
        if sample is not None:
            (sx, sm), sw = sample
            search = _objective(sx, sm, sw)
        _, est = maximise(
            _objective(xu, mu, counts / total),
            np.zeros(len(self.PARAMETERS)),
            self.PARAMETERS,
            total=total,
            runaway=_runaway,
            curvature=_curvature(xu, mu, counts / total),
            search=search,
            search_rows=None if sample is None else (len(sample[1]), len(xu)),
        )
        factor = {"p": 1.0, "q": 1.0, "v": scale}
        fitted = self.clone()
        for name in self.PARAMETERS:
            setattr(fitted, f"{name}_", est.params[name] * factor[name])
        if fitted.q_ <= 1:
            msg = (
                f"q is {fitted.q_:.3g} <= 1: the fitted spend distribution has no mean, so"
                " expected spends would be infinite; spend is too heavy-tailed for"
                " Gamma-Gamma (look for outliers, such as fleet or accident-repair bills)"
            )
            raise ConvergenceError(msg)
        fitted.log_likelihood_ = float(np.sum(counts * _rows_ll(fitted._params(), xu, mu * scale)))
        fitted.standard_errors_ = {n: s * factor[n] for n, s in est.standard_errors.items()}
        fitted.confidence_intervals_ = {
            n: (lo * factor[n], hi * factor[n]) for n, (lo, hi) in est.intervals.items()
        }
        fitted.convergence_ = est.convergence
        fitted.n_customers_ = int(total)
        return fitted

    def _params(self) -> Vector:
        check_is_fitted(self)
        return np.array([self.p_, self.q_, self.v_], dtype=np.float64)

    @property
    def params_(self) -> dict[str, float]:
        """The fitted parameters by name."""
        return dict(zip(self.PARAMETERS, self._params().tolist(), strict=True))

    def population_spend(self) -> float:
        """The mean spend per visit over all customers, ``p v / (q - 1)``.

        Raises:
            NotFittedError: before fitting.
        """
        p, q, v = self._params()
        return float(p * v / (q - 1))

    def expected_spend(
        self,
        features: FeatureTable | None = None,
        *,
        x: ArrayLike | None = None,
        m: ArrayLike | None = None,
    ) -> Vector:
        """Each customer's expected mean spend per visit, given their repeat visits and spend.

        ``(q - 1)/(p x + q - 1)`` times the population mean plus ``p x/(p x + q - 1)`` times
        the customer's own mean ``m`` (Fader, Hardie & Lee 2005, "RFM and CLV"): customers
        without repeat visits get the population mean.

        Args:
            features: a feature table (``frequency`` and the ``monetary`` column), or
            x: repeat visits and
            m: mean spend per repeat visit, as arrays.

        Raises:
            NotFittedError: before fitting.
            InvalidValue: both or neither of a table and arrays, or bad values.
        """
        if (features is None) == (x is None or m is None):
            msg = "give either a feature table or both x and m"
            raise InvalidValue(msg, code="invalid_argument")
        if features is not None:
            x = feature(features, FREQUENCY)
            m = np.nan_to_num(np.asarray(feature(features, self.monetary), dtype=np.float64))
        xs, ms = _spend_arrays(x, np.where(np.asarray(x) > 0, m, 0.0))  # type: ignore[arg-type]
        p, q, v = self._params()
        px = p * xs
        population = p * v / (q - 1)
        out = ((q - 1) * population + px * np.where(xs > 0, ms, 0.0)) / (px + q - 1)
        return np.asarray(out, dtype=np.float64)
