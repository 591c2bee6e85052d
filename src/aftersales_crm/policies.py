"""Policies by name: the policy contract, policy kinds, the built-ins, and third-party plugins.

Every segmentation, tiering and loyalty rule of the library is a *policy*: a small object
with keyword-only parameters, ``get_params``/``set_params``, a ``fit`` that returns a fitted
copy and an ``assign`` that returns one label per customer, in the input order
([`Policy`][aftersales_crm.policies.Policy]; per-row results are [`Labels`][aftersales_crm.policies.Labels] or [`Scores`][aftersales_crm.policies.Scores]). The owners'
club's rules are policies too, with the verbs of their kinds: a points rule (kind
``points``) folds facts into awards with ``award``, a level rule (``level``) folds
qualifying value into ``levels``, and a card policy (``card``) gives one card per
customer with ``assign``. Each policy
states its parameters' types and ranges once, in ``parameter_constraints``
([`Whole`][aftersales_crm.policies.Whole], [`Numbers`][aftersales_crm.policies.Numbers], [`Names`][aftersales_crm.policies.Names]… checked by [`validate_params`][aftersales_crm.policies.validate_params]).
[`get_policy`][aftersales_crm.policies.get_policy] builds one from its name, for the command line, configuration files and
quick notebook use.

What a policy reads, its verbs, its result and the conformance checks that apply to it
come from its *kind*, declared as data ([`PolicyKindSpec`][aftersales_crm.policies.PolicyKindSpec], [`declare_kind`][aftersales_crm.policies.declare_kind],
[`policy_kind`][aftersales_crm.policies.policy_kind]); ``tier``, ``dimension``, ``loyalty``, ``points``, ``level`` and
``card`` are declared by the library, and a new kind is added by declaring it.

The registry is data: [`BUILT_INS`][aftersales_crm.policies.BUILT_INS] maps each name to ``"module:Class"`` and
[`ALIASES`][aftersales_crm.policies.ALIASES] maps the other accepted names to it. Nothing is imported until a policy is
asked for. Names are case-insensitive and ``-`` equals ``_``.

Other packages add policies through the entry-point group ``aftersales_crm.policies``
([`ENTRY_POINT_GROUP`][aftersales_crm.policies.ENTRY_POINT_GROUP])::

    [project.entry-points."aftersales_crm.policies"]
    top_spenders = "my_package:TopSpenders"

They are read the first time a name is not a built-in, or when [`policy_names`][aftersales_crm.policies.policy_names] lists
every name. A plugin name that equals a built-in name or alias, or another plugin's name, is
a [`PolicyNameClash`][aftersales_crm.policies.PolicyNameClash]: a policy name means one thing.

Examples:
    >>> from aftersales_crm.policies import BUILT_INS, get_policy
    >>> BUILT_INS["pareto_abc"]
    'aftersales_crm.segmentation:ParetoABC'
    >>> get_policy("Pareto-ABX")
    Traceback (most recent call last):
    ...
    aftersales_crm.errors.UnknownPolicyError: no policy is named 'Pareto-ABX'; did you mean 'pareto_abc' or 'pareto_nbd' or 'pareto'?
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import inspect
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from aftersales_crm._kinds import (
    CheckFamily,
    FactSample,
    PolicyKindSpec,
    Reads,
    declare_kind,
    policy_kind,
    policy_kinds,
)
from aftersales_crm._params import (
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
    validate_params,
)
from aftersales_crm._policy import (
    BasePolicy,
    DimensionPolicy,
    Labels,
    LoyaltyRule,
    Policy,
    PolicyKind,
    SatisfactionScorer,
    Scores,
    TierPolicy,
    check_is_fitted,
    feature,
)
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import InvalidValue, PolicyNameClash, UnknownPolicyError

if TYPE_CHECKING:  # for the return types of get_policy; imported when a policy is asked for
    from aftersales_crm.care import (
        AllOf,
        AnnualInspection,
        AnyOf,
        ComplaintFollowUp,
        Consent,
        CoolingOff,
        DoNotContact,
        FestivalGreetings,
        FirstMaintenanceDue,
        FollowUpCalls,
        FrequencyCap,
        InsuranceRenewal,
        LunarBirthday,
        MaintenanceDue,
        Not,
        OwnerBirthday,
        PreferredChannel,
        QuietDays,
        QuietHours,
        VehicleAnniversary,
        WarrantyEnding,
        WinBack,
    )
    from aftersales_crm.clv import BgNbd, ParetoNbd
    from aftersales_crm.complaints import ComplaintSla
    from aftersales_crm.loyalty import (
        ChurnRisk,
        FirstMaintenanceReturn,
        LoyaltyStatus,
        LoyaltyValueMatrix,
        ServiceIntervalStatus,
    )
    from aftersales_crm.membership import MembershipCards, PointsRule, QualifyingLevels
    from aftersales_crm.satisfaction import NPS, CsiIndex, ExpectationGap, Servqual
    from aftersales_crm.segmentation import (
        BodyTypeDimension,
        ConsumptionLevel,
        GenderDimension,
        Hobby,
        MemberValue,
        MileageBand,
        NewOrReturning,
        OwnerAgeBand,
        ParetoABC,
        QuantileTiers,
        RegionRing,
        RFMScore,
        Sector,
        ThresholdTiers,
        UsageHabit,
        VehicleAgeBand,
    )

__all__ = [
    "ALIASES",
    "BUILT_INS",
    "ENTRY_POINT_GROUP",
    "BasePolicy",
    "CheckFamily",
    "Column",
    "Constraint",
    "DimensionPolicy",
    "FactSample",
    "Instance",
    "Labels",
    "LengthOf",
    "LoyaltyRule",
    "Names",
    "Number",
    "Numbers",
    "OneOf",
    "OrNone",
    "Param",
    "Policy",
    "PolicyKind",
    "PolicyKindSpec",
    "PolicyNameClash",
    "Reads",
    "SatisfactionScorer",
    "Scores",
    "SubsetOf",
    "TierPolicy",
    "Whole",
    "check_is_fitted",
    "declare_kind",
    "feature",
    "get_policy",
    "policy_kind",
    "policy_kinds",
    "policy_names",
    "validate_params",
]

ENTRY_POINT_GROUP: Final = "aftersales_crm.policies"
"""The entry-point group other packages register their policies under."""

_SEGMENTATION: Final = "aftersales_crm.segmentation"
_LOYALTY: Final = "aftersales_crm.loyalty"
_MEMBERSHIP: Final = "aftersales_crm.membership"
_SATISFACTION: Final = "aftersales_crm.satisfaction"
_CARE: Final = "aftersales_crm.care"

BUILT_INS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # Value tiers.
        "pareto_abc": f"{_SEGMENTATION}:ParetoABC",
        "threshold_tiers": f"{_SEGMENTATION}:ThresholdTiers",
        "quantile_tiers": f"{_SEGMENTATION}:QuantileTiers",
        "rfm": f"{_SEGMENTATION}:RFMScore",
        "member_value": f"{_SEGMENTATION}:MemberValue",
        # Segmentation dimensions.
        "vehicle_age_band": f"{_SEGMENTATION}:VehicleAgeBand",
        "region_ring": f"{_SEGMENTATION}:RegionRing",
        "sector": f"{_SEGMENTATION}:Sector",
        "owner_age_band": f"{_SEGMENTATION}:OwnerAgeBand",
        "gender": f"{_SEGMENTATION}:GenderDimension",
        "hobby": f"{_SEGMENTATION}:Hobby",
        "body_type": f"{_SEGMENTATION}:BodyTypeDimension",
        "usage_habit": f"{_SEGMENTATION}:UsageHabit",
        "mileage_band": f"{_SEGMENTATION}:MileageBand",
        "consumption_level": f"{_SEGMENTATION}:ConsumptionLevel",
        "new_or_returning": f"{_SEGMENTATION}:NewOrReturning",
        # Loyalty.
        "first_maintenance_return": f"{_LOYALTY}:FirstMaintenanceReturn",
        "service_interval_status": f"{_LOYALTY}:ServiceIntervalStatus",
        "loyalty_status": f"{_LOYALTY}:LoyaltyStatus",
        "loyalty_value_matrix": f"{_LOYALTY}:LoyaltyValueMatrix",
        "churn_risk": f"{_LOYALTY}:ChurnRisk",
        # Churn models (kind "churn_model", scipy through the clv extra).
        "bg_nbd": "aftersales_crm.clv:BgNbd",
        "pareto_nbd": "aftersales_crm.clv:ParetoNbd",
        # The owners' club: points (kind "points"), levels ("level") and cards ("card").
        "points_rule": f"{_MEMBERSHIP}:PointsRule",
        "qualifying_levels": f"{_MEMBERSHIP}:QualifyingLevels",
        "membership_cards": f"{_MEMBERSHIP}:MembershipCards",
        # Complaint service levels.
        "complaint_sla": "aftersales_crm.complaints:ComplaintSla",
        # Satisfaction scorers.
        "expectation_gap": f"{_SATISFACTION}:ExpectationGap",
        "servqual": f"{_SATISFACTION}:Servqual",
        "csi_index": f"{_SATISFACTION}:CsiIndex",
        "nps": f"{_SATISFACTION}:NPS",
        # Care rules (kind "care_rule") and contact rules ("contact_rule").
        "follow_up_calls": f"{_CARE}:FollowUpCalls",
        "first_maintenance_due": f"{_CARE}:FirstMaintenanceDue",
        "maintenance_due": f"{_CARE}:MaintenanceDue",
        "owner_birthday": f"{_CARE}:OwnerBirthday",
        "lunar_birthday": f"{_CARE}:LunarBirthday",
        "vehicle_anniversary": f"{_CARE}:VehicleAnniversary",
        "festival_greetings": f"{_CARE}:FestivalGreetings",
        "insurance_renewal": f"{_CARE}:InsuranceRenewal",
        "annual_inspection": f"{_CARE}:AnnualInspection",
        "warranty_ending": f"{_CARE}:WarrantyEnding",
        "complaint_follow_up": f"{_CARE}:ComplaintFollowUp",
        "win_back": f"{_CARE}:WinBack",
        "consent": f"{_CARE}:Consent",
        "do_not_contact": f"{_CARE}:DoNotContact",
        "cooling_off": f"{_CARE}:CoolingOff",
        "frequency_cap": f"{_CARE}:FrequencyCap",
        "quiet_days": f"{_CARE}:QuietDays",
        "quiet_hours": f"{_CARE}:QuietHours",
        "preferred_channel": f"{_CARE}:PreferredChannel",
        "all_of": f"{_CARE}:AllOf",
        "any_of": f"{_CARE}:AnyOf",
        "not": f"{_CARE}:Not",
    }
)
"""Name → ``"module:Class"`` of every built-in policy, imported only when asked for."""

ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "abc": "pareto_abc",
        "pareto": "pareto_abc",
        "bgnbd": "bg_nbd",
        "paretonbd": "pareto_nbd",
        "thresholds": "threshold_tiers",
        "quantiles": "quantile_tiers",
        "rfm_score": "rfm",
        "compass_sector": "sector",
        "loyal_swinging_lost": "service_interval_status",
        "matrix": "loyalty_value_matrix",
        "follow_up": "follow_up_calls",
        "first_maintenance": "first_maintenance_due",
        "maintenance": "maintenance_due",
    }
)
"""Other accepted name → the built-in name it stands for."""


def _normal(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def _describe(entry_point: importlib.metadata.EntryPoint) -> str:
    dist = entry_point.dist
    where = f" of {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {entry_point.name} = {entry_point.value!r}{where}"


@functools.cache
def _plugins() -> Mapping[str, importlib.metadata.EntryPoint]:
    """The third-party policies, by normalised name, read once from the entry points."""
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        name = _normal(entry_point.name)
        if name in BUILT_INS:
            msg = f"plugin policy {name!r} ({_describe(entry_point)}) clashes with the built-in policy {name!r}; rename the entry point"
            raise PolicyNameClash(msg)
        if name in ALIASES:
            msg = f"plugin policy {name!r} ({_describe(entry_point)}) clashes with the built-in alias {name!r} of {ALIASES[name]!r}; rename the entry point"
            raise PolicyNameClash(msg)
        other = found.get(name)
        if other is not None and other.value != entry_point.value:
            msg = f"plugin policy {name!r} is registered twice: {_describe(other)} and {_describe(entry_point)}; rename one of them"
            raise PolicyNameClash(msg)
        found[name] = entry_point
    return MappingProxyType(found)


def _unknown(name: str) -> UnknownPolicyError:
    known = [*BUILT_INS, *ALIASES, *_plugins()]
    hint = did_you_mean(_normal(name), known) or "the policies are " + ", ".join(policy_names())
    return UnknownPolicyError(f"no policy is named {name!r}; {hint}")


# Built-in names (and aliases) written as they are registered get their class as the
# return type; tests/test_policies.py keeps these in step with BUILT_INS and ALIASES.
@overload
def get_policy(name: Literal["pareto_abc", "abc", "pareto"], **params: Any) -> ParetoABC: ...
@overload
def get_policy(name: Literal["threshold_tiers", "thresholds"], **params: Any) -> ThresholdTiers: ...
@overload
def get_policy(name: Literal["quantile_tiers", "quantiles"], **params: Any) -> QuantileTiers: ...
@overload
def get_policy(name: Literal["rfm", "rfm_score"], **params: Any) -> RFMScore: ...
@overload
def get_policy(name: Literal["bg_nbd", "bgnbd"], **params: Any) -> BgNbd: ...
@overload
def get_policy(name: Literal["pareto_nbd", "paretonbd"], **params: Any) -> ParetoNbd: ...
@overload
def get_policy(name: Literal["member_value"], **params: Any) -> MemberValue: ...
@overload
def get_policy(name: Literal["vehicle_age_band"], **params: Any) -> VehicleAgeBand: ...
@overload
def get_policy(name: Literal["region_ring"], **params: Any) -> RegionRing: ...
@overload
def get_policy(name: Literal["sector", "compass_sector"], **params: Any) -> Sector: ...
@overload
def get_policy(name: Literal["owner_age_band"], **params: Any) -> OwnerAgeBand: ...
@overload
def get_policy(name: Literal["gender"], **params: Any) -> GenderDimension: ...
@overload
def get_policy(name: Literal["hobby"], **params: Any) -> Hobby: ...
@overload
def get_policy(name: Literal["body_type"], **params: Any) -> BodyTypeDimension: ...
@overload
def get_policy(name: Literal["usage_habit"], **params: Any) -> UsageHabit: ...
@overload
def get_policy(name: Literal["mileage_band"], **params: Any) -> MileageBand: ...
@overload
def get_policy(name: Literal["consumption_level"], **params: Any) -> ConsumptionLevel: ...
@overload
def get_policy(name: Literal["new_or_returning"], **params: Any) -> NewOrReturning: ...
@overload
def get_policy(
    name: Literal["first_maintenance_return"], **params: Any
) -> FirstMaintenanceReturn: ...
@overload
def get_policy(
    name: Literal["service_interval_status", "loyal_swinging_lost"], **params: Any
) -> ServiceIntervalStatus: ...
@overload
def get_policy(name: Literal["loyalty_status"], **params: Any) -> LoyaltyStatus: ...
@overload
def get_policy(
    name: Literal["loyalty_value_matrix", "matrix"], **params: Any
) -> LoyaltyValueMatrix: ...
@overload
def get_policy(name: Literal["churn_risk"], **params: Any) -> ChurnRisk: ...
@overload
def get_policy(name: Literal["points_rule"], **params: Any) -> PointsRule: ...
@overload
def get_policy(name: Literal["qualifying_levels"], **params: Any) -> QualifyingLevels: ...
@overload
def get_policy(name: Literal["membership_cards"], **params: Any) -> MembershipCards: ...
@overload
def get_policy(name: Literal["complaint_sla"], **params: Any) -> ComplaintSla: ...
@overload
def get_policy(name: Literal["expectation_gap"], **params: Any) -> ExpectationGap: ...
@overload
def get_policy(name: Literal["servqual"], **params: Any) -> Servqual: ...
@overload
def get_policy(name: Literal["csi_index"], **params: Any) -> CsiIndex: ...
@overload
def get_policy(name: Literal["nps"], **params: Any) -> NPS: ...
@overload
def get_policy(name: Literal["follow_up_calls", "follow_up"], **params: Any) -> FollowUpCalls: ...
@overload
def get_policy(
    name: Literal["first_maintenance_due", "first_maintenance"], **params: Any
) -> FirstMaintenanceDue: ...
@overload
def get_policy(
    name: Literal["maintenance_due", "maintenance"], **params: Any
) -> MaintenanceDue: ...
@overload
def get_policy(name: Literal["owner_birthday"], **params: Any) -> OwnerBirthday: ...
@overload
def get_policy(name: Literal["lunar_birthday"], **params: Any) -> LunarBirthday: ...
@overload
def get_policy(name: Literal["vehicle_anniversary"], **params: Any) -> VehicleAnniversary: ...
@overload
def get_policy(name: Literal["festival_greetings"], **params: Any) -> FestivalGreetings: ...
@overload
def get_policy(name: Literal["insurance_renewal"], **params: Any) -> InsuranceRenewal: ...
@overload
def get_policy(name: Literal["annual_inspection"], **params: Any) -> AnnualInspection: ...
@overload
def get_policy(name: Literal["warranty_ending"], **params: Any) -> WarrantyEnding: ...
@overload
def get_policy(name: Literal["complaint_follow_up"], **params: Any) -> ComplaintFollowUp: ...
@overload
def get_policy(name: Literal["win_back"], **params: Any) -> WinBack: ...
@overload
def get_policy(name: Literal["consent"], **params: Any) -> Consent: ...
@overload
def get_policy(name: Literal["do_not_contact"], **params: Any) -> DoNotContact: ...
@overload
def get_policy(name: Literal["cooling_off"], **params: Any) -> CoolingOff: ...
@overload
def get_policy(name: Literal["frequency_cap"], **params: Any) -> FrequencyCap: ...
@overload
def get_policy(name: Literal["quiet_days"], **params: Any) -> QuietDays: ...
@overload
def get_policy(name: Literal["quiet_hours"], **params: Any) -> QuietHours: ...
@overload
def get_policy(name: Literal["preferred_channel"], **params: Any) -> PreferredChannel: ...
@overload
def get_policy(name: Literal["all_of"], **params: Any) -> AllOf: ...
@overload
def get_policy(name: Literal["any_of"], **params: Any) -> AnyOf: ...
@overload
def get_policy(name: Literal["not"], **params: Any) -> Not: ...
@overload
def get_policy(name: str, **params: Any) -> Policy: ...


def get_policy(name: str, **params: Any) -> Any:
    """A new policy built from its registered name and keyword parameters.

    Built-in names and aliases are looked up first; the plugins of the entry-point group
    [`ENTRY_POINT_GROUP`][aftersales_crm.policies.ENTRY_POINT_GROUP] are read the first time a name is not one of them.

    Args:
        name: a built-in name, alias or plugin name; case-insensitive, ``-`` equals ``_``.
        **params: the policy's constructor parameters; the rest keep their defaults.

    Returns:
        The unfitted policy, ``PolicyClass(**params)``. For a built-in name or alias
        written as registered (``"pareto_abc"``, ``"abc"``), type checkers see its class
        ([`ParetoABC`][aftersales_crm.segmentation.ParetoABC],
        [`PointsRule`][aftersales_crm.membership.PointsRule]); for any other string, the
        [`Policy`][aftersales_crm.policies.Policy] protocol.

    Raises:
        UnknownPolicyError: no policy has that name; the message suggests close names.
        PolicyNameClash: the plugins clash with a built-in or with each other.
        InvalidValue: ``name`` is not text, a parameter is not one of the policy's (the
            message suggests close names), or a value breaks the policy's declared
            ``parameter_constraints``; the message names the parameter.

    Examples:
        >>> get_policy("pareto_abc", shares=(0.1, 0.2, 0.7))
        ParetoABC(shares=(0.1, 0.2, 0.7))
        >>> get_policy("ABC")  # an alias
        ParetoABC()
        >>> get_policy("RFM-scores")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.UnknownPolicyError: no policy is named 'RFM-scores'; did you mean 'rfm_score'?
        >>> get_policy("pareto_abc", share=0.2)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: ParetoABC has no parameter 'share'; did you mean 'shares'? It has value, shares
        >>> get_policy("rfm", bins=1)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: RFMScore: bins=1 is invalid: expected a whole number from 2 to 100
    """
    given: object = name  # typed as text, but configuration files may give anything
    if not isinstance(given, str):
        msg = f"name: a policy name is text, not {type(given).__name__} {given!r}"
        raise InvalidValue(msg, code="invalid_argument")
    key = _normal(name)
    key = ALIASES.get(key, key)
    target = BUILT_INS.get(key)
    if target is not None:
        module, _, attribute = target.partition(":")
        cls = getattr(importlib.import_module(module), attribute)
    else:
        entry_point = _plugins().get(key)
        if entry_point is None:
            raise _unknown(name)
        cls = entry_point.load()
    _known_params(cls, params)
    policy = cls(**params)
    validate_params(policy)
    return policy


def _known_params(cls: type, params: Mapping[str, Any]) -> None:
    """Raise naming the first of ``params`` that ``cls``'s constructor does not take."""
    parameters = inspect.signature(cls).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return
    known = [p.name for p in parameters if p.kind is not inspect.Parameter.VAR_POSITIONAL]
    for given in params:
        if given not in known:
            close = did_you_mean(given, known)
            hint = f"{close} " if close else ""
            msg = f"{cls.__name__} has no parameter {given!r}; {hint}It has {', '.join(known) or 'none'}"
            raise InvalidValue(msg, code="unknown_parameter")


def policy_names() -> list[str]:
    """Every policy name, built-in and plugin, sorted (aliases are in [`ALIASES`][aftersales_crm.policies.ALIASES]).

    Returns:
        The names [`get_policy`][aftersales_crm.policies.get_policy] accepts, without the aliases.

    Raises:
        PolicyNameClash: the plugins clash with a built-in or with each other.

    Examples:
        >>> names = policy_names()
        >>> "pareto_abc" in names, "abc" in names, names == sorted(names)
        (True, False, True)
    """
    return sorted({*BUILT_INS, *_plugins()})
