"""The care agenda: ``care.Planner().agenda`` against the same rules written in pandas.

Draws ``synthetic.tables(n, seed=1)`` and adds, column by column, what the columnar draw
leaves to the Book: consent at each customer's first purchase (service reminders by phone
90 %, marketing by SMS 60 %, surveys by phone 70 %, the shares of the synthetic Book) and the
3DC call of 85 % of the orders closed in the last 40 days (80 % of them reaching the
customer). Times the planner with the three rules the baseline has (follow-up calls, first
maintenance, maintenance; consent, do not contact, cooling off, frequency cap), and
``Planner()`` with every built-in rule, for one day on 100,000 customers and for 30 days
on 1,000,000, best of a few runs.

Baseline, timed in the same run: the same rules written in idiomatic pandas
(``merge``, ``merge_asof``, ``groupby().rank()``, ``pd.DateOffset``), on DataFrames made
before the clock starts and on the same vehicle features (the time of
``features.compute_vehicles``, which both need, is added to the baseline's). The
baseline's tasks and statuses must equal the planner's. Timing is never asserted.

    .venv/bin/python benchmarks/bench_agenda.py [--quick] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from aftersales_crm import features, synthetic
from aftersales_crm.care import CONSENT_PURPOSES, Planner, TaskStatus
from aftersales_crm.records import ConsentPurpose, ContactOutcome
from aftersales_crm.tables import Table, Tables
from aftersales_crm.values import FOLLOW_UP_DAYS, ContactChannel, ContactPurpose
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
    return Tables(base.currency, **(held | {"consents": consents, "contacts": contacts}))


def frames(tables: Tables, vehicles: Any) -> dict[str, pd.DataFrame]:
    """The DataFrames the pandas baseline starts from (rows as positions, as in the tables)."""
    t = tables
    return {
        "customers": pd.DataFrame({"id": t.customers["id"]}),
        "orders": pd.DataFrame(
            {k: t.orders[k] for k in ("id", "customer", "vehicle", "closed_at")}
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
        "complaints": pd.DataFrame({k: t.complaints[k] for k in ("customer", "at")}),
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


def baseline(
    f: dict[str, pd.DataFrame], start: date, end: date, lookback: int = 14
) -> pd.DataFrame:
    """The planner's default agenda in pandas: tasks, statuses, sorted."""
    as_of = pd.Timestamp(AS_OF)
    parts = []
    # Follow-up calls after services and sales.
    o = f["orders"].dropna(subset=["closed_at"]).assign(day=lambda d: day_of(d["closed_at"]))
    o = o[o["day"] <= as_of]
    svc = pd.DataFrame(
        {
            "customer": o["customer"],
            "vehicle": o["vehicle"],
            "day": o["day"],
            "source": "o" + o.index.astype(str),
        }
    )
    v = f["vehicles"]
    w = f["ownerships"].merge(v[["purchase", "sold_here"]], left_on="vehicle", right_index=True)
    w = w[
        w["sold_here"]
        & (w["start"] <= w["purchase"])
        & (w["end"].isna() | (w["end"] > w["purchase"]))
        & (w["purchase"] <= as_of)
    ]
    sale = pd.DataFrame(
        {
            "customer": w["customer"],
            "vehicle": w["vehicle"],
            "day": w["purchase"],
            "source": "v" + w["vehicle"].astype(str),
        }
    )
    for purpose, days in FOLLOW_UP_DAYS.items():
        for frame in (svc, sale):
            due = frame["day"] + pd.Timedelta(days=days)
            parts.append(
                frame.assign(
                    kind=purpose.value,
                    due=due,
                    end=due + pd.Timedelta(days=2),
                    anchor=frame["day"],
                    priority=50,
                )
            )
    # First maintenance: 6 months or 5,000 km, reminders 30 and 7 days before.
    fm = v[
        (v["owner"] >= 0)
        & v["first_maintenance"].isna()
        & v["purchase"].notna()
        & (v["purchase"] <= as_of)
    ]
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
    for due, stop in zip(touches, ends, strict=True):
        keep = due <= stop
        parts.append(
            pd.DataFrame(
                {
                    "customer": fm["owner"],
                    "vehicle": fm.index,
                    "kind": "first_maintenance_due",
                    "due": due,
                    "end": stop,
                    "anchor": fm["purchase"],
                    "priority": 70,
                    "source": "v" + fm.index.astype(str),
                }
            )[keep]
        )
    # Maintenance: the features' due day, touches 2 and 1 months before, on it, 1 after.
    mt = v[(v["owner"] >= 0) & v["last_service"].notna()]
    by_time = mt["last_service"] + pd.DateOffset(months=6)
    km_limb = mt["service_due"] < by_time
    touch = [
        (mt["service_due"] + pd.DateOffset(months=k)).where(
            km_limb, mt["last_service"] + pd.DateOffset(months=6 + k)
        )
        for k in (-2, -1, 0, 1, 2)
    ]
    earliest = mt["last_service"] + pd.DateOffset(months=1)
    for k in range(4):
        due, stop = touch[k], touch[k + 1] - pd.Timedelta(days=1)
        keep = (due <= stop) & (due >= earliest)
        parts.append(
            pd.DataFrame(
                {
                    "customer": mt["owner"],
                    "vehicle": mt.index,
                    "kind": "maintenance_due",
                    "due": due,
                    "end": stop,
                    "anchor": mt["last_service"],
                    "priority": 60,
                    "source": "v" + mt.index.astype(str),
                }
            )[keep]
        )
    tasks = pd.concat(parts, ignore_index=True)
    low, high = pd.Timestamp(start) - pd.Timedelta(days=lookback), pd.Timestamp(end)
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
    purposes = {
        "follow_up_3d": ("survey", "follow_up_3d"),
        "follow_up_7d": ("survey", "follow_up_7d"),
        "first_maintenance_due": ("service_reminder", "reminder"),
        "maintenance_due": ("service_reminder", "reminder"),
    }
    tasks["consent"] = tasks["kind"].map(
        {k: list(ConsentPurpose).index(ConsentPurpose(c)) for k, (c, _) in purposes.items()}
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
            "key": tasks["customer"] * 100 + tasks["consent"] * 10 + 0,
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
    # Cooling off after a complaint (30 days), for surveys only here (no marketing task).
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
        tasks["ok"] &= ~(
            cooled & (tasks["consent"] == list(ConsentPurpose).index(ConsentPurpose.SURVEY))
        )
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
    tasks["purpose"] = tasks["kind"].map({k: p for k, (_, p) in purposes.items()})
    tasks["row"] = np.arange(len(tasks))
    pairs = tasks.merge(calls, on=["customer", "purpose"], suffixes=("", "_c"))
    since = pairs["anchor"].where(pairs["kind"].str.startswith("follow_up"), pairs["due"])
    match = (pairs["day"] >= since) & (
        (pairs["vehicle_c"] < 0) | (pairs["vehicle_c"] == pairs["vehicle"])
    )
    match &= (
        ~pairs["source"].str.startswith("o")
        | (pairs["order"] < 0)
        | ("o" + pairs["order"].astype(str) == pairs["source"])
    )
    tasks["closed"] = tasks["row"].isin(pairs.loc[match, "row"])
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


BASELINE_RULES = Planner.RULES[:3]
"""The rules the pandas baseline has: follow-up calls, first maintenance, maintenance."""


def measure(n: int, days: int, repeat: int) -> tuple[Any, float, float, float, bool, Any, float]:
    """The agenda of ``days`` days on ``n`` customers: planner, features and pandas seconds,
    then the agenda and seconds of ``Planner()``, every built-in rule (no baseline yet)."""
    tables = draw(n)
    start = AS_OF + timedelta(days=1)
    end = start + timedelta(days=days - 1)
    planner = Planner(rules=BASELINE_RULES)
    seconds, agenda = best_seconds(
        lambda: planner.agenda(tables, start=start, end=end, as_of=AS_OF), repeat
    )
    every_s, every = best_seconds(
        lambda: Planner().agenda(tables, start=start, end=end, as_of=AS_OF), repeat
    )
    feat_s, vehicles = best_seconds(lambda: features.compute_vehicles(tables, as_of=AS_OF), repeat)
    given = frames(tables, vehicles)
    base_s, frame = best_seconds(lambda: baseline(given, start, end), repeat)
    return agenda, seconds, feat_s, base_s + feat_s, same(agenda, frame), every, every_s


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 customers")
    parser.add_argument("--repeat", type=int, default=REPEATS)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (figures rise with it)")
    print(
        f"{'customers':>10} {'days':>5} {'tasks':>9} {'planner s':>10} {'vehicle feat. s':>16}"
        f" {'pandas s':>9} {'pandas/planner':>15} {'all-rule tasks':>15} {'Planner() s':>12}"
        f" {'÷ 3-rule':>9}"
    )
    agree = True
    for n, days in QUICK_SIZES if args.quick else SIZES:
        agenda, seconds, feat_s, total, ok, every, every_s = measure(n, days, args.repeat)
        agree &= ok
        print(
            f"{n:>10,} {days:>5} {len(agenda):>9,} {seconds:>10.2f} {feat_s:>16.2f} {total:>9.2f}"
            f" {total / seconds:>14.1f}× {len(every):>15,} {every_s:>12.2f}"
            f" {every_s / seconds:>8.1f}×" + ("" if ok else "  (tasks differ!)")
        )
    print(
        f"notes: wall time, best of {args.repeat}; the pandas figure adds the vehicle features'"
        " time to its rules'; the planner and pandas columns run the three rules the baseline"
        " has (follow-up calls, first maintenance, maintenance), Planner() every built-in"
        " rule (no pandas baseline of the other nine yet); drawing and DataFrames not timed;"
        f" numpy {np.__version__}, pandas {pd.__version__}"
    )
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
