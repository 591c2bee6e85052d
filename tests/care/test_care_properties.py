"""Properties of the agenda over drawn customer bases: consent honoured, ranges composed of
days, facts in any order, nothing a rule made dropped."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_crm.care import (
    CONSENT_PURPOSES,
    Agenda,
    AnnualInspection,
    CareInputs,
    ComplaintFollowUp,
    Consent,
    CoolingOff,
    DoNotContact,
    FestivalGreetings,
    FrequencyCap,
    InsuranceRenewal,
    LunarBirthday,
    MaintenanceDue,
    OwnerBirthday,
    Planner,
    PreferredChannel,
    QuietHours,
    TaskStatus,
    VehicleAnniversary,
    WarrantyEnding,
    WinBack,
    _planner,
    all_of,
)
from aftersales_crm.care._facts import consented
from aftersales_crm.loyalty import LoyaltyValueMatrix
from aftersales_crm.records import Book, ConsentPurpose, Customer
from aftersales_crm.tables import Tables
from aftersales_crm.values import ContactChannel

from .build import (
    CHANNELS,
    CUSTOMERS,
    PURPOSES,
    VINS,
    book,
    car,
    complaint,
    consent,
    contact,
    order,
)

AS_OF = date(2026, 6, 30)
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHANGHAI = timezone(timedelta(hours=8))

PLANNERS: tuple[Planner, ...] = (
    Planner(),
    Planner(
        contact=all_of(
            PreferredChannel(),
            Consent(),
            DoNotContact(),
            CoolingOff(),
            # E-mail is quiet all day (its tasks blocked), the phone at lunch.
            QuietHours(quiet=(("email", "00:00", "24:00"), ("phone", "12:00", "14:00"))),
            FrequencyCap(per_week=1, per_month=2),
        ),
        lookback=5,
        rules=(
            *Planner.RULES[:3],
            OwnerBirthday(days_before=1),
            LunarBirthday(window_days=2),
            VehicleAnniversary(leap_day="mar_1"),
            FestivalGreetings(festivals=("qixi",), days_before=55),  # 19 August 2026
        ),
    ),
)
EVERY_RULE = Planner(
    rules=(
        *Planner.RULES[:3],
        InsuranceRenewal(),
        AnnualInspection(),
        WarrantyEnding(),
        ComplaintFollowUp(),
        WinBack(matrix=LoyaltyValueMatrix(win_back=("D",)), maintenance=MaintenanceDue(km=None)),
    ),
    contact=PLANNERS[1].contact,
    lookback=5,
)
PLANNERS = (*PLANNERS, EVERY_RULE)


@st.composite
def bases(draw: st.DrawFn) -> Book:
    """Four customers with a car each, and drawn orders, contacts, consents and complaints."""
    days = st.integers(min_value=-200, max_value=0)
    records: list[Any] = []
    for i, customer in enumerate(CUSTOMERS):
        bought = AS_OF + timedelta(days=draw(st.integers(min_value=-900, max_value=-20)))
        records += car(i, customer, bought)
    orders: dict[str, list[str]] = {c: [] for c in CUSTOMERS}
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        i = draw(st.integers(min_value=0, max_value=3))
        day = AS_OF + timedelta(days=draw(st.integers(min_value=-30, max_value=0)))
        kind = draw(st.sampled_from(("maintenance", "first_maintenance", "minor_repair")))
        closed = day if draw(st.integers(min_value=0, max_value=5)) else None  # most closed
        records.append(
            order(
                f"R{n}",
                day,
                customer=CUSTOMERS[i],
                vehicle=VINS[i],
                closed=closed,
                km=1000 + 40 * (day - AS_OF).days + 8000,
                kind=kind,
            )
        )
        orders[CUSTOMERS[i]].append(f"R{n}")
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        customer = draw(st.sampled_from(CUSTOMERS))
        day = AS_OF + timedelta(days=draw(days))
        records.append(
            consent(
                f"K{n}",
                customer,
                day,
                purpose=draw(st.sampled_from(PURPOSES)),
                channel=draw(st.sampled_from(CHANNELS[:3])),
                granted=draw(st.booleans()),
                hour=draw(st.sampled_from((9, 10))),  # equal instants happen
            )
        )
    for n in range(draw(st.integers(min_value=0, max_value=8))):
        customer = draw(st.sampled_from(CUSTOMERS))
        about = draw(st.sampled_from([None, *orders[customer]]))
        records.append(
            contact(
                f"X{n}",
                customer,
                AS_OF + timedelta(days=draw(st.integers(min_value=-40, max_value=0))),
                purpose=draw(
                    st.sampled_from(("follow_up_3d", "follow_up_7d", "reminder", "appointment"))
                ),
                outcome=draw(st.sampled_from(("reached", "no_answer", "do_not_contact"))),
                order_id=about,
            )
        )
    for n in range(draw(st.integers(min_value=0, max_value=2))):
        records.append(
            complaint(f"Q{n}", draw(st.sampled_from(CUSTOMERS)), AS_OF + timedelta(days=draw(days)))
        )
    # Birthdays near the days asked for, a few celebrated on the lunar calendar.
    people = [
        Customer(
            id=customer,
            name="王芳",
            birthday=date(draw(st.integers(min_value=1950, max_value=2000)), 1, 1)
            + timedelta(days=draw(st.integers(min_value=150, max_value=230))),
            lunar_birthday=draw(st.booleans()),
            preferred_channel=draw(st.sampled_from((None, *CHANNELS[:4]))),
        )
        for customer in CUSTOMERS
    ]
    return book(*people, *records, customers=())


def _rows(agenda: Agenda) -> set[tuple[Any, ...]]:
    """Each task with what the agenda says of it (all but the call number)."""
    texts = agenda.blocked_text()
    return set(
        zip(
            agenda.tasks.customer.tolist(),
            agenda.tasks.kind_names().tolist(),
            agenda.tasks.source.tolist(),
            agenda.tasks.due.tolist(),
            agenda.tasks.channel.tolist(),
            agenda.tasks.priority.tolist(),
            agenda.status.tolist(),
            texts.tolist(),
            agenda.hours.tolist(),
            strict=True,
        )
    )


@FEW
@given(
    data=bases(), planner=st.sampled_from(PLANNERS), shift=st.integers(min_value=-10, max_value=20)
)
def test_no_task_is_to_be_done_without_consent_for_its_purpose_and_channel(
    data: Book, planner: Planner, shift: int
) -> None:
    on = AS_OF + timedelta(days=shift)
    agenda = planner.agenda(data, start=on, end=on + timedelta(days=30), as_of=AS_OF)
    statuses = list(TaskStatus)
    purposes = [kind.purpose for kind in agenda.tasks.kinds]
    channels = list(ContactChannel)
    for row in range(len(agenda)):
        if statuses[agenda.status[row]] not in (TaskStatus.OPEN, TaskStatus.OVERDUE):
            continue
        judged = max(agenda.tasks.due[row].item(), AS_OF)
        moment = datetime.combine(judged + timedelta(days=1), time(), tzinfo=SHANGHAI) - timedelta(
            microseconds=1
        )
        assert data.consents_to(
            str(agenda.tasks.customer[row]),
            CONSENT_PURPOSES[purposes[agenda.tasks.kind[row]]],
            channels[agenda.tasks.channel[row]],
            as_of=moment,
        ), f"task {row} is {statuses[agenda.status[row]].value} without consent"
        assert agenda.hours[row] != 0, f"task {row} is to be done in no hour of the day"


@FEW
@given(data=bases(), shifts=st.lists(st.integers(min_value=-210, max_value=10), min_size=1))
def test_consent_on_any_day_is_the_latest_change_known_by_its_end(
    data: Book, shifts: list[int]
) -> None:
    # Days before some changes too (read by a search), not only after all (read by key).
    inputs = CareInputs.of(data, start=AS_OF, as_of=AS_OF)
    rows = [(c, p, ch, s) for c in range(4) for p in range(3) for ch in range(3) for s in shifts]
    customers, consent, channels, shift = (np.array(column) for column in zip(*rows, strict=True))
    days = np.datetime64(AS_OF) + shift.astype("timedelta64[D]")
    found = consented(inputs, customers, consent, channels, days)
    consents, channel_list = list(ConsentPurpose), list(ContactChannel)
    for row, (c, p, ch, s) in enumerate(rows):
        judged = min(AS_OF + timedelta(days=s), AS_OF)
        moment = datetime.combine(judged + timedelta(days=1), time(), tzinfo=SHANGHAI)
        expected = data.consents_to(
            str(inputs.customer_ids[c]),
            consents[p],
            channel_list[ch],
            as_of=moment - timedelta(microseconds=1),
        )
        assert found[row] == expected, f"{rows[row]}"


@FEW
@given(
    data=bases(),
    first=st.integers(min_value=-10, max_value=25),
    length=st.integers(min_value=0, max_value=6),
    planner=st.sampled_from(PLANNERS[1:]),
)
def test_the_agenda_of_a_range_is_the_union_of_its_days_agendas(
    data: Book, first: int, length: int, planner: Planner
) -> None:
    start = AS_OF + timedelta(days=first)
    end = start + timedelta(days=length)
    whole = planner.agenda(data, start=start, end=end, as_of=AS_OF)
    union: set[tuple[Any, ...]] = set()
    for k in range(length + 1):
        day = start + timedelta(days=k)
        alone = planner.agenda(data, on=day, as_of=AS_OF)
        union |= _rows(alone)
        assert _rows(whole.for_day(day)) == _rows(alone)
    assert _rows(whole) == union
    assert len(whole) == len(_rows(whole))  # no task twice


@FEW
@given(
    data=bases(), seed=st.integers(min_value=0, max_value=2**16), planner=st.sampled_from(PLANNERS)
)
def test_the_same_facts_in_any_order_give_the_same_agenda(
    data: Book, seed: int, planner: Planner
) -> None:
    tables = Tables.from_book(data)
    arrays = tables.to_arrays()
    rng = np.random.default_rng(seed)
    shuffled: dict[str, Any] = {}
    for name, columns in arrays.items():
        n = len(next(iter(columns.values()))) if columns else 0
        order_ = rng.permutation(n) if name not in ("lines",) else np.arange(n)
        shuffled[name] = {key: np.asarray(values)[order_] for key, values in columns.items()}
    again = Tables.from_arrays(**shuffled)
    start, end = AS_OF - timedelta(days=5), AS_OF + timedelta(days=25)
    assert planner.agenda(again, start=start, end=end, as_of=AS_OF) == planner.agenda(
        tables, start=start, end=end, as_of=AS_OF
    )


@FEW
@given(data=bases())
def test_every_task_a_rule_made_is_on_the_agenda_whatever_the_contact_rules_say(data: Book) -> None:
    planner = EVERY_RULE
    start, end = AS_OF, AS_OF + timedelta(days=30)
    agenda = planner.agenda(data, start=start, end=end, as_of=AS_OF)
    inputs = CareInputs.of(
        data, start=start - timedelta(days=planner.lookback), end=end, as_of=AS_OF
    )
    made = set()
    for rule in planner.rules or Planner.RULES:
        tasks = rule.plan(inputs)
        made |= set(
            zip(tasks.kind_names().tolist(), tasks.source.tolist(), tasks.due.tolist(), strict=True)
        )
    shown = set(
        zip(
            agenda.tasks.kind_names().tolist(),
            agenda.tasks.source.tolist(),
            agenda.tasks.due.tolist(),
            strict=True,
        )
    )
    assert shown == made


@FEW
@given(
    data=bases(),
    first=st.integers(min_value=-40, max_value=40),
    length=st.integers(min_value=0, max_value=40),
    planner=st.sampled_from(PLANNERS),
)
def test_the_days_the_planner_guesses_to_plan_change_nothing(
    data: Book, first: int, length: int, planner: Planner
) -> None:
    # The planner plans once on days it guesses hold the whole weeks and months of the
    # due days of the tasks shown; a guess too short plans again, one too long keeps only
    # the tasks meeting those weeks and months: the same agenda either way.
    start = AS_OF + timedelta(days=first)
    end = start + timedelta(days=length)
    agenda = planner.agenda(data, start=start, end=end, as_of=AS_OF)
    for reach in (0, 400):
        with mock.patch.object(_planner, "_REACH", np.timedelta64(reach, "D")):
            assert planner.agenda(data, start=start, end=end, as_of=AS_OF) == agenda
