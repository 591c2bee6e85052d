"""Run every ``bench_*.py`` in this folder in turn, each with its default arguments.

``make bench`` calls this. Each benchmark runs in a fresh interpreter (the one running this
script), so one benchmark's memory does not weigh on the next one's timings. Benchmarks only
print figures; this script exits 0 once all have run, and 1 only if one of them crashed.

    .venv/bin/python benchmarks/run.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    crashed = []
    for script in sorted(here.glob("bench_*.py")):
        print(f"=== {script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], check=False)
        if done.returncode != 0:
            crashed.append(script.name)
        print(flush=True)
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
