"""The print-ready reports (issue 10, part 7), checked the way a reader sees them: the demo's bank report
rendered to PDF through the real CLI, then read back with poppler (`pdftotext`, `pdffonts`, `pdfinfo`) —
Japanese headings, embedded Noto Sans CJK, a body of at most 15 A4 pages with page numbers and a running
header, the FISC matrix as a separate appendix, nothing outside the page; the exec one-pager; the PDF in the
signed submission bundle; the message when WeasyPrint is missing; and the XLSX print setup (fit to width,
at least 8 pt). Without poppler or WeasyPrint these tests skip locally and fail in CI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .conftest import run_cli, sign_off

ORG = "株式会社ミルカ（デモ）"
TITLE = "セキュリティ自己評価報告書"
POPPLER = ("pdftotext", "pdffonts", "pdfinfo")


def _require(what: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed on this machine")


@pytest.fixture(scope="module")
def tools() -> None:
    for tool in POPPLER:
        _require(f"{tool} (poppler-utils)", shutil.which(tool) is not None)
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        _require("WeasyPrint (pip install 'antai[pdf]')", False)


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (`antai demo` also writes its bank XLSX)."""
    root = tmp_path_factory.mktemp("demo") / "antai-demo"
    made = run_cli("demo", str(root))
    assert made.returncode == 0, made.stderr
    return root


class Demo:
    """The demo's bank report as PDF (body and FISC appendix) and its JSON report."""

    def __init__(self, ws: Path, base: Path) -> None:
        self.ws = ws
        self.body = base / "bank.pdf"
        self.appendix = base / "bank-fisc.pdf"
        written = run_cli("report", "--audience", "bank", "--format", "pdf", "-o", str(self.body), "-C", str(ws))
        assert written.returncode == 0, written.stderr
        assert written.stdout.splitlines() == [str(self.body.resolve()), str(self.appendix.resolve())]
        report = run_cli("report", "--format", "json", "-C", str(ws))
        self.report: dict[str, Any] = json.loads(report.stdout)


@pytest.fixture(scope="module")
def demo(tools: None, workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return Demo(workspace, tmp_path_factory.mktemp("pdf"))


def test_body_is_japanese_a4_with_embedded_noto_cjk(demo: Demo) -> None:
    text = poppler("pdftotext", "-layout", str(demo.body), "-")
    for heading in ("セキュリティ自己評価報告書", "サマリー", "組織情報", "チェックリスト", "意思決定", "対象外項目"):
        assert heading in text, heading
    info = poppler("pdfinfo", str(demo.body))
    assert "Page size:       841.89 x 595.276 pts (A4)" in info  # A4 landscape
    fonts = poppler("pdffonts", str(demo.body)).splitlines()[2:]
    embedded = {line.split()[0].split("+", 1)[-1] for line in fonts if line.split()[-5] == "yes"}
    assert {"Noto-Sans-CJK-JP", "Noto-Sans-CJK-JP-Bold"} <= embedded
    assert all(line.split()[-5] == "yes" for line in fonts)  # every font is embedded


def test_body_has_at_most_15_pages_each_with_header_and_page_number(demo: Demo) -> None:
    total = pages(demo.body)
    assert 5 <= total <= 15
    for page in range(1, total + 1):
        text = poppler("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(demo.body), "-")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # the running header: organisation and title at the left, document ID, edition and label at the right
        assert lines[0].startswith(f"{ORG} — {TITLE} ")
        document = demo.report["document"]
        edition = f"下書き（提出していない。前回の提出は {document['previous']}）"
        assert lines[0].endswith(f"{document['id']} · {edition} · 社外秘（提出先限り）")
        assert lines[-1].replace(" ", "") == f"{page}/{total}"


def test_fisc_matrix_is_only_in_the_appendix(demo: Demo) -> None:
    body = poppler("pdftotext", str(demo.body), "-")
    appendix = poppler("pdftotext", "-layout", str(demo.appendix), "-")
    assert "FISCトレーサビリティ" not in body
    lines = [line.strip() for line in appendix.splitlines() if line.strip()]
    assert lines[0].startswith(f"{ORG} — {TITLE}（付録: 対象外項目・FISCトレーサビリティ）")
    assert lines[1] == "対象外項目"  # the excluded items come first, then the matrix on a page of its own
    # every row of the matrix, by its FISC ID at the start of a line
    starts = {line.split()[0] for line in lines}
    assert {row["id"] for row in demo.report["fisc"]} <= starts
    assert len(demo.report["fisc"]) == 334
    total = pages(demo.appendix)
    assert lines[-1].replace(" ", "") == f"{total}/{total}"


def test_no_status_wraps_and_nothing_runs_off_the_page(demo: Demo) -> None:
    raw = poppler("pdftotext", str(demo.body), "-")
    statuses = [item["status"] for item in demo.report["items"]]
    # a status that wrapped per character would not appear as one word on one line
    assert raw.count("実施済み") >= statuses.count("implemented") == 53
    assert raw.count("一部実施") >= statuses.count("partial") == 17
    assert raw.count("実施予定") >= statuses.count("planned")
    # a header and a cell of the outsourcing register, a narrow table inside the facts table
    assert re.search(r"(^|\s)監査権(\s|$)", raw, re.M)
    assert raw.count("はい") >= sum(item["mandatory"] for item in demo.report["items"])  # the 必須 column
    for pdf in (demo.body, demo.appendix):
        _inside_the_margins(pdf)


def _inside_the_margins(pdf: Path, margin: float = 20.0, at_least: int = 500) -> None:
    """Every word lies within the page, clear of the edges: nothing clipped or overflowing."""
    boxes = poppler("pdftotext", "-bbox", str(pdf), "-")
    width = height = 0.0
    words = 0
    for line in boxes.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            width, height = float(page.group(1)), float(page.group(2))
            continue
        word = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if word:
            x0, y0, x1, y1 = (float(word.group(n)) for n in range(1, 5))
            assert margin <= x0 and x1 <= width - margin, (pdf.name, word.group(5), x0, x1)
            assert y0 >= 0 and y1 <= height, (pdf.name, word.group(5), y0, y1)
            words += 1
    assert words >= at_least


def test_exec_one_pager_pdf_fits_one_portrait_page_in_the_reports_folder(demo: Demo) -> None:
    done = run_cli("report", "--audience", "exec", "--format", "pdf", "-C", str(demo.ws))
    assert done.returncode == 0, done.stderr
    target = (demo.ws / "reports" / "exec-report.ja.pdf").resolve()
    assert done.stdout.splitlines() == [str(target)]  # the default path; no appendix for the one-pager
    assert "Page size:       595.276 x 841.89 pts (A4)" in poppler("pdfinfo", str(target))
    assert pages(target) == 1
    lines = [line.strip() for line in poppler("pdftotext", str(target), "-").splitlines() if line.strip()]
    assert lines[0] == f"{ORG} — セキュリティ状況サマリー"
    assert lines[-1].replace(" ", "") == "1/1"
    for heading in ("現在の状況", "リスク区分", "総合スコア（リスク加重）", "上位 5 件のギャップ"):
        assert heading in lines, heading
    _inside_the_margins(target, margin=25.0, at_least=50)  # the KPI boxes are not clipped
    # a file there that is not a PDF is never replaced
    target.write_text("notes", encoding="utf-8")
    again = run_cli("report", "--audience", "exec", "--format", "pdf", "-C", str(demo.ws))
    assert again.returncode == 2
    assert target.read_text(encoding="utf-8") == "notes"


def test_without_weasyprint_pdf_exits_1_naming_the_extra(demo: Demo, tmp_path: Path) -> None:
    # a Python where `import weasyprint` fails, as it does when the extra is not installed
    shadow = tmp_path / "shadow" / "weasyprint"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("No module named weasyprint", name="weasyprint")\n')
    env = {"PYTHONPATH": str(shadow.parent)}
    target = tmp_path / "out.pdf"
    ja = run_cli("report", "--format", "pdf", "-o", str(target), "-C", str(demo.ws), env=env)
    assert ja.returncode == 1
    assert ja.stderr.strip() == (
        "エラー: PDF の出力には WeasyPrint（と Pango ライブラリ）が要る。`pip install 'antai[pdf]'` でインストールする"
    )
    en = run_cli("--lang", "en", "report", "--format", "pdf", "-o", str(target), "-C", str(demo.ws), env=env)
    assert en.returncode == 1
    assert en.stderr.strip() == (
        "Error: PDF output needs WeasyPrint: install it with `pip install 'antai[pdf]'` (weasyprint is not installed)"
    )
    assert not target.exists()


def test_submission_bundle_carries_the_pdf_and_the_fisc_appendix(demo: Demo, tmp_path: Path) -> None:
    env = {"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(tmp_path / "keys")}
    assert run_cli("key", "new", env=env).returncode == 0
    bundle = tmp_path / "bundle"
    sign_off(demo.ws, lambda *args: run_cli(*args, env=env))
    done = run_cli("submit", "-C", str(demo.ws), "-o", str(bundle), env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    pdfs = sorted((f["path"], f["role"], f["format"]) for f in manifest["files"] if f["format"] == "pdf")
    assert pdfs == [
        ("report/bank-report.ja-fisc.pdf", "appendix", "pdf"),
        ("report/bank-report.ja.pdf", "report", "pdf"),
    ]
    assert pages(bundle / "report/bank-report.ja.pdf") <= 15
    assert "統1" in poppler("pdftotext", str(bundle / "report/bank-report.ja-fisc.pdf"), "-")
    fingerprint = json.loads(run_cli("key", "show", "--format", "json", env=env).stdout)["fingerprint"]
    verified = run_cli("review", "verify", str(bundle), "--key", fingerprint, env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_running_header_is_a_quoted_css_string_whatever_the_organisation_is_called() -> None:
    from antai.reports.pdf import css_string

    assert css_string('Evil"; } body { display: none } x { content: "') == (
        '"Evil\\"; } body { display: none } x { content: \\""'
    )
    assert css_string("a\\b\nc") == '"a\\\\b\\a c"'
    assert css_string("株式会社ミルカ（デモ） — 報告書") == '"株式会社ミルカ（デモ） — 報告書"'


# --- the XLSX print setup ---------------------------------------------------------------------------------


def printed_points(sheet: Any) -> tuple[float, float]:
    """The smallest font of the sheet as printed fit to the page width, and the scale (Excel's column width:
    7 px per character plus 5 px, at 96 dpi)."""
    widths = [sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, sheet.max_column + 1)]
    columns = sum((7 * w + 5) * 0.75 for w in widths)
    paper = 11.69 if sheet.page_setup.orientation == "landscape" else 8.27
    usable = (paper - sheet.page_margins.left - sheet.page_margins.right) * 72
    scale = min(1.0, usable / columns)
    smallest = min(cell.font.sz or 11 for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return smallest * scale, scale


def test_bank_xlsx_prints_fit_to_width_at_least_8_pt(workspace: Path) -> None:
    book = load_workbook(workspace / "reports" / "bank-report.ja.xlsx")
    seen = {}
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth == 1
        points, scale = printed_points(sheet)
        assert points >= 8, (sheet.title, points)
        seen[sheet.title] = (setup.orientation, setup.fitToHeight, scale < 1, sheet.print_title_rows)
    assert seen == {
        "表紙": ("landscape", 1, False, None),  # the cover prints on one page
        "組織情報": ("landscape", 0, True, "$1:$1"),
        "サマリー": ("portrait", 0, False, "$1:$1"),  # narrow: portrait, unscaled
        "是正計画": ("landscape", 0, True, "$3:$3"),  # under its heading
        "コメント": ("landscape", 0, True, "$3:$3"),
        "チェックリスト": ("landscape", 0, True, "$1:$1"),
        "意思決定": ("landscape", 0, True, "$1:$1"),
        "対象外項目": ("landscape", 0, False, "$1:$1"),
        "FISCトレーサビリティ": ("landscape", 0, True, "$1:$1"),
    }
    checklist = book["チェックリスト"]
    assert {cell.font.sz for row in checklist.iter_rows() for cell in row} == {10.0}
    # the ID, short code and date columns keep their widths; the long text columns were narrowed
    widths = [checklist.column_dimensions[get_column_letter(c)].width for c in range(1, 15)]
    assert widths[0] == 9 and widths[3:6] == [8, 8, 10] and widths[9] == 12
    assert widths[2] < 40 and widths[10] < 45
