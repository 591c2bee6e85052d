"""The interface every identifier module shares, and the normalisation they all use.

The identifier modules ([`vin`][aftersales_crm.values.vin],
[`national_id`][aftersales_crm.values.national_id], [`phone`][aftersales_crm.values.phone],
[`plate`][aftersales_crm.values.plate]) follow python-stdnum's verb set: ``compact``,
``validate``, ``is_valid``, ``format`` and, where the standard has one,
``calc_check_digit``. [`IdentifierModule`][aftersales_crm.values.IdentifierModule] states that contract so mypy can check a
module against it, and ``normalise`` is the one place where typed input is cleaned.

Examples:
    >>> normalise("ｌｓｖ－ａｕ ２１８", name="VIN", code="vin_type")
    'LSVAU218'
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm.errors import InvalidFormat, InvalidValue

__all__ = [
    "DASHES",
    "INVISIBLE",
    "IdentifierModule",
    "column_items",
    "normalise",
    "shown",
    "unexpected_characters",
]

DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
"""Hyphen-minus and the dashes word processors substitute for it (U+2010–U+2015, U+2212).

NFKC maps the full-width hyphen ``－`` to ``-`` but leaves these alone.
"""

INVISIBLE: Final = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Characters copied along from spreadsheets and web pages that show as nothing.

Soft hyphen, zero-width space, zero-width (non-)joiner, word joiner and the byte-order mark;
they are always removed.
"""

_REMOVE_ALWAYS: Final = dict.fromkeys(map(ord, INVISIBLE))
_SHOWN_LENGTH: Final = 40  # error messages quote at most this much of the input ...
_SHOWN_CHARACTERS: Final = 5  # ... and list at most this many offending characters


class IdentifierModule(Protocol):
    """The verbs every identifier module offers, after python-stdnum's uniform API.

    A module satisfies the protocol structurally; extra keyword-only parameters with
    defaults (``strict=``, ``region=``, ``as_of=``) are allowed.

    Examples:
        >>> from aftersales_crm.values import plate, vin
        >>> modules: list[IdentifierModule] = [vin, plate]
        >>> [m.is_valid("京A12345") for m in modules]
        [False, True]
    """

    def compact(self, number: str) -> str:
        """Normalise without validating: NFKC, separators removed, upper-case."""

    def validate(self, number: str) -> str:
        """Return the canonical compact form, or raise an ``InvalidValue`` naming the rule."""

    def is_valid(self, number: object) -> bool:
        """Tell whether the value is valid; never raises, whatever it is given."""

    def format(self, number: str) -> str:
        """Return the display form of a valid value."""


def normalise(number: object, *, name: str, code: str, separators: str = " " + DASHES) -> str:
    """Normalise typed identifier input: require a str, NFKC, drop separators, upper-case.

    NFKC turns the full-width characters of Chinese input methods (``１ＨＧ``, ``－``, the
    ideographic space) into ASCII. Separators are removed anywhere in the value, invisible
    characters (``INVISIBLE``) always, and surrounding whitespace (tabs, newlines) is
    stripped.

    Args:
        number: the raw input, of any type.
        name: the identifier's name for the error message (``"VIN"``).
        code: the error code for input that is not a str (``"vin_type"``).
        separators: the characters to remove anywhere in the value.

    Returns:
        The normalised string; nothing is validated beyond its type.

    Raises:
        InvalidFormat: the input is not a str (with the given ``code``).

    Examples:
        >>> normalise(" １ｈｇ－ｃｍ ", name="VIN", code="vin_type")
        '1HGCM'
        >>> normalise("粤B·D12345", name="plate", code="plate_type", separators="·")
        '粤BD12345'
        >>> normalise(b"1HGCM", name="VIN", code="vin_type")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: a VIN must be a str, not bytes
    """
    if not isinstance(number, str):
        msg = f"a {name} must be a str, not {type(number).__name__}"
        raise InvalidFormat(msg, code=code)
    if number.isascii():
        # NFKC leaves ASCII unchanged and no invisible character is ASCII: the fast path
        # gives exactly what the full path below gives.
        return number.translate(_separator_table(separators)).strip().upper()
    text = unicodedata.normalize("NFKC", number).translate(_REMOVE_ALWAYS)
    text = text.translate(_separator_table(separators)).strip().upper()
    # Removing a separator can leave a combining mark next to a letter (NFKC turns "´"
    # into a space and U+0301), and upper() can leave text that is not NFKC: normalise
    # again so that normalising twice changes nothing.
    return unicodedata.normalize("NFKC", text)


@functools.cache
def _separator_table(separators: str) -> dict[int, None]:
    return dict.fromkeys(map(ord, separators))


def shown(text: str) -> str:
    """Quote input for an error message, cut short so a huge input cannot flood a log.

    Args:
        text: the input as given.

    Returns:
        Its ``repr``, with at most 40 characters of the text and ``…`` after a cut.

    Examples:
        >>> shown("京A12345")
        "'京A12345'"
        >>> shown("1" * 100)
        "'1111111111111111111111111111111111111111'…"
    """
    if len(text) <= _SHOWN_LENGTH:
        return repr(text)
    return repr(text[:_SHOWN_LENGTH]) + "…"


def unexpected_characters(text: str, allowed: str) -> str:
    """Name the characters of a text that are not allowed, for an error message.

    Args:
        text: the normalised input.
        allowed: the characters the identifier may contain.

    Returns:
        The distinct offending characters in code-point order, quoted and comma-separated,
        at most five and then ``…``; empty when there are none.

    Examples:
        >>> unexpected_characters("1HGCM8263QAO04352", "0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
        "'O', 'Q'"
        >>> unexpected_characters("abcdefg", "")
        "'a', 'b', 'c', 'd', 'e', …"
    """
    bad = sorted(set(text) - set(allowed))
    listed = ", ".join(repr(c) for c in bad[:_SHOWN_CHARACTERS])
    return listed + (", …" if len(bad) > _SHOWN_CHARACTERS else "")


ASCII: Final = 128
"""Character codes below this are ASCII."""

_UCS4: Final = 4  # bytes per character of a numpy unicode array


def as_column(values: ArrayLike | Sequence[object]) -> NDArray[Any]:
    """``values`` as an array; anything but an array becomes an object array.

    ``np.asarray(["a", 5])`` would turn the number into the text ``"5"``; an object array
    keeps each value as given, so a value that is not a str stays invalid.
    """
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(values, dtype=object)


def column_items(values: object, *, parameter: str = "values") -> list[object]:
    """The values of a column, one per row, as a list: a one-dimensional array or sequence.

    Raises:
        InvalidValue: ``values`` is not such a column (None, a lone text, a mapping, an
            array of another shape), code ``"invalid_argument"``, naming ``parameter``.
    """
    if isinstance(values, Sequence) and not isinstance(values, str | bytes):
        return list(values)
    if hasattr(values, "__array__") and not isinstance(values, np.generic):  # a Series too
        array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
        if array.ndim == 1:
            return list(array.tolist())
    msg = (
        f"{parameter} is {type(values).__name__}, expected a column: a list or a "
        "one-dimensional array"
    )
    raise InvalidValue(msg, code="invalid_argument")


def ascii_rows(
    array: NDArray[np.generic], width: int
) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    """Character codes of the values of an array, one row of ``width`` codes per value.

    Args:
        array: a numpy unicode array, or an object array of anything; other dtypes hold
            no str at all.
        width: the longest value of interest.

    Returns:
        ``(codes, fits)``: a uint8 array of shape (n_values, width) with each value's
        ASCII codes, NUL-padded, and a bool array of shape (n_values,) that is True where
        the value is a str of at most ``width`` ASCII characters. The codes of the other
        rows are all 0. Values are taken in flattened (C) order.
    """
    flat = array.reshape(-1)
    n = len(flat)
    fits = np.ones(n, dtype=np.bool_)
    if flat.dtype.kind == "O":
        # One Python step per row only to keep non-str and overlong values out of the
        # fixed-width copy, which would otherwise truncate them.
        fits = np.fromiter(
            (isinstance(value, str) and len(value) <= width for value in flat),
            dtype=np.bool_,
            count=n,
        )
        flat = np.where(fits, flat, "").astype(f"U{width}")
    elif flat.dtype.kind != "U":
        return np.zeros((n, width), dtype=np.uint8), np.zeros(n, dtype=np.bool_)
    chars = flat.dtype.itemsize // _UCS4
    text = np.ascontiguousarray(flat, dtype=np.dtype(f"U{chars}").newbyteorder("="))
    ucs4 = text.view(np.uint32).reshape(n, chars) if chars else np.zeros((n, 0), np.uint32)
    kept = min(width, chars)
    fits &= (ucs4[:, width:] == 0).all(axis=1) & (ucs4[:, :kept] < ASCII).all(axis=1)
    codes = np.zeros((n, width), dtype=np.uint8)
    codes[:, :kept] = np.where(fits[:, None], ucs4[:, :kept], 0)
    return codes, fits
