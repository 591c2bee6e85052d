"""RFM scores and the named segments of their recency × frequency grid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, OneOf, Whole, check_value, validate_params
from aftersales_crm._policy import (
    BasePolicy,
    Labels,
    PolicyKind,
    Scores,
    check_is_fitted,
    feature,
)
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    MISSING,
    labels,
    numeric,
    quantile_cutoffs,
)

__all__ = ["RFMScore"]

_GRID_SIZE: Final = 5
"""The segment grid is defined on 1–5 scores."""

_MIN_BINS: Final = 2
"""Fewer than two bins cannot tell customers apart."""

_MAX_BINS: Final = 100
"""More bins than this is a mistake (percentiles are the finest useful scores)."""

_PARTS: Final = ("recency", "frequency", "monetary")
"""The three scores, in the columns of [`RFMScore.scores`][aftersales_crm.segmentation.RFMScore.scores]."""


class RFMScore(BasePolicy):
    """Recency, frequency and monetary scores 1–5 by population quintiles, and RFM segments.

    ``fit`` learns, from the customers with at least one visit, the quintile edges of
    recency (``recency_days``, fewer days is better), frequency (``frequency``, repeat
    visit days) and monetary value (``spend_fen``). A score is 1 plus the number of edges
    the customer's value is strictly above (recency counted in reverse), so equal values
    share a score whatever the row order, and heavily tied features (frequency) leave some
    scores unused rather than splitting equal customers. [`scores`][aftersales_crm.segmentation.RFMScore.scores] gives the three
    scores; customers without a visit have no recency and score 0 on all three.
    [`score`][aftersales_crm.segmentation.RFMScore.score] gives one number per customer as [`Scores`][aftersales_crm.policies.Scores]
    (the total R + F + M, or one of the three), NaN without a visit.

    The label is the segment of the recency and frequency scores in the grid of
    [`SEGMENTS`][aftersales_crm.segmentation.RFMScore.SEGMENTS] / [`GRID`][aftersales_crm.segmentation.RFMScore.GRID], a convention popular in open-source RFM analyses
    rather than a standard; monetary value is left to [`scores`][aftersales_crm.segmentation.RFMScore.scores]. With ``bins`` other
    than 5, a score s is placed in the grid at ``ceil(5 s / bins)`` (the quintile where its
    bin ends). Customers without a visit get ``-1``.

    Attributes:
        bins: scores run from 1 to ``bins`` (default 5, quintiles; [`DEFAULT_BINS`][aftersales_crm.segmentation.RFMScore.DEFAULT_BINS]).
        recency_edges_: fitted: the edges of the recency score, on minus ``recency_days``.
        frequency_edges_: fitted: the edges of the frequency score.
        monetary_edges_: fitted: the edges of the monetary score, in fen.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> rfm = RFMScore().fit(feats)
        >>> rfm.scores(feats)[:3].tolist()
        [[4, 3, 2], [2, 3, 4], [4, 5, 5]]
        >>> rfm.assign(feats).values()[:3].tolist()
        ['potential_loyalists', 'at_risk', 'loyal_customers']

    References:
        Arthur M. Hughes, *Strategic Database Marketing* (1994): recency, frequency and
        monetary value each scored in quintiles 1–5, the most recent scoring 5. The named
        tiers and the cells mapped to them are the library's choice.
    """

    kind: ClassVar[PolicyKind] = "tier"
    short_name: ClassVar[str] = "rfm"
    """Its registered name, the name of the Labels it gives."""
    population_relative: ClassVar[bool] = True

    DEFAULT_BINS: ClassVar[int] = 5
    """Quintile scores 1–5 (Hughes, *Strategic Database Marketing*, 1994)."""

    SEGMENTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("champions", "冠军客户"),
        ("loyal_customers", "忠诚客户"),
        ("potential_loyalists", "潜在忠诚客户"),
        ("new_customers", "新客户"),
        ("promising", "有潜力客户"),
        ("need_attention", "需关注客户"),
        ("about_to_sleep", "即将沉睡客户"),
        ("at_risk", "流失风险客户"),
        ("cant_lose_them", "不能失去的客户"),
        ("hibernating", "沉睡客户"),
    )
    """The segments (English name, Chinese name), in the order of the labels."""

    GRID: ClassVar[tuple[tuple[int, ...], ...]] = (
        # F=1 F=2 F=3 F=4 F=5
        (9, 9, 7, 7, 8),  # R=1: hibernating, at risk, can't lose them
        (9, 9, 7, 7, 8),  # R=2
        (6, 6, 5, 1, 1),  # R=3: about to sleep, need attention, loyal
        (4, 2, 2, 1, 1),  # R=4: promising, potential loyalists, loyal
        (3, 2, 2, 0, 0),  # R=5: new customers, potential loyalists, champions
    )
    """The segment (index into [`SEGMENTS`][aftersales_crm.segmentation.RFMScore.SEGMENTS]) of each recency score (rows) and
    frequency score (columns), both 1–5."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "bins": Whole(low=_MIN_BINS, high=_MAX_BINS),
    }
    """A whole number of bins from 2 to 100."""

    recency_edges_: tuple[float, ...]
    frequency_edges_: tuple[float, ...]
    monetary_edges_: tuple[float, ...]

    def __init__(self, *, bins: int = DEFAULT_BINS) -> None:
        self.bins = bins

    def _bins(self) -> int:
        bins: int = validate_params(self)["bins"]
        return bins

    def _columns(
        self, features: FeatureTable
    ) -> tuple[NDArray[np.float64], NDArray[Any], NDArray[Any]]:
        recency = -np.asarray(feature(features, "recency_days"), dtype=np.float64)
        frequency = numeric(features, self, "frequency", "frequency")
        monetary = numeric(features, self, "monetary", "spend_fen")
        return recency, frequency, monetary

    def _fit(self, features: FeatureTable) -> None:
        bins = self._bins()
        levels = [k / bins for k in range(1, bins)]
        recency, frequency, monetary = self._columns(features)
        visited = ~np.isnan(recency)
        self.recency_edges_ = quantile_cutoffs(recency[visited], levels)
        self.frequency_edges_ = quantile_cutoffs(frequency[visited], levels)
        self.monetary_edges_ = quantile_cutoffs(monetary[visited], levels)

    def scores(self, features: FeatureTable) -> NDArray[np.int8]:
        """The recency, frequency and monetary score of each row, 1 to ``bins``.

        Args:
            features: the customers (the fit population or any other).

        Returns:
            int8 array of shape (n_customers, 3): R, F and M; 0 for customers without a
            visit, and for everyone when the policy was fitted on customers without visits.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> RFMScore(bins=3).fit(feats).scores(feats)[:2].tolist()
            [[2, 2, 1], [1, 2, 2]]
        """
        check_is_fitted(self)
        columns = self._columns(features)
        edges = (self.recency_edges_, self.frequency_edges_, self.monetary_edges_)
        out = np.zeros((len(features), len(columns)), dtype=np.int8)
        visited = ~np.isnan(columns[0])
        if not len(edges[0]) or np.isnan(edges[0]).any():  # fitted on nobody with a visit
            return out
        for j, (values, cut) in enumerate(zip(columns, edges, strict=True)):
            out[visited, j] = 1 + np.searchsorted(np.asarray(cut), values[visited], side="left")
        return out

    def score(self, features: FeatureTable, part: str = "total") -> Scores:
        """One RFM number per row, as [`Scores`][aftersales_crm.policies.Scores].

        Args:
            features: the customers (the fit population or any other).
            part: ``"total"`` (the default) for R + F + M, 3 to ``3 * bins``; or
                ``"recency"``, ``"frequency"`` or ``"monetary"`` for that score alone,
                1 to ``bins``.

        Returns:
            Scores aligned with the rows of ``features``, indexed by their ids and named
            ``rfm_<part>``; NaN for customers without a visit, and for everyone when the
            policy was fitted on customers without visits.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: ``part`` is not one of the four.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> rfm = RFMScore().fit(feats)
            >>> rfm.score(feats).values[:3].tolist(), rfm.score(feats, "monetary").values[:3].tolist()
            ([9.0, 9.0, 14.0], [2.0, 4.0, 5.0])
            >>> rfm.score(feats).to_pandas().head(2).to_dict()
            {'C0000000': 9.0, 'C0000001': 9.0}
        """
        check_is_fitted(self)
        part = check_value(self, "part", part, OneOf(("total", *_PARTS)))
        scores = self.scores(features).astype(np.float64)
        values = scores.sum(axis=1) if part == "total" else scores[:, _PARTS.index(part)]
        values[scores[:, 0] == 0] = np.nan
        return Scores(values, features.ids, name=f"rfm_{part}", key=features.key)

    def assign(self, features: FeatureTable) -> Labels:
        """The RFM segment of each row; ``-1`` without a visit.

        Args:
            features: the customers (the fit population or any other).

        Returns:
            Labels aligned with the rows of ``features``, named by [`SEGMENTS`][aftersales_crm.segmentation.RFMScore.SEGMENTS].

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: ``bins`` is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> RFMScore().fit(feats).assign(feats).values("zh").tolist()
            ['沉睡客户', '沉睡客户', '冠军客户', '潜在忠诚客户', '忠诚客户']
        """
        check_is_fitted(self)
        bins = self._bins()
        scores = self.scores(features).astype(np.intp)
        scored = scores[:, 0] > 0
        grid = np.asarray(self.GRID, dtype=np.int16)
        # A score s of ``bins`` bins sits in the quintile where its bin ends: ceil(5 s / bins).
        placed = -((-scores[scored, :2] * _GRID_SIZE) // bins)
        codes = np.full(len(features), MISSING, dtype=np.int16)
        codes[scored] = grid[placed[:, 0] - 1, placed[:, 1] - 1]
        return labels(codes, [name for name, _ in self.SEGMENTS], [zh for _, zh in self.SEGMENTS])
