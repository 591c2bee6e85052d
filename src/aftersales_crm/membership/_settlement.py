"""HQ–dealer settlement of club points (积分结算) for a period, from the points' flows.

The club is HQ's and the dealers front it: HQ funds points (积分买单), dealers and partners
fund some too, and a member may spend at one dealer the points earned at another. The
settlement of a period says, in whole points and exact money:

* the points issued, by funder and by the chapter the member belonged to when they were
  earned (a member who moves chapter takes their points along, but the points earned
  before the move count for the old chapter);
* the points redeemed, by the chapter the member belonged to when they spent them, and of
  those the points earned in another chapter (cross-chapter redemptions);
* the points redeemed at each dealer, and those earned at another dealer, cleared between
  the dealers: chapters belong to dealers (a dealer may front several), and money moves
  between dealers;
* what HQ reimburses each dealer for HQ-funded points redeemed there, at a cost per
  point, allocated so that the dealers' amounts add up to the rounded total to the fen;
* the points still outstanding at the end of the period (the liability), by funder;
* breakage: the points that expired in the period, by funder.

Every point issued in the period is accounted for exactly once: redeemed, expired,
reversed, adjusted away, or outstanding at the end of the period
([`Settlement.accounts_for`][aftersales_crm.membership.Settlement.accounts_for]).

The settlement reads [`PointFlows`][aftersales_crm.membership.PointFlows]: the lots (earned entries) and each use of a
lot's points (a redemption, an expiry, a reversal or an adjustment, with how many of the
lot's points it took), built from the members' ledgers by
[`PointFlows.from_ledgers`][aftersales_crm.membership.PointFlows.from_ledgers]. Which lots paid a redemption is the ledger's rule; the
settlement never re-decides it.

The training material names the settlement (《斯柯达车友汇客户关爱总监培训教材》: "与总部进行
积分结算") but not its terms; the cost per point, and who owes whom for a cross-chapter
redemption, are the programme's (parameters here). The clearing rule is the library's:
the dealer that funded points owes their value to the dealer that honoured them, and HQ
owes the dealer for HQ-funded points, as a loyalty programme's funder owes the partner
that redeems its currency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import as_of_instant
from aftersales_crm._display import Displayed, MoneyUnit, major_units
from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership._batch import sum_by
from aftersales_crm.membership._ledger import Ledger
from aftersales_crm.membership._members import MemberLog
from aftersales_crm.records import Funder, PointsRedeemed
from aftersales_crm.values import Material, Money, Quote

__all__ = ["USE_KINDS", "PointFlows", "Settlement"]

USE_KINDS: Final = ("redeemed", "expired", "reversed", "adjusted")
"""What may take a lot's points: a redemption at a dealer, an expiry (breakage), a
reversal, or an adjustment (a debit adjustment, or the repayment of tracked debt)."""

_CODE: Final = "settlement_flows"


def _texts(values: Any, name: str) -> NDArray[np.object_]:
    array = np.asarray(values, dtype=object)
    if array.ndim != 1 or not all(isinstance(v, str) for v in array.tolist()):
        msg = f"{name} must be one text per row"
        raise InvalidValue(msg, code=_CODE)
    out: NDArray[np.object_] = array.copy()
    out.flags.writeable = False
    return out


def _ints(values: Any, name: str) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1 or (len(array) and array.dtype.kind not in "iu"):
        msg = f"{name} must be whole numbers, one per row (got {array.dtype})"
        raise InvalidValue(msg, code=_CODE)
    out = array.astype(np.int64, copy=True)
    out.flags.writeable = False
    return out


def _instants(values: Any, name: str) -> NDArray[np.datetime64]:
    array = np.asarray(values)
    if array.ndim != 1 or (len(array) and array.dtype.kind != "M"):
        msg = f"{name} must be UTC instants as datetime64, one per row (got {array.dtype})"
        raise InvalidValue(msg, code=_CODE)
    out = array.astype("datetime64[us]", copy=True)
    if np.isnat(out).any():
        msg = f"{name} holds NaT at row {int(np.flatnonzero(np.isnat(out))[0])}"
        raise InvalidValue(msg, code=_CODE)
    out.flags.writeable = False
    return out


def _objects(values: ArrayLike) -> NDArray[Any]:
    """A copy of ``values`` as an object array; checked, with its name, after ``__init__``."""
    try:
        return np.array(values, dtype=object)
    except (TypeError, ValueError):
        return np.array(None, dtype=object)  # refused by the check: not one value per row


_DEALERS: Final = np.array(None, dtype=object)
"""Marks chapters left out of [`PointFlows`][aftersales_crm.membership.PointFlows]: each dealer stands for its chapter."""


def _chapters(values: ArrayLike | None) -> NDArray[Any]:
    """Chapters as ``_objects``, or ``_DEALERS`` when they are left out."""
    return _DEALERS if values is None else _objects(values)


def _array(values: ArrayLike) -> NDArray[Any]:
    """A copy of ``values`` as an array; checked, with its name, after ``__init__``."""
    try:
        return np.array(values)
    except (TypeError, ValueError):
        return np.array(None, dtype=object)  # refused by the check: not one value per row


@attrs.frozen(eq=False)
class PointFlows:
    """The lots of points and every use of them: what a settlement reads.

    A lot is an earned entry: its id, the dealer where it was earned, its funder
    (``"hq"``, ``"dealer"`` or ``"partner"``), its points, its instant and the chapter the
    member belonged to then. A use takes ``points`` of one lot (``lot``, a row of the lots)
    at an instant: a redemption at a dealer, by a member of a chapter, an expiry, a reversal
    or an adjustment (``dealer`` and ``chapter`` are ``""`` for the last three).

    The chapters may be left out (``lot_chapter``, ``use_chapter``): each dealer then
    stands for its one chapter, the lot's chapter is its dealer and a redemption's chapter
    the dealer where it was spent.

    Checked on construction: equal lengths, positive points, uses pointing at lots, and no
    lot used beyond its points.

    Examples:
        >>> import numpy as np
        >>> flows = PointFlows(
        ...     lot_id=["E1", "E2"], lot_dealer=["D1", "D2"], lot_funder=["hq", "dealer"],
        ...     lot_points=[100, 50],
        ...     lot_at=np.array(["2026-01-05T02:00", "2026-01-06T02:00"], "datetime64[us]"),
        ...     use_lot=[0, 1], use_points=[30, 50], use_kind=["redeemed", "redeemed"],
        ...     use_dealer=["D2", "D1"],
        ...     use_at=np.array(["2026-01-20T02:00", "2026-01-21T02:00"], "datetime64[us]"),
        ... )
        >>> len(flows.lot_id), int(flows.use_points.sum())
        (2, 80)
    """

    lot_id: NDArray[np.object_] = attrs.field(converter=_objects)
    lot_dealer: NDArray[np.object_] = attrs.field(converter=_objects)
    lot_funder: NDArray[np.object_] = attrs.field(converter=_objects)
    lot_points: NDArray[np.int64] = attrs.field(converter=_array)
    lot_at: NDArray[np.datetime64] = attrs.field(converter=_array)
    use_lot: NDArray[np.int64] = attrs.field(converter=_array)
    use_points: NDArray[np.int64] = attrs.field(converter=_array)
    use_kind: NDArray[np.object_] = attrs.field(converter=_objects)
    use_dealer: NDArray[np.object_] = attrs.field(converter=_objects)
    use_at: NDArray[np.datetime64] = attrs.field(converter=_array)
    lot_chapter: NDArray[np.object_] = attrs.field(default=None, converter=_chapters)
    use_chapter: NDArray[np.object_] = attrs.field(default=None, converter=_chapters)

    def __attrs_post_init__(self) -> None:
        if self.lot_chapter is _DEALERS:  # one chapter per dealer: the dealer stands for it
            object.__setattr__(self, "lot_chapter", _objects(self.lot_dealer))
        if self.use_chapter is _DEALERS:
            object.__setattr__(self, "use_chapter", _objects(self.use_dealer))
        for field in attrs.fields(type(self)):
            read = _READERS[field.type]
            object.__setattr__(self, field.name, read(getattr(self, field.name), field.name))
        lots = {len(self.lot_id), len(self.lot_dealer), len(self.lot_funder)}
        lots |= {len(self.lot_points), len(self.lot_at), len(self.lot_chapter)}
        uses = {len(self.use_lot), len(self.use_points), len(self.use_kind)}
        uses |= {len(self.use_dealer), len(self.use_at), len(self.use_chapter)}
        if len(lots) > 1 or len(uses) > 1:
            msg = f"the lot columns ({sorted(lots)} rows) or use columns ({sorted(uses)}) differ"
            raise InvalidValue(msg, code=_CODE)
        n = len(self.lot_id)
        _first_bad(self.lot_points <= 0, "lot_points", self.lot_points, "is not above 0")
        _first_bad(self.use_points <= 0, "use_points", self.use_points, "is not above 0")
        _first_bad(
            (self.use_lot < 0) | (self.use_lot >= n),
            "use_lot",
            self.use_lot,
            f"is not a row of the {n} lots",
        )
        funders = np.isin(self.lot_funder, [funder.value for funder in Funder])
        _first_bad(~funders, "lot_funder", self.lot_funder, "is not hq, dealer or partner")
        kinds = np.isin(self.use_kind, USE_KINDS)
        _first_bad(~kinds, "use_kind", self.use_kind, f"is not one of {USE_KINDS}")
        redeemed = self.use_kind == "redeemed"
        _first_bad(
            redeemed & (self.use_dealer == ""),
            "use_dealer",
            self.use_dealer,
            "is no dealer for a redemption",
        )
        _first_bad(
            redeemed & (self.use_chapter == ""),
            "use_chapter",
            self.use_chapter,
            "is no chapter for a redemption",
        )
        used = sum_by(self.use_lot, self.use_points, n)
        _first_bad(
            used > self.lot_points,
            "lot_points",
            self.lot_points,
            "is less than the points its uses took",
        )

    @classmethod
    def from_ledgers(
        cls, ledgers: Iterable[Ledger], *, as_of: datetime, members: MemberLog | None = None
    ) -> PointFlows:
        """The flows of members' ledgers at ``as_of``: their lots and every use of them.

        Each lot is an award or a credit adjustment (a credit has no dealer: ``""``).
        The uses are what each ledger's state says went out of each lot: the lots that
        paid each redemption (at its dealer) and each debit adjustment; the points each
        reversal took back, from the award's own lot or charged to others; the points
        that expired (at the lot's expiry instant); and whatever else a lot spent, which
        is the repayment of tracked debt, dated when the lot became spendable.

        With ``members``, each lot is booked to the chapter its member belonged to when it
        was earned, and each redemption to the member's chapter when it was made (``""``
        before the member applied, or for a member the log does not hold); without, each
        dealer stands for its one chapter.

        Args:
            ledgers: one [`Ledger`][aftersales_crm.membership.Ledger] per member.
            as_of: the instant of the states, timezone-aware.
            members: the members' facts ([`MemberLog`][aftersales_crm.membership.MemberLog]),
                for their chapters over time.

        Returns:
            The flows, lots in the order of the ledgers and their consumption order.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.membership import Ledger
            >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> ledger = (Ledger.open("M1")
            ...           .earn(id="E1", amount=100, at=t, source_id="RO1", dealer_id="D1")
            ...           .redeem(id="R1", amount=30, at=t, dealer_id="D2"))
            >>> flows = PointFlows.from_ledgers([ledger], as_of=t)
            >>> flows.lot_id.tolist(), flows.use_points.tolist(), flows.use_dealer.tolist()
            (['E1'], [30], ['D2'])
        """
        moment = as_of_instant(as_of)
        lots: list[tuple[str, str, str, int, datetime]] = []
        uses: list[tuple[int, int, str, str, datetime]] = []
        lot_chapter: list[str] = []
        use_chapter: list[str] = []
        for ledger in ledgers:
            first_lot, first_use = len(lots), len(uses)
            _flows_of(ledger, moment, lots, uses)
            if members is not None:
                chapter = _chapters_of(members, ledger.member_id)
                lot_chapter += [chapter(lot[4]) for lot in lots[first_lot:]]
                use_chapter += [
                    chapter(use[4]) if use[2] == "redeemed" else "" for use in uses[first_use:]
                ]
        return cls(
            lot_id=[lot[0] for lot in lots],
            lot_dealer=[lot[1] for lot in lots],
            lot_funder=[lot[2] for lot in lots],
            lot_points=np.array([lot[3] for lot in lots], dtype=np.int64),
            lot_at=_utc_array([lot[4] for lot in lots]),
            use_lot=np.array([use[0] for use in uses], dtype=np.int64),
            use_points=np.array([use[1] for use in uses], dtype=np.int64),
            use_kind=[use[2] for use in uses],
            use_dealer=[use[3] for use in uses],
            use_at=_utc_array([use[4] for use in uses]),
            lot_chapter=None if members is None else lot_chapter,
            use_chapter=None if members is None else use_chapter,
        )


def _chapters_of(members: MemberLog, member_id: str) -> Callable[[datetime], str]:
    """The chapter ``member_id`` belonged to at an instant (``""`` before they applied)."""
    row = int(np.searchsorted(members.member_ids, member_id))
    if members.member_ids[row : row + 1].tolist() != [member_id]:  # ids sorted or table order
        found = np.flatnonzero(members.member_ids == member_id)
        if not len(found):
            return lambda at: ""
        row = int(found[0])
    start, stop = np.searchsorted(members.member, [row, row + 1])
    times = members.at[start:stop]
    chapters = [str(members.chapter_ids[c]) for c in members.chapter[start:stop].tolist()]

    def chapter(at: datetime) -> str:
        moment = np.datetime64(at.astimezone(UTC).replace(tzinfo=None), "us")
        i = int(np.searchsorted(times, moment, side="right")) - 1
        return chapters[i] if i >= 0 else ""

    return chapter


_READERS: Final[Mapping[Any, Callable[[Any, str], NDArray[Any]]]] = {
    "NDArray[np.object_]": _texts,
    "NDArray[np.int64]": _ints,
    "NDArray[np.datetime64]": _instants,
}
"""How each column of [`PointFlows`][aftersales_crm.membership.PointFlows] is read, by its annotation."""


def _utc_array(instants: list[datetime]) -> NDArray[np.datetime64]:
    """Aware instants as naive UTC ``datetime64[us]``."""
    naive = [moment.astimezone(UTC).replace(tzinfo=None) for moment in instants]
    return np.array(naive, dtype="datetime64[us]")


def _flows_of(
    ledger: Ledger,
    as_of: datetime,
    lots: list[tuple[str, str, str, int, datetime]],
    uses: list[tuple[int, int, str, str, datetime]],
) -> None:
    """Append the lots of one member's ledger and the uses of their points."""
    state = ledger.state(as_of)
    entries = {entry.id: entry for entry in ledger.entries}
    row = {lot.id: len(lots) + i for i, lot in enumerate(state.lots)}
    took = dict.fromkeys(row, 0)

    def use(lot_id: str, points: int, kind: str, dealer: str, at: datetime) -> None:
        if points:
            uses.append((row[lot_id], points, kind, dealer, at))
            if kind != "expired":
                took[lot_id] += points

    for redemption in state.redemptions.values():
        entry = entries[redemption.id]
        redeemed = isinstance(entry, PointsRedeemed)
        for lot_id, points in redemption.paid_by:
            if redeemed:
                use(lot_id, points, "redeemed", entry.dealer_id, redemption.at)  # type: ignore[union-attr]  # a redemption has a dealer
            else:
                use(lot_id, points, "adjusted", "", redemption.at)
    for reversal in state.reversals.values():
        at = entries[reversal.id].at
        use(reversal.earned_id, reversal.taken, "reversed", "", at)
        for lot_id, points in reversal.paid_by:
            use(lot_id, points, "reversed", "", at)
    for lot in state.lots:
        lots.append((lot.id, lot.dealer_id or "", lot.funder.value, lot.grant, lot.at))
        if lot.expired:
            use(lot.id, lot.expired, "expired", "", lot.expires_at or as_of)
        repaid = lot.grant - lot.remaining - lot.expired - took[lot.id]
        use(lot.id, repaid, "adjusted", "", lot.active_from)


def _first_bad(bad: NDArray[np.bool_], name: str, values: NDArray[Any], rule: str) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        msg = f"{name} at row {row} is {values.tolist()[row]!r}, which {rule}"
        raise InvalidValue(msg, code=_CODE)


def _counts(keys: NDArray[np.object_], points: NDArray[np.int64]) -> dict[str, int]:
    """Points summed by key, keys in sorted order."""
    if not len(keys):
        return {}
    names, inverse = np.unique(keys.astype(str), return_inverse=True)
    sums = sum_by(inverse, points, len(names))
    return {str(k): int(v) for k, v in zip(names.tolist(), sums.tolist(), strict=True)}


@attrs.frozen(repr=False)
class Settlement(Displayed):
    """The settlement of the club's points between HQ and the dealers for one period.

    Build it with [`of`][aftersales_crm.membership.Settlement.of]. Amounts of money are exact [`Money`][aftersales_crm.values.Money];
    points are ints. The period runs from ``start`` (included) to ``end`` (excluded).

    Attributes:
        start: the period's first instant.
        end: the instant after the period.
        cost_per_point: what HQ pays a dealer per HQ-funded point redeemed there (and what
            a dealer owes another per point of its own honoured there).
        issued: points issued in the period by ``(funder, chapter)``: the chapter the
            member belonged to when they earned them.
        redeemed: points redeemed in the period by the chapter the member belonged to when
            they spent them.
        cross: cross-chapter redemptions: points redeemed in the period by a member of one
            chapter out of lots earned in another, by ``(earned in, redeemed in)``.
        redeemed_at: points redeemed in the period by the dealer where they were spent.
        honoured: points redeemed in the period at one dealer out of lots earned at
            another, by ``(earned at, redeemed at)``: what the clearing settles.
        reimbursement: HQ's payment to each dealer for the HQ-funded points redeemed there.
        clearing: what each dealer owes each other, by ``(payer, payee)``: the value of the
            dealer-funded points the payer issued and the payee honoured.
        liability: points outstanding at ``end`` by funder (every lot issued before ``end``).
        breakage: points that expired in the period by funder.
        accounted: for the points issued in the period, how many were redeemed, expired,
            reversed and adjusted away, and are outstanding at ``end``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> import numpy as np
        >>> flows = PointFlows(
        ...     lot_id=["E1", "E2"], lot_dealer=["D1", "D2"], lot_funder=["hq", "dealer"],
        ...     lot_points=[100, 50],
        ...     lot_at=np.array(["2026-01-05T02:00", "2026-01-06T02:00"], "datetime64[us]"),
        ...     use_lot=[0, 1], use_points=[30, 50], use_kind=["redeemed", "redeemed"],
        ...     use_dealer=["D2", "D1"],
        ...     use_at=np.array(["2026-01-20T02:00", "2026-01-21T02:00"], "datetime64[us]"),
        ... )
        >>> january = Settlement.of(
        ...     flows,
        ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 2, 1, tzinfo=timezone.utc),
        ...     cost_per_point=Money.parse("¥0.01"),
        ... )
        >>> january.issued  # no chapters given: each dealer stands for its chapter
        {('dealer', 'D2'): 50, ('hq', 'D1'): 100}
        >>> january.reimbursement, january.clearing
        ({'D2': Money('0.30', 'CNY')}, {('D2', 'D1'): Money('0.50', 'CNY')})
        >>> january.liability, january.accounts_for()
        ({'hq': 70}, True)
    """

    RULE_SOURCE: ClassVar[Quote] = Quote(
        Material.OWNERS_CLUB,
        "总部为车友汇幕后工作者;…给予物料、积分买单、合作伙伴资源支持;…与总部进行积分结算",
        "HQ works behind the club; … it gives materials, pays for points and brings partners;"
        " … points are settled with HQ",
    )
    """Where the settlement comes from: 《斯柯达车友汇客户关爱总监培训教材》 (the ellipses
    mark the slide text left out)."""

    start: datetime
    end: datetime
    cost_per_point: Money
    issued: Mapping[tuple[str, str], int]
    redeemed: Mapping[str, int]
    cross: Mapping[tuple[str, str], int]
    redeemed_at: Mapping[str, int]
    honoured: Mapping[tuple[str, str], int]
    reimbursement: Mapping[str, Money]
    clearing: Mapping[tuple[str, str], Money]
    liability: Mapping[str, int]
    breakage: Mapping[str, int]
    accounted: Mapping[str, int]

    @classmethod
    def of(
        cls, flows: PointFlows, *, start: datetime, end: datetime, cost_per_point: Money
    ) -> Settlement:
        """Settle the period from ``start`` (included) to ``end`` (excluded).

        Args:
            flows: the lots and their uses (every use up to ``end`` at least).
            start: the period's first instant, timezone-aware.
            end: the instant after the period, timezone-aware, after ``start``.
            cost_per_point: the value of one point, exact; it may be below one fen.

        Returns:
            The settlement.

        Raises:
            InvalidValue: ``flows`` is not [`PointFlows`][aftersales_crm.membership.PointFlows], the period is empty or an
                instant is not timezone-aware, or ``cost_per_point`` is not Money or is
                negative.

        Examples:
            See [`Settlement`][aftersales_crm.membership.Settlement].
        """
        if not isinstance(flows, PointFlows):
            msg = f"flows is a {type(flows).__name__}, expected PointFlows"  # type: ignore[unreachable]  # junk at run time
            raise InvalidValue(msg, code=_CODE)
        first, after = _moment(start, "start"), _moment(end, "end")
        if not first < after:
            msg = f"the period from {start.isoformat()} to {end.isoformat()} is empty"
            raise InvalidValue(msg, code=_CODE)
        if not isinstance(cost_per_point, Money) or cost_per_point.amount < 0:
            msg = f"cost_per_point is {cost_per_point!r}, expected Money of at least 0"
            raise InvalidValue(msg, code=_CODE)
        f = flows
        issued_now = (f.lot_at >= first) & (f.lot_at < after)
        issued = _pairs(
            f.lot_funder[issued_now], f.lot_chapter[issued_now], f.lot_points[issued_now]
        )
        in_period = (f.use_at >= first) & (f.use_at < after)
        lot_dealer, lot_funder = f.lot_dealer[f.use_lot], f.lot_funder[f.use_lot]
        lot_chapter = f.lot_chapter[f.use_lot]
        spent = in_period & (f.use_kind == "redeemed")
        redeemed = _counts(f.use_chapter[spent], f.use_points[spent])
        moved = spent & (lot_chapter != f.use_chapter)
        cross = _pairs(lot_chapter[moved], f.use_chapter[moved], f.use_points[moved])
        redeemed_at = _counts(f.use_dealer[spent], f.use_points[spent])
        crossing = spent & (lot_dealer != f.use_dealer)
        honoured = _pairs(lot_dealer[crossing], f.use_dealer[crossing], f.use_points[crossing])
        by_hq = spent & (lot_funder == "hq")
        reimbursement = _valued(_counts(f.use_dealer[by_hq], f.use_points[by_hq]), cost_per_point)
        owed = crossing & (lot_funder == "dealer")
        clearing = _valued(
            _pairs(lot_dealer[owed], f.use_dealer[owed], f.use_points[owed]), cost_per_point
        )
        before_end = f.use_at < after
        used = sum_by(f.use_lot[before_end], f.use_points[before_end], len(f.lot_id))
        existing = f.lot_at < after
        liability = _counts(f.lot_funder[existing], (f.lot_points - used)[existing])
        liability = {k: v for k, v in liability.items() if v}
        expired = in_period & (f.use_kind == "expired")
        breakage = _counts(lot_funder[expired], f.use_points[expired])
        of_issued = issued_now[f.use_lot] & before_end
        accounted = {
            kind: int(f.use_points[of_issued & (f.use_kind == kind)].sum()) for kind in USE_KINDS
        }
        accounted["outstanding"] = int((f.lot_points - used)[issued_now].sum())
        accounted["issued"] = int(f.lot_points[issued_now].sum())
        return cls(
            start=start,
            end=end,
            cost_per_point=cost_per_point,
            issued=issued,
            redeemed=redeemed,
            cross=cross,
            redeemed_at=redeemed_at,
            honoured=honoured,
            reimbursement=reimbursement,
            clearing=clearing,
            liability=liability,
            breakage=breakage,
            accounted=accounted,
        )

    def accounts_for(self) -> bool:
        """Whether every point issued in the period is used ([`USE_KINDS`][aftersales_crm.membership.USE_KINDS]) or outstanding.

        Examples:
            See [`Settlement`][aftersales_crm.membership.Settlement].
        """
        a = self.accounted
        used = sum(a[kind] for kind in USE_KINDS) + a["outstanding"]
        return used == a["issued"]

    def to_pandas(self, *, money: MoneyUnit = "minor") -> Any:
        """The statement per dealer, as a pandas DataFrame indexed by dealer.

        Columns: points ``redeemed`` there, ``redeemed_from_others`` (earned at another
        dealer), ``honoured_elsewhere`` (earned here, redeemed at another dealer), and
        money in minor units (``reimbursed_by_hq``, ``owed_to_others``,
        ``owed_by_others``, ``net``: what the dealer receives, net); with
        ``money="major"`` these four hold exact Decimal amounts in the currency's major
        unit (yuan) instead.

        Raises:
            MissingDependencyError: pandas is not installed (``pip install
                aftersales-crm[pandas]``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> import numpy as np
            >>> flows = PointFlows(
            ...     lot_id=["E1"], lot_dealer=["D1"], lot_funder=["hq"], lot_points=[100],
            ...     lot_at=np.array(["2026-01-05T02:00"], "datetime64[us]"),
            ...     use_lot=[0], use_points=[30], use_kind=["redeemed"], use_dealer=["D2"],
            ...     use_at=np.array(["2026-01-20T02:00"], "datetime64[us]"),
            ... )
            >>> statement = Settlement.of(
            ...     flows, start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 2, 1, tzinfo=timezone.utc),
            ...     cost_per_point=Money.parse("¥0.01"),
            ... ).to_pandas()
            >>> statement.loc["D2", ["redeemed", "reimbursed_by_hq", "net"]].tolist()
            [30, 30, 30]
            >>> Settlement.of(
            ...     flows, start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 2, 1, tzinfo=timezone.utc),
            ...     cost_per_point=Money.parse("¥0.01"),
            ... ).to_pandas(money="major").loc["D2", "net"]
            Decimal('0.30')
        """
        from aftersales_crm._optional import require

        pd = require("pandas", extra="pandas")
        dealers = sorted(
            set(self.redeemed_at)
            | {d for pair in self.honoured for d in pair}
            | set(self.reimbursement)
        )
        rows = []
        for dealer in dealers:
            paid = sum(m.to_minor() for (payer, _), m in self.clearing.items() if payer == dealer)
            got = sum(m.to_minor() for (_, payee), m in self.clearing.items() if payee == dealer)
            hq = self.reimbursement.get(dealer)
            hq_minor = hq.to_minor() if hq is not None else 0
            rows.append(
                {
                    "dealer": dealer,
                    "redeemed": self.redeemed_at.get(dealer, 0),
                    "redeemed_from_others": sum(
                        v for (_, at), v in self.honoured.items() if at == dealer
                    ),
                    "honoured_elsewhere": sum(
                        v for (earned, _), v in self.honoured.items() if earned == dealer
                    ),
                    "reimbursed_by_hq": hq_minor,
                    "owed_to_others": paid,
                    "owed_by_others": got,
                    "net": hq_minor + got - paid,
                }
            )
        return major_units(
            pd.DataFrame(rows).set_index("dealer"),
            money,
            currency=self.cost_per_point.currency,
            columns=("reimbursed_by_hq", "owed_to_others", "owed_by_others", "net"),
        )


def _moment(value: datetime, name: str) -> np.datetime64:
    """An aware instant as a naive UTC ``datetime64[us]``, like the flows' instants."""
    moment = as_of_instant(value, parameter=name)
    return np.datetime64(moment.astimezone(UTC).replace(tzinfo=None), "us")


def _pairs(
    first: NDArray[np.object_], second: NDArray[np.object_], points: NDArray[np.int64]
) -> dict[tuple[str, str], int]:
    """Points summed by ``(first, second)``, in sorted order."""
    if not len(points):
        return {}
    names_1, codes_1 = np.unique(first.astype(str), return_inverse=True)
    names_2, codes_2 = np.unique(second.astype(str), return_inverse=True)
    pair = codes_1.astype(np.int64) * len(names_2) + codes_2
    keys, inverse = np.unique(pair, return_inverse=True)
    sums = sum_by(inverse, points, len(keys))
    return {
        (str(names_1[k // len(names_2)]), str(names_2[k % len(names_2)])): int(total)
        for k, total in zip(keys.tolist(), sums.tolist(), strict=True)
    }


def _valued(points: Mapping[Any, int], cost: Money) -> dict[Any, Money]:
    """Each count of points at ``cost`` a point, allocated so the parts add up exactly.

    The total is rounded half up to the minor unit once; it is then split in proportion to
    the points by [`Money.allocate`][aftersales_crm.values.Money.allocate] (largest remainder), so no fen is lost or made up
    however small the cost of a point.
    """
    if not points:
        return {}
    keys = list(points)
    total = (cost * sum(points.values())).round(ROUND_HALF_UP)
    return dict(zip(keys, total.allocate([points[k] for k in keys]), strict=True))
