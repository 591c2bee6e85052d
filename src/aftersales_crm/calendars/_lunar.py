"""The Chinese lunar calendar (农历) from 1900 to 2100: conversions and lunar birthdays.

The library ships its own month table (``_lunar_table.py``): for each lunar year, the day
of its new year, its leap month if any, and whether each month has 29 or 30 days. The
table was computed once from the positions of the Sun and the Moon under the rules of the
national standard GB/T 33661-2017 《农历的编算和颁行》 by ``tools/generate_lunar_table.py``,
and the tests cross-check it against two independent lunar calendar libraries. Nothing
is looked up at run time, and the conversions work on whole columns of dates at once.

Anniversaries of a lunar date ([`lunar_birthdays`][aftersales_crm.calendars.lunar_birthdays], [`LunarDate.in_year`][aftersales_crm.calendars.LunarDate.in_year]) follow
two rules, the library's choice where a lunar date does not recur:

* a birthday in a leap month (闰月) is kept in that leap month in the years that have it,
  and in the ordinary month of the same number in the years that do not;
* a birthday on the 30th falls on the 29th in a year whose month has 29 days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import date_array, flag, language, whole_array, whole_number
from aftersales_crm.calendars import _lunar_table as table
from aftersales_crm.calendars._days import a_day
from aftersales_crm.errors import InvalidComponent, InvalidValue
from aftersales_crm.values import Lang

__all__ = [
    "FIRST_LUNAR_YEAR",
    "LAST_LUNAR_YEAR",
    "LunarDate",
    "LunarDates",
    "LunarYear",
    "lunar_birthdays",
    "lunar_dates",
    "lunar_to_solar",
    "lunar_year",
    "solar_to_lunar",
]

FIRST_LUNAR_YEAR: Final = table.FIRST_YEAR
"""The first lunar year of the library's table (1900, from 31 January 1900)."""

LAST_LUNAR_YEAR: Final = table.LAST_YEAR
"""The last lunar year of the library's table (2100, to 28 January 2101)."""

_CODE: Final = "lunar_date"
_RANGE_CODE: Final = "lunar_range"
_EPOCH: Final = dt.date(1970, 1, 1)
_LONG_MONTH: Final = 30
_MONTHS: Final = 12


def _day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def _date(number: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=number)


def _build() -> tuple[NDArray[np.int64], ...]:
    """The table as arrays, per year and per month.

    Per year: its first month's row and its leap month; per month: its start (with one
    more entry, the end of the table), number, leap flag and year.
    """
    first_month: list[int] = []
    leap_month: list[int] = []
    starts: list[int] = []
    numbers: list[int] = []
    leaps: list[int] = []
    years: list[int] = []
    for year, new_year, leap, lengths, _ in table.YEARS:
        start = _day_number(dt.date.fromisoformat(new_year))
        if starts and starts.pop() != start:  # the end of the year before, as a start
            msg = f"lunar table: year {year} does not start where {year - 1} ends"
            raise AssertionError(msg)  # the generated table is consistent; never raised
        first_month.append(len(starts))
        leap_month.append(leap)
        number = 1
        for i, long in enumerate(lengths):
            is_leap = bool(leap) and i == leap
            starts.append(start)
            numbers.append(number - 1 if is_leap else number)
            leaps.append(int(is_leap))
            years.append(year)
            number += not is_leap
            start += 30 if long == "1" else 29
        starts.append(start)
    first_month.append(len(starts) - 1)
    return tuple(
        np.array(column, dtype=np.int64)
        for column in (first_month, leap_month, starts, numbers, leaps, years)
    )


_FIRST_MONTH, _LEAP_MONTH, _START, _NUMBER, _LEAP, _YEAR = _build()
for _table_column in (_FIRST_MONTH, _LEAP_MONTH, _START, _NUMBER, _LEAP, _YEAR):
    _table_column.flags.writeable = False
_QINGMING: Final = {row[0]: row[4] for row in table.YEARS}
"""The day of April of Qingming (清明) in each Gregorian year of the table."""

FIRST_DAY: Final = _date(int(_START[0]))
"""The first day of the table: lunar new year 1900, 31 January 1900."""
LAST_DAY: Final = _date(int(_START[-1]) - 1)
"""The last day of the table: the eve of lunar new year 2101, 28 January 2101."""


def _year(value: object, *, parameter: str = "year") -> int:
    """``value`` as a lunar year of the table, or an error naming the table's range."""
    year = whole_number(value, parameter=parameter, minimum=-(2**63), maximum=2**63 - 1)
    if not FIRST_LUNAR_YEAR <= year <= LAST_LUNAR_YEAR:
        raise _out_of_table(f"{parameter} is {year}")
    return year


def _out_of_table(given: str) -> InvalidValue:
    """The error for a year outside the table, naming what was ``given`` and the range."""
    msg = (
        f"{given}, outside the lunar table of the library, {FIRST_LUNAR_YEAR} to {LAST_LUNAR_YEAR}"
    )
    return InvalidValue(msg, code=_RANGE_CODE)


def _month_index(year: int, month: int, *, leap: bool) -> int:
    """The row of the month table of a month; refuses a leap month the year does not have."""
    month = whole_number(month, parameter="month", minimum=1, maximum=_MONTHS)
    leap_month = int(_LEAP_MONTH[year - FIRST_LUNAR_YEAR])
    if leap and month != leap_month:
        has = f"its leap month is {leap_month}" if leap_month else "it has no leap month"
        msg = f"lunar year {year} has no leap month {month}: {has}"
        raise InvalidComponent(msg, code=_CODE)
    later = leap or (leap_month and month > leap_month)
    return int(_FIRST_MONTH[year - FIRST_LUNAR_YEAR]) + month - 1 + int(bool(later))


def _month_days(index: int) -> int:
    return int(_START[index + 1] - _START[index])


_ZH_MONTHS: Final = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_ZH_DIGITS: Final = "一二三四五六七八九十"


def _zh_day(day: int) -> str:
    """初一 … 初十, 十一 … 十九, 二十, 廿一 … 廿九, 三十."""
    tens, ones = divmod(day, 10)
    if day <= 10:  # noqa: PLR2004
        return "初" + _ZH_DIGITS[day - 1]
    if ones == 0:
        return _ZH_DIGITS[tens - 1] + "十"
    return ("十", "廿")[tens - 1] + _ZH_DIGITS[ones - 1]


@attrs.frozen
class LunarDate:
    """A day of the Chinese lunar calendar: year, month (1–12), day (1–30), leap month.

    The year is the lunar year, which starts at Spring Festival (春节): the 12th month of
    lunar year 2023 runs into February 2024. Only days that exist are accepted.

    Attributes:
        year: the lunar year, 1900 to 2100.
        month: the month, 1 to 12 (a leap month takes the number of the month before it).
        day: the day of the month, 1 to 29 or 30.
        leap: whether the month is the leap month (闰月).

    Raises:
        InvalidValue: the year is out of the table (code ``"lunar_range"``), or the
            month or day does not exist ([`InvalidComponent`][aftersales_crm.errors.InvalidComponent]).

    Examples:
        >>> birth = LunarDate(2020, 4, 8, leap=True)
        >>> birth.to_solar(), birth.label("zh"), birth.label("en")
        (datetime.date(2020, 5, 30), '2020年闰四月初八', 'day 8 of leap month 4, 2020')
        >>> LunarDate(2023, 1, 30)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: lunar 2023-01-30 does not exist: month 1 of 2023 has 29 days
    """

    year: int
    month: int
    day: int
    leap: bool = False

    def __attrs_post_init__(self) -> None:
        _year(self.year)
        flag(self.leap, parameter="leap")
        index = _month_index(self.year, self.month, leap=self.leap)
        day = whole_number(self.day, parameter="day", minimum=1, maximum=_LONG_MONTH)
        if day > _month_days(index):
            which = f"leap month {self.month}" if self.leap else f"month {self.month}"
            msg = (
                f"lunar {self.year}-{self.month:02}-{day:02} does not exist: "
                f"{which} of {self.year} has {_month_days(index)} days"
            )
            raise InvalidComponent(msg, code=_CODE)

    def to_solar(self) -> dt.date:
        """The Gregorian date of this lunar date.

        Examples:
            >>> LunarDate(2024, 1, 1).to_solar()
            datetime.date(2024, 2, 10)
        """
        index = _month_index(self.year, self.month, leap=self.leap)
        return _date(int(_START[index]) + self.day - 1)

    def in_year(self, year: int) -> dt.date:
        """The anniversary of this date in lunar year ``year`` (a lunar birthday).

        Under the two rules of the module: a leap-month date falls in the ordinary month
        in years without that leap month, and a 30th on the 29th in a 29-day month. The
        kernel is [`lunar_birthdays`][aftersales_crm.calendars.lunar_birthdays].

        Examples:
            >>> LunarDate(2020, 4, 8, leap=True).in_year(2021)  # 2021 has no leap 4th month
            datetime.date(2021, 5, 19)
            >>> LunarDate(2023, 12, 30).in_year(2024)  # the 12th month of 2024 has 29 days
            datetime.date(2025, 1, 28)
        """
        found = lunar_birthdays([self.month], [self.day], [self.leap], _year(year))
        return dt.date.fromisoformat(str(found[0]))

    def label(self, lang: Lang = "zh") -> str:
        """The date in words, Chinese (default) or English.

        Examples:
            >>> LunarDate(2023, 12, 30).label(), LunarDate(2024, 11, 21).label()
            ('2023年腊月三十', '2024年冬月廿一')
        """
        if language(lang) == "zh":
            leap = "闰" if self.leap else ""
            return f"{self.year}年{leap}{_ZH_MONTHS[self.month - 1]}月{_zh_day(self.day)}"
        leap = "leap " if self.leap else ""
        return f"day {self.day} of {leap}month {self.month}, {self.year}"


@attrs.frozen
class LunarYear:
    """A lunar year of the table: its new year, its leap month and its months' lengths.

    Attributes:
        year: the lunar year.
        new_year: the Gregorian date of its first day, Spring Festival (春节).
        leap_month: the number of its leap month, 0 when it has none.
        months: ``(month, leap, days)`` of each month in order, the leap month after
            the ordinary month of its number.

    Examples:
        >>> year = lunar_year(2023)
        >>> year.new_year, year.leap_month, year.months[1:3], year.days
        (datetime.date(2023, 1, 22), 2, ((2, False, 30), (2, True, 29)), 384)
    """

    year: int
    new_year: dt.date
    leap_month: int
    months: tuple[tuple[int, bool, int], ...]

    @property
    def days(self) -> int:
        """The number of days of the year (353 to 355, or 383 to 385 with a leap month)."""
        return sum(days for _, _, days in self.months)


def lunar_year(year: int) -> LunarYear:
    """The months of lunar year ``year`` (1900 to 2100).

    Raises:
        InvalidValue: the year is outside the table (code ``"lunar_range"``).

    Examples:
        >>> lunar_year(2033).leap_month  # 闰十一月
        11
        >>> lunar_year(2101)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: year is 2101, outside the lunar table of the library, 1900 to 2100
    """
    row = _year(year) - FIRST_LUNAR_YEAR
    first, last = int(_FIRST_MONTH[row]), int(_FIRST_MONTH[row + 1])
    months = tuple((int(_NUMBER[i]), bool(_LEAP[i]), _month_days(i)) for i in range(first, last))
    return LunarYear(year, _date(int(_START[first])), int(_LEAP_MONTH[row]), months)


def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> dt.date:
    """The Gregorian date of a lunar date.

    Args:
        year: the lunar year, 1900 to 2100.
        month: the lunar month, 1 to 12.
        day: the day of the month, 1 to 30.
        leap: whether the month is the leap month of that number.

    Raises:
        InvalidValue: the date does not exist or is outside the table (see [`LunarDate`][aftersales_crm.calendars.LunarDate]).

    Examples:
        >>> lunar_to_solar(2024, 8, 15)  # 中秋
        datetime.date(2024, 9, 17)
        >>> lunar_to_solar(2025, 6, 1, leap=True)  # 闰六月初一
        datetime.date(2025, 7, 25)
        >>> lunar_to_solar(2024, 6, 1, leap=True)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: lunar year 2024 has no leap month 6: it has no leap month
    """
    return LunarDate(year, month, day, leap=leap).to_solar()


def _lunar_columns(numbers: NDArray[np.int64]) -> tuple[NDArray[np.int64], ...]:
    """Year, month, day and leap (0/1) of each day (days since 1970-01-01, all in range)."""
    index = np.searchsorted(_START, numbers, side="right") - 1
    return _YEAR[index], _NUMBER[index], numbers - _START[index] + 1, _LEAP[index]


def _in_table(numbers: NDArray[np.int64], parameter: str) -> None:
    if len(numbers) and (numbers.min() < _START[0] or numbers.max() >= _START[-1]):
        wrong = numbers.min() if numbers.min() < _START[0] else numbers.max()
        msg = (
            f"{parameter} holds {_date(int(wrong))}, outside the lunar table of the library, "
            f"{FIRST_DAY} to {LAST_DAY} (lunar years {FIRST_LUNAR_YEAR} to {LAST_LUNAR_YEAR})"
        )
        raise InvalidValue(msg, code=_RANGE_CODE)


def solar_to_lunar(day: dt.date) -> LunarDate:
    """The lunar date of a Gregorian date from 31 January 1900 to 28 January 2101.

    Raises:
        InvalidValue: ``day`` is not a date, or is outside the table (code ``"lunar_range"``).

    Examples:
        >>> solar_to_lunar(dt.date(2024, 2, 9))  # 除夕
        LunarDate(year=2023, month=12, day=30, leap=False)
        >>> solar_to_lunar(dt.date(2020, 5, 30)).label()
        '2020年闰四月初八'
    """
    number = np.array([_day_number(a_day(day))], dtype=np.int64)
    _in_table(number, "day")
    year, month, lunar_day, leap = (int(column[0]) for column in _lunar_columns(number))
    return LunarDate(year, month, lunar_day, leap=bool(leap))


@attrs.frozen(eq=False)
class LunarDates:
    """Lunar dates as columns, one row per Gregorian date given to [`lunar_dates`][aftersales_crm.calendars.lunar_dates].

    A missing date (``NaT``) has 0 in ``year``, ``month`` and ``day`` and False in
    ``leap``; [`lunar_birthdays`][aftersales_crm.calendars.lunar_birthdays] turns a month of 0 back into ``NaT``.

    Attributes:
        year: int64 array, the lunar year.
        month: int64 array, the month 1 to 12.
        day: int64 array, the day 1 to 30.
        leap: bool array, whether the month is a leap month.

    Examples:
        >>> lunar = lunar_dates(["2020-05-30", "NaT"])
        >>> lunar.month.tolist(), lunar.day.tolist(), lunar.leap.tolist(), len(lunar)
        ([4, 0], [8, 0], [True, False], 2)
    """

    year: NDArray[np.int64]
    month: NDArray[np.int64]
    day: NDArray[np.int64]
    leap: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.year)


def lunar_dates(days: object) -> LunarDates:
    """The lunar date of each Gregorian date of a column, 1900-01-31 to 2101-01-28.

    Args:
        days: an array of dates (``datetime64``, dates or ISO text; ``NaT`` or None for none).

    Raises:
        InvalidValue: not dates, or a date outside the table (code ``"lunar_range"``).

    Examples:
        >>> lunar_dates(["2024-02-10", "2024-02-09"]).day.tolist()
        [1, 30]
    """
    column = date_array(days, parameter="days").ravel()
    numbers = column.view(np.int64)
    known = ~np.isnat(column)
    _in_table(numbers[known], "days")
    columns = [np.zeros(len(column), dtype=np.int64) for _ in range(4)]
    for whole, part in zip(columns, _lunar_columns(numbers[known]), strict=True):
        whole[known] = part
    year, month, day, leap = columns
    for array in columns:
        array.flags.writeable = False
    flags = leap.astype(bool)
    flags.flags.writeable = False
    return LunarDates(year, month, day, flags)


def _check(values: NDArray[np.int64], low: int, high: int, parameter: str) -> None:
    if len(values) and (values.min() < low or values.max() > high):
        wrong = int(values.min() if values.min() < low else values.max())
        msg = f"{parameter} holds {wrong}, expected {low} to {high}"
        raise InvalidComponent(msg, code=_CODE)


def lunar_birthdays(
    month: object, day: object, leap: object, year: object
) -> NDArray[np.datetime64]:
    """The Gregorian date of each lunar birthday in lunar year ``year``, for many customers.

    Under the two rules of the module: a leap-month birthday falls in the leap month in
    years that have it and in the ordinary month of its number in years that do not; a
    30th falls on the 29th in a 29-day month. ``year`` is the *lunar* year: a birthday in
    the 11th or 12th month of lunar year 2025 falls in December 2025 or in January or
    February 2026. For the birthdays between two Gregorian dates, ask for the lunar year
    before and the lunar year of the first date, and keep the days in range.

    Args:
        month: the birthdays' lunar months, 1 to 12, or 0 for a customer without one.
        day: their days, 1 to 30 (anything when ``month`` is 0).
        leap: whether each birthday is in a leap month (bool array).
        year: the lunar year, one for all or one per customer (1900 to 2100).

    Returns:
        A ``datetime64[D]`` array, ``NaT`` where ``month`` is 0. The arguments broadcast
        against each other as numpy arrays do.

    Raises:
        InvalidValue: a month, day or year out of range, naming it.

    Examples:
        >>> birth = lunar_dates(["1990-01-26", "1987-07-25", "1987-08-23"])  # 12/30, 6/30, 闰6/30
        >>> lunar_birthdays(birth.month, birth.day, birth.leap, 2025).tolist()
        [datetime.date(2026, 2, 16), datetime.date(2025, 7, 24), datetime.date(2025, 8, 22)]
    """
    months = whole_array(month, parameter="month")
    days = whole_array(day, parameter="day")
    years = whole_array(year, parameter="year")
    if isinstance(leap, bool | np.bool_):
        leap = [leap]
    flags = np.asarray(leap)
    if flags.dtype != np.bool_:
        msg = f"leap is {flags.tolist()!r:.80}, expected True or False for each birthday"
        raise InvalidValue(msg, code=_CODE)
    try:
        months, days, flags, years = np.broadcast_arrays(months, days, flags, years)
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in (months, days, flags, years))
        msg = f"month, day, leap and year do not broadcast together: shapes {shapes}"
        raise InvalidValue(msg, code=_CODE) from None
    known = months != 0
    _check(months, 0, _MONTHS, "month")
    _check(days[known], 1, _LONG_MONTH, "day")
    bad = years[(years < FIRST_LUNAR_YEAR) | (years > LAST_LUNAR_YEAR)]
    if len(bad):
        raise _out_of_table(f"year holds {int(bad[0])}")
    row = years - FIRST_LUNAR_YEAR
    leap_month = _LEAP_MONTH[row]
    in_leap = flags & (months == leap_month)  # the leap month, when this year has it
    later = in_leap | ((leap_month != 0) & (months > leap_month))
    index = _FIRST_MONTH[row] + np.maximum(months, 1) - 1 + later
    length = _START[index + 1] - _START[index]
    found = _START[index] + np.minimum(days, length) - 1
    out: NDArray[Any] = np.where(known, found, np.iinfo(np.int64).min).view("datetime64[D]")
    return out
