"""Helpers shared by the segmentation and loyalty policies: labels, checks, vehicles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Column, check_value, invalid
from aftersales_crm._policy import Labels, feature, feature_table
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.values import NONE_CODE

MISSING: Final = NONE_CODE
"""The code of a row without a label: the customer lacks the data the policy needs."""

DAYS_PER_YEAR: Final = 365.0
"""Days in a year when km/day becomes km a year (the features' own convention)."""


def labels(
    codes: NDArray[Any], names: Sequence[str], names_zh: Sequence[str] | None = None
) -> Labels:
    """Labels from codes and names given as any sequences."""
    # Passed as Any: older Labels converters (``tuple``) left mypy a free type variable.
    untyped: Any = tuple(names)
    untyped_zh: Any = None if names_zh is None else tuple(names_zh)
    return Labels(codes, untyped, untyped_zh)


def check_column(policy: object, parameter: str, value: object) -> str:
    """``value`` as a feature name, or an error naming ``parameter``."""
    name: str = check_value(policy, parameter, value, Column())
    return name


def numeric(features: FeatureTable, policy: object, parameter: str, name: object) -> NDArray[Any]:
    """The numeric feature named by ``parameter``: bool and int as int64, floats as float64.

    Raises:
        InvalidValue: the name is not text, the column is missing or not numeric.
    """
    column = feature(features, check_column(policy, parameter, name))
    if column.dtype.kind == "b":
        return column.astype(np.int64)
    if column.dtype.kind in "iu":
        return column.astype(np.int64, copy=False)
    if column.dtype.kind == "f":
        return column.astype(np.float64, copy=False)
    raise invalid(policy, parameter, name, f"the column holds {column.dtype}, not numbers")


def present(values: NDArray[Any]) -> NDArray[np.bool_]:
    """Where a numeric column has a value (not NaN)."""
    if values.dtype.kind == "f":
        known: NDArray[np.bool_] = ~np.isnan(values)
        return known
    return np.ones(len(values), dtype=bool)


def python_number(value: Any) -> int | float:
    """A numpy scalar as a plain int or float."""
    item = value.item() if isinstance(value, np.generic) else value
    return int(item) if isinstance(item, int | bool) else float(item)


def bands(values: NDArray[Any], edges: Sequence[float]) -> NDArray[np.int16]:
    """Band codes of ``values`` for increasing ``edges``: band i is [edges[i-1], edges[i]).

    Codes run from 0 (below ``edges[0]``) to ``len(edges)``; NaN is :data:`MISSING`.
    """
    codes = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right")
    out = codes.astype(np.int16)
    out[~present(values)] = MISSING
    return out


def quantile_cutoffs(values: NDArray[Any], quantiles: Sequence[float]) -> tuple[float, ...]:
    """The population's quantiles of ``values`` (NaN ignored; NaN when nothing is left)."""
    known = values[present(values)].astype(np.float64)
    if not len(known):
        return tuple(math.nan for _ in quantiles)
    return tuple(float(q) for q in np.quantile(known, quantiles))


def at_or_above(values: NDArray[Any], thresholds: Sequence[float], below: int) -> NDArray[np.int16]:
    """Level codes for decreasing ``thresholds``: level i when at least ``thresholds[i]``.

    A value below every threshold, and NaN, gets ``below``.
    """
    codes = np.full(len(values), below, dtype=np.int16)
    for i in reversed(range(len(thresholds))):
        codes[values >= thresholds[i]] = i
    return codes


def above_cutoffs(values: NDArray[Any], cutoffs: Sequence[float]) -> NDArray[np.int16]:
    """Tier codes for decreasing ``cutoffs``: tier i when strictly above ``cutoffs[i]``.

    A value above no cutoff gets the last tier (``len(cutoffs)``); NaN values and NaN
    cutoffs (fitted on a population without values) give :data:`MISSING`.
    """
    codes = np.full(len(values), len(cutoffs), dtype=np.int16)
    for i in reversed(range(len(cutoffs))):
        codes[values > cutoffs[i]] = i
    if any(math.isnan(c) for c in cutoffs):
        codes[:] = MISSING
    codes[~present(values)] = MISSING
    return codes


# -- vehicles -------------------------------------------------------------------------------


def vehicle_table(features: FeatureTable, policy: object) -> FeatureTable:
    """``features.vehicles``, or an error saying the policy needs them."""
    vehicles = feature_table(features, policy).vehicles
    if vehicles is None:
        msg = f"{type(policy).__name__} needs the vehicle features (features.vehicles is None)"
        raise InvalidValue(msg, code="missing_feature")
    return vehicles


def newest_vehicle_bands(
    features: FeatureTable, policy: object, name: str, edges: Sequence[float]
) -> NDArray[np.int16]:
    """Band codes (:func:`bands`) of the vehicle feature ``name`` of each row's newest vehicle.

    The vehicle is the customer's most recently bought among those they own on ``as_of``
    (:meth:`~aftersales_crm.features.FeatureTable.newest_vehicle`); rows without one, or
    without a value, get :data:`MISSING`.
    """
    vehicle_table(features, policy)
    values = np.asarray(features.newest_vehicle(name, np.nan), dtype=np.float64)
    return bands(values, edges)
