"""Member value levels from the owners' club's value model: money, loyalty, activity."""

from __future__ import annotations

import os
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, LengthOf, Names, Numbers, invalid, validate_params
from aftersales_crm._policy import (
    BasePolicy,
    Labels,
    PolicyKind,
    check_is_fitted,
    feature_table,
)
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    above_cutoffs,
    labels,
    numeric,
    quantile_cutoffs,
)
from aftersales_crm.segmentation._levels import LEVEL_NAMES, names_zh
from aftersales_crm.segmentation._ranks import Placed, Placer, population_placed, rank_table

__all__ = ["MemberValue"]

_KINDS: Final = ("material", "loyalty", "activity")
"""The kinds of value, each a parameter naming its feature columns, in weight order."""

_GROUPS: Final = len(_KINDS)
"""Material value, dealer loyalty and activity participation: one weight each."""

_Distribution = tuple[NDArray[Any], NDArray[np.int64]]


_PARALLEL_ROWS: Final = 100_000
"""Rows from which the columns are ranked side by side on two threads (numpy sorts and
gathers release the GIL); below, one after the other. The result is the same."""

_THREADS: Final = 2
"""Threads for the columns: the machines the benchmarks run on have two cores."""


def _each(work: Callable[[Any], Any], items: list[Any], rows: int) -> Iterator[Any]:
    """``work(item)`` for each item in order, on threads when the table is large.

    Lazily: one thread computes each item as it is taken, so what the caller is done with
    is freed before the next is made.
    """
    if rows < _PARALLEL_ROWS or len(items) < _THREADS:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(max_workers=min(_THREADS, os.cpu_count() or 1)) as pool:
        yield from pool.map(work, items)


_Fingerprint = tuple[int, str, tuple[int, ...], int]


def _fingerprint(column: NDArray[Any]) -> _Fingerprint | None:
    """The column's identity, type, shape and CRC-32 of its bytes; None if not contiguous.

    A CRC-32 of 8 MB takes about 2 ms (zlib releases the GIL), against tens of ms to rank
    the column again.
    """
    if not column.flags.c_contiguous:
        return None
    return id(column), column.dtype.str, column.shape, zlib.crc32(column.data)


def _placers(distributions: Mapping[str, _Distribution]) -> dict[str, Placer]:
    """A ``Placer`` for each fitted feature: its lookups are built once, when used."""
    return {name: Placer(distinct) for name, (distinct, _) in distributions.items()}


class _Population:
    """The score of each row of the table a policy was fitted on, while that table lives.

    Kept by ``fit`` for an ``assign`` or ``score`` of that very table: the same object,
    with the same column objects holding the same bytes (their fingerprints), and the same
    weights and columns. It is no fitted state: a copy (``copy.deepcopy``) shares it, and
    a pickled policy goes without it.
    """

    __slots__ = ("_kept",)

    def __init__(self, table: FeatureTable, key: object, score: NDArray[np.float64]) -> None:
        score.flags.writeable = False
        self._kept = weakref.WeakKeyDictionary({table: (key, score)})

    def __deepcopy__(self, memo: dict[int, Any]) -> _Population:
        return self  # never changed once made

    def holds(self, table: FeatureTable) -> bool:
        return table in self._kept

    def score(self, table: FeatureTable, key: object) -> NDArray[np.float64] | None:
        kept = self._kept.get(table)
        return kept[1] if kept is not None and kept[0] == key else None


class MemberValue(BasePolicy):
    """Member levels diamond / platinum / gold / silver from the owners' club's value model.

    《斯柯达车友汇客户关爱总监培训教材》 splits customer value (客户价值) into material
    value, "费用贡献: 时间段的总费用 单次的平均费用 单个项目的平均费用" (spend: the total
    in a period, the average per visit, the average per item), dealer loyalty,
    "经销店忠诚: 按时到店 多店变换" (arriving on time, moving between dealers), and
    activity participation, "活动参与: 积极参与经销店活动" (taking an active part in the
    dealer's activities); it ranks customers into value classes "钻石级客户 白金级客户
    黄金级客户……". The score follows it with three kinds of value, each the mean of its
    features' population percentile ranks (mid-ranks, so equal values share a rank; 0 to 1):

    * ``material``: spend in the trailing 12 months (``spend_window_fen``), average spend
      per visit (``avg_visit_spend_fen``) and per line (``avg_line_spend_fen``);
    * ``loyalty``: the share of service returns that came by the service due date
      (``on_time_arrival_rate``, 按时到店) and the share of visit days at the customer's
      main dealer (``main_dealer_share``, 多店变换: the more they move, the lower);
    * ``activity``: club activities attended in the trailing 12 months
      (``activities_window``, from the ``activities`` table).

    Each kind reads the feature columns its parameter names, so a preset or a dealer can
    score other features; a kind with no column is not in use. The weights of the kinds in
    use are scaled to sum to 1. A missing value (NaN: a customer without a service return
    has no on-time rate) ranks lowest. ``fit`` keeps each feature's distribution in the
    population and the score's quantiles at ``levels``; a customer gets the first level
    whose quantile their score is strictly above, else the last, so the same customer gets
    the same level in any table assigned with the same fitted policy. It also keeps the
    score of each row of the table it was fitted on, as long as that table lives, so that
    assigning that very table again does not rank it again: the same table object, whose
    columns hold the same bytes (a CRC-32 of each, about 2 ms a million rows). Placing
    another table builds a lookup of each feature's distinct values (a bitmap, buckets or
    a table of places), kept for the next. A pickled policy goes without either.

    Presets: [`diamond_gold_silver`][aftersales_crm.segmentation.MemberValue.diamond_gold_silver] (the D/G/S value columns of the loyalty × value
    matrix) and [`loyalty_and_cumulative_spend`][aftersales_crm.segmentation.MemberValue.loyalty_and_cumulative_spend] (the member-level update of
    《信息回访员基础培训分析报告》).

    Attributes:
        weights: the weight of material value, dealer loyalty and activity participation
            (default 0.5 / 0.3 / 0.2, [`DEFAULT_WEIGHTS`][aftersales_crm.segmentation.MemberValue.DEFAULT_WEIGHTS]).
        levels: the score quantile each level but the last must be above, strictly
            decreasing in [0, 1] (default 0.95 / 0.80 / 0.50, [`DEFAULT_LEVELS`][aftersales_crm.segmentation.MemberValue.DEFAULT_LEVELS]).
        names: the levels, highest first (default diamond, platinum, gold, silver).
        material: the feature columns of material value (default [`MATERIAL`][aftersales_crm.segmentation.MemberValue.MATERIAL]).
        loyalty: the feature columns of dealer loyalty (default [`LOYALTY`][aftersales_crm.segmentation.MemberValue.LOYALTY]).
        activity: the feature columns of activity participation (default
            [`ACTIVITY`][aftersales_crm.segmentation.MemberValue.ACTIVITY]).
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
        >>> MemberValue(activity=()).fit(feats).assign(feats).counts()["diamond"]
        2

    References:
        《斯柯达车友汇客户关爱总监培训教材》, 斯柯达客户价值细分 (the value model and its
        classes); 《信息回访员基础培训分析报告》: "会员级别更新(依据忠诚度级别和消费累计)"
        for [`loyalty_and_cumulative_spend`][aftersales_crm.segmentation.MemberValue.loyalty_and_cumulative_spend]. Weights and level cuts are the
        library's choice (the material gives neither).
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True

    MATERIAL: ClassVar[tuple[str, ...]] = (
        "spend_window_fen",
        "avg_visit_spend_fen",
        "avg_line_spend_fen",
    )
    """Material value: "时间段的总费用 单次的平均费用 单个项目的平均费用"
    (《斯柯达车友汇客户关爱总监培训教材》), the period being the features' trailing 12 months."""

    LOYALTY: ClassVar[tuple[str, ...]] = ("on_time_arrival_rate", "main_dealer_share")
    """Dealer loyalty: "按时到店 多店变换" (《斯柯达车友汇客户关爱总监培训教材》), on-time
    arrival and main-dealer share."""

    ACTIVITY: ClassVar[tuple[str, ...]] = ("activities_window",)
    """Activity participation: "积极参与经销店活动" (《斯柯达车友汇客户关爱总监培训教材》),
    activities in 12 months."""

    DEFAULT_WEIGHTS: ClassVar[tuple[float, ...]] = (0.5, 0.3, 0.2)
    """Material 50%, loyalty 30%, activity 20%: the library's choice. The material names the
    three kinds of value without weights; money comes first as in its order, and activity
    keeps a share large enough to move a customer between neighbouring levels."""

    DEFAULT_LEVELS: ClassVar[tuple[float, ...]] = (0.95, 0.80, 0.50)
    """Diamond = top 5% of scores, platinum = next 15%, gold = next 30%, silver = the rest:
    the library's choice. The owners'-club training names the classes but no shares; the
    cuts keep the customer shares of the CSI course's value classes, "客户数量比重20%30%50%" (as
    [`diamond_gold_silver`][aftersales_crm.segmentation.MemberValue.diamond_gold_silver] does), and divide the top 20%, as
    [`QuantileTiers`][aftersales_crm.segmentation.QuantileTiers] does."""

    DEFAULT_NAMES: ClassVar[tuple[str, ...]] = LEVEL_NAMES
    """Diamond / platinum / gold / silver (钻石/白金/黄金/白银; the value classes of
    《斯柯达车友汇客户关爱总监培训教材》
    "钻石级客户 白金级客户 黄金级客户……", silver the matrix's "S白银客户")."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "weights": Numbers(count=_GROUPS, low=0),
        "levels": Numbers(order="decreasing", low=0, high=1),
        "names": Names(count=LengthOf("levels", plus=1)),
        "material": Names(),
        "loyalty": Names(),
        "activity": Names(),
    }
    """Three weights >= 0; strictly decreasing levels in [0, 1]; one more name than levels;
    for each kind of value, distinct feature column names (none: the kind is not in use)."""

    distributions_: Mapping[str, _Distribution]
    cutoffs_: tuple[float, ...]

    def __init__(
        self,
        *,
        weights: tuple[float, ...] = DEFAULT_WEIGHTS,
        levels: tuple[float, ...] = DEFAULT_LEVELS,
        names: tuple[str, ...] = DEFAULT_NAMES,
        material: tuple[str, ...] = MATERIAL,
        loyalty: tuple[str, ...] = LOYALTY,
        activity: tuple[str, ...] = ACTIVITY,
    ) -> None:
        self.weights = weights
        self.levels = levels
        self.names = names
        self.material = material
        self.loyalty = loyalty
        self.activity = activity

    @classmethod
    def diamond_gold_silver(cls, **params: Any) -> MemberValue:
        """Three value classes D 钻石 / G 黄金 / S 白银: top 20%, next 30%, the rest 50%.

        The loyalty × value matrix of 《斯柯达车友汇客户关爱总监培训教材》 has the columns
        "D钻石客户 G黄金客户 S白银客户"; this preset gives them from the value model: ``levels=(0.8, 0.5)``,
        ``names=("diamond", "gold", "silver")``. It gives no shares; the cuts take
        those of the A/B/C value classes of 《客户关系与CSI培训课程(原件无标题)》,
        "客户数量比重20%30%50%" (20%, 30% and 50% of customers).

        Args:
            **params: other parameters, or these overridden.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
            >>> dgs = MemberValue.diamond_gold_silver().fit(feats).assign(feats)
            >>> dgs.counts(), dgs.names_zh
            ({'diamond': 8, 'gold': 12, 'silver': 20}, ('钻石', '黄金', '白银'))
        """
        return cls(**({"levels": (0.8, 0.5), "names": ("diamond", "gold", "silver")} | params))

    @classmethod
    def loyalty_and_cumulative_spend(cls, **params: Any) -> MemberValue:
        """The follow-up callers' member-level update: from loyalty and cumulative spend.

        《信息回访员基础培训分析报告》: "会员级别更新(依据忠诚度级别和消费累计)" (update the
        member level by the loyalty category and the cumulative spend). Material value is
        all spend to date (``spend_fen``), loyalty the loyalty category (came back after the
        first maintenance, ``returned_after_first_maintenance``), activity not used; the two
        weigh the same (``weights=(0.5, 0.5, 0)``, the library's choice: the material names
        both and no weights). Levels and names are the defaults.

        Args:
            **params: other parameters, or these overridden.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
            >>> members = MemberValue.loyalty_and_cumulative_spend()
            >>> members.material, members.loyalty, members.activity
            (('spend_fen',), ('returned_after_first_maintenance',), ())
            >>> members.fit(feats).assign(feats).counts()["diamond"]
            2
        """
        preset: dict[str, Any] = {
            "weights": (0.5, 0.5, 0.0),
            "material": ("spend_fen",),
            "loyalty": ("returned_after_first_maintenance",),
            "activity": (),
        }
        return cls(**(preset | params))

    def _groups(self) -> list[tuple[float, tuple[str, ...]]]:
        """(scaled weight, features) of each kind of value in use."""
        params = validate_params(self)
        kinds = (params["material"], params["loyalty"], params["activity"])
        groups = [(w, columns) for w, columns in zip(params["weights"], kinds, strict=True)]
        total = sum(weight for weight, columns in groups if columns)
        if total <= 0:
            raise invalid(self, "weights", self.weights, "the weights in use sum to 0")
        return [(weight / total, columns) for weight, columns in groups if weight > 0 and columns]

    def _names(self) -> list[str]:
        """The feature columns in use, each once, in weight order."""
        return list(dict.fromkeys(name for _, columns in self._groups() for name in columns))

    def _fit(self, features: FeatureTable) -> None:
        levels = validate_params(self)["levels"]
        names = self._names()
        columns = [(name, self._column(features, name), features[name]) for name in names]

        def fit(column: tuple[str, NDArray[Any], NDArray[Any]]) -> tuple[Any, ...]:
            name, values, stored = column  # stored: as the table holds it
            distribution, placed = population_placed(values)
            terms = self._terms(name, distribution[1], placed)
            return distribution, terms, _fingerprint(stored)

        # one pass per column gives its distribution, its rows' places and their terms
        distributions: dict[str, _Distribution] = {}
        prints: list[_Fingerprint | None] = []

        def arrived() -> Iterator[tuple[str, list[NDArray[np.float64]]]]:
            found = _each(fit, columns, len(features))
            for name, (distribution, terms, fingerprint) in zip(names, found, strict=True):
                distributions[name] = distribution
                prints.append(fingerprint)
                yield name, terms

        score = self._sum(len(features), arrived())
        self.distributions_ = distributions
        self._placers = _placers(distributions)
        self.cutoffs_ = quantile_cutoffs(score, levels)
        if None not in prints:
            self._population = _Population(features, (self._groups(), tuple(prints)), score)

    def __getstate__(self) -> dict[str, Any]:
        """Parameters and fitted state, without the scores and lookups kept alongside."""
        state = dict(vars(self))
        state.pop("_population", None)
        state.pop("_placers", None)
        return state

    def _column(self, features: FeatureTable, name: str) -> NDArray[Any]:
        parameter = next(p for p in _KINDS if name in getattr(self, p))
        return numeric(features, self, parameter, name)

    def _order(self) -> list[tuple[str, float, int]]:
        """Each term of the score, in the order it is added: feature, weight, columns."""
        return [
            (name, weight, len(columns)) for weight, columns in self._groups() for name in columns
        ]

    def _terms(
        self, name: str, below: NDArray[np.int64], placed: Placed
    ) -> list[NDArray[np.float64]]:
        """Each row's ``weight * rank / len(columns)`` for each use of feature ``name``.

        The three operations are done once per place (``rank_table``), bit for bit as
        on each row, and each row looks its term up. No terms for an empty population,
        which ranks nobody.
        """
        if not below[-1]:
            return []
        ranks = rank_table(below)
        return [
            placed.take(weight * ranks / count)
            for used, weight, count in self._order()
            if used == name
        ]

    def _sum(
        self, rows: int, arrived: Iterable[tuple[str, list[NDArray[np.float64]]]]
    ) -> NDArray[np.float64]:
        """The score: the terms added in one fixed order, each as soon as it has arrived.

        ``arrived`` gives each feature's terms once, in the order of ``_names``.
        """
        coming = iter(arrived)
        left: dict[str, Iterator[NDArray[np.float64]]] = {}
        score: NDArray[np.float64] | None = None
        for name, _, _ in self._order():
            while name not in left:
                got, terms = next(coming)
                left[got] = iter(terms)
            term = next(left[name], None)
            if term is None:
                continue
            if score is None:  # 0.0 + term is the term: every term is at least +0.0
                score = term
            else:
                score += term
        for _ in coming:  # every feature is in the order: nothing is left
            pass
        return np.zeros(rows, dtype=np.float64) if score is None else score

    def _score(self, features: FeatureTable) -> NDArray[np.float64]:
        """The scores; those of the fit population (read-only) when it is given again."""
        rows = len(feature_table(features, self))
        names = self._names()
        columns = [(name, self._column(features, name)) for name in names]
        population: _Population | None = getattr(self, "_population", None)
        if population is not None and population.holds(features):
            prints = tuple(_each(_fingerprint, [features[name] for name in names], rows))
            kept = population.score(features, (self._groups(), prints))
            if kept is not None:
                return kept

        placers: Mapping[str, Placer] = getattr(self, "_placers", {})

        def score(column: tuple[str, NDArray[Any]]) -> list[NDArray[np.float64]]:
            name, values = column
            distinct, below = self.distributions_[name]
            placer = placers.get(name)
            if placer is None or placer.distinct is not distinct:  # none kept for these
                placer = Placer(distinct)
            return self._terms(name, below, Placed(placer.places(values)))

        found = _each(score, columns, rows)
        return self._sum(rows, zip(names, found, strict=True))

    def score(self, features: FeatureTable) -> NDArray[np.float64]:
        """Each row's weighted value score, 0 (lowest) to 1 (highest) in the fit population.

        Args:
            features: the customers (the fit population or any other).

        Returns:
            float64 array of shape (n_customers,).

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> MemberValue().fit(feats).score(feats).round(3).tolist()
            [0.252, 0.523, 0.68, 0.368, 0.677]
        """
        check_is_fitted(self)
        score = self._score(features)
        return score if score.flags.writeable else score.copy()

    def assign(self, features: FeatureTable) -> Labels:
        """The member level of each row (every row gets one, the lowest without data).

        Args:
            features: the customers (the fit population or any other).

        Returns:
            Labels aligned with the rows of ``features``; ``-1`` for everyone when the
            policy was fitted on an empty population.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> MemberValue().fit(feats).assign(feats).values("zh").tolist()
            ['白银', '白银', '钻石', '白银', '黄金']
        """
        check_is_fitted(self)
        names = validate_params(self)["names"]
        codes = above_cutoffs(self._score(features), self.cutoffs_)
        return labels(codes, names, names_zh(names))
