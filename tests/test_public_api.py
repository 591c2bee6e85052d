"""The public surface: every exported name resolves, ``__all__`` is sorted, star-import works."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import aftersales_crm


def _public_modules() -> list[str]:
    names = ["aftersales_crm"]
    for info in pkgutil.walk_packages(aftersales_crm.__path__, prefix="aftersales_crm."):
        parts = info.name.split(".")
        if not any(part.startswith("_") for part in parts[1:]):
            names.append(info.name)
    return sorted(names)


PUBLIC_MODULES = _public_modules()


def test_the_package_has_public_modules() -> None:
    assert {"aftersales_crm.errors", "aftersales_crm.values"} <= set(PUBLIC_MODULES)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_name_in_all_resolves(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.{name} is exported but missing"


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_sorted_and_unique(module_name: str) -> None:
    exported = list(importlib.import_module(module_name).__all__)
    assert len(exported) == len(set(exported)), f"{module_name}.__all__ repeats a name"

    # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions.
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert exported == sorted(exported, key=key), f"{module_name}.__all__ is not sorted"


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_star_import_gives_exactly_all(module_name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {module_name} import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(importlib.import_module(module_name).__all__)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__, f"{module_name} has no module docstring"
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj):
            assert getattr(obj, "__doc__", None), f"{module_name}.{name} has no docstring"
