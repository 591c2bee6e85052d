"""Calendar and time: civil dates as day numbers, calendar months, and business dates.

Every date rule of the features lives here: days since 1970-01-01 as int64 (``NaT`` is the
smallest int64), whole calendar months added as ``relativedelta``
adds them, completed years, and the business date of an instant in the dealer's time zone.

The time zone is an IANA name read through ``zoneinfo`` (default ``Asia/Shanghai``), or
any ``tzinfo``. Converting millions of instants one by one through
``zoneinfo`` would cost seconds, so the offsets are looked up once per day of the instants'
range and applied as arrays: a zone whose offset does not change over that range (China
since 1991) costs the same one addition as a fixed UTC offset.
"""

from __future__ import annotations

import datetime as dt
import functools
from datetime import date, timedelta, tzinfo
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import (
    as_of_date,
    date_array,
    instant_array,
    to_time_zone,
    whole_number,
)
from aftersales_crm.errors import InvalidValue

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEFAULT_TIME_ZONE",
    "ZoneOffsets",
    "add_months",
    "business_date",
    "business_dates",
    "completed_years",
    "dates",
    "day_number",
    "days_between",
    "month_numbers",
    "shift_months",
    "to_time_zone",
]

DEFAULT_TIME_ZONE: Final = "Asia/Shanghai"
"""The IANA time zone of the dealers' business dates: China Standard Time, UTC+8 without
daylight saving since 1991."""

CHINA_STANDARD_TIME: Final = timedelta(hours=8)
"""The UTC offset of [`DEFAULT_TIME_ZONE`][aftersales_crm.features.DEFAULT_TIME_ZONE] today (UTC+8, no DST)."""

NAT: Final = np.iinfo(np.int64).min
"""A missing day or instant (``NaT``) seen as int64."""

US_PER_DAY: Final = 86_400_000_000
_US_PER_SECOND: Final = 1_000_000
_SECONDS_PER_DAY: Final = 86_400
_CACHED_RANGES: Final = 16  # the offsets of this many (zone, range) pairs are remembered
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FEBRUARY: Final = 2
_MARCH: Final = 3
_LEAP_DAY: Final = 29
_SMALL: Final = 4096  # arrays up to this size are shifted directly
_SPAN_SHARE: Final = 4  # look dates up when they span under a quarter as many days
_MONTH_DAYS: Final = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _offset_us(zone: tzinfo, second: int) -> int:
    """The UTC offset of ``zone`` at an instant (whole seconds since the epoch, UTC), in µs."""
    try:
        moment = dt.datetime.fromtimestamp(second, zone)
    except (OSError, OverflowError, ValueError):  # before 1970 on some platforms
        moment = (_EPOCH + timedelta(seconds=second)).astimezone(zone)
    offset = moment.utcoffset()
    return 0 if offset is None else offset // timedelta(microseconds=1)


@functools.lru_cache(maxsize=_CACHED_RANGES)
def _changes(zone: tzinfo, first: int, last: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """When the offset of ``zone`` changes from day ``first`` to day ``last`` (UTC days).

    The zone is asked once at each UTC midnight; between two midnights with different
    offsets the change is found to the second by bisection. Returns the start of each
    offset (µs since the epoch, NaT for the first) and the offsets (µs).
    """
    starts, offsets = [NAT], [_offset_us(zone, first * _SECONDS_PER_DAY)]
    for day in range(first + 1, last + 1):
        offset = _offset_us(zone, day * _SECONDS_PER_DAY)
        if offset != offsets[-1]:
            low, high = (day - 1) * _SECONDS_PER_DAY, day * _SECONDS_PER_DAY
            while high - low > 1:  # the first second with the new offset is in (low, high]
                middle = (low + high) // 2
                if _offset_us(zone, middle) == offsets[-1]:
                    low = middle
                else:
                    high = middle
            starts.append(high * _US_PER_SECOND)
            offsets.append(offset)
    return tuple(starts), tuple(offsets)


@attrs.frozen
class ZoneOffsets:
    """The UTC offsets of a time zone over a range of instants, as arrays.

    ``offsets[i]`` applies from the instant ``starts[i]`` (µs since the epoch, UTC) to the
    next start. Built by ``over``.

    Attributes:
        starts: int64 µs since the epoch at which each offset starts applying.
        offsets: int64 offset from UTC in µs.

    Examples:
        >>> raw = np.array(["2026-03-01T17:00"], dtype="datetime64[us]").view(np.int64)
        >>> ZoneOffsets.over("Asia/Shanghai", raw).days(raw).view("datetime64[D]").tolist()
        [datetime.date(2026, 3, 2)]
    """

    starts: NDArray[np.int64]
    offsets: NDArray[np.int64]

    @classmethod
    def over(cls, zone: str | tzinfo, *instants: NDArray[np.int64]) -> ZoneOffsets:
        """The offsets of ``zone`` over the range of ``instants`` (int64 µs, NaT ignored).

        See ``between``.
        """
        lows, highs = [], []
        for raw in instants:
            known = raw[raw != NAT]
            if len(known):
                lows.append(int(known.min()))
                highs.append(int(known.max()))
        return cls.between(zone, min(lows, default=0), max(highs, default=0))

    @classmethod
    def between(cls, zone: str | tzinfo, low: int, high: int) -> ZoneOffsets:
        """The offsets of ``zone`` from the instant ``low`` to ``high`` (int64 µs, UTC).

        Examples:
            >>> ZoneOffsets.between("Asia/Shanghai", 0, 10**12).offsets.tolist()
            [28800000000]
        """
        tz = to_time_zone(zone)
        first, last = low // US_PER_DAY, high // US_PER_DAY + 1
        try:
            starts, offsets = _changes(tz, first, last)
        except TypeError:  # a tzinfo that cannot be hashed is not cached
            starts, offsets = _changes.__wrapped__(tz, first, last)
        return cls(np.array(starts, dtype=np.int64), np.array(offsets, dtype=np.int64))

    def days(self, raw: NDArray[np.int64], *, nullable: bool = True) -> NDArray[np.int64]:
        """Business day numbers of instants (int64 µs since the epoch, UTC).

        NaT stays NaT; ``nullable=False`` skips that check for instants never missing.
        """
        if len(self.offsets) == 1:
            days = (raw + int(self.offsets[0])) // US_PER_DAY
        else:
            which = np.searchsorted(self.starts, raw, side="right") - 1
            days = (raw + self.offsets[np.maximum(which, 0)]) // US_PER_DAY
        if nullable:
            days[raw == NAT] = NAT
        return days


def business_dates(
    instants: NDArray[np.datetime64], time_zone: str | tzinfo = DEFAULT_TIME_ZONE
) -> NDArray[np.datetime64]:
    """The business dates of UTC instants in the dealer's time zone.

    Args:
        instants: ``datetime64`` instants in UTC, as the tables store them.
        time_zone: an IANA name or a tzinfo (default ``Asia/Shanghai``).

    Returns:
        ``datetime64[D]`` array of the shape of ``instants``; NaT stays NaT.

    Examples:
        >>> at = np.array(["2026-02-28T17:00", "NaT"], dtype="datetime64[us]")
        >>> business_dates(at).tolist()
        [datetime.date(2026, 3, 1), None]
        >>> business_dates(at, "UTC").tolist()
        [datetime.date(2026, 2, 28), None]
    """
    raw = instant_array(instants, parameter="instants").view(np.int64)
    return ZoneOffsets.over(time_zone, raw).days(raw).view("datetime64[D]")


def business_date(instant: dt.datetime, time_zone: str | tzinfo = DEFAULT_TIME_ZONE) -> date:
    """The business date of one aware instant in the dealer's time zone.

    Args:
        instant: a timezone-aware datetime.
        time_zone: an IANA name or a tzinfo (default ``Asia/Shanghai``).

    Raises:
        InvalidValue: ``instant`` is not an aware datetime.

    Examples:
        >>> business_date(dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC))
        datetime.date(2026, 3, 1)
    """
    if not isinstance(instant, dt.datetime) or instant.utcoffset() is None:
        msg = f"instant is {instant!r}, expected a timezone-aware datetime"
        raise InvalidValue(msg, code="instant")
    return instant.astimezone(to_time_zone(time_zone)).date()


def day_number(day: date) -> int:
    """Days since 1970-01-01 of a date.

    Examples:
        >>> day_number(date(1970, 1, 2))
        1
    """
    return int(np.datetime64(day, "D").astype(np.int64))


def dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """Day numbers as ``datetime64[D]`` (NaT stays NaT).

    Examples:
        >>> dates(np.array([0, NAT])).tolist()
        [datetime.date(1970, 1, 1), None]
    """
    return days.astype(np.int64).view("datetime64[D]")


def days_between(later: NDArray[np.int64] | int, earlier: NDArray[np.int64]) -> NDArray[np.float64]:
    """``later - earlier`` in days as floats, NaN where ``earlier`` is missing.

    Examples:
        >>> days_between(10, np.array([3, NAT])).tolist()
        [7.0, nan]
    """
    out = (np.asarray(later) - earlier).astype(np.float64)
    out[earlier == NAT] = np.nan
    return out


def _civil(
    days: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Year, month and day of days since 1970-01-01 in the proleptic Gregorian calendar.

    Integer arithmetic only (the civil-from-days algorithm of H. Hinnant, "chrono-compatible
    low-level date algorithms"), several times faster than numpy's calendar casts.
    """
    z = days + 719_468  # days from 0000-03-01, so leap days end a year of the cycle
    era = z // 146_097
    day_of_era = z - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153  # 0 is March
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    january = 10  # shifted month of January: March is 0
    month = np.where(shifted_month < january, shifted_month + 3, shifted_month - 9)
    year = year_of_era + era * 400 + (month < _MARCH)
    return year, month, day


def _days_from_civil(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Days since 1970-01-01 of proleptic Gregorian dates: the inverse of ``_civil``."""
    year = year - (month < _MARCH)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month < _MARCH, month + 9, month - 3) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = era * 146_097 + day_of_era - 719_468
    return days


_MAX_MONTHS: Final = 12 * 10_000
"""The most months [`add_months`][aftersales_crm.features.add_months] shifts by, either way: ten thousand years keep every
date it makes far inside what ``datetime64[D]`` and its integer arithmetic handle."""


def add_months(days: NDArray[np.datetime64], months: int) -> NDArray[np.datetime64]:
    """Dates plus whole calendar months, as ``relativedelta`` ``(months=…)`` adds them.

    A day past the end of the target month is clamped to its last day (31 January + 1
    month is 28 or 29 February); NaT stays NaT. Integer arithmetic only, several times
    faster than numpy's month casts.

    Args:
        days: ``datetime64[D]`` dates.
        months: whole months to add (negative to subtract).

    Returns:
        ``datetime64[D]`` array of the shape of ``days``.

    Raises:
        InvalidValue: ``days`` are not dates of ``datetime.date`` (years 1 to 9999), or
            ``months`` is not a whole number from -120,000 to 120,000.

    Examples:
        >>> days = np.array(["2026-01-31", "2024-02-29", "NaT"], dtype="datetime64[D]")
        >>> add_months(days, 1).tolist()
        [datetime.date(2026, 2, 28), datetime.date(2024, 3, 29), None]
        >>> add_months(days, -12)[:2].tolist()
        [datetime.date(2025, 1, 31), datetime.date(2023, 2, 28)]
    """
    days = date_array(days, parameter="days", earliest=date.min, latest=date.max)
    months = whole_number(months, parameter="months", minimum=-_MAX_MONTHS, maximum=_MAX_MONTHS)
    return shift_months(days, months)


def shift_months(days: NDArray[np.datetime64], months: int) -> NDArray[np.datetime64]:
    """[`add_months`][aftersales_crm.features.add_months] without its checks, for the feature kernels.

    ``days`` must be ``datetime64[D]`` dates of ``datetime.date`` (or NaT) and ``months``
    a whole number from -120,000 to 120,000: dates the library made itself, already
    checked, which the kernels would otherwise check again block by block.
    """
    missing = np.isnat(days)
    raw = days.view(np.int64)
    if days.ndim == 1 and len(days) > _SMALL:
        # Many dates over a short span (a base's last visits): shift each day of the span
        # once and look the dates up.
        some_missing = bool(missing.any())  # none, mostly: no copies to leave them out
        known = raw[~missing] if some_missing else raw
        low = int(known.min()) if len(known) else 0
        span = int(known.max()) - low + 1 if len(known) else 1
        if span * _SPAN_SHARE < len(days):
            table = shift_months(np.arange(low, low + span).astype("datetime64[D]"), months)
            offset = np.where(missing, 0, raw - low) if some_missing else raw - low
            looked_up: NDArray[np.datetime64] = table[offset]
            looked_up[missing] = np.datetime64("NaT")
            return looked_up
    year, month, day = _civil(np.where(missing, 0, raw))
    index = year * 12 + (month - 1) + months
    year, month = index // 12, index % 12 + 1
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = _MONTH_DAYS[month] + (leap & (month == _FEBRUARY))
    shifted = _days_from_civil(year, month, np.minimum(day, length))
    out: NDArray[np.datetime64] = shifted.astype("datetime64[D]")
    out[missing] = np.datetime64("NaT")
    return out


def month_numbers(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """Months from January 1970 to each day's month, as numpy counts them (NaT: int64's least).

    Fast: numpy's month cast is slow per element, so when the days span fewer days than
    there are rows (or a few thousand at most), each day of the span is cast once and
    every row looks its own up.

    Examples:
        >>> days = np.array(["1970-01-31", "2026-12-06", "NaT"], dtype="datetime64[D]")
        >>> month_numbers(days).tolist() == [0, 683, np.iinfo(np.int64).min]
        True
    """
    days = np.asarray(days, dtype="datetime64[D]")
    known = ~np.isnat(days)
    raw = days.view(np.int64)
    # The known days' least and greatest, read in place (NaT is int64's least).
    some = bool(known.any())
    low = int(raw.min(initial=np.iinfo(np.int64).max, where=known)) if some else 0
    high = int(raw.max(initial=np.iinfo(np.int64).min, where=known)) if some else 0
    if high - low + 1 > max(days.size, _SMALL):
        found: NDArray[np.int64] = days.astype("datetime64[M]").astype(np.int64)
        return found
    span = np.arange(low, high + 1).astype("datetime64[D]")
    out = span.astype("datetime64[M]").astype(np.int64)[np.where(known, raw - low, 0)]
    out[~known] = np.iinfo(np.int64).min
    return out


def completed_years(born: NDArray[np.datetime64], as_of: date | str) -> NDArray[np.float64]:
    """Whole years from each date to ``as_of``, as ``relativedelta`` counts them.

    A 29 February date has its anniversary on 28 February in other years. NaN for missing
    dates and for dates after ``as_of``.

    Args:
        born: ``datetime64[D]`` dates.
        as_of: the day to count to (a date or an ISO date string).

    Raises:
        InvalidValue: ``as_of`` is not a date.

    Examples:
        >>> born = np.array(["2020-02-29", "2020-03-01", "NaT"], dtype="datetime64[D]")
        >>> completed_years(born, date(2021, 2, 28)).tolist()
        [1.0, 0.0, nan]
    """
    on = as_of_date(as_of)
    year, month, day = _civil(date_array(born, parameter="born").view(np.int64))
    leap = on.year % 4 == 0 and (on.year % 100 != 0 or on.year % 400 == 0)
    if not leap:
        day = np.where((month == _FEBRUARY) & (day == _LEAP_DAY), _LEAP_DAY - 1, day)
    before = (month > on.month) | ((month == on.month) & (day > on.day))
    years: NDArray[np.float64] = (on.year - year - before).astype(np.float64)
    years[np.isnat(born) | (born > np.datetime64(on, "D"))] = np.nan
    return years
