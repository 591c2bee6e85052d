"""Satisfaction (满意度): surveys and their scorers, key drivers, and the gap model.

* Instruments are data ([`Instrument`][aftersales_crm.satisfaction.Instrument], with [`Factor`][aftersales_crm.satisfaction.Factor], [`Item`][aftersales_crm.satisfaction.Item] and
  [`Scale`][aftersales_crm.satisfaction.Scale]), with versioned presets (the China CSI sets, the SSI, SERVQUAL, NPS) in
  the registry [`INSTRUMENTS`][aftersales_crm.satisfaction.INSTRUMENTS]; answers are [`Responses`][aftersales_crm.satisfaction.Responses] in columns.
* Scorers ([`ExpectationGap`][aftersales_crm.satisfaction.ExpectationGap], [`Servqual`][aftersales_crm.satisfaction.Servqual], [`CsiIndex`][aftersales_crm.satisfaction.CsiIndex], [`NPS`][aftersales_crm.satisfaction.NPS])
  score each response; [`aggregate`][aftersales_crm.satisfaction.aggregate] gives figures by dealer, advisor, period, segment
  and instrument version, each with its n and interval.
* ``KeyDrivers``: which factors move overall satisfaction, by five measures
  (``METHODS``): bivariate correlation shares, standardised OLS betas, Pratt's measure,
  the exact Shapley (LMG) decomposition of R² and Johnson's relative weights;
  ``importance_performance`` places each factor in the four ``Quadrant`` of
  Martilla & James (1977).
* [`SERVICE_GAPS`][aftersales_crm.satisfaction.SERVICE_GAPS]: the five gaps of the service-quality gap model, with their causes
  and remedies in the training material's words; [`belief_gap`][aftersales_crm.satisfaction.belief_gap] measures gap 1 per
  dealer and factor from customers' and staff's answers, [`delivery_gaps`][aftersales_crm.satisfaction.delivery_gaps] gaps 3 and 4
  from the repair orders, and [`gap_report`][aftersales_crm.satisfaction.gap_report] sets gaps 1 to 5 side by side per dealer
  with the material's remedies.

Examples:
    >>> from aftersales_crm.satisfaction import INSTRUMENTS
    >>> list(INSTRUMENTS)[:3]
    ['china_csi@2014', 'china_csi@2015', 'china_csi@2024']
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

from aftersales_crm.satisfaction._aggregate import (
    DEFAULT_LEVEL,
    DEFAULT_MIN_N,
    DIMENSIONS,
    Figure,
    GroupFigures,
    aggregate,
)
from aftersales_crm.satisfaction._drivers import MAX_SHAPLEY_PREDICTORS, METHODS, KeyDrivers
from aftersales_crm.satisfaction._gap_report import BeliefGap, GapReport, belief_gap, gap_report
from aftersales_crm.satisfaction._gaps import (
    DELIVERY_STANDARDS,
    SERVICE_GAPS,
    DeliveryStandards,
    ServiceGap,
    delivery_gaps,
)
from aftersales_crm.satisfaction._instruments import (
    ELEVEN_POINT,
    LIKERT_5,
    MAX_RATING,
    SEVEN_POINT,
    TEN_POINT,
    Asks,
    Factor,
    Instrument,
    Item,
    Scale,
)
from aftersales_crm.satisfaction._ipa import ImportancePerformance, Quadrant, importance_performance
from aftersales_crm.satisfaction._presets import (
    CSI_CHINA_2014,
    CSI_CHINA_2015,
    CSI_CHINA_2024,
    INSTRUMENTS,
    NPS_SURVEY,
    SERVQUAL,
    SERVQUAL_1988,
    SSI_SIX_FACTOR,
    get_instrument,
)
from aftersales_crm.satisfaction._responses import Ratings, Responses
from aftersales_crm.satisfaction._scorers import (
    DEFAULT_MIN_ANSWERED,
    NPS,
    CsiIndex,
    ExpectationGap,
    Servqual,
)
from aftersales_crm.satisfaction._scores import SurveyScores

__all__ = [
    "CSI_CHINA_2014",
    "CSI_CHINA_2015",
    "CSI_CHINA_2024",
    "DEFAULT_LEVEL",
    "DEFAULT_MIN_ANSWERED",
    "DEFAULT_MIN_N",
    "DELIVERY_STANDARDS",
    "DIMENSIONS",
    "ELEVEN_POINT",
    "INSTRUMENTS",
    "LIKERT_5",
    "MAX_RATING",
    "MAX_SHAPLEY_PREDICTORS",
    "METHODS",
    "NPS",
    "NPS_SURVEY",
    "SERVICE_GAPS",
    "SERVQUAL",
    "SERVQUAL_1988",
    "SEVEN_POINT",
    "SSI_SIX_FACTOR",
    "TEN_POINT",
    "Asks",
    "BeliefGap",
    "CsiIndex",
    "DeliveryStandards",
    "ExpectationGap",
    "Factor",
    "Figure",
    "GapReport",
    "GroupFigures",
    "ImportancePerformance",
    "Instrument",
    "Item",
    "KeyDrivers",
    "Quadrant",
    "Ratings",
    "Responses",
    "Scale",
    "ServiceGap",
    "Servqual",
    "SurveyScores",
    "aggregate",
    "belief_gap",
    "delivery_gaps",
    "gap_report",
    "get_instrument",
    "importance_performance",
]
