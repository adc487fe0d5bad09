"""Hostile checklist files and bank workbooks: refused with a position, in bounded time, never a traceback."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import run_cli

HOSTILE = Path(__file__).parent / "hostile"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("alias-cycle", "1:4: anchors and aliases"),
        ("billion-laughs", "1:4: anchors and aliases"),
        ("impossible-date-in-name", "2026-02-30 is not a real date"),
        ("python-object-apply", "the tag !!python/object/apply:os.system is not allowed"),
        ("nul-byte", "is not allowed in YAML"),
    ],
)
def test_a_hostile_checklist_is_refused_quickly(case: str, expected: str, tmp_path: Path) -> None:
    bad = tmp_path / "bank.yaml"
    shutil.copy(HOSTILE / f"{case}.yaml", bad)
    start = time.monotonic()
    result = run_cli("--lang", "en", "checklist", "validate", str(bad))
    assert time.monotonic() - start < 30
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{bad}:" in result.stdout + result.stderr and expected in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_huge_or_deep_checklist_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("id: x\nrows:\n" + "  - {id: A, question: " + "x" * 600_000 + "}\n", "utf-8")
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: " + "[" * 200 + "]" * 200 + "\n", "utf-8")
    for bad, expected in ((huge, "bytes"), (deep, "nested deeper")):
        result = run_cli("--lang", "en", "checklist", "validate", str(bad))
        assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
        assert expected in result.stdout + result.stderr


def test_a_zip_bomb_or_a_non_workbook_is_not_imported(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB packed
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", "utf-8")
    for bad, expected in ((bomb, "unpacks to"), (fake, "not an XLSX file")):
        out = tmp_path / f"{bad.stem}.yaml"
        result = run_cli(
            "--lang",
            "en",
            "checklist",
            "import",
            str(bad),
            "--id-column",
            "A",
            "--question-column",
            "B",
            "-o",
            str(out),
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert not out.exists()
