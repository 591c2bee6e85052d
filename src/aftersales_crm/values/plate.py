"""Chinese motor-vehicle licence plates (机动车号牌, GA 36-2018).

Input is normalised with NFKC (full-width letters and digits become ASCII), letters are
upper-cased, and the separators ``·`` (and look-alike dots), ``.``, spaces and hyphens are
removed. The compact form is then matched against exactly these formats:

* **regular** (普通号牌), 7 characters: a province abbreviation ([`PROVINCES`][aftersales_crm.values.plate.PROVINCES]), an
  issuing-office letter (A–Z without I and O) and five letters or digits (without I and O):
  ``京A12345``, ``京AD2345``;
* **new-energy** (新能源号牌), 8 characters, with a type letter from
  [`NEW_ENERGY_TYPES`][aftersales_crm.values.plate.NEW_ENERGY_TYPES] (D, A, B, C, E: pure electric; F, G, H, J, K: other new
  energy). Small vehicles put it first, then a letter or digit and four digits
  (``粤BD12345``, ``沪AF12345``); large vehicles put it last, after five digits
  (``苏E12345D``);
* **special** (专用号牌), 7 characters: province, office letter, four letters or digits, and
  a suffix from [`SPECIAL_SUFFIXES`][aftersales_crm.values.plate.SPECIAL_SUFFIXES]: 学 (driving-school coach), 警 (police), 挂
  (trailer), 领 (consulate), 港 or 澳 (cross-border vehicles of Hong Kong or Macau):
  ``京A1234学``, ``粤Z1234港``;
* **embassy** (使馆号牌), 7 characters: 使 and six digits (``使014578``) or six digits and
  使 (``014578使``); the first three digits number the embassy.

Not covered, and rejected: military plates, armed-police plates (``WJ``…), temporary,
motorcycle, tractor and low-speed vehicle plates, and plates of standards before GA 36.
Whether a plate was actually issued cannot be checked offline.

References:
    GA 36-2018, 中华人民共和国机动车号牌 (motor-vehicle plates of the People's Republic
    of China), sections 4 and 5 and annex A.

Examples:
    >>> validate("粤b·d12345")
    '粤BD12345'
    >>> format("京A12345"), kind("苏E12345D"), province("沪AF12345")
    ('京A·12345', 'new_energy', '沪')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, cast

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidFormat, InvalidValue
from aftersales_crm.values._identifier import DASHES, column_items, normalise, shown

__all__ = [
    "EMBASSY_MARK",
    "KINDS",
    "NEW_ENERGY_TYPES",
    "PROVINCES",
    "SPECIAL_SUFFIXES",
    "PlateKind",
    "compact",
    "format",
    "is_valid",
    "is_valid_array",
    "kind",
    "province",
    "validate",
]

PlateKind = Literal["regular", "new_energy", "special", "embassy"]
"""The kinds of plate this module covers."""

KINDS: Final[tuple[PlateKind, ...]] = ("regular", "new_energy", "special", "embassy")
"""Every value [`kind`][aftersales_crm.values.plate.kind] can return."""

PROVINCES: Final = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
"""The 31 province-level abbreviations a plate starts with (GA 36-2018 annex A)."""

NEW_ENERGY_TYPES: Final = "DABCEFGHJK"
"""Type letters of new-energy plates: D, A, B, C, E pure electric; F, G, H, J, K others."""

SPECIAL_SUFFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "学": "driving-school coach",
        "警": "police",
        "挂": "trailer",
        "领": "consulate",
        "港": "cross-border, Hong Kong",
        "澳": "cross-border, Macau",
    }
)
"""The last character of special plates, and what it means."""

EMBASSY_MARK: Final = "使"
"""The character that marks an embassy plate, first or last."""

_SEPARATORS: Final = " .·\u2022\u2027\u2219\u22c5\u30fb" + DASHES
_LETTER: Final = "A-HJ-NP-Z"  # capital letters without I and O
_P: Final = f"[{PROVINCES}][{_LETTER}]"  # province and issuing office
_PATTERNS: Final[tuple[tuple[PlateKind, re.Pattern[str]], ...]] = (
    ("regular", re.compile(f"{_P}[{_LETTER}0-9]{{5}}")),
    (
        "new_energy",
        re.compile(
            f"{_P}(?:[{NEW_ENERGY_TYPES}][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[{NEW_ENERGY_TYPES}])"
        ),
    ),
    ("special", re.compile(f"{_P}[{_LETTER}0-9]{{4}}[{''.join(SPECIAL_SUFFIXES)}]")),
    ("embassy", re.compile(f"{EMBASSY_MARK}[0-9]{{6}}|[0-9]{{6}}{EMBASSY_MARK}")),
)
_CANONICAL: Final = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _PATTERNS))
_OFFICE_END: Final = 2  # the display dot goes after province and office letter


def compact(number: str) -> str:
    """Normalise a plate without validating it: NFKC, no separators, upper-case.

    Args:
        number: the plate as written.

    Returns:
        The compact form.

    Raises:
        InvalidFormat: the input is not a str (``plate_type``).

    Examples:
        >>> compact("粤 b·d1234-5")
        '粤BD12345'
        >>> compact("京Ａ１２３４５")
        '京A12345'
    """
    return normalise(number, name="licence plate", code="plate_type", separators=_SEPARATORS)


def _kind_of(plate: str) -> PlateKind | None:
    """Return the kind of a compact plate, or None when no covered format matches."""
    return next((name for name, pattern in _PATTERNS if pattern.fullmatch(plate)), None)


def _classify(number: str) -> tuple[str, PlateKind]:
    """Compact a plate and return it with its kind, or raise ``plate_format``."""
    plate = compact(number)
    found = _kind_of(plate)
    if found is None:
        msg = (
            f"licence plate {shown(plate)} matches no covered format: regular (京A12345), "
            "new-energy (粤BD12345, 苏E12345D), special (京A1234学) or embassy (使014578); "
            "letters I and O are never used"
        )
        raise InvalidFormat(msg, code="plate_format")
    return plate, found


def validate(number: str) -> str:
    """Check a licence plate and return its compact form.

    Args:
        number: the plate as written.

    Returns:
        The compact plate, upper-case without separators.

    Raises:
        InvalidFormat: not a str (``plate_type``), or no covered format matches
            (``plate_format``).

    Examples:
        >>> validate("京a 12345")
        '京A12345'
        >>> validate("京O12345")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: licence plate '京O12345' matches no covered format: regular (京A12345), new-energy (粤BD12345, 苏E12345D), special (京A1234学) or embassy (使014578); letters I and O are never used
    """
    return _classify(number)[0]


def is_valid(number: object) -> bool:
    """Tell whether a value is a plate of a covered format; never raises.

    Args:
        number: anything.

    Returns:
        True when [`validate`][aftersales_crm.values.plate.validate] accepts the value.

    Examples:
        >>> is_valid("京A1234学"), is_valid("京AI2345"), is_valid(None)
        (True, False, False)
    """
    try:
        validate(number)  # type: ignore[arg-type]  # any input is allowed
    except InvalidValue:
        return False
    return True


def kind(number: str) -> PlateKind:
    """Return the kind of a plate: one of [`KINDS`][aftersales_crm.values.plate.KINDS].

    Args:
        number: a valid plate.

    Returns:
        ``"regular"``, ``"new_energy"``, ``"special"`` or ``"embassy"``.

    Raises:
        InvalidValue: the plate is not valid (see [`validate`][aftersales_crm.values.plate.validate]).

    Examples:
        >>> kind("京A12345"), kind("粤Z1234港"), kind("使014578")
        ('regular', 'special', 'embassy')
    """
    return _classify(number)[1]


def province(number: str) -> str | None:
    """Return the province abbreviation a plate was issued under.

    Args:
        number: a valid plate.

    Returns:
        One character of [`PROVINCES`][aftersales_crm.values.plate.PROVINCES], or None for an embassy plate.

    Raises:
        InvalidValue: the plate is not valid (see [`validate`][aftersales_crm.values.plate.validate]).

    Examples:
        >>> province("粤B·D12345"), province("使014578")
        ('粤', None)
    """
    plate, found = _classify(number)
    return None if found == "embassy" else plate[0]


def format(number: str) -> str:
    """Return the display form, with the customary dot after the issuing-office letter.

    Args:
        number: a valid plate.

    Returns:
        ``"京A·12345"``; embassy plates are returned compact.

    Raises:
        InvalidValue: the plate is not valid (see [`validate`][aftersales_crm.values.plate.validate]).

    Examples:
        >>> format("粤bd12345"), format("使 014578")
        ('粤B·D12345', '使014578')
    """
    plate, found = _classify(number)
    if found == "embassy":
        return plate
    return f"{plate[:_OFFICE_END]}·{plate[_OFFICE_END:]}"


def is_valid_array(values: Sequence[object] | NDArray[Any]) -> NDArray[np.bool_]:
    """Tell which values are valid plates already in compact form, all at once.

    Meant for bulk ingest: a value is True when it is a str that [`validate`][aftersales_crm.values.plate.validate] returns
    unchanged (compact, upper case, a covered format). False means invalid *or* not
    compact (a separator, lower case, full-width characters, not a str); run
    [`validate`][aftersales_crm.values.plate.validate] on those rows to get the compact form or the error. One regular
    expression match per value, in C; no Python call per row.

    Args:
        values: a sequence of values (a list, or a one-dimensional object array).

    Returns:
        A bool array of shape (len(values),).

    Raises:
        InvalidValue: ``values`` is not a column (``invalid_argument``).

    Examples:
        >>> is_valid_array(["京A12345", "京a12345", "京I12345", None]).tolist()
        [True, False, False, False]
    """
    items = column_items(values)
    texts = cast("list[str]", items)
    if not all(map(str.__instancecheck__, items)):  # "" matches no format
        texts = [item if isinstance(item, str) else "" for item in items]
    matches = map(_CANONICAL.fullmatch, texts)
    return np.fromiter(map(bool, matches), dtype=np.bool_, count=len(texts))
