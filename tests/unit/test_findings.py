"""Findings and automated evidence in the core: the verdict per item, recording a scan over both stores,
and the contradicted and stale flags (the CLI side: tests/test_automated_evidence.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor, AssessmentStore
from antai.app.scans import record_scan
from antai.assessment.findings import FailOn, Finding, FindingStatus, ScanRun, Severity, Tally, ToolInfo, worst
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.errors import InvalidChange
from antai.scoring.score import score
from antai.tailoring.plan import make_plan
from antai.tailoring.profile import load_profile
from antai.workspace.store import FileStore

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # noon in Tokyo
ACTOR = Actor("ci", NOW)
ACCOUNT = "AWS 123456789012 ap-northeast-1"
P, F, E, NA = FindingStatus.PASS, FindingStatus.FAIL, FindingStatus.ERROR, FindingStatus.NOT_APPLICABLE


def finding(check: str, status: FindingStatus, *items: str, resource: str = "arn:aws:iam::123456789012:root",
            severity: Severity = Severity.MEDIUM) -> Finding:  # fmt: skip
    return Finding(check, status, resource, items, severity)


def aws_run(*findings: Finding, hours_ago: float = 1, target: str = ACCOUNT) -> ScanRun:
    run = ScanRun(ToolInfo("antai", "0.1.0"), target, NOW - dt.timedelta(hours=hours_ago), findings=[])
    for f in findings:
        run.add(f)
    return run


def raw_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"raw-{abs(hash(text))}.json"
    path.write_text(text, encoding="utf-8")
    return path


# --- the verdict of many findings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ((P, P), P),
        ((P, F), F),
        ((P, E), E),  # an error is never a pass
        ((E, F), F),  # a failure is worse than not being able to look
        ((NA, P), P),
        ((NA, NA), NA),
        ((NA, E), E),
        ((), None),
    ],
)
def test_the_worst_finding_decides(statuses: tuple[FindingStatus, ...], verdict: FindingStatus | None) -> None:
    assert worst(statuses) == verdict
    if statuses:
        tally = Tally().extend(finding(f"c{n}", s, "IAM-01") for n, s in enumerate(statuses))
        assert tally.items["IAM-01"].result == verdict


def test_a_tally_counts_per_item_names_failing_checks_and_keeps_unmapped_rules() -> None:
    tally = Tally().extend(
        [
            finding("root_mfa", F, "IAM-01", "IAM-02", severity=Severity.CRITICAL),
            finding("user_mfa", F, "IAM-02", resource="arn:aws:iam::1:user/a", severity=Severity.HIGH),
            finding("user_mfa", F, "IAM-02", resource="arn:aws:iam::1:user/b", severity=Severity.HIGH),
            finding("user_mfa", P, "IAM-02", resource="arn:aws:iam::1:user/c"),
            finding("billing_alarm", F),  # not in any mapping table
            finding("billing_alarm", P),
        ]
    )
    assert tally.totals == {P: 2, F: 4, E: 0, NA: 0}
    iam02 = tally.items["IAM-02"]
    assert (iam02.passed, iam02.failed, iam02.errors) == (1, 3, 0)
    assert iam02.checks["user_mfa"].resources == 2
    assert iam02.checks["user_mfa"].example == "arn:aws:iam::1:user/a"
    assert iam02.worst_severity == Severity.CRITICAL
    assert tally.unmapped == {"billing_alarm": 2}
    assert sorted(tally.items) == ["IAM-01", "IAM-02"]


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [(None, False), (FailOn.CRITICAL, False), (FailOn.HIGH, True), (FailOn.MEDIUM, True), (FailOn.LOW, True)],
)
def test_the_ci_gate_fails_at_the_severity_asked_for(threshold: FailOn | None, fails: bool) -> None:
    tally = Tally().extend(
        [
            finding("a", F, "IAM-02", severity=Severity.HIGH),
            finding("b", P, "IAM-01", severity=Severity.CRITICAL),  # passing criticals do not fail the gate
            finding("c", E, "DAT-06", severity=Severity.CRITICAL),  # nor do errors
        ]
    )
    assert tally.fails_at(threshold) is fails


# --- recording a scan ----------------------------------------------------------------------------------


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path, catalog: Catalog) -> AssessmentStore:
    made: AssessmentStore = MemoryStore() if request.param == "memory" else FileStore(tmp_path / "ws")
    usecases.init(made, catalog, load_profile(Path("example:household-budget")), "Test KK", ACTOR)
    return made


def evidence(store: AssessmentStore) -> list:  # type: ignore[type-arg]
    with store.locked():
        return store.load().assessment.evidence


def test_a_scan_becomes_evidence_on_each_applicable_item_dated_by_the_scan(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    run = aws_run(
        finding("root_mfa", F, "IAM-01", "IAM-02", severity=Severity.CRITICAL),
        finding("s3_block", P, "DAT-06", resource="arn:aws:s3:::logs"),
        finding("card_data", P, "DAT-08"),  # the household-budget profile does not select DAT-08 (card data)
        hours_ago=20,  # 2026-11-30 07:00 UTC = 16:00 in Tokyo: the evidence is dated by the scan, not today
    )
    raw = raw_file(tmp_path, '{"scan": 1}')
    done = record_scan(store, catalog, ACTOR, run, raw)
    assert [(r.id, r.item) for r in done.records] == [("E0001", "DAT-06"), ("E0002", "IAM-01"), ("E0003", "IAM-02")]
    assert done.outside_plan == ("DAT-08",)
    assert done.results == {"DAT-06": P, "IAM-01": F, "IAM-02": F}
    records = evidence(store)
    assert {r.path for r in records} == {"evidence/files/E0001-raw-" + raw.name.removeprefix("raw-")}
    iam01 = records[1]
    assert iam01.effective_from == dt.date(2026, 11, 30)
    assert iam01.expires == dt.date(2026, 12, 30)  # 30 days: automated evidence goes stale quickly
    assert iam01.scan is not None
    assert (iam01.scan.tool, iam01.scan.target, iam01.scan.result) == ("antai", ACCOUNT, F)
    assert iam01.scan.observed_at == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)
    assert [(c.check, c.severity, c.resources) for c in iam01.scan.checks] == [("root_mfa", Severity.CRITICAL, 1)]
    entry = store.history()[-1]
    assert entry["action"] == "scan"
    assert entry["after"]["results"] == {"DAT-06": "pass", "IAM-01": "fail", "IAM-02": "fail"}
    assert entry["after"]["evidence"] == ["E0001", "E0002", "E0003"]


def test_the_same_output_is_never_recorded_twice(store: AssessmentStore, catalog: Catalog, tmp_path: Path) -> None:
    raw = raw_file(tmp_path, '{"same": true}')
    record_scan(store, catalog, ACTOR, aws_run(finding("s3_block", P, "DAT-06")), raw)
    entries = len(store.history())
    again = record_scan(store, catalog, ACTOR, aws_run(finding("s3_block", P, "DAT-06")), raw)
    assert again.records == () and again.duplicate_of == ("E0001",)
    assert len(store.history()) == entries


def test_a_newer_scan_of_the_same_source_replaces_the_last_and_other_sources_stay(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    record_scan(store, catalog, ACTOR, aws_run(finding("s3_block", F, "DAT-06"), hours_ago=48), raw_file(tmp_path, "1"))
    other = aws_run(finding("s3_block", P, "DAT-06"), hours_ago=30, target="AWS 210987654321 ap-northeast-1")
    record_scan(store, catalog, ACTOR, other, raw_file(tmp_path, "2"))
    newer = record_scan(store, catalog, ACTOR, aws_run(finding("s3_block", P, "DAT-06")), raw_file(tmp_path, "3"))
    assert newer.superseded == ("E0001",)
    records = evidence(store)
    assert [(r.id, r.scan.target if r.scan else None) for r in records] == [
        ("E0002", "AWS 210987654321 ap-northeast-1"),
        ("E0003", ACCOUNT),
    ]
    assert store.history()[-1]["after"]["superseded"] == ["E0001"]


def test_a_scan_dated_in_the_future_is_refused(store: AssessmentStore, catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InvalidChange) as refused:
        record_scan(store, catalog, ACTOR, aws_run(finding("x", P, "DAT-06"), hours_ago=-2), raw_file(tmp_path, "f"))
    assert refused.value.code == "future_scan"
    assert evidence(store) == []


def test_a_scan_about_no_applicable_item_changes_nothing(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    entries = len(store.history())
    done = record_scan(store, catalog, ACTOR, aws_run(finding("x", F, "DAT-08")), raw_file(tmp_path, "n"))
    assert done.records == () and done.outside_plan == ("DAT-08",)
    assert len(store.history()) == entries


def test_claims_the_latest_scan_contradicts_are_flagged_and_stale_scans_too(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    for item in ("IAM-01", "DAT-06", "CYB-07"):
        usecases.set_answer(store, catalog, ACTOR, item, AnswerChange(status=Status.IMPLEMENTED))
    usecases.set_answer(store, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.PARTIAL, due=dt.date(2027, 3, 31)))
    record_scan(
        store,
        catalog,
        ACTOR,
        aws_run(finding("root_mfa", F, "IAM-01", "IAM-02"), finding("s3_block", P, "DAT-06")),
        raw_file(tmp_path, "now"),
    )
    old = aws_run(finding("sg_open", F, "CYB-07"), hours_ago=24 * 40, target="AWS 210987654321 ap-northeast-1")
    record_scan(store, catalog, ACTOR, old, raw_file(tmp_path, "old"))
    with store.locked():
        assessment = store.load().assessment
    result = score(catalog, make_plan(catalog, assessment.profile), assessment, NOW.date())
    # IAM-02 is only claimed partial, DAT-06 passes: neither is a contradiction; a stale failing scan still is
    assert result.contradicted == ["IAM-01", "CYB-07"]  # in plan order
    assert result.stale_automated == ["E0004"]
    assert result.expired_evidence == []  # stale automated evidence is flagged apart from evidence people add
