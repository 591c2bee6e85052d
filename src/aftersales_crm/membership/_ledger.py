"""One member's points ledger: lots, consumption, reversals, debt and expiry, replayed.

A :class:`Ledger` holds a member's points entries (the facts of
:mod:`aftersales_crm.records`: awards, redemptions, expiry records, reversals and
adjustments) and nothing else; :meth:`Ledger.state` folds them into a
:class:`LedgerState` at an explicit ``as_of``. The fold sorts the entries by instant, so
the arrival order never matters, and counts no entry after ``as_of``.

The rules it applies (where points go, when they lapse, how much a refund takes back) are
those of :mod:`aftersales_crm.membership._rules`, which the columnar batch
(:func:`aftersales_crm.membership.balances`) applies too.
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

_ENTRY_TYPES: Final = (PointsEarned, PointsRedeemed, PointsExpired, PointsReversed, PointsAdjusted)
_AUDIT: Final = DEBIT + 1  # expiry records come last at their instant and move nothing
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US_PER_DAY: Final = 86_400_000_000


def _instant(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _rank(entry: Entry) -> int:
    if isinstance(entry, PointsEarned):
        return REGISTER
    if isinstance(entry, PointsAdjusted):
        return REGISTER if entry.amount > 0 else DEBIT
    if isinstance(entry, PointsReversed):
        return REVERSE
    if isinstance(entry, PointsRedeemed):
        return DEBIT
    return _AUDIT


_Key = tuple[int, int, str]
_Item = tuple[int, int, str, Entry]  # (instant µs, rank at the instant, id, entry)


@attrs.frozen
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


@attrs.frozen
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


class _Lot:
    __slots__ = (
        "active",
        "active_at",
        "amounts",
        "at",
        "charged",
        "dealer_id",
        "expired",
        "expires",
        "funder",
        "gone",
        "grant",
        "id",
        "remaining",
        "reversed",
        "shares",
        "source_id",
        "spent",
        "target",
    )

    def __init__(
        self,
        lot_id: str,
        grant: int,
        at: int,
        active_at: int,
        expires: int,
        funder: Funder,
        dealer_id: str | None,
        source_id: str | None,
    ) -> None:
        self.id, self.grant, self.remaining = lot_id, grant, grant
        self.at, self.active_at, self.expires = at, active_at, expires
        self.funder, self.dealer_id, self.source_id = funder, dealer_id, source_id
        self.spent = self.expired = self.reversed = self.charged = self.target = 0
        self.amounts = 0
        self.shares: Fraction | int = 0
        self.active = self.gone = False


class _Fold:
    """The mutable fold behind a ledger: entries applied in (instant, rank, id) order."""

    def __init__(self, member_id: str, *, allow_debt: bool, zone: dt.tzinfo) -> None:
        self.member_id, self.allow_debt, self.zone = member_id, allow_debt, zone
        self.lots: dict[str, _Lot] = {}
        self.sources: dict[str, str] = {}
        self.alias: dict[str, str] = {}
        self.duplicates: list[str] = []
        self.ready: list[tuple[int, int, str]] = []  # (expires, at, id) of active lots
        self.waiting: list[tuple[int, str]] = []  # (active_at, id) of lots not active yet
        self.expiring: list[tuple[int, str]] = []  # (expires, id)
        self.available = self.pending = self.debt = 0
        self.earned = self.redeemed = self.expired = self.reversed = self.adjusted = 0
        self.redemptions: dict[str, tuple[int, dt.datetime, list[tuple[str, int]], int]] = {}
        self.reversals: dict[str, Reversal] = {}
        self.audit: list[PointsExpired] = []
        self.last: _Key = (-(2**63), -1, "")
        self.repaid_at = -(2**63)

    # -- time ---------------------------------------------------------------------------

    def advance(self, t: int) -> None:
        """Apply the expiries and activations up to and including the instant ``t``."""
        expiring, waiting = self.expiring, self.waiting
        while True:
            e = expiring[0][0] if expiring else NEVER
            a = waiting[0][0] if waiting else NEVER
            if e > t and a > t:
                return
            if e <= a:  # at one instant, lots lapse before others activate
                lot = self.lots[heapq.heappop(expiring)[1]]
                if lot.remaining:
                    if lot.active:
                        self.available -= lot.remaining
                    else:
                        self.pending -= lot.remaining
                    lot.expired += lot.remaining
                    self.expired += lot.remaining
                    lot.remaining = 0
                lot.gone = True
                continue
            while waiting and waiting[0][0] == a:
                lot = self.lots[heapq.heappop(waiting)[1]]
                if lot.gone:
                    continue
                lot.active = True
                self.pending -= lot.remaining
                self.available += lot.remaining
                if lot.remaining:
                    heapq.heappush(self.ready, (lot.expires, lot.at, lot.id))
            if self.debt and self.available:
                paid, _ = self.consume(min(self.debt, self.available))
                self.debt -= sum(points for _, points in paid)
                self.repaid_at = a

    def consume(self, need: int) -> tuple[list[tuple[str, int]], int]:
        """Take ``need`` points from the active lots in consumption order.

        Returns the ``(lot, points)`` taken and the shortfall.
        """
        out: list[tuple[str, int]] = []
        ready, lots = self.ready, self.lots
        while need and ready:
            lot = lots[ready[0][2]]
            if not lot.remaining:
                heapq.heappop(ready)
                continue
            take = min(need, lot.remaining)
            lot.remaining -= take
            lot.spent += take
            self.available -= take
            need -= take
            out.append((lot.id, take))
            if not lot.remaining:
                heapq.heappop(ready)
        return out, need

    # -- entries ------------------------------------------------------------------------

    def check(self, item: _Item) -> None:
        """Raise if ``item`` cannot be applied next; change nothing."""
        t, _, entry_id, entry = item
        if isinstance(entry, PointsEarned):
            if entry.source_id in self.sources:
                return
            expires = cached_expiry_instant(entry.expires_on, self.zone)
            if expires <= t:
                msg = (
                    f"award {entry_id!r}: expires_on {entry.expires_on} ends at "
                    f"{_instant(expires).isoformat()}, not after it was earned at "
                    f"{entry.at.isoformat()}"
                )
                raise InvalidValue(msg, code="expiry_before_award")
        elif isinstance(entry, PointsReversed):
            if self.alias.get(entry.earned_id, entry.earned_id) not in self.lots:
                msg = (
                    f"reversal {entry_id!r} reverses award {entry.earned_id!r}, which the "
                    f"ledger of {self.member_id!r} does not hold at {entry.at.isoformat()}"
                )
                raise InvalidValue(msg, code="unknown_award")
        elif isinstance(entry, PointsRedeemed) and not self.allow_debt:
            self.advance(t)
            if entry.amount > self.available:
                msg = (
                    f"redemption {entry_id!r} of {entry.amount} points at "
                    f"{entry.at.isoformat()} exceeds the balance of {self.available - self.debt} "
                    f"points of member {self.member_id!r}; the points policy allows no debt"
                )
                raise InvalidValue(msg, code="insufficient_points")

    def apply(self, item: _Item, *, more_awards: bool = False) -> None:
        """Apply ``item`` (checked) and the expiries and activations up to its instant.

        ``more_awards``: the next item registers an award at the same instant; the awards
        of one instant activate together, after all are registered.
        """
        t, rank, entry_id, entry = item
        if rank == REGISTER:
            self.register(t, entry)  # type: ignore[arg-type]
        if not more_awards:
            self.advance(t)
        if rank == REVERSE:
            self.reverse(t, entry)  # type: ignore[arg-type]
        elif rank == DEBIT:
            self.debit(t, entry)  # type: ignore[arg-type]
        elif rank == _AUDIT:
            self.audit.append(entry)  # type: ignore[arg-type]
        self.last = (t, rank, entry_id)

    def register(self, t: int, entry: PointsEarned | PointsAdjusted) -> None:
        if isinstance(entry, PointsAdjusted):
            lot = _Lot(entry.id, entry.amount, t, t, NEVER, entry.funder, None, None)
            self.adjusted += entry.amount
        else:
            kept = self.sources.get(entry.source_id)
            if kept is not None:
                self.alias[entry.id] = kept
                self.duplicates.append(entry.id)
                return
            self.sources[entry.source_id] = entry.id
            pending = t if entry.pending_until is None else micros(entry.pending_until)
            lot = _Lot(
                entry.id,
                entry.amount,
                t,
                max(t, pending),
                cached_expiry_instant(entry.expires_on, self.zone),
                entry.funder,
                entry.dealer_id,
                entry.source_id,
            )
            self.earned += entry.amount
        self.lots[lot.id] = lot
        self.pending += lot.grant
        heapq.heappush(self.waiting, (lot.active_at, lot.id))
        if lot.expires != NEVER:
            heapq.heappush(self.expiring, (lot.expires, lot.id))

    def reverse(self, t: int, entry: PointsReversed) -> None:
        lot = self.lots[self.alias.get(entry.earned_id, entry.earned_id)]
        if entry.share is not None:
            lot.shares += entry.share.fraction
        else:
            lot.amounts += entry.amount or 0
        target = reversal_target(lot.grant, Fraction(lot.shares), lot.amounts)
        due, lot.target = target - lot.target, target
        taken = min(due, lot.remaining)
        lot.remaining -= taken
        lot.reversed += taken
        if lot.active:
            self.available -= taken
        else:
            self.pending -= taken
        charged = min(due - taken, lot.spent - lot.charged)
        lot.charged += charged
        paid, short = self.consume(charged)
        self.debt += short
        self.reversed += taken + charged
        self.reversals[entry.id] = Reversal(
            entry.id, lot.id, taken, charged, due - taken - charged, tuple(paid), short
        )

    def debit(self, t: int, entry: PointsRedeemed | PointsAdjusted) -> None:
        amount = abs(entry.amount)
        paid, short = self.consume(amount)
        self.debt += short
        if isinstance(entry, PointsRedeemed):
            self.redeemed += amount
        else:
            self.adjusted -= amount
        self.redemptions[entry.id] = (amount, entry.at, paid, short)

    def state(self, as_of: dt.datetime) -> LedgerState:
        lots = sorted(self.lots.values(), key=lambda lot: (lot.expires, lot.at, lot.id))
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
            lots=tuple(
                Lot(
                    id=lot.id,
                    grant=lot.grant,
                    remaining=lot.remaining,
                    spent=lot.spent,
                    expired=lot.expired,
                    reversed=lot.reversed,
                    at=_instant(lot.at),
                    active_from=_instant(lot.active_at),
                    expires_at=None if lot.expires == NEVER else _instant(lot.expires),
                    funder=lot.funder,
                    dealer_id=lot.dealer_id,
                    source_id=lot.source_id,
                )
                for lot in lots
            ),
            redemptions=MappingProxyType(
                {
                    key: Redemption(key, amount, at, tuple(paid), short)
                    for key, (amount, at, paid, short) in self.redemptions.items()
                }
            ),
            reversals=MappingProxyType(dict(self.reversals)),
            duplicates=tuple(self.duplicates),
            expiry_records=tuple(self.audit),
        )


def _fold(
    member_id: str,
    items: Iterable[_Item],
    until: int | None = None,
    *,
    allow_debt: bool,
    zone: dt.tzinfo,
) -> _Fold:
    """Fold the items (those at or before ``until``, then advanced to it) in order."""
    fold = _Fold(member_id, allow_debt=allow_debt, zone=zone)
    chosen = items if until is None else (i for i in items if i[0] <= until)
    ordered = sorted(chosen)
    for i, item in enumerate(ordered):
        fold.check(item)
        after = ordered[i + 1] if i + 1 < len(ordered) else None
        fold.apply(
            item,
            more_awards=after is not None
            and after[1] == REGISTER == item[1]
            and after[0] == item[0],
        )
    if until is not None:
        fold.advance(until)
    return fold


class _Tip:
    """The fold of the newest ledger of a log, advanced entry by entry (shared, mutable)."""

    __slots__ = ("fold", "n")

    def __init__(self, fold: _Fold, n: int) -> None:
        self.fold, self.n = fold, n


def _incremental(fold: _Fold, key: _Key) -> bool:
    """Whether an entry with ``key`` can be applied on top of ``fold`` as it stands.

    Awards registered at one instant activate together; applying one more at an instant
    where debt was repaid would split that group, so such an entry is folded afresh.
    """
    t, rank, _ = key
    if key <= fold.last:
        return False
    if t > fold.last[0]:
        return True
    return rank != REGISTER or (fold.repaid_at != t and not fold.debt)


@attrs.frozen(eq=False)
class Ledger:
    """One member's points ledger: immutable, built from entries, state derived at ``as_of``.

    Build it entry by entry with the fluent verbs (each returns a new ledger and leaves
    this one as it was) or all at once with :meth:`replay`; either way the entries are
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
    _n: int = attrs.field(default=0, repr=False, alias="_n")
    _ids: dict[str, tuple[Entry, int]] = attrs.field(factory=dict, repr=False, alias="_ids")
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
            allow_debt: see :class:`Ledger`.
            time_zone: see :class:`Ledger`.

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
        for each in given:
            seen: object = each  # callers may pass anything; the annotation is the contract
            if not isinstance(seen, _ENTRY_TYPES):
                msg = f"entry is {seen!r:.80}, expected a points entry (PointsEarned, …)"
                raise InvalidType(msg)
        if member_id is None:
            member_id = given[0].member_id if given else ""
        ledger = cls.open(member_id, allow_debt=allow_debt, time_zone=time_zone)
        ids: dict[str, tuple[Entry, int]] = {}
        log: list[_Item] = []
        for entry in given:
            if ledger._known(entry, ids):
                continue
            ids[entry.id] = (entry, len(log))
            log.append((micros(entry.at), _rank(entry), entry.id, entry))
        fold = _fold(member_id, log, allow_debt=allow_debt, zone=ledger.time_zone)
        return ledger._next(log, len(log), ids, _Tip(fold, len(log)))

    def _known(self, entry: Entry, ids: Mapping[str, tuple[Entry, int]]) -> bool:
        """Whether ``entry`` is held already (same id, same entry); raise on a clash."""
        if entry.member_id != self.member_id:
            msg = (
                f"entry {entry.id!r} is of member {entry.member_id!r}, not of this "
                f"ledger's member {self.member_id!r}"
            )
            raise InvalidValue(msg, code="other_member")
        found = ids.get(entry.id)
        if found is None or (found[1] >= self._n and ids is self._ids):
            return False
        held = found[0]
        if held == entry:
            return True
        msg = f"entry id {entry.id!r} is held already for a different entry: {held!r:.200}"
        raise InvalidValue(msg, code="entry_id_clash")

    # -- the verbs ------------------------------------------------------------------------

    def apply(self, entry: Entry) -> Ledger:
        """A new ledger holding ``entry`` too (the same entry again changes nothing).

        Raises:
            InvalidValue: as :meth:`replay` does.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import PointsAdjusted
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> j = PointsAdjusted(id="J1", member_id="M1", amount=25, at=t, reason="goodwill")
            >>> Ledger.open("M1").apply(j).apply(j).state(t).balance
            25
        """
        seen: object = entry  # callers may pass anything; the annotation is the contract
        if not isinstance(seen, _ENTRY_TYPES):
            msg = f"entry is {seen!r:.80}, expected a points entry (PointsEarned, …)"
            raise InvalidType(msg)
        tip, n = self._tip, self._n
        mine = tip is not None and tip.n == n and len(self._log) == n
        if self._known(entry, self._ids):
            return self
        item: _Item = (micros(entry.at), _rank(entry), entry.id, entry)
        if mine and tip is not None and _incremental(tip.fold, item[:3]):
            try:
                tip.fold.check(item)
                tip.fold.apply(item)
            except BaseException:
                tip.n = -1  # perhaps advanced in time: the next verb folds afresh
                raise
            self._ids[entry.id] = (entry, n)  # the log's owner: others see only positions < n
            self._log.append(item)
            tip.n += 1
            return self._next(self._log, n + 1, self._ids, tip)
        log = [*self._log[:n], item]
        fold = _fold(self.member_id, log, allow_debt=self.allow_debt, zone=self.time_zone)
        ids = {key: found for key, found in self._ids.items() if found[1] < n}
        ids[entry.id] = (entry, n)
        return self._next(log, n + 1, ids, _Tip(fold, n + 1))

    def _next(
        self, log: list[_Item], n: int, ids: dict[str, tuple[Entry, int]], tip: _Tip | None
    ) -> Ledger:
        """A ledger like this one over ``log[:n]``.

        Made without ``__init__``: the fields are checked already, and the verbs are the
        hot path.
        """
        made = object.__new__(Ledger)
        for name, value in (
            ("member_id", self.member_id),
            ("allow_debt", self.allow_debt),
            ("time_zone", self.time_zone),
            ("_log", log),
            ("_n", n),
            ("_ids", ids),
            ("_tip", tip),
        ):
            object.__setattr__(made, name, value)
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
        """Award points (a :class:`~aftersales_crm.records.PointsEarned` entry).

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
        """Spend points (a :class:`~aftersales_crm.records.PointsRedeemed` entry).

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
        return tuple(item[3] for item in sorted(self._log[: self._n]))

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
        fold = _fold(
            self.member_id,
            self._log[: self._n],
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
        log = self._log[: self._n]
        return attrs.evolve(self, time_zone=to_time_zone(time_zone), _log=log, _tip=None)
