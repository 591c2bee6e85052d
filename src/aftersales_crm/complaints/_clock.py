"""Counting time for service levels: calendar hours, or business hours of a calendar.

A business calendar is passed in by the caller ([`BusinessCalendar`][aftersales_crm.complaints.BusinessCalendar]: which days are
off, and the opening hours); the library never looks one up. Days are the calendar days
of the programme's time zone, so the opening hours of a day are local hours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm.calendars import DaysOff, WeekendCalendar, days_off
from aftersales_crm.errors import InvalidValue

__all__ = ["BusinessCalendar", "WeekdayCalendar"]

US_PER_HOUR: Final = 3_600_000_000
_FIRST_SPAN: Final = 16
"""Days past the last instant the business days first cover; doubled until they cover every
deadline."""
_LONGEST_SPAN: Final = 366 * 20
"""A calendar without an opening hour in 20 years is refused rather than searched for ever."""


@runtime_checkable
class BusinessCalendar(DaysOff, Protocol):
    """A business calendar: which days are off, and the opening hours of the other days.

    It builds on the days off of [`DaysOff`][aftersales_crm.calendars.DaysOff]
    (``is_day_off(day)``, the one member every calendar of the library shares) and adds
    the opening hours. Any object with these three members will do, a dealer's holiday
    list for instance; [`WeekdayCalendar`][aftersales_crm.complaints.WeekdayCalendar] is the default.

    Attributes:
        opens: the local time the dealer opens on a business day.
        closes: the local time it closes, after ``opens``.

    Examples:
        >>> isinstance(WeekdayCalendar(), BusinessCalendar)
        True
    """

    @property
    def opens(self) -> dt.time:
        """The opening time on a business day (local)."""
        ...

    @property
    def closes(self) -> dt.time:
        """The closing time on a business day (local)."""
        ...


def _time_of_day(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time):
        msg = f"{attribute.name} is {value!r:.80}, expected a time of day (datetime.time)"
        raise InvalidValue(msg, code="business_calendar")


@attrs.frozen
class WeekdayCalendar(WeekendCalendar):
    """Monday to Friday, open 08:30–17:30; Saturdays, Sundays and ``holidays`` are off.

    The weekend-only default of the service levels, the library's choice: the material
    gives no opening hours, and many dealers open at weekends, so pass your own calendar
    (any [`BusinessCalendar`][aftersales_crm.complaints.BusinessCalendar]) when you count business hours. It is the
    [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar] of the days off with opening
    hours added: China's public holidays move every year (and bring working weekends),
    so none is built in: give them as ``holidays`` and the weekend days worked as
    ``workdays``.

    Attributes:
        opens: opening time, default 08:30.
        closes: closing time, default 17:30 (nine opening hours a day).
        holidays: further days off (keyword only).
        workdays: Saturdays and Sundays that are working days (keyword only).
        weekend: the weekdays off, Monday 0 to Sunday 6 (keyword only; default 5 and 6).

    Examples:
        >>> calendar = WeekdayCalendar(holidays=[dt.date(2026, 10, 1)])
        >>> [calendar.is_day_off(dt.date(2026, 10, d)) for d in (1, 2, 3)]
        [True, False, True]
    """

    opens: dt.time = attrs.field(default=dt.time(8, 30), validator=_time_of_day)
    closes: dt.time = attrs.field(default=dt.time(17, 30), validator=_time_of_day)


def _utc_us(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


@attrs.frozen(eq=False)
class BusinessClock:
    """Business time as a piecewise-linear function of the instant, over a range of days.

    Attributes:
        opens: int64 µs (UTC) each day opens; ``length`` is 0 on days off.
        length: int64 µs each day is open.
        before: int64 µs of business time from the first day's opening to each day's
            opening (one more entry than days: the total at the end).
    """

    opens: NDArray[np.int64]
    length: NDArray[np.int64]
    before: NDArray[np.int64]

    @classmethod
    def over(
        cls, calendar: BusinessCalendar, zone: str | dt.tzinfo, first: dt.date, last: dt.date
    ) -> BusinessClock:
        """The calendar's business time from ``first`` to ``last`` (local days, inclusive).

        Raises:
            InvalidValue: the calendar closes before it opens.

        Examples:
            >>> clock = BusinessClock.over(WeekdayCalendar(), "Asia/Shanghai",
            ...                            dt.date(2026, 3, 6), dt.date(2026, 3, 9))
            >>> (clock.length // US_PER_HOUR).tolist()  # Friday, the weekend, Monday
            [9, 0, 0, 9]
        """
        tz = to_time_zone(zone)
        opens_at: object = calendar.opens
        closes_at: object = calendar.closes
        if not isinstance(opens_at, dt.time) or not isinstance(closes_at, dt.time):
            msg = f"calendar: opens and closes are times of day, got {opens_at!r} and {closes_at!r}"
            raise InvalidValue(msg, code="business_calendar")
        if closes_at <= opens_at:
            msg = f"calendar: it closes at {closes_at} but opens at {opens_at}; it must close after it opens"
            raise InvalidValue(msg, code="business_calendar")
        n = (last - first).days + 1
        off = days_off(first, last, calendar=calendar)
        opens = np.empty(n, dtype=np.int64)
        length = np.empty(n, dtype=np.int64)
        for i in range(n):
            day = first + dt.timedelta(days=i)
            start = _utc_us(dt.datetime.combine(day, opens_at, tzinfo=tz))
            opens[i] = start
            length[i] = (
                0 if off[i] else _utc_us(dt.datetime.combine(day, closes_at, tzinfo=tz)) - start
            )
        before = np.concatenate([[0], np.cumsum(length)]).astype(np.int64)
        return cls(opens, length, before)

    def elapsed(self, instants: NDArray[np.int64]) -> NDArray[np.int64]:
        """Business µs from the clock's start to each instant (int64 µs, UTC).

        Examples:
            >>> clock = BusinessClock.over(WeekdayCalendar(), "UTC", dt.date(2026, 3, 6), dt.date(2026, 3, 9))
            >>> noon = np.array(["2026-03-06T12:00", "2026-03-08T12:00"], "datetime64[us]").view(np.int64)
            >>> (clock.elapsed(noon) / US_PER_HOUR).tolist()
            [3.5, 9.0]
        """
        day = np.searchsorted(self.opens, instants, side="right") - 1
        inside = np.clip(
            instants - self.opens[np.maximum(day, 0)], 0, self.length[np.maximum(day, 0)]
        )
        return np.where(day >= 0, self.before[np.maximum(day, 0)] + inside, 0)

    def instant(self, business: NDArray[np.int64]) -> NDArray[np.int64]:
        """The earliest instant at which ``business`` µs of business time have passed.

        Every value must be within the clock's range (at most ``total``).
        """
        day = np.searchsorted(self.before[1:], business, side="left")
        day = np.minimum(day, len(self.opens) - 1)
        return self.opens[day] + (business - self.before[day])

    def total(self) -> int:
        """Business µs the clock covers."""
        return int(self.before[-1])


def business_clock(
    calendar: BusinessCalendar,
    zone: str | dt.tzinfo,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    budget: NDArray[np.int64],
) -> BusinessClock:
    """A clock from the first of ``starts`` on that covers ``start + budget`` and ``ends``.

    The days run from the local day of the earliest start to past the latest end, doubled
    until every deadline ``start + budget`` (in business time) falls within them.

    Raises:
        InvalidValue: the calendar has no opening hour for 20 years after the instants.
    """
    tz = to_time_zone(zone)
    everything = np.concatenate([starts, ends])
    if not len(everything):
        today = dt.date(2000, 1, 1)
        return BusinessClock.over(calendar, tz, today, today)
    low, high = (
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(v))
        for v in (everything.min(), everything.max())
    )
    first = low.astimezone(tz).date() - dt.timedelta(days=1)
    span = _FIRST_SPAN
    while True:
        last = high.astimezone(tz).date() + dt.timedelta(days=span)
        clock = BusinessClock.over(calendar, tz, first, last)
        if not len(starts) or int((clock.elapsed(starts) + budget).max()) < clock.total():
            return clock
        if span > _LONGEST_SPAN:
            msg = (
                "calendar: no opening hours in the 20 years after the complaints; check is_day_off"
            )
            raise InvalidValue(msg, code="business_calendar")
        span *= 2
