"""LoyaltyValueMatrix: nine cells, their strategies and the summary the demo prints."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import (
    FirstMaintenanceReturn,
    LoyaltyValueMatrix,
    MatrixSummary,
    ServiceIntervalStatus,
    Strategy,
)
from aftersales_crm.policies import BasePolicy, Labels, PolicyKind
from aftersales_crm.segmentation import ParetoABC, ThresholdTiers

AS_OF = date(2026, 6, 30)


class Column(BasePolicy):
    """Labels read straight from a column of codes: a fake loyalty rule or value policy."""

    kind: ClassVar[PolicyKind] = "loyalty"

    def __init__(
        self, *, column: str = "loyalty", names: tuple[str, ...] = ("l", "s", "x")
    ) -> None:
        self.column = column
        self.names = names

    def assign(self, features: FeatureTable) -> Labels:
        names: Any = self.names
        return Labels(features[self.column], names)


LOYALTY = Column(column="loyalty", names=("loyal", "swinging", "lost"))
VALUE = Column(column="value", names=("A", "B", "C"))


def grid() -> FeatureTable:
    # Every cell once, row by row, then a customer without loyalty and one without value.
    loyalty = [0, 0, 0, 1, 1, 1, 2, 2, 2, -1, 0]
    value = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, -1]
    return FeatureTable(
        "customer_id",
        np.array([f"C{i:02d}" for i in range(len(loyalty))]),
        {"loyalty": np.array(loyalty, dtype=np.int16), "value": np.array(value, dtype=np.int16)},
        AS_OF,
        "CNY",
    )


def matrix() -> LoyaltyValueMatrix:
    return LoyaltyValueMatrix(loyalty=LOYALTY, value=VALUE).fit(grid())


def test_each_customer_gets_the_cell_of_their_loyalty_row_and_value_column() -> None:
    cells = matrix().assign(grid())
    assert list(cells.values()) == [
        "AD",
        "AG",
        "AS",
        "BD",
        "BG",
        "BS",
        "CD",
        "CG",
        "CS",
        None,
        None,
    ]
    assert cells.names == LoyaltyValueMatrix.cells()
    assert cells.names_zh is not None
    assert cells.names_zh[:3] == (
        "loyal·钻石",
        "loyal·黄金",
        "loyal·白银",
    )  # the rule has no Chinese


@pytest.mark.parametrize(
    ("cell", "strategy"),
    [
        ("AD", Strategy.KEEP),  # loyal: keep with care, whatever the value
        ("AG", Strategy.KEEP),
        ("AS", Strategy.KEEP),
        ("BD", Strategy.INVEST),  # swinging: most of the marketing budget
        ("BG", Strategy.INVEST),
        ("BS", Strategy.INVEST),
        ("CD", Strategy.WIN_BACK),  # lost and valuable: win back
        ("CG", Strategy.WIN_BACK),
        ("CS", Strategy.NONE),  # lost and low value: no budget
    ],
)
def test_the_strategy_of_each_cell(cell: str, strategy: Strategy) -> None:
    assert LoyaltyValueMatrix().strategy_of(cell) is strategy


@pytest.mark.parametrize(
    ("win_back", "expected"),
    [
        (("D",), ["win_back", "none", "none"]),  # diamond alone
        (("D", "G", "S"), ["win_back", "win_back", "win_back"]),
        ((), ["none", "none", "none"]),  # no win-back programme at all
        (["G"], ["none", "win_back", "none"]),  # any collection of letters
    ],
)
def test_the_win_back_columns_can_be_chosen(win_back: Any, expected: list[str]) -> None:
    policy = LoyaltyValueMatrix(win_back=win_back)
    assert [policy.strategy_of(cell).value for cell in ("CD", "CG", "CS")] == expected
    assert policy.strategy_of("AS") is Strategy.KEEP  # other rows are not affected
    assert policy.strategy_of("BS") is Strategy.INVEST


@pytest.mark.parametrize("win_back", ["DG", ("X",), ("D", 1), None, 3])
def test_win_back_columns_must_be_column_letters(win_back: Any) -> None:
    with pytest.raises(InvalidValue, match="LoyaltyValueMatrix: win_back="):
        LoyaltyValueMatrix(win_back=win_back).strategy_of("CD")


def test_strategies_come_in_english_and_chinese() -> None:
    assert (
        Strategy.KEEP.label()
        == "loyal: most worth keeping; prevent churn, care, modest marketing budget"
    )
    assert Strategy.WIN_BACK.label("zh") == "高价值流失客户：开展挽回计划"
    labels = matrix().strategies(matrix().assign(grid()))
    assert list(labels.values()) == [
        "keep", "keep", "keep", "invest", "invest", "invest", "win_back", "win_back", "none", None, None,
    ]  # fmt: skip
    assert labels.names_zh is not None
    assert labels.names_zh[3] == "低价值流失客户：不投入售后营销预算"


@pytest.mark.parametrize("cell", ["", "AX", "DA", "ad", 3])
def test_an_unknown_cell_is_a_key_error(cell: Any) -> None:
    with pytest.raises(KeyError):
        LoyaltyValueMatrix().strategy_of(cell)


def test_strategies_need_the_labels_of_the_cells() -> None:
    names: Any = ("x",)
    with pytest.raises(InvalidValue, match="expected labels of the cells"):
        matrix().strategies(Labels(np.array([0]), names))


def test_the_matrix_counts_customers_per_cell() -> None:
    summary = matrix().matrix(grid())
    assert summary.counts.tolist() == [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
    assert (summary.total, summary.unplaced) == (9, 2)
    assert summary.count("CS") == 1
    assert summary.row_names == ("loyal", "swinging", "lost")
    assert summary.column_names == ("A", "B", "C")
    with pytest.raises(KeyError):
        summary.count("XX")


def test_the_summary_prints_as_a_table() -> None:
    summary = MatrixSummary(
        counts=np.array([[10, 2, 300], [0, 0, 0], [4, 5, 6]]),
        row_names=("loyal", "swinging", "lost"),
        row_names_zh=("忠诚", "摇摆", "流失"),
        column_names=("diamond", "gold", "silver"),
        column_names_zh=("钻石", "黄金", "白银"),
        unplaced=0,
    )
    assert str(summary) == (
        "            D (diamond)  G (gold)  S (silver)\n"
        "A loyal              10         2         300\n"
        "B swinging            0         0           0\n"
        "C lost                4         5           6"
    )
    # Chinese characters take two columns on a terminal.
    assert summary.format("zh").splitlines()[1] == "A 忠诚        10         2       300"


def test_the_summary_as_a_data_frame() -> None:
    pytest.importorskip("pandas")
    frame = matrix().matrix(grid()).to_pandas()
    assert list(frame.index) == ["A", "B", "C"]
    assert list(frame.columns) == ["D", "G", "S"]
    assert int(frame.to_numpy().sum()) == 9


def test_the_default_matrix_is_interval_status_by_pareto_value() -> None:
    feats = features.compute(synthetic.book(40, seed=3), as_of=AS_OF)
    fitted = LoyaltyValueMatrix().fit(feats)
    assert isinstance(fitted.loyalty_, ServiceIntervalStatus)
    assert isinstance(fitted.value_, ParetoABC)
    assert fitted.loyalty is None
    assert fitted.value is None
    cells = fitted.assign(feats)
    loyalty = ServiceIntervalStatus().assign(feats)
    value = ParetoABC().fit(feats).assign(feats)
    for row in range(len(feats)):
        row_code, column_code = int(loyalty.codes[row]), int(value.codes[row])
        expected = -1 if min(row_code, column_code) < 0 else 3 * row_code + column_code
        assert int(cells.codes[row]) == expected
    assert fitted.matrix(feats).total == int((cells.codes >= 0).sum())


def test_any_three_level_value_policy_can_be_the_columns() -> None:
    feats = features.compute(synthetic.book(20, seed=3), as_of=AS_OF)
    value = ThresholdTiers(thresholds=(500_000, 100_000, 0), names=("diamond", "gold", "silver"))
    summary = LoyaltyValueMatrix(value=value).fit(feats).matrix(feats)
    assert summary.column_names_zh == ("钻石", "黄金", "白银")
    assert summary.total + summary.unplaced == 20


def test_a_part_without_three_labels_is_refused() -> None:
    feats = features.compute(synthetic.book(5, seed=3), as_of=AS_OF)
    two = LoyaltyValueMatrix(loyalty=FirstMaintenanceReturn()).fit(feats)
    with pytest.raises(InvalidValue, match="loyalty must give 3 labels per row"):
        two.assign(feats)
    four = LoyaltyValueMatrix(value=ThresholdTiers()).fit(feats)
    with pytest.raises(InvalidValue, match="value must give 3 labels per row"):
        four.matrix(feats)


@pytest.mark.parametrize("parameter", ["loyalty", "value"])
def test_a_part_that_is_not_a_policy_is_refused_when_fitting(parameter: str) -> None:
    with pytest.raises(InvalidValue, match=f"LoyaltyValueMatrix: {parameter}='abc'"):
        LoyaltyValueMatrix(**{parameter: "abc"}).fit(grid())  # type: ignore[arg-type]


def test_the_matrix_must_be_fitted() -> None:
    with pytest.raises(NotFittedError):
        LoyaltyValueMatrix().assign(grid())
    with pytest.raises(NotFittedError):
        LoyaltyValueMatrix().matrix(grid())


def test_fitting_the_matrix_fits_copies_of_its_parts() -> None:
    value = ParetoABC()
    policy = LoyaltyValueMatrix(value=value)
    fitted = policy.fit(features.compute(synthetic.book(10, seed=3), as_of=AS_OF))
    assert not hasattr(value, "cutoffs_")
    assert hasattr(fitted.value_, "cutoffs_")
    assert repr(policy) == "LoyaltyValueMatrix(value=ParetoABC())"


def test_the_cells_and_their_positions() -> None:
    assert LoyaltyValueMatrix.cells() == ("AD", "AG", "AS", "BD", "BG", "BS", "CD", "CG", "CS")
    assert [LoyaltyValueMatrix.position(c) for c in ("AD", "CS")] == [(0, 0), (2, 2)]
