"""Complaints (投诉): status folded from facts, service levels, and recovery afterwards.

A complaint's status at any moment is folded from its
[`ComplaintFiled`][aftersales_crm.records.ComplaintFiled] and
[`ComplaintUpdated`][aftersales_crm.records.ComplaintUpdated] facts through the table of
[`TRANSITIONS`][aftersales_crm.complaints.TRANSITIONS] ([`ComplaintLog`][aftersales_crm.complaints.ComplaintLog], [`complaint_status`][aftersales_crm.complaints.complaint_status],
[`complaint_states`][aftersales_crm.complaints.complaint_states]). A complaint-SLA policy ([`ComplaintSla`][aftersales_crm.complaints.ComplaintSla], kind
``complaint_sla``) tells which open complaints breach their first-response and resolution
times, in calendar or business hours. [`recovery`][aftersales_crm.complaints.recovery] measures who comes back for
service after a problem, by its outcome, beside the training material's figures.

Examples:
    >>> import aftersales_crm.complaints as complaints
    >>> complaints.ComplaintState.RESOLVED.label("zh")
    '已解决'
"""

from __future__ import annotations

from aftersales_crm.complaints._clock import BusinessCalendar, WeekdayCalendar
from aftersales_crm.complaints._recovery import (
    QUICK_HOURS,
    REFERENCE,
    REFERENCE_QUOTE,
    WINDOW_DAYS,
    RecoveryOutcome,
    RecoveryTable,
    recovery,
    wilson_interval,
)
from aftersales_crm.complaints._sla import ComplaintSla, SlaStatus
from aftersales_crm.complaints._status import (
    TRANSITIONS,
    ComplaintLog,
    ComplaintState,
    ComplaintStates,
    ComplaintStatus,
    ComplaintStep,
    complaint_states,
    complaint_status,
)

__all__ = [
    "QUICK_HOURS",
    "REFERENCE",
    "REFERENCE_QUOTE",
    "TRANSITIONS",
    "WINDOW_DAYS",
    "BusinessCalendar",
    "ComplaintLog",
    "ComplaintSla",
    "ComplaintState",
    "ComplaintStates",
    "ComplaintStatus",
    "ComplaintStep",
    "RecoveryOutcome",
    "RecoveryTable",
    "SlaStatus",
    "WeekdayCalendar",
    "complaint_states",
    "complaint_status",
    "recovery",
    "wilson_interval",
]
