"""Maximum likelihood over log-parameters: the optimiser, the Hessian, and convergence in words."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm.errors import ConvergenceError

__all__ = [
    "Convergence",
    "Estimate",
    "compress",
    "dot",
    "maximise",
    "plain_search",
    "scipy_special",
    "search_rows",
]

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]
Objective = Callable[[Vector], tuple[float, Vector | None]]
"""Log-parameters → (negative mean log-likelihood, its gradient or None). Without a
gradient, the search takes forward differences, the final check and the Hessian central
ones."""

Curvature = Callable[[Vector], tuple[float, Vector, Matrix]]
"""Log-parameters → (negative mean log-likelihood, its gradient, its Hessian): what the
Newton steps need, analytic where the model has it."""

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

FLAT_RUNAWAY: Final = 8.0
"""Where the likelihood is flat (its Hessian not positive definite), a |log-parameter|
above 8 (beyond e⁸ ≈ 3,000 or below its inverse on rescaled data) is a parameter on its
way to 0 or infinity, stopped only because the likelihood no longer changes."""

_FLAT_SHARE: Final = 0.3
"""A parameter whose share of the flattest direction is above 0.3 is named as flat."""

SUBSAMPLE: Final = 8000
"""The quasi-Newton search runs on 8,000 of the distinct rows when there are more: the
optimum of a subsample that size lies within a few standard errors of the full one, where
a few Newton steps on all rows finish the fit."""

NEWTON_STEP: Final = 1e-5
"""The Newton steps end with a step below 1e-5 in every log-parameter (with the gradient
below ``GRADIENT_TOLERANCE``): that step taken, the point is within about 1e-10 of the
optimum."""

CHECKED_STEP: Final = 1e-3
"""A Newton step below 1e-3 in every log-parameter lands within about 1e-6 of the optimum:
its target is accepted if its own gradient is below ``GRADIENT_TOLERANCE``."""

_ROUGH: Final = 1e-8
"""The tolerances (relative change of the value, projected gradient) of the search on a
subsample: its optimum need not be found more closely than the Newton steps start from."""

_NEWTON_STEPS: Final = 30
"""Newton steps allowed before the plain search takes over (a handful are the rule)."""

_HALVINGS: Final = 30
"""Halvings of a Newton step that does not improve the likelihood before giving up."""

_STENCIL_STEP: Final = 1e-4
"""The step in a log-parameter of the differences that give a numeric Hessian."""

_PLAIN: ContextVar[bool] = ContextVar("plain_search", default=False)

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


def dot(a: NDArray[Any], b: NDArray[Any]) -> float:
    """The sum of the products of two vectors, without BLAS.

    ``a @ b`` calls BLAS, whose threads wait for each other on a busy machine: a fit made
    of many such sums over 100,000 rows ran five times slower with other jobs on the same
    two cores. ``np.sum(a * b)`` takes the same time alone, and no more with company.

    Examples:
        >>> dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
        11.0
    """
    return float(np.sum(a * b))


@contextmanager
def plain_search() -> Iterator[None]:
    """Within the block, fits run the plain L-BFGS-B search on all rows, without Newton steps.

    The path the fits took before the subsample search and the Newton steps: the baseline
    of the benchmark and of the tests that check both reach the same optimum.

    Examples:
        >>> f = lambda p: (float(((p - 1.0) ** 2).sum()), 2 * (p - 1.0))
        >>> with plain_search():
        ...     _, est = maximise(f, np.zeros(1), ("u",), total=1.0, runaway=str)
        >>> est.convergence.message
        'L-BFGS-B on all rows: CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL'
    """
    token = _PLAIN.set(True)
    try:
        yield
    finally:
        _PLAIN.reset(token)


def search_rows(
    columns: tuple[Vector, ...], counts: Vector
) -> tuple[tuple[Vector, ...], Vector] | None:
    """The subsample of the quasi-Newton search, or None to search on every row.

    Above ``SUBSAMPLE`` distinct rows (sorted, as ``compress`` leaves them), every
    (n/8000)-th one, a systematic sample spread over the sorted visit counts; the weights
    are the customer counts of the chosen rows, rescaled to a mean (they sum to 1). The
    rule has no randomness, and sorted rows make it independent of the input order.

    Examples:
        >>> (x,), w = search_rows((np.arange(16_000.0),), np.ones(16_000))
        >>> len(x), x[:3].tolist(), round(float(w.sum()), 12)
        (8000, [1.0, 3.0, 5.0], 1.0)
        >>> search_rows((np.arange(10.0),), np.ones(10)) is None
        True
    """
    n = len(counts)
    if n <= SUBSAMPLE or _PLAIN.get():
        return None
    rows = ((np.arange(SUBSAMPLE) + 0.5) * (n / SUBSAMPLE)).astype(np.intp)
    kept = counts[rows]
    return tuple(c[rows] for c in columns), kept / kept.sum()


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


def _moved(objective: Objective, point: Vector, step: float) -> Callable[..., float]:
    """The value at ``point`` moved along axes, for the difference stencils.

    ``f(*moves)`` moves ``point`` by ``sign * step`` along each ``(axis, sign)`` of
    ``moves`` (none: ``point`` itself) and returns the objective's value there.
    """

    def f(*moves: tuple[int, float]) -> float:
        moved = point.copy()
        for i, sign in moves:
            moved[i] += sign * step
        return objective(moved)[0]

    return f


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

    f = _moved(objective, point, step)
    centre = f()
    for i in range(k):
        out[i, i] = (f((i, 1)) - 2 * centre + f((i, -1))) / step**2
        for j in range(i):
            out[i, j] = out[j, i] = (
                f((i, 1), (j, 1)) - f((i, 1), (j, -1)) - f((i, -1), (j, 1)) + f((i, -1), (j, -1))
            ) / (4 * step**2)
    return out


def _stencil(objective: Objective, step: float = _STENCIL_STEP) -> Curvature:
    """The value, gradient and Hessian by differences of the value alone, for a numeric model.

    Central differences give the gradient and the diagonal of the Hessian, f(±h e_i); the
    cross terms are the symmetric mixed differences f(±h e_i ± h e_j) taken along the
    diagonal only, (f(+,+) - f(+,0) - f(0,+) + 2f - f(-,0) - f(0,-) + f(-,-)) / 2h², so
    every entry has an O(h²) error: 1 + 2k + k(k - 1) evaluations (21 for four
    parameters, against 33 for the full central stencil).
    """

    def curvature(point: Vector) -> tuple[float, Vector, Matrix]:
        k = len(point)
        f = _moved(objective, point, step)
        centre = f()
        up = np.array([f((i, 1.0)) for i in range(k)])
        down = np.array([f((i, -1.0)) for i in range(k)])
        hessian = np.diag((up - 2 * centre + down) / step**2)
        for i in range(k):
            for j in range(i):
                both = f((i, 1.0), (j, 1.0)) + f((i, -1.0), (j, -1.0))
                mixed = both - up[i] - up[j] - down[i] - down[j] + 2 * centre
                hessian[i, j] = hessian[j, i] = mixed / (2 * step**2)
        return centre, (up - down) / (2 * step), hessian

    return curvature


class _Counted:
    """An objective that counts its evaluations (for the convergence diagnostics)."""

    def __init__(self, objective: Objective) -> None:
        self.objective = objective
        self.calls = 0

    def __call__(self, point: Vector) -> tuple[float, Vector | None]:
        self.calls += 1
        return self.objective(point)


@attrs.frozen
class _Search:
    point: Vector
    value: float
    gradient_norm: float
    iterations: int
    message: str


def _runaway_check(
    point: Vector,
    names: tuple[str, ...],
    runaway: Callable[[dict[str, int]], str],
    *,
    beyond: float = RUNAWAY,
    moving: Vector | None = None,
) -> None:
    """Raise the explained error if a parameter is beyond ``beyond`` (or not finite).

    With ``moving`` (the search's last move), the error names every parameter beyond half
    of ``beyond`` that is still moving away from 0, not only those past it: two that
    diverge together cross the line one after the other.
    """
    if np.all(np.abs(point) <= beyond):
        return
    away = {
        name: int(np.sign(p))
        for name, p, m in zip(
            names, point, np.zeros_like(point) if moving is None else moving, strict=True
        )
        if abs(p) > beyond or not np.isfinite(p) or (abs(p) > beyond / 2 and p * m > 0)
    }
    shown = ", ".join(
        f"{name} {'→ ∞' if d > 0 else '→ 0'} ({np.exp(p):.3g})"
        for (name, d), p in zip(away.items(), point[[names.index(n) for n in away]], strict=True)
    )
    msg = f"{runaway(away)} [runaway parameters on the rescaled data: {shown}]"
    raise ConvergenceError(msg)


def _lbfgsb(
    objective: Objective,
    start: Vector,
    names: tuple[str, ...],
    runaway: Callable[[dict[str, int]], str],
    *,
    rough: bool = False,
) -> _Search:
    """L-BFGS-B from ``start``; a runaway parameter raises as soon as a round ends with one.

    Without a gradient, forward differences first; if the search stops short of a flat
    gradient (their noise can stop it on a ridge), a second round with central ones. A
    first round that ran away raises at once: a second round would only crawl further
    along the runaway direction, at the cost of many slow evaluations far from the data.
    A ``rough`` search (on a subsample, whose optimum is itself a few standard errors from
    the full one) stops at looser tolerances, after the first round.
    """
    optimize = _scipy_optimize()
    numeric = objective(start)[1] is None

    def forward(p: Vector) -> tuple[float, Vector]:
        value, grad = objective(p)
        return value, _forward_gradient(objective, p, value) if grad is None else grad

    def central(p: Vector) -> tuple[float, Vector]:
        return objective(p)[0], _gradient(objective, p)

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)
    point, iterations = start, 0
    last = [start]

    def watch(at: Vector) -> None:
        # parameters past e⁸ on rescaled data are on their way to 0 or infinity: stop
        # there, before the search crawls on where every evaluation may be slow
        _runaway_check(at, names, runaway, beyond=FLAT_RUNAWAY, moving=at - last[0])
        last[0] = np.array(at, dtype=np.float64)

    options = (
        {"maxiter": 1000, "ftol": _ROUGH, "gtol": _ROUGH}
        if rough
        else {"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8 if numeric else 1e-9}
    )
    for fun in (forward, central) if numeric and not rough else (forward,):
        result = optimize.minimize(
            fun, point, jac=True, method="L-BFGS-B", bounds=bounds, options=options, callback=watch
        )
        point = np.asarray(result.x, dtype=np.float64)
        iterations += int(result.nit)
        _runaway_check(point, names, runaway)
        if rough:
            return _Search(point, float(result.fun), np.nan, iterations, str(result.message))
        grad_norm = float(np.max(np.abs(_gradient(objective, point)))) if len(point) else 0.0
        if grad_norm <= GRADIENT_TOLERANCE:
            break
    return _Search(point, float(result.fun), grad_norm, iterations, str(result.message))


@attrs.frozen
class _Newton:
    point: Vector
    value: float
    gradient_norm: float
    hessian: Matrix | None
    """The Hessian at the last evaluated point; None when Newton failed."""
    steps: int
    message: str


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n} steps"


def _value_gradient(objective: Objective, point: Vector) -> tuple[float, Vector]:
    value, grad = objective(point)
    return value, _central_gradient(objective, point) if grad is None else grad


def _newton(
    curvature: Curvature, objective: Objective, point: Vector, *, analytic: bool
) -> _Newton:
    """Newton steps on all rows, halving a step until the likelihood improves.

    Ends at a point whose gradient per customer is below ``GRADIENT_TOLERANCE``:
    the target of a step below ``NEWTON_STEP`` in every log-parameter (quadratic
    convergence leaves it within about the square of that step of the optimum; the
    gradient and Hessian reported are those of the point the step started from), or,
    when the Hessian takes differences (not ``analytic``), the target of a step below
    ``CHECKED_STEP``, whose own gradient is then computed and reported, with the
    Hessian of the point the step started from. Fails (``hessian`` None) on a Hessian
    that is not positive definite, a step that no halving improves, or too many steps.
    """
    steps = 0
    current = curvature(point)
    while True:
        value, grad, hessian = current
        grad_norm = float(np.max(np.abs(grad)))
        finite = np.isfinite(value) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hessian))
        try:
            np.linalg.cholesky(hessian if finite else np.full_like(hessian, np.nan))
            move = -np.linalg.solve(hessian, grad)
        except np.linalg.LinAlgError:
            why = "its Hessian is not positive definite" if finite else "it is not finite"
            return _Newton(point, value, grad_norm, None, steps, f"stopped: {why}")
        size = float(np.max(np.abs(move)))
        if grad_norm <= GRADIENT_TOLERANCE and size <= NEWTON_STEP:
            steps += 1
            done = np.clip(point + move, -LOG_BOUND, LOG_BOUND)
            return _Newton(done, value, grad_norm, hessian, steps, f"converged in {_steps(steps)}")
        if steps == _NEWTON_STEPS:
            return _Newton(point, value, grad_norm, None, steps, f"no optimum in {_steps(steps)}")
        trial = np.clip(point + move, -LOG_BOUND, LOG_BOUND)
        if analytic:  # the whole step's target, with what the next step needs
            candidate = curvature(trial)
            if candidate[0] <= value:
                point, current = trial, candidate
                steps += 1
                continue
        elif size <= CHECKED_STEP:  # near enough: checked by its gradient alone
            checked, checked_grad = _value_gradient(objective, trial)
            checked_norm = float(np.max(np.abs(checked_grad)))
            if checked <= value:
                steps += 1
                if checked_norm <= GRADIENT_TOLERANCE:
                    said = f"converged in {_steps(steps)}"
                    return _Newton(trial, checked, checked_norm, hessian, steps, said)
                point, current = trial, curvature(trial)
                continue
        elif objective(trial)[0] < value:
            point, current = trial, curvature(trial)
            steps += 1
            continue
        for _ in range(_HALVINGS):
            move = move / 2
            trial = np.clip(point + move, -LOG_BOUND, LOG_BOUND)
            if objective(trial)[0] < value:
                point, current = trial, curvature(trial)
                steps += 1
                break
        else:
            why = "no step along the Newton direction improves the likelihood"
            return _Newton(point, value, grad_norm, None, steps, f"stopped: {why}")


def maximise(
    objective: Objective,
    start: Vector,
    names: tuple[str, ...],
    *,
    total: float,
    runaway: Callable[[dict[str, int]], str],
    curvature: Curvature | None = None,
    search: Objective | None = None,
    search_rows: tuple[int, int] | None = None,
) -> tuple[Vector, Estimate]:
    """Minimise ``objective`` (a negative *mean* log-likelihood) over log-parameters.

    Two phases. A quasi-Newton search (L-BFGS-B, bounded to ±``LOG_BOUND``) from
    ``start`` on ``search``, the objective on a subsample of the rows (see
    ``search_rows``), or on all rows without one, gets near the optimum cheaply. Then
    Newton steps on all rows, with the gradient and the Hessian of ``curvature`` (by
    differences of ``objective`` without one), halving a step until the likelihood
    improves, until the gradient per customer is below ``GRADIENT_TOLERANCE`` and the
    step below ``NEWTON_STEP``. If the search ran away (a parameter beyond
    ``RUNAWAY``), the explained error is raised at once; if Newton fails (a Hessian
    that is not positive definite, a step that does not improve), the plain L-BFGS-B
    search on all rows takes over from where it stopped. Inside ``plain_search``,
    only that plain search runs (the baseline).

    Args:
        objective: log-parameters → (negative mean log-likelihood, gradient or None),
            on all rows.
        start: the deterministic starting log-parameters.
        names: the parameters' names, in order.
        total: the number of customers (the sum of the weights): the mean times it is the
            total log-likelihood.
        runaway: given each runaway parameter's direction (+1 to infinity, -1 to zero),
            the plain-words reason and advice for the error.
        curvature: log-parameters → (value, gradient, Hessian) of ``objective``
            analytically, or None.
        search: the objective on the subsample, or None to search on all rows.
        search_rows: (rows in the subsample, rows in all), for the message.

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
        >>> est.convergence.message
        'L-BFGS-B on all rows: CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL (2 iterations); Newton on all rows: converged in 1 step'
    """
    full = _Counted(objective)
    if _PLAIN.get():
        plain = _lbfgsb(full, start, names, runaway)
        return _estimate(
            plain.point,
            plain.value,
            plain.gradient_norm,
            _hessian(full, plain.point),
            names,
            total=total,
            runaway=runaway,
            diagnostics=(plain.iterations, full.calls, f"L-BFGS-B on all rows: {plain.message}"),
        )
    sub = _Counted(search) if search is not None else full

    def evaluations() -> int:
        return full.calls + (sub.calls if sub is not full else 0)

    first = _lbfgsb(sub, start, names, runaway, rough=sub is not full)
    where = "all rows" if search_rows is None else f"{search_rows[0]:,} of {search_rows[1]:,} rows"
    said = f"L-BFGS-B on {where}: {first.message} ({first.iterations} iterations)"
    newton = _newton(curvature or _stencil(full), full, first.point, analytic=curvature is not None)
    said += f"; Newton on all rows: {newton.message}"
    iterations = first.iterations + newton.steps
    if newton.hessian is not None:
        return _estimate(
            newton.point,
            newton.value,
            newton.gradient_norm,
            newton.hessian,
            names,
            total=total,
            runaway=runaway,
            diagnostics=(iterations, evaluations(), said),
        )
    if newton.steps == 0:  # where the search stopped, the likelihood is flat or not finite
        _runaway_check(newton.point, names, runaway, beyond=FLAT_RUNAWAY)
    last = _lbfgsb(full, newton.point, names, runaway)
    said += f"; L-BFGS-B on all rows: {last.message}"
    return _estimate(
        last.point,
        last.value,
        last.gradient_norm,
        (curvature or _stencil(full))(last.point)[2],
        names,
        total=total,
        runaway=runaway,
        diagnostics=(iterations + last.iterations, evaluations(), said),
    )


def _estimate(
    point: Vector,
    value: float,
    grad_norm: float,
    hessian_mean: Matrix,
    names: tuple[str, ...],
    *,
    total: float,
    runaway: Callable[[dict[str, int]], str],
    diagnostics: tuple[int, int, str],
) -> tuple[Vector, Estimate]:
    """The checks at the optimum, and the estimate with its standard errors."""
    iterations, evaluations, message = diagnostics
    _runaway_check(point, names, runaway)
    if not np.isfinite(value):
        msg = "the log-likelihood is not finite at the optimum: the data cannot be fitted"
        raise ConvergenceError(msg)
    if grad_norm > GRADIENT_TOLERANCE:
        msg = (
            f"the optimiser stopped without reaching an optimum ({message}; largest"
            f" gradient {grad_norm:.2g} per customer): check the data (units, a few customers"
            " with extreme histories) or fit on more customers"
        )
        raise ConvergenceError(msg)
    hessian = hessian_mean * total
    try:
        eigen, vectors = np.linalg.eigh(hessian)
    except np.linalg.LinAlgError:
        eigen, vectors = np.array([np.nan]), np.ones((len(names), 1))
    if not np.all(np.isfinite(eigen)) or eigen.min() <= 0:
        _runaway_check(point, names, runaway, beyond=FLAT_RUNAWAY)
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
        message=message,
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
