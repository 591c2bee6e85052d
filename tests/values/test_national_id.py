"""Chinese resident identity number (GB 11643): structure, MOD 11-2, birth date and sex."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    InvalidValue,
)
from aftersales_crm.values import Gender, IdentifierModule, national_id


def complete(body: str) -> str:
    """Append the computed check character to 17 digits."""
    return body + national_id.calc_check_digit(body)


def test_the_national_id_module_satisfies_the_identifier_protocol() -> None:
    module: IdentifierModule = national_id
    assert module.is_valid("11010519491231002X")


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("number", "canonical", "born", "sex"),
    [
        # the GB 11643 example, female (sequence 002)
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "female"),
        # lower-case x is upper-cased
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "female"),
        # the standard's own example: region 440524 is newer than 1880, still accepted
        ("440524188001010014", "440524188001010014", date(1880, 1, 1), "male"),
        # a common test number, male (sequence 447)
        ("110101199003074477", "110101199003074477", date(1990, 3, 7), "male"),
        # grouped 6-8-4 with spaces, as printed
        ("110105 19491231 002X", "11010519491231002X", date(1949, 12, 31), "female"),
        # grouped with hyphens, full-width
        (
            "１１０１０５－１９４９１２３１－００２ｘ",
            "11010519491231002X",
            date(1949, 12, 31),
            "female",
        ),
        # Shantou district code created 2003, holder born 1995
        ("440513199505050014", "440513199505050014", date(1995, 5, 5), "male"),
        # Beijing Miyun district code created 2015, holder born 1990
        ("110118199001010012", "110118199001010012", date(1990, 1, 1), "male"),
        # 29 February of a leap year
        (complete("11010520000229002"), complete("11010520000229002"), date(2000, 2, 29), "female"),
    ],
)
def test_valid_national_ids_give_canonical_form_birth_date_and_sex(
    number: str, canonical: str, born: date, sex: str
) -> None:
    assert national_id.validate(number) == canonical
    assert national_id.is_valid(number)
    assert national_id.birth_date(number) == born
    assert national_id.gender(number) == sex


@pytest.mark.parametrize(
    "region",
    [
        "810000",  # Hong Kong residents' residence permit
        "820000",  # Macau
        "830000",  # Taiwan
    ],
)
def test_residence_permits_of_hong_kong_macau_and_taiwan_are_accepted(region: str) -> None:
    number = complete(region + "19900101" + "021")
    assert national_id.validate(number) == number
    assert national_id.gender(number) == "male"


def test_gender_gives_the_values_of_the_gender_enum() -> None:
    assert Gender(national_id.gender("110101199003074477")) is Gender.MALE
    assert Gender(national_id.gender("11010519491231002X")) is Gender.FEMALE


# ---------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    ("number", "error", "code", "fragment"),
    [
        # check character X where 7 is computed
        ("11010119900307447X", InvalidChecksum, "national_id_checksum", "is X, expected 7"),
        # last digit changed
        ("110101199003074478", InvalidChecksum, "national_id_checksum", "is 8, expected 7"),
        # 30 February
        ("110105194902300020", InvalidComponent, "national_id_birth_date", "19490230"),
        # month 13
        ("110105194913010020", InvalidComponent, "national_id_birth_date", "19491301"),
        # day 00
        ("110105194912000020", InvalidComponent, "national_id_birth_date", "19491200"),
        # year 0000
        ("110105000001010020", InvalidComponent, "national_id_birth_date", "00000101"),
        # 29 February of a common year
        ("110105190002290020", InvalidComponent, "national_id_birth_date", "19000229"),
        # 16 and 19 characters
        ("1101051949123100", InvalidLength, "national_id_length", "16 characters, expected 18"),
        ("1101051949123100211", InvalidLength, "national_id_length", "19 characters"),
        # a first-generation 15-digit number
        ("110105491231002", InvalidLength, "national_id_length", "15 characters"),
        # a letter inside
        ("1101051949123100AX", InvalidFormat, "national_id_format", "'A'; it must be 17 digits"),
        # X anywhere but last
        ("X10105194912310020", InvalidFormat, "national_id_format", "'X' before the last"),
        # Arabic-Indic digits are digits to str.isdigit, not to the standard
        ("11" + "\u0661" * 16, InvalidFormat, "national_id_format", "17 digits"),
        # no province 99, 00, 16 or 72
        ("99010519491231002X", InvalidComponent, "national_id_region", "starts with 99"),
        ("00010519491231002X", InvalidComponent, "national_id_region", "starts with 00"),
        ("16010519491231002X", InvalidComponent, "national_id_region", "region 160105"),
        ("72010519491231002X", InvalidComponent, "national_id_region", "starts with 72"),
    ],
)
def test_invalid_national_ids_are_rejected_with_the_rule_and_the_values(
    number: str, error: type[InvalidValue], code: str, fragment: str
) -> None:
    with pytest.raises(error, match=fragment) as exc:
        national_id.validate(number)
    assert exc.value.code == code
    assert not national_id.is_valid(number)


def test_national_id_with_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(InvalidChecksum) as exc:
        national_id.validate("11010119900307447X")
    assert str(exc.value) == "national ID check digit is X, expected 7"


def test_non_str_input_is_an_invalid_format_not_a_type_error() -> None:
    with pytest.raises(InvalidFormat, match="must be a str, not int") as exc:
        national_id.validate(110101199003074477)  # type: ignore[arg-type]
    assert exc.value.code == "national_id_type"


# ---------------------------------------------------------------- as_of: no clock is read


def test_a_birth_after_as_of_is_rejected_only_when_as_of_is_given() -> None:
    future = complete("11010520990101002")
    assert national_id.is_valid(future)
    assert not national_id.is_valid(future, as_of=date(2026, 1, 1))
    with pytest.raises(InvalidComponent, match="2099-01-01 is after 2026-01-01") as exc:
        national_id.validate(future, as_of=date(2026, 1, 1))
    assert exc.value.code == "national_id_future_birth"


@pytest.mark.parametrize(
    ("as_of", "valid"),
    [
        (date(1990, 3, 6), False),  # the day before the birth
        (date(1990, 3, 7), True),  # born today is fine
        (date(2030, 1, 1), True),
    ],
)
def test_as_of_is_compared_with_the_birth_date_day_by_day(as_of: date, valid: bool) -> None:
    assert national_id.is_valid("110101199003074477", as_of=as_of) is valid


# ---------------------------------------------------------------- calc_check_digit


@pytest.mark.parametrize(
    ("number", "check"),
    [
        ("11010519491231002", "X"),  # 17 digits; a check value of 10 is written X
        ("11010519491231002X", "X"),  # 18 characters: the last is ignored
        ("110101199003074470", "7"),
        ("44052418800101001", "4"),
        ("１１０１０５１９４９１２３１００２", "X"),  # full-width, normalised first
    ],
)
def test_calc_check_digit_follows_iso_7064_mod_11_2(number: str, check: str) -> None:
    assert national_id.calc_check_digit(number) == check


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("1101051949", InvalidLength),  # 10 characters
        ("1101051949123100211", InvalidLength),  # 19 characters
        ("1101051949123100A", InvalidFormat),  # a letter among the 17
        ("X1010519491231002", InvalidFormat),  # X is only a check character
        ("\U00010a40" * 17, InvalidFormat),  # Kharoshthi digits: isdigit, but no int()
    ],
)
def test_calc_check_digit_needs_seventeen_ascii_digits(
    number: str, error: type[InvalidValue]
) -> None:
    with pytest.raises(error):
        national_id.calc_check_digit(number)


def test_the_weights_are_powers_of_two_mod_11() -> None:
    assert tuple(2 ** (17 - i) % 11 for i in range(17)) == national_id.WEIGHTS


def test_the_province_table_lists_the_province_level_codes_and_the_permit_prefixes() -> None:
    north, north_east, east = range(11, 16), range(21, 24), range(31, 38)
    central_south, south_west, north_west = range(41, 47), range(50, 55), range(61, 66)
    expected = [
        *north,
        *north_east,
        *east,
        *central_south,
        *south_west,
        *north_west,
        71,
        81,
        82,
        83,
    ]
    assert sorted(national_id.PROVINCES) == [str(code) for code in expected]
    assert national_id.PROVINCES["44"] == "广东省"


# ---------------------------------------------------------------- display


def test_format_groups_region_birth_date_and_sequence() -> None:
    assert national_id.format("11010519491231002x") == "110105 19491231 002X"


def test_mask_keeps_only_the_region_and_the_check_character() -> None:
    assert national_id.mask("11010519491231002x") == "110105***********X"
    assert national_id.mask("110101199003074477") == "110101***********7"


@pytest.mark.parametrize("verb", [national_id.format, national_id.mask, national_id.birth_date])
def test_derived_values_refuse_an_invalid_number(verb: object) -> None:
    with pytest.raises(InvalidChecksum):
        verb("11010119900307447X")  # type: ignore[operator]


# ---------------------------------------------------------------- properties

regions = st.builds(
    lambda province, rest: f"{province}{rest:04d}",
    st.sampled_from(sorted(national_id.PROVINCES)),
    st.integers(0, 9999),
)


@given(regions, st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 999))
def test_a_number_built_from_region_date_and_sequence_round_trips(
    region: str, born: date, sequence: int
) -> None:
    number = complete(f"{region}{born:%Y%m%d}{sequence:03d}")
    assert national_id.validate(number) == number
    assert national_id.birth_date(number) == born
    assert national_id.gender(number) == ("male" if sequence % 2 else "female")
    assert national_id.validate(national_id.format(number)) == number
    assert national_id.validate(number.lower()) == number
    assert national_id.mask(number)[:6] == region


@given(regions, st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 999))
def test_every_other_check_character_is_rejected(region: str, born: date, sequence: int) -> None:
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    check = national_id.calc_check_digit(body)
    for wrong in "0123456789X".replace(check, ""):
        assert not national_id.is_valid(body + wrong)


@given(
    st.text(alphabet="0123456789X -xｘ０１２", max_size=24),
    st.none() | st.dates(date(1900, 1, 1), date(2100, 1, 1)),
)
def test_validate_is_idempotent_and_agrees_with_is_valid(text: str, as_of: date | None) -> None:
    try:
        canonical = national_id.validate(text, as_of=as_of)
    except InvalidValue:
        assert not national_id.is_valid(text, as_of=as_of)
    else:
        assert national_id.is_valid(text, as_of=as_of)
        assert national_id.validate(canonical, as_of=as_of) == canonical
