"""The policy contract: protocols, the results they return, and the optional BasePolicy helper.

A policy is a small object with keyword-only parameters (the domain's numbers as defaults,
stored unchanged, no work in ``__init__``), ``get_params``/``set_params``/``clone``, a
``fit`` that returns a fitted *copy* (state in trailing-underscore attributes) and an
``assign`` that returns one label per input row, in input order. Per-row results are
[`Labels`][aftersales_crm.policies.Labels] (categories) or [`Scores`][aftersales_crm.policies.Scores] (numbers).
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal, Protocol, Self, TypeAlias, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, language, number_array, positions, tuple_of
from aftersales_crm._display import Displayed, Head, snake_name
from aftersales_crm._optional import require
from aftersales_crm._params import Constraint, validate_params
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.values import NONE_CODE

__all__ = [
    "BasePolicy",
    "DimensionPolicy",
    "Labels",
    "LoyaltyRule",
    "Parameterised",
    "Policy",
    "PolicyKind",
    "SatisfactionScorer",
    "Scores",
    "TierPolicy",
    "check_is_fitted",
    "feature",
    "feature_table",
]

PolicyKind: TypeAlias = str
"""The name of a policy kind (``"tier"``, ``"dimension"``, ``"loyalty"``, or any kind declared
with [`declare_kind`][aftersales_crm.policies.declare_kind]): the type of a policy's ``kind``."""

_MISSING = NONE_CODE

_SHOWN_COUNTS: Final = 6
"""Labels a Labels' ``repr`` counts in its first line."""


def _codes(codes: NDArray[Any]) -> NDArray[np.int16]:
    given: object = codes
    if isinstance(given, np.ndarray) and given.dtype == np.bool_:
        codes = given.astype(np.int64)  # a mask as codes: False is label 0, True label 1
    wide = number_array(codes, parameter="Labels codes", dtype="int64")
    if wide.ndim != 1:
        msg = f"label codes are one per row: codes has shape {wide.shape}"
        raise InvalidValue(msg, code="label_code")
    limits = np.iinfo(np.int16)
    if len(wide) and (wide.min() < limits.min or wide.max() > limits.max):
        msg = f"label codes run from {wide.min()} to {wide.max()}, beyond int16"
        raise InvalidValue(msg, code="label_code")
    out = wide.astype(np.int16)
    out.flags.writeable = False
    return out


def _names(names: Iterable[str]) -> tuple[str, ...]:
    found = tuple_of(names, parameter="Labels names")
    if not all(isinstance(name, str) for name in found):
        msg = f"label names must be texts, got {found!r:.80}"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return found


def _maybe_names(names: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if names is None else _names(names)


def _maybe_ids(ids: NDArray[Any] | None) -> NDArray[np.str_] | None:
    if ids is None:
        return None
    given: object = ids
    if isinstance(given, str | bytes) or not isinstance(given, np.ndarray | list | tuple):
        msg = f"ids is {ids!r:.80} ({type(ids).__name__}), expected an array of ids"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    out = np.asarray(ids, dtype=np.str_).view()
    out.flags.writeable = False
    return out


def _maybe_name(name: object) -> str | None:
    if name is None or isinstance(name, str):
        return name
    msg = f"name is {name!r:.80} ({type(name).__name__}), expected a text or None"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def _same_ids(a: NDArray[np.str_] | None, b: NDArray[np.str_] | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b))


def _index(pd: Any, ids: NDArray[np.str_] | None, key: str) -> Any:
    return None if ids is None else pd.Index(ids.astype(object), name=key)


@attrs.frozen(eq=False, repr=False)
class Labels(Displayed):
    """One label per row: small integer codes into a tuple of label names.

    A policy's ``assign`` gives Labels that know their rows and their name: ``ids`` are
    the customer ids of the FeatureTable read (``key`` names them), and ``name`` is the
    policy's short name (``"pareto_abc"``, [`BasePolicy.short_name`][aftersales_crm.policies.BasePolicy.short_name]). Labels built
    by hand have neither until given.

    Two Labels are equal when their names and codes are: the same labelling, row by row.
    The ids, name, key and Chinese names do not take part, so the labels of a plain-class
    policy (which has no ``short_name`` and sets no ids) equal those of the same policy
    written on [`BasePolicy`][aftersales_crm.policies.BasePolicy]; compare ``ids`` too where the rows' identity matters.

    Attributes:
        codes: int16 array of shape (n_rows,), the position of each row's label in
            ``names``, ``-1`` where a row has none (a customer without the data).
        names: the labels, in their natural order, best first (A, B, C; loyal,
            swinging, lost).
        names_zh: the labels in Chinese, when the policy has them.
        ids: the id of each row (customer ids), or None.
        name: what the labels are (the policy's short name, ``"pareto_abc"``), or None.
        key: the name of the ids (``"customer_id"``).

    Examples:
        >>> labels = Labels(np.array([0, 1, 0, -1]), ("A", "B"))
        >>> labels.values().tolist(), labels.counts()
        (['A', 'B', 'A', None], {'A': 2, 'B': 1})
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> from aftersales_crm.segmentation import ParetoABC
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> tiers = ParetoABC().fit(feats).assign(feats)
        >>> tiers.name, tiers.key, tiers.ids.tolist() == feats.ids.tolist()
        ('pareto_abc', 'customer_id', True)
        >>> tiers
        Labels 'pareto_abc': 30 rows (A 6, B 9, C 15)
        customer_id  pareto_abc
        C0000000     C
        C0000001     B
        C0000002     A
        C0000003     B
        C0000004     C
        … 25 more rows
    """

    codes: NDArray[np.int16] = attrs.field(converter=_codes)
    names: tuple[str, ...] = attrs.field(converter=_names)
    names_zh: tuple[str, ...] | None = attrs.field(default=None, converter=_maybe_names)
    ids: NDArray[np.str_] | None = attrs.field(default=None, converter=_maybe_ids)
    name: str | None = attrs.field(default=None, converter=_maybe_name)
    key: str = "customer_id"

    def __attrs_post_init__(self) -> None:
        if len(self.codes) and (self.codes.min() < _MISSING or self.codes.max() >= len(self.names)):
            msg = f"label codes must lie in -1..{len(self.names) - 1}"
            raise InvalidValue(msg, code="label_code")
        if self.names_zh is not None and len(self.names_zh) != len(self.names):
            msg = f"{len(self.names_zh)} Chinese names for {len(self.names)} labels"
            raise InvalidValue(msg, code="label_names")
        if self.ids is not None and len(self.ids) != len(self.codes):
            msg = f"{len(self.ids)} ids for {len(self.codes)} labels"
            raise InvalidValue(msg, code="label_ids")

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.codes)

    def __eq__(self, other: object) -> bool:
        """Same names and codes (ids, name, key and Chinese names aside)."""
        if not isinstance(other, Labels):
            return NotImplemented
        return self.names == other.names and bool(np.array_equal(self.codes, other.codes))

    def __hash__(self) -> int:
        """Hash by names and length."""
        return hash((self.names, len(self.codes)))

    def values(self, lang: Literal["en", "zh"] = "en") -> NDArray[np.object_]:
        """Each row's label as text (``None`` for none).

        Examples:
            >>> Labels(np.array([1, 0]), ("loyal", "lost"), ("忠诚", "流失")).values("zh").tolist()
            ['流失', '忠诚']
        """
        return np.array([*self.label_names(lang), None], dtype=object)[self.codes]

    def label_names(self, lang: Literal["en", "zh"] = "en") -> tuple[str, ...]:
        """The label names in ``lang``, best first (the English ones without Chinese names).

        Examples:
            >>> Labels(np.array([1, 0]), ("loyal", "lost"), ("忠诚", "流失")).label_names("zh")
            ('忠诚', '流失')
        """
        zh = language(lang) == "zh"
        return self.names_zh if zh and self.names_zh is not None else self.names

    def counts(self) -> dict[str, int]:
        """Rows per label, in label order, labels without rows left out.

        Examples:
            >>> Labels(np.array([2, 2, 0]), ("A", "B", "C")).counts()
            {'A': 1, 'C': 2}
        """
        found = np.bincount(self.codes[self.codes >= 0], minlength=len(self.names)).tolist()
        return {name: found[i] for i, name in enumerate(self.names) if found[i]}

    def take(self, rows: NDArray[np.intp]) -> Labels:
        """The labels of rows ``rows``, with their ids.

        Examples:
            >>> Labels(np.array([0, 1]), ("A", "B")).take(np.array([1])).values().tolist()
            ['B']
        """
        rows = positions(rows, len(self))
        ids = None if self.ids is None else self.ids[rows]
        return attrs.evolve(self, codes=self.codes[rows], ids=ids)

    def to_pandas(self, lang: Literal["en", "zh"] = "en") -> Any:
        """A pandas Series of an ordered Categorical, indexed by the ids (extra ``pandas``).

        The categories are the label names in ``lang``, in the labels' order, best first,
        so ``series.sort_values()`` puts A before B and ``series < "C"`` works; a row
        without a label is NaN. The index is the ids, named ``key`` (a plain row
        number without ids); the Series is named ``name``.

        Examples:
            >>> labels = Labels(np.array([2, 0, -1]), ("A", "B", "C"), ("A类", "B类", "C类"),
            ...                 ids=np.array(["C1", "C2", "C3"]), name="pareto_abc")
            >>> series = labels.to_pandas()
            >>> series.name, series.index.name, series.tolist()
            ('pareto_abc', 'customer_id', ['C', 'A', nan])
            >>> series.cat.categories.tolist(), series.cat.ordered
            (['A', 'B', 'C'], True)
            >>> labels.to_pandas("zh").loc["C2"]
            'A类'
        """
        pd = require("pandas", extra="pandas")
        values = pd.Categorical.from_codes(
            self.codes, categories=list(self.label_names(lang)), ordered=True
        )
        return pd.Series(values, index=_index(pd, self.ids, self.key), name=self.name)

    def _display_title(self) -> str:
        named = "" if self.name is None else f" {self.name!r}"
        return f"Labels{named}"

    def _display_arrays(self) -> Mapping[str, Any]:
        ids = {} if self.ids is None else {self.key: self.ids}
        return ids | {self.name or "label": self.values()}

    def _display_size(self, head: Head) -> str:
        counts = self.counts()
        if not counts:
            return super()._display_size(head)
        shown = ", ".join(f"{name} {n:,}" for name, n in list(counts.items())[:_SHOWN_COUNTS])
        more = ", …" if len(counts) > _SHOWN_COUNTS else ""
        return f"{super()._display_size(head)} ({shown}{more})"


def _floats(values: NDArray[Any]) -> NDArray[np.float64]:
    out = number_array(values, parameter="Scores values").view()
    out.flags.writeable = False
    return out


@attrs.frozen(eq=False, repr=False)
class Scores(Displayed):
    """One number per row: the numeric sibling of [`Labels`][aftersales_crm.policies.Labels].

    A score, a probability or any measure a policy gives each customer, as a float64
    array aligned with the rows the policy read, NaN where a row has none (the ``-1`` of
    Labels). With the rows' ids, [`to_pandas`][aftersales_crm.policies.Scores.to_pandas] gives a Series indexed by them.

    Attributes:
        values: float64 array of shape (n_rows,), NaN where a row has no score.
        ids: the id of each row (customer ids), or None.
        name: what the numbers are (``"rfm_total"``, ``"churn_probability"``).
        key: the name of the ids (``"customer_id"``).

    Examples:
        >>> scores = Scores(np.array([3, 12, np.nan]), np.array(["C1", "C2", "C3"]), name="rfm")
        >>> scores.values.tolist(), len(scores), scores.missing()
        ([3.0, 12.0, nan], 3, 1)
        >>> scores.take(np.array([1])).values.tolist()
        [12.0]
    """

    values: NDArray[np.float64] = attrs.field(converter=_floats)
    ids: NDArray[np.str_] | None = attrs.field(default=None, converter=_maybe_ids)
    name: str = "score"
    key: str = "customer_id"

    def __attrs_post_init__(self) -> None:
        if self.values.ndim != 1:
            msg = f"scores are one number per row: values has shape {self.values.shape}"
            raise InvalidValue(msg, code="score_shape")
        if self.ids is not None and len(self.ids) != len(self.values):
            msg = f"{len(self.ids)} ids for {len(self.values)} scores"
            raise InvalidValue(msg, code="score_ids")

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.values)

    def __eq__(self, other: object) -> bool:
        """Same name, ids and values (NaN equals NaN)."""
        if not isinstance(other, Scores):
            return NotImplemented
        return (
            self.name == other.name
            and _same_ids(self.ids, other.ids)
            and bool(np.array_equal(self.values, other.values, equal_nan=True))
        )

    def __hash__(self) -> int:
        """Hash by name and length."""
        return hash((self.name, len(self.values)))

    def missing(self) -> int:
        """Rows without a score (NaN).

        Examples:
            >>> Scores(np.array([np.nan, 1.0])).missing()
            1
        """
        return int(np.count_nonzero(np.isnan(self.values)))

    def take(self, rows: NDArray[np.intp]) -> Scores:
        """The scores of rows ``rows``, with their ids.

        Examples:
            >>> Scores(np.array([0.5, 0.25]), np.array(["a", "b"])).take(np.array([1, 0])).ids.tolist()
            ['b', 'a']
        """
        rows = positions(rows, len(self))
        ids = None if self.ids is None else self.ids[rows]
        return attrs.evolve(self, values=self.values[rows], ids=ids)

    def to_pandas(self) -> Any:
        """A pandas Series named ``name``, indexed by the ids (needs the ``pandas`` extra).

        Examples:
            >>> series = Scores(np.array([0.5, np.nan]), np.array(["C1", "C2"]), name="p").to_pandas()
            >>> series.index.name, series.name, series.loc["C1"]
            ('customer_id', 'p', np.float64(0.5))
        """
        pd = require("pandas", extra="pandas")
        return pd.Series(self.values, index=_index(pd, self.ids, self.key), name=self.name)

    def _display_title(self) -> str:
        return f"Scores {self.name!r}"

    def _display_arrays(self) -> Mapping[str, Any]:
        ids = {} if self.ids is None else {self.key: self.ids}
        return ids | {self.name: self.values}


@runtime_checkable
class Policy(Protocol):
    """What every policy offers: parameters, a fitted copy, and one label per row.

    Examples:
        >>> class Everyone(BasePolicy):
        ...     kind = "tier"
        ...     def assign(self, features):
        ...         return Labels(np.zeros(len(features), dtype=int), ("all",))
        >>> isinstance(Everyone(), Policy)
        True
    """

    kind: ClassVar[PolicyKind]
    population_relative: ClassVar[bool]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name."""
        ...

    def set_params(self, **params: Any) -> Self:
        """A new, unfitted policy with some parameters changed."""
        ...

    def fit(self, features: FeatureTable) -> Self:
        """A fitted copy; the receiver is not changed."""
        ...

    def assign(self, features: FeatureTable) -> Labels:
        """One label per row of ``features``, in its order."""
        ...


@runtime_checkable
class TierPolicy(Policy, Protocol):
    """Assigns each customer a value tier (A/B/C, Diamond…Silver, an RFM segment).

    Examples:
        >>> TierPolicy.__name__
        'TierPolicy'
    """


@runtime_checkable
class DimensionPolicy(Policy, Protocol):
    """Places each customer along a segmentation dimension (vehicle age band, region ring…).

    Examples:
        >>> DimensionPolicy.__name__
        'DimensionPolicy'
    """


@runtime_checkable
class LoyaltyRule(Policy, Protocol):
    """Gives each customer a loyalty category (loyal / swinging / lost, or returned or not).

    Examples:
        >>> LoyaltyRule.__name__
        'LoyaltyRule'
    """


@runtime_checkable
class SatisfactionScorer(Protocol):
    """Scores each survey response from its answers (an expectation gap, SERVQUAL, a CSI, NPS).

    A scorer reads survey responses, not customer features: it has parameters and a
    ``score`` verb giving one score per response, in input order
    ([`SurveyScores`][aftersales_crm.satisfaction.SurveyScores]).

    Examples:
        >>> from aftersales_crm.satisfaction import CsiIndex
        >>> isinstance(CsiIndex(), SatisfactionScorer)
        True
    """

    kind: ClassVar[PolicyKind]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters."""
        ...

    def set_params(self, **params: Any) -> Self:
        """A new policy with ``params`` changed."""
        ...

    def score(self, responses: Any) -> Any:
        """One score per response, in input order."""
        ...


def check_is_fitted(policy: object) -> None:
    """Raise [`NotFittedError`][aftersales_crm.errors.NotFittedError] unless ``policy`` has fitted state.

    Fitted state is any attribute whose name ends with an underscore (``cutoffs_``).

    Examples:
        >>> class Plain:
        ...     pass
        >>> check_is_fitted(Plain())
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.NotFittedError: Plain is not fitted yet: call fit() first
    """
    state = getattr(policy, "__dict__", None)
    if state is None:
        msg = (
            f"{type(policy).__name__} is not a policy with state (no attributes): it is not fitted"
        )
        raise NotFittedError(msg)
    fitted = [name for name in state if name.endswith("_") and not name.startswith("_")]
    if not fitted:
        msg = f"{type(policy).__name__} is not fitted yet: call fit() first"
        raise NotFittedError(msg)


class Parameterised:
    """Parameters as scikit-learn keeps them: ``get_params``, ``set_params``, ``clone``, ``repr``.

    The base of [`BasePolicy`][aftersales_crm.policies.BasePolicy], and of estimators that are not policies (a fit on other
    inputs than a FeatureTable, such as ``KeyDrivers``).
    Subclasses declare keyword-only ``__init__`` parameters and store each unchanged under
    its own name, and may state each parameter's rule in ``parameter_constraints``.

    Examples:
        >>> class Window(Parameterised):
        ...     def __init__(self, *, days: int = 30) -> None:
        ...         self.days = days
        >>> Window(days=7), Window().get_params(), Window().set_params(days=1).days
        (Window(days=7), {'days': 30}, 1)
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = MappingProxyType({})
    """Each parameter's type and range ([`Constraint`][aftersales_crm.policies.Constraint])."""

    @classmethod
    def _param_names(cls) -> tuple[str, ...]:
        signature = inspect.signature(cls.__init__)
        return tuple(
            name
            for name, p in signature.parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        )

    @classmethod
    def _defaults(cls) -> Mapping[str, Any]:
        signature = inspect.signature(cls.__init__)
        return {
            name: p.default
            for name, p in signature.parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name, as given.

        Examples:
            >>> class Band(BasePolicy):
            ...     def __init__(self, *, cuts: tuple[int, ...] = (2, 4)) -> None:
            ...         self.cuts = cuts
            >>> Band().get_params()
            {'cuts': (2, 4)}
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """A new, unfitted copy with ``params`` changed; the receiver is not changed.

        Raises:
            InvalidValue: for a name that is not a parameter.

        Examples:
            >>> class Band(BasePolicy):
            ...     def __init__(self, *, cuts: tuple[int, ...] = (2, 4)) -> None:
            ...         self.cuts = cuts
            >>> Band().set_params(cuts=(1,)).cuts
            (1,)
        """
        unknown = sorted(set(params) - set(self._param_names()))
        if unknown:
            msg = f"{type(self).__name__} has no parameters {unknown}; it has {list(self._param_names())}"
            raise InvalidValue(msg, code="unknown_parameter")
        return type(self)(**(self.get_params() | params))

    def clone(self) -> Self:
        """A new, unfitted copy with the same parameters.

        Examples:
            >>> class Band(BasePolicy):
            ...     def __init__(self, *, cuts: tuple[int, ...] = (2, 4)) -> None:
            ...         self.cuts = cuts
            >>> Band(cuts=(3,)).clone().cuts
            (3,)
        """
        return type(self)(**copy.deepcopy(self.get_params()))

    def __repr__(self) -> str:
        """``ClassName(param=value)`` with only the parameters that differ from the defaults."""
        defaults = self._defaults()
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not _same(value, defaults.get(name, inspect.Parameter.empty))
        )
        return f"{type(self).__name__}({shown})"


class BasePolicy(Parameterised):
    """Optional helper for policies: parameters, ``clone``, ``repr`` and ``fit`` plumbing.

    Subclasses declare keyword-only ``__init__`` parameters and store each unchanged under
    its own name; everything else comes from here. ``fit`` checks the parameters against
    the class's ``parameter_constraints`` ([`validate_params`][aftersales_crm.policies.validate_params]),
    clones the policy and calls ``_fit(features)`` on the clone, which sets
    trailing-underscore state. A policy that needs no population does not override
    ``_fit``. BasePolicy is a plain class (not attrs), so a user's plain class works the
    same way without it.

    Examples:
        >>> class MinSpend(BasePolicy):
        ...     kind = "tier"
        ...     def __init__(self, *, fen: int = 100_000) -> None:
        ...         self.fen = fen
        ...     def assign(self, features):
        ...         return Labels((features["spend_fen"] < self.fen).astype(int), ("big", "small"))
        >>> MinSpend(fen=5), MinSpend().get_params(), MinSpend().set_params(fen=1).fen
        (MinSpend(fen=5), {'fen': 100000}, 1)
    """

    kind: ClassVar[PolicyKind]
    population_relative: ClassVar[bool] = False
    short_name: ClassVar[str] = "base_policy"
    """The policy's short name: the ``name`` of the Labels its ``assign`` gives. By default
    the class name in snake case (``ParetoABC`` → ``"pareto_abc"``); the built-ins whose
    registered name is shorter set it (``RFMScore.short_name == "rfm"``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Name the subclass and have its ``assign`` and ``score`` results know their rows.

        The Labels (or Scores) an ``assign`` (or ``score``) returns without ids get the
        ids and key of the FeatureTable read, and Labels without a name get the policy's
        [`short_name`][aftersales_crm.policies.BasePolicy.short_name]; what the method set itself is kept.

        Examples:
            >>> class Everyone(BasePolicy):
            ...     kind = "tier"
            ...     def assign(self, features):
            ...         return Labels(np.zeros(len(features), dtype=int), ("all",))
            >>> from datetime import date
            >>> feats = FeatureTable.from_columns({"visits": [1, 2]}, as_of=date(2026, 6, 30))
            >>> labels = Everyone().assign(feats)
            >>> Everyone.short_name, labels.name, labels.ids.tolist()
            ('everyone', 'everyone', ['C0', 'C1'])
        """
        super().__init_subclass__(**kwargs)
        if "short_name" not in cls.__dict__:
            cls.short_name = snake_name(cls.__name__)
        for verb in ("assign", "score"):
            method = cls.__dict__.get(verb)
            if inspect.isfunction(method) and method not in _NAMING:
                setattr(cls, verb, _naming_rows(method))

    def fit(self, features: FeatureTable) -> Self:
        """A fitted copy of the policy; the receiver is not changed.

        Examples:
            >>> class Biggest(BasePolicy):
            ...     population_relative = True
            ...     def __init__(self, *, column: str = "spend_fen") -> None:
            ...         self.column = column
            ...     def _fit(self, features):
            ...         self.top_ = features[self.column].max()
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> policy = Biggest()
            >>> fitted = policy.fit(feats)
            >>> fitted is policy, hasattr(policy, "top_"), bool(fitted.top_ == feats["spend_fen"].max())
            (False, False, True)
        """
        given: object = features  # typed, but callers may pass anything
        if not isinstance(given, FeatureTable):
            msg = (
                f"{type(self).__name__}.fit: features must be a FeatureTable"
                f" (features.compute gives one), not {type(given).__name__}"
            )
            raise InvalidValue(msg, code="invalid_argument")
        validate_params(self)
        fitted = self.clone()
        fitted._fit(features)
        return fitted

    def _fit(self, features: FeatureTable) -> None:
        """Set fitted state (trailing-underscore attributes) from ``features``."""


_NAMING: Final[set[Callable[..., Any]]] = set()
"""The ``assign`` and ``score`` methods that name their rows (wrapped once)."""


def _naming_rows(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def named(self: BasePolicy, features: Any, *args: Any, **kwargs: Any) -> Any:
        return _with_rows(method(self, features, *args, **kwargs), self, features)

    _NAMING.add(named)
    return named


def _with_rows(result: object, policy: BasePolicy, features: object) -> object:
    """``result`` with the ids of ``features`` and the policy's name, where it has none."""
    if not isinstance(result, Labels | Scores) or not isinstance(features, FeatureTable):
        return result
    changes: dict[str, Any] = {}
    if result.ids is None and len(result) == len(features):
        changes.update(ids=features.ids, key=features.key)
    if isinstance(result, Labels) and result.name is None:
        changes["name"] = type(policy).short_name
    return attrs.evolve(result, **changes) if changes else result


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and the like
        return a is b


def feature_table(features: object, reader: object = None) -> FeatureTable:
    """``features`` if it is a FeatureTable; else the library's error, naming ``reader``.

    Examples:
        >>> feature_table(None)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: expected a FeatureTable of features, not NoneType
    """
    if not isinstance(features, FeatureTable):
        who = "" if reader is None else f"{type(reader).__name__}: "
        msg = f"{who}expected a FeatureTable of features, not {type(features).__name__}"
        raise InvalidValue(msg, code="invalid_argument")
    return features


def feature(features: FeatureTable, name: str) -> NDArray[Any]:
    """The feature column ``name``, or an error naming the missing input and what there is.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
        >>> feature(feats, "spend_fen").dtype
        dtype('int64')
        >>> feature(feats, "wealth")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: the features have no column 'wealth'; ...
    """
    feature_table(features)
    try:
        return features[name]
    except KeyError:
        available = ", ".join(sorted(features))
        msg = f"the features have no column {name!r}; they have {available}"
        raise InvalidValue(msg, code="missing_feature") from None
