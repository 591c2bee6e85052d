"""Every draw is seeded: each public function taking a seed refuses anything but a whole number."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import aftersales_crm
from aftersales_crm.errors import InvalidValue

#: The parameter names a seed goes by.
SEED_NAMES = ("seed", "random_state", "rng")


def _seeded_functions() -> dict[str, tuple[Callable[..., Any], str]]:
    """Every public function or class of the package with a seed parameter, by name."""
    found: dict[str, tuple[Callable[..., Any], str]] = {}
    for info in pkgutil.walk_packages(aftersales_crm.__path__, prefix="aftersales_crm."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            target = getattr(module, name)
            if not callable(target):
                continue
            try:
                parameters = inspect.signature(target).parameters
            except (TypeError, ValueError):
                continue
            for parameter in SEED_NAMES:
                if parameter in parameters:
                    found[f"{target.__module__}.{target.__qualname__}"] = (target, parameter)
    return found


SEEDED = _seeded_functions()

REQUIRED: dict[str, dict[str, Any]] = {
    "simulate_bgnbd": {"age": [52.0], "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0},
}
"""Valid values of the parameters a seeded function has no default for, by its name."""


def test_the_synthetic_entry_points_are_among_the_seeded_functions() -> None:
    names = {name.rsplit(".", 1)[1] for name in SEEDED}
    assert {"book", "columns", "tables"} <= names


@pytest.mark.parametrize("name", sorted(SEEDED))
@pytest.mark.parametrize(
    ("seed", "shown"),
    [
        (None, r"None \(NoneType\)"),  # an unseeded draw
        (True, r"True \(bool\)"),  # a bool is not a seed
        (1.5, r"1.5 \(float\)"),
        (
            np.float64(2.0),
            r"np.float64\(2.0\) \(float64\)",
        ),  # even a whole float: seeds are integers
        ("3", r"'3' \(str\)"),
        (-1, r"-1 \(int\)"),
        (np.bool_(True), r"np.True_ \(bool\)"),  # nor a numpy bool
        ([1, 2], r"\[1, 2\] \(list\)"),
    ],
)
def test_a_seed_that_is_not_a_whole_number_is_refused(name: str, seed: object, shown: str) -> None:
    function, parameter = SEEDED[name]
    given = REQUIRED.get(name.rsplit(".", 1)[1], {})
    with pytest.raises(InvalidValue, match=rf"{parameter} is {shown}, expected a whole number"):
        function(**given, **{parameter: seed})
