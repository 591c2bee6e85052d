"""The columnar batch: the same state as each member's ledger, for many members at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.membership import Entry, Ledger, balances
from aftersales_crm.records import Book, Funder, PointsEarned, PointsRedeemed, Record
from aftersales_crm.tables import Tables
from aftersales_crm.values import Money

from .entries import START, member_entries, with_members

T0 = datetime(2026, 3, 1, 10, tzinfo=UTC)
MEMBERS = st.lists(st.sampled_from(["M1", "M2", "M3", "M4"]), min_size=1, max_size=4, unique=True)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    MEMBERS.flatmap(lambda ms: st.tuples(*[member_entries(m) for m in ms])),
    st.booleans(),
    st.integers(0, 12 * 24),
    st.integers(0, 5),
)
def test_the_batch_gives_every_member_the_state_of_their_own_ledger(
    groups: tuple[list[Entry], ...],
    allow_debt: bool,
    hours: int,
    days: int,
) -> None:
    as_of = START + timedelta(hours=hours)
    tables = Tables.from_book(Book.from_records(with_members([e for g in groups for e in g])))
    try:
        batch = balances(tables, as_of, allow_debt=allow_debt, within_days=days)
    except InvalidValue as error:
        batch_error: InvalidValue | None = error
    else:
        batch_error = None
    states = {}
    ledger_error = None
    for group in groups:
        if group:
            member = group[0].member_id
            counted = [e for e in group if e.at <= as_of]
            try:
                ledger = Ledger.replay(counted, member_id=member, allow_debt=allow_debt)
                states[member] = ledger.state(as_of)
            except InvalidValue as error:
                ledger_error = error
    assert (batch_error is None) == (ledger_error is None), (batch_error, ledger_error)
    if batch_error is not None and ledger_error is not None:
        assert batch_error.code == ledger_error.code
        return
    for row, member in enumerate(batch.member_id.tolist()):
        s = states[member]
        assert (
            batch.balance[row], batch.available[row], batch.pending[row], batch.debt[row],
            batch.earned[row], batch.redeemed[row], batch.expired[row], batch.reversed[row],
            batch.adjusted[row], batch.expiring[row],
        ) == (
            s.balance, s.available, s.pending, s.debt, s.earned, s.redeemed, s.expired,
            s.reversed, s.adjusted, s.expiring_within(days),
        )  # fmt: skip
        assert batch.liability[row].tolist() == list(s.liabilities().values())


def _tables(*records: Record) -> Tables:
    return Tables.from_book(Book.from_records(with_members(list(records))))


def _award(eid: str, member: str, amount: int, **more: object) -> PointsEarned:
    fields: dict[str, object] = {
        "id": eid, "member_id": member, "amount": amount, "at": T0, "source_id": f"S{eid}",
        "funder": "hq", "dealer_id": "D1",
    }  # fmt: skip
    return PointsEarned.model_validate({**fields, **more})


def test_balances_liabilities_and_worth_by_hand() -> None:
    tables = _tables(
        _award("E1", "M1", 100),
        _award("E2", "M1", 50, funder="dealer"),
        _award("E3", "M2", 10, funder="partner"),
        PointsRedeemed(id="R1", member_id="M1", amount=120, at=T0, dealer_id="D2"),
    )
    b = balances(tables, T0)
    assert b.member_id.tolist() == ["M1", "M2"]
    assert b.balance.tolist() == [30, 10]
    # E1 and E2 never expire and were earned together: E1 (smaller id) pays first
    assert b.liability.tolist() == [[0, 30, 0], [0, 0, 10]]
    assert b.liabilities() == {Funder.HQ: 0, Funder.DEALER: 30, Funder.PARTNER: 10}
    assert b.worth(Money.parse("0.01 CNY")) == Money.parse("0.40 CNY")
    assert b.to_pandas().loc["M1", "balance"] == 30
    assert len(b) == 2


def test_the_batch_refuses_a_redemption_beyond_the_balance_naming_it() -> None:
    tables = _tables(
        _award("E1", "M1", 10),
        PointsRedeemed(id="R1", member_id="M1", amount=20, at=T0, dealer_id="D2"),
    )
    with pytest.raises(
        InvalidValue, match="redemption 'R1' of 20 points exceeds the balance of 10"
    ):
        balances(tables, T0)
    assert balances(tables, T0, allow_debt=True).debt.tolist() == [10]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"tables": "no"}, InvalidType),  # not Tables
        ({"as_of": datetime(2026, 3, 1)}, InvalidValue),  # noqa: DTZ001 - a naive as_of
        ({"within_days": -1}, InvalidValue),  # a negative horizon
        ({"allow_debt": "yes"}, InvalidType),  # not a bool
    ],
)
def test_bad_arguments_get_a_clear_error(kwargs: dict[str, object], error: type) -> None:
    given: dict[str, object] = {"tables": _tables(_award("E1", "M1", 1)), "as_of": T0, **kwargs}
    with pytest.raises(error):
        balances(**given)  # type: ignore[arg-type]
