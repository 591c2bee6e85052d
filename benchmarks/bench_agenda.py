"""The care agenda: ``care.Planner().agenda`` against the same rules written in pandas.

Draws ``synthetic.tables(n, seed=1)`` and adds, column by column, what the columnar draw
leaves to the Book: consent at each customer's first purchase (service reminders by phone
90 %, marketing by SMS 60 %, surveys by phone 70 %, the shares of the synthetic Book), the
3DC call of 85 % of the orders closed in the last 40 days (80 % of them reaching the
customer), and complaints of 1 % of the customers in the last 90 days with their
acknowledgements, resolutions, reopenings and closings. Times the planner with the rules
the baseline has (``BASELINE_RULES``: every built-in rule, with the default contact rules:
consent, do not contact, cooling off, frequency cap) and ``Planner()`` (the same rules,
its default), for one day on 100,000 customers and for 30 days on 1,000,000, best of a
few runs.

Baseline, timed in the same run: the same rules written in idiomatic pandas (``merge``,
``merge_asof``, ``groupby().cumcount()``, ``pd.DateOffset``; the festival dates and the
lunar date of each day are the library's tables, read as data), on DataFrames made before
the clock starts and on the same features: the vehicle features, and the customers the
loyalty × value matrix (fitted on the customer features) says to win back, which the
planner computes too (the time of ``features.compute`` and of the matrix is added to the
baseline's). The baseline's tasks and statuses must equal the planner's. Timing is never
asserted.

    .venv/bin/python benchmarks/bench_agenda.py [--quick] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from aftersales_crm import features, synthetic
from aftersales_crm.calendars import Festival, lunar_dates
from aftersales_crm.care import CONSENT_PURPOSES, INSPECTION_SCHEDULE, Planner, TaskStatus
from aftersales_crm.loyalty import LoyaltyValueMatrix, Strategy
from aftersales_crm.records import ComplaintAction, ConsentPurpose, ContactOutcome, CustomerKind
from aftersales_crm.tables import Table, Tables
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactChannel, ContactPurpose, ServiceKind
from bench_features import best_seconds  # the same clock for every benchmark

AS_OF = synthetic.DEFAULT_AS_OF
SIZES = ((100_000, 1), (1_000_000, 30))
QUICK_SIZES = ((20_000, 1), (100_000, 30))
REPEATS = 2
SHARES = (
    (ConsentPurpose.SERVICE_REMINDER, ContactChannel.PHONE, 0.9),
    (ConsentPurpose.MARKETING, ContactChannel.SMS, 0.6),
    (ConsentPurpose.SURVEY, ContactChannel.PHONE, 0.7),
)
OFFSET = pd.Timedelta(hours=8)  # Beijing business dates of UTC instants
DAY = pd.Timedelta(days=1)
PHONE, SMS = ContactChannel.PHONE, ContactChannel.SMS
RENEWAL = list(ServiceKind).index(ServiceKind.INSURANCE_RENEWAL)
INDIVIDUAL = list(CustomerKind).index(CustomerKind.INDIVIDUAL)
FESTIVALS = (
    Festival.SPRING_FESTIVAL,
    Festival.DRAGON_BOAT,
    Festival.MID_AUTUMN,
    Festival.NATIONAL_DAY,
)
FIRST_LUNAR, LAST_LUNAR = pd.Timestamp("1900-01-31"), pd.Timestamp("2101-01-28")  # the table's
RESOLVED = list(ComplaintAction).index(ComplaintAction.RESOLVED)
SETTLED = [RESOLVED, list(ComplaintAction).index(ComplaintAction.CLOSED)]
TOP = np.iinfo(np.int64).max  # the priority of a day already contacted: above every task


# ------------------------------------------------------------------ the data


def draw(n: int, seed: int = 1) -> Tables:
    """Synthetic tables with consents and 3DC calls drawn column by column."""
    base = synthetic.tables(n, seed=seed)
    rng = np.random.default_rng(seed)
    owners = base.ownerships
    first = np.full(n, np.datetime64("2020-01-01"), dtype="datetime64[D]")
    np.minimum.at(first, owners["customer"], owners["start"])
    who, purpose, channel = [], [], []
    for p, c, share in SHARES:
        rows = np.flatnonzero(rng.random(n) < share)
        who.append(rows)
        purpose.append(np.full(len(rows), list(ConsentPurpose).index(p)))
        channel.append(np.full(len(rows), list(ContactChannel).index(c)))
    customers = np.concatenate(who)
    m = len(customers)
    consents = Table(
        base.consents.schema,
        {
            "id": np.char.add("K", np.arange(m).astype(str)),
            "customer": customers.astype(np.int64),
            "purpose": np.concatenate(purpose).astype(np.int8),
            "channel": np.concatenate(channel).astype(np.int8),
            "granted": np.ones(m, dtype=bool),
            "at": first[customers].astype("datetime64[us]") + np.timedelta64(2, "h"),
        },
    )
    orders = base.orders
    closed = orders["closed_at"]
    end = np.datetime64(AS_OF, "us")
    recent = np.flatnonzero(~np.isnat(closed) & (closed >= end - np.timedelta64(40, "D")))
    made = recent[rng.random(len(recent)) < 0.85]
    when = closed[made] + np.timedelta64(3, "D")
    made, when = made[when <= end], when[when <= end]
    k = len(made)
    reached = rng.random(k) < 0.8
    outcomes = list(ContactOutcome)
    contacts = Table(
        base.contacts.schema,
        {
            "id": np.char.add("X", np.arange(k).astype(str)),
            "customer": orders["customer"][made],
            "vehicle": orders["vehicle"][made],
            "channel": np.zeros(k, dtype=np.int8),
            "purpose": np.full(k, list(ContactPurpose).index(ContactPurpose.FOLLOW_UP_3D), np.int8),
            "outcome": np.where(
                reached,
                outcomes.index(ContactOutcome.REACHED),
                outcomes.index(ContactOutcome.NO_ANSWER),
            ).astype(np.int8),
            "at": when,
            "staff": np.full(k, None, dtype=object),
            "order": made.astype(np.int64),
            "note": np.full(k, None, dtype=object),
        },
    )
    held = {table.schema.name: table for table in base}
    made = {"consents": consents, "contacts": contacts}
    return Tables(base.currency, **(held | made | complaints(base, rng)))


def complaints(base: Tables, rng: np.random.Generator) -> dict[str, Table]:
    """1 % of the customers file a complaint in the 90 days before AS_OF; each is
    acknowledged an hour later, 80 % resolved 1 to 20 days after, a fifth of those
    reopened 2 days later and resolved again 5 days after that, half of the resolved
    closed 3 days after their last resolution (some of these facts fall after AS_OF)."""
    n = len(base.customers)
    who = np.flatnonzero(rng.random(n) < 0.01)
    m = len(who)
    end = np.datetime64(AS_OF, "us") + np.timedelta64(16, "h")  # the end of AS_OF in Beijing
    filed = end - rng.integers(3_600, 90 * 86_400, m).astype("timedelta64[s]")
    filed = filed.astype("datetime64[us]")
    hour, day = np.timedelta64(1, "h"), np.timedelta64(1, "D")
    resolved = rng.random(m) < 0.8
    reopened = resolved & (rng.random(m) < 0.2)
    first = filed + rng.integers(1, 21, m) * day
    last = np.where(reopened, first + 7 * day, first)
    closed = resolved & (rng.random(m) < 0.5)
    actions = list(ComplaintAction)
    steps = [
        (np.ones(m, bool), filed + hour, ComplaintAction.ACKNOWLEDGED),
        (resolved, first, ComplaintAction.RESOLVED),
        (reopened, first + 2 * day, ComplaintAction.REOPENED),
        (reopened, last, ComplaintAction.RESOLVED),
        (closed, last + 3 * day, ComplaintAction.CLOSED),
    ]
    complaint = np.concatenate([np.flatnonzero(rows) for rows, _, _ in steps])
    k = len(complaint)
    kept = {
        "id": np.char.add("Q", np.arange(m).astype(str)),
        "customer": who.astype(np.int64),
        "at": filed,
        "category": np.zeros(m, np.int8),
        "severity": np.zeros(m, np.int8),
        "channel": np.zeros(m, np.int8),
        "order": np.full(m, -1, np.int64),
        "description": np.full(m, None, dtype=object),
    }
    updates = {
        "id": np.char.add("U", np.arange(k).astype(str)),
        "complaint": complaint.astype(np.int64),
        "at": np.concatenate([at[rows] for rows, at, _ in steps]),
        "action": np.concatenate(
            [np.full(int(rows.sum()), actions.index(a), np.int8) for rows, _, a in steps]
        ),
        "verdict": np.full(k, -1, np.int8),
        "staff": np.full(k, None, dtype=object),
        "note": np.full(k, None, dtype=object),
    }
    return {
        "complaints": Table(base.complaints.schema, kept),
        "complaint_updates": Table(base.complaint_updates.schema, updates),
    }


def features_of(tables: Tables) -> tuple[Any, np.ndarray]:
    """What the baseline reads from the library: the vehicle features, and the customers
    the loyalty × value matrix (fitted on the customer features) says to win back."""
    feats = features.compute(tables, as_of=AS_OF)
    fitted = LoyaltyValueMatrix().fit(feats)
    strategies = fitted.strategies(fitted.assign(feats))
    lost = np.flatnonzero(strategies.codes == strategies.names.index(Strategy.WIN_BACK.value))
    return feats.vehicles, lost


def frames(tables: Tables, vehicles: Any, lost: np.ndarray) -> dict[str, pd.DataFrame]:
    """The DataFrames the pandas baseline starts from (rows as positions, as in the tables)."""
    t = tables
    return {
        "lost": pd.DataFrame({"customer": lost}),
        "customers": pd.DataFrame(
            {k: t.customers[k] for k in ("id", "kind", "birthday", "lunar_birthday")}
        ),
        "lines": pd.DataFrame({k: t.lines[k] for k in ("order", "kind")}),
        "orders": pd.DataFrame(
            {k: t.orders[k] for k in ("id", "customer", "vehicle", "opened_at", "closed_at")}
        ),
        "vehicles": pd.DataFrame(
            {
                "vin": t.vehicles["vin"],
                "purchase": t.vehicles["purchase_date"],
                "sold_here": t.vehicles["sold_here"],
                "owner": vehicles["owner"],
                "first_maintenance": vehicles["first_maintenance"],
                "last_service": vehicles["last_service"],
                "service_due": vehicles["service_due"],
                "km_per_day": vehicles["km_per_day"],
                "last_mileage": vehicles["last_mileage"],
                "last_visit": vehicles["last_visit"],
            }
        ),
        "ownerships": pd.DataFrame(
            {k: t.ownerships[k] for k in ("customer", "vehicle", "start", "end")}
        ),
        "consents": pd.DataFrame(
            {k: t.consents[k] for k in ("customer", "purpose", "channel", "granted", "at")}
        ),
        "contacts": pd.DataFrame(
            {k: t.contacts[k] for k in ("customer", "vehicle", "purpose", "outcome", "at", "order")}
        ),
        "complaints": pd.DataFrame({k: t.complaints[k] for k in ("customer", "at", "order")}),
        "updates": pd.DataFrame({k: t.complaint_updates[k] for k in ("complaint", "at", "action")}),
    }


# ------------------------------------------------------------------ the baseline


def day_of(instants: pd.Series) -> pd.Series:
    return (instants + OFFSET).dt.floor("D")


def add_months(days: pd.Series, months: pd.Series | int) -> pd.Series:
    """Whole months after each day, as pandas' DateOffset adds them (month ends clamped)."""
    if isinstance(months, int):
        return days + pd.DateOffset(months=months)
    out = days.copy()
    for step in np.unique(months):
        rows = months == step
        out[rows] = days[rows] + pd.DateOffset(months=int(step))
    return out


class Span(NamedTuple):
    """What every rule of the baseline knows: ``as_of``, and the days whose tasks may show
    (those asked for, the lookback, and room for the whole weeks and months the frequency
    cap widens them to; the rules give every task whose window meets them, then one filter
    keeps the planner's)."""

    as_of: pd.Timestamp
    low: pd.Timestamp
    high: pd.Timestamp


def task_frame(
    rows: pd.DataFrame,
    kind: str,
    due: Any,
    end: Any,
    anchor: Any,
    priority: int,
    earliest: Any = None,
) -> pd.DataFrame:
    """Tasks of ``kind`` for ``rows`` (columns customer, vehicle, source, table): those
    due by the end of their window, and not before ``earliest``."""
    keep = pd.Series(due <= end, index=rows.index)
    if earliest is not None:
        keep &= due >= earliest
    return rows.loc[keep, ["customer", "vehicle", "source", "table"]].assign(
        kind=kind, due=due, end=end, anchor=anchor, priority=priority
    )


def reminders(
    rows: pd.DataFrame,
    kind: str,
    target: pd.Series,
    days: tuple[int, ...],
    earliest: pd.Series,
    priority: int,
) -> list[pd.DataFrame]:
    """Reminders ``days`` before each target, each open until the next, the last until the
    day before the target; none before ``earliest``."""
    touch = [target - pd.Timedelta(days=d) for d in days]
    ends = [*touch[1:], target]
    return [
        task_frame(rows, kind, due, stop - DAY, rows["anchor"], priority, earliest)
        for due, stop in zip(touch, ends, strict=True)
    ]


def owned(v: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The vehicles owned on ``as_of`` and bought by then, as task rows."""
    o = v[(v["owner"] >= 0) & v["purchase"].notna() & (v["purchase"] <= as_of)]
    return pd.DataFrame(
        {
            "customer": o["owner"],
            "vehicle": o.index,
            "source": "v" + o.index.astype(str),
            "table": "vehicles",
            "anchor": o["purchase"],
        },
        index=o.index,
    )


def follow_up_calls(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """3DC and 7DC calls after services (closed orders) and sales (deliveries here)."""
    o = f["orders"].dropna(subset=["closed_at"]).assign(day=lambda d: day_of(d["closed_at"]))
    o = o[o["day"] <= s.as_of]
    svc = pd.DataFrame(
        {
            "customer": o["customer"],
            "vehicle": o["vehicle"],
            "day": o["day"],
            "source": "o" + o.index.astype(str),
            "table": "orders",
        }
    )
    v = f["vehicles"]
    w = f["ownerships"].merge(v[["purchase", "sold_here"]], left_on="vehicle", right_index=True)
    w = w[
        w["sold_here"]
        & (w["start"] <= w["purchase"])
        & (w["end"].isna() | (w["end"] > w["purchase"]))
        & (w["purchase"] <= s.as_of)
    ]
    sale = pd.DataFrame(
        {
            "customer": w["customer"],
            "vehicle": w["vehicle"],
            "day": w["purchase"],
            "source": "v" + w["vehicle"].astype(str),
            "table": "vehicles",
        }
    )
    parts = []
    for purpose, days in FOLLOW_UP_DAYS.items():
        for frame in (svc, sale):
            due = frame["day"] + pd.Timedelta(days=days)
            parts.append(
                task_frame(frame, purpose.value, due, due + pd.Timedelta(days=2), frame["day"], 50)
            )
    return parts


def first_maintenance(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """First maintenance: 6 months or 5,000 km, reminders 30 and 7 days before."""
    v = f["vehicles"]
    fm = v.loc[owned(v, s.as_of).index]
    fm = fm[fm["first_maintenance"].isna()]
    rows = owned(fm, s.as_of)
    by_time = fm["purchase"] + pd.DateOffset(months=6)
    read = fm["last_mileage"].notna() & fm["last_visit"].notna()
    start_km = fm["last_visit"].where(read, fm["purchase"])
    left = (5000 - fm["last_mileage"].where(read, 0.0)).clip(lower=0)
    km_days = np.ceil(left / fm["km_per_day"]).where(fm["km_per_day"] > 0)
    by_km = start_km + pd.to_timedelta(km_days.fillna(0), unit="D")
    deadline = by_km.where(km_days.notna() & (by_km < by_time), by_time)
    touches = [
        (deadline - pd.Timedelta(days=d)).clip(lower=fm["purchase"] + pd.Timedelta(days=1))
        for d in (30, 7)
    ]
    ends = [touches[1] - pd.Timedelta(days=1), deadline]
    return [
        task_frame(rows, "first_maintenance_due", due, stop, fm["purchase"], 70)
        for due, stop in zip(touches, ends, strict=True)
    ]


def cadence(f: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[pd.Series]]:
    """The vehicles with a last service, as task rows, and the days of their maintenance
    touches 2 and 1 months before the features' due day, on it, 1 and 2 months after (by
    time from the last service, by mileage from the due day). Made once per run (the
    planner shares it between maintenance and win-back too)."""
    if "cadence" in f:
        return f["cadence"]  # type: ignore[return-value]
    v = f["vehicles"]
    mt = v[(v["owner"] >= 0) & v["last_service"].notna()]
    rows = pd.DataFrame(
        {"customer": mt["owner"], "vehicle": mt.index, "source": "v" + mt.index.astype(str)},
        index=mt.index,
    ).assign(table="vehicles", anchor=mt["last_service"])
    by_time = mt["last_service"] + pd.DateOffset(months=6)
    km_limb = mt["service_due"] < by_time
    touch = [
        (mt["service_due"] + pd.DateOffset(months=k)).where(
            km_limb, mt["last_service"] + pd.DateOffset(months=6 + k)
        )
        for k in (-2, -1, 0, 1, 2)
    ]
    f["cadence"] = (rows, touch)  # type: ignore[assignment]
    return rows, touch


def maintenance(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """Maintenance: a touch open until the next, the first a month after the last service."""
    rows, touch = cadence(f)
    earliest = rows["anchor"] + pd.DateOffset(months=1)
    parts = []
    for k in range(4):
        due, stop = touch[k], touch[k + 1] - DAY
        parts.append(task_frame(rows, "maintenance_due", due, stop, rows["anchor"], 60, earliest))
    return parts


def insurance_renewal(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """A year after the latest renewal sold here (a line of an order closed by as_of), or
    after the purchase: reminders 45 and 15 days before each expiry."""
    rows = owned(f["vehicles"], s.as_of)
    o = f["orders"].dropna(subset=["closed_at"])
    sold = f["lines"][f["lines"]["kind"] == RENEWAL].merge(
        o.assign(day=day_of(o["closed_at"])), left_on="order", right_index=True
    )
    sold = sold[(sold["day"] <= s.as_of) & (sold["vehicle"] >= 0)]
    renewed = sold.groupby("vehicle")["day"].max().reindex(rows.index)
    rows["anchor"] = renewed.where(renewed >= rows["anchor"], rows["anchor"])
    parts = []
    born = rows["anchor"].dt.year
    for year in range(s.low.year - 1, s.high.year + 2):
        some = rows[born < year]
        target = add_months(some["anchor"], 12 * (year - some["anchor"].dt.year))
        parts += reminders(some, "insurance_renewal", target, (45, 15), some["anchor"] + DAY, 55)
    return parts


def annual_inspection(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """The inspections of the schedule's ages after the purchase: reminders 30 and 7 days
    before each."""
    rows = owned(f["vehicles"], s.as_of)
    month = rows["anchor"].dt.year * 12 + rows["anchor"].dt.month
    low, high = s.low.year * 12 + s.low.month, s.high.year * 12 + s.high.month
    parts = []
    for step in INSPECTION_SCHEDULE:
        stop = 12 * (30 if step.to_years is None else step.to_years)
        for age in range(12 * step.from_years + step.every_months, stop + 1, step.every_months):
            some = rows[(month + age >= low - 1) & (month + age <= high + 2)]
            target = some["anchor"] + pd.DateOffset(months=age)
            earliest = some["anchor"] + DAY
            parts += reminders(some, "annual_inspection", target, (30, 7), earliest, 55)
    return parts


def warranty_ending(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """36 months or 60,000 km from the purchase, whichever first: reminders 60 and 14 days
    before."""
    rows = owned(f["vehicles"], s.as_of)
    v = f["vehicles"].loc[rows.index]
    by_time = v["purchase"] + pd.DateOffset(months=36)
    read = v["last_mileage"].notna() & (v["last_visit"] >= v["purchase"])
    start_km = v["last_visit"].where(read, v["purchase"])
    left = (60_000 - v["last_mileage"].where(read, 0.0)).clip(lower=0)
    km_days = np.ceil(left / v["km_per_day"]).where(v["km_per_day"] > 0)
    by_km = start_km + pd.to_timedelta(km_days.fillna(0), unit="D")
    ends = by_km.where(km_days.notna() & (by_km < by_time), by_time)
    return reminders(rows, "warranty_ending", ends, (60, 14), v["purchase"] + DAY, 55)


def greetings(
    rows: pd.DataFrame, born: pd.Series, kind: str, s: Span, priority: int = 30
) -> list[pd.DataFrame]:
    """A greeting on each anniversary of ``born`` (29 February on the 28th in common years)."""
    parts = []
    for year in range(s.low.year, s.high.year + 1):
        some = rows[born.dt.year < year]
        day = add_months(born[some.index], 12 * (year - born[some.index].dt.year))
        parts.append(task_frame(some, kind, day, day, born[some.index], priority))
    return parts


def owners(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The customers who own a vehicle, as task rows (no vehicle)."""
    c = f["customers"]
    who = np.unique(f["vehicles"]["owner"][f["vehicles"]["owner"] >= 0])
    return pd.DataFrame(
        {"customer": who, "vehicle": -1, "source": "c" + pd.Index(who).astype(str)},
        index=who,
    ).assign(table="customers", anchor=c["birthday"].iloc[who].to_numpy())


def owner_birthday(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """Individual owners with a (solar) birthday, greeted on the day."""
    c = f["customers"]
    rows = owners(f)
    solar = (c["kind"] == INDIVIDUAL) & c["birthday"].notna() & ~c["lunar_birthday"]
    rows = rows[solar.iloc[rows.index].to_numpy()]
    return greetings(rows, rows["anchor"], "owner_birthday", s)


def lunar_birthday(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """Individual owners who keep the lunar birthday, greeted on it: its lunar month and
    day in each lunar year, a leap-month birthday in the ordinary month in years without
    that leap month, a 30th on the 29th of a 29-day month. The lunar date of each day is
    the library's lunar table, read as data (``calendars.lunar_dates``)."""
    c = f["customers"]
    rows = owners(f)
    keep = (c["kind"] == INDIVIDUAL) & c["birthday"].between(FIRST_LUNAR, LAST_LUNAR)
    rows = rows[(keep & c["lunar_birthday"]).iloc[rows.index].to_numpy()]
    born = lunar_dates(rows["anchor"].to_numpy().astype("datetime64[D]"))
    rows = rows.assign(born=born.year, month=born.month, day=born.day, leap=born.leap)
    days = pd.date_range(s.low, s.high)
    cal = lunar_dates(days.to_numpy().astype("datetime64[D]"))
    cal = pd.DataFrame(
        {"on": days, "year": cal.year, "month": cal.month, "day": cal.day, "leap": cal.leap}
    )
    months = cal.groupby(["year", "month", "leap"], as_index=False)["day"].max()
    months["has_leap"] = months.groupby(["year", "month"])["leap"].transform("any")
    # Each birthday's month in each lunar year: the leap month when it is a leap-month
    # birthday and the year has one, else the ordinary month.
    pairs = rows.merge(months, on="month", suffixes=("", "_m"))
    pairs = pairs[
        (pairs["year"] > pairs["born"]) & (pairs["leap_m"] == (pairs["leap"] & pairs["has_leap"]))
    ]
    pairs = pairs.assign(day=np.minimum(pairs["day"], pairs["day_m"]), leap=pairs["leap_m"])
    found = pairs.merge(cal, on=["year", "month", "leap", "day"])
    return [task_frame(found, "lunar_birthday", found["on"], found["on"], found["anchor"], 30)]


def vehicle_anniversary(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """Each owned vehicle greeted on its purchase anniversaries."""
    rows = owned(f["vehicles"], s.as_of)
    return greetings(rows, rows["anchor"], "vehicle_anniversary", s)


def win_back(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """The matrix's lost customers of high value, a call due on as_of; and each vehicle
    maintenance hands over, the day after its last reminder's window (the day the touch 2
    months after the due day would fall), its owner called; both open for 30 days."""
    lost = f["lost"].assign(vehicle=-1, table="customers")
    lost["source"] = "c" + lost["customer"].astype(str)
    rows, touch = cadence(f)
    last, day = touch[3], touch[4]
    rows = rows[(last <= day - DAY) & (last >= rows["anchor"] + pd.DateOffset(months=1))]
    day = day[rows.index]
    window = pd.Timedelta(days=30)
    return [
        task_frame(lost, "win_back", s.as_of, s.as_of + window, pd.NaT, 40),
        task_frame(rows, "win_back", day, day + window, rows["anchor"], 40),
    ]


def complaint_follow_up(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """A call 7 days after each complaint's resolution, open 3 more days: complaints whose
    latest step known by as_of resolved or closed them, from their latest resolution."""
    u = f["updates"]
    u = u[day_of(u["at"]) <= s.as_of].sort_values("at", kind="stable")
    latest = u.groupby("complaint")["action"].last()
    settled = latest[latest.isin(SETTLED)].index
    resolved = u[u["action"] == RESOLVED].groupby("complaint")["at"].max()
    anchor = day_of(resolved.reindex(settled).dropna())
    q = f["complaints"].loc[anchor.index]
    vehicle = f["orders"]["vehicle"].reindex(q["order"]).fillna(-1).astype(np.int64)
    rows = pd.DataFrame(
        {
            "customer": q["customer"],
            "vehicle": vehicle.to_numpy(),
            "source": "q" + q.index.astype(str),
            "table": "complaints",
        },
        index=q.index,
    )
    due = anchor + pd.Timedelta(days=7)
    return [task_frame(rows, "complaint_follow_up", due, due + pd.Timedelta(days=3), anchor, 75)]


def festival_greetings(f: dict[str, pd.DataFrame], s: Span) -> list[pd.DataFrame]:
    """Every owner, 3 days before each of the four festivals (the library's dates as data)."""
    rows = owners(f)
    parts = []
    for year in range(s.low.year, s.high.year + 1):
        for festival in FESTIVALS:
            on = pd.Timestamp(festival.on(year))
            some = rows.assign(source=festival.value, table="festivals")
            parts.append(task_frame(some, "festival_greeting", on - 3 * DAY, on, pd.NaT, 20))
    return parts


RULES: dict[str, Any] = {
    "FollowUpCalls": follow_up_calls,
    "FirstMaintenanceDue": first_maintenance,
    "MaintenanceDue": maintenance,
    "InsuranceRenewal": insurance_renewal,
    "AnnualInspection": annual_inspection,
    "WarrantyEnding": warranty_ending,
    "OwnerBirthday": owner_birthday,
    "LunarBirthday": lunar_birthday,
    "VehicleAnniversary": vehicle_anniversary,
    "FestivalGreetings": festival_greetings,
    "ComplaintFollowUp": complaint_follow_up,
    "WinBack": win_back,
}
"""The baseline's rules in pandas, by the name of the planner's rule each stands for."""

_REMINDED = (ContactPurpose.REMINDER, ContactPurpose.APPOINTMENT)
KINDS: dict[str, tuple[ContactPurpose, tuple[ContactPurpose, ...], str, ContactChannel]] = {
    "follow_up_3d": (ContactPurpose.FOLLOW_UP_3D, (ContactPurpose.FOLLOW_UP_3D,), "anchor", PHONE),
    "follow_up_7d": (ContactPurpose.FOLLOW_UP_7D, (ContactPurpose.FOLLOW_UP_7D,), "anchor", PHONE),
    **dict.fromkeys(
        (
            "first_maintenance_due",
            "maintenance_due",
            "insurance_renewal",
            "annual_inspection",
            "warranty_ending",
        ),
        (ContactPurpose.REMINDER, _REMINDED, "window", PHONE),
    ),
    "owner_birthday": (ContactPurpose.BIRTHDAY, (ContactPurpose.BIRTHDAY,), "window", SMS),
    "lunar_birthday": (ContactPurpose.BIRTHDAY, (ContactPurpose.BIRTHDAY,), "window", SMS),
    "vehicle_anniversary": (ContactPurpose.CARE, (ContactPurpose.CARE,), "window", SMS),
    "festival_greeting": (ContactPurpose.CARE, (ContactPurpose.CARE,), "window", SMS),
    "complaint_follow_up": (ContactPurpose.FOLLOW_UP, (ContactPurpose.FOLLOW_UP,), "anchor", PHONE),
    "win_back": (ContactPurpose.SOLICITATION, (ContactPurpose.SOLICITATION,), "window", PHONE),
}
"""Per task kind: its purpose, the purposes of the contacts that close it, from its anchor
or its window, and its channel (the rules' defaults)."""


def baseline(
    f: dict[str, pd.DataFrame],
    start: date,
    end: date,
    rules: tuple[str, ...] = tuple(RULES),
    lookback: int = 14,
) -> pd.DataFrame:
    """The planner's agenda with ``rules`` in pandas: tasks, statuses, sorted."""
    as_of = pd.Timestamp(AS_OF)
    low, high = pd.Timestamp(start) - pd.Timedelta(days=lookback), pd.Timestamp(end)
    span = Span(as_of, low - pd.Timedelta(days=120), high + pd.Timedelta(days=120))
    f = dict(f)  # what one run makes for several rules (the maintenance cadence)
    parts = [part for name in rules for part in RULES[name](f, span)]
    tasks = pd.concat(parts, ignore_index=True)
    shown = (tasks["end"] >= low) & (tasks["due"] <= high)
    months = tasks.loc[shown, "due"]
    first = (
        min(
            months.min().to_period("M").start_time,
            months.min() - pd.Timedelta(days=months.min().day_of_week),
        )
        if len(months)
        else low
    )
    last = (
        max(
            months.max().to_period("M").end_time.normalize(),
            months.max() + pd.Timedelta(days=6 - months.max().day_of_week),
        )
        if len(months)
        else high
    )
    tasks = tasks[
        (tasks["end"] >= min(first, low)) & (tasks["due"] <= max(last, high))
    ].reset_index(drop=True)
    consents = list(ConsentPurpose)
    tasks["consent"] = tasks["kind"].map(
        {k: consents.index(CONSENT_PURPOSES[p]) for k, (p, *_) in KINDS.items()}
    )
    tasks["channel"] = tasks["kind"].map(
        {k: list(ContactChannel).index(c) for k, (*_, c) in KINDS.items()}
    )
    # Consent on the day judged: the latest change by then, a withdrawal winning.
    judged = tasks["due"].clip(lower=as_of) + pd.Timedelta(days=1)
    c = f["consents"]
    c = c[day_of(c["at"]) <= as_of].assign(
        key=lambda d: d["customer"] * 100 + d["purpose"] * 10 + d["channel"],
        t=lambda d: d["at"] + OFFSET,
    )
    c = c.sort_values(["t", "granted"], ascending=[True, False])
    q = pd.DataFrame(
        {
            "key": tasks["customer"] * 100 + tasks["consent"] * 10 + tasks["channel"],
            "t": judged,
            "row": tasks.index,
        }
    ).sort_values("t")
    found = pd.merge_asof(
        q, c[["key", "t", "granted"]], on="t", by="key", allow_exact_matches=False
    )
    tasks["ok"] = (
        found.set_index("row")["granted"].reindex(tasks.index).fillna(value=False).astype(bool)
    )
    # Do not contact: the latest such answer per customer and consent, unless granted again.
    calls = f["contacts"][day_of(f["contacts"]["at"]) <= as_of]
    asked = calls[calls["outcome"] == list(ContactOutcome).index(ContactOutcome.DO_NOT_CONTACT)]
    if len(asked):
        to_consent = {
            i: list(ConsentPurpose).index(CONSENT_PURPOSES[p]) for i, p in enumerate(ContactPurpose)
        }
        asked = (
            asked.assign(consent=asked["purpose"].map(to_consent))
            .groupby(["customer", "consent"])["at"]
            .max()
        )
        granted = (
            c[c["granted"]]
            .groupby(["customer", "purpose"])["at"]
            .max()
            .rename_axis(["customer", "consent"])
        )
        stop = asked[~(granted.reindex(asked.index) > asked)]
        hit = tasks.set_index(["customer", "consent"]).index.isin(stop.index)
        tasks["ok"] &= ~hit
    # Cooling off after a complaint (30 days), for marketing and surveys.
    if len(f["complaints"]):
        q = f["complaints"].assign(t=day_of(f["complaints"]["at"]))
        q = q[q["t"] <= as_of].sort_values("t")
        ref = pd.DataFrame(
            {"customer": tasks["customer"], "t": tasks["due"].clip(lower=as_of), "row": tasks.index}
        ).sort_values("t")
        last = pd.merge_asof(
            ref,
            q[["customer", "t"]].rename(columns={"t": "filed"}),
            left_on="t",
            right_on="filed",
            by="customer",
        )
        recent = (last["t"] - last["filed"]).dt.days <= 30
        cooled = (
            pd.Series(recent.to_numpy(), index=last["row"]).reindex(tasks.index).fillna(value=False)
        )
        quiet = [consents.index(ConsentPurpose.MARKETING), consents.index(ConsentPurpose.SURVEY)]
        tasks["ok"] &= ~(cooled & tasks["consent"].isin(quiet) & (tasks["table"] != "complaints"))
    # Frequency cap over the allowed tasks: 2 contact days a week, then 4 a month. The days
    # already contacted (every contact known by as_of) rank first and always count for
    # their month; a task on such a day joins that contact.
    allowed = tasks[tasks["ok"]]
    made = pd.DataFrame(
        {"customer": calls["customer"], "due": day_of(calls["at"]), "priority": TOP}
    )
    days = (
        pd.concat([allowed[["customer", "due", "priority"]], made])
        .groupby(["customer", "due"], as_index=False)["priority"]
        .max()
    )
    days["week"] = (days["due"] - pd.Timestamp("1970-01-05")).dt.days // 7
    days["month"] = days["due"].dt.to_period("M")
    days = days.sort_values(["priority", "due"], ascending=[False, True])
    days["over"] = days.groupby(["customer", "week"]).cumcount() >= 2
    counted = days[~days["over"] | (days["priority"] == TOP)]
    over_month = counted.groupby(["customer", "month"]).cumcount() >= 4
    days["over"] |= over_month.reindex(days.index, fill_value=False)
    capped = days.loc[days["over"], ["customer", "due"]].assign(capped=True)
    tasks = tasks.merge(capped, on=["customer", "due"], how="left")
    tasks["ok"] &= tasks["capped"].isna()
    tasks = tasks[(tasks["end"] >= low) & (tasks["due"] <= high)].copy()
    # Closed by a reached call of the purpose since the anchor (3DC) or the window (reminders).
    calls = f["contacts"]
    calls = calls[
        (calls["outcome"] == list(ContactOutcome).index(ContactOutcome.REACHED))
        & (day_of(calls["at"]) <= as_of)
    ]
    calls = calls.assign(
        day=day_of(calls["at"]),
        purpose=calls["purpose"].map(lambda p: list(ContactPurpose)[p].value),
    )
    tasks["row"] = np.arange(len(tasks))
    closers = pd.DataFrame(
        [(k, p.value, frm) for k, (_, ps, frm, _) in KINDS.items() for p in ps],
        columns=["kind", "purpose", "from"],
    )
    pairs = tasks.merge(closers, on="kind").merge(
        calls, on=["customer", "purpose"], suffixes=("", "_c")
    )
    since = pairs["anchor"].where(pairs["from"] == "anchor", pairs["due"])
    match = (pairs["day"] >= since) & (
        (pairs["vehicle_c"] < 0) | (pairs["vehicle"] < 0) | (pairs["vehicle_c"] == pairs["vehicle"])
    )
    match &= (
        (pairs["table"] != "orders")
        | (pairs["order"] < 0)
        | ("o" + pairs["order"].astype(str) == pairs["source"])
    )
    # Win-back is closed by a visit too: an order of the customer (for the task's vehicle,
    # if it has one) opened from the task's due day to as_of.
    o = f["orders"].assign(visit=day_of(f["orders"]["opened_at"]))
    o = o[o["visit"] <= as_of]
    back = tasks[tasks["kind"] == "win_back"].merge(
        o[["customer", "vehicle", "visit"]], on="customer", suffixes=("", "_o")
    )
    visited = (back["visit"] >= back["due"]) & (
        (back["vehicle"] < 0) | (back["vehicle_o"] == back["vehicle"])
    )
    tasks["closed"] = tasks["row"].isin(pairs.loc[match, "row"]) | tasks["row"].isin(
        back.loc[visited, "row"]
    )
    tasks["status"] = np.select(
        [tasks["closed"], ~tasks["ok"], tasks["end"] < as_of],
        ["closed", "blocked", "overdue"],
        "open",
    )
    ids = f["customers"]["id"]
    tasks["customer_id"] = ids.to_numpy()[tasks["customer"].to_numpy()]
    return tasks.sort_values(
        ["due", "priority", "customer_id", "kind"], ascending=[True, False, True, True]
    )


# ------------------------------------------------------------------ the run


def same(agenda: Any, frame: pd.DataFrame) -> bool:
    mine = sorted(
        zip(
            agenda.tasks.kind_names().tolist(),
            agenda.tasks.customer.tolist(),
            agenda.tasks.due.astype(str).tolist(),
            [list(TaskStatus)[s].value for s in agenda.status],
            strict=True,
        )
    )
    theirs = sorted(
        zip(
            frame["kind"],
            frame["customer_id"],
            frame["due"].dt.strftime("%Y-%m-%d"),
            frame["status"],
            strict=True,
        )
    )
    return mine == theirs


BASELINE_RULES = tuple(rule for rule in Planner.RULES if type(rule).__name__ in RULES)
"""The planner's built-in rules the pandas baseline has, in the planner's order."""


class Measured(NamedTuple):
    """The figures of one size: the planner's agenda and seconds (best, and its first run's),
    the processor seconds of its best run (every thread, user and system), the features'
    and the pandas baseline's seconds, whether the baseline agrees, and the agenda and
    seconds of ``Planner()``."""

    agenda: Any
    seconds: float
    first: float
    cpu: float
    features: float
    pandas: float
    same: bool
    every: Any
    every_seconds: float


def measure(n: int, days: int, repeat: int) -> Measured:
    """The agenda of ``days`` days on ``n`` customers: planner, features and pandas seconds,
    then the agenda and seconds of ``Planner()``, every built-in rule.

    The planner's first run is the first agenda of that size in the process, on memory the
    process has not had yet: it is reported apart as well as counted in the best.
    """
    tables = draw(n)
    start = AS_OF + timedelta(days=1)
    end = start + timedelta(days=days - 1)
    planner = Planner(rules=BASELINE_RULES)

    runs: list[tuple[float, float]] = []  # wall and processor seconds of each run

    def plan() -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        out = planner.agenda(tables, start=start, end=end, as_of=AS_OF)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        return out

    _, agenda = best_seconds(plan, repeat)
    first = runs[0][0]
    seconds, cpu = min(runs)  # the run with the least wall time
    every_s, every = best_seconds(
        lambda: Planner().agenda(tables, start=start, end=end, as_of=AS_OF), repeat
    )
    feat_s, (vehicles, lost) = best_seconds(lambda: features_of(tables), repeat)
    given = frames(tables, vehicles, lost)
    base_s, frame = best_seconds(lambda: baseline(given, start, end), repeat)
    return Measured(
        agenda, seconds, first, cpu, feat_s, base_s + feat_s, same(agenda, frame), every, every_s
    )


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 customers")
    parser.add_argument("--repeat", type=int, default=REPEATS)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (figures rise with it)")
    names = [type(rule).__name__ for rule in BASELINE_RULES]
    others = [type(r).__name__ for r in Planner.RULES if type(r).__name__ not in names]
    print(f"baseline rules ({len(names)} of {len(Planner.RULES)}): {', '.join(names)}")
    print(f"not in the baseline (Planner() only): {', '.join(others) or 'none'}")
    print(
        f"{'customers':>10} {'days':>5} {'tasks':>9} {'planner s':>10} {'1st s':>6} {'CPU s':>6}"
        f" {'features s':>16}"
        f" {'pandas s':>9} {'pandas/planner':>15} {'all-rule tasks':>15} {'Planner() s':>12}"
        f" {'÷ subset':>9}"
    )
    agree = True
    for n, days in QUICK_SIZES if args.quick else SIZES:
        m = measure(n, days, args.repeat)
        agree &= m.same
        print(
            f"{n:>10,} {days:>5} {len(m.agenda):>9,} {m.seconds:>10.2f} {m.first:>6.2f} {m.cpu:>6.2f}"
            f" {m.features:>16.2f} {m.pandas:>9.2f} {m.pandas / m.seconds:>14.1f}×"
            f" {len(m.every):>15,} {m.every_seconds:>12.2f} {m.every_seconds / m.seconds:>8.1f}×"
            + ("" if m.same else "  (tasks differ!)")
        )
    print(
        f"notes: wall time, best of {args.repeat}; '1st s' the planner's first run of the size"
        " (counted in its best), the process's first agenda of that size; 'CPU s' the processor"
        f" time of the planner's best run, every thread, user and system (on {os.cpu_count()} CPUs"
        " its wall time can be no less than that over the CPUs); the pandas figure adds the time of the"
        " features (customer and vehicle features, the matrix's win-back customers) to its"
        " rules'; the planner and pandas columns run the baseline's rules"
        " (Planner(rules=BASELINE_RULES)), Planner() every built-in rule, '÷ subset' its time"
        " over the planner's with the baseline's rules; drawing and DataFrames not timed;"
        f" numpy {np.__version__}, pandas {pd.__version__}"
    )
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
