"""Findings and automated evidence in the core: the verdict per item, recording a scan over both stores,
and the contradicted and stale flags (the CLI side: tests/test_automated_evidence.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
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
    # IAM-02 is only claimed partial, DAT-06 passes: neither is a contradiction; a stale failing scan is stale,
    # not a contradiction (what it saw 40 days ago may have been fixed since)
    assert result.contradicted == ["IAM-01"]
    assert result.stale_automated == ["E0004"]
    assert result.expired_evidence == []  # stale automated evidence is flagged apart from evidence people add


# --- the exact counts and summaries a bank reads -------------------------------------------------------


def test_every_status_is_counted_once_and_a_failure_overrides_an_earlier_error() -> None:
    tally = Tally().extend(
        [
            finding("config", E, "LOG-03", resource="us-east-1", severity=Severity.LOW),
            finding("config", F, "LOG-03", resource="ap-northeast-1", severity=Severity.HIGH),
            finding("config", E, "LOG-03", resource="eu-west-1", severity=Severity.MEDIUM),
            finding("alarm", E, "LOG-03", resource="alarm", severity=Severity.HIGH),
            finding("alarm", E, "LOG-03", resource="alarm2", severity=Severity.HIGH),
            finding("recorder", P, "LOG-03"),
            finding("recorder", P, "LOG-03"),
            finding("regions", NA, "LOG-03"),
            finding("regions", NA, "LOG-03"),
            finding("regions", NA, "LOG-03"),
        ]
    )
    item = tally.items["LOG-03"]
    assert item.item == "LOG-03"
    assert (item.passed, item.failed, item.errors, item.not_applicable) == (2, 1, 4, 3)
    config = item.checks["config"]
    # the failure replaces the error as the check's status and example; the worst severity is kept
    assert (config.status, config.example, config.severity, config.resources) == (F, "ap-northeast-1", Severity.HIGH, 3)
    alarm = item.checks["alarm"]
    assert (alarm.status, alarm.example, alarm.severity, alarm.resources) == (E, "alarm", Severity.HIGH, 2)
    assert set(item.checks) == {"config", "alarm"}  # passing checks are counted, not named
    assert tally.totals == {P: 2, F: 1, E: 4, NA: 3}
    assert tally.worst_failing == Severity.HIGH
    assert [f.resource for f in tally.kept] == ["us-east-1", "ap-northeast-1", "eu-west-1", "alarm", "alarm2"]
    assert tally.count == 10


def test_the_worst_severity_of_failures_wins_and_an_equal_one_keeps_the_first() -> None:
    tally = Tally().extend(
        [
            finding("a", F, "DAT-06", severity=Severity.MEDIUM),
            finding("b", F, "DAT-06", severity=Severity.CRITICAL),
            finding("c", F, "DAT-06", severity=Severity.LOW),
        ]
    )
    assert tally.worst_failing == Severity.CRITICAL
    assert tally.items["DAT-06"].worst_severity == Severity.CRITICAL
    assert Tally().extend([finding("e", E, "DAT-06", severity=Severity.HIGH)]).items["DAT-06"].worst_severity is None


def test_a_tally_keeps_failing_findings_up_to_its_limit_and_counts_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    from antai.assessment import findings as module

    monkeypatch.setattr(module, "MAX_KEPT", 3)
    tally = Tally().extend(finding(f"c{n}", F, "DAT-06") for n in range(5))
    assert [f.check for f in tally.kept] == ["c0", "c1", "c2"]
    assert tally.dropped == 2
    run = aws_run(finding("a", P, "DAT-06"), finding("b", F, "DAT-06"))
    assert run.findings is not None and [f.check for f in run.findings] == ["a", "b"]
    streamed = ScanRun(ToolInfo("prowler"), "x", NOW)  # an importer's run keeps no finding, only counts
    streamed.add(finding("a", F, "DAT-06"))
    assert streamed.findings is None and streamed.tally.count == 1


def test_an_item_summary_lists_failures_first_then_by_severity_and_reach() -> None:
    from antai.assessment.findings import summary_for

    run = ScanRun(ToolInfo("antai", "0.1.0"), "AWS 1 " + "r" * 300, NOW.replace(microsecond=123), findings=[])
    for f in [
        finding("err_high", E, "DAT-06", severity=Severity.HIGH),
        finding("low_many", F, "DAT-06", resource="b1", severity=Severity.LOW),
        finding("low_many", F, "DAT-06", resource="b2", severity=Severity.LOW),
        finding("low_one", F, "DAT-06", resource="b3", severity=Severity.LOW),
        finding("high", F, "DAT-06", resource="b4", severity=Severity.HIGH),
        finding("pass", P, "DAT-06"),
        finding("na", NA, "DAT-06"),
    ]:
        run.add(f)
    summary = summary_for(run, run.tally.items["DAT-06"])
    assert [(c.check, c.status, c.resources, c.example) for c in summary.checks] == [
        ("high", F, 1, "b4"),
        ("low_many", F, 2, "b1"),
        ("low_one", F, 1, "b3"),
        ("err_high", E, 1, "arn:aws:iam::123456789012:root"),
    ]
    assert (summary.passed, summary.failed, summary.errors, summary.not_applicable) == (1, 4, 1, 1)
    assert (summary.tool, summary.tool_version, summary.result, summary.more_checks) == ("antai", "0.1.0", F, 0)
    assert summary.target == ("AWS 1 " + "r" * 300)[:200]
    assert summary.observed_at == NOW  # in UTC, to the second


def test_an_item_summary_names_at_most_twenty_checks_and_counts_the_others() -> None:
    from antai.assessment.findings import summary_for

    run = aws_run(*(finding(f"c{n:02d}", F, "DAT-06", resource="") for n in range(23)))
    summary = summary_for(run, run.tally.items["DAT-06"])
    assert [c.check for c in summary.checks] == [f"c{n:02d}" for n in range(20)]
    assert summary.more_checks == 3
    assert {c.example for c in summary.checks} == {"-"}  # a resource with no name is shown as a dash
    empty = ScanRun(ToolInfo("x"), "", NOW)
    empty.add(finding("c", P, "DAT-06"))
    assert summary_for(empty, empty.tally.items["DAT-06"]).target == "-"


def test_a_recorded_scan_keeps_its_raw_output_note_and_logs_every_detail(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    raw = raw_file(tmp_path, '{"exact": 1}')
    run = aws_run(finding("s3_block", F, "DAT-06"), finding("root", P, "IAM-01"), hours_ago=3)
    done = record_scan(store, catalog, ACTOR, run, raw, raw_name="aws.json", note="weekly CI run")
    key = "evidence/files/E0001-aws.json"
    assert {r.note for r in done.records} == {"weekly CI run"}
    assert {r.name for r in done.records} == {"antai aws.json"}
    assert {r.added_at for r in done.records} == {NOW}
    assert {r.added_by for r in done.records} == {"ci"}
    if isinstance(store, MemoryStore):
        assert store.blobs[key] == b'{"exact": 1}'
    else:
        assert (tmp_path / "ws" / key).read_bytes() == b'{"exact": 1}'
    digest = hashlib.sha256(b'{"exact": 1}').hexdigest()
    assert store.history()[-1]["after"] == {
        "tool": "antai",
        "tool_version": "0.1.0",
        "target": ACCOUNT,
        "observed_at": "2026-12-01T00:00:00Z",
        "sha256": digest,
        "results": {"DAT-06": "fail", "IAM-01": "pass"},
        "evidence": ["E0001", "E0002"],
        "path": key,
        "superseded": [],
    }


def test_evidence_numbers_continue_after_the_highest_even_when_records_were_replaced(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    usecases.add_evidence(store, catalog, ACTOR, "DAT-06", "https://example.com/policy", None, None, None)
    done = record_scan(store, catalog, ACTOR, aws_run(finding("s3", P, "DAT-06")), raw_file(tmp_path, "a"))
    assert [r.id for r in done.records] == ["E0002"]
    again = record_scan(store, catalog, ACTOR, aws_run(finding("s3", F, "DAT-06")), raw_file(tmp_path, "b"))
    assert [r.id for r in again.records] == ["E0003"] and again.superseded == ("E0002",)
    assert [e.id for e in evidence(store)] == ["E0001", "E0003"]  # the link a person added stays


@pytest.mark.parametrize(("minutes", "accepted"), [(9, True), (11, False)])
def test_a_scanner_clock_a_little_ahead_is_tolerated(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path, minutes: int, accepted: bool
) -> None:
    run = aws_run(finding("s3", P, "DAT-06"), hours_ago=-minutes / 60)
    if accepted:
        assert [r.id for r in record_scan(store, catalog, ACTOR, run, raw_file(tmp_path, "c")).records] == ["E0001"]
    else:
        with pytest.raises(InvalidChange) as refused:
            record_scan(store, catalog, ACTOR, run, raw_file(tmp_path, "c"))
        assert refused.value.code == "future_scan"
        assert refused.value.params == {"observed": run.observed_at.isoformat()}


def test_the_effective_date_is_the_scan_day_where_the_team_is(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    actor = Actor("ci", NOW.astimezone(tokyo))
    # 2026-11-30 20:00 UTC is already 1 December in Tokyo
    run = aws_run(finding("s3", P, "DAT-06"), hours_ago=7)
    record = record_scan(store, catalog, actor, run, raw_file(tmp_path, "t")).records[0]
    assert record.effective_from == dt.date(2026, 12, 1)
    assert record.expires == dt.date(2026, 12, 31)
    assert record.added_at == NOW and record.added_at.tzinfo == dt.UTC


def test_evidence_cannot_be_made_to_expire_before_its_scan(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    with pytest.raises(InvalidChange) as refused:
        record_scan(
            store, catalog, ACTOR, aws_run(finding("s3", P, "DAT-06")), raw_file(tmp_path, "e"),
            expires=dt.date(2026, 11, 30),
        )  # fmt: skip
    assert refused.value.code == "rule"
    on_the_day = record_scan(
        store, catalog, ACTOR, aws_run(finding("s3", P, "DAT-06")), raw_file(tmp_path, "e"), expires=NOW.date()
    )
    assert on_the_day.records[0].expires == NOW.date()


def test_only_the_same_tool_and_target_replace_earlier_evidence(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    record_scan(store, catalog, ACTOR, aws_run(finding("s3", P, "DAT-06")), raw_file(tmp_path, "1"))
    prowler = ScanRun(ToolInfo("prowler", "5.46.0"), ACCOUNT, NOW - dt.timedelta(hours=1))
    prowler.add(finding("s3_account_level_public_access_blocks", F, "DAT-06"))
    done = record_scan(store, catalog, ACTOR, prowler, raw_file(tmp_path, "2"))
    assert done.superseded == ()
    long = "AWS " + "9" * 300
    record_scan(store, catalog, ACTOR, aws_run(finding("s3", P, "DAT-06"), target=long), raw_file(tmp_path, "3"))
    again = record_scan(
        store, catalog, ACTOR, aws_run(finding("s3", F, "DAT-06"), target=long), raw_file(tmp_path, "4")
    )
    assert again.superseded == ("E0003",)  # targets are compared as stored (200 characters)
    assert [e.id for e in evidence(store)] == ["E0001", "E0002", "E0004"]
    # the same tool and target on other items replaces those too
    other_item = record_scan(store, catalog, ACTOR, aws_run(finding("root", P, "IAM-01")), raw_file(tmp_path, "5"))
    assert other_item.superseded == ("E0001",)


def test_a_fixed_finding_that_a_scanner_no_longer_lists_clears_the_contradiction(
    store: AssessmentStore, catalog: Catalog, tmp_path: Path
) -> None:
    """Trivy and SARIF list failures only: once the secret is gone, the next scan says nothing about KEY-02,
    and the old failure must not stay 'the latest scan of this source'."""
    usecases.set_answer(store, catalog, ACTOR, "KEY-02", AnswerChange(status=Status.IMPLEMENTED))
    trivy = "repository github.com/milka/api"
    leaked = ScanRun(ToolInfo("trivy", "0.58.0"), trivy, NOW - dt.timedelta(hours=5))
    leaked.add(finding("github-pat", F, "KEY-02", resource="config/.env"))
    leaked.add(finding("CVE-2024-0001", F, "CHG-04", "PAT-02", resource="requests 2.0"))
    record_scan(store, catalog, ACTOR, leaked, raw_file(tmp_path, "leak"))
    fixed = ScanRun(ToolInfo("trivy", "0.58.0"), trivy, NOW - dt.timedelta(hours=1))
    fixed.add(finding("CVE-2024-0001", F, "CHG-04", "PAT-02", resource="requests 2.0"))
    done = record_scan(store, catalog, ACTOR, fixed, raw_file(tmp_path, "fixed"))
    assert done.superseded == ("E0001", "E0002", "E0003")
    with store.locked():
        assessment = store.load().assessment
    assert [(e.id, e.item) for e in assessment.evidence] == [("E0004", "PAT-02"), ("E0005", "CHG-04")]
    result = score(catalog, make_plan(catalog, assessment.profile), assessment, NOW.date())
    assert result.contradicted == []


def test_the_gate_ignores_failures_of_rules_no_table_maps_as_the_sarif_output_does() -> None:
    tally = Tally().extend([finding("semgrep.local-rule", F, severity=Severity.CRITICAL), finding("s3", P, "DAT-06")])
    assert tally.worst_failing is None and not tally.fails_at(FailOn.LOW)
    assert tally.unmapped == {"semgrep.local-rule": 1}


def test_a_failing_check_keeps_the_title_its_tool_gave() -> None:
    titled = Finding("s3_block", F, "arn:aws:s3:::logs", ("DAT-06",), Severity.HIGH, title="Block public access")
    assert Tally().extend([titled]).items["DAT-06"].checks["s3_block"].title == "Block public access"
