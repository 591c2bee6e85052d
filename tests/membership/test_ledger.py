"""The one-member ledger: each rule of "The ledger's guarantees" (docs/ledger.md) as a test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from aftersales_crm.errors import InvalidValue
from aftersales_crm.membership import Entry, Ledger, LedgerState
from aftersales_crm.membership import _ledger as the_fold  # its switch of the shortcuts
from aftersales_crm.records import Funder, PointsAdjusted, PointsEarned, PointsRedeemed
from aftersales_crm.values import Money

from .entries import INSTANTS, START, member_entries

T0 = datetime(2026, 3, 1, 10, tzinfo=UTC)
LATER = START + timedelta(days=30)


def _ledger(entries: list[Entry], *, allow_debt: bool = True) -> Ledger:
    return Ledger.replay(entries, member_id="M1", allow_debt=allow_debt)


def _signature(state: LedgerState) -> tuple[object, ...]:
    """Everything a state says, for comparing two folds."""
    return (
        state.balance, state.available, state.pending, state.debt, state.earned,
        state.redeemed, state.expired, state.reversed, state.adjusted, state.lots,
        dict(state.redemptions), dict(state.reversals), state.duplicates,
    )  # fmt: skip


def _identity_holds(s: LedgerState) -> bool:
    return s.balance == s.earned - s.redeemed - s.expired - s.reversed + s.adjusted - s.pending


# -- the invariants, over any entries --------------------------------------------------------


@given(member_entries(), INSTANTS)
def test_the_balance_is_earned_less_redeemed_expired_and_reversed_plus_adjustments(
    entries: list[Entry],
    as_of: datetime,
) -> None:
    s = _ledger(entries).state(as_of)
    assert _identity_holds(s)
    assert s.balance == s.available - s.debt
    assert s.available == sum(lot.remaining for lot in s.lots if lot.active_from <= as_of)
    assert s.pending == sum(lot.remaining for lot in s.lots if lot.active_from > as_of)


@given(member_entries(), INSTANTS)
def test_every_lot_stays_between_zero_and_its_grant_and_accounts_for_every_point(
    entries: list[Entry],
    as_of: datetime,
) -> None:
    for lot in _ledger(entries).state(as_of).lots:
        assert 0 <= lot.remaining <= lot.grant
        assert lot.grant == lot.remaining + lot.spent + lot.expired + lot.reversed


@given(member_entries(), INSTANTS)
def test_each_redemption_records_the_lots_that_paid_for_it(
    entries: list[Entry],
    as_of: datetime,
) -> None:
    s = _ledger(entries).state(as_of)
    lots = {lot.id: lot for lot in s.lots}
    for redemption in s.redemptions.values():
        assert (
            sum(points for _, points in redemption.paid_by) + redemption.debt == redemption.amount
        )
        assert all(lot in lots and points > 0 for lot, points in redemption.paid_by)


@given(member_entries(), INSTANTS)
def test_spendable_points_and_debt_are_never_both_positive(
    entries: list[Entry],
    as_of: datetime,
) -> None:
    s = _ledger(entries).state(as_of)
    assert s.available == 0 or s.debt == 0


@given(member_entries(), INSTANTS, st.randoms(use_true_random=False))
def test_replaying_the_entries_in_any_order_and_with_repeats_gives_the_same_state(
    entries: list[Entry],
    as_of: datetime,
    random: object,
) -> None:
    again = [*entries, *entries[: len(entries) // 2]]
    random.shuffle(again)  # type: ignore[attr-defined]
    assert _signature(_ledger(again).state(as_of)) == _signature(_ledger(entries).state(as_of))


@given(member_entries(), INSTANTS)
def test_no_entry_after_as_of_counts(entries: list[Entry], as_of: datetime) -> None:
    before = [e for e in entries if e.at <= as_of]
    assert _signature(_ledger(entries).state(as_of)) == _signature(_ledger(before).state(as_of))


@given(member_entries(), st.randoms(use_true_random=False))
def test_entries_applied_one_by_one_give_the_state_of_the_replay(
    entries: list[Entry],
    random: object,
) -> None:
    # in order of instant, an award before what refers to it, otherwise as it comes: each
    # ledger on the way must be valid, so a reversal cannot come before its award
    first = (PointsEarned, PointsAdjusted)
    ordered = sorted(
        entries,
        key=lambda e: (e.at, not isinstance(e, first), random.random()),  # type: ignore[attr-defined]
    )
    ledger = Ledger.open("M1", allow_debt=True)
    for entry in ordered:
        ledger = ledger.apply(entry)
    assert _signature(ledger.state(LATER)) == _signature(_ledger(entries).state(LATER))


@given(member_entries(), INSTANTS)
def test_without_debt_a_ledger_never_goes_below_zero_or_refuses_the_redemption(
    entries: list[Entry],
    as_of: datetime,
) -> None:
    plain: list[Entry] = [e for e in entries if isinstance(e, PointsEarned | PointsRedeemed)]
    refused: InvalidValue | None = None
    try:
        s = _ledger(plain, allow_debt=False).state(as_of)
    except InvalidValue as error:
        refused = error
    if refused is not None:
        assert refused.code == "insufficient_points"
    else:
        assert s.balance >= 0
        assert s.debt == 0


def _states_on_the_way(
    entries: list[Entry], instants: list[datetime], *, allow_debt: bool
) -> list[object]:
    """Each state (or refusal) of the fluent ledger as entries arrive in time order, read
    at ``instants`` on the way (after or before the entries still to come), then the
    state of the replay of them all."""
    out: list[object] = []
    ledger = Ledger.open("M1", allow_debt=allow_debt)
    for entry, instant in zip(sorted(entries, key=lambda e: e.at), instants, strict=False):
        try:
            ledger = ledger.apply(entry)
        except InvalidValue as error:
            out.append(error.code)
        out.append(_signature(ledger.state(instant)))
    try:
        out.append(_signature(_ledger(entries, allow_debt=allow_debt).state(LATER)))
    except InvalidValue as error:
        out.append(error.code)
    return out


@settings(max_examples=60, deadline=None)
@given(member_entries(), st.lists(INSTANTS, min_size=15, max_size=15), st.booleans())
def test_the_folds_shortcuts_give_the_states_of_its_general_path(
    entries: list[Entry], instants: list[datetime], allow_debt: bool
) -> None:
    # the shortcuts: a lot spendable at once activated on the spot, a debit paid by its
    # first lot, a state read from the newest fold advanced (then refolded for an entry
    # before the instant read)
    fast = _states_on_the_way(entries, instants, allow_debt=allow_debt)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(the_fold, "_SHORTCUTS", False)
        general = _states_on_the_way(entries, instants, allow_debt=allow_debt)
    assert fast == general


# -- the ledger stays immutable --------------------------------------------------------------


def test_extending_an_older_ledger_leaves_the_newer_one_as_it_was() -> None:
    base = Ledger.open("M1").earn(id="E1", amount=100, at=T0, source_id="S1", dealer_id="D")
    spent = base.redeem(id="R1", amount=60, at=T0, dealer_id="D")
    other = base.redeem(id="R2", amount=30, at=T0, dealer_id="D")
    assert (base.state(T0).balance, spent.state(T0).balance, other.state(T0).balance) == (
        100, 40, 70,
    )  # fmt: skip
    assert (len(base), len(spent), len(other)) == (1, 2, 2)


# -- adversarial cases of research on loyalty engines ----------------------------------------


def test_a_refund_after_redemption_turns_the_spent_points_into_tracked_debt() -> None:
    # Earn 100 on an order, spend 80, then the order is refunded in full.
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D1")
        .redeem(id="R1", amount=80, at=T0 + timedelta(days=1), dealer_id="D1")
        .reverse(id="V1", earned_id="E1", at=T0 + timedelta(days=2), share=Fraction(1))
    )
    s = ledger.state(T0 + timedelta(days=3))
    assert (s.balance, s.available, s.debt, s.reversed) == (-80, 0, 80, 100)
    assert (s.reversals["V1"].taken, s.reversals["V1"].charged) == (20, 80)
    # the next points pay the debt off first
    s = ledger.earn(id="E2", amount=50, at=T0 + timedelta(days=4), source_id="RO2",
                    dealer_id="D1").state(T0 + timedelta(days=5))  # fmt: skip
    assert (s.balance, s.available, s.debt) == (-30, 0, 30)


def test_a_refund_after_redemption_charges_other_lots_before_debt() -> None:
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D1")
        .earn(id="E2", amount=100, at=T0, source_id="RO2", dealer_id="D1",
              expires_on=date(2027, 1, 1))
        .redeem(id="R1", amount=120, at=T0, dealer_id="D1")
        .reverse(id="V1", earned_id="E2", at=T0 + timedelta(days=1), share=Fraction(1))
    )  # fmt: skip
    s = ledger.state(T0 + timedelta(days=2))
    # E2 expires first, so it paid 100 and E1 20; the refund charges E2's 100 to E1's 80 left
    assert s.redemptions["R1"].paid_by == (("E2", 100), ("E1", 20))
    assert (s.available, s.debt, s.balance) == (0, 20, -20)


def test_a_duplicate_award_for_the_same_source_counts_once_whatever_arrives_first() -> None:
    first = PointsEarned(id="E1", member_id="M1", amount=100, at=T0, source_id="RO1",
                         funder="hq", dealer_id="D1")  # fmt: skip
    retry = first.model_copy(update={"id": "E2", "at": T0 + timedelta(seconds=3)})
    for order in ([first, retry], [retry, first], [retry, first, retry, first]):
        s = Ledger.replay(order).state(T0 + timedelta(days=1))
        assert (s.earned, s.balance, s.duplicates) == (100, 100, ("E2",))


def test_a_reversal_of_the_duplicate_reverses_the_award_kept() -> None:
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D1")
        .earn(id="E2", amount=100, at=T0, source_id="RO1", dealer_id="D1")
        .reverse(id="V1", earned_id="E2", at=T0, amount=40)
    )
    s = ledger.state(T0)
    assert (s.balance, s.reversals["V1"].earned_id) == (60, "E1")


@pytest.mark.parametrize(
    ("instant", "balance"),
    [
        (datetime(2026, 3, 31, 15, 59, 59, 999_999, tzinfo=UTC), 10),  # 23:59:59.999999 Beijing
        (datetime(2026, 3, 31, 16, tzinfo=UTC), 0),  # midnight in Beijing: gone
        (datetime(2026, 3, 31, 23, 0, tzinfo=UTC), 0),  # still 31 March in UTC, gone
    ],
)
def test_points_expire_at_the_end_of_the_named_day_in_the_programmes_time_zone(
    instant: datetime, balance: int
) -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=10, at=T0, source_id="S", dealer_id="D",
                                    expires_on=date(2026, 3, 31))  # fmt: skip
    assert ledger.state(instant).balance == balance


def test_the_expiry_instant_follows_the_programmes_time_zone() -> None:
    utc = Ledger.open("M1", time_zone="UTC").earn(
        id="E1", amount=10, at=T0, source_id="S", dealer_id="D", expires_on=date(2026, 3, 31)
    )
    assert utc.state(datetime(2026, 3, 31, 23, tzinfo=UTC)).balance == 10
    assert utc.state(datetime(2026, 4, 1, tzinfo=UTC)).balance == 0


def test_a_reversal_larger_than_the_balance_is_capped_at_the_award_and_the_rest_is_debt() -> None:
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=50, at=T0, source_id="RO1", dealer_id="D1")
        .redeem(id="R1", amount=40, at=T0, dealer_id="D1")
        .reverse(id="V1", earned_id="E1", at=T0 + timedelta(hours=1), amount=500)
    )
    s = ledger.state(T0 + timedelta(hours=2))
    assert (s.reversed, s.debt, s.balance) == (50, 40, -40)
    again = ledger.reverse(id="V2", earned_id="E1", at=T0 + timedelta(hours=3), amount=5)
    assert again.state(T0 + timedelta(hours=4)).reversed == 50  # nothing left to take


@pytest.mark.parametrize(
    ("shares", "taken"),
    [
        ([Fraction(1, 3)], 33),  # 100/3 rounded down
        ([Fraction(1, 3), Fraction(1, 3)], 66),  # rounded once, on the sum
        ([Fraction(1, 3)] * 3, 100),  # parts adding up to the whole take the whole award
        ([Fraction(1, 2), Fraction(2, 3)], 100),  # more than the whole is capped at it
    ],
)
def test_a_partial_refund_takes_back_its_share_rounded_down_on_the_sum(
    shares: list[Fraction], taken: int
) -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D")
    for i, share in enumerate(shares):
        ledger = ledger.reverse(id=f"V{i}", earned_id="E1", at=T0 + timedelta(hours=i + 1),
                                share=share)  # fmt: skip
    assert ledger.state(T0 + timedelta(days=1)).reversed == taken


def test_a_reversal_uses_the_recorded_award_not_todays_rules() -> None:
    # The award recorded 120 points; whatever the earning rule says today, half is 60.
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=120, at=T0, source_id="RO1", dealer_id="D")
        .reverse(id="V1", earned_id="E1", at=T0, share=Fraction(1, 2))
    )
    assert ledger.state(T0).reversals["V1"].taken == 60


def test_expired_points_are_not_charged_again_by_a_refund() -> None:
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D",
              expires_on=date(2026, 3, 10))
        .reverse(id="V1", earned_id="E1", at=datetime(2026, 4, 1, tzinfo=UTC), share=Fraction(1))
    )  # fmt: skip
    s = ledger.state(datetime(2026, 4, 2, tzinfo=UTC))
    assert (s.expired, s.reversed, s.debt, s.reversals["V1"].waived) == (100, 0, 0, 100)


def test_redemptions_use_the_soonest_expiring_points_then_the_oldest_then_the_smallest_id() -> None:
    ledger = (
        Ledger.open("M1")
        .earn(id="B", amount=10, at=T0, source_id="S1", dealer_id="D")  # never expires
        .earn(id="C", amount=10, at=T0, source_id="S2", dealer_id="D", expires_on=date(2026, 9, 1))
        .earn(id="A", amount=10, at=T0, source_id="S3", dealer_id="D", expires_on=date(2026, 9, 1))
        .earn(id="Z", amount=10, at=T0 - timedelta(days=1), source_id="S4", dealer_id="D",
              expires_on=date(2026, 9, 1))
        .earn(id="Y", amount=10, at=T0, source_id="S5", dealer_id="D", expires_on=date(2026, 6, 1))
        .redeem(id="R1", amount=45, at=T0, dealer_id="D")
    )  # fmt: skip
    paid = ledger.state(T0).redemptions["R1"].paid_by
    assert paid == (("Y", 10), ("Z", 10), ("A", 10), ("C", 10), ("B", 5))


def test_pending_points_cannot_be_spent_before_their_time() -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=100, at=T0, source_id="RO1", dealer_id="D",
                                    pending_until=T0 + timedelta(days=14))  # fmt: skip
    with pytest.raises(InvalidValue, match="exceeds the balance of 0 points"):
        ledger.redeem(id="R1", amount=10, at=T0 + timedelta(days=13), dealer_id="D")
    s = ledger.redeem(id="R1", amount=10, at=T0 + timedelta(days=14), dealer_id="D").state(
        T0 + timedelta(days=14)
    )
    assert (s.balance, s.pending) == (90, 0)


def test_a_redemption_beyond_the_balance_names_the_entry_the_points_and_the_rule() -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=30, at=T0, source_id="S", dealer_id="D")
    with pytest.raises(
        InvalidValue, match=r"redemption 'R1' of 50 points .* balance of 30 .* no debt"
    ):
        ledger.redeem(id="R1", amount=50, at=T0, dealer_id="D")
    with pytest.raises(InvalidValue, match=r"exceeds the balance"):
        Ledger.replay([*ledger.entries, PointsRedeemed(id="R1", member_id="M1", amount=50, at=T0,
                                                       dealer_id="D")])  # fmt: skip


@pytest.mark.parametrize(
    ("make", "match"),
    [
        # a reversal of an award the ledger does not hold
        (lambda led: led.reverse(id="V1", earned_id="E9", at=T0, amount=1), "does not hold"),
        # an award expiring before it was earned
        (lambda led: led.earn(id="E2", amount=1, at=T0, source_id="S2", dealer_id="D",
                          expires_on=date(2026, 2, 1)), "not after it was earned"),
        # an entry of another member
        (lambda led: led.apply(PointsRedeemed(id="R1", member_id="M2", amount=1, at=T0,
                                          dealer_id="D")), "of member 'M2'"),
        # one id for two different entries
        (lambda led: led.redeem(id="E1", amount=1, at=T0, dealer_id="D"), "held already"),
    ],
)  # fmt: skip
def test_impossible_entries_are_refused_with_a_clear_error(make: object, match: str) -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=10, at=T0, source_id="S", dealer_id="D")
    with pytest.raises(InvalidValue, match=match):
        make(ledger)  # type: ignore[operator]


def test_an_expiry_run_records_what_lapsed_once_and_moves_nothing() -> None:
    ledger = Ledger.open("M1").earn(id="E1", amount=10, at=T0, source_id="S", dealer_id="D",
                                    expires_on=date(2026, 3, 31))  # fmt: skip
    later = datetime(2026, 5, 1, tzinfo=UTC)
    run = ledger.expiry_run(later)
    assert [(x.earned_id, x.amount) for x in run] == [("E1", 10)]
    recorded = ledger.apply(run[0])
    assert recorded.expiry_run(later) == ()
    assert _signature(recorded.state(later))[:10] == _signature(ledger.state(later))[:10]


def test_liabilities_and_money_worth_are_exact() -> None:
    s = (
        Ledger.open("M1")
        .earn(id="E1", amount=70, at=T0, source_id="S1", dealer_id="D", funder="dealer")
        .earn(id="E2", amount=30, at=T0, source_id="S2", dealer_id="D", funder="partner")
        .state(T0)
    )
    assert s.liabilities() == {Funder.HQ: 0, Funder.DEALER: 70, Funder.PARTNER: 30}
    assert s.worth(Money.parse("0.015 CNY")) == Money.parse("1.50 CNY")


# -- sequences: a state machine --------------------------------------------------------------


class LedgerMachine(RuleBasedStateMachine):
    """Random sequences of verbs, time moving on; every invariant checked after each."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger.open("M1", allow_debt=False)
        self.now = T0
        self.n = 0
        self.awards: list[str] = []

    def _id(self, prefix: str) -> str:
        # each entry a second after the one before: entries of one instant are folded by
        # id, which may put a later arrival before an earlier one
        self.n += 1
        self.now += timedelta(seconds=1)
        return f"{prefix}{self.n}"

    @rule(hours=st.integers(0, 200))
    def wait(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(amount=st.integers(1, 100), days=st.none() | st.integers(0, 20),
          pending=st.none() | st.integers(0, 48), source=st.integers(0, 8))  # fmt: skip
    def earn(self, amount: int, days: int | None, pending: int | None, source: int) -> None:
        eid = self._id("E")
        self.ledger = self.ledger.earn(
            id=eid, amount=amount, at=self.now, source_id=f"S{source}", dealer_id="D",
            pending_until=None if pending is None else self.now + timedelta(hours=pending),
            expires_on=None if days is None else self.now.date() + timedelta(days=days + 1),
        )  # fmt: skip
        self.awards.append(eid)

    @rule(amount=st.integers(1, 150))
    def redeem(self, amount: int) -> None:
        rid = self._id("R")
        available = self.ledger.state(self.now).available
        if amount > available:
            with pytest.raises(InvalidValue, match="exceeds the balance"):
                self.ledger.redeem(id=rid, amount=amount, at=self.now, dealer_id="D")
        else:
            self.ledger = self.ledger.redeem(id=rid, amount=amount, at=self.now, dealer_id="D")

    @precondition(lambda self: self.awards)
    @rule(data=st.data(), share=st.integers(1, 4))
    def refund(self, data: st.DataObject, share: int) -> None:
        award = data.draw(st.sampled_from(self.awards))
        self.ledger = self.ledger.reverse(id=self._id("V"), earned_id=award, at=self.now,
                                          share=Fraction(1, share))  # fmt: skip

    @rule(amount=st.integers(-60, 60).filter(bool))
    def adjust(self, amount: int) -> None:
        self.ledger = self.ledger.adjust(id=self._id("J"), amount=amount, at=self.now,
                                         reason="correction")  # fmt: skip

    @invariant()
    def balance_identity_and_lot_bounds_hold(self) -> None:
        s = self.ledger.state(self.now)
        assert _identity_holds(s)
        assert s.available == 0 or s.debt == 0
        for lot in s.lots:
            assert 0 <= lot.remaining <= lot.grant
            assert lot.grant == lot.remaining + lot.spent + lot.expired + lot.reversed

    @invariant()
    def the_replay_agrees_with_the_verbs(self) -> None:
        replayed = Ledger.replay(list(reversed(self.ledger.entries)), member_id="M1")
        assert _signature(replayed.state(self.now)) == _signature(self.ledger.state(self.now))


LedgerMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25)
test_ledger_sequences_keep_every_invariant = LedgerMachine.TestCase
