"""The owners' club (车友会): members and their chapters, the points ledger, earning, level
and card rules, HQ–dealer settlement and the club's KPIs.

Every state here is folded from immutable facts at an explicit ``as_of``.

Examples:
    >>> import aftersales_crm.membership as membership
    >>> membership.__name__
    'aftersales_crm.membership'
"""

from __future__ import annotations

# -- part 2, the points ledger (issue 13, H2) --
from aftersales_crm.membership._batch import Balances, balances
from aftersales_crm.membership._ledger import (
    Entry,
    Ledger,
    LedgerState,
    Lot,
    Redemption,
    Reversal,
)

# -- end of part 2 --

__all__ = [
    "Balances",
    "Entry",
    "Ledger",
    "LedgerState",
    "Lot",
    "Redemption",
    "Reversal",
    "balances",
]
