"""Every result type converts to pandas and displays in a notebook, short at any size.

The result types are found, not listed: every public class with a ``to_pandas`` method,
walked from the ``__all__`` of the library's packages. Each needs a small real instance
from :data:`FACTORIES`, so a new result type fails here until it has one; a type that does
not display yet is a strict xfail in :data:`NOT_YET`, so adoption is tracked, not hidden.
"""

from __future__ import annotations

import decimal
import functools
import importlib
import inspect
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest

import aftersales_crm
from aftersales_crm import _display, features, synthetic
from aftersales_crm.care import (
    Planner,
    Verdicts,
    followup_kpis,
    master_data_quality,
)
from aftersales_crm.clv import BgNbd, calibration_table, simulate_bgnbd
from aftersales_crm.complaints import ComplaintSla, complaint_states, recovery
from aftersales_crm.features import CalibrationHoldout, FeatureTable
from aftersales_crm.loyalty import LoyaltyValueMatrix
from aftersales_crm.membership import (
    Ledger,
    Levels,
    MemberLog,
    PointFlows,
    PointsRule,
    Qualifying,
    QualifyingLevels,
    Settlement,
    balances,
    club_kpis,
    joins_per_month,
)
from aftersales_crm.policies import BUILT_INS, BasePolicy, Labels, Scores
from aftersales_crm.satisfaction import (
    NPS,
    Responses,
    aggregate,
    belief_gap,
    gap_report,
    importance_performance,
)
from aftersales_crm.segmentation import ParetoABC, RegionRing, VehicleAgeBand, crosstab
from aftersales_crm.tables import Tables
from aftersales_crm.values import Money

pd = pytest.importorskip("pandas")

AS_OF = date(2026, 6, 30)
AT = datetime(2026, 6, 30, 23, tzinfo=UTC)
SHORT = 2_000
"""A repr longer than this is not short."""

PACKAGES = (
    "aftersales_crm",
    "aftersales_crm.values",
    "aftersales_crm.records",
    "aftersales_crm.tables",
    "aftersales_crm.features",
    "aftersales_crm.policies",
    "aftersales_crm.segmentation",
    "aftersales_crm.loyalty",
    "aftersales_crm.clv",
    "aftersales_crm.membership",
    "aftersales_crm.satisfaction",
    "aftersales_crm.complaints",
    "aftersales_crm.care",
    "aftersales_crm.calendars",
    "aftersales_crm.synthetic",
    "aftersales_crm.testing",
)

NOT_RESULTS = {
    # The input tables: a dict of frames in outside form, round-tripped by from_pandas.
    "Tables": "the input tables, a dict of DataFrames (Tables.from_pandas reads it back)",
    # An estimator: it shows its parameters, as every policy does.
    "KeyDrivers": "an estimator: its repr is its parameters, like a policy's",
}

NOT_YET: dict[str, str] = {}
"""Result types that do not display yet, by name, with the reason (strict xfails)."""


def result_types() -> list[type]:
    found: dict[str, type] = {}
    for name in PACKAGES:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            obj = getattr(module, public)
            if inspect.isclass(obj) and callable(getattr(obj, "to_pandas", None)):
                found.setdefault(obj.__name__, obj)
    return [found[n] for n in sorted(found) if n not in NOT_RESULTS]


# --- small real instances, shared -------------------------------------------------------


@functools.cache
def book() -> Any:
    return synthetic.book(120, seed=1)


@functools.cache
def tables() -> Tables:
    return Tables.from_book(book())


@functools.cache
def feats() -> FeatureTable:
    return features.compute(book(), as_of=AS_OF)


@functools.cache
def abc() -> ParetoABC:
    return ParetoABC().fit(feats())


@functools.cache
def agenda() -> Any:
    return Planner().agenda(book(), on=AS_OF)


@functools.cache
def responses() -> Responses:
    return Responses.from_tables(tables())


@functools.cache
def qualifying() -> Qualifying:
    return Qualifying.from_awards(PointsRule().award(tables(), as_of=AS_OF))


@functools.cache
def levels() -> Levels:
    return QualifyingLevels().levels(qualifying(), as_of=AS_OF)


def _calibration() -> Any:
    h = simulate_bgnbd(np.full(300, 273.0), r=0.5, alpha=35.0, a=0.8, b=2.5, seed=1)
    later = np.random.default_rng(2).poisson(h.x / 2)
    table = FeatureTable.from_columns(
        {
            "frequency": h.x.astype(int),
            "span_days": h.t_x,
            "tenure_days": h.T,
            "holdout_visit_days": later,
        },
        as_of="1997-09-30",
    )
    split = CalibrationHoldout(table, date(1997, 9, 30), date(1998, 6, 30), 0, 0)
    return calibration_table(BgNbd().fit(table), split, censor=3)


def _settlement() -> Settlement:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    ledger = (
        Ledger.open("M1")
        .earn(id="E1", amount=100, at=t, source_id="RO1", dealer_id="D1")
        .redeem(id="R1", amount=30, at=t, dealer_id="D2")
    )
    flows = PointFlows.from_ledgers([ledger], as_of=t)
    return Settlement.of(
        flows,
        start=datetime(2026, 1, 1, tzinfo=UTC),
        end=datetime(2026, 4, 1, tzinfo=UTC),
        cost_per_point=Money.parse("¥0.01"),
    )


FACTORIES: dict[str, Callable[[], object]] = {
    "Agenda": agenda,
    "Awards": lambda: PointsRule().award(tables(), as_of=AS_OF),
    "Balances": lambda: balances(tables(), as_of=AT),
    "BeliefGap": lambda: belief_gap(responses(), Responses.from_staff_tables(tables())),
    "CalibrationTable": _calibration,
    "CareTasks": lambda: agenda().tasks,
    "ComplaintStates": lambda: complaint_states(tables(), AT),
    "Crosstab": lambda: crosstab(feats(), abc(), RegionRing()),
    "FeatureTable": feats,
    "FollowUpKpis": lambda: followup_kpis(book(), as_of=AS_OF),
    "GapReport": lambda: gap_report(tables(), as_of=AS_OF),
    "GroupFigures": lambda: aggregate(
        NPS().score(responses()), responses(), by=["dealer"], min_n=1
    ),
    "ImportancePerformance": lambda: importance_performance(
        [0.40, 0.25, 0.20, 0.15],
        [7.1, 8.9, 6.8, 9.2],
        names=["service quality", "service advisor", "facility", "pick-up"],
    ),
    "JoinsPerMonth": lambda: joins_per_month(tables(), as_of=AS_OF, since="2026-01-01"),
    "KpiCounts": lambda: club_kpis(tables(), as_of=AS_OF, since="2026-01-01").chapters,
    "ClubKpis": lambda: club_kpis(tables(), as_of=AS_OF, since="2026-01-01"),
    "Qualifying": qualifying,
    "Levels": levels,
    "LevelChanges": lambda: levels().changes,
    "Labels": lambda: abc().assign(feats()),
    "MasterDataQuality": lambda: master_data_quality(book(), as_of=AS_OF),
    "MatrixSummary": lambda: LoyaltyValueMatrix().fit(feats()).matrix(feats()),
    "MemberStates": lambda: MemberLog.from_tables(tables()).states(AT),
    "ParetoReport": lambda: abc().report(),
    "RecoveryTable": lambda: recovery(tables(), as_of=AT),
    "Scores": lambda: BgNbd().fit(feats()).score(feats()),
    "Settlement": _settlement,
    "SlaStatus": lambda: ComplaintSla().assess(tables(), as_of=AT),
    "SurveyScores": lambda: NPS().score(responses()),
    "Verdicts": lambda: Verdicts.allow(agenda().tasks),
    "VehicleAgeReport": lambda: VehicleAgeBand().report(feats()),
}

LABELLED = ("Labels", "Crosstab", "ParetoReport", "VehicleAgeReport", "MatrixSummary", "Levels")
"""Types whose rows or cells are labels with an order: pandas gets ordered categoricals."""


def cases(taking: str | None = None) -> list[Any]:
    out = []
    for kind in result_types():
        untyped: Any = kind
        if taking is not None and taking not in inspect.signature(untyped.to_pandas).parameters:
            continue
        reason = NOT_YET.get(kind.__name__)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(kind, id=kind.__name__, marks=marks))
    return out


def instance(kind: type) -> object:
    factory = FACTORIES.get(kind.__name__)
    assert factory is not None, f"{kind.__name__} is a result type: give it a factory here"
    made = factory()
    assert type(made) is kind, f"the factory of {kind.__name__} made a {type(made).__name__}"
    return made


# --- every result type -------------------------------------------------------------------


def test_the_walk_finds_the_result_types_of_every_package() -> None:
    names = {kind.__name__ for kind in result_types()}
    assert {"Labels", "Scores", "Crosstab", "ParetoReport", "MatrixSummary"} <= names
    assert {"Agenda", "KpiCounts", "GapReport", "RecoveryTable", "CalibrationTable"} <= names
    assert not names & set(NOT_RESULTS)
    assert set(FACTORIES) == names, "a factory per result type, and none for a type gone"


@pytest.mark.parametrize("kind", cases())
def test_each_result_converts_to_pandas(kind: type) -> None:
    frame = instance(kind).to_pandas()  # type: ignore[attr-defined]
    assert isinstance(frame, pd.DataFrame | pd.Series)


@pytest.mark.parametrize("kind", cases())
def test_each_result_displays_in_a_notebook_and_its_repr_is_short(kind: type) -> None:
    result = instance(kind)
    assert issubclass(kind, _display.Displayed)
    page = result._repr_html_()  # type: ignore[attr-defined]
    assert page.startswith("<div>")
    assert "<table" in page
    assert page.endswith("</div>")
    text = repr(result)
    assert len(text) < SHORT, text
    if kind.__name__ != "FeatureTable":  # FeatureTable keeps its one-line repr
        assert text.startswith(kind.__name__), text


@pytest.mark.parametrize("kind", cases())
def test_each_result_displays_without_pandas(kind: type, monkeypatch: pytest.MonkeyPatch) -> None:
    result = instance(kind)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    assert "<table" in result._repr_html_()  # type: ignore[attr-defined]
    assert len(repr(result)) < SHORT


def test_labels_and_scores_without_pandas_show_their_ids_and_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    labels = Labels(np.array([1, -1]), ("A", "B"), ids=np.array(["C1", "C2"]), name="abc")
    assert repr(labels).splitlines() == [
        "Labels 'abc': 2 rows (B 1)",
        "customer_id  abc",
        "C1           B",
        "C2           NaN",
    ]
    assert repr(Labels(np.array([0]), ("A",))).splitlines()[1:] == ["label", "A"]
    scores = Scores(np.array([0.25]), np.array(["C1"]), name="p")
    assert repr(scores).splitlines()[1:] == ["customer_id     p", "C1           0.25"]
    table = FeatureTable.from_columns({"spend_fen": [5] * 7}, as_of=AS_OF)
    assert table._display_head().rows[0] == ("C0", "5")
    assert "… 2 more rows" in table._display_head().text()


@pytest.mark.parametrize("kind", cases(taking="lang"))
def test_each_result_with_languages_gives_chinese_labels(kind: type) -> None:
    english = instance(kind).to_pandas()  # type: ignore[attr-defined]
    chinese = instance(kind).to_pandas(lang="zh")  # type: ignore[attr-defined]
    assert isinstance(chinese, pd.DataFrame | pd.Series)
    assert chinese.shape == english.shape


def test_the_result_types_with_languages_include_the_labelled_ones() -> None:
    languages = {param.id for param in cases(taking="lang")}
    assert set(LABELLED) <= languages


@pytest.mark.parametrize("kind", cases(taking="money"))
def test_each_result_with_money_gives_exact_yuan_on_request(kind: type) -> None:
    to_pandas = instance(kind).to_pandas  # type: ignore[attr-defined]
    minor, major = to_pandas(), to_pandas(money="major")
    fen = [c for c in minor.columns if c.endswith("_fen") and minor[c].dtype.kind in "iu"]
    converted = [c for c in major.columns if c.endswith("_fen") and major[c].dtype.kind in "iu"]
    assert not converted, f"integer fen left behind: {converted}"
    for column in fen:
        yuan = major[column.removesuffix("_fen")]
        assert all(isinstance(v, Decimal) for v in yuan.dropna())
        assert [int(v * 100) for v in yuan] == minor[column].tolist()


def categoricals(frame: Any) -> list[Any]:
    """The categoricals of a Series or DataFrame: its values, index levels and columns."""
    if isinstance(frame, pd.Series):
        return [frame.cat]
    levels = getattr(frame.index, "levels", [frame.index])
    found = [level for level in levels if isinstance(level, pd.CategoricalIndex)]
    return found + [frame[c].cat for c in frame.columns if frame[c].dtype == "category"]


@pytest.mark.parametrize("name", LABELLED)
def test_labels_in_pandas_are_ordered_categoricals_best_first(name: str) -> None:
    frame = FACTORIES[name]().to_pandas()  # type: ignore[attr-defined]
    found = categoricals(frame)
    assert found, f"{name} has no categorical"
    for categorical in found:
        assert categorical.ordered
        assert len(categorical.categories) >= 2


def test_money_in_major_units_is_exact_beyond_float_precision() -> None:
    big = 2**53 + 1  # no float holds it
    table = FeatureTable.from_columns({"spend_fen": [big, 5], "visits": [1, 2]}, as_of=AS_OF)
    frame = table.to_pandas(money="major")
    assert frame["spend"].tolist() == [Decimal(big) / 100, Decimal("0.05")]
    assert "spend_fen" not in frame
    assert frame["visits"].tolist() == [1, 2]


def test_money_in_major_units_is_exact_under_a_callers_low_precision_decimal_context() -> None:
    table = FeatureTable.from_columns({"spend_fen": [123450, 5]}, as_of=AS_OF)
    with decimal.localcontext(decimal.Context(prec=3)):
        frame = table.to_pandas(money="major")
    assert frame["spend"].tolist() == [Decimal("1234.50"), Decimal("0.05")]


def test_money_in_minor_units_is_the_default_and_other_units_are_refused() -> None:
    table = FeatureTable.from_columns({"spend_fen": [120]}, as_of=AS_OF)
    assert table.to_pandas()["spend_fen"].tolist() == [120]
    with pytest.raises(ValueError, match="money is 'yuan'"):
        table.to_pandas(money="yuan")  # type: ignore[arg-type]


def test_a_missing_amount_stays_missing_in_major_units() -> None:
    frame = pd.DataFrame({"owed_fen": pd.array([150, None], dtype="Int64")})
    assert _display.major_units(frame)["owed"].tolist() == [Decimal("1.50"), None]
    series = pd.Series([150], name="spend_fen")
    assert _display.major_units(series).name == "spend"
    assert _display.major_units(pd.Series([1], name="net"), columns=("net",)).tolist() == [
        Decimal("0.01")
    ]
    owed = pd.DataFrame({"net": pd.Series([1, None], dtype=object)})
    assert _display.major_units(owed, columns=("net",))["net"].tolist() == [Decimal("0.01"), None]
    assert _display.major_units(pd.Series([1], name="visits")).tolist() == [1]


# --- at scale: short and quick, never all rows as text ----------------------------------

BIG = 100_000


def big_labels() -> Labels:
    ids = np.char.add("C", np.arange(BIG).astype(str))
    codes = np.arange(BIG) % 4 - 1
    return Labels(codes, ("A", "B", "C"), ("A类", "B类", "C类"), ids=ids, name="pareto_abc")


def big_scores() -> Scores:
    ids = np.char.add("C", np.arange(BIG).astype(str))
    return Scores(np.linspace(0, 1, BIG), ids, name="p_alive")


def big_features() -> FeatureTable:
    return FeatureTable.from_columns(
        {"spend_fen": np.arange(BIG), "visits": np.arange(BIG) % 7}, as_of=AS_OF
    )


def big_tasks() -> Any:
    tasks = agenda().tasks
    return tasks.take(np.arange(BIG) % len(tasks))


@pytest.mark.parametrize("make", [big_labels, big_scores, big_features, big_tasks])
def test_a_big_result_shows_only_its_first_rows(
    make: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = make()
    kind = type(result)
    real = kind.to_pandas
    sizes: list[int] = []

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(kind, "to_pandas", spy)
    text, page = repr(result), result._repr_html_()
    assert len(text) < SHORT
    assert len(page) < 4 * SHORT
    assert max(sizes) <= _display.HEAD_ROWS, "display turned more than the first rows to pandas"
    if kind is not FeatureTable:
        assert f"{BIG - _display.HEAD_ROWS:,} more rows" in text


def test_a_big_labels_repr_names_it_counts_it_and_shows_the_head() -> None:
    text = repr(big_labels())
    assert text.splitlines()[:3] == [
        "Labels 'pareto_abc': 100,000 rows (A 25,000, B 25,000, C 25,000)",
        "customer_id  pareto_abc",
        "C0           NaN",
    ]


# --- Labels: their rows and their name ---------------------------------------------------


def test_policies_give_labels_indexed_by_the_customer_ids_under_their_short_name() -> None:
    labels = abc().assign(feats())
    assert labels.name == "pareto_abc"
    assert labels.key == "customer_id"
    assert labels.ids is not None
    assert labels.ids.tolist() == feats().ids.tolist()
    series = labels.to_pandas()
    assert series.name == "pareto_abc"
    assert series.index.name == "customer_id"
    assert series.index.tolist() == feats().ids.tolist()
    assert series.cat.categories.tolist() == ["A", "B", "C"]
    assert series.cat.ordered
    zh = labels.to_pandas("zh")
    assert zh.cat.categories.tolist() == ["A类", "B类", "C类"]
    assert (zh.cat.codes == series.cat.codes).all()


def test_the_order_is_the_policys_not_the_alphabets() -> None:
    status = LoyaltyValueMatrix().fit(feats()).loyalty_.assign(feats())
    categories = status.to_pandas().cat.categories.tolist()
    assert categories == list(status.names)
    assert categories != sorted(categories)


def test_labels_the_policy_names_itself_are_kept() -> None:
    class Named(BasePolicy):
        kind = "tier"

        def assign(self, features: FeatureTable) -> Labels:
            return Labels(np.zeros(len(features), dtype=int), ("all",), name="mine")

    labels = Named().assign(feats())
    assert labels.name == "mine"
    assert labels.ids is not None


def test_a_subset_keeps_the_ids_of_its_rows() -> None:
    labels = abc().assign(feats())
    rows = np.array([3, 1])
    assert labels.take(rows).ids.tolist() == feats().ids[rows].tolist()  # type: ignore[union-attr]


def test_labels_equal_by_their_labelling_whatever_their_ids_and_name() -> None:
    labels = abc().assign(feats())
    bare = Labels(labels.codes, labels.names)
    assert labels == bare  # ids and name do not take part
    assert labels != attrs.evolve(bare, codes=np.roll(bare.codes, 1))


def test_labels_refuse_ids_that_do_not_match_their_rows() -> None:
    with pytest.raises(ValueError, match="1 ids for 2 labels"):
        Labels(np.array([0, 0]), ("A",), ids=np.array(["C1"]))
    with pytest.raises(ValueError, match="name is 3"):
        Labels(np.array([0]), ("A",), name=3)


def test_scores_of_a_policy_know_their_rows() -> None:
    class Spend(BasePolicy):
        kind = "tier"

        def score(self, features: FeatureTable) -> Scores:
            return Scores(features["spend_fen"].astype(float), name="spend")

    scores = Spend().score(feats())
    assert scores.ids is not None
    assert scores.ids.tolist() == feats().ids.tolist()
    assert repr(scores).startswith("Scores 'spend': 120 rows")


def test_every_built_in_policy_is_short_named_as_registered() -> None:
    for name, target in BUILT_INS.items():
        module, _, attr = target.partition(":")
        kind = getattr(importlib.import_module(module), attr)
        if issubclass(kind, BasePolicy):
            assert kind.short_name == name, kind


def test_the_display_escapes_what_it_shows() -> None:
    labels = Labels(np.array([0]), ("<b>&",), ids=np.array(["<C1>"]), name="<x>")
    page = labels._repr_html_()
    assert "<b>&" not in page
    assert "&lt;b&gt;&amp;" in page
    assert "&lt;C1&gt;" in page


def test_a_wide_result_shows_some_columns_in_text_and_all_in_html() -> None:
    table = FeatureTable.from_columns({f"c{i}": [i] for i in range(12)}, as_of=AS_OF)
    head = table._display_head()
    assert "… 5 more columns" in head.text()
    assert head.html().count("<th>") == 14  # the index and twelve columns, the row's id


def test_aftersales_crm_exports_no_display_internals() -> None:
    assert "Displayed" not in aftersales_crm.__all__


@pytest.mark.parametrize("rows", [1, _display.HEAD_ROWS])
@pytest.mark.parametrize("kind", cases())
def test_the_rows_shown_are_the_first_rows_of_the_whole_frame(
    kind: type, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_display, "HEAD_ROWS", rows)  # 1: every result with rows is cut
    result: Any = instance(kind)
    whole = _display._frame_head(result.to_pandas(), pd, result._display_total())
    assert result._display_head() == whole
