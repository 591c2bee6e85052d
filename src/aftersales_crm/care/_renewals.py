"""Renewals and ends: insurance, the annual inspection, the warranty; complaint follow-up, win-back.

The dates a vehicle owner must not miss (insurance renewal, the annual inspection, the
end of the warranty), and the calls that follow a resolved complaint or try to win a lost
customer back.

Every date is counted from the original anchor (the purchase, the last renewal, the
resolution) in whole calendar months ([`add_months`][aftersales_crm.features.add_months]), never by
chaining one step onto the last: a car bought on 29 February has its insurance run out on
28 February of ordinary years and on 29 February of leap years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm._params import (
    Constraint,
    Instance,
    Number,
    Numbers,
    OneOf,
    OrNone,
    Whole,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.care._facts import sort_rows
from aftersales_crm.care._followup import end_of_day_us
from aftersales_crm.care._inputs import OWNED_VEHICLES_READS, CareInputs
from aftersales_crm.care._maintenance import MaintenanceDue
from aftersales_crm.care._reminders import (
    KM_REACHED_READS,
    add_months_each,
    days_after,
    km_reached,
    may_meet,
    vehicle_tasks,
)
from aftersales_crm.care._rule import READS_VEHICLES, TASK_PARAMETERS, care_inputs
from aftersales_crm.care._tasks import CHANNELS, CareTasks, Reason, TaskKind, Texts
from aftersales_crm.complaints import ComplaintLog
from aftersales_crm.features import FeatureTable
from aftersales_crm.features._calendar import month_numbers
from aftersales_crm.loyalty import LoyaltyValueMatrix, Strategy
from aftersales_crm.values import ContactChannel, ContactPurpose, ServiceKind

__all__ = [
    "ANNUAL_INSPECTION",
    "COMPLAINT_FOLLOW_UP",
    "INSPECTION_SCHEDULE",
    "INSURANCE_RENEWAL",
    "WARRANTY_ENDING",
    "WIN_BACK",
    "AnnualInspection",
    "ComplaintFollowUp",
    "InspectionStep",
    "InsuranceRenewal",
    "WarrantyEnding",
    "WinBack",
]

_NAT: Final = np.datetime64("NaT", "D")
_REMINDED: Final = (ContactPurpose.REMINDER, ContactPurpose.APPOINTMENT)


def _reminder(name: str, en: str, zh: str) -> TaskKind:
    """A reminder kind, closed by a reminder or appointment reaching the customer in its window."""
    return TaskKind(
        name, en, zh, purpose=ContactPurpose.REMINDER, closed_by=_REMINDED, closes_from="window"
    )


INSURANCE_RENEWAL: Final = _reminder("insurance_renewal", "insurance renewal reminder", "续保提醒")
"""The reminder that the vehicle's insurance runs out (续保); a reminder or an appointment
that reached the customer in a touch's window closes it, and a renewal sold by the
dealer restarts the year."""

ANNUAL_INSPECTION: Final = _reminder("annual_inspection", "annual inspection reminder", "年检提醒")
"""The reminder of the vehicle's periodic safety inspection (年检); a reminder or an
appointment that reached the customer in a touch's window closes it."""

WARRANTY_ENDING: Final = _reminder("warranty_ending", "warranty ending reminder", "保修到期提醒")
"""The reminder that the vehicle's warranty (包修期) ends; a reminder or an appointment that
reached the customer in a touch's window closes it."""

COMPLAINT_FOLLOW_UP: Final = TaskKind(
    "complaint_follow_up",
    "follow-up call after a complaint",
    "投诉回访",
    purpose=ContactPurpose.FOLLOW_UP,
    closes_from="anchor",
)
"""The call after a complaint was resolved; a follow-up (回访) that reached the customer,
made since the resolution, closes it."""

WIN_BACK: Final = TaskKind(
    "win_back",
    "win-back call",
    "客户赢回",
    purpose=ContactPurpose.SOLICITATION,
    closes_from="window",
    closed_by_visit=True,
)
"""The call to win back a lost customer of high value (招揽); a solicitation that reached
the customer in its window, or a visit, closes it."""

_REMINDERS: Final = Numbers(low=0, high=3650, order="decreasing", whole=True, unit="days")
_KM_LIMIT: Final = 1_000_000


class _ByMonth(NamedTuple):
    """Vehicles by the month of their anchor.

    Those with a deadline near the days are found by bisection, not by reading every
    vehicle each time.
    """

    order: NDArray[np.intp]
    """The positions of the vehicles with an anchor, by month (one month's in position order)."""
    month: NDArray[np.int64]
    """Their months from January 1970, in that order."""


def _by_month(month: NDArray[np.int64], known: NDArray[np.bool_]) -> _ByMonth:
    rows = np.flatnonzero(known)
    order = rows[sort_rows(month[rows])]
    return _ByMonth(order, month[order])


def _months_in(by: _ByMonth, low: int, high: int) -> NDArray[np.intp]:
    """The positions whose anchor's month lies from ``low`` to ``high``, in position order."""
    first = np.searchsorted(by.month, low, side="left")
    return np.sort(by.order[first : np.searchsorted(by.month, high, side="right")])


def _month_number(day: np.datetime64) -> int:
    """Months from January 1970 to ``day``'s month."""
    return int(day.astype("datetime64[M]").astype(np.int64))


def _anchor_months(
    anchor: NDArray[np.datetime64],
) -> tuple[NDArray[np.int64], _ByMonth]:
    """Each anchor's month from January 1970, and the anchors by month."""
    month = month_numbers(anchor)
    return month, _by_month(month, ~np.isnat(anchor))


def _latest(
    index: NDArray[np.integer[Any]], day: NDArray[np.datetime64], n: int
) -> NDArray[np.datetime64]:
    """The latest ``day`` per value of ``index`` (``0 <= index < n``), NaT for none."""
    out = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, index.astype(np.intp), day.astype("datetime64[D]").astype(np.int64))
    latest: NDArray[np.datetime64] = out.astype("datetime64[D]")
    return latest


def _reminder_touches(
    kind: TaskKind,
    reasons: tuple[Reason, ...],
    inputs: CareInputs,
    params: Mapping[str, Any],
    *,
    occasion: NDArray[np.integer[Any]],
    rows: NDArray[np.intp],
    target: NDArray[np.datetime64],
    earliest: NDArray[np.datetime64],
    reason: NDArray[np.int64],
    detail: NDArray[np.int64],
    anchor: NDArray[np.datetime64],
) -> CareTasks:
    """The reminders ``params["reminders"]`` days before each ``target`` that meet the days.

    Each is open until the next, the last until the day before the target; none falls
    before ``earliest``. The arguments hold one slot each: a vehicle (``rows``) and one of
    its deadlines (an expiry, an inspection). Every reminder of every slot is dated at
    once (reminders x slots), and the tasks come by ``occasion``, then by reminder, then
    in slot order.
    """
    # A reminder falls at most ``max(reminders)`` days before its deadline and its window
    # ends before it: only the deadlines from the day after the first day to that many
    # days after the last can have one meeting the days, and only their slots are dated.
    first = np.datetime64(inputs.start, "D") + np.timedelta64(1, "D")
    ahead = max(params["reminders"], default=0)
    last = np.datetime64(inputs.end, "D") + np.timedelta64(ahead, "D")
    near = np.flatnonzero((target >= first) & (target <= last))
    occasion, rows, target = occasion[near], rows[near], target[near]
    earliest, reason, detail, anchor = earliest[near], reason[near], detail[near], anchor[near]
    days_before = np.array(params["reminders"], dtype="timedelta64[D]")[:, None]
    touch = (target[None, :] - days_before).astype("datetime64[D]")
    following = np.concatenate([touch, target[None, :]])[1:]
    end: NDArray[np.datetime64] = (following - np.timedelta64(1, "D")).astype("datetime64[D]")
    made = ~np.isnat(touch) & (touch <= end) & (touch >= earliest[None, :])
    which, slot = np.nonzero(made & inputs.meets(touch, end))
    order = np.lexsort((which, occasion[slot]))  # stable: slot order within a reminder
    which, slot = which[order], slot[order]
    return CareTasks._trusted(
        kind,
        reasons,
        due=touch[which, slot],
        window_end=end[which, slot],
        target=target[slot],
        reason=reason[slot],
        detail=detail[slot],
        anchor=anchor[slot],
        **vehicle_tasks(inputs, rows[slot], params),
    )


class InsuranceRenewal(BasePolicy):
    """Remind owners before their vehicle insurance runs out (续保提醒).

    Vehicle insurance in China (the compulsory 交强险 and the commercial policies) runs a
    year. The dealer knows two facts about it: the purchase (a new car is insured from the
    day it is bought) and the renewals it sold itself (a repair-order line of kind
    ``insurance_renewal``, 保险续保, on an order closed by ``as_of``). Each vehicle owned by
    a customer on ``as_of`` runs out a whole number of years after its anchor: the day of
    its latest renewal sold here, or else its purchase date (its anniversaries), counted
    from the anchor itself (a car bought on 29 February runs out on 28 February of ordinary
    years). Each expiry gets a reminder ``reminders`` days before it (45 and 15 by
    default), each open until the next, the last until the day before the expiry.

    The library counts a year from the day a renewal was sold: a renewal sold three weeks
    before the old policy ran out makes the next reminders come three weeks early, the
    safe side. Renewals sold by others are not facts the dealer has: such a vehicle keeps
    being reminded on its purchase anniversaries.

    Attributes:
        reminders: days before the expiry to remind, decreasing (default ``(45, 15)``).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 55).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(200, seed=3), start=date(2026, 6, 1),
        ...                        end=date(2026, 6, 30))
        >>> tasks = InsuranceRenewal().plan(inputs)
        >>> tasks.counts()["insurance_renewal"] > 0
        True
        >>> bool(((tasks.target - tasks.due).astype(int) <= 45).all())
        True
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False
    reads_vehicles: ClassVar[frozenset[str]] = OWNED_VEHICLES_READS
    """The vehicle features the rule reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    REMINDERS: ClassVar[tuple[int, ...]] = (45, 15)
    """Six weeks before the expiry, when insurers start quoting renewals, and a fortnight
    before, the last call: the library's choice."""

    PRIORITY: ClassVar[int] = 55
    """Between the follow-up calls (50) and the maintenance reminders (60): the library's
    choice (a lapse is the customer's risk, the renewal the dealer's revenue)."""

    REASONS: ClassVar[tuple[Reason, ...]] = (
        Reason(
            "the insurance runs out {target}, the end of year {detail}"
            " after the purchase on {anchor}",
            "车辆保险将于{target}到期(购车{anchor}后第{detail}年)",
        ),
        Reason(
            "the insurance runs out {target}, the end of year {detail}"
            " after the renewal on {anchor}",
            "车辆保险将于{target}到期({anchor}续保后第{detail}年)",
        ),
    )
    """Why: a year (or more) after the purchase, or after the last renewal sold here."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "reminders": _REMINDERS,
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        reminders: tuple[int, ...] = REMINDERS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.reminders = reminders
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The renewal reminders whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        rows, anchor, renewed = inputs.memo(
            ("insurance_renewal",), lambda: self._anchors(inputs), for_planning=True
        )
        ahead = params["reminders"][0]
        month, by = inputs.memo(
            ("insurance_renewal", "month"), lambda: _anchor_months(anchor), for_planning=True
        )
        # A reminder meets the days only if its expiry falls from the day after the first
        # day to ``ahead`` days after the last; the k-th expiry's month is the anchor's
        # plus 12 k (adding months clamps the day, never the month): only those are dated,
        # found per k among the anchors by month.
        first = _month_number(np.datetime64(inputs.start, "D") + np.timedelta64(1, "D"))
        last = _month_number(np.datetime64(inputs.end, "D") + np.timedelta64(ahead, "D"))
        most = (last - int(by.month[0])) // 12 if len(by.month) else 0
        found = [_months_in(by, first - 12 * k, last - 12 * k) for k in range(1, most + 1)]
        at = np.concatenate([np.empty(0, np.intp), *found])
        years = np.repeat(np.arange(1, most + 1), [len(part) for part in found])
        # The tasks come try by try, a try being the k-th year from the one before the
        # first day, then vehicle by vehicle.
        start = _month_number(np.datetime64(inputs.start, "D"))
        tries = years - np.maximum((start - month[at]) // 12 - 1, 1)
        order = np.lexsort((at, tries))
        at, years, tries = at[order], years[order], tries[order]
        months = 12 * years
        return _reminder_touches(
            INSURANCE_RENEWAL,
            self.REASONS,
            inputs,
            params,
            occasion=tries,
            rows=rows[at],
            target=add_months_each(anchor[at], months),
            earliest=days_after(anchor[at], 1),
            reason=renewed[at].astype(np.int64),
            detail=years,
            anchor=anchor[at],
        )

    @staticmethod
    def _anchors(
        inputs: CareInputs,
    ) -> tuple[NDArray[np.intp], NDArray[np.datetime64], NDArray[np.bool_]]:
        """The vehicles, the day each one's insurance year runs from, and whether it is a renewal."""
        rows = inputs.owned_vehicles()
        anchor = inputs.tables.vehicles["purchase_date"][rows].astype("datetime64[D]")
        lines, orders = inputs.tables.lines, inputs.tables.orders
        renewal = lines["kind"] == list(ServiceKind).index(ServiceKind.INSURANCE_RENEWAL)
        order = lines["order"][renewal]
        closed = inputs.known("orders", "closed_at")[order]
        order = order[closed]
        vehicle = orders["vehicle"][order]
        order, vehicle = order[vehicle >= 0], vehicle[vehicle >= 0]
        day = inputs.table_days("orders", "closed_at")[order]
        latest = _latest(vehicle, day, len(inputs.tables.vehicles))
        renewed_on = latest[rows]
        renewed = ~np.isnat(renewed_on) & (renewed_on >= anchor)
        return rows, np.where(renewed, renewed_on, anchor).astype("datetime64[D]"), renewed


class InspectionStep(NamedTuple):
    """A row of an inspection schedule: within an age range, how often and how.

    The inspections of a row fall ``every_months`` apart, counted from the start of its
    range: at ``from_years * 12 + every_months * i`` months of age, ``i = 1, 2, …``, up to
    ``to_years * 12`` months (for ever when ``to_years`` is None).

    Examples:
        >>> step = InspectionStep(10, 15, 12, True)
        >>> step.ages()[:2], step.ages()[-1]
        ((132, 144), 180)
    """

    from_years: int
    """The age the range starts after (exclusive), in years since registration."""
    to_years: int | None
    """The age the range ends on (inclusive), None for no end."""
    every_months: int
    """Months between two inspections."""
    on_site: bool
    """Whether the vehicle goes to an inspection station (上线检验), or only the inspection
    mark is applied for (免检, 申领检验标志)."""

    def ages(self, until_years: int = 30) -> tuple[int, ...]:
        """The ages in months of this row's inspections (to ``until_years`` for an open row).

        Examples:
            >>> InspectionStep(15, None, 6, True).ages(16)
            (186, 192)
        """
        end = (until_years if self.to_years is None else self.to_years) * 12
        return tuple(range(self.from_years * 12 + self.every_months, end + 1, self.every_months))


INSPECTION_SCHEDULE: Final[tuple[InspectionStep, ...]] = (
    InspectionStep(0, 4, 24, on_site=False),
    InspectionStep(4, 6, 24, on_site=True),
    InspectionStep(6, 8, 24, on_site=False),
    InspectionStep(8, 10, 24, on_site=True),
    InspectionStep(10, 15, 12, on_site=True),
    InspectionStep(15, None, 6, on_site=True),
)
"""The inspection schedule of private small passenger cars (非营运小微型载客汽车) in China,
the library's reading of the rules since the 2022 reform.

The 《中华人民共和国道路交通安全法实施条例》 (article 16) has non-operating small and mini
passenger cars inspected every 2 years within 6 years of registration, every year after
6 years and every 6 months after 15 years. The reform of the Ministry of Public Security
with the State Administration for Market Regulation and the Ministry of Ecology and
Environment, 《关于深化机动车检验制度改革优化车检服务工作的意见》 (2022, in force from
1 October 2022), extends the exemption from on-site inspection (免检) to the first 10
years: the car goes to a station in its 6th and 10th year and only applies for the
inspection mark in its 2nd, 4th and 8th; after 10 years it is inspected every year, after
15 years every 6 months. So: ages 2 and 4 years mark only, 6 on site, 8 mark only, 10 on
site, then yearly on site to 15 years, then every 6 months on site.

The library could not check the notice's own text from here: before relying on the table,
check the ages of the on-site inspections (6 and 10 years), the yearly interval from 10
to 15 years and the half-yearly one after 15 in the notice, and whether local rules
differ; vans (面包车) are not covered by the exemption. Pass your own rows as
``AnnualInspection(schedule=...)``.

Examples:
    >>> [age for step in INSPECTION_SCHEDULE for age in step.ages(16) if age <= 132]
    [24, 48, 72, 96, 120, 132]
    >>> [step.on_site for step in INSPECTION_SCHEDULE][:4]
    [False, True, False, True]
"""

_MAX_AGE_YEARS: Final = 30
"""Ages up to which an open-ended schedule row is followed: the library's choice (private
cars have no scrapping age in China; a car of 30 is a collector's)."""


class _Schedule(Constraint):
    """Rows ``(from_years, to_years or None, every_months, on_site)``, in order of age."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return (
            "expected rows (from_years, to_years or None, every_months, on_site): whole years"
            " from 0 to 100 with from_years < to_years, each row starting where the one before"
            " ends, only the last open-ended, every_months from 1 to 120, on_site True or False"
        )

    def check(self, value: Any, params: Mapping[str, Any]) -> tuple[InspectionStep, ...]:
        """``value`` as a tuple of [`InspectionStep`][aftersales_crm.care.InspectionStep]."""
        if isinstance(value, str) or not isinstance(value, tuple | list) or not value:
            raise Broken(self.rule)
        out: list[InspectionStep] = []
        for item in value:
            if not isinstance(item, tuple | list) or len(item) != len(InspectionStep._fields):
                raise Broken(self.rule)
            start, end, every, on_site = item
            try:
                start = Whole(low=0, high=100).check(start, params)
                end = OrNone(Whole(low=1, high=100)).check(end, params)
                every = Whole(low=1, high=120).check(every, params)
            except Broken:
                raise Broken(self.rule) from None
            follows = out[-1].to_years if out else start
            if not isinstance(on_site, bool) or (end is not None and end <= start):
                raise Broken(self.rule)
            if follows != start:
                raise Broken(self.rule)
            out.append(InspectionStep(start, end, every, on_site))
        return tuple(out)


class AnnualInspection(BasePolicy):
    """Remind owners of the vehicle's periodic inspection (年检), from a schedule table.

    The schedule ([`INSPECTION_SCHEDULE`][aftersales_crm.care.INSPECTION_SCHEDULE] by default: private small passenger cars in
    China) is data: rows of an age range, an interval and whether the car goes to a
    station or only applies for the inspection mark. Each inspection falls due the whole
    number of months of its age after the vehicle's registration, counted from that day
    (a car registered on 31 August is due on 31 August, or the month's last day), and gets
    a reminder ``reminders`` days before it (30 and 7 by default), each open until the
    next, the last until the day before the deadline. The records hold the purchase date,
    not the registration (注册登记) date: the rule counts from the purchase, which for a
    new car is the registration within days; a car sold on (second-hand) keeps its
    registration date, which the purchase date of the new owner is not, so for those
    the reminders are approximate.

    Attributes:
        schedule: the rows (default [`INSPECTION_SCHEDULE`][aftersales_crm.care.INSPECTION_SCHEDULE]).
        reminders: days before the deadline to remind, decreasing (default ``(30, 7)``).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 55).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(300, seed=3), start=date(2026, 6, 1),
        ...                        end=date(2026, 7, 31))
        >>> tasks = AnnualInspection().plan(inputs)
        >>> tasks.counts()["annual_inspection"] > 0
        True
        >>> sorted(set(tasks.detail.tolist()))[:3]  # ages in months
        [24, 48, 72]
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False
    reads_vehicles: ClassVar[frozenset[str]] = OWNED_VEHICLES_READS
    """The vehicle features the rule reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    SCHEDULE: ClassVar[tuple[InspectionStep, ...]] = INSPECTION_SCHEDULE
    """Private small passenger cars in China, see [`INSPECTION_SCHEDULE`][aftersales_crm.care.INSPECTION_SCHEDULE]."""

    REMINDERS: ClassVar[tuple[int, ...]] = (30, 7)
    """A month before the deadline, time to book, and a week before, the last call: the
    library's choice, as for the first maintenance."""

    PRIORITY: ClassVar[int] = 55
    """As the insurance renewal: the library's choice."""

    REASONS: ClassVar[tuple[Reason, ...]] = (
        Reason(
            "inspection mark to apply for by {target}, no station visit needed ({detail}"
            " months after the registration on {anchor})",
            "{target}前申领免检标志(车辆{anchor}登记,已满{detail}个月)",
        ),
        Reason(
            "on-site inspection at a station due by {target} ({detail} months after the"
            " registration on {anchor})",
            "{target}前须上线年检(车辆{anchor}登记,已满{detail}个月)",
        ),
    )
    """Why: the mark alone (免检), or an on-site inspection (上线检验)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "schedule": _Schedule(),
        "reminders": _REMINDERS,
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        schedule: tuple[tuple[int, int | None, int, bool], ...] = SCHEDULE,
        reminders: tuple[int, ...] = REMINDERS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.schedule = schedule
        self.reminders = reminders
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The inspection reminders whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        rows = inputs.owned_vehicles()
        bought = inputs.tables.vehicles["purchase_date"][rows].astype("datetime64[D]")
        first = _month_number(np.datetime64(inputs.start, "D"))
        last = np.datetime64(inputs.end, "D") + np.timedelta64(params["reminders"][0] + 1, "D")
        _, by = inputs.memo(
            ("annual_inspection", "month"), lambda: _anchor_months(bought), for_planning=True
        )
        # Every inspection of the schedule by age (the rows follow each other in age, so
        # the ages increase), and per age the vehicles near it: from one month before the
        # first day's age to one month after the last's, found among the vehicles by month.
        steps = [
            (age, step.on_site) for step in params["schedule"] for age in step.ages(_MAX_AGE_YEARS)
        ]
        ages = np.array([age for age, _ in steps], dtype=np.int64)
        on_site = np.array([on for _, on in steps], dtype=np.int64)
        found = [_months_in(by, first - 1 - age, _month_number(last) + 1 - age) for age in ages]
        near = np.concatenate([np.empty(0, np.intp), *found])
        which = np.repeat(np.arange(len(ages)), [len(part) for part in found])
        anchor = bought[near]
        return _reminder_touches(
            ANNUAL_INSPECTION,
            self.REASONS,
            inputs,
            params,
            occasion=which,
            rows=rows[near],
            target=add_months_each(anchor, ages[which]),
            earliest=days_after(anchor, 1),
            reason=on_site[which],
            detail=ages[which],
            anchor=anchor,
        )


class WarrantyEnding(BasePolicy):
    """Remind owners before the vehicle's warranty (包修期) ends, by time or mileage.

    China's rules on the repair, replacement and return of household cars
    (《家用汽车产品修理、更换、退货责任规定》, AQSIQ order No. 150 of 2012, in force from
    1 October 2013, article 17) give a warranty (包修期) of no less than 3 years or
    60,000 km, whichever comes first, from the day the invoice is issued: the defaults,
    ``months`` 36 and ``km`` 60,000. The library reads the SAMR revision of the rules
    (order No. 43 of 2021, in force from 1 January 2022) as keeping these figures; check
    its text if you rely on them. Makers often give more; set them per rule. The warranty ends
    ``months`` after the purchase (from the purchase itself, month ends kept) or on the
    day the odometer is estimated to reach ``km`` (the features' mileage model: the latest
    reading plus the vehicle's km a day), whichever comes first. Each vehicle owned by a
    customer on ``as_of`` gets a reminder ``reminders`` days before the end (60 and 14 by
    default), each open until the next, the last until the day before the end; which limb
    ends it shows in the reason and [`CareTasks.detail`][aftersales_crm.care.CareTasks] (months, or km).

    Attributes:
        months: the warranty in calendar months from the purchase (default 36).
        km: the warranty in km, or None for time only (default 60,000).
        reminders: days before the end to remind, decreasing (default ``(60, 14)``).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 55).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(300, seed=3), start=date(2026, 6, 1),
        ...                        end=date(2026, 8, 31))
        >>> tasks = WarrantyEnding().plan(inputs)
        >>> tasks.counts()["warranty_ending"] > 0, bool((tasks.target > tasks.due).all())
        (True, True)
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False
    reads_vehicles: ClassVar[frozenset[str]] = OWNED_VEHICLES_READS | KM_REACHED_READS
    """The vehicle features the rule reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    MONTHS: ClassVar[int] = 36
    """Three years: the 包修期 of the 三包 rules (see the class)."""

    KM: ClassVar[int] = 60_000
    """Or 60,000 km, whichever comes first (see the class)."""

    REMINDERS: ClassVar[tuple[int, ...]] = (60, 14)
    """Two months before, time to have a fault looked at while it is covered, and two
    weeks before, the last call: the library's choice."""

    PRIORITY: ClassVar[int] = 55
    """As the insurance renewal: the library's choice."""

    REASONS: ClassVar[tuple[Reason, ...]] = (
        Reason(
            "the warranty ends {target}, {detail} months after the purchase on {anchor}",
            "包修期于{target}结束(购车{anchor}后{detail}个月)",
        ),
        Reason(
            "the warranty ends about {target}, at {detail} km on the odometer (estimated;"
            " bought {anchor})",
            "预计{target}前后行驶满{detail}公里,包修期结束(购车日{anchor})",
        ),
    )
    """Why: the warranty ends by time (months), or by mileage (km)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "months": Whole(low=1, high=240, unit="months"),
        "km": OrNone(Number(above=0, high=_KM_LIMIT, unit="km")),
        "reminders": _REMINDERS,
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        months: int = MONTHS,
        km: float | None = KM,
        reminders: tuple[int, ...] = REMINDERS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.months = months
        self.km = km
        self.reminders = reminders
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The warranty reminders whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        key = ("warranty_ending", params["months"], params["km"])
        rows, end, by_km = inputs.memo(key, lambda: self._ends(inputs, params), for_planning=True)
        bought = inputs.tables.vehicles["purchase_date"][rows].astype("datetime64[D]")
        return _reminder_touches(
            WARRANTY_ENDING,
            self.REASONS,
            inputs,
            params,
            occasion=np.zeros(len(rows), dtype=np.int64),
            rows=rows,
            target=end,
            earliest=days_after(bought, 1),
            reason=by_km.astype(np.int64),
            detail=np.where(by_km, params["km"] or 0, params["months"]).astype(np.int64),
            anchor=bought,
        )

    @staticmethod
    def _ends(
        inputs: CareInputs, params: Mapping[str, Any]
    ) -> tuple[NDArray[np.intp], NDArray[np.datetime64], NDArray[np.bool_]]:
        """The vehicles, the day each one's warranty ends, and whether by mileage."""
        rows = inputs.owned_vehicles()
        bought = inputs.tables.vehicles["purchase_date"][rows].astype("datetime64[D]")
        by_time = add_months_each(bought, np.full(len(rows), params["months"], dtype=np.int64))
        km = np.nan if params["km"] is None else float(params["km"])
        by_km = km_reached(inputs, rows, bought, np.full(len(rows), km))
        first = ~np.isnat(by_km) & (by_km < by_time)
        end: NDArray[np.datetime64] = np.where(first, by_km, by_time).astype("datetime64[D]")
        return rows, end, first


class ComplaintFollowUp(BasePolicy):
    """Call the customer ``days`` days after a complaint was resolved (投诉回访).

    A complaint resolved (or closed on a resolution) by the end of ``as_of``
    ([`ComplaintLog`][aftersales_crm.complaints.ComplaintLog]: the resolution its state rests on;
    a reopened complaint waits for its new resolution) gets a follow-up call ``days``
    after the day of the resolution, in the dealers' time zone, that may be made up to
    ``window_days`` later. A follow-up (回访) that reached the customer, made on or after
    the day of the resolution, closes it. The vehicle is the one of the complaint's
    repair order, if it names one.

    Attributes:
        days: days after the resolution (default 7, the library's choice: long enough to
            see whether the remedy held, soon enough for the customer to remember it; the
            material's 7DC call after a delivery is the same distance).
        window_days: days after the due day the call may still be made (default 3).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 75).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(500, seed=3), start=date(2026, 1, 1),
        ...                        end=date(2026, 6, 30))
        >>> tasks = ComplaintFollowUp().plan(inputs)
        >>> tasks.counts()["complaint_follow_up"] > 0
        True
        >>> bool(((tasks.due - tasks.anchor).astype(int) == 7).all())
        True
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False
    reads_vehicles: ClassVar[frozenset[str]] = frozenset()
    """No vehicle feature ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    DAYS: ClassVar[int] = 7
    """A week after the resolution: the library's choice (see the class)."""

    WINDOW_DAYS: ClassVar[int] = 3
    """Three more days to reach the customer: the library's choice."""

    PRIORITY: ClassVar[int] = 75
    """Above every reminder: a customer who complained is the one most at risk of leaving
    (the library's choice)."""

    REASON: ClassVar[Reason] = Reason(
        "follow-up call {detail} days after the complaint {source} was resolved on {anchor}",
        "投诉{source}于{anchor}处理完毕,第{detail}天回访",
    )
    """Why: a resolved complaint."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "days": Whole(low=0, high=365, unit="days"),
        "window_days": Whole(low=0, high=60, unit="days"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        days: int = DAYS,
        window_days: int = WINDOW_DAYS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.days = days
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
        rows, resolved = inputs.memo(
            ("complaint_follow_up",), lambda: self._resolved(inputs), for_planning=True
        )
        due = days_after(resolved, params["days"])
        end = days_after(due, params["window_days"])
        keep = np.flatnonzero(inputs.meets(due, end))
        complaints = inputs.tables.complaints
        order = complaints["order"][rows[keep]]
        vehicle = np.full(len(order), -1, dtype=np.int64)
        named = order >= 0
        vehicle[named] = inputs.tables.orders["vehicle"][order[named]]
        vins = inputs.texts("vehicles", "vin")
        return CareTasks._trusted(
            COMPLAINT_FOLLOW_UP,
            self.REASON,
            customer=Texts(
                complaints["customer"][rows[keep]].astype(np.int64), inputs.customer_ids
            ),
            vehicle=Texts(np.where(vehicle >= 0, vehicle, -1), vins),
            due=due[keep],
            window_end=end[keep],
            channel=CHANNELS.index(ContactChannel(params["channel"])),
            priority=params["priority"],
            detail=params["days"],
            anchor=resolved[keep],
            source=Texts(rows[keep].astype(np.int64), inputs.texts("complaints")),
            source_table="complaints",
        )

    @staticmethod
    def _resolved(inputs: CareInputs) -> tuple[NDArray[np.intp], NDArray[np.datetime64]]:
        """The complaint rows resolved by the end of ``as_of``, and the day of each resolution."""
        zone = to_time_zone(inputs.time_zone)
        end_us = end_of_day_us(inputs.as_of, zone)
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=end_us)
        states = ComplaintLog.from_tables(inputs.tables).states(moment)
        rows = np.flatnonzero(~np.isnat(states.resolved_at))
        return rows, inputs.days_of(states.resolved_at[rows])


class WinBack(BasePolicy):
    """Call the lost customers worth winning back, and the owners maintenance handed over (客户赢回).

    Two ways into win-back, one task kind ([`WIN_BACK`][aftersales_crm.care.WIN_BACK]):

    * **The matrix.** The loyalty × value matrix
      ([`LoyaltyValueMatrix`][aftersales_crm.loyalty.LoyaltyValueMatrix], fitted on the customer
      features on ``as_of``, [`CareInputs.features`][aftersales_crm.care.CareInputs.features], computed once per agenda and shared)
      puts each customer in a cell; those of the cells whose strategy is
      [`WIN_BACK`][aftersales_crm.loyalty.Strategy] (策略3,
      "价值高已流失,着重通过客户赢回方案促进再次入网消费": the lost row's high-value
      columns, CD and CG by default) get one call, due on ``as_of`` and open for
      ``window_days``. The task is about the customer, not a vehicle.
    * **The hand-over of maintenance** (``hand_over``, on by default). When the last
      reminder of [`MaintenanceDue`][aftersales_crm.care.MaintenanceDue]'s cadence (``maintenance``:
      its months, km, models and cadence) has passed without a service, the vehicle is
      handed over ([`MaintenanceDue.hand_over`][aftersales_crm.care.MaintenanceDue.hand_over]): its owner gets one call about it,
      due the day after the last touch's window ends and open for ``window_days``. A
      service moves the due day and so the hand-over: one lapse, one task.

    A solicitation (招揽) that reached the customer in the window, or a visit, closes a
    task. A customer both lost and handed over (or handed over for two cars) has one task
    per reason, and the planner makes one call of those whose windows overlap: the
    customer is called once, for every reason.

    Attributes:
        matrix: the matrix (default None: ``LoyaltyValueMatrix()`` with its defaults).
        hand_over: whether maintenance hands vehicles over (default True).
        maintenance: the maintenance rule whose cadence hands over (default None:
            ``MaintenanceDue()``; give the one the planner runs, if not the default).
        window_days: days after the due day the call may be made (default 30, the
            library's choice: a win-back programme runs over weeks, not a day).
        channel: the suggested channel (default ``"phone"``).
        priority: the tasks' priority (default 40: below the reminders of customers who
            still come, the library's choice).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(300, seed=1), start=date(2026, 6, 30))
        >>> tasks = WinBack(hand_over=False).plan(inputs)
        >>> tasks.counts()["win_back"] > 0, set(tasks.due.tolist())
        (True, {datetime.date(2026, 6, 30)})
        >>> handed = WinBack().plan(inputs)
        >>> bool((handed.reason > 0).any()), bool((handed.due <= date(2026, 6, 30)).all())
        (True, True)
    """

    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False

    MATRIX_COLUMNS: ClassVar[frozenset[str]] = frozenset(
        {
            "activities_window",
            "avg_line_spend_fen",
            "avg_visit_spend_fen",
            "main_dealer_share",
            "on_time_arrival_rate",
            "spend_window_fen",
            "vehicles_owned",
        }
    )
    """The customer features the default matrix reads to fit and assign: its member
    value's scores and its loyalty status's vehicles (beside the vehicle features)."""

    @property
    def reads_features(self) -> frozenset[str] | bool:
        """The customer features the matrix reads, computed once, first, by the planner.

        [`MATRIX_COLUMNS`][aftersales_crm.care.WinBack.MATRIX_COLUMNS] for the default
        matrix; True (all of them) for a matrix given
        ([`READS_FEATURES`][aftersales_crm.care.READS_FEATURES]).

        Examples:
            >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
            >>> WinBack().reads_features == WinBack.MATRIX_COLUMNS
            True
            >>> WinBack(matrix=LoyaltyValueMatrix()).reads_features
            True
        """
        return self.MATRIX_COLUMNS if self.matrix is None else True

    MATRIX_VEHICLE_COLUMNS: ClassVar[frozenset[str]] = frozenset(
        {"owner", "owned_since", "first_maintenance", "return_date", "service_due", "last_service"}
    )
    """The vehicle features the default matrix reads: its loyalty statuses' (by first
    maintenance and return, and by service interval), per owner."""

    @property
    def reads_vehicles(self) -> frozenset[str] | None:
        """The vehicle features the rule reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES]).

        The default matrix's, the owner of each vehicle handed over and what the
        maintenance rule handing them over reads; None (every column) for a matrix
        given, or a maintenance rule that does not name them.

        Examples:
            >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
            >>> WinBack(hand_over=False).reads_vehicles == WinBack.MATRIX_VEHICLE_COLUMNS
            True
            >>> WinBack(matrix=LoyaltyValueMatrix()).reads_vehicles is None
            True
        """
        if self.matrix is not None:
            return None
        if not self.hand_over:
            return self.MATRIX_VEHICLE_COLUMNS
        maintenance = MaintenanceDue() if self.maintenance is None else self.maintenance
        handing: object = getattr(maintenance, READS_VEHICLES, None)
        if not isinstance(handing, frozenset):
            return None
        return self.MATRIX_VEHICLE_COLUMNS | {"owner"} | handing

    WINDOW_DAYS: ClassVar[int] = 30
    """A month for the programme's call: the library's choice (see the class)."""

    PRIORITY: ClassVar[int] = 40
    """Below the reminders: the library's choice (see the class)."""

    REASON: ClassVar[Reason] = Reason(
        "lost, of high value: " + Strategy.WIN_BACK.label("en"),
        "已流失的高价值客户:" + Strategy.WIN_BACK.label("zh"),
    )
    """Why (reason 0): the material's strategy for the lost, high-value cells, in its own words."""

    HANDED_OVER: ClassVar[tuple[Reason, Reason]] = (
        Reason(
            "no service after the maintenance reminders: due {target}, {detail} months after"
            " the last service on {anchor}",
            "保养提醒后未回厂:上次保养{anchor}后{detail}个月,{target}到期",
        ),
        Reason(
            "no service after the maintenance reminders: due about {target}, at {detail} km"
            " driven since the last service on {anchor} (estimated)",
            "保养提醒后未回厂:预计{target}前后行驶满{detail}公里到期(上次保养{anchor})",
        ),
    )
    """Why (reasons 1 and 2): maintenance handed the vehicle over, its due day by time or
    by mileage."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "matrix": OrNone(Instance(LoyaltyValueMatrix, "a LoyaltyValueMatrix")),
        "hand_over": OneOf((True, False)),
        "maintenance": OrNone(Instance(MaintenanceDue, "a MaintenanceDue rule")),
        "window_days": Whole(low=0, high=366, unit="days"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        matrix: LoyaltyValueMatrix | None = None,
        hand_over: bool = True,
        maintenance: MaintenanceDue | None = None,
        window_days: int = WINDOW_DAYS,
        channel: str = ContactChannel.PHONE.value,
        priority: int = PRIORITY,
    ) -> None:
        self.matrix = matrix
        self.hand_over = hand_over
        self.maintenance = maintenance
        self.window_days = window_days
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The win-back calls whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        matrix = LoyaltyValueMatrix() if params["matrix"] is None else params["matrix"]
        reads = self.reads_features
        features = inputs.features_with(reads if isinstance(reads, frozenset) else None)
        rows = inputs.memo(
            ("win_back", repr(matrix)), lambda: self._lost(features, matrix), for_planning=True
        )
        due = np.full(len(rows), inputs.as_of_day, dtype="datetime64[D]")
        end = days_after(due, params["window_days"])
        keep = np.flatnonzero(inputs.meets(due, end))
        customers = Texts(rows[keep].astype(np.int64), inputs.customer_ids)
        channel = CHANNELS.index(ContactChannel(params["channel"]))
        reasons = (self.REASON, *self.HANDED_OVER)
        lost = CareTasks._trusted(
            WIN_BACK,
            reasons,
            customer=customers,
            due=due[keep],
            window_end=end[keep],
            channel=channel,
            priority=params["priority"],
            source=customers,
            source_table="customers",
        )
        if not params["hand_over"]:
            return lost
        maintenance = params["maintenance"]
        if maintenance is None:
            maintenance = MaintenanceDue()
        handed = maintenance.hand_over(inputs)
        near = may_meet(inputs, handed.day, params["window_days"])
        keep = near[
            inputs.meets(handed.day[near], days_after(handed.day[near], params["window_days"]))
        ]
        due = handed.day[keep]
        end = days_after(due, params["window_days"])
        vehicle = handed.rows[keep].astype(np.int64)
        vins = Texts(vehicle, inputs.texts("vehicles", "vin"))
        owner = inputs.vehicles["owner"][vehicle].astype(np.int64)
        return CareTasks.concat(
            [
                lost,
                CareTasks._trusted(
                    WIN_BACK,
                    reasons,
                    customer=Texts(owner, inputs.customer_ids),
                    vehicle=vins,
                    due=due,
                    window_end=end,
                    channel=channel,
                    priority=params["priority"],
                    target=handed.target[keep],
                    reason=handed.reason[keep] + 1,
                    detail=handed.detail[keep],
                    anchor=handed.anchor[keep],
                    source=vins,
                    source_table="vehicles",
                ),
            ]
        )

    @staticmethod
    def _lost(features: FeatureTable, matrix: LoyaltyValueMatrix) -> NDArray[np.intp]:
        """The customer rows the matrix, fitted on the features on ``as_of``, says to win back."""
        fitted = matrix.fit(features)
        strategies = fitted.strategies(fitted.assign(features))
        wanted = strategies.names.index(Strategy.WIN_BACK.value)
        return np.flatnonzero(strategies.codes == wanted)
