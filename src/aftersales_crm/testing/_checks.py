"""The policy conformance kit: each rule of the policy contract as a named check.

scikit-learn's ``check_estimator`` and ``parametrize_with_checks``, for policies. The checks
use only the public protocol (``kind``, ``population_relative``, ``get_params``,
``set_params``, ``fit``, ``assign``, and ``clone`` when there is one), so a plain class
that does not inherit :class:`~aftersales_crm.policies.BasePolicy` is checked the same way.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import functools
import inspect
import math
import pickle
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features as _features
from aftersales_crm import synthetic
from aftersales_crm.errors import AftersalesError, InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import Labels, Policy, PolicyKind

if TYPE_CHECKING:
    import pytest

__all__ = ["check_policy", "parametrize_with_policy_checks", "policy_checks"]

_CUSTOMERS: Final = 60
"""Customers in the default FeatureTable: enough for ties and every label, fast to compute."""

_BOOK_SEED: Final = 7
"""Seed of the default synthetic Book."""

_PERMUTATION_SEED: Final = 0
"""Seed of the row permutations of the order checks."""

_KINDS: Final = frozenset(get_args(PolicyKind))


@functools.cache
def _default_features() -> FeatureTable:
    """The FeatureTable the checks use when given none (computed once per process)."""
    book = synthetic.book(_CUSTOMERS, seed=_BOOK_SEED)
    return _features.compute(book, as_of=synthetic.DEFAULT_AS_OF, threads=1)


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


def _ready(policy: Any, features: FeatureTable) -> Any:
    """The policy ready to assign: fitted on ``features`` if it is population-relative."""
    return policy.fit(features) if policy.population_relative else policy


def _assign(policy: Any, features: FeatureTable, what: str = "assign") -> Labels:
    labels = policy.assign(features)
    _require(
        isinstance(labels, Labels),
        f"{what} returned {type(labels).__name__}, not aftersales_crm.policies.Labels",
    )
    _require(
        len(labels) == len(features),
        f"{what} returned {len(labels)} labels for {len(features)} rows",
    )
    return labels  # type: ignore[no-any-return]


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


def _snapshot(obj: Any) -> dict[str, Any]:
    state = dict(getattr(obj, "__dict__", {}))
    try:
        return copy.deepcopy(state)
    except Exception:  # uncopyable state is compared by identity only
        return state


def _features_snapshot(features: FeatureTable) -> list[tuple[str, NDArray[Any]]]:
    tables = [("", features)]
    if features.vehicles is not None:
        tables.append(("vehicles.", features.vehicles))
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
        _require(not changed, f"{what} changed the feature columns {changed}")


# ---------------------------------------------------------------- the checks


def _check_declares_kind(policy: Any, features: FeatureTable) -> None:
    cls = type(policy)
    kind = getattr(cls, "kind", None)
    _require(kind in _KINDS, f"kind is {kind!r}, expected one of {sorted(_KINDS)}")
    relative = getattr(cls, "population_relative", None)
    _require(isinstance(relative, bool), f"population_relative is {relative!r}, not a bool")
    missing = [
        name
        for name in ("get_params", "set_params", "fit", "assign")
        if not callable(getattr(policy, name, None))
    ]
    _require(not missing, f"missing methods {missing}")
    _require(isinstance(policy, Policy), "not an aftersales_crm.policies.Policy")


def _check_default_constructible(policy: Any, features: FeatureTable) -> None:
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


def _check_no_work_in_init(policy: Any, features: FeatureTable) -> None:
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


def _check_params_round_trip(policy: Any, features: FeatureTable) -> None:
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


def _check_set_params_equivalent_to_init(policy: Any, features: FeatureTable) -> None:
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


def _check_clone(policy: Any, features: FeatureTable) -> None:
    cls = type(policy)
    for source in (policy, _ready(policy, features)):
        clone = source.clone()
        _require(clone is not source, "clone() returned the policy itself")
        _require(type(clone) is cls, f"clone() returned a {type(clone).__name__}")
        _require(
            _equal(_params(clone), _params(source)),
            f"clone() has {_params(clone)!r}, the policy {_params(source)!r}",
        )
        state = _fitted_state(clone)
        _require(not state, f"the clone of a fitted policy kept fitted state {state}")


def _check_repr(policy: Any, features: FeatureTable) -> None:
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


def _check_unfitted_raises(policy: Any, features: FeatureTable) -> None:
    unfitted = type(policy)(**_params(policy))
    try:
        unfitted.assign(features)
    except NotFittedError:
        return
    msg = "assign before fit did not raise aftersales_crm.errors.NotFittedError"
    raise AssertionError(msg)


def _check_fit_returns_fitted_copy(policy: Any, features: FeatureTable) -> None:
    fitted = policy.fit(features)
    _require(fitted is not policy, "fit returned the receiver itself")
    _require(type(fitted) is type(policy), f"fit returned a {type(fitted).__name__}")
    _require(
        _equal(_params(fitted), _params(policy)),
        f"fit changed the parameters to {_params(fitted)!r}",
    )
    _require(_fitted_state(fitted), "the fitted policy has no trailing-underscore attribute")
    state = _fitted_state(policy)
    _require(not state, f"fit set {state} on the receiver")


def _check_fit_does_not_mutate(policy: Any, features: FeatureTable) -> None:
    before, columns = _snapshot(policy), _features_snapshot(features)
    fitted = policy.fit(features)
    _unchanged(before, _snapshot(policy), "fit")
    _unchanged(columns, _features_snapshot(features), "fit")
    ready = _ready(policy, features)
    before = _snapshot(ready)
    ready.assign(features)
    _unchanged(before, _snapshot(ready), "assign")
    _unchanged(columns, _features_snapshot(features), "assign")
    del fitted


def _check_output_aligned(policy: Any, features: FeatureTable) -> None:
    ready = _ready(policy, features)
    labels = _assign(ready, features)
    rows = np.arange(0, len(features), 2)
    _same_labels(
        _assign(ready, features.take(rows), "assign on every other row"),
        labels.take(rows),
        "labels of every other row",
    )


def _check_deterministic(policy: Any, features: FeatureTable) -> None:
    ready = _ready(policy, features)
    first = _assign(ready, features)
    _same_labels(_assign(ready, features), first, "assigning again")
    again = _ready(type(policy)(**_params(policy)), features)
    _same_labels(_assign(again, features), first, "a new policy with the same parameters")


def _check_fit_idempotent(policy: Any, features: FeatureTable) -> None:
    once = _assign(_ready(policy, features), features)
    _same_labels(_assign(policy.fit(features).fit(features), features), once, "fitting twice")
    half = features.take(np.arange(len(features) // 2))
    _same_labels(
        _assign(policy.fit(half).fit(features), features), once, "refitting on the whole table"
    )


def _check_row_order_invariance(policy: Any, features: FeatureTable) -> None:
    perm = np.random.default_rng(_PERMUTATION_SEED).permutation(len(features))
    shuffled = features.take(perm)
    expected = _assign(_ready(policy, features), features).take(perm)
    _same_labels(
        _assign(_ready(policy, features), shuffled, "assign on permuted rows"),
        expected,
        "labels of permuted rows",
    )
    if policy.population_relative:
        _same_labels(
            _assign(policy.fit(shuffled), shuffled, "assign after fit on permuted rows"),
            expected,
            "labels after fitting on permuted rows",
        )


def _check_empty_and_single_row(policy: Any, features: FeatureTable) -> None:
    empty = features.take(np.arange(0))
    one = features.take(np.arange(min(1, len(features))))
    _assign(_ready(policy, features), empty, "assign on an empty table")
    _assign(_ready(policy, features), one, "assign on a one-customer table")
    if policy.population_relative:
        _assign(policy.fit(one), one, "assign after fit on a one-customer table")
        try:
            fitted = policy.fit(empty)
        except AftersalesError:  # refusing an empty population with a clear error is fine
            return
        _assign(fitted, empty, "assign after fit on an empty table")


def _check_picklable(policy: Any, features: FeatureTable) -> None:
    ready = _ready(policy, features)
    expected = _assign(ready, features)
    try:
        loaded = pickle.loads(pickle.dumps(ready))
    except Exception as exc:  # a lambda or an open handle among the parameters or state
        msg = f"pickling the {'fitted ' * _relative(policy)}policy raised {exc!r}"
        raise AssertionError(msg) from exc
    _same_labels(_assign(loaded, features), expected, "the policy after a pickle round trip")
    _require(
        _equal(_params(loaded), _params(policy)),
        f"parameters after a pickle round trip: {_params(loaded)!r}, before: {_params(policy)!r}",
    )


@attrs.frozen
class _Check:
    name: str
    rule: str
    run: Callable[[Any, FeatureTable], None]
    applies: Callable[[Any], bool] = lambda policy: True


def _relative(policy: Any) -> bool:
    return getattr(type(policy), "population_relative", False) is True


def _has_clone(policy: Any) -> bool:
    return callable(getattr(policy, "clone", None))


def _importable(policy: Any) -> bool:
    """Whether pickle can find the policy's class by name (not defined inside a function)."""
    cls = type(policy)
    found: Any = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is cls


_CHECKS: Final = (
    _Check(
        "declares_kind",
        "a policy declares the class attributes kind ('tier', 'dimension' or 'loyalty') and"
        " population_relative (a bool) and has get_params, set_params, fit and assign",
        _check_declares_kind,
    ),
    _Check(
        "default_constructible",
        "every parameter is keyword-only with a default, so type(policy)() builds the policy",
        _check_default_constructible,
    ),
    _Check(
        "no_work_in_init",
        "__init__ stores each parameter unchanged under its own name and does no work:"
        " no validation, conversion or computation (those belong in fit and assign)",
        _check_no_work_in_init,
    ),
    _Check(
        "params_round_trip",
        "get_params() returns exactly the constructor parameters, so"
        " type(p)(**p.get_params()) has the same parameters",
        _check_params_round_trip,
    ),
    _Check(
        "set_params_equivalent_to_init",
        "set_params(**changes) returns a new policy equal to"
        " type(p)(**(p.get_params() | changes)) and leaves the receiver unchanged",
        _check_set_params_equivalent_to_init,
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
    ),
    _Check(
        "unfitted_raises",
        "a population-relative policy raises NotFittedError from assign before fit",
        _check_unfitted_raises,
        _relative,
    ),
    _Check(
        "fit_returns_fitted_copy",
        "fit returns a new policy of the same class and parameters, with what it learned in"
        " trailing-underscore attributes; the receiver stays unfitted",
        _check_fit_returns_fitted_copy,
        _relative,
    ),
    _Check(
        "fit_does_not_mutate",
        "fit and assign change neither the policy they are called on nor the features",
        _check_fit_does_not_mutate,
    ),
    _Check(
        "output_aligned",
        "assign returns Labels with one label per input row, in input order, and a row's"
        " label depends on that row only (given the fitted state)",
        _check_output_aligned,
    ),
    _Check(
        "deterministic",
        "the same parameters and features give the same labels, every time",
        _check_deterministic,
    ),
    _Check(
        "fit_idempotent",
        "fitting twice, or refitting a policy fitted on other rows, gives the labels of"
        " fitting once",
        _check_fit_idempotent,
    ),
    _Check(
        "row_order_invariance",
        "permuting the rows permutes the labels and nothing else, also when fitting on the"
        " permuted rows",
        _check_row_order_invariance,
    ),
    _Check(
        "picklable",
        "the policy, fitted if population-relative, survives pickle with its parameters and"
        " labels (multiprocessing, dask and caches pickle it)",
        _check_picklable,
        _importable,
    ),
    _Check(
        "empty_and_single_row",
        "an empty table gives empty labels and a one-customer table one label; a"
        " population-relative policy fits on one customer, and on none fits or raises an"
        " AftersalesError",
        _check_empty_and_single_row,
    ),
)

_CHECK_NAMES: Final = tuple(check.name for check in _CHECKS)


@attrs.frozen(repr=False)
class _BoundCheck:
    """One check, ready to run on a policy: ``check(policy)``."""

    check: _Check
    features: FeatureTable | None = None

    @property
    def __name__(self) -> str:
        return f"check_{self.check.name}"

    def __repr__(self) -> str:
        return self.__name__

    def __call__(self, policy: object) -> None:
        features = self.features if self.features is not None else _default_features()
        try:
            self.check.run(policy, features)
        except Exception as exc:
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
    expected = dict(expected_failed_checks or {})
    unknown = sorted(set(expected) - set(_CHECK_NAMES))
    if unknown:
        msg = f"no checks are named {unknown}; the checks are {list(_CHECK_NAMES)}"
        raise InvalidValue(msg, code="unknown_check")
    return expected


# ---------------------------------------------------------------- public API


def policy_checks(
    policy: object, features: FeatureTable | None = None
) -> Iterator[tuple[str, Callable[[object], None]]]:
    """Every check that applies to ``policy``, as ``(name, check)`` pairs; ``check(policy)``.

    The checks of fitting (``unfitted_raises``, ``fit_returns_fitted_copy``) apply to
    population-relative policies only, and ``clone`` to policies that have a ``clone``
    method. Each check raises an :class:`AssertionError` naming itself and its rule.

    Args:
        policy: the policy to check, unfitted; any object, it need not inherit
            :class:`~aftersales_crm.policies.BasePolicy`.
        features: the customer features the checks use; by default a FeatureTable of 60
            synthetic customers (``synthetic.book(60, seed=7)``), computed once.

    Yields:
        ``(name, check)``: the check's name (``"clone"``) and a callable taking the policy.

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
    for check in _CHECKS:
        if check.applies(policy):
            yield check.name, _BoundCheck(check, features)


def check_policy(
    policy: object,
    features: FeatureTable | None = None,
    *,
    expected_failed_checks: Mapping[str, str] | None = None,
) -> None:
    """Run every check that applies to ``policy``; raise on the first failure.

    The checks are the rules of the policy contract (scikit-learn's estimator rules, made
    pure): parameters keyword-only with defaults and stored unchanged, ``get_params`` and
    ``set_params`` that agree with the constructor, ``clone``, a ``repr`` of the changed
    parameters, ``fit`` returning a fitted copy without changing the receiver or the
    features, and one label per row from ``assign`` that does not depend on row order,
    on the other rows or on chance, on tables of any size including empty ones.

    Args:
        policy: the policy to check, unfitted; it need not inherit
            :class:`~aftersales_crm.policies.BasePolicy`.
        features: the customer features to use; by default 60 synthetic customers.
        expected_failed_checks: check name → why it is known to fail; those are skipped.

    Raises:
        AssertionError: naming the check that failed, its rule and what was found.
        InvalidValue: ``expected_failed_checks`` names a check that does not exist.

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
          rule: assign returns Labels with one label per input row, in input order, ...
    """
    expected = _known(expected_failed_checks)
    for name, check in policy_checks(policy, features):
        if name not in expected:
            check(policy)


def parametrize_with_policy_checks(
    policies: Iterable[object],
    *,
    features: FeatureTable | None = None,
    expected_failed_checks: Callable[[object], Mapping[str, str] | None] | None = None,
) -> pytest.MarkDecorator:
    """A pytest decorator running every applicable check on every policy, one test each.

    The test takes the arguments ``policy`` and ``check`` and calls ``check(policy)``. Test
    ids read ``ParetoABC()-clone``. Needs pytest, which is imported only here.

    Args:
        policies: the policies to check, unfitted.
        features: the customer features to use; by default 60 synthetic customers.
        expected_failed_checks: a function from a policy to check name → reason for the
            checks known to fail on it; those tests are marked as strict ``xfail``.

    Returns:
        The ``pytest.mark.parametrize`` decorator.

    Raises:
        InvalidValue: ``expected_failed_checks`` names a check that does not exist.

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

    params = []
    for policy in policies:
        expected = _known(expected_failed_checks(policy) if expected_failed_checks else None)
        for name, check in policy_checks(policy, features):
            marks = (
                [pytest.mark.xfail(reason=expected[name], strict=True)] if name in expected else []
            )
            params.append(pytest.param(policy, check, id=f"{_label(policy)}-{name}", marks=marks))
    return pytest.mark.parametrize(("policy", "check"), params)
