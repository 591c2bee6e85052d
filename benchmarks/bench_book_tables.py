"""Moving a whole Book into Tables and back, against one ``model_dump`` of every record.

Draws ``synthetic.book(n, seed=0)`` once (not timed), then times ``Tables.from_book(book)``,
``tables.to_records()`` and ``Book.from_records(records)`` on it, best of a few runs each,
and prints them in seconds and as a multiple of the floor: ``[r.model_dump() for r in
records]`` over the same records, one plain-Python pass over every field of every record,
timed in the same run. Checks that the round trip gives the Book back. Timing is never
asserted.

    .venv/bin/python benchmarks/bench_book_tables.py [--customers 1000] [--repeat 5] [--gc]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numpy as np
import pydantic

from aftersales_crm import synthetic
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from bench_features import best_seconds  # the same clock for every benchmark
from bench_validation import gc_on_seconds

CUSTOMERS = 1_000
REPEATS = 5
SEED = 0


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--repeat", type=int, default=REPEATS, help="runs per figure")
    parser.add_argument(
        "--gc", action="store_true", help="also time each step with the cyclic GC running"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    book = synthetic.book(args.customers, seed=SEED)
    records = list(book.records())
    tables = Tables.from_book(book)
    floor_s, _ = best_seconds(lambda: [r.model_dump() for r in records], args.repeat)
    steps: dict[str, Callable[[], object]] = {
        "Tables.from_book(book)": lambda: Tables.from_book(book),
        "tables.to_records()": tables.to_records,
        "Book.from_records(records)": lambda: Book.from_records(records),
    }
    print(
        f"Book ⇄ Tables on {args.customers:,} customers ({len(records):,} records, "
        f"{len(book.repair_orders):,} repair orders); Python {platform.python_version()}, "
        f"numpy {np.__version__}, pydantic {pydantic.VERSION}, {os.cpu_count()} CPUs"
    )
    print(f"floor: [r.model_dump() for r in records]: {floor_s:.3f} s")
    print(f"{'step':<36}{'s':>8}{'µs/record':>11}{'× floor':>9}")
    for name, run in steps.items():
        seconds, _ = best_seconds(run, args.repeat)
        per = seconds / len(records) * 1e6
        print(f"{name:<36}{seconds:>8.3f}{per:>11.2f}{seconds / floor_s:>8.2f}×")
    if args.gc:
        for name, run in steps.items():
            seconds = min(gc_on_seconds(run) for _ in range(args.repeat))
            print(f"{name + ', GC on':<36}{seconds:>8.3f}")
    if Book.from_records(tables.to_records()) != book:
        msg = "Book.from_records(Tables.from_book(book).to_records()) is not the Book"
        raise SystemExit(msg)
    print(
        f"notes: wall time, best of {args.repeat}, GC paused unless said; the round trip "
        f"gives the Book back; whole run {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
