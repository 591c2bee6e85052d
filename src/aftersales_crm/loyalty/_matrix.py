"""The loyalty × value matrix and its three strategies (DOMAIN.md §3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._optional import require
from aftersales_crm._params import Constraint, Instance, OrNone, SubsetOf, validate_params
from aftersales_crm._policy import BasePolicy, Labels, Policy, PolicyKind, check_is_fitted
from aftersales_crm.errors import InvalidValue
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty._interval import ServiceIntervalStatus
from aftersales_crm.segmentation import ParetoABC
from aftersales_crm.segmentation._common import MISSING, labels
from aftersales_crm.segmentation._levels import LEVEL_NAMES_ZH
from aftersales_crm.values import LabelledEnum, Lang
from aftersales_crm.values._text import display_width, pad_left, pad_right

__all__ = ["LoyaltyValueMatrix", "MatrixSummary", "Strategy"]

_SIDE: Final = 3
"""Three loyalty rows and three value columns."""


class Strategy(LabelledEnum):
    """What to do with the customers of a cell of the loyalty × value matrix (DOMAIN.md §3).

    Examples:
        >>> Strategy.INVEST.label("zh")
        '投入主要营销预算，鼓励持续消费'
        >>> [s.value for s in Strategy]
        ['keep', 'invest', 'win_back', 'none']
    """

    KEEP = (
        "keep",
        "loyal: most worth keeping; prevent churn, care, modest marketing budget",
        "维系：最值得保持；预防流失、关怀，少量营销预算",
    )
    INVEST = (
        "invest",
        "swinging: most of the marketing budget; encourage continued spending",
        "投入主要营销预算，鼓励持续消费",
    )
    WIN_BACK = (
        "win_back",
        "lost, high value: win-back programme",
        "高价值流失客户：开展挽回计划",
    )
    NONE = (
        "none",
        "lost, low value: no after-sales marketing budget",
        "低价值流失客户：不投入售后营销预算",
    )


@attrs.frozen(eq=False)
class MatrixSummary:
    """Customers per cell of the loyalty × value matrix.

    Attributes:
        counts: int64 array of shape (3, 3): rows A loyal / B swinging / C lost, columns
            D / G / S.
        row_names: the loyalty labels of the rows, in English.
        row_names_zh: the same in Chinese, when the loyalty rule has them.
        column_names: the value labels of the columns, in English.
        column_names_zh: the same in Chinese, when the value policy has them.
        unplaced: customers outside the matrix (no loyalty status or no value class).

    Examples:
        >>> summary = MatrixSummary(
        ...     counts=np.arange(9).reshape(3, 3), row_names=("loyal", "swinging", "lost"),
        ...     row_names_zh=None, column_names=("A", "B", "C"), column_names_zh=None, unplaced=2,
        ... )
        >>> summary.count("BG"), summary.total
        (4, 36)
        >>> print(summary)
                   D (A)  G (B)  S (C)
        A loyal        0      1      2
        B swinging     3      4      5
        C lost         6      7      8
    """

    counts: NDArray[np.int64]
    row_names: tuple[str, ...]
    row_names_zh: tuple[str, ...] | None
    column_names: tuple[str, ...]
    column_names_zh: tuple[str, ...] | None
    unplaced: int

    @property
    def total(self) -> int:
        """Customers in the matrix."""
        return int(self.counts.sum())

    def count(self, cell: str) -> int:
        """Customers in ``cell`` ("AD" … "CS").

        Raises:
            KeyError: not a cell of the matrix.
        """
        row, column = LoyaltyValueMatrix.position(cell)
        return int(self.counts[row, column])

    def format(self, lang: Lang = "en") -> str:
        """The matrix as a small text table, with the row and column labels in ``lang``.

        Examples:
            >>> summary = MatrixSummary(np.ones((3, 3), dtype=np.int64), ("忠", "摇", "流"),
            ...     None, ("x", "y", "z"), ("甲", "乙", "丙"), 0)
            >>> print(summary.format("zh").splitlines()[0])
                 D (甲)  G (乙)  S (丙)
        """
        rows = self.row_names_zh if lang == "zh" and self.row_names_zh else self.row_names
        columns = (
            self.column_names_zh if lang == "zh" and self.column_names_zh else self.column_names
        )
        heads = [f"{r} {name}" for r, name in zip(LoyaltyValueMatrix.ROWS, rows, strict=True)]
        tops = [
            f"{c} ({name})" for c, name in zip(LoyaltyValueMatrix.COLUMNS, columns, strict=True)
        ]
        left = max(display_width(h) for h in heads)
        widths = [
            max(display_width(t), *(len(str(v)) for v in self.counts[:, j]))
            for j, t in enumerate(tops)
        ]
        lines = [
            " " * left + "".join(f"  {pad_left(t, w)}" for t, w in zip(tops, widths, strict=True))
        ]
        for i, head in enumerate(heads):
            cells = "".join(f"  {int(v):>{w}}" for v, w in zip(self.counts[i], widths, strict=True))
            lines.append(pad_right(head, left) + cells)
        return "\n".join(lines)

    def __str__(self) -> str:
        """The matrix as text, labels in English."""
        return self.format()

    def to_pandas(self) -> Any:
        """The counts as a DataFrame, rows A/B/C and columns D/G/S (extra ``pandas``).

        Examples:
            >>> summary = MatrixSummary(np.ones((3, 3), dtype=np.int64), ("a", "b", "c"),
            ...     None, ("x", "y", "z"), None, 0)
            >>> summary.to_pandas().loc["B", "S"]
            np.int64(1)
        """
        pd = require("pandas", extra="pandas")
        return pd.DataFrame(
            self.counts,
            index=pd.Index(LoyaltyValueMatrix.ROWS, name="loyalty"),
            columns=pd.Index(LoyaltyValueMatrix.COLUMNS, name="value"),
        )


class LoyaltyValueMatrix(BasePolicy):
    """The loyalty × value matrix (忠诚度 × 价值矩阵): cells AD … CS and their strategies.

    Rows are the loyalty rule's three labels, A loyal (忠诚) / B swinging (摇摆) / C lost
    (流失); columns are the value policy's three classes, D / G / S (diamond 钻石 / gold
    黄金 / silver 白银). A customer's cell is the row letter followed by the column letter
    ("AD", "BG", "CS"…); a customer without a loyalty status or a value class gets ``-1``.

    Each cell has a strategy (:meth:`strategy_of`, :meth:`strategies`): loyal rows are
    kept with care (:attr:`Strategy.KEEP`), swinging rows get most of the marketing budget
    (:attr:`Strategy.INVEST`), lost customers of the ``win_back`` columns get a win-back
    programme (:attr:`Strategy.WIN_BACK`) and the other lost customers none
    (:attr:`Strategy.NONE`).

    The default value policy is :class:`~aftersales_crm.segmentation.ParetoABC` read as
    A → D, B → G, C → S, which makes the matrix population-relative: ``fit`` fits both
    parts (a part that is not population-relative is fitted as a plain copy).

    Attributes:
        loyalty: a loyalty rule with three labels, best first (default None: a
            :class:`ServiceIntervalStatus` with its defaults).
        value: a policy with three value classes, highest first (default None: a
            :class:`~aftersales_crm.segmentation.ParetoABC` with its defaults).
        win_back: the value columns whose lost customers are worth a win-back programme
            (default D and G, :attr:`DEFAULT_WIN_BACK`); ``("D",)`` keeps the programme
            for the diamond column alone.
        loyalty_: fitted: the fitted loyalty rule.
        value_: fitted: the fitted value policy.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> matrix = LoyaltyValueMatrix().fit(feats)
        >>> cells = matrix.assign(feats)
        >>> cells.counts()
        {'AD': 3, 'AG': 5, 'AS': 6, 'BD': 2, 'BG': 1, 'BS': 1, 'CD': 1, 'CG': 3, 'CS': 6}
        >>> matrix.strategy_of("CD").value, matrix.strategy_of("CS").label("zh")
        ('win_back', '低价值流失客户：不投入售后营销预算')
        >>> matrix.strategies(cells).counts()
        {'keep': 14, 'invest': 4, 'win_back': 4, 'none': 6}
        >>> LoyaltyValueMatrix(win_back=("D",)).strategies(cells).counts()
        {'keep': 14, 'invest': 4, 'win_back': 1, 'none': 9}

    References:
        DOMAIN.md §2 (value ABC) and §3 (the loyalty × value matrix, rows A loyal / B
        swinging / C lost, columns D / G / S, and its three strategies).
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = True

    ROWS: ClassVar[tuple[str, str, str]] = ("A", "B", "C")
    """Row letters: A loyal, B swinging, C lost (DOMAIN.md §3)."""

    COLUMNS: ClassVar[tuple[str, str, str]] = ("D", "G", "S")
    """Column letters: D diamond, G gold, S silver (DOMAIN.md §3)."""

    COLUMN_NAMES_ZH: ClassVar[tuple[str, ...]] = tuple(
        LEVEL_NAMES_ZH[level] for level in ("diamond", "gold", "silver")
    )
    """The Chinese names of the columns: those of the member levels diamond, gold, silver."""

    DEFAULT_WIN_BACK: ClassVar[tuple[str, ...]] = ("D", "G")
    """The lost customers worth a win-back programme: diamond and gold. DOMAIN.md §3 says
    "high value"; with the default Pareto columns D and G are the top half of customers,
    who bring 90–95% of value (§2), and S the price-driven rest."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "loyalty": OrNone(Instance(Policy, "a policy (fit and assign)")),
        "value": OrNone(Instance(Policy, "a policy (fit and assign)")),
        "win_back": SubsetOf(COLUMNS, what="column letters"),
    }
    """The two parts are policies (or None for the defaults); win_back holds column letters."""

    loyalty_: Policy
    value_: Policy

    def __init__(
        self,
        *,
        loyalty: Policy | None = None,
        value: Policy | None = None,
        win_back: tuple[str, ...] = DEFAULT_WIN_BACK,
    ) -> None:
        self.loyalty = loyalty
        self.value = value
        self.win_back = win_back

    @classmethod
    def cells(cls) -> tuple[str, ...]:
        """The nine cells, row by row: AD, AG, AS, BD, … CS.

        Examples:
            >>> LoyaltyValueMatrix.cells()[:4]
            ('AD', 'AG', 'AS', 'BD')
        """
        return tuple(r + c for r in cls.ROWS for c in cls.COLUMNS)

    @classmethod
    def position(cls, cell: str) -> tuple[int, int]:
        """The row and column index of ``cell``.

        Raises:
            KeyError: not a cell of the matrix.

        Examples:
            >>> LoyaltyValueMatrix.position("BS")
            (1, 2)
        """
        if not isinstance(cell, str) or cell not in cls.cells():
            raise KeyError(cell)
        return cls.ROWS.index(cell[0]), cls.COLUMNS.index(cell[1])

    def strategy_of(self, cell: str) -> Strategy:
        """The strategy for the customers of ``cell``.

        Raises:
            KeyError: not a cell of the matrix.
            InvalidValue: ``win_back`` is not a collection of column letters.

        Examples:
            >>> matrix = LoyaltyValueMatrix()
            >>> matrix.strategy_of("AS"), matrix.strategy_of("BD"), matrix.strategy_of("CG")
            (<Strategy.KEEP: 'keep'>, <Strategy.INVEST: 'invest'>, <Strategy.WIN_BACK: 'win_back'>)
            >>> LoyaltyValueMatrix(win_back=("D",)).strategy_of("CG")
            <Strategy.NONE: 'none'>
        """
        row, _ = self.position(cell)
        if row == 0:
            return Strategy.KEEP
        if row == 1:
            return Strategy.INVEST
        return Strategy.WIN_BACK if cell[1] in self._win_back() else Strategy.NONE

    def _win_back(self) -> frozenset[str]:
        columns: frozenset[str] = validate_params(self, "win_back")["win_back"]
        return columns

    def _parts(self) -> tuple[Policy, Policy]:
        params = validate_params(self, "loyalty", "value")
        loyalty = ServiceIntervalStatus() if params["loyalty"] is None else params["loyalty"]
        value = ParetoABC() if params["value"] is None else params["value"]
        return loyalty, value

    def _fit(self, features: FeatureTable) -> None:
        loyalty, value = self._parts()
        self.loyalty_ = loyalty.fit(features)
        self.value_ = value.fit(features)

    def _three(self, parameter: str, found: Labels, rows: int) -> Labels:
        if len(found.names) != _SIDE or len(found) != rows:
            msg = (
                f"{type(self).__name__}: {parameter} must give 3 labels per row, best first;"
                f" it gave names {found.names} for {len(found)} of {rows} rows"
            )
            raise InvalidValue(msg, code="invalid_parameter")
        return found

    def _both(self, features: FeatureTable) -> tuple[Labels, Labels]:
        check_is_fitted(self)
        loyalty = self._three("loyalty", self.loyalty_.assign(features), len(features))
        value = self._three("value", self.value_.assign(features), len(features))
        return loyalty, value

    def assign(self, features: FeatureTable) -> Labels:
        """The cell of each row, AD … CS; ``-1`` without a loyalty status or value class.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, named by :meth:`cells`.

        Raises:
            NotFittedError: before :meth:`fit`.
            InvalidValue: a part does not give three labels, or fails on ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> LoyaltyValueMatrix().fit(feats).assign(feats).values("zh").tolist()
            ['流失·白银', '流失·黄金', '忠诚·黄金', '忠诚·白银', '摇摆·钻石']
        """
        loyalty, value = self._both(features)
        placed = (loyalty.codes >= 0) & (value.codes >= 0)
        codes = np.where(placed, loyalty.codes * _SIDE + value.codes, MISSING).astype(np.int16)
        rows_zh = loyalty.names_zh or loyalty.names
        names_zh = [f"{r}·{c}" for r in rows_zh for c in self.COLUMN_NAMES_ZH]
        return labels(codes, self.cells(), names_zh)

    def strategies(self, cells: Labels) -> Labels:
        """The strategy of each row, from the cells :meth:`assign` gave.

        Args:
            cells: labels from :meth:`assign`.

        Returns:
            Labels of :class:`Strategy` values (Chinese names included), ``-1`` where the
            cell is.

        Raises:
            InvalidValue: ``cells`` are not labels of the nine cells.

        Examples:
            >>> from aftersales_crm.policies import Labels
            >>> cells = Labels(np.array([0, 4, 7, 8, -1]), LoyaltyValueMatrix.cells())
            >>> LoyaltyValueMatrix().strategies(cells).values().tolist()
            ['keep', 'invest', 'win_back', 'none', None]
        """
        if cells.names != self.cells():
            msg = f"expected labels of the cells {self.cells()}, got names {cells.names}"
            raise InvalidValue(msg, code="invalid_parameter")
        order = list(Strategy)
        table = np.array([order.index(self.strategy_of(c)) for c in self.cells()], dtype=np.int16)
        codes = np.where(cells.codes >= 0, table[cells.codes], MISSING)
        return labels(codes, [s.value for s in order], [s.label("zh") for s in order])

    def matrix(self, features: FeatureTable) -> MatrixSummary:
        """Customers per cell, as a 3 × 3 table.

        Args:
            features: the customers.

        Returns:
            A :class:`MatrixSummary`.

        Raises:
            NotFittedError: before :meth:`fit`.
            InvalidValue: a part does not give three labels, or fails on ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> print(LoyaltyValueMatrix().fit(feats).matrix(feats).format("zh"))
                    D (A类)  G (B类)  S (C类)
            A 忠诚        3        5        6
            B 摇摆        2        1        1
            C 流失        1        3        6
        """
        loyalty, value = self._both(features)
        placed = (loyalty.codes >= 0) & (value.codes >= 0)
        flat = loyalty.codes[placed].astype(np.intp) * _SIDE + value.codes[placed]
        counts = np.bincount(flat, minlength=_SIDE * _SIDE).astype(np.int64)
        return MatrixSummary(
            counts=counts.reshape(_SIDE, _SIDE),
            row_names=loyalty.names,
            row_names_zh=loyalty.names_zh,
            column_names=value.names,
            column_names_zh=value.names_zh,
            unplaced=int(np.count_nonzero(~placed)),
        )
