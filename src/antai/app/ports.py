"""What the use cases need from a store, and nothing more.

A store keeps the parts of one assessment (answers, decisions, evidence records and blobs, organisation
facts, profile, archive, catalog lock) and its hash-chained history. The file workspace implements it
with YAML files in git; :class:`antai.app.memory.MemoryStore` implements it in memory for tests; the web
app will implement it with the ORM. Use cases read a :class:`Snapshot`, compute a :class:`ChangeSet` and
commit it with the snapshot's version: a store refuses a commit whose version is no longer current, so no
update is ever lost.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from antai.assessment.model import (
    Acceptance,
    Answer,
    ArchivedAnswer,
    EvidenceRecord,
    OrganisationFacts,
    WorkspaceMeta,
)
from antai.assessment.state import Assessment
from antai.tailoring.profile import Profile


@dataclass(frozen=True)
class Snapshot:
    """A consistent view of the assessment at one point of its history."""

    assessment: Assessment
    version: str  # hash of the history entry the parts correspond to
    seq: int
    unrecorded: tuple[str, ...] = ()  # parts changed outside antai since that entry


@dataclass(frozen=True)
class Blob:
    """An evidence file to store under ``key``; its digest was taken when the change was made."""

    key: str
    source: Path
    sha256: str


@dataclass(frozen=True)
class ChangeSet:
    """New values for the parts a change touches (``None``: unchanged), and how to log it."""

    action: str
    item: str | None = None
    before: Any = None
    after: Any = None
    message: str | None = None
    meta: WorkspaceMeta | None = None
    profile: Profile | None = None
    answers: dict[str, Answer] | None = None  # in catalog order
    acceptances: list[Acceptance] | None = None
    evidence: list[EvidenceRecord] | None = None
    organisation: OrganisationFacts | None = None
    archive: list[ArchivedAnswer] | None = None
    lock: dict[str, Any] | None = None  # {"catalog_version": …, "items": [...]}
    blobs: tuple[Blob, ...] = ()
    accept_unrecorded: bool = False  # a `record`: take parts changed outside antai as they are
    join_heads: bool = False  # a merge: join every head of a history that git combined from branches


@dataclass(frozen=True)
class Actor:
    """Who acts, and when: injected so that use cases never read the clock or the environment."""

    who: str
    now: dt.datetime  # timezone-aware

    @property
    def today(self) -> dt.date:
        return self.now.astimezone().date()


class AssessmentStore(Protocol):
    def exists(self) -> bool:
        """Whether an assessment has been created here."""

    def locked(self) -> AbstractContextManager[None]:
        """Hold the store for one read-compute-commit (re-entrant; waits a bounded time, then Busy)."""

    def load(self) -> Snapshot:
        """The current assessment; raises SourceError when a part cannot be read."""

    def read_lock(self) -> dict[str, Any]:
        """The catalog lock part (the items the assessment was made against)."""

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        """Apply ``change`` all-or-nothing and append its history entry; Conflict if the store moved on
        from ``expected_version``, UnrecordedEdits if parts changed outside antai (unless the change
        accepts them)."""

    def history(self) -> list[dict[str, Any]]:
        """Every history entry, oldest first."""

    def repair(self, discard: bool = False) -> RepairReport:
        """Complete (or with ``discard`` roll back) an interrupted change, remove strays, and say what still
        needs a person."""


@dataclass(frozen=True)
class Notice:
    """Something a store reports to a person, as a code and its values; adapters word it (ja/en).
    ``str()`` gives English for logs and for codes an adapter has no wording for."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return NOTICE_TEXT[self.code].format(**self.params)


NOTICE_TEXT = {
    "change": "{action} {item}",
    "unjoined_branches": "the history has {count} branches from a git merge: check the files with `antai validate`, "
    'then join them with `antai record -m "merge …"`',
    "broken_entry": "history entry {line} {reason_text}; restore it from git",
    "unrecorded": "{parts} changed outside antai: check with `antai validate`, then `antai record -m …` "
    "(or undo the edit with git)",
    "no_history": "{path}: no history (was the workspace created with `antai init`?)",
    "history_broken": "{path}:{line}: history entry{seq} {reason_text}",
    "branches_not_joined": "{path}: {count} branches of the history are not joined (after a git merge, check the "
    'files with `antai validate`, then `antai record -m "merge …"`)',
    "changed_outside": "{path}: changed outside antai since the last recorded change",
    "unreadable": "{text}",
    "evidence_outside": "{path}: {id} points outside evidence/files/: {target}",
    "evidence_missing": "{path}: evidence {id} for {item} is missing",
    "evidence_altered": "{path}: evidence {id} for {item} was altered or replaced "
    "(sha256 {actual}…, recorded {recorded}…)",
    "evidence_unindexed": "{path}: not in the evidence index (added outside antai)",
}


@dataclass
class RepairReport:
    """What a repair did, for the person who asked."""

    completed: list[Notice] = field(default_factory=list)  # interrupted changes finished
    rolled_back: list[Notice] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stray temporary files
    joined: int = 0  # history branches joined by a merge entry
    remaining: list[Notice] = field(default_factory=list)  # what still needs a person
