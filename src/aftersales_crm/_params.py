"""Declarative parameter constraints: a policy states each parameter's type and range once.

As scikit-learn's ``_parameter_constraints``: a policy class holds a mapping
``parameter_constraints`` from each constructor parameter to a [`Constraint`][aftersales_crm.policies.Constraint], and
[`validate_params`][aftersales_crm.policies.validate_params] checks the stored values against it, in ``fit`` and ``assign``
(never in ``__init__``, which stores values unchanged). A broken rule raises one
[`InvalidValue`][aftersales_crm.errors.InvalidValue] naming the policy, the parameter, what was
given and the rule, with the code ``"invalid_parameter"``::

    ParetoABC: shares=(0.2, 0.3, 0.4) is invalid: the shares must sum to 1

A constraint may refer to another parameter: [`Param`][aftersales_crm.policies.Param] for its value (``lost_after``
at least ``swinging_after``), [`LengthOf`][aftersales_crm.policies.LengthOf] for its length (one name per threshold).
"""

from __future__ import annotations

import abc
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np

from aftersales_crm._args import is_number, is_whole, to_time_zone, tuple_of
from aftersales_crm.errors import InvalidValue

__all__ = [
    "PARAMETER_CODE",
    "Column",
    "Constraint",
    "Instance",
    "LengthOf",
    "Names",
    "Number",
    "Numbers",
    "OneOf",
    "OrNone",
    "Param",
    "SubsetOf",
    "TimeZone",
    "Whole",
    "check_value",
    "invalid",
    "is_number",
    "is_whole",
    "validate_params",
]

PARAMETER_CODE: Final = "invalid_parameter"
"""Error code of a policy parameter that breaks its constraint."""

SUM_TOLERANCE: Final = 1e-9
"""How far from their target numbers may sum (floating-point rounding of the user's numbers)."""


def invalid(policy: object, parameter: str, value: object, rule: str) -> InvalidValue:
    """The error for a parameter that breaks ``rule``, naming the policy and the parameter.

    Examples:
        >>> print(invalid(Whole(), "bins", 2.5, "expected a whole number"))
        Whole: bins=2.5 is invalid: expected a whole number
    """
    who = getattr(policy, "__name__", None) or type(policy).__name__  # a function, or a policy
    msg = f"{who}: {parameter}={value!r} is invalid: {rule}"
    return InvalidValue(msg, code=PARAMETER_CODE)


class _Broken(Exception):
    """A value breaks its constraint; the validator turns it into [`InvalidValue`][aftersales_crm.errors.InvalidValue]."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


@attrs.frozen
class Param:
    """The value of another parameter, as a bound in a constraint.

    Examples:
        >>> Whole(low=Param("swinging_after")).rule
        'expected a whole number, >= swinging_after'
    """

    name: str

    def __str__(self) -> str:
        """The parameter's name."""
        return self.name


@attrs.frozen
class LengthOf:
    """The length of another parameter, plus ``plus``: a count that follows it.

    Examples:
        >>> Names(count=LengthOf("thresholds", plus=1)).rule
        'expected len(thresholds) + 1 distinct non-empty names'
    """

    name: str
    plus: int = 0

    def __str__(self) -> str:
        """``len(name) + plus``."""
        return f"len({self.name})" + (f" + {self.plus}" if self.plus else "")


Bound = float | Param | None
"""A bound of a range: a number, another parameter's value, or None for no bound."""

Count = int | LengthOf | None
"""A count: a number, another parameter's length, or None for any count."""


def _resolve(bound: Any, params: Mapping[str, Any]) -> Any:
    if isinstance(bound, Param):
        return params[bound.name]
    if isinstance(bound, LengthOf):
        other = params[bound.name]
        return len(other) + bound.plus if isinstance(other, Collection) else None
    return bound


def _g(bound: Any) -> str:
    return f"{bound:g}" if isinstance(bound, int | float) else str(bound)


class Constraint(abc.ABC):
    """The type and range of one policy parameter.

    [`check`][aftersales_crm.policies.Constraint.check] returns the value in the form the policy computes with (a tuple of
    floats, an int) or raises; [`rule`][aftersales_crm.policies.Constraint.rule] says what is expected, for messages and docs.

    Examples:
        >>> Numbers(order="decreasing", low=0).rule
        'expected strictly decreasing numbers, >= 0'
    """

    @property
    @abc.abstractmethod
    def rule(self) -> str:
        """What the constraint expects, in words."""

    @abc.abstractmethod
    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """``value`` checked and normalised; ``params`` are the policy's other parameters.

        Raises:
            _Broken: with the rule ``value`` breaks.
        """


def _range_text(low: Any, high: Any, above: Any = None) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {_g(above)}")
    if low is not None:
        parts.append(f">= {_g(low)}")
    if high is not None:
        parts.append(f"<= {_g(high)}")
    return " and ".join(parts)


def _expected(noun: str, unit: str, bounds: str) -> str:
    """``expected a number of km, > 0``: the noun, its unit and its range."""
    unit = f" of {unit}" if unit else ""
    return f"expected {noun}{unit}" + (f", {bounds}" if bounds else "")


def _in_range(value: float | np.integer[Any], low: Any, high: Any, above: Any = None) -> bool:
    return (
        (above is None or value > above)
        and (low is None or value >= low)
        and (high is None or value <= high)
    )


@attrs.frozen
class Whole(Constraint):
    """A whole number (an int, not a bool or a float) from ``low`` to ``high``.

    Examples:
        >>> Whole(low=1, unit="months").rule
        'expected a whole number of months, >= 1'
        >>> Whole(low=2, high=100).rule
        'expected a whole number from 2 to 100'
        >>> Whole(low=1).check(6, {})
        6
    """

    low: Bound = None
    high: Bound = None
    unit: str = ""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        if self.low is not None and self.high is not None:
            noun = f"a whole number{' of ' * bool(self.unit)}{self.unit}"
            return f"expected {noun} from {_g(self.low)} to {_g(self.high)}"
        return _expected("a whole number", self.unit, _range_text(self.low, self.high))

    def check(self, value: Any, params: Mapping[str, Any]) -> int:
        """``value`` as an int."""
        low, high = _resolve(self.low, params), _resolve(self.high, params)
        if not is_whole(value) or not _in_range(value, low, high):
            raise _Broken(self.rule)
        return int(value)


@attrs.frozen
class Number(Constraint):
    """A finite real number (not a bool), at least ``low``, at most ``high``, above ``above``.

    Examples:
        >>> Number(above=0, unit="km").rule
        'expected a number of km, > 0'
        >>> import numpy as np
        >>> Number(low=0).check(np.float32(2.5), {})
        2.5
    """

    low: Bound = None
    high: Bound = None
    above: Bound = None
    unit: str = ""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return _expected("a number", self.unit, _range_text(self.low, self.high, self.above))

    def check(self, value: Any, params: Mapping[str, Any]) -> float:
        """``value`` as a float."""
        bounds = (_resolve(b, params) for b in (self.low, self.high, self.above))
        if not is_number(value) or not _in_range(float(value), *bounds):
            raise _Broken(self.rule)
        return float(value)


@attrs.frozen
class Numbers(Constraint):
    """A sequence of finite numbers (not text), each in a range, in an order, of a count.

    Attributes:
        low: the smallest number allowed (inclusive).
        high: the largest number allowed (inclusive).
        order: ``"increasing"`` or ``"decreasing"`` (strictly), or ``""`` for any order.
        count: exactly this many numbers (an int or a [`LengthOf`][aftersales_crm.policies.LengthOf]).
        min_count: at least this many numbers (default 1).
        max_count: at most this many numbers.
        too_many: the rule when there are more than ``max_count`` (default "expected at
            most <max_count> numbers"), for a count that means something ("at most 26
            classes").
        whole: each number is whole (an int), for edges in whole years.
        sum_to: the numbers sum to this (within floating-point rounding).
        unit: what the numbers count, for the message ("years").

    Examples:
        >>> Numbers(low=0, high=1, sum_to=1).check([0.2, 0.8], {})
        (0.2, 0.8)
        >>> Numbers(order="increasing", whole=True, unit="years").check((3, 5), {})
        (3, 5)
    """

    low: Bound = None
    high: Bound = None
    order: Literal["", "increasing", "decreasing"] = ""
    count: Count = None
    min_count: int = 1
    max_count: int | None = None
    too_many: str = ""
    whole: bool = False
    sum_to: float | None = None
    unit: str = ""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        count = "" if self.count is None else f"{self.count} "
        kind = f"whole {self.unit or 'numbers'}" if self.whole else "numbers"
        order = f"strictly {self.order} " if self.order else ""
        text = f"expected {count}{order}{kind}"
        bounds = _range_text(self.low, self.high)
        return text + (f", {bounds}" if bounds else "")

    def check(self, value: Any, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """``value`` as a tuple of floats (of ints when ``whole``)."""
        count = _resolve(self.count, params)
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise _Broken(f"expected at least {self.min_count} numbers")
        if count is not None and len(value) != count:
            raise _Broken(f"expected {count} numbers")
        if len(value) < self.min_count:
            raise _Broken(f"expected at least {self.min_count} numbers")
        if self.max_count is not None and len(value) > self.max_count:
            raise _Broken(self.too_many or f"expected at most {self.max_count} numbers")
        if not all(is_number(v) for v in value):
            raise _Broken("expected finite numbers")
        numbers = tuple(float(v) for v in value)
        self._check_range(numbers, params)
        if self.whole and not all(is_whole(v) for v in value):
            raise _Broken(f"expected whole {self.unit or 'numbers'}")
        pairs = list(itertools.pairwise(numbers))
        if self.order == "increasing" and not all(a < b for a, b in pairs):
            raise _Broken("numbers must be strictly increasing")
        if self.order == "decreasing" and not all(a > b for a, b in pairs):
            raise _Broken("numbers must be strictly decreasing")
        return tuple(int(v) for v in value) if self.whole else numbers

    def _check_range(self, numbers: tuple[float, ...], params: Mapping[str, Any]) -> None:
        low, high = _resolve(self.low, params), _resolve(self.high, params)
        if low is not None and min(numbers, default=low) < low:
            raise _Broken(f"numbers must be at least {_g(low)}")
        if high is not None and max(numbers, default=high) > high:
            raise _Broken(f"numbers must be at most {_g(high)}")
        if self.sum_to is not None and abs(sum(numbers) - self.sum_to) > SUM_TOLERANCE:
            raise _Broken(f"the {{name}} must sum to {_g(self.sum_to)}")


@attrs.frozen
class Names(Constraint):
    """Distinct non-empty texts, ``count`` of them, none of them ``exclude``.

    Examples:
        >>> Names(count=2).check(["gold", "silver"], {})
        ('gold', 'silver')
        >>> Names(exclude=("other",)).rule
        "expected distinct non-empty names, not 'other'"
    """

    count: Count = None
    exclude: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        count = "" if self.count is None else f"{self.count} "
        text = f"expected {count}distinct non-empty names"
        return text + (f", not {' or '.join(map(repr, self.exclude))}" if self.exclude else "")

    def check(self, value: Any, params: Mapping[str, Any]) -> tuple[str, ...]:
        """``value`` as a tuple of texts."""
        count = _resolve(self.count, params)
        rule = self.rule if count is None else self.rule.replace(str(self.count), str(count))
        if (
            not isinstance(value, Sequence)
            or isinstance(value, str)
            or (count is not None and len(value) != count)
            or not all(isinstance(n, str) and n for n in value)
            or len(set(value)) != len(value)
            or set(value) & set(self.exclude)
        ):
            raise _Broken(rule)
        return tuple(value)


@attrs.frozen
class Column(Constraint):
    """The name of a feature column: a non-empty text.

    Examples:
        >>> Column().rule
        'expected the name of a feature column'
    """

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return "expected the name of a feature column"

    def check(self, value: Any, params: Mapping[str, Any]) -> str:
        """``value`` as a text."""
        if not isinstance(value, str) or not value:
            raise _Broken(self.rule)
        return value


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple_of(values, parameter="options")


def _same_kind(a: object, b: object) -> bool:
    """Whether ``a`` is of the kind of ``b``: both whole numbers, both texts, or same type."""
    if is_whole(b):
        return is_whole(a)
    return isinstance(a, type(b))


@attrs.frozen
class OneOf(Constraint):
    """One of a few values, of the same kind (``4.0`` is not one of ``(4, 8)``).

    Examples:
        >>> OneOf((4, 8)).rule, OneOf(("km", "visits")).rule
        ('expected 4 or 8', "expected 'km' or 'visits'")
        >>> import numpy as np
        >>> OneOf((4, 8)).check(np.int64(8), {})
        8
    """

    options: tuple[Any, ...] = attrs.field(converter=_tuple)

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return "expected " + " or ".join(map(repr, self.options))

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """The option ``value`` equals."""
        for option in self.options:
            if _same_kind(value, option) and value == option:
                return option
        raise _Broken(self.rule)


@attrs.frozen
class SubsetOf(Constraint):
    """A collection (tuple, list, set; not text) of some of ``options``.

    Examples:
        >>> SubsetOf(("D", "G", "S"), what="column letters").check(["D"], {})
        frozenset({'D'})
    """

    options: tuple[Any, ...] = attrs.field(converter=_tuple)
    what: str = "values"

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected {self.what} of {self.options}"

    def check(self, value: Any, params: Mapping[str, Any]) -> frozenset[Any]:
        """``value`` as a frozenset."""
        if (
            isinstance(value, str)
            or not isinstance(value, tuple | list | set | frozenset)
            or not all(v in self.options for v in value)
        ):
            raise _Broken(self.rule)
        return frozenset(value)


@attrs.frozen
class Instance(Constraint):
    """An instance of ``cls`` (a runtime-checkable protocol works too).

    Examples:
        >>> Instance(int, "a count").rule
        'expected a count'
    """

    cls: type
    what: str

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected {self.what}"

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """``value`` itself."""
        if not isinstance(value, self.cls):
            raise _Broken(self.rule)
        return value


class TimeZone(Constraint):
    """An IANA time zone name (``"Asia/Shanghai"``), the programme's zone of a policy.

    Examples:
        >>> TimeZone().check("Asia/Shanghai", {})
        'Asia/Shanghai'
        >>> TimeZone().rule
        "expected an IANA time zone name such as 'Asia/Shanghai'"
    """

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return "expected an IANA time zone name such as 'Asia/Shanghai'"

    def check(self, value: Any, params: Mapping[str, Any]) -> str:
        """``value`` itself, once ``zoneinfo`` knows it."""
        if not isinstance(value, str):
            raise _Broken(self.rule)
        try:
            to_time_zone(value)
        except InvalidValue:
            raise _Broken(self.rule) from None
        return value


@attrs.frozen
class OrNone(Constraint):
    """``None``, or a value ``constraint`` accepts.

    Examples:
        >>> OrNone(Number(above=0, unit="km")).rule
        'expected a number of km, > 0, or None'
        >>> OrNone(Column()).check(None, {}) is None
        True
    """

    constraint: Constraint

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"{self.constraint.rule}, or None"

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """None, or ``value`` as the inner constraint gives it."""
        if value is None:
            return None
        try:
            return self.constraint.check(value, params)
        except _Broken:
            raise _Broken(self.rule) from None


def validate_params(policy: object, *names: str) -> dict[str, Any]:
    """The policy's parameters checked against its ``parameter_constraints``, normalised.

    Parameters are checked in the order the constraints are declared; a constraint that
    refers to another parameter ([`Param`][aftersales_crm.policies.Param], [`LengthOf`][aftersales_crm.policies.LengthOf]) sees that parameter
    checked when it comes earlier, as given otherwise.

    Args:
        policy: a policy whose class declares ``parameter_constraints``, a mapping from
            each parameter name to its [`Constraint`][aftersales_crm.policies.Constraint]; a class without them has
            nothing to check.
        *names: check only these parameters (default: all of them).

    Returns:
        Parameter name → the value in the form the policy computes with (a tuple of
        floats, an int…).

    Raises:
        InvalidValue: naming the policy, the first parameter that breaks its constraint,
            what was given and the rule, with the code ``"invalid_parameter"``.

    Examples:
        >>> class Bins:
        ...     parameter_constraints = {"bins": Whole(low=2, high=100)}
        ...     def __init__(self, *, bins=5):
        ...         self.bins = bins
        >>> validate_params(Bins())
        {'bins': 5}
        >>> validate_params(Bins(bins=2.5))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Bins: bins=2.5 is invalid: expected a whole number from 2 to 100
    """
    constraints: Mapping[str, Constraint] = getattr(type(policy), "parameter_constraints", {})
    wanted = set(names) if names else None
    given = {name: getattr(policy, name) for name in constraints}
    checked: dict[str, Any] = {}
    for name, constraint in constraints.items():
        if wanted is None or name in wanted:
            checked[name] = check_value(policy, name, given[name], constraint, given | checked)
    return checked


def check_value(
    policy: object,
    name: str,
    value: Any,
    constraint: Constraint,
    params: Mapping[str, Any] | None = None,
) -> Any:
    """``value`` of the parameter ``name`` checked against ``constraint``, normalised.

    Raises:
        InvalidValue: naming the policy, the parameter, the value and the rule.

    Examples:
        >>> check_value(Whole(), "value", "spend", Column())
        'spend'
        >>> check_value(Whole(), "value", "", Column())
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Whole: value='' is invalid: expected the name of a feature column
    """
    try:
        return constraint.check(value, params or {})
    except _Broken as broken:
        rule = broken.rule.replace("{name}", name)
        raise invalid(policy, name, value, rule) from None
