"""Tools for testing code built on aftersales_crm.

* [`check_policy`][aftersales_crm.testing.check_policy], [`policy_checks`][aftersales_crm.testing.policy_checks] and [`parametrize_with_policy_checks`][aftersales_crm.testing.parametrize_with_policy_checks]:
  the conformance kit that checks a policy (yours or a built-in) against every rule of the
  policy contract, as scikit-learn's ``check_estimator`` does for estimators. The checks
  that apply, and the sample input they run on, come from the declaration of the policy's
  kind ([`aftersales_crm.policies.policy_kind`][aftersales_crm.policies.policy_kind]).
* [`aftersales_crm.testing.strategies`][aftersales_crm.testing.strategies]: hypothesis strategies for every record and for
  consistent Books (every reference valid).

Needs the ``testing`` extra (hypothesis; pytest for the decorator, imported only when it
is used); ``import aftersales_crm`` never imports this package.

Examples:
    >>> from aftersales_crm.testing import strategies
    >>> strategies.vins().example()  # doctest: +SKIP
    'LSVAU218XN2183294'
"""

from __future__ import annotations

from aftersales_crm._optional import require

require("hypothesis", extra="testing")

from aftersales_crm.testing import strategies  # noqa: E402 - after the dependency check
from aftersales_crm.testing._checks import (  # noqa: E402 - after the dependency check
    check_policy,
    parametrize_with_policy_checks,
    policy_checks,
)

__all__ = ["check_policy", "parametrize_with_policy_checks", "policy_checks", "strategies"]
