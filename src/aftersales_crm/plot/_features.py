"""Plots of features and statuses: distributions, the service-interval status over time, levels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import whole_number
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.membership import Levels
from aftersales_crm.plot._common import (
    axes,
    checked,
    chinese,
    finish,
    names_in,
    pick,
    pyplot,
    text_language,
    yuan,
)
from aftersales_crm.policies import Labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DISTRIBUTIONS", "distribution", "distributions", "levels", "service_status"]

What = Literal["recency", "frequency", "spend", "km_per_day"]

DISTRIBUTIONS: Final[tuple[What, ...]] = ("recency", "frequency", "spend", "km_per_day")
"""What [`distribution`][aftersales_crm.plot.distribution] draws: ``recency_days``, ``frequency`` (repeat visit days) and
``spend_fen`` (in yuan) of the customers with a visit, and the vehicles' ``km_per_day``."""

_DEFAULT_BINS: Final = 30
_MAX_BINS: Final = 10_000
_STATUS_COLOURS: Final = ("tab:green", "tab:orange", "tab:red", "tab:purple", "tab:brown")

# what -> (column, on vehicles, English label, Chinese label)
_COLUMNS: Final = {
    "recency": ("recency_days", False, "days since the last visit", "距上次来厂天数"),
    "frequency": ("frequency", False, "repeat visit days", "重复来厂天数"),
    "spend": ("spend_fen", False, "cumulative spend (yuan)", "累计消费(元)"),
    "km_per_day": ("km_per_day", True, "km per day", "日均行驶里程(公里)"),
}


def _sample(features: FeatureTable, what: str) -> NDArray[np.float64]:
    column, on_vehicles, _, _ = _COLUMNS[what]
    if on_vehicles:
        vehicles = features.vehicles
        if vehicles is None:
            msg = f"{what} is a vehicle feature; the FeatureTable has no vehicle features"
            raise InvalidValue(msg, code="invalid_argument")
        values = np.asarray(vehicles[column], dtype=np.float64)
    else:
        seen = np.asarray(features["visits"]) > 0
        values = np.asarray(features[column], dtype=np.float64)[seen]
    return values[np.isfinite(values)]


def distribution(
    features: FeatureTable,
    what: What,
    *,
    bins: int = _DEFAULT_BINS,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """A histogram of one feature: recency, frequency, spend or km/day (one axes per call).

    Recency (``recency_days``), frequency (``frequency``, repeat visit days: a whole
    number, bars of whole widths, one per value up to ``bins`` values) and spend
    (``spend_fen``, drawn in yuan on a log scale with bins of equal ratio, customers who
    spent nothing left out) are over the customers with a visit, as the demo's quantiles
    are; km/day (``km_per_day``) over every vehicle. A dashed line marks the median.
    [`distributions`][aftersales_crm.plot.distributions] draws all four in a 2 × 2 figure.

    Args:
        features: a customer FeatureTable (with its vehicle features for km/day).
        what: one of [`DISTRIBUTIONS`][aftersales_crm.plot.DISTRIBUTIONS].
        bins: the number of bars (default 30).
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar (rectangle patch) per bin and the median line.

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: ``what`` or ``bins`` is invalid, or km/day without vehicle features.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> feats = features.compute(synthetic.book(60, seed=1), as_of=date(2026, 6, 30))
        >>> ax = plot.distribution(feats, "recency", bins=10)
        >>> len(ax.patches), ax.get_xlabel()
        (10, 'days since the last visit')
    """
    checked(features, FeatureTable, "features", "a FeatureTable")
    if what not in _COLUMNS:
        msg = f"what is {what!r:.60}, expected one of {', '.join(map(repr, DISTRIBUTIONS))}"
        raise InvalidValue(msg, code="invalid_argument")
    bins = whole_number(bins, parameter="bins", minimum=1, maximum=_MAX_BINS)
    values = _sample(features, what)
    chosen = text_language(lang)
    ax = axes(ax)
    _, _, en, zh = _COLUMNS[what]
    edges: Any = bins
    if what == "spend":  # heavy-tailed: bins of equal ratio, on a log scale, in yuan
        values = values[values > 0] / 100
        if len(values):
            low, high = float(values.min()), float(values.max())
            edges = np.geomspace(low, max(high, low * 1.01), bins + 1)
            ax.set_xscale("log")
    elif what == "frequency":  # whole numbers: bins of whole widths, centred on them
        top = int(values.max()) if len(values) else 0
        width = -(-(top + 1) // bins)
        edges = np.arange(0, top + width + 1, width) - 0.5
    ax.hist(values, bins=edges, color="tab:blue", edgecolor="white")
    if len(values):
        ax.axvline(float(np.median(values)), color="black", linestyle="--", linewidth=1)
    ax.set_xlabel(pick(chosen, en, zh))
    ax.set_ylabel(
        pick(
            chosen,
            "vehicles" if what == "km_per_day" else "customers",
            "车辆" if what == "km_per_day" else "客户数",
        )
    )
    if what == "spend":
        ax.xaxis.set_major_formatter(lambda v, _: yuan(v * 100))
        ax.xaxis.set_minor_formatter(lambda v, _: "")
    return finish(ax, chosen)


def distributions(
    features: FeatureTable, *, lang: Literal["en", "zh"] = "en"
) -> tuple[Axes, Axes, Axes, Axes]:
    """The four distributions of [`distribution`][aftersales_crm.plot.distribution] in one new 2 × 2 figure.

    Args:
        features: a customer FeatureTable with its vehicle features.
        lang: labels in English (``"en"``) or Chinese (``"zh"``).

    Returns:
        The four axes, in the order of [`DISTRIBUTIONS`][aftersales_crm.plot.DISTRIBUTIONS].

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: the table has no vehicle features.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> feats = features.compute(synthetic.book(60, seed=1), as_of=date(2026, 6, 30))
        >>> [ax.get_xlabel() for ax in plot.distributions(feats)][2:]
        ['cumulative spend (yuan)', 'km per day']
    """
    checked(features, FeatureTable, "features", "a FeatureTable")
    for what in reversed(DISTRIBUTIONS):  # refuse a table without vehicles before drawing
        _sample(features, what)
    chosen = text_language(lang)
    figure, grid = pyplot().subplots(2, 2, figsize=(10, 7), layout="constrained")
    found = tuple(grid.ravel().tolist())
    for what, ax in zip(DISTRIBUTIONS, found, strict=True):
        distribution(features, what, lang=chosen, ax=ax)
    title = figure.suptitle(
        pick(chosen, f"Customer features on {features.as_of}", f"{features.as_of}客户特征")
    )
    if chosen == "zh":
        chinese(title)
    return found


def service_status(
    statuses: Mapping[date, Labels],
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """Customers per loyalty status (loyal / swinging / lost) on each day, as stacked bars.

    The statuses of one rule on several days: for each ``as_of``, compute the features
    and assign the rule ([`ServiceIntervalStatus`][aftersales_crm.loyalty.ServiceIntervalStatus], or any
    loyalty rule), and pass the days and labels in. Customers without a status (``-1``)
    are left out.

    Args:
        statuses: day → the labels the rule gave on it; every Labels with the same names.
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar (rectangle patch) per day and status, a legend of the statuses.

    Raises:
        InvalidType: an argument of the wrong type.
        InvalidValue: no day, or labels with other names.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, plot, synthetic
        >>> from aftersales_crm.loyalty import ServiceIntervalStatus
        >>> tables = synthetic.tables(40, seed=1)
        >>> days = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30)]
        >>> rule = ServiceIntervalStatus()
        >>> statuses = {d: rule.assign(features.compute(tables, as_of=d)) for d in days}
        >>> ax = plot.service_status(statuses)
        >>> len(ax.patches), [t.get_text() for t in ax.get_legend().get_texts()]
        (9, ['loyal', 'swinging', 'lost'])
    """
    checked(statuses, Mapping, "statuses", "a mapping of day to Labels")
    if not statuses:
        msg = "statuses is empty: give the labels of at least one day"
        raise InvalidValue(msg, code="invalid_argument")
    days = sorted(checked(d, date, "a day of statuses", "a date") for d in statuses)
    found = [checked(statuses[d], Labels, f"statuses[{d}]", "Labels") for d in days]
    first = found[0]
    if any(labels.names != first.names for labels in found):
        msg = f"the statuses have different names; expected {first.names} every day"
        raise InvalidValue(msg, code="invalid_argument")
    chosen = text_language(lang)
    ax = axes(ax)
    counts = np.array(
        [
            np.bincount(labels.codes[labels.codes >= 0], minlength=len(first.names))
            for labels in found
        ]
    )
    x = np.arange(len(days))
    bottom = np.zeros(len(days))
    names = names_in(chosen, first.names, first.names_zh)
    for k, name in enumerate(names):
        ax.bar(
            x,
            counts[:, k],
            bottom=bottom,
            label=name,
            color=_STATUS_COLOURS[k % len(_STATUS_COLOURS)],
        )
        bottom += counts[:, k]
    ax.set_xticks(x, [d.isoformat() for d in days])
    ax.set_ylabel(pick(chosen, "customers", "客户数"))
    ax.set_title(pick(chosen, "Service-interval status over time", "保养间隔状态变化"))
    ax.legend()
    return finish(ax, chosen)


def levels(
    members: Levels | Labels,
    *,
    lang: Literal["en", "zh"] = "en",
    ax: Axes | None = None,
) -> Axes:
    """Members per level (会员等级), highest first, as bars with their counts.

    Args:
        members: the [`Levels`][aftersales_crm.membership.Levels] of
            ``QualifyingLevels.levels``, or any Labels of levels; members without a
            level (``-1``) get a last bar of their own when there are any.
        lang: labels in English (``"en"``) or Chinese (``"zh"``).
        ax: the axes to draw on (default a new figure's).

    Returns:
        The axes: one bar per level, each with its count as a text.

    Raises:
        InvalidType: an argument of the wrong type.
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> import datetime as dt
        >>> from aftersales_crm import plot
        >>> from aftersales_crm.membership import Qualifying, QualifyingLevels
        >>> q = Qualifying.from_columns(member_id=["M1", "M2", "M3"], source_id=["a", "b", "c"],
        ...     at=["2026-03-01T02:00"] * 3, value=[60_000, 6_000, 100])
        >>> ax = plot.levels(QualifyingLevels().levels(q, as_of=dt.date(2026, 6, 30)))
        >>> [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.texts]
        (['diamond', 'platinum', 'gold', 'silver'], ['1', '0', '1', '1'])
    """
    checked(members, (Levels, Labels), "members", "Levels or Labels")
    labels: Labels = members.labels if isinstance(members, Levels) else members
    chosen = text_language(lang)
    ax = axes(ax)
    codes = labels.codes
    counts = np.bincount(codes[codes >= 0], minlength=len(labels.names)).tolist()
    names = names_in(chosen, labels.names, labels.names_zh)
    outside = int(np.count_nonzero(codes < 0))
    if outside:
        counts.append(outside)
        names.append(pick(chosen, "no level", "无等级"))
    bars = ax.bar(range(len(counts)), counts, color="tab:blue")
    ax.bar_label(bars, [f"{c:,}" for c in counts])
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel(pick(chosen, "members", "会员数"))
    ax.set_title(pick(chosen, "Member levels", "会员等级分布"))
    return finish(ax, chosen)
