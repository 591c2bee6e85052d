"""Exact money: a ``Decimal`` amount in an ISO 4217 currency.

[`Money`][aftersales_crm.values.Money] never goes through binary floating point, where ``0.1 + 0.2`` is not
``0.3``: amounts are ``Decimal`` built from text or integers, and a ``float`` anywhere
(constructor, multiplication, parsing, minor units) raises [`FloatMoneyError`][aftersales_crm.errors.FloatMoneyError].
Arithmetic is exact whatever the global ``decimal`` context says: sums and products
are computed in a private context with the largest precision ``decimal`` allows, so
nothing is rounded unless you ask. Rounding is explicit, per call, and half-up by
default ([`Money.round`][aftersales_crm.values.Money.round]), as Chinese invoices round to the fen (四舍五入); the
half-even rounding of ``decimal``'s default context (and of babel and py-moneyed) would
turn ¥2.665 into ¥2.66 instead of ¥2.67.

Amounts are bounded, so that every operation (construction, arithmetic, ``str``,
[`Money.to_minor`][aftersales_crm.values.Money.to_minor], [`Money.allocate`][aftersales_crm.values.Money.allocate], [`Money.parse`][aftersales_crm.values.Money.parse], comparisons, ``sum``)
works on numbers of at most 42 digits and takes microseconds: an amount is below
``10**24`` in magnitude (at most [`Money.MAX_INTEGER_DIGITS`][aftersales_crm.values.Money.MAX_INTEGER_DIGITS] digits before the
point) and has at most [`Money.MAX_DECIMAL_PLACES`][aftersales_crm.values.Money.MAX_DECIMAL_PLACES] digits after it. A ``Decimal`` such as
``1E+999999999`` is refused at once (formatting it would write a billion digits), and so
is an arithmetic result that leaves the range, with code ``"money_range"``.

Records hold ``Money``; tables hold integer minor units (fen), converted exactly by
[`Money.from_minor`][aftersales_crm.values.Money.from_minor] and [`Money.to_minor`][aftersales_crm.values.Money.to_minor]. Currencies and their minor units are
those of [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS] (ISO 4217).

References:
    ISO 4217:2015, *Codes for the representation of currencies*, List One, minor-unit
    column, for the number of decimal places of each currency. Invoices round half up
    (四舍五入), where Python's decimal context defaults to half even: the ``decimal``
    module documentation, *Rounding modes*. Why never float: the Python tutorial,
    *Floating-Point Arithmetic: Issues and Limitations*.

Examples:
    >>> from decimal import Decimal
    >>> from aftersales_crm.values._money import Money
    >>> labour = Money(Decimal("380.00"), "CNY")
    >>> parts = Money.parse("¥1,234.50")
    >>> labour + parts
    Money('1614.50', 'CNY')
    >>> Money.parse("2.665", "CNY").round()
    Money('2.67', 'CNY')
    >>> Money.parse("100", "CNY").allocate(3)
    (Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY'))
"""

from __future__ import annotations

import decimal
import operator
import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs
from pydantic_core import core_schema

from aftersales_crm.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InvalidComponent,
    InvalidFormat,
    InvalidType,
    InvalidValue,
)
from aftersales_crm.values._currencies import (
    CURRENCY_EXPONENTS,
    CURRENCY_MARKS,
    DISPLAY_SYMBOLS,
    currency_exponent,
)
from aftersales_crm.values._schema import value_object_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["CURRENCY_EXPONENTS", "Money", "currency_exponent"]

MAX_INTEGER_DIGITS: Final = 24
"""The most digits an amount of [`Money`][aftersales_crm.values.Money] has before the decimal point.

Amounts are below ``10**24`` in magnitude. The library's choice: the largest sums anyone
counts, a country's yearly output in the minor unit of a currency worth a ten-thousandth
of a dollar, stay under ``10**22``, so the bound never refuses real money; and it keeps
every number Money computes with short, so no operation can take more than microseconds.
"""

MAX_DECIMAL_PLACES: Final = 18
"""The most digits an amount of [`Money`][aftersales_crm.values.Money] has after the decimal point.

The library's choice: ISO 4217 minor units have at most 4 places, and unit prices, tax
bases and exchange rates a few more; 18 places leave room for products of such numbers.
"""

_MAX_ADJUSTED: Final = MAX_INTEGER_DIGITS - 1
"""The largest ``Decimal.adjusted()`` (exponent of the leading digit) of an amount."""

_SHOWN_BITS: Final = 128
_SHOWN_CHARS: Final = 40
_LOG10_2: Final = 0.30103
"""How error messages show long numbers: ints up to 128 bits and texts up to 40
characters whole, the rest cut short (a number with a billion digits stays a short message)."""

_RANGE_CODE: Final = "money_range"
"""Error code of an amount, a factor or a result out of magnitude or places."""

_EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    rounding=ROUND_HALF_UP,
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
"""Context of every sum, difference and product: as precise as decimal allows, and any
result that would not be exact raises instead of being rounded. It never reads or changes
the thread's current context."""


def shifted(amount: decimal.Decimal, places: int) -> decimal.Decimal:
    """``amount`` times ``10 ** places``, exactly, whatever the thread's decimal context.

    The one way the library moves an amount between minor and major units. A plain
    ``Decimal.scaleb`` rounds to the current context's precision: under a caller's
    ``localcontext(prec=3)``, 123,450 fen would become 1.23E+3 yuan.

    Examples:
        >>> with decimal.localcontext(decimal.Context(prec=3)):
        ...     shifted(decimal.Decimal(123450), -2), shifted(decimal.Decimal("29.33"), 2)
        (Decimal('1234.50'), Decimal('2933'))
    """
    return amount.scaleb(places, context=_EXACT)


_ROUNDING: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    rounding=ROUND_HALF_UP,
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""Context of [`Money.round`][aftersales_crm.values.Money.round]: like ``_EXACT`` but the rounding it asks for is allowed;
the rounding mode itself is always passed explicitly."""

_ROUNDING_MODES: Final = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)
"""The rounding modes of ``decimal``, the values [`Money.round`][aftersales_crm.values.Money.round] accepts."""

_AMOUNT_TEXT: Final = re.compile(
    rf"-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,{MAX_DECIMAL_PLACES}}})?"
)
"""An amount in JSON: a plain decimal string, no exponent, no grouping (``"-1234.50"``),
with at most 24 digits before the point and 18 after it."""

_AMOUNT_PATTERN: Final = f"^{_AMOUNT_TEXT.pattern}$"
"""``_AMOUNT_TEXT`` anchored, for the core schema (whose ``$`` is the end of the text)."""

_MAX_PARTS: Final = 1_000_000
"""The most parts [`Money.allocate`][aftersales_crm.values.Money.allocate] splits an amount into."""

_MAX_TEXT: Final = 100
"""The longest text [`Money.parse`][aftersales_crm.values.Money.parse] reads: any amount in range, written with grouping,
signs and a currency, is far shorter."""

_CODE_PATTERN: Final = r"^[A-Z]{3}$"
"""A currency in JSON: an ISO 4217 alphabetic code."""

_MARK_ALTERNATIVES: Final = "|".join(
    re.escape(mark) for mark in sorted(CURRENCY_MARKS, key=len, reverse=True)
)
"""Every currency mark as a regex alternative, longest first so ``HK$`` wins over ``$``."""

_MONEY_TEXT: Final = re.compile(
    rf"""
    (?P<sign>[-+])?
    (?:(?P<before>{_MARK_ALTERNATIVES}|[A-Z]{{3}})\s*(?P<inner_sign>[-+])?)?
    (?P<number>(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?)
    (?:\s*(?P<after>{_MARK_ALTERNATIVES}|[A-Z]{{3}}))?
    """,
    re.VERBOSE | re.ASCII,
)
"""Money as people write it, after NFKC and upper-casing: an optional sign, an optional
currency mark or code before or after the number, and a number with optional comma
grouping in threes and an optional decimal fraction."""


def _reject_float(value: object, where: str) -> None:
    """Raise [`FloatMoneyError`][aftersales_crm.errors.FloatMoneyError] if ``value`` is a binary float (numpy's included)."""
    if isinstance(value, float):
        msg = f"{where} got the float {value!r}: {FloatMoneyError.message}"
        raise FloatMoneyError(msg)


def _integer(value: object, where: str) -> int:
    """Return ``value`` as an int if it is an integer (not a bool, not a float)."""
    _reject_float(value, where)
    if isinstance(value, bool):
        msg = f"{where} takes an int, got the bool {value!r}"
        raise InvalidType(msg)
    try:
        return operator.index(value)  # type: ignore[arg-type]  # numpy integers too
    except TypeError:
        msg = f"{where} takes an int, got {type(value).__name__} {value!r}"
        raise InvalidType(msg) from None


def _shown(number: Decimal | int) -> str:
    """A number for an error message, cut short when it has many digits."""
    if isinstance(number, int):
        if number.bit_length() <= _SHOWN_BITS:
            return str(number)
        sign = "negative " if number < 0 else ""
        return f"a {sign}{int(number.bit_length() * _LOG10_2) + 1}-digit int"
    text = str(number)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:18]}…{text[-18:]}"


def _whole_in_range(value: int, what: str, digits: int = MAX_INTEGER_DIGITS) -> int:
    """``value`` if its magnitude is below ``10**digits``; raise naming ``what`` otherwise.

    The test is on the bit length first, so a huge int is refused without converting it.
    """
    if value.bit_length() > digits * 4 or abs(value) >= 10**digits:
        msg = f"{what} {_shown(value)} is out of range: money is below 10**{digits} in magnitude"
        raise InvalidValue(msg, code=_RANGE_CODE)
    return value


def _decimal_in_range(value: Decimal, what: str) -> Decimal:
    """``value`` if it is finite and within the digits money allows; raise otherwise.

    Both tests read only the exponents, so even ``1E+999999999`` is refused in constant
    time.
    """
    if not value.is_finite():
        msg = f"{what} must be a finite number, got {value}"
        raise InvalidComponent(msg, code="money_not_finite")
    if value.adjusted() > _MAX_ADJUSTED and not value.is_zero():
        msg = (
            f"{what} {_shown(value)} is out of range: money is below 10**{MAX_INTEGER_DIGITS} "
            "in magnitude"
        )
        raise InvalidValue(msg, code=_RANGE_CODE)
    exponent = _exponent_of(value)
    if exponent < -MAX_DECIMAL_PLACES:
        msg = (
            f"{what} {_shown(value)} has {-exponent} decimal places; money keeps at most "
            f"{MAX_DECIMAL_PLACES} (round it first)"
        )
        raise InvalidValue(msg, code=_RANGE_CODE)
    if exponent > _MAX_ADJUSTED:  # zero written with a large exponent, "0E+30"
        return Decimal(0)
    return value


def _to_amount(value: Decimal | int) -> Decimal:
    """Converter of [`Money.amount`][aftersales_crm.values.Money]: a finite Decimal in range, or an int made one; never -0."""
    candidate: object = value
    _reject_float(candidate, "Money amount")
    if isinstance(candidate, int) and not isinstance(candidate, bool):
        return Decimal(_whole_in_range(candidate, "Money amount"))
    if not isinstance(candidate, Decimal):
        hint = " (use Money.parse for text)" if isinstance(candidate, str) else ""
        msg = (
            f"Money amount must be a decimal.Decimal or an int, "
            f"got {type(candidate).__name__} {candidate!r}{hint}"
        )
        raise InvalidType(msg)
    candidate = _decimal_in_range(candidate, "Money amount")
    # -0 and 0 are the same amount; keep one spelling so repr and JSON never show "-0.00".
    return candidate.copy_abs() if candidate.is_zero() else candidate


def _check_currency(instance: object, attribute: object, value: str) -> None:
    """Validator of [`Money.currency`][aftersales_crm.values.Money]: a code of [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS]."""
    currency_exponent(value)


def _exponent_of(amount: Decimal) -> int:
    """The exponent of a finite Decimal (``-2`` for ``1.50``)."""
    return int(amount.as_tuple().exponent)  # an int for every finite Decimal


def _quantum(currency: str) -> Decimal:
    """One minor unit of ``currency`` as a Decimal exponent (``1E-2`` for CNY)."""
    return Decimal((0, (1,), -currency_exponent(currency)))


@attrs.frozen
class Money:
    """An exact amount of money in one ISO 4217 currency.

    Amounts are ``Decimal`` and keep the digits they were given
    (``1.50`` stays ``1.50``); equality and hashing compare values, so ``1.5 CNY`` equals
    ``1.50 CNY``, and amounts in different currencies are never equal. Arithmetic is exact
    and independent of the global decimal context; combining currencies raises
    [`CurrencyMismatchError`][aftersales_crm.errors.CurrencyMismatchError], and floats raise [`FloatMoneyError`][aftersales_crm.errors.FloatMoneyError].

    Build money with [`parse`][aftersales_crm.values.Money.parse] (text such as ``"¥1,234.50"``), [`from_minor`][aftersales_crm.values.Money.from_minor]
    (integer fen from tables) or [`zero`][aftersales_crm.values.Money.zero]; the constructor takes the two fields only.

    Operations:
        ``a + b``, ``a - b``, ``-a``, ``+a``, ``abs(a)``, ``sum(amounts)`` (0 is the
        additive identity, so ``0 + a == a``; no other number adds to money),
        ``a * n`` and ``n * a`` for an int or Decimal ``n`` (not money times money, and
        no division: use [`allocate`][aftersales_crm.values.Money.allocate]), ``< <= > >=`` within one currency, and
        ``bool(a)``, false for a zero amount. A factor is bounded like an amount, and a
        result out of range raises (code ``"money_range"``) rather than grow without end.

    Bounds:
        An amount is below ``10**24`` in magnitude ([`MAX_INTEGER_DIGITS`][aftersales_crm.values.Money.MAX_INTEGER_DIGITS]) and has at
        most 18 decimal places ([`MAX_DECIMAL_PLACES`][aftersales_crm.values.Money.MAX_DECIMAL_PLACES]), so no operation takes more
        than microseconds; see the module docstring for why.

    Attributes:
        amount: the amount, a ``Decimal`` or an ``int``; never a float,
            and not text (use [`parse`][aftersales_crm.values.Money.parse]). It may have more decimal places than the
            currency's minor unit (unit prices, tax bases) until [`round`][aftersales_crm.values.Money.round] is called.
        currency: an upper-case ISO 4217 code from [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS].

    Raises:
        FloatMoneyError: if ``amount`` is a float.
        TypeError: if ``amount`` is a bool, a str or another type.
        InvalidComponent: with code ``"money_not_finite"`` for a NaN or infinite amount,
            or ``"currency_unknown"`` for a currency not in [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS].
        InvalidValue: with code ``"money_range"`` for an amount of ``10**24`` or more in
            magnitude, or with more than 18 decimal places.

    Examples:
        >>> from decimal import Decimal
        >>> price = Money(Decimal("1234.5"), "CNY")
        >>> price, str(price), price.format()
        (Money('1234.5', 'CNY'), '1234.50 CNY', '¥1,234.50')
        >>> Money(Decimal("1.5"), "CNY") == Money(Decimal("1.50"), "CNY")
        True
        >>> Money(0.1, "CNY")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.FloatMoneyError: Money amount got the float 0.1: money never ...
        >>> Money(Decimal("1"), "CNH")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: currency 'CNH' is not supported: CNH is ...
        >>> Money(Decimal("1e999999999"), "CNY")
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: Money amount 1E+999999999 is out of range: money is below 10**24 in magnitude
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(validator=_check_currency)

    MAX_INTEGER_DIGITS: ClassVar[int] = MAX_INTEGER_DIGITS
    """The most digits before the decimal point: amounts are below ``10**24`` in magnitude.

    The library's choice: the largest sums anyone counts (a country's yearly output in the
    minor unit of a currency worth a ten-thousandth of a dollar) stay under ``10**22``.
    """

    MAX_DECIMAL_PLACES: ClassVar[int] = MAX_DECIMAL_PLACES
    """The most digits after the decimal point (18).

    The library's choice: ISO 4217 minor units have at most 4 places, and unit prices, tax
    bases and exchange rates a few more; 18 leave room for products of such numbers.
    """

    # ------------------------------------------------------------ named constructors

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in ``currency``, with the currency's decimal places.

        Args:
            currency: an ISO 4217 code from [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS].

        Returns:
            Zero, written with as many decimal places as the minor unit has.

        Raises:
            InvalidComponent: with code ``"currency_unknown"`` for an unknown currency.

        Examples:
            >>> Money.zero("CNY"), Money.zero("JPY")
            (Money('0.00', 'CNY'), Money('0', 'JPY'))
        """
        return cls.from_minor(0, currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """Build money from an integer number of minor units (fen, cents, yen), exactly.

        Args:
            minor: the number of minor units, an int (numpy integers too); never a float.
            currency: an ISO 4217 code; its exponent says what a minor unit is worth.

        Returns:
            The amount ``minor / 10**exponent``, with exactly ``exponent`` decimal places.

        Raises:
            FloatMoneyError: if ``minor`` is a float.
            TypeError: if ``minor`` is not an integer (a bool, a str, a Decimal).
            InvalidValue: with code ``"money_range"`` when the amount would be out of
                [`Money`][aftersales_crm.values.Money]'s bounds.
            InvalidComponent: with code ``"currency_unknown"`` for an unknown currency.

        Examples:
            >>> Money.from_minor(12345, "CNY"), Money.from_minor(12345, "JPY")
            (Money('123.45', 'CNY'), Money('12345', 'JPY'))
            >>> Money.from_minor(-5, "KWD")
            Money('-0.005', 'KWD')
        """
        units = _integer(minor, "Money.from_minor")
        exponent = currency_exponent(currency)
        _whole_in_range(
            units, f"Money.from_minor: {currency} minor units", MAX_INTEGER_DIGITS + exponent
        )
        return cls(shifted(Decimal(units), -exponent), currency)

    @classmethod
    def parse(cls, text: str, default_currency: str | None = None) -> Money:
        """Read money as people write it: ``"¥1,234.50"``, ``"USD 12"``, ``"12元"``.

        The text is normalised with NFKC first, so full-width digits and symbols
        (``"￥１，２３４．５０"``) read like their ASCII forms, and marks and codes are
        read case-insensitively. The amount keeps the digits written (``"1.50"`` stays
        ``1.50``); nothing is rounded.

        Accepted: an optional sign (``-``, ``+`` or ``−``) before the number or before
        the currency; at most one currency mark, before or after the number, separated
        by optional spaces: an ISO 4217 code (``"USD 12"``, ``"12 usd"``), a symbol or
        word of ``CURRENCY_MARKS`` (``"¥"``, ``"HK$"``, ``"元"``, ``"RMB"``); digits
        with optional comma grouping in threes and an optional decimal fraction.

        A mark several currencies share (``¥``, ``$``, ``元``) means its usual currency
        (CNY, USD, CNY) unless ``default_currency`` is one of the others: ``"¥500"``
        with ``default_currency="JPY"`` is yen. A bare number takes ``default_currency``.

        Args:
            text: the text to read; a ``str``, never a float.
            default_currency: the currency of a bare number, and the reading of a shared
                mark when it is one of the mark's currencies. A currency named in the
                text wins over it.

        Returns:
            The amount the text writes.

        Raises:
            FloatMoneyError: if ``text`` is a float.
            TypeError: if ``text`` is not a ``str``.
            InvalidFormat: with code ``"money_format"`` when the text is not money as
                described, or ``"money_currency_missing"`` for a bare number without a
                ``default_currency``; the message quotes the text.
            InvalidComponent: with code ``"currency_unknown"`` when the text or
                ``default_currency`` names a code that is not in
                [`CURRENCY_EXPONENTS`][aftersales_crm.values.CURRENCY_EXPONENTS] (``"CNH 12"``).

        Examples:
            >>> Money.parse("¥1,234.50"), Money.parse("1,234.50 USD"), Money.parse("HK$12")
            (Money('1234.50', 'CNY'), Money('1234.50', 'USD'), Money('12', 'HKD'))
            >>> Money.parse("-12.5", default_currency="CNY"), Money.parse("１２元")
            (Money('-12.5', 'CNY'), Money('12', 'CNY'))
            >>> Money.parse("¥500", default_currency="JPY")
            Money('500', 'JPY')
            >>> Money.parse("12.3.4", "CNY")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidFormat: '12.3.4' is not an amount of money such as ...
        """
        given: object = text
        _reject_float(given, "Money.parse")
        if not isinstance(given, str):
            msg = f"Money.parse reads a str, got {type(given).__name__} {given!r}"
            raise InvalidType(msg)
        if default_currency is not None:
            currency_exponent(default_currency)
        if len(given) > _MAX_TEXT:
            msg = f"{given[:20]!r}… has {len(given)} characters; money is written in at most {_MAX_TEXT}"
            raise InvalidFormat(msg, code="money_format")
        normal = unicodedata.normalize("NFKC", text).strip().upper().replace("\N{MINUS SIGN}", "-")
        match = _MONEY_TEXT.fullmatch(normal)
        if match is None or (match["before"] and match["after"]):
            msg = f"{text!r} is not an amount of money such as '¥1,234.50' or 'USD 12'"
            raise InvalidFormat(msg, code="money_format")
        if match["sign"] and match["inner_sign"]:
            msg = f"{text!r} has two signs; write one, as in '-¥12.50'"
            raise InvalidFormat(msg, code="money_format")
        mark = match["before"] or match["after"]
        if mark is not None:
            currency = _currency_of(mark, default_currency)
        elif default_currency is not None:
            currency = default_currency
        else:
            msg = f"{text!r} names no currency; pass default_currency, e.g. 'CNY'"
            raise InvalidFormat(msg, code="money_currency_missing")
        sign = match["sign"] or match["inner_sign"] or ""
        return cls(Decimal(sign + match["number"].replace(",", "")), currency)

    # ------------------------------------------------------------ minor units and rounding

    def to_minor(self) -> int:
        """Return the amount as an exact integer number of minor units (fen, cents, yen).

        Never rounds: an amount finer than the minor unit raises; call [`round`][aftersales_crm.values.Money.round]
        first to say how it should be rounded.

        Returns:
            ``amount * 10**exponent`` as an int.

        Raises:
            InvalidValue: with code ``"money_sub_minor"`` when the amount is not a whole
                number of minor units (``1.005 CNY``).

        Examples:
            >>> Money.parse("¥123.45").to_minor(), Money.parse("¥123.4").to_minor()
            (12345, 12340)
            >>> Money.parse("1.005", "CNY").to_minor()
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: 1.005 CNY is not a whole number of minor units ...
            >>> Money.parse("1.005", "CNY").round().to_minor()
            101
        """
        exponent = currency_exponent(self.currency)
        minor = shifted(self.amount, exponent)
        numerator, denominator = minor.as_integer_ratio()
        if denominator != 1:
            msg = (
                f"{self.amount:f} {self.currency} is not a whole number of minor units "
                f"({self.currency} has {exponent} decimal places); call .round() first"
            )
            raise InvalidValue(msg, code="money_sub_minor")
        return numerator

    def round(self, rounding: str = ROUND_HALF_UP) -> Money:
        """Round to the currency's minor unit, half-up unless told otherwise.

        The default is invoice rounding (四舍五入): halves go away from zero, so
        ``2.665 → 2.67`` and ``-1.005 → -1.01``. The rounding mode is explicit in every
        call and the global ``decimal`` context plays no part, so code elsewhere that
        changes ``decimal.getcontext()`` cannot change an invoice.

        Args:
            rounding: one of the ``decimal`` rounding modes (``decimal.ROUND_HALF_UP``,
                ``decimal.ROUND_HALF_EVEN``, ``decimal.ROUND_DOWN``, …).

        Returns:
            The amount with exactly the currency's number of decimal places.

        Raises:
            InvalidValue: with code ``"money_rounding"`` for an unknown rounding mode.

        Examples:
            >>> Money.parse("1.005", "CNY").round(), Money.parse("-1.005", "CNY").round()
            (Money('1.01', 'CNY'), Money('-1.01', 'CNY'))
            >>> import decimal
            >>> Money.parse("2.665", "CNY").round(decimal.ROUND_HALF_EVEN)
            Money('2.66', 'CNY')
            >>> Money.parse("1.5", "CNY").round(), Money.parse("1234.5", "JPY").round()
            (Money('1.50', 'CNY'), Money('1235', 'JPY'))
        """
        if not isinstance(rounding, str) or rounding not in _ROUNDING_MODES:
            msg = f"rounding {rounding!r} is not one of {sorted(_ROUNDING_MODES)}"
            raise InvalidValue(msg, code="money_rounding")
        quantum = _quantum(self.currency)
        return Money(
            self.amount.quantize(quantum, rounding=rounding, context=_ROUNDING), self.currency
        )

    def allocate(self, parts: int | Sequence[int]) -> tuple[Money, ...]:
        """Split the amount into parts that add up to it exactly, to the minor unit.

        Each part gets its exact share rounded down to the minor unit; the minor units
        left over go one each to the parts whose shares lost the most in rounding, and
        among equal losses to the first parts (the largest-remainder method). So ¥100.00
        in three is ¥33.34 + ¥33.33 + ¥33.33, every part is within one minor unit of its
        exact share, and a part of ratio 0 gets nothing. A negative amount splits like
        its absolute value, negated.

        Args:
            parts: how many equal parts (an int, at least 1), or a sequence of
                non-negative integer ratios with a positive sum (``[1, 2]`` gives a
                third and two thirds).

        Returns:
            One amount per part, in order, each a whole number of minor units with the
            currency's decimal places; they sum to this amount exactly.

        Raises:
            InvalidValue: with code ``"money_sub_minor"`` when the amount is not a whole
                number of minor units (round it first), or ``"money_allocation"`` for
                fewer than one part or more than a million, a negative ratio or ratios
                summing to 0; ``"money_range"`` for a ratio of ``10**24`` or more.
            FloatMoneyError: if a ratio is a float.
            TypeError: if ``parts`` or a ratio is not an integer.

        Examples:
            >>> Money.parse("¥100.00").allocate(3)
            (Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY'))
            >>> Money.parse("¥0.05").allocate([1, 0, 1])
            (Money('0.03', 'CNY'), Money('0.00', 'CNY'), Money('0.02', 'CNY'))
            >>> Money.parse("¥0.10").allocate([1, 2])
            (Money('0.03', 'CNY'), Money('0.07', 'CNY'))
            >>> sum(Money.parse("-¥10").allocate(3))
            Money('-10.00', 'CNY')
        """
        ratios = _ratios(parts)
        minor = self.to_minor()
        total = abs(minor)
        weight = sum(ratios)
        shares = [total * ratio // weight for ratio in ratios]
        remainders = [total * ratio % weight for ratio in ratios]
        left_over = total - sum(shares)
        # Largest remainder first; sorted() is stable, so equal remainders go in order.
        for index in sorted(range(len(ratios)), key=lambda i: -remainders[i])[:left_over]:
            shares[index] += 1
        sign = -1 if minor < 0 else 1
        return tuple(Money.from_minor(sign * share, self.currency) for share in shares)

    # ------------------------------------------------------------ text

    def format(self, *, symbol: bool = True, grouping: bool = True) -> str:
        """Write the amount for people: ``"¥1,234.50"``, locale-free.

        The amount shows at least the currency's decimal places (``1234.5`` → ``1,234.50``)
        and every finer digit it has: formatting never rounds, so round first for an
        invoice. The result reads back with [`parse`][aftersales_crm.values.Money.parse].

        Args:
            symbol: write the currency's symbol from ``DISPLAY_SYMBOLS`` before the
                amount (``¥`` for CNY, ``JP¥`` for JPY, ``HK$`` for HKD); when false, or
                when the currency has no symbol there, write the code after the amount.
            grouping: separate thousands with commas.

        Returns:
            The amount as text, sign first (``"-¥12.00"``).

        Examples:
            >>> m = Money.parse("-1234.5", "CNY")
            >>> m.format(), m.format(symbol=False), m.format(grouping=False)
            ('-¥1,234.50', '-1,234.50 CNY', '-¥1234.50')
            >>> Money.parse("1234", "JPY").format(), Money.parse("1.5", "KWD").format()
            ('JP¥1,234', '1.500 KWD')
        """
        flags: tuple[tuple[str, object], ...] = (("symbol", symbol), ("grouping", grouping))
        for name, flag in flags:
            if not isinstance(flag, bool):
                msg = f"Money.format {name} is {flag!r:.40}, expected True or False"
                raise InvalidType(msg)
        padded = self._padded()
        magnitude = padded.copy_abs()  # exact: abs() would round to the thread's context
        digits = f"{magnitude:,f}" if grouping else f"{magnitude:f}"
        sign = "-" if padded < 0 else ""
        mark = DISPLAY_SYMBOLS.get(self.currency) if symbol else None
        if mark is None:
            return f"{sign}{digits} {self.currency}"
        return f"{sign}{mark}{digits}"

    def _padded(self) -> Decimal:
        """The amount with at least the currency's decimal places (exact, never rounded)."""
        quantum = _quantum(self.currency)
        if _exponent_of(self.amount) > _exponent_of(quantum):
            return self.amount.quantize(quantum, context=_EXACT)
        return self.amount

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self.amount:f}', {self.currency!r})"

    def __str__(self) -> str:
        """``"1234.50 CNY"``: the amount with at least the minor-unit places, then the code."""
        return f"{self._padded():f} {self.currency}"

    # ------------------------------------------------------------ arithmetic

    def _same_currency(self, other: Money, verb: str) -> Money:
        """Return ``other`` if it is in this currency; raise naming both codes otherwise."""
        if other.currency != self.currency:
            msg = (
                f"cannot {verb} {self.currency} and {other.currency} amounts "
                f"({self} and {other}): convert one currency first"
            )
            raise CurrencyMismatchError(msg)
        return other

    def _operand(self, other: object, verb: str) -> Decimal | None:
        """The amount ``other`` adds or subtracts, or None when money does not combine with it.

        Money in this currency gives its amount, the int 0 (the additive identity that
        makes ``sum()`` work) gives zero, a float raises, anything else is not ours.
        """
        if isinstance(other, Money):
            return self._same_currency(other, verb).amount
        _reject_float(other, f"Money {verb}")
        if type(other) is int and other == 0:
            return Decimal(0)
        return None

    def __add__(self, other: Money | int) -> Money:
        amount = self._operand(other, "add")
        if amount is None:
            return NotImplemented
        return Money(_EXACT.add(self.amount, amount), self.currency)

    __radd__ = __add__

    def __sub__(self, other: Money | int) -> Money:
        amount = self._operand(other, "subtract")
        if amount is None:
            return NotImplemented
        return Money(_EXACT.subtract(self.amount, amount), self.currency)

    def __rsub__(self, other: int) -> Money:
        amount = self._operand(other, "subtract")
        if amount is None:
            return NotImplemented
        return Money(_EXACT.subtract(amount, self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        value: object = factor
        _reject_float(value, "Money multiplication")
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return NotImplemented
        if isinstance(value, Decimal):
            factor_amount = _decimal_in_range(value, "Money multiplication factor")
        else:
            factor_amount = Decimal(_whole_in_range(value, "Money multiplication factor"))
        return Money(_EXACT.multiply(self.amount, factor_amount), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(_EXACT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(_EXACT.abs(self.amount), self.currency)

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    def _comparable(self, other: object) -> Decimal | None:
        """The amount of ``other`` to compare with, or None when it is not money."""
        if isinstance(other, Money):
            return self._same_currency(other, "compare").amount
        return None

    def __lt__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount < amount

    def __le__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount <= amount

    def __gt__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount > amount

    def __ge__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount >= amount

    # ------------------------------------------------------------ pydantic

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Read and write money as ``{"amount": "1234.50", "currency": "CNY"}`` in models.

        The amount is a decimal string, never a JSON number (which readers parse as a
        float), and keeps its digits, so the JSON round trip is exact.

        Examples:
            >>> from pydantic import BaseModel
            >>> class Priced(BaseModel):
            ...     price: Money
            >>> Priced(price=Money.parse("¥1.50")).model_dump_json()
            '{"price":{"amount":"1.50","currency":"CNY"}}'
            >>> Priced.model_validate_json('{"price": {"amount": "1.50", "currency": "CNY"}}')
            Priced(price=Money('1.50', 'CNY'))
        """
        return value_object_schema(
            cls,
            parse=_from_checked_json,
            dump=lambda money: {"amount": f"{money.amount:f}", "currency": money.currency},
            json_schema=core_schema.typed_dict_schema(
                {
                    "amount": core_schema.typed_dict_field(
                        core_schema.str_schema(pattern=_AMOUNT_PATTERN, strict=True)
                    ),
                    "currency": core_schema.typed_dict_field(
                        core_schema.str_schema(pattern=_CODE_PATTERN, strict=True)
                    ),
                },
                extra_behavior="forbid",
            ),
            fast=_fast_json,
        )


_JSON_KEY_COUNT: Final = 2
"""The JSON form has two keys, ``amount`` and ``currency``."""


def _from_checked_json(data: dict[str, str]) -> Money:
    """Build from the JSON form once the core schema (or ``_fast_json``) has checked it.

    The amount text is a finite decimal by the pattern, so only the currency and the sign
    of zero remain to be settled, without the general converters of ``__init__``.
    """
    currency = data["currency"]
    if currency not in CURRENCY_EXPONENTS:
        currency_exponent(currency)  # raises, naming the code
    text = data["amount"]
    amount = Decimal(text)
    if text[0] == "-" and amount.is_zero():
        amount = amount.copy_abs()  # -0 and 0 are the same amount
    money = object.__new__(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money


# The slots' own setters: they skip the frozen class's __setattr__, like object.__setattr__
# does, without looking the slot up by name on every call.
_set_amount: Final = Money.__dict__["amount"].__set__
_set_currency: Final = Money.__dict__["currency"].__set__


def _fast_json(value: object) -> Money | None:
    """The hot path of validating records: a well-formed JSON form; None for the rest."""
    if type(value) is dict and len(value) == _JSON_KEY_COUNT:
        amount, currency = value.get("amount"), value.get("currency")
        if (
            type(amount) is str
            and type(currency) is str
            and currency in CURRENCY_EXPONENTS
            and _AMOUNT_TEXT.fullmatch(amount)  # fullmatch: no trailing newline, unlike $
        ):
            return _from_checked_json(value)
    return None


def _currency_of(mark: str, default_currency: str | None) -> str:
    """The currency a mark or code in text stands for, given the caller's default."""
    candidates = CURRENCY_MARKS.get(mark)
    if candidates is None:
        currency_exponent(mark)  # a code: raises naming it when it is not ISO 4217
        return mark
    if default_currency in candidates:
        return default_currency
    return candidates[0]


def _ratios(parts: object) -> list[int]:
    """The ratios of [`Money.allocate`][aftersales_crm.values.Money.allocate], checked: non-negative ints, positive sum."""
    _reject_float(parts, "Money.allocate")
    if isinstance(parts, int) and not isinstance(parts, bool):
        if not 1 <= parts <= _MAX_PARTS:
            msg = f"cannot allocate into {_shown(parts)} parts; need 1 to {_MAX_PARTS:,}"
            raise InvalidValue(msg, code="money_allocation")
        return [1] * parts
    if not isinstance(parts, Sequence) or isinstance(parts, str):
        msg = f"Money.allocate takes an int or a sequence of int ratios, got {parts!r}"
        raise InvalidType(msg)
    if len(parts) > _MAX_PARTS:
        msg = f"cannot allocate into {len(parts):,} parts; need 1 to {_MAX_PARTS:,}"
        raise InvalidValue(msg, code="money_allocation")
    ratios = [
        _whole_in_range(_integer(ratio, "Money.allocate ratio"), "Money.allocate ratio")
        for ratio in parts
    ]
    if any(ratio < 0 for ratio in ratios) or sum(ratios) == 0:
        msg = f"allocation ratios {ratios} must be >= 0 with a positive sum"
        raise InvalidValue(msg, code="money_allocation")
    return ratios
