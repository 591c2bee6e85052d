"""One columnar table: equal-length, read-only numpy columns under a schema."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._frozen import frozen_reduce
from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import ColumnKind, TableSchema

__all__ = ["Table"]


def _read_only(array: Any) -> NDArray[Any]:
    """A read-only copy of ``array``: what the caller holds can change without changing it."""
    copy = np.array(array, copy=True)
    copy.flags.writeable = False
    return copy


def _read_only_columns(columns: Mapping[str, Any]) -> Mapping[str, NDArray[Any]]:
    if not isinstance(columns, Mapping):
        msg = f"columns is a {type(columns).__name__}, expected a mapping from name to array"  # type: ignore[unreachable]  # junk at run time
        raise InvalidType(msg)
    frozen = {}
    for name, values in columns.items():
        copy = _read_only(values)
        if copy.ndim != 1:
            msg = f"column {name!r} has shape {copy.shape}, expected one value per row"
            raise InvalidValue(msg, code="invalid_argument")
        frozen[name] = copy
    return MappingProxyType(frozen)


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    """``array`` made read-only in place: for arrays no one else holds."""
    array.flags.writeable = False
    return array


def _frozen_labels(labels: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(labels, Mapping) or not all(
        isinstance(texts, tuple) and all(isinstance(t, str) for t in texts)
        for texts in labels.values()
    ):
        msg = f"labels is {labels!r:.80}, expected a mapping from column name to a tuple of texts"
        raise InvalidType(msg)
    return MappingProxyType(dict(labels))


def _is_schema(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, TableSchema):
        msg = f"{attribute.name} is a {type(value).__name__}, expected a records.TableSchema"
        raise InvalidType(msg)


def _same(a: NDArray[Any], b: NDArray[Any]) -> bool:
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fmM":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


@attrs.frozen(eq=False, repr=False)
class Table:
    """A table of equal-length numpy columns described by a [`TableSchema`][aftersales_crm.tables.TableSchema].

    Tables are immutable: every column is a read-only array, a copy of the one given, so
    that changing the caller's array afterwards changes nothing here. Build them through
    [`Tables`][aftersales_crm.tables.Tables], which validates them; the row order is the
    caller's and is kept.

    Attributes:
        schema: the columns and the record a row becomes.
        columns: the arrays by inside column name.
        labels: for each [`LABEL`][aftersales_crm.tables.ColumnKind.LABEL] column, the distinct texts its codes
            point into.

    Raises:
        InvalidType: ``schema`` is not a [`TableSchema`][aftersales_crm.tables.TableSchema], or
            ``columns`` or ``labels`` is not a mapping of the kind described.
        InvalidValue: a column is not one-dimensional, the columns are not the schema's,
            or they differ in length (code ``"invalid_argument"``).

    Examples:
        >>> from aftersales_crm import synthetic
        >>> orders = synthetic.columns(50, seed=1).tables().orders
        >>> len(orders) > 0, orders["mileage"].dtype, orders["opened_at"].dtype
        (True, dtype('int64'), dtype('<M8[us]'))
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

    schema: TableSchema = attrs.field(validator=_is_schema)
    columns: Mapping[str, NDArray[Any]] = attrs.field(converter=_read_only_columns)
    labels: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_labels)

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.schema.columns]
        if list(self.columns) != names:
            msg = (
                f"{self.schema.name}: columns {list(self.columns)} differ from the schema's {names}"
            )
            raise InvalidValue(msg, code="invalid_argument")
        lengths = {len(v) for v in self.columns.values()}
        if len(lengths) > 1:
            msg = f"{self.schema.name}: columns have different lengths {sorted(lengths)}"
            raise InvalidValue(msg, code="invalid_argument")

    @classmethod
    def _owned(
        cls,
        schema: TableSchema,
        columns: Mapping[str, NDArray[Any]],
        labels: Mapping[str, tuple[str, ...]] | None = None,
    ) -> Table:
        """A table of arrays no one else holds (ingest's own): frozen in place, not copied."""
        table = cls.__new__(cls)
        object.__setattr__(table, "schema", schema)
        frozen = {name: _frozen(values) for name, values in columns.items()}
        object.__setattr__(table, "columns", MappingProxyType(frozen))
        object.__setattr__(table, "labels", _frozen_labels(labels or {}))
        table.__attrs_post_init__()
        return table

    @property
    def name(self) -> str:
        """The table's name.

        Examples:
            >>> from aftersales_crm import synthetic
            >>> synthetic.columns(5, seed=1).tables().lines.name
            'lines'
        """
        return self.schema.name

    def __len__(self) -> int:
        """The number of rows."""
        first = next(iter(self.columns.values()))
        return len(first)

    def __getitem__(self, name: str) -> NDArray[Any]:
        """The column called ``name`` (read-only)."""
        return self.columns[name]

    def __iter__(self) -> Iterator[str]:
        """The column names, in schema order."""
        return iter(self.columns)

    def __eq__(self, other: object) -> bool:
        """Equal schemas and columns, labels compared as texts (``NaN`` and ``NaT`` equal themselves)."""
        if not isinstance(other, Table):
            return NotImplemented
        return self.schema == other.schema and all(
            _same(self._plain(n), other._plain(n)) for n in self.columns
        )

    def __hash__(self) -> int:
        """Tables hash by name and length (they are compared column by column)."""
        return hash((self.schema.name, len(self)))

    def __repr__(self) -> str:
        """``Table('orders', 12 rows: id, dealer, …)``."""
        return f"Table({self.name!r}, {len(self)} rows: {', '.join(self.columns)})"

    def _plain(self, name: str) -> NDArray[Any]:
        """The column with label codes replaced by their texts, for comparisons."""
        column = self.columns[name]
        if self.schema.column(name).kind is ColumnKind.LABEL:
            texts = np.array([*self.labels[name], None], dtype=object)
            plain: NDArray[Any] = texts[column]  # -1 picks the trailing None
            return plain
        return column

    def label_texts(self, name: str) -> NDArray[np.object_]:
        """A [`LABEL`][aftersales_crm.tables.ColumnKind.LABEL] column as an object array of texts (``None`` for none).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> vehicles = synthetic.columns(20, seed=1).tables().vehicles
            >>> isinstance(vehicles.label_texts("model")[0], str)
            True
        """
        if self.schema.column(name).kind is not ColumnKind.LABEL:
            msg = f"{self.name}.{name} is not a label column"
            raise KeyError(msg)
        return self._plain(name)

    def take(self, rows: NDArray[np.intp]) -> Table:
        """The rows at the positions ``rows``, in that order (references are not remapped).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> import numpy as np
            >>> lines = synthetic.columns(20, seed=1).tables().lines
            >>> len(lines.take(np.array([2, 0])))
            2
        """
        return Table._owned(self.schema, {k: v[rows] for k, v in self.columns.items()}, self.labels)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns' buffers (object columns count their pointers only).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> synthetic.columns(20, seed=1).tables().lines.nbytes > 0
            True
        """
        return sum(v.nbytes for v in self.columns.values())
