"""Member value levels from material value, dealer loyalty and activity (DOMAIN.md §2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import (
    Column,
    Constraint,
    LengthOf,
    Names,
    Numbers,
    OrNone,
    invalid,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, check_is_fitted
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    above_cutoffs,
    labels,
    numeric,
    present,
    quantile_cutoffs,
)
from aftersales_crm.segmentation._levels import LEVEL_NAMES, names_zh

__all__ = ["MemberValue"]

_GROUPS: Final = 3
"""Material value, dealer loyalty and activity participation: one weight each."""

_Distribution = tuple[NDArray[Any], NDArray[np.int64]]


def _positions(distinct: NDArray[Any], values: NDArray[Any]) -> NDArray[np.intp]:
    """``np.searchsorted(distinct, values)``, searching the values in sorted order.

    Sorted queries walk ``distinct`` once instead of jumping around it: on a million
    customers about twice as fast, even counting the sort.
    """
    order = np.argsort(values)
    at = np.empty(len(values), dtype=np.intp)
    at[order] = np.searchsorted(distinct, values[order])
    return at


class MemberValue(BasePolicy):
    """Member levels diamond / platinum / gold / silver from a weighted value score.

    The score of DOMAIN.md §2 weighs three kinds of value, each the mean of its features'
    population percentile ranks (mid-ranks, so equal values share a rank; 0 to 1):

    * material value: spend in the trailing 12 months (``spend_window_fen``), average
      spend per visit (``avg_visit_spend_fen``) and per line (``avg_line_spend_fen``);
    * dealer loyalty: came back after the first maintenance
      (``returned_after_first_maintenance``), share of visits booked by appointment
      (``appointment_share``) and repeat visit days (``frequency``), for the material's
      "on-time visits, switching between dealers", which the features do not hold;
    * activity participation (emotional value): the feature column named by ``activity``
      (club activities attended, say), which the dealer adds to the features; without one
      (``activity=None``, the default) its weight counts as 0.

    The weights of the kinds in use are scaled to sum to 1. A missing value (NaN) ranks
    lowest. ``fit`` keeps each feature's distribution in the population and the score's
    quantiles at ``levels``; a customer gets the first level whose quantile their score is
    strictly above, else the last, so the same customer gets the same level in any table
    assigned with the same fitted policy.

    Attributes:
        weights: the weight of material value, dealer loyalty and activity participation
            (default 0.5 / 0.3 / 0.2, :attr:`DEFAULT_WEIGHTS`).
        levels: the score quantile each level but the last must be above, strictly
            decreasing in [0, 1] (default 0.95 / 0.80 / 0.50, :attr:`DEFAULT_LEVELS`).
        names: the levels, highest first (default diamond, platinum, gold, silver).
        activity: the feature column of activity participation, or None.
        distributions_: fitted: per feature, its sorted distinct values and the count of
            population values below each.
        cutoffs_: fitted: the population's score at each level's quantile.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
        >>> members = MemberValue().fit(feats)
        >>> members.assign(feats).counts()
        {'diamond': 2, 'platinum': 6, 'gold': 12, 'silver': 20}
        >>> float(members.score(feats).max()) <= 1.0
        True

    References:
        DOMAIN.md §2 (member value levels from material value, dealer loyalty and activity
        participation); §3 (the loyalty category: return after the first maintenance).
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True

    MATERIAL: ClassVar[tuple[str, ...]] = (
        "spend_window_fen",
        "avg_visit_spend_fen",
        "avg_line_spend_fen",
    )
    """Material value: spend in a period, average per visit, average per item (DOMAIN.md §2)."""

    LOYALTY: ClassVar[tuple[str, ...]] = (
        "returned_after_first_maintenance",
        "appointment_share",
        "frequency",
    )
    """Dealer loyalty, as far as the features tell (DOMAIN.md §2 and §3)."""

    DEFAULT_WEIGHTS: ClassVar[tuple[float, ...]] = (0.5, 0.3, 0.2)
    """Material 50%, loyalty 30%, activity 20%: a design choice (DOMAIN.md §2 names the
    three kinds of value without weights), with money first as in the material's order."""

    DEFAULT_LEVELS: ClassVar[tuple[float, ...]] = (0.95, 0.80, 0.50)
    """Diamond = top 5% of scores, platinum = next 15%, gold = next 30%, silver = the rest
    (the Pareto split of DOMAIN.md §2 with its top 20% divided, as in QuantileTiers)."""

    DEFAULT_NAMES: ClassVar[tuple[str, ...]] = LEVEL_NAMES
    """Diamond / platinum / gold / silver (钻石/白金/黄金/白银, DOMAIN.md §2)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "weights": Numbers(count=_GROUPS, low=0),
        "levels": Numbers(order="decreasing", low=0, high=1),
        "names": Names(count=LengthOf("levels", plus=1)),
        "activity": OrNone(Column()),
    }
    """Three weights >= 0; strictly decreasing levels in [0, 1]; one more name than levels;
    an activity feature column or None."""

    distributions_: Mapping[str, _Distribution]
    cutoffs_: tuple[float, ...]

    def __init__(
        self,
        *,
        weights: tuple[float, ...] = DEFAULT_WEIGHTS,
        levels: tuple[float, ...] = DEFAULT_LEVELS,
        names: tuple[str, ...] = DEFAULT_NAMES,
        activity: str | None = None,
    ) -> None:
        self.weights = weights
        self.levels = levels
        self.names = names
        self.activity = activity

    def _groups(self) -> list[tuple[float, tuple[str, ...]]]:
        """(scaled weight, features) of each kind of value in use."""
        params = validate_params(self)
        weights, activity = params["weights"], params["activity"]
        groups = [(weights[0], self.MATERIAL), (weights[1], self.LOYALTY)]
        if activity is not None:
            groups.append((weights[2], (activity,)))
        total = sum(weight for weight, _ in groups)
        if total <= 0:
            raise invalid(self, "weights", self.weights, "the weights in use sum to 0")
        return [(weight / total, columns) for weight, columns in groups if weight > 0]

    def _fit(self, features: FeatureTable) -> None:
        levels = validate_params(self)["levels"]
        distributions: dict[str, _Distribution] = {}
        for _, columns in self._groups():
            for name in columns:
                values = self._column(features, name)
                distinct, counts = np.unique(values[present(values)], return_counts=True)
                below = np.zeros(len(distinct) + 1, dtype=np.int64)
                np.cumsum(counts, out=below[1:])
                distributions[name] = (distinct, below)
        self.distributions_ = distributions
        self.cutoffs_ = quantile_cutoffs(self._score(features), levels)

    def _column(self, features: FeatureTable, name: str) -> NDArray[Any]:
        parameter = "activity" if name == self.activity else "weights"
        return numeric(features, self, parameter, name)

    def _score(self, features: FeatureTable) -> NDArray[np.float64]:
        score = np.zeros(len(features), dtype=np.float64)
        for weight, columns in self._groups():
            for name in columns:
                values = self._column(features, name)
                distinct, below = self.distributions_[name]
                total = below[-1]
                if not total:  # no value in the population: nobody ranks above anyone
                    continue
                at = _positions(distinct, values)
                found = distinct[np.minimum(at, len(distinct) - 1)] == values
                rank = (below[at] + below[at + found]) / (2 * total)  # the mid-rank of ties
                rank[~present(values)] = 0.0
                score += weight * rank / len(columns)
        return score

    def score(self, features: FeatureTable) -> NDArray[np.float64]:
        """Each row's weighted value score, 0 (lowest) to 1 (highest) in the fit population.

        Args:
            features: the customers (the fit population or any other).

        Returns:
            float64 array of shape (n_customers,).

        Raises:
            NotFittedError: before :meth:`fit`.
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> MemberValue().fit(feats).score(feats).round(3).tolist()
            [0.171, 0.492, 0.65, 0.454, 0.733]
        """
        check_is_fitted(self)
        return self._score(features)

    def assign(self, features: FeatureTable) -> Labels:
        """The member level of each row (every row gets one, the lowest without data).

        Args:
            features: the customers (the fit population or any other).

        Returns:
            Labels aligned with the rows of ``features``; ``-1`` for everyone when the
            policy was fitted on an empty population.

        Raises:
            NotFittedError: before :meth:`fit`.
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> MemberValue().fit(feats).assign(feats).values("zh").tolist()
            ['白银', '白银', '黄金', '白银', '钻石']
        """
        check_is_fitted(self)
        names = validate_params(self)["names"]
        codes = above_cutoffs(self._score(features), self.cutoffs_)
        return labels(codes, names, names_zh(names))
