"""Personal data is marked in the models and masked in the redacted view."""

from __future__ import annotations

from hypothesis import given

from aftersales_crm.records import (
    RECORD_TYPES,
    Customer,
    ReferralMade,
    personal_fields,
    redacted,
)
from aftersales_crm.testing import strategies as st_crm

FULL = Customer(
    id="C1",
    name="王小明",
    national_id="110101199003074477",
    home_address="北京市东城区东华门大街1号",
    home_postcode="100006",
    work_address="北京市朝阳区建国路88号",
    work_postcode="100022",
    mobile="13812345678",
    home_phone="010-12345678",
    office_phone="021-61234567",
    email="xiaoming.wang@example.com",
    fax="0755-86013388",
    income_band="20-30万",
    family_notes="两个孩子",
    occupation="工程师",
)


def test_customer_personal_fields_are_listed() -> None:
    assert personal_fields(Customer) == (
        "name",
        "national_id",
        "birthday",
        "home_address",
        "home_postcode",
        "home_location",
        "work_address",
        "work_postcode",
        "mobile",
        "home_phone",
        "office_phone",
        "email",
        "fax",
        "income_band",
        "family_notes",
    )
    assert personal_fields(FULL) == personal_fields(Customer)


def test_redacted_view_masks_each_kind_as_documented() -> None:
    shown = redacted(FULL)
    assert shown.name == "王**"
    assert shown.mobile == "138****5678"
    assert shown.national_id == "110101***********7"
    assert shown.email == "x***@example.com"
    assert shown.home_address == "北京市东城区***"
    assert shown.birthday is None
    assert shown.income_band == "***"
    assert shown.occupation == "工程师"  # not personal in the model


def test_redacted_view_keeps_latin_given_names_hidden() -> None:
    assert redacted(Customer(id="C1", name="Anna Maria Lee")).name == "Anna ********"


def test_no_personal_value_survives_in_the_json_of_a_redacted_record() -> None:
    text = redacted(FULL).model_dump_json()
    for name in personal_fields(Customer):
        value = getattr(FULL, name)
        if value is not None:
            assert str(value) not in text, f"{name} leaked"
    for fragment in (
        "12345678",
        "199003074",
        "小明",
        "xiaoming",
        "东华门",
        "建国路",
        "100006",
        "两个孩子",
    ):
        assert fragment not in text


def test_redaction_does_not_change_the_original() -> None:
    redacted(FULL)
    assert FULL.mobile == "+8613812345678"


def test_nested_records_are_redacted_too() -> None:
    referral = ReferralMade(
        id="R1",
        referrer_id="C1",
        referred_name="赵磊",
        referred_phone="13912345678",
        on="2026-02-01",
    )
    shown = redacted(referral)
    assert (shown.referred_name, shown.referred_phone) == ("赵*", "139****5678")


def test_every_record_class_declares_its_personal_fields_explicitly() -> None:
    marked = {cls.__name__: personal_fields(cls) for cls in RECORD_TYPES}
    assert marked["RepairOrder"] == ()
    assert marked["ReferralMade"] == ("referred_name", "referred_phone")


@given(st_crm.customers())
def test_redacted_customers_never_show_a_phone_or_id_in_full(customer: Customer) -> None:
    text = redacted(customer).model_dump_json()
    for name in ("mobile", "home_phone", "office_phone", "fax", "national_id"):
        value = getattr(customer, name)
        if value is not None:
            assert value not in text
