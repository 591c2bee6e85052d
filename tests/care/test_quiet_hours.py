"""Quiet hours: the hours of the day each task may be made in on its channel, by hand, and
the invariants: no task is dropped, and the hours lie inside the day, outside the quiet spans."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from aftersales_crm.care import (
    FOLLOW_UP_KINDS,
    QUIET_HOURS,
    CareTasks,
    Consent,
    FollowUpCalls,
    Planner,
    PreferredChannel,
    QuietHours,
    Reason,
    Verdicts,
    all_of,
    any_of,
    not_,
)
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import Customer
from aftersales_crm.tables import Tables
from aftersales_crm.values import ContactChannel, ContactPurpose
from aftersales_crm.values._hours import ALL_DAY, SLOTS, call_window, hours_mask, hours_text

from .build import VINS, book, car, consent, everything, inputs, order

CALL = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D]
AS_OF = date(2026, 6, 10)
CHANNELS = [c.value for c in ContactChannel]
DAYTIME = "09:00-12:00, 14:00-18:00"
QUIET = QuietHours.REASON.text()


def calls(*channels: str) -> CareTasks:
    """One 3DC task per channel, for C1, due on ``AS_OF``."""
    return CareTasks.build(
        CALL,
        Reason("doc", "测试"),
        customer=["C1"] * len(channels),
        due=[AS_OF] * len(channels),
        channel=[CHANNELS.index(c) for c in channels],
    )


def hours_of(rule: object, todo: CareTasks, *records: object) -> list[str]:
    """The permitted hours of each task in words, ``"-"`` for a blocked one."""
    own = any(isinstance(r, Customer) for r in records)  # the customer is given
    data = book(*records, customers=() if own else ("C1",))
    verdicts = rule.check(todo, inputs(data, AS_OF))  # type: ignore[attr-defined]
    assert len(verdicts) == len(todo)
    text = hours_text(verdicts.hours).tolist()
    return [t if ok else "-" for t, ok in zip(text, verdicts.allowed, strict=True)]


def test_the_default_keeps_phone_messages_and_sms_to_daytime_less_lunch() -> None:
    todo = calls("phone", "messaging_app", "sms", "email", "post", "visit")
    assert hours_of(QuietHours(), todo) == [DAYTIME] * 3 + ["00:00-24:00"] * 3
    # 09:00 is slot 18, 12:00 slot 24, 14:00 slot 28, 18:00 slot 36: 6 + 8 slots.
    expected = sum(1 << i for i in [*range(18, 24), *range(28, 36)])
    phone = [(start, end) for channel, start, end in QUIET_HOURS if channel == "phone"]
    assert hours_mask(phone) == ALL_DAY & ~expected


def test_a_channel_quiet_all_day_blocks_its_tasks_with_the_reason_and_keeps_them() -> None:
    rule = QuietHours(quiet=(("phone", "00:00", "12:00"), ("phone", "12:00", "24:00")))
    todo = calls("phone", "sms", "phone")
    verdicts = rule.check(todo, inputs(book(), AS_OF))
    assert verdicts.allowed.tolist() == [False, True, False]
    assert verdicts.reasons_text("zh").tolist() == [
        "此渠道全天均为免打扰时段",
        None,
        "此渠道全天均为免打扰时段",
    ]
    assert hours_text(verdicts.hours).tolist() == ["", "00:00-24:00", ""]


def test_the_hours_follow_the_channel_the_preferred_channel_rule_chose() -> None:
    only_email = [consent("K1", "C1", date(2026, 6, 1), channel="email")]
    todo = calls("phone")
    assert hours_of(all_of(PreferredChannel(), QuietHours()), todo, *only_email) == ["00:00-24:00"]
    phone = [consent("K1", "C1", date(2026, 6, 1))]
    assert hours_of(all_of(PreferredChannel(), QuietHours()), todo, *phone) == [DAYTIME]


def test_all_of_keeps_the_hours_every_rule_permits_and_any_of_the_first_allowing() -> None:
    morning = QuietHours(quiet=(("phone", "00:00", "10:00"),))
    evening = QuietHours(quiet=(("phone", "17:00", "24:00"),))
    todo = calls("phone")
    assert hours_of(all_of(morning, evening), todo) == ["10:00-17:00"]
    consented = [consent("K1", "C1", date(2026, 6, 1))]
    # Consent allows without a word on hours: all day; the quiet hours come second.
    assert hours_of(any_of(morning, Consent()), todo, *consented) == ["10:00-24:00"]
    assert hours_of(any_of(Consent(), morning), todo) == ["10:00-24:00"]  # no consent
    assert hours_of(any_of(Consent(), morning), todo, *consented) == ["00:00-24:00"]


def _customer(*spans: str) -> Customer:
    return Customer(id="C1", name="王芳", quiet_hours=spans)


def test_a_customers_own_quiet_hours_are_taken_out_on_the_channels_that_reach_them_at_once() -> (
    None
):
    todo = calls("phone", "sms", "email")
    own = _customer("00:00-10:00", "17:00-24:00")
    late = "10:00-12:00, 14:00-17:00"
    assert hours_of(QuietHours(), todo, own) == [late, late, "00:00-24:00"]
    assert hours_of(QuietHours(own_channels=("email",)), todo, own) == [
        DAYTIME,
        DAYTIME,
        "10:00-17:00",
    ]
    assert hours_of(QuietHours(own_channels=()), todo, own) == [DAYTIME, DAYTIME, "00:00-24:00"]


def test_a_customer_quiet_over_the_channels_hours_is_blocked_on_it() -> None:
    todo = calls("phone", "email")
    own = _customer("09:00-12:00", "13:30-18:00")  # overlapping the lunch break is fine
    assert hours_of(QuietHours(), todo, own) == ["-", "00:00-24:00"]


@pytest.mark.parametrize(
    "span", ["12:15-14:00", "14:00-12:00", "12:00", "12:00-14:00-15:00", "8:00-9:00"]
)
def test_a_customers_quiet_hours_must_be_spans_on_the_half_hour(span: str) -> None:
    with pytest.raises(ValidationError, match="quiet_hours"):
        _customer(span)


def test_a_malformed_span_in_the_tables_is_refused_naming_the_customer() -> None:
    arrays: dict[str, Any] = dict(
        Tables.from_book(book(_customer("12:00-14:00"), customers=())).to_arrays()
    )
    spans = np.empty(1, dtype=object)
    spans[0] = ("14:00-12:00",)
    arrays["customers"] = {**arrays["customers"], "quiet_hours": spans}
    with pytest.raises(InvalidValue, match="customer C1's quiet_hours"):
        QuietHours().check(calls("phone"), inputs(Tables.from_arrays(**arrays), AS_OF))


@pytest.mark.parametrize(
    ("quiet", "named"),
    [
        ((("phone", "09:15", "10:00"),), "'09:15'"),
        ((("phone", "25:00", "10:00"),), "'25:00'"),
        ((("phone", "12:00", "09:00"),), "ends before it starts"),
        ((("phone", "12:00"),), "found ('phone', '12:00')"),
        ((("pager", "12:00", "13:00"),), "found ('pager'"),
        ({"phone": ("12:00", "13:00")}, "expected rows"),
    ],
)
def test_bad_quiet_hours_are_refused_naming_the_parameter(quiet: object, named: str) -> None:
    with pytest.raises(InvalidValue, match="quiet") as caught:
        QuietHours(quiet=quiet).check(calls("phone"), inputs(book(), AS_OF))  # type: ignore[arg-type]
    assert named in str(caught.value)


def test_the_agenda_carries_the_hours_into_pandas_and_the_report() -> None:
    friday = date(2026, 6, 26)
    records = [
        everything(("C1",)),
        car(0, "C1", date(2024, 1, 10)),
        order("RO1", friday, customer="C1", vehicle=VINS[0], closed=friday),
    ]
    planner = Planner(rules=(FollowUpCalls(),), contact=all_of(Consent(), QuietHours()))
    agenda = planner.agenda(book(*records), on=date(2026, 6, 30))
    frame = agenda.to_pandas()
    assert frame[["channel", "call_from", "call_until", "call_hours"]].values.tolist() == [
        ["phone", "09:00", "18:00", DAYTIME]
    ]
    assert DAYTIME in agenda.report()
    assert agenda.take([0]).hours.tolist() == agenda.hours.tolist()
    plain = Planner(rules=(FollowUpCalls(),)).agenda(book(*records), on=date(2026, 6, 30))
    assert plain.to_pandas()["call_hours"].tolist() == ["00:00-24:00"]
    assert plain != agenda  # the hours differ


def test_call_window_reads_the_first_and_last_permitted_times() -> None:
    masks = np.array([hours_mask([("23:30", "24:00")]), hours_mask([("00:00", "00:30")]), 0])
    start, end = call_window(masks)
    assert start.tolist() == ["23:30", "00:00", None]
    assert end.tolist() == ["24:00", "00:30", None]


# ---------------------------------------------------------------- invariants

_TIMES = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60 + 1, 30)]


@st.composite
def spans(draw: st.DrawFn) -> list[tuple[str, str]]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=SLOTS - 1))
        end = draw(st.integers(min_value=start + 1, max_value=SLOTS))
        out.append((_TIMES[start], _TIMES[end]))
    return out


@settings(max_examples=60, deadline=None)
@given(
    quiet=st.dictionaries(st.sampled_from(CHANNELS), spans(), max_size=len(CHANNELS)),
    as_list=st.booleans(),
    channels=st.lists(st.sampled_from(CHANNELS), max_size=12),
)
def test_quiet_hours_never_drop_a_task_and_keep_the_hours_inside_the_day(
    quiet: dict[str, list[tuple[str, str]]], channels: list[str], as_list: bool
) -> None:
    todo = calls(*channels)
    rows = [(channel, start, end) for channel, spans in quiet.items() for start, end in spans]
    given = rows if as_list else tuple(rows)
    verdicts = QuietHours(quiet=given).check(todo, inputs(book(), AS_OF))  # type: ignore[arg-type]
    assert len(verdicts) == len(todo)
    assert verdicts.channel.tolist() == todo.channel.tolist()
    hours = verdicts.hours
    assert ((hours >= 0) & (hours <= ALL_DAY)).all()
    assert (verdicts.allowed == (hours != 0)).all()
    assert set(verdicts.reasons_text().tolist()) <= {None, QUIET}
    for channel, mask in zip(channels, hours.tolist(), strict=True):
        assert mask & hours_mask(quiet.get(channel, [])) == 0  # nothing in a quiet span
        assert mask | hours_mask(quiet.get(channel, [])) == ALL_DAY  # nothing else taken
    start, end = call_window(hours)
    for a, b, mask in zip(start.tolist(), end.tolist(), hours.tolist(), strict=True):
        assert (a is None) == (b is None) == (mask == 0)
        if a is not None:
            assert "00:00" <= a < b <= "24:00"


def test_verdicts_check_their_hours_and_carry_them_through_take_and_equality() -> None:
    allowed, reason, channel = np.array([True, True]), np.array([-1, -1]), np.array([0, 0])
    assert Verdicts(allowed, reason, channel, ()).hours.tolist() == [ALL_DAY, ALL_DAY]
    some = Verdicts(allowed, reason, channel, (), np.array([1, 2]))
    assert some.take([1]).hours.tolist() == [2]
    assert some != Verdicts(allowed, reason, channel, ())
    with pytest.raises(InvalidValue, match="hours"):
        Verdicts(allowed, reason, channel, (), np.array([1]))
    with pytest.raises(InvalidValue, match="slots of the day"):
        Verdicts(allowed, reason, channel, (), np.array([1, ALL_DAY + 1]))


# ---------------------------------------------------------------- the order of all_of


@pytest.mark.parametrize(
    "rule",
    [
        all_of(QuietHours(), PreferredChannel()),
        all_of(Consent(), all_of(QuietHours()), any_of(PreferredChannel())),
    ],
    ids=["flat", "nested"],
)
def test_all_of_refuses_a_channel_move_after_the_hours_were_given(rule: Any) -> None:
    todo = calls("phone", "email")
    given = inputs(book(customers=("C1",)), AS_OF)
    with pytest.raises(InvalidValue, match=r"moves tasks to other channels after .* put") as info:
        rule.check(todo, given)
    assert info.value.code == "contact_order"


def test_all_of_takes_the_channel_move_before_the_hours_and_not_of_a_move() -> None:
    todo = calls("phone", "email")
    given = inputs(book(customers=("C1",)), AS_OF)
    assert len(all_of(PreferredChannel(), QuietHours()).check(todo, given)) == 2
    # Not keeps every channel and hour, so it may come anywhere.
    assert len(all_of(QuietHours(), not_(PreferredChannel())).check(todo, given)) == 2
