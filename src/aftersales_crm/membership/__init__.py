"""The owners' club (车友会): members, points, levels, cards, settlement and KPIs.

Members and their chapters, the points ledger, earning, level and card rules, HQ–dealer
settlement and the club's KPIs.

Every state here is folded from immutable facts at an explicit ``as_of``.

Examples:
    >>> import aftersales_crm.membership as membership
    >>> membership.__name__
    'aftersales_crm.membership'
"""

from __future__ import annotations

# -- policies (points, level and card rules) --------------------------------------------
from aftersales_crm.membership._cards import CARD_NAMES_ZH, MembershipCards
from aftersales_crm.membership._earning import SOURCE_KINDS, Awards, PointsRule
from aftersales_crm.membership._levels import (
    LevelChanges,
    Levels,
    Qualifying,
    QualifyingLevels,
    value_levels,
)

__all__: list[str] = [
    # policies
    "CARD_NAMES_ZH",
    "SOURCE_KINDS",
    "Awards",
    "LevelChanges",
    "Levels",
    "MembershipCards",
    "PointsRule",
    "Qualifying",
    "QualifyingLevels",
    "value_levels",
]
