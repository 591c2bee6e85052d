# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # An OEM analyst's afternoon
#
# One pass over a dealer network's after-sales book, the way an OEM analyst would take it
# in a notebook: the records → one row of features per customer → value classes and other
# segments → the loyalty × value matrix → churn risk and lifetime value → the owners'
# club → satisfaction → tomorrow's care agenda.
#
# The network is the library's synthetic one (`aftersales_crm.synthetic`): seeded, so every
# figure below is the same on every machine. With your own data, start from
# `Tables.from_pandas(...)` or `Tables.from_arrow(...)` instead (see "Bring your own data").
#
# This file is a notebook in the *percent* text format: open it in Jupyter with jupytext
# (`jupytext --to notebook analyst_afternoon.py`), in VS Code or PyCharm as it is, or run it
# with `python analyst_afternoon.py`. It needs the `pandas`, `clv` and `plot` extras; each
# picture is a matplotlib `Axes` that `aftersales_crm.plot` returns.

# %%
from datetime import timedelta

import numpy as np

from aftersales_crm import features, plot, synthetic
from aftersales_crm.care import Planner
from aftersales_crm.clv import GammaGamma, lifetime_value
from aftersales_crm.loyalty import ChurnRisk, LoyaltyStatus, LoyaltyValueMatrix
from aftersales_crm.membership import club_kpis
from aftersales_crm.satisfaction import CSI_CHINA_2015, CsiIndex, Responses, aggregate
from aftersales_crm.segmentation import ParetoABC, VehicleAgeBand, crosstab
from aftersales_crm.tables import Tables

AS_OF = synthetic.DEFAULT_AS_OF  # every figure is "as of" a date: the library reads no clock

# %% [markdown]
# ## The book and its features
#
# `synthetic.book` draws dealers, customers, vehicles, repair orders, calls, complaints,
# club members and survey answers, validated as records. `Tables.from_book` turns them into
# columns; `features.compute` gives one row per customer (recency, frequency, spend in
# integer fen, service mix, kilometres a day…).

# %%
book = synthetic.book(n_customers=3_000, seed=11, n_dealers=4)
tables = Tables.from_book(book)
feats = features.compute(tables, as_of=AS_OF)
print(
    f"{len(feats):,} customers, {len(tables.orders):,} repair orders, {len(feats.columns)} features"
)
frame = feats.to_pandas()
frame[["visits", "frequency", "recency_days", "spend_fen"]].describe().round(1)

# %%
plot.distributions(feats)  # recency, frequency, spend and km/day, with their medians

# %% [markdown]
# ## Value classes (客户价值ABC分类) and vehicle age
#
# `ParetoABC` ranks customers by cumulative spend: the top 20% are A, the next 30% B, the
# rest C. Its report checks the base against the 70–80 / 20–25 / 5–10 rule of thumb.

# %%
abc = ParetoABC().fit(feats)
value_class = abc.assign(feats)
print(abc.report())
assert sum(value_class.counts().values()) == int(np.count_nonzero(value_class.codes >= 0))

# %%
plot.pareto(abc, feats)  # the curve, the A/B/C cuts and the 70–80 / 20–25 / 5–10 bands

# %% [markdown]
# The crosstab's frame is indexed by its cells, the dimensions named by the policies' short
# names and ordered as their labels (A before B, the newest vehicles first): `unstack()`
# gives the two-way table, and `money="major"` the spend in yuan.

# %%
cells = crosstab(feats, abc, VehicleAgeBand()).to_pandas()
cells["customers"].unstack()

# %%
plot.crosstab(crosstab(feats, abc, VehicleAgeBand()))

# %% [markdown]
# ## The loyalty × value matrix (客户细分矩阵)
#
# Rows: loyal / swinging / lost by the service interval; columns: member value. Each cell
# has a strategy: keep, invest, win back, or none.

# %%
matrix = LoyaltyValueMatrix().fit(feats)
summary = matrix.matrix(feats)
print(summary.format("en"))
matrix.strategies(matrix.assign(feats)).counts()

# %%
plot.loyalty_matrix(summary, matrix)  # each cell outlined in its strategy's colour

# %% [markdown]
# ## Churn risk and lifetime value (流失预警, 客户终身价值)
#
# A BG/NBD model fitted on the customers' repeat visits gives each one P(alive);
# `ChurnRisk` turns it into loyal / swinging / lost, beside the rule-based `LoyaltyStatus`.
# With a Gamma-Gamma model of spend per visit, `lifetime_value` gives the expected,
# discounted spend over the next twelve months.

# %%
risk = ChurnRisk().fit(feats)
print("ChurnRisk    ", risk.assign(feats).counts())
print("LoyaltyStatus", LoyaltyStatus().assign(feats).counts())
model = risk.model_
spend = GammaGamma().fit(feats).expected_spend(feats)
clv = lifetime_value(model, feats, spend, periods=12, period=30.0, discount_rate=0.01)
top = np.argsort(-np.nan_to_num(clv, nan=-1.0), kind="stable")[:5]
for row in top.tolist():
    print(
        f"{feats.ids[row]}: P(alive) {risk.p_alive(feats).values[row]:.2f}, CLV ¥{clv[row] / 100:,.0f}"
    )

# %%
by_clv = ParetoABC(value="clv").fit(feats.with_columns(clv=clv))
print(by_clv.report())

# %% [markdown]
# P(alive) over repeat visits and the days since the last one, for customers first seen
# as long ago as the median customer: the same silence means more for a frequent visitor.

# %%
plot.p_alive(model, age=float(np.median(feats["tenure_days"][feats["visits"] > 0])))

# %% [markdown]
# ## The owners' club (车友会)
#
# Members per chapter against the 55% recruitment target, and the dealers' enrolment.

# %%
kpis = club_kpis(tables, as_of=AS_OF)
print(f"{kpis.chapters_open} chapters of {kpis.full_function_dealers} full-function dealers")
kpis.chapters.to_pandas()

# %% [markdown]
# ## Satisfaction (客户满意度)
#
# The China CSI index (0–1000, the 2015 weights) per dealer, with confidence intervals and
# ranks (a dealer with too few answers is flagged, not ranked).

# %%
responses = Responses.from_tables(tables).of(CSI_CHINA_2015)
scores = CsiIndex(instrument=CSI_CHINA_2015).score(responses)
by_dealer = aggregate(scores, responses, by=["dealer"])
by_dealer.to_pandas()

# %%
plot.factor_gaps(by_dealer, CSI_CHINA_2015)  # each factor's score per dealer, with its CI

# %% [markdown]
# ## Tomorrow's care agenda (明日关怀日程)
#
# Every built-in care rule, honouring consent and the contact rules: what to do tomorrow,
# why, and what the contact rules blocked (kept, with the reason, never dropped).

# %%
tomorrow = AS_OF + timedelta(days=1)
agenda = Planner().agenda(tables, on=tomorrow, as_of=AS_OF)
print(f"{len(agenda):,} tasks, {agenda.calls():,} calls to make")
agenda.to_pandas().head(10)

# %%
plot.agenda(agenda)  # tasks per due day by kind; "earlier" holds the overdue ones
