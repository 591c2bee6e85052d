"""The synthetic owners' club: chapters, and member lives the rules of membership allow."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.membership import MemberLog, club_kpis
from aftersales_crm.records import CustomerKind
from aftersales_crm.synthetic import _world as w
from aftersales_crm.tables import Tables

CLUB = ("members", "member_joins", "member_transfers", "member_lapses", "member_reactivations")


@pytest.fixture(scope="module")
def drawn() -> Tables:
    return synthetic.tables(6_000, seed=11)


def test_each_full_function_dealer_fronts_one_chapter(drawn: Tables) -> None:
    full = np.flatnonzero(drawn.dealers["full_after_sales"])
    assert drawn.chapters["dealer"].tolist() == full.tolist()
    assert drawn.chapters["id"].tolist() == ["CH" + d for d in drawn.dealers["id"][full].tolist()]


def test_every_drawn_life_is_one_the_rules_allow_and_every_kind_of_step_happens(
    drawn: Tables,
) -> None:
    log = MemberLog.from_tables(drawn)  # raises on any impossible transition
    assert all(len(drawn[name]) > 0 for name in CLUB)
    counts = log.states(datetime(2026, 6, 30, 16, tzinfo=UTC)).counts()
    assert set(counts) == {"applying", "active", "lapsed"}


def test_only_individual_owners_apply_each_once_after_buying(drawn: Tables) -> None:
    members = drawn.members
    customer = members["customer"]
    assert len(np.unique(customer)) == len(customer)
    individual = list(CustomerKind).index(CustomerKind.INDIVIDUAL)
    assert (drawn.customers["kind"][customer] == individual).all()
    first = np.full(len(drawn.customers), np.datetime64("2100-01-01"), dtype="datetime64[D]")
    np.minimum.at(first, drawn.ownerships["customer"], drawn.ownerships["start"])
    assert (members["at"].astype("datetime64[D]") >= first[customer]).all()


def test_nothing_happens_after_as_of_in_beijing(drawn: Tables) -> None:
    end = np.datetime64("2026-06-30T16:00:00", "us")  # midnight at the day's end in Beijing
    for name in CLUB:
        assert (drawn[name]["at"] < end).all(), name


def test_a_transfer_goes_to_another_chapter(drawn: Tables) -> None:
    moved = drawn.member_transfers
    assert (moved["to_chapter"] != drawn.members["chapter"][moved["member"]]).all()


def test_about_the_materials_recruitment_rate_is_reached(drawn: Tables) -> None:
    rate = club_kpis(drawn, as_of=synthetic.DEFAULT_AS_OF).network.recruitment_rate[0]
    assert 0.45 < rate < 0.65


def test_the_club_is_seeded(drawn: Tables) -> None:
    again = synthetic.tables(6_000, seed=11)
    other = synthetic.tables(6_000, seed=12)
    assert all(again[name] == drawn[name] for name in CLUB)
    assert other.members != drawn.members


def test_the_club_reads_its_own_stream_and_leaves_the_other_tables_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = synthetic.tables(2_000, seed=4)
    monkeypatch.setattr(w, "CLUB_STREAM", 99)
    moved = synthetic.tables(2_000, seed=4)
    for table in base:
        if table.name in CLUB:
            continue
        assert moved[table.name] == table, table.name
    assert moved.members != base.members


def test_the_book_holds_the_club(drawn: Tables) -> None:
    book = synthetic.book(300, seed=2)
    assert book.members
    assert book.member_joins
    assert all(m.chapter_id in book.chapters for m in book.members.values())


@pytest.mark.parametrize("n", [0, 10, 500])  # no member, a few, every kind of step
def test_the_drawn_club_round_trips_through_outside_arrays(n: int) -> None:
    drawn = synthetic.tables(n, seed=1)
    again = Tables.from_arrays(currency=drawn.currency, **drawn.to_arrays())
    for name in ("chapters", *CLUB):
        assert again[name] == drawn[name], name
