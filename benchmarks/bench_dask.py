"""The customer base on a local Dask cluster against the single-process engine, and the scaling.

Draws ``synthetic.tables(n, seed=1)`` (1,000,000 customers; ``--quick``: 100,000), then
times, in the same run:

* one process (every core): ``features.compute``, ``ParetoABC`` and ``ChurnRisk``
  (BG/NBD) fit and assign, and ``care.Planner().agenda`` for one day;
* a ``distributed.LocalCluster`` of ``--workers`` worker processes (one thread each):
  ``aftersales_crm.dask.from_tables`` (the cut, made in this process, each part sent to
  the workers), ``features`` (one thread a worker), ``fit`` and ``assign`` of the same
  policies, and ``agenda`` (its win-back matrix fitted on those features); the labels
  are checked against the single process's.

It prints the overhead (cluster time over single-process time), every task's compute
time per part from the scheduler's task stream, and an extrapolation to 10 and 100
million customers: the per-part work grows with the customers and divides by the
workers; the global summary (the gathered columns and the fit on them, in this
process) and the cut are shown apart, as they do not divide. Timing is never asserted.

    .venv/bin/python benchmarks/bench_dask.py [--customers 1000000] [--quick]
        [--workers 2] [--npartitions 8]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import dask
import distributed
import numpy as np
from dask.utils import key_split

from aftersales_crm import dask as acd
from aftersales_crm import features, synthetic
from aftersales_crm.care import Planner
from aftersales_crm.loyalty import ChurnRisk
from aftersales_crm.segmentation import ParetoABC

CUSTOMERS = 1_000_000
QUICK_CUSTOMERS = 100_000
SEED = 1
AS_OF = synthetic.DEFAULT_AS_OF
TARGETS = (10_000_000, 100_000_000)


def timed(what: str, call: Callable[[], Any], log: dict[str, float]) -> Any:
    start = time.perf_counter()
    out = call()
    log[what] = time.perf_counter() - start
    return out


def ready(parts: Any) -> Any:
    """``parts`` once their persisted tasks are done (persisting returns at once)."""
    distributed.wait(distributed.futures_of(list(parts.parts)))
    return parts


def task_seconds(stream: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Compute seconds of each task, by the function's name (the key's prefix)."""
    out: dict[str, list[float]] = defaultdict(list)
    for task in stream:
        prefix = key_split(task["key"])
        for step in task["startstops"]:
            if step["action"] == "compute":
                out[prefix].append(step["stop"] - step["start"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CUSTOMERS:,} customers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--npartitions", type=int, default=8)
    args = parser.parse_args()
    n = QUICK_CUSTOMERS if args.quick else args.customers
    tables = synthetic.tables(n, seed=SEED)
    print(
        f"Dask against one process on {n:,} customers ({len(tables.orders):,} orders), "
        f"{args.workers} workers × 1 thread, {args.npartitions} parts; Python "
        f"{platform.python_version()}, numpy {np.__version__}, dask {dask.__version__}, "
        f"{os.cpu_count()} CPUs"
    )

    one: dict[str, float] = {}
    feats = timed("features", lambda: features.compute(tables, as_of=AS_OF), one)
    tiers = timed("fit ParetoABC", lambda: ParetoABC().fit(feats), one)
    labels = timed("assign ParetoABC", lambda: tiers.assign(feats), one)
    risk = timed("fit ChurnRisk", lambda: ChurnRisk().fit(feats), one)
    bands = timed("assign ChurnRisk", lambda: risk.assign(feats), one)
    agenda = timed("agenda (1 day)", lambda: Planner().agenda(tables, on=AS_OF), one)

    cut: dict[str, float] = {}
    timed("cut (components, masks)", lambda: acd.split(tables, args.npartitions), cut)

    many: dict[str, float] = {}
    with (
        distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with distributed.get_task_stream(client) as stream:
            parts = timed(
                "from_tables", lambda: ready(acd.from_tables(tables, args.npartitions)), many
            )
            dfeats = timed(
                "features", lambda: ready(acd.features(parts, as_of=AS_OF, threads=1)), many
            )
            dtiers = timed("fit ParetoABC", lambda: acd.fit(ParetoABC(), dfeats), many)
            dlabels = timed("assign ParetoABC", lambda: acd.assign(dtiers, dfeats), many)
            drisk = timed("fit ChurnRisk", lambda: acd.fit(ChurnRisk(), dfeats), many)
            dbands = timed("assign ChurnRisk", lambda: acd.assign(drisk, dfeats), many)
            dagenda = timed(
                "agenda (1 day)",
                lambda: acd.agenda(Planner(), parts, on=AS_OF, features=dfeats),
                many,
            )
        tasks = task_seconds(stream.data)
    assert dlabels == labels, "ParetoABC labels differ"
    assert dbands == bands, "ChurnRisk labels differ"
    print(f"checked: the labels equal; agenda {len(dagenda):,} tasks against {len(agenda):,}")

    print(f"\n{'step':<26}{'one process s':>14}{'cluster s':>11}{'cluster / one':>15}")
    for step, seconds in many.items():
        single = one.get(step)
        ratio = f"{seconds / single:>15.2f}" if single else f"{'':>15}"
        shown = f"{single:>14.2f}" if single else f"{'(cut + build)':>14}"
        print(f"{step:<26}{shown}{seconds:>11.2f}{ratio}")
    total_one, total_many = sum(one.values()), sum(v for k, v in many.items() if k in one)
    print(
        f"{'total (same steps)':<26}{total_one:>14.2f}{total_many:>11.2f}{total_many / total_one:>15.2f}"
    )
    print(f"the cut in this process (inside from_tables): {cut['cut (components, masks)']:.2f} s")

    print(f"\n{'task':<28}{'parts':>6}{'min s':>8}{'median s':>10}{'max s':>8}{'sum s':>8}")
    per_part = 0.0
    for name, seconds in sorted(tasks.items(), key=lambda kv: -sum(kv[1])):
        values = np.array(seconds)
        per_part += float(values.sum())
        print(
            f"{name:<28}{len(values):>6}{values.min():>8.2f}{np.median(values):>10.2f}"
            f"{values.max():>8.2f}{values.sum():>8.2f}"
        )
    summary = many["fit ParetoABC"] + many["fit ChurnRisk"]
    print(
        f"\nper-part work (build, features, the fits' probes and columns, assign, agenda): "
        f"{per_part:.1f} s of worker time for {n:,} customers "
        f"({per_part / n * 1e6:.1f} µs a customer)"
    )
    print("Extrapolation (linear in customers; per-part work divided by the workers; the")
    print("global summary and the cut grow with the customers in one process):")
    print(f"{'customers':>12}{'workers':>9}{'per-part s':>12}{'summary s':>11}{'cut s':>8}")
    for target in TARGETS:
        scale = target / n
        for workers in (args.workers, 16, 64):
            print(
                f"{target:>12,}{workers:>9}{per_part * scale / workers:>12.0f}"
                f"{summary * scale:>11.0f}{cut['cut (components, masks)'] * scale:>8.0f}"
            )


if __name__ == "__main__":
    main()
