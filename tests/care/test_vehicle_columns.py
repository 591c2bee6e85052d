"""Care rules name the vehicle features they read; the agenda computes only those."""

from __future__ import annotations

import functools
from datetime import date

import pytest

from aftersales_crm.care import (
    READS_VEHICLES,
    AnnualInspection,
    CareInputs,
    CareRule,
    ComplaintFollowUp,
    FestivalGreetings,
    FirstMaintenanceDue,
    FollowUpCalls,
    InsuranceRenewal,
    LunarBirthday,
    MaintenanceDue,
    OwnerBirthday,
    Planner,
    VehicleAnniversary,
    WarrantyEnding,
    WinBack,
)
from aftersales_crm.care._planner import _features_first
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import LoyaltyValueMatrix

from .build import drawn_book, drawn_tables

DAY = date(2026, 6, 30)


@functools.cache
def whole() -> FeatureTable:
    """Every vehicle feature of the drawn book (computed once)."""
    return CareInputs.of(drawn_tables(), start=DAY).vehicles


RULES: tuple[CareRule, ...] = (
    FollowUpCalls(),
    FirstMaintenanceDue(),
    FirstMaintenanceDue(km=None),
    MaintenanceDue(),
    MaintenanceDue(km=None, models=(("unknown", 3, 2_000.0),)),
    InsuranceRenewal(),
    AnnualInspection(),
    WarrantyEnding(),
    ComplaintFollowUp(),
    WinBack(),
    WinBack(hand_over=False),
    OwnerBirthday(),
    LunarBirthday(),
    VehicleAnniversary(),
    FestivalGreetings(),
)


def _inputs() -> CareInputs:
    return CareInputs.of(drawn_tables(), start=DAY, end=date(2026, 9, 30))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: repr(rule))
def test_each_rule_reads_no_vehicle_feature_but_those_it_names(rule: CareRule) -> None:
    named = getattr(rule, READS_VEHICLES)
    assert isinstance(named, frozenset)
    assert named <= set(whole())
    some = _inputs()
    _features_first((rule,), some)  # a rule reading an unnamed column fails with KeyError
    assert set(some.vehicles) == named
    assert rule.plan(some) == rule.plan(_inputs())


def test_every_built_in_rule_of_the_planner_names_its_vehicle_features() -> None:
    inputs = _inputs()
    _features_first(Planner.RULES, inputs)
    named = frozenset().union(*(getattr(rule, READS_VEHICLES) for rule in Planner.RULES))
    assert set(inputs.vehicles) == named < set(whole())


def test_a_rule_that_names_none_gets_every_vehicle_column() -> None:
    class Unnamed(MaintenanceDue):
        reads_vehicles = None  # type: ignore[assignment]

    for rules in ((Unnamed(),), (WinBack(), Unnamed()), (WinBack(matrix=LoyaltyValueMatrix()),)):
        inputs = _inputs()
        _features_first(rules, inputs)
        assert list(inputs.vehicles) == list(whole())


def test_a_users_rule_without_the_attribute_gets_every_vehicle_column() -> None:
    class Plain:
        kind = "care_rule"

        def plan(self, inputs: CareInputs) -> object:
            return MaintenanceDue().plan(inputs)

    assert not hasattr(Plain(), READS_VEHICLES)
    inputs = _inputs()
    _features_first((FollowUpCalls(), Plain()), inputs)  # type: ignore[arg-type]
    assert list(inputs.vehicles) == list(whole())


def test_the_agenda_is_the_same_when_every_rule_reads_every_column() -> None:
    class Unnamed(FollowUpCalls):
        reads_vehicles = None  # type: ignore[assignment]

    given = (*Planner.RULES, Unnamed())
    named = (*Planner.RULES, FollowUpCalls())
    end = date(2026, 7, 29)
    assert Planner(rules=named).agenda(drawn_book(), start=DAY, end=end) == Planner(
        rules=given
    ).agenda(drawn_book(), start=DAY, end=end)
