"""The catalog cache: used when nothing changed, ignored when anything did, harmless when damaged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from antai.catalog import SourceError, load_catalog
from antai.catalog.loader import BUILTIN_DIR


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ANTAI_CACHE_DIR", str(folder))
    monkeypatch.delenv("ANTAI_NO_CACHE", raising=False)
    return folder


def test_second_load_comes_from_the_cache_and_equals_the_first(cache_dir: Path) -> None:
    first = load_catalog()
    files = list(cache_dir.glob("catalog-*.json"))
    assert len(files) == 1
    second = load_catalog()
    assert second.items == first.items and second.concepts == first.concepts and second.meta == first.meta


def test_an_edit_invalidates_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(BUILTIN_DIR, root)
    before = load_catalog(builtin=root)
    item_file = root / "items" / "02-access" / "IAM-01.yaml"
    text = item_file.read_text(encoding="utf-8").replace("effort_days: [1, 3]", "effort_days: [5, 20]")
    item_file.write_text(text, encoding="utf-8")
    os.utime(item_file, ns=(1, 1))  # even with an old timestamp the size or time differs from the cached key
    after = load_catalog(builtin=root)
    assert before.item("IAM-01").effort_days == (1.0, 3.0)  # type: ignore[union-attr]
    assert before.item("IAM-01").effort.value == "low"  # type: ignore[union-attr]
    assert after.item("IAM-01").effort_days == (5.0, 20.0)  # type: ignore[union-attr]
    assert after.item("IAM-01").effort.value == "high"  # type: ignore[union-attr]
    item_file.write_text(text.replace("effort_days: [5, 20]", "effort_days: [5, huge]"), encoding="utf-8")
    with pytest.raises(SourceError):
        load_catalog(builtin=root)


def test_a_damaged_cache_is_ignored(cache_dir: Path) -> None:
    load_catalog()
    (cached,) = cache_dir.glob("catalog-*.json")
    data = json.loads(cached.read_text(encoding="utf-8"))
    (rule,) = [r for r in data["rules"] if r["id"] == "IAM-01"]
    assert rule["effort_days"] == [1.0, 3.0]
    rule["effort_days"] = 42
    cached.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert load_catalog().item("IAM-01").effort_days == (1.0, 3.0)  # type: ignore[union-attr]
    # the damaged cache was not used but rebuilt from the sources
    rebuilt = json.loads(cached.read_text(encoding="utf-8"))
    assert [r["effort_days"] for r in rebuilt["rules"] if r["id"] == "IAM-01"] == [[1.0, 3.0]]
    cached.write_text("{not json", encoding="utf-8")
    assert len(load_catalog().items) > 0


def test_cache_can_be_switched_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTAI_NO_CACHE", "1")
    load_catalog()
    assert not cache_dir.exists()
