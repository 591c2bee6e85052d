"""The CDNOW fit from the raw transactions, through the library's own tables and features."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from aftersales_crm import features
from aftersales_crm.clv import BgNbd, ParetoNbd
from aftersales_crm.tables import Tables

from .cdnow import SAMPLE

pytest.importorskip("scipy")
pd = pytest.importorskip("pandas")

DATA = SAMPLE.parent
END = date(1997, 9, 30)  # the end of the 39-week calibration period


@pytest.fixture(scope="module")
def cdnow_features() -> features.FeatureTable:
    log = pd.read_csv(
        DATA / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["original_id", "customer", "date", "cds", "dollars"],
        dtype={"original_id": str, "customer": int, "date": str, "cds": int, "dollars": str},
    )
    log = log.assign(day=pd.to_datetime(log["date"], format="%Y%m%d").dt.date)
    tables = Tables.from_transactions(
        log, customer="customer", at="day", amount="dollars", currency="USD"
    )
    return features.compute(tables, as_of=END)


def test_bgnbd_from_transactions_gives_the_published_parameters(
    cdnow_features: features.FeatureTable,
) -> None:
    model = BgNbd().fit(cdnow_features)  # in days
    assert model.n_customers_ == 2357
    # the summary file rounds recency and age to 2 decimals of a week; days are exact, and
    # the published figures hold all the same
    assert round(model.r_, 4) == 0.2426
    assert model.alpha_ / 7 == pytest.approx(4.4135, rel=1e-4)
    assert model.a_ == pytest.approx(0.7929, rel=1e-3)
    assert model.b_ == pytest.approx(2.4258, rel=1e-3)
    # a likelihood in days is the one in weeks times 7^-x per customer
    in_weeks = model.log_likelihood_ + np.sum(cdnow_features["frequency"]) * np.log(7)
    assert in_weeks == pytest.approx(-9582.43, abs=5e-3)


def test_pareto_nbd_from_transactions_gives_the_published_parameters(
    cdnow_features: features.FeatureTable,
) -> None:
    model = ParetoNbd().fit(cdnow_features)
    assert round(model.r_, 4) == 0.5533
    assert round(model.s_, 4) == 0.6062
    assert model.alpha_ / 7 == pytest.approx(10.5778, rel=1e-4)
    assert model.beta_ / 7 == pytest.approx(11.6669, rel=2e-4)
    in_weeks = model.log_likelihood_ + np.sum(cdnow_features["frequency"]) * np.log(7)
    assert in_weeks == pytest.approx(-9594.97, abs=1e-2)
