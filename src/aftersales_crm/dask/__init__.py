"""Scale-out on Dask (分布式计算): the same computations over a customer base cut into parts.

When an OEM's owner base outgrows one machine, the library's computations run part by part
on [Dask](https://docs.dask.org) (the ``dask`` extra: ``pip install 'aftersales-crm[dask]'``),
with the same results as in one process:

* [`from_tables`][aftersales_crm.dask.from_tables] cuts the base into parts along the
  connected components of its customers ([`split`][aftersales_crm.dask.split]: a customer
  with every fact of theirs, and every customer those facts reach through a shared
  vehicle, a referral or a comeback), each part a task;
* [`features`][aftersales_crm.dask.features] computes the customer features of each part;
* [`fit`][aftersales_crm.dask.fit] fits a population-relative policy (Pareto ABC, quantile
  tiers, RFM, the loyalty × value matrix, churn risk and its BG/NBD model) once, on the
  feature columns its fit reads, gathered from every part: exact; or on a fixed hash
  sample of the customers, within [`dkw_bound`][aftersales_crm.dask.dkw_bound];
* [`assign`][aftersales_crm.dask.assign] runs the fitted policy on every part and joins
  the labels or scores in the whole base's order;
* [`agenda`][aftersales_crm.dask.agenda] plans the care agenda part by part (the win-back
  matrix fitted on the whole base) and [`balances`][aftersales_crm.dask.balances] folds
  every member's points.

The cut and the joins import no dask: [`split`][aftersales_crm.dask.split] and
[`Part`][aftersales_crm.dask.Part] serve any engine (the Spark recipe of the guide runs
the same per-part functions with ``applyInPandas``). dask is imported on first use.

Examples:
    >>> import dask
    >>> from datetime import date
    >>> from aftersales_crm import synthetic
    >>> from aftersales_crm import dask as acd
    >>> from aftersales_crm.segmentation import ParetoABC
    >>> with dask.config.set(scheduler="synchronous"):
    ...     parts = acd.from_tables(synthetic.tables(300, seed=1), npartitions=3)
    ...     feats = acd.features(parts, as_of=date(2026, 6, 30))
    ...     labels = acd.assign(acd.fit(ParetoABC(), feats), feats)
    >>> len(labels), sorted(labels.counts())
    (300, ['A', 'B', 'C'])
"""

from __future__ import annotations

from aftersales_crm.dask._engine import (
    PartitionedFeatures,
    PartitionedTables,
    agenda,
    assign,
    balances,
    features,
    fit,
    from_tables,
)
from aftersales_crm.dask._fits import dkw_bound
from aftersales_crm.dask._partition import NETWORK_TABLES, Part, split

__all__ = [
    "NETWORK_TABLES",
    "Part",
    "PartitionedFeatures",
    "PartitionedTables",
    "agenda",
    "assign",
    "balances",
    "dkw_bound",
    "features",
    "fit",
    "from_tables",
    "split",
]
