"""Vectorised ingest: outside columns (ids, enum values, dates) in, checked inside columns out.

Each converter returns the inside array and appends a :class:`RowProblem` for every bad
row; nothing is dropped. Structural mistakes (an unknown or missing column, columns of
different lengths, floats where money belongs) raise at once, naming the column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from types import UnionType
from typing import Any, Final, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import FloatMoneyError, InvalidValue, RowProblem
from aftersales_crm.records import Column, ColumnKind, TableSchema
from aftersales_crm.tables._schemas import SCHEMAS
from aftersales_crm.values import NONE_CODE

__all__ = ["cross_checks", "ingest", "resolve", "unique_problems"]

K = ColumnKind
_ID_MAX: Final = 64
_ID_RE: Final = re.compile(r"\S{1,64}")
_NONE: Final = NONE_CODE
_US_PER_S: Final = 1_000_000
_SPACE: Final = re.compile(r"\s")
_NONE_TYPE: Final = type(None)
_NONE_OBJECT: Final = np.array(None, dtype=object)
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DAY: Final = dt.date(1970, 1, 1).toordinal()
_MICROSECOND: Final = dt.timedelta(microseconds=1)
#: The instants (µs since the epoch, UTC) the whole-column path converts: those of years 2
#: to 9998, which ``datetime.astimezone`` moves to UTC without leaving its range.
_SAFE_US: Final = (
    (dt.datetime(2, 1, 1, tzinfo=dt.UTC) - _EPOCH) // _MICROSECOND,
    (dt.datetime(9999, 1, 1, tzinfo=dt.UTC) - _EPOCH) // _MICROSECOND,
)

#: Record defaults for columns the caller may leave out.
_NO_DEFAULT: Final = object()


def _default(schema: TableSchema, column: Column) -> Any:
    model = schema.model
    field = model.model_fields.get(column.field.split(".")[0] or column.name)
    if field is None or field.is_required():
        return _NO_DEFAULT
    default = field.get_default(call_default_factory=True)
    if column.kind is K.FLOAT:
        return None
    return default


def _as_array(values: Any, n: int, name: str) -> NDArray[Any]:
    if isinstance(values, np.ndarray):
        array = values
    else:  # element by element: a list of tuples must stay a column of tuples
        items = list(values)
        array = np.fromiter(items, dtype=object, count=len(items))
    if array.ndim != 1 or len(array) != n:
        msg = f"column {name!r} has {len(array)} rows, the table has {n}"
        raise InvalidValue(msg, code="column_length")
    return array


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN from pandas


def _types(values: NDArray[np.object_] | list[Any]) -> set[type]:
    """The exact Python types of the values (one pass in C, for whole-column checks)."""
    return set(map(type, values.tolist() if isinstance(values, np.ndarray) else values))


def _nones(values: NDArray[Any]) -> NDArray[np.bool_]:
    """The rows of an object array that hold ``None``, compared in C.

    For values whose ``==`` with ``None`` is False (text, numbers, dates): the callers
    check the types first.
    """
    nones: NDArray[np.bool_] = np.equal(values, _NONE_OBJECT)
    return nones


def _accepted(kinds: type | UnionType) -> set[type]:
    """The types ``isinstance(value, kinds)`` names, each accepted exactly."""
    return set(get_args(kinds)) if isinstance(kinds, UnionType) else {kinds}


class _Sink:
    """Collects the problems of one table."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.problems: list[RowProblem] = []

    def add(self, row: int, column: str, code: str, message: str) -> None:
        self.problems.append(RowProblem(int(row), column, code, message))

    def rows(
        self, rows: NDArray[np.intp], column: str, code: str, message: Callable[[int], str]
    ) -> None:
        for row in rows.tolist():
            self.add(row, column, code, message(row))


def ingest(
    schema: TableSchema,
    data: Mapping[str, Any],
    targets: Mapping[str, NDArray[np.str_]],
    sink: _Sink,
    *,
    trusted: bool = False,
) -> tuple[dict[str, NDArray[Any]], dict[str, tuple[str, ...]]]:
    """Convert and check the outside columns ``data`` of one table.

    Args:
        schema: the table's schema.
        data: outside column name → array-like.
        targets: the id column of every table already built, for references.
        sink: collects row problems.
        trusted: skip the identifier rules (the values come from validated records).

    Returns:
        The inside columns and the label lists of label columns.
    """
    externals = {c.external: c for c in schema.columns}
    unknown = sorted(set(data) - set(externals))
    if unknown:
        msg = f"{schema.name}: unknown columns {unknown}; expected some of {list(externals)}"
        raise InvalidValue(msg, code="unknown_column")
    lengths = {name: len(values) for name, values in data.items()}
    n = max(lengths.values(), default=0)
    columns: dict[str, NDArray[Any]] = {}
    labels: dict[str, tuple[str, ...]] = {}
    targets = dict(targets)  # the table's own ids join once read: a comeback points into orders
    for column in schema.columns:
        if trusted:
            column = attrs.evolve(column, check=None, check_array=None)
        name = column.external
        if name in data:
            raw = _as_array(data[name], n, f"{schema.name}.{name}")
        else:
            default = _default(schema, column)
            if default is _NO_DEFAULT and not column.nullable:
                msg = f"{schema.name}: required column {name!r} is missing"
                raise InvalidValue(msg, code="missing_column")
            raw = np.empty(n, dtype=object)
            raw.fill(None if default is _NO_DEFAULT else default)
        converted = _CONVERTERS[column.kind](column, raw, sink, targets)
        if column.kind is K.LABEL:
            codes, texts = converted
            columns[column.name] = codes
            labels[column.name] = texts
        else:
            columns[column.name] = converted
        if column.kind is K.ID:
            targets[schema.name] = converted
    return columns, labels


def _objects(
    column: Column, raw: NDArray[Any], sink: _Sink, kinds: type | UnionType, what: str
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """An object array of the given Python types with a mask of missing values."""
    values = raw.astype(object) if raw.dtype != object else raw
    types = _types(values)
    if float not in types and types <= _accepted(kinds) | {_NONE_TYPE}:
        # Each value is None or of an accepted type (a float might be NaN, so floats take
        # the row-by-row path): the missing rows are the None ones, and none is bad.
        missing = _nones(values) if _NONE_TYPE in types else np.zeros(len(values), bool)
        bad = np.zeros(len(values), dtype=bool)
    else:
        missing = np.fromiter((_is_missing(v) for v in values), dtype=bool, count=len(values))
        bad = ~missing & ~np.fromiter(
            (isinstance(v, kinds) for v in values), dtype=bool, count=len(values)
        )
    name = column.external
    sink.rows(
        np.flatnonzero(bad),
        name,
        "wrong_type",
        lambda r: f"{name} is {values[r]!r}, expected {what}",
    )
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    return values, missing | bad


def _text(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.object_]:
    name = column.external
    if raw.dtype.kind == "U":  # numpy text has no None: an empty string is none
        values = raw.astype(object)
        values[raw == ""] = None
        if not column.nullable:
            sink.rows(
                np.flatnonzero(raw == ""), name, "missing_value", lambda r: f"{name} is required"
            )
    else:  # wrong types and missing values are reported here
        values, _ = _objects(column, raw, sink, str, "text")
    if column.check is None and _types(values) <= {str, _NONE_TYPE}:
        texts = values[~_nones(values)].tolist()
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        if ((lengths >= 1) & (lengths <= column.max_length)).all():
            return values.copy()  # every text is good: the rows below would keep each one
    out = np.empty(len(values), dtype=object)
    for row, value in enumerate(values.tolist()):
        if not isinstance(value, str):
            continue
        if not 1 <= len(value) <= column.max_length:
            sink.add(
                row,
                name,
                "text_length",
                f"{name} has {len(value)} characters, must have 1 to {column.max_length}",
            )
            continue
        if column.check is not None:
            try:
                value = column.check(value)
            except InvalidValue as err:
                sink.add(row, name, err.code, f"{name} {value!r}: {err}")
                continue
        out[row] = value
    return out


def _ids(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.str_]:
    name = column.external
    values = raw if raw.dtype.kind == "U" else _objects(column, raw, sink, str, "an id")[0]
    if column.check is None and column.check_array is None:
        items = values.tolist()
        if _types(items) <= {str} and _good_ids(items):
            ids = np.asarray(items, dtype=str) if items else np.empty(0, dtype="<U1")
            unique_problems(ids, name, sink)
            return ids
    out: list[str] = []
    fast: NDArray[np.bool_] | None = None
    if column.check_array is not None and len(values):
        fast = np.asarray(column.check_array(values), dtype=bool)
    for row, value in enumerate(values.tolist()):
        if not isinstance(value, str):
            out.append("")
            continue
        if fast is not None and fast[row]:
            out.append(value)
            continue
        if column.check is not None:
            try:
                value = column.check(value)
            except InvalidValue as err:
                sink.add(row, name, err.code, f"{name} {value!r}: {err}")
                out.append("")
                continue
        if _ID_RE.fullmatch(value) is None:
            sink.add(
                row,
                name,
                "id_format",
                f"{name} {value!r} must have 1 to {_ID_MAX} characters and no spaces",
            )
            out.append("")
            continue
        out.append(value)
    ids = np.asarray(out, dtype=str) if out else np.empty(0, dtype="<U1")
    unique_problems(ids, name, sink)
    return ids


def _good_ids(ids: list[str]) -> bool:
    """Whether every id has 1 to 64 characters and no white space, as ``_ID_RE`` asks."""
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    if not ((lengths >= 1) & (lengths <= _ID_MAX)).all():
        return False
    return _SPACE.search("".join(ids)) is None


def unique_problems(ids: NDArray[np.str_], name: str, sink: _Sink) -> None:
    """Report every row whose id repeats an earlier row's (empty ids are reported elsewhere)."""
    if not len(ids):
        return
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    repeats = np.flatnonzero((first[inverse] != np.arange(len(ids))) & (ids != ""))
    sink.rows(
        repeats, name, "duplicate_id", lambda r: f"{name} {ids[r]} repeats row {first[inverse[r]]}"
    )


def resolve(ids: NDArray[np.str_], wanted: NDArray[Any]) -> NDArray[np.int64]:
    """The row of each wanted id in ``ids``, ``-1`` where it is not there.

    Examples:
        >>> resolve(np.array(["b", "a", "c"]), np.array(["a", "x", "c"])).tolist()
        [1, -1, 2]
    """
    out = np.full(len(wanted), _NONE, dtype=np.int64)
    if not len(ids) or not len(wanted):
        return out
    order = np.argsort(ids, kind="stable")
    where = np.searchsorted(ids, wanted, sorter=order)
    where = np.minimum(where, len(ids) - 1)
    rows = order[where]
    found = ids[rows] == wanted
    out[found] = rows[found]
    return out


def _ref(
    column: Column, raw: NDArray[Any], sink: _Sink, targets: Mapping[str, NDArray[np.str_]]
) -> NDArray[np.int64]:
    name = column.external
    assert column.target is not None  # a schema invariant
    if raw.dtype.kind == "U":  # numpy text has no None: an empty string is none
        values = raw.astype(object)
        values[raw == ""] = None
        present = raw != ""
        if not column.nullable:
            sink.rows(
                np.flatnonzero(raw == ""), name, "missing_value", lambda r: f"{name} is required"
            )
    else:  # wrong types and missing values are reported here
        values, absent = _objects(column, raw, sink, str, "an id")
        present = ~absent  # neither missing nor of another type: the ids given as text
    wanted = np.where(present, values, "").astype(str) if len(values) else np.empty(0, "<U1")
    rows = resolve(targets[column.target], wanted)
    rows[~present] = _NONE
    dangling = np.flatnonzero(present & (rows == _NONE))
    key = SCHEMAS[column.target].key
    if len(dangling) and key is not None and key.check is not None:
        # The target's ids were normalised on the way in ("lsvau…" became "LSVAU…"):
        # a reference written the same loose way points to the same row.
        normal = np.asarray([_normal(key.check, values[r]) for r in dangling.tolist()], dtype=str)
        found = resolve(targets[column.target], normal)
        rows[dangling] = found
        dangling = dangling[found == _NONE]
    sink.rows(
        dangling,
        name,
        "dangling_reference",
        lambda r: f"{name} {values[r]} is not in {column.target}",
    )
    return rows


def _normal(check: Callable[[str], str], value: str) -> str:
    """``value`` in the normal form of ``check``, or ``""`` when it breaks the rule."""
    try:
        return check(value)
    except InvalidValue:
        return ""


def _category(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.int8]:
    assert column.enum is not None  # a schema invariant
    members, enum_name = list(column.enum), column.enum.__name__
    name = column.external
    out = np.full(len(raw), _NONE, dtype=np.int8)
    if raw.dtype.kind in "iu":  # positions of members, -1 for none as inside the table
        if not column.nullable:
            sink.rows(
                np.flatnonzero(raw == _NONE), name, "missing_value", lambda r: f"{name} is required"
            )
        bad = np.flatnonzero((raw < _NONE) | (raw >= len(members)))
        sink.rows(
            bad,
            name,
            "unknown_code",
            lambda r: f"{name} code {raw[r]} is not a position in {enum_name}",
        )
        ok = np.setdiff1d(np.arange(len(raw)), bad)
        out[ok] = raw[ok]
        return out
    lookup = {m.value: i for i, m in enumerate(members)} | {m: i for i, m in enumerate(members)}
    items = raw.tolist()
    if _types(items) <= ({str, column.enum, _NONE_TYPE} if column.nullable else {str, column.enum}):
        codes = list(map((lookup | {None: _NONE}).get, items))
        if None not in codes:  # every text names a member: the rows below would find each
            return np.array(codes, dtype=np.int8) if codes else out
    for row, value in enumerate(items):
        if _is_missing(value):
            if not column.nullable:
                sink.add(row, name, "missing_value", f"{name} is required")
            continue
        code = lookup.get(value) if isinstance(value, str | column.enum) else None
        if code is None:
            allowed = ", ".join(m.value for m in members)
            sink.add(row, name, "unknown_code", f"{name} {value!r} is not one of {allowed}")
        else:
            out[row] = code
    return out


def _money(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.int64]:
    name = column.external
    if raw.dtype.kind == "f":
        msg = f"column {name!r} holds floats; money columns take integer minor units (fen)"
        raise FloatMoneyError(msg)
    if raw.dtype.kind in "iu":
        values = raw.astype(np.int64)
    else:
        objects, bad = _objects(column, raw, sink, int, "integer minor units")
        if any(issubclass(t, float) for t in _types(objects)):
            floats = np.flatnonzero(
                np.fromiter((isinstance(v, float) for v in objects), dtype=bool, count=len(objects))
            )
            msg = f"column {name!r} holds floats (row {floats[0]}); money takes integer minor units (fen)"
            raise FloatMoneyError(msg)
        values = np.where(bad, 0, objects).astype(np.int64)
    negative = np.flatnonzero(values < 0)
    sink.rows(negative, name, "negative_money", lambda r: f"{name} is {values[r]}, must be >= 0")
    return values


def _date(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.datetime64]:
    name = column.external
    if raw.dtype.kind == "M":
        days = raw.astype("datetime64[D]")
        timed = np.flatnonzero(~np.isnat(raw) & (days != raw))
        sink.rows(
            timed,
            name,
            "date_has_time",
            lambda r: f"{name} {raw[r]} has a time of day; a date is expected",
        )
        absent = np.isnat(days)
    else:
        items = raw.tolist()
        if len(items) and _types(items) <= {dt.date, _NONE_TYPE}:
            # dates and Nones only: every date is good, converted whole by its ordinal
            absent = _nones(raw)
            ordinals = np.fromiter(map(dt.date.toordinal, raw[~absent].tolist()), dtype=np.int64)
            days = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[D]")
            days[~absent] = (ordinals - _EPOCH_DAY).astype("datetime64[D]")
        else:
            days = _dates_by_row(name, items, sink)
            absent = np.isnat(days) & np.fromiter(
                (_is_missing(v) for v in items), dtype=bool, count=len(items)
            )
    if not column.nullable:
        sink.rows(np.flatnonzero(absent), name, "missing_value", lambda r: f"{name} is required")
    return days


def _dates_by_row(name: str, items: list[Any], sink: _Sink) -> NDArray[np.datetime64]:
    """Dates given as ``datetime.date`` or ISO text, checked one by one."""
    days = np.full(len(items), np.datetime64("NaT"), dtype="datetime64[D]")
    for row, value in enumerate(items):
        if _is_missing(value):
            continue
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            sink.add(row, name, "wrong_type", f"{name} is {value!r}, expected a date")
            continue
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        except ValueError:
            sink.add(row, name, "invalid_date", f"{name} {value!r} is not a real date (YYYY-MM-DD)")
            continue
        days[row] = np.datetime64(day, "D")
    return days


def _instant(
    column: Column, raw: NDArray[Any], sink: _Sink, targets: Any
) -> NDArray[np.datetime64]:
    name = column.external
    if raw.dtype.kind == "M":
        out = raw.astype("datetime64[us]")
        lost = np.flatnonzero(~np.isnat(raw) & (out != raw))
        sink.rows(
            lost,
            name,
            "instant_precision",
            lambda r: f"{name} {raw[r]} is finer than a microsecond",
        )
        absent = np.isnat(raw)
    else:
        items = raw.tolist()
        whole = _whole_instants(raw, items)
        if whole is not None:
            out, absent = whole
        else:
            out = _instants_by_row(name, items, sink)
            absent = np.fromiter((_is_missing(v) for v in items), dtype=bool, count=len(items))
    if not column.nullable:
        sink.rows(np.flatnonzero(absent), name, "missing_value", lambda r: f"{name} is required")
    return out


def _whole_instants(
    raw: NDArray[Any], items: list[Any]
) -> tuple[NDArray[np.datetime64], NDArray[np.bool_]] | None:
    """Aware datetimes and Nones converted whole, with the mask of Nones; else ``None``.

    ``None`` when a value is of another type, naive, or too close to the ends of
    ``datetime``'s range: the row-by-row path then reports or raises as it always has.
    """
    if not len(items) or not _types(items) <= {dt.datetime, _NONE_TYPE}:
        return None
    absent = _nones(raw)
    try:  # subtracting an aware epoch raises for a naive datetime
        since = [(moment - _EPOCH) // _MICROSECOND for moment in raw[~absent].tolist()]
    except TypeError:
        return None
    micros = np.array(since, dtype=np.int64)
    if len(micros) and (micros.min() < _SAFE_US[0] or micros.max() >= _SAFE_US[1]):
        return None
    out = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[us]")
    out[~absent] = micros.astype("datetime64[us]")
    return out, absent


def _instants_by_row(name: str, items: list[Any], sink: _Sink) -> NDArray[np.datetime64]:
    """Instants given as aware datetimes or ISO text, checked one by one."""
    out = np.full(len(items), np.datetime64("NaT"), dtype="datetime64[us]")
    for row, value in enumerate(items):
        if _is_missing(value):
            continue
        moment = value
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                sink.add(
                    row, name, "invalid_instant", f"{name} {value!r} is not an ISO 8601 instant"
                )
                continue
        if not isinstance(moment, dt.datetime):
            sink.add(row, name, "wrong_type", f"{name} is {value!r}, expected a datetime")
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            sink.add(
                row,
                name,
                "naive_instant",
                f"{name} {value!r} has no time zone; give an aware datetime",
            )
            continue
        utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
        out[row] = np.datetime64(utc, "us")
    return out


def _int(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.int64]:
    name = column.external
    if raw.dtype.kind in "iu":
        values = raw.astype(np.int64)
        missing = np.zeros(len(raw), dtype=bool)
    elif raw.dtype.kind == "f":
        missing = np.isnan(raw)
        fractional = np.flatnonzero(~missing & (raw != np.floor(np.where(missing, 0, raw))))
        sink.rows(
            fractional,
            name,
            "not_integer",
            lambda r: f"{name} is {raw[r]}, expected a whole number",
        )
        values = np.where(missing, _NONE, raw).astype(np.int64)
    else:
        objects, missing = _objects(column, raw, sink, int, "a whole number")
        values = np.where(missing, _NONE, objects).astype(np.int64)
    negative = np.flatnonzero(~missing & (values < 0))
    sink.rows(negative, name, "negative", lambda r: f"{name} is {values[r]}, must be >= 0")
    if not column.nullable:
        sink.rows(
            np.flatnonzero(missing & (raw.dtype.kind != "O")),
            name,
            "missing_value",
            lambda r: f"{name} is required",
        )
    values[missing] = _NONE
    return values


def _float(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.float64]:
    name = column.external
    if raw.dtype.kind in "fiu":
        values = raw.astype(np.float64)
    else:
        objects, bad = _objects(column, raw, sink, int | float, "a number")
        values = np.where(bad, np.nan, objects).astype(np.float64)
    limit = column.limit if column.limit is not None else np.inf
    bad_range = np.flatnonzero(np.isinf(values) | (np.abs(values) > limit))
    sink.rows(
        bad_range,
        name,
        "out_of_range",
        lambda r: f"{name} is {values[r]}, must be within ±{limit:g}",
    )
    return values


def _bool(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.bool_]:
    if raw.dtype.kind == "b":
        return raw.astype(bool)
    objects, bad = _objects(column, raw, sink, bool | np.bool_, "True or False")
    return np.where(bad, False, objects).astype(bool)  # noqa: FBT003 - the filler of bad rows


def _label(
    column: Column, raw: NDArray[Any], sink: _Sink, targets: Any
) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    texts = _text(column, raw, sink, targets)
    seen: dict[str, int] = {}
    codes = np.fromiter(
        (_NONE if t is None else seen.setdefault(t, len(seen)) for t in texts.tolist()),
        dtype=np.int32,
        count=len(texts),
    )
    return codes, tuple(seen)


def _texts(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.object_]:
    name = column.external
    out = np.empty(len(raw), dtype=object)
    for row, value in enumerate(raw.tolist()):
        if value is None:
            out[row] = ()
            continue
        items = list(value) if isinstance(value, list | tuple | np.ndarray) else None
        if items is None or not all(isinstance(i, str) for i in items):
            sink.add(row, name, "wrong_type", f"{name} is {value!r}, expected a list of texts")
            out[row] = ()
            continue
        lengths = [len(i) for i in items]
        if not all(1 <= n <= column.max_length for n in lengths):
            sink.add(
                row,
                name,
                "text_length",
                f"{name} holds texts of {lengths} characters, each must have 1 to {column.max_length}",
            )
            out[row] = ()
            continue
        if column.check is not None:
            try:
                items = [column.check(i) for i in items]
            except InvalidValue as err:
                sink.add(row, name, err.code, f"{name} {value!r}: {err}")
                out[row] = ()
                continue
        out[row] = tuple(items)
    return out


_CONVERTERS: Final[Mapping[ColumnKind, Callable[..., Any]]] = {
    K.ID: _ids,
    K.REF: _ref,
    K.CATEGORY: _category,
    K.MONEY: _money,
    K.DATE: _date,
    K.INSTANT: _instant,
    K.INT: _int,
    K.FLOAT: _float,
    K.BOOL: _bool,
    K.TEXT: _text,
    K.LABEL: _label,
    K.TEXTS: _texts,
}


def cross_checks(schema: TableSchema, columns: Mapping[str, NDArray[Any]], sink: _Sink) -> None:
    """The rules that tie columns of one row together, as the schema declares them.

    A rule's problem in a cell already reported (a mileage of the wrong type, a dangling
    VIN) is left out: the cell holds a placeholder where the bad value was.
    """
    reported = {(p.row, p.column) for p in sink.problems}
    for check in schema.checks:
        sink.problems += [p for p in check(columns) if (p.row, p.column) not in reported]
