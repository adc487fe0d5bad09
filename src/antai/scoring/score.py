"""Scores, coverage and ranked gaps of an assessment against its plan.

Formula (docs/scoring.md):
- each applicable item i has a weight w_i from its priority: P1 = 4, P2 = 3, P3 = 2, P4 = 1;
- and a credit s_i from its status: implemented or validly compensated 1.0; partial 0.5; everything else 0
  (planned, not implemented, unanswered, risk accepted — an accepted risk is a reasoned deviation, not a
  control — and an acceptance past its expiry);
- items answered not_applicable (with a reason) leave the denominator;
- score = 100 × Σ w_i s_i / Σ w_i, over all items, a chapter, a CIA property or a layer.
Mandatory coverage = share of mandatory items implemented or compensated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from antai.assessment.model import Status
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.tailoring.plan import Plan

PRIORITY_WEIGHT = {1: 4, 2: 3, 3: 2, 4: 1}
CREDIT = {Status.IMPLEMENTED: 1.0, Status.COMPENSATED: 1.0, Status.PARTIAL: 0.5}
# how bad a gap is, for ranking within a priority (lower = worse)
GAP_ORDER = {
    Status.UNANSWERED: 0,
    Status.NOT_IMPLEMENTED: 0,
    Status.RISK_ACCEPTED: 1,  # only when the acceptance expired
    Status.PLANNED: 2,
    Status.PARTIAL: 3,
}


@dataclass(frozen=True)
class Gap:
    id: str
    priority: int
    status: str
    why: str  # "unanswered", "not implemented", "planned (overdue)", "acceptance expired", …

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "priority": self.priority, "status": self.status, "why": self.why}


@dataclass(frozen=True)
class Score:
    score: float  # 0–100
    items: int
    done: int  # implemented or compensated

    def as_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 1), "items": self.items, "done": self.done}


@dataclass(frozen=True)
class Scores:
    overall: Score
    mandatory_coverage: float  # 0–100
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "mandatory_coverage": {
                "percent": round(self.mandatory_coverage, 1),
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
            },
        }


def effective_status(assessment: Assessment, item_id: str, today: dt.date) -> Status:
    """The status that counts today: an expired acceptance no longer covers its item."""
    answer = assessment.answer(item_id)
    if answer.status == Status.RISK_ACCEPTED:
        decision = assessment.acceptance_for(item_id)
        if decision is None or decision.expired(today):
            return Status.NOT_IMPLEMENTED
    return answer.status


def _score(rows: list[tuple[int, Status]]) -> Score:
    counted = [(PRIORITY_WEIGHT[p], s) for p, s in rows if s != Status.NOT_APPLICABLE]
    total = sum(w for w, _ in counted)
    earned = sum(w * CREDIT.get(s, 0.0) for w, s in counted)
    done = sum(1 for _, s in counted if CREDIT.get(s, 0.0) == 1.0)
    return Score(100.0 * earned / total if total else 100.0, len(counted), done)


_WHY = {
    "acceptance expired": ("リスク受容の期限切れ", "acceptance expired"),
    "acceptance missing": ("リスク受容の記録なし", "acceptance missing"),
    "overdue": ("実施予定の期限超過（{due}）", "planned, overdue since {due}"),
    "unanswered": ("未回答", "unanswered"),
    "not implemented": ("未実施", "not implemented"),
    "planned": ("実施予定（{due}）", "planned for {due}"),
    "partial": ("一部実施", "partially implemented"),
}


def _why(key: str, lang: str, due: dt.date | None = None) -> str:
    ja, en = _WHY[key]
    return (ja if lang == "ja" else en).format(due=due.isoformat() if due else "?")


def score(catalog: Catalog, plan: Plan, assessment: Assessment, today: dt.date) -> Scores:
    rows: list[tuple[Any, int, Status]] = []
    gaps: list[tuple[tuple[int, int, int], Gap]] = []
    counts: dict[str, int] = {s.value: 0 for s in Status}
    expired_acceptances, overdue, review = [], [], []
    for position, planned in enumerate(plan.items):
        item = catalog.item(planned.id)
        assert item is not None
        answer = assessment.answer(planned.id)
        status = effective_status(assessment, planned.id, today)
        counts[answer.status.value] += 1
        rows.append((item, planned.priority, status))
        if answer.review:
            review.append(item.id)
        lang = plan.lang
        why = None
        rank = GAP_ORDER.get(status, 0)
        if answer.status == Status.RISK_ACCEPTED and status == Status.NOT_IMPLEMENTED:
            expired_acceptances.append(item.id)
            why = _why("acceptance expired" if assessment.acceptance_for(item.id) else "acceptance missing", lang)
        elif answer.status == Status.PLANNED and answer.due is not None and answer.due < today:
            overdue.append(item.id)
            why, rank = _why("overdue", lang, answer.due), 1
        elif status in GAP_ORDER and status != Status.RISK_ACCEPTED:
            key = {
                Status.UNANSWERED: "unanswered",
                Status.NOT_IMPLEMENTED: "not implemented",
                Status.PLANNED: "planned",
                Status.PARTIAL: "partial",
            }[status]
            why = _why(key, lang, answer.due)
        if why is not None:
            gaps.append(((planned.priority, rank, position), Gap(item.id, planned.priority, status.value, why)))
    by_chapter = {
        number: _score([(p, s) for i, p, s in rows if i.chapter == number])
        for number in sorted({i.chapter for i, _, _ in rows})
    }
    by_cia = {
        cia: _score([(p, s) for i, p, s in rows if cia in {c.value for c in i.cia}])
        for cia in ("confidentiality", "integrity", "availability")
    }
    layers = ("physical", "infrastructure", "platform", "application", "user_interface", "device")
    by_layer = {
        layer: _score([(p, s) for i, p, s in rows if layer in {x.value for x in i.layers}])
        for layer in layers
        if any(layer in {x.value for x in i.layers} for i, _, _ in rows)
    }
    mandatory = [(i, s) for i, _, s in rows if i.mandatory and s != Status.NOT_APPLICABLE]
    mandatory_done = sum(1 for _, s in mandatory if CREDIT.get(s, 0.0) == 1.0)
    expired_evidence = [e.id for e in assessment.evidence if e.expires < today]
    return Scores(
        overall=_score([(p, s) for _, p, s in rows]),
        mandatory_coverage=100.0 * mandatory_done / len(mandatory) if mandatory else 100.0,
        mandatory_total=len(mandatory),
        mandatory_done=mandatory_done,
        by_chapter=by_chapter,
        by_cia=by_cia,
        by_layer=by_layer,
        status_counts=counts,
        gaps=[g for _, g in sorted(gaps, key=lambda pair: pair[0])],
        expired_evidence=expired_evidence,
        expired_acceptances=expired_acceptances,
        overdue=overdue,
        review=review,
    )
