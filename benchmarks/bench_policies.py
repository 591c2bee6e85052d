"""Every built-in policy fitted and assigned on a whole customer base, against one numpy sort.

Draws ``synthetic.columns(n, seed=1).tables()``, computes its features once (not timed),
then times ``get_policy(name).fit(features)`` and the fitted policy's ``assign(features)``
for every built-in of the registry whose kind reads features (points and level rules
fold facts and are timed in bench_levels.py and bench_ledger.py), best of a few runs each, and prints them in seconds and
their sum as a multiple of one ``np.sort`` of the ``spend_fen`` column (the cost a
value-tier policy cannot avoid).
Timing is never asserted.

    .venv/bin/python benchmarks/bench_policies.py [--customers 1000000] [--quick]
        [--policies member_value rfm]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from aftersales_crm import features, policies, synthetic
from bench_features import best_seconds  # the same clock for every benchmark

CUSTOMERS = 1_000_000
QUICK_CUSTOMERS = 100_000
REPEATS = 3
SEED = 1
AS_OF = synthetic.DEFAULT_AS_OF
AIM_MULTIPLE = 10.0  # "a small multiple of one numpy sort"


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CUSTOMERS:,} customers")
    parser.add_argument(
        "--policies", nargs="+", default=None, help="only these built-ins (default: every one)"
    )
    args = parser.parse_args()
    n = QUICK_CUSTOMERS if args.quick else args.customers
    start = time.perf_counter()
    feats = features.compute(synthetic.columns(n, seed=SEED).tables(), as_of=AS_OF)
    spend = np.asarray(feats["spend_fen"])
    sort_s, _ = best_seconds(lambda: np.sort(spend), REPEATS)
    print(
        f"Policies on {n:,} customers (features as of {AS_OF}); Python "
        f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs"
    )
    argsort_s, _ = best_seconds(lambda: np.argsort(spend), REPEATS)
    print(f"baseline: one np.sort of spend_fen: {sort_s:.3f} s (one np.argsort: {argsort_s:.3f} s)")
    print(f"{'policy':<26}{'fit s':>8}{'assign s':>10}{'total s':>9}{'× sort':>9}  labels")
    worst = 0.0
    reading = [
        name
        for name in sorted(policies.BUILT_INS)
        if policies.policy_kind(policies.get_policy(name).kind).reads is policies.Reads.FEATURES
    ]
    for name in args.policies or reading:
        policy = policies.get_policy(name)
        fit_s, fitted = best_seconds(lambda p=policy: p.fit(feats), REPEATS)
        assign_s, labels = best_seconds(lambda f=fitted: f.assign(feats), REPEATS)
        total = fit_s + assign_s
        worst = max(worst, total / sort_s)
        shown = ", ".join(f"{k} {v:,}" for k, v in list(labels.counts().items())[:4])
        print(
            f"{name:<26}{fit_s:>8.3f}{assign_s:>10.3f}{total:>9.3f}{total / sort_s:>8.1f}×  {shown}"
        )
    verdict = "met" if worst <= AIM_MULTIPLE else "not met"
    print(f"target: each within {AIM_MULTIPLE:g}× one sort: {verdict} (worst {worst:.1f}×)")
    print(
        f"notes: wall time, best of {REPEATS}, GC paused; features computed once and not "
        f"timed; whole run {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
