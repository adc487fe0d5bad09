"""What a check can find, and how bad a failure is: plain enums, so that collectors and importers can use
them without loading the assessment's models (pydantic and the catalog take a few tenths of a second)."""

from __future__ import annotations

from enum import StrEnum


class FindingStatus(StrEnum):
    """What a check saw: the setting holds, does not hold, could not be looked at, or does not apply."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


__all__ = ["FindingStatus", "Severity"]
