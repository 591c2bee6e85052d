"""Dimensions read from customer features: rings, sectors, ages, gender, hobby, spend, newness."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation import (
    ConsumptionLevel,
    GenderDimension,
    Hobby,
    NewOrReturning,
    OwnerAgeBand,
    RegionRing,
    Sector,
)
from aftersales_crm.values import CompassSector, GeoPoint

AS_OF = date(2026, 6, 30)


def customers(**columns: Any) -> FeatureTable:
    return FeatureTable.from_columns(columns, as_of=AS_OF)


def objects(*values: Any) -> np.ndarray[Any, np.dtype[np.object_]]:
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


# ---------------------------------------------------------------- RegionRing


def test_a_ring_includes_its_outer_edge() -> None:
    table = customers(distance_km=np.array([0.0, 5.0, 5.0001, 10.0, 10.5, np.nan]))
    labels = RegionRing().assign(table)
    assert list(labels.values()) == [
        "within 5 km", "within 5 km", "5–10 km", "5–10 km", "beyond 10 km", None,
    ]  # fmt: skip
    assert labels.names_zh == ("5公里以内", "5–10公里", "10公里以外")


def test_rings_can_be_set() -> None:
    table = customers(distance_km=np.array([1.0, 2.5, 4.0]))
    labels = RegionRing(rings_km=(1, 2.5, 3)).assign(table)
    assert labels.names == ("within 1 km", "1–2.5 km", "2.5–3 km", "beyond 3 km")
    assert list(labels.values()) == ["within 1 km", "1–2.5 km", "beyond 3 km"]


@pytest.mark.parametrize("rings_km", [(10, 5), (-1, 5), (), (5, "10")])
def test_rings_must_be_increasing_distances(rings_km: Any) -> None:
    with pytest.raises(InvalidValue, match="RegionRing: rings_km="):
        RegionRing(rings_km=rings_km).assign(customers(distance_km=np.array([1.0])))


# ---------------------------------------------------------------- Sector


def bearings() -> FeatureTable:
    # every sector boundary of 8 winds, a point inside each half of north-east, no bearing
    return customers(
        bearing_deg=np.array(
            [0.0, 22.4, 22.5, 30.0, 44.9, 45.0, 60.0, 67.5, 135.0, 225.0, 314.9, 315.0,
             337.5, 359.9, 360.0, -10.0, np.nan],
        )
    )  # fmt: skip


def test_four_winds_cut_the_bearing_at_45_135_225_315() -> None:
    labels = Sector().assign(bearings())
    assert list(labels.values()) == [
        "north", "north", "north", "north", "north", "east", "east", "east", "south",
        "west", "west", "north", "north", "north", "north", "north", None,
    ]  # fmt: skip
    assert labels.names_zh == ("北", "东", "南", "西")


def test_eight_winds_cut_the_bearing_half_way_between_directions() -> None:
    labels = Sector(winds=8).assign(bearings())
    assert list(labels.values()) == [
        "north", "north", "north_east", "north_east", "north_east", "north_east",
        "north_east", "east", "south_east", "south_west", "north_west", "north_west",
        "north", "north", "north", "north", None,
    ]  # fmt: skip
    assert labels.names == tuple(s.value for s in CompassSector)


def test_four_and_eight_winds_agree_with_the_scalar_geo_point() -> None:
    dealer = GeoPoint(lat=39.9, lon=116.4)
    homes = [
        GeoPoint(lat=39.9 + dy, lon=116.4 + dx)
        for dy in (-0.1, 0.03, 0.1)
        for dx in (-0.1, 0.02, 0.1)
    ]
    table = customers(bearing_deg=np.array([dealer.bearing_deg(home) for home in homes]))
    for winds in (4, 8):
        expected = [dealer.sector(home, winds=winds).value for home in homes]
        assert list(Sector(winds=winds).assign(table).values()) == expected


@pytest.mark.parametrize("winds", [6, True, "4", 4.0])
def test_winds_are_4_or_8(winds: Any) -> None:
    with pytest.raises(InvalidValue, match="Sector: winds="):
        Sector(winds=winds).assign(bearings())


# ---------------------------------------------------------------- OwnerAgeBand


def test_owner_age_bands_start_at_their_edge() -> None:
    table = customers(age_years=np.array([29.0, 30.0, 39.0, 40.0, 59.0, 60.0, 95.0, np.nan]))
    labels = OwnerAgeBand().assign(table)
    assert list(labels.values()) == [
        "under 30", "30–39", "30–39", "40–49", "50–59", "60 and over", "60 and over", None,
    ]  # fmt: skip
    assert labels.names_zh == ("30岁以下", "30–39岁", "40–49岁", "50–59岁", "60岁及以上")


def test_a_one_year_band_is_named_by_its_year() -> None:
    labels = OwnerAgeBand(edges=(40, 41)).assign(customers(age_years=np.array([40.0])))
    assert labels.names == ("under 40", "40", "41 and over")
    assert labels.names_zh == ("40岁以下", "40岁", "41岁及以上")


@pytest.mark.parametrize("edges", [(30.5, 40), (40, 30), (), (-5, 10)])
def test_owner_age_edges_are_increasing_whole_years(edges: Any) -> None:
    with pytest.raises(InvalidValue, match="OwnerAgeBand: edges="):
        OwnerAgeBand(edges=edges).assign(customers(age_years=np.array([1.0])))


# ---------------------------------------------------------------- GenderDimension


def test_gender_reads_the_recorded_code() -> None:
    table = customers(gender=np.array([0, 1, 2, -1], dtype=np.int8))
    labels = GenderDimension().assign(table)
    assert list(labels.values()) == ["male", "female", "unknown", None]
    assert list(labels.values("zh")) == ["男", "女", "未知", None]


# ---------------------------------------------------------------- Hobby


def hobby_table() -> FeatureTable:
    return customers(
        hobbies=objects(("钓鱼", "自驾"), ("摄影",), ("书法",), (), None, ("书法", "美食"))
    )


def test_the_main_hobby_is_the_first_listed_in_the_priority_order() -> None:
    labels = Hobby().assign(hobby_table())
    assert list(labels.values()) == ["自驾", "摄影", "other", None, None, "美食"]
    assert labels.names[-1] == "other"
    assert labels.names_zh is not None
    assert labels.names_zh[-1] == "其他"


def test_hobby_indicators_mark_every_hobby() -> None:
    marks = Hobby(hobbies=("自驾", "书法")).indicators(hobby_table())
    assert marks.tolist() == [
        [True, False], [False, False], [False, True], [False, False], [False, False], [False, True],
    ]  # fmt: skip


def test_hobbies_can_be_chosen() -> None:
    labels = Hobby(hobbies=("书法",)).assign(hobby_table())
    assert list(labels.values()) == ["other", "other", "书法", None, None, "书法"]


@pytest.mark.parametrize("hobbies", ["自驾", ("自驾", "自驾"), ("other",), ("",), 3])
def test_hobbies_must_be_distinct_texts(hobbies: Any) -> None:
    with pytest.raises(InvalidValue, match="Hobby: hobbies="):
        Hobby(hobbies=hobbies).assign(hobby_table())


# ---------------------------------------------------------------- ConsumptionLevel


def test_consumption_level_by_spend_per_visit() -> None:
    table = customers(
        avg_visit_spend_fen=np.array([200_000, 199_999, 80_000, 79_999, 0]),
        visits=np.array([1, 2, 3, 4, 0]),
    )
    labels = ConsumptionLevel().assign(table)
    assert list(labels.values()) == ["high", "medium", "medium", "low", None]
    # 《汽车售后客户关系管理》: "高价值客户、中价值客户、低价值客户" (was 高消费/中消费/低消费).
    assert labels.names_zh == ("高价值客户", "中价值客户", "低价值客户")


def test_consumption_level_with_other_names_has_no_chinese_names() -> None:
    table = customers(spend_window_fen=np.array([5, 1]), visits=np.array([1, 1]))
    labels = ConsumptionLevel(value="spend_window_fen", thresholds=(3,), names=("big", "small"))
    assert labels.assign(table).names_zh is None
    assert list(labels.assign(table).values()) == ["big", "small"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"thresholds": (1, 2)}, "thresholds"), ({"names": ("a", "b")}, "names")],
)
def test_consumption_parameters_are_checked(params: dict[str, Any], parameter: str) -> None:
    table = customers(avg_visit_spend_fen=np.array([1]), visits=np.array([1]))
    with pytest.raises(InvalidValue, match=f"ConsumptionLevel: {parameter}="):
        ConsumptionLevel(**params).assign(table)


# ---------------------------------------------------------------- NewOrReturning


def dates(*values: str) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[D]")


def test_a_first_purchase_in_the_last_12_months_makes_a_new_customer() -> None:
    table = customers(
        first_purchase=dates("2025-07-01", "2025-06-30", "NaT", "NaT", "2026-06-30"),
        first_visit=dates("2020-01-01", "2026-01-01", "2026-01-01", "NaT", "NaT"),
    )
    labels = NewOrReturning().assign(table)
    # Exactly 12 months before as_of is outside the window (as_of - 12 months, as_of].
    assert list(labels.values()) == ["new", "existing", "new", None, "new"]
    assert list(labels.values("zh"))[:2] == ["新客户", "老客户"]


def test_a_zero_month_window_makes_nobody_new() -> None:
    table = customers(first_purchase=dates("2026-06-30"), first_visit=dates("NaT"))
    assert list(NewOrReturning(months=0).assign(table).values()) == ["existing"]


@pytest.mark.parametrize("months", [-1, 1.5, True])
def test_months_must_be_whole_and_not_negative(months: Any) -> None:
    table = customers(first_purchase=dates("2026-06-30"), first_visit=dates("NaT"))
    with pytest.raises(InvalidValue, match="NewOrReturning: months="):
        NewOrReturning(months=months).assign(table)


# ---------------------------------------------------------------- every dimension


@pytest.mark.parametrize(
    "policy",
    [
        RegionRing(),
        Sector(),
        OwnerAgeBand(),
        GenderDimension(),
        Hobby(),
        ConsumptionLevel(),
        NewOrReturning(),
    ],
    ids=repr,
)
def test_dimensions_are_not_population_relative(policy: Any) -> None:
    assert policy.kind == "dimension"
    assert policy.population_relative is False
