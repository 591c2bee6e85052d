"""compute(columns=...): the columns asked for, each equal to the whole computation's."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue

AS_OF = date(2025, 12, 31)  # orders after it in the book below
BOOK = synthetic.book(60, seed=4)
WHOLE = features.compute(BOOK, as_of=AS_OF)


def _same(some: features.FeatureTable, names: set[str]) -> None:
    assert set(some) == names
    assert some.ids.tolist() == WHOLE.ids.tolist()
    for name in names:
        mine, theirs = np.asarray(some[name]), np.asarray(WHOLE[name])
        assert mine.dtype == theirs.dtype, name
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name
    assert {k: v for k, v in WHOLE.categories.items() if k in names} == dict(some.categories)


@given(st.sets(st.sampled_from(sorted(WHOLE))))
def test_any_selection_equals_the_whole_computation(names: set[str]) -> None:
    _same(features.compute(BOOK, as_of=AS_OF, columns=names), names)


@pytest.mark.parametrize(
    "names",
    [
        {"spend_window_fen", "avg_line_spend_fen"},  # the spend kernel alone
        {"main_dealer_share", "on_time_arrival_rate"},  # the engagement kernels alone
        {"sector", "age_years"},  # where they live, and their age
        {"parts_replaced", "return_date", "activities_window"},  # table-wide kernels
        {"interval_median_days", "visits_window"},  # the visit kernel
    ],
)
def test_each_kernel_alone_equals_the_whole_computation(names: set[str]) -> None:
    tables = synthetic.columns(300, seed=2).tables()
    some = features.compute(tables, as_of=date(2026, 6, 30), columns=names, threads=2)
    whole = features.compute(tables, as_of=date(2026, 6, 30), threads=2)
    for name in names:
        mine, theirs = np.asarray(some[name]), np.asarray(whole[name])
        assert np.array_equal(mine, theirs, equal_nan=theirs.dtype.kind in "fmM"), name


def test_the_vehicle_features_stay_whole() -> None:
    some = features.compute(BOOK, as_of=AS_OF, columns=["visits"])
    assert some.vehicles is not None
    assert WHOLE.vehicles is not None
    assert list(some.vehicles) == list(WHOLE.vehicles)


def test_no_column_gives_an_empty_table_of_every_customer() -> None:
    some = features.compute(BOOK, as_of=AS_OF, columns=())
    assert list(some) == []
    assert len(some) == len(WHOLE)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["visits", "spend"], "columns names 'spend', not a customer feature"),
        (["km_per_day"], "columns names 'km_per_day'"),  # a vehicle feature
        ("visits", "columns is 'visits' .str., expected a list or tuple"),
        ([1], r"columns holds 1 \(int\), expected feature names as str"),
    ],
)
def test_a_bad_selection_is_named(columns: object, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        features.compute(BOOK, as_of=AS_OF, columns=columns)  # type: ignore[arg-type]
