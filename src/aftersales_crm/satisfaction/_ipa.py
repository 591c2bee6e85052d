"""Importance–performance analysis (IPA, Martilla & James 1977): four quadrants of factors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, language, number_array, tuple_of
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import LabelledEnum, Lang

__all__ = ["ImportancePerformance", "Quadrant", "importance_performance"]

_AT_SPLIT: Final = 1e-12
"""Relative rounding within which a value counts as lying on a split."""


class Quadrant(LabelledEnum):
    """A quadrant of the importance–performance grid (Martilla & James 1977).

    The English labels are Martilla & James's: "concentrate here" (A: important, performing
    below the split), "keep up the good work" (B: important, performing well), "low
    priority" (C: less important, performing below the split) and "possible overkill" (D:
    less important, performing well). The dealer training material does not name the
    quadrants; the Chinese labels are the library's choice: 重点改进, 继续保持, 次要改进,
    过度投入.

    Examples:
        >>> Quadrant.CONCENTRATE_HERE.label("zh"), Quadrant("possible_overkill").label()
        ('重点改进', 'possible overkill')
        >>> [q.letter for q in Quadrant]
        ['A', 'B', 'C', 'D']

    References:
        Martilla, J. A. & James, J. C. (1977), "Importance-performance analysis",
        *Journal of Marketing* 41(1), 77–79.
    """

    CONCENTRATE_HERE = "concentrate_here", "concentrate here", "重点改进"
    KEEP_UP_THE_GOOD_WORK = "keep_up_the_good_work", "keep up the good work", "继续保持"
    LOW_PRIORITY = "low_priority", "low priority", "次要改进"
    POSSIBLE_OVERKILL = "possible_overkill", "possible overkill", "过度投入"

    @property
    def letter(self) -> str:
        """Martilla & James's letter of the quadrant: A, B, C or D."""
        return "ABCD"[list(Quadrant).index(self)]


def _high(value: float, split: float) -> bool:
    """At or above the split; equal within rounding counts as at (a mean of equal values)."""
    return bool(value >= split or np.isclose(value, split, rtol=_AT_SPLIT, atol=0.0))


def _quadrant(*, important: bool, performing: bool) -> Quadrant:
    if important:
        return Quadrant.KEEP_UP_THE_GOOD_WORK if performing else Quadrant.CONCENTRATE_HERE
    return Quadrant.POSSIBLE_OVERKILL if performing else Quadrant.LOW_PRIORITY


@attrs.frozen(eq=False, repr=False)
class ImportancePerformance(Displayed):
    """An importance–performance table: each factor's importance, performance and quadrant.

    Attributes:
        names: the factors, in their order.
        importance: float64 array of shape (p,): each factor's importance.
        performance: float64 array of shape (p,): each factor's performance.
        importance_split: where importance divides high from low.
        performance_split: where performance divides high from low.
        split: ``"mean"`` or ``"median"``: how the splits were taken.
        quadrants: each factor's ``Quadrant``; a factor exactly at a split counts as
            high.

    Examples:
        >>> table = importance_performance([0.5, 0.3, 0.2], [7.0, 9.0, 8.5], names=["a", "b", "c"])
        >>> table.quadrant("a"), table.in_quadrant(Quadrant.POSSIBLE_OVERKILL)
        (<Quadrant.CONCENTRATE_HERE: 'concentrate_here'>, ('b', 'c'))
    """

    names: tuple[str, ...]
    importance: NDArray[np.float64]
    performance: NDArray[np.float64]
    importance_split: float
    performance_split: float
    split: str
    quadrants: tuple[Quadrant, ...]

    def quadrant(self, name: str) -> Quadrant:
        """The quadrant of the factor ``name``.

        Raises:
            InvalidValue: ``name`` is not a factor of the table.

        Examples:
            >>> importance_performance([0.9, 0.1], [6.0, 8.0], names=["a", "b"]).quadrant("b").label()
            'possible overkill'
        """
        if not (isinstance(name, str) and name in self.names):
            msg = f"{name!r:.80} is not a factor of the table; its factors are {self.names}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return self.quadrants[self.names.index(name)]

    def in_quadrant(self, quadrant: Quadrant | str) -> tuple[str, ...]:
        """The factors in ``quadrant`` (a ``Quadrant`` or its value), in table order.

        Raises:
            InvalidValue: ``quadrant`` is not a quadrant.

        Examples:
            >>> table = importance_performance([0.9, 0.1], [6.0, 8.0], names=["a", "b"])
            >>> table.in_quadrant("concentrate_here")
            ('a',)
        """
        wanted = quadrant if isinstance(quadrant, Quadrant) else None
        if wanted is None:
            try:
                wanted = Quadrant(quadrant)
            except (ValueError, TypeError):
                allowed = ", ".join(repr(q.value) for q in Quadrant)
                msg = f"quadrant is {quadrant!r:.80}, expected one of {allowed}"
                raise InvalidValue(msg, code=ARGUMENT_CODE) from None
        return tuple(n for n, q in zip(self.names, self.quadrants, strict=True) if q is wanted)

    def to_pandas(self, lang: Lang = "en") -> Any:
        """One row per factor: importance, performance, the quadrant's letter and label.

        Needs the extra ``pandas``.

        Args:
            lang: the language of the quadrant labels, ``"en"`` or ``"zh"``.

        Examples:
            >>> table = importance_performance([0.9, 0.1], [6.0, 8.0], names=["a", "b"])
            >>> table.to_pandas("zh")["quadrant"].tolist()
            ['重点改进', '过度投入']
        """
        chosen = language(lang)
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            {
                "importance": self.importance,
                "performance": self.performance,
                "letter": [q.letter for q in self.quadrants],
                "quadrant": [q.label("zh" if chosen == "zh" else "en") for q in self.quadrants],
            },
            index=pd.Index(self.names, name="factor"),
        )


def _scores(values: object, parameter: str, p: int | None) -> NDArray[np.float64]:
    found = number_array(values, parameter=parameter)
    if found.ndim != 1 or (p is not None and len(found) != p) or not len(found):
        expected = f"({p},)" if p is not None else "(p,) with p >= 1"
        msg = f"{parameter} has shape {found.shape}: expected {expected}, one per factor"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if not np.isfinite(found).all():
        msg = f"{parameter} must be finite numbers, got {found.tolist()!r:.120}"
        raise InvalidValue(msg, code="not_finite")
    copy = found.copy()
    copy.flags.writeable = False
    return copy


def importance_performance(
    importance: object,
    performance: object,
    *,
    names: Iterable[str],
    split: Literal["mean", "median"] = "mean",
) -> ImportancePerformance:
    """Place each factor in a quadrant of importance against performance (IPA).

    Importance is usually a derived key-driver share (``KeyDrivers.ipa`` passes the
    Shapley shares) or a direct importance rating; performance is the factor's mean score.
    Both axes split at their mean (Martilla & James's grid centred on the data) or at
    their median; a factor exactly at a split counts as high (the library's choice: the
    paper leaves points on the lines open).

    Args:
        importance: float array of shape (p,): each factor's importance.
        performance: float array of shape (p,): each factor's performance.
        names: the factors' names, distinct, one per factor.
        split: ``"mean"`` (default) or ``"median"``.

    Returns:
        The ``ImportancePerformance`` table.

    Raises:
        InvalidValue: arrays of different lengths or not finite, names that are not one
            distinct text per factor, or another split.

    Examples:
        >>> table = importance_performance(
        ...     [0.40, 0.25, 0.20, 0.15], [7.1, 8.9, 6.8, 9.2],
        ...     names=["service quality", "service advisor", "facility", "pick-up"],
        ... )
        >>> round(table.importance_split, 2), round(table.performance_split, 2)
        (0.25, 8.0)
        >>> [q.label("zh") for q in table.quadrants]
        ['重点改进', '继续保持', '次要改进', '过度投入']
    """
    weights = _scores(importance, "importance", None)
    p = len(weights)
    scores = _scores(performance, "performance", p)
    labels = tuple_of(names, parameter="names")
    if (
        len(labels) != p
        or not all(isinstance(n, str) and n for n in labels)
        or len(set(labels)) != p
    ):
        msg = f"names are {labels!r:.120}: expected {p} distinct non-empty texts, one per factor"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if not (isinstance(split, str) and split in ("mean", "median")):
        msg = f"split is {split!r:.80}, expected 'mean' or 'median'"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    centre = np.mean if split == "mean" else np.median
    at_importance, at_performance = float(centre(weights)), float(centre(scores))
    quadrants = tuple(
        _quadrant(important=_high(w, at_importance), performing=_high(s, at_performance))
        for w, s in zip(weights, scores, strict=True)
    )
    return ImportancePerformance(
        names=labels,
        importance=weights,
        performance=scores,
        importance_split=at_importance,
        performance_split=at_performance,
        split=split,
        quadrants=quadrants,
    )
