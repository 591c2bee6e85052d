"""The conformance kit's scorer checks catch the scorer that breaks their rule."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from aftersales_crm.policies import BasePolicy, PolicyKind, policy_kind
from aftersales_crm.satisfaction import NPS, Responses, SurveyScores
from aftersales_crm.testing import check_policy, policy_checks


class RecommendScore(BasePolicy):
    """A scorer of one's own: the recommend score itself, on 0–10."""

    kind: ClassVar[PolicyKind] = "satisfaction_scorer"

    def __init__(self, *, offset: float = 0.0) -> None:
        self.offset = offset

    def score(self, responses: Responses) -> SurveyScores:
        return SurveyScores(
            "recommend", responses.ids, responses.recommend + self.offset, (0.0, 10.0)
        )


class PercentFactor(RecommendScore):
    """Breaks a rule: a factor score of 0–100 declared on the score's 0–10."""

    def score(self, responses: Responses) -> SurveyScores:
        return SurveyScores(
            "recommend",
            responses.ids,
            responses.recommend,
            (0.0, 10.0),
            factors=("percent",),
            factor_scores=10.0 * responses.recommend[:, None],
            factor_bounds=(0.0, 10.0),
        )


class ZeroForMissing(RecommendScore):
    """Breaks a rule: a response without a recommend score gets 0."""

    def score(self, responses: Responses) -> SurveyScores:
        values = np.nan_to_num(responses.recommend, nan=0.0)
        return SurveyScores("recommend", responses.ids, values, (0.0, 10.0))


def test_a_scorer_of_ones_own_passes_the_kit() -> None:
    check_policy(RecommendScore())


def test_the_scorer_kind_runs_the_rows_and_scores_checks() -> None:
    names = [name for name, _ in policy_checks(NPS())]
    assert {"output_aligned", "row_order_invariance", "bounded", "unanswered_is_missing"} <= set(
        names
    )
    assert "arrival_order" not in names
    assert policy_kind("satisfaction_scorer").verbs == ("score",)


@pytest.mark.parametrize(
    ("policy", "check", "found"),
    [
        (RecommendScore(offset=5.0), "bounded", "lie outside the bounds (0.0, 10.0)"),
        (PercentFactor(), "bounded", "factor_scores lie outside the bounds (0.0, 10.0)"),
        (ZeroForMissing(), "unanswered_is_missing", "responses without answers were scored [0.0"),
    ],
)
def test_each_scores_check_catches_the_scorer_that_breaks_it(
    policy: object, check: str, found: str
) -> None:
    checks = dict(policy_checks(policy))
    with pytest.raises(AssertionError, match=f"fails check '{check}'") as info:
        checks[check](policy)
    assert found in str(info.value)


def test_a_scorer_can_be_checked_on_responses_of_ones_own() -> None:
    from .build import many

    given = many("nps@1", [{"recommend": r} for r in (10, 3, None, 8)])
    check_policy(NPS(), given)
