"""Policy kinds as data, Scores, and the conformance kit driven by a kind's declaration.

The proof that the list of kinds is open: two kinds are declared here, in the tests only
(one folds facts into a per-customer count, one gives a number per customer), and the kit
runs the shared checks plus each kind's own on them, with no edit to library code.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar, NamedTuple

import attrs
import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue, PolicyNameClash, UnknownPolicyError
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import (
    BasePolicy,
    CheckFamily,
    DimensionPolicy,
    FactSample,
    Labels,
    LoyaltyRule,
    PolicyKind,
    PolicyKindSpec,
    Reads,
    Scores,
    TierPolicy,
    check_is_fitted,
    declare_kind,
    policy_kind,
    policy_kinds,
)
from aftersales_crm.segmentation import ParetoABC, RFMScore
from aftersales_crm.testing import check_policy, parametrize_with_policy_checks, policy_checks

AS_OF = date(2026, 6, 30)

# ---------------------------------------------------------------- Scores


def test_scores_hold_one_float_per_row_aligned_with_ids() -> None:
    scores = Scores(np.array([1, 2, 3], dtype=np.int8), np.array(["a", "b", "c"]), name="n")
    assert scores.values.dtype == np.float64
    assert not scores.values.flags.writeable
    assert len(scores) == 3
    taken = scores.take(np.array([2, 0]))
    assert taken.values.tolist() == [3.0, 1.0]
    assert taken.ids is not None
    assert taken.ids.tolist() == ["c", "a"]
    assert taken.name == "n"


def test_scores_to_pandas_is_a_series_indexed_by_customer_id() -> None:
    series = Scores(np.array([0.5, np.nan]), np.array(["C1", "C2"]), name="p").to_pandas()
    assert series.index.name == "customer_id"
    assert series.index.tolist() == ["C1", "C2"]
    assert series.name == "p"
    assert series.isna().tolist() == [False, True]


def test_scores_without_ids_have_a_range_index() -> None:
    series = Scores(np.array([0.5, 1.5])).to_pandas()
    assert series.index.tolist() == [0, 1]


def test_scores_equal_by_name_ids_and_values_with_nan_equal_to_nan() -> None:
    ids = np.array(["a", "b"])
    one = Scores(np.array([1.0, np.nan]), ids)
    assert one == Scores(np.array([1, np.nan]), ids.copy())
    assert hash(one) == hash(Scores(np.array([1.0, np.nan]), ids))
    assert one != Scores(np.array([1.0, 2.0]), ids)
    assert one != Scores(np.array([1.0, np.nan]), np.array(["a", "c"]))
    assert one != Scores(np.array([1.0, np.nan]))
    assert one != Scores(np.array([1.0, np.nan]), ids, name="other")
    assert one != [1.0, np.nan]
    assert one.missing() == 1


@pytest.mark.parametrize(
    ("values", "ids", "message"),
    [
        (np.zeros((2, 2)), None, r"one number per row: values has shape \(2, 2\)"),  # a matrix
        (np.zeros(2), np.array(["a"]), "1 ids for 2 scores"),  # ids of other rows
    ],
)
def test_scores_refuse_a_shape_that_is_not_one_number_per_row(
    values: Any, ids: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        Scores(values, ids)


@pytest.fixture(scope="module")
def feats() -> FeatureTable:
    return features.compute(synthetic.book(40, seed=2), as_of=AS_OF)


def test_rfm_scores_as_scores_are_the_sum_or_one_of_its_three_scores(feats: FeatureTable) -> None:
    rfm = RFMScore().fit(feats)
    three = rfm.scores(feats).astype(float)
    visited = three[:, 0] > 0
    total = rfm.score(feats)
    assert total.name == "rfm_total"
    assert total.ids is not None
    assert total.ids.tolist() == feats.ids.tolist()
    assert total.values[visited].tolist() == three[visited].sum(axis=1).tolist()
    assert np.isnan(total.values[~visited]).all()
    for j, part in enumerate(("recency", "frequency", "monetary")):
        assert rfm.score(feats, part).values[visited].tolist() == three[visited, j].tolist()


def test_rfm_score_names_a_wrong_part(feats: FeatureTable) -> None:
    with pytest.raises(
        InvalidValue, match=r"RFMScore: part='rfm' is invalid: expected 'total' or 'recency'"
    ):
        RFMScore().fit(feats).score(feats, "rfm")


# ---------------------------------------------------------------- the registry of kinds


@pytest.mark.parametrize(
    ("name", "protocol"),
    [("tier", TierPolicy), ("dimension", DimensionPolicy), ("loyalty", LoyaltyRule)],
)
def test_the_three_built_in_kinds_read_features_and_give_labels_per_row(
    name: str, protocol: type
) -> None:
    spec = policy_kind(name)
    assert spec.name == name
    assert spec.reads is Reads.FEATURES
    assert spec.verbs == ("fit", "assign")
    assert spec.result is Labels
    assert spec.checks == (CheckFamily.ROWS,)
    assert spec.protocol is protocol
    assert spec.fits


def test_the_built_in_kinds_sample_has_ties_at_the_cut_offs() -> None:
    sample = policy_kind("tier").sample_input()
    spend = np.sort(sample["spend_fen"])[::-1]
    top = len(spend) // 5  # the top 20%
    assert spend[top - 1] == spend[top]
    assert len(set(sample.ids)) == len(sample)


def test_an_unknown_kind_is_a_lookup_error_listing_the_kinds() -> None:
    with pytest.raises(UnknownPolicyError, match="no policy kind is named 'vip'; the kinds are"):
        policy_kind("vip")


def test_a_kind_name_means_one_thing() -> None:
    taken = policy_kind("tier")
    assert declare_kind(taken) is taken  # declaring the same kind again is harmless
    with pytest.raises(PolicyNameClash, match="the policy kind 'tier' is already declared"):
        declare_kind(attrs.evolve(taken, verbs=("fit", "rank")))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": "Tier"}, "policy_kind_name"),  # not lower snake case
        ({"name": "two words"}, "policy_kind_name"),
        ({"verbs": ()}, "policy_kind_verbs"),  # nothing to call
        ({"verbs": ("fit", "assign labels")}, "policy_kind_verbs"),  # not a method name
    ],
)
def test_a_kind_declaration_is_checked(changes: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        attrs.evolve(policy_kind("tier"), **changes)
    assert raised.value.code == code


def test_a_kind_runs_its_last_verb_unless_it_declares_a_runner(feats: FeatureTable) -> None:
    spec = policy_kind("tier")
    labels = spec.run(spec.fit(ParetoABC(), feats), feats)
    assert isinstance(labels, Labels)
    custom = attrs.evolve(spec, name="counted_tier", runner=lambda policy, data: len(data))
    assert custom.run(ParetoABC(), feats) == len(feats)


# ---------------------------------------------------------------- a test-only kind that folds facts


class Visit(NamedTuple):
    """A fact: a visit of a customer, with its own id."""

    fact_id: str
    customer: str
    day: date


def _visit_sample() -> FactSample:
    days = [AS_OF - timedelta(days=d) for d in (400, 200, 90, 30, 30, 1, 0)]
    customers = ["C1", "C2", "C1", "C3", "C1", "C2", "C3"]
    facts = [Visit(f"V{i}", c, d) for i, (c, d) in enumerate(zip(customers, days, strict=True))]
    future = [Visit("V90", "C1", AS_OF + timedelta(days=1)), Visit("V91", "C4", date(2027, 1, 1))]
    return FactSample(facts, AS_OF, future=future)


def _count(policy: Any, sample: FactSample) -> Any:
    return policy.count(sample.facts, as_of=sample.as_of)


VISIT_COUNTS = declare_kind(
    PolicyKindSpec(
        name="test_visit_counts",
        reads=Reads.FACTS,
        verbs=("count",),
        result=dict,
        sample=_visit_sample,
        checks=(CheckFamily.FOLDS,),
        description="folds visits into the number of visits of each customer up to as_of",
        runner=_count,
    )
)


class VisitCounter(BasePolicy):
    """Visits per customer up to as_of, each visit counted once by its id."""

    kind: ClassVar[PolicyKind] = "test_visit_counts"

    def __init__(self, *, since: date | None = None) -> None:
        self.since = since

    def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
        seen = {
            v.fact_id: v.customer
            for v in facts
            if v.day <= as_of and (self.since is None or v.day >= self.since)
        }
        counts: dict[str, int] = {}
        for customer in seen.values():
            counts[customer] = counts.get(customer, 0) + 1
        return dict(sorted(counts.items()))


class CountsInArrivalOrder(VisitCounter):
    """Assumes facts arrive in date order: stops at the first fact older than the one before."""

    def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
        ordered: list[Visit] = []
        for visit in facts:
            if ordered and visit.day < ordered[-1].day:
                break
            ordered.append(visit)
        return super().count(ordered, as_of=as_of)


class CountsEveryDelivery(VisitCounter):
    """Counts a visit delivered twice twice."""

    def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
        counts: dict[str, int] = {}
        for v in facts:
            if v.day <= as_of:
                counts[v.customer] = counts.get(v.customer, 0) + 1
        return dict(sorted(counts.items()))


class CountsTheFuture(VisitCounter):
    """Forgets as_of."""

    def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
        return super().count(facts, as_of=date.max)


class NeedsAFact(VisitCounter):
    """Fails on an empty history."""

    def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
        _ = facts[0]
        return super().count(facts, as_of=as_of)


def test_a_kind_declared_in_the_tests_gets_the_shared_and_the_fold_checks() -> None:
    names = [name for name, _ in policy_checks(VisitCounter())]
    assert names == [
        "declares_kind",
        "default_constructible",
        "no_work_in_init",
        "params_round_trip",
        "set_params_equivalent_to_init",
        "clone",
        "repr",
        "fit_does_not_mutate",
        "deterministic",
        "picklable",
        "arrival_order",
        "repeated_fact",
        "as_of_cutoff",
        "no_facts",
    ]
    assert "test_visit_counts" in policy_kinds()


@parametrize_with_policy_checks([VisitCounter(), VisitCounter(since=date(2026, 1, 1))])
def test_a_conforming_policy_of_the_test_kind_passes_every_check(
    policy: object, check: Callable[[object], None]
) -> None:
    check(policy)


def test_the_test_kinds_policy_counts_what_it_should() -> None:
    counts = _count(VisitCounter(), _visit_sample())
    assert counts == {"C1": 3, "C2": 2, "C3": 2}  # V0, V2, V4 / V1, V5 / V3, V6


def test_a_fold_kind_without_future_facts_in_its_sample_fails_the_as_of_check() -> None:
    sample = attrs.evolve(_visit_sample(), future=())
    with pytest.raises(AssertionError, match=r"the kind's sample has no facts after as_of"):
        check_policy(VisitCounter(), sample)


def test_a_fold_kind_needs_a_fact_sample() -> None:
    with pytest.raises(InvalidValue, match="sample: the policy kind 'test_visit_counts' folds"):
        check_policy(VisitCounter(), [1, 2, 3])
    broken = attrs.evolve(VISIT_COUNTS, name="test_bad_sample", sample=lambda: [1, 2, 3])
    declare_kind(broken)

    class BadSample(VisitCounter):
        kind: ClassVar[PolicyKind] = "test_bad_sample"

    check = dict(policy_checks(BadSample()))["arrival_order"]
    with pytest.raises(InvalidValue, match="run on a FactSample, not a list"):
        check(BadSample())


def test_a_result_of_the_wrong_type_is_named_with_the_kinds_result_type() -> None:
    class GivesAList(VisitCounter):
        def count(self, facts: Sequence[Visit], *, as_of: date) -> dict[str, int]:
            return list(super().count(facts, as_of=as_of).items())  # type: ignore[return-value]

    with pytest.raises(AssertionError, match=r"count returned list, not builtins.dict"):
        check_policy(GivesAList())


# ---------------------------------------------------------------- a test-only kind giving Scores


CHURN = declare_kind(
    PolicyKindSpec(
        name="test_churn_model",
        reads=Reads.FEATURES,
        verbs=("fit", "predict"),
        result=Scores,
        sample=policy_kind("tier").sample,
        checks=(CheckFamily.ROWS,),
        description="the chance that a customer does not come back",
    )
)


class DaysSinceShare(BasePolicy):
    """A customer's recency as a share of the longest recency in the fit population."""

    kind: ClassVar[PolicyKind] = "test_churn_model"
    population_relative: ClassVar[bool] = True
    longest_: float

    def _fit(self, features: FeatureTable) -> None:
        recency = features["recency_days"]
        self.longest_ = float(np.nanmax(recency)) if np.isfinite(recency).any() else 1.0

    def predict(self, features: FeatureTable) -> Scores:
        check_is_fitted(self)
        recency = np.asarray(features["recency_days"], dtype=np.float64)
        return Scores(recency / self.longest_, features.ids, name="churn")


class ScoresByPosition(DaysSinceShare):
    def predict(self, features: FeatureTable) -> Scores:
        check_is_fitted(self)
        return Scores(np.arange(len(features)) / 100, features.ids, name="churn")


class ScoresOfOtherRows(DaysSinceShare):
    def predict(self, features: FeatureTable) -> Scores:
        check_is_fitted(self)
        recency = np.asarray(features["recency_days"], dtype=np.float64)
        return Scores(recency / max(len(features), 1), features.ids, name="churn")


class ScoresWithoutRows(DaysSinceShare):
    def predict(self, features: FeatureTable) -> Scores:
        return Scores(np.zeros(max(len(features) - 1, 0)), name="churn")


class RenamesItsScores(DaysSinceShare):
    def predict(self, features: FeatureTable) -> Scores:
        return attrs.evolve(super().predict(features), name=f"churn of {len(features)}")


@parametrize_with_policy_checks([DaysSinceShare()])
def test_a_conforming_scores_policy_passes_every_check(
    policy: object, check: Callable[[object], None]
) -> None:
    check(policy)


@pytest.mark.parametrize(
    ("policy", "name", "found"),
    [
        (CountsInArrivalOrder(), "arrival_order", "with the facts in the order"),
        (CountsEveryDelivery(), "repeated_fact", "delivered twice"),
        (CountsTheFuture(), "as_of_cutoff", "facts dated after as_of 2026-06-30"),
        (NeedsAFact(), "no_facts", "raised IndexError"),
        (ScoresByPosition(), "output_aligned", "rows [1, 2, 3, 4, 5] got"),
        (ScoresOfOtherRows(), "output_aligned", "of every other row"),
        (ScoresWithoutRows(), "output_aligned", "predict returned 179 scores for 180 rows"),
        (RenamesItsScores(), "output_aligned", "scores named 'churn of 90'"),
    ],
    ids=[
        "facts-order-dependent",
        "facts-double-counted",
        "facts-from-the-future",
        "fails-without-facts",
        "scores-by-position",
        "scores-depend-on-other-rows",
        "scores-drop-a-row",
        "scores-name-varies",
    ],
)
def test_the_checks_of_a_test_kind_catch_the_policy_that_breaks_their_rule(
    policy: object, name: str, found: str
) -> None:
    check = dict(policy_checks(policy))[name]
    with pytest.raises(AssertionError, match=rf"fails check '{name}'\n  rule: .+\n  found: ") as e:
        check(copy.deepcopy(policy))
    assert found in str(e.value)
    with pytest.raises(AssertionError, match="fails check"):
        check_policy(copy.deepcopy(policy))


# ---------------------------------------------------------------- what users met in the kit


def test_an_already_fitted_policy_is_refused_up_front(feats: FeatureTable) -> None:
    fitted = ParetoABC().fit(feats)
    with pytest.raises(InvalidValue, match=r"ParetoABC\(\) is already fitted .*pass an unfitted"):
        check_policy(fitted)
    with pytest.raises(InvalidValue, match="pass an unfitted policy") as raised:
        parametrize_with_policy_checks([fitted])
    assert raised.value.code == "fitted_policy"


class TopByPosition(BasePolicy):
    """The top 20% by spend, counted off a stable sort: ties go to the earlier row."""

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True
    top_: frozenset[str]

    def _fit(self, features: FeatureTable) -> None:
        order = np.argsort(-features["spend_fen"], kind="stable")
        self.top_ = frozenset(features.ids[order[: len(features) // 5]].tolist())

    def assign(self, features: FeatureTable) -> Labels:
        check_is_fitted(self)
        top = np.isin(features.ids, list(self.top_))
        untyped: Any = ("top", "rest")
        return Labels(np.where(top, 0, 1), untyped)


def test_a_policy_breaking_ties_by_row_position_fails_on_the_default_sample() -> None:
    check = dict(policy_checks(TopByPosition()))["row_order_invariance"]
    with pytest.raises(AssertionError, match=r"labels after fitting on (permuted|reversed) rows"):
        check(TopByPosition())


class ReadsWealth(BasePolicy):
    kind: ClassVar[PolicyKind] = "dimension"

    def assign(self, features: FeatureTable) -> Labels:
        from aftersales_crm.policies import feature

        untyped: Any = ("rich", "poor")
        return Labels((feature(features, "wealth") > 0).astype(int), untyped)


def test_a_feature_missing_from_the_sample_is_reported_as_that() -> None:
    with pytest.raises(AssertionError) as raised:
        check_policy(ReadsWealth())
    message = str(raised.value)
    assert message.startswith("ReadsWealth() cannot be checked on this sample:")
    assert "no column 'wealth'" in message
    assert "fit_does_not_mutate" not in message
