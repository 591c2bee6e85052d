"""What care rules and contact rules read: the tables, the days asked for, the calendar.

[`CareInputs`][aftersales_crm.care.CareInputs] bundles them with what is derived from the facts once per planner run
and shared by every rule: the customer and vehicle features (computed the first time a
rule asks for them), and the business dates of the facts.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from datetime import date, tzinfo
from typing import Any, Final, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, to_time_zone
from aftersales_crm.calendars import HolidayCalendar, WeekendCalendar
from aftersales_crm.care._tasks import CareTasks
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import (
    DEFAULT_TIME_ZONE,
    FeatureTable,
    MileageModel,
    business_dates,
    compute,
    compute_vehicles,
)
from aftersales_crm.features._inputs import as_tables
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables

__all__ = ["OWNED_VEHICLES_READS", "CareInputs", "as_of_day", "end_day", "start_day"]

T = TypeVar("T")

OWNED_VEHICLES_READS: Final = frozenset({"owner"})
"""The vehicle features [`CareInputs.owned_vehicles`][aftersales_crm.care.CareInputs.owned_vehicles] reads."""


def _texts(values: NDArray[Any]) -> NDArray[np.str_]:
    given = np.asarray(values)
    if given.dtype.kind == "U" and not given.flags.writeable:
        return given  # a table's column of texts: read-only, held by the table alone
    out = given.astype(np.str_) if len(values) else np.empty(0, dtype="<U1")
    out.flags.writeable = False
    return out


def _tables(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Tables):
        msg = f"{attribute.name} is {type(value).__name__}, expected Tables (CareInputs.of takes a Book too)"
        raise InvalidType(msg)


def start_day(value: object) -> date:
    """``value`` as the first day asked for (a date or ISO text), or an error naming ``start``."""
    return as_of_date(value, parameter="start")


def end_day(value: object) -> date:
    """``value`` as the last day asked for, or an error naming ``end``."""
    return as_of_date(value, parameter="end")


def as_of_day(value: object) -> date:
    """``value`` as the day facts are known up to, or an error naming ``as_of``."""
    return as_of_date(value, parameter="as_of")


def _calendar(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, HolidayCalendar):
        msg = (
            f"calendar is {value!r:.80} ({type(value).__name__}), expected a holiday calendar"
            " with is_day_off(day) and name(day)"
        )
        raise InvalidValue(msg, code=ARGUMENT_CODE)


def _zone(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    to_time_zone(value)


def _mileage(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, MileageModel):
        msg = f"mileage is {value!r:.80} ({type(value).__name__}), expected a MileageModel or None"
        raise InvalidType(msg)


@attrs.frozen(eq=False, slots=False)
class CareInputs:
    """The input of care rules and contact rules.

    A care rule gives every task whose window meets the days from ``start`` to
    ``end`` ([`meets`][aftersales_crm.care.CareInputs.meets]); facts count when their business date (in ``time_zone``) is no later
    than ``as_of``, the day the agenda knows facts up to. The customer and vehicle
    features are computed on ``as_of`` the first time a rule reads [`features`][aftersales_crm.care.CareInputs.features], then
    shared.

    Attributes:
        tables: the customer base.
        start: the first day asked for.
        end: the last day asked for (not before ``start``).
        as_of: facts up to the end of this day count.
        calendar: the holiday calendar (default weekends off).
        time_zone: the dealers' time zone (default ``Asia/Shanghai``).
        mileage: the km/day model of the vehicle features: a fitted one is used as it
            is (the whole network's, when ``tables`` are one part of it); None, the
            default, fits one on ``tables``.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 7, 1))
        >>> inputs.end, inputs.as_of, len(inputs.features)
        (datetime.date(2026, 7, 1), datetime.date(2026, 7, 1), 5)
    """

    tables: Tables = attrs.field(validator=_tables)
    start: date = attrs.field(converter=start_day)
    end: date = attrs.field(converter=end_day)
    as_of: date = attrs.field(converter=as_of_day)
    calendar: HolidayCalendar = attrs.field(factory=WeekendCalendar, validator=_calendar)
    time_zone: str | tzinfo = attrs.field(default=DEFAULT_TIME_ZONE, validator=_zone)
    mileage: MileageModel | None = attrs.field(default=None, validator=_mileage)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            msg = f"end {self.end.isoformat()} is before start {self.start.isoformat()}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        # What memo keeps, and the locks making one value per key when rules or checks run
        # on threads; shared by the copies with_days makes (_SHARED).
        self.__dict__["_memo"] = {}
        self.__dict__["_memo_locks"] = _MemoLocks()
        self.__dict__["_planning_keys"] = set()  # the keys memo kept for_planning

    @classmethod
    def of(
        cls,
        data: Tables | Book,
        *,
        start: date | str,
        end: date | str | None = None,
        as_of: date | str | None = None,
        calendar: HolidayCalendar | None = None,
        time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
        mileage: MileageModel | None = None,
    ) -> CareInputs:
        """Inputs from tables or a Book; ``end`` and ``as_of`` default to ``start``.

        Raises:
            InvalidValue: ``data`` is neither tables nor a Book, a day is not a date, or
                ``end`` comes before ``start``.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> CareInputs.of(synthetic.book(3, seed=1), start="2026-07-01", end="2026-06-01")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: end 2026-06-01 is before start 2026-07-01
        """
        first = as_of_date(start, parameter="start")
        return cls(
            tables=as_tables(data),
            start=first,
            end=first if end is None else end,
            as_of=first if as_of is None else as_of,
            calendar=WeekendCalendar() if calendar is None else calendar,
            time_zone=time_zone,
            mileage=mileage,
        )

    def with_days(self, start: date, end: date) -> CareInputs:
        """The same inputs over other days, sharing what was derived from the facts.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> wider = inputs.with_days(date(2026, 6, 1), date(2026, 8, 1))
            >>> wider.start, wider.as_of
            (datetime.date(2026, 6, 1), datetime.date(2026, 7, 1))
        """
        wider = attrs.evolve(self, start=start, end=end)
        wider.__dict__.update(
            {name: value for name, value in self.__dict__.items() if name in _SHARED}
        )
        return wider

    @functools.cached_property
    def features(self) -> FeatureTable:
        """The customer features on ``as_of``, with the vehicle features as ``.vehicles``.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> inputs.features is inputs.features
            True
        """
        return compute(
            self.tables, as_of=self.as_of, time_zone=self.time_zone, mileage=self.mileage
        )

    def features_with(self, columns: frozenset[str] | None) -> FeatureTable:
        """The customer features on ``as_of`` holding at least ``columns`` (None: all).

        The whole [`features`][aftersales_crm.care.CareInputs.features] when they were computed
        already; else only the kernels giving ``columns`` run
        ([`compute`][aftersales_crm.features.compute] with ``columns=``), once: a later call
        asking for no other column gets the same table. Each column equals the whole
        table's, so a rule reading only its ``columns`` gives the same tasks either way.
        Its ``.vehicles`` hold the vehicle features of
        [`limit_vehicles`][aftersales_crm.care.CareInputs.limit_vehicles] (all of them by default).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> some = inputs.features_with(frozenset({"spend_window_fen"}))
            >>> list(some), inputs.features_with(frozenset()) is some
            (['spend_window_fen'], True)
            >>> some["spend_window_fen"].tolist() == inputs.features["spend_window_fen"].tolist()
            True
        """
        whole = self.__dict__.get("features")
        if columns is None or isinstance(whole, FeatureTable):
            return self.features
        some = self.__dict__.get("_some_features")
        if not isinstance(some, FeatureTable) or not columns <= some.columns.keys():
            wanted = columns | (some.columns.keys() if isinstance(some, FeatureTable) else set())
            some = compute(
                self.tables,
                as_of=self.as_of,
                time_zone=self.time_zone,
                mileage=self.mileage,
                columns=wanted,
                vehicle_columns=self._vehicle_columns(),
            )
            self.__dict__["_some_features"] = some
        return some

    @functools.cached_property
    def vehicles(self) -> FeatureTable:
        """The vehicle features on ``as_of``, computed once.

        The customer features' ``.vehicles`` when those were computed already (whole or
        [`some of them`][aftersales_crm.care.CareInputs.features_with]); else the vehicle
        features alone ([`compute_vehicles`][aftersales_crm.features.compute_vehicles]), faster:
        every column, or only those of [`limit_vehicles`][aftersales_crm.care.CareInputs.limit_vehicles].

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> "service_due" in inputs.vehicles
            True
        """
        for name in ("features", "_some_features"):
            known = self.__dict__.get(name)
            if isinstance(known, FeatureTable) and known.vehicles is not None:
                return known.vehicles
        return compute_vehicles(
            self.tables,
            as_of=self.as_of,
            time_zone=self.time_zone,
            mileage=self.mileage,
            columns=self._vehicle_columns(),
        )

    def limit_vehicles(self, columns: frozenset[str] | None) -> None:
        """Compute only the vehicle features ``columns`` (None: all), from now on.

        The planner's promise that its rules read no other vehicle column
        ([`READS_VEHICLES`][aftersales_crm.care.READS_VEHICLES]): the
        [`vehicles`][aftersales_crm.care.CareInputs.vehicles] and the ``.vehicles`` of
        [`features_with`][aftersales_crm.care.CareInputs.features_with] computed after it
        hold these columns alone, each equal to the whole table's (the whole
        [`features`][aftersales_crm.care.CareInputs.features] keep every one). Vehicle
        features computed already stay as they are.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> inputs.limit_vehicles(frozenset({"owner", "service_due"}))
            >>> sorted(inputs.vehicles), len(inputs.vehicles) == len(inputs.tables.vehicles)
            (['owner', 'service_due'], True)
        """
        self.__dict__["_vehicles_read"] = columns

    def _vehicle_columns(self) -> frozenset[str] | None:
        """The vehicle features to compute: those of ``limit_vehicles``, else None (all)."""
        columns: frozenset[str] | None = self.__dict__.get("_vehicles_read")
        return columns

    @functools.cached_property
    def as_of_day(self) -> np.datetime64:
        """``as_of`` as ``datetime64[D]``."""
        return np.datetime64(self.as_of, "D")

    def owned_vehicles(self) -> NDArray[np.intp]:
        """The vehicle rows owned by a customer on ``as_of`` and bought by then (made once).

        The vehicles the greeting and renewal rules count from their purchase date.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> rows = inputs.owned_vehicles()
            >>> bool((inputs.tables.vehicles["purchase_date"][rows] <= inputs.as_of_day).all())
            True
        """

        def owned() -> NDArray[np.intp]:
            bought = self.tables.vehicles["purchase_date"]
            owner = np.asarray(self.vehicles["owner"])
            rows = np.flatnonzero((owner >= 0) & (bought <= self.as_of_day))  # NaT compares False
            rows.setflags(write=False)  # shared by every rule of the agenda
            return rows

        return self.memo(("owned_vehicles",), owned)

    def meets(
        self, start: NDArray[np.datetime64], end: NDArray[np.datetime64]
    ) -> NDArray[np.bool_]:
        """Whether each window from ``start`` to ``end`` meets the days asked for.

        A care rule gives every task whose window meets them: this is its filter.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(2, seed=1), start=date(2026, 7, 1))
            >>> days = np.array(["2026-06-30", "2026-07-01", "2026-07-02"], dtype="datetime64[D]")
            >>> inputs.meets(days, days).tolist()
            [False, True, False]
        """
        first = np.datetime64(self.start, "D")
        last = np.datetime64(self.end, "D")
        # NaT compares False, so the comparisons leave windows without a start or an end out.
        met: NDArray[np.bool_] = (end >= first) & (start <= last)
        return met

    def days_of(self, instants: NDArray[np.datetime64]) -> NDArray[np.datetime64]:
        """The business dates of UTC instants in ``time_zone`` (NaT stays NaT).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> inputs.days_of(np.array(["2026-06-30T17:00"], dtype="datetime64[us]")).tolist()
            [datetime.date(2026, 7, 1)]
        """
        return business_dates(instants, self.time_zone)

    def table_days(self, table: str, column: str) -> NDArray[np.datetime64]:
        """The business dates of the instants of ``tables[table][column]`` (computed once).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> inputs.table_days("orders", "closed_at").dtype
            dtype('<M8[D]')
        """
        return self.memo(
            ("table_days", table, column), lambda: self.days_of(self.tables[table][column])
        )

    def known(self, table: str, column: str) -> NDArray[np.bool_]:
        """Whether each row of ``table`` happened by the end of ``as_of`` (by ``column``).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> bool(inputs.known("orders", "opened_at").all())
            True
        """
        days = self.table_days(table, column)
        happened: NDArray[np.bool_] = days <= self.as_of_day  # NaT compares False: unknown
        return happened

    def memo(self, key: Hashable, compute: Callable[[], T], *, for_planning: bool = False) -> T:
        """``compute()``, computed once per key for these facts and ``as_of``, then shared.

        A rule keeps here what it derives from the facts before the days asked for
        narrow it (every vehicle's due days, say): [`with_days`][aftersales_crm.care.CareInputs.with_days] keeps it.

        Args:
            key: what the value is, unique among the values kept here.
            compute: makes the value, the first time ``key`` is asked for.
            for_planning: the value serves care rules alone, to plan again on other days
                what they planned once. The [`Planner`][aftersales_crm.care.Planner] lets
                such values go once every rule has planned, so that they do not hold
                memory while the contact rules judge; asked for after that, the value is
                computed again. Leave it False for what a check reads (what a contact
                rule's ``prepare`` derives).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(2, seed=1), start=date(2026, 7, 1))
            >>> inputs.memo("x", lambda: [1]) is inputs.with_days(date(2026, 6, 1), date(2026, 7, 1)).memo("x", list)
            True
            >>> inputs.memo(("my_rule", "due"), lambda: [2], for_planning=True)
            [2]
        """
        cache: dict[Hashable, Any] = self.__dict__["_memo"]
        if key not in cache:
            # Computed under the key's lock: a thread asking for it meanwhile waits for the
            # value rather than computing another (fast paths compare arrays by identity).
            with self.__dict__["_memo_locks"].of(key):
                if key not in cache:
                    cache[key] = compute()
                    if for_planning:
                        self.__dict__["_planning_keys"].add(key)
        found: T = cache[key]
        return found

    def _forget_planning(self) -> None:
        """Let go of the values [`memo`][aftersales_crm.care.CareInputs.memo] kept ``for_planning``.

        Called by the planner once no rule plans any more; not while rules run on threads.
        """
        cache: dict[Hashable, Any] = self.__dict__["_memo"]
        keys: set[Hashable] = self.__dict__["_planning_keys"]
        for key in keys:
            cache.pop(key, None)
        keys.clear()

    def texts(self, table: str, column: str = "id") -> NDArray[np.str_]:
        """The texts of ``tables[table][column]`` (ids, VINs) as a str array (made once).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(2, seed=1), start=date(2026, 7, 1))
            >>> inputs.texts("vehicles", "vin").dtype.kind
            'U'
        """
        return self.memo(("texts", table, column), lambda: _texts(self.tables[table][column]))

    @functools.cached_property
    def customer_ids(self) -> NDArray[np.str_]:
        """The customers' ids, in table order."""
        return self.texts("customers")

    @functools.cached_property
    def _id_order(self) -> NDArray[np.intp]:
        return np.argsort(self.customer_ids, kind="stable")

    @property
    def customer_rank_order(self) -> NDArray[np.intp]:
        """The customer rows in the order of their ids (a stable sort, made once)."""
        return self._id_order

    def customer_rows(self, tasks: CareTasks | NDArray[np.str_]) -> NDArray[np.int64]:
        """The customer table's row of each task's customer (or of each id).

        Tasks whose customers point into these inputs' [`customer_ids`][aftersales_crm.care.CareInputs.customer_ids] (a rule's
        ``customer=Texts(rows, inputs.customer_ids)``) give their rows at once; other ids
        are looked up.

        Raises:
            InvalidValue: an id is not a customer of the tables (the message names it).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 7, 1))
            >>> inputs.customer_rows(inputs.customer_ids[::-1]).tolist()
            [2, 1, 0]
        """
        if isinstance(tasks, CareTasks):
            texts = tasks.texts("customer")
            if texts.ids is self.customer_ids and (not len(texts) or texts.codes.min() >= 0):
                return texts.codes
            ids = tasks.customer
        else:
            ids = tasks
        order = self._id_order
        known = self.customer_ids[order]
        at = np.searchsorted(known, ids)
        found = at < len(known)
        found[found] = known[at[found]] == ids[found]
        if not found.all():
            missing = np.asarray(ids)[~found]
            msg = f"{len(missing)} tasks are for customers not in the tables, such as {str(missing[0])!r}"
            raise InvalidValue(msg, code="unknown_customer")
        return order[at].astype(np.int64)


class _MemoLocks:
    """One lock per key of [`CareInputs.memo`][aftersales_crm.care.CareInputs.memo], made when first asked for."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, threading.Lock] = {}

    def of(self, key: Hashable) -> threading.Lock:
        """The lock of ``key``."""
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


_SHARED = frozenset(
    {
        "features",
        "_some_features",
        "_vehicles_read",
        "vehicles",
        "as_of_day",
        "customer_ids",
        "_id_order",
        "_memo",
        "_memo_locks",
        "_planning_keys",
    }
)
"""What [`CareInputs.with_days`][aftersales_crm.care.CareInputs.with_days] keeps: everything derived from the facts and ``as_of``."""
