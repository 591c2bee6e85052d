"""The points of many members at once, columnar, from the points entry tables.

[`balances`][aftersales_crm.membership.balances] folds every member's entries as [`Ledger`][aftersales_crm.membership.Ledger]
does, with the same rules (``aftersales_crm.membership._rules``: the consumption order,
the expiry instant, the reversal share) but over arrays: the lots are sorted once by member
and consumption order, and the debits (redemptions, debit adjustments, reversals charging
spent points, and debt repayments when points activate) are applied in rounds, the k-th
debit of every member in round k. A debit looks at the two lots from its member's first
live one as plain columns, and only when those fall short at the member's other lots, as
one segmented cumulative sum. There is no Python loop per member: the loops run over
rounds (as many as the busiest member has debits) and over repeated reversals of one award
whose shares do not add up in int64 (rare; exact fractions).

Three shortcuts keep it fast and change no figure. Lots that no event of their member can
touch (active only after the member's last event, or expired by their first, and never
reversed) are not sorted: they count as granted. Debt repayments are left out of the
first fold: until a member falls short they repay nothing, so only the members who fell
short are folded again, with all their lots and their repayments. And ids are read only
to break ties of instants, never carried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm._display import Displayed
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
_SMALL_DENOMINATOR: Final = 1000
_SMALL_GROUP: Final = 5
"""Reversals of one award whose shares add up in int64 over their common denominator: at
most five, each share's denominator at most 1,000 (else they add up as fractions)."""
_I64 = NDArray[np.int64]


@attrs.frozen(eq=False, repr=False)
class Balances(Displayed):
    """Every member's points at ``as_of``: one row per member, arrays aligned.

    The balance identity holds row by row:
    ``balance == earned - redeemed - expired - reversed + adjusted - pending``.

    Attributes:
        as_of: the instant of the state.
        within_days: the horizon of ``expiring``.
        member_id: the members' ids, shape (n_members,), as the ``members`` table holds
            them.
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
            (n_members, 3), columns in ``Funder`` order.

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
    member_id: NDArray[Any]
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


def _members(tables: Tables) -> tuple[NDArray[Any], NDArray[np.bool_] | None, dict[str, _I64]]:
    """The members of all entry tables, and each table's member column.

    An entry's member is its row in the ``members`` table, and the batch works on those
    rows; the members met in any entry table (``None``: all) are the rows of the result,
    in the order of that table.
    """
    names = ("points_earned", "points_redeemed", "points_reversed", "points_adjusted")
    rows = {name: np.asarray(tables[name]["member"], dtype=np.int64) for name in names}
    met = np.zeros(len(tables["members"]), dtype=bool)
    for found in rows.values():
        met[found] = True
    ids = tables["members"]["id"]  # kept as the table holds them (no object per id)
    if met.all():
        return ids.copy(), None, rows
    return ids[met], met, rows


def _us(column: NDArray[Any]) -> _I64:
    return np.asarray(column, dtype="datetime64[us]").view(np.int64)


_Ids = Callable[[NDArray[np.intp]], NDArray[Any]]
"""The ids of some of the rows being ordered (asked for only to break ties)."""


def _ids_of(*parts: tuple[NDArray[Any], NDArray[np.int64] | None]) -> _Ids:
    """The ids of positions in the concatenation of each part's ``column[rows]``.

    ``rows`` ``None`` stands for the whole column.
    """
    sizes = [len(column if rows is None else rows) for column, rows in parts]
    ends = np.cumsum(sizes)

    def ids(positions: NDArray[np.intp]) -> NDArray[Any]:
        part = np.searchsorted(ends, positions, side="right")
        out = np.empty(len(positions), dtype=object)
        for k, (column, rows) in enumerate(parts):
            mine = part == k
            at = positions[mine] - (int(ends[k]) - sizes[k])
            out[mine] = column[at if rows is None else rows[at]]
        return out

    return ids


@attrs.frozen
class _Order:
    """A permutation sorting rows by keys, and the keys it packed whole, for reading back.

    Attributes:
        order: the rows in order.
        packed: the packed keys in that order (``None`` for fewer than two rows).
        fields: for each key packed whole, its bit shift in ``packed``, its width and the
            value its code 0 stands for (``None`` for the others).
    """

    order: NDArray[np.intp]
    packed: NDArray[np.uint64] | None = None
    fields: tuple[tuple[int, int, int] | None, ...] = ()

    def key(self, i: int, key: NDArray[Any]) -> _I64:
        """Key ``i`` (given as ``key``) in order: read from the packed bits if whole."""
        field = self.fields[i] if i < len(self.fields) else None
        if field is None or self.packed is None:
            return np.asarray(key, dtype=np.int64)[self.order]
        shift, width, low = field
        out = (self.packed >> np.uint64(shift)).view(np.int64)
        out &= (1 << width) - 1
        out += low
        return out


def _ordered(
    keys: tuple[NDArray[Any], ...], ids: _Ids, rows: NDArray[np.intp] | None = None
) -> _Order:
    """The permutation sorting by ``keys`` (integers, the primary first), ties by id.

    With ``rows`` (ascending), only those rows are sorted, and the order gives rows.

    The keys, less their minimum, are packed into one uint64 above each row's number, as
    many as fit, the first that does not fit coarsened to the bits left; one ``np.sort``
    of the values (several times faster than an argsort) orders them and carries the
    rows. The runs the packing left tied are then put in order by the full keys (one
    lexsort of those rows) and, where the keys are equal (rare), by id.
    """
    n = len(keys[0]) if rows is None else len(rows)
    if n < 2:  # noqa: PLR2004 - nothing to order
        return _Order(np.arange(n, dtype=np.intp) if rows is None else rows.copy())
    row_bits = (n - 1 if rows is None else int(rows[-1])).bit_length()
    room = 64 - row_bits
    packed = np.zeros(n, dtype=np.uint64)
    work = np.empty(n, dtype=np.int64)
    fields: list[tuple[int, int, int] | None] = []  # shifts filled in at the end
    widths: list[int] = []
    for full in keys:
        key = full if rows is None else full[rows]
        low = int(key.min())
        width = (int(key.max()) - low).bit_length()
        np.subtract(key, low, out=work, casting="unsafe")
        whole = width <= room
        if not whole:  # the first key that does not fit, coarsened to the bits left
            work >>= width - room
            width = room
        packed <<= np.uint64(width)
        packed |= work.view(np.uint64)
        fields.append((0, width, low) if whole else None)
        widths.append(width)
        room -= width
        if not whole:
            break
    del work, key
    packed <<= np.uint64(row_bits)
    packed |= np.arange(n, dtype=np.uint64) if rows is None else rows.view(np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << row_bits) - 1)).view(np.intp)
    packed >>= np.uint64(row_bits)
    tied = packed[1:] == packed[:-1]
    if tied.any():
        _break_ties(order, tied, keys, ids)
    shifted = tuple(
        None if field is None else (sum(widths[i + 1 :]), *field[1:])
        for i, field in enumerate(fields)
    )
    return _Order(order, packed, shifted)


def _break_ties(
    order: NDArray[np.intp], tied: NDArray[np.bool_], keys: tuple[NDArray[Any], ...], ids: _Ids
) -> None:
    """Order the runs of ``order`` whose packed keys tie by the full keys, then by id."""
    in_run = np.zeros(len(order), dtype=bool)
    in_run[1:] = tied
    in_run[:-1] |= tied
    at = np.flatnonzero(in_run)  # positions in runs of equal packed keys
    run = np.cumsum(np.concatenate(([True], ~tied[at[:-1]])))
    rows = order[at]  # each run in row order
    full = [np.asarray(key)[rows] for key in keys]
    by_keys = np.lexsort((*reversed(full), run))
    rows = rows[by_keys]
    same = run[1:] == run[:-1]  # neighbours in one run: equal full keys too?
    for values in full:
        values = values[by_keys]
        same &= values[1:] == values[:-1]
    if same.any():  # by id, then row
        in_group = np.zeros(len(rows), dtype=bool)
        in_group[1:] = same
        in_group[:-1] |= same
        where = np.flatnonzero(in_group)
        group = np.cumsum(np.concatenate(([True], ~same[where[:-1]])))
        tie = rows[where]
        names = np.array([str(name) for name in ids(tie).tolist()], dtype=object)
        rank = np.unique(names, return_inverse=True)[1]
        rows[where] = tie[np.lexsort((tie, rank, group))]
    order[at] = rows


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
    avail = remaining[idx] * ((lot_active[idx] <= when) & (lot_expires[idx] > when))
    running = np.concatenate(([0], np.cumsum(avail)))
    before = running[:-1] - running[firsts][owner]  # available ahead in the member's lots
    take = np.clip(need[owner] - before, 0, avail)
    got = np.zeros(len(counts), dtype=np.int64)
    some = counts > 0
    if total:
        got[some] = np.add.reduceat(take, firsts[some])
    return idx, take, got, owner


def _refuse(rows: NDArray[Any], message: Any, code: str) -> None:
    if len(rows):
        shown = [message(int(r)) for r in rows[:5].tolist()]
        more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""  # noqa: PLR2004
        raise InvalidValue("; ".join(shown) + more, code=code)


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


@attrs.frozen
class _Lots:
    """The lots, sorted by member and consumption order.

    ``active``, ``expires`` and ``grant`` hold one more lot at the end, ``len(member)``:
    never active, with nothing in it, where a debit with no lot left looks.
    """

    member: _I64
    active: _I64
    expires: _I64
    grant: _I64
    funder: NDArray[np.int8]
    start: _I64  # each member's first lot
    end: _I64  # and one past their last


def _with_spent_lot(values: _I64, rows: NDArray[np.intp], last: int) -> _I64:
    """``values[rows]`` followed by ``last`` (the spent lot's value)."""
    out = np.empty(len(rows) + 1, dtype=np.int64)
    np.take(values, rows, out=out[:-1])
    out[-1] = last
    return out


@attrs.frozen
class _Events:
    """Debits, reversals and repayments, in rounds.

    Round ``k``, ``bounds[k]`` to ``bounds[k + 1]``, holds each member's ``k``-th event,
    the members in order. ``kind``: 0 redemption, 1 reversal, 2 debit adjustment, 3 activation (repays debt);
    ``row``: the event's row among the redemptions, reversals or debit adjustments folded.
    """

    member: _I64
    at: _I64
    kind: NDArray[np.int8]
    amount: _I64
    row: _I64
    bounds: _I64
    repays: bool


def _rounds_of(member: _I64) -> tuple[NDArray[np.intp], _I64]:
    """The rounds of events sorted by member, and where each round starts.

    The order takes every member's first event, then every member's second, and so on,
    the members in order within each round.
    """
    m = len(member)
    if not m:
        return np.zeros(0, dtype=np.intp), np.zeros(1, dtype=np.int64)
    new = np.ones(m, dtype=bool)
    new[1:] = member[1:] != member[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, m))
    step = np.arange(m) - np.repeat(starts, counts)
    narrow = np.int16 if counts.max() <= np.iinfo(np.int16).max else np.int64
    by_step = np.argsort(step.astype(narrow), kind="stable")  # a radix sort when narrow
    bounds = np.concatenate(([0], np.cumsum(np.bincount(step))))
    return by_step, bounds


def balances(
    tables: Tables,
    as_of: dt.datetime,
    *,
    within_days: int = 30,
    allow_debt: bool = False,
    time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE,
) -> Balances:
    """Every member's points at ``as_of``, from the points entry tables of ``tables``.

    The same state as [`Ledger.state`][aftersales_crm.membership.Ledger.state] of
    each member's ledger (a property test checks it entry for entry), for a million
    members in seconds.

    Args:
        tables: the tables holding ``points_earned``, ``points_redeemed``,
            ``points_reversed`` and ``points_adjusted`` (``points_expired`` is the audit
            trail and moves nothing).
        as_of: an aware instant; entries after it do not count.
        within_days: the horizon of [`Balances.expiring`][aftersales_crm.membership.Balances], in days (30 by default,
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
    members, met, member_of = _members(tables)
    n = len(tables["members"])
    prep = _prepare(tables, member_of, n, until, zone)
    remaining, debt, reversed_total, short = _rounds(
        prep.lots, _first_events(prep), prep.reversals, n
    )
    horizon = until + within_days * _US_PER_DAY
    totals = _totals(prep.lots, remaining, n, until, horizon)
    if len(prep.idle):  # lots no event can touch: as granted
        totals += _idle_totals(prep.candidates, prep.idle, n, until, horizon)
    if short.any():
        # Debt is repaid by the activations of the members who fell short; until they
        # fall short, activations change nothing. Members are independent: fold those
        # again, with all their lots and their activations, and take their rows from it.
        lots, events, reversals = _again(prep, short, n, until, from_any_debit=allow_debt)

        def refuse(rows: _I64, amounts: _I64, got: _I64) -> None:
            _refuse_redemptions(prep.redeemed_ids[rows].astype(object), amounts, got)

        left, owed, taken, _ = _rounds(lots, events, reversals, n, None if allow_debt else refuse)
        totals = np.where(short, _totals(lots, left, n, until, horizon), totals)
        debt = np.where(short, owed, debt)
        reversed_total = np.where(short, taken, reversed_total)
    if met is not None:  # the members with entries only
        totals, debt, reversed_total = totals[:, met], debt[met], reversed_total[met]
    earned, redeemed, adjusted = (
        a if met is None else a[met] for a in (prep.earned, prep.redeemed, prep.adjusted)
    )
    held, available, expiring, left_total = totals[:4]
    liability = np.empty((len(members), len(_FUNDERS)), dtype=np.int64)
    liability[:, :-1] = totals[4:].T
    liability[:, -1] = held - totals[4:].sum(axis=0)
    return Balances(
        as_of=as_of,
        within_days=within_days,
        member_id=members,
        balance=available - debt,
        available=available,
        pending=held - available,
        debt=debt,
        earned=earned,
        redeemed=redeemed,
        expired=left_total - held,
        reversed=reversed_total,
        adjusted=adjusted,
        expiring=expiring,
        liability=liability,
    )


@attrs.frozen
class _Reversals:
    """The reversals folded.

    The lot each reverses, the points it is due to take back, and the number of that lot
    among the lots reversed (``slots`` of them).
    """

    lot: _I64
    due: _I64
    slot: _I64
    slots: int
    position: _I64  # the lot each reverses, among the candidates


@attrs.frozen
class _Prepared:
    """What the rounds need, read from the tables once.

    The events are kept sorted by member, instant, rank and id as positions into the
    concatenation of the redemptions, reversals and debit adjustments folded (``parts``
    long each), with their instants in that order and their amounts concatenated.
    """

    candidates: _Candidates
    lots: _Lots  # the candidates some event may touch, sorted
    idle: _I64  # the others
    ev_member: _I64
    ev_pos: NDArray[np.intp]
    ev_at: _I64
    amount: _I64
    parts: tuple[int, int, int]
    redeemed_ids: NDArray[Any]  # the ids of the redemptions folded
    reversals: _Reversals
    earned: _I64
    redeemed: _I64
    adjusted: _I64

    def kinds(self, pos: NDArray[np.intp]) -> tuple[NDArray[np.int8], _I64]:
        """The kind of the events at ``pos`` and their rows among those of their kind."""
        r, v, _ = self.parts
        kind = (pos >= r).astype(np.int8)
        kind += pos >= r + v
        return kind, pos - np.array([0, r, r + v])[kind]


@attrs.frozen
class _Awards:
    """The awards on or before the instant folded, and the duplicates among them.

    One award per (member, source) counts, the first by instant, then id; a duplicate is
    a lot of no points, never active, and a reversal of it reverses the award it
    duplicates.

    Attributes:
        rows: the rows of the earned table on or before the instant (``None``: all).
        in_time: which rows of the earned table those are.
        dropped: the rows of the duplicates, sorted.
        kept_as: the row of the award each duplicates.
    """

    rows: _I64 | None
    in_time: NDArray[np.bool_]
    dropped: _I64
    kept_as: _I64

    def take(self, column: NDArray[Any]) -> NDArray[Any]:
        """The column's values for the awards in time, in row order."""
        return column if self.rows is None else column[self.rows]

    def position(self, rows: _I64) -> _I64:
        """Where the awards of ``rows`` (in time) stand among the awards in time."""
        if self.rows is None:
            return rows
        return (np.cumsum(self.in_time) - 1)[rows]


def _awards(tables: Tables, member_of: dict[str, _I64], until: int) -> _Awards:
    """The awards on or before ``until``, and which of them duplicate another."""
    earned_t = tables["points_earned"]
    in_time = _us(earned_t["at"]) <= until
    every = bool(in_time.all())
    e_rows = None if every else np.flatnonzero(in_time)
    e_source = earned_t["source_id"] if e_rows is None else earned_t["source_id"][e_rows]
    counts = np.bincount(e_source, minlength=1) if len(e_source) else np.zeros(1, np.int64)
    rows = np.flatnonzero(counts[e_source] > 1)  # only sources met more than once matter
    if e_rows is not None:
        rows = e_rows[rows]
    if not len(rows):
        return _Awards(e_rows, in_time, np.zeros(0, np.int64), np.zeros(0, np.int64))
    member = member_of["points_earned"][rows]
    source = earned_t["source_id"][rows].astype(np.int64)
    order = _ordered(
        (member, source, _us(earned_t["at"])[rows]), lambda r: earned_t["id"][rows[r]]
    ).order
    rows, member, source = rows[order], member[order], source[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (member[1:] != member[:-1]) | (source[1:] != source[:-1])
    kept_as = rows[first][np.cumsum(first) - 1][~first]
    dropped = rows[~first]
    by_row = np.argsort(dropped)
    return _Awards(e_rows, in_time, dropped[by_row], kept_as[by_row])


@attrs.frozen
class _Candidates:
    """Every lot, unsorted.

    The awards in time (duplicates empty and never active), then the credits. ``code`` numbers the expiry days from the first (no day: the code after the last), so
    it orders lots as their expiry instants, ``ends[code]``, do, in far fewer bits.
    """

    member: _I64
    code: _I64
    at: _I64
    active: _I64
    expires: _I64
    grant: _I64
    funder: NDArray[np.int8]
    ends: _I64
    ids: _Ids


def _candidates(
    tables: Tables,
    member_of: dict[str, _I64],
    awards: _Awards,
    n: int,
    until: int,
    zone: dt.tzinfo,
) -> tuple[_Candidates, _I64]:
    """Every lot, unsorted, and each member's points earned."""
    earned_t, adjusted_t = tables["points_earned"], tables["points_adjusted"]
    a_at = _us(adjusted_t["at"])
    credit = np.flatnonzero((a_at <= until) & (adjusted_t["amount"] > 0))
    k_at = awards.take(_us(earned_t["at"]))
    dropped = awards.position(awards.dropped)
    days = awards.take(earned_t["expires_on"].view(np.int64))
    known = days != _NAT
    low = int(np.min(days, where=known, initial=NEVER)) if known.any() else 0
    span = int(np.max(days, where=known, initial=low)) - low + 1 if known.any() else 0
    size = len(days)
    code = np.empty(size + len(credit), dtype=np.int64)
    np.subtract(days, low, out=code[:size])
    np.copyto(code[:size], span, where=~known)
    code[size:] = span
    del days, known
    ends = np.full(span + 1, NEVER, dtype=np.int64)
    present = np.flatnonzero(np.bincount(code, minlength=span + 1)[:span])
    ends[present] = expiry_instants((present + low).astype("datetime64[D]"), zone)
    expires = ends[code]
    early = expires[:size] <= k_at
    early[dropped] = False
    rows = awards.rows
    _refuse(
        np.flatnonzero(early),
        lambda r: (
            f"award {earned_t['id'][r if rows is None else rows[r]]!r} expires on "
            f"{earned_t['expires_on'][r if rows is None else rows[r]]}, which ends before "
            "it was earned"
        ),
        "expiry_before_award",
    )
    del early
    e_member = awards.take(member_of["points_earned"])
    active = np.empty(len(code), dtype=np.int64)  # NaT (no pending) is the smallest int64
    np.maximum(k_at, awards.take(_us(earned_t["pending_until"])), out=active[:size])
    active[size:] = a_at[credit]
    active[dropped] = NEVER
    grant = np.concatenate((awards.take(earned_t["amount"]), adjusted_t["amount"][credit])).astype(
        np.int64, copy=False
    )
    grant[dropped] = 0
    funder = np.concatenate((awards.take(earned_t["funder"]), adjusted_t["funder"][credit]))
    candidates = _Candidates(
        member=np.concatenate((e_member, member_of["points_adjusted"][credit])),
        code=code,
        at=np.concatenate((k_at, a_at[credit])),
        active=active,
        expires=expires,
        grant=grant,
        funder=funder.astype(np.int8, copy=False),
        ends=ends,
        ids=_ids_of((earned_t["id"], rows), (adjusted_t["id"], credit)),
    )
    return candidates, sum_by(e_member, grant[:size], n)


def _sorted_lots(candidates: _Candidates, rows: _I64, n: int) -> tuple[_Lots, NDArray[np.intp]]:
    """The candidates at ``rows`` as lots, and where each lot comes from.

    The lots are sorted by member and consumption order.
    """
    sorted_ = _ordered((candidates.member, candidates.code, candidates.at), candidates.ids, rows)
    source = sorted_.order
    member = sorted_.key(0, candidates.member)
    expires = np.empty(len(source) + 1, dtype=np.int64)
    np.take(candidates.ends, sorted_.key(1, candidates.code), out=expires[:-1])
    expires[-1] = NEVER
    start, count = _segments(member, n)
    lots = _Lots(
        member=member,
        active=_with_spent_lot(candidates.active, source, NEVER),
        expires=expires,
        grant=_with_spent_lot(candidates.grant, source, 0),
        funder=candidates.funder[source],
        start=start,
        end=start + count,
    )
    return lots, source


def _lot_of(source: NDArray[np.intp], size: int, positions: _I64) -> _I64:
    """Where the candidates at ``positions`` stand among the lots sorted from ``source``.

    ``size`` is the number of candidates; those not among the lots get the spent lot,
    ``len(source)``.
    """
    marked = np.zeros(size, dtype=bool)
    marked[positions] = True
    lot = np.flatnonzero(marked[source])
    found = source[lot]
    by = np.argsort(found)
    found, lot = found[by], lot[by]
    if not len(found):
        return np.full(len(positions), len(source), dtype=np.int64)
    at = np.minimum(np.searchsorted(found, positions), len(found) - 1)
    return np.where(found[at] == positions, lot[at], len(source))


def _prepare(
    tables: Tables, member_of: dict[str, _I64], n: int, until: int, zone: dt.tzinfo
) -> _Prepared:
    """Read the entries on or before ``until``: the lots, the events, the reversals' dues."""
    earned_t = tables["points_earned"]
    awards = _awards(tables, member_of, until)
    candidates, earned = _candidates(tables, member_of, awards, n, until, zone)

    adjusted_t = tables["points_adjusted"]
    a_at = _us(adjusted_t["at"])
    a_amount = adjusted_t["amount"].astype(np.int64)
    a_member = member_of["points_adjusted"]
    a_mine = a_at <= until
    credit, debit = a_mine & (a_amount > 0), a_mine & (a_amount < 0)
    adjusted = sum_by(a_member[credit], a_amount[credit], n) - sum_by(
        a_member[debit], -a_amount[debit], n
    )

    # -- the events: redemptions, reversals and debit adjustments, sorted ----------------
    redeemed_t, reversed_t = tables["points_redeemed"], tables["points_reversed"]
    r_at, v_at = _us(redeemed_t["at"]), _us(reversed_t["at"])
    r_rows = np.flatnonzero(r_at <= until)
    v_rows = np.flatnonzero(v_at <= until)
    o_rows = np.flatnonzero(debit)
    parts = (len(r_rows), len(v_rows), len(o_rows))
    member = np.concatenate(
        (
            member_of["points_redeemed"][r_rows],
            member_of["points_reversed"][v_rows],
            a_member[o_rows],
        )
    )
    at = np.concatenate((r_at[r_rows], v_at[v_rows], a_at[o_rows]))
    rank = np.concatenate(
        [
            np.full(size, rank, dtype=np.int8)
            for size, rank in zip(parts, (DEBIT, REVERSE, DEBIT), strict=True)
        ]
    )
    amount = np.concatenate(
        (
            redeemed_t["amount"][r_rows].astype(np.int64),
            np.zeros(len(v_rows), np.int64),
            -a_amount[o_rows],
        )
    )
    redeemed = sum_by(member[: parts[0]], amount[: parts[0]], n)
    sorted_ = _ordered(
        (member, at, rank),
        _ids_of((redeemed_t["id"], r_rows), (reversed_t["id"], v_rows), (adjusted_t["id"], o_rows)),
    )
    ev_member = sorted_.key(0, member)
    ev_at = at[sorted_.order]
    del rank

    # -- reversals: the award each reverses (through duplicates), checked ----------------
    v_member = member[parts[0] : parts[0] + parts[1]]
    v_at = at[parts[0] : parts[0] + parts[1]]
    award = reversed_t["earned"][v_rows].astype(np.int64)
    award = np.where(award < 0, award + len(earned_t), award)
    ok = awards.in_time[award] if len(award) else np.zeros(0, dtype=bool)
    dropped = awards.dropped
    if len(dropped):  # a duplicate award stands for the award it duplicates
        hit = np.minimum(np.searchsorted(dropped, award), len(dropped) - 1)
        alias = dropped[hit] == award
        award[alias] = awards.kept_as[hit[alias]]
    award_at = _us(earned_t["at"])[award]
    bad = ~ok | (member_of["points_earned"][award] != v_member) | (award_at > v_at)
    _refuse(
        np.flatnonzero(bad),
        lambda r: (
            f"reversal {reversed_t['id'][v_rows[r]]!r} reverses award "
            f"{earned_t['id'][reversed_t['earned'][v_rows[r]]]!r}, which its member's ledger "
            f"does not hold at {reversed_t['at'][v_rows[r]]}"
        ),
        "unknown_award",
    )
    position = awards.position(award)  # the lot of each award reversed, among candidates

    # -- the lots some event may touch: active by the member's last event, unexpired at
    # their first, or reversed; the others stay as granted ------------------------------
    new = np.ones(len(ev_member), dtype=bool)
    new[1:] = ev_member[1:] != ev_member[:-1]
    starts = np.flatnonzero(new)
    lasts = np.append(starts[1:], len(ev_member))[: len(starts)] - 1
    first_at = np.full(n, NEVER, dtype=np.int64)
    first_at[ev_member[starts]] = ev_at[starts]
    last_at = np.full(n, _NAT, dtype=np.int64)
    last_at[ev_member[lasts]] = ev_at[lasts]
    touched = candidates.active <= last_at[candidates.member]
    touched &= candidates.expires > first_at[candidates.member]
    touched[position] = True
    lots, source = _sorted_lots(candidates, np.flatnonzero(touched), n)
    reversed_lots, slot = np.unique(position, return_inverse=True)
    return _Prepared(
        candidates=candidates,
        lots=lots,
        idle=np.flatnonzero(~touched),
        ev_member=ev_member,
        ev_pos=sorted_.order,
        ev_at=ev_at,
        amount=amount,
        parts=parts,
        redeemed_ids=redeemed_t["id"][r_rows],
        reversals=_Reversals(
            lot=_lot_of(source, len(touched), position),
            due=_dues(reversed_t, v_rows, v_at, position, candidates.grant),
            slot=slot,
            slots=len(reversed_lots),
            position=position,
        ),
        earned=earned,
        redeemed=redeemed,
        adjusted=adjusted,
    )


def _dues(reversed_t: Any, v_rows: _I64, v_at: _I64, lots_of: _I64, grant: _I64) -> _I64:
    """What each reversal is due to take back.

    It depends only on the earlier reversals of the same award, so it is worked out
    before the rounds.
    """
    due = np.zeros(len(v_rows), dtype=np.int64)
    if not len(v_rows):
        return due
    top = reversed_t["share_numerator"][v_rows].astype(np.int64)
    bottom = reversed_t["share_denominator"][v_rows].astype(np.int64)
    by_amount = np.where(top < 0, reversed_t["amount"][v_rows].astype(np.int64), 0)
    order = _ordered((lots_of, v_at), lambda r: reversed_t["id"][v_rows[r]]).order
    lots_sorted = lots_of[order]
    alone = np.ones(len(order), dtype=bool)
    alone[1:] &= lots_sorted[1:] != lots_sorted[:-1]
    alone[:-1] &= lots_sorted[:-1] != lots_sorted[1:]
    single = order[alone]
    due[single] = reversal_targets(
        grant[lots_of[single]],
        np.maximum(top[single], 0),
        np.where(top[single] < 0, 1, bottom[single]),
        by_amount[single],
    )
    multi = order[~alone]  # awards reversed more than once, in order award by award
    if len(multi):
        due[multi] = _repeated_dues(
            grant[lots_of[multi]], lots_of[multi], top[multi], bottom[multi], by_amount[multi]
        )
    return due


def _repeated_dues(grant: _I64, award: _I64, top: _I64, bottom: _I64, by_amount: _I64) -> _I64:
    """The dues of the reversals of awards reversed more than once, in order award by award.

    Each is the target of the award's reversals so far less the target before it. Shares
    add up exactly over their common denominator where it is small (the targets then one
    ``reversal_targets``), and as fractions elsewhere.
    """
    m = len(award)
    new = np.ones(m, dtype=bool)
    new[1:] = award[1:] != award[:-1]
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    share = top >= 0
    num, den = np.where(share, top, 0), np.where(share, bottom, 1)
    small = (den >= 1) & (den <= _SMALL_DENOMINATOR) & (num <= den)
    sizes = np.diff(np.append(starts, m))
    fast = (np.logical_and.reduceat(small, starts) & (sizes <= _SMALL_GROUP))[group]
    den = np.where(fast, den, 1)
    common = np.lcm.reduceat(den, starts)[group]
    targets = reversal_targets(
        grant,
        _running_sums(np.where(fast, num * (common // den), 0), starts, group),
        common,
        _running_sums(by_amount, starts, group),
    )
    due = targets - np.concatenate(([0], targets[:-1]))
    due[new] = targets[new]
    previous: dict[int, tuple[Fraction, int, int]] = {}
    for i in np.flatnonzero(~fast).tolist():
        got_shares, got_amounts, before = previous.get(int(award[i]), (Fraction(0), 0, 0))
        if top[i] >= 0:
            got_shares += Fraction(int(top[i]), int(bottom[i]))
        else:
            got_amounts += int(by_amount[i])
        target = reversal_target(int(grant[i]), got_shares, got_amounts)
        due[i] = target - before
        previous[int(award[i])] = (got_shares, got_amounts, target)
    return due


def _running_sums(values: _I64, starts: _I64, group: _I64) -> _I64:
    """Cumulative sums of ``values`` within groups of consecutive rows."""
    total = np.cumsum(values)
    return total - (total[starts] - values[starts])[group]


def _first_events(prep: _Prepared) -> _Events:
    """Every member's events in rounds, without activations (they repay debt only)."""
    by_step, bounds = _rounds_of(prep.ev_member)
    pos = prep.ev_pos[by_step]
    kind, row = prep.kinds(pos)
    return _Events(
        member=prep.ev_member[by_step],
        at=prep.ev_at[by_step],
        kind=kind,
        amount=prep.amount[pos],
        row=row,
        bounds=bounds,
        repays=False,
    )


def _unnamed(rows: NDArray[np.intp]) -> NDArray[Any]:
    """Ids for rows whose keys never tie in full (or whose order in a tie is moot)."""
    return rows


def _again(
    prep: _Prepared, owing: NDArray[np.bool_], n: int, until: int, *, from_any_debit: bool
) -> tuple[_Lots, _Events, _Reversals]:
    """All the lots and the events of the members ``owing``, with activations.

    Activations repay debt; they run from the member's first reversal or debit
    adjustment on, and with ``from_any_debit`` from their first redemption too.
    """
    candidates = prep.candidates
    mine, source = _sorted_lots(candidates, np.flatnonzero(owing[candidates.member]), n)
    member = mine.member

    chosen = np.flatnonzero(owing[prep.ev_member])
    pos = prep.ev_pos[chosen]
    ev_member = prep.ev_member[chosen]
    kind, row = prep.kinds(pos)
    at = prep.ev_at[chosen]
    first_owe = np.full(n, NEVER, dtype=np.int64)
    counted = np.ones(len(pos), dtype=bool) if from_any_debit else kind != 0
    np.minimum.at(first_owe, ev_member[counted], at[counted])
    due = np.flatnonzero((mine.active[:-1] >= first_owe[member]) & (mine.active[:-1] <= until))
    act_member, act_at = member[due], mine.active[due]
    by = _ordered((act_member, act_at), _unnamed).order
    act_member, act_at = act_member[by], act_at[by]
    new = np.ones(len(by), dtype=bool)
    new[1:] = (act_member[1:] != act_member[:-1]) | (act_at[1:] != act_at[:-1])
    act_member, act_at = act_member[new], act_at[new]

    n_act = len(act_member)
    ev_member = np.concatenate((ev_member, act_member))
    at = np.concatenate((at, act_at))
    kind = np.concatenate((kind, np.full(n_act, 3, dtype=np.int8)))
    rank = np.array([DEBIT, REVERSE, DEBIT, ACTIVATE])[kind]
    seq = np.concatenate((np.arange(len(pos)), np.zeros(n_act, np.int64)))  # as they were
    order = _ordered((ev_member, at, rank, seq), _unnamed).order
    by_step, bounds = _rounds_of(ev_member[order])
    order = order[by_step]
    events = _Events(
        member=ev_member[order],
        at=at[order],
        kind=kind[order],
        amount=np.concatenate((prep.amount[pos], np.zeros(n_act, np.int64)))[order],
        row=np.concatenate((row, np.full(n_act, -1, np.int64)))[order],
        bounds=bounds,
        repays=n_act > 0,
    )
    lots_of = _lot_of(source, len(candidates.member), prep.reversals.position)
    return mine, events, attrs.evolve(prep.reversals, lot=lots_of)


_Refusal = Callable[[_I64, _I64, _I64], None]


def _rounds(
    lots: _Lots,
    ev: _Events,
    reversals: _Reversals,
    n: int,
    refuse: _Refusal | None = None,
) -> tuple[_I64, _I64, _I64, NDArray[np.bool_]]:
    """Apply the events round by round.

    Each debit looks first at the two lots from its member's first live lot (plain
    columns, no segments), then, if they do not cover it (rarely), at the member's other
    lots in order. ``refuse`` is called with the rows, amounts and points got of the
    redemptions of a round that fall short.

    Returns what is left of each lot, each member's debt and points reversed, and the
    members who fell short (owed points) at some point.
    """
    spent_lot = len(lots.member)
    remaining = lots.grant.copy()
    active, expires = lots.active, lots.expires
    head = lots.start.copy()  # each member's first lot neither spent nor expired (so far)
    reversed_total = np.zeros(n, dtype=np.int64)
    debt = np.zeros(n, dtype=np.int64)
    short = np.zeros(n, dtype=bool)
    taken_back = np.zeros(reversals.slots, dtype=np.int64)  # by lot reversed
    charged_so_far = np.zeros(reversals.slots, dtype=np.int64)
    for k in range(len(ev.bounds) - 1):
        round_ = slice(int(ev.bounds[k]), int(ev.bounds[k + 1]))
        member, t, kind = ev.member[round_], ev.at[round_], ev.kind[round_]
        need = ev.amount[round_].copy()
        back = np.flatnonzero(kind == 1)
        if len(back):  # reversals: from the award's own lot, then charge what was spent
            rows = ev.row[round_][back]
            lot, due, slot = reversals.lot[rows], reversals.due[rows], reversals.slot[rows]
            held = np.where(expires[lot] > t[back], remaining[lot], 0)
            taken = np.minimum(due, held)
            remaining[lot] -= taken
            taken_back[slot] += taken
            spent = lots.grant[lot] - remaining[lot] - taken_back[slot]
            charged = np.minimum(due - taken, spent - charged_so_far[slot])
            charged_so_far[slot] += charged
            reversed_total[member[back]] += taken + charged
            need[back] = charged
        repay = np.flatnonzero(kind == 3) if ev.repays else None  # noqa: PLR2004 - activation
        if repay is not None:
            need[repay] = debt[member[repay]]
        # the two lots from the member's first live one (the spent lot if none), then
        # (rarely) the rest
        first = head[member]
        left = lots.end[member] - first
        lot0 = first + (left < 1) * (spent_lot - first)  # (arithmetic: np.where is slower)
        lot1 = first + 1 + (left < 2) * (spent_lot - first - 1)  # noqa: PLR2004
        left0, left1 = remaining[lot0], remaining[lot1]
        ends0, ends1 = expires[lot0], expires[lot1]
        take0 = np.minimum(need, left0 * ((active[lot0] <= t) & (ends0 > t)))
        rest = need - take0
        take1 = np.minimum(rest, left1 * ((active[lot1] <= t) & (ends1 > t)))
        rest -= take1
        left0 -= take0
        left1 -= take1
        remaining[lot0] = left0
        remaining[lot1] = left1
        more = np.flatnonzero((rest > 0) & (left > 2))  # noqa: PLR2004 - the two looked at
        if len(more):
            idx, take, got, _ = _takes(
                first[more] + 2, left[more] - 2, t[more], rest[more], active, expires, remaining
            )
            remaining[idx] -= take
            rest[more] -= got
        # a lot spent or expired stays so (the member's time only moves on)
        dead0 = (left > 0) & ((left0 == 0) | (ends0 <= t))
        head[member] = first + dead0 + (dead0 & (left > 1) & ((left1 == 0) | (ends1 <= t)))
        if refuse is not None:
            over = np.flatnonzero((kind == 0) & (rest > 0))
            if len(over):
                refuse(ev.row[round_][over], need[over], need[over] - rest[over])
        if repay is not None:  # a repayment takes what it can; the rest stays owed
            change = rest.copy()
            change[repay] = rest[repay] - need[repay]
            rest[repay] = 0
            debt[member] += change
        else:
            lacking = np.flatnonzero(rest)
            debt[member[lacking]] += rest[lacking]
        short[member[rest > 0]] = True
    return remaining, debt, reversed_total, short


def _totals(lots: _Lots, remaining: _I64, n: int, until: int, horizon: int) -> _I64:
    """Each member's points in the lots, one row for each figure.

    The points held, available, expiring by ``horizon``, left (held or expired), and held
    for each funder but the last.
    """
    size = len(lots.member)
    some = lots.end > lots.start
    starts = lots.start[some]

    def total(values: _I64) -> _I64:  # by member, exactly (the lots are by member)
        out = np.zeros(n, dtype=np.int64)
        if size:
            out[some] = np.add.reduceat(values, starts)
        return out

    return _sums(
        total,
        remaining[:size],
        lots.active[:size],
        lots.expires[:size],
        lots.funder,
        until,
        horizon,
    )


def _idle_totals(candidates: _Candidates, rows: _I64, n: int, until: int, horizon: int) -> _I64:
    """``_totals`` of the candidates at ``rows``, untouched (their points as granted)."""
    member = candidates.member[rows]
    grant = candidates.grant[rows]
    exact = int(grant.sum(dtype=np.float64)) < _EXACT_FLOAT  # the grants are not negative

    def total(values: _I64) -> _I64:
        if exact:  # every partial sum below 2**53, where float64 holds integers exactly
            return np.bincount(member, values, minlength=n).astype(np.int64)
        return sum_by(member, values, n)

    return _sums(
        total,
        grant,
        candidates.active[rows],
        candidates.expires[rows],
        candidates.funder[rows],
        until,
        horizon,
    )


def _sums(
    total: Callable[[_I64], _I64],
    left: _I64,
    active: _I64,
    expires: _I64,
    funder: NDArray[np.int8],
    until: int,
    horizon: int,
) -> _I64:
    held = left * (expires > until)
    part = np.empty_like(held)  # one buffer for the masked parts (fewer fresh pages)
    sums = [total(held), total(np.multiply(held, active <= until, out=part))]
    sums += [total(np.multiply(held, expires <= horizon, out=part)), total(left)]
    sums += [total(np.multiply(held, funder == i, out=part)) for i in range(len(_FUNDERS) - 1)]
    return np.stack(sums)
