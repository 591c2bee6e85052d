"""ThresholdTiers, QuantileTiers and RFMScore on hand-computed tables."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import MatrixSummary
from aftersales_crm.segmentation import QuantileTiers, RFMScore, ThresholdTiers

AS_OF = date(2026, 6, 30)


def customers(**columns: Any) -> FeatureTable:
    return FeatureTable.from_columns(columns, as_of=AS_OF)


# ---------------------------------------------------------------- ThresholdTiers


@pytest.mark.parametrize(
    ("spend_fen", "expected"),
    [
        (2_000_000, "diamond"),
        (1_000_000, "diamond"),  # exactly the threshold reaches the level
        (999_999, "platinum"),
        (500_000, "platinum"),
        (200_000, "gold"),
        (199_999, "silver"),
        (0, "silver"),  # silver is every customer
    ],
)
def test_the_first_threshold_reached_gives_the_level(spend_fen: int, expected: str) -> None:
    table = customers(spend_window_fen=np.array([spend_fen], dtype=np.int64))
    assert list(ThresholdTiers().assign(table).values()) == [expected]


def test_below_every_threshold_there_is_no_level() -> None:
    table = customers(spend_window_fen=np.array([100, 50, 49, -1]))
    tiers = ThresholdTiers(thresholds=(100, 50), names=("vip", "member"))
    labels = tiers.assign(table)
    assert list(labels.values()) == ["vip", "member", None, None]
    assert labels.names_zh is None  # names without known Chinese names


def test_default_levels_come_with_chinese_names() -> None:
    labels = ThresholdTiers().assign(customers(spend_window_fen=np.array([0])))
    assert labels.names_zh == ("钻石", "白金", "黄金", "白银")


def test_a_missing_value_has_no_level() -> None:
    table = customers(score=np.array([np.nan, 2.5]))
    assert list(
        ThresholdTiers(value="score", thresholds=(2, 1), names=("a", "b")).assign(table).values()
    ) == [None, "a"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"thresholds": (1, 2, 3, 4)}, "thresholds"),  # increasing
        ({"thresholds": (3, 3, 2, 1)}, "thresholds"),  # not strictly decreasing
        ({"thresholds": (10**400, 2, 1, 0)}, "thresholds"),  # too large for a float
        ({"thresholds": (3, 2)}, "names"),  # four names for two thresholds
        ({"names": ("a", "a", "b", "c")}, "names"),  # repeated
        ({"names": ("a", "", "b", "c")}, "names"),  # empty
        ({"value": None}, "value"),
    ],
)
def test_threshold_parameters_are_checked_when_assigning(
    params: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(InvalidValue, match=f"ThresholdTiers: {parameter}="):
        ThresholdTiers(**params).assign(customers(spend_window_fen=np.array([1])))


# ---------------------------------------------------------------- QuantileTiers


def test_quantile_tiers_split_5_15_30_50_percent() -> None:
    table = customers(spend_window_fen=np.arange(1, 21))  # 1 ... 20
    fitted = QuantileTiers().fit(table)
    # numpy's linear quantiles of 1..20: 19.05, 16.2, 10.5
    assert fitted.cutoffs_ == pytest.approx((19.05, 16.2, 10.5))
    assert fitted.assign(table).counts() == {"diamond": 1, "platinum": 3, "gold": 6, "silver": 10}


def test_equal_values_share_a_tier_and_all_equal_is_the_last_tier() -> None:
    table = customers(spend_window_fen=np.array([7, 7, 7, 7]))
    assert list(QuantileTiers().fit(table).assign(table).values()) == ["silver"] * 4
    ties = customers(spend_window_fen=np.array([0, 0, 0, 0, 9, 9]))
    fitted = QuantileTiers(quantiles=(0.5,), names=("upper", "lower")).fit(ties)
    assert list(fitted.assign(ties).values()) == ["lower"] * 4 + ["upper"] * 2


def test_quantile_tiers_place_other_customers_by_the_fitted_cutoffs() -> None:
    fitted = QuantileTiers().fit(customers(spend_window_fen=np.arange(1, 21)))
    newcomers = customers(spend_window_fen=np.array([100, 19, 10, 11]))
    assert list(fitted.assign(newcomers).values()) == ["diamond", "platinum", "silver", "gold"]


def test_quantile_tiers_without_values() -> None:
    table = customers(spend_window_fen=np.array([1.0, np.nan]))
    assert list(QuantileTiers().fit(table).assign(table).values()) == ["silver", None]
    empty = table.take(np.array([], dtype=np.intp))
    fitted = QuantileTiers().fit(empty)
    assert all(math.isnan(c) for c in fitted.cutoffs_)
    assert list(fitted.assign(table).values()) == [None, None]
    assert len(fitted.assign(empty)) == 0


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"quantiles": (0.5, 0.8)}, "quantiles"),  # increasing
        ({"quantiles": (1.5,), "names": ("a", "b")}, "quantiles"),  # beyond 1
        ({"quantiles": (0.5,)}, "names"),  # four names for two levels
    ],
)
def test_quantile_parameters_are_checked_when_fitting(
    params: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(InvalidValue, match=f"QuantileTiers: {parameter}="):
        QuantileTiers(**params).fit(customers(spend_window_fen=np.array([1])))


def test_quantile_tiers_must_be_fitted() -> None:
    with pytest.raises(NotFittedError):
        QuantileTiers().assign(customers(spend_window_fen=np.array([1])))


# ---------------------------------------------------------------- RFMScore


def rfm_table() -> FeatureTable:
    # Five customers with visits, best first, and one without a visit.
    return customers(
        recency_days=np.array([10.0, 20.0, 30.0, 40.0, 50.0, np.nan]),
        frequency=np.array([5, 4, 3, 2, 1, 0]),
        spend_fen=np.array([500, 400, 300, 200, 100, 0]),
    )


def test_rfm_scores_are_quintiles_with_recency_reversed() -> None:
    fitted = RFMScore().fit(rfm_table())
    # Quintile edges of -recency: -42, -34, -26, -18; of frequency: 1.8, 2.6, 3.4, 4.2.
    assert fitted.recency_edges_ == pytest.approx((-42, -34, -26, -18))
    assert fitted.frequency_edges_ == pytest.approx((1.8, 2.6, 3.4, 4.2))
    assert fitted.scores(rfm_table()).tolist() == [
        [5, 5, 5], [4, 4, 4], [3, 3, 3], [2, 2, 2], [1, 1, 1], [0, 0, 0],
    ]  # fmt: skip


def test_rfm_segments_come_from_the_recency_frequency_grid() -> None:
    labels = RFMScore().fit(rfm_table()).assign(rfm_table())
    assert list(labels.values()) == [
        "champions", "loyal_customers", "need_attention", "hibernating", "hibernating", None,
    ]  # fmt: skip
    assert labels.names_zh is not None
    assert labels.names_zh[0] == "冠军客户"


@pytest.mark.parametrize(
    ("recency", "frequency", "segment"),
    [
        (1, 1, "hibernating"),
        (2, 4, "at_risk"),
        (1, 5, "cant_lose_them"),
        (3, 2, "about_to_sleep"),
        (3, 3, "need_attention"),
        (4, 5, "loyal_customers"),
        (4, 1, "promising"),
        (5, 1, "new_customers"),
        (5, 3, "potential_loyalists"),
        (5, 4, "champions"),
    ],
)
def test_the_grid_names_each_cell(recency: int, frequency: int, segment: str) -> None:
    names = [name for name, _ in RFMScore.SEGMENTS]
    assert names[RFMScore.GRID[recency - 1][frequency - 1]] == segment


def test_equal_frequencies_share_the_lowest_score() -> None:
    table = customers(
        recency_days=np.array([1.0, 2.0, 3.0]),
        frequency=np.array([3, 3, 3]),
        spend_fen=np.array([1, 1, 1]),
    )
    scores = RFMScore().fit(table).scores(table)
    assert scores[:, 1].tolist() == [1, 1, 1]
    assert scores[:, 2].tolist() == [1, 1, 1]


def test_other_bins_are_placed_in_the_grid_where_they_end() -> None:
    fitted = RFMScore(bins=3).fit(rfm_table())
    scores = fitted.scores(rfm_table())
    assert scores[:, 0].tolist() == [3, 3, 2, 1, 1, 0]
    # Scores 3, 2, 1 of three bins sit at grid scores 5, 4, 2.
    assert list(fitted.assign(rfm_table()).values())[:4] == [
        "champions", "champions", "loyal_customers", "hibernating",
    ]  # fmt: skip


def test_rfm_fitted_on_customers_without_visits_scores_nobody() -> None:
    nobody = customers(
        recency_days=np.array([np.nan]), frequency=np.array([0]), spend_fen=np.array([0])
    )
    fitted = RFMScore().fit(nobody)
    assert fitted.scores(rfm_table()).tolist() == [[0, 0, 0]] * 6
    assert list(fitted.assign(rfm_table()).values()) == [None] * 6


@pytest.mark.parametrize("bins", [1, 101, 2.5, True, "5"])
def test_bins_must_be_a_whole_number_from_2_to_100(bins: Any) -> None:
    with pytest.raises(InvalidValue, match="RFMScore: bins="):
        RFMScore(bins=bins).fit(rfm_table())


def test_rfm_must_be_fitted() -> None:
    with pytest.raises(NotFittedError):
        RFMScore().scores(rfm_table())


def test_the_member_levels_and_the_matrix_columns_share_their_chinese_names() -> None:
    # One home for 钻石/白金/黄金/白银: the tiers' names and the matrix's D/G/S columns.
    table = customers(spend_window_fen=np.array([1_000_000, 500_000, 200_000, 0]))
    levels = ThresholdTiers().assign(table)
    assert levels.names_zh == ("钻石", "白金", "黄金", "白银")
    diamond, _, gold, silver = levels.names_zh
    summary = MatrixSummary(
        np.ones((3, 3), dtype=np.int64), ("l", "s", "x"), None,
        ("diamond", "gold", "silver"), (diamond, gold, silver), 0,
    )  # fmt: skip
    assert summary.column_heads("zh") == ["D 钻石", "G 黄金", "S 白银"]
