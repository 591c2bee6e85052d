"""Complaint service levels: breaches and hours left, counted by hand.

The business calendar is Monday to Friday, 08:30–17:30 Beijing time. 6 March 2026 is a
Friday; 9 March the Monday after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest

from aftersales_crm.complaints import (
    BusinessCalendar,
    ComplaintLog,
    ComplaintSla,
    SlaStatus,
    WeekdayCalendar,
)
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.policies import get_policy
from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
from aftersales_crm.testing import check_policy, parametrize_with_policy_checks

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def log(severity: str, filed_at: dt.datetime, *steps: tuple[str, dt.datetime]) -> ComplaintLog:
    facts: list[ComplaintFiled | ComplaintUpdated] = [
        ComplaintFiled(
            id="Q1",
            customer_id="C1",
            at=filed_at,
            category="waiting_time",
            severity=severity,
            channel="phone",
        )
    ]
    for i, (action, when) in enumerate(steps):
        verdict = "satisfied" if action == "closed" else None
        facts.append(
            ComplaintUpdated(id=f"U{i}", complaint_id="Q1", at=when, action=action, verdict=verdict)
        )
    return ComplaintLog.from_records(facts)


def one(status: SlaStatus) -> dict[str, Any]:
    assert len(status) == 1
    frame = status.to_pandas()
    return dict(frame.iloc[0])


def test_calendar_hours_count_every_hour_across_the_day_boundary() -> None:
    # high: 4 h to respond, 7 days to resolve. Filed 22:00 Beijing, 5 March; as_of 01:00
    # the next day: 3 h gone, 1 h left; acknowledged nothing yet.
    status = ComplaintSla().assess(log("high", at(5, 22)), as_of=at(6, 1))
    row = one(status)
    assert row["response_hours_left"] == 1.0
    assert not row["response_breached"]
    assert row["resolution_hours_left"] == 7 * 24 - 3
    due = row["response_due"].to_pydatetime().replace(tzinfo=dt.UTC)
    assert due == dt.datetime(2026, 3, 5, 18, tzinfo=dt.UTC)  # 02:00 Beijing, 6 March


def test_a_late_acknowledgement_stays_breached_by_the_hours_it_was_late() -> None:
    # medium: 8 h. Filed 09:00, acknowledged 19:30 the same day: 2.5 h late, for ever.
    sla = ComplaintSla()
    complaint = log("medium", at(3, 9), ("acknowledged", at(3, 19, 30)))
    for later in (at(3, 20), at(9, 9)):
        row = one(sla.assess(complaint, as_of=later))
        assert row["response_hours_left"] == -2.5
        assert row["response_breached"]


def test_an_unanswered_complaint_breaches_once_its_hours_are_gone() -> None:
    # critical: 2 h. Filed 10:00; at 11:59 it is within, at 12:01 breached by a minute.
    complaint = log("critical", at(4, 10))
    assert not one(ComplaintSla().assess(complaint, as_of=at(4, 11, 59)))["response_breached"]
    late = one(ComplaintSla().assess(complaint, as_of=at(4, 12, 1)))
    assert late["response_breached"]
    assert late["response_hours_left"] == pytest.approx(-1 / 60)


def test_business_hours_stop_over_the_weekend() -> None:
    # high: 4 business hours. Filed Friday 16:30: 1 h on Friday (to 17:30), nothing on
    # Saturday and Sunday, 2 h on Monday by 10:30: 3 h gone, 1 h left; due Monday 11:30.
    sla = ComplaintSla(clock="business")
    row = one(sla.assess(log("high", at(6, 16, 30)), as_of=at(9, 10, 30)))
    assert row["response_hours_left"] == 1.0
    assert not row["response_breached"]
    due = row["response_due"].to_pydatetime().replace(tzinfo=dt.UTC)
    assert due == at(9, 11, 30)
    # In calendar hours the same complaint is 66 h old: breached by 62 h.
    calendar = one(ComplaintSla().assess(log("high", at(6, 16, 30)), as_of=at(9, 10, 30)))
    assert calendar["response_hours_left"] == -62.0


def test_a_business_deadline_at_closing_time_is_breached_only_at_the_next_opening() -> None:
    # critical: 2 business hours. Filed Friday 15:30: due at 17:30, closing time.
    sla = ComplaintSla(clock="business")
    complaint = log("critical", at(6, 15, 30))
    saturday = one(sla.assess(complaint, as_of=at(7, 12)))
    assert saturday["response_hours_left"] == 0.0
    assert not saturday["response_breached"]
    monday = one(sla.assess(complaint, as_of=at(9, 9)))
    assert monday["response_hours_left"] == -0.5
    assert monday["response_breached"]


def test_business_days_of_resolution_are_days_of_opening_hours() -> None:
    # critical: 3 days = 27 business hours (9 a day). Filed Wednesday 4 March 08:30
    # (opening): Wednesday, Thursday and Friday are the three days; due Friday 17:30.
    sla = ComplaintSla(clock="business")
    complaint = log("critical", at(4, 8, 30), ("acknowledged", at(4, 9)))
    friday = one(sla.assess(complaint, as_of=at(6, 17, 30)))
    assert friday["resolution_hours_left"] == 0.0
    due = friday["resolution_due"].to_pydatetime().replace(tzinfo=dt.UTC)
    assert due == at(6, 17, 30)
    monday = one(sla.assess(complaint, as_of=at(9, 12)))
    assert monday["resolution_hours_left"] == -3.5
    assert monday["resolution_breached"]


def test_a_holiday_of_the_callers_calendar_is_a_day_off() -> None:
    holiday = WeekdayCalendar(holidays=[dt.date(2026, 3, 9)])
    sla = ComplaintSla(clock="business", calendar=holiday)
    row = one(sla.assess(log("high", at(6, 16, 30)), as_of=at(10, 10, 30)))
    assert row["response_hours_left"] == 1.0  # Monday was off: as on Monday before


def test_the_resolution_clock_stops_at_the_resolution_and_runs_again_after_reopening() -> None:
    sla = ComplaintSla(resolution_days=(1, 1, 1, 1))  # 24 h for every severity
    resolved = log("low", at(2, 9), ("acknowledged", at(2, 10)), ("resolved", at(2, 19)))
    row = one(sla.assess(resolved, as_of=at(9, 9)))
    assert row["resolution_hours_left"] == 14.0
    assert not row["resolution_breached"]
    reopened = log(
        "low",
        at(2, 9),
        ("acknowledged", at(2, 10)),
        ("resolved", at(2, 19)),
        ("reopened", at(3, 8)),
    )
    row = one(sla.assess(reopened, as_of=at(3, 12)))
    assert row["resolution_hours_left"] == -3.0
    assert row["state"] == "in_progress"


def test_closed_complaints_and_those_filed_later_are_not_open() -> None:
    complaint = log(
        "low",
        at(2, 9),
        ("acknowledged", at(2, 10)),
        ("resolved", at(2, 19)),
        ("closed", at(3, 9)),
    )
    assert len(ComplaintSla().assess(complaint, as_of=at(4, 9))) == 0
    assert len(ComplaintSla().assess(complaint, as_of=at(1, 9))) == 0
    assert len(ComplaintSla().assess(complaint, as_of=at(3, 8))) == 1


def test_bad_parameters_and_inputs_are_named() -> None:
    with pytest.raises(InvalidValue, match=r"ComplaintSla: clock='wall' is invalid"):
        ComplaintSla(clock="wall").assess(ComplaintLog.from_records([]), as_of=at(1, 1))
    with pytest.raises(InvalidValue, match=r"ComplaintSla: response_hours=\(1, 2\) is invalid"):
        get_policy("complaint_sla", response_hours=(1, 2))
    with pytest.raises(InvalidValue, match=r"calendar=.* is invalid: expected a business calendar"):
        get_policy("complaint_sla", calendar="weekdays")
    with pytest.raises(InvalidType, match="expected a ComplaintLog or Tables"):
        ComplaintSla().assess([], as_of=at(1, 1))  # type: ignore[arg-type]
    backwards = WeekdayCalendar(opens=dt.time(18), closes=dt.time(9))
    with pytest.raises(InvalidValue, match="it closes at 09:00:00 but opens at 18:00:00"):
        ComplaintSla(clock="business", calendar=backwards).assess(
            log("low", at(2, 9)), as_of=at(3, 9)
        )


class SevenDays:
    """A caller's calendar: open every day, 09:00–21:00, as many dealers are."""

    opens = dt.time(9)
    closes = dt.time(21)

    def is_day_off(self, day: dt.date) -> bool:
        return False


def test_any_object_with_opening_hours_and_days_off_is_a_calendar() -> None:
    assert isinstance(SevenDays(), BusinessCalendar)
    sla = ComplaintSla(clock="business", calendar=SevenDays())
    row = one(sla.assess(log("high", at(6, 19)), as_of=at(7, 11)))
    assert row["response_hours_left"] == 0.0  # Friday 19–21, Saturday 9–11


# ---------------------------------------------------------------- the conformance kit


@parametrize_with_policy_checks(
    [
        ComplaintSla(),
        ComplaintSla(clock="business"),
        ComplaintSla(response_hours=(48, 24, 8, 1), resolution_days=(30, 21, 14, 7)),
    ]
)
def test_the_sla_policy_follows_the_policy_contract(
    policy: ComplaintSla, check: Callable[[object], None]
) -> None:
    check(policy)


class PeeksAhead(ComplaintSla):
    """Broken: counts every acknowledgement, even those after as_of."""

    kind: ClassVar[str] = "complaint_sla"

    def assess(self, complaints: Any, *, as_of: dt.datetime) -> SlaStatus:
        return super().assess(complaints, as_of=dt.datetime(2199, 1, 1, tzinfo=dt.UTC))


def test_the_kit_fails_a_policy_that_counts_facts_after_as_of() -> None:
    with pytest.raises(AssertionError, match="fails check 'as_of_cutoff'"):
        check_policy(PeeksAhead())
