"""Key-driver analysis: five measures by hand, by brute force and under hypothesis; IPA."""

from __future__ import annotations

import contextlib
import itertools
import math
import pickle
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from aftersales_crm.errors import AftersalesError, InvalidValue, NotFittedError
from aftersales_crm.satisfaction import (
    MAX_SHAPLEY_PREDICTORS,
    METHODS,
    ImportancePerformance,
    KeyDrivers,
    Quadrant,
    importance_performance,
)

Array = NDArray[np.float64]


def hadamard(n: int) -> Array:
    """Sylvester's Hadamard matrix: its columns but the first are centred and orthogonal."""
    h = np.array([[1.0]])
    while len(h) < n:
        h = np.block([[h, h], [h, -h]])
    return h


def correlated(seed: int, n: int, p: int) -> tuple[Array, Array]:
    """Predictors that correlate (a random mixing), and a y that depends on them."""
    rng = np.random.default_rng(seed)
    mixing = np.eye(p) + 0.6 * rng.normal(size=(p, p))
    x = rng.normal(size=(n, p)) @ mixing + rng.uniform(1, 9, size=p)
    y = x @ rng.normal(size=p) + rng.normal(size=n) * 2
    return x, y


# ------------------------------------------------------------------ references


def ols_r2(x: Array, y: Array, subset: tuple[int, ...]) -> float:
    """R² of y on the raw columns in ``subset`` and an intercept, by least squares."""
    if not subset:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x[:, list(subset)]])
    coefficients = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ coefficients
    return float(1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def shapley_by_orderings(x: Array, y: Array) -> Array:
    """Each predictor's increment of R² averaged over all p! orders of entry."""
    p = x.shape[1]
    r2 = {s: ols_r2(x, y, s) for k in range(p + 1) for s in itertools.combinations(range(p), k)}
    total = np.zeros(p)
    for order in itertools.permutations(range(p)):
        for position, j in enumerate(order):
            before = tuple(sorted(order[:position]))
            total[j] += r2[tuple(sorted((*before, j)))] - r2[before]
    return total / math.factorial(p)


def johnson_by_svd(x: Array, y: Array) -> Array:
    """Johnson's weights from the data: Z = U S Vᵀ, its orthogonal twin Z* = U Vᵀ."""
    z = (x - x.mean(axis=0)) / x.std(axis=0) / math.sqrt(len(y))  # columns of unit length
    zy = (y - y.mean()) / y.std() / math.sqrt(len(y))
    u, _, vt = np.linalg.svd(z, full_matrices=False)
    twin = u @ vt
    weights = np.linalg.lstsq(twin, zy, rcond=None)[0]  # y on the orthogonal twins
    loadings = np.linalg.lstsq(twin, z, rcond=None)[0]  # each x on the twins: Λ (k × j)
    return np.asarray((loadings.T**2) @ (weights**2))


def betas_by_lstsq(x: Array, y: Array) -> Array:
    """Standardised betas: OLS of standardised y on standardised x."""
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    zy = (y - y.mean()) / y.std()
    return np.asarray(np.linalg.lstsq(z, zy, rcond=None)[0])


# ------------------------------------------------------------------ orthogonal predictors


def test_with_orthogonal_predictors_every_measure_is_the_squared_correlation() -> None:
    h = hadamard(8)
    x = h[:, 1:4] * [2.0, 1.0, 0.5] + [7.0, 8.0, 6.0]  # three orthogonal contrasts, rescaled
    y = h[:, 1] * 3 + h[:, 2] * 2 + h[:, 3] + h[:, 4] * 2  # and one the predictors miss
    fitted = KeyDrivers().fit(x, y)
    # y's variance is 9 + 4 + 1 + 4 = 18 units: r_j² = 9/18, 4/18, 1/18, R² = 14/18.
    expected = np.array([9, 4, 1]) / 18
    assert fitted.correlations_ == pytest.approx(np.sqrt(expected))
    assert fitted.r2_ == pytest.approx(14 / 18)
    for method in METHODS:
        assert fitted.importances_[method] == pytest.approx(expected), method
        assert fitted.shares_[method] == pytest.approx([9 / 14, 4 / 14, 1 / 14]), method


def test_the_shapley_decomposition_is_exact_at_twelve_orthogonal_predictors() -> None:
    h = hadamard(16)
    x = h[:, 1:13]
    weights = np.arange(1.0, 13.0)
    y = x @ weights + h[:, 13] * 10  # a part no predictor explains
    fitted = KeyDrivers(methods=["shapley", "johnson"]).fit(x, y)
    squared = weights**2 / (weights @ weights + 100)
    assert fitted.p_ == 12
    assert fitted.importances_["shapley"] == pytest.approx(squared, abs=1e-12)
    assert fitted.importances_["johnson"] == pytest.approx(squared, abs=1e-12)


# ------------------------------------------------------------------ a collinear case


def test_a_collinear_case_splits_r2_by_hand() -> None:
    # a, b, c, d: orthogonal centred ±1 contrasts of equal length (one unit of variance each).
    h = hadamard(8)
    a, b, c, d = h[:, 1], h[:, 2], h[:, 3], h[:, 4]
    x = np.column_stack([a, a + b, c])  # x1 and x2 correlate: r = 1/√2; x3 stands apart
    y = a + c + d  # three units of variance; R²(S) = the units span(S) explains / 3
    # R² of every subset:
    #   ∅ 0 | {1} 1/3 (a) | {2} 1/6 ((y·(a+b))² / (|a+b|²|y|²) = 1/(2·3)) | {3} 1/3 (c)
    #   {1,2} 1/3 (a, b: a only) | {1,3} 2/3 (a, c) | {2,3} 1/2 (1/6 + 1/3) | {1,2,3} 2/3
    # Shapley weights for p = 3: |S| = 0: 1/3, |S| = 1: 1/6 each, |S| = 2: 1/3.
    #   φ1 = 1/3·1/3 + 1/6·(1/3 − 1/6) + 1/6·(2/3 − 1/3) + 1/3·(2/3 − 1/2) = 1/4
    #   φ2 = 1/3·1/6 + 1/6·(1/3 − 1/3) + 1/6·(1/2 − 1/3) + 1/3·(2/3 − 2/3) = 1/12
    #   φ3 = 1/3 whatever came before (x3 is orthogonal to x1, x2 and their span)
    # and 1/4 + 1/12 + 1/3 = 2/3 = R².
    # The fit is y ≈ a + c = x1 + x3, so β = (1/√3, 0, 1/√3), r = (1/√3, 1/√6, 1/√3):
    # Pratt's β_j r_j = (1/3, 0, 1/3), shares (1/2, 0, 1/2).
    fitted = KeyDrivers().fit(x, y, names=["x1", "x2", "x3"])
    assert fitted.r2_ == pytest.approx(2 / 3)
    assert fitted.importances_["shapley"] == pytest.approx([1 / 4, 1 / 12, 1 / 3])
    assert fitted.importances_["shapley"].sum() == pytest.approx(fitted.r2_)
    assert fitted.shares_["shapley"] == pytest.approx([3 / 8, 1 / 8, 1 / 2])
    third = 1 / math.sqrt(3)
    assert fitted.correlations_ == pytest.approx([third, 1 / math.sqrt(6), third])
    assert fitted.betas_ == pytest.approx([third, 0, third], abs=1e-12)
    assert fitted.importances_["pratt"] == pytest.approx([1 / 3, 0, 1 / 3], abs=1e-12)
    assert fitted.shares_["pratt"] == pytest.approx([1 / 2, 0, 1 / 2], abs=1e-12)
    assert fitted.shares_["correlation"] == pytest.approx([2 / 5, 1 / 5, 2 / 5])
    assert fitted.importances_["johnson"].sum() == pytest.approx(2 / 3)


def test_pratt_goes_negative_for_a_suppressor() -> None:
    h = hadamard(8)
    a, b = h[:, 1], h[:, 2]
    x = np.column_stack([a + b, b])  # x2 carries only what x1 must shed
    y = a + 0.5 * h[:, 3]
    fitted = KeyDrivers().fit(x, y)
    # y ≈ a = x1 − x2: x2's beta is negative while its correlation with y is 0 ...
    assert fitted.correlations_[1] == pytest.approx(0, abs=1e-12)
    # ... so a suppressor: zero Pratt, while Shapley still gives it a part of R².
    assert fitted.importances_["pratt"][1] == pytest.approx(0, abs=1e-12)
    assert fitted.importances_["shapley"][1] > 0
    # y = a + b/2 + c: var 9/4; x1 = a + b (sd √2), x2 = b (sd 1); y ≈ a + b/2 = x1 − x2/2.
    # r = (3/2 / (√2 · 3/2), 1/2 / (3/2)) = (1/√2, 1/3); β = (√2 / (3/2), −(1/2) / (3/2))
    # = (2√2/3, −1/3); Pratt's β_j r_j = (2/3, −1/9), summing to R² = (5/4) / (9/4) = 5/9;
    # shares (6/5, −1/5).
    y = a + 0.5 * b + h[:, 3]
    fitted = KeyDrivers().fit(x, y)
    assert fitted.correlations_ == pytest.approx([1 / math.sqrt(2), 1 / 3])
    assert fitted.betas_ == pytest.approx([2 * math.sqrt(2) / 3, -1 / 3])
    assert fitted.r2_ == pytest.approx(5 / 9)
    assert fitted.importances_["pratt"] == pytest.approx([2 / 3, -1 / 9])
    assert fitted.shares_["pratt"] == pytest.approx([6 / 5, -1 / 5])


# ------------------------------------------------------------------ against brute force


@pytest.mark.parametrize("p", [1, 2, 3, 4, 5])
def test_every_measure_matches_an_independent_computation_from_the_raw_data(p: int) -> None:
    x, y = correlated(seed=p, n=60, p=p)
    fitted = KeyDrivers().fit(x, y)
    assert fitted.r2_ == pytest.approx(ols_r2(x, y, tuple(range(p))), rel=1e-10)
    assert fitted.importances_["shapley"] == pytest.approx(shapley_by_orderings(x, y), rel=1e-9)
    assert fitted.importances_["johnson"] == pytest.approx(johnson_by_svd(x, y), rel=1e-9)
    assert fitted.betas_ == pytest.approx(betas_by_lstsq(x, y), rel=1e-9)
    r = np.array([np.corrcoef(x[:, j], y)[0, 1] for j in range(p)])
    assert fitted.correlations_ == pytest.approx(r, rel=1e-10)
    assert fitted.importances_["pratt"] == pytest.approx(betas_by_lstsq(x, y) * r, rel=1e-9)
    assert fitted.means_ == pytest.approx(x.mean(axis=0))


# ------------------------------------------------------------------ properties

seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(2, 6)


@settings(max_examples=25)
@given(seed=seeds, p=sizes)
def test_the_decompositions_sum_to_r2_and_pratt_shares_to_one(seed: int, p: int) -> None:
    x, y = correlated(seed, n=40, p=p)
    fitted = KeyDrivers().fit(x, y)
    assert 0 <= fitted.r2_ <= 1
    assert fitted.importances_["shapley"].sum() == pytest.approx(fitted.r2_, rel=1e-9)
    assert fitted.importances_["johnson"].sum() == pytest.approx(fitted.r2_, rel=1e-9)
    assert fitted.importances_["pratt"].sum() == pytest.approx(fitted.r2_, rel=1e-9)
    assert fitted.shares_["pratt"].sum() == pytest.approx(1)
    for method in METHODS:
        assert fitted.shares_[method].sum() == pytest.approx(1), method
    assert (fitted.importances_["shapley"] >= -1e-12).all()
    assert (fitted.importances_["johnson"] >= 0).all()


@settings(max_examples=25)
@given(seed=seeds, p=sizes, data=st.data())
def test_reordering_the_predictors_reorders_the_results_and_changes_nothing_else(
    seed: int, p: int, data: st.DataObject
) -> None:
    x, y = correlated(seed, n=40, p=p)
    names = [f"factor {j}" for j in range(p)]
    order = data.draw(st.permutations(range(p)), label="order")
    before = KeyDrivers().fit(x, y, names=names)
    after = KeyDrivers().fit(x[:, order], y, names=[names[j] for j in order])
    assert after.names_ == tuple(names[j] for j in order)
    assert after.r2_ == pytest.approx(before.r2_, rel=1e-12)
    for method in METHODS:
        assert after.importances_[method] == pytest.approx(
            before.importances_[method][order], rel=1e-9, abs=1e-14
        ), method
    assert after.betas_ == pytest.approx(before.betas_[order], rel=1e-9, abs=1e-14)
    assert after.means_ == pytest.approx(before.means_[order])


@settings(max_examples=25)
@given(
    seed=seeds,
    p=sizes,
    data=st.data(),
    scale=st.sampled_from([-250.0, -1.0, 0.01, 7.5, 1e4]),
    shift=st.floats(-100, 100),
)
def test_an_affine_rescaling_of_a_predictor_changes_no_importance(
    seed: int, p: int, data: st.DataObject, scale: float, shift: float
) -> None:
    x, y = correlated(seed, n=40, p=p)
    j = data.draw(st.integers(0, p - 1), label="predictor")
    moved = x.copy()
    moved[:, j] = moved[:, j] * scale + shift
    before, after = KeyDrivers().fit(x, y), KeyDrivers().fit(moved, y)
    assert after.r2_ == pytest.approx(before.r2_, rel=1e-9)
    for method in METHODS:
        assert after.importances_[method] == pytest.approx(
            before.importances_[method], rel=1e-7, abs=1e-12
        ), method
    sign = np.ones(p)
    sign[j] = math.copysign(1, scale)  # a negative scale flips that predictor's r and beta
    assert after.correlations_ == pytest.approx(before.correlations_ * sign, rel=1e-7, abs=1e-12)
    assert after.betas_ == pytest.approx(before.betas_ * sign, rel=1e-7, abs=1e-12)


# ------------------------------------------------------------------ inputs and missing answers


def test_a_mapping_and_an_array_give_the_same_analysis() -> None:
    x, y = correlated(seed=3, n=30, p=3)
    by_array = KeyDrivers().fit(x, y, names=["a", "b", "c"])
    by_mapping = KeyDrivers().fit({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2]}, y)
    assert by_mapping.names_ == by_array.names_ == ("a", "b", "c")
    for method in METHODS:
        assert by_mapping.importances_[method] == pytest.approx(by_array.importances_[method])


def test_a_dataframe_gives_its_column_names() -> None:
    pd = pytest.importorskip("pandas")
    x, y = correlated(seed=4, n=30, p=2)
    fitted = KeyDrivers().fit(pd.DataFrame(x, columns=["advisor", "facility"]), pd.Series(y))
    assert fitted.names_ == ("advisor", "facility")
    assert fitted.n_ == 30


def test_names_default_to_x0_x1_and_so_on() -> None:
    x, y = correlated(seed=5, n=30, p=3)
    assert KeyDrivers().fit(x, y).names_ == ("x0", "x1", "x2")


def test_listwise_deletion_drops_rows_with_a_missing_answer_and_says_how_many() -> None:
    x, y = correlated(seed=6, n=30, p=3)
    holes, y_holes = x.copy(), y.copy()
    holes[2, 0] = holes[7, 2] = np.nan
    y_holes[11] = np.nan
    fitted = KeyDrivers().fit(holes, y_holes)
    assert (fitted.n_, fitted.dropped_, fitted.dropped_rows_.tolist()) == (27, 3, [2, 7, 11])
    keep = np.setdiff1d(np.arange(30), [2, 7, 11])
    complete = KeyDrivers().fit(x[keep], y[keep])
    assert fitted.importances_["shapley"] == pytest.approx(complete.importances_["shapley"])
    assert fitted.means_ == pytest.approx(x[keep].mean(axis=0))


def test_the_raise_rule_names_the_rows_and_columns_with_a_missing_answer() -> None:
    x, y = correlated(seed=6, n=30, p=2)
    x[4, 1] = np.nan
    y[9] = np.nan
    with pytest.raises(InvalidValue, match=r"2 rows .* row 4 \(x1\), row 9 \(y\)") as raised:
        KeyDrivers(missing="raise").fit(x, y)
    assert raised.value.code == "missing_answer"


def test_fitting_changes_neither_the_callers_data_nor_the_receiver() -> None:
    x, y = correlated(seed=7, n=30, p=3)
    x[0, 0] = np.nan
    x_before, y_before = x.copy(), y.copy()
    drivers = KeyDrivers()
    fitted = drivers.fit(x, y)
    assert np.array_equal(x, x_before, equal_nan=True)
    assert np.array_equal(y, y_before)
    assert fitted is not drivers
    assert not [name for name in vars(drivers) if name.endswith("_")]
    with pytest.raises(ValueError, match="read-only"):
        fitted.importances_["shapley"][0] = 1.0


def test_only_the_measures_asked_for_are_computed() -> None:
    x, y = correlated(seed=8, n=30, p=3)
    fitted = KeyDrivers(methods=("johnson", "correlation")).fit(x, y)
    assert list(fitted.importances_) == ["correlation", "johnson"]  # in METHODS order
    with pytest.raises(InvalidValue, match="not among the measures computed"):
        fitted.ipa("shapley")


def test_a_to_pandas_table_has_a_row_per_predictor() -> None:
    pytest.importorskip("pandas")
    x, y = correlated(seed=9, n=30, p=3)
    fitted = KeyDrivers().fit(x, y, names=["a", "b", "c"])
    df = fitted.to_pandas()
    assert list(df.index) == ["a", "b", "c"]
    assert df["shapley_share"].tolist() == pytest.approx(fitted.shares_["shapley"].tolist())
    assert list(df.columns[:3]) == ["mean", "r", "beta"]
    assert df["r"].tolist() == pytest.approx(fitted.correlations_.tolist())
    assert df["beta"].tolist() == pytest.approx(fitted.betas_.tolist())
    assert df["beta_importance"].tolist() == pytest.approx((fitted.betas_**2).tolist())
    assert df["johnson_importance"].sum() == pytest.approx(fitted.r2_)


def test_a_shapley_analysis_of_many_predictors_is_refused_before_any_work() -> None:
    p = MAX_SHAPLEY_PREDICTORS + 1
    x, y = correlated(seed=10, n=p + 10, p=p)
    with pytest.raises(InvalidValue, match="at most 20 predictors") as raised:
        KeyDrivers().fit(x, y)
    assert raised.value.code == "too_many_predictors"
    fitted = KeyDrivers(methods=("johnson",)).fit(x, y)
    assert fitted.importances_["johnson"].sum() == pytest.approx(fitted.r2_)


# ------------------------------------------------------------------ bad data, clear errors

BAD_DATA: list[tuple[str, Any, Any, str, str]] = [
    # (case, x, y, code, message)
    (
        "a constant predictor is named",
        {"advisor": [7.0, 8, 9, 6, 8], "facility": [8.0, 8, 8, 8, 8]},
        [7.0, 9, 9, 6, 8],
        "constant_predictor",
        "facility is constant",
    ),
    (
        "a constant y is named",
        {"advisor": [7.0, 8, 9, 6, 8], "facility": [8.0, 9, 7, 8, 6]},
        [9.0, 9, 9, 9, 9],
        "constant_predictor",
        "y is constant",
    ),
    (
        "as many predictors as rows",
        np.arange(6.0).reshape(3, 2) ** 2,
        [1.0, 2, 4],
        "too_few_rows",
        "needs at least 4 complete rows, got 3",
    ),
    (
        "an infinite score",
        {"advisor": [7.0, math.inf, 9, 6, 8]},
        [7.0, 9, 9, 6, 8],
        "not_finite",
        r"infinite at row 1 \(advisor\)",
    ),
    (
        "y of another length",
        np.ones((4, 2)),
        [1.0, 2.0],
        "invalid_argument",
        r"y has shape \(2,\): expected \(4,\)",
    ),
    (
        "x of one dimension",
        [1.0, 2.0, 3.0],
        [1.0, 2.0, 3.0],
        "invalid_argument",
        "expected a 2-D array",
    ),
    (
        "columns of different lengths",
        {"a": [1.0, 2, 3], "b": [1.0, 2]},
        [1.0, 2.0, 3.0],
        "invalid_argument",
        "one length",
    ),
]


@pytest.mark.parametrize(
    ("x", "y", "code", "message"), [case[1:] for case in BAD_DATA], ids=[c[0] for c in BAD_DATA]
)
def test_bad_data_gets_a_clear_error(x: Any, y: Any, code: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message) as raised:
        KeyDrivers().fit(x, y)
    assert raised.value.code == code


def test_collinear_predictors_are_named_and_the_others_are_not() -> None:
    x, y = correlated(seed=11, n=30, p=3)
    x = np.column_stack([x, x[:, 0] * 2 - x[:, 1] + 5])  # x3 = 2 x0 − x1 + 5
    with pytest.raises(InvalidValue, match=r"^x0, x1, x3 are collinear") as raised:
        KeyDrivers().fit(x, y)
    assert raised.value.code == "collinear_predictors"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"missing": "pairwise"}, "missing='pairwise' is invalid: expected 'listwise' or 'raise'"),
        ({"methods": ("shapley", "random forest")}, "methods=.* is invalid: expected measures"),
        ({"methods": ()}, "expected at least one of"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params: dict[str, Any], message: str) -> None:
    drivers = KeyDrivers(**params)  # stored unchanged: no work in the constructor
    x, y = correlated(seed=12, n=20, p=2)
    with pytest.raises(InvalidValue, match=message):
        drivers.fit(x, y)


def test_names_must_be_one_distinct_text_per_predictor() -> None:
    x, y = correlated(seed=13, n=20, p=2)
    with pytest.raises(InvalidValue, match="must differ"):
        KeyDrivers().fit(x, y, names=["a", "a"])
    with pytest.raises(InvalidValue, match="expected 2 non-empty texts"):
        KeyDrivers().fit(x, y, names=["a"])
    with pytest.raises(InvalidValue, match="leave names out"):
        KeyDrivers().fit({"a": x[:, 0]}, y, names=["a"])


def test_an_unfitted_analysis_has_no_table() -> None:
    with pytest.raises(NotFittedError):
        KeyDrivers().ipa()


def test_repr_and_set_params_follow_scikit_learn() -> None:
    drivers = KeyDrivers(missing="raise")
    assert repr(drivers) == "KeyDrivers(missing='raise')"
    assert repr(KeyDrivers()) == "KeyDrivers()"
    changed = drivers.set_params(methods=("pratt",))
    assert changed.get_params() == {"methods": ("pratt",), "missing": "raise"}
    assert drivers.methods == METHODS
    with pytest.raises(InvalidValue, match="has no parameters"):
        drivers.set_params(ridge=1.0)


# ------------------------------------------------------------------ importance–performance


def test_each_factor_lands_in_its_quadrant_split_at_the_means() -> None:
    table = importance_performance(
        [0.40, 0.25, 0.20, 0.15], [7.1, 8.9, 6.8, 9.2], names=list("abcd")
    )
    # mean importance 0.25 (b sits on it: high), mean performance 8.0
    assert (table.importance_split, table.performance_split) == pytest.approx((0.25, 8.0))
    assert table.quadrants == (
        Quadrant.CONCENTRATE_HERE,  # a: 0.40 important, 7.1 below
        Quadrant.KEEP_UP_THE_GOOD_WORK,  # b: 0.25 on the split, 8.9 above
        Quadrant.LOW_PRIORITY,  # c: 0.20, 6.8
        Quadrant.POSSIBLE_OVERKILL,  # d: 0.15, 9.2
    )


@pytest.mark.parametrize(
    ("split", "importance_split", "b"),
    [
        ("mean", 0.25, Quadrant.LOW_PRIORITY),  # the mean of a skewed importance: only a is high
        ("median", 0.11, Quadrant.CONCENTRATE_HERE),  # (0.10 + 0.12) / 2: a and b are high
    ],
)
def test_mean_and_median_splits_differ_on_a_skewed_importance(
    split: Literal["mean", "median"], importance_split: float, b: Quadrant
) -> None:
    table = importance_performance(
        [0.70, 0.12, 0.10, 0.08], [6.0, 7.0, 9.0, 8.0], names=list("abcd"), split=split
    )
    assert table.importance_split == pytest.approx(importance_split)
    assert table.performance_split == pytest.approx(7.5)  # mean and median agree here
    assert table.quadrants == (Quadrant.CONCENTRATE_HERE, b, *[Quadrant.POSSIBLE_OVERKILL] * 2)
    assert table.split == split


def test_a_factor_on_a_split_counts_as_high() -> None:
    table = importance_performance([0.1, 0.1, 0.1], [8.0, 8.0, 8.0], names=["a", "b", "c"])
    assert set(table.quadrants) == {Quadrant.KEEP_UP_THE_GOOD_WORK}


def test_the_quadrants_carry_martilla_and_james_names_and_the_librarys_chinese() -> None:
    assert [(q.letter, q.label("en"), q.label("zh")) for q in Quadrant] == [
        ("A", "concentrate here", "重点改进"),
        ("B", "keep up the good work", "继续保持"),
        ("C", "low priority", "次要改进"),
        ("D", "possible overkill", "过度投入"),
    ]


def test_the_key_driver_table_puts_the_shapley_shares_against_the_means() -> None:
    x, y = correlated(seed=14, n=50, p=4)
    fitted = KeyDrivers().fit(x, y, names=["a", "b", "c", "d"])
    table = fitted.ipa()
    assert isinstance(table, ImportancePerformance)
    assert table.importance == pytest.approx(fitted.shares_["shapley"])
    assert table.performance == pytest.approx(x.mean(axis=0))
    scores = [60.0, 80.0, 70.0, 90.0]
    by_johnson = fitted.ipa("johnson", performance=scores, split="median")
    assert by_johnson.importance == pytest.approx(fitted.shares_["johnson"])
    assert by_johnson.performance_split == pytest.approx(75.0)


def test_the_importance_performance_table_in_pandas_speaks_either_language() -> None:
    pytest.importorskip("pandas")
    table = importance_performance([0.9, 0.1], [6.0, 8.0], names=["advisor", "facility"])
    assert table.to_pandas("zh")["quadrant"].tolist() == ["重点改进", "过度投入"]
    df = table.to_pandas()
    assert df.loc["facility", "letter"] == "D"
    assert df.loc["advisor", "quadrant"] == "concentrate here"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([0.5, 0.5], [7.0], ["a", "b"]), r"performance has shape \(1,\): expected \(2,\)"),
        (([0.5, math.nan], [7.0, 8.0], ["a", "b"]), "importance must be finite"),
        (([0.5, 0.5], [7.0, 8.0], ["a", "a"]), "expected 2 distinct non-empty texts"),
        (([], [], []), "expected"),
    ],
)
def test_a_bad_importance_performance_table_is_refused(
    arguments: tuple[Any, Any, Any], message: str
) -> None:
    importance, performance, names = arguments
    with pytest.raises(InvalidValue, match=message):
        importance_performance(importance, performance, names=names)


def test_asking_a_table_for_an_unknown_factor_or_quadrant_is_an_error() -> None:
    table = importance_performance([0.9, 0.1], [6.0, 8.0], names=["a", "b"])
    with pytest.raises(InvalidValue, match="not a factor"):
        table.quadrant("z")
    with pytest.raises(InvalidValue, match="expected one of"):
        table.in_quadrant("top right")
    with pytest.raises(InvalidValue, match="expected 'mean' or 'median'"):
        importance_performance([0.9, 0.1], [6.0, 8.0], names=["a", "b"], split="mode")  # type: ignore[arg-type]


def test_a_fitted_analysis_pickles_with_its_results_read_only() -> None:
    x, y = correlated(seed=15, n=30, p=3)
    fitted = KeyDrivers(missing="raise").fit(x, y)
    loaded = pickle.loads(pickle.dumps(fitted))
    assert loaded.get_params() == fitted.get_params()
    assert loaded.names_ == fitted.names_
    assert loaded.r2_ == fitted.r2_
    for method in METHODS:
        assert np.array_equal(loaded.shares_[method], fitted.shares_[method]), method
    assert not loaded.importances_["shapley"].flags.writeable
    assert not loaded.betas_.flags.writeable
    with pytest.raises(TypeError):
        loaded.shares_["shapley"] = np.zeros(3)


class _Opaque:
    """An object of no type the library knows, with a stable repr for the test ids."""

    def __repr__(self) -> str:
        return "<opaque>"


JUNK: tuple[object, ...] = (None, "", "junk", 1.5, math.nan, [], {}, True, _Opaque(), b"x")
JUNK += (np.array([1, 2]), np.array([], dtype=object), [None], {"x": None}, Decimal("NaN"))


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_anywhere_gets_the_librarys_errors_only(junk: object) -> None:
    x, y = correlated(seed=16, n=12, p=2)
    fitted = KeyDrivers().fit(x, y)
    table = fitted.ipa()
    calls: list[Callable[[], object]] = [
        lambda: KeyDrivers().fit(junk, y),
        lambda: KeyDrivers().fit(x, junk),
        lambda: KeyDrivers().fit(x, y, names=junk),  # type: ignore[arg-type]
        lambda: KeyDrivers().fit({"a": junk}, y),
        lambda: KeyDrivers(methods=junk).fit(x, y),  # type: ignore[arg-type]
        lambda: KeyDrivers(missing=junk).fit(x, y),  # type: ignore[arg-type]
        lambda: fitted.ipa(junk),  # type: ignore[arg-type]
        lambda: fitted.ipa(performance=junk),
        lambda: fitted.ipa(split=junk),  # type: ignore[arg-type]
        lambda: table.quadrant(junk),  # type: ignore[arg-type]
        lambda: table.in_quadrant(junk),  # type: ignore[arg-type]
        lambda: importance_performance(junk, [1.0, 2.0], names=["a", "b"]),
        lambda: importance_performance([1.0, 2.0], [1.0, 2.0], names=junk),  # type: ignore[arg-type]
    ]
    for call in calls:  # some junk is valid somewhere (None is a default): no error then
        with contextlib.suppress(AftersalesError):
            call()
