"""Validating repair orders from plain dicts, as they arrive from a vendor's database.

Measures records per second for `RepairOrder.model_validate` (dicts) and
`RepairOrder.model_validate_json` (JSON bytes), against a bare pydantic model of the same
fields (plain str ids, datetime instants, int mileage, Decimal amounts) as the floor, timed
in the same run. Prints figures only; timing is never asserted.

    python benchmarks/bench_validation.py [--n 20000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import BaseModel

from aftersales_crm import synthetic
from aftersales_crm.records import RepairOrder
from aftersales_crm.values import PayType, ServiceKind

KINDS = [k.value for k in ServiceKind]
PAYS = [p.value for p in PayType]


class BareAmount(BaseModel):
    amount: Decimal
    currency: str


class BareLine(BaseModel):
    kind: str
    pay: str
    labour: BareAmount
    parts: BareAmount


class BareOrder(BaseModel):
    id: str
    dealer_id: str
    vin: str
    customer_id: str
    opened_at: datetime
    closed_at: datetime | None
    promised_at: datetime | None
    mileage: int
    by_appointment: bool
    lines: list[BareLine]


def vendor_rows(n: int) -> list[dict[str, Any]]:
    """Repair orders as a vendor's database hands them over: strings, ints and nested dicts."""
    cols = synthetic.columns(max(n // 6, 10), seed=0)
    o, ln = cols.orders, cols.lines
    starts = np.searchsorted(ln["order"], np.arange(len(o["id"]) + 1))

    def instant(value: np.datetime64) -> str | None:
        return None if np.isnat(value) else f"{value}Z"

    def amount(fen: int) -> dict[str, str]:
        return {"amount": f"{fen // 100}.{fen % 100:02d}", "currency": cols.currency}

    return [
        {
            "id": str(o["id"][i]),
            "dealer_id": str(cols.dealers["id"][o["dealer"][i]]),
            "vin": str(cols.vehicles["vin"][o["vehicle"][i]]),
            "customer_id": str(cols.customers["id"][o["customer"][i]]),
            "opened_at": instant(o["opened_at"][i]),
            "closed_at": instant(o["closed_at"][i]),
            "promised_at": instant(o["promised_at"][i]),
            "mileage": int(o["mileage"][i]),
            "by_appointment": bool(o["by_appointment"][i]),
            "lines": [
                {
                    "kind": KINDS[ln["kind"][j]],
                    "pay": PAYS[ln["pay"][j]],
                    "labour": amount(int(ln["labour_fen"][j])),
                    "parts": amount(int(ln["parts_fen"][j])),
                }
                for j in range(starts[i], starts[i + 1])
            ],
        }
        for i in range(min(n, len(o["id"])))
    ]


def best_rate(run: Callable[[], object], n: int, repeats: int = 3) -> float:
    """Orders per second, best of ``repeats``, with the cyclic GC paused as timeit does."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return n / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="repair orders to validate")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()

    rows = vendor_rows(args.n)
    blobs = [json.dumps(row).encode() for row in rows]
    n = len(rows)
    n_lines = sum(len(row["lines"]) for row in rows)
    print(f"validating {n:,} repair orders ({n_lines:,} lines) on this machine, best of 3")
    figures = {
        ("dicts", "aftersales_crm"): best_rate(
            lambda: [RepairOrder.model_validate(r) for r in rows], n
        ),
        ("dicts", "bare pydantic"): best_rate(
            lambda: [BareOrder.model_validate(r) for r in rows], n
        ),
        ("JSON", "aftersales_crm"): best_rate(
            lambda: [RepairOrder.model_validate_json(b) for b in blobs], n
        ),
        ("JSON", "bare pydantic"): best_rate(
            lambda: [BareOrder.model_validate_json(b) for b in blobs], n
        ),
    }
    print(f"{'input':<6} {'model':<16} {'orders/s':>12} {'vs floor':>9}")
    for (source, model), rate in figures.items():
        floor = figures[(source, "bare pydantic")]
        print(f"{source:<6} {model:<16} {rate:>12,.0f} {rate / floor:>8.2f}x")
    print("aim: at least 100,000 orders/s from dicts")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for row in rows:
            RepairOrder.model_validate(row)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
