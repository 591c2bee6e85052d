"""Care and follow-up (客户关怀 / 回访): the care agenda, honouring consent, and the follow-up work.

Care rules (policy kind ``care_rule``) turn facts and features into dated care tasks
([`CareTasks`][aftersales_crm.care.CareTasks]): the 3DC and 7DC follow-up calls after each delivery
([`FollowUpCalls`][aftersales_crm.care.FollowUpCalls]), the first maintenance before its free window closes
([`FirstMaintenanceDue`][aftersales_crm.care.FirstMaintenanceDue]), routine maintenance by time or mileage
([`MaintenanceDue`][aftersales_crm.care.MaintenanceDue]), the insurance renewal ([`InsuranceRenewal`][aftersales_crm.care.InsuranceRenewal]), the annual
inspection from a schedule table ([`AnnualInspection`][aftersales_crm.care.AnnualInspection]), the end of the warranty
([`WarrantyEnding`][aftersales_crm.care.WarrantyEnding]), a call after a resolved complaint ([`ComplaintFollowUp`][aftersales_crm.care.ComplaintFollowUp]), a
call to win back lost customers of high value ([`WinBack`][aftersales_crm.care.WinBack]), and greetings: the
owner's birthday (``OwnerBirthday``) or lunar birthday (``LunarBirthday``), the
vehicle's purchase anniversary (``VehicleAnniversary``) and the major festivals
(``FestivalGreetings``). Contact rules (policy kind ``contact_rule``) give each task a
verdict: consent per purpose and channel ([`Consent`][aftersales_crm.care.Consent]), do not contact
([`DoNotContact`][aftersales_crm.care.DoNotContact]), cooling off after a complaint ([`CoolingOff`][aftersales_crm.care.CoolingOff]), a frequency
cap ([`FrequencyCap`][aftersales_crm.care.FrequencyCap]), quiet days ([`QuietDays`][aftersales_crm.care.QuietDays]), quiet hours
([`QuietHours`][aftersales_crm.care.QuietHours]) and a consented channel, the customer's own first
([`PreferredChannel`][aftersales_crm.care.PreferredChannel]), combined with [`all_of`][aftersales_crm.care.all_of], [`any_of`][aftersales_crm.care.any_of] and
[`not_`][aftersales_crm.care.not_]. The [`Planner`][aftersales_crm.care.Planner] puts them together into an [`Agenda`][aftersales_crm.care.Agenda]: tasks with
their status (open, closed, overdue, blocked), reasons in Chinese and English, and calls.
The calendar of days off is any [`HolidayCalendar`][aftersales_crm.calendars.HolidayCalendar].

[`followup_kpis`][aftersales_crm.care.followup_kpis] measures the 3DC and 7DC calls after each delivery per dealer,
caller and week: made on time, reaching the customer, how the attempts ended (the
hard-to-reach customers of the training material among them) and how many grievances told
in a call became complaints. [`master_data_quality`][aftersales_crm.care.master_data_quality] measures the customer and vehicle
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

from aftersales_crm.care._agenda import Agenda, TaskStatus, agenda_order
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
from aftersales_crm.care._rule import READS_FEATURES, READS_VEHICLES, CareRule
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
    "READS_VEHICLES",
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
    "agenda_order",
    "all_of",
    "any_of",
    "followup_kpis",
    "master_data_quality",
    "not_",
]
