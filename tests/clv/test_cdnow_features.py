"""CDNOW through the library's own tables: the features reproduce the published 39-week summary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from . import cdnow


@pytest.fixture(scope="module")
def log() -> dict[str, list[object]]:
    return cdnow.transactions()


def test_every_transaction_is_one_order_of_exact_cents(log: dict[str, list[object]]) -> None:
    tables = cdnow.tables()
    assert len(tables.orders) == len(tables.lines) == cdnow.TRANSACTIONS  # rows in = rows out
    assert len(tables.customers) == cdnow.CUSTOMERS
    cents = [int(d * 100) for d in log["dollars"] if isinstance(d, Decimal)]
    assert tables.lines["parts_fen"].tolist() == cents
    assert tables.currency == "USD"


def test_the_features_reproduce_the_summary_for_every_customer() -> None:
    split = cdnow.calibration()
    feats = split.features
    # every customer's first purchase is in the first quarter of 1997: all in calibration
    assert len(feats) == cdnow.CUSTOMERS
    assert (split.first_seen_in_holdout, split.not_seen) == (0, 0)
    published = cdnow.summary(feats.ids)
    assert set(feats.ids.tolist()) == {str(i) for i in range(1, cdnow.CUSTOMERS + 1)}
    # x counts repeat purchases by distinct days, as frequency does
    assert feats["frequency"].tolist() == published["x"].astype(int).tolist()
    assert cdnow.weeks(feats["span_days"]).tolist() == published["t_x"].tolist()
    assert cdnow.weeks(feats["tenure_days"]).tolist() == published["T"].tolist()
    # zbar: the mean dollars of the repeat purchase days, to the cent (0 without one)
    zbar_cents = [int(Decimal(str(z)) * 100) for z in published["zbar"].tolist()]
    assert feats["avg_repeat_day_spend_fen"].tolist() == zbar_cents
    assert int((feats["frequency"] > 0).sum()) == 946  # the Gamma-Gamma repeat buyers


def test_the_model_inputs_as_printed_are_the_summary() -> None:
    ids = cdnow.calibration().features.ids
    published = cdnow.summary(ids)
    printed = cdnow.model_inputs(as_printed=True)
    for name in ("x", "t_x", "T", "zbar"):
        assert printed[name].tolist() == published[name].tolist(), name
    exact = cdnow.model_inputs()
    assert np.abs(exact["T"] - published["T"]).max() <= 0.005  # only the rounding differs
    assert exact["T"][0] == 272 / 7  # ID 1's T: 38.857… weeks, printed 38.86


def test_the_features_equal_plain_python_on_the_raw_log(log: dict[str, list[object]]) -> None:
    spend: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    holdout: dict[str, set[date]] = defaultdict(set)
    for customer, day, dollars in zip(log["customer"], log["day"], log["dollars"], strict=True):
        assert isinstance(customer, str)
        assert isinstance(day, date)
        assert isinstance(dollars, Decimal)
        if day <= cdnow.CALIBRATION_END:
            spend[customer][day] += int(dollars * 100)
        elif day <= cdnow.HOLDOUT_END:
            holdout[customer].add(day)
    feats = cdnow.calibration().features
    ids = feats.ids.tolist()
    days = [sorted(spend[c]) for c in ids]
    expected = {
        "frequency": [len(d) - 1 for d in days],
        "span_days": [(d[-1] - d[0]).days for d in days],
        "tenure_days": [(cdnow.CALIBRATION_END - d[0]).days for d in days],
        "repeat_spend_fen": [
            sum(spend[c][day] for day in d[1:]) for c, d in zip(ids, days, strict=True)
        ],
    }
    for name, values in expected.items():
        assert feats[name].astype(np.int64).tolist() == values, name
    expected_holdout = [len(holdout[c]) for c in ids]
    assert feats["holdout_visit_days"].tolist() == expected_holdout
    assert feats["holdout_days"].tolist() == [273] * cdnow.CUSTOMERS  # 39 weeks
