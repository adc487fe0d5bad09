"""The checklist format: a bank questionnaire whose rows map to catalog items and organisation facts.

A checklist file is YAML (see ``builtin/api-connection.yaml``). Its questions are antai's own wording (or, for
a user's file, the user's), never a copy of a bank's official sheet; ``source`` says what it was built from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from antai.catalog.schema import ITEM_ID_PATTERN

_PRINTABLE = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=_PRINTABLE)]
RowId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
ChecklistId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
ItemRef = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]
FactPath = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d+(?:\.\d+){0,2}$")]

MAX_ROWS = 1000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words2(_Strict):
    """A text in Japanese (the reference) and English."""

    ja: Words
    en: Words

    def __call__(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class AnswerKind(StrEnum):
    YES_NO = "yes_no"
    YES_NO_EXPLAIN = "yes_no_explain"  # yes/no, and the explanation is what the bank reads
    TEXT = "text"  # the answer is the facts' values
    DATE = "date"  # the answer is a date among the facts


class ScopeTag(StrEnum):
    REFERENCE = "reference"  # 参照系 API
    UPDATE = "update"  # 更新系 API


class Row(_Strict):
    """One question: where it sits, what it asks, how it is answered, and what in antai answers it."""

    id: RowId
    section: Words2
    question: Words2
    answer: AnswerKind = AnswerKind.YES_NO_EXPLAIN
    items: list[ItemRef] = Field(default_factory=list, max_length=50, description="Catalog item IDs")
    facts: list[FactPath] = Field(
        default_factory=list, max_length=50, description="Organisation-fact dotted paths, e.g. governance.deputy"
    )
    scope: list[ScopeTag] = Field(default_factory=list, max_length=2, description="reference (参照系), update (更新系)")


class Checklist(_Strict):
    """A bank questionnaire as data."""

    id: ChecklistId
    title: Words2
    source: Words2 = Field(description="What it was built from; say plainly if the wording is your own")
    version: Version
    rows: list[Row] = Field(min_length=1, max_length=MAX_ROWS)
