"""The loaded catalog: items in reading order, the concept part and the table of contents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from antai.catalog.schema import CatalogMeta, Chapter, ConceptTopic, Item, Layer, Section


@dataclass(frozen=True)
class Catalog:
    meta: CatalogMeta
    items: tuple[Item, ...]
    concepts: tuple[ConceptTopic, ...]
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
