"""Care and follow-up (客户关怀 / 回访): the care agenda, honouring consent, and the follow-up work.

Care rules (policy kind ``care_rule``) turn facts and features into dated care tasks
(:class:`CareTasks`): the 3DC and 7DC follow-up calls after each delivery
(:class:`FollowUpCalls`), the first maintenance before its free window closes
(:class:`FirstMaintenanceDue`), routine maintenance by time or mileage
(:class:`MaintenanceDue`), the insurance renewal (:class:`InsuranceRenewal`), the annual
inspection from a schedule table (:class:`AnnualInspection`), the end of the warranty
(:class:`WarrantyEnding`), a call after a resolved complaint (:class:`ComplaintFollowUp`), a
call to win back lost customers of high value (:class:`WinBack`), and greetings: the
owner's birthday (:class:`OwnerBirthday`) or lunar birthday (:class:`LunarBirthday`), the
vehicle's purchase anniversary (:class:`VehicleAnniversary`) and the major festivals
(:class:`FestivalGreetings`). Contact rules (policy kind ``contact_rule``) give each task a
verdict: consent per purpose and channel (:class:`Consent`), do not contact
(:class:`DoNotContact`), cooling off after a complaint (:class:`CoolingOff`), a frequency
cap (:class:`FrequencyCap`), quiet days (:class:`QuietDays`), quiet hours
(:class:`QuietHours`) and a consented channel, the customer's own first
(:class:`PreferredChannel`), combined with :func:`all_of`, :func:`any_of` and
:func:`not_`. The :class:`Planner` puts them together into an :class:`Agenda`: tasks with
their status (open, closed, overdue, blocked), reasons in Chinese and English, and calls.
The calendar of days off is any :class:`~aftersales_crm.calendars.HolidayCalendar`.

:func:`followup_kpis` measures the 3DC and 7DC calls after each delivery per dealer,
caller and week: made on time, reaching the customer, how the attempts ended (the
hard-to-reach customers of the training material among them) and how many grievances told
in a call became complaints. :func:`master_data_quality` measures the customer and vehicle
records per dealer against the material's five principles: true, complete, accurate,
timely, updated (真实、完整、准确、及时、更新).

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import care, synthetic
    >>> book = synthetic.book(60, seed=1)
    >>> agenda = care.Planner().agenda(book, on=date(2026, 6, 30))
    >>> "follow_up_3d" in agenda.counts()
    True
    >>> kpis = care.followup_kpis(book, as_of="2026-06-30", by=())
    >>> int(kpis.due[0]) > 0
    True
"""

from __future__ import annotations

from aftersales_crm.care._agenda import Agenda, TaskStatus
from aftersales_crm.care._contact import (
    DEFAULT_CONTACT_RULES,
    GIVES_HOURS,
    MOVES_CHANNEL,
    QUIET_HOURS,
    AllOf,
    AnyOf,
    Consent,
    ContactRule,
    CoolingOff,
    DoNotContact,
    FrequencyCap,
    Not,
    PreferredChannel,
    QuietDays,
    QuietHours,
    Verdicts,
    all_of,
    any_of,
    not_,
)
from aftersales_crm.care._facts import CONSENT_PURPOSES
from aftersales_crm.care._followup import (
    COMPLAINT_WINDOW_DAYS,
    FOLLOW_UP_KEYS,
    FOLLOW_UP_QUOTE,
    GRACE_DAYS,
    HARD_TO_REACH_OUTCOMES,
    HARD_TO_REACH_QUOTE,
    FollowUpKpis,
    followup_kpis,
)
from aftersales_crm.care._followup_calls import FOLLOW_UP_KINDS, FollowUpCalls
from aftersales_crm.care._greetings import (
    FESTIVAL_GREETING,
    LEAP_DAYS,
    LUNAR_BIRTHDAY,
    OWNER_BIRTHDAY,
    VEHICLE_ANNIVERSARY,
    FestivalGreetings,
    LunarBirthday,
    OwnerBirthday,
    VehicleAnniversary,
)
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._maintenance import (
    CARE_BY_DATE,
    FIRST_MAINTENANCE_DUE,
    MAINTENANCE_DUE,
    FirstMaintenanceDue,
    HandOver,
    MaintenanceDue,
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
from aftersales_crm.care._planner import BOOSTS, LOOKBACK_DAYS, Planner
from aftersales_crm.care._renewals import (
    ANNUAL_INSPECTION,
    COMPLAINT_FOLLOW_UP,
    INSPECTION_SCHEDULE,
    INSURANCE_RENEWAL,
    WARRANTY_ENDING,
    WIN_BACK,
    AnnualInspection,
    ComplaintFollowUp,
    InspectionStep,
    InsuranceRenewal,
    WarrantyEnding,
    WinBack,
)
from aftersales_crm.care._rule import READS_FEATURES, CareRule
from aftersales_crm.care._tasks import REACHED_OUTCOMES, CareTasks, Reason, TaskKind, Texts

__all__ = [
    "ANNUAL_INSPECTION",
    "BOOSTS",
    "CARE_BY_DATE",
    "CHECKS",
    "COMPLAINT_FOLLOW_UP",
    "COMPLAINT_WINDOW_DAYS",
    "CONSENT_PURPOSES",
    "CUSTOMER_FIELDS",
    "DEFAULT_CONTACT_RULES",
    "FESTIVAL_GREETING",
    "FIRST_MAINTENANCE_DUE",
    "FOLLOW_UP_KEYS",
    "FOLLOW_UP_KINDS",
    "FOLLOW_UP_QUOTE",
    "FULL_VEHICLE_FIELDS",
    "GIVES_HOURS",
    "GRACE_DAYS",
    "HARD_TO_REACH_OUTCOMES",
    "HARD_TO_REACH_QUOTE",
    "INDIVIDUAL_FIELDS",
    "INSPECTION_SCHEDULE",
    "INSURANCE_RENEWAL",
    "LEAP_DAYS",
    "LOOKBACK_DAYS",
    "LUNAR_BIRTHDAY",
    "MAINTENANCE_DUE",
    "MOVES_CHANNEL",
    "OWNER_BIRTHDAY",
    "QUIET_HOURS",
    "REACHED_OUTCOMES",
    "READS_FEATURES",
    "STALE_MONTHS",
    "VEHICLE_ANNIVERSARY",
    "VEHICLE_FIELDS",
    "WARRANTY_ENDING",
    "WIN_BACK",
    "Agenda",
    "AllOf",
    "AnnualInspection",
    "AnyOf",
    "CareInputs",
    "CareRule",
    "CareTasks",
    "ComplaintFollowUp",
    "Consent",
    "ContactRule",
    "CoolingOff",
    "DataPrinciple",
    "DoNotContact",
    "FestivalGreetings",
    "FirstMaintenanceDue",
    "FollowUpCalls",
    "FollowUpKpis",
    "FrequencyCap",
    "HandOver",
    "InspectionStep",
    "InsuranceRenewal",
    "LunarBirthday",
    "MaintenanceDue",
    "MasterDataQuality",
    "Not",
    "OwnerBirthday",
    "Planner",
    "PreferredChannel",
    "QualityCheck",
    "QuietDays",
    "QuietHours",
    "Reason",
    "TaskKind",
    "TaskStatus",
    "Texts",
    "VehicleAnniversary",
    "Verdicts",
    "WarrantyEnding",
    "WinBack",
    "all_of",
    "any_of",
    "followup_kpis",
    "master_data_quality",
    "not_",
]
