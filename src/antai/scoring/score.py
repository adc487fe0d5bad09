"""Scores, coverage and ranked gaps of an assessment against its plan.

Formula (docs/scoring.md, which is the reference):
- each applicable item i has a weight w_i from its priority: P1 = 4, P2 = 3, P3 = 2, P4 = 1;
- and a credit s_i from its status today: implemented or compensated 1.0; partial 0.5; everything else 0
  (planned, not implemented, unanswered, risk accepted — an accepted risk is a reasoned deviation, not a
  control — an acceptance past its expiry, and a mandatory item answered not applicable);
- a conditional item answered not_applicable (with a reason) leaves the denominator; a mandatory one cannot;
- score = 100 × Σ w_i s_i / Σ w_i over all items, a chapter, a CIA property or a layer; None when Σ w_i = 0.
Mandatory coverage = share of mandatory items implemented or compensated; None when there are none.

The core returns structured reasons (``GapReason``) and dates; the wording lives where it is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from antai.assessment.model import Answer, EvidenceRecord, Status
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.catalog.model import ItemFacts
from antai.catalog.schema import CIA, Layer
from antai.tailoring.plan import Plan

PRIORITY_WEIGHT = {1: 4, 2: 3, 3: 2, 4: 1}
CREDIT = {Status.IMPLEMENTED: 1.0, Status.COMPENSATED: 1.0, Status.PARTIAL: 0.5}
DONE = frozenset(s for s, credit in CREDIT.items() if credit == 1.0)


class GapReason(StrEnum):
    """Why an item is a gap. Stable keys: the JSON report publishes them."""

    ACCEPTANCE_EXPIRED = "acceptance_expired"
    ACCEPTANCE_MISSING = "acceptance_missing"
    MANDATORY_NOT_APPLICABLE = "mandatory_not_applicable"
    OVERDUE = "overdue"
    UNANSWERED = "unanswered"
    NOT_IMPLEMENTED = "not_implemented"
    PLANNED = "planned"
    PARTIAL = "partial"


# Within a priority, worst first. Rank 0: nothing is in place *and* the record says otherwise (a lapsed
# acceptance, a missed due date, a mandatory item declared away) — a bank reviewer asks about these first.
GAP_RANK = {
    GapReason.ACCEPTANCE_EXPIRED: 0,
    GapReason.ACCEPTANCE_MISSING: 0,
    GapReason.MANDATORY_NOT_APPLICABLE: 0,
    GapReason.OVERDUE: 0,
    GapReason.UNANSWERED: 1,
    GapReason.NOT_IMPLEMENTED: 1,
    GapReason.PLANNED: 2,
    GapReason.PARTIAL: 3,
}
# the gap an ordinary status is, once the special cases above are ruled out
_STATUS_GAP = {
    Status.UNANSWERED: GapReason.UNANSWERED,
    Status.NOT_IMPLEMENTED: GapReason.NOT_IMPLEMENTED,
    Status.PLANNED: GapReason.PLANNED,
    Status.PARTIAL: GapReason.PARTIAL,
}


@dataclass(frozen=True)
class Gap:
    id: str
    priority: int
    status: Status  # the effective status
    reason: GapReason
    due: dt.date | None = None  # the planned date, for planned and overdue items

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "priority": self.priority,
            "status": self.status.value,
            "reason": self.reason.value,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass(frozen=True)
class Score:
    score: float | None  # 0–100; None when no item counts
    items: int  # items in the denominator
    done: int  # implemented or compensated

    def as_dict(self) -> dict[str, Any]:
        return {"score": None if self.score is None else round(self.score, 1), "items": self.items, "done": self.done}


@dataclass(frozen=True)
class Scores:
    overall: Score
    mandatory_coverage: float | None  # 0–100; None when the plan has no mandatory item
    mandatory_total: int
    mandatory_done: int
    by_chapter: dict[int, Score]
    by_cia: dict[str, Score]
    by_layer: dict[str, Score]
    status_counts: dict[str, int]
    gaps: list[Gap]
    expired_evidence: list[str] = field(default_factory=list)  # evidence IDs
    expired_acceptances: list[str] = field(default_factory=list)  # item IDs
    overdue: list[str] = field(default_factory=list)  # planned items past their due date
    review: list[str] = field(default_factory=list)  # flagged by a catalog upgrade
    contradicted: list[str] = field(default_factory=list)  # claimed implemented, the latest scan fails
    stale_automated: list[str] = field(default_factory=list)  # automated evidence IDs past their date

    def as_dict(self) -> dict[str, Any]:
        coverage = self.mandatory_coverage
        return {
            "overall": self.overall.as_dict(),
            "mandatory_coverage": {
                "percent": None if coverage is None else round(coverage, 1),
                "done": self.mandatory_done,
                "total": self.mandatory_total,
            },
            "by_chapter": {str(k): v.as_dict() for k, v in self.by_chapter.items()},
            "by_cia": {k: v.as_dict() for k, v in self.by_cia.items()},
            "by_layer": {k: v.as_dict() for k, v in self.by_layer.items()},
            "status_counts": self.status_counts,
            "gaps": [g.as_dict() for g in self.gaps],
            "flags": {
                "expired_evidence": self.expired_evidence,
                "expired_acceptances": self.expired_acceptances,
                "overdue": self.overdue,
                "review": self.review,
                "contradicted": self.contradicted,
                "stale_automated": self.stale_automated,
            },
        }


def effective_status(assessment: Assessment, item_id: str, today: dt.date, *, mandatory: bool = False) -> Status:
    """The status that counts today.

    An acceptance that expired (or has no decision) no longer covers its item, and a mandatory item cannot be
    declared not applicable: both count as not implemented.
    """
    answer = assessment.answer(item_id)
    if answer.status == Status.RISK_ACCEPTED:
        decision = assessment.acceptance_for(item_id)
        if decision is None or decision.expired(today):
            return Status.NOT_IMPLEMENTED
    if answer.status == Status.NOT_APPLICABLE and mandatory:
        return Status.NOT_IMPLEMENTED
    return answer.status


def gap_reason(answer: Answer, status: Status, decided: bool, today: dt.date) -> GapReason | None:
    """Why an item with this answer and effective status is a gap, or None when it is not one.

    ``decided`` says whether a risk-acceptance decision exists for the item.
    """
    if answer.status == Status.RISK_ACCEPTED and status == Status.NOT_IMPLEMENTED:
        return GapReason.ACCEPTANCE_EXPIRED if decided else GapReason.ACCEPTANCE_MISSING
    if answer.status == Status.NOT_APPLICABLE and status == Status.NOT_IMPLEMENTED:
        return GapReason.MANDATORY_NOT_APPLICABLE
    if status == Status.PLANNED and answer.due is not None and answer.due < today:
        return GapReason.OVERDUE
    return _STATUS_GAP.get(status)


def _score(rows: list[tuple[int, Status]]) -> Score:
    """Score of (priority, effective status) rows; not_applicable rows leave the denominator."""
    counted = [(PRIORITY_WEIGHT[p], s) for p, s in rows if s != Status.NOT_APPLICABLE]
    total = sum(w for w, _ in counted)
    earned = sum(w * CREDIT.get(s, 0.0) for w, s in counted)
    done = sum(1 for _, s in counted if s in DONE)
    return Score(100.0 * earned / total if total else None, len(counted), done)


def score(catalog: Catalog, plan: Plan, assessment: Assessment, today: dt.date) -> Scores:
    rows: list[tuple[ItemFacts, int, Status]] = []
    ranked: list[tuple[tuple[int, int, int], Gap]] = []
    counts: dict[str, int] = {s.value: 0 for s in Status}
    expired_acceptances, overdue, review = [], [], []
    for position, planned in enumerate(plan.items):
        item = catalog.rule(planned.id)  # facts only: scoring never needs an item's text
        assert item is not None
        answer = assessment.answer(planned.id)
        status = effective_status(assessment, planned.id, today, mandatory=planned.mandatory)
        counts[answer.status.value] += 1
        rows.append((item, planned.priority, status))
        if answer.review:
            review.append(item.id)
        reason = gap_reason(answer, status, assessment.acceptance_for(item.id) is not None, today)
        if reason is None:
            continue
        if reason in (GapReason.ACCEPTANCE_EXPIRED, GapReason.ACCEPTANCE_MISSING):
            expired_acceptances.append(item.id)
        if reason == GapReason.OVERDUE:
            overdue.append(item.id)
        due = answer.due if reason in (GapReason.PLANNED, GapReason.OVERDUE) else None
        gap = Gap(item.id, planned.priority, status, reason, due)
        ranked.append(((planned.priority, GAP_RANK[reason], position), gap))
    chapters = sorted({i.chapter for i, _, _ in rows})
    layers = [layer for layer in Layer if any(layer in i.layers for i, _, _ in rows)]
    mandatory = [s for i, _, s in rows if i.mandatory]
    mandatory_done = sum(1 for s in mandatory if s in DONE)
    return Scores(
        overall=_score([(p, s) for _, p, s in rows]),
        mandatory_coverage=100.0 * mandatory_done / len(mandatory) if mandatory else None,
        mandatory_total=len(mandatory),
        mandatory_done=mandatory_done,
        by_chapter={n: _score([(p, s) for i, p, s in rows if i.chapter == n]) for n in chapters},
        by_cia={c.value: _score([(p, s) for i, p, s in rows if c in i.cia]) for c in CIA},
        by_layer={x.value: _score([(p, s) for i, p, s in rows if x in i.layers]) for x in layers},
        status_counts=counts,
        gaps=[gap for _, gap in sorted(ranked, key=lambda pair: pair[0])],
        # evidence_for leaves out withdrawn records; evidence of items outside the plan is not the bank's concern
        expired_evidence=[
            *(e.id for p in plan.items for e in assessment.evidence_for(p.id) if e.expires < today and not e.automated),
            # what the organisation facts rest on (a registration certificate, a contract) expires too
            *(e.id for records in assessment.fact_evidence().values() for e in records if e.expires < today),
        ],
        expired_acceptances=expired_acceptances,
        overdue=overdue,
        review=review,
        contradicted=[p.id for p in plan.items if contradicting(assessment, p.id, today)],
        stale_automated=[
            e.id for p in plan.items for e in assessment.evidence_for(p.id) if e.automated and e.expires < today
        ],
    )


def contradicting(assessment: Assessment, item_id: str, today: dt.date) -> list[EvidenceRecord]:
    """The automated evidence that contradicts the item's answer: it is claimed implemented while the
    latest scan of some source fails (and is not stale)."""
    if assessment.answer(item_id).status != Status.IMPLEMENTED:
        return []
    return assessment.failing_scans(item_id, today)
