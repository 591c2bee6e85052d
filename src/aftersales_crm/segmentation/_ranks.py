"""Population mid-ranks: where each value sits among a population's values.

A population's distribution is its sorted distinct values and, for each, the count of
values below it (``below``, one longer than ``distinct``). A value's *place* is
``2 * at + found``: ``at`` distinct values are below it and ``found`` (0 or 1) says whether
it is one of them, so places run from 0 (below every value; NaN too) to
``2 * len(distinct)`` (above every value). Its mid-rank is
``(below[at] + below[at + found]) / (2 * total)``: the share of the population below it,
plus half the share equal to it, so equal values share a rank. ``rank_table`` gives
the mid-rank of every place once, and a caller may fold its own arithmetic into that table
(a weight, say) before looking the places up.

Placing a population among its own values (``population_places``) also finds its
distribution, with no argsort of the rows:

* integers spanning few values are counted (``np.bincount``);
* other integers are sorted by least-significant-digit radix: one stable sort of each
  16-bit digit, which numpy does by counting, several times faster than one ``np.sort``
  of the values, carrying each row along;
* floats with few distinct values are placed among the distinct values of a sample by a
  *bucket index* (buckets of at most one distinct value each), and the sample completed
  with the values it missed;
* other floats are sorted (``np.unique``) and placed as other values are.

Placing other values (``places``):

* integers spanning few values: a table of the place of every integer in the span;
* integers spanning fewer than ``_BITMAP_SPAN``: a bitmap of the distinct values
  (one bit per integer) and the count of distinct values before each word;
* floats with few distinct values: the bucket index;
* else the values are sorted (their integer keys packed with their rows when they fit,
  else argsorted) and searched in one forward sweep.

Every path gives the places of ``np.searchsorted`` on the distinct values, so the ranks
are bit-for-bit the ones of the plain computation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DENSE_LIMIT",
    "Placed",
    "Placer",
    "distribution_and_ranks",
    "float_buckets",
    "mid_ranks",
    "places",
    "population_placed",
    "population_places",
    "rank_table",
]

DENSE_LIMIT: Final = 1 << 22
"""Most slots of a bucket index or of a table of places (4,194,304: 32 MiB of int64
counts), the library's choice: enough for integer columns spanning four million values and
for any column with few distinct values, small enough to build in a few milliseconds."""

_TABLE_SLOTS: Final = 1 << 16
"""Integers spanning fewer values than this (65,536), or fewer than the rows placed, are
counted and placed by a table of every integer's place (at most ``DENSE_LIMIT``):
building the table then costs less than placing the rows."""

_SIGN: Final = np.uint64(1 << 63)
_KEY_BITS: Final = 64
_PAIR: Final = 2

_WORD_SHIFT: Final = 6
_WORD_MASK: Final = 63

_BITMAP_SPAN: Final = DENSE_LIMIT << _WORD_SHIFT
"""Integer populations spanning fewer values than this (268,435,456: ¥2.7 million in fen)
place other values by a bitmap of one bit per integer (at most 32 MiB of words)."""

_DIGIT_BITS: Final = 16
"""Bits of a radix digit: numpy sorts 16-bit keys stably by counting."""

_SAMPLE: Final = 1 << 16
"""Rows of a float population (one in every ``len // 65,536``) whose distinct values are
tried first: a sort of so few costs about a millisecond."""

_FEW: Final = 8
"""A sample with more than one distinct value in 8 suggests many distinct values: the
population is sorted whole instead."""

_Distribution = tuple[NDArray[Any], NDArray[np.int64]]
_Places = NDArray[np.intp]


def rank_table(below: NDArray[np.int64]) -> NDArray[np.float64]:
    """The mid-rank of each place ``0 .. 2 * len(distinct)``; zeros for an empty population.

    Examples:
        >>> import numpy as np
        >>> rank_table(np.array([0, 1, 3, 4])).tolist()
        [0.0, 0.125, 0.25, 0.5, 0.75, 0.875, 1.0]
    """
    total = int(below[-1]) if len(below) else 0
    twice = np.empty(max(2 * len(below) - 1, 1), dtype=np.int64)
    if not total:
        return np.zeros(len(twice), dtype=np.float64)
    twice[0::2] = below + below  # found = 0
    twice[1::2] = below[:-1] + below[1:]  # found = 1
    table: NDArray[np.float64] = twice / (2 * total)
    return table


def _keys(values: NDArray[Any]) -> NDArray[np.uint64]:
    """An order-preserving uint64 key of int64 or float64 values (no NaN; -0.0 as 0.0)."""
    if values.dtype.kind == "f":
        bits = (values + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0
        negative = (bits & _SIGN) != 0
        return np.where(negative, ~bits, bits | _SIGN)
    return values.view(np.uint64) ^ _SIGN


def _known(values: NDArray[Any]) -> NDArray[np.bool_] | None:
    return ~np.isnan(values) if values.dtype.kind == "f" else None


def _below(counts: NDArray[Any]) -> NDArray[np.int64]:
    below = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=below[1:])
    return below


def _counted(span: int, rows: int) -> bool:
    """Whether integers spanning ``span + 1`` values are counted and placed by a table."""
    return span < min(DENSE_LIMIT, max(rows, _TABLE_SLOTS))


def _offsets(values: NDArray[np.int64], low: int, high: int) -> NDArray[np.int64]:
    """``values - low + 1``, every value below ``low`` as 0 and above ``high`` as one more.

    Slot 0 is below the population, slot ``high - low + 2`` above it.
    """
    info = np.iinfo(np.int64)
    offsets = np.clip(values, max(low - 1, info.min), min(high + 1, info.max))
    offsets -= low
    offsets += 1
    return offsets


# -- other values among a population ---------------------------------------------------------


def _place_table(distinct: NDArray[np.int64]) -> _Places:
    """The place of every integer from ``distinct[0] - 1`` to ``distinct[-1] + 1``."""
    low, high = int(distinct[0]), int(distinct[-1])
    held = np.zeros(high - low + 3, dtype=np.intp)
    held[distinct - low + 1] = 1
    table = np.cumsum(held)  # the distinct values up to each slot, itself included
    table += table  # twice that count, minus one where found: 2 * at + found
    table -= held
    return table


def _table_places(
    distinct: NDArray[np.int64], values: NDArray[np.int64], table: _Places
) -> _Places:
    """Places by ``_place_table``."""
    placed: _Places = table[_offsets(values, int(distinct[0]), int(distinct[-1]))]
    return placed


def _bitmap(distinct: NDArray[np.int64]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """``(bitmap, first)``: one bit per integer from ``distinct[0] - 1`` to ``distinct[-1] + 1``.

    Bit ``j`` of word ``w`` says whether ``distinct[0] - 1 + 64 * w + j`` is a distinct
    value; ``first[w]`` is twice the count of distinct values in the words before ``w``.
    """
    offsets = distinct - int(distinct[0]) + 1
    word = offsets >> _WORD_SHIFT
    words = (int(offsets[-1]) + 1 >> _WORD_SHIFT) + 1
    bits = np.left_shift(np.uint64(1), (offsets & _WORD_MASK).view(np.uint64))
    starts = np.flatnonzero(np.concatenate(([True], word[1:] != word[:-1])))
    bitmap = np.zeros(words, dtype=np.uint64)
    bitmap[word[starts]] = np.bitwise_or.reduceat(bits, starts)
    first = np.zeros(words, dtype=np.int64)
    np.cumsum(np.bitwise_count(bitmap[:-1]), out=first[1:])
    first += first
    return bitmap, first


def _bitmap_places(
    distinct: NDArray[np.int64],
    values: NDArray[np.int64],
    built: tuple[NDArray[np.uint64], NDArray[np.int64]],
) -> _Places:
    """Places by the bitmap of ``distinct`` (``_bitmap``): two lookups and two popcounts.

    The word holding a value's bit, shifted so that the bit is its top one, holds the
    distinct values up to the value's (their popcount: ``at + found``); shifted once more,
    those below it (``at``): the two add up to the place within the word.
    """
    bitmap, first = built
    offsets = _offsets(values, int(distinct[0]), int(distinct[-1]))
    shift = np.invert(offsets)
    shift &= _WORD_MASK  # 63 - the bit
    offsets >>= _WORD_SHIFT  # the word
    held = bitmap[offsets]
    held <<= shift.view(np.uint64)
    placed: _Places = first[offsets]
    placed += np.bitwise_count(held)
    held <<= np.uint64(1)
    placed += np.bitwise_count(held)
    return placed


def float_buckets(
    values: NDArray[np.float64], low: float, scale: float, buckets: int
) -> NDArray[np.intp]:
    """Bucket of each float: ``floor((v - low) * scale)`` clipped to the buckets; NaN in 0.

    Rounding is monotone, so the bucket never decreases as the value grows; values and
    the distinct values go through the same operations, so they agree on every bucket.

    Examples:
        >>> import numpy as np
        >>> float_buckets(np.array([0.0, 0.26, 0.5, 7.0, -1.0, np.nan]), 0.0, 4.0, 3).tolist()
        [0, 1, 2, 2, 0, 0]
    """
    with np.errstate(over="ignore"):  # far-off values become ±inf
        where = values - low
        where *= scale
    np.floor(where, out=where)
    np.fmax(where, 0, out=where)  # fmax and fmin take the number, not the NaN
    np.fmin(where, buckets - 1, out=where)
    return where.astype(np.intp)


def _bucket_index(distinct: NDArray[np.float64]) -> tuple[float, float, NDArray[np.int64]] | None:
    """``(low, scale, first)``: one bucket for each of the sorted ``distinct`` floats.

    ``first[b]`` counts the distinct values in the buckets before ``b``. None when that
    needs more than ``DENSE_LIMIT`` buckets or the values are not finite.
    """
    if len(distinct) < _PAIR or not np.isfinite(distinct[[0, -1]]).all():
        return None
    low, span = float(distinct[0]), float(distinct[-1] - distinct[0])
    gap = float(np.diff(distinct).min())
    if not (gap > 0 and span / gap < DENSE_LIMIT / 4):
        return None
    buckets = int(span / gap) * 2 + 2
    scale = (buckets - 1) / span
    where = float_buckets(distinct, low, scale, buckets)
    if not (np.diff(where) > 0).all():  # rounding put two values together
        return None
    first = np.zeros(buckets + 1, dtype=np.int64)
    np.cumsum(np.bincount(where, minlength=buckets), out=first[1:])
    return low, scale, first


def _bucket_places(
    distinct: NDArray[np.float64],
    values: NDArray[np.float64],
    index: tuple[float, float, NDArray[np.int64]],
) -> _Places:
    """Places by the bucket index: a value is below, at or above its bucket's one value.

    NaN falls in bucket 0 below its value (every comparison with NaN is false): place 0.
    """
    low, scale, first = index
    at = first[:-1]
    candidate = np.where(first[1:] > at, distinct[np.minimum(at, len(distinct) - 1)], np.nan)
    bucket = float_buckets(values, low, scale, len(at))
    held = candidate[bucket]
    placed: _Places = (at + at)[bucket]  # 2 * at: below the bucket's value, or no value
    placed += (values > held).view(np.int8)  # above it: 2 * at + 2
    placed += (values >= held).view(np.int8)  # at it: 2 * at + 1
    return placed


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
    """The row numbers carried in the low bits of ``_packed_order``'s keys."""
    bits = np.uint64(max(int(n - 1).bit_length(), 1))
    return (packed & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.intp)


class Placer:
    """A population's distinct values, ready to place other values among (``places``).

    The lookup a call needs (a table of places, a bitmap or a bucket index) is built on
    its first use and kept, so that placing several tables builds it once. It is no state:
    a copy (``copy.deepcopy``) shares it.

    Examples:
        >>> import numpy as np
        >>> Placer(np.array([1, 5, 9])).places(np.array([5, 9, 0, 7, 10])).tolist()
        [3, 5, 0, 4, 6]
    """

    __slots__ = ("_built", "distinct")

    def __init__(self, distinct: NDArray[Any]) -> None:
        self.distinct = distinct
        self._built: dict[str, Any] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Placer:
        return self  # the values never change; the lookups follow from them

    def _lookup(self, kind: str, build: Callable[[NDArray[Any]], Any]) -> Any:
        if kind not in self._built:  # two threads may both build it: the same lookup
            self._built[kind] = build(self.distinct)
        return self._built[kind]

    def places(self, values: NDArray[Any]) -> _Places:
        """Each value's place ``2 * at + found`` among the distinct values; NaN is 0.

        Args:
            values: int64 or float64 array of the values to place.

        Returns:
            intp array of ``len(values)``, each from 0 to ``2 * len(distinct)``.
        """
        distinct = self.distinct
        if not len(distinct):
            return np.zeros(len(values), dtype=np.intp)
        if distinct.dtype == values.dtype == np.int64:
            span = int(distinct[-1]) - int(distinct[0])
            if _counted(span, len(values)):
                return _table_places(distinct, values, self._lookup("table", _place_table))
            if span < _BITMAP_SPAN:
                return _bitmap_places(distinct, values, self._lookup("bitmap", _bitmap))
        if distinct.dtype == values.dtype == np.float64:
            index = self._lookup("buckets", _bucket_index)
            if index is not None:
                return _bucket_places(distinct, values, index)
        known = _known(values)
        safe = values if known is None else np.where(known, values, distinct[0])
        if distinct.dtype == safe.dtype:
            at, found = _sorted_counts(distinct, safe, _keys(safe))
        else:  # an integer population, float queries or the reverse
            at = np.searchsorted(distinct, safe)
            found = distinct[np.minimum(at, len(distinct) - 1)] == safe
        placed: _Places = at + at
        placed += found
        if known is not None:
            placed[~known] = 0
        return placed


def places(distinct: NDArray[Any], below: NDArray[np.int64], values: NDArray[Any]) -> _Places:
    """Each value's place ``2 * at + found`` among a population's distinct values; NaN is 0.

    Args:
        distinct: the population's sorted distinct values (int64 or float64, no NaN).
        below: int64 array of ``len(distinct) + 1``: the population values below each.
        values: int64 or float64 array of the values to place.

    Returns:
        intp array of ``len(values)``, each from 0 to ``2 * len(distinct)``.

    Examples:
        >>> import numpy as np
        >>> distinct, below = np.array([1, 5, 9]), np.array([0, 1, 3, 4])
        >>> places(distinct, below, np.array([5, 9, 0, 7, 10])).tolist()
        [3, 5, 0, 4, 6]
    """
    return Placer(distinct).places(values)


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
    ranks: NDArray[np.float64] = rank_table(below)[places(distinct, below, values)]
    return ranks


# -- a population among itself ---------------------------------------------------------------


def _counted_places(
    values: NDArray[np.int64], low: int, high: int
) -> tuple[_Distribution, _Places]:
    counts = np.bincount(values - low, minlength=high - low + 1)
    held = counts > 0
    distinct = np.flatnonzero(held) + low
    table = np.cumsum(held, dtype=np.intp)
    table += table
    table -= 1  # 2 * at + 1 for each value held
    placed: _Places = table[values - low]
    return (distinct, _below(counts[held])), placed


def _radix_order(offsets: NDArray[np.unsignedinteger[Any]], span: int) -> NDArray[np.intp]:
    """The stable order of ``offsets`` (each at most ``span``), one 16-bit digit at a time."""
    order: NDArray[np.intp] = np.argsort(offsets.astype(np.uint16), kind="stable")
    for shift in range(_DIGIT_BITS, span.bit_length(), _DIGIT_BITS):
        digit = (offsets >> offsets.dtype.type(shift)).astype(np.uint16)
        order = order[np.argsort(digit[order], kind="stable")]
    return order


def _radix_places(values: NDArray[np.int64], low: int, high: int) -> tuple[_Distribution, Placed]:
    n = len(values)
    base = np.uint64(low % (1 << _KEY_BITS))
    offsets: NDArray[np.unsignedinteger[Any]] = values.view(np.uint64) - base  # mod 2**64
    if high - low <= np.iinfo(np.uint32).max:
        offsets = offsets.astype(np.uint32)  # half the bytes to move
    order = _radix_order(offsets, high - low)
    ordered = offsets[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    distinct = (ordered[first].astype(np.uint64) + base).view(np.int64)
    table = np.cumsum(starts, dtype=np.intp)
    table += table
    table -= 1  # 2 * at + 1, in sorted order
    return (distinct, _below(np.diff(np.append(first, n)))), Placed(table, order)


def _sampled_places(
    values: NDArray[np.float64], missing: int
) -> tuple[_Distribution, _Places] | None:
    """Places among the distinct values of a sample, completed with those it missed.

    None when the values look many or the bucket index cannot hold the sample's.
    """
    sample = values[:: max(len(values) // _SAMPLE, 1)]
    distinct = np.unique(sample[~np.isnan(sample)] + 0.0)
    if len(distinct) * _FEW > len(sample):
        return None
    index = _bucket_index(distinct)
    if index is None:
        return None
    placed = _bucket_places(distinct, values, index)
    counts = np.bincount(placed, minlength=2 * len(distinct) + 1)
    if int(counts[0::2].sum()) > missing:  # values the sample missed: add them
        outside = (placed & 1) == 0
        outside &= ~np.isnan(values)
        rows = np.flatnonzero(outside)
        more = values[rows] + 0.0
        every = np.union1d(distinct, more)
        moved = np.zeros(len(counts), dtype=np.intp)  # 0 stays 0 (NaN)
        moved[1::2] = 2 * np.searchsorted(every, distinct) + 1
        placed = moved[placed]
        placed[rows] = 2 * np.searchsorted(every, more) + 1
        distinct = every
        counts = np.bincount(placed, minlength=2 * len(distinct) + 1)
    return (distinct, _below(counts[1::2])), placed


class Placed:
    """Each row's place in its population, kept as cheap to look a table up with as it is.

    Either the places, or (radix-sorted populations) the places in sorted order and the
    row of each: a table is then read in sorted order, nearly sequentially, and its
    entries sent to their rows.

    Examples:
        >>> import numpy as np
        >>> Placed(np.array([1, 3, 3]), np.array([2, 0, 1])).take(np.arange(5.0)).tolist()
        [3.0, 3.0, 1.0]
    """

    __slots__ = ("_places", "_rows")

    def __init__(self, places: _Places, rows: NDArray[np.intp] | None = None) -> None:
        self._places = places
        self._rows = rows

    def take(self, table: NDArray[Any]) -> NDArray[Any]:
        """``table[places]``: each row's entry of a table of places."""
        if self._rows is None:
            taken: NDArray[Any] = table[self._places]
            return taken
        out = np.empty(len(self._rows), dtype=table.dtype)
        out[self._rows] = table[self._places]
        return out

    def places(self) -> _Places:
        """Each row's place."""
        if self._rows is None:
            return self._places
        out = np.empty(len(self._rows), dtype=np.intp)
        out[self._rows] = self._places
        return out


def population_placed(values: NDArray[Any]) -> tuple[_Distribution, Placed]:
    """The population's distribution and each of its values' place in it, in one pass.

    As ``population_places``, the places kept as ``Placed``.

    Examples:
        >>> import numpy as np
        >>> (distinct, below), placed = population_placed(np.array([30, 10, 30] * 30_000))
        >>> distinct.tolist(), placed.take(np.array([0.0, 0.1, 0.2, 0.3, 0.4]))[:3].tolist()
        ([10, 30], [0.3, 0.1, 0.3])
    """
    if values.dtype.kind == "f":
        missing = int(np.count_nonzero(np.isnan(values)))
        if missing < len(values):
            sampled = _sampled_places(values, missing)
            if sampled is not None:
                return sampled[0], Placed(sampled[1])
        present = values[~np.isnan(values)] if missing else values
        distinct, counts = np.unique(present + 0.0, return_counts=True)
        below = _below(counts)
        return (distinct, below), Placed(places(distinct, below, values))
    if not len(values):
        return (values[:0].copy(), _below(values[:0])), Placed(np.zeros(0, dtype=np.intp))
    low, high = int(values.min()), int(values.max())
    if _counted(high - low, len(values)):
        distribution, placed = _counted_places(values, low, high)
        return distribution, Placed(placed)
    return _radix_places(values, low, high)


def population_places(values: NDArray[Any]) -> tuple[_Distribution, _Places]:
    """The population's distribution and each of its values' place in it, in one pass.

    Args:
        values: int64 or float64 array; NaN is no value (not in the distribution, place 0).

    Returns:
        ``((distinct, below), places)``: the sorted distinct values, the count of values
        below each (one longer), and intp places equal to ``places`` of the same values.

    Examples:
        >>> import numpy as np
        >>> (distinct, below), at = population_places(np.array([3.0, np.nan, 1.0, 3.0]))
        >>> distinct.tolist(), below.tolist(), at.tolist()
        ([1.0, 3.0], [0, 1, 3], [3, 0, 1, 3])
    """
    distribution, placed = population_placed(values)
    return distribution, placed.places()


def distribution_and_ranks(values: NDArray[Any]) -> tuple[_Distribution, NDArray[np.float64]]:
    """The population's distribution and each of its values' mid-rank, in one pass.

    Args:
        values: int64 or float64 array; NaN is no value (not in the distribution, rank 0).

    Returns:
        ``((distinct, below), ranks)``: the sorted distinct values, the count of values
        below each (one longer), and float64 mid-ranks equal to ``mid_ranks`` of the
        same values.

    Examples:
        >>> import numpy as np
        >>> (distinct, below), ranks = distribution_and_ranks(np.array([3.0, np.nan, 1.0, 3.0]))
        >>> distinct.tolist(), below.tolist(), ranks.tolist()
        ([1.0, 3.0], [0, 1, 3], [0.6666666666666666, 0.0, 0.16666666666666666, 0.6666666666666666])
    """
    distribution, placed = population_placed(values)
    ranks: NDArray[np.float64] = placed.take(rank_table(distribution[1]))
    return distribution, ranks
