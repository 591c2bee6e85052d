"""The whole-column phone check agrees with ``phone.validate`` on every number, fast path or not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import phone
from aftersales_crm.values.phone import _fast_e164

_FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")


def _one_by_one(number: object) -> str | None:
    try:
        return phone.validate(number)  # type: ignore[arg-type]  # junk is allowed here
    except InvalidValue:
        return None


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


# mobiles of every 1[3-9] prefix, and numbers one digit short or long
mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("0123456789"),
    st.integers(8, 10).flatmap(_digits),
)
# fixed lines: area codes of 2 and 3 digits (real and not), subscribers of 5 to 9 digits
fixed = st.builds(
    lambda area, subscriber: area + subscriber,
    st.one_of(
        st.sampled_from(["10", "20", "21", "22", "23", "24", "25", "27", "28", "29"]),
        st.integers(1, 9).map(str).flatmap(lambda d: _digits(2).map(lambda r: d + r)),
    ),
    st.integers(5, 9).flatmap(_digits),
)
# service numbers and anything else of 5 to 13 digits
other = st.integers(5, 13).flatmap(_digits)
national = st.one_of(mobiles, fixed, other)
prefixed = st.builds(
    lambda prefix, number: prefix + number,
    st.sampled_from(["", "0", "+86", "0086", "86", "+86 0", "+86-", "(0", "+852", "00"]),
    national,
)


@st.composite
def written(draw: st.DrawFn) -> str:
    """A number as people type it: separators anywhere, full-width digits, stray junk."""
    text = draw(prefixed)
    chars = list(text)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from([" ", "-", ".", "(", ")", "/", "\u2013", "\t"])))
    text = "".join(chars)
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.translate(_FULL_WIDTH)
    if draw(st.integers(0, 9)) == 0:
        text += draw(st.sampled_from(["x", " ext. 12", "#", "a", "\u200b"]))
    return text


@given(st.lists(st.one_of(written(), st.text(max_size=20), st.none(), st.integers()), max_size=30))
def test_the_column_check_gives_what_validate_gives_row_by_row(numbers: list[object]) -> None:
    expected = [_one_by_one(n) for n in numbers]
    assert phone.validate_array(numbers).tolist() == expected


@given(st.lists(written(), min_size=1, max_size=30))
def test_the_fast_path_vouches_only_for_numbers_validate_accepts_as_it_writes_them(
    numbers: list[str],
) -> None:
    for number, fast in zip(numbers, _fast_e164(numbers), strict=True):
        if fast is not None:
            assert fast == phone.validate(number), number


@given(mobiles, st.sampled_from(["", "+86", "0086", "+86 "]))
def test_every_valid_mobile_in_a_common_form_takes_the_fast_path(number: str, prefix: str) -> None:
    written_out = prefix + number
    expected = _one_by_one(written_out)
    (fast,) = _fast_e164([written_out])
    if expected is not None and not number.startswith("179"):
        assert fast == expected


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("13812345678", "+8613812345678"),  # a mobile
        ("138-1234-5678", "+8613812345678"),  # with separators
        ("+86 138 1234 5678", "+8613812345678"),  # after the country code
        ("0086 13812345678", "+8613812345678"),  # after the international prefix
        ("010-12345678", "+861012345678"),  # Beijing, with the trunk 0
        ("(021) 1234 5678", "+862112345678"),  # Shanghai, area code in brackets
        ("+86 10 12345678", "+861012345678"),  # Beijing from abroad
        ("4008123123", "+864008123123"),  # a national service number
    ],
)
def test_common_forms_take_the_fast_path(number: str, e164: str) -> None:
    assert _fast_e164([number]) == [e164]
    assert phone.validate(number) == e164


def test_numbers_the_fast_path_leaves_are_still_checked() -> None:
    numbers = np.array(
        ["+852 9123 4567", "１３８１２３４５６７８", "95588", "179 5113 8001 234"], dtype=object
    )
    assert _fast_e164(numbers.tolist())[:3] == [None, None, None]
    assert phone.validate_array(numbers).tolist() == [_one_by_one(n) for n in numbers]
