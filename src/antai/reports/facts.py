"""Organisation facts for people: each group with its facts worded in ja/en, registers as tables, gaps marked.

Shared by `antai org` and the bank report (HTML, XLSX, Markdown), so a fact reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from antai.assessment.model import FACT_GROUPS, FactField, FactKind, OrganisationFacts, model_facts
from antai.labels import label


@dataclass(frozen=True)
class Cell:
    label: str
    text: str
    gap: bool = False


@dataclass(frozen=True)
class FactRow:
    """One fact: its label, its value in words (empty when missing) and the evidence IDs about it. A register
    has ``columns`` and one list of cells per entry instead of a text."""

    path: str
    label: str
    text: str
    gap: bool
    evidence: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    entries: list[list[Cell]] = field(default_factory=list)
    entry_evidence: list[list[str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labels of a record's missing fields


@dataclass(frozen=True)
class GroupView:
    key: str
    title: str
    rows: list[FactRow]
    missing: int


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def value_text(value: Any, spec: FactField, lang: str) -> str:
    """A fact's value in words ("" when it is not given)."""
    if value is None:
        return ""
    if spec.kind == FactKind.BOOL:
        return label("org.yes" if value else "org.no", lang)
    if isinstance(value, StrEnum):
        return label(f"org.value.{value.value}", lang)
    if spec.kind == FactKind.CHOICE:
        return label(f"org.value.{value}", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.path.endswith("within_hours"):
        return label("org.hours", lang).format(n=_number(float(value)))
    if spec.path.endswith("capital_jpy"):
        return label("org.yen", lang).format(n=f"{int(value):,}")
    if isinstance(value, list):
        if not value:
            return label("org.none", lang)
        return ("、" if lang == "ja" else ", ").join(str(v) for v in value)
    if isinstance(value, BaseModel):
        parts = []
        for sub in model_facts(type(value), spec.path):
            text = value_text(getattr(value, sub.name), sub, lang)
            if text:
                parts.append(f"{label('org.' + sub.path, lang)}: {text}")
        return " / ".join(parts)
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _direct(model: type[BaseModel], prefix: str) -> list[FactField]:
    depth = prefix.count(".") + 1
    return [f for f in model_facts(model, prefix) if f.path.count(".") == depth]


def group_views(
    facts: OrganisationFacts, evidence: dict[str, list[str]], lang: str, missing: list[str] | None = None
) -> list[GroupView]:
    """Every group with every fact, in schema order; ``evidence`` maps dotted paths to evidence IDs."""
    gaps = set(facts.missing() if missing is None else missing)
    views = []
    for group, model in FACT_GROUPS.items():
        value = getattr(facts, group)
        rows: list[FactRow] = []
        for spec in _direct(model, group):
            current = getattr(value, spec.name)
            mine = list(evidence.get(spec.path, []))
            if spec.kind == FactKind.ENTRIES and spec.model is not None and current:
                columns = _direct(spec.model, f"{spec.path}.N")
                entries, entry_evidence = [], []
                for number, entry in enumerate(current, start=1):
                    where = f"{spec.path}.{number}"
                    entries.append(
                        [
                            Cell(
                                label(f"org.{c.path}", lang),
                                value_text(getattr(entry, c.name), c, lang),
                                f"{where}.{c.name}" in gaps,
                            )
                            for c in columns
                        ]
                    )
                    entry_evidence.append(
                        sorted({e for path, ids in evidence.items() if path.startswith(where) for e in ids})
                    )
                rows.append(
                    FactRow(
                        spec.path,
                        label(f"org.{spec.path}", lang),
                        "",
                        any(g.startswith(spec.path + ".") for g in gaps),
                        mine,
                        [label(f"org.{c.path}", lang) for c in columns],
                        entries,
                        entry_evidence,
                    )
                )
                continue
            text = value_text(current, spec, lang)
            gap = spec.path in gaps or any(g.startswith(spec.path + ".") for g in gaps)
            if isinstance(current, BaseModel):
                mine += [e for path, ids in evidence.items() if path.startswith(spec.path + ".") for e in ids]
            subs = model_facts(spec.model, spec.path) if spec.kind == FactKind.RECORD and spec.model else ()
            unanswered = [label(f"org.{sub.path}", lang) for sub in subs if sub.path in gaps]
            rows.append(
                FactRow(spec.path, label(f"org.{spec.path}", lang), text, gap, sorted(set(mine)), missing=unanswered)
            )
        views.append(
            GroupView(
                group,
                label(f"org.group.{group}", lang),
                rows,
                sum(1 for g in gaps if g.startswith(group + ".")),
            )
        )
    return views


def entry_text(cells: list[Cell], gap_word: str) -> str:
    """One register entry on one line: "label: value; …", a missing value as the gap word."""
    return "; ".join(f"{c.label}: {c.text or gap_word}" for c in cells if c.text or c.gap)
