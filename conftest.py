"""Configuration of every test and doctest: plots draw with matplotlib's Agg backend.

The library never chooses a backend; the tests do, before anything imports pyplot, and
close the figures each test opened (pyplot keeps them, and warns past 20).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

os.environ["MPLBACKEND"] = "Agg"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
