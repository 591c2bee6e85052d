"""Recovery after complaints: who came back, by outcome, on tables built by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from aftersales_crm.complaints import (
    REFERENCE,
    REFERENCE_QUOTE,
    RecoveryOutcome,
    recovery,
    wilson_interval,
)
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.tables import Tables

AS_OF = datetime(2026, 6, 30, tzinfo=UTC)


def day(month: int, d: int, hour: int = 9) -> datetime:
    return datetime(2026, month, d, hour, tzinfo=UTC)


def _tables() -> Tables:
    # complaint: customer, filed, [(action, at)]
    complaints = {
        "Q1": ("C1", day(1, 1), [("acknowledged", day(1, 1, 10)), ("resolved", day(1, 2))]),
        "Q2": ("C2", day(1, 1), [("acknowledged", day(1, 1, 10)), ("resolved", day(1, 5))]),
        "Q3": ("C3", day(2, 1), [("acknowledged", day(2, 1, 10))]),
        "Q4": ("C3", day(6, 20), []),  # its window ends after as_of
        "Q5": ("C4", day(3, 1), [("acknowledged", day(3, 1, 10)), ("resolved", day(4, 15))]),
        "Q6": ("C6", day(2, 5), [("acknowledged", day(2, 5, 10)), ("resolved", day(2, 5, 19))]),
    }
    orders = {  # customer, opened
        "RO1": ("C1", day(1, 20)),  # back 19 days after Q1
        "RO2": ("C2", day(1, 1)),  # opened at the very instant of Q2: not coming back
        "RO3": ("C3", day(3, 15)),  # 42 days after Q3: outside the 30-day window
        "RO4": ("C4", day(3, 10)),  # back 9 days after Q5, before it was resolved
        "RO5": ("C5", day(2, 10)),  # back 9 days after the grievance K1
    }
    contacts = {  # customer, at, outcome
        "K1": ("C5", day(2, 1), "unspoken_grievance"),
        "K2": ("C6", day(2, 1), "unspoken_grievance"),  # complained four days later (Q6)
        "K3": ("C5", day(6, 25), "unspoken_grievance"),  # its window ends after as_of
        "K4": ("C2", day(2, 1), "reached"),  # no problem told
    }
    updates = [
        (f"{q}-{i}", q, action, at)
        for q, (_, _, steps) in complaints.items()
        for i, (action, at) in enumerate(steps)
    ]
    return Tables.from_arrays(
        dealers={"id": ["D1"], "name": ["North"]},
        customers={"id": [f"C{i}" for i in range(1, 7)], "name": ["王明"] * 6},
        orders={
            "id": list(orders),
            "dealer_id": ["D1"] * len(orders),
            "customer_id": [c for c, _ in orders.values()],
            "opened_at": [at for _, at in orders.values()],
        },
        lines={
            "order_id": list(orders),
            "kind": ["maintenance"] * len(orders),
            "pay": ["customer"] * len(orders),
            "labour": [100] * len(orders),
            "parts": [0] * len(orders),
        },
        complaints={
            "id": list(complaints),
            "customer_id": [c for c, _, _ in complaints.values()],
            "at": [at for _, at, _ in complaints.values()],
            "category": ["repair_quality"] * len(complaints),
            "severity": ["medium"] * len(complaints),
            "channel": ["phone"] * len(complaints),
        },
        complaint_updates={
            "id": [u[0] for u in updates],
            "complaint_id": [u[1] for u in updates],
            "action": [u[2] for u in updates],
            "at": [u[3] for u in updates],
        },
        contacts={
            "id": list(contacts),
            "customer_id": [c for c, _, _ in contacts.values()],
            "channel": ["phone"] * len(contacts),
            "purpose": ["follow_up_3d"] * len(contacts),
            "outcome": [o for _, _, o in contacts.values()],
            "at": [at for _, at, _ in contacts.values()],
        },
    )


TABLES = _tables()


def test_the_shares_counted_by_hand() -> None:
    table = recovery(TABLES, as_of=AS_OF, window_days=30, quick_hours=48)
    assert table.outcomes == tuple(RecoveryOutcome)
    # not complained: K1 (back); K2 complained after all (Q6), K3's window is not over.
    # unresolved: Q3 (not back in 30 days), Q5 (back, resolved only after its window).
    # resolved: Q2 (96 h; the order at the filing instant does not count).
    # resolved quickly: Q1 (24 h, back), Q6 (9 h, not back). Q4's window is not over.
    assert table.n.tolist() == [1, 2, 1, 2]
    assert table.returned.tolist() == [1, 1, 0, 1]
    assert table.share.tolist() == [1.0, 0.5, 0.0, 0.5]
    # Wilson, 95%, 1 of 2: 0.5 ± 1.96/(1 + 1.96²/2) · sqrt(0.25/2 + 1.96²/16)
    assert table.low[1] == pytest.approx(0.0945, abs=1e-4)
    assert table.high[1] == pytest.approx(0.9055, abs=1e-4)
    assert table.reference.tolist() == [0.09, 0.19, 0.54, 0.82]


def test_a_longer_window_and_a_shorter_quick_change_the_outcomes_as_their_rules_say() -> None:
    table = recovery(TABLES, as_of=AS_OF, window_days=60, quick_hours=12)
    # 60 days: Q5 is resolved (45 days) within its window, Q3's customer is back (42 days);
    # quick within 12 h: only Q6, so Q1 (24 h) is resolved beside Q2 and Q5.
    assert table.n.tolist() == [1, 1, 3, 1]
    assert table.returned.tolist() == [1, 1, 2, 0]


def test_only_windows_that_ended_by_as_of_count() -> None:
    table = recovery(TABLES, as_of=day(2, 10), window_days=30)
    # Only Q1 and Q2 (filed 1 January) have had 30 days by 10 February 09:00.
    assert table.n.tolist() == [0, 0, 1, 1]
    assert np.isnan(table.share[0])
    assert np.isnan(table.low[0])


def test_the_report_prints_the_shares_beside_the_material() -> None:
    text = recovery(TABLES, as_of=AS_OF, window_days=30).report()
    lines = text.splitlines()
    assert lines[0].split() == ["outcome", "n", "returned", "share", "95%", "CI", "material"]
    assert lines[1].split()[-5:] == ["1", "1", "100%", "21%–100%", "9%"]
    assert lines[-1] == str(REFERENCE_QUOTE)
    zh = recovery(TABLES, as_of=AS_OF, window_days=30).report("zh")
    assert zh.splitlines()[4].startswith("抱怨很快解决")


def test_the_reference_is_the_materials_passage() -> None:
    assert REFERENCE_QUOTE.text == (
        "不去抱怨 9%再回来 抱怨没有解决 19%再回来 抱怨有解决 54%再回来 抱怨很快解决 82%再回来"
    )
    for outcome, share in REFERENCE.items():
        assert f"{outcome.label('zh')} {round(share * 100)}%再回来" in REFERENCE_QUOTE.text


def test_the_table_as_a_data_frame() -> None:
    frame = recovery(TABLES, as_of=AS_OF, window_days=30).to_pandas()
    assert frame.index.tolist() == [o.value for o in RecoveryOutcome]
    assert frame.loc["unresolved", "n"] == 2
    assert frame.loc["not_complained", "reference"] == 0.09


def test_wilson_intervals_by_hand_and_bad_levels() -> None:
    low, high = wilson_interval(np.array([0, 10]), np.array([10, 10]), confidence=0.95)
    # 0 of 10: [0, z²/(n + z²)] = [0, 3.8415 / 13.8415]
    assert low[0] == pytest.approx(0.0, abs=1e-12)
    assert high[0] == pytest.approx(3.841459 / 13.841459, abs=1e-6)
    assert high[1] == pytest.approx(1.0)
    assert low[1] == pytest.approx(1 - high[0], abs=1e-6)
    with pytest.raises(InvalidValue, match="confidence"):
        wilson_interval(np.array([1]), np.array([2]), confidence=1.0)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(InvalidType, match="expected Tables"):
        recovery({}, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="window_days"):
        recovery(TABLES, as_of=AS_OF, window_days=0)
    with pytest.raises(InvalidValue, match="as_of"):
        recovery(TABLES, as_of=datetime(2026, 6, 30))  # noqa: DTZ001 - naive on purpose
    assert recovery(TABLES, as_of=AS_OF + timedelta(days=1)).as_of == AS_OF + timedelta(days=1)
