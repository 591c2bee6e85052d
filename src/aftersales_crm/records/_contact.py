"""Contacts, complaints, referrals and club activities: the facts beyond repair orders."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import AwareDatetime, StringConstraints, model_validator

from aftersales_crm.records._base import Id, Personal, Record
from aftersales_crm.records._enums import (
    ComplaintAction,
    ComplaintCategory,
    ContactOutcome,
    CustomerVerdict,
    Severity,
)
from aftersales_crm.values import ContactChannel, ContactPurpose
from aftersales_crm.values.types import PhoneNumber, Vin

__all__ = [
    "ActivityAttended",
    "ComplaintFiled",
    "ComplaintUpdated",
    "ContactMade",
    "ReferralMade",
]

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ContactMade(Record):
    """A contact with a customer: a care call, a 3DC/7DC follow-up, a solicitation, and so on.

    Attributes:
        id: the contact's id.
        customer_id: who was contacted.
        vin: the vehicle the contact was about, if any.
        channel: phone, SMS, messaging app, e-mail, post or visit.
        purpose: care, follow-up, solicitation, inquiry, appointment, complaint call, …
        outcome: reached, no answer, refused, wrong number, or asked not to be contacted.
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
    at: AwareDatetime
    staff: Id | None = None
    repair_order_id: Id | None = None
    note: Text | None = None


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
    at: AwareDatetime
    category: ComplaintCategory
    severity: Severity
    channel: ContactChannel
    repair_order_id: Id | None = None
    description: Text | None = None


class ComplaintUpdated(Record):
    """A complaint moved on: acknowledged, escalated, resolved, reopened or closed.

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
    at: AwareDatetime
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
    on: date
    delivered_on: date | None = None

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
    on: date
    feedback: Text | None = None
