"""Enumerations that belong to records: customer kinds, consent, contact outcomes, complaints."""

from __future__ import annotations

from aftersales_crm.values import LabelledEnum

__all__ = [
    "ComplaintAction",
    "ComplaintCategory",
    "ConsentPurpose",
    "ContactOutcome",
    "CustomerKind",
    "CustomerVerdict",
    "Severity",
]


class CustomerKind(LabelledEnum):
    """Whether a customer is a person or an organisation.

    Examples:
        >>> CustomerKind.FLEET.label("zh")
        '单位'
    """

    INDIVIDUAL = "individual", "individual", "个人"
    FLEET = "fleet", "fleet or company", "单位"


class ConsentPurpose(LabelledEnum):
    """What a customer agreed to be contacted for (DOMAIN.md §8: keep consent for contact).

    Examples:
        >>> ConsentPurpose.SERVICE_REMINDER.label("zh")
        '服务提醒'
    """

    SERVICE_REMINDER = "service_reminder", "service reminders", "服务提醒"
    MARKETING = "marketing", "marketing", "营销"
    SURVEY = "survey", "surveys", "满意度调查"


class ContactOutcome(LabelledEnum):
    """How a contact attempt ended.

    Examples:
        >>> ContactOutcome.DO_NOT_CONTACT.label("zh")
        '要求勿扰'
    """

    REACHED = "reached", "reached", "已接通"
    NO_ANSWER = "no_answer", "no answer", "无人接听"
    REFUSED = "refused", "refused", "拒绝"
    WRONG_NUMBER = "wrong_number", "wrong number", "号码错误"
    DO_NOT_CONTACT = "do_not_contact", "asked not to be contacted", "要求勿扰"


class ComplaintCategory(LabelledEnum):
    """What a complaint is about.

    Examples:
        >>> ComplaintCategory.WAITING_TIME.label("zh")
        '等待时间'
    """

    REPAIR_QUALITY = "repair_quality", "repair quality", "维修质量"
    WAITING_TIME = "waiting_time", "waiting time", "等待时间"
    PRICE = "price", "price", "价格"
    STAFF_ATTITUDE = "staff_attitude", "staff attitude", "服务态度"
    PARTS = "parts", "parts availability", "配件供应"
    FACILITY = "facility", "facility", "服务设施"
    OTHER = "other", "other", "其他"


class Severity(LabelledEnum):
    """How serious a complaint is; response and resolution times depend on it.

    Examples:
        >>> [s.value for s in Severity]
        ['low', 'medium', 'high', 'critical']
    """

    LOW = "low", "low", "低"
    MEDIUM = "medium", "medium", "中"
    HIGH = "high", "high", "高"
    CRITICAL = "critical", "critical", "紧急"


class ComplaintAction(LabelledEnum):
    """A step in a complaint's life (DOMAIN.md §7: intake, response, resolution, tracking).

    Examples:
        >>> ComplaintAction.ESCALATED.label("zh")
        '已升级'
    """

    ACKNOWLEDGED = "acknowledged", "acknowledged", "已受理"
    ESCALATED = "escalated", "escalated", "已升级"
    RESOLVED = "resolved", "resolved", "已解决"
    REOPENED = "reopened", "reopened", "重新打开"
    CLOSED = "closed", "closed", "已关闭"


class CustomerVerdict(LabelledEnum):
    """The customer's verdict when a complaint is closed.

    Examples:
        >>> CustomerVerdict.DISSATISFIED.label("zh")
        '不满意'
    """

    SATISFIED = "satisfied", "satisfied", "满意"
    NEUTRAL = "neutral", "neutral", "一般"
    DISSATISFIED = "dissatisfied", "dissatisfied", "不满意"
