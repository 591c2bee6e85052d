"""crosstab: customers and exact value sums per cell of any dimensions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest

from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import Labels
from aftersales_crm.segmentation import Crosstab, ParetoABC, RegionRing, crosstab

AS_OF = date(2026, 6, 30)


def customers(**columns: Any) -> FeatureTable:
    return FeatureTable.from_columns(columns, as_of=AS_OF)


def labelled(codes: list[int], names: tuple[str, ...]) -> Labels:
    untyped: Any = names
    return Labels(np.array(codes), untyped)


def table() -> FeatureTable:
    return customers(
        distance_km=np.array([1.0, 2.0, 7.0, 12.0, np.nan, 3.0]),
        spend_fen=np.array([100, 200, 300, 400, 500, 600], dtype=np.int64),
        score=np.array([1.5, np.nan, 2.0, 0.5, 1.0, 1.0]),
    )


def test_counts_and_value_sums_per_cell() -> None:
    kind = labelled([0, 1, 0, 1, 0, -1], ("new", "old"))
    result = crosstab(table(), RegionRing(), kind)
    assert result.dimensions == ("region_ring", "labels_1")
    assert result.names == (("within 5 km", "5–10 km", "beyond 10 km"), ("new", "old"))
    assert result.names_zh == (("5公里以内", "5–10公里", "10公里以外"), None)
    # C0 within/new, C1 within/old, C2 5-10/new, C3 beyond/old; C4 no ring, C5 no kind.
    assert result.counts.tolist() == [[1, 1], [1, 0], [0, 1]]
    assert result.values.tolist() == [[100, 200], [300, 0], [0, 400]]
    assert result.values.dtype == np.int64
    assert (result.unplaced, result.unplaced_value) == (2, 1100)
    assert result.customer_shares.tolist() == [[0.25, 0.25], [0.25, 0.0], [0.0, 0.25]]
    assert result.value_shares.tolist() == [[0.1, 0.2], [0.3, 0.0], [0.0, 0.4]]
    assert result.cell("5–10 km", "new") == (1, 300)


def test_money_sums_are_exact_beyond_float_precision() -> None:
    big = 2**53 + 1  # not a float
    rich = customers(distance_km=np.array([1.0, 1.0]), spend_fen=np.array([big, big]))
    result = crosstab(rich, RegionRing())
    assert int(result.values[0]) == 2 * big


def test_float_values_sum_without_their_missing_values() -> None:
    result = crosstab(table(), RegionRing(), value="score")
    assert result.values.dtype == np.float64
    assert result.values.tolist() == [2.5, 2.0, 0.5]  # C1's NaN counts as 0
    assert result.unplaced_value == 1.0


def test_an_unfitted_population_relative_policy_is_fitted_on_the_table() -> None:
    result = crosstab(table(), ParetoABC())
    assert result.counts.tolist() == [2, 1, 3]  # six customers: ceil(1.2) = 2 A, ceil(3) = 3
    fitted = ParetoABC().fit(table().take(np.array([0, 1, 2], dtype=np.intp)))
    assert crosstab(table(), fitted).counts.tolist() == [4, 1, 1]  # its own cutoffs are kept


def test_the_same_dimension_twice_gets_distinct_names() -> None:
    result = crosstab(table(), RegionRing(), RegionRing())
    assert result.dimensions == ("region_ring", "region_ring#2")
    assert int(np.trace(result.counts)) == 5


def test_no_customer_in_any_cell() -> None:
    empty = table().take(np.array([], dtype=np.intp))
    result = crosstab(empty, RegionRing())
    assert result.counts.tolist() == [0, 0, 0]
    assert np.isnan(result.customer_shares).all()
    assert np.isnan(result.value_shares).all()
    assert (result.unplaced, result.unplaced_value) == (0, 0)


def test_crosstab_refuses_no_dimension_and_labels_of_another_length() -> None:
    with pytest.raises(InvalidValue, match="at least one dimension"):
        crosstab(table())
    with pytest.raises(InvalidValue, match="dimension 0 has 2 labels for 6 rows"):
        crosstab(table(), labelled([0, 0], ("x",)))
    with pytest.raises(InvalidValue, match="crosstab: value='first'"):
        crosstab(
            customers(first=np.array(["2026-01-01"], dtype="datetime64[D]")),
            labelled([0], ("x",)),
            value="first",
        )


def test_a_cell_is_found_by_one_label_per_dimension() -> None:
    result = crosstab(table(), RegionRing())
    with pytest.raises(KeyError):
        result.cell("nowhere")
    with pytest.raises(KeyError):
        result.cell("within 5 km", "new")


def test_one_row_per_cell_in_pandas_indexed_by_the_ordered_cells() -> None:
    pytest.importorskip("pandas")
    kind = labelled([0, 1, 0, 1, 0, 1], ("old", "new"))
    frame = crosstab(table(), RegionRing(), kind).to_pandas()
    assert list(frame.index.names) == ["region_ring", "labels_1"]
    assert list(frame.columns) == ["customers", "spend_fen", "customer_share", "value_share"]
    assert len(frame) == 6
    assert (frame.iloc[0]["customers"], frame.iloc[0]["spend_fen"]) == (1, 100)
    assert frame.index[0] == ("within 5 km", "old")
    # The labels' own order, not the alphabet: "old" before "new", the nearest ring first.
    table_ = frame["customers"].unstack()
    assert table_.columns.tolist() == ["old", "new"]
    assert table_.index.tolist() == ["within 5 km", "5–10 km", "beyond 10 km"]
    assert frame.index.levels[0].ordered
    assert frame.index.levels[1].ordered


def test_the_crosstab_in_pandas_has_chinese_labels_and_yuan_on_request() -> None:
    pytest.importorskip("pandas")
    frame = crosstab(table(), RegionRing()).to_pandas("zh", money="major")
    assert frame.index.tolist() == ["5公里以内", "5–10公里", "10公里以外"]
    assert frame.loc["5公里以内", "spend"] == Decimal("9.00")  # 100 + 200 + 600 fen
    assert str(frame.loc["5公里以内", "spend"]) == "9.00"


def test_dimensions_are_named_by_the_labels_name_and_repeats_are_numbered() -> None:
    named = attrs.evolve(labelled([0, 1, 0, 1, 0, 1], ("x", "y")), name="kind")
    result = crosstab(table(), RegionRing(), RegionRing(), named)
    assert result.dimensions == ("region_ring", "region_ring#2", "kind")


def test_a_plain_class_dimension_is_named_by_its_class_in_snake_case() -> None:
    class TwoBins:
        kind = "dimension"

        def assign(self, features: FeatureTable) -> Labels:
            return labelled([0, 1] * 3, ("low", "high"))

    result = crosstab(table(), TwoBins())  # type: ignore[arg-type]
    assert result.dimensions == ("two_bins",)


def test_a_crosstab_can_be_built_directly() -> None:
    result = Crosstab(
        dimensions=("d",), names=(("x",),), names_zh=(None,), value="v",
        counts=np.array([1]), values=np.array([2.5]), unplaced=0, unplaced_value=0,
    )  # fmt: skip
    assert result.cell("x") == (1, 2.5)
