"""The 3DC and 7DC follow-up calls after each delivery (售出后的3DC7DC回访)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, OneOf, SubsetOf, Whole, validate_params
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.calendars import add_business_days
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._rule import TASK_PARAMETERS, care_inputs
from aftersales_crm.care._tasks import CHANNELS, CareTasks, Reason, TaskKind, Texts
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactChannel, ContactPurpose

__all__ = ["FOLLOW_UP_KINDS", "FollowUpCalls"]

FOLLOW_UP_KINDS: Final[Mapping[ContactPurpose, TaskKind]] = MappingProxyType(
    {
        purpose: TaskKind(
            purpose.value,
            f"{days}-day follow-up call ({days}DC)",
            purpose.label("zh"),
            purpose=purpose,
            closes_from="anchor",
        )
        for purpose, days in FOLLOW_UP_DAYS.items()
    }
)
"""The task kinds of the follow-up calls, one per call of
[`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS]: ``follow_up_3d`` (三日回访) and
``follow_up_7d`` (七日回访). A call of the same purpose that reached the customer, made
after the delivery (however early), closes the task.

Examples:
    >>> [kind.name for kind in FOLLOW_UP_KINDS.values()]
    ['follow_up_3d', 'follow_up_7d']
"""

_REASONS: Final[Mapping[tuple[str, str], Reason]] = MappingProxyType(
    {
        ("service", "calendar"): Reason(
            "follow-up call {detail} days after the service delivered on {anchor}",
            "{anchor}维修保养交车后第{detail}天回访",
        ),
        ("service", "business"): Reason(
            "follow-up call {detail} working days after the service delivered on {anchor}",
            "{anchor}维修保养交车后第{detail}个工作日回访",
        ),
        ("sale", "calendar"): Reason(
            "follow-up call {detail} days after the new vehicle was delivered on {anchor}",
            "{anchor}新车交付后第{detail}天回访",
        ),
        ("sale", "business"): Reason(
            "follow-up call {detail} working days after the new vehicle was delivered on {anchor}",
            "{anchor}新车交付后第{detail}个工作日回访",
        ),
    }
)

_DELIVERIES: Final = ("service", "sale")


def _due(
    day: NDArray[np.datetime64], days: int, clock: str, inputs: CareInputs
) -> NDArray[np.datetime64]:
    """``days`` calendar or working days after each delivery day."""
    if clock == "business":
        return add_business_days(day, days, calendar=inputs.calendar)
    due: NDArray[np.datetime64] = (day + np.timedelta64(days, "D")).astype("datetime64[D]")
    return due


_CLOCKS: Final = ("calendar", "business")


class FollowUpCalls(BasePolicy):
    """The 3-day and 7-day follow-up calls after each delivery (3DC, 7DC).

    《信息回访员基础培训分析报告》 lists, among the care woven into the workflow,
    "售出后的3DC7DC回访" (the 3DC and 7DC calls after the sale). The days are
    [`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS], the one home of the rule that the
    synthetic generator reads too. A delivery is a repair order closed by ``as_of``
    (``"service"``), or a new vehicle the network sold, delivered on its purchase date to
    the customer who owned it that day (``"sale"``). Each call is due ``days`` after the
    delivery day (in the dealers' time zone), counted in calendar days or, with
    ``clock="business"``, in working days of the calendar (a delivery on a day off counts
    from the working day before it), and may be made up to ``window_days`` later.

    Attributes:
        calls: which calls to make (default both: ``"follow_up_3d"``, ``"follow_up_7d"``).
        after: the deliveries that get them (default ``("service", "sale")``).
        clock: ``"calendar"`` (default) or ``"business"`` days.
        window_days: days after the due day the call may still be made (default 2, the
            library's choice: a call that could not reach the customer on its day is tried
            on the next two, before the 7DC call comes round).
        channel: the suggested channel (default ``"phone"``: the material's calls).
        priority: the tasks' priority (default 50).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(40, seed=1), start=date(2026, 6, 20),
        ...                        end=date(2026, 6, 30))
        >>> tasks = FollowUpCalls().plan(inputs)
        >>> sorted(tasks.counts())
        ['follow_up_3d', 'follow_up_7d']
        >>> bool(((tasks.due - tasks.anchor).astype(int) <= 7).all())
        True
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False
    reads_vehicles: ClassVar[frozenset[str]] = frozenset()
    """No vehicle feature: the calls read the tables ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    CALLS: ClassVar[tuple[str, ...]] = tuple(purpose.value for purpose in FOLLOW_UP_DAYS)
    """Both calls, 3DC and 7DC."""

    WINDOW_DAYS: ClassVar[int] = 2
    """Two more days for a call that could not be made on its day: the library's choice."""

    PRIORITY: ClassVar[int] = 50
    """The follow-up calls' priority: the library's choice, the middle of the scale the
    built-in rules share (reminders that lose the customer a free service rank above)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "calls": SubsetOf(CALLS, what="follow-up calls"),
        "after": SubsetOf(_DELIVERIES, what="deliveries"),
        "clock": OneOf(_CLOCKS),
        "window_days": Whole(low=0, high=60, unit="days"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        calls: tuple[str, ...] = CALLS,
        after: tuple[str, ...] = _DELIVERIES,
        clock: str = "calendar",
        window_days: int = WINDOW_DAYS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.calls = calls
        self.after = after
        self.clock = clock
        self.window_days = window_days
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The follow-up calls whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        window = np.timedelta64(params["window_days"], "D")
        vins = inputs.texts("vehicles", "vin")
        parts = []
        for delivery in [d for d in _DELIVERIES if d in params["after"]]:
            day, columns = self._services(inputs) if delivery == "service" else self._sales(inputs)
            for purpose, days in FOLLOW_UP_DAYS.items():
                if purpose.value not in params["calls"]:
                    continue
                # Only the deliveries on the days whose call meets the days asked for are
                # read: a pass over the delivery days, not a due day per delivery.
                first, last = _delivery_days(inputs, day, days, params["clock"], window)
                near = np.flatnonzero((day >= first) & (day <= last))
                due = _due(day[near], days, params["clock"], inputs)
                met = inputs.meets(due, due + window)
                keep, due = near[met], due[met]
                customer, vehicle, source = columns(keep)
                parts.append(
                    CareTasks._trusted(
                        FOLLOW_UP_KINDS[purpose],
                        _REASONS[(delivery, params["clock"])],
                        customer=Texts(customer.astype(np.int64), inputs.customer_ids),
                        vehicle=Texts(vehicle.astype(np.int64), vins),
                        due=due,
                        window_end=due + window,
                        channel=CHANNELS.index(ContactChannel(params["channel"])),
                        priority=params["priority"],
                        detail=days,
                        anchor=day[keep],
                        source=Texts(
                            source.astype(np.int64),
                            inputs.texts("orders") if delivery == "service" else vins,
                        ),
                        source_table="orders" if delivery == "service" else "vehicles",
                    )
                )
        return CareTasks.concat(parts)

    @staticmethod
    def _services(inputs: CareInputs) -> tuple[NDArray[np.datetime64], _Columns]:
        """Every order's delivery day, and the customer, vehicle and order (rows) of orders.

        The day is NaT for an order open on ``as_of`` (or closed after it).
        """
        day = inputs.memo(
            ("follow_up_calls", "service"),
            lambda: np.where(
                inputs.known("orders", "closed_at"), inputs.table_days("orders", "closed_at"), _NAT
            ),
            for_planning=True,
        )
        orders = inputs.tables.orders

        def columns(rows: NDArray[np.intp]) -> tuple[NDArray[Any], ...]:
            return orders["customer"][rows], orders["vehicle"][rows], rows

        return day, columns

    @staticmethod
    def _sales(inputs: CareInputs) -> tuple[NDArray[np.datetime64], _Columns]:
        """The delivery day of each vehicle sold by ``as_of``, and the columns of sales.

        The customer is the one who owned the vehicle on its purchase date.
        """
        customer, vehicle, day = inputs.memo(
            ("follow_up_calls", "sale"), functools.partial(_sold, inputs), for_planning=True
        )

        def columns(rows: NDArray[np.intp]) -> tuple[NDArray[Any], ...]:
            return customer[rows], vehicle[rows], vehicle[rows]

        return day, columns


_Columns = Callable[[NDArray[np.intp]], tuple[NDArray[Any], ...]]
"""The customer, vehicle and source rows of some deliveries."""

_NAT: Final = np.datetime64("NaT", "D")


def _sold(inputs: CareInputs) -> tuple[NDArray[Any], ...]:
    """Customer, vehicle (rows) and delivery day of every vehicle sold by ``as_of``.

    The customer is the one who owned the vehicle on its purchase date.
    """
    tables = inputs.tables
    vehicles, ownerships = tables.vehicles, tables.ownerships
    bought = vehicles["purchase_date"]
    owned = ownerships["vehicle"]
    on = bought[owned]
    start, end = ownerships["start"], ownerships["end"]
    covers = (start <= on) & (np.isnat(end) | (end > on))
    sold = vehicles["sold_here"][owned] & (on <= inputs.as_of_day)
    rows = np.flatnonzero(covers & sold & ~np.isnat(on))
    vehicle_rows = owned[rows]
    return ownerships["customer"][rows], vehicle_rows, bought[vehicle_rows]


def _delivery_days(
    inputs: CareInputs,
    day: NDArray[np.datetime64],
    days: int,
    clock: str,
    window: np.timedelta64,
) -> tuple[np.datetime64, np.datetime64]:
    """The first and last delivery day whose call, ``days`` after it, meets the days asked for.

    Every day from the earliest delivery to the latest gets its call's due day once (a
    few thousand days, not one per delivery); the deliveries between the two days found
    hold every one whose call meets the days (NaT and NaT: none does).
    """
    known = ~np.isnat(day)
    if not known.any():
        return _NAT, _NAT
    raw = day.view(np.int64)
    # NaT is int64's least: never the latest day, left out of the earliest.
    low = int(raw.min(where=known, initial=np.iinfo(np.int64).max))
    span = np.arange(low, int(raw.max()) + 1).astype("datetime64[D]")
    due = _due(span, days, clock, inputs)
    met = span[inputs.meets(due, due + window)]
    return (met[0], met[-1]) if len(met) else (_NAT, _NAT)
