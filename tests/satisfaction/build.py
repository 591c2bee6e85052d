"""Small builders of survey responses for the satisfaction tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aftersales_crm.records import Answer, ImportancePoints, SurveyAnswered
from aftersales_crm.satisfaction import Instrument, Responses

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)

Pair = tuple[int | None, int | None]


def response(
    instrument: Instrument | str,
    answers: Mapping[str, int | Pair],
    *,
    id: str = "S1",
    version: str | None = None,
    dealer: str = "D1",
    advisor: str | None = "SA1",
    customer: str = "C1",
    at: datetime = AT,
    importance: Mapping[str, int] | None = None,
    recommend: int | None = None,
) -> SurveyAnswered:
    """A response: ``answers`` maps item → perception, or item → (perception, expectation)."""
    key = instrument.key if isinstance(instrument, Instrument) else instrument
    name, _, own_version = key.partition("@")
    built = []
    for item, given in answers.items():
        p, e = given if isinstance(given, tuple) else (given, None)
        built.append(Answer(item=item, perception=p, expectation=e))
    return SurveyAnswered(
        id=id,
        instrument=name,
        version=version or own_version,
        customer_id=customer,
        dealer_id=dealer,
        advisor=advisor,
        at=at,
        answers=tuple(built),
        importance=tuple(
            ImportancePoints(factor=f, points=p) for f, p in (importance or {}).items()
        ),
        recommend=recommend,
    )


def responses(*records: SurveyAnswered) -> Responses:
    return Responses.from_records(records)


def many(instrument: Instrument | str, rows: Sequence[Mapping[str, Any]]) -> Responses:
    """Responses S0, S1, … from keyword dictionaries of :func:`response`."""
    return Responses.from_records(
        [response(instrument, **{"answers": {}, **row}, id=f"S{i}") for i, row in enumerate(rows)]
    )
