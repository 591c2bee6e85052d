"""The coverage gate of ``make pytest`` passes a good report and fails every bad one, naming why."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "coverage_gate", Path(__file__).resolve().parent.parent / "tools" / "coverage_gate.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
coverage_gate = importlib.util.module_from_spec(_SPEC)
sys.modules["coverage_gate"] = coverage_gate
_SPEC.loader.exec_module(coverage_gate)


def _package(tmp_path: Path) -> Path:
    source = tmp_path / "src" / "pkg"
    (source / "sub").mkdir(parents=True)
    for name in ("__init__.py", "a.py", "sub/b.py"):
        (source / name).write_text("x = 1\n", encoding="utf-8")
    return source


def _entry(executed: list[int], missing: list[int], taken: int = 0, untaken: int = 0) -> Any:
    return {
        "executed_lines": executed,
        "missing_lines": missing,
        "executed_branches": [[i, i + 1] for i in range(taken)],
        "missing_branches": [[100 + i, 0] for i in range(untaken)],
    }


def _report(tmp_path: Path, files: dict[str, Any], *, branch: object = True) -> Path:
    source = tmp_path / "src" / "pkg"
    data = {
        "meta": {"software": "slipcover", "branch_coverage": branch},
        "files": {str(source / name): entry for name, entry in files.items()},
        "summary": {},
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(tmp_path: Path, report: Path, fail_under: str = "95") -> int:
    source = str(tmp_path / "src" / "pkg")
    code: int = coverage_gate.main([str(report), "--source", source, "--fail-under", fail_under])
    return code


_WHOLE = {"__init__.py": _entry([1], []), "a.py": _entry([1, 2], []), "sub/b.py": _entry([1], [])}


def test_a_report_of_every_module_above_the_bar_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _package(tmp_path)
    files = dict(_WHOLE, **{"a.py": _entry(list(range(1, 20)), [20], taken=2)})
    assert _run(tmp_path, _report(tmp_path, files)) == 0
    out = capsys.readouterr().out
    # 22 lines and 2 branches, one line missing: 23 of 24.
    assert "95.83%" in out
    assert "coverage gate: passed" in out
    assert f"{tmp_path / 'src' / 'pkg' / 'a.py'}" in out  # the module with a missing line


@pytest.mark.parametrize(
    ("files", "branch", "found"),
    [
        (dict(_WHOLE, **{"a.py": _entry([1], [2, 3, 4])}), True, "fail under: total 50.00%"),
        (dict(_WHOLE, **{"a.py": _entry([1], [], untaken=1)}), True, "fail under: total 75.00%"),
        ({"__init__.py": _entry([1], [])}, True, "every module in the report: 2 of 3 modules"),
        ({name: _entry([], [1]) for name in _WHOLE}, True, "something measured: no line"),
        (_WHOLE, False, "branches measured: branch_coverage is False"),
    ],
)
def test_each_failed_check_fails_the_gate_and_is_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Any],
    branch: object,
    found: str,
) -> None:
    _package(tmp_path)
    assert _run(tmp_path, _report(tmp_path, files, branch=branch)) == 1
    out = capsys.readouterr().out
    assert f"coverage gate: {found}" in out
    assert "coverage gate: passed" not in out


def test_a_report_without_modules_fails_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A report with no module at all: what a run that measured nothing can leave.
    _package(tmp_path)
    assert _run(tmp_path, _report(tmp_path, {}), fail_under="0") == 1
    out = capsys.readouterr().out
    assert "every module in the report: 3 of 3 modules not in the report" in out
    assert "something measured: no line was measured as executed" in out


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (None, "no report at"),
        ("{not json", "is not a JSON report"),
        ('{"meta": {"software": "coverage.py"}, "files": {}}', "is not slipcover's JSON report"),
        ("[1, 2]", "is not slipcover's JSON report"),
    ],
)
def test_a_missing_or_foreign_report_fails_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | None, found: str
) -> None:
    _package(tmp_path)
    path = tmp_path / "report.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    assert _run(tmp_path, path) == 1
    assert found in capsys.readouterr().out


def test_missing_lines_and_branches_are_shown_as_runs() -> None:
    entry = {
        "executed_lines": [1, 5, 9],
        "missing_lines": [2, 3, 4, 7],
        "executed_branches": [],
        # From line 5 to 7 (a missing line: not listed apart), 9 to the exit, 1 to 5.
        "missing_branches": [[5, 7], [9, 0], [1, 5]],
    }
    assert coverage_gate.missing_of(entry) == "2-4, 7, 1->5, 9->exit"
    assert coverage_gate.ranges([]) == ""
