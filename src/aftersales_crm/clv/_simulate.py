"""Customers drawn from a known BG/NBD process: for examples, tests and benchmarks."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from aftersales_crm._args import number_array, whole_number
from aftersales_crm.clv._history import History
from aftersales_crm.errors import InvalidValue

__all__ = ["simulate_bgnbd"]


def simulate_bgnbd(
    age: ArrayLike, *, r: float, alpha: float, a: float, b: float, seed: int
) -> History:
    """The histories of customers of the given ages under a BG/NBD process with known parameters.

    Each customer draws a visit rate λ ~ Gamma(r, scale 1/α) and a drop-out probability
    p ~ Beta(a, b); from their first visit at time 0 they visit at rate λ and, after each
    repeat visit, drop out with probability p (Fader, Hardie & Lee 2005, §3), until their age.

    Args:
        age: each customer's age T at the end of the observation (one per customer).
        r: shape of the visit rates.
        alpha: scale of the visit rates, in the unit of ``age``.
        a: first shape of the drop-out probabilities.
        b: second shape.
        seed: the seed of the numpy random generator (the draw is reproducible).

    Examples:
        >>> h = simulate_bgnbd([52.0] * 1000, r=2.0, alpha=10.0, a=1.0, b=4.0, seed=1)
        >>> len(h), bool((h.t_x <= h.T).all()), float(h.x.mean()) > 1
        (1000, True, True)
    """
    ages = np.array(number_array(age, parameter="age"), dtype=np.float64, ndmin=1)
    params = {"r": r, "alpha": alpha, "a": a, "b": b}
    if not all(_positive(v) for v in params.values()):
        msg = f"the parameters are numbers above 0, got {params}"
        raise InvalidValue(msg, code="invalid_parameter")
    if not np.all(np.isfinite(ages) & (ages >= 0)):
        msg = "ages are finite times >= 0"
        raise InvalidValue(msg, code="invalid_history")
    rng = np.random.default_rng(whole_number(seed, parameter="seed", minimum=0))
    n = len(ages)
    rate = rng.gamma(r, 1 / alpha, n)
    drop = rng.beta(a, b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    active = np.arange(n)
    while active.size:
        nxt = t_x[active] + rng.exponential(1.0, active.size) / rate[active]
        came = nxt <= ages[active]
        active = active[came]
        x[active] += 1
        t_x[active] = nxt[came]
        active = active[rng.random(active.size) >= drop[active]]
    return History(x, t_x, ages)


def _positive(value: object) -> bool:
    """Whether ``value`` is a finite number above 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value) and value > 0
    except OverflowError:  # an int too large for a float
        return False
