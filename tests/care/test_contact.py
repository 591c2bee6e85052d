"""Contact rules, each verdict worked out by hand: consent withdrawn the day before, do not
contact, cooling off, the frequency cap, quiet days, a consented channel, combinations."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.calendars import WeekendCalendar
from aftersales_crm.care import (
    FOLLOW_UP_KINDS,
    MAINTENANCE_DUE,
    AllOf,
    AnyOf,
    CareInputs,
    CareTasks,
    Consent,
    CoolingOff,
    DoNotContact,
    FrequencyCap,
    Not,
    Planner,
    PreferredChannel,
    QuietDays,
    Reason,
    TaskKind,
    Verdicts,
    all_of,
    any_of,
    not_,
)
from aftersales_crm.care._contact import _distinct
from aftersales_crm.care._facts import _by_key, last_complaint
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.values import ContactChannel, ContactPurpose

from .build import book, complaint, consent, contact, inputs

CALL = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D]  # needs consent to surveys
CALL_7 = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_7D]
REMIND = MAINTENANCE_DUE  # needs consent to service reminders
GREET = TaskKind("doc_greeting", "greeting", "问候", purpose="birthday")  # marketing
AS_OF = date(2026, 6, 10)
KINDS = {"call": CALL, "call7": CALL_7, "remind": REMIND, "greet": GREET}


def tasks(*rows: tuple[str, str, str] | tuple[str, str, str, str, int, str]) -> CareTasks:
    """Tasks from (kind, customer, due[, window end, priority, channel]) rows."""
    parts = []
    for i, row in enumerate(rows):
        kind, customer, due, *rest = row
        end, priority, channel = (
            (rest + [due, 0, "phone"][len(rest) :]) if rest else (due, 0, "phone")
        )
        parts.append(
            CareTasks.build(
                KINDS[kind],
                Reason("doc", "测试"),
                customer=[customer],
                due=[due],
                window_end=[end],
                priority=priority,
                channel=channel,
                source=f"S{i}",
            )
        )
    return CareTasks.concat(parts)


def judge(
    rule: object, todo: CareTasks, *records: object, as_of: date = AS_OF, **kw: Any
) -> list[str | None]:
    """Each task's verdict: None when allowed, else the reason in English."""
    verdicts = rule.check(todo, inputs(book(*records), as_of, as_of=as_of, **kw))  # type: ignore[attr-defined]
    assert isinstance(verdicts, Verdicts)
    assert len(verdicts) == len(todo)
    texts: list[str | None] = verdicts.reasons_text().tolist()
    return texts


NO = Consent.REASON.text()
DNC = DoNotContact.REASON.text()
COOL = CoolingOff.REASON.text()
WEEK, MONTH = FrequencyCap.WEEK.text(), FrequencyCap.MONTH.text()


# ---------------------------------------------------------------- consent


def test_consent_withdrawn_the_day_before_wins() -> None:
    records = [
        consent("K1", "C1", date(2026, 6, 1)),
        consent("K2", "C2", date(2026, 6, 1)),
        consent("K3", "C2", date(2026, 6, 9), granted=False),  # the day before the call
        consent("K4", "C3", date(2026, 6, 1), hour=9),
        consent("K5", "C3", date(2026, 6, 1), hour=9, granted=False),  # same instant: withdrawal
    ]
    todo = tasks(
        ("call", "C1", "2026-06-10"),
        ("call", "C2", "2026-06-10"),
        ("call", "C3", "2026-06-10"),
        ("call", "C4", "2026-06-10"),
    )
    assert judge(Consent(), todo, *records) == [None, NO, NO, NO]  # C4 never consented


def test_consent_is_per_purpose_and_channel() -> None:
    records = [
        consent("K1", "C1", date(2026, 6, 1), channel="sms"),
        consent("K2", "C1", date(2026, 6, 1), purpose="service_reminder"),
    ]
    todo = tasks(
        ("call", "C1", "2026-06-10"),
        ("call", "C1", "2026-06-10", "2026-06-10", 0, "sms"),
        ("remind", "C1", "2026-06-10"),
    )
    assert judge(Consent(), todo, *records) == [NO, None, None]


def test_consent_is_judged_today_for_a_task_already_due_and_on_its_day_for_a_later_one() -> None:
    records = [
        consent("K1", "C1", date(2026, 6, 1)),
        consent("K2", "C1", date(2026, 6, 8), granted=False),  # after the due day, before as_of
        consent("K3", "C2", date(2026, 6, 8)),  # granted after the due day
        consent("K4", "C3", date(2026, 6, 1)),
        consent("K5", "C3", date(2026, 6, 15), granted=False),  # after as_of: not known yet
    ]
    todo = tasks(
        ("call", "C1", "2026-06-05"), ("call", "C2", "2026-06-05"), ("call", "C3", "2026-06-20")
    )
    assert judge(Consent(), todo, *records) == [NO, None, None]


# ---------------------------------------------------------------- do not contact


def test_do_not_contact_stops_every_task_needing_the_same_consent() -> None:
    records = [
        *[
            consent(f"K{p}", "C1", date(2026, 1, 1), purpose=p)
            for p in ("survey", "service_reminder")
        ],
        contact("X1", "C1", date(2026, 6, 5), purpose="follow_up_3d", outcome="do_not_contact"),
    ]
    todo = tasks(
        ("call7", "C1", "2026-06-12"), ("remind", "C1", "2026-06-12"), ("call7", "C2", "2026-06-12")
    )
    assert judge(DoNotContact(), todo, *records) == [DNC, None, None]


def test_consent_granted_again_after_do_not_contact_lifts_it() -> None:
    ask = contact("X1", "C1", date(2026, 6, 3), purpose="reminder", outcome="do_not_contact")
    again = consent("K1", "C1", date(2026, 6, 5), purpose="service_reminder", channel="sms")
    before = consent("K2", "C2", date(2026, 6, 1), purpose="service_reminder")
    ask_2 = contact("X2", "C2", date(2026, 6, 3), purpose="appointment", outcome="do_not_contact")
    todo = tasks(("remind", "C1", "2026-06-12"), ("remind", "C2", "2026-06-12"))
    assert judge(DoNotContact(), todo, ask, again, before, ask_2) == [None, DNC]


def test_do_not_contact_after_as_of_is_not_known_yet() -> None:
    ask = contact("X1", "C1", date(2026, 6, 11), purpose="reminder", outcome="do_not_contact")
    assert judge(DoNotContact(), tasks(("remind", "C1", "2026-06-12")), ask) == [None]


# ---------------------------------------------------------------- cooling off


def test_no_marketing_or_survey_within_30_days_of_a_complaint() -> None:
    filed = complaint("Q1", "C1", date(2026, 6, 1))
    todo = tasks(
        ("greet", "C1", "2026-07-01"),  # 30 days after: still cooling off
        ("greet", "C1", "2026-07-02"),  # 31 days after
        ("call", "C1", "2026-06-20"),  # a survey-type call
        ("remind", "C1", "2026-06-20"),  # a service reminder goes out
        ("greet", "C2", "2026-06-20"),  # another customer
    )
    assert judge(CoolingOff(), todo, filed) == [COOL, None, COOL, None, None]
    assert judge(CoolingOff(days=10, purposes=("service_reminder",)), todo, filed) == [None] * 5
    assert judge(CoolingOff(purposes=("service_reminder",)), todo, filed) == [
        None,
        None,
        None,
        COOL,
        None,
    ]


def test_a_complaint_after_as_of_does_not_cool_off_yet() -> None:
    assert judge(
        CoolingOff(), tasks(("greet", "C1", "2026-06-20")), complaint("Q1", "C1", date(2026, 6, 11))
    ) == [None]


def test_the_last_complaint_on_a_day_before_a_later_complaint_is_the_one_filed_by_then() -> None:
    filed = [complaint("Q1", "C1", date(2026, 6, 1)), complaint("Q2", "C1", date(2026, 6, 8))]
    asked = np.array(["2026-05-31", "2026-06-01", "2026-06-05", "2026-06-08", "2026-06-20"])
    on = last_complaint(inputs(book(*filed), AS_OF), np.zeros(5, np.int64), asked.astype("M8[D]"))
    assert on.astype(str).tolist() == [
        "NaT",
        "2026-06-01",
        "2026-06-01",
        "2026-06-08",
        "2026-06-08",
    ]


# ---------------------------------------------------------------- frequency cap


@pytest.mark.parametrize("high", [5, 1 << 61])  # packed with their rows, or too wide for that
def test_the_caps_distinct_contact_days_are_np_unique(high: int) -> None:
    keys = np.random.default_rng(7).integers(0, high, 500).astype(np.int64)
    keys[::7] = keys[0]
    found, which = _distinct(keys)
    expected, inverse = np.unique(keys, return_inverse=True)
    assert found.tolist() == expected.tolist()
    assert which.tolist() == inverse.ravel().tolist()


def test_facts_by_key_are_a_lexsort() -> None:
    rng = np.random.default_rng(8)
    key, at, granted = rng.integers(0, 40, 300), rng.integers(0, 3, 300), rng.random(300) < 0.5
    assert _by_key(key, at, ~granted).tolist() == np.lexsort((~granted, at, key)).tolist()
    assert _by_key(key[:0], at[:0]).tolist() == []


def test_the_weekly_cap_keeps_the_most_important_contact_days() -> None:
    todo = tasks(
        ("remind", "C1", "2026-06-08", "2026-06-08", 10, "phone"),  # Monday
        ("remind", "C1", "2026-06-09", "2026-06-09", 50, "phone"),  # Tuesday
        ("greet", "C1", "2026-06-10", "2026-06-10", 30, "phone"),  # Wednesday
        ("call", "C1", "2026-06-11", "2026-06-11", 5, "phone"),  # Thursday: one contact of
        ("remind", "C1", "2026-06-11", "2026-06-11", 60, "sms"),  # two tasks, priority 60
        ("remind", "C1", "2026-06-15", "2026-06-15", 0, "phone"),  # next week
        ("remind", "C2", "2026-06-10", "2026-06-10", 0, "phone"),  # another customer
    )
    assert judge(FrequencyCap(per_week=2), todo) == [WEEK, None, WEEK, None, None, None, None]


def test_equal_priorities_keep_the_earliest_days() -> None:
    todo = tasks(*(("remind", "C1", f"2026-06-{d:02d}") for d in (10, 8, 9)))
    assert judge(FrequencyCap(per_week=2), todo) == [WEEK, None, None]


def test_the_monthly_cap_counts_the_days_the_weekly_cap_kept() -> None:
    todo = tasks(
        ("remind", "C1", "2026-06-01", "2026-06-01", 1, "phone"),
        ("remind", "C1", "2026-06-08", "2026-06-08", 3, "phone"),
        ("remind", "C1", "2026-06-15", "2026-06-15", 2, "phone"),
        ("remind", "C1", "2026-07-01", "2026-07-01", 0, "phone"),  # another month
    )
    assert judge(FrequencyCap(per_week=7, per_month=2), todo) == [MONTH, None, None, None]


def test_two_contacts_made_this_week_block_a_new_task_with_per_week_2() -> None:
    # as_of is Wednesday 10 June 2026; its ISO week runs from Monday 8 to Sunday 14 June.
    made = [
        contact("X1", "C1", date(2026, 6, 8)),
        contact("X2", "C1", date(2026, 6, 9), outcome="no_answer"),  # counts all the same
        contact("X3", "C2", date(2026, 6, 9)),
    ]
    todo = tasks(
        ("remind", "C1", "2026-06-12", "2026-06-12", 99, "phone"),  # third day this week
        ("remind", "C1", "2026-06-15"),  # next week
        ("remind", "C2", "2026-06-12"),  # C2 was contacted once: room for one more
    )
    assert judge(FrequencyCap(per_week=2), todo, *made) == [WEEK, None, None]
    # Counting only the contacts that reached the customer, C1 has had one this week.
    assert judge(FrequencyCap(per_week=2, reached_only=True), todo, *made) == [None] * 3


def test_a_task_due_on_a_day_already_contacted_joins_that_contact() -> None:
    made = [contact("X1", "C1", date(2026, 6, 8)), contact("X2", "C1", date(2026, 6, 10))]
    todo = tasks(("remind", "C1", "2026-06-10"), ("remind", "C1", "2026-06-11"))
    assert judge(FrequencyCap(per_week=2), todo, *made) == [None, WEEK]


def test_a_contact_after_as_of_is_not_known_yet() -> None:
    made = [contact("X1", "C1", date(2026, 6, 9)), contact("X2", "C1", date(2026, 6, 11))]
    todo = tasks(("remind", "C1", "2026-06-12"))
    assert judge(FrequencyCap(per_week=2), todo, *made) == [None]
    assert judge(FrequencyCap(per_week=2), todo, *made, as_of=date(2026, 6, 11)) == [WEEK]


def test_a_contact_last_week_counts_for_the_month_not_the_week() -> None:
    # Tuesday 2 and Friday 5 June 2026 fall in the ISO week before as_of's, in June.
    made = [contact("X1", "C1", date(2026, 6, 2)), contact("X2", "C1", date(2026, 6, 5))]
    todo = tasks(("remind", "C1", "2026-06-11"), ("remind", "C1", "2026-06-12"))
    assert judge(FrequencyCap(per_week=2, per_month=4), todo, *made) == [None, None]
    assert judge(FrequencyCap(per_week=2, per_month=3), todo, *made) == [None, MONTH]


def test_a_contact_in_the_same_iso_week_but_the_month_before_counts_for_the_week_only() -> None:
    # Monday 29 June to Sunday 5 July 2026 is one ISO week across two months.
    made = [contact("X1", "C1", date(2026, 6, 29)), contact("X2", "C1", date(2026, 6, 30))]
    todo = tasks(("remind", "C1", "2026-07-01"))
    july_1 = date(2026, 7, 1)
    assert judge(FrequencyCap(per_week=2), todo, *made, as_of=july_1) == [WEEK]
    assert judge(FrequencyCap(per_week=3, per_month=1), todo, *made, as_of=july_1) == [None]


# ---------------------------------------------------------------- quiet days


def test_a_task_is_quiet_only_when_every_day_of_its_window_is() -> None:
    todo = tasks(
        ("remind", "C1", "2026-06-13", "2026-06-14", 0, "phone"),  # Saturday to Sunday
        ("remind", "C1", "2026-06-13", "2026-06-15", 0, "phone"),  # Saturday to Monday
        ("remind", "C1", "2026-06-16", "2026-06-16", 0, "phone"),  # a Tuesday holiday
    )
    holiday = WeekendCalendar(holidays=[date(2026, 6, 16)])
    quiet = QuietDays.REASON.text()
    assert judge(QuietDays(), todo, calendar=holiday) == [quiet, None, quiet]
    assert judge(QuietDays(weekdays=(0,)), todo) == [quiet, quiet, None]
    assert judge(QuietDays(days_off=False), todo) == [None, None, None]


# ---------------------------------------------------------------- preferred channel


def test_a_task_moves_to_a_channel_the_customer_consented_to() -> None:
    records = [
        consent("K1", "C1", date(2026, 6, 1), channel="sms"),
        consent("K2", "C2", date(2026, 6, 1)),
        consent("K3", "C3", date(2026, 6, 1), channel="email"),
        consent("K4", "C3", date(2026, 6, 1), channel="messaging_app"),
    ]
    todo = tasks(
        ("call", "C1", "2026-06-10"),
        ("call", "C2", "2026-06-10"),
        ("call", "C3", "2026-06-10"),
        ("call", "C4", "2026-06-10"),
    )
    found = PreferredChannel().check(todo, inputs(book(*records), AS_OF))
    channels = list(ContactChannel)
    assert [channels[c].value for c in found.channel] == [
        "sms",
        "phone",
        "messaging_app",  # before e-mail in the order
        "phone",  # blocked: keeps its own
    ]
    assert found.allowed.tolist() == [True, True, True, False]
    assert judge(PreferredChannel(order=("email",)), todo, *records) == [
        PreferredChannel.REASON.text(),
        None,
        None,
        PreferredChannel.REASON.text(),
    ]


def _channels(
    rule: PreferredChannel, todo: CareTasks, *records: object, **prefers: str
) -> list[str]:
    """The channel each task is to be made on, ``"-"`` for a blocked one."""
    found = rule.check(todo, inputs(book(*records, prefers=prefers), AS_OF))
    channels = list(ContactChannel)
    return [
        channels[c].value if ok else "-" for c, ok in zip(found.channel, found.allowed, strict=True)
    ]


def test_the_customers_own_channel_comes_first_when_consented_for_the_purpose() -> None:
    records = [
        consent("K1", "C1", date(2026, 6, 1)),  # survey by phone, the task's own channel
        consent("K2", "C1", date(2026, 6, 1), channel="sms"),
        consent("K3", "C2", date(2026, 6, 1)),
        consent("K4", "C2", date(2026, 6, 1), purpose="marketing", channel="sms"),  # not surveys
        consent("K5", "C3", date(2026, 6, 1), channel="messaging_app"),
    ]
    todo = tasks(
        ("call", "C1", "2026-06-10"),
        ("call", "C2", "2026-06-10"),
        ("call", "C3", "2026-06-10"),
        ("call", "C4", "2026-06-10"),  # prefers SMS, consented to nothing
    )
    prefers = {"C1": "sms", "C2": "sms", "C3": "email", "C4": "sms"}
    # C1 on SMS, their own; C2 keeps the phone (SMS is consented for marketing only); C3's
    # e-mail is not consented, the phone neither: the first of the order, messaging app.
    assert _channels(PreferredChannel(), todo, *records, **prefers) == [
        "sms",
        "phone",
        "messaging_app",
        "-",
    ]
    assert _channels(PreferredChannel(own_channel=False), todo, *records, **prefers) == [
        "phone",
        "phone",
        "messaging_app",
        "-",
    ]


def test_the_own_channel_withdrawn_the_day_before_falls_back() -> None:
    given = [
        consent("K1", "C1", date(2026, 6, 1), channel="sms"),
        consent("K2", "C1", date(2026, 6, 1)),
        consent("K3", "C2", date(2026, 6, 1), channel="sms"),
        consent("K4", "C2", date(2026, 6, 1), channel="email"),
    ]
    withdrawn = [
        consent("K5", "C1", date(2026, 6, 9), channel="sms", granted=False),
        consent("K6", "C2", date(2026, 6, 9), channel="sms", granted=False),
    ]
    todo = tasks(("call", "C1", "2026-06-10"), ("call", "C2", "2026-06-10"))
    assert _channels(PreferredChannel(), todo, *given, C1="sms", C2="sms") == ["sms", "sms"]
    # C1 back to the suggested phone; C2 has no phone consent: the fallback order's e-mail.
    assert _channels(PreferredChannel(), todo, *given, *withdrawn, C1="sms", C2="sms") == [
        "phone",
        "email",
    ]
    # A task due after the withdrawal is judged on its own day: the withdrawal counts.
    later = tasks(("call", "C1", "2026-06-20"))
    assert _channels(PreferredChannel(), later, *given, *withdrawn, C1="sms") == ["phone"]


def test_the_customers_own_channel_is_a_column_of_the_customers_table() -> None:
    data = book(prefers={"C1": "messaging_app"})
    column = inputs(data, AS_OF).tables.customers["preferred_channel"].tolist()
    assert column[:2] == [list(ContactChannel).index(ContactChannel.MESSAGING_APP), -1]


# ---------------------------------------------------------------- combinations

SMS_ONLY = [consent("K1", "C1", date(2026, 6, 1), channel="sms")]


def test_all_of_runs_its_rules_in_order_on_the_channels_chosen() -> None:
    todo = tasks(("call", "C1", "2026-06-10"))
    assert judge(all_of(PreferredChannel(), Consent()), todo, *SMS_ONLY) == [None]
    assert judge(all_of(Consent(), PreferredChannel()), todo, *SMS_ONLY) == [NO]


def test_all_of_judges_later_rules_on_the_tasks_still_allowed() -> None:
    records = [consent("K1", "C1", date(2026, 6, 1), purpose="service_reminder")]
    todo = tasks(
        ("call", "C1", "2026-06-08"), ("remind", "C1", "2026-06-09"), ("remind", "C1", "2026-06-10")
    )
    assert judge(FrequencyCap(per_week=2), todo, *records) == [None, None, WEEK]
    assert judge(all_of(Consent(), FrequencyCap(per_week=2)), todo, *records) == [NO, None, None]


def test_any_of_allows_what_one_rule_allows_and_not_turns_a_rule_round() -> None:
    todo = tasks(("call", "C1", "2026-06-10"), ("call", "C2", "2026-06-10"))
    records = [*SMS_ONLY, consent("K2", "C2", date(2026, 6, 1))]
    assert judge(any_of(Consent(), not_(Consent())), todo, *records) == [None, None]
    assert judge(not_(Consent()), todo, *records) == [None, "Consent allows it"]
    assert judge(any_of(Consent()), todo, *records) == [NO, None]


def test_empty_combinations_allow_all_block_all_and_turn_allow_all_round() -> None:
    todo = tasks(("call", "C1", "2026-06-10"))
    assert judge(AllOf(), todo) == [None]
    assert judge(AnyOf(), todo) == [AnyOf.REASON.text()]
    assert judge(Not(), todo) == ["AllOf allows it"]


def test_a_rule_that_gives_no_verdict_per_task_is_refused_naming_it() -> None:
    class Lazy(Consent):
        def _judge(self, params, tasks, inputs):  # type: ignore[no-untyped-def]
            return Verdicts.allow(tasks.take([]))

    with pytest.raises(InvalidValue, match=r"Lazy\.check gave 0 for 1 tasks"):
        all_of(Lazy()).check(tasks(("call", "C1", "2026-06-10")), inputs(book(), AS_OF))


def test_a_task_for_a_customer_not_in_the_tables_is_named() -> None:
    with pytest.raises(InvalidValue, match="customers not in the tables, such as 'C9'"):
        Consent().check(tasks(("call", "C9", "2026-06-10")), inputs(book(), AS_OF))


def test_checking_needs_care_tasks_and_inputs() -> None:
    with pytest.raises(InvalidType, match="Consent: tasks is list"):
        Consent().check([], inputs(book(), AS_OF))  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=r"AllOf: rules=\(1,\) is invalid"):
        AllOf(rules=(1,)).check(tasks(), inputs(book(), AS_OF))  # type: ignore[arg-type]


def test_verdicts_refuse_a_blocked_task_without_a_reason() -> None:
    with pytest.raises(InvalidValue, match="a blocked task needs a reason"):
        Verdicts(np.array([False]), np.array([-1]), np.array([0]), ())


PREPARED_RULES = [
    Consent(),
    DoNotContact(),
    CoolingOff(),
    FrequencyCap(),
    PreferredChannel(),
    QuietDays(),
    all_of(PreferredChannel(), Consent(), DoNotContact(), CoolingOff(), FrequencyCap()),
    any_of(not_(CoolingOff()), Consent()),
    not_(all_of(DoNotContact())),
]


@pytest.mark.parametrize("rule", PREPARED_RULES, ids=repr)
def test_a_rule_prepared_ahead_gives_the_verdicts_it_gives_unprepared(rule: Any) -> None:
    data = synthetic.tables(200, seed=3)
    days: dict[str, Any] = {
        "start": date(2026, 6, 1),
        "end": date(2026, 7, 31),
        "as_of": date(2026, 6, 30),
    }
    cold, warm = CareInputs.of(data, **days), CareInputs.of(data, **days)
    tasks = CareTasks.concat([r.plan(cold) for r in Planner.RULES])
    assert len(tasks) > 100
    rule.prepare(warm)
    prepared = dict(warm.__dict__["_memo"])
    verdicts = rule.check(tasks, warm)
    assert verdicts == rule.check(tasks, cold)
    # The check used what prepare derived rather than deriving it again.
    assert all(warm.__dict__["_memo"][key] is value for key, value in prepared.items())


def test_the_built_in_rules_that_read_facts_prepare_them_ahead() -> None:
    ahead = CareInputs.of(synthetic.tables(20, seed=3), start=date(2026, 6, 30))
    all_of(Consent(), DoNotContact(), not_(any_of(CoolingOff()))).prepare(ahead)
    assert {key[1] for key in ahead.__dict__["_memo"] if key[0] == "facts"} == {
        "consents",
        "do_not_contact",
        "complaints",
    }


def test_preparing_needs_care_inputs_and_valid_parameters() -> None:
    with pytest.raises(InvalidType, match="CareInputs"):
        Consent().prepare("inputs")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="days"):
        CoolingOff(days=-1).prepare(inputs(book(), AS_OF))
