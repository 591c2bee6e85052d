"""pandas and Arrow forms of the tables, both ways (needs the ``pandas`` or ``arrow`` extra).

The outside form of [`to_arrays`][aftersales_crm.tables.Tables.to_arrays] in the types each
library is built for:

=============  ==========================================  ==================================
kind           pandas                                      Arrow
=============  ==========================================  ==================================
id, ref, text  ``object`` (``None`` for none)              ``string`` (null for none)
label          ``object`` texts                            ``dictionary<int32, string>``
category       ``Categorical`` of every enum value         ``dictionary<int8, string>``
money          ``int64`` minor units                       ``int64``
date           ``datetime64[s]`` at midnight (``NaT``)     ``date32``
instant        ``datetime64[us, UTC]``                     ``timestamp[us, tz=UTC]``
int            ``int64``, or ``Int64`` where nullable      ``int64`` (null for none)
float          ``float64`` (``NaN`` for none)              ``float64`` (null for none)
bool           ``bool``                                    ``bool``
texts          ``object`` column of tuples                 ``list<string>``
=============  ==========================================  ==================================

On the way in, missing values of any flavour (``None``, ``NaN``, ``NaT``, ``pd.NA``, Arrow
nulls) become the ``None``/``NaT``/``NaN`` the ingest expects and every other value goes to
the ingest unchanged, so pandas and Arrow input is checked by exactly the rules of
[`from_arrays`][aftersales_crm.tables.Tables.from_arrays]. Instants must carry a time zone: a naive
datetime column is refused, because pandas users usually hold local time in them. Dates
arriving as datetimes keep their day; a time of day is reported as a row problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import Column, ColumnKind
from aftersales_crm.tables._ingest import ArrowText
from aftersales_crm.tables._schemas import SCHEMAS
from aftersales_crm.tables._tables import _outside_column
from aftersales_crm.values import NONE_CODE

if TYPE_CHECKING:
    from aftersales_crm.tables._table import Table
    from aftersales_crm.tables._tables import Tables

__all__ = ["from_arrow_tables", "from_frames", "to_arrow_tables", "to_frames"]

K = ColumnKind
_NONE: Final = NONE_CODE
_UTC: Final = "UTC"
#: pandas has no day unit; a date travels as midnight of that day, to the second.
_PANDAS_DATE: Final = "datetime64[s]"


def _pandas() -> ModuleType:
    return require("pandas", extra="pandas")


def _pyarrow() -> ModuleType:
    return require("pyarrow", extra="arrow")


def _object_array(items: list[Any]) -> NDArray[np.object_]:
    """An object array of ``items``, element by element (tuples and lists stay whole)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _with_none(values: NDArray[Any]) -> NDArray[np.object_]:
    """``values`` as objects and a trailing ``None``, for a gather where ``-1`` is none."""
    out = np.empty(len(values) + 1, dtype=object)  # an empty object array holds None
    out[:-1] = values
    return out


def _naive_instants(where: str) -> InvalidValue:
    msg = (
        f"{where} holds naive datetimes; instants must be tz-aware "
        "(localise them to the zone they were recorded in, e.g. .dt.tz_localize('Asia/Shanghai'))"
    )
    return InvalidValue(msg, code="naive_instant")


def _columns_of(names: list[Any], table: str) -> list[str]:
    labels = [str(name) for name in names]
    repeated = sorted({name for name in labels if labels.count(name) > 1})
    if repeated:
        msg = f"{table}: columns {repeated} appear more than once"
        raise InvalidValue(msg, code="duplicate_column")
    return labels


def _column(table: str, name: str) -> Column | None:
    schema = SCHEMAS.get(table)
    if schema is None:
        return None
    return next((c for c in schema.columns if c.external == name), None)


# -- pandas -----------------------------------------------------------------------------------


def to_frames(tables: Tables) -> dict[str, Any]:
    """Every table as a pandas DataFrame in outside form.

    Args:
        tables: the tables.

    Returns:
        Table name → ``pandas.DataFrame`` with the outside column names, in schema order.

    Raises:
        MissingDependencyError: pandas is not installed.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.tables import Tables
        >>> frames = to_frames(Tables.from_book(synthetic.book(5, seed=1)))
        >>> str(frames["orders"]["opened_at"].dtype)
        'datetime64[us, UTC]'
    """
    pd = _pandas()
    frames: dict[str, Any] = {}
    for table in tables:
        data = {
            column.external: _to_series(pd, tables, table, column)
            for column in table.schema.columns
        }
        frames[table.name] = pd.DataFrame(data, index=pd.RangeIndex(len(table)))
    return frames


def _to_series(pd: ModuleType, tables: Tables, table: Table, column: Column) -> Any:
    values = table[column.name]
    if column.kind is K.CATEGORY:
        categories = pd.Index([m.value for m in column.enum or ()], dtype=object)
        return pd.Series(pd.Categorical.from_codes(values, dtype=pd.CategoricalDtype(categories)))
    if column.kind is K.DATE:
        return pd.Series(values.astype(_PANDAS_DATE))
    if column.kind is K.INSTANT:
        return pd.Series(values).dt.tz_localize(_UTC)
    if column.kind is K.INT and column.nullable:
        missing = values == _NONE
        return pd.Series(pd.arrays.IntegerArray(np.where(missing, 0, values), missing))
    if column.kind in (K.MONEY, K.INT, K.FLOAT, K.BOOL):
        return pd.Series(values)
    return pd.Series(_outside_column(tables, table, column).astype(object), dtype=object)


def from_frames(frames: Mapping[str, Any]) -> dict[str, dict[str, NDArray[Any]]]:
    """The outside arrays of pandas DataFrames, for ``Tables.from_arrays``.

    Args:
        frames: table name → ``pandas.DataFrame`` (or ``None`` for an empty table).

    Returns:
        Table name → outside column name → array; tables given as ``None`` are left out.

    Raises:
        InvalidType: a table is not a DataFrame.
        InvalidValue: a column name repeats, or an instant column holds naive datetimes.
        MissingDependencyError: pandas is not installed.

    Examples:
        >>> import pandas as pd
        >>> arrays = from_frames({"lines": pd.DataFrame({"kind": ["maintenance", None]})})
        >>> arrays["lines"]["kind"].tolist()
        ['maintenance', None]
    """
    pd = _pandas()
    out: dict[str, dict[str, NDArray[Any]]] = {}
    for table, frame in frames.items():
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            msg = f"{table} is a {type(frame).__name__}, expected a pandas DataFrame"
            raise InvalidType(msg)
        names = _columns_of(list(frame.columns), table)
        out[table] = {
            name: _from_series(pd, frame.iloc[:, i], _column(table, name), f"{table}.{name}")
            for i, name in enumerate(names)
        }
    return out


def _masked_arrays(pd: ModuleType) -> tuple[type, ...]:
    """The pandas arrays with a mask of missing values (``Int64``, ``Float64``, ``boolean``)."""
    return (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _from_series(pd: ModuleType, series: Any, column: Column | None, where: str) -> NDArray[Any]:
    dtype = series.dtype
    kind = column.kind if column is not None else None
    if isinstance(dtype, pd.CategoricalDtype):
        categories = _with_none(np.asarray(dtype.categories, dtype=object))
        return categories[np.asarray(series.cat.codes, dtype=np.intp)]
    if isinstance(dtype, pd.ArrowDtype):
        pa = _pyarrow()
        return _from_arrow_data(pa, pa.array(series), column, where)
    if isinstance(dtype, pd.DatetimeTZDtype):
        if kind is K.DATE:  # the day on the wall clock of its zone
            return series.dt.tz_localize(None).to_numpy()  # type: ignore[no-any-return]
        return series.dt.tz_convert(_UTC).dt.tz_localize(None).to_numpy()  # type: ignore[no-any-return]
    if isinstance(dtype, np.dtype):
        if kind is K.INSTANT and dtype.kind == "M" and not series.isna().all():
            raise _naive_instants(where)
        if dtype.kind in "biufmM":
            return series.to_numpy()  # type: ignore[no-any-return]
    elif isinstance(series.array, _masked_arrays(pd)) and not series.hasnans:
        return series.to_numpy(dtype=dtype.numpy_dtype)  # type: ignore[no-any-return]
    return series.to_numpy(dtype=object, na_value=None)  # type: ignore[no-any-return]


# -- Arrow ------------------------------------------------------------------------------------


def to_arrow_tables(tables: Tables) -> dict[str, Any]:
    """Every table as a ``pyarrow.Table`` in outside form.

    Args:
        tables: the tables.

    Returns:
        Table name → ``pyarrow.Table`` with the outside column names, in schema order;
        required columns are marked non-nullable in its schema.

    Raises:
        MissingDependencyError: pyarrow is not installed.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.tables import Tables
        >>> arrow = to_arrow_tables(Tables.from_book(synthetic.book(5, seed=1)))
        >>> str(arrow["lines"].schema.field("kind").type)
        'dictionary<values=string, indices=int8, ordered=0>'
    """
    pa = _pyarrow()
    out: dict[str, Any] = {}
    for table in tables:
        arrays = [_to_arrow_array(pa, tables, table, c) for c in table.schema.columns]
        schema = pa.schema(
            [
                pa.field(c.external, array.type, nullable=c.nullable)
                for c, array in zip(table.schema.columns, arrays, strict=True)
            ]
        )
        out[table.name] = pa.Table.from_arrays(arrays, schema=schema)
    return out


def _to_arrow_array(pa: ModuleType, tables: Tables, table: Table, column: Column) -> Any:
    values = table[column.name]
    kind = column.kind
    if kind in (K.CATEGORY, K.LABEL):
        if kind is K.CATEGORY:
            words, index = [m.value for m in column.enum or ()], pa.int8()
        else:
            words, index = list(table.labels[column.name]), pa.int32()
        indices = pa.array(values, type=index, mask=values == _NONE)
        return pa.DictionaryArray.from_arrays(indices, pa.array(words, type=pa.string()))
    if kind is K.DATE:
        return pa.array(values, type=pa.date32(), mask=np.isnat(values))
    if kind is K.INSTANT:
        return pa.array(values, type=pa.timestamp("us", tz=_UTC), mask=np.isnat(values))
    if kind is K.INT:
        return pa.array(
            values, type=pa.int64(), mask=(values == _NONE) if column.nullable else None
        )
    if kind is K.FLOAT:
        return pa.array(values, type=pa.float64(), mask=np.isnan(values))
    if kind in (K.MONEY, K.BOOL):
        return pa.array(values)
    if kind is K.TEXTS:
        return pa.array([list(v) for v in values.tolist()], type=pa.list_(pa.string()))
    return pa.array(_outside_column(tables, table, column).astype(object), type=pa.string())


def from_arrow_tables(arrow_tables: Mapping[str, Any]) -> dict[str, dict[str, NDArray[Any]]]:
    """The outside arrays of ``pyarrow.Table`` s, for ``Tables.from_arrays``.

    Args:
        arrow_tables: table name → ``pyarrow.Table`` or ``pyarrow.RecordBatch`` (or
            ``None`` for an empty table).

    Returns:
        Table name → outside column name → array; tables given as ``None`` are left out.

    Raises:
        InvalidType: a table is not a ``pyarrow.Table`` or ``RecordBatch``.
        InvalidValue: a column name repeats, or an instant column holds timestamps
            without a time zone.
        MissingDependencyError: pyarrow is not installed.

    Examples:
        >>> import pyarrow as pa
        >>> arrays = from_arrow_tables({"lines": pa.table({"labour": [100, None]})})
        >>> arrays["lines"]["labour"].tolist()
        [100, None]
    """
    pa = _pyarrow()
    out: dict[str, dict[str, NDArray[Any]]] = {}
    for table, data in arrow_tables.items():
        if data is None:
            continue
        if not isinstance(data, pa.Table | pa.RecordBatch):
            msg = f"{table} is a {type(data).__name__}, expected a pyarrow.Table"
            raise InvalidType(msg)
        names = _columns_of(list(data.column_names), table)
        out[table] = {
            name: _from_arrow_data(pa, data.column(i), _column(table, name), f"{table}.{name}")
            for i, name in enumerate(names)
        }
    return out


def _from_arrow_data(pa: ModuleType, data: Any, column: Column | None, where: str) -> NDArray[Any]:
    array = data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data
    types = pa.types
    kind = column.kind if column is not None else None
    if types.is_dictionary(array.type):
        if types.is_string(array.type.value_type) or types.is_large_string(array.type.value_type):
            words = _with_none(array.dictionary.to_numpy(zero_copy_only=False))
            codes = np.asarray(array.indices.fill_null(0), dtype=np.intp)
            codes[array.is_null().to_numpy(zero_copy_only=False)] = _NONE
            return words[codes]
        array = array.dictionary_decode()
    if kind is K.REF and (types.is_string(array.type) or types.is_large_string(array.type)):
        compute = require("pyarrow.compute", extra="arrow")
        return ArrowText(array.cast(pa.string()), pa, compute)  # type: ignore[return-value]  # joined in Arrow
    if types.is_timestamp(array.type):
        if kind is K.INSTANT and array.type.tz is None and array.null_count < len(array):
            raise _naive_instants(where)
        if kind is K.DATE and array.type.tz is not None:  # the day on the wall clock of its zone
            array = require("pyarrow.compute", extra="arrow").local_timestamp(array)
        return array.cast(pa.timestamp(array.type.unit)).to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]
    if (
        types.is_date(array.type)
        or types.is_floating(array.type)
        or types.is_string(array.type)
        or types.is_large_string(array.type)
        or (
            (types.is_integer(array.type) or types.is_boolean(array.type)) and array.null_count == 0
        )
    ):
        return array.to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]
    if (types.is_list(array.type) or types.is_large_list(array.type)) and (
        types.is_string(array.type.value_type) or types.is_large_string(array.type.value_type)
    ):
        return _tuples(array)
    if (types.is_integer(array.type) or types.is_boolean(array.type)) and not (
        types.is_uint64(array.type)
    ):  # with nulls: the values as Python objects, None where null, converted whole
        filler = False if types.is_boolean(array.type) else 0
        out = array.fill_null(filler).to_numpy(zero_copy_only=False).astype(object)
        out[array.is_null().to_numpy(zero_copy_only=False)] = None
        return out  # type: ignore[no-any-return]
    return _object_array(array.to_pylist())


#: The most distinct texts and the widest list ``_tuples`` encodes as one int64 per row.
_SHARED_WORDS: Final = 4_096
_SHARED_WIDTH: Final = 5


def _tuples(array: Any) -> NDArray[np.object_]:
    """A list<string> array as an object array of tuples of texts (``None`` where null).

    Lists of a few distinct texts (parts replaced, hobbies) come out as one tuple object
    per distinct list, shared by the rows that hold it (tuples are immutable): far fewer
    Python objects to make. Other lists are sliced row by row.
    """
    shared = _shared_tuples(array)
    if shared is not None:
        return shared
    offsets = array.offsets.to_numpy().tolist()
    texts = tuple(array.flatten().to_numpy(zero_copy_only=False).tolist())  # slices are tuples
    if array.offset or (offsets and offsets[0]):  # a slice: flatten starts at its first list
        first = offsets[0]
        offsets = [o - first for o in offsets]
    empty = ()
    tuples = [texts[a:b] if a != b else empty for a, b in pairwise(offsets)]
    out = _object_array(tuples)
    if array.null_count:
        out[array.is_null().to_numpy(zero_copy_only=False)] = None
    return out


def _shared_tuples(array: Any) -> NDArray[np.object_] | None:
    """``_tuples`` by distinct list, or ``None`` when the lists are not of that kind."""
    flat = array.flatten()
    offsets = np.asarray(array.offsets, dtype=np.int64)
    offsets = offsets - offsets[0] if len(offsets) else offsets
    lengths = np.diff(offsets)
    if flat.null_count or not len(flat) or int(lengths.max()) > _SHARED_WIDTH:
        return None
    compute = require("pyarrow.compute", extra="arrow")
    encoded = compute.dictionary_encode(flat)
    words: list[str] = encoded.dictionary.to_pylist()
    if len(words) >= _SHARED_WORDS:
        return None
    codes = np.asarray(encoded.indices, dtype=np.int64) + 1  # 0: no text in that place
    rows = np.repeat(np.arange(len(lengths)), lengths)
    places = np.zeros((len(lengths), int(lengths.max())), dtype=np.int64)
    places[rows, np.arange(len(codes)) - offsets[rows]] = codes
    key = np.zeros(len(lengths), dtype=np.int64)
    for place in places.T:  # base len(words) + 1, at most 5 places: below 2**63
        key = key * (len(words) + 1) + place
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    distinct = np.empty(len(first), dtype=object)
    for i, row in enumerate(places[first].tolist()):
        distinct[i] = tuple(words[code - 1] for code in row if code)
    out: NDArray[np.object_] = distinct[inverse]
    if array.null_count:
        out[array.is_null().to_numpy(zero_copy_only=False)] = None
    return out
