"""An assessment as a whole, and the rules that need more than one part of it to check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from antai.assessment.model import (
    FACT_PREFIX,
    Acceptance,
    Answer,
    ArchivedAnswer,
    DecisionKind,
    EvidenceKind,
    EvidenceRecord,
    OrganisationFacts,
    Status,
    WorkspaceMeta,
    fact_path_exists,
)
from antai.assessment.verdicts import FindingStatus
from antai.catalog import Catalog
from antai.tailoring.plan import Plan
from antai.tailoring.profile import Profile

EVIDENCE_PREFIX = "evidence/files/"


class Part(StrEnum):
    """The separately stored parts of an assessment. Stores map them to files, rows or keys."""

    META = "meta"
    PROFILE = "profile"
    ANSWERS = "answers"
    DECISIONS = "decisions"
    ORGANISATION = "organisation"
    EVIDENCE = "evidence"
    ARCHIVE = "archive"
    LOCK = "lock"  # the catalog items the assessment was made against


@dataclass(frozen=True)
class Issue:
    """A rule broken across parts: which part, where in it (a path of keys), a code and its values."""

    part: Part
    loc: tuple[str | int, ...]
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _ISSUE_TEXT[self.code].format(**self.params)


_ISSUE_TEXT = {
    "unknown_item": "{item} is not an item of catalog {version}",
    "not_in_plan": "{item} does not apply to this profile (see `antai plan --profile profile.yaml` in the workspace)",
    "no_decision": "{item} is risk_accepted but no decision backs it: set another status, or record one "
    "with `antai accept`",
    "no_decision_na": "{item} applies in all cases; declaring it not applicable needs a recorded decision "
    "(`antai set {item} --status not_applicable --reason … --approver … --expires …`)",
    "self_compensation": "an item cannot compensate itself",
    "unknown_compensation": "'{target}' is neither an item nor a new-technology note",
    "decision_unknown_item": "no item {item}",
    "evidence_unknown_item": "no item {item}",
    "evidence_unknown_fact": "no organisation fact or register entry {fact}",
    "evidence_path": "{id} must point to a file under evidence/files/, not {path}",
    "duplicate_evidence": "evidence ID {id} is used twice",
    "missing_answers": "no entry for {count} applicable item(s): {items} (`antai record -m …` adds them, unanswered)",
}


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

    def decision_for(self, item_id: str, kind: DecisionKind) -> Acceptance | None:
        """The latest decision of a kind for an item (decisions are appended, never rewritten): the one decided
        last, and of those decided on the same day the one recorded last."""
        found = [a for a in self.acceptances if a.item == item_id and a.kind == kind]
        return max(reversed(found), key=lambda a: a.decided) if found else None

    def acceptance_for(self, item_id: str) -> Acceptance | None:
        """The latest risk-acceptance decision for an item."""
        return self.decision_for(item_id, DecisionKind.RISK_ACCEPTANCE)

    def current_decisions(self) -> list[Acceptance]:
        """Decisions that back an item's present status (a later status change supersedes a decision)."""
        wanted = {
            Status.RISK_ACCEPTED: DecisionKind.RISK_ACCEPTANCE,
            Status.NOT_APPLICABLE: DecisionKind.NOT_APPLICABLE,
        }
        current = []
        for item_id, answer in self.answers.items():
            kind = wanted.get(answer.status)
            decision = self.decision_for(item_id, kind) if kind else None
            if decision is not None:
                current.append(decision)
        return current

    def evidence_for(self, item_id: str) -> list[EvidenceRecord]:
        return [e for e in self.evidence if e.item == item_id and e.current]

    def failing_scans(self, item_id: str, today: dt.date) -> list[EvidenceRecord]:
        """The item's automated evidence whose latest scan fails and is not stale: what contradicts a claim
        that the item is implemented (a stale scan may have seen what was fixed since)."""
        return [
            e
            for e in self.evidence_for(item_id)
            if e.scan is not None and e.scan.result == FindingStatus.FAIL and e.expires >= today
        ]

    def fact_evidence(self) -> dict[str, list[EvidenceRecord]]:
        """Current evidence about organisation facts, by the fact's dotted path."""
        found: dict[str, list[EvidenceRecord]] = {}
        for record in self.evidence:
            if record.current and record.item.startswith(FACT_PREFIX):
                found.setdefault(record.item.removeprefix(FACT_PREFIX), []).append(record)
        return found


def check(assessment: Assessment, catalog: Catalog, plan: Plan) -> list[Issue]:
    """Rules across parts: answers match the plan, decisions back deviations, references exist."""
    issues: list[Issue] = []
    planned = plan.ids
    note_ids = {n.id for n in catalog.technotes}
    for item_id, answer in assessment.answers.items():
        where = (item_id,)
        item = catalog.item(item_id)
        if item is None:
            issues.append(Issue(Part.ANSWERS, where, "unknown_item", {"item": item_id, "version": catalog.version}))
            continue
        if item_id not in planned and answer.status != Status.UNANSWERED:
            issues.append(Issue(Part.ANSWERS, where, "not_in_plan", {"item": item_id}))
        if answer.status == Status.RISK_ACCEPTED and assessment.acceptance_for(item_id) is None:
            issues.append(Issue(Part.ANSWERS, (*where, "status"), "no_decision", {"item": item_id}))
        if (
            answer.status == Status.NOT_APPLICABLE
            and item.mandatory
            and assessment.decision_for(item_id, DecisionKind.NOT_APPLICABLE) is None
        ):
            issues.append(Issue(Part.ANSWERS, (*where, "status"), "no_decision_na", {"item": item_id}))
        if answer.compensated_by:
            target = answer.compensated_by
            if target == item_id:
                issues.append(Issue(Part.ANSWERS, (*where, "compensated_by"), "self_compensation"))
            elif catalog.item(target) is None and target not in note_ids:
                issues.append(
                    Issue(Part.ANSWERS, (*where, "compensated_by"), "unknown_compensation", {"target": target})
                )
    missing = sorted(i for i in planned if i not in assessment.answers)
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        issues.append(Issue(Part.ANSWERS, (), "missing_answers", {"count": len(missing), "items": shown}))
    for n, acceptance in enumerate(assessment.acceptances):
        if catalog.item(acceptance.item) is None:
            issues.append(
                Issue(Part.DECISIONS, ("acceptances", n, "item"), "decision_unknown_item", {"item": acceptance.item})
            )
    seen: set[str] = set()
    for n, record in enumerate(assessment.evidence):
        if record.item.startswith(FACT_PREFIX):
            if not fact_path_exists(assessment.organisation, record.item.removeprefix(FACT_PREFIX)):
                issues.append(
                    Issue(Part.EVIDENCE, ("evidence", n, "item"), "evidence_unknown_fact", {"fact": record.item})
                )
        elif catalog.item(record.item) is None:
            issues.append(Issue(Part.EVIDENCE, ("evidence", n, "item"), "evidence_unknown_item", {"item": record.item}))
        if record.kind == EvidenceKind.FILE and not evidence_path_ok(record.path):
            issues.append(
                Issue(Part.EVIDENCE, ("evidence", n, "path"), "evidence_path", {"id": record.id, "path": record.path})
            )
        if record.id in seen:
            issues.append(Issue(Part.EVIDENCE, ("evidence", n, "id"), "duplicate_evidence", {"id": record.id}))
        seen.add(record.id)
    return issues


def evidence_path_ok(path: str | None) -> bool:
    """A stored evidence file lives directly under evidence/files/, with a plain name (no way out)."""
    if not path or not path.startswith(EVIDENCE_PREFIX):
        return False
    name = path.removeprefix(EVIDENCE_PREFIX)
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..") and "\x00" not in name


def today() -> dt.date:
    return dt.date.today()
