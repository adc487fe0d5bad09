"""`antai verify`: recompute the history chain and every evidence hash, and find changes made outside antai."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from antai.assessment.history import check_chain
from antai.assessment.state import EVIDENCE_PREFIX, evidence_path_ok
from antai.catalog.yamlsource import SourceError
from antai.workspace.store import EVIDENCE_FILES, EVIDENCE_INDEX, HISTORY, FileStore, file_sha256


@dataclass
class VerifyResult:
    entries: int = 0
    evidence_checked: int = 0
    head: str | None = None
    branches: int = 1
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "branches": self.branches,
            "evidence_checked": self.evidence_checked,
            "problems": self.problems,
        }


def verify(store: FileStore) -> VerifyResult:
    result = VerifyResult()
    log = store.path(HISTORY)
    with store.locked():
        entries = store.history()
        chain = check_chain(entries)
        result.entries = chain.entries
        result.branches = max(1, len(chain.heads))
        tail = entries[-1] if entries else None
        result.head = str(tail.get("hash")) if tail and "hash" in tail else None
        if chain.entries == 0:
            result.problems.append(f"{log}: no history (was the workspace created with `antai init`?)")
        if chain.broken is not None:
            seq = f" (entry #{chain.broken.seq})" if chain.broken.seq is not None else ""
            result.problems.append(f"{log}:{chain.broken.line}: history entry{seq} {chain.broken.message}")
        elif len(chain.heads) > 1:
            result.problems.append(
                f"{log}: {len(chain.heads)} branches of the history are not joined (after a git merge, check the "
                'files with `antai validate`, then `antai record -m "merge …"`)'
            )
        for name in store.unrecorded():
            result.problems.append(f"{store.path(name)}: changed outside antai since the last recorded change")
        try:
            assessment = store.load().assessment
        except SourceError as exc:
            result.problems.extend(str(p) for p in exc.problems)
            return result
        referenced: set[str] = set()
        for record in assessment.evidence:
            if record.path is None or record.sha256 is None:
                continue
            if not evidence_path_ok(record.path):
                result.problems.append(
                    f"{store.path(EVIDENCE_INDEX)}: {record.id} points outside {EVIDENCE_PREFIX}: {record.path}"
                )
                continue
            referenced.add(record.path)
            result.evidence_checked += 1
            target = store.path(record.path)
            if not target.is_file() or target.is_symlink():
                result.problems.append(f"{target}: evidence {record.id} for {record.item} is missing")
                continue
            actual = file_sha256(target)
            if actual != record.sha256:
                result.problems.append(
                    f"{target}: evidence {record.id} for {record.item} was altered or replaced "
                    f"(sha256 {actual[:12]}…, recorded {record.sha256[:12]}…)"
                )
        folder = store.path(EVIDENCE_FILES)
        if folder.is_dir():
            for found in sorted(folder.iterdir()):
                if f"{EVIDENCE_FILES}/{found.name}" not in referenced:
                    result.problems.append(f"{found}: not in the evidence index (added outside antai)")
    return result
