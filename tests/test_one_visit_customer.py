"""Every built-in policy on a customer with a single visit, worked out by hand.

王芳 bought a sedan on 1 September 2025 and came once, for the free first maintenance on
10 January 2026 at 3,000 km (¥60 labour and ¥40 parts, paid by the warranty). On 30 June
2026 she is the dealer's only customer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aftersales_crm import features
from aftersales_crm.errors import ConvergenceError
from aftersales_crm.features import DEFAULT_KM_PER_DAY, FeatureTable, MileageMethod
from aftersales_crm.loyalty import LoyaltyValueMatrix, ServiceIntervalStatus, Strategy
from aftersales_crm.policies import BUILT_INS, Reads, get_policy, policy_kind
from aftersales_crm.records import (
    Book,
    Customer,
    Dealer,
    Ownership,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.values import GeoPoint, Money, vin

AS_OF = date(2026, 6, 30)
_BODY = "LSVAU2180N0000001"
VIN = _BODY[:8] + vin.calc_check_digit(_BODY) + _BODY[9:]


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    book = Book.from_records(
        [
            Dealer(id="D1", name="朝阳店", location=GeoPoint(39.9, 116.4)),
            Customer(
                id="C1",
                name="王芳",
                birthday=date(1990, 5, 20),
                gender="female",
                home_location=GeoPoint(39.93, 116.4),  # 0.03° due north: about 3.3 km
                hobbies=("摄影",),
            ),
            Vehicle(
                vin=VIN,
                model="轩逸",
                body_type="sedan",
                purchase_date=date(2025, 9, 1),
                selling_dealer_id="D1",
            ),
            Ownership(id="O1", customer_id="C1", vin=VIN, start=date(2025, 9, 1)),
            RepairOrder(
                id="RO1",
                dealer_id="D1",
                vin=VIN,
                customer_id="C1",
                opened_at=datetime(2026, 1, 10, 2, tzinfo=UTC),  # 10:00 in Beijing
                mileage=3000,
                lines=[
                    RepairLine(
                        kind="first_maintenance",
                        pay="warranty",
                        labour=Money.parse("60", "CNY"),
                        parts=Money.parse("40", "CNY"),
                    )
                ],
            ),
        ]
    )
    return features.compute(book, as_of=AS_OF)


EXPECTED = {
    # came for the first maintenance and not since
    "first_maintenance_return": "not_loyal",
    # One reading and no other car of the model: the default 15,000 km a year. 5,000 km
    # take ceil(5000 / 41.1) = 122 days, so the service fell due on 12 May 2026, before the
    # 6 months (10 July). On 30 June it is overdue, but by less than 6 more months.
    "service_interval_status": "swinging",
    # back after the first maintenance? Not yet, and overdue since 12 May: lost
    "loyalty_status": "lost",
    # the only customer is the top 20%: class A
    "pareto_abc": "A",
    # lost (row C); alone she is above no member-value quantile: silver, column S
    "loyalty_value_matrix": "CS",
    # ¥100 in the last 12 months is under every threshold but the last (¥0)
    "threshold_tiers": "silver",
    # alone, she is at every quantile and above none
    "quantile_tiers": "silver",
    "member_value": "silver",
    # one visit 171 days ago: recency ties with herself, frequency 0, ¥100
    "rfm": "hibernating",
    # ¥100 a visit is under ¥800
    "consumption_level": "low",
    # first visit within 12 months
    "new_or_returning": "new",
    "vehicle_age_band": "1–2 years",  # 0 completed years
    "region_ring": "within 5 km",
    "sector": "north",
    "owner_age_band": "30–39",  # 36 on 30 June 2026
    "gender": "female",
    "hobby": "摄影",
    "body_type": "sedan",
    # the only rate is the default, which says nothing of her driving
    "usage_habit": None,
    # not back after the first maintenance, so not loyal: no membership card
    "membership_cards": None,
    # 3,000 km on 10 January, then 171 days at 15,000 km a year: 3,000 + 7,027 km
    "mileage_band": "10,000–30,000 km",
}


# Fitted by maximum likelihood: one customer cannot fit them (below).
CHURN_FITTED = [
    *sorted(n for n in BUILT_INS if get_policy(n).kind == "churn_model"),
    "churn_risk",  # a loyalty rule that fits a churn model
]


def test_the_table_covers_every_built_in_that_reads_features() -> None:
    # points and level rules fold facts, not a customer's features: they are not labels
    # churn models score rather than label
    reading = {
        name
        for name in BUILT_INS
        if policy_kind(get_policy(name).kind).reads is Reads.FEATURES
        and "assign" in policy_kind(get_policy(name).kind).verbs
    }
    assert set(EXPECTED) == reading - set(CHURN_FITTED)


@pytest.mark.parametrize("name", CHURN_FITTED)
def test_a_churn_model_refuses_to_fit_one_visit_customer_saying_why(
    feats: FeatureTable, name: str
) -> None:
    pytest.importorskip("scipy")
    with pytest.raises(ConvergenceError, match=r"not identified|flat|diverge|run to"):
        get_policy(name).fit(feats)


def test_the_features_behind_the_expectations(feats: FeatureTable) -> None:
    row = feats.row("C1")
    assert (row["visits"], row["frequency"], row["recency_days"]) == (1, 0, 171.0)
    assert (row["spend_fen"], row["spend_window_fen"], row["avg_visit_spend_fen"]) == (
        10_000, 10_000, 10_000,
    )  # fmt: skip
    assert row["first_maintenance"] == date(2026, 1, 10)
    assert row["returned_after_first_maintenance"] is False
    assert feats.vehicles is not None
    vehicle = feats.vehicles.row(VIN)
    assert vehicle["km_per_day"] == DEFAULT_KM_PER_DAY
    assert vehicle["km_per_day_method"] == list(MileageMethod).index(MileageMethod.DEFAULT)
    assert ServiceIntervalStatus().due_dates(feats).tolist() == [date(2026, 5, 12)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_built_in_labels_the_one_visit_customer(feats: FeatureTable, name: str) -> None:
    policy = get_policy(name)
    fitted = policy.fit(feats) if policy.population_relative else policy
    assert fitted.assign(feats).values().tolist() == [EXPECTED[name]]


def test_her_strategy_is_no_after_sales_budget(feats: FeatureTable) -> None:
    matrix = LoyaltyValueMatrix().fit(feats)
    assert matrix.strategies(matrix.assign(feats)).values().tolist() == [Strategy.NONE.value]
