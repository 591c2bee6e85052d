"""The member value levels, named once: diamond / platinum / gold / silver (钻石/白金/黄金/白银).

Value tiers (:class:`~aftersales_crm.segmentation.ThresholdTiers`,
:class:`~aftersales_crm.segmentation.QuantileTiers`,
:class:`~aftersales_crm.segmentation.MemberValue`) and the columns of the loyalty × value
matrix read the level names and their Chinese names from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

__all__ = ["LEVEL_NAMES", "LEVEL_NAMES_ZH", "names_zh"]

LEVEL_NAMES_ZH: Final[Mapping[str, str]] = MappingProxyType(
    {"diamond": "钻石", "platinum": "白金", "gold": "黄金", "silver": "白银"}
)
"""Each member level, highest first, and its Chinese name."""

LEVEL_NAMES: Final = tuple(LEVEL_NAMES_ZH)
"""The four member value levels, highest first."""


def names_zh(names: Sequence[str]) -> tuple[str, ...] | None:
    """The Chinese names of level names, when every one is a known level.

    Examples:
        >>> names_zh(("gold", "silver")), names_zh(("gold", "vip"))
        (('黄金', '白银'), None)
    """
    if all(name in LEVEL_NAMES_ZH for name in names):
        return tuple(LEVEL_NAMES_ZH[name] for name in names)
    return None
