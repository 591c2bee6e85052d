"""Pydantic field types: canonical storage, our error codes at the field, JSON schema and JSON."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
import pytest
from hypothesis import given
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from aftersales_crm.errors import InvalidComponent
from aftersales_crm.testing import strategies as st_crm
from aftersales_crm.values.types import (
    Fen,
    NationalId,
    PhoneNumber,
    PhoneValidator,
    Plate,
    Points,
    Vin,
)

HongKongPhone = Annotated[str, PhoneValidator(region="HK")]


class Visit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    vin: Vin
    national_id: NationalId | None = None
    mobile: PhoneNumber | None = None
    hk_mobile: HongKongPhone | None = None
    plate: Plate | None = None
    paid_fen: Fen = 0
    points: Points = 0


VIN = "LSVAU218XN2183294"


# ---------------------------------------------------------------- canonical storage


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("vin", " lsvau218-xn2183294 ", "LSVAU218XN2183294"),  # case and separators
        ("vin", "ＬＳＶＡＵ２１８ＸＮ２１８３２９４", "LSVAU218XN2183294"),  # full-width
        ("national_id", "110105 19491231 002x", "11010519491231002X"),
        ("mobile", "138 1234 5678", "+8613812345678"),  # read in CN, stored E.164
        ("mobile", "010-12345678", "+861012345678"),
        ("hk_mobile", "9123 4567", "+85291234567"),  # read in HK
        ("plate", "粤b·d12345", "粤BD12345"),
        ("paid_fen", 12345, 12345),
        ("points", np.int64(500), 500),  # numpy integers from a DataFrame row
    ],
)
def test_field_types_store_the_canonical_form(field: str, typed: Any, stored: Any) -> None:
    visit = Visit.model_validate({"vin": VIN, field: typed})
    assert getattr(visit, field) == stored
    assert type(getattr(visit, field)) is type(stored)


def test_a_model_round_trips_through_json() -> None:
    visit = Visit(
        vin="lsvau218xn2183294",
        national_id="11010519491231002x",
        mobile="138 1234 5678",
        hk_mobile="9123 4567",
        plate="粤b·d12345",
        paid_fen=12345,
        points=500,
    )
    assert Visit.model_validate_json(visit.model_dump_json()) == visit
    assert Visit.model_validate(visit.model_dump()) == visit


# ---------------------------------------------------------------- our codes at the field


@pytest.mark.parametrize(
    ("field", "value", "code", "fragment"),
    [
        ("vin", "LSVAU2180N2183294", "vin_checksum", "expected X"),  # wrong check digit
        ("vin", "LSVAU218XN218329", "vin_length", "16 characters"),
        ("vin", "LSVAU218XN218329O", "vin_format", "'O'"),
        ("national_id", "11010119900307447X", "national_id_checksum", "expected 7"),
        ("national_id", "110105194902300020", "national_id_birth_date", "19490230"),
        ("national_id", "99010519491231002X", "national_id_region", "99"),
        ("mobile", "1381234567", "phone_invalid", "1381234567"),
        ("mobile", "138-1234-5678 ext 12", "phone_extension", "extension 12"),
        ("hk_mobile", "13812345678", "phone_invalid", "region HK"),  # a CN mobile read in HK
        ("plate", "京O12345", "plate_format", "京O12345"),
    ],
)
def test_field_types_report_our_code_and_message_at_the_field(
    field: str, value: str, code: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        Visit.model_validate({"vin": VIN, field: value})
    [error] = exc.value.errors()
    assert error["type"] == code
    assert error["loc"] == (field,)
    assert fragment in error["msg"]


def test_a_wrong_vin_check_digit_is_reported_as_vin_checksum_naming_x() -> None:
    class Vehicle(BaseModel):
        vin: Vin

    with pytest.raises(ValidationError) as exc:
        Vehicle(vin="LSVAU2180N2183294")
    [error] = exc.value.errors()
    assert error["type"] == "vin_checksum"
    assert error["msg"] == "VIN check digit is 0, expected X"
    assert "vin" in str(exc.value)


def test_braces_in_the_input_do_not_break_the_message() -> None:
    with pytest.raises(ValidationError) as exc:
        Visit.model_validate({"vin": VIN, "plate": "{0}{x}"})
    assert "'{0}{X}'" in exc.value.errors()[0]["msg"]


def test_non_str_input_is_refused_by_pydantic_before_our_validator() -> None:
    with pytest.raises(ValidationError) as exc:
        Visit.model_validate({"vin": 12345678901234567})
    assert exc.value.errors()[0]["type"] == "string_type"


# ---------------------------------------------------------------- fen and points


@pytest.mark.parametrize(
    "value",
    [
        -1,  # negative
        1.5,  # a fraction
        1.0,  # a whole float is still a float: money never goes through float
        np.float64(2.0),
        Decimal("1"),  # use Money for decimal amounts
        True,  # a bool is not an amount
        "12",  # nor is a string
    ],
)
@pytest.mark.parametrize("field", ["paid_fen", "points"])
def test_fen_and_points_accept_only_non_negative_integers(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        Visit.model_validate({"vin": VIN, field: value})


@pytest.mark.parametrize("alias", [Fen, Points])
def test_fen_and_points_read_json_integers_only(alias: Any) -> None:
    adapter: TypeAdapter[int] = TypeAdapter(alias)
    assert adapter.validate_json("12345") == 12345
    with pytest.raises(ValidationError):
        adapter.validate_json('"12345"')
    with pytest.raises(ValidationError):
        adapter.validate_json("123.0")


# ---------------------------------------------------------------- PhoneValidator


def test_phone_validator_is_frozen_hashable_metadata_with_an_upper_case_region() -> None:
    validator = PhoneValidator(region="hk")
    assert validator.region == "HK"
    assert validator == PhoneValidator(region="HK")
    assert hash(validator) == hash(PhoneValidator(region="HK"))
    assert PhoneValidator().region == "CN"
    with pytest.raises(AttributeError):
        validator.region = "CN"  # type: ignore[misc]


def test_a_phone_validator_with_an_unknown_region_fails_when_it_is_created() -> None:
    with pytest.raises(InvalidComponent, match="'EU' is not an ISO 3166 region") as exc:
        PhoneValidator(region="EU")
    assert exc.value.code == "phone_region"


# ---------------------------------------------------------------- JSON schema


def test_the_json_schema_of_every_type_is_pinned() -> None:
    properties = Visit.model_json_schema()["properties"]
    assert properties["vin"] == {
        "title": "Vin",
        "type": "string",
        "pattern": "^[0-9A-HJ-NPR-Z]{17}$",
        "examples": ["LSVAU218XN2183294"],
    }
    assert properties["national_id"]["anyOf"][0] == {
        "type": "string",
        "pattern": "^[0-9]{17}[0-9X]$",
        "examples": ["11010519491231002X"],
    }
    e164 = {"type": "string", "format": "phone", "pattern": "^\\+[1-9][0-9]{1,14}$"}
    assert properties["mobile"]["anyOf"][0] == e164
    assert properties["hk_mobile"]["anyOf"][0] == e164
    assert properties["plate"]["anyOf"][0] == {
        "type": "string",
        "minLength": 7,
        "maxLength": 8,
        "examples": ["京A12345", "粤BD12345"],
    }
    assert properties["paid_fen"] == {
        "title": "Paid Fen",
        "type": "integer",
        "minimum": 0,
        "maximum": 10**11,  # values.MAX_MINOR_UNITS
        "default": 0,
    }
    assert properties["points"] == {
        "title": "Points",
        "type": "integer",
        "minimum": 0,
        "maximum": 10**11,  # values.MAX_MINOR_UNITS
        "default": 0,
    }


@pytest.mark.parametrize("mode", ["validation", "serialization"])
@pytest.mark.parametrize("alias", [Vin, NationalId, PhoneNumber, HongKongPhone, Plate, Fen, Points])
def test_every_alias_has_a_json_schema_in_both_modes(alias: Any, mode: Any) -> None:
    schema = TypeAdapter(alias).json_schema(mode=mode)
    assert schema["type"] in {"string", "integer"}


# ---------------------------------------------------------------- properties


def published_pattern(field: str) -> re.Pattern[str]:
    schema = Visit.model_json_schema()["properties"][field]
    return re.compile(schema.get("pattern") or schema["anyOf"][0]["pattern"])


@given(st_crm.vins(), st_crm.national_ids(), st_crm.phones(), st_crm.plates())
def test_stored_values_match_the_published_patterns_and_round_trip(
    vin: str, national_id: str, mobile: str, plate: str
) -> None:
    visit = Visit(vin=vin.lower(), national_id=national_id, mobile=mobile[3:], plate=plate)
    assert published_pattern("vin").match(visit.vin)
    assert published_pattern("national_id").match(visit.national_id or "")
    assert published_pattern("mobile").match(visit.mobile or "")
    assert Visit.model_validate_json(visit.model_dump_json()) == visit
