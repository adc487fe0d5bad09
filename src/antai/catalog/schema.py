"""The catalog's data model: what a criteria item, a concept topic and the table of contents contain.

These models check the shape of each file. Checks that need the whole catalog or the reference lists
(unique IDs, known sections, real FISC/ASVS/MASVS/CWE IDs) live in :mod:`antai.catalog.loader`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from antai.catalog.conditions import AllOf, AnyOf, Condition, Facts

ITEM_ID_PATTERN = r"^[A-Z]{2,4}-\d{2,3}$"

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in Japanese (the reference) and English."""

    ja: NonEmptyStr
    en: NonEmptyStr

    def __call__(self, lang: Lang | str) -> str:
        return self.ja if lang == Lang.JA else self.en


class CIA(StrEnum):
    CONFIDENTIALITY = "confidentiality"
    INTEGRITY = "integrity"
    AVAILABILITY = "availability"


class Layer(StrEnum):
    PHYSICAL = "physical"
    INFRASTRUCTURE = "infrastructure"
    PLATFORM = "platform"
    APPLICATION = "application"
    USER_INTERFACE = "user_interface"
    DEVICE = "device"


class Responsibility(StrEnum):
    VENTURE = "venture"
    CLOUD = "cloud"
    SHARED = "shared"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Effort(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ReferenceKind(StrEnum):
    ASVS = "asvs"
    MASVS = "masvs"
    CWE = "cwe"
    IPA = "ipa"
    FSA = "fsa"


class Reference(_Strict):
    """An external reference by kind and real ID (checked against the lists in ``reference/``)."""

    kind: ReferenceKind
    id: NonEmptyStr


class Evidence(_Strict):
    text: Text
    automatable: bool = Field(description="Whether an automated check can produce this evidence")


class Applicability(_Strict):
    mandatory: bool = Field(description="true = applies in all cases (全ての場合)")
    when: Condition | None = Field(
        default=None, description="Condition on the service profile; required when not mandatory"
    )
    example: Text = Field(description="適用例: the situation in which the item matters")

    @model_validator(mode="after")
    def _condition_matches_mandatory(self) -> Applicability:
        if self.mandatory and self.when is not None:
            raise ValueError("a mandatory item applies in all cases: remove 'when'")
        if not self.mandatory and self.when is None:
            raise ValueError("a service-dependent item (mandatory: false) needs a 'when' condition")
        return self

    @property
    def condition(self) -> AnyOf | AllOf | Facts | None:
        return self.when


class Item(_Strict):
    """One criteria item (基準項目) of the guideline."""

    id: ItemId = Field(description="Stable ID, never reused for another item")
    chapter: int = Field(ge=1, description="Chapter number from catalog.yaml")
    section: Slug = Field(description="Section id within the chapter")
    title: Text
    objective: Text = Field(description="基準項目: the outcome the venture must reach")
    risk: Text = Field(description="想定リスク: the threat, how it happens and what is hurt")
    applicability: Applicability
    countermeasures: list[Text] = Field(min_length=1, description="対策事例")
    bad_examples: list[Text] = Field(description="悪例 (may be empty)")
    do: list[Text] = Field(min_length=1)
    dont: list[Text]
    evidence: list[Evidence] = Field(min_length=1, description="What shows the item is done")
    cia: list[CIA] = Field(min_length=1)
    layers: list[Layer] = Field(min_length=1)
    responsibility: Responsibility
    fisc: list[NonEmptyStr] = Field(description="FISC 安全対策基準 (13th edition) item IDs")
    references: list[Reference]
    technotes: list[NonEmptyStr] = Field(description="Related new-technology note IDs")
    checks: list[NonEmptyStr] = Field(description="Automated check IDs that give evidence")
    severity: Severity
    effort: Effort

    @model_validator(mode="after")
    def _no_repeats(self) -> Item:
        for name in ("cia", "layers", "fisc", "technotes", "checks"):
            values = [str(v) for v in getattr(self, name)]
            if len(set(values)) != len(values):
                raise ValueError(f"'{name}' lists a value twice")
        refs = [(r.kind, r.id) for r in self.references]
        if len(set(refs)) != len(refs):
            raise ValueError("'references' lists a reference twice")
        return self

    @property
    def mandatory(self) -> bool:
        return self.applicability.mandatory


class Section(_Strict):
    id: Slug
    title: Text


class Chapter(_Strict):
    number: int = Field(ge=1)
    slug: Slug
    title: Text
    summary: Text
    sections: list[Section] = Field(min_length=1)


class CatalogMeta(_Strict):
    """catalog.yaml: the catalog's version and table of contents."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    chapters: list[Chapter] = Field(min_length=1)


class ConceptTopic(_Strict):
    """One topic of the concept part (概念編)."""

    id: Slug
    order: int = Field(ge=1)
    title: Text
    summary: Text
    body: Text = Field(description="Markdown, one per language")
