"""The planner: a task's life (closed, overdue, blocked), merging, calls, priority, days."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.care import (
    AllOf,
    CareInputs,
    CareTasks,
    ComplaintFollowUp,
    Consent,
    FollowUpCalls,
    FrequencyCap,
    MaintenanceDue,
    Planner,
    Reason,
    TaskKind,
    TaskStatus,
    Verdicts,
    WinBack,
    _planner,
)
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import MileageModel
from aftersales_crm.policies import BasePolicy, Labels

from .build import VINS, book, car, contact, everything, order

FRIDAY = date(2026, 6, 26)
CALLS_ONLY = Planner(rules=(FollowUpCalls(),))
JULY: dict[str, Any] = {"start": date(2026, 7, 2), "end": date(2026, 7, 3)}
"""Two days: the 3DC windows (to 1 July) are over, the 7DC ones (from 3 July) begin."""

LIFE = [
    everything(("C1", "C3", "C4")),  # C2 never consented
    *(car(i, c, date(2024, 1, 10)) for i, c in enumerate(("C1", "C2", "C3", "C4"))),
    order("RO1", FRIDAY, customer="C1", vehicle=VINS[0], closed=FRIDAY),
    order("RO2", FRIDAY, customer="C2", vehicle=VINS[1], closed=FRIDAY),
    order("RO3", FRIDAY, customer="C3", vehicle=VINS[2], closed=FRIDAY),
    order("RO4", date(2026, 5, 1), customer="C3", vehicle=VINS[2], closed=date(2026, 5, 1)),
    # C1's 3DC call was made a day early and reached them: it counts.
    contact("X1", "C1", date(2026, 6, 28), order_id="RO1", vehicle=VINS[0]),
    # C3 did not answer; a call about another, older order reached them.
    contact("X2", "C3", date(2026, 6, 29), outcome="no_answer", order_id="RO3"),
    contact("X3", "C3", date(2026, 6, 30), order_id="RO4"),
]


def rows(agenda: Any) -> list[tuple[str, str, str, str | None]]:
    """(customer, kind, status, why blocked) in agenda order."""
    return list(
        zip(
            agenda.tasks.customer.tolist(),
            agenda.tasks.kind_names().tolist(),
            [list(TaskStatus)[s].value for s in agenda.status],
            agenda.blocked_text().tolist(),
            strict=True,
        )
    )


def test_a_task_is_closed_blocked_overdue_or_open_on_as_of() -> None:
    agenda = CALLS_ONLY.agenda(book(*LIFE), **JULY)
    assert rows(agenda) == [
        # the 3DC calls, due 29 June, their windows to 1 July: over by 2 July
        ("C1", "follow_up_3d", "closed", None),
        ("C2", "follow_up_3d", "blocked", Consent.REASON.text()),
        ("C3", "follow_up_3d", "overdue", None),
        # the 7DC calls, due 3 July
        ("C1", "follow_up_7d", "open", None),
        ("C2", "follow_up_7d", "blocked", Consent.REASON.text()),
        # C3 was called on Monday 29 and Tuesday 30 June: a third day in that ISO week
        ("C3", "follow_up_7d", "blocked", FrequencyCap.WEEK.text()),
    ]
    assert agenda.status_counts() == {"open": 1, "closed": 1, "overdue": 1, "blocked": 3}


def test_facts_after_as_of_do_not_close_a_task() -> None:
    agenda = CALLS_ONLY.agenda(
        book(*LIFE), start=date(2026, 6, 27), end=date(2026, 7, 5)
    )  # before C1's call
    assert ("C1", "follow_up_3d", "open", None) in rows(agenda)


def test_a_call_that_reached_the_customer_closes_the_task_even_if_a_rule_now_blocks_it() -> None:
    from .build import consent

    withdrawn = consent("KW", "C1", date(2026, 6, 30), granted=False)
    agenda = CALLS_ONLY.agenda(book(*LIFE, withdrawn), **JULY)
    assert rows(agenda)[0] == ("C1", "follow_up_3d", "closed", None)
    assert rows(agenda)[3] == ("C1", "follow_up_7d", "blocked", Consent.REASON.text())


def test_a_rule_firing_twice_for_the_same_source_and_day_gives_one_task() -> None:
    twice = Planner(rules=(FollowUpCalls(), FollowUpCalls(priority=90)), contact=AllOf())
    agenda = twice.agenda(book(*LIFE), **JULY)
    assert len(agenda) == 6
    assert set(agenda.tasks.priority.tolist()) == {90}


def test_overlapping_windows_of_one_customer_and_channel_are_one_call() -> None:
    wide = Planner(rules=(FollowUpCalls(window_days=10),), contact=AllOf())
    data = book(
        everything(("C1",)), car(0, "C1", date(2024, 1, 10)), order("RO1", FRIDAY, closed=FRIDAY)
    )
    agenda = wide.agenda(data, start=date(2026, 6, 29), end=date(2026, 7, 3))
    assert agenda.call.tolist() == [0, 0]  # 3DC [29 Jun, 9 Jul] and 7DC [3, 13 Jul]
    narrow = Planner(rules=(FollowUpCalls(),), contact=AllOf()).agenda(
        data, start=date(2026, 6, 29), end=date(2026, 7, 3)
    )
    assert narrow.call.tolist() == [0, 1]  # [29 Jun, 1 Jul] and [3, 5 Jul] do not overlap
    assert narrow.calls() == 2


def test_closed_and_blocked_tasks_are_in_no_call() -> None:
    agenda = CALLS_ONLY.agenda(book(*LIFE), **JULY)
    status = np.array([list(TaskStatus)[s] for s in agenda.status])
    done = (status == TaskStatus.CLOSED) | (status == TaskStatus.BLOCKED)
    assert (agenda.call[done] == -1).all()
    assert (agenda.call[~done] >= 0).all()


def test_segments_raise_the_priority_of_valued_customers() -> None:
    data = book(*LIFE)
    tiers = Labels(np.array([0, 1, 2, -1]), ("A", "B", "C"))  # C1 A, C2 B, C3 C, C4 none
    agenda = CALLS_ONLY.agenda(data, **JULY, segments=[tiers])
    by_customer = dict(
        zip(agenda.tasks.customer.tolist(), agenda.tasks.priority.tolist(), strict=False)
    )
    assert by_customer == {"C1": 70, "C2": 60, "C3": 50}
    custom = Planner(rules=(FollowUpCalls(),), boosts={"C": 5})
    again = custom.agenda(data, **JULY, segments=[tiers])
    assert (
        dict(zip(again.tasks.customer.tolist(), again.tasks.priority.tolist(), strict=False))["C3"]
        == 55
    )


def test_the_agenda_is_sorted_by_due_day_then_priority() -> None:
    agenda = Planner().agenda(
        book(*LIFE), start=date(2026, 6, 1), end=date(2026, 12, 31), as_of=date(2026, 7, 2)
    )
    due = agenda.tasks.due.view(np.int64)
    assert (np.diff(due) >= 0).all()
    same_day = np.diff(due) == 0
    assert (np.diff(agenda.tasks.priority)[same_day] <= 0).all()
    assert "maintenance_due" in agenda.counts()


def test_the_lookback_shows_tasks_whose_window_ended_before_the_first_day() -> None:
    on = date(2026, 7, 10)
    assert len(Planner(rules=(FollowUpCalls(),), lookback=0).agenda(book(*LIFE), on=on)) == 0
    assert (
        len(Planner(rules=(FollowUpCalls(),), lookback=9).agenda(book(*LIFE), on=on)) == 6
    )  # 3DC ends 1 July


def test_one_day_of_a_range_is_that_days_agenda() -> None:
    data = book(*LIFE)
    week = Planner().agenda(
        data, start=date(2026, 6, 29), end=date(2026, 7, 5), as_of=date(2026, 7, 2)
    )
    for day in (date(2026, 6, 29), date(2026, 7, 2), date(2026, 7, 5)):
        alone = Planner().agenda(data, on=day, as_of=date(2026, 7, 2))
        part = week.for_day(day)
        assert part.tasks == alone.tasks
        assert rows(part) == rows(alone)


def test_the_report_shows_each_kind_with_its_reasons_and_what_was_blocked() -> None:
    agenda = CALLS_ONLY.agenda(book(*LIFE), **JULY)
    text = agenda.report()
    assert "3-day follow-up call (3DC) (follow_up_3d): open 0" not in text
    assert "(follow_up_3d): closed 1, overdue 1, blocked 1" in text
    assert "blocked: no consent to this purpose over this channel" in text
    zh = agenda.report("zh", rows=0)
    assert "三日回访 (follow_up_3d): 已完成 1, 逾期 1, 已拦截 1" in zh
    assert "… 另有 1 条" in zh


def test_to_pandas_and_iteration_give_one_row_per_task() -> None:
    agenda = CALLS_ONLY.agenda(book(*LIFE), **JULY)
    frame = agenda.to_pandas("zh")
    assert frame["status"].tolist() == [
        "closed",
        "blocked",
        "overdue",
        "open",
        "blocked",
        "blocked",
    ]
    assert frame["reason"].iloc[0] == "2026-06-26维修保养交车后第3天回访"
    first = next(iter(agenda))
    assert first["customer_id"] == "C1"
    assert first["status"] == "closed"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"on": date(2026, 7, 2), "start": date(2026, 7, 1)}, "either on .* or start and end"),
        ({}, "give the day"),
        ({"start": date(2026, 7, 2), "end": date(2026, 7, 1)}, "end 2026-07-01 is before start"),
        ({"on": "2 July"}, "on is '2 July'"),
        (
            {"on": date(2026, 7, 2), "segments": [Labels(np.array([0]), ("A",))]},
            "1 labels for 4 customers",
        ),
    ],
)
def test_bad_days_and_segments_are_named(call: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        CALLS_ONLY.agenda(book(*LIFE), **call)


@pytest.mark.parametrize(
    ("planner", "message"),
    [
        (
            Planner(rules=(Consent(),)),  # type: ignore[arg-type]
            "Planner: rules=.* is invalid: expected a tuple of policies of the kind 'care_rule'",
        ),
        (
            Planner(contact=MaintenanceDue()),  # type: ignore[arg-type]
            "Planner: contact=.* is invalid: expected a policy of the kind 'contact_rule'",
        ),
        (Planner(lookback=-1), "Planner: lookback=-1 is invalid"),
        (Planner(boosts={"A": 1.5}), "Planner: boosts=.* is invalid"),  # type: ignore[dict-item]
        (Planner(calendar="weekends"), "Planner: calendar='weekends' is invalid"),  # type: ignore[arg-type]
        (Planner(mileage=50), "Planner: mileage=50 is invalid: expected a features.MileageModel"),  # type: ignore[arg-type]
        (Planner(threads=0), "Planner: threads=0 is invalid: expected a whole number, >= 1"),
    ],
)
def test_bad_parameters_are_named(planner: Planner, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        planner.agenda(book(*LIFE), on=date(2026, 7, 2))


def test_the_planner_keeps_its_parameters_as_given() -> None:
    planner = Planner(lookback=3)
    assert repr(planner) == "Planner(lookback=3)"
    assert planner.set_params(lookback=5).lookback == 5
    assert planner.lookback == 3


def test_the_agenda_is_the_same_on_one_thread_or_more() -> None:
    data = synthetic.tables(300, seed=5)
    days: dict[str, Any] = {
        "start": date(2026, 6, 20),
        "end": date(2026, 7, 10),
        "as_of": date(2026, 6, 30),
    }
    alone = Planner(threads=1).agenda(data, **days)
    assert len(alone) > 0
    assert Planner(threads=2).agenda(data, **days) == alone
    assert Planner().agenda(data, **days) == alone


@pytest.mark.parametrize("threads", [1, 2])
def test_an_error_ordering_the_shown_tasks_reaches_the_caller(
    threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On two threads the calling thread waits for the agenda order, so the side thread's
    # error must reach it rather than leave it waiting.
    from aftersales_crm.care import _planner

    def broken(*_: object) -> None:
        msg = "no order"
        raise RuntimeError(msg)

    monkeypatch.setattr(_planner, "_agenda_order", broken)
    with pytest.raises(RuntimeError, match="no order"):
        Planner(threads=threads).agenda(synthetic.tables(60, seed=5), on=date(2026, 6, 30))


def test_the_planner_reads_the_km_per_day_model_it_is_given() -> None:
    data = synthetic.tables(200, seed=4)
    as_of = synthetic.DEFAULT_AS_OF
    fast = MileageModel(default_km_per_day=400.0, min_model_vehicles=10_000).fit(data, as_of=as_of)
    inputs = CareInputs.of(data, start=as_of, mileage=fast)
    expected = features.compute_vehicles(data, as_of=as_of, mileage=fast)
    assert np.array_equal(inputs.vehicles["service_due"], expected["service_due"], equal_nan=True)
    planner = Planner(rules=(MaintenanceDue(),), mileage=fast)
    quick = planner.agenda(data, on=as_of)
    plain = Planner(rules=(MaintenanceDue(),)).agenda(data, on=as_of)
    assert quick != plain  # the vehicles on the default rate come due sooner
    assert quick == Planner(rules=(MaintenanceDue(),), mileage=fast).agenda(data, on=as_of)


class Fixed(BasePolicy):
    """A care rule of the tests: C1 is to be called on Monday 29 June (priority 50) and on
    Friday 3 July (priority 60), each on its day only."""

    kind = "care_rule"

    def plan(self, inputs: CareInputs) -> CareTasks:
        tasks = CareTasks.build(
            TaskKind("doc_fixed", "fixed", "固定", purpose="reminder"),
            Reason("fixed", "固定"),
            customer=["C1", "C1"],
            due=["2026-06-29", "2026-07-03"],
            priority=[50, 60],
            source=["A", "B"],
        )
        return tasks.take(np.flatnonzero(inputs.meets(tasks.window_start, tasks.window_end)))


class GivesAList(Fixed):
    """A care rule of the tests breaking its contract: it gives a list."""

    def plan(self, inputs: CareInputs) -> Any:
        return []


class Raises(Fixed):
    """A care rule of the tests failing with its own error."""

    def plan(self, inputs: CareInputs) -> CareTasks:
        raise InvalidValue("Raises could not plan", code="test")


@pytest.mark.parametrize("threads", [1, 2])
def test_the_first_rule_to_fail_in_the_order_of_the_rules_is_named_on_any_threads(
    threads: int,
) -> None:
    data = book(*LIFE)
    broken = Planner(rules=(Fixed(), GivesAList(), Raises()), threads=threads)
    with pytest.raises(InvalidType, match=r"^GivesAList.plan gave list, expected CareTasks$"):
        broken.agenda(data, on=FRIDAY)
    raising = Planner(rules=(FollowUpCalls(), Raises(), GivesAList()), threads=threads)
    with pytest.raises(InvalidValue, match=r"^Raises could not plan$"):
        raising.agenda(data, on=FRIDAY)


def test_the_rules_reading_no_feature_plan_while_the_features_are_computed() -> None:
    alone = [rule for rule in Planner.RULES if _planner._alone(rule)]
    assert {type(rule) for rule in alone} == {FollowUpCalls, ComplaintFollowUp}
    assert not _planner._alone(WinBack())
    assert not _planner._alone(MaintenanceDue())
    assert not _planner._alone(Fixed())  # names no vehicle features: may read any


def test_the_frequency_cap_sees_the_whole_week_whatever_days_are_asked_for() -> None:
    planner = Planner(rules=(Fixed(),), contact=FrequencyCap(per_week=1), lookback=0)
    data = book(*LIFE)
    monday = planner.agenda(data, on=date(2026, 6, 29), as_of=date(2026, 6, 28))
    week = planner.agenda(
        data, start=date(2026, 6, 29), end=date(2026, 7, 5), as_of=date(2026, 6, 28)
    )
    assert rows(monday) == [("C1", "doc_fixed", "blocked", FrequencyCap.WEEK.text())]
    assert rows(week) == [*rows(monday), ("C1", "doc_fixed", "open", None)]


class Visit(Fixed):
    """C1's task of the tests, closed by a visit to the workshop."""

    def plan(self, inputs: CareInputs) -> CareTasks:
        return CareTasks.build(
            TaskKind("doc_visit", "visit", "到店", purpose="care", closed_by_visit=True),
            Reason("visit", "到店"),
            customer=["C1"],
            vehicle=[VINS[0]],
            due=["2026-06-27"],
            window_end=["2026-07-10"],
            source=["A"],
        )


def test_a_visit_in_the_window_closes_a_task_closed_by_visits() -> None:
    planner = Planner(rules=(Visit(),), contact=AllOf())
    on = date(2026, 7, 1)
    before = book(*LIFE)  # C1's only order was opened on 26 June, before the window
    assert rows(planner.agenda(before, on=on)) == [("C1", "doc_visit", "open", None)]
    came = book(*LIFE, order("RO9", date(2026, 6, 30), customer="C1", vehicle=VINS[0]))
    assert rows(planner.agenda(came, on=on)) == [("C1", "doc_visit", "closed", None)]
    other = book(
        *LIFE,
        car(5, "C1", date(2024, 1, 10)),
        order("RO9", date(2026, 6, 30), customer="C1", vehicle=VINS[5]),
    )
    assert rows(planner.agenda(other, on=on)) == [("C1", "doc_visit", "open", None)]


class Dated(BasePolicy):
    """A care rule of the tests: C1's tasks ``(due, window end, priority)``, each given when
    its window meets the days planned."""

    kind = "care_rule"

    def __init__(self, *, tasks: tuple[tuple[str, str, int], ...] = ()) -> None:
        self.tasks = tasks

    def plan(self, inputs: CareInputs) -> CareTasks:
        due, end, priority = zip(*self.tasks, strict=True)
        tasks = CareTasks.build(
            TaskKind("doc_dated", "dated", "定日", purpose="reminder"),
            Reason("dated", "定日"),
            customer=["C1"] * len(due),
            due=list(due),
            window_end=list(end),
            priority=list(priority),
            source=[f"S{i}" for i in range(len(due))],
        )
        return tasks.take(np.flatnonzero(inputs.meets(tasks.window_start, tasks.window_end)))


def test_the_cap_sees_the_week_of_a_task_due_long_before_the_days_asked_for() -> None:
    # Due on Monday 2 March and open until July: shown on 1 July, and judged with the
    # task of its own week (3 March, more important), months before the days asked for
    # and the planner's first guess of the days to plan.
    rule = Dated(tasks=(("2026-03-02", "2026-07-06", 50), ("2026-03-03", "2026-03-03", 60)))
    planner = Planner(rules=(rule,), contact=FrequencyCap(per_week=1), lookback=0)
    agenda = planner.agenda(book(*LIFE), on=date(2026, 7, 1), as_of=date(2026, 2, 1))
    assert rows(agenda) == [("C1", "doc_dated", "blocked", FrequencyCap.WEEK.text())]


def test_the_cap_sees_the_tasks_of_the_whole_weeks_and_months_of_the_tasks_shown_only() -> None:
    # Shown: the task of 15 July. Planned: July, the whole month of its due day (and its
    # week). The task of Wednesday 1 July is in July and the more important: the monthly
    # cap blocks the one of 15 July. The task of Monday 29 June would have blocked that of
    # 1 July by the weekly cap, but June is not planned: one planning pass over more days
    # (the planner's guess) gives the same agenda as planning these days.
    rule = Dated(
        tasks=(
            ("2026-06-29", "2026-06-29", 90),
            ("2026-07-01", "2026-07-01", 50),
            ("2026-07-15", "2026-07-15", 40),
        )
    )
    cap = FrequencyCap(per_week=1, per_month=1)
    planner = Planner(rules=(rule,), contact=cap, lookback=0)
    agenda = planner.agenda(book(*LIFE), on=date(2026, 7, 15), as_of=date(2026, 6, 1))
    assert rows(agenda) == [("C1", "doc_dated", "blocked", FrequencyCap.MONTH.text())]


def test_memo_computes_a_key_once_when_threads_ask_at_the_same_time() -> None:
    inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
    wider = inputs.with_days(date(2026, 6, 1), date(2026, 7, 31))
    calls = []
    started = threading.Barrier(4)

    def slow() -> list[int]:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to ask meanwhile
        return [1]

    def ask(on: CareInputs) -> list[int]:
        started.wait()
        return on.memo("slow", slow)

    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(ask, [inputs, wider, inputs, wider]))
    assert len(calls) == 1
    assert all(value is found[0] for value in found)


PREPARED: list[str] = []
"""What the contact rule ``Prepared`` of the tests saw, in order."""


class Prepared(BasePolicy):
    """A contact rule of the tests allowing every task: it keeps a value in the memo when
    prepared, and notes each call and whether its check found that value."""

    kind = "contact_rule"

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail

    def prepare(self, inputs: CareInputs) -> None:
        if self.fail:
            msg = "Prepared could not prepare"
            raise RuntimeError(msg)
        PREPARED.append("prepare")
        inputs.memo(("test", "prepared"), lambda: "prepared")

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        PREPARED.append(inputs.memo(("test", "prepared"), lambda: "not prepared"))
        return Verdicts.allow(tasks)


class Unprepared(BasePolicy):
    """A contact rule of the tests allowing every task, without ``prepare``: it notes each check."""

    kind = "contact_rule"

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        PREPARED.append("checked")
        return Verdicts.allow(tasks)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_contact_rule_is_prepared_once_before_its_check_on_any_threads(threads: int) -> None:
    PREPARED.clear()
    planner = Planner(rules=(FollowUpCalls(), Fixed()), contact=Prepared(), threads=threads)
    agenda = planner.agenda(book(*LIFE), **JULY)
    assert len(agenda) > 0
    assert PREPARED == ["prepare", "prepared"]
    PREPARED.clear()
    unprepared = Planner(rules=(FollowUpCalls(), Fixed()), contact=Unprepared(), threads=threads)
    assert unprepared.agenda(book(*LIFE), **JULY) == agenda
    assert PREPARED == ["checked"]  # a rule without the method is checked all the same


class Remembers(Fixed):
    """A care rule of the tests: Fixed, keeping one value for planning and one for checks."""

    def plan(self, inputs: CareInputs) -> CareTasks:
        inputs.memo(("test", "planning"), lambda: "planned", for_planning=True)
        inputs.memo(("test", "kept"), lambda: "planned")
        return super().plan(inputs)


class Recalls(BasePolicy):
    """A contact rule of the tests allowing every task: it notes which values its check
    found in the memo ("planned") and which it had to compute again."""

    kind = "contact_rule"

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        PREPARED.extend(inputs.memo(("test", key), lambda: "again") for key in ("planning", "kept"))
        return Verdicts.allow(tasks)


@pytest.mark.parametrize("threads", [1, 2])
def test_what_rules_keep_for_planning_is_let_go_before_the_contact_rule_checks(
    threads: int,
) -> None:
    PREPARED.clear()
    planner = Planner(rules=(FollowUpCalls(), Remembers()), contact=Recalls(), threads=threads)
    agenda = planner.agenda(book(*LIFE), **JULY)
    assert PREPARED == ["again", "planned"]
    fixed = Planner(rules=(FollowUpCalls(), Fixed()), contact=Unprepared(), threads=threads)
    assert fixed.agenda(book(*LIFE), **JULY) == agenda  # letting go changes no task


@pytest.mark.parametrize("threads", [1, 2])
def test_a_contact_rule_failing_to_prepare_is_named_after_the_rules_failing_to_plan(
    threads: int,
) -> None:
    failing = Prepared(fail=True)
    with pytest.raises(RuntimeError, match=r"^Prepared could not prepare$"):
        Planner(rules=(FollowUpCalls(), Fixed()), contact=failing, threads=threads).agenda(
            book(*LIFE), on=FRIDAY
        )
    with pytest.raises(InvalidValue, match=r"^Raises could not plan$"):
        Planner(rules=(FollowUpCalls(), Raises()), contact=failing, threads=threads).agenda(
            book(*LIFE), on=FRIDAY
        )
