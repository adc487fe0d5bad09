"""Catalog versioning (R11): diff between versions, content changelog, and IDs that are never reused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from antai.catalog import Catalog, validate_folder

from .conftest import run_cli

ITEM = Path("items/02-access/IAM-01.yaml")


def test_diff_lists_added_removed_and_changed_fields(catalog_copy: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(catalog_copy, new)
    edited = (new / ITEM).read_text("utf-8").replace("effort_days: [1, 3]", "effort_days: [2, 5]")
    (new / ITEM).write_text(edited, "utf-8")
    removed = next((new / "items").rglob("CAU-06.yaml"))
    removed.unlink()
    for matrix in (new / "fisc").glob("*.yaml"):  # the matrix rows that named it no longer do
        text = matrix.read_text("utf-8")
        matrix.write_text(re.sub(r"(, CAU-06\b|\bCAU-06, |\bCAU-06\b)", "", text), "utf-8")
    added = new / "items" / "02-access" / "IAM-90.yaml"
    added.write_text((new / ITEM).read_text("utf-8").replace("id: IAM-01", "id: IAM-90"), "utf-8")
    for path in (new / "ids.yaml", new / "changelog.yaml"):
        path.unlink(missing_ok=True)  # a work-in-progress folder need not be a release yet

    result = run_cli("catalog", "diff", str(catalog_copy), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"]["added"] == ["IAM-90"]
    assert data["items"]["removed"] == ["CAU-06"]
    (change,) = data["items"]["changed"]
    assert change["id"] == "IAM-01"
    assert change["fields"] == [{"path": "effort_days", "old": [1.0, 3.0], "new": [2.0, 5.0]}]

    text = run_cli("catalog", "diff", str(catalog_copy), str(new), "--exit-code", "--lang", "en")
    assert text.returncode == 1
    assert "+ IAM-90" in text.stdout and "- CAU-06" in text.stdout
    assert "effort_days: [1.0, 3.0] → [2.0, 5.0]" in text.stdout


def test_diff_of_identical_catalogs(catalog_copy: Path) -> None:
    result = run_cli("catalog", "diff", str(catalog_copy), str(catalog_copy), "--exit-code")
    assert result.returncode == 0 and "差分はない" in result.stdout


def test_diff_needs_catalog_folders(tmp_path: Path, catalog_copy: Path) -> None:
    result = run_cli("catalog", "diff", str(tmp_path), str(catalog_copy))
    assert result.returncode == 2 and "catalog.yaml がない" in result.stderr


def test_changelog_matches_the_catalog_version(catalog: Catalog) -> None:
    assert catalog.changelog is not None
    assert catalog.changelog.releases[0].version == catalog.version


def test_every_item_is_registered_as_released(catalog: Catalog) -> None:
    import yaml

    registry = yaml.safe_load((catalog.sources["IAM-01"].parents[2] / "ids.yaml").read_text("utf-8"))["ids"]
    for item in catalog.items:
        assert registry[item.id]["chapter"] == item.chapter and registry[item.id]["section"] == item.section


def test_a_released_id_cannot_be_reused_for_another_item(catalog_copy: Path) -> None:
    path = catalog_copy / ITEM
    path.write_text(path.read_text("utf-8").replace("section: cloud-privileges", "section: logging"), "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("never reused for a different item" in p for p in problems), problems


def test_a_withdrawn_id_never_comes_back(catalog_copy: Path) -> None:
    registry = catalog_copy / "ids.yaml"
    text = registry.read_text("utf-8")
    text = re.sub(r"(  IAM-01: \{[^}]*)\}", r"\1, withdrawn: 0.1.0}", text, count=1)
    registry.write_text(text, "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("IAM-01 was withdrawn in 0.1.0" in p for p in problems), problems


def test_removing_a_released_item_must_be_recorded(catalog_copy: Path) -> None:
    (catalog_copy / ITEM).unlink()
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("released item IAM-01 is missing" in p for p in problems), problems


def test_a_new_item_must_be_registered(catalog_copy: Path) -> None:
    new = catalog_copy / "items" / "02-access" / "IAM-91.yaml"
    new.write_text((catalog_copy / ITEM).read_text("utf-8").replace("id: IAM-01", "id: IAM-91"), "utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert problems == [f"{new}:1:5: new ID IAM-91 is not in ids.yaml"] or any(
        "new ID IAM-91 is not in ids.yaml" in p for p in problems
    )
