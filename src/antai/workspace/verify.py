"""`antai verify`: recompute the history chain and every evidence hash, and find changes made outside antai."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from antai.app.ports import Notice
from antai.assessment.history import check_chain
from antai.assessment.state import evidence_path_ok
from antai.catalog.yamlsource import SourceError
from antai.fileio import file_sha256
from antai.workspace.store import EVIDENCE_FILES, EVIDENCE_INDEX, HISTORY, FileStore


@dataclass
class VerifyResult:
    entries: int = 0
    evidence_checked: int = 0
    head: str | None = None
    branches: int = 1
    notices: list[Notice] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.notices

    @property
    def problems(self) -> list[str]:
        """The problems in English (the CLI words them in the user's language from ``notices``)."""
        return [str(n) for n in self.notices]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "branches": self.branches,
            "evidence_checked": self.evidence_checked,
            "problems": self.problems,
            "codes": [n.code for n in self.notices],
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
        add = result.notices.append
        if chain.entries == 0:
            add(Notice("no_history", {"path": str(log)}))
        if chain.broken is not None:
            broken = chain.broken
            seq = f" (entry #{broken.seq})" if broken.seq is not None else ""
            add(
                Notice(
                    "history_broken",
                    {
                        "path": str(log),
                        "line": broken.line,
                        "seq": seq,
                        "number": broken.seq,
                        "reason": broken.reason,
                        "reason_text": broken.message,
                        "detail": broken.detail,
                    },
                )
            )
        elif len(chain.heads) > 1:
            add(Notice("branches_not_joined", {"path": str(log), "count": len(chain.heads)}))
        for name in store.unrecorded():
            add(Notice("changed_outside", {"path": str(store.path(name))}))
        try:
            assessment = store.load().assessment
        except SourceError as exc:
            result.notices.extend(Notice("unreadable", {"text": str(p)}) for p in exc.problems)
            return result
        referenced: set[str] = set()
        for record in assessment.evidence:
            if record.path is None or record.sha256 is None:
                continue
            if not evidence_path_ok(record.path):
                add(
                    Notice(
                        "evidence_outside",
                        {"path": str(store.path(EVIDENCE_INDEX)), "id": record.id, "target": record.path},
                    )
                )
                continue
            referenced.add(record.path)
            result.evidence_checked += 1
            target = store.path(record.path)
            if not target.is_file() or target.is_symlink():
                add(Notice("evidence_missing", {"path": str(target), "id": record.id, "item": record.item}))
                continue
            actual = file_sha256(target)
            if actual != record.sha256:
                add(
                    Notice(
                        "evidence_altered",
                        {
                            "path": str(target),
                            "id": record.id,
                            "item": record.item,
                            "actual": actual[:12],
                            "recorded": record.sha256[:12],
                        },
                    )
                )
        # the raw output of a scan that a newer scan replaced: no longer indexed, still checked against the
        # hash its history entry recorded
        earlier_scans = {
            str(e["after"]["path"]): str(e["after"]["sha256"])
            for e in entries
            if e.get("action") == "scan" and isinstance(e.get("after"), dict) and "path" in e["after"]
        }
        folder = store.path(EVIDENCE_FILES)
        if folder.is_dir():
            for found in sorted(folder.iterdir()):
                key = f"{EVIDENCE_FILES}/{found.name}"
                if key in referenced:
                    continue
                if key in earlier_scans and found.is_file() and not found.is_symlink():
                    result.evidence_checked += 1
                    actual = file_sha256(found)
                    if actual != earlier_scans[key]:
                        add(
                            Notice(
                                "evidence_altered",
                                {
                                    "path": str(found),
                                    "id": "-",
                                    "item": "-",
                                    "actual": actual[:12],
                                    "recorded": earlier_scans[key][:12],
                                },
                            )
                        )
                    continue
                add(Notice("evidence_unindexed", {"path": str(found)}))
    return result
