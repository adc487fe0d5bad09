"""Which sign-offs are in force, read from the history alone; and the document-control block built from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.assessment.signoff import SignOffRole, missing_roles, signoffs_in_force
from antai.catalog import Catalog
from antai.reports.assessment import SubmissionOut, build_report, document_control
from antai.tailoring.profile import load_profile

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def signoff(role: str, name: str = "佐藤 健", date: str = "2026-12-01", title: str | None = None) -> dict[str, Any]:
    return {"action": "signoff", "after": {"role": role, "name": name, "title": title, "date": date}}


def test_sign_offs_after_the_last_change_are_in_force_latest_per_role() -> None:
    history = [
        {"action": "init"},
        signoff("representative", "前任 代表"),
        {"action": "set"},
        signoff("representative", "佐藤 健", title="代表取締役"),
        {"action": "comment"},  # a thread with the bank changes nothing they approved
        signoff("security_owner", "田中 一郎", "2026-11-30"),
        signoff("representative", "佐藤 健", "2026-12-01"),
    ]
    current = signoffs_in_force(history)
    assert [(s.role, s.name, s.title, s.date, s.entry) for s in current.values()] == [
        (SignOffRole.REPRESENTATIVE, "佐藤 健", None, dt.date(2026, 12, 1), 7),
        (SignOffRole.SECURITY_OWNER, "田中 一郎", None, dt.date(2026, 11, 30), 6),
    ]
    assert missing_roles(current) == []


def test_a_change_or_a_submission_ends_every_sign_off() -> None:
    before = [signoff("representative"), signoff("security_owner")]
    for action in ("set", "evidence", "organisation", "submit", "accept", "record"):
        assert signoffs_in_force([*before, {"action": action}]) == {}
    assert missing_roles({}) == [SignOffRole.REPRESENTATIVE, SignOffRole.SECURITY_OWNER]
    only = signoffs_in_force([*before, {"action": "submit"}, signoff("security_owner")])
    assert missing_roles(only) == [SignOffRole.REPRESENTATIVE]


def test_malformed_sign_off_entries_count_for_nothing() -> None:
    broken: list[dict[str, Any]] = [
        {"action": "signoff"},
        {"action": "signoff", "after": "representative"},
        {"action": "signoff", "after": {"role": "cfo", "name": "x", "date": "2026-12-01"}},
        {"action": "signoff", "after": {"role": "representative", "name": "", "date": "2026-12-01"}},
        {"action": "signoff", "after": {"role": "representative", "name": "x", "date": "yesterday"}},
        {"action": "signoff", "after": {"role": "representative", "name": 7, "date": "2026-12-01"}},
    ]
    assert signoffs_in_force(broken) == {}
    empty_title = signoffs_in_force([signoff("representative", title="")])
    assert empty_title[SignOffRole.REPRESENTATIVE].title is None


def test_the_document_control_block_of_a_draft_and_of_a_submission(catalog: Catalog) -> None:
    store = MemoryStore()
    created = NOW - dt.timedelta(days=100)
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Acme KK", Actor("cto", created))
    usecases.set_organisation(store, catalog, Actor("cto", created), {"governance.security_owner": "CTO 田中"})
    assessment = store.load().assessment
    today = NOW.date()

    draft = document_control(assessment, store.history(), today)
    assert (draft.id, draft.version, draft.state, draft.issued) == ("DRAFT-20261201", None, "draft", today)
    assert (draft.period_start, draft.period_end) == (created.date(), today)
    assert (draft.assessor, draft.classification, draft.scope) == ("CTO 田中", "confidential", None)
    assert draft.signoffs == [] and draft.missing_signoffs == list(SignOffRole)

    usecases.sign_off(store, catalog, Actor("cto", NOW), SignOffRole.REPRESENTATIVE, "佐藤 健", "代表取締役")
    submitted_at = {"action": "submit", "at": "2026-10-01T03:00:00+00:00"}
    history = [*store.history(), submitted_at]
    assert document_control(assessment, history, today).signoffs == []  # the submission ended it
    usecases.sign_off(store, catalog, Actor("cto", NOW), SignOffRole.SECURITY_OWNER, "田中 一郎")
    history = [*store.history()[:-1], submitted_at, store.history()[-1]]
    sent = SubmissionOut(id="acme-kk-20261201-2", sequence=2, history_entries=4, history_head="0" * 64, previous=None)
    document = document_control(
        assessment, history, today, sent, scope="  参照系 API  ", assessor="監査役", classification="internal"
    )
    assert (document.id, document.version, document.state) == ("acme-kk-20261201-2", 2, "submitted")
    assert document.period_start == dt.date(2026, 10, 1)  # from the previous submission
    assert (document.scope, document.assessor, document.classification) == ("参照系 API", "監査役", "internal")
    assert [(s.role, s.name) for s in document.signoffs] == [(SignOffRole.SECURITY_OWNER, "田中 一郎")]
    assert document.missing_signoffs == [SignOffRole.REPRESENTATIVE]


def test_the_remediation_plan_names_what_each_gap_lacks(catalog: Catalog) -> None:
    store = MemoryStore()
    actor = Actor("cto", NOW)
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Acme KK", actor)
    due = NOW.date() + dt.timedelta(days=30)
    usecases.set_answer(store, catalog, actor, "IAM-01", AnswerChange(status=Status.PLANNED, owner="CTO", due=due))
    usecases.set_answer(
        store,
        catalog,
        actor,
        "IAM-02",
        AnswerChange(
            status=Status.PARTIAL, owner="SRE", due=NOW.date() - dt.timedelta(days=1), interim="管理者のみ MFA"
        ),
    )
    usecases.set_answer(store, catalog, actor, "IAM-03", AnswerChange(status=Status.NOT_IMPLEMENTED))
    usecases.set_answer(store, catalog, actor, "IAM-04", AnswerChange(status=Status.IMPLEMENTED))
    report, _, scores = build_report(catalog, store.load().assessment, "bank", "ja", NOW.date())
    plan = {r.id: r for r in report.remediation}
    assert [r.id for r in report.remediation] == [g.id for g in scores.gaps]
    assert "IAM-04" not in plan
    assert (plan["IAM-01"].missing, plan["IAM-01"].overdue, plan["IAM-01"].why) == (
        ["interim"],
        False,
        f"実施予定（{due.isoformat()}）",
    )
    assert (plan["IAM-02"].missing, plan["IAM-02"].overdue, plan["IAM-02"].interim) == ([], True, "管理者のみ MFA")
    assert plan["IAM-03"].missing == ["owner", "due", "interim"]
    unanswered = next(r for r in report.remediation if r.reason.value == "unanswered")
    assert unanswered.missing == ["owner", "due"]  # an unanswered item takes no interim measure yet
