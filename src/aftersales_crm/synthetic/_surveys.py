"""Survey responses: customers answer the China CSI 2015 questionnaire, staff the SERVQUAL one.

Each delivered repair order's customer answers with probability ``SURVEY_SHARE`` a few days
later, from the Book's survey stream. A respondent has a level of satisfaction drawn around
``SURVEY_MEAN``, lower after a late delivery or a repeat repair; each item is that level
plus noise, rounded onto 1–10, and a few items are left unanswered. The recommend score
follows the same level on 0–10.

Each dealer's service manager and one or two of its service advisors answer SERVQUAL's
expectation items once, as they believe customers expect them (gap 1 of the gap model).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from aftersales_crm.records import (
    Answer,
    Dealer,
    Record,
    RepairOrder,
    StaffAnswer,
    StaffRole,
    StaffSurveyAnswered,
    SurveyAnswered,
)
from aftersales_crm.satisfaction import CSI_CHINA_2015, NPS_SURVEY, SERVQUAL
from aftersales_crm.synthetic import _world as w

__all__ = ["staff_survey_responses", "survey_responses"]


def survey_responses(
    orders: list[RepairOrder], rng: np.random.Generator, as_of: date
) -> list[Record]:
    """The CSI responses to some delivered orders, answered on or before ``as_of``."""
    instrument = CSI_CHINA_2015
    items = instrument.items
    (recommend_scale,) = (item.scale for item in NPS_SURVEY.items)
    out: list[Record] = []
    for order in orders:
        if order.closed_at is None or rng.random() >= w.SURVEY_SHARE:
            continue
        at = order.closed_at + timedelta(days=int(rng.integers(*w.SURVEY_DAYS)))
        if at.date() > as_of:
            continue
        trouble = order.on_time is False or order.comeback_of is not None
        level = w.SURVEY_MEAN - w.SURVEY_TROUBLE_PENALTY * trouble
        level += float(rng.normal(0.0, w.SURVEY_RESPONDENT_SD))
        ratings = np.rint(level + rng.normal(0.0, w.SURVEY_ITEM_SD, len(items)))
        skipped = rng.random(len(items)) < w.SURVEY_SKIP_SHARE
        answers = [
            Answer(item=item.id, perception=int(np.clip(r, item.scale.low, item.scale.high)))
            for item, r, skip in zip(items, ratings.tolist(), skipped.tolist(), strict=True)
            if not skip
        ]
        recommend = int(
            np.clip(
                np.rint(level + rng.normal(0.0, 1.0)), recommend_scale.low, recommend_scale.high
            )
        )
        out.append(
            SurveyAnswered(
                id=f"S{order.id}",
                instrument=instrument.id,
                version=instrument.version,
                customer_id=order.customer_id,
                repair_order_id=order.id,
                dealer_id=order.dealer_id,
                advisor=order.advisor,
                at=at,
                answers=tuple(answers),
                recommend=recommend,
            )
        )
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
