"""The report as text, JSON or one self-contained HTML file, with its figures.

``FIGURES`` is the one table of the report's figures: for each section, the figures
drawn under it, each a caption and a function that draws on a matplotlib ``Axes`` from the
report's ``Context`` and returns it. The HTML report
renders each one to PNG and inlines it as a ``data:`` URI, so that the file opens anywhere
without fetching anything; without matplotlib (the ``plot`` extra) it says so instead.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import numpy as np

import aftersales_crm
from aftersales_crm import plot
from aftersales_crm._cli._blocks import html_blocks
from aftersales_crm._cli._sections import Context, Section
from aftersales_crm._optional import require
from aftersales_crm.errors import MissingDependencyError

__all__ = ["FIGURES", "html_report", "json_report", "text_report"]

Axes = Any
"""A ``matplotlib.axes.Axes`` (matplotlib is optional, so not imported for the type)."""
Draw = Callable[[Context, Axes], Axes | None]
"""Draws a figure on the Axes and returns it, or returns None when there is nothing to draw."""

#: Bins of the P(alive) histogram: tenths of the unit interval.
_P_ALIVE_BINS: Final = 10


def _pareto(ctx: Context, ax: Axes) -> Axes | None:
    """The Pareto curve of the value classes the segments section fitted."""
    abc = ctx.results.get("abc")
    return None if abc is None else plot.pareto(abc, ctx.feats, ax=ax)


def _matrix(ctx: Context, ax: Axes) -> Axes | None:
    """The loyalty × value matrix, its cells outlined by strategy."""
    summary = ctx.results.get("matrix_summary")
    if summary is None:  # the section was skipped
        return None
    return plot.loyalty_matrix(summary, ctx.results["matrix"], ax=ax)


def _p_alive_grid(ctx: Context, ax: Axes) -> Axes | None:
    """P(alive) over frequency and recency, for customers as old as the median one."""
    model = ctx.results.get("churn_model")
    if model is None:  # the section was skipped, or scipy is missing
        return None
    age = float(np.median(ctx.feats["tenure_days"][ctx.feats["visits"] > 0]))
    return plot.p_alive(model, age=max(age, 1.0), ax=ax)


def _p_alive(ctx: Context, ax: Axes) -> Axes | None:
    """The histogram of P(alive) over customers with repeat visits (none without scipy)."""
    p_alive = ctx.arrays.get("p_alive")
    if p_alive is None:
        return None
    repeat = ctx.feats["frequency"] > 0
    ax.hist(p_alive[repeat], bins=_P_ALIVE_BINS, range=(0, 1), color="#3949ab")
    ax.set(
        xlim=(0, 1),
        xlabel="P(alive), BG/NBD",
        ylabel="customers with a repeat visit",
        title="Churn risk",
    )
    return ax


def _agenda(ctx: Context, ax: Axes) -> Axes | None:
    """Tomorrow's tasks per due day, stacked by kind."""
    agenda = ctx.results.get("agenda")
    return None if agenda is None else plot.agenda(agenda, ax=ax)


#: The report's figures, by section: (caption, function drawing on an Axes).
FIGURES: Final[Mapping[str, tuple[tuple[str, Draw], ...]]] = {
    "segments": (("Pareto curve of the spend, with the A/B/C cuts", _pareto),),
    "matrix": (("The loyalty × value matrix", _matrix),),
    "churn": (
        ("P(alive) by repeat visits and days since the last one (BG/NBD)", _p_alive_grid),
        ("P(alive) of the customers with a repeat visit", _p_alive),
    ),
    "agenda": (("The agenda's tasks per due day and kind", _agenda),),
}


def text_report(sections: Sequence[Section]) -> str:
    """The report as text: each section's lines, a blank line between sections.

    Args:
        sections: the header section, then the report's sections.

    Returns:
        The text, ending with a newline.
    """
    return "\n\n".join("\n".join(section.lines) for section in sections) + "\n"


def json_report(sections: Sequence[Section], *, currency: str) -> str:
    """The report as JSON: one object per section under ``"sections"``, by key.

    Each section holds its ``title``, its ``text`` (the lines of the text report) and its
    figures as numbers (null where a figure is undefined, such as a rate of nothing);
    amounts are integers of minor units in fields named ``*_fen``, of the one
    ``currency`` given at the top.

    Args:
        sections: the header section, then the report's sections.
        currency: the ISO 4217 code of every amount.

    Returns:
        The JSON text, ending with a newline.
    """
    header, *rest = sections
    document = {
        "aftersales_crm": aftersales_crm.__version__,
        "currency": currency,
        **header.data,
        "sections": {s.key: {"title": s.title, **s.data, "text": list(s.lines)} for s in rest},
    }
    return json.dumps(_finite(document), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float made None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


_CSS: Final = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #212121; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #c5cae9;
     padding-bottom: .2rem; margin-top: 2.5rem; }
pre { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", ui-monospace, monospace;
      font-size: .8rem; background: #f5f5f5; padding: .8rem; overflow-x: auto; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #616161; }
nav ul { columns: 2; } .note { color: #616161; font-style: italic; }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.figures dt { font-weight: 600; } dl.figures dd { margin: 0; }
p { margin: .3rem 0; } p.i1 { margin-left: 1.5rem; } p.i2 { margin-left: 3rem; }
p.i3 { margin-left: 4.5rem; }
table { border-collapse: collapse; margin: .6rem 0 .6rem 3rem; font-size: .85rem; }
th, td { padding: .2rem .7rem; border-bottom: 1px solid #e0e0e0; text-align: left; }
th { background: #e8eaf6; } .num { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _png(ctx: Context, draw: Draw) -> str | None:
    """One figure drawn with the Agg backend, as a base64 PNG (None: nothing to draw)."""
    figure_module = require("matplotlib.figure", extra="plot")
    figure = figure_module.Figure(figsize=(7, 4.2), dpi=100, layout="constrained")
    if draw(ctx, figure.add_subplot()) is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figures(ctx: Context, key: str) -> list[str]:
    """The HTML of a section's figures, or a note saying why there are none."""
    out = []
    for caption, draw in FIGURES.get(key, ()):
        try:
            png = _png(ctx, draw)
        except MissingDependencyError as err:
            return [f'<p class="note">Figures skipped: {html.escape(str(err))}</p>']
        if png is None:
            continue
        out.append(
            f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{png}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    return out


def _key_figures(data: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The figures the page opens with, from the sections that were computed."""
    out = []
    if "customers" in data.get("features", {}):
        features = data["features"]
        out.append(
            ("customers", f"{features['customers']:,} ({features['with_visits']:,} with visits)")
        )
    if "classes" in data.get("segments", {}):
        a = data["segments"]["classes"][0]
        out.append(
            (
                "class A's share of spend",
                f"{a['value_share']:.1%} from {a['customers']:,} customers",
            )
        )
    if "bands" in data.get("churn", {}):
        bands = ", ".join(f"{b['name']} {b['churn_risk']:,}" for b in data["churn"]["bands"])
        out.append(("by P(alive)", bands))
    if "nps" in data.get("satisfaction", {}):
        nps = data["satisfaction"]["nps"]
        out.append(("NPS", f"{nps['mean']:+.1f} (n {nps['n']:,})"))
    if "tasks" in data.get("agenda", {}):
        agenda = data["agenda"]
        out.append(
            (f"care tasks on {agenda['on']}", f"{agenda['tasks']:,}, {agenda['calls']:,} calls")
        )
    return out


def html_report(sections: Sequence[Section], ctx: Context) -> str:
    """The report as one self-contained HTML page: inline CSS, figures as ``data:`` URIs.

    Args:
        sections: the header section, then the report's sections.
        ctx: what the sections were built from (the figures read it).

    Returns:
        The HTML text.
    """
    header, *rest = sections
    title = html.escape(header.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f'<header id="input"><h1>{title}</h1>',
        *html_blocks(header.blocks[1:]),
        '<dl class="figures">',
        *(
            f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
            for label, value in _key_figures(ctx.data)
        ),
        "</dl><nav><ul>",
        *(f'<li><a href="#{s.key}">{html.escape(s.title)}</a></li>' for s in rest),
        "</ul></nav></header><main>",
    ]
    for section in rest:
        parts += [
            f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>',
            *html_blocks(section.blocks),
            *_figures(ctx, section.key),
            "</section>",
        ]
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
