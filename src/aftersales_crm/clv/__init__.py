"""Churn and lifetime value: the BG/NBD, Pareto/NBD and Gamma-Gamma models (the ``clv`` extra).

Service visits are non-contractual: a customer who stops coming does not say so. The
"buy till you die" models estimate, from each customer's repeat visits, recency and age
(the feature table's ``frequency``, ``span_days`` and ``tenure_days``), the probability
that they are still active (``BgNbd.p_alive``) and how often they will come back
(``BgNbd.expected_visits``); [`GammaGamma`][aftersales_crm.clv.GammaGamma] adds how much they spend per visit,
and [`lifetime_value`][aftersales_crm.clv.lifetime_value] combines the two into a discounted value; [`calibration_table`][aftersales_crm.clv.calibration_table]
checks a model on the visits that followed a split date. The visit models are
policies of the ``churn_model`` kind: their ``score`` gives P(alive) as Scores.

scipy is imported when a model is first fitted or used; without it the error names the
extra: ``pip install 'aftersales-crm[clv]'``.

Examples:
    >>> from aftersales_crm.clv import BgNbd
    >>> BgNbd().kind
    'churn_model'
"""

from __future__ import annotations

from aftersales_crm.clv._bgnbd import BgNbd
from aftersales_crm.clv._calibration import CalibrationTable, calibration_table
from aftersales_crm.clv._fitting import Convergence
from aftersales_crm.clv._gamma_gamma import GammaGamma
from aftersales_crm.clv._history import History
from aftersales_crm.clv._pareto_nbd import ParetoNbd
from aftersales_crm.clv._simulate import simulate_bgnbd
from aftersales_crm.clv._value import lifetime_value

__all__ = [
    "BgNbd",
    "CalibrationTable",
    "Convergence",
    "GammaGamma",
    "History",
    "ParetoNbd",
    "calibration_table",
    "lifetime_value",
    "simulate_bgnbd",
]
