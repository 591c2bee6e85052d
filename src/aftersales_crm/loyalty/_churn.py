"""Loyal / swinging / lost by a churn model's probability that the customer is still active."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal, Protocol, Self, runtime_checkable

import numpy as np

from aftersales_crm._params import (
    Constraint,
    Instance,
    Numbers,
    OneOf,
    OrNone,
    invalid,
    validate_params,
)
from aftersales_crm._policy import (
    BasePolicy,
    Labels,
    PolicyKind,
    Scores,
    check_is_fitted,
    feature,
)
from aftersales_crm.clv import BgNbd
from aftersales_crm.errors import ConvergenceError, InvalidValue, NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.loyalty._interval import VehicleStatus
from aftersales_crm.segmentation._common import MISSING, at_or_above, labels

__all__ = ["ChurnModel", "ChurnRisk"]

_CHURN_MODEL: Final = "churn_model"
"""The policy kind whose ``score`` gives P(alive) ([`aftersales_crm.clv`][aftersales_crm.clv])."""

_FREQUENCY: Final = "frequency"
"""The feature of repeat visit days: 0 for a customer seen on one day only."""

_LOST: Final = 2
"""The code of lost, the last of [`ChurnRisk.NAMES`][aftersales_crm.loyalty.ChurnRisk.NAMES]."""


@runtime_checkable
class ChurnModel(Protocol):
    """What [`ChurnRisk`][aftersales_crm.loyalty.ChurnRisk] needs of a churn model: a policy of kind ``churn_model``.

    ``fit`` returns a fitted copy; ``score`` gives each row's probability of being still
    active as [`Scores`][aftersales_crm.policies.Scores] (NaN for a row it cannot score).
    [`BgNbd`][aftersales_crm.clv.BgNbd] and [`ParetoNbd`][aftersales_crm.clv.ParetoNbd] are.

    Examples:
        >>> from aftersales_crm.clv import ParetoNbd
        >>> isinstance(ParetoNbd(), ChurnModel), isinstance("BgNbd", ChurnModel)
        (True, False)
    """

    kind: ClassVar[PolicyKind]

    def fit(self, features: FeatureTable) -> Self:
        """A fitted copy; the receiver is not changed."""
        ...

    def score(self, features: FeatureTable) -> Scores:
        """P(alive) of each row, in its order; NaN where the model has none."""
        ...


def _fitted(model: object) -> bool:
    """Whether ``model`` has fitted state (trailing-underscore attributes)."""
    try:
        check_is_fitted(model)
    except NotFittedError:
        return False
    return True


class ChurnRisk(BasePolicy):
    """Loyal, swinging or lost (忠诚 / 摇摆 / 流失) by a churn model's P(alive).

    A "buy till you die" model ([`aftersales_crm.clv`][aftersales_crm.clv]) gives each customer the
    probability that they are still an active customer, from their repeat visits, recency
    and age alone; ``ChurnRisk`` cuts it into the three rows of the material's
    客户细分矩阵 (A忠诚客户, B摇摆客户, C流失客户, 《斯柯达车友汇客户关爱总监培训教材》),
    with the names, codes and order of ``LoyaltyStatus``, so that it takes that
    rule's place in ``LoyaltyValueMatrix`` (``LoyaltyValueMatrix(loyalty=ChurnRisk())``)
    and the strategies of the rows follow unchanged. Per customer:

    * P(alive) ≥ ``cutoffs[0]`` → loyal (忠诚);
    * P(alive) ≥ ``cutoffs[1]`` → swinging (摇摆);
    * below → lost (流失);
    * no P(alive) (no visit at all, or a model that cannot score the row) → ``-1``:
      outside the matrix, never placed by default.

    The cut-offs are the library's choice: the training material names the three rows but
    gives no probability, and neither do the models' authors. Below 0.5 the model finds
    the customer more likely gone than still coming, so the customer is lost (even odds:
    the line where calling the customer lost is right more often than wrong). From 0.8 (at
    least four chances in five of still being a customer) they are loyal; in between the
    model is unsure which way the customer goes: swinging, where the material puts its
    budget ("最需要投入营销预算").

    Customers seen on one day only (``frequency`` 0) are left outside the matrix by
    default (``no_repeat="unplaced"``): BG/NBD, the default model, lets a customer drop
    out only just after a repeat visit, so it gives every one of them P(alive) = 1
    however long ago they came (Fader, Hardie & Lee 2005), which would fill the loyal
    row with customers who never came back. A model that scores them (Pareto/NBD) can
    band them with ``no_repeat="scored"``.

    ``fit`` fits a copy of ``model`` on the customers (maximum likelihood: the rule is
    population-relative) and keeps it in ``model_``; a ``model`` that is already fitted
    is kept as it is and not re-estimated, so customers can be banded with the model of a
    larger population (the whole network, an earlier year) or with parameters set by hand.
    When the model cannot be fitted, its [`ConvergenceError`][aftersales_crm.errors.ConvergenceError]
    says why (one customer cannot identify four parameters; "drop-out looks homogeneous"…).

    Attributes:
        model: the churn model, a policy of kind ``churn_model`` (fitted or not; default
            None: [`BgNbd`][aftersales_crm.clv.BgNbd]). Needs the ``clv`` extra (scipy).
        cutoffs: the lowest P(alive) of loyal and of swinging, strictly decreasing in
            [0, 1] (default (0.8, 0.5), [`DEFAULT_CUTOFFS`][aftersales_crm.loyalty.ChurnRisk.DEFAULT_CUTOFFS]).
        no_repeat: what a customer without a repeat visit gets: ``"unplaced"`` (default,
            ``-1``) or ``"scored"`` (the band of their P(alive)).
        model_: fitted: the fitted churn model.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.book(200, seed=11), as_of=date(2026, 6, 30))
        >>> risk = ChurnRisk().fit(feats)
        >>> risk.assign(feats).counts()
        {'loyal': 84, 'swinging': 6, 'lost': 67}
        >>> ChurnRisk(cutoffs=(0.9, 0.3), no_repeat="scored").fit(feats).assign(feats).counts()
        {'loyal': 74, 'swinging': 53, 'lost': 53}
        >>> from aftersales_crm.loyalty import LoyaltyValueMatrix
        >>> print(LoyaltyValueMatrix(loyalty=ChurnRisk()).fit(feats).matrix(feats))
                    D diamond  G gold  S silver
        A loyal            33      29        22
        B swinging          1       1         4
        C lost              5      27        35
    """

    kind: ClassVar[PolicyKind] = "loyalty"
    population_relative: ClassVar[bool] = True

    NAMES: ClassVar[tuple[str, str, str]] = VehicleStatus.NAMES
    """The labels in English: loyal, swinging, lost (those of ``LoyaltyStatus``)."""

    NAMES_ZH: ClassVar[tuple[str, str, str]] = VehicleStatus.NAMES_ZH
    """The labels in Chinese: 忠诚, 摇摆, 流失, the rows of the material's 客户细分矩阵."""

    DEFAULT_CUTOFFS: ClassVar[tuple[float, float]] = (0.8, 0.5)
    """Loyal from P(alive) 0.8, swinging from 0.5, lost below: the library's choice (the
    material gives no probability; the reasons are in the class's description)."""

    parameter_constraints: ClassVar[Mapping[str, Constraint]] = {
        "model": OrNone(Instance(ChurnModel, "a churn model (kind churn_model: fit, score)")),
        "cutoffs": Numbers(low=0, high=1, order="decreasing", count=2),
        "no_repeat": OneOf(("unplaced", "scored")),
    }
    """A churn model or None; two strictly decreasing probabilities; no_repeat's choice."""

    model_: Any

    def __init__(
        self,
        *,
        model: ChurnModel | None = None,
        cutoffs: tuple[float, float] = DEFAULT_CUTOFFS,
        no_repeat: Literal["unplaced", "scored"] = "unplaced",
    ) -> None:
        self.model = model
        self.cutoffs = cutoffs
        self.no_repeat = no_repeat

    def _model(self) -> ChurnModel:
        model: ChurnModel | None = validate_params(self, "model")["model"]
        if model is None:
            return BgNbd()
        if getattr(type(model), "kind", None) != _CHURN_MODEL:
            kind = getattr(type(model), "kind", None)
            raise invalid(self, "model", model, f"its kind is {kind!r}, expected 'churn_model'")
        return model

    def _fit(self, features: FeatureTable) -> None:
        model = self._model()
        if _fitted(model):  # kept as it is: its parameters come from elsewhere
            self.model_ = model
            return
        try:
            self.model_ = model.fit(features)
        except ConvergenceError as err:
            customers = f"{len(features)} customer" + ("" if len(features) == 1 else "s")
            msg = (
                f"{type(self).__name__}: the churn model {type(model).__name__} cannot"
                f" be fitted on these {customers}: {err}"
            )
            raise ConvergenceError(msg, code=err.code) from err

    def p_alive(self, features: FeatureTable) -> Scores:
        """Each customer's P(alive) under the fitted model, the number the bands cut.

        Args:
            features: the customers.

        Returns:
            Scores aligned with the rows of ``features``; NaN where the model has none.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: the model gives another number of scores than rows.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(200, seed=11), as_of=date(2026, 6, 30))
            >>> ChurnRisk().fit(feats).p_alive(feats).values[:4].round(3).tolist()
            [1.0, 0.692, 1.0, 0.057]
        """
        check_is_fitted(self)
        scores = self.model_.score(features)
        if not isinstance(scores, Scores) or len(scores) != len(features):
            got = len(scores) if isinstance(scores, Scores) else type(scores).__name__
            msg = (
                f"{type(self).__name__}: the churn model {type(self.model_).__name__} gave"
                f" {got} scores for {len(features)} rows; expected Scores, one per row"
            )
            raise InvalidValue(msg, code="invalid_parameter")
        return scores

    def assign(self, features: FeatureTable) -> Labels:
        """The band of each customer: loyal, swinging, lost; ``-1`` without a P(alive).

        Args:
            features: the customers (the fit population or any other; ``frequency``,
                ``span_days`` and ``tenure_days`` for the library's models).

        Returns:
            Labels aligned with the rows of ``features``.

        Raises:
            NotFittedError: before [`fit`][aftersales_crm.policies.BasePolicy.fit].
            InvalidValue: a parameter is invalid, or a feature the model reads is missing.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.book(200, seed=11), as_of=date(2026, 6, 30))
            >>> ChurnRisk().fit(feats).assign(feats).values("zh")[:4].tolist()
            [None, '摇摆', None, '流失']
        """
        params = validate_params(self, "cutoffs", "no_repeat")
        p = self.p_alive(features).values
        codes = at_or_above(p, params["cutoffs"], below=_LOST)
        codes[np.isnan(p)] = MISSING
        if params["no_repeat"] == "unplaced":
            repeats = np.asarray(feature(features, _FREQUENCY), dtype=np.float64)
            codes[repeats == 0] = MISSING
        return labels(codes, self.NAMES, self.NAMES_ZH)
