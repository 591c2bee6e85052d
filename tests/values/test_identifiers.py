"""Identifier modules: the rules of each standard, the shared verbs, and a robustness sweep."""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from aftersales_crm.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    InvalidValue,
)
from aftersales_crm.testing import strategies as st_crm
from aftersales_crm.values import IdentifierModule, national_id, phone, plate, vin
from aftersales_crm.values.types import (
    Fen,
    NationalId,
    PhoneNumber,
    PhoneValidator,
    Plate,
    Points,
    Vin,
)

MODULES: list[ModuleType] = [vin, national_id, phone, plate]

# ---------------------------------------------------------------- VIN


@pytest.mark.parametrize(
    "number",
    [
        "1HGCM82633A004352",  # the textbook North American example
        "1M8GDM9AXKP042788",  # check character X
        "LSVAU218XN2183294",  # China, GB 16735, check character X
        "5YJ3E1EAXJF000001",  # a corrected Tesla example
        "LATPAB071W1005301",  # a published Chinese worked example
        "WVWZZZ1JZXW000001",  # Europe: position 9 is a filler, not checked by default
        "１ＨＧＣＭ８２６３３Ａ００４３５２",  # full-width, as Chinese input methods type it
        " lsvau218-xn2183294 ",  # case, spaces and hyphens are forgiven
    ],
)
def test_valid_vins_are_accepted(number: str) -> None:
    assert vin.is_valid(number)
    assert vin.validate(number) == vin.compact(number)


def test_vin_with_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(InvalidChecksum, match="VIN check digit is 0, expected X") as exc:
        vin.validate("LSVAU2180N2183294")
    assert exc.value.code == "vin_checksum"


@pytest.mark.parametrize(
    ("number", "error", "code"),
    [
        ("5YJ3E1EA7JF000001", InvalidChecksum, "vin_checksum"),  # often quoted, but wrong
        ("1HGCM82633A004353", InvalidChecksum, "vin_checksum"),  # last digit changed
        ("1HGCM82633A00435", InvalidLength, "vin_length"),  # 16 characters
        ("1HGCM82633A0043521", InvalidLength, "vin_length"),  # 18 characters
        ("1HGCM82633AO04352", InvalidFormat, "vin_format"),  # letter O is not allowed
        ("1HGCM8263QA004352", InvalidFormat, "vin_format"),  # nor Q
    ],
)
def test_invalid_vins_are_rejected_with_the_rule(
    number: str, error: type[InvalidValue], code: str
) -> None:
    with pytest.raises(error) as exc:
        vin.validate(number)
    assert exc.value.code == code


def test_strict_mode_checks_european_vins_and_lenient_mode_checks_none() -> None:
    assert not vin.is_valid("WVWZZZ1JZXW000001", strict=True)
    assert vin.is_valid("LSVAU2180N2183294", strict=False)


def test_vin_check_digit_is_computed_whatever_stands_in_position_nine() -> None:
    assert vin.calc_check_digit("1HGCM82633A004352") == "3"
    assert vin.calc_check_digit("1HGCM82603A004352") == "3"
    assert vin.format("lsvau218xn2183294") == "LSVAU218XN2183294"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTUVWXYZ", min_size=17, max_size=17))
def test_inserting_the_computed_check_digit_makes_any_vin_valid(body: str) -> None:
    fixed = body[:8] + vin.calc_check_digit(body) + body[9:]
    assert vin.is_valid(fixed, strict=True)
    assert vin.validate(vin.validate(fixed)) == fixed


# ---------------------------------------------------------------- national ID


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), "female"),  # the standard's own example
        ("11010519491231002x", date(1949, 12, 31), "female"),  # lower-case x
        ("440524188001010014", date(1880, 1, 1), "male"),  # region newer than the birth year
        ("110101199003074477", date(1990, 3, 7), "male"),
        ("110105 19491231 002X", date(1949, 12, 31), "female"),  # grouped with spaces
    ],
)
def test_valid_national_ids_give_birth_date_and_sex(number: str, born: date, sex: str) -> None:
    assert national_id.is_valid(number)
    assert national_id.birth_date(number) == born
    assert national_id.gender(number) == sex


@pytest.mark.parametrize("region", ["81", "82", "83"])  # HK, Macau, Taiwan residence permits
def test_residence_permits_of_hong_kong_macau_and_taiwan_are_accepted(region: str) -> None:
    body = f"{region}0000" + "19900101" + "021"  # region, birth date, sequence: 17 digits
    assert national_id.is_valid(body + national_id.calc_check_digit(body))


@pytest.mark.parametrize(
    ("number", "error", "code", "fragment"),
    [
        ("11010119900307447X", InvalidChecksum, "national_id_checksum", "expected 7"),
        ("110105194902300020", InvalidComponent, "national_id_birth_date", "19490230"),  # 30 Feb
        ("110105194913010020", InvalidComponent, "national_id_birth_date", "19491301"),  # month 13
        ("1101051949123100", InvalidLength, "national_id_length", "16 characters"),
        ("1101051949123100211", InvalidLength, "national_id_length", "19 characters"),
        ("99010519491231002X", InvalidComponent, "national_id_region", "99"),  # no province 99
        ("1101051949123100AX", InvalidFormat, "national_id_format", "17 digits"),
    ],
)
def test_invalid_national_ids_are_rejected_with_the_rule(
    number: str, error: type[InvalidValue], code: str, fragment: str
) -> None:
    with pytest.raises(error, match=fragment) as exc:
        national_id.validate(number)
    assert exc.value.code == code


def test_a_birth_after_as_of_is_rejected_only_when_as_of_is_given() -> None:
    body = "11010520300101002"
    future = body + national_id.calc_check_digit(body)
    assert national_id.is_valid(future)
    with pytest.raises(InvalidComponent, match="after 2026-11-22") as exc:
        national_id.validate(future, as_of=date(2026, 11, 22))
    assert exc.value.code == "national_id_future_birth"


def test_national_id_display_and_mask_keep_region_and_check_digit() -> None:
    assert national_id.format("11010519491231002x") == "110105 19491231 002X"
    assert national_id.mask("11010519491231002X") == "110105***********X"
    with pytest.raises(InvalidFormat):
        national_id.calc_check_digit("1101051949")


@given(st_crm.national_ids())
def test_drawn_national_ids_round_trip_their_birth_date(number: str) -> None:
    born = national_id.birth_date(number)
    assert number[6:14] == f"{born:%Y%m%d}"
    assert national_id.validate(national_id.format(number)) == number


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),  # full-width digits
        ("010-12345678", "+861012345678"),  # Beijing fixed line
        ("(010)12345678", "+861012345678"),
        ("+852 9123 4567", "+85291234567"),  # Hong Kong mobile
    ],
)
def test_phone_numbers_are_stored_as_e164(number: str, e164: str) -> None:
    assert phone.validate(number) == e164


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1381234567", "phone_invalid"),  # ten digits
        ("12345678", "phone_invalid"),  # no area code
        ("95588", "phone_invalid"),  # a bank's short code
        ("138-1234-5678 ext 12", "phone_extension"),  # E.164 cannot hold an extension
        ("not a number", "phone_format"),
    ],
)
def test_invalid_phone_numbers_are_rejected_with_the_rule(number: str, code: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        phone.validate(number)
    assert exc.value.code == code


def test_phone_display_forms() -> None:
    assert phone.format("+8613812345678") == "138 1234 5678"
    assert phone.format("+85291234567") == "+852 9123 4567"
    assert phone.mask("13812345678") == "138****5678"
    assert phone.mask("+85291234567") == "+852****4567"
    assert phone.validate("9123 4567", region="HK") == "+85291234567"


@given(st_crm.phones())
def test_phone_validate_is_idempotent_through_its_display_form(number: str) -> None:
    assert phone.validate(phone.format(number)) == phone.validate(number) == number


# ---------------------------------------------------------------- plate


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("京A12345", "regular"),
        ("粤B·D12345", "new_energy"),  # small new-energy vehicle
        ("沪AF12345", "new_energy"),
        ("苏E12345D", "new_energy"),  # large new-energy vehicle
        ("京A1234学", "special"),  # driving school
        ("粤Z1234港", "special"),  # cross-border Hong Kong
        ("使014578", "embassy"),
        ("京a-12345", "regular"),  # lower case and hyphen forgiven
    ],
)
def test_covered_plate_formats_are_accepted(number: str, kind: str) -> None:
    assert plate.kind(number) == kind


@pytest.mark.parametrize(
    "number",
    ["京AI2345", "京O12345", "京A1234", "京A1234567", "AA12345", "京A12345学"],
)
def test_uncovered_plates_are_rejected(number: str) -> None:
    with pytest.raises(InvalidFormat) as exc:
        plate.validate(number)
    assert exc.value.code == "plate_format"


def test_plate_display_and_province() -> None:
    assert plate.format("粤bd12345") == "粤B·D12345"
    assert plate.format("使014578") == "使014578"
    assert plate.province("粤B·D12345") == "粤"
    assert plate.province("使014578") is None


# ---------------------------------------------------------------- one interface, one sweep


def test_every_identifier_module_satisfies_the_protocol() -> None:
    modules: list[IdentifierModule] = [vin, national_id, phone, plate]
    assert all(callable(m.validate) for m in modules)


JUNK: list[Any] = [
    None,
    0,
    1.5,
    object(),
    b"LSVAU218XN2183294",
    "",
    "   ",
    "１２３",
    "🚗",
    "京" * 1000,
    ["LSVAU218XN2183294"],
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_is_valid_never_raises_and_validate_raises_only_invalid_value(
    module: ModuleType, junk: Any
) -> None:
    assert module.is_valid(junk) is False
    with pytest.raises(InvalidValue):
        module.validate(junk)


# ---------------------------------------------------------------- pydantic field types


class Visit(BaseModel):
    vin: Vin
    national_id: NationalId | None = None
    mobile: PhoneNumber | None = None
    plate: Plate | None = None
    paid_fen: Fen = 0
    points: Points = 0


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("vin", "LSVAU2180N2183294", "vin_checksum"),
        ("national_id", "11010119900307447X", "national_id_checksum"),
        ("mobile", "1381234567", "phone_invalid"),
        ("plate", "京O12345", "plate_format"),
    ],
)
def test_field_types_report_our_codes_at_the_field(field: str, value: str, code: str) -> None:
    data = {"vin": "LSVAU218XN2183294", field: value}
    with pytest.raises(ValidationError) as exc:
        Visit.model_validate(data)
    error = exc.value.errors()[0]
    assert error["type"] == code
    assert error["loc"][0] == field


def test_field_types_store_the_canonical_form_and_round_trip_json() -> None:
    v = Visit(
        vin="lsvau218xn2183294",
        national_id="11010519491231002x",
        mobile="138 1234 5678",
        plate="粤b·d12345",
    )
    assert (v.vin, v.national_id, v.mobile, v.plate) == (
        "LSVAU218XN2183294",
        "11010519491231002X",
        "+8613812345678",
        "粤BD12345",
    )
    assert Visit.model_validate_json(v.model_dump_json()) == v


@pytest.mark.parametrize("field", ["paid_fen", "points"])
def test_fen_and_points_are_non_negative_integers(field: str) -> None:
    with pytest.raises(ValidationError):
        Visit.model_validate({"vin": "LSVAU218XN2183294", field: -1})
    with pytest.raises(ValidationError):
        Visit.model_validate({"vin": "LSVAU218XN2183294", field: 1.5})


def test_phone_validator_reads_numbers_in_its_region_and_publishes_a_pattern() -> None:
    class Shop(BaseModel):
        phone: PhoneNumber
        hk_phone: Annotated[str, PhoneValidator(region="HK")]

    shop = Shop(phone="010-12345678", hk_phone="9123 4567")
    assert (shop.phone, shop.hk_phone) == ("+861012345678", "+85291234567")
    schema = Shop.model_json_schema()
    assert schema["properties"]["phone"]["pattern"].startswith("^\\+")
