"""Member levels: qualifying value apart from points, windows, promotion, grace, reasons."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
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


def test_a_grace_of_a_month_from_the_31st_of_january_ends_on_the_28th_of_february() -> None:
    names = ("gold", "silver")
    first = value_levels(Labels(np.array([0]), names), ["M1"], as_of="2026-01-31")
    silver = Labels(np.array([1]), names)
    # A calendar month from 31 January is 28 February (not 30 days on, 2 March).
    kept = value_levels(silver, ["M1"], as_of="2026-02-27", previous=first, grace_months=1)
    assert kept.level_of("M1") == "gold"
    down = value_levels(silver, ["M1"], as_of="2026-02-28", previous=first, grace_months=1)
    assert down.level_of("M1") == "silver"


@pytest.mark.parametrize("months", [-1, 121, 1.5, "3"])
def test_a_grace_of_months_out_of_range_is_named(months: object) -> None:
    with pytest.raises(InvalidValue, match="grace_months"):
        value_levels(
            Labels(np.array([0]), ("gold", "silver")),
            ["M1"],
            as_of="2026-01-31",
            grace_months=months,  # type: ignore[arg-type]
        )


# -- the columnar fold equals the rule, member by member, day by day -----------------------


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _reference_member(
    member: str,
    facts: list[tuple[dt.date, int]],
    as_of: dt.date,
    rule: QualifyingLevels,
    rows: list[tuple[str, dt.date, str, str, str, int]],
) -> tuple[str | None, int]:
    """One member's level and value on ``as_of``, walking the days the value changes."""
    names, limits, grace = rule.names, rule.thresholds, rule.grace_months
    if rule.window == "rolling_12_months":
        spans = [(day, _months_later(day, 12), v) for day, v in facts]
    else:
        spans = [(day, dt.date(day.year + 1, 1, 1), v) for day, v in facts]

    def total(on: dt.date) -> int:
        return sum(v for start, stop, v in spans if start <= on < stop)

    def earned(amount: int) -> int:
        return next((code for code, limit in enumerate(limits) if amount >= limit), -1)

    if not facts:
        found = earned(0)
        return (names[found] if found >= 0 else None), 0
    days = sorted({start for start, _, _ in spans} | {stop for _, stop, _ in spans})
    level, grace_end, since = -1, None, None
    queue = [d for d in days if d <= as_of]
    while queue or (grace_end is not None and grace_end <= as_of):
        on = (
            grace_end
            if grace_end is not None and (not queue or grace_end <= queue[0])
            else queue[0]
        )
        if queue and queue[0] == on:
            queue.pop(0)
        amount = total(on)
        new = earned(amount)
        label = names[level] if level >= 0 else ""
        if level < 0 and new < 0:
            continue
        if level < 0 or 0 <= new < level:
            why = f"qualifying value {amount} reached {names[new]} ({limits[new]})"
            rows.append((member, on, label, names[new], why, amount))
            level, grace_end = new, None
        elif new == level:
            grace_end = None
        elif grace_end is None and grace == 0:
            why = f"qualifying value {amount} below {label} ({limits[level]})"
            rows.append((member, on, label, names[new] if new >= 0 else "", why, amount))
            level = new
        elif grace_end is None:
            grace_end, since = _months_later(on, grace), on
        elif on == grace_end:
            why = (
                f"qualifying value {amount} below {label} ({limits[level]}) since"
                f" {since}; {grace} months of grace ended"
            )
            rows.append((member, on, label, names[new] if new >= 0 else "", why, amount))
            level, grace_end = new, None
    return (names[level] if level >= 0 else None), total(as_of)


FACTS = st.lists(
    st.tuples(
        st.sampled_from(["M1", "M2", "M3", "M4", "M5"]),
        st.dates(dt.date(2023, 1, 1), dt.date(2026, 6, 30)),
        st.sampled_from([0, 40, 90, 150, 260, 400]),
    ),
    max_size=40,
)


@settings(max_examples=120, deadline=None)
@given(
    facts=FACTS,
    window=st.sampled_from(["rolling_12_months", "calendar_year"]),
    grace=st.integers(0, 5),
    floor=st.sampled_from([0, 30]),
    as_of=st.dates(dt.date(2023, 6, 1), dt.date(2027, 12, 31)),
)
def test_the_columnar_levels_equal_the_rule_walked_member_by_member(
    facts: list[tuple[str, dt.date, int]], window: str, grace: int, floor: int, as_of: dt.date
) -> None:
    rule = QualifyingLevels(
        names=("gold", "silver", "bronze"),
        thresholds=(400, 150, floor),
        window=window,
        grace_months=grace,
    )
    q = qualifying(
        *[(m, f"s{i}", f"{day.isoformat()}T02:00", v) for i, (m, day, v) in enumerate(facts)]
    )
    got = rule.levels(q, as_of=as_of, members=["M6"])
    expected_rows: list[tuple[str, dt.date, str, str, str, int]] = []
    expected = []
    for member in got.ids.tolist():
        mine = [(day, v) for m, day, v in facts if m == member and day <= as_of]
        expected.append(_reference_member(member, sorted(mine), as_of, rule, expected_rows))
    assert got.labels.values().tolist() == [level for level, _ in expected]
    assert got.value.tolist() == [value for _, value in expected]
    assert got.changes.rows() == expected_rows
