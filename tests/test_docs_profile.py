"""docs/profile.md stays true of the code: rule texts, profile keys, and the ITEM_RISK and PHASE tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from annotated_types import Ge, Le

from antai.catalog.conditions import LIST_KEYS, Level
from antai.catalog.schema import EFFORT_LOW_DAYS, EFFORT_MEDIUM_DAYS
from antai.tailoring.plan import ITEM_RISK, PHASE, Plan
from antai.tailoring.profile import Profile
from antai.tailoring.risk import _NONE, ALIASES, PROPERTY_RULES, assess_risk
from antai.tailoring.roadmap import HORIZON_YEARS, WORKING_DAYS_PER_QUARTER, Capacity, build_roadmap

DOC = Path(__file__).resolve().parent.parent / "docs" / "profile.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Every markdown table outside code fences, keyed by its first header cell: rows of cells."""
    tables: dict[str, list[list[str]]] = {}
    block: list[str] = []
    fenced = False
    for line in [*text.splitlines(), ""]:
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("|"):
            block.append(line)
            continue
        if block:
            header, *rows = [_cells(row) for row in block]
            assert rows and set("".join(rows[0])) <= set("-: "), f"table without separator: {block[0]}"
            assert header[0] not in tables, f"two tables start with '{header[0]}'"
            tables[header[0]] = [header, *rows[1:]]
            block = []
    return tables


def _table(text: str, first_header: str) -> tuple[list[str], list[list[str]]]:
    tables = _tables(text)
    assert first_header in tables, f"docs/profile.md has no table headed '{first_header}'"
    header, *rows = tables[first_header]
    for row in rows:
        assert len(row) == len(header), f"row {row} does not match header {header}"
    return header, rows


def test_every_rule_text_is_in_the_doc(text: str) -> None:
    missing = [
        f"{prop.value}/{rule.level.value}: {rule.en}"
        for prop, rules in PROPERTY_RULES.items()
        for rule in rules
        if rule.en not in text
    ]
    missing += [f"{prop.value}/low: {en}" for prop, (_, en) in _NONE.items() if en not in text]
    assert not missing, "rules missing from docs/profile.md:\n" + "\n".join(missing)


def test_rule_table_matches_the_rules(text: str) -> None:
    _, rows = _table(text, "property")
    documented = {(row[0], row[1]): row[2] for row in rows}
    assert len(documented) == len(rows), "a (property, level) row is repeated"
    expected: dict[tuple[str, str], str] = {}
    for prop, rules in PROPERTY_RULES.items():
        assert all(rule.level != Level.LOW for rule in rules), "a low rule needs its own row in the doc"
        for level in (Level.HIGH, Level.MEDIUM):
            texts = [rule.en for rule in rules if rule.level == level]
            if texts:
                expected[(prop.value, level.value)] = "; ".join(texts)
        expected[(prop.value, Level.LOW.value)] = _NONE[prop][1]
    assert documented == expected


def test_every_profile_key_is_in_backticks(text: str) -> None:
    missing = [name for name in Profile.model_fields if f"`{name}`" not in text]
    assert not missing, f"profile keys missing from docs/profile.md: {missing}"


def test_profile_table_matches_the_model(text: str) -> None:
    header, rows = _table(text, "key")
    assert header[:3] == ["key", "type", "default"]
    assert [row[0] for row in rows] == list(Profile.model_fields), "the key table must list every key, in order"
    for (key, _, default, values), field in zip((row[:4] for row in rows), Profile.model_fields.values(), strict=True):
        if field.default_factory is not None:
            assert default == str(field.default_factory()), key
        elif field.default is None:
            assert default == "none", key
        else:
            assert default == str(field.default).lower(), key
        bounds = {type(m): m for m in field.metadata if isinstance(m, Ge | Le)}
        if bounds:
            span = f"{bounds[Ge].ge:,}–{bounds[Le].le:,}"
            assert span in values, f"{key}: the doc should give the bounds {span}"
        for choice in LIST_KEYS.get(key, ()):
            assert choice.value in values, f"{key}: value {choice.value} is not documented"


def test_item_risk_table_matches_the_code(text: str) -> None:
    header, rows = _table(text, "level \\ severity")
    documented = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}
    expected = {level.value: {sev.value: risk.value for sev, risk in row.items()} for level, row in ITEM_RISK.items()}
    assert documented == expected


def test_phase_table_matches_the_code(text: str) -> None:
    header, rows = _table(text, "item risk \\ effort")
    documented = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}
    expected = {risk.value: {eff.value: phase.value for eff, phase in row.items()} for risk, row in PHASE.items()}
    assert documented == expected


def test_numbers_and_names_in_the_prose(text: str) -> None:
    profile = Profile()
    plan = Plan(profile=profile, risk=assess_risk(profile), catalog_version="0.0.0", lang="en", items=())
    roadmap = build_roadmap(plan, dt.date(2027, 1, 4), Capacity(engineers=1, share=20))
    phrases = [
        f"at most {EFFORT_LOW_DAYS:g} person-days is `low`, at most {EFFORT_MEDIUM_DAYS:g} `medium`",
        f"{WORKING_DAYS_PER_QUARTER} working days a quarter",
        f"more than {HORIZON_YEARS} years",
        f"`{plan.as_dict()['schema']}`",
        f"`{roadmap.as_dict()['schema']}`",
        *(f"`{old}` for {new}" for old, new in ALIASES.items()),
    ]
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"docs/profile.md no longer says: {missing}"
