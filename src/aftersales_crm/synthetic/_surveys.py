"""Survey responses after deliveries: the China CSI 2015 questionnaire, with known effects.

Each delivered repair order's customer answers with probability ``SURVEY_SHARE`` a few days
later, from the Book's survey stream. The answers follow a small latent model whose effects
are known ([`survey_effects`][aftersales_crm.synthetic.survey_effects]), so that tests and docs can check what the satisfaction
analytics find:

* the respondent's level on 1–10 lies around ``SURVEY_MEAN``;
* each factor of the China CSI set lies around that level, moved by the dealer's effect
  on the factor, by the service advisor's effect (on the service-advisor factor), and
  lower after a late delivery (pick-up) or a repeat repair (quality);
* each item lies around its factor, rounded onto 1–10; a few are left unanswered;
* the recommend score (0–10) is the factors weighted by ``SURVEY_DRIVERS``, the true key
  drivers, plus noise.

A few customers answer SERVQUAL too (``servqual_responses``): an expectation and a
perception per item on 1–7, the perception below the expectation by each dimension's
shortfall, moved by the dealer's SERVQUAL effect, and most give 100 importance points.

Each dealer's service manager and one or two of its service advisors answer SERVQUAL's
expectation items once, as they believe customers expect them (gap 1 of the gap model,
``staff_survey_responses``): a little below what customers state, on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import whole_number
from aftersales_crm.records import (
    Answer,
    Dealer,
    ImportancePoints,
    Record,
    RepairOrder,
    StaffAnswer,
    StaffRole,
    StaffSurveyAnswered,
    SurveyAnswered,
)
from aftersales_crm.satisfaction import CSI_CHINA_2015, NPS_SURVEY, SERVQUAL, Instrument
from aftersales_crm.synthetic import _world as w
from aftersales_crm.synthetic._identifiers import ids

__all__ = [
    "SurveyEffects",
    "servqual_responses",
    "staff_survey_responses",
    "survey_effects",
    "survey_responses",
]

_DEALER_EFFECTS, _ADVISOR_EFFECTS, _SERVQUAL_EFFECTS, _SERVQUAL_ANSWERS = 1, 2, 3, 4
"""Sub-streams of the survey stream: the effects, and the SERVQUAL answers, each apart."""


def _read_only(values: NDArray[np.float64]) -> NDArray[np.float64]:
    values.flags.writeable = False
    return values


@attrs.frozen(eq=False)
class SurveyEffects:
    """The known effects behind the synthetic survey answers: what the analytics should find.

    Attributes:
        instrument: the instrument answered ([`CSI_CHINA_2015`][aftersales_crm.satisfaction.CSI_CHINA_2015]).
        drivers: each factor's weight in the recommend score (summing to 1): the true key
            drivers, in the instrument's factor order.
        dealers: the dealers' ids, ``D0000`` onwards.
        dealer: float64 array of shape (dealers, factors): each dealer's effect on each
            factor's level, on the 1–10 scale.
        advisors: the service advisors' ids (``SA`` + the dealer's row + a desk).
        advisor: float64 array of shape (advisors,): each advisor's effect on the
            service-advisor factor.
        servqual: float64 array of shape (dealers, 5): each dealer's effect on the
            perception of each SERVQUAL dimension, on the 1–7 scale (a positive effect
            narrows the dealer's gap).

    Examples:
        >>> effects = survey_effects(3, seed=1)
        >>> effects.dealer.shape, len(effects.advisors), effects.advisors[:2]
        ((3, 5), 15, ('SA00000', 'SA00001'))
        >>> max(effects.drivers, key=effects.drivers.get)
        'service_quality'
    """

    instrument: Instrument
    drivers: Mapping[str, float]
    dealers: tuple[str, ...]
    dealer: NDArray[np.float64]
    advisors: tuple[str, ...]
    advisor: NDArray[np.float64]
    servqual: NDArray[np.float64]

    def of_dealer(self, dealer_id: str) -> dict[str, float]:
        """One dealer's effect on each factor, by factor id.

        Raises:
            KeyError: no such dealer.

        Examples:
            >>> effects = survey_effects(2, seed=1)
            >>> sorted(effects.of_dealer("D0001")) == sorted(effects.drivers)
            True
        """
        row = self.dealers.index(dealer_id)
        return dict(zip(self.instrument.factor_ids, self.dealer[row].tolist(), strict=True))


def survey_effects(n_dealers: int = w.MIN_DEALERS, *, seed: int = 0) -> SurveyEffects:
    """The dealer and advisor effects and the key drivers of the synthetic survey answers.

    The same as [`book`][aftersales_crm.synthetic.book] uses with the same ``seed`` for a
    network of ``n_dealers`` dealers; a dealer's effects do not depend on how many dealers
    there are.

    Args:
        n_dealers: how many dealers (2 by default: the Book's count below 4,000 customers).
        seed: the seed of the Book.

    Returns:
        The effects.

    Raises:
        InvalidValue: ``n_dealers`` or ``seed`` is not a whole number ≥ 0.

    Examples:
        >>> a, b = survey_effects(2, seed=3), survey_effects(5, seed=3)
        >>> bool((a.dealer == b.dealer[:2]).all())
        True
    """
    n_dealers = whole_number(n_dealers, parameter="n_dealers", minimum=0)
    seed = whole_number(seed, parameter="seed", minimum=0)
    instrument = CSI_CHINA_2015
    factors = instrument.factor_ids
    desks = w.ADVISORS_PER_DEALER
    dealer_rng = np.random.default_rng((seed, w.SURVEY_STREAM, _DEALER_EFFECTS))
    advisor_rng = np.random.default_rng((seed, w.SURVEY_STREAM, _ADVISOR_EFFECTS))
    servqual_rng = np.random.default_rng((seed, w.SURVEY_STREAM, _SERVQUAL_EFFECTS))
    dimensions = len(SERVQUAL.factors)
    return SurveyEffects(
        instrument=instrument,
        drivers=MappingProxyType({f: w.SURVEY_DRIVERS[f] for f in factors}),
        dealers=tuple(ids("D", n_dealers, 4).tolist()),
        dealer=_read_only(dealer_rng.normal(0.0, w.SURVEY_DEALER_SD, (n_dealers, len(factors)))),
        advisors=tuple(f"SA{d:04d}{k}" for d in range(n_dealers) for k in range(desks)),
        advisor=_read_only(advisor_rng.normal(0.0, w.SURVEY_ADVISOR_SD, n_dealers * desks)),
        servqual=_read_only(servqual_rng.normal(0.0, w.SURVEY_DEALER_SD, (n_dealers, dimensions))),
    )


def _answering(
    orders: list[RepairOrder], rng: np.random.Generator, share: float, as_of: date
) -> Iterator[tuple[RepairOrder, datetime]]:
    """Each delivered order whose customer answers (probability ``share``), and when, by ``as_of``."""
    for order in orders:
        if order.closed_at is None or rng.random() >= share:
            continue
        at = order.closed_at + timedelta(days=int(rng.integers(*w.SURVEY_DAYS)))
        if at.date() <= as_of:
            yield order, at


def _response(
    prefix: str, order: RepairOrder, at: datetime, instrument: Instrument, **answered: Any
) -> SurveyAnswered:
    """The response of ``order``'s customer to ``instrument``, about the order."""
    return SurveyAnswered(
        id=f"{prefix}{order.id}",
        instrument=instrument.id,
        version=instrument.version,
        customer_id=order.customer_id,
        repair_order_id=order.id,
        dealer_id=order.dealer_id,
        advisor=order.advisor,
        at=at,
        **answered,
    )


def survey_responses(
    orders: list[RepairOrder],
    late: Mapping[str, bool],
    rng: np.random.Generator,
    as_of: date,
    effects: SurveyEffects,
) -> list[Record]:
    """The CSI responses to some delivered orders (rated lower after a ``late`` one), answered on or before ``as_of``."""
    instrument = effects.instrument
    factor_ids = instrument.factor_ids
    size = np.array([len(f.items) for f in instrument.factors])
    of_item = np.repeat(np.arange(len(factor_ids)), size)
    pickup, quality, advisor_factor = (
        factor_ids.index(f) for f in ("vehicle_pickup", "service_quality", "service_advisor")
    )
    drivers = np.array([effects.drivers[f] for f in factor_ids])
    dealer_row = {d: i for i, d in enumerate(effects.dealers)}
    advisor_row = {a: i for i, a in enumerate(effects.advisors)}
    (recommend_scale,) = (item.scale for item in NPS_SURVEY.items)
    out: list[Record] = []
    for order, at in _answering(orders, rng, w.SURVEY_SHARE, as_of):
        level = w.SURVEY_MEAN + float(rng.normal(0.0, w.SURVEY_RESPONDENT_SD))
        factors = level + rng.normal(0.0, w.SURVEY_FACTOR_SD, len(factor_ids))
        factors += effects.dealer[dealer_row[order.dealer_id]]
        if order.advisor is not None:
            factors[advisor_factor] += effects.advisor[advisor_row[order.advisor]]
        factors[pickup] -= w.SURVEY_LATE_PENALTY * late[order.id]
        factors[quality] -= w.SURVEY_COMEBACK_PENALTY * (order.comeback_of is not None)
        ratings = np.rint(factors[of_item] + rng.normal(0.0, w.SURVEY_ITEM_SD, len(of_item)))
        skipped = rng.random(len(of_item)) < w.SURVEY_SKIP_SHARE
        answers = [
            Answer(item=item.id, perception=int(np.clip(r, item.scale.low, item.scale.high)))
            for item, r, skip in zip(
                instrument.items, ratings.tolist(), skipped.tolist(), strict=True
            )
            if not skip
        ]
        overall = float(drivers @ factors) + float(rng.normal(0.0, w.SURVEY_RECOMMEND_SD))
        recommend = int(np.clip(np.rint(overall), recommend_scale.low, recommend_scale.high))
        out.append(
            _response("S", order, at, instrument, answers=tuple(answers), recommend=recommend)
        )
    return out


def _points(rng: np.random.Generator, mean: NDArray[np.float64]) -> list[int]:
    """100 whole importance points around ``mean`` (shares), by largest remainder."""
    shares = rng.dirichlet(mean * w.SERVQUAL_IMPORTANCE_CONCENTRATION) * 100
    points = np.floor(shares).astype(np.int64)
    short = 100 - int(points.sum())
    points[np.argsort(points - shares, kind="stable")[:short]] += 1
    return [int(p) for p in points]


def servqual_responses(
    orders: list[RepairOrder], seed: int, as_of: date, effects: SurveyEffects
) -> list[Record]:
    """SERVQUAL answers (expectation and perception) to some delivered orders, by ``as_of``."""
    rng = np.random.default_rng((seed, w.SURVEY_STREAM, _SERVQUAL_ANSWERS))
    instrument = SERVQUAL
    dimensions = instrument.factor_ids
    size = np.array([len(f.items) for f in instrument.factors])
    of_item = np.repeat(np.arange(len(dimensions)), size)
    expected = np.array([w.SERVQUAL_EXPECTED[d] for d in dimensions])
    shortfall = np.array([w.SERVQUAL_SHORTFALL[d] for d in dimensions])
    importance = np.array([w.SERVQUAL_IMPORTANCE[d] for d in dimensions]) / 100
    dealer_row = {d: i for i, d in enumerate(effects.dealers)}
    low, high = SERVQUAL.items[0].scale.low, SERVQUAL.items[0].scale.high
    out: list[Record] = []
    for order, at in _answering(orders, rng, w.SERVQUAL_SHARE, as_of):
        hopes = expected + float(rng.normal(0.0, w.SERVQUAL_EXPECTED_SD))
        felt = expected - shortfall + effects.servqual[dealer_row[order.dealer_id]]
        felt = felt + rng.normal(0.0, w.SERVQUAL_PERCEIVED_SD, len(dimensions))
        e = np.clip(
            np.rint(hopes[of_item] + rng.normal(0, w.SERVQUAL_ITEM_SD, len(of_item))), low, high
        )
        p = np.clip(
            np.rint(felt[of_item] + rng.normal(0, w.SERVQUAL_ITEM_SD, len(of_item))), low, high
        )
        skipped = rng.random(len(of_item)) < w.SURVEY_SKIP_SHARE
        answers = tuple(
            Answer(item=item.id, perception=int(pi), expectation=int(ei))
            for item, pi, ei, skip in zip(
                instrument.items, p.tolist(), e.tolist(), skipped.tolist(), strict=True
            )
            if not skip
        )
        given = rng.random() < w.SERVQUAL_IMPORTANCE_SHARE
        points = _points(rng, importance) if given else []
        allocation = tuple(
            ImportancePoints(factor=d, points=n) for d, n in zip(dimensions, points, strict=False)
        )
        out.append(_response("SQ", order, at, instrument, answers=answers, importance=allocation))
    return out


def staff_survey_responses(
    dealers: list[Dealer], rng: np.random.Generator, as_of: date
) -> list[Record]:
    """Each dealer's manager and one or two advisors state the SERVQUAL expectations they believe customers hold.

    The advisors are the dealer's service desks (``SA`` + its row + a desk, as the orders
    have them); the manager is ``SM`` + the row. Each answers once, before ``as_of``.
    """
    instrument = SERVQUAL
    items = [item for item in instrument.items if item.asks.expectation]
    end = datetime.combine(as_of, time(w.STAFF_SURVEY_HOUR), tzinfo=UTC)
    out: list[Record] = []
    for row, dealer in enumerate(dealers):
        advisors = int(rng.integers(*w.STAFF_ADVISORS))
        staff = [(f"SM{row:04d}", StaffRole.MANAGER)]
        staff += [(f"SA{row:04d}{desk}", StaffRole.ADVISOR) for desk in range(advisors)]
        for who, role in staff:
            level = w.STAFF_BELIEF_MEAN + float(rng.normal(0.0, w.STAFF_BELIEF_SD))
            beliefs = np.rint(level + rng.normal(0.0, w.STAFF_BELIEF_ITEM_SD, len(items)))
            out.append(
                StaffSurveyAnswered(
                    id=f"SS{dealer.id}-{who}",
                    instrument=instrument.id,
                    version=instrument.version,
                    dealer_id=dealer.id,
                    staff=who,
                    role=role,
                    at=end - timedelta(days=int(rng.integers(*w.STAFF_SURVEY_DAYS))),
                    answers=tuple(
                        StaffAnswer(
                            item=item.id,
                            expectation=int(np.clip(b, item.scale.low, item.scale.high)),
                        )
                        for item, b in zip(items, beliefs.tolist(), strict=True)
                    ),
                )
            )
    return out
