"""The loaded catalog: items in reading order, the concept part and the table of contents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, overload

from pydantic import BaseModel, ConfigDict

from antai.catalog.schema import (
    CIA,
    Applicability,
    CatalogMeta,
    Changelog,
    Chapter,
    ConceptTopic,
    CsfFunction,
    Effort,
    FiscEntry,
    FiscIndexMeta,
    Item,
    ItemLevel,
    Layer,
    Section,
    Severity,
    TechNote,
    effort_of,
)


class ItemFacts(Protocol):
    """What tailoring reads of an item: its place, when it applies, how bad its absence is, its cost."""

    @property
    def id(self) -> str: ...
    @property
    def chapter(self) -> int: ...
    @property
    def applicability(self) -> Applicability: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def effort(self) -> Effort: ...
    @property
    def cia(self) -> Sequence[CIA]: ...
    @property
    def layers(self) -> Sequence[Layer]: ...
    @property
    def mandatory(self) -> bool: ...
    @property
    def effort_days(self) -> tuple[float, float]: ...
    @property
    def csf(self) -> CsfFunction: ...
    @property
    def level(self) -> ItemLevel: ...
    @property
    def depends_on(self) -> Sequence[str]: ...


class ItemRule(BaseModel):
    """An item's :class:`ItemFacts` alone, kept beside the full items in the cache: every command plans
    over all items, but most commands read the full text of only a few."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    chapter: int
    applicability: Applicability
    severity: Severity
    effort_days: tuple[float, float]
    cia: list[CIA]
    layers: list[Layer]
    csf: CsfFunction
    level: ItemLevel
    depends_on: list[str] = []

    @property
    def mandatory(self) -> bool:
        return self.applicability.mandatory

    @property
    def effort(self) -> Effort:
        return effort_of(self.effort_days)

    @staticmethod
    def of(item: Item) -> ItemRule:
        return ItemRule(
            id=item.id,
            chapter=item.chapter,
            applicability=item.applicability,
            severity=item.severity,
            effort_days=item.effort_days,
            cia=item.cia,
            layers=item.layers,
            csf=item.csf,
            level=item.level,
            depends_on=item.depends_on,
        )


class LazyItems(Sequence[Item]):
    """Items validated from their cached JSON when first read, one by one. The JSON itself is read only
    when the first item is (``raw`` may be a function that reads it): most commands never need it."""

    def __init__(self, raw: Sequence[str] | Callable[[], Sequence[str]], rules: Sequence[ItemRule]) -> None:
        self._source = raw
        self._raw: list[str] | None = None
        self.rules = tuple(rules)
        self._done: list[Item | None] = [None] * len(self.rules)

    def _texts(self) -> list[str]:
        if self._raw is None:
            texts = list(self._source() if callable(self._source) else self._source)
            if len(texts) != len(self.rules):
                raise ValueError("the cache lists different items and rules")
            self._raw = texts
        return self._raw

    def __len__(self) -> int:
        return len(self.rules)

    def _one(self, index: int) -> Item:
        found = self._done[index]
        if found is None:
            found = Item.model_validate_json(self._texts()[index])
            if found.id != self.rules[index].id:
                raise ValueError("the cache lists items out of order")
            self._done[index] = found
        return found

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        if isinstance(index, slice):
            return [self._one(i) for i in range(*index.indices(len(self)))]
        return self._one(range(len(self))[index])

    def __iter__(self) -> Iterator[Item]:
        return (self._one(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:  # equal to a tuple of the same items, as the eager catalog has
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


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
    items: Sequence[Item]
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

    @property
    def rules(self) -> Sequence[ItemFacts]:
        """Every item's facts for tailoring, in reading order, without reading its text."""
        if isinstance(self.items, LazyItems):
            return self.items.rules
        return self.items

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def item(self, item_id: str) -> Item | None:
        position = self._positions.get(item_id.strip().upper())
        return None if position is None else self.items[position]

    def rule(self, item_id: str) -> ItemFacts | None:
        """An item's facts for tailoring and scoring, without reading (or validating) its text."""
        position = self._positions.get(item_id.strip().upper())
        return None if position is None else self.rules[position]

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
    def _positions(self) -> dict[str, int]:
        cached: dict[str, int] | None = self.__dict__.get("_index")
        if cached is None:
            cached = {rule.id: n for n, rule in enumerate(self.rules)}
            object.__setattr__(self, "_index", cached)  # a frozen dataclass: memoised by hand
        return cached
