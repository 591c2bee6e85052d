"""Odometer readings: whole non-negative kilometres with the arithmetic of distances."""

from __future__ import annotations

import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import Mileage

kilometres = st.integers(min_value=0, max_value=10**7)
mileages = st.builds(Mileage, kilometres)


# ------------------------------------------------------------------ construction


@pytest.mark.parametrize(
    "km",
    [
        0,  # a new car
        1,  # the smallest reading
        15_000,  # a typical first-maintenance reading
        999_999,  # the last reading of a six-digit odometer
        10**9,  # no upper limit is invented
    ],
)
def test_whole_non_negative_kilometres_are_accepted(km: int) -> None:
    assert Mileage(km).km == km


@pytest.mark.parametrize(
    "km",
    [
        np.int64(15_000),  # from a numpy column
        np.uint32(15_000),  # unsigned columns too
    ],
)
def test_numpy_integers_are_stored_as_python_ints(km: Any) -> None:
    mileage = Mileage(km)
    assert mileage == Mileage(15_000)
    assert type(mileage.km) is int


@pytest.mark.parametrize(
    ("km", "code"),
    [
        (-1, "mileage_negative"),  # odometers do not run backwards
        (np.int64(-5), "mileage_negative"),  # nor in numpy
        (15_000.0, "mileage_type"),  # a whole float is still a float
        (15_000.5, "mileage_type"),  # a fraction of a kilometre
        (np.float64(3.0), "mileage_type"),  # a numpy float
        (True, "mileage_type"),  # a boolean is not a reading
        (False, "mileage_type"),  # not even zero
        ("15000", "mileage_type"),  # text is parsed elsewhere
        (None, "mileage_type"),  # a missing reading
        (Decimal(15_000), "mileage_type"),  # decimals are for money
        (Fraction(15_000), "mileage_type"),  # a rational, even a whole one
    ],
)
def test_bad_readings_are_refused_with_a_specific_code(km: Any, code: str) -> None:
    with pytest.raises(InvalidValue) as info:
        Mileage(km)
    assert info.value.code == code
    assert str(km) in str(info.value)


def test_a_mileage_cannot_be_changed_in_place() -> None:
    mileage = Mileage(100)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mileage.km = 200  # type: ignore[misc]


def test_evolving_a_mileage_checks_the_new_value() -> None:
    assert attrs.evolve(Mileage(100), km=200) == Mileage(200)
    with pytest.raises(InvalidValue):
        attrs.evolve(Mileage(100), km=-1)


def test_a_mileage_is_an_int_when_asked() -> None:
    assert int(Mileage(15_000)) == 15_000


def test_a_mileage_is_not_equal_to_a_bare_int() -> None:
    # Equality is between mileages; a number needs a unit before it compares.
    bare: object = 100
    assert Mileage(100) != bare


def test_mileages_survive_pickling() -> None:
    assert pickle.loads(pickle.dumps(Mileage(15_000))) == Mileage(15_000)


# ------------------------------------------------------------------ ordering


@pytest.mark.parametrize(
    ("a", "b", "less"),
    [
        (Mileage(0), Mileage(1), True),  # new car before one kilometre
        (Mileage(15_000), Mileage(7_500), False),  # later reading is larger
        (Mileage(5), Mileage(5), False),  # equal readings are not less
    ],
)
def test_readings_compare_by_distance(a: Mileage, b: Mileage, less: bool) -> None:
    assert (a < b) is less
    assert (a >= b) is not less


def test_readings_sort_by_distance() -> None:
    readings = [Mileage(30_000), Mileage(0), Mileage(15_000)]
    assert sorted(readings) == [Mileage(0), Mileage(15_000), Mileage(30_000)]


def test_comparing_with_a_bare_int_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Mileage(1) < 2  # type: ignore[operator]


# ------------------------------------------------------------------ arithmetic


def test_the_difference_of_two_readings_is_the_distance_driven() -> None:
    assert Mileage(32_000) - Mileage(15_000) == Mileage(17_000)


def test_adding_a_distance_to_a_reading_gives_a_later_reading() -> None:
    assert Mileage(15_000) + Mileage(7_500) == Mileage(22_500)


def test_a_difference_that_would_be_negative_raises() -> None:
    with pytest.raises(InvalidValue, match=r"15000 km - 32000 km") as info:
        Mileage(15_000) - Mileage(32_000)
    assert info.value.code == "mileage_negative"


def test_zero_is_the_additive_identity_so_sum_works() -> None:
    assert sum([Mileage(1_200), Mileage(800)]) == Mileage(2_000)
    assert Mileage(5) + 0 == Mileage(5)
    assert 0 + Mileage(5) == Mileage(5)


@pytest.mark.parametrize(
    "other",
    [
        5,  # a bare number has no unit
        False,  # a boolean is not zero here
        0.0,  # a float zero is not the identity
        "5",  # text
    ],
)
def test_adding_anything_but_a_mileage_or_zero_is_a_type_error(other: Any) -> None:
    with pytest.raises(TypeError):
        Mileage(5) + other
    with pytest.raises(TypeError):
        other + Mileage(5)


@pytest.mark.parametrize(
    "other",
    [
        5,  # a bare number has no unit
        0,  # not even zero
        5.0,  # a float
    ],
)
def test_subtracting_anything_but_a_mileage_is_a_type_error(other: Any) -> None:
    with pytest.raises(TypeError):
        Mileage(5) - other
    with pytest.raises(TypeError):
        other - Mileage(5)


@given(mileages, mileages, mileages)
def test_addition_is_associative_and_commutative(a: Mileage, b: Mileage, c: Mileage) -> None:
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a


@given(mileages, mileages)
def test_subtraction_undoes_addition(a: Mileage, b: Mileage) -> None:
    assert (a + b) - b == a
    assert a - a == Mileage(0)


@given(mileages, mileages)
def test_subtraction_raises_exactly_when_the_result_would_be_negative(
    a: Mileage, b: Mileage
) -> None:
    if b <= a:
        assert (a - b).km == a.km - b.km
    else:
        with pytest.raises(InvalidValue):
            a - b


@given(mileages, mileages)
def test_ordering_follows_the_kilometres(a: Mileage, b: Mileage) -> None:
    assert (a < b) == (a.km < b.km)
    assert (a == b) == (a.km == b.km)


@given(st.lists(mileages, max_size=20))
def test_sum_of_distances_is_the_sum_of_kilometres(distances: list[Mileage]) -> None:
    assert sum(distances, Mileage(0)) == Mileage(sum(d.km for d in distances))


# ------------------------------------------------------------------ pydantic


class Visit(BaseModel):
    mileage: Mileage


@given(mileages)
def test_mileages_survive_a_json_round_trip(mileage: Mileage) -> None:
    visit = Visit(mileage=mileage)
    assert Visit.model_validate_json(visit.model_dump_json()) == visit


def test_the_json_form_is_a_plain_integer() -> None:
    assert Visit(mileage=Mileage(15_000)).model_dump_json() == '{"mileage":15000}'


def test_python_input_may_be_a_mileage_or_an_int() -> None:
    assert Visit(mileage=Mileage(15_000)).mileage == Mileage(15_000)
    assert Visit(mileage=15_000).mileage == Mileage(15_000)


def test_python_dumps_keep_the_mileage() -> None:
    assert Visit(mileage=Mileage(15_000)).model_dump() == {"mileage": Mileage(15_000)}


def test_the_json_schema_is_pinned() -> None:
    assert Visit.model_json_schema()["properties"]["mileage"] == {
        "minimum": 0,
        "maximum": 10**9,  # values.MAX_KILOMETRES
        "title": "Mileage",
        "type": "integer",
    }


@pytest.mark.parametrize(
    "json",
    [
        '{"mileage": -1}',  # negative
        '{"mileage": 1.5}',  # a fraction of a kilometre
        '{"mileage": "15000"}',  # a string
        '{"mileage": true}',  # a boolean
        '{"mileage": null}',  # missing
        '{"mileage": {"km": 15000}}',  # the attrs shape is not the JSON form
    ],
)
def test_bad_json_mileages_are_refused(json: str) -> None:
    with pytest.raises(ValidationError):
        Visit.model_validate_json(json)


@pytest.mark.parametrize(
    "value",
    [
        15_000.0,  # a float, even a whole one
        True,  # a boolean
        -5,  # negative
    ],
)
def test_bad_python_mileages_are_validation_errors(value: Any) -> None:
    with pytest.raises(ValidationError):
        Visit(mileage=value)
