"""Key-driver analysis (关键驱动因素分析): which factors move overall satisfaction, and how much.

Five measures relate factor (or item) scores x_1 … x_p to overall satisfaction y, all
computed from the correlations of the complete rows: R_xx between the predictors and
r_xy (r_j) between each predictor and y.

* **correlation**: r_j², shares r_j² / Σ r_k².
* **beta**: the standardised OLS betas β = R_xx⁻¹ r_xy; importance β_j², shares
  β_j² / Σ β_k² (the library's choice: the square is what a beta would explain if the
  predictors were uncorrelated).
* **pratt**: Pratt's (1987) product β_j r_j, which sums to R² = r_xyᵀ β; its share
  d_j = β_j r_j / R² may be negative.
* **shapley**: the exact Shapley value (LMG) decomposition of R² (Lindeman, Merenda &
  Gold 1980; Kruskal 1987; Budescu 1993; Lipovetsky & Conklin 2001), each predictor's
  increment of R² averaged over every order of entry, from the R² of all 2^p subsets.
* **johnson**: Johnson's (2000) relative weights ε_j = Σ_k Λ_jk² β*_k², with
  R_xx = Q Δ Qᵀ, Λ = Q Δ^½ Qᵀ and β* = Λ⁻¹ r_xy.

The share of every method is its importance over the sum of its importances; for pratt,
shapley and johnson that sum is R², so the shares are the parts of R².
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal, Self

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, number_array, tuple_of
from aftersales_crm._optional import require
from aftersales_crm._params import Constraint, OneOf, SubsetOf, validate_params
from aftersales_crm._policy import Parameterised, check_is_fitted
from aftersales_crm.errors import InvalidValue
from aftersales_crm.satisfaction._ipa import ImportancePerformance, importance_performance

__all__ = ["MAX_SHAPLEY_PREDICTORS", "METHODS", "KeyDrivers"]

Method = Literal["correlation", "beta", "pratt", "shapley", "johnson"]
"""The name of a key-driver measure."""

METHODS: Final[tuple[Method, ...]] = ("correlation", "beta", "pratt", "shapley", "johnson")
"""The key-driver measures ``KeyDrivers`` computes, in the order it reports them.

Examples:
    >>> METHODS
    ('correlation', 'beta', 'pratt', 'shapley', 'johnson')
"""

MAX_SHAPLEY_PREDICTORS: Final = 20
"""The most predictors the exact Shapley decomposition takes: 2^20 subsets, a few seconds.

The decomposition needs the R² of every subset of the predictors, so its work doubles with
each predictor; beyond this, leave ``"shapley"`` out of ``methods`` and read Johnson's
relative weights, the usual approximation for many attributes (Johnson 2000).

Examples:
    >>> 2**MAX_SHAPLEY_PREDICTORS
    1048576
"""

_RANK_TOLERANCE: Final = 1e-10
"""The predictors are collinear when the smallest eigenvalue of their correlation matrix is
at most this fraction of the largest (a condition number of 10^10 or more): the betas would
then carry no more than about six correct digits."""

_LOADING_SHARE: Final = 0.01
"""A predictor takes part in a collinearity when its loading on a null direction of the
correlation matrix is at least this share of the largest loading."""

_CHUNK: Final = 1 << 15
"""Subsets whose R² one batched solve computes (bounds the memory at p = 20)."""


# ------------------------------------------------------------------ the data


def _names(given: object, p: int) -> tuple[str, ...]:
    names = tuple_of(given, parameter="names")
    if len(names) != p or not all(isinstance(name, str) and name for name in names):
        msg = f"names are {names!r:.120}: expected {p} non-empty texts, one per predictor"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if len(set(names)) != p:
        twice = sorted({name for name in names if names.count(name) > 1})
        msg = f"names must differ: {twice} come more than once"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return names


def _matrix(x: object, names: object) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """The predictors as an n × p float array (a new array or the caller's, never written)."""
    if isinstance(x, Mapping):
        if names is not None:
            msg = "names come from the keys of x when x is a mapping; leave names out"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        columns = [number_array(column, parameter=f"x[{key!r:.40}]") for key, column in x.items()]
        if not columns:
            msg = "x has no predictors: expected at least one column"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        if any(column.ndim != 1 for column in columns) or len({len(c) for c in columns}) > 1:
            shapes = {str(key): column.shape for key, column in zip(x, columns, strict=True)}
            msg = f"the columns of x must be 1-D and of one length, got shapes {shapes!r:.200}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return np.column_stack(columns), _names(tuple(x), len(columns))
    if names is None and isinstance(getattr(x, "columns", None), Iterable):
        names = tuple(getattr(x, "columns"))  # noqa: B009 - a DataFrame's column names
    matrix = number_array(x, parameter="x")
    if matrix.ndim != 2 or matrix.shape[1] == 0:  # noqa: PLR2004 - rows × predictors
        msg = f"x has shape {matrix.shape}: expected a 2-D array, one row per respondent and a column per predictor"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    p = matrix.shape[1]
    return matrix, _names(tuple(f"x{j}" for j in range(p)) if names is None else names, p)


def _target(y: object, n: int) -> NDArray[np.float64]:
    target = number_array(y, parameter="y")
    if target.shape != (n,):
        msg = f"y has shape {target.shape}: expected ({n},), one overall score per row of x"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return target


def _complete_rows(
    matrix: NDArray[np.float64], target: NDArray[np.float64], names: tuple[str, ...], missing: str
) -> NDArray[np.bool_]:
    both = np.column_stack([matrix, target])
    labels = (*names, "y")
    infinite = np.isinf(both)
    if infinite.any():
        rows, cols = np.nonzero(infinite)
        found = ", ".join(f"row {r} ({labels[c]})" for r, c in zip(rows[:5], cols[:5], strict=True))
        msg = f"scores must be finite: infinite at {found}" + (" …" if len(rows) > 5 else "")  # noqa: PLR2004
        raise InvalidValue(msg, code="not_finite")
    absent = np.isnan(both)
    if missing == "raise" and absent.any():
        rows, cols = np.nonzero(absent)
        found = ", ".join(f"row {r} ({labels[c]})" for r, c in zip(rows[:5], cols[:5], strict=True))
        more = " …" if len(rows) > 5 else ""  # noqa: PLR2004
        count = len(np.unique(rows))
        msg = (
            f"{count} {'row has' if count == 1 else 'rows have'} a missing answer (NaN):"
            f" {found}{more}; missing='listwise' drops {'it' if count == 1 else 'them'}"
        )
        raise InvalidValue(msg, code="missing_answer")
    return np.asarray(~absent.any(axis=1))


def _standardised(values: NDArray[np.float64], labels: tuple[str, ...]) -> NDArray[np.float64]:
    """Columns centred and scaled to unit length; a constant column is an error naming it."""
    constant = [
        label for label, column in zip(labels, values.T, strict=True) if (column == column[0]).all()
    ]
    if constant:
        msg = (
            f"{', '.join(constant)} {'is' if len(constant) == 1 else 'are'} constant over the"
            " rows used: a constant score correlates with nothing"
        )
        raise InvalidValue(msg, code="constant_predictor")
    centred = values - values.mean(axis=0)
    return np.asarray(centred / np.sqrt((centred**2).sum(axis=0)))


def _eigen(
    correlations: NDArray[np.float64], names: tuple[str, ...]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Eigenvalues and eigenvectors of R_xx; collinear predictors are an error naming them."""
    eigenvalues, eigenvectors = np.linalg.eigh(correlations)
    null = eigenvalues <= _RANK_TOLERANCE * eigenvalues[-1]
    if null.any():
        loadings = np.abs(eigenvectors[:, null]).max(axis=1)
        involved = [
            n
            for n, load in zip(names, loadings, strict=True)
            if load >= _LOADING_SHARE * loadings.max()
        ]
        msg = (
            f"{', '.join(involved)} are collinear: one is (almost) a linear function of the"
            f" others (smallest eigenvalue of their correlation matrix {eigenvalues[0]:.3g});"
            " leave one out or merge them"
        )
        raise InvalidValue(msg, code="collinear_predictors")
    return eigenvalues, eigenvectors


# ------------------------------------------------------------------ the measures


def _subset_r2(correlations: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """R² of every subset of the predictors, indexed by its bit mask (bit j: predictor j).

    R²(S) = r_Sᵀ R_SS⁻¹ r_S, one batched solve per subset size (and chunk); R²(∅) = 0.
    """
    p = len(r)
    r2 = np.zeros(1 << p)
    for size in range(1, p + 1):
        subsets = np.array(list(itertools.combinations(range(p), size)), dtype=np.intp)
        masks = np.left_shift(1, subsets).sum(axis=1)
        for start in range(0, len(subsets), _CHUNK):
            rows = subsets[start : start + _CHUNK]
            block = correlations[rows[:, :, None], rows[:, None, :]]
            part = r[rows]
            betas = np.linalg.solve(block, part[..., None])[..., 0]
            r2[masks[start : start + _CHUNK]] = np.einsum("ij,ij->i", part, betas)
    return r2


def _shapley(correlations: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """φ_j = Σ_{S ⊆ P∖{j}} |S|! (p − |S| − 1)! / p! · (R²(S ∪ {j}) − R²(S))."""
    p = len(r)
    r2 = _subset_r2(correlations, r)
    masks = np.arange(1 << p)
    sizes = np.zeros(1 << p, dtype=np.intp)
    for j in range(p):
        sizes += (masks >> j) & 1
    weights = np.array(
        [math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) for k in range(p)]
    )
    phi = np.empty(p)
    for j in range(p):
        bit = 1 << j
        without = masks[(masks & bit) == 0]
        phi[j] = np.dot(weights[sizes[without]], r2[without | bit] - r2[without])
    return phi


def _johnson(
    eigenvalues: NDArray[np.float64], eigenvectors: NDArray[np.float64], r: NDArray[np.float64]
) -> NDArray[np.float64]:
    """ε_j = Σ_k Λ_jk² β*_k², Λ = Q Δ^½ Qᵀ, β* = Λ⁻¹ r_xy = Q Δ^-½ Qᵀ r_xy."""
    root = np.sqrt(eigenvalues)
    loadings = (eigenvectors * root) @ eigenvectors.T
    weights = (eigenvectors / root) @ (eigenvectors.T @ r)
    return np.asarray((loadings**2) @ (weights**2))


def _read_only(values: NDArray[Any]) -> NDArray[Any]:
    values.flags.writeable = False
    return values


# ------------------------------------------------------------------ the estimator


class KeyDrivers(Parameterised):
    """Key-driver analysis: the importance of each factor for overall satisfaction.

    As a scikit-learn estimator: the parameters are stored unchanged by the constructor,
    which does no work (``get_params``, ``set_params`` and ``clone`` as a policy's);
    ``fit`` returns a fitted copy with the results in trailing-underscore attributes
    and leaves the receiver (and the caller's data) alone.

    Every measure is computed from the correlations of the rows used, so it does not change
    when a predictor or y is rescaled (a negative factor flips the signs of that predictor's
    correlation and beta, not an importance), and reordering the predictors reorders the
    results and changes nothing else.

    Args:
        methods: the measures to compute, any of ``METHODS`` (default all five):
            ``"correlation"``, ``"beta"``, ``"pratt"``, ``"shapley"``, ``"johnson"``.
            ``"shapley"`` takes at most ``MAX_SHAPLEY_PREDICTORS`` predictors.
        missing: the rule for a row with a missing answer (NaN) in a predictor or in y:
            ``"listwise"`` (default) drops the row and counts it in ``dropped_``;
            ``"raise"`` refuses the data, naming the rows and the columns.

    Attributes:
        names_: the predictors' names, in their order.
        n_: the rows used (complete rows).
        p_: the number of predictors.
        dropped_: the rows dropped for a missing answer.
        dropped_rows_: int64 array of their positions in the input.
        means_: float64 array of shape (p,): each predictor's mean over the rows used,
            the performance of an importance–performance table.
        correlations_: float64 array of shape (p,): r_j, each predictor's correlation
            with y.
        betas_: float64 array of shape (p,): the standardised OLS betas β = R_xx⁻¹ r_xy.
        r2_: R² = r_xyᵀ β of the regression of y on all predictors.
        importances_: the raw importances per measure (each a float64 array of shape
            (p,)): r_j², β_j², β_j r_j, φ_j and ε_j.
        shares_: the importances per measure over their sum (for pratt, shapley and
            johnson that sum is R²).

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(7)
        >>> factors = rng.normal(size=(200, 3)) @ np.array([[1.0, 0.5, 0.2], [0, 1, 0.4], [0, 0, 1]])
        >>> overall = factors @ np.array([0.6, 0.3, 0.1]) + rng.normal(size=200)
        >>> drivers = KeyDrivers().fit(factors, overall, names=["advisor", "quality", "facility"])
        >>> drivers.n_, drivers.dropped_, round(drivers.r2_, 3)
        (200, 0, 0.431)
        >>> drivers.shares_["shapley"].round(3)
        array([0.579, 0.361, 0.06 ])
        >>> bool(np.isclose(drivers.importances_["shapley"].sum(), drivers.r2_))
        True

    References:
        Lindeman, Merenda & Gold (1980), *Introduction to Bivariate and Multivariate
        Analysis*; Kruskal (1987), "Relative importance by averaging over orderings",
        *The American Statistician* 41(1); Budescu (1993), "Dominance analysis",
        *Psychological Bulletin* 114(3); Lipovetsky & Conklin (2001), "Analysis of
        regression in game theory approach", *Applied Stochastic Models in Business and
        Industry* 17(4); Johnson (2000), "A heuristic method for estimating the relative
        weight of predictor variables in multiple regression", *Multivariate Behavioral
        Research* 35(1); Pratt (1987), "Dividing the indivisible".
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = MappingProxyType(
        {
            "methods": SubsetOf(METHODS, what="measures"),
            "missing": OneOf(("listwise", "raise")),
        }
    )
    """Each parameter's rule ([`Constraint`][aftersales_crm.policies.Constraint])."""

    names_: tuple[str, ...]
    n_: int
    p_: int
    dropped_: int
    dropped_rows_: NDArray[np.int64]
    means_: NDArray[np.float64]
    correlations_: NDArray[np.float64]
    betas_: NDArray[np.float64]
    r2_: float
    importances_: Mapping[Method, NDArray[np.float64]]
    shares_: Mapping[Method, NDArray[np.float64]]

    def __init__(
        self,
        *,
        methods: Iterable[Method] = METHODS,
        missing: Literal["listwise", "raise"] = "listwise",
    ) -> None:
        self.methods = methods
        self.missing = missing

    def __getstate__(self) -> dict[str, Any]:
        """The state to pickle: the read-only mappings as plain dictionaries."""
        return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in vars(self).items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled analysis, its mappings and arrays read-only again."""
        for name, value in state.items():
            if name in ("importances_", "shares_"):
                value = MappingProxyType({m: _read_only(v) for m, v in value.items()})
            elif isinstance(value, np.ndarray):
                value = _read_only(value)
            setattr(self, name, value)

    def fit(self, x: object, y: object, *, names: Iterable[str] | None = None) -> Self:
        """The analysis of ``y`` on ``x``: a fitted copy; the receiver is not changed.

        Args:
            x: the factor or item scores: a 2-D float array of shape (n, p), one row per
                respondent and a column per predictor; or a mapping from each predictor's
                name to a 1-D array of length n (a pandas DataFrame gives its column
                names). NaN is a missing answer.
            y: float array of shape (n,): the overall satisfaction of each respondent.
            names: the predictors' names (default: a DataFrame's columns, or ``x0``,
                ``x1``, …); left out when x is a mapping.

        Returns:
            A fitted copy (see the class's attributes).

        Raises:
            InvalidValue: a parameter breaks its rule; x or y is not numbers of the right
                shape; a score is infinite (code ``"not_finite"``); a missing answer with
                ``missing="raise"`` (``"missing_answer"``); fewer than p + 2 complete rows
                (``"too_few_rows"``); a constant predictor or y (``"constant_predictor"``);
                collinear predictors, naming them (``"collinear_predictors"``); more than
                ``MAX_SHAPLEY_PREDICTORS`` predictors for ``"shapley"``
                (``"too_many_predictors"``).

        Examples:
            >>> import math
            >>> x = {"advisor": [7, 9, 8, 6, 9, math.nan], "facility": [8, 8, 9, 7, 6, 9]}
            >>> fitted = KeyDrivers().fit(x, [7, 9, 9, 6, 8, 9])
            >>> fitted.names_, fitted.n_, fitted.dropped_, fitted.dropped_rows_.tolist()
            (('advisor', 'facility'), 5, 1, [5])
            >>> KeyDrivers(missing="raise").fit(x, [7, 9, 9, 6, 8, 9])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: 1 row has a missing answer (NaN): row 5 (advisor); missing='listwise' drops it
        """
        checked = validate_params(self)
        chosen = tuple(method for method in METHODS if method in checked["methods"])
        if not chosen:
            msg = f"KeyDrivers: methods={self.methods!r} is invalid: expected at least one of {METHODS}"
            raise InvalidValue(msg, code="invalid_parameter")
        matrix, found = _matrix(x, names)
        n, p = matrix.shape
        target = _target(y, n)
        if "shapley" in chosen and p > MAX_SHAPLEY_PREDICTORS:
            msg = (
                f"the exact Shapley decomposition takes at most {MAX_SHAPLEY_PREDICTORS}"
                f" predictors (2^p subsets), got {p}: leave 'shapley' out of methods"
            )
            raise InvalidValue(msg, code="too_many_predictors")
        complete = _complete_rows(matrix, target, found, checked["missing"])
        used = int(complete.sum())
        if used < p + 2:
            dropped = n - used
            msg = (
                f"key-driver analysis of {p} predictors needs at least {p + 2} complete rows,"
                f" got {used}" + (f" ({dropped} dropped for a missing answer)" if dropped else "")
            )
            raise InvalidValue(msg, code="too_few_rows")
        rows = matrix[complete]
        standard = _standardised(np.column_stack([rows, target[complete]]), (*found, "y"))
        z, zy = standard[:, :p], standard[:, p]
        correlations = z.T @ z
        correlations = (correlations + correlations.T) / 2
        np.fill_diagonal(correlations, 1.0)
        r = z.T @ zy
        eigenvalues, eigenvectors = _eigen(correlations, found)
        betas = np.linalg.solve(correlations, r)
        products = betas * r
        measures: dict[Method, NDArray[Any]] = {}
        for method in chosen:
            if method == "correlation":
                measures[method] = r**2
            elif method == "beta":
                measures[method] = betas**2
            elif method == "pratt":
                measures[method] = products
            elif method == "shapley":
                measures[method] = _shapley(correlations, r)
            else:
                measures[method] = _johnson(eigenvalues, eigenvectors, r)
        fitted = self.clone()
        fitted.names_ = found
        fitted.n_ = used
        fitted.p_ = p
        fitted.dropped_ = n - used
        fitted.dropped_rows_ = _read_only(np.flatnonzero(~complete).astype(np.int64))
        fitted.means_ = _read_only(rows.mean(axis=0))
        fitted.correlations_ = _read_only(r)
        fitted.betas_ = _read_only(betas)
        fitted.r2_ = float(products.sum())
        fitted.importances_ = MappingProxyType({m: _read_only(v) for m, v in measures.items()})
        fitted.shares_ = MappingProxyType({m: _read_only(v / v.sum()) for m, v in measures.items()})
        return fitted

    def weights(self, method: Method = "shapley") -> tuple[float, ...]:
        """One measure's shares as factor weights, in the predictors' order, summing to 1.

        What ``CsiIndex(weights=...)`` takes when its weights are derived by key-driver
        analysis (``CsiIndex.key_drivers``): each predictor's share of the measure.
        Shapley and Johnson shares are never negative; a measure with a negative share
        (Pratt's, for a suppressor) cannot serve as weights and is refused.

        Args:
            method: the measure (default ``"shapley"``), one of those computed.

        Raises:
            NotFittedError: before ``fit``.
            InvalidValue: a measure that was not computed, or a negative share.

        Examples:
            >>> x = {"advisor": [7, 9, 8, 6, 9, 8], "facility": [8, 8, 9, 7, 6, 9]}
            >>> KeyDrivers().fit(x, [7, 9, 9, 6, 8, 9]).weights("johnson")
            (0.68..., 0.31...)
        """
        check_is_fitted(self)
        if not (isinstance(method, str) and method in self.shares_):
            msg = f"weights: method={method!r:.80} is not among the measures computed, {tuple(self.shares_)}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        shares = self.shares_[method]
        negative = [name for name, share in zip(self.names_, shares, strict=True) if share < 0]
        if negative:
            msg = (
                f"weights: the {method} shares of {negative} are negative, and a weight cannot"
                " be; take 'shapley' or 'johnson'"
            )
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return tuple(float(share) for share in shares)

    def ipa(
        self,
        method: Method = "shapley",
        *,
        performance: object = None,
        split: Literal["mean", "median"] = "mean",
    ) -> ImportancePerformance:
        """The importance–performance table of the fitted predictors (Martilla & James 1977).

        Args:
            method: the measure whose shares are the importance (default ``"shapley"``).
            performance: float array of shape (p,): each predictor's performance (default
                ``means_``, the mean score over the rows used; pass 0–100 factor scores to
                plot those instead).
            split: where the quadrants divide: at the ``"mean"`` (default) or the
                ``"median"`` of the importances and of the performances.

        Returns:
            An ``ImportancePerformance`` table, one row per predictor.

        Raises:
            NotFittedError: before ``fit``.
            InvalidValue: a measure that was not computed, or a bad performance or split.

        Examples:
            >>> import numpy as np
            >>> rng = np.random.default_rng(7)
            >>> x = rng.normal(size=(200, 3)) + [8.5, 7.0, 9.0]
            >>> y = x @ [0.6, 0.3, 0.1] + rng.normal(size=200)
            >>> table = KeyDrivers().fit(x, y, names=["advisor", "quality", "facility"]).ipa()
            >>> [(name, q.label("zh")) for name, q in zip(table.names, table.quadrants)]
            [('advisor', '继续保持'), ('quality', '次要改进'), ('facility', '过度投入')]
        """
        check_is_fitted(self)
        if not (isinstance(method, str) and method in self.shares_):
            msg = f"ipa: method={method!r:.80} is not among the measures computed, {tuple(self.shares_)}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return importance_performance(
            self.shares_[method],
            self.means_ if performance is None else performance,
            names=self.names_,
            split=split,
        )

    def to_pandas(self) -> Any:
        """One row per predictor: its mean, r, beta, and each measure's importance and share.

        The columns are ``mean``, ``r`` (the correlation with y), ``beta``, then
        ``<measure>_importance`` and ``<measure>_share`` for each measure computed.

        Needs the extra ``pandas``.

        Raises:
            NotFittedError: before ``fit``.

        Examples:
            >>> x = {"advisor": [7, 9, 8, 6, 9, 8], "facility": [8, 8, 9, 7, 6, 9]}
            >>> df = KeyDrivers(methods=["shapley"]).fit(x, [7, 9, 9, 6, 8, 9]).to_pandas()
            >>> list(df.columns)
            ['mean', 'r', 'beta', 'shapley_importance', 'shapley_share']
            >>> list(df.index)
            ['advisor', 'facility']
        """
        check_is_fitted(self)
        pd = require("pandas", extra="pandas")
        data: dict[str, NDArray[np.float64]] = {
            "mean": self.means_,
            "r": self.correlations_,
            "beta": self.betas_,
        }
        for method, importance in self.importances_.items():
            data[f"{method}_importance"] = importance
            data[f"{method}_share"] = self.shares_[method]
        return pd.DataFrame(data, index=pd.Index(self.names_, name="predictor"))
