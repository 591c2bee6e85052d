"""The plots as a user calls them, checked by mypy (never executed by the test suite)."""

from __future__ import annotations

from datetime import date

from matplotlib import pyplot
from matplotlib.axes import Axes

from aftersales_crm import features, plot, synthetic
from aftersales_crm.loyalty import LoyaltyValueMatrix
from aftersales_crm.segmentation import ParetoABC, RegionRing, crosstab

feats = features.compute(synthetic.tables(100, seed=1), as_of=date(2026, 6, 30))
abc = ParetoABC().fit(feats)
ax: Axes = plot.pareto(abc, feats, lang="zh")
ax = plot.pareto(abc.report())
matrix = LoyaltyValueMatrix().fit(feats)
ax = plot.loyalty_matrix(matrix.matrix(feats), matrix)
_, (left, right) = pyplot.subplots(1, 2)
ax = plot.crosstab(crosstab(feats, abc, RegionRing()), show="value_share", ax=left)
ax = plot.distribution(feats, "km_per_day", bins=20, ax=right)
recency, frequency, spend, km = plot.distributions(feats)
font: str | None = plot.cjk_font()
