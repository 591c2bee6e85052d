"""Member levels: the columnar ``QualifyingLevels`` against the rule walked member by member.

Draws ``synthetic.columns(n, seed=1).tables()``, awards its points with ``PointsRule`` (every
customer a member) and times ``QualifyingLevels().levels`` over every member, best of a few
runs. Baseline, timed in the same run: the pure-Python reference of the rule that the
property test compares the columnar fold with (``tests/membership/test_levels.py``: each
member's days walked one by one, the value summed over the window each day), on a sample of
members, extrapolated to all; the columnar levels and changes of the sample must equal it.
Timing is never asserted.

    .venv/bin/python benchmarks/bench_levels.py [--customers 200000] [--quick] [--sample 3000]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np

from aftersales_crm import synthetic
from aftersales_crm.features import business_dates
from aftersales_crm.membership import PointsRule, Qualifying, QualifyingLevels
from bench_features import best_seconds  # the same clock for every benchmark

CUSTOMERS = 200_000
QUICK_CUSTOMERS = 20_000
SAMPLE = 3_000
REPEATS = 3
AS_OF = synthetic.DEFAULT_AS_OF
TESTS = Path(__file__).resolve().parent.parent / "tests" / "membership" / "test_levels.py"


def reference() -> Any:
    """The per-member reference of the rule, from the test that checks the fold against it."""
    spec = importlib.util.spec_from_file_location("levels_reference", TESTS)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {TESTS}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._reference_member


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CUSTOMERS:,} customers")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="members for the baseline")
    args = parser.parse_args()
    n = QUICK_CUSTOMERS if args.quick else args.customers
    tables = synthetic.columns(n, seed=1).tables()
    qualifying = Qualifying.from_awards(PointsRule().award(tables, as_of=AS_OF))
    rule = QualifyingLevels()
    seconds, levels = best_seconds(lambda: rule.levels(qualifying, as_of=AS_OF), REPEATS)
    members = len(levels)
    print(
        f"QualifyingLevels on {n:,} customers: {members:,} members, {len(qualifying):,}"
        f" qualifying rows, {len(levels.changes):,} level changes"
    )
    walk = reference()
    days = business_dates(qualifying.at, rule.time_zone).astype("datetime64[D]").tolist()
    facts: dict[str, list[Any]] = {}
    for member, day, value in zip(
        qualifying.member_id.tolist(), days, qualifying.value.tolist(), strict=True
    ):
        facts.setdefault(member, []).append((day, value))
    sample = levels.ids[: min(args.sample, members)].tolist()
    rows: list[Any] = []
    start = time.perf_counter()
    walked = [walk(m, sorted(facts.get(m, [])), AS_OF, rule, rows) for m in sample]
    baseline = (time.perf_counter() - start) * members / max(len(sample), 1)
    same = [label for label, _ in walked] == levels.labels.values().tolist()[: len(sample)]
    same &= rows == [row for row in levels.changes.rows() if row[0] in set(sample)]
    print(f"{'':<46}{'seconds':>9}{'vs reference':>14}")
    print(f"{'QualifyingLevels.levels (columnar)':<46}{seconds:>9.2f}{baseline / seconds:>13.0f}×")
    print(
        f"{f'per-member reference ({len(sample):,} members, scaled)':<46}{baseline:>9.2f}{1:>13.0f}×"
    )
    print(f"the columnar levels and changes equal the reference on the sample: {same}")
    if not same:
        raise SystemExit(1)
    print(f"levels: {', '.join(f'{k} {v:,}' for k, v in levels.counts().items())}")
    print(
        f"notes: wall time, best of {REPEATS}; drawing and awarding not timed; numpy {np.__version__}"
    )


if __name__ == "__main__":
    main()
