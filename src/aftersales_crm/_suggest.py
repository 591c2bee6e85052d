"""Close-name suggestions for error messages ("did you mean 'spend_fen'?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Final

__all__ = ["did_you_mean"]

SUGGESTIONS: Final = 3
"""At most this many close names are suggested."""


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """``"did you mean 'a' or 'b'?"`` for the known names close to ``name``, or None.

    Case does not count: ``"SPEND_FEN"`` finds ``"spend_fen"``.

    Examples:
        >>> did_you_mean("spend", ["spend_fen", "visits", "spend_window_fen"])
        "did you mean 'spend_fen'?"
        >>> did_you_mean("wealth", ["spend_fen"]) is None
        True
    """
    by_folded = {k.casefold(): k for k in known}
    folded = difflib.get_close_matches(name.casefold(), list(by_folded), n=SUGGESTIONS)
    close = [by_folded[k] for k in folded]
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
