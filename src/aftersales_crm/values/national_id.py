"""Chinese resident identity number (居民身份证号码, GB 11643).

Eighteen characters: a six-digit administrative region code (province, city, county),
the birth date as ``YYYYMMDD``, a three-digit sequence number whose parity gives the
holder's sex (odd for men, even for women), and a check character computed with ISO 7064
MOD 11-2 (``X`` stands for 10). Since 2018 the residence permits of Hong Kong, Macau and
Taiwan residents use the same format with the region prefixes 81, 82 and 83.

What is checked: length, characters, the check character, that the birth date is a real
date, and that the first two digits are a province-level code (the table
:data:`PROVINCES`). The full six-digit region code is *not* checked against a list, since
counties are renamed and merged and real numbers carry codes newer than their holder's
birth. The library reads no clock: a birth date in the future is rejected only when
``as_of`` is given.

References:
    GB 11643-1999, 公民身份号码 (citizen identification number).
    ISO/IEC 7064:2003, Check character systems (MOD 11-2).
    GB/T 2260, 中华人民共和国行政区划代码 (province-level codes).

Examples:
    >>> validate("11010519491231002x")
    '11010519491231002X'
    >>> birth_date("11010519491231002X"), gender("11010519491231002X")
    (datetime.date(1949, 12, 31), 'female')
    >>> validate("11010119900307447X")
    Traceback (most recent call last):
    ...
    aftersales_crm.errors.InvalidChecksum: national ID check digit is X, expected 7
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal

from aftersales_crm.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    InvalidValue,
)
from aftersales_crm.values._identifier import normalise

__all__ = [
    "LENGTH",
    "PROVINCES",
    "WEIGHTS",
    "birth_date",
    "calc_check_digit",
    "compact",
    "format",
    "gender",
    "is_valid",
    "mask",
    "validate",
]

LENGTH: Final = 18
"""A resident identity number has 18 characters."""

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""ISO 7064 MOD 11-2 weights of the first 17 digits: 2^(18 - i) mod 11."""

PROVINCES: Final = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83"}
)  # fmt: skip
"""Province-level region prefixes (GB/T 2260), with 81/82/83 for Hong Kong, Macau and
Taiwan residence permits (2018)."""

_CHECK_CHARS: Final = "10X98765432"
_PATTERN: Final = re.compile(r"\d{17}[\dX]")
_BIRTH: Final = slice(6, 14)
_SEQUENCE_PARITY: Final = 16
_VISIBLE_REGION: Final = 6


def compact(number: str) -> str:
    """Normalise: NFKC (full-width digits to ASCII), drop spaces and hyphens, upper-case x.

    Args:
        number: the number as typed.

    Returns:
        The compact form; not validated.

    Raises:
        InvalidFormat: the input is not a str.

    Examples:
        >>> compact("110105 19491231 002x")
        '11010519491231002X'
    """
    return normalise(number, what="national_id")


def calc_check_digit(number: str) -> str:
    """Compute the check character from the first 17 digits (ISO 7064 MOD 11-2).

    Args:
        number: at least the first 17 digits of the number.

    Returns:
        ``"0"``–``"9"`` or ``"X"``.

    Raises:
        InvalidFormat: the first 17 characters are not all digits.

    Examples:
        >>> calc_check_digit("11010519491231002")
        'X'
    """
    digits = compact(number)[:17]
    if len(digits) != LENGTH - 1 or not digits.isdigit():
        msg = f"national ID needs 17 leading digits, got {digits!r}"
        raise InvalidFormat(msg, code="national_id_format")
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11]


def _birth(number: str) -> date:
    text = number[_BIRTH]
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        msg = f"national ID birth date {text} is not a real date"
        raise InvalidComponent(msg, code="national_id_birth_date") from None


def validate(number: str, *, as_of: date | None = None) -> str:
    """Check a resident identity number and return its canonical form.

    Args:
        number: the number as typed.
        as_of: when given, a birth date after this day is rejected.

    Returns:
        The 18-character number with an upper-case ``X``.

    Raises:
        InvalidFormat: not a str or not digits (``national_id_format``).
        InvalidLength: not 18 characters (``national_id_length``).
        InvalidComponent: unknown province (``national_id_region``), impossible birth
            date (``national_id_birth_date``) or one after ``as_of``
            (``national_id_future_birth``).
        InvalidChecksum: wrong check character (``national_id_checksum``).

    Examples:
        >>> validate("440524188001010014")
        '440524188001010014'
        >>> validate("110105194902300020")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: national ID birth date 19490230 is not a real date
    """
    number = compact(number)
    if len(number) != LENGTH:
        msg = f"national ID has {len(number)} characters, expected {LENGTH}"
        raise InvalidLength(msg, code="national_id_length")
    if not _PATTERN.fullmatch(number):
        msg = "national ID is 17 digits and a check character 0-9 or X"
        raise InvalidFormat(msg, code="national_id_format")
    if number[:2] not in PROVINCES:
        msg = f"national ID region {number[:6]} starts with {number[:2]}, not a province-level code"
        raise InvalidComponent(msg, code="national_id_region")
    born = _birth(number)
    if as_of is not None and born > as_of:
        msg = f"national ID birth date {born.isoformat()} is after {as_of.isoformat()}"
        raise InvalidComponent(msg, code="national_id_future_birth")
    expected = calc_check_digit(number)
    if number[-1] != expected:
        msg = f"national ID check digit is {number[-1]}, expected {expected}"
        raise InvalidChecksum(msg, code="national_id_checksum")
    return number


def is_valid(number: object, *, as_of: date | None = None) -> bool:
    """Tell whether a value is a valid resident identity number; never raises.

    Args:
        number: anything.
        as_of: as for :func:`validate`.

    Returns:
        True when :func:`validate` would accept it.

    Examples:
        >>> is_valid("11010519491231002X"), is_valid(18), is_valid("")
        (True, False, False)
    """
    try:
        validate(number, as_of=as_of)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def birth_date(number: str) -> date:
    """Return the holder's birth date.

    Args:
        number: a valid number.

    Returns:
        The birth date encoded in positions 7–14.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> birth_date("110101199003074477")
        datetime.date(1990, 3, 7)
    """
    return _birth(validate(number))


def gender(number: str) -> Literal["male", "female"]:
    """Return the holder's sex from the parity of the sequence number.

    Args:
        number: a valid number.

    Returns:
        ``"male"`` (odd) or ``"female"`` (even); the values of
        :class:`~aftersales_crm.values.Gender`.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> gender("110101199003074477")
        'male'
    """
    return "male" if int(validate(number)[_SEQUENCE_PARITY]) % 2 else "female"


def format(number: str) -> str:
    """Return the display form: region, birth date and sequence separated by spaces.

    Args:
        number: a valid number.

    Returns:
        ``"110105 19491231 002X"``.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> format("11010519491231002x")
        '110105 19491231 002X'
    """
    number = validate(number)
    return f"{number[:6]} {number[6:14]} {number[14:]}"


def mask(number: str) -> str:
    """Mask a number for display, keeping the region code and the check character.

    Args:
        number: a valid number.

    Returns:
        The region, eleven asterisks and the check character.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> mask("11010519491231002X")
        '110105***********X'
    """
    number = validate(number)
    return number[:_VISIBLE_REGION] + "*" * (LENGTH - _VISIBLE_REGION - 1) + number[-1]
