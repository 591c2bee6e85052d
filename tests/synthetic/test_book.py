"""synthetic.book: the records of synthetic.tables, with consents, hobbies and the facts
only records carry (follow-up calls, complaints, referrals, activities, chapters).

The Book is checked against its tables (the same rows), against ``as_of`` and against the
model's rhythm: a first maintenance soon after purchase, odometers that only go up,
comebacks after the order they repeat, owners who drift away, calls on the days of the
care rule.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from aftersales_crm import synthetic
from aftersales_crm.records import Book, RepairOrder
from aftersales_crm.tables import SCHEMAS, Table, Tables
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactPurpose, ServiceKind, national_id

AS_OF = synthetic.DEFAULT_AS_OF


def orders_by_vin(book: Book) -> dict[str, list[RepairOrder]]:
    grouped: dict[str, list[RepairOrder]] = defaultdict(list)
    for order in book.repair_orders.values():
        assert order.vin is not None  # the synthetic base names a vehicle on every order
        grouped[order.vin].append(order)
    return {
        number: sorted(orders, key=lambda o: (o.opened_at, o.id))
        for number, orders in grouped.items()
    }


@pytest.fixture(scope="module")
def book() -> Book:
    return synthetic.book(n_customers=400, seed=0)


@pytest.fixture(scope="module")
def book_300() -> Book:
    return synthetic.book(n_customers=300, seed=0)


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_same_seed_gives_an_equal_book(seed: int) -> None:
    first, again = (synthetic.book(n_customers=40, seed=seed) for _ in range(2))
    assert first == again
    assert [r.key for r in first.records()] == [r.key for r in again.records()]


def test_no_contact_complaint_update_referral_or_activity_in_the_book_is_after_as_of(
    book: Book,
) -> None:
    instants = [
        *(c.at for c in book.contacts.values()),
        *(c.at for c in book.complaints.values()),
        *(u.at for u in book.complaint_updates.values()),
    ]
    days = [
        *(r.on for r in book.referrals.values()),
        *(r.delivered_on for r in book.referrals.values() if r.delivered_on is not None),
        *(a.on for a in book.activities.values()),
    ]
    assert instants
    assert days
    assert max(at.date() for at in instants) <= AS_OF
    assert max(days) <= AS_OF


def test_no_consent_change_in_the_book_is_after_as_of(book: Book) -> None:
    late = [change.id for change in book.consents.values() if change.at.date() > AS_OF]
    assert book.consents
    assert late == []


def test_each_vehicles_first_order_is_its_first_maintenance_7_to_180_days_after_purchase(
    book: Book,
) -> None:
    by_vin = orders_by_vin(book)
    assert by_vin
    for number, orders in by_vin.items():
        first = orders[0]
        purchase = book.vehicles[number].purchase_date
        assert purchase is not None
        assert first.comeback_of is None, first.id
        assert ServiceKind.FIRST_MAINTENANCE in first.kinds, first.id
        assert 7 <= (first.opened_at.date() - purchase).days <= 180, first.id
        later = [o.id for o in orders[1:] if ServiceKind.FIRST_MAINTENANCE in o.kinds]
        assert later == [], number


def test_the_vehicle_record_remembers_its_first_visit(book: Book) -> None:
    by_vin = orders_by_vin(book)
    for number, vehicle in book.vehicles.items():
        orders = by_vin.get(number)
        if orders is None:
            assert (vehicle.first_visit_date, vehicle.first_visit_mileage) == (None, None)
        else:
            assert vehicle.first_visit_date == orders[0].opened_at.date()
            assert vehicle.first_visit_mileage == orders[0].mileage


def test_the_odometer_never_goes_back_within_a_vehicle(book: Book) -> None:
    for number, orders in orders_by_vin(book).items():
        readings = [int(o.mileage) for o in orders if o.mileage is not None]
        assert len(readings) == len(orders)
        assert readings == sorted(readings), number


def test_a_comeback_repeats_an_earlier_order_of_the_same_vehicle(book: Book) -> None:
    comebacks = [o for o in book.repair_orders.values() if o.comeback_of is not None]
    assert comebacks
    for order in comebacks:
        assert order.comeback_of is not None
        earlier = book.repair_orders[order.comeback_of]
        assert earlier.vin == order.vin, order.id
        assert earlier.opened_at < order.opened_at, order.id
    # The model makes 4 % of repeat visits come back (COMEBACK_SHARE of the synthetic world).
    share = len(comebacks) / len(book.repair_orders)
    assert 0.005 <= share <= 0.10, share


def test_a_share_of_long_time_customers_drift_away(book: Book) -> None:
    """Customers who bought over 3 years ago and made no visit in the last 2 years.

    Owners drift after an exponential time with mean 4.5 years, which makes about half of
    them quiet by now; the range is wide on purpose.
    """
    bought_long_ago = AS_OF - timedelta(days=3 * 365)
    recent = AS_OF - timedelta(days=2 * 365)
    first_purchase: dict[str, date] = {}
    for ownership in book.ownerships.values():
        known = first_purchase.get(ownership.customer_id, ownership.start)
        first_purchase[ownership.customer_id] = min(known, ownership.start)
    long_time = [cid for cid, day in first_purchase.items() if day < bought_long_ago]
    drifted = [
        cid for cid in long_time if all(o.opened_at.date() < recent for o in book.orders_of(cid))
    ]
    assert len(long_time) >= 100
    share = len(drifted) / len(long_time)
    assert 0.05 <= share <= 0.60, share


def test_every_order_belongs_to_the_owner_of_the_vehicle_on_its_day(book_300: Book) -> None:
    handover: dict[str, date] = {}  # the day a resold vehicle changed hands
    for ownership in book_300.ownerships.values():
        if ownership.end is not None:
            handover[ownership.vin] = ownership.end
    after_handover = 0
    for order in book_300.repair_orders.values():
        day = order.opened_at.date()
        assert order.vin is not None
        owner = book_300.owner_of(order.vin, on=day)
        assert owner is not None, order.id
        assert owner.id == order.customer_id, order.id
        after_handover += order.vin in handover and day >= handover[order.vin]
    # Not vacuous: some resold vehicles came back under their new owner.
    assert after_handover > 0


def test_book_customers_have_consent_facts_and_fleets_have_no_national_id(
    book: Book,
) -> None:
    customers = list(book.customers.values())
    fleets = [c for c in customers if c.kind.value == "fleet"]
    individuals = [c for c in customers if c.kind.value == "individual"]
    assert len(fleets) > 0
    assert len(individuals) > len(fleets)
    consenting = {change.customer_id for change in book.consents.values()}
    assert consenting == set(book.customers)  # every customer stated their consent
    assert all(c.national_id is None and c.birthday is None for c in fleets)
    for customer in individuals:
        assert customer.national_id is not None, customer.id
        assert customer.birthday == national_id.birth_date(customer.national_id), customer.id


def test_a_different_seed_gives_a_different_book() -> None:
    assert synthetic.book(n_customers=40, seed=0) != synthetic.book(n_customers=40, seed=1)


def test_the_book_holds_the_rows_of_the_tables_with_the_same_arguments(book: Book) -> None:
    drawn = synthetic.tables(n_customers=400, seed=0)
    assert list(book.customers) == drawn.customers["id"].tolist()
    assert list(book.vehicles) == drawn.vehicles["vin"].tolist()
    assert list(book.ownerships) == drawn.ownerships["id"].tolist()
    assert list(book.repair_orders) == drawn.orders["id"].tolist()
    again = Tables.from_book(book)
    for name in ("dealers", "vehicles", "ownerships", "orders", "lines", "activities"):
        assert getattr(again, name) == getattr(drawn, name), name
    # The customers differ only by what the Book draws: consents and hobbies.
    assert len(again.consents) > len(again.customers)
    hobbies = again.customers["hobbies"]
    assert {len(h) for h in hobbies.tolist()} == {0, 1, 2}
    customers = {**drawn.customers.columns, "hobbies": hobbies}
    assert again.customers == Table(SCHEMAS["customers"], customers)


def test_a_book_of_no_customers_holds_only_dealers_and_their_chapters() -> None:
    book = synthetic.book(0)
    assert book.dealers
    assert (len(book.customers), len(book.vehicles), len(book.repair_orders)) == (0, 0, 0)
    full = [d.id for d in book.dealers.values() if d.full_after_sales]
    assert sorted(c.dealer_id for c in book.chapters.values()) == sorted(full)


def test_follow_up_calls_fall_on_the_days_of_the_care_rule_after_delivery(book: Book) -> None:
    calls = [c for c in book.contacts.values() if c.purpose in FOLLOW_UP_DAYS]
    assert {c.purpose for c in calls} == {ContactPurpose.FOLLOW_UP_3D, ContactPurpose.FOLLOW_UP_7D}
    for call in calls:
        assert call.repair_order_id is not None
        delivered = book.repair_orders[call.repair_order_id].closed_at
        assert delivered is not None, call.id
        assert call.at - delivered == timedelta(days=FOLLOW_UP_DAYS[call.purpose]), call.id
    # The 3-day call reaches more deliveries (85 %) than the 7-day call (50 %).
    threes = sum(c.purpose is ContactPurpose.FOLLOW_UP_3D for c in calls)
    assert threes > len(calls) - threes


def test_a_book_ending_on_another_day_has_nothing_after_it() -> None:
    as_of = date(2025, 1, 15)
    book = synthetic.book(n_customers=60, seed=3, as_of=as_of)
    days = [o.opened_at.date() for o in book.repair_orders.values()]
    days += [c.at.date() for c in book.contacts.values()]
    days += [a.on for a in book.activities.values()]
    assert days
    assert max(days) <= as_of
