"""Days off and business days: the calendar protocols, the weekend default, and arithmetic.

A calendar is passed in by the caller; the library never looks one up. Anything with
``is_day_off(day)`` is a [`DaysOff`][aftersales_crm.calendars.DaysOff]; a [`HolidayCalendar`][aftersales_crm.calendars.HolidayCalendar] also names its
holidays. [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar] (Saturdays and Sundays off, plus the days the caller
gives) is the default. The arithmetic ([`days_off`][aftersales_crm.calendars.days_off], [`add_business_days`][aftersales_crm.calendars.add_business_days],
[`next_business_day`][aftersales_crm.calendars.next_business_day]) works on one date or on a whole column of dates at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final, Protocol, TypeAlias, overload, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, date_array, whole_array, whole_number
from aftersales_crm.errors import InvalidType, InvalidValue

__all__ = [
    "DaysOff",
    "HolidayCalendar",
    "WeekendCalendar",
    "add_business_days",
    "days_off",
    "next_business_day",
]

_CODE: Final = "calendar"
_EPOCH: Final = dt.date(1970, 1, 1)
_THURSDAY: Final = 3
"""The weekday (Monday 0) of 1970-01-01, day 0 of ``datetime64[D]``."""
_FIRST_SPAN: Final = 16
"""Days around the given dates first searched for business days; doubled until enough."""
_LONGEST_SPAN: Final = 366 * 20
"""A calendar without a business day in 20 years is refused rather than searched for ever."""


@runtime_checkable
class DaysOff(Protocol):
    """Anything that tells whether a day is off: the one member every calendar shares.

    The business-day arithmetic of this package needs no more; a
    [`HolidayCalendar`][aftersales_crm.calendars.HolidayCalendar] adds the holidays' names, and the service levels' business
    calendar ([`BusinessCalendar`][aftersales_crm.complaints.BusinessCalendar]) adds opening hours.

    Examples:
        >>> isinstance(WeekendCalendar(), DaysOff)
        True
    """

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is a day off: no business is done and no customer is called."""
        ...


@runtime_checkable
class HolidayCalendar(DaysOff, Protocol):
    """A calendar of days off and the names of its holidays, passed in by the caller.

    Any object with these two methods will do: a dealer's own list, a country's public
    holidays ([`PublicHolidays`][aftersales_crm.calendars.PublicHolidays], on the ``holidays``
    package), or the weekend-only default [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar].

    Examples:
        >>> class Dealer:
        ...     def is_day_off(self, day: dt.date) -> bool:
        ...         return day.weekday() == 0  # open at weekends, closed on Mondays
        ...     def name(self, day: dt.date) -> str | None:
        ...         return None
        >>> isinstance(Dealer(), HolidayCalendar)
        True
        >>> next_business_day(dt.date(2026, 3, 2), calendar=Dealer())  # a Monday
        datetime.date(2026, 3, 3)
    """

    def name(self, day: dt.date) -> str | None:
        """The name of the holiday on ``day``, or None when ``day`` is no holiday."""
        ...


def a_day(value: object, parameter: str = "day") -> dt.date:
    """``value`` if it is a day: a ``datetime.date`` that is not a datetime.

    Raises:
        InvalidType: anything else.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    msg = f"{parameter} is {value!r:.80} ({type(value).__name__}), expected a datetime.date that is not a datetime"
    raise InvalidType(msg)


def _days(values: object, *, parameter: str) -> frozenset[dt.date]:
    """``values`` as a set of days, or a clear error naming ``parameter``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        msg = f"{parameter} is {values!r:.80}, expected dates (datetime.date)"
        raise InvalidValue(msg, code=_CODE)
    days = frozenset(values)
    wrong = [d for d in days if not isinstance(d, dt.date) or isinstance(d, dt.datetime)]
    if wrong:
        msg = f"{parameter} holds {wrong[0]!r:.80}, expected dates (datetime.date)"
        raise InvalidValue(msg, code=_CODE)
    return days


def _holidays(values: object) -> frozenset[dt.date]:
    return _days(values, parameter="holidays")


def _workdays(values: object) -> frozenset[dt.date]:
    return _days(values, parameter="workdays")


def _weekend(values: object) -> frozenset[int]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        msg = f"weekend is {values!r:.80}, expected weekdays (0 for Monday to 6 for Sunday)"
        raise InvalidValue(msg, code=_CODE)
    return frozenset(
        whole_number(v, parameter="weekend", minimum=0, maximum=6) for v in list(values)
    )


@attrs.frozen(kw_only=True)
class WeekendCalendar:
    """Saturdays and Sundays off, plus ``holidays``, less the weekend ``workdays``.

    The library's weekend-only default. China's public holidays move every year and
    bring weekend days that are worked (调休, announced each year by the State Council's
    General Office), so none is built in: give them as ``holidays`` and ``workdays``, or
    use [`PublicHolidays`][aftersales_crm.calendars.PublicHolidays] (the ``holidays`` extra).

    Attributes:
        holidays: further days off.
        workdays: days of the ``weekend`` that are working days (a make-up working day).
        weekend: the weekdays off, Monday 0 to Sunday 6; default Saturday and Sunday.

    Examples:
        >>> calendar = WeekendCalendar(holidays=[dt.date(2024, 2, 9)],
        ...                            workdays=[dt.date(2024, 2, 4)])
        >>> [calendar.is_day_off(dt.date(2024, 2, d)) for d in (3, 4, 5, 9)]
        [True, False, False, True]
        >>> calendar.name(dt.date(2024, 2, 9)) is None  # the days given have no names
        True
    """

    holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_holidays)
    workdays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_workdays)
    weekend: frozenset[int] = attrs.field(default=frozenset((5, 6)), converter=_weekend)

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is one of ``holidays``, or a weekend day not among ``workdays``."""
        day = a_day(day)
        if day in self.holidays:
            return True
        return day.weekday() in self.weekend and day not in self.workdays

    def name(self, day: dt.date) -> str | None:
        """None: the days given to this calendar carry no names."""
        a_day(day)
        return None

    def _days_off(self, days: NDArray[np.int64]) -> NDArray[np.bool_]:
        """[`is_day_off`][aftersales_crm.calendars.WeekendCalendar.is_day_off] of each day (days since 1970-01-01), as arrays."""
        weekday = (days + _THURSDAY) % 7
        off = np.isin(weekday, np.fromiter(self.weekend, np.int64, len(self.weekend)))
        for listed, value in ((self.workdays, False), (self.holidays, True)):
            if listed:
                numbers = np.array([(d - _EPOCH).days for d in listed], dtype=np.int64)
                off[np.isin(days, numbers)] = value
        return off


def _day_numbers(first: int, last: int, calendar: object) -> NDArray[np.bool_]:
    """Whether each day from ``first`` to ``last`` (days since 1970-01-01) is off."""
    if not isinstance(calendar, DaysOff):
        msg = f"calendar is {calendar!r:.80}, expected a calendar with is_day_off(day)"
        raise InvalidType(msg)
    days = np.arange(first, last + 1, dtype=np.int64)
    if isinstance(calendar, WeekendCalendar):
        return calendar._days_off(days)
    off = np.empty(len(days), dtype=bool)
    for i, number in enumerate(days.tolist()):
        answer: object = calendar.is_day_off(_EPOCH + dt.timedelta(days=number))
        if not isinstance(answer, bool | np.bool_):
            msg = f"calendar.is_day_off returned {answer!r:.80}, expected True or False"
            raise InvalidValue(msg, code=_CODE)
        off[i] = answer
    return off


def _any_date(value: object, parameter: str) -> dt.date:
    """``value`` if it is a date (any date, not only the library's range), or ISO text."""
    return (
        a_day(value, parameter)
        if isinstance(value, dt.date)
        else as_of_date(value, parameter=parameter)
    )


def days_off(
    first: object,
    last: object,
    *,
    calendar: DaysOff = WeekendCalendar(),
) -> NDArray[np.bool_]:
    """Whether each day from ``first`` to ``last`` (both included) is a day off.

    Args:
        first: the first day (a date or ISO text).
        last: the last day, not before ``first``.
        calendar: the days off (default [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar]).

    Returns:
        A bool array of shape ``(days,)``, True on days off.

    Raises:
        InvalidValue: ``last`` is before ``first``, or a day is not a date.

    Examples:
        >>> days_off("2026-03-06", "2026-03-09").tolist()  # Friday to Monday
        [False, True, True, False]
    """
    start, end = _any_date(first, "first"), _any_date(last, "last")
    if end < start:
        msg = f"last is {end}, before first ({start})"
        raise InvalidValue(msg, code=_CODE)
    return _day_numbers((start - _EPOCH).days, (end - _EPOCH).days, calendar)


def _offset(days: NDArray[np.int64], steps: NDArray[np.int64], calendar: DaysOff) -> NDArray[Any]:
    """The kernel: each day moved by its number of business days (see [`add_business_days`][aftersales_crm.calendars.add_business_days])."""
    known = days != np.iinfo(np.int64).min
    found = days.copy()
    if not known.any():
        return found
    low, high = int(days[known].min()), int(days[known].max())
    span = _FIRST_SPAN + 2 * int(np.abs(steps[known]).max(initial=0))
    while True:
        first = low - span
        business = ~_day_numbers(first, high + span, calendar)
        count = np.concatenate([[0], np.cumsum(business)])  # business days before each day
        at = days[known] - first
        step = steps[known]
        target = np.where(
            step > 0, count[at + 1] + step, np.where(step < 0, count[at] + step + 1, count[at] + 1)
        )
        if target.min() >= 1 and target.max() <= count[-1]:
            found[known] = first + np.searchsorted(count, target, side="left") - 1
            return found
        if span > _LONGEST_SPAN:
            msg = "calendar: no business day within 20 years of the days given; check is_day_off"
            raise InvalidValue(msg, code=_CODE)
        span *= 2


Dates: TypeAlias = NDArray[Any] | list[Any] | tuple[Any, ...]
"""A column of dates: ``datetime64`` values, dates or ISO text, ``NaT`` or None for none."""

Steps: TypeAlias = NDArray[np.integer[Any]] | list[int] | tuple[int, ...]
"""A number of business days per date."""


def _steps(n: object, shape: tuple[int, ...]) -> NDArray[np.int64]:
    """``n`` as whole numbers of business days, one for all or one per day."""
    steps = whole_array(n, parameter="n")
    if np.abs(steps).max(initial=0) > _LONGEST_SPAN:
        msg = f"n holds {int(np.abs(steps).max())}, expected at most {_LONGEST_SPAN} business days either way"
        raise InvalidValue(msg, code=_CODE)
    if steps.size != 1 and steps.shape != shape:
        msg = f"n has shape {steps.shape}, expected one number or one per day {shape}"
        raise InvalidValue(msg, code=_CODE)
    if steps.size == 1:
        return np.full(shape, int(steps.flat[0]), dtype=np.int64)
    return steps


@overload
def add_business_days(days: dt.date | str, n: int, *, calendar: DaysOff = ...) -> dt.date: ...
@overload
def add_business_days(
    days: Dates, n: int | Steps, *, calendar: DaysOff = ...
) -> NDArray[np.datetime64]: ...
def add_business_days(
    days: object,
    n: object,
    *,
    calendar: DaysOff = WeekendCalendar(),
) -> dt.date | NDArray[np.datetime64]:
    """The ``n``-th business day after each day (before it when ``n`` is negative).

    The day itself does not count, whether or not it is off: three business days after a
    Saturday delivery is the Wednesday. With ``n = 0`` a day off moves forward to the next
    business day ([`next_business_day`][aftersales_crm.calendars.next_business_day]).

    Args:
        days: one date (or ISO text), or an array of dates (``NaT`` stays ``NaT``).
        n: the number of business days, one for all or one per day.
        calendar: the days off (default [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar]).

    Returns:
        A date for a date, else a ``datetime64[D]`` array of the shape of ``days``.

    Raises:
        InvalidValue: a day or ``n`` is not valid, or the calendar has no business day
            within 20 years.

    Examples:
        >>> add_business_days(dt.date(2026, 3, 7), 3)  # a Saturday
        datetime.date(2026, 3, 11)
        >>> add_business_days(dt.date(2026, 3, 9), -1)  # a Monday
        datetime.date(2026, 3, 6)
        >>> add_business_days(["2026-03-06", "NaT"], [1, 1]).tolist()
        [datetime.date(2026, 3, 9), None]
    """
    return _add_business_days(days, n, calendar)


def _add_business_days(days: object, n: object, calendar: DaysOff) -> dt.date | NDArray[Any]:
    """[`add_business_days`][aftersales_crm.calendars.add_business_days] for any arguments, checked here."""
    if isinstance(days, dt.date | str):
        day = as_of_date(days, parameter="days")
        step = whole_number(n, parameter="n", minimum=-_LONGEST_SPAN, maximum=_LONGEST_SPAN)
        number = np.array([(day - _EPOCH).days], dtype=np.int64)
        moved = _offset(number, np.array([step], dtype=np.int64), calendar)
        return _EPOCH + dt.timedelta(days=int(moved[0]))
    column = date_array(days, parameter="days")
    steps = _steps(n, column.shape)
    numbers = column.view(np.int64).ravel()
    moved = _offset(numbers, steps.ravel(), calendar)
    return moved.view("datetime64[D]").reshape(column.shape)


@overload
def next_business_day(days: dt.date | str, *, calendar: DaysOff = ...) -> dt.date: ...
@overload
def next_business_day(days: Dates, *, calendar: DaysOff = ...) -> NDArray[np.datetime64]: ...
def next_business_day(
    days: object,
    *,
    calendar: DaysOff = WeekendCalendar(),
) -> dt.date | NDArray[np.datetime64]:
    """Each day if it is a business day, else the first business day after it.

    Args:
        days: one date (or ISO text), or an array of dates (``NaT`` stays ``NaT``).
        calendar: the days off (default [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar]).

    Returns:
        A date for a date, else a ``datetime64[D]`` array of the shape of ``days``.

    Examples:
        >>> next_business_day(dt.date(2026, 3, 7)), next_business_day(dt.date(2026, 3, 6))
        (datetime.date(2026, 3, 9), datetime.date(2026, 3, 6))
    """
    return _add_business_days(days, 0, calendar)
