"""Cross-tabulation of segmentation dimensions: customers and value per cell."""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm._policy import Labels, Policy
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import numeric, present, python_number

__all__ = ["Crosstab", "crosstab"]


def _shares(part: NDArray[Any]) -> NDArray[np.float64]:
    total = part.sum()
    if not total:
        return np.full(part.shape, np.nan)
    return np.asarray(part / total, dtype=np.float64)


@attrs.frozen(eq=False)
class Crosstab:
    """Customers and the sum of a value in each cell of one or more dimensions.

    Attributes:
        dimensions: a name per dimension (the policy's repr, or ``labels_<i>`` for labels
            given directly).
        names: per dimension, its label names (the cells' coordinates).
        names_zh: per dimension, its Chinese label names, or None.
        value: the feature summed (``"spend_fen"``).
        counts: int64 array of shape (len(names[0]), len(names[1]), …): customers per cell.
        values: array of the same shape: the value summed per cell (int64 for integer
            columns such as fen, float64 otherwise; NaN values count as 0).
        unplaced: customers outside every cell (``-1`` in some dimension).
        unplaced_value: the value those customers hold.

    Examples:
        >>> table = Crosstab(
        ...     dimensions=("ring",), names=(("near", "far"),), names_zh=(None,), value="spend_fen",
        ...     counts=np.array([3, 1]), values=np.array([600, 200]), unplaced=1, unplaced_value=50,
        ... )
        >>> table.customer_shares.tolist(), table.value_shares.tolist()
        ([0.75, 0.25], [0.75, 0.25])
        >>> table.cell("far")
        (1, 200)
    """

    dimensions: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]
    names_zh: tuple[tuple[str, ...] | None, ...]
    value: str
    counts: NDArray[np.int64]
    values: NDArray[Any]
    unplaced: int
    unplaced_value: int | float

    @property
    def customer_shares(self) -> NDArray[np.float64]:
        """Each cell's share of the customers in cells (NaN when there are none)."""
        return _shares(self.counts)

    @property
    def value_shares(self) -> NDArray[np.float64]:
        """Each cell's share of the value in cells (NaN when it sums to 0)."""
        return _shares(self.values)

    def cell(self, *labels: str) -> tuple[int, int | float]:
        """Customers and value of the cell at ``labels``, one label name per dimension.

        Raises:
            KeyError: a label is not a name of its dimension.
        """
        if len(labels) != len(self.names):
            msg = f"expected {len(self.names)} labels, one per dimension, got {len(labels)}"
            raise KeyError(msg)
        where = []
        for label, names in zip(labels, self.names, strict=True):
            if label not in names:
                raise KeyError(label)
            where.append(names.index(label))
        at = tuple(where)
        return int(self.counts[at]), python_number(self.values[at])

    def to_pandas(self) -> Any:
        """One row per cell: the labels, customers, value and both shares (extra ``pandas``).

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> from aftersales_crm.segmentation import RegionRing, Sector, crosstab
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> df = crosstab(feats, RegionRing(), Sector()).to_pandas()
            >>> list(df.columns), len(df)
            (['RegionRing()', 'Sector()', 'customers', 'value', 'customer_share', 'value_share'], 12)
        """
        pd = require("pandas", extra="pandas")
        cells = list(itertools.product(*self.names))
        data: dict[str, Any] = {
            dimension: [cell[i] for cell in cells] for i, dimension in enumerate(self.dimensions)
        }
        data["customers"] = self.counts.reshape(-1)
        data["value"] = self.values.reshape(-1)
        data["customer_share"] = self.customer_shares.reshape(-1)
        data["value_share"] = self.value_shares.reshape(-1)
        return pd.DataFrame(data)


def _labels_of(dimension: Policy | Labels, features: FeatureTable) -> Labels:
    if isinstance(dimension, Labels):
        return dimension
    try:
        return dimension.assign(features)
    except NotFittedError:
        return dimension.fit(features).assign(features)


def crosstab(
    features: FeatureTable, *dimensions: Policy | Labels, value: str = "spend_fen"
) -> Crosstab:
    """Customers and value per cell of the given dimensions (交叉分析).

    Each dimension is a policy (any kind: a value tier, a dimension, a loyalty rule) or
    labels already assigned to the rows of ``features``. A population-relative policy that
    is not fitted yet is fitted on ``features``. Customers with ``-1`` in some dimension
    are left out of the cells and counted in ``unplaced``.

    Args:
        features: the customers.
        *dimensions: one or more policies or Labels.
        value: the numeric feature summed per cell (default ``"spend_fen"``, cumulative
            spend in fen, summed exactly as int64).

    Returns:
        A [`Crosstab`][aftersales_crm.segmentation.Crosstab] whose arrays have one axis per dimension.

    Raises:
        InvalidValue: no dimension, labels of another length, or ``value`` is not a
            numeric feature.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> from aftersales_crm.segmentation import ParetoABC, RegionRing
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> table = crosstab(feats, ParetoABC(), RegionRing())
        >>> table.names
        (('A', 'B', 'C'), ('within 5 km', '5–10 km', 'beyond 10 km'))
        >>> table.counts.tolist()
        [[3, 2, 1], [3, 5, 1], [7, 6, 2]]
        >>> int(table.values.sum()) == int(feats["spend_fen"].sum())
        True
    """
    if not dimensions:
        msg = "crosstab needs at least one dimension"
        raise InvalidValue(msg, code="invalid_parameter")
    amounts = numeric(features, crosstab, "value", value)
    found = [_labels_of(d, features) for d in dimensions]
    for i, labels in enumerate(found):
        if len(labels) != len(features):
            msg = f"dimension {i} has {len(labels)} labels for {len(features)} rows"
            raise InvalidValue(msg, code="invalid_parameter")
    names = [f"labels_{i}" if isinstance(d, Labels) else repr(d) for i, d in enumerate(dimensions)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name}#{seen[name]}"
    shape = tuple(len(labels.names) for labels in found)
    codes = np.stack([labels.codes.astype(np.intp) for labels in found])
    placed = (codes >= 0).all(axis=0)
    flat = np.ravel_multi_index(tuple(codes[:, placed]), shape)
    size = int(np.prod(shape))
    amounts = np.where(present(amounts), amounts, 0)
    counts = np.bincount(flat, minlength=size).astype(np.int64)
    sums = np.zeros(size, dtype=amounts.dtype)
    np.add.at(sums, flat, amounts[placed])
    return Crosstab(
        dimensions=tuple(names),
        names=tuple(labels.names for labels in found),
        names_zh=tuple(labels.names_zh for labels in found),
        value=value,
        counts=counts.reshape(shape),
        values=sums.reshape(shape),
        unplaced=int(np.count_nonzero(~placed)),
        unplaced_value=python_number(amounts[~placed].sum()),
    )
