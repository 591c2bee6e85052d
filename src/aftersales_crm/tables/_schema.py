"""The columns of each table: names, kinds, the record field each one holds, and its rules."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from aftersales_crm.errors import InvalidFormat
from aftersales_crm.records import (
    ConsentChanged,
    ConsentPurpose,
    Customer,
    CustomerKind,
    Dealer,
    Ownership,
    Record,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import (
    BodyType,
    ContactChannel,
    FuelType,
    Gender,
    PayType,
    ServiceKind,
    national_id,
    phone,
    plate,
    vin,
)

__all__ = ["SCHEMAS", "Column", "ColumnKind", "TableSchema"]


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
    none); outside (pandas, Arrow, :meth:`~aftersales_crm.tables.Tables.from_arrays`) the
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
        enum: the enum of a :attr:`ColumnKind.CATEGORY` column.
        target: the table a :attr:`ColumnKind.REF` column points into.
        check: for text, the identifier rule (returns the normalised text or raises).
        check_array: a vectorised test that is True for rows already valid and in normal
            form; other rows go through ``check``.
        limit: for floats, the largest magnitude allowed (90 for a latitude).
        max_length: for text, the most characters allowed.

    Examples:
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
    check_array: Callable[..., object] | None = None
    limit: float | None = None
    max_length: int = 500

    @property
    def external(self) -> str:
        """The column's name outside the table: the record field (``customer_id``).

        Examples:
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
        record: the record class a row becomes, by name (``"RepairOrder"``).

    Examples:
        >>> [c.name for c in SCHEMAS["ownerships"].columns]
        ['id', 'customer', 'vehicle', 'start', 'end']
    """

    name: str
    columns: tuple[Column, ...]
    record: str

    @property
    def model(self) -> type[Record]:
        """The record class a row becomes.

        Examples:
            >>> SCHEMAS["orders"].model.__name__
            'RepairOrder'
        """
        return _MODELS[self.record]

    def column(self, name: str) -> Column:
        """The column called ``name`` (inside name).

        Examples:
            >>> SCHEMAS["lines"].column("labour_fen").kind
            <ColumnKind.MONEY: 'money'>
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def key(self) -> Column | None:
        """The :attr:`ColumnKind.ID` column, if the table has one.

        Examples:
            >>> SCHEMAS["vehicles"].key.name, SCHEMAS["lines"].key
            ('vin', None)
        """
        return next((c for c in self.columns if c.kind is ColumnKind.ID), None)


_MODELS: Final[Mapping[str, type[Record]]] = MappingProxyType(
    {
        m.__name__: m
        for m in (Dealer, Customer, ConsentChanged, Vehicle, Ownership, RepairOrder, RepairLine)
    }
)

K = ColumnKind
_LAT: Final = 90.0
_LON: Final = 180.0
_ID_MAX: Final = 64
_EMAIL_MAX: Final = 254
#: Vehicle and repair-order texts (a model, a colour, a line's description) are shorter
#: than a customer's: the ``Text`` of ``records/_vehicle.py`` and ``records/_repair.py``.
_SHORT_TEXT: Final = 200

_postcode = _Pattern(r"\d{6}", "postcode_format", "a postcode of six digits")
_email = _Pattern(r"[^@\s]+@[^@\s]+\.[^@\s]+", "email_format", "an e-mail address")
_id = _Pattern(r"\S{1,64}", "id_format", "an id (1 to 64 characters, no white space)")


def _phone(value: str) -> str:
    return phone.validate(value)


def _t(name: str, *, field: str = "", nullable: bool = True, max_length: int = 500) -> Column:
    return Column(name, K.TEXT, field=field, nullable=nullable, max_length=max_length)


def _phone_column(name: str) -> Column:
    return Column(name, K.TEXT, nullable=True, check=_phone)


_DEALERS = TableSchema(
    "dealers",
    (
        Column("id", K.ID),
        _t("name", nullable=False),
        Column("lat", K.FLOAT, field="location.lat", nullable=True, limit=_LAT),
        Column("lon", K.FLOAT, field="location.lon", nullable=True, limit=_LON),
        _t("region"),
        Column("full_after_sales", K.BOOL),
    ),
    "Dealer",
)

_CUSTOMERS = TableSchema(
    "customers",
    (
        Column("id", K.ID),
        Column("kind", K.CATEGORY, enum=CustomerKind),
        _t("name", nullable=False),
        Column("gender", K.CATEGORY, enum=Gender),
        Column(
            "national_id",
            K.TEXT,
            nullable=True,
            check=national_id.validate,
            check_array=national_id.is_valid_array,
        ),
        _t("occupation"),
        Column("birthday", K.DATE, nullable=True),
        _t("home_address"),
        Column("home_postcode", K.TEXT, nullable=True, check=_postcode),
        Column("home_lat", K.FLOAT, field="home_location.lat", nullable=True, limit=_LAT),
        Column("home_lon", K.FLOAT, field="home_location.lon", nullable=True, limit=_LON),
        _t("work_address"),
        Column("work_postcode", K.TEXT, nullable=True, check=_postcode),
        _phone_column("mobile"),
        _phone_column("home_phone"),
        _phone_column("office_phone"),
        Column("email", K.TEXT, nullable=True, check=_email, max_length=_EMAIL_MAX),
        _phone_column("fax"),
        _t("income_band"),
        Column("hobbies", K.TEXTS),
        _t("family_notes"),
    ),
    "Customer",
)

_CONSENTS = TableSchema(
    "consents",
    (
        Column("customer", K.REF, field="customer_id", target="customers"),
        Column("purpose", K.CATEGORY, enum=ConsentPurpose),
        Column("channel", K.CATEGORY, enum=ContactChannel),
        Column("granted", K.BOOL),
        Column("at", K.INSTANT),
    ),
    "ConsentChanged",
)

_VEHICLES = TableSchema(
    "vehicles",
    (
        Column(
            "vin",
            K.ID,
            check=vin.validate,
            check_array=vin.is_valid_array,
        ),
        Column("plate", K.TEXT, nullable=True, check=plate.validate),
        Column("model", K.LABEL, max_length=_SHORT_TEXT),
        Column("body_type", K.CATEGORY, nullable=True, enum=BodyType),
        _t("colour", max_length=_SHORT_TEXT),
        Column("fuel", K.CATEGORY, enum=FuelType),
        Column("purchase_date", K.DATE, nullable=True),
        Column("sold_here", K.BOOL),
        Column(
            "selling_dealer",
            K.REF,
            field="selling_dealer_id",
            nullable=True,
            target="dealers",
        ),
        Column("first_visit_date", K.DATE, nullable=True),
        Column("first_visit_mileage", K.INT, nullable=True),
    ),
    "Vehicle",
)

_OWNERSHIPS = TableSchema(
    "ownerships",
    (
        Column("id", K.ID),
        Column("customer", K.REF, field="customer_id", target="customers"),
        Column("vehicle", K.REF, field="vin", target="vehicles"),
        Column("start", K.DATE),
        Column("end", K.DATE, nullable=True),
    ),
    "Ownership",
)

_ORDERS = TableSchema(
    "orders",
    (
        Column("id", K.ID),
        Column("dealer", K.REF, field="dealer_id", target="dealers"),
        Column("vehicle", K.REF, field="vin", target="vehicles"),
        Column("customer", K.REF, field="customer_id", target="customers"),
        Column("advisor", K.TEXT, nullable=True, check=_id, max_length=_ID_MAX),
        Column("opened_at", K.INSTANT),
        Column("closed_at", K.INSTANT, nullable=True),
        Column("promised_at", K.INSTANT, nullable=True),
        Column("mileage", K.INT),
        Column("by_appointment", K.BOOL),
        Column("comeback", K.REF, field="comeback_of", nullable=True, target="orders"),
    ),
    "RepairOrder",
)

_LINES = TableSchema(
    "lines",
    (
        Column("order", K.REF, field="order_id", target="orders"),
        Column("kind", K.CATEGORY, enum=ServiceKind),
        Column("pay", K.CATEGORY, enum=PayType),
        Column("labour_fen", K.MONEY, field="labour"),
        Column("parts_fen", K.MONEY, field="parts"),
        _t("description", max_length=_SHORT_TEXT),
    ),
    "RepairLine",
)

SCHEMAS: Final[Mapping[str, TableSchema]] = MappingProxyType(
    {
        schema.name: schema
        for schema in (
            _DEALERS,
            _CUSTOMERS,
            _CONSENTS,
            _VEHICLES,
            _OWNERSHIPS,
            _ORDERS,
            _LINES,
        )
    }
)
"""Every table's schema by name, in the order tables are built (targets before references).

Examples:
    >>> list(SCHEMAS)
    ['dealers', 'customers', 'consents', 'vehicles', 'ownerships', 'orders', 'lines']
"""
