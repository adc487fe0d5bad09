"""Every use case, run unchanged over the in-memory store and the file workspace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor, AssessmentStore, ChangeSet
from antai.assessment.history import check_chain
from antai.assessment.model import ArchiveCause, DecisionKind, Status
from antai.assessment.rules import AnswerChange
from antai.assessment.state import check
from antai.catalog import Catalog
from antai.catalog.model import Catalog as CatalogModel
from antai.errors import Conflict, InvalidChange, NewerFormat, NotFound, UnrecordedEdits
from antai.tailoring.plan import make_plan
from antai.tailoring.profile import Profile, load_profile
from antai.workspace.store import FileStore

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # noon in Tokyo
TODAY = dt.date(2026, 12, 1)
ACTOR = Actor("tester", NOW)


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> AssessmentStore:
    if request.param == "memory":
        return MemoryStore()
    return FileStore(tmp_path / "ws")


@pytest.fixture
def profile() -> Profile:
    return load_profile(Path("example:household-budget"))


@pytest.fixture
def ready(store: AssessmentStore, catalog: Catalog, profile: Profile) -> AssessmentStore:
    usecases.init(store, catalog, profile, "Test KK", ACTOR)
    return store


def answer(store: AssessmentStore, item_id: str) -> Any:
    with store.locked():
        return store.load().assessment.answer(item_id)


def snapshot(store: AssessmentStore) -> Any:
    with store.locked():
        return store.load()


def test_init_one_unanswered_entry_per_applicable_item(
    store: AssessmentStore, catalog: Catalog, profile: Profile
) -> None:
    plan = usecases.init(store, catalog, profile, "Test KK", ACTOR)
    loaded = snapshot(store).assessment
    assert list(loaded.answers) == [i.id for i in catalog.items if i.id in plan.ids]
    assert {a.status for a in loaded.answers.values()} == {Status.UNANSWERED}
    assert loaded.meta.organisation == "Test KK" and loaded.meta.created == TODAY and loaded.meta.format == 3
    entries = store.history()
    assert [e["action"] for e in entries] == ["init"] and entries[0]["who"] == "tester"
    assert entries[0]["at"] == "2026-12-01T03:00:00+00:00"
    with pytest.raises(InvalidChange) as again:
        usecases.init(store, catalog, profile, "Other", ACTOR)
    assert again.value.code == "exists"


def test_set_records_before_and_after(ready: AssessmentStore, catalog: Catalog) -> None:
    change = AnswerChange(status=Status.IMPLEMENTED, owner="CTO", note="hardware keys")
    result = usecases.set_answer(ready, catalog, ACTOR, "IAM-01", change)
    assert result.after.status == Status.IMPLEMENTED and result.after.updated == TODAY
    assert answer(ready, "IAM-01").owner == "CTO"
    last = ready.history()[-1]
    assert (last["action"], last["item"], last["seq"]) == ("set", "IAM-01", 2)
    assert last["before"]["status"] == "unanswered" and last["after"]["status"] == "implemented"
    assert check_chain(ready.history()).ok


def test_an_edit_based_on_an_answer_that_changed_since_is_refused(ready: AssessmentStore, catalog: Catalog) -> None:
    """Two people open IAM-01; the first saves; the second's save, based on the old answer, is refused with the
    answer as it is now, and nothing is written."""
    seen = answer(ready, "IAM-01")
    first = usecases.set_answer(
        ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED, owner="CTO"), based_on=seen
    )
    entries = len(ready.history())
    with pytest.raises(usecases.AnswerChanged) as caught:
        usecases.set_answer(ready, catalog, ACTOR, "iam-01", AnswerChange(status=Status.NOT_IMPLEMENTED), based_on=seen)
    assert caught.value.code == "answer_changed" and caught.value.params == {"item": "IAM-01"}
    assert caught.value.current == first.after
    assert isinstance(caught.value, Conflict)
    assert len(ready.history()) == entries and answer(ready, "IAM-01") == first.after
    # based on what is stored now, the same edit goes through
    again = usecases.set_answer(
        ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.NOT_IMPLEMENTED), based_on=caught.value.current
    )
    assert again.after.status == Status.NOT_IMPLEMENTED and again.before == first.after


def test_status_change_drops_the_previous_deviation(ready: AssessmentStore, catalog: Catalog) -> None:
    usecases.set_answer(
        ready, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.PLANNED, due=dt.date(2027, 3, 31), owner="SRE")
    )
    after = usecases.set_answer(ready, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.IMPLEMENTED)).after
    assert after.due is None and after.owner == "SRE"  # the owner is not part of the deviation
    usecases.set_answer(
        ready,
        catalog,
        ACTOR,
        "IAM-09",
        AnswerChange(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="CI only"),
    )
    planned = usecases.set_answer(
        ready, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.PLANNED, due=dt.date(2027, 1, 31))
    ).after
    assert (planned.compensated_by, planned.reason, planned.due) == (None, None, dt.date(2027, 1, 31))
    owner_only = usecases.set_answer(ready, catalog, ACTOR, "IAM-09", AnswerChange(owner="CTO")).after
    assert owner_only.due == dt.date(2027, 1, 31)  # same status: its fields stay


def test_accept_drops_the_compensation_and_records_the_decision(ready: AssessmentStore, catalog: Catalog) -> None:
    usecases.set_answer(
        ready,
        catalog,
        ACTOR,
        "IAM-09",
        AnswerChange(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="CI only"),
    )
    result = usecases.accept(ready, catalog, ACTOR, "IAM-09", "small team", "CEO Sato", dt.date(2027, 12, 31))
    assert result.after.status == Status.RISK_ACCEPTED
    assert (result.after.compensated_by, result.after.reason) == (None, None)
    loaded = snapshot(ready).assessment
    decision = loaded.acceptance_for("IAM-09")
    assert decision is not None and decision.approver == "CEO Sato" and decision.decided == TODAY
    assert check(loaded, catalog, make_plan(catalog, loaded.profile)) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (AnswerChange(status=Status.RISK_ACCEPTED), "use_accept"),
        (AnswerChange(status=Status.PLANNED), "rule"),
        (AnswerChange(status=Status.IMPLEMENTED, due=dt.date(2027, 1, 1)), "field_not_for_status"),
        (AnswerChange(status=Status.COMPENSATED, reason="x", compensated_by="NOPE-01"), "unknown_compensation"),
        (AnswerChange(status=Status.COMPENSATED, reason="x", compensated_by="IAM-02"), "unknown_compensation"),
        (AnswerChange(status=Status.IMPLEMENTED, approver="CEO"), "decision_incomplete"),
        (AnswerChange(), "empty_change"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_is_written(
    ready: AssessmentStore, catalog: Catalog, change: AnswerChange, code: str
) -> None:
    before = len(ready.history())
    with pytest.raises(InvalidChange) as refused:
        usecases.set_answer(ready, catalog, ACTOR, "IAM-02", change)
    assert refused.value.code == code
    assert len(ready.history()) == before and answer(ready, "IAM-02").status == Status.UNANSWERED


def test_unknown_items_and_items_outside_the_plan(ready: AssessmentStore, catalog: Catalog) -> None:
    with pytest.raises(NotFound):
        usecases.set_answer(ready, catalog, ACTOR, "NOPE-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(InvalidChange) as outside:
        usecases.set_answer(ready, catalog, ACTOR, "IOC-01", AnswerChange(status=Status.IMPLEMENTED))
    assert outside.value.code == "not_in_plan"


def test_a_mandatory_item_is_declared_not_applicable_only_with_a_decision(
    ready: AssessmentStore, catalog: Catalog
) -> None:
    assert catalog.item("DAT-06") is not None and catalog.item("DAT-06").mandatory  # type: ignore[union-attr]
    with pytest.raises(InvalidChange) as refused:
        usecases.set_answer(ready, catalog, ACTOR, "DAT-06", AnswerChange(status=Status.NOT_APPLICABLE, reason="no S3"))
    assert refused.value.code == "mandatory_not_applicable"
    usecases.set_answer(
        ready,
        catalog,
        ACTOR,
        "DAT-06",
        AnswerChange(status=Status.NOT_APPLICABLE, reason="no S3", approver="CEO", expires=dt.date(2027, 6, 1)),
    )
    loaded = snapshot(ready).assessment
    decision = loaded.decision_for("DAT-06", DecisionKind.NOT_APPLICABLE)
    assert decision is not None and (decision.rationale, decision.approver) == ("no S3", "CEO")
    assert loaded.acceptance_for("DAT-06") is None  # not a risk acceptance
    assert [d.item for d in loaded.current_decisions()] == ["DAT-06"]


def test_a_conditional_item_is_not_applicable_with_a_reason_alone(ready: AssessmentStore, catalog: Catalog) -> None:
    plan = make_plan(catalog, snapshot(ready).assessment.profile)
    conditional = next(p.id for p in plan.items if not p.mandatory)
    after = usecases.set_answer(
        ready, catalog, ACTOR, conditional, AnswerChange(status=Status.NOT_APPLICABLE, reason="not used")
    ).after
    assert after.status == Status.NOT_APPLICABLE


def test_evidence_ids_are_unique_and_files_are_stored_with_their_digest(
    ready: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    source = tmp_path / "credential report.csv"
    source.write_text("user,mfa\nroot,true\n", encoding="utf-8")
    first = usecases.add_evidence(ready, catalog, ACTOR, "IAM-01", source, dt.date(2026, 11, 1))
    second = usecases.add_evidence(ready, catalog, ACTOR, "IAM-01", "https://example.com/policy")
    assert (first.id, second.id) == ("E0001", "E0002")
    assert first.path == "evidence/files/E0001-credential_report.csv" and first.expires == dt.date(2027, 11, 1)
    assert first.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    if isinstance(ready, FileStore):
        assert ready.path(first.path).read_bytes() == source.read_bytes()
    else:
        assert isinstance(ready, MemoryStore) and ready.blobs[first.path] == source.read_bytes()
    withdrawn = usecases.withdraw_evidence(ready, catalog, ACTOR, "e0001", "superseded")
    assert withdrawn.withdrawn == TODAY and withdrawn.withdrawn_by == "tester"
    assert [e.id for e in snapshot(ready).assessment.evidence_for("IAM-01")] == ["E0002"]
    with pytest.raises(InvalidChange):
        usecases.withdraw_evidence(ready, catalog, ACTOR, "E0001", "again")
    with pytest.raises(NotFound):
        usecases.withdraw_evidence(ready, catalog, ACTOR, "E0099", "none")


def test_bad_evidence_is_refused(ready: AssessmentStore, catalog: Catalog, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    real = tmp_path / "real.txt"
    real.write_text("x", encoding="utf-8")
    link = tmp_path / "link.txt"
    os.symlink(real, link)
    cases: list[tuple[Any, dict[str, Any], str]] = [
        ("javascript:alert(1)", {}, "bad_url"),
        ('http://x"><script>', {}, "bad_url"),
        (empty, {}, "empty_file"),
        (Path("/proc/self/environ"), {}, "empty_file"),
        (link, {}, "symlink"),
        (tmp_path, {}, "not_file"),
        (real, {"effective": dt.date(2030, 1, 1)}, "future_evidence"),
    ]
    for source, extra, code in cases:
        with pytest.raises(InvalidChange) as refused:
            usecases.add_evidence(ready, catalog, ACTOR, "IAM-01", source, **extra)
        assert refused.value.code == code, source
    with pytest.raises(NotFound):
        usecases.add_evidence(ready, catalog, ACTOR, "IAM-01", tmp_path / "missing.txt")
    with pytest.raises(InvalidChange) as outside:
        usecases.add_evidence(ready, catalog, ACTOR, "IOC-01", real)
    assert outside.value.code == "not_in_plan"
    assert snapshot(ready).assessment.evidence == []


def test_organisation_facts(ready: AssessmentStore, catalog: Catalog) -> None:
    facts = usecases.set_organisation(
        ready, catalog, ACTOR, {"governance.security_owner": "CTO Tanaka", "governance.policy_approved": "2026-04-01"}
    )
    governance = facts.governance
    assert governance.security_owner == "CTO Tanaka" and governance.policy_approved == dt.date(2026, 4, 1)
    assert ready.history()[-1]["after"] == {
        "governance.security_owner": "CTO Tanaka",
        "governance.policy_approved": "2026-04-01",
    }
    with pytest.raises(NotFound):
        usecases.set_organisation(ready, catalog, ACTOR, {"security_officer": "x"})
    with pytest.raises(InvalidChange):
        usecases.set_organisation(ready, catalog, ACTOR, {"staff_count": 0})


def test_profile_change_moves_answers_in_and_out_of_the_plan(ready: AssessmentStore, catalog: Catalog) -> None:
    current = snapshot(ready).assessment.profile
    assert "web" not in current.channels
    with_web = Profile.model_validate({**current.model_dump(mode="json"), "channels": [*current.channels, "web"]})
    preview = usecases.change_profile(ready, catalog, ACTOR, with_web, dry_run=True)
    assert {"CYB-03", "SEC-05"} <= set(preview.reconciliation.added)
    assert snapshot(ready).assessment.profile == current  # a dry run changes nothing
    usecases.change_profile(ready, catalog, ACTOR, with_web)
    usecases.set_answer(ready, catalog, ACTOR, "CYB-03", AnswerChange(status=Status.IMPLEMENTED, owner="SRE"))
    back = usecases.change_profile(ready, catalog, ACTOR, current)
    assert "CYB-03" in back.reconciliation.archived and "SEC-05" in back.reconciliation.dropped
    loaded = snapshot(ready).assessment
    assert "CYB-03" not in loaded.answers
    archived = [a for a in loaded.archive if a.item == "CYB-03"]
    assert archived[0].cause == ArchiveCause.PROFILE and archived[0].answer.owner == "SRE"
    assert check(loaded, catalog, make_plan(catalog, loaded.profile)) == []
    again = usecases.change_profile(ready, catalog, ACTOR, with_web)
    assert "CYB-03" in again.reconciliation.restored
    restored = answer(ready, "CYB-03")
    assert restored.status == Status.IMPLEMENTED and restored.review
    with pytest.raises(InvalidChange):
        usecases.change_profile(ready, catalog, ACTOR, with_web)  # unchanged


def _catalog_version(catalog: Catalog, version: str, drop: str | None = None) -> CatalogModel:
    items = tuple(i for i in catalog.items if i.id != drop)
    return dataclasses.replace(catalog, meta=catalog.meta.model_copy(update={"version": version}), items=items)


def test_upgrade_archives_removed_items_and_never_downgrades(ready: AssessmentStore, catalog: Catalog) -> None:
    usecases.set_answer(ready, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.IMPLEMENTED))
    newer = _catalog_version(catalog, "0.9.0", drop="IAM-09")
    preview = usecases.upgrade(ready, newer, ACTOR, dry_run=True)
    assert preview.archived == ["IAM-09"] and not preview.unchanged
    assert snapshot(ready).assessment.meta.catalog_version == catalog.version
    usecases.upgrade(ready, newer, ACTOR)
    loaded = snapshot(ready).assessment
    assert loaded.meta.catalog_version == "0.9.0" and [a.item for a in loaded.archive] == ["IAM-09"]
    assert loaded.archive[0].cause == ArchiveCause.CATALOG
    with pytest.raises(NewerFormat):
        usecases.upgrade(ready, catalog, ACTOR)
    with pytest.raises(NewerFormat):
        usecases.set_answer(ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(InvalidChange) as stale:
        usecases.set_answer(
            ready, _catalog_version(catalog, "1.0.0"), ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED)
        )
    assert stale.value.code == "needs_upgrade"


def test_a_stale_version_is_a_conflict(ready: AssessmentStore, catalog: Catalog) -> None:
    stale = snapshot(ready).version
    usecases.set_answer(ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(Conflict):
        ready.commit(ChangeSet(action="set", message="late"), expected_version=stale, actor=ACTOR)


def test_unrecorded_edits_block_changes_until_recorded(ready: AssessmentStore, catalog: Catalog) -> None:
    if isinstance(ready, FileStore):
        path = ready.path("answers.yaml")
        path.write_text(path.read_text("utf-8").replace("# Self-assessment", "# checked 2026-11-30\n# Self"), "utf-8")
    else:
        assert isinstance(ready, MemoryStore)
        from antai.assessment.model import Eligibility
        from antai.assessment.state import Part

        ready.parts[Part.ORGANISATION] = ready.parts[Part.ORGANISATION].model_copy(
            update={"eligibility": Eligibility(registration="No. 1")}
        )
    assert snapshot(ready).unrecorded
    with pytest.raises(UnrecordedEdits):
        usecases.set_answer(ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    after = usecases.record(ready, catalog, ACTOR, "noted the check")
    assert after["files"] and not snapshot(ready).unrecorded
    usecases.set_answer(ready, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(InvalidChange):
        usecases.record(ready, catalog, ACTOR, "nothing")
    assert check_chain(ready.history()).ok


def test_repair_of_a_healthy_store_finds_nothing_and_names_hand_edits(ready: AssessmentStore, catalog: Catalog) -> None:
    report = usecases.repair(ready)
    assert (report.completed, report.rolled_back, report.remaining) == ([], [], [])
    if isinstance(ready, FileStore):
        path = ready.path("organisation.yaml")
        path.write_text(path.read_text("utf-8") + "registration: No. 1\n", encoding="utf-8")
    else:
        assert isinstance(ready, MemoryStore)
        from antai.assessment.model import Eligibility
        from antai.assessment.state import Part

        ready.parts[Part.ORGANISATION] = ready.parts[Part.ORGANISATION].model_copy(
            update={"eligibility": Eligibility(registration="No. 1")}
        )
    assert len(usecases.repair(ready).remaining) == 1
