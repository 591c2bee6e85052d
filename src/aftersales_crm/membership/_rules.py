"""The ledger's rules, in one place: read by the one-member ``Ledger`` and the batch.

Three rules decide where points go, and both faces of the ledger call these functions
rather than restating them:

* **the expiry instant**: points expiring "on" a day lapse at the *end* of that day in the
  programme's time zone, i.e. at the first instant of the next day there
  (``expiry_instant``, ``expiry_instants``);
* **the consumption order**: redemptions, debits and debt repayments take points from the
  lot that expires soonest, then the oldest, then the smallest id; lots that never expire
  come last (``consumption_key``, ``consumption_order``);
* **the reversal share**: a reversal takes back ``floor(grant * shares) + amounts``, capped
  at the grant, where ``shares`` and ``amounts`` add up every reversal of the award so far
  (``reversal_target``).

And one convention orders what happens at the same instant (``EXPIRY`` first, then
awards are registered, activated, reversed, and last debited).

Instants are int microseconds since the epoch, UTC, as ``datetime64[us]`` table columns
hold them; ``NEVER`` stands for "no expiry".
"""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm.features import DEFAULT_TIME_ZONE

__all__ = [
    "ACTIVATE",
    "DEBIT",
    "EXPIRY",
    "NEVER",
    "REGISTER",
    "REVERSE",
    "cached_expiry_instant",
    "consumption_key",
    "consumption_order",
    "expiry_instant",
    "expiry_instants",
    "micros",
    "reversal_target",
    "reversal_targets",
]

NEVER: Final = int(np.iinfo(np.int64).max)
"""The expiry instant of points that never expire (int64 max)."""

#: What happens first at one instant: lots that expire at it are gone before anything else
#: (a lot is valid up to, not at, its expiry instant); awards and credits are registered;
#: lots whose pending time ends are activated together and repay debt; reversals; and last
#: the debits (redemptions and negative adjustments), by id.
EXPIRY: Final = 0
REGISTER: Final = 1
ACTIVATE: Final = 2
REVERSE: Final = 3
DEBIT: Final = 4

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_DAY: Final = dt.timedelta(days=1)


def micros(instant: dt.datetime) -> int:
    """An aware instant as int microseconds since the epoch, UTC.

    Examples:
        >>> micros(dt.datetime(1970, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))
        0
    """
    return (instant - _EPOCH) // _MICROSECOND


def expiry_instant(day: dt.date | None, time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE) -> int:
    """The instant points expiring on ``day`` lapse: the end of that day in ``time_zone``.

    That is the first microsecond of the next day in the zone: the points can still be
    spent at 23:59:59.999999 local time. Loyalty engines agree on the end of the named day
    (Open Loyalty expires at 23:59:59; Odoo treats ``date_to`` as inclusive), and the
    classic bug is parsing a date-only expiry as UTC midnight, 8 hours early in China.

    Args:
        day: the last day the points can be spent; ``None`` for points that never expire.
        time_zone: the programme's IANA time zone (or a tzinfo); Asia/Shanghai by default.

    Returns:
        int microseconds since the epoch (UTC); ``NEVER`` when ``day`` is ``None``.

    Examples:
        >>> end = expiry_instant(dt.date(2026, 12, 31))
        >>> dt.datetime.fromtimestamp(end / 1e6, dt.UTC).isoformat()
        '2026-12-31T16:00:00+00:00'
    """
    if day is None:
        return NEVER
    zone = to_time_zone(time_zone)
    midnight = dt.datetime.combine(day + _DAY, dt.time(0), tzinfo=zone)
    return micros(midnight)


@functools.lru_cache(maxsize=4096)
def _cached(day: dt.date | None, zone: dt.tzinfo) -> int:
    return expiry_instant(day, zone)


def cached_expiry_instant(day: dt.date | None, zone: dt.tzinfo) -> int:
    """``expiry_instant``, remembered for the last few thousand (day, zone) pairs.

    Examples:
        >>> cached_expiry_instant(dt.date(2026, 12, 31), dt.UTC) == expiry_instant(
        ...     dt.date(2026, 12, 31), dt.UTC)
        True
    """
    try:
        return _cached(day, zone)
    except TypeError:  # a zone that cannot be hashed
        return expiry_instant(day, zone)


def expiry_instants(
    days: NDArray[Any], time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE
) -> NDArray[np.int64]:
    """``expiry_instant`` of each day of a ``datetime64[D]`` array (``NaT``: never).

    Each distinct day is converted once, by ``expiry_instant`` itself.

    Examples:
        >>> days = np.array(["2026-12-31", "NaT"], dtype="datetime64[D]")
        >>> expiry_instants(days).tolist() == [expiry_instant(dt.date(2026, 12, 31)), NEVER]
        True
    """
    zone = to_time_zone(time_zone)
    raw = np.asarray(days, dtype="datetime64[D]").view(np.int64)
    out = np.full(len(raw), NEVER, dtype=np.int64)
    known = raw != np.iinfo(np.int64).min
    if not known.any():
        return out
    given = raw[known]
    low = int(given.min())
    present = np.flatnonzero(np.bincount(given - low))  # each distinct day once
    ends = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    epoch = dt.date(1970, 1, 1)
    for offset in present.tolist():
        ends[offset] = expiry_instant(epoch + dt.timedelta(days=low + offset), zone)
    out[known] = ends[given - low]
    return out


def consumption_key(expires: int, at: int, lot_id: str) -> tuple[int, int, str]:
    """Where a lot stands in the consumption (and expiry) order: smaller goes first.

    Soonest-expiring first (the member-friendly choice: points about to lapse are spent
    before others, as Odoo orders by expiry), then the oldest, then the smallest id, so the
    order is total; lots that never expire (``NEVER``) come last.

    Examples:
        >>> sorted([consumption_key(NEVER, 1, "A"), consumption_key(9, 5, "B"),
        ...         consumption_key(9, 2, "C")])
        [(9, 2, 'C'), (9, 5, 'B'), (9223372036854775807, 1, 'A')]
    """
    return (expires, at, lot_id)


def consumption_order(
    expires: NDArray[np.int64], at: NDArray[np.int64], id_rank: NDArray[np.int64]
) -> NDArray[np.intp]:
    """The permutation putting lots in ``consumption_key`` order, for arrays of lots.

    ``id_rank`` ranks the lots' ids as text (equal ids, equal ranks).

    Examples:
        >>> consumption_order(np.array([NEVER, 9, 9]), np.array([1, 5, 2]),
        ...                   np.array([0, 1, 2])).tolist()
        [2, 1, 0]
    """
    return np.lexsort((id_rank, at, expires))


def reversal_target(grant: int, shares: Fraction, amounts: int) -> int:
    """The points an award has given back once all its reversals so far are applied.

    Reversals use the award's *recorded* grant, never today's earning rules. Refunded
    shares add up and the points are rounded *down* once, on their sum: a partial refund
    never takes back more than its exact proportion, and refunding an order in parts that
    add up to the whole takes back the whole award. Reversals by amount add on top; the
    total is capped at the grant.

    Args:
        grant: the award's points.
        shares: the sum of the refunded shares so far.
        amounts: the sum of the amounts reversed so far.

    Examples:
        >>> reversal_target(100, Fraction(1, 3), 0), reversal_target(100, Fraction(2, 3), 0)
        (33, 66)
        >>> reversal_target(100, Fraction(1), 0), reversal_target(100, Fraction(1, 2), 80)
        (100, 100)
    """
    by_share = (grant * min(shares, Fraction(1))).__floor__()
    return min(grant, by_share + amounts)


def reversal_targets(
    grant: NDArray[np.int64],
    numerator: NDArray[np.int64],
    denominator: NDArray[np.int64],
    amounts: NDArray[np.int64],
) -> NDArray[np.int64]:
    """``reversal_target`` for arrays, the shares given as ``numerator / denominator``.

    The same rule, in integers: ``min(grant, grant * numerator // denominator + amounts)``
    with the share capped at 1; rows whose product would not fit in int64 go through
    ``reversal_target`` itself.

    Examples:
        >>> reversal_targets(np.array([100, 100]), np.array([1, 0]), np.array([3, 1]),
        ...                  np.array([0, 80])).tolist()
        [33, 80]
    """
    grant, numerator, denominator, amounts = (
        np.asarray(a, dtype=np.int64) for a in (grant, numerator, denominator, amounts)
    )
    numerator = np.minimum(numerator, denominator)
    big = (grant.astype(np.float64) * numerator.astype(np.float64)) >= 2.0**62
    safe_numerator = np.where(big, 0, numerator)
    out: NDArray[np.int64] = np.minimum(grant, grant * safe_numerator // denominator + amounts)
    for row in np.flatnonzero(big).tolist():
        out[row] = reversal_target(
            int(grant[row]), Fraction(int(numerator[row]), int(denominator[row])), int(amounts[row])
        )
    return out
