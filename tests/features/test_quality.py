"""The measures the material names: first-time fix, parts replaced, mileage bands, brand.

Hand-computed examples for each definition, the errors that name the field, and the
material's words pinned to the training documents.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue, TableValidationError
from aftersales_crm.features import (
    FIRST_TIME_FIX,
    FIRST_TIME_FIX_WINDOW,
    MILEAGE_BAND_EDGES_KM,
    MILEAGE_CLASS,
    FeatureTable,
)
from aftersales_crm.records import (
    REPAIR_KINDS,
    Book,
    Customer,
    Dealer,
    Ownership,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.segmentation import MileageBand
from aftersales_crm.tables import Tables
from aftersales_crm.values import Material, Money, Quote, ServiceKind, vin

AS_OF = date(2026, 2, 28)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _vin(serial: int) -> str:
    body = f"LFVAU2180N{serial:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


V1, V2, V3, V4 = (_vin(i) for i in range(11, 15))


def _ro(
    number: str,
    day: date,
    kind: str,
    parts: tuple[str, ...] = (),
    *,
    dealer: str = "D1",
    back_to: str | None = None,
) -> RepairOrder:
    """A one-line order of V1 by C1, opened at 10:00 Beijing time on ``day``."""
    return RepairOrder(
        id=number,
        dealer_id=dealer,
        vin=V1,
        customer_id="C1",
        opened_at=datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
        mileage=1000,
        comeback_of=back_to,
        lines=[
            RepairLine(
                kind=kind,
                pay="customer",
                labour=Money.parse("100", "CNY"),
                parts=Money.parse("50", "CNY"),
                parts_replaced=parts,
            )
        ],
    )


def _book(*orders: RepairOrder) -> Book:
    return Book.from_records(
        [
            Dealer(id="D1", name="朝阳店"),
            Dealer(id="D2", name="海淀店"),
            Customer(id="C1", name="王芳"),
            Customer(id="C2", name="李强"),
            Customer(id="C3", name="张伟"),
            Vehicle(vin=V1, brand=" 上汽大众 ", model="Lavida", purchase_date=date(2024, 3, 1)),
            # No orders: the default 15,000 km a year since purchase.
            Vehicle(vin=V2, model="Passat", purchase_date=date(2025, 2, 28)),
            Vehicle(vin=V3, model="Passat", purchase_date=date(2022, 2, 28)),
            Vehicle(vin=V4, model="Passat"),  # no purchase date, no reading
            Ownership(id="O1", customer_id="C1", vin=V1, start=date(2024, 3, 1)),
            Ownership(id="O2", customer_id="C2", vin=V2, start=date(2025, 2, 28)),
            Ownership(id="O3", customer_id="C3", vin=V3, start=date(2022, 2, 28)),
            *orders,
        ]
    )


ORDERS = (
    _ro("RO0", date(2024, 6, 1), "minor_repair", ("蓄电池",)),  # a job, fixed first time
    _ro("RO1", date(2025, 6, 1), "minor_repair", ("前刹车片", "刹车油")),  # comes back in 9 days
    _ro("RO1B", date(2025, 6, 10), "minor_repair", back_to="RO1"),  # a comeback is no job
    _ro("RO2", date(2025, 8, 1), "warranty_claim", dealer="D2"),  # comes back in 45 days
    _ro("RO2B", date(2025, 9, 15), "minor_repair", dealer="D2", back_to="RO2"),
    _ro("RO3", date(2025, 10, 1), "maintenance", ("机油", "机油滤清器")),  # not a repair job
    _ro("RO3B", date(2025, 10, 5), "minor_repair", back_to="RO3"),
    _ro("RO4", date(2026, 2, 10), "body_paint"),  # 18 days before as_of: not settled yet
)


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(_book(*ORDERS), as_of=AS_OF)


def test_a_repair_job_is_fixed_first_time_without_a_comeback_within_30_days(
    feats: FeatureTable,
) -> None:
    row = feats.row("C1")
    # Jobs: RO0, RO1, RO2 (RO3 is maintenance, RO4's window is still open, the
    # comebacks are second attempts). RO1 came back after 9 days; RO2 after 45, too late.
    assert (row["repair_jobs"], row["fixed_first_time"]) == (3, 2)
    assert row["first_time_fix_rate"] == pytest.approx(2 / 3)
    assert row["comebacks"] == 3  # every order marked as a comeback, whatever it comes back to
    assert feats.row("C2")["repair_jobs"] == 0
    assert feats.row("C2")["first_time_fix_rate"] is None


def test_the_vehicle_counts_the_jobs_of_its_orders(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    row = feats.vehicles.row(V1)
    assert (row["repair_jobs"], row["fixed_first_time"]) == (3, 2)


@pytest.mark.parametrize(
    ("days", "d1", "d2"),
    [
        (30, (2, 1), (1, 1)),  # the default: RO2's comeback after 45 days is too late
        (45, (2, 1), (1, 0)),  # a comeback on the window's last day counts
        (9, (3, 2), (1, 1)),  # RO4 is settled now; RO1's comeback after 9 days counts
        (8, (3, 3), (1, 1)),  # ... but not in an 8-day window
    ],
)
def test_the_dealer_of_the_job_gets_it_within_the_window(
    days: int, d1: tuple[int, int], d2: tuple[int, int]
) -> None:
    dealers = features.dealer_features(_book(*ORDERS), as_of=AS_OF, window=timedelta(days=days))
    assert dealers.ids.tolist() == ["D1", "D2"]
    assert list(zip(dealers["repair_jobs"], dealers["fixed_first_time"], strict=True)) == [d1, d2]
    assert dealers["comebacks"].tolist() == [2, 1]
    assert dealers["visits"].tolist() == [6, 2]


def test_a_job_whose_window_is_open_on_as_of_waits() -> None:
    late = features.dealer_features(_book(*ORDERS), as_of=date(2026, 3, 12))  # RO4 + 30 days
    early = features.dealer_features(_book(*ORDERS), as_of=date(2026, 3, 11))
    assert late["repair_jobs"][0] == early["repair_jobs"][0] + 1


def test_dealer_features_refuse_a_window_of_part_days() -> None:
    with pytest.raises(InvalidValue, match="window is") as info:
        features.dealer_features(_book(), as_of=AS_OF, window=timedelta(days=1, hours=2))
    assert info.value.code == "invalid_argument"
    with pytest.raises(InvalidValue, match="window is"):
        features.dealer_features(_book(), as_of=AS_OF, window=30)  # type: ignore[arg-type]


def test_repair_kinds_are_the_workshop_repairs() -> None:
    assert {k.value for k in REPAIR_KINDS} == {
        "minor_repair",
        "major_repair",
        "warranty_claim",
        "insurance_repair",
        "body_paint",
    }
    assert ServiceKind.MAINTENANCE not in REPAIR_KINDS


def test_parts_replaced_are_counted_in_total_and_in_the_window(feats: FeatureTable) -> None:
    row = feats.row("C1")
    # 蓄电池 in 2024 is before the 12-month window; 前刹车片, 刹车油, 机油, 机油滤清器 in it.
    assert (row["parts_replaced"], row["parts_replaced_window"]) == (5, 4)
    assert feats.vehicles is not None
    assert feats.vehicles.row(V1)["parts_replaced"] == 5
    dealers = features.dealer_features(_book(*ORDERS), as_of=AS_OF)
    assert dealers["parts_replaced"].tolist() == [5, 0]


def test_the_brand_feature_is_the_stripped_text(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    assert feats.vehicles.row(V1)["brand"] == "上汽大众"
    assert feats.vehicles.row(V2)["brand"] is None


def test_the_mileage_band_and_the_days_it_took(feats: FeatureTable) -> None:
    assert feats.vehicles is not None
    v2, v3, v4 = (feats.vehicles.row(v) for v in (V2, V3, V4))
    # V2: 365 days at 15,000 km a year is 15,000 km; 10,000 km took 10,000 / (15,000 / 365).
    assert v2["mileage_band_km"] == 10_000
    assert v2["days_to_mileage_band"] == pytest.approx(10_000 * 365 / 15_000)
    # V3: 1,461 days (a leap year among them) is 60,041 km; 60,000 km took 1,460 days.
    assert v3["mileage_band_km"] == 60_000
    assert v3["days_to_mileage_band"] == pytest.approx(1_460.0)
    assert (v4["mileage_band_km"], v4["days_to_mileage_band"]) == (-1, None)


def test_the_first_band_took_no_time() -> None:
    young = features.compute(_book(), as_of=date(2024, 4, 1))
    assert young.vehicles is not None
    assert young.vehicles.row(V1)["mileage_band_km"] == 0
    assert young.vehicles.row(V1)["days_to_mileage_band"] == 0.0


def test_mileage_band_labels_the_newest_vehicle(feats: FeatureTable) -> None:
    labels = MileageBand().assign(feats)
    assert labels.names == (
        "under 10,000 km",
        "10,000–30,000 km",
        "30,000–60,000 km",
        "60,000–100,000 km",
        "100,000+ km",
    )
    assert labels.values("zh")[1:].tolist() == ["1万–3万公里", "6万–10万公里"]
    own = MileageBand(edges=(20_000, 25_000, 25_500)).assign(feats)
    assert own.names_zh == ("2万公里以下", "2万–2.5万公里", "2.5万–25500公里", "25500公里以上")


def test_mileage_band_refuses_edges_that_do_not_increase() -> None:
    with pytest.raises(InvalidValue, match="edges"):
        MileageBand(edges=(30_000, 10_000)).assign(features.compute(_book(), as_of=AS_OF))


def test_the_default_edges_are_those_of_the_vehicle_feature() -> None:
    assert MileageBand.DEFAULT_EDGES == MILEAGE_BAND_EDGES_KM == (10_000, 30_000, 60_000, 100_000)
    assert timedelta(days=30) == FIRST_TIME_FIX_WINDOW


# -- records and tables: the field names the error ----------------------------------------


@pytest.mark.parametrize("brand", ["", "   ", "x" * 201])
def test_a_blank_or_long_brand_is_refused_naming_the_field(brand: str) -> None:
    with pytest.raises(ValidationError, match="brand"):
        Vehicle(vin=V1, model="Lavida", brand=brand)


@pytest.mark.parametrize("parts", [["机油", " "], [""], "机油"])
def test_bad_parts_are_refused_naming_the_field(parts: Any) -> None:
    with pytest.raises(ValidationError, match="parts_replaced"):
        RepairLine(
            kind="maintenance",
            pay="customer",
            labour=Money.parse("1", "CNY"),
            parts=Money.parse("1", "CNY"),
            parts_replaced=parts,
        )


def test_a_table_refuses_a_blank_brand_naming_the_row_and_column() -> None:
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(
            vehicles={"vin": [V1, V2], "model": ["Lavida", "Passat"], "brand": ["大众", "  "]}
        )
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.code) == (1, "brand", "blank_text")


def test_a_table_strips_the_brand_as_the_record_does() -> None:
    tables = Tables.from_arrays(vehicles={"vin": [V1], "model": ["Lavida"], "brand": [" 大众 "]})
    assert tables.vehicles.label_texts("brand").tolist() == ["大众"]
    (record,) = (r for r in tables.to_records() if isinstance(r, Vehicle))
    assert record.brand == "大众"


@pytest.mark.parametrize(
    ("parts", "code"),
    [([" "], "blank_text"), ("机油", "wrong_type"), (["x" * 201], "text_length")],
)
def test_a_table_refuses_bad_parts_naming_the_row_and_column(parts: Any, code: str) -> None:
    book = _book(_ro("RO0", date(2024, 6, 1), "minor_repair", ("蓄电池",)))
    arrays = Tables.from_book(book).to_arrays()
    lines = dict(arrays["lines"])
    column = np.empty(1, dtype=object)
    column[0] = parts
    lines["parts_replaced"] = column
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(currency="CNY", **{**arrays, "lines": lines})
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.code) == (0, "parts_replaced", code)


@pytest.mark.parametrize("route", ["arrays", "pandas", "arrow"])
def test_brand_and_parts_survive_every_route(route: str) -> None:
    tables = Tables.from_book(_book(*ORDERS))
    back = {
        "arrays": lambda: Tables.from_arrays(currency="CNY", **tables.to_arrays()),
        "pandas": lambda: Tables.from_pandas(currency="CNY", **tables.to_pandas()),
        "arrow": lambda: Tables.from_arrow(currency="CNY", **tables.to_arrow()),
    }[route]()
    assert back == tables
    assert Book.from_records(back.to_records()) == _book(*ORDERS)


# -- synthetic --------------------------------------------------------------------------


def test_synthetic_vehicles_have_their_model_s_brand_and_lines_their_parts() -> None:
    tables = synthetic.tables(300, seed=3)
    brands = tables.vehicles.label_texts("brand")
    models = tables.vehicles.label_texts("model")
    assert dict(zip(models.tolist(), brands.tolist(), strict=True))["Lavida"] == "上汽大众"
    parts = tables.lines["parts_replaced"]
    kinds = tables.lines["kind"]
    maintenance = kinds == list(ServiceKind).index(ServiceKind.MAINTENANCE)
    assert all("机油滤清器" in p for p in parts[maintenance])
    no_parts = tables.lines["parts_fen"] == 0
    assert all(p == () for p in parts[no_parts])


def test_parts_do_not_move_the_other_synthetic_draws() -> None:
    tables = synthetic.tables(300, seed=3)
    # The orders and amounts are drawn as before the parts: the figures of issue 10 hold.
    assert len(tables.orders) == len(synthetic.tables(300, seed=3).orders)
    assert math.isclose(
        float(features.compute(tables, as_of=synthetic.DEFAULT_AS_OF)["spend_fen"].sum()),
        float(tables.lines["labour_fen"].sum() + tables.lines["parts_fen"].sum()),
    )


# -- the material's words ---------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the training documents are not at hand")
@pytest.mark.parametrize(
    ("quote", "seed"),
    [
        (FIRST_TIME_FIX, "000"),
        (MILEAGE_CLASS, "003"),
        (MileageBand.SOURCE, "003"),
        (Quote(Material.AFTERSALES_CRM, "车辆品牌、型号、颜色、购买日期", "-"), "002"),
        (Quote(Material.AFTERSALES_CRM, "维修时间、维修项目、更换零部件、维修费用", "-"), "002"),
    ],
)
def test_the_quotes_are_in_the_material_word_for_word(quote: Quote, seed: str) -> None:
    (document,) = SEEDS.glob(f"{seed}_*.txt")
    assert quote.text in document.read_text(encoding="utf-8")


def test_the_quotes_name_their_documents() -> None:
    assert FIRST_TIME_FIX.source is Material.CSI_COURSE
    assert FIRST_TIME_FIX.text == "高质量的维修服务(一次修复率)"
    assert MILEAGE_CLASS.source is Material.FOLLOW_UP_CALLS
    assert MILEAGE_CLASS.text == "行使里程分类/完成该里程的时间间隔"


def test_the_dealer_keeps_a_promise_when_the_car_is_delivered_by_the_promised_time() -> None:
    def promised(number: str, closed: int | None, promise: int | None) -> RepairOrder:
        """An order opened at 10:00 Beijing time on 2 March, closed and promised at hours."""
        order = _ro(number, date(2026, 3, 2), "maintenance")
        at = order.opened_at
        return order.model_copy(
            update={
                "closed_at": None if closed is None else at + timedelta(hours=closed),
                "promised_at": None if promise is None else at + timedelta(hours=promise),
            }
        )

    book = _book(
        promised("P1", 3, 4),  # delivered an hour early: kept
        promised("P2", 4, 4),  # delivered on the promised minute: kept
        promised("P3", 6, 4),  # two hours late
        promised("P4", None, 4),  # still in the workshop: no verdict yet
        promised("P5", 2, None),  # no promise made: not counted
    )
    dealers = features.dealer_features(book, as_of=date(2026, 3, 3))
    assert dealers["promised"].tolist() == [3, 0]
    assert dealers["on_time"].tolist() == [2, 0]
    assert dealers["on_time_rate"][0] == pytest.approx(2 / 3)
    assert np.isnan(dealers["on_time_rate"][1])  # D2 made no promise
