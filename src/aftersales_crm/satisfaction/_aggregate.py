"""Aggregating survey scores by group, columnar: each figure with its n and interval.

Groups are the combinations of the dimensions asked for (dealer, advisor, month, quarter,
instrument version, customer segment), found by factorising each dimension to integer
codes and combining them; every mean, variance and count is a ``numpy.bincount`` over
the group codes. Nothing loops over responses or groups in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from statistics import NormalDist
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import tuple_of
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._policy import Labels
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, business_dates
from aftersales_crm.satisfaction._columns import Kind, frozen, text_tuple
from aftersales_crm.satisfaction._responses import Responses
from aftersales_crm.satisfaction._scores import SurveyScores

__all__ = ["DEFAULT_LEVEL", "DEFAULT_MIN_N", "DIMENSIONS", "Figure", "GroupFigures", "aggregate"]

DEFAULT_MIN_N: Final = 30
"""Groups with fewer scored responses than this are flagged and not ranked.

Thirty is the common rule of thumb for a mean to be read with a normal interval; the
material gives no minimum, so the default is the library's choice.
"""

DEFAULT_LEVEL: Final = 0.95
"""The confidence level of the intervals."""

_COUNTED: Final = 1 << 20
"""Group codes spanning fewer values than this (or than the responses) are counted, not sorted."""

DIMENSIONS: Final = ("dealer", "advisor", "month", "quarter", "instrument", "segment")
"""What responses can be grouped by: ``instrument`` is the instrument's key with its version
(``"china_csi@2015"``); ``month`` and ``quarter`` are those of the response's business
date in the programme's time zone; ``segment`` is a customer segment passed in as Labels."""


@attrs.frozen(eq=False)
class Figure:
    """One measure over the groups: its n, mean, standard error and interval per group.

    Attributes:
        n: int64 array of shape (n_groups,): responses with a score.
        mean: float64 array: the mean score (``NaN`` when n is 0).
        se: float64 array: the standard error of the mean, ``sqrt(var / n)``.
        low: float64 array: the interval's lower end, ``mean − z · se``, not below the
            score's lowest possible value.
        high: float64 array: the upper end, likewise not above the highest.

    Examples:
        >>> f = Figure(np.array([2]), np.array([1.5]), np.array([0.5]), np.array([0.52]), np.array([2.48]))
        >>> f.n.tolist(), f.mean.tolist()
        ([2], [1.5])
    """

    n: NDArray[np.int64]
    mean: NDArray[np.float64]
    se: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Figure):
            kind: Kind = "i" if field.name == "n" else "f"
            object.__setattr__(
                self, field.name, frozen("Figure", field.name, getattr(self, field.name), kind)
            )
        if len({len(getattr(self, f.name)) for f in attrs.fields(Figure)}) > 1:
            msg = "Figure: n, mean, se, low and high differ in length"
            raise InvalidValue(msg, code="invalid_argument")


@attrs.frozen(eq=False, repr=False)
class GroupFigures(Displayed):
    """Survey figures by group: keys, the headline figure and one per factor and column.

    Attributes:
        by: the dimensions grouped by, in order (empty: one group of everyone).
        keys: each dimension's value for each group (object arrays of shape (n_groups,);
            ``None`` for responses without one, such as no advisor).
        name: the headline measure (the scores' name).
        figures: every measure by name: the headline, ``factor:<id>`` per factor, and the
            scores' further columns.
        flagged: bool array: groups with fewer than ``min_n`` scored responses.
        rank: int64 array: 1 for the best headline mean among the unflagged groups (equal
            means share a rank), 0 for flagged groups, which are not ranked.
        min_n: the minimum n.
        level: the confidence level of the intervals.

    Examples:
        >>> scores = SurveyScores("nps", np.array(["S1", "S2"], dtype=object),
        ...     np.array([100.0, 0.0]), (-100.0, 100.0), ddof=0)
        >>> figures = aggregate(scores, min_n=1)
        >>> len(figures), figures.mean.tolist(), figures.rank.tolist()
        (1, [50.0], [1])
    """

    by: tuple[str, ...]
    keys: Mapping[str, NDArray[np.object_]]
    name: str
    figures: Mapping[str, Figure]
    flagged: NDArray[np.bool_]
    rank: NDArray[np.int64]
    min_n: int
    level: float

    def __attrs_post_init__(self) -> None:
        owner = "GroupFigures"
        set_ = object.__setattr__
        set_(self, "by", text_tuple(owner, "by", self.by))
        keys: object = self.keys
        figures: object = self.figures
        if not isinstance(keys, Mapping) or not isinstance(figures, Mapping):
            msg = f"{owner}: keys and figures must be mappings"
            raise InvalidType(msg)
        if not all(isinstance(f, Figure) for f in figures.values()) or self.name not in figures:
            msg = f"{owner}: figures must be Figures, among them the headline {self.name!r:.60}"
            raise InvalidType(msg)
        set_(
            self,
            "keys",
            MappingProxyType(
                {str(k): frozen(owner, f"keys[{k!r}]", v, "o") for k, v in keys.items()}
            ),
        )
        set_(self, "figures", MappingProxyType(dict(figures)))
        set_(self, "flagged", frozen(owner, "flagged", self.flagged, "b"))
        set_(self, "rank", frozen(owner, "rank", self.rank, "i"))

    def __len__(self) -> int:
        """The number of groups."""
        return len(self.flagged)

    @property
    def n(self) -> NDArray[np.int64]:
        """The headline figure's n per group."""
        return self.figures[self.name].n

    @property
    def mean(self) -> NDArray[np.float64]:
        """The headline figure's mean per group."""
        return self.figures[self.name].mean

    @property
    def low(self) -> NDArray[np.float64]:
        """The headline figure's interval, lower end."""
        return self.figures[self.name].low

    @property
    def high(self) -> NDArray[np.float64]:
        """The headline figure's interval, upper end."""
        return self.figures[self.name].high

    def to_pandas(self) -> Any:
        """A DataFrame, one row per group: keys, each measure's figures, flagged and rank.

        Each measure gives the columns ``<measure>`` (the mean), ``<measure>_n``, ``_se``,
        ``_low`` and ``_high``. Needs the ``pandas`` extra.

        Examples:
            >>> scores = SurveyScores("nps", np.array(["S1"], dtype=object), np.array([100.0]),
            ...     (-100.0, 100.0), ddof=0)
            >>> aggregate(scores).to_pandas().columns.tolist()[:3]
            ['nps', 'nps_n', 'nps_se']
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, Any] = dict(self.keys)
        for name, figure in self.figures.items():
            data[name] = figure.mean
            data[f"{name}_n"] = figure.n
            data[f"{name}_se"] = figure.se
            data[f"{name}_low"] = figure.low
            data[f"{name}_high"] = figure.high
        data["flagged"] = self.flagged
        data["rank"] = self.rank
        return pd.DataFrame(data)


def _coded(
    codes: NDArray[Any], names: Sequence[str]
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    return np.asarray(codes, dtype=np.int64), np.asarray(list(names), dtype=object)


def _periods(
    responses: Responses, time_zone: str | tzinfo, *, quarter: bool
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    days = business_dates(responses.at, time_zone)
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    index = months // 3 if quarter else months
    distinct, codes = _factorise(index)
    years = 1970 + (distinct * (3 if quarter else 1)) // 12
    if quarter:
        names = [f"{y}Q{q % 4 + 1}" for y, q in zip(years.tolist(), distinct.tolist(), strict=True)]
    else:
        names = [
            f"{y}-{m % 12 + 1:02d}" for y, m in zip(years.tolist(), distinct.tolist(), strict=True)
        ]
    return codes, np.asarray(names, dtype=object)


def _segment(
    responses: Responses, segment: Labels | None, customers: NDArray[Any] | None
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    if not isinstance(segment, Labels):
        msg = f"segment: grouping by segment needs Labels, got {type(segment).__name__}"
        raise InvalidType(msg)
    codes = np.asarray(segment.codes, dtype=np.int64)
    if customers is None:
        if len(codes) != len(responses):
            msg = f"segment: {len(codes)} labels for {len(responses)} responses; pass customers= to map labels per customer"
            raise InvalidValue(msg, code="invalid_argument")
        return codes, np.asarray(segment.names, dtype=object)
    ids = frozen("aggregate", "customers", customers, "o").astype(str)
    if len(ids) != len(codes):
        msg = f"customers: {len(ids)} customer ids for {len(codes)} labels"
        raise InvalidValue(msg, code="invalid_argument")
    order = np.argsort(ids, kind="stable")
    wanted = responses.customer.astype(str)
    at = np.searchsorted(ids[order], wanted)
    at = np.minimum(at, max(len(ids) - 1, 0))
    found = (ids[order][at] == wanted) if len(ids) else np.zeros(len(wanted), dtype=bool)
    mapped = np.where(found, codes[order][at] if len(ids) else -1, -1)
    return mapped.astype(np.int64), np.asarray(segment.names, dtype=object)


def _dimension(
    name: str,
    responses: Responses,
    time_zone: str | tzinfo,
    segment: Labels | None,
    customers: NDArray[Any] | None,
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    if name == "dealer":
        return _coded(responses.dealer, responses.dealers)
    if name == "advisor":
        return _coded(responses.advisor, responses.advisors)
    if name == "instrument":
        return _coded(responses.instrument, responses.instruments)
    if name in ("month", "quarter"):
        return _periods(responses, time_zone, quarter=name == "quarter")
    return _segment(responses, segment, customers)


def _factorise(values: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct values in ascending order, and the position of each value among them.

    What ``np.unique(values, return_inverse=True)`` gives; values spanning no more than
    ``_COUNTED`` or their own number are counted (a mark per value), not sorted.
    """
    if not len(values):
        return values.astype(np.int64), np.zeros(0, dtype=np.int64)
    low, high = int(values.min()), int(values.max())
    if high - low < max(_COUNTED, len(values)):
        seen = np.zeros(high - low + 1, dtype=bool)
        seen[values - low] = True
        rank = np.cumsum(seen, dtype=np.int64) - 1
        return np.flatnonzero(seen).astype(np.int64) + low, rank[values - low]
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct.astype(np.int64), inverse.reshape(-1).astype(np.int64)


def _group_codes(
    dimensions: list[tuple[NDArray[np.int64], NDArray[np.object_]]], n: int
) -> tuple[NDArray[np.intp], list[NDArray[np.object_]]]:
    """One code per response for its group, and each dimension's key per group."""
    combined = np.zeros(n, dtype=np.int64)
    for codes, names in dimensions:
        combined = combined * (len(names) + 1) + (codes + 1)
    distinct, inverse = _factorise(combined)
    keys = []
    for _, names in reversed(dimensions):
        table = np.asarray([None, *names.tolist()], dtype=object)
        distinct, digit = np.divmod(distinct, len(names) + 1)
        keys.append(table[digit])
    return inverse.astype(np.intp), keys[::-1]


def _figure(
    x: NDArray[np.float64],
    group: NDArray[np.intp],
    n_groups: int,
    ddof: int,
    z: float,
    bounds: tuple[float, float],
) -> Figure:
    valid = ~np.isnan(x)
    g, v = group[valid], x[valid]
    n = np.bincount(g, minlength=n_groups)
    total = np.bincount(g, weights=v, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        squares = np.bincount(g, weights=(v - mean[g]) ** 2, minlength=n_groups)
        var = np.where(n > ddof, squares / np.maximum(n - ddof, 1), np.nan)
        se = np.sqrt(var / n)
    return Figure(
        n.astype(np.int64),
        mean,
        se,
        np.clip(mean - z * se, *bounds),
        np.clip(mean + z * se, *bounds),
    )


def _same_ids(a: NDArray[np.object_], b: NDArray[np.object_]) -> bool:
    """Whether two id columns are equal: at once when they are views of the same memory."""
    same_memory = (
        a.shape == b.shape
        and a.strides == b.strides
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )
    return same_memory or bool(np.array_equal(a, b))


def _ranks(mean: NDArray[np.float64], flagged: NDArray[np.bool_]) -> NDArray[np.int64]:
    """1 + the number of unflagged groups with a higher mean; 0 for flagged groups."""
    ranked = ~flagged & ~np.isnan(mean)
    scores = np.sort(mean[ranked])
    above = len(scores) - np.searchsorted(scores, mean, side="right")
    return np.where(ranked, above + 1, 0).astype(np.int64)


def aggregate(
    scores: SurveyScores,
    responses: Responses | None = None,
    *,
    by: Sequence[str] = (),
    segment: Labels | None = None,
    customers: NDArray[Any] | None = None,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    level: float = DEFAULT_LEVEL,
    min_n: int = DEFAULT_MIN_N,
) -> GroupFigures:
    """Every score's mean per group, with its n, standard error and normal interval.

    For each group and measure (the headline score, each factor, each further column): n =
    the responses with a score, the mean, ``se = sqrt(var / n)`` with the variance's
    ``ddof`` from the scores (1 for ratings; 0 for NPS, which gives its published standard
    error ``100 · sqrt((p_P + p_D − (p_P − p_D)²) / n)``), and the interval
    ``mean ± z · se`` with ``z`` the normal quantile of ``level``, clipped to the
    measure's bounds ([`SurveyScores.bounds_of`][aftersales_crm.satisfaction.SurveyScores.bounds_of]: 0–100 for the factors of a 0–1000
    CSI). Groups with n below ``min_n`` are flagged and get rank 0; the others are ranked
    by mean, 1 the best.

    Args:
        scores: a scorer's result.
        responses: the responses scored, in the same order; needed to group.
        by: dimensions from [`DIMENSIONS`][aftersales_crm.satisfaction.DIMENSIONS], in the order the keys should show.
        segment: Labels of a customer segment: one per response, or one per customer of
            ``customers``.
        customers: the customer ids ``segment`` labels, when it labels customers (as a
            tier policy's result does) rather than responses.
        time_zone: the programme's time zone, for months and quarters (default
            ``Asia/Shanghai``).
        level: the confidence level, between 0 and 1.
        min_n: the smallest n a group is ranked with.

    Returns:
        The [`GroupFigures`][aftersales_crm.satisfaction.GroupFigures], groups in the order of their keys.

    Raises:
        InvalidValue: an unknown dimension, responses that are not the ones scored, a level
            outside (0, 1) or a min_n below 1.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import SurveyAnswered
        >>> from aftersales_crm.satisfaction import NPS
        >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> rs = [SurveyAnswered(id=f"S{i}", instrument="nps", version="1", customer_id="C1",
        ...       dealer_id=d, at=at, recommend=r) for i, (d, r) in enumerate(
        ...       [("D1", 10), ("D1", 9), ("D1", 3), ("D2", 7)])]
        >>> responses = Responses.from_records(rs)
        >>> by_dealer = aggregate(NPS().score(responses), responses, by=["dealer"], min_n=2)
        >>> by_dealer.keys["dealer"].tolist(), by_dealer.mean.round(1).tolist(), by_dealer.rank.tolist()
        (['D1', 'D2'], [33.3, 0.0], [1, 0])
    """
    given: object = scores  # typed, but callers may pass anything
    if not isinstance(given, SurveyScores):
        msg = f"scores: expected SurveyScores, got {type(given).__name__}"
        raise InvalidType(msg)
    wanted = tuple_of(by, parameter="by")
    unknown = [d for d in wanted if not isinstance(d, str) or d not in DIMENSIONS]
    if unknown or len(set(wanted)) != len(wanted):
        msg = f"by: {list(wanted)} must be distinct dimensions of {list(DIMENSIONS)}"
        raise InvalidValue(msg, code="invalid_argument")
    if isinstance(level, bool) or not (isinstance(level, float | int) and 0 < level < 1):
        msg = f"level: {level!r} must lie strictly between 0 and 1"
        raise InvalidValue(msg, code="invalid_argument")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        msg = f"min_n: {min_n!r} must be a whole number of 1 or more"
        raise InvalidValue(msg, code="invalid_argument")
    n = len(scores)
    if wanted and responses is None:
        msg = f"responses: grouping by {list(wanted)} needs the responses scored"
        raise InvalidValue(msg, code="invalid_argument")
    source: object = responses
    if source is not None and not isinstance(source, Responses):
        msg = f"responses: expected Responses, got {type(source).__name__}"
        raise InvalidType(msg)
    if responses is not None and (len(responses) != n or not _same_ids(responses.ids, scores.ids)):
        msg = "responses: not the responses scored (their ids differ from the scores')"
        raise InvalidValue(msg, code="invalid_argument")
    if wanted and responses is not None:
        dimensions = [_dimension(d, responses, time_zone, segment, customers) for d in wanted]
        group, keys = _group_codes(dimensions, n)
        n_groups = len(keys[0])
    else:
        group, keys, n_groups = np.zeros(n, dtype=np.intp), [], 1
    z = NormalDist().inv_cdf(0.5 + level / 2)
    measures: dict[str, NDArray[np.float64]] = {scores.name: scores.values}
    for j, factor in enumerate(scores.factors):
        measures[f"factor:{factor}"] = scores.factor_scores[:, j]
    measures.update(scores.columns)
    figures = {
        name: _figure(values, group, n_groups, scores.ddof, z, scores.bounds_of(name))
        for name, values in measures.items()
    }
    head = figures[scores.name]
    flagged = head.n < min_n
    return GroupFigures(
        by=wanted,
        keys=dict(zip(wanted, keys, strict=True)),
        name=scores.name,
        figures=figures,
        flagged=flagged,
        rank=_ranks(head.mean, flagged),
        min_n=min_n,
        level=float(level),
    )
