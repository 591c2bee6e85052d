"""The Book keeps references whole, reports every problem at once, and never mutates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from aftersales_crm.errors import IntegrityError, InvalidType, InvalidValue
from aftersales_crm.records import (
    ActivityAttended,
    Book,
    Chapter,
    ComplaintFiled,
    ComplaintUpdated,
    ConsentChanged,
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


# ---------------------------------------------------------------- consent as facts


def consent(change_id: str, month: int, *, granted: bool, **overrides: Any) -> ConsentChanged:
    fields: dict[str, Any] = {
        "id": change_id,
        "customer_id": "C1",
        "purpose": "marketing",
        "channel": "sms",
        "granted": granted,
        "at": at(month),
    }
    return ConsentChanged(**(fields | overrides))


def test_consent_follows_the_latest_change_per_purpose_and_channel(base: Book) -> None:
    book = base.add(
        consent("G1", 1, granted=True),
        consent("G2", 2, granted=True, purpose="survey", channel="phone"),
        consent("G3", 10, granted=False),
    )
    assert book.consents_to("C1", "marketing", "sms", as_of=at(5))
    assert not book.consents_to("C1", "marketing", "sms", as_of=at(10))  # at the instant
    assert not book.consents_to("C1", "marketing", "phone", as_of=at(5))  # per channel only
    assert book.consents_to("C1", "survey", "phone", as_of=at(11))
    assert not book.consents_to("C1", "survey", "phone", as_of=at(1))  # not yet given
    assert not book.consents_to("C2", "marketing", "sms", as_of=at(5))  # never given


def test_a_withdrawal_arriving_later_is_an_ordinary_add(base: Book) -> None:
    granted = base.add(consent("G1", 1, granted=True))
    withdrawn = granted.add(consent("G2", 3, granted=False))
    assert granted.consents_to("C1", "marketing", "sms", as_of=at(4))  # the old Book is unchanged
    assert not withdrawn.consents_to("C1", "marketing", "sms", as_of=at(4))
    assert len(withdrawn.consents) == 2


def test_the_order_consent_changes_arrive_in_does_not_matter(base: Book) -> None:
    changes = [consent("G1", 1, granted=True), consent("G2", 3, granted=False)]
    forwards, backwards = base.add(*changes), base.add(*reversed(changes))
    for month in (2, 4):
        assert forwards.consents_to("C1", "marketing", "sms", as_of=at(month)) == (
            backwards.consents_to("C1", "marketing", "sms", as_of=at(month))
        )


def test_a_grant_and_a_withdrawal_at_the_same_instant_count_as_a_withdrawal(base: Book) -> None:
    book = base.add(consent("G1", 2, granted=False), consent("G2", 2, granted=True))
    assert not book.consents_to("C1", "marketing", "sms", as_of=at(3))


def test_a_consent_change_of_an_unknown_customer_is_an_integrity_problem(base: Book) -> None:
    with pytest.raises(IntegrityError, match="consent change 'G1': customer_id 'C9' is not"):
        base.add(consent("G1", 1, granted=True, customer_id="C9"))


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (
            {"as_of": date(2026, 5, 1)},
            "as_of is datetime.date(2026, 5, 1) (date), expected a timezone",
        ),
        ({"as_of": datetime(2026, 5, 1)}, "has no time zone"),  # noqa: DTZ001 - the naive case
        ({"as_of": "2026-05-01"}, "as_of is '2026-05-01'"),
        ({"purpose": "adverts"}, "purpose is 'adverts', expected one of service_reminder"),
        ({"channel": "pigeon"}, "channel is 'pigeon', expected one of"),
        ({"customer_id": "C9"}, "customer_id 'C9' is not in the book"),
    ],
)
def test_a_bad_consent_question_names_the_parameter(
    base: Book, arguments: dict[str, Any], fragment: str
) -> None:
    question: dict[str, Any] = {
        "customer_id": "C1",
        "purpose": "marketing",
        "channel": "sms",
        "as_of": at(5),
    } | arguments
    with pytest.raises(InvalidValue, match=re.escape(fragment)):
        base.consents_to(**question)


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("collection", [42, None, Customer(id="C1", name="王芳"), "C1"])
def test_from_records_names_a_collection_that_is_not_an_iterable_of_records(
    collection: Any,
) -> None:
    with pytest.raises(InvalidType, match=r"collections\[1\] is a \w+, expected an iterable"):
        Book.from_records([], collection)


def test_the_constructor_names_an_unknown_kind_with_a_suggestion() -> None:
    with pytest.raises(InvalidValue, match=r"'customer', .* did you mean 'customers'"):
        Book(customer={})


def test_the_constructor_names_records_of_the_wrong_kind_or_key() -> None:
    with pytest.raises(InvalidType, match="customers is a list"):
        Book(customers=[Customer(id="C1", name="王芳")])  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match=r"customers\['D1'\] is a Dealer, expected a Customer"):
        Book(customers={"D1": Dealer(id="D1", name="北京朝阳4S店")})
    with pytest.raises(InvalidValue, match=r"customers\['C2'\] holds the record of 'C1'"):
        Book(customers={"C2": Customer(id="C1", name="王芳")})


def test_a_book_is_immutable_and_names_a_mistyped_kind(base: Book) -> None:
    with pytest.raises(AttributeError):
        base.customers = {}
    with pytest.raises(AttributeError, match="did you mean 'customers'"):
        _ = base.customer


def test_facts_gives_a_kind_typed_by_its_record_class(base: Book) -> None:
    assert base.facts(Customer) is base.customers
    assert base.facts("repair_orders") is base.repair_orders
    assert base.facts(ConsentChanged) == {}
