"""Text helpers: the white-space test agrees with the regular expression on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.values._text import has_white_space

SPACE = re.compile(r"\s")


@given(st.text())
def test_white_space_is_found_as_the_regular_expression_finds_it(text: str) -> None:
    assert has_white_space(text) == (SPACE.search(text) is not None)


@given(st.lists(st.sampled_from(["RO1", "C2", " ", "\x1f", "\t", "王", "\u3000", "\x85"])))
def test_every_kind_of_white_space_in_a_joined_column_is_found(parts: list[str]) -> None:
    joined = "".join(parts)
    assert has_white_space(joined) == (SPACE.search(joined) is not None)
