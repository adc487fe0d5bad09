"""Japanese means Japanese: the rendered bank and exec outputs of the demo carry no raw enum code, English
status word or library value (None, True) in their visible text."""

from __future__ import annotations

import re
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from antai.assessment import model as assessment_model
from antai.catalog import conditions, schema
from antai.tailoring import plan as plan_module

from .conftest import run_cli

# words that may stand as they are in Japanese text: proper nouns and names of standards
ALLOWED = {"aws", "gcp", "azure", "other"}


def _codes() -> set[str]:
    found: set[str] = set()
    for module in (assessment_model, conditions, schema, plan_module):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Enum) and value is not Enum:
                found.update(m.value for m in value if isinstance(m.value, str) and len(m.value) > 2)
    return (
        found | {"EXPIRED", "expired", "live", "unverified", "unknown", "vacant", "None", "True", "False"}
    ) - ALLOWED


CODES = _codes()
PATTERN = re.compile(
    r"(?<![A-Za-z0-9_\-./])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True)) + r")(?![A-Za-z0-9_\-])"
)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _leaks(text: str) -> list[str]:
    return sorted({f"{m.group(1)} in …{text[max(0, m.start() - 25) : m.end() + 25]}…" for m in PATTERN.finditer(text)})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ja") / "demo"
    result = run_cli("demo", str(root), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    return root


def test_the_japanese_bank_and_exec_html_have_no_raw_codes(demo: Path) -> None:
    pages = sorted((demo / "reports").glob("*.ja.html"))
    assert len(pages) == 2
    for page in pages:
        visible = _Visible()
        visible.feed(page.read_text("utf-8"))
        assert _leaks(" ".join(visible.parts)) == [], page.name


def test_the_japanese_bank_workbook_has_no_raw_codes(demo: Path) -> None:
    workbook = openpyxl.load_workbook(demo / "reports" / "bank-report.ja.xlsx")
    for sheet in workbook:
        cells = " | ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
        assert _leaks(cells) == [], sheet.title


def test_the_japanese_markdown_report_has_no_raw_codes(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "bank.md"
    result = run_cli("report", "--audience", "bank", "--format", "md", "-o", str(out), "-C", str(demo), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert _leaks(out.read_text("utf-8")) == []


def test_the_scanner_finds_codes_and_leaves_ids_and_names_alone() -> None:
    assert _leaks("業務: bank_api_read, pfm") == [
        "bank_api_read in …業務: bank_api_read, pfm…",
        "pfm in …業務: bank_api_read, pfm…",
    ]
    assert _leaks("状態: EXPIRED / live / 'phone': None") != []
    assert _leaks("IAM-01 クラウド: AWS、immutable-infrastructure.yaml, E0001 aws-credential-report.csv") == []
