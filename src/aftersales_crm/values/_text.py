"""Text helpers: aligning Chinese and Latin text in a terminal's columns, finding white space."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["display_width", "has_white_space", "pad_left", "pad_right"]

_WHITE_SPACE: Final = re.compile(r"\s")

#: The ASCII characters ``str.isspace`` (and so the regular expression ``\s``) takes for
#: white space: tab to carriage return, the four information separators, and space.
_ASCII_WHITE_SPACE: Final = tuple(chr(c) for c in range(128) if chr(c).isspace())


def has_white_space(text: str) -> bool:
    r"""Whether ``text`` holds a white-space character, as ``re.search(r"\s", text)`` finds.

    ASCII text (a whole column of ids joined, say) is searched for each of its ten
    white-space characters with ``in``, a fast scan, about twenty times quicker than the
    regular expression on a few megabytes.

    Examples:
        >>> has_white_space("C1C2C3"), has_white_space("C1 C2"), has_white_space("王\u3000芳")
        (False, True, True)
    """
    if text.isascii():
        return any(space in text for space in _ASCII_WHITE_SPACE)
    return _WHITE_SPACE.search(text) is not None


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two.

    Examples:
        >>> display_width("A 忠诚"), len("A 忠诚")
        (6, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_right(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns (never cut).

    Examples:
        >>> pad_right("北", 4) + "|"
        '北  |'
    """
    return text + " " * max(width - display_width(text), 0)


def pad_left(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` columns (never cut).

    Examples:
        >>> "|" + pad_left("东北", 6)
        '|  东北'
    """
    return " " * max(width - display_width(text), 0) + text
