"""The club's KPIs on a network small enough to count by hand.

Three dealers with the full after-sales function; chapters CH1 (D1), CH2 (D2) and CH3 (D3,
founded after the day of the KPIs). Taken at the end of 2026-06-30, Beijing time, with
flows since 2026-01-01.

Individual owners on 2026-06-30, by the vehicle's selling dealer or, unknown, the dealer
that serviced it last:

* D1: C1 (V1), C2 (V2) -> 2. C3's V3 was serviced at D1 first but at D2 last; C5 sold V5
  in January; C7 is a fleet.
* D2: C1 (V8), C3 (V3), C4 (V4), C6 (V6) -> 4.
* D3: nobody -> 0.
* Network (dealers with an open chapter): C1, C2, C3, C4, C6 -> 5.

Members at the end of 2026-06-30:

* M1 (C1): applied 2025-12-20, joined 2025-12-31T16:30Z (1 January 00:30 in Beijing): active, CH1.
* M2 (C2): joined CH1 in February, moved to CH2 on 1 April: active, CH2.
* M3 (C3): applied to CH2 on 20 June: applying, CH2.
* M4 (C4): joined CH2 in 2025, lapsed 1 March 2026: lapsed, CH2.
* M5 (C6): joined CH2 in 2025, lapsed in September 2025, back on 1 May 2026: active, CH2.
* M6 (C5): applied at 2026-06-30T16:30Z, 00:30 on 1 July in Beijing: not yet counted.
* M7 (C7): applied at 2026-06-30T15:59:59Z, 23:59:59 in Beijing: applying, CH1.

Referrals delivered, by active members at the end of the delivery day:

* R1 (C1, 1 March) -> CH1; R2 (C2, 15 March, still in CH1) -> CH1; R4 (C6, 1 May, back that
  morning) -> CH2. Not counted: R3 (C4 lapsed), R5 (not delivered), R6 (delivered in
  December 2025, before the period and before C1 applied), R7 (C3 only applying).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.membership import RECRUITMENT_TARGET, ClubKpis, club_kpis, joins_per_month
from aftersales_crm.records import (
    Book,
    Chapter,
    Customer,
    Dealer,
    MemberApplied,
    MemberJoined,
    MemberLapsed,
    MemberReactivated,
    MemberTransferred,
    Ownership,
    Record,
    ReferralMade,
    RepairLine,
    RepairOrder,
    Vehicle,
)
from aftersales_crm.tables import Tables
from aftersales_crm.values import Money, vin

AS_OF = date(2026, 6, 30)
SINCE = date(2026, 1, 1)


def _vin(n: int) -> str:
    body = f"LSVAU2180N{n:07d}"
    return body[:8] + vin.calc_check_digit(body) + body[9:]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _order(oid: str, dealer: str, vehicle: int, customer: str, opened: str, km: int) -> RepairOrder:
    line = RepairLine(
        kind="maintenance",
        pay="customer",
        labour=Money.parse("100.00 CNY"),
        parts=Money.zero("CNY"),
    )
    return RepairOrder(
        id=oid,
        dealer_id=dealer,
        vin=_vin(vehicle),
        customer_id=customer,
        opened_at=at(opened),
        mileage=km,
        lines=(line,),
    )


def network() -> list[Record]:
    dealers = [Dealer(id=f"D{i}", name=f"{i}号4S店") for i in (1, 2, 3)]
    chapters = [
        Chapter(id="CH1", dealer_id="D1", name="一号车友会"),
        Chapter(id="CH2", dealer_id="D2", name="二号车友会", founded_on="2020-01-01"),
        Chapter(id="CH3", dealer_id="D3", name="三号车友会", founded_on="2027-01-01"),
    ]
    customers = [Customer(id=f"C{i}", name="王芳") for i in range(1, 7)]
    customers.append(Customer(id="C7", kind="fleet", name="大众租车有限公司"))
    sellers = {1: "D1", 2: "D1", 3: None, 4: "D2", 5: "D1", 6: "D2", 7: "D1", 8: "D2"}
    vehicles = [
        Vehicle(vin=_vin(n), model="Lavida", selling_dealer_id=seller, sold_here=seller is not None)
        for n, seller in sellers.items()
    ]
    owner = {1: "C1", 2: "C2", 3: "C3", 4: "C4", 5: "C5", 6: "C6", 7: "C7", 8: "C1"}
    ownerships = [
        Ownership(
            id=f"O{n}",
            customer_id=owner[n],
            vin=_vin(n),
            start="2020-01-01",
            end="2026-01-10" if n == 5 else None,
        )
        for n in sellers
    ]
    orders = [
        _order("RO1", "D1", 3, "C3", "2024-01-01T02:00:00", 10_000),
        _order("RO2", "D2", 3, "C3", "2025-06-01T02:00:00", 20_000),
        _order("RO3", "D1", 3, "C3", "2026-08-01T02:00:00", 30_000),  # after the day: not counted
    ]
    members: list[Record] = [
        MemberApplied(id="M1", customer_id="C1", chapter_id="CH1", at=at("2025-12-20T02:00:00")),
        MemberJoined(id="J1", member_id="M1", at=at("2025-12-31T16:30:00")),
        MemberApplied(id="M2", customer_id="C2", chapter_id="CH1", at=at("2026-02-01T02:00:00")),
        MemberJoined(id="J2", member_id="M2", at=at("2026-02-10T02:00:00")),
        MemberTransferred(
            id="T2", member_id="M2", to_chapter_id="CH2", at=at("2026-04-01T02:00:00")
        ),
        MemberApplied(id="M3", customer_id="C3", chapter_id="CH2", at=at("2026-06-20T02:00:00")),
        MemberApplied(id="M4", customer_id="C4", chapter_id="CH2", at=at("2025-03-01T02:00:00")),
        MemberJoined(id="J4", member_id="M4", at=at("2025-03-05T02:00:00")),
        MemberLapsed(id="L4", member_id="M4", at=at("2026-03-01T02:00:00"), reason="lost"),
        MemberApplied(id="M5", customer_id="C6", chapter_id="CH2", at=at("2025-05-01T02:00:00")),
        MemberJoined(id="J5", member_id="M5", at=at("2025-05-02T02:00:00")),
        MemberLapsed(id="L5", member_id="M5", at=at("2025-09-01T02:00:00"), reason="left"),
        MemberReactivated(id="V5", member_id="M5", at=at("2026-05-01T02:00:00")),
        MemberApplied(id="M6", customer_id="C5", chapter_id="CH1", at=at("2026-06-30T16:30:00")),
        MemberApplied(id="M7", customer_id="C7", chapter_id="CH1", at=at("2026-06-30T15:59:59")),
    ]

    def referral(rid: str, who: str, delivered: str | None) -> ReferralMade:
        return ReferralMade(
            id=rid, referrer_id=who, referred_name="赵磊", on="2025-11-01", delivered_on=delivered
        )

    referrals = [
        referral("R1", "C1", "2026-03-01"),
        referral("R2", "C2", "2026-03-15"),
        referral("R3", "C4", "2026-04-01"),
        referral("R4", "C6", "2026-05-01"),
        referral("R5", "C1", None),
        referral("R6", "C1", "2025-12-01"),
        referral("R7", "C3", "2026-06-25"),
    ]
    return [*dealers, *chapters, *customers, *vehicles, *ownerships, *orders, *members, *referrals]


@pytest.fixture(scope="module")
def tables() -> Tables:
    return Tables.from_book(Book.from_records(network()))


@pytest.fixture(scope="module")
def kpis(tables: Tables) -> ClubKpis:
    return club_kpis(tables, as_of=AS_OF, since=SINCE)


def test_members_and_applicants_at_the_end_of_the_day_in_beijing(kpis: ClubKpis) -> None:
    # M7 applied at 23:59:59 Beijing time on the day and counts; M6, 31 minutes later, not.
    assert kpis.chapters.ids.tolist() == ["CH1", "CH2", "CH3"]
    assert kpis.chapters.members.tolist() == [1, 2, 0]
    assert kpis.chapters.applying.tolist() == [1, 1, 0]
    assert kpis.chapters.lapsed.tolist() == [0, 1, 0]


def test_the_owners_of_a_chapter_are_its_dealers_individual_owners(kpis: ClubKpis) -> None:
    assert kpis.chapters.owners.tolist() == [2, 4, 0]
    assert kpis.dealers.owners.tolist() == [2, 4, 0]
    assert kpis.network.owners.tolist() == [5]  # C1 owns at D1 and D2: once network-wide


def test_the_recruitment_rate_is_members_and_applicants_over_owners(kpis: ClubKpis) -> None:
    rate = kpis.chapters.recruitment_rate
    assert rate[0] == 2 / 2  # CH1: M1 active, M7 applying; owners C1, C2
    assert rate[1] == 3 / 4  # CH2: M2 and M5 active, M3 applying; owners C1, C3, C4, C6
    assert math.isnan(rate[2])  # CH3: no owners
    assert kpis.network.recruitment_rate.tolist() == [5 / 5]
    assert rate[1] > RECRUITMENT_TARGET


def test_the_dealer_enrolment_rate_counts_open_chapters_over_full_function_dealers(
    kpis: ClubKpis,
) -> None:
    assert (kpis.chapters_open, kpis.full_function_dealers) == (2, 3)
    assert kpis.enrolment_rate == 2 / 3
    # Once CH3 opens it counts too.
    later = club_kpis(Tables.from_book(Book.from_records(network())), as_of="2027-01-01")
    assert later.enrolment_rate == 1.0


def test_joins_transfers_lapses_and_reactivations_in_the_period(kpis: ClubKpis) -> None:
    c = kpis.chapters
    assert c.joins.tolist() == [2, 0, 0]  # M1 (1 January in Beijing) and M2 joined CH1
    assert c.transfers_out.tolist() == [1, 0, 0]  # M2 left CH1 ...
    assert c.transfers_in.tolist() == [0, 1, 0]  # ... for CH2
    assert c.lapses.tolist() == [0, 1, 0]  # M4; M5's lapse was in 2025
    assert c.reactivations.tolist() == [0, 1, 0]  # M5


def test_successful_referrals_count_at_delivery_for_an_active_members_chapter(
    kpis: ClubKpis,
) -> None:
    assert kpis.chapters.referrals.tolist() == [2, 1, 0]
    assert kpis.network.referrals.tolist() == [3]


def test_without_a_period_the_flows_cover_all_history(tables: Tables) -> None:
    every = club_kpis(tables, as_of=AS_OF)
    assert every.chapters.joins.tolist() == [2, 2, 0]  # M4 and M5 joined CH2 in 2025
    assert every.chapters.lapses.tolist() == [0, 2, 0]
    # R6 was delivered before C1 applied: no member brought it, in any period.
    assert every.chapters.referrals.tolist() == [2, 1, 0]
    assert every.since is None


def test_the_dealer_and_network_rows_sum_the_chapters(kpis: ClubKpis) -> None:
    assert kpis.dealers.ids.tolist() == ["D1", "D2", "D3"]
    assert kpis.dealers.members.tolist() == [1, 2, 0]
    assert kpis.dealers.row("D2") == {
        "members": 2,
        "applying": 1,
        "lapsed": 1,
        "owners": 4,
        "joins": 0,
        "transfers_in": 1,
        "transfers_out": 0,
        "lapses": 1,
        "reactivations": 1,
        "referrals": 1,
        "recruitment_rate": 0.75,
    }
    network = kpis.network.row("network")
    assert (network["members"], network["applying"], network["lapsed"]) == (3, 2, 1)
    assert network["transfers_in"] == network["transfers_out"] == 1
    frame = kpis.chapters.to_pandas()
    assert frame.loc["CH2", "recruitment_rate"] == 0.75


def test_joins_per_month_fall_in_the_month_of_beijing_time(tables: Tables) -> None:
    j = joins_per_month(tables, as_of=AS_OF, since=SINCE)
    assert [str(m) for m in j.months] == [f"2026-0{m}" for m in range(1, 7)]
    assert j.counts.tolist() == [[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]
    assert j.network().tolist() == [1, 1, 0, 0, 0, 0]
    assert j.mean() == 2 / 6
    utc = joins_per_month(tables, as_of=AS_OF, since="2025-12-01", time_zone="UTC")
    assert utc.network().tolist() == [1, 0, 1, 0, 0, 0, 0]  # M1 joined in December in UTC


def test_joins_per_month_start_at_the_first_join_by_default(tables: Tables) -> None:
    j = joins_per_month(tables, as_of=AS_OF)
    assert str(j.months[0]) == "2025-03"
    assert len(j.months) == 16
    assert int(j.counts.sum()) == 4
    assert j.to_pandas().loc["CH2", "2025-05"] == 1


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda t: club_kpis(t, as_of="2026-06-30", since="2026-07-01"),
            InvalidValue,
            "after as_of",
        ),
        (
            lambda t: joins_per_month(t, as_of="2026-06-30", since="2026-07-01"),
            InvalidValue,
            "after",
        ),
        (lambda t: club_kpis(t, as_of=datetime(2026, 6, 30, tzinfo=UTC)), InvalidValue, "as_of is"),
        (
            lambda t: club_kpis(t, as_of="2026-06-30", time_zone="Mars/Olympus"),
            InvalidValue,
            "Mars",
        ),
        (
            lambda t: club_kpis(network(), as_of="2026-06-30"),  # type: ignore[arg-type]
            InvalidType,
            "expected Tables",
        ),
    ],
)
def test_bad_arguments_are_named(tables: Tables, call: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(tables)  # type: ignore[operator]


def test_the_kpis_of_no_members_are_zero_and_rates_undefined() -> None:
    empty = Tables.from_book(Book.from_records([Dealer(id="D1", name="一号4S店")]))
    kpis = club_kpis(empty, as_of=AS_OF)
    assert len(kpis.chapters) == 0
    assert kpis.network.members.tolist() == [0]
    assert np.isnan(kpis.network.recruitment_rate).all()
    assert kpis.enrolment_rate == 0.0
    assert joins_per_month(empty, as_of=AS_OF).counts.shape == (0, 1)
