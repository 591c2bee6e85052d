"""PointsRule: what earns, how many points, once per source, capped, pending and expiring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.membership import Awards, PointsRule
from aftersales_crm.tables import Tables

AS_OF = dt.date(2026, 6, 30)
UTC = dt.UTC


def at(text: str) -> np.datetime64:
    return np.datetime64(text, "us")


def club(
    lines: list[tuple[str, str, str, int, int]],
    orders: Sequence[tuple[str, str, str | None]] | None = None,
    activities: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    referrals: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
) -> Tables:
    """Two customers at one dealer; orders (id, customer, closed_at UTC) and their lines
    (order, kind, pay, labour fen, parts fen)."""
    orders = orders if orders is not None else [("RO1", "C1", "2026-03-01T02:00")]
    data: dict[str, Any] = {
        "dealers": {"id": ["D1"], "name": ["North"]},
        "customers": {"id": ["C1", "C2"], "name": ["王明", "李华"]},
        "orders": {
            "id": [o[0] for o in orders],
            "dealer_id": ["D1"] * len(orders),
            "customer_id": [o[1] for o in orders],
            "opened_at": np.array([at("2020-01-01T00:00")] * len(orders), dtype="datetime64[us]"),
            "closed_at": np.array(
                [at(o[2]) if o[2] else np.datetime64("NaT") for o in orders], dtype="datetime64[us]"
            ),
        },
        "lines": {
            "order_id": [line[0] for line in lines],
            "kind": [line[1] for line in lines],
            "pay": [line[2] for line in lines],
            "labour": [line[3] for line in lines],
            "parts": [line[4] for line in lines],
        },
    }
    if activities:
        data["activities"] = {
            "id": [a[0] for a in activities],
            "activity_id": ["1"] * len(activities),
            "customer_id": [a[1] for a in activities],
            "on": [a[2] for a in activities],
        }
    if referrals:
        data["referrals"] = {
            "id": [r[0] for r in referrals],
            "referrer_id": [r[1] for r in referrals],
            "referred_name": ["张三"] * len(referrals),
            "on": ["2026-01-02"] * len(referrals),
            "delivered_on": np.array([r[2] or "NaT" for r in referrals], dtype="datetime64[D]"),
        }
    return Tables.from_arrays(**data)


def amounts(awards: Awards) -> dict[str, int]:
    return {str(s): int(a) for s, a in zip(awards.source_id, awards.amount, strict=True)}


def test_customer_pay_lines_earn_a_point_per_whole_yuan_and_other_payers_nothing() -> None:
    tables = club(
        [
            ("RO1", "maintenance", "customer", 30_050, 20_000),  # ¥500.50
            ("RO1", "minor_repair", "customer", 9_999, 0),  # ¥99.99: ¥600.49 in all -> 600
            ("RO1", "warranty_claim", "warranty", 100_000, 0),  # warranty pays
            ("RO1", "maintenance", "goodwill", 100_000, 0),
            ("RO1", "maintenance", "internal", 100_000, 0),
            ("RO1", "maintenance", "recall", 100_000, 0),
            ("RO1", "insurance_repair", "insurance", 100_000, 0),
        ]
    )
    awards = PointsRule().award(tables, as_of=AS_OF)
    assert amounts(awards) == {"service:RO1": 600}
    row = awards.row(0)
    assert row["member_id"] == "C1"
    assert row["dealer_id"] == "D1"
    assert row["funder"] == "hq"
    assert row["at"] == dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert row["expires_on"] == dt.date(2027, 12, 31)  # the end of the year after earning
    assert row["pending_until"] is None


def test_rates_by_service_kind_are_exact_fractions_rounded_down_per_order() -> None:
    tables = club(
        [("RO1", "accessories", "customer", 333, 0), ("RO1", "maintenance", "customer", 100, 0)]
    )
    rule = PointsRule(points_per_unit=1.5, kind_rates={"accessories": 3})
    # ¥3.33 × 3 + ¥1.00 × 1.5 = 9.99 + 1.5 = 11.49 -> 11, computed in fen without float
    assert amounts(rule.award(tables, as_of=AS_OF)) == {"service:RO1": 11}
    excluded = PointsRule(kind_rates={"accessories": 0, "maintenance": 0})
    assert len(excluded.award(tables, as_of=AS_OF)) == 0


def test_level_multipliers_apply_to_service_points_of_members_at_that_level() -> None:
    tables = club(
        [
            ("RO1", "maintenance", "customer", 10_000, 0),
            ("RO2", "maintenance", "customer", 10_000, 0),
        ],
        orders=[("RO1", "C1", "2026-03-01T02:00"), ("RO2", "C2", "2026-03-02T02:00")],
        activities=[("A1", "C1", "2026-03-05")],
    )
    rule = PointsRule(multipliers={"gold": 1.25})
    awards = rule.award(tables, as_of=AS_OF, levels={"C1": "gold", "C2": "silver"})
    assert amounts(awards) == {"activity:A1": 100, "service:RO1": 125, "service:RO2": 100}


def test_activities_and_delivered_referrals_earn_fixed_points_on_their_day() -> None:
    tables = club(
        [("RO1", "maintenance", "customer", 100, 0)],
        activities=[("A1", "C2", "2026-04-01")],
        referrals=[("R1", "C1", "2026-05-20"), ("R2", "C2", None)],  # R2 not delivered yet
    )
    awards = PointsRule(funders={"activity": "dealer"}).award(tables, as_of=AS_OF)
    assert amounts(awards) == {"activity:A1": 100, "referral:R1": 1000, "service:RO1": 1}
    rows = {awards.row(i)["source_id"]: awards.row(i) for i in range(len(awards))}
    # the start of the day in Beijing, as a UTC instant
    assert rows["activity:A1"]["at"] == dt.datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert rows["activity:A1"]["funder"] == "dealer"
    assert rows["referral:R1"]["member_id"] == "C1"


def test_answered_surveys_earn_through_their_own_columns() -> None:
    tables = club([("RO1", "maintenance", "customer", 100, 0)])
    surveys = {
        "id": ["S1"],
        "customer_id": ["C2"],
        "answered_at": [dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)],
    }
    awards = PointsRule().award(tables, as_of=AS_OF, surveys=surveys)
    assert amounts(awards)["survey:S1"] == 50
    with pytest.raises(InvalidValue, match="surveys lacks the columns"):
        PointsRule().award(tables, as_of=AS_OF, surveys={"id": ["S1"]})


def test_only_members_earn_and_under_their_member_id() -> None:
    tables = club(
        [
            ("RO1", "maintenance", "customer", 10_000, 0),
            ("RO2", "maintenance", "customer", 10_000, 0),
        ],
        orders=[("RO1", "C1", "2026-03-01T02:00"), ("RO2", "C2", "2026-03-02T02:00")],
    )
    awards = PointsRule().award(tables, as_of=AS_OF, members={"C2": "M-7"})
    assert awards.member_id.tolist() == ["M-7"]
    assert awards.source_id.tolist() == ["service:RO2"]


def test_open_orders_and_facts_after_as_of_earn_nothing_yet() -> None:
    tables = club(
        [
            ("RO1", "maintenance", "customer", 100, 0),
            ("RO2", "maintenance", "customer", 100, 0),
            ("RO3", "maintenance", "customer", 100, 0),
        ],
        orders=[
            ("RO1", "C1", None),  # still open
            ("RO2", "C1", "2026-06-30T15:59"),  # 23:59 in Beijing on as_of: counts
            ("RO3", "C1", "2026-06-30T16:00"),  # 00:00 in Beijing the day after: not yet
        ],
    )
    assert amounts(PointsRule().award(tables, as_of=AS_OF)) == {"service:RO2": 1}
    assert amounts(PointsRule(time_zone="UTC").award(tables, as_of=AS_OF)) == {
        "service:RO2": 1,
        "service:RO3": 1,
    }


def test_a_source_in_several_deliveries_is_awarded_once() -> None:
    tables = club([("RO1", "maintenance", "customer", 10_000, 0)])
    once = PointsRule().award(tables, as_of=AS_OF)
    assert PointsRule().award([tables, tables, tables], as_of=AS_OF) == once


def test_a_source_delivered_twice_with_different_amounts_is_refused_naming_it() -> None:
    first = club([("RO1", "maintenance", "customer", 10_000, 0)])
    corrected = club([("RO1", "maintenance", "customer", 20_000, 0)])
    with pytest.raises(
        InvalidValue,
        match=r"source 'service:RO1' arrives twice with different awards: 100 points .* 200 points",
    ):
        PointsRule().award([first, corrected], as_of=AS_OF)


def test_caps_take_awards_in_time_order_within_a_members_month() -> None:
    tables = club(
        [
            ("RO1", "maintenance", "customer", 30_000, 0),
            ("RO2", "maintenance", "customer", 30_000, 0),
            ("RO3", "maintenance", "customer", 30_000, 0),
            ("RO4", "maintenance", "customer", 30_000, 0),
        ],
        orders=[
            ("RO3", "C1", "2026-03-20T02:00"),
            ("RO1", "C1", "2026-03-01T02:00"),
            ("RO2", "C1", "2026-03-10T02:00"),
            ("RO4", "C1", "2026-04-01T02:00"),  # another month
        ],
    )
    awards = PointsRule(cap=500).award(tables, as_of=AS_OF)
    # 300 + 200 (capped) + 0 (not awarded) in March; 300 in April
    assert amounts(awards) == {"service:RO1": 300, "service:RO2": 200, "service:RO4": 300}
    yearly = PointsRule(cap=500, cap_period="year").award(tables, as_of=AS_OF)
    assert amounts(yearly) == {"service:RO1": 300, "service:RO2": 200}


@pytest.mark.parametrize(
    ("expiry", "months", "expected"),
    [
        ("year_end", 24, dt.date(2027, 12, 31)),  # the end of the year after 2026
        ("after_months", 24, dt.date(2028, 1, 31)),  # the earning day, 24 months on
        ("after_months", 1, dt.date(2026, 2, 28)),  # 31 January + 1 month: clamped
        ("month_end", 1, dt.date(2026, 2, 28)),  # the end of the next month
        ("month_end", 12, dt.date(2027, 1, 31)),
        ("never", 24, None),
    ],
)
def test_expiry_methods_give_the_last_day_in_the_programmes_time_zone(
    expiry: str, months: int, expected: dt.date | None
) -> None:
    # 2026-01-30T17:00 UTC is 31 January 01:00 in Beijing
    tables = club(
        [("RO1", "maintenance", "customer", 100, 0)], orders=[("RO1", "C1", "2026-01-30T17:00")]
    )
    awards = PointsRule(expiry=expiry, expiry_months=months).award(tables, as_of=AS_OF)
    assert awards.row(0)["expires_on"] == expected


def test_pending_days_delay_spending_from_the_instant_earned() -> None:
    tables = club([("RO1", "maintenance", "customer", 100, 0)])
    awards = PointsRule(pending_days=14).award(tables, as_of=AS_OF)
    assert awards.row(0)["pending_until"] == dt.datetime(2026, 3, 15, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"points_per_unit": -1}, "points_per_unit=-1 is invalid: expected a number >= 0"),
        ({"points_per_unit": Decimal("NaN")}, "expected a number >= 0 and at most"),
        ({"points_per_unit": Decimal("1E+999999999")}, "expected a number >= 0 and at most"),
        ({"points_per_unit": 10**10}, r"at most 1,000,000,000 \(MAX_POINTS\)"),
        ({"pays": ("cash",)}, r"pays=\('cash',\) is invalid: expected pay types of"),
        ({"kind_rates": {"oil": 2}}, "kind_rates=.* is invalid: expected service kind rates"),
        ({"expiry": "soon"}, "expiry='soon' is invalid"),
        ({"funder": "bank"}, "funder='bank' is invalid"),
        ({"cap": 0}, "cap=0 is invalid"),
        ({"time_zone": "Mars/Olympus"}, "time_zone='Mars/Olympus' is invalid"),
    ],
)
def test_bad_parameters_are_named_when_awarding(params: dict[str, Any], message: str) -> None:
    tables = club([("RO1", "maintenance", "customer", 100, 0)])
    with pytest.raises(InvalidValue, match=message):
        PointsRule(**params).award(tables, as_of=AS_OF)


def test_tables_of_another_type_are_refused() -> None:
    with pytest.raises(InvalidType, match="expected Tables or a sequence of Tables"):
        PointsRule().award({"orders": []}, as_of=AS_OF)  # type: ignore[arg-type]


@given(
    fen=st.lists(st.integers(0, 10**9), min_size=1, max_size=6),
    rate=st.fractions(min_value=0, max_value=20, max_denominator=100),
)
def test_service_points_are_the_exact_floor_of_spend_times_rate(fen: list[int], rate: Any) -> None:
    tables = club([("RO1", "maintenance", "customer", f, 0) for f in fen])
    awards = PointsRule(points_per_unit=rate).award(tables, as_of=AS_OF)
    expected = (sum(fen) * rate) // 100
    assert awards.total() == expected


@given(order=st.permutations(range(4)), copies=st.lists(st.integers(1, 3), min_size=4, max_size=4))
def test_awards_do_not_depend_on_row_order_or_repeated_deliveries(
    order: list[int], copies: list[int]
) -> None:
    rows = [
        ("RO1", "C1", "2026-03-01T02:00"),
        ("RO2", "C2", "2026-03-02T02:00"),
        ("RO3", "C1", "2026-03-03T02:00"),
        ("RO4", "C2", "2026-03-04T02:00"),
    ]
    lines = [(r[0], "maintenance", "customer", 10_000 * (i + 1), 0) for i, r in enumerate(rows)]
    rule = PointsRule(cap=500)
    expected = rule.award(club(lines, rows), as_of=AS_OF)
    shuffled = [rows[i] for i in order]
    deliveries = [club([lines[i] for i in order], shuffled)] * max(copies)
    assert rule.award(deliveries, as_of=AS_OF) == expected


def test_a_fine_multiplier_stays_exact_beyond_int64_products() -> None:
    from decimal import Decimal

    tables = club([("RO1", "maintenance", "customer", 10**11, 10**11)])  # 2e9 points
    rule = PointsRule(multipliers={"gold": Decimal("1.0000000005")})
    awards = rule.award(tables, as_of=AS_OF, levels={"C1": "gold"})
    # 2e9 × 10,000,000,005 passes int64; the product is taken in Python ints
    assert awards.total() == 2 * 10**9 * 10_000_000_005 // 10**10  # 2,000,000,001
