"""Survey instruments: scales, items, factors and the instrument that holds them.

An [`Instrument`][aftersales_crm.satisfaction.Instrument] is data, like a policy's parameters: an id and a version, its
factors (CSI factors, SERVQUAL dimensions), each with its items, and optional factor
weights. Each [`Item`][aftersales_crm.satisfaction.Item] has its own [`Scale`][aftersales_crm.satisfaction.Scale] (1–10, 0–10, 1–7, a 5-point Likert
scale), asks for a perception, an expectation or both ([`Asks`][aftersales_crm.satisfaction.Asks]), and may be
reverse-scored. The versioned presets (China CSI, SSI, SERVQUAL, NPS) and the registry of
built-in instruments are in [`aftersales_crm.satisfaction`][aftersales_crm.satisfaction] (``INSTRUMENTS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import MAX_RATING
from aftersales_crm.values import LabelledEnum

__all__ = [
    "ELEVEN_POINT",
    "LIKERT_5",
    "MAX_RATING",
    "SEVEN_POINT",
    "TEN_POINT",
    "Asks",
    "Factor",
    "Instrument",
    "Item",
    "Scale",
]

_ID: Final = re.compile(r"[^\s@]{1,64}")
"""Item, factor and instrument ids: 1 to 64 characters, no white space and no ``@``."""


def _id(owner: str, field: str, value: object) -> str:
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        msg = f"{owner}: {field} is {value!r:.80}, expected 1 to 64 characters without white space or '@'"
        raise InvalidValue(msg, code="instrument_id")
    return value


def _text(owner: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"{owner}: {field} is {value!r:.80}, expected a non-empty text"
        raise InvalidValue(msg, code="instrument_text")
    return value


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return values  # type: ignore[return-value]  # refused by the owner's check, by name
    return tuple(values)


def _maybe_tuple(values: Iterable[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else _tuple(values)


def normalised(weights: Sequence[float], *, owner: str, field: str) -> NDArray[np.float64]:
    """``weights`` divided by their sum, after checking they are finite, >= 0 and not all 0.

    Weights are often published in percent that sum to 100 ± 1 (rounding); dividing by the
    sum makes them sum to 1 whatever their unit.

    Examples:
        >>> normalised((24, 21, 21, 18, 17), owner="CSI", field="weights").round(4).tolist()
        [0.2376, 0.2079, 0.2079, 0.1782, 0.1683]
        >>> normalised((0, 0), owner="CSI", field="weights")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: CSI: weights (0, 0) sum to 0; give at least one weight above 0
    """
    if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
        msg = f"{owner}: {field} is {weights!r:.80}, expected a sequence of numbers"
        raise InvalidType(msg)
    given = tuple(weights)
    if not all(
        isinstance(w, int | float | np.integer | np.floating) and not isinstance(w, bool)
        for w in given
    ):
        msg = f"{owner}: {field} {given!r:.80} are not all numbers"
        raise InvalidType(msg)
    array = np.asarray(given, dtype=np.float64)
    if not np.isfinite(array).all() or (array < 0).any():
        msg = f"{owner}: {field} {given!r:.80} must be finite and >= 0"
        raise InvalidValue(msg, code="invalid_weights")
    total = float(array.sum())
    if total <= 0:
        msg = f"{owner}: {field} {given!r:.80} sum to 0; give at least one weight above 0"
        raise InvalidValue(msg, code="invalid_weights")
    out: NDArray[np.float64] = array / total
    return out


class Asks(LabelledEnum):
    """What an item asks the respondent for.

    Examples:
        >>> Asks.BOTH.label("zh"), Asks("perception").label()
        ('期望与感知', 'perception')
    """

    PERCEPTION = "perception", "perception", "感知"
    """The service as the respondent perceived it (实际获得值): a rating of what was delivered."""
    EXPECTATION = "expectation", "expectation", "期望"
    """What the respondent expected (期望值)."""
    BOTH = "both", "expectation and perception", "期望与感知"
    """A paired item: the expectation and the perception of the same attribute (SERVQUAL)."""

    @property
    def perception(self) -> bool:
        """Whether the item takes a perception.

        Examples:
            >>> Asks.BOTH.perception, Asks.EXPECTATION.perception
            (True, False)
        """
        return self is not Asks.EXPECTATION

    @property
    def expectation(self) -> bool:
        """Whether the item takes an expectation.

        Examples:
            >>> Asks.BOTH.expectation, Asks.PERCEPTION.expectation
            (True, False)
        """
        return self is not Asks.PERCEPTION


@attrs.frozen
class Scale:
    """A rating scale: whole points from ``low`` to ``high``, with optional labels.

    Attributes:
        low: the lowest point, >= 0.
        high: the highest point, above ``low`` and at most [`MAX_RATING`][aftersales_crm.satisfaction.MAX_RATING].
        name: what the scale is called (``"1–10"``).
        labels: no labels, the labels of the two ends, or one label per point.

    Raises:
        InvalidValue: the points are not whole, out of order or out of range, or the
            labels do not fit the points.

    Examples:
        >>> SEVEN_POINT.points, SEVEN_POINT.labels
        (7, ('strongly disagree', 'strongly agree'))
        >>> TEN_POINT.to_percent(np.array([1, 10, 5.5])).tolist()
        [0.0, 100.0, 50.0]
        >>> Scale(low=5, high=5)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Scale: low 5 must be below high 5, both whole numbers from 0 to 100
    """

    low: int
    high: int
    name: str = ""
    labels: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        low: object = self.low
        high: object = self.high
        whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
        if not whole or not 0 <= self.low < self.high <= MAX_RATING:
            msg = (
                f"Scale: low {low!r} must be below high {high!r}, both whole numbers from 0"
                f" to {MAX_RATING}"
            )
            raise InvalidValue(msg, code="invalid_scale")
        labels: object = self.labels
        if not isinstance(labels, tuple) or not all(
            isinstance(x, str) and x.strip() for x in labels
        ):
            msg = f"Scale {self.low}–{self.high}: labels {labels!r:.80} must be non-empty texts"
            raise InvalidValue(msg, code="invalid_scale")
        if len(self.labels) not in (0, 2, self.points):
            msg = (
                f"Scale {self.low}–{self.high}: {len(self.labels)} labels; give none, the two"
                f" ends, or one per point ({self.points})"
            )
            raise InvalidValue(msg, code="invalid_scale")
        if not self.name:
            object.__setattr__(self, "name", f"{self.low}–{self.high}")

    @property
    def points(self) -> int:
        """How many points the scale has.

        Examples:
            >>> ELEVEN_POINT.points, LIKERT_5.points
            (11, 5)
        """
        return self.high - self.low + 1

    def contains(self, values: NDArray[Any]) -> NDArray[np.bool_]:
        """Which ratings are points of the scale (whole and within its range; NaN is not).

        Examples:
            >>> SEVEN_POINT.contains(np.array([0, 1, 7, 8, 3.5, np.nan])).tolist()
            [False, True, True, False, False, False]
        """
        x = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            inside: NDArray[np.bool_] = (x >= self.low) & (x <= self.high) & (x == np.floor(x))
        return inside

    def reverse(self, values: NDArray[Any]) -> NDArray[np.float64]:
        """Reverse-scored ratings: ``low + high − x`` (``8 − x`` on a 1–7 scale).

        Examples:
            >>> SEVEN_POINT.reverse(np.array([1, 4, 7])).tolist()
            [7.0, 4.0, 1.0]
        """
        out: NDArray[np.float64] = self.low + self.high - np.asarray(values, dtype=np.float64)
        return out

    def to_percent(self, values: NDArray[Any]) -> NDArray[np.float64]:
        """Ratings mapped linearly onto 0–100: ``100 · (x − low) / (high − low)``.

        The lowest point is 0 and the highest 100 on every scale: 1 → 0 and 10 → 100 on
        1–10, 0 → 0 and 10 → 100 on 0–10 (so a 7 is 66.7 on 1–10 and 70 on 0–10).

        Examples:
            >>> ELEVEN_POINT.to_percent(np.array([0, 7, 10])).tolist()
            [0.0, 70.0, 100.0]
            >>> TEN_POINT.to_percent(np.array([7])).round(1).tolist()
            [66.7]
        """
        x = np.asarray(values, dtype=np.float64)
        out: NDArray[np.float64] = 100.0 * (x - self.low) / (self.high - self.low)
        return out


TEN_POINT: Final = Scale(1, 10, "1–10", ("very dissatisfied", "very satisfied"))
"""The 10-point rating scale of J.D. Power's attribute ratings (1 = worst, 10 = best)."""

ELEVEN_POINT: Final = Scale(0, 10, "0–10", ("not at all likely", "extremely likely"))
"""The 11-point scale of the likelihood-to-recommend question (Reichheld 2003)."""

SEVEN_POINT: Final = Scale(1, 7, "1–7", ("strongly disagree", "strongly agree"))
"""SERVQUAL's 7-point agreement scale (Parasuraman, Zeithaml & Berry 1988)."""

LIKERT_5: Final = Scale(
    1,
    5,
    "5-point Likert",
    ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"),
)
"""A 5-point Likert scale (Likert 1932), one label per point."""


@attrs.frozen
class Item:
    """One question of an instrument: its texts, its scale, what it asks, its direction.

    Attributes:
        id: the item's id, unique in its instrument (``"si_easy_appointment"``).
        text_zh: the question or attribute in Chinese.
        text_en: the same in English.
        scale: its rating scale.
        asks: a perception, an expectation, or both ([`Asks`][aftersales_crm.satisfaction.Asks]).
        reverse: whether agreement means worse service (a negatively worded item): its
            ratings are reversed ([`Scale.reverse`][aftersales_crm.satisfaction.Scale.reverse]) before scoring.

    Raises:
        InvalidValue: an id with white space, an empty text, or a scale that is not a
            [`Scale`][aftersales_crm.satisfaction.Scale].

    Examples:
        >>> item = Item("sq_fixed_first_time", "一次修好", "fixed right the first time", TEN_POINT)
        >>> item.asks, item.reverse
        (<Asks.PERCEPTION: 'perception'>, False)
        >>> Item("my item", "问", "q", TEN_POINT)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Item: id is 'my item', expected 1 to 64 characters without white space or '@'
    """

    id: str
    text_zh: str
    text_en: str
    scale: Scale
    asks: Asks = Asks.PERCEPTION
    reverse: bool = False

    def __attrs_post_init__(self) -> None:
        _id("Item", "id", self.id)
        _text(f"Item {self.id}", "text_zh", self.text_zh)
        _text(f"Item {self.id}", "text_en", self.text_en)
        scale: object = self.scale
        if not isinstance(scale, Scale):
            msg = f"Item {self.id}: scale is {scale!r:.80}, expected a Scale"
            raise InvalidType(msg)
        asks: object = self.asks
        try:
            object.__setattr__(self, "asks", Asks(asks))  # type: ignore[arg-type]
        except ValueError:
            msg = f"Item {self.id}: asks is {asks!r}, expected one of {[a.value for a in Asks]}"
            raise InvalidValue(msg, code="instrument_asks") from None
        reverse: object = self.reverse
        if not isinstance(reverse, bool):
            msg = f"Item {self.id}: reverse is {reverse!r}, expected True or False"
            raise InvalidType(msg)


@attrs.frozen
class Factor:
    """A group of items scored together: a CSI factor (因子), a SERVQUAL dimension.

    Attributes:
        id: the factor's id, unique in its instrument (``"service_advisor"``).
        name_zh: its Chinese name (服务顾问).
        name_en: its English name.
        items: its items, at least one.
        weights: the items' weights within the factor (``v_{a|f}``), one per item, >= 0,
            normalised to sum to 1; None weighs the items equally.

    Raises:
        InvalidValue: no items, ids repeated, or weights that do not fit the items.

    Examples:
        >>> f = Factor("advisor", "服务顾问", "service advisor",
        ...            [Item("a1", "礼貌", "courtesy", TEN_POINT), Item("a2", "解释", "explanation", TEN_POINT)],
        ...            weights=(3, 1))
        >>> f.item_weights().tolist()
        [0.75, 0.25]
        >>> Factor("empty", "空", "empty", [])
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Factor empty: a factor has at least one item
    """

    id: str
    name_zh: str
    name_en: str
    items: tuple[Item, ...] = attrs.field(converter=_tuple)
    weights: tuple[float, ...] | None = attrs.field(default=None, converter=_maybe_tuple)

    def __attrs_post_init__(self) -> None:
        _id("Factor", "id", self.id)
        owner = f"Factor {self.id}"
        _text(owner, "name_zh", self.name_zh)
        _text(owner, "name_en", self.name_en)
        items: object = self.items
        if not isinstance(items, tuple) or not all(isinstance(i, Item) for i in items):
            msg = f"{owner}: items {items!r:.80} must be Items"
            raise InvalidType(msg)
        if not self.items:
            msg = f"{owner}: a factor has at least one item"
            raise InvalidValue(msg, code="instrument_items")
        if self.weights is not None:
            if len(self.weights) != len(self.items):
                msg = f"{owner}: {len(self.weights)} item weights for {len(self.items)} items"
                raise InvalidValue(msg, code="invalid_weights")
            normalised(self.weights, owner=owner, field="weights")

    def item_weights(self) -> NDArray[np.float64]:
        """The items' weights, normalised to sum to 1 (equal when none are given).

        Examples:
            >>> Factor("f", "因子", "factor", [Item("a", "甲", "a", LIKERT_5)]).item_weights().tolist()
            [1.0]
        """
        if self.weights is None:
            return np.full(len(self.items), 1.0 / len(self.items))
        return normalised(self.weights, owner=f"Factor {self.id}", field="weights")


@attrs.frozen
class Instrument:
    """A survey instrument: an id, a version, factors with their items, optional weights.

    A survey fact names the instrument it answers by ``id`` and ``version``; the
    pair is the instrument's [`key`][aftersales_crm.satisfaction.Instrument.key] (``"china_csi@2015"``).

    Attributes:
        id: the questionnaire (``"china_csi"``); items keep their ids across versions.
        version: which version of it (``"2015"``).
        factors: its factors, at least one; item and factor ids are unique in it.
        weights: the factors' weights, one per factor, >= 0; they need not sum to 1
            (published weights are in percent and may sum to 101 by rounding):
            [`factor_weights`][aftersales_crm.satisfaction.Instrument.factor_weights] normalises them. None when none were published.
        name_en: what it is called, in English.
        name_zh: what it is called, in Chinese.
        source: where its factors, items and weights come from (a citation).

    Raises:
        InvalidValue: ids repeated or malformed, no factors, or weights that do not fit.

    Examples:
        >>> from aftersales_crm.satisfaction import CSI_CHINA_2015
        >>> CSI_CHINA_2015.key, len(CSI_CHINA_2015.items)
        ('china_csi@2015', 16)
        >>> CSI_CHINA_2015.factor_weights().tolist()
        [0.19, 0.19, 0.2, 0.2, 0.22]
    """

    id: str
    version: str
    factors: tuple[Factor, ...] = attrs.field(converter=_tuple)
    weights: tuple[float, ...] | None = attrs.field(default=None, converter=_maybe_tuple)
    name_en: str = ""
    name_zh: str = ""
    source: str = ""

    def __attrs_post_init__(self) -> None:
        _id("Instrument", "id", self.id)
        _id(f"Instrument {self.id}", "version", self.version)
        owner = f"Instrument {self.key}"
        factors: object = self.factors
        if not isinstance(factors, tuple) or not all(isinstance(f, Factor) for f in factors):
            msg = f"{owner}: factors {factors!r:.80} must be Factors"
            raise InvalidType(msg)
        if not self.factors:
            msg = f"{owner}: an instrument has at least one factor"
            raise InvalidValue(msg, code="instrument_factors")
        for what, ids in (
            ("factor", [f.id for f in self.factors]),
            ("item", [i.id for i in self.items]),
        ):
            twice = sorted({x for x in ids if ids.count(x) > 1})
            if twice:
                msg = f"{owner}: {what} ids {twice} appear more than once; each {what} id is unique"
                raise InvalidValue(msg, code="instrument_ids")
        if self.weights is not None:
            if len(self.weights) != len(self.factors):
                msg = f"{owner}: {len(self.weights)} factor weights for {len(self.factors)} factors"
                raise InvalidValue(msg, code="invalid_weights")
            normalised(self.weights, owner=owner, field="weights")
        for name in ("name_en", "name_zh", "source"):
            value: object = getattr(self, name)
            if not isinstance(value, str):
                msg = f"{owner}: {name} is {value!r:.80}, expected a text"
                raise InvalidType(msg)

    @property
    def key(self) -> str:
        """``"<id>@<version>"``: how the registry and survey facts name the instrument.

        Examples:
            >>> from aftersales_crm.satisfaction import NPS_SURVEY
            >>> NPS_SURVEY.key
            'nps@1'
        """
        return f"{self.id}@{self.version}"

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, factor by factor, in order.

        Examples:
            >>> from aftersales_crm.satisfaction import SERVQUAL
            >>> len(SERVQUAL.items), SERVQUAL.items[0].id
            (22, 'sq01')
        """
        return tuple(item for factor in self.factors for item in factor.items)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The id of every item, in [`items`][aftersales_crm.satisfaction.Instrument.items] order.

        Examples:
            >>> from aftersales_crm.satisfaction import NPS_SURVEY
            >>> NPS_SURVEY.item_ids
            ('recommend',)
        """
        return tuple(item.id for item in self.items)

    @property
    def factor_ids(self) -> tuple[str, ...]:
        """The id of every factor, in order.

        Examples:
            >>> from aftersales_crm.satisfaction import SERVQUAL
            >>> SERVQUAL.factor_ids
            ('tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy')
        """
        return tuple(factor.id for factor in self.factors)

    def factor_of_items(self) -> NDArray[np.intp]:
        """The position of each item's factor, in [`items`][aftersales_crm.satisfaction.Instrument.items] order.

        Examples:
            >>> from aftersales_crm.satisfaction import SERVQUAL
            >>> SERVQUAL.factor_of_items().tolist()[:6]
            [0, 0, 0, 0, 1, 1]
        """
        return np.repeat(np.arange(len(self.factors)), [len(f.items) for f in self.factors])

    def factor(self, factor_id: str) -> Factor:
        """The factor called ``factor_id``.

        Raises:
            InvalidValue: the instrument has no such factor; the message lists its factors.

        Examples:
            >>> from aftersales_crm.satisfaction import SERVQUAL
            >>> SERVQUAL.factor("empathy").name_zh
            '移情性'
        """
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        msg = f"instrument {self.key} has no factor {factor_id!r}; its factors are {list(self.factor_ids)}"
        raise InvalidValue(msg, code="unknown_factor")

    def factor_weights(self, weights: Sequence[float] | None = None) -> NDArray[np.float64]:
        """The factors' weights normalised to sum to 1: ``weights`` if given, else the instrument's.

        Published weights in percent that sum to 101 by rounding (China CSI 2014) become
        ``w / 101``: each factor keeps its share of the published total.

        Args:
            weights: weights to use instead of the instrument's, one per factor.

        Returns:
            float64 array of shape (n_factors,), summing to 1.

        Raises:
            InvalidValue: no weights were given and the instrument has none (the 2024 China
                CSI set), or the weights do not fit the factors.

        Examples:
            >>> from aftersales_crm.satisfaction import CSI_CHINA_2014, CSI_CHINA_2024
            >>> round(float(CSI_CHINA_2014.factor_weights()[-1]), 4)  # 24 / 101
            0.2376
            >>> CSI_CHINA_2024.factor_weights()
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: instrument china_csi@2024 has no published factor weights; supply weights (one per factor: service_facility, service_team, welcome_diagnostics, service_quality, service_value, reservation) or derive them by key-driver analysis
        """
        chosen = self.weights if weights is None else _tuple(weights)
        if chosen is None:
            msg = (
                f"instrument {self.key} has no published factor weights; supply weights (one"
                f" per factor: {', '.join(self.factor_ids)}) or derive them by key-driver"
                " analysis"
            )
            raise InvalidValue(msg, code="no_weights")
        if isinstance(chosen, tuple) and len(chosen) != len(self.factors):
            msg = f"instrument {self.key}: {len(chosen)} factor weights for {len(self.factors)} factors ({', '.join(self.factor_ids)})"
            raise InvalidValue(msg, code="invalid_weights")
        return normalised(chosen, owner=f"instrument {self.key}", field="weights")


def min_answers(n_items: int, share: float) -> int:
    """How many of a factor's ``n_items`` a respondent must answer: ``max(1, ⌈share · n⌉)``.

    Examples:
        >>> [min_answers(n, 0.5) for n in (1, 2, 3, 4, 5)]
        [1, 1, 2, 2, 3]
    """
    return max(1, math.ceil(share * n_items - 1e-9))
