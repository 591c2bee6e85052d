"""The junk sweep: every public function, class and method, called with junk, raises only
the library's own errors.

The sweep finds its targets itself: it walks the ``__all__`` of every public module of the
package, so whatever a later change exports is swept too. Each target is called with junk
for its required parameters (and, now and then, for its optional ones): None, values of
the wrong type, NaN, infinities, integers beyond int64, empty containers, booleans,
``Decimal("NaN")``, bare objects. Whatever comes out must be an
:class:`~aftersales_crm.errors.AftersalesError` (which also subclasses the builtin a caller
catches), or, for a record (a pydantic model), pydantic's ``ValidationError``, the
documented way records report bad fields. A bare ``TypeError``, ``AttributeError``,
``OverflowError``, ``IndexError``, a numpy error, a recursion error or a call that does not
return within seconds fails the sweep.

Methods are swept on one cheap valid instance of each class that has one (money, a
mileage, a place, a Book, the tables, a feature table, the policy outputs, every built-in
policy).
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import inspect
import math
import pkgutil
import signal
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aftersales_crm
from aftersales_crm import calendars, care, features, satisfaction, synthetic
from aftersales_crm.errors import AftersalesError, ConvergenceError, MissingDependencyError
from aftersales_crm.policies import BUILT_INS, Labels, Reads, Scores, get_policy, policy_kind
from aftersales_crm.tables import Tables
from aftersales_crm.testing import check_policy
from aftersales_crm.values import GeoPoint, Mileage, Money

# ------------------------------------------------------------------ junk

JUNK: tuple[object, ...] = (
    None,
    "",
    "junk",
    "\x00",
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    10**30,
    -(10**30),
    0,
    -1,
    [],
    {},
    (),
    True,
    False,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("1e999999999"),
    object(),
    b"x",
    np.float64("nan"),
    np.array([1, 2]),
    np.array([], dtype=object),
    [None],
    {"x": None},
)
"""The junk every parameter is tried with."""

junk = st.sampled_from(JUNK)

# ------------------------------------------------------------------ what may come out

ALLOWED: tuple[type[BaseException], ...] = (AftersalesError,)
"""What every public target may raise on junk: the library's own errors."""

RECORD_ALLOWED: tuple[type[BaseException], ...] = (AftersalesError, pydantic.ValidationError)
"""What a record (a pydantic model) may raise: pydantic reports bad fields, with our codes."""

KIT_ALLOWED: tuple[type[BaseException], ...] = (AftersalesError, AssertionError)
"""What the conformance kit may raise: it reports a policy failing a check with an
AssertionError, as pytest expects (junk is a policy that fails ``declares_kind``)."""

HANG_SECONDS = 5.0
"""A call on junk that has not returned after this long hangs (junk should fail fast)."""

# ------------------------------------------------------------------ what is not swept

SKIPPED: dict[str, str] = {}
"""Targets left out on purpose, by qualified name (a module name leaves out all of it)."""


def _excluded(name: str) -> bool:
    return any(name == skipped or name.startswith(skipped + ".") for skipped in SKIPPED)


# ------------------------------------------------------------------ the targets


@dataclass(frozen=True)
class Target:
    """One public callable and how to call it."""

    name: str
    call: Callable[..., Any]
    allowed: tuple[type[BaseException], ...] = ALLOWED


def _public_modules() -> list[types.ModuleType]:
    walked = pkgutil.walk_packages(aftersales_crm.__path__, prefix="aftersales_crm.")
    public = [i.name for i in walked if not any(p.startswith("_") for p in i.name.split(".")[1:])]
    return [aftersales_crm, *(importlib.import_module(name) for name in public)]


def _ours(obj: object) -> bool:
    return getattr(obj, "__module__", "").startswith("aftersales_crm")


def _sweepable_class(cls: type) -> bool:
    """A class the sweep constructs: not an error, an enum, a protocol or abstract."""
    return not (
        issubclass(cls, BaseException)  # raising one is its purpose
        or issubclass(cls, enum.Enum)  # Enum(value) is Python's lookup, ValueError by contract
        or getattr(cls, "_is_protocol", False)  # protocols cannot be instantiated
        or inspect.isabstract(cls)
    )


def _exported(*, skip: bool = True) -> Iterator[tuple[str, object]]:
    """Every public function and class, once, under the name of its first export."""
    seen: set[int] = set()
    for module in _public_modules():
        for name in sorted(getattr(module, "__all__", ())):
            obj = getattr(module, name)
            qualified = f"{module.__name__}.{name}"
            if id(obj) in seen or not _ours(obj) or (skip and _excluded(qualified)):
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and _sweepable_class(obj)):
                seen.add(id(obj))
                yield qualified, obj


def _allowed_for(obj: object) -> tuple[type[BaseException], ...]:
    if inspect.isclass(obj) and issubclass(obj, pydantic.BaseModel):
        return RECORD_ALLOWED
    if obj is check_policy:
        return KIT_ALLOWED
    return ALLOWED


def _class_methods(cls: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public classmethods and staticmethods a class defines in the package."""
    for name, raw in vars(cls).items():
        if name.startswith("_") or not isinstance(raw, classmethod | staticmethod):
            continue
        bound = getattr(cls, name)
        if _ours(raw.__func__):
            yield name, bound


def _instance_methods(instance: object) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public methods an instance's class defines in the package (pydantic's are not)."""
    for name in dir(type(instance)):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(instance, name)
        if isinstance(raw, classmethod | staticmethod | property):
            continue
        if inspect.isfunction(raw) and _ours(raw):
            yield name, getattr(instance, name)


AS_OF = date(2026, 6, 30)
BOOK = synthetic.book(8, seed=3)
TABLES = synthetic.tables(8, seed=3)
FEATURES = features.compute(BOOK, as_of=AS_OF)
BOOK_TABLES = Tables.from_book(BOOK)


def _input(kind: str) -> Any:
    """What a policy of ``kind`` reads: the features, or the sample its kind declares."""
    spec = policy_kind(kind)
    return FEATURES if spec.reads is Reads.FEATURES else spec.sample_input()


def _instances() -> Iterator[tuple[str, object]]:
    """One cheap valid instance of each class whose methods are swept."""
    yield "Money", Money.parse("¥12.50")
    yield "Mileage", Mileage(15_000)
    yield "GeoPoint", GeoPoint(31.2, 121.5)
    yield "Book", BOOK
    yield "Tables", TABLES
    yield "FeatureTable", FEATURES
    yield "Labels", Labels(np.array([0, 1, -1]), ("A", "B"))
    yield "Scores", Scores(np.array([0.5, 1.0, math.nan]))
    yield "GapReport", satisfaction.gap_report(BOOK_TABLES, as_of=AS_OF)
    yield (
        "BeliefGap",
        satisfaction.belief_gap(
            satisfaction.Responses.from_tables(BOOK_TABLES),
            satisfaction.Responses.from_staff_tables(BOOK_TABLES),
        ),
    )
    yield "WeekendCalendar", calendars.WeekendCalendar()
    yield "LunarDate", calendars.LunarDate(2020, 4, 8, leap=True)
    yield "Festival", calendars.Festival.MID_AUTUMN
    with contextlib.suppress(MissingDependencyError):  # the holidays extra
        yield "PublicHolidays", calendars.PublicHolidays("CN")
    yield "FollowUpKpis", care.followup_kpis(BOOK, as_of=date(2026, 6, 30), by=["dealer"])
    yield "MasterDataQuality", care.master_data_quality(BOOK, as_of=date(2026, 6, 30))
    for name in BUILT_INS:
        policy = get_policy(name)
        yield f"policy {name}", policy
        if not policy_kind(policy.kind).fits:  # a points or level rule: nothing to fit
            continue
        try:
            fitted = policy.fit(_input(policy.kind))
        except ConvergenceError:  # a churn model on the kit's small sample says why it cannot
            continue
        yield f"fitted policy {name}", fitted
        for verb in ("report", "matrix"):  # the reports policies give, with their own methods
            if hasattr(fitted, verb):
                make = getattr(fitted, verb)
                reads = bool(inspect.signature(make).parameters)
                yield f"{name}.{verb}()", make(FEATURES) if reads else make()


def _fitted_after(cls: type) -> Callable[..., Any]:
    """Build a policy with the given parameters, then fit it (if its kind fits) and run it.

    Policies follow scikit-learn: the constructor stores its parameters and does no work,
    so junk parameters must be refused (with the library's errors) when the policy is used,
    on what its kind reads (the features, or the facts of its kind's sample).
    """

    def build_fit_run(*args: Any, **kwargs: Any) -> None:
        policy = cls(*args, **kwargs)
        spec = policy_kind(policy.kind)
        data = _input(policy.kind)
        spec.run(policy.fit(data) if spec.fits else policy, data)

    build_fit_run.__signature__ = inspect.signature(cls)  # type: ignore[attr-defined]
    return build_fit_run


def _targets(*, skip: bool = True) -> list[Target]:
    targets: list[Target] = []
    for name, obj in _exported(skip=skip):
        allowed = _allowed_for(obj)
        targets.append(Target(name, obj, allowed))  # type: ignore[arg-type]
        if inspect.isclass(obj):
            for method, bound in _class_methods(obj):
                if not (skip and _excluded(f"{name}.{method}")):
                    targets.append(Target(f"{name}.{method}", bound, allowed))
    for name in BUILT_INS:
        cls = type(get_policy(name))
        targets.append(Target(f"{cls.__name__}(junk).fit", _fitted_after(cls)))
    for label, instance in _instances():
        for method, bound in _instance_methods(instance):
            if not (skip and _excluded(f"{label}.{method}")):
                targets.append(Target(f"{label}.{method}", bound))
    return targets


TARGETS = _targets()

# ------------------------------------------------------------------ calling


class Hang(Exception):
    """A call on junk that did not return in time."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _parameters(call: Callable[..., Any]) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(call)
    except (TypeError, ValueError):  # a builtin without a signature takes nothing we know
        return []
    return [
        p
        for p in signature.parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


def _arguments(
    call: Callable[..., Any], data: st.DataObject
) -> tuple[list[object], dict[str, object]]:
    """Junk for every required parameter, and now and then for an optional one."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for parameter in _parameters(call):
        required = parameter.default is inspect.Parameter.empty
        if not required and not data.draw(st.booleans(), label=f"set {parameter.name}"):
            continue
        value = data.draw(junk, label=parameter.name)
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY or (
            required and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and not kwargs
        ):
            args.append(value)
        else:
            kwargs[parameter.name] = value
    return args, kwargs


def _call(target: Target, args: list[object], kwargs: dict[str, object]) -> None:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        target.call(*args, **kwargs)
    except target.allowed:
        pass
    except Hang:
        pytest.fail(f"{target.name}(*{args!r:.200}, **{kwargs!r:.200}) hangs")
    except BaseException as err:  # anything else is the finding
        pytest.fail(
            f"{target.name}(*{args!r:.200}, **{kwargs!r:.200}) raised "
            f"{type(err).__module__}.{type(err).__qualname__}: {err!s:.300}"
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------ the sweep


def test_the_sweep_finds_the_public_surface() -> None:
    names = {target.name for target in TARGETS}
    # A few landmarks of each layer: if the walk broke, these would be missing.
    assert {
        "aftersales_crm.values.Money",
        "aftersales_crm.values.Money.parse",
        "aftersales_crm.values.vin.is_valid",
        "aftersales_crm.features.compute",
        "aftersales_crm.synthetic.book",
        "Book.consents_to",
        "Money.allocate",
        "fitted policy pareto_abc.assign",
    } <= names
    assert len(TARGETS) > 200


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_raises_only_the_librarys_errors(target: Target, data: st.DataObject) -> None:
    args, kwargs = _arguments(target.call, data)
    _call(target, args, kwargs)


@pytest.fixture(autouse=True)
def _one_settings_per_target() -> Iterator[None]:
    """The sweep's settings as declared, for every target.

    hypothesis's pytest plugin (6.170) wraps the settings of a parametrized ``@given`` test
    in a new settings object at each parameter, on the test function itself. Over the
    sweep's 900-odd targets that chain of settings grew past Python's recursion limit and a
    late target failed with a RecursionError inside hypothesis (under pytest-xdist, whose
    worker starts deeper in the stack). Putting the declared settings back after each
    target keeps the chain one wrapper long.
    """
    test = test_junk_raises_only_the_librarys_errors
    declared = test._hypothesis_internal_use_settings
    yield
    test._hypothesis_internal_use_settings = declared


def test_every_skip_names_a_target() -> None:
    everything = {target.name for target in _targets(skip=False)}
    for name in SKIPPED:
        assert name in everything, f"{name} is skipped but is no target (a stale skip)"
