"""The owners' club (车友会).

Members and their chapters, the points ledger, earning, level and card rules, HQ–dealer
settlement and the club's KPIs. Every state here is folded from immutable facts at an
explicit ``as_of``.

Examples:
    >>> import aftersales_crm.membership as membership
    >>> membership.__name__
    'aftersales_crm.membership'
"""

from __future__ import annotations

# -- the points ledger (part 2) -------------------------------------------------------------
from aftersales_crm.membership._batch import Balances, balances

# -- policies (points, level and card rules) --------------------------------------------
from aftersales_crm.membership._cards import CARD_NAMES_ZH, MembershipCards
from aftersales_crm.membership._earning import SOURCE_KINDS, Awards, PointsRule

# -- members and club KPIs (part 1 of the owners' club) -------------------------------------
from aftersales_crm.membership._kpis import (
    RECRUITMENT_TARGET,
    ClubKpis,
    JoinsPerMonth,
    KpiCounts,
    club_kpis,
    joins_per_month,
)
from aftersales_crm.membership._ledger import (
    Entry,
    Ledger,
    LedgerState,
    Lot,
    Redemption,
    Reversal,
)
from aftersales_crm.membership._levels import (
    LevelChanges,
    Levels,
    Qualifying,
    QualifyingLevels,
    value_levels,
)
from aftersales_crm.membership._members import (
    TRANSITIONS,
    MemberEvent,
    MemberLog,
    MemberState,
    MemberStates,
    MemberStatus,
    MemberStep,
    member_status,
)

# -- settlement (part 3) ----------------------------------------------------------------------
from aftersales_crm.membership._settlement import USE_KINDS, PointFlows, Settlement

__all__: list[str] = [
    "CARD_NAMES_ZH",
    "RECRUITMENT_TARGET",
    "SOURCE_KINDS",
    "TRANSITIONS",
    "USE_KINDS",
    "Awards",
    "Balances",
    "ClubKpis",
    "Entry",
    "JoinsPerMonth",
    "KpiCounts",
    "Ledger",
    "LedgerState",
    "LevelChanges",
    "Levels",
    "Lot",
    "MemberEvent",
    "MemberLog",
    "MemberState",
    "MemberStates",
    "MemberStatus",
    "MemberStep",
    "MembershipCards",
    "PointFlows",
    "PointsRule",
    "Qualifying",
    "QualifyingLevels",
    "Redemption",
    "Reversal",
    "Settlement",
    "balances",
    "club_kpis",
    "joins_per_month",
    "member_status",
    "value_levels",
]
