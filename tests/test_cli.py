"""The command line runs the demo and answers --help and --version."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest

import aftersales_crm
from aftersales_crm import features, synthetic
from aftersales_crm.__main__ import main
from aftersales_crm._cli._blocks import text_lines
from aftersales_crm._cli._render import FIGURES
from aftersales_crm._cli._sections import _churn_report


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the demo writes its HTML report."""
    return tmp_path_factory.mktemp("demo") / "report.html"


@pytest.fixture(scope="module")
def out(html: Path) -> str:
    """What ``python -m aftersales_crm demo`` prints (run once: it takes seconds)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--html", str(html)]) == 0
    return printed.getvalue()


def test_the_demo_writes_the_same_report_as_one_html_file_and_says_where(
    out: str, html: Path
) -> None:
    assert out.rstrip().endswith(f"(open it in a browser): {html}")
    page = html.read_text(encoding="utf-8")
    assert "synthetic dealer network of 2,000 customers, seed 2026" in page
    for heading in ("Value classes", "Settlement with HQ", "Tomorrow&#x27;s care agenda"):
        assert heading in page
    assert page.count('src="data:image/png;base64,') == sum(map(len, FIGURES.values()))


def test_demo_prints_accepted_and_rejected_identifiers(out: str) -> None:
    assert "✓ VIN" in out
    assert "vin_checksum" in out  # the wrong check digit is reported with its rule
    assert "expected X" in out
    assert "national_id_checksum" in out
    assert "+8613812345678" in out
    assert "Money('1.01', 'CNY')" in out  # half-up rounding of 1.005


def test_version_flag_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert aftersales_crm.__version__ in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_help_lists_the_demo_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "demo" in capsys.readouterr().out


def test_demo_summarises_a_synthetic_dealer_with_a_redacted_customer(out: str) -> None:
    assert "Synthetic dealer network" in out
    assert "first maintenance 首保" in out
    assert "Revenue ¥" in out
    masked = out.split("personal data masked):\n")[1]
    assert "****" in masked  # the phone is masked
    assert '"birthday":null' in masked


def test_demo_prints_the_abc_table_and_the_loyalty_value_matrix(out: str) -> None:
    abc = out.split("Value classes (客户价值ABC分类)")[1].split("rule of thumb")[0]
    rows = [line.split() for line in abc.splitlines() if "类" in line]
    # 2,000 customers split 20 / 30 / 50 by customer count, with each class's value share
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("A类", "400", "20%"),
        ("B类", "600", "30%"),
        ("C类", "1000", "50%"),
    ]
    shares = [float(r[4].rstrip("%")) for r in rows]
    assert sum(shares) == pytest.approx(100, abs=0.2)
    assert [r[5] for r in rows] == ["70%–80%", "20%–25%", "5%–10%"]
    assert "This base follows the 70–80 / 20–25 / 5–10 rule of thumb." in out
    matrix = out.split("Loyalty × value matrix")[1]
    cells = [line.split() for line in matrix.splitlines() if line.strip()[:2] in ("A ", "B ", "C ")]
    counts = [[int(v) for v in row[2:5]] for row in cells[:3]]
    unplaced = int(matrix.split(" customers without a status")[0].split()[-1])
    assert sum(map(sum, counts)) + unplaced == 2_000
    strategies = matrix.split("Strategy per cell")[1].splitlines()[1:]
    covered = {
        row[0]: int(row[1])
        for row in map(str.split, strategies)
        if len(row) > 1 and row[1].isdigit()
    }
    assert covered["AD,AG,AS"] == sum(counts[0])
    assert covered["BD,BG,BS"] == sum(counts[1])
    assert covered["CD,CG"] == counts[2][0] + counts[2][1]
    assert covered["CS"] == counts[2][2]


def test_the_demo_matrix_has_the_material_rows_value_columns_and_strategies(out: str) -> None:
    matrix = out.split("Loyalty × value matrix (客户细分矩阵)")[1]
    lines = matrix.splitlines()
    assert "back after the first maintenance (首保后回厂)" in lines[1]
    assert lines[3].split() == ["D", "钻石", "G", "黄金", "S", "白银"]
    assert [line.split()[:2] for line in lines[4:7]] == [
        ["A", "忠诚"],
        ["B", "摇摆"],
        ["C", "流失"],
    ]
    assert "D (" not in matrix
    for number, text in [
        (1, "最具保留价值的客户,以预防为主,开展有效的客户关怀,适当的营销费用即可"),
        (2, "亟待保留的客户,已处于摇摆状态,最需要投入营销预算,鼓励延长消费的群体"),
        (3, "价值高已流失,着重通过客户赢回方案促进再次入网消费"),
        (3, "已流失,不需要投入售后营销预算"),
    ]:
        assert f"策略{number} {text}" in matrix


def test_the_demo_sets_churn_risk_beside_the_loyalty_status(out: str) -> None:
    part = out.split("Churn risk (流失预警)")[1].split("Top 10 customers")[0]
    rows = {
        name: (int(line.split()[-2]), int(line.split()[-1]))
        for line in part.splitlines()
        for name in ("loyal", "swinging", "lost", "not placed")
        if line.startswith(f"    {name} ")
    }
    assert set(rows) == {"loyal", "swinging", "lost", "not placed"}
    for column in (0, 1):  # ChurnRisk, LoyaltyStatus: every customer once
        assert sum(counts[column] for counts in rows.values()) == 2_000
    assert ">= 0.8" in part
    assert "< 0.5" in part
    reasons = re.search(r"(\d+) customers without a visit and (\d+) seen on\s+one day", part)
    assert reasons is not None
    assert int(reasons[1]) + int(reasons[2]) == rows["not placed"][0]
    agree = re.search(r"agree on ([\d,]+) of the ([\d,]+) customers", part)
    assert agree is not None
    assert int(agree[1].replace(",", "")) <= int(agree[2].replace(",", ""))


def test_the_demo_ranks_the_top_ten_customers_by_lifetime_value(out: str) -> None:
    part = out.split("Top 10 customers by lifetime value (客户终身价值)")[1].split("Owners'")[0]
    assert "next 12 months of 30 days, discounted 1% a month" in part
    rows = re.findall(r"^\s{4}(C\d+)\s+(\d+)\s+\d+ d\s+(0\.\d{3}|1\.000)\s.*¥([\d,]+)$", part, re.M)
    assert len(rows) == 10
    values = [int(r[3].replace(",", "")) for r in rows]
    assert values == sorted(values, reverse=True)
    assert len({r[0] for r in rows}) == 10
    share = re.search(r"class A \((\d+)% of the ([\d,]+) customers with a visit\) holds", part)
    assert share is not None
    assert share[1] == "20"


def test_the_demo_says_what_to_install_for_churn_risk_without_scipy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for module in ("scipy", "scipy.special", "scipy.optimize"):
        monkeypatch.setitem(sys.modules, module, None)
    feats = features.compute(synthetic.book(30, seed=1), as_of=synthetic.DEFAULT_AS_OF)
    lines = text_lines(_churn_report(feats))
    assert len(lines) == 1
    assert "skipped" in lines[0]
    assert "pip install 'aftersales-crm[clv]'" in lines[0]


def test_the_demo_reports_the_owners_club(out: str) -> None:
    club = out.split("Owners' club (车友会)")[1]
    rates = re.findall(r"(\d+\.\d)%\s+(met|below)", club)
    assert rates  # one row per chapter, each against the 55% target
    assert all((float(rate) >= 55.0) == (verdict == "met") for rate, verdict in rates)
    assert "Member levels (会员等级)" in club
    issued = re.search(r"issued ([\d,]+), redeemed ([\d,]+), expired ([\d,]+)", club)
    assert issued is not None
    assert int(issued[1].replace(",", "")) > int(issued[2].replace(",", "")) > 0
    settlement = club.split("Settlement with HQ (与总部进行积分结算)")[1]
    assert len(re.findall(r"HQ reimburses ¥", settlement)) == 2  # two dealers
    assert "every point accounted for" in settlement


def test_the_demo_reports_satisfaction_by_dealer_and_advisor_with_intervals(out: str) -> None:
    part = out.split("Customer satisfaction (客户满意度)")[1].split("Key drivers")[0]
    rows = re.findall(
        r"^\s+(D\d{4}|SA\d{5})\s+(\d+)\s+(\d+\.\d)\s+(\d+\.\d)–(\d+\.\d)\s+#(\d+)$", part, re.M
    )
    dealers = [r for r in rows if r[0].startswith("D")]
    advisors = [r for r in rows if r[0].startswith("SA")]
    assert len(dealers) == 2
    assert len(advisors) == 10
    for _, n, mean, low, high, _ in rows:
        assert int(n) > 0
        assert float(low) <= float(mean) <= float(high) <= 1000
    # Ranked best first.
    assert [int(r[5]) for r in advisors] == list(range(1, 11))
    assert [float(r[2]) for r in advisors] == sorted((float(r[2]) for r in advisors), reverse=True)
    nps = re.search(
        r"NPS \(净推荐值\): ([+-]\d+\.\d) \(95% CI ([+-]\d+\.\d) to ([+-]\d+\.\d)", part
    )
    assert nps is not None
    assert float(nps[2]) <= float(nps[1]) <= float(nps[3])


def test_the_demo_reports_key_drivers_and_complaint_recovery(out: str) -> None:
    drivers = out.split("Key drivers (关键驱动因素)")[1].split("Complaint recovery")[0]
    shares = re.findall(r"^\s{4}(\w[\w -]+?)\s+(\d+\.\d)%\s+(\d+\.\d)%\s+\S+ ", drivers, re.M)
    assert [name for name, _, _ in shares] == [
        "service initiation",
        "service advisor",
        "service facility",
        "vehicle pick-up",
        "service quality",
    ]
    assert sum(float(s) for _, s, _ in shares) == pytest.approx(100, abs=0.3)
    assert max(shares, key=lambda row: float(row[1]))[0] == "service quality"
    recovered = out.split("Complaint recovery")[1]
    for outcome, material in [
        ("had a problem, did not complain", "9%"),
        ("complained, not resolved", "19%"),
        ("complained, resolved", "54%"),
        ("complained, resolved quickly", "82%"),
    ]:
        row = next(line for line in recovered.splitlines() if outcome in line)
        assert row.rstrip().endswith(material)
    assert "《信息回访员基础培训分析报告》" in recovered


def test_the_demo_reports_servqual_gaps_per_dimension_and_dealer(out: str) -> None:
    part = out.split("Factor gaps (期望与感知差距)")[1].split("Key drivers")[0]
    rows = {
        line.split()[1]: re.findall(r"([+-]\d\.\d\d) \[([+-]\d\.\d\d), ([+-]\d\.\d\d)\]", line)
        for line in part.splitlines()[2:]
        if line.strip()
    }
    for dimension in ("tangibles", "reliability", "responsiveness", "assurance", "empathy"):
        cells = rows[dimension]
        assert len(cells) == 2  # two dealers
        for mean, low, high in cells:
            assert float(low) <= float(mean) <= float(high) < 0  # perceived below expected
    assert "SERVPERF" in part


def test_the_demo_sets_the_gaps_side_by_side_with_the_remedies_of_those_exceeded(out: str) -> None:
    part = out.split("The gap model (服务质量差距模型)")[1].split("Key drivers")[0]
    lines = part.splitlines()
    assert lines[1].split()[:3] == ["dealer", "gap", "1"]
    assert [line.split()[0] for line in lines[2:4]] == ["D0000", "D0001"]
    flagged = [line for line in lines if line.strip().startswith("above the threshold")]
    assert flagged
    assert all(not line.endswith(": none") for line in flagged)
    assert "remedies: 1." in part


def test_the_demo_reports_follow_up_calls_and_master_data_quality(out: str) -> None:
    calls = out.split("Follow-up calls (3DC/7DC 回访)")[1].split("Master-data quality")[0]
    rows = re.findall(
        r"^\s+(D\d{4}) (follow_up_[37]d)\s+(\d+)% \((\d+)/(\d+)\)\s+(\d+)% \((\d+)/(\d+)\)",
        calls,
        re.M,
    )
    assert [(dealer, call) for dealer, call, *_ in rows] == [
        ("D0000", "follow_up_3d"),
        ("D0000", "follow_up_7d"),
        ("D0001", "follow_up_3d"),
        ("D0001", "follow_up_7d"),
    ]
    for _, _, _, on_time, due, _, reached, attempted in rows:
        assert 0 < int(reached) <= int(attempted)
        assert int(on_time) <= int(due)
    assert "对不熟悉的电话不接" in calls
    assert "心存抱怨又不想投诉" in calls
    assert re.search(r"per caller, calls reaching the customer: CC01 \d+% of [\d,]+", calls)
    quality = out.split("Master-data quality")[1].split("Tomorrow's care agenda")[0]
    for principle in ("真实", "完整", "准确", "及时", "更新"):
        assert f"\n    {principle} " in quality
    wrong = next(line for line in quality.splitlines() if "wrong number" in line)
    assert len(re.findall(r"\d+% \(\d+/\d+\)", wrong)) == 3  # two dealers and the network
    # The synthetic data plants no bad identifiers and fills a field for all or none: those
    # measures are named, not shown, and every row shown has a figure below 100% somewhere.
    assert "none found: national ID refused on the day" in quality
    assert "given for every record: customer gender" in quality
    assert "given for no record: customer occupation" in quality
    rows = [line for line in quality.splitlines() if re.search(r"\d+% \(\d+/\d+\)", line)]
    assert 1 <= len(rows) <= 4
    assert len(quality.strip().splitlines()) < 20


def test_demo_prints_tomorrows_agenda_by_kind_with_what_the_contact_rules_blocked(
    out: str,
) -> None:
    section = out.split("Tomorrow's care agenda")[1]
    head = re.search(
        r"^ \(明日关怀日程\) (\S+), facts to (\S+): ([\d,]+) tasks, ([\d,]+) calls", section
    )
    assert head is not None
    assert head.group(1) > head.group(2)  # tomorrow, after the facts' last day
    tasks = int(head.group(3).replace(",", ""))
    assert 0 < int(head.group(4).replace(",", "")) <= tasks
    rows = re.findall(r"^    \S+ (\w+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$", section, re.M)
    kinds = {kind: [int(n.replace(",", "")) for n in ns] for kind, *ns in rows}
    assert {"follow_up_3d", "maintenance_due", "insurance_renewal", "annual_inspection"} <= set(
        kinds
    )
    assert sum(sum(ns) for ns in kinds.values()) == tasks  # every task counted once
    blocked = re.search(r"blocked by the contact rules \(被联系规则拦截\): ([\d,]+) tasks", section)
    assert blocked is not None
    total = int(blocked.group(1).replace(",", ""))
    assert total == sum(ns[3] for ns in kinds.values()) > 0
    reasons = re.findall(r"^ +([\d,]+)  (.+) \((.+)\)$", section.split("被联系规则拦截")[1], re.M)
    assert sum(int(n.replace(",", "")) for n, _, _ in reasons) == total
    assert any("consent" in en for _, en, _ in reasons)
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for _, _, zh in reasons)
    assert "维修保养交车后第3天回访" in section  # a reason in Chinese
    assert "follow-up call 3 days after" in section  # and in English
