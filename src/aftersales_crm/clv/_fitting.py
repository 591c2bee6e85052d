"""Maximum likelihood over log-parameters: the optimiser, the Hessian, and convergence in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm.errors import ConvergenceError

__all__ = ["Convergence", "Estimate", "compress", "maximise", "scipy_special"]

Vector = NDArray[np.float64]
Objective = Callable[[Vector], tuple[float, Vector | None]]
"""Log-parameters → (negative mean log-likelihood, its gradient or None). Without a
gradient, the search takes forward differences, the final check and the Hessian central
ones."""

_FORWARD_STEP: Final = 1e-7
"""The step of forward differences in a log-parameter (relative beyond 1): about the square
root of the float64 epsilon, the step that balances truncation and rounding error."""

LOG_BOUND: Final = 15.0
"""The optimiser searches each log-parameter in [-15, 15] (on rescaled data, where the
parameters are of order 1): a parameter pressed against that bound is running away."""

RUNAWAY: Final = 11.0
"""A fitted |log-parameter| above 11 (a parameter beyond e¹¹ ≈ 60,000 or below its inverse
on rescaled data) is a parameter running to 0 or infinity: the model is not identified."""

GRADIENT_TOLERANCE: Final = 1e-5
"""Largest gradient of the mean log-likelihood (per customer) accepted at an optimum, whatever
the optimiser reports: it may stop on a line search that cannot improve at a true optimum
(lifetimes #396), or on a flat ridge far from one; the gradient tells which."""

_FLAT_SHARE: Final = 0.3
"""A parameter whose share of the flattest direction is above 0.3 is named as flat."""

Z_95: Final = 1.959963984540054
"""The 97.5% quantile of the standard normal: 95% confidence intervals."""


def scipy_special() -> Any:
    """``scipy.special``, or an error naming the ``clv`` extra.

    Examples:
        >>> float(scipy_special().gammaln(3.0))  # log 2!
        0.6931471805599...
    """
    return require("scipy.special", extra="clv")


def _scipy_optimize() -> Any:
    return require("scipy.optimize", extra="clv")


@attrs.frozen
class Convergence:
    """How a maximum-likelihood fit ended.

    Attributes:
        converged: whether the optimiser reached an optimum (gradient small).
        iterations: optimiser iterations.
        evaluations: likelihood evaluations.
        gradient_norm: the largest gradient of the mean log-likelihood per customer, with
            respect to the log-parameters, at the optimum.
        message: the optimiser's own words.

    Examples:
        >>> Convergence(True, 12, 15, 3e-7, "CONVERGENCE").converged
        True
    """

    converged: bool
    iterations: int
    evaluations: int
    gradient_norm: float
    message: str


@attrs.frozen
class Estimate:
    """A fitted parameter vector with its log-likelihood, standard errors and intervals.

    Attributes:
        params: parameter name → value (on the scale the objective was given).
        log_likelihood: the total weighted log-likelihood at ``params``.
        standard_errors: name → standard error from the observed information (the inverse
            Hessian of the log-likelihood in log-parameters, carried to the parameter by
            the delta method: se(θ) = θ · se(log θ)).
        intervals: name → 95% interval exp(log θ ± 1.96 se(log θ)), always positive.
        convergence: how the optimiser ended.

    Examples:
        >>> e = Estimate({"r": 1.0}, -3.0, {"r": 0.1}, {"r": (0.8, 1.2)}, Convergence(True, 1, 1, 0.0, ""))
        >>> e.params["r"]
        1.0
    """

    params: Mapping[str, float]
    log_likelihood: float
    standard_errors: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    convergence: Convergence


def compress(
    columns: tuple[NDArray[np.float64], ...], weights: NDArray[np.float64] | None = None
) -> tuple[tuple[NDArray[np.float64], ...], NDArray[np.float64]]:
    """The distinct rows of ``columns`` (sorted) and how many customers each stands for.

    Identical customers contribute identical likelihood terms: the models evaluate each
    distinct row once, weighted. Rows are sorted, so the result does not depend on the
    input order.

    Examples:
        >>> (x, t), w = compress((np.array([1.0, 0, 1]), np.array([2.0, 0, 2])))
        >>> x.tolist(), t.tolist(), w.tolist()
        ([0.0, 1.0], [0.0, 2.0], [1.0, 2.0])
    """
    n = len(columns[0])
    given = np.ones(n) if weights is None else weights
    if n == 0:
        return tuple(c.copy() for c in columns), given.copy()
    order = np.lexsort(columns[::-1])  # sorted by the first column, then the next…
    ordered = [c[order] for c in columns]
    new = np.ones(n, dtype=bool)
    new[1:] = np.any([c[1:] != c[:-1] for c in ordered], axis=0)
    starts = np.flatnonzero(new)
    counts = np.add.reduceat(given[order], starts)
    keep = counts > 0
    kept = np.asarray(counts[keep], dtype=np.float64)
    return tuple(c[starts][keep] for c in ordered), kept


def _central_gradient(function: Objective, point: Vector, step: float = 1e-5) -> Vector:
    grad = np.empty_like(point)
    for i in range(len(point)):
        up, down = point.copy(), point.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (function(up)[0] - function(down)[0]) / (2 * step)
    return grad


def _forward_gradient(objective: Objective, point: Vector, value: float) -> Vector:
    """The gradient by forward differences: one evaluation per parameter (during the search)."""
    grad = np.empty_like(point)
    for i in range(len(point)):
        step = _FORWARD_STEP * max(1.0, abs(point[i]))
        moved = point.copy()
        moved[i] += step
        grad[i] = (objective(moved)[0] - value) / step
    return grad


def _gradient(objective: Objective, point: Vector) -> Vector:
    grad = objective(point)[1]
    return _central_gradient(objective, point) if grad is None else grad


def _hessian(objective: Objective, point: Vector, step: float = 1e-4) -> Vector:
    """The Hessian by central differences of the gradient, or of the value without one.

    Without a gradient: f(±h e_i) for the diagonal and f(±h e_i ± h e_j) for the rest,
    1 + 2k + 2k(k-1) evaluations (33 for four parameters).
    """
    k = len(point)
    out = np.empty((k, k))
    if objective(point)[1] is not None:
        for j in range(k):
            up, down = point.copy(), point.copy()
            up[j] += step
            down[j] -= step
            out[:, j] = (_gradient(objective, up) - _gradient(objective, down)) / (2 * step)
        return (out + out.T) / 2

    def f(*moves: tuple[int, float]) -> float:
        moved = point.copy()
        for i, sign in moves:
            moved[i] += sign * step
        return objective(moved)[0]

    centre = f()
    for i in range(k):
        out[i, i] = (f((i, 1)) - 2 * centre + f((i, -1))) / step**2
        for j in range(i):
            out[i, j] = out[j, i] = (
                f((i, 1), (j, 1)) - f((i, 1), (j, -1)) - f((i, -1), (j, 1)) + f((i, -1), (j, -1))
            ) / (4 * step**2)
    return out


def maximise(
    objective: Objective,
    start: Vector,
    names: tuple[str, ...],
    *,
    total: float,
    runaway: Callable[[dict[str, int]], str],
) -> tuple[Vector, Estimate]:
    """Minimise ``objective`` (a negative *mean* log-likelihood) over log-parameters.

    Args:
        objective: log-parameters → (negative mean log-likelihood, gradient or None).
        start: the deterministic starting log-parameters.
        names: the parameters' names, in order.
        total: the number of customers (the sum of the weights): the mean times it is the
            total log-likelihood.
        runaway: given each runaway parameter's direction (+1 to infinity, -1 to zero),
            the plain-words reason and advice for the error.

    Returns:
        The log-parameters at the optimum, and the estimate (on the objective's scale).

    Raises:
        ConvergenceError: the optimiser failed, a parameter ran away, or the likelihood
            is flat in some direction (the Hessian is not positive definite).

    Examples:
        >>> f = lambda p: (float(((p - 1.0) ** 2).sum()), 2 * (p - 1.0))
        >>> point, est = maximise(f, np.zeros(2), ("u", "v"), total=1.0, runaway=str)
        >>> [round(v, 4) for v in est.params.values()]
        [2.7183, 2.7183]
    """
    optimize = _scipy_optimize()
    numeric = objective(start)[1] is None

    def forward(p: Vector) -> tuple[float, Vector]:
        value, grad = objective(p)
        return value, _forward_gradient(objective, p, value) if grad is None else grad

    def central(p: Vector) -> tuple[float, Vector]:
        return objective(p)[0], _gradient(objective, p)

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)
    point, evaluations, iterations = start, 0, 0
    # Without a gradient, forward differences first; if the search stops short of a flat
    # gradient (their noise can stop it on a ridge), a second round with central ones.
    for fun in (forward, central) if numeric else (forward,):
        result = optimize.minimize(
            fun,
            point,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8 if numeric else 1e-9},
        )
        point = np.asarray(result.x, dtype=np.float64)
        evaluations += int(result.nfev)
        iterations += int(result.nit)
        grad_norm = float(np.max(np.abs(_gradient(objective, point)))) if len(point) else 0.0
        if grad_norm <= GRADIENT_TOLERANCE:
            break
    value = float(result.fun)
    away = {
        name: int(np.sign(p))
        for name, p in zip(names, point, strict=True)
        if abs(p) > RUNAWAY or not np.isfinite(p)
    }
    if away:
        shown = ", ".join(
            f"{name} {'→ ∞' if d > 0 else '→ 0'} ({np.exp(p):.3g})"
            for (name, d), p in zip(
                away.items(), point[[names.index(n) for n in away]], strict=True
            )
        )
        msg = f"{runaway(away)} [runaway parameters on the rescaled data: {shown}]"
        raise ConvergenceError(msg)
    if not np.isfinite(value):
        msg = "the log-likelihood is not finite at the optimum: the data cannot be fitted"
        raise ConvergenceError(msg)
    if grad_norm > GRADIENT_TOLERANCE:
        msg = (
            f"the optimiser stopped without reaching an optimum ({result.message}; largest"
            f" gradient {grad_norm:.2g} per customer): check the data (units, a few customers"
            " with extreme histories) or fit on more customers"
        )
        raise ConvergenceError(msg)
    hessian = _hessian(objective, point) * total
    try:
        eigen, vectors = np.linalg.eigh(hessian)
    except np.linalg.LinAlgError:
        eigen, vectors = np.array([np.nan]), np.ones((len(names), 1))
    if not np.all(np.isfinite(eigen)) or eigen.min() <= 0:
        flat = vectors[:, int(np.argmin(np.nan_to_num(eigen, nan=-np.inf)))]
        along = " and ".join(n for n, c in zip(names, flat, strict=True) if abs(c) > _FLAT_SHARE)
        msg = (
            f"the likelihood is flat along {along} at the optimum (its Hessian is not"
            " positive definite): these parameters are not identified by the data (often"
            " drop-out that looks the same for every customer); fit on more customers or a"
            " longer observation period, or try the other visit model"
        )
        raise ConvergenceError(msg)
    se_log = np.sqrt(np.diag(np.linalg.inv(hessian)))
    params = np.exp(point)
    convergence = Convergence(
        converged=True,
        iterations=iterations,
        evaluations=evaluations,
        gradient_norm=grad_norm,
        message=str(result.message),
    )
    estimate = Estimate(
        params=dict(zip(names, params.tolist(), strict=True)),
        log_likelihood=-value * total,
        standard_errors=dict(zip(names, (params * se_log).tolist(), strict=True)),
        intervals={
            name: (float(np.exp(p - Z_95 * s)), float(np.exp(p + Z_95 * s)))
            for name, p, s in zip(names, point, se_log, strict=True)
        },
        convergence=convergence,
    )
    return point, estimate
