"""Importers on the scanners' real outputs (../shared/fixtures/scanners), their shapes, big files and the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from antai.assessment.findings import FindingStatus, ScanRun, Severity
from antai.catalog import Catalog
from antai.catalog.mappings import RuleMap, load_mapping
from antai.importers.checkov import read_checkov
from antai.importers.common import ImportedRun
from antai.importers.prowler import read_prowler
from antai.importers.sarif import cwes_in, read_sarif
from antai.importers.trivy import read_trivy

from .conftest import fresh_workspace, init_template, run_cli

P, F, E, NA = FindingStatus.PASS, FindingStatus.FAIL, FindingStatus.ERROR, FindingStatus.NOT_APPLICABLE


def table(tool: str, rules: dict[str, tuple[str, ...]] | None = None, ignored: tuple[str, ...] = ()) -> RuleMap:
    """A mapping table of the test's own, so that results do not depend on the shipped tables' content."""
    return RuleMap(tool, 1, "test", dt.date(2026, 1, 1), dict(rules or {}), (), frozenset(ignored))


@pytest.fixture(scope="module")
def scanners() -> Path:
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "scanners"
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/fixtures/scanners is missing in CI")
        pytest.skip("../shared is not present on this machine")
    return folder


def totals(run: ScanRun) -> tuple[int, int, int, int]:
    t = run.tally.totals
    return t[P], t[F], t[E], t[NA]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


def results(run: ScanRun) -> dict[str, tuple[str, int, int, int, int]]:
    return {
        item: (t.result.value, t.passed, t.failed, t.errors, t.not_applicable) for item, t in run.tally.items.items()
    }


# --- Prowler ---------------------------------------------------------------------------------------------

PROWLER = table(
    "prowler",
    {"accessanalyzer_enabled": ("DAT-11",), "account_maintain_current_contact_details": ("CYB-09",)},
)


def test_prowler_ocsf_fixture(scanners: Path) -> None:
    path = scanners / "prowler-example_output_aws.ocsf.json"
    run = read_prowler(path, rules=PROWLER)
    assert isinstance(run, ImportedRun)
    assert totals(run) == (0, 2, 0, 1)  # two FAIL, one MANUAL
    assert (run.tool.name, run.tool.version) == ("prowler", "<prowler_version>")
    assert run.target == "AWS <account_uid>"
    assert run.observed_at == dt.datetime(2025, 2, 14, 14, 27, 3, 913874, dt.UTC)
    assert run.input_sha256 == sha(path)
    assert run.suppressed == 0
    assert run.tally.unmapped == {"account_maintain_different_contact_details_to_security_billing_and_operations": 1}
    assert results(run) == {"DAT-11": ("fail", 0, 1, 0, 0), "CYB-09": ("not_applicable", 0, 0, 0, 1)}
    check = run.tally.items["DAT-11"].checks["accessanalyzer_enabled"]
    assert (check.severity, check.example, check.title) == (
        Severity.LOW,
        "<resource_uid>",
        "Check if IAM Access Analyzer is enabled",
    )
    assert run.tally.worst_failing == Severity.LOW  # the medium failure is of an unmapped rule: not gated
    kept = run.tally.kept[0]
    assert kept.observed == "IAM Access Analyzer in account <account_uid> is not enabled."


def test_prowler_csv_fixture(scanners: Path) -> None:
    path = scanners / "prowler-aws.csv"
    run = read_prowler(path, rules=PROWLER)
    assert totals(run) == (0, 1, 0, 1)
    assert (run.tool.name, run.tool.version) == ("prowler", "<prowler_version>")
    assert run.target == "AWS <account_uid>"
    assert run.observed_at == dt.datetime(2025, 2, 14, 14, 27, 3, 913874, dt.UTC)
    assert run.input_sha256 == sha(path)
    assert run.tally.unmapped == {"account_security_contact_information_is_registered": 1}
    assert results(run) == {"DAT-11": ("fail", 0, 1, 0, 0)}
    assert run.tally.items["DAT-11"].checks["accessanalyzer_enabled"].example == "<resource_uid>"


def test_prowler_csv_with_no_findings_is_an_empty_run(scanners: Path) -> None:
    path = scanners / "prowler_zero_vul.csv"
    run = read_prowler(path, rules=PROWLER)
    assert totals(run) == (0, 0, 0, 0) and run.tally.items == {} and run.tally.unmapped == {}
    assert (run.tool.name, run.tool.version, run.target) == ("prowler", None, "prowler_zero_vul.csv")
    assert run.observed_at == mtime(path)  # the file says no time: its modification time
    assert run.input_sha256 == sha(path)


def test_prowler_muted_statuses_and_severity_ids(tmp_path: Path) -> None:
    findings = [
        {"metadata": {"event_code": "a"}, "status_code": "FAIL", "status": "Suppressed", "severity_id": 5},
        {"metadata": {"event_code": "a"}, "status_code": "PASS", "severity": "High", "time": 1739539623},
        {"metadata": {"event_code": "a"}, "status_code": "WEIRD", "severity_id": 4, "resources": [{"name": "n"}]},
        {"metadata": {"event_code": "b"}, "status_code": "FAIL", "status_id": 3, "cloud": {"account": {"uid": "1"}}},
    ]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(findings), "utf-8")
    run = read_prowler(path, rules=table("prowler", {"a": ("IAM-01",), "b": ("IAM-02",)}))
    assert totals(run) == (1, 0, 1, 2)
    assert run.suppressed == 2
    assert results(run) == {"IAM-01": ("error", 1, 0, 1, 1), "IAM-02": ("not_applicable", 0, 0, 0, 1)}
    assert run.tally.items["IAM-01"].checks["a"].severity == Severity.HIGH
    assert run.tally.kept[0].observed == "status WEIRD" and run.tally.kept[0].resource == "n"
    assert run.observed_at == dt.datetime(2025, 2, 14, 13, 27, 3, tzinfo=dt.UTC)
    assert run.target == "1"


def test_prowler_csv_of_older_releases_and_muted_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "\ufeffASSESSMENT_START_TIME;PROVIDER;CHECK_ID;STATUS;SEVERITY;ACCOUNT_ID;RESOURCE_ARN;MUTED;PRWOLER_VERSION\r\n"
        '2024-01-02T03:04:05Z;aws;a;PASS;high;111;"arn:1;x";False;3.11.0\r\n'
        "2024-01-02T03:04:06Z;aws;a;FAIL;critical;222;arn:2;True;3.11.0\r\n"
        "2024-01-02T03:04:07Z;aws;z;FAIL;critical;222;arn:3;false;3.11.0\r\n",
        "utf-8",
    )
    run = read_prowler(path, rules=table("prowler", {"a": ("IAM-01",)}))
    assert totals(run) == (1, 1, 0, 1) and run.suppressed == 1
    assert run.tool.version == "3.11.0"
    assert run.target == "AWS 111, AWS 222"
    assert run.observed_at == dt.datetime(2024, 1, 2, 3, 4, 7, tzinfo=dt.UTC)
    assert run.tally.unmapped == {"z": 1}
    assert run.tally.worst_failing is None  # the critical failure is of the unmapped rule z


def test_prowler_fixture_with_the_shipped_table(scanners: Path) -> None:
    """The shipped table maps the fixture's rules (whatever items it chose, none is dropped)."""
    run = read_prowler(scanners / "prowler-example_output_aws.ocsf.json")
    shipped = load_mapping("prowler")
    assert shipped.items_for("accessanalyzer_enabled")
    for item in shipped.items_for("accessanalyzer_enabled"):
        assert run.tally.items[item].checks["accessanalyzer_enabled"].resources == 1
    assert run.tally.count == 3


# --- Checkov ---------------------------------------------------------------------------------------------


def test_checkov_single_report_fixture(scanners: Path) -> None:
    path = scanners / "checkov-report-many-vuln.json"
    run = read_checkov(path, rules=table("checkov", {"CKV_AZURE_41": ("KEY-02",), "CKV_AZURE_42": ("KEY-01",)}))
    assert totals(run) == (0, 3, 0, 0)
    assert (run.tool.name, run.tool.version) == ("checkov", "1.0.467")
    assert run.target == "checkov-report-many-vuln.json"  # Checkov names no repository without --repo-id
    assert run.observed_at == mtime(path)
    assert run.input_sha256 == sha(path)
    assert run.tally.unmapped == {"CKV_AZURE_43": 1}
    assert results(run) == {"KEY-02": ("fail", 0, 1, 0, 0), "KEY-01": ("fail", 0, 1, 0, 0)}
    kept = run.tally.kept[0]
    assert (kept.resource, kept.location, kept.line, kept.severity) == (
        "azurerm_key_vault.main",
        "file_path",
        1,
        Severity.MEDIUM,  # Checkov without a platform key writes no severity
    )


def test_checkov_summary_only_fixture(scanners: Path) -> None:
    path = scanners / "checkov2-report-0-vuln.json"
    run = read_checkov(path, rules=table("checkov"))
    assert totals(run) == (0, 0, 0, 0)
    assert (run.tool.version, run.target, run.observed_at) == ("2.1.269", path.name, mtime(path))


def test_checkov_list_of_reports(tmp_path: Path) -> None:
    def check(check_id: str, resource: str, severity: str | None = None) -> dict[str, object]:
        return {"check_id": check_id, "resource": resource, "file_path": "/main.tf", "file_line_range": [3, 9],
                "severity": severity, "check_name": "A check"}  # fmt: skip

    reports = [
        {
            "check_type": "terraform",
            "results": {
                "passed_checks": [check("CKV_AWS_1", "aws_s3_bucket.a"), check("CKV_AWS_1", "aws_s3_bucket.b")],
                "failed_checks": [check("CKV_AWS_2", "aws_s3_bucket.a", "HIGH")],
                "skipped_checks": [check("CKV_AWS_2", "aws_s3_bucket.b")],
                "parsing_errors": ["/broken.tf"],
            },
            "summary": {"passed": 2, "failed": 1, "checkov_version": "3.2.1"},
            "repo_id": "acme/payments",
        },
        {"check_type": "kubernetes", "results": {"failed_checks": [check("CKV_K8S_1", "Pod.default.x")]}},
    ]
    path = tmp_path / "checkov.json"
    path.write_text(json.dumps(reports), "utf-8")
    run = read_checkov(path, rules=table("checkov", {"CKV_AWS_1": ("DAT-01",), "CKV_AWS_2": ("DAT-01", "LOG-01")}))
    assert totals(run) == (2, 2, 1, 1) and run.suppressed == 1
    assert (run.tool.version, run.target) == ("3.2.1", "acme/payments")
    assert results(run) == {"DAT-01": ("fail", 2, 1, 0, 1), "LOG-01": ("fail", 0, 1, 0, 1)}
    assert run.tally.items["DAT-01"].checks["CKV_AWS_2"].severity == Severity.HIGH
    assert run.tally.unmapped == {"CKV_K8S_1": 1, "checkov_parsing_error": 1}


# --- Trivy -----------------------------------------------------------------------------------------------

TRIVY = table("trivy", {"CVE-2021-33503": ("PAT-02",), "AVD-DS-0002": ("PRV-02",), "github-pat": ("KEY-02",)})


def test_trivy_misconfigurations_and_secrets_fixture(scanners: Path) -> None:
    path = scanners / "trivy-misconfigurations_and_secrets.json"
    run = read_trivy(path, rules=TRIVY)
    assert totals(run) == (0, 5, 0, 0)  # 2 vulnerabilities, 1 misconfiguration, 2 secrets
    assert (run.tool.name, run.tool.version) == ("trivy", None)
    assert run.target == path.name  # ArtifactName "." says only "this folder"
    assert run.observed_at == mtime(path)
    assert run.input_sha256 == sha(path)
    # DS002 has no AVDID in this file: its short ID is looked up
    assert run.tally.unmapped == {"CVE-2021-28363": 1, "DS002": 1}
    assert results(run) == {"PAT-02": ("fail", 0, 1, 0, 0), "KEY-02": ("fail", 0, 2, 0, 0)}
    secret = run.tally.items["KEY-02"].checks["github-pat"]
    assert (secret.severity, secret.example, secret.resources) == (Severity.CRITICAL, "Dockerfile", 2)
    assert all("GITHUB_PAT" not in str(f) for f in run.tally.kept)  # what matched is never kept
    vulnerability = run.tally.kept[0]
    assert (vulnerability.resource, vulnerability.observed) == ("requirements.txt: urllib3 1.26.3", "fixed in 1.26.5")


def test_trivy_image_vulnerabilities_fixture(scanners: Path) -> None:
    path = scanners / "trivy-scheme_2_many_vulns.json"
    run = read_trivy(path, rules=table("trivy", {"CVE-2019-12900": ("PAT-02",)}))
    assert totals(run) == (0, 5, 0, 0)
    assert run.target == "teamdojo:latest"
    assert run.tally.worst_failing == Severity.CRITICAL
    assert (
        run.tally.items["PAT-02"].checks["CVE-2019-12900"].example == "teamdojo:latest (alpine 3.9.4): libbz2 1.0.6-r6"
    )
    assert sorted(run.tally.unmapped) == ["CVE-2018-11771", "CVE-2018-1324", "CVE-2020-15999", "CVE-2020-28196"]


def test_trivy_misconfiguration_statuses_and_times(tmp_path: Path) -> None:
    report = {
        "SchemaVersion": 2,
        "CreatedAt": "2026-11-30T01:02:03.456+09:00",
        "ArtifactName": "github.com/acme/infra",
        "Trivy": {"Version": "0.58.1"},
        "Results": [
            {
                "Misconfigurations": [
                    {"AVDID": "AVD-AWS-0086", "ID": "AWS-0086", "Status": "PASS", "Severity": "HIGH"},
                    {"AVDID": "AVD-AWS-0086", "ID": "AWS-0086", "Status": "FAIL", "Severity": "HIGH",
                     "CauseMetadata": {"Resource": "aws_s3_bucket.logs", "StartLine": 12}},
                    {"AVDID": "AVD-AWS-0087", "Status": "EXCEPTION", "Severity": "LOW"},
                ],
                "Target": "s3.tf",  # after its findings: they wait for it
            },
            {"Target": "go.sum", "Vulnerabilities": None},
        ],
    }  # fmt: skip
    path = tmp_path / "trivy.json"
    path.write_text(json.dumps(report), "utf-8")
    run = read_trivy(path, rules=table("trivy", {"AVD-AWS-0086": ("DAT-01",), "AVD-AWS-0087": ("DAT-01",)}))
    assert totals(run) == (1, 1, 0, 1) and run.suppressed == 1
    assert (run.tool.version, run.target) == ("0.58.1", "github.com/acme/infra")
    assert run.observed_at == dt.datetime(2026, 11, 29, 16, 2, 3, 456000, dt.UTC)
    failing = run.tally.kept[0]
    assert (failing.resource, failing.location, failing.line) == ("s3.tf: aws_s3_bucket.logs", "s3.tf", 12)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"SchemaVersion": 3, "Results": []}', "1:19: SchemaVersion 3: antai reads Trivy reports of schema version 2"),
        ("[]", "1:1: a Trivy report of schema version 1"),
        ('{"Results": []}', "1:1: not a Trivy JSON report: it has no SchemaVersion"),
    ],
)
def test_trivy_refuses_other_schema_versions(tmp_path: Path, content: str, expected: str) -> None:
    from antai.catalog import SourceError

    path = tmp_path / "t.json"
    path.write_text(content, "utf-8")
    with pytest.raises(SourceError) as caught:
        read_trivy(path, rules=TRIVY, display="t.json")
    assert str(caught.value).startswith("t.json:" + expected)


# --- SARIF -----------------------------------------------------------------------------------------------


def test_sarif_codeql_fixture_maps_by_cwe(scanners: Path, catalog: Catalog) -> None:
    path = scanners / "sarif-codeQL-output.sarif"
    run = read_sarif(path, rules=table("sarif", ignored=("py/unused-import",)), catalog=catalog)
    assert totals(run) == (0, 72, 0, 0)
    assert (run.tool.name, run.tool.version) == ("CodeQL", "2.5.4")
    assert run.target == path.name and run.observed_at == mtime(path)
    assert run.input_sha256 == sha(path)
    # py/sql-injection (CWE-89: SEC-02), py/reflective-xss (CWE-79: SEC-02, SEC-05), py/path-injection
    # (CWE-22: SEC-02), py/flask-debug (CWE-489: MOB-08), as the catalog's references cite them
    assert results(run) == {
        "SEC-02": ("fail", 0, 5, 0, 0),
        "SEC-05": ("fail", 0, 2, 0, 0),
        "MOB-08": ("fail", 0, 4, 0, 0),
    }
    assert run.tally.items["SEC-02"].checks["py/sql-injection"].severity == Severity.HIGH  # the rule's default level
    assert run.tally.unmapped["py/unused-import"] == 40 and run.tally.unmapped["py/empty-except"] == 7
    assert sum(run.tally.unmapped.values()) == 72 - 9


def test_sarif_semgrep_fixture_honours_the_suppression(scanners: Path) -> None:
    path = scanners / "sarif-semgrep-results.sarif"
    run = read_sarif(path, rules=table("sarif", {"rules.regex.detected-aws-account-id": ("KEY-02",)}))
    assert totals(run) == (0, 1, 0, 1) and run.suppressed == 1
    assert (run.tool.name, run.tool.version) == ("Semgrep OSS", "placeholder")
    assert results(run) == {"KEY-02": ("fail", 0, 1, 0, 1)}
    check = run.tally.items["KEY-02"].checks["rules.regex.detected-aws-account-id"]
    assert (check.severity, check.example) == (Severity.HIGH, "targets/basic/regex-nosemgrep.txt:3")


def test_sarif_trivy_fixture(scanners: Path) -> None:
    path = scanners / "sarif-trivy-alpine-310.sarif"
    run = read_sarif(path, rules=table("sarif", {"CVE-2019-1549": ("PAT-02",)}))
    assert totals(run) == (0, 4, 0, 0)
    assert (run.tool.name, run.tool.version) == ("Trivy", "dev")
    assert run.target == "testdata/fixtures/images/alpine-310.tar.gz"
    assert results(run) == {"PAT-02": ("fail", 0, 2, 0, 0)}
    assert run.tally.unmapped == {"CVE-2019-1551": 2}
    assert run.tally.worst_failing == Severity.MEDIUM  # level warning


def test_sarif_kinds_levels_suppressions_and_runs(tmp_path: Path, catalog: Catalog) -> None:
    def result(rule: str, **extra: object) -> dict[str, object]:
        where = {"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 7}}}
        return {"ruleId": rule, "message": {"text": "m"}, "locations": [where], **extra}

    log = {
        "version": "2.1.0",
        "runs": [
            {
                "results": [  # before the tool: the rules are read first anyway
                    result("r1"),
                    result("r1", kind="pass"),
                    result("r1", kind="review"),
                    result("r1", kind="open"),
                    result("r1", kind="informational"),
                    result("r1", kind="notApplicable"),
                    result("r1", suppressions=[{"kind": "external", "status": "accepted"}]),
                    result("r1", suppressions=[{"kind": "external", "status": "underReview"}], level="note"),
                    result("r1", suppressions=[{"kind": "inSource"}, {"kind": "external", "status": "rejected"}]),
                    result("r1", baselineState="absent"),
                    result("r2", level="none"),
                    result("xss", properties={"security-severity": "9.3"}),
                    {"ruleIndex": 2, "message": {"text": "by index"}},
                ],
                "tool": {
                    "driver": {
                        "name": "Scanner",
                        "version": "1.0",
                        "rules": [
                            {"id": "r1", "defaultConfiguration": {"level": "error"}},
                            {"id": "r2"},
                            {"id": "xss", "properties": {"tags": ["security", "CWE-79: Cross-site Scripting"]}},
                        ],
                    }
                },
                "invocations": [{"startTimeUtc": "2026-11-01T09:00:00Z", "executionSuccessful": True}],
                "versionControlProvenance": [{"repositoryUri": "https://github.com/acme/app"}],
            },
            {"tool": {"driver": {"name": "Scanner", "version": "1.0"}}, "results": [result("r2", level="warning")]},
        ],
    }
    path = tmp_path / "log.sarif"
    path.write_text(json.dumps(log), "utf-8")
    run = read_sarif(path, rules=table("sarif", {"r1": ("IAM-01",), "r2": ("IAM-02",)}), catalog=catalog)
    # r1: fail, pass, review+open → error, informational+notApplicable → n/a, accepted → n/a (suppressed),
    # under review → fail, rejected → fail, absent → n/a
    assert results(run)["IAM-01"] == ("fail", 1, 3, 2, 4)
    assert run.suppressed == 1
    assert results(run)["IAM-02"] == ("fail", 0, 2, 0, 0)
    assert run.tally.items["IAM-02"].checks["r2"].severity == Severity.MEDIUM  # none, then warning
    assert results(run)["SEC-02"] == ("fail", 0, 2, 0, 0)  # xss by its CWE tag, and the result by ruleIndex
    assert run.tally.items["SEC-05"].checks["xss"].severity == Severity.CRITICAL  # security-severity 9.3
    assert run.tally.items["IAM-01"].checks["r1"].severity == Severity.HIGH  # the rule's default level: error
    assert (run.tool.name, run.tool.version) == ("Scanner", "1.0")
    assert run.target == "https://github.com/acme/app"
    assert run.observed_at == dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


def test_cwe_tags() -> None:
    assert cwes_in(["external/cwe/cwe-079", "CWE-89: SQL", "security", "cwe_22", "owasp-a1"]) == (
        "CWE-79",
        "CWE-89",
        "CWE-22",
    )


# --- big files -------------------------------------------------------------------------------------------


_TEMPLATE = json.dumps(
    {
        "message": "x" * 200,
        "metadata": {"event_code": "check_@C", "product": {"name": "Prowler", "version": "5.46.0"}},
        "severity": "@S",
        "status": "New",
        "status_code": "@P",
        "status_detail": "resource @N is as it is",
        "finding_info": {"title": "A check", "uid": "u-@N"},
        "resources": [{"uid": "arn:aws:s3:::bucket-@N", "data": {"details": "y" * 300}}],
        "cloud": {"account": {"uid": "123456789012"}, "provider": "aws"},
        "time_dt": "2026-11-30T01:00:00",
        "unmapped": {"compliance": {"CIS-3.0": ["1.1", "1.2"]}},
    },
    indent=2,
)
_SEVERITIES = ("Low", "Medium", "High", "Critical")


def _prowler_finding(n: int) -> str:
    return (
        _TEMPLATE.replace("@C", str(n % 7))
        .replace("@S", _SEVERITIES[n % 4])
        .replace("@P", ("PASS", "FAIL")[n % 2])
        .replace("@N", str(n))
    )


def _prowler_file(path: Path, count: int, passing: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        out.writelines((",\n" if n else "") + _prowler_finding(2 * n if passing else n) for n in range(count))
        out.write("\n]\n")
    return path


def _traced_peak(path: Path, rules: RuleMap) -> int:
    tracemalloc.start()
    try:
        read_prowler(path, rules=rules)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_big_prowler_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    count = 200_000
    path = _prowler_file(tmp_path / "big.ocsf.json", count)
    assert path.stat().st_size > 200_000_000
    rules = table("prowler", {f"check_{n}": ("IAM-01",) for n in range(6)})
    run = read_prowler(path, rules=rules)
    assert totals(run) == (count // 2, count // 2, 0, 0)
    assert run.tally.unmapped == {"check_6": len([n for n in range(count) if n % 7 == 6])}
    assert run.tally.items["IAM-01"].failed == count // 2 - len([n for n in range(1, count, 2) if n % 7 == 6])
    assert run.tally.worst_failing == Severity.CRITICAL
    assert (run.tool.version, run.target) == ("5.46.0", "AWS 123456789012")
    assert run.observed_at == dt.datetime(2026, 11, 30, 1, tzinfo=dt.UTC)
    assert run.input_sha256 == sha(path)
    # memory: what the reader holds does not grow with the file (tracemalloc is slow: smaller files, all
    # passing, since a run keeps the first 10,000 failing findings for its JSON and SARIF outputs)
    small = _traced_peak(_prowler_file(tmp_path / "5k.json", 5_000, passing=True), rules)
    large = _traced_peak(_prowler_file(tmp_path / "20k.json", 20_000, passing=True), rules)
    assert large < 12_000_000, large  # a 24 MB file; the reader holds about a megabyte of it at a time
    assert large < small + 2_000_000, (small, large)


def test_the_batch_reader_and_the_exact_reader_agree(tmp_path: Path) -> None:
    """A NaN (which msgspec refuses; Python reads it) makes a batch fall back: the findings stay the same."""
    body = [_prowler_finding(n) for n in range(3000)]
    body[1500] = body[1500].replace('"status": "New"', '"status": "New", "score": NaN')
    path = tmp_path / "mixed.json"
    path.write_text("[" + ",".join(body) + "]", "utf-8")
    clean = tmp_path / "clean.json"
    clean.write_text("[" + ",".join(_prowler_finding(n) for n in range(3000)) + "]", "utf-8")
    rules = table("prowler", {f"check_{n}": ("IAM-01",) for n in range(7)})
    a, b = read_prowler(path, rules=rules), read_prowler(clean, rules=rules)
    assert totals(a) == totals(b) == (1500, 1500, 0, 0)
    assert [f.resource for f in a.tally.kept] == [f.resource for f in b.tally.kept]
    assert results(a) == results(b)


# --- through the CLI -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Import KK")


def test_import_prowler_records_evidence_once(scanners: Path, template: Path, tmp_path: Path) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    fixture = scanners / "prowler-example_output_aws.ocsf.json"
    done = run_cli("import", "prowler", str(fixture), "--record", "-C", str(ws), "--lang", "en", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["tool"], data["tool_version"], data["target"]) == ("prowler", "<prowler_version>", "AWS <account_uid>")
    assert data["observed_at"] == "2025-02-14T14:27:03.913874+00:00"
    assert data["input_sha256"] == sha(fixture)
    mapped = load_mapping("prowler").items_for("accessanalyzer_enabled")
    recorded = data["recorded"]["evidence"]
    assert recorded and set(recorded.values()) <= set(data["items"])
    on_items = set(recorded.values())
    assert on_items & set(mapped)  # the Access Analyzer failure is evidence on its items that the plan selects
    kept = [p for p in (ws / "evidence" / "files").iterdir()]
    assert len(kept) == 1 and kept[0].name.endswith(fixture.name)
    assert sha(kept[0]) == sha(fixture)
    index = (ws / "evidence" / "index.yaml").read_text("utf-8")
    assert sha(fixture) in index and "effective_from: 2025-02-14" in index

    again = run_cli("import", "prowler", str(fixture), "--record", "-C", str(ws), "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "this output is already recorded" in again.stdout
    assert len(list((ws / "evidence" / "files").iterdir())) == 1
    assert (ws / "evidence" / "index.yaml").read_text("utf-8") == index


def test_import_fail_on_and_languages(scanners: Path, tmp_path: Path) -> None:
    fixture = scanners / "trivy-scheme_2_many_vulns.json"
    gated = run_cli("import", "trivy", str(fixture), "--fail-on", "critical", "--lang", "en")
    assert gated.returncode == 1
    assert "a critical finding failed (--fail-on critical or worse fails the run)" in gated.stderr
    table_ja = run_cli("import", "trivy", str(fixture), "--lang", "ja")
    assert table_ja.returncode == 0 and "trivy: teamdojo:latest" in table_ja.stdout and "不適合" in table_ja.stdout
    checkov = scanners / "checkov2-report-0-vuln.json"
    assert run_cli("import", "checkov", str(checkov), "--fail-on", "low").returncode == 0
    out = tmp_path / "scan.json"
    sarif = run_cli(
        "import", "sarif", str(scanners / "sarif-semgrep-results.sarif"), "--format", "json", "-o", str(out)
    )
    assert sarif.returncode == 0, sarif.stderr
    assert json.loads(out.read_text("utf-8"))["totals"] == {"pass": 0, "fail": 1, "error": 0, "not_applicable": 1}


def test_import_refuses_a_missing_or_broken_file(tmp_path: Path) -> None:
    missing = run_cli("import", "prowler", str(tmp_path / "nope.json"), "--lang", "en")
    assert missing.returncode == 2 and "nope.json: no such file" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('[{"metadata": {"event_code": "a"}, "status_code": "PASS"},\n {"metadata": ', "utf-8")
    en = run_cli("import", "prowler", str(broken), "--lang", "en")
    assert en.returncode == 1 and "Traceback" not in en.stderr
    assert f"{broken}:2:15: the file ends early (is it cut off?)" in en.stderr
    ja = run_cli("import", "prowler", str(broken), "--lang", "ja")
    assert f"{broken}:2:15: ファイルが途中で終わっている（切れていないか確かめる）" in ja.stderr
    assert f"{broken}: 取り込めない（1 件の問題）" in ja.stderr


def test_both_batch_parsers_read_the_same_fields(tmp_path: Path) -> None:
    """msgspec (a dependency) and the pydantic fallback give the same fields, and both refuse a wrong shape."""
    from antai.importers.prowler import _msgspec_batch, _picked, _picked_struct, _pydantic_batch

    batch = ("[" + ",".join(_prowler_finding(n) for n in range(50)) + "]").encode()
    fast, slow = _msgspec_batch()(batch), _pydantic_batch()(batch)
    assert len(fast) == 50 and [_picked_struct(f) for f in fast] == [_picked(f) for f in slow]
    assert _picked(slow[1])[:4] == ("check_1", "New", None, "FAIL")
    for wrong in (b'[{"metadata": "text"}]', b'[{"resources": {}}]', b"[1]", b'[{"metadata": 1}'):
        for parse in (_msgspec_batch(), _pydantic_batch()):
            with pytest.raises(Exception):  # noqa: B017 - each library raises its own error; the exact reader follows
                parse(wrong)
