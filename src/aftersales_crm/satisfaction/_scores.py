"""What a satisfaction scorer gives: one score per response, with its factor and item scores."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import positions
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.satisfaction._columns import frozen, text_tuple

__all__ = ["SurveyScores"]

_MATRIX: Final = 2
"""Factor and item scores are matrices: one row per response."""

_NONE: Final = np.zeros((0, 0))
"""The default factor and item scores: none (replaced by an (n, 0) matrix)."""


def _same(a: NDArray[Any], b: NDArray[Any]) -> bool:
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def _check_bounds(name: str, bounds: object) -> None:
    if not (
        isinstance(bounds, tuple)
        and len(bounds) == _MATRIX
        and all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        and bounds[0] <= bounds[1]
    ):
        msg = (
            f"SurveyScores: {name} is {bounds!r:.60}, expected a (lowest, highest) pair of numbers"
        )
        raise InvalidType(msg)


@attrs.frozen(eq=False, repr=False)
class SurveyScores(Displayed):
    """One satisfaction score per response, in input order, with its factor and item scores.

    A scorer's population figures (a dimension's mean gap, the CSI index of a dealer, the
    NPS) are means of these per-response scores over a group, with their n and interval:
    see [`summary`][aftersales_crm.satisfaction.SurveyScores.summary] and [`aggregate`][aftersales_crm.satisfaction.aggregate].

    Attributes:
        name: what ``values`` measures (``"csi_index"``, ``"nps"``…).
        ids: object array of shape (n,): each response's id.
        values: float64 array of shape (n,): each response's score; ``NaN`` when the
            response cannot be scored (too few answers, no recommend score).
        bounds: the lowest and highest score possible, for ``values``.
        factors: the factor ids, in the instrument's order.
        factor_scores: float64 array of shape (n, n_factors); ``NaN`` for a factor the
            respondent answered too few items of.
        items: the item ids.
        item_scores: float64 array of shape (n, n_items); ``NaN`` for a missing answer.
        columns: further per-response figures by name (``"weighted"``, ``"servperf"``,
            ``"ratio"``, ``"top_box"``), each float64 of shape (n,).
        ddof: the delta degrees of freedom of the standard error of a mean of these
            scores: 1 for ratings and gaps (the sample variance), 0 for NPS, whose
            published standard error treats the ±100 scores with the population variance.
        factor_bounds: the lowest and highest factor score possible (0–100 for the factor
            scores of a 0–1000 CSI); None, the default, gives ``bounds``.
        column_bounds: the lowest and highest value possible of further columns, by name
            (the top-box share lies in 0–1). A column not named has no bounds.

    Intervals of means are clipped to these bounds ([`aggregate`][aftersales_crm.satisfaction.aggregate]).

    Examples:
        >>> scores = SurveyScores("nps", np.array(["S1", "S2"], dtype=object),
        ...     np.array([100.0, -100.0]), (-100.0, 100.0), ddof=0)
        >>> len(scores), scores.take(np.array([1])).values.tolist()
        (2, [-100.0])
        >>> scores.factor_bounds, scores.bounds_of("nps")
        ((-100.0, 100.0), (-100.0, 100.0))
    """

    name: str
    ids: NDArray[np.object_]
    values: NDArray[np.float64]
    bounds: tuple[float, float]
    factors: tuple[str, ...] = ()
    factor_scores: NDArray[np.float64] = attrs.field(factory=lambda: _NONE)
    items: tuple[str, ...] = ()
    item_scores: NDArray[np.float64] = attrs.field(factory=lambda: _NONE)
    columns: Mapping[str, NDArray[np.float64]] = attrs.field(factory=dict)
    ddof: int = 1
    factor_bounds: tuple[float, float] | None = None
    column_bounds: Mapping[str, tuple[float, float]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        owner = "SurveyScores"
        name: object = self.name
        if not isinstance(name, str) or not name:
            msg = f"{owner}: name is {name!r:.60}, expected a text"
            raise InvalidType(msg)
        values = frozen(owner, "values", self.values, "f")
        n = len(values)
        set_ = object.__setattr__
        set_(self, "values", values)
        set_(self, "ids", frozen(owner, "ids", self.ids, "o"))
        set_(self, "factors", text_tuple(owner, "factors", self.factors))
        set_(self, "items", text_tuple(owner, "items", self.items))
        for field in ("factor_scores", "item_scores"):
            given = getattr(self, field)
            none = given is _NONE
            set_(
                self,
                field,
                frozen(owner, field, np.zeros((n, 0)) if none else given, "f", ndim=_MATRIX),
            )
        columns: object = self.columns
        if not isinstance(columns, Mapping) or not all(isinstance(k, str) for k in columns):
            msg = f"{owner}: columns is {columns!r:.60}, expected a mapping of names to arrays"
            raise InvalidType(msg)
        set_(
            self,
            "columns",
            MappingProxyType(
                {k: frozen(owner, f"columns[{k!r}]", v, "f") for k, v in columns.items()}
            ),
        )
        _check_bounds("bounds", self.bounds)
        if self.factor_bounds is None:
            set_(self, "factor_bounds", self.bounds)
        _check_bounds("factor_bounds", self.factor_bounds)
        given_bounds: object = self.column_bounds
        if not isinstance(given_bounds, Mapping) or not set(given_bounds) <= set(self.columns):
            msg = (
                f"{owner}: column_bounds is {given_bounds!r:.60}, expected bounds by the name"
                f" of a column of {sorted(self.columns)}"
            )
            raise InvalidType(msg)
        for column, pair in given_bounds.items():
            _check_bounds(f"column_bounds[{column!r}]", pair)
        set_(self, "column_bounds", MappingProxyType(dict(given_bounds)))
        ddof: object = self.ddof
        if ddof not in (0, 1) or isinstance(ddof, bool):
            msg = f"{owner}: ddof is {ddof!r:.60}, expected 0 or 1"
            raise InvalidValue(msg, code="invalid_scores")
        problems = [
            field
            for field, rows in (
                ("ids", len(self.ids)),
                ("factor_scores", self.factor_scores.shape[0]),
                ("item_scores", self.item_scores.shape[0]),
                *((f"columns[{k!r}]", len(v)) for k, v in self.columns.items()),
            )
            if rows != n
        ]
        if self.factor_scores.shape[1] != len(self.factors):
            problems.append("factors")
        if self.item_scores.shape[1] != len(self.items):
            problems.append("items")
        if problems:
            msg = f"SurveyScores: {problems} do not fit {n} scores"
            raise InvalidValue(msg, code="invalid_scores")

    def bounds_of(self, measure: str) -> tuple[float, float]:
        """The lowest and highest value of a measure: the score, ``factor:<id>`` or a column.

        Raises:
            InvalidValue: no such measure.

        Examples:
            >>> scores = SurveyScores("gap", np.array(["S1"], dtype=object), np.array([0.5]),
            ...     (-6.0, 6.0), columns={"top_box": [1.0], "ratio": [1.2]},
            ...     column_bounds={"top_box": (0.0, 1.0)})
            >>> scores.bounds_of("gap"), scores.bounds_of("top_box"), scores.bounds_of("ratio")
            ((-6.0, 6.0), (0.0, 1.0), (-inf, inf))
        """
        if measure == self.name:
            return self.bounds
        if measure.startswith("factor:") and measure.removeprefix("factor:") in self.factors:
            assert self.factor_bounds is not None  # set by __attrs_post_init__
            return self.factor_bounds
        if measure in self.columns:
            return self.column_bounds.get(measure, (-math.inf, math.inf))
        msg = f"SurveyScores: no measure {measure!r}; the score is {self.name!r}"
        raise InvalidValue(msg, code="invalid_argument")

    def __len__(self) -> int:
        """The number of responses scored."""
        return len(self.values)

    def __eq__(self, other: object) -> bool:
        """Same name, ids, scores and columns (``NaN`` equals ``NaN``)."""
        if not isinstance(other, SurveyScores):
            return NotImplemented
        return (
            (self.name, self.bounds, self.factor_bounds, self.factors, self.items, self.ddof)
            == (
                other.name,
                other.bounds,
                other.factor_bounds,
                other.factors,
                other.items,
                other.ddof,
            )
            and dict(self.column_bounds) == dict(other.column_bounds)
            and self.columns.keys() == other.columns.keys()
            and _same(self.ids, other.ids)
            and _same(self.values, other.values)
            and _same(self.factor_scores, other.factor_scores)
            and _same(self.item_scores, other.item_scores)
            and all(_same(v, other.columns[k]) for k, v in self.columns.items())
        )

    __hash__ = None  # type: ignore[assignment]

    def take(self, rows: NDArray[np.intp]) -> SurveyScores:
        """The scores of the responses at ``rows``, in that order.

        Examples:
            >>> scores = SurveyScores("gap", np.array(["S1", "S2"], dtype=object),
            ...     np.array([0.5, -1.0]), (-6.0, 6.0), columns={"ratio": [1.1, 0.8]})
            >>> scores.take(np.array([1, 0])).columns["ratio"].tolist()
            [0.8, 1.1]
        """
        rows = positions(rows, len(self))
        return attrs.evolve(
            self,
            ids=self.ids[rows],
            values=self.values[rows],
            factor_scores=self.factor_scores[rows],
            item_scores=self.item_scores[rows],
            columns={name: values[rows] for name, values in self.columns.items()},
        )

    def summary(self, *, level: float = 0.95, min_n: int = 1) -> Any:
        """The mean of every score over all responses, with its n and interval.

        The same as [`aggregate`][aftersales_crm.satisfaction.aggregate] with no grouping.

        Examples:
            >>> scores = SurveyScores("nps", np.array(["S1", "S2", "S3"], dtype=object),
            ...     np.array([100.0, 0.0, -100.0]), (-100.0, 100.0), ddof=0)
            >>> figure = scores.summary()
            >>> figure.n.tolist(), figure.mean.tolist()
            ([3], [0.0])
        """
        from aftersales_crm.satisfaction._aggregate import aggregate

        return aggregate(self, level=level, min_n=min_n)

    def to_pandas(self) -> Any:
        """A DataFrame indexed by response id: the score, each factor, each further column.

        Factor columns are named ``factor:<id>``; items are left out (see
        ``item_scores``). Needs the ``pandas`` extra.

        Examples:
            >>> scores = SurveyScores("gap", np.array(["S1"], dtype=object), np.array([0.5]),
            ...     (-6.0, 6.0), factors=("tangibles",), factor_scores=np.array([[0.5]]))
            >>> scores.to_pandas().columns.tolist()
            ['gap', 'factor:tangibles']
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, NDArray[Any]] = {self.name: self.values}
        for j, factor in enumerate(self.factors):
            data[f"factor:{factor}"] = self.factor_scores[:, j]
        data.update(self.columns)
        return pd.DataFrame(data, index=pd.Index(self.ids, name="response_id"))
