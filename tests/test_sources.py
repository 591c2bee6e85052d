"""Docstrings and documentation cite published sources, never the project's own notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    [*ROOT.glob("src/**/*.py"), *ROOT.glob("docs/**/*.md"), ROOT / "README.md"],
    key=lambda path: str(path),
)
#: Notes users do not have: the project's domain and design notes, its research notes, their
#: source keys such as ``[S53]``, and the file numbers of the training documents.
INTERNAL = re.compile(
    r"DOMAIN\.md|DESIGN\.md|STYLE\.md|\w+\.md §|research/|\.\./shared|\[S\d+|[Ss]eeds? ?0\d\d"
)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_file_cites_internal_notes(path: Path) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INTERNAL.search(line)
    ]
    assert not found, "cite the published source instead:\n" + "\n".join(found)


def test_the_check_catches_each_kind_of_internal_citation() -> None:
    for cited in ("DOMAIN.md §3", "automotive.md §7", "[S56]", "see ../shared/seeds", "seed 001"):
        assert INTERNAL.search(cited), cited
    assert not INTERNAL.search("《信息回访员基础培训分析报告》: “没时间”")
