"""Master-data quality: the five principles' measures counted by hand on a small network."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import synthetic
from aftersales_crm.care import (
    CHECKS,
    CUSTOMER_FIELDS,
    FULL_VEHICLE_FIELDS,
    STALE_MONTHS,
    VEHICLE_FIELDS,
    DataPrinciple,
    MasterDataQuality,
    master_data_quality,
)
from aftersales_crm.errors import InvalidValue
from aftersales_crm.tables import Tables
from aftersales_crm.values import national_id

AS_OF = date(2026, 6, 30)
#: A national ID of someone born on 1 January 2027: valid today, impossible on AS_OF.
UNBORN = "11010520270101002" + national_id.calc_check_digit("11010520270101002")


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 2, tzinfo=UTC)  # 10:00 in Beijing


def _tables() -> Tables:
    return Tables.from_arrays(
        dealers={"id": ["D1", "D2"], "name": ["North", "South"]},
        customers={
            # C1 at D1 (its order); C2 at D2 (its latest order); C3, a fleet, at D2 (the
            # seller of its vehicle); C4 at no dealer.
            "id": ["C1", "C2", "C3", "C4"],
            "kind": ["individual", "individual", "fleet", "individual"],
            "name": ["王明", "李华", "顺风车队", "赵磊"],
            "national_id": ["11010519491231002X", None, None, UNBORN],
            "gender": ["female", "unknown", "unknown", "female"],
            "mobile": ["13800000001", "13800000001", "13900000002", None],
        },
        vehicles={
            # V1 sold by D1; V2 sold elsewhere, first seen at D2, colour and first visit
            # missing; V3 sold by D2, never visited; V4 sold elsewhere, a European VIN
            # with no check character, never seen by a dealer.
            "vin": [
                "LSVAU218XN2183294",
                "LFV2A21K9A4012345",
                "LSVAU2181N2183295",
                "WVWZZZ1JZXW000001",
            ],
            "model": ["Lavida", "Sagitar", "Lavida", "Golf"],
            "plate": ["京A12345", "京B12345", "京C12345", None],
            "colour": ["white", None, "black", "red"],
            "purchase_date": ["2024-01-01", "2023-05-01", "2025-01-01", None],
            "sold_here": [True, False, True, False],
            "selling_dealer_id": ["D1", None, "D2", None],
            "first_visit_date": ["2026-01-10", None, None, None],
            "first_visit_mileage": [12_000, None, None, None],
        },
        ownerships={
            "id": ["O1", "O2", "O3"],
            "customer_id": ["C1", "C2", "C3"],
            "vin": ["LSVAU218XN2183294", "LFV2A21K9A4012345", "LSVAU2181N2183295"],
            "start": ["2024-01-01", "2023-05-01", "2025-01-01"],
        },
        orders={
            "id": ["RO1", "RO2", "RO3", "RO4"],
            "dealer_id": ["D1", "D2", "D1", "D1"],
            "customer_id": ["C1", "C2", "C2", "C2"],
            "vin": ["LSVAU218XN2183294", "LFV2A21K9A4012345", None, None],
            "mileage": [12_000, 30_000, None, None],
            "opened_at": [at(2026, 1, 10), at(2026, 2, 1), at(2025, 1, 1), at(2026, 7, 1)],
        },
        lines={
            "order_id": ["RO1", "RO2", "RO3", "RO4"],
            "kind": ["maintenance"] * 4,
            "pay": ["customer"] * 4,
            "labour": [100] * 4,
            "parts": [0] * 4,
        },
        contacts={
            "id": ["K1", "K2", "K3", "K4", "K5"],
            "customer_id": ["C1", "C1", "C2", "C3", "C3"],
            "channel": ["phone", "phone", "sms", "phone", "phone"],
            "purpose": ["care"] * 5,
            # C1: reached 16 months ago, then a wrong number; C2: reached by SMS last
            # month; C3: no answer, and reached only after as_of.
            "outcome": ["reached", "wrong_number", "reached", "no_answer", "reached"],
            "at": [at(2025, 3, 1), at(2026, 5, 1), at(2026, 6, 1), at(2026, 6, 10), at(2026, 7, 2)],
        },
    )


TABLES = _tables()
QUALITY = master_data_quality(TABLES, as_of=AS_OF)


def figure_of(quality: MasterDataQuality, name: str) -> tuple[list[int], list[int]]:
    counts, totals, _ = quality.figure(name)
    return counts.tolist(), totals.tolist()


def figure(name: str) -> tuple[list[int], list[int]]:
    return figure_of(QUALITY, name)


def test_rows_are_the_dealers_then_the_records_no_dealer_has() -> None:
    # RO4 opens after as_of, so C2's latest order is RO2 at D2, not RO4 at D1.
    assert QUALITY.dealers.tolist() == ["D1", "D2", ""]


@pytest.mark.parametrize(
    ("name", "counts", "totals"),
    [
        # true: C4's ID is born after as_of; C1 and C2 share a mobile; V4 is unconfirmed.
        ("national_id_refused", [0, 0, 1], [1, 0, 1]),
        ("national_id_shared", [0, 0, 0], [1, 0, 1]),
        ("mobile_shared", [1, 1, 0], [1, 2, 0]),
        ("vin_unconfirmed", [0, 0, 1], [1, 2, 1]),
        # complete: gender over individuals (C2 unknown, C3 a fleet); mobile over all.
        ("customers.gender", [1, 0, 1], [1, 1, 1]),
        ("customers.mobile", [1, 2, 0], [1, 2, 1]),
        ("vehicles.colour", [1, 1, 1], [1, 2, 1]),
        ("vehicles.plate", [1, 2, 0], [1, 2, 1]),
        # the first visit over vehicles that visited: V1 (D1) and V2 (D2).
        ("vehicles.first_visit_date", [1, 0, 0], [1, 1, 0]),
        # accurate: C1's latest phone call hit a wrong number; C2 was only texted.
        ("wrong_number", [1, 0, 0], [1, 1, 0]),
        # timely: V2, sold elsewhere and visited, lacks its colour and first visit.
        ("incomplete_first_visit", [0, 1, 0], [0, 1, 0]),
        # updated: C1 reached 16 months ago, C3 not reached by as_of, C4 never.
        ("unconfirmed", [1, 1, 1], [1, 2, 1]),
    ],
)
def test_each_measure_per_dealer_is_the_one_counted_by_hand(
    name: str, counts: list[int], totals: list[int]
) -> None:
    assert figure(name) == (counts, totals)


def test_a_rate_without_a_total_is_nan() -> None:
    _, _, rates = QUALITY.figure("wrong_number")
    assert rates[:2].tolist() == [1.0, 0.0]
    assert math.isnan(rates[2])
    assert math.isnan(QUALITY.rates[0, [c.name for c in CHECKS].index("incomplete_first_visit")])


def test_a_longer_stale_period_confirms_a_contact_further_back() -> None:
    longer = master_data_quality(TABLES, as_of=AS_OF, stale_months=18)
    counts, _, _ = longer.figure("unconfirmed")
    assert counts.tolist() == [0, 1, 1]
    assert STALE_MONTHS == 12


def test_every_customer_and_vehicle_falls_in_exactly_one_row() -> None:
    assert sum(figure("customers.mobile")[1]) == len(TABLES.customers)
    assert sum(figure("vehicles.plate")[1]) == len(TABLES.vehicles)


def test_the_network_row_sums_the_dealers() -> None:
    whole = QUALITY.network()
    assert whole.dealers.tolist() == ["network"]
    assert np.array_equal(whole.counts[0], QUALITY.counts.sum(axis=0))
    assert whole.figure("mobile_shared")[0].tolist() == [2]


def test_every_principle_has_a_measure_and_its_line_of_the_material() -> None:
    assert {check.principle for check in CHECKS} == set(DataPrinciple)
    assert [p.label("zh") for p in DataPrinciple] == ["真实", "完整", "准确", "及时", "更新"]
    for principle in DataPrinciple:
        assert principle.quote.text.endswith(f"-- {principle.label('zh')}")
    completeness = [c.name for c in CHECKS if c.principle is DataPrinciple.COMPLETE]
    assert completeness == [
        *(f"customers.{f}" for f in CUSTOMER_FIELDS),
        *(f"vehicles.{f}" for f in VEHICLE_FIELDS),
    ]
    assert set(FULL_VEHICLE_FIELDS) <= set(VEHICLE_FIELDS)


def test_empty_tables_give_no_rows() -> None:
    empty = master_data_quality(Tables.from_arrays(), as_of=AS_OF)
    assert len(empty) == 0
    assert empty.counts.shape == (0, len(CHECKS))
    assert empty.network().counts.tolist() == [[0] * len(CHECKS)]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"stale_months": 0}, "stale_months is 0"),
        ({"stale_months": 1.5}, "stale_months is 1.5"),
        ({"as_of": "30/06/2026"}, "as_of is '30/06/2026'"),
        ({"time_zone": "Nowhere/City"}, "time_zone"),
    ],
)
def test_bad_arguments_are_refused_naming_them(options: dict[str, object], named: str) -> None:
    arguments: dict[str, object] = {"as_of": AS_OF, **options}
    with pytest.raises(InvalidValue, match=named):
        master_data_quality(TABLES, **arguments)  # type: ignore[arg-type]


def test_an_unknown_measure_is_refused_with_a_suggestion() -> None:
    with pytest.raises(
        InvalidValue, match="no measure 'wrong_numbers'; did you mean 'wrong_number'"
    ):
        QUALITY.figure("wrong_numbers")


def test_the_report_quotes_each_principle_and_shows_counts() -> None:
    text = QUALITY.report()
    for principle in DataPrinciple:
        assert str(principle.quote) in text
    line = next(row for row in text.splitlines() if "wrong number" in row)
    assert line.split()[-8:] == ["100%", "(1/1)", "0%", "(0/1)", "–", "(0/0)", "50%", "(1/2)"]
    assert "近期未曾联系上" in QUALITY.report("zh")


def test_to_pandas_is_long_one_row_per_dealer_and_measure() -> None:
    pytest.importorskip("pandas")
    frame = QUALITY.to_pandas()
    assert len(frame) == 3 * len(CHECKS)
    row = frame[(frame["dealer"] == "D1") & (frame["measure"] == "wrong_number")].iloc[0]
    assert (row["count"], row["total"], row["rate"], row["principle"]) == (1, 1, 1.0, "accurate")


def test_a_book_gives_the_same_quality_as_its_tables() -> None:
    book = synthetic.book(40, seed=6)
    a: MasterDataQuality = master_data_quality(book, as_of="2026-06-30")
    b = master_data_quality(Tables.from_book(book), as_of="2026-06-30")
    assert np.array_equal(a.counts, b.counts)
    assert np.array_equal(a.totals, b.totals)


# A seed draws a whole synthetic Book (the costly part, and nothing hypothesis can shrink):
# 20 Books, as the other properties over synthetic Books draw 15 to 30.
@settings(max_examples=20)
@given(seed=st.integers(0, 2**16), day=st.dates(date(2025, 1, 1), date(2026, 6, 30)))
def test_counts_never_exceed_totals_and_each_record_counts_once(seed: int, day: date) -> None:
    book = synthetic.book(20, seed=seed)
    quality = master_data_quality(book, as_of=day)
    assert bool((quality.counts <= quality.totals).all())
    totals = {check.name: int(quality.totals[:, j].sum()) for j, check in enumerate(CHECKS)}
    assert totals["customers.mobile"] == len(book.customers)
    assert totals["unconfirmed"] == len(book.customers)
    assert totals["vin_unconfirmed"] == len(book.vehicles)


def test_records_without_orders_or_ownerships_fall_in_the_row_without_a_dealer() -> None:
    tables = Tables.from_arrays(
        dealers={"id": ["D1"], "name": ["North"]},
        customers={"id": ["C1"], "name": ["王明"]},
        vehicles={"vin": ["LSVAU218XN2183294"], "model": ["Lavida"], "sold_here": [False]},
    )
    quality = master_data_quality(tables, as_of=AS_OF)
    assert quality.dealers.tolist() == ["D1", ""]
    assert figure_of(quality, "customers.mobile") == ([0, 0], [0, 1])
    assert figure_of(quality, "vehicles.plate") == ([0, 0], [0, 1])
    assert figure_of(quality, "incomplete_first_visit") == ([0, 0], [0, 0])  # never visited


def test_the_brief_report_names_the_measures_without_a_finding_and_shows_the_others() -> None:
    text = QUALITY.report(brief=True)
    lines = text.splitlines()
    # National IDs are shared by no one: named, not shown; the other problems are shown.
    assert "  none found: national ID another customer also has" in lines
    assert not any(line.startswith("  national ID another customer also has ") for line in lines)
    shown = [line.split("  ")[1] for line in lines if "%" in line]
    assert "national ID refused on the day" in shown
    # A problem found in every record it counts (the one vehicle sold elsewhere) is shown.
    assert "not full after the first visit" in shown
    # Fields filled nowhere are named (wrapped); fields filled somewhere keep their figures.
    named = text.split("given for no record: ")[1].split("\n准确")[0]
    assert " ".join(named.split()).split(", ") == [
        "customer occupation",
        "customer birthday",
        "customer home address",
        "customer home postcode",
        "customer work address",
        "customer work postcode",
        "customer home phone",
        "customer office phone",
        "customer email",
        "customer fax",
        "vehicle brand",
        "vehicle body type",
    ]
    assert "customer gender given" in shown
    assert "given for every record" not in text
    assert all(len(line) <= 100 for line in lines if "given for" in line or line.startswith("    "))
    # 13 measures named instead of shown, on 1 line (none found) and 3 (given for no record).
    assert len(lines) == len(QUALITY.report().splitlines()) - 13 + 1 + 3
    assert "《" not in text  # the principles' quotes are in the full report


def test_the_brief_report_in_chinese_names_fields_without_their_suffix() -> None:
    text = QUALITY.report("zh", brief=True)
    assert "  均未发现: 身份证号与他人重复" in text.splitlines()
    assert "均未填写: 客户职业、客户生日、" in text
