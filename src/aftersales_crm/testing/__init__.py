"""Tools for testing code built on aftersales_crm.

* :mod:`aftersales_crm.testing.strategies`: hypothesis strategies for every record and for
  consistent Books (every reference valid).

Needs the ``testing`` extra (hypothesis); ``import aftersales_crm`` never imports this
package.

Examples:
    >>> from aftersales_crm.testing import strategies
    >>> strategies.vins().example()  # doctest: +SKIP
    'LSVAU218XN2183294'
"""

from __future__ import annotations

from aftersales_crm._optional import require

require("hypothesis", extra="testing")

from aftersales_crm.testing import strategies  # noqa: E402 - after the dependency check

__all__ = ["strategies"]
