"""The list of fact kinds is open: a kind defined only here plugs into every part of the library.

``Wash`` (a car wash a customer had) is declared in this file alone: its record, its table,
a cross-record check and its strategy. Registered with ``registered(...)``, it appears in
the Book, the Tables, their round trips and the strategies with no edit to library code,
and it is gone again after the ``with`` block, so no other test sees it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm.errors import IntegrityError, InvalidType, InvalidValue
from aftersales_crm.records import (
    BUILT_IN_KINDS,
    Book,
    Column,
    ColumnKind,
    Customer,
    FactKind,
    Id,
    Record,
    TableSchema,
    Vehicle,
    fact_kind,
    fact_kinds,
    register,
    registered,
    unregister,
)
from aftersales_crm.tables import SCHEMAS, Tables
from aftersales_crm.testing import strategies as st_crm
from aftersales_crm.values import Money

VIN = "LSVAU218XN2183294"


class Wash(Record):
    """A car wash a customer had: a fact kind the library does not know."""

    id: Id
    customer_id: Id
    vin: str | None = None
    on: date
    price: Money


def _one_wash_a_day(fresh: Sequence[Wash], book: Mapping[str, Mapping[str, Record]]) -> list[str]:
    """A vehicle is washed at most once a day."""
    seen: dict[tuple[str | None, date], str] = {}
    problems = []
    for wash in sorted(book["washes"].values(), key=lambda w: w.key):
        assert isinstance(wash, Wash)
        if wash.vin is not None and (wash.vin, wash.on) in seen:
            first = seen[wash.vin, wash.on]
            problems.append(f"wash {wash.key!r}: {wash.vin} was washed on {wash.on} by {first!r}")
        seen.setdefault((wash.vin, wash.on), wash.key)
    return problems


def _washes(book: Book, size: int) -> st.SearchStrategy[Sequence[Record]]:
    """Up to ``size`` washes of the Book's customers, one a day at most."""
    if not book.customers:
        return st.just(())
    wash = st.builds(
        Wash,
        id=st_crm.ids("W"),
        customer_id=st.sampled_from(sorted(book.customers)),
        on=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
        price=st_crm.money(max_fen=10_000),
    )
    return st.lists(wash, max_size=size, unique_by=lambda w: w.key)


WASHES = FactKind(
    name="washes",
    record=Wash,
    noun="wash",
    table=TableSchema(
        "washes",
        (
            Column("id", ColumnKind.ID),
            Column("customer", ColumnKind.REF, field="customer_id", target="customers"),
            Column("vehicle", ColumnKind.REF, field="vin", nullable=True, target="vehicles"),
            Column("on", ColumnKind.DATE),
            Column("price_fen", ColumnKind.MONEY, field="price"),
        ),
        Wash,
    ),
    checks=(_one_wash_a_day,),
    strategy=_washes,
)


def wash(wash_id: str, **overrides: Any) -> Wash:
    fields: dict[str, Any] = {
        "id": wash_id,
        "customer_id": "C1",
        "vin": VIN,
        "on": date(2026, 3, 1),
        "price": Money.parse("35", "CNY"),
    }
    return Wash(**(fields | overrides))


@pytest.fixture
def washes() -> Iterator[FactKind]:
    with registered(WASHES):
        yield WASHES


@pytest.fixture
def book(washes: FactKind) -> Book:
    return Book.from_records(
        [Customer(id="C1", name="王芳"), Customer(id="C2", name="李强")],
        [Vehicle(vin=VIN, model="Lavida")],
        [wash("W1"), wash("W2", customer_id="C2", vin=None, on=date(2026, 3, 2))],
    )


def test_a_registered_kind_is_listed_after_the_built_in_ones(washes: FactKind) -> None:
    assert fact_kinds()[-1] is washes
    assert fact_kind(Wash) is fact_kind("washes") is washes
    assert washes.references == {"customer_id": "customers", "vin": "vehicles"}
    assert list(SCHEMAS)[-1] == "washes"


def test_the_book_holds_the_new_kind_and_checks_its_references(book: Book) -> None:
    assert list(book.washes) == ["W1", "W2"]
    assert book.facts(Wash)["W1"].price == Money.parse("35", "CNY")
    assert "washes=2" in repr(book)
    bigger = book.add(wash("W3", on=date(2026, 4, 1)))
    assert len(bigger.washes) == 3
    assert len(book.washes) == 2
    with pytest.raises(IntegrityError) as info:
        book.add(wash("W4", customer_id="C9", on=date(2026, 5, 1)))
    assert info.value.problems == ("wash 'W4': customer_id 'C9' is not in the book",)


def test_the_new_kinds_own_check_runs_when_records_are_added(book: Book) -> None:
    with pytest.raises(IntegrityError, match="was washed on 2026-03-01 by 'W1'"):
        book.add(wash("W3"))


def test_the_tables_hold_the_new_kind_and_give_back_equal_records(book: Book) -> None:
    tables = Tables.from_book(book)
    assert tables.washes["price_fen"].tolist() == [3500, 3500]
    assert tables["washes"]["customer"].tolist() == [0, 1]
    assert tables.washes["vehicle"].tolist() == [0, -1]
    assert "2 washes" in repr(tables)
    assert Book.from_records(tables.to_records()) == book


def test_the_new_kind_survives_arrays_pandas_and_arrow(book: Book) -> None:
    tables = Tables.from_book(book)
    assert Tables.from_arrays(currency="CNY", **tables.to_arrays()) == tables
    assert Tables.from_pandas(currency="CNY", **tables.to_pandas()) == tables
    assert Tables.from_arrow(currency="CNY", **tables.to_arrow()) == tables
    assert str(tables.to_pandas()["washes"]["on"].dtype) == "datetime64[s]"


def test_the_tables_check_the_new_kinds_rows(book: Book) -> None:
    arrays: dict[str, Any] = Tables.from_book(book).to_arrays()
    arrays["washes"]["price"] = np.array([3500, -1])
    with pytest.raises(InvalidValue, match="washes: 1 problem") as info:
        Tables.from_arrays(**arrays)
    assert "negative_money" in str(info.value)


def test_the_strategies_draw_the_new_kind() -> None:
    drawn: list[int] = []
    with registered(WASHES):

        @settings(max_examples=25, database=None)
        @given(st_crm.books())
        def check(book: Book) -> None:
            assert all(w.customer_id in book.customers for w in book.washes.values())
            drawn.append(len(book.washes))

        check()
    assert any(drawn)


def test_a_registered_kind_is_gone_after_the_block() -> None:
    with registered(WASHES):
        assert "washes" in SCHEMAS
    assert "washes" not in SCHEMAS
    assert "washes" not in Tables("CNY")
    with pytest.raises(AttributeError, match="no kind of records 'washes'"):
        _ = Book().washes
    with pytest.raises(InvalidType, match="not Wash"):
        Book().add(wash("W1"))


def test_a_registered_kind_is_gone_even_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError, match="boom"), registered(WASHES):
        raise RuntimeError("boom")
    assert "washes" not in SCHEMAS


def _renamed(**changes: Any) -> FactKind:
    table = TableSchema(changes.pop("table_name", "washes"), WASHES.table.columns, Wash)
    fields: dict[str, Any] = {"name": "washes", "record": Wash, "noun": "wash", "table": table}
    return FactKind(**(fields | changes))


@pytest.mark.parametrize(
    ("kind", "match"),
    [
        (lambda: fact_kind("customers"), "'customers' is registered already"),
        (lambda: _renamed(name="records"), r"would hide Book.records"),
        (lambda: _renamed(record=Customer, table_name="x"), "holds Wash, not Customer"),
        (lambda: _renamed(table_name="orders"), "a table 'orders' exists already"),
    ],
)
def test_a_kind_that_clashes_is_refused(kind: Any, match: str) -> None:
    with pytest.raises(InvalidValue, match=match):
        register(kind())
    assert fact_kinds()[-1] is BUILT_IN_KINDS[-1]


def test_a_kind_pointing_into_an_unregistered_table_is_refused() -> None:
    columns = (*WASHES.table.columns, Column("bay", ColumnKind.REF, field="id", target="bays"))
    with pytest.raises(InvalidValue, match="points into 'bays', which is not registered"):
        register(_renamed(table=TableSchema("washes", columns, Wash)))


def test_a_built_in_kind_cannot_be_unregistered_nor_a_kind_in_use() -> None:
    with pytest.raises(InvalidValue, match="built-in"):
        unregister("customers")
    with pytest.raises(InvalidType, match="expected a FactKind"):
        register("washes")  # type: ignore[arg-type]


class WashReview(Record):
    """A customer's word on a wash: a kind that refers to another registered kind."""

    id: Id
    wash_id: Id
    stars: int


REVIEWS = FactKind(
    name="wash_reviews",
    record=WashReview,
    noun="wash review",
    table=TableSchema(
        "wash_reviews",
        (
            Column("id", ColumnKind.ID),
            Column("wash", ColumnKind.REF, field="wash_id", target="washes"),
            Column("stars", ColumnKind.INT),
        ),
        WashReview,
    ),
)


def test_register_and_unregister_for_good_and_in_dependency_order() -> None:
    register(WASHES)
    try:
        register(REVIEWS)
        with pytest.raises(InvalidValue, match=r"'washes' is referenced by \['wash_reviews'\]"):
            unregister("washes")
        assert unregister("wash_reviews") is REVIEWS
    finally:
        unregister("washes")
    assert fact_kinds()[-1] is BUILT_IN_KINDS[-1]


def test_a_kind_without_a_strategy_is_left_out_of_drawn_books() -> None:
    with registered(WASHES, REVIEWS):
        assert "wash_reviews" in Tables("CNY")
        with pytest.raises(InvalidValue, match="declares no strategy"):
            st_crm.facts("wash_reviews")

        @settings(max_examples=5, database=None)
        @given(st_crm.books(max_customers=2), st_crm.facts(WASHES))
        def check(book: Book, washes_of_no_one: Sequence[Record]) -> None:
            assert book.wash_reviews == {}  # no strategy: none drawn
            assert washes_of_no_one == ()  # an empty Book has no customers to wash for

        check()


def test_a_book_still_holding_a_kind_no_longer_registered_takes_no_more_records() -> None:
    # add checks each kind's name as the constructor does, though not the old records again.
    with registered(WASHES):
        book = Book.from_records(
            [Customer(id="C1", name="王芳")], [Vehicle(vin=VIN, model="Lavida")], [wash("W1")]
        )
    with pytest.raises(InvalidValue, match="'washes', which is no registered fact kind"):
        book.add(Customer(id="C2", name="李强"))
    assert list(book.washes) == ["W1"]
