"""Mapping tables: which antai items a scanner's rule bears on.

Each tool has one versioned YAML file in ``content/mappings/`` (``prowler.yaml``, ``checkov.yaml``,
``trivy.yaml``, ``sarif.yaml``)::

    tool: prowler
    version: 3                  # the table's own version; bump it when a rule moves
    covers: Prowler 5.46.0      # the tool release whose rule IDs the table was checked against
    updated: 2026-12-02
    rules:                      # exact rule IDs
      iam_root_mfa_enabled: [IAM-01, IAM-02]
    patterns:                   # shell-style patterns, tried in order after the exact rules
      - {match: "CVE-*", items: [PAT-02, CHG-04]}
    ignored:                    # rules looked at and deliberately mapped to no item
      - ec2_instance_detailed_monitoring_enabled

A rule in none of the three is *unknown*: the importers report it as unmapped, never drop it silently.
The tables are read on first use (a command that imports nothing never pays for them) and checked
against the catalog by ``antai catalog validate`` (:func:`check_mapping`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from antai.catalog.schema import ITEM_ID_PATTERN
from antai.catalog.yamlsource import Limits, Problem, SourceError, YamlDocument, load_model, load_yaml, validate_model

MAPPINGS_DIR = Path(__file__).parent / "content" / "mappings"
TOOLS = ("prowler", "checkov", "trivy", "sarif")
# the tables are the biggest files shipped (a thousand rules or more), so they get more room than an item
_LIMITS = Limits(max_bytes=4 * 1024 * 1024, max_nodes=200_000)

RuleId = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s\x00-\x1f\x7f]+$")]
ItemRef = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pattern(_Strict):
    match: RuleId = Field(description="A shell-style pattern over rule IDs (CVE-*, CKV_AWS_*)")
    items: list[ItemRef] = Field(min_length=1)


class MappingFile(_Strict):
    tool: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(ge=1)
    covers: str = Field(min_length=1, max_length=200, description="The tool release the rule IDs were checked against")
    updated: dt.date
    rules: dict[RuleId, list[ItemRef]] = Field(default_factory=dict)
    patterns: list[Pattern] = Field(default_factory=list)
    ignored: list[RuleId] = Field(default_factory=list)


@dataclass(frozen=True)
class RuleMap:
    """One tool's table, ready for fast lookups (an importer asks once per finding)."""

    tool: str
    version: int
    covers: str
    updated: dt.date
    rules: dict[str, tuple[str, ...]]
    patterns: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    ignored: frozenset[str]

    def items_for(self, rule: str) -> tuple[str, ...]:
        """The items ``rule`` bears on; ``()`` when it is ignored or unknown (see :meth:`known`)."""
        found = self.rules.get(rule)
        if found is not None:
            return found
        for pattern, items in self.patterns:
            if pattern.match(rule):
                return items
        return ()

    def known(self, rule: str) -> bool:
        """Whether the table says anything about ``rule`` (mapped or deliberately ignored)."""
        return rule in self.rules or rule in self.ignored or any(p.match(rule) for p, _ in self.patterns)

    def items(self) -> set[str]:
        """Every item the table maps to."""
        found = {item for items in self.rules.values() for item in items}
        return found | {item for _, items in self.patterns for item in items}


def _compile(data: MappingFile) -> RuleMap:
    return RuleMap(
        tool=data.tool,
        version=data.version,
        covers=data.covers,
        updated=data.updated,
        rules={rule: tuple(items) for rule, items in data.rules.items()},
        patterns=tuple((re.compile(fnmatch.translate(p.match)), tuple(p.items)) for p in data.patterns),
        ignored=frozenset(data.ignored),
    )


def read_mapping(path: Path, display: str | None = None) -> RuleMap:
    """Read and check one table; raises SourceError (``file:line:column``) when it is malformed."""
    return _compile(load_model(path, MappingFile, display or path.name, limits=_LIMITS))


@cache
def load_mapping(tool: str) -> RuleMap:
    """The shipped table for ``tool`` (one of :data:`TOOLS`), read once."""
    if tool not in TOOLS:
        raise ValueError(f"no mapping table for {tool!r}")
    return read_mapping(MAPPINGS_DIR / f"{tool}.yaml", f"mappings/{tool}.yaml")


def check_mapping(path: Path, display: str, item_ids: set[str]) -> list[Problem]:
    """Every problem of one table, at its line: unreadable or malformed (as SourceError's problems), items
    the catalog does not have, and rules both mapped and ignored."""
    try:
        doc = load_yaml(path, display, limits=_LIMITS)
        data = validate_model(doc, MappingFile)
    except SourceError as exc:
        return list(exc.problems)
    problems = []
    for rule, items in data.rules.items():
        for n, item in enumerate(items):
            if item not in item_ids:
                problems.append(_problem(doc, ["rules", rule, n], "mapping.unknown_item", rule=rule, item=item))
    for n, pattern in enumerate(data.patterns):
        for m, item in enumerate(pattern.items):
            if item not in item_ids:
                problems.append(
                    _problem(doc, ["patterns", n, "items", m], "mapping.unknown_item", rule=pattern.match, item=item)
                )
    mapped = set(data.rules)
    for n, rule in enumerate(data.ignored):
        if rule in mapped:
            problems.append(_problem(doc, ["ignored", n], "mapping.both", rule=rule))
    return problems


_ENGLISH = {
    "mapping.unknown_item": "{rule} maps to {item}, which is not in the catalog",
    "mapping.both": "{rule} is both mapped and ignored",
}


def _problem(doc: YamlDocument, loc: list[str | int], code: str, **params: str) -> Problem:
    line, column = doc.position(loc)
    return Problem(doc.display, line, column, _ENGLISH[code].format(**params), code, tuple(params.items()))
