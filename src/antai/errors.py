"""One exception hierarchy for the core and the use cases, so every adapter can map errors to its own
wording and exit codes. Each error carries a machine-readable ``code`` and ``params``; ``str()`` gives a
plain English sentence for logs and for adapters that have no wording of their own."""

from __future__ import annotations

from typing import Any


class AntaiError(Exception):
    """A problem the user can act on (never a bug)."""

    code: str = "error"

    def __init__(self, message: str, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params = params


class NotFound(AntaiError):
    """An item, note, evidence record or workspace that does not exist."""

    code = "not_found"


class InvalidChange(AntaiError):
    """A change that breaks the assessment's rules; nothing was written."""

    code = "invalid"


class Conflict(AntaiError):
    """Someone else changed the assessment since it was read; nothing was written."""

    code = "conflict"


class Busy(AntaiError):
    """Another process holds the workspace lock for longer than we are willing to wait."""

    code = "busy"


class Damaged(AntaiError):
    """The store is in a state that needs a person (``antai repair``) before it can be changed."""

    code = "damaged"


class NewerFormat(AntaiError):
    """The store was written by a newer antai; opening it with this one could lose or downgrade data."""

    code = "newer_format"


class UnrecordedEdits(AntaiError):
    """Tracked parts changed outside antai since the last recorded change."""

    code = "unrecorded_edits"

    def __init__(self, parts: list[str]) -> None:
        super().__init__(f"{', '.join(parts)} changed outside antai since the last recorded change", parts=parts)
        self.parts = parts
