"""Seeded, realistic synthetic dealer data, for demos, doctests, tests and benchmarks.

One generative model, two outputs:

* [`tables`][aftersales_crm.synthetic.tables] draws the whole customer base straight into
  [`Tables`][aftersales_crm.tables.Tables] (dealers, customers, vehicles, ownerships, repair
  orders and their lines, club activity attendances, and the owners' club: a chapter per
  full-function dealer and its members applying, joining, moving, lapsing and coming
  back). It builds no record, so a million
  customers and ten million repair-order lines take seconds. [`columns`][aftersales_crm.synthetic.columns] gives the
  same tables together with the hidden truths of the model (each vehicle's km/day, each
  customer's home dealer).
* [`book`][aftersales_crm.synthetic.book] turns the tables of a small base into records
  ([`to_records`][aftersales_crm.tables.Tables.to_records]), with consents and hobbies, adds the
  facts that only records carry (3-day and 7-day follow-up calls, complaints and their
  updates, referrals, points entries, survey answers) and returns a validated
  [`Book`][aftersales_crm.records.Book]. The survey answers follow known dealer and
  advisor effects and key drivers, which [`survey_effects`][aftersales_crm.synthetic.survey_effects] gives, so that what the
  satisfaction analytics find can be checked against the truth.

The model follows the rhythms of after-sales service: a first maintenance 3–6 months after
purchase (or at about 5,000 km, whichever comes first), then a visit every 6 months or
5,000–10,000 km; each vehicle's odometer grows at its own rate; a share of owners drifts
away and never comes back; some repairs come back for the same fault; some deliveries
are late; a few vehicles change hands. Identifiers are valid: VIN check digits (ISO 3779),
national ID check digits (GB 11643), phone numbers and plates.

Nothing here reads the clock or writes anything. The same ``seed`` gives the same data on
any machine with the same numpy version (numpy guarantees the bit stream of
``numpy.random.Generator``, not every distribution across its own versions).

Examples:
    >>> from aftersales_crm import synthetic
    >>> book = synthetic.book(n_customers=50, seed=42)
    >>> len(book.customers), len(book.vehicles) >= 50
    (50, True)
    >>> tables = synthetic.tables(n_customers=1_000, seed=42)
    >>> tables.customers["id"][:2]
    array(['C0000000', 'C0000001'], dtype='<U8')
    >>> synthetic.DEFAULT_AS_OF  # the day the history ends unless told otherwise
    datetime.date(2026, 6, 30)
"""

from __future__ import annotations

from aftersales_crm.synthetic._book import book
from aftersales_crm.synthetic._surveys import SurveyEffects, survey_effects
from aftersales_crm.synthetic._tables import SyntheticColumns, columns, tables
from aftersales_crm.synthetic._world import DEFAULT_AS_OF

__all__ = [
    "DEFAULT_AS_OF",
    "SurveyEffects",
    "SyntheticColumns",
    "book",
    "columns",
    "survey_effects",
    "tables",
]
