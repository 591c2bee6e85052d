"""The interface every identifier module shares, and the normalisation they all use."""

from __future__ import annotations

import unicodedata
from typing import Protocol

from aftersales_crm.errors import InvalidFormat

__all__ = ["IdentifierModule", "normalise"]


class IdentifierModule(Protocol):
    """The verbs every identifier module offers (after python-stdnum's uniform API).

    Examples:
        >>> from aftersales_crm.values import plate, vin
        >>> modules: list[IdentifierModule] = [vin, plate]
        >>> [m.is_valid("京A12345") for m in modules]
        [False, True]
    """

    def compact(self, number: str) -> str:
        """Normalise: NFKC, strip separators, upper-case; no validation."""

    def validate(self, number: str) -> str:
        """Return the canonical compact form, or raise an ``InvalidValue`` naming the rule."""

    def is_valid(self, number: object) -> bool:
        """Tell whether the value is valid; never raises, whatever it is given."""

    def format(self, number: str) -> str:
        """Return the display form of a valid value."""


def normalise(number: object, *, what: str, separators: str = " -") -> str:
    """Normalise an identifier: require a str, apply NFKC, drop separators, upper-case.

    NFKC turns full-width characters typed with Chinese input methods (``１ＨＧ``) into
    their ASCII forms.

    Args:
        number: the raw input.
        what: the identifier's name, for the error message.
        separators: characters removed anywhere in the value.

    Returns:
        The normalised string.

    Raises:
        InvalidFormat: the input is not a str (code ``"<what>_type"``).

    Examples:
        >>> normalise(" １ｈｇ-ｃｍ ", what="vin")
        '1HGCM'
    """
    if not isinstance(number, str):
        msg = f"a {what.replace('_', ' ')} is a str, not {type(number).__name__}"
        raise InvalidFormat(msg, code=f"{what}_type")
    text = unicodedata.normalize("NFKC", number)
    return text.translate({ord(c): None for c in separators}).strip().upper()
