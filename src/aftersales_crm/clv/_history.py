"""A customer's visit history as the models read it: frequency, recency and age (x, t_x, T)."""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import number_array
from aftersales_crm._policy import feature
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable

__all__ = ["History", "history"]

FREQUENCY: Final = "frequency"
"""Repeat visit days: distinct visit days after the first (the models' *x*)."""

RECENCY: Final = "span_days"
"""Days from the first to the last visit day (the models' *recency*, t_x)."""

AGE: Final = "tenure_days"
"""Days from the first visit day to the day the features describe (the models' *T*)."""

_HISTORY_CODE: Final = "invalid_history"


def _x(values: ArrayLike) -> NDArray[np.float64]:
    return _column(values, "x")


def _t_x(values: ArrayLike) -> NDArray[np.float64]:
    return _column(values, "t_x")


def _age(values: ArrayLike) -> NDArray[np.float64]:
    return _column(values, "T")


def _column(values: ArrayLike, name: str) -> NDArray[np.float64]:
    out = np.array(number_array(values, parameter=name), dtype=np.float64, ndmin=1)
    if out.ndim != 1:
        msg = f"{name} is one number per customer: it has shape {out.shape}"
        raise InvalidValue(msg, code=_HISTORY_CODE)
    out.flags.writeable = False
    return out


def _first_bad(rule: str, bad: NDArray[np.bool_], values: dict[str, NDArray[Any]]) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        shown = ", ".join(f"{name} {v[row]:g}" for name, v in values.items())
        msg = (
            f"{int(bad.sum())} customer(s) break the rule {rule}; the first is row {row} ({shown})"
        )
        raise InvalidValue(msg, code=_HISTORY_CODE)


@attrs.frozen(eq=False)
class History:
    """Each customer's repeat visits ``x``, recency ``t_x`` and age ``T``, in one time unit.

    The inputs of the "buy till you die" models (Fader, Hardie & Lee 2005): ``x`` visit
    days after the first, ``t_x`` the time from the first visit day to the last, ``T`` the
    time from the first visit day to the end of the observation. A row whose ``t_x`` and
    ``T`` are both NaN is a customer without visits: the models give it NaN.

    Attributes:
        x: repeat visits (whole numbers ≥ 0).
        t_x: recency, 0 ≤ t_x ≤ T (0 when x is 0).
        T: age of the customer at the end of the observation, ≥ 0.

    Examples:
        >>> h = History([2, 0], [30.43, 0], [38.86, 38.86])
        >>> len(h), h.known().tolist()
        (2, [True, True])
        >>> History([1], [5], [3])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: 1 customer(s) break the rule 0 <= t_x <= T; the first is row 0 (x 1, t_x 5, T 3)
    """

    x: NDArray[np.float64] = attrs.field(converter=_x)
    t_x: NDArray[np.float64] = attrs.field(converter=_t_x)
    T: NDArray[np.float64] = attrs.field(converter=_age)

    def __attrs_post_init__(self) -> None:
        n = len(self.x)
        if len(self.t_x) != n or len(self.T) != n:
            msg = f"x, t_x and T need one value per customer: {n}, {len(self.t_x)}, {len(self.T)}"
            raise InvalidValue(msg, code=_HISTORY_CODE)
        values = {"x": self.x, "t_x": self.t_x, "T": self.T}
        known = self.known()
        with np.errstate(invalid="ignore"):
            _first_bad(
                "x is a whole number >= 0",
                ~np.isfinite(self.x) | (self.x < 0) | (self.x != np.floor(self.x)),
                values,
            )
            _first_bad(
                "t_x and T are both numbers, or both NaN (no visits, x 0)",
                (np.isnan(self.t_x) != np.isnan(self.T)) | (~known & (self.x > 0)),
                values,
            )
            _first_bad(
                "0 <= t_x <= T",
                known & ~((self.t_x >= 0) & (self.t_x <= self.T) & np.isfinite(self.T)),
                values,
            )
            _first_bad("t_x is 0 when x is 0", known & (self.x == 0) & (self.t_x != 0), values)

    def __len__(self) -> int:
        """Number of customers."""
        return len(self.x)

    def known(self) -> NDArray[np.bool_]:
        """Which customers have a history (at least one visit).

        Examples:
            >>> History([0, 0], [0, np.nan], [4, np.nan]).known().tolist()
            [True, False]
        """
        return ~np.isnan(self.T)

    def take(self, rows: NDArray[Any]) -> History:
        """The customers of ``rows``.

        Examples:
            >>> History([3, 1], [5, 2], [9, 9]).take(np.array([1])).x.tolist()
            [1.0]
        """
        return History(self.x[rows], self.t_x[rows], self.T[rows])

    @classmethod
    def from_features(cls, features: FeatureTable) -> History:
        """The history of each row of a customer feature table, in days.

        Reads ``frequency``, ``span_days`` and ``tenure_days``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> len(History.from_features(feats))
            3
        """
        return cls(feature(features, FREQUENCY), feature(features, RECENCY), feature(features, AGE))


def history(data: FeatureTable | History) -> History:
    """``data`` as a [`History`][aftersales_crm.clv.History]: itself, or read from a feature table (in days).

    Raises:
        InvalidValue: ``data`` is neither.

    Examples:
        >>> len(history(History([0], [0], [1])))
        1
        >>> history([1, 2])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: expected a FeatureTable or a History (x, t_x, T), not list
    """
    given: object = data  # typed, but callers may pass anything
    if isinstance(given, History):
        return given
    if isinstance(given, FeatureTable):
        return History.from_features(given)
    msg = f"expected a FeatureTable or a History (x, t_x, T), not {type(data).__name__}"
    raise InvalidValue(msg, code="invalid_argument")
