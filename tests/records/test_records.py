"""Records validate at the boundary, name the broken rule, and round-trip JSON exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from aftersales_crm.records import (
    ActivityAttended,
    ComplaintFiled,
    ComplaintUpdated,
    ConsentChanged,
    ContactMade,
    Customer,
    Dealer,
    Ownership,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import Gender, GeoPoint, Mileage, Money, PayType, ServiceKind

VIN = "LSVAU218XN2183294"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def cny(amount: str) -> Money:
    return Money.parse(amount, "CNY")


def line(**overrides: Any) -> RepairLine:
    fields: dict[str, Any] = {
        "kind": "maintenance",
        "pay": "customer",
        "labour": cny("180"),
        "parts": cny("420.50"),
    }
    return RepairLine(**(fields | overrides))


def order(**overrides: Any) -> RepairOrder:
    fields: dict[str, Any] = {
        "id": "RO1",
        "dealer_id": "D1",
        "vin": VIN,
        "customer_id": "C1",
        "opened_at": at(2),
        "mileage": 12_480,
        "lines": [line()],
    }
    return RepairOrder(**(fields | overrides))


def error_text(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(exc.value)


# ---------------------------------------------------------------- customer


def test_customer_derives_birthday_and_gender_from_the_national_id() -> None:
    c = Customer(id="C1", name="张伟", national_id="110101199003074477")
    assert c.birthday == date(1990, 3, 7)
    assert c.gender is Gender.MALE


def test_customer_birthday_that_contradicts_the_national_id_is_rejected() -> None:
    with pytest.raises(
        ValidationError, match="disagrees with the national ID, which says 1990-03-07"
    ):
        Customer(id="C1", name="张伟", national_id="110101199003074477", birthday="1990-03-08")


def test_customer_gender_that_contradicts_the_national_id_is_rejected() -> None:
    with pytest.raises(ValidationError, match="gender female disagrees"):
        Customer(id="C1", name="张伟", national_id="110101199003074477", gender="female")


def test_customer_phone_numbers_are_stored_as_e164() -> None:
    c = Customer(id="C1", name="张伟", mobile="138 1234 5678", office_phone="010-12345678")
    assert (c.mobile, c.office_phone) == ("+8613812345678", "+861012345678")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("mobile", "1381234567", "mobile"),  # ten digits: not a Chinese mobile
        ("national_id", "11010119900307447X", "national_id"),  # check digit should be 7
        ("email", "not-an-email", "email"),  # no @
        ("home_postcode", "10001", "home_postcode"),  # postcodes have six digits
        ("name", "", "name"),  # a customer has a name
        ("nickname", "Wei", "nickname"),  # unknown fields are refused, not ignored
    ],
)
def test_customer_bad_field_is_named_in_the_error(field: str, value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Customer(**{"id": "C1", "name": "张伟", field: value})
    assert fragment in error_text(exc)


def test_customer_is_frozen() -> None:
    c = Customer(id="C1", name="张伟")
    with pytest.raises(ValidationError):
        c.name = "李伟"  # type: ignore[misc]


def test_consent_is_no_longer_nested_in_the_customer() -> None:
    # Consent changes are facts of their own (ConsentChanged with customer_id), so that a
    # withdrawal arriving later can be appended to a Book.
    with pytest.raises(ValidationError, match="consents"):
        Customer(id="C1", name="李娜", consents=[])  # type: ignore[call-arg]


def test_a_consent_change_names_its_customer() -> None:
    change = ConsentChanged(
        id="G1", customer_id="C1", purpose="marketing", channel="sms", granted=False, at=at(1)
    )
    assert (change.key, change.customer_id, change.granted) == ("G1", "C1", False)


def test_consent_instant_must_be_timezone_aware() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        ConsentChanged(
            id="G1",
            customer_id="C1",
            purpose="marketing",
            channel="sms",
            granted=True,
            at=datetime(2026, 1, 1),  # noqa: DTZ001
        )


# ---------------------------------------------------------------- vehicle and ownership


def test_vehicle_first_visit_before_purchase_is_rejected() -> None:
    with pytest.raises(
        ValidationError, match="first_visit_date 2022-01-01 is before purchase_date"
    ):
        Vehicle(vin=VIN, model="Lavida", purchase_date="2022-05-20", first_visit_date="2022-01-01")


def test_vehicle_with_wrong_vin_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(ValidationError) as exc:
        Vehicle(vin="LSVAU2180N2183294", model="Lavida")
    assert exc.value.errors()[0]["type"] == "vin_checksum"
    assert "X" in exc.value.errors()[0]["msg"]


def test_ownership_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError, match="not after it starts"):
        Ownership(id="O1", customer_id="C1", vin=VIN, start="2024-01-01", end="2024-01-01")


def test_ownership_period_is_half_open() -> None:
    o = Ownership(id="O1", customer_id="C1", vin=VIN, start="2022-01-01", end="2024-01-01")
    assert o.covers(date(2022, 1, 1))
    assert o.covers(date(2023, 12, 31))
    assert not o.covers(date(2024, 1, 1))


# ---------------------------------------------------------------- repair orders


def test_repair_order_totals_are_derived_from_lines() -> None:
    ro = order(
        lines=[
            line(),
            line(kind="warranty_claim", pay="warranty", labour=cny("300"), parts=cny("0")),
        ]
    )
    assert ro.labour == cny("480")
    assert ro.parts == cny("420.50")
    assert ro.total == cny("900.50")
    assert ro.customer_pay_total == cny("600.50")
    assert ro.kinds == {ServiceKind.MAINTENANCE, ServiceKind.WARRANTY_CLAIM}
    assert ro.currency == "CNY"
    assert "total" not in ro.model_dump()  # derived, not stored


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"closed_at": at(1)}, r"closed_at 2026-03-01T09:00:00\+00:00 is before opened_at"),
        ({"promised_at": at(1)}, "promised_at"),
        ({"lines": []}, "lines"),  # an order has at least one line
        ({"mileage": -5}, "mileage"),  # odometers do not read negative
        ({"comeback_of": "RO1"}, "comeback of itself"),
        ({"opened_at": datetime(2026, 3, 2)}, "timezone"),  # noqa: DTZ001 - naive on purpose
    ],
)
def test_repair_order_rules(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        order(**overrides)


def test_repair_line_amounts_must_not_be_negative() -> None:
    with pytest.raises(ValidationError, match="negative"):
        line(parts=cny("-1"))


def test_repair_line_mixing_currencies_is_rejected() -> None:
    with pytest.raises(ValidationError, match="labour is in CNY but parts in USD"):
        line(parts=Money.parse("1", "USD"))


def test_repair_order_lines_must_share_one_currency() -> None:
    usd = line(labour=Money.parse("1", "USD"), parts=Money.parse("1", "USD"))
    with pytest.raises(ValidationError, match="mix currencies"):
        order(lines=[line(), usd])


def test_on_time_compares_closing_with_the_promise() -> None:
    assert order(closed_at=at(2, 15), promised_at=at(2, 17)).on_time is True
    assert order(closed_at=at(2, 18), promised_at=at(2, 17)).on_time is False
    assert order(closed_at=at(2, 18)).on_time is None


def test_repair_order_accepts_money_and_mileage_from_json_forms() -> None:
    ro = order(
        mileage=Mileage(100),
        lines=[
            {
                "kind": "major_repair",
                "pay": "insurance",
                "labour": {"amount": "1000.00", "currency": "CNY"},
                "parts": {"amount": "2500.00", "currency": "CNY"},
            }
        ],
    )
    assert ro.lines[0].pay is PayType.INSURANCE
    assert ro.total == cny("3500.00")


# ---------------------------------------------------------------- contacts, complaints, club


def test_closing_a_complaint_needs_a_verdict() -> None:
    with pytest.raises(ValidationError, match="verdict"):
        ComplaintUpdated(id="U1", complaint_id="Q1", at=at(3), action="closed")


def test_a_verdict_belongs_only_to_closing() -> None:
    with pytest.raises(ValidationError, match="not to resolved"):
        ComplaintUpdated(
            id="U1", complaint_id="Q1", at=at(3), action="resolved", verdict="satisfied"
        )


def test_referral_delivery_cannot_precede_the_referral() -> None:
    with pytest.raises(ValidationError, match="before the referral"):
        ReferralMade(
            id="R1",
            referrer_id="C1",
            referred_name="赵磊",
            on="2026-02-01",
            delivered_on="2026-01-01",
        )


def test_referral_success_means_a_delivery() -> None:
    pending = ReferralMade(id="R1", referrer_id="C1", referred_name="赵磊", on="2026-02-01")
    assert not pending.successful


def test_contact_and_complaint_records_keep_their_enums() -> None:
    c = ContactMade(
        id="K1", customer_id="C1", channel="sms", purpose="care", outcome="no_answer", at=at(4)
    )
    q = ComplaintFiled(
        id="Q1", customer_id="C1", at=at(4), category="price", severity="low", channel="phone"
    )
    assert (c.outcome.value, q.category.value) == ("no_answer", "price")


def test_every_record_round_trips_through_json() -> None:
    samples = [
        Dealer(id="D1", name="北京朝阳4S店", location=GeoPoint(39.92, 116.46), region="华北"),
        Customer(
            id="C1",
            name="张伟",
            national_id="110101199003074477",
            mobile="13812345678",
            hobbies=("钓鱼", "自驾"),
        ),
        ConsentChanged(
            id="G1", customer_id="C1", purpose="marketing", channel="sms", granted=True, at=at(1)
        ),
        Vehicle(
            vin=VIN,
            model="Lavida",
            plate="京A12345",
            first_visit_mileage=10,
            purchase_date="2022-02-28",
        ),
        Ownership(id="O1", customer_id="C1", vin=VIN, start="2022-01-01"),
        order(closed_at=at(2, 15), lines=[line(), line(labour=cny("0.10"), parts=cny("0.20"))]),
        ContactMade(
            id="K1",
            customer_id="C1",
            channel="phone",
            purpose="follow_up_7d",
            outcome="reached",
            at=at(4),
        ),
        ComplaintFiled(
            id="Q1", customer_id="C1", at=at(4), category="price", severity="low", channel="phone"
        ),
        ComplaintUpdated(
            id="U1", complaint_id="Q1", at=at(5), action="closed", verdict="satisfied"
        ),
        ReferralMade(id="R1", referrer_id="C1", referred_name="赵磊", on="2026-02-01"),
        ActivityAttended(id="A1", activity_id="EV1", customer_id="C1", on="2026-05-18"),
    ]
    for record in samples:
        assert type(record).model_validate_json(record.model_dump_json()) == record
        assert type(record).model_validate(record.model_dump()) == record


def test_money_exponent_survives_the_json_round_trip() -> None:
    ro = order(lines=[line(labour=cny("180.50"), parts=cny("0.00"))])
    again = RepairOrder.model_validate_json(ro.model_dump_json())
    assert str(again.lines[0].parts.amount) == "0.00"


def test_instants_keep_their_offset_through_json() -> None:
    beijing_time = timezone(timedelta(hours=8))
    ro = order(opened_at=datetime(2026, 3, 2, 17, tzinfo=beijing_time))
    again = RepairOrder.model_validate_json(ro.model_dump_json())
    assert again.opened_at == ro.opened_at
    assert again.opened_at.utcoffset() == timedelta(hours=8)
