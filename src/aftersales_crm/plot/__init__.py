"""Plots for notebooks (绘图): matplotlib figures of the library's results (the ``plot`` extra).

Every function draws one result on a matplotlib ``Axes`` and returns it: pass ``ax=`` to
draw into a figure of your own, or leave it out for a new figure (pyplot's, so a notebook
shows it). Text is in English (``lang="en"``) or Chinese (``lang="zh"``); Chinese needs a
font with Chinese glyphs ([`cjk_font`][aftersales_crm.plot.cjk_font], [`CJK_FONTS`][aftersales_crm.plot.CJK_FONTS]), and without one the plot
is labelled in English with a [`MissingFontWarning`][aftersales_crm.plot.MissingFontWarning]. matplotlib is imported on the
first call, not with this module (``pip install 'aftersales-crm[plot]'``); the library
never picks a backend.

* segments: [`pareto`][aftersales_crm.plot.pareto] (the Lorenz curve of the ABC classes with the course's bands),
  [`loyalty_matrix`][aftersales_crm.plot.loyalty_matrix] (the 客户细分矩阵 by strategy), [`crosstab`][aftersales_crm.plot.crosstab];
* features: [`distribution`][aftersales_crm.plot.distribution] / [`distributions`][aftersales_crm.plot.distributions] (recency, frequency, spend,
  km/day), [`service_status`][aftersales_crm.plot.service_status] (loyal / swinging / lost over time);
* club and satisfaction: [`levels`][aftersales_crm.plot.levels], [`factor_gaps`][aftersales_crm.plot.factor_gaps], [`key_drivers`][aftersales_crm.plot.key_drivers],
  [`service_gaps`][aftersales_crm.plot.service_gaps] (the gap model per dealer);
* care: [`agenda`][aftersales_crm.plot.agenda] (tasks per day by kind);
* churn: [`p_alive`][aftersales_crm.plot.p_alive] (over frequency and recency), [`calibration`][aftersales_crm.plot.calibration].

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import features, plot, synthetic
    >>> from aftersales_crm.segmentation import ParetoABC
    >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
    >>> ax = plot.pareto(ParetoABC().fit(feats))
    >>> ax.get_title()
    'Value classes (Pareto ABC)'
"""

from __future__ import annotations

from aftersales_crm.plot._common import CJK_FONTS, MissingFontWarning, cjk_font
from aftersales_crm.plot._features import (
    DISTRIBUTIONS,
    distribution,
    distributions,
    levels,
    service_status,
)
from aftersales_crm.plot._gaps import service_gaps
from aftersales_crm.plot._results import agenda, calibration, factor_gaps, key_drivers, p_alive
from aftersales_crm.plot._segments import crosstab, loyalty_matrix, pareto

__all__ = [
    "CJK_FONTS",
    "DISTRIBUTIONS",
    "MissingFontWarning",
    "agenda",
    "calibration",
    "cjk_font",
    "crosstab",
    "distribution",
    "distributions",
    "factor_gaps",
    "key_drivers",
    "levels",
    "loyalty_matrix",
    "p_alive",
    "pareto",
    "service_gaps",
    "service_status",
]
