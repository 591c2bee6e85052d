"""How [`books`][aftersales_crm.testing.strategies.books] draws each built-in fact kind.

Each function is the ``strategy`` of one built-in [`FactKind`][aftersales_crm.records.FactKind]:
given the Book drawn so far (the kinds before it) and the Book's size, it returns a
strategy of records whose references resolve in that Book and whose ids are unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final

from hypothesis import strategies as st

from aftersales_crm.records import (
    Book,
    LapseReason,
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Ownership,
    Record,
    RepairOrder,
)
from aftersales_crm.testing import strategies as crm

__all__ = [
    "activity_part",
    "chapter_part",
    "complaint_part",
    "complaint_update_part",
    "consent_part",
    "contact_part",
    "customer_part",
    "dealer_part",
    "member_join_part",
    "member_lapse_part",
    "member_part",
    "member_reactivation_part",
    "member_transfer_part",
    "ownership_part",
    "points_adjusted_part",
    "points_earned_part",
    "points_expired_part",
    "points_redeemed_part",
    "points_reversed_part",
    "referral_part",
    "repair_order_part",
    "staff_survey_part",
    "survey_part",
    "vehicle_part",
]

Part = st.SearchStrategy[Sequence[Record]]


def _key(record: Record) -> str:
    return record.key


def _keys(records: Sequence[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(records))


def _some(book: Book, kind: str, make: st.SearchStrategy[Record], most: int) -> Part:
    """Up to ``most`` records with unique keys, none when the Book has no ``kind`` to refer to."""
    if not getattr(book, kind):
        return st.just(())
    return st.lists(make, max_size=most, unique_by=_key)


def dealer_part(book: Book, size: int) -> Part:
    """One to three dealers."""
    return st.lists(crm.dealers(), min_size=1, max_size=3, unique_by=_key)


def chapter_part(book: Book, size: int) -> Part:
    """Up to two chapters of the Book's dealers."""
    return _some(book, "dealers", crm.chapters(_keys(list(book.dealers))), 2)


def customer_part(book: Book, size: int) -> Part:
    """One to ``size`` customers."""
    return st.lists(crm.customers(), min_size=1, max_size=size, unique_by=_key)


def consent_part(book: Book, size: int) -> Part:
    """Up to ``size`` consent changes of the Book's customers."""
    return _some(book, "customers", crm.consents(_keys(list(book.customers))), size)


def vehicle_part(book: Book, size: int) -> Part:
    """One to ``size + 2`` vehicles."""
    return st.lists(crm.vehicles(), min_size=1, max_size=size + 2, unique_by=_key)


@st.composite
def _ownerships(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    # At most one open-ended ownership per vehicle keeps periods from overlapping.
    customers = _keys(list(book.customers))
    out: list[Record] = []
    for index, vehicle in enumerate(book.vehicles.values()):
        if draw(st.booleans()):
            start = draw(st.dates(date(2015, 1, 1), date(2026, 12, 31)))
            out.append(
                Ownership(id=f"O{index}", customer_id=draw(customers), vin=vehicle.vin, start=start)
            )
    return out


def ownership_part(book: Book, size: int) -> Part:
    """At most one open-ended ownership of each of the Book's vehicles."""
    return _ownerships(book) if book.customers else st.just(())


@st.composite
def _with_comebacks(draw: st.DrawFn, orders: list[RepairOrder]) -> Sequence[Record]:
    """``orders``, some marked as a comeback to an order of their vehicle opened before."""
    out: list[Record] = []
    for order in orders:
        earlier = sorted(
            o.id
            for o in orders
            if o.vin == order.vin and (o.opened_at, o.id) < (order.opened_at, order.id)
        )
        marked: bool = bool(earlier) and draw(st.booleans())
        if marked:
            back = draw(st.sampled_from(earlier))
            order = RepairOrder.model_validate({**dict(order), "comeback_of": back})
        out.append(order)
    return out


def repair_order_part(book: Book, size: int) -> Part:
    """Up to eight repair orders at the Book's dealers, of its vehicles and customers.

    Some are comebacks (``comeback_of``) to an earlier order of the same vehicle.
    """
    if not (book.dealers and book.vehicles and book.customers):
        return st.just(())
    orders = crm.repair_orders(
        dealer_id=_keys(list(book.dealers)),
        vin_strategy=_keys(list(book.vehicles)),
        customer_id=_keys(list(book.customers)),
    )
    return st.lists(orders, max_size=8, unique_by=_key).flatmap(_with_comebacks)


def contact_part(book: Book, size: int) -> Part:
    """Up to four contacts with the Book's customers."""
    return _some(book, "customers", crm.contacts(_keys(list(book.customers))), 4)


def complaint_part(book: Book, size: int) -> Part:
    """Up to three complaints of the Book's customers."""
    return _some(book, "customers", crm.complaints(_keys(list(book.customers))), 3)


@st.composite
def _updates(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    out: dict[str, Record] = {}
    for complaint in book.complaints.values():
        for update in draw(st.lists(crm.complaint_updates(complaint), max_size=2)):
            out.setdefault(update.key, update)
    return list(out.values())


def complaint_update_part(book: Book, size: int) -> Part:
    """Up to two updates of each of the Book's complaints, after it was filed."""
    return _updates(book)


def referral_part(book: Book, size: int) -> Part:
    """Up to two referrals by the Book's customers."""
    return _some(book, "customers", crm.referrals(_keys(list(book.customers))), 2)


def activity_part(book: Book, size: int) -> Part:
    """Up to three club activity attendances of the Book's customers."""
    return _some(book, "customers", crm.activities(_keys(list(book.customers))), 3)


@st.composite
def _members(draw: st.DrawFn, book: Book, size: int) -> Sequence[Record]:
    """Applications of the Book's customers to its chapters; some referred by an earlier one."""
    drawn = draw(
        st.lists(
            crm.members(_keys(list(book.customers)), _keys(list(book.chapters))),
            max_size=size,
            unique_by=_key,
        )
    )
    out: list[Record] = []
    for index, member in enumerate(drawn):
        if index and draw(st.booleans()):
            referrer = draw(st.sampled_from([m.id for m in drawn[:index]]))
            member = MemberApplied.model_validate({**dict(member), "referred_by": referrer})
        out.append(member)
    return out


def member_part(book: Book, size: int) -> Part:
    """Up to ``size`` club members of the Book's customers, applying to its chapters."""
    if not (book.customers and book.chapters):
        return st.just(())
    return _members(book, size)


#: The longest gap, in seconds, between two steps of a drawn member's life: about a year.
_STEP: Final = 366 * 86_400


def _after(earlier: datetime) -> st.SearchStrategy[datetime]:
    """An instant at or after ``earlier``, by up to about a year (ties included)."""
    return st.integers(0, _STEP).map(lambda s: earlier + timedelta(seconds=s))


def _last_at(book: Book, member_id: str, *kinds: str) -> datetime:
    """The latest instant of the member's facts of ``kinds`` (its application at least)."""
    at = book.members[member_id].at
    for kind in kinds:
        for fact in getattr(book, kind).values():
            if fact.member_id == member_id and fact.at > at:
                at = fact.at
    return at


def _joined(book: Book) -> dict[str, datetime]:
    return {join.member_id: join.at for join in book.member_joins.values()}


@st.composite
def _joins(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    return [
        MemberJoined(id=f"J{m.id}", member_id=m.id, at=draw(_after(m.at)))
        for m in book.members.values()
        if draw(st.booleans())
    ]


def member_join_part(book: Book, size: int) -> Part:
    """Some of the Book's members join, each once, after applying."""
    return _joins(book) if book.members else st.just(())


@st.composite
def _transfers(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    out: list[Record] = []
    for member_id, at in _joined(book).items():
        others = sorted(set(book.chapters) - {book.members[member_id].chapter_id})
        moves: bool = draw(st.booleans()) if others else False
        if moves:
            out.append(
                MemberTransferred(
                    id=f"T{member_id}",
                    member_id=member_id,
                    to_chapter_id=draw(st.sampled_from(others)),
                    at=draw(_after(at)),
                )
            )
    return out


def member_transfer_part(book: Book, size: int) -> Part:
    """Some joined members move once to another of the Book's chapters, after joining."""
    return _transfers(book) if book.member_joins else st.just(())


@st.composite
def _lapses(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    joined = _joined(book)
    out: list[Record] = []
    for member_id in book.members:
        if draw(st.booleans()):
            last = _last_at(book, member_id, "member_joins", "member_transfers")
            reason = (
                draw(st.sampled_from(LapseReason)) if member_id in joined else LapseReason.WITHDRAWN
            )
            out.append(
                MemberLapsed(
                    id=f"L{member_id}", member_id=member_id, at=draw(_after(last)), reason=reason
                )
            )
    return out


def member_lapse_part(book: Book, size: int) -> Part:
    """Some members lapse after their last step; an applicant who lapses withdrew."""
    return _lapses(book) if book.members else st.just(())


@st.composite
def _reactivations(draw: st.DrawFn, book: Book) -> Sequence[Record]:
    return [
        MemberReactivated(
            id=f"V{lapse.member_id}", member_id=lapse.member_id, at=draw(_after(lapse.at))
        )
        for lapse in book.member_lapses.values()
        if draw(st.booleans())
    ]


def member_reactivation_part(book: Book, size: int) -> Part:
    """Some lapsed members come back after lapsing."""
    return _reactivations(book) if book.member_lapses else st.just(())


def _member_ids(book: Book) -> st.SearchStrategy[str]:
    """The ids of the Book's club members."""
    return _keys(list(book.members))


def points_earned_part(book: Book, size: int) -> Part:
    """Up to three points awards to the Book's club members."""
    return _some(book, "members", crm.points_earned(_member_ids(book)), 3)


def points_redeemed_part(book: Book, size: int) -> Part:
    """Up to two redemptions by the Book's club members."""
    return _some(book, "members", crm.points_redeemed(_member_ids(book)), 2)


def points_expired_part(book: Book, size: int) -> Part:
    """Up to two expiry records of the Book's awards."""
    awards = _keys(list(book.points_earned))
    return _some(book, "points_earned", crm.points_expired(_member_ids(book), awards), 2)


def points_reversed_part(book: Book, size: int) -> Part:
    """Up to two reversals of the Book's awards."""
    awards = _keys(list(book.points_earned))
    return _some(book, "points_earned", crm.points_reversed(_member_ids(book), awards), 2)


def points_adjusted_part(book: Book, size: int) -> Part:
    """Up to two adjustments of the Book's club members."""
    return _some(book, "members", crm.points_adjusted(_member_ids(book)), 2)


def survey_part(book: Book, size: int) -> Part:
    """Up to four survey responses of the Book's customers at its dealers, some about its orders."""
    if not (book.dealers and book.customers):
        return st.just(())
    orders = sorted(book.repair_orders.values(), key=_key)
    about = st.none() | st.sampled_from(orders) if orders else st.none()
    responses = crm.surveys(
        customer_id=_keys(list(book.customers)),
        dealer_id=_keys(list(book.dealers)),
        order=about,
    )
    return st.lists(responses, max_size=4, unique_by=_key)


def staff_survey_part(book: Book, size: int) -> Part:
    """Up to three staff survey responses at the Book's dealers."""
    return _some(book, "dealers", crm.staff_surveys(_keys(list(book.dealers))), 3)
