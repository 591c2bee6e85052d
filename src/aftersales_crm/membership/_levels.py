"""Member levels: qualifying value apart from spendable points, windows, promotion and grace.

A level rule reads [`Qualifying`][aftersales_crm.membership.Qualifying] value (points earned, or spend: never redemptions,
so spending points never lowers a level) and folds it, day by day in the programme's time
zone, into each member's level at ``as_of`` and every level change before it, with its
reason ([`Levels`][aftersales_crm.membership.Levels], [`LevelChanges`][aftersales_crm.membership.LevelChanges]). A promotion takes effect the day the
qualifying value reaches a level's threshold; a downgrade only at the end of a grace
period during which the value stayed below the member's level. The fold is columnar: all
members at once, over the days their value changes (``_fold``), with no Python loop per
member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, positions, to_time_zone, whole_number
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import (
    Constraint,
    LengthOf,
    Names,
    Numbers,
    OneOf,
    TimeZone,
    Whole,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, add_months, business_dates
from aftersales_crm.membership._earning import Awards
from aftersales_crm.segmentation._levels import LEVEL_NAMES, names_zh
from aftersales_crm.values import Lang

__all__ = ["LevelChanges", "Levels", "Qualifying", "QualifyingLevels", "value_levels"]

_NAT: Final = np.iinfo(np.int64).min
_WINDOWS: Final = ("rolling_12_months", "calendar_year")
_CHANGE_FIELDS: Final = 6


def _read_only(values: Any, dtype: Any, what: str) -> NDArray[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, np.ndarray | list | tuple):
        msg = f"{what}: expected an array, got {type(values).__name__}"
        raise InvalidValue(msg, code="invalid_argument")
    try:
        out = np.array(values, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        msg = f"{what}: {exc}"
        raise InvalidValue(msg, code="invalid_argument") from None
    if out.ndim != 1:
        msg = f"{what}: expected one value per row, got shape {out.shape}"
        raise InvalidValue(msg, code="invalid_argument")
    out.flags.writeable = False
    return out


def _member_ids(values: Any) -> NDArray[np.str_]:
    return _read_only(values, np.str_, "Qualifying member_id")


def _source_ids(values: Any) -> NDArray[np.str_]:
    return _read_only(values, np.str_, "Qualifying source_id")


def _at(values: Any) -> NDArray[np.datetime64]:
    return _read_only(values, "datetime64[us]", "Qualifying at")


def _values(values: Any) -> NDArray[np.int64]:
    return _read_only(values, np.int64, "Qualifying value")


@attrs.frozen(eq=False, repr=False)
class Qualifying(Displayed):
    """Qualifying value: what counts towards a member's level, one row per source.

    Kept apart from spendable points: a redemption is not a qualifying fact, so spending
    points never lowers a level. Build it from the points earned
    ([`from_awards`][aftersales_crm.membership.Qualifying.from_awards]) or from any measure (spend in fen, visits) with
    [`from_columns`][aftersales_crm.membership.Qualifying.from_columns].

    Attributes:
        member_id: text array.
        source_id: text array: what the value came from; a source counts once.
        at: ``datetime64[us]`` array: when, in UTC.
        value: int64 array: the qualifying value (points, fen…).

    Examples:
        >>> q = Qualifying.from_columns(member_id=["M1", "M1"], source_id=["a", "b"],
        ...     at=["2026-01-05T02:00", "2026-03-01T02:00"], value=[3000, 4000])
        >>> len(q), int(q.value.sum())
        (2, 7000)
    """

    member_id: NDArray[np.str_] = attrs.field(converter=_member_ids)
    source_id: NDArray[np.str_] = attrs.field(converter=_source_ids)
    at: NDArray[np.datetime64] = attrs.field(converter=_at)
    value: NDArray[np.int64] = attrs.field(converter=_values)

    def __attrs_post_init__(self) -> None:
        lengths = {len(self.member_id), len(self.source_id), len(self.at), len(self.value)}
        if len(lengths) > 1:
            msg = (
                f"Qualifying columns differ in length: {len(self.member_id)} member_id,"
                f" {len(self.source_id)} source_id, {len(self.at)} at, {len(self.value)} value"
            )
            raise InvalidValue(msg, code="column_length")

    @classmethod
    def from_columns(cls, *, member_id: Any, source_id: Any, at: Any, value: Any) -> Qualifying:
        """Qualifying value from array-likes (texts; ISO texts or UTC ``datetime64``; ints).

        Examples:
            >>> Qualifying.from_columns(member_id=["M1"], source_id=["a"], at=["x"], value=[1])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: Qualifying at: ...
        """
        return cls(member_id=member_id, source_id=source_id, at=at, value=value)

    @classmethod
    def from_awards(cls, awards: Awards) -> Qualifying:
        """The points earned as qualifying value (qualifying points), one row per award.

        Examples:
            >>> len(Qualifying.from_awards(Awards.empty()))
            0
        """
        given: object = awards  # typed, but callers may pass anything
        if not isinstance(given, Awards):
            msg = f"from_awards takes Awards, not {type(given).__name__}"
            raise InvalidValue(msg, code="invalid_argument")
        return cls(awards.member_id, awards.source_id, awards.at, awards.amount)

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.source_id)

    def take(self, rows: NDArray[np.intp]) -> Qualifying:
        """The rows at positions ``rows``.

        Examples:
            >>> q = Qualifying.from_columns(member_id=["M1", "M2"], source_id=["a", "b"],
            ...     at=["2026-01-05T02:00", "2026-03-01T02:00"], value=[3000, 4000])
            >>> q.take(np.array([1])).member_id.tolist()
            ['M2']
        """
        rows = positions(rows, len(self))
        return Qualifying(
            self.member_id[rows], self.source_id[rows], self.at[rows], self.value[rows]
        )

    def to_pandas(self) -> Any:
        """A DataFrame, one row per source: member, source, when (UTC) and value (``pandas`` extra).

        Examples:
            >>> q = Qualifying.from_columns(member_id=["M1"], source_id=["a"],
            ...     at=["2026-01-05T02:00"], value=[3000])
            >>> q.to_pandas().columns.tolist()
            ['member_id', 'source_id', 'at', 'value']
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            {
                "member_id": self.member_id,
                "source_id": self.source_id,
                "at": self.at,
                "value": self.value,
            }
        )


@attrs.frozen(eq=False, repr=False)
class LevelChanges(Displayed):
    """Level changes, derived from the qualifying value: one row per change, with its reason.

    Attributes:
        member_id: text array.
        on: ``datetime64[D]`` array: the day the change takes effect (programme time zone).
        from_level: text array: the level before (``""`` for a member's first level).
        to_level: text array: the level after.
        reason: text array: why, in words, with the value and threshold.
        value: int64 array: the qualifying value that day.

    Examples:
        >>> LevelChanges.empty().rows()
        []
    """

    member_id: NDArray[np.str_]
    on: NDArray[np.datetime64]
    from_level: NDArray[np.str_]
    to_level: NDArray[np.str_]
    reason: NDArray[np.str_]
    value: NDArray[np.int64]

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, dt.date, str, str, str, int]]) -> LevelChanges:
        """Changes from ``(member_id, on, from_level, to_level, reason, value)`` tuples.

        Examples:
            >>> LevelChanges.from_rows([("M1", dt.date(2026, 1, 5), "", "gold", "r", 5)]).rows()[0][3]
            'gold'
        """
        given: object = rows
        if not isinstance(given, list | tuple) or not all(
            isinstance(row, tuple) and len(row) == _CHANGE_FIELDS for row in rows
        ):
            msg = "LevelChanges.from_rows takes a list of 6-tuples (member_id, on, from, to, reason, value)"
            raise InvalidValue(msg, code="invalid_argument")
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[]] * _CHANGE_FIELDS
        return cls(
            member_id=_read_only(columns[0], np.str_, "member_id"),
            on=_read_only(columns[1], "datetime64[D]", "on"),
            from_level=_read_only(columns[2], np.str_, "from_level"),
            to_level=_read_only(columns[3], np.str_, "to_level"),
            reason=_read_only(columns[4], np.str_, "reason"),
            value=_read_only(columns[5], np.int64, "value"),
        )

    @classmethod
    def empty(cls) -> LevelChanges:
        """No changes."""
        return cls.from_rows([])

    def __len__(self) -> int:
        """Number of changes."""
        return len(self.member_id)

    def __eq__(self, other: object) -> bool:
        """Same changes, row by row."""
        if not isinstance(other, LevelChanges):
            return NotImplemented
        return self.rows() == other.rows()

    def __hash__(self) -> int:
        """Hash by the number of changes."""
        return hash(len(self))

    def to_pandas(self) -> Any:
        """A DataFrame, one row per change, in member then day order (``pandas`` extra).

        Examples:
            >>> LevelChanges.from_rows([("M1", dt.date(2026, 1, 5), "", "gold", "r", 5)]).to_pandas().loc[0, "to_level"]
            'gold'
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            {
                "member_id": self.member_id,
                "on": self.on,
                "from_level": self.from_level,
                "to_level": self.to_level,
                "reason": self.reason,
                "value": self.value,
            }
        )

    def rows(self) -> list[tuple[str, dt.date, str, str, str, int]]:
        """The changes as plain tuples, in member then day order.

        Examples:
            >>> LevelChanges.empty().rows()
            []
        """
        return [
            (str(m), on.astype(dt.date), str(a), str(b), str(r), int(v))
            for m, on, a, b, r, v in zip(
                self.member_id,
                self.on,
                self.from_level,
                self.to_level,
                self.reason,
                self.value,
                strict=True,
            )
        ]


@attrs.frozen(eq=False, repr=False)
class Levels(Displayed):
    """Each member's level at ``as_of`` and the changes that led there.

    Attributes:
        ids: text array of the member ids, sorted.
        labels: the level of each member, aligned with ``ids``.
        value: int64 array: each member's qualifying value on ``as_of``.
        changes: every level change up to ``as_of``.
        as_of: the day the levels are for.

    Examples:
        >>> q = Qualifying.from_columns(member_id=["M1"], source_id=["a"],
        ...     at=["2026-03-01T02:00"], value=[6000])
        >>> levels = QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 30))
        >>> levels.level_of("M1"), levels.changes.rows()[0][4]
        ('gold', 'qualifying value 6000 reached gold (5000)')
    """

    ids: NDArray[np.str_]
    labels: Labels
    value: NDArray[np.int64]
    changes: LevelChanges
    as_of: dt.date

    def __len__(self) -> int:
        """Number of members."""
        return len(self.ids)

    def __eq__(self, other: object) -> bool:
        """Same members, levels, values, changes and day."""
        if not isinstance(other, Levels):
            return NotImplemented
        return (
            np.array_equal(self.ids, other.ids)
            and self.labels == other.labels
            and np.array_equal(self.value, other.value)
            and self.changes == other.changes
            and self.as_of == other.as_of
        )

    def __hash__(self) -> int:
        """Hash by the number of members and the day."""
        return hash((len(self), self.as_of))

    def level_of(self, member_id: str) -> str | None:
        """The level of one member (None for a member without a level).

        Raises:
            InvalidValue: the member is not among the ids.
        """
        at = int(np.searchsorted(self.ids, member_id))
        if at >= len(self.ids) or self.ids[at] != member_id:
            msg = f"member {member_id!r} is not among the {len(self.ids)} members"
            raise InvalidValue(msg, code="unknown_member")
        found = self.labels.values()[at]
        return None if found is None else str(found)

    def to_pandas(self, lang: Lang = "en") -> Any:
        """A DataFrame indexed by member id: the ``level`` and the qualifying ``value``.

        The level is an ordered categorical of the level names in ``lang``, highest
        first, NaN for a member without a level (needs the ``pandas`` extra).

        Examples:
            >>> q = Qualifying.from_columns(member_id=["M1", "M2"], source_id=["a", "b"],
            ...     at=["2026-03-01T02:00", "2026-03-01T02:00"], value=[6000, 10])
            >>> frame = QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 30)).to_pandas("zh")
            >>> frame.loc["M1", "level"], frame.index.name, frame["level"].cat.ordered
            ('黄金', 'member_id', True)
        """
        pd = require("pandas", extra="pandas")
        level = self.labels.to_pandas(lang)
        return pd.DataFrame(
            {"level": level.array, "value": self.value},
            index=pd.Index(self.ids.astype(object), name="member_id"),
        )

    def take(self, rows: NDArray[np.intp]) -> Levels:
        """The members at positions ``rows``, with every change (for a look at a few).

        Examples:
            >>> q = Qualifying.from_columns(member_id=["M1", "M2"], source_id=["a", "b"],
            ...     at=["2026-03-01T02:00", "2026-03-01T02:00"], value=[6000, 10])
            >>> QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 30)).take(np.array([1])).ids.tolist()
            ['M2']
        """
        rows = positions(rows, len(self))
        return attrs.evolve(
            self, ids=self.ids[rows], labels=self.labels.take(rows), value=self.value[rows]
        )

    def counts(self) -> dict[str, int]:
        """Members per level, highest first.

        Examples:
            >>> QualifyingLevels().levels(Qualifying.from_columns(member_id=[], source_id=[],
            ...     at=[], value=[]), as_of=dt.date(2026, 6, 30), members=["M1"]).counts()
            {'silver': 1}
        """
        return self.labels.counts()


class QualifyingLevels(BasePolicy):
    """Member levels from qualifying value in a window, immediate promotion, graceful downgrade.

    A member's *earned* level on a day is the highest level whose threshold their
    qualifying value in the window reaches (``window``: the trailing 12 months, or the
    calendar year so far). Their level rises to the earned level that day (promotion is
    immediate). When the earned level falls below their level, a grace period of
    ``grace_months`` starts; if the value has not come back by its end, the member goes
    down to the level earned that day; if it has, nothing changes. Each change is a row of
    [`LevelChanges`][aftersales_crm.membership.LevelChanges] with its reason.

    The level follows the material's member-level update, "会员级别更新(依据忠诚度级别和消费累计)"
    (update the member level by loyalty and cumulative spend, 《信息回访员基础培训分析报告》),
    and the value classes of 《斯柯达车友汇客户关爱总监培训教材》 ("钻石级客户 白金级客户
    黄金级客户"). Thresholds, window and grace are the library's choices (the material gives
    none), explained at the class attributes.

    Attributes:
        names: the levels, highest first (default diamond, platinum, gold, silver).
        thresholds: the qualifying value each level needs, strictly decreasing, one per
            name (default 50,000 / 20,000 / 5,000 / 0).
        window: ``"rolling_12_months"`` (default) or ``"calendar_year"``.
        grace_months: months a member keeps a level the value no longer reaches
            (default 3).
        time_zone: the programme's time zone, for days (default ``Asia/Shanghai``).

    Examples:
        >>> q = Qualifying.from_columns(member_id=["M1", "M1"], source_id=["a", "b"],
        ...     at=["2025-01-10T02:00", "2025-02-10T02:00"], value=[4000, 2000])
        >>> levels = QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 30))
        >>> [(str(on), a, b) for _, on, a, b, _, _ in levels.changes.rows()]
        [('2025-01-10', '', 'silver'), ('2025-02-10', 'silver', 'gold'), ('2026-04-10', 'gold', 'silver')]
    """

    kind: ClassVar[PolicyKind] = "level"
    population_relative: ClassVar[bool] = False

    THRESHOLDS: ClassVar[tuple[int, ...]] = (50_000, 20_000, 5_000, 0)
    """Diamond 50,000, platinum 20,000, gold 5,000 qualifying points a window, silver for
    every member: the library's choice. With the default one point per yuan of customer
    pay, gold is about two maintenance visits and a repair a year, diamond the spend of a
    heavy user; silver at 0 means every member has a level."""

    WINDOW: ClassVar[str] = "rolling_12_months"
    """The trailing 12 months: the library's choice, the period of the material's value
    model spend ("时间段的总费用") as the features measure it, and the window that has no
    year-end cliff."""

    GRACE_MONTHS: ClassVar[int] = 3
    """Three months of grace before a downgrade: the library's choice (Antavo's tiers have
    a grace period; the material has none): a member who misses a threshold by a late
    service visit keeps their level."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "names": Names(count=LengthOf("thresholds")),
        "thresholds": Numbers(order="decreasing", whole=True),
        "window": OneOf(_WINDOWS),
        "grace_months": Whole(low=0, high=120),
        "time_zone": TimeZone(),
    }

    def __init__(
        self,
        *,
        names: tuple[str, ...] = LEVEL_NAMES,
        thresholds: tuple[int, ...] = THRESHOLDS,
        window: str = WINDOW,
        grace_months: int = GRACE_MONTHS,
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> None:
        self.names = names
        self.thresholds = thresholds
        self.window = window
        self.grace_months = grace_months
        self.time_zone = time_zone

    def levels(
        self,
        qualifying: Qualifying,
        *,
        as_of: dt.date | str,
        members: Sequence[str] | None = None,
    ) -> Levels:
        """Each member's level on ``as_of``, and every change up to it.

        Args:
            qualifying: the qualifying value; a source id counts once, facts after
                ``as_of`` do not count.
            as_of: the day.
            members: member ids to give a level even without qualifying value (the
                lowest level, if its threshold is 0); the members with value are always in.

        Returns:
            [`Levels`][aftersales_crm.membership.Levels] sorted by member id.

        Raises:
            InvalidValue: a parameter breaks its constraint, or one source arrives twice
                with different values.

        Examples:
            >>> q = Qualifying.from_columns(member_id=["M2"], source_id=["a"],
            ...     at=["2026-06-01T02:00"], value=[25000])
            >>> QualifyingLevels(window="calendar_year").levels(q, as_of="2026-06-30").counts()
            {'platinum': 1}
        """
        params = validate_params(self)
        day = as_of_date(as_of)
        given: object = qualifying  # typed, but callers may pass anything
        if not isinstance(given, Qualifying):
            msg = f"levels reads Qualifying value, not {type(given).__name__}"
            raise InvalidValue(msg, code="invalid_argument")
        zone = to_time_zone(self.time_zone)
        rows = _unique_sources(qualifying)
        days = business_dates(qualifying.at[rows], zone).view(np.int64)
        ends = _day(day)
        keep = (days <= ends) & (days != _NAT)
        rows, days = rows[keep], days[keep]
        member = qualifying.member_id[rows]
        value = qualifying.value[rows]
        ids = np.unique(np.concatenate([member, np.asarray(list(members or ()), dtype=np.str_)]))
        if params["window"] == "rolling_12_months":
            leaves = add_months(days.view("datetime64[D]"), 12).view(np.int64)
        else:
            year = days.view("datetime64[D]").astype("datetime64[Y]") + 1
            leaves = year.astype("datetime64[D]").view(np.int64)
        who = np.searchsorted(ids, member)
        codes, values, changes = _fold(who, days, leaves, value, len(ids), ends, params)
        names = params["names"]
        untyped: Any = tuple(names)
        return Levels(
            ids=ids,
            labels=Labels(
                codes, untyped, names_zh(names), ids=ids, name=self.short_name, key="member_id"
            ),
            value=values,
            changes=_changes(ids, changes, params),
            as_of=day,
        )


def _earned(totals: NDArray[np.int64], thresholds: NDArray[np.int64]) -> NDArray[np.int64]:
    """The level code each total earns: the first (highest) threshold it reaches, else -1."""
    above = len(thresholds) - np.searchsorted(thresholds[::-1], totals, side="right")
    return np.where(above < len(thresholds), above, -1).astype(np.int64)


_PROMOTED, _SHORT, _GRACE_ENDED = 0, 1, 2
"""Why a level changed: the value reached a higher level; it fell short with no grace;
the grace period ended with the value still short."""


@attrs.frozen
class _Changes:
    """Level changes as columns (member number, day, from, to, why, value, since, order)."""

    member: NDArray[np.int64]
    day: NDArray[np.int64]
    old: NDArray[np.int64]
    new: NDArray[np.int64]
    why: NDArray[np.int64]
    value: NDArray[np.int64]
    since: NDArray[np.int64]
    step: NDArray[np.int64]


def _fold(
    member: NDArray[np.intp],
    days: NDArray[np.int64],
    leaves: NDArray[np.int64],
    value: NDArray[np.int64],
    n: int,
    end: int,
    params: Mapping[str, Any],
) -> tuple[NDArray[np.int16], NDArray[np.int64], _Changes]:
    """Every member's level on ``end`` and every change, folded over all members at once.

    A member's qualifying value changes only on the days a fact enters or leaves the
    window (the *points*); between points it is constant. The fold walks the points in
    rounds: round ``j`` takes the ``j``-th point of every member who has one (members
    sorted by their number of points, so those are a prefix), first ending any grace
    period that ran out in the gap before it (at the value of the point before), then
    comparing the level earned that day with the member's level. Each round is a few
    array operations over the members still going.
    """
    thresholds = np.asarray([int(t) for t in params["thresholds"]], dtype=np.int64)
    grace = int(params["grace_months"])
    # the points: +value the day a fact counts, -value the day it leaves; totals per day
    at = np.concatenate((days, leaves))
    who = np.concatenate((member, member))
    delta = np.concatenate((value, -value))
    order = np.lexsort((at, who))
    at, who, delta = at[order], who[order], delta[order]
    # every fact enters and leaves, so the running sum is back at 0 after each member
    running = np.cumsum(delta)
    last = np.ones(len(at), dtype=bool)  # the last row of each (member, day)
    last[:-1] = (who[1:] != who[:-1]) | (at[1:] != at[:-1])
    keep = last & (at <= end)
    p_day, p_who, p_total = at[keep], who[keep], running[keep]
    p_earned = _earned(p_total, thresholds)
    p_grace_end = add_months(p_day.view("datetime64[D]"), grace).view(np.int64)
    counts = np.bincount(p_who, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    # members by their number of points, most first: round j's members are a prefix
    rank = np.argsort(-counts, kind="stable")
    rounds = int(counts.max(initial=0))
    going = np.searchsorted(-counts[rank], -np.arange(rounds), "left")  # how many have > j
    level = np.full(n, -1, dtype=np.int64)
    pend_end = np.full(n, _NAT, dtype=np.int64)
    pend_since = np.full(n, _NAT, dtype=np.int64)
    last_total = np.zeros(n, dtype=np.int64)
    last_earned = _earned(np.zeros(n, dtype=np.int64), thresholds)
    parts: list[tuple[NDArray[Any], ...]] = []

    def change(
        rows: NDArray[Any],
        on: NDArray[Any],
        new: NDArray[Any],
        why: int,
        amount: NDArray[Any],
        step: int,
    ) -> None:
        parts.append(
            (
                rows,
                on,
                level[rows],
                new,
                np.full(len(rows), why),
                amount,
                pend_since[rows],
                np.full(len(rows), step),
            )
        )
        level[rows] = new
        pend_end[rows] = _NAT
        pend_since[rows] = _NAT

    for j in range(rounds):
        rows = rank[: going[j]]  # the members with a j-th point
        point = starts[rows] + j
        on, earned, amount = p_day[point], p_earned[point], p_total[point]
        # a grace period that ended in the gap before this point, at the value before it
        ran_out = (pend_end[rows] != _NAT) & (pend_end[rows] < on)
        out = rows[ran_out]
        change(out, pend_end[out], last_earned[out], _GRACE_ENDED, last_total[out], 2 * j)
        # the point itself
        mine = level[rows]
        counted = ~((mine < 0) & (earned < 0))
        up = counted & ((mine < 0) | ((earned >= 0) & (earned < mine)))
        change(rows[up], on[up], earned[up], _PROMOTED, amount[up], 2 * j + 1)
        same = counted & ~up & (earned == mine)
        pend_end[rows[same]] = _NAT
        pend_since[rows[same]] = _NAT
        short = counted & ~up & ~same
        waiting = pend_end[rows] != _NAT
        if grace == 0:
            now = short
            change(rows[now], on[now], earned[now], _SHORT, amount[now], 2 * j + 1)
        else:
            fresh = short & ~waiting
            pend_since[rows[fresh]] = on[fresh]
            pend_end[rows[fresh]] = p_grace_end[point[fresh]]
            ends_now = short & waiting & (pend_end[rows] == on)
            change(
                rows[ends_now],
                on[ends_now],
                earned[ends_now],
                _GRACE_ENDED,
                amount[ends_now],
                2 * j + 1,
            )
        last_total[rows], last_earned[rows] = amount, earned
    # a grace period that ends after a member's last point, by the end
    out = np.flatnonzero((pend_end != _NAT) & (pend_end <= end))
    change(out, pend_end[out], last_earned[out], _GRACE_ENDED, last_total[out], 2 * rounds)
    quiet = counts == 0  # no value at all: the level 0 earns, and no change
    level[quiet] = last_earned[quiet]
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)]  # parts is never empty
    return level.astype(np.int16), last_total, _Changes(*columns)


def _changes(ids: NDArray[np.str_], found: _Changes, params: Mapping[str, Any]) -> LevelChanges:
    """The changes in member then day order, with their reasons in words."""
    names: tuple[str, ...] = tuple(params["names"])
    thresholds = [int(t) for t in params["thresholds"]]
    grace = int(params["grace_months"])
    order = np.lexsort((found.step, found.member))
    old, new, amount = found.old[order], found.new[order], found.value[order]
    since = found.since[order].view("datetime64[D]").astype(str).tolist()
    label = np.array([*names, ""], dtype=np.str_)  # code -1 is no level
    reasons = []
    for why, was, now, value, day in zip(
        found.why[order].tolist(), old.tolist(), new.tolist(), amount.tolist(), since, strict=True
    ):
        if why == _PROMOTED:
            reasons.append(f"qualifying value {value} reached {names[now]} ({thresholds[now]})")
            continue
        reason = f"qualifying value {value} below {names[was]} ({thresholds[was]})"
        if why == _GRACE_ENDED:
            reason += f" since {day}; {grace} months of grace ended"
        reasons.append(reason)

    def frozen(values: NDArray[Any]) -> NDArray[Any]:
        values.flags.writeable = False
        return values

    return LevelChanges(
        member_id=frozen(ids[found.member[order]]),
        on=frozen(found.day[order].view("datetime64[D]")),
        from_level=frozen(label[old]),
        to_level=frozen(label[new]),
        reason=frozen(np.array(reasons, dtype=np.str_)),
        value=frozen(amount.astype(np.int64)),
    )


def _day(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _unique_sources(qualifying: Qualifying) -> NDArray[np.intp]:
    """One row per source id (the first in source order); a repeated source must agree."""
    if not len(qualifying):
        return np.arange(0)
    order = np.lexsort(
        (qualifying.value, qualifying.at, qualifying.member_id, qualifying.source_id)
    )
    source = qualifying.source_id[order]
    first = np.concatenate(([True], source[1:] != source[:-1]))
    head = order[np.flatnonzero(first)[np.cumsum(first) - 1]]
    differ = (
        (qualifying.value[order] != qualifying.value[head])
        | (qualifying.member_id[order] != qualifying.member_id[head])
        | (qualifying.at[order] != qualifying.at[head])
    )
    if differ.any():
        row = order[int(np.flatnonzero(differ)[0])]
        msg = (
            f"qualifying source {str(qualifying.source_id[row])!r} arrives twice with different"
            " values; a source counts once, so its deliveries must agree"
        )
        raise InvalidValue(msg, code="conflicting_source")
    return order[first]


def value_levels(
    labels: Labels,
    member_ids: Sequence[str] | NDArray[np.str_],
    *,
    as_of: dt.date | str,
    previous: Levels | None = None,
    grace_months: int = QualifyingLevels.GRACE_MONTHS,
) -> Levels:
    """A value tier's labels (``MemberValue``'s D/P/G/S) as member levels, with their changes.

    Lets [`MemberValue`][aftersales_crm.segmentation.MemberValue] (or any tier policy whose names
    run highest first) serve as the level rule: its label is the member's earned level on
    ``as_of``. Against the ``previous`` levels, a higher label is a promotion that day; a
    lower one is a downgrade only when the member has held their level for
    ``grace_months`` (since their last change, or since ``previous.as_of``), and is kept
    otherwise.

    Args:
        labels: one label per member, names highest first.
        member_ids: the member id of each label's row.
        as_of: the day of the labels.
        previous: the levels before (None: every label is a member's first level).
        grace_months: months a level is kept before a downgrade (default 3).

    Examples:
        >>> from aftersales_crm.policies import Labels
        >>> first = value_levels(Labels(np.array([1, 0]), ("gold", "silver")), ["M1", "M2"],
        ...     as_of="2026-01-31")
        >>> later = value_levels(Labels(np.array([0, 1]), ("gold", "silver")), ["M1", "M2"],
        ...     as_of="2026-03-31", previous=first)  # M1 up at once; M2 kept in grace
        >>> [later.level_of(m) for m in ("M1", "M2")]
        ['gold', 'gold']
        >>> value_levels(Labels(np.array([0, 1]), ("gold", "silver")), ["M1", "M2"],
        ...     as_of="2026-05-31", previous=later).level_of("M2")  # grace over
        'silver'
    """
    day = as_of_date(as_of)
    given: object = labels  # typed, but callers may pass anything
    if not isinstance(given, Labels):
        msg = f"value_levels takes Labels, not {type(given).__name__}"
        raise InvalidValue(msg, code="invalid_argument")
    ids = np.asarray(member_ids, dtype=np.str_)
    if len(ids) != len(labels):
        msg = f"{len(ids)} member ids for {len(labels)} labels"
        raise InvalidValue(msg, code="column_length")
    order = np.argsort(ids, kind="stable")
    ids, codes = ids[order], labels.codes[order].astype(np.int16)
    if len(ids) > 1 and (ids[1:] == ids[:-1]).any():
        msg = "value_levels: a member id repeats; one label per member"
        raise InvalidValue(msg, code="duplicate_id")
    names = labels.names
    grace_months = whole_number(grace_months, parameter="grace_months", minimum=0, maximum=120)
    changes = [] if previous is None else previous.changes.rows()
    on = _day(day)
    held_since: dict[str, int] = {}
    for member, when, *_ in changes:
        held_since[member] = _day(when)
    first = _day(previous.as_of) if previous is not None else on
    since = np.array([held_since.get(member, first) for member in ids.tolist()], dtype=np.int64)
    grace_ends = add_months(since.astype("datetime64[D]"), grace_months).astype(np.int64)
    for i, member in enumerate(ids.tolist()):
        new = int(codes[i])
        old = -1
        if previous is not None and member in previous.ids:
            found = previous.level_of(member)
            old = names.index(found) if found in names else -1
        if new < 0:
            codes[i] = old
            continue
        grace_end = int(grace_ends[i])
        if old < 0 or new < old:
            why = f"value level {names[new]}" + ("" if old < 0 else f" above {names[old]}")
            changes.append((member, day, names[old] if old >= 0 else "", names[new], why, 0))
        elif new > old and on >= grace_end:
            why = f"value level {names[new]} below {names[old]} after {grace_months} months"
            changes.append((member, day, names[old], names[new], why, 0))
        elif new > old:
            codes[i] = old
    changes.sort(key=lambda row: (row[0], row[1]))
    untyped: Any = tuple(names)
    return Levels(
        ids=ids,
        labels=Labels(
            codes, untyped, labels.names_zh, ids=ids, name="value_levels", key="member_id"
        ),
        value=np.zeros(len(ids), dtype=np.int64),
        changes=LevelChanges.from_rows(changes),
        as_of=day,
    )
