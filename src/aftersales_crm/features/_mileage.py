"""The mileage model: how many km a day each vehicle drives.

A vehicle's own odometer readings give its rate by least squares; a vehicle without
trusted readings takes the median of its model's vehicles; without that, a default. The
model medians are fitted once on the whole customer base ([`MileageModel`][aftersales_crm.features.MileageModel]), so a
slice of the base (one customer's [`profile`][aftersales_crm.features.profile]) falls back to
the same medians as the whole.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, tzinfo
from types import MappingProxyType
from typing import Any, ClassVar, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, real_number, whole_number
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features._calendar import DEFAULT_TIME_ZONE, NAT, day_number
from aftersales_crm.features._inputs import as_tables, threads_of
from aftersales_crm.features._kernels import Segments, grouping, rows_of, run_blocks
from aftersales_crm.features._orders import order_days
from aftersales_crm.records import Book
from aftersales_crm.tables import Tables
from aftersales_crm.values import NONE_CODE, LabelledEnum

__all__ = [
    "DEFAULT_KM_PER_DAY",
    "MAX_KM_PER_DAY",
    "MIN_MODEL_VEHICLES",
    "MileageMethod",
    "MileageModel",
    "vehicle_rates",
]

DEFAULT_KM_PER_DAY: Final = 15_000 / 365
"""The km/day used when neither the vehicle's readings nor its model tell: 15,000 km a year.

A design choice, not a published figure: Chinese estimates of annual mileage range from
about 18,900 km (Tsinghua, 2015) to 26,910 km (2007), falling with vehicle age; 15,000 km is
the conservative default."""

MAX_KM_PER_DAY: Final = 300.0
"""Readings implying more than 300 km a day are flagged as odometer anomalies."""

MIN_MODEL_VEHICLES: Final = 5
"""A model's median km/day is used only when at least five of its vehicles have readings."""

_DAYS_PER_YEAR: Final = 365.0


class MileageMethod(LabelledEnum):
    """How a vehicle's km/day was estimated (``km_per_day_method``).

    Examples:
        >>> [m.value for m in MileageMethod]
        ['readings', 'model_median', 'default']
    """

    READINGS = "readings", "least squares over the vehicle's odometer readings", "按本车里程记录"
    MODEL_MEDIAN = "model_median", "median of the same model's vehicles", "按同车型中位数"
    DEFAULT = "default", "the configured default", "按默认值"


def vehicle_rates(
    seg: Segments,
    g: NDArray[np.int64],
    d: NDArray[np.int64],
    mileage: NDArray[np.int64],
    first: NDArray[np.int64],
    max_km_per_day: float,
) -> dict[str, NDArray[Any]]:
    """The readings of a block of vehicles whose orders are in (vehicle, time) order.

    ``g`` is the vehicle of each row, ``d`` its business day, ``first`` each vehicle's first
    day. Keys: ``rate`` (least-squares km/day, NaN without two days), ``confidence`` (the
    fit's R² times the share of a year the readings span, at most 1),
    ``odometer_anomalies`` and ``last_mileage``.
    """
    n = len(seg.counts)
    m = mileage.astype(np.float64)
    same = g[1:] == g[:-1]
    climb = m[1:] - m[:-1]
    elapsed = np.maximum(d[1:] - d[:-1], 1)
    odd = np.zeros(len(g), dtype=bool)
    odd[1:] = same & ((climb < 0) | (climb > max_km_per_day * elapsed))
    out = {"odometer_anomalies": seg.count(odd), "last_mileage": seg.last(m, np.nan)}
    if not len(g):
        return {"rate": np.full(n, np.nan), "confidence": np.zeros(n)} | out
    t = (d - first[g]).astype(np.float64)
    y = m - seg.first(m, np.nan)[g]
    k = seg.counts.astype(np.float64)
    st, sy = seg.sum(t), seg.sum(y)
    stt, sty, syy = seg.sum(t * t), seg.sum(t * y), seg.sum(y * y)
    var_t = k * stt - st * st
    cov = k * sty - st * sy
    var_y = k * syy - sy * sy
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(var_t > 0, cov / var_t, np.nan)
        r2 = np.where(var_y > 0, cov * cov / (var_t * var_y), 1.0)
    span = seg.last(d, 0) - seg.first(d, 0)
    confidence = np.clip(r2, 0.0, 1.0) * np.minimum(span / _DAYS_PER_YEAR, 1.0)
    return {"rate": rate, "confidence": confidence} | out


class MileageModel:
    """The km/day estimate: the vehicle's own readings, its model's median, or a default.

    A vehicle's rate is the least-squares slope of its odometer readings over business
    days, trusted when it has readings on two days, no odometer anomaly (a reading going
    backwards or implying more than ``max_km_per_day``) and a rate between 0 and
    ``max_km_per_day``. Otherwise it takes the median rate of its model's trusted vehicles,
    when the model has at least ``min_model_vehicles`` of them, and otherwise
    ``default_km_per_day``.

    [`fit`][aftersales_crm.features.MileageModel.fit] learns the model medians from a customer base once; ``compute`` and
    ``profile`` take the fitted model (or fit one on the fly when not given), so a slice
    of the base falls back to the medians of the whole.

    Attributes:
        default_km_per_day: the last fallback (default 15,000 km a year,
            [`DEFAULT_KM_PER_DAY`][aftersales_crm.features.MileageModel.DEFAULT_KM_PER_DAY]).
        max_km_per_day: readings implying more are odometer anomalies, and a fitted rate
            above it is not trusted (default 300, [`MAX_KM_PER_DAY`][aftersales_crm.features.MileageModel.MAX_KM_PER_DAY]).
        min_model_vehicles: trusted vehicles a model needs for its median to be used
            (default 5, [`MIN_MODEL_VEHICLES`][aftersales_crm.features.MileageModel.MIN_MODEL_VEHICLES]).
        model_km_per_day: model name → km/day to use instead of fitting the medians, or
            None (the default) to fit them.
        model_km_per_day_: after [`fit`][aftersales_crm.features.MileageModel.fit], model name → the km/day it falls back to.
        as_of_: after [`fit`][aftersales_crm.features.MileageModel.fit], the day it was fitted on.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.columns(300, seed=1).tables()
        >>> model = MileageModel().fit(tables, as_of=date(2026, 6, 30))
        >>> len(model.model_km_per_day_) > 0, model.as_of_
        (True, datetime.date(2026, 6, 30))
        >>> MileageModel(min_model_vehicles=1)
        MileageModel(min_model_vehicles=1)
    """

    DEFAULT_KM_PER_DAY: ClassVar[float] = DEFAULT_KM_PER_DAY
    """The default of ``default_km_per_day``: 15,000 km a year."""

    MAX_KM_PER_DAY: ClassVar[float] = MAX_KM_PER_DAY
    """The default of ``max_km_per_day``: 300 km a day."""

    MIN_MODEL_VEHICLES: ClassVar[int] = MIN_MODEL_VEHICLES
    """The default of ``min_model_vehicles``: five vehicles."""

    model_km_per_day_: Mapping[str, float]
    as_of_: date

    def __init__(
        self,
        *,
        default_km_per_day: float = DEFAULT_KM_PER_DAY,
        max_km_per_day: float = MAX_KM_PER_DAY,
        min_model_vehicles: int = MIN_MODEL_VEHICLES,
        model_km_per_day: Mapping[str, float] | None = None,
    ) -> None:
        self.default_km_per_day = default_km_per_day
        self.max_km_per_day = max_km_per_day
        self.min_model_vehicles = min_model_vehicles
        self.model_km_per_day = model_km_per_day

    def __repr__(self) -> str:
        """The class and the parameters that differ from their defaults."""
        defaults = MileageModel()
        changed = [
            f"{name}={value!r}"
            for name, value in vars(self).items()
            if not name.endswith("_") and value != getattr(defaults, name)
        ]
        return f"MileageModel({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the fitted medians as a dict (a read-only mapping cannot be pickled)."""
        state = dict(vars(self))
        if "model_km_per_day_" in state:
            state["model_km_per_day_"] = dict(state["model_km_per_day_"])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore the parameters and the read-only fitted medians."""
        if "model_km_per_day_" in state:
            state = state | {"model_km_per_day_": MappingProxyType(state["model_km_per_day_"])}
        vars(self).update(state)

    @property
    def fitted(self) -> bool:
        """Whether [`fit`][aftersales_crm.features.MileageModel.fit] has run (the model medians are known).

        Examples:
            >>> MileageModel().fitted
            False
        """
        return "model_km_per_day_" in vars(self)

    def checked(self) -> tuple[float, float, int]:
        """``default_km_per_day``, ``max_km_per_day`` and ``min_model_vehicles``, checked.

        Raises:
            InvalidValue: a parameter of the wrong type or out of range, naming it.

        Examples:
            >>> MileageModel(max_km_per_day=0).checked()
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: max_km_per_day is 0 (int), expected a finite number > 0
        """
        default = real_number(self.default_km_per_day, parameter="default_km_per_day", minimum=0)
        most = real_number(self.max_km_per_day, parameter="max_km_per_day", minimum=0, above=True)
        least = whole_number(self.min_model_vehicles, parameter="min_model_vehicles", minimum=1)
        given = self.model_km_per_day
        if given is not None:
            if not isinstance(given, Mapping) or not all(isinstance(k, str) for k in given):
                msg = (
                    f"model_km_per_day is {given!r:.80}, expected a mapping of model name to km/day"
                )
                raise InvalidValue(msg, code=ARGUMENT_CODE)
            for name, rate in given.items():
                real_number(rate, parameter=f"model_km_per_day[{name!r}]", minimum=0)
        return default, most, least

    def fit(
        self,
        data: Tables | Book,
        *,
        as_of: date | str,
        time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
        threads: int | None = None,
    ) -> MileageModel:
        """The model medians of ``data`` on ``as_of``, as a fitted copy.

        Only orders opened up to ``as_of`` (business dates in ``time_zone``) count, as in
        ``compute``. The receiver is not changed.

        Args:
            data: the customer base.
            as_of: the day to describe (a date or an ISO date string).
            time_zone: the IANA time zone of business dates (default ``Asia/Shanghai``).
            threads: how many threads to use; by default one per CPU.

        Returns:
            A fitted copy, with ``model_km_per_day_`` and ``as_of_``.

        Raises:
            InvalidValue: an argument or parameter of the wrong type or out of range.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import synthetic
            >>> tables = synthetic.columns(300, seed=1).tables()
            >>> rates = MileageModel().fit(tables, as_of="2026-06-30").model_km_per_day_
            >>> all(0 <= r <= MAX_KM_PER_DAY for r in rates.values())
            True
        """
        on = as_of_date(as_of)
        _, most, _ = self.checked()
        tables = as_tables(data)
        workers = threads_of(threads)
        _, day = order_days(tables, time_zone)
        counted = day <= day_number(on)
        o = tables.orders
        vehicle, time, mileage = o["vehicle"], o["opened_at"].view(np.int64), o["mileage"]
        counted &= vehicle != NONE_CODE  # an order without a vehicle has no reading
        if not counted.all():
            vehicle, time, mileage, day = (x[counted] for x in (vehicle, time, mileage, day))
        perm = grouping(vehicle, time)
        everyone = Segments.of(vehicle, len(tables.vehicles))

        def block(first: int, stop: int) -> dict[str, NDArray[Any]]:
            seg = everyone.part(first, stop)
            lo = int(everyone.starts[first]) if first < len(everyone.counts) else 0
            rows = rows_of(perm, lo, lo + int(seg.counts.sum()))
            d = day[rows]
            return vehicle_rates(
                seg, seg.group_of_rows(), d, mileage[rows], seg.first(d, NAT), most
            )

        out = run_blocks(block, everyone.blocks(), workers)
        return self.fitted_on(tables, out["rate"], self.trusted(out), on)

    def trusted(self, readings: Mapping[str, NDArray[Any]]) -> NDArray[np.bool_]:
        """Which vehicles' own rates are trusted, from ``vehicle_rates`` output."""
        _, most, _ = self.checked()
        rate = readings["rate"]
        found: NDArray[np.bool_] = (
            ~np.isnan(rate) & (rate >= 0) & (rate <= most) & (readings["odometer_anomalies"] == 0)
        )
        return found

    def fitted_on(
        self, tables: Tables, rate: NDArray[np.float64], trusted: NDArray[np.bool_], as_of: date
    ) -> MileageModel:
        """A fitted copy from the vehicles' rates and which of them are trusted."""
        _, _, least = self.checked()
        fitted = copy.copy(self)
        names = tables.vehicles.labels["model"]
        given = self.model_km_per_day
        if given is not None:
            medians = {str(k): float(v) for k, v in given.items()}
        else:
            model = tables.vehicles["model"]
            use = trusted & (model >= 0)
            codes = model[use]
            order = np.argsort(codes, kind="stable")
            seg = Segments.of(codes[order].astype(np.int64), len(names))
            values = rate[use][order]
            medians = {}
            for code in np.flatnonzero(seg.counts >= least).tolist():
                start = seg.starts[code]
                medians[names[code]] = float(np.median(values[start : start + seg.counts[code]]))
        fitted.model_km_per_day_ = MappingProxyType(medians)
        fitted.as_of_ = as_of
        return fitted

    def estimate(
        self, tables: Tables, readings: Mapping[str, NDArray[Any]]
    ) -> dict[str, NDArray[Any]]:
        """``km_per_day``, ``km_per_day_method`` and ``km_per_day_confidence`` per vehicle.

        Args:
            tables: the customer base whose vehicles ``readings`` describe.
            readings: ``vehicle_rates`` output for every vehicle of ``tables``.

        Raises:
            NotFittedError: the model is not fitted.
        """
        if not self.fitted:
            raise NotFittedError("MileageModel is not fitted: call fit() first, or pass None")
        default, _, _ = self.checked()
        trusted = self.trusted(readings)
        model = tables.vehicles["model"]
        names = tables.vehicles.labels["model"]
        medians = np.array(
            [self.model_km_per_day_.get(name, np.nan) for name in names], dtype=np.float64
        )
        model_rate = (
            np.where(model >= 0, medians[np.maximum(model, 0)], np.nan)
            if len(medians)
            else np.full(len(model), np.nan)
        )
        by_model = ~trusted & ~np.isnan(model_rate)
        return {
            "km_per_day": np.where(
                trusted, readings["rate"], np.where(by_model, model_rate, default)
            ),
            "km_per_day_method": np.where(trusted, 0, np.where(by_model, 1, 2)).astype(np.int8),
            "km_per_day_confidence": np.where(trusted, readings["confidence"], 0.0),
        }
