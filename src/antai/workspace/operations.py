"""The changes a team makes to its workspace, each validated first and then committed with a history entry."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from antai.assessment.model import (
    Acceptance,
    Answer,
    AnswersFile,
    ArchivedAnswer,
    ArchiveFile,
    DecisionsFile,
    EvidenceIndex,
    EvidenceKind,
    EvidenceRecord,
    OrganisationFacts,
    Status,
    WorkspaceMeta,
)
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.catalog.diff import diff_catalogs
from antai.catalog.model import Catalog as CatalogModel
from antai.catalog.schema import Item
from antai.tailoring.plan import Plan, make_plan
from antai.tailoring.profile import Profile
from antai.tailoring.questionnaire import profile_yaml
from antai.workspace import history
from antai.workspace.store import (
    _HEADERS,
    ANSWERS,
    ARCHIVE,
    DECISIONS,
    EVIDENCE_FILES,
    EVIDENCE_INDEX,
    HISTORY,
    LOCK,
    META,
    ORGANISATION,
    PROFILE,
    Workspace,
    WorkspaceError,
    current_user,
    dump_yaml,
)

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
DEFAULT_EVIDENCE_VALIDITY = dt.timedelta(days=365)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    text = re.sub(r"^Value error, ", "", err["msg"])
    return f"{where}: {text}" if where else text


def answers_text(ws: Workspace, catalog: Catalog, answers: dict[str, Answer]) -> str:
    """answers.yaml in catalog order, so that a change touches only its own lines in a diff."""
    order = {item.id: n for n, item in enumerate(catalog.items)}
    ordered = dict(sorted(answers.items(), key=lambda pair: order.get(pair[0], len(order))))
    AnswersFile(answers=ordered)  # the same rules as reading it back
    body = {}
    for item_id, answer in ordered.items():
        data = answer.model_dump(mode="json", exclude_none=True)
        if not data.get("review"):
            data.pop("review", None)  # only a flagged item says so, keeping the file quiet
        body[item_id] = data
    return _header(ANSWERS) + dump_yaml({"answers": body})


def _header(name: str) -> str:
    return _HEADERS.get(name, "")


def lock_text(catalog: Catalog) -> str:
    data = {
        "catalog_version": catalog.version,
        "items": [item.model_dump(mode="json", exclude_none=True) for item in catalog.items],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def init(ws: Workspace, catalog: Catalog, profile: Profile, organisation: str, today: dt.date) -> Plan:
    if ws.exists:
        raise WorkspaceError(f"{ws.root} already holds a workspace ({META})")
    if ws.path(HISTORY).exists():
        raise WorkspaceError(f"{ws.root} has a history.jsonl but no {META}: refusing to start a second history")
    plan = make_plan(catalog, profile)
    meta = WorkspaceMeta(organisation=organisation, catalog_version=catalog.version, created=today)
    answers = {p.id: Answer() for p in plan.items}
    files = {
        META: ws.render(META, meta),
        PROFILE: profile_yaml(profile, "ja"),
        ANSWERS: answers_text(ws, catalog, answers),
        DECISIONS: ws.render(DECISIONS, DecisionsFile()),
        ORGANISATION: ws.render(ORGANISATION, OrganisationFacts(staff_count=profile.staff)),
        EVIDENCE_INDEX: ws.render(EVIDENCE_INDEX, EvidenceIndex()),
        LOCK: lock_text(catalog),
    }
    ws.root.mkdir(parents=True, exist_ok=True)
    ws.commit(
        "init",
        files,
        after={"organisation": organisation, "catalog_version": catalog.version, "items": len(answers)},
        allow_unlogged=True,
    )
    return plan


def _require_in_plan(catalog: Catalog, plan: Plan, item_id: str) -> str:
    item = catalog.item(item_id)
    if item is None:
        raise WorkspaceError(f"no item {item_id} (see `antai items`)")
    if item.id not in plan.ids:
        raise WorkspaceError(f"{item.id} does not apply to this service's profile (see `antai plan`)")
    return item.id


def set_answer(
    ws: Workspace,
    catalog: Catalog,
    assessment: Assessment,
    item_id: str,
    changes: dict[str, Any],
    today: dt.date,
) -> Answer:
    """Change one answer; the new answer must satisfy the status rules or nothing is written."""
    plan = make_plan(catalog, assessment.profile)
    item_id = _require_in_plan(catalog, plan, item_id)
    if changes.get("status") == Status.RISK_ACCEPTED.value:
        raise WorkspaceError("record a risk acceptance with `antai accept ITEM --rationale … --approver … --expires …`")
    before = assessment.answer(item_id)
    data = before.model_dump(mode="json", exclude_none=True)
    data.update({k: v for k, v in changes.items() if v is not None})
    if data.get("status") != Status.PLANNED.value and changes.get("due") is None:
        data.pop("due", None)
    if data.get("status") != Status.COMPENSATED.value and changes.get("compensated_by") is None:
        data.pop("compensated_by", None)
    if data.get("status") not in (Status.COMPENSATED.value, Status.NOT_APPLICABLE.value) and not changes.get("reason"):
        data.pop("reason", None)  # a reason belongs to the deviation it explained
    data["updated"] = today.isoformat()
    data["review"] = False
    try:
        after = Answer.model_validate(data)
    except ValidationError as exc:
        raise WorkspaceError(f"{item_id}: {_first_error(exc)}") from None
    if after.compensated_by:
        target = after.compensated_by
        if target == item_id or (catalog.item(target) is None and catalog.technote(target) is None):
            raise WorkspaceError(f"{item_id}: compensated_by '{target}' must be another item or a new-technology note")
    answers = dict(assessment.answers)
    answers[item_id] = after
    ws.commit(
        "set",
        {ANSWERS: answers_text(ws, catalog, answers)},
        item=item_id,
        before=before.model_dump(mode="json", exclude_none=True),
        after=after.model_dump(mode="json", exclude_none=True),
    )
    return after


def accept(
    ws: Workspace,
    catalog: Catalog,
    assessment: Assessment,
    item_id: str,
    rationale: str,
    approver: str,
    expires: dt.date,
    decided: dt.date,
) -> Acceptance:
    plan = make_plan(catalog, assessment.profile)
    item_id = _require_in_plan(catalog, plan, item_id)
    try:
        decision = Acceptance(item=item_id, rationale=rationale, approver=approver, decided=decided, expires=expires)
    except ValidationError as exc:
        raise WorkspaceError(f"{item_id}: {_first_error(exc)}") from None
    before = assessment.answer(item_id)
    data = before.model_dump(mode="json", exclude_none=True)
    data.update(status=Status.RISK_ACCEPTED.value, updated=decided.isoformat(), review=False)
    data.pop("due", None)
    after = Answer.model_validate(data)
    answers = dict(assessment.answers)
    answers[item_id] = after
    decisions = DecisionsFile(acceptances=[*assessment.acceptances, decision])
    ws.commit(
        "accept",
        {ANSWERS: answers_text(ws, catalog, answers), DECISIONS: ws.render(DECISIONS, decisions)},
        item=item_id,
        before=before.model_dump(mode="json", exclude_none=True),
        after=decision.model_dump(mode="json"),
    )
    return decision


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "evidence"
    return cleaned[:80]


def add_evidence(
    ws: Workspace,
    catalog: Catalog,
    assessment: Assessment,
    item_id: str,
    source: str,
    effective: dt.date,
    expires: dt.date | None,
    note: str | None,
    now: dt.datetime,
) -> EvidenceRecord:
    item = catalog.item(item_id)
    if item is None:
        raise WorkspaceError(f"no item {item_id} (see `antai items`)")
    number = 1 + max((int(e.id[1:]) for e in assessment.evidence), default=0)
    evidence_id = f"E{number:04d}"
    until = expires or effective + DEFAULT_EVIDENCE_VALIDITY
    copy_in = None
    if re.match(r"^https?://", source):
        fields: dict[str, Any] = {"kind": EvidenceKind.URL, "url": source, "name": source}
    else:
        path = Path(source)
        if path.is_symlink() or not path.is_file():
            raise WorkspaceError(f"{source}: not a regular file (give a file or an http(s) URL)")
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise WorkspaceError(f"{source}: {size:,} bytes is over the {MAX_EVIDENCE_BYTES:,}-byte limit for evidence")
        stored = f"{EVIDENCE_FILES}/{evidence_id}-{_safe_name(path.name)}"
        fields = {
            "kind": EvidenceKind.FILE,
            "path": stored,
            "sha256": history.file_sha256(path),
            "name": path.name,
        }
        copy_in = (path, ws.path(stored))
    try:
        record = EvidenceRecord(
            id=evidence_id,
            item=item.id,
            added_by=current_user(),
            added_at=now,
            effective_from=effective,
            expires=until,
            note=note,
            **fields,
        )
    except ValidationError as exc:
        raise WorkspaceError(f"{item_id}: {_first_error(exc)}") from None
    index = EvidenceIndex(evidence=[*assessment.evidence, record])
    ws.commit(
        "evidence",
        {EVIDENCE_INDEX: ws.render(EVIDENCE_INDEX, index)},
        item=item.id,
        after=record.model_dump(mode="json", exclude_none=True),
        copy_in=copy_in,
    )
    return record


def set_organisation(ws: Workspace, assessment: Assessment, changes: dict[str, Any]) -> OrganisationFacts:
    before = assessment.organisation
    data = before.model_dump(mode="json", exclude_none=True)
    data.update(changes)
    try:
        after = OrganisationFacts.model_validate(data)
    except ValidationError as exc:
        raise WorkspaceError(_first_error(exc)) from None
    ws.commit(
        "organisation",
        {ORGANISATION: ws.render(ORGANISATION, after)},
        before=before.model_dump(mode="json", exclude_none=True),
        after=after.model_dump(mode="json", exclude_none=True),
    )
    return after


def record_hand_edits(ws: Workspace, message: str) -> dict[str, Any]:
    changed = ws.unlogged_changes()
    if not changed:
        raise WorkspaceError("nothing to record: every file matches the last recorded change")
    return ws.commit("record", {}, message=message, after={"files": changed}, allow_unlogged=True)


@dataclass(frozen=True)
class UpgradeResult:
    old_version: str
    new_version: str
    added: list[str]
    archived: list[str]
    review: list[str]
    unchanged: bool


def upgrade(ws: Workspace, catalog: Catalog, assessment: Assessment, dry_run: bool) -> UpgradeResult:
    """Move the workspace to ``catalog``: new items start unanswered, removed ones are archived with their
    answers, changed ones are flagged for review."""
    locked = [Item.model_validate(i) for i in ws.lock_items()]
    old = CatalogModel(
        meta=catalog.meta.model_copy(update={"version": assessment.meta.catalog_version}),
        items=tuple(locked),
        concepts=(),
    )
    difference = diff_catalogs(old, catalog)
    plan = make_plan(catalog, assessment.profile)
    answers = dict(assessment.answers)
    added = [i for i in plan.ids if i not in answers]
    archived_now = [i for i in difference.removed if i in answers]
    review = [c.id for c in difference.changed if c.id in answers]
    unchanged = not (added or archived_now or review) and assessment.meta.catalog_version == catalog.version
    result = UpgradeResult(
        assessment.meta.catalog_version, catalog.version, sorted(added), archived_now, review, unchanged
    )
    if dry_run or unchanged:
        return result
    archive = list(assessment.archive)
    old_titles = {i.id: i.title.en for i in locked}
    for item_id in archived_now:
        archive.append(
            ArchivedAnswer(
                item=item_id,
                title=old_titles.get(item_id, item_id),
                removed_in=catalog.version,
                answer=answers.pop(item_id),
            )
        )
    for item_id in added:
        answers[item_id] = Answer()
    for item_id in review:
        answers[item_id] = answers[item_id].model_copy(update={"review": True})
    meta = assessment.meta.model_copy(update={"catalog_version": catalog.version})
    ws.commit(
        "upgrade",
        {
            META: ws.render(META, meta),
            ANSWERS: answers_text(ws, catalog, answers),
            ARCHIVE: ws.render(ARCHIVE, ArchiveFile(archived=archive)),
            LOCK: lock_text(catalog),
        },
        before={"catalog_version": assessment.meta.catalog_version},
        after={
            "catalog_version": catalog.version,
            "added": sorted(added),
            "archived": archived_now,
            "review": review,
        },
    )
    return result


__all__ = ["dump_yaml"]
