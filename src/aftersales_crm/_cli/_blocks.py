"""The blocks a report section is made of: lines of prose, tables, preformatted reports.

A section's builder yields its lines one by one (``str``), each table as a ``Grid``, and
a report the library formats itself (the follow-up KPIs, master-data quality) as a
``Pre``. The text report flattens the blocks to lines with ``text_lines``, so the demo
prints what it always printed; the HTML report (``html_blocks``) makes a paragraph of
each line, an HTML ``<table>`` of each grid and a ``<pre>`` of each preformatted report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from aftersales_crm.values._text import pad_left, pad_right

__all__ = ["INDENT", "Block", "Grid", "Pre", "html_blocks", "text_lines"]

_NUMBER: Final = ' class="num"'  # a right-aligned (number) cell

#: How far a table stands in from its section's heading in the text report.
INDENT: Final = "    "


def _cells(row: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(cell) for cell in row)


def _rows(rows: Iterable[Iterable[object]]) -> tuple[tuple[str, ...], ...]:
    return tuple(_cells(row) for row in rows)


def _widths(widths: Iterable[int]) -> tuple[int, ...]:
    return tuple(widths)


def _optional_lines(lines: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if lines is None else _cells(lines)


@attrs.frozen
class Grid:
    """A table of the report: a header and rows of text cells.

    As text, each row is one line standing in ``INDENT``, each cell padded to its
    column's width on the side ``align`` says (numbers to the right, so they line up). A
    table whose text the library lays out itself (the matrix, by
    ``MatrixSummary.format``) gives those lines as ``text``, and its cells only for HTML.

    Attributes:
        header: the column headings.
        rows: the cells of each row, as text.
        widths: each column's width in the text report (terminal columns).
        align: ``"l"`` or ``"r"`` per column; by default the first column (the row's
            label) left, the others right.
        text: the text report's lines, when they are not laid out from the cells.
    """

    header: tuple[str, ...] = attrs.field(converter=_cells)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)
    widths: tuple[int, ...] = attrs.field(default=(), converter=_widths)
    align: str = attrs.field()
    text: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_lines)

    @align.default
    def _label_then_numbers(self) -> str:
        return "l" + "r" * (len(self.header) - 1)

    def __attrs_post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                msg = (
                    f"row {i} of a report table has {len(row)} cells, its header {len(self.header)}"
                )
                raise ValueError(msg)
        if self.text is None and len(self.widths) != len(self.header):
            msg = f"a report table of {len(self.header)} columns has {len(self.widths)} widths"
            raise ValueError(msg)
        if len(self.align) != len(self.header) or set(self.align) - {"l", "r"}:
            msg = f"a report table of {len(self.header)} columns is aligned {self.align!r}"
            raise ValueError(msg)

    def lines(self) -> tuple[str, ...]:
        """The table as lines of the text report."""
        if self.text is not None:
            return self.text
        return tuple(self._line(row) for row in (self.header, *self.rows))

    def _line(self, cells: Sequence[str]) -> str:
        return INDENT + "".join(
            (pad_right if side == "l" else pad_left)(cell, width)
            for cell, width, side in zip(cells, self.widths, self.align, strict=True)
        )

    def html(self) -> str:
        """The table as an HTML ``<table>``: cells escaped and stripped, numbers right-aligned."""

        def row(cells: Sequence[str], tag: str) -> str:
            return (
                "<tr>"
                + "".join(
                    f"<{tag}{_NUMBER if side == 'r' else ''}>{html.escape(c.strip())}</{tag}>"
                    for c, side in zip(cells, self.align, strict=True)
                )
                + "</tr>"
            )

        body = "".join(row(cells, "td") for cells in self.rows)
        return f"<table><thead>{row(self.header, 'th')}</thead><tbody>{body}</tbody></table>"


@attrs.frozen
class Pre:
    """A report the library lays out itself, kept as it is (HTML ``<pre>``).

    Attributes:
        lines: its lines, as the text report prints them.
    """

    lines: tuple[str, ...] = attrs.field(converter=_cells)


Block = str | Grid | Pre
"""One block of a section: a line of prose, a table, or a preformatted report."""


def text_lines(blocks: Iterable[Block]) -> tuple[str, ...]:
    """The blocks as the text report's lines.

    Args:
        blocks: a section's blocks, in order.

    Returns:
        Each line of prose as it is, each table's and report's lines in their place.
    """
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out.extend(block.lines() if isinstance(block, Grid) else block.lines)
    return tuple(out)


def html_blocks(blocks: Iterable[Block]) -> list[str]:
    """The blocks as HTML: a paragraph per line, a table per grid, ``<pre>`` per report.

    A line of prose keeps its depth: the text report's indent of two spaces a level
    becomes the paragraph's class ``i1``, ``i2`` or ``i3``; a blank line is dropped.

    Args:
        blocks: a section's blocks, in order.

    Returns:
        The HTML fragments, in order.
    """
    out = []
    for block in blocks:
        if isinstance(block, Grid):
            out.append(block.html())
        elif isinstance(block, Pre):
            out.append(f"<pre>{html.escape(chr(10).join(block.lines))}</pre>")
        elif block.strip():
            depth = min((len(block) - len(block.lstrip(" "))) // 2, 3)
            attribute = f' class="i{depth}"' if depth else ""
            out.append(f"<p{attribute}>{html.escape(block.strip())}</p>")
    return out
