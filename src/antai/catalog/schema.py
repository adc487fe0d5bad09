"""The catalog's data model: what a criteria item, a concept topic and the table of contents contain.

These models check the shape of each file. Checks that need the whole catalog or the reference lists
(unique IDs, known sections, real FISC/ASVS/MASVS/CWE IDs) live in :mod:`antai.catalog.loader`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from antai.catalog.conditions import AllOf, AnyOf, Condition, Facts

ITEM_ID_PATTERN = r"^[A-Z]{2,4}-\d{2,3}$"

# The longest shipped text (a concept body) has 2,800 characters; the bound keeps a hostile extension
# item from turning every listing into minutes of terminal rendering
MAX_TEXT = 20_000
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# strict: `true` or "3" in a catalog file is a typo, not a number of days
PersonDays = Annotated[float, Field(strict=True)]


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


class _Strict(BaseModel):
    # validators are built on first use: most commands read only a few kinds of catalog model
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


class CsfFunction(StrEnum):
    """NIST CSF 2.0 functions: the item's main one."""

    GOVERN = "GV"
    IDENTIFY = "ID"
    PROTECT = "PR"
    DETECT = "DE"
    RESPOND = "RS"
    RECOVER = "RC"


class ItemLevel(StrEnum):
    """Baseline (every venture it applies to) or advanced (desirable), as the FSA 2024 guideline splits
    基本対応事項 and 対応が望ましい事項."""

    BASELINE = "baseline"
    ADVANCED = "advanced"


# person-days for a team of a few engineers: at most this much is "low" effort, then "medium"
EFFORT_LOW_DAYS = 3.0
EFFORT_MEDIUM_DAYS = 10.0
MAX_EFFORT_DAYS = 250.0


def effort_of(days: tuple[float, float]) -> Effort:
    """The effort class of a person-day range, from its upper bound."""
    top = days[1]
    if top <= EFFORT_LOW_DAYS:
        return Effort.LOW
    if top <= EFFORT_MEDIUM_DAYS:
        return Effort.MEDIUM
    return Effort.HIGH


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
    fisc_unverified: list[NonEmptyStr] = Field(
        default_factory=list,
        description="FISC IDs cited although the index does not identify their topic: shown as unverified",
    )
    references: list[Reference]
    technotes: list[NonEmptyStr] = Field(description="Related new-technology note IDs")
    checks: list[NonEmptyStr] = Field(description="Automated check IDs that give evidence")
    severity: Severity
    effort_days: tuple[PersonDays, PersonDays] = Field(
        description="Person-days to reach the objective for a small team, as [least, most]"
    )
    csf: CsfFunction = Field(description="NIST CSF 2.0 function (GV, ID, PR, DE, RS, RC)")
    level: ItemLevel = Field(description="baseline (基本) or advanced (望ましい)")
    depends_on: list[ItemId] = Field(
        default_factory=list, description="Items that must be in place first (they are planned no later)"
    )

    @model_validator(mode="after")
    def _no_repeats(self) -> Item:
        low, high = self.effort_days
        if not 0 < low <= high <= MAX_EFFORT_DAYS:
            raise ValueError(f"effort_days must be [least, most] with 0 < least ≤ most ≤ {MAX_EFFORT_DAYS:g}")
        if self.id in self.depends_on:
            raise ValueError("an item cannot depend on itself")
        if set(self.fisc) & set(self.fisc_unverified):
            raise ValueError("a FISC ID is either verified ('fisc') or not ('fisc_unverified'), not both")
        for name in ("cia", "layers", "fisc", "fisc_unverified", "technotes", "checks", "depends_on"):
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

    @property
    def effort(self) -> Effort:
        return effort_of(self.effort_days)


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


class TechNoteRelation(StrEnum):
    SATISFIES = "satisfies"  # meets the item's objective by itself
    SUBSTITUTES = "substitutes"  # replaces the item's literal measure, under the note's conditions
    SUPPORTS = "supports"  # makes the item cheaper or stronger, but does not meet it alone


class TechNoteLink(_Strict):
    item: ItemId
    relation: TechNoteRelation
    note: Text = Field(description="How the technique meets (or helps with) this item")


class TechNote(_Strict):
    """A new-technology note (R6): a technique that reaches a FISC-style measure's intent at lower cost."""

    id: Slug
    title: Text
    summary: Text = Field(description="One sentence")
    how_it_works: Text = Field(description="Markdown")
    risks_reduced: list[Text] = Field(min_length=1)
    satisfies: list[TechNoteLink] = Field(min_length=1, description="antai items it satisfies or substitutes for")
    fisc: list[NonEmptyStr] = Field(description="FISC IDs whose intent it meets")
    conditions: list[Text] = Field(min_length=1, description="When the equivalence holds")
    evidence: list[Text] = Field(min_length=1, description="What shows the technique is in place")


class FiscHandling(StrEnum):
    INCLUDED = "included"  # ○
    RISK_BASED = "risk_based"  # △
    EXCLUDED = "excluded"  # ×
    VACANT = "vacant"  # the number is not used in the edition

    @property
    def mark(self) -> str:
        return {"included": "○", "risk_based": "△", "excluded": "×", "vacant": "—"}[self.value]


class FiscClass(StrEnum):
    """The five-way classification of SPEC §3 (seed section 3.2), plus two classes for rows it cannot sort."""

    ORGANISATION = "organisation"  # asks about the venture's organisation → ×
    DIRECT_MINIMUM = "direct_minimum"  # minimum for any system / own implementation → ○
    DIRECT_RISK_BASED = "direct_risk_based"  # depends on each company's risk → △
    CLOUD_STANDARD = "cloud_standard"  # standard functions of the cloud provider → ×
    CLOUD_ALIGNMENT = "cloud_alignment"  # check the cloud fits the company's risk → △
    NOT_APPLICABLE = "not_applicable"  # about branches or ATMs, which a venture does not run → ×
    UNIDENTIFIED = "unidentified"  # the public indexes name no topic: not handled until checked → ×

    @property
    def handling(self) -> FiscHandling:
        return {
            "organisation": FiscHandling.EXCLUDED,
            "direct_minimum": FiscHandling.INCLUDED,
            "direct_risk_based": FiscHandling.RISK_BASED,
            "cloud_standard": FiscHandling.EXCLUDED,
            "cloud_alignment": FiscHandling.RISK_BASED,
            "not_applicable": FiscHandling.EXCLUDED,
            "unidentified": FiscHandling.EXCLUDED,
        }[self.value]


class FiscEntry(_Strict):
    """One row of the FISC traceability matrix."""

    id: NonEmptyStr
    topic: Text | None = Field(
        default=None, description="Our own short paraphrase; absent when the index names no topic (unidentified)"
    )
    handling: FiscHandling
    classification: FiscClass | None = Field(default=None, description="Required except for vacant numbers")
    reason: Text = Field(description="One line: why this handling")
    items: list[ItemId] = Field(default_factory=list, description="antai items that cover it")

    @model_validator(mode="after")
    def _consistent(self) -> FiscEntry:
        if self.handling == FiscHandling.VACANT:
            if self.classification is not None or self.items:
                raise ValueError("a vacant number has no classification and no items")
            return self
        if self.classification is None:
            raise ValueError("every FISC row except a vacant number needs a classification")
        if self.classification == FiscClass.UNIDENTIFIED and self.topic is not None:
            raise ValueError("a row with a topic is not 'unidentified': give it one of the other classes")
        if self.classification.handling != self.handling:
            raise ValueError(
                f"classification '{self.classification.value}' means handling "
                f"'{self.classification.handling.value}', not '{self.handling.value}' (SPEC §3)"
            )
        if self.handling in (FiscHandling.INCLUDED, FiscHandling.RISK_BASED) and not self.items:
            raise ValueError("an included (○) or risk-based (△) FISC item must name the antai items that cover it")
        if self.handling in (FiscHandling.INCLUDED, FiscHandling.RISK_BASED) and self.topic is None:
            raise ValueError("a FISC number whose topic is unidentified cannot be included (○) or risk-based (△)")
        return self


class FiscMatrixFile(_Strict):
    """fisc/<category>.yaml: rows of the matrix."""

    entries: list[FiscEntry] = Field(min_length=1)


class FiscIndexMeta(_Strict):
    """fisc/index.yaml: what the FISC index is and where its numbers come from."""

    edition: int = Field(ge=1)
    provenance: Text


Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]


class ReleasedId(_Strict):
    since: Version = Field(description="Catalog version that first released the ID")
    chapter: int = Field(ge=1)
    section: Slug
    withdrawn: Version | None = Field(default=None, description="Version that removed the item; never reused")


class IdRegistry(_Strict):
    """ids.yaml: every item ID ever released, so that no ID is ever reused for a different item."""

    ids: dict[ItemId, ReleasedId]


class Release(_Strict):
    version: Version
    date: dt.date
    notes: list[Text] = Field(min_length=1)


class Changelog(_Strict):
    """changelog.yaml: the content changelog, newest release first."""

    releases: list[Release] = Field(min_length=1)
