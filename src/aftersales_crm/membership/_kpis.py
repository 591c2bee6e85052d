"""The owners' club's KPIs at a date: per chapter, per dealer and network-wide, all at once.

The measures are those the OEM's training for customer-care directors reports month by
month (《斯柯达车友汇客户关爱总监培训教材》):

* **member recruitment rate** (经销商分会会员招募率): "(截至X月会员数量+截至X月“申请中”数量)/
  截至X月所有经销商分会个人车主数量": members and applicants over the individual owners of
  the chapter's dealer. The deck reports "会员招募率56.6%" nationally, and a dealer's plan
  aims at "车主转化率=55%" ([`RECRUITMENT_TARGET`][aftersales_crm.membership.RECRUITMENT_TARGET]).
* **dealer enrolment rate** (经销商入会率): "截至X月经销商分会/截至X月具备完整售后功能的
  经销商数量" (the deck: "入会率为80.8%").
* **joins per month** ("平均月入会8182人"), **transfers** in and out ("会员转会情况"),
  **lapsed members** ("会员流失状况"), and **successful referrals** ("推荐购车成功数量").

Who counts as an *individual owner of the chapter's dealer* the deck does not say. The
library's choice: a customer of kind individual (个人) who owns a vehicle on the day (an
ownership covering it) that the dealer sold (the vehicle's selling dealer) or, when the
seller is unknown, that the dealer serviced last (the dealer of the vehicle's latest repair
order opened by then). Those are the owners a chapter can recruit: it knows them from the
sale or the workshop. A customer with vehicles at two dealers counts at both; network-wide
each customer counts once.

Every count is taken at the end of ``as_of`` in the programme's time zone (Beijing time by
default), so "截至X月" means up to and including that day. Flows (joins, transfers, lapses,
reactivations, referrals) count the facts from the start of ``since`` (all history when
``None``) to the end of ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, tzinfo
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, to_time_zone
from aftersales_crm._display import Displayed, Head
from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, business_dates
from aftersales_crm.membership._members import MemberEvent, MemberLog, MemberState
from aftersales_crm.records import CustomerKind
from aftersales_crm.tables import Tables

__all__ = [
    "RECRUITMENT_TARGET",
    "ClubKpis",
    "JoinsPerMonth",
    "KpiCounts",
    "club_kpis",
    "joins_per_month",
]

RECRUITMENT_TARGET: Final = 0.55
"""The member recruitment rate a dealer aims at: 55%, the owner conversion target of a
dealer's club plan in 《斯柯达车友汇客户关爱总监培训教材》 ("车主转化率=55%").

Examples:
    >>> RECRUITMENT_TARGET
    0.55
"""

_EVENTS: Final = list(MemberEvent)
_STATES: Final = list(MemberState)
_NONE: Final = -1
_US_PER_DAY: Final = 86_400_000_000
#: The count columns of [`KpiCounts`][aftersales_crm.membership.KpiCounts], in order.
_COUNTS: Final = (
    "members",
    "applying",
    "lapsed",
    "owners",
    "joins",
    "transfers_in",
    "transfers_out",
    "lapses",
    "reactivations",
    "referrals",
)


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False, repr=False)
class KpiCounts(Displayed):
    """The club's counts at one level: one row per chapter, per dealer, or the network.

    Attributes:
        ids: str array of shape (n_rows,): chapter ids, dealer ids, or ``["network"]``.
        members: int64 array of shape (n_rows,), active members at ``as_of``.
        applying: int64 array, applicants (申请中) at ``as_of``.
        lapsed: int64 array, lapsed members at ``as_of`` (a lapsed member stays with the
            chapter they lapsed from).
        owners: int64 array, individual owners (the recruitment rate's denominator).
        joins: int64 array, members who joined in the period, by the chapter joined.
        transfers_in: int64 array, transfers into the row in the period.
        transfers_out: int64 array, transfers out of the row in the period (network-wide
            every transfer is both in and out).
        lapses: int64 array, members who lapsed in the period.
        reactivations: int64 array, lapsed members who came back in the period.
        referrals: int64 array, successful referrals: a vehicle delivered in the period to
            someone an active member referred, credited to that member's chapter on the
            delivery day.

    Examples:
        >>> counts = KpiCounts(np.array(["CH1"]), *(np.array([n]) for n in (5, 1, 0, 10, 2, 0, 0, 0, 0, 1)))
        >>> counts.recruitment_rate.tolist()
        [0.6]
    """

    ids: NDArray[np.str_]
    members: NDArray[np.int64]
    applying: NDArray[np.int64]
    lapsed: NDArray[np.int64]
    owners: NDArray[np.int64]
    joins: NDArray[np.int64]
    transfers_in: NDArray[np.int64]
    transfers_out: NDArray[np.int64]
    lapses: NDArray[np.int64]
    reactivations: NDArray[np.int64]
    referrals: NDArray[np.int64]

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.ids)

    @property
    def recruitment_rate(self) -> NDArray[np.float64]:
        """(members + applying) / owners per row; NaN where there are no owners.

        Examples:
            >>> zero = np.array([0])
            >>> KpiCounts(np.array(["CH1"]), *(zero,) * 10).recruitment_rate.tolist()
            [nan]
        """
        recruited = (self.members + self.applying).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(self.owners > 0, recruited / self.owners, np.nan)
        return _frozen(rate)

    def row(self, id_: str) -> dict[str, Any]:
        """One row's counts and rate by name.

        Raises:
            InvalidValue: no row has that id.

        Examples:
            >>> one = np.array([1])
            >>> KpiCounts(np.array(["CH1"]), *(one,) * 10).row("CH1")["recruitment_rate"]
            2.0
        """
        given: object = id_
        if not isinstance(given, str):
            msg = f"id_ is {given!r:.80}, expected a chapter or dealer id, or 'network'"
            raise InvalidType(msg)
        rows = np.flatnonzero(self.ids == id_)
        if not len(rows):
            msg = f"no row {id_!r}; the rows are {self.ids.tolist()[:10]}"
            raise InvalidValue(msg, code="unknown_row")
        r = int(rows[0])
        out: dict[str, Any] = {name: int(getattr(self, name)[r]) for name in _COUNTS}
        out["recruitment_rate"] = float(self.recruitment_rate[r])
        return out

    def to_pandas(self) -> Any:
        """A DataFrame, one row per id, the counts and the recruitment rate (``pandas`` extra).

        Examples:
            >>> one = np.array([1])
            >>> KpiCounts(np.array(["CH1"]), *(one,) * 10).to_pandas().loc["CH1", "owners"]
            np.int64(1)
        """
        pd = require("pandas", extra="pandas")
        columns = {name: getattr(self, name) for name in _COUNTS}
        columns["recruitment_rate"] = self.recruitment_rate
        return pd.DataFrame(columns, index=pd.Index(self.ids, name="id"))


@attrs.frozen(eq=False, repr=False)
class ClubKpis(Displayed):
    """The club's KPIs at a date, per chapter, per dealer and network-wide.

    Attributes:
        chapters: the counts per chapter, aligned with the chapters table.
        dealers: the counts per dealer, aligned with the dealers table (a dealer's
            chapters summed; a dealer without a chapter has owners and nothing else).
        network: the counts network-wide, one row ``"network"``; its owners are the
            individual owners of the dealers with a chapter, each counted once.
        chapters_open: chapters founded by ``as_of`` (a chapter with no founding day
            counts).
        full_function_dealers: dealers with the full after-sales function.
        as_of: the day the KPIs are taken at (its end, in the programme's time zone).
        since: the first day of the period the flows cover, or ``None`` for all history.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> kpis = club_kpis(synthetic.tables(2_000, seed=1), as_of="2026-06-30")
        >>> 0 < kpis.enrolment_rate <= 1
        True
        >>> bool(kpis.network.members[0] == kpis.chapters.members.sum())
        True
    """

    chapters: KpiCounts
    dealers: KpiCounts
    network: KpiCounts
    chapters_open: int
    full_function_dealers: int
    as_of: date
    since: date | None

    def to_pandas(self) -> Any:
        """The counts of every chapter, every dealer and the network in one DataFrame.

        Indexed by ``scope`` (``chapter``, ``dealer``, ``network``) and ``id``; the
        columns are those of [`KpiCounts.to_pandas`][aftersales_crm.membership.KpiCounts.to_pandas] (needs the ``pandas`` extra).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> frame = club_kpis(synthetic.tables(500, seed=2), as_of="2026-06-30").to_pandas()
            >>> list(frame.index.names), bool(frame.loc[("network", "network"), "members"] > 0)
            (['scope', 'id'], True)
        """
        pd = require("pandas", extra="pandas")
        parts = {"chapter": self.chapters, "dealer": self.dealers, "network": self.network}
        return pd.concat(
            {scope: counts.to_pandas() for scope, counts in parts.items()}, names=["scope", "id"]
        )

    def _display_size(self, head: Head) -> str:
        return (
            f"{len(self.chapters):,} chapters, {len(self.dealers):,} dealers"
            f" at {self.as_of.isoformat()}"
        )

    @property
    def enrolment_rate(self) -> float:
        """Dealer enrolment rate (经销商入会率): open chapters / full-function dealers.

        NaN when no dealer has the full after-sales function.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> k = club_kpis(synthetic.tables(500, seed=2), as_of="2026-06-30")
            >>> k.enrolment_rate == k.chapters_open / k.full_function_dealers
            True
        """
        if not self.full_function_dealers:
            return float("nan")
        return self.chapters_open / self.full_function_dealers


def _end_of_day(day: date, zone: tzinfo) -> np.datetime64:
    """The last microsecond of ``day`` in ``zone``, as UTC ``datetime64[us]``."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    utc = midnight.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(utc, "us") - np.timedelta64(1, "us")


def _start_of_day(day: date, zone: tzinfo) -> np.datetime64:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return np.datetime64(midnight.astimezone(dt.UTC).replace(tzinfo=None), "us")


def _aware(moment: np.datetime64) -> dt.datetime:
    micros = int(moment.astype("datetime64[us]").astype(np.int64))
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)


def _tables(tables: object) -> Tables:
    if not isinstance(tables, Tables):
        msg = f"tables is a {type(tables).__name__}, expected Tables"
        raise InvalidType(msg)
    return tables


def _count(rows: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """How many times each of ``0..n-1`` appears in ``rows`` (``-1`` ignored)."""
    return np.bincount(rows[rows >= 0], minlength=n).astype(np.int64)


def _owner_pairs(
    tables: Tables, day: date, zone: tzinfo
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct (dealer, customer) pairs of individual owners on ``day``.

    A vehicle belongs to its selling dealer, or, when that is unknown, to the dealer of
    its latest repair order opened by the end of ``day`` (of orders opened at the same
    instant, the dealer with the highest row); its owner on ``day`` is the customer of an
    ownership covering the day.
    """
    vehicles, ownerships, orders = tables.vehicles, tables.ownerships, tables.orders
    dealer_of = vehicles["selling_dealer"].astype(np.int64)
    unsold = dealer_of < 0
    # The vehicles whose seller is unknown: the dealer of their latest order by the day.
    vin = orders["vehicle"]
    asked = (vin >= 0) & unsold[np.maximum(vin, 0)]
    asked[asked] = business_dates(orders["opened_at"][asked], zone) <= np.datetime64(day, "D")
    if asked.any():
        vin, at, dealer = (
            vin[asked],
            orders["opened_at"][asked].view(np.int64),
            orders["dealer"][asked],
        )
        latest_at = np.full(len(dealer_of), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(latest_at, vin, at)
        last = at == latest_at[vin]
        latest = np.full(len(dealer_of), _NONE, dtype=np.int64)
        np.maximum.at(latest, vin[last], dealer[last])  # orders at one instant: the last dealer
        dealer_of = np.where(unsold, latest, dealer_of)
    d = np.datetime64(day, "D")
    covers = (ownerships["start"] <= d) & (np.isnat(ownerships["end"]) | (d < ownerships["end"]))
    customer = ownerships["customer"][covers].astype(np.int64)
    dealer = dealer_of[ownerships["vehicle"][covers]]
    individual = tables.customers["kind"] == list(CustomerKind).index(CustomerKind.INDIVIDUAL)
    keep = (dealer >= 0) & individual[customer]
    n_customers = max(len(tables.customers), 1)
    pairs = np.unique(dealer[keep] * n_customers + customer[keep])
    return pairs // n_customers, pairs % n_customers


def club_kpis(
    tables: Tables,
    *,
    as_of: date | str,
    since: date | str | None = None,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> ClubKpis:
    """The club's KPIs at the end of ``as_of``, for every chapter and dealer at once.

    Args:
        tables: the tables: chapters, dealers, customers, vehicles, ownerships, orders,
            referrals and the member tables.
        as_of: the day (its end, in ``time_zone``) the stocks are counted at and the
            flows run to.
        since: the first day of the flows' period; all history by default.
        time_zone: the programme's time zone (Beijing time by default).

    Returns:
        The KPIs.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
        InvalidValue: a day or the time zone is invalid, ``since`` is after ``as_of``, or
            a member's facts break a rule of [`MemberLog`][aftersales_crm.membership.MemberLog].

    Examples:
        >>> from aftersales_crm import synthetic
        >>> t = synthetic.tables(4_000, seed=3)
        >>> kpis = club_kpis(t, as_of="2026-06-30", since="2026-01-01")
        >>> rates = kpis.chapters.recruitment_rate
        >>> bool(((rates > 0) & (rates < 1)).all())
        True
        >>> kpis.network.row("network")["transfers_in"] == kpis.network.row("network")["transfers_out"]
        True
    """
    tables = _tables(tables)
    day = as_of_date(as_of)
    first = None if since is None else as_of_date(since, parameter="since")
    if first is not None and first > day:
        msg = f"since is {first.isoformat()}, after as_of {day.isoformat()}"
        raise InvalidValue(msg, code="since_after_as_of")
    zone = to_time_zone(time_zone)
    cut = _end_of_day(day, zone)
    start = None if first is None else _start_of_day(first, zone)
    log = MemberLog.from_tables(tables)
    states = log.states(_aware(cut))
    n_chapters = len(tables.chapters)
    n_dealers = len(tables.dealers)
    chapter_dealer = tables.chapters["dealer"].astype(np.int64)

    def by_state(state: MemberState) -> NDArray[np.int64]:
        return _count(
            np.where(states.state == _STATES.index(state), states.chapter, _NONE), n_chapters
        )

    in_period = log.at <= cut
    if start is not None:
        in_period &= log.at >= start
    previous = np.full(len(log), _NONE, dtype=np.int64)
    same_member = np.zeros(len(log), dtype=bool)
    same_member[1:] = log.member[1:] == log.member[:-1]
    previous[1:] = log.chapter[:-1]
    previous[~same_member] = _NONE

    def flow(event: MemberEvent, chapter: NDArray[np.int64]) -> NDArray[np.int64]:
        hit = in_period & (log.event == _EVENTS.index(event))
        return _count(chapter[hit], n_chapters)

    owner_dealer, owner_customer = _owner_pairs(tables, day, zone)
    dealer_owners = _count(owner_dealer, n_dealers)
    chapter_counts = {
        "members": by_state(MemberState.ACTIVE),
        "applying": by_state(MemberState.APPLYING),
        "lapsed": by_state(MemberState.LAPSED),
        "owners": dealer_owners[chapter_dealer],
        "joins": flow(MemberEvent.JOINED, log.chapter),
        "transfers_in": flow(MemberEvent.TRANSFERRED, log.chapter),
        "transfers_out": flow(MemberEvent.TRANSFERRED, previous),
        "lapses": flow(MemberEvent.LAPSED, log.chapter),
        "reactivations": flow(MemberEvent.REACTIVATED, log.chapter),
        "referrals": _referrals(tables, log, day, first, zone, n_chapters),
    }
    chapters = KpiCounts(
        np.asarray(tables.chapters["id"], dtype=str),
        **{k: _frozen(v) for k, v in chapter_counts.items()},
    )
    dealer_counts = {
        name: np.bincount(chapter_dealer, weights=values, minlength=n_dealers).astype(np.int64)
        if name != "owners"
        else dealer_owners
        for name, values in chapter_counts.items()
    }
    dealers = KpiCounts(
        np.asarray(tables.dealers["id"], dtype=str),
        **{k: _frozen(v) for k, v in dealer_counts.items()},
    )
    founded = tables.chapters["founded_on"]
    open_ = np.isnat(founded) | (founded <= np.datetime64(day, "D"))
    with_chapter = np.zeros(n_dealers, dtype=bool)
    with_chapter[chapter_dealer[open_]] = True
    network_owners = len(np.unique(owner_customer[with_chapter[owner_dealer]]))
    network_counts = {
        name: np.array([network_owners if name == "owners" else int(values.sum())], dtype=np.int64)
        for name, values in chapter_counts.items()
    }
    network = KpiCounts(np.array(["network"]), **{k: _frozen(v) for k, v in network_counts.items()})
    return ClubKpis(
        chapters=chapters,
        dealers=dealers,
        network=network,
        chapters_open=int(open_.sum()),
        full_function_dealers=int(tables.dealers["full_after_sales"].sum()),
        as_of=day,
        since=first,
    )


def _referrals(
    tables: Tables,
    log: MemberLog,
    day: date,
    first: date | None,
    zone: tzinfo,
    n_chapters: int,
) -> NDArray[np.int64]:
    """Successful referrals per chapter: delivered in the period, referred by an active member.

    A referral counts for the chapter its referrer belonged to as an active member at the
    end of the delivery day; a referrer who was not an active member then brings the club
    nothing. When a customer holds several memberships, the active one counts.
    """
    referrals = tables.referrals
    delivered = referrals["delivered_on"]
    keep = ~np.isnat(delivered) & (delivered <= np.datetime64(day, "D"))
    if first is not None:
        keep &= delivered >= np.datetime64(first, "D")
    if not keep.any() or not log.n_members:
        return np.zeros(n_chapters, dtype=np.int64)
    referrer = referrals["referrer"][keep]
    days = delivered[keep]
    ends = np.array([_end_of_day(d, zone) for d in days.astype(object)], dtype="datetime64[us]")
    # Each referral paired with each membership of its referrer.
    member_customer = tables.members["customer"]
    by_customer = np.argsort(member_customer, kind="stable")
    lo = np.searchsorted(member_customer[by_customer], referrer, side="left")
    hi = np.searchsorted(member_customer[by_customer], referrer, side="right")
    count = hi - lo
    pair_referral = np.repeat(np.arange(len(referrer)), count)
    offset = np.arange(len(pair_referral)) - np.repeat(np.cumsum(count) - count, count)
    pair_member = by_customer[np.repeat(lo, count) + offset]
    pair_at = ends[pair_referral]
    # Each pair's member's last fact at or before the delivery's end: facts and queries
    # sorted together, a query after the facts of the same instant.
    n_facts = len(log)
    members = np.concatenate([log.member, pair_member])
    at = np.concatenate([log.at, pair_at])
    is_query = np.concatenate(
        [np.zeros(n_facts, dtype=np.int8), np.ones(len(pair_member), dtype=np.int8)]
    )
    order = np.lexsort((is_query, at, members))
    fact_row = np.where(order < n_facts, order, -1)
    last = np.maximum.accumulate(np.where(fact_row >= 0, np.arange(len(order)), -1))
    queries = np.flatnonzero(order >= n_facts)
    found = last[queries]
    found_fact = np.where(found >= 0, order[np.maximum(found, 0)], -1)
    ok = (found_fact >= 0) & (log.member[np.maximum(found_fact, 0)] == members[order[queries]])
    active = ok & (log.state[np.maximum(found_fact, 0)] == _STATES.index(MemberState.ACTIVE))
    pair = order[queries] - n_facts
    chapter = np.where(active, log.chapter[np.maximum(found_fact, 0)], _NONE)
    # One chapter per referral: the active membership with the highest row, if several.
    credited = np.full(len(referrer), _NONE, dtype=np.int64)
    hit = chapter >= 0
    np.maximum.at(credited, pair_referral[pair[hit]], chapter[hit])
    return _count(credited, n_chapters)


@attrs.frozen(eq=False, repr=False)
class JoinsPerMonth(Displayed):
    """Members joining per calendar month and chapter (月入会).

    Attributes:
        months: ``datetime64[M]`` array of shape (n_months,), from the first month with a
            join (or ``since``'s month) to ``as_of``'s month.
        chapter_ids: str array of shape (n_chapters,).
        counts: int64 array of shape (n_chapters, n_months): joins by the chapter joined
            and the month of the join in the programme's time zone.

    Examples:
        >>> j = JoinsPerMonth(np.array(["2026-01", "2026-02"], dtype="datetime64[M]"),
        ...                   np.array(["CH1", "CH2"]), np.array([[3, 1], [0, 2]]))
        >>> j.network().tolist(), j.mean()
        ([3, 3], 3.0)
    """

    months: NDArray[np.datetime64]
    chapter_ids: NDArray[np.str_]
    counts: NDArray[np.int64]

    def network(self) -> NDArray[np.int64]:
        """Joins per month over every chapter.

        Examples:
            >>> JoinsPerMonth(np.array([], dtype="datetime64[M]"), np.array(["CH1"]),
            ...               np.zeros((1, 0), dtype=np.int64)).network().tolist()
            []
        """
        return _frozen(self.counts.sum(axis=0).astype(np.int64))

    def mean(self) -> float:
        """Average joins per month network-wide (平均月入会); NaN with no month.

        Examples:
            >>> JoinsPerMonth(np.array(["2026-01"], dtype="datetime64[M]"), np.array(["CH1"]),
            ...               np.array([[4]])).mean()
            4.0
        """
        return float(self.network().mean()) if len(self.months) else float("nan")

    def to_pandas(self) -> Any:
        """A DataFrame: a row per chapter, a column per month (needs the ``pandas`` extra).

        Examples:
            >>> JoinsPerMonth(np.array(["2026-01"], dtype="datetime64[M]"), np.array(["CH1"]),
            ...               np.array([[4]])).to_pandas().loc["CH1", "2026-01"]
            np.int64(4)
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            self.counts,
            index=pd.Index(self.chapter_ids, name="chapter_id"),
            columns=[str(m) for m in self.months],
        )


def joins_per_month(
    tables: Tables,
    *,
    as_of: date | str,
    since: date | str | None = None,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> JoinsPerMonth:
    """Members joining per month and chapter, up to the end of ``as_of``.

    Args:
        tables: the tables (chapters and the member tables).
        as_of: the last day counted (its month is the last column, possibly partial).
        since: the first day counted; by default the month of the first join.
        time_zone: the programme's time zone, which decides a join's month.

    Returns:
        The counts.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables].
        InvalidValue: a day or the time zone is invalid, ``since`` is after ``as_of``, or
            a member's facts break a rule of [`MemberLog`][aftersales_crm.membership.MemberLog].

    Examples:
        >>> from aftersales_crm import synthetic
        >>> t = synthetic.tables(4_000, seed=3)
        >>> j = joins_per_month(t, as_of="2026-06-30", since="2026-01-01")
        >>> [str(m) for m in j.months]
        ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']
        >>> int(j.counts.sum()) == int(club_kpis(t, as_of="2026-06-30", since="2026-01-01").network.joins[0])
        True
    """
    tables = _tables(tables)
    day = as_of_date(as_of)
    first = None if since is None else as_of_date(since, parameter="since")
    if first is not None and first > day:
        msg = f"since is {first.isoformat()}, after as_of {day.isoformat()}"
        raise InvalidValue(msg, code="since_after_as_of")
    zone = to_time_zone(time_zone)
    log = MemberLog.from_tables(tables)
    joins = log.event == _EVENTS.index(MemberEvent.JOINED)
    local = business_dates(log.at[joins], zone)
    keep = local <= np.datetime64(day, "D")
    if first is not None:
        keep &= local >= np.datetime64(first, "D")
    month = local[keep].astype("datetime64[M]")
    last = np.datetime64(day, "M")
    if first is not None:
        begin = np.datetime64(first, "M")
    elif len(month):
        begin = month.min()
    else:
        begin = last
    months = np.arange(begin, last + np.timedelta64(1, "M"), dtype="datetime64[M]")
    n_chapters = len(tables.chapters)
    column = (month - begin).astype(np.int64)
    cell = log.chapter[joins][keep] * len(months) + column
    counts = np.bincount(cell, minlength=n_chapters * len(months)).reshape(n_chapters, len(months))
    return JoinsPerMonth(
        months=_frozen(months),
        chapter_ids=_frozen(np.asarray(tables.chapters["id"], dtype=str)),
        counts=_frozen(counts.astype(np.int64)),
    )
