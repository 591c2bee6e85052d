"""Maintenance reminders: the first maintenance, then routine maintenance.

The first maintenance is reminded before its free window closes, routine maintenance by
time or estimated mileage, whichever comes first.

《信息回访员基础培训分析报告》 plans long-term care that includes "主动预约的实现" (making
proactive appointments happen) and "对车辆按日期的追踪和关怀" (tracking and caring for
vehicles by date). Dates are always counted from the original anchor (the purchase, the
last service) with whole calendar months, never by chaining one step onto the last, so a
service due on the 31st stays on the month's last day and February is never skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import (
    Constraint,
    Number,
    Numbers,
    OrNone,
    Whole,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._reminders import (
    KM_REACHED_READS,
    NAT,
    add_months_each,
    days_after,
    km_reached,
    may_meet,
    vehicle_tasks,
)
from aftersales_crm.care._rule import (
    TASK_PARAMETERS,
    care_inputs,
)
from aftersales_crm.care._tasks import CareTasks, Reason, TaskKind
from aftersales_crm.features import SERVICE_KM, SERVICE_MONTHS, add_months, service_due
from aftersales_crm.values import ContactChannel, ContactPurpose, Material, Quote

__all__ = [
    "CARE_BY_DATE",
    "FIRST_MAINTENANCE_DUE",
    "MAINTENANCE_DUE",
    "FirstMaintenanceDue",
    "HandOver",
    "MaintenanceDue",
]

CARE_BY_DATE: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "对车辆按日期的追踪和关怀",
    "tracking and caring for vehicles by date",
)
"""The material's long-term care by the vehicle's dates, the ground of the maintenance
reminders."""

FIRST_MAINTENANCE_DUE: Final = TaskKind(
    "first_maintenance_due",
    "first maintenance reminder",
    "首保提醒",
    purpose=ContactPurpose.REMINDER,
    closed_by=(ContactPurpose.REMINDER, ContactPurpose.APPOINTMENT),
    closes_from="window",
)
"""The reminder of the free first maintenance (首保); a reminder or an appointment that
reached the customer in a reminder's window closes it, and the first-maintenance visit
itself ends the reminders (the rule stops making them)."""

MAINTENANCE_DUE: Final = TaskKind(
    "maintenance_due",
    "maintenance reminder",
    "保养提醒",
    purpose=ContactPurpose.REMINDER,
    closed_by=(ContactPurpose.REMINDER, ContactPurpose.APPOINTMENT),
    closes_from="window",
)
"""The reminder of routine maintenance (保养); a reminder or an appointment that reached the
customer in a touch's window closes that touch, and a service visit moves the due day
(the rule counts from the new visit)."""

_MAX_KM: Final = 1_000_000


class _ModelIntervals(Constraint):
    """``((model, months, km or None), ...)``: the interval of some models."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return (
            "expected (model, months, km) triples: a model name, whole months from 1 to 120"
            " and km above 0 or None, each model once"
        )

    def check(
        self, value: Any, params: Mapping[str, Any]
    ) -> tuple[tuple[str, int, float | None], ...]:
        """``value`` as a tuple of triples."""
        if isinstance(value, str) or not isinstance(value, tuple | list):
            raise Broken(self.rule)
        out = []
        for item in value:
            if not isinstance(item, tuple | list) or len(item) != len(("model", "months", "km")):
                raise Broken(self.rule)
            model, months, km = item
            try:
                months = Whole(low=1, high=120).check(months, params)
                km = OrNone(Number(above=0, high=_MAX_KM)).check(km, params)
            except Broken:
                raise Broken(self.rule) from None
            if not isinstance(model, str) or not model:
                raise Broken(self.rule)
            out.append((model, months, km))
        if len({model for model, _, _ in out}) != len(out):
            raise Broken(self.rule)
        return tuple(out)


_INTERVAL: Final[Mapping[str, Constraint]] = {
    "months": Whole(low=1, high=120, unit="months"),
    "km": OrNone(Number(above=0, high=_MAX_KM, unit="km")),
    "models": _ModelIntervals(),
}
"""The constraints of the interval parameters of the maintenance reminders."""


def _intervals(
    inputs: CareInputs,
    months: int,
    km: float | None,
    models: tuple[tuple[str, int, float | None], ...],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each vehicle's interval in months, and in km (NaN for none): its model's, else the default."""
    vehicles = inputs.tables.vehicles
    names = vehicles.labels.get("model", ())
    by_model = {model: (m, k) for model, m, k in models}
    month_of = np.array([by_model.get(name, (months, km))[0] for name in names] + [months])
    km_of = np.array(
        [np.nan if (k := by_model.get(name, (months, km))[1]) is None else k for name in names]
        + [np.nan if km is None else km],
        dtype=np.float64,
    )
    code = np.asarray(vehicles["model"], dtype=np.int64)
    code = np.where(code < 0, len(names), code)
    return month_of[code].astype(np.int64), km_of[code]


class HandOver(NamedTuple):
    """The vehicles a maintenance cadence hands over to win-back ([`MaintenanceDue.hand_over`][aftersales_crm.care.MaintenanceDue.hand_over]).

    Examples:
        >>> HandOver._fields
        ('rows', 'day', 'target', 'reason', 'detail', 'anchor')
    """

    rows: NDArray[np.intp]
    """The vehicle rows."""
    day: NDArray[np.datetime64]
    """The day of the hand-over: the day after the last touch's window ends."""
    target: NDArray[np.datetime64]
    """The due day the reminders were about."""
    reason: NDArray[np.int64]
    """Which limb made the due day: 0 time, 1 mileage."""
    detail: NDArray[np.int64]
    """The interval, in months or km as the limb says."""
    anchor: NDArray[np.datetime64]
    """The last service."""


_HAND_OVER_TYPES: Final = (
    np.intp,
    "datetime64[D]",
    "datetime64[D]",
    np.int64,
    np.int64,
    "datetime64[D]",
)


class _Cadence(NamedTuple):
    """A rule's reminders of every vehicle, before the days asked for narrow them."""

    rows: NDArray[np.intp]
    """The vehicle rows."""
    touches: tuple[tuple[NDArray[np.intp], NDArray[np.datetime64], NDArray[np.datetime64]], ...]
    """Per touch: the positions in ``rows`` that have it, its due day and its window end."""
    longest: tuple[int, ...]
    """Per touch, the most days a window runs past its due day."""
    target: NDArray[np.datetime64]
    reason: NDArray[np.int64]
    detail: NDArray[np.int64]
    anchor: NDArray[np.datetime64]


def _cadence(
    rows: NDArray[np.intp],
    touch: list[NDArray[np.datetime64]],
    after: NDArray[np.datetime64],
    earliest: NDArray[np.datetime64],
    **columns: NDArray[Any],
) -> _Cadence:
    """Each touch, open until the day before the next (the last until before ``after``).

    Touches without a day of their own, or before ``earliest``, are left out.
    """
    touches = []
    for k, due in enumerate(touch):
        following = touch[k + 1] if k + 1 < len(touch) else after
        end = following - np.timedelta64(1, "D")
        has = np.flatnonzero(~np.isnat(due) & (due <= end) & (due >= earliest))
        touches.append((has, due[has], end[has].astype("datetime64[D]")))
    longest = tuple(
        int((end.view(np.int64) - due.view(np.int64)).max()) if len(due) else 0
        for _, due, end in touches
    )
    return _Cadence(rows, tuple(touches), longest, **columns)


def _touches(
    kind: TaskKind,
    reasons: tuple[Reason, ...],
    inputs: CareInputs,
    cadence: _Cadence,
    params: Mapping[str, Any],
) -> CareTasks:
    """The touches of ``cadence`` whose window meets the days of ``inputs``, touch by touch.

    Each touch gives the positions of its tasks; the tasks are built once, for all of them.
    """
    which, due, end = [], [], []
    for (has, touch_due, touch_end), longest in zip(cadence.touches, cadence.longest, strict=True):
        near = may_meet(inputs, touch_due, longest)
        keep = near[inputs.meets(touch_due[near], touch_end[near])]
        which.append(has[keep])
        due.append(touch_due[keep])
        end.append(touch_end[keep])
    at = np.concatenate([np.empty(0, np.intp), *which])
    return CareTasks._trusted(
        kind,
        reasons,
        due=np.concatenate([np.empty(0, "datetime64[D]"), *due]),
        window_end=np.concatenate([np.empty(0, "datetime64[D]"), *end]),
        target=cadence.target[at],
        reason=cadence.reason[at],
        detail=cadence.detail[at],
        anchor=cadence.anchor[at],
        **vehicle_tasks(inputs, cadence.rows[at], params),
    )


class FirstMaintenanceDue(BasePolicy):
    """Remind owners of the free first maintenance (首保) before its window closes.

    The free first maintenance must be done within ``months`` calendar months of the
    purchase or before ``km`` km, whichever comes first; missing the window usually
    forfeits the free service. The km limb is dated with the vehicle's estimated km a day
    (the features' mileage model): ``ceil((km - reading) / km_per_day)`` days after its
    latest odometer reading (a visit before the first maintenance), or
    ``ceil(km / km_per_day)`` days after the purchase without one. Each
    vehicle owned by a customer on ``as_of``, bought by then and without a first
    maintenance yet, gets a reminder ``reminders`` days before the window closes (30 and
    7 by default), each open until the next (the last until the window closes). Which
    limb closes the window shows in the reason and [`CareTasks.detail`][aftersales_crm.care.CareTasks] (months, or
    km).

    Attributes:
        months: the window in calendar months after the purchase (default 6).
        km: the window in km, or None for time only (default 5,000).
        models: ``(model, months, km)`` triples for the models whose window differs.
        reminders: days before the window closes to remind (default ``(30, 7)``).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 70).

    The defaults, 6 months or 5,000 km, are the upper end of the first-maintenance
    windows PCauto's maintenance pages give for family cars (about 3 to 6 months, 3,000 to
    5,000 km, pcauto.com.cn), and the routine interval of
    [`SERVICE_MONTHS`][aftersales_crm.features.SERVICE_MONTHS] and
    [`SERVICE_KM`][aftersales_crm.features.SERVICE_KM]: set each model's own with ``models``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(200, seed=3), start=date(2026, 6, 1),
        ...                        end=date(2026, 8, 31))
        >>> tasks = FirstMaintenanceDue().plan(inputs)
        >>> bool((tasks.target >= tasks.due).all()), sorted(set(tasks.detail.tolist()))
        (True, [5000])
        >>> sorted(set(FirstMaintenanceDue(km=None).plan(inputs).detail.tolist()))  # by time only
        [6]
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False

    reads_vehicles: ClassVar[frozenset[str]] = (
        frozenset({"owner", "first_maintenance"}) | KM_REACHED_READS
    )
    """The vehicle features the rule reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    MONTHS: ClassVar[int] = SERVICE_MONTHS
    """Six months after the purchase (see the class)."""

    KM: ClassVar[int] = SERVICE_KM
    """Or 5,000 km, whichever comes first (see the class)."""

    REMINDERS: ClassVar[tuple[int, ...]] = (30, 7)
    """A month before the window closes, time to book; a week before, the last call: the
    library's choice."""

    PRIORITY: ClassVar[int] = 70
    """Above the follow-up calls (50): a missed first maintenance loses the customer a free
    service, and the dealer the visit the loyalty category is measured from."""

    REASONS: ClassVar[tuple[Reason, ...]] = (
        Reason(
            "the free first maintenance ends {target}, {detail} months after the purchase on {anchor}",
            "首保免费期于{target}结束(购车{anchor}后{detail}个月)",
        ),
        Reason(
            "the free first maintenance ends about {target}, at {detail} km driven since the"
            " purchase on {anchor} (estimated)",
            "预计{target}前后行驶满{detail}公里,首保免费期结束(购车日{anchor})",
        ),
    )
    """Why: the window closes by time (months), or by mileage (km)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        **_INTERVAL,
        "reminders": Numbers(low=0, high=3650, order="decreasing", whole=True, unit="days"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        months: int = MONTHS,
        km: float | None = KM,
        models: tuple[tuple[str, int, float | None], ...] = (),
        reminders: tuple[int, ...] = REMINDERS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.months = months
        self.km = km
        self.models = models
        self.reminders = reminders
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The first-maintenance reminders whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        key = (
            "first_maintenance_due",
            *(params[n] for n in ("months", "km", "models", "reminders")),
        )
        cadence = inputs.memo(key, lambda: self._cadence(inputs, params), for_planning=True)
        return _touches(FIRST_MAINTENANCE_DUE, self.REASONS, inputs, cadence, params)

    @staticmethod
    def _cadence(inputs: CareInputs, params: Mapping[str, Any]) -> _Cadence:
        vehicles = inputs.vehicles
        bought = inputs.tables.vehicles["purchase_date"]
        owner = vehicles["owner"]
        rows = np.flatnonzero(
            (owner >= 0)
            & np.isnat(vehicles["first_maintenance"])
            & ~np.isnat(bought)
            & (bought <= inputs.as_of_day)
        )
        months, km = _intervals(inputs, params["months"], params["km"], params["models"])
        months, km, bought = months[rows], km[rows], bought[rows]
        by_time = add_months_each(bought, months)
        by_km = km_reached(inputs, rows, bought, km)
        reach = ~np.isnat(by_km) & (by_km < by_time)
        deadline = np.where(reach, by_km, by_time)
        touch = [
            np.maximum(deadline - np.timedelta64(d, "D"), bought + np.timedelta64(1, "D"))
            for d in params["reminders"]
        ]
        return _cadence(
            rows,
            touch,
            days_after(deadline, 1),
            days_after(bought, 1),
            target=deadline,
            reason=reach.astype(np.int64),
            detail=np.where(reach, km, months).astype(np.int64),
            anchor=bought,
        )


class MaintenanceDue(BasePolicy):
    """Remind owners of routine maintenance by time or estimated mileage, whichever first.

    A vehicle's next service falls due ``months`` calendar months after its last
    workshop service at its dealer, or when its estimated odometer reaches the reading of
    that service plus ``km``, whichever comes first
    ([`service_due`][aftersales_crm.features.service_due], the rule the features'
    ``service_due`` column follows); a model of ``models`` has its own interval. The
    reminders follow a cadence of ``cadence`` months around the due day (two months and
    one month before, on it, and a month after by default), each counted from the
    original anchor: by time, touch ``k`` is the last service plus ``months + k`` months;
    by mileage, the due day plus ``k`` months. Each touch stays open until the next, the
    last until the day before the next would have fallen; on that day the vehicle is
    handed over to win-back ([`hand_over`][aftersales_crm.care.MaintenanceDue.hand_over]): [`WinBack`][aftersales_crm.care.WinBack]
    calls its owner once, and its reminders stop (a customer who does not come is
    swinging, then lost: [`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus]). Which
    limb made the due day shows in the reason and [`CareTasks.detail`][aftersales_crm.care.CareTasks] (months, or
    km). No reminder falls in the month after the service itself (a touch that would is
    left out: the customer has just been). A vehicle without a service yet is the first
    maintenance's ([`FirstMaintenanceDue`][aftersales_crm.care.FirstMaintenanceDue]).

    Attributes:
        months: the interval in calendar months (default 6,
            [`SERVICE_MONTHS`][aftersales_crm.features.SERVICE_MONTHS]).
        km: the interval in km, or None for time only (default 5,000,
            [`SERVICE_KM`][aftersales_crm.features.SERVICE_KM]).
        models: ``(model, months, km)`` triples for the models whose interval differs.
        cadence: months from the due day of each reminder, strictly increasing (default
            ``(-2, -1, 0, 1)``, the library's choice).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 60).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(60, seed=1), start=date(2026, 6, 1),
        ...                        end=date(2026, 6, 30))
        >>> tasks = MaintenanceDue().plan(inputs)
        >>> tasks.counts()["maintenance_due"] > 0, bool((tasks.anchor < tasks.due).all())
        (True, True)
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False

    reads_vehicles: ClassVar[frozenset[str]] = frozenset(
        {"owner", "last_service", "km_per_day", "last_service_mileage"}
    )
    """The vehicle features the rule and its hand-over read
    ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    CADENCE: ClassVar[tuple[int, ...]] = (-2, -1, 0, 1)
    """Two months and one month before, on the due day, and a month after: the library's
    choice, enough notice to book and one call after before win-back takes over."""

    PRIORITY: ClassVar[int] = 60
    """Between the follow-up calls (50) and the first maintenance (70): the library's choice."""

    REASONS: ClassVar[tuple[Reason, ...]] = (
        Reason(
            "maintenance due {target}, {detail} months after the last service on {anchor}",
            "上次保养{anchor}后{detail}个月,{target}到期保养",
        ),
        Reason(
            "maintenance due about {target}, at {detail} km driven since the last service on"
            " {anchor} (estimated)",
            "预计{target}前后行驶满{detail}公里到期保养(上次保养{anchor})",
        ),
    )
    """Why: the service falls due by time (months), or by mileage (km)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        **_INTERVAL,
        "cadence": Numbers(low=-24, high=24, order="increasing", whole=True, unit="months"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        months: int = SERVICE_MONTHS,
        km: float | None = SERVICE_KM,
        models: tuple[tuple[str, int, float | None], ...] = (),
        cadence: tuple[int, ...] = CADENCE,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.months = months
        self.km = km
        self.models = models
        self.cadence = cadence
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The maintenance reminders whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        cadence = self._memo(inputs, params)
        return _touches(MAINTENANCE_DUE, self.REASONS, inputs, cadence, params)

    def hand_over(self, inputs: CareInputs) -> HandOver:
        """The vehicles handed over to win-back: the day after each last touch's window.

        Every vehicle whose cadence has a last touch (a reminder ``cadence[-1]`` months
        from the due day) is handed over the day after that touch's window ends, the day
        the next touch would have fallen on: by time, the last service plus ``months +
        cadence[-1] + 1`` months; by mileage, the due day plus ``cadence[-1] + 1`` months.
        A service visit moves the due day, and with it the hand-over: what is handed over
        on a day is a vehicle that had no service since the reminders began. The rows are
        those of every vehicle, whatever days are asked for (the caller filters), computed
        once per inputs and shared with [`plan`][aftersales_crm.care.MaintenanceDue.plan].

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import CareInputs
            >>> inputs = CareInputs.of(synthetic.book(60, seed=1), start=date(2026, 6, 1))
            >>> handed = MaintenanceDue().hand_over(inputs)
            >>> bool((handed.day > handed.target).all()), len(handed.rows) > 0
            (True, True)
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        cadence = self._memo(inputs, params)
        if not cadence.touches:
            return HandOver(*(np.empty(0, dtype=t) for t in _HAND_OVER_TYPES))
        has, _, end = cadence.touches[-1]
        return HandOver(
            rows=cadence.rows[has],
            day=days_after(end, 1),
            target=cadence.target[has],
            reason=cadence.reason[has],
            detail=cadence.detail[has],
            anchor=cadence.anchor[has],
        )

    def _memo(self, inputs: CareInputs, params: Mapping[str, Any]) -> _Cadence:
        key = ("maintenance_due", *(params[n] for n in ("months", "km", "models", "cadence")))
        return inputs.memo(key, lambda: self._cadence(inputs, params), for_planning=True)

    @staticmethod
    def _cadence(inputs: CareInputs, params: Mapping[str, Any]) -> _Cadence:
        vehicles = inputs.vehicles
        owner = vehicles["owner"]
        last = vehicles["last_service"]
        rows = np.flatnonzero((owner >= 0) & ~np.isnat(last))
        months, km = _intervals(inputs, params["months"], params["km"], params["models"])
        months, km, last = months[rows], km[rows], last[rows]
        by_time = add_months_each(last, months)
        due = np.full(len(rows), NAT)
        settings = {(params["months"], params["km"])} | {(m, k) for _, m, k in params["models"]}
        for step, distance in sorted(settings, key=repr):
            same = (months == step) & (np.isnan(km) if distance is None else km == distance)
            due[same] = service_due(
                last[same],
                vehicles["km_per_day"][rows][same],
                vehicles["last_service_mileage"][rows][same],
                months=int(step),
                km=distance,
            )
        by_km = due < by_time
        # Each touch (and the day after the last one's window) by mileage from the due
        # day, by time from the last service: every step dated in one go, (steps, vehicles).
        steps = np.array([*params["cadence"], params["cadence"][-1] + 1])[:, None]
        shifted = np.where(
            by_km, add_months_each(due, steps), add_months_each(last, months + steps)
        )
        return _cadence(
            rows,
            list(shifted[:-1]),
            shifted[-1],
            add_months(last, 1),
            target=due,
            reason=by_km.astype(np.int64),
            detail=np.where(by_km, np.nan_to_num(km), months).astype(np.int64),
            anchor=last,
        )
