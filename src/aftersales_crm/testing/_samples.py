"""The sample inputs of the conformance kit for the built-in policy kinds.

Policy kinds name their sample by path (``"aftersales_crm.testing._samples:customer_features"``)
so that declaring a kind imports neither the synthetic generator nor the testing extra.
"""

from __future__ import annotations

import functools
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features as _features
from aftersales_crm import synthetic
from aftersales_crm.features import FeatureTable

__all__ = ["customer_features", "with_twins"]

CUSTOMERS: Final = 60
"""Distinct customers in the default sample: enough for every label, fast to compute."""

BOOK_SEED: Final = 7
"""Seed of the default synthetic Book."""

MOST_TWINS: Final = 3
"""Customer ``i`` of the sample appears ``2 + i % 3`` times: 2, 3 or 4 equal rows."""

TWIN_MARK: Final = "~"
"""Separates a twin's id from the id it copies: ``C000001~1``."""


@functools.cache
def customer_features() -> FeatureTable:
    """The customer features the kit checks feature-reading policies on (computed once).

    60 synthetic customers (``synthetic.book(60, seed=7)``), each appearing 2 to 4 times
    under different ids (180 rows), with their vehicles: equal values sit at most cut-offs
    a policy may draw (the top 20%, the median…), so a policy that breaks ties by row
    position gives different labels to equal customers and fails the order checks.

    Examples:
        >>> feats = customer_features()
        >>> len(feats), len(set(feats.ids)), str(feats.ids[60])
        (180, 180, 'C0000000~1')
    """
    book = synthetic.book(CUSTOMERS, seed=BOOK_SEED)
    distinct = _features.compute(book, as_of=synthetic.DEFAULT_AS_OF, threads=1)
    copies = 2 + np.arange(len(distinct)) % MOST_TWINS
    return with_twins(distinct, copies)


def _copy_ids(ids: NDArray[Any], copy: NDArray[np.intp]) -> NDArray[np.str_]:
    marked = np.char.add(np.char.add(ids.astype(str), TWIN_MARK), copy.astype(str))
    return np.where(copy == 0, ids.astype(str), marked)


def with_twins(features: FeatureTable, copies: NDArray[np.intp]) -> FeatureTable:
    """``features`` with row ``i`` repeated ``copies[i]`` times, copies under new ids.

    The first copy of each row keeps its id and place; the others follow, in rounds
    (every row's second copy, then every third copy…), with ids ``<id>~<copy>``. Each copy
    of a customer owns copies of their vehicles (VINs ``<vin>~<copy>``); vehicles
    without an owner are kept once.

    Examples:
        >>> feats = customer_features()
        >>> two = with_twins(feats.take(np.arange(2)), np.array([1, 2]))
        >>> two.ids.tolist()
        ['C0000000', 'C0000001', 'C0000001~1']
    """
    order = np.argsort(
        np.concatenate([np.arange(c) for c in copies]) if len(copies) else np.arange(0),
        kind="stable",
    )
    source = np.repeat(np.arange(len(features)), copies)[order]
    copy = np.concatenate([np.arange(c) for c in copies]).astype(np.intp)[order]
    ids = _copy_ids(features.ids[source], copy)
    columns = {name: values[source] for name, values in features.columns.items()}
    vehicles = features.vehicles
    if vehicles is not None and "owner" in vehicles.columns:
        vehicles = _vehicle_twins(vehicles, source, copy)
    return attrs.evolve(features, ids=ids, columns=columns, vehicles=vehicles)


def _vehicle_twins(
    vehicles: FeatureTable, source: NDArray[np.intp], copy: NDArray[np.intp]
) -> FeatureTable:
    """Each vehicle once per copy of its owner, owned by that copy (``source[row]``)."""
    owner = np.asarray(vehicles["owner"], dtype=np.intp)
    rows = np.arange(len(source))
    pick: list[NDArray[np.intp]] = [np.flatnonzero(owner < 0)]
    new_owner: list[NDArray[np.intp]] = [np.full(len(pick[0]), -1, dtype=np.intp)]
    vehicle_copy: list[NDArray[np.intp]] = [np.zeros(len(pick[0]), dtype=np.intp)]
    for row, original, k in zip(rows, source, copy, strict=True):
        owned = np.flatnonzero(owner == original)
        pick.append(owned)
        new_owner.append(np.full(len(owned), row, dtype=np.intp))
        vehicle_copy.append(np.full(len(owned), k, dtype=np.intp))
    taken = np.concatenate(pick)
    columns = {name: values[taken] for name, values in vehicles.columns.items()}
    columns["owner"] = np.concatenate(new_owner).astype(owner.dtype)
    ids = _copy_ids(vehicles.ids[taken], np.concatenate(vehicle_copy))
    return attrs.evolve(vehicles, ids=ids, columns=columns)
