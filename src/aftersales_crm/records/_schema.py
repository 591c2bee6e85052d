"""Table schemas: the columns of each fact kind's table, declared beside its record.

A schema names each column, how it is stored ([`ColumnKind`][aftersales_crm.records.ColumnKind]), the record field it
holds and its rules. The schemas live with the records so that a fact kind declares its
table in the same place as its record class; [`aftersales_crm.tables`][aftersales_crm.tables] builds and checks
the numpy columns from them (and re-exports these names).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidFormat, InvalidValue, RowProblem
from aftersales_crm.records._base import Record
from aftersales_crm.values import MAX_KILOMETRES, normalise_postcode, phone
from aftersales_crm.values._text import has_white_space

__all__ = ["Column", "ColumnKind", "RowCheck", "TableSchema"]

RowCheck = Callable[[Mapping[str, NDArray[Any]]], list[RowProblem]]
"""A rule tying columns of one row together, as a record validator states it for one record.

It takes the table's inside columns by name and returns a
[`RowProblem`][aftersales_crm.errors.RowProblem] for every row that breaks the rule.
"""


class ColumnKind(enum.Enum):
    """How a column is stored and checked.

    Examples:
        >>> ColumnKind.MONEY.value
        'money'
    """

    ID = "id"
    """The table's key: text ids, unique, non-empty, no whitespace, at most 64 characters."""
    REF = "ref"
    """A reference: inside the table the row position in the target table (``-1`` for
    none); outside (pandas, Arrow, [`from_arrays`][aftersales_crm.tables.Tables.from_arrays]) the
    target's id."""
    CATEGORY = "category"
    """An enum member: inside the table its position in the enum's declaration order as a
    small integer (``-1`` for none); outside the member's value."""
    MONEY = "money"
    """An amount as int64 minor units (fen for CNY) of the tables' one currency; never
    negative."""
    DATE = "date"
    """A business date, ``datetime64[D]`` (``NaT`` for none)."""
    INSTANT = "instant"
    """A moment, ``datetime64[us]`` in UTC (``NaT`` for none)."""
    INT = "int"
    """A non-negative integer such as a mileage in km, int64 (``-1`` for none)."""
    FLOAT = "float"
    """A float such as a latitude, float64 (``NaN`` for none)."""
    BOOL = "bool"
    """A flag."""
    TEXT = "text"
    """Text, an object array of ``str`` (``None`` for none)."""
    LABEL = "label"
    """Repetitive text such as a model name, kept as int32 codes into the table's list of
    distinct labels (``-1`` for none); outside, the text."""
    TEXTS = "texts"
    """A tuple of texts per row, such as hobbies."""


@attrs.frozen
class _Pattern:
    """A text check by regular expression (a class, so that schemas can be pickled)."""

    regex: str
    code: str
    what: str
    compiled: re.Pattern[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.regex))

    def __call__(self, value: str) -> str:
        if self.compiled.fullmatch(value) is None:
            raise InvalidFormat(f"{value!r} is not {self.what}", code=self.code)
        return value

    def array(self, values: list[str]) -> NDArray[np.bool_]:
        """Which texts match, one C match each: those ``__call__`` returns unchanged."""
        matches = map(self.compiled.fullmatch, values)
        return np.fromiter(map(bool, matches), dtype=np.bool_, count=len(values))


@attrs.frozen
class _NoSpace(_Pattern):
    r"""A pattern of the form ``\S{1,n}``: its array test needs no match per text."""

    longest: int = 64

    def array(self, values: list[str]) -> NDArray[np.bool_]:
        """Which texts have 1 to ``longest`` characters and no white space (one pass in C)."""
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        fits = (lengths >= 1) & (lengths <= self.longest)
        if fits.all() and not has_white_space("".join(values)):
            return fits
        return super().array(values)


@attrs.frozen
class _Postcode:
    """A postcode: digits of any script made ASCII (``１０００８３``), then six of them."""

    pattern: _Pattern

    def __call__(self, value: str) -> str:
        return self.pattern(normalise_postcode(value))

    def array(self, values: list[str]) -> NDArray[np.bool_]:
        """Which texts are six ASCII digits already (the others go through the rule)."""
        return self.pattern.array(values)


@attrs.frozen
class _Phone:
    """A phone number in the default region, stored as E.164 (``values.phone``)."""

    def __call__(self, value: str) -> str:
        return phone.validate(value)

    def normalise_array(self, values: list[str]) -> list[str | None]:
        """The E.164 form of the numbers the vectorised path vouches for, else ``None``."""
        return phone._fast_e164(values)


def _check_array_of(column: Column) -> Callable[..., object] | None:
    """A check's own vectorised test, when it has one (a pattern, a postcode)."""
    test: Callable[..., object] | None = getattr(column.check, "array", None)
    return test


def _normalise_array_of(column: Column) -> Callable[[list[str]], list[str | None]] | None:
    """A check's own vectorised normal form, when it has one (a phone number)."""
    normal: Callable[[list[str]], list[str | None]] | None = getattr(
        column.check, "normalise_array", None
    )
    return normal


@attrs.frozen
class Column:
    """One column of a table.

    Attributes:
        name: the column's name inside the table (references are named after the table
            they point to: ``customer``, ``vehicle``).
        kind: how it is stored and checked.
        field: the record field it holds, with a dot for a part of a value
            (``home_location.lat``); outside the table a reference goes by this name.
        nullable: whether a row may have no value.
        enum: the enum of a [`ColumnKind.CATEGORY`][aftersales_crm.records.ColumnKind.CATEGORY] column.
        target: the table a [`ColumnKind.REF`][aftersales_crm.records.ColumnKind.REF] column points into.
        check: for text, the identifier rule (returns the normalised text or raises).
        check_array: a vectorised test that is True for rows already valid and in normal
            form; other rows go through ``check``. By default the ``array`` method of
            ``check``, if it has one. Columns compare without it (it is a faster form of
            ``check``, which they compare).
        normalise_array: a vectorised ``check`` over a list of texts: the normal form of
            each text it vouches for, ``None`` for the rows that must go through
            ``check``. By default the ``normalise_array`` method of ``check``, if any.
        limit: for floats, the largest magnitude allowed (90 for a latitude); for
            integers, the largest value ([`MAX_KILOMETRES`][aftersales_crm.values.MAX_KILOMETRES] for
            a mileage).
        range_code: the error code of a value beyond ``limit`` (the records' code for the
            same rule, such as ``"mileage_range"``).
        max_length: for text, the most characters allowed.
        signed: for a required integer, whether it may be negative (a points adjustment);
            ``limit`` then bounds its magnitude. A signed column cannot be nullable, as
            ``-1`` would be a value.

    Examples:
        >>> from aftersales_crm.tables import SCHEMAS
        >>> SCHEMAS["orders"].column("customer").field
        'customer_id'
    """

    name: str
    kind: ColumnKind
    field: str = ""
    nullable: bool = False
    enum: type[enum.Enum] | None = None
    target: str | None = None
    check: Callable[[str], str] | None = None
    check_array: Callable[..., object] | None = attrs.field(
        default=attrs.Factory(_check_array_of, takes_self=True), eq=False
    )
    limit: float | None = None
    range_code: str = "out_of_range"
    max_length: int = 500
    normalise_array: Callable[[list[str]], list[str | None]] | None = attrs.field(
        default=attrs.Factory(_normalise_array_of, takes_self=True), eq=False
    )
    signed: bool = False

    def __attrs_post_init__(self) -> None:
        for name in ("nullable", "signed"):
            given: object = getattr(self, name)
            if not isinstance(given, bool):
                msg = f"column {self.name!r}: {name} is {given!r:.60}, expected True or False"
                raise InvalidValue(msg, code="invalid_column")
        if self.signed and (self.nullable or self.kind is not ColumnKind.INT):
            msg = f"column {self.name!r}: only a required int column can be signed"
            raise InvalidValue(msg, code="signed_column")

    @property
    def external(self) -> str:
        """The column's name outside the table: the record field (``customer_id``).

        Examples:
            >>> from aftersales_crm.tables import SCHEMAS
            >>> SCHEMAS["orders"].column("vehicle").external
            'vin'
        """
        return self.field or self.name


@attrs.frozen
class TableSchema:
    """The columns of one table, in order, and the record each row becomes.

    Attributes:
        name: the table's name (``"orders"``).
        columns: its columns.
        record: the record class a row becomes (``RepairOrder``).
        checks: the rules that tie columns of one row together (an order is not closed
            before it was opened), each reporting every row that breaks it.

    Examples:
        >>> from aftersales_crm.tables import SCHEMAS
        >>> [c.name for c in SCHEMAS["ownerships"].columns]
        ['id', 'customer', 'vehicle', 'start', 'end']
    """

    name: str
    columns: tuple[Column, ...]
    record: type[Record]
    checks: tuple[RowCheck, ...] = ()

    @property
    def model(self) -> type[Record]:
        """The record class a row becomes (the same as ``record``).

        Examples:
            >>> from aftersales_crm.tables import SCHEMAS
            >>> SCHEMAS["orders"].model.__name__
            'RepairOrder'
        """
        return self.record

    def column(self, name: str) -> Column:
        """The column called ``name`` (inside name).

        Examples:
            >>> from aftersales_crm.tables import SCHEMAS
            >>> SCHEMAS["lines"].column("labour_fen").kind
            <ColumnKind.MONEY: 'money'>
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def key(self) -> Column | None:
        """The [`ColumnKind.ID`][aftersales_crm.records.ColumnKind.ID] column, if the table has one.

        Examples:
            >>> from aftersales_crm.tables import SCHEMAS
            >>> SCHEMAS["vehicles"].key.name, SCHEMAS["lines"].key
            ('vin', None)
        """
        return next((c for c in self.columns if c.kind is ColumnKind.ID), None)


# -- helpers for the built-in schemas -----------------------------------------------------------

K = ColumnKind
LAT: Final = 90.0
LON: Final = 180.0
ID_MAX: Final = 64
EMAIL_MAX: Final = 254
#: Vehicle and repair-order texts (a model, a colour, a line's description) are shorter
#: than a customer's: the ``Text`` of ``records/_vehicle.py`` and ``records/_repair.py``.
SHORT_TEXT: Final = 200
#: Contact and complaint texts (a note, a description) are longer: ``records/_contact.py``.
LONG_TEXT: Final = 2000

postcode = _Postcode(_Pattern(r"[0-9]{6}", "postcode_format", "a postcode of six digits"))
email = _Pattern(r"[^@\s]+@[^@\s]+\.[^@\s]+", "email_format", "an e-mail address")
plain_id = _NoSpace(
    r"\S{1,64}", "id_format", "an id (1 to 64 characters, no white space)", longest=ID_MAX
)


_phone: Final = _Phone()


def text(name: str, *, field: str = "", nullable: bool = True, max_length: int = 500) -> Column:
    """A text column, nullable unless told."""
    return Column(name, K.TEXT, field=field, nullable=nullable, max_length=max_length)


def phone_column(name: str) -> Column:
    """A nullable phone column, stored as E.164."""
    return Column(name, K.TEXT, nullable=True, check=_phone)


def mileage(name: str) -> Column:
    """An odometer reading in km, optional, at most [`MAX_KILOMETRES`][aftersales_crm.values.MAX_KILOMETRES]."""
    return Column(
        name, ColumnKind.INT, nullable=True, limit=MAX_KILOMETRES, range_code="mileage_range"
    )


def id_text(name: str, *, nullable: bool = True) -> Column:
    """A staff or activity id kept as text (it points to no table)."""
    return Column(name, K.TEXT, nullable=nullable, check=plain_id, max_length=ID_MAX)


def ref(name: str, field: str, target: str, *, nullable: bool = False) -> Column:
    """A reference to the table ``target`` (outside, the record field ``field``)."""
    return Column(name, K.REF, field=field, nullable=nullable, target=target)


def problems(
    rows: NDArray[Any], column: str, code: str, message: Callable[[int], str]
) -> list[RowProblem]:
    """A [`RowProblem`][aftersales_crm.errors.RowProblem] for each row position in ``rows``."""
    return [RowProblem(int(row), column, code, message(int(row))) for row in rows.tolist()]


@attrs.frozen
class WholeLocation:
    """A row check: a location has both its latitude and its longitude, or neither.

    (A class rather than a closure, so that schemas can be pickled.)
    """

    lat: str
    lon: str
    where: str

    def __call__(self, columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
        lat, lon = columns[self.lat], columns[self.lon]
        return problems(
            np.flatnonzero(np.isnan(lat) != np.isnan(lon)),
            self.where,
            "partial_location",
            lambda r: "a location needs both lat and lon",
        )


def not_before(
    columns: Mapping[str, NDArray[Any]], field: str, than: str, code: str
) -> list[RowProblem]:
    """The rows where the column ``field`` is earlier than the column ``than``."""
    moment, bound = columns[field], columns[than]
    return problems(
        np.flatnonzero(moment < bound),
        field,
        code,
        lambda r: f"{field} {moment[r]} is before {than} {bound[r]}",
    )
