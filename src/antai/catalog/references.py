"""The official ID lists that catalog references are checked against (shipped as data in ``reference/``).

IDs are facts; the standards' texts are not shipped. Each list is read once, on first use.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).parent / "reference"


@dataclass(frozen=True)
class FiscEntry:
    id: str
    category: str  # control / practice / facility / audit
    status: str  # live / unverified / vacant / unknown (how well public indexes support the row)


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def fisc_index() -> dict[str, FiscEntry]:
    """FISC 安全対策基準 (13th edition) IDs; unofficial, from public third-party indexes."""
    return {r["id"]: FiscEntry(r["id"], r["category"], r["status"]) for r in _rows("fisc-ids.tsv")}


@cache
def asvs_ids() -> dict[str, int]:
    """OWASP ASVS 5.0.0 requirement IDs and their levels."""
    return {r["id"]: int(r["level"]) for r in _rows("asvs-5.0.0.tsv")}


@cache
def masvs_ids() -> frozenset[str]:
    """OWASP MASVS v2 control IDs."""
    text = (REFERENCE_DIR / "masvs-2.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def cwe_names() -> dict[str, str]:
    """CWE IDs the catalog may cite, with their official names."""
    return {r["id"]: r["name"] for r in _rows("cwe.tsv")}


@cache
def ipa_documents() -> dict[str, dict[str, object]]:
    data = yaml.safe_load((REFERENCE_DIR / "ipa.yaml").read_text(encoding="utf-8"))
    documents: dict[str, dict[str, object]] = data["documents"]
    return documents


@cache
def fsa_sections() -> dict[str, dict[str, str]]:
    data = yaml.safe_load((REFERENCE_DIR / "fsa.yaml").read_text(encoding="utf-8"))
    sections: dict[str, dict[str, str]] = data["sections"]
    return sections


def check_reference(kind: str, ref_id: str) -> str | None:
    """Why ``ref_id`` is not a real ID of ``kind``, or None when it is."""
    if kind == "asvs":
        if ref_id not in asvs_ids():
            return f"'{ref_id}' is not an OWASP ASVS 5.0.0 requirement ID (e.g. V6.3.3)"
    elif kind == "masvs":
        if ref_id not in masvs_ids():
            return f"'{ref_id}' is not an OWASP MASVS v2 control ID (e.g. MASVS-STORAGE-1)"
    elif kind == "cwe":
        if ref_id not in cwe_names():
            return f"'{ref_id}' is not in the checked CWE list (reference/cwe.tsv; form CWE-312)"
    elif kind == "ipa":
        doc, _, section = ref_id.partition(":")
        documents = ipa_documents()
        if doc not in documents:
            return f"'{doc}' is not a known IPA document (one of: {', '.join(sorted(documents))})"
        sections = documents[doc].get("sections") or {}
        if section and section not in sections:  # type: ignore[operator]
            return f"'{section}' is not a known section of IPA document '{doc}'"
    elif kind == "fsa" and ref_id not in fsa_sections():
        return f"'{ref_id}' is not a section of the FSA cybersecurity guideline (2024), e.g. 2.3.1"
    return None


def describe_reference(kind: str, ref_id: str, lang: str = "ja") -> str:
    """A human label for a reference, e.g. ``CWE-312 Cleartext Storage of Sensitive Information``."""
    if kind == "cwe":
        return f"{ref_id} {cwe_names().get(ref_id, '')}".strip()
    if kind == "asvs":
        return f"OWASP ASVS 5.0 {ref_id}"
    if kind == "masvs":
        return f"OWASP MASVS {ref_id}"
    if kind == "fsa":
        names = fsa_sections().get(ref_id, {})
        prefix = "金融庁サイバーセキュリティガイドライン" if lang == "ja" else "FSA cybersecurity guideline"
        return f"{prefix} {ref_id} {names.get(lang, '')}".strip()
    if kind == "ipa":
        doc, _, section = ref_id.partition(":")
        info = ipa_documents().get(doc, {})
        title = info.get("title", {})
        sections = info.get("sections") or {}
        label = title.get(lang, doc) if isinstance(title, dict) else doc
        if section:
            sec = sections.get(section, {}) if isinstance(sections, dict) else {}
            return f"IPA {label} {section} {sec.get(lang, '')}".strip()
        return f"IPA {label}"
    return ref_id
