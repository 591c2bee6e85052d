"""Plots of results: satisfaction factors and drivers, the care agenda, churn and its check."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from aftersales_crm._args import is_number, is_whole
from aftersales_crm._policy import check_is_fitted
from aftersales_crm.care import Agenda, TaskStatus
from aftersales_crm.clv import BgNbd, CalibrationTable, History, ParetoNbd
from aftersales_crm.errors import InvalidValue
from aftersales_crm.plot._common import axes, checked, finish, pick, pyplot, text_language
from aftersales_crm.satisfaction import GroupFigures, Instrument, KeyDrivers
from aftersales_crm.values import Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["agenda", "calibration", "factor_gaps", "key_drivers", "p_alive"]

_GRID_COLUMNS: Final = 60
"""Recency steps of the P(alive) grid."""

_MAX_GRID_ROWS: Final = 500
"""At most this many frequencies in the P(alive) grid."""

_MAX_AGENDA_DAYS: Final = 400
"""At most this many days in the agenda calendar."""

_MAX_TICK_LABELS: Final = 31
"""At most about this many day labels under the agenda calendar."""


def _factor_name(instrument: Instrument | None, factor_id: str, lang: Lang) -> str:
    if instrument is None or factor_id not in instrument.factor_ids:
        return factor_id
    factor = instrument.factor(factor_id)
    return factor.name_zh if lang == "zh" else factor.name_en


def factor_gaps(
    figures: GroupFigures,
    instrument: Instrument,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """Each factor's mean per group with its confidence interval, as grouped bars.

    Reads the ``factor:<id>`` figures of [`aggregate`][aftersales_crm.satisfaction.aggregate]:
    the CSI factor scores (0–100) of [`CsiIndex`][aftersales_crm.satisfaction.CsiIndex], or
    the SERVQUAL gaps (perceived − expected, 期望与感知差距) of
    [`Servqual`][aftersales_crm.satisfaction.Servqual], one bar per factor and group (dealer,
    advisor…), the interval as an error bar, and a line at 0 (no gap).

    Args:
        figures: the aggregate of a scorer with factor scores, by any dimensions.
        instrument: the instrument scored, for its factors and their names.
        lang: labels in English (``"en"``) or Chinese (``"zh"``, the factors' Chinese names).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar per factor and group, a legend of the groups.

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: the figures have no ``factor:<id>`` measure of a factor.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from aftersales_crm import plot, synthetic
        >>> from aftersales_crm.satisfaction import SERVQUAL, Responses, Servqual, aggregate
        >>> from aftersales_crm.tables import Tables
        >>> tables = Tables.from_book(synthetic.book(300, seed=1))
        >>> responses = Responses.from_tables(tables).of(SERVQUAL)
        >>> figures = aggregate(Servqual().score(responses), responses, by=["dealer"])
        >>> ax = plot.factor_gaps(figures, SERVQUAL)
        >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()][:2]
        (10, ['tangibles', 'reliability'])
    """
    checked(figures, GroupFigures, "figures", "GroupFigures (satisfaction.aggregate)")
    checked(instrument, Instrument, "instrument", "an Instrument")
    measures = [f"factor:{f}" for f in instrument.factor_ids]
    missing = [m for m in measures if m not in figures.figures]
    if missing:
        msg = f"the figures have no {missing[0]!r}: aggregate the scores of a scorer of {instrument.key} with factor scores"
        raise InvalidValue(msg, code="invalid_argument")
    chosen = text_language(lang)
    ax = axes(ax)
    groups = len(figures)
    if figures.by:
        names = [" / ".join(str(figures.keys[d][g]) for d in figures.by) for g in range(groups)]
    else:
        names = [pick(chosen, "all", "全部")] * groups
    height = 0.8 / max(groups, 1)
    y = np.arange(len(measures))
    for g, name in enumerate(names):
        means = np.array([figures.figures[m].mean[g] for m in measures])
        low = np.array([figures.figures[m].low[g] for m in measures])
        high = np.array([figures.figures[m].high[g] for m in measures])
        ax.barh(
            y - 0.4 + height * (g + 0.5),
            means,
            height=height,
            xerr=np.nan_to_num(np.vstack([means - low, high - means])),
            label=name,
            capsize=2,
        )
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(y, [_factor_name(instrument, f, chosen) for f in instrument.factor_ids])
    ax.invert_yaxis()
    ax.set_xlabel(
        pick(
            chosen,
            f"mean per factor, {figures.level:.0%} interval",
            f"各因素均值({figures.level:.0%}置信区间)",
        )
    )
    ax.set_title(pick(chosen, f"Factors of {instrument.name_en}", f"{instrument.name_zh}各因素"))
    ax.legend(fontsize="small", title=", ".join(figures.by) or None)
    return finish(ax, chosen)


def key_drivers(
    drivers: KeyDrivers,
    *,
    method: str = "shapley",
    instrument: Instrument | None = None,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """The key drivers (关键驱动因素): each predictor's share of the explained variance.

    Horizontal bars, largest share first, each with its percentage; the title gives R²
    and the number of answers the analysis used.

    Args:
        drivers: a fitted ``KeyDrivers`` (say
            ``CsiIndex.key_drivers``'s).
        method: the measure whose shares are drawn (default ``"shapley"``), one computed.
        instrument: the instrument whose factor ids the predictors are, for the factors'
            names (default: the predictors' own names).
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar per predictor, with its share as a text.

    Raises:
        InvalidType: an argument of the wrong type.
        NotFittedError: the analysis is not fitted.
        InvalidValue: a measure that was not computed.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from aftersales_crm import plot, synthetic
        >>> from aftersales_crm.satisfaction import CSI_CHINA_2015, CsiIndex, Responses
        >>> from aftersales_crm.tables import Tables
        >>> tables = Tables.from_book(synthetic.book(300, seed=1))
        >>> responses = Responses.from_tables(tables).of(CSI_CHINA_2015)
        >>> drivers = CsiIndex(instrument=CSI_CHINA_2015).key_drivers(responses)
        >>> ax = plot.key_drivers(drivers, instrument=CSI_CHINA_2015)
        >>> len(ax.patches) == len(CSI_CHINA_2015.factors), ax.get_yticklabels()[0].get_text()
        (True, 'service advisor')
    """
    checked(drivers, KeyDrivers, "drivers", "a fitted KeyDrivers")
    check_is_fitted(drivers)
    if not (isinstance(method, str) and method in drivers.shares_):
        msg = f"method is {method!r:.60}, not among the measures computed, {tuple(drivers.shares_)}"
        raise InvalidValue(msg, code="invalid_argument")
    if instrument is not None:
        checked(instrument, Instrument, "instrument", "an Instrument or None")
    chosen = text_language(lang)
    ax = axes(ax)
    computed: Any = drivers.shares_  # keyed by the measures' names
    shares = np.asarray(computed[method])
    order = np.argsort(-shares, kind="stable")
    names = [_factor_name(instrument, drivers.names_[i], chosen) for i in order.tolist()]
    bars = ax.barh(range(len(order)), shares[order], color="tab:blue")
    ax.bar_label(bars, [f"{s:.0%}" for s in shares[order].tolist()], padding=2)
    ax.set_yticks(range(len(order)), names)
    ax.invert_yaxis()
    ax.set_xlabel(pick(chosen, f"{method} share of R²", f"{method}贡献占R²比例"))
    ax.set_title(
        pick(
            chosen,
            f"Key drivers: R² {drivers.r2_:.2f}, {drivers.n_:,} answers",
            f"关键驱动因素: R² {drivers.r2_:.2f}, {drivers.n_:,}份答卷",
        )
    )
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    return finish(ax, chosen)


def agenda(
    tasks: Agenda,
    *,
    statuses: Sequence[TaskStatus | str] | None = None,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """The care agenda as a calendar: tasks per due day, stacked by kind.

    The days are those asked for (``start`` to ``end``), after a dotted line, and before
    them the agenda's ``lookback`` days, whose tasks it keeps to show the overdue ones.
    The agenda also keeps earlier tasks whose window is not over: they are counted in a
    first column, "earlier", so that every task counted is drawn once.

    Args:
        tasks: an [`Agenda`][aftersales_crm.care.Agenda] (``Planner.agenda``), of one
            day or a range.
        statuses: the statuses counted (default every one: open, closed, overdue and
            blocked), as [`TaskStatus`][aftersales_crm.care.TaskStatus] or their values.
        lang: labels in English (``"en"``) or Chinese (``"zh"``, the kinds' Chinese names).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar per column and kind with tasks (patches of zero height
        included), a legend of the kinds that have tasks, the days as tick labels
        (month-day, every few days on a long calendar), a dotted line before the first
        day asked for.

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: an unknown status, or the days span more than 400 days.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import plot, synthetic
        >>> from aftersales_crm.care import Planner
        >>> week = Planner().agenda(synthetic.tables(200, seed=1), start=date(2026, 7, 1),
        ...                         end=date(2026, 7, 7), as_of=date(2026, 6, 30))
        >>> ax = plot.agenda(week, statuses=["open"])
        >>> labels = [t.get_text() for t in ax.get_xticklabels()]
        >>> labels[0], labels[-7:]
        ('06-17', ['07-01', '07-02', '07-03', '07-04', '07-05', '07-06', '07-07'])
    """
    checked(tasks, Agenda, "tasks", "an Agenda")
    wanted = (
        list(TaskStatus)
        if statuses is None
        else list(checked(statuses, (list, tuple), "statuses", "a list of TaskStatus or None"))
    )
    try:
        codes = [list(TaskStatus).index(TaskStatus(s)) for s in wanted]
    except (ValueError, TypeError):
        msg = f"statuses is {statuses!r:.80}, expected TaskStatus values: {', '.join(s.value for s in TaskStatus)}"
        raise InvalidValue(msg, code="invalid_argument") from None
    counted = np.isin(tasks.status, codes)
    start, last = np.datetime64(tasks.start, "D"), np.datetime64(tasks.end, "D")
    first = start - np.timedelta64(tasks.lookback, "D")  # the lookback's days are shown
    n_days = int((last - first).astype(int)) + 1
    if n_days > _MAX_AGENDA_DAYS:
        msg = f"the agenda spans {n_days} days with its lookback; a calendar shows at most {_MAX_AGENDA_DAYS}"
        raise InvalidValue(msg, code="invalid_argument")
    chosen = text_language(lang)
    ax = axes(ax)
    # Column 0 gathers the tasks due before the first day shown; then one column a day.
    day = np.clip((tasks.tasks.due[counted] - first).astype(np.int64) + 1, 0, None)
    kind = tasks.tasks.kind[counted].astype(np.int64)
    kinds = tasks.tasks.kinds
    grid = np.zeros((len(kinds), n_days + 1), dtype=np.int64)
    np.add.at(grid, (kind, day), 1)
    earlier = bool(grid[:, 0].any())
    if not earlier:
        grid = grid[:, 1:]
    x = np.arange(grid.shape[1])
    bottom = np.zeros(len(x), dtype=np.int64)
    colours = pyplot().get_cmap("tab20")
    for k, task_kind in enumerate(kinds):
        if grid[k].any():
            ax.bar(x, grid[k], bottom=bottom, label=task_kind.label(chosen), color=colours(k % 20))
            bottom += grid[k]
    labels = [str(first + np.timedelta64(i, "D"))[5:] for i in range(n_days)]
    if earlier:
        labels.insert(0, pick(chosen, "earlier", "更早"))
    every = -(-len(labels) // _MAX_TICK_LABELS)  # a label every few days on a long calendar
    ax.set_xticks(x, [t if i % every == 0 else "" for i, t in enumerate(labels)], rotation=90)
    ax.set_ylabel(pick(chosen, "tasks", "任务数"))
    span = f"{tasks.start}" if tasks.start == tasks.end else f"{tasks.start} – {tasks.end}"
    ax.set_title(pick(chosen, f"Care agenda {span}", f"关怀日程 {span}"))
    if tasks.lookback:  # the days asked for start after the line
        ax.axvline(tasks.lookback + earlier - 0.5, color="black", linestyle=":")
    if bottom.any():
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1))
    return finish(ax, chosen)


def p_alive(
    model: BgNbd | ParetoNbd,
    *,
    age: float,
    max_frequency: int = 10,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """P(alive) of a fitted visit model over a grid of frequency and recency, as a heatmap.

    Every cell is a customer first seen ``age`` ago (days, for a model fitted on a
    feature table) with ``frequency`` repeat visit days, the last of them ``recency`` ago:
    the rows are the frequencies 0 … ``max_frequency``, the columns the time since the
    last visit from 0 to ``age``. A customer without a repeat visit has no last repeat,
    so row 0 is one value across (BG/NBD gives it 1). The picture of Fader, Hardie & Lee
    (2005): the same recency means a lower P(alive) for a frequent customer.

    Args:
        model: a fitted [`BgNbd`][aftersales_crm.clv.BgNbd] or
            [`ParetoNbd`][aftersales_crm.clv.ParetoNbd].
        age: the customers' age (``T``), in the fit's time unit, > 0.
        max_frequency: the highest frequency shown (default 10).
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one image of shape (max_frequency + 1, 60) with values in [0, 1].

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: ``age`` or ``max_frequency`` out of range.
        NotFittedError: the model is not fitted.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm import plot
        >>> from aftersales_crm.clv import BgNbd
        >>> model = BgNbd().fit_arrays([0, 1, 2, 5, 3, 0, 8], [0, 30, 60, 200, 300, 0, 330],
        ...                            [365, 365, 300, 365, 330, 200, 365])
        >>> ax = plot.p_alive(model, age=365, max_frequency=8)
        >>> ax.images[0].get_array().shape, ax.get_xlim()
        ((9, 60), (np.float64(0.0), np.float64(365.0)))
    """
    checked(model, (BgNbd, ParetoNbd), "model", "a fitted BgNbd or ParetoNbd")
    if not is_number(age) or not math.isfinite(float(age)) or not float(age) > 0:
        msg = f"age is {age!r:.60}, expected a time > 0 in the fit's unit"
        raise InvalidValue(msg, code="invalid_argument")
    if not is_whole(max_frequency) or not 0 <= int(max_frequency) <= _MAX_GRID_ROWS:
        msg = f"max_frequency is {max_frequency!r:.60}, expected a whole number from 0 to {_MAX_GRID_ROWS}"
        raise InvalidValue(msg, code="invalid_argument")
    span = float(age)
    rows = int(max_frequency) + 1
    since = np.linspace(0, span, _GRID_COLUMNS)  # time since the last visit
    x = np.repeat(np.arange(rows, dtype=np.float64), _GRID_COLUMNS)
    t_x = np.tile(span - since, rows)
    t_x[x == 0] = 0.0  # no repeat visit: no recency
    grid = model.p_alive(History(x, t_x, np.full(len(x), span))).reshape(rows, _GRID_COLUMNS)
    chosen = text_language(lang)
    ax = axes(ax)
    image = ax.imshow(
        grid,
        origin="lower",
        aspect="auto",
        extent=(0, span, -0.5, rows - 0.5),
        vmin=0,
        vmax=1,
        cmap="RdYlGn",
    )
    ax.figure.colorbar(image, ax=ax, label="P(alive)")
    unit = model.unit_
    ax.set_xlabel(pick(chosen, f"{unit} since the last visit", f"距最近一次来厂({unit})"))
    ax.set_ylabel(pick(chosen, "repeat visits", "重复来厂次数"))
    ax.set_title(
        pick(
            chosen,
            f"P(alive), {type(model).__name__}, customers first seen {span:g} {unit} ago",
            f"存活概率P(alive), {type(model).__name__}, 首次来厂于{span:g} {unit}前",
        )
    )
    return finish(ax, chosen)


def calibration(
    table: CalibrationTable,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """The calibration/holdout check: actual and predicted holdout visits by calibration frequency.

    Two lines over the rows of [`calibration_table`][aftersales_crm.clv.calibration_table] (0, 1, …,
    7+ repeat visits before the split): the mean repeat visits the customers made in the
    holdout, and the mean the model fitted on the calibration period expected; close
    lines are a model that predicts well (Fader, Hardie & Lee 2005, §4).

    Args:
        table: a [`CalibrationTable`][aftersales_crm.clv.CalibrationTable].
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: two lines (actual, predicted) and the rows' labels as ticks.

    Raises:
        InvalidType: an argument of the wrong type.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm import plot
        >>> from aftersales_crm.clv import CalibrationTable
        >>> table = CalibrationTable(np.arange(3), np.array([5, 2, 1]), np.array([0.2, 1.0, 3.0]),
        ...                          np.array([0.25, 0.9, 2.5]), 273)
        >>> ax = plot.calibration(table)
        >>> len(ax.lines), [t.get_text() for t in ax.get_xticklabels()]
        (2, ['0', '1', '2+'])
    """
    checked(table, CalibrationTable, "table", "a CalibrationTable")
    chosen = text_language(lang)
    ax = axes(ax)
    x = np.arange(len(table.frequency))
    ax.plot(x, table.actual, marker="o", label=pick(chosen, "actual", "实际"))
    ax.plot(x, table.predicted, marker="s", linestyle="--", label=pick(chosen, "predicted", "预测"))
    ax.set_xticks(x, table.labels())
    ax.set_xlabel(pick(chosen, "repeat visits in the calibration period", "校准期重复来厂次数"))
    days = table.holdout_days
    ax.set_ylabel(
        pick(
            chosen,
            f"mean repeat visits in the {days}-day holdout",
            f"{days}天验证期平均重复来厂次数",
        )
    )
    ax.set_title(pick(chosen, "Calibration / holdout", "校准期/验证期对比"))
    ax.legend()
    return finish(ax, chosen)
