"""Every ``is_valid`` keeps its promise: a bool for every argument, never an exception.

The functions are found, not listed: every public module of the package that has an
``is_valid`` is swept, with junk for the value and for each keyword parameter (an
``as_of`` that is text, a datetime or None; a ``region`` or ``strict`` that is junk).
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aftersales_crm


def _is_valid_functions() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for info in pkgutil.walk_packages(aftersales_crm.__path__, prefix="aftersales_crm."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        function = getattr(importlib.import_module(info.name), "is_valid", None)
        if callable(function):
            found.append((info.name, function))
    return found


IS_VALID = _is_valid_functions()

junk = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            "junk",
            "2026-06-30",  # an as_of as text
            "1949-12-30",  # before a birth date in the samples
            "CN",
            "zz",
            1.5,
            math.nan,
            math.inf,
            10**30,
            -1,
            True,
            False,
            [],
            {},
            (),
            object(),
            b"CN",
            Decimal("NaN"),
            Decimal("1e999999999"),
            date(2026, 6, 30),
            date(1, 1, 1),
            datetime(2026, 6, 30, tzinfo=UTC),  # a datetime where a date belongs
            np.array([1, 2]),
            "\x00" * 1000,
        ]
    ),
    st.text(max_size=30),
)

SAMPLES = ["LSVAU218XN2183294", "11010519491231002X", "13812345678", "京A12345"]
"""A valid value of each identifier, so junk keywords meet valid numbers too."""


def test_every_identifier_module_has_an_is_valid() -> None:
    names = {name for name, _ in IS_VALID}
    assert {
        "aftersales_crm.values.vin",
        "aftersales_crm.values.national_id",
        "aftersales_crm.values.phone",
        "aftersales_crm.values.plate",
    } <= names


@pytest.mark.parametrize(("name", "is_valid"), IS_VALID, ids=[name for name, _ in IS_VALID])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_is_valid_returns_a_bool_for_any_argument(
    name: str, is_valid: Callable[..., Any], data: st.DataObject
) -> None:
    number = data.draw(st.one_of(st.sampled_from(SAMPLES), junk), label="number")
    keywords = [
        p.name
        for p in inspect.signature(is_valid).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    kwargs = {
        keyword: data.draw(junk, label=keyword)
        for keyword in keywords
        if data.draw(st.booleans(), label=f"set {keyword}")
    }
    assert type(is_valid(number, **kwargs)) is bool


@pytest.mark.parametrize(
    "as_of",
    [
        "2026-06-30",  # ISO text: read as the date
        date(2026, 6, 30),  # a date
    ],
)
def test_national_id_is_valid_reads_an_as_of_date_or_text(as_of: object) -> None:
    from aftersales_crm.values import national_id

    assert national_id.is_valid("11010519491231002X", as_of=as_of)
    assert not national_id.is_valid("11010520991231002X", as_of=as_of)  # born after as_of


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(2026, 6, 30, tzinfo=UTC),  # a datetime: which date depends on the zone
        "30/06/2026",  # not ISO
        20260630,  # a number
    ],
)
def test_national_id_validate_names_a_bad_as_of(as_of: object) -> None:
    from aftersales_crm.errors import InvalidFormat
    from aftersales_crm.values import national_id

    with pytest.raises(InvalidFormat) as err:
        national_id.validate("11010519491231002X", as_of=as_of)  # type: ignore[arg-type]
    assert err.value.code == "national_id_as_of"
    assert national_id.is_valid("11010519491231002X", as_of=as_of) is False


@pytest.mark.parametrize("strict", ["yes", 1, None])
def test_vin_strict_must_be_a_bool_or_none(strict: object) -> None:
    from aftersales_crm.errors import InvalidFormat
    from aftersales_crm.values import vin

    if strict is None:
        assert vin.validate("LSVAU218XN2183294", strict=None) == "LSVAU218XN2183294"
        return
    with pytest.raises(InvalidFormat) as err:
        vin.validate("LSVAU218XN2183294", strict=strict)  # type: ignore[arg-type]
    assert err.value.code == "vin_strict"
