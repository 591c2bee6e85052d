"""Chinese resident identity number (公民身份号码, GB 11643).

Eighteen characters, in four parts:

* a six-digit administrative region code (GB/T 2260): province, city, county;
* the birth date as ``YYYYMMDD``;
* a three-digit sequence number, odd for men and even for women;
* a check character computed with ISO 7064 MOD 11-2 over the first 17 digits: with the
  weights [`WEIGHTS`][aftersales_crm.values.national_id.WEIGHTS], the check value is ``(12 - sum mod 11) mod 11``, and a value
  of 10 is written ``X``.

Since 2018 the residence permits of Hong Kong, Macau and Taiwan residents
(港澳台居民居住证) use the same format with region prefixes 81, 82 and 83.

What [`validate`][aftersales_crm.values.national_id.validate] checks: the length, the characters, the check character, that the
birth date is a real calendar date, and that the first two digits are a province-level code
([`PROVINCES`][aftersales_crm.values.national_id.PROVINCES]). The full six-digit region code is deliberately *not* looked up:
counties are created, renamed and merged, and real numbers carry region codes newer than
their holder's birth (the standard's own example, ``440524188001010014``, does). The
library reads no clock, so a birth date in the future is rejected only when the caller
passes ``as_of``. First-generation 15-digit numbers (withdrawn in 2013) are not accepted.

Input is normalised with NFKC (full-width digits become ASCII), spaces and hyphens are
removed and a lower-case ``x`` is upper-cased.

For whole table columns, [`check_digits`][aftersales_crm.values.national_id.check_digits] and [`is_valid_array`][aftersales_crm.values.national_id.is_valid_array] apply the same
rules to a numpy array at once, without a Python call per row.

References:
    GB 11643-1999, 公民身份号码 (citizen identification number).
    ISO/IEC 7064:2003, Information technology — Security techniques — Check character
    systems (MOD 11-2).
    GB/T 2260-2007, 中华人民共和国行政区划代码 (administrative division codes).
    国务院办公厅, 港澳台居民居住证申领发放办法 (2018): prefixes 81, 82, 83.

Examples:
    >>> validate("11010519491231002x")
    '11010519491231002X'
    >>> birth_date("11010519491231002X"), gender("11010519491231002X")
    (datetime.date(1949, 12, 31), 'female')
    >>> validate("11010119900307447X")
    Traceback (most recent call last):
    ...
    aftersales_crm.errors.InvalidChecksum: national ID check digit is X, expected 7
    >>> is_valid_array(["11010519491231002X", "11010519491231002x", "110101199003074470"])
    array([ True, False, False])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import MINYEAR, date, datetime
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    InvalidValue,
)
from aftersales_crm.values._identifier import (
    ASCII,
    as_column,
    ascii_rows,
    normalise,
    shown,
    unexpected_characters,
)

__all__ = [
    "LENGTH",
    "PROVINCES",
    "WEIGHTS",
    "birth_date",
    "calc_check_digit",
    "check_digits",
    "compact",
    "format",
    "gender",
    "is_valid",
    "is_valid_array",
    "mask",
    "validate",
]

LENGTH: Final = 18
"""A resident identity number has 18 characters (GB 11643 section 4)."""

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""ISO 7064 MOD 11-2 weights of the first 17 digits: ``2 ** (17 - i) % 11`` for i = 0..16."""

PROVINCES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "11": "北京市",
        "12": "天津市",
        "13": "河北省",
        "14": "山西省",
        "15": "内蒙古自治区",
        "21": "辽宁省",
        "22": "吉林省",
        "23": "黑龙江省",
        "31": "上海市",
        "32": "江苏省",
        "33": "浙江省",
        "34": "安徽省",
        "35": "福建省",
        "36": "江西省",
        "37": "山东省",
        "41": "河南省",
        "42": "湖北省",
        "43": "湖南省",
        "44": "广东省",
        "45": "广西壮族自治区",
        "46": "海南省",
        "50": "重庆市",
        "51": "四川省",
        "52": "贵州省",
        "53": "云南省",
        "54": "西藏自治区",
        "61": "陕西省",
        "62": "甘肃省",
        "63": "青海省",
        "64": "宁夏回族自治区",
        "65": "新疆维吾尔自治区",
        "71": "台湾省",
        "81": "香港特别行政区居民",
        "82": "澳门特别行政区居民",
        "83": "台湾地区居民",
    }
)
"""Province-level region prefixes and their names: the first two digits of every number.

GB/T 2260 assigns 11–15 (North China), 21–23 (North-East), 31–37 (East), 41–46
(Central-South), 50–54 (South-West), 61–65 (North-West) and 71 (Taiwan); the 2018
residence permits add 81 (Hong Kong), 82 (Macau) and 83 (Taiwan) residents.
"""

_MODULUS: Final = 11
_CHECK_OFFSET: Final = 12  # check value = (12 - sum mod 11) mod 11, ISO 7064 MOD 11-2
_TEN: Final = 10  # the check value written as X
_PROVINCE: Final = slice(0, 2)
_REGION: Final = slice(0, 6)
_BIRTH: Final = slice(6, 14)
_SEX_DIGIT: Final = 16
_BODY: Final = re.compile(r"[0-9]{17}")
_PATTERN: Final = re.compile(r"[0-9]{17}[0-9X]")
_CHECK_CHARACTERS: Final = "0123456789X"  # indexed by the check value

# Tables and constants of the vectorised checks, indexed by ASCII code.
_CODES: Final = tuple(chr(code) for code in range(ASCII))
_IS_DIGIT: Final = np.array([char.isdigit() for char in _CODES], dtype=np.bool_)
_IS_CHECK_CHARACTER: Final = np.array(
    [char in _CHECK_CHARACTERS for char in _CODES], dtype=np.bool_
)
_CHECK_CODES: Final = np.frombuffer(_CHECK_CHARACTERS.encode("ascii"), dtype=np.uint8)
_WEIGHT_ARRAY: Final = np.array(WEIGHTS, dtype=np.int64)
_PROVINCE_PREFIXES: Final = 100  # two digits
_IS_PROVINCE: Final = np.array(
    [f"{prefix:02d}" in PROVINCES for prefix in range(_PROVINCE_PREFIXES)], dtype=np.bool_
)
_YEAR: Final = slice(6, 10)
_MONTH: Final = slice(10, 12)
_DAY: Final = slice(12, 14)
_MONTHS: Final = 12
_EPOCH_YEAR: Final = 1970  # year zero of numpy's datetime64


def compact(number: str) -> str:
    """Normalise a number without validating it: NFKC, no spaces or hyphens, upper-case.

    Args:
        number: the number as typed.

    Returns:
        The compact form.

    Raises:
        InvalidFormat: the input is not a str (``national_id_type``).

    Examples:
        >>> compact("110105 19491231 002x")
        '11010519491231002X'
        >>> compact("１１０１０５－１９４９１２３１－００２Ｘ")
        '11010519491231002X'
    """
    return normalise(number, name="national ID", code="national_id_type")


def calc_check_digit(number: str) -> str:
    """Compute the check character from the first 17 digits (ISO 7064 MOD 11-2).

    Args:
        number: the first 17 digits, or a full 18-character number whose last character
            is ignored.

    Returns:
        ``"0"``–``"9"`` or ``"X"``.

    Raises:
        InvalidFormat: not a str (``national_id_type``), or the first 17 characters are
            not all digits (``national_id_format``).
        InvalidLength: neither 17 nor 18 characters (``national_id_length``).

    Examples:
        >>> calc_check_digit("11010519491231002")
        'X'
        >>> calc_check_digit("110101199003074477")
        '7'
    """
    text = compact(number)
    if len(text) not in {LENGTH - 1, LENGTH}:
        msg = f"national ID check digit needs 17 digits, got {len(text)} characters"
        raise InvalidLength(msg, code="national_id_length")
    body = text[: LENGTH - 1]
    if not _BODY.fullmatch(body):
        msg = f"national ID check digit needs 17 digits, got {shown(body)}"
        raise InvalidFormat(msg, code="national_id_format")
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    value = (_CHECK_OFFSET - total % _MODULUS) % _MODULUS
    return "X" if value == _TEN else str(value)


def _birth_date(number: str) -> date:
    """Read the birth date of a number whose characters are already checked."""
    text = number[_BIRTH]
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        msg = f"national ID birth date {text} is not a real date (YYYYMMDD)"
        raise InvalidComponent(msg, code="national_id_birth_date") from None


def _as_of_day(as_of: object) -> date | None:
    """``as_of`` checked: None, a date that is not a datetime, or ISO date text.

    A datetime is refused rather than cut to its date, as everywhere in the library: which
    date an instant falls on depends on the time zone.
    """
    if as_of is None or (isinstance(as_of, date) and not isinstance(as_of, datetime)):
        return as_of
    if isinstance(as_of, str) and len(as_of) <= _ISO_DATE_MAX:
        try:
            return date.fromisoformat(as_of)
        except ValueError:
            pass
    msg = (
        f"national ID as_of is {as_of!r} ({type(as_of).__name__}); expected None, a "
        "datetime.date that is not a datetime, or ISO text such as '2026-06-30'"
    )
    raise InvalidFormat(msg, code="national_id_as_of")


_ISO_DATE_MAX: Final = 10
"""The length of an ISO date, ``YYYY-MM-DD``; longer text is refused unread."""


def validate(number: str, *, as_of: date | str | None = None) -> str:
    """Check a resident identity number and return its canonical form.

    The checks run in this order, so the first failing rule is the one reported: length,
    characters, province, birth date, ``as_of``, check character.

    Args:
        number: the number as typed.
        as_of: the day the number is checked on, a ``date`` (not a datetime) or ISO text;
            a birth date after it is rejected. When None (the default) the birth date is
            not compared with any day.

    Returns:
        The 18-character number, with an upper-case ``X`` if it has one.

    Raises:
        InvalidFormat: not a str (``national_id_type``), or not 17 digits and a check
            character (``national_id_format``); ``as_of`` is not a date, ISO date text
            or None (``national_id_as_of``).
        InvalidLength: not 18 characters (``national_id_length``).
        InvalidComponent: the first two digits are not in [`PROVINCES`][aftersales_crm.values.national_id.PROVINCES]
            (``national_id_region``); the birth date does not exist
            (``national_id_birth_date``) or is after ``as_of``
            (``national_id_future_birth``).
        InvalidChecksum: the check character is wrong (``national_id_checksum``).

    Examples:
        >>> validate("440524188001010014")
        '440524188001010014'
        >>> validate("110105194902300020")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: national ID birth date 19490230 is not a real date (YYYYMMDD)
        >>> validate("110105209912310025", as_of=date(2026, 1, 1))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: national ID birth date 2099-12-31 is after 2026-01-01
    """
    day = _as_of_day(as_of)
    number = compact(number)
    if len(number) != LENGTH:
        msg = f"national ID has {len(number)} characters, expected {LENGTH}"
        raise InvalidLength(msg, code="national_id_length")
    if not _PATTERN.fullmatch(number):
        bad = unexpected_characters(number, "0123456789X") or "'X' before the last position"
        msg = f"national ID contains {bad}; it must be 17 digits and a check character 0-9 or X"
        raise InvalidFormat(msg, code="national_id_format")
    if number[_PROVINCE] not in PROVINCES:
        msg = (
            f"national ID region {number[_REGION]} starts with {number[_PROVINCE]}, "
            "which is not a province-level code"
        )
        raise InvalidComponent(msg, code="national_id_region")
    born = _birth_date(number)
    if day is not None and born > day:
        msg = f"national ID birth date {born.isoformat()} is after {day.isoformat()}"
        raise InvalidComponent(msg, code="national_id_future_birth")
    expected = calc_check_digit(number)
    if number[-1] != expected:
        msg = f"national ID check digit is {number[-1]}, expected {expected}"
        raise InvalidChecksum(msg, code="national_id_checksum")
    return number


def is_valid(number: object, *, as_of: object = None) -> bool:
    """Tell whether a value is a valid resident identity number; never raises.

    Args:
        number: anything.
        as_of: as for [`validate`][aftersales_crm.values.national_id.validate]; anything else (a datetime, junk) gives False.

    Returns:
        True when [`validate`][aftersales_crm.values.national_id.validate] accepts the value.

    Examples:
        >>> is_valid("11010519491231002X"), is_valid(11010519491231002), is_valid("")
        (True, False, False)
        >>> is_valid("11010519491231002X", as_of="1949-12-30"), is_valid("11010519491231002X", as_of=1)
        (False, False)
    """
    try:
        validate(number, as_of=as_of)  # type: ignore[arg-type]  # any input is allowed
    except InvalidValue:
        return False
    return True


def birth_date(number: str) -> date:
    """Return the holder's birth date (characters 7–14).

    Args:
        number: a valid number.

    Returns:
        The birth date.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.national_id.validate]).

    Examples:
        >>> birth_date("110101199003074477")
        datetime.date(1990, 3, 7)
    """
    return _birth_date(validate(number))


def gender(number: str) -> Literal["male", "female"]:
    """Return the holder's sex from the parity of the sequence number (character 17).

    The strings are the values of [`aftersales_crm.values.Gender`][aftersales_crm.values.Gender], so
    ``Gender(gender(number))`` gives the enum member.

    Args:
        number: a valid number.

    Returns:
        ``"male"`` for an odd digit, ``"female"`` for an even one.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.national_id.validate]).

    Examples:
        >>> gender("110101199003074477"), gender("11010519491231002X")
        ('male', 'female')
    """
    return "male" if int(validate(number)[_SEX_DIGIT]) % 2 else "female"


def format(number: str) -> str:
    """Return the display form: region, birth date and sequence with check, 6-8-4.

    Args:
        number: a valid number.

    Returns:
        The number grouped with spaces, as ``"110105 19491231 002X"``.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.national_id.validate]).

    Examples:
        >>> format("11010519491231002x")
        '110105 19491231 002X'
    """
    number = validate(number)
    return f"{number[_REGION]} {number[_BIRTH]} {number[_BIRTH.stop :]}"


def mask(number: str) -> str:
    """Mask a number for display, keeping only the region code and the check character.

    The birth date and the sequence number (which gives the sex) are hidden.

    Args:
        number: a valid number.

    Returns:
        The six region digits, eleven asterisks and the check character.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.national_id.validate]).

    Examples:
        >>> mask("11010519491231002X")
        '110105***********X'
    """
    number = validate(number)
    hidden = LENGTH - _REGION.stop - 1
    return number[_REGION] + "*" * hidden + number[-1]


def _computed_check_codes(digits: NDArray[np.int64]) -> NDArray[np.uint8]:
    """The ASCII code of the check character of each row of 17 digit values (MOD 11-2)."""
    totals: NDArray[np.int64] = digits[:, : LENGTH - 1] @ _WEIGHT_ARRAY
    return _CHECK_CODES[(_CHECK_OFFSET - totals % _MODULUS) % _MODULUS]


def _digit_values(codes: NDArray[np.uint8], rows: NDArray[np.bool_]) -> NDArray[np.int64]:
    """The value of each character code as a digit, on ``rows``; 0 everywhere else."""
    return np.where(rows[:, None], codes.astype(np.int64) - ord("0"), 0)


def _number(digits: NDArray[np.int64], part: slice) -> NDArray[np.int64]:
    """The decimal number the digits of ``part`` write, per row."""
    columns = digits[:, part]
    powers = 10 ** np.arange(columns.shape[1] - 1, -1, -1, dtype=np.int64)
    number: NDArray[np.int64] = columns @ powers
    return number


def check_digits(numbers: ArrayLike | Sequence[object]) -> NDArray[np.str_]:
    """Compute the check character of many numbers at once, as [`calc_check_digit`][aftersales_crm.values.national_id.calc_check_digit] does.

    The sums are taken over the digit codes of the whole array: there is no Python call
    per number in a unicode array, so a million numbers take a fraction of a second.

    Args:
        numbers: the first 17 digits of each number, or canonical 18-character numbers
            (17 digits and ``0``–``9`` or an upper-case ``X``) whose last character is
            ignored. A numpy unicode array, an object array of str, or a sequence of str
            (read as an object array).

    Returns:
        A ``<U1`` array of the shape of ``numbers``: ``"0"``–``"9"`` or ``"X"`` each.

    Raises:
        InvalidFormat: a value is not a str (``national_id_type``) or not of the form
            above (``national_id_format``); the message names the first such row. Use
            [`compact`][aftersales_crm.values.national_id.compact] or [`validate`][aftersales_crm.values.national_id.validate] on such values first.

    Examples:
        >>> import numpy as np
        >>> check_digits(np.array(["11010519491231002", "110101199003074470"]))
        array(['X', '7'], dtype='<U1')
        >>> check_digits(["1101051949123100"])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: row 0: national ID '1101051949123100' is not 17 digits ...
    """
    array = as_column(numbers)
    codes, fits = ascii_rows(array, LENGTH)
    body = _IS_DIGIT[codes[:, : LENGTH - 1]].all(axis=1)
    last = codes[:, LENGTH - 1]
    syntax = fits & body & ((last == 0) | _IS_CHECK_CHARACTER[last])
    if not syntax.all():
        row = int(np.argmin(syntax))
        value = array.reshape(-1)[row]
        if not isinstance(value, str):
            msg = f"row {row}: a national ID must be a str, not {type(value).__name__}"
            raise InvalidFormat(msg, code="national_id_type")
        msg = (
            f"row {row}: national ID {shown(str(value))} is not 17 digits with an optional "
            "check character"
        )
        raise InvalidFormat(msg, code="national_id_format")
    check = _computed_check_codes(_digit_values(codes, syntax)).astype(np.uint32).view("U1")
    return check.reshape(array.shape)


def is_valid_array(
    values: ArrayLike | Sequence[object], *, as_of: date | str | None = None
) -> NDArray[np.bool_]:
    """Tell which values are valid numbers already in canonical form, all at once.

    Meant for bulk ingest: a value is True when it is its own canonical form (18
    characters, an upper-case ``X`` if any, no separators) and [`validate`][aftersales_crm.values.national_id.validate] with the
    same ``as_of`` accepts it: province, a real birth date not after ``as_of``, check
    character. False means invalid *or* not canonical (a lower-case ``x``, spaces,
    full-width digits, not a str); run [`validate`][aftersales_crm.values.national_id.validate] on those rows to get the
    canonical form or the error. No Python call per row for unicode arrays; object
    arrays cost one type check per row.

    Args:
        values: a numpy unicode array (``<U18`` or any width), an object array (values
            that are not str, such as None, are False), or a sequence (read as an
            object array).
        as_of: as for [`validate`][aftersales_crm.values.national_id.validate].

    Returns:
        A bool array of the shape of ``values``.

    Examples:
        >>> import numpy as np
        >>> numbers = np.array(["440524188001010014", "110105194902300020", None], dtype=object)
        >>> is_valid_array(numbers)
        array([ True, False, False])
        >>> is_valid_array(np.array(["110105209912310028"]), as_of=date(2026, 1, 1))
        array([False])
    """
    array = as_column(values)
    codes, fits = ascii_rows(array, LENGTH)
    syntax = (
        fits
        & _IS_DIGIT[codes[:, : LENGTH - 1]].all(axis=1)
        & _IS_CHECK_CHARACTER[codes[:, LENGTH - 1]]
    )
    digits = _digit_values(codes, syntax)
    valid = syntax & _IS_PROVINCE[_number(digits, _PROVINCE)]
    born, real = _birth_dates(digits)
    valid &= real
    day = _as_of_day(as_of)
    if day is not None:
        valid &= born <= np.datetime64(day, "D")
    valid &= codes[:, LENGTH - 1] == _computed_check_codes(digits)
    return valid.reshape(array.shape)


def _birth_dates(digits: NDArray[np.int64]) -> tuple[NDArray[np.datetime64], NDArray[np.bool_]]:
    """The birth date of each row of digits, and whether it is a real date.

    A date is real when its year is at least ``datetime.MINYEAR``, its month is 1 to
    12, and the day, counted on from the first of the month, stays in that month (the
    datetime64 round trip: 30 February lands in March). The dates of the other rows are
    meaningless.
    """
    year, month, day = (_number(digits, part) for part in (_YEAR, _MONTH, _DAY))
    real_month = (month >= 1) & (month <= _MONTHS)
    months = (year - _EPOCH_YEAR) * _MONTHS + np.clip(month, 1, _MONTHS) - 1
    first = months.astype("datetime64[M]")
    born: NDArray[np.datetime64] = first.astype("datetime64[D]") + (day - 1).astype(
        "timedelta64[D]"
    )
    real = (year >= MINYEAR) & real_month & (born.astype("datetime64[M]") == first)
    return born, real
