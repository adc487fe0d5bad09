"""Broken catalog files give precise, traceback-free messages and exit code 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from antai.catalog import SourceError, load_catalog, validate_folder

from .conftest import run_cli

ITEM = Path("items/02-access/IAM-01.yaml")


def _edit(root: Path, rel: Path, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def _only_problem(root: Path) -> str:
    problems = validate_folder(root)
    assert len(problems) == 1, problems
    return str(problems[0])


def test_the_builtin_catalog_is_valid() -> None:
    assert validate_folder() == []


def test_bad_yaml_reports_file_line_and_column(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "severity: critical", "severity: [critical")
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:")
    line = int(problem.split(":")[1])
    # libyaml reports the unclosed flow sequence at or just after the broken line
    assert _line_of(path, "severity: [critical") <= line <= _line_of(path, "severity: [critical") + 2
    assert "invalid YAML" in problem


def test_wrong_enum_value_points_at_the_value(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "level: baseline", "level: basic")
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, 'level: basic')}:8: level:")
    assert "'baseline' or 'advanced'" in problem


def test_unknown_field_suggests_the_right_name(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "severity: critical", "severty: critical")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any(
        p.startswith(f"{path}:{_line_of(path, 'severty')}:")
        and "unknown field 'severty'" in p
        and "did you mean 'severity'" in p
        for p in problems
    ), problems
    assert any("missing required field 'severity'" in p for p in problems)


def test_missing_japanese_text_is_reported_at_its_mapping(catalog_copy: Path) -> None:
    path = catalog_copy / ITEM
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(risk:\n)  ja: [^\n]*\n", r"\1", text, count=1)
    path.write_text(text, encoding="utf-8")
    problem = _only_problem(catalog_copy)
    assert "missing required field 'ja' in 'risk'" in problem
    assert problem.startswith(f"{path}:{_line_of(path, 'risk:') + 1}:")


def test_unknown_profile_key_in_a_condition(catalog_copy: Path) -> None:
    path = _edit(
        catalog_copy,
        ITEM,
        "  mandatory: true\n",
        "  mandatory: false\n  when:\n    any:\n      - chanels: [ios_app]\n",
    )
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, 'chanels')}:")
    assert "unknown field 'chanels'" in problem and "did you mean 'channels'" in problem


def test_condition_value_outside_the_vocabulary(catalog_copy: Path) -> None:
    path = _edit(
        catalog_copy,
        ITEM,
        "  mandatory: true\n",
        "  mandatory: false\n  when:\n    channels: [ios_app, fax]\n",
    )
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, 'fax')}:")
    assert "applicability.when.channels[1]" in problem and "'ios_app'" in problem


def test_a_condition_cannot_test_for_absence(catalog_copy: Path) -> None:
    _edit(catalog_copy, ITEM, "  mandatory: true\n", "  mandatory: false\n  when:\n    own_equipment: false\n")
    assert "Input should be True" in _only_problem(catalog_copy)


def test_mandatory_item_with_condition_is_rejected(catalog_copy: Path) -> None:
    _edit(catalog_copy, ITEM, "  mandatory: true\n", "  mandatory: true\n  when:\n    channels: [web]\n")
    assert "remove 'when'" in _only_problem(catalog_copy)


def test_fisc_id_not_in_the_index(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "fisc: [実9,", "fisc: [実999,")
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, '実999')}:")
    assert "'実999' is not a FISC item ID" in problem


def test_external_reference_must_be_real(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "{kind: cwe, id: CWE-250}", "{kind: asvs, id: V99.1.1}")
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, 'V99.1.1')}:")
    assert "not an OWASP ASVS 5.0.0 requirement ID" in problem


def test_duplicate_ids_across_files(catalog_copy: Path) -> None:
    src = catalog_copy / ITEM
    dup = src.with_name("IAM-99.yaml")
    dup.write_text(src.read_text(encoding="utf-8").replace("id: IAM-01", "id: IAM-99"), encoding="utf-8")
    with (catalog_copy / "ids.yaml").open("a", encoding="utf-8") as registry:
        registry.write("  IAM-99: {since: 0.1.0, chapter: 2, section: cloud-privileges}\n")
    assert validate_folder(catalog_copy) == []
    dup.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    problems = [str(p) for p in validate_folder(catalog_copy)]
    assert any("ID IAM-01 is already used by" in p for p in problems), problems
    assert any("must be named IAM-01.yaml" in p for p in problems), problems


def test_duplicate_yaml_keys_are_refused(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "effort_days: [1, 3]", "effort_days: [1, 3]\neffort_days: [5, 20]")
    problem = _only_problem(catalog_copy)
    assert problem.startswith(f"{path}:{_line_of(path, 'effort_days: [5, 20]')}:1:")
    assert "duplicate key 'effort_days'" in problem


def test_load_catalog_raises_with_every_problem(catalog_copy: Path) -> None:
    _edit(catalog_copy, ITEM, "level: baseline", "level: basic")
    _edit(catalog_copy, ITEM, "responsibility: venture", "responsibility: nobody")
    with pytest.raises(SourceError) as info:
        load_catalog(builtin=catalog_copy)
    assert len(info.value.problems) == 2


def test_cli_validate_broken_copy_exits_1_without_traceback(catalog_copy: Path) -> None:
    path = _edit(catalog_copy, ITEM, "level: baseline", "level: basic")
    result = run_cli("catalog", "validate", str(catalog_copy))
    assert result.returncode == 1
    assert f"{path}:{_line_of(path, 'level: basic')}:8:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_validate_builtin_passes() -> None:
    result = run_cli("catalog", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stderr


def test_extension_folder_adds_items_but_cannot_replace_builtin(tmp_path: Path, catalog_copy: Path) -> None:
    ext = tmp_path / "ext"
    (ext / "items").mkdir(parents=True)
    own = (catalog_copy / ITEM).read_text(encoding="utf-8").replace("id: IAM-01", "id: ZZ-01")
    (ext / "items" / "ZZ-01.yaml").write_text(own, encoding="utf-8")
    ok = run_cli("catalog", "validate", str(ext))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    listed = run_cli("--catalog-dir", str(ext), "item", "ZZ-01", "--format", "json")
    assert listed.returncode == 0 and '"id": "ZZ-01"' in listed.stdout

    (ext / "items" / "IAM-01.yaml").write_text((catalog_copy / ITEM).read_text(encoding="utf-8"), encoding="utf-8")
    clash = run_cli("catalog", "validate", str(ext))
    assert clash.returncode == 1
    assert "ID IAM-01 is already used by" in clash.stdout


def test_cli_validate_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("catalog", "validate", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_empty_and_non_utf8_files(catalog_copy: Path) -> None:
    empty = catalog_copy / "items" / "02-access" / "ZZ-01.yaml"
    empty.write_text("", encoding="utf-8")
    assert _only_problem(catalog_copy) == f"{empty}:1:1: the file is empty"
    empty.write_bytes("id: ZZ-01\ntitle: {ja: 日本語}\n".encode("shift_jis"))
    assert "not UTF-8 text" in _only_problem(catalog_copy)


def test_a_list_instead_of_a_mapping(catalog_copy: Path) -> None:
    odd = catalog_copy / "items" / "02-access" / "ZZ-01.yaml"
    odd.write_text("- id: ZZ-01\n", encoding="utf-8")
    assert _only_problem(catalog_copy) == f"{odd}:1:1: expected a mapping of fields, found list"
