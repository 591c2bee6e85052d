"""Satisfaction scorers: the expectation gap, SERVQUAL, the CSI index and NPS.

Each is a policy of the ``satisfaction_scorer`` kind: keyword-only parameters stored
unchanged, and ``score(responses)`` giving one [`SurveyScores`][aftersales_crm.satisfaction.SurveyScores] row per response, in
input order. Scores per response come first; a population's figures (a dealer's CSI, a
dimension's gap, the NPS) are means of them (``aggregate``), so that every figure has
its n and interval.

The minimum-answer rule is shared: a respondent's factor is scored when they answered at
least ``⌈min_answered · k⌉`` of its ``k`` items (and at least one); a respondent's overall
score needs every factor scored. Answered items are averaged with their weights renormalised
over the items answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final, Literal

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._params import (
    Constraint,
    Instance,
    Number,
    Numbers,
    OneOf,
    OrNone,
    Whole,
    invalid,
    validate_params,
)
from aftersales_crm._params import _Broken as Broken
from aftersales_crm._policy import BasePolicy, PolicyKind
from aftersales_crm.errors import AftersalesError, InvalidValue
from aftersales_crm.records import RECOMMEND_HIGH
from aftersales_crm.satisfaction._drivers import METHODS, KeyDrivers, Method
from aftersales_crm.satisfaction._instruments import Instrument, min_answers
from aftersales_crm.satisfaction._presets import get_instrument
from aftersales_crm.satisfaction._responses import Ratings, Responses, scale_bounds
from aftersales_crm.satisfaction._scores import SurveyScores
from aftersales_crm.values import Material, Quote

__all__ = [
    "DEFAULT_MIN_ANSWERED",
    "NPS",
    "CsiIndex",
    "ExpectationGap",
    "Servqual",
]

DEFAULT_MIN_ANSWERED: Final = 0.5
"""A factor is scored when at least half its items are answered (the "half rule").

The half rule is the common convention of multi-item scales (the SF-36 scoring manual,
Ware et al. 1993); the material and the SERVQUAL papers are silent on missing answers, so
the default is the library's choice.
"""

_ROWS: Final = 1 << 14
"""Rows scored at a time: 16,384 rows of 16 items are 2 MiB of float64, held in cache."""

_INDEX_SCALE: Final = 10.0
"""The CSI index is ten times the weighted mean of 0–100 factor scores: 0–1000."""


class _InstrumentParam(Constraint):
    """A built-in instrument's key (``"china_csi@2015"``) or an [`Instrument`][aftersales_crm.satisfaction.Instrument]."""

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return "expected an Instrument or a built-in instrument key such as 'china_csi@2015'"

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """The instrument."""
        if isinstance(value, Instrument):
            return value
        if not isinstance(value, str):
            raise Broken(self.rule)
        try:
            return get_instrument(value)
        except AftersalesError as exc:
            raise Broken(f"{self.rule}; {exc}") from None


class _WeightsParam(Constraint):
    """Factor weights >= 0, an instrument (or its key) whose published weights to take, or None."""

    numbers: Final = Numbers(low=0)

    @property
    def rule(self) -> str:
        """What the constraint expects, in words."""
        return f"{self.numbers.rule}, an instrument or its key, or None"

    def check(self, value: Any, params: Mapping[str, Any]) -> Any:
        """None, the instrument, or the weights as a tuple of floats."""
        if value is None:
            return None
        if isinstance(value, str | Instrument):
            return _InstrumentParam().check(value, params)
        try:
            return self.numbers.check(value, params)
        except Broken:
            raise Broken(self.rule) from None


def _factor_means(
    matrix: NDArray[np.float64], instrument: Instrument, share: float
) -> NDArray[np.float64]:
    """Each respondent's weighted mean over each factor's answered items; NaN below the minimum.

    The factors' items are adjacent columns: each factor is a slice of a masked copy of
    ``matrix``, summed by a matrix-vector product, a block of ``_ROWS`` rows at a time
    so that the copy stays in cache.
    """
    n = matrix.shape[0]
    out = np.empty((n, len(instrument.factors)))
    matrix = np.ascontiguousarray(matrix)
    for start in range(0, n, _ROWS):
        _block_means(matrix[start : start + _ROWS], instrument, share, out[start : start + _ROWS])
    return out


def _block_means(
    matrix: NDArray[np.float64], instrument: Instrument, share: float, out: NDArray[np.float64]
) -> None:
    """``_factor_means`` of a block of rows, written into ``out``."""
    answered = ~np.isnan(matrix)
    filled = np.where(answered, matrix, 0.0)
    start = 0
    for f, factor in enumerate(instrument.factors):
        k = len(factor.items)
        items = slice(start, start + k)
        start += k
        count = np.zeros(len(matrix), dtype=np.intp)
        for j in range(items.start, items.stop):
            count += answered[:, j]
        # Raw weights: dividing by the answered items' sum normalises them (and equal
        # weights of 1 keep a mean of equal ratings exact, their sum being the count).
        if factor.weights is None:
            weights = np.ones(k)
            weight = count.astype(np.float64)
        else:
            weights = np.asarray(factor.weights, dtype=np.float64)
            weight = answered[:, items] @ weights
        total = filled[:, items] @ weights
        enough = (count >= min_answers(k, share)) & (weight > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, f] = np.where(enough, total / weight, np.nan)


def _gap_bound(instrument: Instrument) -> float:
    low, high = scale_bounds([item.scale for item in instrument.items])
    return float((high - low).max())


def _rating_bounds(instrument: Instrument) -> tuple[float, float]:
    """The lowest and highest rating of any item: the bounds of a mean of ratings."""
    low, high = scale_bounds([item.scale for item in instrument.items])
    return float(low.min()), float(high.max())


def _ratio_bounds(instrument: Instrument) -> tuple[float, float]:
    """The bounds of a mean of ratios P / E.

    The lowest P over the highest E, and the highest P over the lowest E above 0 (a whole
    point, so at least 1).
    """
    low, high = scale_bounds([item.scale for item in instrument.items])
    return float((low / high).min()), float((high / np.maximum(low, 1.0)).max())


def _top_box(ratings: Ratings, k: int) -> NDArray[np.float64]:
    """Each respondent's share of answered perceptions in the top ``k`` points of their scale."""
    _, high = scale_bounds([item.scale for item in ratings.instrument.items])
    answered = ~np.isnan(ratings.perception)
    with np.errstate(invalid="ignore"):
        top = ratings.perception >= high - k + 1
    count = answered.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = np.where(count > 0, top.sum(axis=1) / count, np.nan)
    return out


class _Scorer(BasePolicy):
    kind: ClassVar[PolicyKind] = "satisfaction_scorer"
    population_relative: ClassVar[bool] = False

    def _responses(self, responses: object) -> Responses:
        if not isinstance(responses, Responses):
            msg = (
                f"{type(self).__name__}.score: expected Responses (Responses.from_tables or"
                f" Responses.from_records), not {type(responses).__name__}"
            )
            raise InvalidValue(msg, code="invalid_argument")
        return responses


class _GapScorer(_Scorer):
    """A scorer of paired items: the gap P − E per item and its factor means."""

    def _gaps(
        self, responses: Responses
    ) -> tuple[dict[str, Any], Ratings, NDArray[np.float64], NDArray[np.float64]]:
        params = validate_params(self)
        instrument: Instrument = params["instrument"]
        if not any(item.asks.expectation and item.asks.perception for item in instrument.items):
            msg = (
                f"{type(self).__name__}: instrument {instrument.key} has no item asking both an"
                " expectation and a perception; the gap P − E needs paired items"
            )
            raise InvalidValue(msg, code="no_expectations")
        ratings = self._responses(responses).ratings(instrument)
        gaps = ratings.perception - ratings.expectation
        return params, ratings, gaps, _factor_means(gaps, instrument, params["min_answered"])


class ExpectationGap(_GapScorer):
    """Satisfaction = perceived − expected (客户满意度 = 客户实际获得值 − 客户的期望值).

    Per item, each respondent's gap ``G = P − E`` on the item's scale (reverse-scored items
    reversed first); per factor, the weighted mean of the respondent's item gaps; per
    respondent, the mean of the factor gaps. An item counts when both its perception and its
    expectation are given. Beside the gap, each respondent's ratio ``P / E`` (mean over
    factors of the mean item ratios; an expectation of 0 gives no ratio) and top-box share:
    the share of their answered perceptions in the top ``top_box`` points of the item's
    scale (2: 9–10 on 1–10, 6–7 on 1–7).

    Attributes:
        instrument: the instrument answered, an [`Instrument`][aftersales_crm.satisfaction.Instrument] or a built-in key.
        top_box: how many points at the top of a scale count as the top box.
        min_answered: the share of a factor's items a respondent must answer for the
            factor to be scored ([`DEFAULT_MIN_ANSWERED`][aftersales_crm.satisfaction.DEFAULT_MIN_ANSWERED]).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import Answer, SurveyAnswered
        >>> r = SurveyAnswered(id="S1", instrument="servqual", version="1991", customer_id="C1",
        ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     answers=[Answer(item=f"sq{n:02d}", perception=5, expectation=7) for n in range(1, 23)])
        >>> scores = ExpectationGap().score(Responses.from_records([r]))
        >>> scores.values.tolist(), scores.columns["top_box"].tolist()
        ([-2.0], [0.0])

    The formula is the CSI course's: 客户实际获得值 − 客户的期望值 = 客户满意度 (第二章
    期望管理); the ratio and top-box forms are the library's additions, as OEM programmes
    report top-box shares.

    References:
        Oliver, R. L. (1980). A cognitive model of the antecedents and consequences of
        satisfaction decisions. *Journal of Marketing Research*, 17(4), 460–469.
    """

    FORMULA: ClassVar[Quote] = Quote(
        Material.CSI_COURSE,
        "客户实际获得值客户的期望值客户满意度-=",
        "customer satisfaction = the value the customer actually gets − the customer's"
        " expectation (the slide's formula, its terms run together)",
    )
    """The CSI course's formula, as its slide has it (第二章 期望管理, 客户满意度影响因素)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "instrument": _InstrumentParam(),
        "top_box": Whole(low=1, high=100),
        "min_answered": Number(above=0, high=1),
    }
    """A built-in instrument or an Instrument; a top box of 1 point or more; a share in (0, 1]."""

    def __init__(
        self,
        *,
        instrument: str | Instrument = "servqual@1991",
        top_box: int = 2,
        min_answered: float = DEFAULT_MIN_ANSWERED,
    ) -> None:
        self.instrument = instrument
        self.top_box = top_box
        self.min_answered = min_answered

    def score(self, responses: Responses) -> SurveyScores:
        """Each response's expectation gap, its factors' and items' gaps, ratio and top-box share.

        Args:
            responses: responses to the instrument (any version whose items it has).

        Returns:
            [`SurveyScores`][aftersales_crm.satisfaction.SurveyScores] named ``"expectation_gap"``, aligned with ``responses``.

        Raises:
            InvalidValue: a parameter is invalid, the instrument asks for no expectations,
                or an answer breaks the instrument ([`Responses.ratings`][aftersales_crm.satisfaction.Responses.ratings]).

        Examples:
            >>> ExpectationGap().score(Responses.from_records([])).values.tolist()
            []
        """
        params, ratings, gaps, factors = self._gaps(responses)
        instrument, share = ratings.instrument, params["min_answered"]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(
                ratings.expectation > 0, ratings.perception / ratings.expectation, np.nan
            )
        bound = _gap_bound(instrument)
        return SurveyScores(
            "expectation_gap",
            responses.ids,
            factors.mean(axis=1) if factors.shape[1] else np.full(len(responses), np.nan),
            (-bound, bound),
            factors=instrument.factor_ids,
            factor_scores=factors,
            items=instrument.item_ids,
            item_scores=gaps,
            columns={
                "ratio": _factor_means(ratio, instrument, share).mean(axis=1),
                "top_box": _top_box(ratings, params["top_box"]),
            },
            column_bounds={"ratio": _ratio_bounds(instrument), "top_box": (0.0, 1.0)},
        )


class Servqual(_GapScorer):
    """SERVQUAL: item gaps, dimension scores, the unweighted and weighted SERVQUAL, SERVPERF.

    For each respondent ``r`` and dimension ``d`` (F20–F24):

    * item gap ``G = P − E`` on 1–7, the 1988 negatively worded items reversed (``8 − x``)
      in both batteries first;
    * dimension score ``SQ_rd`` = the mean item gap of the dimension ([`SurveyScores.factor_scores`][aftersales_crm.satisfaction.SurveyScores]);
    * unweighted SERVQUAL ``SQ_r = (1/5) Σ_d SQ_rd`` ([`SurveyScores.values`][aftersales_crm.satisfaction.SurveyScores]);
    * weighted SERVQUAL ``Σ_d w_rd SQ_rd`` with ``w_rd`` the respondent's importance points
      for ``d`` divided by their total (``columns["weighted"]``; NaN without points);
    * SERVPERF (Cronin & Taylor 1992): the same mean over perceptions only
      (``columns["servperf"]``), answered items needing no expectation.

    The population's dimension score ``SQ_d`` and SERVQUAL are means of these over the
    respondents ([`SurveyScores.summary`][aftersales_crm.satisfaction.SurveyScores.summary]).

    Attributes:
        instrument: the instrument answered (SERVQUAL's 22 paired items by default).
        min_answered: the share of a dimension's items a respondent must answer.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import Answer, ImportancePoints, SurveyAnswered
        >>> answers = [Answer(item=f"sq{n:02d}", perception=6 if n <= 4 else 5, expectation=6)
        ...            for n in range(1, 23)]
        >>> points = [ImportancePoints(factor=d, points=p) for d, p in
        ...           [("tangibles", 60), ("reliability", 10), ("responsiveness", 10),
        ...            ("assurance", 10), ("empathy", 10)]]
        >>> r = SurveyAnswered(id="S1", instrument="servqual", version="1991", customer_id="C1",
        ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     answers=answers, importance=points)
        >>> scores = Servqual().score(Responses.from_records([r]))
        >>> scores.values.tolist(), scores.columns["weighted"].round(2).tolist()
        ([-0.8], [-0.4])

    References:
        Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL. *Journal of
        Retailing*, 64(1), 12–40. Cronin, J. J. & Taylor, S. A. (1992). Measuring service
        quality: a reexamination and extension. *Journal of Marketing*, 56(3), 55–68.
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "instrument": _InstrumentParam(),
        "min_answered": Number(above=0, high=1),
    }
    """A built-in instrument or an Instrument; a share in (0, 1]."""

    def __init__(
        self,
        *,
        instrument: str | Instrument = "servqual@1991",
        min_answered: float = DEFAULT_MIN_ANSWERED,
    ) -> None:
        self.instrument = instrument
        self.min_answered = min_answered

    def score(self, responses: Responses) -> SurveyScores:
        """Each response's SERVQUAL, dimension scores, item gaps, weighted SERVQUAL and SERVPERF.

        Args:
            responses: responses to the instrument.

        Returns:
            [`SurveyScores`][aftersales_crm.satisfaction.SurveyScores] named ``"servqual"``, aligned with ``responses``.

        Raises:
            InvalidValue: a parameter is invalid, the instrument asks for no expectations,
                or an answer breaks the instrument.

        Examples:
            >>> len(Servqual().score(Responses.from_records([])))
            0
        """
        params, ratings, gaps, dimensions = self._gaps(responses)
        instrument, share = ratings.instrument, params["min_answered"]
        bound = _gap_bound(instrument)
        return SurveyScores(
            "servqual",
            responses.ids,
            dimensions.mean(axis=1),
            (-bound, bound),
            factors=instrument.factor_ids,
            factor_scores=dimensions,
            items=instrument.item_ids,
            item_scores=gaps,
            columns={
                "weighted": (ratings.importance * dimensions).sum(axis=1),
                "servperf": _factor_means(ratings.perception, instrument, share).mean(axis=1),
            },
            column_bounds={"weighted": (-bound, bound), "servperf": _rating_bounds(instrument)},
        )


class CsiIndex(_Scorer):
    """A J.D. Power-style CSI: factor scores 0–100 from item ratings, a weighted 0–1000 index.

    Each rating is mapped onto 0–100 on its item's scale, then (F28, F29):

    * factor score ``F_rf = Σ_a v_a · pct_ra`` over the items answered, item weights ``v``
      (equal unless the factor gives them) renormalised over those items;
    * index ``CSI_r = 10 · Σ_f w_f · F_rf``, from 0 to 1000.

    The mapping onto 0–100 (``mapping``):

    * ``"range"`` (default): ``100 · (x − low) / (high − low)``: the lowest point is 0 and
      the highest 100 on every scale, so 1–10 gives ``(x − 1) · 100/9`` and 0–10 gives
      ``10 · x``;
    * ``"top"``: ``100 · x / high``: a 1–10 rating times 10 (1 → 10, 10 → 100), the
      ``100 · ā`` reading of J.D. Power's 1,000-point scale; 0–10 is the same as ``"range"``.

    Factor weights ``w`` are, in order: ``weights`` given (one per factor), or another
    instrument's published weights (``weights="china_csi@2014"``), or the instrument's own.
    **Weights that do not sum to 1 are normalised**: each is divided by their sum, so the
    2014 weights (24/21/21/18/17 %, summing to 101) become shares of 101. An instrument
    without weights (the 2024 set) needs ``weights``; weights derived by key-driver
    analysis are passed the same way. J.D. Power's own model derives attribute and factor
    weights statistically and is not published; this is a reconstruction.

    Attributes:
        instrument: the instrument answered (the China CSI with the 2015 weights by default).
        weights: factor weights, another instrument's key, or None for the instrument's own.
        mapping: ``"range"`` or ``"top"``, as above.
        min_answered: the share of a factor's items a respondent must answer.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import Answer, SurveyAnswered
        >>> from aftersales_crm.satisfaction import CSI_CHINA_2015
        >>> r = SurveyAnswered(id="S1", instrument="china_csi", version="2015", customer_id="C1",
        ...     dealer_id="D1", at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     answers=[Answer(item=i, perception=10) for i in CSI_CHINA_2015.item_ids])
        >>> CsiIndex().score(Responses.from_records([r])).values.round(6).tolist()
        [1000.0]

    References:
        J.D. Power, *China Customer Service Index (CSI) Study* (2014, 2015), press releases:
        factor weights. J.D. Power, "How the index is built" (Customer Experience Index).
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "instrument": _InstrumentParam(),
        "weights": _WeightsParam(),
        "mapping": OneOf(("range", "top")),
        "min_answered": Number(above=0, high=1),
    }
    """An instrument; weights >= 0 (or another instrument's key, or None); a mapping; a share."""

    def __init__(
        self,
        *,
        instrument: str | Instrument = "china_csi@2015",
        weights: tuple[float, ...] | str | None = None,
        mapping: str = "range",
        min_answered: float = DEFAULT_MIN_ANSWERED,
    ) -> None:
        self.instrument = instrument
        self.weights = weights
        self.mapping = mapping
        self.min_answered = min_answered

    def factor_weights(self) -> NDArray[np.float64]:
        """The factor weights the index uses, normalised to sum to 1.

        Raises:
            InvalidValue: the instrument has no weights and none are given, or the weights
                do not fit its factors.

        Examples:
            >>> CsiIndex(instrument="china_csi@2015", weights="china_csi@2014").factor_weights().round(3).tolist()
            [0.168, 0.178, 0.208, 0.208, 0.238]
            >>> CsiIndex(weights=(1, 1, 1, 1, 4)).factor_weights().tolist()
            [0.125, 0.125, 0.125, 0.125, 0.5]
        """
        params = validate_params(self)
        instrument: Instrument = params["instrument"]
        weights = params["weights"]
        if isinstance(weights, Instrument):
            if weights.factor_ids != instrument.factor_ids:
                rule = f"its factors {list(weights.factor_ids)} are not those of {instrument.key}"
                raise invalid(self, "weights", self.weights, rule)
            return weights.factor_weights()
        return instrument.factor_weights(weights)

    def score(self, responses: Responses) -> SurveyScores:
        """Each response's CSI index (0–1000), factor scores (0–100) and item scores (0–100).

        Args:
            responses: responses to the instrument.

        Returns:
            [`SurveyScores`][aftersales_crm.satisfaction.SurveyScores] named ``"csi_index"``, aligned with ``responses``.

        Raises:
            InvalidValue: a parameter is invalid, no weights are known, or an answer breaks
                the instrument.

        Examples:
            >>> CsiIndex(instrument="china_csi@2024").score(Responses.from_records([]))
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: instrument china_csi@2024 has no published factor weights; ...
        """
        params = validate_params(self)
        instrument: Instrument = params["instrument"]
        weights = self.factor_weights()
        percent, factors = self._percent(params, responses)
        return SurveyScores(
            "csi_index",
            responses.ids,
            _INDEX_SCALE * (factors @ weights),
            (0.0, 100.0 * _INDEX_SCALE),
            factors=instrument.factor_ids,
            factor_scores=factors,
            items=instrument.item_ids,
            item_scores=percent,
            factor_bounds=(0.0, 100.0),
        )

    def key_drivers(
        self,
        responses: Responses,
        *,
        outcome: str | object = "recommend",
        methods: Iterable[Method] = METHODS,
        missing: Literal["listwise", "raise"] = "listwise",
    ) -> KeyDrivers:
        """Key-driver analysis of the factor scores on an overall outcome: weights a CSI can take.

        Each response's 0–100 factor scores (as [`score`][aftersales_crm.satisfaction.CsiIndex.score] gives them, with this
        scorer's ``mapping`` and ``min_answered``) are the predictors; the outcome is the
        response's recommend score or a figure given per response. J.D. Power derives its
        factor weights statistically from how the factors explain overall satisfaction;
        this is the same idea with the measures of ``KeyDrivers``, and
        ``KeyDrivers.weights`` turns the result into weights for
        ``CsiIndex(weights=...)``. Needs no factor weights, so it serves an instrument that
        has none (the 2024 set).

        Args:
            responses: responses to the instrument.
            outcome: ``"recommend"`` (default: each response's 0–10 recommend score), or a
                float array of shape (n,) aligned with ``responses`` (an overall
                satisfaction item, say); NaN is a missing answer.
            methods: the measures to compute (``METHODS``).
            missing: ``KeyDrivers``' rule for a response with a factor not scored or
                no outcome: ``"listwise"`` (default) leaves it out and counts it in
                ``dropped_``; ``"raise"`` refuses the data.

        Returns:
            A fitted ``KeyDrivers`` whose predictors are the instrument's factors, in
            order.

        Raises:
            InvalidValue: a parameter is invalid, an answer breaks the instrument, the
                outcome is not ``"recommend"`` or one number per response, or the analysis
                refuses the data (too few complete responses, a constant factor…).

        Examples:
            >>> from aftersales_crm import synthetic
            >>> from aftersales_crm.satisfaction import Responses
            >>> book = synthetic.book(600, seed=1)
            >>> responses = Responses.from_records(book.surveys.values()).of("china_csi")
            >>> drivers = CsiIndex().key_drivers(responses)
            >>> drivers.names_[int(drivers.shares_["shapley"].argmax())]
            'service_quality'
            >>> derived = CsiIndex(weights=drivers.weights("shapley"))
            >>> round(float(derived.factor_weights().sum()), 12)
            1.0
        """
        params = validate_params(self)
        instrument: Instrument = params["instrument"]
        _, factors = self._percent(params, responses)
        if isinstance(outcome, str):
            if outcome != "recommend":
                msg = (
                    f"CsiIndex.key_drivers: outcome={outcome!r:.80} is invalid: expected"
                    " 'recommend' or one number per response"
                )
                raise InvalidValue(msg, code="invalid_argument")
            target: object = responses.recommend
        else:
            target = outcome
        predictors = dict(zip(instrument.factor_ids, factors.T, strict=True))
        return KeyDrivers(methods=methods, missing=missing).fit(predictors, target)

    def _percent(
        self, params: Mapping[str, Any], responses: Responses
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Each answer on 0–100 (responses × items) and the factor scores (responses × factors)."""
        instrument: Instrument = params["instrument"]
        ratings = self._responses(responses).ratings(instrument)
        low, high = scale_bounds([item.scale for item in instrument.items])
        # 100 · ((x − low) / (high − low)), or 100 · (x / high), in one array.
        if params["mapping"] == "range":
            percent = np.subtract(ratings.perception, low)
            percent /= high - low
        else:
            percent = np.divide(ratings.perception, high)
        percent *= 100.0
        return percent, _factor_means(percent, instrument, params["min_answered"])


class NPS(_Scorer):
    """Net Promoter Score: promoters 9–10, passives 7–8, detractors 0–6.

    Each respondent scores +100 (promoter), 0 (passive) or −100 (detractor), so that the
    mean over a group is ``NPS = 100 · (n_promoters − n_detractors) / n`` (F27), from −100
    to 100. Its standard error is ``SE = 100 · sqrt((p_P + p_D − (p_P − p_D)²) / n)``, the
    population variance of the ±100 scores over n: [`SurveyScores.ddof`][aftersales_crm.satisfaction.SurveyScores] is 0, and
    ``aggregate`` gives that SE and a normal interval. The factor scores are 100 for the
    respondent's class and 0 for the others, so their means are the percentages of
    promoters, passives and detractors.

    The answer is each response's recommend score (``item=None``, the default), or its
    perception of an item (``item="recommend"`` for the ``NPS_SURVEY`` question),
    checked on 0–10.

    Attributes:
        item: None for the responses' recommend score, or the id of the item to read.
        promoters_from: the lowest promoter score (9).
        detractors_to: the highest detractor score (6), below ``promoters_from``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm.records import SurveyAnswered
        >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> rs = [SurveyAnswered(id=f"S{i}", instrument="nps", version="1", customer_id="C1",
        ...       dealer_id="D1", at=at, recommend=score) for i, score in enumerate([10, 9, 8, 3])]
        >>> scores = NPS().score(Responses.from_records(rs))
        >>> scores.values.tolist(), float(scores.summary().mean[0])
        ([100.0, 100.0, 0.0, -100.0], 25.0)

    References:
        Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*,
        81(12), 46–54.
    """

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "item": OrNone(Instance(str, "an item id")),
        "promoters_from": Whole(low=1, high=RECOMMEND_HIGH),
        "detractors_to": Whole(low=0, high=RECOMMEND_HIGH - 1),
    }
    """An item id or None; promoters from 1–10; detractors up to 0–9, below the promoters."""

    FACTORS: ClassVar[tuple[str, str, str]] = ("promoters", "passives", "detractors")
    """The three classes, as the factor ids of the scores."""

    def __init__(
        self,
        *,
        item: str | None = None,
        promoters_from: int = 9,
        detractors_to: int = 6,
    ) -> None:
        self.item = item
        self.promoters_from = promoters_from
        self.detractors_to = detractors_to

    def score(self, responses: Responses) -> SurveyScores:
        """Each response's ±100 / 0 score and its class.

        Args:
            responses: responses with a recommend score, or answers to ``item``.

        Returns:
            [`SurveyScores`][aftersales_crm.satisfaction.SurveyScores] named ``"nps"`` (``NaN`` without an answer), ``ddof=0``.

        Raises:
            InvalidValue: a parameter is invalid, or an answer to ``item`` is not a whole
                number from 0 to 10 (naming the response, the item and the value).

        Examples:
            >>> NPS(promoters_from=6, detractors_to=6).score(Responses.from_records([]))
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: NPS: detractors_to=6 is invalid: expected a whole number below promoters_from=6
        """
        params = validate_params(self)
        top, bottom = params["promoters_from"], params["detractors_to"]
        if bottom >= top:
            raise invalid(
                self, "detractors_to", bottom, f"expected a whole number below promoters_from={top}"
            )
        given = self._responses(responses)
        answer = given.recommend if params["item"] is None else _item_answer(given, params["item"])
        promoter = answer >= top
        detractor = answer <= bottom
        passive = ~np.isnan(answer) & ~promoter & ~detractor
        values = np.where(np.isnan(answer), np.nan, 100.0 * promoter - 100.0 * detractor)
        classes = np.stack([promoter, passive, detractor], axis=1) * 100.0
        classes[np.isnan(answer)] = np.nan
        return SurveyScores(
            "nps",
            given.ids,
            values,
            (-100.0, 100.0),
            factors=self.FACTORS,
            factor_scores=classes,
            ddof=0,
            factor_bounds=(0.0, 100.0),
        )


def _item_answer(responses: Responses, item: str) -> NDArray[np.float64]:
    """Each response's perception of ``item`` on 0–10, NaN when not answered."""
    out = np.full(len(responses), np.nan)
    if item not in responses.items:
        return out
    rows = np.flatnonzero(responses.item == responses.items.index(item))
    values = responses.perception[rows]
    with np.errstate(invalid="ignore"):
        bad = rows[(values < 0) | (values > RECOMMEND_HIGH) | (values != np.floor(values))]
    if len(bad):
        k = int(bad[0])
        msg = (
            f"{len(bad)} answers to item {item} are off the 0–10 scale; the first: survey response"
            f" {responses.ids[responses.answer_of[k]]}, perception {responses.perception[k]:g}"
        )
        raise InvalidValue(msg, code="survey_answer")
    out[responses.answer_of[rows]] = values
    return out
