"""Comment threads between a bank and the venture, read from the hash-chained history.

A bank's comments on a submission come back into the workspace as threads on an item (``IAM-01``), an
organisation fact (``org:governance.deputy``) or a row of a bank checklist (``checklist:api-connection/EL-01``).
Every message is one ``comment`` entry of the history (a bank's question or comment, the venture's answer,
a closing), so threads are as tamper-evident as every other change and travel in every submission bundle
with the history. This module is pure: entries in, threads out; no I/O, no wording.

An entry's ``after`` holds the message::

    {"thread": "T0001", "kind": "question", "target": "IAM-01", "refs": [], "submission": "org-20261202-1",
     "author": "山田花子", "side": "bank", "bank": "〇〇銀行", "verdict": "ask", "text": "…",
     "source": {"sha256": "…", "format": "yaml", "index": 0}}

``refs`` lists what a checklist row maps to (item IDs and ``org:`` facts); ``verdict`` and ``source`` are
only present where they apply (a bank's verdict; a message imported from a file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from antai.assessment.model import FACT_PREFIX

ACTION = "comment"  # the history action of every thread message
CHECKLIST_PREFIX = "checklist:"
THREAD_ID = re.compile(r"^T\d{4,}$")
MAX_TEXT = 4000  # characters in one message, as for any text a person writes in the workspace


class Side(StrEnum):
    BANK = "bank"
    VENTURE = "venture"


class Kind(StrEnum):
    QUESTION = "question"  # the bank asks; the venture is expected to answer
    COMMENT = "comment"  # the bank remarks (e.g. a verdict of OK)
    ANSWER = "answer"  # the venture answers
    CLOSE = "close"  # the venture closes the thread


class Verdict(StrEnum):
    """The bank's verdict on what it commented on (the checklist's 可 / 要確認 / 不可)."""

    OK = "ok"
    ASK = "ask"
    NO = "no"


class State(StrEnum):
    OPEN = "open"  # the bank spoke last: the venture owes an answer
    ANSWERED = "answered"  # the venture answered; the bank may reply with its next review
    CLOSED = "closed"  # the venture closed it, or the bank's verdict was OK with nothing to answer


class TargetKind(StrEnum):
    ITEM = "item"
    FACT = "fact"
    CHECKLIST = "checklist"


@dataclass(frozen=True)
class Target:
    """What a thread is about: an item ID, a fact's dotted path, or a checklist row (``NAME/ROW``)."""

    kind: TargetKind
    ref: str

    def __str__(self) -> str:
        if self.kind == TargetKind.FACT:
            return FACT_PREFIX + self.ref
        if self.kind == TargetKind.CHECKLIST:
            return CHECKLIST_PREFIX + self.ref
        return self.ref

    @property
    def checklist(self) -> str | None:
        """The checklist's name of a checklist row target."""
        return self.ref.partition("/")[0] if self.kind == TargetKind.CHECKLIST else None

    @property
    def row(self) -> str | None:
        """The row ID of a checklist row target."""
        return self.ref.partition("/")[2] if self.kind == TargetKind.CHECKLIST else None

    @staticmethod
    def parse(text: str) -> Target:
        """``IAM-01``, ``org:PATH`` or ``checklist:NAME/ROW`` (item IDs are upper-cased); whether it exists
        is the use case's question."""
        text = text.strip()
        if text.startswith(FACT_PREFIX):
            return Target(TargetKind.FACT, text.removeprefix(FACT_PREFIX).strip())
        if text.startswith(CHECKLIST_PREFIX):
            return Target(TargetKind.CHECKLIST, text.removeprefix(CHECKLIST_PREFIX).strip())
        return Target(TargetKind.ITEM, text.upper())


@dataclass(frozen=True)
class Message:
    """One message of a thread, as its history entry records it."""

    thread: str
    kind: Kind
    side: Side
    author: str
    text: str
    at: str  # the entry's timestamp (ISO 8601, UTC)
    seq: int  # the entry's sequence number in the history
    submission: str | None  # the submission the bank commented on (for an answer: the one answered)
    verdict: Verdict | None = None
    bank: str | None = None
    source: str | None = None  # SHA-256 of the imported file
    index: int | None = None  # the comment's position in that file


@dataclass(frozen=True)
class Thread:
    id: str
    target: Target
    refs: tuple[str, ...]  # a checklist row's mapped items and `org:` facts
    messages: tuple[Message, ...]

    @property
    def state(self) -> State:
        """Closed by the venture, or settled by the bank's OK without a question; answered when the venture
        spoke last; otherwise open (the bank awaits an answer)."""
        last = self.messages[-1]
        if last.kind == Kind.CLOSE or (last.kind == Kind.COMMENT and last.verdict == Verdict.OK):
            return State.CLOSED
        return State.ANSWERED if last.side == Side.VENTURE else State.OPEN

    @property
    def raised_on(self) -> str | None:
        """The submission the thread was raised on (its first message's)."""
        return self.messages[0].submission

    @property
    def opened(self) -> str:
        return self.messages[0].at

    @property
    def last_activity(self) -> str:
        return self.messages[-1].at

    @property
    def bank(self) -> str | None:
        return next((m.bank for m in reversed(self.messages) if m.bank), None)

    @property
    def verdict(self) -> Verdict | None:
        """The bank's latest verdict."""
        return next((m.verdict for m in reversed(self.messages) if m.verdict is not None), None)

    @property
    def last_submission(self) -> str | None:
        """The latest submission a bank message of the thread was about."""
        return next((m.submission for m in reversed(self.messages) if m.side == Side.BANK), self.raised_on)


def _message(entry: Mapping[str, Any]) -> tuple[Message, Target, tuple[str, ...]] | None:
    after = entry.get("after")
    if entry.get("action") != ACTION or not isinstance(after, Mapping):
        return None
    thread, target, text = after.get("thread"), after.get("target"), after.get("text")
    if not isinstance(thread, str) or not THREAD_ID.fullmatch(thread) or not isinstance(target, str):
        return None
    try:
        kind, side = Kind(str(after.get("kind"))), Side(str(after.get("side")))
        verdict = Verdict(after["verdict"]) if after.get("verdict") is not None else None
    except ValueError:
        return None
    raw_source, raw_refs = after.get("source"), after.get("refs")
    source: Mapping[str, Any] = raw_source if isinstance(raw_source, Mapping) else {}
    refs: list[Any] = raw_refs if isinstance(raw_refs, list) else []
    submission = after.get("submission")
    index = source.get("index")
    message = Message(
        thread=thread,
        kind=kind,
        side=side,
        author=after["author"] if isinstance(after.get("author"), str) else "",
        text=text if isinstance(text, str) else "",
        at=str(entry.get("at") or ""),
        seq=int(entry.get("seq") or 0),
        submission=submission if isinstance(submission, str) else None,
        verdict=verdict,
        bank=after["bank"] if isinstance(after.get("bank"), str) else None,
        source=source["sha256"] if isinstance(source.get("sha256"), str) else None,
        index=index if isinstance(index, int) and not isinstance(index, bool) else None,
    )
    return message, Target.parse(target), tuple(str(r) for r in refs)


def threads_from_history(entries: Iterable[Mapping[str, Any]]) -> list[Thread]:
    """Every thread the history records, by thread ID; entries that are not thread messages are ignored.
    A thread keeps the target (and refs) of its first message."""
    found: dict[str, tuple[Target, tuple[str, ...], list[Message]]] = {}
    for entry in entries:
        parsed = _message(entry)
        if parsed is None:
            continue
        message, target, refs = parsed
        if message.thread not in found:
            found[message.thread] = (target, refs, [])
        found[message.thread][2].append(message)
    threads = [Thread(tid, target, refs, tuple(messages)) for tid, (target, refs, messages) in found.items()]
    return sorted(threads, key=lambda t: int(t.id[1:]))


def next_thread_id(threads: Iterable[Thread]) -> str:
    """T0001, T0002, … after the highest ID used."""
    highest = max((int(t.id[1:]) for t in threads), default=0)
    return f"T{highest + 1:04d}"


def thread_by_id(threads: Iterable[Thread], thread_id: str) -> Thread | None:
    wanted = thread_id.strip().upper()
    return next((t for t in threads if t.id == wanted), None)


def open_thread_on(threads: Iterable[Thread], target: Target) -> Thread | None:
    """The latest thread on ``target`` that is not closed: a new comment on it continues that thread."""
    return next((t for t in reversed(list(threads)) if t.target == target and t.state != State.CLOSED), None)


# --- what a bank sends back ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingComment:
    """One comment as a reader found it in the bank's file; ``where`` names its place (file:line:column)."""

    target: str | None  # None when it replies to ``thread``
    text: str
    verdict: Verdict | None = None
    kind: Kind | None = None  # question or comment; by default a question unless the verdict is OK
    thread: str | None = None  # reply to this thread
    where: str = ""
    index: int = 0  # its position among the file's comments (what makes a second import add nothing)


@dataclass(frozen=True)
class Incoming:
    """The comments of one file the bank sent back, on one submission."""

    submission: str
    bank: str
    reviewer: str
    comments: tuple[IncomingComment, ...]
    sha256: str  # of the file's bytes
    format: str  # yaml or xlsx
    name: str  # the file as shown in messages
    where: str = ""  # where the file names the submission
    skipped: tuple[int, ...] = ()  # rows of a workbook with neither verdict nor comment
