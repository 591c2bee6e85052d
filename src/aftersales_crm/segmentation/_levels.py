"""The member value levels, named once: diamond / platinum / gold / silver (钻石/白金/黄金/白银).

Value tiers ([`ThresholdTiers`][aftersales_crm.segmentation.ThresholdTiers],
[`QuantileTiers`][aftersales_crm.segmentation.QuantileTiers],
[`MemberValue`][aftersales_crm.segmentation.MemberValue]) and the columns of the loyalty × value
matrix read the level names and their Chinese names from here, and the material's own
names of the classes: 《斯柯达车友汇客户关爱总监培训教材》 lists the value classes
"钻石级客户 白金级客户 黄金级客户……" and heads the matrix's columns "D钻石客户 G黄金客户
S白银客户".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from aftersales_crm.values import Material, Quote

__all__ = ["LEVEL_NAMES", "LEVEL_NAMES_ZH", "MATRIX_CLASSES", "VALUE_CLASSES", "names_zh"]

LEVEL_NAMES_ZH: Final[Mapping[str, str]] = MappingProxyType(
    {"diamond": "钻石", "platinum": "白金", "gold": "黄金", "silver": "白银"}
)
"""Each member level, highest first, and its Chinese name."""

LEVEL_NAMES: Final = tuple(LEVEL_NAMES_ZH)
"""The four member value levels, highest first."""

VALUE_CLASSES: Final[Mapping[str, Quote]] = MappingProxyType(
    {
        "diamond": Quote(Material.OWNERS_CLUB, "钻石级客户", "diamond-class customers"),
        "platinum": Quote(Material.OWNERS_CLUB, "白金级客户", "platinum-class customers"),
        "gold": Quote(Material.OWNERS_CLUB, "黄金级客户", "gold-class customers"),
    }
)
"""The value classes of the value model of 《斯柯达车友汇客户关爱总监培训教材》, by level,
as the material names them (its
list ends in "……": silver is not named there)."""

MATRIX_CLASSES: Final[Mapping[str, Quote]] = MappingProxyType(
    {
        "diamond": Quote(Material.OWNERS_CLUB, "D钻石客户", "D: diamond customers"),
        "gold": Quote(Material.OWNERS_CLUB, "G黄金客户", "G: gold customers"),
        "silver": Quote(Material.OWNERS_CLUB, "S白银客户", "S: silver customers"),
    }
)
"""The value columns of the loyalty × value matrix of
《斯柯达车友汇客户关爱总监培训教材》, by level, as the material heads
them (letter and class)."""


def names_zh(names: Sequence[str]) -> tuple[str, ...] | None:
    """The Chinese names of level names, when every one is a known level.

    Examples:
        >>> names_zh(("gold", "silver")), names_zh(("gold", "vip"))
        (('黄金', '白银'), None)
    """
    if all(name in LEVEL_NAMES_ZH for name in names):
        return tuple(LEVEL_NAMES_ZH[name] for name in names)
    return None
