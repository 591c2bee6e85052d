"""The Book: an immutable collection of records that keeps its references whole.

Its kinds of records come from the registry of fact kinds: one mapping of records by key
for each registered kind, reached as an attribute named after the kind.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final, TypeVar, overload

import attrs

from aftersales_crm._args import as_of_instant
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import IntegrityError, InvalidType, InvalidValue
from aftersales_crm.records._base import Record, refuse_redacted
from aftersales_crm.records._club import (
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
)
from aftersales_crm.records._contact import (
    ActivityAttended,
    ComplaintFiled,
    ComplaintUpdated,
    ContactMade,
    ReferralMade,
)
from aftersales_crm.records._enums import ConsentPurpose
from aftersales_crm.records._kinds import FactKind
from aftersales_crm.records._party import Chapter, ConsentChanged, Customer, Dealer
from aftersales_crm.records._points import (
    PointsAdjusted,
    PointsEarned,
    PointsExpired,
    PointsRedeemed,
    PointsReversed,
)
from aftersales_crm.records._registry import fact_kind, fact_kinds, kind_of_table
from aftersales_crm.records._repair import RepairOrder
from aftersales_crm.records._survey import StaffSurveyAnswered, SurveyAnswered
from aftersales_crm.records._vehicle import Ownership, Vehicle
from aftersales_crm.values import ContactChannel

__all__ = ["Book"]

R = TypeVar("R", bound=Record)

_EMPTY: Final[Mapping[str, Any]] = MappingProxyType({})


class Book:
    """An immutable in-memory collection of records with referential integrity.

    Build one with [`from_records`][aftersales_crm.records.Book.from_records]; every reference (a repair order's vehicle,
    customer and dealer, an ownership's customer and vehicle, …) must resolve inside the
    Book, and every id must be unique per kind of record. Problems are reported all at once
    in one [`IntegrityError`][aftersales_crm.errors.IntegrityError], never the first only. Adding
    facts returns a new Book; the old one is unchanged.

    The Book holds every registered fact kind ([`fact_kinds`][aftersales_crm.records.fact_kinds]):
    each is an attribute named after the kind that maps ids (VINs for vehicles) to records,
    in the order they were added; [`facts`][aftersales_crm.records.Book.facts] gives the same mapping typed by record
    class. A kind registered by you appears the same way.

    Attributes:
        dealers: dealers by id.
        chapters: owners'-club chapters by id.
        customers: customers by id.
        consents: consent changes by id.
        vehicles: vehicles by VIN.
        ownerships: ownerships by id.
        repair_orders: repair orders by id.
        contacts: contacts by id.
        complaints: complaints by id.
        complaint_updates: complaint updates by id.
        referrals: referrals by id.
        activities: activity attendances by id.
        members: club members as they applied, by member id.
        member_joins: members joining, by id.
        member_transfers: members moving between chapters, by id.
        member_lapses: members lapsing, by id.
        member_reactivations: lapsed members coming back, by id.
        surveys: survey responses by id.
        staff_surveys: staff survey responses (staff's beliefs of customers' expectations) by id.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(n_customers=20, seed=7)
        >>> len(book.customers)
        20
        >>> book == synthetic.book(n_customers=20, seed=7)
        True
    """

    # The built-in kinds, typed for type checkers; a test keeps them in step with the
    # registry. Every registered kind, these and yours, is served by __getattr__.
    dealers: Mapping[str, Dealer]
    chapters: Mapping[str, Chapter]
    customers: Mapping[str, Customer]
    consents: Mapping[str, ConsentChanged]
    vehicles: Mapping[str, Vehicle]
    ownerships: Mapping[str, Ownership]
    repair_orders: Mapping[str, RepairOrder]
    contacts: Mapping[str, ContactMade]
    complaints: Mapping[str, ComplaintFiled]
    complaint_updates: Mapping[str, ComplaintUpdated]
    referrals: Mapping[str, ReferralMade]
    activities: Mapping[str, ActivityAttended]
    members: Mapping[str, MemberApplied]
    member_joins: Mapping[str, MemberJoined]
    member_transfers: Mapping[str, MemberTransferred]
    member_lapses: Mapping[str, MemberLapsed]
    member_reactivations: Mapping[str, MemberReactivated]
    points_earned: Mapping[str, PointsEarned]
    points_redeemed: Mapping[str, PointsRedeemed]
    points_expired: Mapping[str, PointsExpired]
    points_reversed: Mapping[str, PointsReversed]
    points_adjusted: Mapping[str, PointsAdjusted]
    surveys: Mapping[str, SurveyAnswered]
    staff_surveys: Mapping[str, StaffSurveyAnswered]

    _facts: Mapping[str, Mapping[str, Record]]

    def __init__(self, **facts: Mapping[str, Record]) -> None:
        """Hold records as given, by kind name; use [`from_records`][aftersales_crm.records.Book.from_records] to have them checked.

        Args:
            **facts: for each kind, its records by key. Kinds left out are empty.

        Raises:
            InvalidValue: a keyword is not the name of a registered fact kind, a record
                is filed under a key that is not its own, or records are redacted copies
                ([`redacted`][aftersales_crm.records.redacted], code ``"redacted_record"``).
            InvalidType: a kind's records are not a mapping of records of the kind.
        """
        copies: dict[str, dict[str, Record]] = {}
        for name, given in facts.items():
            kind = _kind_named(name)
            records: object = given  # callers may pass anything; the annotation is the contract
            if not isinstance(records, Mapping):
                msg = f"{name} is a {type(records).__name__}, expected a mapping of records by key"
                raise InvalidType(msg)
            for key, record in records.items():
                if type(record) is not kind.record:
                    msg = f"{name}[{key!r}] is a {type(record).__name__}, expected a {kind.record.__name__}"
                    raise InvalidType(msg)
                if record.key != key:
                    msg = f"{name}[{key!r}] holds the record of {record.key!r}"
                    raise InvalidValue(msg, code="wrong_key")
            refuse_redacted(_shown(kind, records.values()), into="a Book")
            copies[name] = dict(records)
        _hold(self, copies)

    def __getattr__(self, name: str) -> Mapping[str, Any]:
        """The records of the registered kind ``name``, by key."""
        if name.startswith("_"):
            raise AttributeError(name)
        facts: Mapping[str, Mapping[str, Record]] = self.__dict__.get("_facts", _EMPTY)
        if name in facts:
            return facts[name]
        if any(kind.name == name for kind in fact_kinds()):
            return _EMPTY
        names = [kind.name for kind in fact_kinds()]
        close = did_you_mean(name, names)
        hint = f"; {close}" if close else ""
        msg = f"a Book has no kind of records {name!r}{hint}"
        raise AttributeError(msg)

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the records of each kind (a read-only mapping itself cannot be pickled)."""
        return _rebuild, ({name: dict(records) for name, records in self._facts.items()},)

    @overload
    def facts(self, kind: type[R]) -> Mapping[str, R]: ...
    @overload
    def facts(self, kind: str) -> Mapping[str, Record]: ...
    def facts(self, kind: type[Record] | str) -> Mapping[str, Record]:
        """The records of one kind by key, typed by its record class.

        Args:
            kind: the record class (``RepairOrder``) or the kind's name (``"repair_orders"``).

        Returns:
            The read-only mapping of the kind's records by key.

        Raises:
            InvalidValue: no registered kind goes by ``kind``.

        Examples:
            >>> from aftersales_crm.records import Customer
            >>> Book.from_records([Customer(id="C1", name="王芳")]).facts(Customer)["C1"].name
            '王芳'
        """
        name = fact_kind(kind).name
        return self._facts.get(name, _EMPTY)

    def _kind_names(self) -> list[str]:
        """The registered kinds' names, then any kind this Book holds that is no longer registered."""
        names = [kind.name for kind in fact_kinds()]
        return names + [name for name in self._facts if name not in names]

    # ------------------------------------------------------------------ building

    @classmethod
    def from_records(cls, *collections: Iterable[Record]) -> Book:
        """Build a Book from any mix of records, checking every reference and id.

        Args:
            *collections: iterables of records of any kind, in any order. An identical
                record given twice is kept once.

        Returns:
            The Book.

        Raises:
            IntegrityError: listing every dangling reference, every id used by two
                different records, and every other cross-record rule that fails.
            InvalidValue: records are redacted copies (code ``"redacted_record"``).
            InvalidType: a collection is not an iterable of records, or an item is not a
                record of a registered kind (a ``TypeError``).

        Examples:
            >>> from aftersales_crm.records import Customer, Ownership
            >>> Book.from_records([Customer(id="C1", name="王芳")],
            ...                   [Ownership(id="O1", customer_id="C2", vin="LSVAU218XN2183294",
            ...                              start="2022-01-01")])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.IntegrityError: 2 integrity problems:
              ownership 'O1': customer_id 'C2' is not in the book
              ownership 'O1': vin 'LSVAU218XN2183294' is not in the book
            >>> Book.from_records(42)
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidType: collections[0] is a int, expected an iterable of records
        """
        for position, given in enumerate(collections):
            collection: object = given  # callers may pass anything; the annotation is the contract
            if isinstance(collection, Record | str | bytes) or not isinstance(collection, Iterable):
                msg = (
                    f"collections[{position}] is a {type(collection).__name__}, "
                    "expected an iterable of records"
                )
                raise InvalidType(msg)
        return cls().add(*itertools.chain.from_iterable(collections))

    def add(self, *records: Record) -> Book:
        """Return a new Book with more facts; this Book is unchanged.

        Adding a record identical to one already present is a no-op; a different record
        under an existing id is an error. A later fact of an appendable kind, such as a
        consent withdrawn, is simply added.

        Args:
            *records: records of any registered kind.

        Returns:
            The new Book.

        Raises:
            IntegrityError: every problem the new records bring, listed together.
            InvalidValue: records are redacted copies (code ``"redacted_record"``): their
                personal fields are masked for display, they are not facts.
            InvalidType: an item is not a record of a registered kind (a
                ``TypeError``).

        Examples:
            >>> from aftersales_crm.records import Customer
            >>> one = Book().add(Customer(id="C1", name="王芳"))
            >>> one.add(Customer(id="C1", name="王芳")) == one
            True
            >>> one.add(Customer(id="C1", name="王芳芳"))
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.IntegrityError: 1 integrity problem:
              customer 'C1': two different records under one id
        """
        refuse_redacted(records, into="a Book")
        kinds = {kind.record: kind for kind in fact_kinds()}
        maps: dict[str, dict[str, Record]] = {
            name: dict(getattr(self, name)) for name in self._kind_names()
        }
        problems: list[str] = []
        fresh: list[tuple[FactKind, Record]] = []
        for record in records:
            kind = kinds.get(type(record))
            if kind is None:
                names = sorted(c.__name__ for c in kinds)
                msg = f"a Book holds records of {names}, not {type(record).__name__}"
                raise InvalidType(msg)
            existing = maps[kind.name].get(record.key)
            if existing is None:
                maps[kind.name][record.key] = record
                fresh.append((kind, record))
            elif existing != record:
                problems.append(f"{kind.noun} {record.key!r}: two different records under one id")
        if not fresh and not problems:
            return self
        problems += _check(fresh, maps)
        if problems:
            raise IntegrityError(problems)
        return Book._of_checked(maps)

    @classmethod
    def _of_checked(cls, facts: dict[str, dict[str, Record]]) -> Book:
        """A Book holding ``facts``, whose records are checked already (by ``add``).

        Each kind's name is checked, as ``__init__`` checks it; the records are not
        checked again: the old ones were when their Book was made, and ``add`` checked
        the new ones (their class, their key, that none is redacted). ``facts`` is kept,
        not copied.
        """
        for name in facts:
            _kind_named(name)
        book = object.__new__(cls)
        _hold(book, facts)
        return book

    def records(self) -> Iterator[Record]:
        """Iterate over every record, kind by kind, referenced kinds first.

        ``Book.from_records(book.records())`` rebuilds an equal Book.

        Returns:
            An iterator over all records.

        Examples:
            >>> from aftersales_crm.records import Customer
            >>> [r.key for r in Book().add(Customer(id="C1", name="王芳")).records()]
            ['C1']
        """
        for name in self._kind_names():
            yield from getattr(self, name).values()

    def __len__(self) -> int:
        return sum(len(records) for records in self._facts.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Book):
            return NotImplemented
        names = set(self._facts) | set(other._facts)
        return all(dict(getattr(self, n)) == dict(getattr(other, n)) for n in names)

    def __hash__(self) -> int:
        return hash(tuple(sorted((n, len(r)) for n, r in self._facts.items())))

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{name}={len(self._facts[name])}" for name in self._kind_names() if name in self._facts
        )
        return f"Book({counts})"

    # ------------------------------------------------------------------ indexes

    @functools.cached_property
    def _orders_by_customer(self) -> Mapping[str, tuple[RepairOrder, ...]]:
        in_time_order = sorted(self.repair_orders.values(), key=lambda o: (o.opened_at, o.id))
        return _grouped(in_time_order, lambda o: o.customer_id)

    @functools.cached_property
    def _ownerships_by_vin(self) -> Mapping[str, tuple[Ownership, ...]]:
        return _grouped(self.ownerships.values(), lambda o: o.vin)

    @functools.cached_property
    def _ownerships_by_customer(self) -> Mapping[str, tuple[Ownership, ...]]:
        return _grouped(self.ownerships.values(), lambda o: o.customer_id)

    @functools.cached_property
    def _consents_by_customer(self) -> Mapping[str, tuple[ConsentChanged, ...]]:
        # In time order; at one instant a withdrawal comes last, so it decides.
        in_time_order = sorted(self.consents.values(), key=lambda c: (c.at, c.granted is False))
        return _grouped(in_time_order, lambda c: c.customer_id)

    # ------------------------------------------------------------------ queries

    def vehicles_of(self, customer_id: str, *, on: date) -> tuple[Vehicle, ...]:
        """The vehicles a customer owned on a day, by VIN.

        Args:
            customer_id: the customer.
            on: the day.

        Returns:
            The vehicles, sorted by VIN.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> book = synthetic.book(n_customers=5, seed=1)
            >>> owner = next(iter(book.ownerships.values()))
            >>> owner.vin in [v.vin for v in book.vehicles_of(owner.customer_id, on=owner.start)]
            True
        """
        _day(on)
        owned = self._ownerships_by_customer.get(_text(customer_id, "customer_id"), ())
        vins = sorted(o.vin for o in owned if o.covers(on))
        return tuple(self.vehicles[vin] for vin in vins)

    def owner_of(self, vin: str, *, on: date) -> Customer | None:
        """The customer who owned a vehicle on a day, or None.

        Args:
            vin: the vehicle.
            on: the day.

        Returns:
            The owner, or None when no ownership covers the day.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> book = synthetic.book(n_customers=5, seed=1)
            >>> o = next(iter(book.ownerships.values()))
            >>> book.owner_of(o.vin, on=o.start).id == o.customer_id
            True
        """
        _day(on)
        for ownership in self._ownerships_by_vin.get(_text(vin, "vin"), ()):
            if ownership.covers(on):
                return self.customers[ownership.customer_id]
        return None

    def orders_of(self, customer_id: str) -> tuple[RepairOrder, ...]:
        """A customer's repair orders in time order (opened, then id).

        Args:
            customer_id: the customer.

        Returns:
            The orders, oldest first.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> book = synthetic.book(n_customers=5, seed=1)
            >>> orders = book.orders_of(next(iter(book.customers)))
            >>> [o.opened_at for o in orders] == sorted(o.opened_at for o in orders)
            True
        """
        return self._orders_by_customer.get(_text(customer_id, "customer_id"), ())

    def consents_to(
        self,
        customer_id: str,
        purpose: ConsentPurpose | str,
        channel: ContactChannel | str,
        *,
        as_of: dt.datetime,
    ) -> bool:
        """Tell whether a customer consented to this purpose over this channel at an instant.

        The latest consent change for the purpose and channel at or before ``as_of``
        decides; with none, there is no consent. Two changes at the same instant that
        disagree count as a withdrawal. The order in which the changes were added does not
        matter.

        Args:
            customer_id: the customer, who must be in the Book.
            purpose: what the contact is for.
            channel: how the contact would be made.
            as_of: the instant of the contact: a timezone-aware ``datetime`` (consent is
                given and withdrawn at instants, and a bare date would leave the time of
                day and the zone open).

        Returns:
            True when the deciding change granted consent.

        Raises:
            InvalidValue: ``as_of`` is not an aware datetime, ``purpose`` or ``channel`` is
                not one of its enum's values, or the customer is not in the Book.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ConsentChanged, Customer
            >>> t = lambda m: datetime(2025, m, 1, tzinfo=timezone.utc)
            >>> book = Book.from_records([
            ...     Customer(id="C1", name="李娜"),
            ...     ConsentChanged(id="K1", customer_id="C1", purpose="marketing", channel="sms",
            ...                    granted=True, at=t(1)),
            ... ])
            >>> later = book.add(ConsentChanged(id="K2", customer_id="C1", purpose="marketing",
            ...                                 channel="sms", granted=False, at=t(6)))
            >>> later.consents_to("C1", "marketing", "sms", as_of=t(3))
            True
            >>> later.consents_to("C1", "marketing", "sms", as_of=t(7))
            False
            >>> later.consents_to("C1", "marketing", "sms", as_of=datetime(2025, 7, 1))
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: as_of is datetime.datetime(2025, 7, 1, 0, 0), which has no time zone; give a timezone-aware datetime
        """
        moment = as_of_instant(as_of)
        wanted = (
            _member(ConsentPurpose, purpose, "purpose"),
            _member(ContactChannel, channel, "channel"),
        )
        if _text(customer_id, "customer_id") not in self.customers:
            msg = f"customer_id {customer_id!r} is not in the book"
            raise InvalidValue(msg, code="unknown_customer")
        decision = False
        for change in self._consents_by_customer.get(customer_id, ()):
            if change.at > moment:
                break
            if (change.purpose, change.channel) == wanted:
                decision = change.granted
        return decision


def _text(value: object, parameter: str) -> str:
    """An id asked about, checked to be text (a list is no id)."""
    if not isinstance(value, str):
        msg = f"{parameter} is {type(value).__name__} {value!r:.80}, expected a str"
        raise InvalidType(msg)
    return value


def _day(value: object) -> None:
    """A day asked about, checked to be a date (not a datetime: its date depends on a zone)."""
    if not isinstance(value, date) or isinstance(value, dt.datetime):
        msg = f"on is {type(value).__name__} {value!r:.80}, expected a datetime.date"
        raise InvalidType(msg)


E = TypeVar("E", ConsentPurpose, ContactChannel)


def _member(enum: type[E], value: str, name: str) -> E:
    """``value`` as a member of ``enum``, or the library's error naming the parameter."""
    try:
        return enum(value)
    except (ValueError, TypeError):
        allowed = ", ".join(m.value for m in enum)
        msg = f"{name} is {value!r}, expected one of {allowed}"
        raise InvalidValue(msg, code=name) from None


def _grouped(records: Iterable[R], key: Callable[[R], str]) -> dict[str, tuple[R, ...]]:
    """Group records by a key, keeping their order within each group."""
    groups: dict[str, list[R]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {name: tuple(members) for name, members in groups.items()}


def _kind_named(name: str) -> FactKind:
    """The registered kind ``name``, as a keyword of the Book's constructor names it."""
    for kind in fact_kinds():
        if kind.name == name:
            return kind
    names = [kind.name for kind in fact_kinds()]
    hint = did_you_mean(name, names) or f"the kinds are {names}"
    msg = f"Book() got {name!r}, which is no registered fact kind; {hint}"
    raise InvalidValue(msg, code="unknown_kind")


def _shown(kind: FactKind, records: Iterable[Record]) -> Iterator[Record]:
    """The records that are redacted copies or hold one among their children."""
    for record in records:
        if record._redacted or any(
            child._redacted for nested in kind.children for child in getattr(record, nested.field)
        ):
            yield record


def _hold(book: Book, facts: Mapping[str, dict[str, Record]]) -> None:
    """Give ``book`` its facts: each kind holding records, behind a read-only view of ``facts``' own dict."""
    held = {name: MappingProxyType(records) for name, records in facts.items() if records}
    object.__setattr__(book, "_facts", MappingProxyType(held))


def _rebuild(facts: dict[str, dict[str, Record]]) -> Book:
    return Book(**facts)


def _check(
    fresh: list[tuple[FactKind, Record]], maps: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    """Check the cross-record rules of the new records against the whole (merged) book."""
    problems: list[str] = []
    targets: dict[str, list[tuple[str, str]]] = {}
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for kind, record in fresh:
        if kind.name not in targets:
            targets[kind.name] = [
                (field, kind_of_table(table).name) for field, table in kind.references.items()
            ]
        for field, target in targets[kind.name]:
            value = getattr(record, field)
            if value is not None and value not in maps[target]:
                problems.append(f"{kind.noun} {record.key!r}: {field} {value!r} is not in the book")
        by_kind[kind.name].append(record)
    for kind in fact_kinds():
        if by_kind.get(kind.name):
            for check in kind.checks:
                problems += check(by_kind[kind.name], maps)
    return problems
