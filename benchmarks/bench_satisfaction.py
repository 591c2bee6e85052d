"""Survey scores at scale: ``CsiIndex`` and ``NPS`` on a million responses, then by dealer × month.

Draws ``--n`` seeded responses to the China CSI 2015 instrument (16 items on 1–10, about 6 %
of answers missing, a recommend score for about 90 %) straight into a columnar
``Responses`` (not timed): 100 dealers, 1,000 advisors, 24 months. Then times, best of a
few runs each with the GC paused:

* scoring: ``CsiIndex().score(responses)``, the 0–1000 index with its five factor scores
  and 16 item scores, with the instrument check of every answer (and, alone,
  ``Responses.ratings``: the check and the matrices); and ``NPS().score``;
* aggregating: ``aggregate(scores, responses, by=["dealer", "month"])``, n, mean, SE and
  interval of the index and of each factor for each dealer and business month;
* both in one run, the figure the aim of 3 s at 1,000,000 responses is read from.

The baseline, timed in the same run, does the same arithmetic in idiomatic pandas from
the answers in long format (one row per answer): pivoted to one column per item, each
rating on 0–100, each factor the mean of its items where at least half are answered, the
weighted index; then the month in Asia/Shanghai and ``groupby([dealer, month])`` mean,
std and count of the index and of each factor, SE and the interval clipped to 0–1000 or
0–100. Both must give the same figures (the index and factor scores of every response;
n, mean, SE and interval of every group, within a relative 1e-9), or the run stops.
Timing is never asserted.

    .venv/bin/python benchmarks/bench_satisfaction.py [--n 1000000] [--quick] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
from datetime import datetime
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from aftersales_crm.satisfaction import (
    CSI_CHINA_2015,
    NPS,
    CsiIndex,
    GroupFigures,
    Responses,
    SurveyScores,
    aggregate,
)
from bench_features import best_seconds  # the same clock for every benchmark

RESPONSES = 1_000_000
QUICK_RESPONSES = 100_000
REPEATS = 5
PANDAS_REPEATS = 2
DEALERS = 100
ADVISORS_PER_DEALER = 10
MONTHS = 24
FIRST_MONTH = np.datetime64("2025-01", "M")
MISSING = 0.06  # share of answers not given
NO_RECOMMEND = 0.10  # share of responses without a recommend score
SEED = 14
RTOL = 1e-9
AIM_SECONDS = 3.0  # scoring and aggregating a million responses
INSTRUMENT = CSI_CHINA_2015
BY = ("dealer", "month")


def draw(n: int, seed: int = SEED) -> Responses:
    """``n`` responses to the China CSI 2015, drawn as columns: no records are built."""
    rng = np.random.default_rng(seed)
    items = len(INSTRUMENT.items)
    advisors = DEALERS * ADVISORS_PER_DEALER
    advisor = rng.integers(0, advisors, size=n)
    dealer = advisor // ADVISORS_PER_DEALER
    start = FIRST_MONTH.astype("datetime64[us]").astype(np.int64)
    end = (FIRST_MONTH + MONTHS).astype("datetime64[us]").astype(np.int64)
    at = np.sort(rng.integers(start, end, size=n)).astype("datetime64[us]")
    # A rating is a dealer's level, an advisor's, a respondent's mood and an item's noise.
    level = (
        rng.normal(7.8, 0.5, size=DEALERS)[dealer]
        + rng.normal(0, 0.4, size=advisors)[advisor]
        + rng.normal(0, 1.0, size=n)
    )
    ratings = np.clip(np.rint(level[:, None] + rng.normal(0, 1.2, size=(n, items))), 1, 10)
    given = rng.random((n, items)) >= MISSING
    answer_of, item = np.nonzero(given)
    recommend = np.clip(np.rint(level + rng.normal(0.5, 1.5, size=n)), 0, 10)
    recommend[rng.random(n) < NO_RECOMMEND] = np.nan
    ids = np.array([f"S{i:07d}" for i in range(n)], dtype=object)
    m = len(answer_of)
    return Responses(
        ids=ids,
        instrument=np.zeros(n, dtype=np.int64),
        instruments=(INSTRUMENT.key,),
        customer=np.array([f"C{i:07d}" for i in rng.permutation(n)], dtype=object),
        order=np.full(n, None, dtype=object),
        dealer=dealer.astype(np.int64),
        dealers=tuple(f"D{d:04d}" for d in range(DEALERS)),
        advisor=advisor.astype(np.int64),
        advisors=tuple(f"SA{a:05d}" for a in range(advisors)),
        at=at,
        recommend=recommend,
        answer_of=answer_of.astype(np.int64),
        item=item.astype(np.int64),
        items=INSTRUMENT.item_ids,
        perception=ratings[answer_of, item],
        expectation=np.full(m, np.nan),
        importance_of=np.zeros(0, dtype=np.int64),
        factor=np.zeros(0, dtype=np.int64),
        factors=(),
        points=np.zeros(0),
    )


def long_frames(responses: Responses) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers in long format, and the responses, as an analyst would load them."""
    answers = pd.DataFrame(
        {
            "response": responses.answer_of,
            "item": pd.Categorical.from_codes(responses.item, categories=list(responses.items)),
            "perception": responses.perception,
        }
    )
    surveys = pd.DataFrame(
        {
            "dealer": pd.Categorical.from_codes(responses.dealer, list(responses.dealers)),
            "at": responses.at,
        }
    )
    return answers, surveys


def pandas_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """The CSI of every response in pandas: factor columns 0–100 and the 0–1000 ``index``.

    The answers are pivoted to one column per item, then each factor is the mean of its
    columns where at least half are answered. (Grouping the long table by response and
    factor instead, ``groupby(["response", "factor"]).agg(["sum", "count"])`` and
    ``unstack``, gives the same figures about three times slower.)
    """
    ids = list(INSTRUMENT.item_ids)
    low = pd.Series([i.scale.low for i in INSTRUMENT.items], index=ids, dtype=float)
    high = pd.Series([i.scale.high for i in INSTRUMENT.items], index=ids, dtype=float)
    wide = answers.pivot(index="response", columns="item", values="perception")
    percent = 100.0 * (wide - low) / (high - low)
    factors = pd.DataFrame(index=percent.index)
    for factor in INSTRUMENT.factors:
        block = percent[[item.id for item in factor.items]]
        need = max(1, math.ceil(len(factor.items) / 2))  # the half rule, and at least one
        factors[factor.id] = block.mean(axis=1).where(block.notna().sum(axis=1) >= need)
    weights = pd.Series(INSTRUMENT.factor_weights(), index=list(INSTRUMENT.factor_ids))
    # The index needs every factor: min_count leaves it NaN when one is missing.
    factors["index"] = 10.0 * factors.mul(weights).sum(axis=1, min_count=len(weights))
    return factors


def pandas_figures(scores: pd.DataFrame, surveys: pd.DataFrame, z: float) -> pd.DataFrame:
    """n, mean, SE and clipped interval of the index and each factor by dealer × month."""
    local = surveys["at"].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai")
    keyed = scores.reindex(range(len(surveys))).assign(
        dealer=surveys["dealer"], month=local.dt.tz_localize(None).dt.to_period("M")
    )
    grouped = keyed.groupby(["dealer", "month"], observed=True, sort=True)
    out = {}
    for column, high in [("index", 1000.0)] + [(f, 100.0) for f in INSTRUMENT.factor_ids]:
        stats = grouped[column].agg(["count", "mean", "std"])
        se = stats["std"] / np.sqrt(stats["count"])
        out[column] = pd.DataFrame(
            {
                "n": stats["count"],
                "mean": stats["mean"],
                "se": se,
                "low": (stats["mean"] - z * se).clip(0.0, high),
                "high": (stats["mean"] + z * se).clip(0.0, high),
            }
        )
    table = pd.concat(out, axis=1)
    return table.set_axis(table.index.set_levels(table.index.levels[1].astype(str), level=1))


def check(
    scores: SurveyScores, figures: GroupFigures, frame: pd.DataFrame, table: pd.DataFrame
) -> None:
    """Stop the run unless the library and pandas agree on every score and figure."""
    wrong: list[str] = []
    full = frame.reindex(range(len(scores)))
    pairs: list[tuple[str, Any, Any]] = [("index", scores.values, full["index"].to_numpy())]
    for j, factor in enumerate(scores.factors):
        pairs.append((factor, scores.factor_scores[:, j], full[factor].to_numpy()))
    keys = list(zip(figures.keys["dealer"].tolist(), figures.keys["month"].tolist(), strict=True))
    rows = table.reindex(pd.MultiIndex.from_tuples(keys))
    for measure, column in [("csi_index", "index")] + [
        (f"factor:{f}", f) for f in INSTRUMENT.factor_ids
    ]:
        figure = figures.figures[measure]
        pairs.extend(
            (f"{measure} {part}", getattr(figure, part), rows[(column, part)].to_numpy(float))
            for part in ("n", "mean", "se", "low", "high")
        )
    for name, ours, theirs in pairs:
        # Relative to the scale: a group of equal scores has an SE of 0 or of 1e-14.
        close = np.isclose(ours, theirs, rtol=RTOL, atol=RTOL * 1000, equal_nan=True)
        if not close.all():
            bad = np.flatnonzero(~close)
            wrong.append(f"{name}: {len(bad)} rows differ, first {bad[:3].tolist()}")
    if len(table) != len(figures):
        wrong.append(f"groups: pandas {len(table)}, library {len(figures)}")
    if wrong:
        raise SystemExit("library and pandas disagree:\n  " + "\n  ".join(wrong))


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=RESPONSES, help="responses")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RESPONSES:,} responses")
    parser.add_argument("--repeat", type=int, default=REPEATS, help="runs per library figure")
    args = parser.parse_args()
    n = QUICK_RESPONSES if args.quick else args.n
    responses = draw(n)
    z = NormalDist().inv_cdf(0.975)
    answers, surveys = long_frames(responses)
    print(
        f"{n:,} responses to {INSTRUMENT.key} ({len(responses.answer_of):,} answers), "
        f"{DEALERS} dealers, {DEALERS * ADVISORS_PER_DEALER:,} advisors, {MONTHS} months; "
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, {datetime.now():%Y-%m-%d %H:%M}"
    )
    scorer = CsiIndex()
    ratings_s, _ = best_seconds(lambda: responses.ratings(INSTRUMENT), args.repeat)
    score_s, scores = best_seconds(lambda: scorer.score(responses), args.repeat)
    agg_s, figures = best_seconds(lambda: aggregate(scores, responses, by=BY), args.repeat)
    both_s, _ = best_seconds(
        lambda: aggregate(scorer.score(responses), responses, by=BY), args.repeat
    )
    nps_s, _ = best_seconds(lambda: NPS().score(responses), args.repeat)
    pd_score_s, frame = best_seconds(lambda: pandas_scores(answers), PANDAS_REPEATS)
    pd_agg_s, table = best_seconds(lambda: pandas_figures(frame, surveys, z), PANDAS_REPEATS)
    check(scores, figures, frame, table)
    print(f"{'step':<50}{'library s':>10}{'pandas s':>10}{'× faster':>10}")
    for label, ours, theirs in (
        ("score: CsiIndex (index, 5 factors, 16 items)", score_s, pd_score_s),
        ("  of which Responses.ratings (check, matrices)", ratings_s, None),
        (f"aggregate by dealer × month ({len(figures):,} groups)", agg_s, pd_agg_s),
        ("score, then aggregate (one run)", both_s, pd_score_s + pd_agg_s),
        ("score: NPS", nps_s, None),
    ):
        if theirs is None:
            print(f"{label:<50}{ours:>10.3f}")
        else:
            print(f"{label:<50}{ours:>10.3f}{theirs:>10.3f}{theirs / ours:>9.1f}×")
    aim = f"aim: score and aggregate {RESPONSES:,} responses in under {AIM_SECONDS:.0f} s: "
    if n >= RESPONSES:
        aim += f"{'met' if both_s < AIM_SECONDS else 'not met'} ({both_s:.2f} s)"
    else:
        aim += f"not judged at {n:,}"
    print(aim)
    print(
        "library and pandas agree on every score and figure; wall time, library best of"
        f" {args.repeat}, pandas best of {PANDAS_REPEATS} (its one run is the sum of its two"
        " steps); drawing not timed"
    )


if __name__ == "__main__":
    main()
