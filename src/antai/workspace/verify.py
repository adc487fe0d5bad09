"""`antai verify`: recompute the history chain and every evidence hash, and find unlogged changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from antai.catalog.yamlsource import SourceError
from antai.workspace import history
from antai.workspace.store import EVIDENCE_INDEX, HISTORY, Workspace


@dataclass
class VerifyResult:
    entries: int = 0
    evidence_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(ws: Workspace) -> VerifyResult:
    result = VerifyResult()
    log = ws.path(HISTORY)
    result.entries = len(history.read(log))
    if result.entries == 0:
        result.problems.append(f"{log}: no history (was the workspace created with `antai init`?)")
    broken = history.check_chain(log)
    if broken is not None:
        seq = f" (entry #{broken.seq})" if broken.seq is not None else ""
        result.problems.append(f"{log}:{broken.line}: history entry{seq} {broken.message}")
    for name in ws.unlogged_changes():
        result.problems.append(f"{ws.path(name)}: changed outside antai since the last recorded change")
    try:
        assessment = ws.load()
    except SourceError as exc:
        result.problems.extend(str(p) for p in exc.problems)
        return result
    for record in assessment.evidence:
        if record.path is None or record.sha256 is None:
            continue
        result.evidence_checked += 1
        target = (ws.root / record.path).resolve()
        if not target.is_relative_to((ws.root / "evidence").resolve()):
            result.problems.append(f"{ws.path(EVIDENCE_INDEX)}: {record.id} points outside evidence/: {record.path}")
            continue
        if not Path(target).is_file():
            result.problems.append(f"{target}: evidence {record.id} for {record.item} is missing")
            continue
        actual = history.file_sha256(target)
        if actual != record.sha256:
            result.problems.append(
                f"{target}: evidence {record.id} for {record.item} was altered or replaced "
                f"(sha256 {actual[:12]}…, recorded {record.sha256[:12]}…)"
            )
    return result
