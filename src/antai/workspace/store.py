"""The file workspace: an assessment kept as YAML files in a folder that a team commits to git.

Layout::

    antai.yaml            organisation, pinned catalog version, workspace format
    profile.yaml          the service profile
    answers.yaml          one entry per applicable item, in catalog order
    decisions.yaml        decisions with approver and expiry (appended, never rewritten)
    organisation.yaml     facts banks ask first
    evidence/index.yaml   evidence records (SHA-256, who, when, effective date, expiry)
    evidence/files/       the evidence files themselves
    archive.yaml          answers of items that left the plan, kept for the record
    catalog-lock.json     the catalog items the assessment was made against
    history.jsonl         the tamper-evident history
    .antai/               lock, journal and staging area (not committed)

A change is written in three steps under one lock: every new file is staged beside the workspace, then a
journal naming the staged files and the history entry is written atomically, then the staged files are
renamed into place and the entry appended. A crash before the journal exists leaves the workspace as it
was; a crash after it is completed by the next command (:meth:`FileStore.recover`). So a kill -9 at any
point leaves the workspace either before or after the change, never between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from antai.app.ports import Actor, ChangeSet, Notice, RepairReport, Snapshot
from antai.assessment.history import Head, check_chain, dump_line, entry_hash, new_entry, parse_lines, text_digest
from antai.assessment.model import (
    AnswersFile,
    ArchiveFile,
    DecisionsFile,
    EvidenceIndex,
    OrganisationFacts,
    WorkspaceMeta,
)
from antai.assessment.state import Assessment, Part
from antai.catalog.yamlsource import Problem, SourceError, load_model, load_yaml
from antai.errors import AntaiError, Busy, Conflict, Damaged, InvalidChange, NotFound, UnrecordedEdits
from antai.fileio import atomic_write_bytes, fsync_dir
from antai.tailoring.profile import Profile
from antai.workspace import yamlio

META = "antai.yaml"
PROFILE = "profile.yaml"
ANSWERS = "answers.yaml"
DECISIONS = "decisions.yaml"
ORGANISATION = "organisation.yaml"
EVIDENCE_INDEX = "evidence/index.yaml"
EVIDENCE_FILES = "evidence/files"
ARCHIVE = "archive.yaml"
LOCK = "catalog-lock.json"
HISTORY = "history.jsonl"
TRACKED = (META, PROFILE, ANSWERS, DECISIONS, ORGANISATION, EVIDENCE_INDEX, ARCHIVE, LOCK)
PRIVATE = ".antai"
JOURNAL = f"{PRIVATE}/journal.json"
STAGING = f"{PRIVATE}/staging"
LOCK_FILE = f"{PRIVATE}/lock"
CANONICAL = f"{PRIVATE}/canonical.json"  # digests of files antai last wrote in canonical form (a cache)

FILES: dict[Part, str] = {
    Part.META: META,
    Part.PROFILE: PROFILE,
    Part.ANSWERS: ANSWERS,
    Part.DECISIONS: DECISIONS,
    Part.ORGANISATION: ORGANISATION,
    Part.EVIDENCE: EVIDENCE_INDEX,
    Part.ARCHIVE: ARCHIVE,
    Part.LOCK: LOCK,
}
PARTS: dict[str, Part] = {name: part for part, name in FILES.items()}

GITATTRIBUTES = """\
# Written by `antai init`. Git must keep every byte as antai wrote it, or the hashes in history.jsonl
# stop matching (Git for Windows rewrites line endings by default).
* -text
# Both branches' history entries are kept on a merge; `antai record -m "merge …"` then joins them.
history.jsonl merge=union
"""
GITIGNORE = """\
# Written by `antai init`: the lock, the journal of an interrupted change and reports rendered locally.
.antai/
reports/
*.tmp
"""

_HEADERS = {
    ANSWERS: "# Self-assessment answers, one per applicable item, in catalog order. Edit with `antai set`,\n"
    "# or by hand and then `antai validate` + `antai record -m …` (comments you add here are kept).\n"
    "# status: unanswered | implemented | partial | planned (due) | not_implemented | not_applicable (reason)\n"
    "#         | risk_accepted (antai accept) | compensated (compensated_by, reason)\n",
    DECISIONS: "# Decisions with rationale, approver, date and expiry: risk acceptances (`antai accept`) and\n"
    "# mandatory items declared not applicable. Appended, never rewritten.\n",
    ORGANISATION: "# Facts partner banks ask first. Missing facts are shown as gaps in reports.\n",
    EVIDENCE_INDEX: "# Evidence records, added with `antai evidence add`. sha256 is checked by `antai verify`.\n",
    ARCHIVE: "# Answers of items that left the plan (a catalog upgrade or a profile change), kept for the record.\n",
}

_MODELS: dict[str, type[BaseModel]] = {
    META: WorkspaceMeta,
    PROFILE: Profile,
    ANSWERS: AnswersFile,
    DECISIONS: DecisionsFile,
    ORGANISATION: OrganisationFacts,
    EVIDENCE_INDEX: EvidenceIndex,
    ARCHIVE: ArchiveFile,
}
_OPTIONAL = {ANSWERS, DECISIONS, ORGANISATION, EVIDENCE_INDEX, ARCHIVE}
DEFAULT_LOCK_TIMEOUT = 15.0


def current_user() -> str:
    """Who is making a change: $ANTAI_USER, else git's user.name, else the login name."""
    explicit = os.environ.get("ANTAI_USER")
    if explicit:
        return explicit
    import getpass
    import subprocess

    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=2, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


def _fault(point: str) -> None:
    """Test hook for the crash-safety harness: ANTAI_FAULT=POINT kills the process at that step of a
    commit; ANTAI_FAULT=pause:SECONDS slows every step so that a kill at a random time lands inside one."""
    wanted = os.environ.get("ANTAI_FAULT")
    if not wanted:
        return
    if wanted == point:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if wanted.startswith("pause:"):
        import time

        time.sleep(float(wanted.removeprefix("pause:")))


def part_data(name: str, model: BaseModel) -> Any:
    """The plain data a part's file holds."""
    data = yamlio.plain(model.model_dump(exclude_none=True))
    if name == ANSWERS:
        for answer in data.get("answers", {}).values():
            if not answer.get("review"):
                answer.pop("review", None)  # only a flagged item says so, keeping the file quiet
    return data


class FileStore:
    """:class:`antai.app.ports.AssessmentStore` over a workspace folder."""

    def __init__(self, root: Path, lock_timeout: float | None = None) -> None:
        self.root = root
        timeout = lock_timeout if lock_timeout is not None else os.environ.get("ANTAI_LOCK_TIMEOUT")
        self.lock_timeout = float(timeout) if timeout is not None else DEFAULT_LOCK_TIMEOUT
        self._lock: Any = None
        self._holding = 0
        self._texts: dict[str, tuple[bytes, Any]] = {}  # what load() read, for the round trip
        self.last_recovery = RepairReport()
        self._state_cache: tuple[list[tuple[str, int, int, int]], dict[str, str]] | None = None
        self._canonical: dict[str, str] = {}  # digests of files this commit writes in canonical form

    def path(self, name: str) -> Path:
        return self.root / name

    def exists(self) -> bool:
        return self.path(META).is_file()

    # --- the lock ---------------------------------------------------------------------------------

    @contextmanager
    def locked(self, *, recover: bool = True) -> Iterator[None]:
        """Hold the workspace lock (re-entrant) and complete any interrupted change first. Where the
        folder cannot be written (a read-only checkout), readers go on without it: nobody can write there."""
        if self._holding:
            self._holding += 1
            try:
                yield
            finally:
                self._holding -= 1
            return
        if not self.root.is_dir():
            yield  # nothing here to protect (yet); creating a workspace makes the folder first
            return
        from filelock import FileLock, Timeout

        try:
            self.path(PRIVATE).mkdir(exist_ok=True)
            lock = FileLock(str(self.path(LOCK_FILE)), timeout=self.lock_timeout)
            lock.acquire()
        except Timeout:
            raise Busy(
                f"{self.root}: the workspace is busy (another antai command has held it for "
                f"{self.lock_timeout:g} s); try again, or raise ANTAI_LOCK_TIMEOUT",
                timeout=self.lock_timeout,
            ) from None
        except OSError:
            if not os.access(self.root, os.W_OK):
                yield  # read-only: no writer can be active here
                return
            raise
        self._holding = 1
        try:
            if recover:
                self.last_recovery = self.recover()
            yield
        finally:
            self._holding = 0
            lock.release()

    # --- reading -----------------------------------------------------------------------------------

    def load(self) -> Snapshot:
        if not self.exists():
            raise NotFound(
                f"{self.root} is not an antai workspace (no {META}); create one with `antai init`",
                code="no_workspace",
            )
        if not self._holding and self.path(JOURNAL).exists():
            raise Damaged(
                f"{self.root}: an interrupted change must be completed first; run `antai repair` where the "
                "folder can be written",
                code="pending_journal",
            )
        problems: list[Problem] = []
        self._texts = {}
        read: dict[str, Any] = {}
        for name, model in _MODELS.items():
            path = self.path(name)
            if name in _OPTIONAL and not path.is_file():
                read[name] = model()
                continue
            try:
                raw = path.read_bytes()
                read[name] = load_model(path, model, display=str(path))
                self._texts[name] = (raw, read[name])
            except SourceError as exc:
                problems.extend(exc.problems)
            except OSError as exc:
                problems.append(Problem(str(path), 1, 1, f"cannot read: {exc.strerror}"))
        if problems:
            raise SourceError(problems)
        head = Head.of(self.tail())
        now = self.state()
        unrecorded = tuple(sorted(n for n in set(now) | set(head.state) if now.get(n) != head.state.get(n)))
        assessment = Assessment(
            meta=read[META],
            profile=read[PROFILE],
            answers=dict(read[ANSWERS].answers),
            acceptances=list(read[DECISIONS].acceptances),
            evidence=list(read[EVIDENCE_INDEX].evidence),
            organisation=read[ORGANISATION],
            archive=list(read[ARCHIVE].archived),
        )
        version = head.hash if head.seq else ""
        return Snapshot(assessment, version, head.seq, unrecorded if head.seq else ())

    def read_lock(self) -> dict[str, Any]:
        path = self.path(LOCK)
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError([Problem(str(path), 1, 1, f"not a readable catalog lock: {exc}")]) from None
        return data if isinstance(data, dict) else {}

    def position(self, name: str, loc: tuple[str | int, ...]) -> tuple[int, int]:
        try:
            return load_yaml(self.path(name)).position(loc)
        except SourceError:
            return 1, 1

    def state(self) -> dict[str, str]:
        """Digest of every tracked file as it is now (re-hashed only when a file's size, time or inode
        moved since the last call of this process, e.g. between load and commit of one change)."""
        signature = []
        for name in TRACKED:
            try:
                info = self.path(name).stat()
            except FileNotFoundError:
                continue
            signature.append((name, info.st_size, info.st_mtime_ns, info.st_ino))
        if self._state_cache is not None and self._state_cache[0] == signature:
            return dict(self._state_cache[1])
        found = {}
        for name, *_ in signature:
            try:
                found[name] = text_digest(self.path(name).read_bytes())
            except FileNotFoundError:
                continue
        self._state_cache = (signature, found)
        return dict(found)

    def unrecorded(self) -> list[str]:
        head = Head.of(self.tail())
        if not head.seq:
            return []
        now = self.state()
        return sorted(n for n in set(now) | set(head.state) if now.get(n) != head.state.get(n))

    def tail(self) -> dict[str, Any] | None:
        """The last history entry, read from the end of the file (appending stays O(1) in its length)."""
        path = self.path(HISTORY)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            chunk = b""
            position = end
            while position > 0:
                step = min(65536, position)
                position -= step
                handle.seek(position)
                chunk = handle.read(step) + chunk
                body = chunk.rstrip(b"\r\n")
                if b"\n" in body:
                    line = body.rsplit(b"\n", 1)[1]
                    break
            else:
                line = chunk.rstrip(b"\r\n")
        if not line.strip():
            return None
        parsed = parse_lines(line.decode("utf-8", errors="replace"))
        return parsed[0] if parsed else None

    def history(self) -> list[dict[str, Any]]:
        path = self.path(HISTORY)
        if not path.is_file():
            return []
        return parse_lines(path.read_bytes().decode("utf-8", errors="replace"))

    # --- writing -----------------------------------------------------------------------------------

    def _render(self, name: str, model: BaseModel) -> bytes:
        """The new text of a part: patched or re-rendered canonically when antai wrote the file as it is;
        updated in place (round trip) when a person edited its layout or added comments."""
        previous = self._texts.get(name)
        if previous is not None:
            raw, old_model = previous
            try:
                on_disk = self.path(name).read_bytes()
            except FileNotFoundError:
                on_disk = b""
            if on_disk == raw:
                if self._is_canonical(name, raw, old_model):
                    patched = _patch_answers(raw, old_model, model) if name == ANSWERS else None
                    text = patched if patched is not None else self._render_fresh(name, model).encode("utf-8")
                    self._canonical[name] = text_digest(text)
                    return text
                kept = yamlio.roundtrip_text(raw.decode("utf-8"), part_data(name, model))
                if kept is not None:
                    return kept.encode("utf-8")
        text = self._render_fresh(name, model).encode("utf-8")
        self._canonical[name] = text_digest(text)
        return text

    def _is_canonical(self, name: str, raw: bytes, model: BaseModel) -> bool:
        """Whether ``raw`` is exactly what antai writes for ``model``: known from the last commit's
        record in .antai/ (fast), else by rendering the model again."""
        digest = text_digest(raw)
        if _read_canonical(self.path(CANONICAL)).get(name) == digest:
            return True
        return raw.replace(b"\r\n", b"\n") == self._render_fresh(name, model).encode("utf-8")

    def _render_fresh(self, name: str, model: BaseModel) -> str:
        if name == PROFILE:
            from antai.tailoring.questionnaire import profile_yaml

            assert isinstance(model, Profile)
            return profile_yaml(model, "ja")
        return yamlio.canonical_text(_HEADERS.get(name, ""), part_data(name, model))

    def _texts_for(self, change: ChangeSet) -> dict[str, bytes]:
        texts: dict[str, bytes] = {}
        if change.meta is not None:
            texts[META] = self._render(META, change.meta)
        if change.profile is not None:
            texts[PROFILE] = self._render(PROFILE, change.profile)
        if change.answers is not None:
            texts[ANSWERS] = self._render(ANSWERS, AnswersFile(answers=change.answers))
        if change.acceptances is not None:
            texts[DECISIONS] = self._render(DECISIONS, DecisionsFile(acceptances=change.acceptances))
        if change.organisation is not None:
            texts[ORGANISATION] = self._render(ORGANISATION, change.organisation)
        if change.evidence is not None:
            texts[EVIDENCE_INDEX] = self._render(EVIDENCE_INDEX, EvidenceIndex(evidence=change.evidence))
        if change.archive is not None:
            texts[ARCHIVE] = self._render(ARCHIVE, ArchiveFile(archived=change.archive))
        if change.lock is not None:
            texts[LOCK] = (json.dumps(change.lock, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        return texts

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        creating = expected_version == ""
        if creating:
            if self.exists() or self.path(HISTORY).exists():
                raise InvalidChange(
                    f"{self.root} already holds a workspace ({META} or {HISTORY}); refusing to start a second history",
                    code="exists",
                )
            self.root.mkdir(parents=True, exist_ok=True)
        with self.locked():
            if not self._holding:
                raise AntaiError(f"{self.root}: the folder cannot be written", code="read_only")
            head_entry = self.tail()
            if head_entry is not None and head_entry.get("hash") != entry_hash(head_entry):
                raise Damaged(
                    f"{self.path(HISTORY)}: the last history entry does not match its hash (it was altered); "
                    "nothing was written: see `antai verify`, and restore the history from git",
                    code="history_altered",
                )
            current = str(head_entry.get("hash")) if head_entry else ""
            if current != expected_version:
                raise Conflict("the workspace changed since it was read", code="conflict")
            head = Head.of(head_entry)
            state = self.state()
            if head_entry is not None and not change.accept_unrecorded:
                changed = sorted(n for n in set(state) | set(head.state) if state.get(n) != head.state.get(n))
                if changed:
                    raise UnrecordedEdits(changed)
            self._canonical = {}
            texts = self._texts_for(change)
            for name, data in texts.items():
                state[name] = text_digest(data)
            merge: list[Head] = []
            if change.join_heads:
                merge = [Head.of(e) for e in check_chain(self.history()).heads if e.get("hash") != current]
            entry = new_entry(
                head,
                at=actor.now.astimezone(dt.UTC).isoformat(timespec="seconds"),
                who=actor.who,
                action=change.action,
                state=state,
                item=change.item,
                before=change.before,
                after=change.after,
                message=change.message,
                merge=merge,
            )
            if creating or change.action == "upgrade":
                self._write_git_files()
            self._apply(entry, texts, change)
            self._note_canonical(texts)
            self._texts = {}
            return entry

    def _note_canonical(self, texts: dict[str, bytes]) -> None:
        """Remember which files are now in canonical form, so the next change can patch them quickly."""
        known = _read_canonical(self.path(CANONICAL))
        for name in texts:
            known.pop(name, None)
        known.update(self._canonical)
        with contextlib.suppress(OSError):  # only a cache: without it the next change renders in full
            atomic_write_bytes(self.path(CANONICAL), json.dumps(known, sort_keys=True).encode("utf-8"), durable=False)

    def _write_git_files(self) -> None:
        for name, text in ((".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)):
            target = self.path(name)
            if not target.exists():
                atomic_write_bytes(target, text.encode("utf-8"))

    def _apply(self, entry: dict[str, Any], texts: dict[str, bytes], change: ChangeSet) -> None:
        """Stage, journal, then move into place and log: the three steps that make a change atomic."""
        staging = self.path(STAGING)
        staging.mkdir(parents=True, exist_ok=True)
        tx = os.urandom(6).hex()  # names this change's staged files
        files: list[dict[str, str]] = []
        for number, (name, data) in enumerate(texts.items()):
            staged = f"{STAGING}/{tx}-{number}"
            _write_synced(self.path(staged), data)
            files.append({"target": name, "staged": staged, "digest": text_digest(data), "kind": "text"})
            _fault("staged")
        for number, blob in enumerate(change.blobs):
            staged = f"{STAGING}/{tx}-blob-{number}"
            digest = _copy_synced(blob.source, self.path(staged))
            if digest != blob.sha256:
                self.path(staged).unlink(missing_ok=True)
                raise Conflict(f"{blob.source} changed while it was being added; add it again", code="blob_changed")
            files.append({"target": blob.key, "staged": staged, "digest": digest, "kind": "blob"})
            _fault("staged")
        fsync_dir(staging)
        _fault("before-journal")
        journal = {"journal": 1, "tx": tx, "entry": entry, "files": files}
        atomic_write_bytes(self.path(JOURNAL), json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        fsync_dir(self.path(PRIVATE))
        _fault("journal")
        self._roll_forward(journal)

    def _roll_forward(self, journal: dict[str, Any]) -> None:
        entry = journal["entry"]
        touched: set[Path] = set()
        for number, record in enumerate(journal["files"]):
            staged = self.path(record["staged"])
            target = self.path(record["target"])
            if staged.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                touched.add(target.parent)
                if number == 0:
                    _fault("moving")
            elif not target.is_file() or _digest_of(target, record["kind"]) != record["digest"]:
                raise Damaged(
                    f"{self.root}: an interrupted change cannot be completed ({record['target']} is neither staged "
                    "nor in place); restore the folder from git, or run `antai repair --discard`",
                    code="journal_broken",
                )
        for folder in touched:
            fsync_dir(folder)
        _fault("moved")
        tail = self.tail()
        if tail is None or tail.get("hash") != entry["hash"]:
            self._drop_torn_line()
            with self.path(HISTORY).open("a", encoding="utf-8", newline="\n") as handle:
                handle.write(dump_line(entry))
                handle.flush()
                os.fsync(handle.fileno())
        _fault("logged")
        self.path(JOURNAL).unlink(missing_ok=True)
        fsync_dir(self.path(PRIVATE))

    def _drop_torn_line(self) -> None:
        """A crash while appending can leave half a line; the journal still holds the whole entry."""
        path = self.path(HISTORY)
        try:
            handle = path.open("r+b")
        except FileNotFoundError:
            return
        with handle:
            end = handle.seek(0, os.SEEK_END)
            if end == 0:
                return
            handle.seek(end - 1)
            if handle.read(1) == b"\n":
                return
            position = end
            while position > 0:  # back to the last complete line
                step = min(65536, position)
                position -= step
                handle.seek(position)
                chunk = handle.read(step)
                cut = chunk.rfind(b"\n")
                if cut >= 0:
                    position += cut + 1
                    break
            handle.truncate(position)
            os.fsync(handle.fileno())

    # --- recovery ----------------------------------------------------------------------------------

    def recover(self, discard: bool = False) -> RepairReport:
        """Finish (or, with ``discard``, roll back) an interrupted change and remove stray temporary files.
        Runs under the lock at the start of every command, so nobody has to ask for it."""
        report = RepairReport()
        journal_path = self.path(JOURNAL)
        keep: set[str] = set()
        if journal_path.exists():
            try:
                journal = json.loads(journal_path.read_bytes())
                entry = journal["entry"]
                files = journal["files"]
                assert isinstance(files, list) and isinstance(entry, dict)
            except (OSError, ValueError, KeyError, TypeError, AssertionError):
                journal_path.unlink(missing_ok=True)
                report.rolled_back.append(Notice("change", {"action": "journal", "item": ""}))
            else:
                done = Notice("change", {"action": str(entry.get("action")), "item": entry.get("item") or ""})
                if discard:
                    journal_path.unlink(missing_ok=True)
                    report.rolled_back.append(done)
                else:
                    keep = {f["staged"] for f in files}
                    self._roll_forward(journal)
                    report.completed.append(done)
        report.removed = self._remove_strays(keep)
        return report

    def _remove_strays(self, keep: set[str]) -> list[str]:
        removed: list[str] = []
        staging = self.path(STAGING)
        if staging.is_dir():
            for stray in staging.iterdir():
                rel = f"{STAGING}/{stray.name}"
                if rel not in keep and stray.is_file():
                    stray.unlink(missing_ok=True)
                    removed.append(rel)
        for folder in (self.root, self.path(PRIVATE), self.path("evidence"), self.path(EVIDENCE_FILES)):
            if not folder.is_dir():
                continue
            for stray in folder.iterdir():
                if stray.name.startswith(".") and stray.name.endswith(".tmp") and stray.is_file():
                    stray.unlink(missing_ok=True)
                    removed.append(str(stray.relative_to(self.root)))
        return removed

    def repair(self, discard: bool = False) -> RepairReport:
        """Complete (or with ``discard`` roll back) an interrupted change, remove strays, and say what
        still needs a person."""
        with self.locked(recover=False):
            if not self._holding:
                raise AntaiError(f"{self.root}: the folder cannot be written", code="read_only")
            report = self.recover(discard=discard)
            chain = check_chain(self.history())
            if len(chain.heads) > 1:
                report.remaining.append(Notice("unjoined_branches", {"count": len(chain.heads)}))
            if chain.broken is not None:
                report.remaining.append(
                    Notice(
                        "broken_entry",
                        {"line": chain.broken.line, "reason": chain.broken.reason, "reason_text": chain.broken.message},
                    )
                )
            unrecorded = self.unrecorded()
            if unrecorded:
                report.remaining.append(Notice("unrecorded", {"parts": ", ".join(unrecorded)}))
            return report


def _read_canonical(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _patch_answers(raw: bytes, old: BaseModel, new: BaseModel) -> bytes | None:
    """answers.yaml with only the changed entries re-rendered. ``raw`` is canonical, so every entry is
    one block that starts with its key two spaces in; any surprise falls back to a full render."""
    assert isinstance(old, AnswersFile) and isinstance(new, AnswersFile)
    text = raw.decode("utf-8")
    marker = "\nanswers:\n" if not text.startswith("answers:\n") else "answers:\n"
    at = text.find(marker)
    if at < 0 or not old.answers:
        return None
    head, body = text[: at + len(marker)], text[at + len(marker) :]
    blocks: list[list[str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("  ") and not line.startswith("   "):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            return None
    keys = [block[0].strip().removesuffix(":") for block in blocks]
    if keys != list(old.answers):
        return None
    existing = dict(zip(keys, ("".join(b) for b in blocks), strict=True))
    parts = [head]
    for item_id, answer in new.answers.items():
        if item_id in existing and old.answers.get(item_id) == answer:
            parts.append(existing[item_id])
        else:
            single = part_data(ANSWERS, AnswersFile(answers={item_id: answer}))
            rendered = yamlio.canonical_text("", single)
            if not rendered.startswith("answers:\n"):
                return None
            parts.append(rendered.removeprefix("answers:\n"))
    if not new.answers:
        return None
    return "".join(parts).encode("utf-8")


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _copy_synced(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as reader, target.open("wb") as writer:
        for block in iter(lambda: reader.read(1 << 16), b""):
            digest.update(block)
            writer.write(block)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest()


def _digest_of(path: Path, kind: str) -> str:
    data = path.read_bytes()
    return text_digest(data) if kind == "text" else hashlib.sha256(data).hexdigest()
