"""Survey answers (问卷): a customer answered a satisfaction survey, with its fact kind.

A :class:`SurveyAnswered` fact names the instrument it answers (its id and version), the
customer, repair order, dealer and service advisor, and the instant; it holds one
:class:`Answer` per item answered (a perception and an optional expectation), an optional
allocation of 100 importance points over the instrument's factors
(:class:`ImportancePoints`) and an optional recommend score from 0 to 10. Which items an
instrument has and their scales are checked against the instrument when the answers are
scored (:mod:`aftersales_crm.satisfaction`): the record checks only what holds for every
instrument.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Record
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, Child, FactKind
from aftersales_crm.records._repair import RepairOrder
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import NONE_CODE
from aftersales_crm.values.types import Instant

__all__ = [
    "IMPORTANCE_POINTS",
    "MAX_RATING",
    "RECOMMEND_HIGH",
    "SURVEYS",
    "Answer",
    "ImportancePoints",
    "SurveyAnswered",
]

K = s.ColumnKind

MAX_RATING: Final = 100
"""The highest rating any survey answer may hold (a 0–100 slider is the widest scale)."""

RECOMMEND_HIGH: Final = 10
"""The top of the recommend question's 0–10 scale (Reichheld 2003)."""

IMPORTANCE_POINTS: Final = 100
"""A respondent allocates 100 points over the factors by importance (SERVQUAL, 1988)."""

Rating = Annotated[int, Field(strict=True, ge=0, le=MAX_RATING)]
"""A rating: a whole point from 0 to :data:`MAX_RATING`; its item's scale is checked when scored."""


def _label_id(name: str) -> Column:
    """An id that repeats over many rows (an instrument, an item), kept as a label."""
    return Column(name, K.LABEL, check=s.plain_id, max_length=s.ID_MAX)


class Answer(Record):
    """The answer to one item: a perception, an expectation, or both.

    Attributes:
        item: the item's id in the instrument.
        perception: the rating of the service as perceived (实际获得值).
        expectation: the rating of what was expected (期望值).

    Examples:
        >>> Answer(item="sq01", perception=6, expectation=7).expectation
        7
        >>> Answer(item="sq01")
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Answer
          Value error, the answer to item sq01 has neither a perception nor an expectation ...
    """

    item: Id
    perception: Rating | None = None
    expectation: Rating | None = None

    @model_validator(mode="after")
    def _some_rating(self) -> Self:
        if self.perception is None and self.expectation is None:
            msg = f"the answer to item {self.item} has neither a perception nor an expectation"
            raise ValueError(msg)
        return self


class ImportancePoints(Record):
    """The importance points a respondent gives one factor (of 100 over all factors).

    Attributes:
        factor: the factor's id in the instrument (a SERVQUAL dimension, a CSI factor).
        points: whole points from 0 to 100.

    Examples:
        >>> ImportancePoints(factor="reliability", points=30).points
        30
    """

    factor: Id
    points: Annotated[int, Field(strict=True, ge=0, le=IMPORTANCE_POINTS)]


class SurveyAnswered(Record):
    """A customer answered a satisfaction survey (满意度调查): one response.

    Attributes:
        id: the response's id.
        instrument: the id of the instrument answered (``"china_csi"``).
        version: its version (``"2015"``).
        customer_id: who answered.
        repair_order_id: the visit the survey is about, if any.
        dealer_id: the dealer surveyed.
        advisor: the service advisor (服务顾问) of the visit, a staff id.
        at: when the survey was answered, timezone-aware.
        answers: one per item answered, each item at most once; an item left out is a
            missing answer.
        importance: the respondent's 100 importance points over the instrument's factors
            (each factor at most once, summing to 100), or none.
        recommend: the answer to "how likely are you to recommend …" on 0–10, or None.

    Examples:
        >>> from datetime import datetime, timezone
        >>> survey = SurveyAnswered(
        ...     id="S1", instrument="china_csi", version="2015", customer_id="C1",
        ...     repair_order_id="RO1", dealer_id="D1", advisor="SA01",
        ...     at=datetime(2026, 3, 9, 10, tzinfo=timezone.utc),
        ...     answers=[Answer(item="si_easy_appointment", perception=9)], recommend=10)
        >>> survey.answers[0].perception, survey.recommend
        (9, 10)
        >>> SurveyAnswered.model_validate({**survey.model_dump(), "answers": [
        ...     {"item": "sa_courtesy", "perception": 8}, {"item": "sa_courtesy", "perception": 9}]})
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for SurveyAnswered
          Value error, survey response S1 answers item sa_courtesy 2 times; one answer per item ...
    """

    id: Id
    instrument: Id
    version: Id
    customer_id: Id
    repair_order_id: Id | None = None
    dealer_id: Id
    advisor: Id | None = None
    at: Instant
    answers: tuple[Answer, ...] = ()
    importance: tuple[ImportancePoints, ...] = ()
    recommend: Annotated[int, Field(strict=True, ge=0, le=RECOMMEND_HIGH)] | None = None

    @model_validator(mode="after")
    def _once_each(self) -> Self:
        for what, keys in (
            ("item", [a.item for a in self.answers]),
            ("factor", [p.factor for p in self.importance]),
        ):
            twice = {key: n for key, n in Counter(keys).items() if n > 1}
            if twice:
                key, n = sorted(twice.items())[0]
                verb = "answers" if what == "item" else "gives importance points to"
                one = "one answer per item" if what == "item" else "one allocation per factor"
                msg = f"survey response {self.id} {verb} {what} {key} {n} times; {one}"
                raise ValueError(msg)
        total = sum(p.points for p in self.importance)
        if self.importance and total != IMPORTANCE_POINTS:
            msg = (
                f"survey response {self.id}: the importance points sum to {total}, not"
                f" {IMPORTANCE_POINTS}"
            )
            raise ValueError(msg)
        return self


def _surveys_agree_with_their_order(
    fresh: Sequence[SurveyAnswered], book: Mapping[str, Mapping[str, Record]]
) -> list[str]:
    """A survey about a repair order is of the order's dealer and not answered before it."""
    problems: list[str] = []
    for survey in fresh:
        order = book["repair_orders"].get(survey.repair_order_id or "")
        if not isinstance(order, RepairOrder):
            continue
        if order.dealer_id != survey.dealer_id:
            problems.append(
                f"survey response {survey.key!r}: repair order {order.id!r} is of dealer"
                f" {order.dealer_id!r}, not {survey.dealer_id!r}"
            )
        if survey.at < order.opened_at:
            problems.append(
                f"survey response {survey.key!r}: answered at {survey.at.isoformat()}, before"
                f" repair order {order.id!r} was opened at {order.opened_at.isoformat()}"
            )
    return problems


def _twice(parent: NDArray[Any], key: NDArray[Any]) -> NDArray[np.intp]:
    """The rows whose (parent, key) pair an earlier row has already."""
    if not len(parent):
        return np.zeros(0, dtype=np.intp)
    pairs = np.stack([parent.astype(np.int64), key.astype(np.int64)], axis=1)
    _, first = np.unique(pairs, axis=0, return_index=True)
    repeated = np.ones(len(parent), dtype=bool)
    repeated[first] = False
    return np.flatnonzero(repeated)


def _answer_rows_agree(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Each answer has a rating and answers its item once per response, as :class:`SurveyAnswered` requires."""
    none = (columns["perception"] == NONE_CODE) & (columns["expectation"] == NONE_CODE)
    return [
        *s.problems(
            np.flatnonzero(none),
            "perception",
            "missing_value",
            lambda r: "an answer needs a perception or an expectation",
        ),
        *s.problems(
            _twice(columns["survey"], columns["item"]),
            "item",
            "duplicate_answer",
            lambda r: "the response answers this item already; one answer per item",
        ),
    ]


def _importance_rows_agree(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Each factor gets points once per response, and a response's points sum to 100."""
    survey, points = columns["survey"], columns["points"]
    out = s.problems(
        _twice(survey, columns["factor"]),
        "factor",
        "duplicate_importance",
        lambda r: "the response gives this factor points already; one allocation per factor",
    )
    if len(survey):
        owners, inverse = np.unique(survey, return_inverse=True)
        sums = np.bincount(inverse, weights=points.astype(np.float64), minlength=len(owners))
        off = np.flatnonzero(sums[inverse] != IMPORTANCE_POINTS)
        out += s.problems(
            off,
            "points",
            "importance_sum",
            lambda r: (
                f"the response's importance points sum to {int(sums[inverse[r]])}, not"
                f" {IMPORTANCE_POINTS}"
            ),
        )
    return out


SURVEYS = FactKind(
    name="surveys",
    record=SurveyAnswered,
    noun="survey response",
    table=TableSchema(
        "surveys",
        (
            Column("id", K.ID),
            _label_id("instrument"),
            _label_id("version"),
            s.ref("customer", "customer_id", "customers"),
            s.ref("order", "repair_order_id", "orders", nullable=True),
            s.ref("dealer", "dealer_id", "dealers"),
            s.id_text("advisor"),
            Column("at", K.INSTANT),
            Column(
                "recommend",
                K.INT,
                nullable=True,
                limit=RECOMMEND_HIGH,
                range_code="recommend_range",
            ),
        ),
        SurveyAnswered,
    ),
    children=(
        Child(
            field="answers",
            table=TableSchema(
                "survey_answers",
                (
                    s.ref("survey", "survey_id", "surveys"),
                    _label_id("item"),
                    Column(
                        "perception",
                        K.INT,
                        nullable=True,
                        limit=MAX_RATING,
                        range_code="rating_range",
                    ),
                    Column(
                        "expectation",
                        K.INT,
                        nullable=True,
                        limit=MAX_RATING,
                        range_code="rating_range",
                    ),
                ),
                Answer,
                checks=(_answer_rows_agree,),
            ),
            parent="survey",
        ),
        Child(
            field="importance",
            table=TableSchema(
                "survey_importance",
                (
                    s.ref("survey", "survey_id", "surveys"),
                    _label_id("factor"),
                    Column(
                        "points",
                        K.INT,
                        limit=IMPORTANCE_POINTS,
                        range_code="importance_range",
                    ),
                ),
                ImportancePoints,
                checks=(_importance_rows_agree,),
            ),
            parent="survey",
        ),
    ),
    checks=(_surveys_agree_with_their_order,),
    strategy=f"{STRATEGIES}:survey_part",
    synthetic=f"{SYNTHETIC}._surveys:survey_responses",
)
"""Survey responses: the ``surveys`` table, one row per response, with the long tables
``survey_answers`` (one row per answer) and ``survey_importance`` (one row per factor given
importance points)."""
