"""Customer and vehicle features of a whole customer base: the feature engine against pandas.

Times ``aftersales_crm.features.compute`` on synthetic tables of 10,000, 100,000 and
1,000,000 customers against an idiomatic pandas implementation of the same features
(``pandas_features.py``), timed in the same run, and checks that both give the same value
for every feature of every customer and vehicle. Also measures the peak memory of one
``compute`` at the largest size with ``tracemalloc``. Timing is never asserted; a feature
on which the two disagree stops the run with the columns and rows that differ.

    .venv/bin/python benchmarks/bench_features.py [--customers 1000000] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd

import pandas_features
from aftersales_crm import features, synthetic
from aftersales_crm.features import FeatureTable
from aftersales_crm.tables import Tables

T = TypeVar("T")

SIZES = (10_000, 100_000, 1_000_000)
QUICK_LARGEST = 100_000
LARGE = 1_000_000  # from this size on, fewer repeats
SEED = 1
AS_OF = synthetic.DEFAULT_AS_OF  # the day the synthetic history ends
CHECK_AS_OF = date(2024, 2, 29)  # mid-history, a leap day: later orders must not count
ENGINE_REPEATS, ENGINE_REPEATS_LARGE = 3, 2
PANDAS_REPEATS, PANDAS_REPEATS_LARGE = 2, 2
RTOL = 1e-9
SHOW_ROWS = 5
MB = 1e6
AIM_SECONDS = 2.0  # engine at 1,000,000 customers
AIM_SPEEDUP = 5.0  # engine against pandas
AIM_PEAK = 3.0  # peak memory of compute, in input column bytes


class Disagreement(AssertionError):
    """The engine and pandas give different values for some features."""


def best_seconds(run: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Best wall time of ``repeats`` runs (``gc.collect()`` before each), and the last result.

    The cyclic GC is paused during each run, as timeit does; each result stays alive until
    the clock has stopped, so freeing it is not counted.
    """
    best, result = float("inf"), None
    for _ in range(repeats):
        result = None
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        best = min(best, elapsed)
    assert result is not None
    return best, result


def peak_bytes(run: Callable[[], Any]) -> tuple[int, int]:
    """Peak bytes traced by ``tracemalloc`` during ``run()``, and the bytes its result holds.

    numpy reports its array buffers to tracemalloc, so the peak counts every array the
    run allocates (the result included), on every thread; memory that existed before the
    run (the input tables) is not counted.
    """
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, _result_bytes(result)


def _result_bytes(feats: FeatureTable) -> int:
    tables = [feats] if feats.vehicles is None else [feats, feats.vehicles]
    return sum(t.ids.nbytes + sum(c.nbytes for c in t.columns.values()) for t in tables)


def _plain(column: pd.Series) -> np.ndarray:
    """A pandas column as numpy, categoricals as their codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    return column.to_numpy()


def _differences(name: str, ours: np.ndarray, theirs: np.ndarray) -> str | None:
    """Why the engine's and pandas' columns differ, or None when they agree."""
    if ours.dtype.kind != theirs.dtype.kind:
        return f"{name}: dtype {ours.dtype} (engine) vs {theirs.dtype} (pandas)"
    if ours.dtype.kind == "M":
        theirs = theirs.astype(ours.dtype)
        same = (ours == theirs) | (np.isnat(ours) & np.isnat(theirs))
    elif ours.dtype.kind == "O":  # hobbies: tuples
        same = np.array(
            [a == b for a, b in zip(ours.tolist(), theirs.tolist(), strict=True)], dtype=bool
        )
    elif ours.dtype.kind == "f":
        same = np.isclose(ours, theirs, rtol=RTOL, equal_nan=True)
    else:
        same = ours == theirs
    bad = np.flatnonzero(~same)
    if not len(bad):
        return None
    rows = bad[:SHOW_ROWS]
    return (
        f"{name}: {len(bad):,} rows differ, first rows {rows.tolist()}: "
        f"engine {ours[rows].tolist()} vs pandas {theirs[rows].tolist()}"
    )


def agree(engine: FeatureTable, customers: pd.DataFrame, vehicles: pd.DataFrame) -> int:
    """Check every feature column of both tables; return how many were compared.

    Exact equality for integers, booleans, dates and category codes; floats within a
    relative 1e-9, NaN equal to NaN.

    Raises:
        Disagreement: listing each column that differs and its first differing rows.
    """
    assert engine.vehicles is not None
    problems = []
    for ours, theirs in ((engine, customers), (engine.vehicles, vehicles)):
        names, columns = set(ours), set(theirs.columns)
        if names != columns:
            problems.append(
                f"{ours.key} columns only in the engine: {sorted(names - columns)}, "
                f"only in pandas: {sorted(columns - names)}"
            )
        if len(theirs) != len(ours):
            problems.append(f"{ours.key}: {len(ours)} rows (engine) vs {len(theirs)} (pandas)")
            continue
        for name in sorted(names & columns):
            why = _differences(name, np.asarray(ours[name]), _plain(theirs[name]))
            if why is not None:
                problems.append(f"{ours.key} {why}")
    if problems:
        raise Disagreement("the engine and pandas disagree:\n  " + "\n  ".join(problems))
    return len(engine.columns) + len(engine.vehicles.columns)


def _tables(n: int) -> Tables:
    return synthetic.columns(n, seed=SEED).tables()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--customers",
        type=int,
        default=SIZES[-1],
        help="the largest size, in customers (default 1,000,000); smaller sizes of 10,000 "
        "and 100,000 run first",
    )
    parser.add_argument(
        "--quick", action="store_true", help="stop at 100,000 customers (about half a minute)"
    )
    args = parser.parse_args()
    largest = min(args.customers, QUICK_LARGEST) if args.quick else args.customers
    sizes = [n for n in SIZES if n < largest] + [largest]
    began = time.perf_counter()

    print(
        f"Features on {AS_OF}: features.compute against pandas, synthetic seed {SEED}; "
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'customers':>10} {'vehicles':>10} {'orders':>11} {'lines':>11} {'input MB':>9} "
        f"{'engine s':>9} {'pandas s':>9} {'speed-up':>9} {'µs/cust':>8}",
        flush=True,
    )
    checks: list[str] = []
    rows: dict[int, tuple[float, float]] = {}
    tables = None
    for n in sizes:
        tables = None
        gc.collect()
        tables = _tables(n)
        large = n >= LARGE
        t = tables
        engine_s, feats = best_seconds(
            lambda t=t: features.compute(t, as_of=AS_OF),
            ENGINE_REPEATS_LARGE if large else ENGINE_REPEATS,
        )
        pandas_s, frames = best_seconds(
            lambda t=t: pandas_features.features(t, AS_OF),
            PANDAS_REPEATS_LARGE if large else PANDAS_REPEATS,
        )
        compared = agree(feats, *frames)
        checks.append(f"{n:,} customers on {AS_OF}: all {compared} features agree")
        if n == sizes[0]:
            compared = agree(
                features.compute(tables, as_of=CHECK_AS_OF),
                *pandas_features.features(tables, CHECK_AS_OF),
            )
            checks.append(f"{n:,} customers on {CHECK_AS_OF}: all {compared} features agree")
        del feats, frames
        rows[n] = engine_s, pandas_s
        print(
            f"{n:>10,} {len(tables.vehicles):>10,} {len(tables.orders):>11,} "
            f"{len(tables.lines):>11,} {tables.nbytes / MB:>9,.0f} {engine_s:>9.3f} "
            f"{pandas_s:>9.2f} {pandas_s / engine_s:>8.1f}x {engine_s / n * 1e6:>8.2f}",
            flush=True,
        )

    assert tables is not None
    t = tables
    peak, held = peak_bytes(lambda: features.compute(t, as_of=AS_OF))
    input_bytes = tables.nbytes

    small, big = sizes[0], sizes[-1]
    per_small, per_big = rows[small][0] / small * 1e6, rows[big][0] / big * 1e6
    print(
        f"engine µs per customer, {small:,} → {big:,} customers: {per_small:.2f} → "
        f"{per_big:.2f} ({per_big / per_small:.2f}x; 1.00x is linear growth)"
    )
    for line in checks:
        print(f"check: {line} (floats within rtol {RTOL:g}, NaN = NaN; the rest exact)")
    print(
        f"peak memory of one compute at {big:,} customers (tracemalloc): {peak / MB:,.0f} MB "
        f"= {peak / input_bytes:.2f}x the input columns ({input_bytes / MB:,.0f} MB); "
        f"the result holds {held / MB:,.0f} MB of it"
    )

    engine_s, pandas_s = rows[big]
    if big >= LARGE:
        at_large = f"{'met' if engine_s <= AIM_SECONDS else 'not met'} ({engine_s:.2f} s)"
    else:
        guess = engine_s * LARGE / big
        at_large = f"not measured (about {guess:.1f} s if cost stays linear from {big:,})"
    speedup = pandas_s / engine_s
    ratio = peak / input_bytes
    print(f"target: engine ≤ {AIM_SECONDS:g} s at {LARGE:,} customers: {at_large}")
    print(
        f"target: engine ≥ {AIM_SPEEDUP:g}x faster than pandas at {big:,}: "
        f"{'met' if speedup >= AIM_SPEEDUP else 'not met'} ({speedup:.1f}x)"
    )
    print(
        f"target: peak ≤ {AIM_PEAK:g}x the input columns: "
        f"{'met' if ratio <= AIM_PEAK else 'not met'} ({ratio:.2f}x)"
    )
    print(
        "notes: wall time, best of "
        f"{ENGINE_REPEATS} engine / {PANDAS_REPEATS} pandas runs ({ENGINE_REPEATS_LARGE} / "
        f"{PANDAS_REPEATS_LARGE} from {LARGE:,} customers), gc.collect() before each, cyclic GC "
        "paused; compute uses its default threads (one per CPU), pandas one thread; input MB "
        "is Tables.nbytes (object columns count 8 bytes a row); "
        f"whole run {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
