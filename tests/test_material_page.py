"""The page "How the library reads the training material" agrees with the code.

Every row names a document the library knows, a reading (follows / reads / departs) and
places in the library that exist; every passage the library keeps as a ``Quote`` is on the
page, under the same document.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import NamedTuple

import pytest

import aftersales_crm
from aftersales_crm.values import Material, Quote

PAGE = Path(__file__).resolve().parents[1] / "docs" / "material.md"
READINGS = ("follows", "reads", "departs")


class Row(NamedTuple):
    rule: str
    passage: str
    document: str
    where: str
    reading: str
    why: str


def _rows() -> list[Row]:
    rows = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == len(Row._fields) and cells[0] not in ("rule", "---"):
            rows.append(Row(*cells))
    return rows


ROWS = _rows()


def _resolve(dotted: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


def _quotes(value: object, seen: set[int]) -> Iterator[Quote]:
    """The quotes held in ``value``: itself, or inside its tuples, lists and mappings."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Quote):
        yield value
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _quotes(item, seen)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _quotes(item, seen)


def _library_quotes() -> list[tuple[str, Quote]]:
    """Every quote a module or a class of the library holds, with where it was found."""
    found: list[tuple[str, Quote]] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages(aftersales_crm.__path__, "aftersales_crm."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            holders = [value]
            if isinstance(value, type) and value.__module__ == module.__name__:
                holders = list(vars(value).values())
                if issubclass(value, Enum):  # members may carry their quote
                    holders += [getattr(member, "quote", None) for member in value]
            for holder in holders:
                found += [(f"{info.name}.{name}", q) for q in _quotes(holder, seen)]
    return found


def test_the_page_has_a_row_for_each_kind_of_rule() -> None:
    assert len(ROWS) >= 40
    assert {row.document.strip("`") for row in ROWS} <= {m.name for m in Material}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.passage[:24])
def test_each_row_names_a_document_a_reading_and_places_that_exist(row: Row) -> None:
    assert row.document.strip("`") in Material.__members__, row.document
    assert row.reading in READINGS, row.reading
    assert row.passage
    assert "`" not in row.passage
    if row.reading != "follows":
        assert row.why, f"a {row.reading!r} row must say why"
    places = re.findall(r"`(aftersales_crm\.[\w.]+)`", row.where)
    assert places, f"no place in the library named in {row.where!r}"
    for place in places:
        _resolve(place)


def test_every_quote_the_library_keeps_is_on_the_page_under_its_document() -> None:
    quotes = _library_quotes()
    assert quotes, "the library keeps no quotes"
    on_page = {(row.passage, row.document.strip("`")) for row in ROWS}
    missing = [
        f"{where}: {quote}"
        for where, quote in quotes
        if not any(
            quote.text in passage and document == quote.source.name for passage, document in on_page
        )
    ]
    assert not missing, "quotes missing from docs/material.md:\n" + "\n".join(missing)
