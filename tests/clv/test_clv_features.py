"""The models on the library's own feature table: days, Scores, the churn_model kind."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

pytest.importorskip("scipy")

from aftersales_crm import features, synthetic
from aftersales_crm.clv import BgNbd, History, ParetoNbd
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import Scores, get_policy, policy_kind
from aftersales_crm.testing import check_policy

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(synthetic.book(300, seed=3), as_of=AS_OF)


def test_fit_on_features_reads_days_and_scores_p_alive(feats: FeatureTable) -> None:
    # (Pareto/NBD on this synthetic book finds drop-out flat along s and beta, and says so.)
    cls = BgNbd
    model = cls().fit(feats)
    assert model.unit_ == "days"
    scores = model.score(feats)
    assert isinstance(scores, Scores)
    assert scores.name == "p_alive"
    assert scores.ids is not None
    assert scores.ids.tolist() == feats.ids.tolist()
    h = History.from_features(feats)
    np.testing.assert_array_equal(scores.values, model.p_alive(h))
    # the same fit from the arrays
    arrays = cls().fit_arrays(feats["frequency"], feats["span_days"], feats["tenure_days"])
    assert arrays.params_ == model.params_


def test_customers_without_visits_get_no_score() -> None:
    table = FeatureTable.from_columns(
        {
            "frequency": [3, 0, 0, 1, 5, 2, 0, 4, 1, 0] * 40,
            "span_days": [200.0, 0, np.nan, 30, 300, 100, 0, 250, 10, 0] * 40,
            "tenure_days": [400.0, 50, np.nan, 380, 310, 365, 700, 260, 500, 20] * 40,
        },
        as_of=AS_OF,
    )
    model = BgNbd().fit(table)
    assert model.n_customers_ == 360  # the 40 without visits are not fitted on
    values = model.score(table).values
    assert np.isnan(values[2::10]).all()
    assert np.isfinite(np.delete(values, np.s_[2::10])).all()


def test_a_model_fitted_in_weeks_refuses_a_feature_table(feats: FeatureTable) -> None:
    h = History.from_features(feats)
    weeks = BgNbd().fit_arrays(h.x, h.t_x / 7, h.T / 7, unit="weeks")
    with pytest.raises(InvalidValue, match="fitted in weeks"):
        weeks.p_alive(feats)


def test_unfitted_models_say_so(feats: FeatureTable) -> None:
    with pytest.raises(NotFittedError):
        BgNbd().p_alive(feats)


def test_churn_models_are_policies_of_their_kind() -> None:
    spec = policy_kind("churn_model")
    assert spec.result_type is Scores
    assert spec.verbs == ("fit", "score")
    assert isinstance(get_policy("BG-NBD"), BgNbd)
    assert isinstance(get_policy("pareto_nbd"), ParetoNbd)


@pytest.mark.parametrize("cls", [BgNbd, ParetoNbd], ids=lambda c: c.__name__)
def test_the_conformance_kit_passes(cls: type[BgNbd]) -> None:
    check_policy(
        cls(),
        expected_failed_checks={
            "empty_and_single_row": "one customer does not identify four parameters: the fit"
            " raises ConvergenceError"
        },
    )


def test_without_scipy_the_error_names_the_clv_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import aftersales_crm.clv  # importing the package needs no scipy

    monkeypatch.setitem(sys.modules, "scipy.special", None)  # import fails
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    assert aftersales_crm.clv.BgNbd().kind == "churn_model"
    with pytest.raises(ImportError, match=r"aftersales-crm\[clv\]"):
        BgNbd().fit_arrays([1, 0], [2.0, 0.0], [5.0, 5.0])
