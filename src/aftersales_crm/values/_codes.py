"""The one code of "none" in integer-coded columns."""

from __future__ import annotations

from typing import Final

__all__ = ["NONE_CODE"]

NONE_CODE: Final[int] = -1
"""The code of "none" in every integer-coded column, as pandas codes a missing category.

A reference that points to no row, a categorical or label left empty, a sector of no
bearing and a policy label a customer does not get are all ``-1``: positions count from 0,
so no real row or member has it.

Examples:
    >>> from aftersales_crm.values import NONE_CODE, sector_codes
    >>> NONE_CODE, sector_codes([float("nan")]).tolist()
    (-1, [-1])
"""
