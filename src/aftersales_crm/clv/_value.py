"""Customer lifetime value: expected visits per period times expected spend, discounted."""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import number_array
from aftersales_crm.clv._history import History, history
from aftersales_crm.clv._model import VisitModel, horizon
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["lifetime_value"]

DEFAULT_PERIODS: Final = 12
"""Twelve periods: a year of months (lifetimes' ``customer_lifetime_value`` default)."""

DEFAULT_PERIOD_DAYS: Final = 30.0
"""A period of 30 days, a month (lifetimes' default, ``freq="D"``, ``time`` in months)."""

_DENSE: Final = 4
"""Whole (x, T) pairs are counted in a table when it has at most 4 cells per customer."""

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
        visits: a fitted visit model (``BgNbd`` or ``ParetoNbd``).
        data: the customers (a feature table, in days, or a History in the fit's unit).
        spend: the expected spend per visit of each customer (for example
            ``GammaGamma.expected_spend``), or one amount for all; the value is in its
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
    given: object = visits  # typed, but callers may pass anything
    if not isinstance(given, VisitModel):
        msg = f"visits is {type(visits).__name__}, expected a fitted BgNbd or ParetoNbd"
        raise InvalidType(msg)
    alive = visits.p_alive(data)  # checks the model, its unit and the data
    n = len(alive)
    one_or_many = spend if np.ndim(spend) else [spend]
    amount = np.array(number_array(one_or_many, parameter="spend"), dtype=np.float64, ndmin=1)
    if amount.shape not in {(1,), (n,)}:
        msg = f"spend is one amount, or one per customer: {n} customers, {amount.size} amounts"
        raise InvalidValue(msg, code="invalid_spend")
    h = history(data)
    known = h.known()
    total = np.full(n, np.nan)
    if not known.all():
        h, alive = h.take(np.flatnonzero(known)), alive[known]
    total[known] = _discounted_visits(visits, h, alive, periods, length, discount_rate)
    return np.asarray(total * amount, dtype=np.float64)


def _discounted_visits(
    visits: VisitModel,
    h: History,
    alive: NDArray[np.float64],
    periods: int,
    length: float,
    rate: float,
) -> NDArray[np.float64]:
    """Σ_k (E[Y(k L)] - E[Y((k-1) L)]) / (1 + d)^k for customers with a history.

    The conditional expectation is P(alive) times the expectation given alive, which
    depends on x and T only (Fader, Hardie & Lee 2005, eq. 10; Schmittlein, Morrison &
    Colombo 1987): the sum is taken once per distinct (x, T), as the expectation of a
    customer last seen at T (t_x = T; t_x = 0 without repeat visits), divided by that
    customer's P(alive) and multiplied by each customer's own, computed once. Feature tables count days in whole numbers, so
    a million customers share far fewer pairs.
    """
    x, T, at = _pairs(h.x, h.T)  # noqa: N806
    last_seen = History(x, np.where(x > 0, T, 0.0), T)
    total = np.zeros(len(x))
    before = np.zeros(len(x))
    for k in range(1, periods + 1):
        upto = visits.expected_visits(last_seen, k * length)
        total += (upto - before) / (1 + rate) ** k
        before = upto
    # P(alive) grows with recency: where it underflows to 0 at t_x = T, it is 0 for every
    # customer of the pair, and so is their value
    per_alive = np.zeros(len(x))
    np.divide(total, visits.p_alive(last_seen), out=per_alive, where=total != 0)
    return np.asarray(per_alive[at] * alive, dtype=np.float64)


def _pairs(
    x: NDArray[np.float64],
    T: NDArray[np.float64],  # noqa: N803
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The distinct (x, T) pairs, and each row's position among them.

    Ages in whole numbers (days from a feature table) are counted in a table of every
    possible pair, without sorting; other ages are sorted.

    Examples:
        >>> ux, uT, at = _pairs(np.array([1.0, 0, 1]), np.array([5.0, 5, 5]))
        >>> ux.tolist(), uT.tolist(), at.tolist()
        ([0.0, 1.0], [5.0, 5.0], [1, 0, 1])
        >>> ux, uT, at = _pairs(np.array([1.0, 0, 1]), np.array([0.5, 5, 0.5]))
        >>> ux.tolist(), uT.tolist(), at.tolist()
        ([0.0, 1.0], [5.0, 0.5], [1, 0, 1])
    """
    if len(x) == 0:
        return x, T, np.zeros(0, dtype=np.intp)
    ages = float(T.max()) + 1
    if (np.floor(T) == T).all() and (float(x.max()) + 1) * ages <= max(_DENSE * len(x), 1 << 20):
        key = (x * ages + T).astype(np.intp)
        seen = np.bincount(key) > 0
        place = np.cumsum(seen) - 1
        key_of = np.flatnonzero(seen)
        return (key_of // ages).astype(np.float64), (key_of % ages).astype(np.float64), place[key]
    order = np.lexsort((T, x))
    xs, ts = x[order], T[order]
    first = np.empty(len(x), dtype=bool)
    first[0] = True
    first[1:] = (xs[1:] != xs[:-1]) | (ts[1:] != ts[:-1])
    at = np.empty(len(x), dtype=np.intp)
    at[order] = np.cumsum(first) - 1
    return xs[first], ts[first], at
