"""Answering a checklist row from a small hand-built case: items met, partly met or not, facts given, incomplete
or missing, and the deviations that explain a `no`."""

from __future__ import annotations

import datetime as dt

from antai.assessment.model import Governance, InquiryDesk, OrganisationFacts, UserProtection
from antai.checklists.answer import Deviation, DeviationKind, FactState, RowAnswer, answer_checklist, answer_row
from antai.checklists.model import Checklist, Row

from .builders import TODAY, acceptance, answer, assessment, catalog, evidence, item, plan


def _row(row_id: str, items: list[str] | None = None, facts: list[str] | None = None) -> Row:
    text = {"ja": "問い", "en": "question"}
    return Row.model_validate(
        {"id": row_id, "section": text, "question": text, "items": items or [], "facts": facts or []}
    )


CAT = catalog(
    item("AAA-01"),
    item("AAA-02"),
    item("AAA-03", when={"moves_customer_funds": True}),
    item("AAA-04", when={"admin_console": True}),
    item("AAA-05"),
    item("AAA-06"),
)
# AAA-03 does not apply: it is not in the plan
PLAN = plan(CAT, {"AAA-01": 1, "AAA-02": 2, "AAA-04": 2, "AAA-05": 3, "AAA-06": 3})
LATER = dt.date(2027, 1, 1)


def _assessment() -> object:
    found = assessment(
        {
            "AAA-01": answer("implemented"),
            "AAA-02": answer("partial", due=dt.date(2026, 9, 30)),
            "AAA-04": answer("risk_accepted"),
            "AAA-05": answer("compensated", compensated_by="AAA-01", reason="the gateway filters it"),
            "AAA-06": answer("not_applicable", reason="no such data"),  # mandatory: counts as not implemented
        },
        acceptances=[acceptance("AAA-04", expires=LATER)],
        evidence_records=[
            evidence("E0001", "AAA-01", LATER),
            evidence("E0002", "org:governance.security_owner", LATER),
        ],
    )
    found.organisation = OrganisationFacts(
        governance=Governance(security_owner="CTO 田中"),
        user_protection=UserProtection(inquiry=InquiryDesk(email="support@example.invalid")),
    )
    return found


def _answer(row: Row):  # type: ignore[no-untyped-def]
    return answer_row(row, CAT, PLAN, _assessment(), TODAY)  # type: ignore[arg-type]


def test_every_item_met_and_the_fact_given_is_yes_with_all_evidence() -> None:
    found = _answer(_row("R1", ["AAA-01", "AAA-05"], ["governance.security_owner"]))
    assert found.answer == RowAnswer.YES
    assert found.evidence == ("E0001", "E0002")
    assert [(i.id, i.status and i.status.value) for i in found.items] == [
        ("AAA-01", "implemented"),
        ("AAA-05", "compensated"),
    ]
    assert found.facts[0].state == FactState.GIVEN
    assert found.facts[0].value == "CTO 田中"
    assert found.deviations == (Deviation("AAA-05", DeviationKind.COMPENSATED, "the gateway filters it", "AAA-01"),)


def test_some_met_is_partial_and_a_partial_item_alone_is_partial() -> None:
    assert _answer(_row("R2", ["AAA-01", "AAA-06"])).answer == RowAnswer.PARTIAL
    alone = _answer(_row("R3", ["AAA-02"]))
    assert alone.answer == RowAnswer.PARTIAL
    assert alone.items[0].due == dt.date(2026, 9, 30)


def test_risk_accepted_is_no_with_the_decision_as_the_reason() -> None:
    found = _answer(_row("R4", ["AAA-04"]))
    assert found.answer == RowAnswer.NO
    assert found.deviations == (Deviation("AAA-04", DeviationKind.RISK_ACCEPTED, "carried on purpose", "CEO", LATER),)


def test_an_expired_acceptance_counts_as_not_implemented() -> None:
    found = answer_row(_row("R5", ["AAA-04"]), CAT, PLAN, _assessment(), dt.date(2027, 1, 2))  # type: ignore[arg-type]
    assert found.items[0].status is not None and found.items[0].status.value == "not_implemented"
    assert found.answer == RowAnswer.NO


def test_a_mandatory_item_declared_not_applicable_is_no_with_its_reason() -> None:
    found = _answer(_row("R6", ["AAA-06"]))
    assert found.answer == RowAnswer.NO
    assert found.items[0].status is not None and found.items[0].status.value == "not_implemented"
    assert found.deviations == (Deviation("AAA-06", DeviationKind.NOT_APPLICABLE, "no such data"),)


def test_no_item_applies_and_no_fact_is_not_applicable() -> None:
    found = _answer(_row("R7", ["AAA-03"]))
    assert found.answer == RowAnswer.NOT_APPLICABLE
    assert found.items[0].applies is False
    assert found.items[0].status is None
    assert found.deviations == (Deviation("AAA-03", DeviationKind.EXCLUDED, ""),)


def test_an_item_that_does_not_apply_leaves_the_facts_to_answer() -> None:
    found = _answer(_row("R8", ["AAA-03"], ["governance.deputy"]))
    assert found.answer == RowAnswer.NO
    assert found.missing_facts == ("governance.deputy",)


def test_a_record_with_details_missing_is_incomplete_and_partial() -> None:
    found = _answer(_row("R9", facts=["user_protection.inquiry"]))
    assert found.answer == RowAnswer.PARTIAL
    (fact,) = found.facts
    assert fact.state == FactState.INCOMPLETE
    assert fact.missing == ("user_protection.inquiry.phone", "user_protection.inquiry.hours")
    assert fact.as_dict()["value"] == {"email": "support@example.invalid"}


def test_a_whole_checklist_counts_its_answers() -> None:
    text = {"ja": "表", "en": "sheet"}
    checklist = Checklist.model_validate(
        {
            "id": "test",
            "title": text,
            "source": text,
            "version": "1",
            "rows": [r.model_dump() for r in (_row("A", ["AAA-01"]), _row("B", ["AAA-03"]), _row("C", ["AAA-04"]))],
        }
    )
    found = answer_checklist(checklist, CAT, PLAN, _assessment(), TODAY)  # type: ignore[arg-type]
    assert {k.value: v for k, v in found.counts().items()} == {"yes": 1, "partial": 0, "no": 1, "not_applicable": 1}
    assert found.as_dict()["rows"][0]["answer"] == "yes"
    assert found.organisation == "Test KK"
