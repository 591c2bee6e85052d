"""Records hold only what every kernel can sum and date: bounded amounts, mileages, dates
and instants, and never a boolean for a number.

The limits are those of :mod:`aftersales_crm.values` (``MAX_MINOR_UNITS``,
``MAX_KILOMETRES``, ``EARLIEST_DATE`` … ``LATEST_DATE``, ``EARLIEST_INSTANT`` …
``LATEST_INSTANT``); a value outside them is a validation error naming the field, never
an ``OverflowError`` later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from aftersales_crm.records import (
    ActivityAttended,
    ComplaintFiled,
    ConsentChanged,
    ContactMade,
    Customer,
    Ownership,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import (
    EARLIEST_DATE,
    EARLIEST_INSTANT,
    LATEST_DATE,
    LATEST_INSTANT,
    MAX_KILOMETRES,
    MAX_MINOR_UNITS,
    Mileage,
    Money,
)
from aftersales_crm.values.types import Amount, Date, Fen, Instant, Points

VIN = "LSVAU218XN2183294"
OPENED = datetime(2026, 3, 2, 9, tzinfo=UTC)


def line(**overrides: Any) -> RepairLine:
    fields: dict[str, Any] = {
        "kind": "maintenance",
        "pay": "customer",
        "labour": Money.parse("180", "CNY"),
        "parts": Money.parse("420.50", "CNY"),
    }
    return RepairLine(**(fields | overrides))


def order(**overrides: Any) -> RepairOrder:
    fields: dict[str, Any] = {
        "id": "RO1",
        "dealer_id": "D1",
        "vin": VIN,
        "customer_id": "C1",
        "opened_at": OPENED,
        "mileage": 12_480,
        "lines": [line()],
    }
    return RepairOrder(**(fields | overrides))


def error_types(err: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {error["type"] for error in err.value.errors()}


# ---------------------------------------------------------------- amounts


def test_the_largest_amount_is_held() -> None:
    largest = Money.from_minor(MAX_MINOR_UNITS, "CNY")
    assert line(labour=largest).labour == largest


@pytest.mark.parametrize(
    "amount",
    [
        Money.from_minor(MAX_MINOR_UNITS + 1, "CNY"),  # one fen above the bound
        Money.parse("¥100000000000000000"),  # ¥10**17, as the issue found accepted
        Money.from_minor(MAX_MINOR_UNITS + 1, "JPY"),  # the bound is in minor units
        Money(Decimal(MAX_MINOR_UNITS).scaleb(-2) + Decimal("0.001"), "CNY"),  # by a tenth fen
    ],
)
def test_a_repair_line_refuses_an_amount_above_the_bound(amount: Money) -> None:
    with pytest.raises(ValidationError) as err:
        line(parts=amount)
    assert error_types(err) == {"money_range"}
    assert err.value.errors()[0]["loc"] == ("parts",)


def test_an_amount_above_the_bound_is_refused_from_json_too() -> None:
    payload = '{"amount": "1000000000.01", "currency": "CNY"}'
    with pytest.raises(ValidationError, match=r"minor units"):
        TypeAdapter(Amount).validate_json(payload)


@pytest.mark.parametrize("alias", [Fen, Points])
@pytest.mark.parametrize(
    "value",
    [
        True,  # a boolean is not one fen
        False,  # nor zero
        MAX_MINOR_UNITS + 1,  # above the bound
        2**63,  # beyond int64
        10**30,  # far beyond
    ],
)
def test_fen_and_points_refuse_booleans_and_values_above_the_bound(alias: Any, value: int) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(alias).validate_python(value)


# ---------------------------------------------------------------- mileage


@pytest.mark.parametrize(
    "mileage",
    [
        MAX_KILOMETRES + 1,  # above the bound
        2**63,  # beyond int64: a validation error, never OverflowError
        10**30,  # as the issue found accepted
        True,  # a boolean is not 1 km
    ],
)
def test_a_repair_order_refuses_a_mileage_out_of_bounds(mileage: object) -> None:
    with pytest.raises(ValidationError) as err:
        order(mileage=mileage)
    assert err.value.errors()[0]["loc"][0] == "mileage"


def test_a_mileage_out_of_bounds_is_refused_from_json_too() -> None:
    with pytest.raises(ValidationError):
        RepairOrder.model_validate_json(order().model_dump_json().replace("12480", "1" * 30))


def test_a_vehicle_refuses_a_first_visit_mileage_out_of_bounds() -> None:
    with pytest.raises(ValidationError):
        Vehicle(vin=VIN, model="朗逸", first_visit_mileage=10**30)


def test_mileage_itself_refuses_readings_above_the_bound_and_sums_past_it() -> None:
    assert Mileage(MAX_KILOMETRES).km == MAX_KILOMETRES
    with pytest.raises(ValueError, match="MAX_KILOMETRES") as err:
        Mileage(MAX_KILOMETRES) + Mileage(1)
    assert getattr(err.value, "code", None) == "mileage_range"


# ---------------------------------------------------------------- dates and instants

NEAR_YEAR_ONE = datetime(1, 1, 2, tzinfo=UTC)
NEAR_YEAR_9999 = datetime(9999, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "instant",
    [
        NEAR_YEAR_ONE,  # crashed compute and from_book with OverflowError
        NEAR_YEAR_9999,  # likewise
        EARLIEST_INSTANT - timedelta(microseconds=1),  # just before the range
        LATEST_INSTANT,  # the end is excluded
        datetime(2199, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))),  # 04:00 UTC, 2200
    ],
)
def test_records_refuse_instants_out_of_range(instant: datetime) -> None:
    with pytest.raises(ValidationError) as err:
        order(opened_at=instant)
    assert error_types(err) == {"instant_range"}
    with pytest.raises(ValidationError):
        ContactMade(
            id="K1", customer_id="C1", channel="phone", purpose="reminder", outcome="reached",
            at=instant,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        ConsentChanged(
            id="X1", customer_id="C1", purpose="marketing", channel="sms", granted=True,
            at=instant,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        ComplaintFiled(
            id="Q1", customer_id="C1", at=instant, category="service_attitude",
            severity="minor", channel="phone",
        )  # fmt: skip


@pytest.mark.parametrize(
    "instant",
    [
        EARLIEST_INSTANT,  # the first instant held
        LATEST_INSTANT - timedelta(microseconds=1),  # the last one
        datetime(2200, 1, 1, 7, 59, tzinfo=timezone(timedelta(hours=8))),  # 23:59 UTC, 2199
    ],
)
def test_records_hold_instants_at_the_edges_of_the_range(instant: datetime) -> None:
    assert order(opened_at=instant).opened_at == instant


@pytest.mark.parametrize(
    "day",
    [
        date(1, 1, 1),  # year 1
        date(9999, 12, 31),  # year 9999
        EARLIEST_DATE - timedelta(days=1),  # just before the range
        LATEST_DATE + timedelta(days=1),  # just after it
    ],
)
def test_records_refuse_dates_out_of_range(day: date) -> None:
    with pytest.raises(ValidationError) as err:
        Ownership(id="O1", customer_id="C1", vin=VIN, start=day)
    assert error_types(err) == {"date_range"}
    with pytest.raises(ValidationError):
        Customer(id="C1", name="王小明", birthday=day)
    with pytest.raises(ValidationError):
        Vehicle(vin=VIN, model="朗逸", purchase_date=day)
    with pytest.raises(ValidationError):
        ReferralMade(id="R1", referrer_id="C1", referred_name="李四", on=day)
    with pytest.raises(ValidationError):
        ActivityAttended(id="A1", activity_id="E1", customer_id="C1", on=day)


@pytest.mark.parametrize("day", [EARLIEST_DATE, LATEST_DATE])
def test_records_hold_the_first_and_last_dates(day: date) -> None:
    assert Ownership(id="O1", customer_id="C1", vin=VIN, start=day).start == day


def test_the_date_and_instant_types_name_the_range_in_their_error() -> None:
    with pytest.raises(ValidationError, match="1900-01-01 to 2199-12-31"):
        TypeAdapter(Date).validate_python(date(1, 1, 1))
    with pytest.raises(ValidationError, match="2200-01-01"):
        TypeAdapter(Instant).validate_json('"9999-12-31T00:00:00Z"')
