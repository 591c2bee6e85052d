"""The holiday calendar: weekends and named holidays off, working days counted over them."""

from __future__ import annotations

import pickle
from datetime import date

import numpy as np
import pytest

from aftersales_crm.care import HolidayCalendar, WeekendCalendar
from aftersales_crm.care._calendar import add_business_days, days_off
from aftersales_crm.errors import InvalidValue

NATIONAL_DAY = {date(2026, 10, d): "国庆节" for d in range(1, 8)}


def days(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[D]")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-06-24", 3, "2026-06-29"),  # Wednesday + 3 working days: over the weekend to Monday
        ("2026-06-26", 3, "2026-07-01"),  # Friday + 3: Wednesday
        ("2026-06-27", 3, "2026-07-01"),  # Saturday counts from Friday: Wednesday
        ("2026-06-28", 0, "2026-06-26"),  # Sunday + 0: the working day before
        ("2026-09-30", 3, "2026-10-12"),  # National Day week and its weekend off: Monday 12th
    ],
)
def test_working_days_skip_weekends_and_holidays(start: str, n: int, expected: str) -> None:
    calendar = WeekendCalendar(holidays=NATIONAL_DAY)
    assert add_business_days(days(start), n, calendar).tolist() == [date.fromisoformat(expected)]


def test_missing_days_stay_missing() -> None:
    assert add_business_days(days("NaT"), 3, WeekendCalendar()).tolist() == [None]


class Closed:
    """A calendar with every day off."""

    def is_day_off(self, day: date) -> bool:
        return True

    def name(self, day: date) -> str | None:
        return None


class Maybe(Closed):
    def is_day_off(self, day: date) -> bool:
        return "yes"  # type: ignore[return-value]


def test_a_calendar_without_working_days_is_refused() -> None:
    assert isinstance(Closed(), HolidayCalendar)
    with pytest.raises(InvalidValue, match="fewer than 3 working days"):
        add_business_days(days("2026-06-24"), 3, Closed())


def test_a_calendar_that_does_not_answer_yes_or_no_is_refused() -> None:
    with pytest.raises(InvalidValue, match="is_day_off answered 'yes'"):
        days_off(Maybe(), np.datetime64("2026-06-24"), np.datetime64("2026-06-25"))


@pytest.mark.parametrize(
    "holidays",
    [
        ["2026-10-01"],
        {"2026-10-01": "国庆节"},
        {date(2026, 10, 1): ""},
    ],  # not a mapping of dates to names
)
def test_holidays_are_dates_with_names(holidays: object) -> None:
    with pytest.raises(InvalidValue, match="holidays"):
        WeekendCalendar(holidays=holidays)


def test_the_calendar_pickles_and_hashes_by_its_holidays() -> None:
    calendar = WeekendCalendar(holidays=NATIONAL_DAY)
    again = pickle.loads(pickle.dumps(calendar))
    assert again == calendar
    assert hash(again) == hash(calendar)
    assert again.name(date(2026, 10, 3)) == "国庆节"
