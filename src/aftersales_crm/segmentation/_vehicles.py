"""Segmentation dimensions read from the customer's vehicles (DOMAIN.md §2)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import ClassVar, Final

import numpy as np
from numpy.typing import NDArray

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
from aftersales_crm.values import BodyType

__all__ = ["BodyTypeDimension", "UsageHabit", "VehicleAgeBand"]

_READINGS: Final = list(MileageMethod).index(MileageMethod.READINGS)

_LONG_IDLE: Final = 2
"""The code of "long idle" among :attr:`UsageHabit.NAMES`."""


class VehicleAgeBand(BasePolicy):
    """Vehicle age bands: 1–2 years, 3–4 years, 5+ years (车龄).

    The age is that of the customer's most recently bought vehicle among those they own on
    ``as_of``: the fewest completed years since purchase (``age_years`` of the vehicle
    features), equal ages broken by VIN. A vehicle in its first year counts as "1–2 years"
    (completed years 0, 1 and 2), 3 and 4 completed years as "3–4 years", 5 or more as
    "5+ years". Customers who own no vehicle with a purchase date on ``as_of`` get ``-1``.

    Attributes:
        edges: the first completed year of each band but the first, strictly increasing
            whole years (default 3 and 5, :attr:`DEFAULT_EDGES`).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> VehicleAgeBand().assign(feats).counts()
        {'1–2 years': 14, '3–4 years': 8, '5+ years': 8}

    References:
        DOMAIN.md §2 (vehicle age 1–2 years: visits often, depends on the dealer; 3–4
        years: attention drops, faults increase; 5+ years: knows the car, price-focused);
        automotive.md §9 F36 (define year 0 as part of "1–2").
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_EDGES: ClassVar[tuple[int, ...]] = (3, 5)
    """Bands 1–2 (with year 0), 3–4 and 5+ completed years (DOMAIN.md §2)."""

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

    The vehicle is chosen as in :class:`VehicleAgeBand` (fewest completed years since
    purchase among those owned on ``as_of``, then VIN). Customers who own no vehicle on
    ``as_of``, or whose vehicle has no recorded body type, get ``-1``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> BodyTypeDimension().assign(feats).counts()
        {'sedan': 18, 'suv': 9, 'mpv': 1, 'sports': 2}

    References:
        DOMAIN.md §1 (vehicle master data: body type, sedan 轿车 / SUV / MPV / sports 跑车)
        and §2 (vehicle type is a segmentation dimension).
    """

    kind: ClassVar[PolicyKind] = "dimension"
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
    """Usage habit: frequent use, occasional use or long idle (频繁使用 / 偶尔使用 / 长期闲置).

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
        by: ``"km"`` or ``"visits"`` (default ``"km"``, :attr:`DEFAULT_BY`).
        frequent_km_per_year: from this many km a year, frequent use (default 20,000,
            :attr:`DEFAULT_FREQUENT_KM_PER_YEAR`).
        idle_km_per_year: below this many km a year, long idle (default 5,000,
            :attr:`DEFAULT_IDLE_KM_PER_YEAR`).
        frequent_visits_per_year: from this many visits a year, frequent use (default 4,
            :attr:`DEFAULT_FREQUENT_VISITS_PER_YEAR`).
        idle_visits_per_year: below this many visits a year, long idle (default 1,
            :attr:`DEFAULT_IDLE_VISITS_PER_YEAR`).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> UsageHabit().assign(feats).counts()
        {'frequent': 5, 'occasional': 19}
        >>> UsageHabit(by="visits").assign(feats).counts()
        {'frequent': 1, 'occasional': 22, 'long_idle': 5}

    References:
        DOMAIN.md §2 (usage habit: frequent / occasional / long idle). The thresholds are a
        design choice around automotive.md §7: Chinese cars average about 18,900 km a year
        (Tsinghua 2015), so 20,000 km is above average; 5,000 km is a third of the
        features' 15,000 km default rate.
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    DEFAULT_FREQUENT_KM_PER_YEAR: ClassVar[float] = 20_000.0
    """Frequent use from 20,000 km a year, above the Chinese average of about 18,900 km
    (automotive.md §7, Tsinghua 2015)."""

    DEFAULT_IDLE_KM_PER_YEAR: ClassVar[float] = 5_000.0
    """Long idle below 5,000 km a year, a third of the 15,000 km default (automotive.md §7)."""

    DEFAULT_BY: ClassVar[str] = "km"
    """Judge by the odometer: what a car is used for shows in the km it does."""

    DEFAULT_FREQUENT_VISITS_PER_YEAR: ClassVar[float] = 4.0
    """Frequent use from 4 visits a year: about 19,000 km a year serviced every 5,000 km
    (automotive.md §7)."""

    DEFAULT_IDLE_VISITS_PER_YEAR: ClassVar[float] = 1.0
    """Long idle below one visit a year, fewer than even the yearly service by time
    (DOMAIN.md §1: every 6–12 months)."""

    NAMES: ClassVar[tuple[str, ...]] = ("frequent", "occasional", "long_idle")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, ...]] = ("频繁使用", "偶尔使用", "长期闲置")
    """The labels in Chinese (DOMAIN.md §2)."""

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
            ['偶尔使用', '频繁使用', None]
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
