"""Member levels: qualifying value apart from points, windows, promotion, grace, reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership import (
    Awards,
    Qualifying,
    QualifyingLevels,
    value_levels,
)
from aftersales_crm.policies import Labels

AS_OF = dt.date(2026, 6, 30)


def qualifying(*rows: tuple[str, str, str, int]) -> Qualifying:
    """(member, source, UTC instant, value) rows."""
    return Qualifying.from_columns(
        member_id=[r[0] for r in rows],
        source_id=[r[1] for r in rows],
        at=np.array([r[2] for r in rows], dtype="datetime64[us]"),
        value=[r[3] for r in rows],
    )


def changes(levels: object) -> list[tuple[str, str, str, str]]:
    return [(m, str(on), a, b) for m, on, a, b, _, _ in levels.changes.rows()]  # type: ignore[attr-defined]


def test_promotion_is_immediate_on_the_day_the_threshold_is_reached() -> None:
    q = qualifying(("M1", "a", "2026-01-05T02:00", 3_000), ("M1", "b", "2026-02-10T02:00", 2_500))
    levels = QualifyingLevels().levels(q, as_of=AS_OF)
    assert levels.level_of("M1") == "gold"
    assert changes(levels) == [
        ("M1", "2026-01-05", "", "silver"),
        ("M1", "2026-02-10", "silver", "gold"),
    ]
    assert levels.changes.rows()[1][4] == "qualifying value 5500 reached gold (5000)"
    assert levels.value.tolist() == [5_500]


def test_a_rolling_window_downgrades_only_when_the_grace_period_ends() -> None:
    q = qualifying(("M1", "a", "2025-03-01T02:00", 6_000))
    # the value leaves the window on 2026-03-01; grace of 3 months ends on 2026-06-01
    before = QualifyingLevels().levels(q, as_of=dt.date(2026, 5, 31))
    assert before.level_of("M1") == "gold"
    after = QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 1))
    assert after.level_of("M1") == "silver"
    last = after.changes.rows()[-1]
    assert (str(last[1]), last[2], last[3]) == ("2026-06-01", "gold", "silver")
    assert "since 2026-03-01; 3 months of grace ended" in last[4]


def test_coming_back_within_the_grace_period_keeps_the_level() -> None:
    q = qualifying(
        ("M1", "a", "2025-03-01T02:00", 6_000),
        ("M1", "b", "2026-04-15T02:00", 5_000),  # back above gold within grace
    )
    levels = QualifyingLevels().levels(q, as_of=AS_OF)
    assert levels.level_of("M1") == "gold"
    assert changes(levels) == [("M1", "2025-03-01", "", "gold")]


def test_without_grace_the_downgrade_is_on_the_day_the_value_falls() -> None:
    q = qualifying(("M1", "a", "2025-03-01T02:00", 6_000))
    levels = QualifyingLevels(grace_months=0).levels(q, as_of=AS_OF)
    assert changes(levels)[-1] == ("M1", "2026-03-01", "gold", "silver")


def test_a_calendar_year_window_resets_on_the_first_of_january() -> None:
    q = qualifying(("M1", "a", "2025-11-01T02:00", 25_000))
    rule = QualifyingLevels(window="calendar_year", grace_months=0)
    assert rule.levels(q, as_of=dt.date(2025, 12, 31)).level_of("M1") == "platinum"
    january = rule.levels(q, as_of=dt.date(2026, 1, 1))
    assert january.level_of("M1") == "silver"
    assert changes(january)[-1] == ("M1", "2026-01-01", "platinum", "silver")


def test_redeeming_points_never_lowers_a_level_because_only_earned_points_qualify() -> None:
    earned = Awards.from_columns(
        member_id=["M1"],
        source_id=["service:RO1"],
        source_kind=["service"],
        amount=[6_000],
        at=["2026-03-01T02:00"],
        funder=["hq"],
        dealer_id=["D1"],
        pending_until=["NaT"],
        expires_on=["2027-12-31"],
    )
    levels = QualifyingLevels().levels(Qualifying.from_awards(earned), as_of=AS_OF)
    assert levels.level_of("M1") == "gold"  # whatever the member spends since: no input here


def test_members_without_value_get_the_lowest_level_when_its_threshold_is_zero() -> None:
    empty = qualifying()
    assert QualifyingLevels().levels(empty, as_of=AS_OF, members=["M9"]).counts() == {"silver": 1}
    strict = QualifyingLevels(names=("gold", "silver"), thresholds=(5_000, 1_000))
    assert strict.levels(empty, as_of=AS_OF, members=["M9"]).level_of("M9") is None


def test_the_day_is_the_programmes_day_not_utc() -> None:
    q = qualifying(("M1", "a", "2026-06-30T16:30", 6_000))  # 1 July 00:30 in Beijing
    beijing = QualifyingLevels().levels(q, as_of=AS_OF, members=["M1"])
    assert (beijing.level_of("M1"), beijing.value.tolist()) == ("silver", [0])  # not yet
    assert QualifyingLevels(time_zone="UTC").levels(q, as_of=AS_OF).level_of("M1") == "gold"


def test_a_source_counts_once_and_must_agree_when_repeated() -> None:
    q = qualifying(("M1", "a", "2026-01-05T02:00", 3_000), ("M1", "a", "2026-01-05T02:00", 3_000))
    assert QualifyingLevels().levels(q, as_of=AS_OF).value.tolist() == [3_000]
    bad = qualifying(("M1", "a", "2026-01-05T02:00", 3_000), ("M1", "a", "2026-01-05T02:00", 9_000))
    with pytest.raises(
        InvalidValue, match="qualifying source 'a' arrives twice with different values"
    ):
        QualifyingLevels().levels(bad, as_of=AS_OF)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"thresholds": (0, 5_000, 20_000, 50_000)},
            "thresholds=.* is invalid: numbers must be strictly decreasing",
        ),
        ({"names": ("gold",)}, "names=.* is invalid"),
        ({"window": "lifetime"}, "window='lifetime' is invalid"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        QualifyingLevels(**params).levels(qualifying(), as_of=AS_OF)  # type: ignore[arg-type]


@given(
    values=st.lists(st.integers(0, 30_000), min_size=1, max_size=12),
    gaps=st.lists(st.integers(1, 200), min_size=12, max_size=12),
)
def test_levels_never_skip_the_grace_and_promotions_always_reach_the_earned_level(
    values: list[int], gaps: list[int]
) -> None:
    day = dt.date(2024, 1, 1)
    rows = []
    for i, value in enumerate(values):
        day += dt.timedelta(days=gaps[i])
        rows.append(("M1", f"s{i}", f"{day.isoformat()}T02:00", value))
    levels = QualifyingLevels().levels(qualifying(*rows), as_of=AS_OF)
    names = ("diamond", "platinum", "gold", "silver")
    previous_day = None
    for _, on, old, new, reason, _ in levels.changes.rows():
        if old and names.index(new) > names.index(old):  # a downgrade
            assert "months of grace ended" in reason
        if previous_day is not None:
            assert on >= previous_day
        previous_day = on
    final = levels.changes.rows()[-1][3] if len(levels.changes) else None
    assert levels.level_of("M1") == final


def test_value_levels_let_member_value_serve_as_the_level_rule() -> None:
    names = ("diamond", "gold", "silver")
    first = value_levels(Labels(np.array([2, 1]), names), ["M1", "M2"], as_of="2026-01-31")
    assert changes(first) == [("M1", "2026-01-31", "", "silver"), ("M2", "2026-01-31", "", "gold")]
    second = value_levels(
        Labels(np.array([0, 2]), names), ["M1", "M2"], as_of="2026-02-28", previous=first
    )
    assert (second.level_of("M1"), second.level_of("M2")) == ("diamond", "gold")  # M2 in grace
    third = value_levels(
        Labels(np.array([0, 2]), names), ["M1", "M2"], as_of="2026-05-31", previous=second
    )
    assert third.level_of("M2") == "silver"
    assert changes(third)[-1] == ("M2", "2026-05-31", "gold", "silver")


@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), months=st.integers(0, 120))
def test_the_grace_calendar_agrees_with_the_features_month_arithmetic(
    day: dt.date, months: int
) -> None:
    from aftersales_crm.features import add_months
    from aftersales_crm.membership._levels import _add_months

    expected = add_months(np.array([day], dtype="datetime64[D]"), months)[0].astype(dt.date)
    assert _add_months(day, months) == expected
