"""Properties of the loyalty policies on random customer bases: roll-up, horizons, the matrix.

Alignment and row-order properties of every policy are in tests/test_policy_properties.py.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.loyalty import (
    FirstMaintenanceReturn,
    LoyaltyStatus,
    LoyaltyValueMatrix,
    ServiceIntervalStatus,
)
from aftersales_crm.records import Book
from aftersales_crm.testing import strategies as st_crm

AS_OF_DATES = st.dates(date(2018, 1, 1), date(2027, 12, 31))
# Books and features take a while to build (more so under coverage): no deadline, and 30
# examples of each property (derandomised in CI) to keep the suite within its budget.
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SYNTHETIC = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(book=st_crm.books(max_customers=6), as_of=AS_OF_DATES)
def test_a_customer_is_as_loyal_as_their_best_owned_vehicle(book: Book, as_of: date) -> None:
    feats = features.compute(book, as_of=as_of)
    assert feats.vehicles is not None
    policy = ServiceIntervalStatus()
    customers = policy.assign(feats).codes
    vehicles = policy.assign_vehicles(feats).codes
    owner = feats.vehicles["owner"]
    for row in range(len(feats)):
        mine = vehicles[(owner == row) & (vehicles >= 0)]
        assert customers[row] == (mine.min() if len(mine) else -1)


@SLOW
@given(book=st_crm.books(max_customers=6), as_of=AS_OF_DATES)
def test_a_longer_lost_horizon_never_loses_more_vehicles(book: Book, as_of: date) -> None:
    feats = features.compute(book, as_of=as_of)
    short = ServiceIntervalStatus(lost_after=3).assign_vehicles(feats).codes
    long = ServiceIntervalStatus(lost_after=12).assign_vehicles(feats).codes
    assert ((long == 2) <= (short == 2)).all()
    assert ((short >= 0) == (long >= 0)).all()


@SYNTHETIC
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_the_matrix_counts_every_placed_customer_once(seed: int, n: int) -> None:
    feats = features.compute(synthetic.book(n, seed=seed), as_of=synthetic.DEFAULT_AS_OF)
    fitted = LoyaltyValueMatrix().fit(feats)
    summary = fitted.matrix(feats)
    assert summary.total + summary.unplaced == n
    cells = fitted.assign(feats)
    assert cells.counts() == {
        cell: summary.count(cell) for cell in LoyaltyValueMatrix.cells() if summary.count(cell)
    }


@SLOW
@given(
    book=st_crm.books(max_customers=6),
    as_of=AS_OF_DATES,
    months=st.integers(1, 24),
    km=st.none() | st.integers(1, 20_000),
    grace=st.tuples(st.integers(0, 13), st.integers(0, 25)).map(sorted),
)
def test_vehicle_status_is_as_of_against_the_due_date_plus_whole_months(
    book: Book, as_of: date, months: int, km: int | None, grace: list[int]
) -> None:
    feats = features.compute(book, as_of=as_of)
    assert feats.vehicles is not None
    policy = ServiceIntervalStatus(
        months=months, km=km, swinging_after=grace[0], lost_after=grace[1]
    )
    due = policy.due_dates(feats).tolist()
    codes = policy.assign_vehicles(feats).codes.tolist()
    for vehicle, (day, code) in enumerate(zip(due, codes, strict=True)):
        if code < 0:
            continue  # no visit or a new owner: no status
        assert day is not None, vehicle
        expected = (
            0 if as_of <= day + relativedelta(months=grace[0])
            else 1 if as_of <= day + relativedelta(months=grace[1])
            else 2
        )  # fmt: skip
        assert code == expected, (vehicle, day)


@SLOW
@given(book=st_crm.books(max_customers=6), as_of=AS_OF_DATES)
def test_the_rows_follow_the_material_category(book: Book, as_of: date) -> None:
    feats = features.compute(book, as_of=as_of)
    category = FirstMaintenanceReturn().assign(feats).codes
    status = LoyaltyStatus().assign(feats).codes
    # placed exactly when the category applies, and loyal or swinging only after a return
    assert ((status >= 0) == (category >= 0)).all()
    assert (category[(status == 0) | (status == 1)] == 0).all()
    assert (status[category == 1] == 2).all()  # never returned: lost
    vehicles = LoyaltyStatus().assign_vehicles(feats).codes
    owner = feats.vehicles["owner"] if feats.vehicles is not None else None
    assert owner is not None
    for row in range(len(feats)):
        mine = vehicles[(owner == row) & (vehicles >= 0)]
        assert status[row] == (mine.min() if len(mine) else -1)


@SLOW
@given(book=st_crm.books(max_customers=6), as_of=AS_OF_DATES)
def test_widening_the_category_never_loses_a_loyal_customer(book: Book, as_of: date) -> None:
    feats = features.compute(book, as_of=as_of)
    same = FirstMaintenanceReturn().assign(feats).codes
    network = FirstMaintenanceReturn(dealer="network").assign(feats).codes
    assert (network[same == 0] == 0).all()
    assert ((same >= 0) == (network >= 0)).all()
    any_same = FirstMaintenanceReturn(vehicle="any").assign(feats).codes
    any_network = FirstMaintenanceReturn(dealer="network", vehicle="any").assign(feats).codes
    assert (any_network[any_same == 0] == 0).all()
    assert feats.vehicles is not None
    back = feats.vehicles["return_date"]
    anywhere = feats.vehicles["network_return_date"]
    returned = ~np.isnat(back)
    assert (anywhere[returned] <= back[returned]).all()
    assert (feats.vehicles["first_maintenance"][returned] < back[returned]).all()
    last = feats.vehicles["last_service"]
    assert (feats.vehicles["last_network_service"][~np.isnat(last)] >= last[~np.isnat(last)]).all()
