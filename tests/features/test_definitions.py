"""Each feature's definition on a small hand-computed customer base."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta

from aftersales_crm import features
from aftersales_crm.features import DEFAULT_KM_PER_DAY, FeatureTable, MileageMethod, MileageModel
from aftersales_crm.records import (
    Book,
    Customer,
    Dealer,
    Ownership,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import CompassSector, Gender, GeoPoint, Money, vin

AS_OF = date(2026, 2, 28)
NORTH = list(CompassSector).index(CompassSector.NORTH)
NO_SECTOR = -1


def make_vin(serial: int) -> str:
    body = f"LSVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


V1, V2, V3, V4, V5 = (make_vin(i) for i in range(1, 6))


def beijing(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Beijing (UTC+8) on ``day``, as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def line(kind: str, pay: str, yuan: str, parts: str = "0") -> RepairLine:
    return RepairLine(
        kind=kind, pay=pay, labour=Money.parse(yuan, "CNY"), parts=Money.parse(parts, "CNY")
    )


def order(order_id: str, day: date, *lines: RepairLine, **fields: Any) -> RepairOrder:
    base: dict[str, Any] = {
        "id": order_id,
        "dealer_id": "D1",
        "vin": V1,
        "customer_id": "C1",
        "opened_at": beijing(day),
        "mileage": 1000,
        "lines": lines,
    }
    return RepairOrder(**(base | fields))


def base_records() -> list[Any]:
    return [
        Dealer(id="D1", name="朝阳店", location=GeoPoint(39.9, 116.4)),
        Dealer(id="D2", name="浦东店", location=GeoPoint(31.23, 121.47)),
        Customer(
            id="C1", name="王芳", birthday=date(2000, 2, 29), home_location=GeoPoint(39.95, 116.4)
        ),
        Customer(id="C2", name="李强"),
        Customer(id="C3", name="张伟", birthday=date(1980, 3, 1)),
        Vehicle(vin=V1, model="轩逸", purchase_date=date(2024, 3, 1), selling_dealer_id="D1"),
        Vehicle(vin=V2, model="轩逸", purchase_date=date(2025, 1, 1), selling_dealer_id="D2"),
        Vehicle(vin=V3, model="天籁", purchase_date=date(2020, 2, 29)),
        Ownership(id="O1", customer_id="C1", vin=V1, start=date(2024, 3, 1)),
        Ownership(id="O2", customer_id="C2", vin=V2, start=date(2025, 1, 1)),
        Ownership(id="O3", customer_id="C3", vin=V3, start=date(2020, 2, 29)),
        order(
            "RO1",
            date(2024, 6, 1),
            line("first_maintenance", "warranty", "60", "40"),
            mileage=3000,
            promised_at=beijing(date(2024, 6, 1), 16),
            closed_at=beijing(date(2024, 6, 1), 15),
            by_appointment=True,
        ),
        order(
            "RO2",
            date(2024, 6, 1),
            line("accessories", "customer", "50.01"),
            mileage=3000,
            promised_at=beijing(date(2024, 6, 1), 16),
            closed_at=beijing(date(2024, 6, 1), 17),
        ),
        order(
            "RO3",
            date(2025, 3, 1),
            line("maintenance", "customer", "100", "200"),
            line("parts_sale", "customer", "0", "0.99"),
            mileage=12000,
            promised_at=beijing(date(2025, 3, 1), 16),
            by_appointment=True,
        ),
        order(
            "RO4",
            date(2025, 12, 15),
            line("minor_repair", "customer", "200"),
            mileage=16000,
            promised_at=beijing(date(2025, 12, 16), 16),
            closed_at=beijing(date(2025, 12, 16), 12),
            comeback_of="RO3",
        ),
        # 1 a.m. on 1 March in Beijing, still 28 February in UTC: after as_of.
        order(
            "RO5",
            date(2026, 3, 1),
            line("maintenance", "customer", "500"),
            opened_at=beijing(date(2026, 3, 1), 1),
            mileage=17000,
        ),
        order(
            "RO6",
            date(2025, 6, 1),
            line("maintenance", "customer", "100"),
            vin=V3,
            customer_id="C3",
            mileage=40000,
        ),
    ]


@pytest.fixture(scope="module")
def book() -> Book:
    return Book.from_records(base_records())


@pytest.fixture(scope="module")
def feats(book: Book) -> FeatureTable:
    return features.compute(book, as_of=AS_OF)


def test_counts_dates_and_repeat_visits(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    assert c1["visits"] == 4  # RO5 opens on 1 March in Beijing: after as_of
    assert c1["visit_days"] == 3  # RO1 and RO2 share a day
    assert c1["frequency"] == 2  # repeat visit days, as BG/NBD counts them
    assert c1["first_visit"] == date(2024, 6, 1)
    assert c1["last_visit"] == date(2025, 12, 15)
    assert c1["recency_days"] == 75  # 16 days of December, 31 of January, 28 of February
    assert c1["tenure_days"] == (AS_OF - date(2024, 6, 1)).days
    assert c1["span_days"] == (date(2025, 12, 15) - date(2024, 6, 1)).days
    assert c1["lines"] == 5


def test_visits_by_service_kind_and_pay_type(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    ones = {"first_maintenance", "accessories", "maintenance", "parts_sale", "minor_repair"}
    for kind in (
        "first_maintenance",
        "maintenance",
        "warranty_claim",
        "minor_repair",
        "major_repair",
        "insurance_repair",
        "body_paint",
        "accessories",
        "parts_sale",
        "roadside_rescue",
        "insurance_renewal",
        "inspection_agency",
    ):
        assert c1[f"visits_{kind}"] == (1 if kind in ones else 0), kind
    assert c1["visits_customer_pay"] == 3
    assert c1["visits_warranty_pay"] == 1
    assert c1["visits_insurance_pay"] == 0


def test_spend_in_fen_with_window_and_half_up_averages(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    assert c1["spend_fen"] == 10000 + 5001 + 30099 + 20000
    assert c1["spend_customer_pay_fen"] == 5001 + 30099 + 20000
    # The 12-month window is (2025-02-28, 2026-02-28]: RO3 (1 March 2025) is just inside.
    assert c1["spend_window_fen"] == 30099 + 20000
    assert c1["spend_window_customer_pay_fen"] == 30099 + 20000
    assert c1["avg_visit_spend_fen"] == 65100 // 4
    assert c1["avg_line_spend_fen"] == 65100 // 5
    assert c1["avg_visit_spend_customer_pay_fen"] == 18367  # 55100 / 3 = 18366.67
    assert c1["avg_line_spend_customer_pay_fen"] == 13775  # 55100 / 4 customer-pay lines
    assert feats["spend_fen"].dtype == np.int64


def test_half_up_rounds_halves_away_from_zero() -> None:
    records = [
        r for r in base_records() if not isinstance(r, RepairOrder) or r.id in {"RO1", "RO6"}
    ]
    records.append(
        order("RO7", date(2025, 1, 1), line("maintenance", "customer", "0.01"), mileage=4000)
    )
    one = features.compute(Book.from_records(records), as_of=AS_OF).row("C1")
    assert one["spend_fen"] == 10001
    assert one["avg_visit_spend_fen"] == 5001  # 10001 / 2 = 5000.5 rounds up
    assert one["avg_visit_spend_customer_pay_fen"] == 1  # 1 fen over one customer-pay visit


def test_window_excludes_its_first_day(book: Book) -> None:
    on_edge = features.compute(book, as_of=date(2026, 3, 1) - timedelta(days=0)).row("C1")
    assert on_edge["visits"] == 5
    # as_of 1 March 2026: the window starts after 1 March 2025, so RO3 falls out.
    assert on_edge["spend_window_fen"] == 20000 + 50000


def test_visit_intervals(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    gaps = [
        (date(2025, 3, 1) - date(2024, 6, 1)).days,
        (date(2025, 12, 15) - date(2025, 3, 1)).days,
    ]
    assert c1["interval_mean_days"] == sum(gaps) / 2
    assert c1["interval_median_days"] == float(np.median(gaps))


def test_interval_median_differs_from_mean() -> None:
    days = [date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 21), date(2024, 12, 31)]
    records = [r for r in base_records() if not isinstance(r, RepairOrder)]
    records += [
        order(f"RX{i}", day, line("maintenance", "customer", "1"), mileage=1000 + i)
        for i, day in enumerate(days)
    ]
    row = features.compute(Book.from_records(records), as_of=AS_OF).row("C1")
    assert row["interval_median_days"] == 10.0
    assert row["interval_mean_days"] == (date(2024, 12, 31) - date(2024, 1, 1)).days / 3


def test_first_maintenance_return(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    assert c1["first_maintenance"] == date(2024, 6, 1)
    # RO2 is the same day and not routine; RO3's maintenance is the return.
    assert c1["returned_after_first_maintenance"] is True
    assert c1["return_date"] == date(2025, 3, 1)
    c3 = feats.row("C3")  # never had a first maintenance here
    assert c3["first_maintenance"] is None
    assert c3["returned_after_first_maintenance"] is False
    assert c3["return_date"] is None


def test_non_routine_visits_are_not_a_return() -> None:
    records = [
        r for r in base_records() if not isinstance(r, RepairOrder) or r.id in {"RO1", "RO2"}
    ]
    records.append(
        order("RO8", date(2025, 1, 1), line("accessories", "customer", "10"), mileage=5000)
    )
    row = features.compute(Book.from_records(records), as_of=AS_OF).row("C1")
    assert row["first_maintenance"] == date(2024, 6, 1)
    assert row["returned_after_first_maintenance"] is False


def test_each_vehicle_has_its_first_maintenance_return_and_last_service(
    feats: FeatureTable,
) -> None:
    assert feats.vehicles is not None
    v1 = feats.vehicles.row(V1)
    assert (v1["first_maintenance"], v1["first_maintenance_dealer"]) == (date(2024, 6, 1), 0)
    assert v1["return_date"] == v1["network_return_date"] == date(2025, 3, 1)
    assert v1["service_dealer"] == 0
    # RO4's minor repair is the last workshop service; RO5 opens after as_of
    assert (v1["last_service"], v1["last_service_mileage"]) == (date(2025, 12, 15), 16_000.0)
    assert v1["last_network_service"] == date(2025, 12, 15)
    v3 = feats.vehicles.row(V3)  # serviced at D1 but never had its first maintenance
    assert (v3["first_maintenance"], v3["first_maintenance_dealer"]) == (None, -1)
    assert (v3["service_dealer"], v3["last_service"]) == (0, date(2025, 6, 1))
    v2 = feats.vehicles.row(V2)  # never serviced
    assert (v2["service_dealer"], v2["last_service"], v2["return_date"]) == (-1, None, None)
    assert v2["last_service_mileage"] is None
    c1 = feats.row("C1")
    assert c1["any_vehicle_first_maintenance"] == date(2024, 6, 1)
    assert c1["any_vehicle_return_date"] == c1["any_vehicle_network_return_date"]


def test_a_return_to_another_dealer_is_a_network_return_only() -> None:
    records = [
        r for r in base_records() if not isinstance(r, RepairOrder) or r.id in {"RO1", "RO2"}
    ]
    records += [
        order("RO8", date(2025, 1, 1), line("maintenance", "customer", "10"), mileage=5000,
              dealer_id="D2"),
        order("RO9", date(2025, 2, 1), line("parts_sale", "customer", "10"), mileage=5100),
    ]  # fmt: skip
    feats = features.compute(Book.from_records(records), as_of=AS_OF)
    assert feats.vehicles is not None
    v1 = feats.vehicles.row(V1)
    assert v1["return_date"] is None  # D1 did the first maintenance
    assert v1["network_return_date"] == date(2025, 1, 1)
    assert v1["last_visit"] == date(2025, 2, 1)  # the parts sale
    assert v1["last_service"] == date(2024, 6, 1)  # at D1: the first maintenance
    assert v1["last_network_service"] == date(2025, 1, 1)
    assert v1["service_due"] == date(2024, 12, 1)  # from the last service at D1
    row = feats.row("C1")
    assert (row["returned_after_first_maintenance"], row["return_date"]) == (False, None)
    assert row["network_return_date"] == date(2025, 1, 1)
    assert row["any_vehicle_return_date"] is None
    assert row["any_vehicle_network_return_date"] == date(2025, 1, 1)


def test_delivery_comebacks_and_appointments(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    # RO1 on time, RO2 late, RO3 not closed yet, RO4 closed before its promise.
    assert c1["on_time_rate"] == pytest.approx(2 / 3)
    assert c1["comebacks"] == 1
    assert c1["appointment_share"] == 0.5


def test_single_visit_customer(feats: FeatureTable) -> None:
    c3 = feats.row("C3")
    assert c3["visits"] == 1
    assert c3["frequency"] == 0
    assert c3["span_days"] == 0
    assert c3["tenure_days"] == c3["recency_days"] == (AS_OF - date(2025, 6, 1)).days
    assert c3["interval_mean_days"] is None
    assert c3["interval_median_days"] is None
    assert c3["on_time_rate"] is None  # never delivered against a promise
    assert c3["appointment_share"] == 0.0


def test_customer_without_visits(feats: FeatureTable) -> None:
    c2 = feats.row("C2")
    assert c2["visits"] == c2["visit_days"] == c2["frequency"] == c2["spend_fen"] == 0
    assert c2["first_visit"] is None
    assert c2["last_visit"] is None
    assert c2["recency_days"] is None
    assert c2["tenure_days"] is None
    assert c2["avg_visit_spend_fen"] == 0
    assert c2["appointment_share"] is None
    assert c2["age_years"] is None


def test_owner_age_counts_29_february_birthdays_on_28_february(feats: FeatureTable) -> None:
    assert feats.row("C1")["age_years"] == 26  # born 29 Feb 2000; 28 Feb 2026 is the anniversary
    assert feats.row("C3")["age_years"] == 45  # born 1 Mar 1980: not yet 46 on 28 Feb


def test_distance_and_sector_from_the_servicing_or_selling_dealer(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    assert c1["dealer"] == 0  # D1 serviced C1 last
    assert c1["distance_km"] == pytest.approx(5.56, abs=0.01)  # 0.05 degrees of latitude
    assert c1["sector"] == NORTH
    c2 = feats.row("C2")
    assert c2["dealer"] == 1  # never serviced: the dealer that sold the car
    assert c2["distance_km"] is None  # no home location
    assert c2["sector"] == NO_SECTOR
    assert feats.row("C3")["dealer"] == 0


def test_vehicle_rate_by_least_squares(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    v1 = feats.vehicles.row(V1)
    days = np.array([0, 0, 273, 562], dtype=float)
    km = np.array([3000, 3000, 12000, 16000], dtype=float)
    slope = np.polyfit(days, km, 1)[0]
    r2 = np.corrcoef(days, km)[0, 1] ** 2
    assert v1["km_per_day"] == pytest.approx(slope, rel=1e-12)
    assert v1["km_per_day_method"] == list(MileageMethod).index(MileageMethod.READINGS)
    assert v1["km_per_day_confidence"] == pytest.approx(r2, rel=1e-12)  # readings span > 1 year
    assert v1["last_mileage"] == 16000
    assert v1["mileage_at_as_of"] == pytest.approx(16000 + slope * 75)
    assert v1["visits"] == 4
    assert v1["odometer_anomalies"] == 0
    assert v1["age_years"] == 1  # bought 1 March 2024
    assert v1["owner"] == 0
    assert v1["owners"] == 1


def test_vehicle_rate_falls_back_to_the_default(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    v2 = feats.vehicles.row(V2)  # no readings; its model has one fitted vehicle, not five
    assert v2["km_per_day"] == DEFAULT_KM_PER_DAY
    assert v2["km_per_day_method"] == list(MileageMethod).index(MileageMethod.DEFAULT)
    assert v2["km_per_day_confidence"] == 0.0
    assert v2["mileage_at_as_of"] == pytest.approx(
        DEFAULT_KM_PER_DAY * (AS_OF - date(2025, 1, 1)).days
    )
    assert v2["last_mileage"] is None
    v3 = feats.vehicles.row(V3)  # one reading: no rate of its own
    assert v3["km_per_day_method"] == list(MileageMethod).index(MileageMethod.DEFAULT)
    assert v3["mileage_at_as_of"] == pytest.approx(
        40000 + DEFAULT_KM_PER_DAY * (AS_OF - date(2025, 6, 1)).days
    )
    assert v3["age_years"] == 6  # bought 29 Feb 2020: 28 Feb 2026 is its anniversary


def test_vehicle_rate_falls_back_to_the_model_median(book: Book) -> None:
    one = features.compute(book, as_of=AS_OF, mileage=MileageModel(min_model_vehicles=1))
    assert one.vehicles is not None
    v1, v2 = one.vehicles.row(V1), one.vehicles.row(V2)
    assert v2["km_per_day_method"] == list(MileageMethod).index(MileageMethod.MODEL_MEDIAN)
    assert v2["km_per_day"] == v1["km_per_day"]
    given = features.compute(
        book, as_of=AS_OF, mileage=MileageModel(model_km_per_day={"轩逸": 12.5})
    )
    assert given.vehicles is not None
    assert given.vehicles.row(V2)["km_per_day"] == 12.5


def test_odometer_anomalies() -> None:
    records = [r for r in base_records() if not isinstance(r, RepairOrder)]
    readings = [(date(2025, 1, 1), 1000), (date(2025, 1, 11), 900), (date(2025, 1, 12), 5000)]
    records += [
        order(f"RA{i}", day, line("maintenance", "customer", "1"), mileage=km)
        for i, (day, km) in enumerate(readings)
    ]
    feats = features.compute(Book.from_records(records), as_of=AS_OF)
    assert feats.vehicles is not None
    v1 = feats.vehicles.row(V1)
    assert v1["odometer_anomalies"] == 2  # 100 km backwards, then 4,100 km in one day
    assert v1["km_per_day_method"] != list(MileageMethod).index(MileageMethod.READINGS)


def test_owners_after_a_resale() -> None:
    records = [r for r in base_records() if not isinstance(r, Ownership) or r.id != "O2"]
    records += [
        Ownership(id="O2", customer_id="C2", vin=V2, start=date(2025, 1, 1), end=date(2025, 6, 1)),
        Ownership(id="O4", customer_id="C3", vin=V2, start=date(2025, 6, 1)),
    ]
    feats = features.compute(Book.from_records(records), as_of=AS_OF)
    assert feats.vehicles is not None
    assert feats.vehicles.row(V2)["owners"] == 2
    assert feats.vehicles.row(V2)["owner"] == 2  # C3's row
    before = features.compute(Book.from_records(records), as_of=date(2025, 3, 1))
    assert before.vehicles is not None
    assert before.vehicles.row(V2)["owners"] == 1
    assert before.vehicles.row(V2)["owner"] == 1


def test_nothing_after_as_of_counts(book: Book) -> None:
    early = features.compute(book, as_of=date(2024, 5, 31)).row("C1")
    assert early["visits"] == 0
    assert early["first_maintenance"] is None
    assert features.compute(book, as_of=date(2024, 6, 1)).row("C1")["visits"] == 2


def test_business_dates_follow_the_time_zone(book: Book) -> None:
    utc = features.compute(book, as_of=AS_OF, time_zone="UTC").row("C1")
    assert utc["visits"] == 5  # RO5 opens at 17:00 UTC on 28 February


def test_tables_and_book_give_the_same_features(book: Book, feats: FeatureTable) -> None:
    again = features.compute(Tables.from_book(book), as_of=AS_OF)
    for cid in feats.ids:
        assert again.row(cid) == feats.row(cid)


def test_threads_and_blocks_do_not_change_the_result(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aftersales_crm.features import _kernels

    one = features.compute(book, as_of=AS_OF, threads=1)
    monkeypatch.setattr(_kernels, "BLOCK_ROWS", 1)
    blocks = features.compute(book, as_of=AS_OF, threads=2)
    for cid in one.ids:
        assert blocks.row(cid) == one.row(cid)
    assert one.vehicles is not None
    assert blocks.vehicles is not None
    for v in one.vehicles.ids:
        assert blocks.vehicles.row(v) == one.vehicles.row(v)


def test_bad_parameters_are_rejected(book: Book) -> None:
    with pytest.raises(ValueError, match="min_model_vehicles"):
        features.compute(book, as_of=AS_OF, mileage=MileageModel(min_model_vehicles=0))
    with pytest.raises(ValueError, match="max_km_per_day"):
        features.compute(book, as_of=AS_OF, mileage=MileageModel(max_km_per_day=0))


def test_profile_of_an_unknown_customer(book: Book) -> None:
    with pytest.raises(KeyError):
        features.profile(book, "nobody", as_of=AS_OF)
    with pytest.raises(KeyError):
        features.compute(book, as_of=AS_OF).row("nobody")


def test_ownership_and_master_data_columns(feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    assert c1["vehicles_owned"] == 1
    assert c1["first_purchase"] == date(2024, 3, 1)
    assert c1["gender"] == list(Gender).index(Gender.UNKNOWN)  # no national ID, none given
    assert c1["hobbies"] == ()
    assert feats.vehicles is not None
    v1 = feats.vehicles.row(V1)
    assert v1["sold_here"] is True
    assert v1["body_type"] == -1  # not recorded


def test_a_sold_vehicle_still_dates_the_first_purchase() -> None:
    records = [r for r in base_records() if not isinstance(r, Ownership) or r.id != "O2"]
    records += [
        Ownership(id="O2", customer_id="C2", vin=V2, start=date(2025, 1, 1), end=date(2025, 6, 1)),
        Ownership(id="O4", customer_id="C3", vin=V2, start=date(2025, 6, 1)),
    ]
    feats = features.compute(Book.from_records(records), as_of=AS_OF)
    c2, c3 = feats.row("C2"), feats.row("C3")
    assert c2["vehicles_owned"] == 0
    assert c2["first_purchase"] == date(2025, 1, 1)
    assert c3["vehicles_owned"] == 2
    assert c3["first_purchase"] == date(2020, 2, 29)


def _outside(n: int = 40) -> tuple[Tables, dict[str, dict[str, Any]]]:
    from aftersales_crm import synthetic

    tables = synthetic.columns(n, seed=3).tables()
    return tables, {name: dict(cols) for name, cols in tables.to_arrays().items()}


def test_lines_in_any_order_give_the_same_features() -> None:
    tables, outside = _outside()
    lines = outside["lines"]
    reverse = np.arange(len(lines["order_id"]))[::-1]
    outside["lines"] = {name: np.asarray(col, dtype=object)[reverse] for name, col in lines.items()}
    shuffled = Tables.from_arrays(currency=tables.currency, **outside)
    assert not np.array_equal(shuffled.lines["order"], tables.lines["order"])
    expected = features.compute(tables, as_of=AS_OF)
    got = features.compute(shuffled, as_of=AS_OF)
    for cid in expected.ids:
        assert got.row(cid) == expected.row(cid)


def test_without_dealers_there_is_no_distance_bearing_or_sector() -> None:
    tables = Tables.from_arrays(
        customers={
            "id": np.array(["C1", "C2"]),
            "name": np.array(["王芳", "李雷"]),
            "home_location.lat": np.array([39.9, np.nan]),
            "home_location.lon": np.array([116.4, np.nan]),
        }
    )
    feats = features.compute(tables, as_of=AS_OF)
    assert np.isnan(feats["distance_km"]).all()
    assert np.isnan(feats["bearing_deg"]).all()
    assert feats["sector"].tolist() == [NO_SECTOR, NO_SECTOR]
    assert feats["dealer"].tolist() == [-1, -1]


def test_profile_takes_the_model_rates_it_is_given() -> None:
    tables, _ = _outside()
    rates = features.model_rates(tables, as_of=AS_OF)
    cid = str(tables.customers["id"][0])
    model = MileageModel(model_km_per_day=rates)
    batch = features.compute(tables, as_of=AS_OF, mileage=model)
    assert features.profile(tables, cid, as_of=AS_OF, mileage=model).row(cid) == batch.row(cid)


def test_profile_follows_a_comeback_to_another_vehicles_order() -> None:
    tables, outside = _outside()
    orders = outside["orders"]
    vins, opened = orders["vin"], orders["opened_at"]
    comeback = np.asarray(orders["comeback_of"], dtype=object).copy()
    # an order pointing back to an earlier order of a different vehicle and owner
    counted = np.asarray(opened, dtype="datetime64[us]") < np.datetime64(AS_OF)
    late = int(np.flatnonzero(counted)[np.argmax(np.asarray(opened)[counted])])
    early = next(
        i for i in np.argsort(opened) if vins[i] != vins[late]
        and orders["customer_id"][i] != orders["customer_id"][late]
    )  # fmt: skip
    comeback[late] = orders["id"][early]
    outside["orders"] = orders | {"comeback_of": comeback}
    linked = Tables.from_arrays(currency=tables.currency, **outside)
    cid = str(orders["customer_id"][late])
    batch = features.compute(linked, as_of=AS_OF)
    assert batch.row(cid)["comebacks"] >= 1
    assert features.profile(linked, cid, as_of=AS_OF).row(cid) == batch.row(cid)


def test_visits_in_the_trailing_window(book: Book, feats: FeatureTable) -> None:
    c1 = feats.row("C1")
    # (2025-02-28, 2026-02-28]: RO3 on 2025-03-01 and RO4 on 2025-12-15
    assert (c1["visits_window"], c1["visit_days_window"]) == (2, 2)
    wide = features.compute(book, as_of=AS_OF, window=relativedelta(months=24)).row("C1")
    # from 2024-02-28 on: RO1 and RO2 (both on 2024-06-01) as well, four visits on three days
    assert (wide["visits_window"], wide["visit_days_window"]) == (4, 3)
    early = features.compute(book, as_of=date(2025, 3, 1)).row("C1")
    # (2024-03-01, 2025-03-01]: RO1, RO2 and RO3
    assert (early["visits_window"], early["visit_days_window"]) == (3, 2)
    assert (feats.row("C2")["visits_window"], feats.row("C2")["visit_days_window"]) == (0, 0)


def test_the_next_service_is_due_by_time_or_mileage(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    # V1: last visit 2025-12-15 at about 23.9 km a day: 5,000 km take 209 days, so the
    # 6 months come first
    assert feats.vehicles.row(V1)["service_due"] == date(2026, 6, 15)
    # V3: one reading on 2025-06-01, the default 41.1 km a day: 5,000 km in 122 days
    assert feats.vehicles.row(V3)["service_due"] == date(2025, 10, 1)
    assert feats.vehicles.row(V2)["service_due"] is None  # never serviced
