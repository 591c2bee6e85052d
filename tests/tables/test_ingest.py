"""Checking on the way in: each rule names the bad row, the column and the rule; none is dropped."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import FloatMoneyError, InvalidValue, RowProblem, TableValidationError
from aftersales_crm.tables import SCHEMAS, Tables

#: Outside columns by table (values typed loosely: tests spoil them).
Arrays = dict[str, Any]
Found = tuple[int, str, str]

VIN_1, VIN_2, VIN_3 = "LSVAU218XN2183294", "LSVAU2181N2183295", "LVGBC1235P0000001"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NAIVE = dt.datetime(2024, 1, 1, 8)  # noqa: DTZ001 - the mistake under test


def _rejected(arrays: Arrays) -> TableValidationError:
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(**arrays)
    return info.value


def _found(error: TableValidationError, table: str | None = None) -> list[Found]:
    """The problems (of one table, if named) as (row, column, code)."""
    return [(p.row, p.column, p.code) for p in error.problems if table in (None, p.table)]


def _days(*values: str) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[D]")


def _instants(*values: str, unit: str = "us") -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype=f"datetime64[{unit}]")


# table, column, the spoilt column, the problems expected in that table
ROW_RULES: list[tuple[str, str, Any, list[Found]]] = [
    # an enum value that does not exist
    (
        "lines",
        "kind",
        ["maintenance", "repairs", "minor_repair", "maintenance"],
        [(1, "kind", "unknown_code")],
    ),
    # enum positions: 99 is past the end, -2 before the start, -1 is none and kind is required
    (
        "lines",
        "kind",
        np.array([0, 99, -2, -1]),
        [(1, "kind", "unknown_code"), (2, "kind", "unknown_code"), (3, "kind", "missing_value")],
    ),
    # an enum member itself is fine; a number in an object column is not a value
    ("lines", "pay", ["customer", "warranty", 3, "customer"], [(2, "pay", "unknown_code")]),
    # negative money
    ("lines", "labour", np.array([18_000, -5, 0, 100]), [(1, "labour", "negative_money")]),
    # a day that does not exist
    (
        "vehicles",
        "purchase_date",
        ["2022-05-20", None, "2023-02-30"],
        [(2, "purchase_date", "invalid_date")],
    ),
    # a date with a time of day
    (
        "vehicles",
        "purchase_date",
        _instants("2022-05-20T10:00", "NaT", "2024-02-29", unit="s"),
        [(0, "purchase_date", "date_has_time")],
    ),
    # a datetime where a date belongs, and a number
    (
        "vehicles",
        "purchase_date",
        [dt.datetime(2022, 5, 20, tzinfo=dt.UTC), 7, dt.date(2024, 2, 29)],
        [(0, "purchase_date", "wrong_type"), (1, "purchase_date", "wrong_type")],
    ),
    # a naive datetime is refused; aware ones and ISO texts with an offset are fine
    (
        "consents",
        "at",
        [NAIVE, dt.datetime(2024, 3, 1, tzinfo=dt.UTC), "2024-03-02T00:00:00+08:00"],
        [(0, "at", "naive_instant")],
    ),
    # a naive datetime among aware ones, with no text or number in the column
    (
        "consents",
        "at",
        [dt.datetime(2024, 3, 1, tzinfo=dt.UTC), NAIVE, dt.datetime(2024, 3, 2, tzinfo=SHANGHAI)],
        [(1, "at", "naive_instant")],
    ),
    # text that is not ISO 8601, and a number
    (
        "consents",
        "at",
        ["2024-01-01T08:00:00Z", "yesterday", 1_700_000_000],
        [(1, "at", "invalid_instant"), (2, "at", "wrong_type")],
    ),
    # nanoseconds do not fit an instant to the microsecond
    (
        "consents",
        "at",
        _instants("2024-01-01T08", "2024-03-01T08:00:00.000000001", "2024-03-02", unit="ns"),
        [(1, "at", "instant_precision")],
    ),
    # a reference to nothing
    ("orders", "customer_id", ["C1", "C9", "C2"], [(1, "customer_id", "dangling_reference")]),
    # a repeated id is reported at the repeat
    ("customers", "id", ["C1", "C2", "C1"], [(2, "id", "duplicate_id")]),
    # an id with white space, and an empty numpy text id (numpy text has no None)
    (
        "customers",
        "id",
        np.array(["C 1", "C2", ""]),
        [(0, "id", "id_format"), (2, "id", "missing_value")],
    ),
    # a VIN with a wrong check digit
    ("vehicles", "vin", ["LSVAU2180N2183294", VIN_2, VIN_3], [(0, "vin", "vin_checksum")]),
    # a national ID with a wrong check character
    (
        "customers",
        "national_id",
        ["110105194912310021", None, None],
        [(0, "national_id", "national_id_checksum")],
    ),
    # a phone number without an area code
    ("customers", "mobile", ["12345", None, None], [(0, "mobile", "phone_invalid")]),
    # a plate, a postcode and an e-mail address that are not one
    ("vehicles", "plate", ["XX", None, None], [(0, "plate", "plate_format")]),
    ("customers", "home_postcode", ["1000", None, None], [(0, "home_postcode", "postcode_format")]),
    ("customers", "email", ["wang.fang", None, None], [(0, "email", "email_format")]),
    # an advisor is a staff id: no white space
    ("orders", "advisor", ["SA 1", None, None], [(0, "advisor", "id_format")]),
    # text too long (500 for a customer's, 200 for a vehicle's), and empty text
    (
        "customers",
        "name",
        ["王" * 501, "大众", ""],
        [(0, "name", "text_length"), (2, "name", "text_length")],
    ),
    ("vehicles", "colour", ["白" * 201, None, None], [(0, "colour", "text_length")]),
    ("vehicles", "model", ["L" * 201, "Passat", "Lavida"], [(0, "model", "text_length")]),
    ("lines", "description", ["换" * 201, None, None, None], [(0, "description", "text_length")]),
    # wrong types
    ("customers", "name", [5, "大众", "李华"], [(0, "name", "wrong_type")]),
    ("vehicles", "sold_here", ["yes", True, np.True_], [(0, "sold_here", "wrong_type")]),
    ("orders", "mileage", ["abc", 1, 2], [(0, "mileage", "wrong_type")]),
    ("dealers", "location.lat", [39.9, "x"], [(1, "location.lat", "wrong_type")]),
    (
        "customers",
        "hobbies",
        ["自驾", [1], None],
        [(0, "hobbies", "wrong_type"), (1, "hobbies", "wrong_type")],
    ),
    ("orders", "customer_id", ["C1", 1, "C2"], [(1, "customer_id", "wrong_type")]),
    # a hobby too long or empty
    (
        "customers",
        "hobbies",
        [("自驾", "摄" * 501), ("",), ()],
        [(0, "hobbies", "text_length"), (1, "hobbies", "text_length")],
    ),
    # whole numbers only, never negative
    ("orders", "mileage", np.array([1.5, 2.0, 3.0]), [(0, "mileage", "not_integer")]),
    ("orders", "mileage", np.array([-1, 1, 2]), [(0, "mileage", "negative")]),
    ("vehicles", "first_visit_mileage", [-3, None, 15], [(0, "first_visit_mileage", "negative")]),
    # latitudes within ±90, no infinities
    (
        "customers",
        "home_location.lat",
        np.array([91.0, np.nan, -np.inf]),
        [(0, "home_location.lat", "out_of_range"), (2, "home_location.lat", "out_of_range")],
    ),
    # a required value left empty, in each kind of column
    ("customers", "name", [None, "大众", "李华"], [(0, "name", "missing_value")]),
    ("customers", "name", np.array(["", "大众", "李华"]), [(0, "name", "missing_value")]),
    ("customers", "id", [None, "C2", "C3"], [(0, "id", "missing_value")]),
    ("orders", "customer_id", [None, "C1", "C2"], [(0, "customer_id", "missing_value")]),
    ("orders", "customer_id", np.array(["", "C1", "C2"]), [(0, "customer_id", "missing_value")]),
    (
        "orders",
        "opened_at",
        _instants("NaT", "2022-06-08", "2024-02-29"),
        [(0, "opened_at", "missing_value")],
    ),
    (
        "orders",
        "opened_at",
        [None, "2022-06-08T00:00Z", "2024-02-29T00:00Z"],
        [(0, "opened_at", "missing_value")],
    ),
    ("orders", "mileage", [None, 1, 2], [(0, "mileage", "missing_value")]),
    ("orders", "mileage", np.array([np.nan, 1, 2]), [(0, "mileage", "missing_value")]),
    ("ownerships", "start", [None, "2024-02-29"], [(0, "start", "missing_value")]),
    ("ownerships", "start", _days("NaT", "2024-02-29"), [(0, "start", "missing_value")]),
    (
        "lines",
        "kind",
        [None, "maintenance", "maintenance", "maintenance"],
        [(0, "kind", "missing_value")],
    ),
    ("lines", "labour", [None, 1, 1, 1], [(0, "labour", "missing_value")]),
    ("vehicles", "sold_here", [None, True, False], [(0, "sold_here", "missing_value")]),
    # rules across the columns of a row
    (
        "orders",
        "closed_at",
        _instants("2022-05-01", "NaT", "2024-03-01"),
        [(0, "closed_at", "before_opened")],
    ),
    (
        "orders",
        "promised_at",
        _instants("2022-06-01", "NaT", "2024-02-29T23:59:59.999998"),
        [(0, "promised_at", "before_opened"), (2, "promised_at", "before_opened")],
    ),
    ("orders", "comeback_of", [None, "RO2", None], [(1, "comeback_of", "comeback_of_itself")]),
    (
        "ownerships",
        "end",
        _days("2022-05-20", "2024-02-28"),
        [(0, "end", "ends_before_start"), (1, "end", "ends_before_start")],
    ),
    (
        "vehicles",
        "first_visit_date",
        _days("2022-05-19", "NaT", "NaT"),
        [(0, "first_visit_date", "before_purchase")],
    ),
    (
        "dealers",
        "location.lon",
        np.array([np.nan, np.nan]),
        [(0, "location.lat", "partial_location")],
    ),
    (
        "customers",
        "home_location.lat",
        np.array([np.nan, np.nan, 31.2]),
        [(0, "home_location.lat", "partial_location")],
    ),
    # the national ID says the birthday and the gender
    (
        "customers",
        "birthday",
        _days("1950-01-01", "NaT", "NaT"),
        [(0, "birthday", "national_id_birthday")],
    ),
    ("customers", "gender", ["male", "unknown", "male"], [(0, "gender", "national_id_gender")]),
    # closing a complaint carries a verdict, and nothing else does
    (
        "complaint_updates",
        "verdict",
        [None, None, "neutral"],
        [(1, "verdict", "verdict_missing"), (2, "verdict", "verdict_not_closing")],
    ),
    # a referral is delivered after it was made
    (
        "referrals",
        "delivered_on",
        _days("2022-12-31", "NaT"),
        [(0, "delivered_on", "delivered_before_referral")],
    ),
]


@pytest.mark.parametrize(
    ("table", "column", "values", "expected"),
    ROW_RULES,
    ids=[f"{t}.{c}:{e[0][2]}" for t, c, _, e in ROW_RULES],
)
def test_each_rule_names_the_bad_rows_column_and_code(
    arrays: Arrays, table: str, column: str, values: Any, expected: list[Found]
) -> None:
    arrays[table][column] = values
    error = _rejected(arrays)
    assert error.table == table
    assert _found(error, table) == expected
    assert all(p.message and p.table for p in error.problems)


def test_a_duplicate_id_names_the_row_it_repeats(arrays: Arrays) -> None:
    arrays["customers"]["id"] = np.array(["C1", "C2", "C1"])
    error = _rejected(arrays)
    assert error.problems[0] == RowProblem(
        2, "id", "duplicate_id", "id C1 repeats row 0", "customers"
    )
    # C3 is gone, so the references to it are reported too, in their own tables
    assert {p.code for p in error.problems[1:]} == {"dangling_reference"}


def test_a_row_problem_message_names_the_value_and_the_rule(arrays: Arrays) -> None:
    arrays["lines"]["labour"] = np.array([18_000, -5, 0, 100])
    error = _rejected(arrays)
    assert error.problems == (
        RowProblem(1, "labour", "negative_money", "labour is -5, must be >= 0", "lines"),
    )
    assert "row 1, column 'labour' [negative_money]" in str(error)


def test_an_identifier_problem_carries_the_identifier_rules_code(arrays: Arrays) -> None:
    arrays["vehicles"]["vin"] = ["LSVAU2180N2183294", VIN_2, VIN_3]
    error = _rejected(arrays)
    problem = error.problems[0]
    assert (problem.table, problem.code) == ("vehicles", "vin_checksum")
    assert "LSVAU2180N2183294" in problem.message


def test_a_reference_to_an_id_that_broke_its_rule_is_not_reported_again(arrays: Arrays) -> None:
    bad_vin = "LSVAU2180N2183294"  # a wrong check digit
    arrays["vehicles"]["vin"] = [bad_vin, VIN_2, VIN_3]
    for table in ("ownerships", "orders", "contacts"):
        vins = list(arrays[table]["vin"])
        arrays[table]["vin"] = [bad_vin if v == VIN_1 else v for v in vins]
    assert _found(_rejected(arrays)) == [(0, "vin", "vin_checksum")]


def test_an_order_without_lines_is_reported_on_the_orders(arrays: Arrays) -> None:
    arrays["lines"]["order_id"] = ["RO1", "RO1", "RO1", "RO3"]
    error = _rejected(arrays)
    assert error.table == "orders"
    assert error.problems == (
        RowProblem(
            1,
            "id",
            "order_without_lines",
            "order RO2 has no lines; an order has at least one",
            "orders",
        ),
    )


def test_orders_without_any_lines_table_are_all_reported(arrays: Arrays) -> None:
    del arrays["lines"]
    error = _rejected(arrays)
    assert error.table == "orders"
    assert _found(error) == [
        (0, "id", "order_without_lines"),
        (1, "id", "order_without_lines"),
        (2, "id", "order_without_lines"),
    ]


def test_bad_lines_are_reported_with_the_orders_they_leave_bare(arrays: Arrays) -> None:
    arrays["lines"]["order_id"] = ["RO1", "RO1", "RO1", "RO1"]
    arrays["lines"]["labour"] = np.array([1, 1, -1, 1])
    error = _rejected(arrays)
    assert error.tables == ("orders", "lines")
    assert _found(error, "lines") == [(2, "labour", "negative_money")]
    assert _found(error, "orders") == [
        (1, "id", "order_without_lines"),
        (2, "id", "order_without_lines"),
    ]


def test_every_bad_row_of_a_table_is_reported_at_once_in_row_order(arrays: Arrays) -> None:
    orders = arrays["orders"]
    orders["customer_id"] = ["C9", "C1", None]
    orders["mileage"] = np.array([1, -1, 2])
    orders["closed_at"] = _instants("2022-05-01", "NaT", "NaT")
    orders["advisor"] = ["SA1", "S A", None]
    error = _rejected(arrays)
    assert _found(error) == [
        (0, "customer_id", "dangling_reference"),
        (0, "closed_at", "before_opened"),
        (1, "advisor", "id_format"),
        (1, "mileage", "negative"),
        (2, "customer_id", "missing_value"),
    ]
    assert str(error).startswith("orders: 5 problems in 3 rows")


def test_the_problems_cover_exactly_the_bad_rows_of_a_large_table() -> None:
    n = 1_000
    bad = np.arange(3, n, 7)
    labour = np.arange(n, dtype=np.int64)
    labour[bad] = -1
    lines = {
        "order_id": np.full(n, "RO1"),
        "kind": np.zeros(n, dtype=np.int8),
        "pay": np.zeros(n, dtype=np.int8),
        "labour": labour,
        "parts": np.zeros(n, dtype=np.int64),
    }
    orders = {
        "id": ["RO1"],
        "dealer_id": ["D1"],
        "vin": [VIN_1],
        "customer_id": ["C1"],
        "opened_at": _instants("2024-01-01"),
        "mileage": [10],
    }
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(
            dealers={"id": ["D1"], "name": ["北京1号4S店"]},
            customers={"id": ["C1"], "name": ["王芳"]},
            vehicles={"vin": [VIN_1], "model": ["Lavida"]},
            orders=orders,
            lines=lines,
        )
    assert [p.row for p in info.value.problems] == bad.tolist()
    assert "… and" in str(info.value)


def test_every_table_with_problems_is_reported_in_one_error(arrays: Arrays) -> None:
    arrays["vehicles"]["vin"] = ["LSVAU2180N2183294", VIN_2, VIN_3]
    arrays["lines"]["labour"] = np.array([-1, 0, 0, 0])
    arrays["customers"]["name"] = [None, "大众", "李华"]
    error = _rejected(arrays)
    # in building order; the VIN changed, so the references to the old one dangle
    assert error.tables == ("customers", "vehicles", "ownerships", "orders", "lines", "contacts")
    assert [(p.table, p.row, p.column, p.code) for p in error.problems] == [
        ("customers", 0, "name", "missing_value"),
        ("vehicles", 0, "vin", "vin_checksum"),
        ("ownerships", 0, "vin", "dangling_reference"),
        ("orders", 0, "vin", "dangling_reference"),
        ("orders", 1, "vin", "dangling_reference"),
        ("lines", 0, "labour", "negative_money"),
        ("contacts", 0, "vin", "dangling_reference"),
    ]
    text = str(error)
    assert text.startswith("6 tables with problems: customers, vehicles, ownerships, orders,")
    assert "\ncustomers: 1 problem in 1 row\n  row 0, column 'name'" in text
    assert "\nlines: 1 problem in 1 row\n  row 0, column 'labour'" in text


def test_the_callers_arrays_are_not_changed(arrays: Arrays) -> None:
    arrays["vehicles"]["vin"] = np.array([VIN_1.lower(), VIN_2, VIN_3])
    arrays["customers"]["mobile"] = np.array(["138 1234 5678", "", "+8615812345678"])
    arrays["customers"]["occupation"] = np.array(["", "", "工程师"])
    before = copy.deepcopy(arrays)
    tables = Tables.from_arrays(**arrays)
    assert tables.vehicles["vin"][0] == VIN_1
    assert tables.customers["mobile"][0] == "+8613812345678"
    for name, columns in arrays.items():
        for column, values in columns.items():
            assert np.array_equal(
                values, before[name][column], equal_nan=values.dtype.kind in "fmM"
            ), (name, column)
            assert values.flags.writeable


def test_the_callers_arrays_are_not_changed_when_rejected(arrays: Arrays) -> None:
    arrays["orders"]["mileage"] = np.array([-1, 5, 7])
    arrays["orders"]["customer_id"] = np.array(["C1", "", "C9"])
    before = copy.deepcopy(arrays)
    _rejected(arrays)
    for column, values in arrays["orders"].items():
        assert np.array_equal(
            values, before["orders"][column], equal_nan=values.dtype.kind in "fmM"
        ), column


# -- structural mistakes raise at once -------------------------------------------------------


def test_floats_in_a_money_column_raise_at_once(arrays: Arrays) -> None:
    arrays["lines"]["labour"] = np.array([180.0, 0.0, 50.0, 1.0])
    with pytest.raises(FloatMoneyError, match="'labour' holds floats"):
        Tables.from_arrays(**arrays)


def test_a_float_among_integers_in_a_money_column_raises_and_names_the_row(arrays: Arrays) -> None:
    arrays["lines"]["parts"] = [1, 0.1, 0, 0]
    with pytest.raises(FloatMoneyError, match=r"row 1"):
        Tables.from_arrays(**arrays)


@pytest.mark.parametrize(
    ("spoil", "expected", "match"),
    [
        # a required column left out
        (
            lambda a: a["orders"].pop("opened_at"),
            [("opened_at", "missing_column")],
            "'opened_at' is missing",
        ),
        # a column the table does not have
        (
            lambda a: a["orders"].update(colour=["a", "b", "c"]),
            [("colour", "unknown_column")],
            "no column 'colour'",
        ),
        # columns of different lengths: the key column says how long the table is
        (
            lambda a: a["orders"].update(mileage=[1, 2]),
            [("mileage", "column_length")],
            "orders.mileage has 2 rows, the table has 3",
        ),
        # a column that is not one-dimensional
        (
            lambda a: a["orders"].update(mileage=np.ones((3, 2))),
            [("mileage", "column_length")],
            "orders.mileage",
        ),
        # a column that is not a sequence
        (lambda a: a["orders"].update(mileage=5), [("mileage", "column_length")], "not a sequence"),
    ],
)
def test_structural_mistakes_are_problems_of_the_whole_column(
    arrays: Arrays, spoil: Any, expected: list[tuple[str, str]], match: str
) -> None:
    spoil(arrays)
    with pytest.raises(TableValidationError, match=match) as info:
        Tables.from_arrays(**arrays)
    assert [(p.table, p.row, p.column, p.code) for p in info.value.problems] == [
        ("orders", -1, column, code) for column, code in expected
    ]


def test_every_missing_and_unknown_column_of_every_table_is_reported(arrays: Arrays) -> None:
    del arrays["orders"]["opened_at"], arrays["orders"]["customer_id"]
    arrays["orders"]["colour"] = ["a", "b", "c"]
    del arrays["customers"]["name"]
    arrays["lines"]["order"] = ["RO1"] * 4  # an inside name where the outside one belongs
    arrays["lines"]["labour"] = [1, 2]
    error = _rejected(arrays)
    assert [(p.table, p.row, p.column, p.code) for p in error.problems] == [
        ("customers", -1, "name", "missing_column"),
        ("orders", -1, "colour", "unknown_column"),
        ("orders", -1, "customer_id", "missing_column"),
        ("orders", -1, "opened_at", "missing_column"),
        ("lines", -1, "order", "unknown_column"),
        ("lines", -1, "labour", "column_length"),
    ]
    assert "customers: 1 problem in the columns\n  column 'name' [missing_column]" in str(error)


def test_an_unknown_table_raises_at_once(arrays: Arrays) -> None:
    arrays["warranties"] = {"id": ["S1"]}
    with pytest.raises(InvalidValue, match=r"unknown tables \['warranties'\]") as info:
        Tables.from_arrays(**arrays)
    assert info.value.code == "unknown_table"
    assert not isinstance(info.value, TableValidationError)


def test_columns_with_a_record_default_may_be_left_out(arrays: Arrays) -> None:
    for column in ("closed_at", "promised_at", "advisor", "comeback_of", "by_appointment"):
        del arrays["orders"][column]
    del arrays["vehicles"]["fuel"]
    del arrays["customers"]["hobbies"]
    tables = Tables.from_arrays(**arrays)
    assert np.isnat(tables.orders["closed_at"]).all()
    assert tables.orders["comeback"].tolist() == [-1, -1, -1]
    assert not tables.orders["by_appointment"].any()
    assert tables.vehicles["fuel"].tolist() == [0, 0, 0]  # petrol
    assert tables.customers["hobbies"].tolist() == [(), (), ()]


def test_tables_left_out_or_given_as_none_are_empty(arrays: Arrays) -> None:
    tables = Tables.from_arrays(dealers=arrays["dealers"], customers=None, vehicles={})
    assert [len(t) for t in tables] == [2] + [0] * (len(SCHEMAS) - 1)


# -- what the ingest accepts -----------------------------------------------------------------


def test_instants_are_kept_in_utc_whatever_zone_they_came_in(arrays: Arrays) -> None:
    arrays["consents"]["at"] = [
        dt.datetime(2024, 1, 1, 16, tzinfo=SHANGHAI),
        "2024-03-01T08:00:00+00:00",
        dt.datetime(2024, 2, 29, 0, 0, 0, 1, tzinfo=dt.UTC),
    ]
    at = Tables.from_arrays(**arrays).consents["at"]
    assert (
        at.tolist()
        == _instants("2024-01-01T08:00", "2024-03-01T08:00", "2024-02-29T00:00:00.000001").tolist()
    )


def test_instants_at_the_ends_of_the_range_are_kept_in_utc(arrays: Arrays) -> None:
    arrays["consents"]["at"] = [
        dt.datetime(1900, 1, 1, 8, tzinfo=SHANGHAI),
        dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2200, 1, 1, 7, 59, 59, 999999, tzinfo=SHANGHAI),
    ]
    at = Tables.from_arrays(**arrays).consents["at"]
    assert (
        at.tolist() == _instants("1900-01-01", "2024-03-01", "2199-12-31T23:59:59.999999").tolist()
    )


@pytest.mark.parametrize(
    "values",
    [
        # aware datetimes near the ends of datetime's own range: no OverflowError
        [
            dt.datetime(1, 1, 2, 2, tzinfo=SHANGHAI),
            None,
            dt.datetime(9999, 12, 31, 8, tzinfo=SHANGHAI),
        ],
        # ISO texts
        ["0001-01-01T00:00Z", None, "2200-01-01T00:00Z"],
        # numpy datetimes, at another unit
        _instants("1899-12-31T23:59:59", "NaT", "2200-01-01", unit="s"),
    ],
)
def test_instants_outside_the_range_are_row_problems(arrays: Arrays, values: Any) -> None:
    arrays["consents"]["at"] = values
    error = _rejected(arrays)
    assert _found(error, "consents") == [
        (0, "at", "instant_range"),
        (1, "at", "missing_value"),
        (2, "at", "instant_range"),
    ]


def test_numpy_datetimes_are_read_as_utc_at_any_unit(arrays: Arrays) -> None:
    arrays["consents"]["at"] = _instants("2024-01-01T08", "2024-03-01T08", "2024-03-02", unit="s")
    assert Tables.from_arrays(**arrays).consents["at"].dtype == np.dtype("datetime64[us]")


def test_dates_may_be_dates_iso_text_or_midnight_datetimes(arrays: Arrays) -> None:
    arrays["vehicles"]["purchase_date"] = [dt.date(2022, 5, 20), None, "2024-02-29"]
    first = Tables.from_arrays(**arrays).vehicles["purchase_date"]
    arrays["vehicles"]["purchase_date"] = _instants("2022-05-20", "NaT", "2024-02-29", unit="ns")
    second = Tables.from_arrays(**arrays).vehicles["purchase_date"]
    assert np.array_equal(first, second, equal_nan=True)
    assert first.dtype == np.dtype("datetime64[D]")


def test_categoricals_may_be_values_members_or_positions(arrays: Arrays) -> None:
    from aftersales_crm.values import BodyType

    arrays["vehicles"]["body_type"] = [BodyType.SEDAN, None, "suv"]
    by_value = Tables.from_arrays(**arrays)
    arrays["vehicles"]["body_type"] = np.array([0, -1, 1])
    by_position = Tables.from_arrays(**arrays)
    assert by_value == by_position
    assert by_value.vehicles["body_type"].tolist() == [0, -1, 1]


def test_identifiers_are_stored_in_their_canonical_form(arrays: Arrays) -> None:
    arrays["customers"]["mobile"] = ["138 1234 5678", None, "158-1234-5678"]
    arrays["customers"]["national_id"] = ["11010519491231002x", None, None]
    customers = Tables.from_arrays(**arrays).customers
    assert customers["mobile"].tolist() == ["+8613812345678", None, "+8615812345678"]
    assert customers["national_id"][0] == "11010519491231002X"


def test_nan_counts_as_missing_in_object_columns(arrays: Arrays) -> None:
    arrays["customers"]["occupation"] = ["教师", float("nan"), None]
    arrays["vehicles"]["first_visit_mileage"] = [800, float("nan"), None]
    tables = Tables.from_arrays(**arrays)
    assert tables.customers["occupation"].tolist() == ["教师", None, None]
    assert tables.vehicles["first_visit_mileage"].tolist() == [800, -1, -1]


def test_lists_of_tuples_stay_a_column_of_tuples(arrays: Arrays) -> None:
    arrays["customers"]["hobbies"] = [("自驾", "摄影"), ["钓鱼"], np.array(["露营"])]
    hobbies = Tables.from_arrays(**arrays).customers["hobbies"]
    assert hobbies.tolist() == [("自驾", "摄影"), ("钓鱼",), ("露营",)]


def test_a_gender_left_unknown_is_not_checked_against_the_national_id(arrays: Arrays) -> None:
    arrays["customers"]["gender"] = ["unknown", "unknown", "male"]
    arrays["customers"]["birthday"] = _days("NaT", "NaT", "NaT")
    assert len(Tables.from_arrays(**arrays).customers) == 3


def test_consents_of_different_customers_may_interleave(arrays: Arrays) -> None:
    consents = arrays["consents"]
    consents["customer_id"] = ["C1", "C3", "C1"]
    consents["at"] = _instants("2024-01-01", "2023-01-01", "2024-01-01")
    assert len(Tables.from_arrays(**arrays).consents) == 3


def test_an_empty_numpy_text_is_no_reference_where_none_is_allowed(arrays: Arrays) -> None:
    arrays["orders"]["comeback_of"] = np.array(["", "RO1", ""])
    assert Tables.from_arrays(**arrays).orders["comeback"].tolist() == [-1, 0, -1]


def test_a_loosely_written_vin_reference_finds_its_vehicle(arrays: Arrays) -> None:
    # VIN_1 is stored upper case; an order written in lower case with spaces still points to it.
    loose = VIN_1.lower()[:8] + " " + VIN_1.lower()[8:]
    arrays["orders"]["vin"] = np.array([loose, VIN_1, VIN_2], dtype=object)
    tables = Tables.from_arrays(**arrays)
    assert tables.orders["vehicle"].tolist()[0] == 0
    arrays["orders"]["vin"] = np.array(["not a vin", VIN_1, VIN_2], dtype=object)
    (problem,) = _rejected(arrays).problems
    assert (problem.row, problem.column, problem.code) == (0, "vin", "dangling_reference")


def test_a_loose_reference_among_few_into_a_large_table_finds_its_row() -> None:
    # one reference into many vehicles: the look-up takes only the ids it needs
    vins = synthetic_vins(40)
    tables = Tables.from_arrays(
        dealers={"id": ["D1"], "name": ["北店"]},
        customers={"id": ["C1"], "name": ["王芳"]},
        vehicles={"vin": vins, "model": ["Lavida"] * len(vins)},
        contacts={
            "id": ["K1"],
            "customer_id": ["C1"],
            "vin": [vins[7].lower()],
            "channel": ["phone"],
            "purpose": ["care"],
            "outcome": ["reached"],
            "at": _instants("2024-01-01"),
        },
    )
    assert tables.contacts["vehicle"].tolist() == [7]


def synthetic_vins(n: int) -> list[str]:
    """``n`` distinct valid VINs of the synthetic bases."""
    from aftersales_crm import synthetic

    vins: list[str] = synthetic.columns(n, seed=5).tables().vehicles["vin"].tolist()
    return vins


@pytest.mark.parametrize("door", ["from_arrays", "from_pandas", "from_arrow"])
def test_every_row_of_every_table_comes_out_of_every_door(door: str) -> None:
    # Rows in = rows out, table by table, whichever door the data comes through.
    from aftersales_crm import synthetic

    given = synthetic.tables(300, seed=3)
    exported = {
        "from_arrays": given.to_arrays,
        "from_pandas": given.to_pandas,
        "from_arrow": given.to_arrow,
    }[door]()
    rows_in = {name: len(next(iter(_columns(data)))) for name, data in exported.items()}
    built = getattr(Tables, door)(currency=given.currency, **exported)
    rows_out = {table.name: len(table) for table in built}
    assert rows_out == rows_in
    assert set(rows_in) == {table.name for table in given}  # every registered table
    assert min(rows_in[name] for name in ("customers", "vehicles", "orders", "lines")) > 0
    assert built == given


def _columns(data: Any) -> list[Any]:
    """The columns of one exported table: arrays, a DataFrame or an Arrow table."""
    if isinstance(data, dict):
        return list(data.values())
    if hasattr(data, "columns") and hasattr(data, "num_rows"):  # Arrow
        return list(data.columns)
    return [data[name] for name in data.columns]  # pandas


# -- a points entry names a member of the club ------------------------------------------------


def _points_earned(*members: str) -> Arrays:
    n = len(members)
    return {
        "id": [f"E{i}" for i in range(n)],
        "member_id": list(members),
        "amount": [100] * n,
        "at": _instants(*["2026-03-01T02:00"] * n),
        "source_id": [f"RO{i}" for i in range(n)],
        "funder": ["hq"] * n,
        "dealer_id": ["D1"] * n,
    }


def test_a_points_entry_of_an_unknown_member_is_refused_naming_table_row_column_and_rule() -> None:
    from aftersales_crm import synthetic

    arrays = synthetic.tables(30, seed=1).to_arrays()
    known = str(arrays["members"]["id"][0])
    error = _rejected({**arrays, "points_earned": _points_earned(known, "M-NOBODY", known)})
    (problem,) = error.problems
    assert (problem.table, problem.row, problem.column, problem.code) == (
        "points_earned", 1, "member_id", "dangling_reference",
    )  # fmt: skip
    assert problem.message == "member_id M-NOBODY is not in members"
    assert "points_earned" in str(error)
    assert "row 1, column 'member_id' [dangling_reference]" in str(error)
    # the known members' entries are kept, as their members' rows
    given: Arrays = {**arrays, "points_earned": _points_earned(known, known)}
    tables = Tables.from_arrays(**given)
    assert tables["points_earned"]["member"].tolist() == [0, 0]


def test_points_entries_without_their_members_are_refused_as_every_reference_is() -> None:
    # A reference into a table left out points at nothing (as an order's customer does):
    # points tables come with the members they belong to.
    error = _rejected({"points_earned": _points_earned("M1")})
    assert _found(error, "points_earned") == [(0, "member_id", "dangling_reference")]
