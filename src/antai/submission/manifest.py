"""The manifest of a submission bundle (schema ``antai.submission/1``) and the bytes its signature covers.

A bundle is a folder: the reports, the evidence files (or, per file, only its hash and where the bank can
obtain it), the history, the signer's public key, ``manifest.json`` listing every other file with its size
and SHA-256, and ``manifest.sig``, the Ed25519 signature of the manifest's canonical bytes. The manifest
carries the history head the submission was made at and the previous submission's ID and head, so that a
bank holding the previous bundle sees any rewrite of the history before that head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "antai.submission/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
HISTORY = "history.jsonl"
SIGNER = "signer.pub"
RESERVED = frozenset({MANIFEST, SIGNATURE})  # the two files the manifest cannot list

HEX64 = r"^[0-9a-f]{64}$"
Role = Literal["report", "checklist", "appendix", "evidence", "history", "signer", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HistoryHead(_Model):
    """Where the history stood: how many entries, and the hash of the last one."""

    entries: int = Field(ge=0)
    hash: str = Field(pattern=HEX64)


class PreviousSubmission(_Model):
    id: str
    sequence: int = Field(ge=1)
    history: HistoryHead


class BundleFile(_Model):
    path: str = Field(description="Relative POSIX path inside the bundle")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=HEX64)
    role: Role
    format: str | None = Field(default=None, description="html, xlsx, json, pdf … for reports")


class EvidenceEntry(_Model):
    """An evidence record of the report: its file is in the bundle (``path``), or only its hash is, with
    where the bank can obtain it (``obtain``); a link has its URL as ``obtain``."""

    id: str
    item: str
    name: str
    kind: Literal["file", "url"]
    sha256: str | None = Field(default=None, pattern=HEX64)
    included: bool
    path: str | None = None
    obtain: str | None = None


class SignOffEntry(_Model):
    """A sign-off the submission carries (its history entry is in the bundle's history too)."""

    role: Literal["representative", "security_owner"]
    name: str
    title: str | None = None
    date: dt.date


class DocumentControl(_Model):
    """The document-control block the reports print, repeated here so a bank's tooling can file it."""

    classification: Literal["confidential", "strictly_confidential", "internal"]
    assessor: str | None = None
    period_start: dt.date
    period_end: dt.date
    draft: bool = Field(description="True for an unsigned draft (`antai submit --unsigned`)")


class Signer(_Model):
    algorithm: Literal["Ed25519"] = "Ed25519"
    fingerprint: str = Field(pattern=r"^[0-9a-f]{4}(:[0-9a-f]{4}){15}$")


class Manifest(_Model):
    manifest_schema: Literal["antai.submission/1"] = Field(default="antai.submission/1", alias="schema")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,80}-\d{8}-\d+$")
    sequence: int = Field(ge=1)
    created: dt.datetime
    organisation: str
    catalog_version: str
    audience: Literal["bank"]
    scope: str | None = None
    lang: Literal["ja", "en"]
    history: HistoryHead
    previous: PreviousSubmission | None
    files: list[BundleFile]
    evidence: list[EvidenceEntry]
    document: DocumentControl | None = None
    signoffs: list[SignOffEntry] = Field(default_factory=list)
    signer: Signer

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def file(self, role: str, fmt: str | None = None) -> BundleFile | None:
        return next((f for f in self.files if f.role == role and (fmt is None or f.format == fmt)), None)


def canonical(data: dict[str, Any]) -> bytes:
    """The bytes the signature covers: the manifest's JSON with sorted keys and no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pretty(data: dict[str, Any]) -> bytes:
    """manifest.json as written: the same data, indented for people (whitespace is not signed)."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def slug(organisation: str) -> str:
    """The organisation's name as an ID prefix: ASCII letters and digits, hyphens between words. A name with
    none (e.g. written only in Japanese) becomes ``org-`` and six hex digits of its SHA-256, so that two
    partners' submissions never share a prefix in a bank's portfolio."""
    ascii_text = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    text = "-".join(words)[:40].strip("-")
    if text:
        return text
    return "org-" + hashlib.sha256(organisation.strip().encode("utf-8")).hexdigest()[:6]


def submission_id(organisation: str, day: dt.date, sequence: int) -> str:
    """``<org-slug>-<YYYYMMDD>-<n>``: readable, sortable per organisation, and unique with the sequence."""
    return f"{slug(organisation)}-{day.strftime('%Y%m%d')}-{sequence}"


def unsafe_path(path: str) -> bool:
    """A manifest path that could leave the bundle or name something other than a plain file in it:
    absolute, a drive, ``..`` or ``.`` parts, backslashes, empty parts, control characters."""
    if not path or len(path) > 300 or path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        return True
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return True
    parts = path.split("/")
    return any(part in ("", ".", "..") for part in parts)
