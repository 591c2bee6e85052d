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

Whole columns go through [`validate_array`][aftersales_crm.values.phone.validate_array]: mainland Chinese numbers in the common
forms (a mobile or a fixed line written nationally, with the trunk ``0``, or after
``+86``/``0086``) are checked by one regular expression per number, built once from the
same ``phonenumbers`` metadata; every other value is checked by [`validate`][aftersales_crm.values.phone.validate]. The
result is the same either way.

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

import functools
import re
from collections.abc import Mapping, Sequence
from itertools import repeat
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import phonenumbers
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidComponent, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values._identifier import DASHES, column_items, normalise, shown

__all__ = [
    "DEFAULT_REGION",
    "check_region",
    "compact",
    "format",
    "is_valid",
    "mask",
    "validate",
    "validate_array",
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
        region: as for [`validate`][aftersales_crm.values.phone.validate].

    Returns:
        True when [`validate`][aftersales_crm.values.phone.validate] accepts the value.

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
        region: the region of the reader, as for [`validate`][aftersales_crm.values.phone.validate].

    Returns:
        The number grouped the way its country writes it.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.phone.validate]).

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
        region: the region of the reader, as for [`validate`][aftersales_crm.values.phone.validate].

    Returns:
        The masked number.

    Raises:
        InvalidValue: the number is not valid (see [`validate`][aftersales_crm.values.phone.validate]).

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


# -- whole columns ------------------------------------------------------------------------------

#: The ASCII separators [`compact`][aftersales_crm.values.phone.compact] removes; any other character sends a number to
#: [`validate`][aftersales_crm.values.phone.validate].
_ASCII_SEPARATORS: Final = str.maketrans("", "", " .()/-")
_CN: Final = "CN"
_CN_CODE: Final = 86
#: The prefixes ``phonenumbers`` reads mainland numbers with, as the fast path assumes them:
#: the international prefix (``00``, or a carrier code ``1[12]xx``/``179xx`` and ``00``)
#: and the national prefix for parsing (the trunk ``0``, or such a carrier code). A
#: number starting with a carrier code, or with ``86`` (which ``phonenumbers`` may read as
#: the country code), is left to [`validate`][aftersales_crm.values.phone.validate]. Other metadata turns the fast path off.
_CN_PREFIXES: Final = (r"00|1(?:[12]\d|79)\d\d00", r"(1(?:[12]\d|79)\d\d)|0", None)


def _desc_pattern(desc: Any) -> str | None:
    """One number description of the metadata as a regular expression over a national number.

    Its lengths (a lookahead) and its pattern, as ``phonenumbers`` matches them.
    """
    if desc is None or not desc.national_number_pattern:
        return None
    pattern = f"(?:{desc.national_number_pattern})"
    if desc.possible_length:
        lengths = "|".join(rf"\d{{{length}}}" for length in desc.possible_length)
        pattern = f"(?=(?:{lengths})$){pattern}"
    return pattern


@functools.cache
def _fast_pattern() -> re.Pattern[str] | None:
    r"""The fast path: a compact mainland number in a form read in exactly one way.

    It matches a number ``phonenumbers.parse(number, "CN")`` reads with country code 86 and
    national number ``N`` (the group), and for which ``is_valid_number`` holds: ``N``
    alone, ``0N`` (the trunk prefix), ``+86N`` or ``0086N``, where ``N`` starts with a
    digit 1 to 9 but not with a carrier code or 86, has a length of the general description
    that is not only local, matches the general description and matches one number type
    (``is_valid_number``'s test). Built once from the metadata; ``None`` when the metadata
    reads mainland prefixes otherwise than this was written for.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(_CN)
    if metadata is None or (
        metadata.country_code,
        metadata.international_prefix,
        metadata.national_prefix_for_parsing,
        metadata.national_prefix_transform_rule,
    ) != (_CN_CODE, *_CN_PREFIXES):
        return None
    general = _desc_pattern(metadata.general_desc)
    kinds = [
        _desc_pattern(getattr(metadata, name))
        for name in (  # any one matching makes a number valid: the common ones first
            "mobile",
            "fixed_line",
            "toll_free",
            "premium_rate",
            "shared_cost",
            "voip",
            "personal_number",
            "pager",
            "uan",
            "voicemail",
        )
    ]
    known = [kind for kind in kinds if kind is not None]
    desc = metadata.general_desc
    if general is None or desc is None or not known:
        return None
    local = set(desc.possible_length_local_only)
    lengths = "|".join(rf"\d{{{n}}}" for n in desc.possible_length if n not in local)
    national = (
        rf"(?=[1-9])(?!1[12]|179|86)(?=(?:{lengths})$)(?=(?:{general})$)(?:{'|'.join(known)})"
    )
    return re.compile(rf"(?:\+86|0086|0)?({national})")


def _fast_e164(items: Sequence[object]) -> list[str | None]:
    """The E.164 form of each value the fast path can vouch for, ``None`` for the others.

    A value the fast path leaves (``None``) may still be valid: [`validate`][aftersales_crm.values.phone.validate] decides.
    """
    pattern = _fast_pattern()
    if pattern is None:
        return [None] * len(items)
    texts: Sequence[Any] = items
    if not all(map(str.__instancecheck__, texts)) or not all(map(str.isascii, texts)):
        texts = [item if isinstance(item, str) and item.isascii() else "" for item in items]
    compacted = map(str.translate, texts, repeat(_ASCII_SEPARATORS))
    return [None if m is None else "+86" + m[1] for m in map(pattern.fullmatch, compacted)]


def validate_array(
    values: Sequence[object] | NDArray[Any], *, region: str = DEFAULT_REGION
) -> NDArray[np.object_]:
    """Check a whole column of phone numbers: the E.164 form of each valid one.

    The result is that of [`validate`][aftersales_crm.values.phone.validate] on each value, with ``None`` where it raises
    (or the value is not a str). Mainland numbers in the common forms, read in region
    ``CN`` (``13812345678``, ``138-1234-5678``, ``010 1234 5678``, ``+86 138 1234 5678``,
    ``0086 10 12345678``), take a fast path of one regular-expression match each, built
    from the numbering-plan metadata of ``phonenumbers``; every other value goes through
    [`validate`][aftersales_crm.values.phone.validate]. Call [`validate`][aftersales_crm.values.phone.validate] on a ``None`` row for the reason.

    Args:
        values: the numbers as typed (a list or a one-dimensional array).
        region: as for [`validate`][aftersales_crm.values.phone.validate].

    Returns:
        An object array of shape (len(values),): E.164 texts and ``None``.

    Raises:
        InvalidComponent: ``region`` is not a region with a numbering plan
            (``phone_region``).
        InvalidValue: ``values`` is not a column (``invalid_argument``).

    Examples:
        >>> validate_array(["138 1234 5678", "010-12345678", "+852 9123 4567", "95588", None])
        array(['+8613812345678', '+861012345678', '+85291234567', None, None],
              dtype=object)
    """
    region = check_region(region)
    items = column_items(values)
    found: list[str | None] = _fast_e164(items) if region == _CN else [None] * len(items)
    for row, number in enumerate(found):
        if number is None:
            try:
                found[row] = validate(items[row], region=region)  # type: ignore[arg-type]  # any input is allowed
            except InvalidValue:
                continue
    out = np.empty(len(found), dtype=object)
    out[:] = found
    return out
