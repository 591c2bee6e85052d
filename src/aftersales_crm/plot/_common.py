"""What every plot shares: matplotlib imported lazily, the axes to draw on, labels in zh or en."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

from aftersales_crm._args import language
from aftersales_crm._optional import require
from aftersales_crm.errors import InvalidType
from aftersales_crm.values import Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CJK_FONTS", "MissingFontWarning", "cjk_font"]

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Arial Unicode MS",
)
"""Fonts with simplified Chinese glyphs, in the order [`cjk_font`][aftersales_crm.plot.cjk_font] looks for them:
the free Noto / Source Han, WenQuanYi and Droid fonts of Linux distributions (Debian's
``fonts-noto-cjk``, ``fonts-wqy-zenhei``), then those of Windows and macOS."""

_FALLBACK: Final = "DejaVu Sans"
"""Matplotlib's own font, for the Latin text and digits a CJK font may lack."""


class MissingFontWarning(UserWarning):
    """Chinese labels were asked for, but no font with Chinese glyphs is installed.

    The plot is drawn with English labels instead (matplotlib's own font has no Chinese
    glyphs and would draw empty boxes). Install one of [`CJK_FONTS`][aftersales_crm.plot.CJK_FONTS] (on Debian or
    Ubuntu ``apt-get install fonts-noto-cjk``) and clear matplotlib's font cache to get
    Chinese labels.

    Examples:
        >>> issubclass(MissingFontWarning, UserWarning)
        True
    """


def pyplot() -> ModuleType:
    """``matplotlib.pyplot``, imported on first use (the ``plot`` extra)."""
    return require("matplotlib.pyplot", extra="plot")


@functools.cache
def _installed_cjk_font() -> str | None:
    font_manager = require("matplotlib.font_manager", extra="plot")
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def cjk_font() -> str | None:
    """The first of [`CJK_FONTS`][aftersales_crm.plot.CJK_FONTS] that matplotlib's font manager knows, or None.

    Plots with ``lang="zh"`` draw their text in it. The answer is looked up once per
    process (matplotlib's font list does not change while it runs).

    Raises:
        MissingDependencyError: matplotlib is not installed (the ``plot`` extra).

    Examples:
        >>> cjk_font() is None or cjk_font() in CJK_FONTS
        True
    """
    return _installed_cjk_font()


def text_language(lang: object) -> Lang:
    """The language to label in: ``lang``, or ``"en"`` with a warning when no CJK font exists.

    Raises:
        InvalidValue: ``lang`` is not ``"en"`` or ``"zh"``.
    """
    chosen: Lang = "zh" if language(lang) == "zh" else "en"
    if chosen == "zh" and cjk_font() is None:
        warnings.warn(
            "no font with Chinese glyphs is installed (one of aftersales_crm.plot.CJK_FONTS,"
            " e.g. apt-get install fonts-noto-cjk): labelling in English",
            MissingFontWarning,
            stacklevel=3,
        )
        return "en"
    return chosen


def checked(
    value: object, kind: type[Any] | tuple[type[Any], ...], parameter: str, what: str
) -> Any:
    """``value`` if it is a ``kind``; else an InvalidType naming the parameter and ``what``."""
    if not isinstance(value, kind):
        msg = f"{parameter} is {type(value).__name__} {value!r:.60}, expected {what}"
        raise InvalidType(msg)
    return value


def axes(ax: object) -> Axes:
    """``ax`` checked, or the axes of a new figure (pyplot's, so notebooks show it)."""
    matplotlib_axes = require("matplotlib.axes", extra="plot")
    if ax is None:
        _, new = pyplot().subplots()
        found: Axes = new
        return found
    given: Axes = checked(ax, matplotlib_axes.Axes, "ax", "matplotlib Axes or None")
    return given


def finish(ax: Axes, lang: Lang) -> Axes:
    """Draw every text of ``ax`` in the CJK font when labelling in Chinese.

    Texts elsewhere in the figure (a caller's other axes) are left as they are.
    """
    if lang == "zh":
        text = require("matplotlib.text", extra="plot")
        for found in ax.findobj(text.Text):
            chinese(found)
    return ax


def chinese(text: Any) -> None:
    """Draw a matplotlib text in the CJK font, Latin letters and digits in matplotlib's own."""
    text.set_fontfamily([cjk_font() or _FALLBACK, _FALLBACK])


def yuan(fen: float) -> str:
    """An amount of fen shown in yuan, whole, with thousands separators (for labels only)."""
    return f"{fen / 100:,.0f}"


def pick(lang: Lang, en: str, zh: str) -> str:
    """``zh`` when labelling in Chinese, else ``en``."""
    return zh if lang == "zh" else en


def names_in(lang: Lang, names: Sequence[str], names_zh: Sequence[str] | None) -> list[str]:
    """Label names in ``lang``: the Chinese ones when asked for and given."""
    return list(names_zh) if lang == "zh" and names_zh else list(names)
