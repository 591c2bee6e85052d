"""Small builders of customer bases for the care tests: one dealer, customers, their cars,
repair orders, contacts, consents and complaints, on days in Beijing time."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aftersales_crm import synthetic
from aftersales_crm.care import CareInputs
from aftersales_crm.records import (
    Book,
    ComplaintFiled,
    ConsentChanged,
    ContactMade,
    Customer,
    Dealer,
    Ownership,
    Record,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import Money, vin

CUSTOMERS = ("C1", "C2", "C3", "C4")
CHANNELS = ("phone", "sms", "messaging_app", "email", "post")
PURPOSES = ("service_reminder", "marketing", "survey")


def make_vin(serial: int) -> str:
    body = f"LSVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


VINS = tuple(make_vin(i) for i in range(1, 9))


def beijing(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Beijing (UTC+8) on ``day``, as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def line(kind: str = "maintenance", pay: str = "customer") -> RepairLine:
    return RepairLine(
        kind=kind, pay=pay, labour=Money.parse("100", "CNY"), parts=Money.parse("0", "CNY")
    )


def order(
    order_id: str,
    opened: date,
    *,
    customer: str = "C1",
    vehicle: str | None = VINS[0],
    closed: date | None = None,
    km: int | None = 1000,
    kind: str = "maintenance",
) -> RepairOrder:
    """A repair order opened at 09:00 on ``opened``, closed at 17:00 on ``closed``."""
    return RepairOrder(
        id=order_id,
        dealer_id="D1",
        vin=vehicle,
        customer_id=customer,
        opened_at=beijing(opened, 9),
        closed_at=None if closed is None else beijing(closed, 17),
        mileage=km if vehicle is not None else None,
        lines=(line(kind),),
    )


def car(
    serial: int, owner: str, bought: date | None, *, model: str = "Lavida", sold_here: bool = True
) -> list[Record]:
    """Vehicle ``VINS[serial]``, owned by ``owner`` since it was bought."""
    start = bought or date(2020, 1, 1)
    return [
        Vehicle(vin=VINS[serial], model=model, purchase_date=bought, sold_here=sold_here),
        Ownership(id=f"O{serial}", customer_id=owner, vin=VINS[serial], start=start),
    ]


def consent(
    consent_id: str,
    customer: str,
    on: date,
    *,
    purpose: str = "survey",
    channel: str = "phone",
    granted: bool = True,
    hour: int = 10,
) -> ConsentChanged:
    return ConsentChanged(
        id=consent_id,
        customer_id=customer,
        purpose=purpose,
        channel=channel,
        granted=granted,
        at=beijing(on, hour),
    )


def everything(customers: Iterable[str] = CUSTOMERS, on: date = date(2020, 1, 1)) -> list[Record]:
    """Consent to every purpose over every channel for ``customers`` since ``on``."""
    return [
        consent(f"K-{c}-{p}-{ch}", c, on, purpose=p, channel=ch)
        for c in customers
        for p in PURPOSES
        for ch in CHANNELS
    ]


def contact(
    contact_id: str,
    customer: str,
    on: date,
    *,
    purpose: str = "follow_up_3d",
    outcome: str = "reached",
    vehicle: str | None = None,
    order_id: str | None = None,
    channel: str = "phone",
) -> ContactMade:
    return ContactMade(
        id=contact_id,
        customer_id=customer,
        vin=vehicle,
        channel=channel,
        purpose=purpose,
        outcome=outcome,
        at=beijing(on, 11),
        repair_order_id=order_id,
    )


def complaint(complaint_id: str, customer: str, on: date) -> ComplaintFiled:
    return ComplaintFiled(
        id=complaint_id,
        customer_id=customer,
        at=beijing(on, 12),
        category="price",
        severity="low",
        channel="phone",
    )


def book(
    *records: Any, customers: Sequence[str] = CUSTOMERS, prefers: Mapping[str, str] | None = None
) -> Book:
    """A Book of one dealer, ``customers`` and ``records`` (lists of records flattened).

    ``prefers`` maps a customer to their own preferred channel.
    """
    flat: list[Record] = []
    for item in records:
        flat.extend(item if isinstance(item, list | tuple) else [item])
    base: list[Record] = [Dealer(id="D1", name="朝阳店")]
    own = prefers or {}
    base += [Customer(id=c, name="王芳", preferred_channel=own.get(c)) for c in customers]
    return Book.from_records([*base, *flat])


@functools.cache
def drawn_book() -> Book:
    """A drawn network of 300 customers, drawn once per process, when a test first asks.

    Drawn at import instead, every xdist worker would draw it while collecting, for tests
    it may never run.
    """
    return synthetic.book(300, seed=1)


@functools.cache
def drawn_tables() -> Tables:
    """:func:`drawn_book` as Tables, converted once (CareInputs.of converts a Book per call)."""
    return Tables.from_book(drawn_book())


def inputs(
    data: Book | Tables, start: date, end: date | None = None, as_of: date | None = None, **kw: Any
) -> CareInputs:
    return CareInputs.of(data, start=start, end=end, as_of=as_of, **kw)


Row = tuple[date, date, date, int, int]


def plan(rule: object, *records: object, start: date, end: date, as_of: date) -> list[Row]:
    """Each task as (due, window end, target, reason code, detail), by due day."""
    tasks = rule.plan(inputs(book(*records), start, end, as_of=as_of))  # type: ignore[attr-defined]
    assert set(tasks.vehicle.tolist()) <= set(VINS)
    assert (tasks.anchor < tasks.due).all()
    rows = tasks.canonical_order()
    return list(
        zip(
            tasks.due[rows].tolist(),
            tasks.window_end[rows].tolist(),
            tasks.target[rows].tolist(),
            tasks.reason[rows].tolist(),
            tasks.detail[rows].tolist(),
            strict=True,
        )
    )


def readings(
    serial: int, customer: str, *days_km: tuple[date, int], kind: str = "accessories"
) -> list[object]:
    """Visits of car ``serial`` with these odometer readings (accessories: not a service)."""
    return [
        order(
            f"R{serial}-{i}",
            day,
            customer=customer,
            vehicle=VINS[serial],
            km=km,
            closed=day,
            kind=kind,
        )
        for i, (day, km) in enumerate(days_km)
    ]
