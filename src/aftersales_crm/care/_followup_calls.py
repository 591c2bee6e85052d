"""The 3DC and 7DC follow-up calls after each delivery (售出后的3DC7DC回访)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, OneOf, SubsetOf, Whole, validate_params
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.calendars import add_business_days
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._maintenance import _near
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
        deliveries = [d for d in _DELIVERIES if d in params["after"]]
        parts = []
        for delivery in deliveries:
            deliveries_of = self._services if delivery == "service" else self._sales
            customer, vehicle, day, source = inputs.memo(
                ("follow_up_calls", delivery), functools.partial(deliveries_of, inputs)
            )
            for purpose, days in FOLLOW_UP_DAYS.items():
                if purpose.value not in params["calls"]:
                    continue
                due = inputs.memo(
                    ("follow_up_calls", delivery, params["clock"], days),
                    functools.partial(_due, day, days, params["clock"], inputs),
                )
                window = np.timedelta64(params["window_days"], "D")
                near = _near(inputs, due, params["window_days"])
                keep = near[inputs.meets(due[near], due[near] + window)]
                end = due[keep] + window
                vins = inputs.texts("vehicles", "vin")
                parts.append(
                    CareTasks._trusted(
                        FOLLOW_UP_KINDS[purpose],
                        _REASONS[(delivery, params["clock"])],
                        customer=Texts(customer[keep].astype(np.int64), inputs.customer_ids),
                        vehicle=Texts(vehicle[keep].astype(np.int64), vins),
                        due=due[keep],
                        window_end=end,
                        channel=CHANNELS.index(ContactChannel(params["channel"])),
                        priority=params["priority"],
                        detail=days,
                        anchor=day[keep],
                        source=Texts(
                            source[keep].astype(np.int64),
                            inputs.texts("orders") if delivery == "service" else vins,
                        ),
                        source_table="orders" if delivery == "service" else "vehicles",
                    )
                )
        return CareTasks.concat(parts)

    @staticmethod
    def _services(inputs: CareInputs) -> tuple[NDArray[Any], ...]:
        """Customer, vehicle, delivery day and order (rows) of every order closed by ``as_of``."""
        orders = inputs.tables.orders
        rows = np.flatnonzero(inputs.known("orders", "closed_at"))
        day = inputs.table_days("orders", "closed_at")[rows]
        return orders["customer"][rows], orders["vehicle"][rows], day, rows

    @staticmethod
    def _sales(inputs: CareInputs) -> tuple[NDArray[Any], ...]:
        """Customer, vehicle, delivery day and vehicle (rows) of every vehicle sold by ``as_of``.

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
        return ownerships["customer"][rows], vehicle_rows, bought[vehicle_rows], vehicle_rows
