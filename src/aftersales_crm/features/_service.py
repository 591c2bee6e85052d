"""Each vehicle's service history and its next service due, by time or mileage.

The rules read by the vehicle features, the loyalty category
([`FirstMaintenanceReturn`][aftersales_crm.loyalty.FirstMaintenanceReturn]), the loyal / swinging / lost
status ([`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus]) and, later, the care
agenda:

* ``service_history``: per vehicle, its first maintenance (首保) and the dealer that
  did it, the first return for routine maintenance or repair after it (at that dealer, and
  anywhere in the network), and its last workshop service (at its dealer, and anywhere);
* ``owner_first_maintenance``: the roll-up of the loyalty category to the customers;
* [`service_due`][aftersales_crm.features.service_due]: the day the next service falls due.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import (
    ARGUMENT_CODE,
    date_array,
    number_array,
    real_number,
    whole_number,
)
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features._calendar import NAT, add_months, dates, shift_months
from aftersales_crm.features._kernels import Segments, running_sums, wants
from aftersales_crm.features._orders import (
    first_maintenance_orders,
    routine_orders,
    service_orders,
)

__all__ = [
    "OWNER_FIRST_MAINTENANCE_COLUMNS",
    "OWNER_FIRST_MAINTENANCE_READS",
    "SERVICE_KM",
    "SERVICE_MONTHS",
    "at_rows",
    "due_dates",
    "owner_first_maintenance",
    "service_due",
    "service_history",
]

SERVICE_MONTHS: Final = 6
"""A service every 6 calendar months: the interval Chinese makers commonly give a family
car (PCauto 太平洋汽车网 maintenance-interval pages, pcauto.com.cn; the training material
gives no interval)."""

SERVICE_KM: Final = 5_000
"""Or every 5,000 km, whichever comes first (the same PCauto maintenance-interval pages)."""

_MONTH_DAYS: Final = 31
"""No calendar month is longer: ``months`` months are at most ``31 * months`` days."""


def service_due(
    last_visit: ArrayLike,
    km_per_day: ArrayLike,
    last_mileage: ArrayLike,
    *,
    months: int = SERVICE_MONTHS,
    km: float | None = SERVICE_KM,
) -> NDArray[np.datetime64]:
    """The day each vehicle's next service falls due, by time or mileage, whichever first.

    By time: ``months`` calendar months after the last visit (month ends clamped as
    [`add_months`][aftersales_crm.features.add_months] clamps them). By mileage: the day the estimated odometer reaches the
    last reading plus ``km``, ``last_visit + ceil(km / km_per_day)`` days; it applies only
    with a reading at the last visit (``last_mileage``) and a positive rate, and is capped
    at ``31 * months`` days, beyond which the due date by time always comes first.
    ``km=None`` goes by time only. NaT without a visit.

    Args:
        last_visit: ``datetime64[D]`` last visit of each vehicle.
        km_per_day: the estimated km a day of each vehicle.
        last_mileage: the odometer reading at the last visit (NaN without one).
        months: the service interval in calendar months (default 6,
            [`SERVICE_MONTHS`][aftersales_crm.features.SERVICE_MONTHS]).
        km: the service interval in km, or None (default 5,000, [`SERVICE_KM`][aftersales_crm.features.SERVICE_KM]).

    Returns:
        ``datetime64[D]`` array aligned with ``last_visit``.

    Raises:
        InvalidValue: ``months`` is not a whole number >= 1, or ``km`` not a positive
            number nor None.

    Examples:
        >>> last = np.array(["2026-01-31", "2026-01-31", "NaT"], dtype="datetime64[D]")
        >>> service_due(last, [10.0, 100.0, 10.0], [20_000.0, 20_000.0, np.nan]).tolist()
        [datetime.date(2026, 7, 31), datetime.date(2026, 3, 22), None]
        >>> service_due(last, [10.0, 100.0, 10.0], [20_000.0] * 3, km=None)[:2].tolist()
        [datetime.date(2026, 7, 31), datetime.date(2026, 7, 31)]
    """
    months = whole_number(months, parameter="months", minimum=1)
    last = date_array(last_visit, parameter="last_visit")
    if km is None:
        return add_months(last, months)
    distance = real_number(km, parameter="km", minimum=0, above=True)
    rate = number_array(km_per_day, parameter="km_per_day")
    reading = number_array(last_mileage, parameter="last_mileage")
    if not len(rate) == len(reading) == len(last):
        msg = (
            f"last_visit, km_per_day and last_mileage have {len(last)}, {len(rate)} and "
            f"{len(reading)} values; give one per vehicle"
        )
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return due_dates(last, rate, reading, months=months, distance=distance)


def due_dates(
    last: NDArray[np.datetime64],
    rate: NDArray[np.float64],
    reading: NDArray[np.float64],
    *,
    months: int = SERVICE_MONTHS,
    distance: float = SERVICE_KM,
) -> NDArray[np.datetime64]:
    """[`service_due`][aftersales_crm.features.service_due] without its checks, for the feature kernels.

    For arrays the library made itself, already checked (``datetime64[D]`` dates of its
    range, float64 rates and readings of one length), which the kernels would otherwise
    check again block by block; ``months`` and ``distance`` as ``service_due`` checks them.
    """
    due = shift_months(last, months)
    applies = ~np.isnan(reading) & (rate > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        days = np.minimum(np.ceil(distance / rate), _MONTH_DAYS * months)
    by_km = last + np.where(applies, days, 0).astype(np.int64)
    by_km[~applies] = np.datetime64("NaT")
    due_first: NDArray[np.datetime64] = np.where(by_km < due, by_km, due)  # NaT never less
    return due_first


def at_rows(values: NDArray[Any], rows: NDArray[np.int64], missing: Any) -> NDArray[Any]:
    """``values[rows]``, ``missing`` where the row is -1."""
    out = np.full(len(rows), missing, dtype=values.dtype)
    found = rows >= 0
    out[found] = values[rows[found]]
    return out


def _last_where(seg: Segments, flags: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Each group's last row where ``flags`` holds, -1 where none does."""
    # As Segments.first_where: the flagged rows before each group's end, by a running sum.
    flagged = np.flatnonzero(flags)
    before = np.insert(flagged, 0, -1)  # before the start: no flagged row yet
    last = before[running_sums(flags)[seg.ends]]
    found: NDArray[np.int64] = np.where(last >= seg.starts, last, -1)
    return found


def service_history(
    seg: Segments,
    day: NDArray[np.int64],
    bits: NDArray[np.int32],
    dealer: NDArray[np.int64],
    mileage: NDArray[np.int64],
    wanted: frozenset[str] | None = None,
) -> dict[str, NDArray[Any]]:
    """The service history of a block of vehicles whose orders are in (vehicle, time) order.

    Keys (one value per vehicle):

    * ``first_maintenance``: the day of its first visit with a first-maintenance line;
      ``first_maintenance_dealer``, the dealer row of that visit (-1 without one);
    * ``return_date``: its first visit for routine maintenance or repair
      (``ROUTINE_SERVICE_KINDS``) on a later day at that same dealer, the return the
      loyalty category asks about; ``network_return_date``, the same at any dealer;
    * ``service_dealer``: the vehicle's dealer for the service interval, the
      first-maintenance dealer, else the dealer of its first workshop service (-1 without
      one); workshop service is routine service or the first maintenance itself;
    * ``last_service`` and ``last_service_mileage``: its last workshop service at that
      dealer and the odometer reading then; ``last_network_service`` and
      ``last_network_service_mileage``, the same at any dealer.

    Dates are ``datetime64[D]`` (NaT for none), mileages float (NaN for none). The
    network columns come only when ``wanted`` (None: every column) names one of them.
    """
    g = seg.group_of_rows()
    fm_row = seg.first_where(first_maintenance_orders(bits))
    fm_day = at_rows(day, fm_row, NAT)
    fm_dealer = at_rows(dealer, fm_row, -1)
    later = (fm_day[g] != NAT) & (day > fm_day[g]) & routine_orders(bits)
    service = service_orders(bits)
    first_service = at_rows(dealer, seg.first_where(service), -1)
    home = np.where(fm_dealer >= 0, fm_dealer, first_service)
    last_row = _last_where(seg, service & (dealer == home[g]))
    network_return = wants(wanted, _NETWORK_RETURN_COLUMNS)
    last_network_row = (
        _last_where(seg, service) if wants(wanted, _NETWORK_SERVICE_COLUMNS) else None
    )
    km = mileage.astype(np.float64)
    out = {
        "first_maintenance": dates(fm_day),
        "first_maintenance_dealer": fm_dealer,
        "return_date": dates(at_rows(day, seg.first_where(later & (dealer == fm_dealer[g])), NAT)),
        "network_return_date": (
            dates(at_rows(day, seg.first_where(later), NAT)) if network_return else None
        ),
        "service_dealer": home,
        "last_service": dates(at_rows(day, last_row, NAT)),
        "last_service_mileage": at_rows(km, last_row, np.nan),
        "last_network_service": (
            None if last_network_row is None else dates(at_rows(day, last_network_row, NAT))
        ),
        "last_network_service_mileage": (
            None if last_network_row is None else at_rows(km, last_network_row, np.nan)
        ),
    }
    return {name: values for name, values in out.items() if values is not None}


_NETWORK_RETURN_COLUMNS: Final = frozenset({"network_return_date"})
_NETWORK_SERVICE_COLUMNS: Final = frozenset(
    {"last_network_service", "last_network_service_mileage"}
)


OWNER_FIRST_MAINTENANCE_COLUMNS: Final = frozenset(
    {"first_maintenance", "return_date", "network_return_date", "returned_after_first_maintenance"}
)
"""The customer columns of ``owner_first_maintenance``."""

OWNER_FIRST_MAINTENANCE_READS: Final = frozenset(
    {"owner", "owned_since", "first_maintenance", "return_date", "network_return_date"}
)
"""The vehicle columns ``owner_first_maintenance`` rolls up."""


def owner_first_maintenance(
    vehicles: Mapping[str, NDArray[Any]], n_customers: int
) -> dict[str, NDArray[Any]]:
    """The loyalty category of each customer, rolled up from the vehicles they own.

    A vehicle counts for its owner on ``as_of`` when it had its first maintenance while
    they owned it (the ownership started no later than that day): the category asks
    whether the customer who brought the car to its first maintenance comes back, and a
    second-hand buyer did not. Per customer, over the vehicles that count:

    * ``first_maintenance``: the earliest first maintenance (NaT when none counts);
    * ``return_date``: the earliest return to the first-maintenance dealer (NaT for none);
    * ``returned_after_first_maintenance``: whether there is one, so a customer is loyal
      when any vehicle of theirs is;
    * ``network_return_date``: the earliest return to any dealer of the network.
    """
    owner = vehicles["owner"]
    first = vehicles["first_maintenance"].view(np.int64)
    since = vehicles["owned_since"].view(np.int64)
    counts = np.flatnonzero((owner >= 0) & (first != NAT) & (since != NAT) & (since <= first))
    whose = owner[counts]
    out: dict[str, NDArray[Any]] = {}
    for name in ("first_maintenance", "return_date", "network_return_date"):
        values = vehicles[name].view(np.int64)[counts]
        earliest = np.full(n_customers, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(earliest, whose[values != NAT], values[values != NAT])
        earliest[earliest == np.iinfo(np.int64).max] = NAT
        out[name] = dates(earliest)
    out["returned_after_first_maintenance"] = ~np.isnat(out["return_date"])
    return out
