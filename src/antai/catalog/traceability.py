"""FISC traceability (R3): every FISC item has a recorded handling, and the matrix agrees with the items."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from antai.catalog import references
from antai.catalog.model import Catalog
from antai.catalog.schema import FiscHandling

CATEGORY_MARKS = {"control": "統", "practice": "実", "facility": "設", "audit": "監"}


@dataclass(frozen=True)
class Coverage:
    total: int
    unhandled: list[str]
    by_handling: dict[str, int]
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    by_classification: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.unhandled

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "handled": self.total - len(self.unhandled),
            "unhandled": self.unhandled,
            **{handling: self.by_handling.get(handling, 0) for handling in (h.value for h in FiscHandling)},
            "by_category": self.by_category,
            "by_classification": self.by_classification,
        }


def covering_items(catalog: Catalog, fisc_id: str) -> list[str]:
    """Items that cover a FISC ID: those the matrix names and those that cite it, in catalog order."""
    entry = catalog.fisc.entry(fisc_id)
    named = set(entry.items) if entry else set()
    return [i.id for i in catalog.items if i.id in named or fisc_id in i.fisc]


def unverified_items(catalog: Catalog, fisc_id: str) -> list[str]:
    """Items that cite a FISC ID only as unverified (``fisc_unverified``), in catalog order."""
    return [i.id for i in catalog.items if fisc_id in i.fisc_unverified]


def applies(catalog: Catalog, items: list[str]) -> dict[str, Any]:
    """When a risk-based (△) row applies, from its items' applicability: the mandatory items (which
    always apply) and, for the others, each distinct condition with the items it switches on.

    Conditions are plain data (as written in the item files); ``antai.reports.fisc`` puts them in words."""
    always: list[str] = []
    when: dict[str, dict[str, Any]] = {}
    for item_id in items:
        item = catalog.item(item_id)
        if item is None:
            continue
        condition = item.applicability.when
        if condition is None:
            always.append(item_id)
            continue
        data = condition.model_dump(mode="json", exclude_none=True)
        key = json.dumps(data, sort_keys=True, ensure_ascii=False)
        when.setdefault(key, {"condition": data, "items": []})["items"].append(item_id)
    return {"always": always, "when": list(when.values())}


def coverage(catalog: Catalog) -> Coverage:
    index = references.fisc_index()
    rows = {e.id: e for e in catalog.fisc.entries}
    unhandled = [fisc_id for fisc_id in index if fisc_id not in rows]
    by_category: dict[str, dict[str, int]] = {}
    for fisc_id, ref in index.items():
        entry = rows.get(fisc_id)
        key = entry.handling.value if entry else "unhandled"
        counts = by_category.setdefault(ref.category, {})
        counts[key] = counts.get(key, 0) + 1
    return Coverage(
        total=len(index),
        unhandled=unhandled,
        by_handling=dict(Counter(e.handling.value for e in catalog.fisc.entries)),
        by_category=by_category,
        # vacant numbers have no class; every other row has one (the class "unidentified" included)
        by_classification=dict(Counter(e.classification.value for e in catalog.fisc.entries if e.classification)),
    )


def matrix_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One plain record per FISC ID of the index (unhandled IDs included, with handling None)."""
    index = references.fisc_index()
    rows = []
    for fisc_id, ref in index.items():
        entry = catalog.fisc.entry(fisc_id)
        items = covering_items(catalog, fisc_id)
        risk_based = entry is not None and entry.handling == FiscHandling.RISK_BASED
        rows.append(
            {
                "id": fisc_id,
                "category": ref.category,
                "status": ref.status,
                "topic": entry.topic.model_dump() if entry and entry.topic else None,
                "handling": entry.handling.value if entry else None,
                "mark": entry.handling.mark if entry else "?",
                "classification": entry.classification.value if entry and entry.classification else None,
                "reason": entry.reason.model_dump() if entry else None,
                "items": items,
                "unverified_items": unverified_items(catalog, fisc_id),
                # △ rows: when they apply, from their items' applicability (None for other rows)
                "applies": applies(catalog, items) if risk_based else None,
            }
        )
    return rows


def disagreements(catalog: Catalog) -> list[str]:
    """Where an item cites a FISC ID that the matrix row does not name, or the reverse."""
    out = []
    by_id = {i.id: i for i in catalog.items}
    for entry in catalog.fisc.entries:
        for item_id in entry.items:
            item = by_id.get(item_id)
            if item is not None and entry.id not in item.fisc:
                out.append(f"FISC {entry.id} names {item_id}, but {item_id} does not cite {entry.id}")
    for item in catalog.items:
        for fisc_id in item.fisc:
            row = catalog.fisc.entry(fisc_id)
            if row is None or item.id not in row.items:
                out.append(f"{item.id} cites FISC {fisc_id}, but the matrix row does not name {item.id}")
    return out
