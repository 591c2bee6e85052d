"""How results show in a notebook: a short ``repr``, an HTML table, money in major units.

Every result type of the library ([`Labels`][aftersales_crm.policies.Labels], crosstabs,
reports, agendas, KPI tables…) mixes in ``Displayed``. Its ``repr`` names the type and
the size and shows the first ``HEAD_ROWS`` rows as a small text table; its
``_repr_html_``, which Jupyter calls, shows the same rows as an HTML table. Both read only
the first rows: a result of a million rows displays as fast as one of ten, and never turns
all its rows into text.

The rows come from the result's own ``to_pandas()`` (of its first rows) when pandas is
installed, so the notebook shows what the DataFrame holds; without pandas, from the
result's per-row arrays. Display never needs pandas.

Money columns (``*_fen``, integer minor units) can be turned into the currency's major
unit with ``major_units``, which the results' ``to_pandas(money="major")`` calls:
``spend_fen`` becomes ``spend``, holding exact ``Decimal`` yuan
(``Decimal('1234.50')``), computed from the integers, never through float.
"""

from __future__ import annotations

import html
import importlib
import math
import re
from collections.abc import Mapping, Sequence, Sized
from decimal import Decimal
from typing import Any, ClassVar, Final, Literal, TypeAlias

import attrs
import numpy as np

from aftersales_crm._args import ARGUMENT_CODE
from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import currency_exponent
from aftersales_crm.values._money import shifted
from aftersales_crm.values._text import display_width, pad_left, pad_right

__all__ = [
    "HEAD_ROWS",
    "MONEY_SUFFIX",
    "Displayed",
    "Head",
    "MoneyUnit",
    "cell",
    "major_units",
    "money_unit",
    "per_row_arrays",
    "snake_name",
]

HEAD_ROWS: Final = 5
"""Rows a result shows in its ``repr`` and its HTML table."""

MAX_COLUMNS: Final = 8
"""Columns the text ``repr`` shows; the HTML table shows every column."""

MAX_CELL: Final = 24
"""Characters of a cell the text ``repr`` shows; longer texts end in "…"."""

_NUMBER: Final = re.compile(r"-?[0-9][0-9.,e+-]*|NaN|-?inf")
"""A cell the text table aligns right: a number (or a missing one)."""

MONEY_SUFFIX: Final = "_fen"
"""The suffix of money columns in integer minor units (fen of the yuan)."""

MoneyUnit: TypeAlias = Literal["minor", "major"]
"""How ``to_pandas`` gives money: ``"minor"`` integer fen (the default), ``"major"`` Decimal yuan."""


def money_unit(value: object) -> MoneyUnit:
    """``value`` if it is a money unit ``to_pandas`` takes: ``"minor"`` or ``"major"``.

    Raises:
        InvalidValue: anything else, naming the parameter.

    Examples:
        >>> money_unit("major")
        'major'
        >>> money_unit("yuan")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: money is 'yuan' (str), expected 'minor' (integer fen) or 'major' (Decimal yuan)
    """
    if value == "minor" or value == "major":
        return value
    msg = (
        f"money is {value!r:.40} ({type(value).__name__}),"
        " expected 'minor' (integer fen) or 'major' (Decimal yuan)"
    )
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def _major(value: Any, exponent: int) -> Decimal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return shifted(Decimal(int(value)), -exponent)
    except (TypeError, ValueError):  # pandas' NA
        return None


def major_units(
    frame: Any,
    money: object = "major",
    *,
    currency: str = "CNY",
    columns: Sequence[str] = (),
) -> Any:
    """``frame`` with its money columns in the currency's major unit, exact.

    Every integer column whose name ends in ``_fen`` is replaced by a column without the
    suffix (``spend_fen`` → ``spend``) holding ``Decimal`` amounts in the
    major unit (yuan for CNY), made from the integers with their exact scale, never
    through float; a missing amount stays missing (``None``). The columns named in
    ``columns`` (money in minor units under another name, such as ``net``) are converted
    in place. With ``money="minor"`` the frame is returned unchanged.

    Args:
        frame: a pandas DataFrame (or Series, by its name).
        money: ``"major"`` to convert, ``"minor"`` to keep integer minor units.
        currency: the ISO 4217 currency of the amounts; its exponent gives the scale.
        columns: further money columns, converted under their own names.

    Returns:
        A new DataFrame (or Series); ``frame`` itself is not changed.

    Raises:
        InvalidValue: ``money`` is neither ``"minor"`` nor ``"major"``.
        InvalidComponent: ``currency`` is not an ISO 4217 code the library knows.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"spend_fen": [123450, 5], "visits": [3, 1]})
        >>> major_units(frame).to_dict("list")
        {'spend': [Decimal('1234.50'), Decimal('0.05')], 'visits': [3, 1]}
        >>> major_units(frame, "minor") is frame
        True
    """
    if money_unit(money) == "minor":
        return frame
    exponent = currency_exponent(currency)
    pd = importlib.import_module("pandas")  # a frame was given: pandas is there

    def convert(column: Any) -> Any:
        return pd.Series(
            [_major(v, exponent) for v in column.tolist()],
            index=column.index,
            name=column.name,
            dtype=object,
        )

    if isinstance(frame, pd.Series):
        name = frame.name
        if isinstance(name, str) and name.endswith(MONEY_SUFFIX) and frame.dtype.kind in "iu":
            return convert(frame).rename(name.removesuffix(MONEY_SUFFIX))
        return convert(frame) if name in columns else frame
    out = frame.copy()
    renames: dict[str, str] = {}
    for name in list(out.columns):
        money_column = isinstance(name, str) and name.endswith(MONEY_SUFFIX)
        if money_column and (out[name].dtype.kind in "iu" or str(out[name].dtype) == "Int64"):
            out[name] = convert(out[name])
            renames[name] = name.removesuffix(MONEY_SUFFIX)
        elif name in columns:
            out[name] = convert(out[name])
    return out.rename(columns=renames)


def snake_name(name: str) -> str:
    """A class name in lower snake case: ``ParetoABC`` → ``pareto_abc``.

    Examples:
        >>> snake_name("ParetoABC"), snake_name("RFMScore"), snake_name("BgNbd"), snake_name("NPS")
        ('pareto_abc', 'rfm_score', 'bg_nbd', 'nps')
    """
    out: list[str] = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            before, after = name[i - 1], name[i + 1 : i + 2]
            if before.islower() or before.isdigit() or (before.isupper() and after.islower()):
                out.append("_")
        out.append(ch.lower())
    return "".join(out)


@attrs.frozen
class Head:
    """The first rows of a result, as text: what its ``repr`` and HTML table show.

    Attributes:
        index: the names of the index columns (none for a plain row number).
        columns: the names of the other columns.
        rows: per row, its index cells then its other cells, as text.
        total: how many rows the whole result has.

    Examples:
        >>> head = Head(("customer_id",), ("tier",), (("C1", "A"),), total=3)
        >>> print(head.text())
        customer_id  tier
        C1           A
        … 2 more rows
    """

    index: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int

    def text(self, max_columns: int = MAX_COLUMNS) -> str:
        """The rows as a small aligned text table, at most ``max_columns`` columns wide."""
        names = [*self.index, *self.columns]
        shown = min(len(names), max(max_columns, len(self.index) + 1))
        cut = shown < len(names)
        table = [
            [_clip(n) for n in names[:shown]],
            *([_clip(c) for c in row[:shown]] for row in self.rows),
        ]
        widths = [max(display_width(row[j]) for row in table) for j in range(shown)]
        right = [
            j >= len(self.index)
            and bool(table[1:])
            and all(_NUMBER.fullmatch(r[j]) for r in table[1:])
            for j in range(shown)
        ]
        lines = [
            "  ".join(
                (pad_left if right[j] else pad_right)(cell, widths[j]) for j, cell in enumerate(row)
            ).rstrip()
            + ("  …" if cut else "")
            for row in table
        ]
        more = self.total - len(self.rows)
        if cut:
            lines.append(f"… {len(names) - shown} more columns")
        if more > 0:
            lines.append(f"… {more:,} more rows")
        return "\n".join(lines)

    def html(self) -> str:
        """The rows as an HTML table, every cell escaped."""
        head = "".join(f"<th>{html.escape(n)}</th>" for n in (*self.index, *self.columns))
        body = []
        for row in self.rows:
            cells = [
                f"<th>{html.escape(c)}</th>"
                if j < len(self.index)
                else f"<td>{html.escape(c)}</td>"
                for j, c in enumerate(row)
            ]
            body.append(f"<tr>{''.join(cells)}</tr>")
        more = self.total - len(self.rows)
        foot = f"<p>… {more:,} more rows</p>" if more > 0 else ""
        return (
            '<table class="dataframe"><thead><tr>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{foot}"
        )


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def cell(value: Any) -> str:
    """A value as the text of a table cell: missing as ``NaN``, floats to 6 digits."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value)
    return "NaN" if text in ("<NA>", "NaT", "nan") else text


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        return None


def _frame_head(frame: Any, pd: Any, total: int | None) -> Head:
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name="value" if frame.name is None else frame.name)
    size = len(frame) if total is None else total
    top = frame.head(HEAD_ROWS)
    plain = isinstance(top.index, pd.RangeIndex) and all(n is None for n in top.index.names)
    index = () if plain else tuple(str(n) if n is not None else "" for n in top.index.names)
    rows = []
    for key, values in zip(top.index.tolist(), top.itertuples(index=False), strict=True):
        keys = () if plain else (key if isinstance(key, tuple) else (key,))
        rows.append(tuple(cell(v) for v in (*keys, *values)))
    return Head(index, tuple(str(c) for c in top.columns), tuple(rows), size)


def _cut(value: Any, n: int, total: int) -> Any:
    """``value`` with every array of ``total`` rows cut to its first ``n``, however nested.

    Arrays in mappings (keys by column) and in attrs fields (figures per measure) are cut
    too; whatever holds no such array is returned as it is.
    """
    if isinstance(value, np.ndarray):
        return value[:n] if value.shape[:1] == (total,) else value
    if isinstance(value, Mapping):
        cut = {key: _cut(item, n, total) for key, item in value.items()}
        same = all(cut[key] is item for key, item in value.items())
        return value if same else cut
    changes = {
        f.name: _cut(getattr(value, f.name), n, total)
        for f in _fields(value)
        if f.init and not f.name.startswith("_")
    }
    changes = {name: item for name, item in changes.items() if item is not getattr(value, name)}
    return attrs.evolve(value, **changes) if changes else value


def _fields(result: object) -> tuple[Any, ...]:
    kind: Any = type(result)
    return tuple(attrs.fields(kind)) if attrs.has(kind) else ()


def per_row_arrays(result: object) -> dict[str, Any]:
    """The one-dimensional arrays among the attrs fields of ``result``, as long as the first."""
    arrays: dict[str, Any] = {}
    for field in _fields(result):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray) and value.ndim == 1:
            if arrays and len(value) != len(next(iter(arrays.values()))):
                continue
            arrays[field.name] = value
    return arrays


def _array_head(arrays: Mapping[str, Any], total: int | None) -> Head:
    lengths = [len(a) for a in arrays.values()]
    size = (lengths[0] if lengths else 0) if total is None else total
    n = min(HEAD_ROWS, *lengths) if lengths else 0
    rows = tuple(tuple(cell(a[i]) for a in arrays.values()) for i in range(n))
    return Head((), tuple(arrays), rows, size)


class Displayed:
    """A result's notebook display: a short ``repr`` and ``_repr_html_`` of its first rows.

    Mix it into a result type (``@attrs.frozen(repr=False)``): the ``repr`` names the type,
    the size and shows ``HEAD_ROWS`` rows; ``_repr_html_`` gives the same rows as an
    escaped HTML table. The rows come from ``to_pandas()`` of the first rows (``take`` of
    them, when the type has ``take``, else its per-row arrays cut to the first rows) when
    pandas is installed, else from its per-row arrays. A type may override
    ``_display_title`` and ``_display_sample``.

    Examples:
        >>> @attrs.frozen(repr=False)
        ... class Visits(Displayed):
        ...     counts: np.ndarray
        ...     def __len__(self):
        ...         return len(self.counts)
        >>> print(repr(Visits(np.arange(7))))
        Visits: 7 rows
        counts
        0
        1
        2
        3
        4
        … 2 more rows
        >>> Visits(np.arange(2))._repr_html_()[:40]
        '<div><p><b>Visits</b>: 2 rows</p><table '
    """

    __slots__ = ()

    _display_whole: ClassVar[bool] = False
    """Convert the whole result for display: for results of a row per dealer or group,
    few enough, whose rows are held in ways the generic cut cannot see (tuples)."""

    def _display_title(self) -> str:
        """The first words of the display: the type's name (and the result's own name)."""
        return type(self).__name__

    def _display_total(self) -> int | None:
        """How many rows the result has (None: as many as its DataFrame)."""
        return len(self) if isinstance(self, Sized) else None

    def _display_sample(self, n: int) -> object:
        """The result cut to its first ``n`` rows (itself for a small summary)."""
        total = self._display_total()
        if total is None or total <= n or self._display_whole:
            return self
        take = getattr(self, "take", None)
        if callable(take):
            return take(np.arange(n))
        return _cut(self, n, total)

    def _display_arrays(self) -> Mapping[str, Any]:
        """The per-row arrays shown without pandas, by column name (the attrs fields')."""
        return per_row_arrays(self)

    def _display_head(self) -> Head:
        """The first rows as text: from ``to_pandas`` with pandas, else from the arrays."""
        total = self._display_total()
        sample = self._display_sample(HEAD_ROWS)
        pd = _pandas()
        to_pandas = getattr(sample, "to_pandas", None)
        if pd is not None and callable(to_pandas):
            return _frame_head(to_pandas(), pd, total)
        shown = sample if isinstance(sample, Displayed) else self
        return _array_head(shown._display_arrays(), total)

    def _display_size(self, head: Head) -> str:
        rows = "row" if head.total == 1 else "rows"
        return f"{head.total:,} {rows}"

    def __repr__(self) -> str:
        """The type, its size and its first rows as text: short at any size."""
        head = self._display_head()
        return f"{self._display_title()}: {self._display_size(head)}\n{head.text()}"

    def _repr_html_(self) -> str:
        """The type, its size and its first rows as an HTML table (for Jupyter)."""
        head = self._display_head()
        title = html.escape(self._display_title())
        return f"<div><p><b>{title}</b>: {html.escape(self._display_size(head))}</p>{head.html()}</div>"
