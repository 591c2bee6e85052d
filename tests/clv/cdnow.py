"""The CDNOW sample as the library's tables and features: the raw log in, nothing summarised by hand.

Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2),
fit their models on the 2,357 customers' 39-week calibration period ending 1997-09-30 and
check them on the 39 weeks after it, to 1998-06-30. Import from a test of this package::

    from .cdnow import calibration, summary, tables

``tables()`` reads ``tests/data/cdnow/CDNOW_sample.txt`` into ``Tables`` (one order per
transaction, dollars to cents exactly through ``Decimal``); ``calibration()`` gives
``features.calibration_holdout`` at the paper's split, whose ``features`` hold ``frequency``
(the paper's *x*), ``span_days`` (*t_x* in days), ``tenure_days`` (*T* in days) and
``avg_repeat_day_spend_fen`` (*z̄* in cents), and ``holdout_visit_days``; ``model_inputs()`` gives x, t_x, T in
weeks and z̄ in dollars from them; ``summary()`` reads the published summary in weeks, in
the same customer order.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features
from aftersales_crm.tables import Tables

DATA: Final = Path(__file__).resolve().parent.parent / "data" / "cdnow"
SAMPLE: Final = DATA / "CDNOW_sample.txt"
SUMMARY: Final = DATA / "cdnow_summary_weeks.csv"
#: The last day of the 39-week calibration period, and of the 39-week holdout after it.
CALIBRATION_END: Final = date(1997, 9, 30)
HOLDOUT_END: Final = date(1998, 6, 30)
CUSTOMERS: Final = 2357
TRANSACTIONS: Final = 6919
DAYS_PER_WEEK: Final = 7


def transactions(path: Path = SAMPLE) -> dict[str, list[object]]:
    """The raw log as columns: ``customer`` (the sample id as text, ``"1"`` … ``"2357"``),
    ``day`` (a date), ``cds`` (int) and ``dollars`` (``Decimal``, as printed)."""
    log: dict[str, list[object]] = {"customer": [], "day": [], "cds": [], "dollars": []}
    with path.open(encoding="ascii") as lines:
        for line in lines:
            _, sample_id, yyyymmdd, cds, dollars = line.split()
            log["customer"].append(str(int(sample_id)))
            log["day"].append(date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])))
            log["cds"].append(int(cds))
            log["dollars"].append(Decimal(dollars))
    return log


@cache
def tables() -> Tables:
    """The whole log as the library's tables (USD, one order and one line per transaction)."""
    return Tables.from_transactions(
        transactions(), customer="customer", at="day", amount="dollars", currency="USD"
    )


@cache
def calibration() -> features.CalibrationHoldout:
    """The features on 1997-09-30 with each customer's visit days up to 1998-06-30."""
    return features.calibration_holdout(tables(), split=CALIBRATION_END, end=HOLDOUT_END)


def summary(ids: NDArray[np.str_] | None = None) -> dict[str, NDArray[np.float64]]:
    """The published 39-week summary: ``x``, ``t_x``, ``T`` (weeks) and ``zbar`` (dollars).

    In the order of ``ids`` (sample ids as text), by default the file's own.
    """
    with SUMMARY.open(encoding="ascii", newline="") as file:
        rows = {row["ID"]: row for row in csv.DictReader(file)}
    order = list(rows) if ids is None else ids.tolist()
    return {
        name: np.array([float(rows[i][name]) for i in order]) for name in ("x", "t_x", "T", "zbar")
    }


def weeks(days: NDArray[np.float64]) -> NDArray[np.float64]:
    """Days as the summary's weeks: ``days / 7`` rounded to 2 decimals."""
    rounded: NDArray[np.float64] = np.round(days / DAYS_PER_WEEK, 2)
    return rounded


def model_inputs(*, as_printed: bool = False) -> dict[str, NDArray[np.float64]]:
    """The models' inputs from the raw log: ``x``, ``t_x``, ``T`` in weeks, ``zbar`` in dollars.

    In the order of ``calibration().features.ids``. Weeks are ``days / 7``, unrounded; with
    ``as_printed`` rounded to 2 decimals, which gives the published summary exactly. ``zbar``
    is the repeat-day mean in whole cents (rounded half up), as printed.
    """
    feats = calibration().features
    t_x = feats["span_days"] / DAYS_PER_WEEK
    big_t = feats["tenure_days"] / DAYS_PER_WEEK
    if as_printed:
        t_x, big_t = weeks(feats["span_days"]), weeks(feats["tenure_days"])
    return {
        "x": feats["frequency"].astype(np.float64),
        "t_x": t_x,
        "T": big_t,
        "zbar": feats["avg_repeat_day_spend_fen"] / 100,
    }
