"""The loyalty × value matrix of the material (客户细分矩阵) and its strategies 策略1/2/3."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import language
from aftersales_crm._display import Displayed, Head
from aftersales_crm._optional import require
from aftersales_crm._params import Constraint, Instance, OrNone, SubsetOf, validate_params
from aftersales_crm._policy import BasePolicy, Labels, Policy, PolicyKind, check_is_fitted
from aftersales_crm.errors import InvalidValue, UnknownNameError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty._status import LoyaltyStatus
from aftersales_crm.segmentation import MemberValue
from aftersales_crm.segmentation._common import MISSING, labels
from aftersales_crm.values import LabelledEnum, Lang, Material, Quote
from aftersales_crm.values._text import display_width, pad_left, pad_right

__all__ = ["LoyaltyValueMatrix", "MatrixSummary", "Strategy"]

_SIDE: Final = 3
"""Three loyalty rows and three value columns."""

_ROW_LETTERS: Final = ("A", "B", "C")
_COLUMN_LETTERS: Final = ("D", "G", "S")
_DGS: Final = ("diamond", "gold", "silver")
"""The value classes the letters D / G / S stand for (D钻石客户, G黄金客户, S白银客户)."""

_EMPTY_ROW: Final = "—"
"""The name of the swinging row under a two-label loyalty rule, which leaves it empty."""


def _default_value() -> Policy:
    """The default value part: member value in three classes, diamond / gold / silver."""
    return MemberValue.diamond_gold_silver()


class Strategy(LabelledEnum):
    """The strategies of the material's matrix (策略1/2/3), in its own words.

    《斯柯达车友汇客户关爱总监培训教材》 puts three numbered strategies beside the
    客户细分矩阵 and four texts: one for the loyal row, one for the swinging row, and two
    for the lost row, split by value. Each member's Chinese label is the text word for
    word (the document's ASCII commas included), its English label a faithful
    translation; [`quote`][aftersales_crm.loyalty.Strategy.quote] gives both as a [`Quote`][aftersales_crm.values.Quote].

    The extracted slide lists "策略3策略2策略1" before the texts without tying each number
    to a row; the library reads 策略1 as the loyal row (A), 策略2 as the swinging row (B)
    and 策略3 as the lost row (C), which has the two lost texts ([`number`][aftersales_crm.loyalty.Strategy.number]). The
    values ``keep`` / ``invest`` / ``win_back`` / ``none`` are the library's stable names.

    Examples:
        >>> Strategy.INVEST.label("zh")
        '亟待保留的客户,已处于摇摆状态,最需要投入营销预算,鼓励延长消费的群体'
        >>> [(s.value, s.number) for s in Strategy]
        [('keep', 1), ('invest', 2), ('win_back', 3), ('none', 3)]
        >>> print(Strategy.NONE.quote)
        《斯柯达车友汇客户关爱总监培训教材》: “已流失,不需要投入售后营销预算”
    """

    KEEP = (
        "keep",
        (
            "customers most worth keeping: prevention first, effective customer care;"
            " appropriate marketing spending is enough"
        ),
        "最具保留价值的客户,以预防为主,开展有效的客户关怀,适当的营销费用即可",
    )
    INVEST = (
        "invest",
        (
            "customers urgently to be kept, already swinging: the group that most needs the"
            " marketing budget, encouraged to extend their spending"
        ),
        "亟待保留的客户,已处于摇摆状态,最需要投入营销预算,鼓励延长消费的群体",
    )
    WIN_BACK = (
        "win_back",
        (
            "high value, already lost: focus on customer win-back programmes to bring them"
            " back to spend in the network"
        ),
        "价值高已流失,着重通过客户赢回方案促进再次入网消费",
    )
    NONE = (
        "none",
        "already lost: no after-sales marketing budget needs to be invested",
        "已流失,不需要投入售后营销预算",
    )

    @property
    def number(self) -> int:
        """The material's number of the strategy: 1 loyal, 2 swinging, 3 lost (both texts).

        Examples:
            >>> Strategy.WIN_BACK.number, Strategy.WIN_BACK.heading("zh")
            (3, '策略3')
        """
        return {"keep": 1, "invest": 2}.get(self.value, 3)

    def heading(self, lang: Lang = "en") -> str:
        """The strategy's number as the material writes it ("策略1"), or in English.

        Examples:
            >>> Strategy.KEEP.heading(), Strategy.KEEP.heading("zh")
            ('strategy 1', '策略1')
        """
        return f"策略{self.number}" if language(lang) == "zh" else f"strategy {self.number}"

    @property
    def quote(self) -> Quote:
        """The text as a quote of the material, with its translation.

        Examples:
            >>> Strategy.KEEP.quote.source.citation
            '《斯柯达车友汇客户关爱总监培训教材》'
        """
        return Quote(Material.OWNERS_CLUB, self.label("zh"), self.label("en"))


def _column_heads(
    names: tuple[str, ...], names_zh: tuple[str, ...] | None, lang: Lang
) -> list[str]:
    """The column headers: "D 钻石" for the member classes, else the value part's own names."""
    shown = names_zh if language(lang) == "zh" and names_zh else names
    if names == _DGS:
        return [f"{c} {name}" for c, name in zip(_COLUMN_LETTERS, shown, strict=True)]
    return [f"class {name}" if len(name) == 1 and name.isascii() else name for name in shown]


@attrs.frozen(eq=False, repr=False)
class MatrixSummary(Displayed):
    """Customers per cell of the loyalty × value matrix.

    Headers: the rows are the row letter and the loyalty rule's name ("A 忠诚",
    "B swinging"); the columns are the column letter and the class name when the value
    part gives the member classes diamond / gold / silver ("D 钻石", "D diamond"), and
    otherwise the value part's own names ("A类"; a one-letter Latin name reads "class A",
    so that it is not taken for a row letter). The cell letters D / G / S
    stand for the column positions either way.

    Attributes:
        counts: int64 array of shape (3, 3): rows A loyal / B swinging / C lost, columns
            highest value first.
        row_names: the loyalty labels of the rows, in English.
        row_names_zh: the same in Chinese, when the loyalty rule has them.
        column_names: the value labels of the columns, in English.
        column_names_zh: the same in Chinese, when the value policy has them.
        unplaced: customers outside the matrix (no loyalty status or no value class).

    Examples:
        >>> summary = MatrixSummary(
        ...     counts=np.arange(9).reshape(3, 3), row_names=("loyal", "swinging", "lost"),
        ...     row_names_zh=None, column_names=("diamond", "gold", "silver"),
        ...     column_names_zh=("钻石", "黄金", "白银"), unplaced=2,
        ... )
        >>> summary.count("BG"), summary.total
        (4, 36)
        >>> print(summary)
                    D diamond  G gold  S silver
        A loyal             0       1         2
        B swinging          3       4         5
        C lost              6       7         8
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
            UnknownNameError: not a cell of the matrix (a ``KeyError``).
        """
        row, column = LoyaltyValueMatrix.position(cell)
        return int(self.counts[row, column])

    def row_heads(self, lang: Lang = "en") -> list[str]:
        """The row headers in ``lang``: letter and loyalty label.

        Examples:
            >>> MatrixSummary(np.ones((3, 3), dtype=np.int64), ("l", "s", "x"), ("忠", "摇", "流"),
            ...     ("A", "B", "C"), None, 0).row_heads("zh")
            ['A 忠', 'B 摇', 'C 流']
        """
        zh = language(lang) == "zh"
        rows = self.row_names_zh if zh and self.row_names_zh else self.row_names
        return [f"{r} {name}" for r, name in zip(_ROW_LETTERS, rows, strict=True)]

    def column_heads(self, lang: Lang = "en") -> list[str]:
        """The column headers in ``lang`` (see the class for the scheme).

        Examples:
            >>> MatrixSummary(np.ones((3, 3), dtype=np.int64), ("l", "s", "x"), None,
            ...     ("A", "B", "C"), ("A类", "B类", "C类"), 0).column_heads()
            ['class A', 'class B', 'class C']
        """
        return _column_heads(self.column_names, self.column_names_zh, lang)

    def format(self, lang: Lang = "en") -> str:
        """The matrix as a small text table, with the row and column labels in ``lang``.

        Examples:
            >>> summary = MatrixSummary(np.ones((3, 3), dtype=np.int64), ("忠", "摇", "流"),
            ...     None, ("A", "B", "C"), ("A类", "B类", "C类"), 0)
            >>> print(summary.format("zh").splitlines()[0])
                    A类  B类  C类
        """
        heads = self.row_heads(lang)
        tops = self.column_heads(lang)
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

    def to_pandas(self, lang: Lang = "en") -> Any:
        """The counts as a DataFrame, labelled by the headers of [`format`][aftersales_crm.loyalty.MatrixSummary.format] (extra ``pandas``).

        The rows keep the loyalty names beside their letters ("A loyal", "B 摇摆"), the
        columns the value classes ("D diamond"); both are ordered categoricals, best
        first, named ``loyalty`` and ``value``.

        Examples:
            >>> summary = MatrixSummary(np.ones((3, 3), dtype=np.int64), ("loyal", "swinging", "lost"),
            ...     None, ("diamond", "gold", "silver"), None, 0)
            >>> frame = summary.to_pandas()
            >>> frame.index.tolist(), frame.loc["B swinging", "S silver"]
            (['A loyal', 'B swinging', 'C lost'], np.int64(1))
        """
        pd = require("pandas", extra="pandas")
        rows, columns = self.row_heads(lang), self.column_heads(lang)
        return pd.DataFrame(
            self.counts,
            index=pd.CategoricalIndex(rows, categories=rows, ordered=True, name="loyalty"),
            columns=pd.CategoricalIndex(columns, categories=columns, ordered=True, name="value"),
        )

    def _display_size(self, head: Head) -> str:
        return f"{self.total:,} customers in the matrix, {self.unplaced:,} outside"


class LoyaltyValueMatrix(BasePolicy):
    """The loyalty × value matrix (客户细分矩阵): cells AD … CS and their strategies.

    The matrix of 《斯柯达车友汇客户关爱总监培训教材》: rows "A忠诚客户", "B摇摆客户",
    "C流失客户" (A loyal / B swinging / C lost) and columns "D钻石客户", "G黄金客户",
    "S白银客户" (D diamond / G gold / S silver), the customer-value classes of its value
    model. A customer's cell is the row letter followed by the column letter ("AD", "BG",
    "CS"…); a customer without a loyalty status or a value class gets ``-1``.

    Rows (``loyalty``): any loyalty rule with three labels, best first, or with two
    labels, read as first label → row A and second label → row C, row B staying empty,
    so that the material's own category ``FirstMaintenanceReturn`` (loyal /
    not_loyal) plugs in. The default is [`LoyaltyStatus`][aftersales_crm.loyalty.LoyaltyStatus], the material's category
    combined with the service interval (the library's reading of where the rows end).

    Columns (``value``): any policy with three value classes, highest first. The default
    is member value in three classes, ``MemberValue(levels=(0.8, 0.5),
    names=("diamond", "gold", "silver"))``: material value, dealer loyalty and activity
    as the material's value model lists them, with D the top 20% of scores, G the next
    30% and S the other 50% (the library's choice, mirroring the 20 / 30 / 50 split of
    the value ABC classes). [`ParetoABC`][aftersales_crm.segmentation.ParetoABC] works as a
    value part too, shown under its own names (A类 / B类 / C类). Since the default value
    part is population-relative, ``fit`` fits both parts (a part that is not
    population-relative is fitted as a plain copy).

    Each cell has a strategy of the material ([`Strategy`][aftersales_crm.loyalty.Strategy], [`strategy_of`][aftersales_crm.loyalty.LoyaltyValueMatrix.strategy_of]):
    the loyal row 策略1 ([`Strategy.KEEP`][aftersales_crm.loyalty.Strategy]), the swinging row 策略2
    ([`Strategy.INVEST`][aftersales_crm.loyalty.Strategy]), and in the lost row 策略3, a win-back programme for the
    high-value ``win_back`` columns ([`Strategy.WIN_BACK`][aftersales_crm.loyalty.Strategy]) and no after-sales
    marketing budget for the others ([`Strategy.NONE`][aftersales_crm.loyalty.Strategy]).

    Attributes:
        loyalty: a loyalty rule with three labels (or two), best first (default None: a
            [`LoyaltyStatus`][aftersales_crm.loyalty.LoyaltyStatus] with its defaults).
        value: a policy with three value classes, highest first (default None: member
            value in diamond / gold / silver).
        win_back: the value columns whose lost customers count as high value, worth a
            win-back programme (default D and G, [`DEFAULT_WIN_BACK`][aftersales_crm.loyalty.LoyaltyValueMatrix.DEFAULT_WIN_BACK]); ``("D",)``
            keeps the programme for the diamond column alone.
        loyalty_: fitted: the fitted loyalty rule.
        value_: fitted: the fitted value policy.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
        >>> matrix = LoyaltyValueMatrix().fit(feats)
        >>> cells = matrix.assign(feats)
        >>> cells.counts()
        {'AD': 3, 'AG': 6, 'AS': 4, 'BD': 2, 'BG': 1, 'BS': 1, 'CD': 1, 'CG': 2, 'CS': 8}
        >>> matrix.strategy_of("CD").value, matrix.strategy_of("CS").label("zh")
        ('win_back', '已流失,不需要投入售后营销预算')
        >>> matrix.strategies(cells).counts()
        {'keep': 13, 'invest': 4, 'win_back': 3, 'none': 8}
        >>> LoyaltyValueMatrix(win_back=("D",)).strategies(cells).counts()
        {'keep': 13, 'invest': 4, 'win_back': 1, 'none': 10}
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = True

    ROWS: ClassVar[tuple[str, str, str]] = _ROW_LETTERS
    """Row letters: A loyal, B swinging, C lost (A忠诚客户, B摇摆客户, C流失客户)."""

    COLUMNS: ClassVar[tuple[str, str, str]] = _COLUMN_LETTERS
    """Column letters: D diamond, G gold, S silver (D钻石客户, G黄金客户, S白银客户)."""

    DEFAULT_WIN_BACK: ClassVar[tuple[str, ...]] = ("D", "G")
    """The lost customers worth a win-back programme: diamond and gold. The material says
    "价值高已流失" (high value, already lost) without naming the columns; the library reads
    the two upper classes, the top half of customers by value score, as high value."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "loyalty": OrNone(Instance(Policy, "a policy (fit and assign)")),
        "value": OrNone(Instance(Policy, "a policy (fit and assign)")),
        "win_back": SubsetOf(_COLUMN_LETTERS, what="column letters"),
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
            UnknownNameError: not a cell of the matrix (a ``KeyError``).

        Examples:
            >>> LoyaltyValueMatrix.position("BS")
            (1, 2)
        """
        if not isinstance(cell, str) or cell not in cls.cells():
            msg = (
                f"{cell!r:.40} is not a cell of the matrix; the cells are {', '.join(cls.cells())}"
            )
            raise UnknownNameError(msg)
        return cls.ROWS.index(cell[0]), cls.COLUMNS.index(cell[1])

    def strategy_of(self, cell: str) -> Strategy:
        """The strategy for the customers of ``cell``.

        Raises:
            UnknownNameError: not a cell of the matrix (a ``KeyError``).
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
        loyalty = LoyaltyStatus() if params["loyalty"] is None else params["loyalty"]
        value = _default_value() if params["value"] is None else params["value"]
        return loyalty, value

    def _fit(self, features: FeatureTable) -> None:
        loyalty, value = self._parts()
        self.loyalty_ = loyalty.fit(features)
        self.value_ = value.fit(features)

    def _check(self, parameter: str, found: Labels, counts: tuple[int, ...], rows: int) -> None:
        if len(found.names) not in counts or len(found) != rows:
            wanted = " or ".join(map(str, counts))
            msg = (
                f"{type(self).__name__}: {parameter} must give {wanted} labels per row, best"
                f" first; it gave names {found.names} for {len(found)} of {rows} rows"
            )
            raise InvalidValue(msg, code="invalid_parameter")

    def _both(self, features: FeatureTable) -> tuple[Labels, Labels]:
        """The loyalty rows (two labels spread to rows A and C) and the value columns."""
        check_is_fitted(self)
        loyalty = self.loyalty_.assign(features)
        self._check("loyalty", loyalty, (2, _SIDE), len(features))
        value = self.value_.assign(features)
        self._check("value", value, (_SIDE,), len(features))
        if len(loyalty.names) == _SIDE:
            return loyalty, value
        codes = np.where(loyalty.codes > 0, loyalty.codes * 2, loyalty.codes)
        zh = loyalty.names_zh
        rows = labels(
            codes.astype(np.int16),
            (loyalty.names[0], _EMPTY_ROW, loyalty.names[1]),
            None if zh is None else (zh[0], _EMPTY_ROW, zh[1]),
        )
        return rows, value

    def assign(self, features: FeatureTable) -> Labels:
        """The cell of each row, AD … CS; ``-1`` without a loyalty status or value class.

        Args:
            features: the customers.

        Returns:
            Labels aligned with the rows of ``features``, named by [`cells`][aftersales_crm.loyalty.LoyaltyValueMatrix.cells]; the
            Chinese names join the two parts' names ("忠诚·钻石").

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a part gives another number of labels, or fails on ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(5, seed=1), as_of=date(2026, 6, 30))
            >>> LoyaltyValueMatrix().fit(feats).assign(feats).values("zh").tolist()
            ['流失·白银', '流失·白银', '忠诚·钻石', '忠诚·白银', '摇摆·黄金']
        """
        loyalty, value = self._both(features)
        placed = (loyalty.codes >= 0) & (value.codes >= 0)
        codes = np.where(placed, loyalty.codes * _SIDE + value.codes, MISSING).astype(np.int16)
        rows_zh = loyalty.names_zh or loyalty.names
        columns_zh = value.names_zh or value.names
        names_zh = [f"{r}·{c}" for r in rows_zh for c in columns_zh]
        return labels(codes, self.cells(), names_zh)

    def strategies(self, cells: Labels) -> Labels:
        """The strategy of each row, from the cells [`assign`][aftersales_crm.loyalty.LoyaltyValueMatrix.assign] gave.

        Args:
            cells: labels from [`assign`][aftersales_crm.loyalty.LoyaltyValueMatrix.assign].

        Returns:
            Labels of [`Strategy`][aftersales_crm.loyalty.Strategy] values (Chinese names included), ``-1`` where the
            cell is.

        Raises:
            InvalidValue: ``cells`` are not labels of the nine cells.

        Examples:
            >>> from aftersales_crm.policies import Labels
            >>> cells = Labels(np.array([0, 4, 7, 8, -1]), LoyaltyValueMatrix.cells())
            >>> LoyaltyValueMatrix().strategies(cells).values().tolist()
            ['keep', 'invest', 'win_back', 'none', None]
        """
        given: object = cells
        if not isinstance(given, Labels):
            msg = f"cells is {type(given).__name__} {given!r:.80}, expected the Labels of assign()"
            raise InvalidValue(msg, code="invalid_argument")
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
            A [`MatrixSummary`][aftersales_crm.loyalty.MatrixSummary].

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a part gives another number of labels, or fails on ``features``.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(30, seed=1), as_of=date(2026, 6, 30))
            >>> print(LoyaltyValueMatrix().fit(feats).matrix(feats).format("zh"))
                    D 钻石  G 黄金  S 白银
            A 忠诚       3       6       4
            B 摇摆       2       1       1
            C 流失       1       2       8
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
