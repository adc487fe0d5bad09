"""The tamper-evident history as data: entries that hash their content and link to the entry before.

An entry records who changed what and when, the value before and after, and a digest of every stored
part after the change. Editing an entry breaks its own hash; removing or reordering one breaks the next
entry's link. Two branches of a team's git repository each extend the chain; a *merge* entry names the
heads it joins (``merge``), so both branches' entries stay as they were written and the chain is whole
again. This module is pure: stores read and write the entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64


def canonical(entry: dict[str, Any]) -> bytes:
    """The bytes an entry's hash covers: every field but the hash, in a fixed order."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def text_digest(data: bytes) -> str:
    """Digest of a stored text part. CRLF counts as LF, so a checkout that rewrote line endings
    (git's core.autocrlf on Windows) still verifies; any other change does not."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


@dataclass(frozen=True)
class Head:
    """Where the next entry attaches."""

    hash: str
    seq: int
    state: dict[str, str]

    @staticmethod
    def of(entry: dict[str, Any] | None) -> Head:
        if entry is None:
            return Head(GENESIS, 0, {})
        state = entry.get("state")
        return Head(str(entry.get("hash")), int(entry.get("seq") or 0), dict(state) if isinstance(state, dict) else {})


def new_entry(
    head: Head,
    *,
    at: str,
    who: str,
    action: str,
    state: dict[str, str],
    item: str | None = None,
    before: Any = None,
    after: Any = None,
    message: str | None = None,
    merge: Iterable[Head] = (),
) -> dict[str, Any]:
    """The entry that follows ``head`` (and joins the ``merge`` heads, if any)."""
    joined = sorted({h.hash for h in merge} - {head.hash})
    entry: dict[str, Any] = {
        "seq": max([head.seq, *(h.seq for h in merge)]) + 1,
        "at": at,
        "who": who,
        "action": action,
        "item": item,
        "before": before,
        "after": after,
        "message": message,
        "state": state,
        "prev": head.hash,
    }
    if joined:
        entry["merge"] = joined
    entry["hash"] = entry_hash(entry)
    return entry


@dataclass(frozen=True)
class Broken:
    """The first entry that does not check, by its 1-based position in the history."""

    line: int
    seq: int | None
    reason: str  # "unreadable", "unlinked", "altered", "sequence", "second_root"
    detail: str = ""

    @property
    def message(self) -> str:
        texts = {
            "unreadable": "is not valid JSON",
            "unlinked": "does not link to an earlier entry (an entry was removed or reordered)",
            "altered": "does not match its hash (its content was altered)",
            "sequence": f"has sequence number {self.seq}, expected {self.detail}",
            "second_root": "starts a second history (only the first entry may have no predecessor)",
        }
        return texts[self.reason]


@dataclass
class ChainCheck:
    entries: int = 0
    broken: Broken | None = None
    heads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None and len(self.heads) <= 1

    @property
    def head(self) -> dict[str, Any] | None:
        return self.heads[-1] if self.heads else None


def check_chain(entries: Iterable[dict[str, Any]]) -> ChainCheck:
    """Check every entry's hash and links. ``heads`` are the entries nothing builds on: one for a
    linear history, more when two branches were combined by git and not yet joined by a merge entry."""
    result = ChainCheck()
    known: dict[str, dict[str, Any]] = {}
    heads: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(entries, start=1):
        result.entries = number
        if result.broken is not None:
            continue
        raw_seq = entry.get("seq")
        seq = raw_seq if isinstance(raw_seq, int) and not isinstance(raw_seq, bool) else None
        if "_unreadable" in entry:
            result.broken = Broken(number, None, "unreadable")
            continue
        if entry.get("hash") != entry_hash(entry):
            result.broken = Broken(number, seq, "altered")
            continue
        prev = entry.get("prev")
        merged = entry.get("merge") or []
        if prev == GENESIS:
            if number != 1:
                result.broken = Broken(number, seq, "second_root")
                continue
            parents: list[dict[str, Any]] = []
        elif isinstance(prev, str) and prev in known and all(isinstance(m, str) and m in known for m in merged):
            parents = [known[prev], *(known[m] for m in merged)]
        else:
            result.broken = Broken(number, seq, "unlinked")
            continue
        expected = max((int(p["seq"]) for p in parents), default=0) + 1
        if seq != expected:
            result.broken = Broken(number, seq, "sequence", str(expected))
            continue
        for parent in parents:
            heads.pop(parent["hash"], None)
        known[entry["hash"]] = entry
        heads[entry["hash"]] = entry
    result.heads = list(heads.values())
    return result


def parse_lines(text: str) -> list[dict[str, Any]]:
    """JSON-lines text to entries; a line that is not a JSON object is kept as ``{"_unreadable": line}``."""
    entries: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        entries.append(value if isinstance(value, dict) else {"_unreadable": line})
    return entries


def dump_line(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
