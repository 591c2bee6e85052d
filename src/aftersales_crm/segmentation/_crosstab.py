"""Cross-tabulation of segmentation dimensions: customers and value per cell."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import language
from aftersales_crm._display import Displayed, Head, MoneyUnit, major_units, snake_name
from aftersales_crm._optional import require
from aftersales_crm._policy import Labels, Policy
from aftersales_crm.errors import InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.segmentation._common import numeric, present, python_number
from aftersales_crm.values import Lang

__all__ = ["Crosstab", "crosstab"]


def _shares(part: NDArray[Any]) -> NDArray[np.float64]:
    total = part.sum()
    if not total:
        return np.full(part.shape, np.nan)
    return np.asarray(part / total, dtype=np.float64)


@attrs.frozen(eq=False, repr=False)
class Crosstab(Displayed):
    """Customers and the sum of a value in each cell of one or more dimensions.

    Attributes:
        dimensions: a name per dimension: the policy's short name (``"pareto_abc"``,
            ``"region_ring"``), the name of labels given directly, else ``labels_<i>``;
            ``#2``, ``#3`` follow a name given again.
        names: per dimension, its label names (the cells' coordinates).
        names_zh: per dimension, its Chinese label names, or None.
        value: the feature summed (``"spend_fen"``).
        counts: int64 array of shape (len(names[0]), len(names[1]), …): customers per cell.
        values: array of the same shape: the value summed per cell (int64 for integer
            columns such as fen, float64 otherwise; NaN values count as 0).
        unplaced: customers outside every cell (``-1`` in some dimension).
        unplaced_value: the value those customers hold.
        currency: the currency of a money value (``*_fen``, minor units).

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
    currency: str = "CNY"

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

    def to_pandas(self, lang: Lang = "en", *, money: MoneyUnit = "minor") -> Any:
        """One row per cell: customers, value and both shares (extra ``pandas``).

        The index holds the cell: one level per dimension, named by ``dimensions``,
        each an ordered categorical of its label names in ``lang`` in the labels' order
        (best first), so ``frame["customers"].unstack()`` gives the table. The columns
        are ``customers``, the value under its feature name (``spend_fen``, integer fen;
        ``spend``, Decimal yuan, with ``money="major"``), ``customer_share`` and
        ``value_share``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> from aftersales_crm.segmentation import ParetoABC, RegionRing, crosstab
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> df = crosstab(feats, ParetoABC(), RegionRing()).to_pandas()
            >>> list(df.index.names), list(df.columns), len(df)
            (['pareto_abc', 'region_ring'], ['customers', 'spend_fen', 'customer_share', 'value_share'], 9)
            >>> print(df["customers"].unstack())
            region_ring  within 5 km  5–10 km  beyond 10 km
            pareto_abc
            A                      3        2             1
            B                      3        5             1
            C                      7        6             2
            >>> crosstab(feats, ParetoABC()).to_pandas("zh", money="major").loc["A类", "spend"]
            Decimal('204034.42')
        """
        pd = require("pandas", extra="pandas")
        zh = language(lang) == "zh"
        shown = [
            list(names_zh if zh and names_zh is not None else names)
            for names, names_zh in zip(self.names, self.names_zh, strict=True)
        ]
        levels = [
            pd.CategoricalIndex(names, categories=names, ordered=True, name=dimension)
            for dimension, names in zip(self.dimensions, shown, strict=True)
        ]
        index = levels[0] if len(levels) == 1 else pd.MultiIndex.from_product(levels)
        frame = pd.DataFrame(
            {
                "customers": self.counts.reshape(-1),
                self.value: self.values.reshape(-1),
                "customer_share": self.customer_shares.reshape(-1),
                "value_share": self.value_shares.reshape(-1),
            },
            index=index,
        )
        return major_units(frame, money, currency=self.currency)

    def _display_title(self) -> str:
        return f"Crosstab of {' × '.join(self.dimensions)}"

    def _display_size(self, head: Head) -> str:
        placed = int(self.counts.sum())
        return f"{head.total:,} cells, {placed:,} customers, {self.unplaced:,} unplaced"


def _labels_of(dimension: Policy | Labels, features: FeatureTable) -> Labels:
    if isinstance(dimension, Labels):
        return dimension
    try:
        return dimension.assign(features)
    except NotFittedError:
        return dimension.fit(features).assign(features)


def _name_of(dimension: Policy | Labels, labels: Labels, i: int) -> str:
    if isinstance(dimension, Labels):
        return labels.name or f"labels_{i}"
    return labels.name or str(
        getattr(type(dimension), "short_name", snake_name(type(dimension).__name__))
    )


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
    names = [
        _name_of(d, labels, i) for i, (d, labels) in enumerate(zip(dimensions, found, strict=True))
    ]
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
        currency=features.currency,
    )
