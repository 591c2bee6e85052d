"""The points of many members at once, columnar, from the points entry tables.

:func:`balances` folds every member's entries as :class:`~aftersales_crm.membership.Ledger`
does, with the same rules (:mod:`aftersales_crm.membership._rules`: the consumption order,
the expiry instant, the reversal share) but over arrays: the lots are sorted once by member
and consumption order, and the debits (redemptions, debit adjustments, reversals charging
spent points, and debt repayments when points activate) are applied in rounds, the k-th
debit of every member in round k, each round one segmented cumulative sum over the lots
of the members it touches. There is no Python loop per member: the loops run over rounds
(as many as the busiest member has debits) and over reversals (rare, and exact fractions).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE
from aftersales_crm.membership._rules import (
    ACTIVATE,
    DEBIT,
    NEVER,
    REVERSE,
    expiry_instants,
    micros,
    reversal_target,
    reversal_targets,
)
from aftersales_crm.records import Funder
from aftersales_crm.tables import Tables
from aftersales_crm.values import Money

__all__ = ["Balances", "balances"]

_NAT: Final = int(np.iinfo(np.int64).min)
_EXACT_FLOAT: Final = 2**52  # below 2**53 with room for the rounding of the check
_US_PER_DAY: Final = 86_400_000_000
_WINDOW: Final = 2
"""Lots a debit looks at first, from its member's first live lot (a speed knob, not a
rule: a debit the window does not cover reads the member's other lots in order)."""
_FUNDERS: Final = tuple(Funder)
_I64 = NDArray[np.int64]


@attrs.frozen(eq=False)
class Balances:
    """Every member's points at ``as_of``: one row per member, arrays aligned.

    The balance identity holds row by row:
    ``balance == earned - redeemed - expired - reversed + adjusted - pending``.

    Attributes:
        as_of: the instant of the state.
        within_days: the horizon of ``expiring``.
        member_id: object array of the members' ids, shape (n_members,).
        balance: int64 spendable points less debt.
        available: int64 spendable points.
        pending: int64 points not yet spendable.
        debt: int64 tracked debt.
        earned: int64 points awarded (duplicates of a source not counted).
        redeemed: int64 points redeemed.
        expired: int64 points lapsed.
        reversed: int64 points taken back.
        adjusted: int64 credits less debits by adjustment.
        expiring: int64 points held that lapse within ``within_days`` of ``as_of``.
        liability: int64 points held (spendable or pending) by funder, shape
            (n_members, 3), columns in :class:`~aftersales_crm.records.Funder` order.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm import synthetic
        >>> b = balances(Tables.from_book(synthetic.book(30, seed=1)),
        ...              as_of=datetime(2026, 11, 22, 23, tzinfo=timezone.utc))
        >>> bool((b.balance == b.available - b.debt).all())
        True
    """

    as_of: dt.datetime
    within_days: int
    member_id: NDArray[np.object_]
    balance: _I64
    available: _I64
    pending: _I64
    debt: _I64
    earned: _I64
    redeemed: _I64
    expired: _I64
    reversed: _I64
    adjusted: _I64
    expiring: _I64
    liability: _I64

    def __len__(self) -> int:
        """The number of members."""
        return len(self.member_id)

    def liabilities(self) -> dict[Funder, int]:
        """The points held by all members, by who pays for them.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm import synthetic
            >>> b = balances(Tables.from_book(synthetic.book(30, seed=1)),
            ...              as_of=datetime(2026, 11, 22, 23, tzinfo=timezone.utc))
            >>> sum(b.liabilities().values()) == int((b.available + b.pending).sum())
            True
        """
        totals = self.liability.sum(axis=0)
        return {funder: int(totals[i]) for i, funder in enumerate(_FUNDERS)}

    def worth(self, per_point: Money) -> Money:
        """All members' balances in money, exactly, at ``per_point`` a point.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm import synthetic
            >>> b = balances(Tables.from_book(synthetic.book(30, seed=1)),
            ...              as_of=datetime(2026, 11, 22, 23, tzinfo=timezone.utc))
            >>> b.worth(Money.parse("0.01 CNY")).currency
            'CNY'
        """
        given: object = per_point  # callers may pass anything; the annotation is the contract
        if not isinstance(given, Money):
            msg = f"per_point is {given!r:.80}, expected a Money"
            raise InvalidType(msg)
        return per_point * int(self.balance.sum())

    def to_pandas(self) -> Any:
        """The balances as a ``pandas.DataFrame`` indexed by member id.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm import synthetic
            >>> b = balances(Tables.from_book(synthetic.book(30, seed=1)),
            ...              as_of=datetime(2026, 11, 22, 23, tzinfo=timezone.utc))
            >>> list(b.to_pandas().columns)[:3]
            ['balance', 'available', 'pending']
        """
        from aftersales_crm._optional import require

        pd = require("pandas", extra="pandas")
        columns = {
            name: getattr(self, name)
            for name in (
                "balance",
                "available",
                "pending",
                "debt",
                "earned",
                "redeemed",
                "expired",
                "reversed",
                "adjusted",
                "expiring",
            )
        }
        for i, funder in enumerate(_FUNDERS):
            columns[f"liability_{funder.value}"] = self.liability[:, i]
        return pd.DataFrame(columns, index=pd.Index(self.member_id, name="member_id"))


def _members(tables: Tables) -> tuple[NDArray[np.object_], dict[str, _I64]]:
    """The members of all entry tables, and each table's member column as member numbers.

    An entry's member is its row in the ``members`` table; the members met in any entry
    table are numbered in the order of that table.
    """
    names = ("points_earned", "points_redeemed", "points_reversed", "points_adjusted")
    rows = {name: np.asarray(tables[name]["member"], dtype=np.int64) for name in names}
    met = np.zeros(len(tables["members"]), dtype=bool)
    for found in rows.values():
        met[found] = True
    number = np.cumsum(met, dtype=np.int64) - 1
    ids = np.asarray(tables["members"]["id"], dtype=object)[met]
    return ids, {name: number[found] for name, found in rows.items()}


def _us(column: NDArray[Any]) -> _I64:
    return np.asarray(column, dtype="datetime64[us]").view(np.int64)


def _ordered(keys: tuple[NDArray[Any], ...], ids: NDArray[Any]) -> NDArray[np.intp]:
    """The permutation sorting by ``keys`` (the primary first), ties by id.

    The keys are packed into one uint64 above each row's number, as many as fit, the
    first that does not fit coarsened to the bits left; one ``np.sort`` of the values
    (several times faster than an argsort) orders them and carries the rows. The runs the
    packing left tied are then put in order by the full keys (one lexsort of those rows)
    and, where the keys are equal (rare), by id.
    """
    n = len(ids)
    if n < 2:  # noqa: PLR2004 - nothing to order
        return np.arange(n, dtype=np.intp)
    rels: list[NDArray[np.int64]] = []
    for key in keys:
        key = np.asarray(key, dtype=np.int64)
        finite = key != NEVER
        top = int(key[finite].max()) if finite.any() else 0
        key = np.where(finite, key, top + 1)
        rels.append(key - int(key.min()))
    row_bits = (n - 1).bit_length()
    packed = np.zeros(n, dtype=np.uint64)
    room = 64 - row_bits
    whole = True  # every key packed in full
    for rel in rels:
        width = int(rel.max()).bit_length()
        if width <= room:
            packed = (packed << np.uint64(width)) | rel.view(np.uint64)
            room -= width
            continue
        packed = (packed << np.uint64(room)) | (rel >> (width - room)).view(np.uint64)
        whole = False
        break
    packed <<= np.uint64(row_bits)
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << row_bits) - 1)).astype(np.intp)
    packed >>= np.uint64(row_bits)
    tied = packed[1:] == packed[:-1]
    if not tied.any():
        return order
    in_run = np.zeros(n, dtype=bool)
    in_run[1:] = tied
    in_run[:-1] |= tied
    at = np.flatnonzero(in_run)  # positions in runs of equal packed keys
    run = np.cumsum(np.concatenate(([True], ~tied[at[:-1]])))
    rows = order[at]
    if not whole:  # by the full keys within each run
        rows = rows[np.lexsort((*(rel[rows] for rel in reversed(rels)), run))]
        order[at] = rows
    same = run[1:] == run[:-1]  # neighbours in one run: equal full keys yet?
    for rel in rels:
        same &= rel[rows[1:]] == rel[rows[:-1]]
    if not same.any():
        return order
    edges = np.diff(np.concatenate(([0], same.view(np.int8), [0])))
    for start, end in zip(
        np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True
    ):
        tie = rows[start : end + 1].tolist()
        tie.sort(key=lambda r: str(ids[r]))
        order[at[start : end + 1]] = tie
    return order


def sum_by(group: NDArray[Any], values: NDArray[Any], n: int) -> _I64:
    """Exact int64 sums of ``values`` by ``group`` (0 to n - 1), without floats."""
    values = np.asarray(values, dtype=np.int64)
    if len(values) and int(np.abs(values).sum(dtype=np.float64)) < _EXACT_FLOAT:
        # every partial sum stays below 2**53, where float64 holds integers exactly
        return np.bincount(group, values, minlength=n).astype(np.int64)
    if len(group) and (np.diff(group) < 0).any():
        order = np.argsort(group, kind="stable")
        group, values = group[order], values[order]
    starts, counts = _segments(group, n)
    out = np.zeros(n, dtype=np.int64)
    some = counts > 0
    if len(values):
        out[some] = np.add.reduceat(values, starts[some])
    return out


def _segments(member: _I64, n_members: int) -> tuple[_I64, _I64]:
    """Start and count of each member's rows in rows sorted by member."""
    counts = np.bincount(member, minlength=n_members).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    return starts, counts


def _takes(
    first: _I64,
    counts: _I64,
    t: _I64,
    need: _I64,
    lot_active: _I64,
    lot_expires: _I64,
    remaining: _I64,
) -> tuple[_I64, _I64, _I64, _I64]:
    """What each debit takes from ``counts`` lots from ``first`` on, in that order, at ``t``.

    Returns the lots (flat, debit after debit), the points each gives, the points each
    debit got, and the debit of each flat lot. Changes nothing.
    """
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts)), counts)
    firsts = np.cumsum(counts) - counts
    idx = first[owner] + (np.arange(total) - firsts[owner])
    when = t[owner]
    avail = np.where((lot_active[idx] <= when) & (lot_expires[idx] > when), remaining[idx], 0)
    running = np.concatenate(([0], np.cumsum(avail)))
    before = running[:-1] - running[firsts][owner]  # available ahead in the member's lots
    take = np.clip(need[owner] - before, 0, avail)
    got = np.zeros(len(counts), dtype=np.int64)
    some = counts > 0
    if total:
        got[some] = np.add.reduceat(take, firsts[some])
    return idx, take, got, owner


def _refuse_redemptions(
    names: NDArray[Any], amounts: NDArray[np.int64], balances: NDArray[np.int64]
) -> None:
    """Raise for redemptions beyond the balance, naming them (the first five)."""
    _refuse(
        np.arange(len(names)),
        lambda r: (
            f"redemption {names[r]!r} of {amounts[r]} points exceeds the balance of "
            f"{int(balances[r])} points; the points policy allows no debt"
        ),
        "insufficient_points",
    )


def _refuse(rows: NDArray[Any], message: Any, code: str) -> None:
    if len(rows):
        shown = [message(int(r)) for r in rows[:5].tolist()]
        more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""  # noqa: PLR2004
        raise InvalidValue("; ".join(shown) + more, code=code)


def balances(
    tables: Tables,
    as_of: dt.datetime,
    *,
    within_days: int = 30,
    allow_debt: bool = False,
    time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE,
) -> Balances:
    """Every member's points at ``as_of``, from the points entry tables of ``tables``.

    The same state as :meth:`Ledger.state <aftersales_crm.membership.Ledger.state>` of
    each member's ledger (a property test checks it entry for entry), for a million
    members in seconds.

    Args:
        tables: the tables holding ``points_earned``, ``points_redeemed``,
            ``points_reversed`` and ``points_adjusted`` (``points_expired`` is the audit
            trail and moves nothing).
        as_of: an aware instant; entries after it do not count.
        within_days: the horizon of :attr:`Balances.expiring`, in days (30 by default,
            a month's notice, the library's choice).
        allow_debt: whether redemptions may exceed the balance, as tracked debt.
        time_zone: the programme's time zone, where expiry days end (Asia/Shanghai).

    Returns:
        The balances, one row per member met in any entry table.

    Raises:
        InvalidValue: as the ledger does: a redemption beyond the balance without
            ``allow_debt``, a reversal of an award of another member or earned after it,
            an award expiring before it is earned (each message names the entries).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import (Book, Chapter, Customer, Dealer, MemberApplied,
        ...     PointsEarned, PointsRedeemed)
        >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> book = Book.from_records([
        ...     Dealer(id="D1", name="一号店"), Chapter(id="CH1", dealer_id="D1", name="车友会"),
        ...     Customer(id="C1", name="王明"),  # the member: their application
        ...     MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=t),
        ...     PointsEarned(id="E1", member_id="M1", amount=100, at=t, source_id="RO1",
        ...                  funder="hq", dealer_id="D1"),
        ...     PointsRedeemed(id="R1", member_id="M1", amount=30, at=t, dealer_id="D1")])
        >>> b = balances(Tables.from_book(book), as_of=t)
        >>> b.member_id.tolist(), b.balance.tolist(), b.liability.tolist()
        (['M1'], [70], [[70, 0, 0]])
    """
    given: object = tables  # callers may pass anything; the annotation is the contract
    if not isinstance(given, Tables):
        msg = f"tables is {given!r:.80}, expected a Tables"
        raise InvalidType(msg)
    if not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None:
        msg = f"as_of is {as_of!r:.80}, expected an aware datetime"
        raise InvalidValue(msg, code="as_of")
    if isinstance(within_days, bool) or not isinstance(within_days, int) or within_days < 0:
        msg = f"within_days is {within_days!r}, expected a whole number of days >= 0"
        raise InvalidValue(msg, code="days")
    flag: object = allow_debt  # callers may pass anything; the annotation is the contract
    if not isinstance(flag, bool):
        msg = f"allow_debt is {flag!r:.80}, expected True or False"
        raise InvalidType(msg)
    zone = to_time_zone(time_zone)
    until = micros(as_of)
    members, member_of = _members(tables)
    state = _fold(tables, member_of, len(members), until, allow_debt=allow_debt, zone=zone)
    result = _result(state, members, as_of, until, within_days)
    if state.ran_short is not None and state.ran_short.any():
        # Repaying debt needs the activations of the members whose redemptions ran into
        # debt. Members are independent: fold those again, with their activations, and
        # take their rows from that fold.
        again = _fold(
            tables,
            member_of,
            len(members),
            until,
            allow_debt=allow_debt,
            zone=zone,
            owing=state.ran_short,
        )
        redone = _result(again, members, as_of, until, within_days)
        fields = {
            name: np.where(
                state.ran_short[:, None] if name == "liability" else state.ran_short,
                getattr(redone, name),
                getattr(result, name),
            )
            for name in (
                "balance", "available", "pending", "debt", "earned", "redeemed", "expired",
                "reversed", "adjusted", "expiring", "liability",
            )
        }  # fmt: skip
        result = attrs.evolve(result, **fields)
    return result


@attrs.define
class _State:
    """The arrays of the fold: lots in consumption order, and the per-member totals."""

    lot_member: _I64
    lot_active: _I64
    lot_expires: _I64
    lot_funder: _I64
    remaining: _I64
    debt: _I64
    earned: _I64
    redeemed: _I64
    reversed: _I64
    adjusted: _I64
    ran_short: NDArray[np.bool_] | None


def _fold(
    tables: Tables,
    member_of: dict[str, _I64],
    n: int,
    until: int,
    *,
    allow_debt: bool,
    zone: dt.tzinfo,
    owing: NDArray[np.bool_] | None = None,
) -> _State:
    """Fold the entries into lots, debt and totals.

    ``owing``: members whose redemptions may run into debt; the activations that repay
    debt are rounds of theirs from their first redemption on, and only they are folded.
    """
    earned_t = tables["points_earned"]
    e_at = _us(earned_t["at"])
    only = owing  # a second fold covers the members who owe only
    e_keep = e_at <= until
    if only is not None:
        e_keep &= only[member_of["points_earned"]]
    e_rows = np.flatnonzero(e_keep)
    e_member = member_of["points_earned"][e_rows]
    e_source = earned_t["source_id"][e_rows].astype(np.int64)
    e_ids = earned_t["id"]
    e_at = e_at[e_rows]
    # one award per (member, source): the first by instant, then id; only sources met
    # more than once need looking at
    alias = np.full(len(earned_t), -1, dtype=np.int64)  # earned row → kept earned row
    alias[e_rows] = e_rows
    counts = np.bincount(e_source, minlength=1) if len(e_source) else np.zeros(1, np.int64)
    repeated = np.flatnonzero(counts[e_source] > 1)
    dropped = np.zeros(len(e_rows), dtype=bool)
    if len(repeated):
        order = repeated[
            _ordered(
                (e_member[repeated], e_source[repeated], e_at[repeated]),
                e_ids[e_rows[repeated]],
            )
        ]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (e_member[order][1:] != e_member[order][:-1]) | (
            e_source[order][1:] != e_source[order][:-1]
        )
        group = np.cumsum(first) - 1
        alias[e_rows[order]] = e_rows[order[first][group]]
        dropped[order[~first]] = True
    kept = e_rows[~dropped]

    pending = _us(earned_t["pending_until"])[kept]
    k_at = _us(earned_t["at"])[kept]
    k_active = np.where(pending == _NAT, k_at, np.maximum(k_at, pending))
    k_expires = expiry_instants(earned_t["expires_on"][kept], zone)
    _refuse(
        np.flatnonzero(k_expires <= k_at),
        lambda r: (
            f"award {e_ids[kept[r]]!r} expires on {earned_t['expires_on'][kept[r]]}, which "
            "ends before it was earned"
        ),
        "expiry_before_award",
    )

    adjusted_t = tables["points_adjusted"]
    a_at = _us(adjusted_t["at"])
    a_amount = adjusted_t["amount"].astype(np.int64)
    a_member_all = member_of["points_adjusted"]
    a_mine = a_at <= until
    if only is not None:
        a_mine &= only[a_member_all]
    a_in = a_mine & (a_amount > 0)
    a_out = a_mine & (a_amount < 0)
    credit = np.flatnonzero(a_in)

    # -- the lots, sorted by member and consumption order ------------------------------
    lot_member = np.concatenate((member_of["points_earned"][kept], a_member_all[credit]))
    lot_at = np.concatenate((k_at, a_at[credit]))
    lot_active = np.concatenate((k_active, a_at[credit]))
    lot_expires = np.concatenate((k_expires, np.full(len(credit), NEVER, dtype=np.int64)))
    lot_grant = np.concatenate((earned_t["amount"][kept].astype(np.int64), a_amount[credit]))
    lot_funder = np.concatenate(
        (earned_t["funder"][kept].astype(np.int64), adjusted_t["funder"][credit].astype(np.int64))
    )
    lot_ids = np.concatenate((e_ids[kept], adjusted_t["id"][credit]))
    # expiry days order lots as their expiry instants do, in far fewer bits
    k_day = earned_t["expires_on"][kept].view(np.int64)
    lot_day = np.concatenate(
        (np.where(k_day == _NAT, NEVER, k_day), np.full(len(credit), NEVER, dtype=np.int64))
    )
    lot_order = _ordered((lot_member, lot_day, lot_at), lot_ids)
    lot_member, lot_at, lot_active, lot_expires, lot_grant, lot_funder = (
        a[lot_order] for a in (lot_member, lot_at, lot_active, lot_expires, lot_grant, lot_funder)
    )
    lot_of_kept = np.empty(len(lot_order), dtype=np.int64)
    lot_of_kept[lot_order] = np.arange(len(lot_order))
    lot_of_earned = np.full(len(earned_t), -1, dtype=np.int64)  # earned row → lot position
    lot_of_earned[kept] = lot_of_kept[: len(kept)]
    lot_start, lot_count = _segments(lot_member, n)
    remaining = lot_grant.copy()
    spent = np.zeros(len(lot_grant), dtype=np.int64)

    earned_lots = lot_of_kept[: len(kept)]
    earned = sum_by(lot_member[earned_lots], lot_grant[earned_lots], n)
    adjusted = sum_by(a_member_all[credit], a_amount[credit], n) - sum_by(
        a_member_all[a_out], -a_amount[a_out], n
    )

    # -- the debits, reversals and (for members who may owe) activations ---------------
    redeemed_t = tables["points_redeemed"]
    r_at = _us(redeemed_t["at"])
    r_mine = r_at <= until
    if only is not None:
        r_mine &= only[member_of["points_redeemed"]]
    r_rows = np.flatnonzero(r_mine)
    reversed_t = tables["points_reversed"]
    v_at = _us(reversed_t["at"])
    v_mine = v_at <= until
    if only is not None:
        v_mine &= only[member_of["points_reversed"]]
    v_rows = np.flatnonzero(v_mine)
    o_rows = np.flatnonzero(a_out)

    r_member = member_of["points_redeemed"][r_rows]
    v_member = member_of["points_reversed"][v_rows]
    o_member = a_member_all[o_rows]
    redeemed = sum_by(r_member, redeemed_t["amount"][r_rows], n)

    # activations repay debt: only members who may owe need them, and only from the first
    # entry that may put them in debt
    first_owe = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(first_owe, v_member, v_at[v_rows])
    np.minimum.at(first_owe, o_member, a_at[o_rows])
    if owing is not None:
        mine = owing[r_member]
        np.minimum.at(first_owe, r_member[mine], r_at[r_rows][mine])
    ran_short = np.zeros(n, dtype=bool) if allow_debt and owing is None else None
    owing_lots = np.flatnonzero((lot_active >= first_owe[lot_member]) & (lot_active <= until))
    act_member, act_at = lot_member[owing_lots], lot_active[owing_lots]
    if len(act_member):
        order = _ordered((act_member, act_at), np.zeros(len(act_member), dtype=object))
        act_member, act_at = act_member[order], act_at[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = (act_member[1:] != act_member[:-1]) | (act_at[1:] != act_at[:-1])
        act_member, act_at = act_member[new], act_at[new]

    # kinds: 0 redemption, 1 reversal, 2 debit adjustment, 3 activation
    ev_member = np.concatenate((r_member, v_member, o_member, act_member))
    ev_at = np.concatenate((r_at[r_rows], v_at[v_rows], a_at[o_rows], act_at))
    ev_kind = np.concatenate(
        (
            np.zeros(len(r_rows), np.int64),
            np.ones(len(v_rows), np.int64),
            np.full(len(o_rows), 2, np.int64),
            np.full(len(act_member), 3, np.int64),
        )
    )
    ev_row = np.concatenate((r_rows, v_rows, o_rows, np.zeros(len(act_member), np.int64)))
    ev_rank = np.choose(ev_kind, (DEBIT, REVERSE, DEBIT, ACTIVATE))
    ev_amount = np.concatenate(
        (
            redeemed_t["amount"][r_rows].astype(np.int64),
            np.zeros(len(v_rows), np.int64),
            -a_amount[o_rows],
            np.zeros(len(act_member), np.int64),
        )
    )
    ev_ids = np.concatenate(
        (
            redeemed_t["id"][r_rows],
            reversed_t["id"][v_rows],
            adjusted_t["id"][o_rows],
            np.full(len(act_member), "", dtype=object),
        )
    )
    ev_order = _ordered((ev_member, ev_at, ev_rank), ev_ids)
    ev_member, ev_at, ev_kind, ev_row, ev_amount = (
        a[ev_order] for a in (ev_member, ev_at, ev_kind, ev_row, ev_amount)
    )
    ev_ids = ev_ids[ev_order]
    ev_start, _ = _segments(ev_member, n)
    step = np.arange(len(ev_member), dtype=np.int64) - ev_start[ev_member]
    narrow = np.int16 if step.max(initial=0) < np.iinfo(np.int16).max else np.int64
    by_step = np.argsort(step.astype(narrow), kind="stable")
    step_bounds = np.searchsorted(step[by_step], np.arange(int(step.max(initial=-1)) + 2))

    # reversals: the award each reverses (through duplicates), checked
    v_lot = np.full(len(reversed_t), -1, dtype=np.int64)
    if len(v_rows):
        award = alias[reversed_t["earned"][v_rows]]
        lot = np.where(award >= 0, lot_of_earned[np.maximum(award, 0)], -1)
        bad = (lot < 0) | (lot_member[np.maximum(lot, 0)] != v_member)
        bad |= lot_at[np.maximum(lot, 0)] > v_at[v_rows]
        _refuse(
            np.flatnonzero(bad),
            lambda r: (
                f"reversal {reversed_t['id'][v_rows[r]]!r} reverses award "
                f"{e_ids[reversed_t['earned'][v_rows[r]]]!r}, which its member's ledger "
                f"does not hold at {reversed_t['at'][v_rows[r]]}"
            ),
            "unknown_award",
        )
        v_lot[v_rows] = lot
    # what each reversal is due to take back: it depends only on the earlier reversals of
    # the same award, so it is worked out before the rounds
    v_due = np.zeros(len(reversed_t), dtype=np.int64)
    if len(v_rows):
        top = reversed_t["share_numerator"][v_rows].astype(np.int64)
        bottom = reversed_t["share_denominator"][v_rows].astype(np.int64)
        by_amount = np.where(top < 0, reversed_t["amount"][v_rows].astype(np.int64), 0)
        lots_of = v_lot[v_rows]
        order = _ordered((lots_of, v_at[v_rows]), reversed_t["id"][v_rows])
        lots_sorted = lots_of[order]
        alone = np.ones(len(order), dtype=bool)
        alone[1:] &= lots_sorted[1:] != lots_sorted[:-1]
        alone[:-1] &= lots_sorted[:-1] != lots_sorted[1:]
        single = order[alone]
        v_due[v_rows[single]] = reversal_targets(
            lot_grant[lots_of[single]],
            np.maximum(top[single], 0),
            np.where(top[single] < 0, 1, bottom[single]),
            by_amount[single],
        )
        previous: dict[int, tuple[Fraction, int, int]] = {}
        for i in order[~alone].tolist():  # awards reversed more than once: exact fractions
            award_lot = int(lots_of[i])
            got_shares, got_amounts, before = previous.get(award_lot, (Fraction(0), 0, 0))
            if top[i] >= 0:
                got_shares += Fraction(int(top[i]), int(bottom[i]))
            else:
                got_amounts += int(by_amount[i])
            target = reversal_target(int(lot_grant[award_lot]), got_shares, got_amounts)
            v_due[v_rows[i]] = target - before
            previous[award_lot] = (got_shares, got_amounts, target)
    lot_charged = np.zeros(len(lot_grant), dtype=np.int64)
    head = lot_start.copy()  # each member's first lot neither spent nor expired (so far)
    lot_ends = lot_start + lot_count
    reversed_total = np.zeros(n, dtype=np.int64)
    debt = np.zeros(n, dtype=np.int64)

    for k in range(len(step_bounds) - 1):
        sel = by_step[step_bounds[k] : step_bounds[k + 1]]
        member, t, kind = ev_member[sel], ev_at[sel], ev_kind[sel]
        need = ev_amount[sel].copy()
        back = np.flatnonzero(kind == 1)
        if len(back):  # reversals: from the award's own lot, then charge what was spent
            rows = ev_row[sel[back]]
            lot = v_lot[rows]
            due = v_due[rows]
            held = np.where(lot_expires[lot] > t[back], remaining[lot], 0)
            taken = np.minimum(due, held)
            remaining[lot] -= taken
            charged = np.minimum(due - taken, spent[lot] - lot_charged[lot])
            lot_charged[lot] += charged
            reversed_total[member[back]] += taken + charged
            need[back] = charged
        repay = kind == 3  # noqa: PLR2004 - activation
        need[repay] = debt[member[repay]]
        # the first few lots from the member's first live one, then (rarely) the rest
        first, end = head[member], lot_ends[member]
        width = np.minimum(end - first, _WINDOW)
        idx, take, got, owner = _takes(first, width, t, need, lot_active, lot_expires, remaining)
        more = np.flatnonzero((got < need) & (end - first > width))
        if len(more):
            idx_more, take_more, got_more, _ = _takes(
                first[more] + width[more],
                end[more] - first[more] - width[more],
                t[more],
                need[more] - got[more],
                lot_active,
                lot_expires,
                remaining,
            )
            got[more] += got_more
        short = need - got
        if not allow_debt:
            over = np.flatnonzero((kind == 0) & (short > 0))
            if len(over):
                _refuse_redemptions(ev_ids[sel[over]], ev_amount[sel[over]], got[over])
        elif ran_short is not None:
            ran_short[member[(kind == 0) & (short > 0)]] = True
        remaining[idx] -= take
        spent[idx] += take
        if len(more):
            remaining[idx_more] -= take_more
            spent[idx_more] += take_more
        debt[member] += np.where(repay, -got, short)
        if len(idx):  # a lot spent or expired stays so (the member's time only moves on)
            alive = (remaining[idx] > 0) & (lot_expires[idx] > t[owner])
            seen = np.cumsum(alive)
            starts = np.cumsum(width) - width
            some = width > 0
            ahead = np.zeros(len(width), dtype=np.int64)
            ahead[some] = seen[starts[some]] - alive[starts[some]]  # alive before the window
            dead_lead = (seen - ahead[owner]) == 0
            head[member[some]] += np.add.reduceat(dead_lead, starts[some])

    return _State(
        lot_member=lot_member,
        lot_active=lot_active,
        lot_expires=lot_expires,
        lot_funder=lot_funder,
        remaining=remaining,
        debt=debt,
        earned=earned,
        redeemed=redeemed,
        reversed=reversed_total,
        adjusted=adjusted,
        ran_short=ran_short,
    )


def _result(
    state: _State, members: NDArray[np.object_], as_of: dt.datetime, until: int, days: int
) -> Balances:
    n = len(members)
    live = state.lot_expires > until
    held = np.where(live, state.remaining, 0)
    active = state.lot_active <= until
    member = state.lot_member
    available = sum_by(member, np.where(active, held, 0), n)
    pending = sum_by(member, np.where(active, 0, held), n)
    expired = sum_by(member, np.where(live, 0, state.remaining), n)
    horizon = until + days * _US_PER_DAY
    expiring = sum_by(member, np.where(state.lot_expires <= horizon, held, 0), n)
    liability = np.zeros((n, len(_FUNDERS)), dtype=np.int64)
    for i in range(len(_FUNDERS)):
        liability[:, i] = sum_by(member, np.where(state.lot_funder == i, held, 0), n)
    return Balances(
        as_of=as_of,
        within_days=days,
        member_id=members,
        balance=available - state.debt,
        available=available,
        pending=pending,
        debt=state.debt,
        earned=state.earned,
        redeemed=state.redeemed,
        expired=expired,
        reversed=state.reversed,
        adjusted=state.adjusted,
        expiring=expiring,
        liability=liability,
    )
