"""Joining the parts' features and agendas into the whole base's (no dask here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.care import Agenda, CareTasks, agenda_order
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["merge_agendas", "merge_features"]


def _joined(tables: Sequence[FeatureTable], where: Sequence[NDArray[np.int64]]) -> FeatureTable:
    order = np.argsort(
        np.concatenate([np.asarray(w, dtype=np.int64) for w in where]), kind="stable"
    )
    first = tables[0]
    columns = {
        name: np.concatenate([t.columns[name] for t in tables])[order] for name in first.columns
    }
    return attrs.evolve(
        first,
        ids=np.concatenate([t.ids for t in tables])[order],
        columns=columns,
        vehicles=None,
    )


def merge_features(
    tables: Sequence[FeatureTable], rows: Sequence[Mapping[str, NDArray[np.int64]]]
) -> FeatureTable:
    """The parts' customer features as one table, in the order of the whole customer table.

    The vehicle features are joined the same way, in the order of the whole vehicle table,
    their ``owner`` column renumbered to the whole table's customer rows.

    Args:
        tables: each part's features (with their vehicle features, if any).
        rows: each part's row positions in the whole tables ([`Part.rows`][aftersales_crm.dask.Part]).

    Raises:
        InvalidValue: no parts.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> from aftersales_crm.dask import split
        >>> tables = synthetic.tables(60, seed=1)
        >>> parts = split(tables, 2)
        >>> per = [features.compute(p.tables, as_of=date(2026, 6, 30)) for p in parts]
        >>> whole = merge_features(per, [p.rows for p in parts])
        >>> whole.ids.tolist() == tables.customers["id"].tolist()
        True
    """
    if not tables:
        msg = "merge_features needs the features of at least one part"
        raise InvalidValue(msg, code="invalid_argument")
    customers = _joined(tables, [r["customers"] for r in rows])
    vehicles = [t.vehicles for t in tables]
    if any(v is None for v in vehicles):
        return customers
    renumbered = []
    for table, part_rows in zip(vehicles, rows, strict=True):
        assert table is not None  # checked above
        if "owner" in table.columns:
            owner = table.columns["owner"]
            global_owner = np.where(
                owner >= 0, np.asarray(part_rows["customers"])[np.maximum(owner, 0)], owner
            ).astype(owner.dtype)
            table = attrs.evolve(table, columns={**table.columns, "owner": global_owner})
        renumbered.append(table)
    joined = _joined(renumbered, [r["vehicles"] for r in rows])
    return attrs.evolve(customers, vehicles=joined)


def merge_agendas(agendas: Sequence[Agenda]) -> Agenda:
    """The parts' agendas as one, in agenda order, calls numbered in that order.

    The order is the planner's ([`agenda_order`][aftersales_crm.care.agenda_order]): due
    day, priority (highest first), customer id and kind name, canonical between ties.

    Raises:
        InvalidValue: no agendas, or agendas of different days.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import FollowUpCalls, OwnerBirthday, Planner
        >>> from aftersales_crm.dask import split
        >>> tables = synthetic.tables(80, seed=1)
        >>> planner = Planner(rules=[FollowUpCalls(), OwnerBirthday()])
        >>> parts = [planner.agenda(p.tables, start="2026-06-01", end="2026-06-30") for p in split(tables, 3)]
        >>> whole = planner.agenda(tables, start="2026-06-01", end="2026-06-30")
        >>> merge_agendas(parts) == whole, len(whole) > 0
        (True, True)
    """
    if not agendas:
        msg = "merge_agendas needs at least one agenda"
        raise InvalidValue(msg, code="invalid_argument")
    first = agendas[0]
    days = (first.start, first.end, first.as_of, first.lookback)
    if any((a.start, a.end, a.as_of, a.lookback) != days for a in agendas):
        msg = "the agendas to join are of different days"
        raise InvalidValue(msg, code="invalid_argument")
    reasons: dict[Any, int] = {}
    blocked: list[NDArray[np.int16]] = []
    calls: list[NDArray[np.int64]] = []
    offset = 0
    for a in agendas:
        codes = np.array([reasons.setdefault(r, len(reasons)) for r in a.block_reasons] or [0])
        blocked.append(np.where(a.blocked_by >= 0, codes[np.maximum(a.blocked_by, 0)], -1))
        calls.append(np.where(a.call >= 0, a.call + offset, -1))
        offset += int(a.call.max()) + 1 if len(a.call) else 0
    tasks = CareTasks.concat([a.tasks for a in agendas])
    joined = attrs.evolve(
        first,
        tasks=tasks,
        status=np.concatenate([a.status for a in agendas]),
        blocked_by=np.concatenate(blocked).astype(np.int16),
        block_reasons=tuple(reasons),
        call=np.concatenate(calls),
        hours=np.concatenate([a.hours for a in agendas]),
    )
    return joined.take(agenda_order(tasks))
