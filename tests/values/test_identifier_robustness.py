"""One sweep over every identifier module: junk in, False or an InvalidValue out, never a crash."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidFormat, InvalidValue
from aftersales_crm.values import IdentifierModule, national_id, phone, plate, vin

MODULES: list[ModuleType] = [vin, national_id, phone, plate]
PROTOCOL: list[IdentifierModule] = [vin, national_id, phone, plate]  # mypy checks the protocol

# One valid value per module and its canonical form, in MODULES order, to show that the
# sweep below does not pass for the wrong reason.
VALID = [
    ("lsvau218xn2183294", "LSVAU218XN2183294"),
    ("11010519491231002x", "11010519491231002X"),
    ("138 1234 5678", "+8613812345678"),
    ("京a12345", "京A12345"),
]

NOT_STR: list[Any] = [
    None,  # missing
    0,  # a number
    13812345678,  # a phone number stored as int
    1.5,  # a float
    Decimal("1"),
    True,  # a bool is an int
    object(),  # anything
    b"LSVAU218XN2183294",  # bytes are not decoded
    bytearray(b"13812345678"),
    ["LSVAU218XN2183294"],  # a list holding a valid value
    ("京A12345",),
    {"vin": "LSVAU218XN2183294"},
    str,  # a type
]

BAD_STR: list[str] = [
    "",  # empty
    "   ",  # blank
    "\t\n",  # whitespace only
    "-",  # a separator only
    "１２３",  # full-width digits, too few
    "１" * 18,  # full-width digits, right length for a national ID, wrong check
    "🚗",  # emoji
    "🚗" * 17,  # emoji, a VIN's length
    "京" * 1000,  # very long
    "1" * 100_000,  # very, very long
    "\x00" * 17,  # NUL characters
    "\ud800" * 8,  # lone surrogates
    "\u0661" * 18,  # Arabic-Indic digits: digits to Python, not to the standards
    "\U00010a40" * 18,  # Kharoshthi digits: isdigit() but int() fails
    "None",  # the string of a missing value
    "nan",  # a missing value from a DataFrame
    "{0}",  # braces, in case a message is formatted
    "<script>",  # markup
]


def name_of(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def test_each_module_accepts_its_valid_sample_through_the_protocol() -> None:
    for module, (sample, canonical) in zip(PROTOCOL, VALID, strict=True):
        assert module.is_valid(sample)
        assert module.validate(sample) == canonical
        assert module.validate(canonical) == canonical


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@pytest.mark.parametrize("junk", NOT_STR, ids=lambda j: type(j).__name__)
def test_non_str_input_is_invalid_and_raises_invalid_format(module: ModuleType, junk: Any) -> None:
    assert module.is_valid(junk) is False
    with pytest.raises(InvalidFormat) as exc:
        module.validate(junk)
    assert exc.value.code == f"{name_of(module)}_type"


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@pytest.mark.parametrize("junk", BAD_STR, ids=lambda j: repr(j[:12]))
def test_junk_strings_are_invalid_and_raise_only_invalid_value(
    module: ModuleType, junk: str
) -> None:
    assert module.is_valid(junk) is False
    with pytest.raises(InvalidValue) as exc:
        module.validate(junk)
    assert exc.value.code.startswith(name_of(module) + "_")
    assert len(str(exc.value)) < 500  # a huge input is never echoed whole


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@pytest.mark.parametrize("junk", [None, 0, object(), b"x", "", "🚗", "京" * 1000])
def test_every_verb_raises_only_invalid_value(module: ModuleType, junk: Any) -> None:
    verbs: list[Callable[[Any], Any]] = [module.compact, module.validate, module.format]
    verbs += [
        getattr(module, name) for name in ("calc_check_digit", "mask") if hasattr(module, name)
    ]
    for verb in verbs:
        with contextlib.suppress(InvalidValue):
            verb(junk)


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@given(text=st.text(max_size=40))
def test_is_valid_never_raises_on_any_text(module: ModuleType, text: str) -> None:
    result = module.is_valid(text)
    assert result is False or module.validate(text) == module.validate(module.validate(text))


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@given(
    value=st.none()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.complex_numbers()
    | st.binary()
    | st.lists(st.text(), max_size=3)
    | st.dictionaries(st.text(), st.text(), max_size=3)
)
def test_is_valid_is_false_for_any_object_that_is_not_a_str(module: ModuleType, value: Any) -> None:
    assert module.is_valid(value) is False


@pytest.mark.parametrize("module", MODULES, ids=name_of)
@given(text=st.text(max_size=40))
def test_compact_never_raises_on_text_and_is_idempotent(module: ModuleType, text: str) -> None:
    once = module.compact(text)
    assert module.compact(once) == once
