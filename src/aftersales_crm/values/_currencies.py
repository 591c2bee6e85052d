"""ISO 4217 currency codes with their minor units, and the marks money is written with.

[`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS] is the table of currencies [`Money`][aftersales_crm.values.Money]
accepts: active ISO 4217 alphabetic codes and the number of decimal places of their minor
unit (CNY 2: the fen; JPY 0; KWD 3: the fils). It is a deliberate, frozen subset of
ISO 4217 List One (current currencies), not a copy of CLDR: CLDR also knows codes that are
not ISO 4217, such as ``CNH`` (the offshore-yuan market code), and those are refused here.

``DISPLAY_SYMBOLS`` and ``CURRENCY_MARKS`` are the two directions of the symbols
used in text: the one symbol ``Money.format`` writes for a code, and every mark
``Money.parse`` reads with the currencies it may stand for. ``¥`` means the yuan in
this library (it is a Chinese library first), so the yen is written ``JP¥``; reading
``¥`` as the yen needs ``default_currency="JPY"``. Every written symbol reads back as its
own currency, so ``Money.parse(m.format()) == m``.

References:
    ISO 4217:2015, *Codes for the representation of currencies*, List One (current
    currency & funds code list) with the minor-unit column, as maintained by the ISO 4217
    maintenance agency (SIX Group) through its published amendments.

Examples:
    >>> from aftersales_crm.values._currencies import CURRENCY_EXPONENTS, currency_exponent
    >>> CURRENCY_EXPONENTS["CNY"], currency_exponent("JPY"), currency_exponent("KWD")
    (2, 0, 3)
    >>> "CNH" in CURRENCY_EXPONENTS
    False
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from aftersales_crm.errors import InvalidComponent

__all__ = [
    "CURRENCY_EXPONENTS",
    "CURRENCY_MARKS",
    "DISPLAY_SYMBOLS",
    "currency_exponent",
]

CURRENCY_EXPONENTS: Final[Mapping[str, int]] = MappingProxyType(
    {
        # Greater China first: the markets the library is built for.
        "CNY": 2,  # renminbi yuan; minor unit the fen (分)
        "HKD": 2,
        "MOP": 2,
        "TWD": 2,  # ISO 4217 says 2, though cash prices are quoted in whole dollars
        # Asia-Pacific
        "AUD": 2,
        "BDT": 2,
        "BND": 2,
        "IDR": 2,  # ISO 4217 says 2, though prices are quoted in whole rupiah
        "INR": 2,
        "JPY": 0,
        "KHR": 2,
        "KRW": 0,
        "KZT": 2,
        "LAK": 2,
        "LKR": 2,
        "MMK": 2,
        "MNT": 2,
        "MYR": 2,
        "NPR": 2,
        "NZD": 2,
        "PHP": 2,
        "PKR": 2,
        "SGD": 2,
        "THB": 2,
        "UZS": 2,
        "VND": 0,
        # Europe
        "CHF": 2,
        "CZK": 2,
        "DKK": 2,
        "EUR": 2,
        "GBP": 2,
        "HUF": 2,
        "ISK": 0,
        "NOK": 2,
        "PLN": 2,
        "RON": 2,
        "RUB": 2,
        "SEK": 2,
        "TRY": 2,
        "UAH": 2,
        # Middle East and Africa: three-decimal dinars and rials among them
        "AED": 2,
        "BHD": 3,
        "EGP": 2,
        "ILS": 2,
        "IQD": 3,
        "JOD": 3,
        "KWD": 3,
        "LYD": 3,
        "OMR": 3,
        "QAR": 2,
        "SAR": 2,
        "TND": 3,
        "UGX": 0,
        "XAF": 0,  # CFA franc BEAC
        "XOF": 0,  # CFA franc BCEAO
        "ZAR": 2,
        # Americas
        "ARS": 2,
        "BRL": 2,
        "CAD": 2,
        "CLP": 0,
        "COP": 2,
        "MXN": 2,
        "PYG": 0,
        "USD": 2,
    }
)
"""Minor-unit exponent of every supported ISO 4217 currency, by alphabetic code.

The exponent is the number of decimal places of the currency's minor unit, from the
minor-unit column of ISO 4217 List One: an amount in CNY is a whole number of fen (0.01),
in JPY of yen, in KWD of fils (0.001). Read-only; codes are upper case. Codes that are not
ISO 4217 (``CNH``, ``RMB``, ``NTD``) are absent on purpose.

Examples:
    >>> CURRENCY_EXPONENTS["CNY"], CURRENCY_EXPONENTS["JPY"], CURRENCY_EXPONENTS["BHD"]
    (2, 0, 3)
    >>> "CNH" in CURRENCY_EXPONENTS
    False
"""

DISPLAY_SYMBOLS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "AUD": "A$",
        "BRL": "R$",
        "CAD": "CA$",
        "CNY": "¥",
        "EUR": "€",
        "GBP": "£",
        "HKD": "HK$",
        "ILS": "₪",
        "INR": "₹",
        "JPY": "JP¥",  # plain ¥ is the yuan here; CLDR's Chinese locales also write JP¥
        "KRW": "₩",
        "MOP": "MOP$",
        "MXN": "MX$",
        "NZD": "NZ$",
        "PHP": "₱",
        "SGD": "S$",
        "THB": "฿",
        "TWD": "NT$",
        "USD": "$",
        "VND": "₫",
    }
)
"""The symbol ``Money.format`` writes before an amount, by currency code.

One unambiguous symbol per currency; currencies without one here are written with their
code after the amount (``"1,234.500 KWD"``). ``¥`` is the yuan; the yen is ``JP¥``.

Examples:
    >>> DISPLAY_SYMBOLS["CNY"], DISPLAY_SYMBOLS["JPY"], DISPLAY_SYMBOLS["HKD"]
    ('¥', 'JP¥', 'HK$')
"""

CURRENCY_MARKS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        # Marks shared by several currencies: the first is meant unless the caller's
        # default currency is one of the others.
        "¥": ("CNY", "JPY"),  # also the NFKC form of the full-width ￥
        "元": ("CNY", "HKD", "MOP", "TWD"),  # yuan, the Chinese word for the dollar unit too
        "圆": ("CNY", "HKD", "MOP", "TWD"),  # the formal character of 元
        "$": ("USD", "AUD", "CAD", "HKD", "MOP", "MXN", "NZD", "SGD", "TWD"),
        # Marks of one currency.
        "CN¥": ("CNY",),
        "RMB": ("CNY",),  # the currency's name, common on Chinese invoices; not ISO 4217
        "JP¥": ("JPY",),
        "円": ("JPY",),
        "US$": ("USD",),
        "HK$": ("HKD",),
        "MOP$": ("MOP",),
        "NT$": ("TWD",),
        "S$": ("SGD",),
        "A$": ("AUD",),
        "AU$": ("AUD",),
        "C$": ("CAD",),
        "CA$": ("CAD",),
        "NZ$": ("NZD",),
        "MX$": ("MXN",),
        "R$": ("BRL",),
        "€": ("EUR",),
        "£": ("GBP",),
        "₩": ("KRW",),
        "₹": ("INR",),
        "₪": ("ILS",),
        "₱": ("PHP",),
        "฿": ("THB",),
        "₫": ("VND",),
    }
)
"""Symbols and words ``Money.parse`` reads as a currency, with the codes they may mean.

Keys are upper case as text is upper-cased (after NFKC) before they are looked up. The
first code is the one a mark means unless the caller's ``default_currency`` is one of the
others: ``"$12"`` is USD, but HKD when the default currency is HKD.

Examples:
    >>> CURRENCY_MARKS["¥"], CURRENCY_MARKS["HK$"]
    (('CNY', 'JPY'), ('HKD',))
"""

_NOT_ISO_4217: Final[Mapping[str, str]] = MappingProxyType(
    {
        "CNH": "CNH is the market code of the offshore yuan, not ISO 4217: use CNY",
        "RMB": "RMB is the name of the currency; its ISO 4217 code is CNY",
        "NTD": "NTD is a common abbreviation; the ISO 4217 code is TWD",
    }
)
"""Hints for codes people write that ISO 4217 does not define."""


def currency_exponent(code: str) -> int:
    """Return the minor-unit exponent of an ISO 4217 currency.

    Args:
        code: an upper-case ISO 4217 alphabetic code from [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS].

    Returns:
        The number of decimal places of the currency's minor unit (CNY 2, JPY 0, KWD 3).

    Raises:
        InvalidComponent: with code ``"currency_unknown"`` when ``code`` is not in
            [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS]; the message names the code.

    Examples:
        >>> currency_exponent("CNY"), currency_exponent("JPY"), currency_exponent("KWD")
        (2, 0, 3)
        >>> currency_exponent("CNH")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: currency 'CNH' is not supported: CNH is the ...
    """
    given: object = code  # callers may pass anything; the annotation is the contract
    if not isinstance(given, str):
        hint = f"a currency code is a str, got {type(given).__name__}"
    elif given in CURRENCY_EXPONENTS:
        return CURRENCY_EXPONENTS[given]
    elif given in _NOT_ISO_4217:
        hint = _NOT_ISO_4217[given]
    elif given.upper() in CURRENCY_EXPONENTS:
        hint = f"codes are upper case: {given.upper()!r}"
    else:
        hint = "not an ISO 4217 code in CURRENCY_EXPONENTS"
    raise InvalidComponent(f"currency {code!r} is not supported: {hint}", code="currency_unknown")
