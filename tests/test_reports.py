"""Reports a bank can read and check: XLSX opened with openpyxl, self-contained HTML, versioned JSON; upgrades;
and the demo that the README's main command runs."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from openpyxl import load_workbook

from antai.catalog import Catalog
from antai.catalog.loader import BUILTIN_DIR

from .conftest import run_cli

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def antai(ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(*args, "-C", str(ws), env={"ANTAI_USER": "tester"})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("demo") / "antai-demo"
    result = run_cli("demo", str(root))
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    return root, paths


def test_demo_prints_the_bank_reports_and_the_workspace_verifies(demo: tuple[Path, list[Path]]) -> None:
    root, paths = demo
    assert [p.suffix for p in paths] == [".html", ".xlsx", ".html"]
    assert all(p.is_file() and p.stat().st_size > 2_000 for p in paths)
    assert antai(root, "verify").returncode == 0
    assert antai(root, "validate").returncode == 0
    status = json.loads(antai(root, "status", "--format", "json").stdout)
    assert 20 < status["overall"]["score"] < 90  # partly complete, as a real venture would be
    counts = status["status_counts"]
    assert counts["risk_accepted"] == 1 and counts["compensated"] == 1 and counts["planned"] > 0
    assert status["flags"]["overdue"] and status["flags"]["expired_evidence"]
    again = run_cli("demo", str(root))
    assert again.returncode == 1 and "既にワークスペースがある" in again.stderr


def test_bank_xlsx_sheets_headers_and_cells(demo: tuple[Path, list[Path]], catalog: Catalog) -> None:
    root, paths = demo
    workbook = load_workbook(paths[1])
    assert workbook.sheetnames == [
        "表紙",
        "組織情報",
        "サマリー",
        "是正計画",
        "チェックリスト",
        "意思決定",
        "対象外項目",
        "FISCトレーサビリティ",
        "コメント",  # the thread with the bank, between the demo's two submissions
    ]
    cover = workbook["表紙"]
    cover_values = {cover.cell(row=r, column=1).value: cover.cell(row=r, column=2).value for r in range(3, 25)}
    assert cover_values["組織名"] == "株式会社ミルカ（デモ）"
    assert cover_values["カタログ版"] == catalog.version and cover_values["リスク区分"] == "高"
    checklist = workbook["チェックリスト"]
    headers = [c.value for c in checklist[1]]
    assert headers[:8] == ["ID", "章", "項目", "必須", "区分", "CSF 機能", "フェーズ", "状況"]
    assert "逸脱の理由" in headers and "新技術による代替" in headers and "FISC 項目" in headers
    assert checklist.freeze_panes == "A2" and checklist.auto_filter.ref.startswith("A1:")
    rows = {
        checklist.cell(row=r, column=1).value: [c.value for c in checklist[r]] for r in range(2, checklist.max_row + 1)
    }
    answers = yaml.safe_load((root / "answers.yaml").read_text("utf-8"))["answers"]
    assert set(rows) == set(answers)
    assert rows["IAM-01"][headers.index("フェーズ")] == "接続前（ゲート）"  # the phase in words, not "P1"
    assert rows["IAM-01"][headers.index("区分")] == "基本" and rows["IAM-01"][headers.index("CSF 機能")] == "PR 防御"
    iam09 = rows["IAM-09"]
    assert iam09[headers.index("新技術による代替")] == "イミュータブルインフラ（immutable-infrastructure）"
    assert re.match(
        r"E\d{4} aws-credential-report\.csv \(", rows["IAM-01"][headers.index("エビデンス（有効日・期限）")]
    )
    org = workbook["組織情報"]
    facts = {org.cell(row=r, column=2).value: org.cell(row=r, column=3).value for r in range(2, org.max_row + 1)}
    assert facts["銀行との損失分担"] == "未回答（要対応）"  # a missing fact is a gap, not a blank
    assert facts["顧客への補償方針"].startswith("当社の責めに帰すべき事由で")
    decisions = workbook["意思決定"]
    assert decisions.cell(row=2, column=1).value == "ASR-04"
    assert workbook["FISCトレーサビリティ"].max_row == 1 + len(catalog.fisc.entries)
    assert workbook["対象外項目"].max_row > 1


def test_xlsx_english_headers_and_formula_injection(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--profile", "example:remittance", "--org", "+cmd|' /C calc'!A0").returncode == 0
    assert antai(ws, "set", "IAM-01", "--status", "partial", "--due", "2027-03-31", "--note", HOSTILE).returncode == 0
    assert antai(ws, "org", "set", "security_owner", "@SUM(1+1)*cmd").returncode == 0
    out = tmp_path / "r.xlsx"
    result = antai(ws, "report", "--format", "xlsx", "--lang", "en", "-o", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames[0] == "Cover"
    checklist = workbook["Checklist"]
    headers = [c.value for c in checklist[1]]
    assert headers[:3] == ["ID", "Chapter", "Item"]
    row = next(r for r in range(2, checklist.max_row + 1) if checklist.cell(row=r, column=1).value == "IAM-01")
    cell = checklist.cell(row=row, column=headers.index("Reason for deviation") + 1)
    assert cell.value == HOSTILE and cell.data_type == "s"
    assert workbook["Cover"]["B3"].value == "+cmd|' /C calc'!A0"
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name


def test_html_report_is_self_contained_with_charts(demo: tuple[Path, list[Path]]) -> None:
    root, paths = demo
    html = paths[0].read_text("utf-8")
    assert html.count("<svg") == 3  # scores by chapter, by C/I/A, and the roadmap timeline
    assert not re.search(r"<(script|link|img|iframe)\b", html) and "url(" not in html
    assert not re.search(r'(src|href)="(?!#)', html)
    answers = yaml.safe_load((root / "answers.yaml").read_text("utf-8"))["answers"]
    for item_id in answers:
        assert f'id="{item_id}"' in html
    assert "前回報告からの変化" in html and "未回答（要対応）" in html


def test_bank_html_report_has_the_roadmap_with_its_timeline_and_gate_date(tmp_path: Path, catalog: Catalog) -> None:
    from antai import demo as demo_module

    # the demo run on a fixed day (a Tuesday), so that the dates it plans are known
    result = demo_module.build(tmp_path / "demo", catalog, dt.date(2026, 12, 1))
    html = result.bank_html.read_text("utf-8")
    section = re.search(r'<section id="roadmap">(.*?)</section>', html, flags=re.DOTALL)
    assert section is not None
    roadmap = section.group(1)
    assert "<h2>対策ロードマップ</h2>" in roadmap
    assert re.search(r"<figure><svg [^>]*>.*</svg></figure>", roadmap, flags=re.DOTALL)  # inline, no <img>
    # the gate's 11 items take 39 person-days; 5 engineers × 20 % do 1 a working day, so the 39th working day
    # from Tuesday 1 December 2026 (weekends skipped) is Friday 22 January 2027
    assert "<li>体制: エンジニア 5 人 × セキュリティに充てる時間 20%（四半期あたり 60 人日）</li>" in roadmap
    assert "<li>ゲートの完了見込み: 2027年1月22日（この日以降に本番公開・銀行接続ができる）</li>" in roadmap
    assert "<li>接続前（ゲート）: 11 項目・39 人日、2026年12月1日 〜 2027年1月22日</li>" in roadmap
    assert html.index('<section id="roadmap">') < html.index('<section id="organisation">')
    assert '<section id="roadmap">' not in result.exec_html.read_text("utf-8")


def test_exec_one_pager_has_posture_top_five_and_changes(demo: tuple[Path, list[Path]]) -> None:
    html = demo[1][2].read_text("utf-8")
    assert "上位 5 件のギャップ" in html
    assert len(re.findall(r"<li><strong>[A-Z]+-\d+</strong>", html)) == 5
    assert "→" in html  # what changed since the last report


def test_json_report_follows_its_published_schema(demo: tuple[Path, list[Path]], tmp_path: Path) -> None:
    root, _ = demo
    schema = json.loads(run_cli("report", "schema").stdout)
    for audience in ("bank", "engineer", "exec"):
        out = tmp_path / f"{audience}.json"
        assert antai(root, "report", "--audience", audience, "--format", "json", "-o", str(out)).returncode == 0
        data = json.loads(out.read_text("utf-8"))
        jsonschema.validate(data, schema)
        assert data["schema"] == "antai.report/1" and data["audience"] == audience
    bank = json.loads((tmp_path / "bank.json").read_text("utf-8"))
    assert bank["fisc"] and bank["missing_facts"] == [
        "user_protection.loss_allocation",
        "cooperation.joint_drill_date",
    ]
    accepted = next(i for i in bank["items"] if i["id"] == "ASR-04")
    assert accepted["acceptance"]["approver"] and accepted["deviation_reason"]


def test_markdown_reports(demo: tuple[Path, list[Path]]) -> None:
    root, _ = demo
    md = antai(root, "report", "--audience", "engineer", "--format", "md", "--lang", "en").stdout
    assert md.startswith("# Security status for engineers") and "| IAM-01 |" in md
    short = antai(root, "report", "--audience", "exec", "--format", "md").stdout
    gaps = re.findall(r"^- (.+?) \*\*[A-Z]+-\d+\*\* ", short, flags=re.MULTILINE)
    assert gaps == ["接続前（ゲート）"] * 4 + ["90 日以内"]  # the top five gaps, each with its phase in words


def test_upgrade_carries_answers_across(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--profile", "example:household-budget", "--org", "Up KK").returncode == 0
    assert antai(ws, "set", "IAM-01", "--status", "implemented").returncode == 0
    assert antai(ws, "set", "CAU-06", "--status", "implemented", "--note", "15 min idle").returncode == 0
    new = tmp_path / "catalog-0.3.0"
    shutil.copytree(BUILTIN_DIR, new)
    (new / "catalog.yaml").write_text((new / "catalog.yaml").read_text("utf-8").replace('"0.2.0"', '"0.3.0"'), "utf-8")
    changelog = new / "changelog.yaml"
    changelog.write_text(
        changelog.read_text("utf-8").replace(
            "releases:\n",
            'releases:\n  - version: "0.3.0"\n    date: 2027-01-01\n    notes:\n'
            "      - {ja: テスト用の改訂, en: a test release}\n",
            1,
        ),
        "utf-8",
    )
    item = new / "items" / "02-access" / "IAM-01.yaml"
    edited = item.read_text("utf-8").replace("effort_days: [1, 3]", "effort_days: [3, 8]")  # low → medium effort
    assert edited != item.read_text("utf-8")
    item.write_text(edited, "utf-8")
    removed = new / "items" / "02-access" / "CAU-06.yaml"
    removed.unlink()
    # the FISC matrix and the scanners' mapping tables name the item too: a release that withdraws it edits them
    for matrix in (*(new / "fisc").glob("*.yaml"), *(new / "mappings").glob("*.yaml")):
        matrix.write_text(re.sub(r"(, CAU-06\b|\bCAU-06, |\bCAU-06\b)", "", matrix.read_text("utf-8")), "utf-8")
    registry = new / "ids.yaml"
    registry.write_text(
        re.sub(r"(  CAU-06: \{[^}]*)\}", r"\1, withdrawn: 0.3.0}", registry.read_text("utf-8")), "utf-8"
    )
    added = new / "items" / "02-access" / "IAM-90.yaml"
    added.write_text(item.read_text("utf-8").replace("id: IAM-01", "id: IAM-90"), "utf-8")
    with registry.open("a", encoding="utf-8") as handle:
        handle.write("  IAM-90: {since: 0.3.0, chapter: 2, section: cloud-privileges}\n")
    assert run_cli("catalog", "validate", str(new)).returncode == 0

    dry = run_cli("--catalog", str(new), "upgrade", "--dry-run", "-C", str(ws))
    assert dry.returncode == 0 and "（試行のみ）" in dry.stdout
    assert yaml.safe_load((ws / "antai.yaml").read_text("utf-8"))["catalog_version"] == "0.2.0"
    result = run_cli("--catalog", str(new), "upgrade", "-C", str(ws), env={"ANTAI_USER": "tester"})
    assert result.returncode == 0, result.stderr
    assert "+ IAM-90" in result.stdout and "- CAU-06" in result.stdout and "~ IAM-01" in result.stdout
    answers = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert answers["IAM-90"]["status"] == "unanswered"
    assert answers["IAM-01"]["status"] == "implemented" and answers["IAM-01"]["review"] is True
    assert "CAU-06" not in answers
    archive = yaml.safe_load((ws / "archive.yaml").read_text("utf-8"))["archived"]
    assert archive[0]["item"] == "CAU-06" and archive[0]["answer"]["note"] == "15 min idle"
    assert yaml.safe_load((ws / "antai.yaml").read_text("utf-8"))["catalog_version"] == "0.3.0"
    status = json.loads(run_cli("--catalog", str(new), "status", "--format", "json", "-C", str(ws)).stdout)
    assert status["flags"]["review"] == ["IAM-01"]
    assert run_cli("--catalog", str(new), "verify", "-C", str(ws)).returncode == 0
