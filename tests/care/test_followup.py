"""Follow-up KPIs: the 3DC/7DC calls counted by hand on a small network."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import synthetic
from aftersales_crm.care import (
    COMPLAINT_WINDOW_DAYS,
    FOLLOW_UP_KEYS,
    HARD_TO_REACH_OUTCOMES,
    REACHED_OUTCOMES,
    FollowUpKpis,
    followup_kpis,
)
from aftersales_crm.care._followup import followed_within, iso_weeks
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import ContactOutcome
from aftersales_crm.tables import Tables

AS_OF = date(2026, 3, 31)


def bj(month: int, day: int, hour: int = 10) -> datetime:
    """A Beijing-time hour on a day of 2026, as UTC (10:00 in Beijing is 02:00 UTC)."""
    return datetime(2026, month, day, hour - 8, tzinfo=UTC)


# order: dealer, customer, closed (None: still in the workshop)
ORDERS = {
    "RO1": ("D1", "C1", bj(3, 2)),  # 3DC due 03-05, 7DC due 03-09
    "RO2": ("D1", "C2", bj(3, 10)),  # 3DC due 03-13, 7DC due 03-17
    "RO3": ("D2", "C3", bj(3, 26)),  # 3DC due 03-29, 7DC due 04-02: after as_of
    "RO4": ("D2", "C4", None),  # not delivered: no call due
    "RO5": ("D2", "C5", bj(3, 2)),  # 3DC due 03-05, 7DC due 03-09
}
# contact: purpose, order, customer, at, outcome, staff
CONTACTS = {
    "K1": ("follow_up_3d", "RO1", "C1", bj(3, 5), "no_answer", "CC1"),
    "K2": ("follow_up_3d", "RO1", "C1", bj(3, 5, 15), "reached", "CC2"),
    "K3": ("follow_up_7d", "RO1", "C1", bj(3, 11), "wrong_number", "CC1"),  # late
    "K4": ("follow_up_3d", "RO2", "C2", bj(3, 12), "unspoken_grievance", "CC2"),  # early
    "K6": ("follow_up_3d", "RO3", "C3", bj(3, 29), "no_time", "CC1"),
    "K7": ("follow_up_3d", "RO5", "C5", bj(3, 6), "ignores_unknown_numbers", None),  # late
    "K8": ("follow_up_7d", "RO5", "C5", bj(3, 9), "unspoken_grievance", "CC1"),
    "K9": ("follow_up_3d", None, "C1", bj(3, 20), "reached", "CC1"),  # no order
    "K10": ("care", "RO1", "C1", bj(3, 20), "reached", "CC1"),  # not a follow-up call
    "K11": ("follow_up_3d", "RO4", "C4", bj(3, 20), "reached", "CC1"),  # not delivered
    "K12": ("follow_up_7d", "RO3", "C3", bj(4, 1), "reached", "CC1"),  # after as_of
}
# complaint: customer, filed
COMPLAINTS = {
    "Q1": ("C2", bj(3, 15)),  # 3 days after K4's grievance
    "Q2": ("C5", bj(3, 20)),  # 11 days after K8's grievance: outside a 7-day window
}


def _tables(contacts: Mapping[str, tuple[object, ...]] = CONTACTS) -> Tables:
    return Tables.from_arrays(
        dealers={"id": ["D1", "D2"], "name": ["North", "South"]},
        customers={"id": [f"C{i}" for i in range(1, 6)], "name": ["王明"] * 5},
        orders={
            "id": list(ORDERS),
            "dealer_id": [d for d, _, _ in ORDERS.values()],
            "customer_id": [c for _, c, _ in ORDERS.values()],
            "opened_at": [bj(3, 1) for _ in ORDERS],
            "closed_at": [closed for _, _, closed in ORDERS.values()],
        },
        lines={
            "order_id": list(ORDERS),
            "kind": ["maintenance"] * len(ORDERS),
            "pay": ["customer"] * len(ORDERS),
            "labour": [100] * len(ORDERS),
            "parts": [0] * len(ORDERS),
        },
        contacts={
            "id": list(contacts),
            "purpose": [c[0] for c in contacts.values()],
            "repair_order_id": [c[1] for c in contacts.values()],
            "customer_id": [c[2] for c in contacts.values()],
            "at": [c[3] for c in contacts.values()],
            "outcome": [c[4] for c in contacts.values()],
            "staff": [c[5] for c in contacts.values()],
            "channel": ["phone"] * len(contacts),
        },
        complaints={
            "id": list(COMPLAINTS),
            "customer_id": [c for c, _ in COMPLAINTS.values()],
            "at": [at for _, at in COMPLAINTS.values()],
            "category": ["repair_quality"] * len(COMPLAINTS),
            "severity": ["medium"] * len(COMPLAINTS),
            "channel": ["phone"] * len(COMPLAINTS),
        },
    )


TABLES = _tables()


def kpis(by: tuple[str, ...], **options: object) -> FollowUpKpis:
    return followup_kpis(TABLES, as_of=AS_OF, by=by, complaint_window_days=7, **options)  # type: ignore[arg-type]


def test_per_dealer_the_calls_due_made_on_time_late_and_reached_are_those_counted_by_hand() -> None:
    result = kpis(("dealer",))
    assert result.keys["dealer"].tolist() == ["D1", "D2"]
    # D1: RO1 3DC (on time, reached), RO1 7DC (late, wrong number), RO2 3DC (early: on
    # time, a grievance reaches the customer), RO2 7DC (missed).
    # D2: RO3 3DC (on time, no time), RO5 3DC (late, ignores unknown numbers), RO5 7DC
    # (on time, grievance); RO3's 7DC is due after as_of and RO4 was never delivered.
    assert result.due.tolist() == [4, 3]
    assert result.on_time.tolist() == [2, 2]
    assert result.late.tolist() == [1, 1]
    assert result.attempted.tolist() == [3, 3]
    assert result.reached.tolist() == [2, 2]
    assert result.completion_rate.tolist() == [0.5, 2 / 3]
    assert result.reach_rate.tolist() == [2 / 3, 2 / 3]
    # Attempts: K1–K4 at D1, K6–K8 at D2; K9 (no order) and K11 (not delivered) are left
    # uncounted; K10 is not a follow-up call and K12 comes after as_of.
    assert result.attempts.tolist() == [4, 3]
    assert result.uncounted == 2


def test_the_outcome_mix_counts_attempts_with_each_hard_to_reach_customer_on_its_own() -> None:
    result = kpis(())
    expected = {
        "reached": 1,
        "no_answer": 1,
        "refused": 0,
        "wrong_number": 1,
        "do_not_contact": 0,
        "no_time": 1,
        "ignores_unknown_numbers": 1,
        "unspoken_grievance": 2,
        "sees_no_benefit": 0,
    }
    assert {o.value: int(result.outcome_count(o)[0]) for o in ContactOutcome} == expected
    assert int(result.outcomes.sum()) == int(result.attempts[0]) == 7
    assert result.outcome_share("unspoken_grievance").tolist() == [2 / 7]
    assert [o.value for o in HARD_TO_REACH_OUTCOMES] == [
        "no_time",
        "ignores_unknown_numbers",
        "unspoken_grievance",
        "sees_no_benefit",
    ]


def test_a_grievance_became_a_complaint_when_the_customer_filed_one_within_the_window() -> None:
    result = kpis(("dealer",))
    # K4 (C2, 03-12) is followed by Q1 three days later; K8 (C5, 03-09) by Q2 only after 11.
    assert result.issues.tolist() == [1, 1]
    assert result.complained.tolist() == [1, 0]
    assert result.complaint_rate.tolist() == [1.0, 0.0]
    wider = followup_kpis(TABLES, as_of=AS_OF, by=["dealer"], complaint_window_days=11)
    assert wider.complained.tolist() == [1, 1]


def test_a_grievance_counts_only_once_its_window_has_ended() -> None:
    # With the default 30 days, neither grievance's window has ended by 31 March.
    assert COMPLAINT_WINDOW_DAYS == 30
    result = followup_kpis(TABLES, as_of=AS_OF, by=())
    assert result.issues.tolist() == [0]
    assert math.isnan(result.complaint_rate[0])
    # K8 (9 March) + 30 days ends on 8 April, K4 (12 March) + 30 days on 11 April.
    assert followup_kpis(TABLES, as_of=date(2026, 4, 10), by=()).issues.tolist() == [1]
    assert followup_kpis(TABLES, as_of=date(2026, 4, 11), by=()).issues.tolist() == [2]


def test_by_purpose_the_3dc_and_the_7dc_are_counted_apart() -> None:
    result = kpis(("purpose",))
    assert result.keys["purpose"].tolist() == ["follow_up_3d", "follow_up_7d"]
    assert result.due.tolist() == [4, 3]
    assert result.on_time.tolist() == [3, 1]
    assert result.late.tolist() == [1, 1]
    assert result.reached.tolist() == [3, 1]


def test_by_caller_a_call_goes_to_its_first_attempt_and_missed_calls_to_nobody() -> None:
    result = kpis(("caller",))
    assert result.keys["caller"].tolist() == ["", "CC1", "CC2"]
    # "": RO2 7DC (missed) and RO5 3DC (first tried by K7, which names no caller).
    # CC1: RO1 3DC (K1 before K2), RO1 7DC, RO3 3DC, RO5 7DC. CC2: RO2 3DC.
    assert result.due.tolist() == [2, 4, 1]
    assert result.on_time.tolist() == [0, 3, 1]
    assert result.late.tolist() == [1, 1, 0]
    assert result.reached.tolist() == [0, 3, 1]
    # Attempts go to whoever made them: K2 is CC2's although the call is CC1's.
    assert result.attempts.tolist() == [1, 4, 2]


def test_by_week_a_call_belongs_to_the_iso_week_of_its_due_day() -> None:
    result = kpis(("week",))
    assert result.keys["week"].tolist() == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert result.due.tolist() == [2, 3, 1, 1]
    # W12 holds only RO2's missed 7DC: no attempt, so no reach rate.
    assert result.attempted[2] == 0
    assert math.isnan(result.reach_rate[2])


def test_grouping_by_several_keys_sorts_rows_by_the_keys_in_order() -> None:
    result = kpis(("purpose", "dealer"))
    rows = list(zip(result.keys["purpose"].tolist(), result.keys["dealer"].tolist(), strict=True))
    assert rows == [
        ("follow_up_3d", "D1"),
        ("follow_up_3d", "D2"),
        ("follow_up_7d", "D1"),
        ("follow_up_7d", "D2"),
    ]
    assert result.due.tolist() == [2, 2, 2, 1]


def test_a_grace_day_turns_a_call_made_the_day_after_into_one_on_time() -> None:
    result = kpis(("dealer",), grace_days=1)
    # K7 (RO5 3DC, a day late) is now on time; K3 (RO1 7DC, two days late) is not.
    assert result.on_time.tolist() == [2, 3]
    assert result.late.tolist() == [1, 0]


def test_the_due_day_is_the_business_date_in_the_dealers_time_zone() -> None:
    contacts = dict(CONTACTS)
    # 17:30 UTC on 5 March is 01:30 on 6 March in Beijing: a day late there, on time in UTC.
    contacts["K1"] = (
        "follow_up_3d",
        "RO1",
        "C1",
        datetime(2026, 3, 5, 17, 30, tzinfo=UTC),
        "no_answer",
        "CC1",
    )
    del contacts["K2"]
    tables = _tables(contacts)
    beijing = followup_kpis(tables, as_of=AS_OF, by=["purpose"])
    utc = followup_kpis(tables, as_of=AS_OF, by=["purpose"], time_zone="UTC")
    assert beijing.on_time[0] == 2
    assert utc.on_time[0] == 3


def test_no_due_call_gives_nan_rates_and_zero_counts() -> None:
    empty = followup_kpis(Tables.from_arrays(), as_of=AS_OF, by=())
    assert len(empty) == 1
    assert empty.due.tolist() == [0]
    assert math.isnan(empty.completion_rate[0])
    assert math.isnan(empty.reach_rate[0])
    assert math.isnan(empty.outcome_share("reached")[0])
    grouped = followup_kpis(Tables.from_arrays(), as_of=AS_OF, by=["dealer"])
    assert len(grouped) == 0
    assert grouped.keys["dealer"].tolist() == []


def test_a_book_gives_the_same_kpis_as_its_tables() -> None:
    book = synthetic.book(40, seed=3)
    a = followup_kpis(book, as_of="2026-06-30", by=["dealer", "caller"])
    b = followup_kpis(Tables.from_book(book), as_of="2026-06-30", by=["dealer", "caller"])
    assert a.keys["caller"].tolist() == b.keys["caller"].tolist()
    assert np.array_equal(a.outcomes, b.outcomes)
    assert a.due.tolist() == b.due.tolist()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"by": ["advisor"]}, "by is ['advisor']"),  # not a key
        ({"by": ["dealer", "dealer"]}, "by is ['dealer', 'dealer']"),  # twice
        ({"by": "dealer"}, "by is 'dealer' (str), expected a list or tuple"),  # text, not keys
        ({"grace_days": -1}, "grace_days is -1"),
        ({"grace_days": 1.5}, "grace_days is 1.5"),
        ({"complaint_window_days": 0}, "complaint_window_days is 0"),
        ({"as_of": datetime(2026, 3, 31, tzinfo=UTC)}, "as_of is datetime"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_bad_arguments_are_refused_naming_them(options: dict[str, object], named: str) -> None:
    arguments: dict[str, object] = {"as_of": AS_OF, **options}
    with pytest.raises(
        InvalidValue, match=named.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        followup_kpis(TABLES, **arguments)  # type: ignore[arg-type]


def test_data_that_is_neither_tables_nor_a_book_is_refused() -> None:
    with pytest.raises(InvalidValue, match="expected Tables or a Book"):
        followup_kpis({"orders": []}, as_of=AS_OF)  # type: ignore[arg-type]


def test_an_unknown_outcome_is_refused_naming_the_outcomes() -> None:
    with pytest.raises(InvalidValue, match="outcome is 'busy', expected one of reached"):
        kpis(()).outcome_count("busy")


def test_reaching_the_customer_means_they_were_on_the_line() -> None:
    not_reached = {o.value for o in ContactOutcome if o not in REACHED_OUTCOMES}
    assert not_reached == {"no_answer", "wrong_number", "ignores_unknown_numbers"}


def test_the_report_shows_each_figure_with_its_counts_and_the_material() -> None:
    text = kpis(("dealer",)).report()
    row = next(line for line in text.splitlines() if line.startswith("D1"))
    assert row.split()[1:] == ["50%", "(2/4)", "67%", "(2/3)", "100%", "(1/1)"]
    assert "描述电话客户会有哪些情况比较难对付?" in text
    assert "《信息回访员基础培训分析报告》: “售出后的3DC7DC回访”" in text
    chinese = kpis(("dealer",)).report("zh")
    assert "心存抱怨又不想投诉 29% (2/7)" in chinese
    with pytest.raises(InvalidValue, match="lang"):
        kpis(()).report("fr")  # type: ignore[arg-type]


def test_to_pandas_has_the_keys_the_counts_and_every_outcome() -> None:
    pytest.importorskip("pandas")
    frame = kpis(("dealer", "purpose")).to_pandas()
    assert frame[["dealer", "purpose"]].values.tolist()[0] == ["D1", "follow_up_3d"]
    assert frame["due"].sum() == 7
    assert {f"{o.value}_share" for o in ContactOutcome} <= set(frame.columns)


def test_the_result_arrays_are_read_only() -> None:
    result = kpis(("dealer",))
    with pytest.raises(ValueError, match="read-only"):
        result.due[0] = 9


@given(st.lists(st.dates(date(1900, 1, 1), date(2199, 12, 31)), min_size=1, max_size=50))
def test_iso_weeks_agree_with_the_standard_library(days: list[date]) -> None:
    numbers = [(day - date(1970, 1, 1)).days for day in days]
    codes, labels = iso_weeks(np.asarray(numbers, dtype=np.int64))
    for day, code in zip(days, codes.tolist(), strict=True):
        year, week, _ = day.isocalendar()
        assert labels[code] == f"{year}-W{week:02d}"


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50)), max_size=30),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50)), max_size=30),
    st.integers(1, 20),
)
def test_followed_within_matches_a_plain_loop(
    events: list[tuple[int, int]], later: list[tuple[int, int]], window: int
) -> None:
    def column(pairs: list[tuple[int, int]], k: int) -> np.ndarray:
        return np.asarray([p[k] for p in pairs], dtype=np.int64)

    found = followed_within(
        column(events, 0), column(events, 1), column(later, 0), column(later, 1), window
    )
    expected = [any(c == d and t < u <= t + window for d, u in later) for c, t in events]
    assert found.tolist() == expected


GROUPINGS = (("dealer",), ("caller",), ("week",), ("dealer", "caller"), ("week", "purpose"))


# Each example draws a book (the costly part) and checks every grouping of it against the
# network: 30 examples check 150 (book, grouping) pairs, where one grouping per book took 100.
@settings(max_examples=30)
@given(seed=st.integers(0, 2**16), day=st.dates(date(2025, 6, 1), date(2026, 6, 30)))
def test_grouped_numerators_and_denominators_add_up_to_the_network(seed: int, day: date) -> None:
    book = Tables.from_book(synthetic.book(25, seed=seed))  # converted once, not per call
    whole = followup_kpis(book, as_of=day, by=())
    for by in GROUPINGS:
        grouped = followup_kpis(book, as_of=day, by=by)
        for name in ("due", "on_time", "late", "reached", "attempts", "issues", "complained"):
            assert int(getattr(grouped, name).sum()) == int(getattr(whole, name)[0]), (by, name)
        assert np.array_equal(grouped.outcomes.sum(axis=0), whole.outcomes[0])
        assert bool((grouped.on_time + grouped.late <= grouped.due).all())
        assert bool((grouped.reached <= grouped.attempted).all())
        assert bool((grouped.complained <= grouped.issues).all())
        assert set(FOLLOW_UP_KEYS) >= set(grouped.keys)
