"""A complaint's status: folded through the transition table, in any order, once per fact."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm.complaints import (
    TRANSITIONS,
    ComplaintLog,
    ComplaintState,
    complaint_states,
    complaint_status,
)
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import ComplaintAction, ComplaintFiled, ComplaintUpdated
from aftersales_crm.tables import Tables

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
A = ComplaintAction
S = ComplaintState


def filed(complaint_id: str = "Q1", hours: float = 0, severity: str = "high") -> ComplaintFiled:
    return ComplaintFiled(
        id=complaint_id,
        customer_id="C1",
        at=T0 + timedelta(hours=hours),
        category="repair_quality",
        severity=severity,
        channel="phone",
    )


def update(
    update_id: str, action: ComplaintAction | str, hours: float, complaint_id: str = "Q1"
) -> ComplaintUpdated:
    action = ComplaintAction(action)
    verdict = "satisfied" if action is A.CLOSED else None
    return ComplaintUpdated(
        id=update_id,
        complaint_id=complaint_id,
        at=T0 + timedelta(hours=hours),
        action=action,
        verdict=verdict,
    )


#: The shortest path from filing to each state.
PATH_TO: dict[ComplaintState, tuple[ComplaintAction, ...]] = {
    S.FILED: (),
    S.ACKNOWLEDGED: (A.ACKNOWLEDGED,),
    S.IN_PROGRESS: (A.ACKNOWLEDGED, A.IN_PROGRESS),
    S.RESOLVED: (A.ACKNOWLEDGED, A.RESOLVED),
    S.CLOSED: (A.ACKNOWLEDGED, A.RESOLVED, A.CLOSED),
}

#: Every (state, action) pair the table allows, and where it leads, written out by hand.
ALLOWED: dict[tuple[ComplaintState, ComplaintAction], ComplaintState] = {
    (S.FILED, A.ACKNOWLEDGED): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, A.IN_PROGRESS): S.IN_PROGRESS,
    (S.ACKNOWLEDGED, A.ESCALATED): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ESCALATED): S.IN_PROGRESS,
    (S.ACKNOWLEDGED, A.RESOLVED): S.RESOLVED,
    (S.IN_PROGRESS, A.RESOLVED): S.RESOLVED,
    (S.RESOLVED, A.CLOSED): S.CLOSED,
    (S.RESOLVED, A.REOPENED): S.IN_PROGRESS,
    (S.CLOSED, A.REOPENED): S.IN_PROGRESS,
}

PAIRS = list(itertools.product(ComplaintState, ComplaintAction))


def _facts_to(state: ComplaintState) -> list[ComplaintFiled | ComplaintUpdated]:
    return [filed(), *(update(f"U{i}", a, i + 1) for i, a in enumerate(PATH_TO[state]))]


def test_the_table_is_the_one_written_out_by_hand() -> None:
    found = {(state, action): to for action, (froms, to) in TRANSITIONS.items() for state in froms}
    assert found == ALLOWED
    assert set(TRANSITIONS) == set(ComplaintAction)


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=lambda v: v.value)
def test_each_action_from_each_state_goes_where_the_table_says_or_is_refused(
    state: ComplaintState, action: ComplaintAction
) -> None:
    facts = [*_facts_to(state), update("UX", action, 10)]
    expected = ALLOWED.get((state, action))
    if expected is not None:
        assert complaint_status(facts, T0 + timedelta(hours=20)).state is expected
        return
    with pytest.raises(InvalidValue) as raised:
        ComplaintLog.from_records(facts)
    message = str(raised.value)
    assert raised.value.code == "complaint_transition"
    assert "complaint 'Q1': update 'UX'" in message
    assert f"from {state.value} to {TRANSITIONS[action][1].value}" in message


def test_an_update_dated_before_the_filing_is_refused_naming_the_filing() -> None:
    late_filing = r"update 'U1' \(acknowledged\) at 2026-03-02T10:00:00\+00:00 is dated before"
    with pytest.raises(
        InvalidValue, match=late_filing + r" the complaint was filed at 2026-03-02T14"
    ):
        ComplaintLog.from_records([filed(hours=5), update("U1", "acknowledged", 1)])


def test_every_impossible_transition_is_named_in_one_error() -> None:
    facts: list[ComplaintFiled | ComplaintUpdated] = [
        filed("Q1"),
        update("U1", "resolved", 1, "Q1"),
        filed("Q2"),
        update("U2", "closed", 1, "Q2"),
    ]
    with pytest.raises(InvalidValue, match=r"^2 impossible complaint transitions: .*'U1'.*'U2'"):
        ComplaintLog.from_records(facts)


def test_an_update_of_a_complaint_never_filed_is_refused() -> None:
    with pytest.raises(InvalidValue, match=r"complaints \['Q7'\] that were not filed") as raised:
        ComplaintLog.from_records([update("U1", "acknowledged", 1, "Q7")])
    assert raised.value.code == "complaint_not_filed"


def test_a_repeated_update_changes_nothing_and_a_changed_one_is_refused() -> None:
    facts = _facts_to(S.CLOSED)
    once = ComplaintLog.from_records(facts)
    twice = ComplaintLog.from_records([*facts, *facts, facts[2]])
    assert len(twice) == len(once) == 4
    assert twice.state.tolist() == once.state.tolist()
    changed = facts[1].model_copy(update={"at": T0 + timedelta(hours=2)})
    with pytest.raises(InvalidValue, match="ComplaintUpdated 'U0' arrived twice") as raised:
        ComplaintLog.from_records([*facts, changed])
    assert raised.value.code == "complaint_fact_conflict"


def test_no_update_after_as_of_counts() -> None:
    facts = [*_facts_to(S.RESOLVED), update("U9", "closed", 30)]
    assert complaint_status(facts, T0 + timedelta(hours=29)).state is S.RESOLVED
    assert complaint_status(facts, T0 + timedelta(hours=30)).state is S.CLOSED
    assert complaint_status(facts, T0 - timedelta(hours=1)).state is None


def test_updates_at_the_same_instant_are_taken_in_the_order_of_a_complaint_life() -> None:
    facts: list[ComplaintFiled | ComplaintUpdated] = [
        filed(),
        update("Z", "acknowledged", 0),
        update("A", "resolved", 0),
    ]
    status = complaint_status(facts, T0)
    assert status.state is S.RESOLVED
    assert status.acknowledged_at == status.resolved_at == T0


def test_a_reopened_complaint_rests_on_its_last_resolution() -> None:
    facts = [
        *_facts_to(S.CLOSED),  # acknowledged 1 h, resolved 2 h, closed 3 h
        update("U7", "reopened", 10),
        update("U8", "resolved", 20),
    ]
    log = ComplaintLog.from_records(facts)
    reopened = log.states(T0 + timedelta(hours=15))
    assert reopened.status("Q1").state is S.IN_PROGRESS
    assert reopened.status("Q1").resolved_at is None
    assert reopened.first_resolved_at[0] == np.datetime64("2026-03-02T11:00")
    again = log.states(T0 + timedelta(hours=25)).status("Q1")
    assert again.resolved_at == T0 + timedelta(hours=20)
    assert [step.action for step in log.history("Q1")][-2:] == [A.REOPENED, A.RESOLVED]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_order_facts_arrive_in_and_repeats_do_not_change_the_status(
    data: st.DataObject,
) -> None:
    facts = [
        *_facts_to(S.CLOSED),
        update("U7", "reopened", 10),
        update("U8", "escalated", 12),
        update("U9", "resolved", 12),
        filed("Q2", hours=3),
        update("V1", "acknowledged", 4, "Q2"),
        update("V2", "in_progress", 4, "Q2"),
    ]
    shuffled = data.draw(st.permutations(facts))
    repeated = data.draw(st.lists(st.sampled_from(facts), max_size=4))
    as_of = T0 + timedelta(hours=data.draw(st.integers(-1, 14)))
    expected = ComplaintLog.from_records(facts).states(as_of)
    got = ComplaintLog.from_records([*shuffled, *repeated]).states(as_of)
    assert got.state.tolist() == expected.state.tolist()
    assert got.resolved_at.tolist() == expected.resolved_at.tolist()
    assert got.acknowledged_at.tolist() == expected.acknowledged_at.tolist()


def test_the_tables_give_the_states_of_the_records_aligned_with_the_complaints_table() -> None:
    records = [
        *_facts_to(S.RESOLVED),
        filed("Q0", hours=1),
        update("V1", "acknowledged", 2, "Q0"),
    ]
    tables = Tables.from_arrays(
        dealers={"id": ["D1"], "name": ["N"]},
        customers={"id": ["C1"], "name": ["王明"]},
        complaints={
            "id": ["Q1", "Q0"],
            "customer_id": ["C1", "C1"],
            "at": [T0, T0 + timedelta(hours=1)],
            "category": ["repair_quality"] * 2,
            "severity": ["high"] * 2,
            "channel": ["phone"] * 2,
        },
        complaint_updates={
            "id": ["V1", "U1", "U0"],
            "complaint_id": ["Q0", "Q1", "Q1"],
            "at": [T0 + timedelta(hours=h) for h in (2, 2, 1)],
            "action": ["acknowledged", "resolved", "acknowledged"],
        },
    )
    as_of = T0 + timedelta(hours=5)
    states = complaint_states(tables, as_of)
    assert states.complaint_ids.tolist() == ["Q1", "Q0"]  # the table's order
    assert states.values().tolist() == ["resolved", "acknowledged"]
    by_records = ComplaintLog.from_records(records).states(as_of)  # sorted by id
    assert by_records.complaint_ids.tolist() == ["Q0", "Q1"]
    assert by_records.state.tolist() == states.state[::-1].tolist()
    frame = states.to_pandas()
    assert frame.loc["Q1", "customer_id"] == "C1"
    assert frame.loc["Q0", "state"] == "acknowledged"
