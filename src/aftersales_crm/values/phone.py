"""Phone numbers, checked against the numbering plans and stored as E.164.

A number is read in a default region (mainland China, ``"CN"``, unless the caller says
otherwise: it should come from the tenant's or dealer's settings), checked with
``phonenumbers.is_valid_number`` and written as E.164: ``+``, the country code and the
national significant number (``+8613812345678``). Parsing alone is not enough, because
``phonenumbers`` produces an E.164 string even for numbers that cannot exist (``95588``,
``1381234567``). A number with an extension is refused rather than silently cut, since
E.164 cannot hold one.

Input is normalised with NFKC (full-width digits typed with Chinese input methods become
ASCII) and spaces, hyphens, dots and brackets are removed.

Only the parsing and formatting core of ``phonenumbers`` is used; its ``geocoder``,
``carrier`` and ``timezone`` modules, which load over 100 MiB of data, never are.

References:
    ITU-T Recommendation E.164, The international public telecommunication numbering plan.
    MIIT, 电信网编号计划 (2017): mainland China's numbering plan.
    Google libphonenumber metadata, through the ``phonenumbers`` package.

Examples:
    >>> validate("138 1234 5678"), validate("010-12345678")
    ('+8613812345678', '+861012345678')
    >>> is_valid("95588")
    False
    >>> format("+8613812345678"), mask("+8613812345678")
    ('138 1234 5678', '138****5678')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import phonenumbers

from aftersales_crm.errors import InvalidComponent, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values._identifier import DASHES, normalise, shown

__all__ = [
    "DEFAULT_REGION",
    "check_region",
    "compact",
    "format",
    "is_valid",
    "mask",
    "validate",
]

DEFAULT_REGION: Final = "CN"
"""The region numbers written without a country code are read in: mainland China."""

_SEPARATORS: Final = " .()/" + DASHES
_VISIBLE_HEAD: Final = 3  # 138****5678: the mobile network prefix stays visible ...
_VISIBLE_TAIL: Final = 4  # ... and so do the last four digits, as Chinese apps show them
_MIN_HIDDEN: Final = 4  # short numbers give up their head before showing more digits

_PARSE_PROBLEMS: Final[Mapping[int, str]] = MappingProxyType(
    {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "it has no valid country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "it is not a phone number",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "it is too short",
        phonenumbers.NumberParseException.TOO_LONG: "it is too long",
    }
)
_LENGTH_PROBLEMS: Final = frozenset(
    {
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD,
        phonenumbers.NumberParseException.TOO_SHORT_NSN,
        phonenumbers.NumberParseException.TOO_LONG,
    }
)
_PLAN_PROBLEMS: Final[Mapping[int, str]] = MappingProxyType(
    {
        phonenumbers.ValidationResult.TOO_SHORT: "too short",
        phonenumbers.ValidationResult.TOO_LONG: "too long",
        phonenumbers.ValidationResult.INVALID_LENGTH: "no number of this length exists",
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: (
            "only a local or short number; is the area code missing?"
        ),
    }
)


def compact(number: str) -> str:
    """Normalise a number without validating it: NFKC, no separators, upper-case.

    Args:
        number: the number as typed.

    Returns:
        The compact form: digits, perhaps a leading ``+`` and any extension marker.

    Raises:
        InvalidFormat: the input is not a str (``phone_type``).

    Examples:
        >>> compact("(010) 1234-5678")
        '01012345678'
        >>> compact("＋８６ １３８ １２３４ ５６７８")
        '+8613812345678'
    """
    return normalise(number, name="phone number", code="phone_type", separators=_SEPARATORS)


def check_region(region: object) -> str:
    """Check a default region and return it upper-cased.

    Use it to validate a tenant's or dealer's setting once, before numbers are read with it.

    Args:
        region: an ISO 3166 alpha-2 region code such as ``"CN"`` or ``"hk"``.

    Returns:
        The region code, upper-case.

    Raises:
        InvalidComponent: ``phonenumbers`` has no numbering plan for the region
            (``phone_region``).

    Examples:
        >>> check_region("hk")
        'HK'
        >>> check_region("EU")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: phone region 'EU' is not an ISO 3166 region with a numbering plan
    """
    code = region.upper() if isinstance(region, str) else region
    if not isinstance(code, str) or code not in phonenumbers.SUPPORTED_REGIONS:
        msg = f"phone region {region!r} is not an ISO 3166 region with a numbering plan"
        raise InvalidComponent(msg, code="phone_region")
    return code


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber:
    """Parse and fully check a number read in a region already checked."""
    text = compact(number)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as err:
        problem = _PARSE_PROBLEMS.get(err.error_type, "it cannot be read")
        msg = f"phone number {shown(number)} cannot be read in region {region}: {problem}"
        if err.error_type in _LENGTH_PROBLEMS:
            raise InvalidLength(msg, code="phone_length") from None
        raise InvalidFormat(msg, code="phone_format") from None
    if parsed.extension:
        msg = (
            f"phone number {shown(number)} has extension {parsed.extension}; "
            "E.164 cannot hold an extension, so store it separately"
        )
        raise InvalidFormat(msg, code="phone_extension")
    if not phonenumbers.is_valid_number(parsed):
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        problem = _PLAN_PROBLEMS.get(reason, "its digits match no number range in use")
        msg = (
            f"phone number {shown(number)} is not a valid number of +{parsed.country_code} "
            f"(read in region {region}): {problem}"
        )
        raise InvalidComponent(msg, code="phone_invalid")
    return parsed


def validate(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Check a phone number and return it in E.164.

    Args:
        number: the number as typed, with or without a country code (``+86``, ``0086``).
        region: the ISO 3166 region a number without a country code belongs to.

    Returns:
        The E.164 form: ``+``, country code and national significant number.

    Raises:
        InvalidFormat: not a str (``phone_type``), not readable as a phone number
            (``phone_format``), or carrying an extension (``phone_extension``).
        InvalidLength: too short or too long to read (``phone_length``).
        InvalidComponent: no such number in the numbering plan (``phone_invalid``), or
            ``region`` is not a region with a numbering plan (``phone_region``).

    Examples:
        >>> validate("+852 9123 4567")
        '+85291234567'
        >>> validate("9123 4567", region="HK")
        '+85291234567'
        >>> validate("1381234567")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: phone number '1381234567' is not a valid number of +86 (read in region CN): its digits match no number range in use
        >>> validate("138-1234-5678 ext. 12")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: phone number '138-1234-5678 ext. 12' has extension 12; E.164 cannot hold an extension, so store it separately
    """
    parsed = _parse(number, check_region(region))
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def is_valid(number: object, *, region: str = DEFAULT_REGION) -> bool:
    """Tell whether a value is a valid phone number; never raises, whatever it is given.

    Args:
        number: anything.
        region: as for :func:`validate`.

    Returns:
        True when :func:`validate` accepts the value.

    Examples:
        >>> is_valid("13812345678"), is_valid("12345678"), is_valid(None)
        (True, False, False)
    """
    try:
        validate(number, region=region)  # type: ignore[arg-type]  # any input is allowed
    except InvalidValue:
        return False
    return True


def _is_domestic(parsed: phonenumbers.PhoneNumber, region: str) -> bool:
    return bool(phonenumbers.region_code_for_number(parsed) == region)


def format(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Return a readable form: national for numbers of ``region``, international otherwise.

    Args:
        number: a valid number.
        region: the region of the reader, as for :func:`validate`.

    Returns:
        The number grouped the way its country writes it.

    Raises:
        InvalidValue: the number is not valid (see :func:`validate`).

    Examples:
        >>> format("+8613812345678"), format("+861012345678"), format("+85291234567")
        ('138 1234 5678', '010 1234 5678', '+852 9123 4567')
        >>> format("+85291234567", region="HK")
        '9123 4567'
    """
    region = check_region(region)
    parsed = _parse(number, region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if _is_domestic(parsed, region)
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, style))


def _mask_digits(digits: str, *, head: int) -> str:
    """Hide the middle of a digit string, keeping up to ``head`` leading and 4 last digits.

    At least four digits are hidden: short numbers show fewer digits at either end.
    """
    tail = max(0, min(_VISIBLE_TAIL, len(digits) - _MIN_HIDDEN))
    head = max(0, min(head, len(digits) - tail - _MIN_HIDDEN))
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail :]


def mask(number: str, *, region: str = DEFAULT_REGION) -> str:
    """Mask a number for display, keeping only its ends.

    A number of ``region`` shows its national digits with the middle hidden: the first
    three (a Chinese mobile's network prefix, a trunk ``0`` and area code) and the last
    four stay visible, ``138****5678``. Numbers of other regions keep their country code
    and last four digits, ``+852****4567``. At least four digits are always hidden: a
    short number shows fewer digits rather than more.

    Args:
        number: a valid number.
        region: the region of the reader, as for :func:`validate`.

    Returns:
        The masked number.

    Raises:
        InvalidValue: the number is not valid (see :func:`validate`).

    Examples:
        >>> mask("13812345678"), mask("010-12345678"), mask("+85291234567")
        ('138****5678', '010****5678', '+852****4567')
        >>> mask("+85291234567", region="HK")
        '****4567'
    """
    region = check_region(region)
    parsed = _parse(number, region)
    if _is_domestic(parsed, region):
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return _mask_digits("".join(c for c in str(national) if c.isdigit()), head=_VISIBLE_HEAD)
    digits = str(phonenumbers.national_significant_number(parsed))
    return f"+{parsed.country_code}" + _mask_digits(digits, head=0)
