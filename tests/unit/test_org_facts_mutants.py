"""Organisation facts pinned value by value: what kind each fact is (so `antai org set` parses it), which
facts are gaps, reading and writing a fact or a register entry by its dotted path — the survivors of mutation
testing (docs/mutation.md) turned into exact expectations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pytest
from pydantic import ValidationError

from antai.assessment import model
from antai.assessment.model import (
    ApiUse,
    Eligibility,
    FactKind,
    Governance,
    InquiryDesk,
    Name,
    OrganisationFacts,
    Outsourcee,
    Outsourcing,
    RegistrationKind,
    ServiceUse,
    UserProtection,
    fact_field,
    fact_path_exists,
    is_entry_path,
)


def _facts() -> OrganisationFacts:
    return OrganisationFacts(
        eligibility=Eligibility(staff_count=12),
        service=ServiceUse(target_banks=[]),
        user_protection=UserProtection(inquiry=InquiryDesk(email="help@example.invalid")),
        outsourcing=Outsourcing(
            outsourcees=[Outsourcee(name="A 社", service="開発"), Outsourcee(name="B 社", service="運用", data="明細")]
        ),
        governance=Governance(security_owner="CTO 田中"),
    )


# --- the schema ----------------------------------------------------------------------------------------


def test_optional_and_none_ok_fields_are_marked_for_the_gap_rules() -> None:
    optional = model._optional("Name of the desk")
    assert (optional.default, optional.description, optional.json_schema_extra) == (
        None,
        "Name of the desk",
        {"optional": True},
    )
    none_ok = model._none_ok("One entry per outsourcee")
    assert (none_ok.default, none_ok.description, none_ok.json_schema_extra) == (
        None,
        "One entry per outsourcee",
        {"none_ok": True},
    )


@pytest.mark.parametrize(
    ("annotation", "kind", "choices", "sub"),
    [
        (str | None, FactKind.TEXT, None, None),
        (Name | None, FactKind.TEXT, None, None),
        (Name, FactKind.TEXT, None, None),
        (dt.date | None, FactKind.DATE, None, None),
        (bool | None, FactKind.BOOL, None, None),
        (int | None, FactKind.INT, None, None),
        (Annotated[int, "constrained"] | None, FactKind.INT, None, None),
        (float, FactKind.NUMBER, None, None),
        (RegistrationKind | None, FactKind.CHOICE, RegistrationKind, None),
        (list[Name] | None, FactKind.TEXT_LIST, None, None),
        (list[ApiUse] | None, FactKind.ENTRIES, None, ApiUse),
        (InquiryDesk | None, FactKind.RECORD, None, InquiryDesk),
    ],
)
def test_the_kind_of_a_fact_follows_its_type(annotation: Any, kind: FactKind, choices: Any, sub: Any) -> None:
    assert model._field_kind(annotation) == (kind, choices, sub)


def test_the_facts_of_the_schema_have_the_kinds_org_set_parses() -> None:
    found = {f.path: (f.kind, f.optional, f.none_ok) for f in model.fact_fields()}
    assert found["eligibility.capital_jpy"] == (FactKind.INT, False, False)
    assert found["eligibility.certifications"] == (FactKind.ENTRIES, False, True)
    assert found["eligibility.certifications.N.expires"] == (FactKind.DATE, True, False)
    assert found["cooperation.notification.N.within_hours"] == (FactKind.NUMBER, False, False)
    assert found["user_protection.inquiry"] == (FactKind.RECORD, False, False)
    assert found["user_protection.inquiry.name"] == (FactKind.TEXT, True, False)
    assert found["service.target_banks"] == (FactKind.TEXT_LIST, False, False)
    assert found["governance.policy_review"][0] == FactKind.CHOICE


def test_a_register_entry_path_finds_the_schema_of_its_field() -> None:
    spec = fact_field("outsourcing.outsourcees.2.name")
    assert spec is not None and (spec.path, spec.kind) == ("outsourcing.outsourcees.N.name", FactKind.TEXT)
    assert fact_field("outsourcing.outsourcees.N.name") is spec
    assert fact_field("outsourcing.outsourcees.2") is None
    assert fact_field("governance") is None
    assert fact_field("governance.nope") is None


def test_entry_paths_are_a_register_and_a_number() -> None:
    assert is_entry_path("outsourcing.outsourcees.1") is True
    assert is_entry_path("cooperation.notification.12") is True
    assert is_entry_path("governance.security_owner.1") is False  # not a register
    assert is_entry_path("outsourcing.outsourcees") is False
    assert is_entry_path("outsourcing.outsourcees.1.name") is False
    assert is_entry_path("nothing.here.1") is False


# --- gaps ----------------------------------------------------------------------------------------------


def test_gaps_name_missing_facts_and_the_missing_details_of_each_entry() -> None:
    facts = _facts()
    missing = facts.missing()
    outsourcing = facts.group_missing("outsourcing")
    assert outsourcing == [
        "outsourcing.policy",
        "outsourcing.outsourcees.1.data",
        "outsourcing.outsourcees.1.access",
        "outsourcing.outsourcees.1.security_requirements",
        "outsourcing.outsourcees.1.audit_rights",
        "outsourcing.outsourcees.1.subcontracting",
        "outsourcing.outsourcees.1.last_review",
        "outsourcing.outsourcees.1.review_result",
        "outsourcing.outsourcees.2.access",
        "outsourcing.outsourcees.2.security_requirements",
        "outsourcing.outsourcees.2.audit_rights",
        "outsourcing.outsourcees.2.subcontracting",
        "outsourcing.outsourcees.2.last_review",
        "outsourcing.outsourcees.2.review_result",
    ]
    assert [p for p in missing if p.startswith("outsourcing.")] == outsourcing
    assert "service.target_banks" in missing  # an empty list is no answer here
    assert "user_protection.inquiry.phone" in missing and "user_protection.inquiry.name" not in missing  # optional
    assert facts.group_missing("eligibility")[:3] == [
        "eligibility.registration_kind",
        "eligibility.registration",
        "eligibility.registered_on",
    ]
    assert "eligibility.staff_count" not in facts.group_missing("eligibility")
    nothing_outsourced = facts.with_value("outsourcing.outsourcees", [])
    assert nothing_outsourced.group_missing("outsourcing") == ["outsourcing.policy"]  # "none" is an answer


# --- reading by path -----------------------------------------------------------------------------------


def test_a_value_is_read_by_its_dotted_path_and_entries_from_one() -> None:
    facts = _facts()
    assert facts.value_at("eligibility.staff_count") == 12
    assert facts.value_at("outsourcing.outsourcees.1") == Outsourcee(name="A 社", service="開発")
    assert facts.value_at("outsourcing.outsourcees.2.data") == "明細"
    assert facts.value_at("user_protection.inquiry") == InquiryDesk(email="help@example.invalid")
    assert facts.value_at("cooperation.incident_contact.phone") is None  # inside a record not given yet
    assert facts.value_at("governance") == facts.governance


@pytest.mark.parametrize(
    "path",
    [
        "outsourcing.outsourcees.3",
        "outsourcing.outsourcees.0",
        "outsourcing.outsourcees.3.name",
        "eligibility.1",
        "governance.nope",
        "cooperation.incident_contact.nope",
        "nope",
    ],
)
def test_a_path_that_names_no_fact_or_entry_is_a_key_error_naming_it(path: str) -> None:
    with pytest.raises(KeyError) as caught:
        _facts().value_at(path)
    assert caught.value.args == (path,)


def test_what_evidence_can_be_about() -> None:
    facts = _facts()
    assert fact_path_exists(facts, "governance") is True
    assert fact_path_exists(facts, "governance.deputy") is True  # a fact not given yet
    assert fact_path_exists(facts, "cooperation.incident_contact.email") is True
    assert fact_path_exists(facts, "outsourcing.outsourcees.2") is True
    assert fact_path_exists(facts, "outsourcing.outsourcees.2.name") is True
    assert fact_path_exists(facts, "outsourcing.outsourcees.3") is False
    assert fact_path_exists(facts, "outsourcing.outsourcees.3.name") is False
    assert fact_path_exists(facts, "governance.nope") is False
    assert fact_path_exists(facts, "nope") is False


# --- writing by path -----------------------------------------------------------------------------------


def test_setting_and_clearing_a_fact_inside_a_record_that_is_not_there_yet() -> None:
    empty = OrganisationFacts()
    phone = empty.with_value("cooperation.incident_contact.phone", "03-0000-0000")
    assert phone.cooperation.incident_contact is not None
    assert phone.cooperation.incident_contact.model_dump() == {"name": None, "email": None, "phone": "03-0000-0000"}
    assert empty.with_value("cooperation.incident_contact.phone", None) == empty
    assert phone.with_value("cooperation.incident_contact.phone", None).cooperation.incident_contact == (
        phone.cooperation.incident_contact.model_copy(update={"phone": None})
    )
    assert empty.with_value("governance.deputy", None) == empty
    assert empty.with_value("eligibility.registered_on", "2024-07-01").eligibility.registered_on == dt.date(2024, 7, 1)


def test_a_register_entry_is_changed_replaced_or_removed_by_its_number() -> None:
    facts = _facts()
    renamed = facts.with_value("outsourcing.outsourcees.2.name", "C 社")
    assert [o.name for o in renamed.outsourcing.outsourcees or []] == ["A 社", "C 社"]
    assert renamed.outsourcing.outsourcees is not None and renamed.outsourcing.outsourcees[1].data == "明細"
    replaced = facts.with_value("outsourcing.outsourcees.1", {"name": "D 社", "service": "監視"})
    assert [(o.name, o.service) for o in replaced.outsourcing.outsourcees or []] == [("D 社", "監視"), ("B 社", "運用")]
    removed = facts.with_value("outsourcing.outsourcees.1", None)
    assert removed.outsourcing.outsourcees == [Outsourcee(name="B 社", service="運用", data="明細")]
    last_removed = facts.with_value("outsourcing.outsourcees.2", None)
    assert last_removed.outsourcing.outsourcees == [Outsourcee(name="A 社", service="開発")]
    group = facts.with_value("governance", {"deputy": "佐藤"})
    assert (group.governance.deputy, group.governance.security_owner) == ("佐藤", None)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("outsourcing.outsourcees.3", {"name": "E 社", "service": "x"}),
        ("outsourcing.outsourcees.0", None),
        ("outsourcing.outsourcees.3.name", "E 社"),
        ("outsourcing.outsourcees.0.name", "E 社"),
        ("governance.nope", "x"),
        ("nope", "x"),
        ("governance.security_owner.1", "x"),
    ],
)
def test_writing_where_there_is_no_fact_or_entry_is_a_key_error_naming_it(path: str, value: Any) -> None:
    with pytest.raises(KeyError) as caught:
        _facts().with_value(path, value)
    assert caught.value.args == (path,)


def test_an_entry_of_an_empty_register_must_be_added_not_set() -> None:
    for path in ("outsourcing.outsourcees.1", "outsourcing.outsourcees.1.name"):
        with pytest.raises(KeyError) as caught:
            OrganisationFacts().with_value(path, {"name": "A 社", "service": "x"} if path.endswith("1") else "A 社")
        assert caught.value.args == (path,)


def test_a_value_that_breaks_a_rule_is_refused() -> None:
    with pytest.raises(ValidationError):
        _facts().with_value("eligibility.staff_count", 0)
    with pytest.raises(ValidationError):
        _facts().with_value("outsourcing.outsourcees.1.audit_rights", "perhaps")
