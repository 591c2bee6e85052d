"""The dealer training material the library's rules come from, and quotes from it.

Five Chinese training documents for dealer after-sales staff state most of the rules this
library encodes. [`Material`][aftersales_crm.values.Material] names each by its title; a [`Quote`][aftersales_crm.values.Quote] keeps a short
passage word for word, with an English translation, so that a policy can carry the
material's own wording as data (and show it in its report) instead of paraphrasing it.
The documentation page *How the library reads the training material* lists every rule
taken from them.

Examples:
    >>> quote = Quote(Material.AFTERSALES_CRM, "频繁使用者", "frequent user")
    >>> print(quote)
    《汽车售后客户关系管理》: “频繁使用者”
    >>> quote.source.label("en")
    'Automotive after-sales customer relationship management'
"""

from __future__ import annotations

import attrs

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values._enums import LabelledEnum, Lang

__all__ = ["Material", "Quote"]


class Material(LabelledEnum):
    """A training document of the material, by its title (Chinese label) and in English.

    * ``CSI_COURSE``: a dealer course on customer relationships and CSI, eight chapters
      from 客户关系概述 to CSI与服务标准. The copy carries no title; the labels name it by
      its content. Value ABC classes, vehicle-age bands, regions, CSI factors, 一次修复率.
    * ``OWNERS_CLUB``: 斯柯达车友汇客户关爱总监培训教材 (服务策略科, 2010-06-17). The owners'
      club, the customer value model and the loyalty × value matrix with its strategies.
    * ``AFTERSALES_CRM``: 汽车售后客户关系管理. Customer records, complaints, segmentation
      by consumption ability and usage habit.
    * ``FOLLOW_UP_CALLS``: 信息回访员基础培训分析报告. Follow-up calls, static and dynamic
      customer data, the loyalty category, member cards, complaint handling.
    * ``SERVICE_RELATIONS``: 客户服务关系管理. Moments of truth, the service-quality gap
      model, follow-up and complaint handling.

    Examples:
        >>> Material.FOLLOW_UP_CALLS.label("zh")
        '信息回访员基础培训分析报告'
        >>> Material.OWNERS_CLUB.citation
        '《斯柯达车友汇客户关爱总监培训教材》'

    References:
        The five documents themselves; the documentation page *How the library reads the
        training material* quotes each rule taken from them.
    """

    CSI_COURSE = (
        "csi_course",
        "Customer relationships and CSI, a dealer course (untitled)",
        "客户关系与CSI培训课程(原件无标题)",
    )
    OWNERS_CLUB = (
        "owners_club",
        "Škoda owners' club: training for customer-care directors",
        "斯柯达车友汇客户关爱总监培训教材",
    )
    AFTERSALES_CRM = (
        "aftersales_crm",
        "Automotive after-sales customer relationship management",
        "汽车售后客户关系管理",
    )
    FOLLOW_UP_CALLS = (
        "follow_up_calls",
        "Basic training for information and follow-up callers",
        "信息回访员基础培训分析报告",
    )
    SERVICE_RELATIONS = (
        "service_relations",
        "Customer service relationship management",
        "客户服务关系管理",
    )

    @property
    def citation(self) -> str:
        """The Chinese title in title marks, as a citation shows it.

        Examples:
            >>> Material.AFTERSALES_CRM.citation
            '《汽车售后客户关系管理》'
        """
        return f"《{self.label('zh')}》"


@attrs.frozen
class Quote:
    """A short passage of the training material, word for word, with a translation.

    Attributes:
        source: the document it is taken from.
        text: the passage exactly as the document has it, in Chinese.
        english: a faithful English translation.

    Raises:
        InvalidValue: ``source`` is not a [`Material`][aftersales_crm.values.Material], or a text is empty.

    Examples:
        >>> focus_a = Quote(Material.CSI_COURSE, "重点抓A类客户", "focus on class A customers")
        >>> focus_a.text, focus_a.in_("en")
        ('重点抓A类客户', 'focus on class A customers')
        >>> Quote("seed", "x", "y")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Quote source is 'seed' (str), expected a Material
    """

    source: Material
    text: str
    english: str

    def __attrs_post_init__(self) -> None:
        """Check the source and that neither text is empty."""
        source: object = self.source
        if not isinstance(source, Material):
            msg = f"Quote source is {source!r} ({type(source).__name__}), expected a Material"
            raise InvalidValue(msg, code="invalid_quote")
        for name in ("text", "english"):
            value: object = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                msg = f"Quote {name} is {value!r}, expected a non-empty string"
                raise InvalidValue(msg, code="invalid_quote")

    def in_(self, lang: Lang = "zh") -> str:
        """The passage in ``lang``: the original Chinese, or the English translation.

        Examples:
            >>> Quote(Material.OWNERS_CLUB, "D钻石客户", "D diamond customers").in_()
            'D钻石客户'
        """
        return self.text if lang == "zh" else self.english

    def __str__(self) -> str:
        """The citation: the document's title and the passage in quotation marks."""
        return f"{self.source.citation}: “{self.text}”"
