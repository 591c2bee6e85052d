"""Enumerations of records: customer kinds, consent, contact outcomes, complaints, club lapses."""

from __future__ import annotations

from aftersales_crm.values import LabelledEnum

__all__ = [
    "ComplaintAction",
    "ComplaintCategory",
    "ConsentPurpose",
    "ContactOutcome",
    "CustomerKind",
    "CustomerVerdict",
    "LapseReason",
    "Severity",
    "StaffRole",
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
    """What a customer agreed to be contacted for.

    The purposes are the library's choice. The training material asks dealers to keep
    customer data safe (《汽车售后客户关系管理》: "信息安全", "隐私保护") but says nothing of
    consent; China's Personal Information Protection Law (个人信息保护法, 2021, Article 13)
    makes consent the ordinary basis for using personal data, so the library records it per
    purpose.

    Examples:
        >>> ConsentPurpose.SERVICE_REMINDER.label("zh")
        '服务提醒'

    References:
        《汽车售后客户关系管理》 (客户信息安全与隐私保护); Personal Information Protection Law
        of the People's Republic of China (2021), Article 13.
    """

    SERVICE_REMINDER = "service_reminder", "service reminders", "服务提醒"
    MARKETING = "marketing", "marketing", "营销"
    SURVEY = "survey", "surveys", "满意度调查"


class ContactOutcome(LabelledEnum):
    """How a contact attempt ended.

    The first five outcomes are the library's choice, the plain results of a call. The
    last four are the customers the training deck for follow-up staff finds hard to deal
    with on the phone, in its words (《信息回访员基础培训分析报告》: "描述电话客户会有哪些情况
    比较难对付?"), so that a call centre can record *why* a call came to nothing:

    * ``NO_TIME``: "没时间" (has no time);
    * ``IGNORES_UNKNOWN_NUMBERS``: "对不熟悉的电话不接" (does not answer unfamiliar
      numbers). The deck gives the reason first: "很多电话骚扰,对不熟悉的电话不接"
      (plagued by nuisance calls, does not answer unfamiliar numbers);
    * ``UNSPOKEN_GRIEVANCE``: "心存抱怨又不想投诉" (holds a grievance but does not want to
      complain);
    * ``SEES_NO_BENEFIT``: "觉得回访对自己无益处" (feels the follow-up call does them no
      good).

    [`is_hard_to_reach`][aftersales_crm.records.ContactOutcome.is_hard_to_reach] tells these four apart. They come after the first five, so
    the table codes of the first five are unchanged.

    Examples:
        >>> ContactOutcome.DO_NOT_CONTACT.label("zh")
        '要求勿扰'
        >>> ContactOutcome.NO_TIME.label("zh"), ContactOutcome.NO_TIME.is_hard_to_reach
        ('没时间', True)

    References:
        《信息回访员基础培训分析报告》, 电话沟通与抗拒处理 (phone communication and handling
        resistance).
    """

    REACHED = "reached", "reached", "已接通"
    NO_ANSWER = "no_answer", "no answer", "无人接听"
    REFUSED = "refused", "refused", "拒绝"
    WRONG_NUMBER = "wrong_number", "wrong number", "号码错误"
    DO_NOT_CONTACT = "do_not_contact", "asked not to be contacted", "要求勿扰"
    NO_TIME = "no_time", "has no time", "没时间"
    IGNORES_UNKNOWN_NUMBERS = (
        "ignores_unknown_numbers",
        "does not answer unfamiliar numbers",
        "对不熟悉的电话不接",
    )
    UNSPOKEN_GRIEVANCE = (
        "unspoken_grievance",
        "holds a grievance but does not want to complain",
        "心存抱怨又不想投诉",
    )
    SEES_NO_BENEFIT = (
        "sees_no_benefit",
        "feels the follow-up call does them no good",
        "觉得回访对自己无益处",
    )

    @property
    def is_hard_to_reach(self) -> bool:
        """Whether this is one of the four hard-to-reach customers of the follow-up deck.

        Examples:
            >>> [o.value for o in ContactOutcome if o.is_hard_to_reach]
            ['no_time', 'ignores_unknown_numbers', 'unspoken_grievance', 'sees_no_benefit']
        """
        return self in _HARD_TO_REACH


class ComplaintCategory(LabelledEnum):
    """What a complaint is about.

    《汽车售后客户关系管理》 names three things complaints and feedback are about:
    "维修保养服务、产品质量、服务态度" (maintenance and repair service, product quality,
    service attitude). ``PRODUCT_QUALITY`` (产品质量) and ``STAFF_ATTITUDE`` (服务态度) are
    two of them, in the material's words. The material's third, 维修保养服务, the library
    splits into finer categories of its own choice, each a part of the service the CSI
    course names as what customers expect: ``REPAIR_QUALITY`` (维修质量, "高质量的维修服务"),
    ``WAITING_TIME`` (等待时间, "按许诺的时间交车"), ``PRICE`` (价格, "合理的收费项目"),
    ``PARTS`` (配件供应, "质量可靠的配件") and ``FACILITY`` (服务设施, a CSI factor).
    ``OTHER`` is the library's. ``PRODUCT_QUALITY`` comes after ``OTHER`` so that the
    table codes of the older members are unchanged.

    Examples:
        >>> ComplaintCategory.WAITING_TIME.label("zh")
        '等待时间'
        >>> ComplaintCategory.PRODUCT_QUALITY.label("zh")
        '产品质量'

    References:
        《汽车售后客户关系管理》 (投诉与反馈记录); the CSI course (以客户为中心的经营观念,
        客户对售后服务的期望, CSI因子分析).
    """

    REPAIR_QUALITY = "repair_quality", "repair quality", "维修质量"
    WAITING_TIME = "waiting_time", "waiting time", "等待时间"
    PRICE = "price", "price", "价格"
    STAFF_ATTITUDE = "staff_attitude", "service attitude", "服务态度"
    PARTS = "parts", "parts availability", "配件供应"
    FACILITY = "facility", "facility", "服务设施"
    OTHER = "other", "other", "其他"
    PRODUCT_QUALITY = "product_quality", "product quality", "产品质量"


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
    """A step in a complaint's life: acknowledged, in progress, escalated, resolved, reopened, closed.

    The steps follow the handling 《汽车售后客户关系管理》 describes: a channel that takes
    complaints in and answers promptly ("设立专门的客户抱怨受理渠道,及时响应客户投诉"), a
    hand-over to the department concerned ("将客户抱怨反馈给相关部门进行处理"), and a
    satisfaction check once handled ("满意度跟踪调查"). Reopening is the library's choice.

    ``IN_PROGRESS`` (处理中) is the hand-over: the department concerned is working on the
    complaint. ``ESCALATED`` (已升级) is a step *within* in progress, not a state of its
    own: the complaint goes up to a manager or the maker and stays in progress, so an
    escalated complaint is still waiting for its resolution and its SLA clock runs on.
    The library chose this so that escalating is recorded (who, when) without adding a
    state every rule would have to handle. ``IN_PROGRESS`` comes last so that the table
    codes of the older members are unchanged. Which step may follow which is the table
    [`aftersales_crm.complaints.TRANSITIONS`][aftersales_crm.complaints.TRANSITIONS].

    Examples:
        >>> ComplaintAction.ESCALATED.label("zh"), ComplaintAction.IN_PROGRESS.label("zh")
        ('已升级', '处理中')

    References:
        《汽车售后客户关系管理》 (客户抱怨处理与满意度提升).
    """

    ACKNOWLEDGED = "acknowledged", "acknowledged", "已受理"
    ESCALATED = "escalated", "escalated", "已升级"
    RESOLVED = "resolved", "resolved", "已解决"
    REOPENED = "reopened", "reopened", "重新打开"
    CLOSED = "closed", "closed", "已关闭"
    IN_PROGRESS = "in_progress", "in progress", "处理中"


class CustomerVerdict(LabelledEnum):
    """The customer's verdict when a complaint is closed.

    Examples:
        >>> CustomerVerdict.DISSATISFIED.label("zh")
        '不满意'
    """

    SATISFIED = "satisfied", "satisfied", "满意"
    NEUTRAL = "neutral", "neutral", "一般"
    DISSATISFIED = "dissatisfied", "dissatisfied", "不满意"


_HARD_TO_REACH: frozenset[ContactOutcome] = frozenset(
    {
        ContactOutcome.NO_TIME,
        ContactOutcome.IGNORES_UNKNOWN_NUMBERS,
        ContactOutcome.UNSPOKEN_GRIEVANCE,
        ContactOutcome.SEES_NO_BENEFIT,
    }
)


class LapseReason(LabelledEnum):
    """Why a member left the owners' club, or an application ended without joining.

    The training material watches members who are lost (《斯柯达车友汇客户关爱总监培训教材》:
    "会员流失状况的监控") but names no reasons; the reasons are the library's choice, so that
    a chapter can tell a member who asked to leave from one who drifted away.

    Examples:
        >>> LapseReason.LOST.label("zh"), LapseReason.WITHDRAWN.label("en")
        ('流失', 'application withdrawn')
    """

    LEFT = "left", "left the club", "主动退会"
    LOST = "lost", "lost touch", "流失"
    VEHICLE_SOLD = "vehicle_sold", "sold the vehicle", "车辆转让"
    WITHDRAWN = "withdrawn", "application withdrawn", "撤回申请"
    OTHER = "other", "other", "其他"


class StaffRole(LabelledEnum):
    """The part a dealer's staff member plays, as a staff survey response records it.

    Gap 1 of the gap model (《客户服务关系管理》) sets customers' expectations against
    "管理层对顾客期望的直觉", management's perception of them, and its remedies ask managers
    to talk with customers ("要求经理们同顾客交流"); the front line that meets customers is the
    service advisor (服务顾问, a factor of the CSI course). The roles are the library's choice,
    so that the staff answers can be read for managers alone or with the front line.

    Examples:
        >>> StaffRole.MANAGER.label("zh"), StaffRole("advisor").label()
        ('经理', 'service advisor')
    """

    MANAGER = "manager", "manager", "经理"
    ADVISOR = "advisor", "service advisor", "服务顾问"
    OTHER = "other", "other staff", "其他员工"
