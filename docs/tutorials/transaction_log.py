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
# # From a plain transaction log to churn and lifetime value
#
# Not every data set is a dealer's full book. Often there is only a log: who, when, how
# much. This notebook takes such a log, the CDNOW purchase sample of Fader, Hardie & Lee
# (2005), "'Counting your customers' the easy way", *Marketing Science* 24(2): 2,357
# customers who first bought in the first quarter of 1997, 6,919 purchases to the end of
# June 1998. It reads the log, builds the library's tables and features, fits BG/NBD and
# Gamma-Gamma on the 39-week calibration period, checks the fit against the holdout
# period, and ranks the customers by lifetime value.
#
# The log ships with the library's repository (`tests/data/cdnow/CDNOW_sample.txt`); run the
# notebook from anywhere inside the repository. Percent text format: open it with jupytext,
# VS Code or PyCharm, or run it with `python transaction_log.py`. It needs the `clv`,
# `pandas` and `plot` extras.

# %%
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from aftersales_crm import features, plot
from aftersales_crm.clv import BgNbd, GammaGamma, calibration_table, lifetime_value
from aftersales_crm.segmentation import ParetoABC
from aftersales_crm.tables import Tables


def find(name: str) -> Path:
    """The file ``name`` in this folder or a parent's ``tests/data/cdnow``."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        for candidate in (folder / name, folder / "tests" / "data" / "cdnow" / name):
            if candidate.exists():
                return candidate
    raise FileNotFoundError(name)


# %% [markdown]
# ## Read the log
#
# Columns: original customer id, sample id, date (YYYYMMDD), number of CDs, dollars. The
# dollars stay decimal text, so the library reads them exactly as cents: money never goes
# through float.

# %%
rows = [line.split() for line in find("CDNOW_sample.txt").read_text().splitlines() if line.strip()]
log = {
    "customer": [r[1] for r in rows],
    "date": [r[2] for r in rows],
    "dollars": [r[4] for r in rows],
}
print(f"{len(rows):,} purchases; the first: {rows[0]}")
assert sum(Decimal(d) for d in log["dollars"]) > 0

# %% [markdown]
# ## Tables and features
#
# `Tables.from_transactions` makes one order per row (no vehicles, one placeholder
# dealer). The features as of the end of the calibration period hold the models' inputs:
# `frequency` (repeat purchase days), `span_days` (recency) and `tenure_days` (T).

# %%
tables = Tables.from_transactions(
    log, customer="customer", at="date", amount="dollars", currency="USD"
)
CALIBRATION_END, HOLDOUT_END = date(1997, 9, 30), date(1998, 6, 30)
split = features.calibration_holdout(tables, split=CALIBRATION_END, end=HOLDOUT_END)
feats = split.features
print(tables)
print({name: float(np.mean(feats[name])) for name in ("frequency", "span_days", "tenure_days")})

# %% [markdown]
# ## BG/NBD, and the published figures
#
# Fitted in days, the model reproduces the paper's parameters (fitted in weeks: r 0.2426,
# α 4.4135 weeks, a 0.7929, b 2.4258): r, a and b do not depend on the unit, α is 7 times
# larger in days.

# %%
model = BgNbd().fit(feats)
print({name: round(value, 4) for name, value in model.params_.items()})
print(f"alpha in weeks: {model.params_['alpha'] / 7:.4f}")

# %% [markdown]
# ## Calibration against the holdout
#
# Customers grouped by their repeat purchases in the calibration period: the purchases
# the model expected in the 39-week holdout beside those they made.

# %%
table = calibration_table(model, split)
table.to_pandas()

# %%
plot.calibration(table)

# %% [markdown]
# ## Spend and lifetime value
#
# Gamma-Gamma models the mean spend of a customer's repeat purchase days; with BG/NBD's
# expected purchases it gives the discounted value of the next twelve months of 30 days.
# `ParetoABC` can then rank customers by that value instead of past spend.

# %%
spend = GammaGamma().fit(feats).expected_spend(feats)
clv = lifetime_value(model, feats, spend, periods=12, period=30.0, discount_rate=0.01)
valued = ~np.isnan(clv)
print(f"{int(valued.sum()):,} customers valued; mean 12-month value ${np.nanmean(clv) / 100:,.2f}")
print(ParetoABC(value="clv").fit(feats.with_columns(clv=clv)).report())
