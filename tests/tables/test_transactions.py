"""A plain transaction log as tables: exact features, every mistake named (CDNOW, the golden case, is in tests/clv)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm import features
from aftersales_crm.errors import (
    FloatMoneyError,
    InvalidType,
    InvalidValue,
    TableValidationError,
)
from aftersales_crm.records import Book, RepairOrder
from aftersales_crm.tables import Tables

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

UTC = dt.UTC
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.date(1997, 9, 30)

#: Three purchases by two customers, with what the features must be on AS_OF.
THREE_ROWS: dict[str, list[Any]] = {
    "cust": ["A", "A", "B"],
    "day": [dt.date(1997, 1, 1), dt.date(1997, 1, 18), dt.date(1997, 3, 5)],
    "usd": ["29.33", Decimal("12"), "5.50"],
}


def _log(log: dict[str, Any], **extra: Any) -> Tables:
    return Tables.from_transactions(
        log, customer="cust", at="day", amount="usd", currency="USD", **extra
    )


def _rejected(log: dict[str, Any], **extra: Any) -> list[tuple[int, str, str]]:
    with pytest.raises(TableValidationError) as info:
        _log(log, **extra)
    assert info.value.table == "transactions"
    return [(p.row, p.column, p.code) for p in info.value.problems]


# -- hand-computed ----------------------------------------------------------------------------


def test_a_three_row_log_gives_the_hand_computed_features() -> None:
    feats = features.compute(_log(THREE_ROWS), as_of=AS_OF)
    assert feats.ids.tolist() == ["A", "B"]
    assert feats["visits"].tolist() == [2, 1]
    assert feats["frequency"].tolist() == [1, 0]
    assert feats["spend_fen"].tolist() == [2933 + 1200, 550]
    assert feats["first_visit"].tolist() == [dt.date(1997, 1, 1), dt.date(1997, 3, 5)]
    assert feats["last_visit"].tolist() == [dt.date(1997, 1, 18), dt.date(1997, 3, 5)]
    assert feats["span_days"].tolist() == [17, 0]
    assert feats["tenure_days"].tolist() == [272, 209]  # 1997-01-01 and 1997-03-05 to 09-30
    assert feats["recency_days"].tolist() == [255, 209]
    assert feats.currency == "USD"


def test_each_row_is_one_order_with_one_line_and_no_vehicle() -> None:
    tables = _log(THREE_ROWS)
    assert len(tables.orders) == len(tables.lines) == 3
    assert tables.to_arrays()["orders"]["id"].tolist() == ["T0", "T1", "T2"]
    assert tables.orders["vehicle"].tolist() == [-1, -1, -1]
    assert tables.orders["mileage"].tolist() == [-1, -1, -1]
    assert len(tables.vehicles) == 0
    lines = tables.to_arrays()["lines"]
    assert lines["kind"].tolist() == ["parts_sale"] * 3
    assert lines["pay"].tolist() == ["customer"] * 3
    assert lines["labour"].tolist() == [0, 0, 0]
    assert lines["parts"].tolist() == [2933, 1200, 550]


def test_two_purchases_on_one_day_are_two_orders_on_one_visit_day() -> None:
    log = {"cust": ["A", "A"], "day": ["1997-01-01", "19970101"], "usd": [100, 250]}
    feats = features.compute(_log(log), as_of=AS_OF)
    assert (feats["visits"][0], feats["visit_days"][0], feats["frequency"][0]) == (2, 1, 0)
    assert feats["spend_fen"][0] == 350  # integers are minor units


def test_the_placeholder_dealer_is_one_and_documented() -> None:
    tables = _log(THREE_ROWS)
    assert tables.dealers["id"].tolist() == ["LOG"]
    assert tables.orders["dealer"].tolist() == [0, 0, 0]


def test_mapped_optional_columns_are_used() -> None:
    log = dict(
        THREE_ROWS,
        ro=["R1", "R2", "R3"],
        dlr=["D1", "D2", "D1"],
        kind=["maintenance", "minor_repair", "accessories"],
        paid=["customer", "warranty", "customer"],
        vin=["LSVAU218XN2183294", "LSVAU218XN2183294", None],
        km=[1200, 5400, None],
    )
    tables = _log(
        log, order="ro", dealer="dlr", service_kind="kind", pay="paid", vin="vin", mileage="km"
    )
    out = tables.to_arrays()
    assert out["orders"]["id"].tolist() == ["R1", "R2", "R3"]
    assert out["orders"]["dealer_id"].tolist() == ["D1", "D2", "D1"]
    assert out["orders"]["vin"].tolist() == ["LSVAU218XN2183294", "LSVAU218XN2183294", None]
    assert out["orders"]["mileage"].tolist() == [1200, 5400, None]
    assert out["lines"]["kind"].tolist() == ["maintenance", "minor_repair", "accessories"]
    assert out["lines"]["pay"].tolist() == ["customer", "warranty", "customer"]
    assert tables.dealers["id"].tolist() == ["D1", "D2"]
    assert tables.vehicles["vin"].tolist() == ["LSVAU218XN2183294"]


def test_dates_become_noon_in_the_time_zone_and_come_back_as_the_same_day() -> None:
    tables = _log(THREE_ROWS, time_zone="America/New_York")
    assert str(tables.orders["opened_at"][0]) == "1997-01-01T17:00:00.000000"  # noon EST
    feats = features.compute(tables, as_of=AS_OF, time_zone="America/New_York")
    assert feats["first_visit"].tolist()[0] == dt.date(1997, 1, 1)


def test_aware_instants_pass_as_they_are() -> None:
    at = [dt.datetime(1997, 1, 1, 9, tzinfo=SHANGHAI)] * 3
    tables = _log(dict(THREE_ROWS, day=at))
    assert str(tables.orders["opened_at"][0]) == "1997-01-01T01:00:00.000000"


@pytest.mark.parametrize(
    "frame",
    [
        # pandas, with integer customer ids and decimal text
        pd.DataFrame({"cust": [7, 7, 8], "day": THREE_ROWS["day"], "usd": ["29.33", "12", "5.5"]}),
        # Arrow, with date32 and integer cents
        pa.table({"cust": [7, 7, 8], "day": THREE_ROWS["day"], "usd": [2933, 1200, 550]}),
        # a numpy structured array
        np.array(
            [(7, "1997-01-01", 2933), (7, "1997-01-18", 1200), (8, "1997-03-05", 550)],
            dtype=[("cust", "i8"), ("day", "datetime64[D]"), ("usd", "i8")],
        ),
    ],
    ids=["pandas", "arrow", "numpy"],
)
def test_pandas_arrow_and_numpy_logs_give_the_same_tables(frame: Any) -> None:
    tables = Tables.from_transactions(
        frame, customer="cust", at="day", amount="usd", currency="USD"
    )
    assert tables.customers["id"].tolist() == ["7", "8"]  # integer ids as their text
    assert tables.lines["parts_fen"].tolist() == [2933, 1200, 550]
    expected = _log(dict(THREE_ROWS, cust=["7", "7", "8"]))
    assert tables == expected


def test_an_empty_log_gives_empty_tables() -> None:
    tables = _log({"cust": [], "day": [], "usd": []})
    assert (len(tables.customers), len(tables.orders), len(tables.lines)) == (0, 0, 0)


def test_the_caller_s_log_is_not_changed() -> None:
    log = {k: list(v) for k, v in THREE_ROWS.items()}
    _log(log)
    assert log == THREE_ROWS


# -- mistakes ---------------------------------------------------------------------------------


def test_a_missing_mapped_column_names_every_one_missing() -> None:
    with pytest.raises(
        InvalidValue, match=r"customer='customer' \(did you mean 'cust'\?\), at='date'"
    ):
        Tables.from_transactions(
            THREE_ROWS, customer="customer", at="date", amount="usd", currency="USD"
        )


def test_a_mapping_that_is_not_a_column_name_is_refused() -> None:
    with pytest.raises(InvalidType, match="customer is 3"):
        Tables.from_transactions(THREE_ROWS, customer=3, at="day", amount="usd", currency="USD")  # type: ignore[arg-type]


def test_a_log_of_another_type_is_refused() -> None:
    with pytest.raises(InvalidType, match="expected a mapping of columns"):
        Tables.from_transactions(
            [("A", "1997-01-01", 1)], customer="cust", at="day", amount="usd", currency="USD"
        )


@pytest.mark.parametrize(
    "usd",
    [
        np.array([29.33, 12.0, 5.5]),  # a float column
        ["29.33", 12.0, "5.5"],  # one float among text
        pd.Series([29.33, 12.0, 5.5]),  # through pandas
    ],
)
def test_float_amounts_are_refused(usd: Any) -> None:
    with pytest.raises(FloatMoneyError, match="column 'usd' holds floats"):
        _log(dict(THREE_ROWS, usd=usd))


def test_naive_instants_are_row_problems_in_the_log_s_terms() -> None:
    naive = dt.datetime(1997, 1, 1, 9)  # noqa: DTZ001 - the mistake under test
    assert _rejected(dict(THREE_ROWS, day=[naive, naive, dt.date(1997, 1, 1)])) == [
        (0, "day", "naive_instant"),
        (1, "day", "naive_instant"),
    ]


def test_a_naive_pandas_column_is_refused_with_the_fix() -> None:
    frame = pd.DataFrame(THREE_ROWS)
    frame["day"] = pd.to_datetime(frame["day"])
    with pytest.raises(InvalidValue, match=r"column 'day' holds naive datetimes.*tz_localize"):
        Tables.from_transactions(frame, customer="cust", at="day", amount="usd", currency="USD")


def test_a_naive_arrow_column_is_refused() -> None:
    table = pa.table({"cust": ["A"], "day": pa.array([dt.datetime(1997, 1, 1)]), "usd": [1]})  # noqa: DTZ001
    with pytest.raises(InvalidValue, match="column 'day' holds naive datetimes"):
        Tables.from_transactions(table, customer="cust", at="day", amount="usd", currency="USD")


def test_amount_problems_name_the_row_and_rule() -> None:
    log = dict(THREE_ROWS, usd=["1.234", "ten", Decimal("NaN")])
    assert _rejected(log) == [
        (0, "usd", "amount_precision"),
        (1, "usd", "invalid_amount"),
        (2, "usd", "invalid_amount"),
    ]


def test_integers_among_decimals_are_refused_as_mixed_units() -> None:
    assert _rejected(dict(THREE_ROWS, usd=["1.00", 200, "3"])) == [(1, "usd", "mixed_units")]


def test_negative_amounts_and_missing_customers_are_row_problems() -> None:
    assert _rejected(dict(THREE_ROWS, usd=[100, -5, 7])) == [(1, "usd", "negative_money")]
    assert _rejected(dict(THREE_ROWS, cust=["A", None, "B"])) == [(1, "cust", "missing_value")]


def test_an_id_with_spaces_is_reported_at_its_first_row() -> None:
    problems = _rejected(dict(THREE_ROWS, cust=["A", "B", "C 1"]))
    assert problems == [(2, "cust", "id_format")]


def test_vin_needs_mileage() -> None:
    with pytest.raises(InvalidValue, match="vin and mileage go together"):
        _log(dict(THREE_ROWS, v=["LSVAU218XN2183294"] * 3), vin="v")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue, match="time_zone is 'Mars/Olympus'"):
        _log(THREE_ROWS, time_zone="Mars/Olympus")


# -- orders without a vehicle ---------------------------------------------------------------


def test_orders_without_a_vehicle_count_for_customers_and_not_for_vehicles() -> None:
    log = dict(
        THREE_ROWS,
        kind=["maintenance"] * 3,
        vin=["LSVAU218XN2183294", None, None],
        km=[1000, None, None],
    )
    feats = features.compute(_log(log, service_kind="kind", vin="vin", mileage="km"), as_of=AS_OF)
    assert feats["visits"].tolist() == [2, 1]
    assert feats["spend_fen"].tolist() == [4133, 550]
    assert feats.vehicles is not None
    assert feats.vehicles["visits"].tolist() == [1]
    assert feats.vehicles["last_visit"].tolist() == [dt.date(1997, 1, 1)]


def test_a_log_without_vehicles_has_complete_customer_features_and_empty_vehicle_features() -> None:
    feats = features.compute(_log(THREE_ROWS), as_of=AS_OF)
    assert feats.vehicles is not None
    assert len(feats.vehicles) == 0
    for name in feats:
        assert len(feats[name]) == 2
    profile = features.profile(_log(THREE_ROWS), "A", as_of=AS_OF)
    assert profile["spend_fen"].tolist() == [4133]


def test_an_order_without_a_vehicle_is_a_record_and_back() -> None:
    tables = _log(THREE_ROWS)
    records = tables.to_records()
    orders = [r for r in records if isinstance(r, RepairOrder)]
    assert [o.vin for o in orders] == [None, None, None]
    assert [o.mileage for o in orders] == [None, None, None]
    assert Tables.from_book(Book.from_records(records)) == tables


def test_a_record_with_a_vehicle_needs_its_mileage_and_without_one_has_none() -> None:
    order = _log(THREE_ROWS).to_records()[-1]
    assert isinstance(order, RepairOrder)
    with pytest.raises(ValueError, match="no mileage"):
        RepairOrder.model_validate(order.model_dump() | {"vin": "LSVAU218XN2183294"})
    with pytest.raises(ValueError, match="has a mileage but no vehicle"):
        RepairOrder.model_validate(order.model_dump() | {"mileage": 10})


# -- a property -------------------------------------------------------------------------------

_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.dates(dt.date(1996, 1, 1), dt.date(1997, 9, 30)),
        st.integers(0, 10**9),
    ),
    max_size=40,
)


@given(_rows)
def test_frequency_and_spend_equal_a_plain_python_groupby(
    rows: list[tuple[str, dt.date, int]],
) -> None:
    log = {
        "cust": [c for c, _, _ in rows],
        "day": [d for _, d, _ in rows],
        "usd": [a for _, _, a in rows],
    }
    feats = features.compute(_log(log), as_of=AS_OF, threads=1)
    days: dict[str, set[dt.date]] = defaultdict(set)
    spend: dict[str, int] = defaultdict(int)
    visits: dict[str, int] = defaultdict(int)
    for c, d, a in rows:
        days[c].add(d)
        spend[c] += a
        visits[c] += 1
    ids = list(dict.fromkeys(c for c, _, _ in rows))
    assert feats.ids.tolist() == ids
    assert feats["frequency"].tolist() == [len(days[c]) - 1 for c in ids]
    assert feats["spend_fen"].tolist() == [spend[c] for c in ids]
    assert feats["visits"].tolist() == [visits[c] for c in ids]
    assert feats["span_days"].tolist() == [(max(days[c]) - min(days[c])).days for c in ids]


def test_an_orders_table_pairs_vin_and_mileage_row_by_row() -> None:
    log = dict(
        THREE_ROWS,
        vin=["LSVAU218XN2183294", None, "LSVAU218XN2183294"],
        km=[1000, 2000, None],
    )
    assert _rejected(log, vin="vin", mileage="km") == [
        (1, "vin", "mileage_without_vehicle"),
        (2, "km", "missing_value"),
    ]


def test_a_bad_mileage_is_reported_once() -> None:
    log = dict(THREE_ROWS, vin=["LSVAU218XN2183294"] * 3, km=[1000, "far", 3000])
    assert _rejected(log, vin="vin", mileage="km") == [(1, "km", "wrong_type")]


def test_amounts_are_exact_under_a_callers_low_precision_decimal_context() -> None:
    # Decimal.scaleb rounds to the thread's precision: 29.33 dollars would become 2,930 cents.
    with decimal.localcontext(decimal.Context(prec=3)):
        tables = _log(THREE_ROWS)
    assert tables.lines["parts_fen"].tolist() == [2933, 1200, 550]
