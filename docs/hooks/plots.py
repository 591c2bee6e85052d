"""MkDocs hook: draw the gallery of docs/plots.md at build time, from a fixed synthetic network.

The pictures are made on every build (``on_files``) and added to the site as generated
files, so they always show what the code draws now: nothing to commit, nothing to go stale.
They use matplotlib's Agg backend and need the ``plot`` and ``clv`` extras, which the docs
build has (``make test`` installs them). Run this file to write the pictures to a folder:
``python docs/hooks/plots.py DIR``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ["MPLBACKEND"] = "Agg"  # before pyplot is imported: no window, in any build

SIZE, SEED = 800, 2026
"""The network of the gallery: 800 customers of the seeded synthetic network."""

AS_OF = date(2026, 6, 30)
FOLDER = "plots"
"""Where the pictures are in the site: ``plots/<name>.png``."""


def _pictures() -> Iterator[tuple[str, Callable[[], Any]]]:
    """Each picture's file name and the call that draws it."""

    from aftersales_crm import features, plot, synthetic
    from aftersales_crm.care import Planner
    from aftersales_crm.clv import BgNbd, calibration_table
    from aftersales_crm.loyalty import LoyaltyValueMatrix, ServiceIntervalStatus
    from aftersales_crm.membership import PointsRule, Qualifying, QualifyingLevels
    from aftersales_crm.satisfaction import (
        CSI_CHINA_2015,
        SERVQUAL,
        CsiIndex,
        Responses,
        Servqual,
        aggregate,
        gap_report,
    )
    from aftersales_crm.segmentation import ParetoABC, RegionRing, crosstab
    from aftersales_crm.tables import Tables
    from aftersales_crm.values import ServiceKind

    tables = Tables.from_book(synthetic.book(SIZE, seed=SEED))
    feats = features.compute(tables, as_of=AS_OF)
    abc = ParetoABC().fit(feats)
    matrix = LoyaltyValueMatrix().fit(feats)
    quarters = [date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), AS_OF]
    rule = ServiceIntervalStatus()
    statuses = {day: rule.assign(features.compute(tables, as_of=day)) for day in quarters}
    customer_ids = tables.customers["id"][tables.members["customer"]]
    members = dict(zip(customer_ids, tables.members["id"], strict=True))
    awards = PointsRule().award(tables, as_of=AS_OF, members=members)
    levels = QualifyingLevels().levels(Qualifying.from_awards(awards), as_of=AS_OF)
    responses = Responses.from_tables(tables)
    servqual = responses.of(SERVQUAL)
    gaps = aggregate(Servqual().score(servqual), servqual, by=["dealer"])
    csi = responses.of(CSI_CHINA_2015)
    drivers = CsiIndex(instrument=CSI_CHINA_2015).key_drivers(csi)
    report = gap_report(
        tables,
        as_of=AS_OF,
        advertised={ServiceKind.MAINTENANCE: timedelta(hours=2)},
        thresholds={"gap1": 0.5, "gap3_on_time": 0.1, "gap4_advertised": 0.1, "gap5": 0.75},
    )
    tomorrow = AS_OF + timedelta(days=1)
    agenda = Planner().agenda(
        tables, start=tomorrow, end=tomorrow + timedelta(days=13), as_of=AS_OF
    )
    model = BgNbd().fit(feats)
    split = features.calibration_holdout(tables, split=date(2025, 9, 30), end=AS_OF)
    table = calibration_table(BgNbd().fit(split.features), split)

    yield "pareto", lambda: plot.pareto(abc, feats)
    yield "loyalty_matrix", lambda: plot.loyalty_matrix(matrix.matrix(feats), matrix)
    yield "crosstab", lambda: plot.crosstab(crosstab(feats, abc, RegionRing()), show="value")
    yield "distributions", lambda: plot.distributions(feats)
    yield "service_status", lambda: plot.service_status(statuses)
    yield "levels", lambda: plot.levels(levels)
    yield "factor_gaps", lambda: plot.factor_gaps(gaps, SERVQUAL)
    yield "key_drivers", lambda: plot.key_drivers(drivers, instrument=CSI_CHINA_2015)
    yield "service_gaps", lambda: plot.service_gaps(report)
    yield "agenda", lambda: plot.agenda(agenda, statuses=["open"])
    yield "p_alive", lambda: plot.p_alive(model, age=3 * 365, max_frequency=12)
    yield "calibration", lambda: plot.calibration(table)


def render() -> Iterator[tuple[str, bytes]]:
    """Each picture of the gallery as ``(file name, PNG bytes)``."""
    from matplotlib import pyplot

    for name, draw in _pictures():
        drawn = draw()
        figure = (drawn[0] if isinstance(drawn, tuple) else drawn).figure
        figure.set_size_inches(
            10 if name == "distributions" else 7, 7 if name == "distributions" else 4.8
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        pyplot.close(figure)
        yield f"{name}.png", buffer.getvalue()


def on_files(files: Any, config: Any) -> Any:
    """Add the pictures to the site's files (MkDocs event)."""
    from mkdocs.structure.files import File

    for name, content in render():
        files.append(File.generated(config, f"{FOLDER}/{name}", content=content))
    return files


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "plots")
    out.mkdir(parents=True, exist_ok=True)
    for name, content in render():
        (out / name).write_bytes(content)
        print(out / name)
