"""One customer's features: the same kernels on the slice of the base they depend on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, tzinfo
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date
from aftersales_crm.features._calendar import DEFAULT_TIME_ZONE
from aftersales_crm.features._engine import compute, mileage_model
from aftersales_crm.features._inputs import as_tables
from aftersales_crm.features._mileage import MileageModel
from aftersales_crm.features._table import FeatureTable, unknown_row
from aftersales_crm.records import Book
from aftersales_crm.tables import Table, Tables
from aftersales_crm.values import NONE_CODE

__all__ = ["model_rates", "profile"]


def model_rates(
    data: Tables | Book,
    *,
    as_of: date | str,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    threads: int | None = None,
    **params: Any,
) -> dict[str, float]:
    """The median km/day of each model with enough trusted vehicles, as [`compute`][aftersales_crm.features.compute] uses it.

    A shortcut for ``MileageModel(**params).fit(data, ...).model_km_per_day_``.

    Args:
        data: the customer base.
        as_of: the day to describe.
        time_zone: the IANA time zone of business dates (default ``Asia/Shanghai``).
        threads: how many threads to use; by default one per CPU.
        **params: the parameters of [`MileageModel`][aftersales_crm.features.MileageModel].

    Examples:
        >>> from aftersales_crm import synthetic
        >>> rates = model_rates(synthetic.columns(300, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> len(rates) > 0, all(0 <= r <= 300 for r in rates.values())
        (True, True)
    """
    fitted = MileageModel(**params).fit(data, as_of=as_of, time_zone=time_zone, threads=threads)
    return dict(fitted.model_km_per_day_)


def profile(
    data: Tables | Book,
    customer_id: str,
    *,
    as_of: date | str,
    mileage: MileageModel | None = None,
    **params: Any,
) -> FeatureTable:
    """One customer's features, computed by the same kernels on a slice of the base.

    The slice holds the customer, every vehicle they owned or brought in, their orders
    (with or without a vehicle), every order of those vehicles (earlier owners' readings
    count for km/day) and what those orders point to. The mileage model is fitted on the whole base (unless a fitted one is
    given), so the result equals the customer's row of [`compute`][aftersales_crm.features.compute] on the whole base;
    no whole-base [`compute`][aftersales_crm.features.compute] runs.

    Args:
        data: the customer base.
        customer_id: whose features.
        as_of: the day to describe.
        mileage: the km/day model, as for [`compute`][aftersales_crm.features.compute].
        **params: the other keyword parameters of [`compute`][aftersales_crm.features.compute].

    Returns:
        A one-row FeatureTable; ``.vehicles`` holds the customer's vehicles.

    Raises:
        UnknownFeatureError: no customer has that id (a ``KeyError``).
        InvalidValue: an argument of the wrong type or out of range.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(30, seed=4)
        >>> one = profile(book, "C0000007", as_of=date(2026, 6, 30))
        >>> whole = compute(book, as_of=date(2026, 6, 30))
        >>> one.row("C0000007") == whole.row("C0000007")
        True
    """
    on = as_of_date(as_of)
    tables = as_tables(data)
    model = mileage_model(mileage)
    where = np.flatnonzero(tables.customers["id"] == customer_id)
    if not len(where):
        raise unknown_row(customer_id, tables.customers["id"], "customer_id")
    if not model.fitted:
        zone = {k: params[k] for k in ("time_zone", "threads") if k in params}
        model = model.fit(tables, as_of=on, **zone)
    part, row, vehicle_rows = _slice(tables, int(where[0]))
    one = compute(part, as_of=on, mileage=model, **params).take(np.array([row]))
    assert one.vehicles is not None
    return attrs.evolve(one, vehicles=one.vehicles.take(vehicle_rows))


def _slice(tables: Tables, customer: int) -> tuple[Tables, int, NDArray[np.intp]]:
    """The part of ``tables`` one customer's features depend on, with references remapped."""
    o, w = tables.orders, tables.ownerships
    vehicle = o["vehicle"]
    has = vehicle != NONE_CODE  # orders without a vehicle belong to their customer only
    theirs = o["customer"] == customer
    mine = np.zeros(len(tables.vehicles), dtype=bool)
    mine[vehicle[theirs & has]] = True
    mine[w["vehicle"][w["customer"] == customer]] = True
    keep_orders = theirs.copy()
    keep_orders[has] |= mine[vehicle[has]]
    while True:  # comebacks may point to orders of other vehicles: follow them
        targets = o["comeback"][keep_orders]
        targets = targets[targets >= 0]
        missing = targets[~keep_orders[targets]]
        if not len(missing):
            break
        keep_orders[missing] = True
    keep_vehicles = mine.copy()
    keep_vehicles[vehicle[keep_orders & has]] = True
    keep_ownerships = keep_vehicles[w["vehicle"]] | (w["customer"] == customer)
    keep_vehicles[w["vehicle"][keep_ownerships]] = True
    keep_customers = np.zeros(len(tables.customers), dtype=bool)
    keep_customers[customer] = True
    keep_customers[o["customer"][keep_orders]] = True
    keep_customers[w["customer"][keep_ownerships]] = True
    keep = {
        "dealers": np.ones(len(tables.dealers), dtype=bool),
        "customers": keep_customers,
        "consents": keep_customers[tables.consents["customer"]],
        "vehicles": keep_vehicles,
        "ownerships": keep_ownerships,
        "orders": keep_orders,
        "lines": keep_orders[tables.lines["order"]],
    }
    part = _subset(tables, keep)
    new_row = np.cumsum(keep_customers) - 1
    vehicle_rows = (np.cumsum(keep_vehicles) - 1)[mine]
    return part, int(new_row[customer]), vehicle_rows


def _subset(tables: Tables, keep: Mapping[str, NDArray[np.bool_]]) -> Tables:
    """The kept rows of each table, references renumbered.

    A table ``keep`` does not name keeps the rows whose references all point to kept rows.
    """
    kept = dict(keep)
    for table in tables:
        if table.name not in kept:
            mask = np.ones(len(table), dtype=bool)
            for column in table.schema.columns:
                if column.target is not None and column.target in kept:
                    ref, target = table[column.name], kept[column.target]
                    found = np.zeros(len(ref), dtype=bool)
                    found[ref >= 0] = target[ref[ref >= 0]]
                    mask &= (ref < 0) | found
            kept[table.name] = mask
    remap = {name: np.cumsum(mask) - 1 for name, mask in kept.items()}
    parts: dict[str, Table] = {}
    for table in tables:
        rows = np.flatnonzero(kept[table.name])
        columns = {}
        for column in table.schema.columns:
            values = table[column.name][rows]
            if column.target is not None:
                points = values >= 0  # -1 (no reference) stays -1, even into an empty table
                values[points] = remap[column.target][values[points]]
            columns[column.name] = values
        parts[table.name] = Table(table.schema, columns, table.labels)
    return Tables(tables.currency, **parts)
