"""The lunar calendar: conversions, the birthday rules, and the table's range.

Expected dates are from the published lunar calendar (and agree with lunar_python, one of
the references of tests/calendars/test_lunar_references.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.calendars import (
    FIRST_LUNAR_YEAR,
    LAST_LUNAR_YEAR,
    LunarDate,
    lunar_birthdays,
    lunar_dates,
    lunar_to_solar,
    lunar_year,
    solar_to_lunar,
)
from aftersales_crm.errors import InvalidComponent, InvalidType, InvalidValue

FIRST_DAY = dt.date(1900, 1, 31)
LAST_DAY = dt.date(2101, 1, 28)


@pytest.mark.parametrize(
    ("lunar", "solar"),
    [
        (LunarDate(2024, 1, 1), dt.date(2024, 2, 10)),  # 春节 2024
        (LunarDate(2026, 1, 1), dt.date(2026, 2, 17)),  # 春节 2026
        (LunarDate(2027, 1, 1), dt.date(2027, 2, 6)),  # 春节 2027
        (LunarDate(2026, 5, 5), dt.date(2026, 6, 19)),  # 端午 2026
        (LunarDate(2027, 8, 15), dt.date(2027, 9, 15)),  # 中秋 2027
        (LunarDate(2025, 12, 29), dt.date(2026, 2, 16)),  # 除夕 2026, a 29-day 12th month
        (LunarDate(2025, 6, 1, leap=True), dt.date(2025, 7, 25)),  # 闰六月 2025
        (LunarDate(2028, 5, 1, leap=True), dt.date(2028, 6, 23)),  # 闰五月 2028
        (LunarDate(2033, 11, 1, leap=True), dt.date(2033, 12, 22)),  # 闰十一月 2033
        (LunarDate(1900, 1, 1), FIRST_DAY),  # the table's first day
        (LunarDate(2100, 1, 1), dt.date(2100, 2, 9)),  # 春节 2100
        (LunarDate(2100, 12, 29), LAST_DAY),  # the table's last day
    ],
)
def test_known_dates_convert_both_ways(lunar: LunarDate, solar: dt.date) -> None:
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, leap=lunar.leap) == solar
    assert lunar.to_solar() == solar
    assert solar_to_lunar(solar) == lunar


def test_a_lunar_year_lists_its_months_in_order() -> None:
    year = lunar_year(2025)
    assert year.new_year == dt.date(2025, 1, 29)
    assert year.leap_month == 6
    assert [(m, leap) for m, leap, _ in year.months][5:8] == [(6, False), (6, True), (7, False)]
    assert year.days == sum(days for _, _, days in year.months) == 384
    assert lunar_year(2024).leap_month == 0
    assert len(lunar_year(2024).months) == 12


def test_days_that_do_not_exist_are_refused_naming_why() -> None:
    with pytest.raises(InvalidComponent, match="month 12 of 2025 has 29 days"):
        LunarDate(2025, 12, 30)
    with pytest.raises(InvalidComponent, match="2024 has no leap month 6: it has no leap month"):
        lunar_to_solar(2024, 6, 1, leap=True)
    with pytest.raises(InvalidComponent, match="2025 has no leap month 5: its leap month is 6"):
        LunarDate(2025, 5, 1, leap=True)
    with pytest.raises(InvalidValue, match="month is 13"):
        LunarDate(2025, 13, 1)
    with pytest.raises(InvalidValue, match="day is 0"):
        LunarDate(2025, 1, 0)
    with pytest.raises(InvalidValue, match="leap is 1"):
        LunarDate(2025, 1, 1, leap=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [1899, 2101, 3000])
def test_years_outside_the_table_are_refused_naming_the_range(year: int) -> None:
    message = f"year is {year}, outside the lunar table of the library, 1900 to 2100"
    with pytest.raises(InvalidValue, match=message) as caught:
        lunar_to_solar(year, 1, 1)
    assert caught.value.code == "lunar_range"
    with pytest.raises(InvalidValue, match=message):
        lunar_year(year)
    with pytest.raises(InvalidValue, match=f"year holds {year}, outside .* 1900 to 2100"):
        lunar_birthdays([1], [1], [False], year)


@pytest.mark.parametrize("day", [FIRST_DAY - dt.timedelta(days=1), LAST_DAY + dt.timedelta(1)])
def test_days_outside_the_table_are_refused_naming_the_range(day: dt.date) -> None:
    message = r"outside the lunar table of the library, 1900-01-31 to 2101-01-28 \(lunar years 1900 to 2100\)"
    with pytest.raises(InvalidValue, match=message):
        solar_to_lunar(day)
    with pytest.raises(InvalidValue, match=message):
        lunar_dates([day])


def test_a_datetime_is_not_a_day() -> None:
    with pytest.raises(InvalidType, match=r"expected a datetime\.date that is not a datetime"):
        solar_to_lunar(dt.datetime(2024, 2, 10, 12, 0, tzinfo=dt.UTC))


def test_labels_in_chinese_and_english() -> None:
    assert LunarDate(2020, 4, 8, leap=True).label("zh") == "2020年闰四月初八"
    assert LunarDate(2024, 1, 15).label() == "2024年正月十五"
    assert LunarDate(2024, 2, 20).label() == "2024年二月二十"
    assert LunarDate(2024, 11, 10).label() == "2024年冬月初十"
    assert LunarDate(2025, 1, 30).label() == "2025年正月三十"
    assert LunarDate(2025, 6, 29, leap=True).label("en") == "day 29 of leap month 6, 2025"
    with pytest.raises(InvalidValue, match="lang is 'fr'"):
        LunarDate(2024, 1, 1).label("fr")  # type: ignore[arg-type]


# The birthday rules, counted by hand. 2020 has a leap 4th month of 29 days, 2058 one of
# 30 days; 2021 and 2025 have none (2025's leap month is the 6th).
BORN_IN_LEAP_FOURTH = LunarDate(2020, 4, 8, leap=True)  # 2020-05-30
BORN_ON_A_LEAP_30TH = LunarDate(2058, 4, 30, leap=True)  # 2058-06-20
BORN_ON_AN_ORDINARY_30TH = LunarDate(2020, 4, 30)  # 2020-05-22


@pytest.mark.parametrize(
    ("birth", "year", "expected"),
    [
        (BORN_IN_LEAP_FOURTH, 2020, dt.date(2020, 5, 30)),  # the day itself
        (BORN_IN_LEAP_FOURTH, 2021, dt.date(2021, 5, 19)),  # no leap 4th: the 4th month
        (BORN_IN_LEAP_FOURTH, 2025, dt.date(2025, 5, 5)),  # a leap 6th only: the 4th month
        (BORN_IN_LEAP_FOURTH, 2058, dt.date(2058, 5, 29)),  # a leap 4th again: in it
        (BORN_ON_A_LEAP_30TH, 2020, dt.date(2020, 6, 20)),  # 29-day leap 4th: its 29th
        (BORN_ON_AN_ORDINARY_30TH, 2058, dt.date(2058, 5, 21)),  # 29-day 4th month: 29th,
        # and not the leap 4th month of 2058, which has a 30th
        (LunarDate(2023, 12, 30), 2024, dt.date(2025, 1, 28)),  # 除夕-born, 29-day 12th
        (LunarDate(2023, 12, 30), 2022, dt.date(2023, 1, 21)),  # a 30-day 12th
    ],
)
def test_lunar_birthdays_follow_the_two_rules(
    birth: LunarDate, year: int, expected: dt.date
) -> None:
    assert birth.in_year(year) == expected
    found = lunar_birthdays([birth.month], [birth.day], [birth.leap], [year])
    assert found.tolist() == [expected]


def test_birthdays_for_many_customers_at_once() -> None:
    births = lunar_dates(["2020-05-30", "NaT", "2020-05-22", "2024-02-09"])
    assert births.month.tolist() == [4, 0, 4, 12]
    found = lunar_birthdays(births.month, births.day, births.leap, 2058)
    assert found.dtype == np.dtype("datetime64[D]")
    assert found.tolist() == [
        dt.date(2058, 5, 29),
        None,  # no birthday: NaT
        dt.date(2058, 5, 21),
        dt.date(2059, 2, 11),  # the 29th: the 12th month of lunar 2058 ends in February 2059
    ]
    per_customer = lunar_birthdays(births.month, births.day, births.leap, [2021, 2021, 2058, 2024])
    assert per_customer[0] == np.datetime64("2021-05-19")
    assert not births.month.flags.writeable


def test_birthday_arguments_are_checked() -> None:
    with pytest.raises(InvalidValue, match="month holds 13, expected 0 to 12"):
        lunar_birthdays([13], [1], [False], 2025)
    with pytest.raises(InvalidValue, match="day holds 31, expected 1 to 30"):
        lunar_birthdays([1], [31], [False], 2025)
    with pytest.raises(InvalidValue, match="leap is"):
        lunar_birthdays([1], [1], [1], 2025)
    with pytest.raises(InvalidValue, match="do not broadcast together"):
        lunar_birthdays([1, 2], [1, 2, 3], [False], 2025)
    with pytest.raises(InvalidValue, match="month holds"):
        lunar_birthdays([1.5], [1], [False], 2025)


in_table = st.dates(FIRST_DAY, LAST_DAY)


@given(day=in_table)
def test_solar_to_lunar_to_solar_is_the_identity(day: dt.date) -> None:
    lunar = solar_to_lunar(day)
    assert lunar.to_solar() == day
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, leap=lunar.leap) == day


@given(year=st.integers(FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR), data=st.data())
def test_lunar_to_solar_to_lunar_is_the_identity(year: int, data: st.DataObject) -> None:
    month, leap, days = data.draw(st.sampled_from(lunar_year(year).months))
    day = data.draw(st.integers(1, days))
    lunar = LunarDate(year, month, day, leap=leap)
    assert solar_to_lunar(lunar.to_solar()) == lunar


@given(days=st.lists(in_table, max_size=30))
def test_the_column_conversion_agrees_with_the_one_by_one(days: list[dt.date]) -> None:
    columns = lunar_dates(np.array(days, "datetime64[D]"))
    assert len(columns) == len(days)
    rows = [
        LunarDate(int(y), int(m), int(d), leap=bool(leap))
        for y, m, d, leap in zip(
            columns.year, columns.month, columns.day, columns.leap, strict=True
        )
    ]
    assert rows == [solar_to_lunar(day) for day in days]


@given(birth=in_table, year=st.integers(FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR))
def test_a_birthday_falls_in_its_month_of_that_year(birth: dt.date, year: int) -> None:
    lunar = solar_to_lunar(birth)
    found = solar_to_lunar(lunar.in_year(year))
    assert (found.year, found.month) == (year, lunar.month)
    assert found.day == min(
        lunar.day,
        {(m, lp): d for m, lp, d in lunar_year(year).months}[(found.month, found.leap)],
    )
    assert found.leap == (lunar.leap and lunar_year(year).leap_month == lunar.month)
