"""Checkov's JSON report (``checkov -o json``): one report, a list of reports (one per framework), or the
bare summary Checkov writes when it found nothing to check.

``passed_checks`` are passes, ``failed_checks`` failures and ``skipped_checks`` (skipped by a
``checkov:skip`` comment or ``--skip-check``) ``not_applicable``, counted as suppressed. A file Checkov
could not parse (``parsing_errors``) is an ``error`` finding: nothing was checked in it. The check is
Checkov's check ID, the resource Checkov's resource name, the location the file and first line.
Checkov without a platform key writes no severity: such a failure counts as medium.

Checkov's report names neither a time nor, unless run with ``--repo-id``, what was scanned: the run's
time is the file's modification time, its target the ``repo_id`` when there is one, else the file name.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from antai.assessment.findings import Finding, FindingStatus
from antai.catalog.mappings import RuleMap
from antai.importers.common import ImportedRun, Rules, Targets, finish, new_run, severity, short
from antai.importers.jsonstream import JsonReader, Refused, kind_of
from antai.importers.source import InputFile, Progress, fail

_LISTS = {
    "passed_checks": FindingStatus.PASS,
    "failed_checks": FindingStatus.FAIL,
    "skipped_checks": FindingStatus.NOT_APPLICABLE,
}
_KEYS = frozenset({"results", "summary", "checkov_version", "check_type"})
PARSING_ERROR = "checkov_parsing_error"  # the check name of a file Checkov could not parse


def read_checkov(
    path: Path, *, rules: RuleMap | None = None, display: str | None = None, progress: Progress | None = None
) -> ImportedRun:
    """Read a Checkov JSON report; raises SourceError (``file:line:column``) when it is not one."""
    if rules is None:
        from antai.catalog.mappings import load_mapping

        rules = load_mapping("checkov")
    source = InputFile(path, display or path.name, progress)
    with source:
        return _Reader(source, Rules(rules)).read()


class _Reader:
    def __init__(self, source: InputFile, rules: Rules) -> None:
        self.source = source
        self.rules = rules
        self.json = JsonReader(source)
        self.run = new_run("checkov", source.display, source.mtime)
        self.version: str | None = None
        self.targets = Targets()

    def read(self) -> ImportedRun:
        first = self.json.peek()
        if first == b"[":
            for _ in self.json.elements("a list of Checkov reports"):
                self._report()
        else:
            self._report()
        self.json.end()
        return finish(
            self.run,
            version=self.version,
            target=self.targets.shown(self.source.display),
            observed_at=None,
            sha256=self.source.sha256,
        )

    def _report(self) -> None:
        start = self.json.position()
        known = False
        for key in self.json.members("a Checkov report (an object)"):
            known = known or key in _KEYS
            if key == "results":
                self._results()
            elif key == "summary":
                self._summary(self.json.value())
            elif key == "checkov_version":  # the bare summary of a run that checked nothing
                self._version(self.json.value())
            elif key == "repo_id":
                self.targets.add(short(self.json.value(1 << 16)))
        if not known:
            raise fail(
                self.source.display,
                *start,
                "not a Checkov report: no results, summary or checkov_version",
                "not_format",
                tool="Checkov",
            )

    def _version(self, value: Any) -> None:
        if self.version is None and isinstance(value, str):
            self.version = value

    def _summary(self, summary: Any) -> None:
        if isinstance(summary, dict):
            self._version(summary.get("checkov_version"))

    def _results(self) -> None:
        for key in self.json.members("Checkov's results (an object)"):
            status = _LISTS.get(key)
            if status is not None:
                for finding in self.json.objects(partial(self._finding, status=status), None, "a list of checks"):
                    if finding.status is FindingStatus.NOT_APPLICABLE:
                        self.run.suppressed += 1
                    self.run.add(finding)
            elif key == "parsing_errors":
                for _ in self.json.elements("a list of files"):
                    where = short(self.json.value()) or "-"
                    self.run.add(
                        Finding(
                            check=PARSING_ERROR,
                            status=FindingStatus.ERROR,
                            resource=where,
                            observed="Checkov could not parse this file",
                            location=where,
                        )
                    )

    def _finding(self, obj: Any, status: FindingStatus) -> Finding:
        if not isinstance(obj, dict):
            raise Refused(f"a Checkov check is an object, not {kind_of(obj)}", "shape", found=kind_of(obj))
        check = obj.get("check_id")
        if not isinstance(check, str) or not check.strip():
            raise Refused("a Checkov check needs its check_id", "missing", field="check_id")
        lines = obj.get("file_line_range")
        line = lines[0] if isinstance(lines, list) and lines and type(lines[0]) is int and lines[0] > 0 else None
        name, items = self.rules.lookup(check.strip())
        location = short(obj.get("file_path"))
        resource = short(obj.get("resource"))
        return Finding(
            check=name,
            status=status,
            resource=resource or location or "-",
            items=items,
            severity=severity(obj.get("severity")),
            title=short(obj.get("check_name")),
            location=location,
            line=line,
        )
