"""Calibration and holdout: the features at a split date beside the visits that followed it."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import Any, Final

import attrs
import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, number_array, whole_number
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features._calendar import DEFAULT_TIME_ZONE, day_number
from aftersales_crm.features._engine import DEFAULT_WINDOW, compute
from aftersales_crm.features._inputs import as_tables
from aftersales_crm.features._mileage import MileageModel
from aftersales_crm.features._orders import order_days
from aftersales_crm.features._table import FeatureTable
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables

__all__ = ["DEFAULT_CENSOR", "CalibrationHoldout", "calibration_holdout"]

DEFAULT_CENSOR: Final = 7
"""Calibration frequencies from this one up share the last row of
[`CalibrationHoldout.by_frequency`][aftersales_crm.features.CalibrationHoldout.by_frequency]: 7, as the comparison table ("0, 1, …, 7+") of
Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2)."""


@attrs.frozen(eq=False)
class CalibrationHoldout:
    """The customer features at a split date, with each customer's visits after it.

    Attributes:
        features: the features on ``split`` of the customers with a visit by then (the
            calibration customers), in the order of the customer table, with two more
            columns: ``holdout_visit_days``, the distinct visit days in (``split``,
            ``end``] (every one a repeat visit), and ``holdout_days``, the holdout's length
            in days (``end - split``, the same on every row).
        split: the last day of the calibration period.
        end: the last day of the holdout period.
        first_seen_in_holdout: customers whose first visit falls in the holdout. They
            have no calibration history, so they are left out of ``features`` by design;
            this counts them.
        not_seen: customers with no visit by ``end``, left out of ``features`` too.

    Examples:
        >>> log = {"cust": ["A", "A", "B", "C"],
        ...        "day": ["1997-01-01", "1997-10-05", "1997-03-01", "1997-11-20"],
        ...        "usd": ["10.00", "4.00", "6.00", "2.00"]}
        >>> tables = Tables.from_transactions(log, customer="cust", at="day", amount="usd",
        ...                                   currency="USD")
        >>> split = calibration_holdout(tables, split="1997-09-30", end="1998-06-30")
        >>> split.features.ids.tolist(), split.features["holdout_visit_days"].tolist()
        (['A', 'B'], [1, 0])
        >>> split.holdout_days, split.first_seen_in_holdout, split.not_seen
        (273, 1, 0)
    """

    features: FeatureTable
    split: date
    end: date
    first_seen_in_holdout: int
    not_seen: int

    @property
    def holdout_days(self) -> int:
        """The holdout's length in days, ``end - split``.

        Examples:
            >>> table = FeatureTable.from_columns({"frequency": []}, as_of="1997-09-30")
            >>> CalibrationHoldout(table, date(1997, 9, 30), date(1998, 6, 30), 0, 0).holdout_days
            273
        """
        return (self.end - self.split).days

    def by_frequency(
        self, censor: int = DEFAULT_CENSOR, *, predicted: ArrayLike | None = None
    ) -> dict[str, NDArray[Any]]:
        """The comparison table: holdout visits by calibration frequency.

        One row per calibration ``frequency`` 0, 1, …, ``censor``, the last row holding
        every frequency from ``censor`` up (``7+``). A model's prediction of each
        customer's holdout repeat visits, given as ``predicted``, is averaged per row
        beside ``actual`` (``clv.calibration_table`` does it from a fitted model).

        Args:
            censor: the frequency from which the rows are pooled (at least 1).
            predicted: optional, one predicted number of holdout visits per customer of
                ``features``, in their order.

        Returns:
            ``frequency`` (0 … ``censor``), ``customers`` (how many calibration customers
            have it) and ``actual`` (their mean ``holdout_visit_days``, NaN for a row
            without customers); with ``predicted``, also ``predicted``, its mean per row.

        Raises:
            InvalidValue: ``censor`` is not a whole number of at least 1, or
                ``predicted`` does not hold one finite number per customer.

        Examples:
            >>> table = FeatureTable.from_columns(
            ...     {"frequency": [0, 0, 1, 9], "holdout_visit_days": [0, 1, 2, 6]},
            ...     as_of="1997-09-30",
            ... )
            >>> rows = CalibrationHoldout(table, date(1997, 9, 30), date(1998, 6, 30), 0, 0)
            >>> {k: v.tolist() for k, v in rows.by_frequency(censor=2).items()}
            {'frequency': [0, 1, 2], 'customers': [2, 1, 1], 'actual': [0.5, 2.0, 6.0]}
            >>> rows.by_frequency(censor=2, predicted=[0.25, 0.75, 1.5, 5.0])["predicted"].tolist()
            [0.5, 1.5, 5.0]
        """
        top = whole_number(censor, parameter="censor", minimum=1)
        row = np.minimum(self.features["frequency"], top).astype(np.intp)
        customers = np.bincount(row, minlength=top + 1)

        def mean(values: NDArray[Any]) -> NDArray[np.float64]:
            out = np.full(top + 1, np.nan)
            np.divide(
                np.bincount(row, weights=values, minlength=top + 1),
                customers,
                out=out,
                where=customers > 0,
            )
            return out

        table = {
            "frequency": np.arange(top + 1),
            "customers": customers.astype(np.int64),
            "actual": mean(self.features["holdout_visit_days"]),
        }
        if predicted is not None:
            table["predicted"] = mean(self._per_customer(predicted))
        return table

    def _per_customer(self, values: ArrayLike) -> NDArray[np.float64]:
        out = np.array(number_array(values, parameter="predicted"), dtype=np.float64, ndmin=1)
        n = len(self.features)
        if out.shape != (n,) or not np.isfinite(out).all():
            msg = (
                f"predicted holds one finite number per calibration customer: expected {n},"
                f" got {out.size} value(s){'' if np.isfinite(out).all() else ', not all finite'}"
            )
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return out


def calibration_holdout(
    data: Tables | Book,
    *,
    split: date | str,
    end: date | str,
    window: relativedelta | timedelta = DEFAULT_WINDOW,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
    mileage: MileageModel | None = None,
    threads: int | None = None,
) -> CalibrationHoldout:
    """The features on ``split`` and, aligned with them, the visit days in (``split``, ``end``].

    The split the churn and lifetime-value models are checked on: fit on the calibration
    period's ``frequency``, ``span_days``, ``tenure_days`` (and ``avg_repeat_day_spend_fen``
    for spend), predict the repeat visits of the next ``holdout_days``, and compare with
    ``holdout_visit_days`` ([`CalibrationHoldout.by_frequency`][aftersales_crm.features.CalibrationHoldout.by_frequency]). The features are
    [`compute`][aftersales_crm.features.compute]'s on ``split``, so no fact after it counts; a visit day is a business
    date in ``time_zone``, as in every feature.

    Only customers with a visit by ``split`` are in the calibration: a customer first
    seen in the holdout has no history to fit, and one never seen has none at all. Both are
    left out by design and counted (``first_seen_in_holdout``, ``not_seen``), never dropped
    silently.

    Args:
        data: the customer base.
        split: the last day of the calibration period (a date or ISO date text).
        end: the last day of the holdout period, after ``split``.
        window: the trailing window of the ``*_window`` features on ``split``.
        time_zone: the IANA time zone of the business dates, or a tzinfo.
        mileage: the km/day model, as for [`compute`][aftersales_crm.features.compute].
        threads: how many threads to use; by default one per CPU.

    Returns:
        The calibration customers' features with their holdout visits.

    Raises:
        InvalidValue: an argument of the wrong type, or ``end`` not after ``split``.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.columns(200, seed=1).tables()
        >>> split = calibration_holdout(tables, split="2025-06-30", end="2026-06-30")
        >>> len(split.features) + split.first_seen_in_holdout + split.not_seen
        200
        >>> calibration_holdout(tables, split="2026-06-30", end="2026-06-30")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: end is 2026-06-30, expected a day after split (2026-06-30)
    """
    on = as_of_date(split, parameter="split")
    stop = as_of_date(end, parameter="end")
    if stop <= on:
        msg = f"end is {stop.isoformat()}, expected a day after split ({on.isoformat()})"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    tables = as_tables(data)
    feats = compute(
        tables, as_of=on, window=window, time_zone=time_zone, mileage=mileage, threads=threads
    )
    holdout = _visit_days_between(tables, day_number(on), day_number(stop), time_zone)
    before = feats["visits"] > 0
    rows = np.flatnonzero(before)
    length = (stop - on).days
    calibration = feats.take(rows).with_columns(
        holdout_visit_days=holdout[rows],
        holdout_days=np.full(len(rows), length, dtype=np.int64),
    )
    return CalibrationHoldout(
        calibration,
        on,
        stop,
        first_seen_in_holdout=int((~before & (holdout > 0)).sum()),
        not_seen=int((~before & (holdout == 0)).sum()),
    )


def _visit_days_between(
    tables: Tables, after: int, last: int, time_zone: str | tzinfo
) -> NDArray[np.int64]:
    """Per customer, the distinct business days in (``after``, ``last``] with an order."""
    _, day = order_days(tables, time_zone)
    inside = (day > after) & (day <= last)
    span = last - after
    visit = np.unique(tables.orders["customer"][inside] * span + (day[inside] - after - 1))
    return np.bincount(visit // span, minlength=len(tables.customers)).astype(np.int64)
