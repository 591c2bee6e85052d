"""Maintenance reminders, each day worked out by hand: month ends, 29 February, and the
whichever-first limbs with slow and fast drivers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from aftersales_crm.care import FirstMaintenanceDue, MaintenanceDue
from aftersales_crm.errors import InvalidValue

from .build import book, car, inputs, order, plan, readings

# ---------------------------------------------------------------- the first maintenance

SLOW_NEW = [  # bought 31 August, 10 km a day: the 6 months end first, on 28 February
    car(0, "C1", date(2025, 8, 31)),
    *readings(0, "C1", (date(2025, 9, 10), 100), (date(2025, 10, 10), 400)),
]
FAST_NEW = [  # bought 1 January, 100 km a day: 5,000 km on 22 February
    car(1, "C2", date(2026, 1, 1)),
    *readings(1, "C2", (date(2026, 1, 5), 200), (date(2026, 1, 15), 1200)),
]


def test_a_slow_driver_is_reminded_before_six_months_end_on_the_month_end() -> None:
    # 31 August + 6 months is 28 February (not 3 March, not 28 → 28 drift); reminders 30
    # and 7 days before, each open until the next.
    assert plan(
        FirstMaintenanceDue(),
        *SLOW_NEW,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        as_of=date(2026, 1, 1),
    ) == [
        (date(2026, 1, 29), date(2026, 2, 20), date(2026, 2, 28), 0, 6),
        (date(2026, 2, 21), date(2026, 2, 28), date(2026, 2, 28), 0, 6),
    ]


def test_a_fast_driver_is_reminded_before_5000_km_from_the_latest_reading() -> None:
    # From 1,200 km on 15 January at 100 km a day: 38 days to 5,000 km, 22 February.
    assert plan(
        FirstMaintenanceDue(),
        *FAST_NEW,
        start=date(2026, 1, 16),
        end=date(2026, 3, 31),
        as_of=date(2026, 1, 16),
    ) == [
        (date(2026, 1, 23), date(2026, 2, 14), date(2026, 2, 22), 1, 5000),
        (date(2026, 2, 15), date(2026, 2, 22), date(2026, 2, 22), 1, 5000),
    ]


@pytest.mark.parametrize(
    ("bought", "months", "deadline"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # 29 February + a year: 28 February
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # into a leap February
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # 31 January + a month
    ],
)
def test_the_time_limb_counts_whole_months_from_the_purchase(
    bought: date, months: int, deadline: date
) -> None:
    rule = FirstMaintenanceDue(months=months, km=None, reminders=(0,))
    assert plan(rule, car(0, "C1", bought), start=bought, end=deadline, as_of=bought)[0][:3] == (
        deadline,
        deadline,
        deadline,
    )


def test_no_reminder_after_the_first_maintenance_or_before_the_purchase() -> None:
    done = [
        *SLOW_NEW,
        order(
            "R0-fm", date(2025, 12, 1), km=800, closed=date(2025, 12, 1), kind="first_maintenance"
        ),
    ]
    assert (
        plan(
            FirstMaintenanceDue(),
            *done,
            start=date(2026, 1, 1),
            end=date(2026, 3, 31),
            as_of=date(2026, 1, 1),
        )
        == []
    )
    later = car(2, "C3", date(2026, 3, 1))  # bought after as_of
    assert (
        plan(
            FirstMaintenanceDue(),
            later,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            as_of=date(2026, 1, 1),
        )
        == []
    )


def test_a_reminder_never_falls_on_or_before_the_purchase() -> None:
    # 250 km a day, 750 km on 4 January: 5,000 km on 21 January. The 30-day reminder would
    # fall before the purchase; it moves to the day after it, and the 7-day one stays.
    records = [
        car(1, "C2", date(2026, 1, 1)),
        *readings(1, "C2", (date(2026, 1, 2), 250), (date(2026, 1, 4), 750)),
    ]
    rows = plan(
        FirstMaintenanceDue(),
        *records,
        start=date(2026, 1, 4),
        end=date(2026, 3, 1),
        as_of=date(2026, 1, 4),
    )
    assert [r[0] for r in rows] == [date(2026, 1, 2), date(2026, 1, 14)]
    assert rows[0][2] == date(2026, 1, 21)


def test_a_model_of_the_table_has_its_own_window() -> None:
    sylphy = [
        car(0, "C1", date(2025, 8, 31), model="Sylphy"),
        *readings(0, "C1", (date(2025, 9, 10), 100), (date(2025, 10, 10), 400)),
    ]
    rule = FirstMaintenanceDue(models=(("Sylphy", 3, 3000),), reminders=(7,))
    assert plan(
        rule, *sylphy, start=date(2025, 11, 1), end=date(2026, 3, 31), as_of=date(2025, 11, 1)
    ) == [
        (date(2025, 11, 23), date(2025, 11, 30), date(2025, 11, 30), 0, 3),  # 31 August + 3 months
    ]


# ---------------------------------------------------------------- routine maintenance

SLOW = [  # serviced on 31 August at 1,620 km, 10 km a day: due by time, 28 February
    car(0, "C1", date(2024, 1, 1)),
    *readings(0, "C1", (date(2025, 6, 30), 1000), (date(2025, 8, 31), 1620), kind="maintenance"),
]
FAST = [  # serviced on 15 January at 10,000 km, 100 km a day: 5,000 km on 6 March
    car(1, "C2", date(2024, 1, 1)),
    *readings(1, "C2", (date(2025, 12, 16), 7000), (date(2026, 1, 15), 10000), kind="maintenance"),
]


def test_the_cadence_counts_from_the_last_service_without_drifting() -> None:
    # 31 August + 4, 5, 6 and 7 months: 31 Dec, 31 Jan, 28 Feb, 31 Mar (chaining would
    # give 28 March), each open until the next; the last until 29 April.
    assert plan(
        MaintenanceDue(),
        *SLOW,
        start=date(2025, 9, 1),
        end=date(2026, 6, 30),
        as_of=date(2025, 9, 1),
    ) == [
        (date(2025, 12, 31), date(2026, 1, 30), date(2026, 2, 28), 0, 6),
        (date(2026, 1, 31), date(2026, 2, 27), date(2026, 2, 28), 0, 6),
        (date(2026, 2, 28), date(2026, 3, 30), date(2026, 2, 28), 0, 6),
        (date(2026, 3, 31), date(2026, 4, 29), date(2026, 2, 28), 0, 6),
    ]


def test_a_fast_driver_is_due_by_mileage_and_not_reminded_in_the_month_after_the_service() -> None:
    # Due 6 March by km; the touches two and one month before fall on 6 January and
    # 6 February, within the month after the service on 15 January: left out.
    assert plan(
        MaintenanceDue(),
        *FAST,
        start=date(2026, 1, 16),
        end=date(2026, 6, 30),
        as_of=date(2026, 1, 16),
    ) == [
        (date(2026, 3, 6), date(2026, 4, 5), date(2026, 3, 6), 1, 5000),
        (date(2026, 4, 6), date(2026, 5, 5), date(2026, 3, 6), 1, 5000),
    ]


def test_by_time_only_the_fast_driver_is_due_six_months_on() -> None:
    rows = plan(
        MaintenanceDue(km=None, cadence=(0,)),
        *FAST,
        start=date(2026, 1, 16),
        end=date(2026, 12, 31),
        as_of=date(2026, 1, 16),
    )
    assert rows == [(date(2026, 7, 15), date(2026, 8, 14), date(2026, 7, 15), 0, 6)]


def test_a_29_february_service_comes_round_on_28_february() -> None:
    records = [
        car(0, "C1", date(2020, 1, 1)),
        *readings(0, "C1", (date(2024, 2, 29), 1000), kind="maintenance"),
    ]
    rows = plan(
        MaintenanceDue(months=12, km=None),
        *records,
        start=date(2024, 3, 1),
        end=date(2025, 12, 31),
        as_of=date(2024, 3, 1),
    )
    assert [r[0] for r in rows] == [
        date(2024, 12, 29),
        date(2025, 1, 29),
        date(2025, 2, 28),
        date(2025, 3, 29),
    ]


def test_a_model_of_the_table_has_its_own_interval() -> None:
    slow = [car(0, "C1", date(2024, 1, 1), model="Sylphy"), *SLOW[1:]]
    rule = MaintenanceDue(models=(("Sylphy", 12, None),), cadence=(0,))
    assert plan(
        rule, *slow, start=date(2025, 9, 1), end=date(2026, 12, 31), as_of=date(2025, 9, 1)
    ) == [
        (date(2026, 8, 31), date(2026, 9, 29), date(2026, 8, 31), 0, 12),
    ]


def test_a_vehicle_without_a_service_gets_no_routine_reminder() -> None:
    assert (
        plan(
            MaintenanceDue(),
            *SLOW_NEW,
            start=date(2025, 9, 1),
            end=date(2026, 12, 31),
            as_of=date(2026, 1, 1),
        )
        == []
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            MaintenanceDue(cadence=(0, -1)),
            "MaintenanceDue: cadence=.* is invalid: numbers must be strictly increasing",
        ),
        (
            MaintenanceDue(models=(("Sylphy", 0, 5000),)),
            "MaintenanceDue: models=.* is invalid: expected \\(model, months, km\\)",
        ),
        (
            MaintenanceDue(models=(("A", 6, 5000), ("A", 3, 3000))),
            "MaintenanceDue: models=.* is invalid",
        ),
        (
            FirstMaintenanceDue(reminders=(7, 30)),
            "FirstMaintenanceDue: reminders=.* is invalid: numbers must be strictly decreasing",
        ),
        (FirstMaintenanceDue(km=0), "FirstMaintenanceDue: km=0 is invalid"),
    ],
)
def test_bad_parameters_are_named_when_planning(rule: object, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        rule.plan(inputs(book(*SLOW), date(2025, 9, 1)))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("low", "high", "months"),
    [
        ("2016-01-01", "2026-12-31", [0, 1, 5, 6, 7, 12]),  # a table of a few numbers
        ("2016-01-01", "2026-12-31", [-24, 12, 120, 240]),  # numbers found by sorting
        ("1900-01-01", "2199-12-31", [1, 2]),  # days far apart: a pass per number
    ],
)
def test_add_months_per_row_is_add_months_row_by_row(
    low: str, high: str, months: list[int]
) -> None:
    from aftersales_crm.care._reminders import add_months_each
    from aftersales_crm.features import add_months

    rng = np.random.default_rng(7)
    first, last = (
        np.datetime64(low, "D").astype(np.int64),
        np.datetime64(high, "D").astype(np.int64),
    )
    days = rng.integers(first, last + 1, 300).astype("datetime64[D]")
    days[::17] = np.datetime64("NaT")
    days[1] = np.datetime64("2024-02-29")
    steps = rng.choice(np.array(months, dtype=np.int64), 300)
    want = np.array([add_months(days[i : i + 1], int(steps[i]))[0] for i in range(300)])
    assert np.array_equal(add_months_each(days, steps).view(np.int64), want.view(np.int64))
    # Broadcast: every day by every number, (numbers, days).
    grid = np.array(months, dtype=np.int64)[:, None]
    both = np.stack([add_months(days, m) for m in months])
    assert np.array_equal(add_months_each(days, grid).view(np.int64), both.view(np.int64))
