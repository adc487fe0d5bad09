"""Bank checklists pinned value by value: every check of a checklist file with its exact position, message
and parameters, the shipped checklist's lookup, and the answered rows as the JSON and the reports read them —
the survivors of mutation testing (docs/mutation.md) turned into exact expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from antai.assessment.model import (
    Certification,
    CertificationScheme,
    Eligibility,
    Governance,
    InquiryDesk,
    OrganisationFacts,
    ServiceUse,
    UserProtection,
)
from antai.catalog.yamlsource import SourceError, load_yaml_text
from antai.checklists import loader
from antai.checklists.answer import (
    AnsweredChecklist,
    Deviation,
    DeviationKind,
    FactAnswer,
    FactState,
    ItemAnswer,
    RowAnswer,
    answer_checklist,
    answer_row,
    fact_answer,
)
from antai.checklists.loader import builtin_names, builtin_path, check_checklist, fact_paths, load_checklist
from antai.checklists.model import Checklist, Row
from antai.tailoring.plan import ExcludedItem

from .builders import TODAY, acceptance, answer, assessment, catalog, evidence, item, plan

HEAD = """id: my-bank
title: {ja: 私の銀行の確認表, en: My bank's sheet}
source: {ja: 自作, en: our own}
version: "1"
rows:
"""
CAT = catalog(
    item("AAA-01"),
    item("AAA-02"),
    item("AAA-03", when={"moves_customer_funds": True}),
    item("AAA-04", when={"admin_console": True}),
)


def _row_yaml(row_id: str, extra: str = "") -> str:
    return (
        f"  - id: {row_id}\n    section: {{ja: 区分, en: Section}}\n    question: {{ja: 質問, en: Question}}\n{extra}"
    )


def _problems(text: str) -> list[tuple[int, int, str, str, dict[str, str]]]:
    doc = load_yaml_text(text, "bank.yaml")
    checklist = Checklist.model_validate(doc.data)
    return [(p.line, p.column, p.message, p.code, dict(p.params)) for p in check_checklist(doc, checklist, CAT)]


# --- reading checklist files ---------------------------------------------------------------------------


def test_the_shipped_checklist_is_found_by_name_and_nothing_else_is() -> None:
    assert builtin_names() == ["api-connection"]
    found = builtin_path("api-connection")
    assert found == loader.BUILTIN_DIR / "api-connection.yaml"
    assert found is not None and found.is_file()
    assert builtin_path("api") is None
    assert builtin_path("../checklists/builtin/api-connection") is None


def test_fact_paths_are_every_fact_but_the_entries_of_registers() -> None:
    paths = fact_paths()
    assert paths[:3] == ["eligibility.registration_kind", "eligibility.registration", "eligibility.registered_on"]
    assert "outsourcing.outsourcees" in paths
    assert "user_protection.inquiry.phone" in paths
    assert not [p for p in paths if ".N" in p]
    assert len(paths) == len(set(paths))


def test_every_check_names_the_position_the_value_and_what_is_wrong() -> None:
    text = (
        HEAD
        + _row_yaml("A-1", "    items: [AAA-01, ZZZ-99]\n    facts: [governance.security_ownr, zzz.qqq]\n")
        + _row_yaml("A-1", "    facts: [eligibility.registration]\n")
        + _row_yaml("A-2")
        + _row_yaml("A-1", "    items: [AAA-02]\n")
    )
    assert _problems(text) == [
        (
            9,
            21,
            "'ZZZ-99' is not an item of catalog 0.1.0",
            "checklist.unknown_item",
            {"id": "ZZZ-99", "version": "0.1.0"},
        ),
        (
            10,
            13,
            "'governance.security_ownr' is not an organisation fact (did you mean 'governance.security_owner'?)",
            "checklist.unknown_fact",
            {"path": "governance.security_ownr", "suggestion": "governance.security_owner"},
        ),
        (
            10,
            39,
            "'zzz.qqq' is not an organisation fact",
            "checklist.unknown_fact",
            {"path": "zzz.qqq", "suggestion": ""},
        ),
        (11, 9, "row ID 'A-1' is used twice (first on line 6)", "checklist.duplicate_row", {"id": "A-1", "first": "6"}),
        (
            15,
            5,
            "row 'A-2' maps to no item and no fact: nothing could answer it",
            "checklist.unmapped_row",
            {"id": "A-2"},
        ),
        (18, 9, "row ID 'A-1' is used twice (first on line 6)", "checklist.duplicate_row", {"id": "A-1", "first": "6"}),
    ]


def test_a_suggestion_needs_a_close_match_and_a_row_is_found_by_its_id_line() -> None:
    late_id = "  - section: {ja: 区分, en: Section}\n    id: B-1\n    question: {ja: 質問, en: Question}\n"
    text = HEAD + late_id + "    facts: [user.inquiry]\n" + _row_yaml("B-1", "    items: [AAA-01]\n")
    assert _problems(text) == [
        (
            9,
            13,
            "'user.inquiry' is not an organisation fact",
            "checklist.unknown_fact",
            {"path": "user.inquiry", "suggestion": ""},
        ),
        (10, 9, "row ID 'B-1' is used twice (first on line 7)", "checklist.duplicate_row", {"id": "B-1", "first": "7"}),
    ]


def test_a_long_unknown_fact_is_quoted_briefly() -> None:
    long_path = "governance." + "x" * 100
    ((line, column, message, code, params),) = _problems(HEAD + _row_yaml("A-1", f"    facts: [{long_path}]\n"))
    assert (line, column, code) == (9, 13, "checklist.unknown_fact")
    assert message == f"'{long_path[:80]}...' is not an organisation fact"
    assert params == {"path": long_path[:80] + "...", "suggestion": ""}


def test_a_clean_checklist_has_no_problems_and_loads(tmp_path: Path) -> None:
    text = HEAD + _row_yaml("A-1", "    items: [AAA-01]\n") + _row_yaml("A-2", "    facts: [governance.deputy]\n")
    assert _problems(text) == []
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    found = load_checklist(path, CAT)
    assert [(r.id, r.items, r.facts) for r in found.rows] == [
        ("A-1", ["AAA-01"], []),
        ("A-2", [], ["governance.deputy"]),
    ]


def test_loading_reports_every_problem_under_the_name_given(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + _row_yaml("A-1", "    items: [ZZZ-99]\n") + _row_yaml("A-2"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checklist(path, CAT, "their-sheet.yaml")
    assert [(p.file, p.line, p.column, p.code) for p in caught.value.problems] == [
        ("their-sheet.yaml", 9, 13, "checklist.unknown_item"),
        ("their-sheet.yaml", 10, 5, "checklist.unmapped_row"),
    ]
    with pytest.raises(SourceError) as unnamed:
        load_checklist(path, CAT)
    assert {p.file for p in unnamed.value.problems} == {str(path)}


def test_a_checklist_file_is_held_to_the_small_file_limits(tmp_path: Path) -> None:
    assert (loader.LIMITS.max_bytes, loader.LIMITS.max_depth) == (512 * 1024, 16)
    assert (loader.LIMITS.max_scalar_chars, loader.LIMITS.max_nodes) == (4000, 50_000)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (512 * 1024 + 1))
    with pytest.raises(SourceError) as caught:
        load_checklist(path, CAT)
    assert [p.message for p in caught.value.problems] == [
        "the file has 524,289 bytes; an antai file may have at most 524,288"
    ]
    shape = tmp_path / "shape.yaml"
    shape.write_text(HEAD + _row_yaml("A-1", "    answer: maybe\n"), encoding="utf-8")
    with pytest.raises(SourceError) as wrong:
        load_checklist(shape, CAT)
    assert [(p.line, p.column, p.code) for p in wrong.value.problems] == [(9, 13, "value.enum")]


# --- answering -----------------------------------------------------------------------------------------

PLAN = plan(CAT, {"AAA-01": 1, "AAA-02": 2, "AAA-04": 3})
EXCLUDED = PLAN.__class__(
    profile=PLAN.profile,
    risk=PLAN.risk,
    catalog_version=PLAN.catalog_version,
    lang=PLAN.lang,
    items=PLAN.items,
    excluded=(
        ExcludedItem("AAA-09", 1, ("no admin console",)),
        ExcludedItem("AAA-03", 1, ("moves no funds", "no payment API")),
    ),
)
LATER = dt.date(2027, 1, 1)


def _row(row_id: str, items: list[str] | None = None, facts: list[str] | None = None, **extra: Any) -> Row:
    text = {"ja": "問い", "en": "question"}
    data = {"id": row_id, "section": text, "question": text, "items": items or [], "facts": facts or []}
    return Row.model_validate(data | extra)


def _assessment() -> Any:
    found = assessment(
        {
            "AAA-01": answer("implemented", reason="the provider's control covers it"),
            "AAA-02": answer("partial", due=dt.date(2026, 9, 30)),
            "AAA-03": answer("planned", due=dt.date(2026, 12, 31)),  # kept from before the item left the plan
            "AAA-04": answer("risk_accepted"),
        },
        acceptances=[acceptance("AAA-04", expires=LATER)],
        evidence_records=[
            evidence("E0003", "AAA-01", LATER),
            evidence("E0001", "AAA-01", LATER),
            evidence("E0009", "AAA-03", LATER),
            evidence("E0002", "org:user_protection.inquiry.email", LATER),
            evidence("E0004", "org:service.architecture", LATER),
            evidence("E0005", "org:user_protection.inquiry_other", LATER),
        ],
    )
    found.organisation = OrganisationFacts(
        eligibility=Eligibility(
            certifications=[
                Certification(scheme=CertificationScheme.ISMS, scope="開発", certified=dt.date(2025, 11, 20))
            ]
        ),
        service=ServiceUse(target_banks=[]),
        governance=Governance(security_owner="CTO 田中"),
        user_protection=UserProtection(inquiry=InquiryDesk(email="support@example.invalid")),
    )
    return found


def _answer(row: Row, plan_: Any = PLAN) -> Any:
    return answer_row(row, CAT, plan_, _assessment(), TODAY)


def test_an_answered_row_as_json_carries_every_field() -> None:
    found = _answer(
        _row("R1", ["AAA-01", "AAA-02"], ["governance.security_owner"], scope=["reference"], answer="yes_no")
    )
    assert found.answer == RowAnswer.PARTIAL
    assert found.as_dict() == {
        "id": "R1",
        "section": {"ja": "問い", "en": "question"},
        "question": {"ja": "問い", "en": "question"},
        "kind": "yes_no",
        "scope": ["reference"],
        "answer": "partial",
        "items": [
            {"id": "AAA-01", "applies": True, "status": "implemented", "due": None, "evidence": ["E0001", "E0003"]},
            {"id": "AAA-02", "applies": True, "status": "partial", "due": "2026-09-30", "evidence": []},
        ],
        "facts": [
            {
                "path": "governance.security_owner",
                "state": "given",
                "value": "CTO 田中",
                "missing": [],
                "evidence": [],
            }
        ],
        "deviations": [],
        "missing_facts": [],
        "evidence": ["E0001", "E0003"],
    }
    assert [i.title.en if i.title else None for i in found.items] == ["title of AAA-01", "title of AAA-02"]


def test_an_item_that_does_not_apply_has_no_status_due_or_evidence_and_says_why() -> None:
    found = _answer(_row("R2", ["AAA-03", "ZZZ-99"]), EXCLUDED)
    assert found.items == (
        ItemAnswer("AAA-03", CAT.item("AAA-03").title, False, None, None, ()),  # type: ignore[union-attr]
        ItemAnswer("ZZZ-99", None, False, None, None, ()),
    )
    assert found.deviations == (
        Deviation("AAA-03", DeviationKind.EXCLUDED, "moves no funds; no payment API"),
        Deviation("ZZZ-99", DeviationKind.EXCLUDED, ""),
    )
    assert found.answer == RowAnswer.NOT_APPLICABLE
    assert found.as_dict()["deviations"] == [
        {"item": "AAA-03", "kind": "excluded", "reason": "moves no funds; no payment API", "by": None, "expires": None},
        {"item": "ZZZ-99", "kind": "excluded", "reason": "", "by": None, "expires": None},
    ]


def test_a_risk_acceptance_deviation_as_json_has_its_approver_and_expiry() -> None:
    found = _answer(_row("R3", ["AAA-04"]))
    assert found.as_dict()["deviations"] == [
        {
            "item": "AAA-04",
            "kind": "risk_accepted",
            "reason": "carried on purpose",
            "by": "CEO",
            "expires": "2027-01-01",
        }
    ]
    assert found.as_dict()["items"][0]["status"] == "risk_accepted"


def test_a_reason_on_an_implemented_item_is_no_deviation() -> None:
    assert _answer(_row("R4", ["AAA-01"])).deviations == ()


def test_facts_missing_incomplete_given_and_their_evidence() -> None:
    facts = _assessment().organisation
    gaps = facts.missing()
    on_facts = {"user_protection.inquiry.email": ["E0002"], "user_protection.inquiry_other": ["E0005"]}
    assert fact_answer(facts, "user_protection.inquiry", gaps, on_facts) == FactAnswer(
        "user_protection.inquiry",
        FactState.INCOMPLETE,
        facts.user_protection.inquiry,
        ("user_protection.inquiry.phone", "user_protection.inquiry.hours"),
        ("E0002",),
    )
    # an optional detail that is not given is missing, though it is no gap
    assert fact_answer(facts, "user_protection.inquiry.name", gaps, {}) == FactAnswer(
        "user_protection.inquiry.name", FactState.MISSING, None, ("user_protection.inquiry.name",), ()
    )
    # an empty list where "none" is no answer is missing, though it is not None
    assert fact_answer(facts, "service.target_banks", gaps, {}) == FactAnswer(
        "service.target_banks", FactState.MISSING, None, ("service.target_banks",), ()
    )
    # a missing fact keeps the evidence about it
    assert fact_answer(facts, "service.architecture", gaps, {"service.architecture": ["E0004"]}) == FactAnswer(
        "service.architecture", FactState.MISSING, None, ("service.architecture",), ("E0004",)
    )
    assert fact_answer(facts, "governance.no_such_fact", gaps, {}) == FactAnswer(
        "governance.no_such_fact", FactState.MISSING, None, ("governance.no_such_fact",), ()
    )


def test_a_fact_value_in_json_is_plain_data() -> None:
    row = _answer(_row("R5", facts=["eligibility.certifications", "user_protection.inquiry"]))
    assert [f.as_dict() for f in row.facts] == [
        {
            "path": "eligibility.certifications",
            "state": "given",
            "value": [{"scheme": "isms", "scope": "開発", "certified": "2025-11-20"}],
            "missing": [],
            "evidence": [],
        },
        {
            "path": "user_protection.inquiry",
            "state": "incomplete",
            "value": {"email": "support@example.invalid"},
            "missing": ["user_protection.inquiry.phone", "user_protection.inquiry.hours"],
            "evidence": ["E0002"],
        },
    ]
    assert row.missing_facts == ("user_protection.inquiry.phone", "user_protection.inquiry.hours")
    assert row.evidence == ("E0002",)


def test_an_answered_checklist_as_json() -> None:
    text = {"ja": "表", "en": "sheet"}
    checklist = Checklist.model_validate(
        {
            "id": "test",
            "title": text,
            "source": {"ja": "自作", "en": "our own"},
            "version": "1.2",
            "rows": [r.model_dump() for r in (_row("A", ["AAA-01"]), _row("B", facts=["service.architecture"]))],
        }
    )
    found = answer_checklist(checklist, CAT, PLAN, _assessment(), TODAY)
    assert isinstance(found, AnsweredChecklist)
    data = found.as_dict()
    assert {k: v for k, v in data.items() if k != "rows"} == {
        "checklist": {
            "id": "test",
            "title": {"ja": "表", "en": "sheet"},
            "source": {"ja": "自作", "en": "our own"},
            "version": "1.2",
        },
        "organisation": "Test KK",
        "catalog_version": "0.1.0",
        "date": "2026-06-01",
        "counts": {"yes": 1, "partial": 0, "no": 1, "not_applicable": 0},
    }
    assert [(r["id"], r["answer"], r["evidence"]) for r in data["rows"]] == [
        ("A", "yes", ["E0001", "E0003"]),
        ("B", "no", ["E0004"]),
    ]
