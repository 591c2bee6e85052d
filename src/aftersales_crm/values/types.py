"""Field types for pydantic models: identifiers, amounts, dates and instants, with our codes.

Each identifier alias validates with its module's ``validate`` and stores the canonical
form. A failure becomes a pydantic error whose ``type`` is our stable code
(``vin_checksum``, ``national_id_birth_date``, ``phone_invalid``, …), whose message names
the rule and the values, and whose ``loc`` names the field.

The published JSON schema gives the *canonical* form's pattern; validation is more
forgiving (lower case, full-width characters, separators) and normalises.

Numbers, dates and instants are bounded by the limits of
[`values`][aftersales_crm.values] ([`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS],
[`EARLIEST_DATE`][aftersales_crm.values.EARLIEST_DATE] … [`LATEST_DATE`][aftersales_crm.values.LATEST_DATE],
[`EARLIEST_INSTANT`][aftersales_crm.values.EARLIEST_INSTANT] …
[`LATEST_INSTANT`][aftersales_crm.values.LATEST_INSTANT]), so whatever a record holds every kernel
can sum and date without overflowing, and booleans are never taken for numbers.

Examples:
    >>> from pydantic import BaseModel, ValidationError
    >>> class Visit(BaseModel):
    ...     vin: Vin
    ...     mobile: PhoneNumber
    >>> Visit(vin="lsvau218xn2183294", mobile="138 1234 5678")
    Visit(vin='LSVAU218XN2183294', mobile='+8613812345678')
    >>> try:
    ...     Visit(vin="LSVAU2180N2183294", mobile="13812345678")
    ... except ValidationError as err:
    ...     error = err.errors()[0]
    ...     print(error["type"], error["loc"], error["msg"])
    vin_checksum ('vin',) VIN check digit is 0, expected X
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import national_id, phone, plate, vin
from aftersales_crm.values._bounds import (
    EARLIEST_DATE,
    EARLIEST_INSTANT,
    LATEST_DATE,
    LATEST_INSTANT,
    MAX_MINOR_UNITS,
)
from aftersales_crm.values._currencies import currency_exponent
from aftersales_crm.values._money import Money, shifted

__all__ = [
    "Amount",
    "Date",
    "Fen",
    "Instant",
    "NationalId",
    "PhoneNumber",
    "PhoneValidator",
    "Plate",
    "Points",
    "Vin",
]

_E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"  # E.164: + and at most 15 digits


def _reporting(validate: Callable[[str], str]) -> Callable[[str], str]:
    """Wrap a module's ``validate`` so our errors reach pydantic with their codes."""

    def check(value: str) -> str:
        try:
            return validate(value)
        except InvalidValue as err:
            raise PydanticCustomError(err.code, str(err)) from None

    return check


def _exact_integer(value: Any) -> Any:
    """Turn integer-like objects (numpy integers) into int; leave everything else alone.

    Floats, bools and strings pass through unchanged, so the strict ``int`` schema that
    follows rejects them: money and points never go through float.
    """
    if isinstance(value, bool):
        return value
    try:
        return operator.index(value)
    except TypeError:
        return value


Vin = Annotated[
    str,
    AfterValidator(_reporting(vin.validate)),
    Field(
        json_schema_extra={
            "pattern": "^[0-9A-HJ-NPR-Z]{17}$",
            "examples": ["LSVAU218XN2183294"],
        }
    ),
]
"""A VIN (ISO 3779), stored upper-case; see [`vin`][aftersales_crm.values.vin].

The check digit is enforced for North American and Chinese VINs only (the module's
default). Error codes: ``vin_length``, ``vin_format``, ``vin_checksum``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Vin).validate_python(" lsvau218-xn2183294")
    'LSVAU218XN2183294'
"""

NationalId = Annotated[
    str,
    AfterValidator(_reporting(national_id.validate)),
    Field(json_schema_extra={"pattern": "^[0-9]{17}[0-9X]$", "examples": ["11010519491231002X"]}),
]
"""A Chinese resident identity number (GB 11643), stored with an upper-case ``X``.

See [`national_id`][aftersales_crm.values.national_id]; a birth date in the future is not
rejected here, because a field type cannot know the day. Error codes:
``national_id_length``, ``national_id_format``, ``national_id_region``,
``national_id_birth_date``, ``national_id_checksum``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(NationalId).validate_python("11010519491231002x")
    '11010519491231002X'
"""


@dataclass(frozen=True)
class PhoneValidator:
    """``Annotated`` metadata that reads a phone number in a region and stores E.164.

    The region is checked when the metadata is created, so a misspelt region fails when
    the model is defined, not on the first record.

    Attributes:
        region: the ISO 3166 region numbers without a country code belong to.

    Raises:
        InvalidComponent: ``region`` has no numbering plan (``phone_region``).

    Examples:
        >>> from typing import Annotated
        >>> from pydantic import TypeAdapter
        >>> HongKongPhone = Annotated[str, PhoneValidator(region="HK")]
        >>> TypeAdapter(HongKongPhone).validate_python("9123 4567")
        '+85291234567'
    """

    region: str = phone.DEFAULT_REGION

    def __post_init__(self) -> None:
        # Frozen dataclass: store the upper-cased region through object.__setattr__.
        object.__setattr__(self, "region", phone.check_region(self.region))

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        region = self.region

        def validate(value: str) -> str:
            return phone.validate(value, region=region)

        return core_schema.no_info_after_validator_function(_reporting(validate), handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(pattern=_E164_PATTERN, format="phone")
        return json_schema


PhoneNumber = Annotated[str, PhoneValidator()]
"""A phone number read in mainland China by default and stored as E.164.

Use ``Annotated[str, PhoneValidator(region="HK")]`` for another default region. Error
codes: ``phone_format``, ``phone_length``, ``phone_extension``, ``phone_invalid``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(PhoneNumber).validate_python("010-12345678")
    '+861012345678'
"""

Plate = Annotated[
    str,
    AfterValidator(_reporting(plate.validate)),
    Field(
        json_schema_extra={"minLength": 7, "maxLength": 8, "examples": ["京A12345", "粤BD12345"]}
    ),
]
"""A Chinese licence plate in compact form; see [`plate`][aftersales_crm.values.plate].

Error code: ``plate_format``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Plate).validate_python("粤B·D12345")
    '粤BD12345'
"""

Fen = Annotated[int, Field(ge=0, le=MAX_MINOR_UNITS, strict=True), BeforeValidator(_exact_integer)]
"""A non-negative amount of money in minor units (fen for CNY), as tables store it.

Only integers are accepted (numpy integers included); floats, bools and numeric strings
are rejected, because money never goes through binary floating point, and ``True`` is
not one fen. At most [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS].

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Fen).validate_python(12345)
    12345
    >>> TypeAdapter(Fen).validate_python(1.0)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
    >>> TypeAdapter(Fen).validate_python(True)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
"""

Points = Annotated[
    int, Field(ge=0, le=MAX_MINOR_UNITS, strict=True), BeforeValidator(_exact_integer)
]
"""A non-negative whole number of loyalty points; integers only, as for [`Fen`][aftersales_crm.values.types.Fen].

At most [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS], for the same reason: any sum of
ten million balances fits a signed 64-bit integer.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Points).validate_python(500)
    500
"""


def _amount_in_range(money: Money) -> Money:
    """``money`` if it is within [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS] minor units of zero."""
    # Exact comparisons only: abs() and a plain scaleb() would round to the thread's context.
    bound = shifted(Decimal(MAX_MINOR_UNITS), -currency_exponent(money.currency))
    if money.amount.copy_abs() > bound:
        msg = (
            f"{money} is more than the {MAX_MINOR_UNITS:,} minor units a record holds "
            f"({bound:f} {money.currency}; aftersales_crm.values.MAX_MINOR_UNITS)"
        )
        raise PydanticCustomError("money_range", msg)
    return money


Amount = Annotated[Money, AfterValidator(_amount_in_range)]
"""Money as a record holds it: at most [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS] minor
units either side of zero (¥1,000,000,000.00), so ten million amounts sum inside int64.

Error code: ``money_range``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Amount).validate_python(Money.parse("¥1,234.50"))
    Money('1234.50', 'CNY')
    >>> TypeAdapter(Amount).validate_python(Money.parse("¥100000000000"))
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
"""


def _date_in_range(day: dt.date) -> dt.date:
    """``day`` if it lies in ``EARLIEST_DATE .. LATEST_DATE``."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        msg = (
            f"{day.isoformat()} is outside the dates a record holds, "
            f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
        )
        raise PydanticCustomError("date_range", msg)
    return day


def _instant_in_range(moment: dt.datetime) -> dt.datetime:
    """``moment`` if it lies in ``EARLIEST_INSTANT`` (inclusive) .. ``LATEST_INSTANT``."""
    if not EARLIEST_INSTANT <= moment < LATEST_INSTANT:
        msg = (
            f"{moment.isoformat()} is outside the instants a record holds, from "
            f"{EARLIEST_INSTANT.isoformat()} up to {LATEST_INSTANT.isoformat()} (excluded)"
        )
        raise PydanticCustomError("instant_range", msg)
    return moment


Date = Annotated[dt.date, AfterValidator(_date_in_range)]
"""A business date of a record (a visit, a birthday, a purchase), bounded.

From [`EARLIEST_DATE`][aftersales_crm.values.EARLIEST_DATE] to
[`LATEST_DATE`][aftersales_crm.values.LATEST_DATE], so every kernel's calendar arithmetic stays
inside what ``datetime.date`` and ``datetime64`` represent. Error code: ``date_range``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Date).validate_python("2026-03-05")
    datetime.date(2026, 3, 5)
    >>> TypeAdapter(Date).validate_python("0001-01-01")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
"""

Instant = Annotated[AwareDatetime, AfterValidator(_instant_in_range)]
"""A moment of a record (a contact, a repair order opening), timezone-aware and bounded.

From [`EARLIEST_INSTANT`][aftersales_crm.values.EARLIEST_INSTANT] up to (excluded)
[`LATEST_INSTANT`][aftersales_crm.values.LATEST_INSTANT]. A naive datetime is refused, because which
moment it names depends on a time zone. Error code: ``instant_range``.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Instant).validate_python("2026-03-05T10:00:00+08:00")
    datetime.datetime(2026, 3, 5, 10, 0, tzinfo=TzInfo(28800))
    >>> TypeAdapter(Instant).validate_python("9999-12-31T23:00:00Z")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
"""
