"""VIN: the vehicle identification number (ISO 3779; GB 16735 in China).

A VIN has 17 characters: digits and the capital letters except ``I``, ``O`` and ``Q``
(they read as ``1``, ``0`` and ``0``). The first three are the world manufacturer
identifier (WMI). Position 9 holds a check character: each of the other sixteen
characters is transliterated to a number (digits stand for themselves; letters by the
table [`TRANSLITERATION`][aftersales_crm.values.vin.TRANSLITERATION]), multiplied by the weight of its position
([`WEIGHTS`][aftersales_crm.values.vin.WEIGHTS]), and the sum is taken modulo 11; a remainder of 10 is written ``X``.

Whether the check character is mandatory depends on where the VIN was issued. North
America (VINs starting ``1``–``5``) and China (GB 16735, VINs starting ``L``) require it;
elsewhere, notably in Europe, position 9 is often a filler such as ``Z``. So
[`validate`][aftersales_crm.values.vin.validate] checks it by default only for those regions ([`CHECK_DIGIT_REGIONS`][aftersales_crm.values.vin.CHECK_DIGIT_REGIONS]);
``strict=True`` checks it for every VIN and ``strict=False`` for none.

Input is normalised with NFKC (full-width characters typed with Chinese input methods
become ASCII), spaces and hyphens are removed and letters are upper-cased.

What is *not* checked: that the WMI is assigned to a manufacturer, the model-year
character, and plausibility (``11111111111111111`` has a correct check digit).

For whole table columns, [`check_digits`][aftersales_crm.values.vin.check_digits] and [`is_valid_array`][aftersales_crm.values.vin.is_valid_array] apply the same
rules to a numpy array at once, without a Python call per row.

References:
    ISO 3779:2009, Road vehicles — Vehicle identification number (VIN) — Content and structure.
    GB 16735-2019, 道路车辆 车辆识别代号 (VIN), section 5 and annex on the check character.
    49 CFR Part 565, Vehicle Identification Number (VIN) Requirements, §565.15 (check digit).

Examples:
    >>> validate("lsvau218xn2183294")
    'LSVAU218XN2183294'
    >>> validate("LSVAU2180N2183294")
    Traceback (most recent call last):
    ...
    aftersales_crm.errors.InvalidChecksum: VIN check digit is 0, expected X
    >>> is_valid("WVWZZZ1JZXW000001"), is_valid("WVWZZZ1JZXW000001", strict=True)
    (True, False)
    >>> calc_check_digit("LSVAU2180N2183294")
    'X'
    >>> is_valid_array(["LSVAU218XN2183294", "lsvau218xn2183294", "LSVAU2180N2183294"])
    array([ True, False, False])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm.errors import InvalidChecksum, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values._identifier import (
    ASCII,
    as_column,
    ascii_rows,
    normalise,
    shown,
    unexpected_characters,
)

__all__ = [
    "ALPHABET",
    "CHECK_DIGIT_REGIONS",
    "LENGTH",
    "TRANSLITERATION",
    "WEIGHTS",
    "calc_check_digit",
    "check_digits",
    "compact",
    "format",
    "is_valid",
    "is_valid_array",
    "validate",
    "wmi",
]

LENGTH: Final = 17
"""A VIN has 17 characters (ISO 3779 section 4)."""

ALPHABET: Final = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
"""The characters a VIN may contain: digits and capital letters except I, O and Q."""


def _transliteration() -> Mapping[str, int]:
    # The letters count 1..9 in three runs, skipping the values of I, O and Q:
    # A..H -> 1..8, then J..R -> 1..9 with O (6) and Q (8) left out, then S..Z -> 2..9.
    rows = {"ABCDEFGH": 1, "JKLMN": 1, "P": 7, "R": 9, "STUVWXYZ": 2}
    table = {digit: int(digit) for digit in "0123456789"}
    for letters, first in rows.items():
        table.update({letter: first + i for i, letter in enumerate(letters)})
    return MappingProxyType(table)


TRANSLITERATION: Final = _transliteration()
"""The number each VIN character stands for in the check sum (49 CFR 565.15, table I).

Digits stand for themselves; A–H are 1–8, J–N are 1–5, P is 7, R is 9 and S–Z are 2–9.
"""

WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
"""The weight of each of the 17 positions in the check sum (49 CFR 565.15, table II).

Position 9, the check character itself, weighs 0.
"""

CHECK_DIGIT_REGIONS: Final = frozenset("12345L")
"""First characters of VINs whose check character is mandatory by default.

``1``–``5``: North America (49 CFR 565); ``L``: China (GB 16735).
"""

CHECK_POSITION: Final = 8
"""Zero-based index of the check character (position 9 in the standard's counting)."""

_CHECK_CHARACTERS: Final = "0123456789X"
_MODULUS: Final = 11
_PATTERN: Final = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_POSITION_VALUES: Final = tuple(
    {char: value * weight for char, value in TRANSLITERATION.items()} for weight in WEIGHTS
)
"""Per position, each character's transliterated value times the position's weight."""
_WMI_LENGTH: Final = 3

# Tables of the vectorised checks, indexed by ASCII code; every VIN character is ASCII.
_CODES: Final = tuple(chr(code) for code in range(ASCII))
_IN_ALPHABET: Final = np.array([char in ALPHABET for char in _CODES], dtype=np.bool_)
_IN_CHECK_DIGIT_REGIONS: Final = np.array(
    [char in CHECK_DIGIT_REGIONS for char in _CODES], dtype=np.bool_
)
_VALUE_OF_CODE: Final = np.array([TRANSLITERATION.get(char, 0) for char in _CODES], dtype=np.int64)
_WEIGHT_ARRAY: Final = np.array(WEIGHTS, dtype=np.int64)
_CHECK_CODES: Final = np.frombuffer(_CHECK_CHARACTERS.encode("ascii"), dtype=np.uint8)


def compact(number: str) -> str:
    """Normalise a VIN without validating it: NFKC, no spaces or hyphens, upper-case.

    Args:
        number: the VIN as typed.

    Returns:
        The compact form.

    Raises:
        InvalidFormat: the input is not a str (``vin_type``).

    Examples:
        >>> compact(" lsvau218-xn2183294 ")
        'LSVAU218XN2183294'
        >>> compact("１ＨＧＣＭ８２６３３Ａ００４３５２")
        '1HGCM82633A004352'
    """
    return normalise(number, name="VIN", code="vin_type")


def _check_syntax(number: str) -> str:
    """Raise unless a compact VIN has 17 characters from [`ALPHABET`][aftersales_crm.values.vin.ALPHABET]."""
    if len(number) != LENGTH:
        msg = f"VIN has {len(number)} characters, expected {LENGTH}"
        raise InvalidLength(msg, code="vin_length")
    if not _PATTERN.fullmatch(number):
        bad = unexpected_characters(number, ALPHABET)
        msg = f"VIN contains {bad}; a VIN uses digits and the letters A-Z except I, O and Q"
        raise InvalidFormat(msg, code="vin_format")
    return number


def calc_check_digit(number: str) -> str:
    """Compute the check character of a VIN.

    Args:
        number: either a full 17-character VIN (whatever stands in position 9 is ignored)
            or the 16 other characters, with position 9 left out.

    Returns:
        ``"0"``–``"9"`` or ``"X"``.

    Raises:
        InvalidFormat: not a str (``vin_type``) or a character outside the VIN alphabet
            (``vin_format``).
        InvalidLength: neither 16 nor 17 characters (``vin_length``).

    Examples:
        >>> calc_check_digit("1HGCM82633A004352")
        '3'
        >>> calc_check_digit("LSVAU218N2183294")
        'X'
    """
    text = compact(number)
    if len(text) == LENGTH - 1:
        text = text[:CHECK_POSITION] + "0" + text[CHECK_POSITION:]
    return _check_character(_check_syntax(text))


def _check_character(number: str) -> str:
    """The check character of a compact, syntactically valid 17-character VIN."""
    total = sum(map(dict.__getitem__, _POSITION_VALUES, number))
    return _CHECK_CHARACTERS[total % _MODULUS]


def _check_strict(strict: object) -> None:
    """Refuse a ``strict=`` that is not True, False or None (a truthy string is no answer)."""
    if strict is not None and not isinstance(strict, bool):
        msg = f"VIN strict is {strict!r} ({type(strict).__name__}); expected True, False or None"
        raise InvalidFormat(msg, code="vin_strict")


def validate(number: str, *, strict: bool | None = None) -> str:
    """Check a VIN and return its canonical form.

    Args:
        number: the VIN as typed.
        strict: whether the check character must match. ``None`` (the default) requires
            it for VINs starting with one of [`CHECK_DIGIT_REGIONS`][aftersales_crm.values.vin.CHECK_DIGIT_REGIONS] (North America,
            China); ``True`` requires it for every VIN; ``False`` for none.

    Returns:
        The 17-character VIN, upper-case without separators.

    Raises:
        InvalidFormat: not a str (``vin_type``) or a character outside the VIN alphabet
            (``vin_format``).
        InvalidLength: not 17 characters (``vin_length``).
        InvalidChecksum: the check character is wrong where it is required
            (``vin_checksum``).
        InvalidFormat: ``strict`` is not True, False or None (``vin_strict``).

    Examples:
        >>> validate("１ＨＧＣＭ８２６３３Ａ００４３５２")
        '1HGCM82633A004352'
        >>> validate("1HGCM82633A00435")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidLength: VIN has 16 characters, expected 17
        >>> validate("WVWZZZ1JZXW000001", strict=True)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidChecksum: VIN check digit is Z, expected 0
    """
    if type(number) is not str or not _PATTERN.fullmatch(number):
        # Canonical input (the common case) is its own compact form: skip normalising.
        number = _check_syntax(compact(number))
    _check_strict(strict)
    required = number[0] in CHECK_DIGIT_REGIONS if strict is None else strict
    if required:
        found, expected = number[CHECK_POSITION], _check_character(number)
        if found != expected:
            msg = f"VIN check digit is {found}, expected {expected}"
            raise InvalidChecksum(msg, code="vin_checksum")
    return number


def is_valid(number: object, *, strict: object = None) -> bool:
    """Tell whether a value is a valid VIN; never raises, whatever it is given.

    Args:
        number: anything.
        strict: as for [`validate`][aftersales_crm.values.vin.validate].

    Returns:
        True when [`validate`][aftersales_crm.values.vin.validate] accepts the value.

    Examples:
        >>> is_valid("1HGCM82633A004352"), is_valid(None), is_valid("🚗")
        (True, False, False)
    """
    try:
        validate(number, strict=strict)  # type: ignore[arg-type]  # any input is allowed
    except InvalidValue:
        return False
    return True


def format(number: str, *, strict: bool | None = None) -> str:
    """Return a VIN's display form: the 17 canonical characters, no separators.

    VINs are printed unbroken on registration papers and stamped plates, so the display
    form is the canonical form.

    Args:
        number: a valid VIN.
        strict: as for [`validate`][aftersales_crm.values.vin.validate].

    Returns:
        The VIN, upper-case.

    Raises:
        InvalidValue: the VIN is not valid (see [`validate`][aftersales_crm.values.vin.validate]).

    Examples:
        >>> format("lsvau218-xn2183294")
        'LSVAU218XN2183294'
    """
    return validate(number, strict=strict)


def wmi(number: str, *, strict: bool | None = None) -> str:
    """Return the world manufacturer identifier: the first three characters.

    The WMI names the manufacturer and country (``LSV``: SAIC Volkswagen, China); the
    table of assignments is kept by SAE for ISO and is not shipped here.

    Args:
        number: a valid VIN.
        strict: as for [`validate`][aftersales_crm.values.vin.validate].

    Returns:
        Three characters.

    Raises:
        InvalidValue: the VIN is not valid (see [`validate`][aftersales_crm.values.vin.validate]).

    Examples:
        >>> wmi("LSVAU218XN2183294")
        'LSV'
    """
    return validate(number, strict=strict)[:_WMI_LENGTH]


def _computed_check_codes(codes: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The ASCII code of the check character of each row of 17 VIN character codes."""
    totals: NDArray[np.int64] = _VALUE_OF_CODE[codes] @ _WEIGHT_ARRAY
    return _CHECK_CODES[totals % _MODULUS]


def check_digits(vins: ArrayLike | Sequence[object]) -> NDArray[np.str_]:
    """Compute the check character of many VINs at once, as [`calc_check_digit`][aftersales_crm.values.vin.calc_check_digit] does.

    The characters are looked up in tables by their codes: there is no Python call per
    VIN in a unicode array, so a million VINs take a fraction of a second.

    Args:
        vins: VINs in canonical form: 17 characters from [`ALPHABET`][aftersales_crm.values.vin.ALPHABET], upper case
            (whatever stands in position 9 is ignored). A numpy unicode array, an object
            array of str, or a sequence of str (read as an object array).

    Returns:
        A ``<U1`` array of the shape of ``vins``: ``"0"``–``"9"`` or ``"X"`` per VIN.

    Raises:
        InvalidFormat: a value is not a str (``vin_type``) or has a character outside
            [`ALPHABET`][aftersales_crm.values.vin.ALPHABET], lower case included (``vin_format``); the message names the
            first such row. Use [`compact`][aftersales_crm.values.vin.compact] or [`validate`][aftersales_crm.values.vin.validate] on such values first.
        InvalidLength: a value does not have 17 characters (``vin_length``).

    Examples:
        >>> import numpy as np
        >>> check_digits(np.array(["1HGCM82603A004352", "LSVAU2180N2183294"]))
        array(['3', 'X'], dtype='<U1')
        >>> check_digits(["LSVAU2180N218329"])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidLength: row 0: VIN has 16 characters, expected 17
    """
    array = as_column(vins)
    codes, fits = ascii_rows(array, LENGTH)
    syntax = fits & _IN_ALPHABET[codes].all(axis=1)
    if not syntax.all():
        raise _row_error(array, int(np.argmin(syntax)))
    check = _computed_check_codes(codes).astype(np.uint32).view("U1")
    return check.reshape(array.shape)


def _row_error(array: NDArray[np.generic], row: int) -> InvalidValue:
    """The error for a value of ``array`` that is not a canonical VIN, naming its row."""
    value = array.reshape(-1)[row]
    if not isinstance(value, str):
        msg = f"row {row}: a VIN must be a str, not {type(value).__name__}"
        return InvalidFormat(msg, code="vin_type")
    if len(value) != LENGTH:
        msg = f"row {row}: VIN has {len(value)} characters, expected {LENGTH}"
        return InvalidLength(msg, code="vin_length")
    msg = (
        f"row {row}: VIN {shown(str(value))} is not in canonical form "
        f"(upper case, characters of ALPHABET); compact or validate it first"
    )
    return InvalidFormat(msg, code="vin_format")


def is_valid_array(
    values: ArrayLike | Sequence[object], *, strict: bool | None = None
) -> NDArray[np.bool_]:
    """Tell which values are valid VINs already in canonical form, all at once.

    Meant for bulk ingest: a value is True when it is its own canonical form (17
    characters from [`ALPHABET`][aftersales_crm.values.vin.ALPHABET], upper case, no separators) and [`validate`][aftersales_crm.values.vin.validate]
    with the same ``strict`` accepts it. False means invalid *or* not canonical (lower
    case, spaces, full-width characters, not a str); run [`validate`][aftersales_crm.values.vin.validate] on those rows
    to get the canonical form or the error. No Python call per row for unicode arrays;
    object arrays cost one type check per row.

    Args:
        values: a numpy unicode array (``<U17`` or any width), an object array (values
            that are not str, such as None, are False), or a sequence (read as an
            object array).
        strict: as for [`validate`][aftersales_crm.values.vin.validate].

    Returns:
        A bool array of the shape of ``values``.

    Examples:
        >>> import numpy as np
        >>> column = np.array(["1HGCM82633A004352", "1HGCM82633A004353", "1hgcm82633a004352"])
        >>> is_valid_array(column)
        array([ True, False, False])
        >>> europe = np.array(["WVWZZZ1JZXW000001", None], dtype=object)
        >>> is_valid_array(europe), is_valid_array(europe, strict=True)
        (array([ True, False]), array([False, False]))
    """
    _check_strict(strict)
    array = as_column(values)
    codes, fits = ascii_rows(array, LENGTH)
    valid = fits & _IN_ALPHABET[codes].all(axis=1)
    if strict is None:
        required = _IN_CHECK_DIGIT_REGIONS[codes[:, 0]]
    else:
        required = np.full(len(valid), strict)
    matches = codes[:, CHECK_POSITION] == _computed_check_codes(codes)
    valid &= ~required | matches
    return valid.reshape(array.shape)
