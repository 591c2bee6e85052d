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
    LoyaltyStatus,
    LoyaltyValueMatrix,
    MatrixSummary,
    Strategy,
)
from aftersales_crm.policies import BasePolicy, Labels, PolicyKind
from aftersales_crm.segmentation import MemberValue, ParetoABC, ThresholdTiers
from aftersales_crm.values import Material, Quote

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
    assert cells.names_zh[:3] == ("loyal·A", "loyal·B", "loyal·C")  # neither part has Chinese


@pytest.mark.parametrize(
    ("cell", "strategy"),
    [
        ("AD", Strategy.KEEP),  # 策略1, loyal: keep with care, whatever the value
        ("AG", Strategy.KEEP),
        ("AS", Strategy.KEEP),
        ("BD", Strategy.INVEST),  # 策略2, swinging: most of the marketing budget
        ("BG", Strategy.INVEST),
        ("BS", Strategy.INVEST),
        ("CD", Strategy.WIN_BACK),  # 策略3, lost and valuable: win back
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


# The four texts of the 客户细分矩阵 slide of 《斯柯达车友汇客户关爱总监培训教材》, copied
# from the document (its ASCII commas included), with their numbers 策略1/2/3.
MATERIAL_STRATEGIES = [
    (Strategy.KEEP, 1, "最具保留价值的客户,以预防为主,开展有效的客户关怀,适当的营销费用即可"),
    (Strategy.INVEST, 2, "亟待保留的客户,已处于摇摆状态,最需要投入营销预算,鼓励延长消费的群体"),
    (Strategy.WIN_BACK, 3, "价值高已流失,着重通过客户赢回方案促进再次入网消费"),
    (Strategy.NONE, 3, "已流失,不需要投入售后营销预算"),
]


@pytest.mark.parametrize(("strategy", "number", "text"), MATERIAL_STRATEGIES)
def test_each_strategy_is_the_material_word_for_word_with_its_number(
    strategy: Strategy, number: int, text: str
) -> None:
    assert strategy.label("zh") == text
    assert strategy.number == number
    assert strategy.heading("zh") == f"策略{number}"
    assert strategy.heading() == f"strategy {number}"
    assert strategy.quote == Quote(Material.OWNERS_CLUB, text, strategy.label("en"))
    assert str(strategy.quote) == f"《斯柯达车友汇客户关爱总监培训教材》: “{text}”"


def test_the_strategies_keep_the_material_terms_the_old_paraphrase_lost() -> None:
    assert "适当的营销费用" in Strategy.KEEP.label("zh")  # not 少量营销预算
    assert "鼓励延长消费" in Strategy.INVEST.label("zh")  # not 鼓励持续消费
    assert "赢回方案" in Strategy.WIN_BACK.label("zh")  # not 挽回计划
    assert [s.value for s in Strategy] == ["keep", "invest", "win_back", "none"]


def test_strategies_come_in_english_and_chinese() -> None:
    assert Strategy.KEEP.label() == (
        "customers most worth keeping: prevention first, effective customer care;"
        " appropriate marketing spending is enough"
    )
    labels = matrix().strategies(matrix().assign(grid()))
    assert list(labels.values()) == [
        "keep", "keep", "keep", "invest", "invest", "invest", "win_back", "win_back", "none", None, None,
    ]  # fmt: skip
    assert labels.names_zh is not None
    assert labels.names_zh[3] == "已流失,不需要投入售后营销预算"


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
        "            D diamond  G gold  S silver\n"
        "A loyal            10       2       300\n"
        "B swinging          0       0         0\n"
        "C lost              4       5         6"
    )
    # Chinese characters take two columns on a terminal.
    assert summary.format("zh").splitlines()[:2] == [
        "        D 钻石  G 黄金  S 白银",
        "A 忠诚      10       2     300",
    ]


def test_pareto_columns_show_their_own_names_not_the_member_letters() -> None:
    summary = MatrixSummary(
        counts=np.ones((3, 3), dtype=np.int64),
        row_names=("loyal", "swinging", "lost"),
        row_names_zh=("忠诚", "摇摆", "流失"),
        column_names=("A", "B", "C"),
        column_names_zh=("A类", "B类", "C类"),
        unplaced=0,
    )
    assert summary.column_heads("zh") == ["A类", "B类", "C类"]  # no "D (A类)"
    assert summary.column_heads() == ["class A", "class B", "class C"]  # not row letters
    assert summary.row_heads("zh") == ["A 忠诚", "B 摇摆", "C 流失"]
    assert "D" not in summary.format("zh")
    assert "D" not in summary.format()


def test_the_summary_as_a_data_frame() -> None:
    pytest.importorskip("pandas")
    frame = matrix().matrix(grid()).to_pandas()
    assert list(frame.index) == ["A loyal", "B swinging", "C lost"]
    assert list(frame.columns) == ["class A", "class B", "class C"]
    assert int(frame.to_numpy().sum()) == 9
    feats = features.compute(synthetic.book(20, seed=3), as_of=AS_OF)
    zh = LoyaltyValueMatrix().fit(feats).matrix(feats).to_pandas("zh")
    assert list(zh.index) == ["A 忠诚", "B 摇摆", "C 流失"]
    assert list(zh.columns) == ["D 钻石", "G 黄金", "S 白银"]


def test_the_default_matrix_is_loyalty_status_by_member_value_in_three_classes() -> None:
    feats = features.compute(synthetic.book(40, seed=3), as_of=AS_OF)
    fitted = LoyaltyValueMatrix().fit(feats)
    assert isinstance(fitted.loyalty_, LoyaltyStatus)
    assert isinstance(fitted.value_, MemberValue)
    assert (
        fitted.value_.get_params()
        == MemberValue(levels=(0.8, 0.5), names=("diamond", "gold", "silver")).get_params()
    )
    assert fitted.loyalty is None
    assert fitted.value is None
    cells = fitted.assign(feats)
    loyalty = LoyaltyStatus().assign(feats)
    value = MemberValue(levels=(0.8, 0.5), names=("diamond", "gold", "silver")).fit(feats)
    value_codes = value.assign(feats).codes
    assert sorted(np.bincount(value_codes).tolist()) == [8, 12, 20]  # 20 / 30 / 50%
    for row in range(len(feats)):
        row_code, column_code = int(loyalty.codes[row]), int(value_codes[row])
        expected = -1 if min(row_code, column_code) < 0 else 3 * row_code + column_code
        assert int(cells.codes[row]) == expected
    assert fitted.matrix(feats).total == int((cells.codes >= 0).sum())


def test_any_three_level_value_policy_can_be_the_columns() -> None:
    feats = features.compute(synthetic.book(20, seed=3), as_of=AS_OF)
    value = ThresholdTiers(thresholds=(500_000, 100_000, 0), names=("diamond", "gold", "silver"))
    summary = LoyaltyValueMatrix(value=value).fit(feats).matrix(feats)
    assert summary.column_names_zh == ("钻石", "黄金", "白银")
    assert summary.total + summary.unplaced == 20


def test_pareto_abc_can_still_be_the_value_part() -> None:
    feats = features.compute(synthetic.book(40, seed=3), as_of=AS_OF)
    summary = LoyaltyValueMatrix(value=ParetoABC()).fit(feats).matrix(feats)
    assert summary.column_heads("zh") == ["A类", "B类", "C类"]
    assert summary.total + summary.unplaced == 40


def test_a_two_label_rule_fills_rows_a_and_c_and_leaves_b_empty() -> None:
    two = Column(column="loyalty", names=("yes", "no"))
    table = FeatureTable(
        "customer_id",
        np.array(["C0", "C1", "C2", "C3"]),
        {
            "loyalty": np.array([0, 1, -1, 1], dtype=np.int16),
            "value": np.array([0, 2, 1, 1], dtype=np.int16),
        },
        AS_OF,
        "CNY",
    )
    fitted = LoyaltyValueMatrix(loyalty=two, value=VALUE).fit(table)
    assert list(fitted.assign(table).values()) == ["AD", "CS", None, "CG"]
    summary = fitted.matrix(table)
    assert summary.counts.tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 1]]
    assert summary.row_names == ("yes", "—", "no")
    assert summary.unplaced == 1
    assert list(fitted.strategies(fitted.assign(table)).values()) == [
        "keep", "none", None, "win_back",
    ]  # fmt: skip


def test_the_material_category_plugs_in_as_the_rows() -> None:
    feats = features.compute(synthetic.book(30, seed=3), as_of=AS_OF)
    fitted = LoyaltyValueMatrix(loyalty=FirstMaintenanceReturn()).fit(feats)
    category = FirstMaintenanceReturn().assign(feats).codes
    rows = fitted.assign(feats).codes // 3
    placed = fitted.assign(feats).codes >= 0
    assert (rows[placed & (category == 0)] == 0).all()
    assert (rows[placed & (category == 1)] == 2).all()
    summary = fitted.matrix(feats)
    assert summary.counts[1].sum() == 0
    assert summary.row_heads("zh") == ["A 忠诚", "B —", "C 非忠诚"]


def test_a_part_with_another_number_of_labels_is_refused() -> None:
    feats = features.compute(synthetic.book(5, seed=3), as_of=AS_OF)
    four = Column(column="loyalty", names=("a", "b", "c", "d"))
    table = grid()
    with pytest.raises(InvalidValue, match="loyalty must give 2 or 3 labels per row"):
        LoyaltyValueMatrix(loyalty=four, value=VALUE).fit(table).assign(table)
    tiers = LoyaltyValueMatrix(value=ThresholdTiers()).fit(feats)
    with pytest.raises(InvalidValue, match="value must give 3 labels per row"):
        tiers.matrix(feats)


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
