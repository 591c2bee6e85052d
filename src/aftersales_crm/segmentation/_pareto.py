"""Pareto ABC value classes (客户价值ABC分类) of the CSI course, with its strategies and traits."""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import flag, language
from aftersales_crm._display import Displayed, Head, MoneyUnit, major_units
from aftersales_crm._optional import require
from aftersales_crm._params import Column, Constraint, Numbers, validate_params
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, check_is_fitted
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    MISSING,
    labels,
    numeric,
    present,
    python_number,
)
from aftersales_crm.values import Lang, Material, Quote

__all__ = ["ParetoABC", "ParetoReport"]

_LETTERS: Final = len(string.ascii_uppercase)
"""Classes are named A, B, C…: at most 26 of them."""

_COURSE: Final = Material.CSI_COURSE
_MATERIAL_CLASSES: Final = 3
"""The course's strategies and traits are for three classes, A, B and C."""


@attrs.frozen(repr=False)
class ParetoReport(Displayed):
    """What each Pareto class holds in the population a [`ParetoABC`][aftersales_crm.segmentation.ParetoABC] was fitted on.

    Attributes:
        names: the classes, highest value first (``("A", "B", "C")``).
        customers: customers per class.
        values: the value feature summed per class (int fen for money columns).
        customer_shares: each class's share of the customers (0 for every class without
            customers).
        value_shares: each class's share of the total value (0 for every class when the
            total is 0: there is no value to share).
        rule: the value share (low, high) each class is expected to hold by the CSI course
            (A 70–80%, B 20–25%, C 5–10%), for the default shares; empty otherwise.
        strategies: per class, the course's strategy for it ([`ParetoABC.STRATEGIES`][aftersales_crm.segmentation.ParetoABC.STRATEGIES]),
            for three classes; empty otherwise.
        traits: per class, the course's traits of its customers ([`ParetoABC.TRAITS`][aftersales_crm.segmentation.ParetoABC.TRAITS]),
            for three classes; empty otherwise.
        with_value: how many customers have a value above zero; ``None`` when not told.
            When none has, the text says so first: everyone is in the lowest class.
        measure: the feature the classes rank by and ``values`` sum (``"spend_fen"``).
        currency: the currency of a money measure (``*_fen``, minor units).

    Examples:
        >>> report = ParetoReport(
        ...     names=("A", "B", "C"), customers=(2, 3, 5), values=(750, 200, 50),
        ...     customer_shares=(0.2, 0.3, 0.5), value_shares=(0.75, 0.2, 0.05),
        ...     rule=ParetoABC.RULE_VALUE_SHARES,
        ... )
        >>> report.follows_rule()
        True
        >>> print(report)
        A: 20.0% of customers, 75.0% of value (rule 70–80%)
        B: 30.0% of customers, 20.0% of value (rule 20–25%)
        C: 50.0% of customers, 5.0% of value (rule 5–10%)
        >>> import attrs
        >>> report = attrs.evolve(
        ...     report, strategies=ParetoABC.STRATEGIES, traits=ParetoABC.TRAITS
        ... )
        >>> print(report.format("zh"))
        A类: 客户占20.0%, 价值占75.0% (规则70–80%)
          策略: 重点抓A类客户
          特点: 价值贡献大、客户数量小; 依赖度较高,宽容度大
        B类: 客户占30.0%, 价值占20.0% (规则20–25%)
          策略: 照顾B类客户
          特点: 界于A、C类客户之间; 理性客观、不满情绪不易表现
        C类: 客户占50.0%, 价值占5.0% (规则5–10%)
          策略: 吸引C类客户
          特点: 客户数量众多、价值贡献低; 价格倾向严重,不信任感强
    """

    names: tuple[str, ...]
    customers: tuple[int, ...]
    values: tuple[int | float, ...]
    customer_shares: tuple[float, ...]
    value_shares: tuple[float, ...]
    rule: tuple[tuple[float, float], ...] = ()
    strategies: tuple[Quote, ...] = ()
    traits: tuple[tuple[Quote, ...], ...] = ()
    with_value: int | None = None
    measure: str = "spend_fen"
    currency: str = "CNY"

    def follows_rule(self) -> bool:
        """Whether every class's value share lies in its expected range (False without one).

        Examples:
            >>> ParetoReport(("A",), (1,), (5,), (1.0,), (1.0,)).follows_rule()
            False
        """
        return bool(self.rule) and all(
            low <= share <= high
            for share, (low, high) in zip(self.value_shares, self.rule, strict=True)
        )

    def format(self, lang: Literal["en", "zh"] = "en", *, material: bool = True) -> str:
        """The report as text, one class after the other.

        A line per class gives its shares of customers and value and the rule's range;
        below it, where the report has them, come the course's strategy and traits.

        Args:
            lang: ``"en"`` for English (the translations), ``"zh"`` for Chinese (the
                course's own words).
            material: whether to show the course's strategy and traits under each line; ``str()``
                leaves them out.

        Examples:
            >>> report = ParetoReport(("A",), (1,), (5,), (1.0,), (1.0,))
            >>> report.format("zh")
            'A类: 客户占100.0%, 价值占100.0%'
            >>> nobody = ParetoReport(("A", "B"), (0, 3), (0, 0), (0.0, 1.0), (0.0, 0.0), with_value=0)
            >>> print(nobody.format("en"))
            No customer has value: all 3 customers are in B.
            A: 0.0% of customers, 0.0% of value
            B: 100.0% of customers, 0.0% of value
            >>> print(nobody.format("zh").splitlines()[0])
            没有客户有价值: 全部3位客户归入B类。
        """
        zh = language(lang) == "zh"
        material = flag(material, parameter="material")
        lines = []
        if self.with_value == 0 and self.names:
            n, last = sum(self.customers), self.names[-1]
            if n == 0:
                lines.append(
                    "没有可排名的客户: 各类均为空。"
                    if zh
                    else "No customer to rank: every class is empty."
                )
            elif zh:
                lines.append(f"没有客户有价值: 全部{n}位客户归入{last}{ParetoABC.NAMES_ZH}。")
            else:
                lines.append(f"No customer has value: all {n} customers are in {last}.")
        for i, name in enumerate(self.names):
            customers, value = f"{self.customer_shares[i]:.1%}", f"{self.value_shares[i]:.1%}"
            if zh:
                line = f"{name}{ParetoABC.NAMES_ZH}: 客户占{customers}, 价值占{value}"
            else:
                line = f"{name}: {customers} of customers, {value} of value"
            if self.rule:
                low, high = self.rule[i]
                shown = f"{low * 100:.0f}–{high * 100:.0f}%"
                line += f" (规则{shown})" if zh else f" (rule {shown})"
            lines.append(line)
            if material and self.strategies:
                label = "策略" if zh else "strategy"
                lines.append(f"  {label}: {self.strategies[i].in_(lang)}")
            if material and self.traits:
                label = "特点" if zh else "traits"
                lines.append(f"  {label}: {'; '.join(t.in_(lang) for t in self.traits[i])}")
        return "\n".join(lines)

    def __str__(self) -> str:
        """The report in English, without the course's strategy and traits: one line per class."""
        return self.format("en", material=False)

    def to_pandas(self, lang: Lang = "en", *, money: MoneyUnit = "minor") -> Any:
        """One row per class, indexed by the class, highest value first (extra ``pandas``).

        The index ``tier`` is an ordered categorical of the class names in ``lang``
        (``A`` or ``A类``). The columns are ``customers``, the value summed under the
        measure's name (``spend_fen``, integer fen; ``spend``, Decimal yuan, with
        ``money="major"``), ``customer_share``, ``value_share``, and where the report has
        them the rule's ``rule_low`` and ``rule_high`` and the course's ``strategy`` in
        ``lang``.

        Examples:
            >>> report = ParetoReport(
            ...     names=("A", "B", "C"), customers=(2, 3, 5), values=(75_000, 20_050, 5_000),
            ...     customer_shares=(0.2, 0.3, 0.5), value_shares=(0.75, 0.2, 0.05),
            ...     rule=ParetoABC.RULE_VALUE_SHARES, strategies=ParetoABC.STRATEGIES,
            ... )
            >>> print(report.to_pandas()[["customers", "spend_fen", "rule_low"]])
                  customers  spend_fen  rule_low
            tier
            A             2      75000      0.70
            B             3      20050      0.20
            C             5       5000      0.05
            >>> frame = report.to_pandas("zh", money="major")
            >>> frame.loc["B类", "spend"], frame.loc["A类", "strategy"]
            (Decimal('200.50'), '重点抓A类客户')
        """
        pd = require("pandas", extra="pandas")
        zh = language(lang) == "zh"
        names = [f"{n}{ParetoABC.NAMES_ZH}" if zh else n for n in self.names]
        columns: dict[str, Any] = {
            "customers": np.array(self.customers, dtype=np.int64),
            self.measure: np.array(self.values),
            "customer_share": np.array(self.customer_shares, dtype=np.float64),
            "value_share": np.array(self.value_shares, dtype=np.float64),
        }
        if self.rule:
            columns["rule_low"] = [low for low, _ in self.rule]
            columns["rule_high"] = [high for _, high in self.rule]
        if self.strategies:
            columns["strategy"] = [s.in_(lang) for s in self.strategies]
        index = pd.CategoricalIndex(names, categories=names, ordered=True, name="tier")
        return major_units(pd.DataFrame(columns, index=index), money, currency=self.currency)

    def _display_size(self, head: Head) -> str:
        return f"{len(self.names)} classes, {sum(self.customers):,} customers"


class ParetoABC(BasePolicy):
    """Value classes A/B/C by cumulative customer share, highest value first (客户价值ABC分类).

    Customers are ranked by the ``value`` feature, highest first, equal values by customer
    id (ascending); a customer is in A when fewer than 20% of the ranked customers come
    before them, in B when fewer than 50%, else in C. With 30 customers that is 6 A, 9 B and
    15 C; a single customer is A. Customers without a value (NaN) are not ranked and get
    ``-1``; so does everyone when the policy was fitted on a population without values.

    A customer whose value is not above zero (no spend) has no value to rank, and is in
    the lowest class whatever the shares: when nobody has spent anything, every customer
    is in C and the report says so; when only 2 of 30 customers have spent, A holds those
    2, B nobody and C the other 28. Equal values above zero are split by customer id, so
    30 customers who all spent the same are 6 A, 9 B and 15 C, each class holding the
    share of the value that it holds of the customers.

    ``fit`` learns, for each class but the last, the value and id of its last customer
    (``cutoffs_``, ``cutoff_ids_``). ``assign`` compares each row with them, so on the fit
    population it gives exactly the ranking's classes, and on any other table (new
    customers, a subset) each row gets the class its (value, id) would have had in the fit
    population: a value above a cutoff passes it, a value below does not, and a value equal
    to a cutoff passes only when the customer's id sorts at or before the cutoff customer's
    id. Ties at a cutoff are thus split by id order, the one row-order-independent key
    there is.

    The fitted policy reports what each class actually holds (``value_shares_``,
    ``customer_shares_``, [`report`][aftersales_crm.segmentation.ParetoABC.report]) to compare with the 70–80% / 20–25% / 5–10% rule.

    The classes, their shares and the rule are the CSI course's (slide 客户分类(价值):
    "客户数量比重20%30%50%5-10%20-25%70-80%客户价值比例", [`RULE_SOURCE`][aftersales_crm.segmentation.ParetoABC.RULE_SOURCE]). The slide's
    chart lists the customer shares from A down and the value shares from C up; the library
    reads them as pairs, A 20% of customers with 70–80% of the value, B 30% with 20–25%, C
    50% with 5–10%, the only pairing that adds up. Ranking by cumulative spend, and splitting
    ties by customer id, are the library's choice: the course does not say how value is
    measured. The course also gives each class its traits ([`TRAITS`][aftersales_crm.segmentation.ParetoABC.TRAITS]) and its strategy,
    "重点抓A类客户", "照顾B类客户", "吸引C类客户" ([`STRATEGIES`][aftersales_crm.segmentation.ParetoABC.STRATEGIES]); [`report`][aftersales_crm.segmentation.ParetoABC.report] shows
    them beside the shares.

    Attributes:
        value: the feature to rank by, a numeric column (default ``"spend_fen"``,
            cumulative spend; [`DEFAULT_VALUE`][aftersales_crm.segmentation.ParetoABC.DEFAULT_VALUE]).
        shares: the customer share of each class, highest value first, summing to 1
            (default 20% / 30% / 50%, [`DEFAULT_SHARES`][aftersales_crm.segmentation.ParetoABC.DEFAULT_SHARES]); the classes are named A, B,
            C, … in order.
        cutoffs_: fitted: per class but the last, the value of the last customer in it or
            above it (NaN when nobody is, in the fit population: nobody passes).
        cutoff_ids_: fitted: the id of that customer (``""`` when the class is empty).
        customer_shares_: fitted: each class's share of the ranked customers.
        value_shares_: fitted: each class's share of their total value.
        class_customers_: fitted: customers per class.
        class_values_: fitted: the value summed per class.
        n_customers_: fitted: how many customers were ranked.
        n_with_value_: fitted: how many of them have a value above zero.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> abc = ParetoABC().fit(feats)
        >>> abc.assign(feats).counts()
        {'A': 6, 'B': 9, 'C': 15}
        >>> abc.customer_shares_
        (0.2, 0.3, 0.5)
        >>> round(sum(abc.value_shares_), 6)
        1.0

    References:
        The CSI course (第五章 客户信息分析与利用, 客户分类(价值)).
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True

    DEFAULT_VALUE: ClassVar[str] = "spend_fen"
    """Rank by cumulative spend, int64 fen: the library's choice of value measure; cumulative
    spend (消费累计) is among the dynamic customer data of 《信息回访员基础培训分析报告》."""

    DEFAULT_SHARES: ClassVar[tuple[float, ...]] = (0.2, 0.3, 0.5)
    """A = top 20% of customers, B = next 30%, C = remaining 50% (the CSI course)."""

    RULE_VALUE_SHARES: ClassVar[tuple[tuple[float, float], ...]] = (
        (0.70, 0.80),
        (0.20, 0.25),
        (0.05, 0.10),
    )
    """The share of value A, B and C are expected to bring: 70–80%, 20–25%, 5–10% (the CSI course)."""

    RULE_SOURCE: ClassVar[Quote] = Quote(
        _COURSE,
        "客户数量比重20%30%50%5-10%20-25%70-80%客户价值比例",
        "share of customers 20% 30% 50%; 5–10% 20–25% 70–80% share of customer value",
    )
    """The CSI course's chart of the classes' shares, as its text has it."""

    STRATEGIES: ClassVar[tuple[Quote, ...]] = (
        Quote(_COURSE, "重点抓A类客户", "focus on class A customers"),
        Quote(_COURSE, "照顾B类客户", "take care of class B customers"),
        Quote(_COURSE, "吸引C类客户", "attract class C customers"),
    )
    """Per class, A first, the CSI course's focus for it ("A、B、C三类客户信息管理重点")."""

    TRAITS: ClassVar[tuple[tuple[Quote, ...], ...]] = (
        (
            Quote(_COURSE, "价值贡献大、客户数量小", "large value contribution, few customers"),
            Quote(_COURSE, "依赖度较高,宽容度大", "fairly high dependence, great tolerance"),
        ),
        (
            Quote(_COURSE, "界于A、C类客户之间", "between class A and class C customers"),
            Quote(
                _COURSE,
                "理性客观、不满情绪不易表现",
                "rational and objective, dissatisfaction does not show easily",
            ),
        ),
        (
            Quote(_COURSE, "客户数量众多、价值贡献低", "many customers, low value contribution"),
            Quote(_COURSE, "价格倾向严重,不信任感强", "strongly price-minded, strong distrust"),
        ),
    )
    """Per class, A first, the CSI course's traits of its customers ("A类客户的特点", …)."""

    NAMES_ZH: ClassVar[str] = "类"
    """Suffix of the Chinese class names: A类, B类, C类."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "value": Column(),
        "shares": Numbers(
            low=0, high=1, max_count=_LETTERS, too_many=f"at most {_LETTERS} classes", sum_to=1
        ),
    }
    """A feature column; shares in [0, 1] summing to 1, at most one per letter A–Z."""

    cutoffs_: tuple[int | float, ...]
    cutoff_ids_: tuple[str, ...]
    customer_shares_: tuple[float, ...]
    value_shares_: tuple[float, ...]
    class_customers_: tuple[int, ...]
    class_values_: tuple[int | float, ...]
    n_customers_: int
    n_with_value_: int

    def __init__(
        self, *, value: str = DEFAULT_VALUE, shares: tuple[float, ...] = DEFAULT_SHARES
    ) -> None:
        self.value = value
        self.shares = shares

    def _shares(self) -> tuple[Fraction, ...]:
        numbers = validate_params(self)["shares"]
        # Exact decimal fractions, so 30 customers x 0.2 is 6, not 6.000000000000001.
        return tuple(Fraction(str(n)) for n in numbers)

    def _names(self) -> tuple[str, ...]:
        return tuple(string.ascii_uppercase[: len(self._shares())])

    def _fit(self, features: FeatureTable) -> None:
        shares = self._shares()
        values = numeric(features, self, "value", self.value)
        known = present(values)
        ranked, ids = values[known], features.ids[known]
        n = len(ranked)
        # Customers without value (not above zero) never rank above the lowest class.
        with_value = int(np.count_nonzero(ranked > 0))
        bounds, total = [], Fraction(0)
        for share in shares[:-1]:
            total += share
            bounds.append(min(with_value, math.ceil(n * total)))
        cutoffs: list[int | float] = []
        cutoff_ids: list[str] = []
        for bound in bounds:
            if bound == 0:  # the class is empty: nobody passes its cutoff
                cutoffs.append(math.nan)
                cutoff_ids.append("")
                continue
            position = bound - 1  # the class's last customer, counted from the highest value
            cutoff = np.partition(ranked, n - 1 - position)[n - 1 - position]
            ahead = int(np.count_nonzero(ranked > cutoff))
            tied = np.sort(ids[ranked == cutoff])
            cutoffs.append(python_number(cutoff))
            cutoff_ids.append(str(tied[position - ahead]))
        self.cutoffs_ = tuple(cutoffs)
        self.cutoff_ids_ = tuple(cutoff_ids)
        codes = self._classify(ranked, ids)
        self.n_customers_ = n
        self.n_with_value_ = with_value
        self.class_customers_ = tuple(int(np.count_nonzero(codes == k)) for k in range(len(shares)))
        self.class_values_ = tuple(
            python_number(ranked[codes == k].sum()) for k in range(len(shares))
        )
        whole = python_number(ranked.sum())
        self.customer_shares_ = tuple(_share(c, n) for c in self.class_customers_)
        self.value_shares_ = tuple(_share(v, whole) for v in self.class_values_)

    def _classify(self, values: NDArray[Any], ids: NDArray[np.str_]) -> NDArray[np.int16]:
        codes = np.zeros(len(values), dtype=np.int16)
        for cutoff, cutoff_id in zip(self.cutoffs_, self.cutoff_ids_, strict=True):
            passed = values > cutoff
            tied = np.flatnonzero(values == cutoff)
            passed[tied] = ids[tied] <= cutoff_id
            codes += ~passed
        return codes

    def assign(self, features: FeatureTable) -> Labels:
        """The class of each row: A, B, C, …; ``-1`` without a value.

        Args:
            features: the customers to classify (the fit population or any other).

        Returns:
            Labels aligned with the rows of ``features``.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a parameter is invalid or the value column is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(10, seed=1), as_of=date(2026, 6, 30))
            >>> ParetoABC().fit(feats).assign(feats).values("zh")[:3].tolist()
            ['C类', 'A类', 'C类']
        """
        check_is_fitted(self)
        names = self._names()
        values = numeric(features, self, "value", self.value)
        known = present(values)
        codes = np.full(len(values), MISSING, dtype=np.int16)
        if self.n_customers_:  # fitted on nobody: there is no ranking to place anyone in
            codes[known] = self._classify(values[known], features.ids[known])
        return labels(codes, names, [f"{name}{self.NAMES_ZH}" for name in names])

    def report(self) -> ParetoReport:
        """What each class holds in the fit population, beside the CSI course's rule.

        Returns:
            A [`ParetoReport`][aftersales_crm.segmentation.ParetoReport]; its ``rule`` is filled for the default shares only, its
            ``strategies`` and ``traits`` (the course's) whenever there are three classes.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> report = ParetoABC().fit(feats).report()
            >>> report.customers, report.follows_rule()
            ((6, 9, 15), False)
            >>> print(report.format("en"))  # doctest: +NORMALIZE_WHITESPACE
            A: 20.0% of customers, 65.1% of value (rule 70–80%)
              strategy: focus on class A customers
              traits: large value contribution, few customers; fairly high dependence, great
                tolerance
            B: 30.0% of customers, 28.9% of value (rule 20–25%)
              strategy: take care of class B customers
              traits: between class A and class C customers; rational and objective,
                dissatisfaction does not show easily
            C: 50.0% of customers, 6.1% of value (rule 5–10%)
              strategy: attract class C customers
              traits: many customers, low value contribution; strongly price-minded, strong
                distrust
        """
        check_is_fitted(self)
        default = _same_numbers(self.shares, self.DEFAULT_SHARES)
        three = len(self.class_customers_) == _MATERIAL_CLASSES
        return ParetoReport(
            names=self._names(),
            customers=self.class_customers_,
            values=self.class_values_,
            customer_shares=self.customer_shares_,
            value_shares=self.value_shares_,
            rule=self.RULE_VALUE_SHARES if default else (),
            strategies=self.STRATEGIES if three else (),
            traits=self.TRAITS if three else (),
            with_value=self.n_with_value_,
            measure=self.value,
        )


def _share(part: float, whole: float) -> float:
    # Nothing to share (no customers, or no value): every class holds none of it.
    return part / whole if whole else 0.0


def _same_numbers(given: Sequence[float], default: Sequence[float]) -> bool:
    return len(given) == len(default) and all(
        math.isclose(a, b) for a, b in zip(given, default, strict=True)
    )
