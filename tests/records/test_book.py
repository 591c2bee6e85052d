"""The Book keeps references whole, reports every problem at once, and never mutates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from aftersales_crm.errors import IntegrityError
from aftersales_crm.records import (
    ActivityAttended,
    Book,
    Chapter,
    ComplaintFiled,
    ComplaintUpdated,
    ContactMade,
    Customer,
    Dealer,
    Ownership,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import Money

VIN_A = "LSVAU218XN2183294"
VIN_B = "1HGCM82633A004352"


def at(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def order(order_id: str, *, month: int, **overrides: Any) -> RepairOrder:
    fields: dict[str, Any] = {
        "id": order_id,
        "dealer_id": "D1",
        "vin": VIN_A,
        "customer_id": "C1",
        "opened_at": at(month),
        "mileage": 1000 * month,
        "lines": [
            RepairLine(
                kind="maintenance",
                pay="customer",
                labour=Money.parse("100", "CNY"),
                parts=Money.parse("200", "CNY"),
            )
        ],
    }
    return RepairOrder(**(fields | overrides))


@pytest.fixture
def base() -> Book:
    return Book.from_records(
        [Dealer(id="D1", name="朝阳店")],
        [Customer(id="C1", name="王芳"), Customer(id="C2", name="李强")],
        [
            Vehicle(vin=VIN_A, model="Lavida", first_visit_mileage=500),
            Vehicle(vin=VIN_B, model="Accord"),
        ],
        [
            Ownership(id="O1", customer_id="C1", vin=VIN_A, start="2022-01-01", end="2025-01-01"),
            Ownership(id="O2", customer_id="C2", vin=VIN_A, start="2025-01-01"),
            Ownership(id="O3", customer_id="C1", vin=VIN_B, start="2023-06-01"),
        ],
        [order("RO2", month=5), order("RO1", month=3), order("RO3", month=4, customer_id="C2")],
    )


def test_book_from_records_reports_every_dangling_reference_and_duplicate_at_once() -> None:
    with pytest.raises(IntegrityError) as exc:
        Book.from_records(
            [Customer(id="C1", name="王芳"), Customer(id="C1", name="王芳芳")],
            [Vehicle(vin=VIN_A, model="Lavida")],
            [order("RO1", month=3, dealer_id="D9", customer_id="C7")],
            [
                ContactMade(
                    id="K1",
                    customer_id="C8",
                    channel="sms",
                    purpose="care",
                    outcome="reached",
                    at=at(3),
                )
            ],
        )
    assert exc.value.problems == (
        "customer 'C1': two different records under one id",
        "repair order 'RO1': dealer_id 'D9' is not in the book",
        "repair order 'RO1': customer_id 'C7' is not in the book",
        "contact 'K1': customer_id 'C8' is not in the book",
    )


def test_identical_records_given_twice_are_kept_once() -> None:
    c = Customer(id="C1", name="王芳")
    book = Book.from_records([c, c], [c])
    assert list(book.customers) == ["C1"]


def test_adding_returns_a_new_book_and_leaves_the_old_one_unchanged(base: Book) -> None:
    bigger = base.add(Customer(id="C3", name="赵磊"))
    assert "C3" in bigger.customers
    assert "C3" not in base.customers
    assert len(bigger) == len(base) + 1


def test_adding_an_identical_fact_is_a_no_op(base: Book) -> None:
    assert base.add(base.customers["C1"]) is base


def test_adding_a_different_fact_under_an_existing_id_is_an_error(base: Book) -> None:
    with pytest.raises(IntegrityError, match="customer 'C1': two different records under one id"):
        base.add(Customer(id="C1", name="王芳芳"))


def test_records_of_unknown_kind_are_refused() -> None:
    with pytest.raises(TypeError, match="not str"):
        Book().add("C1")  # type: ignore[arg-type]


def test_book_is_rebuilt_equal_from_its_records(base: Book) -> None:
    assert Book.from_records(base.records()) == base
    assert base != Book()
    assert base.__eq__(object()) is NotImplemented


def test_book_mappings_cannot_be_mutated(base: Book) -> None:
    with pytest.raises(TypeError):
        base.customers["C9"] = Customer(id="C9", name="x")  # type: ignore[index]


def test_repr_counts_what_the_book_holds(base: Book) -> None:
    assert repr(base) == "Book(dealers=1, customers=2, vehicles=2, ownerships=3, repair_orders=3)"
    assert hash(base) == hash(Book.from_records(base.records()))


def test_vehicles_of_a_customer_follow_the_ownership_periods(base: Book) -> None:
    assert [v.vin for v in base.vehicles_of("C1", on=date(2024, 1, 1))] == [VIN_B, VIN_A]
    assert [v.vin for v in base.vehicles_of("C1", on=date(2025, 6, 1))] == [VIN_B]
    assert [v.vin for v in base.vehicles_of("C2", on=date(2025, 6, 1))] == [VIN_A]


def test_owner_of_a_vehicle_changes_with_the_day(base: Book) -> None:
    first = base.owner_of(VIN_A, on=date(2024, 12, 31))
    second = base.owner_of(VIN_A, on=date(2025, 1, 1))
    assert first is not None
    assert first.id == "C1"
    assert second is not None
    assert second.id == "C2"
    assert base.owner_of(VIN_A, on=date(2021, 1, 1)) is None


def test_orders_of_a_customer_come_in_time_order(base: Book) -> None:
    assert [o.id for o in base.orders_of("C1")] == ["RO1", "RO2"]
    assert [o.id for o in base.orders_of("C2")] == ["RO3"]
    assert base.orders_of("C9") == ()


def test_overlapping_ownerships_of_one_vehicle_are_rejected(base: Book) -> None:
    with pytest.raises(IntegrityError, match="still owned under 'O2' on 2026-01-01"):
        base.add(Ownership(id="O4", customer_id="C1", vin=VIN_A, start="2026-01-01"))


def test_order_mileage_below_the_first_visit_mileage_is_rejected(base: Book) -> None:
    with pytest.raises(
        IntegrityError, match="mileage 100 km is below the vehicle's first visit mileage 500 km"
    ):
        base.add(order("RO9", month=6, mileage=100))


def test_a_comeback_must_point_to_an_earlier_order(base: Book) -> None:
    with pytest.raises(IntegrityError, match="comeback_of 'RO2' was opened later"):
        base.add(order("RO9", month=4, comeback_of="RO2"))
    assert "RO9" in base.add(order("RO9", month=6, comeback_of="RO2")).repair_orders


def test_complaint_updates_follow_their_complaint(base: Book) -> None:
    filed = ComplaintFiled(
        id="Q1", customer_id="C1", at=at(5), category="price", severity="low", channel="phone"
    )
    early = ComplaintUpdated(id="U1", complaint_id="Q1", at=at(4), action="acknowledged")
    with pytest.raises(IntegrityError, match="before the complaint was filed"):
        base.add(filed, early)
    with pytest.raises(IntegrityError, match="complaint_id 'Q9' is not in the book"):
        base.add(ComplaintUpdated(id="U2", complaint_id="Q9", at=at(6), action="acknowledged"))


def test_every_kind_of_record_can_live_in_a_book(base: Book) -> None:
    book = base.add(
        Chapter(id="CH1", dealer_id="D1", name="朝阳车友会"),
        ComplaintFiled(
            id="Q1", customer_id="C1", at=at(5), category="price", severity="low", channel="phone"
        ),
        ComplaintUpdated(
            id="U1", complaint_id="Q1", at=at(6), action="closed", verdict="satisfied"
        ),
        ReferralMade(
            id="R1",
            referrer_id="C1",
            referred_name="赵磊",
            on="2026-02-01",
            referred_customer_id="C2",
        ),
        ActivityAttended(id="A1", activity_id="EV1", customer_id="C2", on="2026-05-18"),
        ContactMade(
            id="K1",
            customer_id="C1",
            vin=VIN_A,
            repair_order_id="RO1",
            channel="phone",
            purpose="follow_up_3d",
            outcome="reached",
            at=at(3, 4),
        ),
    )
    assert len(book) == len(base) + 6
    with pytest.raises(IntegrityError, match="chapter 'CH2': dealer_id 'D2' is not in the book"):
        book.add(Chapter(id="CH2", dealer_id="D2", name="x"))
