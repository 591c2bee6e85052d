"""Money: exact Decimal amounts in ISO 4217 currencies, explicit rounding, exact splits."""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from aftersales_crm.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InvalidComponent,
    InvalidFormat,
    InvalidValue,
)
from aftersales_crm.values import CURRENCY_EXPONENTS, Money, currency_exponent


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


class Priced(BaseModel):
    price: Money


# ---------------------------------------------------------------- strategies

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
minor_units = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def amounts(draw: st.DrawFn, *, max_places: int = 6) -> Decimal:
    """Decimals with up to ``max_places`` decimal places, built from text as users do."""
    units = draw(st.integers(min_value=-(10**18), max_value=10**18))
    places = draw(st.integers(min_value=0, max_value=max_places))
    return Decimal(f"{units}E-{places}")


@st.composite
def same_currency(draw: st.DrawFn, count: int) -> tuple[Money, ...]:
    """``count`` amounts, any number of decimal places, in one currency."""
    currency = draw(currencies)
    return tuple(Money(draw(amounts()), currency) for _ in range(count))


whole_money = st.builds(Money.from_minor, minor_units, currencies)
any_money = same_currency(1).map(lambda one: one[0])


# ---------------------------------------------------------------- the ISO 4217 table


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("CNY", 2),  # yuan: fen
        ("HKD", 2),  # Hong Kong dollar: cents
        ("MOP", 2),  # pataca: avos
        ("TWD", 2),  # ISO says 2 although cash prices are whole dollars
        ("USD", 2),  # cents
        ("EUR", 2),  # cents
        ("GBP", 2),  # pence
        ("JPY", 0),  # no minor unit in use
        ("KRW", 0),  # no minor unit in use
        ("SGD", 2),  # cents
        ("AUD", 2),  # cents
        ("CAD", 2),  # cents
        ("CHF", 2),  # rappen
        ("KWD", 3),  # 1000 fils to the dinar
        ("BHD", 3),  # 1000 fils to the dinar
    ],
)
def test_currency_exponents_follow_iso_4217(code: str, exponent: int) -> None:
    assert CURRENCY_EXPONENTS[code] == exponent
    assert currency_exponent(code) == exponent


def test_every_code_in_the_table_is_three_upper_case_letters_with_a_known_exponent() -> None:
    for code, exponent in CURRENCY_EXPONENTS.items():
        assert len(code) == 3, code
        assert code.isascii(), code
        assert code.isalpha(), code
        assert code.isupper(), code
        assert exponent in {0, 2, 3}, code


def test_the_currency_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        CURRENCY_EXPONENTS["XYZ"] = 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("CNH", "use CNY"),  # offshore yuan: a market code, not ISO 4217
        ("RMB", "CNY"),  # the currency's name, not its code
        ("NTD", "TWD"),  # a common abbreviation of the New Taiwan dollar
        ("cny", "upper case"),  # ISO codes are upper case
        ("XYZ", "ISO 4217"),  # no such currency
        ("", "ISO 4217"),  # empty
    ],
)
def test_unknown_currency_codes_are_refused_naming_the_code(code: str, hint: str) -> None:
    with pytest.raises(InvalidComponent, match="currency") as info:
        currency_exponent(code)
    assert info.value.code == "currency_unknown"
    assert repr(code) in str(info.value)
    assert hint in str(info.value)


def test_a_currency_code_that_is_not_text_is_unknown() -> None:
    with pytest.raises(InvalidComponent, match="is a str, got int") as info:
        currency_exponent(156)  # type: ignore[arg-type]  # ISO numeric code of CNY
    assert info.value.code == "currency_unknown"


# ---------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.50"), "Money('1234.50', 'CNY')"),  # digits kept as given
        (Decimal("1234.5"), "Money('1234.5', 'CNY')"),  # not padded in the repr
        (12, "Money('12', 'CNY')"),  # an int becomes a Decimal
        (Decimal("-0.00"), "Money('0.00', 'CNY')"),  # minus zero is zero
        (Decimal("1E+3"), "Money('1000', 'CNY')"),  # the repr never uses exponents
        (Decimal("1E-7"), "Money('0.0000001', 'CNY')"),  # nor for tiny amounts
    ],
)
def test_money_takes_a_decimal_or_an_int(amount: Decimal | int, expected: str) -> None:
    assert repr(Money(amount, "CNY")) == expected


def test_an_int_amount_is_stored_as_a_decimal() -> None:
    assert type(Money(12, "CNY").amount) is Decimal


@pytest.mark.parametrize(
    "amount",
    [
        0.1,  # a binary float cannot hold 0.1
        1.0,  # not even a whole float
        np.float64("0.1"),  # numpy floats are floats
    ],
)
def test_a_float_amount_raises_float_money_error(amount: float) -> None:
    with pytest.raises(FloatMoneyError, match=r"0\.1 \+ 0\.2") as info:
        Money(amount, "CNY")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    ("amount", "match"),
    [
        ("1.50", "use Money.parse"),  # text goes through parse
        (True, "got bool"),  # a bool is not an amount
        (None, "got NoneType"),  # nor is nothing
    ],
)
def test_an_amount_of_another_type_is_a_type_error(amount: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        Money(amount, "CNY")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("NaN"),  # quiet NaN
        Decimal("sNaN"),  # signalling NaN
        Decimal("Infinity"),  # unbounded
        Decimal("-Infinity"),  # unbounded the other way
    ],
)
def test_a_non_finite_amount_is_refused(amount: Decimal) -> None:
    with pytest.raises(InvalidComponent, match="finite") as info:
        Money(amount, "CNY")
    assert info.value.code == "money_not_finite"


@pytest.mark.parametrize("currency", ["CNH", "cny", "XYZ", "RMB"])
def test_money_in_an_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(InvalidComponent, match=repr(currency)) as info:
        Money(Decimal(1), currency)
    assert info.value.code == "currency_unknown"


def test_zero_has_the_currency_decimal_places() -> None:
    assert repr(Money.zero("CNY")) == "Money('0.00', 'CNY')"
    assert repr(Money.zero("JPY")) == "Money('0', 'JPY')"
    assert repr(Money.zero("KWD")) == "Money('0.000', 'KWD')"


# ---------------------------------------------------------------- text out


@pytest.mark.parametrize(
    ("money", "text", "formatted", "plain"),
    [
        (cny("1234.5"), "1234.50 CNY", "¥1,234.50", "1,234.50 CNY"),  # padded to the fen
        (cny("-1234.5"), "-1234.50 CNY", "-¥1,234.50", "-1,234.50 CNY"),  # sign first
        (cny("1.005"), "1.005 CNY", "¥1.005", "1.005 CNY"),  # finer digits shown, not rounded
        (cny("0"), "0.00 CNY", "¥0.00", "0.00 CNY"),  # zero
        (Money.parse("1234", "JPY"), "1234 JPY", "JP¥1,234", "1,234 JPY"),  # ¥ is the yuan
        (Money.parse("1234567.5", "USD"), "1234567.50 USD", "$1,234,567.50", "1,234,567.50 USD"),
        (Money.parse("12", "HKD"), "12.00 HKD", "HK$12.00", "12.00 HKD"),  # HK dollar
        (Money.parse("12", "TWD"), "12.00 TWD", "NT$12.00", "12.00 TWD"),  # New Taiwan dollar
        (Money.parse("12", "MOP"), "12.00 MOP", "MOP$12.00", "12.00 MOP"),  # pataca
        (Money.parse("1.5", "KWD"), "1.500 KWD", "1.500 KWD", "1.500 KWD"),  # no symbol: code
        (Money.parse("9.99", "EUR"), "9.99 EUR", "€9.99", "9.99 EUR"),  # euro
    ],
)
def test_str_and_format_write_the_amount_for_people(
    money: Money, text: str, formatted: str, plain: str
) -> None:
    assert str(money) == text
    assert money.format() == formatted
    assert money.format(symbol=False) == plain


def test_format_without_grouping_writes_plain_digits() -> None:
    assert cny("1234567.5").format(grouping=False) == "¥1234567.50"
    assert cny("1234567.5").format(symbol=False, grouping=False) == "1234567.50 CNY"


@given(any_money, st.booleans(), st.booleans())
def test_formatted_money_parses_back_to_itself(money: Money, symbol: bool, grouping: bool) -> None:
    assert Money.parse(money.format(symbol=symbol, grouping=grouping)) == money
    assert Money.parse(str(money)) == money


# ---------------------------------------------------------------- parse


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("¥1,234.50", None, "Money('1234.50', 'CNY')"),  # the yuan sign, grouped
        ("￥1,234.50", None, "Money('1234.50', 'CNY')"),  # full-width yen sign, NFKC → ¥
        ("１，２３４．５０元", None, "Money('1234.50', 'CNY')"),  # full-width digits, 元 after
        ("1,234.50 USD", None, "Money('1234.50', 'USD')"),  # code after
        ("USD 12", None, "Money('12', 'USD')"),  # code before, no fraction
        ("usd12", None, "Money('12', 'USD')"),  # codes read case-insensitively
        ("HK$12", None, "Money('12', 'HKD')"),  # HK$ before $
        ("hk$12", None, "Money('12', 'HKD')"),  # marks too
        ("NT$1,000", None, "Money('1000', 'TWD')"),  # New Taiwan dollar
        ("MOP$ 5.5", None, "Money('5.5', 'MOP')"),  # space after the mark
        ("RMB 1,000.00", None, "Money('1000.00', 'CNY')"),  # RMB, as on invoices
        ("JP¥1,234", None, "Money('1234', 'JPY')"),  # the yen, unambiguously
        ("1234円", None, "Money('1234', 'JPY')"),  # the yen, in Japanese
        ("€9.99", None, "Money('9.99', 'EUR')"),  # euro before
        ("9.99 €", None, "Money('9.99', 'EUR')"),  # euro after
        ("£0.5", None, "Money('0.5', 'GBP')"),  # pound
        ("₩1,000", None, "Money('1000', 'KRW')"),  # won
        ("0.001 KWD", None, "Money('0.001', 'KWD')"),  # three-decimal dinar
        ("-12.5", "CNY", "Money('-12.5', 'CNY')"),  # bare number takes the default
        ("+12.5", "CNY", "Money('12.5', 'CNY')"),  # explicit plus
        ("−¥12.50", None, "Money('-12.50', 'CNY')"),  # U+2212 minus sign
        ("－¥12.50", None, "Money('-12.50', 'CNY')"),  # full-width hyphen-minus
        ("¥-12.50", None, "Money('-12.50', 'CNY')"),  # sign after the symbol
        ("-12.50 USD", None, "Money('-12.50', 'USD')"),  # sign before, code after
        ("  ¥ 12  ", None, "Money('12', 'CNY')"),  # outer and inner spaces
        ("\u3000¥12\u3000", None, "Money('12', 'CNY')"),  # ideographic spaces
        ("$12", None, "Money('12', 'USD')"),  # $ alone is the US dollar
        ("$12", "HKD", "Money('12', 'HKD')"),  # unless the default is another dollar
        ("$12", "CNY", "Money('12', 'USD')"),  # the yuan is not a dollar
        ("¥500", "JPY", "Money('500', 'JPY')"),  # ¥ is the yen when the default says so
        ("100元", "TWD", "Money('100', 'TWD')"),  # 元 counts Taiwan dollars too
        ("USD 12", "CNY", "Money('12', 'USD')"),  # the text's currency wins
        ("1.005", "CNY", "Money('1.005', 'CNY')"),  # finer than the fen: kept, not rounded
        ("1234567", "CNY", "Money('1234567', 'CNY')"),  # grouping is optional
        ("1.50", "CNY", "Money('1.50', 'CNY')"),  # trailing zero kept
        ("-0.00", "CNY", "Money('0.00', 'CNY')"),  # minus zero is zero
        ("007", "CNY", "Money('7', 'CNY')"),  # leading zeros are harmless
    ],
)
def test_parse_reads_money_as_people_write_it(
    text: str, default: str | None, expected: str
) -> None:
    assert repr(Money.parse(text, default_currency=default)) == expected


@pytest.mark.parametrize(
    ("text", "default", "error", "code"),
    [
        ("12.3.4", "CNY", InvalidFormat, "money_format"),  # two decimal points
        ("", "CNY", InvalidFormat, "money_format"),  # nothing
        ("¥", None, InvalidFormat, "money_format"),  # no digits
        ("USD", None, InvalidFormat, "money_format"),  # a code alone
        ("1,23", "CNY", InvalidFormat, "money_format"),  # a group of two
        ("12,34.5", "CNY", InvalidFormat, "money_format"),  # grouping not in threes
        ("1.234,50", "EUR", InvalidFormat, "money_format"),  # decimal comma: ambiguous
        ("1 234", "CNY", InvalidFormat, "money_format"),  # space grouping
        ("12.", "CNY", InvalidFormat, "money_format"),  # no digits after the point
        (".5", "CNY", InvalidFormat, "money_format"),  # no digits before the point
        ("1e3", "CNY", InvalidFormat, "money_format"),  # scientific notation
        ("NaN", "CNY", InvalidFormat, "money_format"),  # not a number
        ("Infinity", "CNY", InvalidFormat, "money_format"),  # not an amount
        ("¥12元", None, InvalidFormat, "money_format"),  # two currency marks
        ("USD 12 USD", None, InvalidFormat, "money_format"),  # even the same one twice
        ("--12", "CNY", InvalidFormat, "money_format"),  # double sign
        ("-¥-12", None, InvalidFormat, "money_format"),  # a sign on each side of ¥
        ("١٢", "CNY", InvalidFormat, "money_format"),  # Arabic-Indic digits
        ("12", None, InvalidFormat, "money_currency_missing"),  # bare, no default
        ("CNH 12", None, InvalidComponent, "currency_unknown"),  # offshore yuan
        ("ABC 12", None, InvalidComponent, "currency_unknown"),  # no such code
        ("12", "cny", InvalidComponent, "currency_unknown"),  # default must be a code
        ("¥12", "CNH", InvalidComponent, "currency_unknown"),  # checked even when unused
    ],
)
def test_parse_refuses_text_that_is_not_money(
    text: str, default: str | None, error: type[InvalidValue], code: str
) -> None:
    with pytest.raises(error) as info:
        Money.parse(text, default_currency=default)
    assert info.value.code == code


@pytest.mark.parametrize("text", ["12.3.4", "12", "1,23"])
def test_a_parse_error_quotes_the_text(text: str) -> None:
    with pytest.raises(InvalidFormat, match=repr(text)):
        Money.parse(text)


def test_an_unknown_code_in_text_is_named() -> None:
    with pytest.raises(InvalidComponent, match="'CNH'"):
        Money.parse("CNH 12")


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1.50"),  # a Decimal is already an amount: use Money(...)
        12,  # so is an int
        None,  # nothing to read
    ],
)
def test_parse_reads_text_only(value: object) -> None:
    with pytest.raises(TypeError, match="reads a str"):
        Money.parse(value, "CNY")  # type: ignore[arg-type]


# ---------------------------------------------------------------- minor units


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (12345, "CNY", "Money('123.45', 'CNY')"),  # fen to yuan
        (12345, "JPY", "Money('12345', 'JPY')"),  # the yen has no minor unit
        (-5, "KWD", "Money('-0.005', 'KWD')"),  # fils, negative
        (1, "BHD", "Money('0.001', 'BHD')"),  # one fils
        (0, "CNY", "Money('0.00', 'CNY')"),  # zero keeps the places
        (10**25, "CNY", f"Money('1{'0' * 23}.00', 'CNY')"),  # near the bound of 10**24 yuan
        (np.int64(250), "USD", "Money('2.50', 'USD')"),  # numpy integers from table columns
    ],
)
def test_from_minor_builds_money_exactly(minor: int, currency: str, expected: str) -> None:
    assert repr(Money.from_minor(minor, currency)) == expected


@pytest.mark.parametrize(
    ("money", "minor"),
    [
        (cny("123.45"), 12345),  # yuan to fen
        (cny("123.4"), 12340),  # fewer places than the fen
        (cny("123.450"), 12345),  # a trailing zero finer than the fen is still whole
        (Money.parse("5", "JPY"), 5),  # yen
        (Money.parse("5.0", "JPY"), 5),  # written with a zero fraction
        (Money.parse("-0.005", "KWD"), -5),  # fils, negative
        (Money.from_minor(10**26 - 1, "CNY"), 10**26 - 1),  # the largest amount in fen
    ],
)
def test_to_minor_gives_exact_minor_units(money: Money, minor: int) -> None:
    assert money.to_minor() == minor


@pytest.mark.parametrize(
    "money",
    [
        cny("1.005"),  # half a fen
        Money.parse("0.5", "JPY"),  # half a yen
        Money.parse("0.0001", "KWD"),  # a tenth of a fils
    ],
)
def test_to_minor_never_rounds_silently(money: Money) -> None:
    with pytest.raises(InvalidValue, match=r"call \.round\(\) first") as info:
        money.to_minor()
    assert info.value.code == "money_sub_minor"


@pytest.mark.parametrize(
    ("minor", "error"),
    [
        (1.0, FloatMoneyError),  # a float, even a whole one
        (np.float64(1), FloatMoneyError),  # numpy floats too
        (True, TypeError),  # a bool is not a count
        ("100", TypeError),  # text is not a count
        (Decimal(100), TypeError),  # minor units are whole: an int
    ],
)
def test_from_minor_takes_integers_only(minor: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        Money.from_minor(minor, "CNY")  # type: ignore[arg-type]


@given(whole_money)
def test_whole_money_round_trips_through_minor_units(money: Money) -> None:
    assert Money.from_minor(money.to_minor(), money.currency) == money


@given(minor_units, currencies)
def test_minor_units_round_trip_through_money(minor: int, currency: str) -> None:
    assert Money.from_minor(minor, currency).to_minor() == minor


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("text", "currency", "rounding", "expected"),
    [
        ("1.005", "CNY", decimal.ROUND_HALF_UP, "1.01"),  # 四舍五入: the half fen goes up
        ("2.665", "CNY", decimal.ROUND_HALF_UP, "2.67"),  # half-even would give 2.66
        ("2.675", "CNY", decimal.ROUND_HALF_UP, "2.68"),  # float round() gives 2.67
        ("-1.005", "CNY", decimal.ROUND_HALF_UP, "-1.01"),  # half away from zero
        ("1.004", "CNY", decimal.ROUND_HALF_UP, "1.00"),  # below half goes down
        ("1.5", "CNY", decimal.ROUND_HALF_UP, "1.50"),  # padded to the fen
        ("1234.5", "JPY", decimal.ROUND_HALF_UP, "1235"),  # to the whole yen
        ("1.0005", "KWD", decimal.ROUND_HALF_UP, "1.001"),  # to the fils
        ("2.665", "CNY", decimal.ROUND_HALF_EVEN, "2.66"),  # banker's rounding on request
        ("2.669", "CNY", decimal.ROUND_DOWN, "2.66"),  # truncation on request
        ("-2.661", "CNY", decimal.ROUND_FLOOR, "-2.67"),  # towards minus infinity
        ("2.661", "CNY", decimal.ROUND_CEILING, "2.67"),  # towards plus infinity
    ],
)
def test_round_to_the_minor_unit_is_explicit(
    text: str, currency: str, rounding: str, expected: str
) -> None:
    rounded = Money.parse(text, currency).round(rounding)
    assert repr(rounded) == f"Money('{expected}', '{currency}')"


def test_round_defaults_to_half_up() -> None:
    assert cny("2.665").round() == cny("2.67")


def test_round_ignores_the_global_decimal_context() -> None:
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_EVEN
        context.prec = 3
        context.traps[decimal.Inexact] = True
        assert cny("2.665").round() == cny("2.67")
        assert cny("12345678.905").round() == cny("12345678.91")


def test_round_refuses_an_unknown_rounding_mode() -> None:
    with pytest.raises(InvalidValue, match="half-up") as info:
        cny("1.005").round("half-up")
    assert info.value.code == "money_rounding"


@given(any_money)
def test_round_is_idempotent(money: Money) -> None:
    once = money.round()
    assert once.round() == once
    once.to_minor()  # a rounded amount is whole minor units


@given(any_money)
def test_round_moves_the_amount_by_at_most_half_a_minor_unit(money: Money) -> None:
    half_unit = Decimal(5).scaleb(-currency_exponent(money.currency) - 1)
    assert abs((money.round() - money).amount) <= half_unit


# ---------------------------------------------------------------- arithmetic


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (cny("180") + cny("420.50"), "600.50"),  # places of the finer operand
        (cny("0.1") + cny("0.2"), "0.3"),  # exact, unlike floats
        (cny("1.00") - cny("0.01"), "0.99"),  # subtraction
        (cny("1") - cny("2.5"), "-1.5"),  # going negative
        (-cny("1.50"), "-1.50"),  # negation
        (-cny("0.00"), "0.00"),  # no minus zero
        (+cny("1.50"), "1.50"),  # unary plus
        (abs(cny("-1.50")), "1.50"),  # absolute value
        (cny("19.99") * 3, "59.97"),  # by an int
        (3 * cny("19.99"), "59.97"),  # the other way round
        (cny("100.00") * Decimal("0.13"), "13.0000"),  # by a Decimal: VAT at 13%, exact
        (Decimal("0.13") * cny("100.00"), "13.0000"),  # the other way round
        (cny("1.50") * -1, "-1.50"),  # a negative factor
    ],
)
def test_arithmetic_is_exact(result: Money, expected: str) -> None:
    assert repr(result) == f"Money('{expected}', 'CNY')"


def test_arithmetic_ignores_the_global_decimal_context() -> None:
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_DOWN
        context.traps[decimal.Inexact] = True
        assert (cny("1234.56") + cny("0.01")).amount == Decimal("1234.57")
        assert (cny("1234.56") - cny("0.01")).amount == Decimal("1234.55")
        assert (cny("1234.56") * 1000).amount == Decimal("1234560.00")
        assert -cny("1234.56") < cny("0")
        assert Money.from_minor(123456789, "CNY").amount == Decimal("1234567.89")


def test_zero_is_the_additive_identity_so_sum_works() -> None:
    lines = [cny("19.99"), cny("0.01"), cny("180")]
    assert sum(lines) == cny("200.00")
    assert sum(lines, Money.zero("CNY")) == cny("200.00")
    assert cny("1.50") + 0 == cny("1.50")
    assert 0 + cny("1.50") == cny("1.50")
    assert cny("1.50") - 0 == cny("1.50")
    assert repr(0 - cny("1.50")) == "Money('-1.50', 'CNY')"


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: cny("1") + 1,  # a plain number is not money
        lambda: 1 + cny("1"),  # either way round
        lambda: cny("1") - 1,  # nor for subtraction
        lambda: 1 - cny("1"),  # either way round
        lambda: cny("1") + Decimal(0),  # type: ignore[operator]  # only the int 0 is the identity
        lambda: cny("1") + False,  # a bool is not the identity
        lambda: cny("1") + "1",  # type: ignore[operator]  # nor is text
        lambda: cny("1") * cny("1"),  # type: ignore[operator]  # money squared means nothing
        lambda: cny("1") * True,  # a bool is not a factor
        lambda: cny("1") * "2",  # type: ignore[operator]  # nor is text
        lambda: cny("1") / 2,  # type: ignore[operator]  # no division: use allocate
        lambda: cny("1") < 1,  # type: ignore[operator]  # money compares with money only
        lambda: cny("1") <= 1,  # type: ignore[operator]  # every comparison
        lambda: cny("1") > 1,  # type: ignore[operator]
        lambda: cny("1") >= 1,  # type: ignore[operator]
    ],
)
def test_operators_refuse_foreign_types(attempt: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        attempt()


# mypy already refuses every one of these (hence the ignores); this is the runtime guard.
@pytest.mark.parametrize(
    "attempt",
    [
        lambda: cny("1") * 0.5,  # type: ignore[operator]  # a float factor
        lambda: 0.5 * cny("1"),  # type: ignore[operator]  # either way round
        lambda: cny("1") + 0.0,  # type: ignore[operator]  # a float zero is not the identity
        lambda: 0.0 + cny("1"),  # type: ignore[operator]  # either way round
        lambda: cny("1") - 0.0,  # type: ignore[operator]  # subtraction
        lambda: 0.0 - cny("1"),  # type: ignore[operator]  # either way round
        lambda: cny("1") * np.float64(2),  # type: ignore[operator]  # numpy floats too
    ],
)
def test_float_operands_raise_float_money_error(attempt: Callable[[], object]) -> None:
    with pytest.raises(FloatMoneyError):
        attempt()


@pytest.mark.parametrize("factor", [Decimal("Infinity"), Decimal("NaN"), Decimal("-Infinity")])
def test_a_non_finite_factor_is_refused(factor: Decimal) -> None:
    with pytest.raises(InvalidComponent) as info:
        cny("1") * factor
    assert info.value.code == "money_not_finite"


@pytest.mark.parametrize(
    "op",
    [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge],
    ids=["+", "-", "<", "<=", ">", ">="],
)
def test_mixing_currencies_raises_naming_both_codes(op: Callable[[Money, Money], object]) -> None:
    with pytest.raises(CurrencyMismatchError, match="CNY and USD") as info:
        op(cny("1"), Money.parse("1", "USD"))
    assert isinstance(info.value, TypeError)


def test_sum_of_mixed_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatchError, match="CNY and HKD"):
        sum([cny("1"), Money.parse("1", "HKD")])


def test_comparisons_order_amounts_in_one_currency() -> None:
    small, large = cny("1.99"), cny("2")
    assert small < large
    assert small <= large
    assert large > small
    assert large >= small
    assert small <= cny("1.990")
    assert small >= cny("1.990")
    assert sorted([large, small, -large]) == [-large, small, large]
    assert max([small, large]) == large


def test_equal_values_are_equal_and_hash_alike_whatever_the_places() -> None:
    assert cny("1.0") == cny("1.00")
    assert hash(cny("1.0")) == hash(cny("1.00"))
    assert len({cny("1"), cny("1.0"), cny("1.00")}) == 1


def test_amounts_in_different_currencies_are_never_equal() -> None:
    assert cny("1") != Money.parse("1", "USD")
    assert cny("1") != Decimal(1)
    assert cny("0") != 0  # type: ignore[comparison-overlap]


@pytest.mark.parametrize(
    ("money", "truth"),
    [
        (cny("0.00"), False),  # zero is false
        (cny("-0"), False),  # so is minus zero
        (cny("0.01"), True),  # any amount is true
        (cny("-0.01"), True),  # negative too
    ],
)
def test_money_is_true_unless_zero(money: Money, truth: bool) -> None:
    assert bool(money) is truth


def test_money_is_immutable() -> None:
    money = cny("1")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


@given(same_currency(3))
def test_addition_is_associative(abc: tuple[Money, ...]) -> None:
    a, b, c = abc
    assert (a + b) + c == a + (b + c)


@given(same_currency(2))
def test_addition_is_commutative(ab: tuple[Money, ...]) -> None:
    a, b = ab
    assert a + b == b + a


@given(any_money)
def test_an_amount_minus_itself_is_zero(money: Money) -> None:
    difference = money - money
    assert difference == Money.zero(money.currency)
    assert not difference


@given(same_currency(2))
def test_subtraction_undoes_addition(ab: tuple[Money, ...]) -> None:
    a, b = ab
    assert a + b - b == a


@given(st.lists(any_money.map(lambda m: Money(m.amount, "CNY")), max_size=20))
def test_sum_adds_every_amount(moneys: list[Money]) -> None:
    total = Money.zero("CNY")
    for money in moneys:
        total = total + money
    assert sum(moneys, Money.zero("CNY")) == total
    assert sum(moneys) == (total if moneys else 0)


@given(same_currency(2))
def test_comparison_agrees_with_subtraction(ab: tuple[Money, ...]) -> None:
    a, b = ab
    assert (a < b) == ((a - b).amount < 0)
    assert (a == b) == (not (a - b))


# ---------------------------------------------------------------- allocation


@pytest.mark.parametrize(
    ("money", "parts", "expected"),
    [
        (cny("100.00"), 3, ["33.34", "33.33", "33.33"]),  # the odd fen goes to the first part
        (cny("100"), 3, ["33.34", "33.33", "33.33"]),  # whole yuan split into fen
        (cny("-100.00"), 3, ["-33.34", "-33.33", "-33.33"]),  # negative: mirrored
        (cny("0.01"), 3, ["0.01", "0.00", "0.00"]),  # less than one fen per part
        (cny("0.02"), 3, ["0.01", "0.01", "0.00"]),  # two fen, three parts
        (cny("1.00"), 1, ["1.00"]),  # one part is the whole
        (cny("0.00"), 2, ["0.00", "0.00"]),  # zero splits into zeros
        (cny("0.10"), [1, 2], ["0.03", "0.07"]),  # 3.33 and 6.67 fen: the larger loss gets it
        (cny("0.05"), [1, 0, 1], ["0.03", "0.00", "0.02"]),  # a zero ratio gets nothing
        (cny("100.00"), [0, 1], ["0.00", "100.00"]),  # all to the second part
        (cny("100.00"), [3, 7], ["30.00", "70.00"]),  # exact ratios: no remainder
        (cny("1000.00"), (1,) * 7, ["142.86"] * 5 + ["142.85"] * 2),  # a tuple of ratios
        (cny("0.06"), [2, 1, 1], ["0.03", "0.02", "0.01"]),  # an exact share gets no extra fen
    ],
)
def test_allocate_splits_exactly_to_the_minor_unit(
    money: Money, parts: int | list[int], expected: list[str]
) -> None:
    allocated = money.allocate(parts)
    assert [f"{part.amount:f}" for part in allocated] == expected
    assert sum(allocated, Money.zero("CNY")) == money


def test_allocate_in_yen_uses_whole_yen() -> None:
    assert Money.parse("10", "JPY").allocate(4) == tuple(
        Money.parse(amount, "JPY") for amount in ["3", "3", "2", "2"]
    )


@pytest.mark.parametrize(
    "parts",
    [
        0,  # no parts
        -1,  # negative parts
        [],  # no ratios
        [0, 0],  # ratios that sum to zero
        [1, -1],  # a negative ratio
    ],
)
def test_allocate_refuses_impossible_splits(parts: int | list[int]) -> None:
    with pytest.raises(InvalidValue) as info:
        cny("1").allocate(parts)
    assert info.value.code == "money_allocation"


@pytest.mark.parametrize(
    ("parts", "error"),
    [
        (2.0, FloatMoneyError),  # a float count
        ([0.5, 0.5], FloatMoneyError),  # float ratios
        ("3", TypeError),  # text
        (True, TypeError),  # a bool
        ([1, "2"], TypeError),  # a text ratio
        ([True, False], TypeError),  # bool ratios
        (None, TypeError),  # nothing
    ],
)
def test_allocate_takes_integers_only(parts: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cny("1").allocate(parts)  # type: ignore[arg-type]


def test_allocate_needs_whole_minor_units() -> None:
    with pytest.raises(InvalidValue) as info:
        cny("1.005").allocate(2)
    assert info.value.code == "money_sub_minor"


@given(whole_money, st.integers(min_value=1, max_value=50))
def test_equal_parts_sum_to_the_whole_and_differ_by_at_most_one_minor_unit(
    money: Money, parts: int
) -> None:
    allocated = money.allocate(parts)
    assert len(allocated) == parts
    assert sum(allocated, Money.zero(money.currency)) == money
    minors = [part.to_minor() for part in allocated]
    assert max(minors) - min(minors) <= 1
    assert minors == sorted(minors, key=abs, reverse=True)


@given(whole_money, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20))
def test_ratio_parts_sum_to_the_whole(money: Money, ratios: list[int]) -> None:
    if sum(ratios) == 0:
        ratios = [*ratios, 1]
    allocated = money.allocate(ratios)
    assert len(allocated) == len(ratios)
    assert sum(allocated, Money.zero(money.currency)) == money
    for part, ratio in zip(allocated, ratios, strict=True):
        if ratio == 0:
            assert not part
        ideal = Decimal(money.to_minor() * ratio) / Decimal(sum(ratios))
        assert abs(part.to_minor() - ideal) < 1


# ---------------------------------------------------------------- pydantic


def test_money_reads_and_writes_json_with_the_amount_as_a_string() -> None:
    assert Priced(price=cny("1234.50")).model_dump_json() == (
        '{"price":{"amount":"1234.50","currency":"CNY"}}'
    )
    priced = Priced.model_validate_json('{"price": {"amount": "1234.50", "currency": "CNY"}}')
    assert repr(priced.price) == "Money('1234.50', 'CNY')"


def test_python_mode_keeps_money_and_accepts_the_json_form() -> None:
    money = cny("1.50")
    assert Priced(price=money).price is money
    assert Priced(price=money).model_dump() == {"price": money}
    assert Priced.model_validate({"price": {"amount": "1.5", "currency": "CNY"}}).price == money


@given(any_money)
def test_the_json_round_trip_is_exact_and_keeps_the_places(money: Money) -> None:
    again = Priced.model_validate_json(Priced(price=money).model_dump_json()).price
    assert again == money
    assert repr(again) == repr(money)


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ('{"amount": 1.5, "currency": "CNY"}', "string"),  # a JSON number would be a float
        ('{"amount": "1e3", "currency": "CNY"}', "pattern"),  # no scientific notation
        ('{"amount": "1,234.50", "currency": "CNY"}', "pattern"),  # no grouping
        ('{"amount": "¥1.50", "currency": "CNY"}', "pattern"),  # no symbols
        ('{"amount": "１.50", "currency": "CNY"}', "pattern"),  # ASCII digits only
        ('{"amount": "NaN", "currency": "CNY"}', "pattern"),  # not a number
        ('{"amount": "1.50", "currency": "CNH"}', "CNH"),  # not ISO 4217
        ('{"amount": "1.50", "currency": "cny"}', "pattern"),  # codes are upper case
        ('{"amount": "1.50"}', "missing"),  # no currency
        ('{"amount": "1.50", "currency": "CNY", "rate": "1"}', "extra"),  # nothing else
        ('"¥1.50"', "object"),  # not the text form
    ],
)
def test_invalid_json_money_is_a_validation_error(payload: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Priced.model_validate_json(f'{{"price": {payload}}}')


def test_the_json_schema_of_money_is_pinned() -> None:
    schema: dict[str, Any] = Priced.model_json_schema()
    assert schema["properties"]["price"] == {
        "additionalProperties": False,
        "properties": {
            "amount": {
                "pattern": r"^-?[0-9]{1,24}(\.[0-9]{1,18})?$",
                "title": "Amount",
                "type": "string",
            },
            "currency": {"pattern": "^[A-Z]{3}$", "title": "Currency", "type": "string"},
        },
        "required": ["amount", "currency"],
        "title": "Price",
        "type": "object",
    }
