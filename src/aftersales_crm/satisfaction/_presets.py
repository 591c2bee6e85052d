"""The versioned preset instruments and the registry of built-in instruments.

Each preset is a module constant whose docstring cites its source. The registry
[`INSTRUMENTS`][aftersales_crm.satisfaction.INSTRUMENTS] maps each preset's key (``"china_csi@2015"``) to it: survey facts name
their instrument by that key's two parts, and [`get_instrument`][aftersales_crm.satisfaction.get_instrument] finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import UnknownNameError
from aftersales_crm.satisfaction._instruments import (
    ELEVEN_POINT,
    SEVEN_POINT,
    TEN_POINT,
    Asks,
    Factor,
    Instrument,
    Item,
)

__all__ = [
    "CSI_CHINA_2014",
    "CSI_CHINA_2015",
    "CSI_CHINA_2024",
    "INSTRUMENTS",
    "NPS_SURVEY",
    "SERVQUAL",
    "SERVQUAL_1988",
    "SSI_SIX_FACTOR",
    "get_instrument",
]


def _items(prefix: str, *texts: tuple[str, str, str]) -> tuple[Item, ...]:
    return tuple(Item(f"{prefix}_{key}", zh, en, TEN_POINT) for key, zh, en in texts)


_CSI_FACTORS: Final = (
    Factor(
        "service_initiation",
        "服务启动",
        "service initiation",
        _items(
            "si",
            ("easy_appointment", "预约简单方便", "easy to make an appointment"),
            (
                "flexible_time",
                "灵活地配合您需要的预约时间",
                "an appointment time that fits your needs",
            ),
            ("quick_reception", "接车过程迅速", "quick vehicle reception"),
        ),
    ),
    Factor(
        "service_advisor",
        "服务顾问",
        "service advisor",
        _items(
            "sa",
            ("courtesy", "服务顾问礼貌/友善", "courteous and friendly advisor"),
            ("responsiveness", "服务顾问有求必应", "advisor responsive to every request"),
            ("explanation", "对维修保养的内容解释详细", "thorough explanation of the work"),
        ),
    ),
    Factor(
        "service_facility",
        "服务设施",
        "service facility",
        _items(
            "sf",
            ("easy_access", "容易驶进/驶出经销商处/服务站处", "easy to drive in and out"),
            ("location", "经销商/服务站所处位置便利", "convenient location"),
            ("clean", "经销商/服务站干净整洁", "clean and tidy premises"),
            ("lounge", "服务休息处舒适", "comfortable customer lounge"),
        ),
    ),
    Factor(
        "vehicle_pickup",
        "服务后取车",
        "vehicle pick-up",
        _items(
            "vp",
            ("on_time", "按许诺的时间交车", "vehicle ready at the promised time"),
            (
                "charges_explained",
                "交车时解释维修内容和收费",
                "work and charges explained at pick-up",
            ),
            ("quick_handover", "交车过程迅速", "quick hand-over"),
        ),
    ),
    Factor(
        "service_quality",
        "服务质量",
        "service quality",
        _items(
            "sq",
            ("fixed_first_time", "一次修好车辆", "vehicle fixed right the first time"),
            ("reasonable_time", "在合理的时间内修好", "repaired within a reasonable time"),
            ("returned_clean", "交还的车辆干净", "vehicle returned clean"),
        ),
    ),
)

_CSI_SOURCE: Final = (
    "J.D. Power Asia Pacific, China Customer Service Index (CSI) Study; factor names and the"
    " service-initiation, service-advisor and service-facility attributes as the CSI course"
    " lists them (CSI因子分析); the pick-up and quality items are the library's"
)

CSI_CHINA_2014: Final = Instrument(
    "china_csi",
    "2014",
    _CSI_FACTORS,
    weights=(17, 18, 21, 21, 24),
    name_en="J.D. Power China CSI, 2014 weights",
    name_zh="J.D. Power中国售后服务满意度(CSI),2014年权重",
    source=_CSI_SOURCE + "; weights of the 2014 study",
)
"""The China CSI five-factor set with the published weights of the 2014 study.

Factors (in this order): service initiation 服务启动 17 %, service advisor 服务顾问 18 %,
service facility 服务设施 21 %, vehicle pick-up 服务后取车 21 %, service quality 服务质量
24 %. The published weights sum to 101 % (rounding); [`Instrument.factor_weights`][aftersales_crm.satisfaction.Instrument.factor_weights]
divides them by 101.

The factor names are the CSI course's (售后服务满意度CSI(服务启动、服务顾问、服务后取车、
服务设施(中心)、服务质量)); the items of the first three factors are the attributes its
factor analysis lists (预约简单方便, 服务顾问礼貌/友善, 服务休息处舒适…). The course's slides on
pick-up and quality are missing from the copy, so those six items are the library's, written
from the course's list of what customers expect (按许诺的时间交车, 一次修好车辆…). Every item is
rated on 1–10.

References:
    J.D. Power Asia Pacific, *2014 China Customer Service Index (CSI) Study*, press release
    (2014). The CSI course (第七章 CSI体系, CSI因子分析).
"""

CSI_CHINA_2015: Final = Instrument(
    "china_csi",
    "2015",
    _CSI_FACTORS,
    weights=(19, 19, 20, 20, 22),
    name_en="J.D. Power China CSI, 2015 weights",
    name_zh="J.D. Power中国售后服务满意度(CSI),2015年权重",
    source=_CSI_SOURCE + "; weights of the 2015 study",
)
"""The China CSI five-factor set with the published weights of the 2015 study.

Service initiation 19 %, service advisor 19 %, service facility 20 %, vehicle pick-up 20 %,
service quality 22 % (sum 100). Items and factors as [`CSI_CHINA_2014`][aftersales_crm.satisfaction.CSI_CHINA_2014].

References:
    J.D. Power Asia Pacific, *2015 China Customer Service Index (CSI) Study*, press release
    (2015).
"""


def _overall(key: str, zh: str, en: str) -> Factor:
    """A factor with one overall item, ``<key>_overall``, rated on 1–10."""
    return Factor(
        key,
        zh,
        en,
        (Item(f"{key}_overall", f"对{zh}的总体评价", f"overall rating of {en}", TEN_POINT),),
    )


CSI_CHINA_2024: Final = Instrument(
    "china_csi",
    "2024",
    (
        _overall("service_facility", "服务设施", "the service facility"),
        _overall("service_team", "服务团队", "the service team"),
        _overall("welcome_diagnostics", "接待与诊断", "welcome and diagnostics"),
        _overall("service_quality", "服务质量", "service quality"),
        _overall("service_value", "服务价值", "service value"),
        _overall("reservation", "预约", "reservation"),
    ),
    name_en="J.D. Power China CSI, 2024 six-factor set",
    name_zh="J.D. Power中国售后服务满意度(CSI),2024年六因子",
    source="J.D. Power, 2024 China Customer Service Index (CSI) Study: factor names only",
)
"""The six factors of the 2024 China CSI study, names only.

Service facility, service team, welcome & diagnostics, service quality, service value and
reservation. No weights were published, so a CSI index on this set needs weights supplied
(``CsiIndex(weights=...)``) or derived by key-driver analysis; without them
[`Instrument.factor_weights`][aftersales_crm.satisfaction.Instrument.factor_weights] raises. The study publishes no attribute list either: each
factor has one overall item on 1–10, and the Chinese factor names are the library's
translation.

References:
    J.D. Power, *2024 China Customer Service Index (CSI) Study*, press release (2024).
"""

SSI_SIX_FACTOR: Final = Instrument(
    "ssi",
    "six_factor",
    (
        _overall("dealer_facility", "经销商设施", "the dealer facility"),
        _overall("deal", "交易条件", "the deal"),
        _overall("salesperson", "销售人员", "the salesperson"),
        _overall("paperwork", "书面文件", "the paperwork"),
        _overall("delivery_timing", "交车时间", "the delivery timing"),
        _overall("delivery_process", "交车过程", "the delivery process"),
    ),
    name_en="Sales Satisfaction Index (SSI), six factors",
    name_zh="销售满意度SSI(六因子)",
    source="the CSI course's SSI factors; J.D. Power Asia Pacific six-factor SSI",
)
"""The six-factor sales satisfaction index (SSI), by the CSI course's labels, in its order.

销售满意度SSI(经销商设施、交易条件、销售人员、书面文件、交车时间、交车过程等): dealer
facility, deal, salesperson, paperwork, delivery timing and delivery process; J.D. Power Asia
Pacific's SSIs of the 2000s used these six factors. No weights of that set were published;
each factor has one overall item on 1–10 (the library's choice).

References:
    The CSI course (第六章 CSI原则与思路, 客户满意度构成). J.D. Power Asia Pacific, Malaysia
    Sales Satisfaction Index Study (2005), press release.
"""

_SERVQUAL_DIMENSIONS: Final = (
    ("tangibles", "有形性", "tangibles", 4),
    ("reliability", "可靠性", "reliability", 5),
    ("responsiveness", "响应性", "responsiveness", 4),
    ("assurance", "保证性", "assurance", 4),
    ("empathy", "移情性", "empathy", 5),
)
"""Dimension, names, and how many of the 22 items it has (1–4, 5–9, 10–13, 14–17, 18–22)."""

_SERVQUAL_TEXTS: Final = (
    ("维修设备先进", "The workshop's equipment is up to date."),
    ("服务场所美观", "The premises look appealing."),
    ("员工着装整洁", "The staff look neat."),
    ("单据资料清楚美观", "Paperwork and leaflets look clear and tidy."),
    ("承诺的时限内完成", "What is promised by a certain time is done by then."),
    ("真心帮助解决问题", "When I have a problem, the staff really try to solve it."),
    ("第一次就做好", "The work is done right the first time."),
    ("按承诺的时间提供服务", "The service is delivered when promised."),
    ("记录准确无误", "Records and invoices are free of errors."),
    ("告知服务的确切时间", "The staff tell me exactly when the work will be done."),
    ("服务迅速", "The staff serve me promptly."),
    ("乐于帮助", "The staff are always willing to help."),
    ("再忙也及时回应", "The staff are never too busy to answer my requests."),
    ("言行让人信任", "The staff's conduct gives me confidence."),
    ("交易让人放心", "I feel safe in my dealings with the dealer."),
    ("始终礼貌", "The staff are always courteous."),
    ("有足够的专业知识", "The staff know enough to answer my questions."),
    ("给予个别关注", "The dealer gives me individual attention."),
    ("营业时间方便", "The opening hours suit me."),
    ("员工给予个人关怀", "The staff give me personal attention."),
    ("把客户利益放在心上", "The dealer has my interests at heart."),
    ("理解客户的具体需要", "The staff understand my particular needs."),
)
"""The library's own short paraphrases of the 22 attributes (not the published wording)."""

_SERVQUAL_1988_NEGATIVE: Final = {
    10: ("不告知服务的确切时间", "The staff do not tell me when the work will be done."),
    11: ("服务不够迅速", "I cannot expect prompt service from the staff."),
    12: ("不总是乐于帮助", "The staff are not always willing to help."),
    13: ("太忙而顾不上回应", "The staff are too busy to answer my requests."),
    18: ("不给予个别关注", "The dealer does not give me individual attention."),
    19: ("营业时间不方便", "The opening hours do not suit me."),
    20: ("员工不给予个人关怀", "The staff do not give me personal attention."),
    21: ("不把客户利益放在心上", "The dealer does not have my interests at heart."),
    22: ("不理解客户的具体需要", "The staff do not understand my particular needs."),
}
"""The 1988 negatively worded items (responsiveness 10–13 and empathy 18–22), paraphrased."""


def _servqual(negative: Mapping[int, tuple[str, str]]) -> tuple[Factor, ...]:
    factors = []
    number = 1
    for key, zh, en, count in _SERVQUAL_DIMENSIONS:
        items = []
        for n in range(number, number + count):
            text_zh, text_en = negative.get(n, _SERVQUAL_TEXTS[n - 1])
            items.append(
                Item(f"sq{n:02d}", text_zh, text_en, SEVEN_POINT, Asks.BOTH, reverse=n in negative)
            )
        factors.append(Factor(key, zh, en, items))
        number += count
    return tuple(factors)


SERVQUAL: Final = Instrument(
    "servqual",
    "1991",
    _servqual({}),
    name_en="SERVQUAL, 22 paired items (1991 wording)",
    name_zh="SERVQUAL服务质量量表(22项,1991年版)",
    source="Parasuraman, Berry & Zeithaml (1991), Refinement and reassessment of the SERVQUAL scale",
)
"""SERVQUAL: 22 paired items (expectation and perception) in five dimensions, on 1–7.

Tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17, empathy 18–22; every
item asks both the expectation and the perception ([`Asks.BOTH`][aftersales_crm.satisfaction.Asks.BOTH]) on a 7-point agreement
scale. The 1991 revision words every item positively, so none is reverse-scored. The item
texts are the library's short paraphrases of the attributes, not the published wording.
The respondent's 100 importance points are given per dimension (factor id).

References:
    Parasuraman, A., Berry, L. L. & Zeithaml, V. A. (1991). Refinement and reassessment of
    the SERVQUAL scale. *Journal of Retailing*, 67(4), 420–450.
"""

SERVQUAL_1988: Final = Instrument(
    "servqual",
    "1988",
    _servqual(_SERVQUAL_1988_NEGATIVE),
    name_en="SERVQUAL, 22 paired items (1988 wording)",
    name_zh="SERVQUAL服务质量量表(22项,1988年版)",
    source="Parasuraman, Zeithaml & Berry (1988), SERVQUAL: a multiple-item scale",
)
"""SERVQUAL in its 1988 wording: items 10–13 and 18–22 are negatively worded.

Those nine items (responsiveness and empathy) are reverse-scored: a rating ``x`` on 1–7
counts as ``8 − x`` (``Scale.reverse``) in the expectation and the perception alike,
before the gap is taken. Otherwise as [`SERVQUAL`][aftersales_crm.satisfaction.SERVQUAL]; the item ids are the same, so the
two versions aggregate side by side.

References:
    Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL: a multiple-item scale
    for measuring consumer perceptions of service quality. *Journal of Retailing*, 64(1),
    12–40.
"""

NPS_SURVEY: Final = Instrument(
    "nps",
    "1",
    (
        Factor(
            "recommend",
            "推荐意愿",
            "likelihood to recommend",
            (
                Item(
                    "recommend",
                    "您向亲友推荐本店的可能性有多大?",
                    "How likely are you to recommend this dealer to a friend or colleague?",
                    ELEVEN_POINT,
                ),
            ),
        ),
    ),
    name_en="Net Promoter Score question",
    name_zh="净推荐值(NPS)问题",
    source="Reichheld (2003), The one number you need to grow",
)
"""The Net Promoter Score question: one item on 0–10 (the wording is the library's).

A survey fact of any instrument may also carry the same answer as its ``recommend`` score;
[`NPS`][aftersales_crm.satisfaction.NPS] reads either.

References:
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*,
    81(12), 46–54.
"""

INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(
    {
        instrument.key: instrument
        for instrument in (
            CSI_CHINA_2014,
            CSI_CHINA_2015,
            CSI_CHINA_2024,
            SSI_SIX_FACTOR,
            SERVQUAL,
            SERVQUAL_1988,
            NPS_SURVEY,
        )
    }
)
"""The built-in instruments by key (``"<id>@<version>"``), in the order of this module."""


def get_instrument(key: str | Instrument) -> Instrument:
    """The built-in instrument with key ``key`` (an [`Instrument`][aftersales_crm.satisfaction.Instrument] is returned as it is).

    Args:
        key: ``"<id>@<version>"`` (``"china_csi@2015"``), or an instrument of your own.

    Returns:
        The instrument.

    Raises:
        UnknownNameError: no built-in instrument has that key; the message suggests close
            keys.

    Examples:
        >>> get_instrument("servqual@1991") is SERVQUAL
        True
        >>> get_instrument("china_csi@2016")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.UnknownNameError: no instrument is named china_csi@2016; did you mean ...
    """
    if isinstance(key, Instrument):
        return key
    found = INSTRUMENTS.get(key) if isinstance(key, str) else None
    if found is None:
        hint = (
            did_you_mean(str(key), list(INSTRUMENTS)) or f"the instruments are {list(INSTRUMENTS)}"
        )
        msg = f"no instrument is named {key}; {hint}"
        raise UnknownNameError(msg, code="unknown_instrument")
    return found
