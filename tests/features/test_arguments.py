"""A mistyped argument of a feature function is named, with what was given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable, MileageModel
from aftersales_crm.tables import Tables

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def tables() -> Tables:
    return synthetic.columns(8, seed=2).tables()


def takers(tables: Tables) -> dict[str, Callable[[Any], object]]:
    """Every function that takes ``as_of``, called with the given value (keys: NAMES)."""
    cid = str(tables.customers["id"][0])
    born = np.array(["2000-01-01"], dtype="datetime64[D]")
    return {
        "compute": lambda v: features.compute(tables, as_of=v),
        "profile": lambda v: features.profile(tables, cid, as_of=v),
        "model_rates": lambda v: features.model_rates(tables, as_of=v),
        "MileageModel.fit": lambda v: MileageModel().fit(tables, as_of=v),
        "completed_years": lambda v: features.completed_years(born, v),
        "FeatureTable.from_columns": lambda v: FeatureTable.from_columns({"a": [1]}, as_of=v),
    }


NAMES = [
    "compute",
    "profile",
    "model_rates",
    "MileageModel.fit",
    "completed_years",
    "FeatureTable.from_columns",
]


@pytest.mark.parametrize("taker", NAMES)
@pytest.mark.parametrize(
    ("given", "shown"),
    [
        # a datetime would be cut to a date that depends on the time zone
        (datetime(2026, 6, 30, 23, 0, tzinfo=UTC), "datetime.datetime(2026, 6, 30, 23, 0, tzinfo="),
        ("30/06/2026", "'30/06/2026' (str)"),  # not ISO
        (20260630, "20260630 (int)"),  # a number
        (None, "None (NoneType)"),  # nothing
        (np.datetime64("2026-06-30"), "(datetime64)"),  # numpy's date
    ],
)
def test_a_wrong_as_of_is_named_with_what_was_given(
    tables: Tables, taker: str, given: object, shown: str
) -> None:
    with pytest.raises(InvalidValue, match="as_of is ") as raised:
        takers(tables)[taker](given)
    assert shown in str(raised.value)
    assert "expected a datetime.date that is not a datetime, or an ISO date string" in str(
        raised.value
    )
    assert raised.value.code == "invalid_argument"


@pytest.mark.parametrize("taker", NAMES)
def test_an_iso_date_string_is_as_good_as_a_date(tables: Tables, taker: str) -> None:
    call = takers(tables)[taker]
    by_text, by_date = call("2026-06-30"), call(AS_OF)
    if isinstance(by_date, FeatureTable):
        assert isinstance(by_text, FeatureTable)
        assert by_text.as_of == AS_OF
        for i in by_date.ids:
            assert by_text.row(i) == by_date.row(i)
    elif isinstance(by_date, MileageModel):
        assert isinstance(by_text, MileageModel)
        assert by_text.model_km_per_day_ == by_date.model_km_per_day_
    elif isinstance(by_date, np.ndarray):
        assert isinstance(by_text, np.ndarray)
        assert by_text.tolist() == by_date.tolist()
    else:
        assert by_text == by_date


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"window": 12}, "window is 12 (int)"),  # months as a number
        ({"window": relativedelta(months=-12)}, "window is relativedelta(years=-1)"),  # forward
        ({"window": timedelta(0)}, "window is datetime.timedelta(0)"),  # empty
        ({"time_zone": "Beijing"}, "time_zone is 'Beijing'"),  # not an IANA name
        ({"mileage": {"min_model_vehicles": 1}}, "mileage is {'min_model_vehicles': 1} (dict)"),
        ({"mileage": MileageModel(max_km_per_day=-1)}, "max_km_per_day is -1 (int)"),
        (
            {"mileage": MileageModel(min_model_vehicles=2.5)},  # type: ignore[arg-type]
            "min_model_vehicles is 2.5 (float)",
        ),
        (
            {"mileage": MileageModel(default_km_per_day="40")},  # type: ignore[arg-type]
            "default_km_per_day is '40' (str)",
        ),
        (
            {"mileage": MileageModel(model_km_per_day={"轩逸": float("nan")})},
            "model_km_per_day['轩逸'] is nan",
        ),
        (
            {"mileage": MileageModel(model_km_per_day=[("轩逸", 30.0)])},  # type: ignore[arg-type]
            "model_km_per_day is",
        ),
        ({"threads": 0}, "threads is 0 (int), expected a whole number >= 1"),
        ({"threads": "2"}, "threads is '2' (str)"),
        ({"threads": True}, "threads is True (bool)"),
    ],
)
def test_every_other_parameter_of_compute_is_named(
    tables: Tables, arguments: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        features.compute(tables, as_of=AS_OF, **arguments)
    assert named in str(raised.value)


def test_the_data_must_be_tables_or_a_book() -> None:
    with pytest.raises(InvalidValue, match=r"data is \{\} \(dict\), expected Tables or a Book"):
        features.compute({}, as_of=AS_OF)  # type: ignore[arg-type]


def test_a_timedelta_window_counts_days(tables: Tables) -> None:
    days = features.compute(tables, as_of=AS_OF, window=timedelta(days=365))
    months = features.compute(tables, as_of=AS_OF, window=relativedelta(days=365))
    assert days["spend_window_fen"].tolist() == months["spend_window_fen"].tolist()
    assert days["visits_window"].tolist() == months["visits_window"].tolist()


def test_a_window_reaching_before_year_one_is_named(tables: Tables) -> None:
    with pytest.raises(InvalidValue, match=r"window is relativedelta\(years=\+3000\)"):
        features.compute(tables, as_of=AS_OF, window=relativedelta(years=3000))
