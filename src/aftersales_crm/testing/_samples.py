"""The sample inputs of the conformance kit for the built-in policy kinds.

Policy kinds name their sample by path (``"aftersales_crm.testing._samples:customer_features"``)
so that declaring a kind imports neither the synthetic generator nor the testing extra.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features as _features
from aftersales_crm import synthetic
from aftersales_crm._kinds import FactSample
from aftersales_crm.features import FeatureTable
from aftersales_crm.tables import Tables

__all__ = [
    "Qualified",
    "Source",
    "SurveySample",
    "care_facts",
    "care_tables",
    "care_tasks",
    "club_members",
    "club_sources",
    "club_tables",
    "complaint_facts",
    "customer_features",
    "qualifying_sample",
    "run_care_rule",
    "run_complaint_sla",
    "run_contact_rule",
    "run_levels",
    "run_points",
    "run_scorer",
    "survey_sample",
    "with_twins",
]

_ONE_DAY: Final = dt.timedelta(days=1)

CUSTOMERS: Final = 60
"""Distinct customers in the default sample: enough for every label, fast to compute."""

BOOK_SEED: Final = 7
"""Seed of the default synthetic Book."""

MOST_TWINS: Final = 3
"""Customer ``i`` of the sample appears ``2 + i % 3`` times: 2, 3 or 4 equal rows."""

TWIN_MARK: Final = "~"
"""Separates a twin's id from the id it copies: ``C000001~1``."""


@functools.cache
def customer_features() -> FeatureTable:
    """The customer features the kit checks feature-reading policies on (computed once).

    60 synthetic customers (``synthetic.book(60, seed=7)``), each appearing 2 to 4 times
    under different ids (180 rows), with their vehicles: equal values sit at most cut-offs
    a policy may draw (the top 20%, the median…), so a policy that breaks ties by row
    position gives different labels to equal customers and fails the order checks.

    Examples:
        >>> feats = customer_features()
        >>> len(feats), len(set(feats.ids)), str(feats.ids[60])
        (180, 180, 'C0000000~1')
    """
    book = synthetic.book(CUSTOMERS, seed=BOOK_SEED)
    distinct = _features.compute(book, as_of=synthetic.DEFAULT_AS_OF, threads=1)
    copies = 2 + np.arange(len(distinct)) % MOST_TWINS
    return with_twins(distinct, copies)


def _copy_ids(ids: NDArray[Any], copy: NDArray[np.intp]) -> NDArray[np.str_]:
    marked = np.char.add(np.char.add(ids.astype(str), TWIN_MARK), copy.astype(str))
    return np.where(copy == 0, ids.astype(str), marked)


def with_twins(features: FeatureTable, copies: NDArray[np.intp]) -> FeatureTable:
    """``features`` with row ``i`` repeated ``copies[i]`` times, copies under new ids.

    The first copy of each row keeps its id and place; the others follow, in rounds
    (every row's second copy, then every third copy…), with ids ``<id>~<copy>``. Each copy
    of a customer owns copies of their vehicles (VINs ``<vin>~<copy>``); vehicles
    without an owner are kept once.

    Examples:
        >>> feats = customer_features()
        >>> two = with_twins(feats.take(np.arange(2)), np.array([1, 2]))
        >>> two.ids.tolist()
        ['C0000000', 'C0000001', 'C0000001~1']
    """
    order = np.argsort(
        np.concatenate([np.arange(c) for c in copies]) if len(copies) else np.arange(0),
        kind="stable",
    )
    source = np.repeat(np.arange(len(features)), copies)[order]
    copy = np.concatenate([np.arange(c) for c in copies]).astype(np.intp)[order]
    ids = _copy_ids(features.ids[source], copy)
    columns = {name: values[source] for name, values in features.columns.items()}
    vehicles = features.vehicles
    if vehicles is not None and "owner" in vehicles.columns:
        vehicles = _vehicle_twins(vehicles, source, copy)
    return attrs.evolve(features, ids=ids, columns=columns, vehicles=vehicles)


def _vehicle_twins(
    vehicles: FeatureTable, source: NDArray[np.intp], copy: NDArray[np.intp]
) -> FeatureTable:
    """Each vehicle once per copy of its owner, owned by that copy (``source[row]``)."""
    owner = np.asarray(vehicles["owner"], dtype=np.intp)
    rows = np.arange(len(source))
    pick: list[NDArray[np.intp]] = [np.flatnonzero(owner < 0)]
    new_owner: list[NDArray[np.intp]] = [np.full(len(pick[0]), -1, dtype=np.intp)]
    vehicle_copy: list[NDArray[np.intp]] = [np.zeros(len(pick[0]), dtype=np.intp)]
    for row, original, k in zip(rows, source, copy, strict=True):
        owned = np.flatnonzero(owner == original)
        pick.append(owned)
        new_owner.append(np.full(len(owned), row, dtype=np.intp))
        vehicle_copy.append(np.full(len(owned), k, dtype=np.intp))
    taken = np.concatenate(pick)
    columns = {name: values[taken] for name, values in vehicles.columns.items()}
    columns["owner"] = np.concatenate(new_owner).astype(owner.dtype)
    ids = _copy_ids(vehicles.ids[taken], np.concatenate(vehicle_copy))
    return attrs.evolve(vehicles, ids=ids, columns=columns)


# ---------------------------------------------------------------- the owners' club


CLUB_CUSTOMERS: Final = 12
"""Customers of the points sample: a few dozen repair orders, activities and referrals."""

CLUB_SEED: Final = 5
"""Seed of the points sample's synthetic network."""

_REFERRALS: Final = 6
"""Referrals of the points sample, the last not delivered yet."""

_MASTER: Final = ("dealers", "customers", "vehicles", "ownerships")
_SOURCES: Final = ("orders", "activities", "referrals")


class Source(NamedTuple):
    """A fact of the points sample: a source of points and its rows.

    Attributes:
        table: ``orders``, ``activities`` or ``referrals``.
        id: the source's id in its table.
        rows: ``(table, ((column, value), ...))`` pairs: the row itself and, for an
            order, its lines.
    """

    table: str
    id: str
    rows: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


def _row(columns: Mapping[str, NDArray[Any]], i: int) -> tuple[tuple[str, Any], ...]:
    return tuple((name, _plain(values[i])) for name, values in columns.items())


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python value (NaT as None), anything else as it is."""
    if isinstance(value, np.generic):
        return None if isinstance(value, np.datetime64) and np.isnat(value) else value.item()
    return value


def _shifted(row: tuple[tuple[str, Any], ...], **changes: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((name, changes.get(name, value)) for name, value in row)


def _children_of(rows: Mapping[str, NDArray[Any]], key: str) -> dict[str, list[int]]:
    """The rows of a child table (lines, updates) by the id of their parent."""
    out: dict[str, list[int]] = {}
    for j, parent in enumerate(rows[key].tolist()):
        out.setdefault(str(parent), []).append(j)
    return out


def _facts_with(
    table: str,
    rows: Mapping[str, NDArray[Any]],
    child_table: str,
    children: Mapping[str, NDArray[Any]],
    key: str,
) -> list[Source]:
    """Each row of ``table`` with its rows of ``child_table`` (by ``key``), as one fact.

    A repair order with its lines, a complaint with its updates.
    """
    child_of = _children_of(children, key)
    return [
        Source(
            table,
            str(parent),
            (
                (table, _row(rows, i)),
                *((child_table, _row(children, j)) for j in child_of.get(str(parent), [])),
            ),
        )
        for i, parent in enumerate(rows["id"].tolist())
    ]


def _order_facts(
    orders: Mapping[str, NDArray[Any]], lines: Mapping[str, NDArray[Any]]
) -> list[Source]:
    """Each repair order with its lines, as one fact."""
    return _facts_with("orders", orders, "lines", lines, "order_id")


def _late_orders(
    orders: Mapping[str, NDArray[Any]],
    lines: Mapping[str, NDArray[Any]],
    after: dt.datetime,
    *,
    every: int,
) -> list[Source]:
    """Every ``every``-th order again, opened and closed ``i + 1`` hours after ``after`` (UTC)."""
    line_of = _children_of(lines, "order_id")
    late_orders = []
    for i in range(0, len(orders["id"]), every):
        late = after + dt.timedelta(hours=i + 1)
        order_id = f"{orders['id'][i]}-late"
        moved = {"closed_at": late, "opened_at": late, "promised_at": late}
        head = _shifted(_row(orders, i), id=order_id, comeback_of=None, **moved)
        own = (
            ("orders", head),
            *(
                ("lines", _shifted(_row(lines, j), order_id=order_id))
                for j in line_of.get(str(orders["id"][i]), [])
            ),
        )
        late_orders.append(Source("orders", order_id, own))
    return late_orders


@functools.cache
def _club() -> tuple[dict[str, dict[str, NDArray[Any]]], tuple[Source, ...], tuple[Source, ...]]:
    arrays = synthetic.columns(CLUB_CUSTOMERS, seed=CLUB_SEED).tables().to_arrays()
    master = {name: arrays[name] for name in _MASTER}
    orders, lines = arrays["orders"], arrays["lines"]
    facts = _order_facts(orders, lines)
    as_of_end = dt.datetime.combine(synthetic.DEFAULT_AS_OF + _ONE_DAY, dt.time())
    future = _late_orders(orders, lines, as_of_end, every=7)
    activities = arrays["activities"]
    for i, attendance in enumerate(activities["id"].tolist()):
        facts.append(Source("activities", str(attendance), (("activities", _row(activities, i)),)))
    customers = master["customers"]["id"].tolist()
    on = synthetic.DEFAULT_AS_OF
    for i, referrer in enumerate(customers[:_REFERRALS]):
        last = i == _REFERRALS - 1  # not delivered yet
        delivered = None if last else dt.date(on.year, 1 + i, 15)
        row = (
            ("id", f"RF{i}"),
            ("referrer_id", referrer),
            ("referred_name", "张三"),
            ("on", dt.date(on.year, 1, 2)),
            ("delivered_on", delivered),
        )
        facts.append(Source("referrals", f"RF{i}", (("referrals", row),)))
    late_referral = (
        ("id", "RF9"),
        ("referrer_id", customers[0]),
        ("referred_name", "李四"),
        ("on", on),
        ("delivered_on", on + _ONE_DAY),
    )
    future.append(Source("referrals", "RF9", (("referrals", late_referral),)))
    return master, tuple(facts), tuple(future)


def club_sources() -> FactSample:
    """The facts the kit checks points rules on: orders with lines, activities, referrals.

    A synthetic network of 12 customers (seed 5) up to ``synthetic.DEFAULT_AS_OF``: each
    repair order with its lines, each activity attendance and six referrals (one not
    delivered yet) are facts; some orders again, closed after ``as_of``, and a referral
    delivered after it are the future facts. ``run_points`` turns them into Tables.

    Examples:
        >>> sample = club_sources()
        >>> len(sample) > 20, {fact.table for fact in sample.facts} == {"orders", "activities", "referrals"}
        (True, True)
    """
    _, facts, future = _club()
    return FactSample(facts, synthetic.DEFAULT_AS_OF, future=future)


CLUB_MEMBERS: Final = "M-"
"""The member id of a customer of the sample is ``"M-" + customer id``."""


def club_members() -> tuple[dict[str, str], dict[str, str]]:
    """The sample's members (every customer but the last) and their levels (cycling).

    Examples:
        >>> members, levels = club_members()
        >>> len(members) == CLUB_CUSTOMERS - 1, sorted(set(levels.values()))
        (True, ['diamond', 'gold', 'platinum', 'silver'])
    """
    master, _, _ = _club()
    customers = [str(c) for c in master["customers"]["id"].tolist()]
    members = {c: CLUB_MEMBERS + c for c in customers[:-1]}
    cycle = ("diamond", "platinum", "gold", "silver")
    levels = {m: cycle[i % 4] for i, m in enumerate(members.values())}
    return members, levels


def club_tables(facts: Sequence[Source]) -> list[Tables]:
    """The facts as deliveries of Tables: a fact's n-th arrival goes in the n-th delivery.

    Each delivery holds the whole master data (dealers, customers, vehicles, ownerships)
    and its facts' rows in arrival order; no facts give one delivery of master data.

    Examples:
        >>> len(club_tables([])), len(club_tables([*club_sources().facts[:2], club_sources().facts[0]]))
        (1, 2)
    """
    master, _, _ = _club()
    seen: dict[tuple[str, str], int] = {}
    batches: list[list[Source]] = [[]]
    for fact in facts:
        n = seen.get((fact.table, fact.id), 0)
        seen[(fact.table, fact.id)] = n + 1
        while len(batches) <= n:
            batches.append([])
        batches[n].append(fact)
    out = []
    for batch in batches:
        rows: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
        for fact in batch:
            for table, row in fact.rows:
                rows.setdefault(table, []).append(row)
        given: dict[str, Any] = dict(master)
        for table, found in rows.items():
            names = [name for name, _ in found[0]]
            given[table] = {
                name: _column([dict(r)[name] for r in found], master, table, name) for name in names
            }
        out.append(Tables.from_arrays(**given))
    return out


def _column(values: list[Any], master: Mapping[str, Any], table: str, name: str) -> Any:
    if name in ("opened_at", "closed_at", "promised_at", "at"):
        return np.array(
            [np.datetime64("NaT") if v is None else v for v in values], dtype="datetime64[us]"
        )
    if name in ("on", "delivered_on"):
        return np.array(
            [np.datetime64("NaT") if v is None else v for v in values], dtype="datetime64[D]"
        )
    return values


def run_points(policy: Any, sample: FactSample) -> Any:
    """How the kit runs a points rule: ``policy.award(deliveries, as_of=…, members=…, levels=…)``.

    Examples:
        >>> from aftersales_crm.membership import PointsRule
        >>> run_points(PointsRule(), club_sources()).total() > 0
        True
    """
    members, levels = club_members()
    return policy.award(
        club_tables(sample.facts), as_of=sample.as_of, members=members, levels=levels
    )


class Qualified(NamedTuple):
    """A fact of the level sample: qualifying value of a member from a source."""

    member_id: str
    source_id: str
    at: dt.datetime
    value: int


def qualifying_sample() -> FactSample:
    """The facts the kit checks level rules on: qualifying value of six members over 3 years.

    Members earn at different paces, so that the defaults promote, keep in grace and
    downgrade some of them before ``synthetic.DEFAULT_AS_OF``; a few facts come after it.

    Examples:
        >>> sample = qualifying_sample()
        >>> len(sample), len(sample.future)
        (72, 3)
    """
    as_of = synthetic.DEFAULT_AS_OF
    facts = []
    paces = (400, 1500, 3000, 6000, 900, 12000)
    stops = len(paces) - 2  # this member stops earning two years before as_of
    for m, pace in enumerate(paces):
        for k in range(12):
            month = 1 + (k * 3) % 12
            year = as_of.year - 2 + (k * 3) // 12
            at = dt.datetime(year, month, 1 + m, 3, 0, tzinfo=dt.UTC)
            value = pace * (1 + (k + m) % 3) if m != stops or year < as_of.year - 1 else 0
            facts.append(Qualified(f"M{m}", f"S{m}-{k}", at, value))
    after = dt.datetime(as_of.year, as_of.month, as_of.day, 23, 0, tzinfo=dt.UTC)
    future = [Qualified(f"M{m}", f"F{m}", after, 100_000) for m in (0, 1, 2)]
    return FactSample(facts, as_of, future=future)


def run_levels(policy: Any, sample: FactSample) -> Any:
    """How the kit runs a level rule: ``policy.levels(qualifying, as_of=…)``.

    Examples:
        >>> from aftersales_crm.membership import QualifyingLevels
        >>> len(run_levels(QualifyingLevels(), qualifying_sample()))
        6
    """
    from aftersales_crm.membership import Qualifying

    facts: Sequence[Qualified] = sample.facts
    qualifying = Qualifying.from_columns(
        member_id=[f.member_id for f in facts],
        source_id=[f.source_id for f in facts],
        at=[np.datetime64(f.at.astimezone(dt.UTC).replace(tzinfo=None), "us") for f in facts],
        value=[f.value for f in facts],
    )
    return policy.levels(qualifying, as_of=sample.as_of)


# ---------------------------------------------------------------- complaints

#: A complaint of the SLA sample: id, severity, hours before the end of ``as_of`` it was
#: filed, and its updates as (action, hours after filing).
_COMPLAINTS: Final = (
    (
        "Q01",
        "low",
        20 * 24,
        (("acknowledged", 3), ("in_progress", 20), ("resolved", 100), ("closed", 130)),
    ),
    ("Q02", "medium", 10 * 24, (("acknowledged", 10), ("resolved", 200))),
    ("Q03", "high", 3 * 24, (("acknowledged", 1), ("in_progress", 5), ("escalated", 30))),
    ("Q04", "critical", 14, ()),
    (
        "Q05",
        "low",
        30 * 24,
        (("acknowledged", 2), ("resolved", 100), ("closed", 120), ("reopened", 600)),
    ),
    ("Q06", "medium", 15, ()),
    ("Q07", "high", 8 * 24, (("acknowledged", 2), ("resolved", 30))),
    ("Q08", "critical", 5 * 24, (("acknowledged", 1), ("in_progress", 1), ("resolved", 90))),
)
#: Facts after ``as_of``: (complaint, action or "filed", hours after the end of ``as_of``).
_LATE: Final = (
    ("Q04", "acknowledged", 2),
    ("Q06", "acknowledged", 10),
    ("Q09", "filed", 3),
    ("Q03", "resolved", 20),
)


def _end_of(day: dt.date) -> dt.datetime:
    """The last microsecond of ``day`` in the programme's default time zone."""
    from aftersales_crm.features import DEFAULT_TIME_ZONE
    from aftersales_crm.features._calendar import to_time_zone

    zone = to_time_zone(DEFAULT_TIME_ZONE)
    return dt.datetime.combine(day + _ONE_DAY, dt.time(), tzinfo=zone) - dt.timedelta(
        microseconds=1
    )


def complaint_facts() -> FactSample:
    """The facts the kit checks complaint-SLA policies on: eight complaints and their steps.

    Complaints of every severity and state up to the end of ``synthetic.DEFAULT_AS_OF``
    (Beijing time): closed, resolved, in progress (one escalated, one reopened),
    acknowledged late and not acknowledged at all; after it, acknowledgements, a
    resolution and a new complaint. ``run_complaint_sla`` folds them.

    Examples:
        >>> sample = complaint_facts()
        >>> len(sample), len(sample.future)
        (26, 4)
    """
    from aftersales_crm.records import ComplaintFiled, ComplaintUpdated

    end = _end_of(synthetic.DEFAULT_AS_OF) + dt.timedelta(microseconds=1)  # next midnight
    hours = dt.timedelta(hours=1)
    facts: list[Any] = []
    filed_at: dict[str, dt.datetime] = {}
    for complaint_id, severity, before, steps in _COMPLAINTS:
        at = end - before * hours
        filed_at[complaint_id] = at
        facts.append(
            ComplaintFiled(
                id=complaint_id,
                customer_id=f"C{complaint_id[1:]}",
                at=at,
                category="repair_quality",
                severity=severity,
                channel="phone",
            )
        )
        for k, (action, after) in enumerate(steps):
            verdict = "satisfied" if action == "closed" else None
            facts.append(
                ComplaintUpdated(
                    id=f"{complaint_id}-{k}",
                    complaint_id=complaint_id,
                    at=at + after * hours,
                    action=action,
                    verdict=verdict,
                )
            )
    future: list[Any] = []
    for complaint_id, action, after in _LATE:
        at = end + after * hours
        if action == "filed":
            future.append(
                ComplaintFiled(
                    id=complaint_id,
                    customer_id="C09",
                    at=at,
                    category="price",
                    severity="low",
                    channel="phone",
                )
            )
        else:
            future.append(
                ComplaintUpdated(
                    id=f"{complaint_id}-late", complaint_id=complaint_id, at=at, action=action
                )
            )
    return FactSample(facts, synthetic.DEFAULT_AS_OF, future=future)


def run_complaint_sla(policy: Any, sample: FactSample) -> Any:
    """How the kit runs a complaint-SLA policy: ``policy.assess(log, as_of=…)``.

    The facts are folded into a [`ComplaintLog`][aftersales_crm.complaints.ComplaintLog]; the
    moment is the end of the sample's ``as_of`` day in Beijing time.

    Examples:
        >>> from aftersales_crm.complaints import ComplaintSla
        >>> run_complaint_sla(ComplaintSla(), complaint_facts()).breaches()
        {'open': 7, 'response': 3, 'resolution': 2}
    """
    from aftersales_crm.complaints import ComplaintLog

    log = ComplaintLog.from_records(sample.facts)
    return policy.assess(log, as_of=_end_of(sample.as_of))


# ---------------------------------------------------------------- satisfaction surveys


SURVEY_RESPONDENTS: Final = 40
"""Respondents of the scorer sample; each answers every instrument of the sample once."""

SURVEY_SEED: Final = 11
"""Seed of the scorer sample's ratings."""

_TWIN_EVERY: Final = 10
"""Every tenth respondent of the scorer sample answers exactly as the one before (ties)."""

_NO_RECOMMEND_EVERY: Final = 7
_NO_RECOMMEND_AT: Final = 3
"""Respondents ``i`` with ``i % 7 == 3`` give no recommend score."""

_SURVEY_INSTRUMENTS: Final = ("china_csi@2015", "servqual@1991", "ssi@six_factor", "nps@1")
"""The instruments of the sample; every fourth CSI response answers the 2014 version."""


@attrs.define(frozen=True, eq=False, slots=False)
class SurveySample:
    """The scorer kit's input: the same respondents' responses to several instruments.

    Row ``i`` of every instrument's [`Responses`][aftersales_crm.satisfaction.Responses] is
    respondent ``i``, so ``take`` and ``without_answers`` select the same
    respondents everywhere, and a scorer runs on the responses to its own instrument
    (``for_policy``).

    Attributes:
        responses: the responses by instrument id, each with the same number of rows.

    Examples:
        >>> sample = survey_sample()
        >>> len(sample), sorted(sample.responses)
        (40, ['china_csi', 'nps', 'servqual', 'ssi'])
    """

    responses: Mapping[str, Any]

    def __len__(self) -> int:
        """The number of respondents."""
        return len(next(iter(self.responses.values())))

    def take(self, rows: NDArray[np.intp]) -> SurveySample:
        """The respondents at ``rows``, in every instrument's responses.

        Examples:
            >>> len(survey_sample().take(np.arange(3)))
            3
        """
        return SurveySample({k: r.take(rows) for k, r in self.responses.items()})

    def without_answers(self, rows: NDArray[np.intp]) -> SurveySample:
        """The respondents at ``rows`` stripped of their answers, in every instrument's responses.

        Examples:
            >>> sample = survey_sample().without_answers(np.array([0]))
            >>> bool((sample.responses["nps"].answer_of == 0).any())
            False
        """
        return SurveySample({k: r.without_answers(rows) for k, r in self.responses.items()})

    def for_policy(self, policy: Any) -> Any:
        """The responses ``policy`` scores: those to its ``instrument``, or to the NPS question.

        A policy without an ``instrument`` reads the recommend score, which every response
        of the sample carries; one reading an ``item`` reads the NPS question's.

        Examples:
            >>> from aftersales_crm.satisfaction import CsiIndex, NPS
            >>> survey_sample().for_policy(CsiIndex()).instruments
            ('china_csi@2015', 'china_csi@2014')
            >>> survey_sample().for_policy(NPS(item="recommend")).instruments
            ('nps@1',)
        """
        from aftersales_crm.satisfaction import Instrument, get_instrument

        instrument = getattr(policy, "instrument", None)
        if isinstance(instrument, str | Instrument):
            found = self.responses.get(get_instrument(instrument).id)
            if found is not None:
                return found
        if getattr(policy, "item", None) is not None:
            return self.responses["nps"]
        return next(iter(self.responses.values()))


@functools.cache
def _survey_responses() -> Mapping[str, Any]:
    from aftersales_crm.records import Answer, ImportancePoints, SurveyAnswered
    from aftersales_crm.satisfaction import Responses, get_instrument

    rng = np.random.default_rng(SURVEY_SEED)
    at = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    level = rng.normal(0.0, 1.0, SURVEY_RESPONDENTS)
    twins = (
        np.arange(SURVEY_RESPONDENTS) % _TWIN_EVERY == _TWIN_EVERY - 1
    )  # respondent i answers as i − 1: ties
    out: dict[str, Any] = {}
    for key in _SURVEY_INSTRUMENTS:
        instrument = get_instrument(key)
        records = []
        previous: tuple[Any, ...] = ()
        for i in range(SURVEY_RESPONDENTS):
            answers = []
            for item in instrument.items:
                span = item.scale.high - item.scale.low
                mid = item.scale.low + 0.7 * span
                p = int(
                    np.clip(
                        np.rint(mid + level[i] * span / 6 + rng.normal(0, 1)),
                        item.scale.low,
                        item.scale.high,
                    )
                )
                e = int(
                    np.clip(
                        np.rint(mid + span / 8 + rng.normal(0, 1)), item.scale.low, item.scale.high
                    )
                )
                if rng.random() < 0.15 * (i % 3):  # some respondents skip items
                    continue
                answers.append(
                    Answer(
                        item=item.id, perception=p, expectation=e if item.asks.expectation else None
                    )
                )
            points = rng.multinomial(
                100, np.full(len(instrument.factors), 1 / len(instrument.factors))
            )
            importance = (
                tuple(
                    ImportancePoints(factor=f, points=int(n))
                    for f, n in zip(instrument.factor_ids, points, strict=True)
                )
                if i % 4
                else ()
            )
            recommend = (
                None
                if i % _NO_RECOMMEND_EVERY == _NO_RECOMMEND_AT
                else int(np.clip(np.rint(8 + 2 * level[i]), 0, 10))
            )
            fields = (tuple(answers), importance, recommend)
            if twins[i]:
                fields = previous
            previous = fields
            version = "2014" if key.startswith("china_csi") and i % 4 == 1 else instrument.version
            records.append(
                SurveyAnswered(
                    id=f"S{instrument.id}-{i:02d}",
                    instrument=instrument.id,
                    version=version,
                    customer_id=f"C{i:02d}",
                    dealer_id=f"D{i % 3}",
                    advisor=f"SA{i % 5}",
                    at=at + dt.timedelta(days=i),
                    answers=fields[0],
                    importance=fields[1],
                    recommend=fields[2],
                )
            )
        out[instrument.id] = Responses.from_records(records)
    return out


def survey_sample() -> SurveySample:
    """The responses the kit checks scorers on: 40 respondents answering four instruments.

    Each respondent answers the China CSI (every fourth the 2014 version), SERVQUAL, the
    six-factor SSI and the NPS question, with a level of satisfaction of their own, some
    items skipped (a third of the respondents skip none, the others up to 30 %), importance
    points from three respondents in four, recommend scores from most, and every tenth
    respondent answering exactly as the one before (ties). Seeded (11); computed once.

    Examples:
        >>> len(survey_sample().responses["servqual"].ids)
        40
    """
    return SurveySample(_survey_responses())


def run_scorer(policy: Any, sample: Any) -> Any:
    """How the kit runs a scorer: ``policy.score(responses)``, on a ``SurveySample`` the responses to its instrument.

    Examples:
        >>> from aftersales_crm.satisfaction import NPS
        >>> len(run_scorer(NPS(), survey_sample()))
        40
    """
    responses = sample.for_policy(policy) if isinstance(sample, SurveySample) else sample
    return policy.score(responses)


# ---------------------------------------------------------------- care and contact rules


CARE_CUSTOMERS: Final = 30
"""Customers of the care sample: their repair orders, consents, contacts and complaints."""

CARE_SEED: Final = 13
"""Seed of the care sample's synthetic Book."""

CARE_DAYS: Final = (-30, 60)
"""The days the care kit asks for: from 30 days before ``as_of`` to 60 days after it."""

_CARE_MASTER: Final = ("dealers", "customers", "vehicles", "ownerships")
_CARE_LUNAR: Final = slice(0, None, 3)
"""The customers of the care sample who keep the lunar birthday, beside the synthetic ones:
every third, so that the lunar greetings have tasks in the sample's days."""


@functools.cache
def _care() -> tuple[dict[str, dict[str, NDArray[Any]]], tuple[Source, ...], tuple[Source, ...]]:
    book = synthetic.book(CARE_CUSTOMERS, seed=CARE_SEED)
    arrays = Tables.from_book(book).to_arrays()
    master = {name: arrays[name] for name in _CARE_MASTER}
    lunar = master["customers"]["lunar_birthday"].copy()
    lunar[_CARE_LUNAR] = True
    master["customers"] = {**master["customers"], "lunar_birthday": lunar}
    orders, lines = arrays["orders"], arrays["lines"]
    facts = _order_facts(orders, lines) + _facts_with(
        "complaints",
        arrays["complaints"],
        "complaint_updates",
        arrays["complaint_updates"],
        "complaint_id",
    )
    for table in ("consents", "contacts"):
        rows = arrays[table]
        for i, fact_id in enumerate(rows["id"].tolist()):
            facts.append(Source(table, str(fact_id), ((table, _row(rows, i)),)))
    end = dt.datetime.combine(synthetic.DEFAULT_AS_OF + _ONE_DAY, dt.time())  # UTC, as stored
    customers = [str(c) for c in master["customers"]["id"].tolist()]
    before = end - dt.timedelta(days=10)
    for i, customer in enumerate(customers[13:17]):  # asked not to be called
        facts.append(_do_not_contact(f"KD{i}", customer, ("survey", "reminder")[i % 2], before))
    row = (  # the last of them grants consent again after asking not to be called
        ("id", "CG0"),
        ("customer_id", customers[16]),
        ("purpose", "service_reminder"),
        ("channel", "sms"),
        ("granted", True),
        ("at", before + dt.timedelta(days=2)),
    )
    facts.append(Source("consents", "CG0", (("consents", row),)))
    facts.append(_complaint("QE0", customers[17], end - dt.timedelta(days=5)))
    future = _late_orders(orders, lines, end, every=5)
    late = end + dt.timedelta(hours=3)
    for i, customer in enumerate(customers[:6]):  # consent withdrawn after as_of
        for purpose in ("survey", "service_reminder"):
            row = (
                ("id", f"CW{i}{purpose[:2]}"),
                ("customer_id", customer),
                ("purpose", purpose),
                ("channel", "phone"),
                ("granted", False),
                ("at", late),
            )
            future.append(Source("consents", f"CW{i}{purpose[:2]}", (("consents", row),)))
    for i, customer in enumerate(customers[6:10]):  # asked not to be called, after as_of
        future.append(_do_not_contact(f"KL{i}", customer, "reminder", late))
    for i, customer in enumerate(customers[10:13]):  # complaints after as_of
        future.append(_complaint(f"QL{i}", customer, late))
    return master, tuple(facts), tuple(future)


def _do_not_contact(fact_id: str, customer: str, purpose: str, at: dt.datetime) -> Source:
    row = (
        ("id", fact_id),
        ("customer_id", customer),
        ("vin", None),
        ("channel", "phone"),
        ("purpose", purpose),
        ("outcome", "do_not_contact"),
        ("at", at),
        ("staff", None),
        ("repair_order_id", None),
        ("note", None),
    )
    return Source("contacts", fact_id, (("contacts", row),))


def _complaint(fact_id: str, customer: str, at: dt.datetime) -> Source:
    row = (
        ("id", fact_id),
        ("customer_id", customer),
        ("at", at),
        ("category", "price"),
        ("severity", "low"),
        ("channel", "phone"),
        ("repair_order_id", None),
        ("description", None),
    )
    return Source("complaints", fact_id, (("complaints", row),))


def care_facts() -> FactSample:
    """The facts the kit checks care rules and contact rules on.

    A synthetic Book of 30 customers (seed 13, every third keeping the lunar birthday) up
    to ``synthetic.DEFAULT_AS_OF``: each repair order with its lines, each complaint with
    its updates, each consent change and contact is a fact, and
    four customers asked not to be called ten days before (one of them granting consent
    again since) and one filed a complaint five days before. After ``as_of``: some orders again, consents withdrawn, customers asking not to be
    called and complaints; a conforming rule ignores them. ``run_care_rule`` and
    ``run_contact_rule`` turn the facts into tables. The days asked for
    ([`FactSample.days`][aftersales_crm.policies.FactSample]) are those of ``CARE_DAYS`` around ``as_of``; the kit's
    ``halves_compose`` check splits them.

    Examples:
        >>> sample = care_facts()
        >>> {fact.table for fact in sample.facts} == {"orders", "consents", "contacts", "complaints"}
        True
        >>> [day.isoformat() for day in sample.days]
        ['2026-05-31', '2026-08-29']
    """
    _, facts, future = _care()
    as_of = synthetic.DEFAULT_AS_OF
    before, after = CARE_DAYS
    days = (as_of + dt.timedelta(days=before), as_of + dt.timedelta(days=after))
    return FactSample(facts, as_of, future=future, days=days)


def care_tables(facts: Sequence[Source]) -> Tables:
    """The master data of the care sample and ``facts``, each fact once, in arrival order.

    A table holds each id once, so a fact delivered twice is kept once.

    Examples:
        >>> tables = care_tables(care_facts().facts[:3])
        >>> len(tables.customers), len(tables.orders)
        (30, 3)
    """
    master, _, _ = _care()
    seen: set[tuple[str, str]] = set()
    rows: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
    for fact in facts:
        if (fact.table, fact.id) in seen:
            continue
        seen.add((fact.table, fact.id))
        for table, row in fact.rows:
            rows.setdefault(table, []).append(row)
    given: dict[str, Any] = dict(master)
    for table, found in rows.items():
        names = [name for name, _ in found[0]]
        given[table] = {
            name: _column([dict(r)[name] for r in found], master, table, name) for name in names
        }
    return Tables.from_arrays(**given)


def _care_inputs(sample: FactSample) -> Any:
    from aftersales_crm.care import CareInputs

    before, after = CARE_DAYS
    start, end = sample.days or (
        sample.as_of + dt.timedelta(days=before),
        sample.as_of + dt.timedelta(days=after),
    )
    return CareInputs(tables=care_tables(sample.facts), start=start, end=end, as_of=sample.as_of)


def run_care_rule(policy: Any, sample: FactSample) -> Any:
    """How the kit runs a care rule: ``policy.plan(inputs)`` over the sample's days.

    The days are the sample's [`days`][aftersales_crm.policies.FactSample], or those
    of ``CARE_DAYS`` around its ``as_of`` when it has none.

    Examples:
        >>> from aftersales_crm.care import FollowUpCalls
        >>> len(run_care_rule(FollowUpCalls(), care_facts())) > 0
        True
    """
    return policy.plan(_care_inputs(sample))


def care_tasks(customers: Sequence[str], as_of: dt.date) -> Any:
    """The tasks the kit has contact rules judge: the same for any facts.

    For each customer, a 3DC call, a maintenance reminder, a greeting by SMS and a second
    reminder, due on days that bunch up in some weeks (so that a frequency cap has work)
    around ``as_of``.

    Examples:
        >>> len(care_tasks(["C1", "C2"], synthetic.DEFAULT_AS_OF))
        8
    """
    from aftersales_crm.care import (
        FOLLOW_UP_KINDS,
        MAINTENANCE_DUE,
        CareTasks,
        Reason,
        TaskKind,
    )
    from aftersales_crm.values import ContactPurpose

    greeting = TaskKind("kit_greeting", "greeting", "问候", purpose=ContactPurpose.CARE)
    reason = Reason("the kit's task", "测试任务")
    n = len(customers)
    offsets = np.arange(n)
    day = np.datetime64(as_of, "D")
    parts = []
    for kind, shift, channel in (
        (FOLLOW_UP_KINDS[ContactPurpose.FOLLOW_UP_3D], -5, "phone"),
        (MAINTENANCE_DUE, 0, "phone"),
        (greeting, 1, "sms"),
        (MAINTENANCE_DUE, 3, "phone"),
    ):
        due = day + (offsets % 20 - 6 + shift).astype("timedelta64[D]")
        parts.append(
            CareTasks.build(
                kind,
                reason,
                customer=np.asarray(customers),
                due=due,
                window_end=due + np.timedelta64(2, "D"),
                channel=channel,
                priority=offsets % 7,
                source=np.char.add(f"{kind.name}-{shift}-", np.asarray(customers)),
                source_table="kit",
            )
        )
    return CareTasks.concat(parts)


def run_contact_rule(
    policy: Any, sample: FactSample, *, prepare: Callable[[Any], object] | None = None
) -> Any:
    """How the kit runs a contact rule: ``policy.check(tasks, inputs)`` on ``care_tasks``.

    The inputs are new on every call (``CareInputs`` keep what they derive).

    Args:
        policy: the contact rule.
        sample: the facts and the days.
        prepare: called with the inputs before ``check``, when given: the kit's
            ``prepare_changes_nothing`` check calls the rule's own ``prepare`` there.

    Examples:
        >>> from aftersales_crm.care import Consent
        >>> len(run_contact_rule(Consent(), care_facts())) == 4 * CARE_CUSTOMERS
        True
        >>> seen = []
        >>> verdicts = run_contact_rule(Consent(), care_facts(), prepare=seen.append)
        >>> type(seen[0]).__name__
        'CareInputs'
    """
    inputs = _care_inputs(sample)
    if prepare is not None:
        prepare(inputs)
    return policy.check(care_tasks(inputs.customer_ids.tolist(), sample.as_of), inputs)
