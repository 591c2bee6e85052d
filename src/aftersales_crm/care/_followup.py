"""Follow-up KPIs: were the 3DC and 7DC calls made on time, did they reach the customer?

After a vehicle is handed back the dealer calls the customer on the 3rd and the 7th day
(《信息回访员基础培训分析报告》: "售出后的3DC7DC回访"; the days are
[`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS]). [`followup_kpis`][aftersales_crm.care.followup_kpis] measures that work
from the ``orders`` and ``contacts`` tables, per dealer, caller, ISO week and call, in a
few numpy passes: how many calls were made on time, how many reached the customer, how
the attempts ended, and how many grievances told in a call became complaints. The same
deck lists the customers who are hard to deal with on the phone
([`HARD_TO_REACH_QUOTE`][aftersales_crm.care.HARD_TO_REACH_QUOTE]); each of them is an outcome of its own, and a figure of its
own in [`FollowUpKpis`][aftersales_crm.care.FollowUpKpis].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from datetime import date, tzinfo
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import (
    ARGUMENT_CODE,
    as_of_date,
    language,
    to_time_zone,
    tuple_of,
    whole_number,
)
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._transitions import read_only
from aftersales_crm.care._tasks import REACHED_OUTCOMES
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, business_dates
from aftersales_crm.features._inputs import as_tables
from aftersales_crm.features._quality import rate
from aftersales_crm.records import Book, ContactOutcome
from aftersales_crm.tables import Tables
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactPurpose, Lang, Material, Quote
from aftersales_crm.values._text import display_width, pad_left, pad_right

__all__ = [
    "COMPLAINT_WINDOW_DAYS",
    "FOLLOW_UP_KEYS",
    "FOLLOW_UP_QUOTE",
    "GRACE_DAYS",
    "HARD_TO_REACH_OUTCOMES",
    "HARD_TO_REACH_QUOTE",
    "FollowUpKpis",
    "followup_kpis",
]

FOLLOW_UP_QUOTE: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "售出后的3DC7DC回访",
    "the 3DC and 7DC follow-up calls after the sale",
)
"""Where the follow-up calls come from, word for word.

Examples:
    >>> print(FOLLOW_UP_QUOTE)
    《信息回访员基础培训分析报告》: “售出后的3DC7DC回访”
"""

HARD_TO_REACH_QUOTE: Final = Quote(
    Material.FOLLOW_UP_CALLS,
    "描述电话客户会有哪些情况比较难对付?",
    "describe the situations in which phone customers are hard to deal with",
)
"""The deck's question before it lists the hard-to-reach customers (the four
[`HARD_TO_REACH_OUTCOMES`][aftersales_crm.care.HARD_TO_REACH_OUTCOMES], each labelled in its words).

Examples:
    >>> HARD_TO_REACH_QUOTE.source.citation
    '《信息回访员基础培训分析报告》'
"""

HARD_TO_REACH_OUTCOMES: Final[tuple[ContactOutcome, ...]] = tuple(
    outcome for outcome in ContactOutcome if outcome.is_hard_to_reach
)
"""The outcomes of the customers the deck finds hard to deal with: no time (没时间), does
not answer unfamiliar numbers (对不熟悉的电话不接), holds a grievance but does not want to
complain (心存抱怨又不想投诉), and feels the call does them no good (觉得回访对自己无益处).

Examples:
    >>> [o.label("zh") for o in HARD_TO_REACH_OUTCOMES]
    ['没时间', '对不熟悉的电话不接', '心存抱怨又不想投诉', '觉得回访对自己无益处']
"""

GRACE_DAYS: Final = 0
"""Days after its due day a follow-up call still counts as made on time: none by default.

The material names the calls by their day (3DC, 7DC: [`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS])
and gives no tolerance; the library reads the day as the last one for the call, so a call
made by the end of the due day, in the dealer's time zone, is on time (an early call is
too: the customer was called). ``grace_days`` sets a call centre's own tolerance.

Examples:
    >>> GRACE_DAYS
    0
"""

COMPLAINT_WINDOW_DAYS: Final = 30
"""A grievance told in a call *became a complaint* when the same customer filed one within
30 days after the call: the library's choice.

The material gives no window. A follow-up call is about the service just delivered, and a
problem with one visit shows within weeks: 30 days is also the library's window for a
comeback to count against the visit before it
([`FIRST_TIME_FIX_WINDOW`][aftersales_crm.features.FIRST_TIME_FIX_WINDOW]). A grievance counts once its
30 days have passed by ``as_of``.

Examples:
    >>> COMPLAINT_WINDOW_DAYS
    30
"""

FOLLOW_UP_KEYS: Final = ("dealer", "caller", "week", "purpose")
"""What the KPIs can be grouped by.

* ``dealer``: the dealer of the repair order the call follows up;
* ``caller``: the staff id of the contact (for a call, that of its first attempt; calls
  nobody attempted, and attempts with no staff, have the caller ``""``);
* ``week``: the ISO week of the call's due day, as ``"2026-W14"``;
* ``purpose``: ``follow_up_3d`` or ``follow_up_7d``.

Examples:
    >>> "caller" in FOLLOW_UP_KEYS
    True
"""

_US_PER_DAY: Final = 86_400_000_000
_OUTCOMES: Final = tuple(ContactOutcome)
_PURPOSES: Final = tuple(FOLLOW_UP_DAYS)
_ALL_PURPOSES: Final = list(ContactPurpose)
_GRIEVANCE: Final = _OUTCOMES.index(ContactOutcome.UNSPOKEN_GRIEVANCE)
_REACHING: Final = np.array([o in REACHED_OUTCOMES for o in _OUTCOMES], dtype=bool)


@attrs.frozen(eq=False, repr=False)
class FollowUpKpis(Displayed):
    """The follow-up work per group: calls due, made, reached, their outcomes, and complaints.

    A *due call* is one follow-up call (3DC or 7DC) of one delivery (a repair order with a
    ``closed_at``), due [`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS] days after the
    delivery's business date and counted once its due day plus ``grace_days`` has ended by
    ``as_of``. An *attempt* is a contact with that purpose naming that repair order, made
    by the end of ``as_of``. Each figure comes with its numerator and its denominator;
    a rate is NaN where its denominator is 0.

    Attributes:
        by: the keys the rows are grouped by ([`FOLLOW_UP_KEYS`][aftersales_crm.care.FOLLOW_UP_KEYS]).
        keys: for each key, str array of shape (n_rows,): the group's value.
        due: int64 array: calls due.
        on_time: int64 array: due calls with an attempt by the end of the due day plus
            ``grace_days``.
        late: int64 array: due calls first attempted after that, by ``as_of``.
        reached: int64 array: due calls with an attempt that reached the customer
            ([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES]).
        attempts: int64 array: the attempts on due calls.
        outcomes: int64 array of shape (n_rows, len(ContactOutcome)): the attempts by
            outcome, in the order of [`ContactOutcome`][aftersales_crm.records.ContactOutcome].
        issues: int64 array: attempts whose customer told a grievance but did not want to
            complain (``unspoken_grievance``) and whose complaint window has ended by
            ``as_of``.
        complained: int64 array: of those, the ones whose customer filed a complaint
            within the window after the call.
        uncounted: follow-up contacts by ``as_of`` that belong to no due call (no repair
            order, an order not delivered, or a call not due yet).
        as_of: the day.
        grace_days: the tolerance after the due day.
        complaint_window_days: the window of a grievance becoming a complaint.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> kpis = followup_kpis(synthetic.book(300, seed=4), as_of="2026-06-30")
        >>> kpis.by, sorted(set(kpis.keys["purpose"].tolist()))
        (('dealer', 'purpose'), ['follow_up_3d', 'follow_up_7d'])
        >>> bool((kpis.on_time + kpis.late <= kpis.due).all())
        True
    """

    by: tuple[str, ...]
    keys: Mapping[str, NDArray[np.str_]]
    due: NDArray[np.int64]
    on_time: NDArray[np.int64]
    late: NDArray[np.int64]
    reached: NDArray[np.int64]
    attempts: NDArray[np.int64]
    outcomes: NDArray[np.int64]
    issues: NDArray[np.int64]
    complained: NDArray[np.int64]
    uncounted: int
    as_of: date
    grace_days: int
    complaint_window_days: int

    def __len__(self) -> int:
        """Number of rows (groups)."""
        return len(self.due)

    @property
    def attempted(self) -> NDArray[np.int64]:
        """Due calls attempted at all by ``as_of``: ``on_time + late``.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).attempted.tolist()
            [0]
        """
        return read_only(self.on_time + self.late)

    @property
    def completion_rate(self) -> NDArray[np.float64]:
        """Calls made on time over calls due (``on_time / due``); NaN without a due call.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).completion_rate.tolist()
            [nan]
        """
        return read_only(rate(self.on_time, self.due))

    @property
    def reach_rate(self) -> NDArray[np.float64]:
        """Calls that reached the customer over calls attempted (``reached / attempted``).

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).reach_rate.tolist()
            [nan]
        """
        return read_only(rate(self.reached, self.attempted))

    @property
    def complaint_rate(self) -> NDArray[np.float64]:
        """Grievances told in a call that became complaints (``complained / issues``).

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).complaint_rate.tolist()
            [nan]
        """
        return read_only(rate(self.complained, self.issues))

    def outcome_count(self, outcome: ContactOutcome | str) -> NDArray[np.int64]:
        """The attempts that ended with ``outcome``, per row.

        Raises:
            InvalidValue: ``outcome`` is not a [`ContactOutcome`][aftersales_crm.records.ContactOutcome].

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> kpis = followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=())
            >>> kpis.outcome_count("no_time").tolist()
            [0]
            >>> kpis.outcome_count("busy")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: outcome is 'busy', expected one of reached, no_answer, refused, wrong_number, do_not_contact, no_time, ignores_unknown_numbers, unspoken_grievance, sees_no_benefit
        """
        return read_only(self.outcomes[:, _outcome_index(outcome)].copy())

    def outcome_share(self, outcome: ContactOutcome | str) -> NDArray[np.float64]:
        """The share of attempts that ended with ``outcome``; NaN without an attempt.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).outcome_share("refused").tolist()
            [nan]
        """
        return read_only(rate(self.outcome_count(outcome), self.attempts))

    def to_pandas(self) -> Any:
        """A DataFrame, one row per group: keys, counts, rates, and each outcome's count and share.

        Needs the ``pandas`` extra. The outcome columns are named by the outcome's value
        (``no_time``) and its share (``no_time_share``).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> frame = followup_kpis(synthetic.book(200, seed=1), as_of="2026-06-30").to_pandas()
            >>> list(frame.columns[:6])
            ['dealer', 'purpose', 'due', 'on_time', 'late', 'completion_rate']
        """
        pd = require("pandas", extra="pandas")
        columns: dict[str, NDArray[Any]] = {key: self.keys[key] for key in self.by}
        columns.update(
            {
                "due": self.due,
                "on_time": self.on_time,
                "late": self.late,
                "completion_rate": self.completion_rate,
                "attempted": self.attempted,
                "reached": self.reached,
                "reach_rate": self.reach_rate,
                "attempts": self.attempts,
            }
        )
        for outcome in _OUTCOMES:
            columns[outcome.value] = self.outcome_count(outcome)
            columns[f"{outcome.value}_share"] = self.outcome_share(outcome)
        columns.update(
            {
                "issues": self.issues,
                "complained": self.complained,
                "complaint_rate": self.complaint_rate,
            }
        )
        return pd.DataFrame(columns)

    def report(self, lang: Lang = "en") -> str:
        """The KPIs as text: one line per group, then the outcome mix and the hard-to-reach.

        Each rate shows its numerator and denominator; ``–`` stands for a rate without
        a denominator.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> print(followup_kpis(Tables.from_arrays(), as_of="2026-06-30", by=()).report())
            ... # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS
            Follow-up calls (3DC/7DC) due by 2026-06-30
            group  on time / due  reached / attempted  complaints / grievances
            all          – (0/0)              – (0/0)                  – (0/0)
            Outcome mix of 0 attempts: reached – (0/0), no answer – (0/0), ...
            Hard to reach (描述电话客户会有哪些情况比较难对付?): has no time (没时间) – (0/0), ...
            《信息回访员基础培训分析报告》: “售出后的3DC7DC回访”
        """
        chosen: Lang = "zh" if language(lang) == "zh" else "en"
        names = [
            " ".join(str(self.keys[key][i]) or "-" for key in self.by) or "all"
            for i in range(len(self))
        ]
        head = (
            ("分组", "按时/应访", "接通/已访", "投诉/抱怨")
            if chosen == "zh"
            else ("group", "on time / due", "reached / attempted", "complaints / grievances")
        )
        rows = [head]
        for i, name in enumerate(names):
            rows.append(
                (
                    name,
                    figure_text(self.on_time[i], self.due[i]),
                    figure_text(self.reached[i], self.attempted[i]),
                    figure_text(self.complained[i], self.issues[i]),
                )
            )
        widths = [max(display_width(row[c]) for row in rows) for c in range(len(head))]
        lines = [
            f"截至{self.as_of.isoformat()}应做的3DC/7DC回访"
            if chosen == "zh"
            else f"Follow-up calls (3DC/7DC) due by {self.as_of.isoformat()}"
        ]
        lines += [
            "  ".join(
                pad_right(cell, widths[c]) if c == 0 else pad_left(cell, widths[c])
                for c, cell in enumerate(row)
            ).rstrip()
            for row in rows
        ]
        total = self.outcomes.sum(axis=0)
        attempts = int(self.attempts.sum())

        def mix(outcomes: Sequence[ContactOutcome], *, words: bool = False) -> str:
            # The hard-to-reach customers keep the material's words in English too.
            both = words and chosen == "en"
            return ", ".join(
                o.label(chosen)
                + (" (" + o.label("zh") + ")" if both else "")
                + " "
                + figure_text(total[_OUTCOMES.index(o)], attempts)
                for o in outcomes
            )

        plain = [o for o in _OUTCOMES if not o.is_hard_to_reach]
        if chosen == "zh":
            lines.append(f"{attempts}次回访的结果: {mix(plain)}")
            lines.append(f"{HARD_TO_REACH_QUOTE.text} {mix(HARD_TO_REACH_OUTCOMES, words=True)}")
        else:
            lines.append(f"Outcome mix of {attempts} attempts: {mix(plain)}")
            lines.append(
                f"Hard to reach ({HARD_TO_REACH_QUOTE.text}): {mix(HARD_TO_REACH_OUTCOMES, words=True)}"
            )
        lines.append(str(FOLLOW_UP_QUOTE))
        return "\n".join(lines)


def figure_text(part: int | np.integer[Any], whole: int | np.integer[Any]) -> str:
    """``"45% (9/20)"``, or ``"– (0/0)"`` without a denominator: how the reports show a rate."""
    shown = f"{int(part) / int(whole):.0%}" if whole else "–"
    return f"{shown} ({int(part)}/{int(whole)})"


def _outcome_index(outcome: object) -> int:
    if isinstance(outcome, str):
        for i, known in enumerate(_OUTCOMES):
            if outcome == known.value:
                return i
    allowed = ", ".join(o.value for o in _OUTCOMES)
    msg = f"outcome is {outcome!r:.80}, expected one of {allowed}"
    raise InvalidValue(msg, code=ARGUMENT_CODE)


def _keys(by: object) -> tuple[str, ...]:
    wanted = tuple_of(by, parameter="by")
    if any(key not in FOLLOW_UP_KEYS for key in wanted) or len(set(wanted)) != len(wanted):
        msg = f"by is {list(wanted)!r:.120}, expected distinct keys of {list(FOLLOW_UP_KEYS)}"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return wanted


def end_of_day_us(day: date, zone: tzinfo) -> int:
    """The last microsecond of ``day`` in ``zone``, as microseconds since the UTC epoch."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (midnight - epoch) // dt.timedelta(microseconds=1) - 1


def iso_weeks(days: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.str_]]:
    """The ISO 8601 week of each day number: codes into sorted labels ``"2026-W14"``.

    A week runs Monday to Sunday and belongs to the year of its Thursday.
    """
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday: Monday is 0
    thursday = days - weekday + 3
    year = thursday.astype("datetime64[D]").astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]").astype(np.int64)) // 7 + 1
    number = (year.astype(np.int64) + 1970) * 100 + week
    distinct, codes = np.unique(number, return_inverse=True)
    labels = np.array([f"{n // 100}-W{n % 100:02d}" for n in distinct.tolist()], dtype=str)
    return codes.reshape(-1).astype(np.int64), labels


def followed_within(
    customer: NDArray[np.int64],
    at: NDArray[np.int64],
    later_customer: NDArray[np.int64],
    later_at: NDArray[np.int64],
    window: int,
) -> NDArray[np.bool_]:
    """Whether each event is followed by a later one of the same customer within ``window``.

    "Followed" is strictly after (``at < later_at <= at + window``), all in microseconds.
    Instants are ranked together, so that (customer, rank) fits one int64 key and one
    ``searchsorted`` finds each event's next later event.
    """
    n = len(customer)
    if not n or not len(later_customer):
        return np.zeros(n, dtype=bool)
    _, rank = np.unique(np.concatenate([at, later_at]), return_inverse=True)
    rank = rank.reshape(-1)
    span = len(rank) + 1
    key = customer * span + rank[:n]
    later_key = later_customer * span + rank[n:]
    order = np.argsort(later_key, kind="stable")
    sorted_key = later_key[order]
    nxt = np.searchsorted(sorted_key, key, side="right")
    found = nxt < len(sorted_key)
    target = order[np.minimum(nxt, len(sorted_key) - 1)]
    followed: NDArray[np.bool_] = (
        found & (later_customer[target] == customer) & (later_at[target] <= at + window)
    )
    return followed


def _group(
    codes: list[NDArray[np.int64]], labels: list[NDArray[np.str_]], n: int
) -> tuple[NDArray[np.intp], list[NDArray[np.str_]]]:
    """Each unit's group, and each key's label per group (groups in key order)."""
    if not codes:
        return np.zeros(n, dtype=np.intp), []
    stacked = np.stack(codes, axis=1) if n else np.zeros((0, len(codes)), dtype=np.int64)
    distinct, inverse = np.unique(stacked, axis=0, return_inverse=True)
    keys = [read_only(label[distinct[:, k]]) for k, label in enumerate(labels)]
    return inverse.reshape(-1).astype(np.intp), keys


def _count(group: NDArray[np.intp], n_groups: int, where: NDArray[np.bool_] | None = None) -> Any:
    chosen = group if where is None else group[where]
    return read_only(np.bincount(chosen, minlength=n_groups).astype(np.int64))


def followup_kpis(
    data: Tables | Book,
    *,
    as_of: date | str,
    by: Sequence[str] = ("dealer", "purpose"),
    grace_days: int = GRACE_DAYS,
    complaint_window_days: int = COMPLAINT_WINDOW_DAYS,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> FollowUpKpis:
    """The 3DC/7DC follow-up KPIs on ``as_of``, grouped by dealer, caller, week or call.

    The rules, each documented where it lives:

    * a **delivery** is a repair order with a ``closed_at``; its 3DC and 7DC calls are due
      [`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS] days after the delivery's business
      date, and **count** once the due day plus ``grace_days`` has ended by ``as_of``;
    * an **attempt** is a contact whose purpose is that call (``follow_up_3d``,
      ``follow_up_7d``) and whose ``repair_order_id`` is the delivery, made by the end of
      ``as_of``, whatever its channel; a call is **on time** when attempted by the end of
      the due day plus ``grace_days`` ([`GRACE_DAYS`][aftersales_crm.care.GRACE_DAYS]), **late** when first attempted
      after that;
    * a call **reached** the customer when one of its attempts did
      ([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES]); the **outcome mix** counts attempts, each of the nine
      [`ContactOutcome`][aftersales_crm.records.ContactOutcome] values on its own, the four
      hard-to-reach customers of the material among them ([`HARD_TO_REACH_OUTCOMES`][aftersales_crm.care.HARD_TO_REACH_OUTCOMES]);
    * an **issue** is an attempt whose outcome is ``unspoken_grievance`` (the customer
      holds a grievance but does not want to complain: the one outcome that tells of a
      problem); it **became a complaint** when the contact's customer filed one after the
      call and within ``complaint_window_days`` ([`COMPLAINT_WINDOW_DAYS`][aftersales_crm.care.COMPLAINT_WINDOW_DAYS]), and
      counts once that window has ended by ``as_of``.

    Business dates are those of ``time_zone``. Every unit falls in exactly one group, so
    summing a figure's numerator and denominator over groups gives the network's.

    Args:
        data: the tables (``orders``, ``contacts``, ``complaints``, ``dealers``), or a Book.
        as_of: the day (a date or an ISO date string); nothing after its end counts.
        by: keys from [`FOLLOW_UP_KEYS`][aftersales_crm.care.FOLLOW_UP_KEYS], in the order the rows are sorted by; ``()``
            for one row, the whole network.
        grace_days: whole days after the due day a call still counts as on time.
        complaint_window_days: whole days, at least 1, after a call within which a
            complaint counts.
        time_zone: the dealers' time zone, an IANA name or a tzinfo (``Asia/Shanghai``).

    Returns:
        The KPIs, one row per group that has a due call or an attempt, in key order.

    Raises:
        InvalidValue: ``data`` is neither Tables nor a Book, or an argument is out of
            range, naming it.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> book = synthetic.book(300, seed=4)
        >>> kpis = followup_kpis(book, as_of="2026-06-30", by=["purpose"])
        >>> kpis.keys["purpose"].tolist()
        ['follow_up_3d', 'follow_up_7d']
        >>> bool(kpis.completion_rate[0] > kpis.completion_rate[1])  # the 7DC is made less often
        True
        >>> followup_kpis(book, as_of="2026-06-30", by=["advisor"])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: by is ['advisor'], expected distinct keys of ['dealer', 'caller', 'week', 'purpose']
    """
    tables = as_tables(data)
    day = as_of_date(as_of)
    wanted = _keys(by)
    grace = whole_number(grace_days, parameter="grace_days", minimum=0, maximum=366)
    window_days = whole_number(
        complaint_window_days, parameter="complaint_window_days", minimum=1, maximum=3660
    )
    zone = to_time_zone(time_zone)
    as_of_day = int(np.datetime64(day, "D").astype(np.int64))
    cut = end_of_day_us(day, zone)

    # Due calls: one per delivery and call, counted once its window has ended.
    orders = tables.orders
    n_orders = len(orders)
    closed_at = np.asarray(orders["closed_at"], dtype="datetime64[us]")
    delivered = ~np.isnat(closed_at)
    close_day = np.zeros(n_orders, dtype=np.int64)
    close_day[delivered] = business_dates(closed_at[delivered], zone).astype(np.int64)
    offsets = np.array([FOLLOW_UP_DAYS[p] for p in _PURPOSES], dtype=np.int64)
    due_day = close_day[:, None] + offsets[None, :]
    counted = delivered[:, None] & (due_day + grace <= as_of_day)
    slot = np.full(n_orders * len(_PURPOSES), -1, dtype=np.int64)
    flat = np.flatnonzero(counted.reshape(-1))
    slot[flat] = np.arange(len(flat))
    call_order = flat // len(_PURPOSES)
    call_purpose = flat % len(_PURPOSES)
    call_due = due_day.reshape(-1)[flat]
    n_calls = len(flat)

    # Attempts: follow-up contacts by the end of as_of, each on its due call.
    contacts = tables.contacts
    purpose_code = np.asarray(contacts["purpose"], dtype=np.int64)
    purpose_slot = np.full(len(_ALL_PURPOSES), -1, dtype=np.int64)
    for p, purpose in enumerate(_PURPOSES):
        purpose_slot[_ALL_PURPOSES.index(purpose)] = p
    p_of = purpose_slot[purpose_code]
    at = np.asarray(contacts["at"], dtype="datetime64[us]").view(np.int64)
    follow_up = (p_of >= 0) & (at <= cut)
    order_of = np.asarray(contacts["order"], dtype=np.int64)
    call_of = np.full(len(contacts), -1, dtype=np.int64)
    linked = follow_up & (order_of >= 0)
    call_of[linked] = slot[order_of[linked] * len(_PURPOSES) + p_of[linked]]
    mine = np.flatnonzero(call_of >= 0)
    uncounted = int(follow_up.sum()) - len(mine)
    a_call = call_of[mine]
    a_at = at[mine]
    a_day = business_dates(a_at.view("datetime64[us]"), zone).astype(np.int64)
    a_outcome = np.asarray(contacts["outcome"], dtype=np.int64)[mine]
    staff = np.asarray(contacts["staff"], dtype=object)[mine]
    a_staff = np.array(["" if s is None else str(s) for s in staff.tolist()], dtype=str)

    # Per call: on time, late, reached, and the caller of its first attempt.
    window_end = call_due[a_call] + grace
    on_time_call = np.zeros(n_calls, dtype=bool)
    on_time_call[a_call[a_day <= window_end]] = True
    tried = np.zeros(n_calls, dtype=bool)
    tried[a_call] = True
    reached_call = np.zeros(n_calls, dtype=bool)
    reached_call[a_call[_REACHING[a_outcome]]] = True
    first = np.lexsort((mine, a_at, a_call))
    leads = first[np.r_[True, a_call[first][1:] != a_call[first][:-1]]] if len(first) else first
    callers, staff_code = np.unique(np.concatenate([[""], a_staff]), return_inverse=True)
    staff_code = staff_code.reshape(-1)[1:].astype(np.int64)
    call_caller = np.full(n_calls, int(np.searchsorted(callers, "")), dtype=np.int64)
    call_caller[a_call[leads]] = staff_code[leads]

    # Issues: grievances whose window has ended, and whether a complaint followed.
    window = window_days * _US_PER_DAY
    issue = (a_outcome == _GRIEVANCE) & (a_at + window <= cut)
    complaints = tables.complaints
    a_customer = np.asarray(contacts["customer"], dtype=np.int64)[mine]
    complained = np.zeros(len(mine), dtype=bool)
    complained[issue] = followed_within(
        a_customer[issue],
        a_at[issue],
        np.asarray(complaints["customer"], dtype=np.int64),
        np.asarray(complaints["at"], dtype="datetime64[us]").view(np.int64),
        window,
    )

    # Groups: calls and attempts together, each under its call's dealer, week and purpose.
    dealer_of_order = np.asarray(orders["dealer"], dtype=np.int64)
    week_code, week_labels = iso_weeks(np.concatenate([call_due, call_due[a_call]]))
    units = n_calls + len(mine)
    codes: list[NDArray[np.int64]] = []
    labels: list[NDArray[np.str_]] = []
    for key in wanted:
        if key == "dealer":
            dealer = dealer_of_order[call_order]
            codes.append(np.concatenate([dealer, dealer[a_call]]))
            labels.append(np.asarray(tables.dealers["id"], dtype=str))
        elif key == "caller":
            codes.append(np.concatenate([call_caller, staff_code]))
            labels.append(callers.astype(str))
        elif key == "week":
            codes.append(week_code)
            labels.append(week_labels)
        else:
            codes.append(np.concatenate([call_purpose, call_purpose[a_call]]))
            labels.append(np.array([p.value for p in _PURPOSES], dtype=str))
    group, keys = _group(codes, labels, units)
    n_groups = int(group.max()) + 1 if units else (0 if wanted else 1)
    g_call, g_attempt = group[:n_calls], group[n_calls:]
    outcomes = np.zeros((n_groups, len(_OUTCOMES)), dtype=np.int64)
    np.add.at(outcomes, (g_attempt, a_outcome), 1)
    return FollowUpKpis(
        by=wanted,
        keys=dict(zip(wanted, keys, strict=True)),
        due=_count(g_call, n_groups),
        on_time=_count(g_call, n_groups, on_time_call),
        late=_count(g_call, n_groups, tried & ~on_time_call),
        reached=_count(g_call, n_groups, reached_call),
        attempts=_count(g_attempt, n_groups),
        outcomes=read_only(outcomes),
        issues=_count(g_attempt, n_groups, issue),
        complained=_count(g_attempt, n_groups, complained),
        uncounted=uncounted,
        as_of=day,
        grace_days=grace,
        complaint_window_days=window_days,
    )
