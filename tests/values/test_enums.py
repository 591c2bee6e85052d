"""Labelled enumerations: stable values, labels in two languages, round trips."""

from __future__ import annotations

import ast
import doctest
import inspect
import pickle
import re
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, TypeAdapter

import aftersales_crm.records as records
import aftersales_crm.values as values
from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import (
    FOLLOW_UP_DAYS,
    ROUTINE_SERVICE_KINDS,
    BodyType,
    CompassSector,
    ContactChannel,
    ContactPurpose,
    FuelType,
    Gender,
    LabelledEnum,
    Material,
    PayType,
    ServiceKind,
)

ENUMS: list[type[LabelledEnum]] = [
    BodyType,
    CompassSector,
    ContactChannel,
    ContactPurpose,
    FuelType,
    Gender,
    Material,
    PayType,
    ServiceKind,
]
MEMBERS = [member for enum in ENUMS for member in enum]
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


# ------------------------------------------------------------------ every enumeration


def test_the_enum_list_covers_every_labelled_enum_the_values_package_exports() -> None:
    exported = {
        obj
        for obj in vars(values).values()
        if isinstance(obj, type) and issubclass(obj, LabelledEnum) and obj is not LabelledEnum
    }
    assert exported == set(ENUMS)


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_every_member_has_a_label_in_each_language(member: LabelledEnum) -> None:
    for lang in ("en", "zh"):
        label = member.label(lang)
        assert label
        assert label == label.strip()


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_the_english_label_is_the_default(member: LabelledEnum) -> None:
    assert member.label() == member.label("en")


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_labels_are_unique_within_an_enum(enum: type[LabelledEnum], lang: values.Lang) -> None:
    labels = [member.label(lang) for member in enum]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_values_are_ascii_snake_case_and_match_the_member_name(member: LabelledEnum) -> None:
    assert member.value.isascii()
    assert SNAKE_CASE.fullmatch(member.value)
    assert member.name == member.value.upper()


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_a_member_is_its_value_string(member: LabelledEnum) -> None:
    assert isinstance(member.value, str)
    assert member == member.value
    assert str(member) == member.value
    assert f"{member}" == member.value


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_looking_a_value_up_returns_the_member(member: LabelledEnum) -> None:
    assert type(member)(member.value) is member


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_members_survive_pickling(member: LabelledEnum) -> None:
    assert pickle.loads(pickle.dumps(member)) is member


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_members_survive_a_pydantic_json_round_trip(member: LabelledEnum) -> None:
    adapter: TypeAdapter[LabelledEnum] = TypeAdapter(type(member))
    json = adapter.dump_json(member)
    assert json == f'"{member.value}"'.encode()
    assert adapter.validate_json(json) is member


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_the_json_schema_lists_the_values(enum: type[LabelledEnum]) -> None:
    schema = TypeAdapter(enum).json_schema()
    assert schema["type"] == "string"
    assert schema["enum"] == [member.value for member in enum]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_unknown_values_are_rejected(enum: type[LabelledEnum]) -> None:
    with pytest.raises(ValueError, match="not_a_member"):
        enum("not_a_member")


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_each_enum_documents_an_example_and_its_source(enum: type[LabelledEnum]) -> None:
    doc = inspect.getdoc(enum) or ""
    assert "Examples:" in doc
    assert ">>>" in doc
    assert "References:" in doc


@pytest.mark.parametrize(
    "lang",
    [
        "fr",  # a language we have no labels for
        "EN",  # codes are lower case
        "zh-CN",  # a region tag is not a language of ours
        "",  # nothing
    ],
)
def test_a_label_in_another_language_is_refused(lang: str) -> None:
    with pytest.raises(InvalidValue, match=f"not {lang!r}") as info:
        ServiceKind.MAINTENANCE.label(lang)  # type: ignore[arg-type]
    assert info.value.code == "label_language"


# ------------------------------------------------------------------ user subclasses


class Light(LabelledEnum):
    RED = "red", "red light", "红灯"
    AMBER = "amber", "amber light", "黄灯"


def test_a_user_enum_declares_members_as_value_and_two_labels() -> None:
    assert Light.AMBER.value == "amber"
    assert Light.AMBER.label("zh") == "黄灯"
    assert Light("red") is Light.RED


def test_a_user_enum_works_as_a_pydantic_field() -> None:
    class Crossing(BaseModel):
        light: Light

    crossing = Crossing.model_validate_json('{"light": "amber"}')
    assert crossing.light is Light.AMBER
    assert Crossing.model_validate_json(crossing.model_dump_json()) == crossing


# ------------------------------------------------------------------ service kinds


@pytest.mark.parametrize(
    ("member", "zh"),
    [
        (ServiceKind.FIRST_MAINTENANCE, "首保"),  # the free first service
        (ServiceKind.MAINTENANCE, "保养"),  # scheduled maintenance
        (ServiceKind.WARRANTY_CLAIM, "索赔"),  # repair the manufacturer pays
        (ServiceKind.MINOR_REPAIR, "小修"),  # small mechanical repair
        (ServiceKind.MAJOR_REPAIR, "大修"),  # overhaul
        (ServiceKind.INSURANCE_REPAIR, "保险维修"),  # accident repair the insurer pays
        (ServiceKind.BODY_PAINT, "钣喷自费"),  # body and paint the customer pays
        (ServiceKind.ACCESSORIES, "装饰"),  # accessories and decoration
        (ServiceKind.PARTS_SALE, "零件外购"),  # parts sold over the counter
        (ServiceKind.ROADSIDE_RESCUE, "救援"),  # rescue on the road
        (ServiceKind.INSURANCE_RENEWAL, "保险续保"),  # selling the next insurance year
        (ServiceKind.INSPECTION_AGENCY, "代办年检"),  # annual inspection done for the owner
    ],
)
def test_service_kinds_carry_the_chinese_names_of_the_domain(member: ServiceKind, zh: str) -> None:
    assert member.label("zh") == zh


def test_there_are_exactly_the_twelve_service_kinds_of_the_domain() -> None:
    assert len(ServiceKind) == 12


@pytest.mark.parametrize(
    ("kind", "routine"),
    [
        (ServiceKind.FIRST_MAINTENANCE, False),  # loyalty is measured after this visit
        (ServiceKind.MAINTENANCE, True),  # the core of routine service
        (ServiceKind.WARRANTY_CLAIM, True),  # a workshop repair, the OEM pays
        (ServiceKind.MINOR_REPAIR, True),  # workshop repair
        (ServiceKind.MAJOR_REPAIR, True),  # workshop repair
        (ServiceKind.INSURANCE_REPAIR, True),  # workshop repair, the insurer pays
        (ServiceKind.BODY_PAINT, True),  # workshop repair, the customer pays
        (ServiceKind.ACCESSORIES, False),  # retail, not maintenance
        (ServiceKind.PARTS_SALE, False),  # counter sale, the car need not come in
        (ServiceKind.ROADSIDE_RESCUE, False),  # an emergency, not a choice of dealer
        (ServiceKind.INSURANCE_RENEWAL, False),  # paperwork
        (ServiceKind.INSPECTION_AGENCY, False),  # paperwork
    ],
)
def test_routine_kinds_are_the_workshop_maintenance_and_repairs(
    kind: ServiceKind, routine: bool
) -> None:
    assert kind.is_routine is routine
    assert (kind in ROUTINE_SERVICE_KINDS) is routine


def test_the_routine_kinds_cannot_be_changed() -> None:
    assert isinstance(ROUTINE_SERVICE_KINDS, frozenset)


# ------------------------------------------------------------------ follow-up calls


def test_the_follow_up_calls_are_3dc_then_7dc_on_the_3rd_and_7th_day() -> None:
    assert list(FOLLOW_UP_DAYS.items()) == [
        (ContactPurpose.FOLLOW_UP_3D, 3),
        (ContactPurpose.FOLLOW_UP_7D, 7),
    ]


def test_the_follow_up_days_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        FOLLOW_UP_DAYS[ContactPurpose.FOLLOW_UP] = 30  # type: ignore[index]


# ------------------------------------------------------------------ fuel types


@pytest.mark.parametrize(
    ("fuel", "new_energy"),
    [
        (FuelType.PETROL, False),  # conventional
        (FuelType.DIESEL, False),  # conventional
        (FuelType.HYBRID, False),  # cannot be plugged in: not new energy in China
        (FuelType.PLUG_IN_HYBRID, True),  # PHEV
        (FuelType.BATTERY_ELECTRIC, True),  # BEV
        (FuelType.EXTENDED_RANGE, True),  # EREV, counted with plug-in hybrids
        (FuelType.FUEL_CELL, True),  # FCEV
    ],
)
def test_new_energy_follows_the_chinese_definition(fuel: FuelType, new_energy: bool) -> None:
    assert fuel.is_new_energy is new_energy


# ------------------------------------------------------------------ other enumerations


@pytest.mark.parametrize(
    ("member", "zh"),
    [
        (PayType.CUSTOMER, "客户自费"),  # the customer pays
        (PayType.WARRANTY, "保修"),  # the manufacturer pays
        (Gender.UNKNOWN, "未知"),  # records that do not say
        (BodyType.SPORTS, "跑车"),  # named by DOMAIN.md §1
        (ContactChannel.MESSAGING_APP, "即时通讯"),  # WeChat and the like
        (ContactPurpose.FOLLOW_UP_3D, "三日回访"),  # 3DC
        (ContactPurpose.FOLLOW_UP_7D, "七日回访"),  # 7DC
        (CompassSector.NORTH_WEST, "西北"),  # an intercardinal sector
    ],
)
def test_chinese_labels_use_the_terms_of_the_trade(member: LabelledEnum, zh: str) -> None:
    assert member.label("zh") == zh


def test_compass_sectors_run_clockwise_from_north() -> None:
    assert [s.value for s in CompassSector] == [
        "north",
        "north_east",
        "east",
        "south_east",
        "south",
        "south_west",
        "west",
        "north_west",
    ]


# ------------------------------------------------------------------ documentation


def _glossary_tables() -> dict[str, list[tuple[str, str, str]]]:
    """Rows (zh, en, value) of the glossary sections headed by an enum name in backticks."""
    tables: dict[str, list[tuple[str, str, str]]] = {}
    current: str | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"#+ .*\(`(\w+)`\)", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
        elif line.startswith("#"):
            current = None
        elif current and (row := re.fullmatch(r"\| (.+) \| (.+) \| `(\w+)` \|", line)):
            zh, en, value = row.groups()
            tables[current].append((zh, en, value))
    return tables


def test_the_glossary_tables_of_enums_match_the_labels_in_the_code() -> None:
    tables = _glossary_tables()
    assert tables, "the glossary has no enum table"
    for name, rows in tables.items():
        enum = getattr(values, name, None) or getattr(records, name)  # records' enums too
        assert [(m.label("zh"), m.label("en"), m.value) for m in enum] == rows, name


def _attribute_docstrings(module_name: str) -> dict[str, str]:
    """Docstrings written under module-level assignments (not visible at run time)."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    found: dict[str, str] = {}
    for node, after in zip(tree.body, tree.body[1:], strict=False):
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if (
            isinstance(target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[target.id] = after.value.value
    return found


@pytest.mark.parametrize("name", ["FOLLOW_UP_DAYS", "Lang", "ROUTINE_SERVICE_KINDS"])
def test_examples_in_constant_docstrings_run(name: str) -> None:
    module = sys.modules[ServiceKind.__module__]
    docstring = _attribute_docstrings(module.__name__)[name]
    assert "Examples:" in docstring
    test = doctest.DocTestParser().get_doctest(
        docstring, dict(vars(module)), name, module.__file__, 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
