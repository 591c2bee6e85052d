"""Satisfaction (客户满意度): key drivers, the importance–performance grid and the gap model.

* :class:`KeyDrivers`: which factors move overall satisfaction, by five measures
  (:data:`METHODS`): bivariate correlation shares, standardised OLS betas, Pratt's measure,
  the exact Shapley (LMG) decomposition of R² and Johnson's relative weights.
* :func:`importance_performance` and :class:`ImportancePerformance`: each factor's
  importance against its performance, in the four :class:`Quadrant` of Martilla & James
  (1977).
* :data:`SERVICE_GAPS`: the five gaps of the service-quality gap model, with their causes
  and remedies in the training material's words; :func:`delivery_gaps` measures gaps 3 and
  4 per dealer from the repair orders.

Examples:
    >>> import numpy as np
    >>> from aftersales_crm.satisfaction import KeyDrivers
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(300, 2)) + [8.0, 7.0]
    >>> y = x @ [0.8, 0.2] + rng.normal(size=300) / 2
    >>> drivers = KeyDrivers().fit(x, y, names=["service advisor", "facility"])
    >>> drivers.shares_["shapley"].round(2)
    array([0.96, 0.04])
    >>> drivers.ipa().in_quadrant("keep_up_the_good_work")
    ('service advisor',)
"""

from __future__ import annotations

from aftersales_crm.satisfaction._drivers import MAX_SHAPLEY_PREDICTORS, METHODS, KeyDrivers
from aftersales_crm.satisfaction._gaps import (
    DELIVERY_STANDARDS,
    SERVICE_GAPS,
    DeliveryStandards,
    ServiceGap,
    delivery_gaps,
)
from aftersales_crm.satisfaction._ipa import ImportancePerformance, Quadrant, importance_performance

__all__ = [
    "DELIVERY_STANDARDS",
    "MAX_SHAPLEY_PREDICTORS",
    "METHODS",
    "SERVICE_GAPS",
    "DeliveryStandards",
    "ImportancePerformance",
    "KeyDrivers",
    "Quadrant",
    "ServiceGap",
    "delivery_gaps",
    "importance_performance",
]
