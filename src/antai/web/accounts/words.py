"""The words of the account pages (sign-in by SSO, break-glass), Japanese then English; keys start with "accounts_"."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
