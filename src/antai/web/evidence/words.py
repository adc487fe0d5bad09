"""The words of the evidence pages, Japanese (the reference) then English; keys start with "evidence_"."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
