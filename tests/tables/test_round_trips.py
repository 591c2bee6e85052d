"""Every way out of the tables comes back unchanged: records, arrays, pandas and Arrow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from aftersales_crm import synthetic
from aftersales_crm.records import Book
from aftersales_crm.tables import SCHEMAS, Table, Tables
from aftersales_crm.testing import strategies as st_crm

#: Outside columns by table (values typed loosely: tests spoil them).
Arrays = dict[str, Any]


def _via_arrays(tables: Tables) -> Tables:
    return Tables.from_arrays(currency=tables.currency, **tables.to_arrays())


def _via_pandas(tables: Tables) -> Tables:
    return Tables.from_pandas(currency=tables.currency, **tables.to_pandas())


def _via_arrow(tables: Tables) -> Tables:
    return Tables.from_arrow(currency=tables.currency, **tables.to_arrow())


ROUTES: list[Callable[[Tables], Tables]] = [_via_arrays, _via_pandas, _via_arrow]


#: Each drawn Book holds every kind of fact and goes through every door: fewer examples
#: keep the suite quick while each still draws a whole network.
BOOKS = settings(max_examples=40, deadline=None)


@given(st_crm.books())
@BOOKS
def test_a_book_comes_back_from_its_tables_as_equal_records(book: Book) -> None:
    tables = Tables.from_book(book)
    assert Book.from_records(tables.to_records()) == book


@given(st_crm.books())
@BOOKS
def test_the_tables_of_any_book_survive_arrays_pandas_and_arrow(book: Book) -> None:
    tables = Tables.from_book(book)
    assert _via_arrays(tables) == tables
    assert _via_pandas(tables) == tables
    assert _via_arrow(tables) == tables


@pytest.mark.parametrize("route", ROUTES)
def test_tables_with_every_nullable_column_empty_somewhere_survive_every_route(
    route: Callable[[Tables], Tables], arrays: Arrays
) -> None:
    tables = Tables.from_arrays(**arrays)
    again = route(tables)
    assert again == tables
    assert again.customers["birthday"][2] == np.datetime64("1980-02-29")
    assert again.consents["at"][2] == np.datetime64("2024-02-29T00:00:00.000001")
    assert again.orders["opened_at"][1] == np.datetime64("2022-06-08T01:00:00.000007")
    assert again.orders["comeback"].tolist() == [-1, 0, -1]
    assert again.vehicles["first_visit_mileage"].tolist() == [800, -1, 15]
    assert again.customers["hobbies"].tolist() == [("自驾", "摄影"), (), ("钓鱼",)]


@pytest.mark.parametrize("route", ROUTES)
def test_empty_tables_survive_every_route(route: Callable[[Tables], Tables]) -> None:
    empty = Tables.from_arrays(currency="USD")
    assert route(empty) == empty
    assert all(len(table) == 0 for table in route(empty))


@pytest.mark.parametrize("route", ROUTES)
def test_tables_with_some_tables_empty_survive_every_route(
    route: Callable[[Tables], Tables], arrays: Arrays
) -> None:
    tables = Tables.from_arrays(dealers=arrays["dealers"], customers=arrays["customers"])
    assert route(tables) == tables


@pytest.mark.parametrize("route", ROUTES)
def test_labels_come_back_as_the_same_texts_whatever_their_list(
    route: Callable[[Tables], Tables], arrays: Arrays
) -> None:
    tables = Tables.from_arrays(**arrays)
    vehicles = tables.vehicles
    # The same texts through a longer list in another order, with a label no row uses.
    labels = ("Tiguan L", "Passat", "Lavida")
    recoded = Table(
        vehicles.schema,
        {**vehicles.columns, "model": np.array([2, 1, 2], dtype=np.int32)},
        {**vehicles.labels, "model": labels},
    )
    relabelled = Tables(**{**{t.name: t for t in tables}, "vehicles": recoded}, currency="CNY")
    assert relabelled == tables
    assert route(relabelled) == tables
    assert route(relabelled).vehicles.labels["model"] == ("Lavida", "Passat")


@pytest.mark.parametrize("route", ROUTES)
def test_synthetic_tables_survive_every_route(route: Callable[[Tables], Tables]) -> None:
    from_book = Tables.from_book(synthetic.book(40, seed=3))
    assert route(from_book) == from_book
    from_columns = synthetic.columns(300, seed=3).tables()
    assert route(from_columns) == from_columns


def test_records_of_tables_from_arrays_match_the_arrays(arrays: Arrays) -> None:
    tables = Tables.from_arrays(**arrays)
    book = Book.from_records(tables.to_records())
    assert Tables.from_book(book) == tables
    assert book.consents["G2"].granted is False
    assert book.complaint_updates["U2"].verdict is not None
    assert book.activities["A3"].activity_id == "EV202406"
    assert book.repair_orders["RO2"].comeback_of == "RO1"
    assert book.vehicles[arrays["vehicles"]["vin"][1]].first_visit_mileage is None


def test_every_schema_column_appears_in_every_form(arrays: Arrays) -> None:
    tables = Tables.from_arrays(**arrays)
    frames, arrow, outside = tables.to_pandas(), tables.to_arrow(), tables.to_arrays()
    for name, schema in SCHEMAS.items():
        externals = [c.external for c in schema.columns]
        assert list(outside[name]) == externals
        assert list(frames[name].columns) == externals
        assert arrow[name].column_names == externals
