"""Tables: the customer base as columns, built from a Book, arrays, pandas or Arrow.

The tables are those of the registered fact kinds ([`fact_kinds`][aftersales_crm.records.fact_kinds]):
each kind's table and its children's tables, in the registry's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import (
    CurrencyMismatchError,
    InvalidType,
    InvalidValue,
    RowProblem,
    TableValidationError,
)
from aftersales_crm.records import (
    Book,
    Child,
    Column,
    ColumnKind,
    FactKind,
    Record,
    TableSchema,
    fact_kinds,
    refuse_redacted,
    table_schemas,
)
from aftersales_crm.tables._ingest import Keys, _Sink, cross_checks, ingest
from aftersales_crm.tables._table import Table
from aftersales_crm.values import NONE_CODE, Mileage, Money, currency_exponent

__all__ = ["Tables"]

K = ColumnKind
_NONE: Final = NONE_CODE
_DEFAULT_CURRENCY: Final = "CNY"

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
    return Table._owned(schema, columns, labels)


def _unknown_table(name: str, names: list[str]) -> InvalidValue:
    hint = did_you_mean(name, names) or f"the tables are {names}"
    return InvalidValue(f"no table {name!r}; {hint}", code="unknown_table")


class Tables:
    """A customer base as columnar tables: the input of every analytic.

    One [`Table`][aftersales_crm.tables.Table] of numpy columns for each registered fact kind and for the records
    nested in it: ``dealers``, ``chapters``, ``customers``, ``consents`` (consent changes),
    ``vehicles``, ``ownerships``, ``orders`` (repair orders), ``lines`` (repair-order
    lines), ``contacts``, ``complaints``, ``complaint_updates``, ``referrals``,
    ``activities``, and the club's ``members``, ``member_joins``, ``member_transfers``,
    ``member_lapses`` and ``member_reactivations``, then the tables of kinds you register. Reach a table as an attribute
    (``tables.orders``) or by name (``tables["orders"]``); iterating gives the tables in
    building order. Inside, references are row positions named after the table they point
    to (``orders["customer"]``), categoricals are the positions of enum members
    (``list(ServiceKind)``), money is int64 minor units of [`currency`][aftersales_crm.tables.Tables.currency], dates are
    ``datetime64[D]`` and instants ``datetime64[us]`` in UTC. Outside ([`from_arrays`][aftersales_crm.tables.Tables.from_arrays],
    [`to_arrays`][aftersales_crm.tables.Tables.to_arrays], pandas, Arrow), references are ids named like the record field
    (``customer_id``), and categoricals are enum values.

    Build them with [`from_book`][aftersales_crm.tables.Tables.from_book], [`from_arrays`][aftersales_crm.tables.Tables.from_arrays], [`from_pandas`][aftersales_crm.tables.Tables.from_pandas] or
    [`from_arrow`][aftersales_crm.tables.Tables.from_arrow], or from a plain transaction log with [`from_transactions`][aftersales_crm.tables.Tables.from_transactions];
    every problem of every table is reported in one
    [`TableValidationError`][aftersales_crm.errors.TableValidationError]. Nothing is dropped. The
    constructor takes ready [`Table`][aftersales_crm.tables.Table] s by name (tables left out are empty) and checks
    only their schemas and references.

    Attributes:
        currency: the ISO 4217 code of every amount.
        dealers: dealers.
        chapters: owners'-club chapters.
        customers: customers.
        consents: consent changes.
        vehicles: vehicles, keyed by VIN.
        ownerships: ownership periods.
        orders: repair orders.
        lines: repair-order lines, each pointing to its order.
        contacts: contacts with customers.
        complaints: complaints as filed.
        complaint_updates: complaint updates, each pointing to its complaint.
        referrals: referrals.
        activities: club activity attendances.
        members: club members as they applied, keyed by member id.
        member_joins: members joining.
        member_transfers: members moving to another chapter.
        member_lapses: members lapsing.
        member_reactivations: lapsed members coming back.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(20, seed=1)
        >>> tables = Tables.from_book(book)
        >>> len(tables.customers), tables.currency
        (20, 'CNY')
        >>> len(tables["contacts"]) == len(book.contacts)
        True
        >>> Book.from_records(tables.to_records()) == book
        True
    """

    __slots__ = ("_currency", "_tables")

    _currency: str
    _tables: Mapping[str, Table]

    def __init__(self, currency: str, **tables: Table) -> None:
        """Hold ready tables, checking their schemas and references.

        Args:
            currency: the ISO 4217 code of every amount.
            **tables: tables by name; those left out are empty.

        Raises:
            InvalidValue: an unknown currency or table name, a table under another
                table's name or with another schema, or a reference past its target.
            InvalidType: a table is not a [`Table`][aftersales_crm.tables.Table].
        """
        currency_exponent(currency)  # raises for an unknown code, naming it
        schemas = table_schemas()
        for name, given in tables.items():
            table: object = given  # callers may pass anything; the annotation is the contract
            if name not in schemas:
                raise _unknown_table(name, list(schemas))
            if not isinstance(table, Table):
                msg = f"{name} is a {type(table).__name__}, expected a Table"
                raise InvalidType(msg)
            if table.schema != schemas[name]:
                msg = f"{name} has the schema of {table.schema.name}"
                raise InvalidValue(msg, code="wrong_table")
        held = {
            name: tables[name] if name in tables else _empty_table(schema)
            for name, schema in schemas.items()
        }
        for name, table in held.items():
            for column in table.schema.columns:
                if column.kind is K.REF:
                    rows = table[column.name]
                    target = len(held[column.target or ""])
                    if len(rows) and (rows.min() < _NONE or rows.max() >= target):
                        msg = f"{name}.{column.name} points outside {column.target} (rows 0..{target - 1})"
                        raise InvalidValue(msg, code="dangling_reference")
        object.__setattr__(self, "_currency", currency)
        object.__setattr__(self, "_tables", MappingProxyType(held))

    @property
    def currency(self) -> str:
        """The ISO 4217 code of every amount.

        Examples:
            >>> Tables("EUR").currency
            'EUR'
        """
        return self._currency

    def __getattr__(self, name: str) -> Table:
        """The table called ``name``."""
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._tables[name]
        except KeyError:
            close = did_you_mean(name, self._tables)
            hint = f"; {close}" if close else ""
            raise AttributeError(f"Tables have no table {name!r}{hint}") from None

    def __getitem__(self, name: str) -> Table:
        """The table called ``name``.

        Raises:
            InvalidValue: there is no such table; the message suggests a close name.

        Examples:
            >>> Tables("CNY")["orders"].name
            'orders'
        """
        if not isinstance(name, str) or name not in self._tables:
            raise _unknown_table(str(name), list(self._tables))
        return self._tables[name]

    def __contains__(self, name: object) -> bool:
        """Whether there is a table called ``name``."""
        return name in self._tables

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return _rebuild, (self._currency, dict(self._tables))

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
        ``datetime64[D]``, ``datetime.date`` or ISO text; instants are
        ``datetime64`` in UTC or aware ``datetime.datetime``. Columns with a record
        default may be left out. Tables left out are empty.

        Args:
            currency: the ISO 4217 code of every amount.
            **tables: any of the tables (``dealers``, ``customers``, ``orders``, ``lines``,
                …), each a mapping of outside column name to array.

        Returns:
            The checked tables.

        Every column is checked whole (a null mask, one vectorised pass per rule, one hash
        join per reference column); only the rows that need a message take a Python step
        of their own. Ids and references are normalised with
        [`normalise_ids`][aftersales_crm.values.normalise_ids], so ``"C1"`` and ``"C1\u200b"`` are
        one id. The bounds of [`aftersales_crm.values`][aftersales_crm.values] hold: amounts from 0 to
        [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS], whole numbers within int64,
        dates and instants within their documented range, and no booleans where numbers
        belong.

        Problems of a whole column (a required column left out, an unknown column, a
        column of another length than the table's key column, booleans where numbers
        belong) have row ``-1``; such a column is not read further. References into a
        table are checked against its ids as read, even those that broke their rule (a
        bad VIN is reported once, in ``vehicles``); references into a table whose id
        column could not be read are not checked.

        Raises:
            TableValidationError: listing every problem of every table, grouped by table
                in building order.
            InvalidValue: for an unknown currency or table.
            InvalidType: a table is not a mapping of columns.
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
            >>> Tables.from_arrays(
            ...     dealers={"id": ["D1"]},
            ...     customers={"id": ["C1", "C1\u200b"], "name": ["王明", "李华"], "age": [30, 40]},
            ... )
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.TableValidationError: 2 tables with problems: dealers, customers
            dealers: 1 problem in the columns
              column 'name' [missing_column]: dealers: required column 'name' is missing
            customers: 2 problems in 1 row and the columns
              column 'age' [unknown_column]: customers has no column 'age'; expected some of [...]
              row 1, column 'id' [duplicate_id]: id C1 repeats row 0
        """
        return cls._build(currency, tables, trusted=False)

    @classmethod
    def _build(
        cls, currency: str, data: Mapping[str, Mapping[str, Any] | None], *, trusted: bool
    ) -> Tables:
        currency_exponent(currency)  # before any work: raises for an unknown code
        schemas = table_schemas()
        unknown = sorted(set(data) - set(schemas))
        if unknown:
            msg = f"unknown tables {unknown}; expected some of {list(schemas)}"
            raise InvalidValue(msg, code="unknown_table")
        for name, columns in data.items():
            given: object = columns  # callers may pass anything; the annotation is the contract
            if given is not None and not isinstance(given, Mapping):
                msg = f"{name} is a {type(given).__name__}, expected a mapping of columns"
                raise InvalidType(msg)
        parts: dict[str, tuple[dict[str, NDArray[Any]], dict[str, tuple[str, ...]]]] = {}
        ids: dict[str, Keys | None] = {}
        sinks = {name: _Sink(name) for name in schemas}
        for name, schema in schemas.items():
            given = data.get(name)
            if not given:
                empty = _empty_table(schema)
                parts[name] = (dict(empty.columns), dict(empty.labels))
                ids[name] = Keys([]) if schema.key is not None else None
                continue
            sink = sinks[name]
            columns, labels, keys = ingest(schema, given, ids, sink, trusted=trusted)
            cross_checks(schema, columns, sink)
            parts[name] = (columns, labels)
            ids[name] = keys
        for kind in fact_kinds():
            for child in kind.children:
                unread = {
                    p.column for p in sinks[child.table.name].problems if p.row < 0
                }  # a parent column that could not be read says nothing of the parents
                parent = child.table.column(child.parent).external
                if child.required and parent not in unread and ids[kind.table.name] is not None:
                    sinks[kind.table.name].problems += _parents_need_children(
                        kind, child, {name: columns for name, (columns, _) in parts.items()}
                    )
        problems = [p for sink in sinks.values() for p in sink.problems]
        if problems:
            raise TableValidationError(problems)
        built = {
            name: Table._owned(schemas[name], columns, labels)
            for name, (columns, labels) in parts.items()
        }
        return cls(currency, **built)

    @classmethod
    def from_book(cls, book: Book, *, currency: str | None = None) -> Tables:
        """The tables of every fact a Book holds, one table per kind and nested record.

        Args:
            book: the records.
            currency: the currency of every amount; by default that of the first amount
                (the first order's first line), or CNY for a Book without amounts.

        Raises:
            CurrencyMismatchError: when the records use more than one currency.
            InvalidType: ``book`` is not a [`Book`][aftersales_crm.records.Book].
            InvalidValue: ``currency`` is not a known ISO 4217 code, or a record is a
                redacted copy (code ``"redacted_record"``).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> t = Tables.from_book(synthetic.book(10, seed=2))
            >>> len(t.orders) == len(synthetic.book(10, seed=2).repair_orders)
            True
            >>> Tables.from_book(synthetic.book(10, seed=2), currency=5)
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidComponent: currency 5 is not supported: ...
        """
        given: object = book  # callers may pass anything; the annotation is the contract
        if not isinstance(given, Book):
            msg = f"book is a {type(given).__name__}, expected a Book"
            raise InvalidType(msg)
        refuse_redacted(book.records(), into="Tables")  # masked values are not data
        if currency is not None:
            currency_exponent(currency)
        seen: dict[str, str] = {}  # currency → the table where it was first met
        data: dict[str, dict[str, list[Any]]] = {}
        for kind in fact_kinds():
            records = list(getattr(book, kind.name).values())
            data[kind.table.name] = _outside(kind.table, records, seen, kind.table.name)
            for child in kind.children:
                data[child.table.name] = _child_rows(kind, child, records, seen)
        if currency is None:
            currency = next(iter(seen), _DEFAULT_CURRENCY)
        others = sorted(set(seen) - {currency})
        if others:
            where = sorted({seen[other] for other in others})
            msg = (
                f"the tables hold one currency, {currency}; the book's "
                f"{' and '.join(where)} also use {others}"
            )
            raise CurrencyMismatchError(msg)
        return cls._build(currency, data, trusted=True)

    @classmethod
    def from_pandas(cls, *, currency: str = _DEFAULT_CURRENCY, **frames: Any) -> Tables:
        """Build and check tables from pandas DataFrames (needs the ``pandas`` extra).

        The frames have the outside columns of [`from_arrays`][aftersales_crm.tables.Tables.from_arrays]; categoricals may be
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

    @classmethod
    def from_transactions(
        cls,
        frame: Any,
        *,
        customer: str,
        at: str,
        amount: str,
        currency: str,
        order: str | None = None,
        vin: str | None = None,
        mileage: str | None = None,
        dealer: str | None = None,
        service_kind: str | None = None,
        pay: str | None = None,
        time_zone: str | dt.tzinfo = "Asia/Shanghai",
    ) -> Tables:
        """Build and check tables from a plain transaction log: one repair order per row.

        The way in for data that is only a log of customer, date or instant, and amount
        (such as the CDNOW purchase log of the churn literature). The keyword arguments
        name the log's columns; the optional ones are mapped when given.

        What the tables hold:

        - **orders**: one per row, never merged. Their id is the ``order`` column, or
          ``T<row>`` from the row's position (``T0``, ``T1``, …).
        - **vehicles**: none, unless ``vin`` (and ``mileage``, its odometer reading) are
          mapped. An order without a vehicle is a first-class order: it counts in every
          customer feature and in no vehicle feature; no VIN is made up.
        - **dealers**: the distinct ``dealer`` ids; without that column, every order names
          one placeholder dealer, ``"LOG"``.
        - **customers**: the distinct customer ids in order of first appearance, each
          named by its id, since a log holds no names.
        - **lines**: one per order, of kind ``service_kind`` (default ``parts_sale``, a
          counter sale that moves no service interval) and pay type ``pay`` (default
          ``customer``), with the whole amount as its ``parts`` amount and labour 0.

        Amounts are exact. Integers are minor units, as in every table (cents for USD, fen
        for CNY); ``Decimal`` values and decimal text are major units as
        printed on the invoice (``"29.33"`` dollars is 2,933 cents), refused when they
        have more decimal places than the currency. Floats are refused. ``at`` holds
        dates (``datetime.date``, ``datetime64[D]``, Arrow ``date32``, ISO text
        ``"1997-01-01"`` or ``"19970101"``) or tz-aware instants; a date becomes noon of
        that day in ``time_zone``, so the feature engine, which reads business dates in
        the same zone, gives back the same day. Integer ids (customer, order, dealer)
        become their decimal text.

        Args:
            frame: the log: a mapping of column name to array, a numpy structured array,
                a pandas DataFrame (``pandas`` extra) or a ``pyarrow.Table`` (``arrow``
                extra).
            customer: the column of customer ids.
            at: the column of dates or tz-aware instants.
            amount: the column of amounts.
            currency: the ISO 4217 code of every amount.
            order: the column of order ids.
            vin: the column of VINs (ISO 3779); needs ``mileage``.
            mileage: the column of odometer readings in km; needs ``vin``.
            dealer: the column of dealer ids.
            service_kind: the column of service kinds (``ServiceKind`` values).
            pay: the column of pay types (``PayType`` values).
            time_zone: the zone the dates are days of: an IANA name or a tzinfo (default
                ``Asia/Shanghai``, the feature engine's).

        Returns:
            The checked tables; ``len(tables.orders)`` and ``len(tables.lines)`` equal the
            log's rows.

        Raises:
            TableValidationError: listing every bad row of the log, as table
                ``transactions`` with the log's row numbers and column names.
            InvalidValue: a mapped column the log lacks (all of them named at once),
                ``vin`` without ``mileage`` or the reverse, naive datetimes in a pandas
                or Arrow ``at`` column, columns of different lengths, an unknown currency
                or time zone.
            InvalidType: the log is not one of the accepted types, or a mapping is not a
                column name.
            FloatMoneyError: floats in the amount column.
            MissingDependencyError: a pandas or Arrow log without the extra installed.

        Examples:
            >>> import datetime as dt
            >>> from decimal import Decimal
            >>> log = {
            ...     "cust": ["A", "A", "B"],
            ...     "day": [dt.date(1997, 1, 1), dt.date(1997, 1, 8), dt.date(1997, 1, 3)],
            ...     "usd": [Decimal("29.33"), Decimal("12.00"), Decimal("5.5")],
            ... }
            >>> t = Tables.from_transactions(log, customer="cust", at="day", amount="usd",
            ...                              currency="USD")
            >>> t
            Tables(USD: 1 dealers, 2 customers, 3 orders, 3 lines)
            >>> t.lines["parts_fen"].tolist(), t.orders["vehicle"].tolist()
            ([2933, 1200, 550], [-1, -1, -1])
            >>> Tables.from_transactions({"cust": ["A"], "day": ["1997-01-01"], "usd": [9.99]},
            ...                          customer="cust", at="day", amount="usd", currency="USD")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.FloatMoneyError: column 'usd' holds floats (row 0); money never goes through float: give integer minor units, decimal.Decimal or decimal text
        """
        from aftersales_crm.tables._transactions import from_transactions  # a cycle otherwise

        roles = {
            "customer": customer,
            "at": at,
            "amount": amount,
            "order": order,
            "vin": vin,
            "mileage": mileage,
            "dealer": dealer,
            "service_kind": service_kind,
            "pay": pay,
        }
        return from_transactions(cls, frame, roles, currency=currency, time_zone=time_zone)

    # -- reading --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Table]:
        """The tables, in building order (referenced tables first)."""
        return iter(self._tables.values())

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
        """``Tables(CNY: 20 customers, 23 vehicles, …)``, naming the tables that have rows."""
        sizes = ", ".join(f"{len(t)} {t.name}" for t in self if len(t))
        return f"Tables({self.currency}: {sizes or 'empty'})"

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

        [`from_arrays`][aftersales_crm.tables.Tables.from_arrays] of the result gives equal tables.

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
        ``Int64``, instants tz-aware UTC. [`from_pandas`][aftersales_crm.tables.Tables.from_pandas] of the result gives equal
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
        """The records the tables hold, kind by kind in building order.

        Each table's rows become records of its kind, with their nested records (a repair
        order's lines) put back in place. ``Book.from_records(tables.to_records())`` gives
        the Book the tables were built from.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> recs = synthetic.columns(5, seed=1).tables().to_records()
            >>> type(recs[0]).__name__
            'Dealer'
        """
        out: list[Record] = []
        for kind in fact_kinds():
            table = self._tables[kind.table.name]
            rows = _python_rows(self, table)
            for child in kind.children:
                nested = self._tables[child.table.name]
                child_rows = _python_rows(self, nested, skip=child.parent)
                for row, members in enumerate(_group(nested[child.parent], len(table))):
                    rows[row][child.field] = [child_rows[i] for i in members]
            out += [kind.record.model_validate(fields) for fields in rows]
        return out


def _rebuild(currency: str, tables: dict[str, Table]) -> Tables:
    return Tables(currency, **tables)


def _parents_need_children(
    kind: FactKind, child: Child, columns: Mapping[str, Mapping[str, NDArray[Any]]]
) -> list[RowProblem]:
    """A problem for each parent without children, as rows of the parent's table."""
    parents = columns[kind.table.name]
    parent_of_child = columns[child.table.name][child.parent]
    key = kind.table.key
    assert key is not None  # a fact kind's table has an id column
    ids = parents[key.name]
    counts = np.bincount(parent_of_child[parent_of_child >= 0], minlength=len(ids))
    one = kind.table.name.removesuffix("s")  # "orders": "order"
    article = "an" if one[:1] in "aeiou" else "a"
    sink = _Sink(kind.table.name)
    sink.rows(
        np.flatnonzero(counts == 0),
        key.external,
        f"{one}_without_{child.field}",
        lambda r: f"{one} {ids[r]} has no {child.field}; {article} {one} has at least one",
    )
    return sink.problems


def _group(owner: NDArray[np.int64], n: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(owner.tolist()):
        groups[o].append(i)
    return groups


# -- records → outside columns ------------------------------------------------------------


def _field_values(records: list[Any], column: Column) -> list[Any]:
    """The value each record holds in ``column``'s field, ``None`` where it has none."""
    first, *rest = (column.field or column.name).split(".")
    values = [getattr(record, first, None) for record in records]
    for part in rest:
        values = [None if value is None else getattr(value, part, None) for value in values]
    return values


def _plain(values: list[Any], seen: dict[str, str], where: str) -> list[Any]:
    """Money as minor units (``seen`` collects each currency met and where), mileage as km."""
    types = set(map(type, values))
    if types == {Money}:
        for currency in dict.fromkeys(money.currency for money in values):
            seen.setdefault(currency, where)
        return [money.to_minor() for money in values]
    if types == {Mileage}:
        return [mileage.km for mileage in values]
    if not any(issubclass(t, Money | Mileage) for t in types):
        return values
    return [_plain_value(value, seen, where) for value in values]


def _plain_value(value: Any, seen: dict[str, str], where: str) -> Any:
    if isinstance(value, Money):
        seen.setdefault(value.currency, where)
        return value.to_minor()
    if isinstance(value, Mileage):
        return value.km
    return value


def _outside(
    schema: TableSchema, rows: list[Any], seen: dict[str, str], where: str, *, skip: str = ""
) -> dict[str, list[Any]]:
    """The outside columns of records, column by column, leaving out the column ``skip``.

    ``seen`` collects each currency met and where, in the order met.
    """
    return {
        c.external: _plain(_field_values(rows, c), seen, where)
        for c in schema.columns
        if c.name != skip
    }


def _child_rows(
    kind: FactKind, child: Child, parents: list[Record], seen: dict[str, str]
) -> dict[str, list[Any]]:
    """The outside columns of the records nested in ``parents``, each naming its parent."""
    members = [getattr(parent, child.field) for parent in parents]
    out = _outside(
        child.table,
        [member for group in members for member in group],
        seen,
        kind.table.name,
        skip=child.parent,
    )
    keys = [parent.key for parent in parents]
    parent = child.table.column(child.parent).external
    out[parent] = [key for key, group in zip(keys, members, strict=True) for _ in group]
    # the parent column in its schema place, as the other columns are
    return {c.external: out[c.external] for c in child.table.columns}


# -- tables → outside columns and records ---------------------------------------------------


def _outside_column(tables: Tables, table: Table, column: Column) -> NDArray[Any]:
    values = table[column.name]
    if column.kind is K.REF:
        target = tables[column.target or ""]
        key = target.schema.key
        assert key is not None  # a reference points into a table with ids
        ids = target[key.name].astype(object) if len(target) else np.empty(0, object)
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


def _python_rows(tables: Tables, table: Table, *, skip: str = "") -> list[dict[str, Any]]:
    """Each row as the keyword arguments of its record (leaving out the column ``skip``)."""
    columns = _outside_columns(tables, table)
    lists: dict[str, list[Any]] = {}
    for column in table.schema.columns:
        values = columns[column.external].tolist()
        if column.kind is K.INSTANT:
            values = [None if v is None else v.replace(tzinfo=dt.UTC) for v in values]
        elif (
            column.kind is K.MONEY
        ):  # one Money per distinct amount: amounts repeat, and Money is frozen
            made = {minor: Money.from_minor(minor, tables.currency) for minor in set(values)}
            values = [made[v] for v in values]
        elif column.kind is K.FLOAT:
            values = [None if v != v else v for v in values]  # NaN is none
        lists[column.external] = values
    kept = [c for c in table.schema.columns if c.name != skip]
    paths = [(c.field or c.name).split(".") for c in kept]
    flat = [
        (path[0], lists[c.external]) for c, path in zip(kept, paths, strict=True) if len(path) == 1
    ]
    if flat:
        names = [name for name, _ in flat]
        rows = [
            dict(zip(names, row, strict=True)) for row in zip(*(v for _, v in flat), strict=True)
        ]
    else:
        rows = [{} for _ in range(len(table))]
    for column, path in zip(kept, paths, strict=True):
        if len(path) > 1:  # a part of a value (``home_location.lat``): the value only when given
            head, part = path[0], path[1]
            for fields, value in zip(rows, lists[column.external], strict=True):
                if value is not None:
                    fields.setdefault(head, {})[part] = value
    return rows
