"""The export schema: every table's columns as a vendor writes them, from ``SCHEMAS``.

One description of each column (its name in the file, type, whether it must be present,
whether a row may leave it empty, what it references), rendered as text, JSON or the
Markdown table of the docs page ``docs/vendor-export.md`` (a test keeps the page current).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from aftersales_crm.tables import SCHEMAS, Column, ColumnKind, TableSchema
from aftersales_crm.tables._ingest import _NO_DEFAULT, _default

__all__ = ["schema_json", "schema_markdown", "schema_rows", "schema_text"]

K = ColumnKind

#: How each kind of column is written in an export.
_TYPES: Final[Mapping[ColumnKind, str]] = {
    K.ID: "id: text, 1 to 64 characters, unique",
    K.REF: "id",
    K.CATEGORY: "one of",
    K.MONEY: "money: integer minor units (fen), >= 0",
    K.DATE: "date: ISO 8601 (2026-11-22)",
    K.INSTANT: "instant: ISO 8601 with offset, or a UTC timestamp",
    K.INT: "integer",
    K.FLOAT: "number",
    K.BOOL: "flag: true or false",
    K.TEXT: "text",
    K.LABEL: "text",
    K.TEXTS: "list of texts (CSV: a|b|c)",
}


#: What the identifier rules of text columns check, by the module of the rule.
_RULES: Final[Mapping[str, str]] = {
    "aftersales_crm.values.vin": "a VIN (ISO 3779, check digit verified)",
    "aftersales_crm.values.national_id": "a resident ID number (GB 11643, check digit verified)",
    "aftersales_crm.values.plate": "a licence plate (GA 36)",
}


def _rule(column: Column) -> str:
    """What a text column's rule accepts, or ``""`` for free text."""
    check: Any = column.check
    if check is None or getattr(check, "__name__", "") == "stripped_name":
        return ""
    what = getattr(check, "what", None) or getattr(getattr(check, "pattern", None), "what", None)
    if what:
        return str(what)
    if hasattr(check, "normalise_array"):
        return "a phone number, stored as E.164"
    return _RULES.get(getattr(check, "__module__", ""), "checked by its rule")


def _type(column: Column) -> str:
    rule = _rule(column)
    if column.kind in (K.TEXT, K.ID) and rule:
        return f"text: {rule}" if column.kind is K.TEXT else f"id: {rule}, unique"
    if column.kind is K.CATEGORY and column.enum is not None:
        return "one of " + ", ".join(str(m.value) for m in column.enum)
    if column.kind is K.INT:
        sign = "" if column.signed else ", >= 0"
        return f"integer{sign}" + (f", <= {column.limit:g}" if column.limit is not None else "")
    return _TYPES[column.kind]


def _row(schema: TableSchema, column: Column) -> dict[str, Any]:
    required = _default(schema, column) is _NO_DEFAULT and not column.nullable
    return {
        "column": column.external,
        "type": _type(column),
        "required": required,
        "nullable": column.nullable,
        "key": column.kind is K.ID,
        "references": column.target if column.kind is K.REF else None,
    }


def schema_rows() -> dict[str, list[dict[str, Any]]]:
    """Every table's columns, in building order (tables referenced come first).

    Returns:
        Table name → one mapping per column: ``column`` (its name in the file), ``type``,
        ``required`` (the file must have the column), ``nullable`` (a row may leave it
        empty), ``key`` (the table's id) and ``references`` (the table its ids point
        into, or None).
    """
    return {name: [_row(schema, c) for c in schema.columns] for name, schema in SCHEMAS.items()}


def schema_json() -> str:
    """``schema_rows`` as JSON text."""
    return json.dumps({"tables": schema_rows()}, ensure_ascii=False, indent=2) + "\n"


def _flags(row: Mapping[str, Any]) -> str:
    flags = ["key"] if row["key"] else []
    flags.append("required" if row["required"] else "optional")
    if row["nullable"]:
        flags.append("may be empty")
    if row["references"]:
        flags.append(f"-> {row['references']}")
    return ", ".join(flags)


def schema_text() -> str:
    """``schema_rows`` as text: a block per table, a line per column."""
    lines = []
    for table, rows in schema_rows().items():
        lines.append(f"{table} ({table}.parquet or {table}.csv)")
        width = max(len(r["column"]) for r in rows)
        lines += [f"  {r['column']:<{width}}  {r['type']}  [{_flags(r)}]" for r in rows]
        lines.append("")
    return "\n".join(lines)


def schema_markdown() -> str:
    """``schema_rows`` as Markdown: a heading and a table per table."""
    lines = []
    for table, rows in schema_rows().items():
        lines += [f"### `{table}`", "", "| column | type | required | may be empty | references |"]
        lines.append("|---|---|---|---|---|")
        for r in rows:
            required = "key" if r["key"] else "yes" if r["required"] else "no"
            refs = f"`{r['references']}`" if r["references"] else ""
            cells = (
                f"`{r['column']}`",
                r["type"],
                required,
                "yes" if r["nullable"] else "no",
                refs,
            )
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
