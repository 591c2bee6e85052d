"""pandas and Arrow: the types each side gets, and what each side may hand in."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import (
    FloatMoneyError,
    InvalidType,
    InvalidValue,
    MissingDependencyError,
    TableValidationError,
)
from aftersales_crm.records import ConsentPurpose
from aftersales_crm.tables import Tables
from aftersales_crm.values import BodyType, ServiceKind

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

#: Outside columns by table (values typed loosely: tests spoil them).
Arrays = dict[str, Any]


@pytest.fixture
def tables(arrays: Arrays) -> Tables:
    return Tables.from_arrays(**arrays)


@pytest.fixture
def frames(tables: Tables) -> dict[str, Any]:
    return tables.to_pandas()


@pytest.fixture
def arrow(tables: Tables) -> dict[str, Any]:
    return tables.to_arrow()


def _found(error: TableValidationError) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in error.problems]


# -- to pandas --------------------------------------------------------------------------------


def test_pandas_gets_categoricals_of_every_enum_value_in_declaration_order(
    frames: dict[str, Any],
) -> None:
    kind = frames["lines"]["kind"]
    assert isinstance(kind.dtype, pd.CategoricalDtype)
    assert list(kind.cat.categories) == [m.value for m in ServiceKind]
    assert kind.tolist() == ["first_maintenance", "minor_repair", "minor_repair", "maintenance"]
    body = frames["vehicles"]["body_type"]
    assert list(body.cat.categories) == [m.value for m in BodyType]
    assert body.isna().tolist() == [False, True, False]
    assert list(frames["consents"]["purpose"].cat.categories) == [m.value for m in ConsentPurpose]


def test_pandas_gets_the_types_pandas_users_expect(frames: dict[str, Any]) -> None:
    orders, vehicles, customers = frames["orders"], frames["vehicles"], frames["customers"]
    assert str(orders["opened_at"].dtype) == "datetime64[us, UTC]"
    assert orders["opened_at"][1] == pd.Timestamp("2022-06-08T01:00:00.000007", tz="UTC")
    assert orders["closed_at"].isna().tolist() == [False, True, False]
    assert str(vehicles["first_visit_mileage"].dtype) == "Int64"
    assert vehicles["first_visit_mileage"].isna().tolist() == [False, True, False]
    assert str(orders["mileage"].dtype) == "Int64"  # none for an order without a vehicle
    assert vehicles["purchase_date"].dtype == np.dtype("datetime64[s]")
    assert vehicles["purchase_date"][2] == pd.Timestamp("2024-02-29")
    assert frames["lines"]["labour"].dtype == np.dtype(np.int64)
    assert frames["dealers"]["location.lat"].dtype == np.dtype(np.float64)
    assert vehicles["sold_here"].dtype == np.dtype(bool)
    for column in ("vin", "plate", "model", "selling_dealer_id"):
        assert vehicles[column].dtype == np.dtype(object), column
    assert vehicles["selling_dealer_id"].tolist() == ["D1", None, "D2"]
    assert customers["hobbies"].tolist() == [("自驾", "摄影"), (), ("钓鱼",)]


def test_pandas_frames_are_independent_of_the_tables(
    tables: Tables, frames: dict[str, Any]
) -> None:
    frames["orders"].loc[0, "mileage"] = 1
    assert tables.orders["mileage"][0] == 800


def test_a_missing_label_goes_to_pandas_and_arrow_as_none(tables: Tables) -> None:
    vehicles = tables.vehicles
    from aftersales_crm.tables import Table

    missing = Table(
        vehicles.schema,
        {**vehicles.columns, "model": np.array([0, -1, 1], dtype=np.int32)},
        vehicles.labels,
    )
    parts = {t.name: t for t in tables}
    with_missing = Tables(currency="CNY", **{**parts, "vehicles": missing})
    assert with_missing.to_pandas()["vehicles"]["model"].tolist() == ["Lavida", None, "Passat"]
    assert with_missing.to_arrow()["vehicles"]["model"].to_pylist() == ["Lavida", None, "Passat"]


# -- from pandas ------------------------------------------------------------------------------


def test_pandas_default_text_columns_with_nan_are_read(
    frames: dict[str, Any], tables: Tables
) -> None:
    customers = frames["customers"]
    for column in ("id", "name", "occupation", "mobile", "kind", "gender"):
        customers[column] = customers[column].astype("str")  # pandas' text type, NaN for none
    frames["customers"] = customers
    assert Tables.from_pandas(**frames) == tables


def test_plain_object_and_categorical_columns_are_both_read(
    frames: dict[str, Any], tables: Tables
) -> None:
    lines = frames["lines"]
    lines["kind"] = lines["kind"].astype(object)
    lines["pay"] = lines["pay"].astype(pd.CategoricalDtype(["warranty", "customer", "goodwill"]))
    assert Tables.from_pandas(**frames) == tables


def test_a_categorical_value_outside_the_enum_is_a_row_problem(frames: dict[str, Any]) -> None:
    frames["lines"]["kind"] = pd.Categorical(["maintenance", "tuning", None, "maintenance"])
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    assert _found(info.value) == [(1, "kind", "unknown_code"), (2, "kind", "missing_value")]


def test_nullable_pandas_integers_booleans_and_floats_are_read(
    frames: dict[str, Any], tables: Tables
) -> None:
    frames["orders"]["mileage"] = frames["orders"]["mileage"].astype("Int64")
    frames["orders"]["by_appointment"] = frames["orders"]["by_appointment"].astype("boolean")
    frames["dealers"]["location.lat"] = frames["dealers"]["location.lat"].astype("Float64")
    frames["lines"]["labour"] = frames["lines"]["labour"].astype("Int64")
    assert Tables.from_pandas(**frames) == tables


def test_floats_with_nan_are_read_as_a_nullable_integer(
    frames: dict[str, Any], tables: Tables
) -> None:
    frames["vehicles"]["first_visit_mileage"] = frames["vehicles"]["first_visit_mileage"].astype(
        float
    )
    assert frames["vehicles"]["first_visit_mileage"].isna().sum() == 1
    assert Tables.from_pandas(**frames) == tables


@pytest.mark.parametrize(
    ("table", "column", "values", "code"),
    [
        ("orders", "mileage", pd.array([800, None, 1], dtype="Int64"), "missing_value"),
        (
            "orders",
            "by_appointment",
            pd.array([True, None, False], dtype="boolean"),
            "missing_value",
        ),
        ("consents", "granted", pd.array([True, None, False], dtype="boolean"), "missing_value"),
        ("lines", "labour", pd.array([1, None, 1, 1], dtype="Int64"), "missing_value"),
    ],
)
def test_pandas_na_in_a_required_column_is_a_row_problem(
    frames: dict[str, Any], table: str, column: str, values: Any, code: str
) -> None:
    frames[table][column] = values
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    (problem,) = info.value.problems
    assert problem.row == 1
    assert problem.code == code


def test_float_money_from_pandas_raises(frames: dict[str, Any]) -> None:
    frames["lines"]["parts"] = frames["lines"]["parts"] / 100
    with pytest.raises(FloatMoneyError):
        Tables.from_pandas(**frames)


def test_instants_in_any_zone_are_kept_in_utc(frames: dict[str, Any], tables: Tables) -> None:
    frames["orders"]["opened_at"] = frames["orders"]["opened_at"].dt.tz_convert("Asia/Shanghai")
    frames["consents"]["at"] = frames["consents"]["at"].dt.as_unit("ns")
    assert Tables.from_pandas(**frames) == tables


def test_naive_pandas_instants_are_refused_naming_the_column(frames: dict[str, Any]) -> None:
    frames["orders"]["opened_at"] = frames["orders"]["opened_at"].dt.tz_localize(None)
    with pytest.raises(InvalidValue, match=r"orders\.opened_at holds naive datetimes") as info:
        Tables.from_pandas(**frames)
    assert info.value.code == "naive_instant"


def test_an_empty_naive_instant_column_is_read_as_none(frames: dict[str, Any]) -> None:
    frames["orders"]["closed_at"] = pd.Series([pd.NaT] * 3, dtype="datetime64[ns]")
    assert np.isnat(Tables.from_pandas(**frames).orders["closed_at"]).all()


def test_aware_datetimes_in_an_object_column_are_read(
    frames: dict[str, Any], tables: Tables
) -> None:
    frames["consents"]["at"] = frames["consents"]["at"].astype(object)
    assert Tables.from_pandas(**frames) == tables


def test_dates_as_datetimes_keep_their_day_and_report_a_time(
    frames: dict[str, Any], tables: Tables
) -> None:
    frames["vehicles"]["purchase_date"] = frames["vehicles"]["purchase_date"].dt.as_unit("ns")
    assert Tables.from_pandas(**frames) == tables
    frames["vehicles"]["purchase_date"] = pd.to_datetime(
        ["2022-05-20 10:30", None, "2024-02-29 00:00"]
    )
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    assert _found(info.value) == [(0, "purchase_date", "date_has_time")]


def test_aware_dates_keep_the_day_of_their_own_zone(frames: dict[str, Any], tables: Tables) -> None:
    shanghai = frames["vehicles"]["purchase_date"].dt.tz_localize("Asia/Shanghai")
    frames["vehicles"]["purchase_date"] = shanghai
    assert Tables.from_pandas(**frames) == tables


def test_dates_as_python_dates_are_read(frames: dict[str, Any], tables: Tables) -> None:
    frames["ownerships"]["start"] = [dt.date(2022, 5, 20), dt.date(2024, 2, 29)]
    assert Tables.from_pandas(**frames) == tables


def test_pyarrow_backed_pandas_columns_are_read(frames: dict[str, Any], tables: Tables) -> None:
    orders = frames["orders"]
    orders["id"] = orders["id"].astype(pd.ArrowDtype(pa.string()))
    orders["opened_at"] = orders["opened_at"].astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC")))
    orders["mileage"] = orders["mileage"].astype(pd.ArrowDtype(pa.int64()))
    orders["advisor"] = orders["advisor"].astype(pd.ArrowDtype(pa.string()))
    assert Tables.from_pandas(**frames) == tables


def test_the_frame_index_is_ignored_rows_count_by_position(
    frames: dict[str, Any], tables: Tables
) -> None:
    frames["orders"].index = [10, 5, 7]
    frames["orders"].loc[5, "mileage"] = -3
    with pytest.raises(TableValidationError) as info:
        Tables.from_pandas(**frames)
    assert _found(info.value) == [(1, "mileage", "negative")]


def test_from_pandas_leaves_the_callers_frames_unchanged(frames: dict[str, Any]) -> None:
    before = {name: frame.copy(deep=True) for name, frame in frames.items()}
    Tables.from_pandas(**frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_from_pandas_refuses_what_is_not_a_dataframe(arrays: Arrays) -> None:
    with pytest.raises(InvalidType, match="dealers is a dict, expected a pandas DataFrame"):
        Tables.from_pandas(dealers=arrays["dealers"])


def test_from_pandas_refuses_a_repeated_column(frames: dict[str, Any]) -> None:
    dealers = frames["dealers"]
    frames["dealers"] = pd.concat([dealers, dealers[["name"]]], axis=1)
    with pytest.raises(
        InvalidValue, match=r"dealers: columns \['name'\] appear more than once"
    ) as info:
        Tables.from_pandas(**frames)
    assert info.value.code == "duplicate_column"


def test_from_pandas_reports_unknown_tables_and_columns(frames: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue, match="unknown tables") as info:
        Tables.from_pandas(**frames, warranties=pd.DataFrame({"id": ["S1"]}))
    assert info.value.code == "unknown_table"
    frames["orders"][0] = 1
    with pytest.raises(TableValidationError, match=r"orders has no column '0'") as rejected:
        Tables.from_pandas(**frames)
    assert [(p.table, p.row, p.code) for p in rejected.value.problems] == [
        ("orders", -1, "unknown_column")
    ]


def test_from_pandas_skips_tables_given_as_none(frames: dict[str, Any]) -> None:
    tables = Tables.from_pandas(dealers=frames["dealers"], customers=None)
    assert [len(t) for t in tables] == [2] + [0] * (len(list(tables)) - 1)


# -- to Arrow ---------------------------------------------------------------------------------


def test_arrow_gets_dictionaries_timestamps_dates_and_lists(arrow: dict[str, Any]) -> None:
    lines, orders = arrow["lines"].schema, arrow["orders"].schema
    assert lines.field("kind").type == pa.dictionary(pa.int8(), pa.string())
    assert arrow["lines"]["kind"].chunk(0).dictionary.to_pylist() == [m.value for m in ServiceKind]
    assert orders.field("opened_at").type == pa.timestamp("us", tz="UTC")
    assert arrow["vehicles"].schema.field("purchase_date").type == pa.date32()
    assert arrow["vehicles"].schema.field("model").type == pa.dictionary(pa.int32(), pa.string())
    assert arrow["customers"].schema.field("hobbies").type == pa.list_(pa.string())
    assert arrow["customers"]["hobbies"].to_pylist() == [["自驾", "摄影"], [], ["钓鱼"]]
    assert arrow["vehicles"]["first_visit_mileage"].to_pylist() == [800, None, 15]
    assert arrow["dealers"]["location.lat"].to_pylist() == [39.9, None]
    assert arrow["orders"]["comeback_of"].to_pylist() == [None, "RO1", None]
    assert arrow["consents"]["at"][2].as_py() == dt.datetime(2024, 2, 29, 0, 0, 0, 1, tzinfo=dt.UTC)


def test_arrow_marks_required_columns_not_nullable(arrow: dict[str, Any]) -> None:
    orders = arrow["orders"].schema
    assert not orders.field("opened_at").nullable
    assert orders.field("closed_at").nullable
    assert not orders.field("customer_id").nullable


# -- from Arrow -------------------------------------------------------------------------------


def test_chunked_arrow_tables_with_different_dictionaries_are_read(
    arrays: Arrays, tables: Tables
) -> None:
    first = Tables.from_arrays(**arrays).to_arrow()
    lines = first["lines"]
    kind = pa.chunked_array(
        [
            pa.array(["first_maintenance", "minor_repair"]).dictionary_encode(),
            pa.array(["minor_repair", "maintenance"]).dictionary_encode(),
        ]
    )
    first["lines"] = lines.set_column(lines.schema.get_field_index("kind"), "kind", kind)
    assert Tables.from_arrow(**first) == tables


def test_record_batches_and_plain_string_columns_are_read(
    arrow: dict[str, Any], tables: Tables
) -> None:
    lines = arrow["lines"]
    plain = lines.set_column(1, "kind", lines["kind"].cast(pa.string()))
    arrow["lines"] = plain.to_batches()[0]
    assert Tables.from_arrow(**arrow) == tables


def test_arrow_instants_in_any_zone_are_kept_in_utc(arrow: dict[str, Any], tables: Tables) -> None:
    orders = arrow["orders"]
    i = orders.schema.get_field_index("opened_at")
    orders = orders.set_column(
        i, "opened_at", orders["opened_at"].cast(pa.timestamp("ns", tz="Asia/Shanghai"))
    )
    arrow["orders"] = orders
    assert Tables.from_arrow(**arrow) == tables


def test_naive_arrow_timestamps_are_refused_for_instants(arrow: dict[str, Any]) -> None:
    orders = arrow["orders"]
    i = orders.schema.get_field_index("opened_at")
    arrow["orders"] = orders.set_column(
        i, "opened_at", orders["opened_at"].cast(pa.timestamp("us"))
    )
    with pytest.raises(InvalidValue, match=r"orders\.opened_at holds naive datetimes") as info:
        Tables.from_arrow(**arrow)
    assert info.value.code == "naive_instant"


def test_an_all_null_naive_arrow_timestamp_column_is_read_as_none(arrow: dict[str, Any]) -> None:
    orders = arrow["orders"]
    i = orders.schema.get_field_index("closed_at")
    arrow["orders"] = orders.set_column(i, "closed_at", pa.nulls(3, pa.timestamp("us")))
    assert np.isnat(Tables.from_arrow(**arrow).orders["closed_at"]).all()


def test_arrow_dates_may_be_date64_or_timestamps(arrow: dict[str, Any], tables: Tables) -> None:
    vehicles = arrow["vehicles"]
    i = vehicles.schema.get_field_index("purchase_date")
    as_date64 = vehicles.set_column(i, "purchase_date", vehicles["purchase_date"].cast(pa.date64()))
    assert Tables.from_arrow(**{**arrow, "vehicles": as_date64}) == tables
    naive = vehicles["purchase_date"].cast(pa.timestamp("s"))
    as_naive = vehicles.set_column(i, "purchase_date", naive)
    assert Tables.from_arrow(**{**arrow, "vehicles": as_naive}) == tables
    # Midnight in Shanghai is 16:00 the day before in UTC: the day is Shanghai's.
    aware = pa.array(
        [
            dt.datetime(2022, 5, 19, 16, tzinfo=dt.UTC),
            None,
            dt.datetime(2024, 2, 28, 16, tzinfo=dt.UTC),
        ],
        type=pa.timestamp("s", tz="Asia/Shanghai"),
    )
    as_aware = vehicles.set_column(i, "purchase_date", aware)
    assert Tables.from_arrow(**{**arrow, "vehicles": as_aware}) == tables


def test_arrow_nulls_in_required_columns_are_row_problems(arrow: dict[str, Any]) -> None:
    lines = arrow["lines"]
    lines = lines.set_column(3, "labour", pa.array([1, None, 2, None], type=pa.int64()))
    arrow["lines"] = lines
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**arrow)
    assert _found(info.value) == [(1, "labour", "missing_value"), (3, "labour", "missing_value")]


def test_arrow_booleans_with_nulls_and_null_columns_are_read(arrow: dict[str, Any]) -> None:
    orders = arrow["orders"]
    i = orders.schema.get_field_index("by_appointment")
    j = orders.schema.get_field_index("advisor")
    orders = orders.set_column(i, "by_appointment", pa.array([True, None, False]))
    arrow["orders"] = orders.set_column(j, "advisor", pa.nulls(3))
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**arrow)
    assert _found(info.value) == [(1, "by_appointment", "missing_value")]


def test_arrow_large_strings_and_other_dictionaries_are_read(
    arrow: dict[str, Any], tables: Tables
) -> None:
    orders = arrow["orders"]
    i = orders.schema.get_field_index("id")
    j = orders.schema.get_field_index("mileage")
    orders = orders.set_column(i, "id", orders["id"].cast(pa.large_string()))
    arrow["orders"] = orders.set_column(j, "mileage", orders["mileage"].dictionary_encode())
    assert Tables.from_arrow(**arrow) == tables


def test_arrow_floats_and_decimals_are_not_money(arrow: dict[str, Any]) -> None:
    lines = arrow["lines"]
    floats = lines.set_column(3, "labour", lines["labour"].cast(pa.float64()))
    with pytest.raises(FloatMoneyError):
        Tables.from_arrow(**{**arrow, "lines": floats})
    decimals = lines.set_column(3, "labour", pa.array([Decimal(1)] * 4))
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**{**arrow, "lines": decimals})
    assert {p.code for p in info.value.problems} == {"wrong_type"}


def test_from_arrow_refuses_what_is_not_an_arrow_table(frames: Any) -> None:
    with pytest.raises(InvalidType, match=r"dealers is a DataFrame, expected a pyarrow\.Table"):
        Tables.from_arrow(dealers=frames["dealers"])


def test_from_arrow_refuses_a_repeated_column(arrow: dict[str, Any]) -> None:
    dealers = arrow["dealers"]
    arrow["dealers"] = dealers.append_column("name", dealers["name"])
    with pytest.raises(InvalidValue, match=r"\['name'\] appear more than once"):
        Tables.from_arrow(**arrow)


def test_from_arrow_skips_tables_given_as_none(arrow: dict[str, Any]) -> None:
    assert len(Tables.from_arrow(dealers=arrow["dealers"], orders=None).dealers) == 2


# -- without the extras -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "extra", "call"),
    [
        ("pandas", "pandas", lambda t: t.to_pandas()),
        ("pandas", "pandas", lambda t: Tables.from_pandas(dealers=None)),
        ("pyarrow", "arrow", lambda t: t.to_arrow()),
        ("pyarrow", "arrow", lambda t: Tables.from_arrow(dealers=None)),
    ],
)
def test_without_the_extra_the_error_names_it(
    monkeypatch: pytest.MonkeyPatch, tables: Tables, module: str, extra: str, call: Any
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(
        MissingDependencyError, match=rf"pip install 'aftersales-crm\[{extra}\]'"
    ) as info:
        call(tables)
    assert (info.value.package, info.value.extra) == (module, extra)
    assert isinstance(info.value, ImportError)


def test_a_slice_of_an_arrow_table_is_read_as_its_own_rows(arrow: dict[str, Any]) -> None:
    lines = arrow["lines"].slice(1, 3)  # list and nullable columns at an offset
    tables = Tables.from_arrow(**dict(arrow, lines=lines, orders=arrow["orders"]))
    whole = Tables.from_arrow(**arrow).lines
    assert tables.lines == whole.take(np.array([1, 2, 3]))


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        # a dangling id and a missing one, joined in Arrow
        ("orders", "customer_id", ["C9", None, "C2"]),
        # a VIN written loosely finds its vehicle; an id with a zero-width space is one id
        ("orders", "vin", ["lsvau218xn2183294", "LSVAU218XN2183294\u200b", "LSVAU2181N2183295"]),
        # an empty text is no id at all
        ("orders", "customer_id", ["", "C1", "C2"]),
    ],
)
def test_arrow_references_are_checked_as_arrays_are(
    arrow: dict[str, Any], arrays: Arrays, table: str, column: str, values: list[Any]
) -> None:
    data = arrow[table]
    index = data.schema.get_field_index(column)
    arrow[table] = data.set_column(index, column, pa.array(values, type=pa.string()))
    arrays[table][column] = np.array(values, dtype=object)
    try:
        expected: Any = Tables.from_arrays(**arrays)
    except TableValidationError as err:
        expected = err.problems
    try:
        got: Any = Tables.from_arrow(**arrow)
    except TableValidationError as err:
        got = err.problems
    assert got == expected
