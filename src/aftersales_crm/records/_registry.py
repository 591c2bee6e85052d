"""The registry of fact kinds: the built-in kinds in dependency order, open to new ones.

The built-in kinds are declared beside their records (``_party.py``, ``_vehicle.py``,
``_repair.py``, ``_contact.py``, ``_club.py``, ``_points.py``, ``_survey.py``) and listed here once, in dependency order: a kind's
references point only into kinds listed before it (or into itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Final

from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records._base import Record
from aftersales_crm.records._club import (
    MEMBER_JOINS,
    MEMBER_LAPSES,
    MEMBER_REACTIVATIONS,
    MEMBER_TRANSFERS,
    MEMBERS,
)
from aftersales_crm.records._contact import (
    ACTIVITIES,
    COMPLAINT_UPDATES,
    COMPLAINTS,
    CONTACTS,
    REFERRALS,
)
from aftersales_crm.records._kinds import FactKind
from aftersales_crm.records._party import CHAPTERS, CONSENTS, CUSTOMERS, DEALERS
from aftersales_crm.records._points import (
    POINTS_ADJUSTED,
    POINTS_EARNED,
    POINTS_EXPIRED,
    POINTS_REDEEMED,
    POINTS_REVERSED,
)
from aftersales_crm.records._repair import REPAIR_ORDERS
from aftersales_crm.records._schema import ColumnKind, TableSchema
from aftersales_crm.records._survey import STAFF_SURVEYS, SURVEYS
from aftersales_crm.records._vehicle import OWNERSHIPS, VEHICLES

__all__ = [
    "BUILT_IN_KINDS",
    "fact_kind",
    "fact_kinds",
    "kind_of_table",
    "register",
    "registered",
    "table_schemas",
    "unregister",
]

BUILT_IN_KINDS: Final[tuple[FactKind, ...]] = (
    DEALERS,
    CHAPTERS,
    CUSTOMERS,
    CONSENTS,
    VEHICLES,
    OWNERSHIPS,
    REPAIR_ORDERS,
    CONTACTS,
    COMPLAINTS,
    COMPLAINT_UPDATES,
    REFERRALS,
    ACTIVITIES,
    # The owners' club's member facts.
    MEMBERS,
    MEMBER_JOINS,
    MEMBER_TRANSFERS,
    MEMBER_LAPSES,
    MEMBER_REACTIVATIONS,
    POINTS_EARNED,
    POINTS_REDEEMED,
    POINTS_EXPIRED,
    POINTS_REVERSED,
    POINTS_ADJUSTED,
    # Satisfaction surveys: customers' answers, and staff's beliefs of customers' expectations.
    SURVEYS,
    STAFF_SURVEYS,
)
"""The library's own fact kinds, in dependency order."""

#: Every registered kind by name, in registration order (the built-ins first).
_KINDS: dict[str, FactKind] = {}


def fact_kinds() -> tuple[FactKind, ...]:
    """Every registered fact kind, in dependency order (referenced kinds first).

    Returns:
        The declarations: the built-in kinds, then those registered since, in order.

    Examples:
        >>> [kind.name for kind in fact_kinds()][:4]
        ['dealers', 'chapters', 'customers', 'consents']
    """
    return tuple(_KINDS.values())


def fact_kind(which: str | type[Record]) -> FactKind:
    """The declaration of one registered fact kind.

    Args:
        which: the kind's name (``"repair_orders"``), the name of one of its tables
            (``"orders"``) or its record class.

    Returns:
        The declaration.

    Raises:
        InvalidValue: no registered kind goes by that name or record class; the message
            suggests close names.

    Examples:
        >>> from aftersales_crm.records import RepairOrder
        >>> fact_kind(RepairOrder) is fact_kind("repair_orders") is fact_kind("orders")
        True
        >>> fact_kind("customer")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: no fact kind 'customer'; did you mean 'customers'?
    """
    given: object = which  # callers may pass anything; the annotation is the contract
    if not isinstance(given, str | type):
        msg = f"which is {given!r:.80}, expected a kind's name or record class"
        raise InvalidType(msg)
    for kind in _KINDS.values():
        if given in (kind.name, kind.record) or (
            isinstance(given, str) and given in (t.name for t in kind.tables)
        ):
            return kind
    if isinstance(given, type):
        known = sorted(kind.record.__name__ for kind in _KINDS.values())
        msg = f"{given.__name__} is not the record of a registered fact kind; those are {known}"
        raise InvalidValue(msg, code="unknown_kind")
    names = [kind.name for kind in _KINDS.values()] + list(table_schemas())
    hint = "; " + (did_you_mean(given, names) or f"the kinds are {list(_KINDS)}")
    raise InvalidValue(f"no fact kind {given!r}{hint}", code="unknown_kind")


def kind_of_table(name: str) -> FactKind:
    """The registered kind one of whose tables is called ``name``.

    Examples:
        >>> kind_of_table("lines").name
        'repair_orders'
    """
    for kind in _KINDS.values():
        if any(t.name == name for t in kind.tables):
            return kind
    msg = f"no registered fact kind has a table {name!r}; the tables are {list(table_schemas())}"
    raise InvalidValue(msg, code="unknown_table")


def table_schemas() -> Mapping[str, TableSchema]:
    """Every registered table's schema by name, in building order (targets first).

    Examples:
        >>> list(table_schemas())[:4]
        ['dealers', 'chapters', 'customers', 'consents']
    """
    return {table.name: table for kind in _KINDS.values() for table in kind.tables}


def register(kind: FactKind) -> FactKind:
    """Add a fact kind to the registry, after every kind registered so far.

    From then on every new [`Book`][aftersales_crm.records.Book] holds records of the kind,
    every new [`Tables`][aftersales_crm.tables.Tables] has its tables, and
    [`aftersales_crm.testing.strategies.books`][aftersales_crm.testing.strategies.books] draws it. In tests, prefer
    [`registered`][aftersales_crm.records.registered], which takes the kind away again.

    Args:
        kind: the declaration.

    Returns:
        The declaration, registered.

    Raises:
        InvalidType: ``kind`` is not a [`FactKind`][aftersales_crm.records.FactKind].
        InvalidValue: the name, record class or a table name is taken, the name is an
            attribute of [`Book`][aftersales_crm.records.Book], a reference points into a
            table not registered yet, or a child's parent column does not point to the
            kind's table.

    Examples:
        >>> from aftersales_crm.records import fact_kind
        >>> register(fact_kind("dealers"))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: fact kind 'dealers' is registered already
    """
    given: object = kind  # callers may pass anything; the annotation is the contract
    if not isinstance(given, FactKind):
        msg = f"kind is a {type(given).__name__}, expected a FactKind"
        raise InvalidType(msg)
    from aftersales_crm.records._book import Book  # the Book is built on the registry

    return _admit(kind, reserved=frozenset(dir(Book)))


def _admit(kind: FactKind, *, reserved: frozenset[str]) -> FactKind:
    """Check a kind against those registered and add it (``reserved``: names it may not take)."""
    problems: list[str] = []
    if kind.name in _KINDS:
        problems.append(f"fact kind {kind.name!r} is registered already")
    elif kind.name in reserved:
        problems.append(f"fact kind {kind.name!r} would hide Book.{kind.name}")
    taken = {k.record: k.name for k in _KINDS.values()}
    if kind.record in taken and kind.name not in _KINDS:
        problems.append(
            f"fact kind {kind.name!r}: {kind.record.__name__} is the record of {taken[kind.record]!r}"
        )
    known = table_schemas()
    own = [t.name for t in kind.tables]
    problems += [
        f"fact kind {kind.name!r}: a table {name!r} exists already"
        for name in own
        if name in known and kind.name not in _KINDS
    ]
    for table in kind.tables:
        for column in table.columns:
            if column.kind is ColumnKind.REF and column.target not in (*known, *own):
                problems.append(
                    f"fact kind {kind.name!r}: {table.name}.{column.name} points into "
                    f"{column.target!r}, which is not registered before it"
                )
    for child in kind.children:
        parent = next((c for c in child.table.columns if c.name == child.parent), None)
        if parent is None or parent.kind is not ColumnKind.REF or parent.target != kind.table.name:
            problems.append(
                f"fact kind {kind.name!r}: {child.table.name}.{child.parent} must be a "
                f"reference to {kind.table.name}"
            )
    if problems:
        raise InvalidValue("; ".join(problems), code="kind_clash")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> FactKind:
    """Take a kind out of the registry (the built-in kinds stay).

    Args:
        name: the kind's name.

    Returns:
        The declaration taken out.

    Raises:
        InvalidValue: the kind is built in, unknown, or referenced by a kind registered
            after it.

    Examples:
        >>> unregister("customers")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: 'customers' is a built-in fact kind and stays
    """
    kind = fact_kind(name)
    if kind in BUILT_IN_KINDS:
        msg = f"{kind.name!r} is a built-in fact kind and stays"
        raise InvalidValue(msg, code="built_in_kind")
    own = {t.name for t in kind.tables}
    users = [
        other.name
        for other in _KINDS.values()
        if other is not kind
        and any(
            c.target in own for t in other.tables for c in t.columns if c.kind is ColumnKind.REF
        )
    ]
    if users:
        msg = f"{kind.name!r} is referenced by {users}; unregister those first"
        raise InvalidValue(msg, code="kind_in_use")
    return _KINDS.pop(kind.name)


@contextmanager
def registered(*kinds: FactKind) -> Iterator[tuple[FactKind, ...]]:
    """Register fact kinds for the length of a ``with`` block, then take them out again.

    The way to add a kind in a test: nothing leaks into the next test, even when the block
    raises.

    Args:
        *kinds: the declarations, in dependency order.

    Yields:
        The declarations.

    Examples:
        >>> from aftersales_crm.records import fact_kind
        >>> with registered():
        ...     len(fact_kinds())
        24
    """
    done: list[FactKind] = []
    try:
        for kind in kinds:
            done.append(register(kind))  # noqa: PERF401 - one by one: undo what got in
        yield kinds
    finally:
        for kind in reversed(done):
            _KINDS.pop(kind.name, None)


for _kind in BUILT_IN_KINDS:
    _admit(_kind, reserved=frozenset())
