"""The words of the review pages, Japanese (the reference) then English; keys start with "review_"."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
