"""Phone numbers: read in a default region, checked against the plan, stored as E.164."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidComponent, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values import IdentifierModule, phone

# Mainland mobile prefixes the numbering plan has in use (MIIT plan, libphonenumber).
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147",
    "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "172", "173",
    "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187",
    "188", "189", "191", "192", "193", "195", "196", "197", "198", "199",
]  # fmt: skip
cn_mobiles = st.builds(
    lambda prefix, rest: f"{prefix}{rest:08d}",
    st.sampled_from(MOBILE_PREFIXES),
    st.integers(0, 10**8 - 1),
)


def test_the_phone_module_satisfies_the_identifier_protocol() -> None:
    module: IdentifierModule = phone
    assert module.validate("13812345678") == "+8613812345678"


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("13812345678", "+8613812345678"),  # mobile, national digits
        ("138 1234 5678", "+8613812345678"),  # grouped 3-4-4
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),  # with country code
        ("86-138-1234-5678", "+8613812345678"),  # country code without +
        ("008613812345678", "+8613812345678"),  # the international prefix 00
        ("１３８１２３４５６７８", "+8613812345678"),  # full-width digits
        ("＋８６ １３８ １２３４ ５６７８", "+8613812345678"),  # full-width + and space
        ("\u200b13812345678\n", "+8613812345678"),  # pasted with invisible characters
        ("010-12345678", "+861012345678"),  # Beijing fixed line
        ("01012345678", "+861012345678"),
        ("(010)12345678", "+861012345678"),
        ("+86 (0)10 1234 5678", "+861012345678"),  # trunk 0 in brackets
        ("021-6123 4567", "+862161234567"),  # Shanghai
        ("0755-86013388", "+8675586013388"),  # Shenzhen: four-digit area code
        ("400-810-8888", "+864008108888"),  # shared-cost service number
        ("+852 9123 4567", "+85291234567"),  # Hong Kong mobile
        ("+853 6612 3456", "+85366123456"),  # Macau mobile
        ("+886 912 345 678", "+886912345678"),  # Taiwan mobile
    ],
)
def test_valid_numbers_are_stored_as_e164(number: str, e164: str) -> None:
    assert phone.validate(number) == e164
    assert phone.is_valid(number)


@pytest.mark.parametrize(
    ("number", "region", "e164"),
    [
        ("9123 4567", "HK", "+85291234567"),  # Hong Kong read in Hong Kong
        ("9123 4567", "hk", "+85291234567"),  # the region is case-insensitive
        ("020 7946 0000", "GB", "+442079460000"),  # London, trunk 0
        ("+86 138 1234 5678", "US", "+8613812345678"),  # a country code beats the region
    ],
)
def test_the_default_region_reads_numbers_without_a_country_code(
    number: str, region: str, e164: str
) -> None:
    assert phone.validate(number, region=region) == e164


def test_the_same_digits_mean_different_numbers_in_different_regions() -> None:
    assert phone.is_valid("13812345678")
    assert not phone.is_valid("13812345678", region="US")


# ---------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    ("number", "error", "code", "fragment"),
    [
        # ten digits: E.164 would still be produced
        ("1381234567", InvalidComponent, "phone_invalid", "no number range in use"),
        # a local number without its area code
        ("12345678", InvalidComponent, "phone_invalid", "not a valid number of \\+86"),
        # a bank's short code
        ("95588", InvalidComponent, "phone_invalid", "area code missing"),
        # no such mobile prefix
        ("23812345678", InvalidComponent, "phone_invalid", "read in region CN"),
        # fifteen digits
        ("138123456789012", InvalidComponent, "phone_invalid", "too long"),
        # E.164 cannot hold an extension: refused, not silently dropped
        ("138-1234-5678 ext 12", InvalidFormat, "phone_extension", "extension 12"),
        ("+86 10 1234 5678;ext=800", InvalidFormat, "phone_extension", "extension 800"),
        # not a number at all
        ("not a number", InvalidFormat, "phone_format", "not a phone number"),
        ("", InvalidFormat, "phone_format", "not a phone number"),
        # an unassigned country code
        ("+999 1234 5678", InvalidFormat, "phone_format", "no valid country code"),
        # too long even to parse
        ("1" * 300, InvalidLength, "phone_length", "too long"),
        # the international prefix and nothing after it
        ("00861", InvalidLength, "phone_length", "too short"),
    ],
)
def test_invalid_numbers_are_rejected_with_the_rule(
    number: str, error: type[InvalidValue], code: str, fragment: str
) -> None:
    with pytest.raises(error, match=fragment) as exc:
        phone.validate(number)
    assert exc.value.code == code
    assert not phone.is_valid(number)


def test_an_invalid_number_is_named_in_the_message() -> None:
    with pytest.raises(InvalidComponent) as exc:
        phone.validate("1381234567")
    assert str(exc.value).startswith("phone number '1381234567' is not a valid number of +86")


def test_a_huge_input_is_quoted_only_in_part() -> None:
    with pytest.raises(InvalidValue) as exc:
        phone.validate("8" * 10_000)
    assert len(str(exc.value)) < 200


def test_non_str_input_is_an_invalid_format_not_a_type_error() -> None:
    with pytest.raises(InvalidFormat, match="a phone number must be a str, not int") as exc:
        phone.validate(13812345678)  # type: ignore[arg-type]
    assert exc.value.code == "phone_type"


@pytest.mark.parametrize(
    "region",
    [
        "ZZ",  # phonenumbers' unknown region
        "EU",  # not a country
        "",
        "CHN",  # alpha-3 is not accepted
    ],
)
def test_a_region_without_a_numbering_plan_is_refused(region: str) -> None:
    with pytest.raises(InvalidComponent, match="not an ISO 3166 region") as exc:
        phone.validate("+8613812345678", region=region)
    assert exc.value.code == "phone_region"
    assert not phone.is_valid("+8613812345678", region=region)


def test_check_region_upper_cases_and_refuses_non_strings() -> None:
    assert phone.check_region("cn") == "CN"
    with pytest.raises(InvalidComponent):
        phone.check_region(None)


# ---------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("number", "region", "shown"),
    [
        ("+8613812345678", "CN", "138 1234 5678"),  # a domestic mobile: national form
        ("+861012345678", "CN", "010 1234 5678"),  # a domestic fixed line keeps the trunk 0
        ("+85291234567", "CN", "+852 9123 4567"),  # a foreign number: international form
        ("+85291234567", "HK", "9123 4567"),  # ... and national for a reader in Hong Kong
    ],
)
def test_format_is_national_at_home_and_international_abroad(
    number: str, region: str, shown: str
) -> None:
    assert phone.format(number, region=region) == shown


@pytest.mark.parametrize(
    ("number", "region", "masked"),
    [
        ("13812345678", "CN", "138****5678"),  # a CN mobile, as Chinese apps show it
        ("010-12345678", "CN", "010****5678"),  # trunk 0 and area code stay visible
        ("0755-86013388", "CN", "075*****3388"),
        ("400-810-8888", "CN", "40****8888"),  # 10 digits: at least four stay hidden
        ("+85291234567", "CN", "+852****4567"),  # foreign: country code and last four
        ("+442079460000", "CN", "+44******0000"),
        ("+8613812345678", "HK", "+86*******5678"),  # a mainland number seen from Hong Kong
        ("+85291234567", "HK", "****4567"),  # 8 digits at home: no leading digits shown
    ],
)
def test_mask_keeps_only_the_ends_and_hides_at_least_four_digits(
    number: str, region: str, masked: str
) -> None:
    assert phone.mask(number, region=region) == masked


@pytest.mark.parametrize("verb", [phone.format, phone.mask])
def test_display_forms_refuse_an_invalid_number(verb: object) -> None:
    with pytest.raises(InvalidComponent):
        verb("1381234567")  # type: ignore[operator]


# ---------------------------------------------------------------- properties


@given(cn_mobiles)
def test_every_mobile_of_the_plan_is_valid_and_masked_as_apps_show_it(number: str) -> None:
    assert phone.validate(number) == "+86" + number
    assert phone.mask(number) == number[:3] + "****" + number[-4:]


@given(cn_mobiles, st.sampled_from(["CN", "HK", "US"]))
def test_validate_of_the_display_form_gives_the_same_number(number: str, region: str) -> None:
    e164 = phone.validate(number)
    assert phone.validate(phone.format(e164, region=region), region=region) == e164
    assert phone.validate(e164) == e164


@given(st.text(alphabet="0123456789+-() ", max_size=20))
def test_validate_is_idempotent_and_agrees_with_is_valid(text: str) -> None:
    try:
        e164 = phone.validate(text)
    except InvalidValue:
        assert not phone.is_valid(text)
    else:
        assert phone.is_valid(text)
        assert phone.validate(e164) == e164
