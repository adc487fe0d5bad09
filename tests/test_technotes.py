"""New-technology notes (R6): what they satisfy, under which conditions, linked both ways with items."""

from __future__ import annotations

import json
from pathlib import Path

from antai.catalog import Catalog

from .conftest import run_cli


def test_required_notes_exist_with_conditions_and_evidence(catalog: Catalog) -> None:
    ids = {n.id for n in catalog.technotes}
    assert {"envelope-encryption", "immutable-infrastructure"} <= ids
    assert len(ids) >= 8
    for note in catalog.technotes:
        assert note.conditions and note.evidence and note.risks_reduced, note.id
        assert note.satisfies, note.id


def test_notes_and_items_link_both_ways(catalog: Catalog) -> None:
    for note in catalog.technotes:
        for link in note.satisfies:
            item = catalog.item(link.item)
            assert item is not None, (note.id, link.item)
            assert note.id in item.technotes, f"{link.item} does not list {note.id}"
    for item in catalog.items:
        for note_id in item.technotes:
            note = catalog.technote(note_id)
            assert note is not None and any(link.item == item.id for link in note.satisfies), (
                item.id,
                note_id,
            )


def test_immutable_infrastructure_substitutes_for_change_management(catalog: Catalog) -> None:
    note = catalog.technote("immutable-infrastructure")
    assert note is not None
    chapters = {catalog.item(link.item).chapter for link in note.satisfies}  # type: ignore[union-attr]
    assert 5 in chapters
    assert any(link.relation.value == "substitutes" for link in note.satisfies)


def test_technote_commands(catalog: Catalog, tmp_path: Path) -> None:
    listed = json.loads(run_cli("technotes", "--format", "json").stdout)
    assert [n["id"] for n in listed] == [n.id for n in catalog.technotes]
    table = run_cli("technotes", "--lang", "en", env={"COLUMNS": "160"})
    assert table.returncode == 0 and "Envelope encryption" in table.stdout
    note = catalog.technote("envelope-encryption")
    assert note is not None
    md = run_cli("technote", "envelope-encryption", "--format", "md", "--lang", "en").stdout
    assert note.conditions[0].en in md and note.satisfies[0].item in md
    wrong = run_cli("technote", "envelope")
    assert wrong.returncode == 2 and "envelope-encryption" in wrong.stderr


def test_guide_renders_notes_in_both_languages(catalog: Catalog, tmp_path: Path) -> None:
    for lang in ("ja", "en"):
        out = tmp_path / f"g.{lang}.html"
        assert run_cli("guide", "--lang", lang, "-o", str(out)).returncode == 0
        html = out.read_text("utf-8")
        for note in catalog.technotes:
            assert f'id="technote-{note.id}"' in html
            assert note.title(lang) in html
        assert 'id="changelog"' in html


def test_users_can_add_their_own_note_in_an_extension(tmp_path: Path, catalog: Catalog) -> None:
    import yaml

    ext = tmp_path / "ext" / "technotes"
    ext.mkdir(parents=True)
    note = catalog.technote("secrets-manager")
    assert note is not None
    data = note.model_dump(mode="json")
    data["id"] = "our-vault"
    (ext / "our-vault.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("catalog", "validate", str(tmp_path / "ext")).returncode == 0
    shown = run_cli("--catalog-dir", str(tmp_path / "ext"), "technote", "our-vault", "--format", "json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == "our-vault"
    data["satisfies"][0]["item"] = "ZZ-99"
    (ext / "our-vault.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    broken = run_cli("catalog", "validate", str(tmp_path / "ext"))
    assert broken.returncode == 1 and "no item ZZ-99" in broken.stdout
    clash = tmp_path / "ext" / "technotes" / "secrets-manager.yaml"
    clash.write_text(yaml.safe_dump(note.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    assert "defined twice" in run_cli("catalog", "validate", str(tmp_path / "ext")).stdout
