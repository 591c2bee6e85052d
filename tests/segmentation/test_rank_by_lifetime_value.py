"""Lifetime value as the value of ParetoABC and the tiers: a float column added to the features."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.clv import BgNbd, GammaGamma, lifetime_value
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import ChurnRisk, LoyaltyValueMatrix
from aftersales_crm.segmentation import ParetoABC, QuantileTiers

pytest.importorskip("scipy")

AS_OF = date(2026, 6, 30)


def with_clv(feats: FeatureTable) -> FeatureTable:
    """The features with ``clv_fen``: 12 months of BG/NBD visits x Gamma-Gamma spend."""
    spend = GammaGamma().fit(feats).expected_spend(feats)
    return feats.with_columns(clv_fen=lifetime_value(BgNbd().fit(feats), feats, spend))


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return with_clv(features.compute(synthetic.book(200, seed=11), as_of=AS_OF))


def test_pareto_classes_by_lifetime_value_are_bands_of_it(feats: FeatureTable) -> None:
    clv = feats["clv_fen"]
    assert clv.dtype == np.float64
    codes = ParetoABC(value="clv_fen").fit(feats).assign(feats).codes
    assert (codes[np.isnan(clv)] == -1).all()  # no visit, no lifetime value: not ranked
    ranked = int(np.count_nonzero(~np.isnan(clv)))
    # 20 / 30 / 50 % of the ranked customers, rounded up at each cumulative share
    assert np.bincount(codes[codes >= 0]).tolist() == [
        -(-ranked * 2 // 10),
        -(-ranked * 5 // 10) - -(-ranked * 2 // 10),
        ranked - -(-ranked * 5 // 10),
    ]
    for upper, lower in ((0, 1), (1, 2)):
        assert clv[codes == upper].min() >= clv[codes == lower].max()


def test_equal_lifetime_values_at_a_cutoff_are_split_by_customer_id() -> None:
    # Three customers share the float value at the A/B cut-off (1 A + 2 of 5): the one
    # with the smallest id is A, whatever the row order; an unseen row with that value
    # and a later id is B.
    value = 1234.5678901234
    table = FeatureTable.from_columns(
        {"clv_fen": [100.25, value, value, 9999.75, value]},
        ids=["C5", "C3", "C1", "C4", "C2"],
        as_of=AS_OF,
    )
    abc = ParetoABC(value="clv_fen", shares=(0.4, 0.6)).fit(table)
    assert abc.cutoffs_ == (value,)
    assert abc.cutoff_ids_ == ("C1",)
    assert dict(zip(table.ids, abc.assign(table).values(), strict=True)) == {
        "C4": "A", "C1": "A", "C2": "B", "C3": "B", "C5": "B",
    }  # fmt: skip
    new = FeatureTable.from_columns({"clv_fen": [value, value]}, ids=["C0", "C9"], as_of=AS_OF)
    assert abc.assign(new).values().tolist() == ["A", "B"]


def test_quantile_tiers_and_the_matrix_take_lifetime_value_too(feats: FeatureTable) -> None:
    tiers = QuantileTiers(value="clv_fen").fit(feats).assign(feats)
    assert (tiers.codes[np.isnan(feats["clv_fen"])] == -1).all()
    matrix = LoyaltyValueMatrix(loyalty=ChurnRisk(), value=ParetoABC(value="clv_fen"))
    summary = matrix.fit(feats).matrix(feats)
    assert summary.column_names == ("A", "B", "C")
    assert summary.row_names == ("loyal", "swinging", "lost")
    assert summary.total + summary.unplaced == len(feats)


@pytest.fixture(scope="module")
def small() -> FeatureTable:
    return features.compute(synthetic.book(120, seed=5), as_of=AS_OF)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(120)))
def test_classes_by_lifetime_value_do_not_depend_on_row_order(
    small: FeatureTable, order: list[int]
) -> None:
    rows = np.array(order)
    expected = ParetoABC(value="clv_fen").fit(with_clv(small)).assign(with_clv(small)).codes
    shuffled = with_clv(small.take(rows))
    got = ParetoABC(value="clv_fen").fit(shuffled).assign(shuffled).codes
    assert got.tolist() == expected[rows].tolist()
