"""aftersales_crm.records.json_schema() returns the schema of every record; one test pins them.

The snapshot ``schemas.json`` next to this file holds two keys:

* ``"records"``: ``json_schema()``, the published JSON schema of every record, by class name;
* ``"values"``: the JSON schema of :class:`ValueTypes`, a small model with one field of each
  value type records embed (Money, GeoPoint, Mileage, and the ``Annotated`` identifier and
  amount types of ``values.types``).

Any change to them, docstrings included (they are the schemas' descriptions), changes what
users' validators and generated clients see. When a change is intended, regenerate the
snapshot with ``.venv/bin/python tests/records/update_schemas.py`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from aftersales_crm import records
from aftersales_crm.records import RECORD_TYPES, Record, json_schema
from aftersales_crm.values import GeoPoint, Mileage, Money
from aftersales_crm.values.types import Fen, NationalId, PhoneNumber, Plate, Points, Vin

SNAPSHOT = Path(__file__).with_name("schemas.json")
"""The pinned schemas; written by ``update_schemas.py``."""

UPDATE_COMMAND = ".venv/bin/python tests/records/update_schemas.py"

#: The JSON Schema (draft 2020-12) keywords a published schema may use. Pydantic's own
#: constraint names (``ge``, ``max_digits``, ``strict``) are not among them: validators and
#: code generators ignore them silently, so a constraint written that way is lost.
JSON_SCHEMA_KEYWORDS = frozenset(
    {
        "$defs", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
        "default", "deprecated", "description", "enum", "examples", "exclusiveMaximum",
        "exclusiveMinimum", "format", "items", "maxItems", "maxLength", "maxProperties",
        "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not",
        "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "readOnly",
        "required", "title", "type", "uniqueItems", "writeOnly",
    }
)  # fmt: skip
_SUBSCHEMA_MAPS = ("$defs", "properties", "patternProperties")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("additionalProperties", "contains", "items", "not")


class ValueTypes(BaseModel):
    """One field of each value type, to pin the JSON schema of each."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    money: Money
    location: GeoPoint
    mileage: Mileage
    vin: Vin
    national_id: NationalId
    mobile: PhoneNumber
    plate: Plate
    fen: Fen
    points: Points


def current_snapshot() -> dict[str, Any]:
    """The schemas as the snapshot stores them: plain JSON data (lists, not tuples)."""
    snapshot = {"records": json_schema(), "values": ValueTypes.model_json_schema()}
    loaded: dict[str, Any] = json.loads(json.dumps(snapshot))
    return loaded


def render(snapshot: dict[str, Any]) -> str:
    """The text of the snapshot file."""
    return json.dumps(snapshot, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def pinned_snapshot() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


def unknown_keywords(schema: Any, path: str = "#") -> list[str]:
    """The paths of the keys of ``schema`` and its subschemas that are no JSON Schema keyword."""
    if not isinstance(schema, dict):  # a boolean schema, as in additionalProperties: false
        return []
    found = [f"{path}/{key}" for key in schema if key not in JSON_SCHEMA_KEYWORDS]
    for key in _SUBSCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            found += unknown_keywords(sub, f"{path}/{key}/{name}")
    for key in _SUBSCHEMA_LISTS:
        for i, sub in enumerate(schema.get(key, [])):
            found += unknown_keywords(sub, f"{path}/{key}/{i}")
    for key in _SUBSCHEMAS:
        if key in schema:
            found += unknown_keywords(schema[key], f"{path}/{key}")
    return found


def test_the_schemas_of_records_and_values_match_the_snapshot() -> None:
    current, pinned = current_snapshot(), pinned_snapshot()
    changed = sorted(
        f"{part}.{name}"
        for part in ("records", "values")
        for name in current[part].keys() | pinned.get(part, {}).keys()
        if current[part].get(name) != pinned.get(part, {}).get(name)
    )
    assert current == pinned, (
        f"JSON schemas differ from {SNAPSHOT.name} at {changed}; if the change is intended, "
        f"run `{UPDATE_COMMAND}` and review the diff"
    )


def test_the_snapshot_is_stored_as_the_update_script_writes_it() -> None:
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text == render(pinned_snapshot()), f"reformatted by hand? run `{UPDATE_COMMAND}`"


def test_json_schema_names_exactly_the_record_types_in_order() -> None:
    assert list(json_schema()) == [cls.__name__ for cls in RECORD_TYPES]


def test_every_record_class_the_package_exports_is_a_record_type() -> None:
    exported = {getattr(records, name) for name in records.__all__}
    record_classes = {
        obj
        for obj in exported
        if isinstance(obj, type) and issubclass(obj, Record) and obj is not Record
    }
    assert record_classes == set(RECORD_TYPES)


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_every_record_schema_lists_its_fields_and_forbids_others(cls: type[Record]) -> None:
    schema = json_schema()[cls.__name__]
    assert schema["title"] == cls.__name__
    assert schema["type"] == "object"
    assert list(schema["properties"]) == list(cls.model_fields)
    assert schema["additionalProperties"] is False


def test_the_schema_of_each_value_type_is_a_field_of_the_value_model() -> None:
    assert set(pinned_snapshot()["values"]["properties"]) == set(ValueTypes.model_fields)


def test_record_schemas_use_only_json_schema_keywords() -> None:
    schemas = current_snapshot()["records"]
    assert [
        path for name, schema in schemas.items() for path in unknown_keywords(schema, name)
    ] == []


def test_value_type_schemas_use_only_json_schema_keywords() -> None:
    assert unknown_keywords(current_snapshot()["values"]) == []


def test_value_types_round_trip_through_json() -> None:
    values = ValueTypes(
        money=Money.from_minor(123_450, "CNY"),
        location=GeoPoint(39.9042, 116.4074),
        mileage=Mileage(12_480),
        vin="LSVAU218XN2183294",
        national_id="11010519491231002X",
        mobile="+8613812345678",
        plate="粤BD12345",
        fen=123_450,
        points=500,
    )
    assert ValueTypes.model_validate_json(values.model_dump_json()) == values
