"""The adapter on the ``holidays`` package: China's holidays and make-up working days.

The dates are those of the State Council General Office's notice on the 2024 holiday
arrangement (《国务院办公厅关于2024年部分节假日安排的通知》), as the holidays package holds
them.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys

import pytest

from aftersales_crm.calendars import (
    HolidayCalendar,
    PublicHolidays,
    add_business_days,
    days_off,
    next_business_day,
)
from aftersales_crm.errors import InvalidValue, MissingDependencyError


def test_without_the_package_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "holidays", None)  # import holidays now fails
    with pytest.raises(MissingDependencyError, match=r"aftersales-crm\[holidays\]"):
        PublicHolidays("CN")


holidays = pytest.importorskip("holidays")


@pytest.fixture(scope="module")
def china() -> PublicHolidays:
    return PublicHolidays("CN")


def day(month: int, d: int) -> dt.date:
    return dt.date(2024, month, d)


@pytest.mark.parametrize(
    ("when", "off"),
    [
        (day(1, 1), True),  # 元旦
        (day(2, 4), False),  # a Sunday worked for Spring Festival
        *[(day(2, d), True) for d in range(10, 18)],  # 春节 10–17 February
        (day(2, 18), False),  # a Sunday worked
        (day(4, 4), True),  # 清明
        (day(4, 7), False),  # a Sunday worked
        (day(4, 28), False),  # a Sunday worked for Labour Day
        (day(5, 11), False),  # a Saturday worked
        (day(9, 14), False),  # a Saturday worked for Mid-Autumn
        (day(9, 17), True),  # 中秋
        (day(9, 29), False),  # a Sunday worked for National Day
        *[(day(10, d), True) for d in range(1, 8)],  # 国庆 1–7 October
        (day(10, 8), False),  # a Tuesday back at work
        (day(10, 12), False),  # a Saturday worked
        (day(10, 13), True),  # an ordinary Sunday
    ],
)
def test_china_2024_days_off_and_make_up_working_days(
    china: PublicHolidays, when: dt.date, off: bool
) -> None:
    assert china.is_day_off(when) is off


def test_the_make_up_days_are_the_packages_weekend_workdays(china: PublicHolidays) -> None:
    # Cross-check against the package: every weekend day it lists as worked is worked here.
    worked = holidays.country_holidays("CN", years=2024).weekend_workdays
    assert {d for d in worked if d.year == 2024} == {
        day(2, 4), day(2, 18), day(4, 7), day(4, 28), day(5, 11), day(9, 14), day(9, 29), day(10, 12),
    }  # fmt: skip
    assert not any(china.is_day_off(d) for d in worked)


def test_names_come_in_the_language_asked(china: PublicHolidays) -> None:
    assert isinstance(china, HolidayCalendar)
    assert china.name(day(10, 1)) == "国庆节"
    assert china.name(day(2, 10)) == "春节"
    assert china.name(day(10, 8)) is None
    assert china.name(day(10, 5)) is None  # a Saturday of the holiday week: a weekend day
    assert PublicHolidays("CN", language="en_US").name(day(9, 17)) == "Mid-Autumn Festival"


def test_the_calendar_drives_the_business_day_arithmetic(china: PublicHolidays) -> None:
    # A car delivered on Friday 27 September: the 3DC call is due 3 business days later,
    # Sunday 29 September (worked), Monday 30 September, then Tuesday 8 October.
    assert add_business_days(day(9, 27), 3, calendar=china) == day(10, 8)
    assert next_business_day(day(10, 1), calendar=china) == day(10, 8)
    assert days_off(day(9, 28), day(9, 30), calendar=china).tolist() == [True, False, False]


def test_bad_settings_are_refused_naming_them() -> None:
    with pytest.raises(InvalidValue, match="no calendar for country='XX'"):
        PublicHolidays("XX")
    with pytest.raises(InvalidValue, match="language is 'fr'; the holidays of CN come in en_US"):
        PublicHolidays("CN", language="fr")
    with pytest.raises(InvalidValue, match="categories holds 'bank'"):
        PublicHolidays("CN", categories=("bank",))
    with pytest.raises(InvalidValue, match="country is 7"):
        PublicHolidays(7)  # type: ignore[arg-type]


def test_the_calendar_compares_by_its_settings_and_survives_pickle(china: PublicHolidays) -> None:
    assert china == PublicHolidays("CN") != PublicHolidays("CN", language="en_US")
    again = pickle.loads(pickle.dumps(china))
    assert again == china
    assert again.is_day_off(day(2, 4)) is False
    assert "PublicHolidays(country='CN'" in repr(china)
