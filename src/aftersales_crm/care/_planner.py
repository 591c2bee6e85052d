"""The planner: care rules and contact rules over the customer base, into an agenda."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from queue import SimpleQueue
from types import MappingProxyType
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, tuple_of
from aftersales_crm._params import (
    Constraint,
    Instance,
    OrNone,
    TimeZone,
    Whole,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import Labels, Parameterised
from aftersales_crm.calendars import HolidayCalendar, WeekendCalendar
from aftersales_crm.care._agenda import (
    BLOCKED,
    CLOSED,
    OPEN,
    OVERDUE,
    Agenda,
    in_agenda_order,
)
from aftersales_crm.care._contact import (
    DEFAULT_CONTACT_RULES,
    AllOf,
    ContactRule,
    Verdicts,
    prepare_rule,
)
from aftersales_crm.care._facts import join, sort_numbers, sort_rows
from aftersales_crm.care._followup_calls import FollowUpCalls
from aftersales_crm.care._greetings import (
    FestivalGreetings,
    LunarBirthday,
    OwnerBirthday,
    VehicleAnniversary,
)
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._maintenance import FirstMaintenanceDue, MaintenanceDue
from aftersales_crm.care._renewals import (
    AnnualInspection,
    ComplaintFollowUp,
    InsuranceRenewal,
    WarrantyEnding,
    WinBack,
)
from aftersales_crm.care._rule import (
    PRIORITY_RANGE,
    READS_FEATURES,
    READS_VEHICLES,
    CareRule,
    PoliciesOf,
    PolicyOf,
)
from aftersales_crm.care._tasks import CHANNELS, REACHED_OUTCOMES, CareTasks, Texts
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, MileageModel
from aftersales_crm.features._inputs import as_tables, mapped, threads_of
from aftersales_crm.records import Book, ContactOutcome
from aftersales_crm.tables import Tables
from aftersales_crm.values import ContactPurpose

__all__ = ["BOOSTS", "LOOKBACK_DAYS", "Planner", "closed_tasks"]

LOOKBACK_DAYS: Final = 14
"""Days before the first day asked for whose tasks the agenda shows too: two weeks, the
library's choice, so that the follow-up calls and reminders missed in the last fortnight
show as overdue rather than vanish."""

BOOSTS: Final[Mapping[str, int]] = MappingProxyType(
    {"A": 20, "B": 10, "diamond": 20, "platinum": 15, "gold": 10, "swinging": 10}
)
"""Priority added to the tasks of customers with these labels (value tier, member level,
loyalty status), the library's choice after the material's strategies: focus on class A,
take care of class B (重点抓A类客户, 照顾B类客户, the CSI course), members by level, and
"most of the marketing budget" on swinging customers (the loyalty × value matrix of
《斯柯达车友汇客户关爱总监培训教材》). Labels not listed add nothing.

Examples:
    >>> BOOSTS["A"], BOOSTS.get("C", 0)
    (20, 0)
"""

_REACHED: Final = np.array([o in REACHED_OUTCOMES for o in ContactOutcome], dtype=bool)
_PURPOSES: Final = tuple(ContactPurpose)


class _Boosts(Constraint):
    """Label name → whole priority points."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected a mapping of label name to whole points from -{PRIORITY_RANGE} to {PRIORITY_RANGE}"

    def check(self, value: Any, params: Mapping[str, Any]) -> Mapping[str, int]:
        """``value`` as a dict."""
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str)
            and isinstance(v, int | np.integer)
            and not isinstance(v, bool)
            and abs(int(v)) <= PRIORITY_RANGE
            for k, v in value.items()
        ):
            raise Broken(self.rule)
        return {k: int(v) for k, v in value.items()}


class Planner(Parameterised):
    """The care agenda: who to contact, when, why and how, honouring consent.

    [`agenda`][aftersales_crm.care.Planner.agenda] runs every care rule over the customer base for the days asked for
    (and ``lookback`` days before, so that overdue tasks show), merges tasks that the
    same rule made twice for the same source and day, raises the priority of valued
    customers (``segments`` and ``boosts``), gives each task the contact rule's
    verdict, and tells each task's status on ``as_of``: closed when a contact that counts
    for it was made ([`TaskKind`][aftersales_crm.care.TaskKind] says which), blocked when the
    contact rule blocks it, overdue when its window ended before ``as_of``, open
    otherwise. Open and overdue tasks of one customer on one channel whose windows
    overlap are one call.

    The result depends on the facts and the days only: the same facts in any order give
    the same agenda, and the agenda of a range of days holds the tasks of each day's
    agenda (asked on the same ``as_of``). A contact rule may look at every task due in the
    same ISO week and calendar month as a task (the frequency cap does): the planner gives
    it them all, whatever days were asked for.

    Attributes:
        rules: the care rules (default [`RULES`][aftersales_crm.care.Planner.RULES]: every built-in rule with its
            defaults, the full agenda).
        contact: the contact rule (default ``all_of(*DEFAULT_CONTACT_RULES)``: consent,
            do not contact, cooling off, frequency cap).
        calendar: the holiday calendar (default weekends off).
        time_zone: the dealers' time zone (default ``Asia/Shanghai``).
        lookback: days before the first day asked for whose tasks show too (default
            [`LOOKBACK_DAYS`][aftersales_crm.care.LOOKBACK_DAYS]).
        boosts: priority added per label of the ``segments`` passed to [`agenda`][aftersales_crm.care.Planner.agenda]
            (default [`BOOSTS`][aftersales_crm.care.BOOSTS]).
        mileage: the km/day model of the vehicle features the rules read (maintenance
            and first maintenance due by mileage, win-back's hand-over): a fitted
            [`MileageModel`][aftersales_crm.features.MileageModel] is used as it is, such as
            the whole network's when the data is one part of it; None, the default, fits
            one on the data, as [`features.compute`][aftersales_crm.features.compute] does.
        threads: 1 runs the agenda on the calling thread alone; more (None, the default:
            one per CPU) plans with the rules side by side (so a rule's ``plan`` must not
            change shared state; [`CareInputs.memo`][aftersales_crm.care.CareInputs.memo]
            is safe), and checks contacts while a second thread puts the tasks in agenda
            order and finds the closed ones (the verdicts are put in that order, and the
            allowed tasks grouped into calls, as soon as both are known). The agenda is
            the same either way.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> planner = Planner()
        >>> agenda = planner.agenda(synthetic.book(60, seed=1), on=date(2026, 6, 30))
        >>> len(agenda) > 0, agenda.start
        (True, datetime.date(2026, 6, 30))
    """

    RULES: ClassVar[tuple[CareRule, ...]] = ()
    """The default care rules: every built-in rule, each with its defaults (set below,
    once the rules are defined). The follow-up calls, the first and routine maintenance,
    the insurance renewal, the annual inspection, the end of the warranty, the call after
    a complaint, win-back (the matrix's lost customers of high value, and the vehicles
    routine maintenance hands over), the birthdays (solar and lunar), the vehicle's
    anniversary and the festivals: the agenda a dealer expects from ``Planner()``. The
    library's choice; pass ``rules=`` to run fewer (the maintenance reminders alone, say)
    or others.

    Examples:
        >>> sorted(type(rule).__name__ for rule in Planner.RULES)[:3]
        ['AnnualInspection', 'ComplaintFollowUp', 'FestivalGreetings']
        >>> len(Planner.RULES)
        12
    """

    CONTACT: ClassVar[ContactRule] = AllOf(rules=DEFAULT_CONTACT_RULES)
    """The default contact rule: [`DEFAULT_CONTACT_RULES`][aftersales_crm.care.DEFAULT_CONTACT_RULES], all of them."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "rules": OrNone(PoliciesOf("care_rule", "plan")),
        "contact": OrNone(PolicyOf("contact_rule", "check")),
        "calendar": Instance(HolidayCalendar, "a holiday calendar (is_day_off(day) and name(day))"),
        "time_zone": TimeZone(),
        "lookback": Whole(low=0, high=366, unit="days"),
        "boosts": _Boosts(),
        "mileage": OrNone(Instance(MileageModel, "a features.MileageModel")),
        "threads": OrNone(Whole(low=1)),
    }

    def __init__(
        self,
        *,
        rules: Sequence[CareRule] | None = None,
        contact: ContactRule | None = None,
        calendar: HolidayCalendar = WeekendCalendar(),  # noqa: B008 - frozen, shared safely
        time_zone: str = DEFAULT_TIME_ZONE,
        lookback: int = LOOKBACK_DAYS,
        boosts: Mapping[str, int] = BOOSTS,
        mileage: MileageModel | None = None,
        threads: int | None = None,
    ) -> None:
        self.rules = rules
        self.contact = contact
        self.calendar = calendar
        self.time_zone = time_zone
        self.lookback = lookback
        self.boosts = boosts
        self.mileage = mileage
        self.threads = threads

    def agenda(
        self,
        data: Tables | Book,
        on: date | str | None = None,
        *,
        start: date | str | None = None,
        end: date | str | None = None,
        as_of: date | str | None = None,
        segments: Sequence[Labels] = (),
    ) -> Agenda:
        """The agenda of one day (``on``) or of the days from ``start`` to ``end``.

        Args:
            data: the customer base, as tables or a Book.
            on: the day; or give ``start`` (and ``end``, default ``start``) instead.
            start: the first day of a range.
            end: the last day of a range.
            as_of: facts known by the end of this day count, and statuses are on it
                (default ``on`` or ``start``).
            segments: per-customer labels aligned with the customer table (value tiers,
                member levels, loyalty statuses: a policy's ``assign`` on the features
                of ``data``); each label listed in ``boosts`` raises the priority of
                its customers' tasks.

        Returns:
            The [`Agenda`][aftersales_crm.care.Agenda].

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it), the days are not
                dates or run backwards, ``on`` is given with ``start``/``end``, or a
                segment does not have one label per customer.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> from aftersales_crm.segmentation import ParetoABC
            >>> book = synthetic.book(60, seed=1)
            >>> tiers = ParetoABC().fit(features.compute(book, as_of=date(2026, 6, 30)))
            >>> feats = features.compute(book, as_of=date(2026, 6, 30))
            >>> agenda = Planner().agenda(book, on=date(2026, 6, 30), segments=[tiers.assign(feats)])
            >>> plain = Planner().agenda(book, on=date(2026, 6, 30))
            >>> int(agenda.tasks.priority.sum()) > int(plain.tasks.priority.sum())
            True
        """
        params = validate_params(self)
        if params["rules"] is None:
            params["rules"] = type(self).RULES
        if params["contact"] is None:
            params["contact"] = type(self).CONTACT
        first, last, known = _days(on, start, end, as_of)
        tables = as_tables(data)
        segments = _segments(segments, len(tables.customers))
        lookback = timedelta(days=params["lookback"])
        inputs = CareInputs(
            tables=tables,
            start=first - lookback,
            end=last,
            as_of=known,
            calendar=params["calendar"],
            time_zone=params["time_zone"],
            mileage=params["mileage"],
        )
        threads = threads_of(params["threads"])
        tasks, inputs = _planned(params["rules"], inputs, threads, params["contact"])
        inputs._forget_planning()  # what only the rules read: freed for the work below
        customers = inputs.customer_rows(tasks)
        if len(tasks) and segments:
            boost = _boosts(segments, params["boosts"], len(tables.customers))
            tasks = _with(tasks, priority=(tasks.priority + boost[customers]).astype(np.int64))
        lowest = np.datetime64(first - lookback, "D")
        highest = np.datetime64(last, "D")
        shown = np.flatnonzero((tasks.window_end >= lowest) & (tasks.window_start <= highest))
        # The contact rule's verdicts and the shown tasks in agenda order with their closing
        # contacts are independent: big numpy work that releases the GIL, so both at once.
        ordered: SimpleQueue[NDArray[np.intp] | BaseException] = SimpleQueue()
        if threads > 1:
            with ThreadPoolExecutor(max_workers=1) as side:
                shown_tasks = side.submit(_shown, tasks, customers, inputs, shown, ordered)
                verdicts = _verdicts(params["contact"], tasks, inputs)
                order = ordered.get()
                if isinstance(order, BaseException):  # the agenda order's error
                    raise order
                early = _in_agenda_order(verdicts, tasks, customers, order)
                _, in_order, closed = shown_tasks.result()
        else:
            verdicts = _verdicts(params["contact"], tasks, inputs)
            order, in_order, closed = _shown(tasks, customers, inputs, shown, ordered)
            early = _in_agenda_order(verdicts, tasks, customers, order)
        allowed, reason, channel, hours, calls = early
        tasks = _with(in_order, channel=channel)
        # Open or overdue, unless blocked, unless closed: what happened counts first.
        status = np.where(tasks.window_end < inputs.as_of_day, OVERDUE, OPEN).astype(np.int8)
        status[~allowed] = BLOCKED
        status[closed] = CLOSED
        blocked_by = np.where(status == BLOCKED, reason, -1)
        return Agenda(
            tasks=tasks,
            status=status,
            blocked_by=blocked_by,
            block_reasons=verdicts.reasons,
            call=_calls_of(calls, allowed & ~closed, tasks),
            start=first,
            end=last,
            as_of=known,
            lookback=params["lookback"],
            hours=hours,
        )


def _verdicts(contact: ContactRule, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
    """The contact rule's verdicts on ``tasks``, one per task, or an error naming the rule."""
    verdicts = contact.check(tasks, inputs)
    if not isinstance(verdicts, Verdicts) or len(verdicts) != len(tasks):
        msg = f"the contact rule {type(contact).__name__} gave no verdict per task"
        raise InvalidValue(msg, code="verdicts")
    return verdicts


def _shown(
    tasks: CareTasks,
    customers: NDArray[np.int64],
    inputs: CareInputs,
    rows: NDArray[np.intp],
    ordered: SimpleQueue[NDArray[np.intp] | BaseException],
) -> tuple[NDArray[np.intp], CareTasks, NDArray[np.bool_]]:
    """The ``rows`` of ``tasks`` in agenda order, those tasks, and whether each is closed.

    ``ordered`` is given the rows in agenda order as soon as they are known (or the error
    that stopped them, which this function raises too).
    """
    try:
        order = _agenda_order(tasks, customers, inputs, rows)
    except BaseException as error:
        ordered.put(error)
        raise
    ordered.put(order)
    shown = tasks.take(order)
    return order, shown, closed_tasks(shown, inputs)


def _in_agenda_order(
    verdicts: Verdicts, tasks: CareTasks, customers: NDArray[np.int64], order: NDArray[np.intp]
) -> tuple[NDArray[np.bool_], NDArray[np.int16], NDArray[np.int8], NDArray[np.int64], _CallOrder]:
    """The verdicts of the tasks at ``order`` (allowed, reason, channel, hours), and the allowed ones in call order.

    Nothing here waits for the shown tasks to be taken, so it is done meanwhile: a
    call's tasks are among the allowed ones (the closed ones are dropped from them after).
    """
    allowed = verdicts.allowed[order]
    channel = verdicts.channel[order].astype(np.int8, copy=False)
    calls = _call_order(
        channel, tasks.window_start[order], customers[order], np.flatnonzero(allowed)
    )
    return allowed, verdicts.reason[order], channel, verdicts.hours[order], calls


def _days(on: object, start: object, end: object, as_of: object) -> tuple[date, date, date]:
    if on is not None and (start is not None or end is not None):
        msg = "give either on (one day) or start and end (a range), not both"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if on is None and start is None:
        msg = "give the day (on) or the first day of a range (start)"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    first = as_of_date(
        on if on is not None else start, parameter="on" if on is not None else "start"
    )
    last = first if end is None else as_of_date(end, parameter="end")
    if last < first:
        msg = f"end {last.isoformat()} is before start {first.isoformat()}"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    known = first if as_of is None else as_of_date(as_of)
    return first, last, known


def _segments(segments: object, n: int) -> tuple[Labels, ...]:
    found = tuple_of(segments, parameter="segments")
    for i, labels in enumerate(found):
        if not isinstance(labels, Labels):
            msg = f"segments[{i}] is {type(labels).__name__}, expected Labels (a policy's assign)"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        if len(labels) != n:
            msg = f"segments[{i}] has {len(labels)} labels for {n} customers; give one per customer"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
    return found


def _boosts(segments: tuple[Labels, ...], boosts: Mapping[str, int], n: int) -> NDArray[np.int64]:
    out = np.zeros(n, dtype=np.int64)
    for labels in segments:
        points = np.array([boosts.get(name, 0) for name in labels.names] + [0], dtype=np.int64)
        out += points[labels.codes]
    return out


def _rule_tasks(
    rules: tuple[CareRule, ...],
    inputs: CareInputs,
    threads: int,
    contact: ContactRule | None = None,
) -> list[CareTasks]:
    """The tasks of each rule, in the order of the rules; and ``contact`` prepared.

    When a rule reads the customer features ([`READS_FEATURES`][aftersales_crm.care.READS_FEATURES]),
    they are computed first, once, and the vehicle features with them: every rule then
    shares both. On more than one thread the rules plan side by side, those reading no
    feature at all while the features are computed, and so does the contact rule's
    optional ``prepare``; the tasks, and the first error (the rules' in their order, then
    the contact rule's), are the same as on one.
    """
    if threads <= 1 or len(rules) <= 1:
        _features_first(rules, inputs)
        tasks = [_checked(rule, rule.plan(inputs)) for rule in rules]
        prepare_rule(contact, inputs)
        return tasks
    with ThreadPoolExecutor(max_workers=threads) as pool:
        early = {i: pool.submit(rule.plan, inputs) for i, rule in enumerate(rules) if _alone(rule)}
        prepared = pool.submit(prepare_rule, contact, inputs)
        _features_first(rules, inputs)
        planned = [early.get(i) or pool.submit(rule.plan, inputs) for i, rule in enumerate(rules)]
        tasks = [_checked(rule, done.result()) for rule, done in zip(rules, planned, strict=True)]
        prepared.result()
        return tasks


def _alone(rule: CareRule) -> bool:
    """Whether ``rule`` says it reads no customer and no vehicle feature."""
    return (
        not getattr(rule, READS_FEATURES, False)
        and getattr(rule, READS_VEHICLES, None) == frozenset()
    )


def _checked(rule: CareRule, tasks: object) -> CareTasks:
    """``tasks`` if ``rule`` gave CareTasks (a user's rule may give anything)."""
    if not isinstance(tasks, CareTasks):
        msg = f"{type(rule).__name__}.plan gave {type(tasks).__name__}, expected CareTasks"
        raise InvalidType(msg)
    return tasks


def _features_first(rules: tuple[CareRule, ...], inputs: CareInputs) -> None:
    """The customer features the rules read, computed once.

    Only the columns they name when every rule reading them names its columns; and only
    the vehicle features they name when every rule names them
    ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES]).
    """
    named = [getattr(rule, READS_VEHICLES, None) for rule in rules]
    vehicles = [columns for columns in named if isinstance(columns, frozenset)]
    # A rule naming none reads every column.
    inputs.limit_vehicles(frozenset().union(*vehicles) if len(vehicles) == len(named) else None)
    columns: set[str] = set()
    for rule in rules:
        read = getattr(rule, READS_FEATURES, False)
        if isinstance(read, frozenset):
            columns |= read
        elif read:  # True, or a user's truthy hint: every column
            _ = inputs.features
            return
    if columns:
        inputs.features_with(frozenset(columns))


def _planned(
    rules: tuple[CareRule, ...],
    asked: CareInputs,
    threads: int = 1,
    contact: ContactRule | None = None,
) -> tuple[CareTasks, CareInputs]:
    """The rules' tasks, merged, and the inputs over the days they were planned on; ``contact`` prepared.

    A contact rule may look at every task due in the same ISO week and month as a task
    shown (the frequency cap does), so the rules plan the whole weeks and months of the
    due days of the tasks meeting the days ``asked`` for.

    Why one pass is exact: a care rule gives every task whose window meets its days and
    only those (the [`CareRule`][aftersales_crm.care.CareRule] contract, which the
    range-splitting checks test), so the tasks a rule gives on days ``D`` are those it
    gives on any wider days that meet ``D``. The rules run once, on days guessed to hold
    the periods needed (``_REACH``); the tasks meeting ``asked`` among them are those of a
    pass on ``asked``, so their due days give the periods needed; when the guess holds
    these, the tasks meeting them are the very tasks a pass on them gives, and everything
    after depends on the tasks only, not on their order. Only due days beyond the guess
    (a rule's windows open longer after their due day) run the rules again.
    """
    first, last = np.datetime64(asked.start, "D"), np.datetime64(asked.end, "D")
    guess = asked.with_days(*_whole_periods(first - _REACH, last, asked))
    parts = _rule_tasks(rules, guess, threads, contact)
    shown = [part.due[asked.meets(part.window_start, part.window_end)] for part in parts]
    dues = [due for due in shown if len(due)]
    days = (
        _whole_periods(min(due.min() for due in dues), max(due.max() for due in dues), asked)
        if dues
        else (asked.start, asked.end)
    )
    # Made from the guess, so as to share what was derived from the facts (customer rows…).
    needed = guess.with_days(*days)
    if needed.start < guess.start or needed.end > guess.end:
        return _plan(_rule_tasks(rules, needed, threads), threads), needed

    def kept(part: CareTasks) -> CareTasks:
        rows = np.flatnonzero(needed.meets(part.window_start, part.window_end))
        return part if len(rows) == len(part) else part.take(rows)

    return _plan(mapped(kept, parts, threads), threads), needed


_REACH: Final = np.timedelta64(46, "D")
"""How far before the days asked for the planner guesses the due days of the tasks they
show go back (a task due earlier whose window is still open shows): the built-in rules'
windows stay open at most 45 days after their due day (the end of the warranty's), with
their defaults. Only speed depends on it: a guess too short plans again, one too long
makes tasks only to drop them."""


def _plan(parts: list[CareTasks], threads: int) -> CareTasks:
    """The tasks of every rule, one task per kind, source, customer, vehicle and due day."""
    made = [
        {kind.name for code, kind in enumerate(p.kinds) if (p.kind == code).any()} for p in parts
    ]
    shared = {
        name
        for i, names in enumerate(made)
        for name in names
        if any(name in other for other in made[i + 1 :])
    }
    return _merged(CareTasks._joined(tuple(parts), threads, later=_JOINED_LATER), shared)


_JOINED_LATER: Final = frozenset({"vehicle", "target", "reason", "detail", "anchor", "source"})
"""The columns of the rules' tasks not joined whole: no contact rule of the library and
nothing before the agenda order reads them, so the shown tasks take them from each rule's
tasks (the ids of the facts that caused the tasks, texts of several tables, are the
dearest column to join); a user's contact rule reading one joins it whole then."""


def _whole_periods(
    earliest: np.datetime64, latest: np.datetime64, asked: CareInputs
) -> tuple[date, date]:
    """The days of ``asked`` widened to the whole ISO weeks and months of ``earliest`` to ``latest``."""
    month_start = earliest.astype("datetime64[M]").astype("datetime64[D]")
    week_start = earliest - np.timedelta64(int((earliest.view(np.int64) + 3) % 7), "D")
    month_end = (latest.astype("datetime64[M]") + 1).astype("datetime64[D]") - np.timedelta64(
        1, "D"
    )
    week_end = latest + np.timedelta64(6 - int((latest.view(np.int64) + 3) % 7), "D")
    first = min(np.datetime64(asked.start, "D"), month_start, week_start).item()
    last = max(np.datetime64(asked.end, "D"), month_end, week_end).item()
    return first, last


def _with(tasks: CareTasks, **columns: NDArray[Any]) -> CareTasks:
    """``tasks`` with columns the planner computed (of the right type and length) replaced."""
    return tasks._replaced(**columns)


def _merged(tasks: CareTasks, shared: set[str]) -> CareTasks:
    """One task per kind, source, customer, vehicle and due day, the most important one.

    A rule gives each of its tasks once; two rules (or one rule listed twice) may make the
    same task, so the tasks of the ``shared`` kinds, made by more than one rule, are merged.
    """
    if not shared:
        return tasks
    # Kinds as codes: the concatenated tasks hold one kind per name.
    codes = [code for code, kind in enumerate(tasks.kinds) if kind.name in shared]
    of_shared = np.isin(tasks.kind, codes)
    rows = np.flatnonzero(of_shared)
    some = tasks.take(rows)
    order = some.canonical_order()
    rank = np.empty(len(some), dtype=np.int64)
    rank[order] = np.arange(len(some))
    keys = (
        some.source_table,
        some.source,
        some.vehicle,
        some.kind,
        some.customer,
        some.due,
    )
    # Within a key, the highest priority first, then the canonical order.
    by_key = np.lexsort((rank, -some.priority, *keys))
    same = np.r_[False, np.ones(len(some) - 1, dtype=bool)]
    for column in keys:
        ordered = column[by_key]
        same[1:] &= ordered[1:] == ordered[:-1]
    kept = rows[by_key[~same]]
    return tasks.take(np.sort(np.r_[np.flatnonzero(~of_shared), kept]))


def _agenda_order(
    tasks: CareTasks, customers: NDArray[np.int64], inputs: CareInputs, rows: NDArray[np.intp]
) -> NDArray[np.intp]:
    """The ``rows`` of ``tasks`` in [`agenda_order`][aftersales_crm.care.agenda_order], the ids ranked once per agenda."""
    id_rank = np.empty(len(inputs.customer_ids), dtype=np.int64)
    id_rank[inputs.customer_rank_order] = np.arange(len(id_rank))
    return in_agenda_order(tasks, id_rank[customers[rows]], rows)


_CallOrder = tuple[NDArray[np.intp], NDArray[np.int64], NDArray[np.int64], int]


def _call_order(
    channel: NDArray[np.int8],
    window_start: NDArray[np.datetime64],
    customers: NDArray[np.int64],
    rows: NDArray[np.intp],
) -> _CallOrder:
    """The ``rows`` (ascending) by customer and channel, then window start: a call's tasks together.

    With each row's customer and channel as one number, its window start (days from the
    earliest), and that earliest day. Any rows a call may hold will do (the allowed
    tasks, before the closed ones are known): ``_calls_of`` keeps the live ones, in the
    same order.
    """
    if not len(rows):
        return rows, rows.astype(np.int64), rows.astype(np.int64), 0
    who = customers[rows] * len(CHANNELS) + channel[rows]  # customer and channel
    start = window_start[rows].view(np.int64)
    low = int(start.min())
    days = int(start.max()) - low + 1
    room = (int(who.max()) + 1) * days
    # Every window holds its start (start <= end), so in this order a call's tasks come
    # together, in any order among equal starts. One whole number per task, sorted,
    # gives both the order and the keys in it.
    if room < 1 << 62:
        order, key = sort_numbers(who * days + (start - low), room)
        who, start = np.divmod(key, days)
    else:  # beyond any calendar's days and customer base
        order = sort_rows(who, start)
        who, start = who[order], start[order] - low
    return rows[order], who, start, low


def _calls_of(ordered: _CallOrder, live: NDArray[np.bool_], tasks: CareTasks) -> NDArray[np.int64]:
    """The call of each live (open or overdue) task, -1 for the others, from rows put in ``_call_order``.

    Live tasks of one customer and channel whose windows overlap are one call.
    """
    call = np.full(len(tasks), -1, dtype=np.int64)
    rows, who, start, low = ordered
    keep = live[rows]
    if not keep.all():
        rows, who, start = rows[keep], who[keep], start[keep]
    if not len(rows):
        return call
    end = tasks.window_end.view(np.int64)[rows] - low
    same = np.r_[False, who[1:] == who[:-1]]
    group = np.cumsum(~same)
    # The latest window end so far within each (customer, channel) group.
    shift = int(end.max()) + 1
    reach = np.maximum.accumulate(end + group * shift) - group * shift
    overlaps = same & (start <= np.r_[np.iinfo(np.int64).min, reach[:-1]])
    # Each call's tasks lie together in this order. Calls are numbered in the order their
    # first task comes in the agenda: as ``renumber`` would, without its scattered minimum.
    begins = np.flatnonzero(~overlaps)
    first = np.minimum.reduceat(rows, begins)
    opens = np.zeros(len(tasks), dtype=bool)
    opens[first] = True
    number = np.cumsum(opens)[first] - 1
    call[rows] = np.repeat(number, np.diff(np.r_[begins, len(rows)]))
    return call


def closed_tasks(tasks: CareTasks, inputs: CareInputs) -> NDArray[np.bool_]:
    """Whether a contact (or a visit) that counts for each task was made by ``as_of``.

    A contact counts for a task when it is with the task's customer, of one of the
    purposes the task's kind is closed by, reached the customer
    ([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES]), was made (its business date) from
    the task's anchor or window start (as its kind says) to ``as_of``, and is not about
    another vehicle or another repair order than the task. For kinds closed by a visit, a
    repair order of the customer (for that vehicle, if the task has one) opened in the same
    days counts too.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import CareInputs, FollowUpCalls
        >>> inputs = CareInputs.of(synthetic.book(40, seed=1), start=date(2026, 6, 1),
        ...                        end=date(2026, 6, 30), as_of=date(2026, 6, 30))
        >>> tasks = FollowUpCalls().plan(inputs)
        >>> done = closed_tasks(tasks, inputs)
        >>> 0 < int(done.sum()) < len(tasks)
        True
    """
    out = np.zeros(len(tasks), dtype=bool)
    if not len(tasks):
        return out
    customers = inputs.customer_rows(tasks)
    frm = _close_from(tasks)
    tables = inputs.tables
    contacts = tables.contacts
    days = inputs.table_days("contacts", "at")
    # Contacts made before the first day of every task count for none.
    useful = inputs.known("contacts", "at") & _REACHED[contacts["outcome"]] & (days >= frm.min())
    c_rows = np.flatnonzero(useful)
    c_key = (
        contacts["customer"][c_rows].astype(np.int64) * len(_PURPOSES) + contacts["purpose"][c_rows]
    )
    # In key order once: each join below sorts them by key again, then in one pass.
    by_key = np.argsort(c_key, kind="stable")
    c_rows, c_key = c_rows[by_key], c_key[by_key]
    c_day = days[c_rows]
    # Texts as rows into the tables' texts: compared as rows, as texts only where rows differ.
    c_vin = _pointing(contacts["vehicle"][c_rows], inputs.texts("vehicles", "vin"))
    c_order = _pointing(contacts["order"][c_rows], inputs.texts("orders"))
    c_no_vin, c_no_order = _blank(c_vin), _blank(c_order)
    # Few customers were reached: only their tasks are joined with the contacts (a task
    # of another customer has no contact to count), so the columns are read for them alone.
    some = _among(customers, c_key // len(_PURPOSES), len(inputs.customer_ids))
    some_kind = tasks.kind[some]
    t_vehicle = tasks.texts("vehicle")._taken(some)
    t_source = tasks.texts("source")._taken(some)
    t_no_vehicle = _blank(t_vehicle)
    t_of_orders = tasks.texts("source_table")._taken(some).matches("orders")
    visit_rows = []
    for code, kind in enumerate(tasks.kinds):
        if kind.closed_by_visit:
            visit_rows.append(np.flatnonzero(tasks.kind == code))
        of_kind = np.flatnonzero(some_kind == code)  # positions in some
        if not len(of_kind):
            continue
        for purpose in kind.closed_by:
            t_key = customers[some[of_kind]] * len(_PURPOSES) + _PURPOSES.index(purpose)
            left, right = join(t_key, c_key)
            task = of_kind[left]
            day = c_day[right]
            fits = np.flatnonzero((day >= frm[some[task]]) & (day <= inputs.as_of_day))
            task, right = task[fits], right[fits]
            ok = c_no_vin[right] | t_no_vehicle[task]
            ok |= _same_where(~ok, c_vin, right, t_vehicle, task)
            mine = c_no_order[right] | ~t_of_orders[task]
            ok &= mine | _same_where(ok & ~mine, c_order, right, t_source, task)
            out[some[task[ok]]] = True
    visits = [rows for rows in visit_rows if len(rows)]
    if visits:
        rows = np.concatenate(visits)
        out[rows] |= _visited(tasks, rows, customers, frm, inputs)
    return out


def _among(customers: NDArray[np.int64], others: NDArray[np.int64], n: int) -> NDArray[np.intp]:
    """The positions of ``customers`` (rows of the ``n`` customers) that are among ``others``."""
    known = np.zeros(n, dtype=bool)
    known[others] = True
    return np.flatnonzero(known[customers])


def _close_from(tasks: CareTasks) -> NDArray[np.datetime64]:
    """The first day a contact counts for each task: its anchor or its window's start."""
    from_anchor = np.array([kind.closes_from == "anchor" for kind in tasks.kinds] or [False])
    use_anchor = from_anchor[tasks.kind] & ~np.isnat(tasks.anchor)
    return np.where(use_anchor, tasks.anchor, tasks.window_start)


def _pointing(rows: NDArray[np.integer[Any]], ids: NDArray[np.str_]) -> Texts:
    """Rows of a table (negative for none) as [`Texts`][aftersales_crm.care.Texts] into its ``ids``."""
    codes = rows.astype(np.int64)
    return Texts(np.where(codes >= 0, codes, -1) if len(ids) else np.full(len(codes), -1), ids)


def _blank(texts: Texts) -> NDArray[np.bool_]:
    """Whether each row's text is ``""``."""
    return texts.matches("")


def _same_where(
    where: NDArray[np.bool_], a: Texts, a_rows: NDArray[np.intp], b: Texts, b_rows: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Whether the texts of ``a`` at ``a_rows`` equal those of ``b`` at ``b_rows``, where asked.

    Rows into the same texts that are the same row are equal; the texts themselves are
    made only for the other pairs asked about.
    """
    out = np.zeros(len(where), dtype=bool)
    ask = np.flatnonzero(where)
    codes_a, codes_b = a.codes[a_rows[ask]], b.codes[b_rows[ask]]
    if a.ids is b.ids:
        same = codes_a == codes_b
        out[ask[same]] = True
        ask, codes_a, codes_b = ask[~same], codes_a[~same], codes_b[~same]
    if len(ask):
        out[ask] = Texts(codes_a, a.ids).values() == Texts(codes_b, b.ids).values()
    return out


def _visited(
    tasks: CareTasks,
    rows: NDArray[np.intp],
    customers: NDArray[np.int64],
    frm: NDArray[np.datetime64],
    inputs: CareInputs,
) -> NDArray[np.bool_]:
    orders = inputs.tables.orders
    days = inputs.table_days("orders", "opened_at")
    # Orders opened before the first day of every task count for none.
    o_rows = np.flatnonzero(inputs.known("orders", "opened_at") & (days >= frm[rows].min()))
    o_day = days[o_rows]
    o_vin = _pointing(orders["vehicle"][o_rows], inputs.texts("vehicles", "vin"))
    o_customer = orders["customer"][o_rows].astype(np.int64)
    # Only the tasks of customers with such an order are joined with them.
    some = rows[_among(customers[rows], o_customer, len(inputs.customer_ids))]
    left, right = join(customers[some], o_customer)
    task = some[left]
    fits = np.flatnonzero((o_day[right] >= frm[task]) & (o_day[right] <= inputs.as_of_day))
    task, right = task[fits], right[fits]
    t_vehicle = tasks.texts("vehicle")
    ok = _blank(t_vehicle._taken(task))
    ok |= _same_where(~ok, o_vin, right, t_vehicle, task)
    out = np.zeros(len(tasks), dtype=bool)
    out[task[ok]] = True
    return out[rows]


Planner.RULES = (
    FollowUpCalls(),
    FirstMaintenanceDue(),
    MaintenanceDue(),
    InsuranceRenewal(),
    AnnualInspection(),
    WarrantyEnding(),
    ComplaintFollowUp(),
    WinBack(),
    OwnerBirthday(),
    LunarBirthday(),
    VehicleAnniversary(),
    FestivalGreetings(),
)
