"""Points entries: the append-only facts of the owners' club's points ledger.

Five kinds of entry, each a fact kind with its table: an award (``PointsEarned``, a
*lot* of points), a redemption, the record of an expiry run, a reversal of an award (a
refund) and a manual adjustment. No entry stores a balance or a lot's remainder: those are
derived from the entries at an explicit ``as_of`` by [`aftersales_crm.membership`][aftersales_crm.membership].

Amounts are whole points, at most ``MAX_POINTS`` per entry, so that the sums of ten
million entries stay exact in int64. An entry's member is a reference to the ``members``
table (``member_id`` outside, the member's row inside), as every reference of the library
is: an entry of a member the Book or tables do not hold is refused, naming the table, the
row, the column and the rule, and points tables come with the members they belong to
(their application, [`MemberApplied`][aftersales_crm.records.MemberApplied]). A member's ledger
([`Ledger`][aftersales_crm.membership.Ledger]) still reads one member's entries as records,
without the members table. The row numbers are also what lets the batch kernels group ten
million entries without hashing a string; dealer and source ids are label columns (int
codes into the distinct texts) for the same reason. Reversals and expiry records refer to
their award by a reference column: a reversal of an award the tables do not hold is
refused when the tables are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Annotated, Any, Final, Self

import attrs
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, NotPersonal, Record
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, FactKind
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import NONE_CODE, LabelledEnum
from aftersales_crm.values.types import Date, Instant

__all__ = [
    "MAX_POINTS",
    "POINTS_ADJUSTED",
    "POINTS_EARNED",
    "POINTS_EXPIRED",
    "POINTS_REDEEMED",
    "POINTS_REVERSED",
    "Funder",
    "PointsAdjusted",
    "PointsEarned",
    "PointsExpired",
    "PointsRedeemed",
    "PointsReversed",
    "Share",
]

K = s.ColumnKind

MAX_POINTS: Final = 1_000_000_000
"""The most points one entry may carry (the library's bound, not the training material's).

Ten million entries of this size sum to 10**16, well inside int64 (9.2 * 10**18), so every
total of the batch kernels is exact.

Examples:
    >>> MAX_POINTS
    1000000000
"""

Points = Annotated[int, Field(strict=True, ge=1, le=MAX_POINTS)]
"""A positive whole number of points, at most ``MAX_POINTS``."""

Reason = Annotated[
    str, StringConstraints(min_length=1, max_length=500), NotPersonal("why points were adjusted")
]


class Funder(LabelledEnum):
    """Who pays for an award's points when they are redeemed.

    HQ funds the club (DOMAIN: the OEM's owners' club is fronted by dealer chapters and
    funded by HQ); a dealer may fund its own promotions and a partner (an insurer, a fuel
    card) its co-branded ones. The three-way split is the library's choice, after the
    funding sources loyalty engines keep apart (Salesforce Loyalty Management's
    "partner" ledgers).

    Examples:
        >>> Funder.HQ.label("zh"), Funder("dealer").label()
        ('主机厂', 'dealer')
    """

    HQ = "hq", "OEM headquarters", "主机厂"
    DEALER = "dealer", "dealer", "经销商"
    PARTNER = "partner", "partner", "合作伙伴"


class PointsEarned(Record):
    """An award of points: a *lot*, spendable from ``pending_until`` until it expires.

    Attributes:
        id: the entry's id.
        member_id: the member awarded.
        amount: the points granted, a whole number from 1 to ``MAX_POINTS``.
        at: when the points were earned, timezone-aware.
        source_id: what earned them (a repair order, a line, an activity, a referral, a
            survey answer). One source earns one award: a second award for the same source
            is a duplicate, and the ledger keeps only the first (earliest ``at``, then
            smallest ``id``).
        funder: who pays for the points.
        dealer_id: the dealer where they were earned.
        pending_until: the points cannot be spent before this instant (a return window);
            ``None`` when they can be spent at once.
        expires_on: the last day the points can be spent; they expire at the *end* of
            that day in the programme's time zone. ``None`` when they never expire.

    Examples:
        >>> from datetime import datetime, timezone
        >>> e = PointsEarned(id="E1", member_id="M1", amount=120, source_id="RO1",
        ...                  at=datetime(2026, 3, 5, 10, tzinfo=timezone.utc), funder="hq",
        ...                  dealer_id="D1", expires_on="2027-12-31")
        >>> e.funder.label("zh"), e.expires_on
        ('主机厂', datetime.date(2027, 12, 31))
    """

    id: Id
    member_id: Id
    amount: Points
    at: Instant
    source_id: Id
    funder: Funder
    dealer_id: Id
    pending_until: Instant | None = None
    expires_on: Date | None = None

    @model_validator(mode="after")
    def _pending_after_earning(self) -> Self:
        if self.pending_until is not None and self.pending_until < self.at:
            msg = (
                f"pending_until {self.pending_until.isoformat()} is before the points were "
                f"earned at {self.at.isoformat()}"
            )
            raise ValueError(msg)
        return self


@attrs.frozen
class _Positive:
    """A row check: the int column ``field`` moves at least 1 point (a class, to pickle)."""

    field: str

    def __call__(self, columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
        values = columns[self.field]
        return s.problems(
            np.flatnonzero(values == 0),
            self.field,
            "points_zero",
            lambda r: f"{self.field} is 0 points; an entry moves at least 1",
        )


def _positive(field: str) -> _Positive:
    return _Positive(field)


def _pending_not_before(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Points are not pending until before they were earned, as ``PointsEarned`` says."""
    return s.not_before(columns, "pending_until", "at", "pending_before_earned")


def _points(name: str = "amount") -> Column:
    return Column(name, K.INT, limit=MAX_POINTS, range_code="points_range")


def _member() -> Column:
    """The entry's member: a reference to the ``members`` table, ``member_id`` outside."""
    return s.ref("member", "member_id", "members")


def _label_id(name: str, *, nullable: bool = False) -> Column:
    """An id kept as a label (dealer and source ids repeat over the entries)."""
    return Column(name, K.LABEL, nullable=nullable, check=s.plain_id, max_length=s.ID_MAX)


POINTS_EARNED = FactKind(
    name="points_earned",
    record=PointsEarned,
    noun="points award",
    table=TableSchema(
        "points_earned",
        (
            Column("id", K.ID),
            _member(),
            _points(),
            Column("at", K.INSTANT),
            _label_id("source_id"),
            Column("funder", K.CATEGORY, enum=Funder),
            _label_id("dealer_id"),
            Column("pending_until", K.INSTANT, nullable=True),
            Column("expires_on", K.DATE, nullable=True),
        ),
        PointsEarned,
        checks=(_positive("amount"), _pending_not_before),
    ),
    strategy=f"{STRATEGIES}:points_earned_part",
    synthetic=f"{SYNTHETIC}._points:points_entries",
)
"""Points awards: the ``points_earned`` table, one lot per row."""


class PointsRedeemed(Record):
    """Points spent: a reward, a discount on an order.

    Attributes:
        id: the entry's id.
        member_id: the member spending.
        amount: the points spent.
        at: when, timezone-aware.
        dealer_id: the dealer where they were spent (the one to be reimbursed).
        source_id: what they paid for (an order, a reward), if recorded.

    Examples:
        >>> from datetime import datetime, timezone
        >>> PointsRedeemed(id="R1", member_id="M1", amount=50, dealer_id="D2",
        ...                at=datetime(2026, 4, 1, tzinfo=timezone.utc)).amount
        50
    """

    id: Id
    member_id: Id
    amount: Points
    at: Instant
    dealer_id: Id
    source_id: Id | None = None


POINTS_REDEEMED = FactKind(
    name="points_redeemed",
    record=PointsRedeemed,
    noun="points redemption",
    table=TableSchema(
        "points_redeemed",
        (
            Column("id", K.ID),
            _member(),
            _points(),
            Column("at", K.INSTANT),
            _label_id("dealer_id"),
            _label_id("source_id", nullable=True),
        ),
        PointsRedeemed,
        checks=(_positive("amount"),),
    ),
    strategy=f"{STRATEGIES}:points_redeemed_part",
    synthetic=f"{SYNTHETIC}._points:points_entries",
)
"""Points redemptions: the ``points_redeemed`` table."""


class PointsExpired(Record):
    """The record of an expiry run: ``amount`` points of one lot lapsed at ``at``.

    The ledger derives expiry from each lot's ``expires_on`` (a lot lapses at the end of
    that day whether or not a run recorded it), so an expiry entry is the audit trail of a
    run, not a movement of its own; [`aftersales_crm.membership.Ledger.expiry_run`][aftersales_crm.membership.Ledger.expiry_run]
    writes these entries.

    Attributes:
        id: the entry's id.
        member_id: the member.
        amount: the points that lapsed.
        at: the instant they lapsed.
        earned_id: the award (the lot) they belonged to.

    Examples:
        >>> from datetime import datetime, timezone
        >>> PointsExpired(id="X1", member_id="M1", amount=20, earned_id="E1",
        ...               at=datetime(2027, 12, 31, 16, tzinfo=timezone.utc)).earned_id
        'E1'
    """

    id: Id
    member_id: Id
    amount: Points
    at: Instant
    earned_id: Id


POINTS_EXPIRED = FactKind(
    name="points_expired",
    record=PointsExpired,
    noun="points expiry",
    table=TableSchema(
        "points_expired",
        (
            Column("id", K.ID),
            _member(),
            _points(),
            Column("at", K.INSTANT),
            s.ref("earned", "earned_id", "points_earned"),
        ),
        PointsExpired,
        checks=(_positive("amount"),),
    ),
    strategy=f"{STRATEGIES}:points_expired_part",
    synthetic=f"{SYNTHETIC}._points:points_entries",
)
"""Expiry runs: the ``points_expired`` table."""


class Share(BaseModel):
    """An exact share of an award, ``numerator / denominator``, in (0, 1].

    The refunded part of an order: 300 yuan refunded of 900 paid is ``Share(numerator=300,
    denominator=900)`` (kept as given, not reduced, so the record says what was refunded).

    Attributes:
        numerator: the part, at least 1.
        denominator: the whole, at least the numerator.

    Examples:
        >>> Share(numerator=300, denominator=900).fraction
        Fraction(1, 3)
        >>> Share(numerator=2, denominator=1)
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Share
          Value error, a share is at most 1: numerator 2 is more than denominator 1 ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    numerator: Annotated[int, Field(strict=True, ge=1, le=2**62)]
    denominator: Annotated[int, Field(strict=True, ge=1, le=2**62)]

    @model_validator(mode="after")
    def _at_most_one(self) -> Self:
        if self.numerator > self.denominator:
            msg = (
                f"a share is at most 1: numerator {self.numerator} is more than "
                f"denominator {self.denominator}"
            )
            raise ValueError(msg)
        return self

    @property
    def fraction(self) -> Fraction:
        """The share as an exact ``Fraction``."""
        return Fraction(self.numerator, self.denominator)


class PointsReversed(Record):
    """An award taken back, wholly or in part: a refund, a cancelled order.

    Give either ``amount`` (the points to take back) or ``share`` (the refunded part of
    what earned the award). Either way the ledger uses the award's *recorded* amount, never
    today's earning rules, caps the points taken back at what was earned, and turns the
    part already spent into tracked debt (see [`aftersales_crm.membership`][aftersales_crm.membership]).

    Attributes:
        id: the entry's id.
        member_id: the member.
        at: when, timezone-aware.
        earned_id: the award reversed.
        amount: the points to take back, or ``None`` when ``share`` is given.
        share: the refunded share of the award, or ``None`` when ``amount`` is given.

    Examples:
        >>> from datetime import datetime, timezone
        >>> r = PointsReversed(id="V1", member_id="M1", earned_id="E1",
        ...                    at=datetime(2026, 4, 2, tzinfo=timezone.utc),
        ...                    share={"numerator": 1, "denominator": 3})
        >>> r.share.fraction, r.amount
        (Fraction(1, 3), None)
    """

    id: Id
    member_id: Id
    at: Instant
    earned_id: Id
    amount: Points | None = None
    share: Share | None = None

    @model_validator(mode="after")
    def _amount_or_share(self) -> Self:
        if (self.amount is None) == (self.share is None):
            msg = "a reversal gives either amount or share, exactly one of them"
            raise ValueError(msg)
        return self


def _amount_or_share(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Exactly one of amount and share, and a whole share in (0, 1], as the record requires."""
    amount, top, bottom = (
        columns["amount"],
        columns["share_numerator"],
        columns["share_denominator"],
    )
    none = NONE_CODE
    has_amount, has_top, has_bottom = amount != none, top != none, bottom != none
    return [
        *s.problems(
            np.flatnonzero(has_amount == has_top),
            "amount",
            "amount_or_share",
            lambda r: "a reversal gives either amount or share, exactly one of them",
        ),
        *s.problems(
            np.flatnonzero(has_top != has_bottom),
            "share.denominator",
            "partial_share",
            lambda r: "a share needs both its numerator and its denominator",
        ),
        *s.problems(
            np.flatnonzero(has_top & has_bottom & ((top == 0) | (top > bottom))),
            "share.numerator",
            "share_range",
            lambda r: f"share {top[r]}/{bottom[r]} is not in (0, 1]",
        ),
        *s.problems(
            np.flatnonzero(has_amount & (amount == 0)),
            "amount",
            "points_zero",
            lambda r: "amount is 0 points; an entry moves at least 1",
        ),
    ]


POINTS_REVERSED = FactKind(
    name="points_reversed",
    record=PointsReversed,
    noun="points reversal",
    table=TableSchema(
        "points_reversed",
        (
            Column("id", K.ID),
            _member(),
            Column("at", K.INSTANT),
            s.ref("earned", "earned_id", "points_earned"),
            Column("amount", K.INT, nullable=True, limit=MAX_POINTS, range_code="points_range"),
            Column("share_numerator", K.INT, field="share.numerator", nullable=True),
            Column("share_denominator", K.INT, field="share.denominator", nullable=True),
        ),
        PointsReversed,
        checks=(_amount_or_share,),
    ),
    strategy=f"{STRATEGIES}:points_reversed_part",
    synthetic=f"{SYNTHETIC}._points:points_entries",
)
"""Reversals of awards: the ``points_reversed`` table."""


class PointsAdjusted(Record):
    """A manual correction: points credited (positive) or debited (negative), with a reason.

    A credit is a lot of its own that never expires, paid for by ``funder``; a debit is
    taken from the member's lots like a redemption and may leave tracked debt, since a
    correction is the programme's word.

    Attributes:
        id: the entry's id.
        member_id: the member.
        amount: signed points, not 0, at most ``MAX_POINTS`` either way.
        at: when, timezone-aware.
        reason: why (required: corrections carry their reason).
        funder: who pays for a credit (HQ by default).

    Examples:
        >>> from datetime import datetime, timezone
        >>> PointsAdjusted(id="J1", member_id="M1", amount=-30, reason="double award",
        ...                at=datetime(2026, 4, 3, tzinfo=timezone.utc)).amount
        -30
    """

    id: Id
    member_id: Id
    amount: Annotated[int, Field(strict=True, ge=-MAX_POINTS, le=MAX_POINTS)]
    at: Instant
    reason: Reason
    funder: Funder = Funder.HQ

    @model_validator(mode="after")
    def _not_zero(self) -> Self:
        if self.amount == 0:
            msg = "amount is 0 points; an adjustment moves at least 1"
            raise ValueError(msg)
        return self


POINTS_ADJUSTED = FactKind(
    name="points_adjusted",
    record=PointsAdjusted,
    noun="points adjustment",
    table=TableSchema(
        "points_adjusted",
        (
            Column("id", K.ID),
            _member(),
            Column("amount", K.INT, limit=MAX_POINTS, range_code="points_range", signed=True),
            Column("at", K.INSTANT),
            s.text("reason", nullable=False),
            Column("funder", K.CATEGORY, enum=Funder),
        ),
        PointsAdjusted,
        checks=(_positive("amount"),),
    ),
    strategy=f"{STRATEGIES}:points_adjusted_part",
    synthetic=f"{SYNTHETIC}._points:points_entries",
)
"""Manual adjustments: the ``points_adjusted`` table (a signed amount)."""
