"""The registry of fact kinds: the built-in declarations agree with the code derived from them."""

from __future__ import annotations

from typing import get_type_hints

import pytest

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import (
    BUILT_IN_KINDS,
    RECORD_TYPES,
    Book,
    ColumnKind,
    FactKind,
    fact_kind,
    fact_kinds,
    json_schema,
    load_producer,
    table_schemas,
)


def test_the_built_in_kinds_are_registered_in_dependency_order() -> None:
    assert fact_kinds()[: len(BUILT_IN_KINDS)] == BUILT_IN_KINDS
    seen: set[str] = set()
    for kind in BUILT_IN_KINDS:
        own = {t.name for t in kind.tables}
        for table in kind.tables:
            for column in table.columns:
                if column.kind is ColumnKind.REF:
                    assert column.target in seen | own, (kind.name, column.name)
        seen |= own


def test_the_books_typed_attributes_are_the_built_in_kinds() -> None:
    # The annotations on Book give type checkers the record class of each built-in kind.
    hints = {name: hint for name, hint in get_type_hints(Book).items() if not name.startswith("_")}
    assert list(hints) == [kind.name for kind in BUILT_IN_KINDS]
    for kind in BUILT_IN_KINDS:
        assert hints[kind.name].__args__[1] is kind.record, kind.name  # Mapping[str, Record]


def test_record_types_and_json_schemas_come_from_the_kinds() -> None:
    assert tuple(r for kind in BUILT_IN_KINDS for r in kind.record_types) == RECORD_TYPES
    assert list(json_schema()) == [cls.__name__ for cls in RECORD_TYPES]


@pytest.mark.parametrize("kind", BUILT_IN_KINDS, ids=lambda kind: kind.name)
def test_every_built_in_kind_declares_producers_that_resolve(kind: FactKind) -> None:
    assert kind.strategy is not None
    assert kind.synthetic is not None
    assert callable(load_producer(kind.strategy))
    assert callable(load_producer(kind.synthetic))


@pytest.mark.parametrize("kind", BUILT_IN_KINDS, ids=lambda kind: kind.name)
def test_every_reference_of_a_kind_is_a_field_of_its_record(kind: FactKind) -> None:
    fields = kind.record.model_fields
    for field in kind.references:
        assert field in fields, (kind.name, field)
    for child in kind.children:
        assert child.field in fields


@pytest.mark.parametrize(
    ("producer", "match"),
    [
        ("aftersales_crm.records", "is not a 'module:function' reference"),
        ("aftersales_crm.records:RECORD_TYPES", "names nothing callable"),
    ],
)
def test_a_bad_producer_reference_is_named(producer: str, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        load_producer(producer)


def test_a_kind_is_found_by_name_table_or_record_and_a_bad_name_gets_a_suggestion() -> None:
    assert fact_kind("lines").name == "repair_orders"
    assert list(table_schemas())[-1] == BUILT_IN_KINDS[-1].tables[-1].name
    with pytest.raises(InvalidValue, match="did you mean 'complaints'"):
        fact_kind("complaint")
    with pytest.raises(InvalidValue, match="int is not the record of a registered fact kind"):
        fact_kind(int)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="which is 3"):
        fact_kind(3)  # type: ignore[arg-type]


def test_a_declaration_must_hold_its_record_in_a_table_with_its_key() -> None:
    orders = fact_kind("repair_orders")
    with pytest.raises(InvalidValue, match="must be a public identifier"):
        FactKind(name="_hidden", record=orders.record, noun="x", table=orders.table)
    lines = orders.children[0].table
    with pytest.raises(InvalidValue, match="its table holds RepairLine, not RepairOrder"):
        FactKind(name="again", record=orders.record, noun="x", table=lines)
