"""Facts only a Book carries: follow-up calls, complaints and referrals.

They are drawn one record at a time from the repair orders and customers of the tables,
after the consents, from the Book's own random stream. The club's activities, chapters
and members are not among them: the tables draw those (``._activities``,
``._members``), and the Book takes them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np

from aftersales_crm.records import (
    ComplaintFiled,
    ComplaintUpdated,
    ContactMade,
    Record,
    ReferralMade,
    RepairOrder,
)
from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._identifiers import pick
from aftersales_crm.tables import Tables
from aftersales_crm.values import FOLLOW_UP_DAYS


def follow_up_calls(
    orders: list[RepairOrder], rng: np.random.Generator, as_of: date
) -> list[Record]:
    """The 3-day and 7-day calls after each delivery ([`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS]), where made."""
    out: list[Record] = []
    for order in orders:
        if order.closed_at is None:
            continue  # still in the workshop: no follow-up yet
        for purpose, days in FOLLOW_UP_DAYS.items():
            when = order.closed_at + timedelta(days=days)
            if when.date() <= as_of and rng.random() < w.FOLLOW_UP_REACH[purpose]:
                out.append(
                    ContactMade(
                        id=f"K{order.id}-{days}",
                        customer_id=order.customer_id,
                        vin=order.vin,
                        channel="phone",
                        purpose=purpose,
                        outcome=w.CALL_OUTCOMES[int(rng.integers(0, len(w.CALL_OUTCOMES)))],
                        at=when,
                        staff=f"CC{int(rng.integers(1, w.CALL_STAFF + 1)):02d}",
                        repair_order_id=order.id,
                    )
                )
    return out


def complaints(
    orders: list[RepairOrder], late: Mapping[str, bool], rng: np.random.Generator, as_of: date
) -> list[Record]:
    """Complaints after some deliveries (more after a ``late`` one or a comeback), and their steps."""
    out: list[Record] = []
    for order in orders:
        was_late = late[order.id]
        if rng.random() >= (
            w.COMPLAINT_SHARE_TROUBLED
            if was_late or order.comeback_of
            else w.COMPLAINT_SHARE_NORMAL
        ):
            continue
        if order.closed_at is None:
            continue
        filed_at = order.closed_at + timedelta(hours=int(rng.integers(*w.COMPLAINT_DELAY_HOURS)))
        if filed_at.date() > as_of:
            continue
        qid = f"Q{order.id}"
        categories = w.COMPLAINT_CATEGORIES
        category = "waiting_time" if was_late else categories[int(rng.integers(0, len(categories)))]
        severities = w.COMPLAINT_SEVERITIES
        out.append(
            ComplaintFiled(
                id=qid,
                customer_id=order.customer_id,
                at=filed_at,
                category=category,
                severity=severities[int(rng.integers(0, len(severities)))],
                channel="phone",
                repair_order_id=order.id,
            )
        )
        stop = int(rng.integers(1, len(w.COMPLAINT_STEPS) + 1))
        last = filed_at
        for n, (action, hours) in enumerate(w.COMPLAINT_STEPS[:stop]):
            drawn = filed_at + timedelta(hours=hours * float(rng.uniform(*w.COMPLAINT_STEP_SPREAD)))
            when = max(drawn, last + w.COMPLAINT_STEP_GAP)  # each step after the one before
            if when.date() > as_of:
                break
            if action == "resolved":  # handed to the department concerned, halfway there
                middle = last + (when - last) / 2
                out.append(
                    ComplaintUpdated(
                        id=f"{qid}-p", complaint_id=qid, at=middle, action="in_progress"
                    )
                )
            verdicts = w.COMPLAINT_VERDICTS
            verdict = verdicts[int(rng.integers(0, len(verdicts)))] if action == "closed" else None
            out.append(
                ComplaintUpdated(
                    id=f"{qid}-{n}", complaint_id=qid, at=when, action=action, verdict=verdict
                )
            )
            last = when
    return out


def referrals(drawn: Tables, rng: np.random.Generator, as_of: date) -> list[Record]:
    """Each customer's referral of a buyer, if any."""
    out: list[Record] = []
    for customer_id in drawn.customers["id"].tolist():
        if rng.random() < w.REFERRAL_SHARE:
            on = as_of - timedelta(days=int(rng.integers(*w.REFERRAL_DAYS_AGO)))
            delivered = on + timedelta(days=int(rng.integers(*w.REFERRAL_DELIVERY_DAYS)))
            family = str(pick(rng, w.FAMILY_NAMES, 1)[0])
            name = family + str(pick(rng, w.GIVEN_CHARS, 1)[0])
            out.append(
                ReferralMade(
                    id=f"R{customer_id}",
                    referrer_id=customer_id,
                    referred_name=name,
                    on=on,
                    delivered_on=delivered
                    if delivered <= as_of and rng.random() < w.REFERRAL_SUCCESS_SHARE
                    else None,
                )
            )
    return out
