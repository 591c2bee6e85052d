"""Membership cards: a card by loyalty and cumulative spend, and the discount it gives.

《信息回访员基础培训分析报告》: "会员卡制度和优惠: 根据客户忠诚度和消费累计,提供相应会员卡
银卡(9折)会员卡(9.5折) 对于累计消费超过某金额的客户 基于消费金额公司核算出合理的标准
根据忠诚度的改变,更新客户会员卡级别" (membership cards and their discounts: give each
customer a card by loyalty and cumulative spend, silver card 10% off, member card 5% off,
for customers whose cumulative spend passes an amount the company sets from spend; update
the card level when loyalty changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import (
    Column,
    Constraint,
    LengthOf,
    Names,
    Numbers,
    OrNone,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature, feature_table
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.values import Money

__all__ = ["CARD_NAMES_ZH", "MembershipCards"]

CARD_NAMES_ZH: Final[Mapping[str, str]] = {"silver": "银卡", "member": "会员卡"}
"""The cards of 《信息回访员基础培训分析报告》, "银卡(9折)会员卡(9.5折)", in Chinese."""

_HUNDRED: Final = Decimal(100)


class MembershipCards(BasePolicy):
    r"""Membership cards by loyalty and cumulative spend: silver card 10% off, member card 5%.

    A customer gets the first card (highest first) whose cumulative-spend threshold they
    reach, if they are loyal; a customer who is not loyal gets no card. Loyalty is the
    material's loyalty category, "以首保后,日常保养\\维修是否来厂为判断忠诚度依据" (whether
    they come back for maintenance and repair after the first maintenance): the feature
    ``returned_after_first_maintenance``. Cumulative spend is ``spend_fen``, all spend to
    date. Since both are features at ``as_of``, the card follows every change of loyalty
    or spend ("根据忠诚度的改变,更新客户会员卡级别").

    [`discount`][aftersales_crm.membership.MembershipCards.discount] gives the discount of a card on an amount of exact
    [`Money`][aftersales_crm.values.Money], rounded half-up to the minor unit (四舍五入),
    never through float.

    Attributes:
        names: the cards, highest first (default silver, member).
        discounts: each card's discount in percent (default 10, 5: 9折 and 9.5折).
        spend_fen: the cumulative spend each card needs, in fen, decreasing (default
            ¥20,000 for silver, 0 for the member card).
        loyalty: the boolean feature that says a customer is loyal, or None to give cards
            by spend alone.
        spend: the feature of cumulative spend in fen.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
        >>> cards = MembershipCards().assign(feats)
        >>> sorted(cards.counts()), cards.names_zh
        (['member', 'silver'], ('银卡', '会员卡'))
        >>> MembershipCards().discount("silver", Money.parse("¥1,234.55"))
        Money('123.46', 'CNY')

    References:
        《信息回访员基础培训分析报告》 (会员卡制度和优惠). The silver-card spend threshold is
        the library's choice: the material leaves it to the company ("基于消费金额公司
        核算出合理的标准").
    """

    kind: ClassVar[PolicyKind] = "card"
    population_relative: ClassVar[bool] = False

    NAMES: ClassVar[tuple[str, ...]] = ("silver", "member")
    """银卡 and 会员卡, as the material names them, highest first."""

    DISCOUNTS: ClassVar[tuple[int, ...]] = (10, 5)
    """"银卡(9折)会员卡(9.5折)": the silver card pays 90% (10% off), the member card 95%."""

    SPEND_FEN: ClassVar[tuple[int, ...]] = (2_000_000, 0)
    """Silver from ¥20,000 of cumulative spend, the member card for every loyal customer: the
    library's choice (the material leaves the amount to the company). ¥20,000 is the spend
    of the heaviest fifth of owners in the library's synthetic network after five years."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "names": Names(count=LengthOf("discounts")),
        "discounts": Numbers(low=0, high=100),
        "spend_fen": Numbers(count=LengthOf("discounts"), order="decreasing", low=0, whole=True),
        "loyalty": OrNone(Column()),
        "spend": Column(),
    }

    def __init__(
        self,
        *,
        names: tuple[str, ...] = NAMES,
        discounts: tuple[float, ...] = DISCOUNTS,
        spend_fen: tuple[int, ...] = SPEND_FEN,
        loyalty: str | None = "returned_after_first_maintenance",
        spend: str = "spend_fen",
    ) -> None:
        self.names = names
        self.discounts = discounts
        self.spend_fen = spend_fen
        self.loyalty = loyalty
        self.spend = spend

    def assign(self, features: FeatureTable) -> Labels:
        """Each customer's card (``-1``: none), from loyalty and cumulative spend.

        Args:
            features: the customers' features at ``as_of``.

        Returns:
            Labels aligned with the rows, names ``names``.

        Raises:
            InvalidValue: a parameter breaks its constraint or a feature is missing.

        Examples:
            >>> from aftersales_crm.features import FeatureTable
            >>> feats = FeatureTable.from_columns({"spend_fen": np.array([3_000_000, 10, 10]),
            ...     "returned_after_first_maintenance": np.array([True, True, False])},
            ...     as_of="2026-06-30")
            >>> MembershipCards().assign(feats).values().tolist()
            ['silver', 'member', None]
        """
        params = validate_params(self)
        feature_table(features, self)
        spend = np.asarray(feature(features, params["spend"]))
        if spend.dtype.kind not in "iu":
            msg = f"MembershipCards: spend column {params['spend']!r} holds {spend.dtype}, not whole fen"
            raise InvalidValue(msg, code="invalid_parameter")
        codes = np.full(len(spend), -1, dtype=np.int16)
        thresholds = params["spend_fen"]
        for i in reversed(range(len(thresholds))):
            codes[spend >= int(thresholds[i])] = i
        if params["loyalty"] is not None:
            loyal = np.asarray(feature(features, params["loyalty"])).astype(bool)
            codes[~loyal] = -1
        names = params["names"]
        zh: Any = (
            tuple(CARD_NAMES_ZH[n] for n in names)
            if all(n in CARD_NAMES_ZH for n in names)
            else None
        )
        untyped: Any = tuple(names)
        return Labels(codes, untyped, zh)

    def discount(self, card: str | None, amount: Money) -> Money:
        """The discount ``card`` gives on ``amount``, rounded half-up to the minor unit.

        Args:
            card: a card name, or None (no card: no discount).
            amount: the amount before the discount.

        Returns:
            The discount, in ``amount``'s currency (zero without a card).

        Raises:
            InvalidValue: ``card`` is not one of ``names``, or ``amount`` is not Money.

        Examples:
            >>> MembershipCards().discount("member", Money.parse("¥99.90"))
            Money('5.00', 'CNY')
            >>> MembershipCards().discount(None, Money.parse("¥99.90"))
            Money('0.00', 'CNY')
        """
        params = validate_params(self)
        given: object = amount  # typed, but callers may pass anything
        if not isinstance(given, Money):
            msg = f"discount: amount is {type(given).__name__}, expected Money"
            raise InvalidValue(msg, code="invalid_argument")
        if card is None:
            return Money.zero(amount.currency)
        names = params["names"]
        if card not in names:
            msg = f"discount: card {card!r} is not one of {names}"
            raise InvalidValue(msg, code="unknown_card")
        percent = self.discounts[names.index(card)]
        rate = Decimal(repr(percent)) if isinstance(percent, float) else Decimal(percent)
        return (amount * (rate / _HUNDRED)).round()

    def discounts_fen(self, labels: Labels, amounts_fen: NDArray[np.int64]) -> NDArray[np.int64]:
        """The discount of each row's card on each row's amount, in fen, rounded half-up.

        Exact integer arithmetic (percent × fen, then rounded half-up at the fen).

        Examples:
            >>> labels = Labels(np.array([0, 1, -1]), ("silver", "member"))
            >>> MembershipCards().discounts_fen(labels, np.array([123455, 9990, 5000])).tolist()
            [12346, 500, 0]
        """
        params = validate_params(self)
        given: object = labels  # typed, but callers may pass anything
        if not isinstance(given, Labels):
            msg = f"discounts_fen: labels is a {type(given).__name__}, expected Labels"
            raise InvalidValue(msg, code="invalid_argument")
        amounts = np.asarray(amounts_fen)
        if amounts.dtype.kind not in "iu" or amounts.shape != labels.codes.shape:
            msg = "discounts_fen: amounts_fen must be whole fen, one per label"
            raise InvalidValue(msg, code="invalid_argument")
        hundredths = []
        for percent in params["discounts"]:
            exact = Decimal(repr(percent)) * 100  # percent in hundredths of a percent
            if exact != exact.to_integral_value():
                msg = f"discounts_fen: discount {percent}% is finer than 0.01%"
                raise InvalidValue(msg, code="invalid_parameter")
            hundredths.append(int(exact))
        rate = np.array([*hundredths, 0], dtype=np.int64)[labels.codes]
        numerator = amounts.astype(np.int64) * rate  # fen × 1/10,000
        return (numerator + 5_000) // 10_000
