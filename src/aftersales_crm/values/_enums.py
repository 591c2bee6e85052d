"""Enumerations of the after-sales domain, each with English and Chinese labels.

Every enumeration is a [`LabelledEnum`][aftersales_crm.values.LabelledEnum]: a ``StrEnum`` whose *value* is a
stable English snake_case string (what records store and JSON carries, never translated
and never renamed between releases) and whose *labels* are words for people, in English
and in Chinese. Where the dealer training material (``Material``) names a thing, the
Chinese label is its word; each enumeration's docstring says which labels are the
material's and which the library's. The glossary page of the documentation lists the same
terms.

Examples:
    >>> from aftersales_crm.values._enums import ServiceKind
    >>> kind = ServiceKind("first_maintenance")
    >>> kind, kind.label("zh"), kind.label("en")
    (<ServiceKind.FIRST_MAINTENANCE: 'first_maintenance'>, '首保', 'first maintenance')
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, Self, get_args

from aftersales_crm.errors import InvalidValue

__all__ = [
    "FOLLOW_UP_DAYS",
    "ROUTINE_SERVICE_KINDS",
    "BodyType",
    "CompassSector",
    "ContactChannel",
    "ContactPurpose",
    "FuelType",
    "Gender",
    "LabelledEnum",
    "Lang",
    "PayType",
    "ServiceKind",
]

Lang = Literal["en", "zh"]
"""A language labels come in: ``"en"`` (English) or ``"zh"`` (simplified Chinese).

Examples:
    >>> from typing import get_args
    >>> get_args(Lang)
    ('en', 'zh')
"""

_LANGS: Final[tuple[Lang, ...]] = get_args(Lang)


class LabelledEnum(StrEnum):
    """A string enumeration whose members carry an English and a Chinese label.

    Subclasses declare each member as a ``(value, English label, Chinese label)`` tuple.
    The value stays a plain stable string, so members compare equal to it, work as
    dictionary keys next to it and survive JSON round trips through pydantic; the labels
    are data kept beside it, shown with [`label`][aftersales_crm.values.LabelledEnum.label].

    Examples:
        >>> class Light(LabelledEnum):
        ...     RED = "red", "red light", "红灯"
        ...     GREEN = "green", "green light", "绿灯"
        >>> Light.RED == "red", Light("green") is Light.GREEN
        (True, True)
        >>> Light.RED.label("zh"), Light.GREEN.label()
        ('红灯', 'green light')
    """

    _value_: str
    _labels: Mapping[Lang, str]

    if TYPE_CHECKING:
        # What callers see: ``ServiceKind("maintenance")`` looks a member up by its value.
        def __new__(cls, value: str) -> Self: ...

    else:
        # What the enum machinery calls once per member, with the declared tuple.
        def __new__(cls, value: str, en: str, zh: str) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member._labels = MappingProxyType({"en": en, "zh": zh})
            return member

    def label(self, lang: Lang = "en") -> str:
        """Return the member's label for people, in English or Chinese.

        Args:
            lang: ``"en"`` for English (the default) or ``"zh"`` for Chinese.

        Returns:
            The label in that language.

        Raises:
            InvalidValue: with code ``"label_language"`` for any other language.

        Examples:
            >>> ServiceKind.MAINTENANCE.label("zh"), ServiceKind.MAINTENANCE.label("en")
            ('保养', 'maintenance')
            >>> ServiceKind.MAINTENANCE.label("fr")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: labels come in 'en' or 'zh', not 'fr'
        """
        try:
            return self._labels[lang]
        except KeyError:
            raise InvalidValue(
                f"labels come in {' or '.join(map(repr, _LANGS))}, not {lang!r}",
                code="label_language",
            ) from None


class ServiceKind(LabelledEnum):
    """The kind of service a repair-order line delivers (接受服务类型).

    The twelve service types the training deck for follow-up staff lists among the dynamic
    customer data, in its words and order (《信息回访员基础培训分析报告》, 接受服务类型:
    "首保/保养/索赔/小修/大修/保险维修/钣喷自费/装饰/零件外购/救援/保险续保/代办年检"). The
    deck ends the list with "…"; the library stops at these twelve. A repair order may
    carry several kinds, one per line.

    Examples:
        >>> ServiceKind.FIRST_MAINTENANCE.label("zh")
        '首保'
        >>> ServiceKind("body_paint").label("en")
        'body and paint, self-pay'
        >>> ServiceKind.MINOR_REPAIR.is_routine, ServiceKind.FIRST_MAINTENANCE.is_routine
        (True, False)

    References:
        《信息回访员基础培训分析报告》 (变动的信息和动态管理: 接受服务类型).
    """

    FIRST_MAINTENANCE = "first_maintenance", "first maintenance", "首保"
    MAINTENANCE = "maintenance", "maintenance", "保养"
    WARRANTY_CLAIM = "warranty_claim", "warranty claim", "索赔"
    MINOR_REPAIR = "minor_repair", "minor repair", "小修"
    MAJOR_REPAIR = "major_repair", "major repair", "大修"
    INSURANCE_REPAIR = "insurance_repair", "insurance repair", "保险维修"
    BODY_PAINT = "body_paint", "body and paint, self-pay", "钣喷自费"
    ACCESSORIES = "accessories", "accessories and decoration", "装饰"
    PARTS_SALE = "parts_sale", "parts counter sale", "零件外购"
    ROADSIDE_RESCUE = "roadside_rescue", "roadside rescue", "救援"
    INSURANCE_RENEWAL = "insurance_renewal", "insurance renewal", "保险续保"
    INSPECTION_AGENCY = "inspection_agency", "annual inspection agency", "代办年检"

    @property
    def is_routine(self) -> bool:
        """Whether this kind counts as routine maintenance and repair for loyalty.

        True exactly for the members of [`ROUTINE_SERVICE_KINDS`][aftersales_crm.values.ROUTINE_SERVICE_KINDS].

        Examples:
            >>> ServiceKind.WARRANTY_CLAIM.is_routine, ServiceKind.PARTS_SALE.is_routine
            (True, False)
        """
        return self in ROUTINE_SERVICE_KINDS


ROUTINE_SERVICE_KINDS: Final[frozenset[ServiceKind]] = frozenset(
    {
        ServiceKind.MAINTENANCE,
        ServiceKind.MINOR_REPAIR,
        ServiceKind.MAJOR_REPAIR,
        ServiceKind.WARRANTY_CLAIM,
        ServiceKind.INSURANCE_REPAIR,
        ServiceKind.BODY_PAINT,
    }
)
"""Service kinds that count as "came back for routine maintenance and repair".

The training deck for follow-up staff judges loyalty by whether, after the first
maintenance, routine maintenance and repair come back to the workshop
(《信息回访员基础培训分析报告》: "以首保后,日常保养\\维修是否来厂为判断忠诚度依据"). Which of
its twelve service types count as 日常保养\\维修 is the library's reading: a visit counts
when the vehicle is in the workshop to be serviced or repaired, whoever pays:
maintenance, minor and major repair, warranty claims, insurance repair and self-pay body
and paint.

Left out on purpose: the first maintenance itself (the visit loyalty is measured *after*);
accessories and parts counter sales (retail, the car need not come in); roadside rescue
(an emergency, the customer does not choose the dealer); insurance renewal and annual
inspection agency (paperwork, not workshop work).

Examples:
    >>> sorted(kind.value for kind in ROUTINE_SERVICE_KINDS)  # doctest: +NORMALIZE_WHITESPACE
    ['body_paint', 'insurance_repair', 'maintenance', 'major_repair', 'minor_repair',
     'warranty_claim']
    >>> ServiceKind.FIRST_MAINTENANCE in ROUTINE_SERVICE_KINDS
    False

References:
    《信息回访员基础培训分析报告》 (忠诚度类别; 接受服务类型).
"""


class PayType(LabelledEnum):
    """Who pays for a repair-order line (付费方式).

    Examples:
        >>> PayType.CUSTOMER.label("zh"), PayType("goodwill").label("en")
        ('客户自费', 'goodwill')

    The payers are the library's choice, the split dealer management systems keep. Three
    of them stand behind service types of the material (《信息回访员基础培训分析报告》:
    "索赔", "保险维修", "钣喷自费": warranty claim, insurance repair, self-pay body and
    paint); internal, goodwill and recall work are the library's additions.

    References:
        《信息回访员基础培训分析报告》 (接受服务类型); otherwise the library's choice.
    """

    CUSTOMER = "customer", "customer pay", "客户自费"
    WARRANTY = "warranty", "warranty", "保修"
    INSURANCE = "insurance", "insurance", "保险"
    INTERNAL = "internal", "internal", "内部"
    GOODWILL = "goodwill", "goodwill", "善意"
    RECALL = "recall", "recall", "召回"


class Gender(LabelledEnum):
    """The gender of an owner (性别), as master data records it.

    ``UNKNOWN`` is for records that do not say (fleet customers, incomplete data); it is
    never inferred.

    Examples:
        >>> Gender.FEMALE.label("zh"), Gender("unknown").label("en")
        ('女', 'unknown')

    References:
        《信息回访员基础培训分析报告》 (车主信息: "姓名/性别/身份证号/职业/生日"); the CSI
        course (客户分类: "性别分类", gender as a segmentation dimension).
    """

    MALE = "male", "male", "男"
    FEMALE = "female", "female", "女"
    UNKNOWN = "unknown", "unknown", "未知"


class BodyType(LabelledEnum):
    """The body type of a vehicle (车身类型).

    Examples:
        >>> BodyType.SEDAN.label("zh"), BodyType.SUV.label("zh"), BodyType.WAGON.label("en")
        ('轿车', 'SUV', 'estate (wagon)')

    The first four are the material's (《汽车售后客户关系管理》, segmentation by type of car
    bought: "轿车、SUV、MPV、跑车等"); the others, which its "等" leaves open, are the
    library's choice.

    References:
        《汽车售后客户关系管理》 (客户细分方法与标准: 按照购车类型细分).
    """

    SEDAN = "sedan", "sedan", "轿车"
    SUV = "suv", "SUV", "SUV"
    MPV = "mpv", "MPV", "MPV"
    SPORTS = "sports", "sports car", "跑车"
    HATCHBACK = "hatchback", "hatchback", "两厢车"
    WAGON = "wagon", "estate (wagon)", "旅行车"
    PICKUP = "pickup", "pickup truck", "皮卡"
    VAN = "van", "van", "厢式车"


class FuelType(LabelledEnum):
    """The energy a vehicle runs on (能源类型).

    Examples:
        >>> FuelType.PLUG_IN_HYBRID.label("zh"), FuelType.PLUG_IN_HYBRID.is_new_energy
        ('插电混动', True)
        >>> FuelType.HYBRID.is_new_energy
        False

    The material does not name fuel types; the list is the library's choice, and which of
    them are new-energy vehicles is China's definition.

    References:
        MIIT Order No. 39 (2017), 新能源汽车生产企业及产品准入管理规定, Article 3 (definition
        of new-energy vehicles).
    """

    PETROL = "petrol", "petrol", "汽油"
    DIESEL = "diesel", "diesel", "柴油"
    HYBRID = "hybrid", "hybrid (non-plug-in)", "油电混合"
    PLUG_IN_HYBRID = "plug_in_hybrid", "plug-in hybrid", "插电混动"
    BATTERY_ELECTRIC = "battery_electric", "battery electric", "纯电动"
    EXTENDED_RANGE = "extended_range", "extended-range electric", "增程式"
    FUEL_CELL = "fuel_cell", "fuel cell", "燃料电池"

    @property
    def is_new_energy(self) -> bool:
        """Whether a vehicle of this fuel type is a new-energy vehicle (新能源汽车).

        China's definition (MIIT Order No. 39, 2017, Article 3) covers plug-in hybrids
        including extended-range vehicles, battery electric vehicles and fuel-cell vehicles.
        Hybrids that cannot be plugged in are not new-energy vehicles.

        Examples:
            >>> [f.value for f in FuelType if f.is_new_energy]
            ['plug_in_hybrid', 'battery_electric', 'extended_range', 'fuel_cell']
        """
        return self in _NEW_ENERGY_FUEL_TYPES


_NEW_ENERGY_FUEL_TYPES: Final[frozenset[FuelType]] = frozenset(
    {
        FuelType.PLUG_IN_HYBRID,
        FuelType.BATTERY_ELECTRIC,
        FuelType.EXTENDED_RANGE,
        FuelType.FUEL_CELL,
    }
)


class ContactChannel(LabelledEnum):
    """How the dealer and a customer are in touch (联系渠道).

    ``MESSAGING_APP`` covers instant messaging such as WeChat; ``VISIT`` is in person, at
    the dealer or at the customer's place.

    Examples:
        >>> ContactChannel.SMS.label("zh"), ContactChannel.MESSAGING_APP.label("en")
        ('短信', 'messaging app')

    References:
        《信息回访员基础培训分析报告》 (车主信息: "手机/家庭电话/办公电话/E-MAIL/传真"; care
        calls and 3DC/7DC follow-up calls). Messaging apps and visits are the library's
        additions.
    """

    PHONE = "phone", "phone", "电话"
    SMS = "sms", "SMS", "短信"
    MESSAGING_APP = "messaging_app", "messaging app", "即时通讯"
    EMAIL = "email", "e-mail", "电子邮件"
    POST = "post", "post", "邮寄"
    VISIT = "visit", "in person", "到店/上门"


class ContactPurpose(LabelledEnum):
    """Why the dealer or the customer made a contact (联系目的).

    ``FOLLOW_UP_3D`` and ``FOLLOW_UP_7D`` are the calls 3 and 7 days after delivery (3DC,
    7DC); ``FOLLOW_UP`` is any other follow-up.

    Examples:
        >>> ContactPurpose.FOLLOW_UP_3D.label("zh"), ContactPurpose.FOLLOW_UP_3D.label("en")
        ('三日回访', '3-day follow-up (3DC)')

    References:
        The CSI course (客户信息库: "关怀记录、访问记录", "投诉记录、招揽记录",
        "问询记录、预约记录"); 《信息回访员基础培训分析报告》 ("售出后的3DC7DC回访",
        "车主生日祝贺"). Surveys, activity invitations and reminders are the library's names for
        care the material describes in prose.
    """

    CARE = "care", "care", "关怀"
    FOLLOW_UP_3D = "follow_up_3d", "3-day follow-up (3DC)", "三日回访"
    FOLLOW_UP_7D = "follow_up_7d", "7-day follow-up (7DC)", "七日回访"
    FOLLOW_UP = "follow_up", "follow-up", "回访"
    SOLICITATION = "solicitation", "solicitation", "招揽"
    INQUIRY = "inquiry", "inquiry", "问询"
    APPOINTMENT = "appointment", "appointment", "预约"
    COMPLAINT = "complaint", "complaint", "投诉"
    SURVEY = "survey", "survey", "调查"
    ACTIVITY_INVITATION = "activity_invitation", "activity invitation", "活动邀约"
    BIRTHDAY = "birthday", "birthday greeting", "生日关怀"
    REMINDER = "reminder", "reminder", "提醒"


FOLLOW_UP_DAYS: Final[Mapping[ContactPurpose, int]] = MappingProxyType(
    {ContactPurpose.FOLLOW_UP_3D: 3, ContactPurpose.FOLLOW_UP_7D: 7}
)
"""Days after a delivery on which each follow-up call is due: 3DC and 7DC (回访).

After a vehicle is handed back, the dealer calls the customer on the 3rd and on the 7th
day to ask how the car runs and how the service felt. The training deck for follow-up
staff 《信息回访员基础培训分析报告》 lists, among the care woven into the workflow,
"售出后的3DC7DC回访" (the 3DC and 7DC calls after the sale); the days are those the names
3DC and 7DC stand for. Keys are in the order of the calls.

Examples:
    >>> FOLLOW_UP_DAYS[ContactPurpose.FOLLOW_UP_3D]
    3
    >>> [(purpose.label("zh"), days) for purpose, days in FOLLOW_UP_DAYS.items()]
    [('三日回访', 3), ('七日回访', 7)]
"""


class CompassSector(LabelledEnum):
    """A compass sector around a place, clockwise from north (方位).

    Members are in clockwise order starting at north, so ``list(CompassSector).index(s)``
    is the integer code [`sector_codes`][aftersales_crm.values.sector_codes] returns. With four winds
    only the cardinal sectors occur; with eight winds the intercardinal ones too.

    Examples:
        >>> [s.label("zh") for s in CompassSector]
        ['北', '东北', '东', '东南', '南', '西南', '西', '西北']
        >>> CompassSector.NORTH_EAST.label("en")
        'north-east'

    References:
        The CSI course (客户分类–区域分类: "东方区域客户", "南方区域客户", "西方区域客户",
        "北方区域客户", the four sectors around the dealer). The intercardinal sectors are
        the library's addition.
    """

    NORTH = "north", "north", "北"
    NORTH_EAST = "north_east", "north-east", "东北"
    EAST = "east", "east", "东"
    SOUTH_EAST = "south_east", "south-east", "东南"
    SOUTH = "south", "south", "南"
    SOUTH_WEST = "south_west", "south-west", "西南"
    WEST = "west", "west", "西"
    NORTH_WEST = "north_west", "north-west", "西北"
