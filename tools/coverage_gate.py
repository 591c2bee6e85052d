"""Read the coverage report of ``make pytest``: print what the tests leave uncovered, and fail below the bar.

``make pytest`` runs the suite under slipcover, which measures lines and branches by
probes put into the bytecode and taken out once they fire (no trace function, so the
suite runs at close to its plain speed), and writes its JSON report. This script reads
that report, prints each module not wholly covered with its missing lines and branches,
then the total, and exits non-zero naming each check that failed:

- the report is missing, or is not slipcover's JSON;
- branches were not measured;
- a module of the package is not in the report: slipcover lists every file under its
  ``--source``, imported or not, so one missing means the report is of other sources or
  left files out, and its total is not the package's;
- nothing was measured: no line of the package counted as executed (a run whose test
  processes measured nothing gives a report of every module with no line run);
- the total, lines and branches together, is below ``--fail-under``.

A failing check is never passed over: the exit status is 1 whatever the total.

    .venv/bin/python tools/coverage_gate.py .coverage.json --source src/aftersales_crm --fail-under 95
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Counts:
    """Lines and branches of one module (or of all), covered and missing."""

    lines: int
    missing_lines: int
    branches: int
    missing_branches: int

    @property
    def percent(self) -> float:
        """Lines and branches covered, as a share of all lines and branches (100 for none)."""
        total = self.lines + self.branches
        if not total:
            return 100.0
        return 100.0 * (total - self.missing_lines - self.missing_branches) / total

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.lines + other.lines,
            self.missing_lines + other.missing_lines,
            self.branches + other.branches,
            self.missing_branches + other.missing_branches,
        )


def counts_of(entry: dict[str, Any]) -> Counts:
    """The counts of one module's entry in the report, from its lists of lines and branches."""
    executed, missing = len(entry["executed_lines"]), len(entry["missing_lines"])
    taken, untaken = len(entry.get("executed_branches", [])), len(entry.get("missing_branches", []))
    return Counts(executed + missing, missing, taken + untaken, untaken)


def ranges(numbers: Iterable[int]) -> str:
    """Line numbers as runs: ``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def missing_of(entry: dict[str, Any]) -> str:
    """The missing lines, then the branches never taken from a line that ran (``12->15``).

    A branch into a missing line is not listed apart: the line is. ``->exit`` is a return.
    """
    lines = ranges(entry["missing_lines"])
    gone = set(entry["missing_lines"])
    arcs = [
        f"{a}->{'exit' if b == 0 else b}"
        for a, b in sorted(map(tuple, entry.get("missing_branches", [])))
        if a not in gone and b not in gone
    ]
    return ", ".join(part for part in (lines, ", ".join(arcs)) if part)


def total_of(files: dict[str, dict[str, Any]]) -> Counts:
    """The counts of every module of the report together."""
    return sum((counts_of(entry) for entry in files.values()), Counts(0, 0, 0, 0))


def _row(name: str, counts: Counts, missing: str = "") -> str:
    return (
        f"{name:<56} {counts.lines:>6} {counts.missing_lines:>5} {counts.branches:>8}"
        f" {counts.missing_branches:>6} {counts.percent:>6.2f}%  {missing}"
    ).rstrip()


def table(files: dict[str, dict[str, Any]]) -> list[str]:
    """The report's rows: a header, each module not wholly covered, then the total."""
    rows = [
        f"{'module':<56} {'lines':>6} {'miss':>5} {'branches':>8} {'b.miss':>6} {'cover':>7}  missing"
    ]
    for name in sorted(files):
        counts = counts_of(files[name])
        if counts.missing_lines or counts.missing_branches:
            rows.append(_row(name, counts, missing_of(files[name])))
    rows.append(_row("TOTAL", total_of(files)))
    return rows


@dataclass(frozen=True)
class Report:
    """What the checks read: the report's JSON, the package's modules and the bar."""

    data: dict[str, Any]
    modules: frozenset[str]
    fail_under: float


def _branches(report: Report) -> str | None:
    measured = report.data.get("meta", {}).get("branch_coverage")
    return None if measured is True else f"branch_coverage is {measured!r}, expected true"


def _every_module(report: Report) -> str | None:
    absent = sorted(report.modules - report.data["files"].keys())
    if not absent:
        return None
    shown = ", ".join(absent[:5]) + (f" and {len(absent) - 5} more" if len(absent) > 5 else "")
    return f"{len(absent)} of {len(report.modules)} modules not in the report: {shown}"


def _something(report: Report) -> str | None:
    executed = sum(len(entry["executed_lines"]) for entry in report.data["files"].values())
    return None if executed else "no line was measured as executed"


def _bar(report: Report) -> str | None:
    total = total_of(report.data["files"])
    if total.percent >= report.fail_under:
        return None
    return f"total {total.percent:.2f}% is below {report.fail_under:g}%"


CHECKS: tuple[tuple[str, Callable[[Report], str | None]], ...] = (
    ("branches measured", _branches),
    ("every module in the report", _every_module),
    ("something measured", _something),
    ("fail under", _bar),
)
"""Each check of the gate, by name: it returns what it found wrong, or None."""


def check(report: Report) -> list[str]:
    """Each failed check of ``report``, as ``"<check>: <what was found>"``."""
    found = ((name, rule(report)) for name, rule in CHECKS)
    return [f"{name}: {finding}" for name, finding in found if finding is not None]


def modules_under(source: Path) -> frozenset[str]:
    """The Python modules under ``source``, as the report names them (paths as given)."""
    return frozenset(str(path) for path in source.rglob("*.py"))


def load(path: Path) -> dict[str, Any] | str:
    """The report at ``path``, or what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"no report at {path} (did the tests run under slipcover?)"
    except (OSError, ValueError) as error:
        return f"{path} is not a JSON report: {error}"
    software = data.get("meta", {}).get("software") if isinstance(data, dict) else None
    if software != "slipcover" or not isinstance(data.get("files"), dict):
        return f"{path} is not slipcover's JSON report (meta.software is {software!r})"
    report: dict[str, Any] = data
    return report


def main(argv: list[str]) -> int:
    """Print the coverage of the report in ``argv``; return 1 if a check fails, 0 if none does."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--fail-under", type=float, required=True)
    args = parser.parse_args(argv)
    data = load(args.report)
    if isinstance(data, str):
        print(f"coverage gate: report: {data}")
        return 1
    print("\n".join(table(data["files"])))
    findings = check(Report(data, modules_under(args.source), args.fail_under))
    for finding in findings:
        print(f"coverage gate: {finding}")
    if not findings:
        print(f"coverage gate: passed (at least {args.fail_under:g}%)")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
