"""The next service due: by time or by mileage, whichever comes first.

One rule, read by the ``service_due`` vehicle feature, the loyal / swinging / lost status
(:class:`~aftersales_crm.loyalty.ServiceIntervalStatus`) and, later, the care agenda.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import real_number, whole_number
from aftersales_crm.features._calendar import add_months

__all__ = ["SERVICE_KM", "SERVICE_MONTHS", "service_due"]

SERVICE_MONTHS: Final = 6
"""A service every 6 calendar months: the typical Chinese family car (the seed range is
6–12 months)."""

SERVICE_KM: Final = 5_000
"""Or every 5,000 km, whichever comes first (the seed range is 5,000–10,000 km)."""

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
    :func:`add_months` clamps them). By mileage: the day the estimated odometer reaches the
    last reading plus ``km``, ``last_visit + ceil(km / km_per_day)`` days; it applies only
    with a reading at the last visit (``last_mileage``) and a positive rate, and is capped
    at ``31 * months`` days, beyond which the due date by time always comes first.
    ``km=None`` goes by time only. NaT without a visit.

    Args:
        last_visit: ``datetime64[D]`` last visit of each vehicle.
        km_per_day: the estimated km a day of each vehicle.
        last_mileage: the odometer reading at the last visit (NaN without one).
        months: the service interval in calendar months (default 6,
            :data:`SERVICE_MONTHS`).
        km: the service interval in km, or None (default 5,000, :data:`SERVICE_KM`).

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
    last = np.asarray(last_visit, dtype="datetime64[D]")
    due = add_months(last, months)
    if km is None:
        return due
    distance = real_number(km, parameter="km", minimum=0, above=True)
    rate = np.asarray(km_per_day, dtype=np.float64)
    applies = ~np.isnan(np.asarray(last_mileage, dtype=np.float64)) & (rate > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        days = np.minimum(np.ceil(distance / rate), _MONTH_DAYS * months)
    by_km = last + np.where(applies, days, 0).astype(np.int64)
    by_km[~applies] = np.datetime64("NaT")
    due_first: NDArray[np.datetime64] = np.where(by_km < due, by_km, due)  # NaT never less
    return due_first
