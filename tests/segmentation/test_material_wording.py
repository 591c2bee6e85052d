"""The training material's wording and data, carried by the segmentation policies verbatim.

Every expected string below is copied from the training document named in the test name or
comment; a policy that paraphrases the material fails here.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation import (
    ConsumptionLevel,
    ParetoABC,
    UsageHabit,
    VehicleAgeBand,
    VehicleAgeReport,
)
from aftersales_crm.values import Material

AS_OF = date(2026, 6, 30)
COURSE = Material.CSI_COURSE


def spenders(*spend: int) -> FeatureTable:
    return FeatureTable.from_columns({"spend_fen": np.array(spend, dtype=np.int64)}, as_of=AS_OF)


# ---------------------------------------------------------------- ParetoABC, the CSI course


def test_the_abc_strategies_are_the_csi_courses_words() -> None:
    # The CSI course, "A、B、C三类客户信息管理重点".
    assert [q.text for q in ParetoABC.STRATEGIES] == ["重点抓A类客户", "照顾B类客户", "吸引C类客户"]
    assert [q.english for q in ParetoABC.STRATEGIES] == [
        "focus on class A customers",
        "take care of class B customers",
        "attract class C customers",
    ]
    assert {q.source for q in ParetoABC.STRATEGIES} == {COURSE}


def test_the_abc_traits_are_the_csi_courses_words() -> None:
    # The CSI course, "A类客户的特点", "B类客户的特点", "C类客户的特点".
    assert [[q.text for q in traits] for traits in ParetoABC.TRAITS] == [
        ["价值贡献大、客户数量小", "依赖度较高,宽容度大"],
        ["界于A、C类客户之间", "理性客观、不满情绪不易表现"],
        ["客户数量众多、价值贡献低", "价格倾向严重,不信任感强"],
    ]
    assert {q.source for traits in ParetoABC.TRAITS for q in traits} == {COURSE}


def test_the_abc_shares_and_rule_are_read_from_the_csi_courses_chart() -> None:
    assert ParetoABC.RULE_SOURCE.source is COURSE
    assert ParetoABC.RULE_SOURCE.text == "客户数量比重20%30%50%5-10%20-25%70-80%客户价值比例"
    assert ParetoABC.DEFAULT_SHARES == (0.2, 0.3, 0.5)
    # The chart lists value shares from C up: A is paired with 70-80%.
    assert ParetoABC.RULE_VALUE_SHARES == ((0.7, 0.8), (0.2, 0.25), (0.05, 0.1))


def test_the_pareto_report_shows_the_strategy_and_traits_beside_the_shares() -> None:
    report = ParetoABC().fit(spenders(400, 350, 80, 70, 50, 20, 10, 10, 5, 5)).report()
    assert report.strategies == ParetoABC.STRATEGIES
    assert report.traits == ParetoABC.TRAITS
    assert report.format("zh").splitlines()[:3] == [
        "A类: 客户占20.0%, 价值占75.0% (规则70–80%)",
        "  策略: 重点抓A类客户",
        "  特点: 价值贡献大、客户数量小; 依赖度较高,宽容度大",
    ]
    assert report.format("en").splitlines()[3:5] == [
        "B: 30.0% of customers, 20.0% of value (rule 20–25%)",
        "  strategy: take care of class B customers",
    ]


def test_str_of_the_pareto_report_keeps_one_line_per_class() -> None:
    report = ParetoABC().fit(spenders(400, 350, 80, 70, 50, 20, 10, 10, 5, 5)).report()
    assert str(report) == report.format("en", material=False)
    assert len(str(report).splitlines()) == 3


def test_three_classes_of_other_shares_keep_the_strategies_but_not_the_rule() -> None:
    report = ParetoABC(shares=(0.1, 0.4, 0.5)).fit(spenders(*range(10))).report()
    assert report.rule == ()
    assert report.strategies == ParetoABC.STRATEGIES
    assert "  策略: 吸引C类客户" in report.format("zh").splitlines()


def test_other_than_three_classes_carry_no_strategies_or_traits() -> None:
    report = ParetoABC(shares=(0.5, 0.5)).fit(spenders(3, 2, 1, 0)).report()
    assert report.strategies == ()
    assert report.traits == ()
    assert report.format("zh") == "A类: 客户占50.0%, 价值占83.3%\nB类: 客户占50.0%, 价值占16.7%"


# ---------------------------------------------------------------- VehicleAgeBand, the CSI course


def test_the_vehicle_age_bands_are_the_csi_courses_headings() -> None:
    # The CSI course, 客户分类–车龄分类 and 客户信息管理的步骤.
    assert [q.text for q in VehicleAgeBand.MATERIAL_BANDS] == [
        "1-2年车龄客户的特点",
        "3-4年车龄客户的特点",
        "5年以上车龄客户的特点",
    ]
    assert VehicleAgeBand.DEFAULT_EDGES == (3, 5)


def test_the_vehicle_age_traits_are_the_csi_courses_words() -> None:
    assert [[q.text for q in traits] for traits in VehicleAgeBand.TRAITS] == [
        ["车辆进店维修的次数较高(是忠诚客户吗?)", "关于车辆问题对特约售后服务中心依赖度较高"],
        ["对车辆的关注程度明显下降", "车辆的故障逐渐增多"],
        ["对车辆的使用维护非常熟悉", "更加关注活动中价格变化"],
    ]
    assert {q.source for traits in VehicleAgeBand.TRAITS for q in traits} == {COURSE}


def _fleet(ages: list[float]) -> FeatureTable:
    n = len(ages)
    vehicles = FeatureTable(
        "vin",
        np.array([f"V{i}" for i in range(n)]),
        {
            "owner": np.arange(n, dtype=np.int64),
            "age_years": np.array(ages, dtype=np.float64),
        },
        AS_OF,
        "CNY",
    )
    return FeatureTable(
        "customer_id",
        np.array([f"C{i}" for i in range(n)]),
        {"vehicles_owned": np.ones(n, dtype=np.int64)},
        AS_OF,
        "CNY",
        vehicles=vehicles,
    )


def test_the_vehicle_age_report_counts_each_band_and_shows_its_traits() -> None:
    # Ages 0 and 2 are "1-2年" (year 0 joins it), 3 and 4 "3-4年", 5 "5年以上", NaN none.
    report = VehicleAgeBand().report(_fleet([0.0, 2.0, 3.0, 4.0, 5.0, math.nan]))
    assert report == VehicleAgeReport(
        names=("1–2 years", "3–4 years", "5+ years"),
        names_zh=("1–2年", "3–4年", "5年以上"),
        customers=(2, 2, 1),
        customer_shares=(0.4, 0.4, 0.2),
        unplaced=1,
        traits=VehicleAgeBand.TRAITS,
    )
    assert report.format("zh").splitlines() == [
        "1–2年: 2位客户, 40.0%",
        "  特点: 车辆进店维修的次数较高(是忠诚客户吗?); 关于车辆问题对特约售后服务中心依赖度较高",
        "3–4年: 2位客户, 40.0%",
        "  特点: 对车辆的关注程度明显下降; 车辆的故障逐渐增多",
        "5年以上: 1位客户, 20.0%",
        "  特点: 对车辆的使用维护非常熟悉; 更加关注活动中价格变化",
        "无车龄: 1位客户",
    ]
    assert str(report).splitlines() == [
        "1–2 years: 2 customers, 40.0%",
        "3–4 years: 2 customers, 40.0%",
        "5+ years: 1 customer, 20.0%",
        "without a band: 1 customer",
    ]
    assert report.format("en").splitlines()[5] == (
        "  traits: they know the use and upkeep of the vehicle very well;"
        " they pay more attention to price changes in promotions"
    )


def test_other_vehicle_age_bands_carry_no_traits() -> None:
    report = VehicleAgeBand(edges=(2,)).report(_fleet([0.0, 3.0]))
    assert report.traits == ()
    assert report.customers == (1, 1)
    assert report.format("zh") == "1年: 1位客户, 50.0%\n2年以上: 1位客户, 50.0%"


def test_a_vehicle_age_report_without_any_band_has_no_shares() -> None:
    report = VehicleAgeBand().report(_fleet([math.nan]))
    assert report.customers == (0, 0, 0)
    assert all(math.isnan(share) for share in report.customer_shares)
    assert report.unplaced == 1


@pytest.mark.parametrize("seed", [1, 2])
def test_the_vehicle_age_report_agrees_with_assign(seed: int) -> None:
    feats = features.compute(synthetic.book(40, seed=seed), as_of=AS_OF)
    labels = VehicleAgeBand().assign(feats)
    report = VehicleAgeBand().report(feats)
    assert dict(zip(report.names, report.customers, strict=True)) == {
        name: labels.counts().get(name, 0) for name in labels.names
    }
    assert report.unplaced == int(np.count_nonzero(labels.codes < 0))


# ---------------------------------------------------------------- 《汽车售后客户关系管理》


def test_consumption_levels_are_named_as_the_aftersales_crm_deck_names_them() -> None:
    # 《汽车售后客户关系管理》, 按照消费能力细分: 高价值客户、中价值客户、低价值客户.
    assert ConsumptionLevel.MATERIAL_NAMES.source is Material.AFTERSALES_CRM
    assert ConsumptionLevel.MATERIAL_NAMES.text == "高价值客户、中价值客户、低价值客户"
    assert ConsumptionLevel.NAMES_ZH == ("高价值客户", "中价值客户", "低价值客户")
    assert "、".join(ConsumptionLevel.NAMES_ZH) == ConsumptionLevel.MATERIAL_NAMES.text
    assert ConsumptionLevel.DEFAULT_NAMES == ("high", "medium", "low")  # codes unchanged


def test_usage_habits_are_named_as_the_aftersales_crm_deck_names_them() -> None:
    # 《汽车售后客户关系管理》, 按照用车习惯细分: 频繁使用者、偶尔使用者、长期闲置者.
    assert UsageHabit.MATERIAL_NAMES.source is Material.AFTERSALES_CRM
    assert UsageHabit.MATERIAL_NAMES.text == "频繁使用者、偶尔使用者、长期闲置者"
    assert UsageHabit.NAMES_ZH == ("频繁使用者", "偶尔使用者", "长期闲置者")
    assert "、".join(UsageHabit.NAMES_ZH) == UsageHabit.MATERIAL_NAMES.text
    assert UsageHabit.NAMES == ("frequent", "occasional", "long_idle")  # codes unchanged
