"""Bank checklists as data: the format's checks with file:line:column, the shipped checklist, answering the
demo workspace through the CLI, and the XLSX a bank reviews (drop-downs, no raw codes, no formulas)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from antai.assessment.model import fact_field
from antai.catalog import SourceError, load_catalog
from antai.checklists import answer as answer_module
from antai.checklists import model as checklist_model
from antai.checklists.answer import answer_checklist
from antai.checklists.loader import builtin_names, builtin_path, load_checklist
from antai.reports.checklist import checklist_html, checklist_sheet
from antai.reports.xlsx import new_workbook
from antai.tailoring.plan import make_plan
from antai.workspace.store import FileStore

from .conftest import run_cli
from .test_japanese_outputs import _leaks

HEAD = """id: my-bank
title: {ja: 私の銀行の確認表, en: My bank's sheet}
source: {ja: 自作, en: our own}
version: "1"
rows:
"""


def _row(row_id: str, extra: str, question: str = "質問") -> str:
    return (
        f"  - id: {row_id}\n"
        f"    section: {{ja: 区分, en: Section}}\n"
        f"    question: {{ja: '{question}', en: Question}}\n"
        f"{extra}"
    )


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


def test_problems_name_file_line_and_column(tmp_path: Path, catalog: Any) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        HEAD
        + _row("A-1", "    items: [DAT-01, ZZZ-99]\n    facts: [governance.security_ownr, governance.deputy]\n")
        + _row("A-1", "    facts: [eligibility.registration]\n")
        + _row("A-2", ""),
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        load_checklist(path, catalog, "bad.yaml")
    found = [(p.file, p.line, p.column, p.code) for p in caught.value.problems]
    assert found == [
        ("bad.yaml", 9, 21, "checklist.unknown_item"),
        ("bad.yaml", 10, 13, "checklist.unknown_fact"),
        ("bad.yaml", 11, 9, "checklist.duplicate_row"),
        ("bad.yaml", 15, 5, "checklist.unmapped_row"),
    ]
    assert caught.value.problems[1].param("suggestion") == "governance.security_owner"
    assert caught.value.problems[2].param("first") == "6"


def test_shape_problems_are_positioned_too(tmp_path: Path, catalog: Any) -> None:
    path = tmp_path / "shape.yaml"
    path.write_text(HEAD + _row("A-1", "    items: [DAT-01]\n    answer: maybe\n    colour: red\n"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checklist(path, catalog, "shape.yaml")
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [
        (10, 13, "value.enum"),
        (11, 5, "value.extra_forbidden"),
    ]


def test_the_shipped_checklist_maps_only_to_real_items_and_facts(catalog: Any) -> None:
    assert builtin_names() == ["api-connection"]
    path = builtin_path("api-connection")
    assert path is not None
    found = load_checklist(path, catalog)
    assert 30 <= len(found.rows) <= 45
    assert len({r.id for r in found.rows}) == len(found.rows)
    ids = set(catalog.ids)
    for row in found.rows:
        assert row.items or row.facts, row.id
        assert set(row.items) <= ids, row.id
        assert all(fact_field(p) is not None for p in row.facts), row.id
    sections = list(dict.fromkeys(r.section.en for r in found.rows))
    assert sections == [
        "Eligibility",
        "Service and API use",
        "Security management structure and rules",
        "Facilities and offices (what the venture still controls on the cloud)",
        "System development and operations",
        "Security functions of the service and the API connection",
        "Cooperation with the bank and incident notification",
        "Outsourcing",
        "User protection: explanation",
        "User protection: inquiries and complaints",
        "User protection: preventing damage from spreading",
        "User protection: compensation",
        "Continuing re-checks after connection",
    ]
    assert "独自の言葉" in found.source.ja and "not any bank's official sheet" in found.source.en


def test_cli_validate_words_the_problems_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + _row("A-1", "    items: [ZZZ-99]\n"), encoding="utf-8")
    result = run_cli("checklist", "validate", str(path), "--lang", "ja")
    assert result.returncode == 1
    assert f"{path}:9:13: 'ZZZ-99' はカタログ" in result.stdout + result.stderr
    good = run_cli("checklist", "validate", str(builtin_path("api-connection")), "--lang", "en")
    assert good.returncode == 0, good.stderr
    assert "no problems (42 questions" in good.stderr
    unknown = run_cli("checklist", "answer", "no-such-sheet", "--lang", "en")
    assert unknown.returncode == 2
    assert "no checklist 'no-such-sheet'" in unknown.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checklist") / "demo"
    result = run_cli("demo", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_answering_the_demo_gives_exact_answers(demo: Path) -> None:
    out = demo.parent / "answers.json"
    result = run_cli("checklist", "answer", "api-connection", "-C", str(demo), "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["rows"]}
    assert len(rows) == 42
    assert (rows["EL-01"]["answer"], rows["EL-01"]["evidence"]) == ("yes", ["E0001"])  # the registration record
    assert rows["SF-04"]["answer"] == "yes"
    assert [(i["id"], i["status"]) for i in rows["SF-04"]["items"]] == [("BNK-04", "implemented")]
    # a read-only service: the update rows' items do not apply
    assert rows["SF-08"]["answer"] == "not_applicable"
    assert [d["kind"] for d in rows["SF-08"]["deviations"]] == ["excluded", "excluded"]
    assert (rows["UP-05"]["answer"], rows["UP-05"]["missing_facts"]) == ("partial", ["user_protection.loss_allocation"])
    assert [(i["id"], i["status"]) for i in rows["RC-02"]["items"]] == [("BNK-12", "planned")]
    assert rows["RC-02"]["answer"] == "no"


def test_the_xlsx_has_reviewer_drop_downs_and_no_raw_codes_in_japanese(demo: Path) -> None:
    result = run_cli("checklist", "answer", "api-connection", "-C", str(demo), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    path = demo / "reports" / "checklist-api-connection.ja.xlsx"
    assert result.stdout.strip() == str(path.resolve())
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[3]] == [
        "番号",
        "区分",
        "質問",
        "回答",
        "説明",
        "エビデンス",
        "判定（銀行記入）",
        "コメント（銀行記入）",
    ]
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == ("list", '"可,要確認,不可"', "G4:G45")
    answers = {sheet.cell(row=r, column=4).value for r in range(4, 46)}
    assert answers == {"はい", "一部", "いいえ", "該当なし"}
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    own = {
        v.value
        for enum in (answer_module.RowAnswer, answer_module.FactState, answer_module.DeviationKind)
        for v in enum
    }
    own |= {v.value for enum in (checklist_model.AnswerKind, checklist_model.ScopeTag) for v in enum}
    assert _leaks(text) == []
    assert [code for code in sorted(own) if re.search(rf"(?<![A-Za-z_-]){code}(?![A-Za-z_-])", text)] == []


def test_the_bank_report_carries_the_answered_checklist(demo: Path, tmp_path: Path) -> None:
    xlsx, html, md = tmp_path / "bank.xlsx", tmp_path / "bank.html", tmp_path / "bank.md"
    for fmt, out in (("xlsx", xlsx), ("html", html), ("md", md)):
        result = run_cli("report", "--checklist", "api-connection", "--format", fmt, "-o", str(out), "-C", str(demo))
        assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(xlsx)
    assert workbook.sheetnames[-1] == "確認事項" and "チェックリスト" in workbook.sheetnames
    (validation,) = workbook["確認事項"].data_validations.dataValidation
    assert validation.formula1 == '"可,要確認,不可"'
    page = html.read_text("utf-8")
    assert page.count('<section class="checklist">') == 1
    assert page.index('<section class="checklist">') < page.index('<section id="decisions">')
    assert "42 問: はい 24・一部 15・いいえ 2・該当なし 1" in page
    assert "銀行 API 接続前の確認事項" in md.read_text("utf-8")
    json_out = run_cli("report", "--checklist", "api-connection", "--format", "json", "-C", str(demo))
    assert json_out.returncode == 2 and "--checklist は銀行向けの報告書" in json_out.stderr
    unknown = run_cli("report", "--checklist", "nope", "-C", str(demo))
    assert unknown.returncode == 2 and "チェックリスト 'nope' はない" in unknown.stderr


def test_a_users_own_checklist_is_answered_safely(demo: Path, catalog: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        HEAD + _row("X-1", "    items: [BNK-04]\n", question='=HYPERLINK("http://x.invalid")<script>'),
        encoding="utf-8",
    )
    result = run_cli("checklist", "answer", str(path), "-C", str(demo), "--format", "md", "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert "| X-1 | 区分 |" in result.stdout and "| はい |" in result.stdout
    found = load_checklist(path, catalog)
    assessment = FileStore(demo).load().assessment
    answered = answer_checklist(
        found, catalog, make_plan(catalog, assessment.profile, "ja"), assessment, dt.date.today()
    )
    workbook = new_workbook()
    sheet = checklist_sheet(workbook, answered, "ja")
    cell = sheet.cell(row=4, column=3)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert "&lt;script&gt;" in checklist_html(answered, "ja") and "<script>" not in checklist_html(answered, "ja")


def _bank_sheet(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["番号", "区分", "確認項目"])
    sheet.append(["1-1", "体制", "情報セキュリティの責任者を定めているか"])
    sheet.append(["1-2", None, "=1+1"])  # a formula: never computed, and openpyxl saved no value
    sheet.append(["2-1", "委託", "委託先を管理しているか"])
    sheet.append([None, None, None])
    sheet.append([3, None, "=HYPERLINK(...) と書かれた質問"])
    sheet["C6"].data_type = "s"  # text that looks like a formula
    workbook.save(path)


def test_import_xlsx_reads_a_banks_sheet_by_column_mapping(tmp_path: Path, catalog: Any) -> None:
    from antai.checklists.xlsx_import import ColumnMapping, checklist_yaml, import_xlsx

    path = tmp_path / "bank.xlsx"
    _bank_sheet(path)
    imported = import_xlsx(path, ColumnMapping(id="A", question="C", section="B"), checklist_id="bank", title="銀行")
    rows = imported.data["rows"]
    assert [(r["id"], r["section"]["ja"], r["question"]["ja"]) for r in rows] == [
        ("1-1", "体制", "情報セキュリティの責任者を定めているか"),
        ("2-1", "委託", "委託先を管理しているか"),
        ("3", "委託", "=HYPERLINK(...) と書かれた質問"),
    ]
    assert imported.skipped == (3,)
    out = tmp_path / "bank.yaml"
    out.write_text(checklist_yaml(imported.data), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checklist(out, catalog)
    assert [p.code for p in caught.value.problems] == ["checklist.unmapped_row"] * 3
    for row in rows:
        row["items"] = ["IAM-05"]
    out.write_text(checklist_yaml(imported.data), encoding="utf-8")
    assert [r.question.ja for r in load_checklist(out, catalog).rows][2] == "=HYPERLINK(...) と書かれた質問"


def test_import_xlsx_refuses_what_is_not_a_small_workbook(tmp_path: Path) -> None:
    from antai.checklists import xlsx_import

    mapping = xlsx_import.ColumnMapping(id="A", question="C")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    huge = tmp_path / "huge.xlsx"
    huge.write_bytes(b"\0" * (xlsx_import.MAX_XLSX_BYTES + 1))
    messages = []
    for path, given in ((fake, mapping), (huge, mapping), (fake, xlsx_import.ColumnMapping(id="1", question="C"))):
        with pytest.raises(SourceError) as caught:
            xlsx_import.import_xlsx(path, given, checklist_id="x", title="x")
        messages.append(caught.value.problems[0].message)
    assert messages == [
        "not an XLSX file (it is not a zip archive)",
        f"the file has {xlsx_import.MAX_XLSX_BYTES + 1:,} bytes; at most {xlsx_import.MAX_XLSX_BYTES:,} are read",
        "'1' is not a column letter (A, B, … AA)",
    ]


def test_cli_import_writes_yaml_and_never_the_input(tmp_path: Path) -> None:
    path = tmp_path / "bank.xlsx"
    _bank_sheet(path)
    out = tmp_path / "bank.yaml"
    args = ("checklist", "import", str(path), "--id-column", "A", "--section-column", "B", "--question-column", "C")
    result = run_cli(*args, "-o", str(out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "imported 3 questions" in result.stderr and "rows 3 have an ID but no question" in result.stderr
    assert out.read_text(encoding="utf-8").count("- id: ") == 3
    again = run_cli(*args, "-o", str(out), "--lang", "en")  # an existing YAML is never replaced
    assert again.returncode == 2
