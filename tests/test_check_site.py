"""The docs-site check finds raw Sphinx roles and broken internal links, and passes a clean site."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "check_site", Path(__file__).resolve().parent.parent / "tools" / "check_site.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
check_site = importlib.util.module_from_spec(_SPEC)
sys.modules["check_site"] = check_site
_SPEC.loader.exec_module(check_site)


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        page = tmp_path / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_a_clean_site_has_no_finding(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="api/">api</a> <a href="#top">up</a> <h1 id="top">x</h1>'
            ' <a href="https://example.org/x#y">out</a> <a href="/api/#aftersales_crm.X">abs</a>',
            "api/index.html": '<div id="aftersales_crm.X"></div><a href="../index.html#top">home</a>',
        },
    )
    assert check_site.check(site) == []
    assert check_site.main([str(site)]) == 0


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("see :class:`Labels`", "raw Sphinx role ':class:`'"),
        ("see :meth:<code>take</code>", "raw Sphinx role ':meth:<code>'"),
        ('<a href="missing/">x</a>', "broken link 'missing/' (no such page)"),
        ('<a href="api/#aftersales_crm.Y">x</a>', "no anchor #aftersales_crm.Y"),
        ('<a href="#nowhere">x</a>', "no anchor #nowhere"),
    ],
)
def test_each_problem_is_named_with_its_page(tmp_path: Path, body: str, found: str) -> None:
    site = _site(tmp_path, {"index.html": body, "api/index.html": '<p id="aftersales_crm.X"></p>'})
    findings = check_site.check(site)
    assert len(findings) == 1
    assert findings[0].startswith("index.html: ")
    assert found in findings[0]
    assert check_site.main([str(site)]) == 1


def test_a_missing_site_is_an_error(tmp_path: Path) -> None:
    assert check_site.main([str(tmp_path)]) == 2
    assert check_site.main([]) == 2
