"""The reading commands, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from antai.catalog import Catalog

from .conftest import run_cli


def test_items_json_contract(catalog: Catalog) -> None:
    result = run_cli("items", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == len(catalog.items)
    text_fields = ("title", "objective", "risk")
    for element in data:
        for key in (
            "id",
            "chapter",
            "title",
            "mandatory",
            "layers",
            "cia",
            "fisc",
            "applicability",
            "countermeasures",
            "bad_examples",
            "do",
            "dont",
            "evidence",
        ):
            assert key in element, (element["id"], key)
        assert isinstance(element["mandatory"], bool)
        for key in text_fields:
            assert set(element[key]) == {"ja", "en"}
        assert element["applicability"]["example"]["ja"]
        assert all(set(e["text"]) == {"ja", "en"} for e in element["evidence"])
    assert [e["id"] for e in data] == [i.id for i in catalog.items]


def test_items_filters(catalog: Catalog) -> None:
    mandatory = json.loads(run_cli("items", "--mandatory", "--format", "json").stdout)
    assert mandatory and all(e["mandatory"] for e in mandatory)
    assert len(mandatory) == sum(1 for i in catalog.items if i.mandatory)

    chapter2 = json.loads(run_cli("items", "--chapter", "2", "--format", "json").stdout)
    assert chapter2 and {e["chapter"] for e in chapter2} == {2}

    device = json.loads(run_cli("items", "--layer", "device", "--format", "json").stdout)
    assert device and all("device" in e["layers"] for e in device)
    assert len(device) == sum(1 for i in catalog.items if "device" in i.layers)


def test_items_table_in_both_languages() -> None:
    ja = run_cli("items", "--chapter", "2", env={"COLUMNS": "200"})
    en = run_cli("items", "--chapter", "2", "--lang", "en", env={"COLUMNS": "200"})
    assert ja.returncode == en.returncode == 0
    assert "IAM-01" in ja.stdout and "ルートアカウント" in ja.stdout
    assert "IAM-01" in en.stdout and "root account" in en.stdout
    assert "ルートアカウント" not in en.stdout


def test_unknown_chapter_is_a_usage_error() -> None:
    result = run_cli("items", "--chapter", "42")
    assert result.returncode == 2 and "第 42 章はない" in result.stderr


def test_item_in_every_format(catalog: Catalog) -> None:
    as_json = json.loads(run_cli("item", "IAM-01", "--format", "json").stdout)
    assert as_json["id"] == "IAM-01" and as_json["mandatory"] is True
    md = run_cli("item", "iam-01", "--format", "md", "--lang", "en").stdout
    assert md.startswith("# IAM-01 ")
    assert catalog.item("IAM-01").objective.en in md  # type: ignore[union-attr]
    text = run_cli("item", "IAM-01", env={"COLUMNS": "120"})
    assert text.returncode == 0 and "想定リスク" in text.stdout


def test_unknown_item_suggests_close_ids() -> None:
    result = run_cli("item", "IAM-1")
    assert result.returncode == 2
    assert "項目 IAM-1 はない" in result.stderr and "IAM-01" in result.stderr
    assert "Traceback" not in result.stderr


def test_concepts_list_and_topic(catalog: Catalog) -> None:
    listing = json.loads(run_cli("concepts", "--format", "json").stdout)
    assert [t["id"] for t in listing] == [t.id for t in catalog.concepts]
    topic = run_cli("concepts", "risk-based-approach", "--format", "md", "--lang", "en")
    assert topic.returncode == 0 and topic.stdout.startswith("# ")
    wrong = run_cli("concepts", "risk-based")
    assert wrong.returncode == 2 and "risk-based-approach" in wrong.stderr


def test_guide_html_is_self_contained_and_complete(catalog: Catalog, tmp_path: Path) -> None:
    for lang in ("ja", "en"):
        out = tmp_path / f"guide.{lang}.html"
        result = run_cli("guide", "--format", "html", "--lang", lang, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(out.resolve())
        html = out.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        for item in catalog.items:
            assert f'id="{item.id}"' in html
            assert item.title(lang).replace("'", "&#39;").replace('"', "&#34;") in html
        for topic in catalog.concepts:
            assert f'id="concept-{topic.id}"' in html
        # no external requests: no scripts, stylesheets, images or fonts fetched from anywhere
        assert not re.search(r"<(script|link|img|iframe)\b", html)
        assert "url(" not in html
        assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', html))


def test_guide_markdown_to_stdout_contains_every_item(catalog: Catalog) -> None:
    result = run_cli("guide", "--format", "md", "--lang", "en")
    assert result.returncode == 0
    for item in catalog.items:
        assert f"{item.id} {item.title.en}" in result.stdout
    assert "## Concept part" in result.stdout and "## Quick reference" in result.stdout


def test_guide_escapes_text_from_extensions(tmp_path: Path, catalog: Catalog) -> None:
    ext = tmp_path / "ext" / "items"
    ext.mkdir(parents=True)
    src = catalog.sources["IAM-01"].read_text(encoding="utf-8")
    hostile = src.replace("id: IAM-01", "id: XSS-01").replace(
        "  en: No lone, unnoticed use of the cloud root account", '  en: "<script>alert(1)</script>"'
    )
    (ext / "XSS-01.yaml").write_text(hostile, encoding="utf-8")
    out = tmp_path / "g.html"
    result = run_cli("--catalog-dir", str(tmp_path / "ext"), "guide", "--lang", "en", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_schema_is_json_schema_for_items() -> None:
    result = run_cli("catalog", "schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    required = set(schema["required"])
    assert {"id", "title", "objective", "risk", "applicability", "fisc", "severity", "effort_days", "csf", "level"} <= (
        required
    )
    # effort is derived from effort_days, and the two optional lists may be left out
    assert "effort" not in schema["properties"]
    assert {"depends_on", "fisc_unverified"} <= set(schema["properties"]) - required
    assert schema["properties"]["id"]["pattern"] == r"^[A-Z]{2,4}-\d{2,3}$"
    concept = json.loads(run_cli("catalog", "schema", "--kind", "concept").stdout)
    assert "body" in concept["properties"]


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("antai, version ")
    help_text = run_cli("--help").stdout
    for command in ("items", "item", "guide", "concepts", "catalog"):
        assert command in help_text
