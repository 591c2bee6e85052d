"""The policy conformance kit: each rule of the policy contract as a named check.

scikit-learn's ``check_estimator`` and ``parametrize_with_checks``, for policies. The checks
use only the public protocol (``kind``, ``population_relative``, ``get_params``,
``set_params``, the verbs of the policy's kind, and ``clone`` when there is one), so a plain
class that does not inherit [`BasePolicy`][aftersales_crm.policies.BasePolicy] is checked the same
way. Which checks run, on what input and how the policy is called come from the declaration
of the policy's kind ([`policy_kind`][aftersales_crm.policies.policy_kind]): the shared checks apply
to every kind, the ``rows`` checks to kinds that give one result per row and the ``folds``
checks to kinds that fold facts into state, the ``ledger`` checks to kinds whose results
are ledger-shaped (points awards: one per source, none after ``as_of``), and the ``scores``
checks to survey scorers (scores within their bounds, a response without answers missing).
A policy with the optional ``prepare`` method gets ``prepare_changes_nothing`` when its
kind's runner can call it first (contact rules): the same results prepared or not.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import inspect
import math
import pickle
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import policies as _policies
from aftersales_crm._args import tuple_of
from aftersales_crm.errors import AftersalesError, InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import (
    CheckFamily,
    FactSample,
    Labels,
    PolicyKindSpec,
    Scores,
    policy_kinds,
)

if TYPE_CHECKING:
    import pytest

__all__ = ["check_policy", "parametrize_with_policy_checks", "policy_checks"]

_PERMUTATION_SEED: Final = 0
"""Seed of the row and fact permutations of the order checks."""

_PERMUTATIONS: Final = 3
"""How many orders of arrival the fold checks try."""

_REPEATED: Final = 5
"""How many single facts the fold checks repeat, spread over the sample."""

_ONE_DAY: Final = timedelta(days=1)

_MISSING_INPUT: Final = frozenset({"missing_feature", "unknown_column", "unknown_feature"})
"""Codes of the errors a policy raises when its input lacks what it reads."""

# ---------------------------------------------------------------- helpers


def _require(condition: object, detail: str) -> None:
    """Fail the running check with ``detail`` unless ``condition`` holds.

    Not a bare ``assert``, which ``python -O`` would remove.
    """
    if not condition:
        raise AssertionError(detail)


def _label(policy: object) -> str:
    """``ClassName(params)`` when the policy's repr has that form, else the class name."""
    name = type(policy).__name__
    try:
        text = repr(policy)
    except Exception:  # a broken repr must not hide the check that failed
        return f"{name}(?)"
    return text if text.startswith(f"{name}(") else f"{name}(?)"


def _equal(a: Any, b: Any, seen: set[tuple[int, int]] | None = None) -> bool:
    """Value equality through containers, numpy arrays, NaN and plain objects' state."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        left, right = np.asarray(a), np.asarray(b)
        if left.shape != right.shape:
            return False
        try:
            return bool(np.array_equal(left, right, equal_nan=True))
        except TypeError:  # text and object arrays have no NaN
            return bool(np.array_equal(left, right))
    if type(a) is not type(b):
        return _scalar_equal(a, b)
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    own_eq: object = type(a).__eq__
    if not isinstance(a, Mapping | list | tuple) and (
        own_eq is not object.__eq__ or not hasattr(a, "__dict__")
    ):
        return _scalar_equal(a, b)
    seen = set() if seen is None else seen
    if (id(a), id(b)) in seen:  # a cycle: equal unless something else differs
        return True
    seen.add((id(a), id(b)))
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k], seen) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_equal(x, y, seen) for x, y in zip(a, b, strict=True))
    return _equal(vars(a), vars(b), seen)


def _scalar_equal(a: Any, b: Any) -> bool:
    with contextlib.suppress(Exception):
        same = a == b
        if isinstance(same, bool | np.bool_):
            return bool(same)
    # == raised or gave no bool (a DataFrame, say): compare what pickle sees instead.
    try:
        return pickle.dumps(a) == pickle.dumps(b)
    except Exception:  # neither comparable nor picklable: not known to be equal
        return False


def _odd(value: Any) -> Any:
    """A value of the same type as ``value`` that no sensible validation would accept.

    Used to show that ``__init__`` stores its parameters without validating them: negative
    numbers, reversed text, reversed sequences of odd items, another enum member.
    """
    if isinstance(value, bool | np.bool_):
        return not value
    if isinstance(value, enum.Enum):
        others = [member for member in type(value) if member is not value]
        return others[-1] if others else value
    if isinstance(value, int | float | Decimal | np.number):
        return -value - 1
    if isinstance(value, str):
        return value[::-1] + "?"
    if isinstance(value, date):
        return type(value).min if value != type(value).min else type(value).max
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_odd(item) for item in reversed(value))
    if isinstance(value, list):
        return [_odd(item) for item in reversed(value)]
    if isinstance(value, dict):
        return {key: _odd(item) for key, item in value.items()}
    return value


def _params(policy: Any) -> dict[str, Any]:
    params = policy.get_params()
    _require(isinstance(params, dict), f"get_params() returned {type(params).__name__}, not a dict")
    return dict(params)


def _keyword_names(cls: type) -> tuple[list[str], bool]:
    """The keyword parameters of ``cls``'s constructor, and whether it takes ``**kwargs``."""
    parameters = inspect.signature(cls).parameters.values()
    names = [p.name for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD]
    return names, any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _fitted_state(policy: object) -> list[str]:
    """The public trailing-underscore attributes of ``policy`` (what fit learned)."""
    return sorted(
        name
        for name in getattr(policy, "__dict__", {})
        if name.endswith("_") and not name.startswith("_")
    )


def _ready(policy: Any, spec: PolicyKindSpec, sample: Any) -> Any:
    """The policy ready to run: fitted on ``sample`` if it is population-relative."""
    return spec.fit(policy, sample)


def _public_name(cls: type) -> str:
    """The name users import a result type by.

    ``aftersales_crm.policies.Labels`` for the result types the policies module exports,
    ``aftersales_crm.membership.Awards`` for those a package exports from a private module.
    """
    if getattr(_policies, cls.__name__, None) is cls:
        return f"aftersales_crm.policies.{cls.__name__}"
    package, _, module = cls.__module__.rpartition(".")
    if module.startswith("_") and getattr(sys.modules.get(package), cls.__name__, None) is cls:
        return f"{package}.{cls.__qualname__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _nouns(result: object) -> str:
    return "scores" if isinstance(result, Scores) else "labels"


def _run(policy: Any, spec: PolicyKindSpec, sample: Any, what: str = "") -> Any:
    """The result of the ready ``policy`` on ``sample``, checked against the kind's result type."""
    what = what or spec.verbs[-1]
    result = spec.run(policy, sample)
    _require(
        isinstance(result, spec.result_type),
        f"{what} returned {type(result).__name__}, not {_public_name(spec.result_type)}",
    )
    if CheckFamily.ROWS in spec.checks:
        _require(
            len(result) == len(sample),
            f"{what} returned {len(result)} {_nouns(result)} for {len(sample)} rows",
        )
    return result


def _same_result(got: Any, expected: Any, what: str) -> None:
    """Fail with the rows (or values) that differ unless ``got`` equals ``expected``."""
    if isinstance(got, Labels) and isinstance(expected, Labels):
        _same_labels(got, expected, what)
    elif isinstance(got, Scores) and isinstance(expected, Scores):
        _same_scores(got, expected, what)
    elif not _equal(got, expected):
        msg = f"{what}: got {_short(got)}, expected {_short(expected)}"
        raise AssertionError(msg)


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same_labels(got: Labels, expected: Labels, what: str) -> None:
    if got == expected:
        return
    if got.names != expected.names:
        msg = f"{what}: label names {got.names} differ from {expected.names}"
        raise AssertionError(msg)
    rows = np.flatnonzero(got.codes != expected.codes)
    first = rows[:5]
    msg = (
        f"{what}: {len(rows)} of {len(got)} rows differ; rows {first.tolist()} got"
        f" {got.values()[first].tolist()}, expected {expected.values()[first].tolist()}"
    )
    raise AssertionError(msg)


def _same_scores(got: Scores, expected: Scores, what: str) -> None:
    if got == expected:
        return
    if len(got) != len(expected) or got.name != expected.name:
        msg = f"{what}: {len(got)} scores named {got.name!r}, expected {len(expected)} named {expected.name!r}"
        raise AssertionError(msg)
    same = (got.values == expected.values) | (np.isnan(got.values) & np.isnan(expected.values))
    if got.ids is not None and expected.ids is not None:
        same &= got.ids == expected.ids
    rows = np.flatnonzero(~same)
    first = rows[:5]
    msg = (
        f"{what}: {len(rows)} of {len(got)} rows differ; rows {first.tolist()} got"
        f" {got.values[first].tolist()}, expected {expected.values[first].tolist()}"
    )
    raise AssertionError(msg)


def _same_rows(got: Any, expected: Any, what: str) -> None:
    """Fail with how many rows differ and the first of them unless ``got`` equals ``expected``.

    For results of one row per item judged that have ``take`` (verdicts, one per task);
    other results fail as ``_same_result`` shows them.
    """
    if _equal(got, expected):
        return
    rows: list[int] = []
    if (
        type(got) is type(expected)
        and callable(getattr(got, "take", None))
        and hasattr(got, "__len__")
        and len(got) == len(expected)
    ):
        rows = [i for i in range(len(got)) if not _equal(got.take([i]), expected.take([i]))]
    if not rows:
        _same_result(got, expected, what)
        return
    first = rows[0]
    msg = (
        f"{what}: {len(rows)} of {len(got)} rows of the {type(got).__name__} differ; the first,"
        f" row {first}, got {_row_text(got, first)}; expected {_row_text(expected, first)}"
    )
    raise AssertionError(msg)


def _row_text(result: Any, row: int) -> str:
    """Row ``row`` of a result on one line: its DataFrame row's ``name value`` pairs, or its repr."""
    one = result.take([row])
    with contextlib.suppress(Exception):  # no pandas, or no to_pandas: the repr will do
        return ", ".join(f"{name} {value}" for name, value in one.to_pandas().iloc[0].items())
    return " ".join(repr(one).split())


def _snapshot(obj: Any) -> dict[str, Any]:
    state = dict(getattr(obj, "__dict__", {}))
    try:
        return copy.deepcopy(state)
    except Exception:  # uncopyable state is compared by identity only
        return state


def _input_snapshot(sample: Any) -> list[tuple[str, Any]]:
    """The columns of a FeatureTable (and its vehicles), or a copy of any other input."""
    if not isinstance(sample, FeatureTable):
        with contextlib.suppress(Exception):  # uncopyable input is compared by identity only
            return [("input", copy.deepcopy(sample))]
        return [("input", sample)]
    tables = [("", sample)]
    if sample.vehicles is not None:
        tables.append(("vehicles.", sample.vehicles))
    return [
        (prefix + name, np.array(column, copy=True))
        for prefix, table in tables
        for name, column in [("ids", table.ids), *table.columns.items()]
    ]


def _unchanged(before: Any, after: Any, what: str) -> None:
    if isinstance(before, dict):
        _require(
            before.keys() == after.keys(),
            f"{what} changed its attributes {sorted(set(before) ^ set(after))}",
        )
        changed = [name for name in before if not _equal(before[name], after[name])]
        _require(not changed, f"{what} changed {changed}")
    else:
        changed = [a for (a, x), (_, y) in zip(before, after, strict=True) if not _equal(x, y)]
        _require(not changed, f"{what} changed the input {changed}")


# ---------------------------------------------------------------- the shared checks


def _check_declares_kind(policy: Any, spec: PolicyKindSpec | None, sample: Any) -> None:
    cls = type(policy)
    kind = getattr(cls, "kind", None)
    if spec is None:
        msg = f"kind is {kind!r}, expected one of {sorted(policy_kinds())}"
        raise AssertionError(msg)
    relative = getattr(cls, "population_relative", None)
    _require(isinstance(relative, bool), f"population_relative is {relative!r}, not a bool")
    missing = [
        name
        for name in ("get_params", "set_params", *spec.verbs)
        if not callable(getattr(policy, name, None))
    ]
    _require(not missing, f"missing methods {missing}")
    if spec.protocol is not None:
        _require(
            isinstance(policy, spec.protocol),
            f"not a {_public_name(spec.protocol)}",
        )


def _check_default_constructible(policy: Any, spec: PolicyKindSpec | None, sample: Any) -> None:
    cls = type(policy)
    positional = [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.kind is not inspect.Parameter.KEYWORD_ONLY
        and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    _require(not positional, f"parameters {positional} are not keyword-only (put them after *)")
    default = cls()
    _require(
        _params(default).keys() == _params(policy).keys(),
        f"the default policy has parameters {sorted(_params(default))},"
        f" this one {sorted(_params(policy))}",
    )


def _check_no_work_in_init(policy: Any, spec: PolicyKindSpec | None, sample: Any) -> None:
    cls = type(policy)
    params = _params(policy)
    odd = {name: _odd(value) for name, value in params.items()}
    trials = [params, odd, *({name: value} for name, value in odd.items())]
    for given in trials:
        try:
            built = cls(**given)
        except Exception as exc:
            msg = f"{cls.__name__}(**{given!r}) raised {type(exc).__name__}: {exc}"
            raise AssertionError(msg) from exc
        stored = _params(built)
        changed = [name for name, value in given.items() if stored.get(name) is not value]
        _require(
            not changed,
            f"parameters {changed} were not stored unchanged (given {[given[n] for n in changed]!r},"
            f" stored {[stored.get(n) for n in changed]!r})",
        )
        state = _fitted_state(built)
        _require(not state, f"__init__ set fitted state {state}")


def _check_params_round_trip(policy: Any, spec: PolicyKindSpec | None, sample: Any) -> None:
    cls = type(policy)
    params = _params(policy)
    names, var_keyword = _keyword_names(cls)
    if not var_keyword:
        _require(
            sorted(params) == sorted(names),
            f"get_params() has {sorted(params)}, the constructor takes {sorted(names)}",
        )
    rebuilt = _params(cls(**params))
    _require(_equal(rebuilt, params), f"rebuilt with {rebuilt!r}, expected {params!r}")


def _check_set_params_equivalent_to_init(
    policy: Any, spec: PolicyKindSpec | None, sample: Any
) -> None:
    cls = type(policy)
    params = _params(policy)
    before = _snapshot(policy)
    odd = {name: _odd(value) for name, value in params.items()}
    changes = [{}, odd, *({name: value} for name, value in odd.items())]
    for change in changes:
        changed = policy.set_params(**change)
        _require(changed is not policy, f"set_params(**{change!r}) returned the receiver itself")
        _require(type(changed) is cls, f"set_params returned a {type(changed).__name__}")
        expected = _params(cls(**(params | change)))
        got = _params(changed)
        _require(
            _equal(got, expected),
            f"set_params(**{change!r}) gave {got!r}, the constructor {expected!r}",
        )
        touched = [n for n, value in params.items() if _params(policy).get(n) is not value]
        _require(not touched, f"set_params(**{change!r}) changed the receiver's {touched}")
        _unchanged(before, _snapshot(policy), f"set_params(**{change!r})")


def _check_clone(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    cls = type(policy)
    for source in (policy, _ready(policy, spec, sample)):
        clone = source.clone()
        _require(clone is not source, "clone() returned the policy itself")
        _require(type(clone) is cls, f"clone() returned a {type(clone).__name__}")
        _require(
            _equal(_params(clone), _params(source)),
            f"clone() has {_params(clone)!r}, the policy {_params(source)!r}",
        )
        state = _fitted_state(clone)
        _require(not state, f"the clone of a fitted policy kept fitted state {state}")


def _check_repr(policy: Any, spec: PolicyKindSpec | None, sample: Any) -> None:
    cls = type(policy)
    name = cls.__name__
    default = cls()
    text = repr(default)
    _require(text == f"{name}()", f"repr of the default policy is {text!r}, expected '{name}()'")
    defaults = _params(default)
    for param, value in defaults.items():
        odd = _odd(value)
        if _equal(odd, value):
            continue
        text = repr(cls(**{param: odd}))
        shown = [p for p in defaults if re.search(rf"(?<!\w){re.escape(p)}=", text)]
        _require(
            text.startswith(f"{name}(") and shown == [param],
            f"repr with only {param} changed is {text!r}; it shows {shown}, expected [{param!r}]",
        )


def _check_unfitted_raises(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    unfitted = type(policy)(**_params(policy))
    try:
        spec.run(unfitted, sample)
    except NotFittedError:
        return
    msg = f"{spec.verbs[-1]} before fit did not raise aftersales_crm.errors.NotFittedError"
    raise AssertionError(msg)


def _check_fit_returns_fitted_copy(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    fitted = policy.fit(sample)
    _require(fitted is not policy, "fit returned the receiver itself")
    _require(type(fitted) is type(policy), f"fit returned a {type(fitted).__name__}")
    _require(
        _equal(_params(fitted), _params(policy)),
        f"fit changed the parameters to {_params(fitted)!r}",
    )
    _require(_fitted_state(fitted), "the fitted policy has no trailing-underscore attribute")
    state = _fitted_state(policy)
    _require(not state, f"fit set {state} on the receiver")


def _check_fit_does_not_mutate(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    verb = spec.verbs[-1]
    columns = _input_snapshot(sample)
    if spec.fits:
        before = _snapshot(policy)
        policy.fit(sample)
        _unchanged(before, _snapshot(policy), "fit")
        _unchanged(columns, _input_snapshot(sample), "fit")
    ready = _ready(policy, spec, sample)
    before = _snapshot(ready)
    spec.run(ready, sample)
    _unchanged(before, _snapshot(ready), verb)
    _unchanged(columns, _input_snapshot(sample), verb)


def _check_deterministic(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    ready = _ready(policy, spec, sample)
    first = _run(ready, spec, sample)
    _same_result(_run(ready, spec, sample), first, f"{spec.verbs[-1]} again")
    again = _ready(type(policy)(**_params(policy)), spec, sample)
    _same_result(_run(again, spec, sample), first, "a new policy with the same parameters")


def _check_picklable(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    ready = _ready(policy, spec, sample)
    expected = _run(ready, spec, sample)
    try:
        loaded = pickle.loads(pickle.dumps(ready))
    except Exception as exc:  # a lambda or an open handle among the parameters or state
        msg = f"pickling the {'fitted ' * _relative(policy)}policy raised {exc!r}"
        raise AssertionError(msg) from exc
    _same_result(_run(loaded, spec, sample), expected, "the policy after a pickle round trip")
    _require(
        _equal(_params(loaded), _params(policy)),
        f"parameters after a pickle round trip: {_params(loaded)!r}, before: {_params(policy)!r}",
    )


# ---------------------------------------------------------------- per-row kinds


def _rarest_result_rows(result: Any) -> NDArray[np.intp]:
    """The rows of the least common label, or of the scores above the median."""
    codes = getattr(result, "codes", None)
    if codes is not None:
        present, counts = np.unique(np.asarray(codes), return_counts=True)
        rarest = present[np.argmin(counts)] if len(present) else 0
        return np.flatnonzero(np.asarray(codes) == rarest)
    values = np.asarray(getattr(result, "values", np.empty(0)), dtype=np.float64)
    if not np.isfinite(values).any():
        return np.arange(len(values))
    return np.flatnonzero(values > np.nanmedian(values))


def _check_output_aligned(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    ready = _ready(policy, spec, sample)
    result = _run(ready, spec, sample)
    # A rule that reads the other rows (a mean, a rank) can agree with the whole table on
    # a subset like it by chance; the rows of one result alone are unlike the whole table.
    subsets = {
        "every other row": np.arange(0, len(sample), 2),
        "the rows of the rarest result": _rarest_result_rows(result),
    }
    for how, rows in subsets.items():
        _same_result(
            _run(ready, spec, sample.take(rows), f"{spec.verbs[-1]} on {how}"),
            result.take(rows),
            f"{_nouns(result)} of {how}",
        )


def _check_fit_idempotent(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    once = _run(_ready(policy, spec, sample), spec, sample)
    _same_result(_run(policy.fit(sample).fit(sample), spec, sample), once, "fitting twice")
    middle = len(sample) // 2
    for half in (np.arange(middle), np.arange(middle, len(sample))):
        _same_result(
            _run(policy.fit(sample.take(half)).fit(sample), spec, sample),
            once,
            "refitting on the whole table",
        )


def _check_row_order_invariance(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    verb = spec.verbs[-1]
    result = _run(_ready(policy, spec, sample), spec, sample)
    noun = _nouns(result)
    # The reversed order puts every tie the other way round; the seeded one mixes the rest.
    reversed_rows = np.arange(len(sample))[::-1]
    seeded = np.random.default_rng(_PERMUTATION_SEED).permutation(len(sample))
    for perm, how in ((seeded, "permuted"), (reversed_rows, "reversed")):
        shuffled = sample.take(perm)
        expected = result.take(perm)
        _same_result(
            _run(_ready(policy, spec, sample), spec, shuffled, f"{verb} on {how} rows"),
            expected,
            f"{noun} of {how} rows",
        )
        if _relative(policy) and spec.fits:
            _same_result(
                _run(policy.fit(shuffled), spec, shuffled, f"{verb} after fit on {how} rows"),
                expected,
                f"{noun} after fitting on {how} rows",
            )


def _check_empty_and_single_row(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    verb = spec.verbs[-1]
    empty = sample.take(np.arange(0))
    one = sample.take(np.arange(min(1, len(sample))))
    _run(_ready(policy, spec, sample), spec, empty, f"{verb} on an empty table")
    _run(_ready(policy, spec, sample), spec, one, f"{verb} on a one-customer table")
    if _relative(policy) and spec.fits:
        _run(policy.fit(one), spec, one, f"{verb} after fit on a one-customer table")
        try:
            fitted = policy.fit(empty)
        except AftersalesError:  # refusing an empty population with a clear error is fine
            return
        _run(fitted, spec, empty, f"{verb} after fit on an empty table")


# ---------------------------------------------------------------- kinds that fold facts


def _facts(sample: Any) -> FactSample:
    if not isinstance(sample, FactSample):  # _sample_fits refused it already
        raise TypeError(type(sample).__name__)  # pragma: no cover
    return sample


def _fold_unchanged(
    ready: Any, spec: PolicyKindSpec, facts: FactSample, variant: list[Any], how: str
) -> None:
    """Fail unless ``ready`` gives the same result on the ``variant`` facts as on the sample's."""
    expected = _run(ready, spec, facts)
    got = _run(ready, spec, facts.with_facts(variant), f"{spec.verbs[-1]} {how}")
    _same_result(got, expected, f"{how}, the result changed")


def _check_arrival_order(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    ready = _ready(policy, spec, facts)
    rng = np.random.default_rng(_PERMUTATION_SEED)
    orders = [np.arange(len(facts))[::-1]] + [
        rng.permutation(len(facts)) for _ in range(_PERMUTATIONS - 1)
    ]
    for order in orders:
        variant = [facts.facts[i] for i in order]
        _fold_unchanged(
            ready, spec, facts, variant, f"with the facts in the order {order[:8].tolist()}…"
        )


def _check_repeated_fact(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    ready = _ready(policy, spec, facts)
    spread: list[int] = (
        np.unique(np.linspace(0, len(facts) - 1, _REPEATED).astype(int)).tolist()
        if len(facts)
        else []
    )
    for i in spread:
        fact = facts.facts[i]
        _fold_unchanged(
            ready,
            spec,
            facts,
            [*facts.facts, fact],
            f"with fact {i} delivered twice ({_short(fact, 80)})",
        )
    _fold_unchanged(
        ready, spec, facts, [*facts.facts, *facts.facts], "with every fact delivered twice"
    )


def _check_as_of_cutoff(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    _require(
        facts.future,
        "the kind's sample has no facts after as_of (FactSample.future), so nothing shows"
        " that they are ignored",
    )
    mixed = [*facts.facts, *facts.future]
    order = np.random.default_rng(_PERMUTATION_SEED).permutation(len(mixed))
    _fold_unchanged(
        _ready(policy, spec, facts),
        spec,
        facts,
        [mixed[i] for i in order],
        f"with {len(facts.future)} facts dated after as_of {facts.as_of.isoformat()}",
    )


def _check_no_facts(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    _run(_ready(policy, spec, facts), spec, facts.with_facts(()), f"{spec.verbs[-1]} on no facts")


# ---------------------------------------------------------------- results over days


_SHOWN_TASK_COLUMNS: Final = ("customer", "vehicle", "kind", "due", "window_end", "source")
"""The columns a failure of ``halves_compose`` shows of a task it found on one side only."""


_CROSSING_CUTS: Final = 2
"""How many cuts ``halves_compose`` makes inside the windows of the whole range's tasks."""


def _task_rows(result: Any) -> tuple[tuple[str, ...], set[tuple[Any, ...]]]:
    """The column names of a task list and its tasks as rows: kinds by name, reasons as text.

    Codes into a result's own ``kinds`` and ``reasons`` are replaced by what they point to,
    so that two results listing the same kinds in another order hold equal rows.
    """
    columns: Any = getattr(result, "columns", None)
    _require(
        callable(columns),
        f"the result {type(result).__name__} has no columns(); a result over days is a"
        " table of tasks (aftersales_crm.care.CareTasks)",
    )
    found = {name: np.asarray(values) for name, values in columns().items()}
    if callable(getattr(result, "kind_names", None)):
        found["kind"] = np.asarray(result.kind_names())
    if callable(getattr(result, "reasons_text", None)):
        found["reason"] = np.asarray(result.reasons_text())
    names = tuple(found)
    return names, set(zip(*(found[name].tolist() for name in names), strict=True))


def _show_task(names: tuple[str, ...], row: tuple[Any, ...]) -> str:
    shown: list[str] = [name for name in _SHOWN_TASK_COLUMNS if name in names] or list(names)
    return ", ".join(f"{name} {row[names.index(name)]}" for name in shown)


def _days_text(first: date, last: date) -> str:
    return f"{first.isoformat()}..{last.isoformat()}"


def _cuts(result: Any, first: date, last: date) -> list[date]:
    """The days ``b`` after which ``halves_compose`` splits ``[first, last]``.

    The first day, the middle one, the last but one, and a few days inside the windows of
    ``result``'s tasks: a window that holds ``b`` and ``b + 1`` meets both halves, and
    neither if a rule mishandles it.
    """
    cuts = {first, first + (last - first) // 2, last - _ONE_DAY}
    columns = result.columns()
    if "window_start" in columns and "window_end" in columns:
        low = np.datetime64(first, "D")
        start = np.maximum(np.asarray(columns["window_start"], dtype="datetime64[D]"), low)
        end = np.asarray(columns["window_end"], dtype="datetime64[D]")
        inside = np.unique(start[(start < end) & (start < np.datetime64(last, "D"))])
        if len(inside):
            picks = np.linspace(0, len(inside) - 1, _CROSSING_CUTS).round().astype(np.intp)
            cuts.update(inside[np.unique(picks)].tolist())
    return sorted(cuts)


def _check_halves_compose(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    _require(
        facts.days is not None,
        "the kind's sample asks for no days (FactSample.days), so there is no range to split",
    )
    assert facts.days is not None  # for mypy: _require raised otherwise
    first, last = facts.days
    _require(
        last > first, f"the sample asks for one day only ({first.isoformat()}): nothing to split"
    )
    ready = _ready(policy, spec, facts)
    result = _run(ready, spec, facts, f"{spec.verbs[-1]} of the whole range")
    names, whole = _task_rows(result)
    span = (last - first).days
    for cut in _cuts(result, first, last):
        halves = ((first, cut), (cut + _ONE_DAY, last))
        union: set[tuple[Any, ...]] = set()
        for a, b in halves:
            what = f"{spec.verbs[-1]} of {_days_text(a, b)}"
            part_names, rows = _task_rows(_run(ready, spec, facts.with_days(a, b), what))
            _require(part_names == names, f"{what} has the columns {part_names}, not {names}")
            union |= rows
        if union == whole:
            continue
        extra, missing = sorted(union - whole, key=repr), sorted(whole - union, key=repr)
        shown = [
            f"{len(rows)} task(s) only in {where} (first: {_show_task(names, rows[0])})"
            for rows, where in ((extra, "the halves"), (missing, "the whole range"))
            if rows
        ]
        msg = (
            f"the tasks of the {span + 1} days {_days_text(first, last)} are not those of"
            f" {_days_text(*halves[0])} and {_days_text(*halves[1])} together: " + "; ".join(shown)
        )
        raise AssertionError(msg)


# ---------------------------------------------------------------- the optional prepare


def _runner_taking_prepare(spec: PolicyKindSpec | None) -> Callable[..., Any] | None:
    """The kind's runner when it takes the keyword ``prepare``, else None.

    Such a runner calls ``prepare`` with the inputs it builds before the kind's verb
    (``run_contact_rule``), so a policy's own ``prepare(inputs)`` can be run on them first.
    """
    try:
        runner = None if spec is None else spec._runner()
    except (ImportError, AttributeError):  # the checks that run the policy report it
        return None
    if not callable(runner):
        return None
    try:
        taken = inspect.signature(runner).parameters.get("prepare")
    except (TypeError, ValueError):  # no signature to read
        return None
    by_keyword = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return runner if taken is not None and taken.kind in by_keyword else None


def _check_prepare_changes_nothing(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    runner = _runner_taking_prepare(spec)
    assert runner is not None  # for mypy: the check applies only then
    ready = _ready(policy, spec, sample)
    verb = spec.verbs[-1]
    returned: list[object] = []

    def prepare(inputs: object) -> None:
        returned.append(ready.prepare(inputs))

    alone = _run(ready, spec, sample)
    prepared = runner(ready, sample, prepare=prepare)
    _require(returned, f"the kind's runner did not call prepare before {verb}")
    _require(returned[0] is None, f"prepare returned a {type(returned[0]).__name__}, not None")
    _same_rows(prepared, alone, f"{verb} after prepare, against {verb} alone")


# ---------------------------------------------------------------- ledger-shaped results


_LATEST_OFFSET: Final = np.timedelta64(36, "h")
"""The end of the day ``as_of`` is at most 36 h after its UTC midnight (UTC−12 zones)."""


def _ledger_columns(result: Any, *names: str) -> list[NDArray[Any]]:
    missing = [name for name in names if not isinstance(getattr(result, name, None), np.ndarray)]
    _require(
        not missing,
        f"the result {type(result).__name__} has no array columns {missing}; a ledger-shaped"
        " result has one array per entry field",
    )
    return [np.asarray(getattr(result, name)) for name in names]


def _check_conservation(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    result = _run(_ready(policy, spec, facts), spec, facts)
    source, amount = _ledger_columns(result, "source_id", "amount")
    _require(len(source) == len(amount), f"{len(source)} source ids for {len(amount)} amounts")
    _require(amount.dtype.kind in "iu", f"amounts are {amount.dtype}, not whole points")
    if len(amount):
        low = int(amount.min())
        _require(low > 0, f"an award of {low} points: every award is a whole number above 0")
    ids, counts = np.unique(source, return_counts=True)
    twice = ids[counts > 1]
    _require(
        not len(twice),
        f"sources {twice[:5].tolist()} are awarded more than once; a source earns once",
    )
    total = getattr(result, "total", None)
    if callable(total):
        summed = int(amount.sum(dtype=np.int64))
        _require(total() == summed, f"total() is {total()}, the awards add up to {summed}")


def _check_no_entry_after_as_of(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    facts = _facts(sample)
    mixed = [*facts.facts, *facts.future]
    result = _run(_ready(policy, spec, facts), spec, facts.with_facts(mixed))
    (at,) = _ledger_columns(result, "at")
    latest = np.datetime64(facts.as_of, "us") + _LATEST_OFFSET
    late = np.flatnonzero(at.astype("datetime64[us]") > latest)
    _require(
        not len(late),
        f"{len(late)} awards are dated after the end of as_of {facts.as_of.isoformat()}"
        f" (first: {at[late[:1]].astype('datetime64[s]').tolist()})",
    )
    missing = np.flatnonzero(np.isnat(at.astype("datetime64[us]")))
    _require(not len(missing), f"{len(missing)} awards have no instant (NaT)")


# ---------------------------------------------------------------- survey scores


def _check_bounded(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    result = _run(_ready(policy, spec, sample), spec, sample)
    bounds = getattr(result, "bounds", None)
    if not (isinstance(bounds, tuple) and len(bounds) == len(("low", "high"))):
        msg = f"the result's bounds are {bounds!r}, not a (lowest, highest) pair"
        raise AssertionError(msg)
    _require(float(bounds[0]) <= float(bounds[1]), f"the result's bounds {bounds!r} are reversed")
    factor_bounds = getattr(result, "factor_bounds", None) or bounds
    columns = getattr(result, "columns", {})
    column_bounds = getattr(result, "column_bounds", {})
    for what, found, (low, high) in (
        ("values", getattr(result, "values", np.empty(0)), bounds),
        ("factor_scores", getattr(result, "factor_scores", np.empty(0)), factor_bounds),
        *((f"columns[{k!r}]", columns[k], column_bounds[k]) for k in column_bounds),
    ):
        given = np.asarray(found, dtype=np.float64).ravel()
        given = given[~np.isnan(given)]
        outside = given[(given < low) | (given > high)]
        _require(
            not len(outside),
            f"{len(outside)} {what} lie outside the bounds {(low, high)}: {outside[:5].tolist()}",
        )


def _check_unanswered_is_missing(policy: Any, spec: PolicyKindSpec, sample: Any) -> None:
    strip = getattr(sample, "without_answers", None)
    if not callable(strip):
        msg = (
            "the sample has no without_answers(rows); a scorer's sample can strip responses of"
            " their answers (Responses.without_answers)"
        )
        raise AssertionError(msg)
    ready = _ready(policy, spec, sample)
    result = _run(ready, spec, sample)
    rows = np.arange(0, len(sample), 3)
    got = _run(ready, spec, strip(rows), f"{spec.verbs[-1]} with answers removed")
    values = np.asarray(got.values, dtype=np.float64)[rows]
    scored = values[~np.isnan(values)]
    _require(
        not len(scored),
        f"{len(scored)} responses without answers were scored {scored[:5].tolist()}, not NaN",
    )
    others = np.setdiff1d(np.arange(len(sample)), rows)
    _same_result(got.take(others), result.take(others), "the other responses' scores")


# ---------------------------------------------------------------- the list of checks


def _always(policy: Any, spec: PolicyKindSpec | None) -> bool:
    return True


def _relative(policy: Any) -> bool:
    return getattr(type(policy), "population_relative", False) is True


def _fitting(policy: Any, spec: PolicyKindSpec | None) -> bool:
    return spec is not None and spec.fits and _relative(policy)


def _fits(policy: Any, spec: PolicyKindSpec | None) -> bool:
    return spec is not None and spec.fits


def _has_clone(policy: Any, spec: PolicyKindSpec | None) -> bool:
    return callable(getattr(policy, "clone", None))


def _prepares(policy: Any, spec: PolicyKindSpec | None) -> bool:
    """Whether the policy has a ``prepare`` method its kind's runner can call first."""
    return callable(getattr(policy, "prepare", None)) and _runner_taking_prepare(spec) is not None


def _importable(policy: Any, spec: PolicyKindSpec | None) -> bool:
    """Whether pickle can find the policy's class by name (not defined inside a function)."""
    cls = type(policy)
    found: Any = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is cls


@attrs.frozen
class _Check:
    name: str
    rule: str
    run: Callable[[Any, Any, Any], None]
    applies: Callable[[Any, PolicyKindSpec | None], bool] = _always
    family: CheckFamily | None = None
    """The family of checks this one belongs to; None for the checks every kind shares."""
    runs_policy: bool = True
    """Whether the check calls the policy's verbs (and so needs its kind and a sample)."""


_CHECKS: Final = (
    _Check(
        "declares_kind",
        "a policy declares the class attributes kind (the name of a declared policy kind:"
        " one of policy_kinds(), the library's or one declared with declare_kind) and"
        " population_relative (a bool) and has get_params, set_params and its kind's verbs",
        _check_declares_kind,
        runs_policy=False,
    ),
    _Check(
        "default_constructible",
        "every parameter is keyword-only with a default, so type(policy)() builds the policy",
        _check_default_constructible,
        runs_policy=False,
    ),
    _Check(
        "no_work_in_init",
        "__init__ stores each parameter unchanged under its own name and does no work:"
        " no validation, conversion or computation (those belong in fit and assign)",
        _check_no_work_in_init,
        runs_policy=False,
    ),
    _Check(
        "params_round_trip",
        "get_params() returns exactly the constructor parameters, so"
        " type(p)(**p.get_params()) has the same parameters",
        _check_params_round_trip,
        runs_policy=False,
    ),
    _Check(
        "set_params_equivalent_to_init",
        "set_params(**changes) returns a new policy equal to"
        " type(p)(**(p.get_params() | changes)) and leaves the receiver unchanged",
        _check_set_params_equivalent_to_init,
        runs_policy=False,
    ),
    _Check(
        "clone",
        "clone() returns a new, unfitted policy of the same class with equal parameters",
        _check_clone,
        _has_clone,
    ),
    _Check(
        "repr",
        "repr shows the class name and only the parameters that differ from their defaults",
        _check_repr,
        runs_policy=False,
    ),
    _Check(
        "unfitted_raises",
        "a population-relative policy raises NotFittedError from assign before fit",
        _check_unfitted_raises,
        _fitting,
    ),
    _Check(
        "fit_returns_fitted_copy",
        "fit returns a new policy of the same class and parameters, with what it learned in"
        " trailing-underscore attributes; the receiver stays unfitted",
        _check_fit_returns_fitted_copy,
        _fitting,
    ),
    _Check(
        "fit_does_not_mutate",
        "fit and its kind's verbs (assign, award…) change neither the policy they are called"
        " on nor their input",
        _check_fit_does_not_mutate,
    ),
    _Check(
        "output_aligned",
        "assign returns one result per input row, in input order (Labels, or the kind's"
        " result type), and a row's result depends on that row only (given the fitted state)",
        _check_output_aligned,
        family=CheckFamily.ROWS,
    ),
    _Check(
        "deterministic",
        "the same parameters and input give the same result, every time",
        _check_deterministic,
    ),
    _Check(
        "fit_idempotent",
        "fitting twice, or refitting a policy fitted on other rows, gives the labels of"
        " fitting once",
        _check_fit_idempotent,
        _fits,
        family=CheckFamily.ROWS,
    ),
    _Check(
        "row_order_invariance",
        "permuting the rows permutes the labels and nothing else, also when fitting on the"
        " permuted rows (equal rows get equal labels, however the ties are ordered)",
        _check_row_order_invariance,
        family=CheckFamily.ROWS,
    ),
    _Check(
        "picklable",
        "the policy, fitted if population-relative, survives pickle with its parameters and"
        " results (multiprocessing, dask and caches pickle it)",
        _check_picklable,
        _importable,
    ),
    _Check(
        "empty_and_single_row",
        "an empty table gives empty labels and a one-customer table one label; a"
        " population-relative policy fits on one customer, and on none fits or raises an"
        " AftersalesError",
        _check_empty_and_single_row,
        family=CheckFamily.ROWS,
    ),
    _Check(
        "arrival_order",
        "the order facts arrive in does not matter: the facts in any order give the same result",
        _check_arrival_order,
        family=CheckFamily.FOLDS,
    ),
    _Check(
        "repeated_fact",
        "a fact delivered twice changes nothing: facts are counted once, by identity",
        _check_repeated_fact,
        family=CheckFamily.FOLDS,
    ),
    _Check(
        "as_of_cutoff",
        "nothing after as_of counts: facts dated after it leave the result unchanged",
        _check_as_of_cutoff,
        family=CheckFamily.FOLDS,
    ),
    _Check(
        "conservation",
        "every point awarded is in exactly one award: source ids are unique, amounts are"
        " whole and above 0, and the result's total() is the sum of its amounts",
        _check_conservation,
        family=CheckFamily.LEDGER,
    ),
    _Check(
        "no_entry_after_as_of",
        "no award is dated after the end of as_of, even with facts after as_of in the"
        " input, and every award has an instant",
        _check_no_entry_after_as_of,
        family=CheckFamily.LEDGER,
    ),
    _Check(
        "bounded",
        "every score, factor score and bounded column lies within the bounds the result"
        " declares, or is NaN",
        _check_bounded,
        family=CheckFamily.SCORES,
    ),
    _Check(
        "unanswered_is_missing",
        "a response without answers is scored NaN (missing), not 0 and not an error, and the"
        " other responses keep their scores",
        _check_unanswered_is_missing,
        family=CheckFamily.SCORES,
    ),
    _Check(
        "no_facts",
        "a policy folds an empty history (no facts yet) into a result without failing",
        _check_no_facts,
        family=CheckFamily.FOLDS,
    ),
    _Check(
        "halves_compose",
        "the tasks of a range of days [a, c] are the union of the tasks of [a, b] and"
        " [b+1, c]: a task does not depend on how the days are asked for (day by day, a"
        " week, a month) but only on its window meeting them",
        _check_halves_compose,
        family=CheckFamily.AGENDA,
    ),
    _Check(
        "prepare_changes_nothing",
        "a rule's optional prepare(inputs) derives ahead what check reads and changes no"
        " verdict: check on fresh inputs gives the same result whether prepare was called on"
        " those inputs first or not, and prepare returns None",
        _check_prepare_changes_nothing,
        _prepares,
    ),
)

_CHECK_NAMES: Final = tuple(check.name for check in _CHECKS)


def _kind_of(policy: object) -> PolicyKindSpec | None:
    """The declaration of the policy's kind, or None when it names no declared kind."""
    kind = getattr(type(policy), "kind", None)
    return policy_kinds().get(kind) if isinstance(kind, str) else None


def _applies(check: _Check, policy: object, spec: PolicyKindSpec | None) -> bool:
    if check.runs_policy and spec is None:
        return False  # without a declared kind the kit cannot run it; declares_kind fails
    if check.family is not None and (spec is None or check.family not in spec.checks):
        return False
    return check.applies(policy, spec)


def _refuse_fitted(policy: object) -> None:
    """Raise when ``policy`` was fitted: the kit checks a policy from its unfitted state."""
    state = _fitted_state(policy)
    if not state:
        return
    try:
        fresh = type(policy)(**_params(policy))
    except Exception:  # a broken constructor is what the checks report
        return
    if _fitted_state(fresh):  # __init__ itself sets the state: no_work_in_init reports it
        return
    msg = (
        f"{_label(policy)} is already fitted (it has {state}): pass an unfitted policy,"
        " such as the one you called fit on, or policy.clone()"
    )
    raise InvalidValue(msg, code="fitted_policy")


def _missing_input(exc: BaseException) -> BaseException | None:
    """The error in ``exc``'s chain saying the input lacks a column the policy reads."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, AftersalesError) and seen.code in _MISSING_INPUT:
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _sample_fits(spec: PolicyKindSpec | None, sample: Any) -> None:
    """Raise unless ``sample`` is the kind of input the kind's checks need."""
    if spec is not None and CheckFamily.FOLDS in spec.checks and not isinstance(sample, FactSample):
        msg = (
            f"sample: the policy kind {spec.name!r} folds facts, so its checks run on a"
            f" FactSample, not a {type(sample).__name__}"
        )
        raise InvalidValue(msg, code="invalid_sample")


@attrs.frozen(repr=False)
class _BoundCheck:
    """One check, ready to run on a policy: ``check(policy)``."""

    check: _Check
    sample: Any = None

    @property
    def __name__(self) -> str:
        return f"check_{self.check.name}"

    def __repr__(self) -> str:
        return self.__name__

    def __call__(self, policy: object) -> None:
        spec = _kind_of(policy)
        sample = self.sample
        if spec is not None and self.check.runs_policy:
            if sample is None:
                sample = spec.sample_input()
            _sample_fits(spec, sample)
        try:
            self.check.run(policy, spec, sample)
        except Exception as exc:
            missing = _missing_input(exc)
            if missing is not None:
                msg = (
                    f"{_label(policy)} cannot be checked on this sample: {missing}\n"
                    "  the sample lacks an input the policy reads; pass a sample that has it:"
                    " check_policy(policy, sample)"
                )
                raise AssertionError(msg) from exc
            detail = (
                str(exc)
                if isinstance(exc, AssertionError)
                else f"raised {type(exc).__name__}: {exc}"
            )
            msg = (
                f"{_label(policy)} fails check {self.check.name!r}\n"
                f"  rule: {self.check.rule}\n"
                f"  found: {detail}"
            )
            raise AssertionError(msg) from exc


def _known(expected_failed_checks: Mapping[str, str] | None) -> Mapping[str, str]:
    given: object = expected_failed_checks
    if given is None:
        return {}
    if not isinstance(given, Mapping) or not all(
        isinstance(key, str) and isinstance(reason, str) for key, reason in given.items()
    ):
        msg = (
            f"expected_failed_checks is {given!r:.80}, expected a mapping of check name to "
            "the reason it fails"
        )
        raise InvalidValue(msg, code="unknown_check")
    expected = dict(given)
    unknown = sorted(set(expected) - set(_CHECK_NAMES))
    if unknown:
        msg = f"no checks are named {unknown}; the checks are {list(_CHECK_NAMES)}"
        raise InvalidValue(msg, code="unknown_check")
    return expected


# ---------------------------------------------------------------- public API


def policy_checks(
    policy: object, sample: Any = None
) -> Iterator[tuple[str, Callable[[object], None]]]:
    """Every check that applies to ``policy``, as ``(name, check)`` pairs; ``check(policy)``.

    Which checks apply comes from the declaration of the policy's kind
    ([`policy_kind`][aftersales_crm.policies.policy_kind]): the shared checks always; the checks
    of fitting (``unfitted_raises``, ``fit_returns_fitted_copy``) for population-relative
    policies of a kind with a ``fit`` verb; the ``rows`` family (``output_aligned``,
    ``row_order_invariance``…), the ``folds`` family (``arrival_order``,
    ``repeated_fact``, ``as_of_cutoff``, ``no_facts``) and the ``ledger`` family
    (``conservation``, ``no_entry_after_as_of``) when the kind declares them; ``clone``
    for policies that have a ``clone`` method; ``prepare_changes_nothing`` for those with
    a ``prepare`` method their kind's runner can call first (contact rules). Each check
    raises an ``AssertionError`` naming itself and its rule.

    Args:
        policy: the policy to check, unfitted; any object, it need not inherit
            [`BasePolicy`][aftersales_crm.policies.BasePolicy].
        sample: the input the checks run the policy on; by default the sample its kind
            declares (for the built-in kinds, 60 synthetic customers each appearing 2 to 4
            times, 180 rows with ties at every cut-off, computed once).

    Returns:
        An iterator of ``(name, check)``: the check's name (``"clone"``) and a callable
        taking the policy.

    Raises:
        InvalidValue: ``policy`` is already fitted (pass an unfitted policy), or
            ``sample`` is not the kind of input its kind reads.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.policies import BasePolicy, Labels
        >>> class Everyone(BasePolicy):
        ...     kind = "dimension"
        ...     def assign(self, features):
        ...         return Labels(np.zeros(len(features), dtype=np.int16), ("all",))
        >>> [name for name, check in policy_checks(Everyone())][:4]
        ['declares_kind', 'default_constructible', 'no_work_in_init', 'params_round_trip']
        >>> for name, check in policy_checks(Everyone()):
        ...     check(Everyone())
    """
    _refuse_fitted(policy)
    spec = _kind_of(policy)
    if sample is not None:
        _sample_fits(spec, sample)
    return iter(
        [
            (check.name, _BoundCheck(check, sample))
            for check in _CHECKS
            if _applies(check, policy, spec)
        ]
    )


def check_policy(
    policy: object,
    sample: Any = None,
    *,
    expected_failed_checks: Mapping[str, str] | None = None,
) -> None:
    """Run every check that applies to ``policy``; raise on the first failure.

    The checks are the rules of the policy contract (scikit-learn's estimator rules, made
    pure): parameters keyword-only with defaults and stored unchanged, ``get_params`` and
    ``set_params`` that agree with the constructor, ``clone``, a ``repr`` of the changed
    parameters, ``fit`` returning a fitted copy without changing the receiver or the
    input; for per-row kinds, one result per row that does not depend on row order (ties
    included), on the other rows or on chance, on tables of any size including empty
    ones; for kinds that fold facts, a result that does not depend on the order facts
    arrive in, on a fact delivered twice or on facts after ``as_of``.

    Args:
        policy: the policy to check, unfitted; it need not inherit
            [`BasePolicy`][aftersales_crm.policies.BasePolicy].
        sample: the input to use; by default the sample its kind declares (for the
            built-in kinds, 180 rows of synthetic customers with ties at the cut-offs).
        expected_failed_checks: check name → why it is known to fail; those are skipped.

    Raises:
        AssertionError: naming the check that failed, its rule and what was found; or
            saying the sample lacks a feature column the policy reads, naming it.
        InvalidValue: ``policy`` is already fitted, or ``expected_failed_checks`` names a
            check that does not exist.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.policies import BasePolicy, Labels
        >>> class Everyone(BasePolicy):
        ...     kind = "dimension"
        ...     def assign(self, features):
        ...         return Labels(np.zeros(len(features), dtype=np.int16), ("all",))
        >>> check_policy(Everyone())
        >>> class Shuffled(Everyone):
        ...     def assign(self, features):
        ...         return Labels(np.arange(len(features)) % 2, ("odd", "even"))
        >>> check_policy(Shuffled())
        Traceback (most recent call last):
        ...
        AssertionError: Shuffled() fails check 'output_aligned'
          rule: assign returns one result per input row, in input order ...
    """
    expected = _known(expected_failed_checks)
    for name, check in policy_checks(policy, sample):
        if name not in expected:
            check(policy)


def parametrize_with_policy_checks(
    policies: Iterable[object],
    *,
    sample: Any = None,
    expected_failed_checks: Callable[[object], Mapping[str, str] | None] | None = None,
) -> pytest.MarkDecorator:
    """A pytest decorator running every applicable check on every policy, one test each.

    The test takes the arguments ``policy`` and ``check`` and calls ``check(policy)``. Test
    ids read ``ParetoABC()-clone``. Needs pytest, which is imported only here.

    Args:
        policies: the policies to check, unfitted.
        sample: the input to use; by default the sample each policy's kind declares.
        expected_failed_checks: a function from a policy to check name → reason for the
            checks known to fail on it; those tests are marked as strict ``xfail``.

    Returns:
        The ``pytest.mark.parametrize`` decorator.

    Raises:
        InvalidValue: a policy is already fitted, or ``expected_failed_checks`` names a
            check that does not exist.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.policies import BasePolicy, Labels
        >>> class Everyone(BasePolicy):
        ...     kind = "dimension"
        ...     def assign(self, features):
        ...         return Labels(np.zeros(len(features), dtype=np.int16), ("all",))
        >>> @parametrize_with_policy_checks([Everyone()])
        ... def test_everyone(policy, check):
        ...     check(policy)
        >>> [param.id for param in test_everyone.pytestmark[0].args[1]][:2]
        ['Everyone()-declares_kind', 'Everyone()-default_constructible']
    """
    import pytest  # pytest is needed only by this decorator

    given: object = expected_failed_checks
    if given is not None and not callable(given):
        msg = f"expected_failed_checks is {given!r:.80}, expected a function of a policy"
        raise InvalidValue(msg, code="unknown_check")
    params = []
    for policy in tuple_of(policies, parameter="policies"):
        expected = _known(expected_failed_checks(policy) if expected_failed_checks else None)
        for name, check in policy_checks(policy, sample):
            marks = (
                [pytest.mark.xfail(reason=expected[name], strict=True)] if name in expected else []
            )
            params.append(pytest.param(policy, check, id=f"{_label(policy)}-{name}", marks=marks))
    return pytest.mark.parametrize(("policy", "check"), params)
