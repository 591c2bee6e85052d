"""Segment kernels: sums, firsts, lasts and medians over rows grouped by an owner.

Rows are put in (group, time) order once; each group is then a contiguous segment and
every per-group statistic is one pass of a numpy reduction over the segments. These are
the only implementations of the rules: a one-customer profile runs the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, number_array, whole_number
from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import NONE_CODE

__all__ = [
    "BLOCK_ROWS",
    "Segments",
    "group_order",
    "grouping",
    "rows_of",
    "run_blocks",
    "running_sums",
    "wants",
]

BLOCK_ROWS: Final = 1 << 18
"""Rows per block: kernels run block by block so temporaries stay small (and in cache-sized
heap chunks the allocator reuses) and blocks can run on several threads."""

_LANE_BITS: Final = 8
_LANES: Final = 8  # eight 8-bit counters in one int64
_LANE_LIMIT: Final = 1 << _LANE_BITS
_LANE_MASK: Final = _LANE_LIMIT - 1


def _lane_table() -> NDArray[np.int64]:
    """For each 8-bit pattern, an int64 with a 1 in the byte (lane) of each set bit."""
    patterns = np.arange(_LANE_LIMIT, dtype=np.int64)
    table = np.zeros(_LANE_LIMIT, dtype=np.int64)
    for bit in range(_LANES):
        table |= ((patterns >> bit) & 1) << (_LANE_BITS * bit)
    return table


_SPREAD: Final = _lane_table()


def run_blocks(
    work: Callable[[int, int], dict[str, NDArray[Any]]],
    blocks: list[tuple[int, int]],
    threads: int,
) -> dict[str, NDArray[Any]]:
    """``work(first, stop)`` on every block of groups, on up to ``threads`` threads.

    ``work`` returns arrays with one row per group of its block; they are written into
    arrays for all groups. numpy releases the interpreter lock in its loops, so blocks run
    side by side, and the result does not depend on the number of threads.

    Examples:
        >>> run_blocks(lambda a, b: {"n": np.arange(a, b) * 2}, [(0, 2), (2, 3)], 2)["n"].tolist()
        [0, 2, 4]
    """
    head = work(*blocks[0])
    n = blocks[-1][1]
    out = {k: np.empty((n, *v.shape[1:]), dtype=v.dtype) for k, v in head.items()}

    def put(block: tuple[int, int], result: dict[str, NDArray[Any]]) -> None:
        for name, values in result.items():
            out[name][block[0] : block[1]] = values

    def job(block: tuple[int, int]) -> None:
        put(block, work(*block))

    put(blocks[0], head)
    rest = blocks[1:]
    if threads > 1 and len(rest) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(job, rest))
    else:
        for block in rest:
            job(block)
    return out


def wants(wanted: frozenset[str] | None, names: frozenset[str]) -> bool:
    """Whether a kernel giving the columns ``names`` must run: ``wanted`` asks for one.

    ``wanted`` is None when every column is.

    Examples:
        >>> wants(None, frozenset({"a"})), wants(frozenset({"b"}), frozenset({"a"}))
        (True, False)
    """
    return wanted is None or not wanted.isdisjoint(names)


_MAX_GROUPS: Final = 10**9
"""The most groups [`Segments.of`][aftersales_crm.features.Segments.of] counts rows into (a billion customers)."""

_RANK_BITS: Final = 31
_MAX_RANK: Final = 1 << _RANK_BITS

_DENSE_GROUPS: Final = 4
"""Group numbers up to this many times the rows are flagged in an array; beyond, looked up."""


def group_order(group: NDArray[np.int64], time: NDArray[np.int64]) -> NDArray[np.intp]:
    """The permutation that sorts rows by group, then time, then position.

    Cheap when the rows are nearly in that order already (a stable sort of presorted runs),
    which is how dealer systems export them.

    Examples:
        >>> group_order(np.array([1, 0, 1, 0]), np.array([5, 9, 2, 3])).tolist()
        [3, 1, 2, 0]

    Raises:
        InvalidValue: ``group`` and ``time`` are not int64 arrays of one length, or a
            group is negative.
    """
    group = number_array(group, parameter="group", dtype="int64")
    time = number_array(time, parameter="time", dtype="int64")
    if group.shape != time.shape or group.ndim != 1:
        msg = f"group and time have shapes {group.shape} and {time.shape}; give one of each per row"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if len(group) and group.min() < 0:
        msg = f"group holds {group.min()}; groups are numbered from 0"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if len(group) > 1 and (group[1:] < group[:-1]).any():
        by_group = np.argsort(group, kind="stable")
        g, t = group[by_group], time[by_group]
    else:  # already grouped, as orders sorted by vehicle are
        by_group = np.arange(len(group))
        g, t = group, time
    unsorted = (g[1:] == g[:-1]) & (t[1:] < t[:-1])
    if not unsorted.any():
        return by_group
    # Re-sort only the groups whose times are out of order.
    if int(g[-1]) < _DENSE_GROUPS * len(g):  # group numbers dense: a flag per group
        bad = np.zeros(int(g[-1]) + 1, dtype=bool)
        bad[g[1:][unsorted]] = True
        rows = np.flatnonzero(bad[g])
    else:  # sparse numbers (a caller's own): look them up instead of allocating per number
        rows = np.flatnonzero(np.isin(g, g[1:][unsorted]))
    by_group[rows] = by_group[rows[_by_group_then_time(g[rows], t[rows])]]
    return by_group


def _by_group_then_time(g: NDArray[np.int64], t: NDArray[np.int64]) -> NDArray[np.intp]:
    """The stable permutation sorting rows by group, then time, of rows sorted by group.

    What ``np.lexsort((t, g))`` gives, about three times faster: the groups' ranks and
    the times' ranks (each below the number of rows, so under 2**31) share one int64 key,
    and one stable sort of that key replaces lexsort's pass per key.
    """
    if len(g) >= _MAX_RANK:  # more rows than the key holds ranks of
        return np.lexsort((t, g))
    new_group = np.ones(len(g), dtype=bool)
    new_group[1:] = g[1:] != g[:-1]
    group_rank = np.cumsum(new_group) - 1
    by_time = np.argsort(t)
    later = np.ones(len(t), dtype=bool)
    later[1:] = t[by_time[1:]] != t[by_time[:-1]]
    time_rank = np.empty(len(t), dtype=np.int64)
    time_rank[by_time] = np.cumsum(later) - 1
    return np.argsort((group_rank << _RANK_BITS) | time_rank, kind="stable")


def grouping(group: NDArray[np.int64], time: NDArray[np.int64]) -> NDArray[np.intp] | None:
    """[`group_order`][aftersales_crm.features.group_order], or None when the rows are in (group, time) order already.

    Examples:
        >>> grouping(np.array([0, 0, 1]), np.array([1, 2, 0])) is None
        True
        >>> grouping(np.array([1, 0]), np.array([0, 0])).tolist()
        [1, 0]
    """
    if len(group) > 1 and (
        (group[1:] < group[:-1]).any() or ((group[1:] == group[:-1]) & (time[1:] < time[:-1])).any()
    ):
        return group_order(group, time)
    return None


def running_sums(values: NDArray[np.int64] | NDArray[np.bool_]) -> NDArray[np.int64]:
    """The int64 sums of the rows before each row and before the end: ``len(values) + 1``.

    For flags, ``running_sums(flags)[i]`` is ``np.searchsorted(np.flatnonzero(flags), i)``,
    the flagged rows before row ``i``: one pass over the rows in place of a binary search
    per row looked up. Sums of int64 wrap modulo 2**64 as numpy's sums do.

    Examples:
        >>> running_sums(np.array([True, False, True])).tolist()
        [0, 1, 1, 2]
    """
    running = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, dtype=np.int64, out=running[1:])
    return running


def rows_of(perm: NDArray[np.intp] | None, lo: int, hi: int) -> NDArray[np.intp] | slice:
    """Rows ``lo:hi`` of the grouped order: positions, or a slice when already grouped.

    Examples:
        >>> rows_of(None, 2, 4), rows_of(np.array([3, 2, 1, 0]), 2, 4).tolist()
        (slice(2, 4, None), [1, 0])
    """
    return slice(lo, hi) if perm is None else perm[lo:hi]


@attrs.frozen
class Segments:
    """Contiguous groups of sorted rows: ``counts[k]`` rows of group ``k`` from ``starts[k]``.

    Attributes:
        starts: first row of each group (for an empty group, where it would start).
        counts: rows per group.

    Examples:
        >>> s = Segments.of(np.array([0, 0, 2]), 3)
        >>> s.counts.tolist(), s.sum(np.array([1, 2, 3])).tolist()
        ([2, 0, 1], [3, 0, 3])
    """

    starts: NDArray[np.int64]
    counts: NDArray[np.int64]
    filled_groups: NDArray[np.intp] = attrs.field(repr=False)
    filled_starts: NDArray[np.int64] = attrs.field(repr=False)

    @classmethod
    def of(cls, sorted_groups: NDArray[np.int64], n_groups: int) -> Segments:
        """Segments of rows already sorted by group (``0 <= group < n_groups``).

        Raises:
            InvalidValue: ``sorted_groups`` is not an int64 array of groups in
                ``0 .. n_groups - 1``, or ``n_groups`` is not a whole number up to a billion.
        """
        groups = number_array(sorted_groups, parameter="sorted_groups", dtype="int64")
        n = whole_number(n_groups, parameter="n_groups", minimum=0, maximum=_MAX_GROUPS)
        if groups.ndim != 1 or (len(groups) and (groups.min() < 0 or groups.max() >= n)):
            msg = f"sorted_groups must be one group per row, each in 0 .. {n - 1}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return cls._of_counts(np.bincount(groups, minlength=n).astype(np.int64, copy=False))

    @classmethod
    def from_counts(cls, counts: NDArray[np.int64]) -> Segments:
        """Segments of ``counts[k]`` consecutive rows for each group ``k``.

        The Segments keep a copy of ``counts``: changing the caller's array afterwards
        changes nothing here.

        Examples:
            >>> Segments.from_counts(np.array([2, 0, 1])).starts.tolist()
            [0, 2, 2]

        Raises:
            InvalidValue: ``counts`` is not a one-dimensional array of non-negative int64.
        """
        given: object = counts
        counts = number_array(counts, parameter="counts", dtype="int64")
        if counts.ndim != 1 or (len(counts) and counts.min() < 0):
            msg = "counts must be one non-negative count per group"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        if isinstance(given, np.ndarray) and np.may_share_memory(counts, given):
            counts = counts.copy()
        return cls._of_counts(counts)

    @classmethod
    def _of_counts(cls, counts: NDArray[np.int64]) -> Segments:
        """Segments of ``counts``, a valid array of counts the Segments may keep as it is."""
        starts = np.cumsum(counts)
        starts -= counts
        filled = np.flatnonzero(counts)
        # Every group filled (an order's lines): the filled groups' starts are the starts.
        return cls(starts, counts, filled, starts if len(filled) == len(counts) else starts[filled])

    def part(self, first: int, stop: int) -> Segments:
        """The segments of groups ``first`` to ``stop - 1``, rows counted from the first one.

        Examples:
            >>> Segments.from_counts(np.array([2, 0, 3])).part(1, 3).starts.tolist()
            [0, 0]
        """
        # Slices of this one's arrays, shifted: no recount of the groups (blocks ask often).
        base = int(self.starts[first]) if first < len(self.starts) else 0
        lo, hi = np.searchsorted(self.filled_groups, [first, stop]).tolist()
        return Segments(
            self.starts[first:stop] - base,
            self.counts[first:stop],
            self.filled_groups[lo:hi] - first,
            self.filled_starts[lo:hi] - base,
        )

    def blocks(self, rows: int | None = None) -> list[tuple[int, int]]:
        """Consecutive ranges of groups ``[first, stop)`` of about ``rows`` rows each.

        ``rows`` defaults to ``BLOCK_ROWS``.

        Examples:
            >>> Segments.from_counts(np.array([2, 2, 2, 2])).blocks(rows=4)
            [(0, 2), (2, 4)]
        """
        rows = BLOCK_ROWS if rows is None else rows
        n = len(self.counts)
        total = int(self.counts.sum())
        cuts = np.searchsorted(self.ends, np.arange(rows, total, rows), side="left") + 1
        edges = np.unique(np.concatenate([[0], np.minimum(cuts, n), [n]]))
        if len(edges) == 1:
            return [(0, n)]
        return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))

    def _spread(self, per_filled: NDArray[Any], fill: Any = 0) -> NDArray[Any]:
        """Per-group values from values of the filled groups only."""
        if len(self.filled_groups) == len(self.counts):
            return per_filled
        out = np.full((len(self.counts), *per_filled.shape[1:]), fill, dtype=per_filled.dtype)
        out[self.filled_groups] = per_filled
        return out

    @property
    def filled(self) -> NDArray[np.bool_]:
        """Which groups have rows."""
        return self.counts > 0

    @property
    def ends(self) -> NDArray[np.int64]:
        """One past the last row of each group."""
        return self.starts + self.counts

    def group_of_rows(self) -> NDArray[np.int64]:
        """The group of each row.

        Examples:
            >>> Segments.of(np.array([0, 0, 2]), 3).group_of_rows().tolist()
            [0, 0, 2]
        """
        return np.repeat(np.arange(len(self.counts)), self.counts)

    def sum(self, values: NDArray[Any]) -> NDArray[Any]:
        """Per-group sums (0 for empty groups), exact for integers."""
        if values.dtype == np.int64:
            return self._running_sum(values)
        if not len(self.filled_groups):
            return np.zeros(len(self.counts), dtype=values.dtype)
        return self._spread(np.add.reduceat(values, self.filled_starts))

    def count(self, flags: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Per-group number of True rows."""
        return self._running_sum(flags)

    def _running_sum(self, values: NDArray[np.int64] | NDArray[np.bool_]) -> NDArray[np.int64]:
        """Per-group sums of int64 (or of flags, as int64) as differences of running sums.

        ``reduceat`` pays a call of its inner loop per group, most of its time on groups
        of a few rows (an order's lines, a customer's orders); one cumulative sum and two
        lookups per group cost a third of it. Exact: int64 sums wrap modulo 2**64 alike
        both ways, so a difference of running sums is the group's sum whenever
        ``reduceat`` would give it.
        """
        running = running_sums(values)
        found: NDArray[np.int64] = running[self.starts + self.counts] - running[self.starts]
        return found

    def count_bits(self, bits: NDArray[np.integer[Any]], n_bits: int) -> NDArray[np.int64]:
        """Per group and bit, the number of rows with that bit set: shape (groups, n_bits).

        Eight bits are counted at once, in the bytes of one int64 sum; groups of 256 rows or
        more would overflow a byte and are counted bit by bit instead.

        Examples:
            >>> s = Segments.of(np.array([0, 0, 1]), 2)
            >>> s.count_bits(np.array([0b101, 0b001, 0b100]), 3).tolist()
            [[2, 0, 1], [0, 0, 1]]
        """
        out = np.zeros((len(self.counts), n_bits), dtype=np.int64)
        if not len(self.filled_groups):
            return out
        wide = bits.astype(np.int64)
        for word in range(0, n_bits, _LANES):
            sums = self.sum(_SPREAD[(wide >> word) & _LANE_MASK])
            for lane in range(min(_LANES, n_bits - word)):
                out[:, word + lane] = (sums >> (_LANE_BITS * lane)) & _LANE_MASK
        big = self.counts >= _LANE_LIMIT
        if big.any():
            rows = np.repeat(big, self.counts)
            part = Segments.of(self.group_of_rows()[rows], len(self.counts))
            for bit in range(n_bits):
                out[big, bit] = part.count((wide[rows] >> bit) & 1 == 1)[big]
        return out

    def first(self, values: NDArray[Any], missing: Any) -> NDArray[Any]:
        """Each group's first row's value, ``missing`` for empty groups."""
        return self._spread(values[self.filled_starts], missing)

    def last(self, values: NDArray[Any], missing: Any) -> NDArray[Any]:
        """Each group's last row's value, ``missing`` for empty groups."""
        ends = self.filled_starts + self.counts[self.filled_groups] - 1
        return self._spread(values[ends], missing)

    def first_where(self, flags: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Each group's first row where ``flags`` holds, ``NONE_CODE`` (-1) where none does."""
        # The flagged rows before each group's start, counted by a running sum, give the
        # group's first flagged row: cheaper than a reduceat, or a binary search per group.
        flagged = np.flatnonzero(flags)
        after = np.append(flagged, len(flags))  # past the end: no flagged row left
        first = after[running_sums(flags)[self.starts]]
        found: NDArray[np.int64] = np.where(first < self.ends, first, NONE_CODE)
        return found

    def median(self, values: NDArray[np.int64]) -> NDArray[np.float64]:
        """Per-group medians of non-negative integers below 2**31 (NaN for empty groups).

        The mean of the two middle values for an even count, as ``numpy.median``.

        Examples:
            >>> s = Segments.of(np.array([0, 0, 0, 0, 2]), 3)
            >>> s.median(np.array([9, 1, 4, 2, 7])).tolist()
            [3.0, nan, 7.0]
        """
        groups = self.group_of_rows()
        ordered = np.sort((groups << 32) | values, kind="stable") & 0xFFFFFFFF
        out = np.full(len(self.counts), np.nan)
        filled = self.filled
        low = self.starts[filled] + (self.counts[filled] - 1) // 2
        high = self.starts[filled] + self.counts[filled] // 2
        out[filled] = (ordered[low] + ordered[high]) / 2
        return out
