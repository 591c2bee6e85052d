"""Segmentation dimensions read from customer features.

The CSI course classifies customers by "价值分类性别分类爱好分类区域分类车龄分类年龄分类"
(value, gender, hobby, region, vehicle age and owner age), and 《汽车售后客户关系管理》 adds
consumption ability, purchase time and usage habit; each class docstring says which of its
names and numbers are the material's and which the library's.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Final

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm._params import (
    Column,
    Constraint,
    LengthOf,
    Names,
    Numbers,
    OneOf,
    Whole,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature, feature_table
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    MISSING,
    at_or_above,
    bands,
    labels,
    numeric,
    present,
)
from aftersales_crm.values import CompassSector, Gender, Material, Quote, sector_codes

__all__ = [
    "ConsumptionLevel",
    "GenderDimension",
    "Hobby",
    "NewOrReturning",
    "OwnerAgeBand",
    "RegionRing",
    "Sector",
]

_SECTORS: Final = tuple(CompassSector)
_EIGHT: Final = 8
_FOUR: Final = 4


class RegionRing(BasePolicy):
    """Distance rings around the dealer: within 5 km, 5–10 km, beyond 10 km.

    From ``distance_km`` (great-circle distance from the customer's dealer to their home).
    A ring includes its outer edge: exactly 5 km is "within 5 km", exactly 10 km is
    "5–10 km". Customers without a known distance get ``-1``.

    Attributes:
        rings_km: the outer edge of each ring but the last, strictly increasing, in km
            (default 5 and 10, [`DEFAULT_RINGS_KM`][aftersales_crm.segmentation.RegionRing.DEFAULT_RINGS_KM]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> RegionRing().assign(feats).counts()
        {'within 5 km': 13, '5–10 km': 13, 'beyond 10 km': 4}
        >>> RegionRing().assign(feats).names_zh
        ('5公里以内', '5–10公里', '10公里以外')

    The CSI course draws the range a service shop covers as rings at 5 and 10 km
    ("服务店覆盖的范围5公里10公里", slide 区域分类); the edges are its numbers. Which ring a
    distance of exactly 5 or 10 km falls in, and the ring names, are the library's choice.

    References:
        The CSI course (第五章 客户信息分析与利用, 客户分类–区域分类).
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_RINGS_KM: ClassVar[tuple[float, ...]] = (5.0, 10.0)
    """Rings within 5 km, 5–10 km and beyond 10 km (the CSI course: "5公里10公里")."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "rings_km": Numbers(order="increasing", low=0),
    }
    """Strictly increasing distances >= 0 km."""

    def __init__(self, *, rings_km: tuple[float, ...] = DEFAULT_RINGS_KM) -> None:
        self.rings_km = rings_km

    def assign(self, features: FeatureTable) -> Labels:
        """The ring of each row; ``-1`` without a distance.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``.

        Raises:
            InvalidValue: ``rings_km`` is invalid or ``distance_km`` is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> RegionRing(rings_km=(3,)).assign(feats).counts()
            {'within 3 km': 5, 'beyond 3 km': 25}
        """
        edges = validate_params(self)["rings_km"]
        distance = np.asarray(feature(features, "distance_km"), dtype=np.float64)
        codes = np.searchsorted(np.asarray(edges), distance, side="left").astype(np.int16)
        codes[np.isnan(distance)] = MISSING
        shown = [f"{edge:g}" for edge in edges]
        names = [
            f"within {shown[0]} km",
            *(f"{a}–{b} km" for a, b in itertools.pairwise(shown)),
            f"beyond {shown[-1]} km",
        ]
        names_zh = [
            f"{shown[0]}公里以内",
            *(f"{a}–{b}公里" for a, b in itertools.pairwise(shown)),
            f"{shown[-1]}公里以外",
        ]
        return labels(codes, names, names_zh)


class Sector(BasePolicy):
    """The compass sector of the customer's home around the dealer: 4 or 8 winds (方位).

    From the ``bearing_deg`` feature (the bearing from the dealer to the home, degrees
    clockwise from north), cut into sectors centred on each direction by
    [`sector_codes`][aftersales_crm.values.sector_codes]: with 4 winds north is [315°, 45°), east
    [45°, 135°) and so on; with 8 winds north is [337.5°, 22.5°), north-east [22.5°, 67.5°),
    … A bearing on a boundary belongs to the next sector clockwise. Customers without a
    known bearing (no home location or no dealer) get ``-1``.

    Attributes:
        winds: 4 (north/east/south/west) or 8 (adding the intercardinal sectors); default 4
            ([`DEFAULT_WINDS`][aftersales_crm.segmentation.Sector.DEFAULT_WINDS]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> Sector().assign(feats).counts()
        {'north': 9, 'east': 6, 'south': 11, 'west': 4}
        >>> Sector(winds=8).assign(feats).values("zh")[:3].tolist()
        ['东北', '北', '西南']

    The CSI course divides customers around the dealer into "东方区域客户", "南方区域客户",
    "西方区域客户" and "北方区域客户" (east, south, west and north), the four sectors of the
    default; where the boundaries lie, and the 8-wind option, are the library's choice.

    References:
        The CSI course (第五章 客户信息分析与利用, 客户分类–区域分类).
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_WINDS: ClassVar[int] = 4
    """North, east, south and west (the CSI course: 东方/南方/西方/北方区域客户)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {"winds": OneOf((_FOUR, _EIGHT))}
    """4 or 8 winds (whole numbers)."""

    def __init__(self, *, winds: int = DEFAULT_WINDS) -> None:
        self.winds = winds

    def assign(self, features: FeatureTable) -> Labels:
        """The sector of each row; ``-1`` without one.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, in clockwise order from north.

        Raises:
            InvalidValue: ``winds`` is not 4 or 8, or ``bearing_deg`` is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> Sector().assign(feats).values().tolist()
            ['east', 'north', 'west', 'west', 'north']
        """
        winds = validate_params(self)["winds"]
        bearings = np.asarray(feature(features, "bearing_deg"), dtype=np.float64)
        codes = sector_codes(bearings, winds=_EIGHT if winds == _EIGHT else _FOUR)
        codes = codes.astype(np.int16)
        sectors = _SECTORS
        if winds == _FOUR:
            sectors = _SECTORS[::2]  # 4-wind codes are the even 8-wind ones
            codes = np.where(codes >= 0, codes // 2, codes).astype(np.int16)
        return labels(codes, [s.value for s in sectors], [s.label("zh") for s in sectors])


class OwnerAgeBand(BasePolicy):
    """The owner's age band: under 30, 30–39, 40–49, 50–59, 60 and over.

    From ``age_years`` (completed years on ``as_of``, from the birthday). Customers
    without a birthday get ``-1``.

    Attributes:
        edges: the first age of each band but the first, strictly increasing whole years
            (default 30, 40, 50, 60; [`DEFAULT_EDGES`][aftersales_crm.segmentation.OwnerAgeBand.DEFAULT_EDGES]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> OwnerAgeBand().assign(feats).counts()
        {'under 30': 5, '30–39': 7, '40–49': 15, '50–59': 3}

    References:
        The CSI course names owner age as a segmentation dimension ("年龄分类") but gives no
        bands; the ten-year bands are the library's choice.
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_EDGES: ClassVar[tuple[int, ...]] = (30, 40, 50, 60)
    """Ten-year bands from 30 to 60: the library's choice (the material names no bands)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "edges": Numbers(order="increasing", low=0, whole=True, unit="years"),
    }
    """Strictly increasing whole years >= 0."""

    def __init__(self, *, edges: tuple[int, ...] = DEFAULT_EDGES) -> None:
        self.edges = edges

    def assign(self, features: FeatureTable) -> Labels:
        """The age band of each row; ``-1`` without a birthday.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, youngest band first.

        Raises:
            InvalidValue: ``edges`` is invalid or ``age_years`` is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> OwnerAgeBand(edges=(40,)).assign(feats).values("zh")[:3].tolist()
            ['40岁及以上', '40岁及以上', '40岁以下']
        """
        edges = validate_params(self)["edges"]
        codes = bands(np.asarray(feature(features, "age_years"), dtype=np.float64), edges)
        names = [
            f"under {edges[0]}",
            *(f"{a}–{b - 1}" if b - 1 > a else f"{a}" for a, b in itertools.pairwise(edges)),
            f"{edges[-1]} and over",
        ]
        names_zh = [
            f"{edges[0]}岁以下",
            *(f"{a}–{b - 1}岁" if b - 1 > a else f"{a}岁" for a, b in itertools.pairwise(edges)),
            f"{edges[-1]}岁及以上",
        ]
        return labels(codes, names, names_zh)


class GenderDimension(BasePolicy):
    """The customer's gender: male, female or unknown (from the customer record).

    From the ``gender`` feature ([`Gender`][aftersales_crm.values.Gender] codes); a customer
    without a recorded gender gets ``-1``, one recorded as unknown gets "unknown".

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> GenderDimension().assign(feats).counts()
        {'male': 13, 'female': 17}

    References:
        The CSI course ("性别分类", gender as a segmentation dimension);
        《信息回访员基础培训分析报告》 (车主信息: "姓名/性别/身份证号/职业/生日").
    """

    kind: ClassVar[PolicyKind] = "dimension"
    short_name: ClassVar[str] = "gender"
    """Its registered name, the name of the Labels it gives."""
    population_relative: ClassVar[bool] = False

    def assign(self, features: FeatureTable) -> Labels:
        """The gender of each row.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, in the order of ``Gender``.

        Raises:
            InvalidValue: ``gender`` is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> GenderDimension().assign(feats).values("zh").tolist()
            ['男', '未知', '女']
        """
        codes = np.asarray(feature(features, "gender")).astype(np.int16)
        return labels(codes, [g.value for g in Gender], [g.label("zh") for g in Gender])


class Hobby(BasePolicy):
    """The customer's main hobby among those the dealer's activities are built around.

    From the ``hobbies`` feature (a tuple of texts per customer). The label is the first
    of ``hobbies`` (in the parameter's order, a priority) that the customer lists; "other"
    (其他) when they list hobbies but none of these; ``-1`` when no hobby is recorded.
    [`indicators`][aftersales_crm.segmentation.Hobby.indicators] gives every hobby of every customer, for multi-label use such as
    screening invitees for an activity.

    Attributes:
        hobbies: the hobbies, highest priority first (default 自驾 self-drive touring, 露营
            camping, 摄影 photography, 钓鱼 fishing, 骑行 cycling, 美食 food;
            [`DEFAULT_HOBBIES`][aftersales_crm.segmentation.Hobby.DEFAULT_HOBBIES]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> Hobby().assign(feats).counts()
        {'自驾': 3, '露营': 8, '摄影': 1, '钓鱼': 6, '骑行': 3, '美食': 3}
        >>> Hobby(hobbies=("钓鱼",)).assign(feats).counts()
        {'钓鱼': 8, 'other': 16}

    References:
        The CSI course ("爱好分类", hobby as a segmentation dimension). The default list is
        the library's choice: common themes of owners' club activities (self-drive,
        camping, photography, fishing, cycling, food); the material names none.
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_HOBBIES: ClassVar[tuple[str, ...]] = ("自驾", "露营", "摄影", "钓鱼", "骑行", "美食")
    """Themes of owners' club activities (the library's choice), self-drive touring first."""

    OTHER: ClassVar[tuple[str, str]] = ("other", "其他")
    """The label of customers whose hobbies are none of ``hobbies`` (English, Chinese)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "hobbies": Names(exclude=OTHER[:1]),
    }
    """Distinct non-empty hobbies, none of them the label "other"."""

    def __init__(self, *, hobbies: tuple[str, ...] = DEFAULT_HOBBIES) -> None:
        self.hobbies = hobbies

    def _matches(
        self, features: FeatureTable
    ) -> tuple[tuple[str, ...], NDArray[np.intp], NDArray[np.intp]]:
        """The checked hobbies, and each recorded hobby's customer row and position.

        The position is in ``hobbies``, ``len(hobbies)`` for other hobbies.
        """
        hobbies: tuple[str, ...] = validate_params(self)["hobbies"]
        recorded = feature(features, "hobbies")
        lists = [() if item is None else item for item in recorded]
        counts = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
        position = {hobby: i for i, hobby in enumerate(hobbies)}
        flat = itertools.chain.from_iterable(lists)
        found = np.fromiter(
            (position.get(h, len(hobbies)) for h in flat), dtype=np.intp, count=int(counts.sum())
        )
        return hobbies, np.repeat(np.arange(len(lists)), counts), found

    def indicators(self, features: FeatureTable) -> NDArray[np.bool_]:
        """Whether each row lists each of ``hobbies``.

        Args:
            features: the customers.

        Returns:
            bool array of shape (n_customers, len(hobbies)).

        Raises:
            InvalidValue: ``hobbies`` is invalid or the ``hobbies`` feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> Hobby().indicators(feats).sum(axis=0).tolist()
            [3, 9, 1, 8, 7, 7]
        """
        hobbies, rows, found = self._matches(features)
        out = np.zeros((len(features), len(hobbies) + 1), dtype=bool)
        out[rows, found] = True
        return out[:, : len(hobbies)]

    def assign(self, features: FeatureTable) -> Labels:
        """The main hobby of each row; "other", or ``-1`` without hobbies.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``: the hobbies, then "other".

        Raises:
            InvalidValue: ``hobbies`` is invalid or the ``hobbies`` feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> Hobby().assign(feats).values("zh").tolist()
            ['露营', None, '自驾']
        """
        hobbies, rows, found = self._matches(features)
        none = len(hobbies) + 1
        best = np.full(len(features), none, dtype=np.intp)
        np.minimum.at(best, rows, found)
        codes = np.where(best == none, MISSING, best).astype(np.int16)
        return labels(codes, (*hobbies, self.OTHER[0]), (*hobbies, self.OTHER[1]))


class ConsumptionLevel(BasePolicy):
    """Consumption ability (消费能力): high-, medium- or low-value customers.

    《汽车售后客户关系管理》 segments customers by consumption ability into
    "高价值客户、中价值客户、低价值客户" (high-, medium- and low-value customers,
    [`MATERIAL_NAMES`][aftersales_crm.segmentation.ConsumptionLevel.MATERIAL_NAMES]); the Chinese names of the default levels are its words, and the
    codes stay ``"high"``, ``"medium"`` and ``"low"``. The material names the levels but
    not how to tell them apart: the measure (spend per visit) and the thresholds are the
    library's choice.

    A customer is "high" when the ``value`` feature reaches the first threshold, "medium"
    when it reaches the second, else "low". Customers without a visit (``visits`` 0) and
    without a value (NaN) get ``-1``.

    Attributes:
        value: the feature, a numeric column (default ``"avg_visit_spend_fen"``, average
            spend per visit; [`DEFAULT_VALUE`][aftersales_crm.segmentation.ConsumptionLevel.DEFAULT_VALUE]).
        thresholds: the lowest value of each level but the last, strictly decreasing
            (default ¥2,000 and ¥800 per visit, in fen; [`DEFAULT_THRESHOLDS`][aftersales_crm.segmentation.ConsumptionLevel.DEFAULT_THRESHOLDS]).
        names: the levels, highest first (default high, medium, low: 高价值客户 /
            中价值客户 / 低价值客户).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> ConsumptionLevel().assign(feats).counts()
        {'high': 6, 'medium': 10, 'low': 12}

    References:
        《汽车售后客户关系管理》 (客户细分方法与标准, by consumption ability, 消费能力).
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_VALUE: ClassVar[str] = "avg_visit_spend_fen"
    """Average spend per visit (客单价), in fen: ability to pay rather than how often one comes."""

    DEFAULT_THRESHOLDS: ClassVar[tuple[int, ...]] = (200_000, 80_000)
    """High from ¥2,000 a visit, medium from ¥800 (in fen): the library's choice (the
    material gives no amounts); in the synthetic dealer's base about the top 18% and the
    bottom 13% of customers with a visit."""

    DEFAULT_NAMES: ClassVar[tuple[str, ...]] = ("high", "medium", "low")
    """High-, medium- and low-value customers (高价值客户 / 中价值客户 / 低价值客户)."""

    NAMES_ZH: ClassVar[tuple[str, ...]] = ("高价值客户", "中价值客户", "低价值客户")
    """The Chinese names of the default levels, the material's words."""

    MATERIAL_NAMES: ClassVar[Quote] = Quote(
        Material.AFTERSALES_CRM,
        "高价值客户、中价值客户、低价值客户",
        "high-value customers, medium-value customers, low-value customers",
    )
    """The levels as 《汽车售后客户关系管理》 names them, segmenting by consumption ability."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "value": Column(),
        "thresholds": Numbers(order="decreasing"),
        "names": Names(count=LengthOf("thresholds", plus=1)),
    }
    """A feature column; strictly decreasing thresholds; one more name than thresholds."""

    def __init__(
        self,
        *,
        value: str = DEFAULT_VALUE,
        thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
        names: tuple[str, ...] = DEFAULT_NAMES,
    ) -> None:
        self.value = value
        self.thresholds = thresholds
        self.names = names

    def assign(self, features: FeatureTable) -> Labels:
        """The consumption level of each row; ``-1`` without a visit.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, highest level first.

        Raises:
            InvalidValue: a parameter is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(4, seed=1), as_of=date(2026, 6, 30))
            >>> ConsumptionLevel().assign(feats).values("zh").tolist()
            ['低价值客户', '中价值客户', '中价值客户', '低价值客户']
        """
        params = validate_params(self)
        thresholds, names = params["thresholds"], params["names"]
        values = numeric(features, self, "value", params["value"])
        codes = at_or_above(values, thresholds, len(thresholds))
        codes[~present(values) | (feature(features, "visits") == 0)] = MISSING
        zh = self.NAMES_ZH if names == self.DEFAULT_NAMES else None
        return labels(codes, names, zh)


MAX_MONTHS: Final = 1_200
"""The longest look-back of [`NewOrReturning`][aftersales_crm.segmentation.NewOrReturning], a century: the library's choice, so
that ``as_of`` minus the months stays a date every kernel handles."""


class NewOrReturning(BasePolicy):
    """New or existing customer (新客户 / 老客户) by the time since their first purchase.

    A customer is new when their first vehicle purchase (``first_purchase``) falls in the
    ``months`` before ``as_of`` (after ``as_of`` minus ``months`` calendar months, up to
    ``as_of``: the window of the ``spend_window_*`` features), else existing. Without a
    known purchase (a customer who came to the dealer with a vehicle bought elsewhere and
    no recorded purchase date) their first visit (``first_visit``) stands in for it;
    without either they get ``-1``.

    Attributes:
        months: how recent a first purchase makes a customer new (default 12 months,
            [`DEFAULT_MONTHS`][aftersales_crm.segmentation.NewOrReturning.DEFAULT_MONTHS]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> NewOrReturning().assign(feats).counts()
        {'new': 3, 'existing': 27}

    References:
        《汽车售后客户关系管理》 segments by purchase time ("按照购车时间细分") into new and
        existing customers ("老客户"; the copy's "新客户" is lost in its text extraction).
        The 12-month window is the library's choice, the trailing window of the spend
        features.
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_MONTHS: ClassVar[int] = 12
    """A first purchase in the last 12 months makes a new customer (the features' window)."""

    NAMES: ClassVar[tuple[str, str]] = ("new", "existing")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, str]] = ("新客户", "老客户")
    """The labels in Chinese (《汽车售后客户关系管理》: new and old customers)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "months": Whole(low=0, high=MAX_MONTHS, unit="months"),
    }
    """A whole number of months from 0 to 1,200 (a century, ``MAX_MONTHS``)."""

    def __init__(self, *, months: int = DEFAULT_MONTHS) -> None:
        self.months = months

    def _since(self, as_of: date) -> np.datetime64:
        months = validate_params(self)["months"]
        return np.datetime64(as_of - relativedelta(months=months), "D")

    def assign(self, features: FeatureTable) -> Labels:
        """Whether each row is a new or an existing customer; ``-1`` without dates.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``: new, existing.

        Raises:
            InvalidValue: ``months`` is invalid or a feature is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> NewOrReturning(months=36).assign(feats).counts()
            {'new': 11, 'existing': 19}
        """
        since = self._since(feature_table(features, self).as_of)
        start: NDArray[Any] = np.asarray(feature(features, "first_purchase"), dtype="datetime64[D]")
        visit = np.asarray(feature(features, "first_visit"), dtype="datetime64[D]")
        start = np.where(np.isnat(start), visit, start)
        codes = np.where(start > since, 0, 1).astype(np.int16)
        codes[np.isnat(start)] = MISSING
        return labels(codes, self.NAMES, self.NAMES_ZH)
