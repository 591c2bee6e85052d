"""Declarative parameter constraints: each policy states each parameter's rule once.

One validator turns a broken rule into the library's InvalidValue naming the policy, the
parameter, what was given and the rule; get_policy and fit raise it, never a bare
TypeError or KeyError.
"""

from __future__ import annotations

import importlib
import itertools
import math
from datetime import date
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import (
    BUILT_INS,
    Column,
    Constraint,
    Instance,
    LengthOf,
    Names,
    Number,
    Numbers,
    OneOf,
    OrNone,
    Param,
    SubsetOf,
    Whole,
    get_policy,
    validate_params,
)


def _class(name: str) -> type:
    module, _, attribute = BUILT_INS[name].partition(":")
    cls: type = getattr(importlib.import_module(module), attribute)
    return cls


@pytest.mark.parametrize("name", list(BUILT_INS))
def test_every_built_in_declares_one_constraint_per_parameter(name: str) -> None:
    policy = get_policy(name)
    constraints = type(policy).parameter_constraints  # type: ignore[attr-defined]
    assert list(constraints) == list(policy.get_params())
    assert all(isinstance(c, Constraint) for c in constraints.values())


@pytest.mark.parametrize("name", list(BUILT_INS))
def test_every_built_in_default_meets_its_constraints(name: str) -> None:
    checked = validate_params(get_policy(name))
    assert set(checked) == set(get_policy(name).get_params())


@pytest.mark.parametrize(
    ("name", "parameter"),
    [(name, parameter) for name in BUILT_INS for parameter in get_policy(name).get_params()],
)
def test_get_policy_names_the_parameter_given_a_value_of_the_wrong_type(
    name: str, parameter: str
) -> None:
    cls = _class(name).__name__
    with pytest.raises(InvalidValue, match=rf"^{cls}: {parameter}=<object object at") as raised:
        get_policy(name, **{parameter: object()})
    assert raised.value.code == "invalid_parameter"


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        # a range broken
        ("rfm", {"bins": 1}, "RFMScore: bins=1 is invalid: expected a whole number from 2 to 100"),
        # a whole number given as a float
        ("sector", {"winds": 4.0}, "Sector: winds=4.0 is invalid: expected 4 or 8"),
        # one parameter bounded by another
        (
            "service_interval_status",
            {"swinging_after": 3, "lost_after": 2},
            (
                "ServiceIntervalStatus: lost_after=2 is invalid:"
                " expected a whole number of months, >= swinging_after"
            ),
        ),
        # a count that follows another parameter's length
        (
            "threshold_tiers",
            {"thresholds": (3, 2)},
            (
                "ThresholdTiers: names=('diamond', 'platinum', 'gold', 'silver') is invalid:"
                " expected 2 distinct non-empty names"
            ),
        ),
        # an optional value
        (
            "service_interval_status",
            {"km": 0},
            "ServiceIntervalStatus: km=0 is invalid: expected a number of km, > 0, or None",
        ),
        # a reserved name
        (
            "hobby",
            {"hobbies": ("钓鱼", "other")},
            (
                "Hobby: hobbies=('钓鱼', 'other') is invalid: expected distinct non-empty names,"
                " not 'other'"
            ),
        ),
    ],
)
def test_get_policy_names_the_parameter_the_rule_and_the_value(
    name: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        get_policy(name, **params)
    assert str(raised.value) == message


def test_get_policy_names_an_unknown_parameter_and_suggests_the_close_one() -> None:
    with pytest.raises(InvalidValue) as raised:
        get_policy("quantile_tiers", quantile=(0.5,))
    assert str(raised.value) == (
        "QuantileTiers has no parameter 'quantile'; did you mean 'quantiles'?"
        " It has value, quantiles, names"
    )
    assert raised.value.code == "unknown_parameter"
    with pytest.raises(InvalidValue, match="GenderDimension has no parameter 'x'; It has none"):
        get_policy("gender", x=1)


def test_get_policy_refuses_a_name_that_is_not_text() -> None:
    with pytest.raises(InvalidValue, match="name: a policy name is text, not int 3"):
        get_policy(3)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))


@pytest.mark.parametrize("name", ["pareto_abc", "region_ring", "member_value"])
def test_fit_and_assign_name_features_that_are_not_a_feature_table(
    name: str, feats: FeatureTable
) -> None:
    policy = get_policy(name)
    with pytest.raises(InvalidValue, match=r"\.fit: features must be a FeatureTable"):
        policy.fit({"spend_fen": [1, 2]})  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="expected a FeatureTable of features, not dict"):
        policy.fit(feats).assign({"spend_fen": [1, 2]})  # type: ignore[arg-type]


def test_fit_checks_the_parameters_of_a_policy_that_learns_nothing(feats: FeatureTable) -> None:
    with pytest.raises(InvalidValue, match="RegionRing: rings_km="):
        get_policy("region_ring").set_params(rings_km=(10, 5)).fit(feats)


# ---------------------------------------------------------------- the constraints one by one


class Holder:
    """A plain class with constraints, as a user would declare them."""

    parameter_constraints: ClassVar[dict[str, Constraint]] = {}

    def __init__(self, **params: Any) -> None:
        for name, value in params.items():
            setattr(self, name, value)


def _check(constraint: Constraint, value: Any, **others: Any) -> Any:
    class One(Holder):
        parameter_constraints: ClassVar[dict[str, Constraint]] = {
            **{name: Instance(object, "anything") for name in others},
            "p": constraint,
        }

    return validate_params(One(p=value, **others))["p"]


@pytest.mark.parametrize(
    ("constraint", "value", "expected"),
    [
        (Whole(low=1), np.int16(3), 3),  # numpy integers are whole
        (Number(low=0), 2, 2.0),  # an int is a number
        (Number(above=0, high=1), 1.0, 1.0),  # the high end is inclusive
        (Numbers(), [1, 2.5], (1.0, 2.5)),  # a list becomes a tuple of floats
        (Numbers(whole=True, unit="years"), (3, 5), (3, 5)),  # whole numbers stay ints
        (Numbers(low=0, high=1, sum_to=1), (0.1, 0.2, 0.7), (0.1, 0.2, 0.7)),  # sums to 1 ± ε
        (Names(count=2), ["a", "b"], ("a", "b")),
        (Names(), (), ()),  # no names at all, when no count is asked for
        (Column(), "spend_fen", "spend_fen"),
        (OneOf(("km", "visits")), "km", "km"),
        (OneOf((4, 8)), np.int64(8), 8),  # the option itself comes back
        (SubsetOf(("D", "G")), ["G"], frozenset({"G"})),
        (Instance(int, "a count"), 3, 3),
        (OrNone(Whole()), None, None),
    ],
)
def test_a_constraint_accepts_and_normalises(
    constraint: Constraint, value: Any, expected: Any
) -> None:
    got = _check(constraint, value)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("constraint", "value", "rule"),
    [
        (Whole(), True, "expected a whole number"),  # a bool is not a number
        (Whole(), 6.0, "expected a whole number"),  # nor is a float, even a round one
        (Whole(low=0, unit="months"), -1, "expected a whole number of months, >= 0"),
        (Whole(low=2, high=9), 10, "expected a whole number from 2 to 9"),
        (Number(), math.inf, "expected a number"),
        (Number(), "3", "expected a number"),
        (Number(above=0), 0, "expected a number, > 0"),
        (Number(high=5), 6, "expected a number, <= 5"),
        (Numbers(), "12", "expected at least 1 numbers"),  # text is not a sequence of numbers
        (Numbers(count=3), (1, 2), "expected 3 numbers"),
        (Numbers(max_count=1), (1, 2), "expected at most 1 numbers"),
        (Numbers(), (1, None), "expected finite numbers"),
        (Numbers(), (10**400,), "expected finite numbers"),  # too large for a float
        (Numbers(low=1), (1, 0.5), "numbers must be at least 1"),
        (Numbers(high=1), (1, 1.5), "numbers must be at most 1"),
        (Numbers(sum_to=1), (0.5, 0.6), "the p must sum to 1"),
        (Numbers(whole=True, unit="years"), (1, 2.5), "expected whole years"),
        (Numbers(order="increasing"), (1, 1), "numbers must be strictly increasing"),
        (Numbers(order="decreasing"), (1, 2), "numbers must be strictly decreasing"),
        (Names(), ("a", "a"), "expected distinct non-empty names"),
        (Names(), ("a", ""), "expected distinct non-empty names"),
        (Names(), "ab", "expected distinct non-empty names"),
        (Names(count=1), ("a", "b"), "expected 1 distinct non-empty names"),
        (Column(), "", "expected the name of a feature column"),
        (OneOf((4, 8)), True, "expected 4 or 8"),
        (SubsetOf(("D",), what="letters"), "D", "expected letters of ('D',)"),
        (SubsetOf(("D",)), ("X",), "expected values of ('D',)"),
        (Instance(int, "a count"), "3", "expected a count"),
        (OrNone(Column()), 3, "expected the name of a feature column, or None"),
    ],
)
def test_a_constraint_refuses_with_its_rule(constraint: Constraint, value: Any, rule: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        _check(constraint, value)
    assert str(raised.value) == f"One: p={value!r} is invalid: {rule}"


@pytest.mark.parametrize(
    ("constraint", "other", "value", "ok"),
    [
        (Whole(low=Param("q")), 3, 3, True),  # at least the other parameter
        (Whole(low=Param("q")), 3, 2, False),
        (Number(high=Param("q")), 5.0, 5.5, False),
        (Names(count=LengthOf("q")), ("x", "y"), ("a", "b"), True),  # as many as the other
        (Names(count=LengthOf("q", plus=1)), ("x",), ("a",), False),
        (Names(count=LengthOf("q")), 7, ("a",), True),  # the other has no length: any count
    ],
)
def test_a_constraint_may_refer_to_another_parameter(
    constraint: Constraint, other: Any, value: Any, ok: bool
) -> None:
    if ok:
        _check(constraint, value, q=other)
    else:
        with pytest.raises(InvalidValue, match="One: p="):
            _check(constraint, value, q=other)


def test_validate_params_checks_only_the_parameters_asked_for() -> None:
    class Two(Holder):
        parameter_constraints: ClassVar[dict[str, Constraint]] = {
            "a": Whole(),
            "b": Whole(),
        }

    policy = Two(a=1, b="broken")
    assert validate_params(policy, "a") == {"a": 1}
    with pytest.raises(InvalidValue, match="Two: b='broken'"):
        validate_params(policy)


def test_a_class_without_constraints_has_nothing_to_check() -> None:
    assert validate_params(object()) == {}


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6))
def test_increasing_numbers_accept_exactly_finite_strictly_increasing_sequences(
    values: list[float],
) -> None:
    ok = (
        len(values) >= 1
        and all(math.isfinite(v) for v in values)
        and all(a < b for a, b in itertools.pairwise(values))
    )
    try:
        got = _check(Numbers(order="increasing"), values)
    except InvalidValue:
        assert not ok
    else:
        assert ok
        assert got == tuple(values)
