"""Members of the owners' club: their state and chapter at any moment, folded from facts.

A member's life is a sequence of facts ([`MemberApplied`][aftersales_crm.records.MemberApplied],
``MemberJoined``, ``MemberTransferred``, ``MemberLapsed``, ``MemberReactivated``). The
state after each fact depends on the fact alone (applying after an application, active
after a join, a transfer or a reactivation, lapsed after a lapse); the chapter is the one
applied to, or the one transferred to last. Which facts may follow which is the table of
[`TRANSITIONS`][aftersales_crm.membership.TRANSITIONS].

One kernel folds every member at once ([`MemberLog`][aftersales_crm.membership.MemberLog]); the per-member call
([`member_status`][aftersales_crm.membership.member_status]) runs the same kernel on a one-member log.

Order of arrival never matters: facts are put in order by instant, then, at the same
instant, in the order of a member's life (applied, joined, transferred, lapsed,
reactivated), then by fact id. The same fact arriving twice (same kind, same id, same
content) is kept once; the same id with a different content is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_instant, language, positions
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
from aftersales_crm.records import (
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Record,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import NONE_CODE, LabelledEnum, Lang

__all__ = [
    "TRANSITIONS",
    "MemberEvent",
    "MemberLog",
    "MemberState",
    "MemberStates",
    "MemberStatus",
    "MemberStep",
    "member_status",
]

_NONE: Final = NONE_CODE
_NAT: Final = np.datetime64("NaT", "us")
#: The most impossible transitions one error spells out (it counts the others).
_SHOWN: Final = 10


class MemberState(LabelledEnum):
    """Where a member stands in the club (会员状态).

    The material counts members and applicants apart (《斯柯达车友汇客户关爱总监培训教材》:
    "会员数量", "“申请中”数量") and watches members who are lost ("会员流失状况"). A
    transfer (转会) is a step, not a state: the member stays active, in the new chapter.

    Examples:
        >>> MemberState.APPLYING.label("zh"), MemberState.LAPSED.label("en")
        ('申请中', 'lapsed')
    """

    APPLYING = "applying", "applying", "申请中"
    ACTIVE = "active", "active member", "有效会员"
    LAPSED = "lapsed", "lapsed", "已流失"


class MemberEvent(LabelledEnum):
    """The kinds of member fact, in the order they are taken at the same instant.

    Examples:
        >>> [event.value for event in MemberEvent]
        ['applied', 'joined', 'transferred', 'lapsed', 'reactivated']
        >>> MemberEvent.TRANSFERRED.label("zh")
        '转会'
    """

    APPLIED = "applied", "applied", "申请入会"
    JOINED = "joined", "joined", "入会"
    TRANSFERRED = "transferred", "transferred", "转会"
    LAPSED = "lapsed", "lapsed", "流失"
    REACTIVATED = "reactivated", "reactivated", "恢复会籍"


_RECORDS: Final[Mapping[type[Record], MemberEvent]] = MappingProxyType(
    {
        MemberApplied: MemberEvent.APPLIED,
        MemberJoined: MemberEvent.JOINED,
        MemberTransferred: MemberEvent.TRANSFERRED,
        MemberLapsed: MemberEvent.LAPSED,
        MemberReactivated: MemberEvent.REACTIVATED,
    }
)
_NAMES: Final = {event: cls.__name__ for cls, event in _RECORDS.items()}
_TABLES: Final = (
    ("members", MemberEvent.APPLIED),
    ("member_joins", MemberEvent.JOINED),
    ("member_transfers", MemberEvent.TRANSFERRED),
    ("member_lapses", MemberEvent.LAPSED),
    ("member_reactivations", MemberEvent.REACTIVATED),
)

TRANSITIONS: Final[Mapping[MemberEvent, tuple[tuple[MemberState | None, ...], MemberState]]] = (
    MappingProxyType(
        {
            MemberEvent.APPLIED: ((None,), MemberState.APPLYING),
            MemberEvent.JOINED: ((MemberState.APPLYING,), MemberState.ACTIVE),
            MemberEvent.TRANSFERRED: ((MemberState.ACTIVE,), MemberState.ACTIVE),
            MemberEvent.LAPSED: ((MemberState.APPLYING, MemberState.ACTIVE), MemberState.LAPSED),
            MemberEvent.REACTIVATED: ((MemberState.LAPSED,), MemberState.ACTIVE),
        }
    )
)
"""Each kind of member fact: the states it may follow (``None``: before any fact) and the
state it leads to.

An applicant who lapses withdrew or was turned down; a reactivated member is active again
in the chapter they lapsed from. The material names the states and steps but not the
rules between them; these are the library's, the ones a member's life allows.

Examples:
    >>> allowed, to = TRANSITIONS[MemberEvent.JOINED]
    >>> [state.value for state in allowed], to.value
    (['applying'], 'active')
"""

_STATES: Final = list(MemberState)
_EVENTS: Final = list(MemberEvent)
_TABLE: Final = Transitions(_STATES, _EVENTS, TRANSITIONS, opening=MemberEvent.APPLIED)
_WHO: Final = {
    MemberEvent.APPLIED: "a member applies once, before any other fact",
    MemberEvent.JOINED: "only an applicant joins",
    MemberEvent.TRANSFERRED: "only an active member transfers",
    MemberEvent.LAPSED: "only an applicant or an active member lapses",
    MemberEvent.REACTIVATED: "only a lapsed member is reactivated",
}


@attrs.frozen(eq=False)
class MemberStep:
    """One step of a member's history: a fact, and the state and chapter it led to.

    Attributes:
        at: when, an aware datetime in UTC.
        event: what happened.
        fact_id: the fact's id.
        state: the member's state after it.
        chapter_id: the member's chapter after it.

    Examples:
        >>> from datetime import datetime, timezone
        >>> step = MemberStep(datetime(2026, 3, 1, tzinfo=timezone.utc), MemberEvent.JOINED,
        ...                   "J1", MemberState.ACTIVE, "CH1")
        >>> step.state.label("zh")
        '有效会员'
    """

    at: dt.datetime
    event: MemberEvent
    fact_id: str
    state: MemberState
    chapter_id: str


@attrs.frozen
class MemberStatus:
    """One member's standing at a moment: state, chapter and since when.

    Attributes:
        member_id: the member.
        state: the state, ``None`` before the member applied.
        chapter_id: the chapter the member belongs to, ``None`` before the member applied.
            A lapsed member stays attached to the chapter they lapsed from.
        since: the instant of the member's last fact up to the moment (UTC), or ``None``.
        joined_at: the first time the member joined, or ``None``.

    Examples:
        >>> MemberStatus("M1", MemberState.ACTIVE, "CH1", None, None).state.value
        'active'
    """

    member_id: str
    state: MemberState | None
    chapter_id: str | None
    since: dt.datetime | None
    joined_at: dt.datetime | None


@attrs.frozen(eq=False, repr=False)
class MemberStates(Displayed):
    """Every member's state and chapter at one moment, aligned with [`MemberLog.member_ids`][aftersales_crm.membership.MemberLog].

    Attributes:
        member_ids: str array of shape (n_members,).
        chapter_ids: str array of shape (n_chapters,), the ids ``chapter`` points into.
        state: int8 array of shape (n_members,), positions in ``list(MemberState)``; ``-1``
            before the member applied.
        chapter: int64 array of shape (n_members,), rows of ``chapter_ids``; ``-1`` before
            the member applied.
        since: ``datetime64[us]`` array of shape (n_members,), the instant (UTC) of each
            member's last fact up to the moment; NaT before the member applied.
        joined_at: ``datetime64[us]`` array of shape (n_members,), each member's first join
            up to the moment; NaT if none.
        as_of: the moment.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import MemberApplied, MemberJoined
        >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
        >>> log = MemberLog.from_records([
        ...     MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=t(1)),
        ...     MemberApplied(id="M2", customer_id="C2", chapter_id="CH1", at=t(2)),
        ...     MemberJoined(id="J1", member_id="M1", at=t(5))])
        >>> states = log.states(t(10))
        >>> states.counts()
        {'applying': 1, 'active': 1}
        >>> states.values("zh").tolist()
        ['有效会员', '申请中']
    """

    member_ids: NDArray[np.str_]
    chapter_ids: NDArray[np.str_]
    state: NDArray[np.int8]
    chapter: NDArray[np.int64]
    since: NDArray[np.datetime64]
    joined_at: NDArray[np.datetime64]
    as_of: dt.datetime

    def __len__(self) -> int:
        """Number of members."""
        return len(self.state)

    def take(self, rows: NDArray[np.intp]) -> MemberStates:
        """The members at positions ``rows`` (the chapters they may belong to kept whole).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([
            ...     MemberApplied(id=f"M{i}", customer_id=f"C{i}", chapter_id="CH1", at=at) for i in (1, 2)])
            >>> log.states(at).take(np.array([1])).member_ids.tolist()
            ['M2']
        """
        rows = positions(rows, len(self))
        return attrs.evolve(
            self,
            member_ids=self.member_ids[rows],
            state=self.state[rows],
            chapter=self.chapter[rows],
            since=self.since[rows],
            joined_at=self.joined_at[rows],
        )

    def counts(self) -> dict[str, int]:
        """Members per state, in the order of [`MemberState`][aftersales_crm.membership.MemberState], empty states left out.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied, MemberLapsed
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([
            ...     MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at),
            ...     MemberApplied(id="M2", customer_id="C2", chapter_id="CH1", at=at),
            ...     MemberLapsed(id="L2", member_id="M2", at=at, reason="withdrawn")])
            >>> log.states(at).counts()
            {'applying': 1, 'lapsed': 1}
            >>> log.states(at.replace(year=2025)).counts()  # nobody had applied yet
            {}
        """
        found = np.bincount(self.state[self.state >= 0], minlength=len(_STATES))
        return {state.value: int(n) for state, n in zip(_STATES, found, strict=True) if n}

    def values(self, lang: Lang = "en") -> NDArray[np.object_]:
        """Each member's state as a label for people (``None`` before applying).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.states(at).values("zh").tolist(), log.states(at.replace(year=2025)).values().tolist()
            (['申请中'], [None])
        """
        chosen: Lang = "zh" if language(lang) == "zh" else "en"
        labels = [state.label(chosen) for state in _STATES]
        return np.array([*labels, None], dtype=object)[self.state]

    def status(self, member_id: str) -> MemberStatus:
        """One member's row as a [`MemberStatus`][aftersales_crm.membership.MemberStatus].

        Raises:
            InvalidValue: no member has that id (code ``"unknown_member"``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.states(at).status("M1").chapter_id
            'CH1'
        """
        row = _member_row(self.member_ids, member_id)
        code, chapter = int(self.state[row]), int(self.chapter[row])
        return MemberStatus(
            member_id=str(self.member_ids[row]),
            state=None if code < 0 else _STATES[code],
            chapter_id=None if chapter < 0 else str(self.chapter_ids[chapter]),
            since=_instant(self.since[row]),
            joined_at=_instant(self.joined_at[row]),
        )

    def to_pandas(self) -> Any:
        """A DataFrame with one row per member (needs the ``pandas`` extra).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.states(at).to_pandas().loc["M1", "state"]
            'applying'
        """
        pd = require("pandas", extra="pandas")
        chapters = np.array([*self.chapter_ids.tolist(), None], dtype=object)
        states = np.array([*(s.value for s in _STATES), None], dtype=object)
        return pd.DataFrame(
            {
                "state": states[self.state],
                "chapter_id": chapters[self.chapter],
                "since": self.since,
                "joined_at": self.joined_at,
            },
            index=pd.Index(self.member_ids, name="member_id"),
        )


def _member_row(member_ids: NDArray[np.str_], member_id: object) -> int:
    if not isinstance(member_id, str):
        msg = f"member_id is {member_id!r:.80}, expected a member id"
        raise InvalidType(msg)
    rows = np.flatnonzero(member_ids == member_id)
    if not len(rows):
        msg = f"no member {member_id!r}"
        raise InvalidValue(msg, code="unknown_member")
    return int(rows[0])


@attrs.frozen(eq=False)
class MemberLog:
    """Every member fact, checked and in order: the columnar kernel of club membership.

    Build one with [`from_tables`][aftersales_crm.membership.MemberLog.from_tables] (the ``members`` … ``member_reactivations`` tables
    of [`Tables`][aftersales_crm.tables.Tables]) or [`from_records`][aftersales_crm.membership.MemberLog.from_records] (any member facts,
    in any order, duplicates allowed). Both check every member's life against
    [`TRANSITIONS`][aftersales_crm.membership.TRANSITIONS] and refuse, in one [`InvalidValue`][aftersales_crm.errors.InvalidValue],
    every fact that cannot follow the one before it, naming the member, the fact and both
    states. Facts are held in order: by member, then instant, then the order of
    [`MemberEvent`][aftersales_crm.membership.MemberEvent], then fact id.

    Attributes:
        member_ids: str array of shape (n_members,): the members table's ids, in its row
            order ([`from_tables`][aftersales_crm.membership.MemberLog.from_tables]), or the members' ids sorted ([`from_records`][aftersales_crm.membership.MemberLog.from_records]).
        chapter_ids: str array of shape (n_chapters,): the chapters table's ids
            ([`from_tables`][aftersales_crm.membership.MemberLog.from_tables]), or the chapters the facts name, sorted.
        member: int64 array of shape (n_facts,), each fact's row in ``member_ids``.
        event: int8 array of shape (n_facts,), positions in ``list(MemberEvent)``.
        at: ``datetime64[us]`` array of shape (n_facts,), each fact's instant in UTC.
        fact_id: str array of shape (n_facts,), each fact's id.
        chapter: int64 array of shape (n_facts,), the member's chapter after each fact
            (rows of ``chapter_ids``).
        state: int8 array of shape (n_facts,), the member's state after each fact
            (positions in ``list(MemberState)``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import MemberApplied, MemberJoined, MemberTransferred
        >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
        >>> facts = [MemberTransferred(id="T1", member_id="M1", to_chapter_id="CH2", at=t(20)),
        ...          MemberJoined(id="J1", member_id="M1", at=t(5)),
        ...          MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=t(1))]
        >>> log = MemberLog.from_records(facts)
        >>> [step.event.value for step in log.history("M1")]
        ['applied', 'joined', 'transferred']
        >>> log.chapters_at(t(10)).tolist(), log.chapters_at(t(20)).tolist()
        (['CH1'], ['CH2'])
        >>> MemberLog.from_records([*facts, MemberJoined(id="J2", member_id="M1", at=t(25))])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: 1 impossible member transition: member 'M1': MemberJoined 'J2' at 2026-03-25T00:00:00+00:00 cannot take it from active to active: only an applicant joins
    """

    member_ids: NDArray[np.str_]
    chapter_ids: NDArray[np.str_]
    member: NDArray[np.int64]
    event: NDArray[np.int8]
    at: NDArray[np.datetime64]
    fact_id: NDArray[np.str_]
    chapter: NDArray[np.int64]
    state: NDArray[np.int8]

    def __len__(self) -> int:
        """Number of facts."""
        return len(self.event)

    @property
    def n_members(self) -> int:
        """Number of members.

        Examples:
            >>> MemberLog.from_records([]).n_members
            0
        """
        return len(self.member_ids)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_tables(cls, tables: Tables) -> MemberLog:
        """Fold the member tables of ``tables``: one row of ``member_ids`` per member.

        Args:
            tables: the tables; their ``members`` table gives the members (in row order),
                their ``chapters`` table the chapters.

        Returns:
            The log.

        Raises:
            InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
            InvalidValue: a fact cannot follow the one before it.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> log = MemberLog.from_tables(synthetic.tables(2_000, seed=1))
            >>> log.n_members > 0, len(log) > log.n_members
            (True, True)
        """
        given: object = tables
        if not isinstance(given, Tables):
            msg = f"tables is a {type(given).__name__}, expected Tables"
            raise InvalidType(msg)
        members = tables.members
        parts: list[tuple[NDArray[Any], ...]] = []
        for name, event in _TABLES:
            table = tables[name]
            n = len(table)
            member = np.arange(n, dtype=np.int64) if name == "members" else table["member"]
            target = (
                table["chapter"]
                if name == "members"
                else table["to_chapter"]
                if name == "member_transfers"
                else np.full(n, _NONE, dtype=np.int64)
            )
            code = np.full(n, _EVENTS.index(event), dtype=np.int8)
            parts.append((member, code, table["at"], table["id"], target))
        member, code, at, fact_id, target = (
            np.concatenate([part[i] for part in parts]) for i in range(5)
        )
        return _fold(
            _ids(members["id"]),
            _ids(tables.chapters["id"]),
            member.astype(np.int64),
            code.astype(np.int8),
            at.astype("datetime64[us]"),
            _ids(fact_id),
            target.astype(np.int64),
        )

    @classmethod
    def from_records(cls, facts: Iterable[Record]) -> MemberLog:
        """Fold member facts given as records, in any order, duplicates allowed.

        Args:
            facts: [`MemberApplied`][aftersales_crm.records.MemberApplied], ``MemberJoined``,
                ``MemberTransferred``, ``MemberLapsed`` and ``MemberReactivated`` records.

        Returns:
            The log; members and chapters sorted by id.

        Raises:
            InvalidType: a fact is not a member fact.
            InvalidValue: the same fact id comes with two contents, a member has facts but
                no application, or a fact cannot follow the one before it.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> a = MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)
            >>> len(MemberLog.from_records([a, a]))  # the same fact twice is one fact
            1
            >>> MemberLog.from_records([a, a.model_copy(update={"chapter_id": "CH9"})])
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: MemberApplied 'M1' arrived twice with different contents
        """
        given: object = facts
        if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
            msg = f"facts is {given!r:.80} ({type(given).__name__}), expected an iterable of member facts"
            raise InvalidType(msg)
        kept: dict[tuple[MemberEvent, str], Record] = {}
        conflicts: list[str] = []
        for fact in facts:
            event = _RECORDS.get(type(fact))
            if event is None:
                msg = f"{fact!r:.80} is not a member fact; expected one of {list(_NAMES.values())}"
                raise InvalidType(msg)
            key = (event, fact.key)
            held = kept.setdefault(key, fact)
            if held != fact:
                conflicts.append(f"{type(fact).__name__} {fact.key!r}")
        if conflicts:
            msg = f"{', '.join(dict.fromkeys(conflicts))} arrived twice with different contents"
            raise InvalidValue(msg, code="member_fact_conflict")
        records = list(kept.values())
        member_of = [
            r.id if isinstance(r, MemberApplied) else str(getattr(r, "member_id", ""))
            for r in records
        ]
        applied = {r.id for r in records if isinstance(r, MemberApplied)}
        orphans = sorted(set(member_of) - applied)
        if orphans:
            msg = f"members {orphans} have facts but no application (MemberApplied)"
            raise InvalidValue(msg, code="member_without_application")
        member_ids = sorted(applied)
        chapter_ids = sorted(
            {r.chapter_id for r in records if isinstance(r, MemberApplied)}
            | {r.to_chapter_id for r in records if isinstance(r, MemberTransferred)}
        )
        members = {m: i for i, m in enumerate(member_ids)}
        chapters = {c: i for i, c in enumerate(chapter_ids)}
        target = [
            chapters[r.chapter_id]
            if isinstance(r, MemberApplied)
            else chapters[r.to_chapter_id]
            if isinstance(r, MemberTransferred)
            else _NONE
            for r in records
        ]
        instants = [getattr(r, "at") for r in records]  # noqa: B009 - every member fact has one
        return _fold(
            _ids(member_ids),
            _ids(chapter_ids),
            np.array([members[m] for m in member_of], dtype=np.int64),
            np.array([_EVENTS.index(_RECORDS[type(r)]) for r in records], dtype=np.int8),
            utc(instants),
            _ids([r.key for r in records]),
            np.array(target, dtype=np.int64),
        )

    # ------------------------------------------------------------------ reading

    def states(self, as_of: dt.datetime) -> MemberStates:
        """Every member's state and chapter at ``as_of`` (facts at ``as_of`` included).

        Args:
            as_of: an aware datetime.

        Returns:
            The states, aligned with ``member_ids``.

        Raises:
            InvalidValue: ``as_of`` is not an aware datetime.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied, MemberLapsed
            >>> t = lambda day: datetime(2026, 3, day, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([
            ...     MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=t(2)),
            ...     MemberLapsed(id="L1", member_id="M1", at=t(9), reason="withdrawn")])
            >>> [log.states(t(d)).values().tolist()[0] for d in (1, 2, 9)]
            [None, 'applying', 'lapsed']
        """
        moment = as_of_instant(as_of)
        cut = np.datetime64(utc([moment])[0])
        n = self.n_members
        upto = self.at <= cut
        has, last = last_upto(self.member, upto, n)
        state = np.full(n, _NONE, dtype=np.int8)
        chapter = np.full(n, _NONE, dtype=np.int64)
        since = np.full(n, _NAT)
        state[has] = self.state[last[has]]
        chapter[has] = self.chapter[last[has]]
        since[has] = self.at[last[has]]
        joins = upto & (self.event == _EVENTS.index(MemberEvent.JOINED))
        never = np.iinfo(np.int64).max
        first_join = np.full(n, never, dtype=np.int64)
        np.minimum.at(first_join, self.member[joins], self.at[joins].view(np.int64))
        joined_at = np.where(first_join == never, _NAT, first_join.view("datetime64[us]"))
        return MemberStates(
            member_ids=self.member_ids,
            chapter_ids=self.chapter_ids,
            state=read_only(state),
            chapter=read_only(chapter),
            since=read_only(since),
            joined_at=read_only(joined_at),
            as_of=moment,
        )

    def chapters_at(self, at: dt.datetime) -> NDArray[np.object_]:
        """The chapter each member belongs to at ``at``: exactly one once applied, else ``None``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.chapters_at(at).tolist(), log.chapters_at(at.replace(year=2025)).tolist()
            (['CH1'], [None])
        """
        chapter = self.states(at).chapter
        return np.array([*self.chapter_ids.tolist(), None], dtype=object)[chapter]

    def history(self, member_id: str) -> list[MemberStep]:
        """One member's facts in order, each with the state and chapter it led to.

        Raises:
            InvalidValue: no member has that id (code ``"unknown_member"``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.history("M1")[0].state.value
            'applying'
        """
        row = _member_row(self.member_ids, member_id)
        rows = np.flatnonzero(self.member == row)
        return [
            MemberStep(
                at=_aware(self.at[i]),
                event=_EVENTS[int(self.event[i])],
                fact_id=str(self.fact_id[i]),
                state=_STATES[int(self.state[i])],
                chapter_id=str(self.chapter_ids[int(self.chapter[i])]),
            )
            for i in rows.tolist()
        ]

    def status(self, member_id: str, as_of: dt.datetime) -> MemberStatus:
        """One member's standing at ``as_of``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from aftersales_crm.records import MemberApplied
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> log = MemberLog.from_records([MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at)])
            >>> log.status("M1", at).state.value
            'applying'
        """
        return self.states(as_of).status(member_id)


def member_status(facts: Iterable[Record], as_of: dt.datetime) -> MemberStatus:
    """One member's standing at ``as_of``, folded from that member's facts.

    The per-member face of [`MemberLog`][aftersales_crm.membership.MemberLog]: the same kernel, on a one-member log.

    Args:
        facts: the member's facts, in any order, duplicates allowed; the application among
            them.
        as_of: an aware datetime.

    Returns:
        The member's status.

    Raises:
        InvalidValue: the facts are of no member or of several, or break a rule of
            [`MemberLog`][aftersales_crm.membership.MemberLog].

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import MemberApplied, MemberJoined, MemberLapsed
        >>> t = lambda month: datetime(2026, month, 1, tzinfo=timezone.utc)
        >>> facts = [MemberLapsed(id="L1", member_id="M1", at=t(9), reason="lost"),
        ...          MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=t(1)),
        ...          MemberJoined(id="J1", member_id="M1", at=t(2))]
        >>> status = member_status(facts, t(6))
        >>> status.state.label("zh"), status.chapter_id, status.joined_at.month
        ('有效会员', 'CH1', 2)
        >>> member_status(facts, t(12)).state.value
        'lapsed'
    """
    log = MemberLog.from_records(facts)
    if log.n_members != 1:
        msg = f"member_status needs the facts of one member, got {log.n_members}: {log.member_ids.tolist()[:5]}"
        raise InvalidValue(msg, code="one_member")
    return log.states(as_of).status(str(log.member_ids[0]))


def _fold(
    member_ids: NDArray[np.str_],
    chapter_ids: NDArray[np.str_],
    member: NDArray[np.int64],
    event: NDArray[np.int8],
    at: NDArray[np.datetime64],
    fact_id: NDArray[np.str_],
    target: NDArray[np.int64],
) -> MemberLog:
    """The kernel: order the facts, check every transition, carry state and chapter."""
    folded = _TABLE.fold(entity=member, event=event, at=at, fact_id=fact_id)
    order = folded.order
    member, event, at = member[order], event[order], at[order]
    fact_id, target = fact_id[order], target[order]
    n = len(member)
    first, state, before = folded.first, folded.state, folded.before
    sets = target >= 0
    last_set = np.maximum.accumulate(np.where(sets, np.arange(n), 0)) if n else np.empty(0, int)
    chapter = np.where(sets | ~first, target[last_set], _NONE)
    chapter_before = np.full(n, _NONE, dtype=np.int64)
    chapter_before[1:] = chapter[:-1]
    chapter_before[first] = _NONE
    wrong = folded.wrong  # an application after another fact: that fact is the one refused
    same = (event == _EVENTS.index(MemberEvent.TRANSFERRED)) & (target == chapter_before) & ~wrong
    bad = np.flatnonzero(wrong | same)
    if len(bad):
        _refuse(bad, member_ids, chapter_ids, member, event, at, fact_id, before, target, wrong)
    return MemberLog(
        member_ids=read_only(member_ids),
        chapter_ids=read_only(chapter_ids),
        member=read_only(member),
        event=read_only(event),
        at=read_only(at),
        fact_id=read_only(fact_id),
        chapter=read_only(chapter.astype(np.int64)),
        state=read_only(state.astype(np.int8)),
    )


def _refuse(
    bad: NDArray[np.intp],
    member_ids: NDArray[np.str_],
    chapter_ids: NDArray[np.str_],
    member: NDArray[np.int64],
    event: NDArray[np.int8],
    at: NDArray[np.datetime64],
    fact_id: NDArray[np.str_],
    before: NDArray[np.int8],
    target: NDArray[np.int64],
    wrong: NDArray[np.bool_],
) -> None:
    """Raise one error naming every impossible transition (the first few spelled out)."""
    applied_code = _EVENTS.index(MemberEvent.APPLIED)
    problems: list[str] = []
    for row in bad[:_SHOWN].tolist():
        kind = _EVENTS[int(event[row])]
        who = f"member {str(member_ids[member[row]])!r}: {_NAMES[kind]} {str(fact_id[row])!r}"
        when = _instant(at[row])
        what = f"{who} at {when.isoformat() if when else at[row]}"
        if not wrong[row]:
            chapter = str(chapter_ids[int(target[row])])
            problems.append(f"{what} moves it to {chapter!r}, the chapter it is in already")
            continue
        if before[row] < 0 and kind is not MemberEvent.APPLIED:
            rows = np.flatnonzero((member == member[row]) & (event == applied_code))
            applied = _instant(at[rows[0]]) if len(rows) else None
            since = f" at {applied.isoformat()}" if applied else ""
            problems.append(
                f"{what} is dated before the member applied{since}: from no state yet, "
                f"it cannot take it to {TRANSITIONS[kind][1].value}"
            )
            continue
        state = "no state yet" if before[row] < 0 else _STATES[int(before[row])].value
        problems.append(
            f"{what} cannot take it from {state} to {TRANSITIONS[kind][1].value}: {_WHO[kind]}"
        )
    more = f" (and {len(bad) - _SHOWN} more)" if len(bad) > _SHOWN else ""
    plural = "s" if len(bad) > 1 else ""
    msg = f"{len(bad)} impossible member transition{plural}: " + "; ".join(problems) + more
    raise InvalidValue(msg, code="member_transition")
