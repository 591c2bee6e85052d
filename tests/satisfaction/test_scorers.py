"""The scorers' formulas, each computed by hand on a few responses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidValue
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    ELEVEN_POINT,
    NPS,
    SERVQUAL,
    SERVQUAL_1988,
    SEVEN_POINT,
    TEN_POINT,
    Asks,
    CsiIndex,
    ExpectationGap,
    Factor,
    Instrument,
    Item,
    Servqual,
)

from .build import many, response, responses

# A small paired instrument: factor A has two items (weights 3 : 1), factor B one
# negatively worded item.
PAIRED = Instrument(
    "paired",
    "1",
    [
        Factor(
            "a",
            "甲",
            "A",
            [
                Item("a1", "甲一", "a one", SEVEN_POINT, Asks.BOTH),
                Item("a2", "甲二", "a two", SEVEN_POINT, Asks.BOTH),
            ],
        ),
        Factor("b", "乙", "B", [Item("b1", "乙一", "b one", SEVEN_POINT, Asks.BOTH, reverse=True)]),
    ],
)

WEIGHTED = Instrument(
    "paired",
    "2",
    [
        Factor(
            "a",
            "甲",
            "A",
            [
                Item("a1", "甲一", "a one", SEVEN_POINT, Asks.BOTH),
                Item("a2", "甲二", "a two", SEVEN_POINT, Asks.BOTH),
                Item("a3", "甲三", "a three", SEVEN_POINT, Asks.BOTH),
            ],
            weights=(3, 1, 0),
        ),
    ],
)


# ---------------------------------------------------------------- the expectation gap


def test_the_gap_is_perceived_minus_expected_per_item_factor_and_respondent() -> None:
    # a1: 5 − 7 = −2; a2: 6 − 4 = +2; factor A = 0.
    # b1 is reverse-scored: P 2 → 6, E 3 → 5, gap +1; factor B = 1. Respondent: (0 + 1) / 2.
    given = responses(response(PAIRED, {"a1": (5, 7), "a2": (6, 4), "b1": (2, 3)}))
    scores = ExpectationGap(instrument=PAIRED).score(given)
    assert scores.item_scores.tolist() == [[-2.0, 2.0, 1.0]]
    assert scores.factor_scores.tolist() == [[0.0, 1.0]]
    assert scores.values.tolist() == [0.5]


def test_the_ratio_form_divides_perception_by_expectation() -> None:
    # Factor A: (5/7 + 6/4) / 2; factor B: 6/5 (reversed); respondent: their mean.
    given = responses(response(PAIRED, {"a1": (5, 7), "a2": (6, 4), "b1": (2, 3)}))
    ratio = ExpectationGap(instrument=PAIRED).score(given).columns["ratio"]
    assert ratio[0] == pytest.approx(((5 / 7 + 6 / 4) / 2 + 6 / 5) / 2)


@pytest.mark.parametrize(
    ("top_box", "share"),
    [
        (1, 0 / 3),  # only 7 counts: none of 5, 6, 6
        (2, 2 / 3),  # 6–7: a2's 6 and b1's reversed 6
        (3, 3 / 3),  # 5–7: all three
    ],
)
def test_the_top_box_share_counts_answered_perceptions_in_the_top_points(
    top_box: int, share: float
) -> None:
    given = responses(response(PAIRED, {"a1": (5, 7), "a2": (6, 4), "b1": (2, 3)}))
    scores = ExpectationGap(instrument=PAIRED, top_box=top_box).score(given)
    assert scores.columns["top_box"].tolist() == [pytest.approx(share)]


def test_a_factor_below_the_minimum_answers_is_missing_and_so_is_the_respondent() -> None:
    # WEIGHTED's factor has three items: the half rule needs two answered (with both ratings).
    one = response(WEIGHTED, {"a1": (4, 6), "a2": (5, None)}, id="S1")  # a2 lacks E: one pair
    two = response(WEIGHTED, {"a1": (4, 6), "a3": (7, 1)}, id="S2")
    scores = ExpectationGap(instrument=WEIGHTED).score(responses(one, two))
    assert math.isnan(scores.factor_scores[0, 0])
    assert math.isnan(scores.values[0])
    # S2: a1 gap −2 (weight 3) and a3 gap +6 (weight 0): the weights renormalised over them.
    assert scores.factor_scores[1, 0] == -2.0
    # With a lower minimum, S1 is scored from its one pair.
    lenient = ExpectationGap(instrument=WEIGHTED, min_answered=0.2).score(responses(one, two))
    assert lenient.values.tolist() == [-2.0, -2.0]


def test_item_weights_weigh_the_answered_items() -> None:
    # a1 gap −2 (weight 3), a2 gap +2 (weight 1): (3·−2 + 1·2) / 4 = −1.
    scores = ExpectationGap(instrument=WEIGHTED).score(
        responses(response(WEIGHTED, {"a1": (4, 6), "a2": (6, 4)}))
    )
    assert scores.values.tolist() == [-1.0]


def test_a_gap_needs_an_instrument_that_asks_for_expectations() -> None:
    with pytest.raises(InvalidValue, match="no item asking both") as info:
        ExpectationGap(instrument="china_csi@2015").score(responses())
    assert info.value.code == "no_expectations"


# ---------------------------------------------------------------- SERVQUAL

DIMENSION_GAPS = {
    "tangibles": -1,
    "reliability": -2,
    "responsiveness": 0,
    "assurance": 1,
    "empathy": 2,
}


def _servqual_answers(gaps: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Every item of a dimension with the dimension's gap: P = 4 + gap, E = 4."""
    return {
        item.id: (4 + gaps[factor.id], 4) for factor in SERVQUAL.factors for item in factor.items
    }


def test_servqual_scores_dimensions_the_unweighted_and_the_weighted_servqual() -> None:
    points = {
        "tangibles": 10,
        "reliability": 20,
        "responsiveness": 30,
        "assurance": 20,
        "empathy": 20,
    }
    given = responses(response(SERVQUAL, _servqual_answers(DIMENSION_GAPS), importance=points))
    scores = Servqual().score(given)
    assert scores.factor_scores.tolist() == [[-1.0, -2.0, 0.0, 1.0, 2.0]]
    assert scores.values.tolist() == [0.0]  # (−1 − 2 + 0 + 1 + 2) / 5
    # 0.1·−1 + 0.2·−2 + 0.3·0 + 0.2·1 + 0.2·2
    assert scores.columns["weighted"][0] == pytest.approx(0.1)
    # SERVPERF: perceptions only, 3, 2, 4, 5, 6 → 4.
    assert scores.columns["servperf"].tolist() == [4.0]


def test_servqual_without_importance_points_has_no_weighted_score() -> None:
    scores = Servqual().score(responses(response(SERVQUAL, _servqual_answers(DIMENSION_GAPS))))
    assert math.isnan(scores.columns["weighted"][0])
    assert scores.values.tolist() == [0.0]


def test_the_1988_wording_reverses_responsiveness_and_empathy_items() -> None:
    # sq10 (responsiveness) P 2, E 1: on the 1991 wording a gap of +1; on the 1988 wording
    # both are reversed, 8 − 2 = 6 and 8 − 1 = 7: a gap of −1. sq01 is not reversed.
    answers = {"sq10": (2, 1), "sq01": (2, 1)}
    positive = Servqual(min_answered=0.01).score(responses(response(SERVQUAL, answers)))
    negative = Servqual(instrument=SERVQUAL_1988, min_answered=0.01).score(
        responses(response(SERVQUAL_1988, answers))
    )
    assert positive.item_scores[0, [0, 9]].tolist() == [1.0, 1.0]
    assert negative.item_scores[0, [0, 9]].tolist() == [1.0, -1.0]


# ---------------------------------------------------------------- the CSI index


def _csi(rating_of: dict[str, int]) -> dict[str, int]:
    return {
        item.id: rating_of.get(factor.id, 10)
        for factor in CSI_CHINA_2015.factors
        for item in factor.items
    }


def test_the_csi_index_weighs_factor_scores_by_the_published_weights() -> None:
    # Every factor at 100 but service quality at 0 (all its items 1 on 1–10):
    # 10 · (100 · (0.19 + 0.19 + 0.20 + 0.20) + 0 · 0.22) = 780.
    given = responses(response(CSI_CHINA_2015, _csi({"service_quality": 1})))
    scores = CsiIndex().score(given)
    assert scores.factor_scores[0].tolist() == [100.0, 100.0, 100.0, 100.0, 0.0]
    assert scores.values[0] == pytest.approx(780.0)


def test_weights_that_do_not_sum_to_one_are_normalised() -> None:
    # The 2014 weights 17/18/21/21/24 sum to 101: 10 · 100 · (17 + 18 + 21 + 21) / 101.
    given = responses(response(CSI_CHINA_2015, _csi({"service_quality": 1})))
    assert CsiIndex(weights="china_csi@2014").score(given).values[0] == pytest.approx(
        1000 * 77 / 101
    )
    # Weights given as 2 : 2 : 2 : 2 : 2 are 0.2 each.
    assert CsiIndex(weights=(2, 2, 2, 2, 2)).score(given).values[0] == pytest.approx(800.0)


def test_the_top_mapping_reads_a_1_to_10_rating_as_ten_times_itself() -> None:
    # Service quality items at 1 → 10 each; the others 100: 10 · (78 + 10 · 0.22) = 802.
    given = responses(response(CSI_CHINA_2015, _csi({"service_quality": 1})))
    assert CsiIndex(mapping="top").score(given).values[0] == pytest.approx(802.0)


@pytest.mark.parametrize(
    ("scale", "rating", "percent"),
    [
        (TEN_POINT, 7, 100 * 6 / 9),  # (7 − 1) / (10 − 1)
        (ELEVEN_POINT, 7, 70.0),  # 7 / 10
        (TEN_POINT, 1, 0.0),
        (ELEVEN_POINT, 0, 0.0),
        (TEN_POINT, 10, 100.0),
        (ELEVEN_POINT, 10, 100.0),
    ],
)
def test_factor_scores_map_each_scale_onto_0_to_100(scale, rating: int, percent: float) -> None:  # type: ignore[no-untyped-def]
    instrument = Instrument(
        "one", "1", [Factor("f", "因子", "f", [Item("q", "问", "q", scale)])], weights=(1,)
    )
    scores = CsiIndex(instrument=instrument).score(responses(response(instrument, {"q": rating})))
    assert scores.factor_scores[0, 0] == pytest.approx(percent)
    assert scores.values[0] == pytest.approx(10 * percent)


def test_a_csi_on_the_2024_set_needs_weights() -> None:
    with pytest.raises(InvalidValue, match="has no published factor weights"):
        CsiIndex(instrument="china_csi@2024").score(responses())
    with pytest.raises(InvalidValue, match=r"its factors .* are not those of china_csi@2024"):
        CsiIndex(instrument="china_csi@2024", weights="china_csi@2015").factor_weights()
    weighted = CsiIndex(instrument="china_csi@2024", weights=(1, 1, 1, 1, 1, 1))
    assert weighted.factor_weights().sum() == pytest.approx(1.0)


def test_a_csi_respondent_missing_a_factor_has_no_index() -> None:
    answers = _csi({})
    for item in CSI_CHINA_2015.factor("service_facility").items[1:]:
        del answers[item.id]  # one of four answered: below the half rule
    scores = CsiIndex().score(responses(response(CSI_CHINA_2015, answers)))
    assert math.isnan(scores.factor_scores[0, 2])
    assert math.isnan(scores.values[0])


# ---------------------------------------------------------------- NPS


def test_nps_classes_promoters_passives_and_detractors() -> None:
    given = many("nps@1", [{"recommend": r} for r in (10, 9, 8, 7, 6, 0, None)])
    scores = NPS().score(given)
    assert scores.values[:6].tolist() == [100.0, 100.0, 0.0, 0.0, -100.0, -100.0]
    assert math.isnan(scores.values[6])
    summary = scores.summary()
    # 2 promoters, 2 passives, 2 detractors of 6: NPS 0, SE = 100·sqrt((1/3 + 1/3 − 0) / 6).
    assert summary.n.tolist() == [6]
    assert summary.mean.tolist() == [0.0]
    se = 100 * math.sqrt((2 / 6 + 2 / 6) / 6)
    assert summary.figures["nps"].se[0] == pytest.approx(se)
    assert summary.low[0] == pytest.approx(-1.959964 * se, rel=1e-6)
    shares = [summary.figures[f"factor:{c}"].mean[0] for c in NPS.FACTORS]
    assert shares == pytest.approx([100 / 3, 100 / 3, 100 / 3])


def test_the_nps_standard_error_is_the_published_formula() -> None:
    # 3 promoters and 1 detractor: NPS 50, SE = 100·sqrt((0.75 + 0.25 − 0.5²) / 4) = 43.30.
    scores = NPS().score(many("nps@1", [{"recommend": r} for r in (10, 10, 9, 5)]))
    figure = scores.summary(level=0.9)
    assert figure.mean.tolist() == [50.0]
    assert figure.figures["nps"].se[0] == pytest.approx(43.30127, rel=1e-6)
    # The normal interval at 90 %, clipped to the scale: 50 ± 1.645 · 43.30.
    assert figure.low[0] == pytest.approx(50 - 1.644854 * 43.30127, rel=1e-6)
    assert figure.high[0] == 100.0


def test_nps_thresholds_are_parameters_and_must_leave_room_for_passives() -> None:
    given = many("nps@1", [{"recommend": r} for r in (8, 7, 6)])
    assert NPS(promoters_from=8, detractors_to=6).score(given).values.tolist() == [
        100.0,
        0.0,
        -100.0,
    ]
    with pytest.raises(InvalidValue, match="below promoters_from=7"):
        NPS(promoters_from=7, detractors_to=7).score(given)


def test_nps_reads_the_nps_question_when_told_and_checks_its_scale() -> None:
    given = many("nps@1", [{"answers": {"recommend": 9}}, {"answers": {"recommend": 4}}, {}])
    scores = NPS(item="recommend").score(given)
    assert scores.values[:2].tolist() == [100.0, -100.0]
    assert math.isnan(scores.values[2])
    off = many("nps@1", [{"answers": {"recommend": 11}}])
    with pytest.raises(InvalidValue, match="response S0, perception 11"):
        NPS(item="recommend").score(off)


@given(st.lists(st.none() | st.integers(0, 10), max_size=60))
def test_nps_lies_between_minus_100_and_100_and_its_se_is_the_formula(
    answers: list[int | None],
) -> None:
    scores = NPS().score(many("nps@1", [{"recommend": r} for r in answers]))
    figure = scores.summary()
    given_ = [r for r in answers if r is not None]
    n = len(given_)
    assert figure.n.tolist() == [n]
    if not n:
        assert math.isnan(figure.mean[0])
        return
    p_p = sum(r >= 9 for r in given_) / n
    p_d = sum(r <= 6 for r in given_) / n
    assert -100 <= figure.mean[0] <= 100
    assert figure.mean[0] == pytest.approx(100 * (p_p - p_d))
    se = 100 * math.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n)
    assert figure.figures["nps"].se[0] == pytest.approx(se, abs=1e-9)
    assert -100 <= figure.low[0] <= figure.mean[0] <= figure.high[0] <= 100


def test_every_scorer_keeps_the_input_order_and_ids() -> None:
    given = many(SERVQUAL, [{"answers": _servqual_answers(DIMENSION_GAPS)}] * 3)
    taken = given.take(np.array([2, 0, 1]))
    assert Servqual().score(taken).ids.tolist() == ["S2", "S0", "S1"]
