"""SARIF output (`--format sarif` of `antai check …` and `antai import …`): what a code-scanning UI reads.

Every log is validated against the SARIF 2.1.0 JSON schema (tests/data/sarif/) and against the rules GitHub
code scanning applies on upload (required properties, limits), then the content is asserted exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from antai.assessment.findings import Finding, ScanRun, ToolInfo
from antai.assessment.model import FindingStatus, Severity
from antai.catalog import Catalog
from antai.reports.sarif import MAX_RESULTS, fingerprint, sarif_log

SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"
WHEN = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
FAIL, PASS, ERROR, NA = FindingStatus.FAIL, FindingStatus.PASS, FindingStatus.ERROR, FindingStatus.NOT_APPLICABLE
ROOT = "arn:aws:iam::123456789012:root"
BUCKET = "arn:aws:s3:::ledger-exports"


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def github_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning requires of an upload beyond the schema (its "SARIF support" page)."""
    problems = []
    if log.get("$schema") != "https://json.schemastore.org/sarif-2.1.0.json" or log.get("version") != "2.1.0":
        problems.append("$schema/version")
    runs = log["runs"]
    if not 1 <= len(runs) <= 20:
        problems.append("runs per file")
    for run in runs:
        driver = run["tool"]["driver"]
        rules = driver["rules"]
        if not driver.get("name") or len(rules) > 25_000 or len(run["results"]) > 25_000:
            problems.append("driver name / rules / results per run")
        for rule in rules:
            for key in ("shortDescription", "fullDescription"):
                if not 0 < len(rule[key]["text"]) <= 1024:
                    problems.append(f"{rule['id']}: {key}")
            if not rule["help"]["text"] or not 0 < len(rule["name"]) <= 255:
                problems.append(f"{rule['id']}: help/name")
            tags = rule["properties"]["tags"]
            if len(tags) > 20 or len(set(tags)) != len(tags):
                problems.append(f"{rule['id']}: tags")
            score = rule["properties"].get("security-severity")
            if score is not None and not 0.0 < float(score) <= 10.0:
                problems.append(f"{rule['id']}: security-severity")
            if rule["defaultConfiguration"]["level"] not in ("note", "warning", "error"):
                problems.append(f"{rule['id']}: default level")
        for result in run["results"]:
            if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
                problems.append("ruleIndex")
            if not result["message"]["text"].strip():
                problems.append("message.text")
            locations = result["locations"]
            if not 1 <= len(locations) <= 10:
                problems.append("locations")
            physical = locations[0]["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            if not uri or " " in uri or urlsplit(uri).scheme not in ("", "file"):
                problems.append(f"uri {uri!r}")
            if physical["region"]["startLine"] < 1:
                problems.append("startLine")
            if not result["partialFingerprints"].get("primaryLocationLineHash"):
                problems.append("primaryLocationLineHash")
    return problems


def produce(run: ScanRun, catalog: Catalog, lang: str = "en", **options: Any) -> dict[str, Any]:
    """sarif_log, checked as an upload would be; also through JSON, as the CLI writes it."""
    log: dict[str, Any] = json.loads(json.dumps(sarif_log(run, catalog, lang, **options), ensure_ascii=False))
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert github_problems(log) == []
    return log


def own_run(*findings: Finding) -> ScanRun:
    """antai's own checks: the run keeps every finding."""
    run = ScanRun(ToolInfo("antai", "0.1.0"), "aws 123456789012 ap-northeast-1", WHEN, findings=[])
    for finding in findings:
        run.add(finding)
    return run


def imported_run(tool: str, *findings: Finding, version: str | None = "3.2.1") -> ScanRun:
    """An importer's run: only the failing and erroring findings are kept (tally.kept)."""
    run = ScanRun(ToolInfo(tool, version), f"{tool}-results.json", WHEN, input_sha256="ab" * 32)
    for finding in findings:
        run.add(finding)
    return run


def only_run(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def rule_of(log: dict[str, Any], item: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in only_run(log)["tool"]["driver"]["rules"] if r["id"] == item)
    return found


# --- the schema itself -------------------------------------------------------------------------------------


def test_the_stored_schema_accepts_real_scanner_sarif(shared: Path) -> None:
    """The schema file is the real one: it accepts the SARIF that CodeQL, Semgrep and Trivy wrote."""
    for name in ("sarif-codeQL-output.sarif", "sarif-semgrep-results.sarif", "sarif-trivy-alpine-310.sarif"):
        data = json.loads((shared / "fixtures" / "scanners" / name).read_text(encoding="utf-8"))
        assert list(_validator().iter_errors(data)) == [], name


def test_the_schema_rejects_what_it_should() -> None:
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "A"}]}]}
    messages = [e.message for e in _validator().iter_errors(bad)]
    assert messages == ["'message' is a required property"]


# --- a cloud resource, failing -------------------------------------------------------------------------


def test_failing_cloud_finding_is_one_result_on_the_workspace_file(catalog: Catalog) -> None:
    finding = Finding(
        "iam_root_hardware_mfa",
        FAIL,
        ROOT,
        items=("IAM-01",),
        severity=Severity.CRITICAL,
        observed="hardware MFA: none",
        title="Root account uses a hardware MFA device",
    )
    log = produce(own_run(finding), catalog)
    run = only_run(log)
    digest = fingerprint("antai", finding, "IAM-01")
    assert run["results"] == [
        {
            "ruleId": "IAM-01",
            "ruleIndex": 0,
            "kind": "fail",
            "level": "error",
            "message": {
                "text": f"{ROOT}: antai check iam_root_hardware_mfa failed (severity critical). "
                "Observed: hardware MFA: none. Root account uses a hardware MFA device."
            },
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": "antai.yaml"}, "region": {"startLine": 1}},
                    "logicalLocations": [{"name": ROOT, "fullyQualifiedName": ROOT, "kind": "resource"}],
                    "message": {"text": f"Resource: {ROOT}"},
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": digest, "antai/v1": digest},
            "properties": {
                "tool": "antai",
                "check": "iam_root_hardware_mfa",
                "status": "fail",
                "severity": "critical",
                "resource": ROOT,
                "items": ["IAM-01"],
                "observedAt": "2026-03-01T09:30:15Z",
                "toolVersion": "0.1.0",
                "observed": "hardware MFA: none",
                "title": "Root account uses a hardware MFA device",
            },
        }
    ]
    assert re.fullmatch(r"[0-9a-f]{32}", digest)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert run["language"] == "en"
    assert run["automationDetails"] == {"id": "antai/check/aws-123456789012-ap-northeast-1/20260301T093015Z"}
    assert run["invocations"] == [{"executionSuccessful": True, "endTimeUtc": "2026-03-01T09:30:15Z"}]


def test_the_rule_is_the_item_described_from_the_catalog(catalog: Catalog) -> None:
    log = produce(own_run(Finding("c", FAIL, ROOT, items=("IAM-01",), severity=Severity.HIGH)), catalog)
    driver = only_run(log)["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("antai", "0.1.0", "0.1.0")
    assert driver["properties"] == {"catalogVersion": catalog.version}
    item = catalog.item("IAM-01")
    assert item is not None
    rule = rule_of(log, "IAM-01")
    assert rule["name"] == "NoLoneUnnoticedUseOfTheCloudRootAccount"
    assert rule["shortDescription"] == {"text": "No lone, unnoticed use of the cloud root account"}
    assert rule["fullDescription"] == {"text": item.objective("en")}
    assert rule["defaultConfiguration"] == {"level": "error"}
    # GitHub's security-severity comes from the worst finding seen (high: 7.0–8.9), the item's own severity
    # rides along
    assert rule["properties"] == {
        "tags": ["security", "antai", "access", "baseline", "csf-pr", "cloud-privileges", "fisc"],
        "security-severity": "8.0",
        "itemSeverity": "critical",
    }
    text = rule["help"]["text"]
    markdown = rule["help"]["markdown"]
    assert text.startswith("IAM-01 No lone, unnoticed use of the cloud root account\n\nObjective: ")
    for measure in item.countermeasures:
        assert f"- {measure('en')}\n" in text
        assert f"- {measure('en')}\n" in markdown
    for evidence in item.evidence:
        shown = evidence.text("en") + (" (can be checked automatically)" if evidence.automatable else "")
        assert f"- {shown}\n" in text
    assert f"Risk: {item.risk('en')}\n" in text
    assert "\nWhat to do:\n" in text and "\nHow to tell it is done:\n" in text
    assert f"FISC Security Guidelines: {', '.join(item.fisc)}\n" in text
    assert text.endswith("The full item: antai item IAM-01 --lang en\n")
    assert markdown.startswith("## IAM-01 No lone, unnoticed use of the cloud root account\n\n**Objective**\n\n")
    assert "**What to do**" in markdown and "**How to tell it is done**" in markdown
    assert markdown.endswith("The full item: `antai item IAM-01 --lang en`\n")


def test_chapter_tag_is_the_chapter_slug(catalog: Catalog) -> None:
    log = produce(own_run(Finding("c", FAIL, BUCKET, items=("DAT-06",))), catalog)
    item = catalog.item("DAT-06")
    assert item is not None
    chapter = catalog.chapter(item.chapter)
    assert chapter is not None
    assert rule_of(log, "DAT-06")["properties"]["tags"][:3] == ["security", "antai", chapter.slug]


@pytest.mark.parametrize(
    ("severity", "level", "score"),
    [
        (Severity.CRITICAL, "error", "9.5"),
        (Severity.HIGH, "error", "8.0"),
        (Severity.MEDIUM, "warning", "5.5"),
        (Severity.LOW, "note", "3.0"),
        (Severity.INFO, "note", None),
    ],
)
def test_severity_sets_level_and_security_severity(
    catalog: Catalog, severity: Severity, level: str, score: str | None
) -> None:
    log = produce(own_run(Finding("c", FAIL, BUCKET, items=("DAT-06",), severity=severity)), catalog)
    rule = rule_of(log, "DAT-06")
    assert only_run(log)["results"][0]["level"] == level
    assert rule["defaultConfiguration"] == {"level": level}
    assert rule["properties"].get("security-severity") == score


def test_security_severity_is_the_worst_seen_on_the_item(catalog: Catalog) -> None:
    run = own_run(
        Finding("a", FAIL, BUCKET, items=("DAT-06",), severity=Severity.LOW),
        Finding("b", FAIL, BUCKET + "-2", items=("DAT-06",), severity=Severity.CRITICAL),
        Finding("c", ERROR, BUCKET + "-3", items=("DAT-06",), severity=Severity.MEDIUM),
    )
    log = produce(run, catalog)
    assert rule_of(log, "DAT-06")["properties"]["security-severity"] == "9.5"
    assert [r["level"] for r in only_run(log)["results"]] == ["error", "none", "note"]


# --- files, passes, errors, unmapped ---------------------------------------------------------------------


def test_file_findings_point_at_the_file_and_line(catalog: Catalog) -> None:
    finding = Finding(
        "CKV_AWS_19",
        FAIL,
        "aws_s3_bucket.exports",
        items=("DAT-05",),
        severity=Severity.HIGH,
        location="./infra/storage.tf",
        line=12,
    )
    log = produce(imported_run("checkov", finding), catalog)
    result = only_run(log)["results"][0]
    assert result["locations"] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": "infra/storage.tf"}, "region": {"startLine": 12}},
            "logicalLocations": [
                {"name": "aws_s3_bucket.exports", "fullyQualifiedName": "aws_s3_bucket.exports", "kind": "resource"}
            ],
        }
    ]
    assert result["message"]["text"] == "aws_s3_bucket.exports: checkov check CKV_AWS_19 failed (severity high)."
    assert result["properties"]["toolVersion"] == "3.2.1"
    # an imported file's category leaves out the file name (it often carries a timestamp)
    assert only_run(log)["automationDetails"] == {"id": "antai/import-checkov/20260301T093015Z"}


@pytest.mark.parametrize(
    ("location", "line", "uri", "start"),
    [
        ("Dockerfile", None, "Dockerfile", 1),
        ("infra/my stack/main.tf", 0, "infra/my%20stack/main.tf", 1),
        ("infra\\win\\main.tf", 3, "infra/win/main.tf", 3),
        ("/github/workspace/infra/main.tf", 7, "file:///github/workspace/infra/main.tf", 7),
        ("C:\\src\\main.tf", 2, "file:///C:/src/main.tf", 2),
        ("file:///repo/main.tf", 4, "file:///repo/main.tf", 4),
    ],
)
def test_file_paths_become_uri_references(
    catalog: Catalog, location: str, line: int | None, uri: str, start: int
) -> None:
    finding = Finding("CKV_AWS_1", FAIL, "r", items=("DAT-05",), location=location, line=line)
    physical = only_run(produce(imported_run("checkov", finding), catalog))["results"][0]["locations"][0]
    assert physical["physicalLocation"] == {"artifactLocation": {"uri": uri}, "region": {"startLine": start}}


def test_the_anchor_can_name_a_workspace_in_a_subfolder(catalog: Catalog) -> None:
    log = produce(own_run(Finding("c", FAIL, ROOT, items=("IAM-01",))), catalog, anchor="compliance/antai.yaml")
    physical = only_run(log)["results"][0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "compliance/antai.yaml"}


def test_passes_and_not_applicable_are_counted_not_listed(catalog: Catalog) -> None:
    run = own_run(
        Finding("a", PASS, ROOT, items=("IAM-01",)),
        Finding("b", NA, BUCKET, items=("DAT-06",)),
        Finding("c", FAIL, BUCKET, items=("DAT-06",), severity=Severity.HIGH),
    )
    log = produce(run, catalog)
    sarif_run = only_run(log)
    assert [(r["ruleId"], r["properties"]["check"]) for r in sarif_run["results"]] == [("DAT-06", "c")]
    # the item that only passed is still described, so the UI knows the rule
    assert [r["id"] for r in sarif_run["tool"]["driver"]["rules"]] == ["DAT-06", "IAM-01"]
    assert rule_of(log, "IAM-01")["properties"]["security-severity"] == "9.5"  # the item's own: critical
    assert sarif_run["properties"]["totals"] == {"pass": 1, "fail": 1, "error": 0, "not_applicable": 1}


def test_an_error_is_an_open_result_that_keeps_a_failures_alert(catalog: Catalog) -> None:
    failed = Finding("s3_tls_only", FAIL, BUCKET, items=("DAT-06",), severity=Severity.HIGH, observed="no policy")
    denied = Finding("s3_tls_only", ERROR, BUCKET, items=("DAT-06",), severity=Severity.HIGH, observed="AccessDenied")
    before = only_run(produce(own_run(failed), catalog))["results"][0]
    after_log = produce(own_run(denied), catalog)
    after = only_run(after_log)["results"][0]
    assert (after["kind"], after["level"]) == ("open", "none")
    assert after["partialFingerprints"] == before["partialFingerprints"]
    assert after["ruleId"] == before["ruleId"] == "DAT-06"
    assert after["message"]["text"] == (
        f"{BUCKET}: antai check s3_tls_only could not be evaluated (severity high); "
        "it does not count as passed until it can be. Observed: AccessDenied."
    )
    assert only_run(after_log)["invocations"] == [
        {
            "executionSuccessful": False,
            "endTimeUtc": "2026-03-01T09:30:15Z",
            "toolExecutionNotifications": [
                {
                    "level": "warning",
                    "message": {
                        "text": "antai check s3_tls_only could not be evaluated on 1 resource(s) "
                        f"(for example {BUCKET})."
                    },
                    "properties": {"check": "s3_tls_only", "resources": 1},
                }
            ],
        }
    ]


def test_unmapped_findings_are_counted_in_the_run(catalog: Catalog) -> None:
    run = imported_run(
        "prowler",
        Finding("ec2_instance_imdsv2_enabled", FAIL, "i-1"),
        Finding("ec2_instance_imdsv2_enabled", FAIL, "i-2"),
        Finding("some_new_check", PASS, "x"),
        Finding("iam_root_mfa_enabled", FAIL, ROOT, items=("IAM-01", "IAM-02")),
    )
    sarif_run = only_run(produce(run, catalog))
    assert [(r["ruleId"], r["properties"]["resource"]) for r in sarif_run["results"]] == [
        ("IAM-01", ROOT),
        ("IAM-02", ROOT),
    ]
    assert [r["id"] for r in sarif_run["tool"]["driver"]["rules"]] == ["IAM-01", "IAM-02"]
    assert sarif_run["properties"] == {
        "source": {"tool": "prowler", "version": "3.2.1"},
        "target": "prowler-results.json",
        "observedAt": "2026-03-01T09:30:15Z",
        "totals": {"pass": 1, "fail": 3, "error": 0, "not_applicable": 0},
        "worstFailing": "medium",
        "unmapped": {"ec2_instance_imdsv2_enabled": 2, "some_new_check": 1},
        "unmappedFindings": 3,
        "resultsOmitted": 0,
        "inputSha256": "ab" * 32,
    }
    # one finding on two items: two results, each under its item, with its own fingerprint
    first, second = sarif_run["results"]
    assert first["properties"]["items"] == second["properties"]["items"] == ["IAM-01", "IAM-02"]
    assert first["partialFingerprints"] != second["partialFingerprints"]


def test_an_item_missing_from_the_catalog_still_gets_a_rule(catalog: Catalog) -> None:
    log = produce(own_run(Finding("c", FAIL, ROOT, items=("ZZZ-99",), severity=Severity.MEDIUM)), catalog)
    rule = rule_of(log, "ZZZ-99")
    assert rule["shortDescription"] == {"text": "ZZZ-99 (an item not in this catalog)"}
    assert rule["properties"] == {"tags": ["security", "antai"], "security-severity": "5.5"}
    assert only_run(log)["results"][0]["ruleId"] == "ZZZ-99"


def test_an_empty_run_is_a_valid_log(catalog: Catalog) -> None:
    sarif_run = only_run(produce(imported_run("trivy", version=None), catalog))
    assert sarif_run["results"] == [] and sarif_run["tool"]["driver"]["rules"] == []
    assert sarif_run["properties"]["source"] == {"tool": "trivy", "version": None}


# --- fingerprints and order ------------------------------------------------------------------------------


def test_fingerprints_are_stable_across_runs_and_distinct_per_resource(catalog: Catalog) -> None:
    base = Finding("CKV_AWS_19", FAIL, "aws_s3_bucket.a", items=("DAT-05",), location="main.tf", line=3)
    moved = Finding("CKV_AWS_19", FAIL, "aws_s3_bucket.a", items=("DAT-05",), location="main.tf", line=40)
    later = imported_run("checkov", moved)
    later.observed_at = WHEN + dt.timedelta(days=7)

    def hashes(run: ScanRun) -> list[str]:
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in only_run(produce(run, catalog))["results"]]

    assert hashes(imported_run("checkov", base)) == hashes(later)  # a line moved, a week later: same alert
    others = [
        Finding("CKV_AWS_19", FAIL, "aws_s3_bucket.b", items=("DAT-05",), location="main.tf"),
        Finding("CKV_AWS_19", FAIL, "aws_s3_bucket.a", items=("DAT-05",), location="other.tf"),
        Finding("CKV_AWS_20", FAIL, "aws_s3_bucket.a", items=("DAT-05",), location="main.tf"),
        Finding("CKV_AWS_19", FAIL, "aws_s3_bucket.a", items=("DAT-06",), location="main.tf"),
    ]
    seen = {fingerprint("checkov", f, f.items[0]) for f in [base, *others]}
    assert len(seen) == 5
    assert fingerprint("trivy", base, "DAT-05") != fingerprint("checkov", base, "DAT-05")


def test_output_is_deterministic_and_most_severe_first(catalog: Catalog) -> None:
    findings = [
        Finding("a", FAIL, "r1", items=("DAT-06",), severity=Severity.LOW),
        Finding("b", ERROR, "r2", items=("IAM-01",), severity=Severity.CRITICAL),
        Finding("c", FAIL, "r3", items=("IAM-01",), severity=Severity.CRITICAL),
        Finding("d", FAIL, "r4", items=("DAT-05",), severity=Severity.MEDIUM),
        Finding("a", FAIL, "r0", items=("DAT-06",), severity=Severity.LOW),
    ]
    first = json.dumps(produce(own_run(*findings), catalog), ensure_ascii=False)
    shuffled = findings[:]
    random.Random(7).shuffle(shuffled)
    assert json.dumps(produce(own_run(*shuffled), catalog), ensure_ascii=False) == first
    order = [(r["properties"]["check"], r["properties"]["resource"]) for r in json.loads(first)["runs"][0]["results"]]
    assert order == [("c", "r3"), ("b", "r2"), ("d", "r4"), ("a", "r0"), ("a", "r1")]


def test_the_same_finding_twice_is_one_result(catalog: Catalog) -> None:
    twice = own_run(
        Finding("c", ERROR, BUCKET, items=("DAT-06",), severity=Severity.HIGH),
        Finding("c", FAIL, BUCKET, items=("DAT-06",), severity=Severity.HIGH),
    )
    results = only_run(produce(twice, catalog))["results"]
    assert [(r["kind"], r["level"]) for r in results] == [("fail", "error")]


# --- GitHub's limits ------------------------------------------------------------------------------------


def test_results_beyond_githubs_limit_are_left_out_least_severe_first(catalog: Catalog) -> None:
    run = own_run(
        *(Finding(f"low{n}", FAIL, f"r{n}", items=("DAT-05", "DAT-06"), severity=Severity.LOW) for n in range(12_600))
    )
    run.add(Finding("urgent", FAIL, ROOT, items=("IAM-01",), severity=Severity.CRITICAL))
    log = sarif_log(run, catalog, "ja")  # 25,201 results: too many to validate one by one in a fast test
    sarif_run = only_run(log)
    assert len(sarif_run["results"]) == MAX_RESULTS
    assert sarif_run["results"][0]["properties"]["check"] == "urgent"
    assert sarif_run["properties"]["resultsOmitted"] == 201
    assert sarif_run["invocations"][0]["toolExecutionNotifications"] == [
        {
            "level": "warning",
            "message": {
                "text": "201 件の結果はこのログに含まれていません（件数の上限）。"
                "該当するアラートが解消済みと表示される場合があります。"
            },
            "properties": {"omitted": 201},
        }
    ]
    assert github_problems(log) == []


def test_findings_an_importer_did_not_keep_are_announced(catalog: Catalog) -> None:
    run = imported_run("prowler", Finding("c", FAIL, ROOT, items=("IAM-01",)))
    run.tally.dropped = 40  # the tally keeps at most MAX_KEPT failing findings of a huge file
    sarif_run = only_run(produce(run, catalog))
    assert sarif_run["properties"]["resultsOmitted"] == 40
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert [n["properties"] for n in notes] == [{"omitted": 40}]


def test_long_texts_are_clipped_to_githubs_limits(catalog: Catalog) -> None:
    huge = "x" * 5000
    log = produce(own_run(Finding(huge, FAIL, huge, items=("IAM-01",), observed=huge)), catalog)
    result = only_run(log)["results"][0]
    assert len(result["message"]["text"]) < 1700
    assert result["locations"][0]["logicalLocations"][0]["name"] == "x" * 499 + "…"
    assert result["properties"]["resource"] == huge  # the property keeps it whole


# --- languages --------------------------------------------------------------------------------------------

ENGLISH_STATUS = re.compile(r"\b(pass(ed)?|fail(ed|s)?|error|not applicable|could not|severity|observed)\b", re.I)


def test_japanese_messages_have_no_english_status_words(catalog: Catalog) -> None:
    run = own_run(
        Finding("root_mfa", FAIL, ROOT, items=("IAM-01",), severity=Severity.CRITICAL, observed="MFA=0", title="T"),
        Finding("s3_tls", ERROR, BUCKET, items=("DAT-06",), severity=Severity.HIGH, observed="AccessDenied"),
    )
    log = produce(run, catalog, "ja")
    sarif_run = only_run(log)
    assert sarif_run["language"] == "ja"
    texts = [r["message"]["text"] for r in sarif_run["results"]]
    assert texts == [
        f"{ROOT}：antai のチェック root_mfa が不適合（重大度：緊急）。観測値：MFA=0。",
        f"{BUCKET}：antai のチェック s3_tls は確認不能（重大度：高）。確認できるまで適合とはみなしません。"
        "観測値：AccessDenied。",
    ]
    notes = [n["message"]["text"] for n in sarif_run["invocations"][0]["toolExecutionNotifications"]]
    assert notes == [f"antai のチェック s3_tls は 1 件のリソースで確認できませんでした（例：{BUCKET}）。"]
    for text in [*texts, *notes]:
        assert not ENGLISH_STATUS.search(text), text
    location = sarif_run["results"][0]["locations"][0]
    assert location["message"] == {"text": f"対象リソース：{ROOT}"}


def test_japanese_rules_read_from_the_japanese_item(catalog: Catalog) -> None:
    log = produce(
        imported_run("prowler", Finding("iam_root_mfa_enabled", FAIL, ROOT, items=("IAM-01",))), catalog, "ja"
    )
    item = catalog.item("IAM-01")
    assert item is not None
    rule = rule_of(log, "IAM-01")
    assert rule["shortDescription"] == {"text": item.title("ja")}
    assert rule["fullDescription"] == {"text": item.objective("ja")}
    assert rule["name"] == "NoLoneUnnoticedUseOfTheCloudRootAccount"  # an identifier, the same in any language
    text = rule["help"]["text"]
    assert text.startswith(f"IAM-01 {item.title('ja')}\n\n基準項目: {item.objective('ja')}\n\n想定リスク: ")
    assert "\n対策（何をするか）:\n" in text and "\n完了の確認（何が証跡になるか）:\n" in text
    assert f"- {item.countermeasures[0]('ja')}\n" in text
    automatable = next(e for e in item.evidence if e.automatable)
    assert f"- {automatable.text('ja')}（自動で確認可能）\n" in text
    assert text.endswith(
        "項目の全文：antai item IAM-01 --lang ja。"
        "この項目の結果は prowler の出力を antai が項目に対応付けたものです。\n"
    )
    for section in (text, rule["help"]["markdown"]):
        assert not ENGLISH_STATUS.search(section.replace(item.title("en"), "")), section[:200]


def test_english_and_japanese_logs_differ_only_in_words(catalog: Catalog) -> None:
    run = own_run(Finding("c", FAIL, ROOT, items=("IAM-01",), severity=Severity.HIGH))
    ja, en = only_run(produce(run, catalog, "ja")), only_run(produce(run, catalog, "en"))
    for key in ("ruleId", "ruleIndex", "kind", "level", "partialFingerprints", "properties"):
        assert ja["results"][0][key] == en["results"][0][key]
    assert ja["automationDetails"] == en["automationDetails"]
    assert ja["tool"]["driver"]["rules"][0]["properties"] == en["tool"]["driver"]["rules"][0]["properties"]


# --- docs/ci.md and the example workflow stay true ---------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _invocations() -> list[list[str]]:
    """Every antai command line in docs/ci.md (code blocks and inline code) and in the example workflow."""
    import shlex

    import yaml

    text = (DOCS / "ci.md").read_text(encoding="utf-8")
    lines = re.findall(r"`(antai [^`\n]+)`", text)
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        lines += [line.split("#")[0] for line in block.splitlines() if line.startswith("antai ")]
    workflow = yaml.safe_load((DOCS / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                lines += [line] if line.strip().startswith("antai ") else []
            if "antai " in str(step.get("run", "")) and "\n" in str(step.get("run", "")).strip():
                folded = " ".join(str(step["run"]).split())
                lines += [folded] if folded.startswith("antai ") else []
    return [[w for w in shlex.split(line) if w != "…"] for line in lines]


def test_the_docs_use_only_options_antai_has() -> None:
    from tests.conftest import run_cli

    wanted: dict[tuple[str, ...], set[str]] = {}
    for words in _invocations():
        if words[1].startswith("-"):
            continue
        path = [words[1]]
        if words[1] in ("check", "import") and len(words) > 2 and re.fullmatch(r"[a-z]+(\|[a-z]+)*", words[2]):
            path.append(words[2].split("|")[0])  # `antai import prowler|checkov … FILE`: the options they share
        wanted.setdefault(tuple(path), set()).update(w.split("=")[0] for w in words[2:] if w.startswith("-"))
    assert {("check", "aws"), ("import", "checkov"), ("status",), ("verify",)} <= set(wanted)
    missing = {}
    for path, options in sorted(wanted.items()):
        shown = run_cli(*path, "--help")
        assert shown.returncode == 0, (path, shown.stderr[-500:])
        absent = sorted(o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", shown.stdout))
        if absent:
            missing[" ".join(path)] = absent
    assert missing == {}


def test_the_docs_state_the_sarif_conventions_the_code_has() -> None:
    from antai.reports import sarif

    text = " ".join((DOCS / "ci.md").read_text(encoding="utf-8").split())
    scores = sarif._SECURITY_SEVERITY
    assert (
        f"critical {scores[Severity.CRITICAL]}, high {scores[Severity.HIGH]}, medium {scores[Severity.MEDIUM]}, "
        f"low {scores[Severity.LOW]}; info gives none"
    ) in text
    assert f"at most {sarif.MAX_RESULTS:,} results" in text
    assert f"at most {sarif.MAX_TAGS} tags" in text
    assert "`antai/check/<target>/<time>`" in text and "`antai/import-<tool>/<time>`" in text
    assert f"`{sarif.FINGERPRINT_KEY}`" in text and f"`{sarif.FINGERPRINT_VERSION}`" in text


# --- through the CLI's shared scan output (`--format sarif -o FILE --fail-on …`) -----------------------------


def test_the_sarif_file_is_written_before_the_gate_fails(tmp_path: Path) -> None:
    """What `antai check … --format sarif -o FILE --fail-on high` does with a run: the file is complete and
    valid even though the command then exits 1, so a CI step after it can still upload it."""
    import click
    from click.testing import CliRunner

    from antai.cli.context import Env
    from antai.cli.errors import user_errors
    from antai.cli.scan_view import finish_scan

    out = tmp_path / "reports" / "antai-aws.sarif"

    @click.command()
    @click.option("--fail-on")
    def fake_check(fail_on: str | None) -> None:
        run = own_run(
            Finding("root_mfa", FAIL, ROOT, items=("IAM-01",), severity=Severity.CRITICAL),
            Finding("s3_tls", PASS, BUCKET, items=("DAT-06",)),
        )
        with user_errors(lambda: "en"):
            finish_scan(
                run,
                raw=None,
                raw_name="antai-check-aws.json",
                record=False,
                fmt="sarif",
                output=out,
                fail_on=fail_on,
                expires=None,
                workspace_dir=tmp_path,
            )

    result = CliRunner().invoke(fake_check, ["--fail-on", "high"], obj=Env(lang="en"))
    assert result.exit_code == 1, result.output
    log = json.loads(out.read_text(encoding="utf-8"))
    assert list(_validator().iter_errors(log)) == [] and github_problems(log) == []
    assert [r["ruleId"] for r in only_run(log)["results"]] == ["IAM-01"]
    assert CliRunner().invoke(fake_check, [], obj=Env(lang="en")).exit_code == 0  # no gate: exit 0, log replaced
    assert only_run(json.loads(out.read_text(encoding="utf-8")))["results"][0]["ruleId"] == "IAM-01"
    out.write_text("notes", encoding="utf-8")  # a file that is not JSON is never overwritten
    assert CliRunner().invoke(fake_check, [], obj=Env(lang="en")).exit_code == 2
    assert out.read_text(encoding="utf-8") == "notes"
