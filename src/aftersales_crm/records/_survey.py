"""Survey answers (问卷): customers and staff answered a satisfaction survey, with their fact kinds.

A [`SurveyAnswered`][aftersales_crm.records.SurveyAnswered] fact names the instrument it answers (its id and version), the
customer, repair order, dealer and service advisor, and the instant; it holds one
[`Answer`][aftersales_crm.records.Answer] per item answered (a perception and an optional expectation), an optional
allocation of 100 importance points over the instrument's factors
([`ImportancePoints`][aftersales_crm.records.ImportancePoints]) and an optional recommend score from 0 to 10. Which items an
instrument has and their scales are checked against the instrument when the answers are
scored ([`aftersales_crm.satisfaction`][aftersales_crm.satisfaction]): the record checks only what holds for every
instrument.

A [`StaffSurveyAnswered`][aftersales_crm.records.StaffSurveyAnswered] fact is a staff member's answers to a customers' instrument
about what they believe customers expect: one [`StaffAnswer`][aftersales_crm.records.StaffAnswer] (an expectation, never a
perception) per item. Set against the customers' own expectations, they measure gap 1 of
the gap model ([`aftersales_crm.satisfaction.belief_gap`][aftersales_crm.satisfaction.belief_gap]).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Final, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from aftersales_crm.errors import RowProblem
from aftersales_crm.records import _schema as s
from aftersales_crm.records._base import Id, Record
from aftersales_crm.records._enums import StaffRole
from aftersales_crm.records._kinds import STRATEGIES, SYNTHETIC, Child, FactKind
from aftersales_crm.records._repair import RepairOrder
from aftersales_crm.records._schema import Column, TableSchema
from aftersales_crm.values import NONE_CODE
from aftersales_crm.values.types import Instant

__all__ = [
    "IMPORTANCE_POINTS",
    "MAX_RATING",
    "RECOMMEND_HIGH",
    "STAFF_SURVEYS",
    "SURVEYS",
    "Answer",
    "ImportancePoints",
    "StaffAnswer",
    "StaffSurveyAnswered",
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
"""A rating: a whole point from 0 to [`MAX_RATING`][aftersales_crm.records.MAX_RATING]; its item's scale is checked when scored."""


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


def _first_repeat(keys: Iterable[str]) -> tuple[str, int] | None:
    """The first key (in sorted order) given more than once, and how often; None if none is."""
    twice = {key: n for key, n in Counter(keys).items() if n > 1}
    return min(twice.items()) if twice else None


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
            repeat = _first_repeat(keys)
            if repeat:
                key, n = repeat
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
    """Each answer has a rating and answers its item once per response, as [`SurveyAnswered`][aftersales_crm.records.SurveyAnswered] requires."""
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


class StaffAnswer(Record):
    """What a staff member believes customers expect of one item: an expectation, never a perception.

    Gap 1 of the gap model sets the expectations customers state against the expectations
    staff believe they hold, so a staff answer holds only the believed expectation; an answer
    with a perception is refused, naming the rule. An [`Answer`][aftersales_crm.records.Answer] holding only an
    expectation is taken as a staff answer.

    Attributes:
        item: the item's id in the customers' instrument.
        expectation: the rating the staff member believes customers expect (期望值).

    Examples:
        >>> StaffAnswer(item="sq01", expectation=6).expectation
        6
        >>> StaffAnswer(item="sq01", perception=5, expectation=6)
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for StaffAnswer
          Value error, the staff answer to item sq01 holds a perception (5); a staff answer holds only the expectation staff believe customers hold, as gap 1 compares those beliefs with customers' own expectations ...
    """

    item: Id
    expectation: Rating

    @model_validator(mode="before")
    @classmethod
    def _no_perception(cls, data: Any) -> Any:
        if isinstance(data, Answer):
            data = data.model_dump()
        if not isinstance(data, Mapping) or "perception" not in data:
            return data
        perception = data["perception"]
        if perception is not None:
            msg = (
                f"the staff answer to item {data.get('item')} holds a perception"
                f" ({perception!r:.20}); a staff answer holds only the expectation staff believe"
                " customers hold, as gap 1 compares those beliefs with customers' own expectations"
            )
            raise ValueError(msg)
        return {key: value for key, value in data.items() if key != "perception"}


class StaffSurveyAnswered(Record):
    """A staff member answered a customers' instrument about what customers expect: one response.

    The staff member rates each item as they believe the dealer's customers expect it, on
    the item's scale; the customers' mean expectation less the staff's is gap 1 of the gap
    model (顾客差距, [`aftersales_crm.satisfaction.belief_gap`][aftersales_crm.satisfaction.belief_gap]).

    Attributes:
        id: the response's id.
        instrument: the id of the customers' instrument answered (``"servqual"``).
        version: its version (``"1991"``).
        dealer_id: the dealer the staff member works at.
        staff: who answered, a staff id.
        role: their role (a manager, a service advisor, other staff).
        at: when the survey was answered, timezone-aware.
        answers: one per item answered, each item at most once, at least one.

    Examples:
        >>> from datetime import datetime, timezone
        >>> staff = StaffSurveyAnswered(
        ...     id="SS1", instrument="servqual", version="1991", dealer_id="D1", staff="SM01",
        ...     role="manager", at=datetime(2026, 3, 9, 10, tzinfo=timezone.utc),
        ...     answers=[StaffAnswer(item="sq01", expectation=6)])
        >>> staff.role.label("zh"), staff.answers[0].expectation
        ('经理', 6)
        >>> StaffSurveyAnswered.model_validate({**staff.model_dump(), "answers": [
        ...     {"item": "sq01", "expectation": 6}, {"item": "sq01", "expectation": 7}]})
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for StaffSurveyAnswered
          Value error, staff survey response SS1 answers item sq01 2 times; one answer per item ...
    """

    id: Id
    instrument: Id
    version: Id
    dealer_id: Id
    staff: Id
    role: StaffRole
    at: Instant
    answers: tuple[StaffAnswer, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _once_each(self) -> Self:
        repeat = _first_repeat(a.item for a in self.answers)
        if repeat:
            item, n = repeat
            msg = f"staff survey response {self.id} answers item {item} {n} times; one answer per item"
            raise ValueError(msg)
        return self


def _staff_answer_rows_agree(columns: Mapping[str, NDArray[Any]]) -> list[RowProblem]:
    """Each staff answer answers its item once per response, as [`StaffSurveyAnswered`][aftersales_crm.records.StaffSurveyAnswered] requires."""
    return s.problems(
        _twice(columns["staff_survey"], columns["item"]),
        "item",
        "duplicate_answer",
        lambda r: "the staff response answers this item already; one answer per item",
    )


STAFF_SURVEYS = FactKind(
    name="staff_surveys",
    record=StaffSurveyAnswered,
    noun="staff survey response",
    table=TableSchema(
        "staff_surveys",
        (
            Column("id", K.ID),
            _label_id("instrument"),
            _label_id("version"),
            s.ref("dealer", "dealer_id", "dealers"),
            s.id_text("staff", nullable=False),
            Column("role", K.CATEGORY, enum=StaffRole),
            Column("at", K.INSTANT),
        ),
        StaffSurveyAnswered,
    ),
    children=(
        Child(
            field="answers",
            table=TableSchema(
                "staff_survey_answers",
                (
                    s.ref("staff_survey", "staff_survey_id", "staff_surveys"),
                    _label_id("item"),
                    Column("expectation", K.INT, limit=MAX_RATING, range_code="rating_range"),
                ),
                StaffAnswer,
                checks=(_staff_answer_rows_agree,),
            ),
            parent="staff_survey",
            required=True,
        ),
    ),
    strategy=f"{STRATEGIES}:staff_survey_part",
    synthetic=f"{SYNTHETIC}._surveys:staff_survey_responses",
)
"""Staff survey responses: the ``staff_surveys`` table, one row per response, with the long
table ``staff_survey_answers`` (one row per believed expectation)."""
