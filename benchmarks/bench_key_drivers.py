"""Key-driver analysis: ``KeyDrivers().fit`` (all five measures) at 5 to 20 predictors.

Draws seeded correlated factor scores for ``--n`` respondents (not timed), then times
``KeyDrivers().fit(x, y)`` with every measure, and the exact Shapley decomposition alone,
best of a few runs each, at p = 5, 8, 12, 15 and 20 predictors. The floor, timed in the
same run up to ``--floor-max`` predictors, is the naive way to the same Shapley values: the
R² of every one of the 2^p subsets by ``np.linalg.lstsq`` on the raw data (with an
intercept), then the same weighted sum; its values are checked against the engine's.
Timing is never asserted.

    .venv/bin/python benchmarks/bench_key_drivers.py [--n 2000] [--repeat 3] [--floor-max 12]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform

import numpy as np

from aftersales_crm.satisfaction import KeyDrivers
from bench_features import best_seconds  # the same clock for every benchmark

RESPONDENTS = 2_000
REPEATS = 3
PREDICTORS = (5, 8, 12, 15, 20)
FLOOR_MAX = 12
SEED = 0


def draw(n: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Factor scores on 1–10 that correlate, and an overall score that depends on them."""
    rng = np.random.default_rng(SEED + p)
    mixing = np.eye(p) + 0.4 * rng.normal(size=(p, p))
    x = np.clip(7.5 + rng.normal(size=(n, p)) @ mixing, 1, 10)
    y = x @ rng.uniform(0, 1, size=p) + rng.normal(size=n) * 2
    return x, y


def naive_shapley(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley values from the R² of every subset, each by least squares on the raw data."""
    n, p = x.shape
    total = (y - y.mean()) @ (y - y.mean())
    r2: dict[frozenset[int], float] = {frozenset(): 0.0}
    for size in range(1, p + 1):
        for subset in itertools.combinations(range(p), size):
            design = np.column_stack([np.ones(n), x[:, subset]])
            residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
            r2[frozenset(subset)] = 1 - residual @ residual / total
    phi = np.zeros(p)
    for subset, value in r2.items():
        for j in range(p):
            if j not in subset:
                weight = math.factorial(len(subset)) * math.factorial(p - len(subset) - 1)
                phi[j] += weight / math.factorial(p) * (r2[subset | {j}] - value)
    return phi


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=RESPONDENTS, help="respondents")
    parser.add_argument("--repeat", type=int, default=REPEATS, help="runs per figure")
    parser.add_argument("--floor-max", type=int, default=FLOOR_MAX, help="largest p of the floor")
    args = parser.parse_args()
    print(
        f"KeyDrivers.fit on {args.n:,} respondents; Python {platform.python_version()}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs"
    )
    print(
        f"{'p':>3}{'subsets':>10}{'all five s':>12}{'shapley s':>11}{'floor s':>10}{'× floor':>9}"
    )
    for p in PREDICTORS:
        x, y = draw(args.n, p)
        every, _ = best_seconds(lambda: KeyDrivers().fit(x, y), args.repeat)  # noqa: B023
        alone, fitted = best_seconds(
            lambda: KeyDrivers(methods=("shapley",)).fit(x, y),  # noqa: B023
            args.repeat,
        )
        floor = "—"
        ratio = "—"
        if p <= args.floor_max:
            floor_s, phi = best_seconds(lambda: naive_shapley(x, y), 1)  # noqa: B023
            if not np.allclose(phi, fitted.importances_["shapley"], rtol=1e-8, atol=1e-12):
                msg = f"p = {p}: the engine's Shapley values differ from the floor's"
                raise SystemExit(msg)
            floor, ratio = f"{floor_s:.3f}", f"{floor_s / alone:.0f}"
        print(f"{p:>3}{2**p:>10,}{every:>12.4f}{alone:>11.4f}{floor:>10}{ratio:>9}")


if __name__ == "__main__":
    main()
