"""The service-quality gap model's gaps per dealer, as a table of coloured cells."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

import numpy as np

from aftersales_crm._optional import require
from aftersales_crm.plot._common import axes, checked, finish, pick, text_language
from aftersales_crm.satisfaction import GapReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["service_gaps"]

_MEASURED, _FLAGGED, _MISSING = 0, 1, 2
_COLOURS: Final = ("#e8f4e8", "#f4a6a6", "#dddddd")
"""Measured within its threshold (or without one), above its threshold, not measured."""


def service_gaps(
    report: GapReport,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """The gaps of the service-quality gap model (服务质量差距模型), one row per dealer.

    A cell per dealer and gap (gap 1, gap 3 on time and first-time fix, gap 4, gap 5), with
    its value as [`GapReport.format`][aftersales_crm.satisfaction.GapReport.format] prints it: shares as percentages, rating points
    to two decimals, ``*`` above the gap's threshold. The colour says what the cell is, not
    how big, since the gaps are in different units: red above its threshold, grey where the
    data does not allow the gap (``–``, the reason in [`GapReport.why`][aftersales_crm.satisfaction.GapReport.why]), pale green
    otherwise.

    Args:
        report: a [`GapReport`][aftersales_crm.satisfaction.GapReport] (``gap_report``).
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one image, a text per cell, a legend of the three colours.

    Raises:
        InvalidType: an argument of the wrong type.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from aftersales_crm import plot, synthetic
        >>> from aftersales_crm.satisfaction import gap_report
        >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30",
        ...                     thresholds={"gap3_on_time": 0.12})
        >>> ax = plot.service_gaps(report)
        >>> [t.get_text() for t in ax.texts][:5]
        ['–', '11.6%', '3.0%', '–', '–']
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['D0000', 'D0001']
    """
    checked(report, GapReport, "report", "a GapReport")
    chosen = text_language(lang)
    ax = axes(ax)
    colors = require("matplotlib.colors", extra="plot")
    patches = require("matplotlib.patches", extra="plot")
    gaps = [g for g in report.gap_columns if ":" not in g]  # gap 1 per factor: format() has it
    flagged = report.flagged
    state = np.full((len(report), len(gaps)), _MEASURED, dtype=np.int64)
    for j, gap in enumerate(gaps):
        state[np.isnan(np.asarray(report[gap], dtype=np.float64)), j] = _MISSING
        if gap in flagged:
            state[np.asarray(flagged[gap]), j] = _FLAGGED
    ax.imshow(
        state,
        cmap=colors.ListedColormap(list(_COLOURS)),
        vmin=-0.5,
        vmax=len(_COLOURS) - 0.5,
        aspect="auto",
    )
    zh = chosen == "zh"
    for i in range(len(report)):
        for j, gap in enumerate(gaps):
            ax.text(j, i, report._cell(gap, i), ha="center", va="center")
    ax.set_xticks(range(len(gaps)), [report._label(g, zh=zh) for g in gaps])
    ax.set_yticks(range(len(report)), list(report.dealers))
    ax.tick_params(axis="x", labelrotation=20)
    ax.set_xticks(np.arange(len(gaps) + 1) - 0.5, minor=True)  # white lines between the cells
    ax.set_yticks(np.arange(len(report) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    names = (
        pick(chosen, "measured", "已测量"),
        pick(chosen, "above its threshold", "超过阈值"),
        pick(chosen, "not measured", "无法测量"),
    )
    ax.legend(
        [patches.Patch(color=c) for c in _COLOURS],
        names,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize="small",
    )
    ax.set_title(
        pick(
            chosen,
            f"Service-quality gaps as of {report.as_of}; positive is a shortfall",
            f"截至{report.as_of}的服务质量差距;为正即不足",
        )
    )
    return finish(ax, chosen)
