"""Instruments as data: scales, items, factors, weights, the presets and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from aftersales_crm.errors import InvalidType, InvalidValue, UnknownNameError
from aftersales_crm.satisfaction import (
    CSI_CHINA_2014,
    CSI_CHINA_2015,
    CSI_CHINA_2024,
    ELEVEN_POINT,
    INSTRUMENTS,
    LIKERT_5,
    NPS_SURVEY,
    SERVQUAL,
    SERVQUAL_1988,
    SEVEN_POINT,
    SSI_SIX_FACTOR,
    TEN_POINT,
    Asks,
    Factor,
    Instrument,
    Item,
    Scale,
    get_instrument,
)


def _item(item_id: str = "a", scale: Scale = TEN_POINT) -> Item:
    return Item(item_id, "问", "question", scale)


# ---------------------------------------------------------------- scales


@pytest.mark.parametrize(
    ("scale", "low", "high", "points"),
    [
        (TEN_POINT, 1, 10, 10),  # J.D. Power attribute ratings
        (ELEVEN_POINT, 0, 10, 11),  # the recommend question
        (SEVEN_POINT, 1, 7, 7),  # SERVQUAL
        (LIKERT_5, 1, 5, 5),  # one label per point
    ],
)
def test_the_four_built_in_scales_have_their_points(
    scale: Scale, low: int, high: int, points: int
) -> None:
    assert (scale.low, scale.high, scale.points) == (low, high, points)
    assert len(scale.labels) in (2, points)


def test_the_percent_mapping_puts_the_lowest_point_at_0_and_the_highest_at_100() -> None:
    # 1–10: (x − 1) / 9; 0–10: x / 10. A 7 is 66.67 on one and 70 on the other.
    assert TEN_POINT.to_percent(np.array([1, 7, 10])).round(2).tolist() == [0.0, 66.67, 100.0]
    assert ELEVEN_POINT.to_percent(np.array([0, 7, 10])).tolist() == [0.0, 70.0, 100.0]


def test_reverse_scoring_on_seven_points_is_eight_minus_x() -> None:
    assert SEVEN_POINT.reverse(np.arange(1, 8)).tolist() == [7, 6, 5, 4, 3, 2, 1]
    assert ELEVEN_POINT.reverse(np.array([0, 3])).tolist() == [10, 7]


def test_a_scale_contains_only_its_whole_points() -> None:
    assert SEVEN_POINT.contains(np.array([1, 7, 0, 8, 2.5, np.nan])).tolist() == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("low", "high", "labels"),
    [
        (5, 5, ()),  # no range
        (7, 1, ()),  # reversed
        (-1, 5, ()),  # negative points cannot be stored
        (0, 101, ()),  # beyond MAX_RATING
        (1, 5, ("a", "b", "c")),  # three labels for five points
        (1, 5, ("a", "")),  # an empty label
    ],
)
def test_a_malformed_scale_is_refused(low: int, high: int, labels: tuple[str, ...]) -> None:
    with pytest.raises(InvalidValue, match="Scale"):
        Scale(low, high, labels=labels)


def test_a_fractional_point_is_refused() -> None:
    with pytest.raises(InvalidValue, match="whole numbers"):
        Scale(1, 7.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------- items, factors, instruments


def test_an_item_takes_asks_by_value_and_refuses_other_values() -> None:
    assert Item("a", "问", "q", SEVEN_POINT, asks="both").asks is Asks.BOTH  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="asks is 'hope'"):
        Item("a", "问", "q", SEVEN_POINT, asks="hope")  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="scale"):
        Item("a", "问", "q", (1, 7))  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="reverse"):
        Item("a", "问", "q", SEVEN_POINT, reverse=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="text_en"):
        Item("a", "问", " ", SEVEN_POINT)


def test_item_weights_are_normalised_and_equal_by_default() -> None:
    two = [_item("a"), _item("b")]
    assert Factor("f", "因子", "f", two).item_weights().tolist() == [0.5, 0.5]
    assert Factor("f", "因子", "f", two, weights=(1, 3)).item_weights().tolist() == [0.25, 0.75]
    with pytest.raises(InvalidValue, match="1 item weights for 2 items"):
        Factor("f", "因子", "f", two, weights=(1,))
    with pytest.raises(InvalidValue, match="finite and >= 0"):
        Factor("f", "因子", "f", two, weights=(1, -1))


def test_ids_repeated_in_an_instrument_are_named() -> None:
    factors = [Factor("f", "甲", "f", [_item("a")]), Factor("g", "乙", "g", [_item("a")])]
    with pytest.raises(InvalidValue, match=r"item ids \['a'\] appear more than once"):
        Instrument("mine", "1", factors)
    with pytest.raises(InvalidValue, match=r"factor ids \['f'\]"):
        Instrument("mine", "1", [factors[0], Factor("f", "乙", "g", [_item("b")])])
    with pytest.raises(InvalidValue, match="at least one factor"):
        Instrument("mine", "1", [])
    with pytest.raises(InvalidValue, match="without white space or '@'"):
        Instrument("mine", "v@1", factors[:1])


def test_factor_weights_that_do_not_sum_to_one_are_normalised() -> None:
    factors = [Factor("f", "甲", "f", [_item("a")]), Factor("g", "乙", "g", [_item("b")])]
    instrument = Instrument("mine", "1", factors, weights=(30, 10))
    assert instrument.factor_weights().tolist() == [0.75, 0.25]
    assert instrument.factor_weights((1, 1)).tolist() == [0.5, 0.5]  # given weights win
    with pytest.raises(InvalidValue, match="3 factor weights for 2 factors"):
        instrument.factor_weights((1, 1, 1))
    with pytest.raises(InvalidValue, match="sum to 0"):
        instrument.factor_weights((0, 0))


# ---------------------------------------------------------------- the presets


def test_the_china_csi_2014_weights_sum_to_101_and_are_normalised_by_it() -> None:
    assert CSI_CHINA_2014.weights is not None
    assert sum(CSI_CHINA_2014.weights) == 101
    expected = np.array([17, 18, 21, 21, 24]) / 101
    np.testing.assert_allclose(CSI_CHINA_2014.factor_weights(), expected)
    assert CSI_CHINA_2014.factor_ids == (
        "service_initiation",
        "service_advisor",
        "service_facility",
        "vehicle_pickup",
        "service_quality",
    )


def test_the_china_csi_2015_weights_are_the_published_ones() -> None:
    weights = dict(zip(CSI_CHINA_2015.factor_ids, CSI_CHINA_2015.factor_weights(), strict=True))
    assert weights == pytest.approx(
        {
            "service_quality": 0.22,
            "vehicle_pickup": 0.20,
            "service_facility": 0.20,
            "service_advisor": 0.19,
            "service_initiation": 0.19,
        }
    )


def test_the_csi_factor_names_are_the_materials() -> None:
    names = [f.name_zh for f in CSI_CHINA_2015.factors]
    assert names == ["服务启动", "服务顾问", "服务设施", "服务后取车", "服务质量"]
    attributes = [i.text_zh for i in CSI_CHINA_2015.factor("service_initiation").items]
    assert attributes == ["预约简单方便", "灵活地配合您需要的预约时间", "接车过程迅速"]
    assert all(item.scale is TEN_POINT for item in CSI_CHINA_2015.items)


def test_the_2024_set_has_six_factors_and_no_weights() -> None:
    assert len(CSI_CHINA_2024.factors) == 6
    assert CSI_CHINA_2024.weights is None
    with pytest.raises(InvalidValue, match="supply weights") as info:
        CSI_CHINA_2024.factor_weights()
    assert info.value.code == "no_weights"
    assert CSI_CHINA_2024.factor_weights([1] * 6).sum() == pytest.approx(1.0)


def test_the_ssi_has_the_six_factors_of_the_material_in_its_order() -> None:
    names = "".join(f.name_zh + "、" for f in SSI_SIX_FACTOR.factors)
    assert "销售满意度SSI(" + names + "等)" == (
        "销售满意度SSI(经销商设施、交易条件、销售人员、书面文件、交车时间、交车过程、等)"
    )


@pytest.mark.parametrize(
    ("dimension", "numbers"),
    [
        ("tangibles", range(1, 5)),
        ("reliability", range(5, 10)),
        ("responsiveness", range(10, 14)),
        ("assurance", range(14, 18)),
        ("empathy", range(18, 23)),
    ],
)
def test_servqual_maps_its_22_items_to_the_five_dimensions(dimension: str, numbers: range) -> None:
    for instrument in (SERVQUAL, SERVQUAL_1988):
        items = instrument.factor(dimension).items
        assert [i.id for i in items] == [f"sq{n:02d}" for n in numbers]
        assert all(i.scale is SEVEN_POINT and i.asks is Asks.BOTH for i in items)


def test_only_the_1988_wording_reverse_scores_responsiveness_and_empathy() -> None:
    assert not any(i.reverse for i in SERVQUAL.items)
    reversed_ids = [i.id for i in SERVQUAL_1988.items if i.reverse]
    assert reversed_ids == [f"sq{n:02d}" for n in (10, 11, 12, 13, 18, 19, 20, 21, 22)]


def test_nps_is_one_item_on_zero_to_ten() -> None:
    (item,) = NPS_SURVEY.items
    assert item.scale is ELEVEN_POINT


def test_the_registry_holds_each_preset_under_its_key() -> None:
    assert all(key == instrument.key for key, instrument in INSTRUMENTS.items())
    assert len(INSTRUMENTS) == 7
    assert get_instrument("china_csi@2015") is CSI_CHINA_2015
    assert get_instrument(SERVQUAL) is SERVQUAL
    with pytest.raises(UnknownNameError, match="did you mean 'china_csi@2015'"):
        get_instrument("china_csi@2051")
    with pytest.raises(TypeError):
        INSTRUMENTS["mine"] = SERVQUAL  # type: ignore[index]
