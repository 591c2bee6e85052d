"""Aligning text that mixes Chinese and Latin characters in a terminal's columns."""

from __future__ import annotations

import unicodedata

__all__ = ["display_width", "pad_left", "pad_right"]


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
