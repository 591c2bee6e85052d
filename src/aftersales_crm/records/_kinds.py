"""The declaration of a fact kind: its record, table, references, noun and producers.

Each kind of fact is declared once, beside its record class, as a [`FactKind`][aftersales_crm.records.FactKind]; the
registry ([`fact_kinds`][aftersales_crm.records.fact_kinds]) lists the declarations in dependency
order, and the [`Book`][aftersales_crm.records.Book], the
[`Tables`][aftersales_crm.tables.Tables], ``RECORD_TYPES``, ``json_schema`` and the test
strategies are derived from it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records._base import Record
from aftersales_crm.records._schema import ColumnKind, TableSchema

__all__ = ["STRATEGIES", "SYNTHETIC", "Child", "FactKind", "IntegrityCheck", "load_producer"]

#: The modules holding the built-in kinds' producers: the test strategies' Book parts and
#: the synthetic generator.
STRATEGIES: Final = "aftersales_crm.testing._parts"
SYNTHETIC: Final = "aftersales_crm.synthetic"

IntegrityCheck = Callable[[Sequence[Any], Mapping[str, Mapping[str, Record]]], list[str]]
"""A cross-record rule of one kind: ``check(fresh, book) -> problems``.

``fresh`` holds the records of the kind being added; ``book`` maps each kind's name to its
records by key, the new ones included. It returns one message per problem.
"""

Producer = str | Callable[..., Any]
"""A producer declared lazily: a callable, or a ``"module:function"`` reference resolved by
the layer that uses it (as an entry point is), so that records need not import it."""


@attrs.frozen
class Child:
    """A table of records nested inside the fact kind's records (a repair order's lines).

    Attributes:
        field: the record field holding the tuple of children (``"lines"``).
        table: the children's table; one of its columns points to the parent's row.
        parent: the name of that column (``"order"``); it is not a field of the child record.
        required: whether every parent has at least one child.

    Examples:
        >>> from aftersales_crm.records import fact_kind
        >>> child = fact_kind("repair_orders").children[0]
        >>> child.field, child.table.name, child.parent, child.required
        ('lines', 'lines', 'order', True)
    """

    field: str
    table: TableSchema
    parent: str
    required: bool = False


@attrs.frozen
class FactKind:
    """One kind of fact: everything the library needs to hold, check and move it.

    Register a new kind with [`register`][aftersales_crm.records.register] (or, in tests, the
    [`registered`][aftersales_crm.records.registered] context manager); it then has a place in every
    [`Book`][aftersales_crm.records.Book], a table in every
    [`Tables`][aftersales_crm.tables.Tables], round trips through numpy, pandas and Arrow, and
    a part in [`aftersales_crm.testing.strategies.books`][aftersales_crm.testing.strategies.books].

    Attributes:
        name: the kind's name and the Book's attribute holding its records
            (``"repair_orders"``).
        record: the record class.
        noun: the noun used in messages (``"repair order"``).
        table: the kind's table, one row per record. Its reference columns are the kind's
            references; their targets are tables of kinds registered before it (or its own).
        children: tables of records nested in each record (a repair order's lines).
        checks: cross-record rules beyond references, run when records are added to a Book.
        strategy: how the test strategies draw records of the kind for a Book: a callable
            ``strategy(book) -> SearchStrategy[Sequence[Record]]`` drawing records whose
            references resolve in ``book`` (the Book drawn so far), or a
            ``"module:function"`` reference to one. ``None`` leaves the kind out of drawn
            Books.
        synthetic: the synthetic generator's producer of the kind (a callable or a
            ``"module:function"`` reference, resolved by [`aftersales_crm.synthetic`][aftersales_crm.synthetic]);
            ``None`` when the generator does not produce it.

    Examples:
        >>> from aftersales_crm.records import fact_kind
        >>> orders = fact_kind("repair_orders")
        >>> orders.noun, orders.table.name, orders.key
        ('repair order', 'orders', 'id')
        >>> orders.references
        {'dealer_id': 'dealers', 'vin': 'vehicles', 'customer_id': 'customers', 'comeback_of': 'orders'}
    """

    name: str
    record: type[Record]
    noun: str
    table: TableSchema
    children: tuple[Child, ...] = ()
    checks: tuple[IntegrityCheck, ...] = ()
    strategy: Producer | None = None
    synthetic: Producer | None = None

    def __attrs_post_init__(self) -> None:
        name: object = self.name
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            msg = f"a fact kind's name must be a public identifier, not {self.name!r}"
            raise InvalidValue(msg, code="kind_name")
        record: object = self.record
        if not (isinstance(record, type) and issubclass(record, Record)):
            msg = f"fact kind {name!r}: record is {record!r:.80}, expected a Record class"
            raise InvalidType(msg)
        table: object = self.table
        if not isinstance(table, TableSchema):
            msg = f"fact kind {name!r}: table is {table!r:.80}, expected a TableSchema"
            raise InvalidType(msg)
        for field, expected in (
            ("noun", str),
            ("children", tuple | list),
            ("checks", tuple | list),
        ):
            value: object = getattr(self, field)
            if not isinstance(value, expected):
                msg = f"fact kind {name!r}: {field} is {value!r:.80}, expected {expected}"
                raise InvalidType(msg)
        if self.table.record is not self.record:
            msg = (
                f"fact kind {self.name!r}: its table holds {self.table.record.__name__}, "
                f"not {self.record.__name__}"
            )
            raise InvalidValue(msg, code="kind_table")
        key = self.table.key
        if key is None or key.external != self.key:
            msg = (
                f"fact kind {self.name!r}: its table needs an id column holding "
                f"{self.record.__name__}.{self.key}"
            )
            raise InvalidValue(msg, code="kind_table")

    @property
    def key(self) -> str:
        """The record field that identifies a record of the kind (``"vin"`` for vehicles).

        Examples:
            >>> from aftersales_crm.records import fact_kind
            >>> fact_kind("vehicles").key
            'vin'
        """
        return self.record.key_field

    @property
    def tables(self) -> tuple[TableSchema, ...]:
        """The kind's table and its children's tables, in building order.

        Examples:
            >>> from aftersales_crm.records import fact_kind
            >>> [t.name for t in fact_kind("repair_orders").tables]
            ['orders', 'lines']
        """
        return (self.table, *(child.table for child in self.children))

    @property
    def references(self) -> dict[str, str]:
        """The kind's references: record field → the table it points into.

        Read from the reference columns of ``table``, so a reference is declared once.

        Examples:
            >>> from aftersales_crm.records import fact_kind
            >>> fact_kind("ownerships").references
            {'customer_id': 'customers', 'vin': 'vehicles'}
        """
        return {
            column.external: column.target
            for column in self.table.columns
            if column.kind is ColumnKind.REF and column.target is not None
        }

    @property
    def record_types(self) -> tuple[type[Record], ...]:
        """The record class and those of its nested children.

        Examples:
            >>> from aftersales_crm.records import fact_kind
            >>> [c.__name__ for c in fact_kind("repair_orders").record_types]
            ['RepairOrder', 'RepairLine']
        """
        return (self.record, *(child.table.record for child in self.children))


def load_producer(producer: Producer) -> Callable[..., Any]:
    """Resolve a producer: a callable as it is, a ``"module:function"`` reference imported.

    Args:
        producer: a callable or a ``"module:function"`` reference.

    Returns:
        The callable.

    Raises:
        InvalidValue: the reference is malformed or does not name a callable.

    Examples:
        >>> load_producer("aftersales_crm.records:fact_kinds")()[0].name
        'dealers'
        >>> load_producer("aftersales_crm.records:nothing_here")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: 'aftersales_crm.records:nothing_here' names nothing callable
    """
    if callable(producer):
        return producer
    given: object = producer
    if not isinstance(given, str):
        msg = f"a producer is a function or a 'module:function' text, got {given!r:.80}"
        raise InvalidType(msg)
    module, _, attribute = producer.partition(":")
    if not module or not attribute:
        msg = f"{producer!r} is not a 'module:function' reference"
        raise InvalidValue(msg, code="producer_reference")
    try:
        target: Any = importlib.import_module(module)
    except ImportError:
        msg = f"{producer!r} names the module {module!r}, which cannot be imported"
        raise InvalidValue(msg, code="producer_reference") from None
    for part in attribute.split("."):
        target = getattr(target, part, None)
    if not callable(target):
        msg = f"{producer!r} names nothing callable"
        raise InvalidValue(msg, code="producer_reference")
    return target  # type: ignore[no-any-return]
