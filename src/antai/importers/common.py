"""What the importers share: the run they build, times, severities and bounded names."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from antai.assessment.findings import Finding, ScanRun, Severity, ToolInfo
from antai.catalog.mappings import RuleMap

MAX_RULES = 10_000  # distinct rule IDs a run names; later new ones are counted as OTHER_RULES
OTHER_RULES = "(other rules)"
MAX_NAME = 200  # characters kept of a rule ID
MAX_TEXT = 300  # characters kept of a resource, title or observed value
MAX_TARGETS = 20  # distinct targets (accounts, artifacts) remembered for the run's target


@dataclass
class ImportedRun(ScanRun):
    """A scanner's file read as findings. ``suppressed`` counts findings the scanner itself marked as
    suppressed, muted, skipped or excepted; they are counted as ``not_applicable``."""

    suppressed: int = 0
    time_from_file: bool = False  # the file gave no scan time: its modification time stands in
    target_from_file: bool = False  # the file names nothing it scanned: its name stands in


def short(value: object, limit: int = MAX_TEXT) -> str | None:
    """Text from the file as antai keeps it: one line, at most ``limit`` characters; None for no text."""
    if isinstance(value, str):
        if len(value) <= limit and value.isprintable():  # the common case, checked in C
            text = value.strip()
            return text or None
        text = value
    elif value is None or isinstance(value, dict | list):
        return None
    else:
        text = str(value)
    text = " ".join(text.split())
    text = "".join(c if c.isprintable() else " " for c in text[: limit * 2]) if not text.isprintable() else text
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Times:
    """:func:`parse_time` remembering the last text it read: a scanner stamps many findings alike."""

    def __init__(self) -> None:
        self._last: tuple[object, dt.datetime | None] = (object(), None)

    def __call__(self, value: object) -> dt.datetime | None:
        last, parsed = self._last
        if value == last and type(value) is type(last):
            return parsed
        parsed = parse_time(value)
        self._last = (value, parsed)
        return parsed


class Rules:
    """Rule IDs to check names and items through one mapping table, remembering at most :data:`MAX_RULES`
    distinct rules (later new ones share the name :data:`OTHER_RULES`, so memory stays bounded)."""

    def __init__(self, table: RuleMap, fallback: Callable[[str], tuple[str, ...]] | None = None) -> None:
        self.table = table
        self.fallback = fallback  # items for a rule the table says nothing about (SARIF: by CWE)
        self._seen: dict[str, tuple[str, tuple[str, ...]]] = {}

    def _items(self, rule: str) -> tuple[str, ...]:
        if self.fallback is not None and not self.table.known(rule):
            return self.fallback(rule)
        return self.table.items_for(rule)

    def lookup(self, rule: str) -> tuple[str, tuple[str, ...]]:
        """The check name a finding carries and the items it bears on."""
        hit = self._seen.get(rule)
        if hit is None:
            stripped = rule.strip()
            items = self._items(stripped)
            if len(self._seen) >= MAX_RULES:
                return OTHER_RULES, items
            name = stripped if len(stripped) <= MAX_NAME else stripped[: MAX_NAME - 1] + "…"
            hit = self._seen[rule] = (name, items)
        return hit


_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "fatal": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "none": Severity.INFO,
}


_SEEN_SEVERITIES: dict[str, Severity] = {}


def severity(value: Any, default: Severity = Severity.MEDIUM) -> Severity:
    """A scanner's severity word (any case); ``default`` for none or an unknown word (``UNKNOWN``)."""
    if type(value) is str:
        if default is Severity.MEDIUM:
            found = _SEEN_SEVERITIES.get(value)
            if found is not None:
                return found
        found = _SEVERITIES.get(value.strip().lower(), default)
        if default is Severity.MEDIUM and len(_SEEN_SEVERITIES) < 100:
            _SEEN_SEVERITIES[value] = found
        return found
    return default


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time (naive means UTC) or seconds since 1970; None when it is neither or absurd."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            if not math.isfinite(value) or not 0 < value < 32503680000:  # up to the year 3000
                return None
            if value > 1e11:  # milliseconds
                value = value / 1000
            return dt.datetime.fromtimestamp(value, dt.UTC)
        if isinstance(value, str) and 10 <= len(value) <= 40:
            text = value.strip()
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            found = dt.datetime.fromisoformat(text)
            if found.tzinfo is None:
                found = found.replace(tzinfo=dt.UTC)
            if found.year < 1971:  # Go's zero time (0001-01-01) and the like say "no time"
                return None
            return found
    except (ValueError, OverflowError, OSError):
        return None
    return None


class Targets:
    """The distinct things a file's findings are about, for the run's target (a few are named)."""

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}
        self.more = False

    def add(self, target: str | None) -> None:
        if not target:
            return
        if target in self.seen:
            return
        if len(self.seen) < MAX_TARGETS:
            self.seen[target] = None
        else:
            self.more = True

    def shown(self, fallback: str) -> str:
        names = list(self.seen)
        if not names:
            return fallback
        text = ", ".join(names[:3])
        hidden = len(names) - 3 + (1 if self.more else 0)
        if hidden > 0:
            text += f" (+{hidden}{'+' if self.more else ''})"
        return text[:MAX_TEXT]


class Latest:
    """The latest of the findings' times: the scan's time when the file gives no better one."""

    def __init__(self) -> None:
        self.value: dt.datetime | None = None

    def add(self, when: dt.datetime | None) -> None:
        if when is not None and (self.value is None or when > self.value):
            self.value = when


def new_run(name: str, display: str, mtime: dt.datetime) -> ImportedRun:
    """A run to fill: its tool version, target and time are set once the whole file has been read."""
    return ImportedRun(tool=ToolInfo(name), target=display, observed_at=mtime)


def finish(
    run: ImportedRun,
    *,
    version: str | None,
    target: str,
    observed_at: dt.datetime | None,
    sha256: str,
) -> ImportedRun:
    run.tool = ToolInfo(run.tool.name, short(version, 100))
    named = short(target)
    if named and named != run.target:
        run.target = named
    else:  # never a local path: the bank reads it, and the next run's file may live elsewhere
        run.target = Path(run.target).name or run.target
        run.target_from_file = True
    if observed_at is not None:
        run.observed_at = observed_at.astimezone(dt.UTC)
    else:
        run.time_from_file = True
    run.input_sha256 = sha256
    return run


__all__ = [
    "Finding",
    "ImportedRun",
    "Latest",
    "Rules",
    "Targets",
    "finish",
    "new_run",
    "parse_time",
    "severity",
    "short",
]
