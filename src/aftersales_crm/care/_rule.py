"""What care rules and contact rules share: their protocols and small helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, OneOf, Whole
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import PolicyKind
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._tasks import CareTasks
from aftersales_crm.errors import InvalidType
from aftersales_crm.values import ContactChannel

__all__ = [
    "CHANNEL_VALUES",
    "PRIORITY_RANGE",
    "READS_FEATURES",
    "READS_VEHICLES",
    "TASK_PARAMETERS",
    "CareRule",
    "PoliciesOf",
    "PolicyOf",
    "care_inputs",
    "care_tasks",
    "rows_of",
]

CHANNEL_VALUES: Final = tuple(channel.value for channel in ContactChannel)
"""The channels a rule's ``channel`` parameter may name."""

PRIORITY_RANGE: Final = 1_000_000
"""Priorities and boosts lie from minus to plus this: far beyond any scale in use, far
inside int64 when added up."""


READS_FEATURES: Final = "reads_features"
"""The attribute by which a care rule says it reads the customer features
([`CareInputs.features`][aftersales_crm.care.CareInputs.features]): when one of its
rules sets it true, the planner computes the customer features first, once, and every
rule shares them and the vehicle features computed with them (else the vehicle features
alone are computed, faster, and a rule that reads the customer features later computes
the order facts a second time). A frozenset of column names instead of True says the rule
reads only those ([`CareInputs.features_with`][aftersales_crm.care.CareInputs.features_with]):
when no rule reads more, only the kernels giving them run. A hint for speed only: the
tasks are the same without it.

Examples:
    >>> from aftersales_crm.care import MaintenanceDue, WinBack
    >>> sorted(getattr(WinBack(), READS_FEATURES))[:2], getattr(MaintenanceDue, READS_FEATURES, False)
    (['activities_window', 'avg_line_spend_fen'], False)
"""


READS_VEHICLES: Final = "reads_vehicles"
"""The attribute by which a care rule names the vehicle features it reads
([`CareInputs.vehicles`][aftersales_crm.care.CareInputs.vehicles], and the ``.vehicles`` of
the customer features): a frozenset of column names. When every rule names them, the
planner computes only those ([`CareInputs.limit_vehicles`][aftersales_crm.care.CareInputs.limit_vehicles]);
a rule without it (or with None) reads every column, as before. A hint for speed only,
as [`READS_FEATURES`][aftersales_crm.care.READS_FEATURES]: the tasks are the same without it.

Examples:
    >>> from aftersales_crm.care import FollowUpCalls, MaintenanceDue
    >>> sorted(getattr(MaintenanceDue(), READS_VEHICLES)), getattr(FollowUpCalls(), READS_VEHICLES)
    (['km_per_day', 'last_service', 'last_service_mileage', 'owner'], frozenset())
"""


TASK_PARAMETERS: Final[Mapping[str, Constraint]] = {
    "channel": OneOf(CHANNEL_VALUES),
    "priority": Whole(low=-PRIORITY_RANGE, high=PRIORITY_RANGE),
}
"""The constraints of the parameters every built-in care rule ends with: the suggested
channel and the tasks' priority."""


def _of_kind(value: object, kind: str, verb: str) -> bool:
    return getattr(type(value), "kind", None) == kind and callable(getattr(value, verb, None))


class PoliciesOf(Constraint):
    """A tuple of policies of one kind (each with the kind's verb).

    Examples:
        >>> PoliciesOf("contact_rule", "check").rule
        "expected a tuple of policies of the kind 'contact_rule'"
    """

    def __init__(self, kind: str, verb: str) -> None:
        self.kind = kind
        self.verb = verb

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected a tuple of policies of the kind {self.kind!r}"

    def check(self, value: Any, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """``value`` as a tuple of policies."""
        if not isinstance(value, tuple | list) or not all(
            _of_kind(v, self.kind, self.verb) for v in value
        ):
            raise Broken(self.rule)
        return tuple(value)


class PolicyOf(PoliciesOf):
    """One policy of a kind (with the kind's verb).

    Examples:
        >>> PolicyOf("contact_rule", "check").rule
        "expected a policy of the kind 'contact_rule'"
    """

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected a policy of the kind {self.kind!r}"

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """``value`` itself."""
        if not _of_kind(value, self.kind, self.verb):
            raise Broken(self.rule)
        return value


@runtime_checkable
class CareRule(Protocol):
    """A care rule (policy kind ``care_rule``): facts and features in, dated care tasks out.

    A care rule gives every task whose window meets the days from ``inputs.start`` to
    ``inputs.end``, reading only facts up to ``inputs.as_of``; the same facts give the
    same tasks whatever order they arrive in.

    Examples:
        >>> from aftersales_crm.care import FollowUpCalls
        >>> isinstance(FollowUpCalls(), CareRule)
        True
    """

    kind: ClassVar[PolicyKind]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters."""
        ...

    def set_params(self, **params: Any) -> Any:
        """A new rule with ``params`` changed."""
        ...

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The tasks whose window meets the days of ``inputs``."""
        ...


def _name(reader: object) -> str:
    """What to call ``reader`` in a message: its name, or its class's."""
    if isinstance(reader, str):
        return reader
    return reader.__name__ if isinstance(reader, type) else type(reader).__name__


def care_inputs(inputs: object, reader: object) -> CareInputs:
    """``inputs`` if they are [`CareInputs`][aftersales_crm.care.CareInputs]; else the library's error naming ``reader``.

    Examples:
        >>> care_inputs(None, "FollowUpCalls")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidType: FollowUpCalls: inputs is NoneType, expected CareInputs (CareInputs.of(tables, start=…) builds them)
    """
    if not isinstance(inputs, CareInputs):
        msg = (
            f"{_name(reader)}: inputs is {type(inputs).__name__}, expected CareInputs"
            " (CareInputs.of(tables, start=…) builds them)"
        )
        raise InvalidType(msg)
    return inputs


def care_tasks(tasks: object, reader: object) -> CareTasks:
    """``tasks`` if they are [`CareTasks`][aftersales_crm.care.CareTasks]; else the library's error naming ``reader``.

    Examples:
        >>> care_tasks([], "Consent")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidType: Consent: tasks is list, expected CareTasks
    """
    if not isinstance(tasks, CareTasks):
        msg = f"{_name(reader)}: tasks is {type(tasks).__name__}, expected CareTasks"
        raise InvalidType(msg)
    return tasks


def rows_of(values: NDArray[Any], rows: NDArray[np.int64], missing: Any) -> NDArray[Any]:
    """``values[rows]`` as texts, ``missing`` where the row is -1 (no vehicle, no order).

    Examples:
        >>> rows_of(np.array(["V1", "V2"]), np.array([1, -1]), "").tolist()
        ['V2', '']
    """
    texts = np.asarray(values)
    if texts.dtype.kind != "U":
        texts = texts.astype(np.str_)
    out = np.full(len(rows), missing, dtype=texts.dtype if len(texts) else "<U1")
    found = rows >= 0
    out[found] = texts[rows[found]]
    return out
