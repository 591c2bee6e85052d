"""Properties of the segmentation policies on synthetic customer bases: crosstab and Pareto.

Alignment and row-order properties of every policy are in tests/test_policy_properties.py.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.segmentation import ParetoABC, RegionRing, Sector, crosstab

# Features of synthetic books take a while to build (more so under coverage): no deadline.
SYNTHETIC = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SYNTHETIC
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_crosstab_cells_hold_every_placed_customer_and_their_value(seed: int, n: int) -> None:
    feats = features.compute(synthetic.book(n, seed=seed), as_of=synthetic.DEFAULT_AS_OF)
    result = crosstab(feats, ParetoABC(), RegionRing(), Sector())
    assert int(result.counts.sum()) + result.unplaced == n
    assert int(result.values.sum()) + result.unplaced_value == int(feats["spend_fen"].sum())


@SYNTHETIC
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 80))
def test_pareto_classes_hold_their_shares_of_the_customers(seed: int, n: int) -> None:
    feats = features.compute(synthetic.book(n, seed=seed), as_of=synthetic.DEFAULT_AS_OF)
    fitted = ParetoABC().fit(feats)
    a, b, _ = fitted.class_customers_
    spend = feats["spend_fen"]
    # Customers with no spend have no value to rank: they fill C, whatever the shares.
    with_value = int((spend > 0).sum())
    assert a == min(-(-n // 5), with_value)  # ceil(0.2 n)
    assert a + b == min(-(-n // 2), with_value)  # ceil(0.5 n)
    codes = fitted.assign(feats).codes
    # Nobody in a lower class spends more than anyone in a higher class.
    for upper, lower in ((0, 1), (1, 2)):
        if (codes == upper).any() and (codes == lower).any():
            assert spend[codes == upper].min() >= spend[codes == lower].max()
