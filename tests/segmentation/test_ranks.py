"""The single-pass rank kernel of MemberValue gives, bit for bit, the ranks of a plain search.

The reference is the computation MemberValue did before the kernel: ``np.unique`` for the
population's distribution, ``np.searchsorted`` for each value's place, and the mid-rank
``(below[at] + below[at + found]) / (2 * total)``. Every path of the kernel is driven here
by the span and the gaps of the values: for a population, counted or radix-sorted
integers, floats placed among a sample's distinct values or sorted; for other values, a
table of places, a bitmap, buckets, or a sorted search (packed or argsorted).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from aftersales_crm import features, synthetic
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation import MemberValue, _ranks
from aftersales_crm.segmentation._ranks import (
    DENSE_LIMIT,
    Placer,
    distribution_and_ranks,
    mid_ranks,
    places,
    population_placed,
    population_places,
    rank_table,
)


def reference_distribution(values: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.int64]]:
    known = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    distinct, counts = np.unique(known, return_counts=True)
    below = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(counts, out=below[1:])
    return distinct, below


def reference_ranks(
    distinct: NDArray[Any], below: NDArray[np.int64], values: NDArray[Any]
) -> NDArray[np.float64]:
    total = below[-1]
    if not total:
        return np.zeros(len(values))
    at = np.searchsorted(distinct, values)
    found = distinct[np.minimum(at, len(distinct) - 1)] == values
    rank: NDArray[np.float64] = (below[at] + below[at + found]) / (2 * total)
    if values.dtype.kind == "f":
        rank[np.isnan(values)] = 0.0
    return rank


def reference_places(distinct: NDArray[Any], values: NDArray[Any]) -> NDArray[np.intp]:
    at = np.searchsorted(distinct, values)
    found = distinct[np.minimum(at, len(distinct) - 1)] == values if len(distinct) else 0
    placed: NDArray[np.intp] = 2 * at + found
    if values.dtype.kind == "f":
        placed[np.isnan(values)] = 0
    return placed


def same_bits(got: NDArray[np.float64], expected: NDArray[np.float64]) -> bool:
    return got.dtype == np.float64 and got.tobytes() == expected.astype(np.float64).tobytes()


def assert_kernel_matches(population: NDArray[Any], queries: NDArray[Any]) -> None:
    (distinct, below), ranks = distribution_and_ranks(population)
    ref_distinct, ref_below = reference_distribution(population)
    assert np.array_equal(distinct, ref_distinct)
    assert below.tolist() == ref_below.tolist()
    assert same_bits(ranks, reference_ranks(ref_distinct, ref_below, population))
    assert same_bits(
        mid_ranks(distinct, below, queries), reference_ranks(ref_distinct, ref_below, queries)
    )
    (_, _), placed = population_places(population)
    assert placed.tolist() == reference_places(ref_distinct, population).tolist()
    table = np.arange(2 * len(distinct) + 1) * 0.5  # a table of places, looked up as kept
    assert population_placed(population)[1].take(table).tolist() == table[placed].tolist()
    placer = Placer(distinct)  # its lookups built by the first call, kept for the others
    for values in (queries, population, queries):
        assert placer.places(values).tolist() == reference_places(ref_distinct, values).tolist()
    assert (
        places(distinct, below, queries).tolist()
        == reference_places(ref_distinct, queries).tolist()
    )


# Integer columns of every span: the kernel's path follows from the span.
INT_SPANS = [
    10,  # a handful of values: counted, placed by a table
    DENSE_LIMIT + 5,  # beyond counting: radix-sorted, placed by bitmap
    (DENSE_LIMIT << 6) + 5,  # beyond the bitmap: queries sorted with their rows packed in
    2**62,  # beyond packing: queries argsorted; four radix digits
]


@pytest.mark.parametrize("span", INT_SPANS, ids=["counted", "bitmap", "packed", "argsorted"])
@given(data=st.data())
def test_integer_ranks_equal_the_plain_search_on_every_path(span: int, data: st.DataObject) -> None:
    low = data.draw(st.integers(-(2**40), 2**40))
    picks = st.integers(low, low + span)
    population = np.array(data.draw(st.lists(picks, min_size=1, max_size=60)), dtype=np.int64)
    population[0] = low  # the span is reached, so the path is the one named
    population[-1] = low + span
    outside = st.integers(max(low - 2 * span, -(2**63)), min(low + 2 * span, 2**63 - 1))
    queries = data.draw(st.lists(st.one_of(picks, outside, st.sampled_from(population.tolist()))))
    assert_kernel_matches(population, np.array(queries, dtype=np.int64))


floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
ratios = st.builds(lambda k, m: k / m, st.integers(0, 30), st.integers(1, 30))
signed_zeros = st.sampled_from([0.0, -0.0, 1.0, -1.0])


@pytest.mark.parametrize(
    "elements", [ratios, signed_zeros, floats], ids=["ratios", "signed-zeros", "any-float"]
)
@given(data=st.data())
def test_float_ranks_equal_the_plain_search_with_nan_ranked_lowest(
    elements: st.SearchStrategy[float], data: st.DataObject
) -> None:
    population = np.array(
        data.draw(st.lists(st.one_of(elements, st.just(np.nan)), max_size=60)), dtype=np.float64
    )
    queries = np.array(
        data.draw(st.lists(st.one_of(elements, floats, st.sampled_from([*population, 0.5])))),
        dtype=np.float64,
    )
    assert_kernel_matches(population, queries)


@pytest.mark.parametrize(
    "elements", [ratios, signed_zeros, floats], ids=["ratios", "signed-zeros", "any-float"]
)
@given(data=st.data())
def test_a_float_population_placed_from_a_small_sample_is_placed_as_by_the_plain_search(
    elements: st.SearchStrategy[float], data: st.DataObject
) -> None:
    # A sample of one row in every few misses values: the second round adds them, or
    # the population is sorted whole; either way the places are those of the search.
    population = np.array(
        data.draw(st.lists(st.one_of(elements, st.just(np.nan)), max_size=80)), dtype=np.float64
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_ranks, "_SAMPLE", data.draw(st.integers(1, 8)))
        patch.setattr(_ranks, "_FEW", 1)
        (distinct, below), placed = population_places(population)
    ref_distinct, ref_below = reference_distribution(population)
    assert np.array_equal(distinct, ref_distinct)
    assert below.tolist() == ref_below.tolist()
    assert placed.tolist() == reference_places(ref_distinct, population).tolist()


@given(hnp.arrays(np.int64, st.integers(0, 60), elements=st.integers(-9, 9)))
def test_the_rank_table_holds_the_mid_rank_of_every_place(values: NDArray[np.int64]) -> None:
    (distinct, below), _ = population_places(values)
    table = rank_table(below)
    assert len(table) == 2 * len(distinct) + 1
    grid = np.arange(-10, 11)
    assert same_bits(table[places(distinct, below, grid)], reference_ranks(distinct, below, grid))


@given(hnp.arrays(np.int64, st.integers(0, 200), elements=st.integers(-5, 5)))
def test_a_population_ranks_itself_with_mid_ranks_for_ties(values: NDArray[np.int64]) -> None:
    (_, below), ranks = distribution_and_ranks(values)
    for value in np.unique(values):
        equal = values == value
        expected = (np.sum(values < value) + np.sum(values <= value)) / (2 * len(values))
        assert set(ranks[equal].tolist()) == {expected}
    assert below[-1] == len(values)


def test_integer_queries_on_a_float_population_are_placed_by_value() -> None:
    distinct, below = np.array([0.5, 2.0]), np.array([0, 1, 2])
    assert mid_ranks(distinct, below, np.array([0, 1, 2, 3])).tolist() == [0.0, 0.5, 0.75, 1.0]


def old_member_value_labels(policy: MemberValue, feats: FeatureTable) -> tuple[Any, Any]:
    """MemberValue's score and codes as computed before the kernel (plain search)."""
    groups = policy._groups()
    distributions = {}
    for _, columns in groups:
        for name in columns:
            distributions[name] = reference_distribution(policy._column(feats, name))

    def score(table: FeatureTable) -> NDArray[np.float64]:
        out = np.zeros(len(table))
        for weight, columns in groups:
            for name in columns:
                distinct, below = distributions[name]
                if not below[-1]:
                    continue
                rank = reference_ranks(distinct, below, policy._column(table, name))
                out += weight * rank / len(columns)
        return out

    population = score(feats)
    known = population[~np.isnan(population)]
    cutoffs = np.quantile(known, policy.levels) if len(known) else None
    return population, cutoffs


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "policy",
    [
        MemberValue(),
        MemberValue.diamond_gold_silver(),
        MemberValue.loyalty_and_cumulative_spend(),
        MemberValue(weights=(1.0, 0.0, 0.0)),
    ],
    ids=["default", "d-g-s", "loyalty-and-spend", "material-only"],
)
def test_member_value_scores_and_cutoffs_are_those_of_the_plain_search(
    policy: MemberValue, seed: int
) -> None:
    feats = features.compute(synthetic.columns(2_000, seed=seed).tables(), as_of=date(2026, 6, 30))
    fitted = policy.fit(feats)
    score, cutoffs = old_member_value_labels(policy, feats)
    assert same_bits(fitted.score(feats), score)
    assert fitted.cutoffs_ == tuple(float(c) for c in cutoffs)
    half = feats.take(np.arange(0, len(feats), 2))
    assert same_bits(fitted.score(half), score[::2])


def test_member_value_ranks_the_same_on_threads_as_one_after_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aftersales_crm.segmentation import _member

    feats = features.compute(synthetic.columns(2_000, seed=4).tables(), as_of=date(2026, 6, 30))
    alone = MemberValue().fit(feats)
    monkeypatch.setattr(_member, "_PARALLEL_ROWS", 0)  # every table on threads
    threaded = MemberValue().fit(feats)
    assert threaded.cutoffs_ == alone.cutoffs_
    assert same_bits(threaded.score(feats), alone.score(feats))
    assert threaded.assign(feats) == alone.assign(feats)
