"""Tables: the customer base as columns, built from a Book, arrays, pandas or Arrow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import CurrencyMismatchError, InvalidValue, TableValidationError
from aftersales_crm.records import Book, Customer, Record, RepairOrder
from aftersales_crm.tables._ingest import _Sink, cross_checks, ingest
from aftersales_crm.tables._schema import SCHEMAS, Column, ColumnKind, TableSchema
from aftersales_crm.tables._table import Table
from aftersales_crm.values import Mileage, Money, currency_exponent

__all__ = ["Tables"]

K = ColumnKind
_NONE: Final = -1
_DEFAULT_CURRENCY: Final = "CNY"
_TABLE_NAMES: Final = tuple(SCHEMAS)

#: The dtype of each kind inside a table.
_DTYPES: Final[Mapping[ColumnKind, str]] = {
    K.REF: "int64",
    K.CATEGORY: "int8",
    K.MONEY: "int64",
    K.DATE: "datetime64[D]",
    K.INSTANT: "datetime64[us]",
    K.INT: "int64",
    K.FLOAT: "float64",
    K.BOOL: "bool",
    K.TEXT: "object",
    K.LABEL: "int32",
    K.TEXTS: "object",
}


def _empty_table(schema: TableSchema) -> Table:
    columns = {
        c.name: np.empty(0, dtype="<U1" if c.kind is K.ID else _DTYPES[c.kind])
        for c in schema.columns
    }
    labels = {c.name: () for c in schema.columns if c.kind is K.LABEL}
    return Table(schema, columns, labels)


@attrs.frozen(eq=False, repr=False)
class Tables:
    """A customer base as columnar tables: the input of every analytic.

    Seven tables, each a :class:`Table` of numpy columns: ``dealers``, ``customers``,
    ``consents`` (one row per consent change), ``vehicles``, ``ownerships``, ``orders``
    (repair orders) and ``lines`` (repair-order lines). Inside, references are row
    positions named after the table they point to (``orders["customer"]``), categoricals
    are the positions of enum members (``list(ServiceKind)``), money is int64 minor units
    of :attr:`currency`, dates are ``datetime64[D]`` and instants ``datetime64[us]`` in UTC.
    Outside (:meth:`from_arrays`, :meth:`to_arrays`, pandas, Arrow), references are ids
    named like the record field (``customer_id``), and categoricals are enum values.

    Build them with :meth:`from_book`, :meth:`from_arrays`, :meth:`from_pandas` or
    :meth:`from_arrow`; every bad row of the first table with problems is reported in one
    :class:`~aftersales_crm.errors.TableValidationError`. Nothing is dropped.

    Attributes:
        currency: the ISO 4217 code of every amount.
        dealers: dealers.
        customers: customers.
        consents: consent changes, in each customer's time order.
        vehicles: vehicles, keyed by VIN.
        ownerships: ownership periods.
        orders: repair orders.
        lines: repair-order lines, each pointing to its order.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(20, seed=1)
        >>> tables = Tables.from_book(book)
        >>> len(tables.customers), tables.currency
        (20, 'CNY')
        >>> Book.from_records(tables.to_records()) == Book.from_records(
        ...     [*book.dealers.values(), *book.customers.values(), *book.vehicles.values(),
        ...      *book.ownerships.values(), *book.repair_orders.values()])
        True
    """

    currency: str
    dealers: Table
    customers: Table
    consents: Table
    vehicles: Table
    ownerships: Table
    orders: Table
    lines: Table

    def __attrs_post_init__(self) -> None:
        currency_exponent(self.currency)  # raises for an unknown code
        for name in _TABLE_NAMES:
            table = getattr(self, name)
            if table.schema != SCHEMAS[name]:
                msg = f"{name} has the schema of {table.schema.name}"
                raise InvalidValue(msg, code="wrong_table")
            for column in table.schema.columns:
                if column.kind is K.REF:
                    rows = table[column.name]
                    target = len(getattr(self, column.target or ""))
                    if len(rows) and (rows.min() < _NONE or rows.max() >= target):
                        msg = f"{name}.{column.name} points outside {column.target} (rows 0..{target - 1})"
                        raise InvalidValue(msg, code="dangling_reference")

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        *,
        currency: str = _DEFAULT_CURRENCY,
        **tables: Mapping[str, Any] | None,
    ) -> Tables:
        """Build and check tables from outside columns: one mapping of arrays per table.

        References are ids (``customer_id``, ``vin``, ``order_id``); categoricals are enum
        values (or the positions of members); money is integers in minor units; dates are
        ``datetime64[D]``, :class:`datetime.date` or ISO text; instants are
        ``datetime64`` in UTC or aware :class:`datetime.datetime`. Columns with a record
        default may be left out. Tables left out are empty.

        Args:
            currency: the ISO 4217 code of every amount.
            **tables: ``dealers``, ``customers``, ``consents``, ``vehicles``,
                ``ownerships``, ``orders``, ``lines``.

        Returns:
            The checked tables.

        Raises:
            TableValidationError: listing every bad row of the first table (in the order
                above) that has any.
            InvalidValue: for an unknown table or column, a required column left out, or
                columns of different lengths.
            FloatMoneyError: for floats in a money column.

        Examples:
            >>> import numpy as np
            >>> t = Tables.from_arrays(
            ...     dealers={"id": ["D1"], "name": ["North"]},
            ...     customers={"id": ["C1", "C2"], "name": ["王明", "李华"]},
            ...     lines={"order_id": ["RO1"], "kind": ["maintenance"], "pay": ["customer"],
            ...            "labour": [100], "parts": [-5]},
            ... )
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.TableValidationError: lines: 2 problems in 1 row
              row 0, column 'order_id' [dangling_reference]: order_id RO1 is not in orders
              row 0, column 'parts' [negative_money]: parts is -5, must be >= 0
        """
        return cls._build(currency, tables, trusted=False)

    @classmethod
    def _build(
        cls, currency: str, data: Mapping[str, Mapping[str, Any] | None], *, trusted: bool
    ) -> Tables:
        unknown = sorted(set(data) - set(_TABLE_NAMES))
        if unknown:
            msg = f"unknown tables {unknown}; expected some of {list(_TABLE_NAMES)}"
            raise InvalidValue(msg, code="unknown_table")
        built: dict[str, Table] = {}
        ids: dict[str, NDArray[np.str_]] = {}
        for name, schema in SCHEMAS.items():
            given = data.get(name)
            if not given:
                built[name] = _empty_table(schema)
            else:
                sink = _Sink(name)
                columns, labels = ingest(schema, given, ids, sink, trusted=trusted)
                cross_checks(name, columns, sink)
                if sink.problems:
                    problems = sorted(sink.problems, key=lambda p: p.row)
                    raise TableValidationError(problems, table=name)
                built[name] = Table(schema, columns, labels)
            key = schema.key
            if key is not None:
                ids[name] = built[name][key.name]
        # Known only once the lines are read, but a fault of the orders: report their rows.
        sink = _Sink("orders")
        _orders_need_lines(built["lines"]["order"], built["orders"]["id"], sink)
        if sink.problems:
            raise TableValidationError(sink.problems, table="orders")
        return cls(currency, **built)

    @classmethod
    def from_book(cls, book: Book, *, currency: str | None = None) -> Tables:
        """The tables of a Book's dealers, customers, vehicles, ownerships and repair orders.

        Contacts, complaints, referrals and activities are not tables (yet); they stay in
        the Book.

        Args:
            book: the records.
            currency: the currency of every amount; by default that of the first order,
                or CNY for a Book without orders.

        Raises:
            CurrencyMismatchError: when the orders use more than one currency.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> t = Tables.from_book(synthetic.book(10, seed=2))
            >>> len(t.orders) == len(synthetic.book(10, seed=2).repair_orders)
            True
        """
        orders = list(book.repair_orders.values())
        if currency is None:
            currency = orders[0].lines[0].labour.currency if orders else _DEFAULT_CURRENCY
        others = sorted({line.labour.currency for o in orders for line in o.lines} - {currency})
        if others:
            msg = f"the tables hold one currency, {currency}; the book's orders also use {others}"
            raise CurrencyMismatchError(msg)
        customers = list(book.customers.values())
        data = {
            "dealers": _outside(SCHEMAS["dealers"], list(book.dealers.values())),
            "customers": _outside(SCHEMAS["customers"], customers),
            "consents": _consent_rows(customers),
            "vehicles": _outside(SCHEMAS["vehicles"], list(book.vehicles.values())),
            "ownerships": _outside(SCHEMAS["ownerships"], list(book.ownerships.values())),
            "orders": _outside(SCHEMAS["orders"], orders),
            "lines": _line_rows(orders),
        }
        return cls._build(currency, data, trusted=True)

    @classmethod
    def from_pandas(cls, *, currency: str = _DEFAULT_CURRENCY, **frames: Any) -> Tables:
        """Build and check tables from pandas DataFrames (needs the ``pandas`` extra).

        The frames have the outside columns of :meth:`from_arrays`; categoricals may be
        pandas ``Categorical``, nullable integers ``Int64``, instants must be tz-aware.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> t = synthetic.columns(30, seed=1).tables()
            >>> Tables.from_pandas(currency=t.currency, **t.to_pandas()) == t
            True
        """
        from aftersales_crm.tables._interop import from_frames  # pandas/pyarrow load on use

        return cls.from_arrays(currency=currency, **from_frames(frames))

    @classmethod
    def from_arrow(cls, *, currency: str = _DEFAULT_CURRENCY, **arrow_tables: Any) -> Tables:
        """Build and check tables from ``pyarrow.Table`` s (needs the ``arrow`` extra).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> t = synthetic.columns(30, seed=1).tables()
            >>> Tables.from_arrow(currency=t.currency, **t.to_arrow()) == t
            True
        """
        from aftersales_crm.tables._interop import from_arrow_tables  # pandas/pyarrow load on use

        return cls.from_arrays(currency=currency, **from_arrow_tables(arrow_tables))

    # -- reading --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Table]:
        """The seven tables, in building order."""
        return (getattr(self, name) for name in _TABLE_NAMES)

    def __eq__(self, other: object) -> bool:
        """Same currency and equal tables."""
        if not isinstance(other, Tables):
            return NotImplemented
        return self.currency == other.currency and all(
            a == b for a, b in zip(self, other, strict=True)
        )

    def __hash__(self) -> int:
        """Hash by currency and table lengths."""
        return hash((self.currency, *(len(t) for t in self)))

    def __repr__(self) -> str:
        """``Tables(CNY: 20 customers, 23 vehicles, …)``."""
        sizes = ", ".join(f"{len(t)} {t.name}" for t in self)
        return f"Tables({self.currency}: {sizes})"

    @property
    def nbytes(self) -> int:
        """Bytes held by all columns.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> synthetic.columns(10, seed=1).tables().nbytes > 0
            True
        """
        return sum(t.nbytes for t in self)

    def to_arrays(self) -> dict[str, dict[str, NDArray[Any]]]:
        """Every table in outside form: ids for references, enum values, ``None`` for none.

        :meth:`from_arrays` of the result gives equal tables.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> t = synthetic.columns(10, seed=1).tables()
            >>> t.to_arrays()["orders"]["customer_id"][0][:1]
            'C'
            >>> Tables.from_arrays(currency=t.currency, **t.to_arrays()) == t
            True
        """
        return {table.name: _outside_columns(self, table) for table in self}

    def to_pandas(self) -> dict[str, Any]:
        """Every table as a pandas DataFrame in outside form (needs the ``pandas`` extra).

        Categoricals become pandas ``Categorical`` of the enum values, nullable integers
        ``Int64``, instants tz-aware UTC. :meth:`from_pandas` of the result gives equal
        tables.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> frames = synthetic.columns(10, seed=1).tables().to_pandas()
            >>> str(frames["lines"]["kind"].dtype)
            'category'
        """
        from aftersales_crm.tables._interop import to_frames  # pandas/pyarrow load on use

        return to_frames(self)

    def to_arrow(self) -> dict[str, Any]:
        """Every table as a ``pyarrow.Table`` in outside form (needs the ``arrow`` extra).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> arrow = synthetic.columns(10, seed=1).tables().to_arrow()
            >>> arrow["orders"].schema.field("opened_at").type
            TimestampType(timestamp[us, tz=UTC])
        """
        from aftersales_crm.tables._interop import to_arrow_tables  # pandas/pyarrow load on use

        return to_arrow_tables(self)

    def to_records(self) -> list[Record]:
        """The records the tables hold, in table order.

        Dealers, customers (with their consents), vehicles, ownerships, and repair orders
        (with their lines).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> recs = synthetic.columns(5, seed=1).tables().to_records()
            >>> type(recs[0]).__name__
            'Dealer'
        """
        consents = _group(self.consents["customer"], len(self.customers))
        lines = _group(self.lines["order"], len(self.orders))
        consent_rows = _python_rows(self, self.consents)
        line_rows = _python_rows(self, self.lines)
        out: list[Record] = []
        for name in ("dealers", "customers", "vehicles", "ownerships", "orders"):
            table = getattr(self, name)
            model = table.schema.model
            for row, fields in enumerate(_python_rows(self, table)):
                if name == "customers":
                    fields["consents"] = [consent_rows[i] for i in consents[row]]
                elif name == "orders":
                    fields["lines"] = [line_rows[i] for i in lines[row]]
                out.append(model.model_validate(fields))
        return out


def _orders_need_lines(
    order_of_line: NDArray[np.int64], order_ids: NDArray[np.str_], sink: _Sink
) -> None:
    counts = np.bincount(order_of_line[order_of_line >= 0], minlength=len(order_ids))
    bare = np.flatnonzero(counts == 0)
    sink.rows(
        bare,
        "id",
        "order_without_lines",
        lambda r: f"order {order_ids[r]} has no lines; an order has at least one",
    )


def _group(owner: NDArray[np.int64], n: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(owner.tolist()):
        groups[o].append(i)
    return groups


# -- records → outside columns ------------------------------------------------------------


def _field_value(record: Record, column: Column) -> Any:
    value: Any = record
    for part in (column.field or column.name).split("."):
        value = getattr(value, part, None) if value is not None else None
    if isinstance(value, Money):
        return value.to_minor()
    if isinstance(value, Mileage):
        return value.km
    return value


def _outside(schema: TableSchema, rows: list[Any]) -> dict[str, list[Any]]:
    return {c.external: [_field_value(r, c) for r in rows] for c in schema.columns}


def _consent_rows(customers: list[Customer]) -> dict[str, list[Any]]:
    pairs = [(c.id, k) for c in customers for k in c.consents]
    return {
        "customer_id": [c for c, _ in pairs],
        "purpose": [k.purpose for _, k in pairs],
        "channel": [k.channel for _, k in pairs],
        "granted": [k.granted for _, k in pairs],
        "at": [k.at for _, k in pairs],
    }


def _line_rows(orders: list[RepairOrder]) -> dict[str, list[Any]]:
    pairs = [(o.id, line) for o in orders for line in o.lines]
    out = _outside(SCHEMAS["lines"], [line for _, line in pairs])
    out["order_id"] = [o for o, _ in pairs]
    return out


# -- tables → outside columns and records ---------------------------------------------------


def _outside_column(tables: Tables, table: Table, column: Column) -> NDArray[Any]:
    values = table[column.name]
    if column.kind is K.REF:
        target = getattr(tables, column.target or "")
        ids = target[target.schema.key.name].astype(object) if len(target) else np.empty(0, object)
        out = np.empty(len(values), dtype=object)
        present = values >= 0
        out[present] = ids[values[present]]
        return out
    if column.kind is K.CATEGORY:
        members = np.array([m.value for m in column.enum or ()] + [None], dtype=object)
        named: NDArray[Any] = members[values]
        return named
    if column.kind is K.LABEL:
        return table.label_texts(column.name)
    if column.kind is K.INT and column.nullable:
        out = values.astype(object)
        out[values == _NONE] = None
        return out
    return values


def _outside_columns(tables: Tables, table: Table) -> dict[str, NDArray[Any]]:
    return {c.external: _outside_column(tables, table, c) for c in table.schema.columns}


def _python_rows(tables: Tables, table: Table) -> list[dict[str, Any]]:
    """Each row as the keyword arguments of its record."""
    columns = _outside_columns(tables, table)
    lists: dict[str, list[Any]] = {}
    for column in table.schema.columns:
        values = columns[column.external].tolist()
        if column.kind is K.INSTANT:
            values = [None if v is None else v.replace(tzinfo=dt.UTC) for v in values]
        elif column.kind is K.MONEY:
            values = [Money.from_minor(v, tables.currency) for v in values]
        elif column.kind is K.FLOAT:
            values = [None if v != v else v for v in values]  # NaN is none
        lists[column.external] = values
    rows: list[dict[str, Any]] = []
    for i in range(len(table)):
        fields: dict[str, Any] = {}
        for column in table.schema.columns:
            value = lists[column.external][i]
            if table.schema.record in ("ConsentChanged", "RepairLine") and column.kind is K.REF:
                continue
            path = (column.field or column.name).split(".")
            if len(path) == 1:
                fields[path[0]] = value
            elif value is not None:
                fields.setdefault(path[0], {})[path[1]] = value
        rows.append(fields)
    return rows
