"""The policy registry (names, aliases, plugins) and the conformance kit of aftersales_crm.testing.

Every check of the kit is shown to pass on well-behaved policies (a plain class, a
BasePolicy subclass, the plugin of tests/plugin) and to fail on a policy that breaks its rule.
"""

from __future__ import annotations

import ast
import copy
import enum
import importlib.metadata
import importlib.util
import itertools
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, Self

import numpy as np
import pytest

from aftersales_crm import _kinds, features, policies, synthetic
from aftersales_crm.errors import (
    AftersalesError,
    InvalidValue,
    UnknownPolicyError,
)
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import (
    ALIASES,
    BUILT_INS,
    ENTRY_POINT_GROUP,
    BasePolicy,
    Labels,
    Policy,
    PolicyKind,
    PolicyNameClash,
    Reads,
    get_policy,
    policy_kind,
    policy_kinds,
    policy_names,
)
from aftersales_crm.testing import check_policy, parametrize_with_policy_checks, policy_checks

# ---------------------------------------------------------------- well-behaved policies


def _labels(codes: Any, names: tuple[str, ...]) -> Labels:
    # Labels' attrs converter (``tuple``) leaves mypy an unsolved type variable for ``names``;
    # passing them as Any keeps this file type-checked until the converter is typed.
    untyped: Any = names
    return Labels(codes, untyped)


class SpendTiers:
    """A plain class (no BasePolicy): 'high' from ``threshold_fen`` of spend, else 'low'."""

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = False

    def __init__(self, *, threshold_fen: int = 100_000, column: str = "spend_fen") -> None:
        self.threshold_fen = threshold_fen
        self.column = column

    def get_params(self) -> dict[str, Any]:
        return {"threshold_fen": self.threshold_fen, "column": self.column}

    def set_params(self, **params: Any) -> Self:
        return type(self)(**(self.get_params() | params))

    def clone(self) -> Self:
        return type(self)(**self.get_params())

    def fit(self, features: FeatureTable) -> Self:
        return self.clone()

    def assign(self, features: FeatureTable) -> Labels:
        return _labels(
            (features[self.column] < self.threshold_fen).astype(np.int16), ("high", "low")
        )

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        shown = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"{type(self).__name__}({', '.join(shown)})"


class MedianSplit(BasePolicy):
    """A population-relative BasePolicy: above or below the population's median of a column."""

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True
    median_: float

    def __init__(self, *, column: str = "visits") -> None:
        self.column = column

    def _fit(self, features: FeatureTable) -> None:
        values = features[self.column]
        self.median_ = float(np.median(values)) if len(values) else 0.0

    def assign(self, features: FeatureTable) -> Labels:
        policies.check_is_fitted(self)
        return _labels((features[self.column] <= self.median_).astype(np.int16), ("above", "below"))


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Single(enum.Enum):
    ONLY = "only"


class Plain:
    """A parameter value compared by its attributes (it has no __eq__ of its own)."""

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.inner = Plain(depth - 1) if depth else None

    def __repr__(self) -> str:
        return f"Plain(depth={self.depth})"


class Window(NamedTuple):
    start: int
    stop: int


class EveryKindOfParameter(BasePolicy):
    """Parameters of every type the kit knows how to make odd values for."""

    kind: ClassVar[PolicyKind] = "dimension"

    def __init__(
        self,
        *,
        flag: bool = False,
        colour: Colour = Colour.RED,
        count: int = 3,
        share: float = 0.25,
        amount: Decimal = Decimal("1.50"),
        label: str = "vip",
        since: date = date(2020, 1, 1),
        at: datetime = datetime.min,  # noqa: DTZ901 - a naive constant, never compared to now
        cuts: tuple[float, ...] = (0.2, float("nan")),
        window: Window = Window(1, 2),  # noqa: B008 - a NamedTuple is immutable
        names: list[str] | None = None,
        weights: dict[str, float] | None = None,
        spare: None = None,
        array: np.ndarray[Any, Any] | None = None,
        lone: Colour | None = None,
        single: Single = Single.ONLY,
        extra: object = None,
    ) -> None:
        self.flag = flag
        self.colour = colour
        self.count = count
        self.share = share
        self.amount = amount
        self.label = label
        self.since = since
        self.at = at
        self.cuts = cuts
        self.window = window
        self.names = names
        self.weights = weights
        self.spare = spare
        self.array = array
        self.lone = lone
        self.single = single
        self.extra = extra

    def assign(self, features: FeatureTable) -> Labels:
        return _labels(np.zeros(len(features), dtype=np.int16), ("all",))


WELL_BEHAVED: list[object] = [
    SpendTiers(),
    SpendTiers(threshold_fen=5_000),
    MedianSplit(),
    EveryKindOfParameter(),
    EveryKindOfParameter(
        names=["a", "b"],
        weights={"a": 1.0},
        array=np.array([1.0, np.nan]),
        lone=Colour.BLUE,
        extra=Plain(depth=20),
    ),
]


@parametrize_with_policy_checks(WELL_BEHAVED)
def test_well_behaved_policies_pass_every_check(
    policy: object, check: Callable[[object], None]
) -> None:
    check(policy)


def test_check_policy_passes_a_plain_class_and_a_base_policy() -> None:
    check_policy(SpendTiers())
    check_policy(MedianSplit(column="spend_fen"))


def test_check_policy_takes_other_features(small_features: FeatureTable) -> None:
    check_policy(MedianSplit(), small_features)


@pytest.fixture(scope="module")
def small_features() -> FeatureTable:
    return features.compute(synthetic.book(12, seed=3), as_of=date(2026, 6, 30))


def test_population_relative_checks_apply_only_to_population_relative_policies() -> None:
    plain = {name for name, _ in policy_checks(SpendTiers())}
    relative = {name for name, _ in policy_checks(MedianSplit())}
    assert relative - plain == {"unfitted_raises", "fit_returns_fitted_copy"}


def test_the_clone_check_applies_only_to_policies_with_clone() -> None:
    class NoClone(SpendTiers):
        clone = None  # type: ignore[assignment]

        def fit(self, features: FeatureTable) -> Self:
            return type(self)(**self.get_params())

    assert "clone" not in dict(policy_checks(NoClone()))
    check_policy(NoClone())


def test_the_pickle_check_applies_only_to_classes_pickle_can_find() -> None:
    class DefinedHere(SpendTiers):
        pass

    assert "picklable" not in dict(policy_checks(DefinedHere()))
    assert "picklable" in dict(policy_checks(SpendTiers()))


def test_test_ids_name_the_policy_and_the_check() -> None:
    mark = parametrize_with_policy_checks([SpendTiers(threshold_fen=5)])
    ids = [param.id for param in mark.args[1]]
    assert ids[0] == "SpendTiers(threshold_fen=5)-declares_kind"
    assert "SpendTiers(threshold_fen=5)-clone" in ids


def test_a_check_callable_reads_as_its_name() -> None:
    name, check = next(policy_checks(SpendTiers()))
    assert repr(check) == f"check_{name}"


# ---------------------------------------------------------------- broken policies, one per rule


class NoKind(SpendTiers):
    kind = "vip"


class RelativeIsNotABool(SpendTiers):
    population_relative = "yes"  # type: ignore[assignment]


class NoAssign:
    kind: ClassVar[str] = "tier"
    population_relative: ClassVar[bool] = False


class NoDefault(SpendTiers):
    def __init__(self, *, threshold_fen: int, column: str = "spend_fen") -> None:
        super().__init__(threshold_fen=threshold_fen, column=column)


class Positional(SpendTiers):
    def __init__(self, threshold_fen: int = 100_000, *, column: str = "spend_fen") -> None:
        super().__init__(threshold_fen=threshold_fen, column=column)


class DefaultHasOtherParams(SpendTiers):
    def get_params(self) -> dict[str, Any]:
        params = super().get_params()
        if self.threshold_fen != 100_000:
            params["extra"] = None
        return params


class ValidatesInInit(SpendTiers):
    def __init__(self, *, threshold_fen: int = 100_000, column: str = "spend_fen") -> None:
        if threshold_fen < 0:
            msg = f"threshold_fen is {threshold_fen}, must be >= 0"
            raise InvalidValue(msg)
        super().__init__(threshold_fen=threshold_fen, column=column)


class ConvertsInInit(BasePolicy):
    kind: ClassVar[PolicyKind] = "tier"

    def __init__(self, *, cuts: tuple[int, ...] = (1, 2)) -> None:
        self.cuts = tuple(sorted(cuts))

    def assign(self, features: FeatureTable) -> Labels:
        return _labels(np.zeros(len(features), dtype=np.int16), ("all",))


class FitsInInit(SpendTiers):
    def __init__(self, *, threshold_fen: int = 100_000, column: str = "spend_fen") -> None:
        super().__init__(threshold_fen=threshold_fen, column=column)
        self.threshold_ = threshold_fen


class ForgetsAParam(SpendTiers):
    def get_params(self) -> dict[str, Any]:
        return {"threshold_fen": self.threshold_fen}

    def set_params(self, **params: Any) -> Self:
        return type(self)(**({"column": self.column} | self.get_params() | params))

    def clone(self) -> Self:
        return type(self)(threshold_fen=self.threshold_fen, column=self.column)


class ParamsAreNotADict(SpendTiers):
    def get_params(self) -> dict[str, Any]:
        return list(super().get_params().items())  # type: ignore[return-value]


class AcceptsAnything(SpendTiers):
    """Takes **options, so its parameter names are open; get_params does not round-trip."""

    def __init__(self, *, threshold_fen: int = 100_000, **options: Any) -> None:
        super().__init__(threshold_fen=threshold_fen)
        self.options = options

    def get_params(self) -> dict[str, Any]:
        return super().get_params() | {"options": self.options}


class SetParamsInPlace(SpendTiers):
    def set_params(self, **params: Any) -> Self:
        for name, value in params.items():
            setattr(self, name, value)
        return self


class SetParamsMutatesTheReceiver(SpendTiers):
    def set_params(self, **params: Any) -> Self:
        new = super().set_params(**params)
        self.column = "visits"
        return new


class SetParamsIgnoresChanges(SpendTiers):
    def set_params(self, **params: Any) -> Self:
        return self.clone()


class SetParamsReturnsAnotherClass(SpendTiers):
    def set_params(self, **params: Any) -> Self:
        return SpendTiers(**(self.get_params() | params))  # type: ignore[return-value]


class CloneIsSelf(SpendTiers):
    def clone(self) -> Self:
        return self


class CloneKeepsState(MedianSplit):
    def clone(self) -> Self:
        twin = type(self)(**self.get_params())
        twin.__dict__.update(self.__dict__)
        return twin


class ReprShowsDefaults(SpendTiers):
    def __repr__(self) -> str:
        return f"ReprShowsDefaults(threshold_fen={self.threshold_fen}, column={self.column!r})"


class ReprHidesChanges(SpendTiers):
    def __repr__(self) -> str:
        return "ReprHidesChanges()"


class NoNotFittedError(MedianSplit):
    def assign(self, features: FeatureTable) -> Labels:
        median = getattr(self, "median_", 0.0)
        return _labels((features[self.column] <= median).astype(np.int16), ("above", "below"))


class FitReturnsSelf(MedianSplit):
    def fit(self, features: FeatureTable) -> Self:
        self._fit(features)
        return self


class FitLearnsNothing(MedianSplit):
    def fit(self, features: FeatureTable) -> Self:
        return self.clone()

    def assign(self, features: FeatureTable) -> Labels:
        return _labels(np.zeros(len(features), dtype=np.int16), ("all",))


class FitChangesParams(MedianSplit):
    def fit(self, features: FeatureTable) -> Self:
        fitted = super().fit(features)
        fitted.column = "spend_fen"
        return fitted


class FitCountsOnTheReceiver(SpendTiers):
    def fit(self, features: FeatureTable) -> Self:
        self.fits = getattr(self, "fits", 0) + 1
        return self.clone()


class AssignCachesOnTheReceiver(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        self.last_rows = len(features)
        return super().assign(features)


class AssignIsNotLabels(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        return super().assign(features).codes  # type: ignore[return-value]


class AssignDropsARow(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        return super().assign(features).take(np.arange(max(len(features) - 1, 0)))


class RelativeToTheOtherRows(SpendTiers):
    """Labels who spends more than the mean of whatever table it is given."""

    def assign(self, features: FeatureTable) -> Labels:
        spend = features[self.column]
        mean = spend.mean() if len(spend) else 0
        return _labels((spend <= mean).astype(np.int16), ("high", "low"))


class NamesDependOnTheTable(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        labels = super().assign(features)
        return _labels(labels.codes, ("high", f"low (of {len(features)})"))


class FlipsEveryCall(SpendTiers):
    calls: ClassVar[Iterator[int]] = itertools.count()

    def assign(self, features: FeatureTable) -> Labels:
        labels = super().assign(features)
        return _labels(labels.codes ^ (next(self.calls) % 2), labels.names)


class RemembersTheFirstFit(MedianSplit):
    def fit(self, features: FeatureTable) -> Self:
        fitted = type(self)(**self.get_params())
        fitted.median_ = getattr(self, "median_", None) or float(np.median(features[self.column]))
        return fitted


class SortsItsOutput(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        labels = super().assign(features)
        return _labels(np.sort(labels.codes), labels.names)


class TieBreaksByPosition(MedianSplit):
    """Fits 'the first customer's spend' as cutoff: depends on the row order of the fit."""

    def _fit(self, features: FeatureTable) -> None:
        values = features[self.column]
        self.median_ = float(values[0]) if len(values) else 0.0


class BreaksOnEmptyTables(SpendTiers):
    def assign(self, features: FeatureTable) -> Labels:
        spend = features[self.column]
        _ = spend[0]
        return super().assign(features)


class CannotFitOneCustomer(MedianSplit):
    def _fit(self, features: FeatureTable) -> None:
        if len(features) < 2:
            msg = "need two customers"
            raise ValueError(msg)
        super()._fit(features)


class FitKeepsALambda(MedianSplit):
    def _fit(self, features: FeatureTable) -> None:
        super()._fit(features)
        self.above_ = lambda value: value > self.median_


class RefusesAnEmptyPopulationBadly(MedianSplit):
    def _fit(self, features: FeatureTable) -> None:
        self.median_ = float(features[self.column].max())


class RefusesAnEmptyPopulationClearly(MedianSplit):
    def _fit(self, features: FeatureTable) -> None:
        if not len(features):
            msg = "MedianSplit needs at least one customer to fit"
            raise InvalidValue(msg, code="empty_population")
        super()._fit(features)


BROKEN = [
    # (policy, the check that must catch it)
    pytest.param(NoKind(), "declares_kind", id="kind-is-not-a-kind"),
    pytest.param(RelativeIsNotABool(), "declares_kind", id="population_relative-not-bool"),
    pytest.param(NoAssign(), "declares_kind", id="no-assign-method"),
    pytest.param(
        NoDefault(threshold_fen=1), "default_constructible", id="parameter-without-default"
    ),
    pytest.param(Positional(), "default_constructible", id="positional-parameter"),
    pytest.param(
        DefaultHasOtherParams(threshold_fen=1),
        "default_constructible",
        id="params-vary-with-values",
    ),
    pytest.param(ValidatesInInit(), "no_work_in_init", id="validates-in-init"),
    pytest.param(ConvertsInInit(), "no_work_in_init", id="converts-in-init"),
    pytest.param(FitsInInit(), "no_work_in_init", id="fitted-state-in-init"),
    pytest.param(ForgetsAParam(), "params_round_trip", id="get_params-forgets-a-parameter"),
    pytest.param(ParamsAreNotADict(), "params_round_trip", id="get_params-not-a-dict"),
    pytest.param(AcceptsAnything(), "params_round_trip", id="kwargs-rebuild-differs"),
    pytest.param(SetParamsInPlace(), "set_params_equivalent_to_init", id="set_params-in-place"),
    pytest.param(
        SetParamsMutatesTheReceiver(), "set_params_equivalent_to_init", id="set_params-mutates"
    ),
    pytest.param(
        SetParamsIgnoresChanges(), "set_params_equivalent_to_init", id="set_params-ignores"
    ),
    pytest.param(
        SetParamsReturnsAnotherClass(), "set_params_equivalent_to_init", id="set_params-other-class"
    ),
    pytest.param(CloneIsSelf(), "clone", id="clone-is-self"),
    pytest.param(CloneKeepsState(), "clone", id="clone-keeps-fitted-state"),
    pytest.param(ReprShowsDefaults(), "repr", id="repr-shows-defaults"),
    pytest.param(ReprHidesChanges(), "repr", id="repr-hides-changes"),
    pytest.param(NoNotFittedError(), "unfitted_raises", id="no-NotFittedError"),
    pytest.param(FitReturnsSelf(), "fit_returns_fitted_copy", id="fit-returns-self"),
    pytest.param(FitLearnsNothing(), "fit_returns_fitted_copy", id="fit-learns-nothing"),
    pytest.param(FitChangesParams(), "fit_returns_fitted_copy", id="fit-changes-params"),
    pytest.param(FitReturnsSelf(), "fit_does_not_mutate", id="fit-mutates-receiver"),
    pytest.param(FitCountsOnTheReceiver(), "fit_does_not_mutate", id="fit-adds-attribute"),
    pytest.param(AssignCachesOnTheReceiver(), "fit_does_not_mutate", id="assign-mutates"),
    pytest.param(AssignIsNotLabels(), "output_aligned", id="output-not-labels"),
    pytest.param(AssignDropsARow(), "output_aligned", id="output-unaligned"),
    pytest.param(RelativeToTheOtherRows(), "output_aligned", id="output-depends-on-other-rows"),
    pytest.param(NamesDependOnTheTable(), "output_aligned", id="label-names-vary"),
    pytest.param(FlipsEveryCall(), "deterministic", id="not-deterministic"),
    pytest.param(
        RemembersTheFirstFit(column="spend_fen"), "fit_idempotent", id="refit-keeps-old-state"
    ),
    pytest.param(SortsItsOutput(), "row_order_invariance", id="reorders-output"),
    pytest.param(TieBreaksByPosition(), "row_order_invariance", id="fit-depends-on-row-order"),
    pytest.param(FitKeepsALambda(), "picklable", id="fitted-state-holds-a-lambda"),
    pytest.param(BreaksOnEmptyTables(), "empty_and_single_row", id="fails-on-empty-table"),
    pytest.param(CannotFitOneCustomer(), "empty_and_single_row", id="cannot-fit-one-customer"),
    pytest.param(
        RefusesAnEmptyPopulationBadly(), "empty_and_single_row", id="empty-fit-raises-numpy-error"
    ),
]


@pytest.mark.parametrize(("policy", "name"), BROKEN)
def test_each_check_catches_the_policy_that_breaks_its_rule(policy: object, name: str) -> None:
    # Each run gets its own copy: a broken policy may change itself while it is checked.
    check = dict(policy_checks(policy))[name]
    with pytest.raises(AssertionError, match=rf"fails check '{name}'\n  rule: .+\n  found: "):
        check(copy.deepcopy(policy))
    with pytest.raises(AssertionError, match="fails check"):
        check_policy(copy.deepcopy(policy))


def test_a_population_relative_policy_may_refuse_an_empty_population_with_a_library_error() -> None:
    check_policy(RefusesAnEmptyPopulationClearly())


def test_a_failure_names_the_policy_the_check_the_rule_and_what_was_found() -> None:
    with pytest.raises(AssertionError) as caught:
        check_policy(ValidatesInInit(column="visits"))
    message = str(caught.value)
    assert message.startswith("ValidatesInInit(column='visits') fails check 'no_work_in_init'")
    assert "rule: __init__ stores each parameter unchanged" in message
    assert "raised InvalidValue: threshold_fen is -100001, must be >= 0" in message


def test_a_policy_whose_repr_breaks_is_named_by_its_class() -> None:
    class BrokenRepr(SpendTiers):
        def __repr__(self) -> str:
            raise RuntimeError

    with pytest.raises(AssertionError, match=r"^BrokenRepr\(\?\) fails check 'repr'"):
        check_policy(BrokenRepr())


def test_a_policy_with_the_default_object_repr_is_named_by_its_class() -> None:
    class ObjectRepr(SpendTiers):
        __repr__ = object.__repr__

    with pytest.raises(AssertionError, match=r"^ObjectRepr\(\?\) fails check 'repr'"):
        check_policy(ObjectRepr())


def test_expected_failed_checks_are_skipped_by_check_policy() -> None:
    check_policy(ReprShowsDefaults(), expected_failed_checks={"repr": "legacy repr"})


def test_expected_failed_checks_must_name_real_checks() -> None:
    with pytest.raises(InvalidValue, match=r"no checks are named \['rper'\]"):
        check_policy(SpendTiers(), expected_failed_checks={"rper": "typo"})


@parametrize_with_policy_checks(
    [ReprShowsDefaults()],
    expected_failed_checks=lambda policy: {"repr": "shows its defaults on purpose"},
)
def test_expected_failures_become_strict_xfails(
    policy: object, check: Callable[[object], None]
) -> None:
    check(policy)


def test_parametrize_marks_only_the_expected_failures_as_xfail() -> None:
    mark = parametrize_with_policy_checks(
        [SpendTiers()], expected_failed_checks=lambda policy: {"repr": "reason"}
    )
    marked = {param.id: [m.name for m in param.marks] for param in mark.args[1]}
    assert marked["SpendTiers()-repr"] == ["xfail"]
    assert marked["SpendTiers()-clone"] == []


# ---------------------------------------------------------------- how state is compared


class Box:
    """Compared by its attributes: it has no __eq__ of its own."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Box({self.value})"


class Ambiguous:
    """Refuses ==, as a pandas DataFrame does in a boolean context."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        raise TypeError("the truth value is ambiguous")

    def __repr__(self) -> str:
        return f"Ambiguous({self.value})"


class Uncopyable:
    def __deepcopy__(self, memo: object) -> Uncopyable:
        raise TypeError("cannot copy")

    def __repr__(self) -> str:
        return "Uncopyable()"


class Holder(SpendTiers):
    """A plain policy holding one more parameter, which its fit may ``touch``."""

    def __init__(
        self,
        *,
        threshold_fen: int = 100_000,
        column: str = "spend_fen",
        held: object = None,
        touch: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(threshold_fen=threshold_fen, column=column)
        self.held = held
        self.touch = touch

    def get_params(self) -> dict[str, Any]:
        return super().get_params() | {"held": self.held, "touch": self.touch}

    def fit(self, features: FeatureTable) -> Self:
        if self.touch is not None:
            self.touch(self)
        return self.clone()


def _cyclic() -> Box:
    box = Box(1)
    box.me = box  # type: ignore[attr-defined]
    return box


def _set(value: object) -> Callable[[Any], None]:
    return lambda policy: setattr(policy, "held", value)


@pytest.mark.parametrize(
    ("held", "touch", "mutates"),
    [
        (float("nan"), _set(float("nan")), False),  # another NaN is the same value
        (2.0, _set(2), False),  # an equal value of another type
        (Box(1), None, False),  # a copy of a plain object equals it by its attributes
        (Box(1), lambda p: setattr(p.held, "value", 2), True),  # changed in place
        ([3, 1, 2], lambda p: p.held.sort(), True),  # a list parameter sorted in place
        (np.zeros(3), _set(np.zeros((3, 1))), True),  # an array reshaped
        (Ambiguous(1), None, False),  # == refuses: compared as pickled
        (Ambiguous(1), _set(Ambiguous(2)), True),
        (Uncopyable(), None, False),  # cannot be copied: compared by identity
        (_cyclic(), None, False),  # an object that refers to itself
    ],
)
def test_fit_is_checked_for_changes_to_the_receivers_state(
    held: object, touch: Callable[[Any], None] | None, mutates: bool
) -> None:
    policy = Holder(held=held, touch=touch)
    check = dict(policy_checks(policy))["fit_does_not_mutate"]
    if mutates:
        with pytest.raises(AssertionError, match=r"found: fit changed \['held'\]"):
            check(policy)
    else:
        check(policy)


def test_a_table_without_vehicle_features_can_be_used(small_features: FeatureTable) -> None:
    assert small_features.vehicles is not None
    check_policy(SpendTiers(column="visits"), small_features.vehicles)


# ---------------------------------------------------------------- the registry as data


def test_every_alias_stands_for_a_built_in() -> None:
    assert set(ALIASES.values()) <= set(BUILT_INS)
    assert not set(ALIASES) & set(BUILT_INS)


@pytest.mark.parametrize("name", [*BUILT_INS, *ALIASES])
def test_registered_names_are_lower_snake_case(name: str) -> None:
    assert name == name.lower().replace("-", "_").strip()
    assert name.isidentifier()


@pytest.mark.parametrize("target", list(BUILT_INS.values()))
def test_every_target_is_a_module_and_a_class(target: str) -> None:
    module, sep, attribute = target.partition(":")
    assert sep == ":"
    assert module.startswith("aftersales_crm.")
    assert attribute[0].isupper()


def test_the_registry_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        BUILT_INS["mine"] = "my:Policy"  # type: ignore[index]


@pytest.mark.parametrize("name", list(BUILT_INS))
def test_every_built_in_resolves_to_a_policy_class_of_a_declared_kind(name: str) -> None:
    module, _, attribute = BUILT_INS[name].partition(":")
    cls = getattr(importlib.import_module(module), attribute)
    assert isinstance(cls, type)
    assert getattr(cls, "kind", None) in policy_kinds()
    policy = get_policy(name)
    assert type(policy) is cls
    # the verbs of its kind, whatever the kind reads (features, facts, a ledger)
    verbs = ("get_params", "set_params", *policy_kind(cls.kind).verbs)
    assert all(callable(getattr(policy, verb, None)) for verb in verbs)
    spec = policy_kind(cls.kind)
    if spec.reads is Reads.FEATURES and "assign" in spec.verbs:  # labels per customer
        assert isinstance(policy, Policy)
    protocol = policy_kind(cls.kind).protocol
    if protocol is not None:  # a kind with a protocol: its built-ins satisfy it
        assert isinstance(policy, protocol)


def _policy_modules() -> list[str]:
    """The modules the built-ins live in, read from the registry."""
    return sorted({target.partition(":")[0] for target in BUILT_INS.values()})


def test_every_kind_the_library_declares_has_a_built_in() -> None:
    # the library's kinds are the module constants of the kinds registry
    declared = {
        spec.name for spec in vars(_kinds).values() if isinstance(spec, policies.PolicyKindSpec)
    }
    assert declared >= {"tier", "points", "level", "card"}
    assert declared <= {get_policy(name).kind for name in BUILT_INS}


@pytest.mark.parametrize("module", _policy_modules())
def test_every_policy_class_a_module_exports_is_registered(module: str) -> None:
    exported = importlib.import_module(module)
    registered = {t for t in BUILT_INS.values() if t.startswith(f"{module}:")}
    classes = {
        f"{module}:{name}"
        for name in exported.__all__
        if isinstance(getattr(exported, name), type)
        and getattr(getattr(exported, name), "kind", None) in policy_kinds()
    }
    assert classes == registered


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("pareto_abc", "pareto_abc"),  # the name itself
        ("ABC", "pareto_abc"),  # an alias, in capitals
        ("Pareto", "pareto_abc"),
        ("quantile-tiers", "quantile_tiers"),  # - equals _
        ("Loyal-Swinging-Lost", "service_interval_status"),
        (" matrix ", "loyalty_value_matrix"),  # surrounding spaces
    ],
)
def test_names_are_case_insensitive_and_aliases_resolve(name: str, canonical: str) -> None:
    attribute = BUILT_INS[canonical].partition(":")[2]
    assert type(get_policy(name)).__name__ == attribute


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("pareto-abx", "did you mean 'pareto_abc' or 'pareto_nbd' or 'pareto'?"),  # a typo
        ("thresholds_tier", "did you mean 'threshold_tiers' or 'thresholds'?"),  # a plural
        ("RFM-scores", "did you mean 'rfm_score'?"),
        (
            "xyzzy",
            "the policies are all_of, annual_inspection, any_of, ",
        ),  # nothing close: all
    ],
)
def test_an_unknown_name_is_a_lookup_error_suggesting_close_names(
    name: str, suggestion: str
) -> None:
    with pytest.raises(UnknownPolicyError) as caught:
        get_policy(name)
    assert str(caught.value).startswith(f"no policy is named {name!r}; {suggestion}")
    assert isinstance(caught.value, LookupError)


def test_policy_names_lists_every_built_in_sorted() -> None:
    names = policy_names()
    assert set(BUILT_INS) <= set(names)
    assert names == sorted(names)
    assert not set(ALIASES) & set(names)


# ---------------------------------------------------------------- plugins


@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    policies._plugins.cache_clear()
    yield
    policies._plugins.cache_clear()


def _entry_point(name: str, value: str) -> importlib.metadata.EntryPoint:
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


class _Dist(NamedTuple):
    name: str
    version: str


class _InstalledEntryPoint(NamedTuple):
    """An entry point with its distribution, as installed packages have."""

    name: str
    value: str
    dist: _Dist


def _install(monkeypatch: pytest.MonkeyPatch, *found: object) -> list[str]:
    """Make entry_points() return ``found`` for our group; returns the groups it was asked for."""
    asked: list[str] = []
    module = types.ModuleType("fake_aftersales_plugin")
    module.SpendTiers = SpendTiers  # type: ignore[attr-defined]
    module.MedianSplit = MedianSplit  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_aftersales_plugin", module)

    def entry_points(*, group: str) -> list[object]:
        asked.append(group)
        return list(found) if group == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return asked


@pytest.mark.usefixtures("fresh_plugins")
def test_a_plugin_is_found_by_name_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _entry_point("Spend-Tiers", "fake_aftersales_plugin:SpendTiers"))
    policy = get_policy("SPEND_TIERS", threshold_fen=7)
    assert isinstance(policy, SpendTiers)
    assert policy.threshold_fen == 7
    assert "spend_tiers" in policy_names()


@pytest.mark.usefixtures("fresh_plugins")
def test_plugins_are_read_once_and_only_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch, _entry_point("spend_tiers", "fake_aftersales_plugin:SpendTiers"))
    with pytest.raises(UnknownPolicyError):
        get_policy("no_such_policy")
    policy_names()
    get_policy("spend_tiers")
    assert asked == [ENTRY_POINT_GROUP]


@pytest.mark.usefixtures("fresh_plugins")
def test_a_built_in_name_never_reads_the_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch)
    assert type(get_policy("abc")).__name__ == "ParetoABC"
    assert asked == []


@pytest.mark.usefixtures("fresh_plugins")
def test_the_same_plugin_listed_twice_is_one_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    target = "fake_aftersales_plugin:SpendTiers"
    _install(monkeypatch, _entry_point("spend_tiers", target), _entry_point("spend-tiers", target))
    assert policy_names().count("spend_tiers") == 1


@pytest.mark.parametrize(
    ("entry_points", "message"),
    [
        # a plugin taking a built-in's name
        (
            [_entry_point("Pareto-ABC", "fake_aftersales_plugin:SpendTiers")],
            (
                "plugin policy 'pareto_abc' (entry point Pareto-ABC = 'fake_aftersales_plugin:SpendTiers')"
                " clashes with the built-in policy 'pareto_abc'; rename the entry point"
            ),
        ),
        # a plugin taking a built-in's alias, from an installed distribution
        (
            [
                _InstalledEntryPoint(
                    "matrix", "fake_aftersales_plugin:SpendTiers", _Dist("acme-crm", "1.2")
                )
            ],
            (
                "plugin policy 'matrix' (entry point matrix = 'fake_aftersales_plugin:SpendTiers' of"
                " acme-crm 1.2) clashes with the built-in alias 'matrix' of 'loyalty_value_matrix'"
            ),
        ),
        # two plugins taking the same name
        (
            [
                _entry_point("tiers", "fake_aftersales_plugin:SpendTiers"),
                _entry_point("TIERS", "fake_aftersales_plugin:MedianSplit"),
            ],
            (
                "plugin policy 'tiers' is registered twice: entry point tiers ="
                " 'fake_aftersales_plugin:SpendTiers' and entry point TIERS ="
                " 'fake_aftersales_plugin:MedianSplit'; rename one of them"
            ),
        ),
    ],
)
@pytest.mark.usefixtures("fresh_plugins")
def test_a_plugin_name_clash_is_an_error(
    monkeypatch: pytest.MonkeyPatch, entry_points: list[object], message: str
) -> None:
    _install(monkeypatch, *entry_points)
    with pytest.raises(PolicyNameClash) as caught:
        policy_names()
    assert str(caught.value).startswith(message)
    with pytest.raises(PolicyNameClash):
        get_policy("no_such_policy")


def test_a_name_clash_is_a_lookup_error_of_the_library() -> None:
    assert issubclass(PolicyNameClash, AftersalesError)
    assert issubclass(PolicyNameClash, LookupError)
    assert PolicyNameClash.code == "policy_name_clash"


def _test_plugin_installed() -> bool:
    return any(
        ep.name == "top_spenders" for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    )


@pytest.mark.skipif(
    not _test_plugin_installed(),
    reason="the test plugin is not installed: `make test` installs it"
    " (pip install --no-deps --no-build-isolation ./tests/plugin)",
)
@pytest.mark.usefixtures("fresh_plugins")
def test_the_installed_test_plugin_is_a_policy_that_passes_every_check() -> None:
    (entry_point,) = [
        ep
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.name == "top_spenders"
    ]
    assert entry_point.dist is not None
    assert entry_point.dist.name == "aftersales-crm-test-plugin"
    policy = get_policy("Top-Spenders", share=0.1)
    assert repr(policy) == "TopSpenders(share=0.1)"
    assert "top_spenders" in policy_names()
    check_policy(policy)
    check_policy(get_policy("top_spenders"))


# ---------------------------------------------------------------- Labels and BasePolicy


@pytest.mark.parametrize("codes", [[0, 2], [-2, 0]])
def test_label_codes_must_index_the_names(codes: list[int]) -> None:
    with pytest.raises(InvalidValue, match=r"label codes must lie in -1\.\.1") as info:
        Labels(np.array(codes), ("a", "b"))
    assert info.value.code == "label_code"


def test_chinese_names_match_the_names_one_for_one() -> None:
    with pytest.raises(InvalidValue, match="1 Chinese names for 2 labels") as info:
        Labels(np.array([0, 1]), ("a", "b"), ("甲",))
    assert info.value.code == "label_names"


def test_labels_equal_by_names_and_codes_and_hash_alike() -> None:
    one = Labels(np.array([0, 1, -1]), ("a", "b"))
    same = Labels(np.array([0, 1, -1], dtype=np.int64), ["a", "b"])
    assert one == same
    assert hash(one) == hash(same)
    assert one != Labels(np.array([0, 0, -1]), ("a", "b"))
    assert one != Labels(np.array([0, 1, -1]), ("a", "c"))
    assert one != [0, 1, -1]  # not labels: compared by identity, so unequal


def test_set_params_refuses_an_unknown_parameter() -> None:
    with pytest.raises(InvalidValue, match=r"ParetoABC has no parameters \['share'\]") as info:
        get_policy("pareto_abc").set_params(share=(0.5, 0.5))
    assert info.value.code == "unknown_parameter"


def test_get_policy_overloads_give_each_built_in_name_and_alias_its_class() -> None:
    # The typed overloads of get_policy are written out by hand: they must name every
    # built-in and alias, each with the class the registry builds for it.
    typed: dict[str, str] = {}
    for overload in typing.get_overloads(get_policy):
        annotations = overload.__annotations__
        names = re.fullmatch(r"Literal\[(.*)\]", annotations["name"])
        if names is None:
            assert (annotations["name"], annotations["return"]) == ("str", "Policy")
            continue
        for name in ast.literal_eval(f"({names.group(1)},)"):
            typed[name] = annotations["return"]
    expected = {name: target.partition(":")[2] for name, target in BUILT_INS.items()}
    expected |= {alias: expected[name] for alias, name in ALIASES.items()}
    assert typed == expected
