"""The agenda computes only the customer features the win-back matrix reads, same tasks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from aftersales_crm.care import READS_FEATURES, CareInputs, MaintenanceDue, Planner, WinBack
from aftersales_crm.care._planner import _features_first
from aftersales_crm.dask._fits import IDS, WHOLE, reading
from aftersales_crm.loyalty import LoyaltyValueMatrix

from .build import drawn_book, drawn_tables

DAY = date(2026, 6, 30)


def _inputs() -> CareInputs:
    return CareInputs.of(drawn_tables(), start=DAY, end=date(2026, 7, 29))


def test_the_matrix_columns_hold_every_column_the_default_matrix_reads() -> None:
    read: set[str] = set()
    matrix = LoyaltyValueMatrix().fit(reading(_inputs().features, read))
    matrix.assign(reading(_inputs().features, read))
    # The whole table is read for its vehicles and to check vehicles_owned is there.
    assert read - {WHOLE, IDS} == WinBack.MATRIX_COLUMNS


def test_win_back_on_the_matrix_columns_gives_the_tasks_of_the_whole_features() -> None:
    some = _inputs()
    whole = _inputs()
    _ = whole.features  # computed first: the rule reads them whole
    assert WinBack().plan(some) == WinBack().plan(whole)
    assert "features" not in some.__dict__
    assert set(some.features_with(WinBack.MATRIX_COLUMNS)) == WinBack.MATRIX_COLUMNS


def test_the_agenda_is_the_same_with_the_matrix_given() -> None:
    rules = Planner.RULES
    given = tuple(
        WinBack(matrix=LoyaltyValueMatrix()) if isinstance(rule, WinBack) else rule
        for rule in rules
    )
    assert any(isinstance(rule, WinBack) for rule in rules)
    end = date(2026, 7, 29)
    assert Planner().agenda(drawn_book(), start=DAY, end=end) == Planner(rules=given).agenda(
        drawn_book(), start=DAY, end=end
    )


@pytest.mark.parametrize(
    ("rules", "whole", "some"),
    [
        ((WinBack(), MaintenanceDue()), False, True),
        ((WinBack(), WinBack(matrix=LoyaltyValueMatrix())), True, False),
        ((MaintenanceDue(),), False, False),
    ],
)
def test_the_planner_computes_the_features_the_rules_name_first(
    rules: tuple[WinBack | MaintenanceDue, ...], whole: bool, some: bool
) -> None:
    inputs = _inputs()
    _features_first(rules, inputs)
    assert ("features" in inputs.__dict__, "_some_features" in inputs.__dict__) == (whole, some)


def test_a_truthy_hint_of_a_users_rule_reads_every_column() -> None:
    class Hinting(MaintenanceDue):
        reads_features = 1

    inputs = _inputs()
    assert getattr(Hinting(), READS_FEATURES)
    _features_first((WinBack(), Hinting()), inputs)
    assert "features" in inputs.__dict__


def test_features_with_adds_columns_and_shares_the_vehicles() -> None:
    inputs = _inputs()
    first = inputs.features_with(frozenset({"visits"}))
    assert inputs.features_with(frozenset({"visits"})) is first
    both = inputs.features_with(frozenset({"spend_fen"}))
    assert set(both) == {"visits", "spend_fen"}
    assert inputs.vehicles is both.vehicles
    assert inputs.features_with(None) is inputs.features
    assert inputs.features_with(frozenset({"visits"})) is inputs.features
    later = inputs.with_days(date(2026, 8, 1), date(2026, 8, 2))
    assert later.features is inputs.features


def test_meets_and_known_leave_missing_days_out() -> None:
    # The filters compare days without testing for NaT first: NaT compares False.
    inputs = CareInputs.of(drawn_book(), start=date(2026, 7, 1), end=date(2026, 7, 3))
    start = np.array(["NaT", "2026-07-02", "2026-07-02", "NaT", "2026-06-01"], dtype="M8[D]")
    end = np.array(["2026-07-02", "NaT", "2026-07-05", "NaT", "2026-06-30"], dtype="M8[D]")
    assert inputs.meets(start, end).tolist() == [False, False, True, False, False]
    days = inputs.table_days("orders", "closed_at")
    expected = ~np.isnat(days) & (days <= np.datetime64(inputs.as_of, "D"))
    assert inputs.known("orders", "closed_at").tolist() == expected.tolist()
