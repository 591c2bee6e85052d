"""Festival dates of the greeting calendar, by hand from the published calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales_crm.calendars import Festival, LunarDate, festivals, lunar_year, solar_to_lunar
from aftersales_crm.errors import InvalidValue


@pytest.mark.parametrize(
    ("festival", "year", "expected"),
    [
        (Festival.NEW_YEAR, 2026, dt.date(2026, 1, 1)),
        (Festival.NEW_YEARS_EVE, 2026, dt.date(2026, 2, 16)),  # lunar 12/29: a 29-day month
        (Festival.NEW_YEARS_EVE, 2024, dt.date(2024, 2, 9)),  # lunar 12/30
        (Festival.SPRING_FESTIVAL, 2026, dt.date(2026, 2, 17)),
        (Festival.SPRING_FESTIVAL, 2027, dt.date(2027, 2, 6)),
        (Festival.LANTERN, 2026, dt.date(2026, 3, 3)),
        (Festival.QINGMING, 2026, dt.date(2026, 4, 5)),
        (Festival.QINGMING, 2024, dt.date(2024, 4, 4)),
        (Festival.LABOUR_DAY, 2026, dt.date(2026, 5, 1)),
        (Festival.DRAGON_BOAT, 2026, dt.date(2026, 6, 19)),
        (Festival.DRAGON_BOAT, 2027, dt.date(2027, 6, 9)),
        (Festival.QIXI, 2026, dt.date(2026, 8, 19)),
        (Festival.MID_AUTUMN, 2026, dt.date(2026, 9, 25)),
        (Festival.MID_AUTUMN, 2027, dt.date(2027, 9, 15)),
        (Festival.NATIONAL_DAY, 2026, dt.date(2026, 10, 1)),
        (Festival.DOUBLE_NINTH, 2026, dt.date(2026, 10, 18)),
        (Festival.SPRING_FESTIVAL, 1900, dt.date(1900, 1, 31)),  # the table's first year
        (Festival.NEW_YEARS_EVE, 1900, dt.date(1900, 1, 30)),
        (Festival.SPRING_FESTIVAL, 2100, dt.date(2100, 2, 9)),  # and its last
    ],
)
def test_festival_dates(festival: Festival, year: int, expected: dt.date) -> None:
    assert festival.on(year) == expected


def test_the_eve_is_the_last_day_of_the_twelfth_month() -> None:
    for year in range(1901, 2101):
        month, leap, days = lunar_year(year - 1).months[-1]
        assert (month, leap) == (12, False)  # no leap 12th month from 1900 to 2100
        eve = Festival.NEW_YEARS_EVE.on(year)
        assert eve == Festival.SPRING_FESTIVAL.on(year) - dt.timedelta(1)
        assert solar_to_lunar(eve) == LunarDate(year - 1, 12, days)


def test_a_years_festivals_in_date_order_with_both_names() -> None:
    found = festivals(2026)
    assert [f for f, _ in found] == [
        Festival.NEW_YEAR,
        Festival.NEW_YEARS_EVE,
        Festival.SPRING_FESTIVAL,
        Festival.LANTERN,
        Festival.QINGMING,
        Festival.LABOUR_DAY,
        Festival.DRAGON_BOAT,
        Festival.QIXI,
        Festival.MID_AUTUMN,
        Festival.NATIONAL_DAY,
        Festival.DOUBLE_NINTH,
    ]
    assert [d for _, d in found] == sorted(d for _, d in found)
    assert all(d.year == 2026 for _, d in found)
    assert {f.label("zh") for f, _ in found} >= {"春节", "中秋节", "端午节", "国庆节", "除夕"}


def test_the_rules_are_data() -> None:
    assert (Festival.MID_AUTUMN.rule, Festival.MID_AUTUMN.month, Festival.MID_AUTUMN.day) == (
        "lunar",
        8,
        15,
    )
    assert Festival.NATIONAL_DAY.rule == "solar"
    assert Festival("qixi") is Festival.QIXI
    assert Festival.QIXI.value == "qixi"


@pytest.mark.parametrize("year", [1899, 2101])
def test_years_outside_the_table_are_refused(year: int) -> None:
    with pytest.raises(InvalidValue, match=f"year is {year}, outside .* 1900 to 2100"):
        festivals(year)
