"""ServiceIntervalStatus: loyal / swinging / lost by the due date, on hand-computed vehicles."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import ServiceIntervalStatus

AS_OF = date(2026, 6, 30)
TIME_ONLY = ServiceIntervalStatus(months=6, km=None)


def days(*values: str) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[D]")


def base(
    last_visit: list[str],
    *,
    owner: list[int] | None = None,
    owned_since: list[str] | None = None,
    km_per_day: list[float] | None = None,
    last_mileage: list[float] | None = None,
    customer_last_visit: list[str] | None = None,
) -> FeatureTable:
    """One vehicle per customer unless ``owner`` says otherwise."""
    n = len(last_visit)
    owner = owner if owner is not None else list(range(n))
    customers = max(owner, default=-1) + 1
    vehicles = FeatureTable(
        "vin",
        np.array([f"V{i}" for i in range(n)]),
        {
            "last_service": days(*last_visit),
            "owner": np.array(owner, dtype=np.int64),
            "owned_since": days(*(owned_since or ["2018-01-01"] * n)),
            "km_per_day": np.array(km_per_day or [10.0] * n),
            "last_service_mileage": np.array(last_mileage or [np.nan] * n),
        },
        AS_OF,
        "CNY",
    )
    visits = customer_last_visit or ["2026-06-01"] * customers
    return FeatureTable(
        "customer_id",
        np.array([f"C{i}" for i in range(customers)]),
        {
            "last_visit": days(*visits),
            "vehicles_owned": np.bincount([o for o in owner if o >= 0], minlength=customers),
        },
        AS_OF,
        "CNY",
        vehicles=vehicles,
    )


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        ("2026-06-30", "loyal"),  # visited on as_of
        ("2025-12-30", "loyal"),  # due exactly on as_of: not overdue yet
        ("2025-12-31", "loyal"),  # + 6 months is 30 June (month end clamped)
        ("2025-12-29", "swinging"),  # due 29 June: a day overdue
        ("2025-06-30", "swinging"),  # due 30 Dec, exactly 6 months past due on as_of
        ("2025-06-29", "lost"),  # 6 months and a day past due
        ("2019-01-01", "lost"),
    ],
)
def test_time_based_status_boundaries(last_visit: str, expected: str) -> None:
    assert list(TIME_ONLY.assign_vehicles(base([last_visit])).values()) == [expected]


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        ("2025-06-30", "loyal"),  # exactly 12 months ago: still active (F7: <= 12)
        ("2025-06-29", "swinging"),
        ("2024-06-30", "swinging"),  # exactly 24 months: recently lost, not yet defected
        ("2024-06-29", "lost"),  # more than 24 months
    ],
)
def test_the_12_24_recency_preset(last_visit: str, expected: str) -> None:
    policy = ServiceIntervalStatus.recency_12_24()
    assert list(policy.assign_vehicles(base([last_visit])).values()) == [expected]


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        ("2024-06-30", "swinging"),  # due 2024-12-30, exactly 18 months past due
        ("2023-12-30", "swinging"),  # due 2024-06-30: exactly 4 intervals (24 months) past due
        ("2023-12-29", "lost"),  # a day more
    ],
)
def test_the_missed_intervals_preset(last_visit: str, expected: str) -> None:
    policy = ServiceIntervalStatus.missed_intervals()
    assert list(policy.assign_vehicles(base([last_visit])).values()) == [expected]


def test_the_presets_are_the_documented_parameters() -> None:
    assert ServiceIntervalStatus.recency_12_24().get_params() == {
        "months": 12, "km": None, "swinging_after": 0, "lost_after": 12, "where": "dealer",
    }  # fmt: skip
    assert ServiceIntervalStatus.chinese_dealer_6_months().get_params() == (
        ServiceIntervalStatus().get_params()
    )
    assert ServiceIntervalStatus.missed_intervals().get_params() == {
        "months": 6, "km": 5000, "swinging_after": 0, "lost_after": 24, "where": "dealer",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("last_visit", "km_per_day", "last_mileage", "expected"),
    [
        ("2026-05-11", 100.0, 30_000.0, "loyal"),  # 5,000 km in 50 days: due exactly on as_of
        ("2026-05-10", 100.0, 30_000.0, "swinging"),  # due by mileage a day before as_of
        ("2026-05-10", 100.0, np.nan, "loyal"),  # no reading: by time only
        ("2026-05-10", 0.0, 30_000.0, "loyal"),  # not driven: by time only
        ("2025-12-29", 1.0, 30_000.0, "swinging"),  # time comes first
        ("2025-10-01", 300.0, 30_000.0, "lost"),  # due 17 days later, lost 6 months after
    ],
)
def test_the_due_date_is_by_time_or_mileage_whichever_first(
    last_visit: str, km_per_day: float, last_mileage: float, expected: str
) -> None:
    table = base([last_visit], km_per_day=[km_per_day], last_mileage=[last_mileage])
    assert list(ServiceIntervalStatus().assign_vehicles(table).values()) == [expected]


def test_due_dates_by_time_and_by_mileage() -> None:
    table = base(
        ["2026-01-31", "2026-05-10", "NaT", "2025-08-31", "2023-08-29"],
        km_per_day=[10.0, 100.0, 10.0, 1.0, 1.0],
        last_mileage=[1000.0, 1000.0, np.nan, 1000.0, 1000.0],
    )
    due = ServiceIntervalStatus().due_dates(table)
    assert due.tolist() == [
        date(2026, 7, 31),  # 6 months: 500 km in 6 months at 10 km a day is not 5,000 km
        date(2026, 6, 29),  # 5,000 km at 100 km a day: 50 days
        None,  # never visited
        date(2026, 2, 28),  # 31 August + 6 months, clamped to the end of February
        date(2024, 2, 29),  # 29 August + 6 months in a leap year
    ]
    assert TIME_ONLY.due_dates(table).tolist()[1] == date(2026, 11, 10)


def test_a_vehicle_without_a_visit_has_no_status() -> None:
    assert list(TIME_ONLY.assign_vehicles(base(["NaT"])).values()) == [None]


@pytest.mark.parametrize(
    ("owned_since", "expected"),
    [
        ("2020-01-01", "lost"),  # the owner had it then: their visit, and they did not return
        ("2021-01-01", "lost"),  # bought on the day of the visit: the new owner brought it
        ("2021-01-02", None),  # bought the day after: the new owner has not come yet
        ("2026-06-30", None),  # bought on as_of
        ("NaT", "lost"),  # nobody owns it on as_of: its own status, rolled up to no one
    ],
)
def test_a_vehicle_that_changed_owner_since_its_last_visit_is_not_lost(
    owned_since: str, expected: str | None
) -> None:
    owned = owned_since != "NaT"
    table = base(["2021-01-01"], owner=[0 if owned else -1], owned_since=[owned_since])
    assert list(TIME_ONLY.assign_vehicles(table).values()) == [expected]
    if owned:  # the customer's status is that of their one vehicle
        assert list(TIME_ONLY.assign(table).values()) == [expected]


def test_a_customer_has_the_best_status_of_their_vehicles() -> None:
    table = base(
        ["2026-06-01", "2019-01-01", "2019-01-01", "2026-03-01", "NaT", "2026-06-01"],
        owner=[0, 0, 1, 1, 2, -1],
    )
    assert list(TIME_ONLY.assign_vehicles(table).values()) == [
        "loyal", "lost", "lost", "loyal", None, "loyal",
    ]  # fmt: skip
    # C0 loyal and lost -> loyal; C1 lost and loyal -> loyal; C2 only a car never serviced.
    labels = TIME_ONLY.assign(table)
    assert list(labels.values()) == ["loyal", "loyal", None]
    assert labels.names_zh == ("忠诚", "摇摆", "流失")


def test_rows_picked_with_take_keep_their_status() -> None:
    table = base(["2026-06-01", "2019-01-01", "2025-12-01"], owner=[2, 0, 1])
    whole = TIME_ONLY.assign(table)
    for rows in ([2, 0, 1], [1], []):
        picked = np.array(rows, dtype=np.intp)
        assert TIME_ONLY.assign(table.take(picked)) == whole.take(picked)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"months": 0}, "months"),
        ({"months": 6.0}, "months"),
        ({"km": -5}, "km"),
        ({"km": "5000"}, "km"),
        ({"km": True}, "km"),  # a bool is not a number of km
        ({"swinging_after": -1}, "swinging_after"),
        ({"swinging_after": True}, "swinging_after"),
        ({"lost_after": 2, "swinging_after": 3}, "lost_after"),
    ],
)
def test_interval_parameters_are_checked(params: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidValue, match=f"ServiceIntervalStatus: {parameter}="):
        ServiceIntervalStatus(**params).assign(base(["2026-01-01"]))


def test_interval_status_needs_the_vehicle_features() -> None:
    table = base(["2026-01-01"])
    bare = FeatureTable("customer_id", table.ids, table.columns, AS_OF, "CNY")
    with pytest.raises(InvalidValue, match="needs the vehicle features"):
        ServiceIntervalStatus().assign(bare)
