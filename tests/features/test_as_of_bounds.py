"""Every public function taking ``as_of`` refuses one outside the library's range with
``InvalidValue``, never an ``OverflowError`` from deep in a kernel.

The range is :data:`~aftersales_crm.values.EARLIEST_DATE` …
:data:`~aftersales_crm.values.LATEST_DATE` for days and
:data:`~aftersales_crm.values.EARLIEST_INSTANT` …
:data:`~aftersales_crm.values.LATEST_INSTANT` for instants; one helper checks it for all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import (
    MileageModel,
    add_months,
    business_dates,
    completed_years,
    dealer_features,
    model_rates,
    profile,
)
from aftersales_crm.records import on_time
from aftersales_crm.values import EARLIEST_DATE, LATEST_DATE

BOOK = synthetic.book(6, seed=2)
TABLES = synthetic.tables(6, seed=2)
CUSTOMER = next(iter(BOOK.customers))

AS_OF_USERS: list[tuple[str, Callable[[Any], object]]] = [
    ("features.compute", lambda as_of: features.compute(BOOK, as_of=as_of)),
    ("features.compute on tables", lambda as_of: features.compute(TABLES, as_of=as_of)),
    ("features.profile", lambda as_of: profile(BOOK, CUSTOMER, as_of=as_of)),
    ("features.model_rates", lambda as_of: model_rates(BOOK, as_of=as_of)),
    ("features.dealer_features", lambda as_of: dealer_features(BOOK, as_of=as_of)),
    ("MileageModel.fit", lambda as_of: MileageModel().fit(BOOK, as_of=as_of)),
    (
        "features.completed_years",
        lambda as_of: completed_years(np.array(["2000-01-01"], "M8[D]"), as_of),
    ),
    ("synthetic.book", lambda as_of: synthetic.book(3, seed=1, as_of=as_of)),
    ("synthetic.tables", lambda as_of: synthetic.tables(3, seed=1, as_of=as_of)),
]
"""Each public function that takes ``as_of``, called with a given one."""


@pytest.mark.parametrize(("name", "call"), AS_OF_USERS, ids=[name for name, _ in AS_OF_USERS])
@pytest.mark.parametrize(
    "as_of",
    [
        date(1, 1, 2),  # near year 1: OverflowError in compute before
        date(9999, 12, 30),  # near year 9999: likewise
        "9999-12-30",  # as ISO text
        EARLIEST_DATE - timedelta(days=1),  # just before the range
        LATEST_DATE + timedelta(days=1),  # just after it
    ],
)
def test_an_as_of_out_of_range_is_invalid_value(
    name: str, call: Callable[[Any], object], as_of: object
) -> None:
    with pytest.raises(InvalidValue) as err:
        call(as_of)
    assert err.value.code == "date_range"
    assert "1900-01-01 to 2199-12-31" in str(err.value)


def test_compute_takes_the_last_day_of_the_range() -> None:
    assert features.compute(BOOK, as_of=LATEST_DATE).as_of == LATEST_DATE


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 2, tzinfo=UTC),  # near year 1
        datetime(9999, 12, 30, tzinfo=UTC),  # near year 9999
    ],
)
def test_a_consent_question_out_of_range_is_invalid_value(moment: datetime) -> None:
    with pytest.raises(InvalidValue) as err:
        BOOK.consents_to(CUSTOMER, "marketing", "sms", as_of=moment)
    assert err.value.code == "instant_range"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: add_months(np.array([10**17], dtype="M8[D]"), 1), "date_range"),  # far future
        (lambda: add_months(np.array(["2026-01-31"], dtype="M8[D]"), 10**30), "invalid_argument"),
        (lambda: business_dates(np.array(["0001-01-02T00:00"], dtype="M8[us]")), "instant_range"),
        (lambda: business_dates(np.array([10**18, 1])), "instant_range"),  # no overflow
        (lambda: on_time(["9999-12-31T00:00"], ["2026-01-01T00:00"]), "instant_range"),
    ],
)
def test_calendar_kernels_refuse_dates_they_cannot_handle(
    call: Callable[[], object], code: str
) -> None:
    with pytest.raises(InvalidValue) as err:
        call()
    assert err.value.code == code
