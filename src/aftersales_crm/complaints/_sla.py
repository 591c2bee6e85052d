"""Service levels of complaint handling: a first response within hours, a resolution within days.

A complaint-SLA policy (kind ``complaint_sla``) gives, at ``as_of``, for every open
complaint, whether its first response and its resolution are (or were) late, and the
time left before each breach, in hours, negative once breached
([`SlaStatus`][aftersales_crm.complaints.SlaStatus]). Time is counted in calendar hours or in the business hours of a
calendar the caller passes in ([`BusinessCalendar`][aftersales_crm.complaints.BusinessCalendar]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import (
    Constraint,
    Instance,
    Numbers,
    OneOf,
    TimeZone,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.complaints._clock import (
    US_PER_HOUR,
    BusinessCalendar,
    WeekdayCalendar,
    business_clock,
)
from aftersales_crm.complaints._status import ComplaintLog, ComplaintState
from aftersales_crm.errors import InvalidType
from aftersales_crm.features import DEFAULT_TIME_ZONE
from aftersales_crm.records import Severity
from aftersales_crm.tables import Tables

__all__ = ["ComplaintSla", "SlaStatus"]

_CLOCKS: Final = ("calendar", "business")
_US_PER_DAY: Final = 24 * US_PER_HOUR
_STATES: Final = tuple(ComplaintState)
_SEVERITIES: Final = tuple(Severity)


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False, repr=False)
class SlaStatus(Displayed):
    """Each open complaint's service levels at ``as_of``: breached or not, and time left.

    A complaint is open when it was filed by ``as_of`` and is not closed. Its *response
    clock* runs from filing to its first acknowledgement (or to ``as_of`` while there is
    none); its *resolution clock* from filing to the resolution it rests on (or to
    ``as_of`` while it is not resolved, a reopened complaint included). Hours left are
    the SLA's allowance minus the time on the clock, in the policy's hours (calendar or
    business): positive while within the SLA, negative once breached. A breach is hours
    left below zero. In business hours the clock stops while the dealer is closed, so a
    deadline that falls due at closing time is breached only at the next opening.

    Attributes:
        complaint_id: str array of shape (n_open,).
        customer_id: str array.
        severity: int8 array, positions in ``list(Severity)``.
        state: int8 array, positions in ``list(ComplaintState)``.
        filed_at: ``datetime64[us]`` array (UTC).
        response_due: ``datetime64[us]`` array: when the first response falls due (UTC).
        response_breached: bool array.
        response_hours_left: float64 array.
        resolution_due: ``datetime64[us]`` array: when the resolution falls due (UTC).
        resolution_breached: bool array.
        resolution_hours_left: float64 array.
        as_of: the moment.

    Examples:
        >>> from datetime import datetime, timezone
        >>> SlaStatus.empty(datetime(2026, 1, 1, tzinfo=timezone.utc)).to_pandas().shape
        (0, 10)
    """

    complaint_id: NDArray[np.str_]
    customer_id: NDArray[np.str_]
    severity: NDArray[np.int8]
    state: NDArray[np.int8]
    filed_at: NDArray[np.datetime64]
    response_due: NDArray[np.datetime64]
    response_breached: NDArray[np.bool_]
    response_hours_left: NDArray[np.float64]
    resolution_due: NDArray[np.datetime64]
    resolution_breached: NDArray[np.bool_]
    resolution_hours_left: NDArray[np.float64]
    as_of: dt.datetime

    @classmethod
    def empty(cls, as_of: dt.datetime) -> SlaStatus:
        """No open complaint."""
        none = np.empty(0, "datetime64[us]")
        return cls(
            complaint_id=np.empty(0, dtype="<U1"),
            customer_id=np.empty(0, dtype="<U1"),
            severity=np.empty(0, np.int8),
            state=np.empty(0, np.int8),
            filed_at=none,
            response_due=none,
            response_breached=np.empty(0, bool),
            response_hours_left=np.empty(0),
            resolution_due=none,
            resolution_breached=np.empty(0, bool),
            resolution_hours_left=np.empty(0),
            as_of=as_of,
        )

    def __len__(self) -> int:
        """Number of open complaints."""
        return len(self.complaint_id)

    def __eq__(self, other: object) -> bool:
        """Same moment and the same rows, column by column.

        Examples:
            >>> from datetime import datetime, timezone
            >>> moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> SlaStatus.empty(moment) == SlaStatus.empty(moment)
            True
        """
        if not isinstance(other, SlaStatus):
            return NotImplemented
        return self.as_of == other.as_of and all(
            np.array_equal(mine, theirs, equal_nan=mine.dtype.kind in "fmM")
            for mine, theirs in zip(self._columns(), other._columns(), strict=True)
        )

    def __hash__(self) -> int:
        """Hash by the moment and the number of open complaints."""
        return hash((self.as_of, len(self)))

    def _columns(self) -> list[NDArray[Any]]:
        return [
            value
            for field in attrs.fields(SlaStatus)
            if isinstance(value := getattr(self, field.name), np.ndarray)
        ]

    def breaches(self) -> dict[str, int]:
        """How many open complaints breach each SLA.

        Examples:
            >>> from datetime import datetime, timezone
            >>> SlaStatus.empty(datetime(2026, 1, 1, tzinfo=timezone.utc)).breaches()
            {'open': 0, 'response': 0, 'resolution': 0}
        """
        return {
            "open": len(self),
            "response": int(self.response_breached.sum()),
            "resolution": int(self.resolution_breached.sum()),
        }

    def to_pandas(self) -> Any:
        """A DataFrame with one row per open complaint (needs the ``pandas`` extra).

        Examples:
            >>> from datetime import datetime, timezone
            >>> list(SlaStatus.empty(datetime(2026, 1, 1, tzinfo=timezone.utc)).to_pandas())[:3]
            ['customer_id', 'severity', 'state']
        """
        pd = require("pandas", extra="pandas")
        severities = np.array([s.value for s in _SEVERITIES], dtype=object)
        states = np.array([s.value for s in _STATES], dtype=object)
        return pd.DataFrame(
            {
                "customer_id": self.customer_id,
                "severity": severities[self.severity],
                "state": states[self.state],
                "filed_at": self.filed_at,
                "response_due": self.response_due,
                "response_breached": self.response_breached,
                "response_hours_left": self.response_hours_left,
                "resolution_due": self.resolution_due,
                "resolution_breached": self.resolution_breached,
                "resolution_hours_left": self.resolution_hours_left,
            },
            index=pd.Index(self.complaint_id, name="complaint_id"),
        )


class ComplaintSla(BasePolicy):
    """A first response within N hours and a resolution within M days, by severity.

    The material asks for a prompt answer without a number: "及时响应客户投诉" (respond to
    complaints promptly, 《汽车售后客户关系管理》) and "及时回应" (answer in time, second of the
    ten rules of complaint handling in 《信息回访员基础培训分析报告》). Chinese dealers close
    complaints within two weeks as a norm (the two-week closure rate, 两周结案率, of dealer
    KPI lists). The defaults below are the library's choice, explained at each class
    attribute; set your own.

    Attributes:
        response_hours: hours allowed to the first response (an acknowledgement), one per
            severity, low to critical (default 24, 8, 4, 2).
        resolution_days: days allowed to the resolution, one per severity, low to critical
            (default 14, 14, 7, 3).
        clock: ``"calendar"`` (default) counts every hour; ``"business"`` counts the
            opening hours of ``calendar``, a day of the allowance being one business day
            of opening hours.
        calendar: the business calendar ([`BusinessCalendar`][aftersales_crm.complaints.BusinessCalendar]), used by the
            business clock (default [`WeekdayCalendar`][aftersales_crm.complaints.WeekdayCalendar]: Monday to Friday,
            08:30–17:30).
        time_zone: the programme's time zone, whose days the calendar's days are
            (default ``Asia/Shanghai``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import ComplaintFiled, ComplaintUpdated
        >>> t = lambda day, hour: datetime(2026, 3, day, hour, tzinfo=timezone.utc)
        >>> log = ComplaintLog.from_records([
        ...     ComplaintFiled(id="Q1", customer_id="C1", at=t(2, 1), category="price",
        ...                    severity="high", channel="phone"),
        ...     ComplaintUpdated(id="U1", complaint_id="Q1", at=t(2, 7), action="acknowledged")])
        >>> sla = ComplaintSla().assess(log, as_of=t(3, 1))
        >>> sla.response_breached.tolist(), sla.response_hours_left.tolist()
        ([True], [-2.0])
        >>> sla.resolution_hours_left.tolist()  # 7 days = 168 hours, 24 of them gone
        [144.0]
    """

    kind: ClassVar[PolicyKind] = "complaint_sla"
    population_relative: ClassVar[bool] = False

    RESPONSE_HOURS: ClassVar[tuple[int, ...]] = (24, 8, 4, 2)
    """Low 24, medium 8, high 4, critical 2 hours to the first response: the library's
    choice. The material asks for a prompt answer (及时响应) without a number; a day for
    the least serious complaint is the slowest answer that is still the next day, and each
    step of severity halves it, down to two hours when the customer may be stranded."""

    RESOLUTION_DAYS: ClassVar[tuple[int, ...]] = (14, 14, 7, 3)
    """Low and medium 14, high 7, critical 3 days to the resolution. Fourteen days follows
    the Chinese dealer norm of closing complaints within two weeks (两周结案率, in dealer
    KPI lists such as studyofnet.com's of 4S service indicators); the shorter allowances
    for high and critical complaints are the library's choice."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "response_hours": Numbers(low=0.01, high=24 * 365, count=len(_SEVERITIES), unit="hours"),
        "resolution_days": Numbers(low=0.01, high=3650, count=len(_SEVERITIES), unit="days"),
        "clock": OneOf(_CLOCKS),
        "calendar": Instance(
            BusinessCalendar, "a business calendar (opens, closes and is_day_off(date))"
        ),
        "time_zone": TimeZone(),
    }

    def __init__(
        self,
        *,
        response_hours: tuple[float, ...] = RESPONSE_HOURS,
        resolution_days: tuple[float, ...] = RESOLUTION_DAYS,
        clock: str = "calendar",
        calendar: BusinessCalendar = WeekdayCalendar(),  # noqa: B008 - frozen, shared safely
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> None:
        self.response_hours = response_hours
        self.resolution_days = resolution_days
        self.clock = clock
        self.calendar = calendar
        self.time_zone = time_zone

    def assess(self, complaints: ComplaintLog | Tables, *, as_of: dt.datetime) -> SlaStatus:
        """Every open complaint's service levels at ``as_of``.

        Args:
            complaints: a [`ComplaintLog`][aftersales_crm.complaints.ComplaintLog], or tables to build one from
                ([`ComplaintLog.from_tables`][aftersales_crm.complaints.ComplaintLog.from_tables]).
            as_of: an aware datetime; no fact after it counts.

        Returns:
            One row per complaint open at ``as_of``, in the log's order.

        Raises:
            InvalidType: ``complaints`` is neither a log nor tables.
            InvalidValue: a parameter breaks its constraint (naming it), or ``as_of`` is
                not an aware datetime.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> from aftersales_crm.records import ComplaintFiled
            >>> shanghai = timezone(timedelta(hours=8))
            >>> friday = datetime(2026, 3, 6, 16, 30, tzinfo=shanghai)
            >>> log = ComplaintLog.from_records([ComplaintFiled(id="Q1", customer_id="C1",
            ...     at=friday, category="price", severity="high", channel="phone")])
            >>> monday = datetime(2026, 3, 9, 10, 30, tzinfo=shanghai)
            >>> ComplaintSla(clock="business").assess(log, as_of=monday).response_hours_left.tolist()
            [1.0]
        """
        params = validate_params(self)
        given: object = complaints
        if isinstance(given, Tables):
            log = ComplaintLog.from_tables(given)
        elif isinstance(given, ComplaintLog):
            log = given
        else:
            msg = f"complaints is a {type(given).__name__}, expected a ComplaintLog or Tables"
            raise InvalidType(msg)
        states = log.states(as_of)
        rows = np.flatnonzero(states.is_open)
        if not len(rows):
            return SlaStatus.empty(states.as_of)
        severity = states.severity[rows].astype(np.int64)
        respond = np.array(params["response_hours"], dtype=np.float64)[severity]
        resolve = np.array(params["resolution_days"], dtype=np.float64)[severity]
        filed = states.filed_at[rows].view(np.int64)
        cut = np.datetime64(states.as_of.astimezone(dt.UTC).replace(tzinfo=None), "us")
        now = np.full(len(rows), cut.view(np.int64))
        acked = states.acknowledged_at[rows]
        resolved = states.resolved_at[rows]
        response_stop = np.where(np.isnat(acked), now, acked.view(np.int64))
        resolution_stop = np.where(np.isnat(resolved), now, resolved.view(np.int64))
        if params["clock"] == "business":
            day = self._business_day_us(params["calendar"])
            response_budget = np.round(respond * US_PER_HOUR).astype(np.int64)
            resolution_budget = np.round(resolve * day).astype(np.int64)
            clock = business_clock(
                params["calendar"],
                params["time_zone"],
                filed,
                now,
                np.maximum(response_budget, resolution_budget),
            )
            start = clock.elapsed(filed)
            response_used = clock.elapsed(response_stop) - start
            resolution_used = clock.elapsed(resolution_stop) - start
            response_due = clock.instant(start + response_budget)
            resolution_due = clock.instant(start + resolution_budget)
        else:
            response_budget = np.round(respond * US_PER_HOUR).astype(np.int64)
            resolution_budget = np.round(resolve * _US_PER_DAY).astype(np.int64)
            response_used = response_stop - filed
            resolution_used = resolution_stop - filed
            response_due = filed + response_budget
            resolution_due = filed + resolution_budget
        response_left = (response_budget - response_used) / US_PER_HOUR
        resolution_left = (resolution_budget - resolution_used) / US_PER_HOUR
        return SlaStatus(
            complaint_id=states.complaint_ids[rows],
            customer_id=states.customer_ids[rows],
            severity=_frozen(states.severity[rows]),
            state=_frozen(states.state[rows]),
            filed_at=_frozen(states.filed_at[rows]),
            response_due=_frozen(response_due.view("datetime64[us]")),
            response_breached=_frozen(response_left < 0),
            response_hours_left=_frozen(response_left),
            resolution_due=_frozen(resolution_due.view("datetime64[us]")),
            resolution_breached=_frozen(resolution_left < 0),
            resolution_hours_left=_frozen(resolution_left),
            as_of=states.as_of,
        )

    @staticmethod
    def _business_day_us(calendar: BusinessCalendar) -> int:
        """The µs of one business day: the calendar's opening hours."""
        opened = dt.datetime.combine(dt.date(2000, 1, 3), calendar.opens)
        closed = dt.datetime.combine(dt.date(2000, 1, 3), calendar.closes)
        return max((closed - opened) // dt.timedelta(microseconds=1), 1)
