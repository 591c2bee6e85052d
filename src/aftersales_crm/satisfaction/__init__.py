"""Satisfaction (满意度): survey instruments, answers, scorers and their aggregation.

Instruments are data (:class:`Instrument`, with :class:`Factor`, :class:`Item` and
:class:`Scale`), with versioned presets (the China CSI sets, the SSI, SERVQUAL, NPS) in the
registry :data:`INSTRUMENTS`.

Examples:
    >>> from aftersales_crm.satisfaction import INSTRUMENTS
    >>> list(INSTRUMENTS)[:3]
    ['china_csi@2014', 'china_csi@2015', 'china_csi@2024']
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
    "DIMENSIONS",
    "ELEVEN_POINT",
    "INSTRUMENTS",
    "LIKERT_5",
    "MAX_RATING",
    "NPS",
    "NPS_SURVEY",
    "SERVQUAL",
    "SERVQUAL_1988",
    "SEVEN_POINT",
    "SSI_SIX_FACTOR",
    "TEN_POINT",
    "Asks",
    "CsiIndex",
    "ExpectationGap",
    "Factor",
    "Figure",
    "GroupFigures",
    "Instrument",
    "Item",
    "Ratings",
    "Responses",
    "Scale",
    "Servqual",
    "SurveyScores",
    "aggregate",
    "get_instrument",
]
