"""The holiday calendar the care agenda counts business days and quiet days on.

The caller passes a calendar in; the library never looks one up. Any object with
``is_day_off(day)`` and ``name(day)`` will do (:class:`HolidayCalendar`); the default
(:class:`WeekendCalendar`) has Saturdays and Sundays off and the days the caller names.

This is the one place the care package reads a calendar through, so that a fuller calendar
package (China's public holidays and make-up working days, festival dates from a lunar
table) can later stand in for it without touching the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._frozen import frozen_reduce
from aftersales_crm.errors import InvalidValue

__all__ = ["HolidayCalendar", "WeekendCalendar", "add_business_days", "days_off"]

_SATURDAY: Final = 5
_ONE_DAY: Final = np.timedelta64(1, "D")
_FIRST_SPAN: Final = 31
"""Days looked at past the latest date at first; doubled until every result is found."""
_LONGEST_SPAN: Final = 366 * 5
"""A calendar without enough working days in five years is refused rather than searched for
ever."""


@runtime_checkable
class HolidayCalendar(Protocol):
    """Which days are off, and the name of a holiday.

    Examples:
        >>> isinstance(WeekendCalendar(), HolidayCalendar)
        True
    """

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is not a working day (a weekend day, a public holiday)."""
        ...

    def name(self, day: dt.date) -> str | None:
        """The holiday's name on ``day``, or None."""
        ...


def _holidays(value: object) -> Mapping[dt.date, str]:
    if not isinstance(value, Mapping):
        msg = f"holidays is {value!r:.80}, expected a mapping of date to the holiday's name"
        raise InvalidValue(msg, code="holiday_calendar")
    for day, name in value.items():
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            msg = f"holidays holds the key {day!r:.80}, expected a datetime.date"
            raise InvalidValue(msg, code="holiday_calendar")
        if not isinstance(name, str) or not name:
            msg = f"holidays names {day.isoformat()} {name!r:.80}, expected a non-empty text"
            raise InvalidValue(msg, code="holiday_calendar")
    return MappingProxyType(dict(value))


@attrs.frozen
class WeekendCalendar:
    """Saturdays and Sundays off, and the ``holidays`` the caller names.

    The weekend-only default of the care agenda, the library's choice: China's public
    holidays move every year and bring working weekends (调休), so none is built in. Pass
    them as ``holidays``, or pass any :class:`HolidayCalendar` of your own.

    Attributes:
        holidays: further days off, each with its name.

    Examples:
        >>> calendar = WeekendCalendar(holidays={dt.date(2026, 10, 1): "国庆节"})
        >>> [calendar.is_day_off(dt.date(2026, 10, d)) for d in (1, 2, 3)]
        [True, False, True]
        >>> calendar.name(dt.date(2026, 10, 1)), calendar.name(dt.date(2026, 10, 3))
        ('国庆节', None)
    """

    holidays: Mapping[dt.date, str] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_holidays
    )

    def __hash__(self) -> int:
        """Hash by the holidays."""
        return hash(frozenset(self.holidays.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is a Saturday, a Sunday or one of :attr:`holidays`.

        Examples:
            >>> WeekendCalendar().is_day_off(dt.date(2026, 6, 27))  # a Saturday
            True
        """
        return day.weekday() >= _SATURDAY or day in self.holidays

    def name(self, day: dt.date) -> str | None:
        """The name :attr:`holidays` gives ``day``, or None.

        Examples:
            >>> WeekendCalendar().name(dt.date(2026, 6, 27)) is None
            True
        """
        return self.holidays.get(day)


def days_off(
    calendar: HolidayCalendar, first: np.datetime64, last: np.datetime64
) -> NDArray[np.bool_]:
    """Whether each day from ``first`` to ``last`` (inclusive) is off in ``calendar``.

    Raises:
        InvalidValue: the calendar's ``is_day_off`` does not answer True or False.

    Examples:
        >>> days_off(WeekendCalendar(), np.datetime64("2026-06-26"), np.datetime64("2026-06-29")).tolist()
        [False, True, True, False]
    """
    span = int((last - first) // _ONE_DAY) + 1
    out = np.zeros(max(span, 0), dtype=bool)
    start = first.astype("datetime64[D]").item()
    for i in range(len(out)):
        answer: object = calendar.is_day_off(start + dt.timedelta(days=i))
        if not isinstance(answer, bool | np.bool_):
            msg = f"{type(calendar).__name__}.is_day_off answered {answer!r:.80}, expected True or False"
            raise InvalidValue(msg, code="holiday_calendar")
        out[i] = bool(answer)
    return out


def add_business_days(
    days: NDArray[np.datetime64], n: int, calendar: HolidayCalendar
) -> NDArray[np.datetime64]:
    """The ``n``-th working day after each day (the day itself not counted); NaT stays NaT.

    A day that is itself off counts from the working day before it: three working days
    after a Saturday is the Wednesday, as after the Friday.

    Raises:
        InvalidValue: the calendar has fewer than ``n`` working days in five years.

    Examples:
        >>> friday = np.array(["2026-06-26", "2026-06-27", "NaT"], dtype="datetime64[D]")
        >>> add_business_days(friday, 3, WeekendCalendar()).tolist()
        [datetime.date(2026, 7, 1), datetime.date(2026, 7, 1), None]
    """
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnat(days)
    if not known.any():
        return out
    given = days[known]
    first = given.min() - np.timedelta64(_FIRST_SPAN, "D")
    span = _FIRST_SPAN + n
    while True:
        last = given.max() + np.timedelta64(span, "D")
        off = days_off(calendar, first, last)
        if off.all():
            found = None
        else:
            holidays = (first + np.flatnonzero(off).astype("timedelta64[D]")).astype(
                "datetime64[D]"
            )
            found = np.busday_offset(
                given, n, roll="backward", weekmask="1111111", holidays=holidays
            )
            earliest = first + np.timedelta64(int(np.argmin(off)), "D")
            if not (given < earliest).any() and found.max() < last:
                out[known] = found
                return out
        if span > _LONGEST_SPAN:
            msg = (
                f"{type(calendar).__name__} has fewer than {n} working days after"
                f" {given.max()} within {_LONGEST_SPAN} days"
            )
            raise InvalidValue(msg, code="holiday_calendar")
        span *= 2
        first = first - np.timedelta64(span, "D")
