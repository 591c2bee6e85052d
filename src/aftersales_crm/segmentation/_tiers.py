"""Member value levels by fixed thresholds or by population quantiles of a value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from aftersales_crm._params import Column, Constraint, LengthOf, Names, Numbers, validate_params
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, check_is_fitted
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import (
    MISSING,
    above_cutoffs,
    at_or_above,
    labels,
    numeric,
    quantile_cutoffs,
)
from aftersales_crm.segmentation._levels import LEVEL_NAMES, names_zh

__all__ = ["QuantileTiers", "ThresholdTiers"]


class ThresholdTiers(BasePolicy):
    """Member levels by fixed value thresholds: diamond / platinum / gold / silver.

    A customer gets the first level whose threshold their value reaches (``>=``); a value
    below every threshold gets ``-1`` (no level), as does a missing value (NaN). Nothing is
    learnt from the population: the same customer gets the same level in any table.

    Attributes:
        value: the feature compared with the thresholds, a numeric column (default
            ``"spend_window_fen"``, spend in the trailing 12 months; [`DEFAULT_VALUE`][aftersales_crm.segmentation.ThresholdTiers.DEFAULT_VALUE]).
        thresholds: the lowest value of each level, strictly decreasing, one per name
            (default ¥10,000 / ¥5,000 / ¥2,000 / ¥0 in fen, [`DEFAULT_THRESHOLDS`][aftersales_crm.segmentation.ThresholdTiers.DEFAULT_THRESHOLDS]).
        names: the levels, highest first (default diamond, platinum, gold, silver; the
            Chinese names 钻石 / 白金 / 黄金 / 白银 come with the known level names).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> ThresholdTiers().assign(feats).counts()
        {'diamond': 1, 'platinum': 3, 'gold': 7, 'silver': 19}
        >>> ThresholdTiers(thresholds=(500_000, 100_000), names=("vip", "member")).assign(feats).counts()
        {'vip': 4, 'member': 10}

    References:
        《斯柯达车友汇客户关爱总监培训教材》: material value "时间段的总费用" (the total
        spend in a period) and the value classes "钻石级客户 白金级客户 黄金级客户……".
        The amounts are the library's choice.
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = False

    DEFAULT_VALUE: ClassVar[str] = "spend_window_fen"
    """Spend in a period (the owners' club's "时间段的总费用"): the trailing 12 months, in fen."""

    DEFAULT_THRESHOLDS: ClassVar[tuple[int, ...]] = (1_000_000, 500_000, 200_000, 0)
    """Diamond from ¥10,000 a year, platinum ¥5,000, gold ¥2,000, silver from ¥0 (in fen).

    The library's choice, not a published figure: the material names the levels but no
    amounts. In
    the synthetic dealer's base about 2% of customers reach diamond, 13% platinum or more
    and 37% gold or more; silver is every customer (the entry level of a membership card)."""

    DEFAULT_NAMES: ClassVar[tuple[str, ...]] = LEVEL_NAMES
    """Diamond / platinum / gold / silver (钻石/白金/黄金/白银): the value classes of
    《斯柯达车友汇客户关爱总监培训教材》
    "钻石级客户 白金级客户 黄金级客户……", silver its matrix's "S白银客户"."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "value": Column(),
        "thresholds": Numbers(order="decreasing"),
        "names": Names(count=LengthOf("thresholds")),
    }
    """A feature column; strictly decreasing thresholds; one distinct name per threshold."""

    def __init__(
        self,
        *,
        value: str = DEFAULT_VALUE,
        thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
        names: tuple[str, ...] = DEFAULT_NAMES,
    ) -> None:
        self.value = value
        self.thresholds = thresholds
        self.names = names

    def assign(self, features: FeatureTable) -> Labels:
        """The level of each row; ``-1`` below every threshold or without a value.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``.

        Raises:
            InvalidValue: a parameter is invalid or the value column is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> ThresholdTiers().assign(feats).values("zh").tolist()
            ['白银', '白银', '黄金', '黄金', '黄金']
        """
        params = validate_params(self)
        values = numeric(features, self, "value", params["value"])
        codes = at_or_above(values, params["thresholds"], MISSING)
        return labels(codes, params["names"], names_zh(params["names"]))


class QuantileTiers(BasePolicy):
    """Member levels by the population's quantiles of a value: top 5% / 15% / 30% / 50%.

    ``fit`` learns the value at each quantile (``cutoffs_``); a customer gets the first
    level whose cutoff their value is strictly above, else the last level. Equal values
    therefore always share a level (ties fall to the lower level), and a population of equal
    values is all in the last level. Missing values (NaN) get ``-1``, and so does everyone
    when the policy was fitted on a population without values.

    Attributes:
        value: the feature, a numeric column (default ``"spend_window_fen"``, spend in the
            trailing 12 months; [`DEFAULT_VALUE`][aftersales_crm.segmentation.QuantileTiers.DEFAULT_VALUE]).
        quantiles: the quantile each level but the last must be above, strictly decreasing
            in [0, 1] (default 0.95 / 0.80 / 0.50, [`DEFAULT_QUANTILES`][aftersales_crm.segmentation.QuantileTiers.DEFAULT_QUANTILES]).
        names: the levels, highest first, one more than the quantiles (default diamond,
            platinum, gold, silver).
        cutoffs_: fitted: the population's value at each quantile (numpy's linear
            interpolation).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
        >>> tiers = QuantileTiers().fit(feats)
        >>> tiers.assign(feats).counts()
        {'diamond': 2, 'platinum': 6, 'gold': 10, 'silver': 22}

    References:
        《客户关系与CSI培训课程(原件无标题)》, 客户分类(价值): "客户数量比重20%30%50%"
        (the A/B/C classes hold 20%, 30% and 50% of customers), whose top 20% the default
        divides into diamond and platinum; 《斯柯达车友汇客户关爱总监培训教材》 for the
        value classes.
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True

    DEFAULT_VALUE: ClassVar[str] = "spend_window_fen"
    """Spend in a period (the owners' club's "时间段的总费用"): the trailing 12 months, in fen."""

    DEFAULT_QUANTILES: ClassVar[tuple[float, ...]] = (0.95, 0.80, 0.50)
    """Diamond = top 5%, platinum = next 15%, gold = next 30%, silver = bottom 50%.

    The library's choice: it keeps the customer shares of the CSI course's value classes,
    "客户数量比重20%30%50%" (top 20% / next 30% / remaining 50%), and divides its top class
    into diamond and platinum."""

    DEFAULT_NAMES: ClassVar[tuple[str, ...]] = LEVEL_NAMES
    """Diamond / platinum / gold / silver (钻石/白金/黄金/白银): the value classes of
    《斯柯达车友汇客户关爱总监培训教材》
    "钻石级客户 白金级客户 黄金级客户……", silver its matrix's "S白银客户"."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "value": Column(),
        "quantiles": Numbers(order="decreasing", low=0, high=1),
        "names": Names(count=LengthOf("quantiles", plus=1)),
    }
    """A feature column; strictly decreasing quantiles in [0, 1]; one more name than them."""

    cutoffs_: tuple[float, ...]

    def __init__(
        self,
        *,
        value: str = DEFAULT_VALUE,
        quantiles: tuple[float, ...] = DEFAULT_QUANTILES,
        names: tuple[str, ...] = DEFAULT_NAMES,
    ) -> None:
        self.value = value
        self.quantiles = quantiles
        self.names = names

    def _fit(self, features: FeatureTable) -> None:
        params = validate_params(self)
        values = numeric(features, self, "value", params["value"])
        self.cutoffs_ = quantile_cutoffs(values, params["quantiles"])

    def assign(self, features: FeatureTable) -> Labels:
        """The level of each row; ``-1`` without a value.

        Args:
            features: the customers (the fit population or any other).

        Returns:
            Labels aligned with the rows of ``features``.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a parameter is invalid or the value column is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(40, seed=1), as_of=date(2026, 6, 30))
            >>> tiers = QuantileTiers(quantiles=(0.5,), names=("upper", "lower")).fit(feats)
            >>> tiers.assign(feats).counts()
            {'upper': 18, 'lower': 22}
        """
        check_is_fitted(self)
        params = validate_params(self)
        codes = above_cutoffs(numeric(features, self, "value", params["value"]), self.cutoffs_)
        return labels(codes, params["names"], names_zh(params["names"]))
