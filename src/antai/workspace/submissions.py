"""Where a workspace keeps its submissions: ``submissions/<ID>/`` holds at least the signed manifest, its
signature and the JSON report of each submission (the whole bundle when it was written there), so that the
next report's "changes since" compares with what the bank received, never with a local preview."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SUBMISSIONS = "submissions"
MAX_REPORT_BYTES = 64 * 1024 * 1024


def record_dir(root: Path, submission_id: str) -> Path:
    return root / SUBMISSIONS / submission_id


def submitted_report(root: Path, submission_id: str) -> dict[str, Any] | None:
    """The JSON report of a recorded submission, as its manifest lists it; None when it is not there."""
    from antai.submission.bundle import load_manifest
    from antai.submission.manifest import unsafe_path

    folder = record_dir(root, submission_id)
    manifest, _, _ = load_manifest(folder)
    listed = manifest.file("report", "json") if manifest is not None else None
    if listed is None or unsafe_path(listed.path):
        return None
    path = folder / listed.path
    try:
        if path.is_symlink() or path.stat().st_size > MAX_REPORT_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def submit_entries(root: Path) -> list[dict[str, Any]]:
    """The ``submit`` entries of the workspace's history (only those lines are parsed: a report on a
    long history stays quick)."""
    from antai.assessment.history import parse_lines
    from antai.workspace.store import HISTORY

    try:
        text = (root / HISTORY).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return []
    wanted = re.compile(r'"action"\s*:\s*"submit"')
    return parse_lines("\n".join(line for line in text.splitlines() if wanted.search(line)))


def last_submitted(root: Path) -> tuple[str | None, dict[str, Any] | None]:
    """The ID of the last submission the history records and the baseline its report gives for "changes
    since" (None, None before the first submission)."""
    from antai.app.usecases import submissions
    from antai.reports.assessment import previous_from_report

    recorded = submissions(submit_entries(root))
    if not recorded:
        return None, None
    last = recorded[-1].id
    report = submitted_report(root, last)
    return last, previous_from_report(report) if report is not None else None
