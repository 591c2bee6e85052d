"""Gap 1 measured, and the five gaps of the gap model side by side per dealer.

[`belief_gap`][aftersales_crm.satisfaction.belief_gap] measures gap 1 (顾客差距): per dealer and per factor of an instrument,
the mean expectation customers state less the mean expectation staff believe customers
hold, each side with its n. [`gap_report`][aftersales_crm.satisfaction.gap_report] sets gaps 1, 3, 4 and 5 side by side per
dealer, says why a gap is missing where the data does not allow it, lists gap 2 as not
measured, and prints each gap's causes and remedies in the training material's words.

Every gap in the report is the bar less what meets it (``ServiceGap.expected`` less
``ServiceGap.delivered``), so that **a positive gap is a shortfall** throughout: gap 1
is customers' expectations less staff's beliefs of them, gap 3 a standard less the share
delivered to it, gap 4 one less the share within the advertised wait, and gap 5 customers'
expectations less their perceptions (the [`ExpectationGap`][aftersales_crm.satisfaction.ExpectationGap] score, perceived less
expected, with its sign turned).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Mapping
from datetime import date, timedelta, tzinfo
from statistics import NormalDist
from types import MappingProxyType
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import as_of_date, language, real_number, to_time_zone
from aftersales_crm._display import Displayed
from aftersales_crm._optional import require
from aftersales_crm._params import check_value
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.features import DEFAULT_TIME_ZONE, FIRST_TIME_FIX_WINDOW, business_dates
from aftersales_crm.records import StaffRole
from aftersales_crm.satisfaction._aggregate import DEFAULT_LEVEL, Figure
from aftersales_crm.satisfaction._aggregate import _figure as figure
from aftersales_crm.satisfaction._columns import Kind, frozen, text_tuple
from aftersales_crm.satisfaction._gaps import (
    DELIVERY_STANDARDS,
    SERVICE_GAPS,
    DeliveryStandards,
    delivery_gaps,
)
from aftersales_crm.satisfaction._instruments import Instrument
from aftersales_crm.satisfaction._presets import get_instrument
from aftersales_crm.satisfaction._responses import CUSTOMERS, STAFF, Responses, scale_bounds
from aftersales_crm.satisfaction._scorers import DEFAULT_MIN_ANSWERED, ExpectationGap
from aftersales_crm.satisfaction._scorers import _factor_means as factor_means
from aftersales_crm.tables import Tables
from aftersales_crm.values import ServiceKind

__all__ = ["BeliefGap", "GapReport", "belief_gap", "gap_report"]

OVERALL: Final = "overall"
"""The measure over every factor: a respondent's mean over the factors' means."""

_Z: Final = NormalDist().inv_cdf(0.5 + DEFAULT_LEVEL / 2)


def _expecting(instrument: object) -> Instrument:
    """The instrument, built-in by key or given, if some item of it asks an expectation."""
    if not isinstance(instrument, str | Instrument):
        msg = f"instrument is {instrument!r:.60}, expected an Instrument or a built-in instrument key such as 'servqual@1991'"
        raise InvalidType(msg)
    found = get_instrument(instrument)
    if not any(item.asks.expectation for item in found.items):
        msg = (
            f"instrument {found.key} asks for no expectation; gap 1 sets the expectations"
            " customers state against those staff believe they hold, so it needs items asking one"
        )
        raise InvalidValue(msg, code="no_expectations")
    return found


def _expectations(
    responses: Responses, instrument: Instrument, share: float
) -> NDArray[np.float64]:
    """Per response, the overall mean expectation and each factor's (NaN below the minimum)."""
    ratings = responses.ratings(instrument)
    factors = factor_means(ratings.expectation, instrument, share)
    overall = factors.mean(axis=1) if factors.shape[1] else np.full(len(responses), np.nan)
    return np.column_stack([overall, factors])


def _dealer_rows(
    first: Responses, second: Responses
) -> tuple[tuple[str, ...], NDArray[np.intp], NDArray[np.intp]]:
    """The dealers of both sides (the first side's first) and each response's row among them."""
    names: dict[str, int] = {}
    for dealer in (*first.dealers, *second.dealers):
        names.setdefault(dealer, len(names))
    rows = []
    for side in (first, second):
        lookup = np.array([names[d] for d in side.dealers] + [-1], dtype=np.intp)
        rows.append(lookup[side.dealer])
    return tuple(names), rows[0], rows[1]


def _checked_responses(name: str, value: object, noun: str) -> Responses:
    """Customers' or staff's responses as ``noun`` says; staff's hold no perception."""
    reader = "Responses.from_staff_tables" if noun == STAFF else "Responses.from_tables"
    if not isinstance(value, Responses):
        msg = (
            f"{name}: expected Responses ({reader} or its records twin), got {type(value).__name__}"
        )
        raise InvalidType(msg)
    if value.noun != noun:
        msg = f"{name}: expected {noun}s ({reader} or its records twin), got {value.noun}s"
        raise InvalidValue(msg, code="invalid_argument")
    perceived = np.flatnonzero(~np.isnan(value.perception))
    if noun == STAFF and len(perceived):
        k = int(perceived[0])
        msg = (
            f"{noun} {value.ids[value.answer_of[k]]}, item {value.items[value.item[k]]}: holds a"
            " perception; staff answers hold only the expectations staff believe customers hold"
        )
        raise InvalidValue(msg, code="survey_answer")
    return value


@attrs.frozen(eq=False, repr=False)
class BeliefGap(Displayed):
    """Gap 1 per dealer: the expectations customers state less those staff believe they hold.

    A positive gap is a shortfall: staff believe customers expect less than they do. Each
    side is measured per respondent first, as the scorers do: a respondent's expectation of
    a factor is the weighted mean over its answered items (the factor is scored when
    enough items are answered, as ``min_answered`` says), and their overall expectation the
    mean over the factors (every factor scored). A dealer's figure is the mean over its
    respondents, with its n, standard error and 95 % normal interval ([`Figure`][aftersales_crm.satisfaction.Figure]).

    Attributes:
        instrument: the instrument both sides answered.
        dealers: the dealer of each row.
        expected: per measure, the expectations customers state, one [`Figure`][aftersales_crm.satisfaction.Figure] over
            the dealers. The measures are ``"overall"``, then ``"factor:<id>"`` for each
            factor of the instrument.
        believed: per measure, the expectations staff believe customers hold.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import (
        ...     Answer, StaffAnswer, StaffSurveyAnswered, SurveyAnswered)
        >>> from aftersales_crm.satisfaction import SERVQUAL
        >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> customer = SurveyAnswered(id="S1", instrument="servqual", version="1991",
        ...     customer_id="C1", dealer_id="D1", at=at,
        ...     answers=[Answer(item=i, expectation=7) for i in SERVQUAL.item_ids])
        >>> manager = StaffSurveyAnswered(id="SS1", instrument="servqual", version="1991",
        ...     dealer_id="D1", staff="SM1", role="manager", at=at,
        ...     answers=[StaffAnswer(item=i, expectation=5) for i in SERVQUAL.item_ids])
        >>> gap = belief_gap(Responses.from_records([customer]),
        ...                  Responses.from_staff_records([manager]))
        >>> gap.dealers, gap.gap().tolist(), gap.gap("factor:empathy").tolist()
        (('D1',), [2.0], [2.0])
        >>> gap.expected["overall"].n.tolist(), gap.believed["overall"].n.tolist()
        ([1], [1])
    """

    _display_whole = True  # a row per dealer, the dealers a tuple

    instrument: Instrument
    dealers: tuple[str, ...]
    expected: Mapping[str, Figure]
    believed: Mapping[str, Figure]

    def __attrs_post_init__(self) -> None:
        given: object = self.instrument
        if not isinstance(given, Instrument):
            msg = f"BeliefGap: instrument is {given!r:.60}, expected an Instrument"
            raise InvalidType(msg)
        object.__setattr__(self, "dealers", text_tuple("BeliefGap", "dealers", self.dealers))
        measures = (OVERALL, *(f"factor:{f}" for f in self.instrument.factor_ids))
        for name in ("expected", "believed"):
            side: object = getattr(self, name)
            if not isinstance(side, Mapping) or tuple(side) != measures:
                msg = f"BeliefGap: {name} must map the measures {list(measures)} to Figures"
                raise InvalidValue(msg, code="invalid_argument")
            for fig in side.values():
                if not isinstance(fig, Figure) or len(fig.n) != len(self.dealers):
                    msg = f"BeliefGap: {name} must hold one Figure value per dealer"
                    raise InvalidValue(msg, code="invalid_argument")
            object.__setattr__(self, name, MappingProxyType(dict(side)))

    def __len__(self) -> int:
        """The number of dealers."""
        return len(self.dealers)

    @property
    def measures(self) -> tuple[str, ...]:
        """``"overall"``, then ``"factor:<id>"`` for each factor of the instrument.

        Examples:
            >>> gap = belief_gap(Responses.from_records([]), Responses.from_staff_records([]))
            >>> gap.measures[:3]
            ('overall', 'factor:tangibles', 'factor:reliability')
        """
        return tuple(self.expected)

    def gap(self, measure: str = OVERALL) -> NDArray[np.float64]:
        """Gap 1 per dealer for one measure: customers' mean expectation less staff's.

        NaN for a dealer where either side has no respondent scored.

        Raises:
            InvalidValue: ``measure`` is not one of [`measures`][aftersales_crm.satisfaction.BeliefGap.measures].

        Examples:
            >>> gap = belief_gap(Responses.from_records([]), Responses.from_staff_records([]))
            >>> gap.gap("tangibles")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: no measure 'tangibles'; did you mean 'factor:tangibles'?
        """
        if not isinstance(measure, str) or measure not in self.expected:
            hint = (
                did_you_mean(str(measure), self.measures)
                or f"the measures are {list(self.measures)}"
            )
            msg = f"no measure {measure!r:.60}; {hint}"
            raise InvalidValue(msg, code="invalid_argument")
        out: NDArray[np.float64] = self.expected[measure].mean - self.believed[measure].mean
        return out

    def to_pandas(self) -> Any:
        """A DataFrame, one row per dealer: each measure's gap and both sides' means and n.

        The overall measure gives the columns ``gap1``, ``expected``, ``expected_n``,
        ``believed`` and ``believed_n``; each factor the same with ``:<factor id>``
        appended (``gap1:tangibles``). Needs the ``pandas`` extra.

        Examples:
            >>> gap = belief_gap(Responses.from_records([]), Responses.from_staff_records([]))
            >>> gap.to_pandas().columns.tolist()[:6]
            ['dealer_id', 'gap1', 'expected', 'expected_n', 'believed', 'believed_n']
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, Any] = {"dealer_id": list(self.dealers)}
        for measure in self.measures:
            suffix = "" if measure == OVERALL else ":" + measure.removeprefix("factor:")
            data[f"gap1{suffix}"] = self.gap(measure)
            for side in ("expected", "believed"):
                fig: Figure = getattr(self, side)[measure]
                data[f"{side}{suffix}"] = fig.mean
                data[f"{side}_n{suffix}"] = fig.n
        return pd.DataFrame(data)


def belief_gap(
    responses: Responses,
    staff: Responses,
    *,
    instrument: str | Instrument = "servqual@1991",
    min_answered: float = DEFAULT_MIN_ANSWERED,
) -> BeliefGap:
    """Gap 1 of the gap model per dealer and factor: customers' expectations less staff's beliefs.

    For each dealer ``d`` and measure ``m`` (each factor, and overall):

        gap1_dm = mean over d's customers of E_rm − mean over d's staff of B_sm

    with ``E_rm`` a customer's stated expectation and ``B_sm`` the expectation a staff
    member believes customers hold, each a respondent's weighted mean over the factor's
    answered items (reverse-scored items reversed), overall the mean over the factors. A
    positive gap is a shortfall: staff believe customers expect less than they do, what
    the material calls 管理层对顾客期望的直觉 falling short of 顾客的期望. Only the
    responses to ``instrument`` (any version) count; the customers' perceptions are not used.

    Args:
        responses: customers' responses ([`Responses.from_tables`][aftersales_crm.satisfaction.Responses.from_tables]).
        staff: staff's responses ([`Responses.from_staff_tables`][aftersales_crm.satisfaction.Responses.from_staff_tables]).
        instrument: the instrument both answered, an [`Instrument`][aftersales_crm.satisfaction.Instrument] or a built-in key;
            SERVQUAL's 22 paired items by default.
        min_answered: the share of a factor's items a respondent must answer for the
            factor to be scored ([`DEFAULT_MIN_ANSWERED`][aftersales_crm.satisfaction.DEFAULT_MIN_ANSWERED]).

    Returns:
        The [`BeliefGap`][aftersales_crm.satisfaction.BeliefGap], one row per dealer of either side (the customers' dealers
        first, in their order; from tables, every dealer of the tables).

    Raises:
        InvalidType: ``responses`` or ``staff`` is not [`Responses`][aftersales_crm.satisfaction.Responses], or
            ``instrument`` is neither an instrument nor a key.
        InvalidValue: the instrument asks for no expectation, ``min_answered`` is not in
            (0, 1], or an answer breaks the instrument ([`Responses.ratings`][aftersales_crm.satisfaction.Responses.ratings]: an item
            it does not have, a rating off its scale, an item answered twice), naming it.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = Tables.from_book(synthetic.book(30, seed=2))
        >>> gap = belief_gap(Responses.from_tables(tables), Responses.from_staff_tables(tables))
        >>> gap.believed["overall"].n.tolist(), gap.expected["overall"].n.tolist()
        ([3, 3], [3, 5])
        >>> gap.gap().round(2).tolist()  # the staff believe customers expect less than they do
        [0.96, 0.8]
    """
    found = _expecting(instrument)
    rule = ExpectationGap.parameter_constraints["min_answered"]
    share = check_value(belief_gap, "min_answered", min_answered, rule)
    customers = _checked_responses("responses", responses, CUSTOMERS).of(found)
    believers = _checked_responses("staff", staff, STAFF).of(found)
    dealers, customer_rows, staff_rows = _dealer_rows(customers, believers)
    low, high = scale_bounds([item.scale for item in found.items])
    bounds = (float(low.min()), float(high.max())) if len(low) else (-math.inf, math.inf)
    sides = {}
    for name, side, rows in (
        ("expected", customers, customer_rows),
        ("believed", believers, staff_rows),
    ):
        matrix = _expectations(side, found, share)
        measures = (OVERALL, *(f"factor:{f}" for f in found.factor_ids))
        sides[name] = {
            measure: figure(matrix[:, j], rows, len(dealers), 1, _Z, bounds)
            for j, measure in enumerate(measures)
        }
    return BeliefGap(found, dealers, sides["expected"], sides["believed"])


# -- the report --------------------------------------------------------------------------------

_SHARES: Final = ("gap3_on_time", "gap3_first_time_fix", "gap4_advertised")
"""The gaps that are shares (shown as percentages); gaps 1 and 5 are rating points."""

_REASONS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "no_expectations": (
            "neither customers nor staff stated expectations on {instrument}",
            "顾客和员工都没有在{instrument}上填写期望值",
        ),
        "no_customer_expectations": (
            "no customer stated expectations on {instrument}",
            "没有顾客在{instrument}上填写期望值",
        ),
        "no_staff_beliefs": (
            "no staff member stated what customers expect on {instrument}",
            "没有员工在{instrument}上填写对顾客期望的判断",
        ),
        "not_measured": (
            (
                "not measured: it compares managers' beliefs with the standards they wrote,"
                " which only the dealer's own documents hold"
            ),
            "不测量:它比较管理层的认识与其制定的服务标准,两者只在经销商自己的文件中",
        ),
        "no_promised_orders": (
            "no order with a promised time was delivered",
            "没有已交车的承诺交车时间工单",
        ),
        "no_repair_jobs": (
            "no repair job to judge for a first-time fix",
            "没有可评估一次修复的维修工单",
        ),
        "not_advertised": (
            "no advertised waiting times were given",
            "未给出对顾客承诺的等待时间",
        ),
        "no_advertised_orders": (
            "no order of a service with an advertised wait was delivered",
            "没有已交车的承诺等待时间服务工单",
        ),
        "no_paired_answers": (
            (
                "no customer rated both the expectation and the perception of enough items"
                " on {instrument}"
            ),
            "没有顾客在{instrument}上对足够的项目同时填写期望值和感知值",
        ),
    }
)
"""Why a gap is missing for a dealer: code → (English, Chinese), the library's words."""

_HEADINGS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "dealer": ("dealer", "经销商"),
        "gap1": ("gap 1", "差距1"),
        "gap1_n": ("n customers/staff", "人数 顾客/员工"),
        "gap3_on_time": ("gap 3 on time", "差距3 按时交车"),
        "gap3_first_time_fix": ("gap 3 first-time fix", "差距3 一次修复"),
        "gap4_advertised": ("gap 4 advertised wait", "差距4 承诺等待时间"),
        "gap5": ("gap 5", "差距5"),
        "gap5_n": ("n", "人数"),
        "gap2": ("gap 2", "差距2"),
    }
)

_SHOWN: Final = 10
"""How many dealers a line of the printed report names before counting the rest."""


def _answered_by(responses: Responses, day: date, zone: str | tzinfo) -> Responses:
    """The responses answered by the end of ``day`` in ``zone``."""
    on = business_dates(responses.at, zone)
    return responses.take(np.flatnonzero(on <= np.datetime64(day, "D")))


def _why_gap1(expected: NDArray[np.int64], believed: NDArray[np.int64]) -> NDArray[np.object_]:
    out = np.full(len(expected), None, dtype=object)
    out[(expected == 0) & (believed > 0)] = "no_customer_expectations"
    out[(expected > 0) & (believed == 0)] = "no_staff_beliefs"
    out[(expected == 0) & (believed == 0)] = "no_expectations"
    return out


def _why(missing: NDArray[np.bool_], code: str) -> NDArray[np.object_]:
    out = np.full(len(missing), None, dtype=object)
    out[missing] = code
    return out


def _kind(values: object) -> Kind:
    """Counts stay whole numbers; every other column is a float."""
    return "i" if np.asarray(values).dtype.kind in "iu" else "f"


def _width(text: str) -> int:
    """How many columns ``text`` takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines, columns padded to their widest cell (the first left-aligned)."""
    widths = [max(_width(row[j]) for row in rows) for j in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (w - _width(cell)) if j == 0 else " " * (w - _width(cell)) + cell
            for j, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _named(dealers: list[str], *, zh: bool) -> str:
    shown = ("、" if zh else ", ").join(dealers[:_SHOWN])
    more = len(dealers) - _SHOWN
    if more > 0:
        shown += f"等{len(dealers)}家" if zh else f" and {more} more"
    return shown


@attrs.frozen(eq=False, repr=False)
class GapReport(Displayed):
    """The gaps of the service-quality gap model side by side, one row per dealer.

    Every gap is the bar less what meets it, so a positive gap is a shortfall; NaN where
    the data does not allow the gap, with the reason in ``reasons``.

    Columns (each one value per dealer):

    * ``gap1``: customers' mean stated expectation less staff's mean believed expectation
      (rating points, [`belief_gap`][aftersales_crm.satisfaction.belief_gap]); ``gap1:<factor>`` per factor;
      ``gap1_customers`` and ``gap1_staff``: the respondents scored on each side.
    * ``gap2``: NaN: not measured (only the dealer's documents hold both sides).
    * ``gap3_on_time`` and ``gap3_first_time_fix``: the standards less the shares of
      promises kept and of repair jobs fixed first time; ``gap3_on_time_n`` (orders
      delivered with a promised time) and ``gap3_first_time_fix_n`` (repair jobs).
    * ``gap4_advertised``: the share of orders of an advertised service not ready within
      the advertised wait; ``gap4_advertised_n``: those orders.
    * ``gap5``: customers' mean expectation less their mean perception (rating points:
      the [`ExpectationGap`][aftersales_crm.satisfaction.ExpectationGap] score with its sign turned); ``gap5_n``: respondents scored.

    Attributes:
        dealers: the dealer of each row, in the order of the tables.
        as_of: the day the report describes; no later fact counted.
        instrument: the instrument gaps 1 and 5 are measured on.
        columns: column name → array, one value per dealer.
        reasons: per gap column, why it is NaN for each dealer: a code, or None where it is
            measured (texts in [`format`][aftersales_crm.satisfaction.GapReport.format] and [`to_pandas`][aftersales_crm.satisfaction.GapReport.to_pandas]).
        thresholds: gap column → the value above which a dealer is flagged.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30",
        ...                     thresholds={"gap3_on_time": 0.1})
        >>> report.dealers, report.reasons["gap5"].tolist()
        (('D0000', 'D0001'), ['no_paired_answers', 'no_paired_answers'])
        >>> bool((report.flagged["gap3_on_time"] == (report["gap3_on_time"] > 0.1)).all())
        True
    """

    _display_whole = True  # a row per dealer, the dealers a tuple

    GAPS: ClassVar[tuple[str, ...]] = (
        "gap1",
        "gap2",
        "gap3_on_time",
        "gap3_first_time_fix",
        "gap4_advertised",
        "gap5",
    )
    """The gap columns, one or two per gap of the model (gap 1 adds one per factor)."""

    dealers: tuple[str, ...]
    as_of: date
    instrument: Instrument
    columns: Mapping[str, NDArray[Any]]
    reasons: Mapping[str, NDArray[np.object_]]
    thresholds: Mapping[str, float] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "dealers", text_tuple("GapReport", "dealers", self.dealers))
        n = len(self.dealers)
        for name, kind in (
            ("as_of", date),
            ("instrument", Instrument),
            ("columns", Mapping),
            ("reasons", Mapping),
            ("thresholds", Mapping),
        ):
            given: object = getattr(self, name)
            if not isinstance(given, kind):
                msg = f"GapReport: {name} is {type(given).__name__}, expected {kind.__name__}"
                raise InvalidType(msg)
        columns = {
            str(k): frozen("GapReport", f"columns[{k!r}]", v, _kind(v))
            for k, v in self.columns.items()
        }
        reasons = {
            str(k): frozen("GapReport", f"reasons[{k!r}]", v, "o") for k, v in self.reasons.items()
        }
        wrong = [k for k, v in (*columns.items(), *reasons.items()) if len(v) != n]
        if wrong:
            msg = f"GapReport: {wrong[0]} has not one value per dealer ({n})"
            raise InvalidValue(msg, code="invalid_argument")
        gaps = (*self.GAPS, *(f"gap1:{f}" for f in self.instrument.factor_ids))
        counts = ("gap1_customers", "gap1_staff", "gap5_n")
        missing = [g for g in (*gaps, *counts) if g not in columns]
        missing += [f"the reasons of {g}" for g in gaps if g not in reasons]
        if missing:
            msg = f"GapReport: {missing} are missing"
            raise InvalidValue(msg, code="invalid_argument")
        unknown = [
            c
            for v in reasons.values()
            for c in v.tolist()
            if c is not None and not (isinstance(c, str) and c in _REASONS)
        ]
        if unknown:
            msg = f"GapReport: reasons hold {unknown[0]!r:.40}, not one of {list(_REASONS)}"
            raise InvalidValue(msg, code="invalid_argument")
        set_(self, "columns", MappingProxyType(columns))
        set_(self, "reasons", MappingProxyType(reasons))
        set_(self, "thresholds", MappingProxyType(_thresholds(self.thresholds, self.gap_columns)))

    def __len__(self) -> int:
        """The number of dealers."""
        return len(self.dealers)

    def __getitem__(self, name: str) -> NDArray[Any]:
        """The column ``name``.

        Raises:
            InvalidValue: no column has that name; the message suggests close names.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> report["gap3_on_time_n"].dtype.kind  # a count
            'i'
            >>> report["gap_5"]
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: no column 'gap_5'; did you mean 'gap5' or 'gap5_n' or 'gap2'?
        """
        try:
            return self.columns[name]
        except (KeyError, TypeError):
            hint = did_you_mean(str(name), self.columns) or f"the columns are {list(self.columns)}"
            msg = f"no column {name!r:.60}; {hint}"
            raise InvalidValue(msg, code="invalid_argument") from None

    @property
    def gap_columns(self) -> tuple[str, ...]:
        """The columns holding a gap, those ``thresholds`` may name: gap 1 per factor too, not gap 2.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> report.gap_columns[:5]
            ('gap1', 'gap3_on_time', 'gap3_first_time_fix', 'gap4_advertised', 'gap5')
        """
        factors = tuple(f"gap1:{f}" for f in self.instrument.factor_ids)
        return tuple(g for g in (*self.GAPS, *factors) if g != "gap2")

    @property
    def flagged(self) -> Mapping[str, NDArray[np.bool_]]:
        """Per gap given a threshold, the dealers whose gap exceeds it (a NaN gap never does).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> dict(report.flagged)
            {}
        """
        return MappingProxyType(
            {name: np.asarray(self.columns[name] > t) for name, t in self.thresholds.items()}
        )

    def why(self, gap: str, lang: str = "en") -> NDArray[np.object_]:
        """Why ``gap`` is missing for each dealer, in ``lang`` (zh or en); None where measured.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> report.why("gap4_advertised")[0]
            'no advertised waiting times were given'
        """
        zh = language(lang) == "zh"
        codes = self.reasons.get(gap) if isinstance(gap, str) else None
        if codes is None:
            hint = did_you_mean(str(gap), self.reasons) or f"the gaps are {list(self.reasons)}"
            msg = f"no gap {gap!r:.60}; {hint}"
            raise InvalidValue(msg, code="invalid_argument")
        texts = {
            code: text[zh].format(instrument=self.instrument.key) for code, text in _REASONS.items()
        }
        out: NDArray[np.object_] = np.array(
            [None if c is None else texts[c] for c in codes.tolist()], dtype=object
        )
        return out

    def to_pandas(self) -> Any:
        """A DataFrame, one row per dealer: ``dealer_id``, the columns, why each gap is missing, flags.

        ``<gap>_why`` holds the reason in English (None where measured) and
        ``<gap>_flagged`` is True above the gap's threshold. Needs the ``pandas`` extra.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> frame = report.to_pandas()
            >>> frame.loc[0, ["dealer_id", "gap1_why", "gap4_advertised_why"]].tolist()
            ['D0000', 'neither customers nor staff stated expectations on servqual@1991', 'no advertised waiting times were given']
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, Any] = {"dealer_id": list(self.dealers), **self.columns}
        for gap in self.reasons:
            data[f"{gap}_why"] = self.why(gap)
        for gap, flags in self.flagged.items():
            data[f"{gap}_flagged"] = flags
        return pd.DataFrame(data)

    def format(self, lang: str = "zh") -> str:
        """The report as text in ``lang`` (zh or en): the table, why gaps are missing, remedies.

        The first table sets the gaps side by side (shares as percentages, rating points
        to two decimals, ``–`` where a gap is missing, ``*`` above its threshold); the
        second gives gap 1 per factor. Then the reasons a gap is missing, and for each gap
        of the model its causes and remedies in the material's words
        (``ServiceGap.advice``) with the dealers flagged on it.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
            >>> print(report.format("en"))  # doctest: +ELLIPSIS
            Service-quality gaps by dealer as of 2026-06-30 (instrument servqual@1991); a positive gap is a shortfall
            dealer  gap 1  n customers/staff  gap 3 on time  gap 3 first-time fix  gap 4 advertised wait  gap 5  n
            D0000       –                0/0          11.6%                  3.0%                      –      –  0
            D0001       –                0/0          13.4%                  4.2%                      –      –  0
            ...
            Why gaps are missing:
            gap 1, every dealer: neither customers nor staff stated expectations on servqual@1991
            ...
            Gap 3, the service performance gap: the service delivered against the service quality standards
            causes: 1. unclear roles; ...
        """
        zh = language(lang) == "zh"
        day, key = self.as_of.isoformat(), self.instrument.key
        head = (
            f"截至{day}各经销商的服务质量差距(问卷{key});差距为正即不足"
            if zh
            else f"Service-quality gaps by dealer as of {day} (instrument {key});"
            " a positive gap is a shortfall"
        )
        if self.thresholds:
            head += ",*为超过阈值" if zh else "; * marks a gap above its threshold"
        main = (
            "gap1",
            "gap1_n",
            "gap3_on_time",
            "gap3_first_time_fix",
            "gap4_advertised",
            "gap5",
            "gap5_n",
        )
        lines = [head, *self._table(main, zh=zh)]
        factors = tuple(f"gap1:{f}" for f in self.instrument.factor_ids)
        lines += ["", "差距1(按因素)" if zh else "Gap 1 by factor", *self._table(factors, zh=zh)]
        lines += self._missing(zh=zh)
        for gap in SERVICE_GAPS:
            lines += ["", gap.advice("zh" if zh else "en"), *self._flags(gap.number, zh=zh)]
        return "\n".join(lines)

    def __str__(self) -> str:
        """The report in Chinese ([`format`][aftersales_crm.satisfaction.GapReport.format])."""
        return self.format()

    def _label(self, name: str, *, zh: bool) -> str:
        """A column's heading: gap 1's factors by their names in the instrument."""
        if name.startswith("gap1:"):
            factor = self.instrument.factor(name.removeprefix("gap1:"))
            return f"差距1 {factor.name_zh}" if zh else f"gap 1 {factor.name_en}"
        return _HEADINGS[name][zh]

    def _cell(self, name: str, row: int) -> str:
        """One dealer's value of a column as printed."""
        if name == "gap1_n":  # both sides' n in one cell
            return f"{self.columns['gap1_customers'][row]}/{self.columns['gap1_staff'][row]}"
        column = self.columns[name]
        value = float(column[row])
        if math.isnan(value):
            return "–"
        if name in _SHARES:
            text = f"{100 * value:.1f}%"
        else:
            text = f"{value:.0f}" if column.dtype.kind == "i" else f"{value:.2f}"
        if text.startswith("-") and not text.strip("-0.%"):
            text = text[1:]  # a value that rounds to zero shows no sign
        flags = self.flagged.get(name)
        return text + "*" if flags is not None and flags[row] else text

    def _table(self, names: tuple[str, ...], *, zh: bool) -> list[str]:
        heads = [_HEADINGS["dealer"][zh], *(self._label(n, zh=zh) for n in names)]
        if names and names[0].startswith("gap1:"):  # the factors under one heading
            factors = [self.instrument.factor(n.removeprefix("gap1:")) for n in names]
            heads[1:] = [f.name_zh if zh else f.name_en for f in factors]
        rows = [[d, *(self._cell(n, i) for n in names)] for i, d in enumerate(self.dealers)]
        return _table([heads, *rows])

    def _missing(self, *, zh: bool) -> list[str]:
        """Per gap and reason, the dealers missing it (a factor's only where gap 1 is not)."""
        lines = []
        overall = self.reasons["gap1"].tolist()
        for gap, reasons in self.reasons.items():
            codes = reasons.tolist()
            if gap.startswith("gap1:"):
                codes = [None if c == o else c for c, o in zip(codes, overall, strict=True)]
            texts = self.why(gap, "zh" if zh else "en").tolist()
            for code in dict.fromkeys(c for c in codes if c is not None):
                hit = [d for d, c in zip(self.dealers, codes, strict=True) if c == code]
                who = (
                    ("所有经销商" if zh else "every dealer")
                    if len(hit) == len(self.dealers)
                    else _named(hit, zh=zh)
                )
                text, label = texts[codes.index(code)], self._label(gap, zh=zh)
                lines.append(f"{label}:{who}:{text}" if zh else f"{label}, {who}: {text}")
        if not lines:
            return []
        return ["", "缺少的差距及原因:" if zh else "Why gaps are missing:", *lines]

    def _flags(self, number: int, *, zh: bool) -> list[str]:
        """The dealers above each threshold of gap ``number``."""
        lines = []
        for name, flags in self.flagged.items():
            if not name.startswith(f"gap{number}"):
                continue
            hit = [d for d, f in zip(self.dealers, flags.tolist(), strict=True) if f]
            limit = self.thresholds[name]
            shown = f"{100 * limit:.1f}%" if name in _SHARES else f"{limit:.2f}"
            who = _named(hit, zh=zh) if hit else ("无" if zh else "none")
            label = self._label(name, zh=zh)
            lines.append(
                f"超过阈值({label} > {shown}):{who}"
                if zh
                else f"above the threshold ({label} > {shown}): {who}"
            )
        return lines


def _thresholds(given: object, gaps: tuple[str, ...]) -> dict[str, float]:
    """The thresholds, by gap column, checked."""
    if not isinstance(given, Mapping):
        msg = f"thresholds is {type(given).__name__}, expected a mapping of gap column to a number"
        raise InvalidType(msg)
    out = {}
    for name, value in given.items():
        if name not in gaps:
            hint = did_you_mean(str(name), gaps) or f"the gaps are {list(gaps)}"
            msg = f"thresholds names {name!r:.60}, not a gap the report measures; {hint}"
            raise InvalidValue(msg, code="invalid_argument")
        out[name] = real_number(value, parameter=f"thresholds[{name!r}]", minimum=-math.inf)
    return out


def gap_report(
    tables: Tables,
    *,
    as_of: date | str,
    instrument: str | Instrument = "servqual@1991",
    standards: DeliveryStandards = DELIVERY_STANDARDS,
    advertised: Mapping[ServiceKind | str, timedelta] | None = None,
    roles: Collection[StaffRole | str] | None = None,
    thresholds: Mapping[str, float] | None = None,
    min_answered: float = DEFAULT_MIN_ANSWERED,
    window: timedelta = FIRST_TIME_FIX_WINDOW,
    time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
) -> GapReport:
    """The gaps of the service-quality gap model side by side per dealer, with their remedies.

    * **Gap 1** from the survey answers by ``as_of``: [`belief_gap`][aftersales_crm.satisfaction.belief_gap] of the customers'
      and the staff's responses to ``instrument`` (staff of ``roles`` only, if given).
    * **Gap 2** is listed as not measured.
    * **Gaps 3 and 4** from the repair orders: [`delivery_gaps`][aftersales_crm.satisfaction.delivery_gaps] with ``standards``,
      ``advertised``, ``window`` and ``time_zone``.
    * **Gap 5** from the customers' answers by ``as_of``: each respondent's
      [`ExpectationGap`][aftersales_crm.satisfaction.ExpectationGap] score (perceived less expected) with its sign turned, so that
      a positive gap 5 is a shortfall as the others are, averaged per dealer.

    Columnar throughout: every figure is a ``numpy.bincount`` over the dealers.

    Args:
        tables: the customer base (dealers, orders and lines, surveys and staff surveys).
        as_of: the day (its end, in ``time_zone``) facts are counted up to.
        instrument: the instrument gaps 1 and 5 are measured on (SERVQUAL by default).
        standards: the gap-3 standards; every promise kept and every job fixed first time
            by default.
        advertised: service kind → the waiting time the dealer advertises; without it
            gap 4 is missing.
        roles: the staff roles whose beliefs count for gap 1 (``["manager"]`` for managers
            alone, as the material words the gap); every role by default.
        thresholds: gap column → the value above which a dealer is flagged; none by
            default (see [`GapReport.gap_columns`][aftersales_crm.satisfaction.GapReport.gap_columns]).
        min_answered: the share of a factor's items a respondent must answer.
        window: the first-time-fix comeback window (30 days by default).
        time_zone: the dealers' time zone (Beijing time by default).

    Returns:
        The [`GapReport`][aftersales_crm.satisfaction.GapReport], one row per dealer in the order of ``tables.dealers``.

    Raises:
        InvalidType: ``tables`` is not [`Tables`][aftersales_crm.tables.Tables], or an
            argument is of the wrong type.
        InvalidValue: an argument out of range; an instrument asking no expectation or no
            paired items; an answer breaking the instrument; a threshold of an unknown gap.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> report = gap_report(synthetic.tables(500, seed=1), as_of="2026-06-30")
        >>> report["gap3_on_time"].round(3).tolist(), report.reasons["gap1"].tolist()
        ([0.116, 0.134], ['no_expectations', 'no_expectations'])
    """
    given: object = tables  # typed, but callers may pass anything
    if not isinstance(given, Tables):
        msg = f"tables is a {type(given).__name__}, expected Tables"
        raise InvalidType(msg)
    found = _expecting(instrument)
    day = as_of_date(as_of)
    zone = to_time_zone(time_zone)
    delivery = delivery_gaps(
        tables, as_of=day, standards=standards, advertised=advertised, window=window, time_zone=zone
    )
    customers = _answered_by(Responses.from_tables(tables).of(found), day, zone)
    staff = _answered_by(Responses.from_staff_tables(tables, roles=roles).of(found), day, zone)
    beliefs = belief_gap(customers, staff, instrument=found, min_answered=min_answered)
    scores = ExpectationGap(instrument=found, min_answered=min_answered).score(customers)
    n_dealers = len(tables.dealers)
    satisfaction = figure(scores.values, customers.dealer, n_dealers, 1, _Z, scores.bounds)
    expected_n, believed_n = beliefs.expected[OVERALL].n, beliefs.believed[OVERALL].n
    columns: dict[str, NDArray[Any]] = {
        "gap1": beliefs.gap(),
        "gap1_customers": expected_n,
        "gap1_staff": believed_n,
        **{f"gap1:{f}": beliefs.gap(f"factor:{f}") for f in found.factor_ids},
        "gap2": np.full(n_dealers, np.nan),
        "gap3_on_time": delivery["gap3_on_time"],
        "gap3_on_time_n": delivery["promised"],
        "gap3_first_time_fix": delivery["gap3_first_time_fix"],
        "gap3_first_time_fix_n": delivery["repair_jobs"],
        "gap4_advertised": delivery["gap4_advertised"],
        "gap4_advertised_n": delivery["advertised_orders"],
        "gap5": -satisfaction.mean,
        "gap5_n": satisfaction.n,
    }
    advertised_any = bool(advertised)
    reasons = {
        "gap1": _why_gap1(expected_n, believed_n),
        **{
            f"gap1:{f}": _why_gap1(
                beliefs.expected[f"factor:{f}"].n, beliefs.believed[f"factor:{f}"].n
            )
            for f in found.factor_ids
        },
        "gap2": _why(np.ones(n_dealers, dtype=bool), "not_measured"),
        "gap3_on_time": _why(delivery["promised"] == 0, "no_promised_orders"),
        "gap3_first_time_fix": _why(delivery["repair_jobs"] == 0, "no_repair_jobs"),
        "gap4_advertised": _why(
            delivery["advertised_orders"] == 0,
            "no_advertised_orders" if advertised_any else "not_advertised",
        ),
        "gap5": _why(satisfaction.n == 0, "no_paired_answers"),
    }
    return GapReport(
        dealers=tuple(str(d) for d in delivery.ids.tolist()),
        as_of=day,
        instrument=found,
        columns=columns,
        reasons=reasons,
        thresholds={} if thresholds is None else thresholds,
    )
