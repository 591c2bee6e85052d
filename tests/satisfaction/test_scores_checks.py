"""SurveyScores refuses what does not fit, naming the field, and compares by value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.satisfaction import SurveyScores

IDS = np.array(["S1", "S2"], dtype=object)


def scores(**changed: Any) -> SurveyScores:
    given: dict[str, Any] = {
        "name": "gap",
        "ids": IDS,
        "values": np.array([0.5, math.nan]),
        "bounds": (-6.0, 6.0),
        "factors": ("a",),
        "factor_scores": np.array([[0.5], [math.nan]]),
        "columns": {"top_box": np.array([1.0, 0.0])},
        "column_bounds": {"top_box": (0.0, 1.0)},
    }
    given.update(changed)
    return SurveyScores(**given)


@pytest.mark.parametrize(
    ("changed", "error", "message"),
    [
        ({"name": ""}, InvalidType, "name is '', expected a text"),
        ({"columns": [1.0, 2.0]}, InvalidType, "columns is .* expected a mapping"),
        ({"columns": {1: np.ones(2)}, "column_bounds": {}}, InvalidType, "expected a mapping"),
        ({"column_bounds": {"ratio": (0.0, 1.0)}}, InvalidType, "column_bounds is"),
        ({"column_bounds": {"top_box": (1.0, 0.0)}}, InvalidType, r"column_bounds\['top_box'\]"),
        ({"bounds": (6.0, -6.0)}, InvalidType, "bounds is"),
        ({"bounds": (True, 6.0)}, InvalidType, "bounds is"),
        ({"factor_bounds": (0, 100, 1)}, InvalidType, "factor_bounds is"),
        ({"ddof": 2}, InvalidValue, "ddof is 2, expected 0 or 1"),
        ({"ddof": True}, InvalidValue, "ddof is True"),
        ({"ids": IDS[:1]}, InvalidValue, r"\['ids'\] do not fit 2 scores"),
        ({"factors": ("a", "b")}, InvalidValue, r"\['factors'\] do not fit"),
        ({"items": ("i1",)}, InvalidValue, r"\['items'\] do not fit"),
        ({"columns": {"top_box": np.ones(3)}}, InvalidValue, r"columns\['top_box'\]"),
    ],
)
def test_scores_that_do_not_fit_are_refused_naming_the_field(
    changed: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        scores(**changed)


def test_scores_compare_by_value_with_nan_equal_to_nan() -> None:
    assert scores() == scores()
    assert scores() != scores(values=np.array([0.5, 0.0]))
    assert scores() != scores(ids=np.array(["S1", "S3"], dtype=object))
    assert scores() != scores(column_bounds={})
    assert scores() != scores(factor_scores=np.array([[0.5], [1.0]]))
    assert scores().__eq__("gap") is NotImplemented
    assert scores().factor_bounds == (-6.0, 6.0)  # the score's bounds unless given
    with pytest.raises(InvalidValue, match="no measure 'factor:b'"):
        scores().bounds_of("factor:b")
    assert scores().bounds_of("factor:a") == (-6.0, 6.0)
