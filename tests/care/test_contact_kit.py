"""The conformance kit's ``prepare_changes_nothing`` check: a contact rule's optional
``prepare(inputs)`` changes no verdict, for the built-ins and for a rule of one's own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from aftersales_crm.care import (
    CareInputs,
    CareTasks,
    Consent,
    CoolingOff,
    DoNotContact,
    FrequencyCap,
    PreferredChannel,
    QuietDays,
    QuietHours,
    Reason,
    Verdicts,
    all_of,
    any_of,
    not_,
)
from aftersales_crm.policies import BUILT_INS, BasePolicy, get_policy
from aftersales_crm.testing import check_policy, policy_checks

CONTACT_RULES = [
    *(get_policy(name) for name in BUILT_INS if get_policy(name).kind == "contact_rule"),
    all_of(PreferredChannel(), Consent(), DoNotContact(), CoolingOff(), FrequencyCap()),
    any_of(not_(CoolingOff()), Consent(), QuietDays()),
    not_(all_of(DoNotContact(), QuietHours())),
]
VIP = Reason("a VIP's adviser calls them", "由VIP专属顾问联系")


def vips(customers: Any) -> Any:
    """A customer whose id ends in 1 or 2 is a VIP."""
    return np.array([str(c)[-1] in "12" for c in customers], dtype=bool)


class NoVipCalls(BasePolicy):
    """Leaves the VIPs to their advisers; ``prepare`` flags them ahead, one per customer row."""

    kind = "contact_rule"

    def prepare(self, inputs: CareInputs) -> None:
        self.flags(inputs)

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        return Verdicts.blocking(tasks, self.flags(inputs)[inputs.customer_rows(tasks)], VIP)

    def flags(self, inputs: CareInputs) -> Any:
        return inputs.memo(("test", "vips"), lambda: vips(inputs.customer_ids))


class VipsSorted(NoVipCalls):
    """Broken: ``prepare`` keeps the flags in reverse id order, which ``check`` reads by row."""

    def prepare(self, inputs: CareInputs) -> None:
        inputs.memo(("test", "vips"), lambda: vips(np.sort(inputs.customer_ids)[::-1]))


class PrepareSaysDone(NoVipCalls):
    """Broken: ``prepare`` returns what it derived instead of None."""

    def prepare(self, inputs: CareInputs) -> Any:
        return self.flags(inputs)


class Unprepared(NoVipCalls):
    """A rule without ``prepare``: nothing to check."""

    prepare = None  # type: ignore[assignment]


def prepare_changes_nothing(policy: Any) -> Any:
    return dict(policy_checks(policy))["prepare_changes_nothing"]


@pytest.mark.parametrize("rule", CONTACT_RULES, ids=repr)
def test_every_built_in_contact_rule_changes_no_verdict_by_preparing(rule: Any) -> None:
    prepare_changes_nothing(rule)(rule)


def test_a_rule_of_ones_own_that_prepares_what_it_reads_passes_every_check() -> None:
    assert [name for name, _ in policy_checks(NoVipCalls())][-2:] == [
        "no_facts",
        "prepare_changes_nothing",
    ]
    check_policy(NoVipCalls())


def test_a_prepare_that_changes_what_check_reads_fails_naming_the_rows_that_differ() -> None:
    with pytest.raises(AssertionError) as failed:
        check_policy(VipsSorted())
    text = str(failed.value)
    assert text.startswith(
        "VipsSorted() fails check 'prepare_changes_nothing'\n"
        "  rule: a rule's optional prepare(inputs) derives ahead what check reads and changes"
        " no verdict: check on fresh inputs gives the same result whether prepare was called"
        " on those inputs first or not, and prepare returns None\n"
        "  found: check after prepare, against check alone: "
    )
    # The flags reversed, 6 VIPs lose theirs and 6 others gain one: 4 tasks each. Row 1 is
    # the first task of C0000001, a VIP, allowed once prepared.
    assert text.endswith(
        "48 of 120 rows of the Verdicts differ; the first, row 1, got allowed True, channel"
        " phone, call_hours 00:00-24:00, blocked_by None; expected allowed False, channel"
        " phone, call_hours 00:00-24:00, blocked_by a VIP's adviser calls them"
    )


def test_a_prepare_that_returns_something_fails() -> None:
    with pytest.raises(AssertionError, match="found: prepare returned a ndarray, not None"):
        prepare_changes_nothing(PrepareSaysDone())(PrepareSaysDone())


def test_a_rule_without_prepare_is_not_checked_by_it() -> None:
    assert "prepare_changes_nothing" not in dict(policy_checks(Unprepared()))
    check_policy(Unprepared())


def test_a_care_rule_is_not_checked_by_it_whatever_its_methods() -> None:
    # Only a kind whose runner can call prepare first gets the check.
    class PlansAndPrepares(BasePolicy):
        kind = "care_rule"

        def prepare(self, inputs: CareInputs) -> None:
            pass

        def plan(self, inputs: CareInputs) -> CareTasks:
            return CareTasks.empty()

    assert "prepare_changes_nothing" not in dict(policy_checks(PlansAndPrepares()))
