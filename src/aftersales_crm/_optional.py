"""Lazy imports of optional integrations, with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from aftersales_crm.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, *, extra: str) -> ModuleType:
    """Import an optional dependency, or raise an error naming the extra that installs it.

    Args:
        module: the import name (``"pandas"``, ``"pyarrow"``).
        extra: the pip extra of aftersales-crm that installs it.

    Returns:
        The imported module.

    Raises:
        MissingDependencyError: the module is not installed.

    Examples:
        >>> require("decimal", extra="none").__name__
        'decimal'
        >>> require("surely_not_installed_xyz", extra="pandas")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.MissingDependencyError: this feature needs surely_not_installed_xyz: pip install 'aftersales-crm[pandas]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(module, extra=extra) from exc
