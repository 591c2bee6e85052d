"""Contact rules: who may be contacted, when, and how, honouring consent.

A contact rule (policy kind ``contact_rule``) gives each care task a verdict: allowed, or
blocked with the reason why, and the channel it is to be made on ([`Verdicts`][aftersales_crm.care.Verdicts]). A
blocked task stays on the agenda with its reason: nothing a rule produced is dropped.
Rules combine with [`all_of`][aftersales_crm.care.all_of], [`any_of`][aftersales_crm.care.any_of] and [`not_`][aftersales_crm.care.not_].

The day a task is judged on is the day it would be made: its due day, or ``as_of`` for a
task already due (an overdue task is called today). Only facts known by the end of
``as_of`` count, so a consent withdrawn yesterday wins over the consent given at purchase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import language, positions
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import (
    Constraint,
    OneOf,
    SubsetOf,
    Whole,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.calendars import days_off
from aftersales_crm.care._facts import (
    complained,
    complaint_timeline,
    consent_purposes,
    consent_timeline,
    consented,
    contact_days,
    do_not_contact,
    do_not_contact_table,
    last_complaint,
)
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._rule import (
    CHANNEL_VALUES,
    PoliciesOf,
    PolicyOf,
    care_inputs,
    care_tasks,
)
from aftersales_crm.care._tasks import CHANNELS, CareTasks, Reason, as_codes
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features._calendar import month_numbers
from aftersales_crm.records import ConsentPurpose
from aftersales_crm.values import ContactChannel, ContactPurpose, Lang
from aftersales_crm.values._hours import ALL_DAY, hours_mask, hours_text, span_text

__all__ = [
    "DEFAULT_CONTACT_RULES",
    "GIVES_HOURS",
    "MOVES_CHANNEL",
    "QUIET_HOURS",
    "AllOf",
    "AnyOf",
    "Consent",
    "ContactRule",
    "CoolingOff",
    "DoNotContact",
    "FrequencyCap",
    "Not",
    "PreferredChannel",
    "QuietDays",
    "QuietHours",
    "Verdicts",
    "all_of",
    "any_of",
    "judged_on",
    "not_",
]

_CONSENTS: Final = tuple(ConsentPurpose)


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.flags.writeable = False
    return array


def _bools(values: object) -> NDArray[np.bool_]:
    array = np.asarray(values)
    if array.ndim != 1 or (len(array) and array.dtype != np.bool_):
        msg = (
            f"allowed holds {array.dtype} values of shape {array.shape}, expected one bool per task"
        )
        raise InvalidValue(msg, code="verdicts")
    return _frozen(array.astype(bool, copy=True))


def _codes(values: object, name: str, dtype: type[np.integer[Any]]) -> NDArray[Any]:
    """``values`` as read-only codes of ``dtype``, a copy of the caller's array."""
    if isinstance(values, np.ndarray) and values.dtype == dtype and values.ndim == 1:
        return _frozen(values.copy())  # codes of the dtype already: as_codes would copy them
    return as_codes(values, name, np.dtype(dtype).name, "verdicts")


def _reason_codes(values: object) -> NDArray[np.int16]:
    return _codes(values, "reason", np.int16)


def _channel_codes(values: object) -> NDArray[np.int8]:
    return _codes(values, "channel", np.int8)


def _hours_or_none(values: object) -> Any:
    return None if values is None else _codes(values, "hours", np.int64)


def _reasons(values: object) -> tuple[Reason, ...]:
    if not isinstance(values, tuple | list) or not all(isinstance(r, Reason) for r in values):
        msg = f"reasons is {values!r:.80}, expected a tuple of Reason"
        raise InvalidType(msg)
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class Verdicts(Displayed):
    """A contact rule's verdict on each task: allowed or blocked, why, and on which channel.

    Attributes:
        allowed: bool array of shape (n_tasks,), aligned with the tasks judged.
        reason: int16 array, the position in ``reasons`` of why a task is blocked,
            -1 for an allowed task.
        channel: int8 array, the channel each task is to be made on (positions in
            ``list(ContactChannel)``): the task's own, unless a rule changed it.
        reasons: why tasks are blocked, in words.
        hours: int64 array, the hours of the day each task may be made in, as half-hour
            slots (bit ``i`` from ``i * 30`` minutes after midnight; see
            [`QuietHours`][aftersales_crm.care.QuietHours]); default every hour of the day.

    Raises:
        InvalidValue: columns of different lengths, a blocked task without a reason or an
            allowed one with a reason, a code outside its tuple, or hours beyond the day.

    Examples:
        >>> no = Reason("no consent", "未同意")
        >>> verdicts = Verdicts(np.array([True, False]), np.array([-1, 0]), np.array([0, 0]), (no,))
        >>> verdicts.reasons_text().tolist(), verdicts.counts()
        ([None, 'no consent'], {'no consent': 1})
    """

    allowed: NDArray[np.bool_] = attrs.field(converter=_bools)
    reason: NDArray[np.int16] = attrs.field(converter=_reason_codes)
    channel: NDArray[np.int8] = attrs.field(converter=_channel_codes)
    reasons: tuple[Reason, ...] = attrs.field(converter=_reasons)
    hours: NDArray[np.int64] = attrs.field(default=None, converter=_hours_or_none)

    def __attrs_post_init__(self) -> None:
        hours: object = self.hours  # None until filled in: the default
        if hours is None:
            object.__setattr__(self, "hours", _frozen(np.full(len(self.allowed), ALL_DAY)))
        if not len(self.allowed) == len(self.reason) == len(self.channel) == len(self.hours):
            msg = (
                f"allowed, reason, channel and hours have {len(self.allowed)},"
                f" {len(self.reason)}, {len(self.channel)} and {len(self.hours)} values;"
                " give one per task"
            )
            raise InvalidValue(msg, code="verdicts")
        if len(self.hours) and (self.hours.min() < 0 or self.hours.max() > ALL_DAY):
            msg = f"hours must be slots of the day, from 0 to {ALL_DAY}"
            raise InvalidValue(msg, code="verdicts")
        wrong = np.flatnonzero(self.allowed != (self.reason < 0))
        if len(wrong):
            msg = f"task {int(wrong[0])}: a blocked task needs a reason, an allowed one has none"
            raise InvalidValue(msg, code="verdicts")
        if len(self.reason) and self.reason.max() >= len(self.reasons):
            msg = f"reason codes must lie in -1..{len(self.reasons) - 1}"
            raise InvalidValue(msg, code="verdicts")
        if len(self.channel) and (self.channel.min() < 0 or self.channel.max() >= len(CHANNELS)):
            msg = f"channel codes must lie in 0..{len(CHANNELS) - 1}"
            raise InvalidValue(msg, code="verdicts")

    @classmethod
    def allow(cls, tasks: CareTasks) -> Verdicts:
        """Every task allowed, on its own channel.

        Examples:
            >>> len(Verdicts.allow(CareTasks.empty()))
            0
        """
        tasks = care_tasks(tasks, cls)
        n = len(tasks)
        return cls(np.ones(n, dtype=bool), np.full(n, -1, dtype=np.int16), tasks.channel, ())

    @classmethod
    def blocking(cls, tasks: CareTasks, blocked: NDArray[np.bool_], reason: Reason) -> Verdicts:
        """The tasks where ``blocked`` holds blocked for ``reason``, the others allowed.

        Examples:
            >>> len(Verdicts.blocking(CareTasks.empty(), np.zeros(0, bool), Reason("x", "x")))
            0
        """
        tasks = care_tasks(tasks, cls)
        stops = _bools(blocked)
        if len(stops) != len(tasks):
            msg = f"blocked has {len(stops)} values for {len(tasks)} tasks; give one per task"
            raise InvalidValue(msg, code="verdicts")
        reasons = _reasons((reason,))
        channel = tasks.channel
        if channel.dtype != np.int8 or channel.flags.writeable:  # not the tasks' own codes
            return cls(~stops, np.where(stops, np.int16(0), np.int16(-1)), channel, reasons)
        # Made from checked columns, so valid as they are: the copies and checks of the
        # constructor spared (verdicts on millions of tasks).
        out = object.__new__(cls)
        object.__setattr__(out, "allowed", _frozen(~stops))
        object.__setattr__(out, "reason", _frozen(np.where(stops, np.int16(0), np.int16(-1))))
        object.__setattr__(out, "channel", channel)  # read-only: shared with the tasks
        object.__setattr__(out, "reasons", reasons)
        object.__setattr__(out, "hours", _frozen(np.full(len(stops), ALL_DAY)))
        return out

    def __len__(self) -> int:
        """Number of tasks judged."""
        return len(self.allowed)

    def __eq__(self, other: object) -> bool:
        """The same verdicts for the same tasks (reasons compared by value)."""
        if not isinstance(other, Verdicts):
            return NotImplemented
        return (
            np.array_equal(self.allowed, other.allowed)
            and np.array_equal(self.channel, other.channel)
            and np.array_equal(self.hours, other.hours)
            and self.reasons_text().tolist() == other.reasons_text().tolist()
        )

    def __hash__(self) -> int:
        """Hash by the number of tasks and of blocked ones."""
        return hash((len(self), int((~self.allowed).sum())))

    def take(self, rows: Any) -> Verdicts:
        """The verdicts at ``rows``.

        Examples:
            >>> no = Reason("no", "否")
            >>> v = Verdicts(np.array([True, False]), np.array([-1, 0]), np.array([0, 1]), (no,))
            >>> v.take([1]).allowed.tolist()
            [False]
        """
        picked = positions(rows, len(self))
        return attrs.evolve(
            self,
            allowed=self.allowed[picked],
            reason=self.reason[picked],
            channel=self.channel[picked],
            hours=self.hours[picked],
        )

    def reasons_text(self, lang: Lang = "en") -> NDArray[np.object_]:
        """Why each task is blocked, in words (None for an allowed task).

        Examples:
            >>> Verdicts.allow(CareTasks.empty()).reasons_text().tolist()
            []
        """
        lang = language(lang)  # type: ignore[assignment]
        texts = np.array([r.text(lang) for r in self.reasons] + [None], dtype=object)
        return texts[self.reason]

    def counts(self, lang: Lang = "en") -> dict[str, int]:
        """Blocked tasks per reason.

        Examples:
            >>> Verdicts.allow(CareTasks.empty()).counts()
            {}
        """
        found = np.bincount(self.reason[self.reason >= 0], minlength=len(self.reasons))
        return {r.text(lang): int(n) for r, n in zip(self.reasons, found, strict=True) if n}

    def to_pandas(self) -> Any:
        """A DataFrame with one row per task (needs the ``pandas`` extra).

        Examples:
            >>> list(Verdicts.allow(CareTasks.empty()).to_pandas())
            ['allowed', 'channel', 'call_hours', 'blocked_by']
        """
        pd = require("pandas", extra="pandas")
        channels = np.array(CHANNEL_VALUES, dtype=object)
        return pd.DataFrame(
            {
                "allowed": self.allowed,
                "channel": channels[self.channel],
                "call_hours": hours_text(self.hours),
                "blocked_by": self.reasons_text(),
            }
        )


@runtime_checkable
class ContactRule(Protocol):
    """A contact rule (policy kind ``contact_rule``): a verdict on each care task.

    A rule may also have a ``prepare(inputs)`` method, which the protocol does not ask
    for, to derive from the facts what ``check`` will read before the tasks are known
    (the built-in rules have one). The planner calls it, when the rule has it, while the
    care rules plan, on a thread of its own when it has more than one. What it derives
    goes into [`CareInputs.memo`][aftersales_crm.care.CareInputs.memo], which the inputs
    of every span of days share; ``check`` must give the same verdicts without it.

    Examples:
        >>> isinstance(Consent(), ContactRule)
        True
    """

    kind: ClassVar[PolicyKind]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters."""
        ...

    def set_params(self, **params: Any) -> Any:
        """A new rule with ``params`` changed."""
        ...

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        """One verdict per task, aligned with ``tasks``."""
        ...


def judged_on(tasks: CareTasks, inputs: CareInputs) -> NDArray[np.datetime64]:
    """The day each task would be made: its due day, or ``as_of`` once it is due.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import TaskKind
        >>> inputs = CareInputs.of(synthetic.book(2, seed=1), start=date(2026, 7, 1))
        >>> kind = TaskKind("doc_call", "call", "电话", purpose="care")
        >>> tasks = CareTasks.build(kind, Reason("x", "x"), customer=["C1", "C1"],
        ...                         due=["2026-06-01", "2026-08-01"])
        >>> judged_on(tasks, inputs).tolist()
        [datetime.date(2026, 7, 1), datetime.date(2026, 8, 1)]
    """
    return np.maximum(tasks.due, inputs.as_of_day)


class _ContactRule(BasePolicy):
    """The plumbing of the built-in contact rules: check the inputs, then judge."""

    kind: ClassVar[PolicyKind] = "contact_rule"
    population_relative: ClassVar[bool] = False

    def check(self, tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        """One verdict per task, aligned with ``tasks``.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it), or a task is for a
                customer the tables do not hold.
            InvalidType: ``tasks`` are not CareTasks or ``inputs`` not CareInputs.
        """
        params = validate_params(self)
        tasks = care_tasks(tasks, self)
        inputs = care_inputs(inputs, self)
        return self._judge(params, tasks, inputs)

    def prepare(self, inputs: CareInputs) -> None:
        """Derive from the facts, before the tasks are known, what ``check`` will read.

        The optional method of [`ContactRule`][aftersales_crm.care.ContactRule]: the
        planner calls it while the care rules plan, so work ``check`` would start with is
        done beside theirs; ``check`` gives the same verdicts without it. A combination
        ([`all_of`][aftersales_crm.care.all_of] and the others) prepares each of its rules
        that has the method.

        Raises:
            InvalidValue: a parameter breaks its constraint (naming it).
            InvalidType: ``inputs`` are not CareInputs.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> inputs = CareInputs.of(synthetic.book(5, seed=1), start=date(2026, 6, 30))
            >>> all_of(Consent(), FrequencyCap()).prepare(inputs)
            >>> len(Consent().check(CareTasks.empty(), inputs))
            0
        """
        self._prepare(validate_params(self), care_inputs(inputs, self))

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        raise NotImplementedError  # pragma: no cover - every built-in judges

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        """Nothing to derive ahead: what the rule reads depends on the tasks."""


def prepare_rule(rule: object, inputs: CareInputs) -> None:
    """``rule.prepare(inputs)`` if ``rule`` has the optional method, else nothing.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> inputs = CareInputs.of(synthetic.book(3, seed=1), start=date(2026, 6, 30))
        >>> prepare_rule(object(), inputs) is None
        True
    """
    prepare = getattr(rule, "prepare", None)
    if callable(prepare):
        prepare(inputs)


def _consent_of(tasks: CareTasks) -> NDArray[np.int64]:
    """The consent each task needs: one look-up per task, in a table by kind."""
    purposes = list(ContactPurpose)
    codes = np.array([purposes.index(kind.purpose) for kind in tasks.kinds] or [0])
    return consent_purposes(codes.astype(np.int64))[tasks.kind]


class Consent(_ContactRule):
    """Contact only customers who consented to the purpose over the channel.

    The consent a task needs is the one its purpose maps to in
    [`CONSENT_PURPOSES`][aftersales_crm.care.CONSENT_PURPOSES] (a 3DC call needs consent to surveys, a
    maintenance reminder consent to service reminders). The latest consent change known by
    the end of ``as_of``, made by the end of the day the task is judged on (its due day,
    or ``as_of`` for a task already due), decides: a consent withdrawn the day before the
    call wins over the one given at purchase. Without any change there is no consent. The
    material asks for contact only to customers who agreed; the rule has no parameters.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from aftersales_crm.records import Book, ConsentChanged, Customer
        >>> from aftersales_crm.care import CareInputs, FOLLOW_UP_KINDS
        >>> from aftersales_crm.values import ContactPurpose
        >>> at = lambda d: datetime(2026, 6, d, 2, tzinfo=timezone.utc)
        >>> book = Book.from_records([Customer(id="C1", name="李娜"), Customer(id="C2", name="王芳"),
        ...     ConsentChanged(id="K1", customer_id="C1", purpose="survey", channel="phone",
        ...                    granted=True, at=at(1)),
        ...     ConsentChanged(id="K2", customer_id="C2", purpose="survey", channel="phone",
        ...                    granted=True, at=at(1)),
        ...     ConsentChanged(id="K3", customer_id="C2", purpose="survey", channel="phone",
        ...                    granted=False, at=at(9))])
        >>> call = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D]
        >>> tasks = CareTasks.build(call, Reason("3DC", "三日回访"), customer=["C1", "C2"],
        ...                         due=["2026-06-10", "2026-06-10"])
        >>> verdicts = Consent().check(tasks, CareInputs.of(book, start=date(2026, 6, 10)))
        >>> verdicts.allowed.tolist(), verdicts.reasons_text().tolist()
        ([True, False], [None, 'no consent to this purpose over this channel'])
    """

    REASON: ClassVar[Reason] = Reason(
        "no consent to this purpose over this channel", "客户未同意以此渠道进行此类联系"
    )
    """Why a task without consent is blocked."""

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        customers = inputs.customer_rows(tasks)
        ok = consented(
            inputs,
            customers,
            _consent_of(tasks),
            tasks.channel.astype(np.int64),
            judged_on(tasks, inputs),
        )
        return Verdicts.blocking(tasks, ~ok, self.REASON)

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        consent_timeline(inputs)


class DoNotContact(_ContactRule):
    """No further task for a purpose once the customer asked not to be contacted for it.

    A contact whose outcome is "asked not to be contacted" (要求勿扰) blocks every task
    whose purpose needs the same consent (a "do not call again" in a 3DC call stops the 7DC
    call and every other survey-type call), over every channel, until the customer grants
    that consent again after it. The task the answer was given in is closed by that very
    contact, which reached the customer. The rule has no parameters.

    Examples:
        >>> DoNotContact.REASON.text("zh")
        '客户已要求不再联系'
    """

    REASON: ClassVar[Reason] = Reason(
        "the customer asked not to be contacted for this", "客户已要求不再联系"
    )
    """Why a task is blocked after a do-not-contact answer."""

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        customers = inputs.customer_rows(tasks)
        stopped = do_not_contact(inputs, customers, _consent_of(tasks))
        return Verdicts.blocking(tasks, stopped, self.REASON)

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        do_not_contact_table(inputs)


_COOLED: Final = (ConsentPurpose.MARKETING.value, ConsentPurpose.SURVEY.value)


class CoolingOff(_ContactRule):
    """No marketing or survey contact for ``days`` days after the customer filed a complaint.

    A task is blocked when the customer filed a complaint (known by the end of
    ``as_of``) at most ``days`` days before the day the task is judged on (its due day, or
    ``as_of`` once due), and its purpose needs one of the consents in ``purposes``. Service
    reminders still go out, and so does a task a complaint itself caused (its source is in
    the ``complaints`` table: the call after its resolution,
    [`ComplaintFollowUp`][aftersales_crm.care.ComplaintFollowUp]), which is the complaint's own handling.

    Attributes:
        days: days of quiet after a complaint (default 30, the library's choice: the
            material gives no number; a month covers the 14 days the complaint SLA allows
            for a resolution, and two weeks after it for the customer to calm down).
        purposes: the consent purposes kept quiet (default marketing and surveys).

    Examples:
        >>> CoolingOff().days, CoolingOff().purposes
        (30, ('marketing', 'survey'))
    """

    DAYS: ClassVar[int] = 30
    """Thirty days of quiet after a complaint: the library's choice (see the class)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "days": Whole(low=0, high=3650, unit="days"),
        "purposes": SubsetOf(tuple(p.value for p in _CONSENTS), what="consent purposes"),
    }

    REASON: ClassVar[Reason] = Reason("cooling off after a complaint", "客户投诉后的冷静期内")
    """Why a task is blocked after a complaint."""

    def __init__(self, *, days: int = DAYS, purposes: tuple[str, ...] = _COOLED) -> None:
        self.days = days
        self.purposes = purposes

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        customers = inputs.customer_rows(tasks)
        # Only the tasks of customers who complained can be kept quiet: few, read alone.
        rows = np.flatnonzero(complained(inputs)[customers])
        on = judged_on(tasks, inputs)[rows]
        filed = last_complaint(inputs, customers[rows], on)
        cooled = np.array([p.value in params["purposes"] for p in _CONSENTS] or [False])
        recent = ~np.isnat(filed) & ((on - filed).astype(np.int64) <= params["days"])
        handling = tasks.texts("source_table")._taken(rows).matches("complaints")
        quiet = np.zeros(len(tasks), dtype=bool)
        quiet[rows] = recent & cooled[_consent_of(tasks)[rows]] & ~handling
        return Verdicts.blocking(tasks, quiet, self.REASON)

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        complaint_timeline(inputs)


def _most_important_first(
    group: NDArray[np.int64], best: NDArray[np.int64], on: NDArray[np.int64]
) -> NDArray[np.intp]:
    """The rows by group, highest ``best`` first, then by day: ``lexsort((on, -best, group))``.

    The rows come in (group, day) order, so a stable sort by group and ``best`` alone
    keeps the days in order; group and ``best`` packed into one whole number when they
    fit make it one sort of nearly sorted numbers.
    """
    if not len(group):
        return np.empty(0, dtype=np.intp)
    top = np.iinfo(np.int64).max  # a day already contacted, above every task
    is_top = best == top
    below = best[~is_top]
    high = int(below.max()) + 1 if len(below) else 0
    ranked = np.where(is_top, high, best)
    low = int(ranked.min())
    span = high - low + 1
    starts = np.r_[False, group[1:] != group[:-1]]
    index = np.cumsum(starts, dtype=np.int64)
    in_order = bool((group[1:] >= group[:-1]).all() and (~starts[1:] <= (on[1:] > on[:-1])).all())
    if not in_order or (int(index[-1]) + 1) * span >= 1 << 62:
        return np.lexsort((on, -best, group)).astype(np.intp)
    packed = index * span + (high - ranked)
    return np.argsort(packed, kind="stable").astype(np.intp)


def _rank_within(groups: NDArray[np.int64], order: NDArray[np.intp]) -> NDArray[np.int64]:
    """Each row's position within its group, rows taken in ``order`` (groups contiguous)."""
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else order
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def _distinct(keys: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """``np.unique(keys, return_inverse=True)`` of keys from 0 on.

    One sort of the keys with each row's position in the low bits, when they fit in 63
    bits: numbers alone sort several times faster than ``np.unique``'s ``argsort``.
    """
    bits = len(keys).bit_length()
    if not len(keys) or int(keys.max()) >= 1 << (63 - bits):
        found, which = np.unique(keys, return_inverse=True)
        return found, which.ravel()
    packed = keys << bits
    packed |= np.arange(len(keys))
    packed.sort()
    ordered = packed >> bits
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    rank = np.cumsum(starts)
    rank -= 1
    packed &= (1 << bits) - 1  # each key's row
    which = np.empty(len(keys), dtype=np.intp)
    which[packed] = rank
    return ordered[starts], which


def _beyond_cap(
    owner: NDArray[np.int64],
    period: NDArray[np.int64],
    best: NDArray[np.int64],
    on: NDArray[np.int64],
    rows: NDArray[np.intp] | None,
    cap: int,
) -> NDArray[np.intp]:
    """The ``rows`` (default all) beyond the ``cap`` most important of their (owner, period).

    The rows come in (owner, day) order, so each (owner, period) lies together. Only the
    rows of a group with more than ``cap`` rows can be beyond: found by comparing each row
    with the row ``cap`` further on (the same group: every row between is in it too),
    they alone are read and ranked, a few of all the rows.
    """
    group = owner * (1 << 32) + period if rows is None else owner[rows] * (1 << 32) + period[rows]
    full = np.zeros(len(group) + cap, dtype=bool)  # a group of cap + 1 rows starts here
    full[: max(len(group) - cap, 0)] = group[cap:] == group[:-cap]
    crowded = full[: len(group)].copy()
    for shift in range(1, cap + 1):
        crowded[shift:] |= full[: max(len(group) - shift, 0)]
    picked = np.flatnonzero(crowded)
    if rows is not None:
        picked = rows[picked]
    group = owner[picked] * (1 << 32) + period[picked]
    order = _most_important_first(group, best[picked], on[picked])
    beyond: NDArray[np.intp] = picked[_rank_within(group, order) >= cap]
    return beyond


class FrequencyCap(_ContactRule):
    """At most ``per_week`` contact days per customer in an ISO week, ``per_month`` in a month.

    Tasks of one customer due on the same day are one contact (one call can carry several
    reasons). The contacts already made count too: every contact of the ``contacts`` table
    ([`ContactMade`][aftersales_crm.records.ContactMade]) known by the end of ``as_of``, one
    contact day per customer and day, whatever its purpose and outcome. An unanswered call
    or a refusal still rang the customer's phone, and the training deck for follow-up staff
    names nuisance calls as why customers stop answering unfamiliar numbers
    ([`IGNORES_UNKNOWN_NUMBERS`][aftersales_crm.records.ContactOutcome]); the table
    does not say who called whom, so a contact the customer started counts as well. With
    ``reached_only=True`` only contacts whose outcome is "reached" count. Contacts after
    ``as_of`` are not known yet and do not count.

    The days already contacted are kept first; then, when a customer has more contact days
    in an ISO week (Monday to Sunday) than ``per_week``, the days with the most important
    task (highest priority, then earliest) are kept and the others' tasks blocked; then,
    among the days kept, the same in each calendar month with ``per_month`` (a day already
    contacted always counts for its month). A task due on a day the customer was already
    contacted joins that contact. A contact rule of [`all_of`][aftersales_crm.care.all_of] sees only the tasks the
    rules before it allowed, so put the cap last.

    Attributes:
        per_week: contact days a customer may have in an ISO week (default 2).
        per_month: contact days a customer may have in a calendar month (default 4).
        reached_only: count only the contacts made that reached the customer (default
            False: every contact made counts).

    The defaults are the library's choice: the material asks that contact be well timed
    and respectful without a number; two calls a week leaves room for the 3DC and 7DC
    calls of one visit, four a month for them and a reminder or greeting.

    Examples:
        >>> FrequencyCap().per_week, FrequencyCap().per_month, FrequencyCap().reached_only
        (2, 4, False)
    """

    PER_WEEK: ClassVar[int] = 2
    """Two contact days a week: the library's choice (see the class)."""

    PER_MONTH: ClassVar[int] = 4
    """Four contact days a month: the library's choice (see the class)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "per_week": Whole(low=1, high=7, unit="days"),
        "per_month": Whole(low=1, high=31, unit="days"),
        "reached_only": OneOf((False, True)),
    }

    WEEK: ClassVar[Reason] = Reason(
        "more contacts this week than the frequency cap allows", "本周联系次数已达上限"
    )
    """Why a task beyond the weekly cap is blocked."""

    MONTH: ClassVar[Reason] = Reason(
        "more contacts this month than the frequency cap allows", "本月联系次数已达上限"
    )
    """Why a task beyond the monthly cap is blocked."""

    def __init__(
        self, *, per_week: int = PER_WEEK, per_month: int = PER_MONTH, reached_only: bool = False
    ) -> None:
        self.per_week = per_week
        self.per_month = per_month
        self.reached_only = reached_only

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        if not len(tasks):
            return Verdicts.allow(tasks)
        customers = inputs.customer_rows(tasks)
        day = tasks.due.view(np.int64)
        made, made_on = contact_days(
            inputs, customers, day.min(), reached_only=params["reached_only"]
        )
        # One contact per customer and day: its priority is its most important task's; a
        # day already contacted ranks above every task. Millions of rows: each step
        # writes in place where it can, so fewer fresh arrays are asked of the allocator.
        n = len(tasks)
        low = int(made_on.min(initial=day.min()))  # the days of the tasks and the contacts
        high = int(made_on.max(initial=day.max()))
        span = high - low + 1
        key = np.empty(n + len(made), dtype=np.int64)  # customer * span + day - low
        for part, who, on_day in ((key[:n], customers, day), (key[n:], made, made_on)):
            np.multiply(who, span, out=part)
            part += on_day
            part -= low
        days, which = _distinct(key)
        del key
        top = np.iinfo(np.int64).max
        best = np.full(len(days), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(best, which, np.r_[tasks.priority, np.full(len(made), top)])
        past = np.zeros(len(days), dtype=bool)
        past[which[n:]] = True
        which = which[:n]
        owner, on = np.divmod(days, span)  # on: the day, counted from low
        del days
        week = on + (low + 3)
        week //= 7  # 1970-01-01 was a Thursday: weeks start on Mondays
        first_days = np.arange(low, high + 1, dtype=np.int64).view("datetime64[D]")
        month = month_numbers(first_days)[on]
        kept = np.ones(len(owner), dtype=bool)
        over: list[NDArray[np.bool_]] = []
        rows = None  # every day, until the weekly cap drops some
        for period, cap in ((week, params["per_week"]), (month, params["per_month"])):
            beyond = np.zeros(len(owner), dtype=bool)
            beyond[_beyond_cap(owner, period, best, on, rows, cap)] = True
            kept &= ~beyond | past  # a day already contacted counts for its month
            rows = np.flatnonzero(kept)
            over.append(beyond)
        reason = np.full(n, -1, dtype=np.int16)
        reason[over[1][which]] = 1
        blocked_week = over[0][which]
        reason[blocked_week] = 0
        return Verdicts(reason < 0, reason, tasks.channel, (self.WEEK, self.MONTH))


class QuietDays(_ContactRule):
    """No contact on days off, or on quiet weekdays: a task whose whole window is quiet is blocked.

    A day is quiet when the calendar has it off (``days_off=True``) or it is one of
    ``weekdays`` (0 Monday … 6 Sunday). A task may be made on any day of its window, so it
    is blocked only when every day from its window's start to its end is quiet. Not in the
    default contact rule: many dealers call at weekends.

    Attributes:
        days_off: whether the calendar's days off are quiet (default True).
        weekdays: further quiet weekdays (default none).

    Examples:
        >>> QuietDays(weekdays=(6,)).weekdays
        (6,)
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "days_off": OneOf((True, False)),
        "weekdays": SubsetOf(tuple(range(7)), what="weekdays (0 Monday to 6 Sunday)"),
    }

    REASON: ClassVar[Reason] = Reason(
        "every day of its window is a quiet day", "可联系期间均为免打扰日"
    )
    """Why a task whose window is all quiet days is blocked."""

    def __init__(self, *, days_off: bool = True, weekdays: tuple[int, ...] = ()) -> None:
        self.days_off = days_off
        self.weekdays = weekdays

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        if not len(tasks):
            return Verdicts.allow(tasks)
        first, last = tasks.window_start.min(), tasks.window_end.max()
        span = np.arange(first, last + np.timedelta64(1, "D"))
        quiet = np.zeros(len(span), dtype=bool)
        if params["days_off"]:
            quiet |= days_off(first.item(), last.item(), calendar=inputs.calendar)
        weekday = (span.view(np.int64) + 3) % 7
        quiet |= np.isin(weekday, list(params["weekdays"]))
        open_days = np.r_[0, np.cumsum(~quiet)]
        start = (tasks.window_start - first).astype(np.int64)
        end = (tasks.window_end - first).astype(np.int64) + 1
        return Verdicts.blocking(tasks, open_days[end] == open_days[start], self.REASON)


class _Channels(Constraint):
    """Distinct channels, by value (``"phone"``, ``"sms"``…), in order."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"expected distinct channels of {CHANNEL_VALUES}"

    def check(self, value: Any, params: Mapping[str, Any]) -> tuple[str, ...]:
        """``value`` as a tuple of channel values."""
        if (
            isinstance(value, str)
            or not isinstance(value, tuple | list)
            or not all(isinstance(v, str) and v in CHANNEL_VALUES for v in value)
            or len(set(value)) != len(value)
        ):
            raise Broken(self.rule)
        return tuple(value)


class _QuietSpans(Constraint):
    """Rows ``(channel, start, end)``: a channel's quiet span in ``"HH:MM"`` on the half hour."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return (
            f"expected rows (channel, start, end), a channel of {CHANNEL_VALUES} and"
            ' times "HH:MM" on the half hour, end after start'
        )

    def check(self, value: Any, params: Mapping[str, Any]) -> NDArray[np.int64]:
        """The permitted slots of each channel, by channel code."""
        if isinstance(value, str) or not isinstance(value, tuple | list):
            raise Broken(self.rule)
        quiet = np.zeros(len(CHANNELS), dtype=np.int64)
        for row in value:
            if (
                not isinstance(row, tuple | list)
                or len(row) != len(("channel", "start", "end"))
                or row[0] not in CHANNEL_VALUES
            ):
                raise Broken(f"{self.rule}; found {row!r:.60}")
            try:
                span = hours_mask([tuple(row[1:])], parameter=f"quiet row {tuple(row)!r}")
            except InvalidValue as err:
                raise Broken(str(err)) from None
            quiet[CHANNELS.index(ContactChannel(row[0]))] |= span
        return ALL_DAY & ~quiet


def _own_quiet_hours(inputs: CareInputs, customers: NDArray[np.int64]) -> NDArray[np.int64]:
    """The slots each customer (row) asked not to be contacted in, 0 for none."""
    spans = inputs.tables.customers["quiet_hours"][customers]
    out = np.zeros(len(customers), dtype=np.int64)
    given = np.flatnonzero(np.fromiter(map(len, spans), dtype=np.int64, count=len(spans)))
    known: dict[tuple[str, ...], int] = {}
    for row in given.tolist():
        texts = tuple(spans[row])
        if texts not in known:
            name = f"customer {inputs.customer_ids[customers[row]]}'s quiet_hours"
            pairs = [tuple(span_text(t, parameter=name).split("-")) for t in texts]
            known[texts] = hours_mask(pairs, parameter=name)  # type: ignore[arg-type]
        out[row] = known[texts]
    return out


_AT_ONCE: Final = (
    ContactChannel.PHONE.value,
    ContactChannel.MESSAGING_APP.value,
    ContactChannel.SMS.value,
)
_SPEAKING: Final = (("00:00", "09:00"), ("12:00", "14:00"), ("18:00", "24:00"))

QUIET_HOURS: Final[tuple[tuple[str, str, str], ...]] = tuple(
    (channel, start, end) for channel in _AT_ONCE for start, end in _SPEAKING
)
"""The default quiet hours of [`QuietHours`][aftersales_crm.care.QuietHours]: rows (channel, start, end), local time.

Phone calls, messaging-app messages and SMS, which reach the customer at once, are quiet
before 09:00, from 12:00 to 14:00 (lunch and the midday rest, 午休) and from 18:00
(dinner and the evening): they may be made from 09:00 to 12:00 and from 14:00 to 18:00.
E-mail, post and visits are not restricted. The library's choice: the training material
(《信息回访员基础培训分析报告》, 《客户服务关系管理》) gives no hours to call in, only that
customers who have no time (没时间) are hard to reach; the permitted hours are a dealer's
working day less its lunch break, when the staff who call are at work.

Examples:
    >>> QUIET_HOURS[:2]
    (('phone', '00:00', '09:00'), ('phone', '12:00', '14:00'))
"""


class QuietHours(_ContactRule):
    """Contact on each channel only in its permitted hours of the day: not at meal times or at night.

    The agenda is day-level; this rule gives each task the hours of the day it may be
    made in on its channel ([`Verdicts.hours`][aftersales_crm.care.Verdicts]; the agenda shows them as
    ``call_from``, ``call_until`` and ``call_hours``): every hour outside the channel's
    quiet spans in ``quiet``. A task whose channel is quiet all day is blocked with the
    reason, never dropped. Times are the dealer's local time (the planner's time zone),
    on the half hour. A customer's own quiet hours
    ([`quiet_hours`][aftersales_crm.records.Customer], ``"12:00-14:00"``) are taken
    out too, on the channels of ``own_channels``. Put it after [`PreferredChannel`][aftersales_crm.care.PreferredChannel]
    in [`all_of`][aftersales_crm.care.all_of] (which refuses the other order): the hours are those of the channel
    the task is made on.

    Attributes:
        quiet: rows ``(channel, start, end)``, each a quiet span of a channel in
            ``"HH:MM"``, end excluded, ``"24:00"`` for midnight (default
            [`QUIET_HOURS`][aftersales_crm.care.QUIET_HOURS]: phone, messaging app and SMS from 09:00 to 12:00 and from
            14:00 to 18:00 only, the library's choice). Channels without a row are not
            restricted.
        own_channels: the channels a customer's own quiet hours apply to (default phone,
            messaging app and SMS, those that reach the customer at once; ``()`` ignores
            them).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm.records import Book, Customer
        >>> from aftersales_crm.care import CareInputs, FOLLOW_UP_KINDS
        >>> from aftersales_crm.values import ContactPurpose
        >>> book = Book.from_records([Customer(id="C1", name="李娜")])
        >>> call = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D]
        >>> tasks = CareTasks.build(call, Reason("3DC", "三日回访"), customer=["C1", "C1"],
        ...                         due=["2026-06-10", "2026-06-10"], channel=[0, 3])
        >>> verdicts = QuietHours().check(tasks, CareInputs.of(book, start=date(2026, 6, 10)))
        >>> verdicts.to_pandas()[["channel", "call_hours"]].values.tolist()
        [['phone', '09:00-12:00, 14:00-18:00'], ['email', '00:00-24:00']]
        >>> night = QuietHours(quiet=(("phone", "00:00", "24:00"),))
        >>> night.check(tasks, CareInputs.of(book, start=date(2026, 6, 10))).reasons_text("zh").tolist()
        ['此渠道全天均为免打扰时段', None]

        A customer who asked not to be called before 10:00 or after 17:00:

        >>> book = Book.from_records([Customer(id="C1", name="李娜",
        ...                                    quiet_hours=("00:00-10:00", "17:00-24:00"))])
        >>> verdicts = QuietHours().check(tasks, CareInputs.of(book, start=date(2026, 6, 10)))
        >>> verdicts.to_pandas().call_hours.tolist()
        ['10:00-12:00, 14:00-17:00', '00:00-24:00']
    """

    gives_hours: ClassVar[bool] = True
    """It gives each task the hours of its channel ([`GIVES_HOURS`][aftersales_crm.care.GIVES_HOURS])."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "quiet": _QuietSpans(),
        "own_channels": _Channels(),
    }

    REASON: ClassVar[Reason] = Reason(
        "no hour of the day is open for contact on this channel", "此渠道全天均为免打扰时段"
    )
    """Why a task whose channel is quiet all day is blocked."""

    def __init__(
        self,
        *,
        quiet: tuple[tuple[str, str, str], ...] = QUIET_HOURS,
        own_channels: tuple[str, ...] = _AT_ONCE,
    ) -> None:
        self.quiet = quiet
        self.own_channels = own_channels

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        hours = params["quiet"][tasks.channel]
        own = [CHANNELS.index(ContactChannel(c)) for c in params["own_channels"]]
        rows = np.flatnonzero(np.isin(tasks.channel, own))
        if len(rows):
            customers = inputs.customer_rows(tasks)[rows]
            hours[rows] &= ~_own_quiet_hours(inputs, customers)
        verdicts = Verdicts.blocking(tasks, hours == 0, self.REASON)
        return attrs.evolve(verdicts, hours=hours)


_FALLBACK: Final = (
    ContactChannel.PHONE.value,
    ContactChannel.MESSAGING_APP.value,
    ContactChannel.SMS.value,
    ContactChannel.EMAIL.value,
    ContactChannel.POST.value,
)


class PreferredChannel(_ContactRule):
    """Make each task on a channel the customer consented to: theirs, the suggested one, else another.

    A task moves to the customer's own preferred channel (the customer's
    ``preferred_channel``, [`Customer`][aftersales_crm.records.Customer]) when they consented
    to its purpose over it (as [`Consent`][aftersales_crm.care.Consent] reads consent, on the day the task is
    judged on). Otherwise it keeps its suggested channel when the customer consented to
    its purpose over that; otherwise it moves to the first channel of ``order`` the
    customer consented to; with none, it is blocked. A customer who withdrew consent over
    their preferred channel the day before is contacted on the suggested channel (or the
    fallback) instead. Put it before [`Consent`][aftersales_crm.care.Consent] in [`all_of`][aftersales_crm.care.all_of], which then checks
    the channel it chose; [`all_of`][aftersales_crm.care.all_of] refuses it after a rule that gives hours
    ([`QuietHours`][aftersales_crm.care.QuietHours]).

    Attributes:
        order: the channels to fall back on, most wanted first (default phone, messaging
            app, SMS, e-mail, post: the library's choice, from the most personal to the
            least; visits are not a fallback).
        own_channel: whether the customer's own preferred channel comes first (default
            True: the customer said how they wish to be reached).

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from aftersales_crm.records import Book, ConsentChanged, Customer
        >>> from aftersales_crm.care import CareInputs, FOLLOW_UP_KINDS
        >>> from aftersales_crm.values import ContactPurpose
        >>> at = datetime(2026, 6, 1, 2, tzinfo=timezone.utc)
        >>> book = Book.from_records([Customer(id="C1", name="李娜", preferred_channel="sms"),
        ...     *(ConsentChanged(id=f"K{c}", customer_id="C1", purpose="survey", channel=c,
        ...                      granted=True, at=at) for c in ("phone", "sms"))])
        >>> call = FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D]
        >>> tasks = CareTasks.build(call, Reason("3DC", "三日回访"), customer=["C1"],
        ...                         due=["2026-06-10"])
        >>> inputs = CareInputs.of(book, start=date(2026, 6, 10))
        >>> PreferredChannel().check(tasks, inputs).to_pandas().channel.tolist()
        ['sms']
        >>> PreferredChannel(own_channel=False).check(tasks, inputs).to_pandas().channel.tolist()
        ['phone']
    """

    moves_channel: ClassVar[bool] = True
    """It moves tasks to other channels ([`MOVES_CHANNEL`][aftersales_crm.care.MOVES_CHANNEL])."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "order": _Channels(),
        "own_channel": OneOf((True, False)),
    }

    REASON: ClassVar[Reason] = Reason(
        "no channel the customer consented to for this purpose", "客户未同意任何渠道的此类联系"
    )
    """Why a task without any consented channel is blocked."""

    def __init__(self, *, order: tuple[str, ...] = _FALLBACK, own_channel: bool = True) -> None:
        self.order = order
        self.own_channel = own_channel

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        customers = inputs.customer_rows(tasks)
        consent = _consent_of(tasks)
        on = judged_on(tasks, inputs)
        channel = tasks.channel.astype(np.int64)
        found = np.zeros(len(tasks), dtype=bool)
        if params["own_channel"]:
            own = inputs.tables.customers["preferred_channel"].astype(np.int64)[customers]
            found = (own >= 0) & consented(inputs, customers, consent, np.maximum(own, 0), on)
            channel[found] = own[found]
        found |= consented(inputs, customers, consent, channel, on)
        for value in params["order"]:
            if found.all():
                break
            other = np.full(len(tasks), CHANNELS.index(ContactChannel(value)), dtype=np.int64)
            fits = ~found & consented(inputs, customers, consent, other, on)
            channel[fits] = other[fits]
            found |= fits
        verdicts = Verdicts.blocking(tasks, ~found, self.REASON)
        return attrs.evolve(verdicts, channel=channel)

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        consent_timeline(inputs)


MOVES_CHANNEL: Final = "moves_channel"
"""The class attribute by which a contact rule says it may move tasks to other channels
([`PreferredChannel`][aftersales_crm.care.PreferredChannel]). [`all_of`][aftersales_crm.care.all_of] runs its rules in order on the channels chosen
so far, so it refuses such a rule after one that gives hours ([`GIVES_HOURS`][aftersales_crm.care.GIVES_HOURS]): those
hours would be of a channel the task is no longer made on.

Examples:
    >>> getattr(PreferredChannel, MOVES_CHANNEL), getattr(Consent, MOVES_CHANNEL, False)
    (True, False)
"""

GIVES_HOURS: Final = "gives_hours"
"""The class attribute by which a contact rule says it gives tasks the hours of the day of
their channel ([`QuietHours`][aftersales_crm.care.QuietHours], [`Verdicts.hours`][aftersales_crm.care.Verdicts]).

Examples:
    >>> getattr(QuietHours, GIVES_HOURS), getattr(FrequencyCap, GIVES_HOURS, False)
    (True, False)
"""


def _declares(rule: object, name: str) -> bool:
    """Whether ``rule``, or a rule it combines, sets the class attribute ``name``.

    ``name`` is [`MOVES_CHANNEL`][aftersales_crm.care.MOVES_CHANNEL] or [`GIVES_HOURS`][aftersales_crm.care.GIVES_HOURS]; [`all_of`][aftersales_crm.care.all_of] and
    [`any_of`][aftersales_crm.care.any_of] declare what their rules declare. [`Not`][aftersales_crm.care.Not] does neither: its verdicts keep each task's channel and every hour.

    Examples:
        >>> _declares(all_of(Consent(), QuietHours()), GIVES_HOURS)
        True
        >>> _declares(not_(PreferredChannel()), MOVES_CHANNEL)
        False
    """
    if isinstance(rule, AllOf | AnyOf):
        return any(_declares(inner, name) for inner in rule.rules)
    return bool(getattr(type(rule), name, False))


def _in_order(rules: Sequence[object]) -> None:
    """Refuse a rule that moves channels after one that gave hours (naming both)."""
    for i, rule in enumerate(rules):
        if not _declares(rule, MOVES_CHANNEL):
            continue
        for before in rules[:i]:
            if _declares(before, GIVES_HOURS):
                mover, giver = type(rule).__name__, type(before).__name__
                msg = (
                    f"all_of: {mover} moves tasks to other channels after {giver} gave them"
                    f" the hours of theirs; put {mover} before {giver}"
                )
                raise InvalidValue(msg, code="contact_order")


def _aligned(verdicts: object, n: int, rule: object) -> Verdicts:
    """``verdicts`` if they are Verdicts for ``n`` tasks; else an error naming ``rule``."""
    if not isinstance(verdicts, Verdicts) or len(verdicts) != n:
        got = len(verdicts) if isinstance(verdicts, Verdicts) else type(verdicts).__name__
        msg = (
            f"{type(rule).__name__}.check gave {got} for {n} tasks, expected Verdicts, one per task"
        )
        raise InvalidValue(msg, code="verdicts")
    return verdicts


def _merge(reasons: list[Reason], new: Sequence[Reason]) -> NDArray[np.int16]:
    """Positions of ``new`` in ``reasons``, appending those not there yet."""
    out = []
    for reason in new:
        if reason not in reasons:
            reasons.append(reason)
        out.append(reasons.index(reason))
    return np.array([*out, -1], dtype=np.int16)


class _OfRules(_ContactRule):
    """A contact rule made of ``rules``: preparing it prepares each of them."""

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        for rule in params["rules"]:
            prepare_rule(rule, inputs)


class AllOf(_OfRules):
    """A task is allowed when every rule allows it; the first rule that blocks it says why.

    The rules run in order, each on the tasks the rules before it allowed, on the
    channels they chose: put [`PreferredChannel`][aftersales_crm.care.PreferredChannel] before [`Consent`][aftersales_crm.care.Consent] and
    [`QuietHours`][aftersales_crm.care.QuietHours], and [`FrequencyCap`][aftersales_crm.care.FrequencyCap] last. A task may be made in the hours
    every rule permits (their slots in common), so a rule that moves tasks to other
    channels ([`MOVES_CHANNEL`][aftersales_crm.care.MOVES_CHANNEL]) after one that gave hours ([`GIVES_HOURS`][aftersales_crm.care.GIVES_HOURS]) is
    refused when it judges. With no rule every task is allowed. The tasks a rule is
    handed are [`CareTasks`][aftersales_crm.care.CareTasks] like any others, but each of
    their columns is taken from all the tasks only when the rule first reads it: a rule
    reading a few columns of millions of tasks copies those alone.

    Attributes:
        rules: the contact rules, in order.

    Examples:
        >>> all_of(Consent(), FrequencyCap())
        AllOf(rules=(Consent(), FrequencyCap()))
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "rules": PoliciesOf("contact_rule", "check")
    }

    def __init__(self, *, rules: tuple[ContactRule, ...] = ()) -> None:
        self.rules = rules

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        _in_order(params["rules"])
        allowed = np.ones(len(tasks), dtype=bool)
        reason = np.full(len(tasks), -1, dtype=np.int16)
        channel = tasks.channel.copy()
        hours = np.full(len(tasks), ALL_DAY, dtype=np.int64)
        reasons: list[Reason] = []
        for rule in params["rules"]:
            rows = np.flatnonzero(allowed)
            if not len(rows):
                break
            # The tasks the rules before allowed, each column taken only when the rule
            # reads it (most rules read a few).
            judged = (
                tasks._replaced(channel=channel[rows])
                if len(rows) == len(tasks)
                else tasks._taken_lazily(rows, channel=channel[rows])
            )
            verdicts = _aligned(rule.check(judged, inputs), len(rows), rule)
            codes = _merge(reasons, verdicts.reasons)
            blocked = rows[~verdicts.allowed]
            reason[blocked] = codes[verdicts.reason[~verdicts.allowed]]
            allowed[blocked] = False
            if not np.array_equal(verdicts.channel, judged.channel):
                channel[rows] = verdicts.channel
            if verdicts.hours.min(initial=ALL_DAY) < ALL_DAY:  # else every hour: nothing to cut
                hours[rows] &= verdicts.hours
        return Verdicts(allowed, reason, channel, tuple(reasons), hours)


class AnyOf(_OfRules):
    """A task is allowed when any rule allows it, on the channel and in the hours of the first that does.

    A task no rule allows is blocked for the first rule's reason. With no rule every task
    is blocked.

    Attributes:
        rules: the contact rules, in order.

    Examples:
        >>> any_of(Consent(), not_(CoolingOff()))
        AnyOf(rules=(Consent(), Not(rule=CoolingOff())))
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "rules": PoliciesOf("contact_rule", "check")
    }

    REASON: ClassVar[Reason] = Reason("no contact rule allows it", "没有联系规则允许此联系")
    """Why a task is blocked when there is no rule to allow it."""

    def __init__(self, *, rules: tuple[ContactRule, ...] = ()) -> None:
        self.rules = rules

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        rules = params["rules"]
        if not rules:
            return Verdicts.blocking(tasks, np.ones(len(tasks), dtype=bool), self.REASON)
        reasons: list[Reason] = []
        verdicts = _aligned(rules[0].check(tasks, inputs), len(tasks), rules[0])
        first = _merge(reasons, verdicts.reasons)[verdicts.reason]
        allowed = verdicts.allowed.copy()
        channel = verdicts.channel.copy()
        hours = verdicts.hours.copy()
        for rule in rules[1:]:
            verdicts = _aligned(rule.check(tasks, inputs), len(tasks), rule)
            fresh = verdicts.allowed & ~allowed
            channel[fresh] = verdicts.channel[fresh]
            hours[fresh] = verdicts.hours[fresh]
            allowed |= verdicts.allowed
        return Verdicts(allowed, np.where(allowed, -1, first), channel, tuple(reasons), hours)


class Not(_ContactRule):
    """A task is allowed when ``rule`` blocks it, and blocked when ``rule`` allows it.

    Attributes:
        rule: the contact rule to turn round (default [`AllOf`][aftersales_crm.care.AllOf] of no rules, which
            allows everything, so that ``Not()`` blocks everything).

    Examples:
        >>> not_(QuietDays())
        Not(rule=QuietDays())
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "rule": PolicyOf("contact_rule", "check")
    }

    def __init__(self, *, rule: ContactRule = AllOf()) -> None:  # noqa: B008 - never mutated
        self.rule = rule

    def _judge(self, params: Mapping[str, Any], tasks: CareTasks, inputs: CareInputs) -> Verdicts:
        rule = params["rule"]
        verdicts = _aligned(rule.check(tasks, inputs), len(tasks), rule)
        name = type(rule).__name__
        reason = Reason(f"{name} allows it", f"{name}允许此联系")
        return Verdicts.blocking(tasks, verdicts.allowed, reason)

    def _prepare(self, params: Mapping[str, Any], inputs: CareInputs) -> None:
        prepare_rule(params["rule"], inputs)


def all_of(*rules: ContactRule) -> AllOf:
    """A contact rule that allows a task when every one of ``rules`` does ([`AllOf`][aftersales_crm.care.AllOf]).

    Examples:
        >>> all_of(Consent(), DoNotContact())
        AllOf(rules=(Consent(), DoNotContact()))
    """
    return AllOf(rules=rules)


def any_of(*rules: ContactRule) -> AnyOf:
    """A contact rule that allows a task when any of ``rules`` does ([`AnyOf`][aftersales_crm.care.AnyOf]).

    Examples:
        >>> any_of(Consent())
        AnyOf(rules=(Consent(),))
    """
    return AnyOf(rules=rules)


def not_(rule: ContactRule) -> Not:
    """A contact rule that allows what ``rule`` blocks, and blocks what it allows ([`Not`][aftersales_crm.care.Not]).

    Examples:
        >>> not_(Consent())
        Not(rule=Consent())
    """
    return Not(rule=rule)


DEFAULT_CONTACT_RULES: Final = (Consent(), DoNotContact(), CoolingOff(), FrequencyCap())
"""The contact rules of the planner's default, in order: consent, do not contact, cooling
off after a complaint, then the frequency cap over the tasks they allowed.

Examples:
    >>> all_of(*DEFAULT_CONTACT_RULES)
    AllOf(rules=(Consent(), DoNotContact(), CoolingOff(), FrequencyCap()))
"""
