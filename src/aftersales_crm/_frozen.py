"""Pickling for the frozen classes that hold read-only mappings (``MappingProxyType``).

A ``MappingProxyType`` cannot be pickled, so [`Book`][aftersales_crm.records.Book],
[`Tables`][aftersales_crm.tables.Tables], [`FeatureTable`][aftersales_crm.features.FeatureTable] and
the synthetic columns pickle through ``frozen_reduce``: the constructor arguments, each
read-only mapping as a plain dict, rebuilt on load with the same read-only mappings and
read-only arrays. Pickling is what ``multiprocessing``, dask and result caches use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np

__all__ = ["frozen_reduce"]


def frozen_reduce(obj: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """The ``__reduce__`` of a frozen attrs instance: its class and constructor arguments.

    Args:
        obj: an attrs instance whose fields are all constructor arguments.

    Returns:
        ``(rebuild, (class, arguments, names of the read-only mappings))`` for pickle.

    Examples:
        >>> import pickle
        >>> from aftersales_crm import synthetic
        >>> customers = synthetic.tables(5, seed=1).customers
        >>> again = pickle.loads(pickle.dumps(customers))
        >>> again.columns["id"].tolist() == customers.columns["id"].tolist()
        True
        >>> again.columns["id"].flags.writeable
        False
    """
    cls = type(obj)
    arguments: dict[str, Any] = {}
    proxies: list[str] = []
    for field in attrs.fields(cls):
        value = getattr(obj, field.name)
        if isinstance(value, MappingProxyType):
            value = dict(value)
            proxies.append(field.alias)
        arguments[field.alias] = value
    return _rebuild, (cls, arguments, tuple(proxies))


def _rebuild(cls: type[Any], arguments: dict[str, Any], proxies: tuple[str, ...]) -> Any:
    for name in proxies:
        mapping: Mapping[str, Any] = arguments[name]
        for value in mapping.values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
        arguments[name] = MappingProxyType(dict(mapping))
    return cls(**arguments)
