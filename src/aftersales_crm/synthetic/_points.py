"""Points entries of a synthetic club: awards on orders, redemptions, refunds, expiries.

Each order a club member opened after joining earns an award, funded by HQ, that expires
two years on; some members redeem part of their points; a few
awards are refunded in part after redemption, a few members get a goodwill credit, and the
lapsed points are recorded by an expiry run of the member's ledger.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Final

import numpy as np

from aftersales_crm.membership import Ledger
from aftersales_crm.records import PointsAdjusted, PointsEarned, Record, Share
from aftersales_crm.tables import Tables

__all__ = ["points_entries"]

#: The library's choices for a small, plausible sample, not rules of the training material.
_POINTS_RANGE: Final = (50, 800)
_VALID_DAYS: Final = 730
_REDEEM_SHARE: Final = 0.4
_REFUND_SHARE: Final = 0.15
_GOODWILL_SHARE: Final = 0.1
_GOODWILL_POINTS: Final = 200
_ELSEWHERE_SHARE: Final = 0.2


def _joined(drawn: Tables) -> dict[int, tuple[str, datetime]]:
    """Customer row → (member id, the instant the member first joined), for joined members."""
    members, joins = drawn.members, drawn.member_joins
    out: dict[int, tuple[str, datetime]] = {}
    for member_row, at in sorted(
        zip(joins["member"].tolist(), joins["at"].tolist(), strict=True), key=lambda j: j[1]
    ):
        customer = int(members["customer"][member_row])
        out.setdefault(customer, (str(members["id"][member_row]), at))
    return out


def points_entries(drawn: Tables, rng: np.random.Generator, as_of: date) -> list[Record]:
    """The points entries of the club members of a drawn base (orders after they joined).

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm import synthetic
        >>> entries = points_entries(synthetic.tables(n_customers=200, seed=1),
        ...                          np.random.default_rng(1), date(2026, 11, 22))
        >>> sorted({type(e).__name__ for e in entries})  # doctest: +NORMALIZE_WHITESPACE
        ['PointsAdjusted', 'PointsEarned', 'PointsExpired', 'PointsRedeemed',
         'PointsReversed']
    """
    orders, dealers = drawn.orders, drawn.dealers["id"]
    joined = _joined(drawn)
    end = datetime.combine(as_of, time(12), tzinfo=UTC)
    by_member: dict[str, list[PointsEarned]] = defaultdict(list)
    for order_id, customer, dealer, opened in zip(
        orders["id"].tolist(),
        orders["customer"].tolist(),
        orders["dealer"].tolist(),
        orders["opened_at"].tolist(),
        strict=True,
    ):
        if customer not in joined or opened < joined[customer][1]:
            continue
        at = opened.replace(tzinfo=UTC)
        member = joined[customer][0]
        by_member[member].append(
            PointsEarned(
                id=f"PE{order_id}",
                member_id=member,
                amount=int(rng.integers(*_POINTS_RANGE)),
                at=at,
                source_id=str(order_id),
                funder="hq",
                dealer_id=str(dealers[dealer]),
                expires_on=at.date() + timedelta(days=_VALID_DAYS),
            )
        )
    out: list[Record] = []
    for member, entries in by_member.items():
        ledger = Ledger.replay(entries)
        last = max(e.at for e in entries)
        when = last + (end - last) / 2
        available = ledger.state(when).available
        if available > 1 and rng.random() < _REDEEM_SHARE:
            amount = int(rng.integers(1, available // 2 + 1))
            # Mostly where the member earned last; now and then at another dealer.
            where = entries[-1].dealer_id
            if len(dealers) > 1 and rng.random() < _ELSEWHERE_SHARE:
                where = str(dealers[int(rng.integers(len(dealers)))])
            ledger = ledger.redeem(id=f"PR{member}", amount=amount, at=when, dealer_id=where)
            if rng.random() < _REFUND_SHARE:
                award = entries[-1]
                ledger = ledger.reverse(
                    id=f"PV{member}",
                    earned_id=award.id,
                    at=when + timedelta(days=1),
                    share=Share(numerator=1, denominator=2)
                    if rng.random() < 0.5  # noqa: PLR2004 - half by share, half whole
                    else Fraction(1),
                )
        if rng.random() < _GOODWILL_SHARE:
            ledger = ledger.apply(
                PointsAdjusted(
                    id=f"PJ{member}",
                    member_id=member,
                    amount=_GOODWILL_POINTS,
                    at=end,
                    reason="goodwill after a complaint",
                )
            )
        out += ledger.entries
        out += ledger.expiry_run(end)
    return out
