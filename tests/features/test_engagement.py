"""On-time arrival, dealers visited and activities attended, on a hand-computed base."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import features
from aftersales_crm import records as r
from aftersales_crm.features import FeatureTable
from aftersales_crm.records import Book
from aftersales_crm.testing import strategies as st_crm
from aftersales_crm.values import GeoPoint, Money, vin

AS_OF = date(2026, 2, 28)
ENGAGEMENT = (
    "service_returns",
    "on_time_returns",
    "on_time_arrival_rate",
    "dealers_visited",
    "main_dealer_share",
    "activities",
    "activities_window",
)


def make_vin(serial: int) -> str:
    body = f"LSVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


V1, V2, V3, V4 = (make_vin(i) for i in range(11, 15))


def visit(
    order_id: str, customer: str, vehicle: str, day: date, km: int, kind: str, dealer: str = "D1"
) -> r.RepairOrder:
    opened = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in Beijing
    cost = r.RepairLine(
        kind=kind, pay="customer", labour=Money.parse("100", "CNY"), parts=Money.parse("0", "CNY")
    )
    return r.RepairOrder(
        id=order_id,
        dealer_id=dealer,
        vin=vehicle,
        customer_id=customer,
        opened_at=opened,
        mileage=km,
        lines=(cost,),
    )


def attended(attendance: str, customer: str, day: date) -> r.ActivityAttended:
    return r.ActivityAttended(
        id=attendance, activity_id=f"EV{day:%Y%m}", customer_id=customer, on=day
    )


def base() -> list[Any]:
    bought = date(2024, 10, 1)
    return [
        r.Dealer(id="D1", name="朝阳店", location=GeoPoint(39.9, 116.4)),
        r.Dealer(id="D2", name="浦东店", location=GeoPoint(31.23, 121.47)),
        *(
            r.Customer(id=c, name=name)
            for c, name in (("C1", "王芳"), ("C2", "李强"), ("C3", "张伟"))
        ),
        *(r.Customer(id="C4", name="赵敏"),),
        *(r.Vehicle(vin=v, model="明锐", purchase_date=bought) for v in (V1, V2, V3, V4)),
        r.Ownership(id="O1", customer_id="C1", vin=V1, start=bought),
        r.Ownership(id="O2", customer_id="C2", vin=V2, start=bought),
        r.Ownership(id="O3", customer_id="C3", vin=V3, start=bought),
        r.Ownership(id="O4", customer_id="C3", vin=V4, start=bought),
        # C1: due 2025-07-10 (6 months), came 2025-07-01 with 4,000 km more: on time.
        visit("R11", "C1", V1, date(2025, 1, 10), 3_000, "first_maintenance"),
        visit("R12", "C1", V1, date(2025, 7, 1), 7_000, "maintenance"),
        # An accessory fitting at the other dealer: a visit day there, not a service visit.
        visit("R13", "C1", V1, date(2025, 9, 1), 8_000, "accessories", dealer="D2"),
        # Due 2026-01-01 (6 months after 2025-07-01), came 2026-01-20: late.
        visit("R14", "C1", V1, date(2026, 1, 20), 11_000, "maintenance"),
        # C2: within 6 months but 6,000 km in 92 days: 5,000 km reached on day 77, late.
        visit("R21", "C2", V2, date(2025, 3, 1), 10_000, "maintenance"),
        visit("R22", "C2", V2, date(2025, 6, 1), 16_000, "maintenance", dealer="D2"),
        # A second order of the same vehicle on the same day is the same visit.
        visit("R23", "C2", V2, date(2025, 6, 1), 16_000, "minor_repair", dealer="D2"),
        # C3: each vehicle's first service visit is no return; a parts sale is no service.
        visit("R31", "C3", V3, date(2025, 1, 1), 5_000, "maintenance"),
        visit("R32", "C3", V4, date(2025, 2, 1), 5_000, "maintenance"),
        visit("R33", "C3", V3, date(2025, 3, 1), 6_000, "parts_sale"),
        # Activities: in the window, before it, on its first day (outside), after as_of.
        attended("A1", "C1", date(2025, 3, 1)),
        attended("A2", "C1", date(2024, 12, 1)),
        attended("A3", "C1", date(2025, 2, 28)),
        attended("A4", "C1", date(2026, 3, 5)),
        attended("A5", "C4", date(2026, 2, 28)),
    ]


@pytest.fixture
def book() -> Book:
    return Book.from_records(base())


@pytest.fixture
def feats(book: Book) -> FeatureTable:
    return features.compute(book, as_of=AS_OF)


def column(feats: FeatureTable, name: str) -> list[Any]:
    return [feats.row(c)[name] for c in ("C1", "C2", "C3", "C4")]


def test_a_return_is_on_time_by_the_earlier_visits_due_date(feats: FeatureTable) -> None:
    # C1 returned twice (once on time), C2 once late by km, C3 never, C4 never visited.
    assert column(feats, "service_returns") == [2, 1, 0, 0]
    assert column(feats, "on_time_returns") == [1, 0, 0, 0]
    assert column(feats, "on_time_arrival_rate") == [0.5, 0.0, None, None]


def test_the_km_rule_reads_the_pace_between_the_two_readings() -> None:
    # 5,000 km in 92 days reaches the limit on day 92 itself: still on time.
    on_time = [f for f in base() if getattr(f, "id", None) not in ("R22", "R23")]
    on_time.append(visit("R22", "C2", V2, date(2025, 6, 1), 15_000, "maintenance", dealer="D2"))
    feats = features.compute(Book.from_records(on_time), as_of=AS_OF)
    assert feats.row("C2")["on_time_returns"] == 1


def test_main_dealer_share_is_of_visit_days(feats: FeatureTable) -> None:
    # C1: 3 of 4 visit days at D1; C2: one day at each dealer (a tie: the share is the same).
    assert column(feats, "dealers_visited") == [2, 2, 1, 0]
    assert column(feats, "main_dealer_share") == [0.75, 0.5, 1.0, None]


def test_activities_count_up_to_as_of_and_in_the_trailing_window(feats: FeatureTable) -> None:
    assert column(feats, "activities") == [3, 0, 0, 1]
    assert column(feats, "activities_window") == [1, 0, 0, 1]


def test_profile_gives_the_batch_row(book: Book, feats: FeatureTable) -> None:
    for customer_id in feats.ids:
        one = features.profile(book, str(customer_id), as_of=AS_OF)
        assert one.row(customer_id) == feats.row(customer_id)


def test_threads_and_blocks_do_not_change_the_engagement_features(
    book: Book, feats: FeatureTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aftersales_crm.features import _kernels

    monkeypatch.setattr(_kernels, "BLOCK_ROWS", 1)
    blocks = features.compute(book, as_of=AS_OF, threads=2)
    for name in ENGAGEMENT:
        assert np.array_equal(blocks[name], feats[name], equal_nan=True), name


@settings(max_examples=40)
@given(st_crm.books(max_customers=5), st.dates(date(2015, 1, 1), date(2027, 12, 31)))
def test_engagement_counts_are_consistent(book: Book, as_of: date) -> None:
    feats = features.compute(book, as_of=as_of)
    returns, on_time = feats["service_returns"], feats["on_time_returns"]
    assert (on_time >= 0).all()
    assert (on_time <= returns).all()
    rate = feats["on_time_arrival_rate"]
    assert np.array_equal(np.isnan(rate), returns == 0)
    assert np.allclose(rate[returns > 0], (on_time / np.maximum(returns, 1))[returns > 0])
    visited, share = feats["dealers_visited"], feats["main_dealer_share"]
    assert np.array_equal(visited > 0, feats["visits"] > 0)
    assert np.array_equal(np.isnan(share), visited == 0)
    assert ((share[visited > 0] >= 1 / visited[visited > 0]) & (share[visited > 0] <= 1)).all()
    assert (returns < np.maximum(feats["visit_days"], 1)).all()
    assert (feats["activities_window"] <= feats["activities"]).all()
