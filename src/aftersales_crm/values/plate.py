"""Chinese licence plates (机动车号牌, GA 36-2018).

Covered, after NFKC, upper-casing and removing ``·``, ``.``, spaces and hyphens:

* regular plates, 7 characters: a province abbreviation, an issuing-office letter (A–Z
  without I and O) and five letters or digits (without I and O), e.g. ``京A12345``;
* new-energy plates, 8 characters: small vehicles ``粤B D12345`` (a type letter from
  ``DABCEFGHJK``, then a letter or digit, then four digits) and large vehicles
  ``苏E 12345D`` (five digits, then the type letter);
* special-use plates ending in 学 (driving school), 警 (police), 挂 (trailer), 领
  (consulate), 港 or 澳 (cross-border Hong Kong / Macau): province, office letter, four
  letters or digits, the suffix, e.g. ``京A1234学``;
* embassy plates: 使 and six digits, or six digits and 使.

Not covered: military and armed-police plates (their own systems), temporary plates,
motorcycle and agricultural plates, and plates of the 1992 and older standards.

References:
    GA 36-2018, 中华人民共和国机动车号牌.

Examples:
    >>> validate("粤b·d12345")
    '粤BD12345'
    >>> format("京A12345"), kind("苏E12345D")
    ('京A·12345', 'new_energy')
"""

from __future__ import annotations

import re
from typing import Final, Literal

from aftersales_crm.errors import InvalidFormat, InvalidValue
from aftersales_crm.values._identifier import normalise

__all__ = ["PROVINCES", "compact", "format", "is_valid", "kind", "province", "validate"]

PROVINCES: Final = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
"""The 31 province-level abbreviations a plate starts with."""

_L: Final = "A-HJ-NP-Z"  # letters without I and O
_REGULAR: Final = re.compile(rf"[{PROVINCES}][{_L}][{_L}0-9]{{5}}")
_NEW_ENERGY: Final = re.compile(
    rf"[{PROVINCES}][{_L}](?:[DABCEFGHJK][{_L}0-9]\d{{4}}|\d{{5}}[DABCEFGHJK])"
)
_SPECIAL: Final = re.compile(rf"[{PROVINCES}][{_L}][{_L}0-9]{{4}}[学警挂领港澳]")
_EMBASSY: Final = re.compile(r"使\d{6}|\d{6}使")

PlateKind = Literal["regular", "new_energy", "special", "embassy"]


def compact(number: str) -> str:
    """Normalise: NFKC, drop ``·``, dots, spaces and hyphens, upper-case.

    Args:
        number: the plate as written.

    Returns:
        The compact form; not validated.

    Raises:
        InvalidFormat: the input is not a str.

    Examples:
        >>> compact("粤 b·d1234-5")
        '粤BD12345'
    """
    return normalise(number, what="plate", separators=" -.·\u30fb")


def _kind(number: str) -> PlateKind | None:
    for name, pattern in (
        ("regular", _REGULAR),
        ("new_energy", _NEW_ENERGY),
        ("special", _SPECIAL),
        ("embassy", _EMBASSY),
    ):
        if pattern.fullmatch(number):
            return name  # type: ignore[return-value]
    return None


def validate(number: str) -> str:
    """Check a licence plate and return its compact form.

    Args:
        number: the plate as written.

    Returns:
        The compact plate.

    Raises:
        InvalidFormat: not a str, or no covered format matches (``plate_format``).

    Examples:
        >>> validate("京O12345")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: plate '京O12345' matches no covered format (regular, new-energy, special-use or embassy; no I or O)
    """
    plate = compact(number)
    if _kind(plate) is None:
        msg = f"plate {number!r} matches no covered format (regular, new-energy, special-use or embassy; no I or O)"
        raise InvalidFormat(msg, code="plate_format")
    return plate


def is_valid(number: object) -> bool:
    """Tell whether a value is a covered licence plate; never raises.

    Args:
        number: anything.

    Returns:
        True when :func:`validate` would accept it.

    Examples:
        >>> is_valid("京A1234学"), is_valid("京AI2345"), is_valid(None)
        (True, False, False)
    """
    try:
        validate(number)  # type: ignore[arg-type]
    except InvalidValue:
        return False
    return True


def kind(number: str) -> PlateKind:
    """Return the kind of plate: regular, new-energy, special-use or embassy.

    Args:
        number: a valid plate.

    Returns:
        ``"regular"``, ``"new_energy"``, ``"special"`` or ``"embassy"``.

    Raises:
        InvalidValue: the plate is not valid.

    Examples:
        >>> kind("京A12345"), kind("粤Z1234港"), kind("使014578")
        ('regular', 'special', 'embassy')
    """
    found = _kind(validate(number))
    assert found is not None
    return found


def province(number: str) -> str | None:
    """Return the province abbreviation a plate was issued in (None for embassy plates).

    Args:
        number: a valid plate.

    Returns:
        One character such as ``"京"``, or None.

    Raises:
        InvalidValue: the plate is not valid.

    Examples:
        >>> province("粤B·D12345"), province("使014578")
        ('粤', None)
    """
    plate = validate(number)
    return plate[0] if plate[0] in PROVINCES else None


def format(number: str) -> str:
    """Return the display form with the conventional dot after the issuing office.

    Args:
        number: a valid plate.

    Returns:
        ``"京A·12345"`` (embassy plates unchanged).

    Raises:
        InvalidValue: the plate is not valid.

    Examples:
        >>> format("粤bd12345")
        '粤B·D12345'
    """
    plate = validate(number)
    return plate if _kind(plate) == "embassy" else f"{plate[:2]}·{plate[2:]}"
