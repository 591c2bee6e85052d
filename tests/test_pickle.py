"""Books, tables, features and policy results survive pickle (multiprocessing, dask, caches)."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from aftersales_crm import features, synthetic
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import LoyaltyValueMatrix
from aftersales_crm.records import Book
from aftersales_crm.segmentation import ParetoABC
from aftersales_crm.tables import Tables
from aftersales_crm.testing import strategies as st_crm

AS_OF = date(2026, 6, 30)


def again(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def same_features(a: FeatureTable, b: FeatureTable) -> None:
    assert (a.key, a.as_of, a.currency, dict(a.categories)) == (
        b.key, b.as_of, b.currency, dict(b.categories),
    )  # fmt: skip
    assert a.ids.tolist() == b.ids.tolist()
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind in "fmM"), name
        assert a[name].dtype == b[name].dtype, name
        assert not b[name].flags.writeable, name


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=st_crm.books(max_customers=5))
def test_a_book_pickles_to_an_equal_book(book: Book) -> None:
    loaded = again(book)
    assert loaded == book
    assert type(loaded.customers) is type(book.customers)  # still read-only
    assert loaded.orders_of(next(iter(book.customers), "none")) == book.orders_of(
        next(iter(book.customers), "none")
    )


def test_synthetic_columns_and_tables_pickle_read_only() -> None:
    cols = synthetic.columns(30, seed=2)
    loaded = again(cols)
    assert loaded.tables() == cols.tables()
    assert all(not v.flags.writeable for v in loaded.tables().orders.columns.values())
    assert not loaded.km_per_day.flags.writeable
    tables = cols.tables()
    back = again(tables)
    assert isinstance(back, Tables)
    assert back == tables
    assert not back.orders["mileage"].flags.writeable


def test_features_and_their_vehicles_pickle() -> None:
    feats = features.compute(synthetic.book(20, seed=4), as_of=AS_OF)
    loaded = again(feats)
    same_features(feats, loaded)
    assert feats.vehicles is not None
    assert loaded.vehicles is not None
    same_features(feats.vehicles, loaded.vehicles)


def test_fitted_policies_and_their_labels_pickle() -> None:
    feats = features.compute(synthetic.book(20, seed=4), as_of=AS_OF)
    abc = ParetoABC().fit(feats)
    assert again(abc).assign(feats) == abc.assign(feats)
    assert again(abc.assign(feats)) == abc.assign(feats)
    matrix = LoyaltyValueMatrix(win_back=("D",)).fit(feats)
    assert again(matrix).matrix(feats).counts.tolist() == matrix.matrix(feats).counts.tolist()
    assert again(abc.report()) == abc.report()
