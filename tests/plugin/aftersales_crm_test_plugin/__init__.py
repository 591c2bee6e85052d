"""A third-party tier policy written as a plain class, registered through an entry point."""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np

from aftersales_crm.errors import NotFittedError
from aftersales_crm.features import FeatureTable
from aftersales_crm.policies import Labels, PolicyKind

__all__ = ["TopSpenders"]

# Any: Labels' attrs converter leaves mypy an unsolved type variable for a tuple of names.
_NAMES: Any = ("top", "rest")


class TopSpenders:
    """The customers whose spend is in the top ``share`` of the population, and the rest.

    Args:
        share: the share of customers counted as top spenders.
        column: the money feature to rank by.

    Examples:
        >>> TopSpenders(), TopSpenders(share=0.1)
        (TopSpenders(), TopSpenders(share=0.1))
    """

    kind: ClassVar[PolicyKind] = "tier"
    population_relative: ClassVar[bool] = True
    cutoff_: float  # set by fit

    def __init__(self, *, share: float = 0.2, column: str = "spend_fen") -> None:
        self.share = share
        self.column = column

    def get_params(self) -> dict[str, Any]:
        return {"share": self.share, "column": self.column}

    def set_params(self, **params: Any) -> Self:
        return type(self)(**(self.get_params() | params))

    def clone(self) -> Self:
        return type(self)(**self.get_params())

    def fit(self, features: FeatureTable) -> Self:
        fitted = self.clone()
        spend = features[self.column]
        # The smallest spend that still counts as top; nobody is on top of an empty book.
        fitted.cutoff_ = (
            float(np.quantile(spend, 1 - self.share, method="higher")) if len(spend) else np.inf
        )
        return fitted

    def assign(self, features: FeatureTable) -> Labels:
        cutoff = getattr(self, "cutoff_", None)
        if cutoff is None:
            msg = f"{type(self).__name__} is not fitted yet: call fit() first"
            raise NotFittedError(msg)
        return Labels((features[self.column] < cutoff).astype(np.int16), _NAMES)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != _DEFAULTS[k]}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


_DEFAULTS: dict[str, Any] = TopSpenders().get_params()
