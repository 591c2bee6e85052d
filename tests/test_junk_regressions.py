"""One regression test per bug the junk sweep found: each call raised a bare builtin error
(or hung) and now raises the library's own error, naming what was wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import (
    AftersalesError,
    InvalidType,
    InvalidValue,
    NotFittedError,
    UnknownFeatureError,
    UnknownNameError,
)
from aftersales_crm.features import FeatureTable, Segments
from aftersales_crm.loyalty import LoyaltyValueMatrix
from aftersales_crm.policies import (
    FactSample,
    Labels,
    OneOf,
    PolicyKindSpec,
    Scores,
    SubsetOf,
    check_is_fitted,
    declare_kind,
)
from aftersales_crm.records import FactKind, fact_kind, load_producer, on_time, repair
from aftersales_crm.segmentation import NewOrReturning, ParetoABC
from aftersales_crm.testing import check_policy
from aftersales_crm.testing.strategies import instants
from aftersales_crm.values import GeoPoint, Money, normalise_id, normalise_ids, normalise_postcode


def call(function: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Call ``function`` with junk the type checker would refuse, as a user without one may."""
    return function(*args, **kwargs)


AS_OF = date(2026, 6, 30)
BOOK = synthetic.book(5, seed=4)
FEATURES = features.compute(BOOK, as_of=AS_OF)
MATRIX = LoyaltyValueMatrix().fit(FEATURES).matrix(FEATURES)

CASES: list[tuple[str, Callable[[], object], type[AftersalesError]]] = [
    # features: the kernels read their arrays through one checker
    ("add_months(None)", lambda: call(features.add_months, None, 1), InvalidValue),  # was TypeError
    ("business_dates('junk')", lambda: call(features.business_dates, "junk"), InvalidValue),
    ("group_order(None, None)", lambda: call(features.group_order, None, None), InvalidValue),
    (
        "group_order(Decimal 1e999999999)",
        lambda: call(features.group_order, [Decimal("1e999999999")], [0]),
        InvalidValue,
    ),  # hung
    (
        "service_due(None, ...)",
        lambda: call(features.service_due, None, [1.0], [1.0]),
        InvalidValue,
    ),
    ("Segments.of(None, 3)", lambda: call(Segments.of, None, 3), InvalidValue),
    ("Segments.of([0], 10**30)", lambda: call(Segments.of, np.array([0]), 10**30), InvalidValue),
    ("Segments.from_counts(None)", lambda: call(Segments.from_counts, None), InvalidValue),
    (
        "FeatureTable(ids=None)",
        lambda: call(FeatureTable, "customer_id", None, {}, AS_OF, "CNY"),
        InvalidValue,
    ),
    ("FeatureTable.take(None)", lambda: call(FEATURES.take, None), InvalidValue),
    ("FeatureTable.take('')", lambda: call(FEATURES.take, ""), InvalidValue),  # was IndexError
    ("FeatureTable.row([])", lambda: call(FEATURES.row, []), UnknownFeatureError),  # was ValueError
    ("FeatureTable[[]]", lambda: call(FEATURES.__getitem__, []), UnknownFeatureError),  # TypeError
    (
        "FeatureTable.with_columns('junk')",
        lambda: call(FEATURES.with_columns, "junk"),
        InvalidValue,
    ),
    # policies and their outputs
    ("Labels(None, names)", lambda: call(Labels, None, ("A",)), InvalidValue),  # was TypeError
    ("Labels(codes, None)", lambda: call(Labels, np.array([0]), None), InvalidValue),
    ("Labels([10**30], names)", lambda: call(Labels, [10**30], ("A",)), InvalidValue),  # Overflow
    ("Labels.take('')", lambda: call(Labels(np.array([0]), ("A",)).take, ""), InvalidValue),
    (
        "Labels.values(lang=array)",
        lambda: call(Labels(np.array([0]), ("A",)).values, np.array([1, 2])),
        InvalidValue,
    ),
    ("Scores('junk')", lambda: call(Scores, "junk"), InvalidValue),  # was ValueError
    ("Scores.take('')", lambda: call(Scores(np.array([1.0])).take, ""), InvalidValue),
    ("OneOf(None)", lambda: call(OneOf, None), InvalidValue),
    ("SubsetOf(None)", lambda: call(SubsetOf, None), InvalidValue),
    ("FactSample(facts=None)", lambda: call(FactSample, facts=None, as_of=AS_OF), InvalidValue),
    (
        "PolicyKindSpec(reads='junk')",
        lambda: call(
            PolicyKindSpec,
            name="x",
            reads="junk",
            verbs=("fit",),
            result=Labels,
            sample=list,
            checks=(),
        ),
        InvalidValue,
    ),
    ("check_is_fitted(None)", lambda: call(check_is_fitted, None), NotFittedError),
    ("declare_kind(None)", lambda: call(declare_kind, None), InvalidType),  # was AttributeError
    (
        "NewOrReturning(months=10**30)",
        lambda: call(NewOrReturning(months=10**30).assign, FEATURES),
        InvalidValue,
    ),
    (
        "LoyaltyValueMatrix.position(None)",
        lambda: call(LoyaltyValueMatrix.position, None),
        UnknownNameError,
    ),
    (
        "LoyaltyValueMatrix.strategies(None)",
        lambda: call(LoyaltyValueMatrix().strategies, None),
        InvalidValue,
    ),
    (
        "MatrixSummary.format(lang=array)",
        lambda: call(MATRIX.format, np.array([1, 2])),
        InvalidValue,
    ),
    ("vehicle policy on None", lambda: call(NewOrReturning().assign, None), InvalidValue),
    (
        "check_policy(expected_failed_checks='junk')",
        lambda: call(check_policy, ParetoABC(), expected_failed_checks="junk"),
        InvalidValue,
    ),
    # records
    ("FactKind(name=None)", lambda: call(FactKind, None, None, None, None), InvalidValue),
    ("load_producer(None)", lambda: call(load_producer, None), InvalidType),
    (
        "load_producer('no_such_module:f')",
        lambda: call(load_producer, "no_such_module_x:f"),
        InvalidValue,
    ),
    ("fact_kind(array)", lambda: call(fact_kind, np.array([1, 2])), InvalidType),  # was ValueError
    ("on_time('junk', 'junk')", lambda: call(on_time, "junk", "junk"), InvalidValue),
    ("repair(None)", lambda: call(repair, None), InvalidValue),  # was IndexError
    ("repair([99])", lambda: call(repair, [99]), InvalidValue),  # was IndexError
    (
        "Book.vehicles_of([])",
        lambda: call(BOOK.vehicles_of, [], on=AS_OF),
        InvalidType,
    ),  # unhashable
    ("Book.owner_of(on=[])", lambda: call(BOOK.owner_of, "x", on=[]), InvalidType),
    ("Book.orders_of({})", lambda: call(BOOK.orders_of, {}), InvalidType),
    (
        "Book.consents_to([])",
        lambda: call(
            BOOK.consents_to, [], "marketing", "sms", as_of=datetime(2026, 1, 1, tzinfo=UTC)
        ),
        InvalidType,
    ),
    # values
    ("normalise_id(None)", lambda: call(normalise_id, None), InvalidType),  # was AttributeError
    ("normalise_ids(None)", lambda: call(normalise_ids, None), InvalidType),
    ("normalise_ids([1])", lambda: call(normalise_ids, [1]), InvalidType),
    ("normalise_postcode(None)", lambda: call(normalise_postcode, None), InvalidType),
    (
        "GeoPoint.distance_km(None)",
        lambda: call(GeoPoint(31.2, 121.5).distance_km, None),
        InvalidType,
    ),
    (
        "Money.format(symbol=array)",
        lambda: call(Money.parse("¥1").format, symbol=np.array([1, 2])),
        InvalidType,
    ),
    (
        "Money.round(rounding=[])",
        lambda: call(Money.parse("¥1").round, []),
        InvalidValue,
    ),  # unhashable
    # synthetic and testing
    ("synthetic.book(n_customers=10**30)", lambda: call(synthetic.book, 10**30), InvalidValue),
    ("strategies.instants(days=None)", lambda: call(instants, days=None), InvalidValue),
]


@pytest.mark.parametrize(("name", "call", "error"), CASES, ids=[name for name, _, _ in CASES])
def test_junk_that_raised_a_builtin_error_raises_the_librarys_error(
    name: str, call: Callable[[], object], error: type[AftersalesError]
) -> None:
    with pytest.raises(error):
        call()


def test_group_order_with_sparse_group_numbers_needs_no_array_per_number() -> None:
    order = features.group_order(np.array([10**18, 0, 10**18]), np.array([2, 5, 1]))
    assert order.tolist() == [1, 2, 0]


def test_formatting_money_of_more_than_28_digits_keeps_every_digit() -> None:
    amount = Decimal("123456789012345678901234.123456789012345678")
    assert Money(amount, "CNY").format(symbol=False, grouping=False) == f"{amount} CNY"


def test_a_matrix_cell_that_is_not_one_is_still_a_key_error() -> None:
    with pytest.raises(KeyError):
        LoyaltyValueMatrix.position("XY")
