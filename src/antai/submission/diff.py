"""What changed between two submissions of one organisation (schema ``antai.submission-diff/1``).

The bank's yearly re-check: given the bundle it holds and the one it just received, every difference
between their JSON reports and manifests — items that entered or left the plan, statuses (as answered and
as they count), owners and due dates, evidence added, withdrawn or expired, decisions, organisation facts
by dotted path and the gaps they open or close, scores, the catalog version — and the two submissions'
IDs, sequences, dates and history heads. Pure data: no wording, no verification (the caller checks both
bundles with :func:`antai.submission.bundle.verify_bundle` first when it holds the venture's key).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from antai.errors import AntaiError
from antai.reports.assessment import ItemOut, LocalText, Report, ScoreOut
from antai.submission.bundle import load_manifest, read_bounded
from antai.submission.manifest import Manifest, unsafe_path

DIFF_SCHEMA = "antai.submission-diff/1"
MAX_REPORT_BYTES = 64 * 1024 * 1024

FactValue = str | int | float | bool | list[str] | None


class BundleRefused(AntaiError):
    """A bundle that cannot be compared: unreadable, without a JSON report, or another organisation's."""

    code = "bundle_refused"


# --- the result ----------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SideOut(_Model):
    """One of the two submissions."""

    id: str
    sequence: int
    created: dt.datetime
    assessment_date: dt.date
    history_entries: int
    history_head: str
    previous: str | None = Field(description="ID of the submission this one names as its previous")
    catalog_version: str
    signer: str = Field(description="Fingerprint of the key the manifest names")


class PlanItemOut(_Model):
    """An item that entered or left the tailored plan."""

    id: str
    title: LocalText
    chapter: int
    mandatory: bool
    status: str
    effective_status: str


class StatusChangeOut(_Model):
    id: str
    title: LocalText
    status_before: str
    status_after: str
    effective_before: str
    effective_after: str


class AssignmentChangeOut(_Model):
    """A changed owner or due date of an item in both plans."""

    id: str
    title: LocalText
    field: Literal["owner", "due"]
    before: str | None
    after: str | None


class EvidenceChangeOut(_Model):
    id: str
    target: str = Field(description="The item ID, or org:PATH for an organisation fact")
    name: str
    change: Literal["added", "withdrawn", "expired"]
    expires: dt.date


class DecisionOut(_Model):
    rationale: str
    approver: str
    decided: dt.date
    expires: dt.date
    expired: bool
    current: bool = Field(description="Whether it backs the item's present status")


class DecisionChangeOut(_Model):
    """A decision (risk acceptance, mandatory item declared not applicable): the latest per item and kind."""

    item: str
    kind: str
    change: Literal["added", "changed", "expired", "removed"]
    fields: list[str] = Field(description="For a change: which fields differ")
    before: DecisionOut | None
    after: DecisionOut | None


class FactChangeOut(_Model):
    path: str = Field(description="Dotted path; register entries numbered from 1")
    before: FactValue
    after: FactValue


class ScorePairOut(_Model):
    before: float | None
    after: float | None
    changed: bool


class ScoresDiffOut(_Model):
    overall: ScorePairOut
    mandatory_coverage: ScorePairOut
    by_chapter: dict[str, ScorePairOut]
    by_cia: dict[str, ScorePairOut]


class CatalogChangeOut(_Model):
    before: str
    after: str
    changed: bool


class SubmissionDiff(_Model):
    diff_schema: Literal["antai.submission-diff/1"] = Field(default="antai.submission-diff/1", alias="schema")
    organisation: str
    verified: bool = Field(description="Whether both bundles were verified with the venture's key first")
    verified_with: str | None = Field(description="Fingerprint of the key they were verified with")
    old: SideOut
    new: SideOut
    catalog: CatalogChangeOut
    plan_added: list[PlanItemOut]
    plan_removed: list[PlanItemOut]
    statuses: list[StatusChangeOut]
    assignments: list[AssignmentChangeOut]
    evidence: list[EvidenceChangeOut]
    decisions: list[DecisionChangeOut]
    facts: list[FactChangeOut]
    gaps_opened: list[str] = Field(description="Organisation facts missing now that were given before")
    gaps_closed: list[str] = Field(description="Organisation facts given now that were missing before")
    scores: ScoresDiffOut

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def changes(self) -> int:
        """How many differences are listed (scores and the catalog version not counted)."""
        lists = (
            self.plan_added,
            self.plan_removed,
            self.statuses,
            self.assignments,
            self.evidence,
            self.decisions,
            self.facts,
            self.gaps_opened,
            self.gaps_closed,
        )
        return sum(len(x) for x in lists)

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --- reading a bundle ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A bundle as the diff reads it: its manifest and its JSON report."""

    path: Path
    manifest: Manifest
    report: Report


def load_submitted(folder: Path) -> Submitted:
    """The manifest and JSON report of the bundle in ``folder`` (or a workspace's record of a submission,
    which keeps both); :class:`BundleRefused` when either cannot be read."""
    manifest, _, why = load_manifest(folder)
    if manifest is None:
        raise BundleRefused(
            f"{folder}: not a readable submission manifest ({why})", reason="manifest", path=str(folder)
        )
    listed = manifest.file("report", "json")
    if listed is None or unsafe_path(listed.path):
        raise BundleRefused(f"{folder}: the manifest lists no JSON report", reason="no_report", path=str(folder))
    for part in Path(listed.path).parents:  # never through a link inside the bundle
        if part != Path(".") and (folder / part).is_symlink():
            raise BundleRefused(f"{folder}: {listed.path} is not readable", reason="report", path=str(folder))
    data = read_bounded(folder / listed.path, MAX_REPORT_BYTES)
    if data is None:
        raise BundleRefused(f"{folder}: {listed.path} is not readable", reason="report", path=str(folder))
    try:
        report = Report.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError, ValidationError):
        raise BundleRefused(
            f"{folder}: {listed.path} is not an antai.report/1 report", reason="report", path=str(folder)
        ) from None
    return Submitted(folder, manifest, report)


# --- comparing -----------------------------------------------------------------------------------------


def _side(s: Submitted) -> SideOut:
    m = s.manifest
    return SideOut(
        id=m.id,
        sequence=m.sequence,
        created=m.created,
        assessment_date=s.report.assessment_date,
        history_entries=m.history.entries,
        history_head=m.history.hash,
        previous=m.previous.id if m.previous else None,
        catalog_version=m.catalog_version,
        signer=m.signer.fingerprint,
    )


def _plan_item(item: ItemOut) -> PlanItemOut:
    return PlanItemOut(
        id=item.id,
        title=item.title,
        chapter=item.chapter,
        mandatory=item.mandatory,
        status=item.status,
        effective_status=item.effective_status,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class _Evidence:
    id: str
    target: str
    name: str
    expires: dt.date
    expired: bool


def _evidence(report: Report) -> dict[str, _Evidence]:
    found: dict[str, _Evidence] = {}
    for item in report.items:
        for e in item.evidence:
            found[e.id] = _Evidence(e.id, item.id, e.name, e.expires, e.expired)
    for path, records in report.fact_evidence.items():
        for e in records:
            found[e.id] = _Evidence(e.id, f"org:{path}", e.name, e.expires, e.expired)
    return found


def _evidence_changes(old: Report, new: Report) -> list[EvidenceChangeOut]:
    before, after = _evidence(old), _evidence(new)
    out: list[EvidenceChangeOut] = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        change: Literal["added", "withdrawn", "expired"] | None = None
        if was is None:
            change = "added"
        elif now is None:
            change = "withdrawn"
        elif now.expired and not was.expired:
            change = "expired"
        if change is not None:
            shown = now or was
            assert shown is not None
            out.append(
                EvidenceChangeOut(id=key, target=shown.target, name=shown.name, change=change, expires=shown.expires)
            )
    return out


def _decisions(report: Report) -> dict[tuple[str, str], DecisionOut]:
    """The latest decision per (item, kind): decisions are appended, a later one replaces an earlier one."""
    latest: dict[tuple[str, str], DecisionOut] = {}
    for raw in report.decisions:
        key = (raw.item, raw.kind.value)
        decision = DecisionOut(
            rationale=raw.rationale,
            approver=raw.approver,
            decided=raw.decided,
            expires=raw.expires,
            expired=raw.expired,
            current=raw.current,
        )
        held = latest.get(key)
        if held is None or decision.decided >= held.decided:
            latest[key] = decision
    return latest


def _decision_changes(old: Report, new: Report) -> list[DecisionChangeOut]:
    before, after = _decisions(old), _decisions(new)
    out: list[DecisionChangeOut] = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        fields: list[str] = []
        change: Literal["added", "changed", "expired", "removed"] | None = None
        if was is None:
            change = "added"
        elif now is None:
            change = "removed"
        else:
            fields = [
                name
                for name in ("rationale", "approver", "decided", "expires", "current")
                if getattr(was, name) != getattr(now, name)
            ]
            if fields:
                change = "changed"
            elif now.expired and not was.expired:
                change = "expired"
        if change is not None:
            out.append(DecisionChangeOut(item=key[0], kind=key[1], change=change, fields=fields, before=was, after=now))
    return out


def flatten_facts(value: Any, prefix: str = "") -> dict[str, FactValue]:
    """Organisation facts (their JSON) as dotted path → plain value; register entries numbered from 1, a
    list of plain values kept as one value."""
    out: dict[str, FactValue] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            out.update(flatten_facts(inner, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for number, entry in enumerate(value, start=1):
            out.update(flatten_facts(entry, f"{prefix}.{number}"))
    elif isinstance(value, list):
        out[prefix] = [str(v) for v in value]
    else:
        out[prefix] = value
    return out


def _fact_order(path: str, order: dict[str, int]) -> tuple[int, str]:
    generic = ".".join("N" if part.isdigit() else part for part in path.split("."))
    number = [int(p) for p in path.split(".") if p.isdigit()]
    return (order.get(generic, len(order)), ".".join(f"{n:06d}" for n in number) + path)


def _fact_changes(old: Report, new: Report) -> list[FactChangeOut]:
    from antai.assessment.model import fact_fields

    order = {f.path: i for i, f in enumerate(fact_fields())}
    before = flatten_facts(old.organisation_facts.model_dump(mode="json"))
    after = flatten_facts(new.organisation_facts.model_dump(mode="json"))
    changed = [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
    return [
        FactChangeOut(path=p, before=before.get(p), after=after.get(p))
        for p in sorted(changed, key=lambda p: _fact_order(p, order))
    ]


def _pair(before: float | None, after: float | None) -> ScorePairOut:
    return ScorePairOut(before=before, after=after, changed=before != after)


def _score_pairs(old: dict[str, ScoreOut], new: dict[str, ScoreOut]) -> dict[str, ScorePairOut]:
    keys = list(old) + [k for k in new if k not in old]
    return {
        k: _pair(old[k].score if k in old else None, new[k].score if k in new else None)
        for k in sorted(keys, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, keys.index(k)))
    }


def compare(old: Submitted, new: Submitted, verified_with: str | None = None) -> SubmissionDiff:
    """Every difference from ``old`` to ``new``; :class:`BundleRefused` if they are not one organisation's.
    ``verified_with`` is the fingerprint both were verified with, if they were."""
    a, b = old.report, new.report
    if old.manifest.organisation != new.manifest.organisation or a.organisation != b.organisation:
        raise BundleRefused(
            f"the bundles are from different organisations: {old.manifest.organisation} and "
            f"{new.manifest.organisation}",
            reason="organisation",
            old=old.manifest.organisation,
            new=new.manifest.organisation,
        )
    if a.organisation != old.manifest.organisation or b.organisation != new.manifest.organisation:
        raise BundleRefused(
            "a report names another organisation than its manifest", reason="organisation_mismatch", path=""
        )
    was = {i.id: i for i in a.items}
    now = {i.id: i for i in b.items}
    statuses: list[StatusChangeOut] = []
    assignments: list[AssignmentChangeOut] = []
    for item in b.items:
        earlier = was.get(item.id)
        if earlier is None:
            continue
        if (earlier.status, earlier.effective_status) != (item.status, item.effective_status):
            statuses.append(
                StatusChangeOut(
                    id=item.id,
                    title=item.title,
                    status_before=earlier.status,
                    status_after=item.status,
                    effective_before=earlier.effective_status,
                    effective_after=item.effective_status,
                )
            )
        for name in ("owner", "due"):
            before, after = _text(getattr(earlier, name)), _text(getattr(item, name))
            if before != after:
                assignments.append(
                    AssignmentChangeOut(id=item.id, title=item.title, field=name, before=before, after=after)
                )
    missing_before, missing_after = set(a.missing_facts), set(b.missing_facts)
    return SubmissionDiff(
        organisation=b.organisation,
        verified=verified_with is not None,
        verified_with=verified_with,
        old=_side(old),
        new=_side(new),
        catalog=CatalogChangeOut(
            before=old.manifest.catalog_version,
            after=new.manifest.catalog_version,
            changed=old.manifest.catalog_version != new.manifest.catalog_version,
        ),
        plan_added=[_plan_item(i) for i in b.items if i.id not in was],
        plan_removed=[_plan_item(i) for i in a.items if i.id not in now],
        statuses=statuses,
        assignments=assignments,
        evidence=_evidence_changes(a, b),
        decisions=_decision_changes(a, b),
        facts=_fact_changes(a, b),
        gaps_opened=[p for p in b.missing_facts if p not in missing_before],
        gaps_closed=[p for p in a.missing_facts if p not in missing_after],
        scores=ScoresDiffOut(
            overall=_pair(a.scores.overall.score, b.scores.overall.score),
            mandatory_coverage=_pair(a.scores.mandatory_coverage.percent, b.scores.mandatory_coverage.percent),
            by_chapter=_score_pairs(a.scores.by_chapter, b.scores.by_chapter),
            by_cia=_score_pairs(a.scores.by_cia, b.scores.by_cia),
        ),
    )


__all__ = ["DIFF_SCHEMA", "BundleRefused", "SubmissionDiff", "Submitted", "compare", "load_submitted"]
