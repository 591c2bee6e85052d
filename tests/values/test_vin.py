"""VIN (ISO 3779 / GB 16735): syntax, the position-9 check character and its regional policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidChecksum, InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.values import IdentifierModule, vin

VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
vin_bodies = st.text(alphabet=VIN_CHARS, min_size=16, max_size=16)


def with_check_digit(body: str) -> str:
    """Insert the computed check character at position 9 of 16 VIN characters."""
    return body[:8] + vin.calc_check_digit(body) + body[8:]


def test_the_vin_module_satisfies_the_identifier_protocol() -> None:
    module: IdentifierModule = vin
    assert module.validate("1HGCM82633A004352") == "1HGCM82633A004352"


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("number", "canonical"),
    [
        ("1HGCM82633A004352", "1HGCM82633A004352"),  # the textbook North American example
        ("1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),  # North America, check character X
        ("5YJ3E1EAXJF000001", "5YJ3E1EAXJF000001"),  # the corrected Tesla example
        ("LSVAU218XN2183294", "LSVAU218XN2183294"),  # China (GB 16735), check character X
        ("LATPAB071W1005301", "LATPAB071W1005301"),  # a published Chinese worked example
        ("WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001"),  # Europe: position 9 is a filler
        ("１ＨＧＣＭ８２６３３Ａ００４３５２", "1HGCM82633A004352"),  # full-width input
        ("lsvau218xn2183294", "LSVAU218XN2183294"),  # lower case
        (" LSVAU-218XN-2183294\t", "LSVAU218XN2183294"),  # hyphens, spaces, a tab at the end
        ("LSVAU218XN\u2013218\u200b3294", "LSVAU218XN2183294"),  # en dash, zero-width space
    ],
)
def test_valid_vins_are_accepted_in_canonical_form(number: str, canonical: str) -> None:
    assert vin.validate(number) == canonical
    assert vin.is_valid(number)
    assert vin.compact(number) == canonical


# ---------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    ("number", "error", "code", "fragment"),
    [
        ("LSVAU2180N2183294", InvalidChecksum, "vin_checksum", "is 0, expected X"),  # China
        ("5YJ3E1EA7JF000001", InvalidChecksum, "vin_checksum", "is 7, expected X"),  # US
        ("1HGCM82633A004353", InvalidChecksum, "vin_checksum", "is 3, expected"),  # last changed
        ("1HGCM82633A00435", InvalidLength, "vin_length", "16 characters, expected 17"),
        ("1HGCM82633A0043521", InvalidLength, "vin_length", "18 characters, expected 17"),
        ("", InvalidLength, "vin_length", "0 characters"),  # empty
        ("1HGCM82633AO04352", InvalidFormat, "vin_format", "'O'"),  # O looks like 0
        ("1HGCM8263QA004352", InvalidFormat, "vin_format", "'Q'"),  # Q looks like 0
        ("1HGCM8263IA004352", InvalidFormat, "vin_format", "'I'"),  # I looks like 1
        ("1HGCM82_33A004352", InvalidFormat, "vin_format", "'_'"),  # punctuation
        ("1HGCM82633A0043\n2", InvalidFormat, "vin_format", "'\\\\n'"),  # inner newline
    ],
)
def test_invalid_vins_are_rejected_with_the_rule_and_the_values(
    number: str, error: type[InvalidValue], code: str, fragment: str
) -> None:
    with pytest.raises(error, match=fragment) as exc:
        vin.validate(number)
    assert exc.value.code == code
    assert not vin.is_valid(number)


def test_vin_with_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(InvalidChecksum) as exc:
        vin.validate("LSVAU2180N2183294")
    assert str(exc.value) == "VIN check digit is 0, expected X"


def test_a_vin_with_many_bad_characters_lists_only_the_first_few() -> None:
    with pytest.raises(InvalidFormat) as exc:
        vin.validate("ioqäöü_!?ioqioqio")
    assert str(exc.value).startswith("VIN contains '!', '?', 'I', 'O', 'Q', …;")


def test_non_str_input_is_an_invalid_format_not_a_type_error() -> None:
    with pytest.raises(InvalidFormat, match="a VIN must be a str, not int") as exc:
        vin.validate(17)  # type: ignore[arg-type]
    assert exc.value.code == "vin_type"


# ---------------------------------------------------------------- the check-digit policy


@pytest.mark.parametrize(
    ("number", "strict", "valid"),
    [
        ("WVWZZZ1JZXW000001", None, True),  # Europe: not checked by default ...
        ("WVWZZZ1JZXW000001", True, False),  # ... but checked when strict
        ("WVWZZZ1JZXW000001", False, True),
        ("JHMCM82603C004352", None, True),  # Japan (J): not checked by default either
        ("JHMCM82603C004352", True, False),
        ("LSVAU2180N2183294", None, False),  # China: checked by default
        ("LSVAU2180N2183294", True, False),
        ("LSVAU2180N2183294", False, True),  # strict=False turns the check off ...
        ("5YJ3E1EA7JF000001", False, True),  # ... in North America too
        ("LSVAU218XN2183294", True, True),  # a correct check passes every policy
        ("LSVAU218XN2183294", False, True),
    ],
)
def test_the_check_digit_is_required_by_region_unless_strict_says_otherwise(
    number: str, strict: bool | None, valid: bool
) -> None:
    assert vin.is_valid(number, strict=strict) is valid


@pytest.mark.parametrize("first", list("12345L"))
def test_every_north_american_and_chinese_prefix_requires_the_check_digit(first: str) -> None:
    number = first + "HGCM82603A004352"  # position 9 is 0
    correct = number[:8] + vin.calc_check_digit(number) + number[9:]
    wrong = number[:8] + ("1" if correct[8] != "1" else "2") + number[9:]
    assert vin.is_valid(correct)
    assert not vin.is_valid(wrong)
    assert vin.is_valid(wrong, strict=False)


def test_the_check_digit_regions_are_north_america_and_china() -> None:
    assert frozenset("12345L") == vin.CHECK_DIGIT_REGIONS


# ---------------------------------------------------------------- calc_check_digit


@pytest.mark.parametrize(
    ("number", "check"),
    [
        ("1HGCM82633A004352", "3"),  # 17 characters, position 9 ignored
        ("1HGCM82603A004352", "3"),  # whatever stands in position 9
        ("1HGCM8263A004352", "3"),  # 16 characters: position 9 left out
        ("LSVAU2180N2183294", "X"),  # a remainder of 10 is written X
        ("lsvau218 n2183294", "X"),  # normalised first
        ("11111111111111111", "1"),  # the checksum alone does not catch fakes
    ],
)
def test_calc_check_digit_computes_position_nine(number: str, check: str) -> None:
    assert vin.calc_check_digit(number) == check


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("1HGCM8263A00435", InvalidLength),  # 15 characters
        ("1HGCM82633A0043521", InvalidLength),  # 18 characters
        ("1HGCM8263AO04352", InvalidFormat),  # 16 characters with an O
    ],
)
def test_calc_check_digit_rejects_what_is_not_a_vin_body(
    number: str, error: type[InvalidValue]
) -> None:
    with pytest.raises(error):
        vin.calc_check_digit(number)


def test_the_transliteration_table_is_iso_3779() -> None:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    values = (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9)
    assert {c: vin.TRANSLITERATION[c] for c in letters} == dict(zip(letters, values, strict=True))
    assert all(vin.TRANSLITERATION[d] == int(d) for d in "0123456789")
    assert set(vin.TRANSLITERATION) == set(vin.ALPHABET)
    assert len(vin.WEIGHTS) == vin.LENGTH
    assert vin.WEIGHTS[vin.CHECK_POSITION] == 0


# ---------------------------------------------------------------- format and wmi


def test_format_gives_the_canonical_upper_case_vin() -> None:
    assert vin.format(" lsvau218-xn2183294 ") == "LSVAU218XN2183294"
    with pytest.raises(InvalidChecksum):
        vin.format("LSVAU2180N2183294")
    assert vin.format("LSVAU2180N2183294", strict=False) == "LSVAU2180N2183294"


def test_wmi_is_the_first_three_characters_of_a_valid_vin() -> None:
    assert vin.wmi("lsvau218xn2183294") == "LSV"
    assert vin.wmi("WVWZZZ1JZXW000001") == "WVW"
    with pytest.raises(InvalidChecksum):
        vin.wmi("WVWZZZ1JZXW000001", strict=True)


# ---------------------------------------------------------------- properties


@given(vin_bodies)
def test_inserting_the_computed_check_digit_makes_any_vin_valid(body: str) -> None:
    number = with_check_digit(body)
    assert vin.is_valid(number, strict=True)
    assert vin.calc_check_digit(number) == number[8]


@given(vin_bodies, st.sampled_from(VIN_CHARS))
def test_changing_the_check_character_makes_a_strict_vin_invalid(body: str, other: str) -> None:
    number = with_check_digit(body)
    changed = number[:8] + other + number[9:]
    assert vin.is_valid(changed, strict=True) is (other == number[8])


@given(vin_bodies, st.integers(0, 16).filter(lambda i: i != 8), st.sampled_from(VIN_CHARS))
def test_a_single_substitution_is_caught_unless_the_values_agree_mod_11(
    body: str, position: int, other: str
) -> None:
    number = with_check_digit(body)
    changed = number[:position] + other + number[position + 1 :]
    old, new = vin.TRANSLITERATION[number[position]], vin.TRANSLITERATION[other]
    undetectable = (old - new) * vin.WEIGHTS[position] % 11 == 0
    assert vin.is_valid(changed, strict=True) is undetectable


@given(vin_bodies.map(with_check_digit), st.booleans(), st.booleans())
def test_validate_is_idempotent_and_forgives_case_and_separators(
    number: str, lower: bool, hyphens: bool
) -> None:
    typed = number.lower() if lower else number
    typed = "-".join((typed[:3], typed[3:9], typed[9:])) if hyphens else typed
    assert vin.validate(typed) == number
    assert vin.validate(vin.validate(typed)) == vin.validate(typed)


def test_a_canonical_vin_is_returned_as_given_and_a_str_subclass_as_a_plain_str() -> None:
    class Tagged(str):
        """A str subclass, as some ORMs and enums hand over."""

    number = "LSVAU218XN2183294"
    assert vin.validate(number) is number
    tagged = vin.validate(Tagged(number))
    assert tagged == number
    assert type(tagged) is str
