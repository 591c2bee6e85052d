"""Configuration of every test and doctest.

Plots draw with matplotlib's Agg backend: the library never chooses a backend; the tests
do, before anything imports pyplot, and close the figures each test opened (pyplot keeps
them, and warns past 20). The examples share their synthetic draws (see below).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
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


@functools.lru_cache(maxsize=_SHARED_DRAWS)
def _book(*args: Any, **kwargs: Any) -> Any:
    from aftersales_crm.synthetic import _book

    return _book.book(*args, **kwargs)


@functools.lru_cache(maxsize=_SHARED_DRAWS)
def _tables(*args: Any, **kwargs: Any) -> Any:
    from aftersales_crm.synthetic import _tables

    return _tables.tables(*args, **kwargs)


@pytest.fixture(autouse=True)
def _examples_share_synthetic_draws(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(request.node, DoctestItem) or request.node.path.name == "test_docs_examples.py":
        from aftersales_crm import synthetic

        monkeypatch.setattr(synthetic, "book", _book)
        monkeypatch.setattr(synthetic, "tables", _tables)
