"""Loyal / swinging / lost by how overdue a vehicle's next workshop service is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import ClassVar, Final, Literal, Self

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm._params import (
    Constraint,
    Number,
    OneOf,
    OrNone,
    Param,
    Whole,
    validate_params,
)
from aftersales_crm._policy import BasePolicy, Labels, PolicyKind, feature
from aftersales_crm.features import SERVICE_KM, SERVICE_MONTHS, FeatureTable, service_due
from aftersales_crm.segmentation._common import (
    MISSING,
    labels,
    vehicle_table,
)

__all__ = ["ServiceIntervalStatus", "VehicleStatus"]

_LOYAL: Final = 0
_SWINGING: Final = 1
_LOST: Final = 2
"""The codes of the statuses, in the order of [`ServiceIntervalStatus.NAMES`][aftersales_crm.loyalty.ServiceIntervalStatus]."""


def _first_day_reaching(as_of: date, *shifts: int) -> np.datetime64:
    """The earliest day that, shifted by each of ``shifts`` months in turn, reaches ``as_of``.

    Month ends are clamped as [`add_months`][aftersales_crm.features.add_months] clamps them.
    Shifting never reorders days, so every later day reaches ``as_of`` too.
    """

    def shifted(day: date) -> date:
        for months in shifts:
            day += relativedelta(months=months)
        return day

    day = as_of - relativedelta(months=sum(shifts))
    while shifted(day) >= as_of:  # clamping can reach as_of from a few days earlier
        day -= timedelta(days=1)
    while shifted(day) < as_of:  # and leave it a few days short
        day += timedelta(days=1)
    return np.datetime64(day, "D")


class VehicleStatus(BasePolicy):
    """A loyal / swinging / lost status per vehicle, rolled up to each vehicle's owner.

    The shared half of [`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus] and ``LoyaltyStatus``: a
    subclass gives each vehicle a code (``_vehicle_codes``: 0 loyal, 1 swinging, 2 lost,
    -1 none); a customer's status is the best among the vehicles they own on ``as_of``
    (loyal before swinging before lost), ``-1`` when none of them has one.

    Examples:
        >>> issubclass(ServiceIntervalStatus, VehicleStatus)
        True
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = False

    NAMES: ClassVar[tuple[str, str, str]] = ("loyal", "swinging", "lost")
    """The labels in English."""

    NAMES_ZH: ClassVar[tuple[str, str, str]] = ("忠诚", "摇摆", "流失")
    """The labels in Chinese, the rows of the material's 客户细分矩阵 (A忠诚客户, B摇摆客户,
    C流失客户, 《斯柯达车友汇客户关爱总监培训教材》)."""

    def _vehicle_codes(self, features: FeatureTable) -> NDArray[np.int16]:
        """Each vehicle's status code; -1 where the rule gives none."""
        raise NotImplementedError

    def assign_vehicles(self, features: FeatureTable) -> Labels:
        """The status of each vehicle; ``-1`` where the rule gives none.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features.vehicles``: loyal, swinging, lost.

        Raises:
            InvalidValue: a parameter is invalid, the vehicle features are missing, or their
                owner rows do not match the rows of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> ServiceIntervalStatus().assign_vehicles(feats).values("zh").tolist()
            ['忠诚', '摇摆', '流失', '忠诚']
            >>> from aftersales_crm.loyalty import LoyaltyStatus
            >>> LoyaltyStatus().assign_vehicles(feats).values("zh").tolist()
            ['忠诚', '摇摆', '流失', '忠诚']
        """
        codes = self._vehicle_codes(features)
        features.vehicle_owners()  # the owner rows must match the customer rows
        return labels(codes, self.NAMES, self.NAMES_ZH)

    def assign(self, features: FeatureTable) -> Labels:
        """The status of each customer: the best of the vehicles they own on ``as_of``.

        Args:
            features: the customers, with their vehicle features.

        Returns:
            Labels aligned with the rows of ``features``: loyal, swinging, lost; ``-1``
            without an owned vehicle that has a status.

        Raises:
            InvalidValue: a parameter is invalid, the vehicle features are missing, or their
                owner rows do not match the rows of ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> ServiceIntervalStatus().assign(feats).values("zh").tolist()
            ['忠诚', '忠诚', '流失']
            >>> from aftersales_crm.loyalty import LoyaltyStatus
            >>> LoyaltyStatus().assign(feats).values("zh").tolist()
            ['忠诚', '忠诚', '流失']
        """
        codes = self._vehicle_codes(features)
        best = features.per_owner(codes, "min", where=codes >= 0, missing=MISSING)
        return labels(best, self.NAMES, self.NAMES_ZH)


class ServiceIntervalStatus(VehicleStatus):
    """Loyal, swinging or lost (忠诚 / 摇摆 / 流失) by how overdue the next service is.

    Per vehicle, the next service is expected ``months`` after its last workshop service or
    when its estimated odometer reaches the reading then plus ``km``, whichever comes
    first: the day ``last_service + ceil(km / km_per_day)`` ([`service_due`][aftersales_crm.features.service_due]).
    Workshop service is routine maintenance or repair (``ROUTINE_SERVICE_KINDS``) or the
    first maintenance itself, a maintenance visit; a parts-counter sale, an accessory
    fitting, insurance renewal, inspection agency or a rescue does not reset the interval.
    With ``where="dealer"`` (the default) only service at the vehicle's dealer counts: the
    dealer of its first maintenance, else of its first workshop service (the vehicle
    feature ``service_dealer``), so a car serviced elsewhere since is overdue here; with
    ``where="network"`` service at any dealer counts. On ``as_of`` the vehicle is

    * loyal while ``as_of`` is no later than ``swinging_after`` calendar months past that
      due date;
    * swinging after that, while ``as_of`` is no later than ``lost_after`` months past it;
    * lost after that.

    Vehicles without workshop service get ``-1`` (never serviced: nothing to be loyal
    to), and so does a vehicle that changed owner since its last service: its current
    ownership started (``owned_since``) after that service. A new owner who has not come
    yet is not a lost customer, and the earlier owner no longer owns the vehicle. A visit
    on the day the ownership started is the new owner's.

    A customer's status is the best status among the vehicles they own on ``as_of``
    (loyal before swinging before lost): a customer who keeps servicing one of two cars
    here is still a loyal customer. Customers without such a vehicle get ``-1``. Owners are
    found through ``features.vehicles["owner"]``, rows of ``features``.

    The presets [`recency_12_24`][aftersales_crm.loyalty.ServiceIntervalStatus.recency_12_24], [`chinese_dealer_6_months`][aftersales_crm.loyalty.ServiceIntervalStatus.chinese_dealer_6_months] (the default) and
    [`missed_intervals`][aftersales_crm.loyalty.ServiceIntervalStatus.missed_intervals] give the published definitions.

    Attributes:
        months: the service interval in calendar months (default 6,
            [`DEFAULT_MONTHS`][aftersales_crm.loyalty.ServiceIntervalStatus.DEFAULT_MONTHS]).
        km: the service interval in km, or None to go by time only (default 5,000,
            [`DEFAULT_KM`][aftersales_crm.loyalty.ServiceIntervalStatus.DEFAULT_KM]).
        swinging_after: whole months past the due date after which a vehicle is swinging
            (default 0: swinging the day after it falls due; [`DEFAULT_SWINGING_AFTER`][aftersales_crm.loyalty.ServiceIntervalStatus.DEFAULT_SWINGING_AFTER]).
        lost_after: whole months past the due date after which it is lost (default 6,
            [`DEFAULT_LOST_AFTER`][aftersales_crm.loyalty.ServiceIntervalStatus.DEFAULT_LOST_AFTER]).
        where: ``"dealer"`` (default): service at the vehicle's dealer resets the
            interval; ``"network"``: service at any dealer does.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> ServiceIntervalStatus().assign(feats).counts()
        {'loyal': 14, 'swinging': 4, 'lost': 10}
        >>> ServiceIntervalStatus.recency_12_24().assign(feats).counts()
        {'loyal': 18, 'swinging': 3, 'lost': 7}

    References:
        The three rows 忠诚 / 摇摆 / 流失 (A忠诚客户, B摇摆客户, C流失客户) are those of the
        客户细分矩阵 of 《斯柯达车友汇客户关爱总监培训教材》, which does not say where
        their boundaries lie; the boundaries here are the library's reading, from the
        published definitions below. Intervals: PCauto 太平洋汽车网 maintenance-interval
        pages (pcauto.com.cn: a family car every 5,000 km or 6 months, whichever first).
        Horizons: the Chinese 4S dealer KPI pages on customer loss rate (客户流失率, 6
        months without return; e.g. studyofnet.com/219565247.html); fullthrottle's service
        segments (active within 12 months, lost after 24); DME Automotive, "Understanding
        the Service Customer" (inactive and lost by missed intervals).
    """

    DEFAULT_MONTHS: ClassVar[int] = SERVICE_MONTHS
    """A service every 6 months, the interval Chinese makers commonly give a family car
    (PCauto 太平洋汽车网 maintenance-interval pages, pcauto.com.cn; the training material
    gives no interval)."""

    DEFAULT_KM: ClassVar[int | None] = SERVICE_KM
    """Or every 5,000 km, whichever first (the same PCauto pages)."""

    DEFAULT_SWINGING_AFTER: ClassVar[int] = 0
    """Overdue at all is swinging: "lapsed, missed an expected service but may return"
    (the lapsed / lost distinction of National Oil & Lube News, noln.net, "Quick Lube
    Q&A"), the library's reading of the material's 摇摆客户, "已处于摇摆状态"."""

    DEFAULT_LOST_AFTER: ClassVar[int] = 6
    """Lost 6 months past due, a year without service at the 6-month interval: the Chinese
    4S dealer's 6-month horizon (客户流失率, no return within 6 months; the dealer KPI
    pages such as studyofnet.com/219565247.html) counted from the due date, so a customer
    is lost after missing a whole further interval, and no later than fullthrottle's 12
    months of activity. The library's choice."""

    DEFAULT_WHERE: ClassVar[str] = "dealer"
    """Service at the vehicle's own dealer: the material's loyalty is to the workshop
    ("是否来厂"), so a car serviced elsewhere is not a loyal customer of this one."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "months": Whole(low=1, unit="months"),
        "km": OrNone(Number(above=0, unit="km")),
        "swinging_after": Whole(low=0, unit="months"),
        "lost_after": Whole(low=Param("swinging_after"), unit="months"),
        "where": OneOf(("dealer", "network")),
    }
    """Whole months >= 1; km > 0 or None; whole months of grace, lost no earlier than
    swinging; where is "dealer" or "network"."""

    def __init__(
        self,
        *,
        months: int = DEFAULT_MONTHS,
        km: int | None = DEFAULT_KM,
        swinging_after: int = DEFAULT_SWINGING_AFTER,
        lost_after: int = DEFAULT_LOST_AFTER,
        where: Literal["dealer", "network"] = "dealer",
    ) -> None:
        self.months = months
        self.km = km
        self.swinging_after = swinging_after
        self.lost_after = lost_after
        self.where = where

    @classmethod
    def recency_12_24(cls) -> Self:
        """Active within 12 months of the last service, lost after 24 (fullthrottle).

        By time only: due 12 months after the last service, swinging ("recently lost") the
        day after, lost more than 24 months after it (fullthrottle's service segments,
        sagedesk.fullthrottle.ai, "Previous Customers - Service").

        Returns:
            ``ServiceIntervalStatus(months=12, km=None, swinging_after=0, lost_after=12)``.

        Examples:
            >>> ServiceIntervalStatus.recency_12_24()
            ServiceIntervalStatus(months=12, km=None, lost_after=12)
        """
        return cls(months=12, km=None, swinging_after=0, lost_after=12)

    @classmethod
    def chinese_dealer_6_months(cls) -> Self:
        """The Chinese 4S dealer's 6-month horizon (客户流失率 KPI pages); the default.

        Due 6 months or 5,000 km after the last visit, whichever first; swinging (churn
        warning) once overdue; lost 6 months past due. The 4S loss-rate KPI counts a
        customer as lost 6 months after a visit without return, which is
        ``ServiceIntervalStatus(months=6, km=None, lost_after=0)`` (no swinging state).

        Returns:
            ``ServiceIntervalStatus()``.

        Examples:
            >>> ServiceIntervalStatus.chinese_dealer_6_months()
            ServiceIntervalStatus()
        """
        return cls(months=6, km=5_000, swinging_after=0, lost_after=6)

    @classmethod
    def missed_intervals(cls) -> Self:
        """Active / inactive / lost by missed intervals (DME Automotive).

        Due 6 months or 5,000 km after the last visit; inactive (swinging) once an interval
        is missed; lost after four missed 6-month intervals, 24 months past due (DME
        Automotive, "Understanding the Service Customer", blog.dmeautomotive.com). DME
        counts the day exactly four intervals past due as lost; here it is the day after,
        as for the other horizons.

        Returns:
            ``ServiceIntervalStatus(months=6, km=5000, swinging_after=0, lost_after=24)``.

        Examples:
            >>> ServiceIntervalStatus.missed_intervals()
            ServiceIntervalStatus(lost_after=24)
        """
        return cls(months=6, km=5_000, swinging_after=0, lost_after=24)

    def _intervals(self) -> tuple[int, float | None, int, int]:
        p = validate_params(self)
        return p["months"], p["km"], p["swinging_after"], p["lost_after"]

    def _last_service(self) -> tuple[str, str]:
        """The vehicle features of the last service that counts and its reading."""
        if validate_params(self, "where")["where"] == "network":
            return "last_network_service", "last_network_service_mileage"
        return "last_service", "last_service_mileage"

    def due_dates(self, features: FeatureTable) -> NDArray[np.datetime64]:
        """The day each vehicle's next service is expected (NaT without workshop service).

        Args:
            features: the customers, with their vehicle features.

        Returns:
            datetime64[D] array of shape (n_vehicles,), aligned with ``features.vehicles``.

        Raises:
            InvalidValue: a parameter is invalid or the vehicle features are missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(3, seed=1), as_of=date(2026, 6, 30))
            >>> ServiceIntervalStatus().due_dates(feats)[:2].tolist()
            [datetime.date(2026, 9, 7), datetime.date(2026, 1, 2)]
        """
        months, km, _, _ = self._intervals()
        last_name, mileage_name = self._last_service()
        vehicles = vehicle_table(features, self)
        if (
            months == SERVICE_MONTHS
            and km == SERVICE_KM
            and last_name == "last_service"
            and "service_due" in vehicles.columns
        ):
            return np.asarray(vehicles["service_due"], dtype="datetime64[D]")
        last = np.asarray(feature(vehicles, last_name), dtype="datetime64[D]")
        if km is None:
            return service_due(
                last, np.zeros(len(last)), np.zeros(len(last)), months=months, km=None
            )
        rate = feature(vehicles, "km_per_day")
        return service_due(last, rate, feature(vehicles, mileage_name), months=months, km=km)

    def _vehicle_codes(self, features: FeatureTable) -> NDArray[np.int16]:
        _, _, swinging_after, lost_after = self._intervals()
        vehicles = vehicle_table(features, self)
        due = self.due_dates(features)
        last = np.asarray(feature(vehicles, self._last_service()[0]), dtype="datetime64[D]")
        codes = np.full(len(vehicles), _LOST, dtype=np.int16)
        # Adding months never moves a later date before an earlier one, so "as_of is no
        # later than grace months past the due date" holds exactly when the due date is on
        # or after the first day whose shifted date reaches as_of: one scalar threshold
        # instead of calendar arithmetic on every vehicle.
        codes[due >= _first_day_reaching(features.as_of, lost_after)] = _SWINGING
        codes[due >= _first_day_reaching(features.as_of, swinging_after)] = _LOYAL
        since = np.asarray(feature(vehicles, "owned_since"), dtype="datetime64[D]")
        changed = since > last  # False where either is NaT
        codes[np.isnat(last) | changed] = MISSING
        return codes
