"""The assessment report's data: one versioned structure that every format (JSON, HTML, Markdown, XLSX) renders.

`antai report schema` publishes its JSON Schema; the ``schema`` field names the version ("antai.report/1").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from antai.assessment.model import Acceptance, DecisionKind, EvidenceRecord, OrganisationFacts, Status
from antai.assessment.signoff import SignOffRole
from antai.assessment.state import Assessment
from antai.assessment.threads import threads_from_history
from antai.catalog import Catalog
from antai.catalog.conditions import Condition
from antai.catalog.traceability import matrix_rows
from antai.reports.threads import ThreadOut, threads_out
from antai.reports.wording import gap_why
from antai.scoring.score import GapReason, Scores, contradicting, effective_status, score
from antai.tailoring.plan import Plan, make_plan
from antai.tailoring.profile import Profile

REPORT_SCHEMA = "antai.report/1"
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


class FailingCheckOut(_Model):
    check: str
    status: Literal["fail", "error"]
    severity: Literal["critical", "high", "medium", "low", "info"]
    resources: int = Field(ge=0)
    example: str


class AutomatedOut(_Model):
    """What a scan observed about the item: the source, when, and the verdict of its findings."""

    tool: str = Field(description="antai for antai's own checks, else the scanner")
    tool_version: str | None = None
    target: str = Field(description="What was scanned")
    observed_at: dt.datetime
    result: Literal["pass", "fail", "error", "not_applicable"]
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    errors: int = Field(ge=0)
    not_applicable: int = Field(ge=0)
    checks: list[FailingCheckOut] = Field(description="The failing (or erroring) checks, worst first")
    more_checks: int = Field(ge=0)


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
    automated: AutomatedOut | None = Field(default=None, description="Set for evidence from a scan")


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
    interim: str | None = Field(default=None, description="What limits the risk until the item is done")
    review: bool = False
    applies_because: list[str]
    evidence: list[EvidenceOut]
    contradicted_by: list[str] = Field(
        default_factory=list,
        description="Automated evidence (IDs) whose latest scan fails although the item is claimed implemented",
    )
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
    expired_evidence: list[str] = Field(description="Evidence a person added whose date has passed (IDs)")
    expired_acceptances: list[str]
    overdue: list[str]
    review: list[str]
    contradicted: list[str] = Field(
        default_factory=list, description="Items claimed implemented while the latest scan of a source fails"
    )
    stale_automated: list[str] = Field(
        default_factory=list, description="Automated evidence past its date: no newer scan of that source (IDs)"
    )


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


RiskLevel = Literal["low", "medium", "high"]


class RiskDerivationOut(_Model):
    """Why each level is what it is: the rules that gave it, in the report's language."""

    tier: list[str]
    confidentiality: list[str]
    integrity: list[str]
    availability: list[str]


class RiskOut(_Model):
    tier: RiskLevel = Field(description="The highest of the three levels")
    confidentiality: RiskLevel
    integrity: RiskLevel
    availability: RiskLevel
    derivation: RiskDerivationOut


class DecisionOut(_Model):
    """A recorded decision, current or superseded (the register keeps every one)."""

    item: str
    kind: DecisionKind
    rationale: str
    approver: str
    decided: dt.date
    expires: dt.date
    expired: bool
    current: bool = Field(description="False when a later decision on the same item replaced it")


class ConditionItemsOut(_Model):
    condition: Condition = Field(description="A condition on the service profile, as the item files write it")
    items: list[str] = Field(description="Items the condition switches on")

    @field_serializer("condition")
    def _as_written(self, condition: Any) -> Any:
        """Only the keys the condition uses, as in the item files (the others are null)."""
        return condition.model_dump(mode="json", exclude_none=True)


class AppliesOut(_Model):
    """When a risk-based (△) FISC row applies, from its items' applicability."""

    always: list[str] = Field(description="Mandatory items: they always apply")
    when: list[ConditionItemsOut]


class FiscRowOut(_Model):
    """One FISC ID of the index and how antai handles it (text is antai's own paraphrase)."""

    id: str
    category: str = Field(description="The FISC category the ID belongs to, e.g. 統制, 実務, 設備, 監査")
    status: str = Field(description="Whether the ID is verified against the printed edition, as the index says")
    topic: LocalText | None = None
    handling: str | None = Field(description="How antai handles the ID; null when the matrix has no row for it")
    mark: str = Field(description="○, △, × or a dash as printed in the matrix; ? when unhandled")
    classification: str | None = None
    reason: LocalText | None = None
    items: list[str]
    unverified_items: list[str]
    applies: AppliesOut | None = Field(description="For risk-based rows only")


Classification = Literal["confidential", "strictly_confidential", "internal"]


class SignOffOut(_Model):
    role: SignOffRole
    name: str
    title: str | None = None
    date: dt.date


class DocumentOut(_Model):
    """Document control: what a bank files the report under, and who approved it."""

    id: str = Field(description="Document ID: the submission ID, or DRAFT-YYYYMMDD for a report that was not submitted")
    version: int | None = Field(description="Edition: the submission's sequence number; null for a draft")
    state: Literal["submitted", "draft"]
    issued: dt.date = Field(description="Date of issue (the submission date)")
    scope: str | None = Field(description="What the document covers, as the venture wrote it")
    period_start: dt.date = Field(description="The assessment period: from the previous submission, else creation")
    period_end: dt.date
    assessor: str | None = Field(description="Who made the self-assessment")
    classification: Classification = Field(description="Confidentiality label printed on every page")
    signoffs: list[SignOffOut] = Field(description="Sign-offs in force for the state reported, in role order")
    missing_signoffs: list[SignOffRole]
    previous: str | None = Field(default=None, description="The submission before this one (or before this draft)")


RemediationMissing = Literal["owner", "due", "interim"]


class RemediationOut(_Model):
    """One gap of the remediation plan: who closes it, by when, and what limits the risk until then."""

    id: str
    title: LocalText
    priority: int = Field(ge=1, le=4)
    status: Status = Field(description="Effective status")
    reason: GapReason
    why: str = Field(description="The reason it is a gap, in the report's language")
    owner: str | None
    due: dt.date | None
    overdue: bool
    interim: str | None = Field(description="Interim measure until the item is done")
    missing: list[RemediationMissing] = Field(description="What the plan still lacks for this gap")


class Report(_Model):
    report_schema: Literal["antai.report/1"] = Field(default="antai.report/1", alias="schema")
    generated: dt.datetime
    assessment_date: dt.date
    audience: Literal["exec", "bank", "engineer"]
    lang: Literal["ja", "en"]
    organisation: str
    catalog_version: str
    profile: Profile
    risk: RiskOut
    organisation_facts: OrganisationFacts = Field(description="The facts banks ask first, in their groups")
    missing_facts: list[str] = Field(description="Every missing organisation fact by dotted path")
    fact_evidence: dict[str, list[EvidenceOut]] = Field(
        default_factory=dict, description="Current evidence about organisation facts, by dotted path"
    )
    scores: ScoresOut
    items: list[ItemOut]
    excluded: list[ExcludedOut]
    decisions: list[DecisionOut]
    fisc: list[FiscRowOut] = Field(description="The FISC matrix, in bank reports only")
    changes_since_last: ChangesSinceLast | None = None
    submission: SubmissionOut | None = None
    document: DocumentOut
    remediation: list[RemediationOut] = Field(description="Every gap with its owner, due date and interim measure")
    threads: list[ThreadOut] = Field(
        default_factory=list, description="Comment threads with the bank, from the history (bank reports only)"
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def report_json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://antai.invalid/schema/report-1.json"
    return schema


INTERIM_STATUSES = frozenset({Status.PLANNED, Status.PARTIAL, Status.NOT_IMPLEMENTED})


def document_control(
    assessment: Assessment,
    history: list[dict[str, Any]],
    today: dt.date,
    submission: SubmissionOut | None = None,
    *,
    scope: str | None = None,
    assessor: str | None = None,
    classification: Classification = "confidential",
) -> DocumentOut:
    """The document-control block of a report: for a submission its ID and edition, else a draft's; the
    period since the previous submission (or since the workspace was created); the sign-offs in force.
    The assessor defaults to the named security owner."""
    from antai.assessment.signoff import missing_roles, signoffs_in_force

    start = assessment.meta.created
    previous = None
    for entry in history:
        if entry.get("action") == "submit":
            try:
                start = dt.datetime.fromisoformat(str(entry.get("at"))).date()
            except ValueError:
                continue
            after = entry.get("after")
            previous = str(after.get("id")) if isinstance(after, dict) and after.get("id") else previous
    current = signoffs_in_force(history)
    return DocumentOut(
        id=submission.id if submission else f"DRAFT-{today.strftime('%Y%m%d')}",
        version=submission.sequence if submission else None,
        state="submitted" if submission else "draft",
        issued=today,
        scope=scope.strip() if scope and scope.strip() else None,
        period_start=min(start, today),
        period_end=today,
        assessor=assessor or assessment.organisation.governance.security_owner,
        classification=classification,
        signoffs=[SignOffOut(role=s.role, name=s.name, title=s.title, date=s.date) for s in current.values()],
        missing_signoffs=missing_roles(current),
        previous=previous,
    )


def remediation_plan(
    catalog: Catalog, assessment: Assessment, scores: Scores, today: dt.date, lang: str
) -> list[RemediationOut]:
    """Every gap, ranked as the scores rank them, with what the plan still lacks for it."""
    out = []
    for gap in scores.gaps:
        item = catalog.item(gap.id)
        assert item is not None
        answer = assessment.answer(gap.id)
        missing: list[RemediationMissing] = []
        if not answer.owner:
            missing.append("owner")
        if answer.due is None:
            missing.append("due")
        if answer.interim is None and answer.status in INTERIM_STATUSES:
            missing.append("interim")
        out.append(
            RemediationOut(
                id=gap.id,
                title=LocalText(ja=item.title.ja, en=item.title.en),
                priority=gap.priority,
                status=gap.status,
                reason=gap.reason,
                why=gap_why(gap, lang),
                owner=answer.owner,
                due=answer.due,
                overdue=answer.due is not None and answer.due < today,
                interim=answer.interim,
                missing=missing,
            )
        )
    return out


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
        automated=None if e.scan is None else AutomatedOut.model_validate(e.scan.model_dump(mode="json")),
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
    document: DocumentOut | None = None,
    history: Sequence[dict[str, Any]] = (),
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
                interim=answer.interim,
                review=answer.review,
                applies_because=list(planned.reasons),
                evidence=[_evidence_out(e, today) for e in assessment.evidence_for(item.id)],
                contradicted_by=[e.id for e in contradicting(assessment, item.id, today)],
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
        profile=assessment.profile,
        risk=RiskOut.model_validate(plan.risk.as_dict(lang)),
        organisation_facts=assessment.organisation,
        missing_facts=assessment.organisation.missing(),
        fact_evidence={
            path: [_evidence_out(e, today) for e in records] for path, records in assessment.fact_evidence().items()
        },
        scores=scores_out(scores, lang),
        items=items,
        excluded=excluded,
        decisions=[
            DecisionOut(**a.model_dump(), expired=a.expired(today), current=a in current)
            for a in assessment.acceptances
        ],
        fisc=[FiscRowOut.model_validate(row) for row in matrix_rows(catalog)] if audience == "bank" else [],
        changes_since_last=changes,
        submission=submission,
        document=document or document_control(assessment, list(history), today, submission),
        remediation=remediation_plan(catalog, assessment, scores, today, lang),
        threads=threads_out(threads_from_history(history), lang, catalog) if audience == "bank" else [],
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
