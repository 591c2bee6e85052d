"""The Book: an immutable collection of records that keeps its references whole."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from aftersales_crm._frozen import frozen_reduce
from aftersales_crm.errors import IntegrityError, InvalidType
from aftersales_crm.records._base import Record
from aftersales_crm.records._contact import (
    ActivityAttended,
    ComplaintFiled,
    ComplaintUpdated,
    ContactMade,
    ReferralMade,
)
from aftersales_crm.records._party import Chapter, Customer, Dealer
from aftersales_crm.records._repair import RepairOrder
from aftersales_crm.records._vehicle import Ownership, Vehicle

__all__ = ["Book"]

R = TypeVar("R", bound=Record)

#: Each kind of record the Book holds: class → (attribute, noun used in messages).
_KINDS: dict[type[Record], tuple[str, str]] = {
    Dealer: ("dealers", "dealer"),
    Chapter: ("chapters", "chapter"),
    Customer: ("customers", "customer"),
    Vehicle: ("vehicles", "vehicle"),
    Ownership: ("ownerships", "ownership"),
    RepairOrder: ("repair_orders", "repair order"),
    ContactMade: ("contacts", "contact"),
    ComplaintFiled: ("complaints", "complaint"),
    ComplaintUpdated: ("complaint_updates", "complaint update"),
    ReferralMade: ("referrals", "referral"),
    ActivityAttended: ("activities", "activity attendance"),
}

#: The references each kind makes: (field, attribute of the Book it points into).
_REFERENCES: dict[type[Record], tuple[tuple[str, str], ...]] = {
    Chapter: (("dealer_id", "dealers"),),
    Vehicle: (("selling_dealer_id", "dealers"),),
    Ownership: (("customer_id", "customers"), ("vin", "vehicles")),
    RepairOrder: (
        ("dealer_id", "dealers"),
        ("vin", "vehicles"),
        ("customer_id", "customers"),
        ("comeback_of", "repair_orders"),
    ),
    ContactMade: (
        ("customer_id", "customers"),
        ("vin", "vehicles"),
        ("repair_order_id", "repair_orders"),
    ),
    ComplaintFiled: (("customer_id", "customers"), ("repair_order_id", "repair_orders")),
    ComplaintUpdated: (("complaint_id", "complaints"),),
    ReferralMade: (("referrer_id", "customers"), ("referred_customer_id", "customers")),
    ActivityAttended: (("customer_id", "customers"),),
}


def _frozen_map(records: Mapping[str, R]) -> Mapping[str, R]:
    return MappingProxyType(dict(records))


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@attrs.frozen(eq=False)
class Book:
    """An immutable in-memory collection of records with referential integrity.

    Build one with :meth:`from_records`; every reference (a repair order's vehicle,
    customer and dealer, an ownership's customer and vehicle, …) must resolve inside the
    Book, and every id must be unique per kind of record. Problems are reported all at once
    in one :class:`~aftersales_crm.errors.IntegrityError`, never the first only. Adding
    facts returns a new Book; the old one is unchanged.

    Each attribute maps ids (VINs for vehicles) to records, in the order they were added.

    Attributes:
        dealers: dealers by id.
        chapters: owners'-club chapters by id.
        customers: customers by id.
        vehicles: vehicles by VIN.
        ownerships: ownerships by id.
        repair_orders: repair orders by id.
        contacts: contacts by id.
        complaints: complaints by id.
        complaint_updates: complaint updates by id.
        referrals: referrals by id.
        activities: activity attendances by id.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(n_customers=20, seed=7)
        >>> len(book.customers)
        20
        >>> book == synthetic.book(n_customers=20, seed=7)
        True
    """

    dealers: Mapping[str, Dealer] = attrs.field(factory=_empty, converter=_frozen_map)
    chapters: Mapping[str, Chapter] = attrs.field(factory=_empty, converter=_frozen_map)
    customers: Mapping[str, Customer] = attrs.field(factory=_empty, converter=_frozen_map)
    vehicles: Mapping[str, Vehicle] = attrs.field(factory=_empty, converter=_frozen_map)
    ownerships: Mapping[str, Ownership] = attrs.field(factory=_empty, converter=_frozen_map)
    repair_orders: Mapping[str, RepairOrder] = attrs.field(factory=_empty, converter=_frozen_map)
    contacts: Mapping[str, ContactMade] = attrs.field(factory=_empty, converter=_frozen_map)
    complaints: Mapping[str, ComplaintFiled] = attrs.field(factory=_empty, converter=_frozen_map)
    complaint_updates: Mapping[str, ComplaintUpdated] = attrs.field(
        factory=_empty, converter=_frozen_map
    )
    referrals: Mapping[str, ReferralMade] = attrs.field(factory=_empty, converter=_frozen_map)
    activities: Mapping[str, ActivityAttended] = attrs.field(factory=_empty, converter=_frozen_map)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

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
            TypeError: an item is not a record kind the Book holds.

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
        """
        return cls().add(*itertools.chain.from_iterable(collections))

    def add(self, *records: Record) -> Book:
        """Return a new Book with more facts; this Book is unchanged.

        Adding a record identical to one already present is a no-op; a different record
        under an existing id is an error.

        Args:
            *records: records of any kind the Book holds.

        Returns:
            The new Book.

        Raises:
            IntegrityError: every problem the new records bring, listed together.
            TypeError: an item is not a record kind the Book holds.

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
        maps: dict[str, dict[str, Record]] = {
            attribute: dict(getattr(self, attribute)) for attribute, _ in _KINDS.values()
        }
        problems: list[str] = []
        fresh: list[Record] = []
        for record in records:
            try:
                attribute, noun = _KINDS[type(record)]
            except KeyError:
                msg = f"a Book holds records of {sorted(c.__name__ for c in _KINDS)}, not {type(record).__name__}"
                raise InvalidType(msg) from None
            existing = maps[attribute].get(record.key)
            if existing is None:
                maps[attribute][record.key] = record
                fresh.append(record)
            elif existing != record:
                problems.append(f"{noun} {record.key!r}: two different records under one id")
        if not fresh and not problems:
            return self
        problems += _check(fresh, maps)
        if problems:
            raise IntegrityError(problems)
        return Book(**maps)  # type: ignore[arg-type]

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
        for attribute, _ in _KINDS.values():
            yield from getattr(self, attribute).values()

    def __len__(self) -> int:
        return sum(len(getattr(self, attribute)) for attribute, _ in _KINDS.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Book):
            return NotImplemented
        return all(
            dict(getattr(self, attribute)) == dict(getattr(other, attribute))
            for attribute, _ in _KINDS.values()
        )

    def __hash__(self) -> int:
        return hash(tuple(len(getattr(self, attribute)) for attribute, _ in _KINDS.values()))

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{attribute}={len(getattr(self, attribute))}"
            for attribute, _ in _KINDS.values()
            if getattr(self, attribute)
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
        owned = self._ownerships_by_customer.get(customer_id, ())
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
        for ownership in self._ownerships_by_vin.get(vin, ()):
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
        return self._orders_by_customer.get(customer_id, ())


def _grouped(records: Iterable[R], key: Callable[[R], str]) -> dict[str, tuple[R, ...]]:
    """Group records by a key, keeping their order within each group."""
    groups: dict[str, list[R]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {name: tuple(members) for name, members in groups.items()}


def _check(fresh: list[Record], maps: Mapping[str, Mapping[str, Record]]) -> list[str]:
    """Check the cross-record rules of the new records against the whole (merged) book."""
    problems: list[str] = []
    for record in fresh:
        noun = _KINDS[type(record)][1]
        for field, target in _REFERENCES.get(type(record), ()):
            value = getattr(record, field)
            if value is not None and value not in maps[target]:
                problems.append(f"{noun} {record.key!r}: {field} {value!r} is not in the book")
        if isinstance(record, RepairOrder):
            problems += _check_repair_order(record, maps)
        elif isinstance(record, ComplaintUpdated):
            complaint = maps["complaints"].get(record.complaint_id)
            if isinstance(complaint, ComplaintFiled) and record.at < complaint.at:
                problems.append(
                    f"complaint update {record.key!r}: at {record.at.isoformat()} is before the "
                    f"complaint was filed at {complaint.at.isoformat()}"
                )
    problems += _check_ownership_overlaps(fresh, maps)
    return problems


def _check_repair_order(order: RepairOrder, maps: Mapping[str, Mapping[str, Record]]) -> list[str]:
    problems: list[str] = []
    vehicle = maps["vehicles"].get(order.vin)
    if (
        isinstance(vehicle, Vehicle)
        and vehicle.first_visit_mileage is not None
        and order.mileage < vehicle.first_visit_mileage
    ):
        problems.append(
            f"repair order {order.key!r}: mileage {int(order.mileage)} km is below the "
            f"vehicle's first visit mileage {int(vehicle.first_visit_mileage)} km"
        )
    earlier = maps["repair_orders"].get(order.comeback_of or "")
    if isinstance(earlier, RepairOrder) and earlier.opened_at > order.opened_at:
        problems.append(
            f"repair order {order.key!r}: comeback_of {earlier.id!r} was opened later, "
            f"at {earlier.opened_at.isoformat()}"
        )
    return problems


def _check_ownership_overlaps(
    fresh: list[Record], maps: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    touched = {r.vin for r in fresh if isinstance(r, Ownership)}
    if not touched:
        return []
    by_vin: dict[str, list[Ownership]] = defaultdict(list)
    for ownership in maps["ownerships"].values():
        if isinstance(ownership, Ownership) and ownership.vin in touched:
            by_vin[ownership.vin].append(ownership)
    problems: list[str] = []
    for vin in sorted(by_vin):
        periods = sorted(by_vin[vin], key=lambda o: (o.start, o.id))
        for before, after in itertools.pairwise(periods):
            if before.end is None or before.end > after.start:
                problems.append(
                    f"ownership {after.key!r}: vehicle {vin!r} is still owned under "
                    f"{before.key!r} on {after.start.isoformat()}"
                )
    return problems
