"""The catalog's dependency check: every `depends_on` names an item of the catalog and no item depends on
itself through others. In a tiny catalog folder of its own (catalog.yaml and a few items), so the test does
not follow the built-in content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from antai.catalog import SourceError, load_catalog
from antai.catalog.loader import check_folder
from antai.cli.app import cli
from antai.tailoring.plan import make_plan
from antai.tailoring.profile import Profile

from . import builders as b


def _catalog(root: Path, depends: dict[str, tuple[str, ...]]) -> Path:
    """A catalog folder with one item per key of ``depends`` (its dependencies as the value)."""
    root.mkdir()
    (root / "catalog.yaml").write_text(yaml.safe_dump(b.catalog_meta_data(), allow_unicode=True), encoding="utf-8")
    (root / "items").mkdir()
    for item_id, deps in depends.items():
        data = b.item_data(item_id, severity="low", effort="low", depends_on=deps)
        del data["applicability"]["when"]  # mandatory: no condition
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (root / "items" / f"{item_id}.yaml").write_text(text, encoding="utf-8")
    return root


def _where(path: Path, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first ``needle`` in the file."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def test_a_catalog_with_a_dependency_is_valid_and_plans_it_first(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-02",), "ZZ-02": ()})
    loaded, problems = check_folder(root)
    assert problems == []
    assert loaded is not None
    assert [(i.id, tuple(i.depends_on)) for i in loaded.items] == [("ZZ-01", ("ZZ-02",)), ("ZZ-02", ())]
    assert load_catalog(builtin=root, use_cache=False).item("ZZ-01").depends_on == ["ZZ-02"]  # type: ignore[union-attr]
    assert [i.id for i in make_plan(loaded, Profile()).items] == ["ZZ-01", "ZZ-02"]


def test_an_unknown_dependency_is_a_problem_at_its_value(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-02", "ZZ-09"), "ZZ-02": ()})
    path = root / "items" / "ZZ-01.yaml"
    loaded, problems = check_folder(root)
    assert loaded is None
    line, column = _where(path, "ZZ-09")
    assert [str(p) for p in problems] == [f"{path}:{line}:{column}: 'ZZ-09' is not an item of the catalog"]


def test_every_unknown_dependency_is_reported(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-08",), "ZZ-02": ("ZZ-01", "ZZ-09")})
    assert [(Path(p.file).name, p.message) for p in check_folder(root)[1]] == [
        ("ZZ-01.yaml", "'ZZ-08' is not an item of the catalog"),
        ("ZZ-02.yaml", "'ZZ-09' is not an item of the catalog"),
    ]


def test_a_cycle_of_two_items_is_a_problem_at_the_first_items_dependencies(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-02",), "ZZ-02": ("ZZ-01",)})
    path = root / "items" / "ZZ-01.yaml"
    with pytest.raises(SourceError) as raised:
        load_catalog(builtin=root, use_cache=False)
    line, _ = _where(path, "depends_on:")
    # the list under `depends_on:` starts on the next line, at its dash
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:{line + 1}:1: dependencies form a cycle: ZZ-01 → ZZ-02 → ZZ-01"
    ]


def test_a_longer_cycle_names_every_item_on_it_in_dependency_order_and_not_the_others(tmp_path: Path) -> None:
    root = _catalog(
        tmp_path / "cat",
        {"ZZ-01": ("ZZ-02",), "ZZ-02": ("ZZ-03",), "ZZ-03": ("ZZ-01",), "ZZ-04": ("ZZ-01",)},
    )
    assert [p.message for p in check_folder(root)[1]] == [
        "dependencies form a cycle: ZZ-01 → ZZ-02 → ZZ-03 → ZZ-01"  # each arrow: depends on
    ]


def test_an_unknown_dependency_and_a_cycle_are_both_reported(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-02", "ZZ-07"), "ZZ-02": ("ZZ-01",)})
    path = root / "items" / "ZZ-01.yaml"
    dep_line, _ = _where(path, "depends_on:")
    line, column = _where(path, "ZZ-07")
    assert [str(p) for p in check_folder(root)[1]] == [
        f"{path}:{dep_line + 1}:1: dependencies form a cycle: ZZ-01 → ZZ-02 → ZZ-01",
        f"{path}:{line}:{column}: 'ZZ-07' is not an item of the catalog",
    ]


def test_an_item_that_depends_on_itself_is_refused_by_its_file(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-01",)})
    problems = [p.message for p in check_folder(root)[1]]
    assert len(problems) == 1
    assert "an item cannot depend on itself" in problems[0]


def test_catalog_validate_prints_the_problems_and_fails(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat", {"ZZ-01": ("ZZ-09",), "ZZ-02": ()})
    path = root / "items" / "ZZ-01.yaml"
    result = CliRunner().invoke(cli, ["catalog", "validate", str(root), "--lang", "en"])
    assert result.exit_code == 1
    line, column = _where(path, "ZZ-09")
    assert f"{path}:{line}:{column}: 'ZZ-09' is not an item of the catalog" in result.output
    ok = _catalog(tmp_path / "ok", {"ZZ-01": ("ZZ-02",), "ZZ-02": ()})
    assert CliRunner().invoke(cli, ["catalog", "validate", str(ok), "--lang", "en"]).exit_code == 0
