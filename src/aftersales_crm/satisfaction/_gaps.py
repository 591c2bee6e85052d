"""The service-quality gap model: five gaps, their causes and remedies, and what measures them.

The training material's 《客户服务关系管理》 (customer service relationship management)
teaches the gap model of Zeithaml, Parasuraman & Berry (*Delivering Quality Service*, 1990;
the model itself is Parasuraman, Zeithaml & Berry 1985): five gaps between what customers
expect, what managers believe they expect, the service standards, the service delivered and
what the dealer promised, and for gaps 1 to 4 the causes (原因) and the remedies. The deck
names each gap ("差距 1:顾客差距差距 2:承诺差距差距 3:服务业绩差距差距4:沟通差距差距5:期望与直觉
差距"), and [`SERVICE_GAPS`][aftersales_crm.satisfaction.SERVICE_GAPS] keeps its wording as data, word for word, with a translation.

Gap 5 is what customers feel, measured by their answers (expected against perceived); the
others are measured where the data allows:

* **gap 3** (standards against delivery) from the repair orders by
  [`delivery_gaps`][aftersales_crm.satisfaction.delivery_gaps]: the promised delivery time against the actual one, and the
  first-time fix the material asks for (一次修复率);
* **gap 4** (promises to customers against what they got), also by [`delivery_gaps`][aftersales_crm.satisfaction.delivery_gaps],
  from the waiting times a dealer advertises per service kind against the orders' actual
  time in the workshop;
* **gap 1** (customers' expectations against what managers believe they expect) by
  [`belief_gap`][aftersales_crm.satisfaction.belief_gap], from the staff's answers to the
  customers' instrument about what they believe customers expect
  ([`StaffSurveyAnswered`][aftersales_crm.records.StaffSurveyAnswered]): customers' mean expectation less
  staff's, so that a positive gap is staff underestimating customers;
* **gap 2** (managers' beliefs against the standards they set) compares two things only
  the dealer's own documents hold, so the library lists its causes and remedies but does
  not measure it.

[`gap_report`][aftersales_crm.satisfaction.gap_report] sets them side by side per dealer. Every
gap is the side that sets the bar ([`ServiceGap.expected`][aftersales_crm.satisfaction.ServiceGap]) less the side measured
against it ([`ServiceGap.delivered`][aftersales_crm.satisfaction.ServiceGap]): a positive gap is a shortfall.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta, tzinfo
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, language, real_number, to_time_zone
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import (
    DEFAULT_TIME_ZONE,
    FIRST_TIME_FIX_WINDOW,
    FeatureTable,
    business_dates,
    dealer_features,
)
from aftersales_crm.features._quality import rate
from aftersales_crm.tables import Tables
from aftersales_crm.values import Material, Quote, ServiceKind

__all__ = [
    "DELIVERY_STANDARDS",
    "SERVICE_GAPS",
    "DeliveryStandards",
    "ServiceGap",
    "delivery_gaps",
]

_S: Final = Material.SERVICE_RELATIONS


def _q(text: str, english: str) -> Quote:
    return Quote(_S, text, english)


@attrs.frozen
class ServiceGap:
    """One gap of the service-quality gap model, in the training material's words.

    Attributes:
        number: 1 to 5.
        name: the gap's name.
        expected: the side that sets the bar (customers' expectations, the standards…).
        delivered: the side measured against it.
        causes: why the gap opens (原因); empty where the material gives none.
        remedies: what closes it; empty where the material gives none.
        measured_by: how the library measures the gap, or why it does not.

    Examples:
        >>> gap = SERVICE_GAPS[2]
        >>> gap.number, gap.name.text, gap.name.english
        (3, '服务业绩差距', 'the service performance gap')
        >>> gap.remedies[5].in_("en")
        'empower front-line staff'
    """

    number: int
    name: Quote
    expected: Quote
    delivered: Quote
    causes: tuple[Quote, ...]
    remedies: tuple[Quote, ...]
    measured_by: str

    def advice(self, lang: str = "zh") -> str:
        """The gap, its causes and its remedies as a short text in ``lang`` (zh or en).

        Examples:
            >>> print(SERVICE_GAPS[3].advice("en"))  # doctest: +ELLIPSIS
            Gap 4, the communication gap: the service delivered against the external communications to customers
            causes: 1. too little horizontal and vertical communication ...
            remedies: 1. front-line staff communicate regularly...
        """
        zh = language(lang) == "zh"

        def listed(items: tuple[Quote, ...]) -> str:
            sep = ";" if zh else "; "
            said = [q.text.rstrip("。") if zh else q.english for q in items]
            return sep.join(f"{i}. {text}" for i, text in enumerate(said, 1))

        head = (
            f"差距{self.number}:{self.name.text}({self.expected.text}与{self.delivered.text}之间)"
            if zh
            else f"Gap {self.number}, {self.name.english}: {self.delivered.english} against "
            f"{self.expected.english}"
        )
        lines = [head]
        if self.causes:
            lines.append(("原因:" if zh else "causes: ") + listed(self.causes))
        if self.remedies:
            lines.append(("措施:" if zh else "remedies: ") + listed(self.remedies))
        return "\n".join(lines)


_EXPECTATIONS: Final = _q("顾客的期望", "customers' expectations")
_BELIEFS: Final = _q("管理层对顾客期望的直觉", "managers' perception of customers' expectations")
_STANDARDS: Final = _q("服务质量标准", "the service quality standards")
_DELIVERY: Final = _q("服务的提供", "the service delivered")
_PROMISES: Final = _q("对顾客的外部沟通", "the external communications to customers")

SERVICE_GAPS: Final[tuple[ServiceGap, ...]] = (
    ServiceGap(
        1,
        _q("顾客差距", "the customer gap"),
        _EXPECTATIONS,
        _BELIEFS,
        causes=(
            _q("缺乏市场调查定位", "too little market research"),
            _q("缺乏向上部沟通", "too little upward communication"),
            _q("过多的管理层", "too many layers of management"),
        ),
        remedies=(
            _q("调查顾客的期望", "survey customers' expectations"),
            _q("战略性应用投诉", "use complaints strategically"),
            _q("调查顾客在同行业的需求", "research what customers need across the industry"),
            _q("调查暂时顾客", "survey occasional customers"),
            _q("顾客座谈小组", "customer panels"),
            _q("根据顾客调查结果实施一次改变行动", "act on the findings of a customer survey"),
            _q("要求经理们同顾客交流", "have managers talk with customers"),
            _q("改善向上沟通", "improve upward communication"),
            _q("减少组织的管理层", "remove layers of management"),
        ),
        measured_by="survey answers: the mean expectation customers state, less the mean "
        "expectation staff believe customers hold, on the same instrument (belief_gap)",
    ),
    ServiceGap(
        2,
        _q("承诺差距", "the commitment gap"),
        _BELIEFS,
        _STANDARDS,
        causes=(
            _q("缺乏管理层的承诺", "too little commitment from management"),
            _q("缺乏可行性的感知觉", "no sense that it can be done"),
            _q("缺乏作业规范", "no working procedures"),
            _q("缺乏目标设定", "no goals set"),
        ),
        remedies=(
            _q(
                "从最高到中层管理层的承诺开始",
                "start with commitment from top to middle management",
            ),
            _q("创新的思维-创立机会", "think anew and create opportunities"),
            _q("规范操作技术的硬件和软件", "standardise the hardware and software of the work"),
            _q("设定服务规范", "set service standards"),
        ),
        measured_by="not measured: it compares managers' beliefs with the standards they "
        "wrote, which only the dealer's own documents hold",
    ),
    ServiceGap(
        3,
        _q("服务业绩差距", "the service performance gap"),
        _STANDARDS,
        _DELIVERY,
        causes=(
            _q("角色不明确", "unclear roles"),
            _q("角色矛盾", "conflicting roles"),
            _q("员工岗位不合适", "staff in the wrong jobs"),
            _q("技术岗位不合适", "technicians in the wrong jobs"),
            _q("不恰当的监管体系", "an unsuitable system of supervision"),
            _q("缺乏感知觉控制", "no perceived control"),
            _q("缺乏团队精神", "no team spirit"),
        ),
        remedies=(
            _q(
                "提供培训、反馈和沟通(前线员工人际关系技巧的培训)",
                "provide training, feedback and communication (interpersonal skills for "
                "front-line staff)",
            ),
            _q("定义顾客期望的水平", "define the level customers expect"),
            _q("把提供服务质量同员工的薪金挂钩", "tie pay to the quality of service delivered"),
            _q("建立创意的员工招聘及保留策略", "build inventive ways to hire and keep staff"),
            _q(
                "以测量态度来替代测量结果-建立一个奖赏和认可体系",
                "measure attitudes instead of results, with a system of rewards and recognition",
            ),
            _q("授权前线员工", "empower front-line staff"),
            _q("建立团队-超越职能部门", "build teams that reach across departments"),
        ),
        measured_by="repair orders: the share delivered by the promised time and the share "
        "of repair jobs fixed first time, each against its standard (delivery_gaps)",
    ),
    ServiceGap(
        4,
        _q("沟通差距", "the communication gap"),
        _PROMISES,
        _DELIVERY,
        causes=(
            _q(
                "平行和水平方向上的沟通不足(部门内部及不同部门之间)",
                "too little horizontal and vertical communication (within and between departments)",
            ),
            _q(
                "沟通中有超出承诺的倾向(宣传沟通超出了顾客接受服务时的感知觉)",
                "a tendency to promise more than is delivered (advertising beyond what "
                "customers perceive when served)",
            ),
        ),
        remedies=(
            _q(
                "操作(前线)员工必须定时同推广部、销售部、人力资源部和市场部进行双向沟通,以建立一致性服务。",
                "front-line staff communicate regularly, both ways, with promotion, sales, human "
                "resources and marketing, so that the service is consistent",
            ),
            _q(
                "宣传推广应针对顾客认为重要的质量层面进行,通过外部沟通和价格管理顾客期望。",
                "advertise the aspects of quality customers find important, and manage their "
                "expectations through external communication and price",
            ),
            _q("教育顾客了解他们的职责。", "teach customers their part"),
        ),
        measured_by="repair orders: the share of orders whose time in the workshop stayed "
        "within the waiting time the dealer advertises for their service (delivery_gaps)",
    ),
    ServiceGap(
        5,
        _q("期望与直觉差距", "the gap between expectation and perception"),
        _EXPECTATIONS,
        _q("感知服务质量", "the perceived service quality"),
        causes=(),
        remedies=(
            Quote(
                Material.CSI_COURSE,
                "如何“降低”客户的期望值",
                "how to “lower” customers' expectations",
            ),
        ),
        measured_by="customers' answers: perceived less expected, per item, factor and "
        "respondent (the satisfaction scorers); gap_report shows expected less perceived, a "
        "shortfall like the other gaps",
    ),
)
"""The five gaps of the service-quality gap model, as 《客户服务关系管理》 teaches them.

Names, sides, causes and remedies are the deck's words (its extracted text breaks two
passages at a page, 调查顾客|的期望 and 不|恰当的监管体系, and one at a line, 顾客认为重要|的质量层面:
the quotes join them). The deck gives gap 5 no remedies; the library points at the
expectation management of the CSI course (第二章:期望管理, "如何“降低”客户的期望值"), which
states satisfaction as the delivered value less the expectation.

Examples:
    >>> [gap.name.text for gap in SERVICE_GAPS]
    ['顾客差距', '承诺差距', '服务业绩差距', '沟通差距', '期望与直觉差距']
    >>> SERVICE_GAPS[0].expected.text, SERVICE_GAPS[0].delivered.text
    ('顾客的期望', '管理层对顾客期望的直觉')
"""


@attrs.frozen
class DeliveryStandards:
    """The standards gap 3 measures delivery against, as shares from 0 to 1.

    Attributes:
        on_time: the share of orders to deliver by the promised time. Default 1: a time
            promised to a customer is itself the standard, so every late car counts.
        first_time_fix: the share of repair jobs to fix first time. Default 1: the CSI
            course says customers expect the workshop to fix the vehicle in one go
            ("一次修好车辆"), so every comeback counts.

    Examples:
        >>> DeliveryStandards(on_time=0.95).on_time
        0.95
        >>> DeliveryStandards(first_time_fix=1.5)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: first_time_fix is 1.5, expected a share from 0 to 1
    """

    on_time: float = 1.0
    first_time_fix: float = 1.0

    def __attrs_post_init__(self) -> None:
        """Check each standard is a share."""
        for name in ("on_time", "first_time_fix"):
            value = real_number(getattr(self, name), parameter=name, minimum=0.0)
            if value > 1.0:
                msg = f"{name} is {value}, expected a share from 0 to 1"
                raise InvalidValue(msg, code=ARGUMENT_CODE)


DELIVERY_STANDARDS: Final = DeliveryStandards()
"""The default standards: every promise kept, every repair job fixed first time.

Examples:
    >>> DELIVERY_STANDARDS.on_time, DELIVERY_STANDARDS.first_time_fix
    (1.0, 1.0)
"""

_KINDS: Final = list(ServiceKind)
_US_PER_MINUTE: Final = 60_000_000


def _advertised_us(advertised: object) -> NDArray[np.int64]:
    """Per service kind code, the advertised waiting time in µs, -1 where none is."""
    if not isinstance(advertised, Mapping):
        msg = (
            f"advertised is {type(advertised).__name__}, expected a mapping of service kind "
            "to the waiting time the dealer advertises, such as {'maintenance': timedelta(hours=1)}"
        )
        raise InvalidType(msg)
    out = np.full(len(_KINDS), -1, dtype=np.int64)
    for key, wait in advertised.items():
        try:
            kind = ServiceKind(key)
        except ValueError:
            msg = f"advertised names {key!r}, which is not a service kind"
            raise InvalidValue(msg, code=ARGUMENT_CODE) from None
        if not isinstance(wait, timedelta) or wait <= timedelta(0):
            msg = f"advertised[{kind.value!r}] is {wait!r}, expected a positive timedelta"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        out[_KINDS.index(kind)] = wait // timedelta(microseconds=1)
    return out


def delivery_gaps(
    tables: Tables,
    *,
    as_of: date | str,
    standards: DeliveryStandards = DELIVERY_STANDARDS,
    advertised: Mapping[ServiceKind | str, timedelta] | None = None,
    window: timedelta = FIRST_TIME_FIX_WINDOW,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> FeatureTable:
    """Gaps 3 and 4 of the gap model per dealer, measured on the repair orders by ``as_of``.

    **Gap 3** (服务业绩差距, standards against delivery): ``on_time_rate`` is the share of
    orders delivered by ``as_of`` with a promised time that were delivered by it, and
    ``gap3_on_time`` its shortfall from ``standards.on_time``; ``first_time_fix_rate`` is
    the share of repair jobs fixed first time (the rule and ``window`` of
    [`dealer_features`][aftersales_crm.features.dealer_features]), and ``gap3_first_time_fix`` its
    shortfall from ``standards.first_time_fix``. A shortfall is standard less rate, so a
    positive gap is a dealer below its standard.

    **Gap 4** (沟通差距, promises against delivery): for each service kind in ``advertised``
    (the waiting time the dealer tells customers, such as one hour for a maintenance), the
    orders with a line of that kind delivered by ``as_of`` (closed, closing instant by the
    end of ``as_of``) are measured from opening to closing. An order with several
    advertised kinds is held to the longest of their times (the library's choice: the
    customer waits for the whole visit). ``advertised_orders``, ``within_advertised``,
    ``within_advertised_rate``, ``gap4_advertised`` (1 less the rate) and
    ``mean_overrun_minutes`` (the mean time beyond the advertised one over all advertised
    orders, 0 for those within it). Without ``advertised`` the gap-4 columns are 0 and NaN.

    Rates are NaN for a dealer with nothing to measure; a gap is then NaN as well.

    Args:
        tables: the customer base (dealers, orders and lines are read).
        as_of: the day (its end, in ``time_zone``) the orders are counted up to.
        standards: the gap-3 standards; every promise kept and every job fixed first
            time by default.
        advertised: service kind → advertised waiting time; none by default.
        window: the first-time-fix comeback window (30 days by default).
        time_zone: the dealers' time zone (Beijing time by default).

    Returns:
        One row per dealer (key ``dealer_id``), in the order of ``tables.dealers``.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables], or
            ``advertised`` is not a mapping.
        InvalidValue: an argument out of range, naming it.

    Examples:
        >>> from datetime import timedelta
        >>> from aftersales_crm import synthetic
        >>> t = synthetic.tables(2_000, seed=1)
        >>> gaps = delivery_gaps(t, as_of="2026-06-30", advertised={"maintenance": timedelta(hours=2)})
        >>> bool(((gaps["on_time_rate"] >= 0) & (gaps["on_time_rate"] <= 1)).all())
        True
        >>> bool((gaps["gap4_advertised"] == 1 - gaps["within_advertised_rate"]).all())
        True
    """
    given: dict[str, object] = {"tables": tables, "standards": standards}  # the contract
    for name, kind in (("tables", Tables), ("standards", DeliveryStandards)):
        if not isinstance(given[name], kind):
            msg = f"{name} is a {type(given[name]).__name__}, expected {kind.__name__}"
            raise InvalidType(msg)
    day = as_of_date(as_of)
    zone = to_time_zone(time_zone)
    dealers = dealer_features(tables, as_of=day, window=window, time_zone=zone)
    waits = _advertised_us({} if advertised is None else advertised)
    orders, lines = tables.orders, tables.lines
    n_dealers = len(tables.dealers)
    # Per order, the longest advertised wait among its lines' kinds (-1: none advertised).
    wait = np.full(len(orders), -1, dtype=np.int64)
    np.maximum.at(wait, lines["order"], waits[lines["kind"]])
    opened = orders["opened_at"].view(np.int64)
    closed = orders["closed_at"].view(np.int64)
    # Delivered by ``as_of``: closed on a business day up to it (NaT, still open, is not).
    closed_on = business_dates(orders["closed_at"], zone)
    delivered = (closed_on <= np.datetime64(day, "D")) & (wait >= 0)
    took = closed[delivered] - opened[delivered]
    overrun = np.maximum(took - wait[delivered], 0)
    dealer = orders["dealer"][delivered]
    measured = np.bincount(dealer, minlength=n_dealers).astype(np.int64)
    within = np.bincount(dealer[overrun == 0], minlength=n_dealers).astype(np.int64)
    overrun_us = np.bincount(dealer, weights=overrun, minlength=n_dealers)
    within_rate = rate(within, measured)
    columns = {
        "promised": dealers["promised"],
        "on_time": dealers["on_time"],
        "on_time_rate": dealers["on_time_rate"],
        "gap3_on_time": standards.on_time - dealers["on_time_rate"],
        "repair_jobs": dealers["repair_jobs"],
        "fixed_first_time": dealers["fixed_first_time"],
        "first_time_fix_rate": dealers["first_time_fix_rate"],
        "gap3_first_time_fix": standards.first_time_fix - dealers["first_time_fix_rate"],
        "advertised_orders": measured,
        "within_advertised": within,
        "within_advertised_rate": within_rate,
        "gap4_advertised": 1.0 - within_rate,
        "mean_overrun_minutes": np.divide(
            overrun_us / _US_PER_MINUTE,
            measured,
            out=np.full(n_dealers, np.nan),
            where=measured > 0,
        ),
    }
    return FeatureTable("dealer_id", dealers.ids, columns, day, tables.currency)
