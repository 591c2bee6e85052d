"""Segmentation dimensions read from the customer's vehicles: age band, body type, usage."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import flag, language
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import Constraint, Number, Numbers, OneOf, Param, validate_params
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature
from aftersales_crm.features import FeatureTable, MileageMethod
from aftersales_crm.segmentation._common import (
    DAYS_PER_YEAR,
    MISSING,
    labels,
    newest_vehicle_bands,
    vehicle_table,
)
from aftersales_crm.values import BodyType, Lang, Material, Quote

__all__ = ["BodyTypeDimension", "UsageHabit", "VehicleAgeBand", "VehicleAgeReport"]

_COURSE: Final = Material.CSI_COURSE

_READINGS: Final = list(MileageMethod).index(MileageMethod.READINGS)

_LONG_IDLE: Final = 2
"""The code of "long idle" among [`UsageHabit.NAMES`][aftersales_crm.segmentation.UsageHabit.NAMES]."""


@attrs.frozen(repr=False)
class VehicleAgeReport(Displayed):
    """How many customers each vehicle age band holds, beside the CSI course's traits.

    Attributes:
        names: the bands, newest first (``("1–2 years", "3–4 years", "5+ years")``).
        names_zh: the bands in Chinese (``("1–2年", "3–4年", "5年以上")``).
        customers: customers per band.
        customer_shares: each band's share of the customers with a band (NaN without any).
        unplaced: customers without a band (no owned vehicle with a purchase date).
        traits: per band, the course's traits of its customers
            ([`VehicleAgeBand.TRAITS`][aftersales_crm.segmentation.VehicleAgeBand.TRAITS]), for the default bands; empty otherwise.

    Examples:
        >>> report = VehicleAgeReport(
        ...     names=("1–2 years", "3+ years"), names_zh=("1–2年", "3年以上"),
        ...     customers=(3, 1), customer_shares=(0.75, 0.25), unplaced=2,
        ... )
        >>> print(report)
        1–2 years: 3 customers, 75.0%
        3+ years: 1 customer, 25.0%
        without a band: 2 customers
        >>> print(report.format("zh"))
        1–2年: 3位客户, 75.0%
        3年以上: 1位客户, 25.0%
        无车龄: 2位客户
    """

    names: tuple[str, ...]
    names_zh: tuple[str, ...]
    customers: tuple[int, ...]
    customer_shares: tuple[float, ...]
    unplaced: int = 0
    traits: tuple[tuple[Quote, ...], ...] = ()

    def format(self, lang: Literal["en", "zh"] = "en", *, material: bool = True) -> str:
        """One line per band with its customers and share; below it, the course's traits.

        Args:
            lang: ``"en"`` for English (the translations), ``"zh"`` for Chinese (the
                course's own words).
            material: whether to show the course's traits under each line; ``str()``
                leaves them out.

        Examples:
            >>> report = VehicleAgeReport(("5+ years",), ("5年以上",), (2,), (1.0,))
            >>> report.format("zh")
            '5年以上: 2位客户, 100.0%'
        """
        zh = language(lang) == "zh"
        material = flag(material, parameter="material")
        lines = []
        for i, (name, name_zh) in enumerate(zip(self.names, self.names_zh, strict=True)):
            count, share = self.customers[i], f"{self.customer_shares[i]:.1%}"
            lines.append(
                f"{name_zh}: {count}位客户, {share}"
                if zh
                else f"{name}: {_customers(count)}, {share}"
            )
            if material and self.traits:
                label = "特点" if zh else "traits"
                lines.append(f"  {label}: {'; '.join(t.in_(lang) for t in self.traits[i])}")
        if self.unplaced:
            lines.append(
                f"无车龄: {self.unplaced}位客户"
                if zh
                else f"without a band: {_customers(self.unplaced)}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        """The report in English, without the course's traits: one line per band."""
        return self.format("en", material=False)

    def to_pandas(self, lang: Lang = "en") -> Any:
        """One row per band, newest first, indexed by the band (extra ``pandas``).

        The index ``vehicle_age_band`` is an ordered categorical of the band names in
        ``lang``; the columns are ``customers`` and ``customer_share``. The customers
        without a band (``unplaced``) are not a row.

        Examples:
            >>> report = VehicleAgeReport(("1–2 years", "3+ years"), ("1–2年", "3年以上"), (3, 1),
            ...                           (0.75, 0.25), unplaced=2)
            >>> print(report.to_pandas("zh"))
                              customers  customer_share
            vehicle_age_band
            1–2年                     3            0.75
            3年以上                   1            0.25
        """
        pd = require("pandas", extra="pandas")
        names = list(self.names_zh if language(lang) == "zh" else self.names)
        index = pd.CategoricalIndex(
            names, categories=names, ordered=True, name=VehicleAgeBand.short_name
        )
        return pd.DataFrame(
            {
                "customers": np.array(self.customers, dtype=np.int64),
                "customer_share": np.array(self.customer_shares, dtype=np.float64),
            },
            index=index,
        )


def _customers(count: int) -> str:
    return f"{count} customer" if count == 1 else f"{count} customers"


class VehicleAgeBand(BasePolicy):
    """Vehicle age bands: 1–2 years, 3–4 years, 5+ years (车龄).

    The age is that of the customer's most recently bought vehicle among those they own on
    ``as_of``: the fewest completed years since purchase (``age_years`` of the vehicle
    features), equal ages broken by VIN. A vehicle in its first year counts as "1–2 years"
    (completed years 0, 1 and 2), 3 and 4 completed years as "3–4 years", 5 or more as
    "5+ years". Customers who own no vehicle with a purchase date on ``as_of`` get ``-1``.

    The bands are the CSI course's (slide 客户分类–车龄分类: "1-2年的客户", "3-4年的客户",
    "5年以上的客户", [`MATERIAL_BANDS`][aftersales_crm.segmentation.VehicleAgeBand.MATERIAL_BANDS]), and so are the traits of each band's customers
    ([`TRAITS`][aftersales_crm.segmentation.VehicleAgeBand.TRAITS]), which [`report`][aftersales_crm.segmentation.VehicleAgeBand.report] shows beside the counts. Reading the bands as
    completed years, and putting a vehicle in its first year (0 completed years, which the
    course leaves out) in the first band, is the library's reading: the traits the course
    gives that band (frequent visits, reliance on the dealer) are those of a new car under
    warranty. The Chinese labels write the course's "1-2年" with an en dash, as the English
    ones do.

    Attributes:
        edges: the first completed year of each band but the first, strictly increasing
            whole years (default 3 and 5, [`DEFAULT_EDGES`][aftersales_crm.segmentation.VehicleAgeBand.DEFAULT_EDGES]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> VehicleAgeBand().assign(feats).counts()
        {'1–2 years': 14, '3–4 years': 8, '5+ years': 8}

    References:
        The CSI course (第五章 客户信息分析与利用, 客户分类–车龄分类, 客户信息管理的步骤).
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_EDGES: ClassVar[tuple[int, ...]] = (3, 5)
    """Bands 1–2 (with year 0), 3–4 and 5+ completed years (the CSI course)."""

    MATERIAL_BANDS: ClassVar[tuple[Quote, ...]] = (
        Quote(_COURSE, "1-2年车龄客户的特点", "traits of customers with 1–2-year-old vehicles"),
        Quote(_COURSE, "3-4年车龄客户的特点", "traits of customers with 3–4-year-old vehicles"),
        Quote(_COURSE, "5年以上车龄客户的特点", "traits of customers with vehicles over 5 years"),
    )
    """The CSI course's headings of the default bands, newest first."""

    TRAITS: ClassVar[tuple[tuple[Quote, ...], ...]] = (
        (
            Quote(
                _COURSE,
                "车辆进店维修的次数较高(是忠诚客户吗?)",
                "their vehicles come in for repair fairly often (are they loyal customers?)",
            ),
            Quote(
                _COURSE,
                "关于车辆问题对特约售后服务中心依赖度较高",
                "they rely heavily on the authorised after-sales service centre for vehicle"
                " problems",
            ),
        ),
        (
            Quote(
                _COURSE, "对车辆的关注程度明显下降", "their attention to the vehicle drops markedly"
            ),
            Quote(_COURSE, "车辆的故障逐渐增多", "the vehicle's faults gradually increase"),
        ),
        (
            Quote(
                _COURSE,
                "对车辆的使用维护非常熟悉",
                "they know the use and upkeep of the vehicle very well",
            ),
            Quote(
                _COURSE,
                "更加关注活动中价格变化",
                "they pay more attention to price changes in promotions",
            ),
        ),
    )
    """Per default band, newest first, the CSI course's traits of its customers."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "edges": Numbers(order="increasing", low=1, whole=True, unit="years"),
    }
    """Strictly increasing whole years >= 1."""

    def __init__(self, *, edges: tuple[int, ...] = DEFAULT_EDGES) -> None:
        self.edges = edges

    def assign(self, features: FeatureTable) -> Labels:
        """The age band of each row's most recently bought vehicle; ``-1`` without one.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features``, newest band first.

        Raises:
            InvalidValue: ``edges`` is invalid, the vehicle features are missing, or their
                owner rows do not match the rows of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> VehicleAgeBand().assign(feats).values("zh").tolist()
            ['1–2年', '1–2年', '5年以上']
        """
        edges = list(validate_params(self)["edges"])
        codes = newest_vehicle_bands(features, self, "age_years", edges)
        return labels(codes, *_band_names(edges))

    def report(self, features: FeatureTable) -> VehicleAgeReport:
        """Customers per band and their share, beside the CSI course's traits of each band.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            A [`VehicleAgeReport`][aftersales_crm.segmentation.VehicleAgeReport]; its ``traits`` are filled for the default edges only.

        Raises:
            InvalidValue: as [`assign`][aftersales_crm.segmentation.VehicleAgeBand.assign].

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> print(VehicleAgeBand().report(feats).format("zh"))
            1–2年: 14位客户, 46.7%
              特点: 车辆进店维修的次数较高(是忠诚客户吗?); 关于车辆问题对特约售后服务中心依赖度较高
            3–4年: 8位客户, 26.7%
              特点: 对车辆的关注程度明显下降; 车辆的故障逐渐增多
            5年以上: 8位客户, 26.7%
              特点: 对车辆的使用维护非常熟悉; 更加关注活动中价格变化
        """
        assigned = self.assign(features)
        codes = assigned.codes
        counts = np.bincount(codes[codes >= 0], minlength=len(assigned.names))
        placed = int(counts.sum())
        default = tuple(validate_params(self)["edges"]) == self.DEFAULT_EDGES
        return VehicleAgeReport(
            names=assigned.names,
            names_zh=assigned.names_zh or assigned.names,
            customers=tuple(int(c) for c in counts),
            customer_shares=tuple(int(c) / placed if placed else math.nan for c in counts),
            unplaced=len(codes) - placed,
            traits=self.TRAITS if default else (),
        )


def _band_names(edges: list[int]) -> tuple[list[str], list[str]]:
    """Names of vehicle age bands in English and Chinese; year 0 joins the first band."""

    def span(a: int, b: int) -> str:
        return f"{a}–{b - 1}" if b - 1 > a else f"{a}"

    def years(text: str) -> str:
        return f"{text} year" if text == "1" else f"{text} years"

    if edges[0] == 1:
        names, names_zh = ["under 1 year"], ["不足1年"]
    else:
        names, names_zh = [years(span(1, edges[0]))], [f"{span(1, edges[0])}年"]
    for a, b in itertools.pairwise(edges):
        names.append(years(span(a, b)))
        names_zh.append(f"{span(a, b)}年")
    names.append(f"{edges[-1]}+ years")
    names_zh.append(f"{edges[-1]}年以上")
    return names, names_zh


class BodyTypeDimension(BasePolicy):
    """The body type of the customer's most recently bought vehicle (sedan, SUV, MPV, …).

    The vehicle is chosen as in [`VehicleAgeBand`][aftersales_crm.segmentation.VehicleAgeBand] (fewest completed years since
    purchase among those owned on ``as_of``, then VIN). Customers who own no vehicle on
    ``as_of``, or whose vehicle has no recorded body type, get ``-1``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> BodyTypeDimension().assign(feats).counts()
        {'sedan': 18, 'suv': 9, 'mpv': 1, 'sports': 2}

    References:
        《汽车售后客户关系管理》 segments by the type of car bought ("轿车、SUV、MPV、跑车等。
        按照购车类型细分": sedan, SUV, MPV, sports car and so on).
    """

    kind: ClassVar[PolicyKind] = "dimension"
    short_name: ClassVar[str] = "body_type"
    """Its registered name, the name of the Labels it gives."""
    population_relative: ClassVar[bool] = False

    def assign(self, features: FeatureTable) -> Labels:
        """The body type of each row's most recently bought vehicle; ``-1`` without one.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features``, in the order of ``BodyType``.

        Raises:
            InvalidValue: the vehicle features are missing, or their owner rows do not
                match the rows of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> BodyTypeDimension().assign(feats).values("zh").tolist()
            ['SUV', 'MPV', 'MPV']
        """
        vehicle_table(features, self)
        codes = features.newest_vehicle("body_type").astype(np.int16)
        return labels(codes, [b.value for b in BodyType], [b.label("zh") for b in BodyType])


class UsageHabit(BasePolicy):
    """Usage habit: frequent, occasional or long-idle users (频繁使用者 / 偶尔使用者 / 长期闲置者).

    《汽车售后客户关系管理》 segments customers by usage habit into "频繁使用者、偶尔使用者、
    长期闲置者" (frequent users, occasional users, long-idle users, [`MATERIAL_NAMES`][aftersales_crm.segmentation.UsageHabit.MATERIAL_NAMES]);
    the Chinese labels are its words. The material names the habits but not how to tell
    them apart: the measures and thresholds below are the library's choice.

    ``by="km"`` (the default) reads the km a year of the customer's most-driven vehicle
    among those they own on ``as_of`` (``km_per_day`` × 365). Only estimates from the
    vehicle's own odometer readings count (``km_per_day_method`` "readings"): a model
    median or the default rate says nothing about this owner's habit. A customer driving at
    least ``frequent_km_per_year`` is "frequent", below ``idle_km_per_year`` "long idle", in
    between "occasional". Customers without a vehicle with its own estimate get ``-1``.

    ``by="visits"`` reads the customer's visits a year instead: their visit days over
    their tenure (first visit to ``as_of``), counted as at least one year so that a new
    customer's single visit is one a year, not many. At least
    ``frequent_visits_per_year`` is "frequent", below ``idle_visits_per_year`` "long
    idle". Customers without a visit get ``-1``.

    Attributes:
        by: ``"km"`` or ``"visits"`` (default ``"km"``, [`DEFAULT_BY`][aftersales_crm.segmentation.UsageHabit.DEFAULT_BY]).
        frequent_km_per_year: from this many km a year, frequent use (default 20,000,
            [`DEFAULT_FREQUENT_KM_PER_YEAR`][aftersales_crm.segmentation.UsageHabit.DEFAULT_FREQUENT_KM_PER_YEAR]).
        idle_km_per_year: below this many km a year, long idle (default 5,000,
            [`DEFAULT_IDLE_KM_PER_YEAR`][aftersales_crm.segmentation.UsageHabit.DEFAULT_IDLE_KM_PER_YEAR]).
        frequent_visits_per_year: from this many visits a year, frequent use (default 4,
            [`DEFAULT_FREQUENT_VISITS_PER_YEAR`][aftersales_crm.segmentation.UsageHabit.DEFAULT_FREQUENT_VISITS_PER_YEAR]).
        idle_visits_per_year: below this many visits a year, long idle (default 1,
            [`DEFAULT_IDLE_VISITS_PER_YEAR`][aftersales_crm.segmentation.UsageHabit.DEFAULT_IDLE_VISITS_PER_YEAR]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> UsageHabit().assign(feats).counts()
        {'frequent': 5, 'occasional': 19}
        >>> UsageHabit(by="visits").assign(feats).counts()
        {'frequent': 1, 'occasional': 22, 'long_idle': 5}

    References:
        《汽车售后客户关系管理》 (客户细分方法与标准: "按照用车习惯细分"). The thresholds are
        the library's choice: Chinese cars average about 18,900 km a year (Liu et al.,
        Tsinghua University, 2015, as reported by newgeography.com, "Average Chinese car
        travels much more than American car",
        http://www.newgeography.com/content/006420-average-chinese-car-travels-much-american-car),
        so 20,000 km is above average; 5,000 km is a third of the features' 15,000 km
        default rate.
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_FREQUENT_KM_PER_YEAR: ClassVar[float] = 20_000.0
    """Frequent use from 20,000 km a year, above the Chinese average of about 18,900 km
    (Liu et al., Tsinghua University, 2015)."""

    DEFAULT_IDLE_KM_PER_YEAR: ClassVar[float] = 5_000.0
    """Long idle below 5,000 km a year, a third of the features' 15,000 km default rate (the
    library's choice)."""

    DEFAULT_BY: ClassVar[str] = "km"
    """Judge by the odometer: what a car is used for shows in the km it does."""

    DEFAULT_FREQUENT_VISITS_PER_YEAR: ClassVar[float] = 4.0
    """Frequent use from 4 visits a year: about 19,000 km a year serviced every 5,000 km (a
    typical Chinese family car is due every 5,000 km or 6 months, whichever comes first, as
    the maintenance-interval pages of pcauto.com.cn put it)."""

    DEFAULT_IDLE_VISITS_PER_YEAR: ClassVar[float] = 1.0
    """Long idle below one visit a year, half the two services a year of a family car due
    every 6 months (pcauto.com.cn's maintenance-interval pages, e.g.
    https://pcauto.com.cn/wd/2343618.html)."""

    NAMES: ClassVar[tuple[str, ...]] = ("frequent", "occasional", "long_idle")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, ...]] = ("频繁使用者", "偶尔使用者", "长期闲置者")
    """The labels in Chinese, the material's words."""

    MATERIAL_NAMES: ClassVar[Quote] = Quote(
        Material.AFTERSALES_CRM,
        "频繁使用者、偶尔使用者、长期闲置者",
        "frequent users, occasional users, long-idle users",
    )
    """The habits as 《汽车售后客户关系管理》 names them, segmenting by usage habit."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "by": OneOf(("km", "visits")),
        "frequent_km_per_year": Number(low=0),
        "idle_km_per_year": Number(low=0, high=Param("frequent_km_per_year")),
        "frequent_visits_per_year": Number(low=0),
        "idle_visits_per_year": Number(low=0, high=Param("frequent_visits_per_year")),
    }
    """By km or visits; thresholds >= 0, idle not above frequent. ``assign`` checks the pair
    that ``by`` names (the other pair is unused); ``fit`` and ``get_policy`` check all."""

    def __init__(
        self,
        *,
        by: str = DEFAULT_BY,
        frequent_km_per_year: float = DEFAULT_FREQUENT_KM_PER_YEAR,
        idle_km_per_year: float = DEFAULT_IDLE_KM_PER_YEAR,
        frequent_visits_per_year: float = DEFAULT_FREQUENT_VISITS_PER_YEAR,
        idle_visits_per_year: float = DEFAULT_IDLE_VISITS_PER_YEAR,
    ) -> None:
        self.by = by
        self.frequent_km_per_year = frequent_km_per_year
        self.idle_km_per_year = idle_km_per_year
        self.frequent_visits_per_year = frequent_visits_per_year
        self.idle_visits_per_year = idle_visits_per_year

    def assign(self, features: FeatureTable) -> Labels:
        """The usage habit of each row; ``-1`` without a vehicle with its own readings.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features``: frequent, occasional, long idle.

        Raises:
            InvalidValue: a threshold is invalid (numbers >= 0, idle not above frequent),
                the vehicle features are missing, or their owner rows do not match the rows
                of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> UsageHabit().assign(feats).values("zh").tolist()
            ['偶尔使用者', '频繁使用者', None]
        """
        by = validate_params(self, "by")["by"]
        unit = f"{by}_per_year"
        thresholds = validate_params(self, f"frequent_{unit}", f"idle_{unit}")
        frequent, idle = thresholds[f"frequent_{unit}"], thresholds[f"idle_{unit}"]
        rate = self._km_per_year(features) if by == "km" else _visits_per_year(features)
        codes = np.ones(len(features), dtype=np.int16)
        codes[rate >= frequent] = 0
        codes[rate < idle] = _LONG_IDLE
        codes[np.isnan(rate)] = MISSING
        return labels(codes, self.NAMES, self.NAMES_ZH)

    def _km_per_year(self, features: FeatureTable) -> NDArray[np.float64]:
        """Per customer, the km a year of their most-driven owned vehicle with readings."""
        vehicles = vehicle_table(features, self)
        km_per_year = np.asarray(feature(vehicles, "km_per_day"), dtype=np.float64) * DAYS_PER_YEAR
        method = np.asarray(feature(vehicles, "km_per_day_method"))
        own = (method == _READINGS) & ~np.isnan(km_per_year)
        return features.per_owner(km_per_year, "max", where=own, missing=np.nan)


def _visits_per_year(features: FeatureTable) -> NDArray[np.float64]:
    """Visit days a year over the tenure, counted as at least a year; NaN without a visit."""
    visit_days = np.asarray(feature(features, "visit_days"), dtype=np.float64)
    tenure = np.asarray(feature(features, "tenure_days"), dtype=np.float64)
    rate = visit_days * DAYS_PER_YEAR / np.fmax(tenure, DAYS_PER_YEAR)
    rate[visit_days <= 0] = np.nan
    return rate
