"""Hours of the day, as half-hour slots: when a customer may be contacted.

The care agenda is day-level: a task may be made on any day of its window. The contact
rules also say in which hours of the day (local time): the day is cut into 48 half-hour
slots and a set of hours is the bits of one int64, slot ``i`` running from ``i * 30`` to
``(i + 1) * 30`` minutes after midnight. Sets combine with a bitwise and; no bit left
means no hour. A span is written ``"HH:MM-HH:MM"`` (end excluded, ``"24:00"`` for
midnight) in records, or as a pair of times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidFormat, InvalidValue

__all__ = [
    "ALL_DAY",
    "SLOTS",
    "SLOT_MINUTES",
    "call_window",
    "hours_mask",
    "hours_text",
    "minutes",
    "span_text",
]

_CODE: Final = "hours"

SLOT_MINUTES: Final = 30
"""Minutes in a slot: contact hours run on the half hour."""

SLOTS: Final = 24 * 60 // SLOT_MINUTES
"""Slots in a day (48)."""

ALL_DAY: Final = (1 << SLOTS) - 1
"""Every slot of the day: hours no rule restricted."""

_HOUR: Final = 60
_SPAN_ENDS: Final = 2
_TIME: Final = re.compile(r"(\d\d):(\d\d)")
_BITS: Final = np.int64(1) << np.arange(SLOTS, dtype=np.int64)


def minutes(value: object, *, parameter: str) -> int:
    """``"HH:MM"`` as minutes after midnight, on the half hour, ``"24:00"`` the day's end.

    Raises:
        InvalidValue: not ``"HH:MM"``, beyond ``"24:00"`` or not on the half hour (the
            message names ``parameter``).

    Examples:
        >>> minutes("09:30", parameter="quiet"), minutes("24:00", parameter="quiet")
        (570, 1440)
        >>> minutes("09:15", parameter="quiet")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: quiet: '09:15' is not a time of day "HH:MM" on the half hour from "00:00" to "24:00"
    """
    found = _TIME.fullmatch(value) if isinstance(value, str) else None
    total = int(found[1]) * _HOUR + int(found[2]) if found and int(found[2]) < _HOUR else -1
    if not 0 <= total <= SLOTS * SLOT_MINUTES or total % SLOT_MINUTES:
        msg = (
            f'{parameter}: {value!r:.40} is not a time of day "HH:MM" on the half hour'
            ' from "00:00" to "24:00"'
        )
        raise InvalidValue(msg, code=_CODE)
    return total


def hours_mask(spans: Sequence[tuple[str, str]], *, parameter: str = "spans") -> int:
    """The slots of ``spans``, each ``(start, end)`` in ``"HH:MM"``, end excluded.

    Raises:
        InvalidValue: a span that is not two times, or ends before it starts (naming it).

    Examples:
        >>> bin(hours_mask([("00:00", "01:00"), ("02:00", "02:30")]))
        '0b10011'
        >>> hours_mask([]) == 0, hours_mask([("00:00", "24:00")]) == ALL_DAY
        (True, True)
    """
    out = 0
    given: Sequence[object] = spans  # typed, but callers may pass anything
    for span in given:
        if not isinstance(span, tuple | list) or len(span) != _SPAN_ENDS:
            msg = f"{parameter}: {span!r:.60} is not a span (start, end)"
            raise InvalidValue(msg, code=_CODE)
        start, end = (minutes(t, parameter=parameter) // SLOT_MINUTES for t in span)
        if end <= start:
            msg = f"{parameter}: the span {tuple(span)!r} ends before it starts"
            raise InvalidValue(msg, code=_CODE)
        out |= ((1 << (end - start)) - 1) << start
    return out


def span_text(value: object, *, parameter: str = "span") -> str:
    """``value`` if it is a span ``"HH:MM-HH:MM"`` on the half hour, end after start.

    Raises:
        InvalidFormat: not two times joined by ``-``, a time off the half hour or beyond
            ``"24:00"``, or an end not after the start (naming ``parameter``).

    Examples:
        >>> span_text("12:00-14:00")
        '12:00-14:00'
        >>> span_text("14:00-12:00")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidFormat: span: the span ('14:00', '12:00') ends before it starts
    """
    parts = value.split("-") if isinstance(value, str) else []
    if len(parts) != len(("start", "end")):
        msg = f'{parameter}: {value!r:.40} is not a span "HH:MM-HH:MM"'
        raise InvalidFormat(msg, code=_CODE)
    try:
        hours_mask([(parts[0], parts[1])], parameter=parameter)
    except InvalidValue as err:
        raise InvalidFormat(str(err), code=_CODE) from None
    return str(value)


_TIMES: Final = np.array(
    [f"{m // _HOUR:02d}:{m % _HOUR:02d}" for m in range(0, SLOTS * SLOT_MINUTES + 1, SLOT_MINUTES)],
    dtype=object,
)
"""The time each slot starts, and "24:00" after the last."""


def call_window(masks: NDArray[np.int64]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The first and the last permitted time of each mask, ``"HH:MM"`` (None for no hour).

    The last is the end of the last permitted slot: ``"24:00"`` for a day that runs to
    midnight. Hours with a gap (a lunch break) run from the first to the last; see
    ``hours_text`` for the gaps.

    Examples:
        >>> masks = np.array([ALL_DAY, hours_mask([("09:00", "12:00"), ("14:00", "18:00")]), 0])
        >>> [f.tolist() for f in call_window(masks)]
        [['00:00', '09:00', None], ['24:00', '18:00', None]]
    """
    kinds, which = np.unique(np.asarray(masks, dtype=np.int64), return_inverse=True)
    on = (kinds[:, None] & _BITS) != 0
    some = on.any(axis=1)
    start: NDArray[np.object_] = _TIMES[np.argmax(on, axis=1)]
    end: NDArray[np.object_] = _TIMES[SLOTS - np.argmax(on[:, ::-1], axis=1)]
    start[~some] = None  # fancy indexing made copies: _TIMES is untouched
    end[~some] = None
    return start[which.ravel()], end[which.ravel()]


def hours_text(masks: NDArray[np.int64]) -> NDArray[np.object_]:
    """The permitted hours of each mask in words: ``"09:00-12:00, 14:00-18:00"``, ``""`` for none.

    Examples:
        >>> hours_text(np.array([hours_mask([("09:00", "12:00"), ("14:00", "18:00")]), 0])).tolist()
        ['09:00-12:00, 14:00-18:00', '']
    """
    kinds, which = np.unique(np.asarray(masks, dtype=np.int64), return_inverse=True)
    texts = np.empty(len(kinds), dtype=object)
    for row, mask in enumerate(kinds.tolist()):
        on = np.r_[False, (mask & _BITS) != 0, False]
        times = _TIMES[np.flatnonzero(on[1:] != on[:-1])].tolist()
        texts[row] = ", ".join(f"{a}-{b}" for a, b in zip(times[::2], times[1::2], strict=True))
    return texts[which.ravel()]
