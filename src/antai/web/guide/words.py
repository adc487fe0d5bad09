"""The words of the guide pages, Japanese (the reference) then English; keys start with "guide_"."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
