"""The conformance kit's ``agenda`` checks: a care rule's tasks of a range of days are the
union of those of the two halves that split it, for the built-ins and for a rule of one's own."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from aftersales_crm.care import CareInputs, CareTasks, Reason, TaskKind
from aftersales_crm.errors import InvalidValue
from aftersales_crm.policies import BUILT_INS, BasePolicy, FactSample, get_policy
from aftersales_crm.testing import check_policy, policy_checks
from aftersales_crm.testing._samples import care_facts, care_tables

CALL = TaskKind("kit_call", "kit call", "测试电话", purpose="care")
REASON = Reason("the kit's call", "测试电话")
CARE_RULES = [get_policy(name) for name in BUILT_INS if get_policy(name).kind == "care_rule"]


class FirstDayOnly(BasePolicy):
    """Broken: a call to every customer on the first day asked for, whatever the range."""

    kind = "care_rule"

    def plan(self, inputs: CareInputs) -> CareTasks:
        customers = inputs.customer_ids
        return CareTasks.build(
            CALL,
            REASON,
            customer=customers,
            due=np.full(len(customers), np.datetime64(inputs.start, "D")),
            source=customers,
        )


DUE = np.datetime64("2026-06-01") + np.arange(0, 120, 10).astype("timedelta64[D]")
"""Calls every 10 days from 1 June to 19 September, each open three days."""


def calls(rows: Any) -> CareTasks:
    due = DUE[rows]
    return CareTasks.build(
        CALL,
        REASON,
        customer=np.full(len(due), "C0000000"),
        due=due,
        window_end=due + np.timedelta64(2, "D"),
        source=due.astype(str),
    )


class EveryTenDays(BasePolicy):
    """The calls of :data:`DUE` whose window meets the days asked for."""

    kind = "care_rule"

    def plan(self, inputs: CareInputs) -> CareTasks:
        return calls(np.flatnonzero(inputs.meets(DUE, DUE + np.timedelta64(2, "D"))))


class WindowInside(EveryTenDays):
    """Broken: the calls whose whole window lies within the days asked for."""

    def plan(self, inputs: CareInputs) -> CareTasks:
        start, end = np.datetime64(inputs.start, "D"), np.datetime64(inputs.end, "D")
        return calls(np.flatnonzero((start <= DUE) & (DUE + np.timedelta64(2, "D") <= end)))


def halves_compose(policy: Any, sample: Any = None) -> Any:
    return dict(policy_checks(policy, sample))["halves_compose"]


def test_the_care_sample_asks_for_ninety_one_days_around_as_of() -> None:
    sample = care_facts()
    assert sample.days == (date(2026, 5, 31), date(2026, 8, 29))
    assert sample.as_of == date(2026, 6, 30)


@pytest.mark.parametrize("rule", CARE_RULES, ids=lambda rule: type(rule).__name__)
def test_every_built_in_care_rule_composes_its_halves(rule: Any) -> None:
    halves_compose(rule)(rule)


@pytest.mark.parametrize("rule", CARE_RULES, ids=lambda rule: type(rule).__name__)
def test_every_built_in_care_rule_has_tasks_in_the_sample_so_no_check_passes_on_nothing(
    rule: Any,
) -> None:
    # The lunar greetings need the sample's lunar-birthday customers, the complaint
    # follow-up its complaints' resolutions (each complaint fact carries its updates).
    sample = care_facts()
    assert sample.days is not None
    first, last = sample.days
    inputs = CareInputs(tables=care_tables(sample.facts), start=first, end=last, as_of=sample.as_of)
    assert len(rule.plan(inputs)) > 0


def test_a_rule_whose_window_meets_the_days_passes_every_check() -> None:
    check_policy(EveryTenDays())
    # On the sample's days, 31 May to 29 August, it makes the calls of 1 June to 20 August,
    # and the one due on 30 August does not meet them.
    tasks = EveryTenDays().plan(
        CareInputs.of(
            care_tables(care_facts().facts), start=date(2026, 5, 31), end=date(2026, 8, 29)
        )
    )
    assert tasks.due.astype(str).tolist()[::8] == ["2026-06-01", "2026-08-20"]
    assert len(tasks) == 9


def test_a_rule_that_plans_on_the_first_day_asked_for_fails_naming_the_rule_and_the_days() -> None:
    with pytest.raises(AssertionError) as failed:
        halves_compose(FirstDayOnly())(FirstDayOnly())
    text = str(failed.value)
    assert text.startswith("FirstDayOnly() fails check 'halves_compose'\n  rule: the tasks of a")
    # Cut after the first day: the whole range has the 30 calls of 31 May, the halves
    # those of 31 May and of 1 June.
    assert (
        "found: the tasks of the 91 days 2026-05-31..2026-08-29 are not those of"
        " 2026-05-31..2026-05-31 and 2026-06-01..2026-08-29 together: 30 task(s) only in the"
        " halves (first: customer C0000000, vehicle , kind kit_call, due 2026-06-01,"
        " window_end 2026-06-01, source C0000000)"
    ) in text
    assert "only in the whole range" not in text


def test_a_rule_that_drops_the_windows_crossing_the_cut_fails_with_the_task_it_lost() -> None:
    with pytest.raises(AssertionError, match="fails check 'halves_compose'") as failed:
        check_policy(WindowInside())
    # The calls' windows hold the cuts after their due days: cut after 1 June, the call of
    # 1 to 3 June lies inside neither half, 31 May to 1 June nor 2 June to 29 August.
    assert (
        "found: the tasks of the 91 days 2026-05-31..2026-08-29 are not those of"
        " 2026-05-31..2026-06-01 and 2026-06-02..2026-08-29 together: 1 task(s) only in the"
        " whole range (first: customer C0000000, vehicle , kind kit_call, due 2026-06-01,"
        " window_end 2026-06-03, source 2026-06-01)"
    ) in str(failed.value)


def test_a_sample_without_days_is_refused_by_the_check_with_the_reason() -> None:
    sample = care_facts()
    without = FactSample(sample.facts, sample.as_of, future=sample.future)
    with pytest.raises(AssertionError, match=r"asks for no days \(FactSample\.days\)"):
        halves_compose(EveryTenDays(), without)(EveryTenDays())


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            (date(2026, 7, 2), date(2026, 7, 1)),
            "the last day 2026-07-01 is before the first 2026-07-02",
        ),
        ((date(2026, 7, 1),), "expected (first, last): two dates"),
        (("2026-07-01", "soon"), "days"),
    ],
)
def test_a_fact_sample_refuses_days_that_are_not_a_range(days: Any, message: str) -> None:
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        FactSample((), date(2026, 6, 30), days=days)


def test_with_days_keeps_the_facts_and_as_of() -> None:
    sample = care_facts()
    narrow = sample.with_days(date(2026, 7, 1), date(2026, 7, 1) + timedelta(days=6))
    assert narrow.facts == sample.facts
    assert narrow.as_of == sample.as_of
    assert narrow.days == (date(2026, 7, 1), date(2026, 7, 7))
