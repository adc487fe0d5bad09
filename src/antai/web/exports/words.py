"""The words of the exports pages, Japanese (the reference) then English; keys start with "exports_"."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
