"""A vendor's export: one Parquet or CSV file per table, read and checked whole.

The directory holds ``<table>.parquet`` or ``<table>.csv`` for any of the tables of
``SCHEMAS`` (tables without a file are empty); other files are
ignored. Parquet columns keep their types. CSV cells are read as text (UTF-8, a byte-order
mark allowed, an empty cell for none) and typed from the schema before the library's own
ingest checks them: integers and money (integer minor units) as whole numbers, floats,
flags as ``true``/``false`` (or ``1``/``0``), lists of texts separated by ``|``; a cell that
does not read as its type is passed on as text, so that the ingest reports it with its rule.

With pyarrow (the ``arrow`` extra) a CSV file is parsed and typed a column at a time in
Arrow, about five times faster; a column with a cell that does not read as its type is
typed cell by cell as without it, and a file Arrow cannot parse (rows of another length,
text that is not UTF-8) is read with the ``csv`` module, which names the bad line. The line
of each row is counted only when a problem needs it.

Every problem of every file is reported at once, as an ``ExportProblem`` naming the
file, the row as numbered in the file (for CSV the line, the header being line 1; for
Parquet the row, the first being 1), the column and the message.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import AftersalesError, MissingDependencyError, TableValidationError
from aftersales_crm.tables import SCHEMAS, Column, ColumnKind, Tables

__all__ = ["SUFFIXES", "TEXTS_SEPARATOR", "ExportProblem", "ExportProblems", "read_export"]

#: The file suffixes of an export, by format.
SUFFIXES: Final = (".parquet", ".csv")
#: The separator of the texts of a list column (``hobbies``) in a CSV cell.
TEXTS_SEPARATOR: Final = "|"

_WHOLE: Final = re.compile(r"[+-]?[0-9]+")
_TRUE: Final = frozenset({"true", "1", "yes"})
_FALSE: Final = frozenset({"false", "0", "no"})


@attrs.frozen
class ExportProblem:
    """One problem of an export: where it is and what is wrong.

    Attributes:
        file: the file's name in the export directory (or the directory's own path).
        row: the row as numbered in the file (CSV: its line, the header being line 1;
            Parquet: its row, the first being 1), or None for a problem of the whole file.
        column: the column's name as in the file, or ``""``.
        message: what is wrong, naming the rule.
        code: the rule's stable code.
    """

    file: str
    row: int | None
    column: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        """``orders.csv:12: customer_id: customer_id C9 is not in customers [code]``."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" {self.column}:" if self.column else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{where}:{column} {self.message}{code}"


class ExportProblems(AftersalesError, ValueError):
    """The export has problems; ``problems`` lists every one, file by file, row by row."""

    code = "export_invalid"
    message = "the export is invalid"

    def __init__(self, problems: Iterable[ExportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} problems in the export")


def _whole(text: str) -> Any:
    return int(text) if _WHOLE.fullmatch(text.strip()) else text


def _float(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def _flag(text: str) -> Any:
    folded = text.strip().casefold()
    return True if folded in _TRUE else False if folded in _FALSE else text


def _texts(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(TEXTS_SEPARATOR) if part.strip())


#: How a CSV cell's text becomes the value the ingest expects, by column kind (the other
#: kinds take text: ids, references, categoricals, dates and instants in ISO form).
_FROM_TEXT: Final[Mapping[ColumnKind, Callable[[str], Any]]] = {
    ColumnKind.INT: _whole,
    ColumnKind.MONEY: _whole,
    ColumnKind.FLOAT: _float,
    ColumnKind.BOOL: _flag,
    ColumnKind.TEXTS: _texts,
}


@attrs.define
class _File:
    """One table's file as read: its outside columns and the file's number of each row."""

    path: Path
    columns: dict[str, Any] | None = None
    rows: list[int] | None = None  # CSV: the line of each row, counted when first needed

    @property
    def is_csv(self) -> bool:
        return self.path.suffix == ".csv"

    def row(self, index: int) -> int | None:
        """The row as numbered in the file: a CSV line (the header for ``-1``), else from 1."""
        if not self.is_csv:
            return None if index < 0 else index + 1
        if index < 0:
            return 1
        if self.rows is None:
            self.rows = _lines(self.path)
        return self.rows[index]


def _lines(path: Path) -> list[int]:
    """The line each row of a CSV file starts on, blank lines skipped, as when reading."""
    lines = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        start = reader.line_num + 1
        for record in reader:
            if record:  # a blank line is no row
                lines.append(start)
            start = reader.line_num + 1
    return lines


def _read_csv(file: _File, table: str, problems: list[ExportProblem]) -> None:
    """The columns of a CSV file, typed from the schema: by Arrow if it can, else row by row."""
    try:
        require("pyarrow.csv", extra="arrow")
    except MissingDependencyError:
        _read_csv_rows(file, table, problems)
        return
    if not _read_csv_arrow(file, table):
        _read_csv_rows(file, table, problems)


def _read_csv_rows(file: _File, table: str, problems: list[ExportProblem]) -> None:
    """The text columns of a CSV file, typed from the schema, and the line of each row."""
    by_name = {c.external: c for c in SCHEMAS[table].columns}
    name = file.path.name
    with file.path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            problems.append(ExportProblem(name, None, "", "the file is empty", "empty_file"))
            return
        seen: set[str] = set()
        for column in header:
            if column in seen:
                msg = f"column {column!r} repeats"
                problems.append(ExportProblem(name, 1, column, msg, "repeated_column"))
            seen.add(column)
        cells: list[list[str]] = [[] for _ in header]
        lines: list[int] = []
        start = reader.line_num + 1
        for record in reader:
            if not record:  # a blank line is no row
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                msg = f"the row has {len(record)} cells, the header {len(header)}"
                problems.append(ExportProblem(name, start, "", msg, "row_length"))
                record = (record + [""] * len(header))[: len(header)]
            for values, cell in zip(cells, record, strict=True):
                values.append(cell)
            lines.append(start)
            start = reader.line_num + 1
    file.rows = lines
    file.columns = {}
    for column, texts in zip(header, cells, strict=True):
        schema_column = by_name.get(column)
        file.columns[column] = _typed(schema_column, texts)


def _typed(column: Column | None, texts: list[str]) -> NDArray[np.object_]:
    """A CSV column's cells as the ingest reads them: None for empty, typed by its kind."""
    convert = None if column is None else _FROM_TEXT.get(column.kind)
    out = np.empty(len(texts), dtype=object)
    if convert is _texts:  # an empty cell is an empty list; one by one, as tuples
        for i, text in enumerate(texts):
            out[i] = _texts(text)
    elif convert is None:
        out[:] = [t if t else None for t in texts]
    else:
        out[:] = [convert(t) if t else None for t in texts]
    return out


_OFFSET: Final = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"


def _read_csv_arrow(file: _File, table: str) -> bool:
    """Read a CSV file with Arrow, every cell as text, then type it; False if Arrow cannot.

    A column whose cells all read as its kind is cast whole; any other is typed cell by
    cell (``_typed``), so that only its bad cells stay text for the ingest to report.
    """
    pa = require("pyarrow", extra="arrow")
    pacsv = require("pyarrow.csv", extra="arrow")
    from aftersales_crm.tables._interop import from_arrow_tables  # pyarrow loads on use

    with file.path.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream), None)
    if not header or len(set(header)) != len(header):
        return False  # empty, or a column twice: the row reader says so
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(header, pa.string()),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    try:
        arrow = pacsv.read_csv(file.path, convert_options=options)
    except (pa.ArrowInvalid, UnicodeDecodeError):  # rows of another length, not UTF-8
        return False
    by_name = {c.external: c for c in SCHEMAS[table].columns}
    typed, slow = [], {}
    for name in arrow.column_names:
        values = arrow.column(name)
        column = by_name.get(name)
        cast = None if column is None else _cast(pa, values, column)
        if cast is None and column is not None and column.kind in _FROM_TEXT:
            slow[name] = _typed(column, [v or "" for v in values.to_pylist()])
            cast = values
        typed.append(values if cast is None else cast)
    columns = from_arrow_tables({table: pa.table(typed, names=arrow.column_names)})[table]
    file.columns = columns | slow
    return True


def _cast(pa: Any, values: Any, column: Column) -> Any:
    """A text column in the Arrow type of its kind, or None if a cell does not read so."""
    pc = require("pyarrow.compute", extra="arrow")
    kind = column.kind
    if kind is ColumnKind.TEXTS:
        filled = values.fill_null("")
        lists = pc.split_pattern(filled, TEXTS_SEPARATOR)
        empty = pa.scalar([], type=pa.list_(pa.string()))
        lists = pc.if_else(pc.equal(filled, ""), empty, lists)
        parts = pc.list_flatten(lists)
        clean = pc.all(pc.equal(parts, pc.utf8_trim_whitespace(parts))).as_py() is not False
        return lists if clean and not pc.any(pc.equal(parts, "")).as_py() else None
    if kind is ColumnKind.BOOL:
        folded = pc.utf8_lower(pc.utf8_trim_whitespace(values))
        if not set(pc.unique(folded).to_pylist()) - {None} <= _TRUE | _FALSE:
            return None
        true = pc.is_in(folded, value_set=pa.array(sorted(_TRUE)))
        return pc.if_else(pc.is_null(folded), pa.scalar(None, pa.bool_()), true)
    if kind is ColumnKind.INSTANT:  # only with an offset: a naive text is the ingest's to name
        aware = pc.match_substring_regex(values, _OFFSET)
        if pc.all(aware).as_py() is False:  # nulls are skipped
            return values
    target = {
        ColumnKind.INT: pa.int64(),
        ColumnKind.MONEY: pa.int64(),
        ColumnKind.FLOAT: pa.float64(),
        ColumnKind.DATE: pa.date32(),
        ColumnKind.INSTANT: pa.timestamp("us", tz="UTC"),
    }.get(kind)
    if target is None:
        return values  # ids, references, categoricals, text: the text is the value
    try:
        return values.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None if kind in _FROM_TEXT else values  # dates: the ingest names bad texts


def _read_parquet(file: _File, table: str, problems: list[ExportProblem]) -> None:
    """The columns of a Parquet file, as the library reads Arrow."""
    parquet = require("pyarrow.parquet", extra="arrow")
    from aftersales_crm.tables._interop import from_arrow_tables  # pyarrow loads on use

    try:
        arrow = parquet.read_table(file.path)
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
        msg = f"not a Parquet file: {err}"
        problems.append(ExportProblem(file.path.name, None, "", msg, "unreadable_file"))
        return
    try:
        file.columns = from_arrow_tables({table: arrow})[table]
    except AftersalesError as err:
        problems.append(ExportProblem(file.path.name, None, "", str(err), err.code))


def _files(directory: Path, problems: list[ExportProblem]) -> dict[str, _File]:
    """The export's file of each table; unknown tables and doubled files are problems."""
    found: dict[str, _File] = {}
    known = list(SCHEMAS)
    for path in sorted(directory.iterdir()):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        table = path.stem
        if table not in SCHEMAS:
            hint = did_you_mean(table, known) or f"the tables are {', '.join(known)}"
            msg = f"no table {table!r}; {hint}"
            problems.append(ExportProblem(path.name, None, "", msg, "unknown_table"))
        elif table in found:
            msg = f"{table} is also in {found[table].path.name}; give one file per table"
            problems.append(ExportProblem(path.name, None, "", msg, "repeated_table"))
        else:
            found[table] = _File(path)
    return {table: found[table] for table in known if table in found}  # in building order


def read_export(
    directory: Path,
    *,
    currency: str = "CNY",
    step: Callable[[str], Any] | None = None,
) -> Tables:
    """The checked tables of a vendor's export.

    Args:
        directory: the export's directory.
        currency: the ISO 4217 code of every amount.
        step: called with what is being done before each long step (for progress).

    Returns:
        The tables.

    Raises:
        ExportProblems: listing every problem of every file, in table order then row
            order (problems of whole files and columns first).
    """
    problems: list[ExportProblem] = []
    files = _files(directory, problems)
    if not files and not problems:
        names = " or ".join(f"<table>{suffix}" for suffix in SUFFIXES)
        msg = f"no table files ({names}) in the directory"
        raise ExportProblems([ExportProblem(str(directory), None, "", msg, "empty_export")])
    for table, file in files.items():
        if step is not None:
            step(f"reading {file.path.name}")
        try:
            if file.path.suffix == ".csv":
                _read_csv(file, table, problems)
            else:
                _read_parquet(file, table, problems)
        except (OSError, UnicodeDecodeError) as err:
            msg = f"cannot be read: {err}"
            problems.append(ExportProblem(file.path.name, None, "", msg, "unreadable_file"))
    data = {table: file.columns for table, file in files.items() if file.columns is not None}
    if step is not None:
        step("checking the export")
    try:
        tables = Tables.from_arrays(currency=currency, **data)
    except TableValidationError as err:
        problems += _located(err, files, directory)
        tables = None
    except AftersalesError as err:  # a problem of a whole column (floats for money)
        problems.append(ExportProblem(str(directory), None, "", str(err), err.code))
        tables = None
    if problems or tables is None:
        order = {table: i for i, table in enumerate(SCHEMAS)}
        problems.sort(key=lambda p: (order.get(Path(p.file).stem, -1), p.row or 0))
        raise ExportProblems(problems)
    return tables


def _located(
    err: TableValidationError, files: Mapping[str, _File], directory: Path
) -> list[ExportProblem]:
    """The ingest's problems, each with its file and the row as numbered in the file."""
    out = []
    for problem in err.problems:
        file = files.get(problem.table)
        if file is None:  # a table with no file holds no rows: not expected, but kept
            name, row = str(directory / problem.table), None
        else:
            name, row = file.path.name, file.row(problem.row)
        out.append(ExportProblem(name, row, problem.column, problem.message, problem.code))
    return out
