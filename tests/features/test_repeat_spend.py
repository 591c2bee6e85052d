"""The monetary value of Gamma-Gamma: spend of the repeat visit days, by hand and against pandas."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import features
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from aftersales_crm.testing import strategies as st_crm

AS_OF = date(1997, 9, 30)
BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "pandas_features.py"


def _log(rows: list[tuple[str, str, str]]) -> Tables:
    return Tables.from_transactions(
        {
            "cust": [c for c, _, _ in rows],
            "day": [d for _, d, _ in rows],
            "usd": [a for _, _, a in rows],
        },
        customer="cust",
        at="day",
        amount="usd",
        currency="USD",
    )


def test_same_day_orders_merge_and_the_first_day_is_left_out() -> None:
    tables = _log(
        [
            ("A", "1997-01-01", "10.00"),  # first visit day: 15.00, left out
            ("A", "1997-01-01", "5.00"),
            ("B", "1997-02-01", "8.00"),  # B: one visit day of two orders, no repeat
            ("A", "1997-03-05", "3.00"),  # second visit day: 3.00 + 4.01 = 7.01
            ("B", "1997-02-01", "1.00"),
            ("A", "1997-03-05", "4.01"),
            ("A", "1997-06-30", "2.00"),  # third visit day: 2.00
            ("C", "1997-10-01", "9.99"),  # after as_of: C has no visit yet
            ("A", "1997-10-02", "50.00"),  # after as_of: not counted
        ]
    )
    feats = features.compute(tables, as_of=AS_OF)
    a, b, c = feats.row("A"), feats.row("B"), feats.row("C")
    assert (a["frequency"], a["repeat_spend_fen"]) == (2, 701 + 200)
    assert a["avg_repeat_day_spend_fen"] == 451  # 901 / 2 = 450.5 rounds half up
    # not avg_visit_spend_fen, which divides all five orders' spend by five orders
    assert a["avg_visit_spend_fen"] == 480  # (1500 + 701 + 200) / 5 = 480.2
    assert (b["frequency"], b["repeat_spend_fen"], b["avg_repeat_day_spend_fen"]) == (0, 0, 0)
    assert (c["visits"], c["repeat_spend_fen"], c["avg_repeat_day_spend_fen"]) == (0, 0, 0)
    assert feats["repeat_spend_fen"].dtype == feats["avg_repeat_day_spend_fen"].dtype == np.int64


def test_the_mean_rounds_down_below_a_half() -> None:
    feats = features.compute(
        _log(
            [("A", "1997-01-01", "1.00"), ("A", "1997-01-02", "0.01"), ("A", "1997-01-03", "0.02")]
        ),
        as_of=AS_OF,
    )
    assert feats.row("A")["avg_repeat_day_spend_fen"] == 2  # 3 / 2 = 1.5 rounds up
    two = features.compute(
        _log(
            [
                ("A", "1997-01-01", "1.00"),
                ("A", "1997-01-02", "0.01"),
                ("A", "1997-01-03", "0.01"),
                ("A", "1997-01-04", "0.02"),
            ]
        ),
        as_of=AS_OF,
    )
    assert two.row("A")["avg_repeat_day_spend_fen"] == 1  # 4 / 3 = 1.33 rounds down


@pytest.fixture(scope="module")
def baseline() -> ModuleType:
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("pandas_features", BASELINE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COLUMNS = ("frequency", "spend_fen", "repeat_spend_fen", "avg_repeat_day_spend_fen")
#: A log dense in same-day orders: customer, day of January 1997, cents.
LOGS = st.lists(
    st.tuples(st.sampled_from("ABCD"), st.integers(1, 12), st.integers(0, 100_000)),
    min_size=1,
    max_size=40,
)


def _agree(baseline: Any, tables: Tables, as_of: date) -> features.FeatureTable:
    feats = features.compute(tables, as_of=as_of)
    customers, _ = baseline.features(tables, as_of)
    for name in COLUMNS:
        assert feats[name].tolist() == customers[name].tolist(), name
    repeat = feats["repeat_spend_fen"]
    assert ((repeat >= 0) & (repeat <= feats["spend_fen"])).all()
    assert (repeat[feats["frequency"] == 0] == 0).all()
    return feats


@settings(max_examples=25)
@given(book=st_crm.books(max_customers=4), as_of=st.dates(date(2015, 1, 1), date(2027, 12, 31)))
def test_the_engine_equals_the_pandas_baseline_on_books(
    baseline: Any, book: Book, as_of: date
) -> None:
    _agree(baseline, Tables.from_book(book), as_of)


@settings(max_examples=40)
@given(rows=LOGS, as_of_day=st.integers(1, 13))
def test_the_engine_equals_pandas_and_plain_python_on_same_day_orders(
    baseline: Any, rows: list[tuple[str, int, int]], as_of_day: int
) -> None:
    as_of = date(1997, 1, as_of_day)
    log = [(c, date(1997, 1, d).isoformat(), str(Decimal(cents) / 100)) for c, d, cents in rows]
    feats = _agree(baseline, _log(log), as_of)
    per_day: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c, d, cents in rows:
        if d <= as_of_day:
            per_day[c][d] += cents
    for customer in feats.ids.tolist():
        days = per_day[customer]
        repeat = sum(days[d] for d in sorted(days)[1:])
        assert feats.row(customer)["repeat_spend_fen"] == repeat
