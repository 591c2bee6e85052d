"""A member's life, folded: states, chapters, impossible transitions, duplicates and ties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.membership import (
    TRANSITIONS,
    MemberEvent,
    MemberLog,
    MemberState,
    member_status,
)
from aftersales_crm.records import (
    Book,
    Chapter,
    Customer,
    Dealer,
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Record,
)
from aftersales_crm.tables import Tables


def day(month: int, d: int = 1, hour: int = 2) -> datetime:
    return datetime(2026, month, d, hour, tzinfo=UTC)


APPLIED = MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=day(1))
JOINED = MemberJoined(id="J1", member_id="M1", at=day(2))
MOVED = MemberTransferred(id="T1", member_id="M1", to_chapter_id="CH2", at=day(4))
LAPSED = MemberLapsed(id="L1", member_id="M1", at=day(6), reason="lost")
BACK = MemberReactivated(id="V1", member_id="M1", at=day(9))
LIFE: list[Record] = [APPLIED, JOINED, MOVED, LAPSED, BACK]


@pytest.mark.parametrize(
    ("when", "state", "chapter"),
    [
        (datetime(2025, 12, 31, tzinfo=UTC), None, None),  # before applying: no state, no chapter
        (day(1), MemberState.APPLYING, "CH1"),  # a fact counts from its own instant on
        (day(3), MemberState.ACTIVE, "CH1"),
        (day(4), MemberState.ACTIVE, "CH2"),  # a transfer keeps the member active, elsewhere
        (day(7), MemberState.LAPSED, "CH2"),  # a lapsed member stays with the chapter left
        (day(12), MemberState.ACTIVE, "CH2"),  # back in the chapter they lapsed from
    ],
)
def test_the_state_and_chapter_at_each_moment_of_a_life(
    when: datetime, state: MemberState | None, chapter: str | None
) -> None:
    status = member_status(LIFE, when)
    assert (status.state, status.chapter_id) == (state, chapter)


def test_the_status_tells_since_when_and_the_first_join() -> None:
    status = member_status(LIFE, day(7))
    assert status.since == LAPSED.at
    assert status.joined_at == JOINED.at
    assert member_status(LIFE, day(1)).joined_at is None


def test_an_instant_in_another_time_zone_is_the_same_moment() -> None:
    beijing = timezone(timedelta(hours=8))
    just_before = (day(4) - timedelta(microseconds=1)).astimezone(beijing)
    assert member_status(LIFE, just_before).chapter_id == "CH1"
    assert member_status(LIFE, day(4).astimezone(beijing)).chapter_id == "CH2"


def test_the_history_lists_each_step_with_the_state_and_chapter_it_led_to() -> None:
    steps = MemberLog.from_records(reversed(LIFE)).history("M1")
    assert [(s.event, s.fact_id, s.state, s.chapter_id) for s in steps] == [
        (MemberEvent.APPLIED, "M1", MemberState.APPLYING, "CH1"),
        (MemberEvent.JOINED, "J1", MemberState.ACTIVE, "CH1"),
        (MemberEvent.TRANSFERRED, "T1", MemberState.ACTIVE, "CH2"),
        (MemberEvent.LAPSED, "L1", MemberState.LAPSED, "CH2"),
        (MemberEvent.REACTIVATED, "V1", MemberState.ACTIVE, "CH2"),
    ]
    assert [s.at for s in steps] == [f.at for f in LIFE]  # type: ignore[attr-defined]


def test_an_applicant_who_lapses_withdrew_and_leaves_the_applicants() -> None:
    withdrawn = MemberLapsed(id="L1", member_id="M1", at=day(2), reason="withdrawn")
    assert member_status([APPLIED, withdrawn], day(3)).state is MemberState.LAPSED


# -- impossible transitions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # joining twice
        (
            MemberJoined(id="J2", member_id="M1", at=day(3)),
            (
                r"MemberJoined 'J2' at 2026-03-01T02:00:00\+00:00 cannot take it from active to "
                r"active: only an applicant joins"
            ),
        ),
        # transferring a lapsed member
        (
            MemberTransferred(id="T2", member_id="M1", to_chapter_id="CH1", at=day(7)),
            (
                r"MemberTransferred 'T2' .* cannot take it from lapsed to active: only an active "
                r"member transfers"
            ),
        ),
        # reactivating an active member
        (
            MemberReactivated(id="V2", member_id="M1", at=day(11)),
            (
                r"MemberReactivated 'V2' .* cannot take it from active to active: only a lapsed "
                r"member is reactivated"
            ),
        ),
        # lapsing twice
        (
            MemberLapsed(id="L2", member_id="M1", at=day(8), reason="left"),
            r"MemberLapsed 'L2' .* cannot take it from lapsed to lapsed",
        ),
        # a fact dated before the member applied
        (
            MemberJoined(id="J0", member_id="M1", at=datetime(2025, 12, 1, tzinfo=UTC)),
            (
                r"MemberJoined 'J0' at 2025-12-01T00:00:00\+00:00 is dated before the member "
                r"applied at 2026-01-01T02:00:00\+00:00"
            ),
        ),
        # moving to the chapter the member is in already
        (
            MemberTransferred(id="T3", member_id="M1", to_chapter_id="CH2", at=day(5)),
            r"MemberTransferred 'T3' .* moves it to 'CH2', the chapter it is in already",
        ),
    ],
)
def test_an_impossible_transition_is_refused_naming_the_member_the_fact_and_both_states(
    extra: Record, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message) as info:
        MemberLog.from_records([*LIFE, extra])
    assert info.value.code == "member_transition"
    assert "member 'M1'" in str(info.value)


def test_an_applicant_cannot_transfer_before_joining() -> None:
    moved = MemberTransferred(id="T1", member_id="M1", to_chapter_id="CH2", at=day(2))
    with pytest.raises(InvalidValue, match="from applying to active: only an active member"):
        member_status([APPLIED, moved], day(3))


def test_every_impossible_transition_of_every_member_is_reported_at_once() -> None:
    other = MemberApplied(id="M2", customer_id="C2", chapter_id="CH1", at=day(1))
    bad = [
        MemberReactivated(id="V9", member_id="M2", at=day(2)),
        MemberJoined(id="J9", member_id="M1", at=day(12)),
    ]
    with pytest.raises(InvalidValue, match=r"^2 impossible member transitions: ") as info:
        MemberLog.from_records([*LIFE, other, *bad])
    assert "'V9'" in str(info.value)
    assert "'J9'" in str(info.value)


def test_a_fact_before_the_application_is_reported_once_not_again_for_the_application() -> None:
    early = MemberJoined(id="J1", member_id="M1", at=datetime(2025, 6, 1, tzinfo=UTC))
    with pytest.raises(InvalidValue, match=r"^1 impossible member transition: .*'J1'"):
        MemberLog.from_records([APPLIED, early])


def test_a_fact_of_a_member_who_never_applied_is_refused() -> None:
    with pytest.raises(InvalidValue, match=r"members \['M9'\] have facts but no application"):
        MemberLog.from_records([APPLIED, MemberJoined(id="J9", member_id="M9", at=day(2))])


def test_only_member_facts_are_folded() -> None:
    with pytest.raises(InvalidType, match="is not a member fact"):
        MemberLog.from_records([APPLIED, Customer(id="C1", name="王芳")])


def test_member_status_wants_the_facts_of_exactly_one_member() -> None:
    other = MemberApplied(id="M2", customer_id="C2", chapter_id="CH1", at=day(1))
    with pytest.raises(InvalidValue, match="needs the facts of one member, got 2"):
        member_status([APPLIED, other], day(2))
    with pytest.raises(InvalidValue, match="got 0"):
        member_status([], day(2))


def test_as_of_must_be_an_aware_datetime() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        member_status(LIFE, datetime(2026, 3, 1))  # noqa: DTZ001 - the point of the test


def test_an_unknown_member_is_named() -> None:
    log = MemberLog.from_records(LIFE)
    with pytest.raises(InvalidValue, match="no member 'M2'"):
        log.history("M2")
    with pytest.raises(InvalidValue, match="no member 'M2'"):
        log.status("M2", day(3))


# -- duplicates and order -----------------------------------------------------------------------


def test_the_same_fact_twice_changes_nothing() -> None:
    once = MemberLog.from_records(LIFE)
    twice = MemberLog.from_records([*LIFE, *LIFE, JOINED])
    assert len(twice) == len(once) == len(LIFE)
    assert twice.states(day(12)).status("M1") == once.states(day(12)).status("M1")


def test_the_same_id_with_another_content_is_refused() -> None:
    changed = JOINED.model_copy(update={"at": day(2, 5)})
    with pytest.raises(
        InvalidValue, match="MemberJoined 'J1' arrived twice with different"
    ) as info:
        MemberLog.from_records([*LIFE, changed])
    assert info.value.code == "member_fact_conflict"


def test_facts_of_different_kinds_may_share_an_id() -> None:
    # A fact is known by its kind and id: a join and a lapse both called "X1" are two facts.
    joined = MemberJoined(id="X1", member_id="M1", at=day(2))
    lapsed = MemberLapsed(id="X1", member_id="M1", at=day(3))
    assert member_status([APPLIED, joined, lapsed], day(4)).state is MemberState.LAPSED


def test_facts_at_the_same_instant_follow_the_order_of_a_life() -> None:
    # Applied, joined, lapsed and reactivated at one instant: taken in that order whatever
    # the arrival order, the member ends active.
    at = day(3)
    same = [
        MemberReactivated(id="V1", member_id="M1", at=at),
        MemberLapsed(id="L1", member_id="M1", at=at),
        MemberJoined(id="J1", member_id="M1", at=at),
        MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at),
    ]
    steps = MemberLog.from_records(same).history("M1")
    assert [s.event.value for s in steps] == ["applied", "joined", "lapsed", "reactivated"]
    assert member_status(same, at).state is MemberState.ACTIVE


def test_the_transition_table_allows_what_a_life_allows() -> None:
    assert TRANSITIONS[MemberEvent.APPLIED] == ((None,), MemberState.APPLYING)
    assert TRANSITIONS[MemberEvent.LAPSED][0] == (MemberState.APPLYING, MemberState.ACTIVE)
    assert {to for _, to in TRANSITIONS.values()} == set(MemberState)


# -- columnar and per member --------------------------------------------------------------------


MEMBER_KINDS = (
    "members",
    "member_joins",
    "member_transfers",
    "member_lapses",
    "member_reactivations",
)


def _book() -> Book:
    other = [
        MemberApplied(id="M2", customer_id="C2", chapter_id="CH2", at=day(2), referred_by="M1"),
        MemberJoined(id="J2", member_id="M2", at=day(3)),
    ]
    return Book.from_records(
        [
            Dealer(id="D1", name="一号4S店"),
            Dealer(id="D2", name="二号4S店"),
            Chapter(id="CH1", dealer_id="D1", name="一号车友会"),
            Chapter(id="CH2", dealer_id="D2", name="二号车友会"),
            Customer(id="C1", name="王芳"),
            Customer(id="C2", name="李华"),
            *LIFE,
            *other,
        ]
    )


def test_the_log_of_the_tables_is_the_log_of_the_records() -> None:
    book = _book()
    by_table = MemberLog.from_tables(Tables.from_book(book))
    by_record = MemberLog.from_records(
        r for kind in MEMBER_KINDS for r in getattr(book, kind).values()
    )
    for when in (day(1), day(3), day(5), day(7), day(12)):
        a, b = by_table.states(when), by_record.states(when)
        assert a.member_ids.tolist() == b.member_ids.tolist() == ["M1", "M2"]
        assert a.state.tolist() == b.state.tolist()
        assert a.chapter_ids[a.chapter].tolist() == b.chapter_ids[b.chapter].tolist()


def test_the_states_count_and_label_every_member() -> None:
    states = MemberLog.from_tables(Tables.from_book(_book())).states(day(7))
    assert states.counts() == {"active": 1, "lapsed": 1}
    assert states.values("zh").tolist() == ["已流失", "有效会员"]
    frame = states.to_pandas()
    assert frame.loc["M2", "chapter_id"] == "CH2"
    assert frame.loc["M1", "state"] == "lapsed"


def test_the_log_is_read_only() -> None:
    log = MemberLog.from_records(LIFE)
    with pytest.raises(ValueError, match="read-only"):
        log.state[0] = 0
    assert np.all(np.diff(log.at.astype(np.int64)) >= 0)


def test_from_tables_wants_tables() -> None:
    with pytest.raises(InvalidType, match="expected Tables"):
        MemberLog.from_tables(_book())  # type: ignore[arg-type]
