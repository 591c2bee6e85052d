"""Bad input at the table boundary: each value that once slipped through is now a row problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.errors import TableValidationError
from aftersales_crm.tables import SCHEMAS, ColumnKind, Table, Tables
from aftersales_crm.tables._ingest import first_overflow
from aftersales_crm.values import MAX_KILOMETRES, MAX_MINOR_UNITS

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

Arrays = dict[str, Any]
Found = tuple[int, str, str]


@pytest.fixture
def tables(arrays: Arrays) -> Tables:
    return Tables.from_arrays(**arrays)


def _found(arrays: Arrays, table: str) -> list[Found]:
    """The problems of ``table`` when the arrays are ingested (which must fail)."""
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(**arrays)
    return [(p.row, p.column, p.code) for p in info.value.problems if p.table == table]


def _objects(*values: Any) -> np.ndarray[Any, np.dtype[np.object_]]:
    out = np.empty(len(values), dtype=object)
    for row, value in enumerate(values):
        out[row] = value
    return out


# -- booleans are not numbers ----------------------------------------------------------------

BOOLEANS: list[tuple[str, str, Any, list[Found]]] = [
    # Python booleans among amounts: True is not 1 fen
    (
        "lines",
        "labour",
        _objects(True, 0, 5, False),
        [(0, "labour", "wrong_type"), (3, "labour", "wrong_type")],
    ),
    # numpy booleans among amounts
    ("lines", "parts", _objects(np.True_, 0, 0, 0), [(0, "parts", "wrong_type")]),
    # a whole numpy bool column: one problem of the column
    ("lines", "labour", np.array([True, False, True, True]), [(-1, "labour", "wrong_type")]),
    # a bool where a mileage belongs: True is not 1 km
    ("orders", "mileage", _objects(True, 1500, 12000), [(0, "mileage", "wrong_type")]),
    ("orders", "mileage", np.array([True, True, False]), [(-1, "mileage", "wrong_type")]),
    # a bool where a latitude belongs
    (
        "customers",
        "home_location.lat",
        _objects(True, None, 31.2),
        [(0, "home_location.lat", "wrong_type")],
    ),
    (
        "customers",
        "home_location.lat",
        np.array([True, False, True]),
        [(-1, "home_location.lat", "wrong_type")],
    ),
]


@pytest.mark.parametrize(("table", "column", "values", "expected"), BOOLEANS)
def test_booleans_are_refused_where_numbers_belong(
    arrays: Arrays, table: str, column: str, values: Any, expected: list[Found]
) -> None:
    arrays[table][column] = values
    assert _found(arrays, table) == expected


def test_pandas_and_arrow_booleans_are_refused_where_numbers_belong(tables: Tables) -> None:
    frames = tables.to_pandas()
    frames["lines"]["labour"] = pd.array([True, None, False, True], dtype="boolean")
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    assert {(p.table, p.column, p.code) for p in info.value.problems} >= {
        ("lines", "labour", "wrong_type")
    }
    arrow = tables.to_arrow()
    arrow["orders"] = arrow["orders"].set_column(
        arrow["orders"].schema.get_field_index("mileage"),
        "mileage",
        pa.array([True, False, True]),
    )
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**arrow)
    assert [(p.table, p.row, p.code) for p in info.value.problems] == [("orders", -1, "wrong_type")]


# -- integers beyond int64 ---------------------------------------------------------------------

HUGE: list[tuple[str, str, Any, list[Found]]] = [
    # a Python int beyond int64 among amounts
    ("lines", "labour", _objects(2**64, 0, 5, 1), [(0, "labour", "out_of_range")]),
    # numpy uint64 above 2**63 - 1: not "negative"
    ("lines", "parts", np.array([2**63, 0, 0, 1], dtype=np.uint64), [(0, "parts", "out_of_range")]),
    # a mileage of 10**30 km
    ("orders", "mileage", _objects(10**30, 1500, 12000), [(0, "mileage", "out_of_range")]),
    ("orders", "mileage", np.array([1e30, 1500, 12000]), [(0, "mileage", "out_of_range")]),
    (
        "orders",
        "mileage",
        np.array([2**64 - 1, 1, 2], dtype=np.uint64),
        [(0, "mileage", "out_of_range")],
    ),
    # an amount within int64 but above the bound of every record
    (
        "lines",
        "labour",
        np.array([MAX_MINOR_UNITS + 1, 0, MAX_MINOR_UNITS, 1]),
        [(0, "labour", "money_range")],
    ),
    # a mileage within int64 but above the bound of every record, and one just at it
    (
        "orders",
        "mileage",
        np.array([MAX_KILOMETRES + 1, MAX_KILOMETRES, 12000]),
        [(0, "mileage", "mileage_range")],
    ),
    # two amounts of 5 * 10**18 fen: each is out of range, so no sum can wrap
    (
        "lines",
        "labour",
        np.array([5 * 10**18, 5 * 10**18, 0, 1]),
        [(0, "labour", "money_range"), (1, "labour", "money_range")],
    ),
]


@pytest.mark.parametrize(("table", "column", "values", "expected"), HUGE)
def test_integers_beyond_the_limits_are_row_problems(
    arrays: Arrays, table: str, column: str, values: Any, expected: list[Found]
) -> None:
    arrays[table][column] = values
    assert _found(arrays, table) == expected


def test_pandas_and_arrow_unsigned_integers_beyond_int64_are_row_problems(tables: Tables) -> None:
    frames = tables.to_pandas()
    frames["orders"]["mileage"] = pd.array([2**63, 1, 2], dtype="UInt64")
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    assert [(p.row, p.code) for p in info.value.problems] == [(0, "out_of_range")]
    arrow = tables.to_arrow()
    index = arrow["lines"].schema.get_field_index("labour")
    labour = pa.array([2**64 - 1, 0, 0, 1], type=pa.uint64())
    arrow["lines"] = arrow["lines"].set_column(index, "labour", labour)
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**arrow)
    assert [(p.row, p.column, p.code) for p in info.value.problems] == [
        (0, "labour", "out_of_range")
    ]


def test_the_row_where_a_running_sum_leaves_int64_is_found() -> None:
    assert first_overflow(np.array([2**61] * 3)) is None
    assert first_overflow(np.array([2**62, 2**62 - 1, 1, 0])) == 2
    assert first_overflow(np.array([2**62, 0, 2**62, 2**62])) == 2
    assert first_overflow(np.zeros(0, dtype=np.int64)) is None


# -- dates and instants within the calendar every kernel handles -------------------------------


@pytest.mark.parametrize(
    "values",
    [
        _objects(dt.date(1, 1, 1), None, dt.date(9999, 12, 31)),
        _objects("1899-12-31", None, "2200-01-01"),
        np.array(["1899-12-31", "NaT", "2200-01-01"], dtype="datetime64[D]"),
    ],
)
def test_dates_outside_the_range_are_row_problems(arrays: Arrays, values: Any) -> None:
    arrays["vehicles"]["purchase_date"] = values
    arrays["vehicles"]["first_visit_date"] = np.array(["NaT"] * 3, dtype="datetime64[D]")
    assert _found(arrays, "vehicles") == [
        (0, "purchase_date", "date_range"),
        (2, "purchase_date", "date_range"),
    ]


# -- ids and postcodes in their one normal form ----------------------------------------------


def test_ids_differing_only_by_invisible_characters_are_one_id(arrays: Arrays) -> None:
    arrays["customers"]["id"] = _objects("C1", "C1\u200b", "C3")
    assert _found(arrays, "customers") == [(1, "id", "duplicate_id")]


def test_ids_and_references_are_normalised_at_the_boundary(arrays: Arrays) -> None:
    arrays["customers"]["id"] = _objects("Ｃ1", " C2", "C3\ufeff")
    arrays["orders"]["customer_id"] = _objects("C1\u200b", "C１", "C2 ")
    tables = Tables.from_arrays(**arrays)
    assert tables.customers["id"].tolist() == ["C1", "C2", "C3"]
    assert tables.orders["customer"].tolist() == [0, 0, 1]


def test_full_width_postcode_digits_are_stored_as_ascii(arrays: Arrays) -> None:
    arrays["customers"]["home_postcode"] = _objects("１０００１０", None, " 200000 ")
    tables = Tables.from_arrays(**arrays)
    assert tables.customers["home_postcode"].tolist() == ["100010", None, "200000"]


# -- a Table holds its own arrays --------------------------------------------------------------


def test_a_table_built_directly_copies_the_callers_arrays() -> None:
    schema = SCHEMAS["dealers"]
    given = Tables.from_arrays(dealers={"id": ["D1", "D2"], "name": ["甲", "乙"]}).dealers
    columns = {name: np.array(given[name]) for name in given}  # writable copies
    table = Table(schema, columns)
    columns["id"][0] = "XX"
    assert table["id"].tolist() == ["D1", "D2"]
    assert not table["id"].flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        table["id"][0] = "YY"


def test_ingested_tables_are_read_only(arrays: Arrays) -> None:
    tables = Tables.from_arrays(**arrays)
    assert not any(t[c].flags.writeable for t in tables for c in t)


# -- nothing dropped ---------------------------------------------------------------------------


def test_every_row_of_a_valid_base_arrives_in_every_table() -> None:
    source = synthetic.columns(60, seed=3).tables()
    outside = source.to_arrays()
    tables = Tables.from_arrays(currency=source.currency, **outside)
    for table in tables:
        given = outside[table.name]
        n_in = len(next(iter(given.values())))
        assert len(table) == n_in, table.name


def _spoilable(table: str) -> str:
    """A required column of ``table`` that is no id or reference: None there is a row problem."""
    kinds = (ColumnKind.CATEGORY, ColumnKind.DATE, ColumnKind.INSTANT, ColumnKind.MONEY)
    return next(c.external for c in SCHEMAS[table].columns if c.kind in kinds and not c.nullable)


def test_one_bad_row_in_every_table_is_reported_for_every_table() -> None:
    source = synthetic.columns(60, seed=3).tables()
    outside = source.to_arrays()
    bad: dict[str, tuple[int, str]] = {}
    for name, columns in outside.items():
        n = len(next(iter(columns.values())))
        if not n or name in {"dealers", "chapters"}:  # no such column: their name
            continue
        column = _spoilable(name)
        row = n // 2
        values = columns[column].astype(object)
        values[row] = None
        columns[column] = values
        bad[name] = (row, column)
    for name in ("dealers", "chapters"):
        names = outside[name]["name"].astype(object)
        names[0] = None
        outside[name]["name"] = names
        bad[name] = (0, "name")
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(currency=source.currency, **outside)
    reported = {
        (p.table, p.row, p.column) for p in info.value.problems if p.code == "missing_value"
    }
    assert reported == {(table, row, column) for table, (row, column) in bad.items()}
    assert set(info.value.tables) == set(bad)
