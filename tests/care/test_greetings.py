"""Birthdays (solar and lunar), vehicle anniversaries and festival greetings, by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.care import (
    FestivalGreetings,
    LunarBirthday,
    OwnerBirthday,
    Planner,
    TaskStatus,
    VehicleAnniversary,
)
from aftersales_crm.care._greetings import anniversaries
from aftersales_crm.errors import InvalidValue
from aftersales_crm.policies import get_policy
from aftersales_crm.records import Customer, CustomerKind
from aftersales_crm.tables import Tables

from .build import VINS, book, car, consent, contact, inputs


def person(cid: str, born: date | None, *, lunar: bool = False, company: bool = False) -> Customer:
    return Customer(
        id=cid,
        name="王芳",
        birthday=born,
        lunar_birthday=lunar,
        kind=CustomerKind.FLEET if company else CustomerKind.INDIVIDUAL,
    )


def plan(rule: Any, *records: Any, start: date, end: date | None = None) -> list[tuple[Any, ...]]:
    data = book(*records, customers=())
    tasks = rule.plan(inputs(data, start, end, as_of=date(2026, 1, 1)))
    rows = tasks.canonical_order()
    return list(
        zip(
            tasks.customer[rows].tolist(),
            tasks.due[rows].tolist(),
            tasks.target[rows].tolist(),
            tasks.detail[rows].tolist(),
            strict=True,
        )
    )


LEAP_BORN = [person("C1", date(1996, 2, 29)), car(0, "C1", date(2020, 2, 29))]


@pytest.mark.parametrize(
    ("leap_day", "year", "expected"),
    [
        ("feb_28", 2025, date(2025, 2, 28)),
        ("mar_1", 2025, date(2025, 3, 1)),
        ("feb_28", 2028, date(2028, 2, 29)),  # a leap year again: the day itself, no drift
        ("mar_1", 2028, date(2028, 2, 29)),
        ("feb_28", 2100, date(2100, 2, 28)),  # 2100 is no leap year
    ],
)
def test_29_february_birthdays_fall_on_the_chosen_day_in_common_years(
    leap_day: str, year: int, expected: date
) -> None:
    found = plan(
        OwnerBirthday(leap_day=leap_day),
        *LEAP_BORN,
        start=date(year, 2, 27),
        end=date(year, 3, 2),
    )
    assert found == [("C1", expected, expected, year - 1996)]


def test_a_birthday_on_the_1st_of_march_stays_there() -> None:
    found = plan(
        OwnerBirthday(leap_day="feb_28"),
        person("C1", date(1990, 3, 1)),
        car(0, "C1", date(2020, 5, 1)),
        start=date(2025, 2, 27),
        end=date(2025, 3, 2),
    )
    assert found == [("C1", date(2025, 3, 1), date(2025, 3, 1), 35)]


def test_birthdays_across_a_year_end_carry_the_age_of_each_year() -> None:
    records = [
        person("C1", date(1980, 12, 31)),
        person("C2", date(1980, 1, 1)),
        car(0, "C1", date(2020, 5, 1)),
        car(1, "C2", date(2020, 5, 1)),
    ]
    assert plan(OwnerBirthday(), *records, start=date(2026, 12, 30), end=date(2027, 1, 2)) == [
        ("C1", date(2026, 12, 31), date(2026, 12, 31), 46),
        ("C2", date(2027, 1, 1), date(2027, 1, 1), 47),
    ]


def test_days_before_and_the_window_surround_the_birthday() -> None:
    rule = OwnerBirthday(days_before=2, window_days=1)
    records = [person("C1", date(1980, 6, 10)), car(0, "C1", date(2020, 5, 1))]
    assert plan(rule, *records, start=date(2026, 6, 8)) == [
        ("C1", date(2026, 6, 8), date(2026, 6, 10), 46)
    ]
    assert plan(rule, *records, start=date(2026, 6, 11)) == plan(
        rule, *records, start=date(2026, 6, 8)
    )
    assert plan(rule, *records, start=date(2026, 6, 12)) == []
    assert plan(rule, *records, start=date(2026, 6, 7)) == []


def test_only_individual_owners_with_a_solar_birthday_are_greeted_by_owner_birthday() -> None:
    june = date(1980, 6, 10)
    records = [
        person("C1", june),
        person("C2", june, company=True),
        person("C3", june, lunar=True),
        person("C4", june),  # owns no vehicle
        person("C5", None),
        car(0, "C1", date(2020, 5, 1)),
        car(1, "C2", date(2020, 5, 1)),
        car(2, "C3", date(2020, 5, 1)),
        car(3, "C5", date(2020, 5, 1)),
    ]
    assert [t[0] for t in plan(OwnerBirthday(), *records, start=date(2026, 6, 10))] == ["C1"]
    # C3 celebrates the lunar birthday (1980-06-10 is 四月廿七 of 1980): one rule greets each.
    lunar = plan(LunarBirthday(), *records, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [t[0] for t in lunar] == ["C3"]


def test_a_leap_month_birthday_falls_in_the_leap_month_or_the_ordinary_one() -> None:
    # 1987-08-23 is 闰六月廿九 of lunar 1987. Lunar 2025 has a leap 6th month (starting
    # 2025-07-25): 闰六月廿九 is 2025-08-22. Lunar 2026 has none: the ordinary 6th month
    # starts 2026-07-14, its 29th is 2026-08-11.
    records = [person("C1", date(1987, 8, 23), lunar=True), car(0, "C1", date(2020, 5, 1))]
    rule = LunarBirthday()
    assert plan(rule, *records, start=date(2025, 1, 1), end=date(2025, 12, 31)) == [
        ("C1", date(2025, 8, 22), date(2025, 8, 22), 38)
    ]
    assert plan(rule, *records, start=date(2026, 1, 1), end=date(2026, 12, 31)) == [
        ("C1", date(2026, 8, 11), date(2026, 8, 11), 39)
    ]


def test_a_30th_falls_on_the_29th_in_a_29_day_month() -> None:
    # 1987-07-25 is 六月三十 of lunar 1987. The 6th month of 2026 has 30 days (from
    # 2026-07-14: the 30th is 2026-08-12); that of 2027 has 29 (from 2027-07-04: the 29th
    # is 2027-08-01).
    records = [person("C1", date(1987, 7, 25), lunar=True), car(0, "C1", date(2020, 5, 1))]
    rule = LunarBirthday()
    assert plan(rule, *records, start=date(2026, 8, 1), end=date(2026, 8, 31)) == [
        ("C1", date(2026, 8, 12), date(2026, 8, 12), 39)
    ]
    assert plan(rule, *records, start=date(2027, 7, 1), end=date(2027, 8, 31)) == [
        ("C1", date(2027, 8, 1), date(2027, 8, 1), 40)
    ]


def test_a_12th_month_lunar_birthday_falls_in_the_next_gregorian_year() -> None:
    # 1990-01-26 is 腊月三十 of lunar 1989; the 12th month of lunar 2025 has 29 days and
    # ends on 2026-02-16, the eve of Spring Festival 2026.
    records = [person("C1", date(1990, 1, 26), lunar=True), car(0, "C1", date(2020, 5, 1))]
    assert plan(LunarBirthday(), *records, start=date(2026, 2, 10), end=date(2026, 2, 20)) == [
        ("C1", date(2026, 2, 16), date(2026, 2, 16), 36)
    ]


def test_vehicle_anniversaries_count_years_from_the_purchase() -> None:
    rule = VehicleAnniversary()
    assert plan(rule, *LEAP_BORN, start=date(2021, 2, 28)) == [
        ("C1", date(2021, 2, 28), date(2021, 2, 28), 1)
    ]
    assert plan(VehicleAnniversary(leap_day="mar_1"), *LEAP_BORN, start=date(2021, 3, 1)) == [
        ("C1", date(2021, 3, 1), date(2021, 3, 1), 1)
    ]
    assert plan(rule, *LEAP_BORN, start=date(2024, 2, 29)) == [
        ("C1", date(2024, 2, 29), date(2024, 2, 29), 4)
    ]
    # The purchase day itself is no anniversary.
    assert plan(rule, *LEAP_BORN, start=date(2020, 2, 29)) == []


def test_vehicle_anniversaries_name_the_vehicle() -> None:
    data = book(*LEAP_BORN, customers=())
    tasks = VehicleAnniversary().plan(inputs(data, date(2025, 2, 28), as_of=date(2026, 1, 1)))
    assert tasks.vehicle.tolist() == [VINS[0]]
    assert tasks.reasons_text("zh").tolist() == ["2025-02-28购车5周年(购车日2020-02-29)"]


def test_festival_greetings_cross_the_year_end() -> None:
    records = [person("C1", None), car(0, "C1", date(2020, 5, 1))]
    rule = FestivalGreetings(festivals=("new_year", "spring_festival"))
    # New Year's Day 2027 is greeted from 2026-12-29; Spring Festival 2027 is 6 February.
    assert plan(rule, *records, start=date(2026, 12, 28), end=date(2027, 2, 3)) == [
        ("C1", date(2026, 12, 29), date(2027, 1, 1), 2027),
        ("C1", date(2027, 2, 3), date(2027, 2, 6), 2027),
    ]
    assert plan(rule, *records, start=date(2027, 1, 2), end=date(2027, 2, 2)) == []


def test_festival_greetings_default_to_the_four_major_festivals() -> None:
    records = [person("C1", None), car(0, "C1", date(2020, 5, 1)), person("C2", None)]
    found = plan(FestivalGreetings(), *records, start=date(2026, 1, 1), end=date(2026, 12, 31))
    # 2026: Spring Festival 17 Feb, Dragon Boat 19 Jun, Mid-Autumn 25 Sep, National Day 1 Oct.
    assert [t[2] for t in found] == [
        date(2026, 2, 17),
        date(2026, 6, 19),
        date(2026, 9, 25),
        date(2026, 10, 1),
    ]
    assert {t[0] for t in found} == {"C1"}  # C2 owns no vehicle


def test_festival_reasons_name_the_festival() -> None:
    data = book(person("C1", None), car(0, "C1", date(2020, 5, 1)), customers=())
    tasks = FestivalGreetings().plan(inputs(data, date(2026, 9, 22), as_of=date(2026, 1, 1)))
    assert tasks.reasons_text("zh").tolist() == ["2026-09-25中秋节问候"]
    assert tasks.source.tolist() == ["mid_autumn"]


def test_anniversaries_match_a_plain_python_count_of_years() -> None:
    rng = np.random.default_rng(5)
    anchors = (np.datetime64("1950-01-01") + rng.integers(0, 30_000, 2_000)).astype("datetime64[D]")
    first, last = np.datetime64("2027-12-20"), np.datetime64("2028-03-05")
    rows, days, years = anniversaries(anchors, first, last, leap_day="mar_1")
    expected = set()
    for row, anchor in enumerate(anchors.tolist()):
        for year in (2027, 2028):
            try:
                day = anchor.replace(year=year)
            except ValueError:  # 29 February in 2027
                day = date(year, 3, 1)
            if first <= np.datetime64(day) <= last and year > anchor.year:
                expected.add((row, day, year - anchor.year))
    assert set(zip(rows.tolist(), days.tolist(), years.tolist(), strict=True)) == expected


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (OwnerBirthday(leap_day="feb_29"), "OwnerBirthday: leap_day='feb_29' is invalid"),
        (VehicleAnniversary(window_days=-1), "VehicleAnniversary: window_days=-1 is invalid"),
        (FestivalGreetings(festivals=("easter",)), "FestivalGreetings: festivals="),
        (LunarBirthday(channel="pigeon"), "LunarBirthday: channel='pigeon' is invalid"),
    ],
)
def test_bad_parameters_are_named(rule: Any, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        plan(rule, start=date(2026, 6, 1))


def test_the_rules_are_built_in_policies() -> None:
    assert isinstance(get_policy("owner_birthday"), OwnerBirthday)
    assert isinstance(get_policy("lunar_birthday"), LunarBirthday)
    assert isinstance(get_policy("vehicle_anniversary"), VehicleAnniversary)
    assert get_policy("festival_greetings", days_before=5).days_before == 5


def _status(agenda: Any) -> list[tuple[str, str, str]]:
    return list(
        zip(
            agenda.tasks.customer.tolist(),
            agenda.tasks.kind_names().tolist(),
            [list(TaskStatus)[s].value for s in agenda.status],
            strict=True,
        )
    )


BIRTHDAY_DAY = date(2026, 6, 10)
GREETED = [
    person("C1", date(1980, 6, 10)),
    person("C2", date(1980, 6, 10)),
    car(0, "C1", date(2020, 5, 1)),
    car(1, "C2", date(2020, 5, 1)),
    consent("K1", "C1", date(2020, 1, 1), purpose="marketing", channel="sms"),
    consent("K2", "C2", date(2020, 1, 1), purpose="marketing", channel="sms"),
]


def test_birthday_greetings_need_marketing_consent_on_their_day() -> None:
    planner = Planner(rules=(OwnerBirthday(),))
    # C2 withdrew the consent to marketing by text the day before the birthday.
    withdrawn = consent(
        "K3",
        "C2",
        BIRTHDAY_DAY - timedelta(days=1),
        purpose="marketing",
        channel="sms",
        granted=False,
    )
    agenda = planner.agenda(book(*GREETED, withdrawn, customers=()), on=BIRTHDAY_DAY)
    assert _status(agenda) == [
        ("C1", "owner_birthday", "open"),
        ("C2", "owner_birthday", "blocked"),
    ]


def test_a_birthday_call_that_reached_the_customer_closes_the_greeting() -> None:
    called = contact("X1", "C1", BIRTHDAY_DAY, purpose="birthday", channel="sms")
    agenda = Planner(rules=(OwnerBirthday(),)).agenda(
        book(*GREETED, called, customers=()), on=BIRTHDAY_DAY
    )
    assert _status(agenda) == [
        ("C1", "owner_birthday", "closed"),
        ("C2", "owner_birthday", "open"),
    ]


@pytest.fixture(scope="module")
def drawn() -> Tables:
    """A drawn book as Tables, converted once: every day of a range plans from the same one."""
    return Tables.from_book(synthetic.book(150, seed=2))


@pytest.mark.parametrize(
    "rule",
    [
        OwnerBirthday(days_before=2, window_days=3),
        VehicleAnniversary(leap_day="mar_1", window_days=1),
        FestivalGreetings(festivals=("new_year", "spring_festival", "mid_autumn")),
    ],
    ids=lambda rule: type(rule).__name__,
)
def test_the_tasks_of_a_range_are_the_union_of_those_of_its_days(rule: Any, drawn: Tables) -> None:
    data = drawn
    start, end = date(2026, 12, 20), date(2027, 1, 12)
    whole = rule.plan(inputs(data, start, end, as_of=date(2026, 6, 30)))

    def keys(tasks: Any) -> set[tuple[Any, ...]]:
        return set(
            zip(
                tasks.customer.tolist(),
                tasks.vehicle.tolist(),
                tasks.due.tolist(),
                tasks.source.tolist(),
                strict=True,
            )
        )

    days: set[tuple[Any, ...]] = set()
    for k in range((end - start).days + 1):
        day = start + timedelta(days=k)
        days |= keys(rule.plan(inputs(data, day, as_of=date(2026, 6, 30))))
    assert days == keys(whole)
    assert len(whole) > 0
