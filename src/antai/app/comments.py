"""Comment threads: a bank's comments imported into the workspace, the venture's answers and closings.

Every message is one ``comment`` history entry (``antai.assessment.threads`` reads them back); no part of
the assessment changes, so the next ``antai submit`` carries the threads to the bank in its history. An
import is refused as a whole when the file comments on a submission the history does not record, on an
item the catalog does not have, on an organisation fact that does not exist or on a checklist row that
does not exist; a comment already imported (the same file, or the same words on the same target and
submission) is never added twice, so importing a file again after an interruption completes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from antai.app.ports import Actor, AssessmentStore, ChangeSet, Snapshot
from antai.app.usecases import _run, require_readable, submissions
from antai.assessment.model import FACT_GROUPS, fact_field, is_entry_path
from antai.assessment.threads import (
    ACTION,
    MAX_TEXT,
    Incoming,
    IncomingComment,
    Kind,
    Message,
    Side,
    State,
    Target,
    TargetKind,
    Thread,
    Verdict,
    next_thread_id,
    open_thread_on,
    thread_by_id,
    threads_from_history,
)
from antai.catalog import Catalog
from antai.checklists.model import Checklist
from antai.errors import AntaiError, InvalidChange, NotFound

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CommentProblem:
    """Why one comment (or the whole file) cannot be imported: a code, its values, and where it is."""

    where: str
    code: str  # unknown_submission, unknown_item, unknown_fact, unknown_checklist, unknown_row, …
    params: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # English

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class CommentsRefused(AntaiError):
    """The file cannot be imported; ``problems`` says why, comment by comment. Nothing was written."""

    code = "comments_refused"

    def __init__(self, name: str, problems: list[CommentProblem]) -> None:
        super().__init__(f"{name}: {len(problems)} problem(s); nothing was imported", file=name, count=len(problems))
        self.problems = problems


class UnknownThread(NotFound):
    code = "unknown_thread"


class ThreadClosed(InvalidChange):
    code = "thread_closed"


class EmptyText(InvalidChange):
    code = "comment_empty"


@dataclass(frozen=True)
class Imported:
    """What an import did: the threads it started and continued, and what it left out."""

    submission: str
    new: tuple[str, ...]  # thread IDs started
    updated: tuple[str, ...]  # existing threads a comment continued
    messages: tuple[Message, ...]  # every message added, in order
    duplicates: int  # comments already imported before
    skipped: tuple[int, ...]  # workbook rows with neither verdict nor comment

    @property
    def already(self) -> bool:
        """Everything in the file was imported before: nothing was added."""
        return not self.messages and self.duplicates > 0


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise EmptyText("the text is empty", code="comment_empty")
    if len(text) > MAX_TEXT:
        raise InvalidChange(f"the text has more than {MAX_TEXT:,} characters", code="comment_too_long", limit=MAX_TEXT)
    if _CONTROL.search(text):
        raise InvalidChange("the text contains control characters", code="comment_control")
    return text


def _problem(where: str, code: str, message: str, **params: Any) -> CommentProblem:
    return CommentProblem(where, code, params, message)


def _fact_exists(path: str) -> bool:
    return path in FACT_GROUPS or fact_field(path) is not None or is_entry_path(path)


def _resolve(
    comment: IncomingComment,
    catalog: Catalog,
    checklists: Mapping[str, Checklist],
    threads: list[Thread],
) -> tuple[Target, tuple[str, ...], Thread | None] | CommentProblem:
    """The comment's target, what it refers to, and the thread it continues — or why it cannot be imported."""
    where = comment.where
    if comment.thread is not None:
        found = thread_by_id(threads, comment.thread)
        if found is None:
            return _problem(
                where, "unknown_thread", f"no thread {comment.thread} in this workspace", thread=comment.thread
            )
        if comment.target is not None and Target.parse(comment.target) != found.target:
            return _problem(
                where,
                "thread_target",
                f"thread {found.id} is about {found.target}, not {comment.target}",
                thread=found.id,
                target=str(found.target),
                given=comment.target,
            )
        return found.target, found.refs, found
    if comment.target is None or not comment.target.strip():
        return _problem(where, "no_target", "the comment names no target (an item, org:FACT or checklist:NAME/ROW)")
    target = Target.parse(comment.target)
    refs: tuple[str, ...] = ()
    if target.kind == TargetKind.ITEM:
        if catalog.item(target.ref) is None:
            return _problem(
                where,
                "unknown_item",
                f"'{target.ref}' is not an item of catalog {catalog.version}",
                item=target.ref,
                version=catalog.version,
            )
    elif target.kind == TargetKind.FACT:
        if not _fact_exists(target.ref):
            return _problem(where, "unknown_fact", f"'{target.ref}' is not an organisation fact", fact=target.ref)
    else:
        name, row_id = target.checklist or "", target.row or ""
        checklist = checklists.get(name)
        if checklist is None:
            return _problem(
                where,
                "unknown_checklist",
                f"no checklist '{name}' (known: {', '.join(sorted(checklists)) or 'none'})",
                checklist=name,
                known=", ".join(sorted(checklists)),
            )
        row = next((r for r in checklist.rows if r.id == row_id), None)
        if row is None:
            return _problem(
                where, "unknown_row", f"checklist '{name}' has no row '{row_id}'", checklist=name, row=row_id
            )
        refs = (*row.items, *(f"org:{path}" for path in row.facts))
    return target, refs, open_thread_on(threads, target)


def _duplicate(comment: IncomingComment, incoming: Incoming, target: Target, threads: list[Thread]) -> bool:
    """Whether the comment is already in the history: from the same file, or the same words and verdict on
    the same target and submission (a workbook saved again has other bytes but the same comments)."""
    text = comment.text.strip()
    return any(
        (m.source == incoming.sha256 and m.index == comment.index)
        or (
            thread.target == target
            and m.side == Side.BANK
            and m.submission == incoming.submission
            and m.text == text
            and m.verdict == comment.verdict
        )
        for thread in threads
        for m in thread.messages
    )


def _entry(
    thread_id: str,
    kind: Kind,
    target: Target,
    refs: Iterable[str],
    side: Side,
    author: str,
    text: str,
    submission: str | None,
    **extra: Any,
) -> ChangeSet:
    after: dict[str, Any] = {
        "thread": thread_id,
        "kind": kind.value,
        "target": str(target),
        "refs": list(refs),
        "submission": submission,
        "author": author,
        "side": side.value,
        **{k: v for k, v in extra.items() if v not in (None, "")},
        "text": text,
    }
    summary = " ".join(text.split())
    summary = summary if len(summary) <= 60 else summary[:59] + "…"
    return ChangeSet(
        action=ACTION,
        item=target.ref if target.kind == TargetKind.ITEM else None,
        after=after,
        message=f"{thread_id}: {summary}" if summary else thread_id,
    )


def import_comments(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    incoming: Incoming,
    checklists: Mapping[str, Checklist] | None = None,
) -> Imported:
    """Bring a bank's comments into the workspace, one history entry each; refused as a whole (nothing is
    written) when any comment cannot be placed. ``checklists`` are the checklists, by name, whose rows the
    comments may name (``checklist:NAME/ROW``)."""
    known = dict(checklists or {})
    with store.locked():
        snapshot = store.load()
        require_readable(snapshot.assessment.meta)
        history = store.history()
        recorded = [s.id for s in submissions(history)]
        if incoming.submission not in recorded:
            raise CommentsRefused(
                incoming.name,
                [
                    _problem(
                        incoming.where,
                        "unknown_submission",
                        f"the comments are on submission {incoming.submission}, which this workspace's history does "
                        f"not record (submissions: {', '.join(recorded) or 'none'})",
                        submission=incoming.submission,
                        known=", ".join(recorded),
                    )
                ],
            )
        threads = threads_from_history(history)
        problems: list[CommentProblem] = []
        placed: list[tuple[IncomingComment, Target, tuple[str, ...], Thread | None]] = []
        for comment in incoming.comments:
            resolved = _resolve(comment, catalog, known, threads)
            if isinstance(resolved, CommentProblem):
                problems.append(resolved)
                continue
            if not comment.text.strip() and comment.verdict is None:
                problems.append(_problem(comment.where, "empty", "the comment has neither a text nor a verdict"))
                continue
            if len(comment.text) > MAX_TEXT:
                problems.append(
                    _problem(
                        comment.where,
                        "too_long",
                        f"the text has more than {MAX_TEXT:,} characters",
                        limit=f"{MAX_TEXT:,}",
                    )
                )
                continue
            placed.append((comment, *resolved))
        if problems:
            raise CommentsRefused(incoming.name, problems)
        version = snapshot.version
        new: list[str] = []
        updated: list[str] = []
        added: list[Message] = []
        duplicates = 0
        for comment, target, refs, named in placed:
            # a thread the comment names, else the open one on its target (an earlier comment may have started it)
            thread = thread_by_id(threads, named.id) if named is not None else open_thread_on(threads, target)
            if _duplicate(comment, incoming, target, threads):
                duplicates += 1
                continue
            thread_id = thread.id if thread is not None else next_thread_id(threads)
            kind = comment.kind or (Kind.COMMENT if comment.verdict == Verdict.OK else Kind.QUESTION)
            change = _entry(
                thread_id,
                kind,
                target,
                refs,
                Side.BANK,
                incoming.reviewer,
                comment.text.strip(),
                incoming.submission,
                bank=incoming.bank,
                verdict=comment.verdict.value if comment.verdict else None,
                source={"sha256": incoming.sha256, "format": incoming.format, "index": comment.index},
            )
            entry = store.commit(change, expected_version=version, actor=actor)
            version = str(entry["hash"])
            history.append(entry)
            threads = threads_from_history(history)
            written = thread_by_id(threads, thread_id)
            assert written is not None
            added.append(written.messages[-1])
            if thread is None:
                new.append(thread_id)
            elif thread_id not in new and thread_id not in updated:
                updated.append(thread_id)
    return Imported(incoming.submission, tuple(new), tuple(updated), tuple(added), duplicates, incoming.skipped)


def _venture_message(store: AssessmentStore, actor: Actor, thread_id: str, kind: Kind, text: str) -> Message:
    def build(snapshot: Snapshot) -> tuple[ChangeSet, str]:
        require_readable(snapshot.assessment.meta)
        threads = threads_from_history(store.history())
        thread = thread_by_id(threads, thread_id)
        if thread is None:
            raise UnknownThread(f"no thread {thread_id.strip()} (see `antai review threads`)", thread=thread_id.strip())
        if thread.state == State.CLOSED:
            raise ThreadClosed(
                f"thread {thread.id} is closed: it takes no answer and cannot be closed again",
                code="thread_closed",
                thread=thread.id,
            )
        return (
            _entry(thread.id, kind, thread.target, thread.refs, Side.VENTURE, actor.who, text, thread.last_submission),
            thread.id,
        )

    found = _run(store, actor, build)
    thread = thread_by_id(threads_from_history(store.history()), found)
    assert thread is not None
    return thread.messages[-1]


def answer(store: AssessmentStore, actor: Actor, thread_id: str, text: str) -> Message:
    """The venture's answer on a thread that is not closed; the next submission carries it."""
    return _venture_message(store, actor, thread_id, Kind.ANSWER, _checked_text(text))


def close(store: AssessmentStore, actor: Actor, thread_id: str, reason: str | None = None) -> Message:
    """Close a thread (with the reason, if given); a closed thread takes no answers, and the bank's next
    comment on the same target starts a new thread."""
    text = _checked_text(reason) if reason is not None and reason.strip() else ""
    return _venture_message(store, actor, thread_id, Kind.CLOSE, text)


def threads(store: AssessmentStore) -> list[Thread]:
    """Every thread of the workspace."""
    return threads_from_history(store.history())
