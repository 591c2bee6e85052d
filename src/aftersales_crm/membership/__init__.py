"""The owners' club (车友会).

Members and their chapters, the points ledger, earning, level and card rules, HQ–dealer
settlement and the club's KPIs.

Every state here is folded from immutable facts at an explicit ``as_of``.

Examples:
    >>> import aftersales_crm.membership as membership
    >>> membership.__name__
    'aftersales_crm.membership'
"""

from __future__ import annotations

# settlement
from aftersales_crm.membership._settlement import USE_KINDS, PointFlows, Settlement

__all__ = [
    # settlement
    "USE_KINDS",
    "PointFlows",
    "Settlement",
]
