"""Findings become evidence: one use case records a scan (antai's own checks or an imported scanner file).

A recorded scan keeps its raw output once, hashed, and adds one evidence record per applicable item it
bears on. Each record carries the scan's verdict on the item (:class:`~antai.assessment.model.ScanSummary`)
and has the scan time as its effective date, so a bank sees which setting was observed, by what, and
when. Items the profile does not select are reported, not recorded. The same raw output is never
recorded twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from antai.app.ports import Actor, AssessmentStore, ChangeSet, Snapshot
from antai.app.usecases import _dump, _file_blob, _run, _safe_name, require_current_catalog
from antai.assessment.findings import ScanRun, summary_for
from antai.assessment.model import EvidenceKind, EvidenceRecord, FindingStatus
from antai.assessment.state import EVIDENCE_PREFIX
from antai.catalog import Catalog
from antai.errors import InvalidChange
from antai.tailoring.plan import make_plan

# Automated evidence goes stale quickly: a setting seen a month ago says little about today. Teams that
# scan in CI refresh it daily; one that imports a quarterly scan says so with `--expires`.
AUTOMATED_EVIDENCE_VALIDITY = dt.timedelta(days=30)
_CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class ScanRecording:
    """What recording a scan did: the records added, and what it left out and why."""

    records: tuple[EvidenceRecord, ...] = ()
    superseded: tuple[str, ...] = ()  # earlier automated evidence of the same source that these replace
    outside_plan: tuple[str, ...] = ()  # items with findings that the profile does not select
    duplicate_of: tuple[str, ...] = ()  # evidence IDs that already hold this raw output
    results: dict[str, FindingStatus] = field(default_factory=dict)  # item -> verdict, for the items recorded


def record_scan(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    run: ScanRun,
    raw: Path,
    *,
    raw_name: str | None = None,
    expires: dt.date | None = None,
    note: str | None = None,
) -> ScanRecording:
    """Record ``run`` as automated evidence on every applicable item it has findings for, keeping ``raw``
    (the scanner's file, or antai's own JSON output) hashed under evidence/files/."""
    if run.observed_at.tzinfo is None:
        raise ValueError("a scan's time must be timezone-aware")
    if run.observed_at > actor.now + _CLOCK_SKEW:
        raise InvalidChange(
            f"the scan is dated {run.observed_at.isoformat()}, in the future: check the scanner's clock",
            code="future_scan",
            observed=run.observed_at.isoformat(),
        )
    effective = run.observed_at.astimezone(actor.now.tzinfo).date()
    until = expires or effective + AUTOMATED_EVIDENCE_VALIDITY
    if until < effective:
        raise InvalidChange(
            f"the evidence cannot expire ({until}) before the scan ({effective})", code="rule", item=None
        )

    def build(snapshot: Snapshot) -> tuple[ChangeSet, ScanRecording]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        applicable = make_plan(catalog, assessment.profile).ids
        wanted = [item for item in catalog.ids if item in run.tally.items]
        recorded = [item for item in wanted if item in applicable]
        outside = tuple(item for item in run.tally.items if item not in applicable)
        number = 1 + max((int(e.id[1:]) for e in assessment.evidence), default=0)
        shown = raw_name or raw.name
        blob = _file_blob(raw, f"{EVIDENCE_PREFIX}E{number:04d}-{_safe_name(shown)}")
        same = tuple(e.id for e in assessment.evidence if e.current and e.automated and e.sha256 == blob.sha256)
        if same or not recorded:
            raise _NothingToRecord(ScanRecording(outside_plan=outside, duplicate_of=same))
        # the new scan replaces the last one of the same source (tool and target), on every item: the index
        # keeps only the latest automated evidence of each source (it would otherwise grow with every CI
        # run), and an item the source no longer reports on (a scanner that lists only failures, now fixed)
        # keeps no stale verdict. The history keeps every scan's verdicts and the hash of its raw output,
        # which stays in evidence/files/.
        replaced = {
            e.id
            for e in assessment.evidence
            if e.current
            and e.scan is not None
            and (e.scan.tool, e.scan.target) == (run.tool.name, run.target[:200] or "-")
        }
        records = []
        for n, item in enumerate(recorded):
            summary = summary_for(run, run.tally.items[item])
            records.append(
                EvidenceRecord(
                    id=f"E{number + n:04d}",
                    item=item,
                    kind=EvidenceKind.FILE,
                    path=blob.key,
                    sha256=blob.sha256,
                    name=f"{run.tool.name} {shown}"[:200],
                    added_by=actor.who,
                    added_at=actor.now.astimezone(dt.UTC).replace(microsecond=0),
                    effective_from=effective,
                    expires=until,
                    note=note,
                    scan=summary,
                )
            )
        change = ChangeSet(
            action="scan",
            after={
                "tool": run.tool.name,
                "tool_version": run.tool.version,
                "target": run.target,
                "observed_at": _dump(records[0].scan).get("observed_at"),
                "sha256": blob.sha256,
                "results": {r.item: r.scan.result.value for r in records if r.scan is not None},
                "evidence": [r.id for r in records],
                "path": blob.key,
                "superseded": sorted(replaced),
            },
            evidence=[*(e for e in assessment.evidence if e.id not in replaced), *records],
            blobs=(blob,),
        )
        results = {r.item: r.scan.result for r in records if r.scan is not None}
        return change, ScanRecording(
            records=tuple(records), superseded=tuple(sorted(replaced)), outside_plan=outside, results=results
        )

    try:
        return _run(store, actor, build)
    except _NothingToRecord as nothing:
        return nothing.recording


class _NothingToRecord(Exception):
    """The scan adds nothing (already recorded, or about no applicable item): leave the history alone."""

    def __init__(self, recording: ScanRecording) -> None:
        super().__init__()
        self.recording = recording
