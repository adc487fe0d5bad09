"""The scanners' mapping tables: they load, name only real items and real rule IDs, and cover the rule lists.

The rule lists are snapshots in tests/data/rules/ of the IDs each tool release has (scripts/rule-lists makes the
Prowler and Checkov ones from the tools' packages). Every rule of a covered family must be either mapped to items
or deliberately ignored, so a new check in a tool release shows up here instead of being dropped unnoticed.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from antai.catalog import Catalog, SourceError
from antai.catalog.mappings import MAPPINGS_DIR, TOOLS, RuleMap, check_mapping, read_mapping

from .conftest import run_cli

RULES = Path(__file__).parent / "data" / "rules"
PROWLER_PROVIDERS = {"aws", "azure", "gcp", "kubernetes"}
# the Checkov families the table declares covered: cloud and IaC policies, containers, CI and repositories, secrets
CHECKOV_COVERED = re.compile(r"^CKV2?_(AWS|AZURE|GCP|K8S|DOCKER|GHA|GIT|GITHUB|SECRET)_\d+$")


@cache
def table(tool: str) -> RuleMap:
    """A fresh read of the shipped table (not load_mapping's cache, so a test sees the file as it is)."""
    return read_mapping(MAPPINGS_DIR / f"{tool}.yaml", f"mappings/{tool}.yaml")


def snapshot(name: str) -> list[list[str]]:
    lines = (RULES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def trivy_misconfiguration_ids() -> set[str]:
    found: set[str] = set()
    for _provider, _service, avd, others in snapshot("trivy-checks.txt"):
        found |= {avd} - {"-"}
        found |= set(others.split(","))
    return found


def assert_covers(rule_map: RuleMap, rules: set[str]) -> None:
    """Every rule is mapped or ignored, and the table names no rule the snapshot lacks."""
    named = set(rule_map.rules) | rule_map.ignored
    assert sorted(rules - named) == [], "rules neither mapped nor ignored"
    assert sorted(named - rules) == [], "rules in the table that the tool does not have"


# --- every table ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_table_loads_and_names_only_catalog_items(tool: str, catalog: Catalog) -> None:
    rule_map = table(tool)
    assert rule_map.tool == tool
    assert rule_map.version == 1
    assert rule_map.covers != "placeholder"
    assert check_mapping(MAPPINGS_DIR / f"{tool}.yaml", tool, {item.id for item in catalog.items}) == []
    assert set(rule_map.rules).isdisjoint(rule_map.ignored)
    assert all(items for items in rule_map.rules.values())


def test_a_duplicate_rule_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "prowler.yaml"
    path.write_text(
        "tool: prowler\nversion: 1\ncovers: Prowler 5.46.0\nupdated: 2026-12-02\nrules:\n"
        "  iam_root_mfa_enabled: [IAM-01]\n  iam_root_mfa_enabled: [IAM-02]\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as raised:
        read_mapping(path)
    assert [(p.line, p.column) for p in raised.value.problems] == [(7, 3)]
    assert "iam_root_mfa_enabled" in raised.value.problems[0].message


def test_catalog_validate_checks_the_mapping_tables(catalog_copy: Path) -> None:
    tables = catalog_copy / "mappings"
    prowler = (tables / "prowler.yaml").read_text(encoding="utf-8")
    broken = prowler.replace("  iam_root_mfa_enabled: [IAM-01, IAM-02]\n", "  iam_root_mfa_enabled: [IAM-01, ZZZ-99]\n")
    assert broken != prowler
    (tables / "prowler.yaml").write_text(broken + "  - iam_no_root_access_key\n", encoding="utf-8")
    lines = (broken + "  - iam_no_root_access_key\n").splitlines()
    mapped = next(n for n, text in enumerate(lines, 1) if "ZZZ-99" in text)
    result = run_cli("--lang", "en", "catalog", "validate", str(catalog_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"mappings/prowler.yaml:{mapped}:34: iam_root_mfa_enabled maps to ZZZ-99, which is not in the catalog",
        f"mappings/prowler.yaml:{len(lines)}:5: iam_no_root_access_key is both mapped and ignored",
    ]
    ja = run_cli("--lang", "ja", "catalog", "validate", str(catalog_copy))
    assert ja.stdout.splitlines()[0] == (
        f"mappings/prowler.yaml:{mapped}:34: iam_root_mfa_enabled の対応先 ZZZ-99 はカタログにない項目である"
    )
    shutil.rmtree(tables)  # a catalog copy without tables is still a catalog
    assert run_cli("catalog", "validate", str(catalog_copy)).returncode == 0


# --- coverage against the tools' own rule lists ---------------------------------------------------------------


def test_prowler_covers_every_check_of_its_four_providers() -> None:
    rows = snapshot("prowler-5.46.0.txt")
    assert {provider for provider, _ in rows} == PROWLER_PROVIDERS
    assert len(rows) == 1076
    assert_covers(table("prowler"), {check for _, check in rows})
    assert table("prowler").covers == "Prowler 5.46.0"


def test_checkov_covers_every_policy_of_the_declared_families() -> None:
    policies = {check for check, _frameworks in snapshot("checkov-3.3.30.txt")}
    covered = {check for check in policies if CHECKOV_COVERED.match(check)}
    assert len(policies) == 1360
    assert len(covered) == 1129
    assert_covers(table("checkov"), covered)


def test_trivy_covers_every_verified_check_and_secret_rule() -> None:
    secrets = {rule for (rule,) in snapshot("trivy-secret-rules.txt")}
    misconfigurations = trivy_misconfiguration_ids()
    assert len(secrets) == 87
    checks = Counter(provider for provider, *_ in snapshot("trivy-checks.txt"))
    assert checks["azure"] == 73
    assert checks["google"] == 75
    trivy = table("trivy")
    for prefix, mapped, ignored in (("AZU", 67, 6), ("GCP", 71, 4)):
        ids = {rule for rule in misconfigurations if rule.startswith((f"AVD-{prefix}-", f"{prefix}-"))}
        assert len(ids) == 2 * (mapped + ignored), prefix  # every check under its AVD ID and its short ID
        assert len([rule for rule in ids if trivy.items_for(rule)]) == 2 * mapped, prefix
        assert len(ids & trivy.ignored) == 2 * ignored, prefix
    assert_covers(table("trivy"), misconfigurations | secrets)


def test_trivy_patterns_take_advisories_and_leave_other_ids_unknown() -> None:
    trivy = table("trivy")
    for advisory in ("CVE-2021-28363", "GHSA-q2q7-5pp4-w6pg", "GO-2022-0969", "PYSEC-2021-59", "RUSTSEC-2020-0071"):
        assert trivy.items_for(advisory) == ("CHG-04", "PAT-02"), advisory
    # a check of a provider the table does not cover yet, or a number no snapshot has, stays unknown (reported unmapped)
    for unknown in ("AVD-DIG-0001", "DIG-0001", "AVD-AZU-0999", "GCP-0999", "KSV-0999", "my-custom-secret"):
        assert not trivy.known(unknown), unknown
    # no pattern shadows a check or a secret rule
    rule_ids = trivy_misconfiguration_ids() | set(trivy.rules)
    assert [rule for rule in rule_ids if any(p.match(rule) for p, _ in trivy.patterns)] == []


def test_sarif_table_maps_trivy_sarif_rules_as_the_trivy_table_does() -> None:
    trivy, sarif = table("trivy"), table("sarif")
    assert {rule: sarif.rules[rule] for rule in trivy.rules} == trivy.rules
    assert trivy.ignored <= sarif.ignored
    assert [(p.pattern, items) for p, items in trivy.patterns] == [(p.pattern, items) for p, items in sarif.patterns]


# --- what the tables say about rules the guideline names --------------------------------------------------------

EXPECTED = [
    ("prowler", "s3_account_level_public_access_blocks", ("DAT-06",)),
    ("prowler", "s3_bucket_level_public_access_block", ("DAT-06",)),
    ("prowler", "cloudtrail_log_file_validation_enabled", ("LOG-01",)),
    ("prowler", "iam_root_mfa_enabled", ("IAM-01", "IAM-02")),
    ("prowler", "iam_root_hardware_mfa_enabled", ("IAM-01", "IAM-02")),
    ("prowler", "iam_no_root_access_key", ("IAM-01",)),
    ("prowler", "kms_cmk_rotation_enabled", ("KEY-01",)),
    ("prowler", "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", ("CYB-07", "PRV-01")),
    ("prowler", "rds_instance_multi_az", ("RED-01",)),
    ("prowler", "guardduty_is_enabled", ("CYB-04", "LOG-05")),
    ("prowler", "ec2_ebs_public_snapshot", ("DAT-11",)),
    ("prowler", "cloudstorage_bucket_public_access", ("DAT-06",)),
    ("prowler", "storage_blob_public_access_level_is_disabled", ("DAT-06",)),
    ("prowler", "core_minimize_privileged_containers", ("PRV-02",)),
    ("checkov", "CKV2_AWS_6", ("DAT-06",)),
    ("checkov", "CKV_AWS_36", ("LOG-01",)),
    ("checkov", "CKV_AWS_7", ("KEY-01",)),
    ("checkov", "CKV_AWS_24", ("CYB-07", "PRV-01")),
    ("checkov", "CKV_AWS_157", ("RED-01",)),
    ("checkov", "CKV_AWS_41", ("KEY-02",)),
    ("trivy", "AVD-AWS-0086", ("DAT-06",)),
    ("trivy", "AWS-0016", ("LOG-01",)),
    ("trivy", "AVD-AWS-0142", ("IAM-01", "IAM-02")),
    ("trivy", "AVD-AWS-0065", ("KEY-01",)),
    ("trivy", "KSV017", ("PRV-02",)),
    ("trivy", "aws-access-key-id", ("KEY-02",)),
    ("trivy", "AVD-AZU-0007", ("DAT-06",)),  # public blob container
    ("trivy", "AZU-0038", ("DAT-04",)),  # managed disk encryption
    ("trivy", "AVD-AZU-0011", ("TRN-02",)),  # storage account minimum TLS
    ("trivy", "AZU-0006", ("TRN-01",)),  # App Service minimum TLS
    ("trivy", "AVD-AZU-0014", ("KEY-01",)),  # Key Vault key expiry
    ("trivy", "AZU-0050", ("CYB-07", "PRV-01")),  # NSG open to SSH from the internet
    ("trivy", "AVD-AZU-0031", ("LOG-02",)),  # activity log retention
    ("trivy", "AVD-GCP-0001", ("DAT-06",)),  # public bucket
    ("trivy", "GCP-0065", ("KEY-01",)),  # KMS key rotation
    ("trivy", "AVD-GCP-0071", ("CYB-07", "PRV-01")),  # firewall open to SSH
    ("trivy", "GCP-0079", ("LOG-01", "LOG-02")),  # project audit logging
    ("trivy", "AVD-GCP-0021", ("LOG-04",)),  # statement logging could write sensitive data to logs
    ("sarif", "AZU-0007", ("DAT-06",)),
    ("sarif", "AVD-GCP-0065", ("KEY-01",)),
]


@pytest.mark.parametrize(("tool", "rule", "items"), EXPECTED)
def test_named_rules_map_to_the_items_they_are_evidence_for(tool: str, rule: str, items: tuple[str, ...]) -> None:
    assert table(tool).items_for(rule) == items


@pytest.mark.parametrize(
    ("tool", "rule"),
    [
        ("prowler", "iam_password_policy_minimum_length_14"),  # no item asks for cloud IAM user passwords
        ("prowler", "ec2_instance_detailed_monitoring_enabled"),
        ("checkov", "CKV_AZURE_43"),  # storage account naming
        ("trivy", "DS026"),  # no HEALTHCHECK in a Dockerfile
        ("trivy", "stripe-publishable-token"),  # public by design
        ("trivy", "AZU-0005"),  # HTTP/2 on App Service
        ("trivy", "AVD-GCP-0051"),  # GKE cluster labels
    ],
)
def test_rules_with_no_bearing_are_ignored_not_unknown(tool: str, rule: str) -> None:
    assert table(tool).known(rule)
    assert table(tool).items_for(rule) == ()


# --- the real scanner outputs in ../shared/fixtures/scanners ---------------------------------------------------


def test_every_rule_in_the_prowler_fixtures_is_mapped(shared: Path) -> None:
    scanners = shared / "fixtures" / "scanners"
    ocsf = json.loads((scanners / "prowler-example_output_aws.ocsf.json").read_text(encoding="utf-8"))
    checks = {finding["metadata"]["event_code"] for finding in ocsf}
    with (scanners / "prowler-aws.csv").open(encoding="utf-8", newline="") as handle:
        checks |= {row["CHECK_ID"] for row in csv.DictReader(handle, delimiter=";")}
    assert {check: table("prowler").items_for(check) for check in checks} == {
        "accessanalyzer_enabled": ("DAT-06", "DAT-11"),
        "account_maintain_current_contact_details": ("MON-03", "CYB-09"),
        "account_maintain_different_contact_details_to_security_billing_and_operations": ("CYB-09",),
        "account_security_contact_information_is_registered": ("CYB-09", "CHG-03"),
    }


def test_every_rule_in_the_checkov_fixture_is_known(shared: Path) -> None:
    path = shared / "fixtures" / "scanners" / "checkov-report-many-vuln.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    checks = {check["check_id"] for check in report["results"]["failed_checks"]}
    assert {check: table("checkov").items_for(check) for check in checks} == {
        "CKV_AZURE_41": ("KEY-02",),  # secrets have an expiry date
        "CKV_AZURE_42": ("KEY-01", "DAT-07"),  # the key vault is recoverable
        "CKV_AZURE_43": (),  # storage account naming: looked at, bears on nothing
    }
    assert table("checkov").known("CKV_AZURE_43")


def test_every_rule_in_the_trivy_fixtures_is_mapped(shared: Path) -> None:
    scanners = shared / "fixtures" / "scanners"
    found: dict[str, tuple[str, ...]] = {}
    for name in ("trivy-misconfigurations_and_secrets.json", "trivy-scheme_2_many_vulns.json"):
        for result in json.loads((scanners / name).read_text(encoding="utf-8"))["Results"]:
            for vulnerability in result.get("Vulnerabilities") or []:
                found[vulnerability["VulnerabilityID"]] = table("trivy").items_for(vulnerability["VulnerabilityID"])
            for misconfiguration in result.get("Misconfigurations") or []:
                found[misconfiguration["ID"]] = table("trivy").items_for(misconfiguration["ID"])
            for secret in result.get("Secrets") or []:
                found[secret["RuleID"]] = table("trivy").items_for(secret["RuleID"])
    assert found.pop("DS002") == ("PRV-02",)  # the image runs as root
    assert found.pop("github-pat") == ("KEY-02",)
    assert sorted(found) == [
        "CVE-2018-11771",
        "CVE-2018-1324",
        "CVE-2019-12900",
        "CVE-2020-15999",
        "CVE-2020-28196",
        "CVE-2021-28363",
        "CVE-2021-33503",
    ]
    assert set(found.values()) == {("CHG-04", "PAT-02")}
    assert table("trivy").items_for("AVD-DS-0002") == ("PRV-02",)


def test_sarif_fixture_rules_are_mapped_ignored_or_cwe_tagged(shared: Path) -> None:
    """Every result either has a table entry or a CWE tag for the importer's fallback, except Semgrep's local rule."""
    untagged_unknown: set[str] = set()
    for name in ("sarif-codeQL-output.sarif", "sarif-semgrep-results.sarif", "sarif-trivy-alpine-310.sarif"):
        log = json.loads((shared / "fixtures" / "scanners" / name).read_text(encoding="utf-8-sig"))
        for run in log["runs"]:
            tags = {
                rule["id"]: [t for t in (rule.get("properties") or {}).get("tags", []) if "cwe" in t.lower()]
                for rule in run["tool"]["driver"].get("rules", [])
            }
            for result in run["results"]:
                rule = result["ruleId"]
                if not table("sarif").known(rule) and not tags.get(rule):
                    untagged_unknown.add(rule)
    # a rule from the user's own Semgrep rule file: nothing to map it to, so the importer reports it as unmapped
    assert untagged_unknown == {"rules.regex.detected-aws-account-id"}
    assert table("sarif").items_for("CVE-2019-1549") == ("CHG-04", "PAT-02")
    assert table("sarif").items_for("py/flask-debug") == ("BP-06", "SEC-06")
