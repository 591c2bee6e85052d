"""Turn Sphinx roles in the docstrings into mkdocstrings cross-references.

The API reference is rendered by mkdocstrings, which links ``[`Labels`][aftersales_crm.policies.Labels]``
but shows a Sphinx role such as ``:class:`Labels``` as raw text. This script rewrites every
role in ``src/`` into a cross-reference to the object's anchor on the built site, resolving
the name the way Python would in the docstring's scope (the enclosing class, then the
module's globals, then an absolute or relative import path). A name the site does not render
(a private module, numpy, an attribute listed only in a docstring table) becomes plain code,
so no link is broken.

    make docs                                      # build the site once
    .venv/bin/python tools/crossrefs.py site       # rewrite src/ against its anchors
    make docs                                      # the site now links the names

``tools/check_site.py`` (run by ``make docs``) fails on any role left in the built site.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import types
from pathlib import Path
from typing import Any

ROLE = re.compile(r":(?:py:)?(class|func|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")
TITLED = re.compile(r"(.+?)\s*<([^<>]+)>", re.DOTALL)
ANCHOR = re.compile(r'id="(aftersales_crm[^"]*)"')
SRC = Path(__file__).resolve().parent.parent / "src"
_MISSING = object()


def _import_path(path: str) -> tuple[Any, str, Any]:
    """(owner, last name, object) of a dotted path, importing its longest module prefix."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        owner: Any = None
        name = parts[cut - 1]
        for part in parts[cut:]:
            owner, name = obj, part
            obj = _member(obj, part)
            if obj is _MISSING:
                return None, name, _MISSING
        return owner, name, obj
    return None, parts[-1], _MISSING


def _member(owner: Any, name: str) -> Any:
    try:
        return inspect.getattr_static(owner, name)
    except AttributeError:
        pass
    fields = getattr(owner, "__attrs_attrs__", None)
    if fields is not None and any(f.name == name for f in fields):
        return ("attrs field", owner, name)
    model_fields = getattr(owner, "model_fields", None)
    if isinstance(model_fields, dict) and name in model_fields:
        return ("model field", owner, name)
    return _MISSING


def _key(owner: Any, name: str, obj: Any) -> tuple[Any, ...]:
    """What identifies the object, whatever path reaches it (re-exports share it)."""
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    if isinstance(obj, type | types.ModuleType | types.FunctionType | property):
        return ("object", id(inspect.unwrap(obj) if callable(obj) else obj))
    if isinstance(obj, tuple) and obj[:1] in {("attrs field",), ("model field",)}:
        return ("field", id(obj[1]), obj[2])
    if isinstance(owner, type):
        return ("member", id(owner), name)
    return ("data", name, id(obj))


def anchors(site: Path) -> dict[tuple[Any, ...], list[str]]:
    """Each rendered object's key → the anchors that render it."""
    found: dict[tuple[Any, ...], list[str]] = {}
    for page in sorted(site.glob("api/**/*.html")):
        for anchor in ANCHOR.findall(page.read_text(encoding="utf-8")):
            owner, name, obj = _import_path(anchor)
            if obj is not _MISSING:
                rendered = found.setdefault(_key(owner, name, obj), [])
                if anchor not in rendered:
                    rendered.append(anchor)
    return found


def _resolve(target: str, module: types.ModuleType, scope: Any) -> tuple[Any, str, Any]:
    if target.startswith("."):
        package = module.__name__ if hasattr(module, "__path__") else module.__package__
        dots = len(target) - len(target.lstrip("."))
        base = importlib.import_module(target[:dots] + target[dots:].split(".")[0], package)
        rest = target[dots:].split(".")[1:]
        return _import_path(".".join([base.__name__, *rest]))
    head, *rest = target.split(".")
    for holder in (scope, module):
        if holder is None:
            continue
        obj = _member(holder, head)
        if obj is _MISSING:
            continue
        owner, name = holder, head
        for part in rest:
            owner, name, obj = obj, part, _member(obj, part)
            if obj is _MISSING:
                break
        else:
            return owner, name, obj
    return _import_path(target)


def _scopes(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every class, innermost last."""
    out: list[tuple[int, int, str]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                name = f"{prefix}{child.name}"
                out.append((child.lineno, child.end_lineno or child.lineno, name))
                walk(child, name + ".")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            else:
                walk(child, prefix)

    walk(tree, "")
    return out


def rewrite(path: Path, found: dict[tuple[Any, ...], list[str]]) -> tuple[int, int]:
    """Rewrite the roles in one file; (linked, made plain)."""
    relative = path.relative_to(SRC).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = importlib.import_module(".".join(parts))
    text = path.read_text(encoding="utf-8")
    scopes = _scopes(ast.parse(text))
    public = ".".join(p for p in parts if not p.startswith("_"))
    counts = [0, 0]

    def replace(match: re.Match[str]) -> str:
        kind, short, target = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        titled = TITLED.fullmatch(target)
        if titled:  # Sphinx's explicit title: :meth:`shown <target>`
            shown, target = " ".join(titled.group(1).split()), titled.group(2)
        else:
            shown = target.rsplit(".", 1)[-1] if short else target
        scope = None
        for first, last, name in scopes:
            if first <= line <= last:
                scope = _import_path(f"{module.__name__}.{name}")[2]
        owner, name, obj = _resolve(target, module, scope)
        choices = [] if obj is _MISSING else found.get(_key(owner, name, obj), [])
        if kind == "attr" and not choices and isinstance(owner, type) and owner is not scope:
            choices = found.get(_key(None, owner.__name__, owner), [])
        if not choices:
            counts[1] += 1
            return f"``{shown}``"
        best = min(choices, key=lambda a: (not a.startswith(public + "."), len(a), a))
        counts[0] += 1
        return f"[`{shown}`][{best}]"

    out = ROLE.sub(replace, text)
    if out != text:
        path.write_text(out, encoding="utf-8")
    return counts[0], counts[1]


def main(argv: list[str]) -> int:
    """Rewrite every file under src/ against the anchors of the site built in argv[0]."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    sys.path.insert(0, str(SRC))
    found = anchors(Path(argv[0]))
    linked = plain = 0
    for path in sorted(SRC.rglob("*.py")):
        done = rewrite(path, found)
        linked, plain = linked + done[0], plain + done[1]
    print(f"{linked} roles became links, {plain} plain code ({len(found)} anchors on the site)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
