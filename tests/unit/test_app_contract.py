"""What each use case stores and logs, exactly, and the codes and messages of its refusals (the CLI and the
web app word their messages from these codes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor
from antai.assessment.model import Answer, EvidenceKind, OrganisationFacts, Status
from antai.assessment.rules import AnswerChange, validation_text
from antai.catalog import Catalog
from antai.catalog.schema import Effort
from antai.errors import AntaiError, InvalidChange, NewerFormat, NotFound
from antai.tailoring.profile import Profile, load_profile

NOW = dt.datetime(2026, 12, 1, 3, 0, 59, 123456, tzinfo=dt.UTC)
ACTOR = Actor("tester", NOW)
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def profile() -> Profile:
    return load_profile(Path("example:household-budget"))


@pytest.fixture
def store(catalog: Catalog, profile: Profile) -> MemoryStore:
    memory = MemoryStore()
    usecases.init(memory, catalog, profile, "Contract KK", ACTOR)
    return memory


def last(store: MemoryStore) -> dict[str, Any]:
    return store.history()[-1]


def refused(call: Any, *args: Any, **kwargs: Any) -> AntaiError:
    with pytest.raises(AntaiError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_init_logs_what_was_created(store: MemoryStore, catalog: Catalog) -> None:
    entry = store.history()[0]
    assessment = store.load().assessment
    assert (entry["action"], entry["item"], entry["before"], entry["message"]) == ("init", None, None, None)
    assert entry["after"] == {
        "organisation": "Contract KK",
        "catalog_version": catalog.version,
        "items": len(assessment.answers),
    }
    assert assessment.organisation == OrganisationFacts.model_validate({"eligibility": {"staff_count": 10}})
    assert assessment.acceptances == [] and assessment.evidence == [] and assessment.archive == []
    assert store.read_lock()["catalog_version"] == catalog.version
    assert [i["id"] for i in store.read_lock()["items"]] == [i.id for i in catalog.items]


def test_init_refuses_a_name_that_is_too_long(catalog: Catalog, profile: Profile) -> None:
    error = refused(usecases.init, MemoryStore(), catalog, profile, "x" * 201, ACTOR)
    assert isinstance(error, InvalidChange) and error.code == "rule"
    assert str(error).startswith("organisation: String should have at most 200 characters")


def test_set_logs_before_and_after_and_stores_the_answer(store: MemoryStore, catalog: Catalog) -> None:
    usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED, owner="CTO"))
    entry = last(store)
    assert (entry["action"], entry["item"]) == ("set", "IAM-01")
    assert entry["before"] == {"status": "unanswered", "review": False}
    assert entry["after"] == {"status": "implemented", "owner": "CTO", "review": False, "updated": "2026-12-01"}
    assert entry["at"] == "2026-12-01T03:00:59+00:00" and entry["who"] == "tester"
    assert store.load().assessment.answers["IAM-01"] == Answer(status=Status.IMPLEMENTED, owner="CTO", updated=TODAY)
    assert list(store.load().assessment.answers) == [i for i in catalog.ids if i in store.load().assessment.answers]


def test_set_with_a_decision_logs_it(store: MemoryStore, catalog: Catalog) -> None:
    change = AnswerChange(status=Status.NOT_APPLICABLE, reason="r", approver="CEO", expires=dt.date(2027, 1, 1))
    usecases.set_answer(store, catalog, ACTOR, "DAT-06", change)
    assert last(store)["after"]["decision"] == {
        "item": "DAT-06",
        "kind": "not_applicable",
        "rationale": "r",
        "approver": "CEO",
        "decided": "2026-12-01",
        "expires": "2027-01-01",
    }
    assert len(store.load().assessment.acceptances) == 1


def test_accept_stores_the_answer_and_the_decision_and_logs_both(store: MemoryStore, catalog: Catalog) -> None:
    change = AnswerChange(status=Status.PARTIAL, owner="CTO", due=dt.date(2027, 3, 31))
    usecases.set_answer(store, catalog, ACTOR, "ASR-04", change)
    usecases.accept(store, catalog, ACTOR, "ASR-04", "small team", "CEO", dt.date(2027, 12, 31))
    entry = last(store)
    assert (entry["action"], entry["item"]) == ("accept", "ASR-04")
    assert entry["before"] == {
        "status": "partial",
        "owner": "CTO",
        "due": "2027-03-31",
        "review": False,
        "updated": "2026-12-01",
    }
    assert entry["after"] == {
        "item": "ASR-04",
        "kind": "risk_acceptance",
        "rationale": "small team",
        "approver": "CEO",
        "decided": "2026-12-01",
        "expires": "2027-12-31",
    }
    stored = store.load().assessment
    assert stored.answers["ASR-04"] == Answer(status=Status.RISK_ACCEPTED, owner="CTO", updated=TODAY)
    assert [a.rationale for a in stored.acceptances] == ["small team"]
    usecases.accept(store, catalog, ACTOR, "ASR-04", "renewed", "CEO", dt.date(2028, 12, 31), dt.date(2026, 12, 2))
    assert [a.rationale for a in store.load().assessment.acceptances] == ["small team", "renewed"]
    assert store.load().assessment.acceptance_for("ASR-04").rationale == "renewed"  # type: ignore[union-attr]


def test_evidence_logs_the_record(store: MemoryStore, catalog: Catalog, tmp_path: Path) -> None:
    source = tmp_path / "a b?.csv"
    source.write_bytes(b"root,mfa\n")
    record = usecases.add_evidence(store, catalog, ACTOR, "IAM-01", source, note="from IAM")
    assert (record.added_at, record.effective_from, record.expires) == (
        dt.datetime(2026, 12, 1, 3, 0, 59, tzinfo=dt.UTC),
        TODAY,
        dt.date(2027, 12, 1),
    )
    assert (record.kind, record.name, record.path, record.note) == (
        EvidenceKind.FILE,
        "a b?.csv",
        "evidence/files/E0001-a_b_.csv",
        "from IAM",
    )
    entry = last(store)
    assert (entry["action"], entry["item"], entry["before"]) == ("evidence", "IAM-01", None)
    assert entry["after"]["id"] == "E0001" and entry["after"]["sha256"] == record.sha256
    link = usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://example.com/a", expires=dt.date(2027, 1, 1))
    assert (link.id, link.kind, link.url, link.name, link.expires) == (
        "E0002",
        EvidenceKind.URL,
        "https://example.com/a",
        "https://example.com/a",
        dt.date(2027, 1, 1),
    )
    assert [e.id for e in store.load().assessment.evidence] == ["E0001", "E0002"]


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("report.pdf", "report.pdf"),
        ("..hidden", "hidden"),
        ("日本語.txt", "txt"),
        ("...", "evidence"),
        ("a" * 90, "a" * 80),
    ],
)
def test_stored_names_are_plain(store: MemoryStore, catalog: Catalog, tmp_path: Path, name: str, stored: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"x")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", source).path == f"evidence/files/E0001-{stored}"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/x", True),
        ("http://example.com", True),
        ("ftp://example.com/x", False),
        ("https:///nohost", False),
        ("https://example.com/a b", False),
        ("https://example.com/'", False),
        ("https://example.com/<", False),
        ("https://example.com/`", False),
        ("https://example.com/" + "a" * 2000, False),
    ],
)
def test_links(store: MemoryStore, catalog: Catalog, url: str, ok: bool) -> None:
    if ok:
        assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", url).url == url
    else:
        error = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", url)
        assert error.code == "bad_url"


def test_evidence_refusals_say_why(store: MemoryStore, catalog: Catalog, tmp_path: Path) -> None:
    missing = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", tmp_path / "none.txt")
    assert isinstance(missing, NotFound) and missing.code == "no_file"
    assert str(missing) == f"{tmp_path / 'none.txt'}: cannot read it (No such file or directory)"
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert str(refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", empty)) == (
        f"{empty}: the file is empty (or a virtual file such as /proc)"
    )
    future = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", "https://e.com", dt.date(2026, 12, 2))
    assert str(future) == "the effective date 2026-12-02 is in the future: evidence shows a state that exists"
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://e.com", TODAY).effective_from == TODAY
    backwards = refused(
        usecases.add_evidence, store, catalog, ACTOR, "IAM-01", "https://e.com", TODAY, dt.date(2026, 11, 30)
    )
    assert backwards.code == "rule" and "evidence cannot expire before it is effective" in str(backwards)


def test_big_files_are_refused(store: MemoryStore, catalog: Catalog, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(usecases, "MAX_EVIDENCE_BYTES", 4)
    source = tmp_path / "five"
    source.write_bytes(b"12345")
    error = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", source)
    assert error.code == "too_big" and str(error) == f"{source}: 5 bytes is over the 4-byte limit for evidence"
    source.write_bytes(b"1234")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", source).id == "E0001"


def test_withdraw_logs_and_refuses(store: MemoryStore, catalog: Catalog) -> None:
    added = usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://example.com/a")
    usecases.withdraw_evidence(store, catalog, ACTOR, " e0001 ", "superseded by E0002")
    entry = last(store)
    assert (entry["action"], entry["item"]) == ("evidence-withdraw", "IAM-01")
    assert entry["before"] == added.model_dump(mode="json", exclude_none=True)
    assert entry["after"] == {"id": "E0001", "withdrawn_reason": "superseded by E0002"}
    stored = store.load().assessment.evidence[0]
    assert (stored.withdrawn, stored.withdrawn_by, stored.withdrawn_reason) == (TODAY, "tester", "superseded by E0002")
    again = refused(usecases.withdraw_evidence, store, catalog, ACTOR, "E0001", "x")
    assert again.code == "withdrawn" and str(again) == "E0001 was already withdrawn on 2026-12-01"
    unknown = refused(usecases.withdraw_evidence, store, catalog, ACTOR, "E0009", "x")
    assert unknown.code == "unknown_evidence" and str(unknown) == "no evidence E0009 (see `antai evidence list`)"
    usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://example.com/b")
    blank = refused(usecases.withdraw_evidence, store, catalog, ACTOR, "E0002", "   ")
    assert blank.code == "rule" and str(blank).startswith("withdrawn_reason: String should have at least 1 character")


def test_organisation_logs_only_what_changed(store: MemoryStore, catalog: Catalog) -> None:
    contact = {"name": "CSIRT", "email": "csirt@example.com"}
    usecases.set_organisation(
        store, catalog, ACTOR, {"cooperation.incident_contact": contact, "governance.policy_approved": "2026-04-01"}
    )
    entry = last(store)
    assert (entry["action"], entry["item"]) == ("organisation", None)
    assert entry["before"] == {"cooperation.incident_contact": None, "governance.policy_approved": None}
    assert entry["after"] == {"cooperation.incident_contact": contact, "governance.policy_approved": "2026-04-01"}
    # the flat names of format 2 are logged by their dotted paths
    usecases.set_organisation(store, catalog, ACTOR, {"outsourcees": [{"name": "DevCo", "service": "app"}]})
    assert last(store)["after"] == {"outsourcing.outsourcees": [{"name": "DevCo", "service": "app"}]}
    usecases.set_organisation(store, catalog, ACTOR, {"cooperation.incident_contact": None})
    facts = store.load().assessment.organisation
    assert facts.cooperation.incident_contact is None and facts.governance.policy_approved == dt.date(2026, 4, 1)
    unknown = refused(usecases.set_organisation, store, catalog, ACTOR, {"security_officer": "x", "zz": 1})
    assert unknown.code == "unknown_fact" and unknown.params == {"facts": ["security_officer", "zz"]}
    assert str(unknown) == "unknown organisation fact(s): security_officer, zz"
    bad = refused(usecases.set_organisation, store, catalog, ACTOR, {"staff_count": 0})
    assert bad.code == "rule" and str(bad) == "eligibility.staff_count: Input should be greater than or equal to 1"


def test_refusal_codes_and_messages(store: MemoryStore, catalog: Catalog) -> None:
    unknown = refused(usecases.set_answer, store, catalog, ACTOR, "NOPE-01", AnswerChange(status=Status.PARTIAL))
    assert isinstance(unknown, NotFound) and str(unknown) == "no item NOPE-01 (see `antai items`)"
    outside = refused(usecases.accept, store, catalog, ACTOR, "IOC-01", "r", "a", dt.date(2027, 1, 1))
    assert outside.code == "not_in_plan" and outside.params == {"item": "IOC-01"}
    assert str(outside) == (
        "IOC-01 does not apply to this service's profile (see `antai plan --profile profile.yaml` in the workspace)"
    )
    use_accept = refused(
        usecases.set_answer, store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.RISK_ACCEPTED)
    )
    assert use_accept.params == {"item": "IAM-01"}
    planned = refused(usecases.set_answer, store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.PLANNED))
    assert str(planned) == "IAM-01: a planned item needs a due date (due: YYYY-MM-DD)"


def test_validation_text_names_the_field() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as nested:
        OrganisationFacts.model_validate({"cooperation": {"incident_contact": {"name": ""}}})
    assert validation_text(nested.value) == "cooperation.incident_contact.name: String should have at least 1 character"
    with pytest.raises(ValidationError) as whole:
        Answer.model_validate({"status": "planned"})
    assert validation_text(whole.value) == "a planned item needs a due date (due: YYYY-MM-DD)"


def _newer(catalog: Catalog, version: str) -> Catalog:
    return dataclasses.replace(catalog, meta=catalog.meta.model_copy(update={"version": version}))


HIGH_EFFORT = (10.0, 25.0)  # person-days of a high-effort item: an edit that changes what the item costs


def test_catalog_gate_messages(store: MemoryStore, catalog: Catalog) -> None:
    change = AnswerChange(status=Status.PARTIAL, due=dt.date(2027, 3, 31))
    stale = refused(usecases.set_answer, store, _newer(catalog, "0.3.0"), ACTOR, "IAM-01", change)
    assert stale.code == "needs_upgrade" and stale.params == {"pinned": catalog.version, "available": "0.3.0"}
    usecases.upgrade(store, _newer(catalog, "0.10.0"), ACTOR)
    newer = refused(usecases.set_answer, store, _newer(catalog, "0.9.0"), ACTOR, "IAM-01", change)
    assert isinstance(newer, NewerFormat) and newer.params == {"pinned": "0.10.0", "available": "0.9.0"}
    assert usecases.version_tuple("0.10.0") > usecases.version_tuple("0.9.0")
    same = usecases.upgrade(store, _newer(catalog, "0.10.0"), ACTOR)
    assert same.unchanged and len(store.history()) == 2


def test_upgrade_logs_the_reconciliation(store: MemoryStore, catalog: Catalog) -> None:
    usecases.set_answer(store, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.IMPLEMENTED))
    newer = dataclasses.replace(
        catalog,
        meta=catalog.meta.model_copy(update={"version": "0.3.0"}),
        items=tuple(i for i in catalog.items if i.id not in ("IAM-09", "IAM-08")),
    )
    result = usecases.upgrade(store, newer, ACTOR)
    entry = last(store)
    assert (entry["action"], entry["item"]) == ("upgrade", None)
    assert entry["before"] == {"catalog_version": catalog.version, "format": 3}
    assert entry["after"]["catalog_version"] == "0.3.0" and entry["after"]["archived"] == ["IAM-09"]
    assert "IAM-08" in entry["after"]["dropped"] and result.archived == ["IAM-09"]
    assert store.read_lock()["catalog_version"] == "0.3.0"
    assert store.load().assessment.meta.catalog_version == "0.3.0"


def test_a_changed_item_is_flagged_for_review_only_when_answered(store: MemoryStore, catalog: Catalog) -> None:
    usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert {catalog.item(i).effort for i in ("IAM-01", "IAM-02")} == {Effort.LOW}  # type: ignore[union-attr]
    edited = [
        i.model_copy(update={"effort_days": HIGH_EFFORT}) if i.id in ("IAM-01", "IAM-02") else i for i in catalog.items
    ]
    newer = dataclasses.replace(catalog, meta=catalog.meta.model_copy(update={"version": "0.3.0"}), items=tuple(edited))
    result = usecases.upgrade(store, newer, ACTOR)
    assert result.review == ["IAM-01"] and result.added == [] and not result.unchanged
    answers = store.load().assessment.answers
    assert answers["IAM-01"].review and not answers["IAM-02"].review


def test_profile_change_logs_the_changed_keys(store: MemoryStore, catalog: Catalog, profile: Profile) -> None:
    more = Profile.model_validate({**profile.model_dump(mode="json"), "users": 5_000_000})
    usecases.change_profile(store, catalog, ACTOR, more)
    entry = last(store)
    assert (entry["action"], entry["before"]) == ("profile", {"users": profile.users})
    assert entry["after"]["users"] == 5_000_000 and set(entry["after"]) >= {"added", "archived", "restored"}
    assert store.load().assessment.profile == more


def test_record_needs_a_message(store: MemoryStore, catalog: Catalog) -> None:
    error = refused(usecases.record, store, catalog, ACTOR, "  ")
    assert error.code == "no_message" and str(error) == "say what was edited and why (-m MESSAGE)"
    nothing = refused(usecases.record, store, catalog, ACTOR, "m")
    assert nothing.code == "nothing"


def test_record_refuses_an_assessment_that_breaks_its_rules(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Part

    answers = dict(store.parts[Part.ANSWERS])
    answers["IAM-01"] = Answer(status=Status.RISK_ACCEPTED)
    store.parts[Part.ANSWERS] = answers
    error = refused(usecases.record, store, catalog, ACTOR, "hand edit")
    assert isinstance(error, usecases.InvalidAssessment) and [i.code for i in error.issues] == ["no_decision"]
    assert str(error) == "1 problem(s) in the assessment"
    answers["IAM-01"] = Answer(status=Status.IMPLEMENTED)
    entry = usecases.record(store, catalog, ACTOR, " hand edit ")
    assert entry == {"files": ["answers"]}
    assert (last(store)["action"], last(store)["message"]) == ("record", "hand edit")


def test_control_characters_never_reach_a_file(store: MemoryStore, catalog: Catalog, tmp_path: Path) -> None:
    for text in ("title\x1b]0;PWNED\x07", "line\rfeed", "nul\x00"):
        error = refused(usecases.set_answer, store, catalog, ACTOR, "IAM-01", AnswerChange(owner="CTO", note=text))
        assert error.code == "rule" and "String should match pattern" in str(error)
    kept = usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(note="two\nlines\tand a tab"))
    assert kept.after.note == "two\nlines\tand a tab"
    assert refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", "https://e.com/\x1b[31m").code == "bad_url"
    odd = tmp_path / "report\x1b[2J.csv"
    odd.write_bytes(b"x")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", odd).name == "report[2J.csv"


def test_record_joins_the_branches_of_a_merged_history(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.history import Head, check_chain, new_entry

    usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    base = Head.of(store.history()[0])
    other = new_entry(base, at="2026-12-01T04:00:00+00:00", who="bob", action="set", state=base.state, item="LOG-01")
    store.entries.append(other)  # what git's union merge leaves: a second branch from the first entry
    assert len(check_chain(store.history()).heads) == 2
    assert [str(n) for n in usecases.repair(store).remaining] == [
        "the history has 2 branches from a git merge: check the files with `antai validate`, "
        'then join them with `antai record -m "merge …"`',
        # bob's branch never saw IAM-01 change
        "answers changed outside antai: check with `antai validate`, then `antai record -m …` (or undo the edit "
        "with git)",
    ]
    after = usecases.record(store, catalog, ACTOR, "merge bob")
    assert after == {"files": ["answers"], "branches_joined": 2}
    entry = store.history()[-1]
    assert entry["merge"] and entry["action"] == "record" and check_chain(store.history()).ok
    error = refused(usecases.record, store, catalog, ACTOR, "again")
    assert str(error) == "nothing to record: every part matches the last recorded change"


def test_profile_change_reports_both_plans_and_dates_the_archive(
    store: MemoryStore, catalog: Catalog, profile: Profile
) -> None:
    web = Profile.model_validate({**profile.model_dump(mode="json"), "channels": [*profile.channels, "web"]})
    change = usecases.change_profile(store, catalog, ACTOR, web)
    assert "CYB-03" not in change.before.ids and "CYB-03" in change.after.ids
    assert len(change.after.items) - len(change.before.items) == len(change.reconciliation.added)
    usecases.set_answer(store, catalog, ACTOR, "CYB-03", AnswerChange(status=Status.IMPLEMENTED))
    usecases.change_profile(store, catalog, ACTOR, profile)
    archived = store.load().assessment.archive[0]
    assert (archived.item, archived.archived, archived.removed_in) == ("CYB-03", TODAY, catalog.version)
    unchanged = refused(usecases.change_profile, store, catalog, ACTOR, profile)
    assert unchanged.code == "unchanged" and str(unchanged) == "the profile is unchanged"


def test_accept_refuses_an_expiry_that_is_not_after_the_decision(store: MemoryStore, catalog: Catalog) -> None:
    error = refused(usecases.accept, store, catalog, ACTOR, "ASR-04", "r", "CEO", TODAY)
    assert error.code == "rule" and error.params == {"item": "ASR-04"}
    assert str(error) == "ASR-04: a decision must expire after the date it was made"


def test_file_names_and_link_lengths(store: MemoryStore, catalog: Catalog, tmp_path: Path) -> None:
    upper = tmp_path / "Report.PDF"
    upper.write_bytes(b"x")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", upper).path == "evidence/files/E0001-Report.PDF"
    ex = tmp_path / "X.txt"
    ex.write_bytes(b"x")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", ex).path == "evidence/files/E0002-X.txt"
    long_name = tmp_path / ("n" * 210)
    long_name.write_bytes(b"x")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", long_name).name == "n" * 200
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "HTTPS://EXAMPLE.COM/A").kind == EvidenceKind.URL
    longest = "https://example.com/" + "a" * (2000 - len("https://example.com/"))
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", longest).url == longest
    too_long = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", longest + "a")
    assert str(too_long) == "a link of more than 2,000 characters cannot be evidence"
    scheme = refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", "ftp://" + "x" * 300)
    assert str(scheme) == "ftp://" + "x" * 194 + ": only plain http(s) links can be evidence"


def test_link_and_folder_refusals_name_the_source(store: MemoryStore, catalog: Catalog, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"x")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert str(refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", link)) == (
        f"{link}: is a symbolic link; give the file itself"
    )
    assert str(refused(usecases.add_evidence, store, catalog, ACTOR, "IAM-01", tmp_path)) == (
        f"{tmp_path}: not a regular file (give a file or an http(s) URL)"
    )


def test_evidence_numbers_continue_past_a_thousand(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Part

    first = usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://example.com/a")
    store.parts[Part.EVIDENCE] = [first.model_copy(update={"id": "E1234"})]
    usecases.record(store, catalog, ACTOR, "renumbered by hand")
    assert usecases.add_evidence(store, catalog, ACTOR, "IAM-01", "https://example.com/b").id == "E1235"


def test_evidence_validation_errors_name_the_item(store: MemoryStore, catalog: Catalog) -> None:
    error = refused(
        usecases.add_evidence, store, catalog, ACTOR, "IAM-01", "https://e.com", TODAY, dt.date(2026, 11, 1)
    )
    assert error.code == "rule" and error.params == {"item": "IAM-01"}


def test_organisation_logs_the_previous_value(store: MemoryStore, catalog: Catalog) -> None:
    usecases.set_organisation(store, catalog, ACTOR, {"governance.security_owner": "CTO Tanaka"})
    usecases.set_organisation(store, catalog, ACTOR, {"governance.security_owner": "CISO Suzuki"})
    entry = last(store)
    assert (entry["before"], entry["after"]) == (
        {"governance.security_owner": "CTO Tanaka"},
        {"governance.security_owner": "CISO Suzuki"},
    )


def test_upgrade_archives_with_the_old_title_and_logs_every_list(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.model import ArchiveCause, WorkspaceMeta
    from antai.assessment.state import Part

    usecases.set_answer(store, catalog, ACTOR, "IAM-09", AnswerChange(status=Status.IMPLEMENTED))
    meta: WorkspaceMeta = store.parts[Part.META]
    store.parts[Part.META] = meta.model_copy(update={"format": 1})  # a workspace from antai 0.1
    usecases.record(store, catalog, ACTOR, "as antai 0.1 left it")
    old_title = catalog.item("IAM-09").title.en  # type: ignore[union-attr]
    newer = dataclasses.replace(
        catalog,
        meta=catalog.meta.model_copy(update={"version": "0.3.0"}),
        items=tuple(i for i in catalog.items if i.id != "IAM-09"),
    )
    result = usecases.upgrade(store, newer, ACTOR)
    assert (result.old_version, result.new_version) == (catalog.version, "0.3.0")
    archived = store.load().assessment.archive[0]
    assert (archived.title, archived.cause, archived.archived) == (old_title, ArchiveCause.CATALOG, TODAY)
    entry = last(store)
    assert entry["before"] == {"catalog_version": catalog.version, "format": 1}
    assert {k: entry["after"][k] for k in ("format", "review", "added", "restored")} == {
        "format": 3,
        "review": [],
        "added": [],
        "restored": [],
    }
    assert store.load().assessment.meta.format == 3


def test_an_old_format_is_upgraded_even_on_the_same_catalog(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Part

    store.parts[Part.META] = store.parts[Part.META].model_copy(update={"format": 1})
    usecases.record(store, catalog, ACTOR, "old format")
    result = usecases.upgrade(store, catalog, ACTOR)
    assert not result.unchanged and store.load().assessment.meta.format == 3
    assert usecases.upgrade(store, catalog, ACTOR).unchanged


def test_upgrade_of_a_workspace_without_a_catalog_lock_treats_every_item_as_new(
    store: MemoryStore, catalog: Catalog
) -> None:
    from antai.assessment.state import Part

    del store.parts[Part.LOCK]
    usecases.record(store, catalog, ACTOR, "lock lost")
    result = usecases.upgrade(store, _newer(catalog, "0.3.0"), ACTOR)
    assert result.review == [] and store.read_lock()["catalog_version"] == "0.3.0"


def test_a_newer_pinned_catalog_refuses_the_upgrade_with_its_versions(store: MemoryStore, catalog: Catalog) -> None:
    usecases.upgrade(store, _newer(catalog, "0.4.0"), ACTOR)
    error = refused(usecases.upgrade, store, _newer(catalog, "0.3.0"), ACTOR)
    assert isinstance(error, NewerFormat) and error.params == {"pinned": "0.4.0", "available": "0.3.0"}
    assert str(error) == (
        "the workspace pins catalog 0.4.0, newer than this antai's 0.3.0: install a newer antai "
        "(an upgrade never downgrades)"
    )


def test_invalid_assessment_counts_its_issues(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Issue, Part

    error = usecases.InvalidAssessment([Issue(Part.ANSWERS, (), "missing_answers", {"count": 1, "items": "X"})] * 2)
    assert error.params == {"count": 2} and error.code == "invalid_assessment"


def test_repair_discard_rolls_an_interrupted_change_back(tmp_path: Path, catalog: Catalog, profile: Profile) -> None:
    import json

    from antai.workspace.store import FileStore

    store = FileStore(tmp_path / "ws")
    usecases.init(store, catalog, profile, "Repair KK", ACTOR)
    staged = store.path(".antai/staging/abc-0")
    staged.write_text("answers: {}\n", encoding="utf-8")
    entry = dict(store.tail() or {}, seq=2, action="set", item="IAM-01")
    journal = {
        "journal": 1,
        "tx": "abc",
        "entry": entry,
        "files": [{"target": "answers.yaml", "staged": ".antai/staging/abc-0", "digest": "0", "kind": "text"}],
    }
    store.path(".antai/journal.json").write_text(json.dumps(journal), encoding="utf-8")
    report = usecases.repair(store, discard=True)
    assert [str(n) for n in report.rolled_back] == ["set IAM-01"] and report.completed == []
    assert "abc-0" in " ".join(report.removed) and not store.path(".antai/journal.json").exists()
    assert len(store.history()) == 1 and store.load().assessment.answers  # answers.yaml untouched


class FlakyStore(MemoryStore):
    """Another writer commits first, ``conflicts`` times (as two web requests can race)."""

    def __init__(self, conflicts: int) -> None:
        super().__init__()
        self.conflicts = conflicts

    def commit(self, change: Any, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        if self.conflicts and change.action != "init":
            self.conflicts -= 1
            from antai.errors import Conflict

            raise Conflict("someone else was faster")
        return super().commit(change, expected_version=expected_version, actor=actor)


def test_a_conflict_is_retried_and_then_reported(catalog: Catalog, profile: Profile) -> None:
    from antai.errors import Conflict

    racing = FlakyStore(conflicts=3)
    usecases.init(racing, catalog, profile, "Race KK", ACTOR)
    usecases.set_answer(racing, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert racing.conflicts == 0 and racing.load().assessment.answers["IAM-01"].status == Status.IMPLEMENTED
    hopeless = FlakyStore(conflicts=10_000)
    usecases.init(hopeless, catalog, profile, "Race KK", ACTOR)
    with pytest.raises(Conflict) as gave_up:
        usecases.set_answer(hopeless, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert gave_up.value.code == "conflict" and hopeless.conflicts == 10_000 - 20
    assert str(gave_up.value) == "the assessment kept changing while this change was made; try again"


def test_format_and_catalog_gates_say_what_to_do(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Part

    error = refused(usecases.set_answer, store, _newer(catalog, "0.3.0"), ACTOR, "IAM-01", AnswerChange(note="n"))
    assert (
        str(error) == f"the workspace pins catalog {catalog.version}; this antai has 0.3.0: run `antai upgrade` first"
    )
    usecases.upgrade(store, _newer(catalog, "0.4.0"), ACTOR)
    newer = refused(usecases.set_answer, store, _newer(catalog, "0.3.0"), ACTOR, "IAM-01", AnswerChange(note="n"))
    assert str(newer) == (
        "the workspace pins catalog 0.4.0, newer than this antai's 0.3.0: install a newer antai "
        "(never downgrade a workspace)"
    )
    store.parts[Part.META] = store.parts[Part.META].model_copy(update={"format": 4})
    future = refused(usecases.upgrade, store, _newer(catalog, "0.4.0"), ACTOR)
    assert isinstance(future, NewerFormat) and future.params == {"found": 4, "supported": 3}
    assert str(future) == (
        "this workspace has format 4, written by a newer antai (this one writes format 3): install a newer antai"
    )


def test_answers_of_items_outside_the_catalog_go_last_in_id_order(catalog: Catalog) -> None:
    ordered = usecases.ordered_answers(
        catalog, {"ZZ-02": Answer(), "IAM-02": Answer(), "ZZ-01": Answer(), "IAM-01": Answer()}
    )
    assert list(ordered) == ["IAM-01", "IAM-02", "ZZ-01", "ZZ-02"]


def test_init_refuses_a_second_assessment_in_words(store: MemoryStore, catalog: Catalog, profile: Profile) -> None:
    assert str(refused(usecases.init, store, catalog, profile, "X", ACTOR)) == "there is already an assessment here"


def test_profile_change_archives_under_the_item_title(store: MemoryStore, catalog: Catalog, profile: Profile) -> None:
    web = Profile.model_validate({**profile.model_dump(mode="json"), "channels": [*profile.channels, "web"]})
    usecases.change_profile(store, catalog, ACTOR, web)
    usecases.set_answer(store, catalog, ACTOR, "CYB-03", AnswerChange(status=Status.IMPLEMENTED))
    usecases.change_profile(store, catalog, ACTOR, profile)
    assert store.load().assessment.archive[0].title == catalog.item("CYB-03").title.en  # type: ignore[union-attr]


def test_a_changed_item_outside_the_plan_is_not_flagged(store: MemoryStore, catalog: Catalog) -> None:
    edited = [i.model_copy(update={"effort_days": HIGH_EFFORT}) if i.id == "IOC-01" else i for i in catalog.items]
    newer = dataclasses.replace(catalog, meta=catalog.meta.model_copy(update={"version": "0.3.0"}), items=tuple(edited))
    assert usecases.upgrade(store, newer, ACTOR).review == []


def test_record_joins_branches_even_when_the_files_match(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.history import Head, check_chain, new_entry

    base = Head.of(store.history()[0])
    ours = new_entry(base, at="2026-12-01T04:00:00+00:00", who="alice", action="record", state=base.state, message="a")
    twin = new_entry(base, at="2026-12-01T04:00:00+00:00", who="bob", action="record", state=base.state, message="b")
    store.entries.extend([ours, twin])  # the same state on both branches: nothing unrecorded, yet two heads
    assert not store.load().unrecorded and len(check_chain(store.history()).heads) == 2
    assert usecases.record(store, catalog, ACTOR, "merge") == {"files": [], "branches_joined": 2}
    assert check_chain(store.history()).ok


def test_record_brings_back_entries_a_hand_edit_removed(store: MemoryStore, catalog: Catalog) -> None:
    from antai.assessment.state import Part

    answers = dict(store.parts[Part.ANSWERS])
    del answers["DAT-05"]
    store.parts[Part.ANSWERS] = answers
    after = usecases.record(store, catalog, ACTOR, "removed an entry by mistake")
    assert after == {"files": ["answers"], "added": ["DAT-05"]}
    restored = store.load().assessment.answers
    assert restored["DAT-05"] == Answer() and list(restored) == [i for i in catalog.ids if i in restored]
