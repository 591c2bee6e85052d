"""The owners' club's member facts: applied, joined, transferred, lapsed, reactivated.

A member of the OEM owners' club (车友会) belongs to one dealer chapter (经销商分会) at a
time (《斯柯达车友汇客户关爱总监培训教材》: "会员属性唯一") and may move to another
("会员转会情况"). Each step of a member's life is one immutable fact with its own id, so
that the same fact arriving twice is recognised; the member's state at any moment is
folded from them by [`aftersales_crm.membership`][aftersales_crm.membership].

The application ([`MemberApplied`][aftersales_crm.records.MemberApplied]) opens a member: its id *is* the member id, and
every later fact points to it through ``member_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Record
from aftersales_crm.records._enums import LapseReason
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, FactKind
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values.types import Instant

__all__ = [
    "MEMBERS",
    "MEMBER_JOINS",
    "MEMBER_LAPSES",
    "MEMBER_REACTIVATIONS",
    "MEMBER_TRANSFERS",
    "MemberApplied",
    "MemberJoined",
    "MemberLapsed",
    "MemberReactivated",
    "MemberTransferred",
]

K = s.ColumnKind
_SYNTHETIC_MEMBERS = f"{SYNTHETIC}._members:draw_club"


class MemberApplied(Record):
    """A customer applied to join a dealer's chapter of the owners' club (申请入会).

    The application opens the member: its ``id`` is the member id that every later fact of
    the member names. Until the member joins, they count as applying (申请中), which the
    club's recruitment rate counts with the members.

    Attributes:
        id: the member id (会员号).
        customer_id: the customer who applied.
        chapter_id: the chapter applied to.
        at: when, timezone-aware.
        referred_by: the member who brought the applicant in, if any.

    Examples:
        >>> from datetime import datetime, timezone
        >>> a = MemberApplied(id="M1", customer_id="C1", chapter_id="CH1",
        ...                   at=datetime(2026, 3, 1, 2, tzinfo=timezone.utc))
        >>> a.member_id, a.chapter_id
        ('M1', 'CH1')
    """

    id: Id
    customer_id: Id
    chapter_id: Id
    at: Instant
    referred_by: Id | None = None

    @property
    def member_id(self) -> str:
        """The member the application opens: its own id.

        Examples:
            >>> from datetime import datetime, timezone
            >>> MemberApplied(id="M7", customer_id="C1", chapter_id="CH1",
            ...               at=datetime(2026, 3, 1, tzinfo=timezone.utc)).member_id
            'M7'
        """
        return self.id


class MemberJoined(Record):
    """An applicant became a member of the chapter they applied to (入会).

    Attributes:
        id: the fact's id.
        member_id: the member.
        at: when, timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> MemberJoined(id="J1", member_id="M1", at=datetime(2026, 3, 8, tzinfo=timezone.utc)).member_id
        'M1'
    """

    id: Id
    member_id: Id
    at: Instant


class MemberTransferred(Record):
    """A member moved to another chapter (转会); they stay a member throughout.

    Attributes:
        id: the fact's id.
        member_id: the member.
        to_chapter_id: the chapter they belong to from ``at`` on.
        at: when, timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> MemberTransferred(id="T1", member_id="M1", to_chapter_id="CH2",
        ...                   at=datetime(2026, 9, 1, tzinfo=timezone.utc)).to_chapter_id
        'CH2'
    """

    id: Id
    member_id: Id
    to_chapter_id: Id
    at: Instant


class MemberLapsed(Record):
    """A member left the club or was lost, or an application ended without joining (流失).

    Attributes:
        id: the fact's id.
        member_id: the member.
        at: when, timezone-aware.
        reason: why ([`LapseReason`][aftersales_crm.records.LapseReason]).

    Examples:
        >>> from datetime import datetime, timezone
        >>> MemberLapsed(id="L1", member_id="M1", reason="lost",
        ...              at=datetime(2027, 1, 1, tzinfo=timezone.utc)).reason.label("zh")
        '流失'
    """

    id: Id
    member_id: Id
    at: Instant
    reason: LapseReason = LapseReason.OTHER


class MemberReactivated(Record):
    """A lapsed member came back, in the chapter they belonged to when they lapsed (恢复会籍).

    Attributes:
        id: the fact's id.
        member_id: the member.
        at: when, timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> MemberReactivated(id="V1", member_id="M1", at=datetime(2027, 5, 1, tzinfo=timezone.utc)).id
        'V1'
    """

    id: Id
    member_id: Id
    at: Instant


@attrs.frozen
class _AfterApplication:
    """A Book check: no fact of a member is dated before the member applied.

    (A class rather than a closure, so that declarations can be pickled.)
    """

    noun: str

    def __call__(self, fresh: Sequence[Any], book: Mapping[str, Mapping[str, Record]]) -> list[str]:
        problems: list[str] = []
        for fact in fresh:
            applied = book["members"].get(fact.member_id)
            if isinstance(applied, MemberApplied) and fact.at < applied.at:
                problems.append(
                    f"{self.noun} {fact.key!r}: at {fact.at.isoformat()} is before member "
                    f"{applied.id!r} applied at {applied.at.isoformat()}"
                )
        return problems


def _member_ref() -> Column:
    return s.ref("member", "member_id", "members")


MEMBERS = FactKind(
    name="members",
    record=MemberApplied,
    noun="member application",
    table=TableSchema(
        "members",
        (
            Column("id", K.ID),
            s.ref("customer", "customer_id", "customers"),
            s.ref("chapter", "chapter_id", "chapters"),
            Column("at", K.INSTANT),
            s.ref("referred_by", "referred_by", "members", nullable=True),
        ),
        MemberApplied,
    ),
    strategy=f"{STRATEGIES}:member_part",
    synthetic=_SYNTHETIC_MEMBERS,
)
"""Club members as they applied: the ``members`` table, keyed by member id."""

MEMBER_JOINS = FactKind(
    name="member_joins",
    record=MemberJoined,
    noun="member join",
    table=TableSchema(
        "member_joins", (Column("id", K.ID), _member_ref(), Column("at", K.INSTANT)), MemberJoined
    ),
    checks=(_AfterApplication("member join"),),
    strategy=f"{STRATEGIES}:member_join_part",
    synthetic=_SYNTHETIC_MEMBERS,
)
"""Members joining: the ``member_joins`` table."""

MEMBER_TRANSFERS = FactKind(
    name="member_transfers",
    record=MemberTransferred,
    noun="member transfer",
    table=TableSchema(
        "member_transfers",
        (
            Column("id", K.ID),
            _member_ref(),
            s.ref("to_chapter", "to_chapter_id", "chapters"),
            Column("at", K.INSTANT),
        ),
        MemberTransferred,
    ),
    checks=(_AfterApplication("member transfer"),),
    strategy=f"{STRATEGIES}:member_transfer_part",
    synthetic=_SYNTHETIC_MEMBERS,
)
"""Members moving between chapters: the ``member_transfers`` table."""

MEMBER_LAPSES = FactKind(
    name="member_lapses",
    record=MemberLapsed,
    noun="member lapse",
    table=TableSchema(
        "member_lapses",
        (
            Column("id", K.ID),
            _member_ref(),
            Column("at", K.INSTANT),
            Column("reason", K.CATEGORY, enum=LapseReason),
        ),
        MemberLapsed,
    ),
    checks=(_AfterApplication("member lapse"),),
    strategy=f"{STRATEGIES}:member_lapse_part",
    synthetic=_SYNTHETIC_MEMBERS,
)
"""Members lapsing: the ``member_lapses`` table."""

MEMBER_REACTIVATIONS = FactKind(
    name="member_reactivations",
    record=MemberReactivated,
    noun="member reactivation",
    table=TableSchema(
        "member_reactivations",
        (Column("id", K.ID), _member_ref(), Column("at", K.INSTANT)),
        MemberReactivated,
    ),
    checks=(_AfterApplication("member reactivation"),),
    strategy=f"{STRATEGIES}:member_reactivation_part",
    synthetic=_SYNTHETIC_MEMBERS,
)
"""Lapsed members coming back: the ``member_reactivations`` table."""
