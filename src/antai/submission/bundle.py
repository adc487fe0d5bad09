"""Sealing a bundle folder (hash every file, sign the manifest) and verifying one on the bank's side.

Verification never trusts the bundle: every path in the manifest is checked before it is opened (no
absolute paths, no ``..``, no links), every read is bounded, and every problem is collected as a code with
the path and values it concerns, so that one run tells the bank everything that is wrong.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from antai.assessment.history import check_chain, parse_lines
from antai.submission import keys
from antai.submission.manifest import (
    HISTORY,
    MANIFEST,
    RESERVED,
    SIGNATURE,
    SIGNER,
    BundleFile,
    EvidenceEntry,
    HistoryHead,
    Manifest,
    PreviousSubmission,
    Role,
    Signer,
    canonical,
    pretty,
    unsafe_path,
)

MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024
MAX_HISTORY_BYTES = 128 * 1024 * 1024
MAX_FILES = 10_000

# what verification reports; the CLI words each code (ja/en)
PROBLEM_CODES = (
    "malformed_manifest",
    "unsafe_path",
    "bad_signature",
    "wrong_key",
    "missing_file",
    "extra_file",
    "hash_mismatch",
    "history_broken",
    "history_head_mismatch",
    "history_not_continued",
    "previous_mismatch",
)


# --- sealing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """A file the adapter put in the bundle, with what it is."""

    path: str
    role: Role
    format: str | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def seal(
    folder: Path,
    contents: Iterable[Content],
    key: keys.Ed25519PrivateKey,
    **fields: Any,
) -> tuple[Manifest, bytes]:
    """Hash every listed file of ``folder``, write ``manifest.json`` and ``manifest.sig``, and return the
    manifest and its canonical bytes. ``fields`` are the manifest's other fields (id, sequence, created,
    organisation, catalog_version, audience, scope, lang, history, previous, evidence). A file in the
    folder that is not listed is refused, so that what is signed is exactly what is sent."""
    listed = list(contents)
    names = {c.path for c in listed}
    for found in _walk(folder):
        if found not in names:
            raise ValueError(f"{found}: in the bundle but not listed")
    files = []
    for content in listed:
        if unsafe_path(content.path) or content.path in RESERVED:
            raise ValueError(f"{content.path}: not a bundle path")
        path = folder / content.path
        files.append(
            BundleFile(
                path=content.path,
                size=path.stat().st_size,
                sha256=_sha256(path),
                role=content.role,
                format=content.format,
            )
        )
    manifest = Manifest(
        files=sorted(files, key=lambda f: f.path),
        signer=Signer(fingerprint=keys.fingerprint(key.public_key())),
        **fields,
    )
    data = canonical(manifest.data())
    _write(folder / MANIFEST, pretty(manifest.data()))
    _write(folder / SIGNATURE, base64.b64encode(keys.sign(key, data)) + b"\n")
    return manifest, data


def _write(path: Path, data: bytes) -> None:
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _walk(folder: Path, limit: int = MAX_FILES) -> Iterable[str]:
    """Every file (and link, and anything else that is not a folder) under ``folder`` as a relative POSIX
    path, never following links; at most ``limit`` names."""
    count = 0
    for top, dirs, files in os.walk(folder, followlinks=False):
        base = Path(top).relative_to(folder)
        linked = [d for d in dirs if (Path(top) / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d not in linked)
        for name in sorted([*files, *linked]):
            rel = (base / name).as_posix()
            if rel in RESERVED:
                continue
            count += 1
            if count > limit:
                return
            yield rel


# --- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    path: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, **self.params}


@dataclass(frozen=True)
class TrustedKey:
    """The key the bank trusts: the public key itself, or only its fingerprint (then the bundle's
    ``signer.pub`` is used once its fingerprint matches)."""

    fingerprint: str
    key: keys.Ed25519PublicKey | None = None

    @staticmethod
    def of(key: keys.Ed25519PublicKey) -> TrustedKey:
        return TrustedKey(keys.fingerprint(key), key)


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)
    manifest: Manifest | None = None
    files_checked: int = 0
    history_entries: int | None = None
    previous: str | None = None  # the previous submission's ID, when continuity was checked against it

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "verified": self.ok,
            "id": m.id if m else None,
            "sequence": m.sequence if m else None,
            "organisation": m.organisation if m else None,
            "created": m.created.isoformat() if m else None,
            "signer": m.signer.fingerprint if m else None,
            "history": m.history.model_dump() if m else None,
            "previous": m.previous.model_dump() if m and m.previous else None,
            "checked_against": self.previous,
            "files_checked": self.files_checked,
            "signoffs": [s.model_dump(mode="json") for s in m.signoffs] if m else [],
            "draft": bool(m.document.draft) if m and m.document else None,
            "problems": [p.as_dict() for p in self.problems],
        }


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file (never through a link), or None if it is missing, not a plain file or
    longer than ``limit``."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys_seen = [k for k, _ in pairs]
    if len(keys_seen) != len(set(keys_seen)):
        raise ValueError("duplicate key")
    return dict(pairs)


def load_manifest(path: Path) -> tuple[Manifest | None, dict[str, Any] | None, str]:
    """The manifest at ``path`` (a bundle folder or its manifest.json): the model, the raw data the
    signature covers, and why it could not be read ("" when it could)."""
    if path.is_dir():
        path = path / MANIFEST
    data = read_bounded(path, MAX_MANIFEST_BYTES)
    if data is None:
        return None, None, "missing or not a plain file of at most 8 MiB"
    try:
        raw = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, None, f"not JSON ({exc})"[:200]
    if not isinstance(raw, dict):
        return None, None, "not a JSON object"
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return None, raw, f"{where}: {first['msg']}"[:200]
    if len(manifest.files) > MAX_FILES:
        return None, raw, f"more than {MAX_FILES} files"
    return manifest, raw, ""


def _signature_ok(folder: Path, raw: dict[str, Any], key: keys.Ed25519PublicKey) -> bool:
    data = read_bounded(folder / SIGNATURE, MAX_SIGNATURE_BYTES)
    if data is None:
        return False
    try:
        signature = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(signature) == 64 and keys.signature_valid(key, signature, canonical(raw))


def _resolve_key(folder: Path, manifest: Manifest, trusted: TrustedKey, problems: list[Problem]) -> Any:
    """The public key to check the signature with, or None (a wrong_key problem is added)."""
    if manifest.signer.fingerprint != trusted.fingerprint:
        problems.append(
            Problem("wrong_key", MANIFEST, {"expected": trusted.fingerprint, "found": manifest.signer.fingerprint})
        )
        return None
    if trusted.key is not None:
        return trusted.key
    data = read_bounded(folder / SIGNER, keys.MAX_KEY_BYTES)
    try:
        found = keys.load_public(data) if data is not None else None
    except Exception:  # any unreadable key is simply not the trusted one
        found = None
    if found is None or keys.fingerprint(found) != trusted.fingerprint:
        problems.append(
            Problem(
                "wrong_key",
                SIGNER,
                {"expected": trusted.fingerprint, "found": keys.fingerprint(found) if found else None},
            )
        )
        return None
    return found


def verify_bundle(folder: Path, trusted: TrustedKey, previous: Path | None = None) -> Verdict:
    """Everything a bank checks on a bundle it received: the manifest is well formed and signed by the
    trusted key, every listed file is there with its size and SHA-256 and nothing else is, the history
    chain recomputes to the head the manifest names and contains the previous submission's head — and,
    given the previous bundle (or its manifest), that this submission names it and extends its history."""
    verdict = Verdict()
    problems = verdict.problems
    manifest, raw, why = load_manifest(folder)
    if manifest is None or raw is None:
        problems.append(Problem("malformed_manifest", MANIFEST, {"reason": why}))
        return verdict
    verdict.manifest = manifest

    key = _resolve_key(folder, manifest, trusted, problems)
    if key is not None and not _signature_ok(folder, raw, key):
        problems.append(Problem("bad_signature", SIGNATURE))

    listed: set[str] = set()
    for entry in manifest.files:
        if unsafe_path(entry.path) or entry.path in RESERVED or entry.path in listed:
            problems.append(Problem("unsafe_path", entry.path))
            continue
        listed.add(entry.path)
        _check_file(folder, entry, problems)
        verdict.files_checked += 1
    present = list(_walk(folder, MAX_FILES + 1))
    for found in present[:MAX_FILES]:
        if found not in listed:
            problems.append(Problem("extra_file", found))
    if len(present) > MAX_FILES:
        problems.append(Problem("extra_file", "…", {"reason": "too_many", "limit": MAX_FILES}))

    entries = _check_history(folder, manifest, problems)
    verdict.history_entries = len(entries) if entries is not None else None
    if entries is not None and not any(p.path == HISTORY for p in problems):  # an intact history only
        _check_signoffs(manifest, entries, problems)

    if previous is not None:
        verdict.previous = _check_previous(previous, manifest, entries, key, problems)
    return verdict


def _check_signoffs(manifest: Manifest, entries: list[dict[str, Any]], problems: list[Problem]) -> None:
    """The sign-offs the manifest names are the ones in force at the history's head (the signed entries):
    none added, none dropped, none dated differently."""
    from antai.assessment.signoff import signoffs_in_force

    def key(role: str, name: str, date: dt.date) -> tuple[str, str, str]:
        return role, name, date.isoformat()

    in_force = {key(s.role.value, s.name, s.date) for s in signoffs_in_force(entries).values()}
    named = {key(s.role, s.name, s.date) for s in manifest.signoffs}
    if named != in_force:
        problems.append(
            Problem(
                "signoff_mismatch",
                HISTORY,
                {"named": len(named), "in_force": len(in_force)},
            )
        )


def _check_file(folder: Path, entry: BundleFile, problems: list[Problem]) -> None:
    path = folder / entry.path
    # every parent must be a real folder: a link in the middle could lead out of the bundle
    current = folder
    for part in entry.path.split("/")[:-1]:
        current = current / part
        try:
            info = current.lstat()
        except OSError:
            problems.append(Problem("missing_file", entry.path))
            return
        if not stat.S_ISDIR(info.st_mode):
            problems.append(Problem("unsafe_path", entry.path))
            return
    try:
        info = path.lstat()
    except OSError:
        problems.append(Problem("missing_file", entry.path))
        return
    if not stat.S_ISREG(info.st_mode):
        problems.append(Problem("unsafe_path", entry.path))
        return
    if info.st_size != entry.size:
        problems.append(Problem("hash_mismatch", entry.path, {"size": info.st_size, "expected_size": entry.size}))
        return
    actual = _sha256(path)
    if actual != entry.sha256:
        problems.append(Problem("hash_mismatch", entry.path, {"sha256": actual, "expected": entry.sha256}))


def _check_history(folder: Path, manifest: Manifest, problems: list[Problem]) -> list[dict[str, Any]] | None:
    listed = manifest.file("history")
    if listed is None or listed.path != HISTORY:
        problems.append(Problem("history_broken", HISTORY, {"reason": "not_listed"}))
        return None
    data = read_bounded(folder / HISTORY, MAX_HISTORY_BYTES)
    if data is None:
        if not any(p.path == HISTORY for p in problems):  # listed and intact, but too large to check
            problems.append(Problem("history_broken", HISTORY, {"reason": "too_large"}))
        return None
    entries = parse_lines(data.decode("utf-8", errors="replace"))
    chain = check_chain(entries)
    if chain.broken is not None:
        problems.append(Problem("history_broken", HISTORY, {"line": chain.broken.line, "reason": chain.broken.reason}))
    elif len(chain.heads) > 1:
        problems.append(Problem("history_broken", HISTORY, {"reason": "branches", "count": len(chain.heads)}))
    last = entries[-1] if entries else None
    found = HistoryHead(entries=len(entries), hash=str(last.get("hash"))) if last and "hash" in last else None
    if found != manifest.history:
        problems.append(
            Problem(
                "history_head_mismatch",
                HISTORY,
                {
                    "entries": len(entries),
                    "expected_entries": manifest.history.entries,
                    "hash": found.hash if found else None,
                    "expected": manifest.history.hash,
                },
            )
        )
    if manifest.previous is not None and not _extends(entries, manifest.previous.history):
        problems.append(
            Problem(
                "history_not_continued",
                HISTORY,
                {"previous": manifest.previous.id, "entries": manifest.previous.history.entries},
            )
        )
    return entries


def _extends(entries: list[dict[str, Any]], head: HistoryHead) -> bool:
    """Whether the chain holds ``head`` at its position: the hash links make everything before it the same
    entries as the history the head was taken from."""
    if head.entries == 0:
        return True
    if len(entries) < head.entries:
        return False
    return entries[head.entries - 1].get("hash") == head.hash


def _check_previous(
    previous: Path,
    manifest: Manifest,
    entries: list[dict[str, Any]] | None,
    key: keys.Ed25519PublicKey | None,
    problems: list[Problem],
) -> str | None:
    earlier, raw, why = load_manifest(previous)
    if earlier is None or raw is None:
        problems.append(Problem("previous_mismatch", str(previous), {"reason": "unreadable", "detail": why}))
        return None
    folder = previous if previous.is_dir() else previous.parent
    if key is not None and not _signature_ok(folder, raw, key):
        problems.append(Problem("previous_mismatch", str(previous), {"reason": "previous_signature"}))
    expected = PreviousSubmission(id=earlier.id, sequence=earlier.sequence, history=earlier.history)
    if manifest.previous != expected:
        problems.append(
            Problem(
                "previous_mismatch",
                MANIFEST,
                {
                    "reason": "names_another" if manifest.previous else "names_none",
                    "expected": earlier.id,
                    "found": manifest.previous.id if manifest.previous else None,
                },
            )
        )
    continued = entries is None or _extends(entries, earlier.history)
    if not continued and not any(p.code == "history_not_continued" for p in problems):
        problems.append(
            Problem("history_not_continued", HISTORY, {"previous": earlier.id, "entries": earlier.history.entries})
        )
    return earlier.id


__all__ = [
    "PROBLEM_CODES",
    "Content",
    "EvidenceEntry",
    "HistoryHead",
    "Manifest",
    "PreviousSubmission",
    "Problem",
    "TrustedKey",
    "Verdict",
    "load_manifest",
    "seal",
    "verify_bundle",
]
