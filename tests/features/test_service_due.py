"""The next service due: one rule for the vehicle feature and the loyalty status."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import SERVICE_KM, SERVICE_MONTHS, service_due
from aftersales_crm.loyalty import ServiceIntervalStatus

AS_OF = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("last", "rate", "mileage", "months", "km", "due"),
    [
        # 30 km a day: 5,000 km after 167 days, before the 6 months (181 days) are up
        ("2026-01-01", 30.0, 20_000.0, 6, 5_000, date(2026, 6, 17)),
        # 10 km a day: 500 days, so the 6 months come first
        ("2026-01-01", 10.0, 20_000.0, 6, 5_000, date(2026, 7, 1)),
        # no reading at the last visit: by time only
        ("2026-01-01", 30.0, float("nan"), 6, 5_000, date(2026, 7, 1)),
        # a rate of zero never reaches the km
        ("2026-01-01", 0.0, 20_000.0, 6, 5_000, date(2026, 7, 1)),
        # by time only when km is None
        ("2026-01-01", 300.0, 20_000.0, 12, None, date(2027, 1, 1)),
        # month ends clamp as relativedelta clamps them
        ("2025-08-31", 1.0, 0.0, 6, 5_000, date(2026, 2, 28)),
        # 5,000 km at 41 km/day: 121.95 days, rounded up to 122
        ("2026-01-01", 41.0, 1.0, 6, 5_000, date(2026, 5, 3)),
    ],
)
def test_due_by_time_or_mileage_whichever_first(
    last: str, rate: float, mileage: float, months: int, km: int | None, due: date
) -> None:
    got = service_due(
        np.array([last], dtype="datetime64[D]"), [rate], [mileage], months=months, km=km
    )
    assert got.tolist() == [due]


def test_no_visit_no_due_date() -> None:
    got = service_due(np.array(["NaT"], dtype="datetime64[D]"), [30.0], [1000.0])
    assert np.isnat(got).all()


@pytest.mark.parametrize(
    ("months", "km", "why"),
    [
        (0, 5_000, "months is 0"),  # no interval
        (6.5, 5_000, r"months is 6.5 \(float\)"),  # not whole months
        (6, 0, "km is 0"),  # no distance
        (6, "5000", "km is '5000'"),  # text
    ],
)
def test_a_bad_interval_is_named(months: Any, km: Any, why: str) -> None:
    last = np.array(["2026-01-01"], dtype="datetime64[D]")
    with pytest.raises(InvalidValue, match=why):
        service_due(last, [1.0], [1.0], months=months, km=km)


@given(
    last=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    rate=st.floats(0.0, 500.0),
    months=st.integers(1, 24),
    km=st.integers(1, 30_000),
)
def test_the_due_date_is_the_earlier_of_the_time_and_the_mileage_due_dates(
    last: date, rate: float, months: int, km: int
) -> None:
    due = service_due(np.array([last], dtype="datetime64[D]"), [rate], [0.0], months=months, km=km)
    by_time = last + relativedelta(months=months)
    by_km = last + timedelta(days=int(np.ceil(km / rate))) if rate > km / 10_000 else by_time
    assert due.tolist() == [min(by_time, by_km)]


@pytest.fixture(scope="module")
def feats() -> features.FeatureTable:
    return features.compute(synthetic.book(40, seed=3), as_of=AS_OF)


@pytest.mark.parametrize(
    ("policy", "is_the_feature"),
    [
        (ServiceIntervalStatus(), True),  # the default interval: the engine's feature
        (ServiceIntervalStatus(months=SERVICE_MONTHS, km=SERVICE_KM), True),  # spelt out
        (ServiceIntervalStatus(months=12, km=10_000), False),  # another interval
        (ServiceIntervalStatus.recency_12_24(), False),  # by time only
    ],
)
def test_the_status_and_the_feature_share_one_rule(
    feats: features.FeatureTable, policy: ServiceIntervalStatus, is_the_feature: bool
) -> None:
    vehicles = feats.vehicles
    assert vehicles is not None
    expected = service_due(
        vehicles["last_visit"],
        vehicles["km_per_day"],
        vehicles["last_mileage"],
        months=policy.months,
        km=policy.km,
    )
    assert policy.due_dates(feats).tolist() == expected.tolist()
    assert (vehicles["service_due"].tolist() == expected.tolist()) is is_the_feature


def test_the_status_reads_the_feature_when_the_interval_is_the_default(
    feats: features.FeatureTable,
) -> None:
    vehicles = feats.vehicles
    assert vehicles is not None
    due = vehicles["service_due"]
    today = np.where(np.isnat(due), due, np.datetime64(AS_OF, "D"))  # every visited car due today
    shifted = attrs.evolve(feats, vehicles=vehicles.with_columns(service_due=today))
    assert set(ServiceIntervalStatus().assign_vehicles(shifted).counts()) == {"loyal"}
    assert ServiceIntervalStatus().assign_vehicles(feats).counts()["lost"] > 0
