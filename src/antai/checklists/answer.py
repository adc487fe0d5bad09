"""Answering a checklist from the assessment: per row yes / partial / no / not applicable, with what backs it.

Pure: the catalog, the plan, the assessment and today in; structured answers out (wording is the adapters').

A row's answer counts its mapped items that apply (in the plan) and its mapped facts. An item counts as met
when its effective status (expired acceptances and mandatory items declared not applicable count as not
implemented) is implemented or compensated, and as partly met when it is partial. A fact is met when it is
given in full, partly met when a record or register has some of its details missing. ``yes``: every one met;
``no``: none met or partly met; ``partial``: anything between; ``not_applicable``: no mapped item applies and
no fact is mapped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from antai.assessment.model import OrganisationFacts, Status
from antai.assessment.state import Assessment
from antai.catalog.model import Catalog
from antai.catalog.schema import Text
from antai.checklists.model import Checklist, Row
from antai.scoring.score import effective_status
from antai.tailoring.plan import Plan

MET = frozenset({Status.IMPLEMENTED, Status.COMPENSATED})


class RowAnswer(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


class FactState(StrEnum):
    GIVEN = "given"
    INCOMPLETE = "incomplete"  # a record or register with details missing
    MISSING = "missing"


class DeviationKind(StrEnum):
    NOT_APPLICABLE = "not_applicable"  # the venture declared the item not applicable (answer.reason)
    COMPENSATED = "compensated"  # met by another measure (compensated_by, reason)
    RISK_ACCEPTED = "risk_accepted"  # a decision carries the risk (its rationale)
    EXCLUDED = "excluded"  # the plan does not apply the item to this service (the plan's reasons)


@dataclass(frozen=True)
class Deviation:
    item: str
    kind: DeviationKind
    reason: str
    by: str | None = None  # the compensating item or note, or the decision's approver
    expires: dt.date | None = None  # of a risk-acceptance decision

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "kind": self.kind.value,
            "reason": self.reason,
            "by": self.by,
            "expires": self.expires.isoformat() if self.expires else None,
        }


@dataclass(frozen=True)
class ItemAnswer:
    id: str
    title: Text | None
    applies: bool
    status: Status | None  # effective status today; None when the item does not apply
    due: dt.date | None
    evidence: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.status in MET

    @property
    def partly(self) -> bool:
        return self.status == Status.PARTIAL

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "applies": self.applies,
            "status": self.status.value if self.status else None,
            "due": self.due.isoformat() if self.due else None,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class FactAnswer:
    path: str
    state: FactState
    value: Any  # as the facts model holds it (a model, a list, a plain value); None when missing
    missing: tuple[str, ...]  # the missing paths under it (itself when missing)
    evidence: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "state": self.state.value,
            "value": _plain(self.value),
            "missing": list(self.missing),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class AnsweredRow:
    row: Row
    answer: RowAnswer
    items: tuple[ItemAnswer, ...]
    facts: tuple[FactAnswer, ...]
    deviations: tuple[Deviation, ...]

    @property
    def evidence(self) -> tuple[str, ...]:
        """Every evidence ID behind the row, in ID order."""
        found = {e for i in self.items for e in i.evidence} | {e for f in self.facts for e in f.evidence}
        return tuple(sorted(found))

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return tuple(m for f in self.facts for m in f.missing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.row.id,
            "section": self.row.section.model_dump(),
            "question": self.row.question.model_dump(),
            "kind": self.row.answer.value,
            "scope": [s.value for s in self.row.scope],
            "answer": self.answer.value,
            "items": [i.as_dict() for i in self.items],
            "facts": [f.as_dict() for f in self.facts],
            "deviations": [d.as_dict() for d in self.deviations],
            "missing_facts": list(self.missing_facts),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class AnsweredChecklist:
    checklist: Checklist
    organisation: str
    catalog_version: str
    date: dt.date
    rows: tuple[AnsweredRow, ...]

    def counts(self) -> dict[RowAnswer, int]:
        return {kind: sum(1 for r in self.rows if r.answer == kind) for kind in RowAnswer}

    def as_dict(self) -> dict[str, Any]:
        return {
            "checklist": {
                "id": self.checklist.id,
                "title": self.checklist.title.model_dump(),
                "source": self.checklist.source.model_dump(),
                "version": self.checklist.version,
            },
            "organisation": self.organisation,
            "catalog_version": self.catalog_version,
            "date": self.date.isoformat(),
            "counts": {k.value: v for k, v in self.counts().items()},
            "rows": [r.as_dict() for r in self.rows],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def fact_answer(facts: OrganisationFacts, path: str, gaps: list[str], evidence: dict[str, list[str]]) -> FactAnswer:
    """One fact: given, incomplete or missing, its value, what is missing under it, and the evidence about it."""
    try:
        value = facts.value_at(path)
    except KeyError:  # a path the loader checked always exists; kept total for a user's own model
        value = None
    under = tuple(g for g in gaps if g == path or g.startswith(path + "."))
    ids = tuple(sorted({e for p, found in evidence.items() if p == path or p.startswith(path + ".") for e in found}))
    if value is None or path in under:
        return FactAnswer(path, FactState.MISSING, None, under or (path,), ids)
    return FactAnswer(path, FactState.INCOMPLETE if under else FactState.GIVEN, value, under, ids)


def _deviations(item_id: str, assessment: Assessment, plan: Plan, applies: bool) -> list[Deviation]:
    if not applies:
        excluded = next((e for e in plan.excluded if e.id == item_id), None)
        reasons = "; ".join(excluded.reasons) if excluded else ""
        return [Deviation(item_id, DeviationKind.EXCLUDED, reasons)]
    answer = assessment.answer(item_id)
    if answer.status == Status.NOT_APPLICABLE and answer.reason:
        return [Deviation(item_id, DeviationKind.NOT_APPLICABLE, answer.reason)]
    if answer.status == Status.COMPENSATED and answer.reason:
        return [Deviation(item_id, DeviationKind.COMPENSATED, answer.reason, answer.compensated_by)]
    if answer.status == Status.RISK_ACCEPTED:
        decision = assessment.acceptance_for(item_id)
        if decision is not None:
            return [
                Deviation(item_id, DeviationKind.RISK_ACCEPTED, decision.rationale, decision.approver, decision.expires)
            ]
    return []


def _verdict(items: list[ItemAnswer], facts: list[FactAnswer]) -> RowAnswer:
    counted = [(i.met, i.partly) for i in items if i.applies] + [
        (f.state == FactState.GIVEN, f.state == FactState.INCOMPLETE) for f in facts
    ]
    if not counted:
        return RowAnswer.NOT_APPLICABLE
    if all(met for met, _ in counted):
        return RowAnswer.YES
    if any(met or partly for met, partly in counted):
        return RowAnswer.PARTIAL
    return RowAnswer.NO


def answer_row(
    row: Row,
    catalog: Catalog,
    plan: Plan,
    assessment: Assessment,
    today: dt.date,
    *,
    gaps: list[str] | None = None,
    fact_evidence: dict[str, list[str]] | None = None,
) -> AnsweredRow:
    """One row answered (``gaps`` and ``fact_evidence`` may be passed in when answering many rows)."""
    if gaps is None:
        gaps = assessment.organisation.missing()
    if fact_evidence is None:
        fact_evidence = {p: [r.id for r in found] for p, found in assessment.fact_evidence().items()}
    items: list[ItemAnswer] = []
    deviations: list[Deviation] = []
    for item_id in row.items:
        planned = plan.get(item_id)
        found = catalog.item(item_id)
        title = found.title if found is not None else None
        applies = planned is not None
        status = effective_status(assessment, item_id, today, mandatory=planned.mandatory) if planned else None
        due = assessment.answer(item_id).due if applies else None
        ids = tuple(sorted(e.id for e in assessment.evidence_for(item_id))) if applies else ()
        items.append(ItemAnswer(item_id, title, applies, status, due, ids))
        deviations.extend(_deviations(item_id, assessment, plan, applies))
    facts = [fact_answer(assessment.organisation, path, gaps, fact_evidence) for path in row.facts]
    return AnsweredRow(row, _verdict(items, facts), tuple(items), tuple(facts), tuple(deviations))


def answer_checklist(
    checklist: Checklist, catalog: Catalog, plan: Plan, assessment: Assessment, today: dt.date
) -> AnsweredChecklist:
    """Every row of ``checklist`` answered from the assessment as it stands on ``today``."""
    gaps = assessment.organisation.missing()
    evidence = {p: [r.id for r in found] for p, found in assessment.fact_evidence().items()}
    rows = tuple(
        answer_row(row, catalog, plan, assessment, today, gaps=gaps, fact_evidence=evidence) for row in checklist.rows
    )
    return AnsweredChecklist(checklist, assessment.meta.organisation, catalog.version, today, rows)
