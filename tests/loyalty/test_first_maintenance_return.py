"""The material's loyalty category, and the matrix rows built on it, on hand-built customers.

Seed 003 (《信息回访员基础培训分析报告》): "忠诚度类别:以首保后,日常保养\\维修是否来厂为
判断忠诚度依据". Per vehicle: after its first maintenance, does it come back to the same
dealer for routine maintenance or repair?
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

from aftersales_crm import features
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import (
    FirstMaintenanceReturn,
    LoyaltyStatus,
    LoyaltyValueMatrix,
    ServiceIntervalStatus,
)
from aftersales_crm.records import (
    Book,
    Customer,
    Dealer,
    Ownership,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import GeoPoint, Material, Money, Quote, vin

AS_OF = date(2026, 6, 30)
BOUGHT = date(2025, 1, 1)
FIRST = date(2025, 4, 1)  # every car's first maintenance, at D1


def make_vin(serial: int) -> str:
    body = f"LSVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


def visit(number: int, day: date, kind: str, *, dealer: str = "D1", mileage: int) -> RepairOrder:
    pay = "warranty" if kind == "first_maintenance" else "customer"
    line = RepairLine(
        kind=kind, pay=pay, labour=Money.parse("100", "CNY"), parts=Money.parse("0", "CNY")
    )
    opened = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in Beijing
    return RepairOrder(
        id=f"RO{number}",
        dealer_id=dealer,
        vin=make_vin(number // 10),
        customer_id=f"C{number // 10}",
        opened_at=opened,
        mileage=mileage,
        lines=(line,),
    )


def customer(
    n: int,
    *visits: tuple[date, str, str],
    owner_since: date = BOUGHT,
    km: int = 10,
    first: date = FIRST,
) -> list[Any]:
    """Customer C<n> owning vehicle <n> since ``owner_since``, with its first maintenance
    at D1 on ``first`` and then ``visits`` (day, kind, dealer), driving ``km`` a day."""
    orders = [
        visit(10 * n + i, day, kind, dealer=dealer, mileage=km * (day - BOUGHT).days + 1)
        for i, (day, kind, dealer) in enumerate(((first, "first_maintenance", "D1"), *visits))
    ]
    return [
        Customer(id=f"C{n}", name=f"客户{n}"),
        Vehicle(vin=make_vin(n), model="明锐", purchase_date=BOUGHT),
        Ownership(id=f"O{n}", customer_id=f"C{n}", vin=make_vin(n), start=owner_since),
        *orders,
    ]


CUSTOMERS = {
    # (a) came back once, recently, but to ANOTHER dealer of the network.
    "elsewhere": customer(1, (date(2026, 5, 1), "maintenance", "D2")),
    # (b) only the parts counter, an accessory fitting and insurance renewal since.
    "counter": customer(
        2,
        (date(2026, 5, 1), "accessories", "D1"),
        (date(2026, 6, 1), "parts_sale", "D1"),
        (date(2026, 6, 15), "insurance_renewal", "D1"),
    ),
    # (c) loyal by the material, serviced at the same dealer three months ago.
    "regular": customer(
        3, (date(2025, 10, 1), "maintenance", "D1"), (date(2026, 4, 1), "minor_repair", "D1")
    ),
    # came back once, to the same dealer, but overdue since.
    "overdue": customer(4, (date(2025, 10, 1), "maintenance", "D1")),
    # came back once, to the same dealer, but long ago: past the lost horizon.
    "long_gone": customer(5, (date(2025, 5, 1), "maintenance", "D1")),
    # first maintenance three months ago, next service not yet due, not back yet.
    "new": customer(6, first=date(2026, 4, 1), km=1),
    # bought second-hand after the first maintenance and the return.
    "second_hand": customer(7, (date(2025, 10, 1), "maintenance", "D1"), owner_since=BOUGHT),
}
ROWS = {name: i for i, name in enumerate(CUSTOMERS)}


def book() -> Book:
    records: list[Any] = [
        Dealer(id="D1", name="朝阳店", location=GeoPoint(39.9, 116.4)),
        Dealer(id="D2", name="浦东店", location=GeoPoint(31.23, 121.47)),
    ]
    for name, rows in CUSTOMERS.items():
        if name == "second_hand":  # C7's car was C70's until 2026-01-01
            rows = [
                *rows[:2],
                Customer(id="C70", name="前车主"),
                Ownership(
                    id="O70",
                    customer_id="C70",
                    vin=make_vin(7),
                    start=BOUGHT,
                    end=date(2026, 1, 1),
                ),
                Ownership(id="O7", customer_id="C7", vin=make_vin(7), start=date(2026, 1, 1)),
                *(o.model_copy(update={"customer_id": "C70"}) for o in rows[3:]),
            ]
        records += rows
    return Book.from_records(records)


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(book(), as_of=AS_OF)


def label(policy: Any, feats: FeatureTable, name: str) -> str | None:
    value: str | None = policy.assign(feats).values()[
        feats.ids.tolist().index(f"C{ROWS[name] + 1}")
    ]
    return value


def test_the_category_is_quoted_word_for_word_from_seed_003() -> None:
    assert (
        Quote(
            Material.FOLLOW_UP_CALLS,
            "忠诚度类别:以首保后,日常保养\\维修是否来厂为 判断忠诚度依据",
            FirstMaintenanceReturn.CATEGORY.english,
        )
        == FirstMaintenanceReturn.CATEGORY
    )
    assert FirstMaintenanceReturn.CATEGORY.source.citation == "《信息回访员基础培训分析报告》"


@pytest.mark.parametrize(
    ("name", "category", "network"),
    [
        ("elsewhere", "not_loyal", "loyal"),  # (a) the return was at D2, not at D1
        ("counter", "not_loyal", "not_loyal"),  # (b) no routine service since
        ("regular", "loyal", "loyal"),  # (c)
        ("overdue", "loyal", "loyal"),
        ("long_gone", "loyal", "loyal"),
        ("new", "not_loyal", "not_loyal"),  # not back yet
        ("second_hand", None, None),  # C7 did not bring the car to its first maintenance
    ],
)
def test_the_category_asks_for_a_return_to_the_same_dealer_on_the_same_car(
    feats: FeatureTable, name: str, category: str | None, network: str | None
) -> None:
    assert label(FirstMaintenanceReturn(), feats, name) == category
    assert label(FirstMaintenanceReturn(dealer="network"), feats, name) == network


def test_a_return_at_another_dealer_is_neither_loyal_nor_in_the_loyal_row(
    feats: FeatureTable,
) -> None:
    row = feats.row("C1")
    assert row["first_maintenance"] == FIRST
    assert row["returned_after_first_maintenance"] is False
    assert row["return_date"] is None
    assert row["network_return_date"] == date(2026, 5, 1)
    assert label(LoyaltyStatus(), feats, "elsewhere") == "lost"  # never came back to D1
    network = LoyaltyStatus(interval=ServiceIntervalStatus(where="network"))
    assert label(network, feats, "elsewhere") == "loyal"
    cells = LoyaltyValueMatrix().fit(feats).assign(feats)
    assert cells.values()[ROWS["elsewhere"]][0] == "C"


def test_parts_counter_accessory_and_insurance_visits_keep_no_one_loyal(
    feats: FeatureTable,
) -> None:
    assert feats.vehicles is not None
    car = feats.vehicles.row(make_vin(2))
    assert car["last_visit"] == date(2026, 6, 15)  # the insurance renewal
    assert car["last_service"] == FIRST  # the first maintenance, a maintenance visit
    assert car["service_due"] == date(2025, 10, 1)
    assert label(ServiceIntervalStatus(), feats, "counter") == "lost"
    assert label(ServiceIntervalStatus(where="network"), feats, "counter") == "lost"
    assert label(LoyaltyStatus(), feats, "counter") == "lost"
    cells = LoyaltyValueMatrix().fit(feats).assign(feats)
    assert cells.values()[ROWS["counter"]][0] == "C"


def test_a_loyal_customer_serviced_at_the_dealer_lately_sits_in_the_loyal_row(
    feats: FeatureTable,
) -> None:
    assert label(LoyaltyStatus(), feats, "regular") == "loyal"
    cells = LoyaltyValueMatrix().fit(feats).assign(feats)
    assert cells.values()[ROWS["regular"]][0] == "A"
    assert cells.values("zh")[ROWS["regular"]].startswith("忠诚·")


@pytest.mark.parametrize(
    ("name", "status", "unplaced"),
    [
        ("regular", "loyal", "loyal"),  # returned, serviced three months ago: due 1 Oct
        ("overdue", "swinging", "swinging"),  # returned; due 1 Apr 2026, not 6 months past
        ("long_gone", "lost", "lost"),  # returned; due 1 Nov 2025, lost after 1 May 2026
        ("elsewhere", "lost", "lost"),  # never returned, and overdue at D1 since 1 Oct 2025
        ("new", "lost", None),  # never returned, but not due before 1 Oct 2026 (1 km a day)
        ("second_hand", None, None),  # no first maintenance of its own: unplaced
    ],
)
def test_every_branch_of_the_row_rule(
    feats: FeatureTable, name: str, status: str | None, unplaced: str | None
) -> None:
    assert label(LoyaltyStatus(), feats, name) == status
    assert label(LoyaltyStatus(not_yet_due="unplaced"), feats, name) == unplaced


def test_the_customer_features_agree_with_the_vehicle_features(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    first = feats.per_owner("first_maintenance", "min")
    assert feats.row("C4")["return_date"] == date(2025, 10, 1)
    assert feats.vehicles.row(make_vin(4))["first_maintenance_dealer"] == 0  # D1's row
    assert feats.vehicles.row(make_vin(1))["service_dealer"] == 0
    assert feats.vehicles.row(make_vin(1))["last_network_service"] == date(2026, 5, 1)
    assert feats.vehicles.row(make_vin(1))["last_service"] == FIRST
    returned = feats["returned_after_first_maintenance"]
    assert (returned == ~np.isnat(feats["return_date"])).all()
    assert (np.isnat(first) <= np.isnat(feats["first_maintenance"])).all()
    assert feats.row("C7")["first_maintenance"] is None  # bought after it
    assert feats.row("C70")["first_maintenance"] is None  # no longer owns it


def test_any_vehicle_counts_a_return_with_another_car() -> None:
    two_cars = [
        *customer(8),  # C8's car 8: first maintenance, never back
        Vehicle(vin=make_vin(9), model="明锐", purchase_date=BOUGHT),
        Ownership(id="O9", customer_id="C8", vin=make_vin(9), start=BOUGHT),
        visit(90, date(2026, 6, 1), "maintenance", mileage=5000).model_copy(
            update={"customer_id": "C8"}
        ),  # car 9, no first maintenance here, serviced at D1
    ]
    dealers = [Dealer(id="D1", name="朝阳店", location=GeoPoint(39.9, 116.4))]
    feats = features.compute(Book.from_records([*dealers, *two_cars]), as_of=AS_OF)
    assert FirstMaintenanceReturn().assign(feats).values() == ["not_loyal"]
    assert FirstMaintenanceReturn(vehicle="any").assign(feats).values() == ["loyal"]
    assert FirstMaintenanceReturn(vehicle="any", dealer="network").assign(feats).values() == [
        "loyal"
    ]
    assert feats.row("C8")["any_vehicle_return_date"] == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("dealer", "vehicle", "columns"),
    [
        ("same", "same", ("first_maintenance", "return_date")),
        ("network", "same", ("first_maintenance", "network_return_date")),
        ("same", "any", ("any_vehicle_first_maintenance", "any_vehicle_return_date")),
        (
            "network",
            "any",
            ("any_vehicle_first_maintenance", "any_vehicle_network_return_date"),
        ),
    ],
)
def test_each_widening_reads_its_own_features(
    dealer: Any, vehicle: Any, columns: tuple[str, str]
) -> None:
    table = FeatureTable(
        "customer_id",
        np.array(["C0", "C1", "C2"]),
        {
            columns[0]: np.array(["2025-01-01", "2025-02-01", "NaT"], dtype="datetime64[D]"),
            columns[1]: np.array(["2025-03-01", "NaT", "NaT"], dtype="datetime64[D]"),
        },
        AS_OF,
        "CNY",
    )
    policy = FirstMaintenanceReturn(dealer=dealer, vehicle=vehicle)
    assert policy.columns() == columns
    labels = policy.assign(table)
    assert list(labels.values()) == ["loyal", "not_loyal", None]  # C2 had no first maintenance
    assert list(labels.values("zh")) == ["忠诚", "非忠诚", None]


@pytest.mark.parametrize(
    ("params", "parameter"), [({"dealer": "here"}, "dealer"), ({"vehicle": None}, "vehicle")]
)
def test_the_widening_parameters_are_checked(params: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidValue, match=f"FirstMaintenanceReturn: {parameter}="):
        FirstMaintenanceReturn(**params).columns()


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"not_yet_due": "later"}, "not_yet_due"), ({"interval": "6 months"}, "interval")],
)
def test_the_row_rule_parameters_are_checked(
    feats: FeatureTable, params: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(InvalidValue, match=f"LoyaltyStatus: {parameter}="):
        LoyaltyStatus(**params).assign(feats)


def test_an_empty_table_has_no_labels() -> None:
    table = FeatureTable(
        "customer_id",
        np.array([], dtype=str),
        {
            "first_maintenance": np.array([], dtype="datetime64[D]"),
            "return_date": np.array([], dtype="datetime64[D]"),
        },
        AS_OF,
        "CNY",
    )
    assert len(FirstMaintenanceReturn().assign(table)) == 0
