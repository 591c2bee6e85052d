"""Care and follow-up (客户关怀 / 回访): the care agenda, honouring consent.

Care rules (policy kind ``care_rule``) turn facts and features into dated care tasks
(:class:`CareTasks`): the 3DC and 7DC follow-up calls after each delivery
(:class:`FollowUpCalls`), the first maintenance before its free window closes
(:class:`FirstMaintenanceDue`) and routine maintenance by time or mileage
(:class:`MaintenanceDue`). Contact rules (policy kind ``contact_rule``) give each task a
verdict: consent per purpose and channel (:class:`Consent`), do not contact
(:class:`DoNotContact`), cooling off after a complaint (:class:`CoolingOff`), a frequency
cap (:class:`FrequencyCap`), quiet days (:class:`QuietDays`) and a consented channel
(:class:`PreferredChannel`), combined with :func:`all_of`, :func:`any_of` and
:func:`not_`. The :class:`Planner` puts them together into an :class:`Agenda`: tasks with
their status (open, closed, overdue, blocked), reasons in Chinese and English, and calls.

Examples:
    >>> from datetime import date
    >>> from aftersales_crm import care, synthetic
    >>> agenda = care.Planner().agenda(synthetic.book(60, seed=1), on=date(2026, 6, 30))
    >>> "follow_up_3d" in agenda.counts()
    True
"""

from __future__ import annotations

from aftersales_crm.care._agenda import Agenda, TaskStatus
from aftersales_crm.care._calendar import HolidayCalendar, WeekendCalendar
from aftersales_crm.care._contact import (
    DEFAULT_CONTACT_RULES,
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
    Verdicts,
    all_of,
    any_of,
    not_,
)
from aftersales_crm.care._facts import CONSENT_PURPOSES
from aftersales_crm.care._followup_calls import FOLLOW_UP_KINDS, FollowUpCalls
from aftersales_crm.care._inputs import CareInputs
from aftersales_crm.care._maintenance import (
    CARE_BY_DATE,
    FIRST_MAINTENANCE_DUE,
    MAINTENANCE_DUE,
    FirstMaintenanceDue,
    MaintenanceDue,
)
from aftersales_crm.care._planner import BOOSTS, LOOKBACK_DAYS, Planner
from aftersales_crm.care._rule import CareRule
from aftersales_crm.care._tasks import REACHED_OUTCOMES, CareTasks, Reason, TaskKind, Texts

__all__ = [
    "BOOSTS",
    "CARE_BY_DATE",
    "CONSENT_PURPOSES",
    "DEFAULT_CONTACT_RULES",
    "FIRST_MAINTENANCE_DUE",
    "FOLLOW_UP_KINDS",
    "LOOKBACK_DAYS",
    "MAINTENANCE_DUE",
    "REACHED_OUTCOMES",
    "Agenda",
    "AllOf",
    "AnyOf",
    "CareInputs",
    "CareRule",
    "CareTasks",
    "Consent",
    "ContactRule",
    "CoolingOff",
    "DoNotContact",
    "FirstMaintenanceDue",
    "FollowUpCalls",
    "FrequencyCap",
    "HolidayCalendar",
    "MaintenanceDue",
    "Not",
    "Planner",
    "PreferredChannel",
    "QuietDays",
    "Reason",
    "TaskKind",
    "TaskStatus",
    "Texts",
    "Verdicts",
    "WeekendCalendar",
    "all_of",
    "any_of",
    "not_",
]
