"""Membership cards: silver 10% off, member 5% off, by loyalty and cumulative spend."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.membership import MembershipCards
from aftersales_crm.policies import Labels
from aftersales_crm.values import Money


def customers(spend: list[int], loyal: list[bool]) -> FeatureTable:
    return FeatureTable.from_columns(
        {"spend_fen": np.array(spend), "returned_after_first_maintenance": np.array(loyal)},
        as_of="2026-06-30",
    )


def test_cards_follow_loyalty_and_cumulative_spend() -> None:
    feats = customers(
        [2_000_000, 1_999_999, 0, 5_000_000],
        [True, True, True, False],  # the last is not loyal: no card, whatever the spend
    )
    cards = MembershipCards().assign(feats)
    assert cards.values().tolist() == ["silver", "member", "member", None]
    assert cards.values("zh").tolist() == ["银卡", "会员卡", "会员卡", None]


def test_the_card_changes_when_loyalty_or_spend_changes() -> None:
    before = MembershipCards().assign(customers([1_500_000, 3_000_000], [True, True]))
    after = MembershipCards().assign(customers([2_500_000, 3_000_000], [True, False]))
    assert before.values().tolist() == ["member", "silver"]
    assert after.values().tolist() == ["silver", None]


def test_cards_by_spend_alone_when_loyalty_is_not_used() -> None:
    feats = customers([2_000_000, 0], [False, False])
    assert MembershipCards(loyalty=None).assign(feats).values().tolist() == ["silver", "member"]


@pytest.mark.parametrize(
    ("card", "amount", "expected"),
    [
        ("silver", "¥100.00", "10.00"),  # 9折
        ("member", "¥100.00", "5.00"),  # 9.5折
        ("silver", "¥0.05", "0.01"),  # 0.005 rounds half up
        ("member", "¥0.09", "0.00"),  # 0.0045 rounds down
        (None, "¥100.00", "0.00"),
    ],
)
def test_discounts_are_exact_money_rounded_half_up(
    card: str | None, amount: str, expected: str
) -> None:
    got = MembershipCards().discount(card, Money.parse(amount))
    assert got == Money(Decimal(expected), "CNY")


def test_an_unknown_card_is_named() -> None:
    with pytest.raises(InvalidValue, match="card 'gold' is not one of"):
        MembershipCards().discount("gold", Money.parse("¥1"))


@given(st.lists(st.tuples(st.integers(-1, 1), st.integers(0, 10**12)), max_size=30))
def test_discounts_in_fen_equal_the_money_discounts(rows: list[tuple[int, int]]) -> None:
    policy = MembershipCards(discounts=(12.5, 5))
    labels = Labels(np.array([r[0] for r in rows], dtype=np.int16), ("silver", "member"))
    fen = policy.discounts_fen(labels, np.array([r[1] for r in rows], dtype=np.int64))
    for (code, amount), got in zip(rows, fen.tolist(), strict=True):
        card = None if code < 0 else ("silver", "member")[code]
        assert got == policy.discount(card, Money.from_minor(amount, "CNY")).to_minor()
