"""HQ–dealer settlement: a hand-computed month, and every point accounted for exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership import USE_KINDS, Ledger, PointFlows, Settlement
from aftersales_crm.values import Money

JAN, FEB = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
FEN = Money.parse("¥0.01")


def _at(*texts: str) -> Any:
    return np.array(texts, dtype="datetime64[us]")


def _month() -> PointFlows:
    return PointFlows(
        # E1 HQ-funded at D1 before the period; E2 HQ at D1; E3 dealer-funded at D2;
        # E4 partner-funded at D2.
        lot_id=["E1", "E2", "E3", "E4"],
        lot_dealer=["D1", "D1", "D2", "D2"],
        lot_funder=["hq", "hq", "dealer", "partner"],
        lot_points=[200, 100, 50, 40],
        lot_at=_at("2025-12-20T02:00", "2026-01-05T02:00", "2026-01-06T02:00", "2026-01-07"),
        use_lot=[0, 1, 2, 0, 3, 1],
        use_points=[120, 30, 50, 80, 40, 10],
        use_kind=["redeemed", "redeemed", "redeemed", "expired", "reversed", "redeemed"],
        use_dealer=["D1", "D2", "D1", "", "", "D1"],
        use_at=_at(
            "2026-01-10T02:00",
            "2026-01-11T02:00",  # E2 earned at D1, spent at D2
            "2026-01-12T02:00",  # E3 earned at D2 (its own points), spent at D1
            "2026-01-31T23:59:59.999999",  # the last instant of the period
            "2026-01-15T02:00",
            "2026-02-01T00:00",  # the first instant after it
        ),
    )


def test_a_month_settled_by_hand() -> None:
    month = Settlement.of(_month(), start=JAN, end=FEB, cost_per_point=FEN)
    assert month.issued == {("dealer", "D2"): 50, ("hq", "D1"): 100, ("partner", "D2"): 40}
    assert month.redeemed == {"D1": 170, "D2": 30}
    assert month.cross == {("D1", "D2"): 30, ("D2", "D1"): 50}
    # no chapters given: each dealer stands for its one chapter
    assert (month.redeemed_at, month.honoured) == (month.redeemed, month.cross)
    # HQ pays for its points where they were spent: 120 at D1 (E1), 30 at D2 (E2).
    assert month.reimbursement == {"D1": Money.parse("¥1.20"), "D2": Money.parse("¥0.30")}
    # D2 funded E3; D1 honoured 50 of its points.
    assert month.clearing == {("D2", "D1"): Money.parse("¥0.50")}
    # E2 keeps 70 points at the end (its redemption of 10 falls after the period).
    assert month.liability == {"hq": 70}
    assert month.breakage == {"hq": 80}
    # Of the 190 points issued in January: 80 redeemed, 40 reversed, 70 outstanding.
    assert month.accounted == {
        "redeemed": 80,
        "expired": 0,
        "reversed": 40,
        "adjusted": 0,
        "outstanding": 70,
        "issued": 190,
    }
    assert month.accounts_for()


def test_the_statement_per_dealer() -> None:
    statement = Settlement.of(_month(), start=JAN, end=FEB, cost_per_point=FEN).to_pandas()
    assert statement.index.tolist() == ["D1", "D2"]
    assert statement.loc["D1"].to_dict() == {
        "redeemed": 170,
        "redeemed_from_others": 50,
        "honoured_elsewhere": 30,
        "reimbursed_by_hq": 120,
        "owed_to_others": 0,
        "owed_by_others": 50,
        "net": 170,
    }
    assert statement.loc["D2", ["owed_to_others", "net"]].tolist() == [50, -20]


def test_a_cost_below_one_fen_loses_no_fen() -> None:
    flows = PointFlows(
        lot_id=["E1", "E2", "E3"],
        lot_dealer=["D1", "D2", "D3"],
        lot_funder=["hq"] * 3,
        lot_points=[1, 1, 1],
        lot_at=_at(*["2026-01-02"] * 3),
        use_lot=[0, 1, 2],
        use_points=[1, 1, 1],
        use_kind=["redeemed"] * 3,
        use_dealer=["D1", "D2", "D3"],
        use_at=_at(*["2026-01-03"] * 3),
    )
    half_fen = Money(Decimal("0.005"), "CNY")
    paid = Settlement.of(flows, start=JAN, end=FEB, cost_per_point=half_fen).reimbursement
    # 3 x ¥0.005 = ¥0.015, rounded half up once to ¥0.02, split by largest remainder.
    assert list(paid.values()) == [Money.parse("¥0.01"), Money.parse("¥0.01"), Money.parse("¥0")]
    assert sum(paid.values(), Money.zero("CNY")) == Money.parse("¥0.02")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lot_points": [200, 100, 0, 40]}, "lot_points at row 2 is 0"),
        ({"use_lot": [0, 1, 2, 0, 3, 4]}, "use_lot at row 5 is 4"),
        ({"use_kind": ["redeemed"] * 5 + ["spent"]}, "use_kind at row 5 is 'spent'"),
        ({"use_dealer": ["D1", "D2", "D1", "", "", ""]}, "use_dealer at row 5"),
        ({"use_points": [120, 30, 50, 81, 40, 10]}, "lot_points at row 0 is 200"),
        ({"lot_at": _at("2026-01-01", "NaT", "2026-01-01", "2026-01-01")}, "lot_at holds NaT"),
        ({"lot_id": ["E1", "E2", "E3"]}, "differ"),
        ({"lot_funder": ["hq", "hq", "oem", "hq"]}, "lot_funder at row 2 is 'oem'"),
        ({"lot_points": [1.5, 100, 50, 40]}, "lot_points must be whole numbers"),
    ],
)
def test_flows_that_cannot_be_are_refused(change: dict[str, Any], message: str) -> None:
    fields = {f.name: getattr(_month(), f.name) for f in PointFlows.__attrs_attrs__}
    with pytest.raises(InvalidValue, match=message):
        PointFlows(**(fields | change))


def test_a_period_must_be_aware_and_not_empty() -> None:
    with pytest.raises(InvalidValue, match="empty"):
        Settlement.of(_month(), start=FEB, end=JAN, cost_per_point=FEN)
    naive = datetime(2026, 1, 1)  # noqa: DTZ001
    with pytest.raises(InvalidValue, match="time zone"):
        Settlement.of(_month(), start=naive, end=FEB, cost_per_point=FEN)
    with pytest.raises(InvalidValue, match="cost_per_point"):
        Settlement.of(_month(), start=JAN, end=FEB, cost_per_point=Money.parse("-¥0.01"))


# -- every point accounted for ------------------------------------------------------------

DAY = np.timedelta64(1, "D")
ORIGIN = np.datetime64("2026-01-01T00:00", "us")


@st.composite
def flows(draw: st.DrawFn) -> PointFlows:
    """Lots, and uses that split each lot's points at random (some points left unused)."""
    n = draw(st.integers(1, 12))
    points = draw(st.lists(st.integers(1, 10**6), min_size=n, max_size=n))
    use_lot, use_points, kinds, dealers, use_at = [], [], [], [], []
    lot_day = draw(st.lists(st.integers(0, 90), min_size=n, max_size=n))
    for lot, grant in enumerate(points):
        left = grant
        for _ in range(draw(st.integers(0, 4))):
            if not left:
                break
            take = draw(st.integers(1, left))
            kind = draw(st.sampled_from(USE_KINDS))
            use_lot.append(lot)
            use_points.append(take)
            kinds.append(kind)
            dealers.append(draw(st.sampled_from(["D1", "D2", "D3"])) if kind == "redeemed" else "")
            use_at.append(ORIGIN + (lot_day[lot] + draw(st.integers(0, 60))) * DAY)
            left -= take
    return PointFlows(
        lot_id=[f"E{i}" for i in range(n)],
        lot_dealer=draw(st.lists(st.sampled_from(["D1", "D2", "D3"]), min_size=n, max_size=n)),
        lot_funder=draw(
            st.lists(st.sampled_from(["hq", "dealer", "partner"]), min_size=n, max_size=n)
        ),
        lot_points=points,
        lot_at=ORIGIN + np.array(lot_day) * DAY,
        use_lot=np.array(use_lot, dtype=np.int64),
        use_points=np.array(use_points, dtype=np.int64),
        use_kind=kinds,
        use_dealer=dealers,
        use_at=np.array(use_at, dtype="datetime64[us]"),
        lot_chapter=draw(st.lists(st.sampled_from(CHAPTERS), min_size=n, max_size=n)),
        use_chapter=[draw(st.sampled_from(CHAPTERS)) if d else "" for d in dealers],
    )


CHAPTERS = ["CH1", "CH2", "CH3", "CH4"]  # chapters of the dealers D1 (two), D2 and D3


@given(
    flows(),
    st.integers(0, 120),
    st.integers(1, 120),
    st.sampled_from(["0.01", "0.005", "0.003", "0.5"]),
)
def test_every_point_issued_is_accounted_for_exactly_once(
    given_flows: PointFlows, first_day: int, days: int, cost: str
) -> None:
    start = JAN + timedelta(days=first_day)
    end = start + timedelta(days=days)
    price = Money(Decimal(cost), "CNY")
    s = Settlement.of(given_flows, start=start, end=end, cost_per_point=price)
    assert s.accounts_for()
    f = given_flows
    first = np.datetime64(start.replace(tzinfo=None), "us")
    after = np.datetime64(end.replace(tzinfo=None), "us")
    issued_now = (f.lot_at >= first) & (f.lot_at < after)
    assert sum(s.issued.values()) == s.accounted["issued"] == int(f.lot_points[issued_now].sum())
    # The liability is what every lot issued before the end has not yet given up.
    before = f.use_at < after
    assert sum(s.liability.values()) == int(
        f.lot_points[f.lot_at < after].sum()
        - f.use_points[before & (f.lot_at[f.use_lot] < after)].sum()
    )
    # HQ pays the rounded total of its points exactly, split without losing a fen.
    hq_points = sum(
        int(p)
        for p, k, lot, at in zip(f.use_points, f.use_kind, f.use_lot, f.use_at, strict=True)
        if k == "redeemed" and f.lot_funder[lot] == "hq" and first <= at < after
    )
    total = sum(s.reimbursement.values(), Money.zero("CNY"))
    assert total == (price * hq_points).round(ROUND_HALF_UP) if hq_points else not s.reimbursement
    assert sum(s.redeemed.values()) >= sum(s.cross.values())
    # every point redeemed counts once per chapter and once per dealer
    assert sum(s.redeemed.values()) == sum(s.redeemed_at.values())
    assert sum(s.redeemed_at.values()) >= sum(s.honoured.values())


def _ledgers_of(book: Any) -> list[Ledger]:
    by_member: dict[str, list[Any]] = {}
    for kind in ("points_earned", "points_redeemed", "points_reversed", "points_adjusted"):
        for entry in getattr(book, kind).values():
            by_member.setdefault(entry.member_id, []).append(entry)
    return [Ledger.replay(entries) for _, entries in sorted(by_member.items())]


def test_the_flows_of_ledgers_account_for_every_lot() -> None:
    from aftersales_crm import synthetic

    book = synthetic.book(300, seed=2)
    as_of = datetime(2026, 11, 22, 12, tzinfo=UTC)
    ledgers = _ledgers_of(book)
    flows = PointFlows.from_ledgers(ledgers, as_of=as_of)
    remaining = {lot.id: lot.remaining for ledger in ledgers for lot in ledger.state(as_of).lots}
    used = np.zeros(len(flows.lot_id), dtype=np.int64)
    np.add.at(used, flows.use_lot, flows.use_points)
    for lot_id, grant, out in zip(flows.lot_id, flows.lot_points, used, strict=True):
        assert grant == remaining[lot_id] + out, lot_id
    assert set(flows.use_kind.tolist()) >= {"redeemed", "expired", "reversed"}
    year = Settlement.of(
        flows,
        start=datetime(2025, 11, 22, tzinfo=UTC),
        end=as_of,
        cost_per_point=FEN,
    )
    assert year.accounts_for()
    assert sum(year.liability.values()) == sum(remaining.values())


# -- chapters: one dealer with two, a member who moves between them ------------------------


def _club_month() -> Settlement:
    """D1 fronts chapters CH1 and CH2, D2 fronts CH3.

    M1 joins CH1, earns E1 (100, HQ) at D1 on 5 January, moves to CH2 on 15 January, earns
    E2 (60, dealer-funded) at D1 on 20 January, then redeems 130 at D2 on 25 January (E1
    pays first: both never expire, E1 is older). M2 of CH3 earns E3 (40, HQ) at D2 and
    redeems 10 of it at D1.
    """
    from aftersales_crm.membership import MemberLog
    from aftersales_crm.records import MemberApplied, MemberJoined, MemberTransferred

    def day(d: int) -> datetime:
        return datetime(2026, 1, d, 2, tzinfo=UTC)

    members = MemberLog.from_records(
        [
            MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=day(1)),
            MemberJoined(id="J1", member_id="M1", at=day(2)),
            MemberTransferred(id="T1", member_id="M1", to_chapter_id="CH2", at=day(15)),
            MemberApplied(id="M2", customer_id="C2", chapter_id="CH3", at=day(1)),
            MemberJoined(id="J2", member_id="M2", at=day(2)),
        ]
    )
    m1 = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=day(5), source_id="RO1", dealer_id="D1")
        .earn(id="E2", amount=60, at=day(20), source_id="RO2", dealer_id="D1", funder="dealer")
        .redeem(id="R1", amount=130, at=day(25), dealer_id="D2")
    )
    m2 = (
        Ledger.open("M2")
        .earn(id="E3", amount=40, at=day(6), source_id="RO3", dealer_id="D2")
        .redeem(id="R2", amount=10, at=day(26), dealer_id="D1")
    )
    flows = PointFlows.from_ledgers([m1, m2], as_of=FEB, members=members)
    return Settlement.of(flows, start=JAN, end=FEB, cost_per_point=FEN)


def test_a_chapter_move_in_mid_period_settled_by_hand() -> None:
    month = _club_month()
    # E1 was earned before the move: it counts for CH1, E2 for CH2
    assert month.issued == {("dealer", "CH2"): 60, ("hq", "CH1"): 100, ("hq", "CH3"): 40}
    # R1 was spent by a member of CH2, R2 by a member of CH3
    assert month.redeemed == {"CH2": 130, "CH3": 10}
    # of R1, E1's 100 points were earned in CH1: a cross-chapter redemption within D1's club
    assert month.cross == {("CH1", "CH2"): 100}
    # money moves between dealers: R1 was spent at D2, out of points earned at D1
    assert month.redeemed_at == {"D1": 10, "D2": 130}
    assert month.honoured == {("D1", "D2"): 130, ("D2", "D1"): 10}
    # HQ pays for its points where they were spent: E1's 100 at D2, E3's 10 at D1
    assert month.reimbursement == {"D1": Money.parse("¥0.10"), "D2": Money.parse("¥1.00")}
    # D1 funded E2; D2 honoured 30 of its points
    assert month.clearing == {("D1", "D2"): Money.parse("¥0.30")}
    # E2 keeps 30 points, E3 30
    assert month.liability == {"dealer": 30, "hq": 30}
    assert month.accounted["issued"] == 200
    assert (month.accounted["redeemed"], month.accounted["outstanding"]) == (140, 60)
    assert month.accounts_for()


def test_without_members_each_dealer_stands_for_its_chapter() -> None:
    t = datetime(2026, 1, 5, tzinfo=UTC)
    ledger = Ledger.open("M1").earn(id="E1", amount=5, at=t, source_id="S", dealer_id="D1")
    flows = PointFlows.from_ledgers([ledger], as_of=FEB)
    assert flows.lot_chapter.tolist() == ["D1"]
    assert Settlement.of(flows, start=JAN, end=FEB, cost_per_point=FEN).issued == {("hq", "D1"): 5}


def test_a_redemption_needs_a_chapter() -> None:
    fields = {f.name: getattr(_month(), f.name) for f in PointFlows.__attrs_attrs__}
    fields["use_chapter"] = ["D1", "D2", "D1", "", "", ""]
    with pytest.raises(InvalidValue, match="use_chapter at row 5 is '', which is no chapter"):
        PointFlows(**fields)
