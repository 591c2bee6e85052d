"""ChurnRisk: P(alive) bands as the loyal / swinging / lost rows of the matrix."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm import features, synthetic
from aftersales_crm.clv import BgNbd, ParetoNbd
from aftersales_crm.errors import ConvergenceError, InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import ChurnRisk, LoyaltyStatus, LoyaltyValueMatrix
from aftersales_crm.policies import get_policy
from aftersales_crm.segmentation import MemberValue, ParetoABC, crosstab
from aftersales_crm.testing import check_policy

pytest.importorskip("scipy")

AS_OF = date(2026, 6, 30)


def fixed_bgnbd(r: float, alpha: float, a: float, b: float) -> BgNbd:
    """A BG/NBD model with the given parameters, in days, as if fitted."""
    model = BgNbd()
    model.r_, model.alpha_, model.a_, model.b_ = r, alpha, a, b
    model.unit_ = "days"
    return model


# r 1, alpha 10 days, a 1, b 3. P(alive) = 1 / (1 + a/(b + x - 1) ((alpha + T)/(alpha + t_x))^(r + x))
# (Fader, Hardie & Lee 2005, eq. 13), for x > 0; 1 for x = 0.
MODEL = fixed_bgnbd(1.0, 10.0, 1.0, 3.0)
HISTORIES = FeatureTable.from_columns(
    {
        # C1: x 3, t_x = T = 60: odds 1/5 · 1 = 0.2, P = 1/1.2 = 0.8333 → loyal
        # C2: x 2, t_x 20, T 30: odds 1/4 · (40/30)^3 = 0.5926, P = 0.6279 → swinging
        # C3: x 1, t_x 5, T 200: odds 1/3 · (210/15)^2 = 65.33, P = 0.0151 → lost
        # C4: x 0, T 400: P = 1 (BG/NBD), a customer seen once → unplaced by default
        # C5: no visit (NaN history) → no P(alive) → unplaced
        "frequency": [3, 2, 1, 0, 0],
        "span_days": [60.0, 20.0, 5.0, 0.0, np.nan],
        "tenure_days": [60.0, 30.0, 200.0, 400.0, np.nan],
    },
    as_of=AS_OF,
)


def test_the_bands_of_hand_computed_probabilities() -> None:
    risk = ChurnRisk(model=MODEL).fit(HISTORIES)
    p = risk.p_alive(HISTORIES).values
    np.testing.assert_allclose(p[:4], [1 / 1.2, 1 / (1 + (4 / 3) ** 3 / 4), 1 / (1 + 196 / 3), 1])
    assert np.isnan(p[4])
    assert risk.assign(HISTORIES).values().tolist() == ["loyal", "swinging", "lost", None, None]
    assert risk.assign(HISTORIES).values("zh").tolist() == ["忠诚", "摇摆", "流失", None, None]


def test_a_customer_seen_once_is_banded_by_their_probability_when_asked() -> None:
    risk = ChurnRisk(model=MODEL, no_repeat="scored").fit(HISTORIES)
    assert risk.assign(HISTORIES).codes.tolist() == [0, 1, 2, 0, -1]


def test_the_cutoffs_move_the_bands_and_a_cutoff_belongs_to_the_band_above() -> None:
    p = ChurnRisk(model=MODEL).fit(HISTORIES).p_alive(HISTORIES).values
    strict = ChurnRisk(model=MODEL, cutoffs=(0.9, float(p[1])))
    assert strict.fit(HISTORIES).assign(HISTORIES).codes.tolist() == [1, 1, 2, -1, -1]
    loose = ChurnRisk(model=MODEL, cutoffs=(0.6, 0.01))
    assert loose.fit(HISTORIES).assign(HISTORIES).codes.tolist() == [0, 0, 1, -1, -1]


def test_a_fitted_model_is_kept_and_an_unfitted_one_is_fitted() -> None:
    kept = ChurnRisk(model=MODEL).fit(HISTORIES).model_
    assert kept.params_ == {"r": 1.0, "alpha": 10.0, "a": 1.0, "b": 3.0}
    feats = features.compute(synthetic.book(200, seed=11), as_of=AS_OF)
    fitted = ChurnRisk().fit(feats).model_
    assert isinstance(fitted, BgNbd)
    assert fitted.params_ == BgNbd().fit(feats).params_
    assert ChurnRisk(model=BgNbd()).model is not None  # the receiver keeps its parameter
    with pytest.raises(NotFittedError):
        ChurnRisk().assign(feats)


def test_a_model_that_does_not_converge_says_why() -> None:
    feats = features.compute(synthetic.book(200, seed=11), as_of=AS_OF)
    with pytest.raises(ConvergenceError) as raised:
        ChurnRisk(model=ParetoNbd()).fit(feats)
    message = str(raised.value)
    assert message.startswith("ChurnRisk: the churn model ParetoNbd cannot be fitted on these 200")
    assert "drop-out looks homogeneous: s and beta diverge" in message  # the model's own words
    assert raised.value.code == "convergence"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"cutoffs": (0.5, 0.8)}, "cutoffs"),
        ({"cutoffs": (1.2, 0.5)}, "cutoffs"),
        ({"cutoffs": (0.8,)}, "cutoffs"),
        ({"no_repeat": "lost"}, "no_repeat"),
        ({"model": "bg_nbd"}, "model"),
        ({"model": ParetoABC()}, "model"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidValue, match=f"ChurnRisk: {named}="):
        ChurnRisk(**params).fit(HISTORIES)  # type: ignore[arg-type]


def test_a_model_of_another_kind_is_refused_naming_its_kind() -> None:
    class NotAChurnModel(BgNbd):
        kind = "tier"

    with pytest.raises(InvalidValue, match="its kind is 'tier', expected 'churn_model'"):
        ChurnRisk(model=NotAChurnModel()).fit(HISTORIES)


def test_churn_risk_is_a_registered_loyalty_rule_that_passes_the_kit() -> None:
    policy = get_policy("churn_risk", cutoffs=(0.7, 0.3))
    assert isinstance(policy, ChurnRisk)
    assert policy.kind == "loyalty"
    assert ChurnRisk.NAMES == LoyaltyStatus.NAMES
    assert ChurnRisk.NAMES_ZH == LoyaltyStatus.NAMES_ZH
    # A fixed model: every check, the one-customer fit included (nothing to estimate).
    check_policy(ChurnRisk(model=fixed_bgnbd(4.0, 700.0, 1.0, 14.0)))


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(synthetic.book(200, seed=11), as_of=AS_OF)


def test_the_matrix_with_churn_risk_is_the_crosstab_of_its_rows_and_the_value_classes(
    feats: FeatureTable,
) -> None:
    matrix = LoyaltyValueMatrix(loyalty=ChurnRisk()).fit(feats)
    summary = matrix.matrix(feats)
    table = crosstab(feats, ChurnRisk().fit(feats), MemberValue.diamond_gold_silver().fit(feats))
    assert summary.counts.tolist() == table.counts.tolist()
    assert summary.unplaced == table.unplaced
    assert summary.row_names == ("loyal", "swinging", "lost")
    cells = matrix.assign(feats)
    rows = ChurnRisk().fit(feats).assign(feats).codes
    placed = cells.codes >= 0
    assert (cells.codes[placed] // 3 == rows[placed]).all()
    assert matrix.strategies(cells).counts()["keep"] == int(summary.counts[0].sum())


ORDER = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ORDER
@given(order=st.permutations(range(200)))
def test_labels_do_not_depend_on_row_order(feats: FeatureTable, order: list[int]) -> None:
    rows = np.array(order)
    shuffled = feats.take(rows)
    expected = ChurnRisk().fit(feats).assign(feats).codes[rows]
    assert ChurnRisk().fit(shuffled).assign(shuffled).codes.tolist() == expected.tolist()
    scored = ChurnRisk(no_repeat="scored").fit(feats).assign(feats).codes[rows]
    again = ChurnRisk(no_repeat="scored").fit(shuffled).assign(shuffled).codes
    assert again.tolist() == scored.tolist()
