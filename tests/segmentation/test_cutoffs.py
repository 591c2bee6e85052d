"""Quantile cut-offs and the tiers above them, against numpy's quantile and a plain loop.

``quantile_cutoffs`` reads the order statistics of a large population from a histogram
instead of partitioning it; the cut-offs must stay bit for bit those of ``np.quantile``.
``above_cutoffs`` counts the cut-offs a value is not above when they decrease; the codes
must stay those of the first cut-off the value is above.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from aftersales_crm.segmentation import _common
from aftersales_crm.segmentation._common import MISSING, above_cutoffs, quantile_cutoffs

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
values_with_ties = st.one_of(
    st.sampled_from([0.0, -0.0, 0.25, 1.0, 3.0]), finite, st.just(np.nan), st.floats(0, 1)
)
levels = st.lists(st.floats(0, 1) | st.sampled_from([0.0, 0.5, 0.95, 1.0]), min_size=1, max_size=5)


def reference_quantiles(values: NDArray[Any], quantiles: Sequence[float]) -> list[float]:
    known = values[~np.isnan(values)].astype(np.float64)
    if not len(known):
        return [np.nan] * len(quantiles)
    return [float(q) for q in np.quantile(known, quantiles)]


def same(got: Sequence[float], expected: Sequence[float]) -> bool:
    return np.array(got).tobytes() == np.array(expected).tobytes()


@given(
    values=hnp.arrays(np.float64, st.integers(0, 200), elements=values_with_ties),
    quantiles=levels,
)
def test_quantiles_read_from_a_histogram_are_numpys_bit_for_bit(
    values: NDArray[np.float64], quantiles: list[float]
) -> None:
    expected = reference_quantiles(values, quantiles)
    with pytest.MonkeyPatch.context() as patch:  # the histogram even for a few values
        patch.setattr(_common, "SELECT_ROWS", 1)
        patch.setattr(_common, "_SELECTED_SHARE", 1)
        assert same(quantile_cutoffs(values, quantiles), expected)


@pytest.mark.parametrize("seed", [0, 1])
def test_quantiles_of_a_large_population_with_ties_are_numpys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = 2 * _common.SELECT_ROWS
    scores = np.round(rng.beta(2, 5, rows), 4)  # many ties, skewed like value scores
    scores[rng.integers(0, rows, 100)] = np.nan
    quantiles = (0.95, 0.8, 0.5, 0.0, 1.0, 1 / 3)
    assert same(quantile_cutoffs(scores, quantiles), reference_quantiles(scores, quantiles))
    counts = rng.integers(0, 5, rows)  # integers: converted, as np.quantile sees them
    assert same(quantile_cutoffs(counts, quantiles), reference_quantiles(counts, quantiles))


def reference_tiers(values: NDArray[Any], cutoffs: Sequence[float]) -> list[int]:
    codes = np.full(len(values), len(cutoffs), dtype=np.int16)
    for i in reversed(range(len(cutoffs))):
        codes[values > cutoffs[i]] = i
    if any(np.isnan(c) for c in cutoffs):
        codes[:] = MISSING
    codes[np.isnan(values.astype(np.float64))] = MISSING
    return codes.tolist()


@given(
    values=hnp.arrays(np.float64, st.integers(0, 60), elements=values_with_ties),
    cutoffs=st.lists(values_with_ties, max_size=4),
    decreasing=st.booleans(),
)
def test_tiers_are_the_first_cutoff_a_value_is_above(
    values: NDArray[np.float64], cutoffs: list[float], decreasing: bool
) -> None:
    if decreasing and not any(np.isnan(cutoffs)):
        cutoffs = sorted(cutoffs, reverse=True)
    assert above_cutoffs(values, cutoffs).tolist() == reference_tiers(values, cutoffs)
    integers = np.nan_to_num(np.clip(values, -9, 9), nan=0.0).astype(np.int64)
    assert above_cutoffs(integers, cutoffs).tolist() == reference_tiers(integers, cutoffs)
