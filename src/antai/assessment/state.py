"""An assessment as a whole, and the rules that need more than one file to check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from antai.assessment.model import (
    Acceptance,
    Answer,
    ArchivedAnswer,
    EvidenceRecord,
    OrganisationFacts,
    Status,
    WorkspaceMeta,
)
from antai.catalog import Catalog
from antai.tailoring.plan import Plan
from antai.tailoring.profile import Profile


@dataclass(frozen=True)
class Finding:
    """A rule broken across files: where (file and YAML path) and what."""

    file: str
    loc: tuple[str | int, ...]
    message: str


@dataclass
class Assessment:
    meta: WorkspaceMeta
    profile: Profile
    answers: dict[str, Answer]
    acceptances: list[Acceptance] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    organisation: OrganisationFacts = field(default_factory=OrganisationFacts)
    archive: list[ArchivedAnswer] = field(default_factory=list)

    def answer(self, item_id: str) -> Answer:
        return self.answers.get(item_id) or Answer()

    def acceptance_for(self, item_id: str) -> Acceptance | None:
        """The latest decision for an item (decisions are appended, never rewritten)."""
        found = [a for a in self.acceptances if a.item == item_id]
        return max(found, key=lambda a: a.decided) if found else None

    def evidence_for(self, item_id: str) -> list[EvidenceRecord]:
        return [e for e in self.evidence if e.item == item_id]


def check(assessment: Assessment, catalog: Catalog, plan: Plan) -> list[Finding]:
    """Rules across files: answers match the plan, decisions back acceptances, references exist."""
    findings: list[Finding] = []
    planned = plan.ids
    note_ids = {n.id for n in catalog.technotes}
    for item_id, answer in assessment.answers.items():
        where = ("answers", item_id)
        if catalog.item(item_id) is None:
            findings.append(Finding("answers.yaml", where, f"{item_id} is not an item of catalog {catalog.version}"))
            continue
        if item_id not in planned and answer.status != Status.UNANSWERED:
            findings.append(
                Finding("answers.yaml", where, f"{item_id} does not apply to this profile (see `antai plan`)")
            )
        if answer.status == Status.RISK_ACCEPTED and assessment.acceptance_for(item_id) is None:
            findings.append(
                Finding(
                    "answers.yaml",
                    (*where, "status"),
                    f"{item_id} is risk_accepted but decisions.yaml has no decision for it: use `antai accept`",
                )
            )
        if answer.compensated_by:
            target = answer.compensated_by
            if target == item_id:
                findings.append(Finding("answers.yaml", (*where, "compensated_by"), "an item cannot compensate itself"))
            elif catalog.item(target) is None and target not in note_ids:
                findings.append(
                    Finding(
                        "answers.yaml",
                        (*where, "compensated_by"),
                        f"'{target}' is neither an item nor a new-technology note",
                    )
                )
    for n, acceptance in enumerate(assessment.acceptances):
        if catalog.item(acceptance.item) is None:
            findings.append(Finding("decisions.yaml", ("acceptances", n, "item"), f"no item {acceptance.item}"))
    for n, record in enumerate(assessment.evidence):
        if catalog.item(record.item) is None:
            findings.append(Finding("evidence/index.yaml", ("evidence", n, "item"), f"no item {record.item}"))
    return findings


def today() -> dt.date:
    return dt.date.today()
