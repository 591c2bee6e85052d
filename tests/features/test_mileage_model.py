"""The mileage model: fitted once on the base, read by compute and profile."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import NotFittedError
from aftersales_crm.features import MileageMethod, MileageModel
from aftersales_crm.tables import Tables

AS_OF = date(2026, 6, 30)
MODEL_MEDIAN = list(MileageMethod).index(MileageMethod.MODEL_MEDIAN)


@pytest.fixture(scope="module")
def tables() -> Tables:
    return synthetic.columns(300, seed=1).tables()


def test_fit_returns_a_fitted_copy_and_leaves_the_model_alone(tables: Tables) -> None:
    model = MileageModel(min_model_vehicles=3)
    fitted = model.fit(tables, as_of=AS_OF)
    assert fitted is not model
    assert not model.fitted
    assert not hasattr(model, "model_km_per_day_")
    assert fitted.fitted
    assert fitted.as_of_ == AS_OF
    assert fitted.min_model_vehicles == 3


def test_the_fitted_medians_are_those_compute_falls_back_to(tables: Tables) -> None:
    fitted = MileageModel().fit(tables, as_of=AS_OF)
    vehicles = features.compute(tables, as_of=AS_OF).vehicles
    assert vehicles is not None
    by_model = vehicles["km_per_day_method"] == MODEL_MEDIAN
    names = tables.vehicles.labels["model"]
    models = tables.vehicles["model"][by_model]
    assert by_model.any()
    expected = [fitted.model_km_per_day_[names[m]] for m in models.tolist()]
    assert vehicles["km_per_day"][by_model].tolist() == expected


def test_a_fitted_model_gives_the_same_features_as_fitting_on_the_fly(tables: Tables) -> None:
    fitted = MileageModel().fit(tables, as_of=AS_OF)
    given = features.compute(tables, as_of=AS_OF, mileage=fitted)
    on_the_fly = features.compute(tables, as_of=AS_OF)
    assert given.vehicles is not None
    assert on_the_fly.vehicles is not None
    for vin in on_the_fly.vehicles.ids[:80]:
        assert given.vehicles.row(vin) == on_the_fly.vehicles.row(vin)


def test_a_model_fitted_on_another_base_is_used_as_it_is(tables: Tables) -> None:
    other = synthetic.columns(120, seed=9).tables()
    fitted = MileageModel(model_km_per_day={"nobody's model": 1.0}).fit(other, as_of=AS_OF)
    assert dict(fitted.model_km_per_day_) == {"nobody's model": 1.0}
    vehicles = features.compute(tables, as_of=AS_OF, mileage=fitted).vehicles
    assert vehicles is not None
    assert (vehicles["km_per_day_method"] != MODEL_MEDIAN).all()  # no model of tables is known


def test_model_rates_are_the_fitted_medians(tables: Tables) -> None:
    assert features.model_rates(tables, as_of=AS_OF, min_model_vehicles=2) == dict(
        MileageModel(min_model_vehicles=2).fit(tables, as_of=AS_OF).model_km_per_day_
    )


def test_profile_fits_on_the_whole_base_and_computes_only_the_slice(
    tables: Tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = features.compute

    def spy(data: Tables, **kwargs: Any) -> features.FeatureTable:
        seen.append(len(data.customers))
        return real(data, **kwargs)

    monkeypatch.setattr("aftersales_crm.features._profile.compute", spy)
    cid = str(tables.customers["id"][7])
    one = features.profile(tables, cid, as_of=AS_OF)
    assert one.ids.tolist() == [cid]
    assert len(seen) == 1
    assert seen[0] < len(tables.customers) // 10  # the slice, not the base


def test_an_unfitted_model_cannot_estimate(tables: Tables) -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        MileageModel().estimate(tables, {"rate": np.zeros(len(tables.vehicles))})


def test_the_repr_shows_the_parameters_that_differ() -> None:
    assert repr(MileageModel()) == "MileageModel()"
    assert repr(MileageModel(max_km_per_day=250.0)) == "MileageModel(max_km_per_day=250.0)"


def test_a_fitted_model_pickles(tables: Tables) -> None:
    fitted = MileageModel(min_model_vehicles=2).fit(tables, as_of=AS_OF)
    again = pickle.loads(pickle.dumps(fitted))
    assert again.model_km_per_day_ == fitted.model_km_per_day_
    assert again.as_of_ == AS_OF
    assert again.min_model_vehicles == 2
    with pytest.raises(TypeError):
        again.model_km_per_day_["x"] = 1.0
