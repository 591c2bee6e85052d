"""Helpers shared by the segmentation and loyalty policies: labels, checks, vehicles."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Column, check_value, invalid
from aftersales_crm._policy import Labels, feature, feature_table
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._ranks import float_buckets
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

    Codes run from 0 (below ``edges[0]``) to ``len(edges)``; NaN is ``MISSING``.
    """
    codes = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right")
    out = codes.astype(np.int16)
    out[~present(values)] = MISSING
    return out


SELECT_ROWS: Final = 1 << 16
"""From this many values (65,536), ``quantile_cutoffs`` reads the few values it needs
from the buckets of a histogram instead of partitioning every value: a few passes over the
values instead of a dozen."""

_SELECT_BUCKETS: Final = 1 << 14
"""Buckets of that histogram (16,384): a few dozen values each in a million."""

_HALF: Final = 0.5
"""From this fraction of the way to the next value, numpy interpolates back from it."""

_SELECTED_SHARE: Final = 4
"""When the buckets read hold more than a quarter of the values (many ties, or a range
too wide to divide), the values are partitioned instead."""


def quantile_cutoffs(values: NDArray[Any], quantiles: Sequence[float]) -> tuple[float, ...]:
    """The population's quantiles of ``values`` (NaN ignored; NaN when nothing is left).

    Bit for bit those of ``np.quantile`` (its default linear method) of the known values.
    """
    known = values.astype(np.float64, copy=False)
    unknown = np.isnan(known)
    if unknown.any():
        known = known[~unknown]
    if not len(known):
        return tuple(math.nan for _ in quantiles)
    wanted = np.asarray(quantiles)
    if (
        len(known) >= SELECT_ROWS
        and wanted.dtype == np.float64
        and wanted.ndim == 1
        and bool(((wanted >= 0) & (wanted <= 1)).all())
    ):
        picked = _linear_quantiles(known, wanted)
        if picked is not None:
            return tuple(float(q) for q in picked)
    return tuple(float(q) for q in np.quantile(known, quantiles))


def _linear_quantiles(
    values: NDArray[np.float64], quantiles: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """``np.quantile(values, quantiles)`` from the order statistics it interpolates.

    The same operations as numpy's linear method (Hyndman and Fan's 7th): the virtual
    index ``(n - 1) * q``, its floor and the next index (the last value past the end),
    and the interpolation ``a + (b - a) * g``, or ``b - (b - a) * (1 - g)`` from
    ``g >= 0.5``. None when the values needed are not cheap to find.
    """
    n = len(values)
    virtual = (n - 1) * quantiles
    previous = np.floor(virtual)
    following = previous + 1
    past = virtual >= n - 1
    previous[past] = -1
    following[past] = -1
    before = previous.astype(np.intp)
    gamma = virtual - before
    ranks = np.concatenate((before, following.astype(np.intp))) % n
    ordered = _order_statistics(values, ranks)
    if ordered is None:
        return None
    a, b = ordered[: len(quantiles)], ordered[len(quantiles) :]
    diff = b - a
    result = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=result, where=gamma >= _HALF)
    return result


def _order_statistics(
    values: NDArray[np.float64], ranks: NDArray[np.intp]
) -> NDArray[np.float64] | None:
    """The values at places ``ranks`` of the sorted ``values``, read from a histogram.

    Each value falls in a bucket by ``float_buckets``
    (monotone: a bucket's values are above every earlier bucket's); the buckets holding
    the ranks are sorted alone. None for values that are not finite or when those buckets
    hold more than a ``_SELECTED_SHARE`` of the values.
    """
    low, high = float(values.min()), float(values.max())
    if low == high:
        return np.full(len(ranks), low)
    scale = (_SELECT_BUCKETS - 1) / (high - low)
    if not (math.isfinite(high - low) and math.isfinite(scale)):
        return None
    bucket = float_buckets(values, low, scale, _SELECT_BUCKETS)
    ends = np.cumsum(np.bincount(bucket, minlength=_SELECT_BUCKETS))
    holding = np.searchsorted(ends, ranks, side="right")  # the bucket of each rank
    chosen = np.zeros(_SELECT_BUCKETS, dtype=bool)
    chosen[holding] = True
    selected = values[chosen[bucket]]
    if len(selected) * _SELECTED_SHARE > len(values):
        return None
    selected.sort()
    sizes = np.where(chosen, np.diff(ends, prepend=0), 0)
    before_chosen = np.cumsum(sizes) - sizes  # selected values in chosen buckets before
    first = ends[holding] - np.diff(ends, prepend=0)[holding]  # the bucket's first rank
    picked: NDArray[np.float64] = selected[before_chosen[holding] + ranks - first]
    return picked


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
    cutoffs (fitted on a population without values) give ``MISSING``.
    """
    codes = np.full(len(values), len(cutoffs), dtype=np.int16)
    if any(math.isnan(c) for c in cutoffs):
        codes[:] = MISSING
        return codes
    if all(a >= b for a, b in itertools.pairwise(cutoffs)):
        # above cutoff i, then above every later one: the tier is the count not above
        for cutoff in cutoffs:
            codes -= values > cutoff
    else:
        for i in reversed(range(len(cutoffs))):
            codes[values > cutoffs[i]] = i
    if values.dtype.kind == "f":
        unknown = np.isnan(values)
        if unknown.any():
            codes[unknown] = MISSING
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
    """Band codes (``bands``) of the vehicle feature ``name`` of each row's newest vehicle.

    The vehicle is the customer's most recently bought among those they own on ``as_of``
    ([`newest_vehicle`][aftersales_crm.features.FeatureTable.newest_vehicle]); rows without one, or
    without a value, get ``MISSING``.
    """
    vehicle_table(features, policy)
    values = np.asarray(features.newest_vehicle(name, np.nan), dtype=np.float64)
    return bands(values, edges)
