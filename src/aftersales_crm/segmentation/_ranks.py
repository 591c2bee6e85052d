"""Population mid-ranks in one pass: where each value sits among a population's values.

A population's distribution is its sorted distinct values and, for each, the count of
values below it (``below``, one longer than ``distinct``). A value's mid-rank is
``(below[at] + below[at + found]) / (2 * total)``: the share of the population below it,
plus half the share equal to it, so equal values share a rank. This module computes the
two integer counts without an ``argsort`` of the queries:

* when the distinct values are dense enough (their smallest gap, in an order-preserving
  64-bit key, is large against their range) a *bucket index* of at most
  :data:`DENSE_LIMIT` slots answers every query by two lookups;
* else, for integers whose key and row number fit together in 64 bits, one ``np.sort`` of
  the packed ``key << bits | row`` orders the values and carries their rows (a sort is
  several times faster than an argsort), and the sorted queries are searched in one
  forward sweep;
* else the queries are argsorted (any float column with many distinct values).

Every path gives the same two integers as ``np.searchsorted`` on the distinct values, so
the ranks are bit-for-bit the ones of the plain computation.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

__all__ = ["DENSE_LIMIT", "distribution_and_ranks", "mid_ranks"]

DENSE_LIMIT: Final = 1 << 22
"""Most slots of a bucket index (4,194,304: 32 MiB of int64 counts), the library's choice:
enough for integer columns spanning four million values and for any column with few
distinct values, small enough to build in a few milliseconds."""

_SIGN: Final = np.uint64(1 << 63)
_KEY_BITS: Final = 64
_PAIR: Final = 2

_WORD_SHIFT: Final = 6
_WORD_MASK: Final = 63

_BITMAP_SPAN: Final = DENSE_LIMIT << _WORD_SHIFT
"""Integer populations spanning fewer values than this (268,435,456: ¥2.7 million in fen)
are placed by a bitmap of one bit per integer (at most 32 MiB of words)."""

_Distribution = tuple[NDArray[Any], NDArray[np.int64]]


def _keys(values: NDArray[Any]) -> NDArray[np.uint64]:
    """An order-preserving uint64 key of int64 or float64 values (no NaN; -0.0 as 0.0)."""
    if values.dtype.kind == "f":
        bits = (values + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0
        negative = (bits & _SIGN) != 0
        return np.where(negative, ~bits, bits | _SIGN)
    return values.view(np.uint64) ^ _SIGN


def _float_buckets(
    values: NDArray[np.float64], low: float, scale: float, buckets: int
) -> NDArray[np.intp]:
    """Bucket of each float: ``floor((v - low) * scale)`` clipped to the buckets.

    Rounding is monotone, so the bucket never decreases as the value grows; values and
    the distinct values go through the same operations, so they agree on every bucket.
    """
    with np.errstate(over="ignore"):  # far-off values become ±inf, clipped to an end
        where = np.floor((values - low) * scale)
    np.clip(where, 0, buckets - 1, out=where)
    return where.astype(np.intp)


def _bucket_index(distinct: NDArray[np.float64]) -> tuple[float, float, NDArray[np.int64]] | None:
    """``(low, scale, first)``: one bucket for each of the sorted ``distinct`` floats.

    ``first[b]`` counts the distinct values in the buckets before ``b``. None when that
    needs more than :data:`DENSE_LIMIT` buckets or the values are not finite.
    """
    if len(distinct) < _PAIR or not np.isfinite(distinct[[0, -1]]).all():
        return None
    low, span = float(distinct[0]), float(distinct[-1] - distinct[0])
    gap = float(np.diff(distinct).min())
    if not (gap > 0 and span / gap < DENSE_LIMIT / 4):
        return None
    buckets = int(span / gap) * 2 + 2
    scale = (buckets - 1) / span
    where = _float_buckets(distinct, low, scale, buckets)
    if not (np.diff(where) > 0).all():  # rounding put two values together
        return None
    first = np.zeros(buckets + 1, dtype=np.int64)
    np.cumsum(np.bincount(where, minlength=buckets), out=first[1:])
    return low, scale, first


def _bucket_ranks(
    distinct: NDArray[np.float64],
    below: NDArray[np.int64],
    values: NDArray[np.float64],
    index: tuple[float, float, NDArray[np.int64]],
) -> NDArray[np.float64]:
    """The mid-rank of each value, from per-bucket ranks: below, at and above its one value."""
    low, scale, first = index
    total = int(below[-1])
    at = first[:-1]
    has = first[1:] > at
    below_at, below_next = below[at], below[at + has]
    under = (below_at + below_at) / (2 * total)
    same = (below_at + below_next) / (2 * total)  # the formula with found = has
    over = (below_next + below_next) / (2 * total)
    candidate = np.where(has, distinct[np.minimum(at, len(distinct) - 1)], np.nan)
    ranks = np.stack([under, same, over], axis=1).ravel()  # bucket b: 3b, 3b + 1, 3b + 2
    bucket = _float_buckets(values, low, scale, len(at))
    held = candidate[bucket]
    # 0 below the bucket's value, 1 at it, 2 above (an empty bucket's three ranks are equal)
    side = (values > held).view(np.int8) + (values >= held).view(np.int8)
    out: NDArray[np.float64] = ranks[bucket * 3 + side]
    return out


def _packed_order(keys: NDArray[np.uint64]) -> NDArray[np.uint64] | None:
    """``keys`` shifted up with each row's number below, sorted; None when they do not fit."""
    n = len(keys)
    bits = max(int(n - 1).bit_length(), 1)
    low = keys.min()
    span = int(keys.max() - low)
    if span.bit_length() + bits > _KEY_BITS:
        return None
    packed: NDArray[np.uint64] = ((keys - low) << np.uint64(bits)) | np.arange(n, dtype=np.uint64)
    packed.sort()
    return packed


def _rows(packed: NDArray[np.uint64], n: int) -> NDArray[np.intp]:
    """The row numbers carried in the low bits of :func:`_packed_order`'s keys."""
    bits = np.uint64(max(int(n - 1).bit_length(), 1))
    return (packed & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.intp)


def _sorted_counts(
    distinct: NDArray[Any], values: NDArray[Any], keys: NDArray[np.uint64]
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """``at`` and ``found`` by searching the queries in sorted order, then putting them back."""
    packed = _packed_order(keys) if values.dtype.kind in "iu" and len(keys) else None
    order = np.argsort(values) if packed is None else _rows(packed, len(keys))
    ordered = values[order]
    at = np.empty(len(values), dtype=np.intp)
    at[order] = np.searchsorted(distinct, ordered)
    found = distinct[np.minimum(at, len(distinct) - 1)] == values
    return at, found


def _known(values: NDArray[Any]) -> NDArray[np.bool_] | None:
    return ~np.isnan(values) if values.dtype.kind == "f" else None


def _bitmap(distinct: NDArray[np.int64]) -> tuple[int, NDArray[np.uint64], NDArray[np.int64]]:
    """``(low, bitmap, first)``: one bit per integer from ``distinct[0]`` to ``distinct[-1]``.

    Bit ``j`` of word ``w`` says whether ``low + 64 * w + j`` is a distinct value;
    ``first[w]`` counts the distinct values in the words before ``w``.
    """
    low = int(distinct[0])
    offsets = distinct - low
    word = offsets >> _WORD_SHIFT
    words = int(word[-1]) + 1
    bits = np.left_shift(np.uint64(1), (offsets & _WORD_MASK).astype(np.uint64))
    starts = np.flatnonzero(np.concatenate(([True], word[1:] != word[:-1])))
    bitmap = np.zeros(words, dtype=np.uint64)
    bitmap[word[starts]] = np.bitwise_or.reduceat(bits, starts)
    first = np.zeros(words + 1, dtype=np.int64)
    np.cumsum(np.bincount(word, minlength=words), out=first[1:])
    return low, bitmap, first


_BELOW_BIT: Final = np.array([(1 << b) - 1 for b in range(64)], dtype=np.uint64)
"""The mask of the bits below bit ``b`` of a word, for each ``b``."""


def _bitmap_ranks(
    distinct: NDArray[np.int64],
    below: NDArray[np.int64],
    values: NDArray[np.int64],
    *,
    members: bool = False,
) -> NDArray[np.float64]:
    """The mid-ranks of integer ``values`` by the bitmap of ``distinct``.

    ``members=True`` says every value is one of ``distinct`` (the population itself).
    The ranks of each distinct value (found, or not found at its place) are tabulated
    once, so a value costs two lookups and a popcount.
    """
    low, bitmap, first = _bitmap(distinct)
    high = int(distinct[-1])
    total = 2 * int(below[-1])
    found_rank = (below[:-1] + below[1:]) / total  # the formula with found = 1
    inside = members or not len(values) or (int(values.min()) >= low and int(values.max()) <= high)
    offsets = (values if inside else np.clip(values, low, high)) - low
    word = offsets >> _WORD_SHIFT
    bit = (offsets & _WORD_MASK).view(np.uint64)
    held = bitmap[word]
    at = first[word]
    at += np.bitwise_count(held & _BELOW_BIT[bit])
    if members:
        ranks: NDArray[np.float64] = found_rank[at]
        return ranks
    found = ((held >> bit) & np.uint64(1)).astype(bool)
    if not inside:
        found &= values >= low
        found &= values <= high
        at[values > high] = len(distinct)
    missing_rank = (below + below) / total  # the formula with found = 0
    placed: NDArray[np.float64] = np.where(
        found, found_rank[np.minimum(at, len(distinct) - 1)], missing_rank[at]
    )
    return placed


def mid_ranks(
    distinct: NDArray[Any], below: NDArray[np.int64], values: NDArray[Any]
) -> NDArray[np.float64]:
    """Each value's mid-rank in the population of ``(distinct, below)``, 0 to 1; NaN ranks 0.

    Args:
        distinct: the population's sorted distinct values (int64 or float64, no NaN).
        below: int64 array of ``len(distinct) + 1``: the population values below each.
        values: int64 or float64 array of the values to place.

    Returns:
        float64 array of ``len(values)``; all zeros when the population is empty.

    Examples:
        >>> import numpy as np
        >>> distinct, below = np.array([1, 5, 9]), np.array([0, 1, 3, 4])
        >>> mid_ranks(distinct, below, np.array([5, 9, 0, 7, 10])).tolist()
        [0.5, 0.875, 0.0, 0.75, 1.0]
    """
    total = int(below[-1]) if len(below) else 0
    if not total:
        return np.zeros(len(values), dtype=np.float64)
    known = _known(values)
    safe = values if known is None else np.where(known, values, distinct[0])
    if distinct.dtype != safe.dtype:  # an integer population, float queries or the reverse
        at = np.searchsorted(distinct, safe)
        rank = _formula(below, at, distinct[np.minimum(at, len(distinct) - 1)] == safe)
    elif safe.dtype == np.int64 and int(distinct[-1]) - int(distinct[0]) < _BITMAP_SPAN:
        rank = _bitmap_ranks(distinct, below, safe)
    else:
        index = _bucket_index(distinct) if safe.dtype == np.float64 else None
        if index is None:
            rank = _formula(below, *_sorted_counts(distinct, safe, _keys(safe)))
        else:
            rank = _bucket_ranks(distinct, below, safe, index)
    if known is not None:
        rank[~known] = 0.0
    return rank


def _formula(
    below: NDArray[np.int64], at: NDArray[Any], found: NDArray[np.bool_] | int
) -> NDArray[np.float64]:
    """The mid-rank ``(below[at] + below[at + found]) / (2 * total)``."""
    rank: NDArray[np.float64] = (below[at] + below[at + found]) / (2 * int(below[-1]))
    return rank


def distribution_and_ranks(values: NDArray[Any]) -> tuple[_Distribution, NDArray[np.float64]]:
    """The population's distribution and each of its values' mid-rank, in one pass.

    Integers spanning at most :data:`DENSE_LIMIT` are counted (``np.bincount``, no sort);
    other integers are sorted once, packed with their row numbers, which gives the
    distribution and the ranks together; floats are sorted once (``np.unique``) and placed
    with :func:`mid_ranks`.

    Args:
        values: int64 or float64 array; NaN is no value (not in the distribution, rank 0).

    Returns:
        ``((distinct, below), ranks)``: the sorted distinct values, the count of values
        below each (one longer), and float64 mid-ranks equal to :func:`mid_ranks` of the
        same values.

    Examples:
        >>> import numpy as np
        >>> (distinct, below), ranks = distribution_and_ranks(np.array([3.0, np.nan, 1.0, 3.0]))
        >>> distinct.tolist(), below.tolist(), ranks.tolist()
        ([1.0, 3.0], [0, 1, 3], [0.6666666666666666, 0.0, 0.16666666666666666, 0.6666666666666666])
    """
    known = _known(values)
    present = values if known is None else values[known]
    n = len(present)
    if present.dtype.kind == "f" or not n:
        distinct, counts = np.unique(present + 0 if n else present, return_counts=True)
        below = _below(counts)
        return (distinct, below), mid_ranks(distinct, below, values)
    low, high = int(present.min()), int(present.max())
    if present.dtype == np.int64 and high - low < _BITMAP_SPAN:
        if high - low < DENSE_LIMIT:
            counts = np.bincount(present - low, minlength=high - low + 1)
            distinct = np.flatnonzero(counts) + low
            counts = counts[counts > 0]
        else:
            ordered = np.sort(present)
            starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
            distinct = ordered[starts]
            counts = np.diff(np.append(starts, n))
        below = _below(counts)
        ranks_known = _bitmap_ranks(distinct, below, present, members=True)
        if known is None:
            return (distinct, below), ranks_known
        ranks = np.zeros(len(values), dtype=np.float64)
        ranks[known] = ranks_known
        return (distinct, below), ranks
    distinct, counts = np.unique(present, return_counts=True)
    below = _below(counts)
    return (distinct, below), mid_ranks(distinct, below, values)


def _below(counts: NDArray[Any]) -> NDArray[np.int64]:
    below = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=below[1:])
    return below
