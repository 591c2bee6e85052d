r"""The limits every value of the library stays within, and the one normal form of ids.

Records and tables check the same limits, so that whatever gets in can be summed, dated and
compared by every kernel without overflowing:

* [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS] bounds an amount: any real invoice fits, and ten million amounts
  at the bound still sum inside a signed 64-bit integer.
* [`EARLIEST_DATE`][aftersales_crm.values.EARLIEST_DATE] … [`LATEST_DATE`][aftersales_crm.values.LATEST_DATE] and [`EARLIEST_INSTANT`][aftersales_crm.values.EARLIEST_INSTANT] …
  [`LATEST_INSTANT`][aftersales_crm.values.LATEST_INSTANT] bound the calendar: every month and day arithmetic a kernel does
  (a service interval, a lost horizon, an anniversary) stays inside what ``datetime`` and
  ``datetime64`` represent.
* [`MAX_KILOMETRES`][aftersales_crm.values.MAX_KILOMETRES] bounds an odometer reading, so that readings and the distances
  between them stay far inside a signed 64-bit integer.
* [`normalise_id`][aftersales_crm.values.normalise_id] is the normal form of the caller's own ids (``customer_id``,
  ``order_id``, …), so that the same id cannot arrive twice in disguise.

These limits are the library's choice; no source prescribes them.

Examples:
    >>> normalise_id(" C１\u200b ")
    'C1'
    >>> MAX_MINOR_UNITS * 10_000_000 < 2**63
    True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from aftersales_crm.errors import InvalidType
from aftersales_crm.values._identifier import INVISIBLE

__all__ = [
    "EARLIEST_DATE",
    "EARLIEST_INSTANT",
    "LATEST_DATE",
    "LATEST_INSTANT",
    "MAX_KILOMETRES",
    "MAX_MINOR_UNITS",
    "MAX_SUMMED_ROWS",
    "normalise_id",
    "normalise_ids",
    "normalise_postcode",
]

MAX_MINOR_UNITS: Final = 10**11
"""The largest amount, in minor units, a record or a table holds (¥1,000,000,000.00 in fen).

It leaves room for [`MAX_SUMMED_ROWS`][aftersales_crm.values.MAX_SUMMED_ROWS] amounts at the bound to sum inside a signed
64-bit integer (``10**11 * 10**7 = 10**18 < 2**63 ≈ 9.2 * 10**18``). The bound is the
library's choice: no invoice of a dealer comes near it.
"""

MAX_SUMMED_ROWS: Final = 10**7
"""The number of amounts at [`MAX_MINOR_UNITS`][aftersales_crm.values.MAX_MINOR_UNITS] whose sum is guaranteed to fit int64."""

MAX_KILOMETRES: Final = 10**9
"""The largest odometer reading, in km, a record or a table holds (a billion kilometres).

The most any car is known to have been driven is a few million kilometres, so no real
reading comes near the bound, and [`MAX_SUMMED_ROWS`][aftersales_crm.values.MAX_SUMMED_ROWS] readings at the bound sum to
``10**16``, inside a signed 64-bit integer. The bound is the library's choice.
"""

EARLIEST_DATE: Final = dt.date(1900, 1, 1)
"""The earliest date a record or a table holds (a birthday, a registration, a visit)."""

LATEST_DATE: Final = dt.date(2199, 12, 31)
"""The latest date a record or a table holds.

Two centuries on either side of today leave every kernel's arithmetic (add a few years of
months, count days) well inside ``datetime.date`` (years 1 to 9999).
"""

EARLIEST_INSTANT: Final = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
"""The earliest instant (inclusive) a record or a table holds, in UTC."""

LATEST_INSTANT: Final = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
"""The end (exclusive) of the instants a record or a table holds, in UTC."""

_REMOVE: Final = dict.fromkeys(map(ord, INVISIBLE))
_PLAIN_SEPARATOR: Final = "\x00"
_EDGE_SPACE: Final = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {type(value).__name__} {value!r:.80}"
        raise InvalidType(msg)


def normalise_id(value: str) -> str:
    r"""The normal form of an id: NFKC, invisible characters removed, white space trimmed.

    Full-width characters typed with Chinese input methods become ASCII, zero-width spaces
    and byte-order marks copied from spreadsheets are removed, and white space around the
    id is dropped. White space inside an id is kept (and refused by the id rule).

    Args:
        value: the id as given.

    Returns:
        The id in normal form (possibly empty, which the id rule refuses).

    Raises:
        InvalidType: ``value`` is not a str.

    Examples:
        >>> normalise_id("\ufeffＲＯ－００１ ")
        'RO-001'
        >>> normalise_id("C1") == normalise_id("C1\u200b")
        True
    """
    _check_text(value, "an id")
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFKC", value.translate(_REMOVE)).strip()


def normalise_ids(values: Sequence[str]) -> list[str]:
    """[`normalise_id`][aftersales_crm.values.normalise_id] of each text, fast when nothing needs changing.

    Args:
        values: texts (every item a ``str``).

    Returns:
        A new list of the normal forms, in the same order.

    Raises:
        InvalidType: ``values`` is not a sequence of str.

    Examples:
        >>> normalise_ids(["C1", " C2", "Ｃ3"])
        ['C1', 'C2', 'C3']
    """
    given: object = values
    if not isinstance(given, Sequence) or isinstance(given, str):
        msg = f"normalise_ids takes a sequence of str, got {type(given).__name__} {given!r:.80}"
        raise InvalidType(msg)
    items = list(values)
    try:
        joined = _PLAIN_SEPARATOR.join(items)
    except TypeError:  # an item is not a str: name it
        for item in items:
            _check_text(item, "an id")
        raise
    if joined.isascii() and _EDGE_SPACE.search(joined) is None:
        return items  # ASCII without white space at either end: already normal
    return [normalise_id(item) for item in items]


def normalise_postcode(value: str) -> str:
    """A postcode with every decimal digit in ASCII and white space trimmed.

    Full-width digits (``１０００８３``) and the digits of other scripts become ``0``–``9``;
    other characters are left for the postcode rule to refuse.

    Args:
        value: the postcode as given.

    Returns:
        The postcode with ASCII digits.

    Raises:
        InvalidType: ``value`` is not a str.

    Examples:
        >>> normalise_postcode(" １０００８３")
        '100083'
    """
    _check_text(value, "a postcode")
    text = unicodedata.normalize("NFKC", value.translate(_REMOVE)).strip()
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )
