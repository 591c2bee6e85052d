"""Days off and business days, counted by hand on a calendar of March 2026.

6 March 2026 is a Friday, 7–8 March the weekend, 9 March the Monday after.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.calendars import (
    DaysOff,
    HolidayCalendar,
    WeekendCalendar,
    add_business_days,
    days_off,
    next_business_day,
)
from aftersales_crm.complaints import BusinessCalendar, WeekdayCalendar
from aftersales_crm.errors import InvalidValue


def march(day: int) -> dt.date:
    return dt.date(2026, 3, day)


# China 2024: Spring Festival 10–17 February, Sunday 4 and Saturday 18 February worked.
SPRING_2024 = WeekendCalendar(
    holidays=[dt.date(2024, 2, d) for d in range(10, 18)],
    workdays=[dt.date(2024, 2, 4), dt.date(2024, 2, 18)],
)


class ClosedOnMondays:
    """A caller's calendar: open at weekends, closed on Mondays, no names."""

    def is_day_off(self, day: dt.date) -> bool:
        return day.weekday() == 0

    def name(self, day: dt.date) -> str | None:
        return "closed" if day.weekday() == 0 else None


def test_the_weekend_calendar_has_saturdays_and_sundays_off() -> None:
    assert [WeekendCalendar().is_day_off(march(d)) for d in range(6, 10)] == [
        False,
        True,
        True,
        False,
    ]


def test_holidays_are_off_and_workdays_are_worked() -> None:
    assert SPRING_2024.is_day_off(dt.date(2024, 2, 12))  # a Monday of Spring Festival
    assert not SPRING_2024.is_day_off(dt.date(2024, 2, 4))  # a Sunday worked
    assert not SPRING_2024.is_day_off(dt.date(2024, 2, 18))  # a Sunday worked
    assert SPRING_2024.is_day_off(dt.date(2024, 2, 3))  # an ordinary Saturday
    assert SPRING_2024.name(dt.date(2024, 2, 12)) is None


def test_a_holiday_wins_over_a_workday_on_the_same_day() -> None:
    both = WeekendCalendar(holidays=[march(7)], workdays=[march(7)])
    assert both.is_day_off(march(7))
    assert days_off(march(7), march(7), calendar=both).tolist() == [True]


def test_the_weekend_can_be_another_day() -> None:
    mondays = WeekendCalendar(weekend=[0])
    assert days_off(march(7), march(10), calendar=mondays).tolist() == [False, False, True, False]


def test_every_calendar_is_a_days_off_and_the_protocols_nest() -> None:
    assert isinstance(WeekendCalendar(), HolidayCalendar)
    assert isinstance(ClosedOnMondays(), HolidayCalendar)
    assert isinstance(WeekdayCalendar(), HolidayCalendar)
    assert isinstance(WeekdayCalendar(), BusinessCalendar)
    assert isinstance(WeekdayCalendar(), WeekendCalendar)
    assert not isinstance(WeekendCalendar(), BusinessCalendar)  # no opening hours
    assert not isinstance(object(), DaysOff)


def test_the_weekday_calendar_keeps_its_days_off_rule_with_workdays() -> None:
    calendar = WeekdayCalendar(holidays=[march(9)], workdays=[march(7)])
    assert [calendar.is_day_off(march(d)) for d in range(6, 10)] == [False, False, True, True]
    assert calendar.opens == dt.time(8, 30)
    assert WeekdayCalendar(dt.time(9), dt.time(18)).closes == dt.time(18)


def test_days_off_matches_is_day_off_day_by_day() -> None:
    first, last = dt.date(2024, 1, 25), dt.date(2024, 2, 25)
    expected = [
        SPRING_2024.is_day_off(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)
    ]
    assert days_off(first, last, calendar=SPRING_2024).tolist() == expected
    assert days_off(march(2), march(9), calendar=ClosedOnMondays()).tolist() == [
        True,
        *[False] * 6,
        True,
    ]


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (march(6), 1, march(9)),  # Friday + 1: Monday
        (march(6), 0, march(6)),  # a business day stays
        (march(7), 0, march(9)),  # Saturday rolls to Monday
        (march(7), 1, march(9)),  # the day itself never counts
        (march(7), 3, march(11)),  # Saturday + 3: Wednesday
        (march(9), -1, march(6)),  # Monday - 1: Friday
        (march(8), -1, march(6)),  # Sunday - 1: Friday
        (march(2), 10, march(16)),  # two whole weeks
    ],
)
def test_business_days_counted_by_hand(day: dt.date, n: int, expected: dt.date) -> None:
    assert add_business_days(day, n) == expected
    assert add_business_days(np.array([day], "datetime64[D]"), n).tolist() == [expected]


def test_business_days_across_spring_festival_2024() -> None:
    # Delivered Thursday 8 February: 3 business days are the 9th, the 18th (a Sunday
    # worked) and the 19th.
    assert add_business_days(dt.date(2024, 2, 8), 3, calendar=SPRING_2024) == dt.date(2024, 2, 19)
    assert next_business_day(dt.date(2024, 2, 10), calendar=SPRING_2024) == dt.date(2024, 2, 18)
    assert add_business_days(dt.date(2024, 2, 5), -1, calendar=SPRING_2024) == dt.date(2024, 2, 4)


def test_columns_keep_missing_days_and_take_one_step_per_day() -> None:
    days = np.array(["2026-03-06", "NaT", "2026-03-07"], "datetime64[D]")
    moved = add_business_days(days, [1, 5, -1])
    assert moved.tolist() == [march(9), None, march(6)]
    assert moved.dtype == np.dtype("datetime64[D]")
    assert next_business_day(["NaT"]).tolist() == [None]
    assert add_business_days(np.array([], "datetime64[D]"), 2).tolist() == []
    assert add_business_days(days.reshape(3, 1), 1).shape == (3, 1)


def test_the_inputs_are_not_changed() -> None:
    days = np.array(["2026-03-07"], "datetime64[D]")
    steps = np.array([2])
    add_business_days(days, steps)
    assert days.tolist() == [march(7)]
    assert steps.tolist() == [2]


def test_a_calendar_with_no_business_day_is_refused() -> None:
    class AlwaysOff:
        def is_day_off(self, day: dt.date) -> bool:
            return True

    with pytest.raises(InvalidValue, match="no business day within 20 years"):
        next_business_day(march(6), calendar=AlwaysOff())


def test_bad_arguments_get_clear_errors() -> None:
    with pytest.raises(InvalidValue, match=r"last is 2026-03-05, before first \(2026-03-06\)"):
        days_off(march(6), march(5))
    with pytest.raises(InvalidValue, match=r"days is datetime\.datetime"):
        add_business_days(dt.datetime(2026, 3, 6, 12, 0, tzinfo=dt.UTC), 1)
    with pytest.raises(InvalidValue, match="n holds"):
        add_business_days(["2026-03-06"], [1.5])  # type: ignore[list-item]
    with pytest.raises(InvalidValue, match="n has shape"):
        add_business_days(["2026-03-06", "2026-03-07"], [1, 2, 3])
    with pytest.raises(InvalidValue, match="holidays holds '2026-03-06'"):
        WeekendCalendar(holidays=["2026-03-06"])
    with pytest.raises(InvalidValue, match="workdays is '2026-03-06'"):
        WeekendCalendar(workdays="2026-03-06")
    with pytest.raises(
        InvalidValue, match=r"weekend is 7 \(int\), expected a whole number from 0 to 6"
    ):
        WeekendCalendar(weekend=[7])

    class Vague:
        def is_day_off(self, day: dt.date) -> bool:
            return "yes"  # type: ignore[return-value]

    with pytest.raises(InvalidValue, match="is_day_off returned 'yes'"):
        days_off(march(6), march(6), calendar=Vague())


business_day = st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31))


@given(day=business_day, n=st.integers(-40, 40))
def test_the_result_is_a_business_day_n_business_days_away(day: dt.date, n: int) -> None:
    moved = add_business_days(day, n, calendar=SPRING_2024)
    assert not SPRING_2024.is_day_off(moved)
    low, high = sorted((day, moved))
    between = days_off(low, high, calendar=SPRING_2024)
    business = int((~between).sum())
    if n > 0:
        assert moved > day
        assert business - (not SPRING_2024.is_day_off(day)) == n
    elif n < 0:
        assert moved < day
        assert business - (not SPRING_2024.is_day_off(day)) == -n
    else:
        assert business == 1  # only the day rolled to


@given(days=st.lists(business_day, max_size=20), n=st.integers(-10, 10))
def test_a_column_gives_what_each_day_gives(days: list[dt.date], n: int) -> None:
    column = add_business_days(np.array(days, "datetime64[D]"), n, calendar=ClosedOnMondays())
    assert column.tolist() == [add_business_days(d, n, calendar=ClosedOnMondays()) for d in days]


@given(day=business_day, n=st.integers(1, 30))
def test_going_forward_then_back_returns_to_a_business_day(day: dt.date, n: int) -> None:
    start = next_business_day(day)
    assert add_business_days(add_business_days(start, n), -n) == start
