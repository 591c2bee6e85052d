"""The Book: the records of the tables, plus the facts only records carry."""

from __future__ import annotations

from datetime import date

import numpy as np

from aftersales_crm._args import as_of_date
from aftersales_crm._transitions import utc
from aftersales_crm.records import Book, Dealer, RepairOrder, on_time
from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._customers import with_consents_and_hobbies
from aftersales_crm.synthetic._facts import complaints, follow_up_calls, referrals
from aftersales_crm.synthetic._points import points_entries
from aftersales_crm.synthetic._surveys import (
    servqual_responses,
    staff_survey_responses,
    survey_effects,
    survey_responses,
)
from aftersales_crm.synthetic._tables import tables

__all__ = ["book"]


def book(
    n_customers: int = 200,
    *,
    seed: int = 0,
    as_of: date | str = w.DEFAULT_AS_OF,
    n_dealers: int | None = None,
) -> Book:
    """Draw a realistic synthetic dealer network as a validated [`Book`][aftersales_crm.records.Book].

    The dealers, club chapters, customers, vehicles, ownerships, repair orders, club
    activity attendances and club members' facts are the records of [`tables`][aftersales_crm.synthetic.tables] with
    the same arguments ([`Tables.to_records`][aftersales_crm.tables.Tables.to_records]), with each customer's consents and hobbies
    drawn. The Book adds 3-day and 7-day follow-up calls after deliveries, complaints with
    their updates, referrals, the points entries of the club's members and the answers
    to the China CSI survey (and, from a few customers, to SERVQUAL) after some
    deliveries, drawn with the known dealer and advisor effects and key drivers of
    [`survey_effects`][aftersales_crm.synthetic.survey_effects] (same ``seed``), and the SERVQUAL expectations each dealer's
    manager and one or two advisors believe customers hold.

    Args:
        n_customers: how many customers; meant for thousands, not millions (use
            [`tables`][aftersales_crm.synthetic.tables] for scale).
        seed: the seed of the random generator; the same seed gives an equal Book.
        as_of: the day the history ends (a date, not a datetime, or ISO text).
        n_dealers: how many dealers, as [`tables`][aftersales_crm.synthetic.tables] takes it (at least 2 by default).

    Returns:
        The Book.

    Raises:
        InvalidValue: as [`tables`][aftersales_crm.synthetic.tables] does.

    Examples:
        >>> b = book(n_customers=30, seed=5)
        >>> sorted({line.kind.value for o in b.repair_orders.values() for line in o.lines})[:3]
        ['accessories', 'body_paint', 'first_maintenance']
        >>> len(b.customers), len(b.contacts) > 0
        (30, True)
    """
    as_of = as_of_date(as_of)
    drawn = tables(n_customers, seed=seed, as_of=as_of, n_dealers=n_dealers)
    rng = np.random.default_rng((seed, w.BOOK_STREAM))  # the Book's own stream
    records = with_consents_and_hobbies(drawn, rng, as_of).to_records()
    orders = [r for r in records if isinstance(r, RepairOrder)]
    records += follow_up_calls(orders, rng, as_of)
    late = late_orders(orders)
    records += complaints(orders, late, rng, as_of)
    records += referrals(drawn, rng, as_of)
    records += points_entries(drawn, np.random.default_rng((seed, w.BOOK_STREAM, 13)), as_of)
    effects = survey_effects(len(drawn.dealers), seed=seed)
    survey_rng = np.random.default_rng((seed, w.SURVEY_STREAM))
    records += survey_responses(orders, late, survey_rng, as_of, effects)
    records += servqual_responses(orders, seed, as_of, effects)
    dealers = [r for r in records if isinstance(r, Dealer)]
    staff_rng = np.random.default_rng((seed, w.STAFF_SURVEY_STREAM))
    records += staff_survey_responses(dealers, staff_rng, as_of)
    return Book.from_records(records)


def late_orders(orders: list[RepairOrder]) -> dict[str, bool]:
    """Whether each order is known to be late (``on_time`` False, not None), by id.

    The rule is [`on_time`][aftersales_crm.records.on_time], applied to all the orders at
    once rather than to each through ``RepairOrder.on_time`` (a one-row call each); the
    complaints and the surveys read it.
    """
    known = [
        (o.id, o.closed_at, o.promised_at)
        for o in orders
        if o.closed_at is not None and o.promised_at is not None
    ]
    kept = on_time(utc([closed for _, closed, _ in known]), utc([due for *_, due in known]))
    late = dict.fromkeys((o.id for o in orders), False)
    late.update(zip((key for key, *_ in known), (~kept).tolist(), strict=True))
    return late
