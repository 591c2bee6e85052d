"""The changelog is built from every fragment, grouped by kind, and a misnamed fragment is refused."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("changelog", ROOT / "tools" / "changelog.py")
assert _SPEC is not None
assert _SPEC.loader is not None
changelog = importlib.util.module_from_spec(_SPEC)
sys.modules["changelog"] = changelog
_SPEC.loader.exec_module(changelog)


def test_every_line_of_every_fragment_is_in_the_changelog() -> None:
    text = changelog.render(ROOT / "changelog.d", "0.1.0")
    folder = ROOT / "changelog.d"
    for path in folder.glob("*.md"):
        if path.name == "README.md":
            continue
        issue = path.name.split(".")[0]
        for line in filter(None, map(str.strip, path.read_text(encoding="utf-8").splitlines())):
            assert f"- {line} (#{issue})" in text, path.name


def test_kinds_come_in_order_and_newest_issue_first(tmp_path: Path) -> None:
    (tmp_path / "3.change.md").write_text("Added a.\nAdded b.\n", "utf-8")
    (tmp_path / "12.change.x.md").write_text("Added c.\n", "utf-8")
    (tmp_path / "3.breaking.md").write_text("Changed d.\n", "utf-8")
    (tmp_path / "README.md").write_text("not a fragment", "utf-8")
    assert changelog.render(tmp_path, "1.2.3").splitlines() == [
        "# Changelog",
        "",
        "## 1.2.3 (unreleased)",
        "",
        "### Breaking changes",
        "",
        "- Changed d. (#3)",
        "",
        "### Changes",
        "",
        "- Added c. (#12)",
        "- Added a. (#3)",
        "- Added b. (#3)",
    ]


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("17.feature.plot.md", "Added x.", "17.feature.plot.md: a fragment is named"),
        ("notes.md", "Added x.", "notes.md: a fragment is named"),
        ("4.change.md", "\n  \n", "4.change.md: the fragment is empty"),
    ],
)
def test_a_bad_fragment_is_refused_by_name(
    tmp_path: Path, name: str, text: str, found: str
) -> None:
    (tmp_path / name).write_text(text, "utf-8")
    with pytest.raises(ValueError, match=found):
        changelog.render(tmp_path, "0.1.0")


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "CHANGELOG.md"
    assert changelog.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Changelog\n\n## ")
