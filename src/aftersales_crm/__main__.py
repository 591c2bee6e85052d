"""The command line: ``python -m aftersales_crm``.

This is the only module of the library that prints, reads the clock or touches files.
Everything else is pure domain logic.

Commands:
    demo: run the main job on built-in sample data and print a readable report.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import aftersales_crm
from aftersales_crm import synthetic
from aftersales_crm.errors import AftersalesError
from aftersales_crm.records import Book, redacted
from aftersales_crm.values import Money, PayType, ServiceKind, national_id, phone, plate, vin

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


def _pad(text: str, width: int) -> str:
    """Left-align text in a column, counting wide (CJK) characters as two cells."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - cells, 0)


def _identifier_report() -> Iterator[str]:
    yield "Identifiers (accepted in canonical form, or rejected with the rule that failed)"
    for what, raw in SAMPLE_IDENTIFIERS:
        try:
            canonical = _VALIDATORS[what](raw)
        except AftersalesError as err:
            yield f"  ✗ {what:<12} {_pad(repr(raw), 24)} {err.code}: {err}"
        else:
            yield f"  ✓ {what:<12} {_pad(repr(raw), 24)} → {canonical}"


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


#: Size and seed of the demo's synthetic dealer network.
DEMO_CUSTOMERS, DEMO_SEED = 300, 2026


def _book_report(book: Book) -> Iterator[str]:
    yield f"Synthetic dealer network (seed {DEMO_SEED}, history to {synthetic.DEFAULT_AS_OF})"
    yield (
        f"  {len(book.dealers)} dealers, {len(book.customers)} customers, "
        f"{len(book.vehicles)} vehicles, {len(book.ownerships)} ownerships, "
        f"{len(book.repair_orders)} repair orders, {len(book.contacts)} follow-up contacts, "
        f"{len(book.complaints)} complaints, {len(book.referrals)} referrals"
    )
    lines = [line for order in book.repair_orders.values() for line in order.lines]
    kinds = Counter(line.kind for line in lines)
    revenue_by_kind: dict[ServiceKind, Money] = {}
    for line in lines:
        revenue_by_kind[line.kind] = revenue_by_kind.get(line.kind, Money.zero("CNY")) + line.total
    yield "  Repair-order lines by service kind (服务类型)"
    for kind in ServiceKind:
        if kinds[kind]:
            label = _pad(f"{kind.label('en')} {kind.label('zh')}", 38)
            yield f"    {label} {kinds[kind]:>6} lines  {revenue_by_kind[kind].format():>16}"
    pays = Counter(line.pay for line in lines)
    yield "  Lines by pay type: " + ", ".join(
        f"{pay.label('en')} {pays[pay]}" for pay in PayType if pays[pay]
    )
    revenue = sum((order.total for order in book.repair_orders.values()), Money.zero("CNY"))
    customer_pay = sum(
        (order.customer_pay_total for order in book.repair_orders.values()), Money.zero("CNY")
    )
    yield f"  Revenue {revenue.format()}, of which customer pay {customer_pay.format()}"
    sample = redacted(next(iter(book.customers.values())))
    yield "  A customer as shown to staff (personal data masked):"
    yield "    " + sample.model_dump_json(
        include={"id", "name", "gender", "national_id", "mobile", "birthday", "home_location"}
    )


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
    yield ""
    yield from _book_report(synthetic.book(n_customers=DEMO_CUSTOMERS, seed=DEMO_SEED))


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
