"""Calibration and holdout: features at the split, visit days after it, who is left out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import features
from aftersales_crm.errors import InvalidValue
from aftersales_crm.tables import Tables

SPLIT, END = date(1997, 9, 30), date(1998, 6, 30)


def _log(rows: list[tuple[str, object, str]]) -> Tables:
    return Tables.from_transactions(
        {"cust": [r[0] for r in rows], "at": [r[1] for r in rows], "usd": [r[2] for r in rows]},
        customer="cust",
        at="at",
        amount="usd",
        currency="USD",
    )


@pytest.fixture(scope="module")
def split() -> features.CalibrationHoldout:
    tables = _log(
        [
            ("A", "1997-01-01", "10.00"),
            ("A", "1997-01-01", "5.00"),
            ("A", "1997-03-01", "7.00"),  # A's only repeat day in the calibration
            ("A", "1997-10-05", "1.00"),  # two orders: one holdout visit day
            ("A", "1997-10-05", "2.00"),
            ("A", "1997-12-01", "3.00"),
            ("B", "1997-09-30", "4.00"),  # on the split day: calibration
            ("B", "1997-10-01", "4.00"),  # the day after: holdout
            ("B", "1998-06-30", "4.00"),  # on the end day: holdout
            ("C", "1997-11-20", "9.00"),  # first seen in the holdout
            ("D", "1998-07-01", "9.00"),  # after the end: never seen
            ("E", "1997-02-02", "8.00"),  # a calibration customer who never came back
        ]
    )
    return features.calibration_holdout(tables, split=SPLIT, end=END)


def test_calibration_customers_have_their_features_at_the_split(
    split: features.CalibrationHoldout,
) -> None:
    feats = split.features
    assert feats.ids.tolist() == ["A", "B", "E"]
    assert feats.as_of == SPLIT
    assert feats["frequency"].tolist() == [1, 0, 0]
    assert feats["span_days"].tolist() == [59.0, 0.0, 0.0]
    assert feats["tenure_days"].tolist() == [272.0, 0.0, 240.0]
    assert feats["repeat_spend_fen"].tolist() == [700, 0, 0]
    assert feats["avg_repeat_day_spend_fen"].tolist() == [700, 0, 0]


def test_holdout_visit_days_are_distinct_days_after_the_split_up_to_the_end(
    split: features.CalibrationHoldout,
) -> None:
    assert split.features["holdout_visit_days"].tolist() == [2, 2, 0]
    assert split.features["holdout_days"].tolist() == [273, 273, 273]
    assert split.holdout_days == 273
    assert (split.split, split.end) == (SPLIT, END)


def test_customers_without_a_calibration_visit_are_counted_not_dropped(
    split: features.CalibrationHoldout,
) -> None:
    assert split.first_seen_in_holdout == 1  # C
    assert split.not_seen == 1  # D
    assert len(split.features) + split.first_seen_in_holdout + split.not_seen == 5


def test_by_frequency_pools_from_the_censor(split: features.CalibrationHoldout) -> None:
    rows = split.by_frequency(censor=1)
    assert rows["frequency"].tolist() == [0, 1]
    assert rows["customers"].tolist() == [2, 1]  # B and E; A
    assert rows["actual"].tolist() == [1.0, 2.0]
    wide = split.by_frequency()
    assert wide["frequency"].tolist() == list(range(8))
    assert np.isnan(wide["actual"][2:]).all()  # no customer with 2 or more


def test_the_split_is_on_business_dates() -> None:
    # 17:00 UTC on 30 September is 01:00 on 1 October in Beijing.
    late = datetime(1997, 9, 30, 17, tzinfo=UTC)
    tables = _log([("A", datetime(1997, 1, 1, 2, tzinfo=UTC), "1.00"), ("A", late, "1.00")])
    beijing = features.calibration_holdout(tables, split=SPLIT, end=END)
    assert beijing.features["frequency"].tolist() == [0]
    assert beijing.features["holdout_visit_days"].tolist() == [1]
    utc = features.calibration_holdout(tables, split=SPLIT, end=END, time_zone="UTC")
    assert utc.features["frequency"].tolist() == [1]
    assert utc.features["holdout_visit_days"].tolist() == [0]


def test_end_must_come_after_the_split() -> None:
    tables = _log([("A", "1997-01-01", "1.00")])
    with pytest.raises(InvalidValue, match=r"end is 1997-09-30, expected a day after split"):
        features.calibration_holdout(tables, split=SPLIT, end=SPLIT)
    with pytest.raises(InvalidValue, match="split"):
        features.calibration_holdout(tables, split="30 Sept", end=END)
    with pytest.raises(InvalidValue, match="censor"):
        features.calibration_holdout(tables, split=SPLIT, end=END).by_frequency(censor=0)


#: A log: customer, day of 1997 (1 = 1 January), cents.
LOGS = st.lists(
    st.tuples(st.sampled_from("ABCDE"), st.integers(1, 60), st.integers(0, 10_000)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40)
@given(rows=LOGS, split_day=st.integers(0, 60), length=st.integers(1, 30))
def test_the_split_agrees_with_compute_at_both_ends(
    rows: list[tuple[str, int, int]], split_day: int, length: int
) -> None:
    start = date(1996, 12, 31)
    tables = _log(
        [(c, (start + timedelta(d)).isoformat(), f"{cents / 100:.2f}") for c, d, cents in rows]
    )
    on, end = start + timedelta(split_day), start + timedelta(split_day + length)
    split = features.calibration_holdout(tables, split=on, end=end)
    at_split = features.compute(tables, as_of=on)
    # the holdout as compute's window: distinct visit days in (end - length, end]
    at_end = features.compute(tables, as_of=end, window=timedelta(days=length))
    rows_in = np.flatnonzero(at_split["visits"] > 0)
    assert split.features.ids.tolist() == at_split.ids[rows_in].tolist()
    for customer in split.features.ids.tolist():
        row = split.features.row(customer)
        del row["holdout_visit_days"], row["holdout_days"]
        assert row == at_split.row(customer)
    window_days = at_end["visit_days_window"]
    assert split.features["holdout_visit_days"].tolist() == window_days[rows_in].tolist()
    later = (at_split["visits"] == 0) & (at_end["visits"] > 0)
    assert split.first_seen_in_holdout == int(later.sum())
    assert split.not_seen == int((at_end["visits"] == 0).sum())
