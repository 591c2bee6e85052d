"""The synthetic survey answers carry known effects, and the satisfaction analytics find them."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from aftersales_crm import synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.records import Book
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    SERVQUAL,
    CsiIndex,
    KeyDrivers,
    Responses,
    Servqual,
    aggregate,
)
from aftersales_crm.synthetic import _world as w

SEED, DEALERS = 4, 6


@cache
def network() -> tuple[Book, Responses, synthetic.SurveyEffects]:
    """A network of six dealers, its CSI responses and the effects they were drawn with."""
    book = synthetic.book(1_500, seed=SEED, n_dealers=DEALERS)
    return (
        book,
        Responses.from_records(book.surveys.values()).of("china_csi"),
        synthetic.survey_effects(DEALERS, seed=SEED),
    )


def factor_scores() -> np.ndarray:
    return CsiIndex().score(network()[1]).factor_scores


def test_the_effects_are_those_the_book_was_drawn_with_and_do_not_depend_on_the_count() -> None:
    _, responses, effects = network()
    assert set(responses.dealers) <= set(effects.dealers)
    assert set(responses.advisors) <= set(effects.advisors)
    more = synthetic.survey_effects(DEALERS + 3, seed=SEED)
    assert np.array_equal(more.dealer[:DEALERS], effects.dealer)
    assert np.array_equal(more.advisor[: len(effects.advisors)], effects.advisor)
    assert not np.array_equal(
        synthetic.survey_effects(DEALERS, seed=SEED + 1).dealer, effects.dealer
    )
    assert sum(effects.drivers.values()) == pytest.approx(1.0)
    assert tuple(effects.drivers) == CSI_CHINA_2015.factor_ids
    with pytest.raises(InvalidValue, match="n_dealers"):
        synthetic.survey_effects(-1)


def test_key_driver_analysis_finds_the_true_drivers_in_their_order() -> None:
    _, responses, effects = network()
    drivers = CsiIndex().key_drivers(responses)
    truth = np.array([effects.drivers[f] for f in drivers.names_])
    assert drivers.names_ == CSI_CHINA_2015.factor_ids
    assert drivers.n_ + drivers.dropped_ == len(responses)
    # The regression's raw coefficients (the standardised betas scaled back, per point of
    # a 0–10 factor) are the weights the recommend score was drawn with, attenuated by the
    # items' noise: their order is the true order.
    scores, recommend = factor_scores(), responses.recommend
    complete = ~np.isnan(scores).any(axis=1) & ~np.isnan(recommend)
    raw = 10 * drivers.betas_ * recommend[complete].std() / scores[complete].std(axis=0)
    assert list(np.argsort(-raw)) == list(np.argsort(-truth))
    assert np.corrcoef(raw, truth)[0, 1] > 0.95
    assert np.all((raw > 0.6 * truth) & (raw < truth + 0.06))
    # Shapley and Johnson share the common part of correlated factors out evenly, which
    # blurs close weights; the strongest two stand out, in order.
    for method in ("shapley", "johnson"):
        found = drivers.shares_[method]
        assert list(np.argsort(-found)[:2]) == list(np.argsort(-truth)[:2]), method
        ranks = np.argsort(np.argsort(found)), np.argsort(np.argsort(truth))
        assert np.corrcoef(*ranks)[0, 1] >= 0.8, method


def test_each_dealers_factor_means_follow_its_known_effects() -> None:
    _, responses, effects = network()
    scores = factor_scores()
    dealer = responses.dealer
    found = np.array(
        [np.nanmean(scores[dealer == d], axis=0) for d in range(len(responses.dealers))]
    )
    truth = np.array([effects.dealer[effects.dealers.index(d)] for d in responses.dealers])
    # Centre both per factor: the dealers' spread is what the effects set.
    found -= found.mean(axis=0)
    truth -= truth.mean(axis=0)
    assert np.corrcoef(found.ravel(), truth.ravel())[0, 1] > 0.9


def test_each_advisors_service_advisor_score_follows_the_advisors_known_effect() -> None:
    _, responses, effects = network()
    column = CSI_CHINA_2015.factor_ids.index("service_advisor")
    scores = factor_scores()[:, column]
    advisor = responses.advisor
    found = np.array([np.nanmean(scores[advisor == a]) for a in range(len(responses.advisors))])
    truth = np.array([effects.advisor[effects.advisors.index(a)] for a in responses.advisors])
    # The advisor's dealer moves the factor too: compare within each dealer.
    dealer_of = np.array([effects.dealers.index("D" + a[2:6]) for a in responses.advisors])
    for d in np.unique(dealer_of):
        found[dealer_of == d] -= found[dealer_of == d].mean()
        truth[dealer_of == d] -= truth[dealer_of == d].mean()
    assert np.corrcoef(found, truth)[0, 1] > 0.85
    # The other factors do not follow the advisor.
    other = factor_scores()[:, CSI_CHINA_2015.factor_ids.index("service_facility")]
    unrelated = np.array([np.nanmean(other[advisor == a]) for a in range(len(responses.advisors))])
    for d in np.unique(dealer_of):
        unrelated[dealer_of == d] -= unrelated[dealer_of == d].mean()
    assert abs(np.corrcoef(unrelated, truth)[0, 1]) < 0.5


def test_late_deliveries_and_repeat_repairs_lower_their_own_factors() -> None:
    book, responses, _ = network()
    scores = factor_scores()
    orders = [book.repair_orders[o] for o in responses.order]
    late = np.array([o.on_time is False for o in orders])
    again = np.array([o.comeback_of is not None for o in orders])
    ids = CSI_CHINA_2015.factor_ids
    pickup, quality, facility = (
        ids.index(f) for f in ("vehicle_pickup", "service_quality", "service_facility")
    )
    assert late.any()
    assert again.any()
    assert np.nanmean(scores[late, pickup]) < np.nanmean(scores[~late, pickup]) - 8
    assert np.nanmean(scores[again, quality]) < np.nanmean(scores[~again, quality]) - 10
    assert abs(np.nanmean(scores[late, facility]) - np.nanmean(scores[~late, facility])) < 5


def test_a_csi_can_take_weights_derived_by_key_driver_analysis() -> None:
    _, responses, _ = network()
    fitted = CsiIndex().key_drivers(responses, methods=["shapley", "pratt"])
    weights = fitted.weights()
    derived = CsiIndex(weights=weights)
    assert derived.factor_weights() == pytest.approx(np.array(weights))
    index = derived.score(responses).values
    by_hand = 10 * factor_scores() @ np.array(weights)
    assert np.allclose(index, by_hand, equal_nan=True)
    with pytest.raises(InvalidValue, match="johnson"):
        fitted.weights("johnson")
    with pytest.raises(InvalidValue, match="outcome"):
        CsiIndex().key_drivers(responses, outcome="overall")
    # An outcome given per response: the CSI itself is explained by its own factors.
    own = CsiIndex().score(responses).values
    perfect = CsiIndex().key_drivers(responses, outcome=own, methods=["beta"])
    assert perfect.r2_ == pytest.approx(1.0)
    assert isinstance(perfect, KeyDrivers)


def test_servqual_answers_carry_each_dealers_known_gaps_and_importance_points() -> None:
    book, _, effects = network()
    answers = Responses.from_records(book.surveys.values()).of(SERVQUAL)
    assert len(answers) > 100
    scores = Servqual().score(answers)
    by_dealer = aggregate(scores, answers, by=["dealer"], min_n=1)
    dimensions = SERVQUAL.factor_ids
    found = np.array([by_dealer.figures[f"factor:{d}"].mean for d in dimensions]).T
    rows = [effects.dealers.index(d) for d in by_dealer.keys["dealer"].tolist()]
    shortfall = np.array([w.SERVQUAL_SHORTFALL[d] for d in dimensions])
    truth = effects.servqual[rows] - shortfall
    assert np.corrcoef(found.ravel(), truth.ravel())[0, 1] > 0.85
    # Perceptions fall below expectations on every dimension.
    network_gap = np.array([np.nanmean(scores.factor_scores[:, j]) for j in range(5)])
    assert np.all(network_gap < 0)
    # Importance points: most respondents give them, 100 each, reliability weighs most.
    given = np.bincount(answers.importance_of, minlength=len(answers)) > 0
    assert 0.6 < given.mean() < 0.95
    per_response = np.bincount(answers.importance_of, weights=answers.points)
    assert set(per_response[given].tolist()) == {100.0}
    mean_points = {
        factor: answers.points[answers.factor == k].mean()
        for k, factor in enumerate(answers.factors)
    }
    assert max(mean_points, key=lambda factor: mean_points[factor]) == "reliability"
