"""From a points rule's awards to the members' ledgers: every point lands, once."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership import Awards, Ledger, PointsRule

AS_OF = date(2026, 6, 30)


def _awards() -> tuple[Awards, dict[str, str]]:
    tables = synthetic.tables(300, seed=4)
    members = dict(
        zip(
            tables.customers["id"][tables.members["customer"]].tolist(),
            tables.members["id"].tolist(),
            strict=True,
        )
    )
    chapter_dealer = {
        str(member): str(tables.dealers["id"][tables.chapters["dealer"][chapter]])
        for member, chapter in zip(
            tables.members["id"].tolist(), tables.members["chapter"].tolist(), strict=True
        )
    }
    return PointsRule().award(tables, as_of=AS_OF, members=members), chapter_dealer


def test_every_awarded_point_lands_in_its_members_ledger_once() -> None:
    awards, dealers = _awards()
    entries = awards.to_entries(dealer_id=dealers)
    assert len(entries) == len(awards)
    by_member = defaultdict(list)
    for entry in entries:
        by_member[entry.member_id].append(entry)
    end = datetime(2026, 6, 30, 16, tzinfo=UTC)
    earned = {m: Ledger.replay(e * 2).state(end).earned for m, e in by_member.items()}
    assert earned == awards.by("member_id")  # each entry twice, each point once
    assert {e.id for e in entries} == {f"PE:{s}" for s in awards.source_id.tolist()}


def test_an_award_without_a_dealer_needs_one() -> None:
    awards, _ = _awards()
    assert (awards.dealer_id == "").any()  # the drawn club's activities earn points
    with pytest.raises(InvalidValue, match="has no dealer"):
        awards.to_entries()
    one = awards.to_entries(dealer_id="D0000")
    assert {e.dealer_id for e, d in zip(one, awards.dealer_id, strict=True) if d == ""} == {"D0000"}
    assert np.all(awards.amount > 0)
