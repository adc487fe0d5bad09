"""The self-assessment: answers per applicable item, risk-acceptance decisions, evidence, organisation facts.

These are plain data with their rules; reading and writing them as files is the workspace adapter's job.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from antai.catalog.schema import ITEM_ID_PATTERN

ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]
# Limits keep a pasted log or a hostile edit from making every rendering crawl; they are generous for
# what a person writes by hand.
# No control characters but tab and newline: YAML would have to write them as escapes, which the readers
# refuse (and which could rewrite a terminal that shows the value).
PRINTABLE = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=PRINTABLE)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE)]

# The workspace format this antai writes. A workspace with a higher number was written by a newer antai
# and is refused rather than silently rewritten in the older format.
WORKSPACE_FORMAT = 2


class Status(StrEnum):
    UNANSWERED = "unanswered"
    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    PLANNED = "planned"  # needs a due date
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"  # needs a reason
    RISK_ACCEPTED = "risk_accepted"  # needs a decision (rationale, approver, date, expiry)
    COMPENSATED = "compensated"  # needs the compensating item or new-technology note, and a reason


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    status: Status = Status.UNANSWERED
    owner: Name | None = None
    due: dt.date | None = Field(default=None, description="When a planned item will be done")
    reason: Text | None = Field(default=None, description="Why not applicable, or why the compensation is enough")
    compensated_by: Text | None = Field(default=None, description="Item ID or new-technology note ID")
    note: Text | None = None
    review: bool = Field(default=False, description="The item changed in a catalog upgrade: check the answer")
    updated: dt.date | None = None

    @model_validator(mode="after")
    def _status_rules(self) -> Answer:
        if self.status == Status.PLANNED and self.due is None:
            raise ValueError("a planned item needs a due date (due: YYYY-MM-DD)")
        if self.status == Status.NOT_APPLICABLE and not self.reason:
            raise ValueError("'not_applicable' needs a reason")
        if self.status == Status.COMPENSATED and not (self.compensated_by and self.reason):
            raise ValueError("'compensated' needs compensated_by (an item or new-technology note) and a reason")
        return self


class DecisionKind(StrEnum):
    RISK_ACCEPTANCE = "risk_acceptance"  # the item applies; its risk is carried instead of treated
    NOT_APPLICABLE = "not_applicable"  # a mandatory item declared not applicable: a deviation too


class Acceptance(_Strict):
    """A recorded, reasoned decision with an approver and an expiry (R7): accepting a risk instead of
    implementing an item, or declaring a mandatory item not applicable."""

    item: ItemId
    kind: DecisionKind = DecisionKind.RISK_ACCEPTANCE
    rationale: Text
    approver: Name
    decided: dt.date
    expires: dt.date

    @model_validator(mode="after")
    def _expiry_after_decision(self) -> Acceptance:
        if self.expires <= self.decided:
            raise ValueError("a decision must expire after the date it was made")
        return self

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


class EvidenceKind(StrEnum):
    FILE = "file"
    URL = "url"


class EvidenceRecord(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^E\d{4,}$")]
    item: ItemId
    kind: EvidenceKind
    path: str | None = Field(default=None, description="File under evidence/files/, for kind file")
    url: str | None = Field(default=None, description="Link, for kind url")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    name: Text
    added_by: Name
    added_at: dt.datetime
    effective_from: dt.date = Field(description="The date the evidence shows the state of (≠ upload date)")
    expires: dt.date
    note: Text | None = None
    withdrawn: dt.date | None = Field(default=None, description="When the record was withdrawn (kept for the record)")
    withdrawn_by: Name | None = None
    withdrawn_reason: Text | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> EvidenceRecord:
        if self.kind == EvidenceKind.FILE and not (self.path and self.sha256):
            raise ValueError("file evidence needs path and sha256")
        if self.kind == EvidenceKind.URL and not self.url:
            raise ValueError("link evidence needs a url")
        if self.expires < self.effective_from:
            raise ValueError("evidence cannot expire before it is effective")
        if self.withdrawn is not None and not self.withdrawn_reason:
            raise ValueError("withdrawn evidence needs a withdrawn_reason")
        return self

    @property
    def current(self) -> bool:
        return self.withdrawn is None


class Contact(_Strict):
    name: Name | None = None
    email: Name | None = None
    phone: Name | None = None


class Outsourcee(_Strict):
    name: Name
    service: Text = Field(description="What they do for the venture")


class OrganisationFacts(_Strict):
    """What partner banks ask first, before any criteria item. Missing facts are reported as gaps."""

    registration: Text | None = Field(
        default=None, description="Registration status, e.g. 電子決済等代行業者 関東財務局長 第N号"
    )
    security_owner: Name | None = Field(default=None, description="Named person responsible for security")
    security_owner_authority: Text | None = Field(default=None, description="What they may decide and stop")
    security_policy: Text | None = Field(default=None, description="Title of the security policy document")
    security_policy_date: dt.date | None = None
    incident_contact: Contact | None = None
    inquiry_contact: Contact | None = None
    outsourcees: list[Outsourcee] | None = None
    compensation_policy: Text | None = Field(default=None, description="How customers are compensated for losses")
    staff_count: int | None = Field(default=None, ge=1)
    security_training: Text | None = Field(default=None, description="What training, how often, last held")

    def missing(self) -> list[str]:
        return [name for name in type(self).model_fields if getattr(self, name) in (None, [])]


class WorkspaceMeta(_Strict):
    """antai.yaml: the workspace itself."""

    organisation: Name
    catalog_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    languages: list[Annotated[str, StringConstraints(pattern=r"^(ja|en)$")]] = Field(
        default_factory=lambda: ["ja", "en"]
    )
    created: dt.date
    format: int = Field(default=1, ge=1, description="Workspace format; a newer antai writes a higher number")


class AnswersFile(_Strict):
    answers: dict[ItemId, Answer] = Field(default_factory=dict)


class DecisionsFile(_Strict):
    acceptances: list[Acceptance] = Field(default_factory=list)


class EvidenceIndex(_Strict):
    evidence: list[EvidenceRecord] = Field(default_factory=list)


class ArchiveCause(StrEnum):
    CATALOG = "catalog"  # a catalog upgrade removed the item
    PROFILE = "profile"  # a profile change made the item stop applying


class ArchivedAnswer(_Strict):
    item: ItemId
    title: Text
    removed_in: str
    answer: Answer
    cause: ArchiveCause = ArchiveCause.CATALOG
    archived: dt.date | None = None


class ArchiveFile(_Strict):
    archived: list[ArchivedAnswer] = Field(default_factory=list)
