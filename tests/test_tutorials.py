"""The tutorial notebooks (percent-format text notebooks in docs/tutorials) run from top to
bottom and print the figures their text talks about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "docs" / "tutorials"

EXPECTED = {
    "analyst_afternoon.py": (
        "3,000 customers,",
        "A: 20.0% of customers,",
        "ChurnRisk     {'loyal':",
        "calls to make",
    ),
    # The published BG/NBD fit of Fader, Hardie & Lee (2005): r 0.2426, a 0.7929, α 4.4135 weeks.
    "transaction_log.py": (
        "6,919 purchases",
        "2357 customers, 6919 orders",
        "'r': 0.2426",
        "'a': 0.7929",
        "alpha in weeks: 4.413",
        "2,357 customers valued",
    ),
}


def test_every_tutorial_has_its_expectations() -> None:
    assert sorted(p.name for p in TUTORIALS.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_tutorial_runs_and_prints_its_figures(name: str) -> None:
    pytest.importorskip("scipy")
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, str(TUTORIALS / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for expected in EXPECTED[name]:
        assert expected in run.stdout, f"{name}: {expected!r} not in\n{run.stdout[-2000:]}"
