"""Configuration of every test and doctest.

Plots draw with matplotlib's Agg backend: the library never chooses a backend; the tests
do, before anything imports pyplot, and close the figures each test opened (pyplot keeps
them, and warns past 20). The examples share their synthetic draws (see below).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

os.environ["MPLBACKEND"] = "Agg"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


# The examples (docstrings and docs pages) draw the same synthetic data again and again:
# ``synthetic.book(30, seed=1)`` alone in 44 of them. The generator is deterministic and
# its Books and Tables are immutable, so the examples share one draw per arguments; the
# tests of the generator itself (tests/synthetic) call it afresh.
_SHARED_DRAWS = 32


def _shared(draw: Callable[..., Any]) -> Callable[..., Any]:
    """``draw``, once per hashable arguments (other arguments, or bad ones, reach it each time)."""
    kept = functools.lru_cache(maxsize=_SHARED_DRAWS)(draw)

    def shared(*args: Any, **kwargs: Any) -> Any:
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError:
            return draw(*args, **kwargs)
        return kept(*args, **kwargs)

    return shared


def _book(*args: Any, **kwargs: Any) -> Any:
    from aftersales_crm.synthetic import _book

    return _book.book(*args, **kwargs)


def _tables(*args: Any, **kwargs: Any) -> Any:
    from aftersales_crm.synthetic import _tables

    return _tables.tables(*args, **kwargs)


_SHARED_BOOK, _SHARED_TABLES = _shared(_book), _shared(_tables)


@pytest.fixture(autouse=True)
def _examples_share_synthetic_draws(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(request.node, DoctestItem) or request.node.path.name == "test_docs_examples.py":
        from aftersales_crm import synthetic

        monkeypatch.setattr(synthetic, "book", _SHARED_BOOK)
        monkeypatch.setattr(synthetic, "tables", _SHARED_TABLES)
