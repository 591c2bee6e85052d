"""Recovery after complaints: who comes back for service, by how their complaint ended.

The training material for follow-up callers counts the customers who come back after a
problem, by what became of it (《信息回访员基础培训分析报告》: "不去抱怨 9%再回来 抱怨没有解决
19%再回来 抱怨有解决 54%再回来 抱怨很快解决 82%再回来"). [`recovery`][aftersales_crm.complaints.recovery] measures the same
shares in a dealer network's own facts, each with its n and a Wilson confidence interval,
beside the material's figures ([`RecoveryTable`][aftersales_crm.complaints.RecoveryTable]).
"""

from __future__ import annotations

import datetime as dt
import statistics
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import language, number_array, real_number
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.complaints._status import NO_INSTANT, ComplaintLog
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import ContactOutcome
from aftersales_crm.tables import Tables
from aftersales_crm.values import LabelledEnum, Lang, Material, Quote

__all__ = [
    "QUICK_HOURS",
    "REFERENCE",
    "REFERENCE_QUOTE",
    "WINDOW_DAYS",
    "RecoveryOutcome",
    "RecoveryTable",
    "recovery",
    "wilson_interval",
]

WINDOW_DAYS: Final = 365
"""A customer *returns* when they open a repair order anywhere in the network within 365
days after the complaint (or the problem): the library's choice. The material gives no
window; a year holds one service interval of most cars (the first-maintenance and
service-interval rules count in months of the same order), so a customer who stays away a
whole year has not come back."""

QUICK_HOURS: Final = 48
"""A complaint is *resolved quickly* when the resolution it rests on came within 48 hours
of filing: the library's choice. The material says "很快" (quickly) without a number; two
days is the time a complaint filed on one working day can be settled by the end of the
next."""

US_PER_HOUR: Final = 3_600_000_000
_US_PER_DAY: Final = 24 * US_PER_HOUR
_GRIEVANCE: Final = list(ContactOutcome).index(ContactOutcome.UNSPOKEN_GRIEVANCE)


class RecoveryOutcome(LabelledEnum):
    """What became of a customer's problem, in the material's words.

    ``NOT_COMPLAINED`` is a customer who had a problem and did not complain: a contact
    whose outcome is [`UNSPOKEN_GRIEVANCE`][aftersales_crm.records.ContactOutcome]
    ("心存抱怨又不想投诉"), unless the customer complained within the window after it. A
    complaint is ``UNRESOLVED``, ``RESOLVED`` or ``RESOLVED_QUICKLY`` by its state at the
    end of the window: resolved or closed, and how soon after filing the resolution it
    rests on came ([`QUICK_HOURS`][aftersales_crm.complaints.QUICK_HOURS]). The four are exclusive: "resolved" is resolved,
    but not quickly.

    Examples:
        >>> [o.label("zh") for o in RecoveryOutcome]
        ['不去抱怨', '抱怨没有解决', '抱怨有解决', '抱怨很快解决']
    """

    NOT_COMPLAINED = "not_complained", "had a problem, did not complain", "不去抱怨"
    UNRESOLVED = "unresolved", "complained, not resolved", "抱怨没有解决"
    RESOLVED = "resolved", "complained, resolved", "抱怨有解决"
    RESOLVED_QUICKLY = "resolved_quickly", "complained, resolved quickly", "抱怨很快解决"


REFERENCE_QUOTE: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "不去抱怨 9%再回来 抱怨没有解决 19%再回来 抱怨有解决 54%再回来 抱怨很快解决 82%再回来",
    "did not complain: 9% come back; complaint not resolved: 19% come back; complaint"
    " resolved: 54% come back; complaint resolved quickly: 82% come back",
)
"""The material's return rates by outcome, word for word."""

REFERENCE: Final[Mapping[RecoveryOutcome, float]] = MappingProxyType(
    {
        RecoveryOutcome.NOT_COMPLAINED: 0.09,
        RecoveryOutcome.UNRESOLVED: 0.19,
        RecoveryOutcome.RESOLVED: 0.54,
        RecoveryOutcome.RESOLVED_QUICKLY: 0.82,
    }
)
"""The share of customers who come back, by outcome, as [`REFERENCE_QUOTE`][aftersales_crm.complaints.REFERENCE_QUOTE] gives it.

Examples:
    >>> REFERENCE[RecoveryOutcome.RESOLVED_QUICKLY]
    0.82
"""


def wilson_interval(
    successes: NDArray[Any], n: NDArray[Any], confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The Wilson score interval of each proportion ``successes / n`` (NaN where n is 0).

    Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22: the interval that stays within 0–1 and keeps its coverage for
    small n and proportions near 0 or 1.

    Args:
        successes: whole counts.
        n: whole counts, at least ``successes``.
        confidence: the two-sided confidence level, from 0 to 1 (excluded).

    Returns:
        The lower and upper bounds.

    Examples:
        >>> low, high = wilson_interval(np.array([9, 0]), np.array([100, 0]))
        >>> [round(float(v), 4) for v in low], [round(float(v), 4) for v in high]
        ([0.0481, nan], [0.1623, nan])
    """
    level = real_number(confidence, parameter="confidence", minimum=0.0, above=True)
    if level >= 1:
        msg = f"confidence is {confidence!r}, expected a level below 1 (0.95 for 95%)"
        raise InvalidValue(msg, code="invalid_argument")
    z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
    k = number_array(successes, parameter="successes")
    total = number_array(n, parameter="n")
    if k.shape != total.shape or (k < 0).any() or (k > total).any():
        msg = "successes and n are counts of the same length, with 0 <= successes <= n"
        raise InvalidValue(msg, code="invalid_argument")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / total
        denominator = 1 + z * z / total
        centre = (p + z * z / (2 * total)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return np.where(total > 0, centre - half, np.nan), np.where(total > 0, centre + half, np.nan)


@attrs.frozen(eq=False, repr=False)
class RecoveryTable(Displayed):
    """The share of customers who came back for service, by outcome, beside the material's.

    Attributes:
        outcomes: the outcomes, one row each, in the order of [`RecoveryOutcome`][aftersales_crm.complaints.RecoveryOutcome].
        n: int64 array: the problems (complaints, unspoken grievances) whose window had
            ended by ``as_of``.
        returned: int64 array: of those, the ones whose customer opened a repair order
            within the window.
        share: float64 array: ``returned / n`` (NaN where n is 0).
        low: float64 array: the Wilson interval's lower bound.
        high: float64 array: its upper bound.
        reference: float64 array: the material's share ([`REFERENCE`][aftersales_crm.complaints.REFERENCE]).
        window_days: the window.
        quick_hours: the most hours a quick resolution took.
        confidence: the interval's level.
        as_of: the moment.

    Examples:
        >>> from datetime import datetime, timezone
        >>> table = recovery(Tables.from_arrays(), as_of=datetime(2026, 6, 30, tzinfo=timezone.utc))
        >>> table.n.tolist(), table.reference.tolist()
        ([0, 0, 0, 0], [0.09, 0.19, 0.54, 0.82])
    """

    _display_whole = True  # a row per outcome, the outcomes a tuple

    outcomes: tuple[RecoveryOutcome, ...]
    n: NDArray[np.int64]
    returned: NDArray[np.int64]
    share: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    reference: NDArray[np.float64]
    window_days: float
    quick_hours: float
    confidence: float
    as_of: dt.datetime

    def __len__(self) -> int:
        """Number of rows (outcomes)."""
        return len(self.outcomes)

    def report(self, lang: Lang = "en") -> str:
        """The table as text, each share beside the material's, with the material's words.

        Examples:
            >>> from datetime import datetime, timezone
            >>> table = recovery(Tables.from_arrays(), as_of=datetime(2026, 6, 30, tzinfo=timezone.utc))
            >>> print(table.report())  # doctest: +NORMALIZE_WHITESPACE
            outcome                          n  returned  share  95% CI  material
            had a problem, did not complain  0         0      –       –        9%
            complained, not resolved         0         0      –       –       19%
            complained, resolved             0         0      –       –       54%
            complained, resolved quickly     0         0      –       –       82%
            《信息回访员基础培训分析报告》: “不去抱怨 9%再回来 抱怨没有解决 19%再回来 抱怨有解决 54%再回来 抱怨很快解决 82%再回来”
        """
        chosen: Lang = "zh" if language(lang) == "zh" else "en"
        level = f"{self.confidence:.0%} CI"
        head = ("outcome", "n", "returned", "share", level, "material")
        rows = [head]
        for i, outcome in enumerate(self.outcomes):
            known = self.n[i] > 0
            rows.append(
                (
                    outcome.label(chosen),
                    str(int(self.n[i])),
                    str(int(self.returned[i])),
                    f"{self.share[i]:.0%}" if known else "–",
                    f"{self.low[i]:.0%}–{self.high[i]:.0%}" if known else "–",
                    f"{self.reference[i]:.0%}",
                )
            )
        widths = [max(_width(row[c]) for row in rows) for c in range(len(head))]
        lines = [
            "  ".join(
                cell + " " * (widths[c] - _width(cell))
                if c == 0
                else " " * (widths[c] - _width(cell)) + cell
                for c, cell in enumerate(row)
            ).rstrip()
            for row in rows
        ]
        return "\n".join([*lines, str(REFERENCE_QUOTE)])

    def to_pandas(self) -> Any:
        """A DataFrame with one row per outcome (needs the ``pandas`` extra).

        Examples:
            >>> from datetime import datetime, timezone
            >>> table = recovery(Tables.from_arrays(), as_of=datetime(2026, 6, 30, tzinfo=timezone.utc))
            >>> table.to_pandas().loc["resolved_quickly", "reference"]
            np.float64(0.82)
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            {
                "n": self.n,
                "returned": self.returned,
                "share": self.share,
                "low": self.low,
                "high": self.high,
                "reference": self.reference,
            },
            index=pd.Index([o.value for o in self.outcomes], name="outcome"),
        )


def _width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _utc_us(moment: dt.datetime) -> int:
    return (moment.astimezone(dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(
        microseconds=1
    )


def _returned(
    customer: NDArray[np.int64],
    at: NDArray[np.int64],
    window: int,
    order_customer: NDArray[np.int64],
    order_opened: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Whether each problem's customer opened an order within the window after it.

    Orders and problems are sorted together by customer and instant, an order at the
    same instant as a problem before it (an order opened with the problem does not count
    as coming back); each problem then looks at the next order of the sorted list.
    """
    n = len(customer)
    if not n:
        return np.zeros(0, dtype=bool)
    who = np.concatenate([order_customer, customer])
    when = np.concatenate([order_opened, at])
    kind = np.concatenate([np.zeros(len(order_customer), np.int8), np.ones(n, np.int8)])
    order = np.lexsort((kind, when, who))
    position = np.arange(len(order))
    is_order = kind[order] == 0
    big = len(order)
    nxt = np.minimum.accumulate(np.where(is_order, position, big)[::-1])[::-1]
    following = np.empty(len(order), dtype=np.int64)
    following[:-1] = nxt[1:]
    following[-1] = big
    problem_rows = np.flatnonzero(~is_order)
    target = following[problem_rows]
    found = target < big
    safe = np.minimum(target, big - 1)
    same = found & (who[order][safe] == who[order][problem_rows])
    within = same & (when[order][safe] <= when[order][problem_rows] + window)
    out = np.empty(n, dtype=bool)
    out[order[problem_rows] - len(order_customer)] = within
    return out


def recovery(
    tables: Tables,
    *,
    as_of: dt.datetime,
    window_days: float = WINDOW_DAYS,
    quick_hours: float = QUICK_HOURS,
    confidence: float = 0.95,
) -> RecoveryTable:
    """The share of customers who came back for service after a problem, by its outcome.

    Each problem is a complaint (the ``complaints`` table, its status folded from
    ``complaint_updates``) or an unspoken grievance (a contact whose outcome is
    ``unspoken_grievance``, unless the customer complained within the window after it).
    A problem counts once its window has ended by ``as_of``; its outcome is its state at
    the end of the window ([`RecoveryOutcome`][aftersales_crm.complaints.RecoveryOutcome]); the customer *returned* when they
    opened a repair order at any dealer of the network after the problem and within the
    window. One row per problem: a customer with two complaints counts twice.

    Args:
        tables: the tables (``complaints``, ``complaint_updates``, ``contacts``,
            ``orders``).
        as_of: an aware datetime; nothing after it counts.
        window_days: the window, in days ([`WINDOW_DAYS`][aftersales_crm.complaints.WINDOW_DAYS]).
        quick_hours: the most hours from filing to resolution that count as quick
            ([`QUICK_HOURS`][aftersales_crm.complaints.QUICK_HOURS]).
        confidence: the level of the Wilson intervals.

    Returns:
        The table, beside the material's figures.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
        InvalidValue: a parameter is out of range, or a complaint update cannot follow
            the fact before it.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm import synthetic
        >>> tables = Tables.from_book(synthetic.book(400, seed=2))
        >>> table = recovery(tables, as_of=datetime(2026, 6, 30, tzinfo=timezone.utc))
        >>> int(table.n.sum()) > 0, bool(((table.low <= table.share) | (table.n == 0)).all())
        (True, True)
    """
    given: object = tables
    if not isinstance(given, Tables):
        msg = f"tables is a {type(given).__name__}, expected Tables"
        raise InvalidType(msg)
    window_days = real_number(window_days, parameter="window_days", minimum=0.0, above=True)
    quick_hours = real_number(quick_hours, parameter="quick_hours", minimum=0.0, above=True)
    log = ComplaintLog.from_tables(tables)
    states = log.states(as_of)
    moment = states.as_of
    cut = _utc_us(moment)
    window = round(window_days * _US_PER_DAY)
    quick = round(quick_hours * US_PER_HOUR)

    # Complaints: their state at the end of their window.
    filed = log.filed_at.view(np.int64)
    end = filed + window
    ended = end <= cut
    upto = log.at.view(np.int64) <= end[log.complaint]
    _, _, resolved_at = log.upto(upto)
    settled = resolved_at != NO_INSTANT
    fast = settled & (resolved_at - filed <= quick)
    outcome = np.where(fast, 3, np.where(settled, 2, 1))  # positions in RecoveryOutcome
    complaint_customer = np.asarray(tables.complaints["customer"], dtype=np.int64)

    # Unspoken grievances: contacts, unless the customer complained within the window.
    contacts = tables.contacts
    grievance = np.flatnonzero(np.asarray(contacts["outcome"]) == _GRIEVANCE)
    g_customer = np.asarray(contacts["customer"], dtype=np.int64)[grievance]
    g_at = np.asarray(contacts["at"], dtype="datetime64[us]")[grievance].view(np.int64)
    complained = _returned(g_customer, g_at, window, complaint_customer, filed)
    keep = ~complained & (g_at + window <= cut)

    orders = tables.orders
    order_customer = np.asarray(orders["customer"], dtype=np.int64)
    order_opened = np.asarray(orders["opened_at"], dtype="datetime64[us]").view(np.int64)
    came_back = _returned(
        np.concatenate([complaint_customer[ended], g_customer[keep]]),
        np.concatenate([filed[ended], g_at[keep]]),
        window,
        order_customer,
        order_opened,
    )
    codes = np.concatenate([outcome[ended], np.zeros(int(keep.sum()), dtype=np.int64)])
    outcomes = tuple(RecoveryOutcome)
    n = np.bincount(codes, minlength=len(outcomes)).astype(np.int64)
    back = np.bincount(codes[came_back], minlength=len(outcomes)).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, back / np.maximum(n, 1), np.nan)
    low, high = wilson_interval(back, n, confidence)
    return RecoveryTable(
        outcomes=outcomes,
        n=n,
        returned=back,
        share=share,
        low=low,
        high=high,
        reference=np.array([REFERENCE[o] for o in outcomes]),
        window_days=window_days,
        quick_hours=quick_hours,
        confidence=float(confidence),
        as_of=moment,
    )
