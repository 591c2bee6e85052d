"""One member's points ledger: lots, consumption, reversals, debt and expiry, replayed.

A [`Ledger`][aftersales_crm.membership.Ledger] holds a member's points entries (the facts of
[`aftersales_crm.records`][aftersales_crm.records]: awards, redemptions, expiry records, reversals and
adjustments) and nothing else; [`Ledger.state`][aftersales_crm.membership.Ledger.state] folds them into a
[`LedgerState`][aftersales_crm.membership.LedgerState] at an explicit ``as_of``. The fold sorts the entries by instant, so
the arrival order never matters, and counts no entry after ``as_of``.

The rules it applies (where points go, when they lapse, how much a refund takes back) are
those of ``aftersales_crm.membership._rules``, which the columnar batch
([`aftersales_crm.membership.balances`][aftersales_crm.membership.balances]) applies too.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Self

import attrs

from aftersales_crm._args import to_time_zone
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE
from aftersales_crm.membership._rules import (
    DEBIT,
    NEVER,
    REGISTER,
    REVERSE,
    cached_expiry_instant,
    micros,
    reversal_target,
)
from aftersales_crm.records import (
    Funder,
    PointsAdjusted,
    PointsEarned,
    PointsExpired,
    PointsRedeemed,
    PointsReversed,
    Share,
)
from aftersales_crm.values import Money

__all__ = ["Entry", "Ledger", "LedgerState", "Lot", "Redemption", "Reversal"]

Entry = PointsEarned | PointsRedeemed | PointsExpired | PointsReversed | PointsAdjusted
"""A points entry: one of the five points facts."""

_AUDIT: Final = DEBIT + 1  # expiry records come last at their instant and move nothing
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)

# What the fold does with an entry (its *code*), and the entry's rank at its instant.
_EARN, _CREDIT, _REVERSE, _REDEEM, _DEBIT, _RECORD = range(6)
_RANKS: Final = (REGISTER, REGISTER, REVERSE, DEBIT, DEBIT, _AUDIT)
#: the code of each entry type, looked up by ``type(entry)``; an adjustment's code depends
#: on its sign and a subclass is not listed, so both go through ``_code``
_CODES: Final[dict[type, int]] = {
    PointsEarned: _EARN,
    PointsRedeemed: _REDEEM,
    PointsReversed: _REVERSE,
    PointsExpired: _RECORD,
}


def _instant(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _code(entry: object) -> int:
    """What the fold does with ``entry``; raise if it is not a points entry."""
    if isinstance(entry, PointsAdjusted):
        return _CREDIT if entry.amount > 0 else _DEBIT
    for kind, code in _CODES.items():
        if isinstance(entry, kind):
            return code
    msg = f"entry is {entry!r:.80}, expected a points entry (PointsEarned, …)"
    raise InvalidType(msg)


_Key = tuple[int, int, str]
#: (instant µs, rank at the instant, id, position, code): ordered by the first three, the
#: ids of a ledger being distinct; the entry is at ``position`` in the ledger's entries.
#: Only atomic values, so that the garbage collector soon stops tracking the tuple.
_Item = tuple[int, int, str, int, int]


@attrs.frozen(slots=False)  # a dict class: its __init__ is twice as fast
class Lot:
    """One award (or credit) and where its points went, at the state's ``as_of``.

    ``grant == remaining + spent + expired + reversed`` always holds.

    Attributes:
        id: the award's id (a credit adjustment's id for a credit).
        grant: the points granted.
        remaining: the points still held (spendable once active, see ``active_from``).
        spent: points taken by redemptions, debits and debt repayments.
        expired: points that lapsed unspent.
        reversed: points taken back from the lot by reversals.
        at: when the points were earned.
        active_from: when they became (or become) spendable.
        expires_at: the instant they lapse (the end of ``expires_on`` in the programme's
            time zone), ``None`` when they never do.
        funder: who pays for the points.
        dealer_id: where they were earned (``None`` for a credit adjustment).
        source_id: what earned them (``None`` for a credit adjustment).

    Examples:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> lot = Ledger.open("M1").earn(id="E1", amount=100, at=at, source_id="RO1",
        ...                              dealer_id="D1").state(at).lots[0]
        >>> lot.grant, lot.remaining, lot.funder.value
        (100, 100, 'hq')
    """

    id: str
    grant: int
    remaining: int
    spent: int
    expired: int
    reversed: int
    at: dt.datetime
    active_from: dt.datetime
    expires_at: dt.datetime | None
    funder: Funder
    dealer_id: str | None
    source_id: str | None


@attrs.frozen(slots=False)  # a dict class: its __init__ is twice as fast
class Redemption:
    """A redemption (or a debit adjustment) and the lots that paid for it.

    Attributes:
        id: the entry's id.
        amount: the points redeemed.
        at: when.
        paid_by: ``(lot id, points)`` pairs in the order the lots were used.
        debt: the part no lot paid for, held as tracked debt (0 unless the policy allows
            debt, or the entry is a debit adjustment).

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> ledger = (Ledger.open("M1").earn(id="E1", amount=100, at=t, source_id="RO1",
        ...                                  dealer_id="D1")
        ...           .redeem(id="R1", amount=30, at=t, dealer_id="D2"))
        >>> ledger.state(t).redemptions["R1"].paid_by
        (('E1', 30),)
    """

    id: str
    amount: int
    at: dt.datetime
    paid_by: tuple[tuple[str, int], ...]
    debt: int


@attrs.frozen
class Reversal:
    """What a reversal took back, and from where.

    Attributes:
        id: the reversal's id.
        earned_id: the award it reversed (the kept award, if it named a duplicate).
        taken: points taken from the award's own lot.
        charged: points the award had already paid out, charged to the member's other lots
            (``paid_by``) and the rest to tracked debt (``debt``).
        waived: points not taken back because they had expired unspent.
        paid_by: ``(lot id, points)`` pairs that covered the charged points.
        debt: the charged points no lot covered, now tracked debt.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> ledger = (Ledger.open("M1").earn(id="E1", amount=90, at=t, source_id="RO1",
        ...                                  dealer_id="D1")
        ...           .reverse(id="V1", earned_id="E1", at=t, share=Share(numerator=1, denominator=3)))
        >>> ledger.state(t).reversals["V1"].taken
        30
    """

    id: str
    earned_id: str
    taken: int
    charged: int
    waived: int
    paid_by: tuple[tuple[str, int], ...]
    debt: int


@attrs.frozen
class LedgerState:
    """A member's points at ``as_of``, folded from the entries up to then.

    The balance identity holds at every ``as_of``::

        balance == earned - redeemed - expired - reversed + adjusted - pending

    where ``balance == available - debt`` and at most one of ``available`` and ``debt``
    is positive (new points pay off debt first).

    Attributes:
        member_id: the member.
        as_of: the instant of the state.
        balance: spendable points less tracked debt (negative while in debt).
        available: spendable points: the active lots' remaining points.
        pending: points earned but not yet spendable.
        debt: tracked debt.
        earned: points awarded (duplicates of a source not counted).
        redeemed: points redeemed (debt included).
        expired: points that lapsed.
        reversed: points taken back by reversals (the waived part not counted).
        adjusted: credits less debits by adjustment.
        lots: every lot, in consumption order.
        redemptions: every redemption and debit adjustment by id.
        reversals: every reversal by id.
        duplicates: ids of awards ignored because their source had earned already.
        expiry_records: the expiry entries held (an audit trail: they move nothing).

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> s = Ledger.open("M1").earn(id="E1", amount=100, at=t, source_id="RO1",
        ...                            dealer_id="D1").state(t)
        >>> s.balance, s.available, s.debt
        (100, 100, 0)
    """

    member_id: str
    as_of: dt.datetime
    balance: int
    available: int
    pending: int
    debt: int
    earned: int
    redeemed: int
    expired: int
    reversed: int
    adjusted: int
    lots: tuple[Lot, ...]
    redemptions: Mapping[str, Redemption]
    reversals: Mapping[str, Reversal]
    duplicates: tuple[str, ...]
    expiry_records: tuple[PointsExpired, ...]

    def expiring_within(self, days: int) -> int:
        """Points held now that lapse within ``days`` days of ``as_of`` (pending ones too).

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> t = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> s = Ledger.open("M1").earn(id="E1", amount=100, at=t, source_id="RO1",
            ...     dealer_id="D1", expires_on=date(2026, 12, 31)).state(t)
            >>> s.expiring_within(29), s.expiring_within(31)
            (0, 100)
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            msg = f"days is {days!r}, expected a whole number of days >= 0"
            raise InvalidValue(msg, code="days")
        horizon = self.as_of + dt.timedelta(days=days)
        return sum(
            lot.remaining
            for lot in self.lots
            if lot.expires_at is not None and lot.expires_at <= horizon
        )

    def liabilities(self) -> dict[Funder, int]:
        """Points held (spendable or pending) by who pays for them when redeemed.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> Ledger.open("M1").earn(id="E1", amount=100, at=t, source_id="RO1",
            ...     dealer_id="D1", funder="dealer").state(t).liabilities()[Funder.DEALER]
            100
        """
        out = dict.fromkeys(Funder, 0)
        for lot in self.lots:
            out[lot.funder] += lot.remaining
        return out

    def worth(self, per_point: Money) -> Money:
        """The balance in money, exactly, at ``per_point`` a point.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> s = Ledger.open("M1").earn(id="E1", amount=150, at=t, source_id="RO1",
            ...                            dealer_id="D1").state(t)
            >>> str(s.worth(Money.parse("0.01 CNY")))
            '1.50 CNY'
        """
        given: object = per_point  # callers may pass anything; the annotation is the contract
        if not isinstance(given, Money):
            msg = f"per_point is {given!r:.80}, expected a Money"
            raise InvalidType(msg)
        return per_point * self.balance


# -- the fold -------------------------------------------------------------------------------
#
# The fold keeps instants as int microseconds and a lot as its *number* into a few lists:
# lots are numbered in the order they are registered, which is the order of (instant, id),
# so a lot's consumption key (expires, at, id) is (expires, number), packed into one int
# for the heap. The hot path makes no container that outlives it, as each one costs the
# garbage collector again on every full pass over the caller's entries; datetimes and
# the public records are made only by ``state``.

_SHORTCUTS = True
"""Whether the fold takes its shortcuts (a lot spendable at once activated on the spot, a
debit paid by one lot, a state from the newest fold advanced); the tests turn them off
to check that the general path agrees."""
_BITS: Final = 32  # a heap key is instant << _BITS | lot number
_MASK: Final = (1 << _BITS) - 1
_PENDING, _ACTIVE, _GONE = range(3)
_Paid = int | list[tuple[str, int]]  # the lot that paid a debit in full, or the lots


class _Refunds:
    """What the reversals of one lot add up to so far."""

    __slots__ = ("amounts", "charged", "shares", "target")

    def __init__(self) -> None:
        self.amounts = self.charged = self.target = 0
        self.shares = Fraction(0)


class _Fold:
    """The mutable fold behind a ledger: entries applied in (instant, rank, id) order.

    With ``_SHORTCUTS``, a lot registered spendable while no debt waits for it is
    activated at once rather than through the activation queue (only debt repayment
    depends on which lots activate together), and a debit the first lot pays in full is
    recorded as that lot's number rather than a list.
    """

    __slots__ = (
        "adjusted",
        "allow_debt",
        "audit",
        "available",
        "days",
        "debits",
        "debt",
        "duplicates",
        "earned",
        "expired",
        "expiring",
        "expiry_heap",
        "lapsed",
        "last",
        "lot_entry",
        "lot_expires",
        "member_id",
        "next_event",
        "number",
        "paid",
        "pending",
        "ready",
        "redeemed",
        "refunds",
        "remaining",
        "repaid_at",
        "reversals",
        "reversed",
        "shortcuts",
        "shorts",
        "sources",
        "status",
        "taken_back",
        "waiting",
        "zone",
    )

    def __init__(self, member_id: str, *, allow_debt: bool, zone: dt.tzinfo) -> None:
        self.member_id, self.allow_debt, self.zone = member_id, allow_debt, zone
        self.shortcuts = _SHORTCUTS
        # the lots, by number
        self.lot_entry: list[PointsEarned | PointsAdjusted] = []  # the award or credit
        self.lot_expires: list[int] = []  # NEVER for none
        self.remaining: list[int] = []
        self.status: list[int] = []  # _PENDING, _ACTIVE or _GONE (expired)
        self.lapsed: dict[int, int] = {}  # points expired, of the lots with some
        self.taken_back: dict[int, int] = {}  # points reversed, of the lots with some
        self.refunds: dict[int, _Refunds] = {}
        self.number: dict[str, int] = {}  # award (or credit, or duplicate award) id → lot
        self.sources: dict[str, str] = {}  # source id → the award kept
        self.duplicates: list[str] = []
        self.ready: list[int] = []  # heap: (expires, number) keys of the active lots
        self.waiting: list[int] = []  # heap: (active_at, number) keys of pending lots
        self.expiring: dict[int, list[int]] = {}  # instant → the lots expiring then
        self.expiry_heap: list[int] = []  # the instants of ``expiring``
        self.next_event = NEVER  # the first instant either queue acts at
        self.days: dict[dt.date | None, int] = {}  # expiry day → instant, in ``zone``
        self.available = self.pending = self.debt = 0
        self.earned = self.redeemed = self.expired = self.reversed = self.adjusted = 0
        # the debits (redemptions and debit adjustments) in order, what paid, any debt
        self.debits: list[PointsRedeemed | PointsAdjusted] = []
        self.paid: list[_Paid] = []
        self.shorts: dict[int, int] = {}
        self.reversals: dict[str, Reversal] = {}
        self.audit: list[PointsExpired] = []
        self.last: _Key = (-(2**63), -1, "")
        self.repaid_at = -(2**63)

    # -- time ---------------------------------------------------------------------------

    def advance(self, t: int) -> None:
        """Apply the expiries and activations up to and including the instant ``t``."""
        expiry_heap, waiting, remaining, status = (
            self.expiry_heap,
            self.waiting,
            self.remaining,
            self.status,
        )
        e = expiry_heap[0] if expiry_heap else NEVER
        a = waiting[0] >> _BITS if waiting else NEVER
        while e <= t or a <= t:
            if e <= a:  # at one instant, lots lapse before others activate
                heapq.heappop(expiry_heap)
                for number in self.expiring.pop(e):
                    left = remaining[number]
                    if left:
                        if status[number] == _ACTIVE:
                            self.available -= left
                        else:
                            self.pending -= left
                        self.lapsed[number] = left
                        self.expired += left
                        remaining[number] = 0
                    status[number] = _GONE
                e = expiry_heap[0] if expiry_heap else NEVER
                continue
            while waiting and waiting[0] >> _BITS == a:
                number = heapq.heappop(waiting) & _MASK
                if status[number] == _PENDING:
                    self.activate(number)
            if self.debt and self.available:
                paid, _ = self.consume(min(self.debt, self.available))
                self.debt -= sum(points for _, points in paid)
                self.repaid_at = a
            a = waiting[0] >> _BITS if waiting else NEVER
        self.next_event = min(e, a)

    def activate(self, number: int) -> None:
        self.status[number] = _ACTIVE
        left = self.remaining[number]
        self.pending -= left
        self.available += left
        if left:
            heapq.heappush(self.ready, self.lot_expires[number] << _BITS | number)

    def consume(self, need: int) -> tuple[list[tuple[str, int]], int]:
        """Take ``need`` points from the active lots in consumption order.

        Returns the ``(lot, points)`` taken and the shortfall.
        """
        out: list[tuple[str, int]] = []
        ready, remaining, lot_entry = self.ready, self.remaining, self.lot_entry
        taken = 0
        while need and ready:
            number = ready[0] & _MASK
            left = remaining[number]
            if left > need:
                remaining[number] = left - need
                out.append((lot_entry[number].id, need))
                taken += need
                need = 0
                break
            heapq.heappop(ready)
            if left:
                remaining[number] = 0
                out.append((lot_entry[number].id, left))
                taken += left
                need -= left
        self.available -= taken
        return out, need

    # -- entries ------------------------------------------------------------------------

    def run(self, ordered: list[_Item], entries: list[Entry]) -> None:
        """Apply the sorted items and the expiries and activations on the way.

        Each item's entry is at its position in ``entries``. Raises (perhaps half applied)
        at an entry that cannot be applied. The awards of one instant activate together, after all are registered.
        """
        last = len(ordered) - 1
        register, debit = self.register, self.debit
        for i, (t, rank, _, position, code) in enumerate(ordered):
            entry = entries[position]
            if code <= _CREDIT:
                register(t, entry, code)  # type: ignore[arg-type]
                if t >= self.next_event and (
                    i == last or ordered[i + 1][0] != t or ordered[i + 1][1] != rank
                ):
                    self.advance(t)
                continue
            if t >= self.next_event:
                self.advance(t)
            if code in (_REDEEM, _DEBIT):
                debit(entry, code)  # type: ignore[arg-type]
            elif code == _REVERSE:
                self.reverse(entry)  # type: ignore[arg-type]
            else:
                self.audit.append(entry)  # type: ignore[arg-type]
        if ordered:
            self.last = ordered[-1][:3]

    def register(self, t: int, entry: PointsEarned | PointsAdjusted, code: int) -> None:
        grant = entry.amount
        if code == _CREDIT:
            active_at, expires = t, NEVER
            self.adjusted += grant
        else:
            assert isinstance(entry, PointsEarned)  # narrowing, for mypy
            kept = self.sources.get(entry.source_id)
            if kept is not None:
                self.number[entry.id] = self.number[kept]
                self.duplicates.append(entry.id)
                return
            day = entry.expires_on
            expires = self.days.get(day, -1)
            if expires < 0:
                expires = self.days[day] = cached_expiry_instant(day, self.zone)
            if expires <= t:
                msg = (
                    f"award {entry.id!r}: expires_on {day} ends at "
                    f"{_instant(expires).isoformat()}, not after it was earned at "
                    f"{entry.at.isoformat()}"
                )
                raise InvalidValue(msg, code="expiry_before_award")
            self.sources[entry.source_id] = entry.id
            until = entry.pending_until
            active_at = t if until is None else max(t, micros(until))
            self.earned += grant
        number = len(self.remaining)
        self.number[entry.id] = number
        self.lot_entry.append(entry)
        self.lot_expires.append(expires)
        self.remaining.append(grant)
        if active_at == t and not self.debt and self.shortcuts:
            self.status.append(_ACTIVE)
            self.available += grant
            heapq.heappush(self.ready, expires << _BITS | number)
        else:
            self.status.append(_PENDING)
            self.pending += grant
            heapq.heappush(self.waiting, active_at << _BITS | number)
            self.next_event = min(self.next_event, active_at)
        if expires != NEVER:
            bucket = self.expiring.get(expires)
            if bucket is None:
                self.expiring[expires] = [number]
                heapq.heappush(self.expiry_heap, expires)
                self.next_event = min(self.next_event, expires)
            else:
                bucket.append(number)

    def reverse(self, entry: PointsReversed) -> None:
        number = self.number.get(entry.earned_id)
        if number is None:
            msg = (
                f"reversal {entry.id!r} reverses award {entry.earned_id!r}, which the "
                f"ledger of {self.member_id!r} does not hold at {entry.at.isoformat()}"
            )
            raise InvalidValue(msg, code="unknown_award")
        grant = self.lot_entry[number].amount
        refunds = self.refunds.get(number)
        if refunds is None:
            refunds = self.refunds[number] = _Refunds()
        if entry.share is not None:
            refunds.shares += entry.share.fraction
        else:
            refunds.amounts += entry.amount or 0
        target = reversal_target(grant, refunds.shares, refunds.amounts)
        due, refunds.target = target - refunds.target, target
        left = self.remaining[number]
        taken = min(due, left)
        self.remaining[number] = left - taken
        taken_back = self.taken_back[number] = self.taken_back.get(number, 0) + taken
        if self.status[number] == _ACTIVE:
            self.available -= taken
        else:
            self.pending -= taken
        spent = grant - (left - taken) - self.lapsed.get(number, 0) - taken_back
        charged = min(due - taken, spent - refunds.charged)
        refunds.charged += charged
        paid, short = self.consume(charged)
        self.debt += short
        self.reversed += taken + charged
        self.reversals[entry.id] = Reversal(
            entry.id,
            self.lot_entry[number].id,
            taken,
            charged,
            due - taken - charged,
            tuple(paid),
            short,
        )

    def debit(self, entry: PointsRedeemed | PointsAdjusted, code: int) -> None:
        amount = entry.amount
        if code == _REDEEM:
            if amount > self.available and not self.allow_debt:
                msg = (
                    f"redemption {entry.id!r} of {amount} points at "
                    f"{entry.at.isoformat()} exceeds the balance of {self.available - self.debt} "
                    f"points of member {self.member_id!r}; the points policy allows no debt"
                )
                raise InvalidValue(msg, code="insufficient_points")
            self.redeemed += amount
        else:
            amount = -amount
            self.adjusted -= amount
        self.debits.append(entry)
        ready = self.ready
        if ready and self.shortcuts:  # most often the first lot pays it all: no list
            number = ready[0] & _MASK
            left = self.remaining[number]
            if left >= amount:
                self.remaining[number] = left - amount  # a lot left empty goes in consume
                self.available -= amount
                self.paid.append(number)
                return
        paid, short = self.consume(amount)
        self.paid.append(paid)
        if short:
            self.debt += short
            self.shorts[len(self.debits) - 1] = short

    def state(self, as_of: dt.datetime) -> LedgerState:
        lot_entry, remaining = self.lot_entry, self.remaining
        ends: dict[int, dt.datetime | None] = {NEVER: None}

        def utc(given: dt.datetime) -> dt.datetime:
            """The instant ``given`` in UTC: itself if it is so already."""
            if given.tzinfo is dt.UTC and not given.fold:
                return given
            return _EPOCH + (given - _EPOCH)

        def lot(number: int) -> Lot:
            entry, left = lot_entry[number], remaining[number]
            expired = self.lapsed.get(number, 0)
            reversed_ = self.taken_back.get(number, 0)
            at = active_from = utc(entry.at)
            expires = self.lot_expires[number]
            if expires not in ends:
                ends[expires] = _instant(expires)
            dealer_id = source_id = None
            if isinstance(entry, PointsEarned):
                dealer_id, source_id = entry.dealer_id, entry.source_id
                until = entry.pending_until
                if until is not None and until > entry.at:
                    active_from = utc(until)
            return Lot(
                entry.id,
                entry.amount,
                left,
                entry.amount - left - expired - reversed_,
                expired,
                reversed_,
                at,
                active_from,
                ends[expires],
                entry.funder,
                dealer_id,
                source_id,
            )

        def redemption(i: int, entry: PointsRedeemed | PointsAdjusted) -> Redemption:
            amount, paid = abs(entry.amount), self.paid[i]
            return Redemption(
                entry.id,
                amount,
                entry.at,
                ((lot_entry[paid].id, amount),) if isinstance(paid, int) else tuple(paid),
                self.shorts.get(i, 0),
            )

        order = sorted(expires << _BITS | number for number, expires in enumerate(self.lot_expires))
        return LedgerState(
            member_id=self.member_id,
            as_of=as_of,
            balance=self.available - self.debt,
            available=self.available,
            pending=self.pending,
            debt=self.debt,
            earned=self.earned,
            redeemed=self.redeemed,
            expired=self.expired,
            reversed=self.reversed,
            adjusted=self.adjusted,
            lots=tuple([lot(key & _MASK) for key in order]),
            redemptions=MappingProxyType(
                {entry.id: redemption(i, entry) for i, entry in enumerate(self.debits)}
            ),
            reversals=MappingProxyType(dict(self.reversals)),
            duplicates=tuple(self.duplicates),
            expiry_records=tuple(self.audit),
        )


def _fold(
    member_id: str,
    items: list[_Item],
    entries: list[Entry],
    until: int | None = None,
    *,
    allow_debt: bool,
    zone: dt.tzinfo,
) -> _Fold:
    """Fold the items (those at or before ``until``, then advanced to it) in order."""
    fold = _Fold(member_id, allow_debt=allow_debt, zone=zone)
    fold.run(sorted(items if until is None else [i for i in items if i[0] <= until]), entries)
    if until is not None:
        fold.advance(until)
    return fold


class _Tip:
    """The fold of the newest ledger of a log, advanced entry by entry (shared, mutable)."""

    __slots__ = ("fold", "n")

    def __init__(self, fold: _Fold, n: int) -> None:
        self.fold, self.n = fold, n


def _other_member(entry: Entry, member_id: str) -> InvalidValue:
    msg = (
        f"entry {entry.id!r} is of member {entry.member_id!r}, not of this "
        f"ledger's member {member_id!r}"
    )
    return InvalidValue(msg, code="other_member")


def _clash(entry: Entry, held: Entry) -> InvalidValue:
    msg = f"entry id {entry.id!r} is held already for a different entry: {held!r:.200}"
    return InvalidValue(msg, code="entry_id_clash")


def _incremental(fold: _Fold, item: _Item) -> bool:
    """Whether ``item`` can be applied on top of ``fold`` as it stands.

    Awards registered at one instant activate together; applying one more at an instant
    where debt was repaid would split that group, so such an entry is folded afresh.
    """
    t, rank, entry_id, _, _ = item
    if (t, rank, entry_id) <= fold.last:
        return False
    if t > fold.last[0]:
        return True
    return rank != REGISTER or (fold.repaid_at != t and not fold.debt)


@attrs.frozen(eq=False, slots=False)
class Ledger:
    """One member's points ledger: immutable, built from entries, state derived at ``as_of``.

    Build it entry by entry with the fluent verbs (each returns a new ledger and leaves
    this one as it was) or all at once with [`replay`][aftersales_crm.membership.Ledger.replay]; either way the entries are
    folded in order of instant, so the order they arrive in does not matter.

    Rules (each proved by a test named in the docs page "The ledger's guarantees"):

    * an award is a lot; redemptions take points from the lots that expire soonest, then
      the oldest, then the smallest id, and record which lots paid;
    * a redemption beyond the spendable balance raises, unless ``allow_debt``: the
      shortfall is then tracked debt, paid off first by the next points that activate;
    * one award per source id: a second award for the same source is ignored (the first
      by instant, then id, is kept), and the same entry arriving twice changes nothing;
    * a reversal uses the award's recorded points, takes a refunded share rounded down on
      the sum of the award's refunds, is capped at the award, takes the points from the
      award's lot first, and charges the part already spent to the member's other lots,
      then to tracked debt; the part that expired unspent is waived;
    * points expire at the end of ``expires_on`` in the programme's time zone; points
      pending until an instant are not spendable before it.

    Attributes:
        member_id: the member.
        allow_debt: whether redemptions may exceed the balance, as tracked debt (the
            points policy decides; no by default, as most engines refuse).
        time_zone: the programme's time zone, where expiry days end (Asia/Shanghai).

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> t = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
        >>> ledger = (Ledger.open("M1")
        ...     .earn(id="E1", amount=100, at=t, source_id="RO1", dealer_id="D1",
        ...           expires_on=date(2027, 3, 1))
        ...     .earn(id="E2", amount=50, at=t, source_id="RO2", dealer_id="D1",
        ...           expires_on=date(2026, 12, 31))
        ...     .redeem(id="R1", amount=80, at=t, dealer_id="D2"))
        >>> s = ledger.state(t)
        >>> s.balance, s.redemptions["R1"].paid_by
        (70, (('E2', 50), ('E1', 30)))
        >>> ledger.redeem(id="R2", amount=500, at=t, dealer_id="D2")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: redemption 'R2' of 500 points at 2026-03-01T10:00:00+00:00 exceeds the balance of 70 points of member 'M1'; the points policy allows no debt
    """

    member_id: str
    allow_debt: bool = False
    time_zone: dt.tzinfo = attrs.field(
        default=to_time_zone(DEFAULT_TIME_ZONE), converter=to_time_zone, repr=False
    )
    _log: list[_Item] = attrs.field(factory=list, repr=False, alias="_log")
    _entries: list[Entry] = attrs.field(factory=list, repr=False, alias="_entries")
    _n: int = attrs.field(default=0, repr=False, alias="_n")
    _ids: dict[str, int] = attrs.field(factory=dict, repr=False, alias="_ids")  # id → position
    _tip: _Tip | None = attrs.field(default=None, repr=False, alias="_tip")

    @classmethod
    def open(
        cls,
        member_id: str,
        *,
        allow_debt: bool = False,
        time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE,
    ) -> Ledger:
        """An empty ledger for ``member_id``.

        Examples:
            >>> Ledger.open("M1").state(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).balance
            0
        """
        if not isinstance(member_id, str) or not member_id.strip():
            msg = f"member_id is {member_id!r:.80}, expected a member's id"
            raise InvalidValue(msg, code="member_id")
        flag: object = allow_debt  # callers may pass anything; the annotation is the contract
        if not isinstance(flag, bool):
            msg = f"allow_debt is {flag!r:.80}, expected True or False"
            raise InvalidType(msg)
        return cls(member_id, allow_debt, to_time_zone(time_zone))

    @classmethod
    def replay(
        cls,
        entries: Iterable[Entry],
        *,
        member_id: str | None = None,
        allow_debt: bool = False,
        time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE,
    ) -> Ledger:
        """A ledger holding ``entries``, in any order; the same entry twice counts once.

        Args:
            entries: points entries of one member.
            member_id: the member (by default the member of the entries).
            allow_debt: see [`Ledger`][aftersales_crm.membership.Ledger].
            time_zone: see [`Ledger`][aftersales_crm.membership.Ledger].

        Raises:
            InvalidValue: entries of several members, two different entries with one id, a
                redemption beyond the balance without ``allow_debt``, a reversal of an
                award the ledger does not hold, or an award expiring before it is earned.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import PointsEarned, PointsRedeemed
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> e = PointsEarned(id="E1", member_id="M1", amount=100, at=t, source_id="RO1",
            ...                  funder="hq", dealer_id="D1")
            >>> r = PointsRedeemed(id="R1", member_id="M1", amount=40, at=t, dealer_id="D1")
            >>> Ledger.replay([r, e, e]).state(t).balance
            60
        """
        try:
            given = list(entries)
        except TypeError:
            msg = f"entries is {entries!r:.80}, expected an iterable of points entries"
            raise InvalidType(msg) from None
        codes = [_CODES.get(type(each), -1) for each in given]
        for i, code in enumerate(codes):
            if code < 0:
                codes[i] = _code(given[i])  # an adjustment, a subclass, or not an entry
        if member_id is None:
            member_id = given[0].member_id if given else ""
        ledger = cls.open(member_id, allow_debt=allow_debt, time_zone=time_zone)
        ids: dict[str, int] = {}
        log: list[_Item] = []
        kept: list[Entry] = []
        for entry, code in zip(given, codes, strict=True):
            if entry.member_id != member_id:
                raise _other_member(entry, member_id)
            found = ids.get(entry.id)
            if found is not None:
                if kept[found] == entry:
                    continue
                raise _clash(entry, kept[found])
            ids[entry.id] = position = len(log)
            kept.append(entry)
            at = (entry.at - _EPOCH) // _MICROSECOND  # micros(entry.at), inline: the hot path
            log.append((at, _RANKS[code], entry.id, position, code))
        fold = _fold(member_id, log, kept, allow_debt=allow_debt, zone=ledger.time_zone)
        return ledger._next(log, kept, len(log), ids, _Tip(fold, len(log)))

    # -- the verbs ------------------------------------------------------------------------

    def apply(self, entry: Entry) -> Ledger:
        """A new ledger holding ``entry`` too (the same entry again changes nothing).

        Raises:
            InvalidValue: as [`replay`][aftersales_crm.membership.Ledger.replay] does.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import PointsAdjusted
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> j = PointsAdjusted(id="J1", member_id="M1", amount=25, at=t, reason="goodwill")
            >>> Ledger.open("M1").apply(j).apply(j).state(t).balance
            25
        """
        code = _CODES.get(type(entry), -1)
        if code < 0:
            code = _code(entry)  # an adjustment, a subclass, or not an entry at all
        if entry.member_id != self.member_id:
            raise _other_member(entry, self.member_id)
        tip, n, ids = self._tip, self._n, self._ids
        found = ids.get(entry.id)
        if found is not None and found < n:  # positions from n on are newer ledgers'
            if self._entries[found] == entry:
                return self
            raise _clash(entry, self._entries[found])
        at = (entry.at - _EPOCH) // _MICROSECOND  # micros(entry.at), inline: the hot path
        rank = _RANKS[code]
        item: _Item = (at, rank, entry.id, n, code)
        if tip is not None and tip.n == n and len(self._log) == n and _incremental(tip.fold, item):
            self._entries.append(entry)  # the log's owner: others see only positions < n
            try:
                tip.fold.run([item], self._entries)
            except BaseException:
                tip.n = -1  # perhaps half applied: the next verb folds afresh
                del self._entries[n:]
                raise
            ids[entry.id] = n  # the log's owner: others see only positions < n
            self._log.append(item)
            tip.n += 1
            return self._next(self._log, self._entries, n + 1, ids, tip)
        log = [*self._log[:n], item]
        entries = [*self._entries[:n], entry]
        fold = _fold(self.member_id, log, entries, allow_debt=self.allow_debt, zone=self.time_zone)
        ids = {key: found for key, found in ids.items() if found < n}
        ids[entry.id] = n
        return self._next(log, entries, n + 1, ids, _Tip(fold, n + 1))

    def _next(
        self,
        log: list[_Item],
        entries: list[Entry],
        n: int,
        ids: dict[str, int],
        tip: _Tip | None,
    ) -> Ledger:
        """A ledger like this one over ``log[:n]`` (and ``entries[:n]``).

        Made without ``__init__``: the fields are checked already, and the verbs are the
        hot path (the class keeps its fields in a ``__dict__`` to make this one update).
        """
        made = object.__new__(Ledger)
        made.__dict__.update(
            member_id=self.member_id,
            allow_debt=self.allow_debt,
            time_zone=self.time_zone,
            _log=log,
            _entries=entries,
            _n=n,
            _ids=ids,
            _tip=tip,
        )
        return made

    def earn(
        self,
        *,
        id: str,
        amount: int,
        at: dt.datetime,
        source_id: str,
        dealer_id: str,
        funder: Funder | str = Funder.HQ,
        pending_until: dt.datetime | None = None,
        expires_on: dt.date | None = None,
    ) -> Ledger:
        """Award points (a ``PointsEarned`` entry).

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> Ledger.open("M1").earn(id="E1", amount=10, at=t, source_id="S", dealer_id="D",
            ...                        pending_until=datetime(2026, 3, 15, tzinfo=timezone.utc)
            ...                        ).state(t).pending
            10
        """
        return self.apply(
            PointsEarned(
                id=id,
                member_id=self.member_id,
                amount=amount,
                at=at,
                source_id=source_id,
                funder=funder,
                dealer_id=dealer_id,
                pending_until=pending_until,
                expires_on=expires_on,
            )
        )

    def redeem(
        self,
        *,
        id: str,
        amount: int,
        at: dt.datetime,
        dealer_id: str,
        source_id: str | None = None,
    ) -> Ledger:
        """Spend points (a ``PointsRedeemed`` entry).

        Raises:
            InvalidValue: the points exceed the balance at ``at`` and debt is not allowed.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> Ledger.open("M1", allow_debt=True).redeem(id="R1", amount=10, at=t,
            ...                                           dealer_id="D").state(t).debt
            10
        """
        return self.apply(
            PointsRedeemed(
                id=id,
                member_id=self.member_id,
                amount=amount,
                at=at,
                dealer_id=dealer_id,
                source_id=source_id,
            )
        )

    def reverse(
        self,
        *,
        id: str,
        earned_id: str,
        at: dt.datetime,
        amount: int | None = None,
        share: Share | Fraction | None = None,
    ) -> Ledger:
        """Take back an award, by ``amount`` or by a refunded ``share`` of it.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> (Ledger.open("M1").earn(id="E1", amount=100, at=t, source_id="S", dealer_id="D")
            ...  .reverse(id="V1", earned_id="E1", at=t, share=Fraction(1, 4)).state(t).balance)
            75
        """
        if isinstance(share, Fraction):
            share = Share(numerator=share.numerator, denominator=share.denominator)
        return self.apply(
            PointsReversed(
                id=id,
                member_id=self.member_id,
                at=at,
                earned_id=earned_id,
                amount=amount,
                share=share,
            )
        )

    def adjust(
        self,
        *,
        id: str,
        amount: int,
        at: dt.datetime,
        reason: str,
        funder: Funder | str = Funder.HQ,
    ) -> Ledger:
        """Correct the points by a signed ``amount``, with the ``reason``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> Ledger.open("M1").adjust(id="J1", amount=-5, at=t, reason="fix").state(t).debt
            5
        """
        return self.apply(
            PointsAdjusted(
                id=id,
                member_id=self.member_id,
                amount=amount,
                at=at,
                reason=reason,
                funder=funder,
            )
        )

    # -- reading --------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The entries held, in order of instant (then rank at the instant, then id).

        Examples:
            >>> Ledger.open("M1").entries
            ()
        """
        return tuple(self._entries[item[3]] for item in sorted(self._log[: self._n]))

    def state(self, as_of: dt.datetime) -> LedgerState:
        """The member's points at ``as_of``: entries after it do not count.

        Args:
            as_of: an aware instant.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> ledger = Ledger.open("M1").earn(id="E1", amount=10, at=t, source_id="S",
            ...                                 dealer_id="D")
            >>> ledger.state(t).balance, ledger.state(t - dt.timedelta(seconds=1)).balance
            (10, 0)
        """
        if not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None:
            msg = f"as_of is {as_of!r:.80}, expected an aware datetime"
            raise InvalidValue(msg, code="as_of")
        until = micros(as_of)
        tip = self._tip
        if tip is not None and tip.n == self._n and tip.fold.last[0] <= until and _SHORTCUTS:
            # the newest ledger's fold holds every entry: advance it instead of refolding;
            # an entry applied later before ``until`` then refolds (see _incremental)
            fold = tip.fold
            if until >= fold.next_event:
                fold.advance(until)
            if until > fold.last[0]:
                fold.last = (until, -1, "")
            return fold.state(as_of)
        fold = _fold(
            self.member_id,
            self._log[: self._n],
            self._entries,
            until,
            allow_debt=self.allow_debt,
            zone=self.time_zone,
        )
        return fold.state(as_of)

    def expiry_run(self, as_of: dt.datetime) -> tuple[PointsExpired, ...]:
        """The expiry entries recording what lapsed up to ``as_of`` and is not recorded yet.

        One entry per lot with expired points, id ``"<lot id>-expired"``, at the lot's
        expiry instant. Applying them changes no balance: they are the audit trail.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> ledger = Ledger.open("M1").earn(id="E1", amount=10, at=t, source_id="S",
            ...                                 dealer_id="D", expires_on=date(2026, 3, 31))
            >>> [(x.id, x.amount, x.at.isoformat()) for x in ledger.expiry_run(t.replace(month=5))]
            [('E1-expired', 10, '2026-03-31T16:00:00+00:00')]
        """
        state = self.state(as_of)
        recorded = {record.earned_id for record in state.expiry_records}
        return tuple(
            PointsExpired(
                id=f"{lot.id}-expired",
                member_id=self.member_id,
                amount=lot.expired,
                at=lot.expires_at,
                earned_id=lot.id,
            )
            for lot in state.lots
            if lot.expired and lot.id not in recorded
        )

    def __len__(self) -> int:
        """The number of entries held.

        Examples:
            >>> len(Ledger.open("M1"))
            0
        """
        return self._n

    def __repr__(self) -> str:
        return f"Ledger({self.member_id!r}, {self._n} entries)"

    def with_time_zone(self, time_zone: str | dt.tzinfo) -> Self:
        """The same entries in another programme time zone.

        Examples:
            >>> Ledger.open("M1").with_time_zone("UTC").time_zone
            zoneinfo.ZoneInfo(key='UTC')
        """
        log, entries = self._log[: self._n], self._entries[: self._n]
        return attrs.evolve(
            self, time_zone=to_time_zone(time_zone), _log=log, _entries=entries, _tip=None
        )
