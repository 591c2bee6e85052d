"""List and reference columns from Arrow, and list columns through the checks, at scale.

Large list columns take two shortcuts: from Arrow, one tuple per distinct list, shared by
the rows that hold it; in the checks, each distinct object checked once. Both must give
exactly what the row-by-row way gives, and a problem must still name every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import TableValidationError
from aftersales_crm.tables import Tables
from aftersales_crm.tables._ingest import _SHARED_MIN
from aftersales_crm.tables._interop import _tuples

pa = pytest.importorskip("pyarrow")

WORDS = st.sampled_from(["机油滤清器", "空气滤清器", "刹车片", "火花塞", "a", "b c"])
LISTS = st.one_of(st.none(), st.lists(st.one_of(WORDS, st.text(max_size=3)), max_size=7))


def _as_given(values: list[Any]) -> list[Any]:
    return [None if v is None else tuple(v) for v in values]


@given(st.lists(LISTS, max_size=40), st.integers(0, 3))
def test_arrow_lists_become_the_tuples_given(values: list[Any], start: int) -> None:
    array = pa.array([["x"]] * start + values, type=pa.list_(pa.string()))[start:]
    out = _tuples(array)
    assert out.dtype == object
    assert out.tolist() == _as_given(values)


@given(st.lists(st.lists(st.one_of(st.none(), WORDS), max_size=3), min_size=1, max_size=20))
def test_null_texts_inside_lists_are_kept(values: list[Any]) -> None:
    array = pa.array(values, type=pa.list_(pa.string()))
    assert _tuples(array).tolist() == _as_given(values)


def test_repeated_lists_share_one_tuple() -> None:
    array = pa.array([["刹车片", "火花塞"], [], ["刹车片", "火花塞"], None], pa.list_(pa.string()))
    out = _tuples(array)
    assert out.tolist() == [("刹车片", "火花塞"), (), ("刹车片", "火花塞"), None]
    assert out[0] is out[2]


def _customers(hobbies: list[Any]) -> dict[str, Any]:
    n = len(hobbies)
    return {
        "id": np.array([f"C{i}" for i in range(n)], dtype=object),
        "name": np.full(n, "王芳", dtype=object),
        "hobbies": _objects(hobbies),
    }


def _objects(items: list[Any]) -> Any:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):  # each tuple kept whole
        out[i] = item
    return out


def test_a_bad_text_shared_by_many_rows_is_reported_on_every_row() -> None:
    good, bad = ("钓鱼",), ("x" * 501,)
    hobbies = [bad if i % 1_000 == 7 else good for i in range(2 * _SHARED_MIN)]
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrays(customers=_customers(hobbies))
    rows = [p.row for p in info.value.problems if p.column == "hobbies"]
    assert rows == [i for i in range(2 * _SHARED_MIN) if i % 1_000 == 7]


def test_shared_lists_are_checked_and_kept_like_any_others() -> None:
    kinds = [("钓鱼", "自驾游"), (), ("摄影",)]
    hobbies = [kinds[i % 3] for i in range(2 * _SHARED_MIN)]
    tables = Tables.from_arrays(customers=_customers(hobbies))
    assert tables.customers["hobbies"].tolist() == hobbies


@pytest.mark.parametrize("few", [True, False])
def test_arrow_references_are_joined_whether_few_or_many(few: bool) -> None:
    # Few references into a large table are looked up one by one, many are hash-joined
    # in Arrow: both find every row and name every dangling reference.
    from aftersales_crm import synthetic

    arrow = synthetic.tables(200, seed=5).to_arrow()
    orders = arrow["orders"]
    n = orders.num_rows
    ids = orders.column("id").to_pylist()
    comeback = [None] * n if few else ids[1:] + ids[:1]
    comeback[3], comeback[5] = ids[0], "RO-NOWHERE"
    arrow["orders"] = orders.set_column(
        orders.schema.get_field_index("comeback_of"), "comeback_of", pa.array(comeback)
    )
    with pytest.raises(TableValidationError) as info:
        Tables.from_arrow(**arrow)
    found = [(p.table, p.row, p.column, p.code) for p in info.value.problems]
    assert found == [("orders", 5, "comeback_of", "dangling_reference")]
