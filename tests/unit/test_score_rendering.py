"""Scores and gaps where people read them: unknown shows as "—" (JSON null), reasons are worded at the edge,
and Japanese output carries no raw reason codes or English status words."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import jsonschema
import pytest
from openpyxl import load_workbook

from antai.assessment.model import Status
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.cli.status_view import print_status
from antai.reports import assessment as report_data
from antai.reports import bank, wording
from antai.scoring.score import Gap, GapReason, score
from antai.tailoring.plan import make_plan
from antai.tailoring.profile import Profile

from . import builders as b
from .builders import TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)
ENGLISH_WORDS = re.compile(
    r"unanswered|not[ _]implemented|not[ _]applicable|planned|partial|overdue|acceptance|mandatory|expired|"
    r"risk_accepted|compensated|catalog|more\b",
    re.IGNORECASE,
)


def _all_not_applicable() -> tuple[Catalog, Assessment]:
    """Only conditional items, all declared not applicable: nothing counts."""
    cat = b.catalog(b.item("NA-01", when={"channels": ["web"]}), b.item("NA-02", when={"channels": ["web"]}))
    profile = Profile(channels=["web"])
    na = b.answer("not_applicable", reason="not used")
    return cat, b.assessment({"NA-01": na, "NA-02": na}, profile=profile)


def _mixed() -> tuple[Catalog, Assessment]:
    """One gap of every reason that needs no other state, in Japanese-checkable form."""
    cat = b.catalog(
        b.item("MX-01"),
        b.item("MX-02"),
        b.item("MX-03"),
        b.item("MX-04"),
        b.item("MX-05"),
        b.item("MX-06"),
        b.item("MX-07"),
    )
    a = b.assessment(
        {
            "MX-01": b.answer("not_applicable", reason="we think so"),
            "MX-02": b.answer("planned", due=YESTERDAY),
            "MX-03": b.answer("planned", due=TODAY),
            "MX-04": b.answer("partial"),
            "MX-05": b.answer("risk_accepted"),
            "MX-06": b.answer("not_implemented"),
        },
        acceptances=[b.acceptance("MX-05", expires=YESTERDAY)],
        evidence_records=[b.evidence("E0001", "MX-04", YESTERDAY)],
    )
    return cat, a


def test_every_reason_has_wording_and_japanese_has_no_latin_words() -> None:
    due = dt.date(2026, 3, 31)
    for reason in GapReason:
        ja, en = wording.why(reason, "ja", due), wording.why(reason, "en", due)
        assert ja and en and ja != en
        assert not re.search(r"[A-Za-z]", ja), ja
    assert wording.why(GapReason.OVERDUE, "en", due) == "planned, overdue since 2026-03-31"
    assert wording.why(GapReason.PLANNED, "ja", due) == "実施予定（2026-03-31）"
    assert wording.why(GapReason.PLANNED, "en") == "planned for —"
    assert wording.why(GapReason.MANDATORY_NOT_APPLICABLE, "ja") == "必須項目を「該当なし」と回答（逸脱）"
    assert wording.gap_why(Gap("X-01", 1, Status.PARTIAL, GapReason.PARTIAL), "en") == "partially implemented"


def test_numbers_show_a_dash_when_unknown() -> None:
    assert wording.number(None) == "—" and wording.percent(None) == "—"
    assert wording.number(61.111) == "61.1" and wording.number(61.5, 0) == "62"
    assert wording.percent(33.333) == "33.3%" and wording.percent(50.0, 0) == "50%"


def test_json_report_has_null_scores_and_follows_its_schema() -> None:
    cat, a = _all_not_applicable()
    report, _, scores = report_data.build_report(cat, a, "bank", "en", TODAY)
    assert scores.overall.score is None
    data = json.loads(report_data.report_json(report))
    assert data["scores"]["overall"] == {"score": None, "items": 0, "done": 0}
    assert data["scores"]["mandatory_coverage"] == {"percent": None, "done": 0, "total": 0}
    assert data["scores"]["by_cia"]["integrity"]["score"] is None
    jsonschema.validate(data, report_data.report_json_schema())


def test_schema_publishes_nullable_scores_and_the_reason_keys() -> None:
    schema = report_data.report_json_schema()
    defs = schema["$defs"]
    assert {"type": "null"} in defs["ScoreOut"]["properties"]["score"]["anyOf"]
    assert {"type": "null"} in defs["CoverageOut"]["properties"]["percent"]["anyOf"]
    assert defs["GapReason"]["enum"] == [r.value for r in GapReason]
    assert set(defs["GapOut"]["required"]) == {"id", "priority", "status", "reason", "due", "why"}
    assert schema["properties"]["scores"] == {"$ref": "#/$defs/ScoresOut"}


def test_json_gaps_carry_reason_due_and_words_in_the_report_language() -> None:
    cat, a = _mixed()
    report, _, _ = report_data.build_report(cat, a, "engineer", "ja", TODAY)
    data = json.loads(report_data.report_json(report))
    gaps = {g["id"]: g for g in data["scores"]["gaps"]}
    # a high-severity, medium-effort item protecting confidentiality, which is low for the default profile:
    # medium risk here, so "later" (priority 4)
    assert gaps["MX-02"] == {
        "id": "MX-02",
        "priority": 4,
        "status": "planned",
        "reason": "overdue",
        "due": YESTERDAY.isoformat(),
        "why": f"実施予定の期限超過（{YESTERDAY.isoformat()}）",
    }
    assert gaps["MX-01"]["reason"] == "mandatory_not_applicable"
    assert gaps["MX-01"]["status"] == "not_implemented"
    items = {i["id"]: i for i in data["items"]}
    assert (items["MX-01"]["status"], items["MX-01"]["effective_status"]) == ("not_applicable", "not_implemented")
    jsonschema.validate(data, report_data.report_json_schema())


def test_markdown_html_and_xlsx_show_a_dash_for_unknown_scores() -> None:
    cat, a = _all_not_applicable()
    for lang in ("ja", "en"):
        report, _, _ = report_data.build_report(cat, a, "bank", lang, TODAY)
        md = bank.report_markdown(report, cat)
        assert f"{bank.T('overall', lang)}: **—**" in md
        assert f"{bank.T('mandatory_coverage', lang)}: **—**" in md
        html = bank.report_html(report, cat)
        assert '<div class="n">—</div>' in html and "100.0" not in html
        workbook = load_workbook(io.BytesIO(bank.report_xlsx(report, cat)))
        cover = {row[0].value: row[1].value for row in workbook[bank.T("cover", lang)].iter_rows(min_row=3)}
        assert cover[bank.T("overall", lang)] == "— / 100"
        assert cover[bank.T("mandatory_coverage", lang)] == "— (0/0)"
        summary = [[c.value for c in row] for row in workbook[bank.T("summary", lang)].iter_rows(min_row=2)]
        assert summary[-7] == [bank.T("overall", lang), None, "—", 0, 0]  # then the six flags
        exec_report, _, _ = report_data.build_report(cat, a, "exec", lang, TODAY)
        exec_html = bank.report_html(exec_report, cat)
        assert exec_html.count('<div class="n">—</div>') == 2


def test_known_scores_render_as_numbers() -> None:
    cat, a = _mixed()
    report, _, scores = report_data.build_report(cat, a, "bank", "en", TODAY)
    assert scores.overall.score == pytest.approx(100 * 0.5 / 7)
    md = bank.report_markdown(report, cat)
    assert "Overall score (risk-weighted): **7.1**" in md
    assert "Mandatory coverage: **0.0%**" in md
    assert "| Later | MX-02 | title of MX-02 | overdue |" in md  # the remediation plan (its date has a column)
    workbook = load_workbook(io.BytesIO(bank.report_xlsx(report, cat)))
    summary = [[c.value for c in row] for row in workbook["Summary"].iter_rows(min_row=2)]
    assert summary[-7] == ["Overall score (risk-weighted)", None, 7.1, 0, 7]
    assert [row[:2] for row in summary[-6:]] == [
        ["Flags", "Expired evidence"],
        ["Flags", "Expired risk acceptances"],
        ["Flags", "Overdue plans"],
        ["Flags", "To review after a catalog upgrade"],
        ["Flags", "Claims contradicted by scans"],
        ["Flags", "Stale automated evidence"],
    ]
    assert summary[-4][2:4] == ["MX-02", 1]  # the overdue plan, named and counted


def test_changes_since_an_unknown_score_show_a_dash() -> None:
    cat, a = _all_not_applicable()
    previous = {"date": "2026-05-01", "overall": None, "statuses": {}}
    report, _, _ = report_data.build_report(cat, a, "exec", "en", TODAY, previous)
    assert report.changes_since_last is not None
    assert (report.changes_since_last.overall_before, report.changes_since_last.overall_after) == (None, None)
    assert "2026-05-01 → 2026-06-01: — → —" in bank.report_markdown(report, cat)
    assert "— → —" in bank.report_html(report, cat)


def test_japanese_reports_word_every_gap_in_japanese() -> None:
    cat, a = _mixed()
    report, _, _ = report_data.build_report(cat, a, "bank", "ja", TODAY)
    md = bank.report_markdown(report, cat)
    # the remediation plan's rows, the phase in words
    gap_lines = [line for line in md.splitlines() if line.startswith("| それ以降 | MX-")]
    assert len(gap_lines) == 7
    for line in gap_lines:
        assert not ENGLISH_WORDS.search(line.split(" | ")[3]), line
    assert "リスク受容の期限切れ" in md and "必須項目を「該当なし」と回答（逸脱）" in md
    # the expired evidence, in Japanese, in the checklist row (the last table that lists MX-04)
    assert "期限切れ" in md.split("| MX-04 |")[-1].split("\n")[0]
    html = bank.report_html(report, cat)
    assert "期限超過" in html and "EXPIRED" not in html and "overdue" not in html


def _status_output(lang: str, cat: Catalog, a: Assessment, capsys: pytest.CaptureFixture[str]) -> str:
    plan = make_plan(cat, a.profile, lang)
    print_status(cat, plan, a, score(cat, plan, a, TODAY), lang)
    return capsys.readouterr().out


def test_status_view_in_japanese_has_no_codes_or_english_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    cat, a = _mixed()
    out = _status_output("ja", cat, a, capsys)
    assert "必須項目を「該当なし」と回答（逸脱）" in out and f"実施予定の期限超過（{YESTERDAY.isoformat()}）" in out
    assert "リスク受容の期限切れ" in out and "一部実施" in out and "未実施" in out
    assert not ENGLISH_WORDS.search(out), out
    assert not any(r.value in out for r in GapReason)
    assert "総合スコア（リスク加重）: 7.1 / 100" in out and "必須項目の実施率: 0% (0/7)" in out


def test_status_view_shows_a_dash_for_unknown_scores(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    cat, a = _all_not_applicable()
    out = _status_output("en", cat, a, capsys)
    assert "Overall (risk-weighted): — / 100" in out
    assert "Mandatory coverage: — (0/0)" in out
    assert "100" not in out.replace("/ 100", "")


def test_status_view_says_how_many_more_gaps_in_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    cat = b.catalog(*(b.item(f"MG-{n:02d}") for n in range(1, 13)))
    a = b.assessment({})
    assert "… ほか 2 件" in _status_output("ja", cat, a, capsys)
    assert "… 2 more" in _status_output("en", cat, a, capsys)
