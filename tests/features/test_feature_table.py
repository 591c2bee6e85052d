"""FeatureTable built by hand, extended with your own columns, read by name and by owner."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.errors import InvalidValue, UnknownFeatureError
from aftersales_crm.features import FeatureTable
from aftersales_crm.values import CompassSector

AS_OF = date(2026, 6, 30)


def fleet() -> FeatureTable:
    """C0 owns V0 (7 years) and V1 and V2 (2 years each); C1 owns V3; C2 owns nothing."""
    vehicles = FeatureTable.from_columns(
        {
            "owner": [0, 0, 0, 1, -1],
            "age_years": [7.0, 2.0, 2.0, np.nan, 0.0],
            "status": np.array([2, 1, 0, 1, 0], dtype=np.int16),
        },
        ids=["VB", "VC", "VA", "VD", "VE"],
        key="vin",
        as_of=AS_OF,
    )
    return FeatureTable.from_columns({"vehicles_owned": [3, 1, 0]}, as_of=AS_OF, vehicles=vehicles)


def test_from_columns_numbers_the_rows_when_no_ids_are_given() -> None:
    feats = FeatureTable.from_columns({"spend_fen": [5, 7]}, as_of="2026-06-30")
    assert feats.ids.tolist() == ["C0", "C1"]
    assert feats.key == "customer_id"
    assert feats.as_of == AS_OF
    assert feats.currency == "CNY"
    assert feats.vehicles is None
    vins = FeatureTable.from_columns({"km": [1.0]}, key="vin", as_of=AS_OF)
    assert vins.ids.tolist() == ["V0"]


def test_from_columns_keeps_ids_categories_and_makes_read_only_copies() -> None:
    sector = np.array([0, 2], dtype=np.int8)
    feats = FeatureTable.from_columns(
        {"sector": sector},
        ids=["A", "B"],
        as_of=AS_OF,
        currency="USD",
        categories={"sector": CompassSector},
    )
    sector[0] = 5
    assert feats["sector"].tolist() == [0, 2]
    assert not feats["sector"].flags.writeable
    assert feats.currency == "USD"
    assert feats.to_pandas()["sector"].tolist() == ["north", "east"]


@pytest.mark.parametrize(
    ("columns", "ids", "why"),
    [
        ({"a": [1, 2], "b": [1]}, None, "column 'b' has 1 values, expected 2"),  # ragged
        ({"a": [[1, 2]]}, None, r"column 'a' has shape \(1, 2\), expected one dimension"),
        ({"a": [1, 2]}, ["X"], "column 'a' has 2 values, expected 1"),  # ids too short
        ({"a": [1, 2]}, ["X", "X"], "ids repeat"),  # one id twice
        ({"": [1]}, None, "column name '' is not a non-empty text"),  # no name
        ([1, 2], None, r"columns is \[1, 2\] \(list\)"),  # not a mapping
    ],
)
def test_from_columns_refuses_what_is_not_a_table(
    columns: object, ids: list[str] | None, why: str
) -> None:
    with pytest.raises(InvalidValue, match=why):
        FeatureTable.from_columns(columns, ids=ids, as_of=AS_OF)  # type: ignore[arg-type]


def test_from_columns_refuses_a_category_of_no_column() -> None:
    with pytest.raises(InvalidValue, match=r"categories\['sector'\] must name a column"):
        FeatureTable.from_columns({"a": [1]}, as_of=AS_OF, categories={"sector": CompassSector})


def test_with_columns_adds_and_replaces_without_changing_the_receiver() -> None:
    feats = FeatureTable.from_columns(
        {"sector": [0, 2], "spend_fen": [100, 300]},
        as_of=AS_OF,
        categories={"sector": CompassSector},
    )
    more = feats.with_columns({"spend_fen": [1, 2]}, big=[False, True])
    assert list(more) == ["sector", "spend_fen", "big"]
    assert more["spend_fen"].tolist() == [1, 2]
    assert list(feats) == ["sector", "spend_fen"]
    assert feats["spend_fen"].tolist() == [100, 300]
    assert dict(more.categories) == {"sector": CompassSector}
    recoded = feats.with_columns(sector=[1, 1])
    assert dict(recoded.categories) == {}  # replaced codes no longer mean compass sectors
    with pytest.raises(InvalidValue, match="column 'x' has 3 values, expected 2"):
        feats.with_columns(x=[1, 2, 3])


def test_computed_features_take_a_column_of_your_own() -> None:
    feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=AS_OF)
    regular = feats["visits_window"] >= 3
    tagged = feats.with_columns(regular=regular)
    assert tagged.row(feats.ids[0])["regular"] == bool(regular[0])
    assert tagged.vehicles is feats.vehicles


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("spend", "did you mean 'spend_fen'"),  # a close name
        ("SPEND_FEN", "did you mean 'spend_fen'"),  # wrong case
        ("wealth", "the columns are "),  # nothing close: the list
    ],
)
def test_an_unknown_column_is_a_key_error_that_suggests_names(name: str, hint: str) -> None:
    feats = features.compute(synthetic.columns(5, seed=1).tables(), as_of=AS_OF)
    with pytest.raises(UnknownFeatureError, match=f"no feature column '{name}'; {hint}") as raised:
        feats[name]
    assert isinstance(raised.value, KeyError)
    assert isinstance(raised.value, InvalidValue)
    assert raised.value.code == "unknown_feature"


def test_an_unknown_row_suggests_close_ids() -> None:
    feats = FeatureTable.from_columns({"a": [1, 2]}, ids=["C0000007", "C0000100"], as_of=AS_OF)
    with pytest.raises(
        UnknownFeatureError, match="no customer_id row 'C000007'; did you mean 'C0000007'"
    ) as raised:
        feats.row("C000007")
    assert raised.value.code == "unknown_row"
    assert isinstance(raised.value, KeyError)
    with pytest.raises(KeyError, match="the table has 2 rows"):
        feats.row("NOPE")


def test_vehicle_owners_are_rows_of_the_customers() -> None:
    assert fleet().vehicle_owners().tolist() == [0, 0, 0, 1, -1]


def test_the_newest_vehicle_is_the_youngest_and_ties_go_to_the_smallest_vin() -> None:
    table = fleet()
    # C0: VC and VA are both 2 years old, VA is the smaller VIN (row 2); C1's only vehicle
    # has no age but is still its newest; C2 owns none.
    assert table.newest_vehicles().tolist() == [2, 3, -1]
    assert table.newest_vehicle("status").tolist() == [0, 1, -1]
    assert table.newest_vehicle("age_years")[:1].tolist() == [2.0]
    assert np.isnan(table.newest_vehicle("age_years")[1:]).all()


def test_per_owner_rolls_vehicle_values_up_to_their_owners() -> None:
    table = fleet()
    assert table.per_owner("status", "min").tolist() == [0, 1, -1]
    assert table.per_owner("status", "max").tolist() == [2, 1, -1]
    rated = table.vehicles["status"] > 0  # type: ignore[index]
    assert table.per_owner("status", "min", where=rated).tolist() == [1, 1, -1]
    assert table.per_owner(np.arange(5.0), "max", missing=-9.0).tolist() == [2.0, 3.0, -9.0]
    with pytest.raises(InvalidValue, match="how is 'mean'"):
        table.per_owner("status", "mean")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="column 'values' has 2 values, expected 5"):
        table.per_owner([1, 2], "min")


def test_roll_ups_need_vehicle_features_whose_owners_match() -> None:
    bare = FeatureTable.from_columns({"vehicles_owned": [1]}, as_of=AS_OF)
    with pytest.raises(InvalidValue, match="has no vehicle features") as raised:
        bare.newest_vehicles()
    assert raised.value.code == "missing_feature"
    wrong = FeatureTable.from_columns(
        {"vehicles_owned": [0, 3, 0]}, as_of=AS_OF, vehicles=fleet().vehicles
    )
    with pytest.raises(InvalidValue, match="owner rows do not match") as raised:
        wrong.per_owner("status", "min")
    assert raised.value.code == "vehicles_not_aligned"


@pytest.mark.parametrize(
    ("arguments", "why"),
    [
        ({"key": ""}, "key is '', expected a non-empty text"),  # no id column name
        ({"currency": 156}, "currency is 156, expected a non-empty text"),  # a numeric code
        ({"vehicles": {"owner": [0]}}, r"vehicles is \{'owner': \[0\]\}, expected a FeatureTable"),
    ],
)
def test_from_columns_names_a_wrong_argument(arguments: dict[str, object], why: str) -> None:
    with pytest.raises(InvalidValue, match=why):
        FeatureTable.from_columns({"a": [1]}, as_of=AS_OF, **arguments)  # type: ignore[arg-type]


def test_a_ragged_column_is_not_an_array() -> None:
    with pytest.raises(InvalidValue, match="column 'a' is not an array"):
        FeatureTable.from_columns({"a": [[1, 2], [3]]}, as_of=AS_OF)


def test_roll_ups_fill_dates_with_nat_and_other_values_with_none() -> None:
    vehicles = fleet().vehicles
    assert vehicles is not None
    dated = vehicles.with_columns(
        bought=np.array(
            ["2019-01-01", "2024-01-01", "2024-02-01", "2025-01-01", "2026-01-01"],
            dtype="datetime64[D]",
        ),
        name=np.array(["b", "c", "a", "d", "e"], dtype=object),
    )
    table = FeatureTable.from_columns({"vehicles_owned": [3, 1, 0]}, as_of=AS_OF, vehicles=dated)
    assert table.per_owner("bought", "max").tolist() == [date(2024, 2, 1), date(2025, 1, 1), None]
    assert table.newest_vehicle("name").tolist() == ["a", "d", None]
