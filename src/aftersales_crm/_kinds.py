"""Policy kinds as data: what each kind of policy reads, its verbs, its result, its checks.

A *policy kind* (tier, dimension, loyalty, the club's points, level and card rules,
satisfaction scorers, complaint service levels, care and contact rules, churn models)
is declared once as a [`PolicyKindSpec`][aftersales_crm.policies.PolicyKindSpec]. The
conformance kit of [`aftersales_crm.testing`][aftersales_crm.testing] reads the declaration to know how to run a
policy of the kind on the kind's sample input, what type its result must have, and which
families of checks apply. A new kind is added by declaring it with [`declare_kind`][aftersales_crm.policies.declare_kind];
neither the kit nor this module is edited.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

import attrs

from aftersales_crm._args import as_of_date, member, tuple_of
from aftersales_crm._policy import (
    DimensionPolicy,
    Labels,
    LoyaltyRule,
    PolicyKind,
    SatisfactionScorer,
    Scores,
    TierPolicy,
)
from aftersales_crm.errors import InvalidType, InvalidValue, PolicyNameClash, UnknownPolicyError

__all__ = [
    "CheckFamily",
    "FactSample",
    "PolicyKindSpec",
    "Reads",
    "declare_kind",
    "policy_kind",
    "policy_kinds",
]


class Reads(StrEnum):
    """What a policy kind reads.

    Examples:
        >>> Reads.FEATURES.value, Reads("facts")
        ('features', <Reads.FACTS: 'facts'>)
    """

    FEATURES = "features"
    """A [`FeatureTable`][aftersales_crm.features.FeatureTable]: one row per customer."""

    FACTS = "facts"
    """Facts (repair orders, contacts, points entries…) up to an ``as_of`` day."""

    LEDGER = "ledger"
    """A ledger or state built from earlier facts (a points balance, a member level)."""


class CheckFamily(StrEnum):
    """A family of conformance checks a policy kind declares, beside the shared ones.

    Examples:
        >>> [family.value for family in CheckFamily]
        ['rows', 'folds', 'ledger', 'scores', 'agenda']
    """

    ROWS = "rows"
    """Per-row results: one result per input row, aligned, independent of row order and of
    the other rows, on tables of any size."""

    FOLDS = "folds"
    """Facts folded into state: the order facts arrive in does not matter, a repeated fact
    changes nothing, and no fact after ``as_of`` counts."""

    LEDGER = "ledger"
    """Ledger-shaped results (points awards, entries): each source is awarded once, in
    whole points above zero, and no point is lost or made twice when the facts arrive in
    several deliveries (conservation)."""

    SCORES = "scores"
    """Survey scores: every score lies within the bounds its result declares, and a response
    without answers is scored as missing (NaN), leaving the other responses' scores as they
    were."""

    AGENDA = "agenda"
    """Results over a range of days (care tasks): the result of a range is the union of the
    results of two halves that split it (``[a, c]`` from ``[a, b]`` and ``[b+1, c]``), so an
    agenda asked day by day, week by week or all at once holds the same tasks. Needs a
    [`FactSample`][aftersales_crm.policies.FactSample] with [`days`][aftersales_crm.policies.FactSample]."""


def _tuple(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple_of(values, parameter="facts")


def _days(value: object) -> tuple[date, date] | None:
    """``(first, last)`` days, checked: two dates, the first not after the last."""
    if value is None:
        return None
    pair = tuple_of(value, parameter="days")
    if len(pair) != len(("first", "last")):
        msg = f"days is {value!r:.80}, expected (first, last): two dates"
        raise InvalidValue(msg, code="invalid_days")
    first, last = (as_of_date(day, parameter="days") for day in pair)
    if last < first:
        msg = f"days: the last day {last.isoformat()} is before the first {first.isoformat()}"
        raise InvalidValue(msg, code="invalid_days")
    return first, last


@attrs.frozen
class FactSample:
    """Sample input of a kind that folds facts: facts up to ``as_of``, and facts after it.

    The conformance kit rearranges ``facts`` (permutes them, repeats some, adds the
    ``future`` ones) with ``evolve``-like copies and hands each copy to the kind's
    ``run``, which turns it into whatever the policy reads (a tuple of records, a Book,
    tables). Kinds whose policies plan over a range of days (care rules) also read
    ``days``, which the ``agenda`` checks split ([`with_days`][aftersales_crm.policies.FactSample.with_days]).

    Attributes:
        facts: the facts dated on or before ``as_of``, each an immutable value.
        as_of: the day the state is asked for.
        future: facts dated after ``as_of``; a conforming policy ignores them.
        days: the first and last day asked for, for kinds that plan over days; ``None``
            (the default) for the others.

    Examples:
        >>> from datetime import date
        >>> sample = FactSample(facts=[("C1", date(2026, 1, 5))], as_of=date(2026, 6, 30),
        ...     future=[("C1", date(2026, 7, 1))])
        >>> len(sample), sample.with_facts(()).facts
        (1, ())
    """

    facts: tuple[Any, ...] = attrs.field(converter=_tuple)
    as_of: date
    future: tuple[Any, ...] = attrs.field(default=(), converter=_tuple)
    days: tuple[date, date] | None = attrs.field(default=None, converter=_days)

    def __len__(self) -> int:
        """Number of facts up to ``as_of``."""
        return len(self.facts)

    def with_facts(self, facts: Sequence[Any]) -> FactSample:
        """The same sample with other facts (``as_of`` and ``future`` kept).

        Examples:
            >>> from datetime import date
            >>> FactSample(["a"], date(2026, 1, 1)).with_facts(["b", "b"]).facts
            ('b', 'b')
        """
        return attrs.evolve(self, facts=tuple(facts))

    def with_days(self, first: date, last: date) -> FactSample:
        """The same sample asking for the days from ``first`` to ``last``.

        Raises:
            InvalidValue: ``last`` is before ``first``, or either is not a date.

        Examples:
            >>> from datetime import date
            >>> sample = FactSample(["a"], date(2026, 6, 30))
            >>> sample.with_days(date(2026, 7, 1), date(2026, 7, 3)).days
            (datetime.date(2026, 7, 1), datetime.date(2026, 7, 3))
        """
        return attrs.evolve(self, days=(first, last))


def _is_path(value: object) -> bool:
    """Whether ``value`` reads like ``"package.module:attribute"``."""
    if not isinstance(value, str):
        return False
    module, colon, attribute = value.partition(":")
    return (
        bool(colon)
        and attribute.isidentifier()
        and all(part.isidentifier() for part in module.split("."))
    )


def _resolve(path: str) -> Any:
    """The object at ``"module:attribute"``, importing the module."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _verbs(verbs: Sequence[str]) -> tuple[str, ...]:
    found = tuple_of(verbs, parameter="verbs")
    if not all(isinstance(verb, str) and verb.isidentifier() for verb in found):
        msg = f"verbs are method names, got {found!r:.80}"
        raise InvalidValue(msg, code="policy_kind_verbs")
    return found


def _families(checks: Sequence[CheckFamily | str]) -> tuple[CheckFamily, ...]:
    return tuple(
        member(CheckFamily, check, parameter="checks")
        for check in tuple_of(checks, parameter="checks")
    )


def _reads(reads: Reads | str) -> Reads:
    return member(Reads, reads, parameter="reads")


@attrs.frozen
class PolicyKindSpec:
    """The declaration of a policy kind: what it reads, its verbs, its result, its checks.

    A policy says which kind it is with its class attribute ``kind`` (the spec's
    ``name``). The conformance kit runs every policy with the spec's [`run`][aftersales_crm.policies.PolicyKindSpec.run]
    (fitting it first with [`fit`][aftersales_crm.policies.PolicyKindSpec.fit] when it is population-relative and the kind has a
    ``fit`` verb) on the spec's sample input, checks the result is a ``result``, and
    runs the shared checks plus the families in ``checks``.

    Attributes:
        name: the kind's name, lower snake case (``"tier"``).
        reads: what its policies read: features, facts or a ledger.
        verbs: the methods its policies have besides ``get_params``/``set_params``, in
            the order they are called (``("fit", "assign")``); the last one gives the result.
        result: the type of the result ([`Labels`][aftersales_crm.policies.Labels],
            [`Scores`][aftersales_crm.policies.Scores], or any class), or the
            ``"module:Class"`` path of one, imported when first needed (so a kind is
            declared before the package of its result is imported); see
            [`result_type`][aftersales_crm.policies.PolicyKindSpec.result_type].
        sample: the sample input of the conformance kit, a function of no arguments or
            the ``"module:function"`` path of one (imported when first needed); for
            [`Reads.FACTS`][aftersales_crm.policies.Reads.FACTS] a function returning a [`FactSample`][aftersales_crm.policies.FactSample].
        checks: the check families that apply ([`CheckFamily`][aftersales_crm.policies.CheckFamily]).
        description: what a policy of the kind decides, in one sentence.
        protocol: the ``typing.Protocol`` its policies satisfy, if there is one.
        runner: how to run a ready policy on an input, ``runner(policy, input)``, or the
            ``"module:function"`` path of one; by default the last verb is called with the
            input. A runner that also takes the keyword ``prepare`` calls it with the inputs
            it builds before the verb, and the kit checks the policies' optional
            ``prepare(inputs)`` on them (``prepare_changes_nothing``).

    Examples:
        >>> spec = policy_kind("tier")
        >>> spec.reads, spec.verbs, spec.result.__name__, [c.value for c in spec.checks]
        (<Reads.FEATURES: 'features'>, ('fit', 'assign'), 'Labels', ['rows'])
    """

    name: str
    reads: Reads = attrs.field(converter=_reads)
    verbs: tuple[str, ...] = attrs.field(converter=_verbs)
    result: type | str
    sample: Callable[[], Any] | str = attrs.field(eq=False)
    checks: tuple[CheckFamily, ...] = attrs.field(converter=_families)
    description: str = ""
    protocol: type | None = None
    runner: Callable[[Any, Any], Any] | str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        name: object = self.name
        if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
            msg = f"a policy kind's name is lower snake case, not {self.name!r}"
            raise InvalidValue(msg, code="policy_kind_name")
        if not self.verbs or not all(verb.isidentifier() for verb in self.verbs):
            msg = (
                f"policy kind {self.name!r} needs at least one verb (method name), got {self.verbs}"
            )
            raise InvalidValue(msg, code="policy_kind_verbs")
        result: object = self.result
        if not isinstance(result, type) and not _is_path(result):
            msg = (
                f"policy kind {self.name!r}: result is {result!r:.80}, expected a class"
                " or its 'module:Class' path"
            )
            raise InvalidType(msg)
        runner: object = self.runner
        if not (runner is None or callable(runner) or _is_path(runner)):
            msg = f"policy kind {self.name!r}: runner is {runner!r:.80}, expected a function"
            raise InvalidType(msg)
        sample: object = self.sample
        if not (callable(sample) or isinstance(sample, str)):
            msg = f"policy kind {self.name!r}: sample is {sample!r:.80}, expected a function"
            raise InvalidType(msg)

    @property
    def result_type(self) -> type:
        """The class of the kind's results (``result``, imported if it is a path).

        Examples:
            >>> policy_kind("tier").result_type.__name__, policy_kind("points").result_type.__name__
            ('Labels', 'Awards')
        """
        result = self.result
        if isinstance(result, str):
            found = _resolve(result)
            if not isinstance(found, type):
                msg = f"policy kind {self.name!r}: result {result!r} is not a class"
                raise InvalidType(msg)
            return found
        return result

    @property
    def fits(self) -> bool:
        """Whether the kind has a ``fit`` verb (population-relative policies fit first).

        Examples:
            >>> policy_kind("tier").fits
            True
        """
        return "fit" in self.verbs

    def sample_input(self) -> Any:
        """The kind's sample input (calls ``sample``, importing it first if it is a path).

        Examples:
            >>> spec = attrs.evolve(policy_kind("tier"), sample=lambda: "rows")
            >>> spec.sample_input()
            'rows'
        """
        sample = self.sample
        if isinstance(sample, str):
            sample = _resolve(sample)
        return sample()

    def fit(self, policy: Any, data: Any) -> Any:
        """``policy`` ready to run on inputs like ``data``: fitted when it is population-relative.

        Examples:
            >>> from aftersales_crm.segmentation import RegionRing
            >>> policy = RegionRing()
            >>> policy_kind("dimension").fit(policy, None) is policy  # nothing to learn
            True
        """
        if self.fits and getattr(type(policy), "population_relative", False) is True:
            return policy.fit(data)
        return policy

    def run(self, policy: Any, data: Any) -> Any:
        """The result of the ready ``policy`` on ``data``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> from aftersales_crm.segmentation import RegionRing
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> len(policy_kind("dimension").run(RegionRing(), feats))
            3
        """
        runner = self._runner()
        if runner is not None:
            return runner(policy, data)
        return getattr(policy, self.verbs[-1])(data)

    def _runner(self) -> Callable[..., Any] | None:
        """The runner as a function (its ``"module:function"`` path imported), or None."""
        runner = self.runner
        found: Callable[..., Any] | None = _resolve(runner) if isinstance(runner, str) else runner
        return found


_FEATURES_SAMPLE: Final = "aftersales_crm.testing._samples:customer_features"
"""The conformance kit's customer features, with ties at every cut-off (in the testing extra)."""

_REGISTRY: dict[str, PolicyKindSpec] = {}


def declare_kind(spec: PolicyKindSpec) -> PolicyKindSpec:
    """Register the policy kind ``spec``; policies of it name it in their ``kind``.

    Declaring the same spec again is harmless (a module imported twice); declaring another
    kind under a name already taken is an error, since a kind's name means one thing.

    Args:
        spec: the declaration.

    Returns:
        ``spec``, so a declaration can be kept in a module constant.

    Raises:
        PolicyNameClash: another kind is declared under ``spec.name``.

    Examples:
        >>> from aftersales_crm.policies import Scores
        >>> spec = declare_kind(PolicyKindSpec(
        ...     name="doc_churn_model", reads="features", verbs=("fit", "predict"),
        ...     result=Scores, sample=policy_kind("tier").sample, checks=["rows"],
        ...     description="the probability that a customer does not come back"))
        >>> policy_kind("doc_churn_model") is spec
        True
        >>> declare_kind(attrs.evolve(spec, verbs=("fit", "score")))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.PolicyNameClash: the policy kind 'doc_churn_model' is already declared ...
    """
    given: object = spec  # callers may pass anything; the annotation is the contract
    if not isinstance(given, PolicyKindSpec):
        msg = f"declare_kind takes a PolicyKindSpec, got {type(given).__name__} {given!r:.80}"
        raise InvalidType(msg)
    known = _REGISTRY.get(spec.name)
    if known is not None and known != spec:
        msg = f"the policy kind {spec.name!r} is already declared as {known!r}; choose another name"
        raise PolicyNameClash(msg)
    _REGISTRY.setdefault(spec.name, spec)
    return _REGISTRY[spec.name]


def policy_kind(name: PolicyKind) -> PolicyKindSpec:
    """The declaration of the policy kind ``name``.

    Raises:
        UnknownPolicyError: no kind of that name is declared.

    Examples:
        >>> policy_kind("loyalty").description
        'gives each customer a loyalty category (loyal / swinging / lost, or returned or not)'
        >>> policy_kind("vip")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.UnknownPolicyError: no policy kind is named 'vip'; the kinds are ...
    """
    spec = _REGISTRY.get(name) if isinstance(name, str) else None
    if spec is None:
        msg = f"no policy kind is named {name!r}; the kinds are {', '.join(sorted(_REGISTRY))}"
        raise UnknownPolicyError(msg, code="unknown_policy_kind")
    return spec


def policy_kinds() -> Mapping[str, PolicyKindSpec]:
    """Every declared policy kind, by name (a read-only view that follows new declarations).

    Examples:
        >>> {"dimension", "loyalty", "tier"} <= set(policy_kinds())
        True
    """
    return MappingProxyType(_REGISTRY)


TIER: Final = declare_kind(
    PolicyKindSpec(
        name="tier",
        reads=Reads.FEATURES,
        verbs=("fit", "assign"),
        result=Labels,
        sample=_FEATURES_SAMPLE,
        checks=(CheckFamily.ROWS,),
        description="assigns each customer a value tier (A/B/C, diamond…silver, an RFM segment)",
        protocol=TierPolicy,
    )
)
"""Value tiers: Pareto ABC, member levels, RFM segments."""

DIMENSION: Final = declare_kind(
    attrs.evolve(
        TIER,
        name="dimension",
        description="places each customer along a segmentation dimension (vehicle age band,"
        " region ring…)",
        protocol=DimensionPolicy,
    )
)
"""Segmentation dimensions: vehicle age, region ring and sector, owner age, usage…"""

LOYALTY: Final = declare_kind(
    attrs.evolve(
        TIER,
        name="loyalty",
        description="gives each customer a loyalty category (loyal / swinging / lost, or"
        " returned or not)",
        protocol=LoyaltyRule,
    )
)
"""Loyalty rules: first-maintenance return, service-interval status, churn risk (P(alive)
bands), the loyalty × value matrix."""

POINTS: Final = declare_kind(
    PolicyKindSpec(
        name="points",
        reads=Reads.FACTS,
        verbs=("award",),
        result="aftersales_crm.membership:Awards",
        sample="aftersales_crm.testing._samples:club_sources",
        checks=(CheckFamily.FOLDS, CheckFamily.LEDGER),
        description="awards club members points for the facts that earn them (customer-pay"
        " service, activities, referrals, surveys), once per source",
        runner="aftersales_crm.testing._samples:run_points",
    )
)
"""Points rules: what earns points, how many, funded by whom, pending and expiring when."""

LEVEL: Final = declare_kind(
    PolicyKindSpec(
        name="level",
        reads=Reads.LEDGER,
        verbs=("levels",),
        result="aftersales_crm.membership:Levels",
        sample="aftersales_crm.testing._samples:qualifying_sample",
        checks=(CheckFamily.FOLDS,),
        description="gives each club member a level from their qualifying value, with every"
        " level change and its reason",
        runner="aftersales_crm.testing._samples:run_levels",
    )
)
"""Member level rules: qualifying value, window, promotion, grace and downgrade."""

CARD: Final = declare_kind(
    attrs.evolve(
        TIER,
        name="card",
        verbs=("fit", "discount", "assign"),
        description="gives each customer a membership card by loyalty and cumulative spend,"
        " and the discount each card gives",
        protocol=None,
    )
)
"""Membership cards: the card of each customer and its discount on an amount of money."""

COMPLAINT_SLA: Final = declare_kind(
    PolicyKindSpec(
        name="complaint_sla",
        reads=Reads.FACTS,
        verbs=("assess",),
        result="aftersales_crm.complaints:SlaStatus",
        sample="aftersales_crm.testing._samples:complaint_facts",
        checks=(CheckFamily.FOLDS,),
        description="tells, for every open complaint, whether its first response and its"
        " resolution breach their allowed times, and the hours left before each breach",
        runner="aftersales_crm.testing._samples:run_complaint_sla",
    )
)
"""Complaint service levels: first response within hours, resolution within days, by severity."""

SATISFACTION_SCORER: Final = declare_kind(
    PolicyKindSpec(
        name="satisfaction_scorer",
        reads=Reads.FACTS,
        verbs=("score",),
        result="aftersales_crm.satisfaction:SurveyScores",
        sample="aftersales_crm.testing._samples:survey_sample",
        checks=(CheckFamily.ROWS, CheckFamily.SCORES),
        description="scores each survey response from its answers (an expectation gap,"
        " SERVQUAL, a CSI index, NPS), with its factor and item scores",
        runner="aftersales_crm.testing._samples:run_scorer",
        protocol=SatisfactionScorer,
    )
)
"""Satisfaction scorers: expectation gap, SERVQUAL, CSI index, NPS (one score per response)."""

CARE_RULE: Final = declare_kind(
    PolicyKindSpec(
        name="care_rule",
        reads=Reads.FACTS,
        verbs=("plan",),
        result="aftersales_crm.care:CareTasks",
        sample="aftersales_crm.testing._samples:care_facts",
        checks=(CheckFamily.FOLDS, CheckFamily.AGENDA),
        description="turns facts and features into dated care tasks (who to contact, when,"
        " why and how), every task whose window meets the days asked for",
        runner="aftersales_crm.testing._samples:run_care_rule",
    )
)
"""Care rules: 3DC/7DC follow-up calls, first maintenance and maintenance reminders…"""

CONTACT_RULE: Final = declare_kind(
    PolicyKindSpec(
        name="contact_rule",
        reads=Reads.FACTS,
        verbs=("check",),
        result="aftersales_crm.care:Verdicts",
        sample="aftersales_crm.testing._samples:care_facts",
        checks=(CheckFamily.FOLDS,),
        description="gives each care task a verdict: allowed, or blocked with the reason"
        " why (consent, do not contact, cooling off, a frequency cap), and its channel",
        runner="aftersales_crm.testing._samples:run_contact_rule",
    )
)
"""Contact rules: consent, do not contact, cooling off, frequency cap, and their combinations."""

CHURN_MODEL: Final = declare_kind(
    PolicyKindSpec(
        name="churn_model",
        reads=Reads.FEATURES,
        verbs=("fit", "score"),
        result=Scores,
        sample=_FEATURES_SAMPLE,
        checks=(CheckFamily.ROWS,),
        description="gives each customer the probability that they are still an active"
        " customer (P(alive)), from their repeat visits, recency and age",
    )
)
"""Churn models: BG/NBD and Pareto/NBD ([`aftersales_crm.clv`][aftersales_crm.clv]), scoring P(alive)."""
