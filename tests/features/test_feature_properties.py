"""Properties: one customer's profile is their row of the batch, and kernels agree with plain rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_crm import features
from aftersales_crm.features import (
    Segments,
    add_months,
    business_date,
    completed_years,
    group_order,
)
from aftersales_crm.records import Book
from aftersales_crm.testing import strategies as st_crm

AS_OF_DATES = st.dates(date(2015, 1, 1), date(2027, 12, 31))


@settings(max_examples=40)
@given(st_crm.books(max_customers=4), AS_OF_DATES)
def test_profile_equals_the_batch_row(book: Book, as_of: date) -> None:
    batch = features.compute(book, as_of=as_of)
    assert batch.vehicles is not None
    for customer_id in book.customers:
        one = features.profile(book, customer_id, as_of=as_of)
        assert len(one) == 1
        assert one.row(customer_id) == batch.row(customer_id)
        assert one.vehicles is not None
        for vin in one.vehicles.ids:
            mine, theirs = one.vehicles.row(vin), batch.vehicles.row(vin)
            # owner is a row of the table's own customers: here the one customer, or -1
            owned_here = theirs["owner"] >= 0 and batch.ids[theirs["owner"]] == customer_id
            assert mine["owner"] == (0 if owned_here else -1)
            assert mine | {"owner": 0} == theirs | {"owner": 0}


@settings(max_examples=25)
@given(st_crm.books(max_customers=4), AS_OF_DATES)
def test_the_order_of_customers_does_not_change_their_features(book: Book, as_of: date) -> None:
    batch = features.compute(book, as_of=as_of)
    reversed_book = Book.from_records(reversed(list(book.records())))
    again = features.compute(reversed_book, as_of=as_of)
    for customer_id in book.customers:
        # The dealer is a row of the dealer table, whose order changed too: compare ids.
        mine, theirs = again.row(customer_id), batch.row(customer_id)
        dealer_ids = list(reversed_book.dealers), list(book.dealers)
        assert _dealer(mine, dealer_ids[0]) == _dealer(theirs, dealer_ids[1])
        assert mine | {"dealer": 0} == theirs | {"dealer": 0}


def _dealer(row: dict[str, object], ids: list[str]) -> str | None:
    position = row["dealer"]
    assert isinstance(position, int)
    return ids[position] if position >= 0 else None


@given(
    st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.dates(date(1900, 1, 1), date(2100, 12, 31))
)
def test_completed_years_is_relativedelta(born: date, as_of: date) -> None:
    years = completed_years(np.array([born], dtype="datetime64[D]"), as_of)[0]
    if born > as_of:
        assert np.isnan(years)
    else:
        assert years == relativedelta(as_of, born).years


@given(
    st.lists(st.dates(date(1000, 1, 1), date(9000, 12, 31)), max_size=20),
    st.integers(-12 * 500, 12 * 500),
)
def test_add_months_is_relativedelta(days: list[date], months: int) -> None:
    got = add_months(np.array([*days, None], dtype="datetime64[D]"), months).tolist()
    assert got == [*(day + relativedelta(months=months) for day in days), None]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 1000)), max_size=60))
def test_segment_kernels_match_plain_python(rows: list[tuple[int, int]]) -> None:
    groups = np.array([g for g, _ in rows], dtype=np.int64)
    values = np.array([v for _, v in rows], dtype=np.int64)
    perm = group_order(groups, values)
    assert sorted(rows) == [rows[i] for i in perm.tolist()]
    seg = Segments.of(groups[perm], 6)
    by_group = {g: sorted(v for gg, v in rows if gg == g) for g in range(6)}
    assert seg.sum(values[perm]).tolist() == [sum(by_group[g]) for g in range(6)]
    medians = seg.median(values[perm])
    for g in range(6):
        if by_group[g]:
            assert medians[g] == np.median(by_group[g])
        else:
            assert np.isnan(medians[g])
    bits = seg.count_bits(values[perm], 10)
    for g in range(6):
        assert bits[g].tolist() == [sum(v >> b & 1 for v in by_group[g]) for b in range(10)]


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(-(2**63), 2**63 - 1), st.booleans()),
        max_size=60,
    )
)
def test_segment_sums_of_int64_are_reduceat_wrapping_alike(
    rows: list[tuple[int, int, bool]],
) -> None:
    # Sums and counts are differences of running sums: the same as reduceat's, also
    # where int64 sums wrap around.
    groups = np.array(sorted(g for g, _, _ in rows), dtype=np.int64)
    values = np.array([v for _, v, _ in rows], dtype=np.int64)
    flags = np.array([f for _, _, f in rows], dtype=bool)
    seg = Segments.of(groups, 6)
    sums = np.zeros(6, dtype=np.int64)
    counts = np.zeros(6, dtype=np.int64)
    if len(rows):
        sums[seg.filled_groups] = np.add.reduceat(values, seg.filled_starts)
        counts[seg.filled_groups] = np.add.reduceat(flags, seg.filled_starts, dtype=np.int64)
    assert seg.sum(values).tolist() == sums.tolist()
    assert seg.count(flags).tolist() == counts.tolist()


@given(st.lists(st.integers(0, 3), max_size=12), st.booleans())
def test_segments_of_counts_start_where_the_groups_before_end(
    counts: list[int], every_group_filled: bool
) -> None:
    # Every group filled (an order's lines) is the case where the starts are shared.
    given_counts = [c + 1 for c in counts] if every_group_filled else counts
    seg = Segments.from_counts(np.array(given_counts, dtype=np.int64))
    starts = [sum(given_counts[:k]) for k in range(len(given_counts))]
    filled = [k for k, c in enumerate(given_counts) if c]
    assert seg.starts.tolist() == starts
    assert seg.filled_groups.tolist() == filled
    assert seg.filled_starts.tolist() == [starts[k] for k in filled]
    assert seg.counts.tolist() == given_counts


def test_segments_keep_their_own_counts_when_the_callers_array_changes() -> None:
    counts = np.array([2, 0, 1], dtype=np.int64)
    seg = Segments.from_counts(counts)
    alone = Segments.from_counts(counts[1:])
    counts[:] = 7
    assert seg.counts.tolist() == [2, 0, 1]
    assert seg.sum(np.array([1, 2, 3])).tolist() == [3, 0, 3]
    assert alone.counts.tolist() == [0, 1]


@given(st.lists(st.integers(0, 3), max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_a_part_of_segments_is_the_segments_of_its_counts(
    counts: list[int], first: int, stop: int
) -> None:
    first, stop = sorted((min(first, len(counts)), min(stop, len(counts))))
    whole = Segments.from_counts(np.array(counts, dtype=np.int64))
    part, alone = whole.part(first, stop), Segments.from_counts(whole.counts[first:stop])
    for name in ("starts", "counts", "filled_groups", "filled_starts"):
        assert getattr(part, name).tolist() == getattr(alone, name).tolist()


def test_bit_counts_of_groups_too_big_for_a_byte() -> None:
    groups = np.repeat(np.array([0, 1], dtype=np.int64), [300, 2])
    bits = np.full(302, 0b11, dtype=np.int64)
    counts = Segments.of(groups, 2).count_bits(bits, 2)
    assert counts.tolist() == [[300, 300], [2, 2]]


def test_feature_table_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    from aftersales_crm import synthetic

    feats = features.compute(synthetic.book(20, seed=3), as_of=date(2026, 6, 30))
    frame = feats.to_pandas()
    assert list(frame.columns) == list(feats)
    assert frame.index.tolist() == feats.ids.tolist()
    assert isinstance(frame["sector"].dtype, pd.CategoricalDtype)
    assert feats.vehicles is not None
    vehicles = feats.vehicles.to_pandas()
    assert set(vehicles["km_per_day_method"].cat.categories) == {
        "readings",
        "model_median",
        "default",
    }
    assert repr(feats).startswith("FeatureTable(20 customer_id rows")
    with pytest.raises(ValueError, match="read-only"):
        feats["visits"][0] = 1


@settings(max_examples=25)
@given(st_crm.books(max_customers=4), st.randoms(use_true_random=False))
def test_take_renumbers_vehicle_owners(book: Book, random: Any) -> None:
    feats = features.compute(book, as_of=date(2026, 6, 30))
    assert feats.vehicles is not None
    rows = np.array(
        random.sample(range(len(feats)), k=random.randint(0, len(feats))), dtype=np.intp
    )
    part = feats.take(rows)
    assert part.vehicles is not None
    for vin, owner in zip(feats.vehicles.ids, feats.vehicles["owner"], strict=True):
        new = part.vehicles.row(vin)["owner"]
        if owner >= 0 and owner in rows.tolist():
            assert part.ids[new] == feats.ids[owner]
        else:
            assert new == -1


@settings(max_examples=25)
@given(st_crm.books(max_customers=4), AS_OF_DATES)
def test_windowed_visits_are_the_visits_of_the_trailing_twelve_months(
    book: Book, as_of: date
) -> None:
    feats = features.compute(book, as_of=as_of)
    start = as_of - relativedelta(months=12)
    for customer_id in book.customers:
        days = [
            business_date(o.opened_at)
            for o in book.repair_orders.values()
            if o.customer_id == customer_id
        ]
        inside = [d for d in days if start < d <= as_of]
        row = feats.row(customer_id)
        assert row["visits_window"] == len(inside)
        assert row["visit_days_window"] == len(set(inside))
        assert row["visit_days_window"] <= row["visit_days"]


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(-(2**62), 2**62) | st.integers(0, 3)),
        max_size=60,
    )
)
def test_group_order_is_a_stable_lexsort(rows: list[tuple[int, int]]) -> None:
    # Ties in time keep their rows' order, and times of the whole int64 range sort right
    # (the out-of-order groups are sorted by rank keys, not by lexsort).
    groups = np.array([g for g, _ in rows], dtype=np.int64)
    times = np.array([t for _, t in rows], dtype=np.int64)
    expected = np.lexsort((np.arange(len(rows)), times, groups))
    assert group_order(groups, times).tolist() == expected.tolist()
