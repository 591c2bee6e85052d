"""The agenda: the planner's tasks with their status, what blocked them, and the calls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import (
    ARGUMENT_CODE,
    as_of_date,
    language,
    number_array,
    positions,
    whole_number,
)
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.care._facts import sort_rows_and_ties
from aftersales_crm.care._inputs import as_of_day, end_day, start_day
from aftersales_crm.care._tasks import CHANNELS, CareTasks, Reason, as_codes
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.values import LabelledEnum, Lang
from aftersales_crm.values._hours import ALL_DAY, call_window, hours_text
from aftersales_crm.values._text import display_width, pad_right

__all__ = ["Agenda", "TaskStatus", "agenda_order"]


def agenda_order(
    tasks: CareTasks, customer_rank: NDArray[np.int64] | None = None
) -> NDArray[np.intp]:
    """The order of an agenda's tasks: due day, priority (highest first), customer id, kind.

    Tasks equal on all four (one customer's two vehicles, say) keep the tasks' canonical
    order ([`CareTasks.canonical_order`][aftersales_crm.care.CareTasks.canonical_order]), so
    the order depends on the tasks only, never on the order they were made in: the
    planner's agenda, and agendas of parts of a customer base joined again, come out the
    same.

    Args:
        tasks: the tasks.
        customer_rank: each task's customer's rank among the customer ids in text order,
            when known already (the planner has it); by default ranked here.

    Returns:
        The rows of ``tasks`` in agenda order.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import OwnerBirthday, Planner
        >>> agenda = Planner(rules=[OwnerBirthday()]).agenda(
        ...     synthetic.tables(300, seed=1), start="2026-06-01", end="2026-06-30")
        >>> shuffled = agenda.tasks.take(np.arange(len(agenda))[::-1])
        >>> shuffled.take(agenda_order(shuffled)) == agenda.tasks
        True
    """
    given: object = tasks  # callers may pass anything; the annotation is the contract
    if not isinstance(given, CareTasks):
        msg = f"tasks is {type(given).__name__}, expected CareTasks"
        raise InvalidType(msg)
    if customer_rank is not None:
        customer_rank = number_array(customer_rank, parameter="customer_rank", dtype="int64")
        if customer_rank.shape != (len(tasks),):
            msg = f"customer_rank has shape {customer_rank.shape}, expected one rank per task ({len(tasks)})"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
    if not len(tasks):
        return np.zeros(0, dtype=np.intp)
    if customer_rank is None:
        _, inverse = np.unique(tasks.customer, return_inverse=True)
        customer_rank = np.asarray(inverse, dtype=np.int64).reshape(-1)
    return in_agenda_order(tasks, customer_rank)


def in_agenda_order(
    tasks: CareTasks, customer_rank: NDArray[np.int64], rows: NDArray[np.intp] | None = None
) -> NDArray[np.intp]:
    """The ``rows`` of ``tasks`` (default all) in [`agenda_order`][aftersales_crm.care.agenda_order].

    ``customer_rank`` is aligned with ``rows``. Sorting some rows where they lie spares
    a copy of every column of the tasks just to sort them (the planner's shown tasks).

    Examples:
        >>> from aftersales_crm.care import Reason, TaskKind
        >>> call = TaskKind("doc_call", "call", "电话", purpose="care")
        >>> tasks = CareTasks.build(call, Reason("a", "甲"), customer=["C1", "C2", "C3"],
        ...                         due=["2026-07-03", "2026-07-01", "2026-07-02"])
        >>> in_agenda_order(tasks, np.array([0, 1]), np.array([0, 2])).tolist()
        [2, 0]
    """
    if rows is None:
        kind, due, priority = tasks.kind, tasks.due, tasks.priority
    else:
        kind, due, priority = tasks.kind[rows], tasks.due[rows], tasks.priority[rows]
    kind_rank = np.argsort(np.argsort([kind.name for kind in tasks.kinds] or [""]))[kind]
    order, tie = sort_rows_and_ties(due.view(np.int64), -priority, customer_rank, kind_rank)
    if tie.any():  # the same customer, kind, day and priority: two vehicles, say
        group = np.cumsum(~tie)
        tied = np.flatnonzero(tie | np.r_[tie[1:], False])
        some = tasks.take(order[tied] if rows is None else rows[order[tied]])
        canonical = np.empty(len(some), dtype=np.int64)
        canonical[some.canonical_order()] = np.arange(len(some))
        order[tied] = order[tied][np.lexsort((canonical, group[tied]))]
    return order if rows is None else rows[order]


class TaskStatus(LabelledEnum):
    """Where a care task stands on ``as_of``.

    * ``OPEN``: to be done, its window not over yet;
    * ``CLOSED``: done: a contact (or a visit) that counts for it was made;
    * ``OVERDUE``: not done, and its window ended before ``as_of``;
    * ``BLOCKED``: not to be done: a contact rule blocked it (no consent, do not
      contact, cooling off, frequency cap…), with the reason.

    A task done although a rule would block it now is closed: what happened counts first.

    Examples:
        >>> [status.label("zh") for status in TaskStatus]
        ['待办', '已完成', '逾期', '已拦截']
    """

    OPEN = "open", "open", "待办"
    CLOSED = "closed", "closed", "已完成"
    OVERDUE = "overdue", "overdue", "逾期"
    BLOCKED = "blocked", "blocked", "已拦截"


STATUSES: Final = tuple(TaskStatus)
OPEN, CLOSED, OVERDUE, BLOCKED = (STATUSES.index(s) for s in STATUSES)
_REPORT_ROWS: Final = 10
"""Rows per kind and status a report shows by default."""


def _status(values: object) -> NDArray[np.int8]:
    return as_codes(values, "status", "int8", "agenda")


def _blocked_by(values: object) -> NDArray[np.int16]:
    return as_codes(values, "blocked_by", "int16", "agenda")


def _call(values: object) -> NDArray[np.int64]:
    return as_codes(values, "call", "int64", "agenda")


def _hours_or_none(values: object) -> Any:
    return None if values is None else as_codes(values, "hours", "int64", "agenda")


def _lookback(value: object) -> int:
    return whole_number(value, parameter="lookback", minimum=0)


def _tasks(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, CareTasks):
        msg = f"tasks is {type(value).__name__}, expected CareTasks"
        raise InvalidValue(msg, code="agenda")


def _reasons(values: object) -> tuple[Reason, ...]:
    if not isinstance(values, tuple | list) or not all(isinstance(r, Reason) for r in values):
        msg = f"block_reasons is {values!r:.80}, expected a tuple of Reason"
        raise InvalidValue(msg, code="agenda")
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class Agenda(Displayed):
    """The care agenda: every task the rules made, with its status, in working order.

    Rows are sorted by due day, priority (highest first), customer and kind. Nothing a
    rule produced is dropped: closed and blocked tasks stay, with their status and, for
    blocked ones, the contact rule's reason. Tasks for the same customer on the same
    channel whose windows overlap are one call (``call``): a call can carry several
    reasons.

    Attributes:
        tasks: the tasks, their channel the one the contact rules chose, their priority
            after the planner's boosts.
        status: int8 array, positions in ``list(TaskStatus)``.
        blocked_by: int16 array, the position in ``block_reasons`` of why a blocked
            task is blocked, -1 for the others.
        block_reasons: the contact rules' reasons.
        call: int64 array, the call each open or overdue task belongs to (0, 1, … in the
            order of the agenda), -1 for closed and blocked tasks.
        start: the first day asked for.
        end: the last day asked for.
        as_of: the day facts are known up to; statuses are on this day.
        lookback: days before ``start`` whose tasks are shown too (so that overdue ones
            show).
        hours: int64 array, the hours of the day each task may be made in, as the
            contact rules gave them (half-hour slots, see
            [`QuietHours`][aftersales_crm.care.QuietHours]); default every hour. The pandas frame
            shows them as ``call_from``, ``call_until`` and ``call_hours``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.care import Planner
        >>> agenda = Planner().agenda(synthetic.book(60, seed=1), on=date(2026, 6, 30))
        >>> sorted(agenda.counts())[:4]
        ['annual_inspection', 'festival_greeting', 'first_maintenance_due', 'follow_up_3d']
        >>> set(agenda.status_counts()) <= {"open", "closed", "overdue", "blocked"}
        True
    """

    tasks: CareTasks = attrs.field(validator=_tasks)
    status: NDArray[np.int8] = attrs.field(converter=_status)
    blocked_by: NDArray[np.int16] = attrs.field(converter=_blocked_by)
    block_reasons: tuple[Reason, ...] = attrs.field(converter=_reasons)
    call: NDArray[np.int64] = attrs.field(converter=_call)
    start: date = attrs.field(converter=start_day)
    end: date = attrs.field(converter=end_day)
    as_of: date = attrs.field(converter=as_of_day)
    lookback: int = attrs.field(converter=_lookback)
    hours: NDArray[np.int64] = attrs.field(default=None, converter=_hours_or_none)

    def __attrs_post_init__(self) -> None:
        n = len(self.tasks)
        hours: object = self.hours  # None until filled in: the default
        if hours is None:
            every = np.full(n, ALL_DAY, dtype=np.int64)
            every.flags.writeable = False
            object.__setattr__(self, "hours", every)
        if not len(self.status) == len(self.blocked_by) == len(self.call) == len(self.hours) == n:
            msg = "status, blocked_by, call and hours need one value per task"
            raise InvalidValue(msg, code="agenda")
        if n and (self.hours.min() < 0 or self.hours.max() > ALL_DAY):
            msg = f"hours must be slots of the day, from 0 to {ALL_DAY}"
            raise InvalidValue(msg, code="agenda")
        if n and (self.status.min() < 0 or self.status.max() >= len(STATUSES)):
            msg = f"status codes must lie in 0..{len(STATUSES) - 1}"
            raise InvalidValue(msg, code="agenda")
        blocked = self.status == BLOCKED
        if not np.array_equal(blocked, self.blocked_by >= 0) or (
            n and self.blocked_by.max() >= len(self.block_reasons)
        ):
            msg = "every blocked task, and no other, needs a reason of block_reasons"
            raise InvalidValue(msg, code="agenda")

    def __len__(self) -> int:
        """Number of tasks."""
        return len(self.tasks)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The tasks as dictionaries, in agenda order (for a quick look; use columns for work)."""
        frame = self._frame("en")
        names = list(frame)
        for row in range(len(self)):
            yield {name: _plain(frame[name][row]) for name in names}

    def __eq__(self, other: object) -> bool:
        """The same tasks, in the same order, with the same statuses, reasons and calls."""
        if not isinstance(other, Agenda):
            return NotImplemented
        return (
            (self.start, self.end, self.as_of, self.lookback)
            == (other.start, other.end, other.as_of, other.lookback)
            and self.tasks == other.tasks
            and all(np.array_equal(a, b) for a, b in zip(self._rows(), other._rows(), strict=True))
        )

    def __hash__(self) -> int:
        """Hash by the days and the number of tasks."""
        return hash((self.start, self.end, self.as_of, len(self)))

    def _rows(self) -> list[NDArray[Any]]:
        """What equality compares beyond the tasks, row by row in agenda order."""
        return [
            self.tasks.customer,
            self.tasks.kind_names(),
            self.tasks.due,
            self.tasks.source,
            self.status,
            self.blocked_text("en"),
            self.call,
            self.hours,
        ]

    def take(self, rows: Any) -> Agenda:
        """The tasks at ``rows``, in that order, calls renumbered in their new order.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(30, seed=1), on=date(2026, 6, 30))
            >>> len(agenda.take([0]))
            1
        """
        picked = positions(rows, len(self))
        return attrs.evolve(
            self,
            tasks=self.tasks.take(picked),
            status=self.status[picked],
            blocked_by=self.blocked_by[picked],
            call=renumber(self.call[picked]),
            hours=self.hours[picked],
        )

    def for_day(self, day: date | str) -> Agenda:
        """The agenda of one day: the tasks whose window meets ``day`` or the lookback before it.

        The statuses stay those on ``as_of``: the agenda of a range is the union of
        the agendas of its days, each asked on the same ``as_of``.

        Raises:
            InvalidValue: ``day`` is not a date.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(40, seed=1), start=date(2026, 6, 29),
            ...                           end=date(2026, 7, 5))
            >>> len(agenda.for_day(date(2026, 6, 29))) <= len(agenda)
            True
        """
        on = np.datetime64(as_of_date(day, parameter="day"), "D")
        first = on - np.timedelta64(self.lookback, "D")
        meets = (self.tasks.window_end >= first) & (self.tasks.window_start <= on)
        return attrs.evolve(self.take(np.flatnonzero(meets)), start=on.item(), end=on.item())

    def status_counts(self) -> dict[str, int]:
        """Tasks per status, statuses without tasks left out.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(20, seed=1), on=date(2026, 6, 30))
            >>> sum(agenda.status_counts().values()) == len(agenda)
            True
        """
        found = np.bincount(self.status, minlength=len(STATUSES))
        return {s.value: int(n) for s, n in zip(STATUSES, found, strict=True) if n}

    def counts(self) -> dict[str, dict[str, int]]:
        """Tasks per kind, and per status within each kind.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(20, seed=1), on=date(2026, 6, 30))
            >>> all(sum(c.values()) > 0 for c in agenda.counts().values())
            True
        """
        out: dict[str, dict[str, int]] = {}
        for code, kind in enumerate(self.tasks.kinds):
            rows = self.tasks.kind == code
            found = np.bincount(self.status[rows], minlength=len(STATUSES))
            counts = {s.value: int(n) for s, n in zip(STATUSES, found, strict=True) if n}
            if counts:
                out[kind.name] = counts
        return out

    def calls(self) -> int:
        """The number of calls to make: open and overdue tasks grouped by call.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(20, seed=1), on=date(2026, 6, 30))
            >>> agenda.calls() <= agenda.status_counts().get("open", 0) + agenda.status_counts().get("overdue", 0)
            True
        """
        return int(self.call.max()) + 1 if len(self.call) else 0

    def blocked_text(self, lang: Lang = "en") -> NDArray[np.object_]:
        """Why each blocked task is blocked, in words (None for the others).

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> agenda = Planner().agenda(synthetic.book(20, seed=1), on=date(2026, 6, 30))
            >>> len(agenda.blocked_text("zh")) == len(agenda)
            True
        """
        lang = language(lang)  # type: ignore[assignment]
        texts = np.array([r.text(lang) for r in self.block_reasons] + [None], dtype=object)
        return texts[self.blocked_by]

    def report(self, lang: Lang = "en", *, rows: int = _REPORT_ROWS) -> str:
        """The agenda as text: per kind, the counts by status, then its tasks and reasons.

        Blocked tasks show what the contact rules blocked them for.

        Args:
            lang: ``"en"`` or ``"zh"``.
            rows: at most this many tasks shown per kind and status (default 10).

        Raises:
            InvalidValue: ``lang`` is not a language or ``rows`` not a whole number >= 0.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> text = Planner().agenda(synthetic.book(30, seed=1), on=date(2026, 6, 30)).report("zh")
            >>> text.splitlines()[0]
            '关怀日程 2026-06-30(事实截至 2026-06-30)'
        """
        zh = language(lang) == "zh"
        limit = whole_number(rows, parameter="rows", minimum=0)
        days = (
            self.start.isoformat()
            if self.start == self.end
            else f"{self.start.isoformat()} – {self.end.isoformat()}"
        )
        lines = [
            f"关怀日程 {days}(事实截至 {self.as_of.isoformat()})"
            if zh
            else f"Care agenda {days} (facts to {self.as_of.isoformat()})"
        ]
        if not len(self):
            lines.append("没有任务" if zh else "no tasks")
            return "\n".join(lines)
        lang_: Lang = "zh" if zh else "en"
        reasons = self.tasks.reasons_text(lang_)
        blocked = self.blocked_text(lang_)
        channels = np.array([c.label(lang_) for c in CHANNELS], dtype=object)
        hours = hours_text(self.hours)
        customers, vehicles = self.tasks.customer, self.tasks.vehicle
        for code, kind in enumerate(self.tasks.kinds):
            of_kind = self.tasks.kind == code
            if not of_kind.any():
                continue
            counts = np.bincount(self.status[of_kind], minlength=len(STATUSES))
            summary = ", ".join(
                f"{s.label(lang_)} {int(n)}" for s, n in zip(STATUSES, counts, strict=True) if n
            )
            lines.append("")
            lines.append(f"{kind.label(lang_)} ({kind.name}): {summary}")
            for status in (OVERDUE, OPEN, BLOCKED, CLOSED):
                picked = np.flatnonzero(of_kind & (self.status == status))
                for row in picked[:limit].tolist():
                    who = pad_right(str(customers[row]), 10)
                    vin = pad_right(str(vehicles[row]) or "-", 17)
                    what = pad_right(STATUSES[status].label(lang_), max(display_width("逾期 "), 8))
                    how = channels[self.tasks.channel[row]]
                    if status in (OPEN, OVERDUE) and self.hours[row] != ALL_DAY:
                        how += f" {hours[row]}"
                    text = f"  {self.tasks.due[row]}  {what} {who} {vin} {how}  {reasons[row]}"
                    if status == BLOCKED:
                        text += f" — {'拦截' if zh else 'blocked'}: {blocked[row]}"
                    lines.append(text)
                if len(picked) > limit:
                    more = len(picked) - limit
                    lines.append(f"  … 另有 {more} 条" if zh else f"  … {more} more")
        return "\n".join(lines)

    def to_pandas(self, lang: Lang = "en") -> Any:
        """A DataFrame with one row per task, in agenda order (needs the ``pandas`` extra).

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.care import Planner
            >>> frame = Planner().agenda(synthetic.book(20, seed=1), on=date(2026, 6, 30)).to_pandas()
            >>> list(frame)[:5]
            ['customer_id', 'vin', 'kind', 'due', 'window_start']
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(self._frame(language(lang)))  # type: ignore[arg-type]

    def _frame(self, lang: Lang) -> dict[str, Any]:
        statuses = np.array([s.value for s in STATUSES], dtype=object)
        call_from, call_until = call_window(self.hours)
        return self.tasks._frame(lang) | {
            "status": statuses[self.status],
            "blocked_by": self.blocked_text(lang),
            "call": self.call,
            "call_from": call_from,
            "call_until": call_until,
            "call_hours": hours_text(self.hours),
        }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def renumber(call: NDArray[np.int64]) -> NDArray[np.int64]:
    """Call ids renumbered 0, 1, … in the order they first appear; -1 stays -1.

    Examples:
        >>> renumber(np.array([5, -1, 2, 5])).tolist()
        [0, -1, 1, 0]
    """
    out = np.full(len(call), -1, dtype=np.int64)
    given = np.flatnonzero(call >= 0)
    if len(given):
        first = np.full(int(call[given].max()) + 1, len(call), dtype=np.int64)
        np.minimum.at(first, call[given], given)  # where each call first appears
        present = np.flatnonzero(first < len(call))
        # A call's rank: how many calls first appear up to where it does (no sort needed).
        opens = np.zeros(len(call), dtype=np.int64)
        opens[first[present]] = 1
        rank = np.empty(len(first), dtype=np.int64)
        rank[present] = np.cumsum(opens)[first[present]] - 1
        out[given] = rank[call[given]]
    return out
