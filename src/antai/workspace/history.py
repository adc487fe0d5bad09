"""The tamper-evident history: an append-only JSON-lines log where each entry hashes the one before.

An entry records who changed what, when, the value before and after, and the SHA-256 of every tracked
file after the change. Editing any entry breaks its hash or the next entry's link; editing a tracked file
without antai makes it differ from the last entry's record ("unlogged change").
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


def canonical(entry: dict[str, Any]) -> bytes:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Broken:
    line: int
    seq: int | None
    message: str


def read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                entries.append(json.loads(line))
            except ValueError:
                entries.append({"_unreadable": line})
    return entries


def check_chain(path: Path) -> Broken | None:
    """The first entry whose content or link was altered, or None when the chain is intact."""
    previous = GENESIS
    for number, entry in enumerate(read(path), start=1):
        seq = entry.get("seq") if isinstance(entry.get("seq"), int) else None
        if "_unreadable" in entry:
            return Broken(number, None, "is not valid JSON")
        if entry.get("prev") != previous:
            return Broken(number, seq, "does not link to the entry before it (an entry was removed or reordered)")
        if entry.get("hash") != entry_hash(entry):
            return Broken(number, seq, "does not match its hash (its content was altered)")
        if seq != number:
            return Broken(number, seq, f"has sequence number {seq}, expected {number}")
        previous = entry["hash"]
    return None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise writers of one workspace (two `antai set` at once must not fork the chain)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / ".antai.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append(
    path: Path,
    *,
    who: str,
    action: str,
    state: dict[str, str],
    item: str | None = None,
    before: Any = None,
    after: Any = None,
    message: str | None = None,
) -> dict[str, Any]:
    """Append one entry (the caller holds the lock and has already written the files in ``state``)."""
    entries = read(path)
    last = entries[-1] if entries else None
    entry: dict[str, Any] = {
        "seq": len(entries) + 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": who,
        "action": action,
        "item": item,
        "before": before,
        "after": after,
        "message": message,
        "state": state,
        "prev": last["hash"] if last and "hash" in last else GENESIS,
    }
    entry["hash"] = entry_hash(entry)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    return entry
