"""SARIF 2.1.0 logs (CodeQL, Semgrep, Trivy, and any other tool that writes SARIF): every run's results.

A result's verdict follows its ``kind`` (absent: ``fail``): ``pass`` is a pass and ``fail`` a failure;
``open`` (the tool could not tell) and ``review`` (a person has to decide) are ``error``, since neither
shows the code is right; ``informational`` and ``notApplicable`` are ``not_applicable``. A result with a
suppression that is accepted or has no status (a ``# nosemgrep`` comment, an accepted alert) is
``not_applicable`` and counted as suppressed, unless another suppression of it was rejected; a result
whose ``baselineState`` is ``absent`` is gone from the code and counts as ``not_applicable``.

Severity: the result's ``level``, else its rule's ``defaultConfiguration.level``, else ``warning`` (for a
result of another kind than ``fail``: ``none``), as the standard says; error is high, warning medium, note
low and none info. A ``security-severity`` score on the result or rule (GitHub's convention, 0–10) is
more precise and wins: 9 and above critical, 7 high, 4 medium, above 0 low.

Items: the ``sarif`` mapping table by rule ID first; for a rule it does not know, the CWE IDs the rule
is tagged with (``external/cwe/cwe-079``, ``CWE-79: …``, or a relationship to the CWE taxonomy) select
the catalog items whose references cite them; else the rule is unmapped.

The file is read twice: first the runs' tools, rules and invocations (which the standard lets come after
the results), then the results. The run's tool is the driver's name and version, its target the
repository (``versionControlProvenance``) or the image (``properties.imageName``, as Trivy writes it),
else the file name, and its time the first invocation's start (else the file's modification time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from antai.assessment.findings import Finding, FindingStatus, Severity, ToolInfo
from antai.catalog.mappings import RuleMap
from antai.importers.common import (
    ImportedRun,
    Latest,
    Rules,
    Targets,
    finish,
    new_run,
    parse_time,
    short,
)
from antai.importers.jsonstream import JsonReader, Refused, kind_of
from antai.importers.source import InputFile, Progress, fail

if TYPE_CHECKING:
    from antai.catalog import Catalog

VERSION = "2.1.0"
MAX_RULES = 100_000  # rules kept per run (id, level, CWE IDs, title)
_KINDS = {
    "fail": FindingStatus.FAIL,
    "pass": FindingStatus.PASS,
    "open": FindingStatus.ERROR,
    "review": FindingStatus.ERROR,
    "informational": FindingStatus.NOT_APPLICABLE,
    "notapplicable": FindingStatus.NOT_APPLICABLE,
}
_LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW, "none": Severity.INFO}
_CWE = re.compile(r"(?:^|[/\s_-])cwe[-_/ ]?0*(\d{1,5})\b", re.IGNORECASE)


def cwe_index(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """CWE ID (``CWE-79``) → the catalog items whose references cite it."""
    index: dict[str, list[str]] = {}
    for item in catalog.items:
        for ref in item.references:
            if ref.kind.value == "cwe":
                number = ref.id.upper().removeprefix("CWE-").lstrip("0")
                index.setdefault(f"CWE-{number}", []).append(item.id)
    return {cwe: tuple(dict.fromkeys(items)) for cwe, items in index.items()}


def cwes_in(tags: Iterable[Any]) -> tuple[str, ...]:
    """The CWE IDs named by tags such as ``external/cwe/cwe-079`` or ``CWE-79: Cross-site scripting``."""
    found: list[str] = []
    for tag in tags:
        if isinstance(tag, str) and len(tag) <= 500:
            found.extend(f"CWE-{int(m.group(1))}" for m in _CWE.finditer(tag))
    return tuple(dict.fromkeys(found))


def read_sarif(
    path: Path,
    *,
    rules: RuleMap | None = None,
    catalog: Catalog | None = None,
    display: str | None = None,
    progress: Progress | None = None,
) -> ImportedRun:
    """Read a SARIF 2.1.0 log; raises SourceError (``file:line:column``) when it is not one.

    ``catalog`` gives the CWE references of its items for rules the mapping table does not know; without
    it such rules are unmapped.
    """
    if rules is None:
        from antai.catalog.mappings import load_mapping

        rules = load_mapping("sarif")
    index: Callable[[], dict[str, tuple[str, ...]]] | None = None
    if catalog is not None:
        built: dict[str, tuple[str, ...]] = {}

        def index() -> dict[str, tuple[str, ...]]:
            if not built:
                built.update(cwe_index(catalog) or {"": ()})
            return built

    source = InputFile(path, display or path.name, progress, passes=2)
    with source:
        runs = _first_pass(source)
        source.open()
        run = _second_pass(source, runs, rules, index)
    return run


# --- the first pass: tools, rules, invocations -----------------------------------------------------------


@dataclass
class _Rule:
    id: str
    level: str | None = None
    score: float | None = None
    cwes: tuple[str, ...] = ()
    title: str | None = None


@dataclass
class _Component:
    """A tool component (the driver or an extension) and its rules by index and by ID."""

    name: str | None = None
    version: str | None = None
    rules: list[_Rule] = field(default_factory=list)
    by_id: dict[str, _Rule] = field(default_factory=dict)


@dataclass
class _Run:
    driver: _Component = field(default_factory=_Component)
    extensions: list[_Component] = field(default_factory=list)
    started: dt.datetime | None = None
    targets: Targets = field(default_factory=Targets)


def _first_pass(source: InputFile) -> list[_Run]:
    reader = JsonReader(source)
    runs: list[_Run] = []
    version: Any = None
    version_at = reader.position()
    has_runs = False
    for key in reader.members("a SARIF log (an object)"):
        if key == "version":
            version_at = reader.position()
            version = reader.value(1 << 16)
            if version != VERSION:
                shown = short(version, 20) or kind_of(version)
                raise fail(
                    source.display,
                    *version_at,
                    f"SARIF version {shown}: antai reads SARIF {VERSION}",
                    "sarif_version",
                    found=shown,
                    wanted=VERSION,
                )
        elif key == "runs":
            has_runs = True
            if reader.peek() == b"n":
                reader.value()
                continue
            for _ in reader.elements("a list of runs"):
                runs.append(_read_run(reader))
    if version is None or not has_runs:
        missing = "version" if version is None else "runs"
        raise fail(source.display, *version_at, f"not a SARIF log: it has no {missing}", "not_format", tool="SARIF")
    reader.end()
    return runs


def _read_run(reader: JsonReader) -> _Run:
    run = _Run()
    for key in reader.members("a SARIF run (an object)"):
        if key == "tool":
            for part in reader.members("a SARIF tool (an object)"):
                if part == "driver":
                    run.driver = _component(reader)
                elif part == "extensions":
                    for _ in reader.elements("a list of tool extensions"):
                        run.extensions.append(_component(reader))
        elif key == "invocations":
            for _ in reader.elements("a list of invocations"):
                invocation = reader.value()
                if isinstance(invocation, dict) and run.started is None:
                    run.started = parse_time(invocation.get("startTimeUtc")) or parse_time(invocation.get("endTimeUtc"))
        elif key == "versionControlProvenance":
            provenance = reader.value()
            for entry in provenance if isinstance(provenance, list) else ():
                if isinstance(entry, dict):
                    run.targets.add(short(entry.get("repositoryUri")))
        elif key == "properties":
            properties = reader.value()
            if isinstance(properties, dict):
                run.targets.add(short(properties.get("imageName")))
        elif key == "automationDetails":
            details = reader.value()
            if isinstance(details, dict) and not run.targets.seen:
                run.targets.add(short(details.get("id")))
        elif key == "results":
            reader.skip()
    return run


def _component(reader: JsonReader) -> _Component:
    component = _Component()
    for key in reader.members("a SARIF tool component (an object)"):
        if key == "name":
            component.name = short(reader.value(1 << 16), 100)
        elif key in ("semanticVersion", "version"):
            found = short(reader.value(1 << 16), 100)
            if key == "semanticVersion" or component.version is None:
                component.version = found or component.version
        elif key == "rules":
            for _ in reader.elements("a list of rules"):
                rule = _rule(reader.value())
                if len(component.rules) < MAX_RULES:
                    component.rules.append(rule)
                    if rule.id and rule.id not in component.by_id:
                        component.by_id[rule.id] = rule
    return component


def _rule(obj: Any) -> _Rule:
    if not isinstance(obj, dict):
        return _Rule("")
    rule_id = obj.get("id")
    configuration = obj.get("defaultConfiguration")
    level = configuration.get("level") if isinstance(configuration, dict) else None
    properties = obj.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    tags = properties.get("tags")
    cwes = list(cwes_in(tags if isinstance(tags, list) else ()))
    relationships = obj.get("relationships")
    for relation in relationships if isinstance(relationships, list) else ():
        target = relation.get("target") if isinstance(relation, dict) else None
        if not isinstance(target, dict):
            continue
        component = target.get("toolComponent")
        if isinstance(component, dict) and str(component.get("name", "")).upper() == "CWE":
            number = str(target.get("id", "")).upper().removeprefix("CWE-").lstrip("0")
            if number.isdigit():
                cwes.append(f"CWE-{number}")
    description = obj.get("shortDescription")
    return _Rule(
        id=short(rule_id, 400) or "" if isinstance(rule_id, str) else "",
        level=level if isinstance(level, str) else None,
        score=_score(properties.get("security-severity")),
        cwes=tuple(dict.fromkeys(cwes)),
        title=short(description.get("text")) if isinstance(description, dict) else None,
    )


def _score(value: Any) -> float | None:
    try:
        score = float(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None
    except ValueError:
        return None
    return score if score is not None and 0 <= score <= 10 else None


def _from_score(score: float) -> Severity:
    if score >= 9:
        return Severity.CRITICAL
    if score >= 7:
        return Severity.HIGH
    if score >= 4:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


# --- the second pass: results ----------------------------------------------------------------------------


def _second_pass(
    source: InputFile,
    runs: list[_Run],
    table: RuleMap,
    index: Callable[[], dict[str, tuple[str, ...]]] | None,
) -> ImportedRun:
    reader = JsonReader(source)
    out = new_run("sarif", source.display, source.mtime)
    latest = Latest()
    targets = Targets()
    for run in runs:
        latest.add(run.started)
        for target in run.targets.seen:
            targets.add(target)
    for key in reader.members():
        if key != "runs" or reader.peek() == b"n":
            continue
        for number in reader.elements():
            run = runs[number] if number < len(runs) else _Run()
            rules = Rules(table, _by_cwe(run, index) if index is not None else None)
            for part in reader.members():
                if part == "results" and reader.peek() != b"n":
                    for finding, suppressed in reader.objects(
                        partial(_finding, run=run, rules=rules), None, "a list of results"
                    ):
                        if suppressed:
                            out.suppressed += 1
                        out.add(finding)
    reader.end()
    names = list(dict.fromkeys(r.driver.name or "sarif" for r in runs))
    versions = list(dict.fromkeys(r.driver.version for r in runs if r.driver.version))
    out.tool = ToolInfo(" + ".join(names)[:100] if names else "sarif")
    return finish(
        out,
        version=versions[0] if len(versions) == 1 else None,
        target=targets.shown(source.display),
        observed_at=latest.value,
        sha256=source.sha256,
    )


def _by_cwe(run: _Run, index: Callable[[], dict[str, tuple[str, ...]]]) -> Callable[[str], tuple[str, ...]]:
    def items(rule_id: str) -> tuple[str, ...]:
        rule = run.driver.by_id.get(rule_id) or next(
            (c.by_id[rule_id] for c in run.extensions if rule_id in c.by_id), None
        )
        if rule is None or not rule.cwes:
            return ()
        table = index()
        return tuple(dict.fromkeys(item for cwe in rule.cwes for item in table.get(cwe, ())))

    return items


def _rule_of(obj: dict[str, Any], run: _Run) -> tuple[str | None, _Rule | None]:
    """The result's rule ID and the rule it refers to (by ``ruleIndex``, ``rule.index`` or ID)."""
    rule_id = obj.get("ruleId")
    reference = obj.get("rule")
    reference = reference if isinstance(reference, dict) else {}
    if not isinstance(rule_id, str) or not rule_id.strip():
        rule_id = reference.get("id") if isinstance(reference.get("id"), str) else None
    component = run.driver
    tool = reference.get("toolComponent")
    if isinstance(tool, dict) and type(tool.get("index")) is int and 0 <= tool["index"] < len(run.extensions):
        component = run.extensions[tool["index"]]
    position = obj.get("ruleIndex", reference.get("index"))
    rule = None
    if type(position) is int and 0 <= position < len(component.rules):
        rule = component.rules[position]
    elif rule_id:
        rule = component.by_id.get(rule_id)
    if not rule_id and rule is not None and rule.id:
        rule_id = rule.id
    return (rule_id.strip() if rule_id else None), rule


def _location(obj: dict[str, Any]) -> tuple[str | None, int | None, str | None]:
    """The first location's file, line and logical name."""
    locations = obj.get("locations")
    first = locations[0] if isinstance(locations, list) and locations and isinstance(locations[0], dict) else {}
    physical = first.get("physicalLocation")
    physical = physical if isinstance(physical, dict) else {}
    artifact = physical.get("artifactLocation")
    uri = short(artifact.get("uri")) if isinstance(artifact, dict) else None
    region = physical.get("region")
    line = region.get("startLine") if isinstance(region, dict) else None
    logical = first.get("logicalLocations")
    name = None
    if isinstance(logical, list) and logical and isinstance(logical[0], dict):
        name = short(logical[0].get("fullyQualifiedName")) or short(logical[0].get("name"))
    return uri, (line if type(line) is int and line > 0 else None), name


def _suppressed(obj: dict[str, Any]) -> bool:
    suppressions = obj.get("suppressions")
    if not isinstance(suppressions, list):
        return False
    statuses = [s.get("status") if isinstance(s, dict) else "rejected" for s in suppressions]
    return any(s in (None, "accepted") for s in statuses) and "rejected" not in statuses


def _finding(obj: Any, run: _Run, rules: Rules) -> tuple[Finding, bool]:
    if not isinstance(obj, dict):
        raise Refused(f"a SARIF result is an object, not {kind_of(obj)}", "shape", found=kind_of(obj))
    rule_id, rule = _rule_of(obj, run)
    kind = obj.get("kind", "fail")
    status = _KINDS.get(kind.lower(), FindingStatus.ERROR) if isinstance(kind, str) else FindingStatus.ERROR
    level = obj.get("level")
    if not isinstance(level, str):
        level = (rule.level if rule is not None else None) or "warning" if kind == "fail" else "none"
    grade = _LEVELS.get(level.lower(), Severity.MEDIUM)
    properties = obj.get("properties")
    score = _score(properties.get("security-severity")) if isinstance(properties, dict) else None
    if score is None and rule is not None:
        score = rule.score
    if score is not None:
        grade = _from_score(score)
    suppressed = _suppressed(obj)
    observed = None
    if suppressed:
        status, observed = FindingStatus.NOT_APPLICABLE, "suppressed"
    elif obj.get("baselineState") == "absent":
        status, observed = FindingStatus.NOT_APPLICABLE, "absent from this run"
    name, items = rules.lookup(rule_id) if rule_id else ("(no rule)", ())
    uri, line, logical = _location(obj)
    where = f"{uri}:{line}" if uri and line else uri or logical
    message = obj.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    return (
        Finding(
            check=name,
            status=status,
            resource=where or "-",
            items=items,
            severity=grade,
            observed=observed,
            title=(rule.title if rule is not None else None) or short(text, 200),
            location=uri,
            line=line,
        ),
        suppressed,
    )
