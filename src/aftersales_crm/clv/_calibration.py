"""The calibration/holdout check: actual against predicted holdout visits by calibration frequency."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm.clv._model import VisitModel
from aftersales_crm.errors import InvalidType
from aftersales_crm.features import DEFAULT_CENSOR, CalibrationHoldout

__all__ = ["CalibrationTable", "calibration_table"]


@attrs.frozen(eq=False, repr=False)
class CalibrationTable(Displayed):
    """Mean holdout repeat visits, actual and predicted, by calibration frequency.

    The comparison of Fader, Hardie & Lee (2005), "'Counting your customers' the easy
    way", *Marketing Science* 24(2), §4 (their conditional expectations): the calibration
    customers are grouped by their repeat visits before the split, 0, 1, …, 7+; for each
    group, the mean repeat visits they actually made in the holdout period beside the
    mean the model, fitted on the calibration period alone, expected of them.

    Attributes:
        frequency: calibration repeat visits, 0 … ``censor`` (the last row is ``censor``
            and more).
        customers: calibration customers per row.
        actual: their mean holdout visit days (NaN for a row without customers).
        predicted: the mean of the model's expected visits in the holdout, for the same
            customers (NaN for a row without customers).
        holdout_days: the holdout's length in days, the horizon of the predictions.

    Examples:
        >>> table = CalibrationTable(
        ...     np.arange(3), np.array([5, 2, 1]), np.array([0.2, 1.0, 3.0]),
        ...     np.array([0.25, 0.9, 2.5]), 273)
        >>> table.labels()
        ['0', '1', '2+']
    """

    frequency: NDArray[np.int64]
    customers: NDArray[np.int64]
    actual: NDArray[np.float64]
    predicted: NDArray[np.float64]
    holdout_days: int

    def labels(self) -> list[str]:
        """The row labels as printed in the paper: ``"0"``, ``"1"``, …, ``"7+"``.

        Examples:
            >>> t = CalibrationTable(np.arange(2), np.ones(2), np.ones(2), np.ones(2), 10)
            >>> t.labels()
            ['0', '1+']
        """
        last = len(self.frequency) - 1
        return [f"{f}+" if i == last else str(f) for i, f in enumerate(self.frequency.tolist())]

    def to_pandas(self) -> Any:
        """The table as a DataFrame indexed by the row labels (extra ``pandas``).

        Examples:
            >>> t = CalibrationTable(np.arange(2), np.array([3, 1]), np.array([0.5, 2.0]),
            ...                      np.array([0.4, 2.5]), 273)
            >>> print(t.to_pandas())
                      customers  actual  predicted
            frequency
            0                 3     0.5        0.4
            1+                1     2.0        2.5
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            {"customers": self.customers, "actual": self.actual, "predicted": self.predicted},
            index=pd.Index(self.labels(), name="frequency"),
        )


def calibration_table(
    model: VisitModel, split: CalibrationHoldout, *, censor: int = DEFAULT_CENSOR
) -> CalibrationTable:
    """The comparison table of a visit model fitted on ``split``'s calibration features.

    For each calibration customer, the model's expected repeat visits in the next
    ``split.holdout_days`` days, given their history at the split
    (``BgNbd.expected_visits``), averaged by calibration frequency beside the visits
    that actually followed ([`by_frequency`][aftersales_crm.features.CalibrationHoldout.by_frequency]).
    A good model tracks ``actual`` in every row, including the customers who made no
    repeat visit (row 0) and the heaviest ones (``7+``), where models that ignore drop-out
    overshoot.

    Args:
        model: a ``BgNbd`` or ``ParetoNbd`` fitted on ``split.features`` (in days).
        split: the calibration features with the holdout visits
            ([`aftersales_crm.features.calibration_holdout`][aftersales_crm.features.calibration_holdout]).
        censor: the frequency from which rows are pooled (7, the paper's ``7+``).

    Raises:
        NotFittedError: ``model`` is not fitted.
        InvalidType: ``model`` is not a visit model or ``split`` not a CalibrationHoldout.
        InvalidValue: ``model`` was fitted in another unit than days; a bad ``censor``.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm.clv import BgNbd, simulate_bgnbd
        >>> from aftersales_crm.features import CalibrationHoldout, FeatureTable
        >>> h = simulate_bgnbd(np.full(2000, 273.0), r=0.5, alpha=35.0, a=0.8, b=2.5, seed=1)
        >>> later = np.random.default_rng(2).poisson(h.x / 2)  # stand-in holdout visits
        >>> feats = FeatureTable.from_columns(
        ...     {"frequency": h.x.astype(int), "span_days": h.t_x, "tenure_days": h.T,
        ...      "holdout_visit_days": later}, as_of="1997-09-30")
        >>> split = CalibrationHoldout(feats, date(1997, 9, 30), date(1998, 6, 30), 0, 0)
        >>> table = calibration_table(BgNbd().fit(feats), split, censor=3)
        >>> table.labels(), table.customers.tolist()
        (['0', '1', '2', '3+'], [711, 562, 276, 451])
        >>> bool((np.diff(table.predicted) > 0).all())
        True
    """
    given: tuple[object, object] = (model, split)  # typed, but callers may pass anything
    if not isinstance(given[0], VisitModel):
        msg = f"model is {type(model).__name__}, expected a fitted BgNbd or ParetoNbd"
        raise InvalidType(msg)
    if not isinstance(given[1], CalibrationHoldout):
        msg = (
            f"split is {type(split).__name__}, expected a CalibrationHoldout"
            " (features.calibration_holdout)"
        )
        raise InvalidType(msg)
    expected = model.expected_visits(split.features, split.holdout_days)
    rows = split.by_frequency(censor, predicted=expected)
    return CalibrationTable(
        rows["frequency"].astype(np.int64),
        rows["customers"],
        rows["actual"],
        rows["predicted"],
        split.holdout_days,
    )
