"""Status transitions and cross-part checks, as pure functions on small assessments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from antai.assessment import rules
from antai.assessment.model import (
    Acceptance,
    Answer,
    DecisionKind,
    EvidenceKind,
    EvidenceRecord,
    Status,
    WorkspaceMeta,
)
from antai.assessment.rules import AnswerChange
from antai.assessment.state import Assessment, Issue, Part, check, evidence_path_ok
from antai.catalog import Catalog
from antai.errors import InvalidChange, NotFound
from antai.tailoring.plan import Plan, make_plan
from antai.tailoring.profile import Profile, load_profile

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(Path("example:household-budget"))


@pytest.fixture(scope="module")
def plan(catalog: Catalog, profile: Profile) -> Plan:
    return make_plan(catalog, profile)


def assessment(profile: Profile, plan: Plan, **answers: Answer) -> Assessment:
    base = {p.id: Answer() for p in plan.items}
    base.update({k.replace("_", "-"): v for k, v in answers.items()})
    return Assessment(
        meta=WorkspaceMeta(organisation="R KK", catalog_version="0.1.0", created=TODAY),
        profile=profile,
        answers=base,
    )


def test_set_keeps_owner_and_note_across_status_changes(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan, IAM_01=Answer(status=Status.PARTIAL, owner="CTO", note="keys ordered"))
    moved = rules.set_answer(catalog, plan, current, "IAM-01", AnswerChange(status=Status.IMPLEMENTED), TODAY)
    assert (moved.after.owner, moved.after.note, moved.after.updated, moved.after.review) == (
        "CTO",
        "keys ordered",
        TODAY,
        False,
    )
    assert moved.before.status == Status.PARTIAL and moved.decision is None and moved.item == "IAM-01"


def test_set_clears_the_review_flag(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan, IAM_01=Answer(status=Status.IMPLEMENTED, review=True))
    moved = rules.set_answer(catalog, plan, current, "IAM-01", AnswerChange(owner="CTO"), TODAY)
    assert moved.after.review is False and moved.after.status == Status.IMPLEMENTED


@pytest.mark.parametrize(
    ("start", "change", "expected"),
    [
        (
            Answer(status=Status.PLANNED, due=dt.date(2027, 1, 1)),
            AnswerChange(status=Status.PARTIAL, due=dt.date(2027, 2, 1)),
            {"due": dt.date(2027, 2, 1), "reason": None, "compensated_by": None},
        ),
        (
            Answer(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="CI"),
            AnswerChange(status=Status.NOT_IMPLEMENTED),
            {"due": None, "reason": None, "compensated_by": None},
        ),
        (
            Answer(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="CI"),
            AnswerChange(note="reviewed"),
            {"reason": "CI", "compensated_by": "immutable-infrastructure"},
        ),
        (
            Answer(status=Status.PLANNED, due=dt.date(2027, 1, 1)),
            AnswerChange(due=dt.date(2027, 2, 1)),
            {"due": dt.date(2027, 2, 1)},
        ),
    ],
)
def test_deviation_fields_follow_the_status(
    catalog: Catalog, plan: Plan, profile: Profile, start: Answer, change: AnswerChange, expected: dict[str, object]
) -> None:
    current = assessment(profile, plan, IAM_09=start)
    after = rules.set_answer(catalog, plan, current, "IAM-09", change, TODAY).after
    assert {name: getattr(after, name) for name in expected} == expected


def test_a_new_reason_replaces_the_old_one_on_a_status_change(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan, IAM_09=Answer(status=Status.COMPENSATED, compensated_by="IAM-02", reason="a"))
    change = AnswerChange(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="b")
    after = rules.set_answer(catalog, plan, current, "IAM-09", change, TODAY).after
    assert (after.compensated_by, after.reason) == ("immutable-infrastructure", "b")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (AnswerChange(status=Status.RISK_ACCEPTED), "use_accept"),
        (AnswerChange(), "empty_change"),
        (AnswerChange(status=Status.IMPLEMENTED, due=dt.date(2027, 1, 1)), "field_not_for_status"),
        (AnswerChange(status=Status.IMPLEMENTED, reason="x"), "field_not_for_status"),
        (AnswerChange(status=Status.IMPLEMENTED, compensated_by="IAM-02"), "field_not_for_status"),
        (AnswerChange(status=Status.NOT_APPLICABLE), "rule"),
        (AnswerChange(status=Status.COMPENSATED, reason="x", compensated_by="IAM-09"), "unknown_compensation"),
        (AnswerChange(status=Status.COMPENSATED, reason="x", compensated_by="no-such-note"), "unknown_compensation"),
        (AnswerChange(status=Status.IMPLEMENTED, expires=dt.date(2027, 1, 1)), "decision_incomplete"),
        (AnswerChange(status=Status.NOT_APPLICABLE, reason="r", approver="CEO"), "decision_incomplete"),
        (
            AnswerChange(status=Status.IMPLEMENTED, approver="CEO", expires=dt.date(2027, 1, 1)),
            "approver_not_for_status",
        ),
    ],
)
def test_refused_changes(catalog: Catalog, plan: Plan, profile: Profile, change: AnswerChange, code: str) -> None:
    with pytest.raises(InvalidChange) as refused:
        rules.set_answer(catalog, plan, assessment(profile, plan), "IAM-09", change, TODAY)
    assert refused.value.code == code


def test_compensation_by_another_item_is_allowed(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    change = AnswerChange(status=Status.COMPENSATED, reason="covered", compensated_by="IAM-02")
    assert (
        rules.set_answer(catalog, plan, assessment(profile, plan), "IAM-09", change, TODAY).after.compensated_by
        == "IAM-02"
    )


def test_not_applicable_on_a_mandatory_item_needs_both_approver_and_expiry(
    catalog: Catalog, plan: Plan, profile: Profile
) -> None:
    current = assessment(profile, plan)
    for partial, code in (
        (AnswerChange(status=Status.NOT_APPLICABLE, reason="r"), "mandatory_not_applicable"),
        (AnswerChange(status=Status.NOT_APPLICABLE, reason="r", approver="CEO"), "decision_incomplete"),
        (AnswerChange(status=Status.NOT_APPLICABLE, reason="r", expires=dt.date(2027, 1, 1)), "decision_incomplete"),
    ):
        with pytest.raises(InvalidChange) as refused:
            rules.set_answer(catalog, plan, current, "DAT-06", partial, TODAY)
        assert refused.value.code == code and refused.value.params == {"item": "DAT-06"}
    done = rules.set_answer(
        catalog,
        plan,
        current,
        "DAT-06",
        AnswerChange(status=Status.NOT_APPLICABLE, reason="r", approver="CEO", expires=dt.date(2027, 1, 1)),
        TODAY,
    )
    assert done.decision == Acceptance(
        item="DAT-06",
        kind=DecisionKind.NOT_APPLICABLE,
        rationale="r",
        approver="CEO",
        decided=TODAY,
        expires=dt.date(2027, 1, 1),
    )
    with pytest.raises(InvalidChange):  # an expiry before the decision is no decision
        rules.set_answer(
            catalog,
            plan,
            current,
            "DAT-06",
            AnswerChange(status=Status.NOT_APPLICABLE, reason="r", approver="CEO", expires=TODAY),
            TODAY,
        )


def test_changing_only_the_owner_of_a_declared_item_needs_no_new_decision(
    catalog: Catalog, plan: Plan, profile: Profile
) -> None:
    current = assessment(profile, plan, DAT_06=Answer(status=Status.NOT_APPLICABLE, reason="r"))
    after = rules.set_answer(catalog, plan, current, "DAT-06", AnswerChange(owner="CTO"), TODAY)
    assert after.after.owner == "CTO" and after.decision is None


def test_accept_replaces_every_deviation_field(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(
        profile,
        plan,
        IAM_09=Answer(status=Status.COMPENSATED, compensated_by="IAM-02", reason="x", owner="CTO", review=True),
    )
    done = rules.accept(catalog, plan, current, "IAM-09", "why", "CEO", dt.date(2027, 6, 1), TODAY)
    assert done.after == Answer(status=Status.RISK_ACCEPTED, owner="CTO", updated=TODAY)
    assert done.decision is not None and done.decision.kind == DecisionKind.RISK_ACCEPTANCE
    with pytest.raises(InvalidChange):
        rules.accept(catalog, plan, current, "IAM-09", "why", "CEO", TODAY, TODAY)
    with pytest.raises(NotFound):
        rules.accept(catalog, plan, current, "NOPE-01", "why", "CEO", dt.date(2027, 6, 1), TODAY)


def test_applicable_item(catalog: Catalog, plan: Plan) -> None:
    assert rules.applicable_item(catalog, plan, "iam-01 ").id == "IAM-01"
    with pytest.raises(NotFound) as unknown:
        rules.applicable_item(catalog, plan, "NOPE-01")
    assert unknown.value.code == "unknown_item" and unknown.value.params == {"item": "NOPE-01"}
    with pytest.raises(InvalidChange) as outside:
        rules.applicable_item(catalog, plan, "IOC-01")
    assert outside.value.code == "not_in_plan"


def _record(n: int, item: str = "IAM-01", path: str | None = None) -> EvidenceRecord:
    return EvidenceRecord(
        id=f"E{n:04d}",
        item=item,
        kind=EvidenceKind.FILE,
        path=path or f"evidence/files/E{n:04d}-x.txt",
        sha256="0" * 64,
        name="x.txt",
        added_by="t",
        added_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        effective_from=TODAY,
        expires=dt.date(2027, 12, 1),
    )


def test_check_finds_every_cross_part_problem(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(
        profile,
        plan,
        IAM_01=Answer(status=Status.RISK_ACCEPTED),
        DAT_06=Answer(status=Status.NOT_APPLICABLE, reason="r"),
        IAM_09=Answer(status=Status.COMPENSATED, compensated_by="IAM-09", reason="x"),
        IAM_02=Answer(status=Status.COMPENSATED, compensated_by="nothing-like-this", reason="x"),
        IOC_01=Answer(status=Status.IMPLEMENTED),
        ZZ_01=Answer(),
    )
    del current.answers["LOG-01"]
    current.acceptances.append(
        Acceptance(item="ZZ-02", rationale="r", approver="a", decided=TODAY, expires=dt.date(2027, 1, 1))
    )
    current.evidence.extend([_record(1), _record(1), _record(2, "ZZ-03"), _record(3, path="../../etc/passwd")])
    found = check(current, catalog, plan)

    def key(issue: Issue) -> tuple[str, str]:
        return issue.part.value, str(issue.loc)

    assert sorted(found, key=key) == sorted(
        [
            Issue(Part.ANSWERS, ("IAM-01", "status"), "no_decision", {"item": "IAM-01"}),
            Issue(Part.ANSWERS, ("IAM-02", "compensated_by"), "unknown_compensation", {"target": "nothing-like-this"}),
            Issue(Part.ANSWERS, ("DAT-06", "status"), "no_decision_na", {"item": "DAT-06"}),
            Issue(Part.ANSWERS, ("IAM-09", "compensated_by"), "self_compensation"),
            Issue(Part.ANSWERS, ("IOC-01",), "not_in_plan", {"item": "IOC-01"}),
            Issue(Part.ANSWERS, ("ZZ-01",), "unknown_item", {"item": "ZZ-01", "version": catalog.version}),
            Issue(Part.ANSWERS, (), "missing_answers", {"count": 1, "items": "LOG-01"}),
            Issue(Part.DECISIONS, ("acceptances", 0, "item"), "decision_unknown_item", {"item": "ZZ-02"}),
            Issue(Part.EVIDENCE, ("evidence", 1, "id"), "duplicate_evidence", {"id": "E0001"}),
            Issue(Part.EVIDENCE, ("evidence", 2, "item"), "evidence_unknown_item", {"item": "ZZ-03"}),
            Issue(Part.EVIDENCE, ("evidence", 3, "path"), "evidence_path", {"id": "E0003", "path": "../../etc/passwd"}),
        ],
        key=key,
    )
    messages = {i.code: i.message for i in found}
    assert messages["no_decision"] == (
        "IAM-01 is risk_accepted but no decision backs it: set another status, or record one with `antai accept`"
    )
    assert messages["unknown_compensation"] == "'nothing-like-this' is neither an item nor a new-technology note"
    missing = next(i for i in check(current, catalog, plan) if i.code == "missing_answers")
    assert missing.message == "no entry for 1 applicable item(s): LOG-01 (`antai record -m …` adds them, unanswered)"


def test_many_missing_answers_are_listed_eight_at_a_time(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan)
    gone = sorted(current.answers)[:9]
    for item_id in gone:
        del current.answers[item_id]
    (issue,) = check(current, catalog, plan)
    assert issue.params == {"count": 9, "items": ", ".join(gone[:8]) + " …"}


def test_a_clean_assessment_has_no_issues(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(
        profile,
        plan,
        IOC_01=Answer(),  # unanswered entries outside the plan are harmless
        IAM_09=Answer(status=Status.COMPENSATED, compensated_by="IAM-02", reason="covered"),
        IAM_08=Answer(status=Status.COMPENSATED, compensated_by="immutable-infrastructure", reason="covered"),
    )
    current.evidence.append(_record(1))
    assert check(current, catalog, plan) == []


def test_decisions_and_evidence_queries(profile: Profile, plan: Plan) -> None:
    current = assessment(profile, plan, ASR_04=Answer(status=Status.RISK_ACCEPTED))
    older = Acceptance(
        item="ASR-04", rationale="a", approver="x", decided=dt.date(2026, 1, 1), expires=dt.date(2027, 1, 1)
    )
    newer = Acceptance(
        item="ASR-04", rationale="b", approver="y", decided=dt.date(2026, 6, 1), expires=dt.date(2027, 6, 1)
    )
    other_kind = Acceptance(
        item="ASR-04",
        kind=DecisionKind.NOT_APPLICABLE,
        rationale="c",
        approver="z",
        decided=dt.date(2026, 9, 1),
        expires=dt.date(2027, 9, 1),
    )
    current.acceptances.extend([newer, older, other_kind])
    assert current.acceptance_for("ASR-04") == newer
    assert current.decision_for("ASR-04", DecisionKind.NOT_APPLICABLE) == other_kind
    assert current.current_decisions() == [newer]
    withdrawn = _record(1).model_copy(update={"withdrawn": TODAY, "withdrawn_reason": "old"})
    current.evidence.extend([withdrawn, _record(2)])
    assert [e.id for e in current.evidence_for("IAM-01")] == ["E0002"]
    assert current.answer("NOPE-01") == Answer()


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ("evidence/files/E0001-a.txt", True),
        ("evidence/files/", False),
        ("evidence/files/../x", False),
        ("evidence/files/sub/x", False),
        ("evidence/files/..", False),
        ("evidence/files/a\\b", False),
        ("evidence/index.yaml", False),
        ("/etc/passwd", False),
        (None, False),
    ],
)
def test_evidence_paths(path: str | None, ok: bool) -> None:
    assert evidence_path_ok(path) is ok


def test_issue_messages_name_the_values() -> None:
    issue = Issue(Part.ANSWERS, ("X-01",), "not_in_plan", {"item": "X-01"})
    assert (
        issue.message
        == "X-01 does not apply to this profile (see `antai plan --profile profile.yaml` in the workspace)"
    )


def test_refusal_messages_name_the_item_and_the_rule(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan)
    cases = [
        (AnswerChange(), "nothing to change", {}),
        (
            AnswerChange(status=Status.RISK_ACCEPTED),
            "record a risk acceptance with `antai accept ITEM --rationale … --approver … --expires …`",
            {"item": "IAM-09"},
        ),
        (
            AnswerChange(status=Status.IMPLEMENTED, due=dt.date(2027, 1, 1)),
            "IAM-09: due applies only to partial or planned items",
            {"item": "IAM-09", "field": "due"},
        ),
        (
            AnswerChange(status=Status.IMPLEMENTED, reason="x"),
            "IAM-09: reason applies only to compensated or not_applicable items",
            {"item": "IAM-09", "field": "reason"},
        ),
        (
            AnswerChange(status=Status.COMPENSATED, reason="x", compensated_by="no-such-note"),
            "IAM-09: compensated_by 'no-such-note' must be another item or a new-technology note",
            {"item": "IAM-09", "target": "no-such-note"},
        ),
        (
            AnswerChange(status=Status.IMPLEMENTED, approver="CEO", expires=dt.date(2027, 1, 1)),
            "IAM-09: --approver and --expires record a not-applicable decision; "
            "for a risk acceptance use `antai accept`",
            {"item": "IAM-09"},
        ),
        (
            AnswerChange(status=Status.PLANNED),
            "IAM-09: a planned item needs a due date (due: YYYY-MM-DD)",
            {"item": "IAM-09"},
        ),
    ]
    for change, message, params in cases:
        with pytest.raises(InvalidChange) as refused:
            rules.set_answer(catalog, plan, current, "IAM-09", change, TODAY)
        assert (str(refused.value), refused.value.params) == (message, params)
    with pytest.raises(InvalidChange) as mandatory:
        rules.set_answer(
            catalog, plan, current, "DAT-06", AnswerChange(status=Status.NOT_APPLICABLE, reason="r"), TODAY
        )
    assert str(mandatory.value) == (
        "DAT-06 applies in all cases (mandatory): declaring it not applicable is a deviation that needs --approver "
        "(who decided) and --expires (when to review it), besides --reason"
    )


def test_a_changed_status_needs_its_own_reason(catalog: Catalog, plan: Plan, profile: Profile) -> None:
    current = assessment(profile, plan, IAM_09=Answer(status=Status.COMPENSATED, compensated_by="IAM-02", reason="old"))
    with pytest.raises(InvalidChange) as refused:  # the compensation's reason does not explain a not-applicable
        rules.set_answer(catalog, plan, current, "IAM-09", AnswerChange(status=Status.NOT_APPLICABLE), TODAY)
    assert str(refused.value) == "IAM-09: 'not_applicable' needs a reason"


def test_a_new_reason_for_a_declared_mandatory_item_is_a_new_declaration(
    catalog: Catalog, plan: Plan, profile: Profile
) -> None:
    current = assessment(profile, plan, DAT_06=Answer(status=Status.NOT_APPLICABLE, reason="r"))
    with pytest.raises(InvalidChange) as refused:
        rules.set_answer(catalog, plan, current, "DAT-06", AnswerChange(reason="another reason"), TODAY)
    assert refused.value.code == "mandatory_not_applicable"


def test_a_conditional_item_may_record_a_not_applicable_decision_too(
    catalog: Catalog, plan: Plan, profile: Profile
) -> None:
    conditional = next(p.id for p in plan.items if not p.mandatory)
    change = AnswerChange(status=Status.NOT_APPLICABLE, reason="why", approver="CTO", expires=dt.date(2027, 1, 1))
    done = rules.set_answer(catalog, plan, assessment(profile, plan), conditional, change, TODAY)
    assert done.decision is not None and done.decision.rationale == "why"
    plain = rules.set_answer(
        catalog,
        plan,
        assessment(profile, plan),
        conditional,
        AnswerChange(status=Status.NOT_APPLICABLE, reason="w"),
        TODAY,
    )
    assert plain.decision is None
