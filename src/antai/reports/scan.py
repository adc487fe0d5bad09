"""A scan's result as plain data: what `antai check … --format json` and `antai import … --format json`
print, and what antai keeps as the raw output of its own checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from antai.assessment.findings import SEVERITY_RANK, Finding, ScanRun

SCAN_FORMAT = "antai.scan/1"


def finding_data(finding: Finding, observed_at: dt.datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "check": finding.check,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "resource": finding.resource,
        "items": list(finding.items),
    }
    for key in ("observed", "title", "location", "line"):
        value = getattr(finding, key)
        if value is not None:
            data[key] = value
    data["observed_at"] = (finding.observed_at or observed_at).astimezone(dt.UTC).isoformat()
    return data


def scan_data(run: ScanRun) -> dict[str, Any]:
    """The run's verdict per item, its totals and unmapped rules, and its findings: all of them when the
    run kept them (antai's own checks), else the failing and erroring ones the tally kept."""
    tally = run.tally
    listed = tally.kept if run.findings is None else run.findings
    items = {}
    for item_id in sorted(tally.items):
        item = tally.items[item_id]
        checks = sorted(item.checks.values(), key=lambda c: (-SEVERITY_RANK[c.severity], c.check))
        items[item_id] = {
            "result": item.result.value,
            "passed": item.passed,
            "failed": item.failed,
            "errors": item.errors,
            "not_applicable": item.not_applicable,
            "checks": [
                {
                    "check": c.check,
                    "status": c.status.value,
                    "severity": c.severity.value,
                    "resources": c.resources,
                    "example": c.example,
                    "title": c.title,
                }
                for c in checks
            ],
        }
    return {
        "format": SCAN_FORMAT,
        "tool": run.tool.name,
        "tool_version": run.tool.version,
        "target": run.target,
        "observed_at": run.observed_at.astimezone(dt.UTC).isoformat(),
        "input_sha256": run.input_sha256,
        "totals": {status.value: count for status, count in tally.totals.items()},
        # findings the scanner itself marked suppressed, muted or excepted (counted as not_applicable)
        "suppressed": getattr(run, "suppressed", 0),
        "worst_failing": tally.worst_failing.value if tally.worst_failing else None,
        "items": items,
        "unmapped": dict(sorted(tally.unmapped.items())),
        "findings": [finding_data(f, run.observed_at) for f in listed],
        "findings_omitted": 0 if run.findings is not None else tally.dropped,
        "signals": [
            {
                "check": s.check,
                "items": list(s.items),
                "resource": s.resource,
                "seen": s.seen,
                **({"observed": s.observed} if s.observed is not None else {}),
                **({"title": s.title} if s.title is not None else {}),
            }
            for s in run.signals
        ],
    }
