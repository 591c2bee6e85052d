"""Customer lifetime value: expected visits per period times expected spend, discounted."""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import number_array
from aftersales_crm.clv._history import History
from aftersales_crm.clv._model import VisitModel, horizon
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["lifetime_value"]

DEFAULT_PERIODS: Final = 12
"""Twelve periods: a year of months (lifetimes' ``customer_lifetime_value`` default)."""

DEFAULT_PERIOD_DAYS: Final = 30.0
"""A period of 30 days, a month (lifetimes' default, ``freq="D"``, ``time`` in months)."""

DEFAULT_DISCOUNT_RATE: Final = 0.01
"""1% per period (per month: about 12.7% a year), lifetimes' default monthly rate."""


def lifetime_value(
    visits: VisitModel,
    data: FeatureTable | History,
    spend: ArrayLike,
    *,
    periods: int = DEFAULT_PERIODS,
    period: float = DEFAULT_PERIOD_DAYS,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> NDArray[np.float64]:
    """Each customer's discounted expected spend over the next ``periods`` periods.

    The discounted cash flow of Fader, Hardie & Lee (2005, "RFM and CLV"), as lifetimes
    computes it: for each period k = 1…K, the expected visits in that period (the
    difference of the conditional expectations at k and k-1 periods) times the expected
    spend per visit, divided by (1 + d)^k.

    Args:
        visits: a fitted visit model (:class:`BgNbd` or :class:`ParetoNbd`).
        data: the customers (a feature table, in days, or a History in the fit's unit).
        spend: the expected spend per visit of each customer (for example
            :meth:`GammaGamma.expected_spend`), or one amount for all; the value is in its
            unit (fen from a feature table). The result is an expectation, a float, not
            an amount of money to book.
        periods: the number of periods K (whole number ≥ 1).
        period: the length of a period, in the visit model's time unit (30 days by default).
        discount_rate: the discount rate d **per period** (0.01 a month by default); an
            annual rate R is (1 + R)^(1/12) - 1 a month.

    Returns:
        Floats aligned with the rows; NaN for a customer without visits.

    Raises:
        NotFittedError: ``visits`` is not fitted.
        InvalidValue: bad periods, period, rate, or spend of the wrong length.
        InvalidType: ``visits`` is not a visit model.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.clv import BgNbd, History, simulate_bgnbd
        >>> h = simulate_bgnbd(np.full(2000, 52.0), r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1)
        >>> model = BgNbd().fit_arrays(h.x, h.t_x, h.T, unit="weeks")
        >>> two = History([2, 0], [30.4, 0], [38.9, 38.9])
        >>> value = lifetime_value(model, two, [50.0, 50.0], periods=4, period=13, discount_rate=0.02)
        >>> bool(value[0] > value[1] > 0)
        True
    """
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        msg = f"periods is {periods!r}, expected a whole number >= 1"
        raise InvalidValue(msg, code="invalid_periods")
    length = horizon(period, parameter="period")
    if isinstance(discount_rate, bool) or not isinstance(discount_rate, int | float):
        msg = f"discount_rate is {discount_rate!r}, expected a rate per period (0.01 is 1%)"
        raise InvalidValue(msg, code="invalid_rate")
    if not (math.isfinite(discount_rate) and discount_rate > -1):
        msg = f"discount_rate is {discount_rate!r}, expected a finite rate above -1 per period"
        raise InvalidValue(msg, code="invalid_rate")
    if not callable(getattr(visits, "expected_visits", None)):
        msg = f"visits is {type(visits).__name__}, expected a fitted BgNbd or ParetoNbd"
        raise InvalidType(msg)
    n = len(np.asarray(visits.expected_visits(data, length)))  # checks the model and data
    amount = np.broadcast_to(number_array(spend, parameter="spend"), (n,)).astype(np.float64)
    total = np.zeros(n)
    before = np.zeros(n)
    for k in range(1, periods + 1):
        upto = visits.expected_visits(data, k * length)
        total += (upto - before) / (1 + discount_rate) ** k
        before = upto
    return np.asarray(total * amount, dtype=np.float64)
