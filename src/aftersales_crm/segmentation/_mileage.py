"""Mileage bands (行驶里程分类): the customer's newest vehicle by the km it has done."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import ClassVar, Final

from aftersales_crm._params import Constraint, Numbers, validate_params
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind
from aftersales_crm.features import MILEAGE_BAND_EDGES_KM, MILEAGE_CLASS, FeatureTable
from aftersales_crm.segmentation._common import labels, newest_vehicle_bands
from aftersales_crm.values import Quote

__all__ = ["MileageBand"]

_WAN: Final = 10_000
"""One 万 (ten thousand), the unit Chinese uses for kilometres on the odometer."""


class MileageBand(BasePolicy):
    """Mileage bands: under 10,000 km, 10,000–30,000 km, …, 100,000 km and more (行驶里程分类).

    The mileage is the estimated odometer on ``as_of`` (``mileage_at_as_of`` of the vehicle
    features: the last reading plus the vehicle's km/day since) of the customer's most
    recently bought vehicle among those they own on ``as_of``, chosen as in
    ``VehicleAgeBand``. Band *i* holds mileages from its lower edge up to, not
    including, the next. Customers without an owned vehicle with an estimate get ``-1``.

    The vehicle features carry the band of every vehicle at the default edges
    (``mileage_band_km``, its lower edge) and the estimated days the vehicle took to reach
    that edge (``days_to_mileage_band``): the material keeps the class together with "the
    time taken to complete that mileage".

    Attributes:
        edges: the lower edge of each band but the first, strictly increasing whole km
            (default 10,000, 30,000, 60,000 and 100,000, [`DEFAULT_EDGES`][aftersales_crm.segmentation.MileageBand.DEFAULT_EDGES]).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> MileageBand().assign(feats).counts()
        {'under 10,000 km': 4, '10,000–30,000 km': 7, '30,000–60,000 km': 10, '60,000–100,000 km': 8, '100,000+ km': 1}
        >>> print(MileageBand.SOURCE)
        《信息回访员基础培训分析报告》: “行使里程分类/完成该里程的时间间隔”

    References:
        《信息回访员基础培训分析报告》 lists among the changing customer data
        "行使里程分类/完成该里程的时间间隔" (mileage class / the time taken to complete that
        mileage), without edges; the edges are the library's choice, explained at
        [`MILEAGE_BAND_EDGES_KM`][aftersales_crm.features.MILEAGE_BAND_EDGES_KM].
    """

    kind: ClassVar[PolicyKind] = "dimension"
    population_relative: ClassVar[bool] = False

    SOURCE: ClassVar[Quote] = MILEAGE_CLASS
    """The material's words for the measure."""

    DEFAULT_EDGES: ClassVar[tuple[int, ...]] = MILEAGE_BAND_EDGES_KM
    """10,000, 30,000, 60,000 and 100,000 km: the library's choice
    ([`MILEAGE_BAND_EDGES_KM`][aftersales_crm.features.MILEAGE_BAND_EDGES_KM] gives the reasons)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "edges": Numbers(order="increasing", low=1, whole=True, unit="km"),
    }
    """Strictly increasing whole km >= 1."""

    def __init__(self, *, edges: tuple[int, ...] = DEFAULT_EDGES) -> None:
        self.edges = edges

    def assign(self, features: FeatureTable) -> Labels:
        """The mileage band of each row's most recently bought vehicle; ``-1`` without one.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features``, the lowest band first.

        Raises:
            InvalidValue: ``edges`` is invalid, the vehicle features are missing, or their
                owner rows do not match the rows of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> MileageBand(edges=(50_000,)).assign(feats).values("zh").tolist()
            ['5万公里以下', '5万公里以下', '5万公里以上']
        """
        edges = list(validate_params(self)["edges"])
        codes = newest_vehicle_bands(features, self, "mileage_at_as_of", edges)
        return labels(codes, *_band_names(edges))


def _km(edge: int) -> str:
    return f"{edge:,}"


def _km_zh(edge: int) -> str:
    """An edge as Chinese writes odometer readings: in 万 when it is whole 万."""
    if edge % _WAN == 0:
        return f"{edge // _WAN}万"
    if edge % (_WAN // 10) == 0:
        return f"{edge / _WAN:g}万"
    return f"{edge}"


def _band_names(edges: list[int]) -> tuple[list[str], list[str]]:
    """Names of the mileage bands in English and Chinese."""
    names = [f"under {_km(edges[0])} km"]
    names_zh = [f"{_km_zh(edges[0])}公里以下"]
    for a, b in itertools.pairwise(edges):
        names.append(f"{_km(a)}–{_km(b)} km")
        names_zh.append(f"{_km_zh(a)}–{_km_zh(b)}公里")
    names.append(f"{_km(edges[-1])}+ km")
    names_zh.append(f"{_km_zh(edges[-1])}公里以上")
    return names, names_zh
