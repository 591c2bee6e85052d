"""Greetings: owners' birthdays (solar or lunar), vehicle anniversaries and festivals.

《信息回访员基础培训分析报告》 plans, among its long-term care, "车辆生日祝贺和相关提醒" (the
vehicle's birthday and its reminders), "车主生日祝贺" (birthday greetings to owners) and
"主要节日祝贺" (greetings on the major festivals). Every date is counted from the original anchor (the
birth date, the purchase date) in the year asked for, never by chaining one year onto the
last, so a 29 February anchor is greeted on the day ``LEAP_DAYS`` names in common
years and on 29 February again in leap years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, OneOf, SubsetOf, Whole, validate_params
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.calendars import (
    FIRST_LUNAR_YEAR,
    LAST_LUNAR_YEAR,
    Festival,
    lunar_birthdays,
    lunar_dates,
)
from aftersales_crm.care._inputs import OWNED_VEHICLES_READS, CareInputs
from aftersales_crm.care._rule import TASK_PARAMETERS, care_inputs
from aftersales_crm.care._tasks import CHANNELS, CareTasks, Reason, TaskKind, Texts
from aftersales_crm.features._calendar import month_numbers
from aftersales_crm.records import CustomerKind
from aftersales_crm.values import ContactChannel, ContactPurpose

__all__ = [
    "FESTIVAL_GREETING",
    "LEAP_DAYS",
    "LUNAR_BIRTHDAY",
    "OWNER_BIRTHDAY",
    "VEHICLE_ANNIVERSARY",
    "FestivalGreetings",
    "LunarBirthday",
    "OwnerBirthday",
    "VehicleAnniversary",
    "anniversaries",
]

LEAP_DAYS: Final = ("feb_28", "mar_1")
"""Where a 29 February anchor falls in a common year: 28 February or 1 March."""

OWNER_BIRTHDAY: Final = TaskKind(
    "owner_birthday",
    "birthday greeting",
    "车主生日祝贺",
    purpose=ContactPurpose.BIRTHDAY,
    closes_from="window",
)
"""The owner's birthday greeting (车主生日祝贺); a birthday contact that reached the
customer in the greeting's window closes it."""

LUNAR_BIRTHDAY: Final = TaskKind(
    "lunar_birthday",
    "lunar birthday greeting",
    "农历生日祝贺",
    purpose=ContactPurpose.BIRTHDAY,
    closes_from="window",
)
"""The greeting on the lunar birthday (农历生日) of an owner who celebrates it."""

VEHICLE_ANNIVERSARY: Final = TaskKind(
    "vehicle_anniversary",
    "vehicle anniversary greeting",
    "购车周年关怀",
    purpose=ContactPurpose.CARE,
    closes_from="window",
)
"""The greeting on the anniversary of a vehicle's purchase (购车周年)."""

FESTIVAL_GREETING: Final = TaskKind(
    "festival_greeting",
    "festival greeting",
    "节日问候",
    purpose=ContactPurpose.CARE,
    closes_from="window",
)
"""The greeting before a festival (节日问候); a care contact in its window closes it."""

_DAY: Final = np.timedelta64(1, "D")
_EPOCH_YEAR: Final = 1970
_FEBRUARY: Final = 1  # months from January
_LEAP_DAY: Final = 28  # days from the 1st
_INDIVIDUAL: Final = list(CustomerKind).index(CustomerKind.INDIVIDUAL)
_FIRST_LUNAR_DAY: Final = np.datetime64("1900-01-31", "D")
_LAST_LUNAR_DAY: Final = np.datetime64("2101-01-28", "D")


def _year(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    out: NDArray[np.int64] = days.astype("datetime64[Y]").astype(np.int64) + _EPOCH_YEAR
    return out


def _is_leap(year: NDArray[np.int64] | int) -> NDArray[np.bool_]:
    y = np.asarray(year)
    out: NDArray[np.bool_] = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return out


def anniversaries(
    anchors: NDArray[np.datetime64],
    first: np.datetime64,
    last: np.datetime64,
    *,
    leap_day: str = "feb_28",
) -> tuple[NDArray[np.intp], NDArray[np.datetime64], NDArray[np.int64]]:
    """Every anniversary of ``anchors`` from ``first`` to ``last``: rows, days and years.

    The one home of the anniversary rule of the greetings: the anniversary in year *y* is
    the anchor's month and day in *y*, counted from the anchor itself (no drift); a
    29 February anchor falls on 28 February (``leap_day="feb_28"``) or 1 March
    (``"mar_1"``) in a common year. Only anniversaries of one year or more count; ``NaT``
    anchors have none.

    Returns:
        The row of each anniversary's anchor, its day, and the whole years since the anchor,
        by year then row.

    Examples:
        >>> anchors = np.array(["2000-02-29", "2019-03-01", "NaT"], dtype="datetime64[D]")
        >>> rows, days, years = anniversaries(anchors, np.datetime64("2025-02-01"),
        ...                                   np.datetime64("2025-03-31"))
        >>> rows.tolist(), days.tolist(), years.tolist()
        ([0, 1], [datetime.date(2025, 2, 28), datetime.date(2025, 3, 1)], [25, 6])
        >>> anniversaries(anchors, np.datetime64("2025-03-01"), np.datetime64("2025-03-01"),
        ...               leap_day="mar_1")[0].tolist()
        [0, 1]
    """
    return _anniversaries(_born(anchors), first, last, leap_day=leap_day)


class _Born(NamedTuple):
    """Anchors taken apart once, for their anniversaries in any years."""

    known: NDArray[np.intp]
    """The rows of the anchors that are not NaT."""
    year: NDArray[np.int64]
    month: NDArray[np.int64]
    """Months from January."""
    day: NDArray[np.int64]
    """Days from the 1st."""
    leap: NDArray[np.bool_]
    """Whether the anchor is a 29 February."""


def _born(anchors: NDArray[np.datetime64]) -> _Born:
    anchors = np.asarray(anchors, dtype="datetime64[D]")
    known = np.flatnonzero(~np.isnat(anchors))
    days = anchors[known]
    months = month_numbers(days)
    month = months % 12
    # The first day of each month the anchors fall in, cast once per month, not per anchor.
    first = int(months.min()) if len(months) else 0
    starts = np.arange(first, int(months.max()) + 1 if len(months) else 1)
    month_start = starts.astype("datetime64[M]").astype("datetime64[D]").view(np.int64)
    day = days.view(np.int64) - month_start[months - first]
    leap = (month == _FEBRUARY) & (day == _LEAP_DAY)
    return _Born(known, months // 12 + _EPOCH_YEAR, month, day, leap)


def _anniversaries(
    born: _Born, first: np.datetime64, last: np.datetime64, *, leap_day: str
) -> tuple[NDArray[np.intp], NDArray[np.datetime64], NDArray[np.int64]]:
    """[`anniversaries`][aftersales_crm.care.anniversaries] of anchors taken apart."""
    rows, found, years = [], [], []
    for year in range(int(_year(np.array([first]))[0]), int(_year(np.array([last]))[0]) + 1):
        # The first day of each month of the year, looked up by the anchors' months.
        month_starts = np.arange((year - _EPOCH_YEAR) * 12, (year - _EPOCH_YEAR + 1) * 12)
        on = month_starts.astype("datetime64[M]").astype("datetime64[D]")[born.month] + born.day
        # 29 February of a common year is 1 March above.
        if leap_day == "feb_28" and not _is_leap(year):
            on = np.where(born.leap, on - _DAY, on)
        keep = np.flatnonzero((on >= first) & (on <= last) & (born.year < year))
        rows.append(born.known[keep])
        found.append(on[keep])
        years.append(year - born.year[keep])
    if not rows:
        return np.empty(0, np.intp), np.empty(0, "datetime64[D]"), np.empty(0, np.int64)
    return (
        np.concatenate(rows).astype(np.intp),
        np.concatenate(found).astype("datetime64[D]"),
        np.concatenate(years).astype(np.int64),
    )


def _owners(inputs: CareInputs) -> NDArray[np.intp]:
    """The customer rows that own a vehicle on ``as_of``, in row order (computed once)."""

    def owners() -> NDArray[np.intp]:
        owner = np.asarray(inputs.vehicles["owner"], dtype=np.int64)
        counts = np.bincount(owner[owner >= 0], minlength=len(inputs.customer_ids))
        return np.flatnonzero(counts)

    return inputs.memo(("greetings", "owners"), owners, for_planning=True)


def _lunar_preference(inputs: CareInputs) -> NDArray[np.bool_]:
    """Whether each customer celebrates the lunar birthday."""
    customers = inputs.tables.customers
    return np.asarray(customers["lunar_birthday"], dtype=bool)


def _birthday_owners(inputs: CareInputs, *, lunar: bool) -> NDArray[np.intp]:
    """Individual owners with a birth date who celebrate the solar or the lunar birthday."""
    customers = inputs.tables.customers
    rows = _owners(inputs)
    keep = (np.asarray(customers["kind"])[rows] == _INDIVIDUAL) & ~np.isnat(
        customers["birthday"][rows]
    )
    keep &= _lunar_preference(inputs)[rows] == lunar
    found: NDArray[np.intp] = rows[keep]
    return found


def _greeting_days(
    inputs: CareInputs, days_before: int, window_days: int
) -> tuple[np.datetime64, np.datetime64]:
    """The occasions whose greeting window meets the days asked for lie in this span."""
    first = np.datetime64(inputs.start, "D") - np.timedelta64(window_days, "D")
    last = np.datetime64(inputs.end, "D") + np.timedelta64(days_before, "D")
    return first, last


_TIMING: Final[Mapping[str, Constraint]] = {
    "days_before": Whole(low=0, high=60, unit="days"),
    "window_days": Whole(low=0, high=60, unit="days"),
}


def _build(
    kind: TaskKind,
    reasons: Reason | tuple[Reason, ...],
    inputs: CareInputs,
    params: Mapping[str, Any],
    *,
    customer: NDArray[np.intp],
    occasion: NDArray[np.datetime64],
    **columns: Any,
) -> CareTasks:
    """Greetings due ``days_before`` each occasion, open until ``window_days`` after it."""
    due = (occasion - np.timedelta64(params["days_before"], "D")).astype("datetime64[D]")
    end = (occasion + np.timedelta64(params["window_days"], "D")).astype("datetime64[D]")
    keep = np.flatnonzero(inputs.meets(due, end))
    return CareTasks._trusted(
        kind,
        reasons,
        customer=Texts(customer[keep].astype(np.int64), inputs.customer_ids),
        due=due[keep],
        window_end=end[keep],
        target=occasion[keep],
        channel=CHANNELS.index(ContactChannel(params["channel"])),
        priority=params["priority"],
        **{
            name: value[keep] if isinstance(value, np.ndarray) else value
            for name, value in columns.items()
        },
    )


class _Anchors(NamedTuple):
    """The anchors of an anniversary rule: whom to greet, from which day, about what."""

    customer: NDArray[np.intp]
    anchor: NDArray[np.datetime64]
    source: Texts
    source_table: str
    vehicle: Texts | None


class _Greeting(BasePolicy):
    kind: ClassVar[PolicyKind] = "care_rule"
    population_relative: ClassVar[bool] = False

    reads_vehicles: ClassVar[frozenset[str]] = OWNED_VEHICLES_READS | frozenset({"owner"})
    """The vehicle features greetings read: the owners, and what ``owned_vehicles`` reads ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES])."""

    PRIORITY: ClassVar[int] = 30
    """Greetings rank below the service reminders and follow-up calls (50 to 70): the
    library's choice, a greeting may wait where a call about the car may not."""


class _Anniversary(_Greeting):
    """A greeting on each anniversary of a date, with the 29 February rule by parameter."""

    LEAP_DAY: ClassVar[str] = "feb_28"
    """A 29 February anchor on 28 February in common years (see ``OwnerBirthday``)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "leap_day": OneOf(LEAP_DAYS),
        **_TIMING,
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        leap_day: str = LEAP_DAY,
        days_before: int = 0,
        window_days: int = 0,
        channel: str = ContactChannel.SMS.value,
        priority: int = _Greeting.PRIORITY,
    ) -> None:
        self.leap_day = leap_day
        self.days_before = days_before
        self.window_days = window_days
        self.channel = channel
        self.priority = priority

    KIND: ClassVar[TaskKind]
    REASON: ClassVar[Reason]

    @staticmethod
    def _anchors(inputs: CareInputs) -> _Anchors:
        raise NotImplementedError

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The greetings whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        found = self._anchors(inputs)
        first, last = _greeting_days(inputs, params["days_before"], params["window_days"])
        # The anchors taken apart once per agenda: each pass only dates their anniversaries.
        born = inputs.memo(
            ("greetings", "born", type(self)), lambda: _born(found.anchor), for_planning=True
        )
        at, day, years = _anniversaries(born, first, last, leap_day=params["leap_day"])
        return _build(
            self.KIND,
            self.REASON,
            inputs,
            params,
            customer=found.customer[at],
            occasion=day,
            detail=years,
            anchor=found.anchor[at],
            vehicle="" if found.vehicle is None else found.vehicle.take(at),
            source=found.source.take(at),
            source_table=found.source_table,
        )


class OwnerBirthday(_Anniversary):
    """Greet each individual owner on the birthday (车主生日祝贺).

    《信息回访员基础培训分析报告》 lists "车主生日祝贺" (birthday greetings to owners) among
    the care woven into the dealer's work. Every individual customer (not a company) who
    owns a vehicle on ``as_of`` and has a birth date (the customers table's ``birthday``,
    which the national ID fills when only that was given) is greeted on each birthday;
    the age shows in [`CareTasks.detail`][aftersales_crm.care.CareTasks]. A customer who celebrates the lunar
    birthday (``lunar_birthday`` on the customer) is ``LunarBirthday``'s, never
    this rule's: one rule greets each customer. Someone born on 29 February is greeted
    on 28 February in common years (``leap_day="feb_28"``) or on 1 March (``"mar_1"``).

    Attributes:
        leap_day: ``"feb_28"`` (default) or ``"mar_1"``, see above.
        days_before: days before the birthday the greeting is due (default 0).
        window_days: days after the birthday it may still be sent (default 0).
        channel: the suggested channel (default ``"sms"``).
        priority: the tasks' priority (default 30).

    Defaults, each the library's choice: 28 February keeps a leap-day birthday in the
    month it belongs to, and a greeting a day early reads as care where one a day late
    reads as forgotten; a greeting belongs to its day (no window); a text message greets
    without interrupting (the material names no channel).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(200, seed=1), start=date(2026, 6, 1),
        ...                        end=date(2026, 6, 30))
        >>> tasks = OwnerBirthday().plan(inputs)
        >>> list(tasks.counts()), bool((tasks.due == tasks.target).all())
        (['owner_birthday'], True)
    """

    REASON: ClassVar[Reason] = Reason(
        "birthday greeting: {detail} years old on {target} (born {anchor})",
        "{target}车主{detail}岁生日祝贺(生日{anchor})",
    )
    """Why: the birthday, with the age."""

    KIND: ClassVar[TaskKind] = OWNER_BIRTHDAY

    @staticmethod
    def _anchors(inputs: CareInputs) -> _Anchors:
        owners = inputs.memo(
            ("greetings", "solar_birthdays"),
            lambda: _birthday_owners(inputs, lunar=False),
            for_planning=True,
        )
        source = Texts(owners.astype(np.int64), inputs.customer_ids)
        born = inputs.tables.customers["birthday"][owners]
        return _Anchors(owners, born, source, "customers", None)


class LunarBirthday(_Greeting):
    """Greet the owners who celebrate their lunar birthday (农历生日) on it.

    The customers whose record says ``lunar_birthday`` (individual owners on ``as_of``
    with a birth date, as for ``OwnerBirthday``, which leaves them out) are greeted
    on the day of each lunar year that bears the lunar month and day of their birth date
    ([`lunar_dates`][aftersales_crm.calendars.lunar_dates],
    [`lunar_birthdays`][aftersales_crm.calendars.lunar_birthdays]): someone born in a leap month is
    greeted in that leap month in years that have it and in the ordinary month of its
    number otherwise, someone born on a 30th on the 29th in a 29-day month. The age in
    [`CareTasks.detail`][aftersales_crm.care.CareTasks] counts lunar years. Birth dates outside the lunar table
    (before 31 January 1900) get no greeting.

    Attributes:
        days_before: days before the birthday the greeting is due (default 0).
        window_days: days after the birthday it may still be sent (default 0).
        channel: the suggested channel (default ``"sms"``).
        priority: the tasks' priority (default 30).

    The defaults are ``OwnerBirthday``'s, the library's choice.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(20, seed=1), start=date(2026, 6, 1))
        >>> len(LunarBirthday().plan(inputs))  # the synthetic customers keep the solar one
        0
    """

    REASON: ClassVar[Reason] = Reason(
        "lunar birthday greeting on {target} (born {anchor}, celebrates the lunar birthday)",
        "{target}车主农历生日祝贺(生日{anchor})",
    )
    """Why: the lunar birthday."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        **_TIMING,
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        days_before: int = 0,
        window_days: int = 0,
        channel: str = ContactChannel.SMS.value,
        priority: int = _Greeting.PRIORITY,
    ) -> None:
        self.days_before = days_before
        self.window_days = window_days
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The lunar birthday greetings whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        owners, lunar = inputs.memo(
            ("greetings", "lunar_birthdays"), lambda: _lunar(inputs), for_planning=True
        )
        born = inputs.tables.customers["birthday"][owners]
        first, last = _greeting_days(inputs, params["days_before"], params["window_days"])
        parts_at, parts_day, parts_years = [], [], []
        low = max(int(_year(np.array([first]))[0]) - 1, FIRST_LUNAR_YEAR)
        high = min(int(_year(np.array([last]))[0]), LAST_LUNAR_YEAR)
        for year in range(low, high + 1):
            day = lunar_birthdays(lunar.month, lunar.day, lunar.leap, year)
            at = np.flatnonzero(
                ~np.isnat(day) & (day >= first) & (day <= last) & (lunar.year < year)
            )
            parts_at.append(at)
            parts_day.append(day[at])
            parts_years.append(year - lunar.year[at])
        at = np.concatenate([np.empty(0, np.intp), *parts_at]).astype(np.intp)
        day = np.concatenate([np.empty(0, "datetime64[D]"), *parts_day])
        years = np.concatenate([np.empty(0, np.int64), *parts_years])
        customer = owners[at]
        return _build(
            LUNAR_BIRTHDAY,
            self.REASON,
            inputs,
            params,
            customer=customer,
            occasion=day,
            detail=years,
            anchor=born[at],
            source=Texts(customer.astype(np.int64), inputs.customer_ids),
            source_table="customers",
        )


def _lunar(inputs: CareInputs) -> tuple[NDArray[np.intp], Any]:
    """The owners who celebrate the lunar birthday, within the table, with their lunar birth."""
    owners = _birthday_owners(inputs, lunar=True)
    born = inputs.tables.customers["birthday"][owners]
    owners = owners[(born >= _FIRST_LUNAR_DAY) & (born <= _LAST_LUNAR_DAY)]
    return owners, lunar_dates(inputs.tables.customers["birthday"][owners])


class VehicleAnniversary(_Anniversary):
    """Greet each owner on the anniversary of the vehicle's purchase (购车周年).

    《信息回访员基础培训分析报告》 plans "车辆生日祝贺和相关提醒" (the vehicle's birthday
    and its reminders); the library reads the vehicle's birthday as its purchase date.
    Each vehicle with a purchase date and an owner on ``as_of`` gets a greeting to that
    owner on every anniversary of its purchase date (the vehicles table's
    ``purchase_date``), the whole years in [`CareTasks.detail`][aftersales_crm.care.CareTasks]. A vehicle bought on
    29 February falls as ``OwnerBirthday``'s birthdays do (``leap_day``), by the
    one rule of ``anniversaries``.

    Attributes:
        leap_day: ``"feb_28"`` (default) or ``"mar_1"``.
        days_before: days before the anniversary the greeting is due (default 0).
        window_days: days after it may still be sent (default 0).
        channel: the suggested channel (default ``"sms"``).
        priority: the tasks' priority (default 30).

    The defaults are ``OwnerBirthday``'s, the library's choice.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(200, seed=1), start=date(2026, 6, 1),
        ...                        end=date(2026, 6, 30))
        >>> tasks = VehicleAnniversary().plan(inputs)
        >>> bool((tasks.detail >= 1).all()), bool((tasks.vehicle != "").all())
        (True, True)
    """

    REASON: ClassVar[Reason] = Reason(
        "{detail}-year anniversary on {target} of the purchase on {anchor}",
        "{target}购车{detail}周年(购车日{anchor})",
    )
    """Why: the anniversary, with the years."""

    KIND: ClassVar[TaskKind] = VEHICLE_ANNIVERSARY

    @staticmethod
    def _anchors(inputs: CareInputs) -> _Anchors:
        rows = inputs.owned_vehicles()
        owner = np.asarray(inputs.vehicles["owner"], dtype=np.int64)[rows]
        vins = Texts(rows.astype(np.int64), inputs.texts("vehicles", "vin"))
        bought = inputs.tables.vehicles["purchase_date"][rows]
        return _Anchors(owner.astype(np.intp), bought, vins, "vehicles", vins)


_FESTIVALS: Final = tuple(Festival)


class FestivalGreetings(_Greeting):
    """Greet every owner a few days before the major festivals (节日问候).

    《信息回访员基础培训分析报告》 plans "主要节日祝贺" (greetings on the major festivals)
    without naming them; the default list is the library's (below).
    Every customer who owns a vehicle on ``as_of`` gets one greeting per festival of
    ``festivals``, due ``days_before`` days before it and open until the festival day
    itself ([`CareTasks.target`][aftersales_crm.care.CareTasks]); the festival's year is [`CareTasks.detail`][aftersales_crm.care.CareTasks]
    and its name [`CareTasks.source`][aftersales_crm.care.CareTasks.source] (the reason names it too). The dates are the
    [`Festival`][aftersales_crm.calendars.Festival] rules of the library's lunar table, so
    Spring Festival moves with the lunar year and a greeting due in late December for
    New Year's Day falls in the year before.

    Attributes:
        festivals: the festivals greeted (default Spring Festival, Dragon Boat,
            Mid-Autumn and National Day).
        days_before: days before the festival the greeting is due (default 3).
        channel: the suggested channel (default ``"sms"``).
        priority: the tasks' priority (default 20).

    Defaults, each the library's choice: the four festivals are the public holidays of
    China's national holiday regulations (《全国年节及纪念日放假办法》), less New Year's
    Day and Labour Day (a greeting there reads as advertising) and Qingming (a day of
    mourning); three days before, the greeting arrives before the
    customer leaves for the holiday and before the flood of greetings on the day.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs
        >>> inputs = CareInputs.of(synthetic.book(30, seed=1), start=date(2026, 9, 20),
        ...                        end=date(2026, 9, 30))
        >>> tasks = FestivalGreetings().plan(inputs)
        >>> sorted(set(tasks.source.tolist())), sorted(set(tasks.target.tolist()))
        (['mid_autumn', 'national_day'], [datetime.date(2026, 9, 25), datetime.date(2026, 10, 1)])
    """

    FESTIVALS: ClassVar[tuple[str, ...]] = (
        Festival.SPRING_FESTIVAL.value,
        Festival.DRAGON_BOAT.value,
        Festival.MID_AUTUMN.value,
        Festival.NATIONAL_DAY.value,
    )
    """The four major festivals (see the class)."""

    DAYS_BEFORE: ClassVar[int] = 3
    """Three days ahead (see the class)."""

    PRIORITY: ClassVar[int] = 20
    """Below the personal greetings (30): the library's choice, a festival greeting goes to
    everyone and can be dropped first when the callers' day is full."""

    REASONS: ClassVar[tuple[Reason, ...]] = tuple(
        Reason(
            f"{festival.label('en')} greeting, the festival falls on {{target}}",
            f"{{target}}{festival.label('zh')}问候",
        )
        for festival in _FESTIVALS
    )
    """Why: the festival, one reason per [`Festival`][aftersales_crm.calendars.Festival]."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "festivals": SubsetOf(tuple(f.value for f in _FESTIVALS), what="festivals"),
        "days_before": Whole(low=0, high=60, unit="days"),
        **TASK_PARAMETERS,
    }

    def __init__(
        self,
        *,
        festivals: tuple[str, ...] = FESTIVALS,
        days_before: int = DAYS_BEFORE,
        channel: str = ContactChannel.SMS.value,
        priority: int = PRIORITY,
    ) -> None:
        self.festivals = festivals
        self.days_before = days_before
        self.channel = channel
        self.priority = priority

    def plan(self, inputs: CareInputs) -> CareTasks:
        """The festival greetings whose window meets the days of ``inputs``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it), or a festival
                falls outside the lunar table's years (1900 to 2100).
            InvalidType: ``inputs`` is not [`CareInputs`][aftersales_crm.care.CareInputs].
        """
        params = validate_params(self)
        inputs = care_inputs(inputs, self)
        owners = _owners(inputs)
        first, last = _greeting_days(inputs, params["days_before"], 0)
        parts = []
        for year in range(int(_year(np.array([first]))[0]), int(_year(np.array([last]))[0]) + 1):
            for code, festival in enumerate(_FESTIVALS):
                if festival.value not in params["festivals"]:
                    continue
                on = np.datetime64(festival.on(year), "D")
                if not first <= on <= last:
                    continue
                parts.append(
                    _build(
                        FESTIVAL_GREETING,
                        self.REASONS,
                        inputs,
                        {**params, "window_days": 0},
                        customer=owners,
                        occasion=np.full(len(owners), on),
                        reason=code,
                        detail=year,
                        source=festival.value,
                        source_table="festivals",
                    )
                )
        return CareTasks.concat(parts) if parts else _none(inputs, self.REASONS)


def _none(inputs: CareInputs, reasons: tuple[Reason, ...]) -> CareTasks:
    """No festival greetings."""
    return CareTasks._trusted(
        FESTIVAL_GREETING,
        reasons,
        customer=Texts(np.empty(0, np.int64), inputs.customer_ids),
        due=np.empty(0, "datetime64[D]"),
    )
