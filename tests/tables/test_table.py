"""Table and Tables: read-only columns, equality, selection, sizes, and the checks of the constructor."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import (
    CurrencyMismatchError,
    InvalidType,
    InvalidValue,
    TableValidationError,
)
from aftersales_crm.records import Book, RepairOrder
from aftersales_crm.tables import SCHEMAS, Column, ColumnKind, Table, Tables, TableSchema, resolve
from aftersales_crm.values import Money

#: Outside columns by table (values typed loosely: tests spoil them).
Arrays = dict[str, Any]


@pytest.fixture
def tables(arrays: Arrays) -> Tables:
    return Tables.from_arrays(**arrays)


def _replace(tables: Tables, table: Table) -> Tables:
    return Tables(currency=tables.currency, **{**{t.name: t for t in tables}, table.name: table})


def _with_column(table: Table, name: str, values: Any) -> Table:
    return Table(table.schema, {**table.columns, name: values}, table.labels)


# -- Table ------------------------------------------------------------------------------------


def test_columns_are_read_only(tables: Tables) -> None:
    mileage = tables.orders["mileage"]
    with pytest.raises(ValueError, match="read-only"):
        mileage[0] = 1
    assert not tables.vehicles["model"].flags.writeable


def test_a_table_does_not_see_later_changes_to_the_arrays_it_was_built_from(tables: Tables) -> None:
    opened = tables.orders["opened_at"].copy()
    table = Table(tables.orders.schema, {**tables.orders.columns, "opened_at": opened})
    assert not table["opened_at"].flags.writeable
    assert opened.flags.writeable  # the caller's array itself stays writable


def test_the_columns_mapping_cannot_be_changed(tables: Tables) -> None:
    with pytest.raises(TypeError):
        tables.orders.columns["mileage"] = np.zeros(3)  # type: ignore[index]


def test_a_table_is_equal_to_itself_with_nan_and_nat_in_it(tables: Tables) -> None:
    assert np.isnan(tables.dealers["lon"]).any()
    assert np.isnat(tables.orders["closed_at"]).any()
    assert tables.dealers == tables.dealers.take(np.arange(len(tables.dealers)))
    assert tables.orders == tables.orders.take(np.arange(len(tables.orders)))


def test_tables_differing_in_one_value_or_dtype_are_not_equal(tables: Tables) -> None:
    orders = tables.orders
    other = orders["mileage"].copy()
    other[2] += 1
    assert _with_column(orders, "mileage", other) != orders
    assert _with_column(orders, "mileage", orders["mileage"].astype(np.int32)) != orders
    assert orders != tables.lines
    assert orders.__eq__("orders") is NotImplemented


def test_labels_are_compared_as_texts(tables: Tables) -> None:
    vehicles = tables.vehicles
    assert vehicles.labels["model"] == ("Lavida", "Passat")
    recoded = Table(
        vehicles.schema,
        {**vehicles.columns, "model": np.array([0, 2, 0], dtype=np.int32)},
        {**vehicles.labels, "model": ("Lavida", "Tiguan L", "Passat")},
    )
    assert recoded == vehicles
    renamed = Table(
        vehicles.schema, vehicles.columns, {**vehicles.labels, "model": ("Lavida", "Tiguan L")}
    )
    assert renamed != vehicles


def test_label_texts_gives_none_for_a_missing_label(tables: Tables) -> None:
    vehicles = tables.vehicles
    missing = _with_column(vehicles, "model", np.array([1, -1, 0], dtype=np.int32))
    assert missing.label_texts("model").tolist() == ["Passat", None, "Lavida"]
    assert vehicles.label_texts("model").tolist() == ["Lavida", "Passat", "Lavida"]
    assert missing != vehicles


def test_label_texts_refuses_a_column_that_is_not_a_label(tables: Tables) -> None:
    with pytest.raises(KeyError, match=r"vehicles\.colour is not a label column"):
        tables.vehicles.label_texts("colour")


def test_take_picks_rows_in_the_order_given_and_keeps_the_labels(tables: Tables) -> None:
    vehicles = tables.vehicles.take(np.array([2, 0]))
    assert len(vehicles) == 2
    assert vehicles["vin"].tolist() == [tables.vehicles["vin"][2], tables.vehicles["vin"][0]]
    assert vehicles.label_texts("model").tolist() == ["Lavida", "Lavida"]
    assert not vehicles["vin"].flags.writeable
    assert len(tables.vehicles.take(np.array([], dtype=np.intp))) == 0


def test_a_table_reads_like_a_mapping_of_its_columns(tables: Tables) -> None:
    ownerships = tables.ownerships
    assert ownerships.name == "ownerships"
    assert list(ownerships) == ["id", "customer", "vehicle", "start", "end"]
    assert ownerships["vehicle"].dtype == np.dtype(np.int64)
    assert repr(ownerships) == "Table('ownerships', 2 rows: id, customer, vehicle, start, end)"


def test_nbytes_counts_the_column_buffers(tables: Tables) -> None:
    lines = tables.lines
    assert lines.nbytes == sum(lines[c].nbytes for c in lines)
    assert lines.nbytes >= len(lines) * (8 + 1 + 1 + 8 + 8)
    assert tables.nbytes == sum(t.nbytes for t in tables)


def test_equal_tables_hash_alike(tables: Tables, arrays: Arrays) -> None:
    again = Tables.from_arrays(**arrays)
    assert hash(again) == hash(tables)
    assert hash(again.orders) == hash(tables.orders)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        # a column missing
        (lambda t: {k: v for k, v in t.columns.items() if k != "end"}, "differ from the schema"),
        # columns out of order
        (lambda t: dict(reversed(t.columns.items())), "differ from the schema"),
        # a short column
        (lambda t: {**t.columns, "end": t["end"][:1]}, "different lengths"),
    ],
)
def test_a_table_refuses_columns_that_do_not_fit_its_schema(
    tables: Tables, columns: Any, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        Table(tables.ownerships.schema, columns(tables.ownerships))


# -- Tables -----------------------------------------------------------------------------------


def test_tables_repr_lists_the_currency_and_sizes(tables: Tables) -> None:
    assert repr(tables) == (
        "Tables(CNY: 2 dealers, 2 chapters, 3 customers, 3 consents, 3 vehicles, 2 ownerships, "
        "3 orders, 4 lines, 2 contacts, 2 complaints, 3 complaint_updates, 2 referrals, "
        "3 activities, 2 members, 2 member_joins, 1 member_transfers, 1 member_lapses, "
        "1 member_reactivations)"
    )
    assert [t.name for t in tables] == list(SCHEMAS)
    assert repr(Tables("EUR", dealers=tables.dealers)) == "Tables(EUR: 2 dealers)"  # no empties
    assert repr(Tables("EUR")) == "Tables(EUR: empty)"


def test_a_table_is_reached_by_attribute_or_by_name(tables: Tables) -> None:
    assert tables["orders"] is tables.orders
    assert "contacts" in tables
    assert "warranties" not in tables
    with pytest.raises(InvalidValue, match="no table 'order'; did you mean 'orders'") as info:
        tables["order"]
    assert info.value.code == "unknown_table"
    with pytest.raises(AttributeError, match="did you mean 'orders'"):
        _ = tables.order


def test_tables_are_immutable(tables: Tables) -> None:
    with pytest.raises(AttributeError):
        tables.orders = tables.lines
    with pytest.raises(AttributeError):
        del tables.currency


def test_tables_left_out_of_the_constructor_are_empty(tables: Tables) -> None:
    only = Tables(currency="CNY", dealers=tables.dealers)
    assert len(only.dealers) == 2
    assert len(only.contacts) == 0
    assert only.orders.schema == SCHEMAS["orders"]


#: Stands for whatever a caller may wrongly pass (typed Any, as untyped callers are).
FIVE: Any = 5
A_DICT: Any = {"id": []}
A_LIST: Any = [1, 2]


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda t: Tables(currency=FIVE), InvalidValue, "currency 5"),
        (
            lambda t: Tables(currency="CNY", warranties=t.orders),
            InvalidValue,
            "no table 'warranties'",
        ),
        (lambda t: Tables(currency="CNY", orders=A_DICT), InvalidType, "orders is a dict"),
        (lambda t: Tables.from_book(t), InvalidType, "book is a Tables, expected a Book"),
        (lambda t: Tables.from_book(Book(), currency=FIVE), InvalidValue, "currency 5"),
        (lambda t: Tables.from_arrays(currency=FIVE), InvalidValue, "currency 5"),
        (lambda t: Tables.from_arrays(orders=A_LIST), InvalidType, "orders is a list"),
    ],
)
def test_a_wrong_argument_is_named_in_the_librarys_error(
    tables: Tables, build: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        build(tables)


def test_tables_in_another_currency_are_not_equal(arrays: Arrays, tables: Tables) -> None:
    assert Tables.from_arrays(currency="USD", **arrays) != tables
    assert tables.__eq__(tables.orders) is NotImplemented


def test_tables_refuse_an_unknown_currency(arrays: Arrays) -> None:
    with pytest.raises(ValueError, match="XYZ"):
        Tables.from_arrays(currency="XYZ", **arrays)


def test_tables_refuse_a_table_under_the_wrong_name(tables: Tables) -> None:
    parts = {t.name: t for t in tables}
    with pytest.raises(InvalidValue, match="orders has the schema of lines") as info:
        Tables(currency="CNY", **{**parts, "orders": tables.lines})
    assert info.value.code == "wrong_table"


def test_tables_refuse_a_table_with_a_changed_schema(tables: Tables) -> None:
    schema = tables.dealers.schema
    changed = TableSchema(
        schema.name,
        (*schema.columns[:-1], Column("full_after_sales", ColumnKind.INT)),
        schema.record,
    )
    dealers = Table(changed, tables.dealers.columns)
    with pytest.raises(InvalidValue, match=r"dealers has the schema of dealers") as info:
        _replace(tables, dealers)
    assert info.value.code == "wrong_table"


@pytest.mark.parametrize("position", [3, -2])
def test_tables_refuse_a_reference_past_the_target_table(tables: Tables, position: int) -> None:
    orders = _with_column(tables.orders, "customer", np.array([0, position, 1]))
    with pytest.raises(
        InvalidValue, match=r"orders.customer points outside customers \(rows 0..2\)"
    ) as info:
        _replace(tables, orders)
    assert info.value.code == "dangling_reference"


def test_tables_accept_minus_one_as_no_reference(tables: Tables) -> None:
    orders = _with_column(tables.orders, "comeback", np.array([-1, -1, -1]))
    assert _replace(tables, orders).orders["comeback"].tolist() == [-1, -1, -1]


def test_references_inside_are_row_positions_and_outside_ids(tables: Tables) -> None:
    assert tables.orders["customer"].tolist() == [0, 0, 1]
    assert tables.orders["comeback"].tolist() == [-1, 0, -1]
    outside = tables.to_arrays()["orders"]
    assert outside["customer_id"].tolist() == ["C1", "C1", "C2"]
    assert outside["comeback_of"].tolist() == [None, "RO1", None]


def test_categoricals_inside_are_positions_in_the_enum(tables: Tables) -> None:
    from aftersales_crm.values import BodyType

    assert tables.vehicles["body_type"].dtype == np.dtype(np.int8)
    assert tables.vehicles["body_type"].tolist() == [
        list(BodyType).index(BodyType.SEDAN),
        -1,
        list(BodyType).index(BodyType.SUV),
    ]
    assert tables.to_arrays()["vehicles"]["body_type"].tolist() == ["sedan", None, "suv"]


def test_resolve_finds_the_row_of_each_id() -> None:
    ids = np.array(["b", "a", "c"])
    assert resolve(ids, np.array(["c", "zz", "b", ""])).tolist() == [2, -1, 0, -1]
    assert resolve(np.array([], dtype=str), np.array(["a"])).tolist() == [-1]
    assert resolve(ids, np.array([], dtype=str)).tolist() == []


# -- from_book --------------------------------------------------------------------------------


def test_from_book_takes_the_currency_of_the_first_order(arrays: Arrays) -> None:
    book = Book.from_records(Tables.from_arrays(currency="USD", **arrays).to_records())
    tables = Tables.from_book(book)
    assert tables.currency == "USD"
    assert tables.lines["labour_fen"].tolist() == [18_000, 0, 5_000, 100]
    assert Tables.from_book(Book.from_records([])).currency == "CNY"


def test_from_book_refuses_orders_in_several_currencies(arrays: Arrays) -> None:
    records = Tables.from_arrays(**arrays).to_records()
    order = next(r for r in reversed(records) if isinstance(r, RepairOrder))
    line = order.lines[0].model_copy(
        update={"labour": Money.from_minor(1, "USD"), "parts": Money.from_minor(0, "USD")}
    )
    usd = order.model_copy(update={"id": "RO9", "lines": (line,), "comeback_of": None})
    book = Book.from_records([*records, usd])
    with pytest.raises(CurrencyMismatchError, match=r"CNY; the book's orders also use \['USD'\]"):
        Tables.from_book(book)
    with pytest.raises(CurrencyMismatchError, match=r"USD; the book's orders also use \['CNY'\]"):
        Tables.from_book(book, currency="USD")


def test_from_book_checks_records_made_without_validation_like_outside_rows(
    arrays: Arrays,
) -> None:
    records = Tables.from_arrays(**arrays).to_records()
    order = next(r for r in records if isinstance(r, RepairOrder))
    unchecked = order.lines[0].model_copy(update={"labour": None})  # model_copy validates nothing
    spoilt = order.model_copy(update={"lines": (unchecked, *order.lines[1:])})
    book = Book.from_records([spoilt if r is order else r for r in records])
    with pytest.raises(TableValidationError) as info:
        Tables.from_book(book)
    assert [(p.row, p.column, p.code) for p in info.value.problems] == [
        (0, "labour", "missing_value")
    ]


def test_a_schema_finds_its_columns_and_key_by_name() -> None:
    orders = SCHEMAS["orders"]
    assert orders.column("customer").external == "customer_id"
    assert orders.key is not None
    assert orders.key.name == "id"
    assert SCHEMAS["lines"].key is None
    with pytest.raises(KeyError, match="colour"):
        orders.column("colour")
