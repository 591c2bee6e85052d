"""The command line: ``python -m aftersales_crm``.

This is the only module of the library that prints, reads the clock or touches files.
Everything else is pure domain logic.

Commands:
    demo: run the main job on built-in sample data and print a readable report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence

import aftersales_crm
from aftersales_crm.errors import AftersalesError
from aftersales_crm.values import Money, national_id, phone, plate, vin

__all__ = ["main"]

#: Built-in sample: (what, raw input) pairs, some deliberately wrong.
SAMPLE_IDENTIFIERS: tuple[tuple[str, str], ...] = (
    ("VIN", "LSVAU218XN2183294"),
    ("VIN", "LSVAU2180N2183294"),
    ("VIN", "１ＨＧＣＭ８２６３３Ａ００４３５２"),
    ("VIN", "WVWZZZ1JZXW000001"),
    ("VIN", "1HGCM82633A00435"),
    ("national ID", "11010519491231002X"),
    ("national ID", "11010119900307447X"),
    ("national ID", "110105194902300020"),
    ("mobile", "138 1234 5678"),
    ("mobile", "1381234567"),
    ("phone", "010-12345678"),
    ("plate", "粤B·D12345"),
    ("plate", "京A1234学"),
    ("plate", "京O12345"),
)

#: Built-in sample of money as it arrives on invoices and in exports.
SAMPLE_MONEY: tuple[str, ...] = ("¥1,234.50", "1.005", "USD 12", "12.3.4")

_VALIDATORS: dict[str, Callable[[str], str]] = {
    "VIN": vin.validate,
    "national ID": national_id.validate,
    "mobile": phone.validate,
    "phone": phone.validate,
    "plate": plate.validate,
}


def _identifier_report() -> Iterator[str]:
    yield "Identifiers (accepted in canonical form, or rejected with the rule that failed)"
    for what, raw in SAMPLE_IDENTIFIERS:
        try:
            canonical = _VALIDATORS[what](raw)
        except AftersalesError as err:
            yield f"  ✗ {what:<12} {raw!r:<24} {err.code}: {err}"
        else:
            yield f"  ✓ {what:<12} {raw!r:<24} → {canonical}"


def _money_report() -> Iterator[str]:
    yield "Money (exact Decimal, invoice rounding half-up)"
    for raw in SAMPLE_MONEY:
        try:
            amount = Money.parse(raw, default_currency="CNY")
        except AftersalesError as err:
            yield f"  ✗ {raw!r:<14} {err.code}: {err}"
        else:
            yield f"  ✓ {raw!r:<14} → {amount!r}, rounded {amount.round()!r}"
    lines = [Money.parse("19.99", "CNY")] * 3
    total = sum(lines, Money.zero("CNY"))
    yield f"  three lines of ¥19.99 sum to {total.format()} exactly"
    parts = Money.parse("100.00", "CNY").allocate(3)
    yield f"  ¥100.00 split three ways: {', '.join(p.format() for p in parts)}"


def demo() -> Iterator[str]:
    """Yield the lines of the demo report.

    Returns:
        An iterator over the report's lines.
    """
    yield f"aftersales_crm {aftersales_crm.__version__}: demo report"
    yield ""
    yield from _identifier_report()
    yield ""
    yield from _money_report()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m aftersales_crm",
        description="Automotive after-sales CRM as pure domain logic.",
    )
    parser.add_argument(
        "--version", action="version", version=f"aftersales_crm {aftersales_crm.__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="run the main job on built-in sample data and print a report")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when None.

    Returns:
        The process exit status.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        for line in demo():
            print(line)
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
