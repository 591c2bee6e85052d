"""Hypothesis strategies of points entries for a few members, dense in time so that the
rules meet: ties at one instant, expiry days, pending windows, refunds after redemption."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from hypothesis import strategies as st

from aftersales_crm.membership import Entry
from aftersales_crm.records import (
    Chapter,
    Customer,
    Dealer,
    MemberApplied,
    PointsAdjusted,
    PointsEarned,
    PointsExpired,
    PointsRedeemed,
    PointsReversed,
    Record,
    Share,
)

START = datetime(2026, 3, 1, tzinfo=UTC)
#: instants on a coarse grid (hours over ten days, and the exact boundaries of days in
#: Shanghai, 16:00 UTC), so that entries tie and meet expiry instants
INSTANTS = st.one_of(
    st.integers(0, 240).map(lambda h: START + timedelta(hours=h)),
    st.integers(0, 10).map(lambda d: START + timedelta(days=d, hours=16)),
    st.integers(0, 10).map(lambda d: START + timedelta(days=d, hours=16, microseconds=-1)),
)


@st.composite
def member_entries(
    draw: st.DrawFn, member: str = "M1", *, most: int = 14, prefix: str = ""
) -> list[Entry]:
    """A member's entries in arrival order (which the ledger must not care about)."""
    out: list[Entry] = []
    awards: list[PointsEarned] = []
    n = draw(st.integers(0, most))
    for i in range(n):
        what = draw(st.sampled_from(["earn", "earn", "earn", "redeem", "reverse", "adjust"]))
        at = draw(INSTANTS)
        eid = f"{prefix}{member}-{i:02d}"
        if what == "earn" or (what == "reverse" and not awards):
            # a day not before the award's day in Beijing (the ledger refuses such awards)
            local = (at + timedelta(hours=8)).date()
            expires = draw(st.none() | st.dates(local, date(2026, 3, 13)))
            hours = draw(st.none() | st.integers(0, 72))
            pending = None if hours is None else at + timedelta(hours=hours)
            award = PointsEarned(
                id=f"E{eid}",
                member_id=member,
                amount=draw(st.integers(1, 60)),
                at=at,
                source_id=f"S{draw(st.integers(0, 5))}",
                funder=draw(st.sampled_from(["hq", "dealer", "partner"])),
                dealer_id="D1",
                pending_until=pending,
                expires_on=expires,
            )
            awards.append(award)
            out.append(award)
        elif what == "redeem":
            out.append(
                PointsRedeemed(
                    id=f"R{eid}",
                    member_id=member,
                    amount=draw(st.integers(1, 80)),
                    at=at,
                    dealer_id="D2",
                )
            )
        elif what == "reverse":
            award = draw(st.sampled_from(awards))
            later = award.at + (at - START)
            if draw(st.booleans()):
                whole = draw(st.integers(1, 6))
                share = Fraction(draw(st.integers(1, whole)), whole)
                out.append(
                    PointsReversed(
                        id=f"V{eid}",
                        member_id=member,
                        at=later,
                        earned_id=award.id,
                        share=Share(numerator=share.numerator, denominator=share.denominator),
                    )
                )
            else:
                out.append(
                    PointsReversed(
                        id=f"V{eid}",
                        member_id=member,
                        at=later,
                        earned_id=award.id,
                        amount=draw(st.integers(1, 80)),
                    )
                )
        else:
            amount = draw(st.integers(-50, 50).filter(bool))
            out.append(
                PointsAdjusted(
                    id=f"J{eid}", member_id=member, amount=amount, at=at, reason="correction"
                )
            )
    record_a_run = draw(st.booleans())
    if awards and record_a_run:
        award = awards[0]
        out.append(
            PointsExpired(
                id=f"X{member}", member_id=member, amount=1, at=award.at, earned_id=award.id
            )
        )
    return draw(st.permutations(out))


def with_members(entries: list[Record]) -> list[Record]:
    """``entries`` with the club their members belong to: a points entry names a member of
    the ``members`` table, so a Book of entries holds each member's application (one dealer,
    one chapter, one customer per member, applied at :data:`START`)."""
    members = sorted({getattr(entry, "member_id", "") for entry in entries} - {""})
    club: list[Record] = [
        Dealer(id="D1", name="一号店"),
        Chapter(id="CH1", dealer_id="D1", name="一号车友会"),
    ]
    for member in members:
        club.append(Customer(id=f"C-{member}", name="王明"))
        club.append(MemberApplied(id=member, customer_id=f"C-{member}", chapter_id="CH1", at=START))
    return [*club, *entries]
