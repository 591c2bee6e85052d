"""The error family: one root, builtin bases callers catch, stable unique codes."""

from __future__ import annotations

import inspect

import attrs
import pytest

from aftersales_crm import errors
from aftersales_crm.errors import (
    AftersalesError,
    CurrencyMismatchError,
    FloatMoneyError,
    IntegrityError,
    InvalidChecksum,
    InvalidType,
    InvalidValue,
    MissingDependencyError,
    NotFittedError,
    RowProblem,
    TableValidationError,
    UnknownPolicyError,
)

PUBLIC_ERRORS: list[type[AftersalesError]] = [
    obj
    for name in errors.__all__
    if inspect.isclass(obj := getattr(errors, name)) and issubclass(obj, AftersalesError)
]


def test_every_public_error_is_listed() -> None:
    assert len(PUBLIC_ERRORS) == len(errors.__all__) - 1  # all but RowProblem


@pytest.mark.parametrize("cls", PUBLIC_ERRORS, ids=lambda c: c.__name__)
def test_every_public_error_derives_from_the_root_and_has_a_docstring(
    cls: type[AftersalesError],
) -> None:
    assert issubclass(cls, AftersalesError)
    assert cls.__doc__
    assert cls.__dict__.get("code"), f"{cls.__name__} must define its own code"


def test_error_codes_are_unique() -> None:
    codes = [cls.code for cls in PUBLIC_ERRORS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (InvalidValue, ValueError),  # bad data is a ValueError, as pydantic expects
        (NotFittedError, ValueError),  # scikit-learn's convention
        (NotFittedError, AttributeError),
        (CurrencyMismatchError, TypeError),  # like adding str and int
        (FloatMoneyError, TypeError),
        (InvalidType, TypeError),  # a str where a Decimal belongs
        (UnknownPolicyError, LookupError),
        (MissingDependencyError, ImportError),
        (IntegrityError, ValueError),
    ],
)
def test_errors_also_subclass_the_builtin_callers_catch(
    cls: type[AftersalesError], builtin: type[Exception]
) -> None:
    assert issubclass(cls, builtin)


def test_an_instance_code_refines_the_class_code_without_changing_it() -> None:
    err = InvalidChecksum("VIN check digit is 0, expected X", code="vin_checksum")
    assert err.code == "vin_checksum"
    assert InvalidChecksum.code == "invalid_checksum"
    assert InvalidChecksum().code == "invalid_checksum"


def test_default_message_is_the_class_message() -> None:
    assert str(NotFittedError()) == NotFittedError.message


def test_table_validation_error_lists_every_problem_up_to_the_limit() -> None:
    problems = [RowProblem(i, "labour_fen", "negative_money", f"row {i} < 0") for i in range(25)]
    err = TableValidationError(problems, table="lines")
    text = str(err)
    assert text.startswith("lines: 25 problems in 25 rows")
    assert "row 19, column 'labour_fen'" in text
    assert "row 20, column" not in text
    assert "… and 5 more" in text
    assert err.problems == tuple(attrs.evolve(p, table="lines") for p in problems)
    assert err.table == "lines"


def test_table_validation_error_groups_the_problems_of_every_table() -> None:
    problems = [
        RowProblem(3, "labour", "negative_money", "labour is -1", "lines"),
        RowProblem(0, "id", "duplicate_id", "id C1 repeats row 0", "customers"),
        RowProblem(-1, "name", "missing_column", "name is missing", "lines"),
    ]
    err = TableValidationError(problems)
    assert err.tables == ("lines", "customers")
    assert [(p.table, p.row) for p in err.problems] == [
        ("lines", -1),
        ("lines", 3),
        ("customers", 0),
    ]
    assert str(err).splitlines() == [
        "2 tables with problems: lines, customers",
        "lines: 2 problems in 1 row and the columns",
        "  column 'name' [missing_column]: name is missing",
        "  row 3, column 'labour' [negative_money]: labour is -1",
        "customers: 1 problem in 1 row",
        "  row 0, column 'id' [duplicate_id]: id C1 repeats row 0",
    ]


def test_table_validation_error_counts_rows_not_problems() -> None:
    problems = [RowProblem(0, "a", "x", "m"), RowProblem(0, "b", "y", "n")]
    assert str(TableValidationError(problems, table="t")).startswith("t: 2 problems in 1 row\n")


def test_integrity_error_lists_all_problems() -> None:
    err = IntegrityError(["dangling a", "duplicate b"])
    assert str(err) == "2 integrity problems:\n  dangling a\n  duplicate b"
    assert str(IntegrityError(["x"])).startswith("1 integrity problem:")


def test_missing_dependency_names_the_extra() -> None:
    err = MissingDependencyError("pandas", extra="pandas")
    assert "pip install 'aftersales-crm[pandas]'" in str(err)
    assert (err.package, err.extra) == ("pandas", "pandas")
