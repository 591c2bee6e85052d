"""Contacts, complaints, referrals and club activities: the facts beyond repair orders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import StringConstraints, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Personal, Record
from aftersales_crm.records._enums import (
    ComplaintAction,
    ComplaintCategory,
    ContactOutcome,
    CustomerVerdict,
    Severity,
)
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, FactKind
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import NONE_CODE, ContactChannel, ContactPurpose
from aftersales_crm.values.types import Date, Instant, PhoneNumber, Vin

__all__ = [
    "ACTIVITIES",
    "COMPLAINTS",
    "COMPLAINT_UPDATES",
    "CONTACTS",
    "REFERRALS",
    "ActivityAttended",
    "ComplaintFiled",
    "ComplaintUpdated",
    "ContactMade",
    "ReferralMade",
]

K = s.ColumnKind
_NONE = NONE_CODE

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ContactMade(Record):
    """A contact with a customer: a care call, a 3DC/7DC follow-up, a solicitation, and so on.

    Attributes:
        id: the contact's id.
        customer_id: who was contacted.
        vin: the vehicle the contact was about, if any.
        channel: phone, SMS, messaging app, e-mail, post or visit.
        purpose: care, follow-up, solicitation, inquiry, appointment, complaint call, …
        outcome: reached, no answer, refused, wrong number, asked not to be contacted, or
            one of the four hard-to-reach customers ([`ContactOutcome`][aftersales_crm.records.ContactOutcome]).
        at: when, timezone-aware.
        staff: who made the contact, a staff id.
        repair_order_id: the order a follow-up is about.
        note: what was said.

    Examples:
        >>> from datetime import datetime, timezone
        >>> c = ContactMade(id="K1", customer_id="C1", channel="phone", purpose="follow_up_3d",
        ...                 outcome="reached", at=datetime(2026, 3, 5, 10, tzinfo=timezone.utc))
        >>> c.purpose.label("zh"), c.outcome.label("en")
        ('三日回访', 'reached')
    """

    id: Id
    customer_id: Id
    vin: Vin | None = None
    channel: ContactChannel
    purpose: ContactPurpose
    outcome: ContactOutcome
    at: Instant
    staff: Id | None = None
    repair_order_id: Id | None = None
    note: Text | None = None


CONTACTS = FactKind(
    name="contacts",
    record=ContactMade,
    noun="contact",
    table=TableSchema(
        "contacts",
        (
            Column("id", K.ID),
            s.ref("customer", "customer_id", "customers"),
            s.ref("vehicle", "vin", "vehicles", nullable=True),
            Column("channel", K.CATEGORY, enum=ContactChannel),
            Column("purpose", K.CATEGORY, enum=ContactPurpose),
            Column("outcome", K.CATEGORY, enum=ContactOutcome),
            Column("at", K.INSTANT),
            s.id_text("staff"),
            s.ref("order", "repair_order_id", "orders", nullable=True),
            s.text("note", max_length=s.LONG_TEXT),
        ),
        ContactMade,
    ),
    strategy=f"{STRATEGIES}:contact_part",
    synthetic=f"{SYNTHETIC}._facts:follow_up_calls",
)
"""Contacts: the ``contacts`` table."""


class ComplaintFiled(Record):
    """A customer filed a complaint (投诉).

    Attributes:
        id: the complaint's id.
        customer_id: who complained.
        at: when it was filed, timezone-aware.
        category: what it is about.
        severity: how serious it is; SLAs depend on it.
        channel: how it came in.
        repair_order_id: the repair order it is about, if any.
        description: the customer's words.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintFiled(id="Q1", customer_id="C1", at=datetime(2026, 3, 6, tzinfo=timezone.utc),
        ...                category="repair_quality", severity="high", channel="phone").severity.label("zh")
        '高'
    """

    id: Id
    customer_id: Id
    at: Instant
    category: ComplaintCategory
    severity: Severity
    channel: ContactChannel
    repair_order_id: Id | None = None
    description: Text | None = None


COMPLAINTS = FactKind(
    name="complaints",
    record=ComplaintFiled,
    noun="complaint",
    table=TableSchema(
        "complaints",
        (
            Column("id", K.ID),
            s.ref("customer", "customer_id", "customers"),
            Column("at", K.INSTANT),
            Column("category", K.CATEGORY, enum=ComplaintCategory),
            Column("severity", K.CATEGORY, enum=Severity),
            Column("channel", K.CATEGORY, enum=ContactChannel),
            s.ref("order", "repair_order_id", "orders", nullable=True),
            s.text("description", max_length=s.LONG_TEXT),
        ),
        ComplaintFiled,
    ),
    strategy=f"{STRATEGIES}:complaint_part",
    synthetic=f"{SYNTHETIC}._facts:complaints",
)
"""Complaints as filed: the ``complaints`` table."""


class ComplaintUpdated(Record):
    """A complaint moved on: acknowledged, in progress, escalated, resolved, reopened or closed.

    Closing carries the customer's verdict; the other actions do not.

    Attributes:
        id: the update's id.
        complaint_id: the complaint.
        at: when, timezone-aware.
        action: what happened.
        verdict: the customer's verdict, required when closing, absent otherwise.
        staff: who acted.
        note: root cause, resolution or remarks.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintUpdated(id="U1", complaint_id="Q1", at=datetime(2026, 3, 8, tzinfo=timezone.utc),
        ...                  action="closed", verdict="satisfied").verdict.value
        'satisfied'
    """

    id: Id
    complaint_id: Id
    at: Instant
    action: ComplaintAction
    verdict: CustomerVerdict | None = None
    staff: Id | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _verdict_only_on_close(self) -> Self:
        closing = self.action is ComplaintAction.CLOSED
        if closing and self.verdict is None:
            msg = "closing a complaint needs the customer's verdict"
            raise ValueError(msg)
        if not closing and self.verdict is not None:
            msg = f"a verdict belongs to closing, not to {self.action.value}"
            raise ValueError(msg)
        return self


def _updates_after_filing(
    fresh: Sequence[ComplaintUpdated], book: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    """An update is not earlier than the complaint it moves on."""
    problems: list[str] = []
    for update in fresh:
        complaint = book["complaints"].get(update.complaint_id)
        if isinstance(complaint, ComplaintFiled) and update.at < complaint.at:
            problems.append(
                f"complaint update {update.key!r}: at {update.at.isoformat()} is before the "
                f"complaint was filed at {complaint.at.isoformat()}"
            )
    return problems


def _verdicts_on_closing_only(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Closing carries a verdict and nothing else does, as [`ComplaintUpdated`][aftersales_crm.records.ComplaintUpdated] requires."""
    closing = columns["action"] == list(ComplaintAction).index(ComplaintAction.CLOSED)
    given = columns["verdict"] != _NONE
    return [
        *s.problems(
            np.flatnonzero(closing & ~given),
            "verdict",
            "verdict_missing",
            lambda r: "closing a complaint needs the customer's verdict",
        ),
        *s.problems(
            np.flatnonzero(~closing & given),
            "verdict",
            "verdict_not_closing",
            lambda r: "a verdict belongs to closing a complaint only",
        ),
    ]


COMPLAINT_UPDATES = FactKind(
    name="complaint_updates",
    record=ComplaintUpdated,
    noun="complaint update",
    table=TableSchema(
        "complaint_updates",
        (
            Column("id", K.ID),
            s.ref("complaint", "complaint_id", "complaints"),
            Column("at", K.INSTANT),
            Column("action", K.CATEGORY, enum=ComplaintAction),
            Column("verdict", K.CATEGORY, nullable=True, enum=CustomerVerdict),
            s.id_text("staff"),
            s.text("note", max_length=s.LONG_TEXT),
        ),
        ComplaintUpdated,
        checks=(_verdicts_on_closing_only,),
    ),
    checks=(_updates_after_filing,),
    strategy=f"{STRATEGIES}:complaint_update_part",
    synthetic=f"{SYNTHETIC}._facts:complaints",
)
"""Complaint updates: the ``complaint_updates`` table; an update follows its complaint."""


class ReferralMade(Record):
    """A customer referred someone to buy a vehicle (推荐购车).

    Attributes:
        id: the referral's id.
        referrer_id: the referring customer.
        referred_name: the person referred.
        referred_phone: their phone.
        referred_customer_id: their customer id once they became one.
        on: the day of the referral.
        delivered_on: the day the referred person took delivery; None while pending.

    Examples:
        >>> r = ReferralMade(id="R1", referrer_id="C1", referred_name="赵磊", on="2026-02-01",
        ...                  delivered_on="2026-03-15")
        >>> r.successful
        True
    """

    id: Id
    referrer_id: Id
    referred_name: Annotated[Text, Personal("name")]
    referred_phone: Annotated[PhoneNumber | None, Personal("phone")] = None
    referred_customer_id: Id | None = None
    on: Date
    delivered_on: Date | None = None

    @model_validator(mode="after")
    def _delivered_after_referral(self) -> Self:
        if self.delivered_on is not None and self.delivered_on < self.on:
            msg = (
                f"delivered_on {self.delivered_on.isoformat()} is before the referral "
                f"on {self.on.isoformat()}"
            )
            raise ValueError(msg)
        return self

    @property
    def successful(self) -> bool:
        """Whether the referral ended in a delivered vehicle."""
        return self.delivered_on is not None


def _delivered_after_referral(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Delivery is not before the referral, as [`ReferralMade`][aftersales_crm.records.ReferralMade] requires."""
    on, delivered = columns["on"], columns["delivered_on"]
    return s.problems(
        np.flatnonzero(delivered < on),
        "delivered_on",
        "delivered_before_referral",
        lambda r: f"delivered_on {delivered[r]} is before the referral on {on[r]}",
    )


REFERRALS = FactKind(
    name="referrals",
    record=ReferralMade,
    noun="referral",
    table=TableSchema(
        "referrals",
        (
            Column("id", K.ID),
            s.ref("referrer", "referrer_id", "customers"),
            s.text("referred_name", nullable=False, max_length=s.LONG_TEXT),
            s.phone_column("referred_phone"),
            s.ref("referred_customer", "referred_customer_id", "customers", nullable=True),
            Column("on", K.DATE),
            Column("delivered_on", K.DATE, nullable=True),
        ),
        ReferralMade,
        checks=(_delivered_after_referral,),
    ),
    strategy=f"{STRATEGIES}:referral_part",
    synthetic=f"{SYNTHETIC}._facts:referrals",
)
"""Referrals: the ``referrals`` table."""


class ActivityAttended(Record):
    """A customer took part in a club activity (owner class, outdoor event, party).

    Attributes:
        id: the attendance's id.
        activity_id: the activity.
        customer_id: who attended.
        on: the day.
        feedback: what they said about it.

    Examples:
        >>> ActivityAttended(id="A1", activity_id="EV-2026-05", customer_id="C1", on="2026-05-18").on
        datetime.date(2026, 5, 18)
    """

    id: Id
    activity_id: Id
    customer_id: Id
    on: Date
    feedback: Text | None = None


ACTIVITIES = FactKind(
    name="activities",
    record=ActivityAttended,
    noun="activity attendance",
    table=TableSchema(
        "activities",
        (
            Column("id", K.ID),
            Column("activity_id", K.LABEL, check=s.plain_id, max_length=s.ID_MAX),
            s.ref("customer", "customer_id", "customers"),
            Column("on", K.DATE),
            s.text("feedback", max_length=s.LONG_TEXT),
        ),
        ActivityAttended,
    ),
    strategy=f"{STRATEGIES}:activity_part",
    synthetic=f"{SYNTHETIC}._activities:draw_activities",
)
"""Club activity attendances: the ``activities`` table (activity ids as labels)."""
