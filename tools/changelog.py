"""Build the changelog from the fragments in ``changelog.d/``.

Each fragment is one user-visible change, named ``<issue>.<kind>[.<slug>].md`` with kind
``breaking``, ``deprecation`` or ``change``, one sentence per line (changelog.d/README.md).
The changelog lists them under the project's version, breaking changes first, each line
followed by the issue it belongs to, newest issue first. A fragment with another name is an
error that names the file, so none is left out silently.

    .venv/bin/python tools/changelog.py            # print the changelog
    .venv/bin/python tools/changelog.py CHANGELOG.md   # write it (make dist does)
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAGMENT = re.compile(r"(?P<issue>\d+)\.(?P<kind>[a-z]+)(?:\.(?P<slug>[a-z0-9-]+))?\.md")
KINDS = {"breaking": "Breaking changes", "deprecation": "Deprecations", "change": "Changes"}
"""The kinds of fragment, in the order the changelog lists them, with their headings."""


def fragments(folder: Path) -> dict[str, list[tuple[int, str]]]:
    """Kind → (issue, line) of every fragment line, newest issue first.

    Raises:
        ValueError: a file whose name is not ``<issue>.<kind>[.<slug>].md`` with a known
            kind, or a fragment without text.
    """
    found: dict[str, list[tuple[int, str, str]]] = {kind: [] for kind in KINDS}
    for path in sorted(folder.glob("*.md")):
        if path.name == "README.md":
            continue
        match = FRAGMENT.fullmatch(path.name)
        if match is None or match["kind"] not in KINDS:
            msg = (
                f"{path.name}: a fragment is named <issue>.<kind>[.<slug>].md with kind"
                f" {', '.join(KINDS)}"
            )
            raise ValueError(msg)
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            msg = f"{path.name}: the fragment is empty"
            raise ValueError(msg)
        issue = int(match["issue"])
        found[match["kind"]].extend((issue, path.name, line) for line in lines)
    return {
        kind: [(issue, line) for issue, _, line in sorted(rows, key=lambda r: (-r[0], r[1]))]
        for kind, rows in found.items()
    }


def render(folder: Path, version: str) -> str:
    """The changelog in Markdown: the version, then each kind with its lines."""
    out = ["# Changelog", "", f"## {version} (unreleased)", ""]
    for kind, rows in fragments(folder).items():
        if not rows:
            continue
        out += [f"### {KINDS[kind]}", ""]
        out += [f"- {line} (#{issue})" for issue, line in rows]
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """Print the changelog, or write it to the file named in argv."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    text = render(ROOT / "changelog.d", version)
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
