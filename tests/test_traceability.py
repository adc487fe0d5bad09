"""FISC traceability (R3): every FISC ID handled, with reasons and items, agreeing with the items."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from antai.catalog import Catalog, load_catalog, validate_folder
from antai.catalog.traceability import coverage, disagreements, matrix_rows

from .conftest import run_cli


def test_coverage_has_no_unhandled_id_over_the_whole_index(catalog: Catalog, shared: Path) -> None:
    with (shared / "reference" / "fisc-index.tsv").open(encoding="utf-8") as handle:
        ids = [r["id"] for r in csv.DictReader(handle, delimiter="\t")]
    result = run_cli("fisc", "coverage", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == len(ids)
    assert data["unhandled"] == []
    assert data["included"] + data["risk_based"] + data["excluded"] + data["vacant"] == len(ids)
    assert data["included"] > 0 and data["risk_based"] > 0 and data["excluded"] > 0


def test_every_included_or_risk_based_row_names_items(catalog: Catalog) -> None:
    for row in matrix_rows(catalog):
        assert row["reason"] and row["reason"]["ja"] and row["reason"]["en"], row["id"]
        if row["handling"] in ("included", "risk_based"):
            assert row["items"], f"FISC {row['id']} is {row['handling']} but names no antai item"


def test_items_and_matrix_agree_both_ways(catalog: Catalog) -> None:
    assert disagreements(catalog) == []


def test_vacant_numbers_are_marked_and_topics_are_paraphrased(catalog: Catalog, shared: Path) -> None:
    with (shared / "reference" / "fisc-index.tsv").open(encoding="utf-8") as handle:
        ref = {r["id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    for entry in catalog.fisc.entries:
        assert (ref[entry.id]["status"] == "vacant") == (entry.handling.value == "vacant"), entry.id
    # our topics are our own words: most must differ from the third-party headings
    same = [e.id for e in catalog.fisc.entries if e.topic and e.topic.ja == ref[e.id]["topic_ja"]]
    topics = [e for e in catalog.fisc.entries if e.topic]
    assert len(same) <= len(topics) // 4, f"{len(same)} topics copied verbatim from the index: {same[:10]}"


def test_coverage_exits_1_and_lists_a_missing_row(catalog_copy: Path) -> None:
    practice = catalog_copy / "fisc" / "practice.yaml"
    lines = practice.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.strip() == "- id: 実3")
    end = next(n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("- id:"))
    practice.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    assert "実3" in coverage(load_catalog(builtin=catalog_copy, use_cache=False)).unhandled
    result = run_cli("--catalog", str(catalog_copy), "fisc", "coverage")
    assert result.returncode == 1
    assert "実3" in result.stdout


def test_classification_must_match_handling(catalog_copy: Path) -> None:
    control = catalog_copy / "fisc" / "control.yaml"
    text = control.read_text(encoding="utf-8")
    assert "classification: organisation" in text
    control.write_text(text.replace("classification: organisation", "classification: direct_minimum", 1), "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("means handling 'included'" in p for p in problems), problems


def test_fisc_show(catalog: Catalog) -> None:
    shown = run_cli("fisc", "show", "実3", "--format", "json")
    assert shown.returncode == 0
    row = json.loads(shown.stdout)
    assert row["id"] == "実3" and row["items"]
    assert all(catalog.item(i) is not None for i in row["items"])
    text = run_cli("fisc", "show", "実3", "--lang", "en")
    assert row["items"][0] in text.stdout
    missing = run_cli("fisc", "show", "実9999")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_matrix_markdown_and_json(catalog: Catalog) -> None:
    md = run_cli("fisc", "matrix", "--format", "md", "--lang", "en").stdout
    for row in matrix_rows(catalog):
        assert f"| {row['id']} |" in md
    data = json.loads(run_cli("fisc", "matrix", "--format", "json").stdout)
    assert data["edition"] == 13
    assert "not an official" in data["provenance"]["en"]
    assert len(data["rows"]) == data["coverage"]["total"]


def test_matrix_xlsx_opens_with_headers_filters_and_every_row(catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "fisc.xlsx"
    result = run_cli("fisc", "matrix", "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    sheet = workbook["FISC"]
    assert sheet["A3"].value == "ID" and sheet["D3"].value == "扱い"
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")
    ids = [sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1)]
    assert ids == [row["id"] for row in matrix_rows(catalog)]
    assert sheet.page_setup.orientation == "landscape"


def test_xlsx_needs_an_output_file() -> None:
    result = run_cli("fisc", "matrix", "--format", "xlsx")
    assert result.returncode == 2 and "-o FILE" in result.stderr


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_cells_never_become_formulas(tmp_path: Path, hostile: str) -> None:
    from antai.reports.xlsx import add_table_sheet, new_workbook

    workbook = new_workbook()
    add_table_sheet(workbook, "T", ["h"], [[hostile]])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    cell = load_workbook(path)["T"]["A2"]
    # XML normalises a bare CR to LF on reading; what matters is that the text survives as text
    assert cell.value.replace("\r", "\n") == hostile.replace("\r", "\n") and cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
