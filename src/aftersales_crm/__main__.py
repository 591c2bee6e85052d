"""The command line: ``python -m aftersales_crm``.

This is the only module of the library that prints, reads the clock or touches files
(with ``aftersales_crm._cli._export``, which reads a vendor's export for it).
Everything else is pure domain logic.

Commands:
    demo: run the main job on built-in sample data, print a readable report and write
        the same report as one HTML file.
    report: read a vendor's export (one Parquet or CSV file per table), check it, and
        write the report as text, JSON or one HTML file.
    schema: print the export schema: every table's columns.

Exit status: 0 on success, 1 for an export with problems (each printed on stderr as
``file:row: column: message``), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Final

import aftersales_crm
from aftersales_crm import features, synthetic
from aftersales_crm._cli._export import ExportProblems, read_export
from aftersales_crm._cli._progress import Progress
from aftersales_crm._cli._render import html_report, json_report, text_report
from aftersales_crm._cli._schema import schema_json, schema_markdown, schema_text
from aftersales_crm._cli._sections import Context, Section, build
from aftersales_crm.errors import AftersalesError
from aftersales_crm.records import Book, redacted
from aftersales_crm.tables import Tables
from aftersales_crm.values import (
    Money,
    PayType,
    ServiceKind,
    currency_exponent,
    national_id,
    phone,
    plate,
    vin,
)
from aftersales_crm.values._text import pad_right

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
            yield f"  ✗ {what:<12} {pad_right(repr(raw), 24)} {err.code}: {err}"
        else:
            yield f"  ✓ {what:<12} {pad_right(repr(raw), 24)} → {canonical}"


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
DEMO_CUSTOMERS, DEMO_SEED = 2_000, 2026


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
            label = pad_right(f"{kind.label('en')} {kind.label('zh')}", 38)
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


def _header(title: str, tables: Tables, as_of: dt.date, source: str) -> Section:
    """The report's first section: what it is about."""
    sizes = {table.name: len(table) for table in tables if len(table)}
    lines = (
        title,
        f"  {source}; facts to {as_of}, amounts in {tables.currency}",
        "  " + (", ".join(f"{n:,} {name}" for name, n in sizes.items()) or "every table empty"),
    )
    data = {"title": title, "source": source, "as_of": as_of.isoformat(), "tables": sizes}
    return Section("input", title, lines, data)


def _sections(ctx: Context, progress: Progress) -> list[Section]:
    return build(ctx, step=lambda key: progress.step(f"section {key}"))


def demo(*, html: Path | None = None, progress: Progress | None = None) -> Iterator[str]:
    """Yield the lines of the demo report; write the same report as HTML to ``html``.

    Args:
        html: where to write the HTML report of the synthetic network (not written when
            None).
        progress: where the long steps are shown.

    Returns:
        An iterator over the report's lines.
    """
    progress = progress or Progress(sys.stderr, enabled=False)
    as_of = synthetic.DEFAULT_AS_OF
    yield f"aftersales_crm {aftersales_crm.__version__}: demo report"
    yield ""
    yield from _identifier_report()
    yield ""
    yield from _money_report()
    yield ""
    progress.step("drawing the synthetic network")
    book = synthetic.book(n_customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    yield from _book_report(book)
    yield ""
    progress.step("features")
    tables = Tables.from_book(book)
    feats = features.compute(tables, as_of=as_of)
    ctx = Context(tables, feats, as_of, book=book)
    sections = _sections(ctx, progress)
    yield text_report(sections).rstrip("\n")
    if html is not None:
        progress.step("figures")
        title = f"aftersales_crm {aftersales_crm.__version__}: report on the synthetic network"
        source = f"synthetic dealer network of {DEMO_CUSTOMERS:,} customers, seed {DEMO_SEED}"
        header = _header(title, tables, as_of, source)
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(html_report([header, *sections], ctx), encoding="utf-8")
        progress.done()
        yield ""
        yield f"The same report as one HTML file (open it in a browser): {html}"
    progress.done()


#: Where ``demo`` writes its HTML report unless told: a fixed name in the temporary folder.
DEMO_HTML: Final = Path(tempfile.gettempdir()) / "aftersales_crm-demo" / "report.html"

FORMATS: Final = ("text", "json", "html")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date as YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m aftersales_crm",
        description="Automotive after-sales CRM as pure domain logic.",
    )
    parser.add_argument(
        "--version", action="version", version=f"aftersales_crm {aftersales_crm.__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo_ = commands.add_parser(
        "demo", help="run the main job on built-in sample data and print a report"
    )
    demo_.add_argument(
        "--html",
        type=Path,
        default=DEMO_HTML,
        metavar="FILE",
        help=f"where to write the HTML report (default {DEMO_HTML})",
    )
    report = commands.add_parser(
        "report",
        help="check a vendor's export and write the report",
        description=(
            "Read DIR/<table>.parquet or DIR/<table>.csv (one file per table; see the"
            " schema command), check every row, and write the report. Problems are"
            " printed on stderr as file:row: column: message, and the exit status is 1."
        ),
    )
    report.add_argument("--input", type=Path, required=True, metavar="DIR")
    report.add_argument(
        "--as-of", type=_date, required=True, metavar="DATE", help="the last day of the facts"
    )
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--output", type=Path, metavar="FILE", help="default: stdout")
    report.add_argument(
        "--currency", default="CNY", help="the ISO 4217 code of every amount (default CNY)"
    )
    schema = commands.add_parser("schema", help="print the export schema: every table's columns")
    schema.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    return parser


def _report(args: argparse.Namespace, progress: Progress) -> int:
    directory: Path = args.input
    if not directory.is_dir():
        print(f"python -m aftersales_crm report: {directory} is not a directory", file=sys.stderr)
        return 2
    try:
        currency_exponent(args.currency)
    except AftersalesError as err:
        print(f"python -m aftersales_crm report: --currency: {err}", file=sys.stderr)
        return 2
    try:
        tables = read_export(directory, currency=args.currency, step=progress.step)
    except ExportProblems as err:
        progress.done()
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{directory}: {len(err.problems):,} problems; no report written", file=sys.stderr)
        return 1
    progress.step("features")
    feats = features.compute(tables, as_of=args.as_of)
    ctx = Context(tables, feats, args.as_of)
    title = f"aftersales_crm {aftersales_crm.__version__}: after-sales report"
    sections = [_header(title, tables, args.as_of, f"export {directory}")]
    sections += _sections(ctx, progress)
    progress.step("figures and the HTML report" if args.format == "html" else "the report")
    if args.format == "json":
        out = json_report(sections, currency=tables.currency)
    elif args.format == "html":
        out = html_report(sections, ctx)
    else:
        out = text_report(sections)
    if args.output is None:
        sys.stdout.write(out)
    else:
        args.output.write_text(out, encoding="utf-8")
    progress.done()
    return 0


_SCHEMAS: Final[dict[str, Callable[[], str]]] = {
    "text": schema_text,
    "json": schema_json,
    "markdown": schema_markdown,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when None.

    Returns:
        The process exit status: 0 done, 1 an export with problems, 2 a usage error.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    progress = Progress(sys.stderr)
    if args.command == "demo":
        for line in demo(html=args.html, progress=progress):
            print(line)
        return 0
    if args.command == "report":
        return _report(args, progress)
    if args.command == "schema":
        sys.stdout.write(_SCHEMAS[args.format]())
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
