"""Ingest: ``Tables.from_pandas`` and ``Tables.from_arrow`` against a vectorised floor.

Draws ``synthetic.tables(n, seed=0)`` for each size (not timed), turns it into pandas
frames (``to_pandas``) and Arrow tables (``to_arrow``), then times, best of ``--repeat``
runs each:

* ``Tables.from_pandas(**frames)`` and ``Tables.from_arrow(**arrow)``, the whole checked
  ingest;
* the floor of each, timed in the same run: converting each frame to Arrow (pandas only),
  a null mask of every column, and the length and one regular-expression match
  (``pyarrow.compute.match_substring_regex``) of every string column: the least any
  ingest that looks at every value does;
* end to end, from the frames (and from the Arrow tables) to the full feature table,
  ``features.compute(Tables.from_pandas(**frames), as_of=...)``.

It prints rows per second and the ratio ingest / floor, and checks that each ingest gives
the tables back. Timing is never asserted.

    .venv/bin/python benchmarks/bench_ingest.py [--customers 100000 1000000] [--repeat 2]
    .venv/bin/python benchmarks/bench_ingest.py --quick          # 10,000 customers
    .venv/bin/python benchmarks/bench_ingest.py --profile        # cProfile of from_pandas
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aftersales_crm import features, synthetic
from aftersales_crm.tables import Tables
from bench_features import best_seconds  # the same clock for every benchmark

SIZES = (100_000, 1_000_000)
QUICK = (10_000,)
REPEATS = 2
SEED = 0
AS_OF = synthetic.DEFAULT_AS_OF  # the day the synthetic history ends
#: The one pattern the floor matches on every string column: a character that is not space.
FLOOR_PATTERN = r"\S"


def _floor_columns(arrow: dict[str, Any]) -> int:
    """Null masks of every column, length and one regex match of every string column."""
    touched = 0
    for table in arrow.values():
        for column in table.columns:
            data = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            if pa.types.is_dictionary(data.type):
                data = data.dictionary_decode()
            data.is_null()
            if pa.types.is_string(data.type) or pa.types.is_large_string(data.type):
                pc.utf8_length(data)
                pc.match_substring_regex(data, FLOOR_PATTERN)
            touched += 1
    return touched


def floor_pandas(frames: dict[str, pd.DataFrame]) -> int:
    """The floor of ``from_pandas``: each frame to Arrow, then :func:`_floor_columns`."""
    return _floor_columns({name: pa.Table.from_pandas(f) for name, f in frames.items()})


def floor_arrow(arrow: dict[str, pa.Table]) -> int:
    """The floor of ``from_arrow``: :func:`_floor_columns` on the tables as given."""
    return _floor_columns(arrow)


def measure(n: int, repeat: int, *, end_to_end: bool, profile: bool) -> None:
    """Time every step on ``n`` synthetic customers and print one line each."""
    start = time.perf_counter()
    source = synthetic.tables(n, seed=SEED)
    frames = source.to_pandas()
    arrow = source.to_arrow()
    rows = sum(len(t) for t in source)
    drawn = time.perf_counter() - start
    currency = source.currency

    def line(step: str, seconds: float, floor: float | None = None) -> None:
        ratio = f"{seconds / floor:>8.2f}×" if floor else f"{'':>9}"
        print(f"{n:>10,}{rows:>12,}  {step:<34}{seconds:>8.2f}{rows / seconds:>12,.0f}{ratio}")

    def from_pandas() -> Tables:
        return Tables.from_pandas(currency=currency, **frames)

    def from_arrow() -> Tables:
        return Tables.from_arrow(currency=currency, **arrow)

    runs: list[tuple[str, Callable[[], Tables], Callable[[], Any]]] = [
        ("from_pandas", from_pandas, lambda: floor_pandas(frames)),
        ("from_arrow", from_arrow, lambda: floor_arrow(arrow)),
    ]
    for name, ingest, floor in runs:
        floor_s, _ = best_seconds(floor, repeat)
        ingest_s, built = best_seconds(ingest, repeat)
        if built != source:
            raise SystemExit(f"Tables.{name} did not give the tables back at {n:,} customers")
        del built
        line(f"floor of {name}", floor_s)
        line(f"Tables.{name}", ingest_s, floor_s)
    if end_to_end:
        for name, ingest, _ in runs:
            seconds, _ = best_seconds(
                lambda ingest=ingest: features.compute(ingest(), as_of=AS_OF), 1
            )
            line(f"{name} → features.compute", seconds)
    if profile:
        stats = cProfile.Profile()
        stats.runcall(from_pandas)
        pstats.Stats(stats).sort_stats("tottime").print_stats(15)
    print(f"{'':>24}(drawing the base took {drawn:.0f} s, not timed)")


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--quick", action="store_true", help=f"{QUICK[0]:,} customers only")
    parser.add_argument("--repeat", type=int, default=REPEATS, help="runs per figure")
    parser.add_argument("--profile", action="store_true", help="cProfile of one from_pandas")
    parser.add_argument("--no-features", action="store_true", help="skip the end-to-end run")
    args = parser.parse_args()
    sizes = QUICK if args.quick else tuple(args.customers)
    print(
        f"Ingest on synthetic.tables(n, seed={SEED}); Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
        f"{os.cpu_count()} CPUs; best of {args.repeat}, GC paused"
    )
    print(f"{'customers':>10}{'rows':>12}  {'step':<34}{'s':>8}{'rows/s':>12}{'× floor':>9}")
    for n in sizes:
        measure(n, args.repeat, end_to_end=not args.no_features, profile=args.profile)
    print("notes: wall time; rows count every table; timings on a shared machine are noisy")


if __name__ == "__main__":
    main()
