"""The conformance kit on the club's policy kinds: the built-ins pass, each broken rule fails.

Points rules get the shared checks, the ``folds`` checks (arrival order, a repeated fact,
facts after as_of, no facts) and the ``ledger`` checks (conservation, no entry after
as_of); level rules the shared and ``folds`` checks; card policies the per-row checks.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pytest

from aftersales_crm.features import FeatureTable
from aftersales_crm.membership import (
    Awards,
    Levels,
    MembershipCards,
    PointsRule,
    Qualifying,
    QualifyingLevels,
)
from aftersales_crm.policies import Labels, policy_kind
from aftersales_crm.tables import Tables
from aftersales_crm.testing import check_policy, parametrize_with_policy_checks, policy_checks

# The defaults run in tests/test_common.py with every built-in; these take other paths.
CLUB_POLICIES = [
    PointsRule(cap=2_000, cap_period="year", pending_days=14, expiry="after_months"),
    PointsRule(multipliers={"gold": 2, "diamond": 1.5}, funders={"activity": "dealer"}),
    PointsRule(expiry="never", points_per_unit=0.5, kind_rates={"accessories": 0}),
    QualifyingLevels(window="calendar_year", grace_months=0),
    MembershipCards(loyalty=None, discounts=(12, 8), spend_fen=(5_000_000, 100_000)),
]


@parametrize_with_policy_checks(CLUB_POLICIES)
def test_the_club_policies_follow_the_policy_contract(
    policy: object, check: Callable[[object], None]
) -> None:
    check(policy)


def test_the_club_kinds_are_declared_with_their_checks() -> None:
    points, level, card = policy_kind("points"), policy_kind("level"), policy_kind("card")
    assert points.result_type is Awards
    assert level.result_type is Levels
    assert card.result_type is Labels
    assert [c.value for c in points.checks] == ["folds", "ledger"]
    assert [c.value for c in level.checks] == ["folds"]
    assert [c.value for c in card.checks] == ["rows"]
    assert [name for name, _ in policy_checks(PointsRule())][-6:] == [
        "arrival_order",
        "repeated_fact",
        "as_of_cutoff",
        "conservation",
        "no_entry_after_as_of",
        "no_facts",
    ]


# ---------------------------------------------------------------- broken points rules


def _deliveries(tables: Tables | Sequence[Tables]) -> list[Tables]:
    return [tables] if isinstance(tables, Tables) else list(tables)


class CountsEveryDelivery(PointsRule):
    """Awards each delivery on its own and adds the points up: a source delivered twice
    earns twice (the double award users reported)."""

    def award(self, tables: Any, **kwargs: Any) -> Awards:
        merged: dict[str, int] = {}
        first: dict[str, Awards] = {}
        for delivery in _deliveries(tables):
            got = super().award(delivery, **kwargs)
            for i, source in enumerate(got.source_id.tolist()):
                merged[source] = merged.get(source, 0) + int(got.amount[i])
                first.setdefault(source, got.take(np.array([i])))
        rows = [first[s] for s in sorted(first)]
        columns = (
            {
                f.name: np.concatenate([getattr(r, f.name) for r in rows])
                for f in attrs.fields(Awards)
            }
            if rows
            else None
        )
        if columns is None:
            return Awards.empty()
        columns["amount"] = np.array([merged[s] for s in sorted(first)])
        return Awards.from_columns(**columns)


class FirstTwentyOrdersOnly(PointsRule):
    """Awards service only for the first 20 orders in the order they arrived."""

    def award(self, tables: Any, **kwargs: Any) -> Awards:
        got = super().award(tables, **kwargs)
        early = {f"service:{i}" for i in _deliveries(tables)[0]["orders"]["id"][:20].tolist()}
        keep = [
            i
            for i, s in enumerate(got.source_id.tolist())
            if not s.startswith("service:") or s in early
        ]
        return got.take(np.array(keep, dtype=np.intp))


class ForgetsAsOf(PointsRule):
    """Awards every fact it is given, up to a year after as_of."""

    def award(self, tables: Any, *, as_of: dt.date | str, **kwargs: Any) -> Awards:
        later = dt.date.fromisoformat(str(as_of)) + dt.timedelta(days=365)
        return super().award(tables, as_of=later, **kwargs)


class DatesAtExpiry(PointsRule):
    """Dates each award at the end of its expiry day instead of when it was earned."""

    def award(self, tables: Any, **kwargs: Any) -> Awards:
        got = super().award(tables, **kwargs)
        return attrs.evolve(got, at=(got.expires_on + 1).astype("datetime64[us]"))


@attrs.frozen(eq=False)
class LooseAwards(Awards):
    """A hand-rolled awards container that checks nothing."""

    def __attrs_post_init__(self) -> None:
        pass


class AwardsEachLine(PointsRule):
    """Awards each customer-pay line on its own under its order's source id."""

    def award(self, tables: Any, **kwargs: Any) -> Awards:
        got = super().award(tables, **kwargs)
        service = np.flatnonzero(np.char.startswith(got.source_id, "service:"))
        rows = np.concatenate([np.arange(len(got)), service])
        columns = {f.name: getattr(got, f.name)[rows] for f in attrs.fields(Awards)}
        return LooseAwards(**columns)


class NeedsAnOrder(PointsRule):
    """Reads the first repair order without looking."""

    def award(self, tables: Any, **kwargs: Any) -> Awards:
        _ = _deliveries(tables)[0]["orders"]["id"][0]
        return super().award(tables, **kwargs)


# ---------------------------------------------------------------- broken level and card rules


class SumsRepeatedValue(QualifyingLevels):
    """Counts a qualifying fact delivered twice twice."""

    def levels(self, qualifying: Qualifying, **kwargs: Any) -> Levels:
        fresh = Qualifying.from_columns(
            member_id=qualifying.member_id,
            source_id=np.char.add(qualifying.source_id, np.arange(len(qualifying)).astype(str)),
            at=qualifying.at,
            value=qualifying.value,
        )
        return super().levels(fresh, **kwargs)


class LevelsFromTheFuture(QualifyingLevels):
    def levels(self, qualifying: Qualifying, *, as_of: dt.date | str, **kwargs: Any) -> Levels:
        later = dt.date.fromisoformat(str(as_of)) + dt.timedelta(days=2)
        return super().levels(qualifying, as_of=later, **kwargs)


class CardsByPosition(MembershipCards):
    def assign(self, features: FeatureTable) -> Labels:
        return Labels(np.arange(len(features)) % 2, ("silver", "member"))


@pytest.mark.parametrize(
    ("policy", "name", "found"),
    [
        (CountsEveryDelivery(), "repeated_fact", "delivered twice"),
        (FirstTwentyOrdersOnly(), "arrival_order", "with the facts in the order"),
        (ForgetsAsOf(), "as_of_cutoff", "facts dated after as_of"),
        (DatesAtExpiry(), "no_entry_after_as_of", "awards are dated after the end of as_of"),
        (AwardsEachLine(), "conservation", "are awarded more than once"),
        (NeedsAnOrder(), "no_facts", "raised IndexError"),
        (SumsRepeatedValue(), "repeated_fact", "delivered twice"),
        (LevelsFromTheFuture(), "as_of_cutoff", "facts dated after as_of"),
        (CardsByPosition(), "output_aligned", "rows differ"),
    ],
    ids=[
        "points-double-award",
        "points-arrival-order",
        "points-from-the-future",
        "points-dated-after-as-of",
        "points-per-line-under-one-source",
        "points-need-an-order",
        "levels-double-count",
        "levels-from-the-future",
        "cards-by-position",
    ],
)
def test_each_club_check_catches_the_policy_that_breaks_its_rule(
    policy: object, name: str, found: str
) -> None:
    check = dict(policy_checks(policy))[name]
    with pytest.raises(AssertionError, match=rf"fails check '{name}'\n  rule: .+\n  found: ") as e:
        check(copy.deepcopy(policy))
    assert found in str(e.value)
    with pytest.raises(AssertionError, match="fails check"):
        check_policy(copy.deepcopy(policy))


def test_a_points_rule_with_zero_point_awards_fails_conservation() -> None:
    class AwardsNothingToo(PointsRule):
        def award(self, tables: Any, **kwargs: Any) -> Awards:
            got = super().award(tables, **kwargs)
            columns: Mapping[str, Any] = {
                f.name: getattr(got, f.name) for f in attrs.fields(Awards)
            }
            return LooseAwards(**{**columns, "amount": np.zeros(len(got), dtype=np.int64)})

    check = dict(policy_checks(AwardsNothingToo()))["conservation"]
    with pytest.raises(AssertionError, match="an award of 0 points"):
        check(AwardsNothingToo())


def test_a_points_rule_returning_another_type_is_named_with_the_public_result_type() -> None:
    class GivesADict(PointsRule):
        def award(self, tables: Any, **kwargs: Any) -> Awards:
            return dict(super().award(tables, **kwargs).by("member_id"))  # type: ignore[return-value]

    with pytest.raises(
        AssertionError, match=r"award returned dict, not aftersales_crm.membership.Awards"
    ):
        check_policy(GivesADict())


def test_a_kind_names_its_result_and_runner_by_path_and_refuses_other_text() -> None:
    from aftersales_crm.errors import InvalidType

    spec = policy_kind("points")
    assert spec.result == "aftersales_crm.membership:Awards"
    assert isinstance(spec.runner, str)
    with pytest.raises(InvalidType, match="expected a class or its 'module:Class' path"):
        attrs.evolve(spec, result="Awards")
    with pytest.raises(InvalidType, match="runner is 42"):
        attrs.evolve(spec, runner=42)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match=r"result '\S+:SOURCE_KINDS' is not a class"):
        attrs.evolve(spec, result="aftersales_crm.membership:SOURCE_KINDS").result_type  # noqa: B018
