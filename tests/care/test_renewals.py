"""Insurance renewal, annual inspection, warranty ending, complaint follow-up and win-back,
each day worked out by hand: month ends, 29 February, renewals, whichever-first limbs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm._policy import BasePolicy
from aftersales_crm.care import (
    INSPECTION_SCHEDULE,
    AnnualInspection,
    CareInputs,
    CareTasks,
    ComplaintFollowUp,
    InspectionStep,
    InsuranceRenewal,
    MaintenanceDue,
    Planner,
    Reason,
    TaskKind,
    WarrantyEnding,
    WinBack,
)
from aftersales_crm.errors import InvalidValue
from aftersales_crm.loyalty import LoyaltyStatus, LoyaltyValueMatrix, ServiceIntervalStatus
from aftersales_crm.records import ComplaintUpdated, Record
from aftersales_crm.segmentation import ParetoABC

from .build import (
    VINS,
    beijing,
    book,
    car,
    complaint,
    contact,
    drawn_tables,
    everything,
    inputs,
    order,
    plan,
    readings,
)

# ---------------------------------------------------------------- insurance renewal

LEAP = car(0, "C1", date(2024, 2, 29))


def test_insurance_bought_on_29_february_runs_out_on_28_february_then_29_in_leap_years() -> None:
    # Reminders 45 and 15 days before: 28 Feb 2025 - 45 = 14 Jan, - 15 = 13 Feb.
    assert plan(
        InsuranceRenewal(),
        LEAP,
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
        as_of=date(2025, 1, 1),
    ) == [
        (date(2025, 1, 14), date(2025, 2, 12), date(2025, 2, 28), 0, 1),
        (date(2025, 2, 13), date(2025, 2, 27), date(2025, 2, 28), 0, 1),
    ]
    # Four years on, counted from the purchase itself: 29 February 2028, not the 28th.
    assert plan(
        InsuranceRenewal(),
        LEAP,
        start=date(2028, 1, 1),
        end=date(2028, 3, 31),
        as_of=date(2028, 1, 1),
    ) == [
        (date(2028, 1, 15), date(2028, 2, 13), date(2028, 2, 29), 0, 4),
        (date(2028, 2, 14), date(2028, 2, 28), date(2028, 2, 29), 0, 4),
    ]


def renewed(closed: date) -> list[object]:
    """Car 1 of C2, bought 31 January 2023, its insurance renewed here on 20 January 2025."""
    renewal = order(
        "IR1",
        date(2025, 1, 20),
        customer="C2",
        vehicle=VINS[1],
        closed=closed,
        kind="insurance_renewal",
    )
    return [*car(1, "C2", date(2023, 1, 31)), renewal]


def test_a_renewal_sold_here_restarts_the_insurance_year() -> None:
    # Bought 31 January 2023, renewal sold on 20 January 2025: the next runs out on
    # 20 January 2026 (not the purchase anniversary, 31 January).
    records = renewed(closed=date(2025, 1, 20))
    assert plan(
        InsuranceRenewal(),
        *records,
        start=date(2025, 12, 1),
        end=date(2026, 1, 31),
        as_of=date(2025, 12, 1),
    ) == [
        (date(2025, 12, 6), date(2026, 1, 4), date(2026, 1, 20), 1, 1),
        (date(2026, 1, 5), date(2026, 1, 19), date(2026, 1, 20), 1, 1),
    ]


def test_a_renewal_not_closed_by_as_of_does_not_count_and_reminders_are_a_parameter() -> None:
    records = renewed(closed=date(2025, 1, 22))
    assert plan(
        InsuranceRenewal(reminders=(10,)),
        *records,
        start=date(2025, 1, 21),
        end=date(2025, 1, 21),
        as_of=date(2025, 1, 21),
    ) == [(date(2025, 1, 21), date(2025, 1, 30), date(2025, 1, 31), 0, 2)]


def test_insurance_renewal_names_a_broken_parameter() -> None:
    with pytest.raises(InvalidValue, match="reminders"):
        InsuranceRenewal(reminders=(15, 45)).plan(inputs(book(LEAP), date(2025, 1, 1)))


# ---------------------------------------------------------------- annual inspection


def test_the_default_schedule_marks_years_2_4_8_and_goes_on_site_in_6_10_then_yearly() -> None:
    ages = [
        (age, step.on_site) for step in INSPECTION_SCHEDULE for age in step.ages(16) if age <= 192
    ]
    assert ages == [
        (24, False),
        (48, False),
        (72, True),
        (96, False),
        (120, True),
        (132, True),
        (144, True),
        (156, True),
        (168, True),
        (180, True),
        (186, True),
        (192, True),
    ]


def test_the_sixth_year_on_site_inspection_is_due_on_the_month_end() -> None:
    # Bought 31 August 2020: 72 months on is 31 August 2026; reminders 30 and 7 days before.
    assert plan(
        AnnualInspection(),
        car(0, "C1", date(2020, 8, 31)),
        start=date(2026, 7, 1),
        end=date(2026, 9, 30),
        as_of=date(2026, 7, 1),
    ) == [
        (date(2026, 8, 1), date(2026, 8, 23), date(2026, 8, 31), 1, 72),
        (date(2026, 8, 24), date(2026, 8, 30), date(2026, 8, 31), 1, 72),
    ]


def test_a_four_year_old_car_only_applies_for_the_mark() -> None:
    assert plan(
        AnnualInspection(reminders=(30,)),
        car(0, "C1", date(2022, 3, 15)),
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        as_of=date(2026, 1, 1),
    ) == [(date(2026, 2, 13), date(2026, 3, 14), date(2026, 3, 15), 0, 48)]


def test_past_fifteen_years_a_car_bought_on_29_february_goes_twice_a_year() -> None:
    # Bought 29 February 2008: 216 months on is 28 February 2026, 222 months 29 August 2026.
    assert plan(
        AnnualInspection(reminders=(30,)),
        car(0, "C1", date(2008, 2, 29)),
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        as_of=date(2026, 1, 1),
    ) == [
        (date(2026, 1, 29), date(2026, 2, 27), date(2026, 2, 28), 1, 216),
        (date(2026, 7, 30), date(2026, 8, 28), date(2026, 8, 29), 1, 222),
    ]


def test_a_schedule_of_your_own_is_read_from_the_table() -> None:
    yearly = ((0, None, 12, True),)  # every year on site, from the first
    assert plan(
        AnnualInspection(schedule=yearly, reminders=(10,)),
        car(0, "C1", date(2024, 5, 31)),
        start=date(2026, 5, 1),
        end=date(2026, 6, 30),
        as_of=date(2026, 5, 1),
    ) == [(date(2026, 5, 21), date(2026, 5, 30), date(2026, 5, 31), 1, 24)]


@pytest.mark.parametrize(
    "schedule",
    [
        (),
        ((0, 4, 24),),
        ((0, 4, 24, True), (5, None, 12, True)),  # a gap between 4 and 5 years
        ((0, None, 12, True), (5, 6, 12, True)),  # an open row before the last
        ((4, 2, 12, True),),
        ((0, 4, 0, True),),
        ((0, 4, 24, "yes"),),
    ],
)
def test_a_broken_schedule_is_named(schedule: object) -> None:
    with pytest.raises(InvalidValue, match="schedule"):
        AnnualInspection(schedule=schedule).plan(  # type: ignore[arg-type]
            inputs(book(car(0, "C1", date(2020, 1, 1))), date(2026, 1, 1))
        )


def test_inspection_step_ages() -> None:
    assert InspectionStep(0, 4, 24, on_site=False).ages() == (24, 48)
    assert InspectionStep(15, None, 6, on_site=True).ages(17) == (186, 192, 198, 204)


# ---------------------------------------------------------------- warranty ending


def test_a_slow_driver_reaches_three_years_first() -> None:
    # Bought 31 May 2023, 10 km a day: 36 months end on 31 May 2026 with ~11,000 km.
    records = [
        car(0, "C1", date(2023, 5, 31)),
        *readings(0, "C1", (date(2023, 6, 10), 100), (date(2023, 7, 10), 400)),
    ]
    assert plan(
        WarrantyEnding(),
        *records,
        start=date(2026, 3, 1),
        end=date(2026, 6, 30),
        as_of=date(2026, 3, 1),
    ) == [
        (date(2026, 4, 1), date(2026, 5, 16), date(2026, 5, 31), 0, 36),
        (date(2026, 5, 17), date(2026, 5, 30), date(2026, 5, 31), 0, 36),
    ]


def test_a_fast_driver_reaches_60000_km_first() -> None:
    # Bought 1 January 2024, 100 km a day (1,000 km from 5 to 15 January): 60,000 km is
    # ceil(58,800 / 100) = 588 days after the 1,200 km reading of 15 January: 25 August 2025.
    records = [
        car(1, "C2", date(2024, 1, 1)),
        *readings(1, "C2", (date(2024, 1, 5), 200), (date(2024, 1, 15), 1200)),
    ]
    rows = plan(
        WarrantyEnding(),
        *records,
        start=date(2025, 6, 1),
        end=date(2025, 8, 31),
        as_of=date(2024, 2, 1),
    )
    assert rows == [
        (date(2025, 6, 26), date(2025, 8, 10), date(2025, 8, 25), 1, 60000),
        (date(2025, 8, 11), date(2025, 8, 24), date(2025, 8, 25), 1, 60000),
    ]
    # By time only, the same car is reminded before 1 January 2027.
    assert plan(
        WarrantyEnding(km=None, reminders=(14,)),
        *records,
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        as_of=date(2024, 2, 1),
    ) == [(date(2026, 12, 18), date(2026, 12, 31), date(2027, 1, 1), 0, 36)]


# ---------------------------------------------------------------- complaint follow-up


def resolved(update_id: str, complaint_id: str, on: date, hour: int = 12) -> list[object]:
    """The complaint acknowledged an hour before it is resolved at ``hour`` on ``on``."""
    return [
        ComplaintUpdated(
            id=f"{update_id}a",
            complaint_id=complaint_id,
            at=beijing(on, hour - 1),
            action="acknowledged",
        ),
        ComplaintUpdated(
            id=update_id, complaint_id=complaint_id, at=beijing(on, hour), action="resolved"
        ),
    ]


def test_a_resolved_complaint_gets_a_call_a_week_later_on_its_beijing_day() -> None:
    records = [
        complaint("Q1", "C1", date(2026, 3, 1)),
        resolved("U1", "Q1", date(2026, 3, 5)),
        complaint("Q2", "C2", date(2026, 3, 1)),
        resolved("U2", "Q2", date(2026, 3, 5), hour=23),  # 23:00 Beijing: still the 5th
    ]
    tasks = ComplaintFollowUp().plan(
        inputs(book(*records), date(2026, 3, 1), date(2026, 3, 31), as_of=date(2026, 3, 31))
    )
    assert sorted(
        zip(
            tasks.customer.tolist(),
            tasks.due.tolist(),
            tasks.window_end.tolist(),
            tasks.anchor.tolist(),
            tasks.source.tolist(),
            strict=True,
        )
    ) == [
        ("C1", date(2026, 3, 12), date(2026, 3, 15), date(2026, 3, 5), "Q1"),
        ("C2", date(2026, 3, 12), date(2026, 3, 15), date(2026, 3, 5), "Q2"),
    ]
    assert "投诉Q1于2026-03-05处理完毕,第7天回访" in tasks.reasons_text("zh").tolist()


def test_a_reopened_or_unresolved_complaint_gets_no_call_and_a_reached_call_closes_it() -> None:
    records = [
        complaint("Q1", "C1", date(2026, 3, 1)),
        resolved("U1", "Q1", date(2026, 3, 5)),
        ComplaintUpdated(
            id="U2", complaint_id="Q1", at=beijing(date(2026, 3, 6)), action="reopened"
        ),
        complaint("Q2", "C2", date(2026, 3, 1)),
        complaint("Q3", "C3", date(2026, 3, 1)),
        resolved("U3", "Q3", date(2026, 3, 2)),
        contact("K1", "C3", date(2026, 3, 10), purpose="follow_up"),
        *everything(),
    ]
    data = book(*records)
    assert (
        ComplaintFollowUp()
        .plan(inputs(data, date(2026, 3, 1), date(2026, 3, 31)))
        .customer.tolist()
        == []
    )
    tasks = ComplaintFollowUp().plan(
        inputs(data, date(2026, 3, 1), date(2026, 3, 31), as_of=date(2026, 3, 31))
    )
    assert tasks.customer.tolist() == ["C3"]
    agenda = Planner(rules=(ComplaintFollowUp(),)).agenda(
        data, start=date(2026, 3, 9), end=date(2026, 3, 9), as_of=date(2026, 3, 31)
    )
    assert agenda.status_counts() == {"closed": 1}


# ---------------------------------------------------------------- win-back


def test_win_back_calls_exactly_the_lost_customers_of_the_win_back_cells_once() -> None:
    data = drawn_tables()  # synthetic.book(300, seed=1) as Tables, shared and converted once
    on = date(2026, 6, 30)
    tasks = WinBack(hand_over=False).plan(inputs(data, on))
    feats = features.compute(data, as_of=on)
    matrix = LoyaltyValueMatrix().fit(feats)
    cells = matrix.assign(feats)
    ids = data.customers["id"]
    wanted = {
        str(cid)
        for cid, code in zip(ids.tolist(), cells.codes.tolist(), strict=True)
        if code >= 0 and cells.names[code] in ("CD", "CG")
    }
    assert len(tasks) == len(set(tasks.customer.tolist())) == len(wanted) > 0
    assert set(tasks.customer.tolist()) == wanted
    assert set(tasks.due.tolist()) == {on}
    assert set(tasks.window_end.tolist()) == {date(2026, 7, 30)}
    fewer = WinBack(matrix=LoyaltyValueMatrix(win_back=("D",)), hand_over=False).plan(
        inputs(data, on)
    )
    assert set(fewer.customer.tolist()) < set(tasks.customer.tolist())
    later = inputs(data, date(2026, 8, 1), as_of=on)
    assert set(WinBack(hand_over=False).plan(later).customer.tolist()) == set()


FIVE = ("C1", "C2", "C3", "C4", "C5")
BOUGHT = date(2024, 1, 10)


def visits(customer: str, serial: int, *days: date, kind: str = "maintenance") -> list[Record]:
    """Orders of 100 CNY (the builder's one line) for car ``serial``, 10 km apart."""
    return [
        order(
            f"{customer}-{kind}-{i}",
            day,
            customer=customer,
            vehicle=VINS[serial],
            km=1000 + 10 * i,
            closed=day,
            kind=kind,
        )
        for i, day in enumerate(days)
    ]


def first(customer: str, serial: int) -> list[Record]:
    """Car ``serial`` of ``customer``, bought 10 January 2024, first maintenance 10 June 2024."""
    return [
        *car(serial, customer, BOUGHT),
        *visits(customer, serial, date(2024, 6, 10), kind="first_maintenance"),
    ]


LOST_AND_VALUED = [
    # C1: returned after the first maintenance, last service 10 June 2025 → due 10 December
    # 2025, lost 6 months past it (10 June 2026). Spend 3 × 100 = 300 CNY.
    *first("C1", 0),
    *visits("C1", 0, date(2024, 12, 10), date(2025, 6, 10)),
    # C2: returned, last service 20 October 2025 → due 20 April 2026: swinging. 200 CNY.
    *first("C2", 1),
    *visits("C2", 1, date(2025, 10, 20)),
    # C3: never returned for service after the first maintenance (accessories are not a
    # return) → lost. 4 × 100 = 400 CNY.
    *first("C3", 2),
    *visits("C3", 2, date(2024, 9, 1), date(2025, 3, 1), date(2025, 9, 1), kind="accessories"),
    # C4: returned 1 March 2026 → due 1 September 2026: loyal. 200 CNY.
    *first("C4", 3),
    *visits("C4", 3, date(2026, 3, 1)),
    # C5: a car, no visit: no loyalty status, outside the matrix.
    *car(4, "C5", BOUGHT),
]


def spend_matrix(lost_after: int = 6) -> LoyaltyValueMatrix:
    """Loyalty by time alone (6 months), value by cumulative spend (A 20 %, B 30 %, C 50 %)."""
    interval = ServiceIntervalStatus(km=None, lost_after=lost_after)
    return LoyaltyValueMatrix(loyalty=LoyaltyStatus(interval=interval), value=ParetoABC())


def test_win_back_calls_the_lost_customers_of_high_value_worked_out_by_hand() -> None:
    # On 30 June 2026. Loyalty: C1 lost (10 June 2026 passed), C2 swinging, C3 lost, C4
    # loyal, C5 none. Spend ranks C3 400, C1 300, C2 200, C4 200 (ties by id), C5 0:
    # C3 first of five (0 before it, < 20 %) → A, column D; C1 (1 of 5 before it, 20 %)
    # and C2 (40 %) → B, column G; C4 and C5 → C, column S. Cells: C1 CG, C2 BG, C3 CD,
    # C4 AS, C5 none. Win back CD and CG: C3 and C1, due 30 June, open 30 days.
    # The hand-over: C2's last service 20 October 2025, due 20 April 2026, touches 20
    # February, 20 March, 20 April, 20 May (open to 19 June): handed over 20 June, open
    # to 20 July, meeting 30 June. C1's was 10 February 2026 (open to 12 March): gone.
    data = book(*LOST_AND_VALUED, customers=FIVE)
    on = date(2026, 6, 30)
    feats = features.compute(data, as_of=on)
    assert feats["spend_fen"].tolist() == [30000, 20000, 40000, 20000, 0]
    tasks = WinBack(matrix=spend_matrix()).plan(inputs(data, on))
    rows = tasks.canonical_order()
    got = list(
        zip(
            tasks.customer[rows].tolist(),
            tasks.vehicle[rows].tolist(),
            tasks.due[rows].tolist(),
            tasks.window_end[rows].tolist(),
            tasks.reason[rows].tolist(),
            strict=True,
        )
    )
    assert sorted(got) == [
        ("C1", "", on, date(2026, 7, 30), 0),
        ("C2", VINS[1], date(2026, 6, 20), date(2026, 7, 20), 1),
        ("C3", "", on, date(2026, 7, 30), 0),
    ]
    handed = int(np.flatnonzero(tasks.reason == 1)[0])
    assert (tasks.target[handed], tasks.anchor[handed], tasks.detail[handed]) == (
        np.datetime64("2026-04-20"),
        np.datetime64("2025-10-20"),
        6,
    )
    assert tasks.reasons_text("en")[handed] == (
        "no service after the maintenance reminders: due 2026-04-20, 6 months after the last"
        " service on 2025-10-20"
    )
    # Without the hand-over, the matrix's two alone; the default value part (member
    # value) puts C1 and C3 in the silver column: nobody to win back.
    alone = WinBack(matrix=spend_matrix(), hand_over=False).plan(inputs(data, on))
    assert sorted(alone.customer.tolist()) == ["C1", "C3"]
    assert len(WinBack(hand_over=False).plan(inputs(data, on))) == 0


BY_TIME = MaintenanceDue(km=None)


@pytest.mark.parametrize(
    ("maintenance", "serviced", "due", "handed", "limb", "detail"),
    [
        # 31 August + 6 months: 28 February; touches 31 Dec, 31 Jan, 28 Feb, 31 Mar, the
        # last open to 29 April; handed over at 8 months, 30 April.
        (BY_TIME, date(2025, 8, 31), date(2026, 2, 28), date(2026, 4, 30), 1, 6),
        # 30 June + 6 months: 30 December; + 8 months: 28 February (30 February clamps).
        (BY_TIME, date(2025, 6, 30), date(2025, 12, 30), date(2026, 2, 28), 1, 6),
        # 29 June 2023 + 8 months: 29 February 2024, a leap year.
        (BY_TIME, date(2023, 6, 29), date(2023, 12, 29), date(2024, 2, 29), 1, 6),
        # By mileage: one reading, so the mileage model's default 15,000 km a year (41.1 km
        # a day): 5,000 km in 122 days, 31 December; touches 31 Oct, 30 Nov, 31 Dec, 31 Jan;
        # handed over 2 months after the due day, 28 February.
        (MaintenanceDue(), date(2025, 8, 31), date(2025, 12, 31), date(2026, 2, 28), 2, 5000),
    ],
)
def test_maintenance_hands_over_the_day_after_its_last_touch_counted_from_the_anchor(
    maintenance: MaintenanceDue, serviced: date, due: date, handed: date, limb: int, detail: int
) -> None:
    data = book(car(0, "C1", date(2023, 1, 10)), *visits("C1", 0, serviced))
    day_before = date.fromordinal(handed.toordinal() - 1)
    touches = maintenance.plan(inputs(data, day_before, as_of=serviced))
    assert touches.window_end.tolist() == [day_before]  # the last touch ends the day before
    rule = WinBack(matrix=spend_matrix(), maintenance=maintenance)
    tasks = rule.plan(inputs(data, handed, as_of=serviced))
    assert list(
        zip(
            tasks.customer.tolist(),
            tasks.vehicle.tolist(),
            tasks.due.tolist(),
            tasks.window_end.tolist(),
            tasks.target.tolist(),
            tasks.reason.tolist(),
            tasks.detail.tolist(),
            strict=True,
        )
    ) == [("C1", VINS[0], handed, date.fromordinal(handed.toordinal() + 30), due, limb, detail)]
    assert len(rule.plan(inputs(data, day_before, as_of=serviced))) == 0


def test_a_service_moves_the_hand_over_and_a_visit_in_its_window_closes_it() -> None:
    # Serviced 31 August 2025: handed over 30 April 2026. Serviced again 15 March 2026:
    # due 15 September, handed over 15 November 2026; nothing on 30 April.
    lapsed = [car(0, "C1", date(2023, 1, 10)), *visits("C1", 0, date(2025, 8, 31))]
    again = [*lapsed, order("S2", date(2026, 3, 15), km=1500, closed=date(2026, 3, 15))]
    rule = WinBack(matrix=spend_matrix(), maintenance=BY_TIME)
    on = date(2026, 4, 30)
    assert len(rule.plan(inputs(book(*again), on))) == 0
    later = rule.plan(inputs(book(*again), date(2026, 11, 15), as_of=on))
    assert later.due.tolist() == [date(2026, 11, 15)]
    # An accessory fitting on 5 May (not a service) closes the hand-over's call.
    fitted = [*lapsed, *everything(), *readings(0, "C1", (date(2026, 5, 5), 1200))]
    agenda = Planner(rules=(rule,)).agenda(book(*fitted), on=on, as_of=date(2026, 5, 6))
    assert agenda.status_counts() == {"closed": 1}


def test_a_customer_lost_and_handed_over_is_called_once_for_both_reasons() -> None:
    # Lost 2 months past due: C1 (due 10 December 2025) lost from 10 February 2026, the
    # day maintenance hands the car over (the last touch, 10 January, open to 9
    # February). On 20 February C1 has two win-back tasks (the matrix's, due 20
    # February; the hand-over's, due 10 February, open to 12 March) and one call; C3 is
    # lost too (its own call); C2 (due 20 April) is loyal.
    data = book(*LOST_AND_VALUED, *everything(FIVE), customers=FIVE)
    on = date(2026, 2, 20)
    agenda = Planner(rules=(WinBack(matrix=spend_matrix(lost_after=2)),)).agenda(data, on=on)
    tasks = agenda.tasks
    assert sorted(zip(tasks.customer.tolist(), tasks.due.tolist(), strict=True)) == [
        ("C1", date(2026, 2, 10)),
        ("C1", on),
        ("C3", on),
    ]
    assert agenda.status_counts() == {"open": 3}
    assert agenda.calls() == 2
    c1 = tasks.customer == "C1"
    assert len(set(agenda.call[c1].tolist())) == 1
    assert sorted(tasks.reason[c1].tolist()) == [0, 1]


def test_win_back_names_a_broken_matrix() -> None:
    with pytest.raises(InvalidValue, match="matrix"):
        WinBack(matrix="CD").plan(inputs(synthetic.book(5, seed=1), date(2026, 6, 30)))  # type: ignore[arg-type]


def test_the_default_planner_runs_every_built_in_rule_and_a_rule_listed_twice_adds_nothing() -> (
    None
):
    data = synthetic.book(200, seed=3)
    agenda = Planner().agenda(data, on=date(2026, 7, 1), as_of=date(2026, 6, 30))
    kinds = set(agenda.counts())
    assert {"insurance_renewal", "annual_inspection", "win_back", "maintenance_due"} <= kinds
    assert {type(rule).__name__ for rule in Planner.RULES} >= {"WinBack", "FestivalGreetings"}
    twice = Planner(rules=(*Planner.RULES, WinBack(), InsuranceRenewal())).agenda(
        data, on=date(2026, 7, 1), as_of=date(2026, 6, 30)
    )
    assert twice.counts() == agenda.counts()
    assert np.all(agenda.tasks.priority >= 20)  # the festivals' 20 is the lowest


class SurveyCall(BasePolicy):
    """A care rule of the tests: a survey call to C1 on 12 March 2026."""

    kind = "care_rule"

    def plan(self, inputs: CareInputs) -> CareTasks:
        tasks = CareTasks.build(
            TaskKind("survey_call", "survey", "调查", purpose="survey"),
            Reason("survey", "调查"),
            customer=["C1"],
            due=["2026-03-12"],
            source=["S1"],
        )
        return tasks.take(np.flatnonzero(inputs.meets(tasks.window_start, tasks.window_end)))


def test_the_call_after_a_resolution_is_not_cooled_off_by_its_own_complaint() -> None:
    records = [
        complaint("Q1", "C1", date(2026, 3, 1)),
        resolved("U1", "Q1", date(2026, 3, 5)),
        *everything(),
    ]
    agenda = Planner(rules=(ComplaintFollowUp(),)).agenda(book(*records), on=date(2026, 3, 12))
    assert agenda.status_counts() == {"open": 1}
    # A survey task of the same customer in the same days is still cooled off.
    survey = Planner(rules=(ComplaintFollowUp(), SurveyCall())).agenda(
        book(*records), on=date(2026, 3, 12)
    )
    assert sorted(survey.counts().items()) == [
        ("complaint_follow_up", {"open": 1}),
        ("survey_call", {"blocked": 1}),
    ]
