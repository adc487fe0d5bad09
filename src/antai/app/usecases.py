"""The changes a team makes to its assessment, written once against :class:`AssessmentStore`.

Each use case reads a snapshot under the store's lock, checks the rules (``antai.assessment.rules``),
and commits one change set with the snapshot's version, so two writers can never overwrite each other
and a change is either wholly stored and logged or not at all. Wording and file names are the adapters'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from antai.app.ports import Actor, AssessmentStore, Blob, ChangeSet, RepairReport, Snapshot
from antai.assessment import rules
from antai.assessment.history import check_chain
from antai.assessment.model import (
    FACT_GROUPS,
    FACT_PREFIX,
    LEGACY_FACTS,
    WORKSPACE_FORMAT,
    Answer,
    ArchiveCause,
    ArchivedAnswer,
    Eligibility,
    EvidenceKind,
    EvidenceRecord,
    FactKind,
    OrganisationFacts,
    Status,
    WorkspaceMeta,
    fact_field,
    fact_path_exists,
    is_entry_path,
)
from antai.assessment.signoff import SIGNOFF_ACTION, SignOff, SignOffRole, missing_roles, signoffs_in_force
from antai.assessment.state import EVIDENCE_PREFIX, Assessment, Issue, check
from antai.catalog import Catalog
from antai.catalog.model import Catalog as CatalogModel
from antai.catalog.schema import Item
from antai.errors import AntaiError, Conflict, InvalidChange, NewerFormat, NotFound, UnrecordedEdits
from antai.fileio import file_sha256
from antai.tailoring.plan import Plan, make_plan
from antai.tailoring.profile import Profile

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
DEFAULT_EVIDENCE_VALIDITY = dt.timedelta(days=365)
_RETRIES = 20  # a store without a lock (or a web request racing another) retries on Conflict

R = TypeVar("R")


def _run(store: AssessmentStore, actor: Actor, build: Callable[[Snapshot], tuple[ChangeSet, R]]) -> R:
    """Read, compute and commit under the store's lock; on a version conflict read again and redo."""
    for _ in range(_RETRIES):
        with store.locked():
            snapshot = store.load()
            change, result = build(snapshot)
            try:
                store.commit(change, expected_version=snapshot.version, actor=actor)
            except Conflict:
                continue
            return result
    raise Conflict("the assessment kept changing while this change was made; try again", code="conflict")


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def require_readable(meta: WorkspaceMeta) -> None:
    """Refuse a workspace written by a newer antai instead of rewriting it in an older format."""
    if meta.format > WORKSPACE_FORMAT:
        raise NewerFormat(
            f"this workspace has format {meta.format}, written by a newer antai (this one writes "
            f"format {WORKSPACE_FORMAT}): install a newer antai",
            found=meta.format,
            supported=WORKSPACE_FORMAT,
        )


def require_current_catalog(assessment: Assessment, catalog: Catalog) -> None:
    """Changes are made against the catalog the workspace pins; a different one needs `antai upgrade`
    (to a newer catalog) or a newer antai (when the workspace pins a newer one)."""
    require_readable(assessment.meta)
    pinned = assessment.meta.catalog_version
    if pinned == catalog.version:
        return
    refuse_newer_catalog(pinned, catalog.version, "never downgrade a workspace")
    raise InvalidChange(
        f"the workspace pins catalog {pinned}; this antai has {catalog.version}: run `antai upgrade` first",
        code="needs_upgrade",
        pinned=pinned,
        available=catalog.version,
    )


def refuse_newer_catalog(pinned: str, available: str, why: str) -> None:
    """A workspace pinned to a newer catalog than this antai's is never rewritten with the older one."""
    if version_tuple(pinned) > version_tuple(available):
        raise NewerFormat(
            f"the workspace pins catalog {pinned}, newer than this antai's {available}: install a newer antai ({why})",
            pinned=pinned,
            available=available,
        )


def ordered_answers(catalog: Catalog, answers: dict[str, Answer]) -> dict[str, Answer]:
    """Answers in catalog order, so that a change touches only its own lines in a diff."""
    order = {item_id: n for n, item_id in enumerate(catalog.ids)}
    return dict(sorted(answers.items(), key=lambda pair: (order.get(pair[0], len(order)), pair[0])))


def lock_data(catalog: Catalog) -> dict[str, Any]:
    return {
        "catalog_version": catalog.version,
        "items": [item.model_dump(mode="json", exclude_none=True) for item in catalog.items],
    }


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


# --- creating ---------------------------------------------------------------------------------------


def init(store: AssessmentStore, catalog: Catalog, profile: Profile, organisation: str, actor: Actor) -> Plan:
    """A new assessment: one unanswered entry per applicable item, pinned to this catalog."""
    with store.locked():
        if store.exists():
            raise InvalidChange("there is already an assessment here", code="exists")
        plan = make_plan(catalog, profile)
        try:
            meta = WorkspaceMeta(
                organisation=organisation, catalog_version=catalog.version, created=actor.today, format=WORKSPACE_FORMAT
            )
            organisation_facts = OrganisationFacts(eligibility=Eligibility(staff_count=profile.staff))
        except ValidationError as exc:
            raise InvalidChange(rules.validation_text(exc), code="rule") from None
        answers = ordered_answers(catalog, {p.id: Answer() for p in plan.items})
        change = ChangeSet(
            action="init",
            after={"organisation": organisation, "catalog_version": catalog.version, "items": len(answers)},
            meta=meta,
            profile=profile,
            answers=answers,
            acceptances=[],
            evidence=[],
            organisation=organisation_facts,
            lock=lock_data(catalog),
        )
        store.commit(change, expected_version="", actor=actor)
    return plan


# --- answers and decisions ----------------------------------------------------------------------------


class AnswerChanged(Conflict):
    """The answer is no longer the one the person edited: someone else changed it since. ``current`` is the
    answer now, so the adapter can show both versions; nothing was written."""

    code = "answer_changed"

    def __init__(self, item: str, current: Answer) -> None:
        super().__init__(f"{item} was changed by someone else since it was opened; nothing was saved", item=item)
        self.current = current


def set_answer(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    item_id: str,
    change: rules.AnswerChange,
    *,
    based_on: Answer | None = None,
) -> rules.Transition:
    """Change one answer. With ``based_on`` (the answer the person saw when they began editing), refuse with
    :class:`AnswerChanged` when the stored answer is another one by now, instead of overwriting it."""

    def build(snapshot: Snapshot) -> tuple[ChangeSet, rules.Transition]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        if based_on is not None:  # first: an edit of a stale answer is a conflict, whatever else is wrong with it
            key = item_id.strip().upper()
            current = assessment.answers.get(key)
            if current is not None and current != based_on:
                raise AnswerChanged(key, current)
        plan = make_plan(catalog, assessment.profile)
        transition = rules.set_answer(catalog, plan, assessment, item_id, change, actor.today)
        if transition.after.status == Status.IMPLEMENTED:
            failing = tuple(e.id for e in assessment.failing_scans(transition.item, actor.today))
            transition = dataclasses.replace(transition, failing_scans=failing)
        answers = dict(assessment.answers)
        answers[transition.item] = transition.after
        decisions = [*assessment.acceptances, transition.decision] if transition.decision else None
        after = _dump(transition.after)
        if transition.decision is not None:
            after["decision"] = _dump(transition.decision)
        return (
            ChangeSet(
                action="set",
                item=transition.item,
                before=_dump(transition.before),
                after=after,
                answers=ordered_answers(catalog, answers),
                acceptances=decisions,
            ),
            transition,
        )

    return _run(store, actor, build)


def accept(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    item_id: str,
    rationale: str,
    approver: str,
    expires: dt.date,
    decided: dt.date | None = None,
) -> rules.Transition:
    def build(snapshot: Snapshot) -> tuple[ChangeSet, rules.Transition]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        plan = make_plan(catalog, assessment.profile)
        transition = rules.accept(
            catalog, plan, assessment, item_id, rationale, approver, expires, decided or actor.today
        )
        assert transition.decision is not None
        answers = dict(assessment.answers)
        answers[transition.item] = transition.after
        return (
            ChangeSet(
                action="accept",
                item=transition.item,
                before=_dump(transition.before),
                after=_dump(transition.decision),
                answers=ordered_answers(catalog, answers),
                acceptances=[*assessment.acceptances, transition.decision],
            ),
            transition,
        )

    return _run(store, actor, build)


# --- evidence -----------------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "evidence"
    return cleaned[:80]


def _check_url(source: str) -> None:
    import urllib.parse  # only links need it; most commands never parse one

    parts = urllib.parse.urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s\"'<>`\x00-\x1f\x7f]", source):
        raise InvalidChange(f"{source[:200]}: only plain http(s) links can be evidence", code="bad_url")
    if len(source) > 2000:
        raise InvalidChange("a link of more than 2,000 characters cannot be evidence", code="bad_url")


def _file_blob(source: Path, key: str) -> Blob:
    """Digest of a regular file the user names; refuses links, devices and empty or huge files."""
    try:
        info = source.lstat()
    except OSError as exc:
        raise NotFound(f"{source}: cannot read it ({exc.strerror})", code="no_file") from None
    if stat.S_ISLNK(info.st_mode):
        raise InvalidChange(f"{source}: is a symbolic link; give the file itself", code="symlink")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidChange(f"{source}: not a regular file (give a file or an http(s) URL)", code="not_file")
    if info.st_size == 0:
        raise InvalidChange(f"{source}: the file is empty (or a virtual file such as /proc)", code="empty_file")
    if info.st_size > MAX_EVIDENCE_BYTES:
        raise InvalidChange(
            f"{source}: {info.st_size:,} bytes is over the {MAX_EVIDENCE_BYTES:,}-byte limit for evidence",
            code="too_big",
        )
    return Blob(key=key, source=source, sha256=file_sha256(source))


def add_evidence(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    item_id: str,
    source: str | Path,
    effective: dt.date | None = None,
    expires: dt.date | None = None,
    note: str | None = None,
) -> EvidenceRecord:
    """Attach a file (stored with its SHA-256) or an http(s) link to an applicable item, or to an
    organisation fact named ``org:PATH`` (``org:eligibility.registration``)."""
    effective = effective or actor.today
    if effective > actor.today:
        raise InvalidChange(
            f"the effective date {effective.isoformat()} is in the future: evidence shows a state that exists",
            code="future_evidence",
        )
    is_url = isinstance(source, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", source) is not None
    if is_url:
        assert isinstance(source, str)
        _check_url(source)

    def build(snapshot: Snapshot) -> tuple[ChangeSet, EvidenceRecord]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        if item_id.startswith(FACT_PREFIX):
            require_fact_format(assessment.meta)
            target = FACT_PREFIX + fact_path(item_id.removeprefix(FACT_PREFIX))
            if not fact_path_exists(assessment.organisation, target.removeprefix(FACT_PREFIX)):
                raise _unknown_fact(target.removeprefix(FACT_PREFIX))
        else:
            plan = make_plan(catalog, assessment.profile)
            target = rules.applicable_item(catalog, plan, item_id).id
        number = 1 + max((int(e.id[1:]) for e in assessment.evidence), default=0)
        evidence_id = f"E{number:04d}"
        blobs: tuple[Blob, ...] = ()
        if is_url:
            assert isinstance(source, str)
            fields: dict[str, Any] = {"kind": EvidenceKind.URL, "url": source, "name": source}
        else:
            path = Path(source)
            blob = _file_blob(path, f"{EVIDENCE_PREFIX}{evidence_id}-{_safe_name(path.name)}")
            shown = "".join(ch for ch in path.name if ch.isprintable())[:200] or blob.key.rsplit("/", 1)[-1]
            fields = {"kind": EvidenceKind.FILE, "path": blob.key, "sha256": blob.sha256, "name": shown}
            blobs = (blob,)
        try:
            record = EvidenceRecord(
                id=evidence_id,
                item=target,
                added_by=actor.who,
                added_at=actor.now.astimezone(dt.UTC).replace(microsecond=0),
                effective_from=effective,
                expires=expires or effective + DEFAULT_EVIDENCE_VALIDITY,
                note=note,
                **fields,
            )
        except ValidationError as exc:
            raise InvalidChange(f"{target}: {rules.validation_text(exc)}", code="rule", item=target) from None
        return (
            ChangeSet(
                action="evidence",
                item=target,
                after=_dump(record),
                evidence=[*assessment.evidence, record],
                blobs=blobs,
            ),
            record,
        )

    return _run(store, actor, build)


def withdraw_evidence(
    store: AssessmentStore, catalog: Catalog, actor: Actor, evidence_id: str, reason: str
) -> EvidenceRecord:
    """Take a record out of use. It stays in the index, marked withdrawn, so the history still explains
    what a past report relied on."""

    def build(snapshot: Snapshot) -> tuple[ChangeSet, EvidenceRecord]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        wanted = evidence_id.strip().upper()
        found = next((e for e in assessment.evidence if e.id == wanted), None)
        if found is None:
            raise NotFound(f"no evidence {evidence_id} (see `antai evidence list`)", code="unknown_evidence")
        if not found.current:
            raise InvalidChange(f"{found.id} was already withdrawn on {found.withdrawn}", code="withdrawn")
        try:
            updated = found.model_copy(
                update={"withdrawn": actor.today, "withdrawn_by": actor.who, "withdrawn_reason": reason}
            )
            EvidenceRecord.model_validate(updated.model_dump())
        except ValidationError as exc:
            raise InvalidChange(rules.validation_text(exc), code="rule") from None
        records = [updated if e.id == found.id else e for e in assessment.evidence]
        return (
            ChangeSet(
                action="evidence-withdraw",
                item=found.item,
                before=_dump(found),
                after={"id": found.id, "withdrawn_reason": reason},
                evidence=records,
            ),
            updated,
        )

    return _run(store, actor, build)


# --- organisation facts ---------------------------------------------------------------------------------


ORGANISATION_FORMAT = 3  # the workspace format that keeps organisation facts in groups


def require_fact_format(meta: WorkspaceMeta) -> None:
    """Organisation facts in groups (and evidence about them) need a workspace of format 3: an older
    antai would otherwise meet a shape it cannot read instead of being told to update."""
    if meta.format < ORGANISATION_FORMAT:
        raise InvalidChange(
            f"this workspace has format {meta.format}; organisation facts are kept in groups from format "
            f"{ORGANISATION_FORMAT}: run `antai upgrade` first",
            code="needs_format_upgrade",
            found=meta.format,
            needed=ORGANISATION_FORMAT,
        )


def fact_path(name: str) -> str:
    """A fact's dotted path; the flat names of format 2 (``security_owner``) are accepted too."""
    name = name.strip()
    return LEGACY_FACTS.get(name, name)


def _unknown_fact(path: str) -> NotFound:
    return NotFound(f"unknown organisation fact: {path}", code="unknown_fact", facts=[path])


def set_organisation(
    store: AssessmentStore, catalog: Catalog, actor: Actor, changes: dict[str, Any]
) -> OrganisationFacts:
    """Set facts by dotted path (plain values: text, numbers, ISO dates, lists, records); None clears a
    fact, or removes a register entry (``outsourcing.outsourcees.2``)."""
    paths = {fact_path(k): v for k, v in changes.items()}
    unknown = sorted(p for p in paths if p not in FACT_GROUPS and fact_field(p) is None and not is_entry_path(p))
    if unknown:
        raise NotFound(f"unknown organisation fact(s): {', '.join(unknown)}", code="unknown_fact", facts=unknown)
    if not paths:
        raise InvalidChange("nothing to change", code="empty_change")

    def build(snapshot: Snapshot) -> tuple[ChangeSet, OrganisationFacts]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        require_fact_format(assessment.meta)
        before = assessment.organisation
        after = before
        try:
            for path, value in paths.items():
                after = after.with_value(path, _plain(value))
        except KeyError as exc:
            raise _unknown_fact(str(exc.args[0])) from None
        except ValidationError as exc:
            raise InvalidChange(rules.validation_text(exc), code="rule") from None
        return (
            ChangeSet(
                action="organisation",
                before={p: _plain(_value_or_none(before, p)) for p in paths},
                after={p: _plain(_value_or_none(after, p)) for p in paths},
                organisation=after,
            ),
            after,
        )

    return _run(store, actor, build)


def add_organisation_entry(
    store: AssessmentStore, catalog: Catalog, actor: Actor, register: str, entry: dict[str, Any]
) -> tuple[OrganisationFacts, int]:
    """Append one entry to a register (``outsourcing.outsourcees``, ``cooperation.notification`` …);
    returns the facts and the entry's number (from 1)."""
    path = fact_path(register)
    spec = fact_field(path)
    if spec is None or spec.kind != FactKind.ENTRIES:
        raise _unknown_fact(path)

    def build(snapshot: Snapshot) -> tuple[ChangeSet, tuple[OrganisationFacts, int]]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        require_fact_format(assessment.meta)
        before = assessment.organisation
        current = before.value_at(path) or []
        plain_entry = {k: _plain(v) for k, v in entry.items() if v is not None}
        entries = [_plain(e) for e in current] + [plain_entry]
        try:
            after = before.with_value(path, entries)
        except ValidationError as exc:
            raise InvalidChange(rules.validation_text(exc), code="rule") from None
        number = len(entries)
        return (
            ChangeSet(
                action="organisation",
                before={f"{path}.{number}": None},
                after={f"{path}.{number}": _plain(after.value_at(f"{path}.{number}"))},
                organisation=after,
            ),
            (after, number),
        )

    return _run(store, actor, build)


def _value_or_none(facts: OrganisationFacts, path: str) -> Any:
    try:
        return facts.value_at(path)
    except KeyError:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- profile and catalog changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """How the answers follow a new plan: what enters, what leaves, what is carried back."""

    added: list[str] = field(default_factory=list)  # new, unanswered
    restored: list[str] = field(default_factory=list)  # back from the archive with their old answer
    archived: list[str] = field(default_factory=list)  # answered items that left, kept in the archive
    dropped: list[str] = field(default_factory=list)  # unanswered items that left
    review: list[str] = field(default_factory=list)  # changed in the catalog: check the answer

    @property
    def empty(self) -> bool:
        return not (self.added or self.restored or self.archived or self.dropped or self.review)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "added": self.added,
            "restored": self.restored,
            "archived": self.archived,
            "dropped": self.dropped,
            "review": self.review,
        }


def _reconcile(
    catalog: Catalog,
    assessment: Assessment,
    plan: Plan,
    cause: ArchiveCause,
    today: dt.date,
    removed_from_catalog: set[str],
    changed_in_catalog: set[str],
    old_titles: dict[str, str],
) -> tuple[Reconciliation, dict[str, Answer], list[ArchivedAnswer]]:
    answers = dict(assessment.answers)
    archive = list(assessment.archive)
    result = Reconciliation()
    for item_id in sorted(set(answers) - plan.ids):
        answer = answers.pop(item_id)
        if answer.status == Status.UNANSWERED:
            result.dropped.append(item_id)
            continue
        item = catalog.item(item_id)
        title = item.title.en if item is not None else old_titles.get(item_id, item_id)
        why = ArchiveCause.CATALOG if item_id in removed_from_catalog else cause
        archive.append(
            ArchivedAnswer(
                item=item_id, title=title, removed_in=catalog.version, answer=answer, cause=why, archived=today
            )
        )
        result.archived.append(item_id)
    for planned in plan.items:
        if planned.id in answers:
            continue
        earlier = next((a for a in reversed(archive) if a.item == planned.id), None)
        if earlier is not None and earlier.cause == ArchiveCause.PROFILE:
            archive.remove(earlier)
            answers[planned.id] = earlier.answer.model_copy(update={"review": True})
            result.restored.append(planned.id)
        else:
            answers[planned.id] = Answer()
            result.added.append(planned.id)
    for item_id in sorted(changed_in_catalog & set(answers)):
        if answers[item_id].status != Status.UNANSWERED:
            answers[item_id] = answers[item_id].model_copy(update={"review": True})
            result.review.append(item_id)
    result.added.sort()
    result.restored.sort()
    return result, ordered_answers(catalog, answers), archive


@dataclass(frozen=True)
class ProfileChange:
    before: Plan
    after: Plan
    reconciliation: Reconciliation


def change_profile(
    store: AssessmentStore, catalog: Catalog, actor: Actor, new_profile: Profile, dry_run: bool = False
) -> ProfileChange:
    """Replace the service profile of a live assessment: items that start to apply enter unanswered (or
    with the answer they had before), answered items that stop applying are archived with their answer."""

    def build(snapshot: Snapshot) -> tuple[ChangeSet, ProfileChange]:
        assessment = snapshot.assessment
        require_current_catalog(assessment, catalog)
        before = make_plan(catalog, assessment.profile)
        after = make_plan(catalog, new_profile)
        result, answers, archive = _reconcile(
            catalog, assessment, after, ArchiveCause.PROFILE, actor.today, set(), set(), {}
        )
        changed = {
            k: [assessment.profile.model_dump(mode="json")[k], v]
            for k, v in new_profile.model_dump(mode="json").items()
            if assessment.profile.model_dump(mode="json")[k] != v
        }
        if not changed:
            raise InvalidChange("the profile is unchanged", code="unchanged")
        return (
            ChangeSet(
                action="profile",
                before={k: v[0] for k, v in changed.items()},
                after={**{k: v[1] for k, v in changed.items()}, **result.as_dict()},
                profile=new_profile,
                answers=answers,
                archive=archive,
            ),
            ProfileChange(before, after, result),
        )

    if dry_run:
        with store.locked():
            return build(store.load())[1]
    return _run(store, actor, build)


@dataclass(frozen=True)
class UpgradeResult:
    old_version: str
    new_version: str
    reconciliation: Reconciliation
    unchanged: bool

    @property
    def added(self) -> list[str]:
        return self.reconciliation.added

    @property
    def archived(self) -> list[str]:
        return self.reconciliation.archived

    @property
    def review(self) -> list[str]:
        return self.reconciliation.review


_EFFORT_DAYS_01 = {"low": [0.5, 2], "medium": [3, 8], "high": [10, 25]}


def _older_item(data: Any, catalog: Catalog) -> Any:
    """A pinned item of catalog 0.1, which had an effort class but no person-days, CSF function or level.
    Those facts are taken from the same item in ``catalog`` so that adding them flags no answer for review;
    an item that is gone gets neutral values (it is archived anyway)."""
    if not isinstance(data, dict) or "effort_days" in data:
        return data
    older = dict(data)
    effort = older.pop("effort", "medium")
    current = catalog.rule(str(older.get("id", "")))
    if current is not None:
        older.update(effort_days=list(current.effort_days), csf=current.csf.value, level=current.level.value)
    else:
        older.update(effort_days=_EFFORT_DAYS_01.get(str(effort), [3, 8]), csf="PR", level="baseline")
    return older


def upgrade(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    dry_run: bool = False,
) -> UpgradeResult:
    """Move the assessment to ``catalog``: new items start unanswered, removed or no longer applicable
    ones are archived with their answers, changed ones are flagged for review. Never downgrades."""

    def build(snapshot: Snapshot) -> tuple[ChangeSet, UpgradeResult]:
        assessment = snapshot.assessment
        require_readable(assessment.meta)
        pinned = assessment.meta.catalog_version
        refuse_newer_catalog(pinned, catalog.version, "an upgrade never downgrades")
        from antai.catalog.diff import diff_catalogs  # only upgrades compare catalogs

        locked_items = [Item.model_validate(_older_item(i, catalog)) for i in store.read_lock().get("items") or []]
        old = CatalogModel(meta=catalog.meta, items=tuple(locked_items), concepts=())  # only its items are compared
        difference = diff_catalogs(old, catalog)
        plan = make_plan(catalog, assessment.profile)
        result, answers, archive = _reconcile(
            catalog,
            assessment,
            plan,
            ArchiveCause.CATALOG,
            actor.today,
            set(difference.removed),
            {c.id for c in difference.changed},
            {i.id: i.title.en for i in locked_items},
        )
        unchanged = result.empty and pinned == catalog.version and assessment.meta.format >= WORKSPACE_FORMAT
        outcome = UpgradeResult(pinned, catalog.version, result, unchanged)
        meta = assessment.meta.model_copy(update={"catalog_version": catalog.version, "format": WORKSPACE_FORMAT})
        return (
            ChangeSet(
                action="upgrade",
                before={"catalog_version": pinned, "format": assessment.meta.format},
                after={"catalog_version": catalog.version, "format": WORKSPACE_FORMAT, **result.as_dict()},
                meta=meta,
                answers=answers,
                archive=archive,
                # format 2 kept the facts flat: they are read into groups and written back that way
                organisation=assessment.organisation if assessment.meta.format < ORGANISATION_FORMAT else None,
                lock=lock_data(catalog),
            ),
            outcome,
        )

    with store.locked():
        preview = build(store.load())[1]
    if dry_run or preview.unchanged:
        return preview
    return _run(store, actor, build)


# --- hand edits, merges and checks ------------------------------------------------------------------------


def problems(snapshot: Snapshot, catalog: Catalog) -> list[Issue]:
    """Rules across parts for the assessment as it is stored now."""
    assessment = snapshot.assessment
    return check(assessment, catalog, make_plan(catalog, assessment.profile))


def record(store: AssessmentStore, catalog: Catalog, actor: Actor, message: str) -> dict[str, Any]:
    """Record hand edits (and join branches that git merged) once the assessment passes its rules."""
    message = message.strip()
    if not message:
        raise InvalidChange("say what was edited and why (-m MESSAGE)", code="no_message")

    def build(snapshot: Snapshot) -> tuple[ChangeSet, dict[str, Any]]:
        require_readable(snapshot.assessment.meta)
        branches = len(check_chain(store.history()).heads)
        if not snapshot.unrecorded and branches <= 1:
            raise InvalidChange("nothing to record: every part matches the last recorded change", code="nothing")
        # entries a hand edit removed come back unanswered, so that removing one never blocks recording
        found = [i for i in problems(snapshot, catalog) if i.code != "missing_answers"]
        if found:
            raise InvalidAssessment(found)
        assessment = snapshot.assessment
        missing = sorted(set(make_plan(catalog, assessment.profile).ids) - set(assessment.answers))
        answers = {**assessment.answers, **{item_id: Answer() for item_id in missing}} if missing else None
        change = ChangeSet(
            action="record",
            message=message,
            after={
                "files": list(snapshot.unrecorded),
                **({"branches_joined": branches} if branches > 1 else {}),
                **({"added": missing} if missing else {}),
            },
            answers=ordered_answers(catalog, answers) if answers is not None else None,
            accept_unrecorded=True,
            join_heads=True,
        )
        return change, change.after

    return _run(store, actor, build)


def repair(store: AssessmentStore, discard: bool = False) -> RepairReport:
    """Complete or roll back an interrupted change and say what still needs a person."""
    return store.repair(discard=discard)


class InvalidAssessment(AntaiError):
    """The stored assessment breaks rules across its parts; ``issues`` says where."""

    code = "invalid_assessment"

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} problem(s) in the assessment", count=len(issues))
        self.issues = issues


# --- submissions ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionRef:
    """A submission as the history records it (its ``submit`` entry): the hash chain is the index of
    submissions, so no later change can drop or alter one unseen."""

    id: str
    sequence: int
    entries: int  # history entries the submission covered
    hash: str  # hash of the last of them
    at: str


@dataclass(frozen=True)
class SubmissionDraft:
    """What a submission is made of, handed to the adapter that writes the bundle."""

    id: str
    sequence: int
    created: dt.datetime
    snapshot: Snapshot
    history: list[dict[str, Any]]  # every entry up to the head the submission covers
    previous: SubmissionRef | None
    signoffs: tuple[SignOff, ...] = ()  # in force for this state, in role order


def submissions(history: list[dict[str, Any]]) -> list[SubmissionRef]:
    """Every submission recorded in ``history``, oldest first."""
    found = []
    for entry in history:
        after = entry.get("after")
        if entry.get("action") != "submit" or not isinstance(after, dict):
            continue
        head = after.get("history")
        if not isinstance(head, dict):
            continue
        found.append(
            SubmissionRef(
                id=str(after.get("id")),
                sequence=int(after.get("sequence") or 0),
                entries=int(head.get("entries") or 0),
                hash=str(head.get("hash")),
                at=str(entry.get("at")),
            )
        )
    return found


def sign_off(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    role: SignOffRole,
    name: str,
    title: str | None = None,
    day: dt.date | None = None,
) -> SignOff:
    """Record that ``name`` (in ``role``) approves the assessment as it stands. Refused on a history that
    does not verify or has unrecorded edits (what would the sign-off cover?), and for a future date."""
    name = " ".join(name.split())
    title = " ".join(title.split()) if title else None
    if not name or len(name) > 200 or (title is not None and len(title) > 200):
        raise InvalidChange("a sign-off needs a name (and a title) of at most 200 characters", code="signoff_name")
    date = day or actor.today
    if date > actor.today:
        raise InvalidChange(f"a sign-off cannot be dated in the future ({date})", code="signoff_future", date=date)

    def build(snapshot: Snapshot) -> tuple[ChangeSet, SignOff]:
        require_current_catalog(snapshot.assessment, catalog)
        if snapshot.unrecorded:
            raise UnrecordedEdits(list(snapshot.unrecorded))
        if not check_chain(store.history()).ok:
            raise InvalidChange(
                "the history does not verify (`antai verify`); a sign-off needs an intact history",
                code="history_unverified",
            )
        signed = SignOff(role, name, title, date, snapshot.seq + 1)
        change = ChangeSet(action=SIGNOFF_ACTION, after=signed.as_dict(), message=f"{role.value}: {name}")
        return change, signed

    return _run(store, actor, build)


def submit(
    store: AssessmentStore,
    catalog: Catalog,
    actor: Actor,
    write: Callable[[SubmissionDraft], dict[str, Any]],
    *,
    unsigned: bool = False,
) -> tuple[SubmissionDraft, dict[str, Any]]:
    """Make a submission: ``write`` puts the bundle together from the draft (reports, evidence, history,
    signed manifest) and returns what to record; the ``submit`` history entry then records its ID, sequence,
    the history head it covers and the previous submission, so the next one can name them. Refused when the
    history is broken, has unrecorded edits, or no longer contains the previous submission's head (it was
    rewritten since: restore it from git), and, unless ``unsigned`` (a draft), when the representative and
    the security owner have not both signed off the assessment as it stands."""
    from antai.submission.manifest import submission_id

    with store.locked():
        snapshot = store.load()
        require_current_catalog(snapshot.assessment, catalog)
        if snapshot.unrecorded:
            raise UnrecordedEdits(list(snapshot.unrecorded))
        history = store.history()
        chain = check_chain(history)
        if not chain.ok:
            raise InvalidChange(
                "the history does not verify (`antai verify`); a submission needs an intact history",
                code="history_unverified",
            )
        earlier = submissions(history)
        previous = earlier[-1] if earlier else None
        if previous is not None and (
            len(history) < previous.entries or history[previous.entries - 1].get("hash") != previous.hash
        ):
            raise InvalidChange(
                f"the history no longer contains the head of submission {previous.id} (entry {previous.entries}):"
                " it was rewritten since; restore history.jsonl from git",
                code="history_rewritten",
                submission=previous.id,
                entries=previous.entries,
            )
        in_force = signoffs_in_force(history)
        missing = missing_roles(in_force)
        if missing and not unsigned:
            raise InvalidChange(
                "the assessment is not signed off by " + " and ".join(r.value for r in missing) + " (`antai signoff`)",
                code="signoff_missing",
                roles=[r.value for r in missing],
            )
        sequence = (previous.sequence if previous else 0) + 1
        draft = SubmissionDraft(
            id=submission_id(snapshot.assessment.meta.organisation, actor.today, sequence),
            sequence=sequence,
            created=actor.now,
            snapshot=snapshot,
            history=history,
            previous=previous,
            signoffs=tuple(in_force[role] for role in SignOffRole if role in in_force),
        )
        extra = write(draft)
        record = {
            "id": draft.id,
            "sequence": sequence,
            "history": {"entries": len(history), "hash": snapshot.version},
            "previous": previous.id if previous else None,
            "signoffs": [signed.as_dict() for signed in draft.signoffs],
            **extra,
        }
        store.commit(
            ChangeSet(action="submit", after=record, message=draft.id),
            expected_version=snapshot.version,
            actor=actor,
        )
    return draft, record
