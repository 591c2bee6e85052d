"""Master-data quality per dealer, by the training material's five principles.

The training deck for follow-up callers states how the fixed customer data (固定的信息) is
kept (《信息回访员基础培训分析报告》, 固定的信息和静态管理), one principle a line: "重要的原始信息的
提供 -- 真实", "销售部应该建立和提供完整的固定信息 -- 完整", "客服部定期从销售部和服务部获取信息
并及时修正 -- 准确", "对于非本司销售车辆,首次即建立完整信息 -- 及时", "注意更新有变动的信息 --
更新". [`master_data_quality`][aftersales_crm.care.master_data_quality] gives each principle its measures over the ``customers``
and ``vehicles`` tables and the contacts made, per dealer, each as a count over a
denominator ([`MasterDataQuality`][aftersales_crm.care.MasterDataQuality]).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, tzinfo
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from aftersales_crm._args import (
    ARGUMENT_CODE,
    as_of_date,
    flag,
    language,
    to_time_zone,
    whole_number,
)
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._suggest import did_you_mean
from aftersales_crm._transitions import read_only
from aftersales_crm.care._followup import end_of_day_us, figure_text
from aftersales_crm.care._tasks import REACHED_OUTCOMES
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, SERVICE_MONTHS, business_dates
from aftersales_crm.features._inputs import as_tables
from aftersales_crm.features._quality import rate
from aftersales_crm.records import Book, ColumnKind, ContactOutcome, CustomerKind
from aftersales_crm.tables import Table, Tables
from aftersales_crm.values import (
    NONE_CODE,
    ContactChannel,
    Gender,
    LabelledEnum,
    Lang,
    Material,
    Quote,
    national_id,
    vin,
)
from aftersales_crm.values._text import display_width, pad_left, pad_right

__all__ = [
    "CHECKS",
    "CUSTOMER_FIELDS",
    "FULL_VEHICLE_FIELDS",
    "INDIVIDUAL_FIELDS",
    "STALE_MONTHS",
    "VEHICLE_FIELDS",
    "DataPrinciple",
    "MasterDataQuality",
    "QualityCheck",
    "master_data_quality",
]

_DECK: Final = Material.FOLLOW_UP_CALLS


class DataPrinciple(LabelledEnum):
    """The five principles of keeping customer data, in the material's words and order.

    Each carries its line of the deck ([`quote`][aftersales_crm.care.DataPrinciple.quote]) and the library's measures of it
    ([`master_data_quality`][aftersales_crm.care.master_data_quality]):

    * ``TRUE`` (真实), "重要的原始信息的提供": identifiers that cannot be true;
    * ``COMPLETE`` (完整), "销售部应该建立和提供完整的固定信息": each fixed field filled in;
    * ``ACCURATE`` (准确), "客服部定期从销售部和服务部获取信息并及时修正": phone numbers the
      calls found wrong;
    * ``TIMELY`` (及时), "对于非本司销售车辆,首次即建立完整信息": vehicles sold elsewhere
      with their full record from the first visit;
    * ``UPDATED`` (更新), "注意更新有变动的信息": contact details confirmed recently.

    Examples:
        >>> [p.label("zh") for p in DataPrinciple]
        ['真实', '完整', '准确', '及时', '更新']
        >>> print(DataPrinciple.TIMELY.quote)
        《信息回访员基础培训分析报告》: “对于非本司销售车辆,首次即建立完整信息 -- 及时”

    References:
        《信息回访员基础培训分析报告》 (固定的信息和静态管理).
    """

    TRUE = "true", "true", "真实"
    COMPLETE = "complete", "complete", "完整"
    ACCURATE = "accurate", "accurate", "准确"
    TIMELY = "timely", "timely", "及时"
    UPDATED = "updated", "updated", "更新"

    @property
    def quote(self) -> Quote:
        """The principle's line of the material, word for word.

        Examples:
            >>> DataPrinciple.TRUE.quote.text
            '重要的原始信息的提供 -- 真实'
        """
        return _PRINCIPLE_QUOTES[self]


_PRINCIPLE_QUOTES: Final[Mapping[DataPrinciple, Quote]] = MappingProxyType(
    {
        DataPrinciple.TRUE: Quote(
            _DECK, "重要的原始信息的提供 -- 真实", "providing the important original data: true"
        ),
        DataPrinciple.COMPLETE: Quote(
            _DECK,
            "销售部应该建立和提供完整的固定信息 -- 完整",
            "the sales department should build and provide complete fixed data: complete",
        ),
        DataPrinciple.ACCURATE: Quote(
            _DECK,
            "客服部定期从销售部和服务部获取信息并及时修正 -- 准确",
            "customer service regularly takes the data from sales and service and corrects it"
            " promptly: accurate",
        ),
        DataPrinciple.TIMELY: Quote(
            _DECK,
            "对于非本司销售车辆,首次即建立完整信息 -- 及时",
            "for vehicles this dealer did not sell, build the full data at the first visit: timely",
        ),
        DataPrinciple.UPDATED: Quote(
            _DECK, "注意更新有变动的信息 -- 更新", "take care to update data that changes: updated"
        ),
    }
)

CUSTOMER_FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "gender": "性别",
        "national_id": "身份证号",
        "occupation": "职业",
        "birthday": "生日",
        "home_address": "家庭住址",
        "home_postcode": "家庭邮编",
        "work_address": "工作地点",
        "work_postcode": "工作地点邮编",
        "mobile": "手机",
        "home_phone": "家庭电话",
        "office_phone": "办公电话",
        "email": "E-MAIL",
        "fax": "传真",
    }
)
"""The owner's fixed fields whose completeness is measured, with the material's word for each.

The deck lists the owner's fixed data (车主信息): "姓名/性别/身份证号/职业/生日", "家庭住址/家庭
邮编/工作地点/工作地点邮编", "手机/家庭电话/办公电话/E-MAIL/传真". The name is left out: a
customer record cannot be kept without one, so it is always complete. A gender recorded as
unknown counts as missing.

Examples:
    >>> CUSTOMER_FIELDS["mobile"]
    '手机'
"""

INDIVIDUAL_FIELDS: Final[frozenset[str]] = frozenset(
    {
        "gender",
        "national_id",
        "occupation",
        "birthday",
        "home_address",
        "home_postcode",
        "home_phone",
    }
)
"""The fields of [`CUSTOMER_FIELDS`][aftersales_crm.care.CUSTOMER_FIELDS] that only a person has: measured over individual
customers, not over fleets and companies (the library's reading).

Examples:
    >>> "mobile" in INDIVIDUAL_FIELDS, "birthday" in INDIVIDUAL_FIELDS
    (False, True)
"""

VEHICLE_FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "plate": "车牌号",
        "brand": "品牌",
        "body_type": "车身类型",
        "colour": "车身颜色",
        "purchase_date": "首次购车日期",
        "first_visit_date": "首次来厂日期",
        "first_visit_mileage": "首次来厂里程",
    }
)
"""The vehicle's fields whose completeness is measured, with their Chinese names.

The deck's vehicle data (车辆信息): "车牌号/VIN码/车身颜色/车型/首次购车日期", "首次来厂日期/
首次来厂里程"; the brand and the body type come from 《汽车售后客户关系管理》 ("车辆品牌、型号、
颜色、购买日期"; "轿车、SUV、MPV、跑车等"). The VIN and the model are left out: a vehicle
record cannot be kept without them. The first visit's date and mileage are measured over
the vehicles that have visited by ``as_of``.

Examples:
    >>> VEHICLE_FIELDS["colour"]
    '车身颜色'
"""

FULL_VEHICLE_FIELDS: Final = (
    "plate",
    "colour",
    "purchase_date",
    "first_visit_date",
    "first_visit_mileage",
)
"""What *full information* of a vehicle means for the timely principle: every field of the
deck's vehicle data that can be missing ("车牌号/VIN码/车身颜色/车型/首次购车日期",
"首次来厂日期/首次来厂里程"; the VIN and the model are never missing).

Examples:
    >>> len(FULL_VEHICLE_FIELDS)
    5
"""

STALE_MONTHS: Final = 2 * SERVICE_MONTHS
"""A customer's contact details are *unconfirmed* when no contact reached them in the last
12 months: the library's choice.

The tables hold no fact that says "details confirmed"; the most honest measure they allow
is the last contact in which the customer was on the line
([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES]), on any channel. The material says to
update changed data (注意更新有变动的信息) without a period. A customer in touch is called
after every service, and routine service comes every
[`SERVICE_MONTHS`][aftersales_crm.features.SERVICE_MONTHS] months: two intervals without reaching
them make their details doubtful.

Examples:
    >>> STALE_MONTHS
    12
"""

_GENDER_UNKNOWN: Final = list(Gender).index(Gender.UNKNOWN)
_INDIVIDUAL: Final = list(CustomerKind).index(CustomerKind.INDIVIDUAL)
_WRONG_NUMBER: Final = list(ContactOutcome).index(ContactOutcome.WRONG_NUMBER)
_PHONE: Final = list(ContactChannel).index(ContactChannel.PHONE)
_REACHING: Final = np.array([o in REACHED_OUTCOMES for o in ContactOutcome], dtype=bool)
_NONE: Final = NONE_CODE
_MISSING_ROW: Final = ""


@attrs.frozen
class QualityCheck:
    """One measure of master-data quality: what it counts, over what, for which principle.

    Attributes:
        name: the measure's name, such as ``"customers.mobile"`` or ``"wrong_number"``.
        principle: the principle it measures.
        counts: what the numerator counts, in English and Chinese.
        over: what the denominator counts, in English and Chinese.
        higher_is_better: True for completeness, False for the problems.

    Examples:
        >>> check = QualityCheck("wrong_number", DataPrinciple.ACCURATE,
        ...                      ("last call hit a wrong number", "最近一次电话号码错误"),
        ...                      ("customers called", "有电话记录的客户"), higher_is_better=False)
        >>> check.describe("zh")
        '最近一次电话号码错误 / 有电话记录的客户'
    """

    name: str
    principle: DataPrinciple
    counts: tuple[str, str]
    over: tuple[str, str]
    higher_is_better: bool

    def describe(self, lang: Lang = "en") -> str:
        """``"what it counts / over what"`` in ``lang``.

        Examples:
            >>> CHECKS[0].describe()
            'national ID refused on the day / national IDs given'
        """
        i = 1 if language(lang) == "zh" else 0
        return f"{self.counts[i]} / {self.over[i]}"


def _problem(
    name: str, principle: DataPrinciple, counts: str, counts_zh: str, over: str, over_zh: str
) -> QualityCheck:
    return QualityCheck(
        name, principle, (counts, counts_zh), (over, over_zh), higher_is_better=False
    )


_GIVEN: Final = (" given", "已填")
"""What a completeness measure's label ends with, in English and Chinese."""


def _field(table: str, field: str, zh: str, over: str, over_zh: str) -> QualityCheck:
    noun, noun_zh = ("customer", "客户") if table == "customers" else ("vehicle", "车辆")
    return QualityCheck(
        f"{table}.{field}",
        DataPrinciple.COMPLETE,
        (f"{noun} {field.replace('_', ' ')}{_GIVEN[0]}", f"{noun_zh}{zh}{_GIVEN[1]}"),
        (over, over_zh),
        higher_is_better=True,
    )


CHECKS: Final[tuple[QualityCheck, ...]] = (
    _problem(
        "national_id_refused", DataPrinciple.TRUE,
        "national ID refused on the day", "身份证号当日无效",
        "national IDs given", "有身份证号",
    ),
    _problem(
        "national_id_shared", DataPrinciple.TRUE,
        "national ID another customer also has", "身份证号与他人重复",
        "national IDs given", "有身份证号",
    ),
    _problem(
        "mobile_shared", DataPrinciple.TRUE,
        "mobile another customer also has", "手机与他人重复",
        "mobiles given", "有手机",
    ),
    _problem(
        "vin_unconfirmed", DataPrinciple.TRUE,
        "VIN its check character does not confirm", "VIN码校验位未能确认",
        "vehicles", "车辆",
    ),
    *(
        _field(
            "customers", field, zh,
            "individual customers" if field in INDIVIDUAL_FIELDS else "customers",
            "个人客户" if field in INDIVIDUAL_FIELDS else "客户",
        )
        for field, zh in CUSTOMER_FIELDS.items()
    ),
    *(
        _field(
            "vehicles", field, zh,
            "vehicles visited" if field.startswith("first_visit") else "vehicles",
            "已来厂车辆" if field.startswith("first_visit") else "车辆",
        )
        for field, zh in VEHICLE_FIELDS.items()
    ),
    _problem(
        "wrong_number", DataPrinciple.ACCURATE,
        "last phone call hit a wrong number", "最近一次电话号码错误",
        "customers called", "有电话记录的客户",
    ),
    _problem(
        "incomplete_first_visit", DataPrinciple.TIMELY,
        "not full after the first visit", "首次来厂后信息仍不完整",
        "vehicles sold elsewhere, visited", "非本司销售且已来厂车辆",
    ),
    _problem(
        "unconfirmed", DataPrinciple.UPDATED,
        "not reached in the last months", "近期未曾联系上",
        "customers", "客户",
    ),
)  # fmt: skip
"""The measures of [`master_data_quality`][aftersales_crm.care.master_data_quality], in the order of its columns.

Examples:
    >>> [c.name for c in CHECKS if c.principle is DataPrinciple.TRUE]
    ['national_id_refused', 'national_id_shared', 'mobile_shared', 'vin_unconfirmed']
"""

_CHECK_INDEX: Final = MappingProxyType({check.name: i for i, check in enumerate(CHECKS)})


@attrs.frozen(eq=False, repr=False)
class MasterDataQuality(Displayed):
    """Master-data quality per dealer: each measure of [`CHECKS`][aftersales_crm.care.CHECKS] as a count over a total.

    A customer belongs to the dealer of their latest repair order by ``as_of`` or, without
    one, to the dealer of a vehicle they owned last; a vehicle to its selling dealer or,
    sold elsewhere, to the dealer of its first repair order. Records that belong to no
    dealer form a row of their own, ``""``, when there are any. Rates are NaN where the
    total is 0.

    Attributes:
        dealers: str array of shape (n_rows,): dealer ids, then ``""`` for records
            without a dealer.
        checks: the measures, one column each ([`CHECKS`][aftersales_crm.care.CHECKS]).
        counts: int64 array of shape (n_rows, n_checks): what each measure counts.
        totals: int64 array of the same shape: its denominators.
        as_of: the day.
        stale_months: the months after which contact details are unconfirmed.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> quality = master_data_quality(synthetic.book(200, seed=3), as_of="2026-06-30")
        >>> quality.dealers.tolist()  # "": customers and vehicles no dealer has seen
        ['D0000', 'D0001', '']
        >>> counts, totals, rates = quality.figure("customers.mobile")
        >>> bool((counts <= totals).all())
        True
    """

    dealers: NDArray[np.str_]
    checks: tuple[QualityCheck, ...]
    counts: NDArray[np.int64]
    totals: NDArray[np.int64]
    as_of: date
    stale_months: int

    def __len__(self) -> int:
        """Number of rows (dealers)."""
        return len(self.dealers)

    @property
    def rates(self) -> NDArray[np.float64]:
        """``counts / totals``, float64 of shape (n_rows, n_checks); NaN where the total is 0.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> master_data_quality(Tables.from_arrays(), as_of="2026-06-30").rates.shape
            (0, 27)
        """
        out = np.full(self.counts.shape, np.nan)
        np.divide(self.counts, self.totals, out=out, where=self.totals > 0)
        return read_only(out)

    def figure(self, name: str) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """One measure's counts, totals and rates per row.

        Raises:
            InvalidValue: no measure has that name.

        Examples:
            >>> from aftersales_crm.tables import Tables
            >>> master_data_quality(Tables.from_arrays(), as_of="2026-06-30").figure("mobile")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: no measure 'mobile'; did you mean 'mobile_shared'?
        """
        if not isinstance(name, str) or name not in _CHECK_INDEX:
            hint = (
                did_you_mean(str(name), list(_CHECK_INDEX))
                or f"the measures are {list(_CHECK_INDEX)}"
            )
            msg = f"no measure {name!r:.80}; {hint}"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        j = _CHECK_INDEX[name]
        counts, totals = self.counts[:, j].copy(), self.totals[:, j].copy()
        return read_only(counts), read_only(totals), read_only(rate(counts, totals))

    def network(self) -> MasterDataQuality:
        """The whole network as one row, ``"network"``: every row's counts and totals summed.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> quality = master_data_quality(synthetic.book(100, seed=2), as_of="2026-06-30")
            >>> whole = quality.network()
            >>> whole.dealers.tolist(), bool((whole.totals[0] == quality.totals.sum(axis=0)).all())
            (['network'], True)
        """
        return attrs.evolve(
            self,
            dealers=read_only(np.array(["network"])),
            counts=read_only(self.counts.sum(axis=0, keepdims=True)),
            totals=read_only(self.totals.sum(axis=0, keepdims=True)),
        )

    def to_pandas(self) -> Any:
        """A long DataFrame: one row per dealer and measure (needs the ``pandas`` extra).

        Columns: ``dealer``, ``measure``, ``principle``, ``count``, ``total``, ``rate``,
        ``higher_is_better``.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> frame = master_data_quality(synthetic.book(100, seed=2), as_of="2026-06-30").to_pandas()
            >>> frame.columns.tolist()
            ['dealer', 'measure', 'principle', 'count', 'total', 'rate', 'higher_is_better']
            >>> len(frame) == 3 * len(CHECKS)
            True
        """
        pd = require("pandas", extra="pandas")
        n_rows, n_checks = self.counts.shape
        return pd.DataFrame(
            {
                "dealer": np.repeat(self.dealers, n_checks),
                "measure": np.tile([c.name for c in self.checks], n_rows),
                "principle": np.tile([c.principle.value for c in self.checks], n_rows),
                "count": self.counts.reshape(-1),
                "total": self.totals.reshape(-1),
                "rate": self.rates.reshape(-1),
                "higher_is_better": np.tile([c.higher_is_better for c in self.checks], n_rows),
            }
        )

    def report(self, lang: Lang = "en", *, brief: bool = False) -> str:
        """The measures as text, grouped by principle, one column per dealer and the network.

        Each cell is the rate with its count and total; ``–`` stands for a rate without a
        total. With ``brief=True`` only the measures with something to tell get a row: a
        problem found somewhere, a field given for some records but not all; the others are
        named on a line per principle (none found; given for every record; given for no
        record; nothing to count), and the principles' quotes are left out.

        Raises:
            InvalidValue: ``lang`` is not ``"en"`` or ``"zh"``, or ``brief`` is not a bool.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> quality = master_data_quality(synthetic.book(100, seed=2), as_of="2026-06-30")
            >>> print(quality.report().splitlines()[3])
            真实 true: 《信息回访员基础培训分析报告》: “重要的原始信息的提供 -- 真实”
            >>> print(quality.report(brief=True).splitlines()[4])
              none found: national ID refused on the day, national ID another customer also has,
        """
        i = 1 if language(lang) == "zh" else 0
        brief = flag(brief, parameter="brief")
        whole = self.network()
        columns = [*(d or "-" for d in self.dealers.tolist()), "network"]
        counts = np.vstack([self.counts, whole.counts])
        totals = np.vstack([self.totals, whole.totals])
        labels = [f"  {check.counts[i]}" for check in self.checks]
        cells = [
            [figure_text(counts[r, j], totals[r, j]) for r in range(len(columns))]
            for j in range(len(self.checks))
        ]
        summary = _summary(self.checks, counts, totals) if brief else [None] * len(self.checks)
        shown = [j for j, named in enumerate(summary) if named is None]
        first = max((display_width(labels[j]) for j in shown), default=0) + 2
        width = max(display_width(cell) for row in [columns, *cells] for cell in row)
        title = (
            f"客户信息质量 {self.as_of.isoformat()}(联系方式{self.stale_months}个月未确认即为过期)"
            if i
            else f"Master data on {self.as_of.isoformat()}, per dealer (contact details"
            f" unconfirmed after {self.stale_months} months)"
        )
        lines = [title, pad_right("", first) + "  ".join(pad_left(c, width) for c in columns)]
        if _MISSING_ROW in self.dealers.tolist():
            lines.insert(
                1, "(-: 无经销商服务过的客户和车辆)" if i else "(-: records no dealer has served)"
            )
        for principle in DataPrinciple:
            name = principle.label("zh") + ("" if i else f" {principle.label('en')}")
            lines.append(name if brief else f"{name}: {principle.quote}")
            mine = [j for j, check in enumerate(self.checks) if check.principle is principle]
            lines += [
                pad_right(labels[j], first) + "  ".join(pad_left(c, width) for c in cells[j])
                for j in mine
                if summary[j] is None
            ]
            for heading in _SUMMARIES.values():
                named = [
                    self.checks[j].counts[i].removesuffix(_GIVEN[i])
                    for j in mine
                    if summary[j] == heading
                ]
                if named:
                    lines += _wrapped(f"  {heading[i]}: ", named, "、" if i else ", ")
        return "\n".join(lines)


_REPORT_WIDTH: Final = 100
"""The display width a brief report wraps its lists of measures at."""


def _wrapped(head: str, items: list[str], separator: str) -> list[str]:
    """``head`` and the ``items``, wrapped at ``_REPORT_WIDTH``, continued indented."""
    lines, line = [], head
    for k, item in enumerate(items):
        piece = item + (separator if k < len(items) - 1 else "")
        if display_width(line + piece.rstrip()) > _REPORT_WIDTH and line.strip():
            lines.append(line.rstrip())
            line = "    "
        line += piece
    return [*lines, line.rstrip()]


_SUMMARIES: Final = MappingProxyType(
    {
        (False, False): ("none found", "均未发现"),
        (True, True): ("given for every record", "全部已填"),
        (True, False): ("given for no record", "均未填写"),
        None: ("nothing to count", "无可统计"),
    }
)
"""The lists a brief report names measures in instead of showing their figures, by
(``higher_is_better``, every record counted) of the measure, or ``None`` for a measure
with nothing to count. A problem found in every record is not among them: it is shown."""


def _summary(
    checks: tuple[QualityCheck, ...], counts: NDArray[np.int64], totals: NDArray[np.int64]
) -> list[tuple[str, str] | None]:
    """Per measure, the heading of the list a brief report names it in, or None to show it.

    A measure is named when it has nothing to count, or when, wherever it has something to
    count, it counts nothing, or everything (``counts`` and ``totals`` have one row per
    dealer, one column per measure).
    """
    measured = totals > 0
    some: NDArray[np.bool_] = np.asarray(measured.any(axis=0))
    none = some & ((counts == 0) | ~measured).all(axis=0)
    every = some & ((counts == totals) | ~measured).all(axis=0)
    out: list[tuple[str, str] | None] = []
    for j, check in enumerate(checks):
        if not some[j]:
            out.append(_SUMMARIES[None])
        elif none[j] == every[j]:  # some records counted, not all
            out.append(None)
        else:
            out.append(_SUMMARIES.get((check.higher_is_better, bool(every[j]))))
    return out


def _given(table: Table, name: str) -> NDArray[np.bool_]:
    """Where a column holds a value, by the column's kind."""
    column = table[name]
    kind = table.schema.column(name).kind
    if kind in (ColumnKind.DATE, ColumnKind.INSTANT):
        given: NDArray[np.bool_] = ~np.isnat(column)
    elif kind is ColumnKind.FLOAT:
        given = ~np.isnan(column)
    elif kind in (ColumnKind.TEXT, ColumnKind.TEXTS):
        given = np.fromiter((v is not None for v in column), dtype=bool, count=len(column))
    else:  # references, categories, labels, ints: NONE_CODE for none
        given = column != _NONE
    return given


def _shared(values: NDArray[Any], given: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Where a given value is also another row's."""
    out = np.zeros(len(values), dtype=bool)
    if given.any():
        texts = np.asarray(values[given].tolist(), dtype=str)
        _, inverse, counts = np.unique(texts, return_inverse=True, return_counts=True)
        out[given] = counts[inverse.reshape(-1)] > 1
    return out


def _latest(
    owner: NDArray[np.int64],
    when: NDArray[np.int64],
    values: NDArray[np.int64],
    n: int,
    *,
    first: bool = False,
) -> NDArray[np.int64]:
    """Per owner ``0..n-1``, the value of its latest (or earliest) event; ``-1`` for none.

    Events at the same instant: the last row's.
    """
    out = np.full(n, _NONE, dtype=np.int64)
    if len(owner):
        rows = np.arange(len(owner))
        order = np.lexsort((rows, -when if first else when, owner))
        ends = np.r_[owner[order][1:] != owner[order][:-1], True]
        out[owner[order][ends]] = values[order][ends]
    return out


def _dealers_of(
    tables: Tables, counted: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Each customer's and each vehicle's dealer row (``-1`` for none), and visited vehicles."""
    orders, vehicles, ownerships = tables.orders, tables.vehicles, tables.ownerships
    dealer = np.asarray(orders["dealer"], dtype=np.int64)[counted]
    opened = np.asarray(orders["opened_at"], dtype="datetime64[us]").view(np.int64)[counted]
    vehicle = np.asarray(orders["vehicle"], dtype=np.int64)[counted]
    with_vehicle = vehicle >= 0
    n_vehicles, n_customers = len(vehicles), len(tables.customers)
    first_dealer = _latest(
        vehicle[with_vehicle],
        opened[with_vehicle],
        dealer[with_vehicle],
        n_vehicles,
        first=True,
    )
    seller = np.asarray(vehicles["selling_dealer"], dtype=np.int64)
    vehicle_dealer = np.where(seller >= 0, seller, first_dealer)
    visited = np.zeros(n_vehicles, dtype=bool)
    visited[vehicle[with_vehicle]] = True
    customer = np.asarray(orders["customer"], dtype=np.int64)[counted]
    by_order = _latest(customer, opened, dealer, n_customers)
    owner = np.asarray(ownerships["customer"], dtype=np.int64)
    owned_dealer = vehicle_dealer[np.asarray(ownerships["vehicle"], dtype=np.int64)]
    start = np.asarray(ownerships["start"], dtype="datetime64[D]").astype(np.int64)
    known = owned_dealer >= 0
    by_vehicle = _latest(owner[known], start[known], owned_dealer[known], n_customers)
    return np.where(by_order >= 0, by_order, by_vehicle), vehicle_dealer, visited


def master_data_quality(
    data: Tables | Book,
    *,
    as_of: date | str,
    stale_months: int = STALE_MONTHS,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> MasterDataQuality:
    """Master-data quality per dealer on ``as_of``, by the material's five principles.

    The measures ([`CHECKS`][aftersales_crm.care.CHECKS]), each a count over a total:

    * **true** (真实): national IDs [`aftersales_crm.values.national_id.is_valid_array`][aftersales_crm.values.national_id.is_valid_array]
      refuses on ``as_of`` (a birth date after it); national IDs and mobiles that another
      customer also has (one person's identity on two records, or a salesperson's number
      typed for the customer; a family may share a mobile, so read this as a list to
      check); VINs whose check character does not confirm them
      ([`aftersales_crm.values.vin.is_valid_array`][aftersales_crm.values.vin.is_valid_array] with ``strict=True``: outside China
      and North America the character is optional, so an unconfirmed VIN is not wrong,
      only unchecked). The tables themselves refuse invalid identifiers when they are
      built, naming every bad row ([`TableValidationError`][aftersales_crm.errors.TableValidationError]):
      phones, VINs and national IDs in them passed their validators, and what is left to
      count is what those validators cannot see;
    * **complete** (完整): the share of records with each field of
      [`CUSTOMER_FIELDS`][aftersales_crm.care.CUSTOMER_FIELDS] and [`VEHICLE_FIELDS`][aftersales_crm.care.VEHICLE_FIELDS] filled in;
    * **accurate** (准确): customers whose latest phone call by ``as_of`` ended on a wrong
      number, over the customers called by phone (the follow-up KPIs count wrong numbers
      per call; here a number later confirmed by a call that got through no longer counts);
    * **timely** (及时): vehicles not sold here (``sold_here`` false) that have visited by
      ``as_of`` (a repair order, or a first visit date) and still lack a field of
      [`FULL_VEHICLE_FIELDS`][aftersales_crm.care.FULL_VEHICLE_FIELDS];
    * **updated** (更新): customers no contact reached ([`REACHED_OUTCOMES`][aftersales_crm.care.REACHED_OUTCOMES])
      in the ``stale_months`` months up to ``as_of``, over all customers.

    Args:
        data: the tables (``customers``, ``vehicles``, ``ownerships``, ``orders``,
            ``contacts``, ``dealers``), or a Book.
        as_of: the day (a date or an ISO date string); no order or contact after its end
            counts.
        stale_months: whole months, at least 1 ([`STALE_MONTHS`][aftersales_crm.care.STALE_MONTHS]).
        time_zone: the dealers' time zone, an IANA name or a tzinfo (``Asia/Shanghai``).

    Returns:
        The measures per dealer.

    Raises:
        InvalidValue: ``data`` is neither Tables nor a Book, or an argument is out of
            range, naming it.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> quality = master_data_quality(synthetic.book(300, seed=5), as_of="2026-06-30")
        >>> counts, totals, rates = quality.network().figure("wrong_number")
        >>> int(totals[0]) > 0, 0 <= float(rates[0]) <= 1
        (True, True)
        >>> master_data_quality(synthetic.book(10, seed=5), as_of="2026-06-30", stale_months=0)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: stale_months is 0 (int), expected a whole number from 1 to 1200
    """
    tables = as_tables(data)
    day = as_of_date(as_of)
    months = whole_number(stale_months, parameter="stale_months", minimum=1, maximum=1200)
    zone = to_time_zone(time_zone)
    as_of_day = int(np.datetime64(day, "D").astype(np.int64))
    cut = end_of_day_us(day, zone)
    orders = tables.orders
    opened = np.asarray(orders["opened_at"], dtype="datetime64[us]")
    counted = opened.view(np.int64) <= cut
    customer_dealer, vehicle_dealer, visited = _dealers_of(tables, counted)
    customers, vehicles = tables.customers, tables.vehicles
    n_customers, n_vehicles = len(customers), len(vehicles)
    first_visit = np.asarray(vehicles["first_visit_date"], dtype="datetime64[D]")
    visited |= ~np.isnat(first_visit) & (first_visit.astype(np.int64) <= as_of_day)

    # Each measure as (counted, over) per record of customers or vehicles.
    everyone = np.ones(n_customers, dtype=bool)
    every_vehicle = np.ones(n_vehicles, dtype=bool)
    individual = np.asarray(customers["kind"]) == _INDIVIDUAL
    ids = np.asarray(customers["national_id"], dtype=object)
    id_given = _given(customers, "national_id")
    mobile_given = _given(customers, "mobile")
    measures: dict[str, tuple[str, NDArray[np.bool_], NDArray[np.bool_]]] = {
        "national_id_refused": (
            "customers",
            id_given & ~national_id.is_valid_array(ids, as_of=day),
            id_given,
        ),
        "national_id_shared": ("customers", _shared(ids, id_given), id_given),
        "mobile_shared": (
            "customers",
            _shared(np.asarray(customers["mobile"], dtype=object), mobile_given),
            mobile_given,
        ),
        "vin_unconfirmed": (
            "vehicles",
            ~vin.is_valid_array(np.asarray(vehicles["vin"], dtype=str), strict=True),
            every_vehicle,
        ),
    }
    for field in CUSTOMER_FIELDS:
        given = _given(customers, field)
        if field == "gender":
            given &= np.asarray(customers["gender"]) != _GENDER_UNKNOWN
        over = individual if field in INDIVIDUAL_FIELDS else everyone
        measures[f"customers.{field}"] = ("customers", given & over, over)
    vehicle_given = {field: _given(vehicles, field) for field in VEHICLE_FIELDS}
    for field, given in vehicle_given.items():
        over = visited if field.startswith("first_visit") else every_vehicle
        measures[f"vehicles.{field}"] = ("vehicles", given & over, over)

    # Contacts by the end of as_of: the latest phone call, and the latest reach.
    contacts = tables.contacts
    at = np.asarray(contacts["at"], dtype="datetime64[us]").view(np.int64)
    by_then = at <= cut
    who = np.asarray(contacts["customer"], dtype=np.int64)
    outcome = np.asarray(contacts["outcome"], dtype=np.int64)
    phone = by_then & (np.asarray(contacts["channel"]) == _PHONE)
    last_outcome = _latest(who[phone], at[phone], outcome[phone], n_customers)
    called = last_outcome != _NONE
    wrong = last_outcome == _WRONG_NUMBER
    measures["wrong_number"] = ("customers", wrong, called)
    sold_elsewhere = ~np.asarray(vehicles["sold_here"], dtype=bool) & visited
    full = (
        np.logical_and.reduce([vehicle_given[f] for f in FULL_VEHICLE_FIELDS])
        if n_vehicles
        else every_vehicle
    )
    measures["incomplete_first_visit"] = ("vehicles", sold_elsewhere & ~full, sold_elsewhere)
    since = np.datetime64(day - relativedelta(months=months), "D").astype(np.int64)
    reaching = by_then & _REACHING[outcome]
    reached_on = business_dates(at[reaching].view("datetime64[us]"), zone).astype(np.int64)
    recent = np.zeros(n_customers, dtype=bool)
    recent[who[reaching][reached_on >= since]] = True
    measures["unconfirmed"] = ("customers", ~recent, everyone)

    # Per dealer: the dealers' rows, then a row for records without a dealer.
    n_dealers = len(tables.dealers)
    unassigned = bool((customer_dealer < 0).any() or (vehicle_dealer < 0).any())
    n_rows = n_dealers + int(unassigned)
    rows_of = {
        "customers": np.where(customer_dealer >= 0, customer_dealer, n_dealers),
        "vehicles": np.where(vehicle_dealer >= 0, vehicle_dealer, n_dealers),
    }
    counts = np.zeros((n_rows, len(CHECKS)), dtype=np.int64)
    totals = np.zeros((n_rows, len(CHECKS)), dtype=np.int64)
    for j, check in enumerate(CHECKS):
        table, numerator, denominator = measures[check.name]
        row = rows_of[table]
        counts[:, j] = np.bincount(row[numerator & denominator], minlength=n_dealers + 1)[:n_rows]
        totals[:, j] = np.bincount(row[denominator], minlength=n_dealers + 1)[:n_rows]
    dealer_ids = np.asarray(tables.dealers["id"], dtype=str).tolist()
    names = [*dealer_ids, _MISSING_ROW] if unassigned else dealer_ids
    return MasterDataQuality(
        dealers=read_only(np.array(names, dtype=str)),
        checks=CHECKS,
        counts=read_only(counts),
        totals=read_only(totals),
        as_of=day,
        stale_months=months,
    )
