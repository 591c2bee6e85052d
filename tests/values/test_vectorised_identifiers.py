"""Vectorised identifier checks agree row by row with the scalar rules they stand for.

``is_valid_array`` is True exactly for values that are their own canonical form and that
``validate`` accepts with the same options; ``check_digits`` gives what
``calc_check_digit`` gives. Bulk ingest relies on both: True rows skip the scalar path.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidFormat, InvalidLength, InvalidValue
from aftersales_crm.testing.strategies import national_ids, vins
from aftersales_crm.values import national_id, vin

SEPARATORS = " -\u2013\u200b"  # space, hyphen, en dash, zero-width space
FULL_WIDTH = str.maketrans("0123456789ABCDEFX", "０１２３４５６７８９ＡＢＣＤＥＦＸ")


def vin_is_canonical_and_valid(value: object, strict: bool | None) -> bool:
    """The scalar reference: ``validate`` accepts the value and returns it unchanged."""
    return vin.is_valid(value, strict=strict) and vin.validate(value, strict=strict) == value  # type: ignore[arg-type]


def id_is_canonical_and_valid(value: object, as_of: date | None) -> bool:
    """The scalar reference for resident identity numbers."""
    return national_id.is_valid(value, as_of=as_of) and (
        national_id.validate(value, as_of=as_of) == value  # type: ignore[arg-type]
    )


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[str], alphabet: str) -> str:
    """A valid value, left alone or changed the way typed and exported data changes it."""
    value = draw(valid)
    position = draw(st.integers(0, len(value) - 1))
    change = draw(
        st.sampled_from(
            ["none", "lower", "separator", "replace", "drop", "add", "full_width", "pad"]
        )
    )
    if change == "lower":
        return value.lower()
    if change == "separator":
        return value[:position] + draw(st.sampled_from(SEPARATORS)) + value[position:]
    if change == "replace":
        return value[:position] + draw(st.sampled_from(alphabet)) + value[position + 1 :]
    if change == "drop":
        return value[:position] + value[position + 1 :]
    if change == "add":
        return value + draw(st.sampled_from(alphabet))
    if change == "full_width":
        return value.translate(FULL_WIDTH)
    if change == "pad":
        return f" {value}\t"
    return value


VIN_LIKE = (
    vins()
    | mutated(vins(), vin.ALPHABET + "IOQa")
    | st.text(alphabet=vin.ALPHABET, min_size=17, max_size=17)  # any check character
    | st.text(max_size=20)
)
ID_LIKE = (
    national_ids()
    | mutated(national_ids(), "0123456789Xx")
    # any province, any date digits, any check character
    | st.text(alphabet="0123456789", min_size=17, max_size=17).flatmap(
        lambda body: st.sampled_from("0123456789Xx").map(lambda check: body + check)
    )
    | st.text(max_size=20)
)
JUNK: list[Any] = [None, 17, 1.5, b"LSVAU218XN2183294", ["11010519491231002X"]]


def as_unicode(values: list[str]) -> NDArray[np.str_]:
    """A numpy unicode array of the values (numpy drops trailing NUL characters)."""
    return np.array(values, dtype=str) if values else np.array([], dtype="U17")


def complete(body: str) -> str:
    """Seventeen digits and their check character."""
    return body + national_id.calc_check_digit(body)


def as_objects(values: list[Any]) -> NDArray[np.object_]:
    """A one-dimensional object array holding the values as they are, lists included."""
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


# ---------------------------------------------------------------- VIN


@given(values=st.lists(VIN_LIKE, max_size=20), strict=st.sampled_from([None, True, False]))
def test_vin_rows_are_true_exactly_when_canonical_and_valid(
    values: list[str], strict: bool | None
) -> None:
    unicode = as_unicode(values)
    expected = [vin_is_canonical_and_valid(str(value), strict) for value in unicode]
    assert vin.is_valid_array(unicode, strict=strict).tolist() == expected

    objects = as_objects([*values, *JUNK])
    expected = [vin_is_canonical_and_valid(value, strict) for value in objects]
    assert vin.is_valid_array(objects, strict=strict).tolist() == expected


@given(values=st.lists(vins() | st.text(alphabet=vin.ALPHABET, min_size=17, max_size=17)))
def test_vin_check_digits_agree_with_calc_check_digit(values: list[str]) -> None:
    expected = [vin.calc_check_digit(value) for value in values]
    assert vin.check_digits(as_unicode(values)).tolist() == expected
    assert vin.check_digits(as_objects(values)).tolist() == expected


@pytest.mark.parametrize(
    ("value", "error", "code"),
    [
        (None, InvalidFormat, "vin_type"),  # a missing value in an object column
        ("LSVAU218XN218329", InvalidLength, "vin_length"),  # 16 characters
        ("LSVAU218XN21832945", InvalidLength, "vin_length"),  # 18 characters
        ("lsvau218xn2183294", InvalidFormat, "vin_format"),  # lower case: compact it first
        ("LSVAU218XN218329O", InvalidFormat, "vin_format"),  # O is not a VIN character
    ],
)
def test_vin_check_digits_reject_values_not_in_canonical_form_naming_the_row(
    value: object, error: type[InvalidValue], code: str
) -> None:
    column = as_objects(["LSVAU218XN2183294", value])
    with pytest.raises(error, match=r"^row 1: ") as exc:
        vin.check_digits(column)
    assert exc.value.code == code


# ---------------------------------------------------------------- national ID


@given(
    values=st.lists(ID_LIKE, max_size=20),
    as_of=st.none() | st.dates(date(1900, 1, 1), date(2030, 12, 31)),
)
def test_national_id_rows_are_true_exactly_when_canonical_and_valid(
    values: list[str], as_of: date | None
) -> None:
    unicode = as_unicode(values)
    expected = [id_is_canonical_and_valid(str(value), as_of) for value in unicode]
    assert national_id.is_valid_array(unicode, as_of=as_of).tolist() == expected

    objects = as_objects([*values, *JUNK])
    expected = [id_is_canonical_and_valid(value, as_of) for value in objects]
    assert national_id.is_valid_array(objects, as_of=as_of).tolist() == expected


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ("11010519491231002", True),  # the GB 11643 example (check character X)
        ("44052418800101001", True),  # born 1880, region code newer than the holder
        ("11010519490230002", False),  # 30 February
        ("11010520000229002", True),  # 29 February of a leap year divisible by 400
        ("11010519000229002", False),  # 1900 was not a leap year
        ("11010500000101001", False),  # year 0 is before datetime.MINYEAR
        ("11010519991301001", False),  # month 13
        ("11010519990001001", False),  # month 0
        ("11010519990100001", False),  # day 0
        ("11010519990132001", False),  # day 32
        ("99010519491231002", False),  # 99 is not a province
        ("00010519491231002", False),  # nor is 00
    ],
)
def test_national_id_rows_follow_each_rule_of_validate(body: str, valid: bool) -> None:
    number = complete(body)
    assert national_id.is_valid_array([number]).tolist() == [valid]
    assert id_is_canonical_and_valid(number, None) is valid


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002x",  # valid, but the canonical form has an upper-case X
        "110105 19491231 002X",  # valid, with separators
        "１１０１０５１９４９１２３１００２Ｘ",  # valid, full-width
        "11010519491231002X ",  # valid, with a trailing space
    ],
)
def test_valid_national_ids_not_in_canonical_form_are_false(number: str) -> None:
    assert national_id.is_valid(number)
    assert national_id.is_valid_array([number]).tolist() == [False]


def test_a_national_id_born_after_as_of_is_false_and_one_born_that_day_is_true() -> None:
    numbers = np.array([complete("11010520260101001"), complete("11010520260102001")])
    on = date(2026, 1, 1)
    assert national_id.is_valid_array(numbers, as_of=on).tolist() == [True, False]
    assert [id_is_canonical_and_valid(str(n), on) for n in numbers] == [True, False]


@given(bodies=st.lists(st.text(alphabet="0123456789", min_size=17, max_size=17)))
def test_national_id_check_digits_agree_with_calc_check_digit(bodies: list[str]) -> None:
    expected = [national_id.calc_check_digit(body) for body in bodies]
    assert national_id.check_digits(as_unicode(bodies)).tolist() == expected
    full = [body + check for body, check in zip(bodies, expected, strict=True)]
    assert national_id.check_digits(as_objects(full)).tolist() == expected


@given(numbers=st.lists(national_ids(), min_size=1))
def test_national_id_check_digits_ignore_the_check_character_given(numbers: list[str]) -> None:
    wrong = [number[:-1] + ("0" if number[-1] != "0" else "1") for number in numbers]
    assert national_id.check_digits(wrong).tolist() == [n[-1] for n in numbers]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "national_id_type"),  # a missing value in an object column
        ("1101051949123100", "national_id_format"),  # 16 digits
        ("11010519491231002XX", "national_id_format"),  # 19 characters
        ("11010519491231002x", "national_id_format"),  # lower case: compact it first
        ("1101051949123100X2", "national_id_format"),  # X before the last position
    ],
)
def test_national_id_check_digits_reject_other_values_naming_the_row(
    value: object, code: str
) -> None:
    column = as_objects(["11010519491231002", value])
    with pytest.raises(InvalidFormat, match=r"^row 1: ") as exc:
        national_id.check_digits(column)
    assert exc.value.code == code


# ---------------------------------------------------------------- both


CHECKS: list[tuple[Callable[..., NDArray[np.bool_]], str]] = [
    (vin.is_valid_array, "LSVAU218XN2183294"),
    (national_id.is_valid_array, "11010519491231002X"),
]


@pytest.mark.parametrize(("check", "sample"), CHECKS)
def test_empty_columns_give_empty_results(
    check: Callable[..., NDArray[np.bool_]], sample: str
) -> None:
    empties: list[Any] = [[], np.array([], dtype="U18"), np.array([], dtype=object)]
    for empty in empties:
        result = check(empty)
        assert result.dtype == np.bool_
        assert result.shape == (0,)


@pytest.mark.parametrize(("check", "sample"), CHECKS)
def test_any_unicode_width_byte_order_and_shape_is_read(
    check: Callable[..., NDArray[np.bool_]], sample: str
) -> None:
    assert check(np.array([sample, "x" * 40])).tolist() == [True, False]  # <U40
    assert check(np.array([sample], dtype=">U18")).tolist() == [True]  # big-endian
    assert check(np.array([sample[:-1]], dtype="U17")).tolist() == [False]  # cut short
    assert check(np.full((2, 3), sample)).shape == (2, 3)
    assert check(sample).shape == ()


@pytest.mark.parametrize(("check", "sample"), CHECKS)
def test_columns_of_other_dtypes_hold_no_valid_value(
    check: Callable[..., NDArray[np.bool_]], sample: str
) -> None:
    for column in (np.array([sample.encode()]), np.arange(3), np.array([1.5])):
        assert not check(column).any()


def test_a_number_in_a_plain_list_is_not_read_as_its_text() -> None:
    # np.asarray(values) would turn each int into the text of the valid value before it.
    numbers: list[object] = ["110101199003074477", 110101199003074477]
    assert national_id.is_valid_array(numbers).tolist() == [True, False]
    vins_: list[object] = ["11111111111111111", 11111111111111111]
    assert vin.is_valid_array(vins_).tolist() == [True, False]


def test_a_hundred_thousand_rows_are_checked_at_once() -> None:
    n = 100_000
    rng = np.random.default_rng(0)
    alphabet = np.array(list(vin.ALPHABET))
    chars = alphabet[rng.integers(0, len(alphabet), (n, vin.LENGTH))]
    chars[:, 0] = "L"  # China: the check character is required
    vins_ = chars.view(f"U{vin.LENGTH}").reshape(n)
    chars[:, vin.CHECK_POSITION] = vin.check_digits(vins_)
    assert vin.is_valid_array(vins_).all()
    chars[::7, vin.CHECK_POSITION] = np.where(chars[::7, vin.CHECK_POSITION] == "X", "0", "X")
    result = vin.is_valid_array(vins_.astype(object))
    assert result.sum() == n - len(range(0, n, 7))
    assert all(result[i] == vin.is_valid(str(vins_[i])) for i in range(0, n, 997))

    codes = np.array(sorted(national_id.PROVINCES))
    provinces = codes[rng.integers(0, len(codes), n)]
    born = np.datetime64("1930-01-01") + rng.integers(0, 30_000, n).astype("timedelta64[D]")
    bodies = np.char.add(
        np.char.add(provinces, "0101"),
        np.char.add(np.char.replace(born.astype(str), "-", ""), "123"),
    )
    numbers = np.char.add(bodies, national_id.check_digits(bodies))
    assert national_id.is_valid_array(numbers, as_of=date(2026, 1, 1)).all()
    assert not national_id.is_valid_array(np.char.add(" ", numbers)).any()  # not canonical
