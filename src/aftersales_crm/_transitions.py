"""Folding facts through a transition table: the one kernel of every state folded from facts.

A *transition table* says, for each kind of fact (an *event*), which states it may follow
(``None``: before any fact) and which state it leads to. ``Transitions`` compiles
such a table to arrays once; ``Transitions.fold`` then orders the facts of many
entities at once (by entity, instant, the rank of the event at the same instant, fact
id), gives the state after each fact and flags every fact that cannot follow the one
before it. The club's members ([`aftersales_crm.membership`][aftersales_crm.membership]) and complaints
([`aftersales_crm.complaints`][aftersales_crm.complaints]) both fold through it; each names its own states,
events and error messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, Generic, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidValue

__all__ = [
    "Folded",
    "Transitions",
    "aware",
    "ids",
    "instant_or_none",
    "last_upto",
    "read_only",
    "utc",
]

S = TypeVar("S")
E = TypeVar("E")

NO_STATE: Final = -1
"""The state code before an entity's first fact."""


def read_only(array: NDArray[Any]) -> NDArray[Any]:
    """``array``, made read-only (the fold's results are facts' state: nobody edits them).

    Examples:
        >>> read_only(np.arange(2)).flags.writeable
        False
    """
    array.flags.writeable = False
    return array


def ids(values: Any) -> NDArray[np.str_]:
    """Ids as a str array (an empty one of dtype ``<U1``).

    Examples:
        >>> ids([]).dtype, ids(["Q1"]).tolist()
        (dtype('<U1'), ['Q1'])
    """
    out = np.asarray(values, dtype=str)
    return out if out.size else np.empty(0, dtype="<U1")


def utc(instants: list[dt.datetime]) -> NDArray[np.datetime64]:
    """Aware datetimes as ``datetime64[us]`` in UTC.

    Examples:
        >>> utc([dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))]).tolist()
        [datetime.datetime(2026, 3, 1, 0, 0)]
    """
    naive = [moment.astimezone(dt.UTC).replace(tzinfo=None) for moment in instants]
    return np.array(naive, dtype="datetime64[us]").reshape(len(naive))


def aware(value: np.datetime64) -> dt.datetime:
    """A ``datetime64`` instant in UTC (not NaT) as an aware datetime.

    Examples:
        >>> aware(np.datetime64("2026-03-01T00:00")).isoformat()
        '2026-03-01T00:00:00+00:00'
    """
    micros = int(value.astype("datetime64[us]").astype(np.int64))
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)


def instant_or_none(value: np.datetime64) -> dt.datetime | None:
    """An aware datetime, or ``None`` for NaT.

    Examples:
        >>> instant_or_none(np.datetime64("NaT", "us")) is None
        True
    """
    return None if np.isnat(value) else aware(value)


def last_upto(
    entity: NDArray[np.int64], upto: NDArray[np.bool_], n: int
) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
    """For facts in fold order, each entity's last fact among ``upto``.

    The facts of an entity are in order, so those of ``upto`` (any cut-off in time) are
    the first ones of its block.

    Returns:
        Whether each of the ``n`` entities has such a fact, and its position (meaningful
        where it has one).

    Examples:
        >>> has, last = last_upto(np.array([0, 0, 1]), np.array([True, False, False]), 3)
        >>> has.tolist(), last[has].tolist()
        ([True, False, False], [0])
    """
    count = np.bincount(entity[upto], minlength=n)
    start = np.searchsorted(entity, np.arange(n), side="left")
    return count > 0, (start + count - 1).astype(np.intp)


@attrs.frozen(eq=False)
class Folded:
    """Facts folded through a ``Transitions`` table, in their order.

    Attributes:
        order: int array of shape (n_facts,): the given facts' positions, in fold order
            (by entity, instant, event rank, fact id).
        first: bool array: whether each ordered fact is its entity's first.
        before: int8 array: the state code before each ordered fact (``-1``: none yet).
        state: int8 array: the state code after each ordered fact.
        wrong: bool array: whether each ordered fact may not follow the one before it.

    Examples:
        >>> Folded.empty().order.tolist()
        []
    """

    order: NDArray[np.intp]
    first: NDArray[np.bool_]
    before: NDArray[np.int8]
    state: NDArray[np.int8]
    wrong: NDArray[np.bool_]

    @classmethod
    def empty(cls) -> Folded:
        """No facts."""
        return cls(
            np.empty(0, np.intp),
            np.empty(0, bool),
            np.empty(0, np.int8),
            np.empty(0, np.int8),
            np.empty(0, bool),
        )


@attrs.frozen(eq=False)
class Transitions(Generic[S, E]):
    """A transition table compiled to arrays: which event may follow which state, and where to.

    Args:
        states: the states, in code order (a state's code is its position).
        events: the events, in the order they are taken at the same instant (an event's
            code is its position).
        table: each event → (the states it may follow, ``None`` for "no state yet"; the
            state it leads to). Every event has a row.
        opening: the event that opens an entity's life, if any. Such an event is refused
            only when it is not its entity's first: a fact dated before the opening is the
            one refused, not the opening.

    Raises:
        InvalidValue: an event has no row, or a row names an unknown state.

    Examples:
        >>> table = Transitions(("open", "shut"), ("opened", "shut"),
        ...                     {"opened": ((None,), "open"), "shut": (("open",), "shut")},
        ...                     opening="opened")
        >>> folded = table.fold(entity=np.array([0, 0]), event=np.array([1, 0]),
        ...                     at=np.array([2, 1]), fact_id=np.array(["b", "a"]))
        >>> folded.order.tolist(), folded.state.tolist(), folded.wrong.tolist()
        ([1, 0], [0, 1], [False, False])
        >>> table.fold(entity=np.array([0]), event=np.array([1]), at=np.array([1]),
        ...            fact_id=np.array(["b"])).wrong.tolist()  # shut before it opened
        [True]
    """

    states: tuple[S, ...] = attrs.field(converter=tuple)
    events: tuple[E, ...] = attrs.field(converter=tuple)
    table: Mapping[E, tuple[tuple[S | None, ...], S]]
    opening: E | None = None
    after: NDArray[np.int8] = attrs.field(init=False)
    """The state code after each event code."""
    allowed: NDArray[np.bool_] = attrs.field(init=False)
    """``allowed[state + 1, event]``: may the event follow the state (row 0: no state yet)?"""

    def __attrs_post_init__(self) -> None:
        missing = [e for e in self.events if e not in self.table]
        unknown = [
            s
            for froms, to in self.table.values()
            for s in (*froms, to)
            if s is not None and s not in self.states
        ]
        if missing or unknown:
            msg = f"a transition table needs a row per event {missing} and known states {unknown}"
            raise InvalidValue(msg, code="transition_table")
        after = np.array([self.states.index(self.table[e][1]) for e in self.events], np.int8)
        allowed = np.array(
            [
                [(None if s < 0 else self.states[s]) in self.table[e][0] for e in self.events]
                for s in range(NO_STATE, len(self.states))
            ],
            dtype=bool,
        ).reshape(len(self.states) + 1, len(self.events))
        object.__setattr__(self, "after", read_only(after))
        object.__setattr__(self, "allowed", read_only(allowed))

    def fold(
        self,
        *,
        entity: NDArray[Any],
        event: NDArray[Any],
        at: NDArray[Any],
        fact_id: NDArray[Any],
    ) -> Folded:
        """Order the facts and fold each entity's facts through the table.

        Args:
            entity: each fact's entity (an int code).
            event: each fact's event code (its position in ``events``).
            at: each fact's instant (any sortable array).
            fact_id: each fact's id, the last tie-breaker.

        Returns:
            The facts in fold order, with the state before and after each and the
            facts that may not follow the one before them.
        """
        order = np.lexsort((fact_id, event, at, entity)).astype(np.intp)
        n = len(order)
        if not n:
            return Folded.empty()
        who, code = np.asarray(entity)[order], np.asarray(event, dtype=np.int64)[order]
        first = np.ones(n, dtype=bool)
        first[1:] = who[1:] != who[:-1]
        state = self.after[code]
        before = np.full(n, NO_STATE, dtype=np.int8)
        before[1:] = state[:-1]
        before[first] = NO_STATE
        wrong = ~self.allowed[before.astype(np.int64) + 1, code]
        if self.opening is not None:
            wrong &= first | (code != self.events.index(self.opening))
        return Folded(
            order=read_only(order),
            first=read_only(first),
            before=read_only(before),
            state=read_only(state.astype(np.int8)),
            wrong=read_only(wrong),
        )

    def rows(self) -> list[tuple[E, tuple[S | None, ...], S]]:
        """The table as ``(event, allowed from, to)`` rows, in event order.

        Examples:
            >>> Transitions(("a",), ("x",), {"x": ((None,), "a")}).rows()
            [('x', (None,), 'a')]
        """
        return [(e, *self.table[e]) for e in self.events]
