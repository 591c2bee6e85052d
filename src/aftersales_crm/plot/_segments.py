"""Plots of segments: the Pareto (Lorenz) curve, the loyalty × value matrix, a crosstab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import LoyaltyValueMatrix, MatrixSummary, Strategy
from aftersales_crm.plot._common import (
    axes,
    checked,
    finish,
    names_in,
    pick,
    text_language,
    yuan,
)
from aftersales_crm.segmentation import Crosstab, ParetoABC, ParetoReport
from aftersales_crm.values import Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["crosstab", "loyalty_matrix", "pareto"]

_BAND_ALPHA: Final = 0.25
_STRATEGY_COLOURS: Final = {
    Strategy.KEEP: "tab:green",
    Strategy.INVEST: "tab:orange",
    Strategy.WIN_BACK: "tab:red",
    Strategy.NONE: "tab:gray",
}
"""The outline of each strategy's cells in the matrix."""

_SHOWN: Final = ("customers", "value", "customer_share", "value_share")
_HEATMAP_DIMENSIONS: Final = 2
"""A heatmap's rows and columns: a crosstab of at most two dimensions."""


def _curve(
    abc: ParetoABC | ParetoReport, features: FeatureTable | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cumulative customer and value shares, highest value first, from (0, 0)."""
    if features is not None:
        if not isinstance(abc, ParetoABC):
            msg = "features draw the whole curve of a fitted ParetoABC, not of a ParetoReport"
            raise InvalidValue(msg, code="invalid_argument")
        checked(features, FeatureTable, "features", "a FeatureTable")
        values = np.asarray(features[abc.value], dtype=np.float64)
        ranked = np.sort(values[np.isfinite(values)])[::-1]
        total = ranked.sum()
        x = np.arange(len(ranked) + 1) / max(len(ranked), 1)
        cumulative = np.concatenate([[0.0], np.cumsum(ranked)])
        y = cumulative / total if total > 0 else np.zeros_like(cumulative)
        return x, y
    x = np.concatenate([[0.0], np.cumsum(_report(abc).customer_shares)])
    y = np.concatenate([[0.0], np.cumsum(_report(abc).value_shares)])
    return x, y


def _report(abc: object) -> ParetoReport:
    if isinstance(abc, ParetoReport):
        return abc
    fitted: ParetoABC = checked(abc, ParetoABC, "abc", "a fitted ParetoABC or its ParetoReport")
    return fitted.report()


def pareto(
    abc: ParetoABC | ParetoReport,
    features: FeatureTable | None = None,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """The Pareto (Lorenz) curve of the ABC value classes, with the course's reference bands.

    The curve is the cumulative share of the value against the cumulative share of the
    customers, highest value first: with ``features`` (those the ParetoABC was fitted on)
    one step per customer, else straight between the classes' ends, which the report gives
    exactly. Dotted vertical lines cut the classes; the diagonal is an equal share for
    everyone. Under the default shares each class gets a shaded band over its customers
    showing how much the curve should rise across it by the CSI course's rule
    ([`ParetoABC.RULE_VALUE_SHARES`][aftersales_crm.segmentation.ParetoABC.RULE_VALUE_SHARES]: A 70–80%, B 20–25%, C 5–10% of the value),
    starting where the curve enters the class: a curve that leaves a class inside its
    band follows the rule there.

    Args:
        abc: a fitted [`ParetoABC`][aftersales_crm.segmentation.ParetoABC], or its
            [`ParetoReport`][aftersales_crm.segmentation.ParetoReport].
        features: the features it was fitted on, for the whole curve (ParetoABC only).
        lang: labels in English (``"en"``) or Chinese (``"zh"``, see ``cjk_font``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: two lines (curve, diagonal), one cut line per class but the last, and
        one band (a rectangle patch, with its text) per class when the report has the rule.

    Raises:
        InvalidType: ``abc`` or ``ax`` of the wrong type.
        NotFittedError: the ParetoABC is not fitted.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> from aftersales_crm.segmentation import ParetoABC
        >>> feats = features.compute(synthetic.book(60, seed=1), as_of=date(2026, 6, 30))
        >>> ax = plot.pareto(ParetoABC().fit(feats), feats)
        >>> len(ax.lines), len(ax.patches), [t.get_text() for t in ax.texts]
        (4, 3, ['A 70–80%', 'B 20–25%', 'C 5–10%'])
    """
    report = _report(abc)
    x, y = _curve(abc, features)
    chosen = text_language(lang)
    ax = axes(ax)
    patches = require("matplotlib.patches", extra="plot")
    ax.plot(x, y, color="tab:blue", linewidth=2, label=pick(chosen, "cumulative value", "累计价值"))
    ax.plot([0, 1], [0, 1], color="gray", linestyle="--", linewidth=1)
    starts = np.concatenate([[0.0], np.cumsum(report.customer_shares)])
    entered = np.concatenate([[0.0], np.cumsum(report.value_shares)])
    for cut in starts[1:-1].tolist():
        ax.axvline(cut, color="black", linestyle=":", linewidth=1)
    for i, name in enumerate(report.names):
        shown = f"{name}{ParetoABC.NAMES_ZH}" if chosen == "zh" else name
        if report.rule:
            low, high = report.rule[i]
            left, width = float(starts[i]), float(starts[i + 1] - starts[i])
            bottom = float(entered[i]) + low
            ax.add_patch(
                patches.Rectangle(
                    (left, bottom), width, high - low, color="tab:orange", alpha=_BAND_ALPHA
                )
            )
            ax.text(
                left + width / 2,
                min(bottom + (high - low) / 2, 1.0),
                f"{shown} {low * 100:.0f}–{high * 100:.0f}%",
                ha="center",
                va="center",
                fontsize="small",
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(pick(chosen, "share of customers, highest value first", "客户占比(价值从高到低)"))
    ax.set_ylabel(pick(chosen, "cumulative share of value", "累计价值占比"))
    ax.set_title(pick(chosen, "Value classes (Pareto ABC)", "客户价值ABC分类"))
    percent = require("matplotlib.ticker", extra="plot").PercentFormatter(1.0)
    ax.xaxis.set_major_formatter(percent)
    ax.yaxis.set_major_formatter(percent)
    return finish(ax, chosen)


def _heatmap(
    ax: Axes,
    grid: NDArray[Any],
    texts: list[list[str]],
    rows: list[str],
    columns: list[str],
) -> None:
    """An image of ``grid`` with a text in each cell and the row and column heads as ticks."""
    image = ax.imshow(np.asarray(grid, dtype=np.float64), cmap="Blues", aspect="auto")
    top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 0.0
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            dark = top > 0 and float(grid[i, j]) > top / 2
            ax.text(j, i, text, ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.figure.colorbar(image, ax=ax)


def _first_clause(strategy: Strategy, lang: Lang) -> str:
    """The start of a strategy's text: up to the colon (en) or the first comma (zh)."""
    text = strategy.label("zh" if lang == "zh" else "en")
    return text.split("," if lang == "zh" else ":")[0]


def loyalty_matrix(
    summary: MatrixSummary,
    matrix: LoyaltyValueMatrix | None = None,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    r"""The loyalty × value matrix (客户细分矩阵) as a heatmap, its cells outlined by strategy.

    Each cell shows its letters (``AD`` … ``CS``) and customers; its outline's colour is
    the strategy of the material for it (策略1 keep, 策略2 invest, 策略3 win back or no
    budget), as ``matrix`` assigns them, with a legend.

    Args:
        summary: [`LoyaltyValueMatrix.matrix`][aftersales_crm.loyalty.LoyaltyValueMatrix.matrix]'s
            [`MatrixSummary`][aftersales_crm.loyalty.MatrixSummary].
        matrix: the matrix policy, for its strategies (default ``LoyaltyValueMatrix()``:
            win-back for lost diamond and gold customers).
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one image, nine texts, nine outlines (rectangle patches) and a legend.

    Raises:
        InvalidType: an argument of the wrong type.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> summary = LoyaltyValueMatrix().fit(feats).matrix(feats)
        >>> ax = plot.loyalty_matrix(summary)
        >>> [t.get_text() for t in ax.texts][:3], len(ax.patches)
        (['AD\n3', 'AG\n6', 'AS\n4'], 9)
        >>> [t.get_text() for t in ax.get_legend().get_texts()][0]
        'strategy 1: customers most worth keeping'
    """
    checked(summary, MatrixSummary, "summary", "a MatrixSummary")
    policy: LoyaltyValueMatrix = checked(
        LoyaltyValueMatrix() if matrix is None else matrix,
        LoyaltyValueMatrix,
        "matrix",
        "a LoyaltyValueMatrix or None",
    )
    strategies = [policy.strategy_of(cell) for cell in LoyaltyValueMatrix.cells()]
    chosen = text_language(lang)
    ax = axes(ax)
    patches = require("matplotlib.patches", extra="plot")
    counts = np.asarray(summary.counts)
    texts = [
        [f"{r}{c}\n{int(counts[i, j]):,}" for j, c in enumerate(LoyaltyValueMatrix.COLUMNS)]
        for i, r in enumerate(LoyaltyValueMatrix.ROWS)
    ]
    _heatmap(ax, counts, texts, summary.row_heads(chosen), summary.column_heads(chosen))
    seen: dict[Strategy, Any] = {}
    for k, strategy in enumerate(strategies):
        i, j = divmod(k, 3)
        outline = patches.Rectangle(
            (j - 0.46, i - 0.46),
            0.92,
            0.92,
            fill=False,
            edgecolor=_STRATEGY_COLOURS[strategy],
            linewidth=3,
        )
        ax.add_patch(outline)
        seen.setdefault(strategy, outline)
    legend: Any = ax.legend  # matplotlib's overloads do not take handles with bbox_to_anchor
    legend(
        list(seen.values()),
        [f"{s.heading(chosen)}: {_first_clause(s, chosen)}" for s in seen],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=2,
        fontsize="small",
    )
    ax.set_title(pick(chosen, "Loyalty × value matrix", "客户细分矩阵"))
    return finish(ax, chosen)


def crosstab(
    table: Crosstab,
    *,
    show: Literal["customers", "value", "customer_share", "value_share"] = "customers",
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """A crosstab of one or two dimensions as an annotated heatmap.

    Rows are the first dimension's labels, columns the second's (one row for a single
    dimension). Money (a ``*_fen`` value) is shown in whole yuan, shares as percentages.

    Args:
        table: a [`Crosstab`][aftersales_crm.segmentation.Crosstab] of one or two dimensions.
        show: what each cell shows: ``"customers"`` (default), ``"value"``,
            ``"customer_share"`` or ``"value_share"``.
        lang: labels in English (``"en"``) or Chinese (``"zh"``, the dimensions' Chinese
            names where they have them).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one image and a text per cell.

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: ``show`` is not one of the four, or the table has more than two
            dimensions.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> from aftersales_crm.segmentation import ParetoABC, RegionRing, crosstab
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> ax = plot.crosstab(crosstab(feats, ParetoABC(), RegionRing()))
        >>> [t.get_text() for t in ax.texts][:3], [t.get_text() for t in ax.get_yticklabels()]
        (['3', '2', '1'], ['A', 'B', 'C'])
    """
    checked(table, Crosstab, "table", "a Crosstab")
    if show not in _SHOWN:
        msg = f"show is {show!r:.60}, expected one of {', '.join(map(repr, _SHOWN))}"
        raise InvalidValue(msg, code="invalid_argument")
    if len(table.names) > _HEATMAP_DIMENSIONS:
        msg = f"a heatmap shows one or two dimensions, the crosstab has {len(table.names)}"
        raise InvalidValue(msg, code="invalid_argument")
    chosen = text_language(lang)
    ax = axes(ax)
    grid = {
        "customers": table.counts,
        "value": table.values,
        "customer_share": table.customer_shares,
        "value_share": table.value_shares,
    }[show]
    if grid.ndim == 1:
        grid = grid.reshape(1, -1)
    money = table.value.endswith("_fen")
    if show == "value" and money:  # drawn in yuan, for the colour bar; the table keeps fen
        grid = grid / 100

    def cell(v: float) -> str:
        if v != v:  # NaN: a share of nothing
            return "–"
        if show.endswith("share"):
            return f"{v:.0%}"
        if show == "value" and money:
            return yuan(v * 100)
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"

    texts = [[cell(float(v)) for v in row] for row in grid]
    heads = [
        names_in(chosen, names, zh) for names, zh in zip(table.names, table.names_zh, strict=True)
    ]
    two = len(heads) == _HEATMAP_DIMENSIONS
    rows, columns = (heads[0], heads[1]) if two else ([""], heads[0])
    _heatmap(ax, grid, texts, rows, columns)
    if two:
        ax.set_ylabel(table.dimensions[0])
        ax.set_xlabel(table.dimensions[1])
    else:
        ax.set_xlabel(table.dimensions[0])
    what = {
        "customers": pick(chosen, "customers", "客户数"),
        "value": pick(
            chosen,
            f"{table.value} (yuan)" if money else table.value,
            "价值(元)" if money else table.value,
        ),
        "customer_share": pick(chosen, "share of customers", "客户占比"),
        "value_share": pick(chosen, "share of value", "价值占比"),
    }[show]
    ax.set_title(what)
    return finish(ax, chosen)
