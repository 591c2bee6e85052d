"""Each plot renders to PNG with the Agg backend and draws what its result holds."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from matplotlib import pyplot
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from numpy.typing import NDArray

from aftersales_crm import features, plot, synthetic
from aftersales_crm.care import Planner
from aftersales_crm.clv import BgNbd, CalibrationTable, History, ParetoNbd
from aftersales_crm.errors import (
    InvalidType,
    InvalidValue,
    MissingDependencyError,
    NotFittedError,
)
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import LoyaltyValueMatrix, ServiceIntervalStatus
from aftersales_crm.membership import Qualifying, QualifyingLevels
from aftersales_crm.plot import _common
from aftersales_crm.policies import Labels
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    SERVQUAL,
    CsiIndex,
    KeyDrivers,
    Responses,
    Servqual,
    aggregate,
    gap_report,
)
from aftersales_crm.segmentation import ParetoABC, RegionRing, Sector, crosstab
from aftersales_crm.tables import Tables

AS_OF = date(2026, 6, 30)
TABLES = Tables.from_book(synthetic.book(150, seed=7))
FEATS = features.compute(TABLES, as_of=AS_OF)

PNG = b"\x89PNG\r\n\x1a\n"


def rendered(ax: Axes) -> bytes:
    """The axes' figure as PNG bytes (drawing every artist, as a notebook would)."""
    buffer = io.BytesIO()
    figure: Any = ax.figure
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(PNG)
    return data


def patches(ax: Axes) -> list[Any]:
    """The axes' patches (bars, rectangles), untyped: each kind has its own getters."""
    return list(ax.patches)


def data(values: Any) -> NDArray[Any]:
    """A line's or an image's data as an array."""
    return np.asarray(values)


def texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def ticks(labels: Any) -> list[str]:
    return [t.get_text() for t in labels]


def legend(ax: Axes) -> list[str]:
    found = ax.get_legend()
    assert found is not None
    return [t.get_text() for t in found.get_texts()]


# ------------------------------------------------------------------ segments


def test_pareto_draws_the_curve_the_cuts_and_the_course_bands() -> None:
    abc = ParetoABC().fit(FEATS)
    ax = plot.pareto(abc, FEATS)
    rendered(ax)
    curve, diagonal, *cuts = ax.lines
    assert len(cuts) == 2
    assert [data(line.get_xdata())[0] for line in cuts] == pytest.approx([0.2, 0.5])
    x, y = data(curve.get_xdata()), data(curve.get_ydata())
    assert len(x) == int(np.isfinite(FEATS["spend_fen"]).sum()) + 1  # one step per customer
    assert (x[0], y[0], x[-1], y[-1]) == (0, 0, 1, pytest.approx(1))
    assert np.all(np.diff(y) >= 0)
    assert list(data(diagonal.get_xdata())) == [0, 1]
    # The bands are the rule's numbers, reused from ParetoABC, one per class.
    bands = [p for p in patches(ax) if isinstance(p, Rectangle)]
    heights = [p.get_height() for p in bands]
    rule = ParetoABC.RULE_VALUE_SHARES
    assert heights == pytest.approx([high - low for low, high in rule])
    assert [p.get_width() for p in bands] == pytest.approx(list(ParetoABC.DEFAULT_SHARES))
    # Each band starts where the curve enters its class.
    assert bands[0].get_y() == pytest.approx(rule[0][0])
    assert bands[1].get_y() == pytest.approx(abc.value_shares_[0] + rule[1][0])
    assert texts(ax) == ["A 70–80%", "B 20–25%", "C 5–10%"]
    assert ax.get_xlim() == (0, 1)
    assert ax.get_ylim() == (0, 1.05)


def test_pareto_from_the_report_goes_straight_between_the_classes_ends() -> None:
    report = ParetoABC().fit(FEATS).report()
    ax = plot.pareto(report)
    rendered(ax)
    curve = ax.lines[0]
    assert list(data(curve.get_xdata())) == pytest.approx([0, 0.2, 0.5, 1.0])
    assert list(data(curve.get_ydata())) == pytest.approx(np.cumsum([0, *report.value_shares]))


def test_pareto_of_other_shares_has_no_bands() -> None:
    abc = ParetoABC(shares=(0.5, 0.5)).fit(FEATS)
    ax = plot.pareto(abc)
    assert len(ax.lines) == 3  # curve, diagonal, one cut
    assert not patches(ax)
    assert not ax.texts


def test_pareto_of_a_base_without_value_draws_a_flat_curve() -> None:
    zero = FEATS.with_columns(nothing=np.zeros(len(FEATS)))
    ax = plot.pareto(ParetoABC(value="nothing").fit(zero), zero)
    assert set(data(ax.lines[0].get_ydata())) == {0.0}


def test_pareto_refuses_what_it_cannot_draw() -> None:
    with pytest.raises(InvalidType, match="abc is"):
        plot.pareto("A")  # type: ignore[arg-type]
    with pytest.raises(NotFittedError):
        plot.pareto(ParetoABC())
    report = ParetoABC().fit(FEATS).report()
    with pytest.raises(InvalidValue, match="not of a ParetoReport"):
        plot.pareto(report, FEATS)
    with pytest.raises(InvalidType, match="features is"):
        plot.pareto(ParetoABC().fit(FEATS), "features")  # type: ignore[arg-type]


def test_loyalty_matrix_shows_every_cell_and_outlines_it_by_strategy() -> None:
    matrix = LoyaltyValueMatrix(win_back=("D",)).fit(FEATS)
    summary = matrix.matrix(FEATS)
    ax = plot.loyalty_matrix(summary, matrix)
    rendered(ax)
    assert texts(ax) == [f"{cell}\n{summary.count(cell):,}" for cell in matrix.cells()]
    image = data(ax.images[0].get_array())
    assert image.shape == (3, 3)
    assert np.array_equal(image, summary.counts)
    outlines = patches(ax)
    assert len(outlines) == 9
    colours = {cell: o.get_edgecolor() for cell, o in zip(matrix.cells(), outlines, strict=True)}
    assert colours["CD"] != colours["CG"]  # win-back for the diamond column alone
    assert colours["CG"] == colours["CS"]
    assert len(legend(ax)) == 4
    assert ticks(ax.get_yticklabels()) == summary.row_heads()
    assert ticks(ax.get_xticklabels()) == summary.column_heads()


def test_loyalty_matrix_refuses_what_is_not_a_summary() -> None:
    with pytest.raises(InvalidType, match="summary is"):
        plot.loyalty_matrix(np.ones((3, 3)))  # type: ignore[arg-type]
    summary = LoyaltyValueMatrix().fit(FEATS).matrix(FEATS)
    with pytest.raises(InvalidType, match="matrix is"):
        plot.loyalty_matrix(summary, ParetoABC())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("show", "first"),
    [
        ("customers", lambda t: f"{int(t.counts[0, 0]):,}"),
        ("value", lambda t: f"{t.values[0, 0] / 100:,.0f}"),  # spend_fen, shown in yuan
        ("customer_share", lambda t: f"{t.customer_shares[0, 0]:.0%}"),
        ("value_share", lambda t: f"{t.value_shares[0, 0]:.0%}"),
    ],
)
def test_crosstab_annotates_each_cell_with_what_is_shown(show: Any, first: Any) -> None:
    table = crosstab(FEATS, ParetoABC(), RegionRing())
    ax = plot.crosstab(table, show=show)
    rendered(ax)
    assert len(ax.texts) == 9
    assert texts(ax)[0] == first(table)
    assert ticks(ax.get_yticklabels()) == list(table.names[0])
    assert ticks(ax.get_xticklabels()) == list(table.names[1])
    assert ax.get_ylabel() == table.dimensions[0]


def test_crosstab_of_one_dimension_is_one_row_and_marks_shares_of_nothing() -> None:
    table = crosstab(FEATS, Sector(), value="visits")
    ax = plot.crosstab(table, show="value")
    assert data(ax.images[0].get_array()).shape == (1, len(table.names[0]))
    assert ax.get_xlabel() == table.dimensions[0]
    empty = crosstab(FEATS.take(np.array([], dtype=np.intp)), RegionRing())
    assert set(texts(plot.crosstab(empty, show="value_share"))) == {"–"}


def test_crosstab_refuses_a_bad_show_or_more_than_two_dimensions() -> None:
    table = crosstab(FEATS, ParetoABC(), RegionRing(), Sector())
    with pytest.raises(InvalidValue, match="one or two dimensions"):
        plot.crosstab(table)
    with pytest.raises(InvalidValue, match="show is 'spend'"):
        plot.crosstab(crosstab(FEATS, RegionRing()), show="spend")  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="table is"):
        plot.crosstab({})  # type: ignore[arg-type]


# ------------------------------------------------------------------ features


@pytest.mark.parametrize(
    ("what", "xlabel"),
    [
        ("recency", "days since the last visit"),
        ("frequency", "repeat visit days"),
        ("spend", "cumulative spend (yuan)"),
        ("km_per_day", "km per day"),
    ],
)
def test_distribution_draws_one_bar_per_bin_and_the_median(what: Any, xlabel: str) -> None:
    ax = plot.distribution(FEATS, what, bins=12)
    rendered(ax)
    assert ax.get_xlabel() == xlabel
    heights = [p.get_height() for p in patches(ax)]
    seen = FEATS["visits"] > 0
    counted = {
        "recency": int(seen.sum()),
        "frequency": int(seen.sum()),
        "spend": int((FEATS["spend_fen"][seen] > 0).sum()),
        "km_per_day": len(FEATS.vehicles or ()),
    }[what]
    assert sum(heights) == counted  # nobody dropped
    assert len(patches(ax)) <= 12
    assert len(ax.lines) == 1  # the median


def test_distribution_of_frequency_has_whole_bins_centred_on_the_values() -> None:
    ax = plot.distribution(FEATS, "frequency", bins=200)
    top = int(FEATS["frequency"][FEATS["visits"] > 0].max())
    assert len(patches(ax)) == top + 1
    assert patches(ax)[0].get_x() == -0.5
    assert patches(ax)[0].get_width() == 1


def test_distributions_fill_a_two_by_two_figure() -> None:
    found = plot.distributions(FEATS)
    rendered(found[0])
    assert len(found) == 4
    assert len(found[0].figure.axes) == 4
    assert [ax.get_xlabel() for ax in found][:2] == [
        "days since the last visit",
        "repeat visit days",
    ]


def test_distribution_refuses_bad_arguments() -> None:
    with pytest.raises(InvalidValue, match="what is 'age'"):
        plot.distribution(FEATS, "age")  # type: ignore[arg-type]
    for bins in (0, True, 1.5, 10_001):
        with pytest.raises(InvalidValue, match="bins is"):
            plot.distribution(FEATS, "recency", bins=bins)  # type: ignore[arg-type]
    no_vehicles = FeatureTable.from_columns(
        {"visits": [1], "recency_days": [3.0]}, ids=["C1"], as_of=AS_OF
    )
    with pytest.raises(InvalidValue, match="no vehicle features"):
        plot.distribution(no_vehicles, "km_per_day")
    with pytest.raises(InvalidValue, match="no vehicle features"):
        plot.distributions(no_vehicles)
    with pytest.raises(InvalidType, match="features is"):
        plot.distributions({})  # type: ignore[arg-type]


def test_service_status_stacks_the_statuses_of_each_day() -> None:
    rule = ServiceIntervalStatus()
    days = [date(2026, 3, 31), date(2025, 12, 31), AS_OF]  # any order: drawn by day
    statuses = {d: rule.assign(features.compute(TABLES, as_of=d)) for d in days}
    ax = plot.service_status(statuses)
    rendered(ax)
    assert ticks(ax.get_xticklabels()) == ["2025-12-31", "2026-03-31", "2026-06-30"]
    assert len(patches(ax)) == 9
    assert legend(ax) == ["loyal", "swinging", "lost"]
    last = statuses[AS_OF]
    tops = [p.get_y() + p.get_height() for p in patches(ax)[6:]]  # the lost bars
    assert tops == [
        pytest.approx(int((s.codes >= 0).sum())) for s in (statuses[d] for d in sorted(days))
    ]
    assert patches(ax)[2].get_height() == last.counts().get("loyal", 0)


def test_service_status_refuses_an_empty_or_mixed_history() -> None:
    with pytest.raises(InvalidValue, match="empty"):
        plot.service_status({})
    loyal = Labels(np.array([0, 1]), ("loyal", "swinging", "lost"))
    other = Labels(np.array([0, 1]), ("a", "b"))
    with pytest.raises(InvalidValue, match="different names"):
        plot.service_status({AS_OF: loyal, date(2026, 1, 1): other})
    with pytest.raises(InvalidType, match="a day of statuses"):
        plot.service_status({"2026-06-30": loyal})  # type: ignore[dict-item]
    with pytest.raises(InvalidType, match="statuses is"):
        plot.service_status([loyal])  # type: ignore[arg-type]


def test_levels_draws_a_bar_per_level_and_one_for_members_without() -> None:
    q = Qualifying.from_columns(
        member_id=["M1", "M2", "M3", "M4"],
        source_id=["a", "b", "c", "d"],
        at=["2026-03-01T02:00"] * 4,
        value=[60_000, 25_000, 6_000, 7_000],
    )
    found = QualifyingLevels().levels(q, as_of=AS_OF)
    ax = plot.levels(found)
    rendered(ax)
    assert ticks(ax.get_xticklabels()) == ["diamond", "platinum", "gold", "silver"]
    assert [p.get_height() for p in patches(ax)] == [1, 1, 2, 0]
    assert texts(ax) == ["1", "1", "2", "0"]
    labels = Labels(np.array([0, -1, -1]), ("high", "low"))
    ax = plot.levels(labels)
    assert ticks(ax.get_xticklabels()) == ["high", "low", "no level"]
    assert [p.get_height() for p in patches(ax)] == [1, 0, 2]
    with pytest.raises(InvalidType, match="members is"):
        plot.levels({"M1": "gold"})  # type: ignore[arg-type]


# ------------------------------------------------------------------ satisfaction


RESPONSES = Responses.from_tables(TABLES)


def test_factor_gaps_draws_a_bar_per_factor_and_dealer_with_its_interval() -> None:
    servqual = RESPONSES.of(SERVQUAL)
    figures = aggregate(Servqual().score(servqual), servqual, by=["dealer"])
    ax = plot.factor_gaps(figures, SERVQUAL)
    rendered(ax)
    factors = len(SERVQUAL.factors)
    assert len(patches(ax)) == factors * len(figures)
    assert ticks(ax.get_yticklabels()) == [f.name_en for f in SERVQUAL.factors]
    assert legend(ax) == list(figures.keys["dealer"])
    widths = [p.get_width() for p in patches(ax)[:factors]]
    first = [figures.figures[f"factor:{f}"].mean[0] for f in SERVQUAL.factor_ids]
    assert widths == pytest.approx(first)
    assert [list(data(line.get_xdata())) for line in ax.lines].count([0, 0]) == 1  # the line at 0


def test_factor_gaps_of_the_whole_network_and_of_the_wrong_instrument() -> None:
    csi = RESPONSES.of(CSI_CHINA_2015)
    network = aggregate(CsiIndex(instrument=CSI_CHINA_2015).score(csi), csi)
    ax = plot.factor_gaps(network, CSI_CHINA_2015)
    assert len(patches(ax)) == len(CSI_CHINA_2015.factors)
    assert legend(ax) == ["all"]
    with pytest.raises(InvalidValue, match="factor:"):
        plot.factor_gaps(network, SERVQUAL)
    with pytest.raises(InvalidType, match="instrument is"):
        plot.factor_gaps(network, "servqual")  # type: ignore[arg-type]


def test_key_drivers_draws_the_shares_largest_first() -> None:
    drivers = CsiIndex(instrument=CSI_CHINA_2015).key_drivers(RESPONSES.of(CSI_CHINA_2015))
    ax = plot.key_drivers(drivers, method="johnson", instrument=CSI_CHINA_2015)
    rendered(ax)
    widths = [p.get_width() for p in patches(ax)]
    assert widths == pytest.approx(sorted(drivers.shares_["johnson"], reverse=True))
    names = {f.id: f.name_en for f in CSI_CHINA_2015.factors}
    top = drivers.names_[int(np.argmax(drivers.shares_["johnson"]))]
    assert ticks(ax.get_yticklabels())[0] == names[top]
    assert texts(ax) == [f"{w:.0%}" for w in widths]
    assert "R²" in ax.get_title()
    plain = plot.key_drivers(drivers)  # no instrument: the predictors' own names
    assert set(ticks(plain.get_yticklabels())) == set(drivers.names_)


def test_key_drivers_refuses_an_unfitted_analysis_or_a_measure_not_computed() -> None:
    with pytest.raises(NotFittedError):
        plot.key_drivers(KeyDrivers())
    x = {"a": [7, 9, 8, 6, 9, 8], "b": [8, 8, 9, 7, 6, 9]}
    drivers = KeyDrivers(methods=["pratt"]).fit(x, [7, 9, 9, 6, 8, 9])
    with pytest.raises(InvalidValue, match="not among the measures"):
        plot.key_drivers(drivers)
    with pytest.raises(InvalidType, match="instrument is"):
        plot.key_drivers(drivers, method="pratt", instrument="csi")  # type: ignore[arg-type]


def test_service_gaps_colours_each_dealers_gaps_by_what_they_are() -> None:
    report = gap_report(TABLES, as_of=AS_OF, thresholds={"gap3_on_time": 0.0})
    ax = plot.service_gaps(report)
    rendered(ax)
    gaps = ["gap1", "gap3_on_time", "gap3_first_time_fix", "gap4_advertised", "gap5"]
    assert len(ax.texts) == len(report) * len(gaps)
    assert ticks(ax.get_yticklabels()) == list(report.dealers)
    assert ticks(ax.get_xticklabels())[1] == "gap 3 on time"
    state = data(ax.images[0].get_array())
    on_time = np.asarray(report["gap3_on_time"])
    assert (state[:, 1] == np.where(on_time > 0, 1, 0)).all()  # above the threshold: red
    missing = np.isnan(np.asarray(report["gap4_advertised"]))
    assert (state[missing, 3] == 2).all()  # not measured: grey, and a dash
    shown = np.array(texts(ax)).reshape(len(report), len(gaps))
    assert (shown[missing, 3] == "–").all()
    assert all(t.endswith("%*") for t in shown[on_time > 0, 1])  # flagged, as format() marks it
    assert legend(ax) == ["measured", "above its threshold", "not measured"]
    with pytest.raises(InvalidType, match="report is"):
        plot.service_gaps({})  # type: ignore[arg-type]


# ------------------------------------------------------------------ care


def test_agenda_stacks_the_tasks_of_each_day_by_kind() -> None:
    start = AS_OF + timedelta(days=1)
    week = Planner().agenda(TABLES, start=start, end=start + timedelta(days=6), as_of=AS_OF)
    ax = plot.agenda(week)
    rendered(ax)
    days = ticks(ax.get_xticklabels())
    assert days[-7:] == [f"07-0{d}" for d in range(1, 8)]
    assert days[:2] == ["earlier", "06-17"]  # the 14 days of the lookback, after the earlier ones
    assert len(days) == 1 + 14 + 7
    assert data(ax.lines[0].get_xdata())[0] == 14.5  # the dotted line before 07-01
    assert sum(p.get_height() for p in patches(ax)) == len(week)  # every task, once
    shown = {
        k.label("en")
        for k in week.tasks.kinds
        if (week.tasks.kind == week.tasks.kinds.index(k)).any()
    }
    assert set(legend(ax)) == shown
    open_only = plot.agenda(week, statuses=["open"])
    assert sum(p.get_height() for p in patches(open_only)) == week.status_counts().get("open", 0)


def test_agenda_of_nothing_counted_shows_the_days_without_an_earlier_column() -> None:
    start = AS_OF + timedelta(days=1)
    week = Planner().agenda(TABLES, start=start, end=start + timedelta(days=2), as_of=AS_OF)
    ax = plot.agenda(week, statuses=[])
    assert ticks(ax.get_xticklabels())[-3:] == ["07-01", "07-02", "07-03"]
    assert "earlier" not in ticks(ax.get_xticklabels())
    assert ax.get_legend() is None


def test_agenda_of_a_long_range_labels_every_few_days() -> None:
    start = AS_OF + timedelta(days=1)
    days = Planner().agenda(TABLES, start=start, end=start + timedelta(days=59), as_of=AS_OF)
    labels = ticks(plot.agenda(days, statuses=["open"]).get_xticklabels())
    shown = [t for t in labels if t]
    assert len(labels) >= 60
    assert len(shown) <= 31


def test_agenda_refuses_an_unknown_status_or_a_calendar_too_long() -> None:
    start = AS_OF + timedelta(days=1)
    day = Planner().agenda(TABLES, on=start, as_of=AS_OF)
    with pytest.raises(InvalidValue, match="statuses is"):
        plot.agenda(day, statuses=["late"])
    with pytest.raises(InvalidType, match="statuses is"):
        plot.agenda(day, statuses="open")
    year = Planner().agenda(TABLES, start=start, end=start + timedelta(days=390), as_of=AS_OF)
    with pytest.raises(InvalidValue, match="at most 400"):
        plot.agenda(year, statuses=[])
    with pytest.raises(InvalidType, match="tasks is"):
        plot.agenda([])  # type: ignore[arg-type]


# ------------------------------------------------------------------ churn


def _pareto_nbd_of_cdnow() -> ParetoNbd:
    """Pareto/NBD with the CDNOW estimates in weeks (Fader, Hardie & Lee 2005), as if fitted.

    Fitting a Pareto/NBD takes seconds; the plot needs only a fitted model's parameters.
    """
    model = ParetoNbd()
    for name, value in {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}.items():
        setattr(model, f"{name}_", value)
    model.unit_ = "weeks"
    return model


@pytest.mark.parametrize(
    ("model", "age", "unit"),
    [
        (BgNbd().fit(FEATS), 730, "days"),  # fitted on a feature table: days
        (_pareto_nbd_of_cdnow(), 39, "weeks"),
    ],
    ids=["BgNbd", "ParetoNbd"],
)
def test_p_alive_is_the_models_probability_over_the_grid(model: Any, age: int, unit: str) -> None:
    ax = plot.p_alive(model, age=age, max_frequency=6)
    rendered(ax)
    image: AxesImage = ax.images[0]
    grid = np.asarray(image.get_array())
    assert grid.shape == (7, 60)
    assert ((grid >= 0) & (grid <= 1)).all()
    assert ax.get_xlim() == (0, age)
    assert ax.get_ylim() == (-0.5, 6.5)
    assert ax.get_xlabel() == f"{unit} since the last visit"
    # Row 0 is one value; longer since the last visit is less alive for a repeat customer.
    assert np.ptp(grid[0]) == 0
    assert (np.diff(grid[3]) <= 1e-12).all()
    assert grid[3, 0] == pytest.approx(model.p_alive(History([3], [age], [age]))[0])
    assert grid[3, -1] == pytest.approx(model.p_alive(History([3], [0], [age]))[0])


def test_p_alive_refuses_a_bad_grid_or_model() -> None:
    model = BgNbd().fit(FEATS)
    for age in (0, -1, float("nan"), "730", True):
        with pytest.raises(InvalidValue, match="age is"):
            plot.p_alive(model, age=age)  # type: ignore[arg-type]
    for top in (-1, 501, 2.5):
        with pytest.raises(InvalidValue, match="max_frequency is"):
            plot.p_alive(model, age=100, max_frequency=top)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="model is"):
        plot.p_alive(ParetoABC(), age=100)  # type: ignore[arg-type]
    with pytest.raises(NotFittedError):
        plot.p_alive(BgNbd(), age=100)


def test_calibration_draws_actual_and_predicted_by_frequency() -> None:
    table = CalibrationTable(
        np.arange(4), np.array([9, 4, 2, 1]), np.array([0.1, 0.8, np.nan, 3.0]),
        np.array([0.2, 0.7, 1.5, 2.8]), 180,
    )  # fmt: skip
    ax = plot.calibration(table)
    rendered(ax)
    actual, predicted = ax.lines
    assert np.array_equal(data(actual.get_ydata()), table.actual, equal_nan=True)
    assert list(data(predicted.get_ydata())) == list(table.predicted)
    assert ticks(ax.get_xticklabels()) == ["0", "1", "2", "3+"]
    assert legend(ax) == ["actual", "predicted"]
    assert "180-day" in ax.get_ylabel()
    with pytest.raises(InvalidType, match="table is"):
        plot.calibration(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------ every plot


CALIBRATION = CalibrationTable(np.arange(2), np.ones(2, dtype=np.int64), np.ones(2), np.ones(2), 10)


def _calls() -> list[tuple[str, Any]]:
    abc = ParetoABC().fit(FEATS)
    summary = LoyaltyValueMatrix().fit(FEATS).matrix(FEATS)
    table = crosstab(FEATS, abc, RegionRing())
    labels = Labels(np.array([0, 1]), ("gold", "silver"), ("黄金", "白银"))
    statuses = {AS_OF: ServiceIntervalStatus().assign(FEATS)}
    servqual = RESPONSES.of(SERVQUAL)
    figures = aggregate(Servqual().score(servqual), servqual, by=["dealer"])
    drivers = CsiIndex(instrument=CSI_CHINA_2015).key_drivers(RESPONSES.of(CSI_CHINA_2015))
    gaps = gap_report(TABLES, as_of=AS_OF)
    day = Planner().agenda(TABLES, on=AS_OF)
    model = BgNbd().fit(FEATS)
    return [
        ("pareto", lambda **kw: plot.pareto(abc, **kw)),
        ("loyalty_matrix", lambda **kw: plot.loyalty_matrix(summary, **kw)),
        ("crosstab", lambda **kw: plot.crosstab(table, **kw)),
        ("distribution", lambda **kw: plot.distribution(FEATS, "spend", **kw)),
        ("service_status", lambda **kw: plot.service_status(statuses, **kw)),
        ("levels", lambda **kw: plot.levels(labels, **kw)),
        ("factor_gaps", lambda **kw: plot.factor_gaps(figures, SERVQUAL, **kw)),
        ("key_drivers", lambda **kw: plot.key_drivers(drivers, instrument=CSI_CHINA_2015, **kw)),
        ("service_gaps", lambda **kw: plot.service_gaps(gaps, **kw)),
        ("agenda", lambda **kw: plot.agenda(day, **kw)),
        ("p_alive", lambda **kw: plot.p_alive(model, age=365, **kw)),
        ("calibration", lambda **kw: plot.calibration(CALIBRATION, **kw)),
    ]


CALLS = _calls()


@pytest.mark.parametrize(("name", "draw"), CALLS, ids=[n for n, _ in CALLS])
def test_every_plot_draws_on_the_axes_given_and_returns_them(name: str, draw: Any) -> None:
    _figure, (left, right) = pyplot.subplots(1, 2)
    assert draw(ax=right) is right
    assert not left.has_data()
    rendered(right)


@pytest.mark.parametrize(("name", "draw"), CALLS, ids=[n for n, _ in CALLS])
def test_every_plot_refuses_what_is_not_axes_or_a_language(name: str, draw: Any) -> None:
    with pytest.raises(InvalidType, match="ax is"):
        draw(ax="axes")
    with pytest.raises(InvalidValue, match="lang is"):
        draw(lang="fr")


@pytest.mark.parametrize(("name", "draw"), CALLS, ids=[n for n, _ in CALLS])
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_every_plot_labels_in_chinese_in_the_cjk_font(
    name: str, draw: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any installed font stands in for a CJK one: the test checks the labels and the
    # font asked for, not the glyphs (the machine may have no CJK font).
    monkeypatch.setattr(_common, "cjk_font", lambda: "DejaVu Sans")
    ax = draw(lang="zh")
    rendered(ax)
    found = ax.findobj(Text)
    shown = [t.get_text() for t in found]
    assert any(any("\u4e00" <= c <= "\u9fff" for c in text) for text in shown), shown
    assert all(t.get_fontfamily()[0] == "DejaVu Sans" for t in found)


def test_distributions_title_the_figure_in_the_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "cjk_font", lambda: "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font")
        found = plot.distributions(FEATS, lang="zh")
        rendered(found[0])
    figure: Any = found[0].figure
    title = figure.get_suptitle()
    assert title.endswith("客户特征")
    assert figure._suptitle.get_fontfamily()[0] == "DejaVu Sans"
    assert found[3].get_xlabel() == "日均行驶里程(公里)"


def test_chinese_labels_leave_the_callers_other_axes_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_common, "cjk_font", lambda: "DejaVu Sans Mono")
    _figure, (mine, theirs) = pyplot.subplots(1, 2)
    theirs.set_title("their own")
    plot.calibration(CALIBRATION, lang="zh", ax=mine)
    assert mine.title.get_fontfamily()[0] == "DejaVu Sans Mono"
    assert theirs.title.get_fontfamily() == ["sans-serif"]


@pytest.mark.parametrize(("name", "draw"), CALLS, ids=[n for n, _ in CALLS])
def test_without_a_cjk_font_chinese_falls_back_to_english_with_a_warning(
    name: str, draw: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_common, "cjk_font", lambda: None)
    with pytest.warns(plot.MissingFontWarning, match="labelling in English"):
        ax = draw(lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph warning: English is drawn
        rendered(ax)
    english = draw()
    assert ax.get_title() == english.get_title()


def test_cjk_font_is_one_of_the_known_fonts_or_none() -> None:
    found = plot.cjk_font()
    assert found is None or found in plot.CJK_FONTS
    assert plot.cjk_font() == found  # looked up once


def test_without_matplotlib_a_plot_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("matplotlib.axes", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependencyError, match=r"aftersales-crm\[plot\]"):
        plot.calibration(
            CalibrationTable(np.arange(1), np.ones(1, dtype=np.int64), np.ones(1), np.ones(1), 1)
        )


def test_importing_the_plot_module_does_not_import_matplotlib() -> None:
    code = "import sys, aftersales_crm.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
