"""Check the built docs site: no raw Sphinx role, no broken internal link.

mkdocs' strict mode catches a broken link written in Markdown, and autorefs an unknown
cross-reference; neither sees a Sphinx role (``:class:`Labels```) that a docstring shows as
raw text, nor a link inside rendered HTML whose page or anchor is missing. This script reads
every page of the built site and reports each such finding with its page, then exits
non-zero. ``make docs`` runs it after the build.

    .venv/bin/python tools/check_site.py site
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

RAW_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj|const):(?:`|<code>)")


class _Page(HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"id", "name"} and value:
                self.ids.add(value)
            if name == "href" and tag == "a" and value:
                self.links.append(value)


def _target(page: Path, href: str, site: Path) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to (None for an external one)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page, unquote(parts.fragment)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check(site: Path) -> list[str]:
    """Every finding on the site, as ``page: what``.

    A raw role is a Sphinx role left in the rendered text; a broken link points to a page
    of the site that does not exist or to an anchor its page does not define.
    """
    pages = sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    parsed: dict[Path, _Page] = {}
    for page, text in texts.items():
        parser = _Page()
        parser.feed(text)
        parsed[page.resolve()] = parser
    findings: list[str] = []
    for page, text in texts.items():
        name = page.relative_to(site).as_posix()
        findings.extend(
            f"{name}: raw Sphinx role {m.group(0)!r} (write a cross-reference [`name`][path])"
            for m in RAW_ROLE.finditer(text)
        )
        for href in parsed[page.resolve()].links:
            target = _target(page, href, site)
            if target is None:
                continue
            file, fragment = target
            if not file.exists():
                findings.append(f"{name}: broken link {href!r} (no such page)")
            elif fragment and file.suffix == ".html":
                known = parsed.get(file.resolve())
                if known is not None and fragment not in known.ids:
                    findings.append(f"{name}: broken link {href!r} (no anchor #{fragment})")
    return findings


def main(argv: list[str]) -> int:
    """Check the site in argv[0]; print each finding; exit 1 if there is any."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    site = Path(argv[0])
    if not (site / "index.html").exists():
        print(f"{site}: no built site here (run mkdocs build first)")
        return 2
    findings = check(site)
    for finding in findings:
        print(finding)
    print(f"{site}: {len(findings)} problems")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
