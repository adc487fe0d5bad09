"""The assessment report's data: one versioned structure that every format (JSON, HTML, Markdown, XLSX) renders.

`antai report schema` publishes its JSON Schema; the ``schema`` field names the version ("antai.report/1").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from antai.assessment.model import Acceptance, DecisionKind, EvidenceRecord, OrganisationFacts, Status
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.catalog.traceability import matrix_rows
from antai.reports.wording import gap_why
from antai.scoring.score import GapReason, Scores, effective_status, score
from antai.tailoring.plan import Plan, make_plan

REPORT_SCHEMA = "antai.report/1"
LAST_REPORT = ".antai/last-report.json"
DEVIATIONS = {
    Status.NOT_IMPLEMENTED,
    Status.PARTIAL,
    Status.PLANNED,
    Status.RISK_ACCEPTED,
    Status.NOT_APPLICABLE,
    Status.COMPENSATED,
    Status.UNANSWERED,
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalText(_Model):
    ja: str
    en: str


class EvidenceOut(_Model):
    id: str
    kind: Literal["file", "url"]
    name: str
    effective_from: dt.date
    expires: dt.date
    expired: bool
    sha256: str | None = None
    url: str | None = None
    added_by: str
    note: str | None = None


class AcceptanceOut(_Model):
    """The recorded decision behind a deviation (a risk acceptance, or a mandatory item declared N/A)."""

    kind: str = DecisionKind.RISK_ACCEPTANCE.value
    rationale: str
    approver: str
    decided: dt.date
    expires: dt.date
    expired: bool


class ItemOut(_Model):
    id: str
    chapter: int
    section: str
    title: LocalText
    mandatory: bool
    level: str = Field(description="baseline or advanced (the FSA 2024 guideline's 基本/望ましい split)")
    csf: str = Field(description="NIST CSF 2.0 function: GV, ID, PR, DE, RS or RC")
    effort_days: tuple[float, float] = Field(description="Person-days to put the item in place: least, most")
    phase: str = Field(description="gate, days_90, year_1 or later")
    priority: int
    status: str = Field(description="As answered")
    effective_status: str = Field(
        description="What counts today: an expired acceptance, and not_applicable on a mandatory item, count as "
        "not implemented"
    )
    owner: str | None = None
    due: dt.date | None = None
    deviation_reason: str | None = Field(default=None, description="Why it is not (fully) implemented")
    compensated_by: str | None = None
    equivalence: str | None = Field(default=None, description="New-technology note that compensates, if any")
    note: str | None = None
    review: bool = False
    applies_because: list[str]
    evidence: list[EvidenceOut]
    acceptance: AcceptanceOut | None = None
    fisc: list[str]
    fisc_unverified: list[str] = Field(default_factory=list, description="FISC IDs cited as unverified")
    technotes: list[str]


class ExcludedOut(_Model):
    id: str
    title: LocalText
    reasons: list[str]


class StatusChange(_Model):
    id: str
    before: str
    after: str


class ChangesSinceLast(_Model):
    previous_date: dt.date
    previous_submission: str | None = Field(
        default=None, description="ID of the submission compared with (changes are counted since a submission)"
    )
    overall_before: float | None
    overall_after: float | None
    status_changes: list[StatusChange]


class SubmissionOut(_Model):
    """The submission this report is part of (``antai submit``): its ID and sequence, the history head it
    covers, and the submission before it."""

    id: str
    sequence: int = Field(ge=1)
    history_entries: int = Field(ge=0)
    history_head: str = Field(description="SHA-256 of the last history entry the submission covers")
    previous: str | None = Field(description="ID of the previous submission, null for the first")


class ScoreOut(_Model):
    score: float | None = Field(description="0–100, risk-weighted; null when no item counts (unknown, not 100)")
    items: int = Field(ge=0, description="Items in the denominator")
    done: int = Field(ge=0, description="Implemented or compensated")


class CoverageOut(_Model):
    percent: float | None = Field(description="Share of mandatory items done; null when there are none")
    done: int = Field(ge=0)
    total: int = Field(ge=0)


class GapOut(_Model):
    id: str
    priority: int = Field(ge=1, le=4)
    status: Status = Field(description="Effective status")
    reason: GapReason
    due: dt.date | None = Field(description="Planned date, for planned and overdue items")
    why: str = Field(description="The reason in the report's language")


class FlagsOut(_Model):
    expired_evidence: list[str]
    expired_acceptances: list[str]
    overdue: list[str]
    review: list[str]


class ScoresOut(_Model):
    overall: ScoreOut
    mandatory_coverage: CoverageOut
    by_chapter: dict[str, ScoreOut]
    by_cia: dict[str, ScoreOut]
    by_layer: dict[str, ScoreOut]
    status_counts: dict[str, int]
    gaps: list[GapOut] = Field(description="Ranked: priority, then worst first, then plan order")
    flags: FlagsOut


def scores_out(scores: Scores, lang: str) -> ScoresOut:
    data = scores.as_dict()
    for out, gap in zip(data["gaps"], scores.gaps, strict=True):
        out["why"] = gap_why(gap, lang)
    return ScoresOut.model_validate(data)


class Report(_Model):
    report_schema: Literal["antai.report/1"] = Field(default="antai.report/1", alias="schema")
    generated: dt.datetime
    assessment_date: dt.date
    audience: Literal["exec", "bank", "engineer"]
    lang: Literal["ja", "en"]
    organisation: str
    catalog_version: str
    profile: dict[str, Any]
    risk: dict[str, Any]
    organisation_facts: OrganisationFacts = Field(description="The facts banks ask first, in their groups")
    missing_facts: list[str] = Field(description="Every missing organisation fact by dotted path")
    fact_evidence: dict[str, list[EvidenceOut]] = Field(
        default_factory=dict, description="Current evidence about organisation facts, by dotted path"
    )
    scores: ScoresOut
    items: list[ItemOut]
    excluded: list[ExcludedOut]
    decisions: list[dict[str, Any]]
    fisc: list[dict[str, Any]]
    changes_since_last: ChangesSinceLast | None = None
    submission: SubmissionOut | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def report_json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://antai.invalid/schema/report-1.json"
    return schema


def _backing_decision(assessment: Assessment, item_id: str) -> Acceptance | None:
    """The decision behind a deviation: a risk acceptance, or a mandatory item declared not applicable."""
    status = assessment.answer(item_id).status
    if status == Status.RISK_ACCEPTED:
        return assessment.acceptance_for(item_id)
    if status == Status.NOT_APPLICABLE:
        return assessment.decision_for(item_id, DecisionKind.NOT_APPLICABLE)
    return None


def _reason(answer_status: Status, assessment: Assessment, item_id: str) -> str | None:
    answer = assessment.answer(item_id)
    if answer_status == Status.RISK_ACCEPTED:
        decision = assessment.acceptance_for(item_id)
        return decision.rationale if decision else answer.reason
    if answer_status in (Status.NOT_APPLICABLE, Status.COMPENSATED):
        return answer.reason
    if answer_status in (Status.PLANNED, Status.PARTIAL, Status.NOT_IMPLEMENTED):
        return answer.note or answer.reason
    return None


def _evidence_out(e: EvidenceRecord, today: dt.date) -> EvidenceOut:
    return EvidenceOut(
        id=e.id,
        kind=e.kind.value,
        name=e.name,
        effective_from=e.effective_from,
        expires=e.expires,
        expired=e.expires < today,
        sha256=e.sha256,
        url=e.url,
        added_by=e.added_by,
        note=e.note,
    )


def build_report(
    catalog: Catalog,
    assessment: Assessment,
    audience: Literal["exec", "bank", "engineer"],
    lang: Literal["ja", "en"],
    today: dt.date,
    previous: dict[str, Any] | None = None,
    *,
    submission: SubmissionOut | None = None,
    generated: dt.datetime | None = None,
) -> tuple[Report, Plan, Scores]:
    plan = make_plan(catalog, assessment.profile, lang)
    scores = score(catalog, plan, assessment, today)
    notes = {n.id for n in catalog.technotes}
    items = []
    for planned in plan.items:
        item = catalog.item(planned.id)
        assert item is not None
        answer = assessment.answer(item.id)
        decision = _backing_decision(assessment, item.id)
        items.append(
            ItemOut(
                id=item.id,
                chapter=item.chapter,
                section=item.section,
                title=LocalText(ja=item.title.ja, en=item.title.en),
                mandatory=item.mandatory,
                level=item.level.value,
                csf=item.csf.value,
                effort_days=item.effort_days,
                phase=planned.phase.value,
                priority=planned.priority,
                status=answer.status.value,
                effective_status=effective_status(assessment, item.id, today, mandatory=item.mandatory).value,
                owner=answer.owner,
                due=answer.due,
                deviation_reason=_reason(answer.status, assessment, item.id),
                compensated_by=answer.compensated_by,
                equivalence=answer.compensated_by if answer.compensated_by in notes else None,
                note=answer.note,
                review=answer.review,
                applies_because=list(planned.reasons),
                evidence=[_evidence_out(e, today) for e in assessment.evidence_for(item.id)],
                acceptance=AcceptanceOut(
                    kind=decision.kind.value,
                    rationale=decision.rationale,
                    approver=decision.approver,
                    decided=decision.decided,
                    expires=decision.expires,
                    expired=decision.expired(today),
                )
                if decision
                else None,
                fisc=list(item.fisc),
                fisc_unverified=list(item.fisc_unverified),
                technotes=[n.id for n in catalog.technotes_for(item.id)],
            )
        )
    excluded = []
    for gone in plan.excluded:
        item = catalog.item(gone.id)
        assert item is not None
        excluded.append(
            ExcludedOut(id=gone.id, title=LocalText(ja=item.title.ja, en=item.title.en), reasons=list(gone.reasons))
        )
    current = assessment.current_decisions()
    changes = None
    if previous:
        before = previous.get("statuses", {})
        now = {i.id: i.effective_status for i in items}
        before_score = previous.get("overall")
        changes = ChangesSinceLast(
            previous_date=dt.date.fromisoformat(previous["date"]),
            previous_submission=previous.get("submission"),
            overall_before=float(before_score) if isinstance(before_score, int | float) else None,
            overall_after=scores.overall.as_dict()["score"],
            status_changes=[
                StatusChange(id=k, before=before.get(k, "—"), after=v) for k, v in now.items() if before.get(k) != v
            ],
        )
    report = Report(
        generated=generated or dt.datetime.now(dt.UTC).replace(microsecond=0),
        assessment_date=today,
        audience=audience,
        lang=lang,
        organisation=assessment.meta.organisation,
        catalog_version=catalog.version,
        profile=assessment.profile.model_dump(mode="json"),
        risk=plan.risk.as_dict(lang),
        organisation_facts=assessment.organisation,
        missing_facts=assessment.organisation.missing(),
        fact_evidence={
            path: [_evidence_out(e, today) for e in records] for path, records in assessment.fact_evidence().items()
        },
        scores=scores_out(scores, lang),
        items=items,
        excluded=excluded,
        decisions=[
            a.model_dump(mode="json") | {"expired": a.expired(today), "current": a in current}
            for a in assessment.acceptances
        ],
        fisc=matrix_rows(catalog) if audience == "bank" else [],
        changes_since_last=changes,
        submission=submission,
    )
    return report, plan, scores


def report_json(report: Report) -> str:
    return report.model_dump_json(by_alias=True, indent=2) + "\n"


def previous_from_report(data: dict[str, Any]) -> dict[str, Any] | None:
    """What "changes since" compares with, taken from a submitted JSON report (``antai submit`` keeps one
    per submission): its date, overall score and effective statuses; None when it is not such a report."""
    try:
        items = data["items"]
        previous = {
            "date": dt.date.fromisoformat(str(data["assessment_date"])).isoformat(),
            "overall": data["scores"]["overall"]["score"],
            "statuses": {str(i["id"]): str(i["effective_status"]) for i in items},
        }
    except (KeyError, TypeError, ValueError):
        return None
    submission = data.get("submission")
    if isinstance(submission, dict) and isinstance(submission.get("id"), str):
        previous["submission"] = submission["id"]
    return previous


def read_last(root: Path) -> dict[str, Any] | None:
    """The demo's own baseline (it stages a report a month earlier). `antai report` and `antai submit`
    compare with the last *submission* instead, so that previews change nothing."""
    path = root / LAST_REPORT
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return None


def write_last(root: Path, report: Report) -> None:
    """Remember what this report said, so the next one can show what changed since."""
    from antai.fileio import atomic_write_text

    data = {
        "date": report.assessment_date.isoformat(),
        "overall": report.scores.overall.score,
        "statuses": {i.id: i.effective_status for i in report.items},
    }
    atomic_write_text(root / LAST_REPORT, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
