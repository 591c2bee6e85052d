"""Calendars (日历): days off, business days, the Chinese lunar calendar and festivals.

The neutral home of every calendar rule the other packages use:

* **Days off.** A calendar is passed in by the caller: anything with ``is_day_off(day)``
  ([`DaysOff`][aftersales_crm.calendars.DaysOff]) and, for a [`HolidayCalendar`][aftersales_crm.calendars.HolidayCalendar], ``name(day)``. The default,
  [`WeekendCalendar`][aftersales_crm.calendars.WeekendCalendar], has Saturdays and Sundays off plus the days the caller gives;
  [`PublicHolidays`][aftersales_crm.calendars.PublicHolidays] reads a country's public holidays and make-up working days
  (调休) from the ``holidays`` package (the ``holidays`` extra). [`days_off`][aftersales_crm.calendars.days_off],
  [`add_business_days`][aftersales_crm.calendars.add_business_days] and [`next_business_day`][aftersales_crm.calendars.next_business_day] count business days over one
  date or a whole column of dates.
* **The lunar calendar (农历), 1900–2100.** The library's own month table, computed from
  astronomy under GB/T 33661-2017: [`lunar_to_solar`][aftersales_crm.calendars.lunar_to_solar], [`solar_to_lunar`][aftersales_crm.calendars.solar_to_lunar],
  [`LunarDate`][aftersales_crm.calendars.LunarDate], [`lunar_year`][aftersales_crm.calendars.lunar_year], and for many customers at once
  [`lunar_dates`][aftersales_crm.calendars.lunar_dates] and [`lunar_birthdays`][aftersales_crm.calendars.lunar_birthdays] (a leap-month birthday falls in the
  ordinary month in years without that leap month, a 30th on the 29th in a 29-day month).
* **Festivals.** [`Festival`][aftersales_crm.calendars.Festival] names the greeting days in Chinese and English with
  the rule that dates them; [`festivals`][aftersales_crm.calendars.festivals] lists a year's.

Examples:
    >>> import datetime as dt
    >>> from aftersales_crm import calendars
    >>> calendars.Festival.MID_AUTUMN.on(2026)
    datetime.date(2026, 9, 25)
    >>> calendars.solar_to_lunar(dt.date(2026, 2, 17)).label()
    '2026年正月初一'
    >>> calendars.add_business_days(dt.date(2026, 9, 25), 3)  # Friday + 3 business days
    datetime.date(2026, 9, 30)
"""

from __future__ import annotations

from aftersales_crm.calendars._days import (
    DaysOff,
    HolidayCalendar,
    WeekendCalendar,
    add_business_days,
    days_off,
    next_business_day,
)
from aftersales_crm.calendars._festivals import Festival, festivals
from aftersales_crm.calendars._holidays import PublicHolidays
from aftersales_crm.calendars._lunar import (
    FIRST_LUNAR_YEAR,
    LAST_LUNAR_YEAR,
    LunarDate,
    LunarDates,
    LunarYear,
    lunar_birthdays,
    lunar_dates,
    lunar_to_solar,
    lunar_year,
    solar_to_lunar,
)

__all__ = [
    "FIRST_LUNAR_YEAR",
    "LAST_LUNAR_YEAR",
    "DaysOff",
    "Festival",
    "HolidayCalendar",
    "LunarDate",
    "LunarDates",
    "LunarYear",
    "PublicHolidays",
    "WeekendCalendar",
    "add_business_days",
    "days_off",
    "festivals",
    "lunar_birthdays",
    "lunar_dates",
    "lunar_to_solar",
    "lunar_year",
    "next_business_day",
    "solar_to_lunar",
]
