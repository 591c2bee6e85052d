"""Checks of function arguments: a mistyped argument is named, with what was given.

One place for the rules every public function shares, so ``as_of`` means the same in
features, segmentation and loyalty. Each check returns the value in its canonical form or
raises [`InvalidValue`][aftersales_crm.errors.InvalidValue] with code ``"invalid_argument"``
naming the parameter, the value and its type.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import math
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final, TypeGuard, TypeVar

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import EARLIEST_DATE, EARLIEST_INSTANT, LATEST_DATE, LATEST_INSTANT

__all__ = [
    "ARGUMENT_CODE",
    "as_of_date",
    "as_of_instant",
    "date_array",
    "flag",
    "instant_array",
    "is_number",
    "is_whole",
    "language",
    "member",
    "number_array",
    "positions",
    "real_number",
    "to_time_zone",
    "tuple_of",
    "whole_array",
    "whole_number",
]

_INT64_MAX: Final = 2**63 - 1
"""The largest whole number an argument may be: every count the library keeps is int64."""

E = TypeVar("E", bound=enum.Enum)

ARGUMENT_CODE: Final = "invalid_argument"
"""Error code of an argument of the wrong type or out of range."""


def is_number(value: object) -> TypeGuard[int | float | np.integer[Any] | np.floating[Any]]:
    """A real, finite number: not a bool, not NaN or infinite, not too large for a float.

    Examples:
        >>> is_number(3), is_number(2.5), is_number(True), is_number(math.nan), is_number("3")
        (True, True, False, False, False)
    """
    if isinstance(value, bool | np.bool_):
        return False
    if not isinstance(value, int | float | np.integer | np.floating):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def is_whole(value: object) -> TypeGuard[int | np.integer[Any]]:
    """A whole number: a Python or numpy integer, not a bool and not a float such as ``6.0``.

    Examples:
        >>> is_whole(6), is_whole(np.int16(6)), is_whole(6.0), is_whole(True)
        (True, True, False, False)
    """
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _given(value: object) -> str:
    return f"{_short(value)} ({type(value).__name__})"


def _short(value: object) -> str:
    """``repr(value)``, cut to 80 characters (an argument may be a whole column)."""
    if isinstance(value, int) and value.bit_length() > _SHORT_BITS:
        return f"an int of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= _SHORT_CHARS else text[: _SHORT_CHARS - 1] + "…"


_SHORT_BITS: Final = 256
_SHORT_CHARS: Final = 80


def as_of_date(value: object, *, parameter: str = "as_of") -> date:
    """``value`` as a date: a ``datetime.date`` that is not a datetime, or ISO text.

    A datetime is refused rather than cut to its date: which date an instant falls on
    depends on the time zone. The day must lie in
    [`EARLIEST_DATE`][aftersales_crm.values.EARLIEST_DATE] … [`LATEST_DATE`][aftersales_crm.values.LATEST_DATE],
    the dates records and tables hold, so that every kernel's calendar arithmetic stays
    inside what ``datetime.date`` and ``datetime64`` represent.

    Raises:
        InvalidValue: anything else, naming ``parameter`` and what was given; code
            ``"invalid_argument"``, or ``"date_range"`` for a day out of range.

    Examples:
        >>> as_of_date("2026-06-30")
        datetime.date(2026, 6, 30)
        >>> as_of_date(datetime(2026, 6, 30, 12, 0))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: as_of is datetime.datetime(2026, 6, 30, 12, 0) (datetime), expected a datetime.date that is not a datetime, or an ISO date string such as '2026-06-30'
        >>> as_of_date("9999-12-31")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: as_of is 9999-12-31, outside the dates the library handles, 1900-01-01 to 2199-12-31
    """
    day: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and len(value) <= _ISO_TEXT_MAX:
        with contextlib.suppress(ValueError):  # not ISO: refused below, naming the text
            day = date.fromisoformat(value)
    if day is None:
        msg = (
            f"{parameter} is {_given(value)}, expected a datetime.date that is not a datetime,"
            " or an ISO date string such as '2026-06-30'"
        )
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        msg = (
            f"{parameter} is {day.isoformat()}, outside the dates the library handles, "
            f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
        )
        raise InvalidValue(msg, code="date_range")
    return day


_ISO_TEXT_MAX: Final = 40
"""The longest text read as an ISO date or instant (longer text is refused unread)."""


def as_of_instant(value: object, *, parameter: str = "as_of") -> datetime:
    """``value`` as a timezone-aware datetime in the instants the library handles.

    A naive datetime is refused: which moment it names depends on a time zone. The instant
    must lie from [`EARLIEST_INSTANT`][aftersales_crm.values.EARLIEST_INSTANT] up to (excluded)
    [`LATEST_INSTANT`][aftersales_crm.values.LATEST_INSTANT].

    Raises:
        InvalidValue: not an aware datetime (code ``"as_of"``), or out of range (code
            ``"instant_range"``), naming ``parameter`` and what was given.

    Examples:
        >>> from datetime import timezone
        >>> as_of_instant(datetime(2026, 6, 30, tzinfo=timezone.utc))
        datetime.datetime(2026, 6, 30, 0, 0, tzinfo=datetime.timezone.utc)
        >>> as_of_instant(datetime(1, 1, 1, tzinfo=timezone.utc))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: as_of is 0001-01-01T00:00:00+00:00, outside the instants the library handles, from 1900-01-01T00:00:00+00:00 up to 2200-01-01T00:00:00+00:00 (excluded)
    """
    if not isinstance(value, datetime):
        msg = f"{parameter} is {_given(value)}, expected a timezone-aware datetime"
        raise InvalidValue(msg, code="as_of")
    if value.utcoffset() is None:
        msg = f"{parameter} is {value!r}, which has no time zone; give a timezone-aware datetime"
        raise InvalidValue(msg, code="as_of")
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        msg = (
            f"{parameter} is {value.isoformat()}, outside the instants the library handles, "
            f"from {EARLIEST_INSTANT.isoformat()} up to {LATEST_INSTANT.isoformat()} (excluded)"
        )
        raise InvalidValue(msg, code="instant_range")
    return value


def whole_number(value: object, *, parameter: str, minimum: int, maximum: int = _INT64_MAX) -> int:
    """``value`` as an int from ``minimum`` to ``maximum`` (bools are not numbers here).

    The maximum defaults to the largest int64: no count the library keeps is larger.

    Raises:
        InvalidValue: not a whole number, or out of range.

    Examples:
        >>> whole_number(np.int64(3), parameter="threads", minimum=1)
        3
        >>> whole_number(0, parameter="threads", minimum=1)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: threads is 0 (int), expected a whole number >= 1
    """
    if is_whole(value) and minimum <= value <= maximum:
        return int(value)
    bound = f">= {minimum}" if maximum == _INT64_MAX else f"from {minimum} to {maximum}"
    msg = f"{parameter} is {_given(value)}, expected a whole number {bound}"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def real_number(value: object, *, parameter: str, minimum: float, above: bool = False) -> float:
    """``value`` as a finite float of at least ``minimum`` (greater, when ``above``).

    Raises:
        InvalidValue: not a finite real number, or out of range.

    Examples:
        >>> real_number(12, parameter="km", minimum=0, above=True)
        12.0
        >>> real_number("12", parameter="km", minimum=0)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: km is '12' (str), expected a finite number >= 0
    """
    bound = f"> {minimum:g}" if above else f">= {minimum:g}"
    if is_number(value):
        number = float(value)
        if number > minimum if above else number >= minimum:
            return number
    msg = f"{parameter} is {_given(value)}, expected a finite number {bound}"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def to_time_zone(value: object, *, parameter: str = "time_zone") -> dt.tzinfo:
    """A time zone from an IANA name (``"Asia/Shanghai"``) or a ``tzinfo``.

    Args:
        value: the IANA name, or a tzinfo such as ``datetime.UTC``.
        parameter: the name of the argument, for the error message.

    Returns:
        The zone.

    Raises:
        InvalidValue: ``value`` is not a known IANA name nor a tzinfo.

    Examples:
        >>> to_time_zone("Asia/Shanghai")
        zoneinfo.ZoneInfo(key='Asia/Shanghai')
        >>> to_time_zone("Asia/Shangai")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: time_zone is 'Asia/Shangai', not a known IANA time zone ...
    """
    if isinstance(value, dt.tzinfo):
        return value
    if isinstance(value, str):
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
        msg = (
            f"{parameter} is {value!r}, not a known IANA time zone (such as 'Asia/Shanghai');"
            " the zone rules come from the system or the tzdata package"
        )
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    msg = f"{parameter} is {value!r} ({type(value).__name__}), expected an IANA time zone name or a datetime.tzinfo"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def tuple_of(values: object, *, parameter: str) -> tuple[Any, ...]:
    """``values`` as a tuple: any iterable but text, bytes or a mapping.

    Raises:
        InvalidValue: ``values`` is not such an iterable.

    Examples:
        >>> tuple_of(["a", "b"], parameter="names")
        ('a', 'b')
        >>> tuple_of(None, parameter="names")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: names is None (NoneType), expected a list or tuple
    """
    if isinstance(values, Iterable) and not isinstance(values, str | bytes | dict):
        return tuple(values)
    msg = f"{parameter} is {_given(values)}, expected a list or tuple"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def member(kind: type[E], value: object, *, parameter: str) -> E:
    """``value`` as a member of the enum ``kind``: a member or a member's value.

    Raises:
        InvalidValue: ``value`` is neither, naming the values allowed.

    Examples:
        >>> class Colour(enum.Enum):
        ...     RED = "red"
        >>> member(Colour, "red", parameter="colour")
        <Colour.RED: 'red'>
        >>> member(Colour, None, parameter="colour")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: colour is None (NoneType), expected one of 'red'
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in kind)
        msg = f"{parameter} is {_given(value)}, expected one of {allowed}"
        raise InvalidValue(msg, code=ARGUMENT_CODE) from None


def _array(value: object, *, parameter: str, dtype: str, expected: str) -> NDArray[Any]:
    """``value`` as a numpy array of ``dtype`` with at least one dimension, or our error.

    Object arrays are read item by item only when every item is of a kind the dtype takes
    (numbers for numbers; dates, datetimes, ISO text and None for dates), so a Decimal of
    a billion digits is refused before numpy tries to convert it.
    """

    def failure(why: str = "") -> InvalidValue:
        # Written only on failure: the repr of a large array is not free.
        msg = f"{parameter} is {_given(value)}, expected {expected}{why}"
        return InvalidValue(msg, code=ARGUMENT_CODE)

    if isinstance(value, str | bytes | dict | set) or value is None:
        raise failure()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise failure() from None
    if array.ndim == 0:
        raise failure(" (one value per row)")
    if array.dtype.kind == "b":
        raise failure(" (booleans are not numbers or dates)")
    if array.dtype == object:
        kinds = _DATE_ITEMS if dtype.startswith("datetime64") else _NUMBER_ITEMS
        if not all(
            isinstance(item, kinds) and not isinstance(item, bool | np.bool_) for item in array.flat
        ):
            raise failure()
    try:
        with np.errstate(invalid="raise", over="raise"):
            return array.astype(dtype, copy=False)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        raise failure() from None


_NUMBER_ITEMS: Final = (int, float, np.integer, np.floating)
"""What an object array of numbers may hold."""

_DATE_ITEMS: Final = (str, date, np.datetime64, type(None))
"""What an object array of dates or instants may hold (None for none)."""


def number_array(value: object, *, parameter: str, dtype: str = "float64") -> NDArray[Any]:
    """``value`` as a numeric array of ``dtype`` (``"float64"`` or ``"int64"``), one per row.

    Raises:
        InvalidValue: not numbers (text, booleans, None alone, values beyond the dtype).

    Examples:
        >>> number_array([1, 2.5], parameter="km_per_day").tolist()
        [1.0, 2.5]
        >>> number_array([10**30], parameter="group", dtype="int64")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: group is [1000000000000000000000000000000] (list), expected an array of int64 numbers
    """
    return _array(value, parameter=parameter, dtype=dtype, expected=f"an array of {dtype} numbers")


def whole_array(value: object, *, parameter: str) -> NDArray[np.int64]:
    """``value`` as int64 whole numbers: one whole number for all rows, or one per row.

    Unlike ``number_array(..., dtype="int64")``, a number with a fraction is refused, not
    cut to its whole part.

    Raises:
        InvalidValue: not whole numbers (``1.5``, NaN, text, booleans).

    Examples:
        >>> whole_array(3, parameter="n").tolist(), whole_array([1, -2.0], parameter="n").tolist()
        ([3], [1, -2])
        >>> whole_array([1.5], parameter="n")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: n holds 1.5, expected whole numbers
    """
    if is_whole(value):
        value = [value]
    numbers = number_array(value, parameter=parameter, dtype="float64")
    bad = numbers[(numbers != np.round(numbers)) | (np.abs(numbers) > _EXACT_FLOAT)]
    if len(bad):
        msg = f"{parameter} holds {float(bad[0])!r}, expected whole numbers"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return numbers.astype(np.int64)


_EXACT_FLOAT: Final = 2**53
"""The largest whole number a float64 holds exactly: beyond it whole_array refuses."""


def date_array(
    value: object, *, parameter: str, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE
) -> NDArray[np.datetime64]:
    """``value`` as ``datetime64[D]`` dates from ``earliest`` to ``latest`` (NaT for none).

    By default the library's range; a calendar kernel may allow all of ``datetime.date``.

    Raises:
        InvalidValue: not dates, or a date outside
            [`EARLIEST_DATE`][aftersales_crm.values.EARLIEST_DATE] …
            [`LATEST_DATE`][aftersales_crm.values.LATEST_DATE] (code ``"date_range"``).

    Examples:
        >>> date_array(["2026-01-31", "NaT"], parameter="days").tolist()
        [datetime.date(2026, 1, 31), None]
        >>> date_array(["0001-01-01"], parameter="days")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: days holds 0001-01-01, outside the dates the library handles, 1900-01-01 to 2199-12-31
    """
    days = _array(value, parameter=parameter, dtype="datetime64[D]", expected="an array of dates")
    _in_range(days, np.datetime64(earliest, "D"), np.datetime64(latest, "D"), parameter)
    return days


def instant_array(value: object, *, parameter: str) -> NDArray[np.datetime64]:
    """``value`` as ``datetime64[us]`` UTC instants in the library's range (NaT for none).

    Raises:
        InvalidValue: not instants, or one outside
            [`EARLIEST_INSTANT`][aftersales_crm.values.EARLIEST_INSTANT] …
            [`LATEST_INSTANT`][aftersales_crm.values.LATEST_INSTANT] (code ``"instant_range"``).

    Examples:
        >>> instant_array(["2026-01-31T10:00"], parameter="at").dtype
        dtype('<M8[us]')
    """
    moments = _array(
        value, parameter=parameter, dtype="datetime64[us]", expected="an array of instants"
    )
    last = np.datetime64(LATEST_INSTANT.replace(tzinfo=None), "us") - np.timedelta64(1, "us")
    _in_range(moments, np.datetime64(EARLIEST_INSTANT.replace(tzinfo=None), "us"), last, parameter)
    return moments


def _in_range(
    values: NDArray[np.datetime64], low: np.datetime64, high: np.datetime64, parameter: str
) -> None:
    known = values[~np.isnat(values)]
    if not len(known):
        return
    for extreme in (known.min(), known.max()):
        if not low <= extreme <= high:
            what = "dates" if values.dtype == np.dtype("datetime64[D]") else "instants"
            msg = (
                f"{parameter} holds {extreme}, outside the {what} the library handles, "
                f"{low} to {high}"
            )
            raise InvalidValue(msg, code=f"{what[:-1]}_range")


def positions(rows: object, length: int, *, parameter: str = "rows") -> NDArray[np.intp]:
    """``rows`` as positions into a table of ``length`` rows: whole numbers 0 to length - 1.

    Numpy's negative positions and boolean masks are not positions here.

    Raises:
        InvalidValue: ``rows`` is not such an array.

    Examples:
        >>> positions([2, 0], 3).tolist()
        [2, 0]
        >>> positions([3], 3)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: rows holds 3, not a row of a table of 3 rows (0 to 2)
    """
    found = number_array(rows, parameter=parameter, dtype="int64")
    if found.ndim != 1:
        msg = f"{parameter} has shape {found.shape}, expected one position per row"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if len(found):
        for extreme in (int(found.min()), int(found.max())):
            if not 0 <= extreme < length:
                msg = (
                    f"{parameter} holds {extreme}, not a row of a table of {length} rows "
                    f"(0 to {length - 1})"
                )
                raise InvalidValue(msg, code=ARGUMENT_CODE)
    return found.astype(np.intp, copy=False)


def flag(value: object, *, parameter: str) -> bool:
    """``value`` if it is True or False (numpy's booleans too); numbers are not flags here.

    Raises:
        InvalidValue: anything else.

    Examples:
        >>> flag(False, parameter="material")
        False
        >>> flag(1, parameter="material")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: material is 1 (int), expected True or False
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    msg = f"{parameter} is {_given(value)}, expected True or False"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def language(value: object, *, parameter: str = "lang") -> str:
    """``value`` if it is a language labels come in: ``"en"`` or ``"zh"``.

    Raises:
        InvalidValue: anything else.

    Examples:
        >>> language("zh")
        'zh'
        >>> language("fr")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: lang is 'fr' (str), expected 'en' or 'zh'
    """
    if isinstance(value, str) and value in ("en", "zh"):
        return value
    msg = f"{parameter} is {_given(value)}, expected 'en' or 'zh'"
    raise InvalidValue(msg, code=ARGUMENT_CODE)
