"""The points ledger: entries per second on one member's ledger, and the batch at scale.

Two measurements, each against a plain pandas baseline timed in the same run:

1. **One member's ledger.** ``Ledger.replay`` of N entries (awards, redemptions, a few
   reversals and adjustments) and the fluent ``Ledger.apply`` chain over the same entries
   in order of time, in entries per second. Baseline: the same fold written with pandas (the
   lots in a DataFrame sorted by consumption order; each debit a masked ``cumsum`` over it).
2. **The batch.** ``membership.balances`` over 1,000,000 members and 10,000,000 entries
   (``--quick``: 100,000 and 1,000,000), drawn straight into tables, seeded. Baselines: a
   pandas ``groupby().sum()`` of the balance identity (the floor: sums only, no lots, so it
   can neither expire nor allocate), and a pandas ``groupby().apply`` of the per-member
   fold on a sample of members, extrapolated to all.

Timing is never asserted; each figure is the best of ``--repeat`` runs, and the batch's
first run (the first call in the process, on memory not yet mapped) is shown too. The
machine's load average is printed with the batch: the figures mean little on a busy one.

    .venv/bin/python benchmarks/bench_ledger.py [--members 1000000] [--entries 10000000]
        [--one 200000] [--quick] [--repeat 3] [--batch-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from aftersales_crm.membership import Ledger, balances
from aftersales_crm.membership._rules import expiry_instants
from aftersales_crm.records import PointsAdjusted, PointsEarned, PointsRedeemed, PointsReversed
from aftersales_crm.tables import SCHEMAS, Table, Tables

MEMBERS = 1_000_000
ENTRIES = 10_000_000
QUICK_MEMBERS = 100_000
QUICK_ENTRIES = 1_000_000
ONE_MEMBER = 200_000
SEED = 13
AS_OF = dt.datetime(2026, 11, 22, 16, tzinfo=dt.UTC)
YEARS_US = 3 * 365 * 86_400_000_000
#: shares of the entries by kind: awards, redemptions, reversals, adjustments, expiry records
SHARES = {"earned": 0.62, "redeemed": 0.25, "reversed": 0.02, "adjusted": 0.03, "expired": 0.08}


def best_seconds(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall time of ``repeat`` runs, and the last result."""
    times, _, result = timed(run, repeat)
    return min(times), result


def timed(run: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], Any]:
    """The wall and CPU times of each of ``repeat`` runs, and the last result.

    The CPU time (of this process) tells less of other processes' load than the wall time.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, result


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{i}" for i in range(n)], dtype=object)


def draw_members(n_members: int) -> Tables:
    """The club the entries belong to: one dealer, one chapter, a customer per member.

    Points entries name their member by reference to the ``members`` table, so the
    members come first (through ``Tables.from_arrays``: a few seconds for a million).
    """
    members = np.array([f"M{i:07d}" for i in range(n_members)], dtype=object)
    customers = np.array([f"C{i:07d}" for i in range(n_members)], dtype=object)
    return Tables.from_arrays(
        dealers={"id": ["D0"], "name": ["一号店"]},
        chapters={"id": ["CH0"], "dealer_id": ["D0"], "name": ["车友会"]},
        customers={"id": customers, "name": np.full(n_members, "车主", dtype=object)},
        members={
            "id": members,
            "customer_id": customers,
            "chapter_id": np.full(n_members, "CH0", dtype=object),
            "at": np.full(n_members, np.datetime64("2020-01-01T00:00", "us")),
        },
    )


def draw_tables(n_members: int, n_entries: int, seed: int = SEED) -> Tables:
    """Seeded points entry tables, drawn straight into arrays (no records, no ingest), with
    the members they belong to."""
    rng = np.random.default_rng(seed)
    sizes = {k: int(n_entries * v) for k, v in SHARES.items()}
    end = np.datetime64(AS_OF.replace(tzinfo=None), "us").astype(np.int64)
    club = draw_members(n_members)

    n = sizes["earned"]
    e_member = rng.integers(0, n_members, n).astype(np.int32)
    e_at = end - rng.integers(0, YEARS_US, n)
    e_source = np.arange(n, dtype=np.int32)
    dup = rng.random(n) < 0.01  # 1% of awards repeat an earlier award's source
    donor = rng.integers(0, n, int(dup.sum()))
    e_member[dup], e_source[dup] = e_member[donor], e_source[donor]
    expires = (e_at // 86_400_000_000 + 730).astype("datetime64[D]")
    expires[rng.random(n) < 0.2] = np.datetime64("NaT")
    pending = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    late = rng.random(n) < 0.1
    pending[late] = (e_at[late] + 14 * 86_400_000_000).astype("datetime64[us]")
    earned = Table(
        SCHEMAS["points_earned"],
        {
            "id": _ids("E", n),
            "member": e_member.astype(np.int64),  # the member's row in ``members``
            "amount": rng.integers(1, 800, n),
            "at": e_at.astype("datetime64[us]"),
            "source_id": e_source,
            "funder": rng.integers(0, 3, n).astype(np.int8),
            "dealer_id": rng.integers(0, 50, n).astype(np.int32),
            "pending_until": pending,
            "expires_on": expires,
        },
        {
            "source_id": tuple(f"RO{i}" for i in range(n)),
            "dealer_id": tuple(f"D{i}" for i in range(50)),
        },
    )
    n = sizes["redeemed"]
    # a redemption spends part of an award a few weeks after it (past any pending time)
    paid_from = rng.integers(0, sizes["earned"], n)
    r_amount = np.maximum(1, rng.integers(1, 800, n) // 6)
    redeemed = Table(
        SCHEMAS["points_redeemed"],
        {
            "id": _ids("R", n),
            "member": e_member[paid_from].astype(np.int64),
            "amount": r_amount,
            "at": (e_at[paid_from] + rng.integers(15, 60, n) * 86_400_000_000).astype(
                "datetime64[us]"
            ),
            "dealer_id": rng.integers(0, 50, n).astype(np.int32),
            "source_id": np.full(n, -1, dtype=np.int32),
        },
        {"dealer_id": tuple(f"D{i}" for i in range(50)), "source_id": ()},
    )
    n = sizes["reversed"]
    award = rng.integers(0, sizes["earned"], n)
    by_share = rng.random(n) < 0.5
    denominator = rng.integers(1, 10, n)
    reversed_ = Table(
        SCHEMAS["points_reversed"],
        {
            "id": _ids("V", n),
            "member": e_member[award].astype(np.int64),
            "at": (e_at[award] + rng.integers(0, 60 * 86_400_000_000, n)).astype("datetime64[us]"),
            "earned": award,
            "amount": np.where(by_share, -1, rng.integers(1, 400, n)),
            "share_numerator": np.where(by_share, rng.integers(1, denominator + 1), -1),
            "share_denominator": np.where(by_share, denominator, -1),
        },
    )
    n = sizes["adjusted"]
    sign = np.where(rng.random(n) < 0.5, -1, 1)
    adjusted = Table(
        SCHEMAS["points_adjusted"],
        {
            "id": _ids("J", n),
            "member": rng.integers(0, n_members, n),
            "amount": sign * rng.integers(1, 200, n),
            "at": (end - rng.integers(0, YEARS_US, n)).astype("datetime64[us]"),
            "reason": np.full(n, "correction", dtype=object),
            "funder": np.zeros(n, dtype=np.int8),
        },
    )
    n = sizes["expired"]
    lapsed = rng.integers(0, sizes["earned"], n)
    expired = Table(
        SCHEMAS["points_expired"],
        {
            "id": _ids("X", n),
            "member": e_member[lapsed].astype(np.int64),
            "amount": rng.integers(1, 100, n),
            "at": e_at[lapsed].astype("datetime64[us]"),
            "earned": lapsed,
        },
    )
    return Tables(
        "CNY",
        **{name: club[name] for name in ("dealers", "chapters", "customers", "members")},
        points_earned=earned,
        points_redeemed=redeemed,
        points_reversed=reversed_,
        points_adjusted=adjusted,
        points_expired=expired,
    )


# -- one member --------------------------------------------------------------------------


def one_member_entries(n: int, seed: int = SEED) -> list[Any]:
    """One member's entries in order of time: awards, redemptions (mostly within the
    balance: the ledger runs with tracked debt allowed), a few reversals and adjustments."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    out: list[Any] = []
    balance = 0
    awards: list[str] = []
    kinds = rng.random(n)
    for i in range(n):
        at = start + dt.timedelta(seconds=60 * i)
        if kinds[i] < 0.6 or balance < 10 or not awards:
            amount = int(rng.integers(1, 500))
            out.append(
                PointsEarned(
                    id=f"E{i}",
                    member_id="M1",
                    amount=amount,
                    at=at,
                    source_id=f"S{i}",
                    funder="hq",
                    dealer_id="D1",
                    expires_on=(at + dt.timedelta(days=int(rng.integers(1, 400)))).date(),
                )
            )
            awards.append(f"E{i}")
            balance += amount
        elif kinds[i] < 0.95:
            amount = int(rng.integers(1, max(2, balance // 20)))
            out.append(
                PointsRedeemed(id=f"R{i}", member_id="M1", amount=amount, at=at, dealer_id="D1")
            )
            balance -= amount
        elif kinds[i] < 0.98:
            out.append(
                PointsReversed(
                    id=f"V{i}",
                    member_id="M1",
                    at=at,
                    earned_id=awards[-1],
                    amount=int(rng.integers(1, 50)),
                )
            )
        else:
            out.append(
                PointsAdjusted(
                    id=f"J{i}",
                    member_id="M1",
                    amount=int(rng.integers(1, 50)),
                    at=at,
                    reason="goodwill",
                )
            )
    return out


def pandas_one_member(entries: list[Any], as_of: dt.datetime) -> int:
    """The same fold in pandas: lots in a DataFrame in consumption order, each debit a masked
    cumulative sum; returns the balance. (Reversals by amount only, no debt, as drawn.)"""
    rows = [e for e in entries if e.at <= as_of]
    lots = pd.DataFrame(
        [
            {
                "id": e.id,
                "at": e.at,
                "amount": e.amount,
                "expires": pd.Timestamp(e.expires_on) if isinstance(e, PointsEarned) else pd.NaT,
            }
            for e in rows
            if isinstance(e, PointsEarned) or (isinstance(e, PointsAdjusted) and e.amount > 0)
        ]
    )
    lots["expires_at"] = expiry_instants(lots["expires"].to_numpy("datetime64[D]"))
    lots["at_us"] = lots["at"].map(lambda t: int(t.timestamp() * 1e6))
    lots = lots.sort_values(["expires_at", "at_us", "id"]).reset_index(drop=True)
    lots["remaining"] = lots["amount"]
    index = {lot_id: i for i, lot_id in enumerate(lots["id"])}
    remaining = lots["remaining"]
    for e in rows:
        t = int(e.at.timestamp() * 1e6)
        if isinstance(e, PointsRedeemed):
            live = (lots["at_us"] <= t) & (lots["expires_at"] > t)
            avail = remaining.where(live, 0)
            before = avail.cumsum() - avail
            take = (e.amount - before).clip(lower=0).clip(upper=avail)
            remaining = remaining - take
        elif isinstance(e, PointsReversed):
            i = index[e.earned_id]
            remaining.iloc[i] = max(0, remaining.iloc[i] - e.amount)
    now = int(as_of.timestamp() * 1e6)
    return int(remaining[lots["expires_at"] > now].sum())


def bench_one(n: int, repeat: int) -> None:
    entries = one_member_entries(n)
    shuffled = list(np.random.default_rng(1).permutation(np.array(entries, dtype=object)))
    as_of = entries[-1].at

    def fluent() -> Ledger:
        ledger = Ledger.open("M1", allow_debt=True)
        for entry in entries:
            ledger = ledger.apply(entry)
        return ledger

    replay_s, ledger = best_seconds(lambda: Ledger.replay(shuffled, allow_debt=True), repeat)
    fluent_s, _ = best_seconds(fluent, repeat)
    state_s, state = best_seconds(lambda: ledger.state(as_of), repeat)
    # without the newest fold to advance (a ledger in another zone object): a full fold
    fresh = ledger.with_time_zone(ledger.time_zone)
    full_s, _ = best_seconds(lambda: fresh.state(as_of), repeat)
    sample = entries[: min(n, 20_000)]
    pandas_s, _ = best_seconds(lambda: pandas_one_member(sample, sample[-1].at), 1)
    pandas_rate = len(sample) / pandas_s
    print(f"one member's ledger, {n:,} entries (balance at the end {state.balance:,})")
    print(f"{'':<44}{'entries/s':>12}{'vs pandas':>11}")
    for name, seconds in (
        ("Ledger.replay (shuffled arrival)", replay_s),
        ("Ledger.apply, one by one in time order", fluent_s),
        ("Ledger.state(as_of), the replay's fold advanced", state_s),
        ("Ledger.state(as_of), a full fold", full_s),
    ):
        rate = n / seconds
        print(f"{name:<44}{rate:>12,.0f}{rate / pandas_rate:>10.0f}×")
    print(f"{f'pandas fold ({len(sample):,} entries)':<44}{pandas_rate:>12,.0f}{1:>10.0f}×")


# -- the batch ---------------------------------------------------------------------------


def pandas_floor(tables: Tables) -> pd.Series:
    """Σ earned − Σ redeemed ± Σ adjusted per member with groupby sums: no lots, no expiry."""

    def frame(name: str, amount: str = "amount") -> pd.DataFrame:
        t = tables[name]
        return pd.DataFrame({"member": t["member"], "amount": t[amount], "at": t["at"]})

    cut = np.datetime64(AS_OF.replace(tzinfo=None), "us")
    parts = []
    for name, sign in (("points_earned", 1), ("points_redeemed", -1), ("points_adjusted", 1)):
        df = frame(name)
        df = df[df["at"] <= cut]
        parts.append(df.groupby("member")["amount"].sum() * sign)
    return pd.concat(parts, axis=1).fillna(0).sum(axis=1)


def bench_batch(n_members: int, n_entries: int, repeat: int, *, apply: bool = True) -> None:
    start = time.perf_counter()
    tables = draw_tables(n_members, n_entries)
    drawn_s = time.perf_counter() - start
    rows = sum(len(tables[f"points_{kind}"]) for kind in SHARES)
    print(f"batch: {n_members:,} members, {rows:,} entries (drawn in {drawn_s:.1f} s, seed {SEED})")
    load = os.getloadavg()[0]
    batch_times, batch_cpu, result = timed(
        lambda: balances(tables, AS_OF, within_days=30, allow_debt=True), repeat
    )
    floor_times, floor_cpu, _ = timed(lambda: pandas_floor(tables), repeat)
    batch_s, floor_s = min(batch_times), min(floor_times)
    print(f"{'':<52}{'seconds':>9}{'vs floor':>10}{'CPU s':>8}")
    print(
        f"{'membership.balances (lots, expiry, debt, liabilities)':<52}{batch_s:>9.2f}"
        f"{batch_s / floor_s:>9.1f}×{min(batch_cpu):>8.2f}"
    )
    print(
        f"{'  its first run':<52}{batch_times[0]:>9.2f}{batch_times[0] / floor_s:>9.1f}×"
        f"{batch_cpu[0]:>8.2f}"
    )
    print(
        f"{'pandas floor: groupby sums, no lots':<52}{floor_s:>9.2f}{1:>9.1f}×{min(floor_cpu):>8.2f}"
    )
    print(f"load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    if apply:
        sample = min(2_000, n_members)
        pandas_s = pandas_apply(tables, sample)
        whole = pandas_s * n_members / sample
        print(
            f"{f'pandas groupby.apply of the fold ({sample:,} members)':<52}{pandas_s:>9.2f}"
            f"   → {whole:,.0f} s for all, {whole / batch_s:,.0f}× the batch"
        )
    liab = result.liabilities()
    print(
        f"totals: balance {int(result.balance.sum()):,}, debt {int(result.debt.sum()):,}, "
        f"expiring in 30 days {int(result.expiring.sum()):,}, liability "
        + ", ".join(f"{f.value} {v:,}" for f, v in liab.items())
    )


def pandas_apply(tables: Tables, sample: int) -> float:
    """Seconds for pandas ``groupby('member').apply`` of the fold on the first ``sample``
    members' awards and redemptions (each group: lots sorted, each redemption a cumsum)."""
    cut = np.datetime64(AS_OF.replace(tzinfo=None), "us")
    e, r = tables["points_earned"], tables["points_redeemed"]
    lots = pd.DataFrame(
        {
            "member": e["member"],
            "amount": e["amount"],
            "at": e["at"],
            "expires": expiry_instants(e["expires_on"]),
        }
    )
    lots = lots[(lots["member"] < sample) & (lots["at"] <= cut)]
    debits = pd.DataFrame({"member": r["member"], "amount": r["amount"], "at": r["at"]})
    debits = debits[(debits["member"] < sample) & (debits["at"] <= cut)]
    by_member = dict(tuple(debits.groupby("member")))

    def fold(member: int, group: pd.DataFrame) -> int:
        group = group.sort_values(["expires", "at"])
        remaining = group["amount"].to_numpy().copy()
        at = group["at"].to_numpy().astype(np.int64)
        expires = group["expires"].to_numpy()
        mine = by_member.get(member)
        if mine is not None:
            for t, amount in zip(
                mine["at"].to_numpy().astype(np.int64), mine["amount"], strict=True
            ):
                avail = np.where((at <= t) & (expires > t), remaining, 0)
                before = avail.cumsum() - avail
                remaining = remaining - np.clip(amount - before, 0, avail)
        return int(remaining.sum())

    start = time.perf_counter()
    for member, group in lots.groupby("member"):
        fold(member, group)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--one", type=int, default=ONE_MEMBER, help="entries of one member")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_MEMBERS:,} members, {QUICK_ENTRIES:,} entries"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--batch-only", action="store_true", help="skip the one-member ledger and pandas apply"
    )
    args = parser.parse_args()
    members, entries = (
        (QUICK_MEMBERS, QUICK_ENTRIES) if args.quick else (args.members, args.entries)
    )
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas "
        f"{pd.__version__}, {os.cpu_count()} CPUs"
    )
    if not args.batch_only:
        bench_one(args.one // (10 if args.quick else 1), args.repeat)
        print()
    bench_batch(members, entries, args.repeat, apply=not args.batch_only)


if __name__ == "__main__":
    main()
