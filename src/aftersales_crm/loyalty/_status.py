"""Loyal / swinging / lost from the material's loyalty category and the service interval."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Final, Literal

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import Constraint, Instance, OneOf, OrNone, validate_params
from aftersales_crm._policy import feature
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty._interval import ServiceIntervalStatus, VehicleStatus
from aftersales_crm.segmentation._common import MISSING, vehicle_table

__all__ = ["LoyaltyStatus"]

_LOYAL: Final = 0
_LOST: Final = 2
"""The codes of the loyal and lost statuses, in the order of [`LoyaltyStatus.NAMES`][aftersales_crm.loyalty.LoyaltyStatus]."""


class LoyaltyStatus(VehicleStatus):
    r"""Loyal, swinging or lost (忠诚 / 摇摆 / 流失): the material's category, then the interval.

    The rows of the 客户细分矩阵 of 《斯柯达车友汇客户关爱总监培训教材》 are "A忠诚客户",
    "B摇摆客户" and "C流失客户"; the material does not say where one ends and the next
    begins. This is the library's reading, built on the material's own loyalty category
    (《信息回访员基础培训分析报告》: "以首保后,日常保养\维修是否来厂为 判断忠诚度依据",
    ``FirstMaintenanceReturn``). Per vehicle:

    * returned after its first maintenance (to the same dealer, for routine maintenance or
      repair) and within its service interval → loyal (忠诚);
    * returned, but its next service is overdue → swinging (摇摆);
    * never returned after its first maintenance, or returned but past the lost horizon →
      lost (流失);
    * no first maintenance while its owner had it → ``-1``: outside the matrix (unplaced).

    The interval and the horizons are those of ``interval``, a
    [`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus] (by default its defaults: due 6 months or 5,000 km
    after the last workshop service at the vehicle's dealer, swinging once overdue, lost 6
    months past due). Its ``where`` sets the dealer of the return too: ``"dealer"`` asks
    for a return to the first-maintenance dealer, ``"network"`` to any dealer.

    A vehicle whose first maintenance was recent and whose next service is not yet due
    has not had the chance to come back. By default it is lost all the same, as the rule
    says ("never returned"); ``not_yet_due="unplaced"`` leaves it outside the matrix
    (``-1``) until it falls due, so that new cars do not fill the 流失 row.

    A customer's status is the best status among the vehicles they own on ``as_of``
    (loyal before swinging before lost); ``-1`` when none of them has one.

    Attributes:
        interval: the service interval and horizons (default None: a
            [`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus] with its defaults).
        not_yet_due: what a vehicle gets that has not returned since its first maintenance
            while its next service is not yet due: ``"lost"`` (default) or
            ``"unplaced"`` (``-1``).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> LoyaltyStatus().assign(feats).counts()
        {'loyal': 13, 'swinging': 4, 'lost': 11}
        >>> LoyaltyStatus(not_yet_due="unplaced").assign(feats).counts()
        {'loyal': 13, 'swinging': 4, 'lost': 10}
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "interval": OrNone(Instance(ServiceIntervalStatus, "a ServiceIntervalStatus")),
        "not_yet_due": OneOf(("lost", "unplaced")),
    }
    """A ServiceIntervalStatus or None; not_yet_due is "lost" or "unplaced"."""

    def __init__(
        self,
        *,
        interval: ServiceIntervalStatus | None = None,
        not_yet_due: Literal["lost", "unplaced"] = "lost",
    ) -> None:
        self.interval = interval
        self.not_yet_due = not_yet_due

    def _interval(self) -> ServiceIntervalStatus:
        interval: ServiceIntervalStatus | None = validate_params(self, "interval")["interval"]
        return ServiceIntervalStatus() if interval is None else interval

    def _vehicle_codes(self, features: FeatureTable) -> NDArray[np.int16]:
        """Each vehicle's row: the category first, then the interval status."""
        unplaced = validate_params(self, "not_yet_due")["not_yet_due"] == "unplaced"
        interval = self._interval()
        status = interval.assign_vehicles(features).codes
        vehicles = vehicle_table(features, self)
        network = validate_params(interval, "where")["where"] == "network"
        first = np.asarray(feature(vehicles, "first_maintenance"), dtype="datetime64[D]")
        back = np.asarray(
            feature(vehicles, "network_return_date" if network else "return_date"),
            dtype="datetime64[D]",
        )
        since = np.asarray(feature(vehicles, "owned_since"), dtype="datetime64[D]")
        returned = ~np.isnat(back)
        codes = np.where(returned, status, _LOST).astype(np.int16)
        if unplaced:
            codes[~returned & (status == _LOYAL)] = MISSING
        # The category applies to the owner who brought the car to its first maintenance.
        codes[np.isnat(first) | np.isnat(since) | (since > first)] = MISSING
        return codes
