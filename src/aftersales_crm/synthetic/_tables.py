"""The assembly: the draws, in their fixed order, into checked [`Tables`][aftersales_crm.tables.Tables]."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, whole_number
from aftersales_crm._frozen import frozen_reduce
from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._activities import draw_activities
from aftersales_crm.synthetic._draws import (
    BRANDS,
    draw_customers,
    draw_dealers,
    draw_lines,
    draw_orders,
    draw_parts_replaced,
    draw_preferences,
    draw_spend_propensity,
    draw_vehicles,
    first_visits,
)
from aftersales_crm.synthetic._members import draw_club
from aftersales_crm.tables import SCHEMAS, Table, Tables

__all__ = ["SyntheticColumns", "columns", "tables"]


@attrs.frozen(eq=False)
class SyntheticColumns:
    """A drawn synthetic base: its [`Tables`][aftersales_crm.tables.Tables] and the model's truths no table carries.

    The tables are the data ([`tables`][aftersales_crm.synthetic.SyntheticColumns.tables]); the truths are the hidden variables the
    draws used, for checking an estimator against what generated the data: each vehicle's
    true kilometres per day and each customer's home dealer.

    Attributes:
        drawn: the tables.
        km_per_day: float64 array of shape (n_vehicles,), each vehicle's true daily
            distance in kilometres, aligned with the vehicles table.
        home_dealer: int64 array of shape (n_customers,), the row of each customer's home
            dealer in the dealers table (where their vehicles are serviced).
        as_of: the day the history ends.

    Examples:
        >>> cols = columns(n_customers=200, seed=3)
        >>> cols.n_customers, len(cols.tables().lines) > len(cols.tables().orders) > 0
        (200, True)
        >>> bool(cols.km_per_day.min() > 0)
        True
    """

    drawn: Tables
    km_per_day: NDArray[np.float64]
    home_dealer: NDArray[np.int64]
    as_of: date

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments."""
        return frozen_reduce(self)

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return len(self.drawn.customers)

    @property
    def currency(self) -> str:
        """The ISO 4217 code of every amount."""
        return self.drawn.currency

    def tables(self) -> Tables:
        """The drawn tables (no copy; [`tables`][aftersales_crm.synthetic.SyntheticColumns.tables] with the same arguments gives equal ones).

        Examples:
            >>> t = columns(n_customers=50, seed=1).tables()
            >>> len(t.customers), t.lines["kind"].dtype
            (50, dtype('int8'))
        """
        return self.drawn


def columns(
    n_customers: int = 1_000,
    *,
    seed: int = 0,
    as_of: date | str = w.DEFAULT_AS_OF,
    n_dealers: int | None = None,
    currency: str = "CNY",
) -> SyntheticColumns:
    """Draw a synthetic customer base: its tables and the model's hidden truths.

    Use [`tables`][aftersales_crm.synthetic.tables] for the tables alone. The arguments are those of [`tables`][aftersales_crm.synthetic.tables].

    Returns:
        The drawn tables with each vehicle's true km/day and each customer's home dealer.

    Raises:
        InvalidValue: as [`tables`][aftersales_crm.synthetic.tables] does.

    Examples:
        >>> cols = columns(n_customers=100, seed=1)
        >>> cols.tables() == tables(n_customers=100, seed=1)
        True
    """
    n_customers = whole_number(n_customers, parameter="n_customers", minimum=0)
    seed = whole_number(seed, parameter="seed", minimum=0)
    as_of = as_of_date(as_of)
    if n_dealers is None:
        n_dealers = min(w.MAX_DEALERS, max(w.MIN_DEALERS, n_customers // w.CUSTOMERS_PER_DEALER))
    n_dealers = whole_number(n_dealers, parameter="n_dealers", minimum=1)
    rng = np.random.default_rng(seed)
    end = np.datetime64(as_of, "D").astype(np.int64)
    dealers = draw_dealers(rng, n_dealers)
    customers = draw_customers(rng, n_customers, dealers, end)
    customers = draw_preferences(np.random.default_rng((seed, w.PREFERENCE_STREAM)), customers)
    vehicles = draw_vehicles(rng, customers, dealers, end)
    orders, visit = draw_orders(rng, vehicles, n_dealers, end)
    propensity = draw_spend_propensity(np.random.default_rng((seed, w.SPEND_STREAM)), n_customers)
    lines = draw_lines(rng, visit, propensity[orders["customer"]])
    lines["parts_replaced"] = draw_parts_replaced(
        np.random.default_rng((seed, w.PARTS_STREAM)), lines["kind"], lines["parts_fen"]
    )
    vehicle_columns = {**vehicles.columns, **first_visits(len(vehicles.dealer), orders)}
    activities, activity_labels = draw_activities(
        np.random.default_rng((seed, w.ACTIVITY_STREAM)),
        customers.columns["id"],
        vehicles.ownerships,
        orders,
        end,
    )
    club = draw_club(
        np.random.default_rng((seed, w.CLUB_STREAM)),
        dealers.columns,
        customers.columns,
        customers.home_dealer,
        vehicles.ownerships,
        end,
    )
    drawn = Tables(
        currency=currency,
        dealers=Table(SCHEMAS["dealers"], dealers.columns),
        chapters=Table(SCHEMAS["chapters"], club.chapters),
        customers=Table(SCHEMAS["customers"], customers.columns),
        vehicles=Table(
            SCHEMAS["vehicles"],
            vehicle_columns,
            {"brand": BRANDS, "model": tuple(m[0] for m in w.MODELS)},
        ),
        ownerships=Table(SCHEMAS["ownerships"], vehicles.ownerships),
        orders=Table(SCHEMAS["orders"], orders),
        lines=Table(SCHEMAS["lines"], lines),
        activities=Table(SCHEMAS["activities"], activities, activity_labels),
        members=Table(SCHEMAS["members"], club.members),
        member_joins=Table(SCHEMAS["member_joins"], club.joins),
        member_transfers=Table(SCHEMAS["member_transfers"], club.transfers),
        member_lapses=Table(SCHEMAS["member_lapses"], club.lapses),
        member_reactivations=Table(SCHEMAS["member_reactivations"], club.reactivations),
    )
    return SyntheticColumns(
        drawn, _read_only(vehicles.km_per_day), _read_only(customers.home_dealer), as_of
    )


def _read_only(array: NDArray[Any]) -> NDArray[Any]:
    array.flags.writeable = False
    return array


def tables(
    n_customers: int = 1_000,
    *,
    seed: int = 0,
    as_of: date | str = w.DEFAULT_AS_OF,
    n_dealers: int | None = None,
    currency: str = "CNY",
) -> Tables:
    """Draw a synthetic customer base as checked tables, fast enough for a million customers.

    The draws write the columns of the tables directly, building no Python object per row
    beyond the text columns: a million customers and about ten million repair-order lines
    take seconds. The club activities customers attended in about the last two years are
    drawn from their own random stream: most customers attend none, a few attend often,
    and those who visit the workshop more attend more (the generator's choice). The owners'
    club has a stream of its own too: one chapter per dealer with the full after-sales
    function, and individual owners applying to their dealer's chapter after their first
    purchase, most joining, some moving to another chapter, lapsing and coming back, so
    that about 55% of the owners are members or applicants at the end. Consents
    and hobbies are drawn only by ``book``; here the consents table is empty and every
    customer's hobbies are ``()``.

    Args:
        n_customers: how many customers.
        seed: the seed of the random generator; the same seed gives equal tables.
        as_of: the day the history ends (a date, not a datetime, or ISO text such as
            ``"2026-06-30"``); nothing happens after it.
        n_dealers: how many dealers; by default one per 2,000 customers, at least 2 and at
            most 200.
        currency: the currency of every amount.

    Returns:
        The tables.

    Raises:
        InvalidValue: ``n_customers`` or ``seed`` is not a whole number >= 0,
            ``n_dealers`` is not a whole number >= 1, or ``as_of`` is neither a date (not a
            datetime) nor ISO date text.

    Examples:
        >>> t = tables(n_customers=100, seed=1)
        >>> import numpy as np
        >>> bool((t.orders["opened_at"] <= np.datetime64("2026-06-30T23:59:59")).all())
        True
        >>> len(t.customers), len(t.consents)
        (100, 0)
        >>> bool((t.activities["on"] < np.datetime64("2026-06-30")).all())
        True
    """
    return columns(
        n_customers, seed=seed, as_of=as_of, n_dealers=n_dealers, currency=currency
    ).drawn
