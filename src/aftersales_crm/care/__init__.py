"""Care and follow-up (客户关怀 / 回访): the follow-up calls' KPIs and master-data quality.

:func:`followup_kpis` measures the 3DC and 7DC calls after each delivery per dealer,
caller and week: made on time, reaching the customer, how the attempts ended (the
hard-to-reach customers of the training material among them) and how many grievances told
in a call became complaints. :func:`master_data_quality` measures the customer and vehicle
records per dealer against the material's five principles: true, complete, accurate,
timely, updated (真实、完整、准确、及时、更新).

Examples:
    >>> from aftersales_crm import care, synthetic
    >>> kpis = care.followup_kpis(synthetic.book(100, seed=1), as_of="2026-06-30", by=())
    >>> int(kpis.due[0]) > 0
    True
"""

from __future__ import annotations

from aftersales_crm.care._followup import (
    COMPLAINT_WINDOW_DAYS,
    FOLLOW_UP_KEYS,
    FOLLOW_UP_QUOTE,
    GRACE_DAYS,
    HARD_TO_REACH_OUTCOMES,
    HARD_TO_REACH_QUOTE,
    REACHED_OUTCOMES,
    FollowUpKpis,
    followup_kpis,
)
from aftersales_crm.care._master_data import (
    CHECKS,
    CUSTOMER_FIELDS,
    FULL_VEHICLE_FIELDS,
    INDIVIDUAL_FIELDS,
    STALE_MONTHS,
    VEHICLE_FIELDS,
    DataPrinciple,
    MasterDataQuality,
    QualityCheck,
    master_data_quality,
)

__all__ = [
    "CHECKS",
    "COMPLAINT_WINDOW_DAYS",
    "CUSTOMER_FIELDS",
    "FOLLOW_UP_KEYS",
    "FOLLOW_UP_QUOTE",
    "FULL_VEHICLE_FIELDS",
    "GRACE_DAYS",
    "HARD_TO_REACH_OUTCOMES",
    "HARD_TO_REACH_QUOTE",
    "INDIVIDUAL_FIELDS",
    "REACHED_OUTCOMES",
    "STALE_MONTHS",
    "VEHICLE_FIELDS",
    "DataPrinciple",
    "FollowUpKpis",
    "MasterDataQuality",
    "QualityCheck",
    "followup_kpis",
    "master_data_quality",
]
