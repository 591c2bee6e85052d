"""MemberValue: seed 001's value model, its presets and the material's class names."""

from __future__ import annotations

import gc
import pickle
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation import MemberValue
from aftersales_crm.segmentation._levels import MATRIX_CLASSES, VALUE_CLASSES
from aftersales_crm.values import Material

AS_OF = date(2026, 6, 30)


def customers(**columns: Any) -> FeatureTable:
    return FeatureTable.from_columns(columns, as_of=AS_OF)


def member_table() -> FeatureTable:
    return customers(
        spend_window_fen=np.array([100, 200, 300]),
        avg_visit_spend_fen=np.array([10, 20, 30]),
        avg_line_spend_fen=np.array([1, 2, 3]),
        on_time_arrival_rate=np.array([np.nan, 0.5, 0.5]),
        main_dealer_share=np.array([1.0, 1.0, 0.5]),
        activities_window=np.array([0, 0, 4]),
    )


def test_the_material_score_is_the_mean_mid_rank_percentile() -> None:
    fitted = MemberValue(weights=(1, 0, 0)).fit(member_table())
    assert fitted.score(member_table()).tolist() == pytest.approx([1 / 6, 1 / 2, 5 / 6])


def test_the_loyalty_score_ranks_ties_at_their_mid_rank_and_missing_lowest() -> None:
    fitted = MemberValue(weights=(0, 1, 0)).fit(member_table())
    on_time = [0.0, 2 / 4, 2 / 4]  # NaN ranks 0; 0.5 is both known values: (0 + 2) / 4
    main_dealer = [4 / 6, 4 / 6, 1 / 6]  # 1.0 twice of three: (1 + 3) / 6
    expected = [(a + b) / 2 for a, b in zip(on_time, main_dealer, strict=True)]
    assert fitted.score(member_table()).tolist() == pytest.approx(expected)


def test_activity_participation_is_scored_by_default() -> None:
    table = member_table()
    fitted = MemberValue(weights=(0, 0, 1)).fit(table)
    assert fitted.score(table).tolist() == pytest.approx([1 / 3, 1 / 3, 5 / 6])
    with pytest.raises(InvalidValue, match=r"MemberValue: weights=.*sum to 0"):
        MemberValue(weights=(0, 0, 1), activity=()).fit(table)


def test_the_weights_in_use_are_scaled_to_sum_to_one() -> None:
    table = member_table()
    material = MemberValue(weights=(1, 0, 0)).fit(table).score(table)
    loyalty = MemberValue(weights=(0, 1, 0)).fit(table).score(table)
    mixed = MemberValue(weights=(0.5, 0.3, 0.2), activity=()).fit(table).score(table)
    assert mixed.tolist() == pytest.approx((0.625 * material + 0.375 * loyalty).tolist())


def test_loyalty_follows_on_time_arrival_and_the_main_dealer_not_appointments() -> None:
    # A customer who books every visit but is late and moves between dealers, and one who
    # never books but always comes on time to one dealer; the old proxies are there too.
    table = customers(
        on_time_arrival_rate=np.array([0.0, 1.0, 0.5]),
        main_dealer_share=np.array([0.5, 1.0, 0.75]),
        appointment_share=np.array([1.0, 0.0, 0.5]),
        returned_after_first_maintenance=np.array([True, True, True]),
        frequency=np.array([4, 4, 4]),
    )
    booker, loyal, _ = MemberValue(weights=(0, 1, 0)).fit(table).score(table)
    assert loyal > booker
    assert loyal == pytest.approx(5 / 6)
    assert booker == pytest.approx(1 / 6)


def test_two_customers_equal_but_for_activities_differ_by_the_activity_share() -> None:
    table = customers(
        spend_window_fen=np.array([500, 500]),
        avg_visit_spend_fen=np.array([50, 50]),
        avg_line_spend_fen=np.array([5, 5]),
        on_time_arrival_rate=np.array([1.0, 1.0]),
        main_dealer_share=np.array([1.0, 1.0]),
        activities_window=np.array([0, 3]),
    )
    stays_home, joins_in = MemberValue().fit(table).score(table)
    # Activity ranks 1/4 and 3/4; its weight is 0.2 of 1.
    assert joins_in - stays_home == pytest.approx(0.2 * (3 / 4 - 1 / 4))


def test_member_levels_are_above_the_score_quantiles() -> None:
    table = member_table()
    fitted = MemberValue(weights=(1, 0, 0), levels=(0.5,), names=("high", "low")).fit(table)
    assert fitted.cutoffs_ == pytest.approx((0.5,))
    assert list(fitted.assign(table).values()) == ["low", "low", "high"]
    default = MemberValue().fit(table).assign(table)
    assert default.names == ("diamond", "platinum", "gold", "silver")
    assert default.names_zh == ("钻石", "白金", "黄金", "白银")


def test_a_member_gets_the_same_level_in_any_table() -> None:
    table = member_table()
    fitted = MemberValue().fit(table)
    whole = fitted.assign(table)
    for row in range(len(table)):
        one = fitted.assign(table.take(np.array([row])))
        assert one == whole.take(np.array([row]))


def test_member_value_fitted_on_nobody_places_nobody() -> None:
    empty = member_table().take(np.array([], dtype=np.intp))
    fitted = MemberValue().fit(empty)
    assert fitted.score(member_table()).tolist() == [0.0, 0.0, 0.0]
    assert list(fitted.assign(member_table()).values()) == [None, None, None]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"weights": (1, 1)}, "weights"),  # two weights
        ({"weights": (-1, 1, 1)}, "weights"),
        ({"levels": (0.2, 0.5)}, "levels"),
        ({"names": ("a", "b")}, "names"),
        ({"activity": 7}, "activity"),
        ({"activity": "activities_window"}, "activity"),  # a name, not a tuple of names
        ({"activity": ("hobbies",)}, "activity"),  # not a numeric column
        ({"material": ("spend_fen", "spend_fen")}, "material"),  # twice the same
        ({"loyalty": ("",)}, "loyalty"),
    ],
)
def test_member_value_parameters_are_checked_when_fitting(
    params: dict[str, Any], parameter: str
) -> None:
    hobbies = np.empty(3, dtype=object)
    hobbies[:] = [(), (), ()]
    table = customers(**member_table().columns, hobbies=hobbies)
    with pytest.raises(InvalidValue, match=f"MemberValue: {parameter}="):
        MemberValue(**params).fit(table)


def test_a_missing_feature_is_named() -> None:
    with pytest.raises(InvalidValue, match="no column 'visits_window'"):
        MemberValue(activity=("visits_window",)).fit(member_table())


def test_member_value_must_be_fitted() -> None:
    with pytest.raises(NotFittedError):
        MemberValue().assign(member_table())


def test_diamond_gold_silver_splits_20_30_50_percent() -> None:
    table = customers(**{name: np.arange(10) for name in MemberValue.MATERIAL})
    preset = MemberValue.diamond_gold_silver(weights=(1, 0, 0))
    assert (preset.levels, preset.names) == ((0.8, 0.5), ("diamond", "gold", "silver"))
    levels = preset.fit(table).assign(table)
    assert levels.counts() == {"diamond": 2, "gold": 3, "silver": 5}
    assert levels.names_zh == ("钻石", "黄金", "白银")
    assert list(levels.values())[-2:] == ["diamond", "diamond"]


def test_the_seed_003_preset_ranks_by_cumulative_spend_and_the_loyalty_category() -> None:
    table = customers(
        spend_fen=np.array([900, 100, 500, 500]),
        spend_window_fen=np.array([0, 800, 0, 0]),  # recent spend does not count
        returned_after_first_maintenance=np.array([True, True, True, False]),
    )
    preset = MemberValue.loyalty_and_cumulative_spend()
    assert preset.weights == (0.5, 0.5, 0.0)
    assert preset.activity == ()
    score = preset.fit(table).score(table)
    assert score[0] > score[2] > score[1]  # equally loyal: by cumulative spend
    assert score[2] > score[3]  # equal spend: the loyal one first
    # spend ranks 7/8, 1/8, 4/8, 4/8; loyalty ranks 5/8 (three True of four), 1/8.
    assert score.tolist() == pytest.approx([0.75, 0.375, 0.5625, 0.3125])


def test_the_presets_keep_other_parameters() -> None:
    preset = MemberValue.loyalty_and_cumulative_spend(levels=(0.5,), names=("vip", "member"))
    assert preset.material == ("spend_fen",)
    assert preset.names == ("vip", "member")


def test_the_value_classes_are_the_materials_words() -> None:
    # 《斯柯达车友汇客户关爱总监培训教材》: "客户价值类别 钻石级客户 白金级客户 黄金级客户……"
    # and the matrix columns "D钻石客户 G黄金客户 S白银客户".
    assert {level: quote.text for level, quote in VALUE_CLASSES.items()} == {
        "diamond": "钻石级客户",
        "platinum": "白金级客户",
        "gold": "黄金级客户",
    }
    assert {level: quote.text for level, quote in MATRIX_CLASSES.items()} == {
        "diamond": "D钻石客户",
        "gold": "G黄金客户",
        "silver": "S白银客户",
    }
    quotes = [*VALUE_CLASSES.values(), *MATRIX_CLASSES.values()]
    assert {quote.source for quote in quotes} == {Material.OWNERS_CLUB}


# -- the fit table's scores, kept for an assign of that very table ----------------------------

row_counts = st.integers(1, 40)


@st.composite
def member_columns(draw: st.DrawFn) -> dict[str, NDArray[Any]]:
    """The default features of MemberValue: money, rates with NaN, counts, ties likely."""
    n = draw(row_counts)
    money = hnp.arrays(np.int64, n, elements=st.integers(0, 10**6) | st.sampled_from([0, 500]))
    rates = hnp.arrays(
        np.float64, n, elements=st.sampled_from([np.nan, 0.0, 0.5, 1.0]) | st.floats(0, 1)
    )
    counts = hnp.arrays(np.int64, n, elements=st.integers(0, 5))
    names = (*MemberValue.MATERIAL, *MemberValue.LOYALTY, *MemberValue.ACTIVITY)
    kinds = (money, money, money, rates, rates, counts)
    return {name: draw(kind) for name, kind in zip(names, kinds, strict=True)}


def own_table(columns: dict[str, NDArray[Any]]) -> FeatureTable:
    """A table over the caller's own arrays (read-only views of them, no copies)."""
    n = len(next(iter(columns.values())))
    ids = np.array([f"C{i}" for i in range(n)])
    return FeatureTable("customer_id", ids, columns, AS_OF, "CNY")


def same_bits(got: NDArray[np.float64], expected: NDArray[np.float64]) -> bool:
    return got.dtype == expected.dtype and got.tobytes() == expected.tobytes()


@given(columns=member_columns(), weights=st.sampled_from([(0.5, 0.3, 0.2), (1.0, 0.0, 0.0)]))
def test_the_fit_table_assigned_again_gets_the_scores_and_levels_of_any_equal_table(
    columns: dict[str, NDArray[Any]], weights: tuple[float, ...]
) -> None:
    table = own_table(columns)
    fitted = MemberValue(weights=weights).fit(table)
    twin = own_table({name: values.copy() for name, values in columns.items()})
    assert same_bits(fitted.score(table), fitted.score(twin))
    assert fitted.assign(table) == fitted.assign(twin)
    assert fitted.cutoffs_ == MemberValue(weights=weights).fit(twin).cutoffs_


@given(columns=member_columns(), data=st.data())
def test_the_fit_table_changed_in_place_is_scored_anew(
    columns: dict[str, NDArray[Any]], data: st.DataObject
) -> None:
    table = own_table(columns)
    fitted = MemberValue().fit(table)
    name = data.draw(st.sampled_from(sorted(columns)))
    row = data.draw(st.integers(0, len(table) - 1))
    changed = columns[name]
    changed[row] = changed[row] + 1 if changed.dtype.kind == "i" else 0.25  # the caller's array
    twin = own_table({name: values.copy() for name, values in columns.items()})
    assert same_bits(fitted.score(table), fitted.score(twin))
    assert fitted.assign(table) == fitted.assign(twin)


def test_the_kept_scores_are_not_the_callers_to_change() -> None:
    table = member_table()
    fitted = MemberValue().fit(table)
    score = fitted.score(table)
    expected = score.copy()
    score[:] = 5.0  # the caller's copy
    assert same_bits(fitted.score(table), expected)


def test_a_fitted_policy_whose_weights_are_changed_scores_with_them() -> None:
    table = member_table()
    fitted = MemberValue().fit(table)
    fitted.weights = (1.0, 0.0, 0.0)  # not set_params: changed on the fitted object
    expected = MemberValue(weights=(1.0, 0.0, 0.0)).fit(table).score(table)
    assert same_bits(fitted.score(table), expected)


def test_the_kept_scores_go_with_the_fit_table_and_not_into_a_pickle() -> None:
    table = member_table()
    fitted = MemberValue().fit(table)
    loaded = pickle.loads(pickle.dumps(fitted))
    assert "_population" not in vars(loaded)
    assert "_placers" not in vars(loaded)
    assert loaded.assign(table) == fitted.assign(table)
    kept = vars(fitted)["_population"]
    assert kept.holds(table)
    del table
    gc.collect()
    assert not len(kept._kept)


def test_another_table_is_placed_alike_with_the_lookups_kept_from_the_first() -> None:
    table = member_table()
    fitted = MemberValue().fit(table)
    other = table.take(np.array([2, 0, 1, 1]))
    first = fitted.score(other)
    assert same_bits(fitted.score(other), first)  # the kept lookups place it the same
    assert same_bits(fitted.score(table)[[2, 0, 1, 1]], first)
