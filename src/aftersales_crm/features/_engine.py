"""The feature engine: every feature of every customer and vehicle in a few numpy passes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta, tzinfo
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, to_time_zone, tuple_of
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features._calendar import DEFAULT_TIME_ZONE, day_number
from aftersales_crm.features._customers import customer_features
from aftersales_crm.features._inputs import as_tables, threads_of
from aftersales_crm.features._kernels import grouping, wants
from aftersales_crm.features._mileage import MileageModel
from aftersales_crm.features._orders import order_days, order_facts
from aftersales_crm.features._quality import CUSTOMER_QUALITY_COLUMNS, VEHICLE_FIX_COLUMNS
from aftersales_crm.features._service import (
    OWNER_FIRST_MAINTENANCE_COLUMNS,
    OWNER_FIRST_MAINTENANCE_READS,
    owner_first_maintenance,
)
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.features._vehicles import reads_orders, vehicle_features
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from aftersales_crm.values import NONE_CODE, CompassSector, Gender

__all__ = ["DEFAULT_WINDOW", "compute", "compute_vehicles", "mileage_model", "window_of"]

DEFAULT_WINDOW: Final = relativedelta(months=12)
"""The trailing window of the ``spend_window_*`` and ``visit*_window`` features: 12 months."""


def window_of(window: object, as_of: date) -> relativedelta | timedelta:
    """``window`` checked: a relativedelta or timedelta reaching back before ``as_of``.

    Raises:
        InvalidValue: another type, or a window that does not reach back.

    Examples:
        >>> window_of(relativedelta(months=-1), date(2026, 6, 30))
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: window is relativedelta(months=-1) (relativedelta), expected a relativedelta or timedelta reaching back at least a day, such as relativedelta(months=12)
    """
    if isinstance(window, relativedelta | timedelta):
        try:
            if as_of - window < as_of:
                return window
        except (OverflowError, ValueError):  # a window reaching before year 1
            pass
    msg = (
        f"window is {window!r} ({type(window).__name__}), expected a relativedelta or"
        " timedelta reaching back at least a day, such as relativedelta(months=12)"
    )
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def mileage_model(mileage: object) -> MileageModel:
    """``mileage`` checked: a MileageModel, or None for the default one.

    Raises:
        InvalidValue: another type, or a model with invalid parameters.
    """
    if mileage is None:
        return MileageModel()
    if not isinstance(mileage, MileageModel):
        msg = f"mileage is {mileage!r:.80} ({type(mileage).__name__}), expected a MileageModel or None"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    mileage.checked()
    return mileage


def compute(
    data: Tables | Book,
    *,
    as_of: date | str,
    window: relativedelta | timedelta = DEFAULT_WINDOW,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    mileage: MileageModel | None = None,
    threads: int | None = None,
    columns: Iterable[str] | None = None,
    vehicle_columns: Iterable[str] | None = None,
) -> FeatureTable:
    """Every customer's and vehicle's features on ``as_of``, from tables or a Book.

    Only orders opened on or before ``as_of`` (as business dates in ``time_zone``) count;
    the feature catalogue is on the documentation page *Features*. The work runs in
    blocks of customers (and of vehicles), side by side on ``threads`` threads; the result
    does not depend on the number of threads.

    ``columns`` names the customer features a reader needs: only the kernels giving them
    run, and the table holds those columns, each equal to the whole computation's.
    ``vehicle_columns`` names the vehicle features so (as ``columns=`` of
    [`compute_vehicles`][aftersales_crm.features.compute_vehicles]); the vehicle features
    the customer columns asked for are rolled up from are computed whether named or not.
    The care agenda asks this way for the few columns its rules read.

    Args:
        data: the customer base. Orders without a vehicle count in the customer
            features only.
        as_of: the day to describe: a ``datetime.date`` (not a datetime) or an ISO
            date string.
        window: the trailing window of ``spend_window_*`` and ``visit*_window``.
        time_zone: the IANA time zone of the dealers' business dates, or a tzinfo
            (default ``Asia/Shanghai``).
        mileage: the km/day model; a fitted one is used as it is, an unfitted one (and
            None, the default [`MileageModel`][aftersales_crm.features.MileageModel]) is fitted on ``data``.
        threads: how many threads to use; by default one per CPU.
        columns: the customer features to compute, by name; None (the default) for
            all of them.
        vehicle_columns: the vehicle features to compute, by name; None (the default)
            for all of them.

    Returns:
        The customer features, with the vehicle features as ``.vehicles``.

    Raises:
        InvalidValue: an argument of the wrong type or out of range, naming it, or a
            name in ``columns`` that is no customer feature (in ``vehicle_columns``, no
            vehicle feature).

    Examples:
        >>> from aftersales_crm import synthetic
        >>> feats = compute(synthetic.columns(200, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> int(feats["visits"].sum()) > 0, bool(feats.vehicles["km_per_day"].min() > 0)
        (True, True)
        >>> tables = synthetic.columns(200, seed=1).tables()
        >>> some = compute(tables, as_of=date(2026, 6, 30), columns=["spend_window_fen", "main_dealer_share"])
        >>> sorted(some), some["spend_window_fen"].tolist() == feats["spend_window_fen"].tolist()
        (['main_dealer_share', 'spend_window_fen'], True)
        >>> few = compute(tables, as_of=date(2026, 6, 30), columns=[], vehicle_columns=["owner"])
        >>> list(few.vehicles), few.vehicles["owner"].tolist() == feats.vehicles["owner"].tolist()
        (['owner'], True)
        >>> compute(tables, as_of=date(2026, 6, 30), columns=["spend"])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: columns names 'spend', not a customer feature; the catalogue is on the documentation page Features
        >>> compute(synthetic.columns(5, seed=1).tables(), as_of="30 June")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: as_of is '30 June' (str), expected a datetime.date that is not a datetime, or an ISO date string such as '2026-06-30'
    """
    on = as_of_date(as_of)
    span = window_of(window, on)
    model = mileage_model(mileage)
    workers = threads_of(threads)
    wanted = _wanted(columns)
    vehicle_wanted = _wanted(vehicle_columns, parameter="vehicle_columns")
    # The loyalty category is rolled up from vehicle columns, asked for or not.
    roll_up = wants(wanted, OWNER_FIRST_MAINTENANCE_COLUMNS)
    computed = vehicle_wanted
    if computed is not None and roll_up:
        computed |= OWNER_FIRST_MAINTENANCE_READS
    tables = as_tables(data)
    zone, day = order_days(tables, time_zone)
    counted = day <= day_number(on)
    keys = {"customer": tables.orders["customer"], "vehicle": tables.orders["vehicle"]}
    time = tables.orders["opened_at"].view("int64")
    if not counted.all():
        keys = {k: v[counted] for k, v in keys.items()}
        time = time[counted]
    # Orders without a vehicle (a plain transaction log) count for their customer only.
    with_vehicle = keys["vehicle"] != NONE_CODE
    everyone_has_one = bool(with_vehicle.all())
    if not everyone_has_one:
        time_v = time[with_vehicle]
        keys["vehicle"] = keys["vehicle"][with_vehicle]
    with ThreadPoolExecutor(max_workers=2 if workers > 1 else 1) as side:
        # Orders are put in (customer, time) and (vehicle, time) order on the side while
        # their lines are summed.
        by_customer = side.submit(grouping, keys["customer"], time)
        by_vehicle = side.submit(grouping, keys["vehicle"], time if everyone_has_one else time_v)
        quality = wants(wanted, CUSTOMER_QUALITY_COLUMNS)
        parts = quality or wants(computed, _PARTS)
        row = quality or wants(computed, VEHICLE_FIX_COLUMNS)  # read by the fixes alone
        orders = order_facts(
            tables, day, counted, zone, day_number(on), workers, parts=parts, row=row
        )
        vehicle_orders = (
            orders if everyone_has_one else {k: v[with_vehicle] for k, v in orders.items()}
        )
        vehicles = side.submit(
            vehicle_features,
            tables,
            vehicle_orders,
            by_vehicle.result(),
            on,
            model,
            workers,
            computed,
        )
        found = customer_features(tables, orders, by_customer.result(), on, span, workers, wanted)
    if roll_up:
        found |= owner_first_maintenance(vehicles.result().columns, len(tables.customers))
    if wanted is not None:
        _check_names(wanted, found)
        found = {name: values for name, values in found.items() if name in wanted}
    categories = {"sector": CompassSector, "gender": Gender}
    return FeatureTable(
        "customer_id",
        tables.customers["id"],
        found,
        on,
        tables.currency,
        categories={name: kind for name, kind in categories.items() if name in found},
        vehicles=_selected(vehicles.result(), vehicle_wanted, "vehicle_columns"),
    )


_PARTS: Final = frozenset({"parts_replaced"})
"""The vehicle column read from the orders' parts (``order_facts(parts=True)``)."""


def _wanted(columns: object, parameter: str = "columns") -> frozenset[str] | None:
    """``columns`` checked: None, or the set of names of an iterable of strings."""
    if columns is None:
        return None
    names = tuple_of(columns, parameter=parameter)
    for name in names:
        if not isinstance(name, str):
            msg = f"{parameter} holds {name!r:.80} ({type(name).__name__}), expected feature names as str"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
    return frozenset(names)


def _check_names(
    wanted: frozenset[str],
    found: Mapping[str, object],
    parameter: str = "columns",
    kind: str = "customer",
) -> None:
    """Raise for the first name of ``wanted`` (in sorted order) not among ``found``."""
    unknown = sorted(wanted - found.keys())
    if unknown:
        msg = (
            f"{parameter} names {unknown[0]!r}, not a {kind} feature; the catalogue is on the"
            " documentation page Features"
        )
        raise InvalidValue(msg, code=ARGUMENT_CODE)


def _selected(
    vehicles: FeatureTable, wanted: frozenset[str] | None, parameter: str
) -> FeatureTable:
    """The vehicle features holding the columns ``wanted`` alone (None: all of them)."""
    if wanted is None:
        return vehicles
    _check_names(wanted, vehicles.columns, parameter, "vehicle")
    return attrs.evolve(
        vehicles,
        columns={name: values for name, values in vehicles.columns.items() if name in wanted},
        categories={name: kind for name, kind in vehicles.categories.items() if name in wanted},
    )


def compute_vehicles(
    data: Tables | Book,
    *,
    as_of: date | str,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    mileage: MileageModel | None = None,
    threads: int | None = None,
    columns: Iterable[str] | None = None,
) -> FeatureTable:
    """Every vehicle's features on ``as_of``, without the customer features.

    The same vehicle features as ``compute(data, as_of=…).vehicles`` (the same kernels),
    for a reader that needs only them, such as the care agenda: the customer features
    are not computed. ``columns`` names the vehicle features a reader needs: only the
    kernels giving them run (counting the parts replaced, the slowest, only for
    ``parts_replaced``), and the table holds those columns, each equal to the whole
    computation's. Columns of [`VEHICLE_TABLE_COLUMNS`][aftersales_crm.features.VEHICLE_TABLE_COLUMNS]
    alone (the owner, the body type…) read no order at all.

    Args:
        data: the customer base.
        as_of: the day to describe (a date, not a datetime, or ISO date text).
        time_zone: the IANA time zone of the dealers' business dates, or a tzinfo.
        mileage: the km/day model; an unfitted one (and None) is fitted on ``data``.
        threads: how many threads to use; by default one per CPU.
        columns: the vehicle features to compute, by name; None (the default) for all
            of them.

    Returns:
        The vehicle features, one row per vehicle of ``data``.

    Raises:
        InvalidValue: an argument of the wrong type or out of range, naming it, or a
            name in ``columns`` that is no vehicle feature.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.columns(50, seed=1).tables()
        >>> alone = compute_vehicles(tables, as_of=date(2026, 6, 30))
        >>> together = compute(tables, as_of=date(2026, 6, 30)).vehicles
        >>> import numpy as np
        >>> bool(np.array_equal(alone["service_due"], together["service_due"], equal_nan=True))
        True
        >>> due = compute_vehicles(tables, as_of=date(2026, 6, 30), columns=["service_due", "owner"])
        >>> sorted(due), bool(np.array_equal(due["service_due"], alone["service_due"], equal_nan=True))
        (['owner', 'service_due'], True)
        >>> compute_vehicles(tables, as_of=date(2026, 6, 30), columns=["spend_fen"])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: columns names 'spend_fen', not a vehicle feature; the catalogue is on the documentation page Features
    """
    on = as_of_date(as_of)
    model = mileage_model(mileage)
    workers = threads_of(threads)
    wanted = _wanted(columns)
    tables = as_tables(data)
    tz = to_time_zone(time_zone)  # checked even when no order is read
    orders: dict[str, NDArray[Any]] = {}
    by_vehicle = None
    if reads_orders(wanted):
        zone, day = order_days(tables, tz)
        counted = day <= day_number(on)
        vehicle = tables.orders["vehicle"]
        time = tables.orders["opened_at"].view("int64")
        keep = counted & (vehicle != NONE_CODE)
        by_vehicle = grouping(vehicle[keep], time[keep])
        orders = order_facts(
            tables,
            day,
            counted,
            zone,
            day_number(on),
            workers,
            parts=wants(wanted, _PARTS),
            row=wants(wanted, VEHICLE_FIX_COLUMNS),
        )
        with_vehicle = vehicle[counted] != NONE_CODE
        if not with_vehicle.all():
            orders = {k: v[with_vehicle] for k, v in orders.items()}
    found = vehicle_features(tables, orders, by_vehicle, on, model, workers, wanted)
    return _selected(found, wanted, "columns")
