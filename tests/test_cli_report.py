"""The vendor's command line: ``schema`` prints the export schema, ``report`` checks an
export of Parquet or CSV files and writes the report as text, JSON or one HTML file."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.__main__ import main
from aftersales_crm._cli._export import TEXTS_SEPARATOR, ExportProblem, read_export
from aftersales_crm._cli._progress import Progress
from aftersales_crm._cli._render import FIGURES
from aftersales_crm._cli._schema import schema_markdown, schema_rows
from aftersales_crm._cli._sections import SECTIONS
from aftersales_crm.tables import SCHEMAS, ColumnKind, Tables

pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")

AS_OF = synthetic.DEFAULT_AS_OF.isoformat()
SECTION_KEYS = [key for key, _, _ in SECTIONS]
FIGURE_COUNT = sum(map(len, FIGURES.values()))
DOC = Path(__file__).parents[1] / "docs" / "vendor-export.md"


def write_csv(tables: Tables, directory: Path) -> Path:
    """The tables as a vendor writes them: one CSV per table with rows, lists as a|b."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.to_pandas().items():
        if not len(frame):
            continue
        for column in SCHEMAS[name].columns:
            if column.kind is ColumnKind.TEXTS:
                frame[column.external] = frame[column.external].map(TEXTS_SEPARATOR.join)
        frame.to_csv(directory / f"{name}.csv", index=False)
    return directory


def write_parquet(tables: Tables, directory: Path) -> Path:
    """The tables as one Parquet file per table with rows."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables.to_arrow().items():
        if table.num_rows:
            pq.write_table(table, directory / f"{name}.parquet")
    return directory


@pytest.fixture(scope="module")
def tables() -> Tables:
    """A small synthetic network with every kind of fact: club, surveys, complaints."""
    return Tables.from_book(synthetic.book(150, seed=7))


@pytest.fixture(scope="module")
def exports(tables: Tables, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {
        "csv": write_csv(tables, root / "csv"),
        "parquet": write_parquet(tables, root / "parquet"),
    }


def write_basic_export(customers: int, seed: int, directory: Path) -> Path:
    """A synthetic export of the service tables only: no club, no calls, no surveys."""
    everything = synthetic.columns(customers, seed=seed).tables()
    basic = ("dealers", "customers", "vehicles", "ownerships", "orders", "lines")
    return write_parquet(
        Tables(everything.currency, **{n: everything[n] for n in basic}), directory
    )


def run(*argv: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- schema -------------------------------------------------------------------------------


def test_schema_prints_every_table_and_its_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("schema", capsys=capsys)
    assert code == 0
    for name, schema in SCHEMAS.items():
        assert f"{name} ({name}.parquet or {name}.csv)" in out
        for column in schema.columns:
            assert re.search(rf"^  {re.escape(column.external)} ", out, re.M)
    assert re.search(r"^  customer_id +id +\[required, -> customers\]$", out, re.M)
    assert re.search(r"^  vin +id: a VIN \(ISO 3779.*\[key, required\]$", out, re.M)


def test_schema_as_json_holds_types_requirements_and_references(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run("schema", "--format", "json", capsys=capsys)
    assert code == 0
    tables = json.loads(out)["tables"]
    assert list(tables) == list(SCHEMAS)
    orders = {row["column"]: row for row in tables["orders"]}
    assert orders["customer_id"]["references"] == "customers"
    assert orders["id"]["key"] is True
    lines = {row["column"]: row for row in tables["lines"]}
    assert lines["labour"]["type"].startswith("money: integer minor units")
    assert "maintenance" in lines["kind"]["type"].removeprefix("one of ").split(", ")
    customers = {row["column"]: row for row in tables["customers"]}
    assert customers["name"]["required"] is True
    assert customers["email"] == {
        "column": "email",
        "type": "text: an e-mail address",
        "required": False,
        "nullable": True,
        "key": False,
        "references": None,
    }


def test_the_docs_page_holds_the_schema_as_the_command_prints_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run("schema", "--format", "markdown", capsys=capsys)
    assert code == 0
    assert out == schema_markdown()
    page = DOC.read_text(encoding="utf-8")
    block = page.split("<!-- schema:start -->\n")[1].split("<!-- schema:end -->")[0]
    assert block == schema_markdown(), (
        "docs/vendor-export.md is out of date: paste the output of"
        " `python -m aftersales_crm schema --format markdown` between its schema markers"
    )
    assert sum(len(rows) for rows in schema_rows().values()) == block.count("\n| `")


# -- reading an export ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_an_export_reads_back_the_tables_it_was_written_from(
    kind: str, exports: dict[str, Path], tables: Tables
) -> None:
    assert read_export(exports[kind]) == tables


# -- the report ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_the_text_report_has_every_section(
    kind: str, exports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run("report", "--input", exports[kind], "--as-of", AS_OF, capsys=capsys)
    assert code == 0
    assert err == ""  # progress only on a terminal
    assert f"facts to {AS_OF}, amounts in CNY" in out
    for heading in (
        "Value classes (客户价值ABC分类)",
        "Loyalty × value matrix (客户细分矩阵)",
        "Churn risk (流失预警)",
        "Owners' club (车友会)",
        "Customer satisfaction (客户满意度)",
        "Tomorrow's care agenda (明日关怀日程) 2026-07-01",
    ):
        assert heading in out
    assert "Settlement with HQ" not in out  # that needs each member's ledger: the demo only


@pytest.fixture(scope="module")
def report_json(exports: dict[str, Path]) -> dict[str, Any]:
    out = exports["csv"].parent / "report.json"
    assert main(["report", "--input", str(exports["csv"]), "--as-of", AS_OF, "--format", "json",
                 "--output", str(out)]) == 0  # fmt: skip
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def test_the_json_report_holds_the_sections_as_numbers(
    report_json: dict[str, Any], tables: Tables
) -> None:
    assert report_json["currency"] == "CNY"
    assert report_json["as_of"] == AS_OF
    assert report_json["tables"]["customers"] == len(tables.customers)
    sections = report_json["sections"]
    assert list(sections) == SECTION_KEYS
    assert all(isinstance(s["text"], list) and s["title"] for s in sections.values())
    classes = sections["segments"]["classes"]
    assert [c["name"] for c in classes] == ["A", "B", "C"]
    assert sum(c["customers"] for c in classes) == len(tables.customers)
    assert all(isinstance(c["spend_fen"], int) for c in classes)
    spend = int(tables.lines["labour_fen"].sum() + tables.lines["parts_fen"].sum())
    assert sum(c["spend_fen"] for c in classes) <= spend
    matrix = sections["matrix"]
    assert sum(map(sum, matrix["counts"])) + matrix["unplaced"] == len(tables.customers)
    churn = sections["churn"]
    assert all(isinstance(row["clv_fen"], int) for row in churn["top_clv"])
    assert sum(b["churn_risk"] for b in churn["bands"]) + churn["not_placed"]["churn_risk"] == len(
        tables.customers
    )
    assert {"chapters", "levels", "points"} <= set(sections["club"])
    assert sections["satisfaction"]["csi"]["by_dealer"]
    agenda = sections["agenda"]
    assert agenda["on"] == "2026-07-01"
    assert sum(sum(s.values()) for s in agenda["by_kind"].values()) == agenda["tasks"]


def test_a_small_export_without_club_surveys_or_scipy_says_what_each_section_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for module in ("scipy", "scipy.special", "scipy.optimize"):
        monkeypatch.setitem(sys.modules, module, None)
    write_basic_export(40, 3, tmp_path)
    code, out, _ = run("report", "--input", tmp_path, "--as-of", AS_OF, "--format", "json",
                       capsys=capsys)  # fmt: skip
    assert code == 0
    sections = json.loads(out)["sections"]
    assert "pip install 'aftersales-crm[clv]'" in sections["churn"]["skipped"]
    assert sections["club"]["skipped"] == "no chapters in the export"
    assert sections["satisfaction"]["skipped"].startswith("no answers to the China CSI survey")
    code, out, _ = run("report", "--input", tmp_path, "--as-of", AS_OF, "--format", "html",
                       capsys=capsys)  # fmt: skip
    assert code == 0
    assert out.count('src="data:image/png;base64,') == 3  # no P(alive) without scipy
    assert "Churn risk and lifetime value (流失预警, 客户终身价值): skipped" in out


def test_a_model_that_does_not_fit_a_tiny_export_skips_its_section_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_basic_export(3, 2, tmp_path)
    code, out, _ = run("report", "--input", tmp_path, "--as-of", AS_OF, "--format", "json",
                       capsys=capsys)  # fmt: skip
    assert code == 0
    sections = json.loads(out)["sections"]
    assert "cannot be fitted on these 3 customers" in sections["churn"]["skipped"]
    assert sections["churn"]["text"][0].startswith(
        "Churn risk and lifetime value (流失预警, 客户终身价值): skipped, ChurnRisk: "
    )
    assert sections["segments"]["classes"][2]["customers"] > 0
    code, out, _ = run("report", "--input", tmp_path, "--as-of", AS_OF, "--format", "html",
                       capsys=capsys)  # fmt: skip
    assert code == 0
    assert out.count('src="data:image/png;base64,') == 3


def test_undefined_figures_are_null_in_the_json_report() -> None:
    from aftersales_crm._cli._render import json_report
    from aftersales_crm._cli._sections import Section

    sections = [
        Section("input", "t", ("t",), {"as_of": AS_OF}),
        Section("club", "Club", ("x",), {"rates": (float("nan"), 0.5), "inf": float("inf")}),
    ]
    club = json.loads(json_report(sections, currency="CNY"))["sections"]["club"]
    assert club == {"title": "Club", "rates": [None, 0.5], "inf": None, "text": ["x"]}


def test_figures_of_skipped_sections_are_left_out() -> None:
    from aftersales_crm._cli._sections import Context

    tables = synthetic.columns(3, seed=2).tables()
    ctx = Context(
        tables, features.compute(tables, as_of=synthetic.DEFAULT_AS_OF), synthetic.DEFAULT_AS_OF
    )
    ctx.data = {key: {"skipped": "why"} for key in SECTION_KEYS}
    for key in ("segments", "matrix", "churn", "agenda"):
        for _, draw in FIGURES[key]:
            assert draw(ctx, None) is None


@pytest.fixture(scope="module")
def report_html(exports: dict[str, Path]) -> Path:
    out = exports["parquet"].parent / "report.html"
    assert main(["report", "--input", str(exports["parquet"]), "--as-of", AS_OF, "--format",
                 "html", "--output", str(out)]) == 0  # fmt: skip
    return out


def test_the_html_report_is_one_file_with_its_figures_inline(report_html: Path) -> None:
    page = report_html.read_text(encoding="utf-8")
    for key in SECTION_KEYS:
        assert f'<section id="{key}">' in page
    images = re.findall(r'<img alt="[^"]+" src="data:image/png;base64,([^"]+)">', page)
    assert len(images) == FIGURE_COUNT  # every figure of every section
    assert all(base64.b64decode(png).startswith(b"\x89PNG") for png in images)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to fetch
    assert "<link" not in page
    assert "<script" not in page
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["customers"].startswith("150 (")
    assert re.fullmatch(r"loyal \d+, swinging \d+, lost \d+", figures["by P(alive)"])
    assert figures["care tasks on 2026-07-01"].endswith(" calls")


def test_the_html_report_shows_the_sections_tables_as_tables_with_the_json_figures(
    report_html: Path, report_json: dict[str, Any], table_cells: Callable[[str], Any]
) -> None:
    page = report_html.read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section id="(\w+)">(.*?)</section>', page, re.S))
    assert set(sections) == set(SECTION_KEYS)
    abc = table_cells(sections["segments"]).rows
    assert abc[0] == ["class", "customers", "share", "spend", "value share", "rule"]
    classes = report_json["sections"]["segments"]["classes"]
    assert [(row[0], int(row[1])) for row in abc[1:]] == [
        (f"{c['name']}类", c["customers"]) for c in classes
    ]
    matrix = table_cells(sections["matrix"]).rows  # the counts, then the strategies
    counts = report_json["sections"]["matrix"]["counts"]
    assert [[int(n) for n in row[1:]] for row in matrix[1:4]] == counts
    assert len(re.findall(r"<table>", sections["agenda"])) >= 1
    assert "<pre>" not in sections["segments"] + sections["matrix"] + sections["churn"]


def test_the_html_report_says_why_there_are_no_figures_without_matplotlib(
    exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code, out, _ = run(
        "report", "--input", exports["csv"], "--as-of", AS_OF, "--format", "html", capsys=capsys
    )
    assert code == 0
    assert "<img" not in out
    assert "Figures skipped: this feature needs matplotlib" in out
    assert "pip install &#x27;aftersales-crm[plot]&#x27;" in out


def test_an_export_of_empty_tables_gets_a_report_of_nothing_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "customers.csv").write_text("id,name\n", encoding="utf-8")
    for form in ("text", "html"):
        code, out, err = run(
            "report", "--input", tmp_path, "--as-of", AS_OF, "--format", form, capsys=capsys
        )
        assert (code, err) == (0, "")
        assert "every table empty" in out
    assert "0 customers" in run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)[1]


def _chromium() -> str | None:
    return next(
        (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
    )


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary (CI installs it)")
def test_the_html_report_opens_in_a_headless_browser_with_its_sections_and_images(
    report_html: Path, tmp_path: Path
) -> None:
    browser = _chromium()
    assert browser is not None
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
               report_html.resolve().as_uri()]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    dom = done.stdout
    for key in SECTION_KEYS:
        assert re.search(rf'<section id="{key}"><h2>[^<]+</h2>', dom), key
    images = re.findall(r'<img alt="[^"]+" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', dom)
    assert len(images) == FIGURE_COUNT
    assert all(len(png) > 1000 for png in images)


# -- a broken export -------------------------------------------------------------------------


def _edit_csv(path: Path, edit: Any) -> None:
    """Rewrite a CSV file through pandas, every cell as text."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)


@pytest.fixture(scope="module")
def broken(tables: Tables, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = write_csv(tables, tmp_path_factory.mktemp("broken") / "export")

    def bad_vins(frame: Any) -> Any:
        for row in (3, 7):  # lines 5 and 9: the check digit is wrong
            vin = frame.loc[row, "vin"]
            frame.loc[row, "vin"] = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
        return frame

    def dangling(frame: Any) -> Any:
        frame.loc[10, "customer_id"] = "C9999999"  # line 12
        return frame

    _edit_csv(directory / "vehicles.csv", bad_vins)
    _edit_csv(directory / "orders.csv", dangling)
    _edit_csv(directory / "dealers.csv", lambda f: f.drop(columns=["name"]))
    (directory / "cars.csv").write_text("id\nX1\n", encoding="utf-8")
    return directory


def test_a_broken_export_reports_every_bad_row_with_file_row_and_column(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run("report", "--input", broken, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("cars.csv: no table 'cars'; ")
    assert (
        "dealers.csv:1: name: dealers: required column 'name' is missing [missing_column]" in lines
    )
    vins = [line for line in lines if line.startswith("vehicles.csv:")]
    assert [line.split(":")[1:3] for line in vins] == [["5", " vin"], ["9", " vin"]]
    assert all("check digit" in line and line.endswith("[vin_checksum]") for line in vins)
    assert re.search(
        r"^orders\.csv:12: customer_id: .*C9999999.* \[dangling_reference\]$", err, re.M
    )
    assert lines[-1].endswith("problems; no report written")


def test_the_process_exits_1_with_the_problems_on_stderr_and_nothing_on_stdout(
    broken: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aftersales_crm", "report", "--input", str(broken),
         "--as-of", AS_OF, "--format", "json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert "orders.csv:12: customer_id: " in done.stderr


def test_a_parquet_export_numbers_rows_from_one(
    tables: Tables, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_parquet(tables, tmp_path)
    vehicles = pq.read_table(directory / "vehicles.parquet")
    vins = vehicles.column("vin").to_pylist()
    vins[0] = "LSVAU2180N2183294"  # check digit 0, expected X
    index = vehicles.column_names.index("vin")
    pq.write_table(vehicles.set_column(index, "vin", [vins]), directory / "vehicles.parquet")
    code, _, err = run("report", "--input", directory, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert err.startswith("vehicles.parquet:1: vin: ")


def test_a_csv_row_of_the_wrong_length_and_an_unreadable_cell_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dealers.csv").write_text(
        "id,name,full_after_sales,location.lat\n"
        "D1,North,true,39.9\n"
        "\n"  # a blank line is skipped
        "D2,South\n"
        'D3,"East\nside",maybe,north\n',
        encoding="utf-8",
    )
    code, _, err = run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    lines = err.splitlines()
    assert "dealers.csv:4: the row has 2 cells, the header 4 [row_length]" in lines
    assert any(line.startswith("dealers.csv:5: full_after_sales: ") for line in lines)
    assert any(line.startswith("dealers.csv:5: location.lat: ") for line in lines)


@pytest.fixture(params=["arrow", "csv module"])
def csv_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """CSV read by pyarrow (the arrow extra), or by the csv module without it."""
    if request.param == "csv module":
        monkeypatch.setitem(sys.modules, "pyarrow.csv", None)
    return str(request.param)


@pytest.mark.parametrize("kind", ["csv"])
def test_a_csv_export_reads_back_alike_with_either_reader(
    kind: str, csv_reader: str, exports: dict[str, Path], tables: Tables
) -> None:
    assert read_export(exports[kind]) == tables


def test_cells_that_do_not_read_as_their_type_are_named_on_their_line(
    csv_reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dealers.csv").write_text(
        "id,name,full_after_sales,location.lat,location.lon\n"
        'D1,"North\nside",TRUE,39.9,116.4\n'  # a quoted line break: the row is on line 2
        "D2,South,maybe,north,121.5\n",
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(
        "id,name,birthday,hobbies,lunar_birthday\n"
        "C1,王明,1990-13-01,钓鱼| 露营,0\n"
        "\n"
        "C2,李华,1985-02-03,,no\n",
        encoding="utf-8",
    )
    (tmp_path / "orders.csv").write_text(
        "id,dealer_id,customer_id,opened_at,mileage\n"
        "RO1,D1,C1,2026-03-02 09:00:00,12.5\n"
        "RO2,D2,C2,2026-03-02T09:00:00+08:00,\n",
        encoding="utf-8",
    )
    (tmp_path / "lines.csv").write_text(
        "order_id,kind,pay,labour,parts\nRO1,maintenance,customer,212.00,0\n"
        "RO2,maintenance,customer,100,50\n",
        encoding="utf-8",
    )
    code, _, err = run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert err.splitlines()[:-1] == [
        "dealers.csv:4: location.lat: location.lat is 'north', expected a number [wrong_type]",
        "dealers.csv:4: full_after_sales: full_after_sales is 'maybe', expected True or False [wrong_type]",
        "customers.csv:2: birthday: birthday '1990-13-01' is not a real date (YYYY-MM-DD) [invalid_date]",
        "orders.csv:2: opened_at: opened_at '2026-03-02 09:00:00' has no time zone; give an aware datetime [naive_instant]",
        "orders.csv:2: mileage: mileage is '12.5', expected a whole number [wrong_type]",
        "lines.csv:2: labour: labour is '212.00', expected integer minor units [wrong_type]",
    ]


def test_two_files_for_one_table_a_repeated_column_and_a_bad_parquet_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dealers.csv").write_text("id,id\nD1,D1\n", encoding="utf-8")
    (tmp_path / "dealers.parquet").write_bytes(b"not parquet")
    (tmp_path / "customers.parquet").write_bytes(b"not parquet")
    (tmp_path / "vehicles.csv").write_text("", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    code, _, err = run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert "dealers.csv:1: id: column 'id' repeats [repeated_column]" in err
    assert "dealers.parquet: dealers is also in dealers.csv; give one file per table" in err
    assert "customers.parquet: not a Parquet file: " in err
    assert "vehicles.csv: the file is empty [empty_file]" in err
    assert "notes.txt" not in err


def test_naive_timestamps_float_money_and_undecodable_text_are_named(
    tables: Tables, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pa = pytest.importorskip("pyarrow")
    orders = tables.to_arrow()["orders"]
    index = orders.column_names.index("opened_at")
    naive = orders.column("opened_at").cast(pa.timestamp("us"))
    pq.write_table(orders.set_column(index, "opened_at", naive), tmp_path / "orders.parquet")
    (tmp_path / "customers.csv").write_bytes("id,name\nC1,王明\n".encode("gb18030"))
    code, _, err = run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert "customers.csv: cannot be read: 'utf-8' codec can't decode" in err
    assert re.search(r"^orders\.parquet: orders\.opened_at holds naive datetimes; ", err, re.M)
    floats = tmp_path / "floats"
    floats.mkdir()
    pq.write_table(pa.table({"order_id": ["RO1"], "kind": ["maintenance"],
                             "pay": ["customer"], "labour": [1.5], "parts": [0]}),
                   floats / "lines.parquet")  # fmt: skip
    code, _, err = run("report", "--input", floats, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert f"{floats}: column 'labour' holds floats" in err


def test_a_problem_of_a_table_without_a_file_names_the_table(tmp_path: Path) -> None:
    from aftersales_crm._cli._export import _located
    from aftersales_crm.errors import RowProblem, TableValidationError

    err = TableValidationError([RowProblem(0, "order_id", "code", "message", "lines")])
    assert _located(err, {}, tmp_path) == [
        ExportProblem(str(tmp_path / "lines"), None, "order_id", "message", "code")
    ]


def test_an_empty_directory_is_bad_data_and_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("report", "--input", tmp_path, "--as-of", AS_OF, capsys=capsys)
    assert code == 1
    assert "no table files (<table>.parquet or <table>.csv) in the directory" in err
    code, _, err = run("report", "--input", tmp_path / "nowhere", "--as-of", AS_OF, capsys=capsys)
    assert code == 2
    assert "is not a directory" in err
    for argv in (["report", "--input", str(tmp_path)], ["report", "--as-of", "2026-13-01",
                                                        "--input", str(tmp_path)]):  # fmt: skip
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2


def test_an_unknown_currency_is_a_usage_error(
    exports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        "report", "--input", exports["csv"], "--as-of", AS_OF, "--currency", "XYZ", capsys=capsys
    )
    assert code == 2
    assert "XYZ" in err


def test_a_problem_reads_as_file_row_column_message() -> None:
    assert str(ExportProblem("orders.csv", 12, "vin", "bad", "vin_checksum")) == (
        "orders.csv:12: vin: bad [vin_checksum]"
    )
    assert str(ExportProblem("cars.csv", None, "", "no table 'cars'")) == (
        "cars.csv: no table 'cars'"
    )


# -- progress and the demo ---------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_stays_silent_elsewhere() -> None:
    shown = Terminal()
    progress = Progress(shown)
    progress.step("reading orders.csv")
    progress.step("features")
    progress.done()
    progress.done()
    assert re.fullmatch(
        r"reading orders\.csv … \d+\.\d s\nfeatures … \d+\.\d s\n", shown.getvalue()
    )
    quiet = io.StringIO()
    silent = Progress(quiet)
    silent.step("features")
    silent.done()
    assert quiet.getvalue() == ""
