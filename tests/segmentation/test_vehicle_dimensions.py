"""Dimensions read from the customer's vehicles: age band, body type, usage habit."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable, MileageMethod
from aftersales_crm.segmentation import BodyTypeDimension, UsageHabit, VehicleAgeBand
from aftersales_crm.values import BodyType

AS_OF = date(2026, 6, 30)
READINGS = list(MileageMethod).index(MileageMethod.READINGS)
MODEL_MEDIAN = list(MileageMethod).index(MileageMethod.MODEL_MEDIAN)
SEDAN, SUV, MPV = (list(BodyType).index(b) for b in (BodyType.SEDAN, BodyType.SUV, BodyType.MPV))

# Vehicles: VIN, owner row, completed years since purchase, body type, km/day, method.
FLEET: list[tuple[str, int, float, int, float, int]] = [
    ("V5", 0, 6.0, SEDAN, 40.0, READINGS),  # C0's older car
    ("V4", 0, 2.0, SUV, 10.0, READINGS),  # C0's newest car
    ("V3", 1, 3.0, MPV, 9.5, READINGS),  # C1
    ("V2", 2, 5.0, SEDAN, 60.0, MODEL_MEDIAN),  # C2: no readings of its own
    ("V1", 4, np.nan, SUV, 20.0, READINGS),  # C4: no purchase date
    ("V9", 5, 1.0, SUV, 1.0, READINGS),  # C5: two cars of the same age, V0 wins the tie
    ("V0", 5, 1.0, MPV, 1.0, READINGS),
    ("V8", -1, 0.0, SEDAN, 1.0, READINGS),  # nobody owns it on as_of
    ("V7", 6, 0.0, -1, 39.9, READINGS),  # C6: a new car without a body type
]
OWNED = [2, 1, 1, 0, 1, 2, 1]  # vehicles_owned of C0 ... C6


def fleet(
    rows: list[tuple[str, int, float, int, float, int]] = FLEET, owned: list[int] = OWNED
) -> FeatureTable:
    vins, owner, age, body, km, method = zip(*rows, strict=True)
    vehicles = FeatureTable(
        "vin",
        np.array(vins),
        {
            "owner": np.array(owner, dtype=np.int64),
            "age_years": np.array(age, dtype=np.float64),
            "body_type": np.array(body, dtype=np.int8),
            "km_per_day": np.array(km, dtype=np.float64),
            "km_per_day_method": np.array(method, dtype=np.int8),
        },
        AS_OF,
        "CNY",
    )
    return FeatureTable(
        "customer_id",
        np.array([f"C{i}" for i in range(len(owned))]),
        {"vehicles_owned": np.array(owned, dtype=np.int64)},
        AS_OF,
        "CNY",
        vehicles=vehicles,
    )


def test_the_age_band_is_that_of_the_most_recently_bought_vehicle() -> None:
    labels = VehicleAgeBand().assign(fleet())
    assert list(labels.values()) == [
        "1–2 years",  # C0: 2 years, not the 6-year-old car
        "3–4 years",  # exactly 3 completed years
        "5+ years",  # exactly 5
        None,  # C3 owns nothing
        None,  # C4's car has no purchase date
        "1–2 years",
        "1–2 years",  # year 0 is part of "1–2"
    ]
    assert labels.names_zh == ("1–2年", "3–4年", "5年以上")


@pytest.mark.parametrize(
    ("edges", "names"),
    [
        ((1, 3), ("under 1 year", "1–2 years", "3+ years")),
        ((2,), ("1 year", "2+ years")),
        ((3, 4, 6), ("1–2 years", "3 years", "4–5 years", "6+ years")),
    ],
)
def test_age_bands_are_named_from_their_edges(
    edges: tuple[int, ...], names: tuple[str, ...]
) -> None:
    assert VehicleAgeBand(edges=edges).assign(fleet()).names == names


def test_under_one_year_in_chinese() -> None:
    assert VehicleAgeBand(edges=(1,)).assign(fleet()).names_zh == ("不足1年", "1年以上")


@pytest.mark.parametrize("edges", [(0, 3), (5, 3), (2.5,), (), ("3",)])
def test_age_band_edges_are_increasing_whole_years_from_1(edges: Any) -> None:
    with pytest.raises(InvalidValue, match="VehicleAgeBand: edges="):
        VehicleAgeBand(edges=edges).assign(fleet())


def test_the_body_type_is_that_of_the_most_recently_bought_vehicle() -> None:
    labels = BodyTypeDimension().assign(fleet())
    # C5's two one-year-old cars tie: V0 (MPV) comes before V9 (SUV) by VIN.
    assert list(labels.values()) == ["suv", "mpv", "sedan", None, "suv", "mpv", None]
    assert labels.names_zh is not None
    assert labels.names_zh[0] == "轿车"


def test_usage_habit_is_the_most_driven_vehicle_with_its_own_readings() -> None:
    policy = UsageHabit(frequent_km_per_year=40 * 365, idle_km_per_year=10 * 365)
    labels = policy.assign(fleet())
    assert list(labels.values()) == [
        "frequent",  # C0: 40 km/day on the older car, exactly the threshold
        "long_idle",  # 9.5 km/day, below 10
        None,  # C2: only a model median
        None,  # owns nothing
        "occasional",  # 20 km/day
        "long_idle",
        "occasional",  # 39.9 km/day
    ]
    # 《汽车售后客户关系管理》: "频繁使用者、偶尔使用者、长期闲置者" (the 者 was dropped before).
    assert labels.names_zh == ("频繁使用者", "偶尔使用者", "长期闲置者")


def test_usage_habit_default_thresholds_are_per_year() -> None:
    labels = UsageHabit().assign(fleet())
    assert list(labels.values())[:2] == ["occasional", "long_idle"]  # 14,600 and 3,468 km a year


def test_usage_habit_by_visits_a_year_over_at_least_a_year() -> None:
    table = FeatureTable(
        "customer_id",
        np.array([f"C{i}" for i in range(6)]),
        {
            "visit_days": np.array([8, 4, 1, 3, 2, 0]),
            "tenure_days": np.array([730.0, 365.0, 30.0, 1095.0, 1095.0, np.nan]),
        },
        AS_OF,
        "CNY",
    )
    labels = UsageHabit(by="visits").assign(table)
    assert list(labels.values()) == [
        "frequent",  # 8 visits in 2 years: 4 a year, exactly the threshold
        "frequent",  # 4 in a year
        "occasional",  # one visit a month ago counts as one a year, not twelve
        "occasional",  # 3 in 3 years: 1 a year, not below it
        "long_idle",  # 2 in 3 years
        None,  # never came
    ]


def test_usage_habit_by_visits_has_its_own_thresholds() -> None:
    table = FeatureTable(
        "customer_id",
        np.array(["C0", "C1"]),
        {"visit_days": np.array([6, 2]), "tenure_days": np.array([365.0, 365.0])},
        AS_OF,
        "CNY",
    )
    policy = UsageHabit(by="visits", frequent_visits_per_year=6, idle_visits_per_year=3)
    assert list(policy.assign(table).values()) == ["frequent", "long_idle"]
    assert repr(policy) == (
        "UsageHabit(by='visits', frequent_visits_per_year=6, idle_visits_per_year=3)"
    )


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"idle_km_per_year": 30_000}, "idle_km_per_year"),  # above frequent
        ({"frequent_km_per_year": -1}, "frequent_km_per_year"),
        ({"idle_km_per_year": "5000"}, "idle_km_per_year"),
        ({"by": "hours"}, "by"),
        ({"by": "visits", "idle_visits_per_year": 5}, "idle_visits_per_year"),
        ({"by": "visits", "frequent_visits_per_year": None}, "frequent_visits_per_year"),
    ],
)
def test_usage_thresholds_are_checked(params: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidValue, match=f"UsageHabit: {parameter}="):
        UsageHabit(**params).assign(fleet())


@pytest.mark.parametrize("policy", [VehicleAgeBand(), BodyTypeDimension(), UsageHabit()], ids=repr)
def test_vehicle_dimensions_need_the_vehicle_features(policy: Any) -> None:
    table = fleet()
    bare = FeatureTable("customer_id", table.ids, table.columns, AS_OF, "CNY")
    with pytest.raises(InvalidValue, match="needs the vehicle features") as raised:
        policy.assign(bare)
    assert raised.value.code == "missing_feature"


@pytest.mark.parametrize("policy", [VehicleAgeBand(), BodyTypeDimension(), UsageHabit()], ids=repr)
def test_owner_rows_that_do_not_match_the_customers_are_refused(policy: Any) -> None:
    wrong = fleet(owned=[0, 1, 1, 2, 1, 2, 1])  # C0 would own two cars, vehicles_owned says 0
    with pytest.raises(InvalidValue, match="owner rows do not match") as raised:
        policy.assign(wrong)
    assert raised.value.code == "vehicles_not_aligned"


@pytest.mark.parametrize("policy", [VehicleAgeBand(), BodyTypeDimension(), UsageHabit()], ids=repr)
def test_vehicle_dimensions_follow_rows_picked_with_take(policy: Any) -> None:
    table = fleet()
    whole = policy.assign(table)
    rows = np.array([6, 5, 0, 2], dtype=np.intp)
    assert policy.assign(table.take(rows)) == whole.take(rows)
    assert len(policy.assign(table.take(np.array([], dtype=np.intp)))) == 0


def test_owners_outside_the_table_are_nobody() -> None:
    # A vehicle table of a bigger base: the owner row 9 is not among these customers.
    rows = [*FLEET, ("VX", 9, 1.0, SEDAN, 1.0, READINGS)]
    assert VehicleAgeBand().assign(fleet(rows)) == VehicleAgeBand().assign(fleet())
