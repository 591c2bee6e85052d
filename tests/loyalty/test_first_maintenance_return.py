"""FirstMaintenanceReturn: the material's loyalty category."""

from __future__ import annotations

from datetime import date

import numpy as np

from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty import FirstMaintenanceReturn

AS_OF = date(2026, 6, 30)


def test_loyal_means_back_after_the_first_maintenance() -> None:
    table = FeatureTable(
        "customer_id",
        np.array(["C0", "C1", "C2"]),
        {
            "first_maintenance": np.array(
                ["2025-01-01", "2025-02-01", "NaT"], dtype="datetime64[D]"
            ),
            "returned_after_first_maintenance": np.array([True, False, False]),
        },
        AS_OF,
        "CNY",
    )
    labels = FirstMaintenanceReturn().assign(table)
    assert list(labels.values()) == ["loyal", "not_loyal", None]  # C2 had no first maintenance
    assert list(labels.values("zh")) == ["忠诚", "非忠诚", None]


def test_an_empty_table_has_no_labels() -> None:
    table = FeatureTable(
        "customer_id",
        np.array([], dtype=str),
        {
            "first_maintenance": np.array([], dtype="datetime64[D]"),
            "returned_after_first_maintenance": np.array([], dtype=bool),
        },
        AS_OF,
        "CNY",
    )
    assert len(FirstMaintenanceReturn().assign(table)) == 0
