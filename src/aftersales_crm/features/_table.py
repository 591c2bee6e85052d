"""FeatureTable: features aligned with the rows of the customer (or vehicle) table."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._frozen import frozen_reduce
from aftersales_crm._optional import require

__all__ = ["FeatureTable"]


def _read_only(array: NDArray[Any]) -> NDArray[Any]:
    array = array.view()
    array.flags.writeable = False
    return array


def _frozen_columns(columns: Mapping[str, NDArray[Any]]) -> Mapping[str, NDArray[Any]]:
    return MappingProxyType({name: _read_only(values) for name, values in columns.items()})


def _frozen_enums(enums: Mapping[str, type[enum.Enum]]) -> Mapping[str, type[enum.Enum]]:
    return MappingProxyType(dict(enums))


def _python(value: Any) -> Any:
    item = value.item() if isinstance(value, np.generic) else value
    return None if isinstance(item, float) and item != item else item  # NaN is missing


@attrs.frozen(eq=False, repr=False)
class FeatureTable:
    """Features, one row per customer (or per vehicle), in the order of the input table.

    Columns are numpy arrays (read-only); what each one means is listed in
    :mod:`aftersales_crm.features`. A customer FeatureTable carries the vehicle-level
    table as :attr:`vehicles`.

    Attributes:
        key: the name of the id column (``"customer_id"`` or ``"vin"``).
        ids: the id of each row.
        columns: feature name → array aligned with ``ids``.
        as_of: the day the features describe; no later fact counted.
        currency: the currency of the money columns (``*_fen``, minor units).
        categories: for categorical columns (int8 codes), their enum.
        vehicles: the vehicle-level features, for a customer table.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.columns(50, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> len(feats), feats.key, feats.vehicles.key
        (50, 'customer_id', 'vin')
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

    key: str
    ids: NDArray[np.str_] = attrs.field(converter=_read_only)
    columns: Mapping[str, NDArray[Any]] = attrs.field(converter=_frozen_columns)
    as_of: date
    currency: str
    categories: Mapping[str, type[enum.Enum]] = attrs.field(factory=dict, converter=_frozen_enums)
    vehicles: FeatureTable | None = None

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.ids)

    def __getitem__(self, name: str) -> NDArray[Any]:
        """The feature column ``name``."""
        return self.columns[name]

    def __iter__(self) -> Iterator[str]:
        """The feature names."""
        return iter(self.columns)

    def __repr__(self) -> str:
        """``FeatureTable(50 customer_id rows × 48 features, as of 2026-06-30)``."""
        return (
            f"FeatureTable({len(self)} {self.key} rows × {len(self.columns)} features,"
            f" as of {self.as_of.isoformat()})"
        )

    def row(self, id_: str) -> dict[str, Any]:
        """The features of the row with id ``id_`` as a dict of Python values.

        Missing values (NaN, NaT) are ``None``, so two rows compare equal with ``==``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> feats.row(feats.ids[0])["visits"] >= 0
            True
        """
        where = np.flatnonzero(self.ids == id_)
        if not len(where):
            raise KeyError(id_)
        i = int(where[0])
        return {name: _python(column[i]) for name, column in self.columns.items()}

    def take(self, rows: NDArray[np.intp]) -> FeatureTable:
        """The rows at positions ``rows``, in that order.

        The vehicle table is kept whole, but its ``owner`` column is renumbered to the new
        rows: a vehicle whose owner is not among them gets ``-1``.

        Examples:
            >>> from datetime import date
            >>> import numpy as np
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> two = feats.take(np.array([1, 0]))
            >>> len(two), two.ids.tolist() == feats.ids[[1, 0]].tolist()
            (2, True)
            >>> owners = two.vehicles["owner"]
            >>> sorted(set(two.ids[owners[owners >= 0]])) == sorted(set(two.ids))
            True
        """
        vehicles = self.vehicles
        if vehicles is not None and "owner" in vehicles.columns:
            renumber = np.full(len(self) + 1, -1, dtype=np.int64)  # the last slot keeps -1
            renumber[rows] = np.arange(len(rows))
            owner = vehicles["owner"]
            columns = dict(vehicles.columns)
            columns["owner"] = renumber[np.where(owner >= 0, owner, len(self))]
            vehicles = attrs.evolve(vehicles, columns=columns)
        return attrs.evolve(
            self,
            ids=self.ids[rows],
            columns={k: v[rows] for k, v in self.columns.items()},
            vehicles=vehicles,
        )

    def to_pandas(self) -> Any:
        """A pandas DataFrame indexed by id (needs the ``pandas`` extra).

        Categorical columns become pandas ``Categorical`` of the enum values.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> df = feats.to_pandas()
            >>> df.index.name, len(df) == 20, str(df["sector"].dtype)
            ('customer_id', True, 'category')
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, Any] = {}
        for name, column in self.columns.items():
            kind = self.categories.get(name)
            if kind is None:
                data[name] = column
            else:
                data[name] = pd.Categorical.from_codes(
                    column, categories=[m.value for m in kind], validate=False
                )
        return pd.DataFrame(data, index=pd.Index(self.ids.astype(object), name=self.key))
