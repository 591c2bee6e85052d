"""CSI weights derived by key-driver analysis, for an instrument that publishes none."""

from __future__ import annotations

import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.satisfaction import CSI_CHINA_2024, CsiIndex, Responses

from .build import response


def test_an_instrument_without_published_weights_is_scored_with_derived_ones() -> None:
    """The 2024 set has no weights: the CSI refuses it until weights are derived."""
    rng = np.random.default_rng(3)
    items = CSI_CHINA_2024.item_ids
    ratings = rng.integers(4, 11, size=(60, len(items)))
    # Overall: driven by the service team and the service quality only.
    recommend = np.clip(np.rint(0.6 * ratings[:, 1] + 0.4 * ratings[:, 3]), 0, 10).astype(int)
    answers = Responses.from_records(
        response(
            CSI_CHINA_2024,
            dict(zip(items, map(int, row), strict=True)),
            id=f"S{n}",
            recommend=int(r),
        )
        for n, (row, r) in enumerate(zip(ratings, recommend, strict=True))
    )
    with pytest.raises(InvalidValue, match="no published factor weights"):
        CsiIndex(instrument="china_csi@2024").score(answers)
    drivers = CsiIndex(instrument="china_csi@2024").key_drivers(answers)
    top_two = {drivers.names_[i] for i in np.argsort(-drivers.shares_["shapley"])[:2]}
    assert top_two == {"service_team", "service_quality"}
    scored = CsiIndex(instrument="china_csi@2024", weights=drivers.weights()).score(answers)
    assert scored.values.shape == (60,)
    assert np.all((scored.values >= 0) & (scored.values <= 1000))
