"""The one error family of aftersales_crm.

Every error the library raises on purpose derives from [`AftersalesError`][aftersales_crm.errors.AftersalesError] and also
from the builtin exception callers already catch: an invalid VIN is a ``ValueError``,
adding yuan to dollars is a ``TypeError``, an unknown policy name is a
``LookupError``. Each class has a stable machine ``code`` (a short snake_case string
that never changes between releases), and each raised instance may refine it with a more
specific code such as ``"vin_checksum"``. Messages name the rule and the values involved.

Examples:
    >>> from aftersales_crm.errors import InvalidChecksum, InvalidValue
    >>> err = InvalidChecksum("VIN check digit is 0, expected X", code="vin_checksum")
    >>> isinstance(err, ValueError), err.code, str(err)
    (True, 'vin_checksum', 'VIN check digit is 0, expected X')
    >>> InvalidValue.code
    'invalid_value'
"""

from __future__ import annotations

from typing import ClassVar

import attrs

__all__ = [
    "AftersalesError",
    "ConvergenceError",
    "CurrencyMismatchError",
    "FloatMoneyError",
    "IntegrityError",
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "InvalidType",
    "InvalidValue",
    "MissingDependencyError",
    "NotFittedError",
    "PolicyNameClash",
    "RowProblem",
    "TableValidationError",
    "UnknownFeatureError",
    "UnknownNameError",
    "UnknownPolicyError",
]


class AftersalesError(Exception):
    """Base class of every error raised by aftersales_crm.

    Args:
        message: what went wrong, naming the rule and the values; defaults to the
            class's generic ``message``.
        code: a more specific machine code for this instance; defaults to the class's
            ``code``.

    Examples:
        >>> err = AftersalesError()
        >>> err.code, str(err)
        ('aftersales_error', 'aftersales_crm error')
    """

    code: ClassVar[str] = "aftersales_error"
    """Stable machine code of the error class."""

    message: ClassVar[str] = "aftersales_crm error"
    """Generic message used when none is given."""

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message if message is not None else self.message)
        if code is not None:
            # An instance attribute shadows the class-level code for this error only.
            self.code = code  # type: ignore[misc]


class InvalidValue(AftersalesError, ValueError):
    """A value does not satisfy the rule of its type.

    Examples:
        >>> issubclass(InvalidValue, ValueError)
        True
    """

    code = "invalid_value"
    message = "the value is invalid"


class InvalidFormat(InvalidValue):
    """A value has characters or a layout its type does not allow.

    Examples:
        >>> str(InvalidFormat())
        'the value has an invalid format'
    """

    code = "invalid_format"
    message = "the value has an invalid format"


class InvalidLength(InvalidFormat):
    """A value has the wrong number of characters.

    Examples:
        >>> InvalidLength("VIN has 16 characters, expected 17").code
        'invalid_length'
    """

    code = "invalid_length"
    message = "the value has an invalid length"


class InvalidChecksum(InvalidValue):
    """A value's check digit does not match the digit computed from the rest.

    Examples:
        >>> InvalidChecksum().code
        'invalid_checksum'
    """

    code = "invalid_checksum"
    message = "the value's check digit does not match"


class InvalidComponent(InvalidValue):
    """A part of a value (a date, a region, a currency) is not a valid one.

    Examples:
        >>> InvalidComponent("month 13 does not exist").code
        'invalid_component'
    """

    code = "invalid_component"
    message = "one of the value's components is invalid"


@attrs.frozen
class RowProblem:
    """One problem found in one row of a table, or in a table's columns.

    Attributes:
        row: zero-based row index in the input, or ``-1`` for a problem of a whole column
            (a column missing, unknown, of another length, or holding booleans).
        column: name of the offending column (the outside name, as given).
        code: stable machine code of the rule that failed.
        message: human-readable explanation naming the rule and the value.
        table: the name of the table (``""`` while a rule has not been told it).

    Examples:
        >>> RowProblem(3, "labour_fen", "negative_money", "labour_fen is -100, must be >= 0", "lines")
        RowProblem(row=3, column='labour_fen', code='negative_money', message='labour_fen is -100, must be >= 0', table='lines')
    """

    row: int
    column: str
    code: str
    message: str
    table: str = ""


class TableValidationError(InvalidValue):
    """Tables failed validation; ``problems`` lists every problem of every table at once.

    Problems are grouped by table (in the order the tables are named, building order for
    [`Tables`][aftersales_crm.tables.Tables]), each table's in row order, problems of whole
    columns (row ``-1``) first. The message lists up to ``max_listed`` problems of
    each table.

    Args:
        problems: every problem found.
        table: the table of problems that do not name one.

    Attributes:
        problems: every problem, grouped by table.
        tables: the names of the tables with problems, in order.
        table: the first of them.

    Examples:
        >>> err = TableValidationError(
        ...     [RowProblem(0, "vin", "vin_checksum", "check digit is 0, expected X")],
        ...     table="vehicles",
        ... )
        >>> print(err)
        vehicles: 1 problem in 1 row
          row 0, column 'vin' [vin_checksum]: check digit is 0, expected X
        >>> err.problems[0].row, err.problems[0].table
        (0, 'vehicles')
        >>> err = TableValidationError([
        ...     RowProblem(-1, "name", "missing_column", "required column 'name' is missing", "dealers"),
        ...     RowProblem(2, "labour", "negative_money", "labour is -5, must be >= 0", "lines"),
        ... ])
        >>> print(err)
        2 tables with problems: dealers, lines
        dealers: 1 problem in the columns
          column 'name' [missing_column]: required column 'name' is missing
        lines: 1 problem in 1 row
          row 2, column 'labour' [negative_money]: labour is -5, must be >= 0
    """

    code = "table_invalid"
    message = "the table is invalid"

    #: How many problems of each table the message lists before summarising the rest.
    max_listed: ClassVar[int] = 20

    def __init__(
        self, problems: list[RowProblem] | tuple[RowProblem, ...], *, table: str | None = None
    ) -> None:
        named = [p if p.table or table is None else attrs.evolve(p, table=table) for p in problems]
        groups: dict[str, list[RowProblem]] = {}
        for problem in named:
            groups.setdefault(problem.table, []).append(problem)
        for group in groups.values():
            group.sort(key=lambda p: p.row)  # stable: a row's problems keep their order
        self.problems: tuple[RowProblem, ...] = tuple(p for g in groups.values() for p in g)
        self.tables: tuple[str, ...] = tuple(groups)
        self.table = self.tables[0] if self.tables else (table or "")
        lines = []
        if len(groups) > 1:
            lines.append(f"{len(groups)} tables with problems: {', '.join(groups)}")
        for name, group in groups.items():
            lines += self._describe(name, group)
        super().__init__("\n".join(lines))

    @classmethod
    def _describe(cls, table: str, problems: list[RowProblem]) -> list[str]:
        n_rows = len({p.row for p in problems if p.row >= 0})
        noun = "problem" if len(problems) == 1 else "problems"
        where = f"in {n_rows} {'row' if n_rows == 1 else 'rows'}" if n_rows else "in the columns"
        if n_rows and any(p.row < 0 for p in problems):
            where += " and the columns"
        lines = [f"{table}: {len(problems)} {noun} {where}"]
        for p in problems[: cls.max_listed]:
            at = f"row {p.row}, " if p.row >= 0 else ""
            lines.append(f"  {at}column {p.column!r} [{p.code}]: {p.message}")
        if len(problems) > cls.max_listed:
            lines.append(f"  … and {len(problems) - cls.max_listed} more")
        return lines


class IntegrityError(AftersalesError, ValueError):
    """A collection of records has dangling references or duplicate ids.

    Args:
        problems: one line per problem; every problem is listed, never only the first.

    Examples:
        >>> err = IntegrityError(["repair order 'RO1': unknown vehicle 'LSV…'"])
        >>> err.problems
        ("repair order 'RO1': unknown vehicle 'LSV…'",)
    """

    code = "integrity"
    message = "the records are inconsistent"

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"{len(self.problems)} integrity {noun}:", *(f"  {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


class NotFittedError(AftersalesError, ValueError, AttributeError):
    """A population-relative policy was used before ``fit``.

    Examples:
        >>> isinstance(NotFittedError("ParetoABC is not fitted"), AttributeError)
        True
    """

    code = "not_fitted"
    message = "the policy is not fitted yet: call fit() first"


class ConvergenceError(AftersalesError, ArithmeticError):
    """A model's maximum-likelihood fit did not reach a usable optimum.

    The message says why in plain words (which parameters ran away, or what the optimiser
    reported) and what to try instead; nothing is returned, so no garbage parameters are
    used silently.

    Examples:
        >>> err = ConvergenceError("drop-out looks homogeneous: a and b diverge")
        >>> isinstance(err, ArithmeticError), err.code
        (True, 'convergence')
    """

    code = "convergence"
    message = "the fit did not converge"


class CurrencyMismatchError(AftersalesError, TypeError):
    """Two amounts in different currencies were combined.

    Examples:
        >>> str(CurrencyMismatchError("cannot add CNY and USD"))
        'cannot add CNY and USD'
    """

    code = "currency_mismatch"
    message = "amounts in different currencies cannot be combined"


class InvalidType(AftersalesError, TypeError):
    """A value of the wrong type was given: a str where a Decimal is needed, a list for a record.

    Examples:
        >>> issubclass(InvalidType, TypeError), InvalidType().code
        (True, 'invalid_type')
    """

    code = "invalid_type"
    message = "the value has the wrong type"


class FloatMoneyError(AftersalesError, TypeError):
    """A binary float was offered where exact money is required.

    Examples:
        >>> FloatMoneyError().code
        'float_money'
    """

    code = "float_money"
    message = (
        "money never goes through float: 0.1 + 0.2 != 0.3 in binary floating point; "
        "pass a str, int or decimal.Decimal instead"
    )


class UnknownPolicyError(AftersalesError, LookupError):
    """No policy is registered under the requested name.

    Examples:
        >>> isinstance(UnknownPolicyError("no policy 'abcd'"), LookupError)
        True
    """

    code = "unknown_policy"
    message = "no policy is registered under that name"


class PolicyNameClash(AftersalesError, LookupError):
    """Two policies, or two policy kinds, claim the same name.

    A plugin's policy name may clash with a built-in's or with another plugin's; a policy
    kind may be declared twice under one name. Rename one of them: a name means one thing.

    Examples:
        >>> err = PolicyNameClash("plugin policy 'abc' clashes with the built-in alias 'abc'")
        >>> isinstance(err, LookupError), err.code
        (True, 'policy_name_clash')
    """

    code = "policy_name_clash"
    message = "two policies are registered under the same name"


class UnknownFeatureError(InvalidValue, KeyError):
    """A FeatureTable has no column (or no row) of that name.

    Also a ``KeyError``, as a missing mapping key is; the message suggests close
    names.

    Examples:
        >>> err = UnknownFeatureError("no feature column 'spend'; did you mean 'spend_fen'?")
        >>> isinstance(err, KeyError), isinstance(err, ValueError), str(err)
        (True, True, "no feature column 'spend'; did you mean 'spend_fen'?")
    """

    code = "unknown_feature"
    message = "the features have no column of that name"

    def __str__(self) -> str:
        """The message as written (a KeyError would quote it)."""
        return str(self.args[0]) if self.args else self.message


class UnknownNameError(InvalidValue, KeyError):
    """A name looked up among a fixed set of names is not one of them (a matrix cell).

    Also a ``KeyError``, as a missing mapping key is.

    Examples:
        >>> err = UnknownNameError("'XY' is not a cell of the matrix; the cells are AD, AG, ...")
        >>> isinstance(err, KeyError), isinstance(err, ValueError), err.code
        (True, True, 'unknown_name')
    """

    code = "unknown_name"
    message = "no such name"

    def __str__(self) -> str:
        """The message as written (a KeyError would quote it)."""
        return str(self.args[0]) if self.args else self.message


class MissingDependencyError(AftersalesError, ImportError):
    """An optional integration was used without its extra installed.

    Args:
        package: the import name that is missing (``"pandas"``).
        extra: the pip extra that installs it (``"pandas"``).

    Examples:
        >>> print(MissingDependencyError("pyarrow", extra="arrow"))
        this feature needs pyarrow: pip install 'aftersales-crm[arrow]'
    """

    code = "missing_dependency"
    message = "an optional dependency is missing"

    def __init__(self, package: str, *, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(f"this feature needs {package}: pip install 'aftersales-crm[{extra}]'")
