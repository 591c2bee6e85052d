"""Vectorised ingest: outside columns (ids, enum values, dates) in, checked inside columns out.

Each converter checks a whole column at once and returns the inside array; it appends a
[`RowProblem`][aftersales_crm.errors.RowProblem] for every bad row and drops none. The work per column is done by numpy
and by C-level passes over the column (``map`` of a compiled regular expression, a set, a
dict): only the rows that need a message, or a rule without a vectorised form, take a
Python step of their own. Structural mistakes (an unknown or missing column, columns of
different lengths, booleans where numbers belong) are problems of the whole column, with
row ``-1``. Floats in a money column raise [`FloatMoneyError`][aftersales_crm.errors.FloatMoneyError] at once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, repeat
from types import UnionType
from typing import Any, ClassVar, Final, cast, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import FloatMoneyError, InvalidValue, RowProblem
from aftersales_crm.records import Column, ColumnKind, TableSchema
from aftersales_crm.records._base import stripped_name
from aftersales_crm.values import (
    EARLIEST_DATE,
    EARLIEST_INSTANT,
    LATEST_DATE,
    LATEST_INSTANT,
    MAX_MINOR_UNITS,
    NONE_CODE,
    normalise_ids,
    plate,
)
from aftersales_crm.values._identifier import column_items
from aftersales_crm.values._text import has_white_space

__all__ = ["ArrowText", "Keys", "cross_checks", "ingest", "resolve", "unique_problems"]

K = ColumnKind
_ID_MAX: Final = 64
_NONE: Final = NONE_CODE
_FEW: Final = 16  # fewer references than 1/16 of the target's rows: look up only theirs
_UNKNOWN: Final = -2  # a category lookup's answer for a value that names no member
_NONE_TYPE: Final = type(None)
_NONE_OBJECT: Final = np.array(None, dtype=object)
_INT64_MAX: Final = int(np.iinfo(np.int64).max)
_INT64_MIN: Final = int(np.iinfo(np.int64).min)
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DAY: Final = dt.date(1970, 1, 1).toordinal()
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_FIRST_DAY: Final = np.datetime64(EARLIEST_DATE, "D")
_LAST_DAY: Final = np.datetime64(LATEST_DATE, "D")
_FIRST_US: Final = (EARLIEST_INSTANT - _EPOCH) // _MICROSECOND
_END_US: Final = (LATEST_INSTANT - _EPOCH) // _MICROSECOND  # exclusive
_BOOLS: Final = (bool, np.bool_)

#: Record defaults for columns the caller may leave out.
_NO_DEFAULT: Final = object()


def _normal_ids(values: list[str]) -> list[str]:
    """[`normalise_ids`][aftersales_crm.values.normalise_ids], with a quicker test for the usual column of plain ASCII ids."""
    joined = "".join(values)
    if joined.isascii() and not has_white_space(joined):
        return values
    return normalise_ids(values)


def _stripped(values: list[str]) -> NDArray[np.bool_]:
    """Which texts ``stripped_name`` returns unchanged: no white space at either end."""
    if not has_white_space("".join(values)):  # no white space at all
        return np.ones(len(values), dtype=bool)
    stripped = map(str.strip, values)
    return np.fromiter(map(str.__eq__, values, stripped), dtype=bool, count=len(values))


#: Vectorised forms of record rules that do not carry their own (``Column.check_array``).
_FAST_TESTS: Final[Mapping[Callable[[str], str], Callable[[list[str]], NDArray[np.bool_]]]] = {
    stripped_name: _stripped,
    plate.validate: plate.is_valid_array,
}


def _default(schema: TableSchema, column: Column) -> Any:
    model = schema.model
    field = model.model_fields.get(column.field.split(".")[0] or column.name)
    if field is None or field.is_required():
        return _NO_DEFAULT
    default = field.get_default(call_default_factory=True)
    if column.kind is K.FLOAT:
        return None
    return default


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


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN from pandas


def _accepted(kinds: type | UnionType) -> set[type]:
    """The types ``isinstance(value, kinds)`` names, each accepted exactly."""
    return set(get_args(kinds)) if isinstance(kinds, UnionType) else {kinds}


def _mask(test: Callable[[Any], bool], items: list[Any]) -> NDArray[np.bool_]:
    return np.fromiter(map(test, items), dtype=bool, count=len(items))


class _Sink:
    """Collects the problems of one table."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.problems: list[RowProblem] = []

    def add(self, row: int, column: str, code: str, message: str) -> None:
        self.problems.append(RowProblem(int(row), column, code, message, self.table))

    def column(self, column: str, code: str, message: str) -> None:
        """A problem of the whole column (row ``-1``)."""
        self.add(-1, column, code, message)

    def rows(
        self, rows: NDArray[np.intp], column: str, code: str, message: Callable[[int], str]
    ) -> None:
        for row in rows.tolist():
            self.add(row, column, code, message(row))

    def extend(self, problems: Sequence[RowProblem]) -> None:
        self.problems += [attrs.evolve(p, table=self.table) for p in problems]


@attrs.define
class Keys:
    """The ids of a table as read (each in its normal form), for the references into it.

    Ids that broke their rule are kept as read, so that a reference to a bad VIN finds
    its row and the VIN is reported once, in its own table.
    """

    texts: list[str]
    check: Callable[[str], str] | None = None
    _index: dict[str, int] | None = attrs.field(default=None, alias="_index")
    _arrow: Any = attrs.field(default=None, alias="_arrow")

    def arrow(self, pa: Any) -> Any:
        """The ids as an Arrow string array (built once), the value set of an Arrow join."""
        if self._arrow is None:
            self._arrow = pa.array(self.texts, type=pa.string())
        return self._arrow

    def index_of(self, wanted: list[str]) -> dict[str, int]:
        """Id → its first row, for the ``wanted`` ids only: one pass of set look-ups in C."""
        if self._index is not None:
            return self._index
        if not wanted:
            return {}
        sought = set(wanted)
        hits = np.flatnonzero(np.fromiter(map(sought.__contains__, self.texts), bool)).tolist()
        found: dict[str, int] = {}
        for row in hits:
            found.setdefault(self.texts[row], row)
        return found

    def index(self) -> dict[str, int]:
        """Id → its first row, built once (the hash table of the join)."""
        if self._index is None:
            n = len(self.texts)
            self._index = dict(zip(reversed(self.texts), range(n - 1, -1, -1), strict=True))
        return self._index


@attrs.frozen
class ArrowText:
    """A reference column of Arrow text, handed over whole so that it is joined in Arrow.

    ``from_arrow_tables`` wraps the reference columns
    it reads; the join (``pyarrow.compute.index_in``) then needs no Python text per row.
    Ids that are not plain ASCII without white space take the numpy path instead, where
    they are normalised.
    """

    array: Any  # a pyarrow string array, in one chunk
    pa: Any  # the pyarrow module
    compute: Any  # the pyarrow.compute module
    ndim: ClassVar[int] = 1

    def __len__(self) -> int:
        return len(self.array)

    def to_numpy(self) -> NDArray[np.object_]:
        """The texts as an object array, ``None`` where null."""
        out: NDArray[np.object_] = self.array.to_numpy(zero_copy_only=False)
        return out


def _as_array(values: Any) -> NDArray[Any] | ArrowText | None:
    """A column as a numpy array; ``None`` when it is not a sequence at all.

    An ``ArrowText`` stays as it is, for the reference column it is.
    """
    if isinstance(values, np.ndarray | ArrowText):
        return values
    try:
        items = list(values)
    except TypeError:
        return None
    # element by element: a list of tuples must stay a column of tuples
    return np.fromiter(items, dtype=object, count=len(items))


def _table_length(schema: TableSchema, arrays: Mapping[str, NDArray[Any] | ArrowText]) -> int:
    """The length of the table: its key column's, else the most common one (the first on a tie)."""
    key = schema.key
    if key is not None and key.external in arrays:
        return len(arrays[key.external])
    counts = Counter(len(a) for a in arrays.values())
    return counts.most_common(1)[0][0] if counts else 0


def _blank(column: Column, n: int) -> Any:
    """The inside column of ``n`` rows with no value: for a column that could not be read."""
    kind = column.kind
    if kind is K.ID:
        return np.full(n, "", dtype="<U1")
    if kind in (K.REF, K.INT):
        return np.full(n, _NONE, dtype=np.int64)
    if kind is K.CATEGORY:
        return np.full(n, _NONE, dtype=np.int8)
    if kind is K.MONEY:
        return np.zeros(n, dtype=np.int64)
    if kind is K.DATE:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if kind is K.INSTANT:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    if kind is K.FLOAT:
        return np.full(n, np.nan)
    if kind is K.BOOL:
        return np.zeros(n, dtype=bool)
    if kind is K.LABEL:
        return np.full(n, _NONE, dtype=np.int32), ()
    filler = () if kind is K.TEXTS else None
    out = np.empty(n, dtype=object)
    out.fill(filler)
    return out


def ingest(
    schema: TableSchema,
    data: Mapping[str, Any],
    targets: Mapping[str, Keys | None],
    sink: _Sink,
    *,
    trusted: bool = False,
) -> tuple[dict[str, NDArray[Any]], dict[str, tuple[str, ...]], Keys | None]:
    """Convert and check the outside columns ``data`` of one table.

    Every problem goes to ``sink``, those of whole columns (unknown, missing, of another
    length) with row ``-1``; a column that cannot be read is left blank (``-1``, ``NaT``,
    ``None``) and its rows are not checked further.

    Args:
        schema: the table's schema.
        data: outside column name → array-like.
        targets: the ids of every table already read, for references; ``None`` for a
            table whose ids could not be read (references into it are not checked).
        sink: collects row problems.
        trusted: skip the identifier rules (the values come from validated records).

    Returns:
        The inside columns, the label lists of label columns, and the table's ids as read
        (``None`` when it has no id column or it could not be read).
    """
    externals = {c.external: c for c in schema.columns}
    for name in data:
        if name not in externals:
            sink.column(
                str(name),
                "unknown_column",
                f"{schema.name} has no column {name!r}; expected some of {list(externals)}",
            )
    arrays: dict[str, NDArray[Any] | ArrowText] = {}
    for name, values in data.items():
        if name not in externals:
            continue
        array = _as_array(values)
        if array is None or array.ndim != 1:
            shape = "not a sequence" if array is None else f"of {array.ndim} dimensions"
            sink.column(
                name, "column_length", f"column {schema.name}.{name} is {shape}, not a column"
            )
            continue
        arrays[name] = array
    n = _table_length(schema, arrays)
    for name, array in list(arrays.items()):
        if len(array) != n:
            msg = f"column {schema.name}.{name} has {len(array)} rows, the table has {n}"
            sink.column(name, "column_length", msg)
            del arrays[name]
    columns: dict[str, NDArray[Any]] = {}
    labels: dict[str, tuple[str, ...]] = {}
    keys: Keys | None = None
    targets = dict(targets)  # the table's own ids join once read: a comeback points into orders
    for column in schema.columns:
        if trusted:
            column = attrs.evolve(column, check=None, check_array=None, normalise_array=None)
        name = column.external
        if name in arrays:
            raw = arrays[name]
            if isinstance(raw, ArrowText) and column.kind is not K.REF:
                raw = raw.to_numpy()
            converted = _CONVERTERS[column.kind](column, raw, sink, targets)
        elif name in data:  # given, but not as a column of this table's length
            converted = _blank(column, n)
        else:
            default = _default(schema, column)
            if default is _NO_DEFAULT and not column.nullable:
                sink.column(
                    name, "missing_column", f"{schema.name}: required column {name!r} is missing"
                )
                converted = _blank(column, n)
            else:
                raw = np.empty(n, dtype=object)
                raw.fill(None if default is _NO_DEFAULT else default)
                converted = _CONVERTERS[column.kind](column, raw, sink, targets)
        if column.kind is K.LABEL:
            codes, texts = converted
            columns[column.name] = codes
            labels[column.name] = texts
        elif column.kind is K.ID:
            ids, read = converted if isinstance(converted, tuple) else (converted, None)
            columns[column.name] = ids
            keys = None if read is None else Keys(read, column.check)
            targets[schema.name] = keys
        else:
            columns[column.name] = converted
    return columns, labels, keys


# -- text ----------------------------------------------------------------------------------


def _strings(
    column: Column, raw: NDArray[Any], sink: _Sink, what: str
) -> tuple[NDArray[np.object_], NDArray[np.bool_], NDArray[np.bool_]]:
    """An object array of the column with the masks of missing values and of non-texts.

    Numpy text has no ``None``: there an empty text is none. Wrong types and missing
    required values are reported here.
    """
    name = column.external
    if raw.dtype.kind in "UT":
        values = raw.astype(object)
        missing = _nones(values) | (raw == "")
        bad = np.zeros(len(raw), dtype=bool)
    else:
        values = raw.astype(object) if raw.dtype != object else raw
        types = _types(values)
        if types <= {str, _NONE_TYPE}:
            missing = _nones(values) if _NONE_TYPE in types else np.zeros(len(values), bool)
            bad = np.zeros(len(values), dtype=bool)
        else:  # a rare mixture: one Python step per row
            items = values.tolist()
            missing = _mask(_is_missing, items)
            bad = ~missing & ~_mask(str.__instancecheck__, items)
            sink.rows(
                np.flatnonzero(bad),
                name,
                "wrong_type",
                lambda r: f"{name} is {values[r]!r}, expected {what}",
            )
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    return values, missing, bad


def _fast_normal(column: Column, texts: list[str]) -> list[str | None]:
    """The normal form of each text a vectorised rule vouches for, ``None`` for the rest."""
    if column.normalise_array is not None:
        return column.normalise_array(texts)
    test = column.check_array
    if test is None and column.check is not None:
        test = _FAST_TESTS.get(column.check)
    if test is None:
        return [None] * len(texts)
    if test == getattr(column.check, "array", None) or column.check in _FAST_TESTS:
        good = np.asarray(test(texts), dtype=bool)  # a test over a list of texts
    else:  # an identifier's array test (VIN, national ID): numpy text, read in C
        given = np.array(texts, dtype=str) if texts else np.empty(0, dtype="<U1")
        good = np.asarray(test(given), dtype=bool)
    if good.all():
        return list(texts)
    return [t if ok else None for t, ok in zip(texts, good.tolist(), strict=True)]


def _checked(
    column: Column, rows: NDArray[np.intp], texts: list[str], sink: _Sink
) -> tuple[NDArray[np.intp], list[str]]:
    """The texts (at ``rows``) that pass the column's rule, in normal form, with their rows.

    The vectorised rule settles most texts; the others go through ``column.check`` one by
    one, and each one it refuses is reported.
    """
    check = column.check
    if check is None:
        return rows, texts
    name = column.external
    normal = _fast_normal(column, texts)
    if None not in normal:
        return rows, normal  # type: ignore[return-value]  # no None left
    keep = np.ones(len(texts), dtype=bool)
    for i, value in enumerate(normal):
        if value is not None:
            continue
        try:
            normal[i] = check(texts[i])
        except InvalidValue as err:
            sink.add(int(rows[i]), name, err.code, f"{name} {texts[i]!r}: {err}")
            keep[i] = False
    return rows[keep], [t for t, k in zip(normal, keep.tolist(), strict=True) if k]  # type: ignore[misc]


def _lengths(texts: list[str]) -> NDArray[np.int64]:
    return np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))


def _text(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.object_]:
    name = column.external
    values, missing, bad = _strings(column, raw, sink, "text")
    rows = np.flatnonzero(~(missing | bad))
    texts: list[str] = values[rows].tolist()
    lengths = _lengths(texts)
    fits = (lengths >= 1) & (lengths <= column.max_length)
    if not fits.all():
        for i in np.flatnonzero(~fits).tolist():
            sink.add(
                int(rows[i]),
                name,
                "text_length",
                f"{name} has {lengths[i]} characters, must have 1 to {column.max_length}",
            )
        rows = rows[fits]
        texts = [t for t, f in zip(texts, fits.tolist(), strict=True) if f]
    rows, texts = _checked(column, rows, texts, sink)
    out = np.empty(len(values), dtype=object)
    out[rows] = _objects(texts)
    return out


def _label(
    column: Column, raw: NDArray[Any], sink: _Sink, targets: Any
) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    texts: list[str | None] = _text(column, raw, sink, targets).tolist()
    seen = dict.fromkeys(texts)  # the distinct texts, in the order first met
    seen.pop(None, None)
    codes: dict[str | None, int] = {text: i for i, text in enumerate(seen)}
    codes[None] = _NONE
    out = np.fromiter(map(codes.__getitem__, texts), dtype=np.int32, count=len(texts))
    return out, tuple(t for t in seen if t is not None)


def _objects(items: Sequence[Any]) -> NDArray[np.object_]:
    """A one-dimensional object array of ``items``, each kept whole (texts, tuples)."""
    return np.fromiter(items, dtype=object, count=len(items))


#: A list column with this many rows or more is checked once per distinct object first.
_SHARED_MIN: Final = 10_000


def _texts(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.object_]:
    values = raw.astype(object) if raw.dtype != object else raw
    if len(values) >= _SHARED_MIN:
        # Lists of texts repeat (the same few parts replaced, hobbies): rows holding the
        # same object are checked once. Any problem sends the column down the row-by-row
        # way, so that each problem names its own row.
        keys = np.fromiter(map(id, values.tolist()), dtype=np.uint64, count=len(values))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        if len(first) * 4 <= len(values):
            trial = _Sink(sink.table)
            distinct = _texts_by_row(column, values[first], trial)
            if not trial.problems:
                shared: NDArray[np.object_] = distinct[inverse]
                return shared
    return _texts_by_row(column, values, sink)


def _texts_by_row(column: Column, values: NDArray[np.object_], sink: _Sink) -> NDArray[np.object_]:
    name = column.external
    items = values.tolist()
    n = len(items)
    types = _types(items)
    if not types <= {tuple, list, _NONE_TYPE}:  # a rare mixture: row by row
        for row, value in enumerate(items):
            if isinstance(value, np.ndarray):
                items[row] = value.tolist()
            elif value is not None and not isinstance(value, list | tuple):
                sink.add(row, name, "wrong_type", f"{name} is {value!r}, expected a list of texts")
                items[row] = None
        values = _objects(items)
    if _NONE_TYPE in types or not types <= {tuple, list}:
        present = np.flatnonzero(~_nones(values))
        groups: list[Sequence[Any]] = list(map(items.__getitem__, present.tolist()))
    else:  # every row holds a list or tuple
        present = np.arange(n)
        groups = items
    counts = _lengths(groups)  # type: ignore[arg-type]
    starts = np.concatenate(([0], np.cumsum(counts)))
    flat: list[Any] = list(chain.from_iterable(groups))
    owner = np.repeat(present, counts)  # the row of each text
    bad = np.zeros(n, dtype=bool)
    if not _types(flat) <= {str}:
        not_text = np.flatnonzero(~_mask(str.__instancecheck__, flat))
        for r in np.unique(owner[not_text]).tolist():
            sink.add(r, name, "wrong_type", f"{name} is {items[r]!r}, expected a list of texts")
        bad[owner[not_text]] = True
        flat = [t if isinstance(t, str) else "" for t in flat]
    lengths = _lengths(flat)
    long = np.unique(owner[(lengths < 1) | (lengths > column.max_length)])
    for r in long[~bad[long]].tolist():
        sizes = [len(t) for t in items[r]]
        sink.add(
            r,
            name,
            "text_length",
            f"{name} holds texts of {sizes} characters, each must have 1 to {column.max_length}",
        )
    bad[long] = True
    changed: set[int] = set()
    if column.check is not None and flat:
        normal = _fast_normal(column, flat)
        position = np.zeros(n, dtype=np.intp)
        position[present] = np.arange(len(present))
        for i, text in enumerate(normal):
            if text is not None:
                continue
            r = int(owner[i])
            if bad[r]:
                continue
            try:
                normal[i] = column.check(flat[i])
            except InvalidValue as err:
                sink.add(r, name, err.code, f"{name} {items[r]!r}: {err}")
                bad[r] = True
            else:
                changed.add(r)
        for r in changed - set(np.flatnonzero(bad).tolist()):
            j = position[r]
            items[r] = tuple(normal[starts[j] : starts[j + 1]])
    if types <= {tuple, _NONE_TYPE} and not changed and not bad.any():
        out = values.copy()  # every row is already a tuple of good texts, or none
        if len(present) < n:
            out[_nones(values)] = _blank(column, n - len(present))
        return out
    good = present[~bad[present]]
    out = np.empty(n, dtype=object)
    out.fill(())
    out[good] = _objects(list(map(tuple, map(items.__getitem__, good.tolist()))))
    return out


# -- ids and references --------------------------------------------------------------------


def _ids(
    column: Column, raw: NDArray[Any], sink: _Sink, targets: Any
) -> tuple[NDArray[np.str_], list[str]]:
    """The id column (``""`` where bad) and every id as read, in normal form, for references."""
    name = column.external
    values, missing, bad = _strings(column, raw, sink, "an id")
    rows = np.flatnonzero(~(missing | bad))
    given: list[str] = values[rows].tolist()
    read = _normal_ids(given)
    if column.check is not None:
        good_rows, texts = _checked(column, rows, read, sink)
        kept = np.isin(rows, good_rows, assume_unique=True) if len(good_rows) < len(rows) else None
        if kept is not None:  # references still find the ids that broke the rule, as read
            merged = _objects(read)
            merged[kept] = _objects(texts)
            read = merged.tolist()
        else:
            read = texts
    else:
        good_rows, texts = _plain_ids(name, rows, read, sink)
    everything = [""] * len(values)
    if len(rows) == len(values):
        everything = read
    else:
        for row, text in zip(rows.tolist(), read, strict=True):
            everything[row] = text
    if len(good_rows) == len(values):
        ids = np.array(texts, dtype=str) if texts else np.empty(0, dtype="<U1")
    else:
        column_texts = np.full(len(values), "", dtype=object)
        column_texts[good_rows] = _objects(texts)
        ids = column_texts.astype(str) if len(values) else np.empty(0, dtype="<U1")
    if len(set(everything)) < len(everything):
        unique_problems(ids, name, sink)
    return ids, everything


def _plain_ids(
    name: str, rows: NDArray[np.intp], ids: list[str], sink: _Sink
) -> tuple[NDArray[np.intp], list[str]]:
    """The ids that have 1 to 64 characters and no white space, with their rows."""
    lengths = _lengths(ids)
    fits = (lengths >= 1) & (lengths <= _ID_MAX)
    if fits.all() and not has_white_space("".join(ids)):
        return rows, ids
    fits &= ~_mask(has_white_space, ids)
    for i in np.flatnonzero(~fits).tolist():
        sink.add(
            int(rows[i]),
            name,
            "id_format",
            f"{name} {ids[i]!r} must have 1 to {_ID_MAX} characters and no spaces",
        )
    return rows[fits], [t for t, f in zip(ids, fits.tolist(), strict=True) if f]


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

    One hash join: a table of ``ids`` (the first row of an id that repeats), then one
    look-up per wanted id, in C.

    Raises:
        InvalidValue: ``ids`` or ``wanted`` is not a column of texts (a one-dimensional
            array or list), code ``"invalid_argument"``.

    Examples:
        >>> resolve(np.array(["b", "a", "c"]), np.array(["a", "x", "c"])).tolist()
        [1, -1, 2]
    """
    index = Keys(_column_texts(ids, "ids")).index()
    items = _column_texts(wanted, "wanted")
    return np.fromiter(map(index.get, items, repeat(_NONE)), dtype=np.int64, count=len(items))


def _column_texts(values: object, parameter: str) -> list[str]:
    """``values`` as a list of texts, one per row, or our error."""
    items = column_items(values, parameter=parameter)
    if not all(isinstance(v, str) for v in items):
        msg = f"{parameter} is {values!r:.80}, expected a one-dimensional column of texts"
        raise InvalidValue(msg, code="invalid_argument")
    return cast("list[str]", items)


def _ref(
    column: Column,
    raw: NDArray[Any] | ArrowText,
    sink: _Sink,
    targets: Mapping[str, Keys | None],
) -> NDArray[np.int64]:
    name = column.external
    assert column.target is not None  # a schema invariant
    if isinstance(raw, ArrowText):
        joined = _arrow_ref(column, raw, sink, targets.get(column.target))
        if joined is not None:
            return joined
        raw = raw.to_numpy()
    values, missing, bad = _strings(column, raw, sink, "an id")
    out = np.full(len(values), _NONE, dtype=np.int64)
    keys = targets.get(column.target)
    if keys is None:  # the target's ids could not be read: nothing to check against
        return out
    rows = np.flatnonzero(~(missing | bad))
    wanted = _normal_ids(values[rows].tolist())
    index = keys.index() if len(rows) * _FEW > len(keys.texts) else keys.index_of(wanted)
    found = np.fromiter(map(index.get, wanted, repeat(_NONE)), dtype=np.int64, count=len(rows))
    out[rows] = found
    lost = np.flatnonzero(found == _NONE)
    if len(lost) and keys.check is not None:
        # The target's ids were normalised on the way in ("lsvau…" became "LSVAU…"):
        # a reference written the same loose way points to the same row.
        normal = [_normal(keys.check, wanted[i]) for i in lost.tolist()]
        loose = keys.index_of(normal)
        out[rows[lost]] = [loose.get(text, _NONE) for text in normal]
    dangling = rows[lost][out[rows[lost]] == _NONE]
    sink.rows(
        dangling,
        name,
        "dangling_reference",
        lambda r: f"{name} {values[r]} is not in {column.target}",
    )
    return out


def _arrow_ref(
    column: Column, raw: ArrowText, sink: _Sink, keys: Keys | None
) -> NDArray[np.int64] | None:
    """A reference column joined in Arrow; ``None`` when some id needs normalising first."""
    pc, array = raw.compute, raw.array
    if (
        pc.all(pc.string_is_ascii(array)).as_py() is False
        or pc.any(pc.match_substring_regex(array, r"\s")).as_py()
    ):
        return None
    name = column.external
    missing = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    out = np.full(len(array), _NONE, dtype=np.int64)
    if keys is None:  # the target's ids could not be read: nothing to check against
        return out
    present = np.flatnonzero(~missing)
    if len(present) * _FEW <= len(keys.texts):  # few references: no hash of every target id
        wanted: list[str] = array.drop_null().to_pylist()
        index = keys.index_of(wanted)
        out[present] = np.fromiter(map(index.get, wanted, repeat(_NONE)), np.int64, len(wanted))
    else:
        found = pc.index_in(array, value_set=keys.arrow(raw.pa))
        out[:] = found.fill_null(_NONE).to_numpy(zero_copy_only=False)
    lost = np.flatnonzero(~missing & (out == _NONE))
    if not len(lost):
        return out
    given: list[str] = array.take(lost).to_pylist()
    if keys.check is not None:  # written the loose way the target's ids were normalised
        normal = [_normal(keys.check, text) for text in given]
        index = keys.index_of(normal)
        out[lost] = [index.get(text, _NONE) for text in normal]
    for row, text in zip(lost.tolist(), given, strict=True):
        if out[row] == _NONE:
            sink.add(row, name, "dangling_reference", f"{name} {text} is not in {column.target}")
    return out


def _normal(check: Callable[[str], str], value: str) -> str:
    """``value`` in the normal form of ``check``, or ``""`` when it breaks the rule."""
    try:
        return check(value)
    except InvalidValue:
        return ""


# -- categories ----------------------------------------------------------------------------


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
    lookup: dict[Any, int] = {m.value: i for i, m in enumerate(members)}
    lookup |= {m: i for i, m in enumerate(members)}
    items = raw.tolist()
    if _types(items) <= {str, column.enum, _NONE_TYPE}:
        codes = np.fromiter(
            map((lookup | {None: _NONE}).get, items, repeat(_UNKNOWN)),
            dtype=np.int16,
            count=len(items),
        )
        if not column.nullable:
            sink.rows(
                np.flatnonzero(codes == _NONE),
                name,
                "missing_value",
                lambda r: f"{name} is required",
            )
        unknown = codes == _UNKNOWN
        if not unknown.any():
            return codes.astype(np.int8)
        out[~unknown] = codes[~unknown]
        rows = np.flatnonzero(unknown).tolist()
    else:
        rows = list(range(len(items)))
    allowed = ", ".join(m.value for m in members)
    for row in rows:
        value = items[row]
        if _is_missing(value):
            if not column.nullable:
                sink.add(row, name, "missing_value", f"{name} is required")
            continue
        code = lookup.get(value) if isinstance(value, str | column.enum) else None
        if code is None:
            sink.add(row, name, "unknown_code", f"{name} {value!r} is not one of {allowed}")
        else:
            out[row] = code
    return out


# -- numbers -------------------------------------------------------------------------------


def _booleans(column: Column, raw: NDArray[Any], sink: _Sink, what: str) -> bool:
    """Report a column of booleans where numbers belong (``True`` is not 1 fen); whether it was."""
    if raw.dtype.kind != "b":
        return False
    name = column.external
    sink.column(name, "wrong_type", f"column {name!r} holds booleans; expected {what}")
    return True


def _whole_numbers(
    column: Column, raw: NDArray[Any], sink: _Sink, what: str
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Whole numbers as int64 (0 where none), with the masks of missing and of bad values.

    Booleans are refused, and so is every number beyond int64 (``uint64`` values above
    ``2**63 - 1``, huge Python ints); the caller reports missing values and ranges.
    """
    name = column.external
    n = len(raw)
    if raw.dtype.kind == "i":
        return raw.astype(np.int64), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if raw.dtype.kind == "u":
        huge = raw > _INT64_MAX
        _beyond(column, np.flatnonzero(huge), raw, sink)
        return np.where(huge, 0, raw).astype(np.int64), np.zeros(n, dtype=bool), huge
    values = raw.astype(object) if raw.dtype != object else raw
    items = values.tolist()
    types = _types(items)
    if types <= {int, _NONE_TYPE}:
        missing = _nones(values) if _NONE_TYPE in types else np.zeros(n, dtype=bool)
        bad = np.zeros(n, dtype=bool)
    else:
        missing = _mask(_is_missing, items)
        numbers = _mask(
            lambda v: isinstance(v, int | np.integer) and not isinstance(v, _BOOLS), items
        )
        bad = ~missing & ~numbers
        sink.rows(
            np.flatnonzero(bad),
            name,
            "wrong_type",
            lambda r: f"{name} is {items[r]!r}, expected {what}",
        )
    try:
        out = np.where(missing | bad, 0, values).astype(np.int64)
    except OverflowError:  # some ints are beyond int64: find them, one by one
        huge = ~(missing | bad) & _mask(
            lambda v: isinstance(v, int | np.integer) and not _INT64_MIN <= v <= _INT64_MAX, items
        )
        _beyond(column, np.flatnonzero(huge), values, sink)
        bad |= huge
        out = np.where(missing | bad, 0, values).astype(np.int64)
    return out, missing, bad


def _beyond(column: Column, rows: NDArray[np.intp], values: NDArray[Any], sink: _Sink) -> None:
    name = column.external
    sink.rows(
        rows,
        name,
        "out_of_range",
        lambda r: f"{name} is {values[r]}, beyond the largest integer a table holds (2**63 - 1)",
    )


def _money(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.int64]:
    name = column.external
    if raw.dtype.kind == "f":
        msg = f"column {name!r} holds floats; money columns take integer minor units (fen)"
        raise FloatMoneyError(msg)
    if _booleans(column, raw, sink, "integer minor units"):
        return np.zeros(len(raw), dtype=np.int64)
    if raw.dtype.kind == "O":
        items = raw.tolist()
        if any(issubclass(t, float) for t in _types(items)):
            floats = np.flatnonzero(_mask(float.__instancecheck__, items))
            msg = f"column {name!r} holds floats (row {floats[0]}); money takes integer minor units (fen)"
            raise FloatMoneyError(msg)
    values, missing, _ = _whole_numbers(column, raw, sink, "integer minor units")
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    negative = np.flatnonzero(values < 0)
    sink.rows(negative, name, "negative_money", lambda r: f"{name} is {values[r]}, must be >= 0")
    large = np.flatnonzero(values > MAX_MINOR_UNITS)
    sink.rows(
        large,
        name,
        "money_range",
        lambda r: f"{name} is {values[r]}, more than the largest amount {MAX_MINOR_UNITS}",
    )
    usable = np.where((values < 0) | (values > MAX_MINOR_UNITS), 0, values)
    row = first_overflow(usable)
    if row is not None:
        sink.add(
            row,
            name,
            "money_sum",
            f"the sum of {name} over rows 0 to {row} is beyond the largest integer (2**63 - 1)",
        )
    return values


def first_overflow(values: NDArray[np.int64]) -> int | None:
    """The first row where the running sum of non-negative ``values`` leaves int64, if any.

    Cheap when it cannot happen (the count times the largest value fits); otherwise one
    cumulative sum, which wraps negative exactly where the true sum passes ``2**63 - 1``
    (each value is below ``2**63``, so one step cannot wrap past zero again).

    Examples:
        >>> first_overflow(np.array([1, 2, 3])) is None
        True
        >>> first_overflow(np.array([2**62, 2**62, 1]))
        1
    """
    if not len(values) or len(values) * int(values.max()) <= _INT64_MAX:
        return None
    with np.errstate(over="ignore"):
        running = np.cumsum(values, dtype=np.int64)
    wrapped = np.flatnonzero(running < 0)
    return int(wrapped[0]) if len(wrapped) else None


def _int(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.int64]:
    name = column.external
    if raw.dtype.kind == "f":
        missing = np.isnan(raw)
        whole = np.where(missing, 0, raw)
        fractional = ~missing & (whole != np.floor(whole))
        huge = ~missing & ~fractional & ((whole >= 2.0**63) | (whole < -(2.0**63)))
        sink.rows(
            np.flatnonzero(fractional | np.isinf(raw)),
            name,
            "not_integer",
            lambda r: f"{name} is {raw[r]}, expected a whole number",
        )
        huge &= ~np.isinf(raw)
        _beyond(column, np.flatnonzero(huge), raw, sink)
        unusable = fractional | huge | np.isinf(raw)
        values = np.where(missing | unusable, _NONE, whole).astype(np.int64)
    elif _booleans(column, raw, sink, "a whole number"):
        return np.full(len(raw), _NONE, dtype=np.int64)
    else:
        values, missing, unusable = _whole_numbers(column, raw, sink, "a whole number")
    if not column.signed:
        negative = np.flatnonzero(~missing & ~unusable & (values < 0))
        sink.rows(negative, name, "negative", lambda r: f"{name} is {values[r]}, must be >= 0")
    if column.limit is not None:
        limit = int(column.limit)
        above = ~missing & ~unusable & ((np.abs(values) if column.signed else values) > limit)
        sink.rows(
            np.flatnonzero(above),
            name,
            column.range_code,
            lambda r: f"{name} is {values[r]:,}, more than the largest allowed, {limit:,}",
        )
        unusable |= above
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    values[missing | unusable] = _NONE
    return values


def _float(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.float64]:
    name = column.external
    if _booleans(column, raw, sink, "a number"):
        return np.full(len(raw), np.nan)
    if raw.dtype.kind in "fiu":
        values = raw.astype(np.float64)
    else:
        values_o = raw.astype(object) if raw.dtype != object else raw
        items = values_o.tolist()
        if _types(items) <= {float, int, _NONE_TYPE}:
            bad = _nones(values_o)
        else:
            missing = _mask(_is_missing, items)
            numbers = _mask(
                lambda v: (
                    isinstance(v, int | float | np.integer | np.floating)
                    and not isinstance(v, _BOOLS)
                ),
                items,
            )
            wrong = ~missing & ~numbers
            sink.rows(
                np.flatnonzero(wrong),
                name,
                "wrong_type",
                lambda r: f"{name} is {items[r]!r}, expected a number",
            )
            bad = missing | wrong
        with np.errstate(over="ignore"):
            try:
                values = np.where(bad, np.nan, values_o).astype(np.float64)
            except OverflowError:  # an int too large for a float: out of any range
                values = np.array(
                    [
                        np.nan if b else (float(v) if abs(v) < 2**1023 else np.inf)
                        for v, b in zip(items, bad.tolist(), strict=True)
                    ]
                )
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
    name = column.external
    if raw.dtype.kind == "b":
        return raw.astype(bool)
    values = raw.astype(object) if raw.dtype != object else raw
    items = values.tolist()
    missing = _mask(_is_missing, items)
    bad = ~missing & ~_mask(lambda v: isinstance(v, _BOOLS), items)
    sink.rows(
        np.flatnonzero(bad),
        name,
        "wrong_type",
        lambda r: f"{name} is {items[r]!r}, expected True or False",
    )
    if not column.nullable:
        sink.rows(np.flatnonzero(missing), name, "missing_value", lambda r: f"{name} is required")
    return np.where(missing | bad, False, values).astype(bool)  # noqa: FBT003 - the filler of bad rows


# -- dates and instants --------------------------------------------------------------------


def _date(column: Column, raw: NDArray[Any], sink: _Sink, targets: Any) -> NDArray[np.datetime64]:
    name = column.external
    if raw.dtype.kind == "M":
        absent = np.isnat(raw)
        outside = ~absent & ((raw < _FIRST_DAY) | (raw >= _LAST_DAY + np.timedelta64(1, "D")))
        with np.errstate(all="ignore"):
            days = np.where(outside, np.datetime64("NaT"), raw).astype("datetime64[D]")
        timed = np.flatnonzero(~absent & ~outside & (days != raw))
        sink.rows(
            timed,
            name,
            "date_has_time",
            lambda r: f"{name} {raw[r]} has a time of day; a date is expected",
        )
    else:
        items = raw.tolist()
        if len(items) and _types(items) <= {dt.date, _NONE_TYPE}:
            # dates and Nones only: every date is real, converted whole by its ordinal
            absent = _nones(raw)
            present = [d for d, a in zip(items, absent.tolist(), strict=True) if not a]
            ordinals = np.fromiter(map(dt.date.toordinal, present), np.int64, len(present))
            days = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[D]")
            days[~absent] = (ordinals - _EPOCH_DAY).astype("datetime64[D]")
        else:
            days = _dates_by_row(name, items, sink)
            absent = np.isnat(days) & _mask(_is_missing, items)
        outside = ~np.isnat(days) & ((days < _FIRST_DAY) | (days > _LAST_DAY))
    sink.rows(
        np.flatnonzero(outside),
        name,
        "date_range",
        lambda r: f"{name} {raw[r]} is outside {EARLIEST_DATE} to {LATEST_DATE}",
    )
    days[outside] = np.datetime64("NaT")
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
        absent = np.isnat(raw)
        first, end = (
            np.datetime64(EARLIEST_INSTANT.replace(tzinfo=None), "us"),
            np.datetime64(LATEST_INSTANT.replace(tzinfo=None), "us"),
        )
        outside = ~absent & ((raw < first) | (raw >= end))
        with np.errstate(all="ignore"):
            out = np.where(outside, np.datetime64("NaT"), raw).astype("datetime64[us]")
        lost = np.flatnonzero(~absent & ~outside & (out != raw))
        sink.rows(
            lost,
            name,
            "instant_precision",
            lambda r: f"{name} {raw[r]} is finer than a microsecond",
        )
    else:
        items = raw.tolist()
        micros, absent = _micros(name, raw, items, sink)
        outside = (micros != _NO_US) & ((micros < _FIRST_US) | (micros >= _END_US))
        out = np.where((micros == _NO_US) | outside, _NO_US, micros).astype("datetime64[us]")
    sink.rows(
        np.flatnonzero(outside),
        name,
        "instant_range",
        lambda r: f"{name} {raw[r]} is outside {EARLIEST_INSTANT} to {LATEST_INSTANT} (exclusive)",
    )
    if not column.nullable:
        sink.rows(np.flatnonzero(absent), name, "missing_value", lambda r: f"{name} is required")
    return out


_NO_US: Final = int(np.iinfo(np.int64).min)  # NaT as µs since the epoch


def _micros(
    name: str, raw: NDArray[Any], items: list[Any], sink: _Sink
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Instants as µs since the epoch in UTC (``NaT``'s integer where none), and the missing.

    Aware datetimes and Nones go whole; other values row by row.
    """
    if len(items) and _types(items) <= {dt.datetime, _NONE_TYPE}:
        absent = _nones(raw)
        present = [m for m, a in zip(items, absent.tolist(), strict=True) if not a]
        try:  # subtracting an aware epoch raises for a naive datetime
            since = [(moment - _EPOCH) // _MICROSECOND for moment in present]
        except TypeError:
            pass
        else:
            micros = np.full(len(items), _NO_US, dtype=np.int64)
            micros[~absent] = since
            return micros, absent
    micros = np.full(len(items), _NO_US, dtype=np.int64)
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
        micros[row] = (moment - _EPOCH) // _MICROSECOND
    return micros, _mask(_is_missing, items)


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
    VIN), or in a column reported whole (booleans where numbers belong), is left out: the
    cell holds a placeholder where the bad value was.
    """
    reported = {(p.row, p.column) for p in sink.problems}
    whole = {p.column for p in sink.problems if p.row < 0}
    found = chain.from_iterable(check(columns) for check in schema.checks)
    sink.extend([p for p in found if (p.row, p.column) not in reported and p.column not in whole])
