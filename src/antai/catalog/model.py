"""The loaded catalog: items in reading order, the concept part and the table of contents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from antai.catalog.schema import (
    CatalogMeta,
    Changelog,
    Chapter,
    ConceptTopic,
    FiscEntry,
    FiscIndexMeta,
    Item,
    Layer,
    Section,
    TechNote,
)


@dataclass(frozen=True)
class FiscMatrix:
    """How antai handles each FISC item (rows in the index's order); ``meta`` says what the index is."""

    meta: FiscIndexMeta | None = None
    entries: tuple[FiscEntry, ...] = ()

    def entry(self, fisc_id: str) -> FiscEntry | None:
        return next((e for e in self.entries if e.id == fisc_id), None)


@dataclass(frozen=True)
class Catalog:
    meta: CatalogMeta
    items: tuple[Item, ...]
    concepts: tuple[ConceptTopic, ...]
    technotes: tuple[TechNote, ...] = ()
    fisc: FiscMatrix = field(default_factory=FiscMatrix)
    changelog: Changelog | None = None
    sources: dict[str, Path] = field(default_factory=dict)
    """Where each item came from, by ID (built-in content or an extension folder)."""

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def chapters(self) -> list[Chapter]:
        return list(self.meta.chapters)

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id.strip().upper())

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.meta.chapters if c.number == number), None)

    def section(self, item: Item) -> Section:
        chapter = self.chapter(item.chapter)
        assert chapter is not None  # guaranteed by validation
        return next(s for s in chapter.sections if s.id == item.section)

    def technote(self, note_id: str) -> TechNote | None:
        return next((n for n in self.technotes if n.id == note_id.strip().lower()), None)

    def technotes_for(self, item_id: str) -> list[TechNote]:
        """Notes related to an item, whichever side names the link."""
        item = self.item(item_id)
        named = set(item.technotes) if item else set()
        return [n for n in self.technotes if n.id in named or any(s.item == item_id for s in n.satisfies)]

    def concept(self, topic_id: str) -> ConceptTopic | None:
        return next((c for c in self.concepts if c.id == topic_id), None)

    def select(
        self,
        chapter: int | None = None,
        mandatory: bool | None = None,
        layers: Iterable[Layer] = (),
    ) -> list[Item]:
        wanted = set(layers)
        return [
            i
            for i in self.items
            if (chapter is None or i.chapter == chapter)
            and (mandatory is None or i.mandatory == mandatory)
            and (not wanted or wanted.intersection(i.layers))
        ]

    @property
    def _by_id(self) -> dict[str, Item]:
        cached: dict[str, Item] | None = self.__dict__.get("_index")
        if cached is None:
            cached = {i.id: i for i in self.items}
            object.__setattr__(self, "_index", cached)
        return cached
