"""Findings: what a check or a scanner observed about one resource, and what that says about the items.

A :class:`Finding` comes from antai's own checks (``antai check aws``) or from a scanner's output that an
importer read (Prowler, Checkov, Trivy, SARIF). Findings are many (a large Prowler file holds hundreds of
thousands), so they are plain slotted dataclasses, and a :class:`Tally` folds them into one
:class:`ItemTally` per item as they stream past, keeping only counts and the first failing examples.

The verdict for an item is the worst of its findings: a failure beats an error, an error beats a pass, and
``not_applicable`` counts only when nothing else was seen. An error is never a pass: a check that could not
look proves nothing.

:func:`summary_for` turns an item's tally into the :class:`~antai.assessment.model.ScanSummary` that an
evidence record keeps; recording it is the use cases' job (:func:`antai.app.usecases.record_scan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from antai.assessment.verdicts import FindingStatus, Severity

if TYPE_CHECKING:
    from antai.assessment.model import ScanSummary

__all__ = [
    "Finding",
    "FindingStatus",
    "ItemTally",
    "ScanRun",
    "Severity",
    "Signal",
    "Tally",
    "ToolInfo",
    "summary_for",
    "worst",
]

# worst first: the verdict of an item is the first of these that any of its findings has
_ORDER = (FindingStatus.FAIL, FindingStatus.ERROR, FindingStatus.PASS, FindingStatus.NOT_APPLICABLE)
_RANK = {status: n for n, status in enumerate(_ORDER)}
SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
MAX_EXAMPLES = 20  # failing checks an evidence record names per item; the raw output has the rest
MAX_KEPT = 10_000  # failing or erroring findings a run keeps for SARIF and JSON output


class FailOn(StrEnum):
    """The lowest severity of a failing finding that makes `--fail-on` exit 1."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(slots=True)  # not frozen: a frozen dataclass costs five times as much to build, and importers build
class Finding:  # hundreds of thousands; nothing changes a finding once made
    """One observation: ``check`` looked at ``resource`` and found ``status``.

    ``items`` are the antai items the check bears on; empty when the tool's rule is not in the mapping
    table (the run reports it as unmapped, never drops it silently). ``observed`` is the value seen (e.g.
    ``MaxPasswordAge=0``), short and free of secrets.
    """

    check: str
    status: FindingStatus
    resource: str
    items: tuple[str, ...] = ()
    severity: Severity = Severity.MEDIUM
    observed: str | None = None
    title: str | None = None
    observed_at: dt.datetime | None = None  # when the tool saw it; None: the run's time
    location: str | None = None  # a file path (IaC, source) when the finding is about a file
    line: int | None = None


@dataclass(frozen=True)
class ToolInfo:
    """What produced the findings: ``antai`` for antai's own checks, else the scanner (``prowler``…)."""

    name: str
    version: str | None = None


def worst(statuses: Iterable[FindingStatus]) -> FindingStatus | None:
    """The verdict of several findings: fail > error > pass > not_applicable; None for none."""
    best: FindingStatus | None = None
    for status in statuses:
        if best is None or _RANK[status] < _RANK[best]:
            best = status
    return best


@dataclass(frozen=True, slots=True)
class Signal:
    """A heuristic hint, not a verdict: e.g. an app's code names a pinning library. It is shown beside the
    findings and kept in the raw output, but never counts towards an item's verdict."""

    check: str
    items: tuple[str, ...]
    resource: str
    seen: bool
    observed: str | None = None
    title: str | None = None


@dataclass
class CheckCount:
    """One failing (or erroring) check on an item: how many resources, and the first one seen."""

    check: str
    severity: Severity
    status: FindingStatus
    resources: int = 0
    example: str = ""
    title: str | None = None  # the tool's title of the check, when it gives one


@dataclass
class ItemTally:
    """Counts of findings on one item, and the failing checks (at most :data:`MAX_EXAMPLES` named)."""

    item: str
    passed: int = 0
    failed: int = 0
    errors: int = 0
    not_applicable: int = 0
    checks: dict[str, CheckCount] = field(default_factory=dict)  # failing and erroring checks only

    @property
    def result(self) -> FindingStatus:
        if self.failed:
            return FindingStatus.FAIL
        if self.errors:
            return FindingStatus.ERROR
        if self.passed:
            return FindingStatus.PASS
        return FindingStatus.NOT_APPLICABLE

    @property
    def worst_severity(self) -> Severity | None:
        failing = [c.severity for c in self.checks.values() if c.status == FindingStatus.FAIL]
        return max(failing, key=SEVERITY_RANK.__getitem__, default=None)

    def add(self, finding: Finding) -> None:
        status = finding.status
        if status is FindingStatus.PASS:
            self.passed += 1
        elif status is FindingStatus.NOT_APPLICABLE:
            self.not_applicable += 1
        else:
            if status is FindingStatus.FAIL:
                self.failed += 1
            else:
                self.errors += 1
            count = self.checks.get(finding.check)
            if count is None:
                count = self.checks[finding.check] = CheckCount(
                    finding.check, finding.severity, status, example=finding.resource, title=finding.title
                )
            elif status is FindingStatus.FAIL and count.status is FindingStatus.ERROR:
                count.status, count.example = status, finding.resource
            if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[count.severity]:
                count.severity = finding.severity
            count.resources += 1


@dataclass
class Tally:
    """Folds a stream of findings into per-item tallies, unmapped rules and totals, in bounded memory.

    ``kept`` holds the failing and erroring findings (up to :data:`MAX_KEPT`) for outputs that list them
    one by one (SARIF, JSON); ``dropped`` says how many more there were.
    """

    items: dict[str, ItemTally] = field(default_factory=dict)
    unmapped: dict[str, int] = field(default_factory=dict)  # the tool's rule ID -> findings
    totals: dict[FindingStatus, int] = field(default_factory=lambda: dict.fromkeys(FindingStatus, 0))
    kept: list[Finding] = field(default_factory=list)
    dropped: int = 0
    worst_failing: Severity | None = None

    def add(self, finding: Finding) -> None:
        self.totals[finding.status] += 1
        # the gate looks at what the guideline covers, as the SARIF output does: a rule no mapping table
        # knows is listed as unmapped, and the scanner's own exit code can gate on it
        failing = finding.status is FindingStatus.FAIL and bool(finding.items)
        if failing and (
            self.worst_failing is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[self.worst_failing]
        ):
            self.worst_failing = finding.severity
        if finding.status in (FindingStatus.FAIL, FindingStatus.ERROR):
            if len(self.kept) < MAX_KEPT:
                self.kept.append(finding)
            else:
                self.dropped += 1
        if not finding.items:
            self.unmapped[finding.check] = self.unmapped.get(finding.check, 0) + 1
            return
        for item in finding.items:
            tally = self.items.get(item)
            if tally is None:
                tally = self.items[item] = ItemTally(item)
            tally.add(finding)

    def extend(self, findings: Iterable[Finding]) -> Tally:
        for finding in findings:
            self.add(finding)
        return self

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    def fails_at(self, threshold: FailOn | None) -> bool:
        """Whether a failing finding on an item is at least as severe as ``threshold`` (the CI gate)."""
        if threshold is None or self.worst_failing is None:
            return False
        return SEVERITY_RANK[self.worst_failing] >= SEVERITY_RANK[Severity(threshold.value)]


@dataclass
class ScanRun:
    """One run of a collector or one imported file: who produced it, about what, when, and its tally."""

    tool: ToolInfo
    target: str  # what was looked at: an AWS account and regions, or the imported file's name
    observed_at: dt.datetime  # when the scan ran (timezone-aware); the evidence's effective date
    tally: Tally = field(default_factory=Tally)
    input_sha256: str | None = None  # of the imported file
    findings: list[Finding] | None = None  # every finding, when the producer keeps them (antai's own checks)
    signals: list[Signal] = field(default_factory=list)  # heuristics of antai's own checks (never verdicts)

    def add(self, finding: Finding) -> None:
        """Count ``finding`` and, for a run that keeps every finding, keep it."""
        self.tally.add(finding)
        if self.findings is not None:
            self.findings.append(finding)


def summary_for(run: ScanRun, tally: ItemTally) -> ScanSummary:
    """What an evidence record keeps of one item's findings in one run."""
    from antai.assessment.model import FailingCheck, ScanSummary

    failing = sorted(
        tally.checks.values(),
        key=lambda c: (c.status is not FindingStatus.FAIL, -SEVERITY_RANK[c.severity], -c.resources, c.check),
    )
    return ScanSummary(
        tool=run.tool.name,
        tool_version=run.tool.version,
        target=run.target[:200] or "-",
        observed_at=run.observed_at.astimezone(dt.UTC).replace(microsecond=0),
        result=tally.result,
        passed=tally.passed,
        failed=tally.failed,
        errors=tally.errors,
        not_applicable=tally.not_applicable,
        checks=[
            FailingCheck(
                check=c.check[:200],
                status=c.status,
                severity=c.severity,
                resources=c.resources,
                example=(c.example or "-")[:300],
            )
            for c in failing[:MAX_EXAMPLES]
        ],
        more_checks=max(0, len(failing) - MAX_EXAMPLES),
    )
