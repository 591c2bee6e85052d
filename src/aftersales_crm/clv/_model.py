"""What the visit models share: fitting on features or arrays, fitted state, per-row predictions."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import ClassVar, Final, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import number_array
from aftersales_crm._params import validate_params
from aftersales_crm._policy import BasePolicy, PolicyKind, Scores, check_is_fitted
from aftersales_crm.clv._fitting import (
    Convergence,
    Curvature,
    Objective,
    compress,
    maximise,
    search_rows,
)
from aftersales_crm.clv._history import History, history
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["DAYS", "VisitModel", "horizon", "weights_array"]

Vector = NDArray[np.float64]

DAYS: Final = "days"
"""The time unit of a feature table's ``span_days`` and ``tenure_days``."""

RESCALED_AGE: Final = 10.0
"""The fit rescales time so that the oldest customer's age is 10 (as lifetimes does): the
parameters are then of order 1 whatever the unit, and the optimiser's tolerances mean the
same thing in days and in weeks. The parameters are reported in the data's own unit."""


def horizon(t: float, *, parameter: str = "t") -> float:
    """A horizon (a length of time ≥ 0, finite), checked.

    Examples:
        >>> horizon(39)
        39.0
        >>> horizon(-1)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: t is -1, expected a finite time >= 0
    """
    if isinstance(t, bool) or not isinstance(t, int | float | np.integer | np.floating):
        msg = f"{parameter} is {t!r:.40} ({type(t).__name__}), expected a finite time >= 0"
        raise InvalidValue(msg, code="invalid_horizon")
    if not (math.isfinite(t) and t >= 0):
        msg = f"{parameter} is {t!r}, expected a finite time >= 0"
        raise InvalidValue(msg, code="invalid_horizon")
    return float(t)


def weights_array(weights: ArrayLike | None, n: int) -> Vector | None:
    """Customer counts per row (whole numbers ≥ 0), or None.

    Examples:
        >>> weights_array([2, 1], 2).tolist()
        [2.0, 1.0]
        >>> weights_array([0.5], 1)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: weights count customers: whole numbers >= 0, one per row (got 1 values for 1 rows)
    """
    if weights is None:
        return None
    w = np.array(number_array(weights, parameter="weights"), dtype=np.float64, ndmin=1)
    if w.shape != (n,) or not np.all(np.isfinite(w) & (w >= 0) & (w == np.floor(w))):
        msg = (
            "weights count customers: whole numbers >= 0, one per row"
            f" (got {w.size} values for {n} rows)"
        )
        raise InvalidValue(msg, code="invalid_weights")
    return w


class VisitModel(BasePolicy):
    """Base of the visit (transaction) models: BG/NBD and Pareto/NBD.

    Subclasses give the parameter names, the time-scaled ones, the starting point, the
    per-row log-likelihood, the objective, P(alive) and the conditional expectation.
    """

    kind: ClassVar[PolicyKind] = "churn_model"
    population_relative: ClassVar[bool] = True

    PARAMETERS: ClassVar[tuple[str, ...]]
    """The model's parameters, in order."""

    TIME_PARAMETERS: ClassVar[tuple[str, ...]]
    """The parameters measured in the data's time unit (scale parameters of rates)."""

    START: ClassVar[tuple[float, ...]] = (1.0, 1.0, 1.0, 1.0)
    """The deterministic starting point of the fit: every parameter 1 on data rescaled to
    ages up to 10 (lifetimes' starting point)."""

    DROPOUT: ClassVar[tuple[str, str]]
    """The two parameters of the drop-out distribution (the rate ones are r and alpha)."""

    ADVICE: ClassVar[str]
    """What to try when the fit runs away, appended to the reason."""

    log_likelihood_: float
    standard_errors_: Mapping[str, float]
    confidence_intervals_: Mapping[str, tuple[float, float]]
    convergence_: Convergence
    n_customers_: int
    n_distinct_: int
    unit_: str

    # -- what subclasses provide -------------------------------------------------------
    @staticmethod
    def _rows_ll(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
        raise NotImplementedError

    @staticmethod
    def _objective(x: Vector, t_x: Vector, T: Vector, w: Vector) -> Objective:  # noqa: N803
        raise NotImplementedError

    @staticmethod
    def _curvature(x: Vector, t_x: Vector, T: Vector, w: Vector) -> Curvature | None:  # noqa: N803
        """The value, gradient and Hessian of the objective, or None to take differences."""
        return None

    @staticmethod
    def _rows_alive(p: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
        raise NotImplementedError

    @staticmethod
    def _rows_expected(p: Vector, t: float, x: Vector, t_x: Vector, T: Vector) -> Vector:  # noqa: N803
        raise NotImplementedError

    @classmethod
    def _runaway(cls, away: dict[str, int]) -> str:
        return runaway_reason(away, ("r", "alpha"), cls.DROPOUT, advice=cls.ADVICE)

    # -- fitting -------------------------------------------------------------------------
    def _fit(self, features: FeatureTable) -> None:
        self._fit_history(History.from_features(features), None, DAYS)

    def fit_arrays(
        self,
        x: ArrayLike,
        t_x: ArrayLike,
        T: ArrayLike,  # noqa: N803
        *,
        weights: ArrayLike | None = None,
        unit: str = DAYS,
    ) -> Self:
        """A copy fitted on plain arrays (repeat visits, recency, age) in any time unit.

        Args:
            x: repeat visits per customer.
            t_x: recency: time from the first visit to the last.
            T: age: time from the first visit to the end of the observation.
            weights: how many customers each row stands for (default one each).
            unit: the time unit of ``t_x`` and ``T`` (``"days"``, ``"weeks"``…): the
                time parameters and every horizon are in it. Predictions on a feature
                table (in days) need a model fitted in days.

        Raises:
            InvalidValue: bad histories (naming the first bad row) or weights.
            ConvergenceError: the fit did not converge; the message says why.
        """
        validate_params(self)
        h = History(x, t_x, T)
        w = weights_array(weights, len(h))
        if not isinstance(unit, str) or not unit:
            msg = f"unit is {unit!r}, expected the name of a time unit ('days', 'weeks')"
            raise InvalidValue(msg, code="invalid_unit")
        fitted = self.clone()
        fitted._fit_history(h, w, unit)
        return fitted

    def _fit_history(self, h: History, weights: Vector | None, unit: str) -> None:
        known = h.known()
        x, t_x, T = h.x[known], h.t_x[known], h.T[known]  # noqa: N806
        w = np.ones(len(x)) if weights is None else weights[known]
        if not w.sum() > 0:
            msg = f"{type(self).__name__}: no customer with a visit to fit on"
            raise InvalidValue(msg, code="nothing_to_fit")
        oldest = float(T[w > 0].max())
        if oldest <= 0:
            msg = (
                f"{type(self).__name__}: every customer was first seen at the end of the"
                " observation (T = 0): there is no time in which to watch them come back"
            )
            raise InvalidValue(msg, code="nothing_to_fit")
        scale = oldest / RESCALED_AGE
        (xs, ts, Ts), counts = compress((x, t_x / scale, T / scale), w)  # noqa: N806
        total = float(counts.sum())
        sample = search_rows((xs, ts, Ts), counts)
        search = None
        if sample is not None:
            (sx, st, sT), sw = sample  # noqa: N806
            search = self._objective(sx, st, sT, sw)
        _, est = maximise(
            self._objective(xs, ts, Ts, counts / total),
            np.log(np.asarray(self.START, dtype=np.float64)),
            self.PARAMETERS,
            total=total,
            runaway=self._runaway,
            curvature=self._curvature(xs, ts, Ts, counts / total),
            search=search,
            search_rows=None if sample is None else (len(sample[1]), len(xs)),
        )
        factor = {n: scale if n in self.TIME_PARAMETERS else 1.0 for n in self.PARAMETERS}
        for name in self.PARAMETERS:
            setattr(self, f"{name}_", est.params[name] * factor[name])
        params = self._params()
        self.log_likelihood_ = float(
            np.sum(counts * self._rows_ll(params, xs, ts * scale, Ts * scale))
        )
        self.standard_errors_ = {n: s * factor[n] for n, s in est.standard_errors.items()}
        self.confidence_intervals_ = {
            n: (lo * factor[n], hi * factor[n]) for n, (lo, hi) in est.intervals.items()
        }
        self.convergence_ = est.convergence
        self.n_customers_ = int(total)
        self.n_distinct_ = len(xs)
        self.unit_ = unit

    # -- fitted state ----------------------------------------------------------------------
    def _params(self) -> Vector:
        check_is_fitted(self)
        return np.array([getattr(self, f"{n}_") for n in self.PARAMETERS], dtype=np.float64)

    @property
    def params_(self) -> dict[str, float]:
        """The fitted parameters by name (time parameters in ``unit_``)."""
        return dict(zip(self.PARAMETERS, self._params().tolist(), strict=True))

    def _per_row(
        self, data: FeatureTable | History, rows: Callable[[Vector, Vector, Vector, Vector], Vector]
    ) -> Vector:
        p = self._params()
        if isinstance(data, FeatureTable) and self.unit_ != DAYS:
            msg = (
                f"{type(self).__name__} was fitted in {self.unit_}; a feature table is in"
                " days: fit it on the features, or pass a History in the fit's unit"
            )
            raise InvalidValue(msg, code="invalid_unit")
        h = history(data)
        out = np.full(len(h), np.nan)
        known = h.known()
        if known.any():
            out[known] = rows(p, h.x[known], h.t_x[known], h.T[known])
        return out

    # -- predictions -------------------------------------------------------------------
    def log_likelihood(self, data: FeatureTable | History) -> Vector:
        """Each customer's log-likelihood under the fitted parameters (NaN without visits).

        Raises:
            NotFittedError: before fitting.
        """
        return self._per_row(data, self._rows_ll)

    def p_alive(self, data: FeatureTable | History) -> Vector:
        """The probability that each customer is still active ("alive"), given their history.

        Returns:
            Floats in [0, 1] aligned with the rows; NaN for a customer without visits.

        Raises:
            NotFittedError: before fitting.
        """
        return self._per_row(data, self._rows_alive)

    def expected_visits(self, data: FeatureTable | History, t: float) -> Vector:
        """The expected repeat visits of each customer in the next ``t``, given their history.

        Args:
            data: the customers.
            t: the horizon, in the fit's time unit (days for a feature table).

        Raises:
            NotFittedError: before fitting.
            InvalidValue: ``t`` is not a time ≥ 0.
        """
        span = horizon(t)
        return self._per_row(
            data,
            lambda p, x, t_x, T: self._rows_expected(p, span, x, t_x, T),  # noqa: N803
        )

    def population_visits(self, t: float) -> float:
        """E[X(t)]: the expected repeat visits of a new customer in their first ``t``.

        Raises:
            NotFittedError: before fitting.
            InvalidValue: ``t`` is not a time ≥ 0.
        """
        zero = np.zeros(1)
        return float(self._rows_expected(self._params(), horizon(t), zero, zero, zero)[0])

    def score(self, features: FeatureTable) -> Scores:
        """P(alive) of each customer as [`Scores`][aftersales_crm.policies.Scores] (``"p_alive"``).

        The verb of the ``churn_model`` policy kind: one score per row, NaN for customers
        without visits.

        Raises:
            NotFittedError: before fitting.
        """
        given: object = features  # typed, but callers may pass anything
        if not isinstance(given, FeatureTable):
            msg = f"{type(self).__name__}.score reads a FeatureTable, not {type(features).__name__}"
            raise InvalidValue(msg, code="invalid_argument")
        return Scores(self.p_alive(features), features.ids, name="p_alive", key=features.key)


def runaway_reason(
    away: Mapping[str, int], rate: tuple[str, str], dropout: tuple[str, str], *, advice: str
) -> str:
    """The plain-words reason a fit ran away, from which parameters diverge and where to.

    Examples:
        >>> runaway_reason({"a": 1, "b": 1}, ("r", "alpha"), ("a", "b"), advice="")
        'drop-out looks homogeneous: a and b diverge (every customer drops out at the same rate)'

        Two reasons can hold at once:

        >>> runaway_reason({"a": -1, "r": 1, "alpha": 1}, ("r", "alpha"), ("a", "b"), advice="")
        'nobody seems to drop out: the drop-out parameters run to the boundary (the data show no churn in the observation period); visit rates look homogeneous: r and alpha diverge (every customer visits at the same rate)'
    """
    up = {n for n, d in away.items() if d > 0}
    down = {n for n, d in away.items() if d < 0}
    r, alpha = rate
    first, second = dropout
    reasons = []
    if {first, second} <= up:
        reasons.append(
            f"drop-out looks homogeneous: {first} and {second} diverge (every customer"
            " drops out at the same rate)"
        )
    elif {first, second} <= down:
        reasons.append(
            f"drop-out is all or nothing: {first} and {second} run to 0 (some customers"
            " leave at once, the others never do)"
        )
    elif first in down or second in up:
        reasons.append(
            "nobody seems to drop out: the drop-out parameters run to the boundary (the"
            " data show no churn in the observation period)"
        )
    if {r, alpha} <= up:
        reasons.append(
            f"visit rates look homogeneous: {r} and {alpha} diverge (every customer visits"
            " at the same rate)"
        )
    if not reasons:
        names = ", ".join(sorted(away))
        reasons.append(
            f"the parameters {names} run to 0 or infinity: the model does not fit these data"
        )
    why = "; ".join(reasons)
    return why + advice
