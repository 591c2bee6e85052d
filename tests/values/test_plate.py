"""Chinese licence plates (GA 36-2018): the covered formats, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidFormat
from aftersales_crm.values import IdentifierModule, plate

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
ALNUM = LETTERS + "0123456789"
DIGITS = "0123456789"


def test_the_plate_module_satisfies_the_identifier_protocol() -> None:
    module: IdentifierModule = plate
    assert module.format("京A12345") == "京A·12345"


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("number", "compact", "kind"),
    [
        ("京A12345", "京A12345", "regular"),  # Beijing, all digits
        ("京AD2345", "京AD2345", "regular"),  # letters among the five
        ("沪CXY789", "沪CXY789", "regular"),
        ("京a-12345", "京A12345", "regular"),  # lower case and a hyphen
        ("京A 12345", "京A12345", "regular"),  # a space after the office letter
        ("京A.12345", "京A12345", "regular"),  # a full stop for the dot
        ("京A・12345", "京A12345", "regular"),  # the katakana middle dot of Japanese IMEs
        ("京Ａ１２３４５", "京A12345", "regular"),  # full-width letters and digits
        ("粤B·D12345", "粤BD12345", "new_energy"),  # small new-energy, pure electric
        ("沪AF12345", "沪AF12345", "new_energy"),  # small new-energy, other
        ("粤BDA1234", "粤BDA1234", "new_energy"),  # small: a letter after the type letter
        ("苏E12345D", "苏E12345D", "new_energy"),  # large new-energy, type letter last
        ("川A12345F", "川A12345F", "new_energy"),
        ("京A1234学", "京A1234学", "special"),  # driving-school coach
        ("京A1234警", "京A1234警", "special"),  # police
        ("鲁B1234挂", "鲁B1234挂", "special"),  # trailer
        ("沪A1234领", "沪A1234领", "special"),  # consulate
        ("粤Z1234港", "粤Z1234港", "special"),  # cross-border, Hong Kong
        ("粤Z·AB12澳", "粤ZAB12澳", "special"),  # cross-border, Macau
        ("使014578", "使014578", "embassy"),  # 使 first
        ("014 578使", "014578使", "embassy"),  # 使 last
    ],
)
def test_covered_plates_are_accepted_with_their_kind(number: str, compact: str, kind: str) -> None:
    assert plate.validate(number) == compact
    assert plate.is_valid(number)
    assert plate.kind(number) == kind
    assert kind in plate.KINDS


# ---------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    "number",
    [
        "京AI2345",  # I is never used
        "京O12345",  # O is never used, not even as office letter
        "京A1234O",
        "京A1234",  # 6 characters
        "京A1234567",  # 9 characters
        "京A123456",  # 8 characters but neither new-energy form
        "京AD1234A",  # small new-energy needs four digits at the end
        "京A1234DA",  # large new-energy needs five digits first
        "京AZ12345",  # Z is not a new-energy type letter
        "京A12345Z",
        "AA12345",  # no province
        "港A12345",  # 港 is a suffix, not a province
        "京112345",  # the office letter is a letter
        "京A12345学",  # special plates have four characters before the suffix
        "京A1234军",  # military plates are not covered
        "WJ京12345",  # nor armed-police plates
        "使01457",  # embassy plates have six digits
        "使01457A",
        "领014578",  # 领 is a suffix, not a prefix
        "",  # empty
        "   ",  # only spaces
    ],
)
def test_uncovered_plates_are_rejected_with_plate_format(number: str) -> None:
    with pytest.raises(InvalidFormat) as exc:
        plate.validate(number)
    assert exc.value.code == "plate_format"
    assert not plate.is_valid(number)


def test_the_rejection_names_the_plate_and_the_covered_formats() -> None:
    with pytest.raises(InvalidFormat) as exc:
        plate.validate("京o12345")
    message = str(exc.value)
    assert message.startswith("licence plate '京O12345' matches no covered format")
    assert "I and O" in message


def test_non_str_input_is_an_invalid_format_not_a_type_error() -> None:
    with pytest.raises(InvalidFormat, match="a licence plate must be a str, not bytes") as exc:
        plate.validate("京A12345".encode())  # type: ignore[arg-type]
    assert exc.value.code == "plate_type"


# ---------------------------------------------------------------- derived values and display


@pytest.mark.parametrize(
    ("number", "province"),
    [
        ("京A12345", "京"),
        ("粤B·D12345", "粤"),
        ("粤Z1234港", "粤"),  # cross-border plates are issued in Guangdong
        ("使014578", None),  # embassy plates have no province
        ("014578使", None),
    ],
)
def test_province_gives_the_abbreviation_or_none_for_embassy_plates(
    number: str, province: str | None
) -> None:
    assert plate.province(number) == province


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("京a12345", "京A·12345"),
        ("粤bd12345", "粤B·D12345"),
        ("苏E 12345 D", "苏E·12345D"),
        ("京A1234学", "京A·1234学"),
        ("使 014 578", "使014578"),  # embassy plates are shown compact
    ],
)
def test_format_puts_the_dot_after_the_issuing_office(number: str, shown: str) -> None:
    assert plate.format(number) == shown


@pytest.mark.parametrize("verb", [plate.format, plate.kind, plate.province])
def test_derived_values_refuse_an_invalid_plate(verb: object) -> None:
    with pytest.raises(InvalidFormat):
        verb("京O12345")  # type: ignore[operator]


def test_the_tables_are_the_31_provinces_and_the_six_special_suffixes() -> None:
    assert len(plate.PROVINCES) == len(set(plate.PROVINCES)) == 31
    assert "".join(plate.SPECIAL_SUFFIXES) == "学警挂领港澳"
    assert sorted(plate.NEW_ENERGY_TYPES) == sorted("ABCDEFGHJK")


# ---------------------------------------------------------------- properties

provinces = st.sampled_from(plate.PROVINCES)
offices = st.sampled_from(LETTERS)


@given(provinces, offices, st.text(alphabet=ALNUM, min_size=5, max_size=5))
def test_every_regular_plate_is_valid_and_formats_back(p: str, office: str, rest: str) -> None:
    number = p + office + rest
    assert plate.kind(number) == "regular"
    assert plate.validate(plate.format(number)) == number
    assert plate.province(number) == p


@given(
    provinces,
    offices,
    st.sampled_from(plate.NEW_ENERGY_TYPES),
    st.sampled_from(ALNUM),
    st.text(alphabet=DIGITS, min_size=5, max_size=5),
)
def test_every_new_energy_plate_is_valid_in_both_sizes(
    p: str, office: str, energy: str, second: str, digits: str
) -> None:
    small = p + office + energy + second + digits[:4]  # 粤B D A 1234
    large = p + office + digits + energy  # 苏E 12345 D
    for number in (small, large):
        assert plate.kind(number) == "new_energy"
        assert plate.validate(plate.format(number).lower()) == number


@given(provinces, offices, st.text(alphabet=ALNUM, min_size=4, max_size=4))
def test_every_special_suffix_makes_a_special_plate(p: str, office: str, rest: str) -> None:
    for suffix in plate.SPECIAL_SUFFIXES:
        assert plate.kind(p + office + rest + suffix) == "special"


@given(st.text(alphabet=ALNUM + "IO" + plate.PROVINCES[:3] + "学使·- ", max_size=10))
def test_validate_is_idempotent_and_agrees_with_is_valid(text: str) -> None:
    try:
        compact = plate.validate(text)
    except InvalidFormat:
        assert not plate.is_valid(text)
    else:
        assert plate.is_valid(text)
        assert plate.validate(compact) == compact
        assert "I" not in compact[1:]
        assert "O" not in compact[1:]
