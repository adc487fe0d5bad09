"""The database store: one organisation's assessment behind :class:`antai.app.ports.AssessmentStore`.

It behaves as :class:`antai.app.memory.MemoryStore` does (the same history entries, the same refusals), with
the database's guarantees: every change is one transaction, and writers of one organisation queue on a lock
on its row (``SELECT … FOR UPDATE``; SQLite, which has no row locks, takes its write lock at BEGIN because the
settings open transactions IMMEDIATE). Evidence files are stored encrypted (:mod:`antai.web.store.crypto`).

A part is kept as plain JSON, and its digest, the value the history entry records, is the SHA-256 of that
JSON with sorted keys: the digest MemoryStore computes. A row changed by other means than this store
(SQL, the admin) therefore shows as a part changed outside antai, as a hand-edited file does in a workspace.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from pydantic import TypeAdapter, ValidationError

from antai.app.memory import plain
from antai.app.ports import Actor, ChangeSet, Notice, RepairReport, Snapshot
from antai.assessment.history import Head, check_chain, entry_hash, new_entry
from antai.assessment.model import Acceptance, Answer, ArchivedAnswer, EvidenceRecord, OrganisationFacts, WorkspaceMeta
from antai.assessment.rules import validation_text
from antai.assessment.state import Assessment, Part
from antai.catalog.yamlsource import Problem, SourceError
from antai.errors import Busy, Conflict, Damaged, NotFound, UnrecordedEdits
from antai.tailoring.profile import Profile
from antai.web.orgs.models import Organisation
from antai.web.store import crypto
from antai.web.store.models import Entry, StoredBlob
from antai.web.store.models import Part as PartRow

# the ChangeSet field that carries each part
FIELDS = {
    Part.META: "meta",
    Part.PROFILE: "profile",
    Part.ANSWERS: "answers",
    Part.DECISIONS: "acceptances",
    Part.ORGANISATION: "organisation",
    Part.EVIDENCE: "evidence",
    Part.ARCHIVE: "archive",
    Part.LOCK: "lock",
}

_ADAPTERS: dict[Part, TypeAdapter[Any]] = {
    Part.META: TypeAdapter(WorkspaceMeta),
    Part.PROFILE: TypeAdapter(Profile),
    Part.DECISIONS: TypeAdapter(list[Acceptance]),
    Part.ORGANISATION: TypeAdapter(OrganisationFacts),
    Part.EVIDENCE: TypeAdapter(list[EvidenceRecord]),
    Part.ARCHIVE: TypeAdapter(list[ArchivedAnswer]),
}
_ANSWER = TypeAdapter(Answer)


def to_data(part: Part, value: Any) -> Any:
    """What a part's row holds. Answers are a list of [item, answer] pairs: their order is the catalog's, and
    PostgreSQL's jsonb keeps no key order."""
    if part == Part.ANSWERS:
        return [[str(k), plain(v)] for k, v in value.items()]
    return plain(value)


def _canonical(part: Part, data: Any) -> Any:
    """The JSON a part's digest covers: its plain value (answers as a mapping, as MemoryStore digests them)."""
    if part == Part.ANSWERS and isinstance(data, list) and all(isinstance(p, list) and len(p) == 2 for p in data):
        return {str(k): v for k, v in data}
    return data


def digest(part: Part, data: Any) -> str:
    text = json.dumps(_canonical(part, data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def from_data(part: Part, data: Any) -> Any:
    """A part's value from its row; ValidationError or ValueError when the row does not hold one."""
    if part == Part.LOCK:
        if not isinstance(data, dict):
            raise ValueError("the catalog lock is not a JSON object")
        return data
    if part == Part.ANSWERS:
        if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
            raise ValueError("the answers are not a list of [item, answer] pairs")
        return {str(item): _ANSWER.validate_python(answer) for item, answer in data}
    return _ADAPTERS[part].validate_python(data)


_KNOWN: dict[tuple[Part, str], str] = {}  # (part, SHA-256 of a row's JSON text) → the part's digest


@dataclass(frozen=True)
class _Row:
    """A part's row as the database gives its JSON: decoded only where the value is needed, and digested once
    per content (the catalog lock is large and rarely changes)."""

    pk: int
    text: str

    def data(self) -> Any:
        return json.loads(self.text)

    def digest(self, part: Part) -> str:
        known = (part, hashlib.sha256(self.text.encode()).hexdigest())
        found = _KNOWN.get(known)
        if found is None:
            if len(_KNOWN) >= 1024:
                _KNOWN.clear()
            found = _KNOWN[known] = digest(part, self.data())
        return found


class OrmStore:
    """The assessment of ``organisation`` (an antai_orgs.Organisation) in the default database."""

    def __init__(self, organisation: Any, *, lock_timeout: float = 20.0) -> None:
        self.organisation = organisation
        self.lock_timeout = lock_timeout  # seconds a writer waits for another (PostgreSQL; SQLite: settings)

    @property
    def _org(self) -> int:
        return int(self.organisation.pk)

    # --- the lock -------------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One transaction that holds this organisation's row lock until it ends (re-entrant: an inner use is
        a savepoint, so a change that fails inside it rolls back alone)."""
        with ExitStack() as stack:
            try:
                stack.enter_context(transaction.atomic())
                self._hold()
            except OperationalError as exc:
                raise Busy(
                    f"the assessment of organisation {self._org} is busy (another change is being saved and did "
                    "not finish in time); try again",
                    timeout=self.lock_timeout,
                ) from exc
            yield

    def _hold(self) -> None:
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # for this transaction only
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(self.lock_timeout * 1000)}ms"])
        if not Organisation.objects.select_for_update().filter(pk=self._org).exists():
            raise NotFound(f"no organisation {self._org}", code="no_organisation")

    # --- reading --------------------------------------------------------------------------------------

    def _rows(self) -> dict[Part, _Row]:
        rows = {}
        as_text = Cast("data", output_field=TextField())
        for pk, name, text in PartRow.objects.filter(organisation_id=self._org).values_list("pk", "part", as_text):
            try:
                rows[Part(name)] = _Row(int(pk), str(text))
            except ValueError:
                continue  # a part this antai does not know: not part of the assessment it reads
        return rows

    def _state(self, rows: dict[Part, _Row]) -> dict[str, str]:
        return {part.value: row.digest(part) for part, row in rows.items()}

    def _head(self) -> tuple[int, dict[str, Any] | None]:
        """The position and data of the last entry (0, None without history)."""
        last = Entry.objects.filter(organisation_id=self._org).order_by("-seq").first()
        if last is None:
            return 0, None
        data: dict[str, Any] = last.data if isinstance(last.data, dict) else {"_unreadable": str(last.data)}
        return int(last.seq), data

    def _where(self, part: Part) -> str:
        return f"organisation {self._org}: {part.value}"

    def _decode(self, rows: dict[Part, _Row], skip: Part | None = None) -> tuple[dict[Part, Any], list[Problem]]:
        values: dict[Part, Any] = {}
        problems = []
        for part, row in rows.items():
            if part == skip:
                continue
            try:
                values[part] = from_data(part, row.data())
            except ValidationError as exc:
                problems.append(Problem(self._where(part), 1, 1, validation_text(exc), code="invalid"))
            except ValueError as exc:
                problems.append(Problem(self._where(part), 1, 1, str(exc), code="invalid"))
        return values, problems

    def exists(self) -> bool:
        return bool(PartRow.objects.filter(organisation_id=self._org, part=Part.META.value).exists())

    def load(self) -> Snapshot:
        rows = self._rows()
        if Part.META not in rows:
            raise NotFound("no assessment here", code="no_workspace")
        values, problems = self._decode(rows, skip=Part.LOCK)  # the lock is not part of a snapshot
        if problems:
            raise SourceError(problems)
        _, head_entry = self._head()
        head = Head.of(head_entry)
        now = self._state(rows)
        unrecorded = tuple(sorted(k for k in set(now) | set(head.state) if now.get(k) != head.state.get(k)))
        assessment = Assessment(
            meta=values[Part.META],
            profile=values.get(Part.PROFILE, Profile()),
            answers=dict(values.get(Part.ANSWERS, {})),
            acceptances=list(values.get(Part.DECISIONS, [])),
            evidence=list(values.get(Part.EVIDENCE, [])),
            organisation=values.get(Part.ORGANISATION, OrganisationFacts()),
            archive=list(values.get(Part.ARCHIVE, [])),
        )
        return Snapshot(assessment, head.hash if head_entry is not None else "", head.seq, unrecorded)

    def read_lock(self) -> dict[str, Any]:
        row = PartRow.objects.filter(organisation_id=self._org, part=Part.LOCK.value).first()
        if row is None:
            return {}
        try:
            lock: dict[str, Any] = from_data(Part.LOCK, row.data)
        except ValueError as exc:
            raise SourceError([Problem(self._where(Part.LOCK), 1, 1, str(exc), code="invalid")]) from None
        return lock

    def history(self) -> list[dict[str, Any]]:
        return [
            e if isinstance(e, dict) else {"_unreadable": str(e)}
            for e in Entry.objects.filter(organisation_id=self._org).order_by("seq").values_list("data", flat=True)
        ]

    def blob_bytes(self, key: str) -> bytes:
        """The plaintext of the evidence file stored under ``key`` (decrypted and checked against its sha256)."""
        row = StoredBlob.objects.filter(organisation_id=self._org, key=key).first()
        if row is None:
            raise NotFound(f"no stored evidence file {key}", code="no_blob", key=key)
        sealed = crypto.Sealed(bytes(row.nonce), bytes(row.wrapped_key), bytes(row.ciphertext))
        return crypto.unseal(
            sealed, organisation=self._org, key=row.key, sha256=row.sha256, size=row.size, master=self._master()
        )

    def _master(self) -> bytes:
        return crypto.master_key()

    # --- writing --------------------------------------------------------------------------------------

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        try:
            with self.locked():
                return self._commit(change, expected_version, actor)
        except IntegrityError:
            # another writer appended the same entry position: only possible without the row lock
            raise Conflict("the assessment changed since it was read", code="conflict") from None

    def _commit(self, change: ChangeSet, expected_version: str, actor: Actor) -> dict[str, Any]:
        position, head_entry = self._head()
        if head_entry is not None and head_entry.get("hash") != entry_hash(head_entry):
            raise Damaged(
                f"organisation {self._org}: the last history entry does not match its hash (it was altered); "
                "nothing was written",
                code="history_altered",
            )
        current = str(head_entry["hash"]) if head_entry is not None else ""
        if current != expected_version:
            raise Conflict("the assessment changed since it was read", code="conflict")
        head = Head.of(head_entry)
        rows = self._rows()
        state = self._state(rows)
        if not change.accept_unrecorded and head_entry is not None:
            changed = sorted(k for k in set(state) | set(head.state) if state.get(k) != head.state.get(k))
            if changed:
                raise UnrecordedEdits(changed)
        # every evidence file is read and checked before anything is written
        master = self._master() if change.blobs else b""
        sealed = []
        for blob in change.blobs:
            data = blob.source.read_bytes()
            if hashlib.sha256(data).hexdigest() != blob.sha256:
                raise Conflict(f"{blob.source} changed while it was being added", code="blob_changed")
            box = crypto.seal(data, organisation=self._org, key=blob.key, sha256=blob.sha256, master=master)
            sealed.append((blob, len(data), box))
        for part, name in FIELDS.items():
            value = getattr(change, name)
            if value is None:
                continue
            data = to_data(part, value)
            state[part.value] = digest(part, data)
            if part in rows:
                PartRow.objects.filter(pk=rows[part].pk).update(data=data, digest=state[part.value])
            else:
                PartRow.objects.create(organisation_id=self._org, part=part.value, data=data, digest=state[part.value])
        for blob, size, box in sealed:
            StoredBlob.objects.update_or_create(
                organisation_id=self._org,
                key=blob.key,
                defaults={
                    "sha256": blob.sha256,
                    "size": size,
                    "nonce": box.nonce,
                    "wrapped_key": box.wrapped_key,
                    "ciphertext": box.ciphertext,
                },
            )
        merge: list[Head] = []
        if change.join_heads:
            merge = [Head.of(e) for e in check_chain(self.history()).heads if e.get("hash") != current]
        entry = new_entry(
            head,
            at=actor.now.isoformat(timespec="seconds"),
            who=actor.who,
            action=change.action,
            state=state,
            item=change.item,
            before=change.before,
            after=change.after,
            message=change.message,
            merge=merge,
        )
        entry = json.loads(json.dumps(entry, ensure_ascii=False))  # as history() will give it back
        Entry.objects.create(organisation_id=self._org, seq=position + 1, hash=entry["hash"], data=entry)
        stored: dict[str, Any] = entry
        return stored

    def repair(self, discard: bool = False) -> RepairReport:
        """A change is one transaction, so none is ever left half-done: nothing to complete or roll back. The
        report says what still needs a person: unjoined branches (a history imported from git), a broken
        chain, parts that do not read, parts changed outside antai."""
        report = RepairReport()
        with self.locked():
            entries = self.history()
            chain = check_chain(entries)
            if len(chain.heads) > 1:
                report.remaining.append(Notice("unjoined_branches", {"count": len(chain.heads)}))
            if chain.broken is not None:
                report.remaining.append(
                    Notice(
                        "broken_entry",
                        {"line": chain.broken.line, "reason": chain.broken.reason, "reason_text": chain.broken.message},
                    )
                )
            rows = self._rows()
            _, problems = self._decode(rows)
            report.remaining.extend(Notice("unreadable", {"text": str(p)}) for p in problems)
            if entries:
                head = Head.of(entries[-1])
                now = self._state(rows)
                unrecorded = sorted(k for k in set(now) | set(head.state) if now.get(k) != head.state.get(k))
                if unrecorded:
                    report.remaining.append(Notice("unrecorded", {"parts": ", ".join(unrecorded)}))
        return report
