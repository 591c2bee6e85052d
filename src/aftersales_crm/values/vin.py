"""VIN: the vehicle identification number (ISO 3779, GB 16735).

Seventeen characters from the digits and the capital letters without ``I``, ``O`` and
``Q`` (they look like ``1`` and ``0``). Position 9 is a check character computed from the
other sixteen: each character is transliterated to a number (digits as themselves, letters
by the ISO 3779 table), multiplied by its position's weight, summed, and taken modulo 11;
a remainder of 10 is written ``X``.

The check character is mandatory in North America (VINs starting ``1``–``5``) and in China
(GB 16735, VINs starting ``L``); elsewhere, notably in Europe, position 9 is often a filler
and the check is not applied unless asked for with ``strict=True``.

References:
    ISO 3779:2009, Road vehicles — Vehicle identification number (VIN) — Content and structure.
    GB 16735-2019, 道路车辆 车辆识别代号 (VIN).
    49 CFR 565, Vehicle Identification Number (VIN) Requirements (check digit computation).

Examples:
    >>> validate("lsvau218xn2183294")
    'LSVAU218XN2183294'
    >>> validate("LSVAU2180N2183294")
    Traceback (most recent call last):
    ...
    aftersales_crm.errors.InvalidChecksum: VIN check digit is 0, expected X
    >>> is_valid("WVWZZZ1JZXW000001"), is_valid("WVWZZZ1JZXW000001", strict=True)
    (True, False)
"""

from __future__ import annotations

import re
from typing import Final

from aftersales_crm.errors import InvalidChecksum, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values._identifier import normalise

__all__ = [
    "CHECK_DIGIT_REGIONS",
    "LENGTH",
    "TRANSLITERATION",
    "WEIGHTS",
    "calc_check_digit",
    "compact",
    "format",
    "is_valid",
    "validate",
]

LENGTH: Final = 17
"""A VIN has 17 characters."""

TRANSLITERATION: Final = dict(zip("0123456789", range(10), strict=True)) | dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)
"""The number each VIN character stands for in the check-digit sum (ISO 3779 Annex)."""

WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
"""The weight of each position in the check-digit sum; position 9 (the check) weighs 0."""

CHECK_DIGIT_REGIONS: Final = frozenset("12345L")
"""First characters of VINs whose check digit is mandatory: North America and China."""

_CHECK_POSITION: Final = 8
_CHECK_CHARS: Final = "0123456789X"
_PATTERN: Final = re.compile(r"[A-HJ-NPR-Z0-9]{17}")


def compact(number: str) -> str:
    """Normalise a VIN: NFKC (full-width to ASCII), drop spaces and hyphens, upper-case.

    Args:
        number: the VIN as typed.

    Returns:
        The compact form; not validated.

    Raises:
        InvalidFormat: the input is not a str.

    Examples:
        >>> compact(" lsvau218-xn2183294 ")
        'LSVAU218XN2183294'
    """
    return normalise(number, what="vin")


def calc_check_digit(number: str) -> str:
    """Compute the check character of a VIN (whatever stands in position 9).

    Args:
        number: a 17-character VIN in the VIN alphabet.

    Returns:
        ``"0"``–``"9"`` or ``"X"``.

    Raises:
        InvalidLength: the VIN does not have 17 characters.
        InvalidFormat: a character is outside the VIN alphabet.

    Examples:
        >>> calc_check_digit("1HGCM82633A004352")
        '3'
        >>> calc_check_digit("LSVAU2180N2183294")
        'X'
    """
    number = _syntax(compact(number))
    total = sum(TRANSLITERATION[c] * w for c, w in zip(number, WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _syntax(number: str) -> str:
    if len(number) != LENGTH:
        msg = f"VIN has {len(number)} characters, expected {LENGTH}"
        raise InvalidLength(msg, code="vin_length")
    if not _PATTERN.fullmatch(number):
        bad = sorted({c for c in number if c not in TRANSLITERATION})
        msg = f"VIN contains {', '.join(map(repr, bad))}; VINs use digits and letters except I, O and Q"
        raise InvalidFormat(msg, code="vin_format")
    return number


def validate(number: str, *, strict: bool | None = None) -> str:
    """Check a VIN and return its canonical form.

    Args:
        number: the VIN as typed.
        strict: whether to require the check digit: ``None`` (default) requires it for
            VINs starting ``1``–``5`` or ``L``; ``True`` requires it for all; ``False``
            for none.

    Returns:
        The VIN, compact and upper-case.

    Raises:
        InvalidFormat: not a str, or a character outside the VIN alphabet (``vin_format``).
        InvalidLength: not 17 characters (``vin_length``).
        InvalidChecksum: the check digit is wrong where required (``vin_checksum``).

    Examples:
        >>> validate("１ＨＧＣＭ８２６３３Ａ００４３５２")
        '1HGCM82633A004352'
        >>> validate("1HGCM82633A00435")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidLength: VIN has 16 characters, expected 17
    """
    number = _syntax(compact(number))
    required = number[0] in CHECK_DIGIT_REGIONS if strict is None else strict
    if required:
        expected = calc_check_digit(number)
        if number[_CHECK_POSITION] != expected:
            msg = f"VIN check digit is {number[_CHECK_POSITION]}, expected {expected}"
            raise InvalidChecksum(msg, code="vin_checksum")
    return number


def is_valid(number: object, *, strict: bool | None = None) -> bool:
    """Tell whether a value is a valid VIN; never raises.

    Args:
        number: anything.
        strict: as for :func:`validate`.

    Returns:
        True when :func:`validate` would accept it.

    Examples:
        >>> is_valid("1HGCM82633A004352"), is_valid(None), is_valid("🚗")
        (True, False, False)
    """
    try:
        validate(number, strict=strict)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def format(number: str) -> str:
    """Return a VIN's display form: the canonical 17 characters.

    Args:
        number: a valid VIN.

    Returns:
        The VIN, upper-case without separators.

    Raises:
        InvalidValue: the VIN is not valid.

    Examples:
        >>> format("lsvau218xn2183294")
        'LSVAU218XN2183294'
    """
    return validate(number)
