"""Properties over random records and Books: JSON round trips and integrity."""

from __future__ import annotations

import contextlib
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm.records import Book, Record
from aftersales_crm.testing import strategies as st_crm

ANY_RECORD = st.one_of(
    st_crm.dealers(),
    st_crm.customers(),
    st_crm.vehicles(),
    st_crm.ownerships(st_crm.ids("C"), st_crm.vins()),
    st_crm.repair_orders(),
    st_crm.contacts(),
    st_crm.complaints(),
    st_crm.complaints().flatmap(st_crm.complaint_updates),
    st_crm.referrals(),
    st_crm.activities(),
    st_crm.chapters(st_crm.ids("D")),
    st_crm.members(),
    st_crm.members().flatmap(st_crm.member_lives).filter(bool).map(lambda life: life[-1]),
    st_crm.points_earned(),
    st_crm.points_redeemed(),
    st_crm.points_adjusted(),
    st_crm.points_expired(),
    st_crm.points_reversed(),
)

#: A drawn Book holds every kind of fact, a few of each: fewer examples keep the suite
#: quick while each still draws a whole network.
BOOKS = settings(max_examples=50)


@given(ANY_RECORD)
def test_every_record_round_trips_through_json_exactly(record: Record) -> None:
    again = type(record).model_validate_json(record.model_dump_json())
    assert again == record
    assert again.model_dump_json() == record.model_dump_json()


@BOOKS
@given(st_crm.books())
def test_a_book_is_rebuilt_equal_from_its_records(book: Book) -> None:
    assert Book.from_records(book.records()) == book


@BOOKS
@given(st_crm.books(), st.randoms(use_true_random=False))
def test_the_order_facts_arrive_in_does_not_matter(book: Book, random: Random) -> None:
    records = list(book.records())
    random.shuffle(records)
    assert Book.from_records(records) == book


@BOOKS
@given(st_crm.books())
def test_every_reference_in_a_drawn_book_resolves(book: Book) -> None:
    for order in book.repair_orders.values():
        assert order.vin in book.vehicles
        assert order.customer_id in book.customers
        assert order.dealer_id in book.dealers
    for ownership in book.ownerships.values():
        assert ownership.customer_id in book.customers
        assert (
            book.owner_of(ownership.vin, on=ownership.start)
            == book.customers[ownership.customer_id]
        )
    for update in book.complaint_updates.values():
        assert book.complaints[update.complaint_id].at <= update.at


@BOOKS
@given(st_crm.books(), st_crm.customers())
def test_adding_never_changes_the_original_book(book: Book, customer: Record) -> None:
    before = list(book.records())
    with contextlib.suppress(ValueError):
        book.add(customer)
    assert list(book.records()) == before
