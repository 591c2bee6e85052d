"""Phone numbers, normalised to E.164 with the ``phonenumbers`` package.

Numbers are parsed with a default region (mainland China, ``"CN"``, unless the caller's
tenant says otherwise), checked with ``phonenumbers.is_valid_number`` (parsing alone gives
an E.164 string even for numbers that cannot exist), and stored as E.164
(``+8613812345678``). A number with an extension is refused, since E.164 cannot hold one.

Only the parsing and metadata core of ``phonenumbers`` is imported; its geocoder, carrier
and time-zone data (over 100 MiB) never are.

References:
    ITU-T E.164, The international public telecommunication numbering plan.
    Google libphonenumber metadata, through the ``phonenumbers`` package.

Examples:
    >>> validate("138 1234 5678"), validate("010-12345678")
    ('+8613812345678', '+861012345678')
    >>> mask("+8613812345678")
    '138****5678'
"""

from __future__ import annotations

from typing import Final

import phonenumbers

from aftersales_crm.errors import InvalidFormat, InvalidValue
from aftersales_crm.values._identifier import normalise

__all__ = ["DEFAULT_REGION", "compact", "format", "is_valid", "mask", "validate"]

DEFAULT_REGION: Final = "CN"
"""The region numbers without a country code are read in: mainland China."""

_MASK_VISIBLE_HEAD: Final = 3
_MASK_VISIBLE_TAIL: Final = 4


def compact(number: str) -> str:
    """Normalise: NFKC (full-width digits to ASCII) and drop spaces, hyphens, dots and brackets.

    Args:
        number: the number as typed.

    Returns:
        The compact form; not validated.

    Raises:
        InvalidFormat: the input is not a str.

    Examples:
        >>> compact("(010) 1234-5678")
        '01012345678'
    """
    return normalise(number, what="phone", separators=" -.()\u00a0")


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber:
    text = compact(number)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as err:
        msg = f"phone number {number!r} cannot be read: {err._msg}"
        raise InvalidFormat(msg, code="phone_format") from None
    if parsed.extension:
        msg = (
            f"phone number {number!r} has an extension ({parsed.extension}); E.164 cannot hold one"
        )
        raise InvalidFormat(msg, code="phone_extension")
    if not phonenumbers.is_valid_number(parsed):
        msg = f"phone number {number!r} is not a valid number in region {region}"
        raise InvalidValue(msg, code="phone_invalid")
    return parsed


def validate(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Check a phone number and return it in E.164.

    Args:
        number: the number as typed, with or without a country code.
        region: the ISO 3166 region numbers without a country code belong to.

    Returns:
        The E.164 form, ``+`` and digits.

    Raises:
        InvalidFormat: not a str, unreadable (``phone_format``) or with an extension
            (``phone_extension``).
        InvalidValue: no such number in the numbering plan (``phone_invalid``).

    Examples:
        >>> validate("+852 9123 4567")
        '+85291234567'
        >>> validate("1381234567")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: phone number '1381234567' is not a valid number in region CN
    """
    parsed = _parse(number, region)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def is_valid(number: object, *, region: str = DEFAULT_REGION) -> bool:
    """Tell whether a value is a valid phone number; never raises.

    Args:
        number: anything.
        region: as for :func:`validate`.

    Returns:
        True when :func:`validate` would accept it.

    Examples:
        >>> is_valid("13812345678"), is_valid("95588"), is_valid(None)
        (True, False, False)
    """
    try:
        validate(number, region=region)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def format(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Return a readable form: national for numbers of ``region``, international otherwise.

    Args:
        number: a valid number.
        region: the caller's region.

    Returns:
        The formatted number.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> format("+8613812345678"), format("+85291234567")
        ('138 1234 5678', '+852 9123 4567')
    """
    parsed = _parse(number, region)
    national = phonenumbers.region_code_for_number(parsed) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, style))


def mask(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Mask a number for display, keeping the first three and the last four digits.

    Numbers of ``region`` show their national digits (``138****5678``); others keep their
    country code (``+852 9***4567``-style: ``+852****4567``).

    Args:
        number: a valid number.
        region: the caller's region.

    Returns:
        The masked number.

    Raises:
        InvalidValue: the number is not valid.

    Examples:
        >>> mask("13812345678"), mask("+85291234567")
        ('138****5678', '+852****4567')
    """
    parsed = _parse(number, region)
    digits = phonenumbers.national_significant_number(parsed)
    if phonenumbers.region_code_for_number(parsed) == region:
        hidden = len(digits) - _MASK_VISIBLE_HEAD - _MASK_VISIBLE_TAIL
        return digits[:_MASK_VISIBLE_HEAD] + "*" * hidden + digits[-_MASK_VISIBLE_TAIL:]
    return (
        f"+{parsed.country_code}"
        + "*" * (len(digits) - _MASK_VISIBLE_TAIL)
        + digits[-_MASK_VISIBLE_TAIL:]
    )
