"""A complaint's status at any moment, folded from its facts through a transition table.

A complaint's life is a [`ComplaintFiled`][aftersales_crm.records.ComplaintFiled] fact and its
[`ComplaintUpdated`][aftersales_crm.records.ComplaintUpdated] facts. The status after each fact
depends on the fact alone; which fact may follow which is the table of
[`TRANSITIONS`][aftersales_crm.complaints.TRANSITIONS]. One kernel folds every complaint at once ([`ComplaintLog`][aftersales_crm.complaints.ComplaintLog]);
[`complaint_status`][aftersales_crm.complaints.complaint_status] runs it on one complaint's facts and [`complaint_states`][aftersales_crm.complaints.complaint_states]
on the ``complaints`` and ``complaint_updates`` tables.

Order of arrival never matters: facts are put in order by instant, then, at the same
instant, in the order of a complaint's life (filed, acknowledged, in progress, escalated,
resolved, closed, reopened), then by fact id. The same fact arriving twice (same id, same
content) is kept once; the same id with a different content is an error. No fact after
``as_of`` counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_instant, language
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._transitions import (
    Transitions,
    last_upto,
    read_only,
    utc,
)
from aftersales_crm._transitions import aware as _aware
from aftersales_crm._transitions import ids as _ids
from aftersales_crm._transitions import instant_or_none as _instant
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import ComplaintAction, ComplaintFiled, ComplaintUpdated, Severity
from aftersales_crm.tables import Tables
from aftersales_crm.values import LabelledEnum, Lang

__all__ = [
    "TRANSITIONS",
    "ComplaintLog",
    "ComplaintState",
    "ComplaintStates",
    "ComplaintStatus",
    "ComplaintStep",
    "complaint_states",
    "complaint_status",
]

_NONE: Final = -1
_NAT: Final = np.datetime64("NaT", "us")
_NEVER: Final = np.iinfo(np.int64).max
NO_INSTANT: Final = np.iinfo(np.int64).min
"""No instant, as int64 µs (NaT seen as int64)."""
#: The most impossible transitions one error spells out (it counts the others).
_SHOWN: Final = 10


class ComplaintState(LabelledEnum):
    """Where a complaint stands (投诉状态).

    The states follow the handling 《汽车售后客户关系管理》 describes: a complaint is taken
    in and answered ("及时响应客户投诉"), handed to the department concerned ("将客户抱怨
    反馈给相关部门进行处理"), and checked with the customer once handled ("满意度跟踪调查"),
    which closes it. The names of the states are the library's.

    Examples:
        >>> ComplaintState.IN_PROGRESS.label("zh"), ComplaintState.FILED.label("en")
        ('处理中', 'filed, awaiting acknowledgement')
    """

    FILED = "filed", "filed, awaiting acknowledgement", "待受理"
    ACKNOWLEDGED = "acknowledged", "acknowledged", "已受理"
    IN_PROGRESS = "in_progress", "in progress", "处理中"
    RESOLVED = "resolved", "resolved", "已解决"
    CLOSED = "closed", "closed", "已关闭"


_A = ComplaintAction
_S = ComplaintState

TRANSITIONS: Final[Mapping[ComplaintAction, tuple[tuple[ComplaintState, ...], ComplaintState]]] = (
    MappingProxyType(
        {
            _A.ACKNOWLEDGED: ((_S.FILED,), _S.ACKNOWLEDGED),
            _A.IN_PROGRESS: ((_S.ACKNOWLEDGED,), _S.IN_PROGRESS),
            _A.ESCALATED: ((_S.ACKNOWLEDGED, _S.IN_PROGRESS), _S.IN_PROGRESS),
            _A.RESOLVED: ((_S.ACKNOWLEDGED, _S.IN_PROGRESS), _S.RESOLVED),
            _A.CLOSED: ((_S.RESOLVED,), _S.CLOSED),
            _A.REOPENED: ((_S.RESOLVED, _S.CLOSED), _S.IN_PROGRESS),
        }
    )
)
"""Each complaint action: the states it may follow and the state it leads to.

Filing ([`ComplaintFiled`][aftersales_crm.records.ComplaintFiled]) opens a complaint in
``FILED``; then filed → acknowledged → in progress → resolved → closed. A complaint
settled when it is acknowledged may be resolved without an in-progress step; escalating
keeps (or puts) it in progress; reopening a resolved or closed complaint puts it back in
progress (it was acknowledged already). Every other step is impossible: acknowledging
twice, resolving before acknowledging, closing before resolving, anything after filing
but before acknowledging other than the acknowledgement. These rules are the library's:
the material names the steps, not the order between them.

Examples:
    >>> allowed, to = TRANSITIONS[ComplaintAction.REOPENED]
    >>> [state.value for state in allowed], to.value
    (['resolved', 'closed'], 'in_progress')
"""

_FILING: Final = "filed"
#: Events in the order they are taken at the same instant: filing, then the actions.
_EVENTS: Final[tuple[str | ComplaintAction, ...]] = (
    _FILING,
    _A.ACKNOWLEDGED,
    _A.IN_PROGRESS,
    _A.ESCALATED,
    _A.RESOLVED,
    _A.CLOSED,
    _A.REOPENED,
)
_STATES: Final = tuple(ComplaintState)
_ACTIONS: Final = tuple(ComplaintAction)
_TABLE: Final = Transitions(
    _STATES,
    _EVENTS,
    {_FILING: ((None,), _S.FILED), **TRANSITIONS},
    opening=_FILING,
)
#: The event code of each action, by the action's table code (its position in the enum).
_ACTION_EVENT: Final = np.array([_EVENTS.index(action) for action in _ACTIONS], dtype=np.int8)
_CODE: Final = {event: code for code, event in enumerate(_EVENTS)}
_ACK: Final = _CODE[_A.ACKNOWLEDGED]
_RESOLVE: Final = _CODE[_A.RESOLVED]
_SETTLED: Final = np.array([s in (_S.RESOLVED, _S.CLOSED) for s in _STATES])
_WHO: Final = {
    _A.ACKNOWLEDGED: "only a filed complaint is acknowledged, once",
    _A.IN_PROGRESS: "only an acknowledged complaint is handed over",
    _A.ESCALATED: "only an acknowledged complaint or one in progress is escalated",
    _A.RESOLVED: "only an acknowledged complaint or one in progress is resolved",
    _A.CLOSED: "only a resolved complaint is closed",
    _A.REOPENED: "only a resolved or closed complaint is reopened",
}


def _cut(as_of: dt.datetime) -> tuple[dt.datetime, np.datetime64]:
    moment = as_of_instant(as_of)
    return moment, utc([moment])[0]


@attrs.frozen(eq=False)
class ComplaintStep:
    """One step of a complaint's history: a fact and the state it led to.

    Attributes:
        at: when, an aware datetime in UTC.
        action: the update's action, or ``None`` for the filing.
        fact_id: the fact's id (the complaint's id for the filing).
        state: the complaint's state after it.

    Examples:
        >>> from datetime import datetime, timezone
        >>> step = ComplaintStep(datetime(2026, 3, 1, tzinfo=timezone.utc), None, "Q1",
        ...                      ComplaintState.FILED)
        >>> step.state.label("zh")
        '待受理'
    """

    at: dt.datetime
    action: ComplaintAction | None
    fact_id: str
    state: ComplaintState


@attrs.frozen
class ComplaintStatus:
    """One complaint's standing at a moment.

    Attributes:
        complaint_id: the complaint.
        state: its state, ``None`` before it was filed.
        since: the instant (UTC) of its last fact up to the moment, or ``None``.
        acknowledged_at: its first acknowledgement up to the moment, or ``None``.
        resolved_at: the resolution it rests on when resolved or closed, else ``None``.

    Examples:
        >>> ComplaintStatus("Q1", ComplaintState.FILED, None, None, None).is_open
        True
    """

    complaint_id: str
    state: ComplaintState | None
    since: dt.datetime | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        """Whether the complaint was filed and is not closed.

        Examples:
            >>> ComplaintStatus("Q1", ComplaintState.CLOSED, None, None, None).is_open
            False
        """
        return self.state is not None and self.state is not ComplaintState.CLOSED


@attrs.frozen(eq=False, repr=False)
class ComplaintStates(Displayed):
    """Every complaint's state at one moment, aligned with [`ComplaintLog.complaint_ids`][aftersales_crm.complaints.ComplaintLog].

    Attributes:
        complaint_ids: str array of shape (n_complaints,).
        customer_ids: str array: who complained.
        severity: int8 array: positions in ``list(Severity)``.
        filed_at: ``datetime64[us]`` array: when each complaint was filed (UTC).
        state: int8 array: positions in ``list(ComplaintState)``; ``-1`` before filing.
        since: ``datetime64[us]`` array: each complaint's last fact up to the moment.
        acknowledged_at: ``datetime64[us]`` array: the first acknowledgement up to the
            moment (NaT: none).
        first_resolved_at: ``datetime64[us]`` array: the first resolution up to the
            moment (NaT: none), even if the complaint was reopened since.
        resolved_at: ``datetime64[us]`` array: the resolution a resolved or closed
            complaint rests on (its last); NaT for any other state.
        as_of: the moment.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
        >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
        >>> log = ComplaintLog.from_records([
        ...     ComplaintFiled(id="Q1", customer_id="C1", at=t(1), category="price",
        ...                    severity="low", channel="phone"),
        ...     ComplaintUpdated(id="U1", complaint_id="Q1", at=t(2), action="acknowledged")])
        >>> states = log.states(t(5))
        >>> states.values("zh").tolist(), states.counts()
        (['已受理'], {'acknowledged': 1})
    """

    complaint_ids: NDArray[np.str_]
    customer_ids: NDArray[np.str_]
    severity: NDArray[np.int8]
    filed_at: NDArray[np.datetime64]
    state: NDArray[np.int8]
    since: NDArray[np.datetime64]
    acknowledged_at: NDArray[np.datetime64]
    first_resolved_at: NDArray[np.datetime64]
    resolved_at: NDArray[np.datetime64]
    as_of: dt.datetime

    def __len__(self) -> int:
        """Number of complaints."""
        return len(self.state)

    @property
    def is_open(self) -> NDArray[np.bool_]:
        """Which complaints were filed by the moment and are not closed.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=at, category="price", severity="low", channel="phone")])
            >>> log.states(at).is_open.tolist(), log.states(at.replace(year=2025)).is_open.tolist()
            ([True], [False])
        """
        return np.asarray(
            (self.state >= 0) & (self.state != _STATES.index(_S.CLOSED)), dtype=np.bool_
        )

    def counts(self) -> dict[str, int]:
        """Complaints per state, in the order of [`ComplaintState`][aftersales_crm.complaints.ComplaintState], empty states left out.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ComplaintLog.from_records([]).states(datetime(2026, 1, 1, tzinfo=timezone.utc)).counts()
            {}
        """
        found = np.bincount(self.state[self.state >= 0], minlength=len(_STATES))
        return {state.value: int(n) for state, n in zip(_STATES, found, strict=True) if n}

    def values(self, lang: Lang = "en") -> NDArray[np.object_]:
        """Each complaint's state as a label for people (``None`` before filing).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=at, category="price", severity="low", channel="phone")])
            >>> log.states(at).values().tolist()
            ['filed, awaiting acknowledgement']
        """
        chosen: Lang = "zh" if language(lang) == "zh" else "en"
        labels = [state.label(chosen) for state in _STATES]
        return np.array([*labels, None], dtype=object)[self.state]

    def status(self, complaint_id: str) -> ComplaintStatus:
        """One complaint's row as a [`ComplaintStatus`][aftersales_crm.complaints.ComplaintStatus].

        Raises:
            InvalidValue: no complaint has that id (code ``"unknown_complaint"``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> ComplaintLog.from_records([]).states(datetime(2026, 1, 1, tzinfo=timezone.utc)).status("Q9")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: no complaint 'Q9'
        """
        row = _complaint_row(self.complaint_ids, complaint_id)
        code = int(self.state[row])
        return ComplaintStatus(
            complaint_id=str(self.complaint_ids[row]),
            state=None if code < 0 else _STATES[code],
            since=_instant(self.since[row]),
            acknowledged_at=_instant(self.acknowledged_at[row]),
            resolved_at=_instant(self.resolved_at[row]),
        )

    def to_pandas(self) -> Any:
        """A DataFrame with one row per complaint (needs the ``pandas`` extra).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=at, category="price", severity="low", channel="phone")])
            >>> log.states(at).to_pandas().loc["Q1", ["state", "severity"]].tolist()
            ['filed', 'low']
        """
        pd = require("pandas", extra="pandas")
        states = np.array([*(s.value for s in _STATES), None], dtype=object)
        severities = np.array([s.value for s in Severity], dtype=object)
        return pd.DataFrame(
            {
                "customer_id": self.customer_ids,
                "severity": severities[self.severity],
                "filed_at": self.filed_at,
                "state": states[self.state],
                "since": self.since,
                "acknowledged_at": self.acknowledged_at,
                "first_resolved_at": self.first_resolved_at,
                "resolved_at": self.resolved_at,
            },
            index=pd.Index(self.complaint_ids, name="complaint_id"),
        )


def _complaint_row(complaint_ids: NDArray[np.str_], complaint_id: object) -> int:
    if not isinstance(complaint_id, str):
        msg = f"complaint_id is {complaint_id!r:.80}, expected a complaint id"
        raise InvalidType(msg)
    rows = np.flatnonzero(complaint_ids == complaint_id)
    if not len(rows):
        msg = f"no complaint {complaint_id!r}"
        raise InvalidValue(msg, code="unknown_complaint")
    return int(rows[0])


@attrs.frozen(eq=False)
class ComplaintLog:
    """Every complaint fact, checked and in order: the columnar kernel of complaint status.

    Build one with [`from_tables`][aftersales_crm.complaints.ComplaintLog.from_tables] (the ``complaints`` and ``complaint_updates``
    tables) or [`from_records`][aftersales_crm.complaints.ComplaintLog.from_records] (complaint facts in any order, duplicates allowed).
    Both check every complaint's life against [`TRANSITIONS`][aftersales_crm.complaints.TRANSITIONS] and refuse, in one
    [`InvalidValue`][aftersales_crm.errors.InvalidValue], every update that cannot follow the fact
    before it, naming the complaint, the update and both states.

    Attributes:
        complaint_ids: str array of shape (n_complaints,): the complaints table's ids in
            its row order ([`from_tables`][aftersales_crm.complaints.ComplaintLog.from_tables]), or sorted ([`from_records`][aftersales_crm.complaints.ComplaintLog.from_records]).
        customer_ids: str array: who filed each complaint.
        severity: int8 array: each complaint's severity (positions in ``list(Severity)``).
        filed_at: ``datetime64[us]`` array: when each complaint was filed (UTC).
        complaint: int64 array of shape (n_facts,): each fact's row in ``complaint_ids``.
        event: int8 array: each fact's event (0 the filing, then the actions in the
            order they are taken at the same instant).
        at: ``datetime64[us]`` array: each fact's instant (UTC).
        fact_id: str array: each fact's id (the complaint's id for the filing).
        state: int8 array: the state after each fact (positions in
            ``list(ComplaintState)``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
        >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
        >>> filed = ComplaintFiled(id="Q1", customer_id="C1", at=t(1), category="price",
        ...                        severity="high", channel="phone")
        >>> update = lambda i, day, action, **kw: ComplaintUpdated(
        ...     id=f"U{i}", complaint_id="Q1", at=t(day), action=action, **kw)
        >>> log = ComplaintLog.from_records([update(2, 4, "resolved"), filed,
        ...                                  update(1, 2, "acknowledged")])
        >>> [step.state.value for step in log.history("Q1")]
        ['filed', 'acknowledged', 'resolved']
        >>> ComplaintLog.from_records([filed, update(1, 2, "closed", verdict="satisfied")])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: 1 impossible complaint transition: complaint 'Q1': update 'U1' (closed) at 2026-03-02T00:00:00+00:00 cannot take it from filed to closed: only a resolved complaint is closed
    """

    complaint_ids: NDArray[np.str_]
    customer_ids: NDArray[np.str_]
    severity: NDArray[np.int8]
    filed_at: NDArray[np.datetime64]
    complaint: NDArray[np.int64]
    event: NDArray[np.int8]
    at: NDArray[np.datetime64]
    fact_id: NDArray[np.str_]
    state: NDArray[np.int8]

    def __len__(self) -> int:
        """Number of facts (filings and updates)."""
        return len(self.event)

    @property
    def n_complaints(self) -> int:
        """Number of complaints.

        Examples:
            >>> ComplaintLog.from_records([]).n_complaints
            0
        """
        return len(self.complaint_ids)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_tables(cls, tables: Tables) -> ComplaintLog:
        """Fold the ``complaints`` and ``complaint_updates`` tables of ``tables``.

        Args:
            tables: the tables; one row of ``complaint_ids`` per ``complaints`` row.

        Returns:
            The log.

        Raises:
            InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
            InvalidValue: an update cannot follow the fact before it.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.tables import Tables
            >>> log = ComplaintLog.from_tables(Tables.from_book(synthetic.book(300, seed=1)))
            >>> log.n_complaints > 0, len(log) > log.n_complaints
            (True, True)
        """
        given: object = tables
        if not isinstance(given, Tables):
            msg = f"tables is a {type(given).__name__}, expected Tables"
            raise InvalidType(msg)
        complaints, updates = tables.complaints, tables.complaint_updates
        n = len(complaints)
        customers = _ids(tables.customers["id"])
        customer_ids = _ids(customers[complaints["customer"]] if n else [])
        action = np.asarray(updates["action"], dtype=np.int64)
        return _fold(
            complaint_ids=_ids(complaints["id"]),
            customer_ids=customer_ids,
            severity=np.asarray(complaints["severity"], dtype=np.int8),
            filed_at=np.asarray(complaints["at"], dtype="datetime64[us]"),
            complaint=np.asarray(updates["complaint"], dtype=np.int64),
            event=_ACTION_EVENT[action] if len(action) else np.empty(0, np.int8),
            at=np.asarray(updates["at"], dtype="datetime64[us]"),
            fact_id=_ids(updates["id"]),
        )

    @classmethod
    def from_records(cls, facts: Iterable[ComplaintFiled | ComplaintUpdated]) -> ComplaintLog:
        """Fold complaint facts given as records, in any order, duplicates allowed.

        Args:
            facts: [`ComplaintFiled`][aftersales_crm.records.ComplaintFiled] and
                [`ComplaintUpdated`][aftersales_crm.records.ComplaintUpdated] records.

        Returns:
            The log; complaints sorted by id.

        Raises:
            InvalidType: a fact is not a complaint fact.
            InvalidValue: the same id comes with two contents, an update names a complaint
                that was not filed, or an update cannot follow the fact before it.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> q = ComplaintFiled(id="Q1", customer_id="C1", at=at, category="price",
            ...                    severity="low", channel="phone")
            >>> len(ComplaintLog.from_records([q, q]))  # the same fact twice is one fact
            1
            >>> ComplaintLog.from_records([q, q.model_copy(update={"severity": "high"})])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: ComplaintFiled 'Q1' arrived twice with different contents
        """
        given: object = facts
        if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
            msg = f"facts is {given!r:.80} ({type(given).__name__}), expected an iterable of complaint facts"
            raise InvalidType(msg)
        filed: dict[str, ComplaintFiled] = {}
        updates: dict[str, ComplaintUpdated] = {}
        conflicts: list[str] = []
        for fact in facts:
            item: object = fact  # typed, but callers may pass anything
            held: object
            if isinstance(item, ComplaintFiled):
                held = filed.setdefault(item.id, item)
            elif isinstance(item, ComplaintUpdated):
                held = updates.setdefault(item.id, item)
            else:
                msg = f"{item!r:.80} is not a complaint fact; expected ComplaintFiled or ComplaintUpdated"
                raise InvalidType(msg)
            if held != item:
                conflicts.append(f"{type(item).__name__} {item.id!r}")
        if conflicts:
            msg = f"{', '.join(dict.fromkeys(conflicts))} arrived twice with different contents"
            raise InvalidValue(msg, code="complaint_fact_conflict")
        orphans = sorted({u.complaint_id for u in updates.values()} - set(filed))
        if orphans:
            msg = f"complaint updates name complaints {orphans[:10]} that were not filed (ComplaintFiled)"
            raise InvalidValue(msg, code="complaint_not_filed")
        ids = sorted(filed)
        rows = {complaint_id: i for i, complaint_id in enumerate(ids)}
        severities = list(Severity)
        moves = list(updates.values())
        return _fold(
            complaint_ids=_ids(ids),
            customer_ids=_ids([filed[i].customer_id for i in ids]),
            severity=np.array([severities.index(filed[i].severity) for i in ids], dtype=np.int8),
            filed_at=utc([filed[i].at for i in ids]),
            complaint=np.array([rows[u.complaint_id] for u in moves], dtype=np.int64),
            event=np.array([_CODE[u.action] for u in moves], dtype=np.int8),
            at=utc([u.at for u in moves]),
            fact_id=_ids([u.id for u in moves]),
        )

    # ------------------------------------------------------------------ reading

    def states(self, as_of: dt.datetime) -> ComplaintStates:
        """Every complaint's state at ``as_of`` (facts at ``as_of`` included).

        Args:
            as_of: an aware datetime.

        Returns:
            The states, aligned with ``complaint_ids``.

        Raises:
            InvalidValue: ``as_of`` is not an aware datetime.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
            >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([
            ...     ComplaintFiled(id="Q1", customer_id="C1", at=t(2), category="price",
            ...                    severity="low", channel="phone"),
            ...     ComplaintUpdated(id="U1", complaint_id="Q1", at=t(3), action="acknowledged"),
            ...     ComplaintUpdated(id="U2", complaint_id="Q1", at=t(9), action="resolved")])
            >>> [log.states(t(d)).values().tolist()[0] for d in (1, 3, 9)]
            [None, 'acknowledged', 'resolved']
        """
        moment, cut = _cut(as_of)
        upto = self.at <= cut
        state, since, latest = self.upto(upto)
        acknowledged = self._first(upto & (self.event == _ACK))
        first_resolved = self._first(upto & (self.event == _RESOLVE))
        resolved_at = np.where(latest == NO_INSTANT, _NAT, latest.view("datetime64[us]"))
        return ComplaintStates(
            complaint_ids=self.complaint_ids,
            customer_ids=self.customer_ids,
            severity=self.severity,
            filed_at=self.filed_at,
            state=read_only(state.astype(np.int8)),
            since=read_only(since),
            acknowledged_at=read_only(acknowledged),
            first_resolved_at=read_only(first_resolved),
            resolved_at=read_only(resolved_at),
            as_of=moment,
        )

    def upto(
        self, upto: NDArray[np.bool_]
    ) -> tuple[NDArray[np.int64], NDArray[np.datetime64], NDArray[np.int64]]:
        """Each complaint after its last fact among ``upto`` (a mask over the facts).

        The facts of a complaint are in order, so those of ``upto`` are, for any cut-off
        in time (one for all, or one per complaint), the first ones of its block.

        Returns:
            The state code (``-1``: no fact), the instant of that fact (NaT: none) and,
            for a resolved or closed complaint, the instant of the resolution it rests on
            (its last among ``upto``) as int64 µs; ``NO_INSTANT`` for the others.

        Examples:
            >>> log = ComplaintLog.from_records([])
            >>> [len(part) for part in log.upto(np.zeros(0, dtype=bool))]
            [0, 0, 0]
        """
        n = self.n_complaints
        has, last = last_upto(self.complaint, upto, n)
        state = np.full(n, _NONE, dtype=np.int64)
        since = np.full(n, _NAT)
        state[has] = self.state[last[has]]
        since[has] = self.at[last[has]]
        resolving = upto & (self.event == _RESOLVE)
        latest = np.full(n, NO_INSTANT, dtype=np.int64)
        np.maximum.at(latest, self.complaint[resolving], self.at[resolving].view(np.int64))
        settled = (state >= 0) & _SETTLED[np.maximum(state, 0)]
        return state, since, np.where(settled, latest, NO_INSTANT)

    def _first(self, mask: NDArray[np.bool_]) -> NDArray[np.datetime64]:
        """Each complaint's earliest instant among the facts of ``mask`` (NaT: none)."""
        first = np.full(self.n_complaints, _NEVER, dtype=np.int64)
        np.minimum.at(first, self.complaint[mask], self.at[mask].view(np.int64))
        return np.where(first == _NEVER, _NAT, first.view("datetime64[us]"))

    def history(self, complaint_id: str) -> list[ComplaintStep]:
        """One complaint's facts in order, each with the state it led to.

        Raises:
            InvalidValue: no complaint has that id (code ``"unknown_complaint"``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=at, category="price", severity="low", channel="phone")])
            >>> log.history("Q1")[0].action is None
            True
        """
        row = _complaint_row(self.complaint_ids, complaint_id)
        return [
            ComplaintStep(
                at=_aware(self.at[i]),
                action=_action(int(self.event[i])),
                fact_id=str(self.fact_id[i]),
                state=_STATES[int(self.state[i])],
            )
            for i in np.flatnonzero(self.complaint == row).tolist()
        ]

    def status(self, complaint_id: str, as_of: dt.datetime) -> ComplaintStatus:
        """One complaint's standing at ``as_of``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=at, category="price", severity="low", channel="phone")])
            >>> log.status("Q1", at).state.value
            'filed'
        """
        return self.states(as_of).status(complaint_id)


def _action(code: int) -> ComplaintAction | None:
    event = _EVENTS[code]
    return event if isinstance(event, ComplaintAction) else None


def complaint_status(
    facts: Iterable[ComplaintFiled | ComplaintUpdated], as_of: dt.datetime
) -> ComplaintStatus:
    """One complaint's standing at ``as_of``, folded from its facts.

    The per-complaint face of [`ComplaintLog`][aftersales_crm.complaints.ComplaintLog]: the same kernel, on one complaint.

    Args:
        facts: the complaint's filing and updates, in any order, duplicates allowed.
        as_of: an aware datetime; no fact after it counts.

    Returns:
        The complaint's status.

    Raises:
        InvalidValue: the facts are of no complaint or of several, or break a rule of
            [`ComplaintLog`][aftersales_crm.complaints.ComplaintLog].

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
        >>> t = lambda day: datetime(2026, 3, day, 9, tzinfo=timezone.utc)
        >>> facts = [
        ...     ComplaintUpdated(id="U3", complaint_id="Q1", at=t(6), action="resolved"),
        ...     ComplaintUpdated(id="U2", complaint_id="Q1", at=t(3), action="in_progress"),
        ...     ComplaintUpdated(id="U1", complaint_id="Q1", at=t(2), action="acknowledged"),
        ...     ComplaintFiled(id="Q1", customer_id="C1", at=t(1), category="repair_quality",
        ...                    severity="high", channel="phone")]
        >>> complaint_status(facts, t(4)).state.label("zh")
        '处理中'
        >>> complaint_status(facts, t(9)).resolved_at.day
        6
    """
    log = ComplaintLog.from_records(facts)
    if log.n_complaints != 1:
        msg = f"complaint_status needs the facts of one complaint, got {log.n_complaints}: {log.complaint_ids.tolist()[:5]}"
        raise InvalidValue(msg, code="one_complaint")
    return log.states(as_of).status(str(log.complaint_ids[0]))


def complaint_states(tables: Tables, as_of: dt.datetime) -> ComplaintStates:
    """Every complaint's state at ``as_of``, aligned with the ``complaints`` table's rows.

    Args:
        tables: the tables (``complaints``, ``complaint_updates`` and ``customers``).
        as_of: an aware datetime; no update after it counts.

    Returns:
        The states, one row per row of ``tables.complaints``, in its order.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
        InvalidValue: an update cannot follow the fact before it, or ``as_of`` is not an
            aware datetime.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.tables import Tables
        >>> tables = Tables.from_book(synthetic.book(300, seed=1))
        >>> states = complaint_states(tables, datetime(2026, 6, 30, tzinfo=timezone.utc))
        >>> len(states) == len(tables.complaints), set(states.counts()) <= {s.value for s in ComplaintState}
        (True, True)
    """
    return ComplaintLog.from_tables(tables).states(as_of)


def _fold(
    *,
    complaint_ids: NDArray[np.str_],
    customer_ids: NDArray[np.str_],
    severity: NDArray[np.int8],
    filed_at: NDArray[np.datetime64],
    complaint: NDArray[np.int64],
    event: NDArray[np.int8],
    at: NDArray[np.datetime64],
    fact_id: NDArray[np.str_],
) -> ComplaintLog:
    """The kernel: add the filings, order the facts, check every transition."""
    n = len(complaint_ids)
    complaint = np.concatenate([np.arange(n, dtype=np.int64), complaint])
    event = np.concatenate([np.zeros(n, dtype=np.int8), event.astype(np.int8)])
    at = np.concatenate([filed_at, at])
    fact_id = _ids(np.concatenate([complaint_ids, fact_id]).astype(str))
    folded = _TABLE.fold(entity=complaint, event=event, at=at, fact_id=fact_id)
    order = folded.order
    complaint, event, at, fact_id = complaint[order], event[order], at[order], fact_id[order]
    bad = np.flatnonzero(folded.wrong)
    if len(bad):
        _refuse(bad, complaint_ids, filed_at, complaint, event, at, fact_id, folded.before)
    return ComplaintLog(
        complaint_ids=read_only(complaint_ids),
        customer_ids=read_only(customer_ids),
        severity=read_only(severity),
        filed_at=read_only(filed_at),
        complaint=read_only(complaint),
        event=read_only(event),
        at=read_only(at),
        fact_id=read_only(fact_id),
        state=read_only(folded.state),
    )


def _refuse(
    bad: NDArray[np.intp],
    complaint_ids: NDArray[np.str_],
    filed_at: NDArray[np.datetime64],
    complaint: NDArray[np.int64],
    event: NDArray[np.int8],
    at: NDArray[np.datetime64],
    fact_id: NDArray[np.str_],
    before: NDArray[np.int8],
) -> None:
    """Raise one error naming every impossible transition (the first few spelled out)."""
    problems: list[str] = []
    for row in bad[:_SHOWN].tolist():
        action = _action(int(event[row]))
        if action is None:  # pragma: no cover - the opening is never the one refused
            continue
        who = int(complaint[row])
        when = _instant(at[row])
        what = (
            f"complaint {str(complaint_ids[who])!r}: update {str(fact_id[row])!r}"
            f" ({action.value}) at {when.isoformat() if when else at[row]}"
        )
        to = TRANSITIONS[action][1].value
        if before[row] < 0:
            filed = _instant(filed_at[who])
            since = f" at {filed.isoformat()}" if filed else ""
            problems.append(
                f"{what} is dated before the complaint was filed{since}: from no state yet,"
                f" it cannot take it to {to}"
            )
            continue
        state = _STATES[int(before[row])].value
        problems.append(f"{what} cannot take it from {state} to {to}: {_WHO[action]}")
    more = f" (and {len(bad) - _SHOWN} more)" if len(bad) > _SHOWN else ""
    plural = "s" if len(bad) > 1 else ""
    msg = f"{len(bad)} impossible complaint transition{plural}: " + "; ".join(problems) + more
    raise InvalidValue(msg, code="complaint_transition")
