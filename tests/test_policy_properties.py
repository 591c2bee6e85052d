"""Properties every built-in policy keeps on random customer bases: aligned, order-free.

A policy's labels follow the rows when the rows are permuted (fitted on either order), and a
customer keeps their label in any subset of the table the policy was fitted on.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.loyalty import (
    FirstMaintenanceReturn,
    LoyaltyStatus,
    LoyaltyValueMatrix,
    ServiceIntervalStatus,
)
from aftersales_crm.policies import Policy
from aftersales_crm.records import Book
from aftersales_crm.segmentation import (
    BodyTypeDimension,
    ConsumptionLevel,
    GenderDimension,
    Hobby,
    MemberValue,
    MileageBand,
    NewOrReturning,
    OwnerAgeBand,
    ParetoABC,
    QuantileTiers,
    RegionRing,
    RFMScore,
    Sector,
    ThresholdTiers,
    UsageHabit,
    VehicleAgeBand,
)
from aftersales_crm.testing import strategies as st_crm

POLICIES: list[Policy] = [
    ParetoABC(),
    ParetoABC(value="spend_window_fen", shares=(0.1, 0.9)),
    ThresholdTiers(),
    QuantileTiers(),
    RFMScore(),
    RFMScore(bins=3),
    MemberValue(),
    VehicleAgeBand(),
    RegionRing(),
    Sector(),
    Sector(winds=8),
    OwnerAgeBand(),
    GenderDimension(),
    Hobby(),
    BodyTypeDimension(),
    UsageHabit(),
    MileageBand(),
    ConsumptionLevel(),
    NewOrReturning(),
    FirstMaintenanceReturn(),
    FirstMaintenanceReturn(dealer="network", vehicle="any"),
    ServiceIntervalStatus(),
    ServiceIntervalStatus(where="network"),
    ServiceIntervalStatus.recency_12_24(),
    ServiceIntervalStatus.missed_intervals(),
    LoyaltyStatus(),
    LoyaltyStatus(not_yet_due="unplaced"),
    LoyaltyValueMatrix(),
    LoyaltyValueMatrix(loyalty=FirstMaintenanceReturn()),
]
AS_OF_DATES = st.dates(date(2018, 1, 1), date(2027, 12, 31))
# Books and features take a while to build (more so under coverage): no deadline.
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SYNTHETIC = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ready(policy: Policy, feats: features.FeatureTable) -> Policy:
    return policy.fit(feats) if policy.population_relative else policy


@SLOW
@given(book=st_crm.books(max_customers=6), as_of=AS_OF_DATES, data=st.data())
def test_labels_are_aligned_and_follow_the_rows_when_permuted(
    book: Book, as_of: date, data: st.DataObject
) -> None:
    feats = features.compute(book, as_of=as_of)
    perm = np.array(data.draw(st.permutations(range(len(feats)))), dtype=np.intp)
    shuffled = feats.take(perm)
    for policy in POLICIES:
        labels = ready(policy, feats).assign(feats)
        assert len(labels) == len(feats), policy
        assert ready(policy, feats).assign(shuffled) == labels.take(perm), policy
        assert ready(policy, shuffled).assign(shuffled) == labels.take(perm), policy


@SYNTHETIC
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 40))
def test_each_customer_keeps_their_label_in_any_subset(seed: int, n: int) -> None:
    feats = features.compute(synthetic.book(n, seed=seed), as_of=synthetic.DEFAULT_AS_OF)
    rows = np.random.default_rng(seed).permutation(n)[: n // 2].astype(np.intp)
    for policy in POLICIES:
        fitted = ready(policy, feats)
        labels = fitted.assign(feats)
        assert fitted.assign(feats.take(rows)) == labels.take(rows), policy
        assert fitted.assign(feats.take(rows[:1])) == labels.take(rows[:1]), policy
