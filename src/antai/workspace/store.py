"""Reading and writing a workspace folder. Every change goes through :meth:`Workspace.commit`, which writes
files atomically and appends a history entry, so nothing is half-written and nothing goes unrecorded.

Layout::

    antai.yaml            organisation, pinned catalog version, languages
    profile.yaml          the service profile
    answers.yaml          one entry per applicable item, in catalog order
    decisions.yaml        risk-acceptance decisions (appended, never rewritten)
    organisation.yaml     facts banks ask first
    evidence/index.yaml   evidence records (SHA-256, who, when, effective date, expiry)
    evidence/files/       the evidence files themselves
    archive.yaml          answers of items removed from the catalog by an upgrade
    catalog-lock.json     the catalog items the assessment was made against (for upgrades and auditors)
    history.jsonl         the tamper-evident history
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from antai.assessment.model import (
    AnswersFile,
    ArchiveFile,
    DecisionsFile,
    EvidenceIndex,
    OrganisationFacts,
    WorkspaceMeta,
)
from antai.assessment.state import Assessment
from antai.catalog.yamlsource import Problem, SourceError, load_model, load_yaml
from antai.fileio import atomic_write_text
from antai.tailoring.profile import Profile
from antai.workspace import history

META = "antai.yaml"
PROFILE = "profile.yaml"
ANSWERS = "answers.yaml"
DECISIONS = "decisions.yaml"
ORGANISATION = "organisation.yaml"
EVIDENCE_INDEX = "evidence/index.yaml"
EVIDENCE_FILES = "evidence/files"
ARCHIVE = "archive.yaml"
LOCK = "catalog-lock.json"
HISTORY = "history.jsonl"
TRACKED = (META, PROFILE, ANSWERS, DECISIONS, ORGANISATION, EVIDENCE_INDEX, ARCHIVE, LOCK)

_HEADERS = {
    ANSWERS: "# Self-assessment answers, one per applicable item, in catalog order. Edit with `antai set`,\n"
    "# or by hand and then `antai validate` + `antai record -m …`.\n"
    "# status: unanswered | implemented | partial | planned (due) | not_implemented | not_applicable (reason)\n"
    "#         | risk_accepted (antai accept) | compensated (compensated_by, reason)\n",
    DECISIONS: "# Risk-acceptance decisions (R7): rationale, approver, date and expiry. Appended by `antai accept`.\n",
    ORGANISATION: "# Facts partner banks ask first. Missing facts are shown as gaps in reports.\n",
    EVIDENCE_INDEX: "# Evidence records, added with `antai evidence add`. sha256 is checked by `antai verify`.\n",
    ARCHIVE: "# Answers of items that a catalog upgrade removed, kept for the record.\n",
}


class WorkspaceError(Exception):
    """A user-facing problem with the workspace (not a bug): the message says what to do."""


def current_user() -> str:
    """Who is making a change: $ANTAI_USER, else git's user.name, else the login name."""
    explicit = os.environ.get("ANTAI_USER")
    if explicit:
        return explicit
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=2, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_DATE_FIELDS = {"due", "updated", "created", "decided", "expires", "effective_from", "security_policy_date"}


def _unquote_dates(value: Any, key: str | None = None) -> Any:
    """JSON-mode dumps turn dates into strings, which YAML would then quote; give date fields (and only
    those: a note that happens to look like a date stays text) back their plain YAML form."""
    if isinstance(value, dict):
        return {k: _unquote_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquote_dates(v) for v in value]
    if key in _DATE_FIELDS and isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(
        _unquote_dates(data), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def model_yaml(model: BaseModel) -> str:
    return dump_yaml(model.model_dump(mode="json", exclude_none=True, exclude_defaults=False))


@dataclass
class Workspace:
    root: Path

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def exists(self) -> bool:
        return self.path(META).is_file()

    # --- reading ------------------------------------------------------------------------------------

    def load(self) -> Assessment:
        """Read every file; raise SourceError listing every line-precise problem."""
        if not self.exists:
            raise WorkspaceError(f"{self.root} is not an antai workspace (no {META}); create one with `antai init`")
        problems: list[Problem] = []

        def read(name: str, model: type[BaseModel], optional: bool = False) -> Any:
            path = self.path(name)
            if optional and not path.is_file():
                return model()
            try:
                return load_model(path, model, display=str(path))
            except SourceError as exc:
                problems.extend(exc.problems)
                return None

        meta = read(META, WorkspaceMeta)
        profile = read(PROFILE, Profile)
        answers = read(ANSWERS, AnswersFile, optional=True)
        decisions = read(DECISIONS, DecisionsFile, optional=True)
        organisation = read(ORGANISATION, OrganisationFacts, optional=True)
        evidence = read(EVIDENCE_INDEX, EvidenceIndex, optional=True)
        archive = read(ARCHIVE, ArchiveFile, optional=True)
        if problems:
            raise SourceError(problems)
        return Assessment(
            meta=meta,
            profile=profile,
            answers=dict(answers.answers),
            acceptances=list(decisions.acceptances),
            evidence=list(evidence.evidence),
            organisation=organisation,
            archive=list(archive.archived),
        )

    def position(self, name: str, loc: tuple[str | int, ...]) -> tuple[int, int]:
        try:
            return load_yaml(self.path(name)).position(loc)
        except SourceError:
            return 1, 1

    def lock_items(self) -> list[dict[str, Any]]:
        path = self.path(LOCK)
        if not path.is_file():
            return []
        data = json.loads(path.read_text(encoding="utf-8"))
        items: list[dict[str, Any]] = data.get("items", [])
        return items

    # --- writing ------------------------------------------------------------------------------------

    def state(self) -> dict[str, str]:
        return {name: history.file_sha256(self.path(name)) for name in TRACKED if self.path(name).is_file()}

    def unlogged_changes(self) -> list[str]:
        """Tracked files that differ from what the last history entry recorded (hand edits, or tampering)."""
        entries = history.read(self.path(HISTORY))
        if not entries:
            return []
        recorded: dict[str, str] = entries[-1].get("state") or {}
        now = self.state()
        return sorted(name for name in set(recorded) | set(now) if recorded.get(name) != now.get(name))

    def render(self, name: str, model: BaseModel) -> str:
        return _HEADERS.get(name, "") + model_yaml(model)

    def commit(
        self,
        action: str,
        files: dict[str, str],
        *,
        item: str | None = None,
        before: Any = None,
        after: Any = None,
        message: str | None = None,
        allow_unlogged: bool = False,
        copy_in: tuple[Path, Path] | None = None,
    ) -> dict[str, Any]:
        """Write ``files`` (name → text) atomically and log the change. Refuses when hand edits are unrecorded."""
        with history.locked(self.path(HISTORY)):
            if not allow_unlogged:
                changed = self.unlogged_changes()
                if changed:
                    raise WorkspaceError(
                        f"{', '.join(changed)} changed outside antai since the last recorded change. "
                        "Check it with `antai validate`, then record it with `antai record -m MESSAGE` "
                        "(or undo it with git) before making new changes."
                    )
            if copy_in is not None:
                source, target = copy_in
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                shutil.copyfile(source, tmp)
                os.replace(tmp, target)
            for name, text in files.items():
                atomic_write_text(self.path(name), text)
            return history.append(
                self.path(HISTORY),
                who=current_user(),
                action=action,
                state=self.state(),
                item=item,
                before=before,
                after=after,
                message=message,
            )
