"""ParetoABC: classes by cumulative customer share, cutoffs learnt in fit, ties by id."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation import ParetoABC, ParetoReport

AS_OF = date(2026, 6, 30)


def customers(ids: list[str] | None = None, **columns: Any) -> FeatureTable:
    return FeatureTable.from_columns(columns, ids=ids, as_of=AS_OF)


def spenders(*spend: int, ids: list[str] | None = None) -> FeatureTable:
    return customers(ids, spend_fen=np.array(spend, dtype=np.int64))


def classes(policy: ParetoABC, table: FeatureTable) -> list[str | None]:
    return list(policy.fit(table).assign(table).values())


def test_the_top_20_percent_are_a_the_next_30_percent_b_the_rest_c() -> None:
    table = spenders(*range(100, 1100, 100))  # C9 spends most
    assert classes(ParetoABC(), table) == ["C"] * 5 + ["B"] * 3 + ["A"] * 2


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, (1, 0, 0)),  # one customer: nobody ranks before them, so A
        (2, (1, 0, 1)),  # ceil(0.4) = 1 A, ceil(1.0) = 1 A+B
        (3, (1, 1, 1)),  # ceil(0.6) = 1, ceil(1.5) = 2
        (7, (2, 2, 3)),  # ceil(1.4) = 2, ceil(3.5) = 4
        (30, (6, 9, 15)),  # 30 x 0.2 is exactly 6, not 6.000000000000001 -> 7
    ],
)
def test_class_sizes_are_the_ceiling_of_the_cumulative_shares(
    n: int, expected: tuple[int, int, int]
) -> None:
    fitted = ParetoABC().fit(spenders(*range(1, n + 1)))
    assert fitted.class_customers_ == expected
    assert fitted.n_customers_ == n


def test_equal_values_at_a_cutoff_are_split_by_customer_id() -> None:
    table = spenders(10, 40, 50, 40, 5, 4, 3, 2, 1, 0)
    fitted = ParetoABC().fit(table)
    # Ranking: C2 50, C1 40, C3 40 (C1 before C3 by id), C0 10, C4 5, ...
    assert list(fitted.assign(table).values()) == [
        "B", "A", "A", "B", "B", "C", "C", "C", "C", "C",
    ]  # fmt: skip
    assert fitted.cutoffs_ == (40, 5)
    assert fitted.cutoff_ids_ == ("C1", "C4")


@pytest.mark.parametrize(
    ("customer_id", "spend", "expected"),
    [
        ("C0", 40, "A"),  # at the A cutoff, id before C1: passes it
        ("C1", 40, "A"),  # the cutoff customer themself
        ("C10", 40, "B"),  # at the cutoff, id after C1
        ("Z", 41, "A"),  # above the cutoff, whatever the id
        ("A", 39, "B"),  # below the A cutoff, above the B cutoff
        ("C4", 5, "B"),  # exactly the B cutoff customer
        ("C5", 5, "C"),  # at the B cutoff, id after C4
        ("A", 0, "C"),
    ],
)
def test_other_customers_get_the_class_their_value_and_id_would_have_had(
    customer_id: str, spend: int, expected: str
) -> None:
    fitted = ParetoABC().fit(spenders(10, 40, 50, 40, 5, 4, 3, 2, 1, 0))
    newcomer = spenders(spend, ids=[customer_id])
    assert list(fitted.assign(newcomer).values()) == [expected]


def test_all_equal_values_are_ranked_by_id() -> None:
    table = spenders(*([7] * 10), ids=[f"C{i}" for i in reversed(range(10))])
    fitted = ParetoABC().fit(table)
    # Rows hold C9 ... C0; C0 and C1 rank first.
    assert list(fitted.assign(table).values()) == ["C"] * 5 + ["B"] * 3 + ["A"] * 2
    # Each class holds the share of the value that it holds of the customers.
    assert fitted.value_shares_ == fitted.customer_shares_ == (0.2, 0.3, 0.5)


@pytest.mark.parametrize(
    "spend",
    [
        [0] * 10,  # nobody has spent anything
        [0],  # one customer, without spend
        [0, -5, 0],  # a refund is no value either
    ],
)
def test_when_nobody_has_value_everyone_is_in_the_lowest_class(spend: list[int]) -> None:
    table = spenders(*spend)
    fitted = ParetoABC().fit(table)
    assert list(fitted.assign(table).values()) == ["C"] * len(spend)
    assert fitted.class_customers_ == (0, 0, len(spend))
    assert fitted.customer_shares_ == (0.0, 0.0, 1.0)
    assert fitted.n_with_value_ == 0
    assert not any(math.isnan(s) for s in fitted.value_shares_ + fitted.customer_shares_)
    report = fitted.report()
    for text in (str(report), report.format("en"), report.format("zh")):
        assert "nan" not in text.lower()
    assert str(report).splitlines()[0] == (
        f"No customer has value: all {len(spend)} customers are in C."
    )
    assert report.format("zh").splitlines()[0] == f"没有客户有价值: 全部{len(spend)}位客户归入C类。"


def test_customers_without_value_never_rank_above_the_lowest_class() -> None:
    # One spender among ten: A holds them alone, not a zero spender beside them.
    table = spenders(0, 0, 500, 0, 0, 0, 0, 0, 0, 0)
    fitted = ParetoABC().fit(table)
    assert list(fitted.assign(table).values()) == ["C", "C", "A"] + ["C"] * 7
    assert fitted.class_customers_ == (1, 0, 9)
    assert fitted.value_shares_ == (1.0, 0.0, 0.0)
    assert fitted.n_with_value_ == 1
    assert "No customer has value" not in str(fitted.report())
    # A newcomer with spend passes the one spender only with more.
    assert list(fitted.assign(spenders(501, 499, 0)).values()) == ["A", "C", "C"]


def test_value_and_customer_shares_are_what_each_class_holds() -> None:
    fitted = ParetoABC().fit(spenders(800, 100, 50, 30, 20))
    assert fitted.class_customers_ == (1, 2, 2)
    assert fitted.class_values_ == (800, 150, 50)
    assert fitted.customer_shares_ == (0.2, 0.4, 0.4)
    assert fitted.value_shares_ == (0.8, 0.15, 0.05)


def test_the_report_compares_value_shares_with_the_rule() -> None:
    follows = ParetoABC().fit(spenders(400, 350, 80, 70, 50, 20, 10, 10, 5, 5)).report()
    assert follows == ParetoReport(
        names=("A", "B", "C"),
        customers=(2, 3, 5),
        values=(750, 200, 50),
        customer_shares=(0.2, 0.3, 0.5),
        value_shares=(0.75, 0.2, 0.05),
        rule=((0.7, 0.8), (0.2, 0.25), (0.05, 0.1)),
        strategies=ParetoABC.STRATEGIES,
        traits=ParetoABC.TRAITS,
        with_value=10,
    )
    assert follows.follows_rule()
    assert not ParetoABC().fit(spenders(800, 100, 50, 30, 20)).report().follows_rule()
    assert str(follows).splitlines()[1] == "B: 30.0% of customers, 20.0% of value (rule 20–25%)"


def test_the_report_has_no_rule_for_other_shares() -> None:
    report = ParetoABC(shares=(0.5, 0.5)).fit(spenders(3, 2, 1, 0)).report()
    assert report.names == ("A", "B")
    assert report.rule == ()
    assert not report.follows_rule()
    assert (
        str(report)
        == "A: 50.0% of customers, 83.3% of value\nB: 50.0% of customers, 16.7% of value"
    )


def test_shares_that_are_not_round_in_binary_still_split_exactly() -> None:
    third = 1 / 3
    fitted = ParetoABC(shares=(third, third, third)).fit(spenders(*range(300)))
    assert fitted.class_customers_ == (100, 100, 100)


def test_an_empty_class_at_the_top_holds_nobody() -> None:
    table = spenders(5, 4, 3)
    fitted = ParetoABC(shares=(0.0, 0.5, 0.5)).fit(table)
    assert math.isnan(fitted.cutoffs_[0])
    assert fitted.cutoff_ids_[0] == ""
    assert list(fitted.assign(table).values()) == ["B", "B", "C"]


def test_customers_without_a_value_are_not_ranked() -> None:
    table = customers(interval_mean_days=np.array([np.nan, 3.0, 1.0, 2.0, np.nan, 0.5]))
    fitted = ParetoABC(value="interval_mean_days").fit(table)
    assert fitted.n_customers_ == 4
    # Four ranked: ceil(0.8) = 1 A, ceil(2.0) = 2 A + B.
    assert list(fitted.assign(table).values()) == [None, "A", "C", "B", None, "C"]


def test_a_boolean_value_counts_as_zero_or_one() -> None:
    table = customers(flag=np.array([True, False, True, False, False]))
    fitted = ParetoABC(value="flag").fit(table)
    assert fitted.class_values_ == (1, 1, 0)


def test_an_empty_table_fits_and_gives_no_classes() -> None:
    table = spenders(1, 2, 3)
    empty = table.take(np.array([], dtype=np.intp))
    fitted = ParetoABC().fit(empty)
    assert fitted.n_customers_ == 0
    assert fitted.customer_shares_ == fitted.value_shares_ == (0.0, 0.0, 0.0)
    assert str(fitted.report()).splitlines()[0] == "No customer to rank: every class is empty."
    assert len(fitted.assign(empty)) == 0
    assert list(fitted.assign(table).values()) == [None, None, None]  # nobody to rank against
    assert len(ParetoABC().fit(table).assign(empty)) == 0


def test_the_chinese_names_are_a_lei_b_lei_c_lei() -> None:
    table = spenders(3, 2, 1, 0, 0)
    assert ParetoABC().fit(table).assign(table).names_zh == ("A类", "B类", "C类")


def test_assign_before_fit_is_refused() -> None:
    with pytest.raises(NotFittedError):
        ParetoABC().assign(spenders(1))
    with pytest.raises(NotFittedError):
        ParetoABC().report()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"shares": (0.2, 0.3, 0.4)},
            "shares=(0.2, 0.3, 0.4) is invalid: the shares must sum to 1",
        ),
        ({"shares": (-0.2, 0.7, 0.5)}, "numbers must be at least 0"),
        ({"shares": (0.2, "0.3", 0.5)}, "expected finite numbers"),
        ({"shares": (math.nan, 1.0)}, "expected finite numbers"),
        ({"shares": ()}, "expected at least 1 numbers"),
        ({"shares": "0.2"}, "expected at least 1 numbers"),
        ({"shares": (1 / 27,) * 27}, "at most 26 classes"),
        ({"value": 3}, "value=3 is invalid: expected the name of a feature column"),
        ({"value": "first_visit"}, "the column holds datetime64[D], not numbers"),
    ],
)
def test_invalid_parameters_are_named_when_fitting(params: dict[str, Any], message: str) -> None:
    table = customers(
        spend_fen=np.array([1, 2]), first_visit=np.array(["2026-01-01"] * 2, dtype="datetime64[D]")
    )
    policy = ParetoABC(**params)  # stored unchanged, checked later
    with pytest.raises(InvalidValue, match=r"^ParetoABC: ") as raised:
        policy.fit(table)
    assert message in str(raised.value)
    assert raised.value.code == "invalid_parameter"


def test_a_missing_value_column_names_what_there_is() -> None:
    with pytest.raises(InvalidValue, match="no column 'wealth'"):
        ParetoABC(value="wealth").fit(spenders(1))


def test_fit_leaves_the_policy_unfitted_and_unchanged() -> None:
    policy = ParetoABC(shares=(0.5, 0.5))
    fitted = policy.fit(spenders(1, 2))
    assert fitted is not policy
    assert not hasattr(policy, "cutoffs_")
    assert policy.shares == (0.5, 0.5)
    assert repr(fitted) == "ParetoABC(shares=(0.5, 0.5))"
