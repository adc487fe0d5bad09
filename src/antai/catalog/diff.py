"""What changed between two versions of the catalog (R11): items added, removed and changed field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from antai.catalog.model import Catalog


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. "risk.ja", "applicability.when", "fisc"
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class CatalogDiff:
    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    technotes_added: tuple[str, ...] = ()
    technotes_removed: tuple[str, ...] = ()
    technotes_changed: tuple[str, ...] = ()
    concepts_changed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.technotes_added
            or self.technotes_removed
            or self.technotes_changed
            or self.concepts_changed
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "items": {
                "added": list(self.added),
                "removed": list(self.removed),
                "changed": [
                    {"id": c.id, "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields]}
                    for c in self.changed
                ],
            },
            "technotes": {
                "added": list(self.technotes_added),
                "removed": list(self.technotes_removed),
                "changed": list(self.technotes_changed),
            },
            "concepts": {"changed": list(self.concepts_changed)},
        }


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings become dotted paths; lists stay whole so an edited list reads as one change."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    a, b = _flatten(old), _flatten(new)
    return tuple(
        FieldChange(path, a.get(path), b.get(path))
        for path in sorted(a.keys() | b.keys())
        if a.get(path) != b.get(path)
    )


def _ids(models: Any) -> dict[str, dict[str, Any]]:
    return {m.id: m.model_dump(mode="json", exclude_none=True) for m in models}


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    old_items, new_items = _ids(old.items), _ids(new.items)
    changed = tuple(
        ItemChange(item_id, fields)
        for item_id in new_items
        if item_id in old_items and (fields := _field_changes(old_items[item_id], new_items[item_id]))
    )
    old_notes, new_notes = _ids(old.technotes), _ids(new.technotes)
    old_concepts, new_concepts = _ids(old.concepts), _ids(new.concepts)
    return CatalogDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(i for i in new_items if i not in old_items),
        removed=tuple(i for i in old_items if i not in new_items),
        changed=changed,
        technotes_added=tuple(n for n in new_notes if n not in old_notes),
        technotes_removed=tuple(n for n in old_notes if n not in new_notes),
        technotes_changed=tuple(n for n in new_notes if n in old_notes and old_notes[n] != new_notes[n]),
        concepts_changed=tuple(
            c for c in sorted(old_concepts.keys() | new_concepts.keys()) if old_concepts.get(c) != new_concepts.get(c)
        ),
    )
