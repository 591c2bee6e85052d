"""Global fits from per-part features: which columns a fit reads, gathered (no dask here).

A population-relative policy ([`fit`][aftersales_crm.policies.PolicyKindSpec.fit]) learns
from the whole customer base: Pareto shares, quantiles, a BG/NBD model. Its fit reads a few
feature columns; those columns, gathered from every part into one
[`FeatureTable`][aftersales_crm.features.FeatureTable], give exactly the single-process fit,
as a fit depends on the rows and not on their order (the rows come part by part). Which
columns a fit reads is found by running it on one part's features through a table that
notes every column asked for; a fit that reads the table whole (its ids, its vehicles, every
column) gets the whole table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._kinds import policy_kind
from aftersales_crm._params import Instance, OrNone
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = [
    "IDS",
    "WHOLE",
    "dkw_bound",
    "kept_fitted",
    "prefitted",
    "reading",
    "relative",
    "sample_rows",
]

WHOLE: Final = "*"
"""What a fit reads when it reads the table whole (not column by column)."""

IDS: Final = "#ids"
"""What a fit reads when it reads the customers' ids (ParetoABC breaks ties by id)."""

_WHOLE_ATTRIBUTES: Final = frozenset({"columns", "vehicles"})


class _Reading(FeatureTable):
    """A FeatureTable that notes the columns read (``WHOLE`` for a read of the whole)."""

    __slots__ = ("_read",)

    _read: set[str]

    def _note(self, name: str) -> None:
        try:
            read: set[str] = object.__getattribute__(self, "_read")
        except AttributeError:  # while being made, or a copy (``take``): nothing to note
            return
        read.add(name)

    def __getitem__(self, name: str) -> NDArray[Any]:
        object.__getattribute__(self, "_note")(name)
        columns: Mapping[str, NDArray[Any]] = object.__getattribute__(self, "columns")
        if isinstance(name, str) and name in columns:
            return columns[name]
        return FeatureTable.__getitem__(self, name)

    def __getattribute__(self, name: str) -> Any:
        if name in _WHOLE_ATTRIBUTES:
            object.__getattribute__(self, "_note")(WHOLE)
        elif name == "ids":
            object.__getattribute__(self, "_note")(IDS)
        return object.__getattribute__(self, name)

    def __iter__(self) -> Iterator[str]:
        object.__getattribute__(self, "_note")(WHOLE)
        return iter(object.__getattribute__(self, "columns"))

    def __len__(self) -> int:
        return len(object.__getattribute__(self, "ids"))


def reading(features: FeatureTable, read: set[str]) -> FeatureTable:
    """``features`` as a table that adds to ``read`` the name of every column asked for.

    Examples:
        >>> feats = FeatureTable.from_columns({"a": [1], "b": [2]}, as_of="2026-06-30")
        >>> read = set()
        >>> int(reading(feats, read)["a"][0]), read
        (1, {'a'})
    """
    table = _Reading(
        features.key,
        features.ids,
        features.columns,
        features.as_of,
        features.currency,
        categories=features.categories,
        vehicles=features.vehicles,
    )
    object.__setattr__(table, "_read", read)
    return table


def relative(policy: object) -> bool:
    """Whether ``policy`` learns from the population: its kind fits and it says so.

    Examples:
        >>> from aftersales_crm.segmentation import ParetoABC, VehicleAgeBand
        >>> relative(ParetoABC()), relative(VehicleAgeBand()), relative(None)
        (True, False, False)
    """
    kind = getattr(type(policy), "kind", None)
    if not isinstance(kind, str) or getattr(type(policy), "population_relative", False) is not True:
        return False
    try:
        return policy_kind(kind).fits
    except LookupError:
        return False


@attrs.frozen
class _KeepFit:
    """A ``fit`` that gives back the policy fitted already, on whatever it is asked to fit."""

    fitted: Any

    def __call__(self, features: object) -> Any:
        return self.fitted


def kept_fitted(fitted: Any) -> Any:
    """``fitted`` with a ``fit`` that keeps it as it is: a policy fitted on the whole base.

    A care rule fitting a policy on the part it sees (the win-back matrix) then uses the
    whole base's fit.

    Raises:
        InvalidValue: the policy has no instance dictionary to hold the ``fit``.

    Examples:
        >>> from aftersales_crm.segmentation import ParetoABC
        >>> fitted = ParetoABC().fit(FeatureTable.from_columns({"spend_fen": [5, 1, 9]}, as_of="2026-06-30"))
        >>> kept = kept_fitted(fitted)
        >>> kept.fit(None) is kept
        True
    """
    holder = getattr(fitted, "__dict__", None)
    if holder is None:
        msg = f"{type(fitted).__name__} has no instance dictionary: it cannot keep a global fit"
        raise InvalidValue(msg, code="invalid_argument")
    holder["fit"] = _KeepFit(fitted)
    return fitted


def _default_of(owner: object, name: str) -> object:
    """The policy a parameter left ``None`` stands for, when it is population-relative.

    A parameter declared ``OrNone(Instance(cls))`` whose ``None`` means ``cls()`` with its
    defaults (the win-back rule's matrix).
    """
    constraints = getattr(type(owner), "parameter_constraints", {})
    found = constraints.get(name) if isinstance(constraints, Mapping) else None
    if isinstance(found, OrNone) and isinstance(found.constraint, Instance):
        cls = found.constraint.cls
        if getattr(cls, "population_relative", False) is True:
            return cls()
    return None


def prefitted(policy: Any, fit: Any) -> Any:
    """A copy of ``policy`` whose population-relative parts are fitted by ``fit`` and kept.

    Walks the parameters (``get_params``), into tuples and lists of policies and into
    policies holding policies (a planner's rules, a contact rule's parts). A parameter
    left ``None`` that stands for a population-relative policy with its defaults is
    given that policy, fitted.

    Args:
        policy: a policy, or anything with ``get_params`` (a planner).
        fit: ``fit(policy) -> fitted policy``, the whole base's fit.

    Examples:
        >>> from aftersales_crm.care import Planner, WinBack
        >>> seen = []
        >>> def fit(p):
        ...     seen.append(type(p).__name__)
        ...     return p
        >>> planner = prefitted(Planner(rules=[WinBack()]), fit)
        >>> seen, type(planner.rules[0].matrix).__name__
        (['LoyaltyValueMatrix'], 'LoyaltyValueMatrix')
    """
    if relative(policy):
        return kept_fitted(fit(policy))
    params = getattr(policy, "get_params", None)
    if params is None:
        return policy
    given: dict[str, Any] = params()
    changes: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            default = _default_of(policy, name)
            if default is not None:
                changes[name] = prefitted(default, fit)
        elif isinstance(value, tuple | list):
            items = [prefitted(item, fit) for item in value]
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[name] = type(value)(items)
        elif hasattr(value, "get_params"):
            done = prefitted(value, fit)
            if done is not value:
                changes[name] = done
    if not changes:
        return policy
    return type(policy)(**{**given, **changes})


def sample_rows(hashes: NDArray[np.uint64], fraction: float) -> NDArray[np.intp]:
    """The rows whose hash falls in the lowest ``fraction`` of the hash range.

    A deterministic sample: the same customer is in it or not in every run and part.

    Examples:
        >>> import numpy as np
        >>> h = np.array([0, 2**63, 2**64 - 1], dtype=np.uint64)
        >>> sample_rows(h, 0.5).tolist()
        [0]
    """
    limit = np.uint64(min(int(fraction * 2.0**64), 2**64 - 1))
    return np.flatnonzero(hashes < limit)


def dkw_bound(m: int, delta: float = 1e-6) -> float:
    """The Dvoretzky–Kiefer–Wolfowitz bound on a sample's distribution function.

    With probability at least ``1 - delta``, the distribution function of a uniform
    random sample of ``m`` customers is within ``sqrt(ln(2 / delta) / (2 m))`` of the whole
    base's at every value (Massart, "The tight constant in the Dvoretzky–Kiefer–Wolfowitz
    inequality", Annals of Probability 18, 1990). A quantile cut-off fitted on the sample
    thus puts at most that share of customers on the other side of the exact cut-off.
    Sampling without replacement from a finite base is no worse (Serfling, 1974).

    Args:
        m: the sample's size, at least 1.
        delta: the probability allowed for a larger error, in (0, 1).

    Raises:
        InvalidValue: ``m`` below 1 or ``delta`` outside (0, 1).

    Examples:
        >>> round(dkw_bound(100_000), 4)
        0.0085
    """
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        msg = f"the sample size is {m!r}, expected a whole number >= 1"
        raise InvalidValue(msg, code="invalid_argument")
    if not isinstance(delta, float | int) or not 0 < delta < 1:
        msg = f"delta is {delta!r}, expected a probability in (0, 1)"
        raise InvalidValue(msg, code="invalid_argument")
    return math.sqrt(math.log(2 / delta) / (2 * m))


def gathered_table(
    parts: Sequence[tuple[Mapping[str, NDArray[Any]], int]],
    like: FeatureTable,
    read: set[str],
) -> FeatureTable:
    """One table of the columns gathered from every part, noting reads.

    The ids are gathered as the column ``IDS`` when a fit reads them; otherwise every row
    has the empty id.

    Examples:
        >>> import numpy as np
        >>> like = FeatureTable.from_columns({"a": [1]}, as_of="2026-06-30")
        >>> t = gathered_table([({"a": np.array([1, 2])}, 2), ({"a": np.array([3])}, 1)], like, set())
        >>> t["a"].tolist(), len(t)
        ([1, 2, 3], 3)
    """
    names = list(parts[0][0]) if parts else []
    n = sum(size for _, size in parts)
    columns = {name: np.concatenate([cols[name] for cols, _ in parts]) for name in names}
    ids = columns.pop(IDS) if IDS in columns else np.zeros(n, dtype="<U1")
    table = _Reading(
        like.key,
        ids,
        columns,
        like.as_of,
        like.currency,
        categories={k: v for k, v in like.categories.items() if k in columns},
        vehicles=None,
    )
    object.__setattr__(table, "_read", read)
    return table
