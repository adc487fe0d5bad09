"""An in-memory store: the same contract as the file workspace, for tests and for trying use cases."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from antai.app.ports import Actor, ChangeSet, Notice, RepairReport, Snapshot
from antai.assessment.history import Head, check_chain, new_entry
from antai.assessment.model import OrganisationFacts
from antai.assessment.state import Assessment, Part
from antai.errors import Conflict, NotFound, UnrecordedEdits
from antai.tailoring.profile import Profile

_FIELDS = {
    Part.META: "meta",
    Part.PROFILE: "profile",
    Part.ANSWERS: "answers",
    Part.DECISIONS: "acceptances",
    Part.ORGANISATION: "organisation",
    Part.EVIDENCE: "evidence",
    Part.ARCHIVE: "archive",
    Part.LOCK: "lock",
}


def plain(value: Any) -> Any:
    """A part's value as JSON data (models dumped as JSON, tuples as lists); stores that keep parts as JSON
    (this one for digests, the web app's database store) share it so that their digests agree."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(plain(value), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class MemoryStore:
    def __init__(self) -> None:
        self.parts: dict[Part, Any] = {}
        self.blobs: dict[str, bytes] = {}
        self.entries: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        self._lock_digest: tuple[Any, str] | None = None

    def exists(self) -> bool:
        return Part.META in self.parts

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def _state(self) -> dict[str, str]:
        state = {}
        for part, value in self.parts.items():
            if part == Part.LOCK:  # large and only ever replaced whole: hash each object once
                if self._lock_digest is None or self._lock_digest[0] is not value:
                    self._lock_digest = (value, _digest(value))
                state[part.value] = self._lock_digest[1]
            else:
                state[part.value] = _digest(value)
        return state

    def load(self) -> Snapshot:
        if not self.exists():
            raise NotFound("no assessment here", code="no_workspace")
        parts = dict(self.parts)  # the parts are frozen models in fresh containers: no deep copy needed
        head = Head.of(self.entries[-1] if self.entries else None)
        now = self._state()
        unrecorded = tuple(sorted(k for k in set(now) | set(head.state) if now.get(k) != head.state.get(k)))
        assessment = Assessment(
            meta=parts[Part.META],
            profile=parts.get(Part.PROFILE, Profile()),
            answers=dict(parts.get(Part.ANSWERS, {})),
            acceptances=list(parts.get(Part.DECISIONS, [])),
            evidence=list(parts.get(Part.EVIDENCE, [])),
            organisation=parts.get(Part.ORGANISATION, OrganisationFacts()),
            archive=list(parts.get(Part.ARCHIVE, [])),
        )
        return Snapshot(assessment, head.hash if self.entries else "", head.seq, unrecorded)

    def read_lock(self) -> dict[str, Any]:
        lock: dict[str, Any] = self.parts.get(Part.LOCK, {})
        return lock

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        with self._lock:
            head_entry = self.entries[-1] if self.entries else None
            current = head_entry["hash"] if head_entry else ""
            if current != expected_version:
                raise Conflict("the assessment changed since it was read", code="conflict")
            head = Head.of(head_entry)
            if not change.accept_unrecorded:
                now = self._state()
                changed = sorted(k for k in set(now) | set(head.state) if now.get(k) != head.state.get(k))
                if changed and head_entry is not None:
                    raise UnrecordedEdits(changed)
            for part, name in _FIELDS.items():
                value = getattr(change, name)
                if value is not None:
                    self.parts[part] = (
                        dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value
                    )
            for blob in change.blobs:
                data = blob.source.read_bytes()
                if hashlib.sha256(data).hexdigest() != blob.sha256:
                    raise Conflict(f"{blob.source} changed while it was being added", code="blob_changed")
                self.blobs[blob.key] = data
            merge: list[Head] = []
            if change.join_heads:
                merge = [Head.of(e) for e in check_chain(self.entries).heads if e is not head_entry]
            entry = new_entry(
                head,
                at=actor.now.isoformat(timespec="seconds"),
                who=actor.who,
                action=change.action,
                state=self._state(),
                item=change.item,
                before=change.before,
                after=change.after,
                message=change.message,
                merge=merge,
            )
            self.entries.append(entry)
            return entry

    def history(self) -> list[dict[str, Any]]:
        return list(self.entries)

    def repair(self, discard: bool = False) -> RepairReport:
        """Memory has no interrupted changes; only unjoined branches or hand edits can need a person."""
        report = RepairReport()
        heads = len(check_chain(self.entries).heads)
        if heads > 1:
            report.remaining.append(Notice("unjoined_branches", {"count": heads}))
        unrecorded = self.load().unrecorded if self.entries else ()
        if unrecorded:
            report.remaining.append(Notice("unrecorded", {"parts": ", ".join(unrecorded)}))
        return report
