"""Trivy's JSON report (``trivy … -f json``), schema version 2: vulnerabilities, misconfigurations and
secrets of each result (a target: an image layer's packages, a lock file, a Dockerfile…).

* a vulnerability is a failure of the rule ``VulnerabilityID`` (CVE-…, GHSA-…) on the package, with
  Trivy's severity (``UNKNOWN`` counts as medium);
* a misconfiguration is a pass or a failure (``Status``) of its check, by its AVD ID (``AVDID``, e.g.
  AVD-AWS-0086) when the mapping knows it, else its short ID (``ID``); an ``EXCEPTION`` (excepted by a
  policy) is ``not_applicable``, counted as suppressed;
* a secret is a failure of the rule ``RuleID`` in the file; what matched is never kept.

Trivy lists only the failing misconfigurations unless run with ``--include-non-failures``; the passes
in its summary have no check IDs and are not counted. The run's target is the artifact (image, folder
or repository) Trivy names, its time ``CreatedAt`` (written by recent releases; else the file's
modification time). Other schema versions are refused: their shape differs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from antai.assessment.findings import Finding, FindingStatus
from antai.catalog.mappings import RuleMap
from antai.importers.common import ImportedRun, Rules, finish, new_run, parse_time, severity, short
from antai.importers.jsonstream import JsonReader, Refused, kind_of
from antai.importers.source import InputFile, Progress, fail

SCHEMA_VERSION = 2
MAX_WAITING = 10_000  # findings of one result held until its Target is known (Trivy writes it first)
_MISCONFIG = {"PASS": FindingStatus.PASS, "FAIL": FindingStatus.FAIL, "EXCEPTION": FindingStatus.NOT_APPLICABLE}


def read_trivy(
    path: Path, *, rules: RuleMap | None = None, display: str | None = None, progress: Progress | None = None
) -> ImportedRun:
    """Read a Trivy JSON report (schema 2); raises SourceError (``file:line:column``) when it is not one."""
    if rules is None:
        from antai.catalog.mappings import load_mapping

        rules = load_mapping("trivy")
    source = InputFile(path, display or path.name, progress)
    with source:
        return _Reader(source, Rules(rules)).read()


class _Result:
    """One entry of ``Results``: its target, and its findings until the target is known."""

    def __init__(self) -> None:
        self.target: str | None = None
        self.waiting: list[Finding] = []


class _Reader:
    def __init__(self, source: InputFile, rules: Rules) -> None:
        self.source = source
        self.rules = rules
        self.json = JsonReader(source)
        self.run = new_run("trivy", source.display, source.mtime)
        self.version: str | None = None
        self.artifact: str | None = None
        self.created: dt.datetime | None = None

    def read(self) -> ImportedRun:
        if self.json.peek() == b"[":
            raise self.json.refuse(
                "a Trivy report of schema version 1 (a bare list of results): antai reads schema version 2, "
                "which Trivy writes since 0.20",
                "schema_version",
                found="1",
                wanted=str(SCHEMA_VERSION),
            )
        schema: Any = None
        schema_at = self.json.position()
        for key in self.json.members("a Trivy report (an object)"):
            if key == "SchemaVersion":
                schema_at = self.json.position()
                schema = self.json.value()
                self._check_schema(schema, schema_at)
            elif key == "ArtifactName":
                self.artifact = short(self.json.value(1 << 16))
            elif key == "CreatedAt":
                self.created = parse_time(self.json.value(1 << 16))
            elif key == "Trivy":
                about = self.json.value()
                if isinstance(about, dict) and isinstance(about.get("Version"), str):
                    self.version = about["Version"]
            elif key == "Results":
                if self.json.peek() == b"n":  # null: nothing found
                    self.json.value()
                    continue
                for _ in self.json.elements("a list of results"):
                    self._result()
        if schema is None:
            raise fail(
                self.source.display,
                *schema_at,
                "not a Trivy JSON report: it has no SchemaVersion",
                "not_format",
                tool="Trivy",
            )
        self.json.end()
        target = self.artifact if self.artifact not in (None, ".", "") else self.source.display
        return finish(
            self.run, version=self.version, target=target or "-", observed_at=self.created, sha256=self.source.sha256
        )

    def _check_schema(self, schema: Any, at: tuple[int, int]) -> None:
        if schema != SCHEMA_VERSION or type(schema) is not int:
            shown = short(schema, 20) or kind_of(schema)
            raise fail(
                self.source.display,
                *at,
                f"SchemaVersion {shown}: antai reads Trivy reports of schema version {SCHEMA_VERSION}",
                "schema_version",
                found=shown,
                wanted=str(SCHEMA_VERSION),
            )

    def _result(self) -> None:
        result = _Result()
        for key in self.json.members("a Trivy result (an object)"):
            if key == "Target":
                result.target = short(self.json.value(1 << 16)) or "-"
                for finding in result.waiting:
                    self.run.add(_on(finding, result.target))
                result.waiting = []
            elif key in ("Vulnerabilities", "Misconfigurations", "Secrets"):
                if self.json.peek() == b"n":
                    self.json.value()
                    continue
                for kind, obj in self.json.objects(partial(_checked, key), None, f"a list of {key}"):
                    if result.target is None and len(result.waiting) < MAX_WAITING:
                        result.waiting.append(self._convert(kind, obj, ""))
                    else:
                        self.run.add(self._convert(kind, obj, result.target or "-"))
        for finding in result.waiting:
            self.run.add(_on(finding, "-"))

    def _convert(self, kind: str, obj: dict[str, Any], target: str) -> Finding:
        """The finding; ``target`` "" while the result's Target is not known yet (see :func:`_on`)."""
        if kind == "Vulnerabilities":
            rule = obj["VulnerabilityID"]
            name, items = self.rules.lookup(rule)
            package = " ".join(p for p in (short(obj.get("PkgName"), 100), short(obj.get("InstalledVersion"), 60)) if p)
            fixed = short(obj.get("FixedVersion"), 100)
            return Finding(
                check=name,
                status=FindingStatus.FAIL,
                resource=_joined(target, package),
                items=items,
                severity=severity(obj.get("Severity")),
                observed=f"fixed in {fixed}" if fixed else None,
                title=short(obj.get("Title")),
                location=target,
            )
        if kind == "Misconfigurations":
            avd, short_id = obj.get("AVDID"), obj.get("ID")
            rule = avd if isinstance(avd, str) and avd.strip() else short_id
            assert isinstance(rule, str)
            name, items = self.rules.lookup(rule.strip())
            if not items and isinstance(short_id, str) and short_id.strip() and short_id != rule:
                items = self.rules.lookup(short_id.strip())[1]
            status = _MISCONFIG.get(str(obj.get("Status", "FAIL")).upper(), FindingStatus.ERROR)
            if status is FindingStatus.NOT_APPLICABLE:
                self.run.suppressed += 1
            cause = obj.get("CauseMetadata")
            cause = cause if isinstance(cause, dict) else {}
            resource = short(cause.get("Resource"), 150)
            line = cause.get("StartLine")
            return Finding(
                check=name,
                status=status,
                resource=_joined(target, resource),
                items=items,
                severity=severity(obj.get("Severity")),
                observed=short(obj.get("Message")) if status is not FindingStatus.PASS else None,
                title=short(obj.get("Title")),
                location=target,
                line=line if type(line) is int and line > 0 else None,
            )
        name, items = self.rules.lookup(obj["RuleID"].strip())
        line = obj.get("StartLine")
        return Finding(
            check=name,
            status=FindingStatus.FAIL,
            resource=target,
            items=items,
            severity=severity(obj.get("Severity")),
            title=short(obj.get("Title")),
            location=target,
            line=line if type(line) is int and line > 0 else None,
        )


def _joined(target: str, what: str | None) -> str:
    if not target:
        return what or ""
    return f"{target}: {what}" if what else target


def _on(finding: Finding, target: str) -> Finding:
    """A finding made before its result's Target was read, now placed on it."""
    return replace(finding, resource=_joined(target, finding.resource), location=target)


_RULE_FIELD = {"Vulnerabilities": ("VulnerabilityID",), "Misconfigurations": ("AVDID", "ID"), "Secrets": ("RuleID",)}


def _checked(kind: str, obj: Any) -> tuple[str, dict[str, Any]]:
    """The entry as read, once it is an object with its rule ID (else Refused, at its position)."""
    if not isinstance(obj, dict):
        raise Refused(f"an entry of {kind} is an object, not {kind_of(obj)}", "shape", found=kind_of(obj))
    fields = _RULE_FIELD[kind]
    if not any(isinstance(obj.get(f), str) and obj[f].strip() for f in fields):
        wanted = " or ".join(fields)
        raise Refused(f"an entry of {kind} needs its {wanted}", "missing", field=wanted)
    return kind, obj
