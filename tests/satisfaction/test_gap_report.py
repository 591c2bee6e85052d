"""Gap 1 from customers' and staff's expectations, and the five gaps side by side per dealer."""

from __future__ import annotations

import math
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_crm.errors import InvalidType, InvalidValue, MissingDependencyError
from aftersales_crm.records import (
    Customer,
    Dealer,
    StaffAnswer,
    StaffSurveyAnswered,
    SurveyAnswered,
)
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    SERVICE_GAPS,
    SEVEN_POINT,
    Asks,
    Factor,
    GapReport,
    Instrument,
    Item,
    Responses,
    belief_gap,
    gap_report,
)
from aftersales_crm.tables import Tables

from .build import AT, response
from .test_gaps import ADVERTISED
from .test_gaps import _tables as gaps_tables

MINI = Instrument(
    "mini",
    "1",
    [
        Factor(
            "f1",
            "因素一",
            "factor one",
            [
                Item("a", "甲", "a", SEVEN_POINT, Asks.BOTH),
                Item("b", "乙", "b", SEVEN_POINT, Asks.BOTH),
            ],
        ),
        Factor("f2", "因素二", "factor two", [Item("c", "丙", "c", SEVEN_POINT, Asks.BOTH)]),
    ],
)
"""Two factors, f1 (items a, b) and f2 (item c), paired items on 1–7: small enough to do by hand."""


def _staff(
    id: str, dealer: str, beliefs: dict[str, int], *, role: str = "manager", at: datetime = AT
) -> StaffSurveyAnswered:
    return StaffSurveyAnswered(
        id=id,
        instrument="mini",
        version="1",
        dealer_id=dealer,
        staff=f"S-{id}",
        role=role,
        at=at,
        answers=tuple(StaffAnswer(item=i, expectation=e) for i, e in beliefs.items()),
    )


LATER = datetime(2026, 5, 2, 2, tzinfo=UTC)  # after the as_of of the report below

CUSTOMERS = (
    # D1: C1 expects f1 (7 + 5) / 2 = 6, f2 6, overall 6; perceives f1 − 1, f2 − 2 below.
    response(MINI, {"a": (5, 7), "b": (5, 5), "c": (4, 6)}, id="S1", dealer="D1", customer="C1"),
    # C2 leaves b out (half of f1 is enough): f1 6, f2 7, overall 6.5; P − E 0 and −1.
    response(MINI, {"a": (6, 6), "c": (6, 7)}, id="S2", dealer="D1", customer="C2"),
    # D2: C3 answers f1 only: f1 6, no f2, so no overall expectation and no gap 5.
    response(MINI, {"a": (7, 6)}, id="S3", dealer="D2", customer="C3"),
    # Answered after as_of: not counted by the report.
    response(MINI, {"a": (1, 1), "b": (1, 1), "c": (1, 1)}, id="S4", dealer="D1", at=LATER),
    # Another instrument: not counted.
    response(CSI_CHINA_2015, {"sa_courtesy": 9}, id="S5", dealer="D1"),
)

STAFF = (
    # D1's manager believes f1 5, f2 4 (overall 4.5); its advisor f1 (6 + 4) / 2 = 5, f2 6.
    _staff("SS1", "D1", {"a": 5, "b": 5, "c": 4}),
    _staff("SS2", "D1", {"a": 6, "b": 4, "c": 6}, role="advisor"),
    # D2's manager: f1 4, f2 3.
    _staff("SS3", "D2", {"a": 4, "b": 4, "c": 3}),
    # After as_of: not counted by the report.
    _staff("SS4", "D1", {"a": 1, "b": 1, "c": 1}, at=LATER),
)


def _counted() -> tuple[Responses, Responses]:
    """The customers' and staff's responses the report counts (those answered by as_of)."""
    return (
        Responses.from_records(CUSTOMERS[:3]),
        Responses.from_staff_records(STAFF[:3]),
    )


def test_gap_1_per_dealer_and_factor_by_hand() -> None:
    customers, staff = _counted()
    gap = belief_gap(customers, staff, instrument=MINI)
    assert gap.dealers == ("D1", "D2")
    assert gap.measures == ("overall", "factor:f1", "factor:f2")
    # D1: customers expect f1 6, f2 (6 + 7) / 2 = 6.5, overall (6 + 6.5) / 2 = 6.25;
    # staff believe f1 5, f2 (4 + 6) / 2 = 5, overall 5.
    assert gap.expected["overall"].mean[0] == 6.25
    assert gap.believed["overall"].mean.tolist() == [5.0, 3.5]
    assert gap.gap().tolist()[0] == 1.25
    assert gap.gap("factor:f1").tolist() == [1.0, 2.0]  # D2: 6 − 4
    assert gap.gap("factor:f2")[0] == 1.5
    # D2's one customer stated no f2 expectation, so neither f2 nor overall has a gap.
    assert math.isnan(gap.gap("factor:f2")[1])
    assert math.isnan(gap.gap()[1])
    # n on each side: respondents scored for the measure.
    assert gap.expected["overall"].n.tolist() == [2, 0]
    assert gap.expected["factor:f1"].n.tolist() == [2, 1]
    assert gap.believed["overall"].n.tolist() == [2, 1]
    # The standard error of a side is its respondents' spread: D1's customers 6 and 6.5.
    assert gap.expected["overall"].se[0] == pytest.approx(0.25)


def test_a_positive_gap_1_is_staff_underestimating_customers() -> None:
    # The sign follows the model: the bar (customers' expectations) less what meets it.
    customers, staff = _counted()
    assert (belief_gap(customers, staff, instrument=MINI).gap("factor:f1") > 0).all()
    assert "the mean expectation customers state, less" in SERVICE_GAPS[0].measured_by


def test_gap_1_reads_managers_alone_when_asked() -> None:
    customers, _ = _counted()
    managers = Responses.from_staff_records(STAFF[:3], roles=["manager"])
    gap = belief_gap(customers, managers, instrument=MINI)
    assert gap.believed["overall"].n.tolist() == [1, 1]
    assert gap.gap().tolist()[0] == 6.25 - 4.5


def test_dealers_seen_by_one_side_only_get_a_row() -> None:
    customers, _ = _counted()
    gap = belief_gap(customers, Responses.from_staff_records([STAFF[0]]), instrument=MINI)
    assert gap.dealers == ("D1", "D2")
    assert gap.believed["factor:f1"].n.tolist() == [1, 0]
    only_staff = belief_gap(Responses.from_records([]), Responses.from_staff_records(STAFF[:3]))
    assert only_staff.dealers == ("D1", "D2")  # the default SERVQUAL answers: none of mini
    mini = belief_gap(
        Responses.from_records([]), Responses.from_staff_records(STAFF[2:3]), instrument=MINI
    )
    assert mini.dealers == ("D2",)
    assert np.isnan(mini.gap()).all()


@st.composite
def _sides(draw: st.DrawFn) -> tuple[list[SurveyAnswered], list[StaffSurveyAnswered]]:
    """Customers and staff of two dealers, each answering any of a, b, c on 1–7."""
    rating = st.integers(1, 7)
    beliefs = st.dictionaries(st.sampled_from("abc"), rating, min_size=1)
    expectations = st.dictionaries(st.sampled_from("abc"), st.tuples(st.none() | rating, rating))
    dealer = st.sampled_from(("D1", "D2"))
    customers = [
        response(MINI, answers, id=f"S{i}", dealer=d)
        for i, (d, answers) in enumerate(
            draw(st.lists(st.tuples(dealer, expectations), max_size=6))
        )
    ]
    staff = [
        _staff(f"SS{i}", d, b)
        for i, (d, b) in enumerate(draw(st.lists(st.tuples(dealer, beliefs), max_size=4)))
    ]
    return customers, staff


def _naive_side(records: list[Any], dealer: str) -> dict[str, float]:
    """Per measure, the mean over the dealer's respondents, computed one by one."""
    per_measure: dict[str, list[float]] = {"overall": [], "factor:f1": [], "factor:f2": []}
    for record in records:
        if record.dealer_id != dealer:
            continue
        given = {a.item: a.expectation for a in record.answers if a.expectation is not None}
        f1 = [given[i] for i in "ab" if i in given]
        means = {
            "factor:f1": sum(f1) / len(f1) if f1 else None,
            "factor:f2": given.get("c"),
        }
        for measure, value in means.items():
            if value is not None:
                per_measure[measure].append(value)
        if all(v is not None for v in means.values()):
            per_measure["overall"].append((means["factor:f1"] + means["factor:f2"]) / 2)  # type: ignore[operator]
    return {m: sum(v) / len(v) if v else math.nan for m, v in per_measure.items()}


@given(_sides())
def test_gap_1_is_the_difference_of_each_side_s_mean_computed_one_by_one(
    sides: tuple[list[SurveyAnswered], list[StaffSurveyAnswered]],
) -> None:
    customers, staff = sides
    gap = belief_gap(
        Responses.from_records(customers), Responses.from_staff_records(staff), instrument=MINI
    )
    for row, dealer in enumerate(gap.dealers):
        expected, believed = _naive_side(customers, dealer), _naive_side(staff, dealer)
        for measure in gap.measures:
            naive = expected[measure] - believed[measure]
            assert gap.gap(measure)[row] == pytest.approx(naive, nan_ok=True), (dealer, measure)


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("beliefs", "message"),
    [
        ({"zz": 5}, "staff survey response SS9, item zz is not an item of the instrument"),
        (
            {"a": 8},
            "staff survey response SS9, item a: expectation 8 is outside the item's scale 1–7",
        ),
    ],
)
def test_a_staff_answer_that_breaks_the_instrument_is_named(
    beliefs: dict[str, int], message: str
) -> None:
    customers, _ = _counted()
    staff = Responses.from_staff_records([_staff("SS9", "D1", beliefs)])
    with pytest.raises(InvalidValue, match=message):
        belief_gap(customers, staff, instrument=MINI)


def test_the_two_sides_cannot_be_swapped_and_staff_hold_no_perception() -> None:
    customers, staff = _counted()
    with pytest.raises(InvalidValue, match="staff: expected staff survey responses"):
        belief_gap(customers, customers, instrument=MINI)
    with pytest.raises(InvalidValue, match="responses: expected survey responses"):
        belief_gap(staff, staff, instrument=MINI)
    # Staff columns built by hand with a perception are refused, naming the rule.
    perceiving = attrs.evolve(staff, perception=np.full(len(staff.item), 5.0))
    with pytest.raises(InvalidValue, match="staff survey response SS1, item a: holds a perception"):
        belief_gap(customers, perceiving, instrument=MINI)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"responses": "answers"}, InvalidType, "responses: expected Responses"),
        ({"staff": None}, InvalidType, "staff: expected Responses"),
        ({"instrument": 5}, InvalidType, "instrument is 5, expected an Instrument"),
        ({"instrument": "mini@2"}, InvalidValue, "no instrument is named mini@2"),
        ({"instrument": CSI_CHINA_2015}, InvalidValue, "china_csi@2015 asks for no expectation"),
        ({"min_answered": 0}, InvalidValue, "belief_gap: min_answered=0 is invalid"),
    ],
)
def test_bad_arguments_of_belief_gap_are_named(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    customers, staff = _counted()
    given: dict[str, Any] = {"responses": customers, "staff": staff, "instrument": MINI} | arguments
    with pytest.raises(error, match=message):
        belief_gap(**given)


# -- the report ----------------------------------------------------------------------------------


def _tables() -> Tables:
    """test_gaps' dealers and orders, a third dealer, and the answers above."""
    return gaps_tables(
        Dealer(id="D3", name="通州店"),
        Customer(id="C2", name="李强"),
        Customer(id="C3", name="张伟"),
        *CUSTOMERS,
        *STAFF,
    )


AS_OF = date(2026, 4, 30)


def test_the_report_sets_the_gaps_side_by_side_per_dealer() -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI, advertised=ADVERTISED)
    assert report.dealers == ("D1", "D2", "D3")
    # Gap 1 as belief_gap gives it on the responses answered by as_of.
    assert report["gap1"][0] == 1.25
    assert np.isnan(report["gap1"][1:]).all()
    assert report["gap1:f1"].tolist()[:2] == [1.0, 2.0]
    assert report["gap1_customers"].tolist() == [2, 0, 0]
    assert report["gap1_staff"].tolist() == [2, 1, 0]
    # Gap 2 is not measured.
    assert np.isnan(report["gap2"]).all()
    # Gaps 3 and 4 from the orders of test_gaps, against the default standards of 1.
    assert report["gap3_on_time"].tolist()[:2] == [pytest.approx(2 / 3), 0.0]
    assert report["gap3_on_time_n"].tolist() == [3, 1, 0]
    assert report["gap3_first_time_fix"][0] == pytest.approx(1 / 3)
    assert report["gap4_advertised"].tolist()[:2] == [pytest.approx(1 / 3), 1.0]
    # Gap 5: expected less perceived, C1 1.5 and C2 0.5: a shortfall of 1 at D1.
    assert report["gap5"][0] == 1.0
    assert report["gap5_n"].tolist() == [2, 0, 0]
    assert report.reasons["gap1"].tolist() == [
        None,
        "no_customer_expectations",
        "no_expectations",
    ]
    assert report.reasons["gap1:f1"].tolist() == [None, None, "no_expectations"]
    assert report.reasons["gap2"].tolist() == ["not_measured"] * 3
    assert report.reasons["gap3_on_time"].tolist() == [None, None, "no_promised_orders"]
    assert report.reasons["gap3_first_time_fix"].tolist() == [None] + ["no_repair_jobs"] * 2
    assert report.reasons["gap4_advertised"].tolist() == [None, None, "no_advertised_orders"]
    assert report.reasons["gap5"].tolist() == [None, "no_paired_answers", "no_paired_answers"]


def test_without_advertised_times_gap_4_is_missing_for_that_reason() -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI)
    assert report.reasons["gap4_advertised"].tolist() == ["not_advertised"] * 3
    assert report.why("gap4_advertised", "zh")[0] == "未给出对顾客承诺的等待时间"


def test_the_report_counts_answers_up_to_as_of_only() -> None:
    later = gap_report(_tables(), as_of=date(2026, 5, 31), instrument=MINI)
    # S4 (all 1s) and SS4 (all 1s) now count at D1.
    assert later["gap1_customers"][0] == 3
    assert later["gap1_staff"][0] == 3
    assert later["gap1"][0] == pytest.approx((6 + 6.5 + 1) / 3 - (4.5 + 5.5 + 1) / 3)
    before = gap_report(_tables(), as_of=date(2026, 3, 1), instrument=MINI)
    assert before["gap1_customers"].tolist() == [0, 0, 0]


def test_the_report_reads_managers_alone_when_asked() -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI, roles=["manager"])
    assert report["gap1_staff"].tolist() == [1, 1, 0]
    assert report["gap1"][0] == 6.25 - 4.5


def test_dealers_above_a_threshold_are_flagged() -> None:
    report = gap_report(
        _tables(),
        as_of=AS_OF,
        instrument=MINI,
        advertised=ADVERTISED,
        thresholds={"gap1": 1.0, "gap4_advertised": 0.5, "gap1:f1": 1.5},
    )
    assert report.flagged["gap1"].tolist() == [True, False, False]  # NaN is never flagged
    assert report.flagged["gap4_advertised"].tolist() == [False, True, False]
    assert report.flagged["gap1:f1"].tolist() == [False, True, False]
    text = report.format("en")
    assert "above the threshold (gap 4 advertised wait > 50.0%): D2" in text
    assert "above the threshold (gap 1 factor one > 1.50): D2" in text
    assert "1.25*" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_report_has_the_table_reasons_and_every_gap_s_remedies(lang: str) -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI, thresholds={"gap3_on_time": 0.5})
    text = report.format(lang)
    for gap in SERVICE_GAPS:
        assert gap.advice(lang) in text
    lines = text.splitlines()
    d1 = next(line for line in lines if line.startswith("D1 "))
    assert d1.split() == ["D1", "1.25", "2/2", "66.7%*", "33.3%", "–", "1.00", "2"]
    if lang == "zh":
        assert "经销商  因素一  因素二" in text
        assert "差距3 按时交车:D3:没有已交车的承诺交车时间工单" in text
        assert str(report) == text
    else:
        assert "gap 3 on time, D3: no order with a promised time was delivered" in text
        assert "gap 2, every dealer: not measured" in text


def test_the_report_as_a_data_frame() -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI, thresholds={"gap5": 0.5})
    frame = report.to_pandas()
    assert frame["dealer_id"].tolist() == ["D1", "D2", "D3"]
    assert frame["gap5_flagged"].tolist() == [True, False, False]
    assert frame["gap5_why"].tolist()[1] == (
        "no customer rated both the expectation and the perception of enough items on mini@1"
    )
    assert frame["gap1_customers"].dtype.kind == "i"
    gap = belief_gap(*_counted(), instrument=MINI).to_pandas()
    assert gap.loc[0, ["gap1", "expected", "believed_n", "gap1:f2"]].tolist() == [
        1.25,
        6.25,
        2,
        1.5,
    ]


def test_without_pandas_the_results_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI)
    monkeypatch.setitem(sys.modules, "pandas", None)
    for result in (report, belief_gap(*_counted(), instrument=MINI)):
        with pytest.raises(MissingDependencyError, match=r"aftersales-crm\[pandas\]"):
            result.to_pandas()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"thresholds": {"gap9": 1}}, InvalidValue, "thresholds names 'gap9'.*did you mean"),
        ({"thresholds": {"gap2": 0.1}}, InvalidValue, "not a gap the report measures"),
        ({"thresholds": [("gap1", 1)]}, InvalidType, "thresholds is list"),
        ({"thresholds": {"gap1": "1"}}, InvalidValue, r"thresholds\['gap1'\] is '1'"),
        ({"roles": ["owner"]}, InvalidValue, "roles names 'owner', not a staff role"),
        ({"instrument": "china_csi@2015"}, InvalidValue, "asks for no expectation"),
        ({"as_of": datetime(2026, 4, 30, tzinfo=UTC)}, InvalidValue, "as_of"),
        ({"advertised": {"maintenance": 60}}, InvalidValue, r"advertised\['maintenance'\]"),
    ],
)
def test_bad_arguments_of_the_report_are_named(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    given: dict[str, Any] = {"as_of": AS_OF, "instrument": MINI} | arguments
    with pytest.raises(error, match=message):
        gap_report(_tables(), **given)


def test_the_report_needs_tables_and_a_known_gap() -> None:
    with pytest.raises(InvalidType, match="tables is a str, expected Tables"):
        gap_report("tables", as_of=AS_OF)  # type: ignore[arg-type]
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI)
    with pytest.raises(InvalidValue, match="no column 'gap6'"):
        report["gap6"]
    with pytest.raises(InvalidValue, match="no gap 'gap_1'; did you mean 'gap1'"):
        report.why("gap_1")


def test_the_synthetic_book_measures_gaps_1_and_5_from_its_servqual_answers() -> None:
    """Staff believe customers expect a little less than they say: gap 1 is positive."""
    from aftersales_crm import synthetic

    tables = Tables.from_book(synthetic.book(600, seed=3))
    report = gap_report(tables, as_of="2026-06-30", advertised={"maintenance": timedelta(hours=2)})
    assert (report["gap1_staff"] >= 2).all()
    assert (report["gap1_customers"] > 20).all()
    assert set(report.reasons["gap1"].tolist()) == {None}
    assert (report["gap1"] > 0).all()
    # Perceptions fall below expectations on every dimension: gap 5 is a shortfall.
    assert (report["gap5"] > 0).all()


def test_a_report_built_by_hand_is_checked() -> None:
    report = gap_report(_tables(), as_of=AS_OF, instrument=MINI)
    fields: dict[str, Any] = {
        "dealers": report.dealers,
        "as_of": report.as_of,
        "instrument": report.instrument,
        "columns": dict(report.columns),
        "reasons": dict(report.reasons),
    }
    assert GapReport(**fields).format("en") == report.format("en")
    without_f2 = {k: v for k, v in report.columns.items() if k != "gap1:f2"}
    with pytest.raises(InvalidValue, match=r"\['gap1:f2'\] are missing"):
        GapReport(**fields | {"columns": without_f2})
    odd = dict(report.reasons) | {"gap5": np.array(["tired", None, None], dtype=object)}
    with pytest.raises(InvalidValue, match="reasons hold 'tired'"):
        GapReport(**fields | {"reasons": odd})
    with pytest.raises(InvalidValue, match="gap1 has not one value per dealer"):
        GapReport(**fields | {"columns": dict(report.columns) | {"gap1": np.zeros(2)}})
    with pytest.raises(InvalidType, match="as_of is str, expected date"):
        GapReport(**fields | {"as_of": "2026-04-30"})
