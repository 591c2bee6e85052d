"""Aggregation by group, columnar, against a per-group pure-Python reference."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.policies import Labels
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    NPS,
    SERVQUAL,
    CsiIndex,
    ExpectationGap,
    Servqual,
    SurveyScores,
    aggregate,
)
from aftersales_crm.satisfaction._aggregate import _factorise

from .build import many


def _scores(values: list[float]) -> SurveyScores:
    ids = np.array([f"S{i}" for i in range(len(values))], dtype=object)
    return SurveyScores("gap", ids, np.array(values, dtype=float), (-10.0, 10.0))


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.none() | st.floats(-10, 10, allow_nan=False)),
        max_size=40,
    )
)
def test_the_columnar_aggregate_is_the_per_group_reference(
    rows: list[tuple[int, float | None]],
) -> None:
    dealers = [f"D{d}" for d, _ in rows]
    values = [math.nan if v is None else v for _, v in rows]
    given_ = many("nps@1", [{"dealer": d} for d in dealers])
    figures = aggregate(_scores(values), given_, by=["dealer"], min_n=2)
    expected: dict[str, list[float]] = {}
    for dealer, value in zip(dealers, values, strict=True):
        expected.setdefault(dealer, [])
        if not math.isnan(value):
            expected[dealer].append(value)
    by_key = dict(zip(figures.keys["dealer"].tolist(), range(len(figures)), strict=True))
    assert set(by_key) == set(expected)
    z = statistics.NormalDist().inv_cdf(0.975)
    for dealer, found in expected.items():
        g = by_key[dealer]
        assert figures.n[g] == len(found)
        assert bool(figures.flagged[g]) == (len(found) < 2)
        if not found:
            assert math.isnan(figures.mean[g])
            continue
        mean = statistics.fmean(found)
        assert figures.mean[g] == pytest.approx(mean, abs=1e-9)
        if len(found) > 1:
            se = statistics.stdev(found) / math.sqrt(len(found))
            assert figures.figures["gap"].se[g] == pytest.approx(se, abs=1e-9)
            assert figures.low[g] == pytest.approx(max(-10.0, mean - z * se), abs=1e-9)


def test_groups_below_the_minimum_n_are_flagged_and_not_ranked() -> None:
    values = [5.0, 5.0, 5.0, 7.0, 7.0, 9.0, 3.0, 3.0, 3.0]
    dealers = ["A", "A", "A", "B", "B", "C", "D", "D", "D"]
    figures = aggregate(
        _scores(values), many("nps@1", [{"dealer": d} for d in dealers]), by=["dealer"], min_n=3
    )
    assert figures.keys["dealer"].tolist() == ["A", "B", "C", "D"]
    assert figures.n.tolist() == [3, 2, 1, 3]
    assert figures.flagged.tolist() == [False, True, True, False]
    # C has the best mean (9) but one response: flagged, rank 0. A (5) ranks above D (3).
    assert figures.rank.tolist() == [1, 0, 0, 2]


def test_equal_means_share_a_rank() -> None:
    figures = aggregate(
        _scores([4.0, 4.0, 6.0]),
        many("nps@1", [{"dealer": d} for d in ("A", "B", "C")]),
        by=["dealer"],
        min_n=1,
    )
    assert figures.rank.tolist() == [2, 2, 1]


def test_months_and_quarters_are_those_of_the_programmes_time_zone() -> None:
    # 17:00 UTC on 31 March is 1 April in Shanghai, still March in UTC.
    at = datetime(2026, 3, 31, 17, tzinfo=UTC)
    given_ = many("nps@1", [{"at": at, "recommend": 10}])
    scores = NPS().score(given_)
    assert aggregate(scores, given_, by=["month"]).keys["month"].tolist() == ["2026-04"]
    assert aggregate(scores, given_, by=["quarter"]).keys["quarter"].tolist() == ["2026Q2"]
    utc = aggregate(scores, given_, by=["month", "quarter"], time_zone="UTC")
    assert utc.keys["month"].tolist() == ["2026-03"]
    assert utc.keys["quarter"].tolist() == ["2026Q1"]


def test_groups_combine_dimensions_and_keep_responses_without_an_advisor() -> None:
    rows: list[dict[str, Any]] = [
        {"dealer": "D1", "advisor": "SA1", "recommend": 10},
        {"dealer": "D1", "advisor": None, "recommend": 0},
        {"dealer": "D2", "advisor": "SA1", "recommend": 9},
    ]
    given_ = many("nps@1", rows)
    figures = aggregate(NPS().score(given_), given_, by=["dealer", "advisor"], min_n=1)
    assert list(zip(figures.keys["dealer"], figures.keys["advisor"], strict=True)) == [
        ("D1", None),
        ("D1", "SA1"),
        ("D2", "SA1"),
    ]
    assert figures.mean.tolist() == [-100.0, 100.0, 100.0]
    versions = aggregate(NPS().score(given_), given_, by=["instrument"])
    assert versions.keys["instrument"].tolist() == ["nps@1"]


def test_a_segment_given_per_customer_is_mapped_to_the_responses() -> None:
    given_ = many(
        "nps@1", [{"customer": c, "recommend": r} for c, r in [("C1", 10), ("C2", 0), ("C3", 9)]]
    )
    tiers = Labels(np.array([1, 0]), ("A", "B"))  # C2 is B, C1 is A; C3 has no tier
    figures = aggregate(
        NPS().score(given_),
        given_,
        by=["segment"],
        segment=tiers,
        customers=np.array(["C2", "C1"]),
        min_n=1,
    )
    assert figures.keys["segment"].tolist() == [None, "A", "B"]
    assert figures.mean.tolist() == [100.0, 100.0, -100.0]  # C3; C1 (10); C2 (0)


def test_a_figure_for_every_factor_and_column_and_a_table_for_pandas() -> None:
    given_ = many("nps@1", [{"recommend": r} for r in (10, 8, 2, 9)])
    figures = aggregate(NPS().score(given_), given_)
    assert list(figures.figures) == [
        "nps",
        "factor:promoters",
        "factor:passives",
        "factor:detractors",
    ]
    frame = figures.to_pandas()
    assert frame.loc[0, "nps"] == 25.0
    assert frame.loc[0, "factor:promoters_n"] == 4
    assert bool(frame.loc[0, "flagged"])  # 4 responses, below the default minimum of 30


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": ["region"]}, "must be distinct dimensions"),
        ({"by": ["dealer", "dealer"]}, "must be distinct dimensions"),
        ({"level": 1.0}, "strictly between 0 and 1"),
        ({"min_n": 0}, "whole number of 1 or more"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], match: str) -> None:
    given_ = many("nps@1", [{"recommend": 9}])
    with pytest.raises(InvalidValue, match=match):
        aggregate(NPS().score(given_), given_, **kwargs)  # type: ignore[arg-type]


def test_the_responses_must_be_those_scored() -> None:
    scored = many("nps@1", [{"recommend": 9}, {"recommend": 1}])
    with pytest.raises(InvalidValue, match="not the responses scored"):
        aggregate(NPS().score(scored), scored.take(np.array([1, 0])), by=["dealer"])
    with pytest.raises(InvalidValue, match="needs the responses scored"):
        aggregate(NPS().score(scored), by=["dealer"])


def test_each_interval_is_clipped_to_the_bounds_of_its_own_measure() -> None:
    # Two respondents far apart: every interval below runs past what its measure can reach.
    csi = many(
        "china_csi@2015",
        [{"answers": dict.fromkeys(CSI_CHINA_2015.item_ids, r)} for r in (10, 2)],
    )
    factor = aggregate(CsiIndex().score(csi), min_n=1).figures["factor:service_advisor"]
    assert factor.mean[0] == pytest.approx(100 * (1 + 1 / 9) / 2)  # 100 and 11.1
    assert factor.high.tolist() == [100.0]  # a factor is 0–100, not 0–1000 as the index
    promoters = aggregate(NPS().score(many("nps@1", [{"recommend": r} for r in (10, 3)])))
    assert promoters.figures["factor:promoters"].low.tolist() == [0.0]  # a share, not −100
    paired = many(
        "servqual@1991",
        [{"answers": dict.fromkeys(SERVQUAL.item_ids, (p, 7))} for p in (7, 1)],
    )
    servperf = aggregate(Servqual().score(paired)).figures["servperf"]
    assert servperf.high.tolist() == [7.0]  # perceptions on 1–7, not gaps on ±6
    assert servperf.low.tolist() == [1.0]
    gap = aggregate(ExpectationGap().score(paired)).figures
    assert gap["top_box"].high.tolist() == [1.0]
    assert gap["ratio"].low.tolist() == [1 / 7]


def test_bounds_are_declared_for_the_columns_there_are() -> None:
    ids = np.array(["S1"], dtype=object)
    with pytest.raises(InvalidType, match=r"column_bounds is .*a column of \['ratio'\]"):
        SurveyScores(
            "gap",
            ids,
            np.array([0.5]),
            (-6.0, 6.0),
            columns={"ratio": np.array([1.0])},
            column_bounds={"top_box": (0.0, 1.0)},
        )
    with pytest.raises(InvalidType, match=r"factor_bounds is \(1\.0, 0\.0\)"):
        SurveyScores("gap", ids, np.array([0.5]), (-6.0, 6.0), factor_bounds=(1.0, 0.0))


@given(
    hnp.arrays(
        np.int64,
        st.integers(0, 30),
        elements=st.integers(-5, 40) | st.integers(-(2**40), 2**40),
    )
)
def test_group_codes_counted_or_sorted_are_those_of_np_unique(values: np.ndarray) -> None:
    # Narrow spans are counted, wide ones (the second kind of element) sorted.
    distinct, inverse = _factorise(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
