"""The gap model: the material's five gaps as data, and gaps 3 and 4 measured on repair orders."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import (
    Book,
    Customer,
    Dealer,
    Record,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.satisfaction import (
    DELIVERY_STANDARDS,
    SERVICE_GAPS,
    DeliveryStandards,
    delivery_gaps,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import Material, Money, ServiceKind, vin

# 10:00 Beijing time on 2 March 2026.
OPEN = datetime(2026, 3, 2, 2, tzinfo=UTC)


def _vin(serial: int) -> str:
    body = f"LFVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


def _order(
    number: str,
    kinds: tuple[str, ...],
    *,
    dealer: str = "D1",
    took: int | None,
    promise: int | None = None,
    opened: datetime = OPEN,
    back_to: str | None = None,
) -> RepairOrder:
    """An order opened at ``opened``, closed ``took`` minutes later, promised ``promise``."""
    return RepairOrder(
        id=number,
        dealer_id=dealer,
        vin=_vin(1),
        customer_id="C1",
        opened_at=opened,
        closed_at=None if took is None else opened + timedelta(minutes=took),
        promised_at=None if promise is None else opened + timedelta(minutes=promise),
        mileage=1000,
        comeback_of=back_to,
        lines=[
            RepairLine(
                kind=kind,
                pay="customer",
                labour=Money.parse("100", "CNY"),
                parts=Money.parse("0", "CNY"),
            )
            for kind in kinds
        ],
    )


ORDERS = (
    _order("A", ("maintenance",), took=50, promise=60),  # on time; within the hour advertised
    # late by 30 minutes; held to the longer advertised time (2 h) it overruns by 30 minutes
    _order("B", ("maintenance", "minor_repair"), took=150, promise=120),
    _order("C", ("minor_repair",), took=100),  # no promise; within 2 h; comes back (F)
    _order("D", ("body_paint",), took=600, promise=480),  # late; body work is not advertised
    _order("E", ("maintenance",), took=None, promise=60),  # still in the workshop
    _order(
        "F", ("minor_repair",), took=None, opened=OPEN + timedelta(days=8), back_to="C"
    ),  # a comeback: no job itself, and C is not fixed first time
    _order("G", ("maintenance",), dealer="D2", took=90, promise=90),  # on the minute; 30 over
)


def _tables(*more: Record) -> Tables:
    """Two dealers, a customer with a vehicle, :data:`ORDERS`, and ``more`` records."""
    return Tables.from_book(
        Book.from_records(
            [
                Dealer(id="D1", name="朝阳店"),
                Dealer(id="D2", name="海淀店"),
                Customer(id="C1", name="王芳"),
                Vehicle(vin=_vin(1), model="Lavida", purchase_date=date(2024, 3, 1)),
                *ORDERS,
                *more,
            ]
        )
    )


ADVERTISED = {"maintenance": timedelta(hours=1), ServiceKind.MINOR_REPAIR: timedelta(hours=2)}


def test_gaps_3_and_4_per_dealer_by_hand() -> None:
    gaps = delivery_gaps(
        _tables(),
        as_of=date(2026, 4, 30),  # every job's 30-day window has passed
        standards=DeliveryStandards(on_time=0.95, first_time_fix=0.9),
        advertised=ADVERTISED,
    )
    assert gaps.key == "dealer_id"
    assert gaps.ids.tolist() == ["D1", "D2"]
    d1, d2 = gaps.row("D1"), gaps.row("D2")
    # Gap 3, promises: D1 delivered A, B and D with a promise and kept A's.
    assert (d1["promised"], d1["on_time"]) == (3, 1)
    assert d1["gap3_on_time"] == pytest.approx(0.95 - 1 / 3)
    assert (d2["promised"], d2["on_time"], d2["gap3_on_time"]) == (1, 1, pytest.approx(-0.05))
    # Gap 3, first-time fix: jobs B, C and D; C came back.
    assert (d1["repair_jobs"], d1["fixed_first_time"]) == (3, 2)
    assert d1["gap3_first_time_fix"] == pytest.approx(0.9 - 2 / 3)
    assert d2["repair_jobs"] == 0
    assert math.isnan(gaps["first_time_fix_rate"][1])
    assert math.isnan(gaps["gap3_first_time_fix"][1])
    # Gap 4: A (50 of 60 min), B (150 of 120 min), C (100 of 120 min) at D1; G (90 of 60) at D2.
    assert (d1["advertised_orders"], d1["within_advertised"]) == (3, 2)
    assert d1["gap4_advertised"] == pytest.approx(1 / 3)
    assert d1["mean_overrun_minutes"] == pytest.approx(10.0)  # 30 minutes over 3 orders
    assert (d2["advertised_orders"], d2["within_advertised"], d2["gap4_advertised"]) == (1, 0, 1.0)
    assert d2["mean_overrun_minutes"] == pytest.approx(30.0)


def test_without_advertised_times_gap_4_has_nothing_to_measure() -> None:
    gaps = delivery_gaps(_tables(), as_of=date(2026, 4, 30))
    assert gaps["advertised_orders"].tolist() == [0, 0]
    assert all(math.isnan(x) for x in gaps["gap4_advertised"])
    # The default standard is every promise kept: the gap is the share of promises broken.
    assert gaps["gap3_on_time"].tolist() == pytest.approx([2 / 3, 0.0])
    assert DeliveryStandards(on_time=1.0, first_time_fix=1.0) == DELIVERY_STANDARDS


def test_an_order_closed_after_as_of_is_not_yet_delivered() -> None:
    # 1 March, Beijing time: nothing was opened, let alone delivered.
    gaps = delivery_gaps(_tables(), as_of=date(2026, 3, 1), advertised=ADVERTISED)
    assert gaps["promised"].tolist() == [0, 0]
    assert gaps["advertised_orders"].tolist() == [0, 0]
    # On 2 March (to midnight Beijing time) D's ten hours end at 20:00: all are delivered.
    on_the_day = delivery_gaps(_tables(), as_of=date(2026, 3, 2), advertised=ADVERTISED)
    assert on_the_day["promised"].tolist() == [3, 1]


@pytest.mark.parametrize(
    ("advertised", "error", "match"),
    [
        ([("maintenance", timedelta(hours=1))], InvalidType, "advertised is list"),
        ({"oil_change": timedelta(hours=1)}, InvalidValue, "not a service kind"),
        ({"maintenance": 60}, InvalidValue, r"advertised\['maintenance'\] is 60"),
        ({"maintenance": timedelta(0)}, InvalidValue, "positive timedelta"),
    ],
)
def test_bad_advertised_times_are_refused_naming_them(
    advertised: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        delivery_gaps(_tables(), as_of=date(2026, 4, 30), advertised=advertised)  # type: ignore[arg-type]


def test_a_standard_is_a_share() -> None:
    with pytest.raises(InvalidValue, match=r"on_time is -0\.1"):
        DeliveryStandards(on_time=-0.1)
    with pytest.raises(InvalidType):
        delivery_gaps(_tables(), as_of=date(2026, 4, 30), standards=0.9)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="expected Tables"):
        delivery_gaps("tables", as_of=date(2026, 4, 30))  # type: ignore[arg-type]


def test_the_five_gaps_are_the_material_s() -> None:
    assert [gap.number for gap in SERVICE_GAPS] == [1, 2, 3, 4, 5]
    assert [gap.name.text for gap in SERVICE_GAPS] == [
        "顾客差距",
        "承诺差距",
        "服务业绩差距",
        "沟通差距",
        "期望与直觉差距",
    ]
    # Each gap's bar is the side the previous gap measured: the model is a chain.
    assert SERVICE_GAPS[1].expected == SERVICE_GAPS[0].delivered
    assert SERVICE_GAPS[2].expected == SERVICE_GAPS[1].delivered
    # Gaps 1 to 4 carry the deck's causes and remedies; gap 5 has none of its own.
    assert [len(g.causes) for g in SERVICE_GAPS] == [3, 4, 7, 2, 0]
    assert [len(g.remedies) for g in SERVICE_GAPS] == [9, 4, 7, 3, 1]
    sources = {q.source for g in SERVICE_GAPS[:4] for q in (g.name, *g.causes, *g.remedies)}
    assert sources == {Material.SERVICE_RELATIONS}
    assert SERVICE_GAPS[4].remedies[0].source is Material.CSI_COURSE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_advice_lists_the_causes_and_remedies_numbered(lang: str) -> None:
    text = SERVICE_GAPS[2].advice(lang)
    lines = text.splitlines()
    assert len(lines) == 3
    assert lines[1].count(";" if lang == "zh" else "; ") == 6  # seven causes
    assert "7. " in lines[2]
    with pytest.raises(InvalidValue, match="lang is 'fr'"):
        SERVICE_GAPS[0].advice("fr")
