"""FISC traceability for catalog 0.2: classes on every row, ○ rows backed by mandatory items, citations of
unidentified numbers marked as unverified, and △ rows that show when they apply."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from antai.catalog import Catalog, validate_folder
from antai.catalog.references import fisc_index
from antai.catalog.schema import FiscClass, FiscEntry, FiscHandling
from antai.catalog.traceability import matrix_rows
from antai.reports.fisc import applies_text, condition_words, item_citations, matrix_markdown
from antai.reports.guide import item_markdown

from ..conftest import run_cli

BRANCH_AND_ATM = [f"設{n}" for n in (*range(80, 101), *range(110, 139))]

# 設1 (data-centre location: the choice of region and data residency) as the matrix shows it
FACILITY_1_JA = (
    "常に一部が適用（必須: DAT-01）。次の場合はさらに適用: データ: 個人情報、要配慮個人情報（健康・信条等）、"
    "クレジットカード情報、銀行のログイン情報や API トークン、マイナンバー → DAT-12"
)
FACILITY_1_EN = (
    "Partly always applies (mandatory: DAT-01); more applies when: data: personal data, sensitive personal data "
    "(health, beliefs, …), payment card data, bank credentials or bank API tokens, My Number (individual number)"
    " → DAT-12"
)


def _row(catalog: Catalog, fisc_id: str) -> dict[str, object]:
    return next(r for r in matrix_rows(catalog) if r["id"] == fisc_id)


def test_every_included_row_names_a_mandatory_item(catalog: Catalog) -> None:
    for entry in catalog.fisc.entries:
        if entry.handling == FiscHandling.INCLUDED:
            mandatory = [i for i in entry.items if (item := catalog.item(i)) is not None and item.mandatory]
            assert mandatory, f"FISC {entry.id} is ○ but none of {entry.items} is mandatory"


def test_no_item_cites_an_unidentified_fisc_id_unless_marked_unverified(catalog: Catalog) -> None:
    untitled = {e.id for e in catalog.fisc.entries if e.topic is None}
    index = fisc_index()
    for item in catalog.items:
        assert not set(item.fisc) & untitled, f"{item.id} cites {sorted(set(item.fisc) & untitled)} under 'fisc'"
        for fisc_id in item.fisc_unverified:
            assert fisc_id in index and index[fisc_id].status != "vacant", f"{item.id}: {fisc_id}"


def test_matrix_topics_are_absent_exactly_where_the_shared_index_has_none(catalog: Catalog, shared: Path) -> None:
    """The loader reads "topic unidentified" from the matrix row; it must match the shared index."""
    with (shared / "reference" / "fisc-index.tsv").open(encoding="utf-8") as handle:
        topics = {r["id"]: r["topic_ja"] for r in csv.DictReader(handle, delimiter="\t")}
    for entry in catalog.fisc.entries:
        assert (entry.topic is None) == (not topics[entry.id]), entry.id


def test_every_row_has_a_class_except_vacant_ones(catalog: Catalog) -> None:
    for entry in catalog.fisc.entries:
        if entry.handling == FiscHandling.VACANT:
            assert entry.classification is None, entry.id
        else:
            assert entry.classification is not None, f"FISC {entry.id} has no class"
            assert entry.classification.handling == entry.handling, entry.id


def test_branch_and_atm_rows_are_explicitly_not_applicable(catalog: Catalog) -> None:
    for fisc_id in BRANCH_AND_ATM:
        entry = catalog.fisc.entry(fisc_id)
        assert entry is not None and entry.classification == FiscClass.NOT_APPLICABLE, fisc_id
        assert entry.handling == FiscHandling.EXCLUDED, fisc_id


def test_unidentified_rows_are_mapped_to_no_item(catalog: Catalog) -> None:
    rows = [e for e in catalog.fisc.entries if e.classification == FiscClass.UNIDENTIFIED]
    assert rows
    for entry in rows:
        assert entry.topic is None and not entry.items, entry.id


def test_facility_1_is_risk_based_on_region_and_residency(catalog: Catalog) -> None:
    entry = catalog.fisc.entry("設1")
    assert entry is not None
    assert entry.handling == FiscHandling.RISK_BASED and entry.classification == FiscClass.CLOUD_ALIGNMENT
    assert "DAT-01" in entry.items


def test_vacant_rows_say_what_the_indexes_say(catalog: Catalog) -> None:
    vacant = [e for e in catalog.fisc.entries if e.handling == FiscHandling.VACANT]
    assert vacant
    for entry in vacant:
        assert "索引" in entry.reason.ja and "indexes" in entry.reason.en, entry.id
        assert "第13版では" not in entry.reason.ja, f"{entry.id} states vacancy as fact"


def test_a_risk_based_row_shows_when_it_applies(catalog: Catalog) -> None:
    row = _row(catalog, "設1")
    assert applies_text(row["applies"], "ja") == FACILITY_1_JA  # type: ignore[arg-type]
    assert applies_text(row["applies"], "en") == FACILITY_1_EN  # type: ignore[arg-type]
    assert FACILITY_1_JA in matrix_markdown(catalog, "ja")
    assert FACILITY_1_EN in matrix_markdown(catalog, "en")
    for lang, expected in (("ja", FACILITY_1_JA), ("en", FACILITY_1_EN)):
        shown = run_cli("fisc", "show", "設1", "--lang", lang)
        assert shown.returncode == 0, shown.stderr
        assert f"  {expected}\n" in shown.stdout


def test_every_risk_based_row_shows_a_condition_naming_its_items(catalog: Catalog) -> None:
    for row in matrix_rows(catalog):
        if row["handling"] != "risk_based":
            assert row["applies"] is None, row["id"]
            continue
        for lang in ("ja", "en"):
            text = applies_text(row["applies"], lang)
            assert text, row["id"]
            for item_id in row["items"]:
                assert item_id in text or "すべて必須" in text or "all its items" in text, (row["id"], item_id)


def test_condition_words_and_the_all_mandatory_case() -> None:
    condition = {"any": [{"users": {"gte": 100000}}, {"tier": {"gte": "medium"}}]}
    assert condition_words(condition, "ja") == "利用者数 100,000 以上 または リスク区分 中以上"
    assert condition_words(condition, "en") == "users 100,000 or more or risk tier medium or above"
    applies = {"always": ["CYB-07"], "when": []}
    assert applies_text(applies, "ja") == "常に適用（対応する項目はすべて必須）"
    assert applies_text(applies, "en") == "Always applies (all its items are mandatory)"
    mixed = {"always": ["A-01"], "when": [{"condition": {"outsourcing": True}, "items": ["B-01"]}]}
    assert applies_text(mixed, "ja") == "常に一部が適用（必須: A-01）。次の場合はさらに適用: 外部委託あり → B-01"
    assert applies_text(mixed, "en") == "Partly always applies (mandatory: A-01); more applies when: outsourcing → B-01"


def test_unverified_citations_are_marked_where_items_are_rendered(catalog: Catalog) -> None:
    item = catalog.items[0].model_copy(update={"fisc_unverified": ["実122"]})
    assert item_citations(item, "ja").endswith("実122（未確認）")
    assert item_citations(item, "en").endswith("実122 (unverified)")
    assert "実122（未確認）" in item_markdown(catalog, item, "ja")


def test_coverage_prints_each_message_on_its_own_line() -> None:
    from antai.cli.app import cli

    runner = CliRunner()
    coverage = runner.invoke(cli, ["fisc", "coverage", "--lang", "en"])
    validate = runner.invoke(cli, ["catalog", "validate", "--lang", "en"])
    assert coverage.exit_code == 0, coverage.output
    assert coverage.output.endswith("has a recorded handling\n")
    assert "handlingOK" not in coverage.output + validate.output
    result = run_cli("fisc", "coverage", "--lang", "en")
    assert re.search(r"^every one of the \d+ FISC IDs has a recorded handling\n\Z", result.stdout, re.M)


def _first_item_with_fisc(root: Path) -> tuple[Path, str]:
    for path in sorted((root / "items").glob("*/*.yaml")):
        line = next((x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("fisc: [")), "")
        if line and line != "fisc: []":
            return path, line
    raise AssertionError("no item cites FISC")


def test_loader_refuses_an_unidentified_id_under_fisc(catalog_copy: Path) -> None:
    path, line = _first_item_with_fisc(catalog_copy)
    path.write_text(path.read_text(encoding="utf-8").replace(line, "fisc: [実122, " + line[7:], 1), "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("FISC 実122" in p and "fisc_unverified" in p for p in problems), problems


def test_loader_refuses_an_unknown_unverified_id(catalog_copy: Path) -> None:
    path, line = _first_item_with_fisc(catalog_copy)
    path.write_text(path.read_text(encoding="utf-8").replace(line, line + "\nfisc_unverified: [実999]", 1), "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("'実999' is not a FISC item ID" in p for p in problems), problems


def test_loader_refuses_an_included_row_without_a_mandatory_item(catalog: Catalog, catalog_copy: Path) -> None:
    conditional = next(i.id for i in catalog.items if not i.mandatory)
    included = next(e for e in catalog.fisc.entries if e.handling == FiscHandling.INCLUDED)
    practice = catalog_copy / "fisc" / f"{fisc_index()[included.id].category}.yaml"
    text = practice.read_text(encoding="utf-8")
    start = text.index(f"  - id: {included.id}\n")
    items_line = re.compile(r"    items: \[.*\]").search(text, start)
    assert items_line is not None
    text = text[: items_line.start()] + f"    items: [{conditional}]" + text[items_line.end() :]
    practice.write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any(f"FISC {included.id} is included" in p and "mandatory" in p for p in problems), problems


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"handling": "excluded"}, "needs a classification"),
        (
            {"handling": "excluded", "classification": "unidentified", "topic": {"ja": "題", "en": "t"}},
            "not 'unidentified'",
        ),
        ({"handling": "included", "classification": "direct_minimum", "items": ["QA-01"]}, "unidentified cannot be"),
        ({"handling": "excluded", "classification": "not_applicable"}, None),
    ],
)
def test_row_shape(row: dict[str, object], message: str | None) -> None:
    data = {"id": "設80", "reason": {"ja": "理由", "en": "reason"}, **row}
    if message is None:
        assert FiscEntry.model_validate(data).handling == FiscHandling.EXCLUDED
        return
    with pytest.raises(ValidationError, match=re.escape(message)):
        FiscEntry.model_validate(data)
