"""A null or unknown key in a condition is refused by `catalog validate` at its file:line:column (bug B1),
and never reaches the plan. In-process: an extension folder holding one conditional item."""

from __future__ import annotations

from pathlib import Path

import pytest

from antai.catalog import SourceError, load_catalog, validate_folder
from antai.catalog.conditions import PROFILE_KEYS
from antai.catalog.loader import BUILTIN_DIR

SOURCE = BUILTIN_DIR / "items/01-data/DAT-08.yaml"
CONDITION = "    data: [card, my_number]\n"


def _extension(tmp_path: Path, condition: str) -> Path:
    """An extension folder with one item (ZZ-01) whose `when:` is ``condition`` (indented YAML lines)."""
    text = SOURCE.read_text(encoding="utf-8")
    assert CONDITION in text and "id: DAT-08\n" in text
    text = text.replace("id: DAT-08\n", "id: ZZ-01\n").replace(CONDITION, condition)
    text = "\n".join("technotes: []" if line.startswith("technotes:") else line for line in text.splitlines()) + "\n"
    path = tmp_path / "ext" / "items" / "ZZ-01.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_fixture_item_is_valid_as_it_is(tmp_path: Path) -> None:
    _extension(tmp_path, CONDITION)
    assert validate_folder(tmp_path / "ext") == []


@pytest.mark.parametrize("key", ["business", "users", "externality", "moves_customer_funds", "channels"])
@pytest.mark.parametrize("null", ["~", "null", ""])
def test_a_null_fact_is_refused_at_its_value(tmp_path: Path, key: str, null: str) -> None:
    path = _extension(tmp_path, f"    {key}: {null}\n")
    problems = [str(p) for p in validate_folder(tmp_path / "ext")]
    line = _line_of(path, f"    {key}:")
    # an empty value has no text of its own: YAML places it right after the colon
    column = len(f"    {key}: ") + 1 if null else len(f"    {key}:") + 1
    assert problems == [
        f"{path}:{line}:{column}: applicability.when.{key}: null is not a condition: give a value or leave the key out"
    ]


def test_every_fact_key_refuses_null_inside_any(tmp_path: Path) -> None:
    lines = "".join(f"      - {key}: ~\n" for key in PROFILE_KEYS)
    path = _extension(tmp_path, "    any:\n" + lines)
    problems = [str(p) for p in validate_folder(tmp_path / "ext")]
    assert len(problems) == len(PROFILE_KEYS)
    for n, key in enumerate(PROFILE_KEYS):
        assert any(
            p.startswith(f"{path}:{_line_of(path, f'- {key}: ~')}:")
            and f"applicability.when.any[{n}].{key}: null is not a condition" in p
            for p in problems
        ), (key, problems)


def test_an_unknown_key_next_to_a_known_one_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = _extension(tmp_path, "    data: [card]\n    user: {gte: 10}\n")
    problems = [str(p) for p in validate_folder(tmp_path / "ext")]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{_line_of(path, 'user: {gte')}:5: unknown field 'user'")
    assert "did you mean 'users'" in problems[0]


def test_an_unknown_comparison_is_refused(tmp_path: Path) -> None:
    path = _extension(tmp_path, "    users: {gt: 10}\n")
    problems = [str(p) for p in validate_folder(tmp_path / "ext")]
    line = _line_of(path, "users: {gt")
    assert any(p.startswith(f"{path}:{line}:") and "unknown field 'gt'" in p for p in problems), problems


def test_a_null_condition_never_reaches_the_plan(tmp_path: Path) -> None:
    _extension(tmp_path, "    business: ~\n")
    with pytest.raises(SourceError, match="null is not a condition"):
        load_catalog([tmp_path / "ext"])
