"""Shared test configuration: hypothesis profiles, and reading HTML tables."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, settings

# "ci": deterministic and without deadlines, so a loaded 2-core machine never flakes.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)


class TableCells(HTMLParser):
    """The text of every cell of an HTML fragment's tables, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.classes: list[list[str | None]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
            self.classes.append([])
        elif tag in ("td", "th"):
            self._cell = []
            self.classes[-1].append(dict(attrs).get("class"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def table_cells() -> Callable[[str], TableCells]:
    """A function giving the cells of an HTML fragment's tables (``.rows``, ``.classes``)."""

    def cells(fragment: str) -> TableCells:
        parser = TableCells()
        parser.feed(fragment)
        return parser

    return cells
