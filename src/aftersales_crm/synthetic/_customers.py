"""What a Book's customers carry beyond the tables' draw: consents and hobbies.

[`tables`][aftersales_crm.synthetic.tables] leaves the consents table empty and hobbies
``()``: drawing them takes a few random numbers per customer, one customer at a time,
which is right for a Book of thousands and wrong for a base of millions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._identifiers import pick
from aftersales_crm.tables import SCHEMAS, Table, Tables

_SCHEMA = SCHEMAS["consents"]
#: The values of the purposes and channels, in the order of their codes in the table.
_PURPOSES = [member.value for member in _SCHEMA.column("purpose").enum or ()]
_CHANNELS = [member.value for member in _SCHEMA.column("channel").enum or ()]


def with_consents_and_hobbies(drawn: Tables, rng: np.random.Generator, as_of: date) -> Tables:
    """``drawn`` with each customer's consents and hobbies, drawn customer by customer.

    Every customer records the consents of ``CONSENT_SHARES`` on the day of
    their first purchase (10:00 UTC); a few withdraw marketing by SMS some days later, if
    that day is not after ``as_of``. Hobbies are up to two of ``HOBBIES``.
    """
    since: dict[int, date] = {}
    ownerships = drawn.ownerships
    for customer, start in zip(
        ownerships["customer"].tolist(), ownerships["start"].tolist(), strict=True
    ):
        since.setdefault(customer, start)
    default_since = as_of - timedelta(days=w.CONSENT_DAYS_WITHOUT_VEHICLE)
    customer_ids = drawn.customers["id"].tolist()
    rows: list[tuple[int, str, str, bool, datetime]] = []
    ids: list[str] = []
    hobbies: list[tuple[str, ...]] = []
    for i in range(len(drawn.customers)):
        day = since.get(i, default_since)
        given = datetime(day.year, day.month, day.day, w.CONSENT_HOUR, tzinfo=UTC)
        first = len(rows)
        rows += [
            (i, purpose, channel, bool(rng.random() < share), given)
            for (purpose, channel), share in w.CONSENT_SHARES.items()
        ]
        withdrawn = given + timedelta(days=w.WITHDRAW_AFTER_DAYS)
        if rng.random() < w.WITHDRAW_MARKETING_SHARE and withdrawn.date() <= as_of:
            rows.append((i, "marketing", "sms", False, withdrawn))
        ids += [f"CS{customer_ids[i]}-{n}" for n in range(len(rows) - first)]
        picked = pick(rng, w.HOBBIES, int(rng.integers(0, 3))).tolist()
        hobbies.append(tuple(sorted(set(picked))))
    consents = Table(
        _SCHEMA,
        {
            "id": np.array(ids, dtype=np.str_),
            "customer": np.array([r[0] for r in rows], dtype=np.int64),
            "purpose": np.array([_PURPOSES.index(r[1]) for r in rows], dtype=np.int8),
            "channel": np.array([_CHANNELS.index(r[2]) for r in rows], dtype=np.int8),
            "granted": np.array([r[3] for r in rows], dtype=bool),
            "at": np.array([r[4].replace(tzinfo=None) for r in rows], dtype="datetime64[us]"),
        },
    )
    hobby_column = np.empty(len(hobbies), dtype=object)
    for i, chosen in enumerate(hobbies):
        hobby_column[i] = chosen  # one by one: numpy would unpack a list of tuples
    customers = Table(SCHEMAS["customers"], {**drawn.customers.columns, "hobbies": hobby_column})
    parts = {table.name: table for table in drawn}
    return Tables(drawn.currency, **{**parts, "customers": customers, "consents": consents})
