"""Run every ``bench_*.py`` in this folder in turn, each with its default arguments.

``make bench`` calls this. Each benchmark runs in a fresh interpreter (the one running this
script), so one benchmark's memory does not weigh on the next one's timings. Benchmarks only
print figures; this script exits 0 once all have run, and 1 if one of them crashed (a
benchmark that checks its results, such as ``bench_features.py``, crashes when they are
wrong).

    .venv/bin/python benchmarks/run.py [--quick] [bench_features.py ...]

``--quick`` gives each benchmark its short arguments from ``QUICK`` (a minute or so in all);
names, if given, pick which benchmarks run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

QUICK = {
    "bench_agenda.py": ["--quick", "--repeat", "1"],
    "bench_book_tables.py": ["--repeat", "2"],
    "bench_calendars.py": ["--customers", "100000", "--sample", "5000"],
    "bench_clv.py": ["--customers", "20000", "--predict", "100000", "--repeat", "1"],
    "bench_dask.py": ["--quick"],
    "bench_features.py": ["--quick"],
    "bench_ingest.py": ["--quick", "--repeat", "1"],
    "bench_key_drivers.py": ["--repeat", "1", "--floor-max", "8"],
    "bench_ledger.py": ["--quick", "--repeat", "1"],
    "bench_levels.py": ["--quick"],
    "bench_policies.py": ["--quick"],
    "bench_satisfaction.py": ["--quick"],
    "bench_validation.py": ["--n", "10000"],
}
"""The arguments of each benchmark under ``--quick``; a benchmark not listed gets none."""


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (see QUICK)")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    scripts = sorted(here.glob("bench_*.py"))
    if args.names:
        unknown = set(args.names) - {s.name for s in scripts}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        scripts = [s for s in scripts if s.name in args.names]
    crashed = []
    for script in scripts:
        extra = QUICK.get(script.name, []) if args.quick else []
        print(f"=== {' '.join([script.name, *extra])}", flush=True)
        done = subprocess.run([sys.executable, str(script), *extra], check=False)
        if done.returncode != 0:
            crashed.append(script.name)
        print(flush=True)
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
