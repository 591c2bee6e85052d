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

__all__ = [
    "CSI_CHINA_2014",
    "CSI_CHINA_2015",
    "CSI_CHINA_2024",
    "ELEVEN_POINT",
    "INSTRUMENTS",
    "LIKERT_5",
    "MAX_RATING",
    "NPS_SURVEY",
    "SERVQUAL",
    "SERVQUAL_1988",
    "SEVEN_POINT",
    "SSI_SIX_FACTOR",
    "TEN_POINT",
    "Asks",
    "Factor",
    "Instrument",
    "Item",
    "Scale",
    "get_instrument",
]
