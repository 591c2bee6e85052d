"""Ids and postcodes are normalised once, at the record boundary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from aftersales_crm.errors import IntegrityError
from aftersales_crm.records import Book, ContactMade, Customer, Ownership, RepairOrder
from aftersales_crm.tables import Tables

AT = datetime(2026, 3, 5, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "given",
    [
        "C1\u200b",  # a zero-width space copied from a spreadsheet
        "\ufeffC1",  # a byte-order mark
        " C1 ",  # white space around
        "Ｃ１",  # full-width, as a Chinese input method types it
    ],
)
def test_an_id_in_disguise_is_the_plain_id(given: str) -> None:
    assert Customer(id=given, name="王芳").id == "C1"
    contact = ContactMade(
        id=given, customer_id=given, channel="phone", purpose="care", outcome="reached", at=AT
    )
    assert (contact.id, contact.customer_id) == ("C1", "C1")


def test_the_same_customer_cannot_arrive_twice_in_disguise() -> None:
    with pytest.raises(IntegrityError, match="customer 'C1': two different records under one id"):
        Book.from_records([Customer(id="C1", name="王芳"), Customer(id="C1\u200b", name="王芳芳")])
    same = Book.from_records([Customer(id="C1", name="王芳"), Customer(id="C1\u200b", name="王芳")])
    assert list(same.customers) == ["C1"]


def test_a_reference_in_disguise_resolves() -> None:
    book = Book.from_records(
        [Customer(id="C1", name="王芳")],
        [
            ContactMade(
                id="K1",
                customer_id="C1\u200b",
                channel="phone",
                purpose="care",
                outcome="reached",
                at=AT,
            )
        ],
    )
    assert book.contacts["K1"].customer_id in book.customers


def test_every_reference_field_is_normalised() -> None:
    ownership = Ownership(
        id="O1\u200b", customer_id=" C1", vin="LSVAU218XN2183294", start="2022-01-01"
    )
    assert (ownership.id, ownership.customer_id) == ("O1", "C1")
    assert "dealer_id" in RepairOrder.model_fields  # typed Id, as checked above through the type


@pytest.mark.parametrize("given", ["C 1", "", "\u200b", " "])
def test_an_id_that_is_blank_or_holds_white_space_is_still_refused(given: str) -> None:
    with pytest.raises(ValidationError):
        Customer(id=given, name="王芳")


def test_an_id_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="string"):
        Customer(id=1, name="王芳")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("１０００８３", "100083"),  # full-width digits
        (" 100083 ", "100083"),  # white space around
        ("100083\u200b", "100083"),  # a zero-width space
    ],
)
def test_a_postcode_is_stored_with_ascii_digits(given: str, stored: str) -> None:
    customer = Customer(id="C1", name="王芳", home_postcode=given, work_postcode=given)
    assert (customer.home_postcode, customer.work_postcode) == (stored, stored)


@pytest.mark.parametrize(
    "given",
    [
        "10008",  # five digits
        "1000833",  # seven
        "10008a",
        "١٠٠٠٨٣x",
    ],
)
def test_a_postcode_that_is_not_six_digits_is_refused(given: str) -> None:
    with pytest.raises(ValidationError, match="home_postcode"):
        Customer(id="C1", name="王芳", home_postcode=given)


def test_a_postcode_of_another_scripts_digits_becomes_ascii() -> None:
    # Python's \d matches these digits; the rule asks for ASCII ones, after normalising.
    assert Customer(id="C1", name="王芳", home_postcode="١٠٠٠٨٣").home_postcode == "100083"


def test_tables_store_a_full_width_postcode_as_ascii() -> None:
    tables = Tables.from_arrays(
        customers={"id": ["C1"], "name": ["王芳"], "home_postcode": ["１０００８３"]}
    )
    assert tables.customers["home_postcode"].tolist() == ["100083"]
    (customer,) = tables.to_records()
    assert isinstance(customer, Customer)
    assert customer.home_postcode == "100083"
