"""The report's sections, shared by ``demo`` and ``report``: lines to read, data to keep.

Each section is a generator over its text lines that also fills a mapping with the same
figures as plain data (numbers as numbers, money as integer minor units in fields named
``*_fen``, the tables' currency given once by the report). ``build`` runs the sections
in ``SECTIONS`` order over one ``Context`` and returns them as ``Section``s;
the renderers of ``aftersales_crm._cli._render`` turn those into text, JSON or HTML.
A builder yields lines of prose, and its tables as ``Grid``s (``_blocks``), so that the
HTML report shows them as tables and the text report as the demo has always printed them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features
from aftersales_crm._cli._blocks import Block, Grid, Pre, text_lines
from aftersales_crm.care import Planner, TaskStatus, followup_kpis, master_data_quality
from aftersales_crm.clv import GammaGamma, lifetime_value
from aftersales_crm.complaints import recovery
from aftersales_crm.errors import AftersalesError, MissingDependencyError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import ChurnRisk, LoyaltyStatus, LoyaltyValueMatrix, Strategy
from aftersales_crm.membership import (
    RECRUITMENT_TARGET,
    Entry,
    Ledger,
    MemberLog,
    PointFlows,
    PointsRule,
    Qualifying,
    QualifyingLevels,
    Settlement,
    balances,
    club_kpis,
)
from aftersales_crm.records import Book
from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    NPS,
    SERVQUAL,
    CsiIndex,
    GroupFigures,
    Responses,
    Servqual,
    aggregate,
    gap_report,
)
from aftersales_crm.segmentation import ParetoABC
from aftersales_crm.tables import Tables
from aftersales_crm.values import CompassSector, Money, ServiceKind

__all__ = ["SECTIONS", "Context", "Section", "build"]

Data = dict[str, Any]
"""A section's figures as plain data (what the JSON report holds)."""


@attrs.define(eq=False)
class Context:
    """What every section reads: the tables, their features, the day of the facts.

    Attributes:
        tables: the checked tables.
        feats: their customer features on ``as_of``.
        as_of: the last day of the facts; the agenda is for the day after.
        book: the records, when the tables were built from them (the demo): the club
            section then adds HQ's settlement, which replays each member's ledger.
        arrays: per-customer results a section computed, by name, for the figures
            (``"p_alive"``), so that no model is fitted twice.
        data: each built section's data by key, for the figures.
        results: what a section fitted or planned, by name, for the figures
            (``"abc"``, ``"matrix"``, ``"matrix_summary"``, ``"churn_model"``,
            ``"agenda"``): the figures draw these objects, never refit them.
    """

    tables: Tables
    feats: FeatureTable
    as_of: dt.date
    book: Book | None = None
    arrays: dict[str, NDArray[Any]] = attrs.Factory(dict)
    data: dict[str, Data] = attrs.Factory(dict)
    results: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen
class Section:
    """One section of the report: its key, heading, text lines and data.

    Attributes:
        key: the section's name in the JSON report and the HTML anchor (``"churn"``).
        title: its heading.
        lines: the text, as the demo prints it.
        data: the figures as plain data.
        blocks: the same text as lines of prose and tables, for HTML (by default the
            lines, as prose).
    """

    key: str
    title: str
    lines: tuple[str, ...]
    data: Data
    blocks: tuple[Block, ...] = attrs.field()

    @blocks.default
    def _prose(self) -> tuple[Block, ...]:
        return self.lines


_QUANTILES = (0.0, 0.25, 0.5, 0.75, 0.9, 1.0)
_PROFILE_SHOWN = 4


def _quantiles(values: NDArray[Any]) -> list[float]:
    return [float(q) for q in np.quantile(values, _QUANTILES)] if len(values) else []


def _quantile_row(name: str, values: NDArray[Any], show: Callable[[float], str]) -> tuple[str, ...]:
    shown = [show(q) for q in _quantiles(values)] or ["-" for _ in _QUANTILES]  # no values
    return (name, *shown)


def _features(ctx: Context, data: Data) -> Iterator[Block]:
    tables, feats, as_of = ctx.tables, ctx.feats, ctx.as_of
    vehicles = feats.vehicles
    assert vehicles is not None
    yield f"Customer features on {as_of} ({len(feats)} customers, {len(feats.columns)} features each)"
    seen = feats["visits"] > 0

    def yuan(fen: float) -> str:
        return Money.from_minor(round(fen), tables.currency).format()

    yield "  Distributions over customers with visits (vehicles: all)"
    yield Grid(
        ("", *("min" if q == 0 else "max" if q == 1 else f"p{round(q * 100)}" for q in _QUANTILES)),
        [
            _quantile_row("recency (days)", feats["recency_days"][seen], lambda x: f"{x:.0f}"),
            _quantile_row("visits", feats["visits"][seen], lambda x: f"{x:.0f}"),
            _quantile_row("spend, all pay", feats["spend_fen"][seen], yuan),
            _quantile_row("spend, last 12 months", feats["spend_window_fen"][seen], yuan),
            _quantile_row("vehicle km/day", vehicles["km_per_day"], lambda x: f"{x:.1f}"),
        ],
        widths=(26, *(13 for _ in _QUANTILES)),
    )
    money = ("spend_fen", "spend_window_fen")
    data.update(
        customers=len(feats),
        with_visits=int(seen.sum()),
        quantile_levels=list(_QUANTILES),
        quantiles={
            name: [round(q) if name in money else q for q in _quantiles(feats[name][seen])]
            for name in ("recency_days", "visits", *money)
        }
        | {"km_per_day": _quantiles(vehicles["km_per_day"])},
    )
    methods = Counter(vehicles["km_per_day_method"].tolist())
    yield "  km/day estimated from: " + ", ".join(
        f"{m.label('en')} {methods[i]}" for i, m in enumerate(features.MileageMethod)
    )
    returned = feats["returned_after_first_maintenance"][~np.isnat(feats["first_maintenance"])]
    data["returned_after_first_maintenance"] = {
        "returned": int(returned.sum()),
        "of": len(returned),
    }
    yield (
        f"  Came back after the first maintenance (首保后回厂): {int(returned.sum())} of "
        f"{len(returned)} ({returned.mean():.0%})"
        if len(returned)
        else "  No first maintenance in the history"
    )
    yield "  A few customers' profiles (features.profile, same kernels as the batch):"
    header = ("customer", "visits", "recency", "spend", "last 12 mo", "returned", "km", "sector")
    profiles = []
    for customer_id in feats.ids[seen][:_PROFILE_SHOWN].tolist():
        row = features.profile(tables, customer_id, as_of=as_of).row(customer_id)
        sector = "-" if row["sector"] < 0 else list(CompassSector)[row["sector"]].label("zh")
        cells = (
            customer_id,
            row["visits"],
            f"{row['recency_days']:.0f} d",
            yuan(row["spend_fen"]),
            yuan(row["spend_window_fen"]),
            "yes" if row["returned_after_first_maintenance"] else "no",
            "-" if row["distance_km"] is None else f"{row['distance_km']:.1f}",
            sector,
        )
        profiles.append(cells)
    yield Grid(header, profiles, widths=(12 for _ in header))


_ABC_WIDTHS = (9, 11, 8, 18, 13, 10)


def _segments(ctx: Context, data: Data) -> Iterator[Block]:
    tables, feats = ctx.tables, ctx.feats
    abc = ctx.results["abc"] = ParetoABC().fit(feats)
    report = abc.report()
    yield "Value classes (客户价值ABC分类): customers ranked by cumulative spend"
    header = ("class", "customers", "share", "spend", "value share", "rule")
    rows, classes = [], []
    for i, name in enumerate(report.names):
        low, high = report.rule[i]
        cells = (
            f"{name}类",
            str(report.customers[i]),
            f"{report.customer_shares[i]:.0%}",
            Money.from_minor(int(report.values[i]), tables.currency).format(),
            f"{report.value_shares[i]:.1%}",
            f"{low:.0%}–{high:.0%}",
        )
        rows.append(cells)
        classes.append(
            {
                "name": name,
                "customers": int(report.customers[i]),
                "customer_share": float(report.customer_shares[i]),
                "spend_fen": int(report.values[i]),
                "value_share": float(report.value_shares[i]),
                "rule": [float(low), float(high)],
            }
        )
    yield Grid(header, rows, widths=_ABC_WIDTHS)
    follows = bool(report.follows_rule())
    verdict = "follows" if follows else "departs from"
    yield f"  This base {verdict} the 70–80 / 20–25 / 5–10 rule of thumb."
    data.update(value="spend_fen", classes=classes, follows_rule=follows)


def _matrix(ctx: Context, data: Data) -> Iterator[Block]:
    feats = ctx.feats
    matrix = ctx.results["matrix"] = LoyaltyValueMatrix().fit(feats)
    summary = ctx.results["matrix_summary"] = matrix.matrix(feats)
    yield "Loyalty × value matrix (客户细分矩阵): customers per cell"
    yield "  rows: back after the first maintenance (首保后回厂), then the service interval"
    yield "  columns: member value, D 钻石 top 20% / G 黄金 next 30% / S 白银 the rest"
    yield Grid(
        ("", *summary.column_heads("zh")),
        [
            (head, *(f"{int(n):,}" for n in counts))
            for head, counts in zip(summary.row_heads("zh"), summary.counts, strict=True)
        ],
        text=("    " + line for line in summary.format("zh").splitlines()),
    )
    if summary.unplaced:
        yield f"  {summary.unplaced} customers without a status or a value class are not placed"
    strategies = matrix.strategies(matrix.assign(feats)).counts()
    yield "  Strategy per cell and customers it covers:"
    listed, rows, lines = [], [], []
    for strategy in Strategy:
        cells_of = [c for c in matrix.cells() if matrix.strategy_of(c) is strategy]
        covered = strategies.get(strategy.value, 0)
        zh = f"{strategy.heading('zh')} {strategy.label('zh')}"
        lines += [
            f"    {','.join(cells_of):<12}{covered:>5}  {zh}",
            f"    {'':<17}  {strategy.label('en')}",
        ]
        rows.append((",".join(cells_of), f"{covered:,}", zh, strategy.label("en")))
        listed.append(
            {
                "strategy": strategy.value,
                "cells": cells_of,
                "customers": int(covered),
                "label": strategy.label("en"),
            }
        )
    yield Grid(("cells", "customers", "strategy", "in English"), rows, align="lrll", text=lines)
    data.update(
        rows=list(summary.row_names),
        columns=list(summary.column_names),
        counts=np.asarray(summary.counts).tolist(),
        unplaced=int(summary.unplaced),
        strategies=listed,
    )


#: The report's lifetime value: 12 months of 30 days, discounted 1% a month (the defaults
#: of clv.lifetime_value, lifetimes' own; about 12.7% a year).
_CLV_MONTHS, _CLV_MONTH_DAYS, _CLV_MONTHLY_RATE = 12, 30.0, 0.01
#: Customers shown in the lifetime-value ranking.
_CLV_SHOWN = 10
_RISK_WIDTHS = (16, 12, 11, 15)
_CLV_WIDTHS = (10, 8, 11, 10, 14, 13, 12)


def _churn_report(feats: FeatureTable, data: Data | None = None) -> Iterator[Block]:
    """Churn risk beside LoyaltyStatus, and the top customers by lifetime value (clv extra)."""
    data = {} if data is None else data
    try:
        risk = ChurnRisk().fit(feats)
        spend = GammaGamma().fit(feats).expected_spend(feats)
    except MissingDependencyError as err:
        data["skipped"] = str(err)
        yield f"Churn risk and lifetime value (流失预警, 客户终身价值): skipped, {err}"
        return
    model = risk.model_
    params = ", ".join(f"{name} {value:.4g}" for name, value in model.params_.items())
    yield (
        "Churn risk (流失预警): P(alive) of a BG/NBD model fitted on the repeat visits,"
        " recency and age of the customers"
    )
    yield f"  fitted in days: {params}; log-likelihood {model.log_likelihood_:,.1f}"
    by_risk, by_status = risk.assign(feats), LoyaltyStatus().assign(feats)
    high, low = risk.cutoffs
    bands = (f">= {high:g}", f"{low:g} to {high:g}", f"< {low:g}")
    header = ("", "P(alive)", "ChurnRisk", "LoyaltyStatus")
    risk_counts, status_counts = by_risk.counts(), by_status.counts()
    rows: list[tuple[str, ...]] = [
        (
            f"{name} {ChurnRisk.NAMES_ZH[i]}",
            bands[i],
            str(risk_counts.get(name, 0)),
            str(status_counts.get(name, 0)),
        )
        for i, name in enumerate(ChurnRisk.NAMES)
    ]
    outside = (int(np.count_nonzero(by_risk.codes < 0)), int(np.count_nonzero(by_status.codes < 0)))
    rows.append(("not placed", "", *map(str, outside)))
    yield Grid(header, rows, widths=_RISK_WIDTHS)
    once = int(np.count_nonzero((feats["frequency"] == 0) & (feats["visits"] > 0)))
    never = int(np.count_nonzero(feats["visits"] == 0))
    yield (
        f"  not placed by ChurnRisk: {never} customers without a visit and {once} seen on"
        " one day only (BG/NBD gives those P(alive) 1 however long ago they came)"
    )
    both = (by_risk.codes >= 0) & (by_status.codes >= 0)
    same = int(np.count_nonzero(both & (by_risk.codes == by_status.codes)))
    yield f"  the two rules agree on {same:,} of the {int(both.sum()):,} customers both place"
    yield ""
    clv = lifetime_value(
        model,
        feats,
        spend,
        periods=_CLV_MONTHS,
        period=_CLV_MONTH_DAYS,
        discount_rate=_CLV_MONTHLY_RATE,
    )
    horizon = _CLV_MONTHS * _CLV_MONTH_DAYS
    visits = model.expected_visits(feats, horizon)
    p_alive = risk.p_alive(feats).values
    data["p_alive"], data["fitted_model"] = p_alive, model  # for the figures, not the JSON
    yield (
        f"Top {_CLV_SHOWN} customers by lifetime value (客户终身价值): expected spend over the"
        f" next {_CLV_MONTHS} months of {_CLV_MONTH_DAYS:g} days, discounted"
        f" {_CLV_MONTHLY_RATE:.0%} a month (BG/NBD visits x Gamma-Gamma spend per visit)"
    )
    ranking = ("customer", "repeats", "recency", "P(alive)", "visits ahead", "spend/visit", "CLV")
    valued = np.flatnonzero(~np.isnan(clv))
    top = valued[np.lexsort((feats.ids[valued], -clv[valued]))][:_CLV_SHOWN]
    ranked, ranked_rows = [], []
    for row in top.tolist():
        cells = (
            str(feats.ids[row]),
            str(int(feats["frequency"][row])),
            f"{feats['recency_days'][row]:.0f} d",
            f"{p_alive[row]:.3f}",
            f"{visits[row]:.2f}",
            f"¥{spend[row] / 100:,.0f}",
            f"¥{clv[row] / 100:,.0f}",
        )
        ranked_rows.append(cells)
        ranked.append(
            {
                "customer": str(feats.ids[row]),
                "repeats": int(feats["frequency"][row]),
                "recency_days": float(feats["recency_days"][row]),
                "p_alive": float(p_alive[row]),
                "visits_ahead": float(visits[row]),
                "spend_per_visit_fen": round(float(spend[row])),
                "clv_fen": round(float(clv[row])),
            }
        )
    yield Grid(ranking, ranked_rows, widths=_CLV_WIDTHS)
    abc = ParetoABC(value="clv").fit(feats.with_columns(clv=clv)).report()
    yield (
        f"  ranked by lifetime value, ParetoABC's class A ({abc.customer_shares[0]:.0%} of"
        f" the {sum(abc.customers):,} customers with a visit) holds {abc.value_shares[0]:.1%}"
        " of the value"
    )
    data.update(
        model="BG/NBD",
        params_days={name: float(value) for name, value in model.params_.items()},
        log_likelihood=float(model.log_likelihood_),
        bands=[
            {
                "name": name,
                "p_alive": bands[i],
                "churn_risk": int(risk_counts.get(name, 0)),
                "loyalty_status": int(status_counts.get(name, 0)),
            }
            for i, name in enumerate(ChurnRisk.NAMES)
        ],
        not_placed={"churn_risk": outside[0], "loyalty_status": outside[1]},
        agree=same,
        both_placed=int(both.sum()),
        clv={
            "months": _CLV_MONTHS,
            "month_days": _CLV_MONTH_DAYS,
            "monthly_discount_rate": _CLV_MONTHLY_RATE,
        },
        top_clv=ranked,
    )


def _churn(ctx: Context, data: Data) -> Iterator[Block]:
    yield from _churn_report(ctx.feats, data)
    if "p_alive" in data:
        ctx.arrays["p_alive"] = data.pop("p_alive")
    if "fitted_model" in data:
        ctx.results["churn_model"] = data.pop("fitted_model")


_KPI_WIDTHS = (10, 9, 10, 8, 12, 8)
#: What HQ pays a dealer per point in the demo: the programme's number, not the material's.
_DEMO_COST_PER_POINT = "¥0.01"
_POINTS = ("earned", "redeemed", "expired", "reversed", "available", "debt")


def _ledgers(book: Book) -> list[Ledger]:
    """One ledger per club member, from the Book's points entries."""
    by_member: dict[str, list[Entry]] = {}
    for kind in ("points_earned", "points_redeemed", "points_reversed", "points_adjusted"):
        for entry in getattr(book, kind).values():
            by_member.setdefault(entry.member_id, []).append(entry)
    return [Ledger.replay(entries) for _, entries in sorted(by_member.items())]


def _club(ctx: Context, data: Data) -> Iterator[Block]:
    tables, as_of = ctx.tables, ctx.as_of
    if not len(tables.chapters):
        data["skipped"] = "no chapters in the export"
        yield "Owners' club (车友会): no chapters in the export"
        return
    kpis = club_kpis(tables, as_of=as_of)
    chapters = kpis.chapters
    yield "Owners' club (车友会): members per chapter, against the 55% recruitment target"
    header = ("chapter", "members", "applying", "owners", "recruitment", "target")
    listed, rows = [], []
    for i, rate in enumerate(chapters.recruitment_rate.tolist()):
        cells = (
            str(chapters.ids[i]),
            str(chapters.members[i]),
            str(chapters.applying[i]),
            str(chapters.owners[i]),
            f"{rate:.1%}",
            "met" if rate >= RECRUITMENT_TARGET else "below",
        )
        rows.append(cells)
        listed.append(
            {
                "chapter": str(chapters.ids[i]),
                "members": int(chapters.members[i]),
                "applying": int(chapters.applying[i]),
                "owners": int(chapters.owners[i]),
                "recruitment_rate": float(rate),
                "target_met": bool(rate >= RECRUITMENT_TARGET),
            }
        )
    yield Grid(header, rows, widths=_KPI_WIDTHS)
    yield (
        f"  Dealer enrolment (经销商入会率): {kpis.chapters_open} chapters of "
        f"{kpis.full_function_dealers} full-function dealers, {kpis.enrolment_rate:.1%}"
    )
    yield ""
    moment = datetime.combine(as_of, time(23, 59), tzinfo=UTC)
    customer_ids = tables.customers["id"][tables.members["customer"]]
    members = dict(zip(customer_ids, tables.members["id"], strict=True))
    awards = PointsRule().award(tables, as_of=as_of, members=members)
    levels = QualifyingLevels().levels(Qualifying.from_awards(awards), as_of=as_of).counts()
    shown = ", ".join(f"{name} {count}" for name, count in levels.items())
    yield f"Member levels (会员等级) by points a PointsRule awards over 12 months: {shown}"
    points = balances(tables, as_of=moment)
    totals = {name: int(getattr(points, name).sum()) for name in _POINTS}
    yield (
        f"Points (积分) of {len(points)} members: issued {totals['earned']:,}, redeemed "
        f"{totals['redeemed']:,}, expired {totals['expired']:,}, reversed {totals['reversed']:,}; "
        f"{totals['available']:,} still to spend, {totals['debt']:,} owed back"
    )
    data.update(
        recruitment_target=RECRUITMENT_TARGET,
        chapters=listed,
        chapters_open=int(kpis.chapters_open),
        full_function_dealers=int(kpis.full_function_dealers),
        enrolment_rate=float(kpis.enrolment_rate),
        levels={name: int(count) for name, count in levels.items()},
        points={"members": len(points)} | totals,
    )
    if ctx.book is not None:
        yield ""
        yield from _settlement(ctx.book, tables, as_of)


def _settlement(book: Book, tables: Tables, as_of: dt.date) -> Iterator[str]:
    """HQ's settlement with the dealers over the last year, from each member's ledger."""
    ledgers = _ledgers(book)
    moment = datetime.combine(as_of, time(23, 59), tzinfo=UTC)
    cost = Money.parse(_DEMO_COST_PER_POINT)
    start = datetime.combine(as_of.replace(year=as_of.year - 1), time(0), tzinfo=UTC)
    flows = PointFlows.from_ledgers(ledgers, as_of=moment, members=MemberLog.from_tables(tables))
    settled = Settlement.of(flows, start=start, end=moment, cost_per_point=cost)
    yield (
        f"Settlement with HQ (与总部进行积分结算), {start.date()} to {as_of}, "
        f"at {cost.format()} a point"
    )
    for chapter in sorted(settled.redeemed, key=lambda c: -settled.redeemed[c])[:2]:
        issued = sum(n for (_, c), n in settled.issued.items() if c == chapter)
        yield (
            f"    chapter {chapter}: issued {issued:,} points, redeemed"
            f" {settled.redeemed[chapter]:,}"
        )
    for (earned_in, spent_in), points in settled.cross.items():
        yield f"    earned in chapter {earned_in}, redeemed in {spent_in}: {points:,} points"
    for dealer in sorted(settled.redeemed_at, key=lambda d: -settled.redeemed_at[d])[:2]:
        paid = settled.reimbursement.get(dealer, Money.zero(cost.currency))
        yield (
            f"    dealer {dealer}: redeemed {settled.redeemed_at[dealer]:,} points;"
            f" HQ reimburses {paid.format()}"
        )
    accounted = "every point accounted for" if settled.accounts_for() else "points unaccounted for"
    outstanding = sum(settled.liability.values())
    yield f"  Outstanding at the end: {outstanding:,} points; {accounted}."


_CSI_WIDTHS = (10, 6, 8, 14, 6)
#: The dealer's advertised waiting time for a maintenance, and the gaps it flags.
_DEMO_ADVERTISED: Final[dict[ServiceKind | str, timedelta]] = {
    ServiceKind.MAINTENANCE: timedelta(hours=2)
}
_DEMO_THRESHOLDS: Final = {"gap1": 0.5, "gap5": 0.75}


def _figure_table(
    figures: GroupFigures, key: str, measure: tuple[str, str], out: list[Data]
) -> Grid:
    """One row per group: its key, n, mean and interval, and its rank (or why none).

    ``measure`` is the figure's name in ``figures`` and its column heading.
    """
    figure = figures.figures[measure[0]]
    names = figures.keys[key].tolist()
    # Ranked groups best first, then the flagged ones by name.
    order = sorted(
        range(len(names)), key=lambda i: (figures.rank[i] == 0, figures.rank[i], names[i])
    )
    rows = []
    for i in order:
        name = names[i]
        cells = (
            str(name),
            str(int(figure.n[i])),
            f"{figure.mean[i]:.1f}",
            f"{figure.low[i]:.1f}–{figure.high[i]:.1f}",
            f"n<{figures.min_n}" if figures.flagged[i] else f"#{int(figures.rank[i])}",
        )
        rows.append(cells)
        out.append(
            {
                key: str(name),
                "n": int(figure.n[i]),
                "mean": float(figure.mean[i]),
                "low": float(figure.low[i]),
                "high": float(figure.high[i]),
                "rank": None if figures.flagged[i] else int(figures.rank[i]),
            }
        )
    return Grid((key, "n", measure[1], "95% CI", "rank"), rows, widths=_CSI_WIDTHS)


def _gap_report(responses: Responses) -> Iterator[Block]:
    """SERVQUAL's gaps (perceived − expected) per dimension and dealer, and the totals."""
    scores = Servqual().score(responses)
    by_dealer = aggregate(scores, responses, by=["dealer"])
    dealers = by_dealer.keys["dealer"].tolist()
    yield (
        f"Factor gaps (期望与感知差距), SERVQUAL: perceived − expected on 1–7, "
        f"{len(responses):,} answers, with 95% CIs"
    )

    def cell(measure: str, i: int) -> str:
        figure = by_dealer.figures[measure]
        return f"{figure.mean[i]:+.2f} [{figure.low[i]:+.2f}, {figure.high[i]:+.2f}]"

    measures = [
        *((f"factor:{d.id}", f"{d.name_zh} {d.name_en}") for d in SERVQUAL.factors),
        ("servqual", "SERVQUAL"),
        ("weighted", "weighted (重要性)"),
        ("servperf", "SERVPERF (1–7)"),
    ]
    yield Grid(
        ("dimension", *dealers),
        [(label, *(cell(measure, i) for i in range(len(dealers)))) for measure, label in measures],
        widths=(24, *(22 for _ in dealers)),
    )


def _satisfaction(ctx: Context, data: Data) -> Iterator[Block]:
    tables, as_of = ctx.tables, ctx.as_of
    everyone = Responses.from_tables(tables)
    responses = everyone.of(CSI_CHINA_2015)
    if not len(responses):
        data["skipped"] = "no answers to the China CSI survey in the export"
        yield "Customer satisfaction (客户满意度): no answers to the China CSI survey in the export"
        return
    scorer = CsiIndex(instrument=CSI_CHINA_2015)
    scores = scorer.score(responses)
    yield (
        f"Customer satisfaction (客户满意度): {len(responses):,} answers to the China CSI "
        "survey, 0–1000 index with the 2015 weights"
    )
    csi: Data = {"answers": len(responses)}
    for key in ("dealer", "advisor"):
        yield f"  by {key}:"
        rows: list[Data] = []
        csi[f"by_{key}"] = rows
        yield _figure_table(aggregate(scores, responses, by=[key]), key, ("csi_index", "CSI"), rows)
    network = aggregate(scores, responses)
    csi["factors"] = {
        factor.name_en: float(network.figures[f"factor:{factor.id}"].mean[0])
        for factor in CSI_CHINA_2015.factors
    }
    factors = "; ".join(f"{name} {mean:.1f}" for name, mean in csi["factors"].items())
    yield f"  factor scores (0–100), whole network: {factors}"
    promoters = aggregate(NPS().score(responses), responses, by=["dealer"])
    whole = aggregate(NPS().score(responses), responses)
    by_dealer = dict(zip(promoters.keys["dealer"].tolist(), promoters.mean.tolist(), strict=True))
    yield (
        f"  NPS (净推荐值): {whole.mean[0]:+.1f} (95% CI {whole.low[0]:+.1f} to "
        f"{whole.high[0]:+.1f}, n {int(whole.n[0]):,}); "
        + ", ".join(f"{d} {m:+.1f}" for d, m in by_dealer.items())
    )
    nps = {
        "mean": float(whole.mean[0]),
        "low": float(whole.low[0]),
        "high": float(whole.high[0]),
        "n": int(whole.n[0]),
        "by_dealer": {str(d): float(m) for d, m in by_dealer.items()},
    }
    yield ""
    yield from _gap_report(everyone.of(SERVQUAL))
    yield ""
    report = gap_report(
        tables, as_of=as_of, advertised=_DEMO_ADVERTISED, thresholds=_DEMO_THRESHOLDS
    )
    gaps, _, _, *advice = report.format("en").split("\n\n")
    yield "The gap model (服务质量差距模型), per dealer:"
    yield Pre("    " + line for line in gaps.splitlines()[1:])
    for paragraph in advice:
        last = paragraph.splitlines()[-1]
        if last.startswith("above the threshold") and not last.endswith(": none"):
            yield Pre("    " + line for line in paragraph.splitlines())
    yield ""
    drivers = scorer.key_drivers(responses)
    table = drivers.ipa()
    published = CSI_CHINA_2015.factor_weights()
    yield (
        f"Key drivers (关键驱动因素) of the recommend score: R² {drivers.r2_:.2f} over "
        f"{drivers.n_:,} answers ({drivers.dropped_} with a factor or the score missing)"
    )
    key_drivers, driver_rows = [], []
    for i, factor in enumerate(CSI_CHINA_2015.factors):
        quadrant = table.quadrants[i]
        driver_rows.append(
            (
                factor.name_en,
                f"{drivers.shares_['shapley'][i]:.1%}",
                f"{published[i]:.1%}",
                f"  {quadrant.label('zh')} {quadrant.label()}",
            )
        )
        key_drivers.append(
            {
                "factor": factor.name_en,
                "shapley_share": float(drivers.shares_["shapley"][i]),
                "weight_2015": float(published[i]),
                "quadrant": quadrant.label(),
            }
        )
    yield Grid(
        ("factor", "Shapley share", "2015 weight", "  quadrant"),
        driver_rows,
        widths=(20, 14, 13, 0),
        align="lrrl",
    )
    yield ""
    yield "Complaint recovery (投诉处理与客户回厂): who came back within a year, by outcome"
    moment = datetime.combine(as_of, time(23, 59), tzinfo=UTC)
    yield Pre("    " + line for line in recovery(tables, as_of=moment).report().splitlines())
    if ctx.book is not None:
        yield (
            "  (The synthetic network's complaints do not change whether a customer comes back,"
            " so its shares are flat: the table shows the method, the material shows the effect.)"
        )
    data.update(csi=csi, nps=nps, key_drivers={"r2": float(drivers.r2_), "factors": key_drivers})


def _care(ctx: Context, data: Data) -> Iterator[Block]:
    """The follow-up calls per dealer and caller, and master-data quality per dealer."""
    tables, as_of = ctx.tables, ctx.as_of
    yield f"Follow-up calls (3DC/7DC 回访) due by {as_of}, per dealer and call"
    kpis = followup_kpis(tables, as_of=as_of, by=("dealer", "purpose"))
    yield Pre("    " + line for line in kpis.report().splitlines()[1:])
    callers = followup_kpis(tables, as_of=as_of, by=("caller",))
    reach = [
        {"caller": str(name), "reach_rate": float(rate), "attempted": int(n)}
        for name, rate, n in zip(
            callers.keys["caller"].tolist(),
            callers.reach_rate.tolist(),
            callers.attempted.tolist(),
            strict=True,
        )
        if name
    ]
    yield "  per caller, calls reaching the customer: " + (
        ", ".join(f"{r['caller']} {r['reach_rate']:.0%} of {r['attempted']:,}" for r in reach)
        or "no calls attempted"
    )
    data["callers"] = reach
    yield ""
    yield (
        "Master-data quality (客户信息: 真实、完整、准确、及时、更新): the measures with"
        " something to tell, the others named"
    )
    quality = master_data_quality(tables, as_of=as_of)
    yield Pre("    " + line for line in quality.report(brief=True).splitlines()[1:])


#: Example tasks the agenda shows: the most urgent open one of each kind, at most.
AGENDA_EXAMPLES: Final = 5


def _agenda(ctx: Context, data: Data) -> Iterator[Block]:
    """Tomorrow's care agenda: tasks per kind and status, examples, what consent blocked."""
    tables, as_of = ctx.tables, ctx.as_of
    tomorrow = as_of + timedelta(days=1)
    agenda = ctx.results["agenda"] = Planner().agenda(tables, on=tomorrow, as_of=as_of)
    statuses = tuple(TaskStatus)
    yield (
        f"Tomorrow's care agenda (明日关怀日程) {tomorrow}, facts to {as_of}:"
        f" {len(agenda):,} tasks, {agenda.calls():,} calls to make"
    )
    counts = agenda.counts()
    yield Grid(
        ("kind", *(s.value for s in statuses)),
        [
            (
                f"{kind.label('zh')} {kind.name}",
                *(f"{counts[kind.name].get(s.value, 0):,}" for s in statuses),
            )
            for kind in agenda.tasks.kinds
            if kind.name in counts
        ],
        widths=(34, *(9 for _ in statuses)),
    )
    yield "  examples (the first open task of each kind, in agenda order):"
    status = agenda.status
    open_ = statuses.index(TaskStatus.OPEN)
    en, zh = agenda.tasks.reasons_text("en"), agenda.tasks.reasons_text("zh")
    shown = 0
    for code in range(len(agenda.tasks.kinds)):
        rows = np.flatnonzero((agenda.tasks.kind == code) & (status == open_))
        if len(rows) and shown < AGENDA_EXAMPLES:
            row = int(rows[0])
            head = f"    {agenda.tasks.customer[row]} due {agenda.tasks.due[row]}: "
            yield head + str(zh[row])
            yield " " * len(head) + str(en[row])
            shown += 1
    blocked = agenda.blocked_by[agenda.blocked_by >= 0]
    yield f"  blocked by the contact rules (被联系规则拦截): {len(blocked):,} tasks"
    found = np.bincount(blocked, minlength=len(agenda.block_reasons))
    reasons, found_rows = {}, []
    for code in np.argsort(-found, kind="stable").tolist():
        if found[code]:
            reason = agenda.block_reasons[code]
            reasons[reason.text("en")] = int(found[code])
            found_rows.append(
                (f"{int(found[code]):,}", f"  {reason.text('en')} ({reason.text('zh')})")
            )
    if found_rows:
        yield Grid(("tasks", "  reason"), found_rows, widths=(6, 0), align="rl")
    data.update(
        on=tomorrow.isoformat(),
        tasks=len(agenda),
        calls=int(agenda.calls()),
        by_kind=counts,
        blocked=reasons,
    )


Builder = Callable[[Context, Data], Iterator[Block]]

#: The report's sections in order: key, heading, builder.
SECTIONS: Final[tuple[tuple[str, str, Builder], ...]] = (
    ("features", "Customer features", _features),
    ("segments", "Value classes (客户价值ABC分类)", _segments),
    ("matrix", "Loyalty × value matrix (客户细分矩阵)", _matrix),
    ("churn", "Churn risk and lifetime value (流失预警, 客户终身价值)", _churn),
    ("club", "Owners' club (车友会)", _club),
    ("satisfaction", "Satisfaction (客户满意度)", _satisfaction),
    ("care", "Follow-up calls and master data (回访与客户信息)", _care),
    ("agenda", "Tomorrow's care agenda (明日关怀日程)", _agenda),
)


def build(ctx: Context, *, step: Callable[[str], Any] | None = None) -> list[Section]:
    """Every section of ``SECTIONS`` over ``ctx``, in order.

    A section the library cannot compute on these facts (a churn model that does not
    converge on a handful of customers, spends too heavy-tailed for Gamma-Gamma) is kept
    as one line and ``skipped`` saying why, and the others are computed.

    Args:
        ctx: what the sections read.
        step: called with each section's key before it is built (for progress).

    Returns:
        The sections.
    """
    out = []
    for key, title, builder in SECTIONS:
        if step is not None:
            step(key)
        data: Data = {}
        try:
            blocks: tuple[Block, ...] = tuple(builder(ctx, data))
        except AftersalesError as err:  # a model that does not fit this export, say
            data = {"skipped": str(err)}
            blocks = (f"{title}: skipped, {err}",)
        ctx.data[key] = data
        out.append(Section(key, title, text_lines(blocks), data, blocks))
    return out
