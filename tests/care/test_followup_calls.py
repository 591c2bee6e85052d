"""The 3DC and 7DC follow-up calls, each day worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import synthetic
from aftersales_crm.calendars import WeekendCalendar, add_business_days
from aftersales_crm.care import CareInputs, FollowUpCalls
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactPurpose

from .build import VINS, beijing, book, car, inputs, order

FRIDAY = date(2026, 6, 26)


def plan(
    rule: FollowUpCalls,
    *records: object,
    start: date = FRIDAY,
    end: date = date(2026, 7, 10),
    **kw: object,
) -> list[tuple[str, str, date, date, str]]:
    data = book(*records)
    tasks = rule.plan(inputs(data, start, end, as_of=kw.pop("as_of", end), **kw))  # type: ignore[arg-type]
    rows = tasks.canonical_order()
    return list(
        zip(
            tasks.kind_names()[rows].tolist(),
            tasks.customer[rows].tolist(),
            tasks.due[rows].tolist(),
            tasks.window_end[rows].tolist(),
            tasks.source[rows].tolist(),
            strict=True,
        )
    )


SERVICE = [car(0, "C1", date(2024, 1, 10)), order("RO1", FRIDAY, closed=FRIDAY)]


def test_the_days_are_those_of_the_one_home_of_the_rule() -> None:
    assert FOLLOW_UP_DAYS[ContactPurpose.FOLLOW_UP_3D] == 3
    assert FOLLOW_UP_DAYS[ContactPurpose.FOLLOW_UP_7D] == 7


def test_calls_fall_3_and_7_calendar_days_after_the_delivery() -> None:
    assert plan(FollowUpCalls(), *SERVICE) == [
        ("follow_up_3d", "C1", date(2026, 6, 29), date(2026, 7, 1), "RO1"),
        ("follow_up_7d", "C1", date(2026, 7, 3), date(2026, 7, 5), "RO1"),
    ]


def test_working_days_skip_the_weekend_and_the_calendars_holidays() -> None:
    # Friday 26 June: 3 working days is Wednesday 1 July, 7 is Tuesday 7 July; with 1 and 2
    # July off, Friday 3 and Wednesday 8.
    assert [t[2] for t in plan(FollowUpCalls(clock="business"), *SERVICE)] == [
        date(2026, 7, 1),
        date(2026, 7, 7),
    ]
    holidays = WeekendCalendar(holidays=[date(2026, 7, 1), date(2026, 7, 2)])
    assert [t[2] for t in plan(FollowUpCalls(clock="business"), *SERVICE, calendar=holidays)] == [
        date(2026, 7, 3),
        date(2026, 7, 9),
    ]


def test_the_delivery_day_is_the_business_date_in_beijing() -> None:
    # Closed at 01:00 on 26 June in Beijing: 25 June in UTC, 26 June for the dealer.
    early = order("RO1", date(2026, 6, 25), closed=None)
    early = early.model_copy(update={"closed_at": beijing(FRIDAY, 1)})
    assert early.closed_at is not None
    assert early.closed_at.day == 25
    assert plan(FollowUpCalls(), car(0, "C1", date(2024, 1, 10)), early)[0][2] == date(2026, 6, 29)


def test_an_order_not_closed_or_closed_after_as_of_gets_no_call() -> None:
    records = [
        car(0, "C1", date(2024, 1, 10)),
        order("RO1", FRIDAY),
        order("RO2", FRIDAY, closed=date(2026, 7, 2)),
    ]
    assert plan(FollowUpCalls(), *records, as_of=date(2026, 7, 1)) == []
    assert [t[4] for t in plan(FollowUpCalls(), *records, as_of=date(2026, 7, 2))] == ["RO2", "RO2"]


def test_only_calls_whose_window_meets_the_days_asked_for() -> None:
    # 3DC window 29 June – 1 July, 7DC window 3–5 July.
    assert [
        t[0] for t in plan(FollowUpCalls(), *SERVICE, start=date(2026, 7, 2), end=date(2026, 7, 2))
    ] == []
    assert [
        t[0] for t in plan(FollowUpCalls(), *SERVICE, start=date(2026, 7, 1), end=date(2026, 7, 1))
    ] == ["follow_up_3d"]
    assert [
        t[0] for t in plan(FollowUpCalls(), *SERVICE, start=date(2026, 7, 5), end=date(2026, 7, 9))
    ] == ["follow_up_7d"]


def test_a_new_vehicle_sold_here_gets_the_calls_after_its_delivery() -> None:
    records = [
        car(1, "C2", date(2026, 6, 20)),
        car(2, "C3", date(2026, 6, 20), sold_here=False),  # bought elsewhere: no sale call
    ]
    assert plan(FollowUpCalls(after=("sale",)), *records, start=date(2026, 6, 20)) == [
        ("follow_up_3d", "C2", date(2026, 6, 23), date(2026, 6, 25), VINS[1]),
        ("follow_up_7d", "C2", date(2026, 6, 27), date(2026, 6, 29), VINS[1]),
    ]


def test_the_sale_call_goes_to_who_owned_the_car_on_its_purchase_day() -> None:
    from aftersales_crm.records import Ownership, Vehicle

    records = [
        Vehicle(vin=VINS[1], model="Lavida", purchase_date=date(2026, 6, 20)),
        Ownership(
            id="O1", customer_id="C2", vin=VINS[1], start=date(2026, 6, 20), end=date(2026, 6, 24)
        ),
        Ownership(id="O2", customer_id="C3", vin=VINS[1], start=date(2026, 6, 24)),
    ]
    assert {
        t[1] for t in plan(FollowUpCalls(after=("sale",)), *records, start=date(2026, 6, 20))
    } == {"C2"}


def test_parameters_choose_the_calls_the_deliveries_and_the_window() -> None:
    only_7 = plan(FollowUpCalls(calls=("follow_up_7d",), window_days=0), *SERVICE)
    assert only_7 == [("follow_up_7d", "C1", date(2026, 7, 3), date(2026, 7, 3), "RO1")]
    assert plan(FollowUpCalls(after=("sale",)), *SERVICE) == []


def test_the_reason_names_the_delivery_and_the_days() -> None:
    data = book(*SERVICE)
    tasks = FollowUpCalls().plan(inputs(data, FRIDAY, date(2026, 7, 10)))
    assert sorted(tasks.reasons_text("en").tolist()) == [
        "follow-up call 3 days after the service delivered on 2026-06-26",
        "follow-up call 7 days after the service delivered on 2026-06-26",
    ]
    assert sorted(tasks.reasons_text("zh").tolist())[0] == "2026-06-26维修保养交车后第3天回访"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"calls": ("follow_up_5d",)}, r"FollowUpCalls: calls=\('follow_up_5d',\) is invalid"),
        (
            {"clock": "lunar"},
            "FollowUpCalls: clock='lunar' is invalid: expected 'calendar' or 'business'",
        ),
        ({"window_days": -1}, "FollowUpCalls: window_days=-1 is invalid"),
        ({"channel": "fax"}, "FollowUpCalls: channel='fax' is invalid"),
    ],
)
def test_bad_parameters_are_named_when_planning(params: dict[str, object], message: str) -> None:
    rule = FollowUpCalls(**params)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=message):
        rule.plan(inputs(book(*SERVICE), FRIDAY))


def test_planning_needs_care_inputs() -> None:
    with pytest.raises(InvalidType, match="FollowUpCalls: inputs is Book, expected CareInputs"):
        FollowUpCalls().plan(book(*SERVICE))  # type: ignore[arg-type]


def _every_call(rule: FollowUpCalls, on: CareInputs) -> set[tuple[str, str, date, date]]:
    """The calls of ``rule`` worked out delivery by delivery: the oracle of the rule."""
    orders = on.tables.orders
    closed = on.table_days("orders", "closed_at")
    calls = set()
    for row in np.flatnonzero(closed <= on.as_of_day):
        day = closed[row]
        for purpose, days in FOLLOW_UP_DAYS.items():
            due = (
                add_business_days(np.array([day]), days, calendar=on.calendar)[0]
                if rule.clock == "business"
                else day + np.timedelta64(days, "D")
            )
            end = due + np.timedelta64(rule.window_days, "D")
            if on.meets(np.array([due]), np.array([end]))[0]:
                calls.add((purpose.value, str(orders["id"][row]), due.item(), end.item()))
    return calls


SOME_BOOK = synthetic.book(40, seed=8)


@settings(max_examples=30)
@given(
    clock=st.sampled_from(["calendar", "business"]),
    start=st.dates(date(2025, 12, 1), date(2026, 7, 31)),
    days=st.integers(0, 40),
    window=st.integers(0, 9),
    holiday=st.dates(date(2025, 12, 1), date(2026, 8, 31)),
)
def test_the_calls_are_those_of_every_delivery_worked_out_one_by_one(
    clock: str, start: date, days: int, window: int, holiday: date
) -> None:
    rule = FollowUpCalls(after=("service",), clock=clock, window_days=window)
    calendar = WeekendCalendar(holidays=[holiday])
    on = inputs(
        SOME_BOOK, start, start + timedelta(days=days), as_of=date(2026, 6, 30), calendar=calendar
    )
    tasks = rule.plan(on)
    found = set(
        zip(
            tasks.kind_names().tolist(),
            tasks.source.tolist(),
            tasks.due.tolist(),
            tasks.window_end.tolist(),
            strict=True,
        )
    )
    assert len(found) == len(tasks)
    assert found == _every_call(rule, on)
