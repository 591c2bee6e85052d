"""Properties of the member fold: order of arrival, duplicates, one chapter, columnar = per member."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from random import Random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership import MemberLog, MemberState, member_status
from aftersales_crm.records import (
    Book,
    MemberApplied,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Record,
)
from aftersales_crm.tables import Tables
from aftersales_crm.testing import strategies as st_crm

CHAPTERS = ("CH1", "CH2", "CH3")
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def lives(draw: st.DrawFn, max_members: int = 4) -> list[Record]:
    """The facts of a few members, each life allowed, ties in time included."""
    applications = draw(
        st.lists(
            st_crm.members(st.just("C1"), st.sampled_from(CHAPTERS)),
            min_size=1,
            max_size=max_members,
            unique_by=lambda m: m.id,
        )
    )
    return [f for a in applications for f in [a, *draw(st_crm.member_lives(a, CHAPTERS))]]


def moments(facts: Sequence[Record]) -> list[datetime]:
    """Each fact's instant, a microsecond before it, and a day after the last."""
    at = sorted({f.at for f in facts})  # type: ignore[attr-defined]
    return [*at, *(t - timedelta(microseconds=1) for t in at), at[-1] + timedelta(days=1)]


def reference(
    facts: Sequence[Record], member_id: str, when: datetime
) -> tuple[str | None, str | None]:
    """State and chapter walked fact by fact, for a life whose facts are given in order."""
    state: str | None = None
    chapter: str | None = None
    for fact in facts:
        if getattr(fact, "member_id", None) != member_id or fact.at > when:  # type: ignore[attr-defined]
            continue
        if isinstance(fact, MemberApplied):
            state, chapter = "applying", fact.chapter_id
        elif isinstance(fact, MemberTransferred):
            state, chapter = "active", fact.to_chapter_id
        elif isinstance(fact, MemberLapsed):
            state = "lapsed"
        else:
            state = "active"
    return state, chapter


def snapshot(log: MemberLog, when: datetime) -> list[tuple[str, int, str | None]]:
    states = log.states(when)
    chapters = log.chapters_at(when)
    return list(
        zip(states.member_ids.tolist(), states.state.tolist(), chapters.tolist(), strict=True)
    )


@SLOW
@given(lives(), st.randoms(use_true_random=False))
def test_the_state_does_not_depend_on_the_order_of_arrival(
    facts: list[Record], random: Random
) -> None:
    shuffled = list(facts)
    random.shuffle(shuffled)
    ordered, mixed = MemberLog.from_records(facts), MemberLog.from_records(shuffled)
    assert mixed.fact_id.tolist() == ordered.fact_id.tolist()
    for when in moments(facts):
        assert snapshot(mixed, when) == snapshot(ordered, when)


@SLOW
@given(lives(), st.data())
def test_a_fact_arriving_again_changes_nothing(facts: list[Record], data: st.DataObject) -> None:
    again = data.draw(st.lists(st.sampled_from(facts), max_size=len(facts)))
    once, twice = MemberLog.from_records(facts), MemberLog.from_records([*facts, *again])
    assert len(twice) == len(once)
    for when in moments(facts):
        assert snapshot(twice, when) == snapshot(once, when)


@SLOW
@given(lives())
def test_a_member_belongs_to_exactly_one_chapter_from_applying_on(facts: list[Record]) -> None:
    log = MemberLog.from_records(facts)
    applied = {f.id: f.at for f in facts if isinstance(f, MemberApplied)}
    for when in moments(facts):
        for member_id, state, chapter in snapshot(log, when):
            if when >= applied[member_id]:
                assert chapter in CHAPTERS
                assert state >= 0
            else:
                assert chapter is None
                assert state == -1
            walked = reference(facts, member_id, when)
            shown = None if state < 0 else list(MemberState)[state].value
            assert (shown, chapter) == walked


@SLOW
@given(lives())
def test_the_columnar_fold_agrees_with_each_member_folded_alone(facts: list[Record]) -> None:
    log = MemberLog.from_records(facts)
    for when in moments(facts)[:6]:
        states = log.states(when)
        for member_id in states.member_ids.tolist():
            own = [f for f in facts if getattr(f, "member_id", None) == member_id]
            assert member_status(own, when) == states.status(member_id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_crm.books(), st_crm.instants())
def test_a_drawn_books_members_fold_the_same_from_tables_and_records(
    book: Book, when: datetime
) -> None:
    by_table = MemberLog.from_tables(Tables.from_book(book))
    kinds = ("members", "member_joins", "member_transfers", "member_lapses", "member_reactivations")
    by_record = MemberLog.from_records(r for k in kinds for r in getattr(book, k).values())
    order = np.argsort(by_table.member_ids)
    a, b = by_table.states(when), by_record.states(when)
    assert a.member_ids[order].tolist() == b.member_ids.tolist()
    assert a.state[order].tolist() == b.state.tolist()
    assert a.chapter_ids[a.chapter[order]].tolist() == b.chapter_ids[b.chapter].tolist() or (
        (a.chapter[order] < 0).tolist() == (b.chapter < 0).tolist()
    )


@SLOW
@given(lives(max_members=1), st.data())
def test_a_reactivation_before_any_lapse_is_always_refused(
    facts: list[Record], data: st.DataObject
) -> None:
    applied = facts[0]
    assert isinstance(applied, MemberApplied)
    lapses = [f.at for f in facts if isinstance(f, MemberLapsed)]
    until = min(lapses) if lapses else applied.at + timedelta(days=10_000)
    seconds = int((until - applied.at).total_seconds())
    at = applied.at + timedelta(seconds=data.draw(st.integers(0, max(seconds - 1, 0))))
    early = MemberReactivated(id="EARLY", member_id=applied.id, at=at)
    if at in lapses:  # at a lapse's very instant, the reactivation comes after it
        return
    with pytest.raises(InvalidValue, match="impossible member transition"):
        MemberLog.from_records([*facts, early])
