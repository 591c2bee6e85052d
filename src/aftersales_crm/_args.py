"""Checks of function arguments: a mistyped argument is named, with what was given.

One place for the rules every public function shares, so ``as_of`` means the same in
features, segmentation and loyalty. Each check returns the value in its canonical form or
raises :class:`~aftersales_crm.errors.InvalidValue` with code ``"invalid_argument"``
naming the parameter, the value and its type.
"""

from __future__ import annotations

import contextlib
import math
from datetime import date, datetime
from typing import Any, Final, TypeGuard

import numpy as np

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import EARLIEST_DATE, EARLIEST_INSTANT, LATEST_DATE, LATEST_INSTANT

__all__ = [
    "ARGUMENT_CODE",
    "as_of_date",
    "as_of_instant",
    "is_number",
    "is_whole",
    "real_number",
    "whole_number",
]

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
    return f"{value!r} ({type(value).__name__})"


def as_of_date(value: object, *, parameter: str = "as_of") -> date:
    """``value`` as a date: a :class:`datetime.date` that is not a datetime, or ISO text.

    A datetime is refused rather than cut to its date: which date an instant falls on
    depends on the time zone. The day must lie in
    :data:`~aftersales_crm.values.EARLIEST_DATE` … :data:`~aftersales_crm.values.LATEST_DATE`,
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
    must lie from :data:`~aftersales_crm.values.EARLIEST_INSTANT` up to (excluded)
    :data:`~aftersales_crm.values.LATEST_INSTANT`.

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


def whole_number(value: object, *, parameter: str, minimum: int) -> int:
    """``value`` as an int of at least ``minimum`` (bools are not numbers here).

    Raises:
        InvalidValue: not a whole number, or below ``minimum``.

    Examples:
        >>> whole_number(np.int64(3), parameter="threads", minimum=1)
        3
        >>> whole_number(0, parameter="threads", minimum=1)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: threads is 0 (int), expected a whole number >= 1
    """
    if is_whole(value) and value >= minimum:
        return int(value)
    msg = f"{parameter} is {_given(value)}, expected a whole number >= {minimum}"
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
