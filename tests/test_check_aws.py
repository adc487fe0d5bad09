"""`antai check aws` against a real emulated account: real boto3 over HTTP to a moto server, through a
loopback proxy that counts requests, denies or throttles chosen operations and plays the root user.

One emulator serves the module; each scenario is its own account (111… compliant, 222… non-compliant).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from antai.collectors.aws.actions import ACTIONS, policy_actions
from antai.collectors.aws.checks import CHECKS
from antai.collectors.aws.collect import AwsScan, collect
from tests.aws_harness import Emulator, seed

from .conftest import init_template, run_cli

GOOD, BAD = "111111111111", "222222222222"
ALL_CHECKS = [m.META.id for m in CHECKS]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.seeded = {GOOD: seed.compliant(emulator, GOOD), BAD: seed.noncompliant(emulator, BAD)}  # type: ignore[attr-defined]
        yield emulator


@pytest.fixture(scope="module")
def calls() -> Counter[tuple[str, str]]:
    """Every (service, operation) the collector called in this module's in-process runs."""
    return Counter()


@pytest.fixture
def scan(emu: Emulator, calls: Counter[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(account: str, **options: Any) -> AwsScan:
        for name, value in emu.env(account).items():
            monkeypatch.setenv(name, value)
        assert emu.proxy is not None
        session = emu.session(account)

        def record(model: Any, **_: Any) -> None:
            calls[(model.service_model.service_name, model.name)] += 1

        session.events.register("before-call.*.*", record)
        return collect(session=session, lang="en", **options)

    return run


def verdicts(found: AwsScan) -> dict[str, dict[str, set[str]]]:
    """check -> status -> resources"""
    table: dict[str, dict[str, set[str]]] = {}
    for f in found.findings:
        table.setdefault(f.check, {}).setdefault(f.status.value, set()).add(f.resource)
    return table


def observed(found: AwsScan, check: str, resource: str) -> str | None:
    return next(f.observed for f in found.findings if f.check == check and f.resource == resource)


def test_a_compliant_account_passes_every_check(emu: Emulator, scan: Any) -> None:
    found = scan(GOOD, break_glass=["BreakGlass"])
    table = verdicts(found)
    assert set(table) == set(ALL_CHECKS)
    statuses = {check: set(by_status) for check, by_status in table.items()}
    assert statuses == {check: {"pass"} for check in ALL_CHECKS} | {"aws.kms.rotation": {"pass", "not_applicable"}}
    assert found.account == GOOD and found.regions == ("ap-northeast-1",)
    role = f"arn:aws:iam::{GOOD}:role/BreakGlass"
    assert observed(found, "aws.iam.admin_policies", role) == "break-glass: AdministratorAccess"
    assert observed(found, "aws.iam.root_signin_alarm", GOOD) == "RootUseAlarm -> security-alerts"
    assert observed(found, "aws.config.change_alarm", GOOD) == "ConfigChangesAlarm -> security-alerts"
    locked = f"arn:aws:s3:::trail-logs-{GOOD}"
    assert observed(found, "aws.cloudtrail.object_lock", locked) == "Mode=COMPLIANCE, Days=400"
    assert table["aws.s3.tls_only"]["pass"] == {locked, f"arn:aws:s3:::app-data-{GOOD}"}
    assert all(f.title and f.items for f in found.findings)


def test_without_the_break_glass_declaration_its_admin_role_fails(emu: Emulator, scan: Any) -> None:
    table = verdicts(scan(GOOD, break_glass=["Other*"]))
    assert table["aws.iam.admin_policies"]["fail"] == {f"arn:aws:iam::{GOOD}:role/BreakGlass"}


def test_a_non_compliant_account_fails_each_check_on_the_right_resource(emu: Emulator, scan: Any) -> None:
    seeded = emu.seeded[BAD]  # type: ignore[attr-defined]
    found = scan(BAD)
    failing = {check: by_status.get("fail", set()) for check, by_status in verdicts(found).items()}
    root, account, region = f"arn:aws:iam::{BAD}:root", BAD, f"{BAD}/ap-northeast-1"
    sg = f"arn:aws:ec2:ap-northeast-1:{BAD}:security-group/"
    legacy = f"arn:aws:rds:ap-northeast-1:{BAD}:db:legacy"
    cluster = f"arn:aws:rds:ap-northeast-1:{BAD}:cluster:ledger-cluster"
    open_bucket = f"arn:aws:s3:::{seeded['open_bucket']}"
    assert failing == {
        "aws.iam.root_mfa": {root},
        "aws.iam.root_hardware_mfa": {root},
        "aws.iam.root_access_keys": {root},
        "aws.iam.root_signin_alarm": {account},
        "aws.iam.user_mfa": {f"arn:aws:iam::{BAD}:user/bob"},
        "aws.iam.password_policy": {account},
        "aws.iam.admin_policies": {f"arn:aws:iam::{BAD}:user/bob", f"arn:aws:iam::{BAD}:role/ci"},
        "aws.iam.unused_credentials": {f"arn:aws:iam::{BAD}:user/old-key"},
        "aws.iam.access_key_age": {f"arn:aws:iam::{BAD}:user/old-key"},
        "aws.cloudtrail.multi_region": {account},
        "aws.cloudtrail.log_validation": {f"arn:aws:cloudtrail:ap-northeast-1:{BAD}:trail/regional"},
        "aws.cloudtrail.object_lock": {f"arn:aws:s3:::{seeded['logs_bucket']}"},
        "aws.config.recorder": {region},
        "aws.config.change_alarm": {account},
        "aws.kms.rotation": {f"arn:aws:kms:ap-northeast-1:{BAD}:key/{seeded['key']}"},
        "aws.s3.default_encryption": {open_bucket},
        "aws.s3.tls_only": {open_bucket},
        "aws.s3.account_public_access_block": {account},
        "aws.s3.bucket_public_access_block": {open_bucket},
        "aws.rds.encryption": {legacy, cluster},
        "aws.rds.multi_az": {legacy, cluster},
        "aws.rds.backups": {legacy},
        "aws.ec2.public_snapshots": {f"arn:aws:ec2:ap-northeast-1::snapshot/{seeded['snapshot']}"},
        "aws.rds.public_snapshots": {
            f"arn:aws:rds:ap-northeast-1:{BAD}:snapshot:legacy-manual",
            f"arn:aws:rds:ap-northeast-1:{BAD}:cluster-snapshot:ledger-cluster-manual",
        },
        "aws.ec2.public_images": {f"arn:aws:ec2:ap-northeast-1::image/{seeded['image']}"},
        "aws.ec2.security_group_admin_ports": {sg + seeded["ssh"], sg + seeded["rdp"]},
        "aws.guardduty.enabled": {region},
    }
    assert observed(found, "aws.ec2.security_group_admin_ports", sg + seeded["ssh"]) == "tcp/22 0.0.0.0/0"
    assert observed(found, "aws.ec2.security_group_admin_ports", sg + seeded["rdp"]) == "tcp/3389 ::/0"
    assert observed(found, "aws.iam.admin_policies", f"arn:aws:iam::{BAD}:role/ci") == "inline everything"
    assert observed(found, "aws.iam.root_access_keys", root) == "AccountAccessKeysPresent=1"
    assert observed(found, "aws.iam.access_key_age", f"arn:aws:iam::{BAD}:user/old-key").startswith("access_key_1 ")
    assert observed(found, "aws.cloudtrail.multi_region", account) == "regional: single-region"
    assert not [f for f in found.findings if f.status.value == "error"]


DENIED = {
    "iam:GetAccountAuthorizationDetails": "AccessDenied",  # query / XML
    "ec2:DescribeSecurityGroups": "UnauthorizedOperation",  # EC2 query
    "s3:GetBucketPolicy": "AccessDenied",  # REST / XML
    "kms:GetKeyRotationStatus": "AccessDeniedException",  # JSON 1.1
    "guardduty:ListDetectors": "AccessDeniedException",  # REST / JSON
    "cloudwatch:DescribeAlarms": "AccessDeniedException",  # JSON 1.0 (botocore speaks it to CloudWatch)
}


def test_denied_calls_give_error_findings_naming_the_action_and_the_rest_still_runs(emu: Emulator, scan: Any) -> None:
    assert emu.proxy is not None
    seeded = emu.seeded[GOOD]  # type: ignore[attr-defined]
    emu.proxy.reset()
    emu.proxy.deny = set(DENIED)
    try:
        found = scan(GOOD, break_glass=["BreakGlass"])
        counts = dict(emu.proxy.counts)
    finally:
        emu.proxy.reset()
    errors = {(f.check, f.resource, f.observed) for f in found.findings if f.status.value == "error"}
    buckets = [f"arn:aws:s3:::trail-logs-{GOOD}", f"arn:aws:s3:::app-data-{GOOD}"]
    key = f"arn:aws:kms:ap-northeast-1:{GOOD}:key/{seeded['key']}"
    region = f"{GOOD}/ap-northeast-1"
    assert errors == {
        ("aws.iam.admin_policies", GOOD, "AccessDenied: iam:GetAccountAuthorizationDetails"),
        ("aws.ec2.security_group_admin_ports", region, "UnauthorizedOperation: ec2:DescribeSecurityGroups"),
        *{("aws.s3.tls_only", b, "AccessDenied: s3:GetBucketPolicy") for b in buckets},
        ("aws.kms.rotation", key, "AccessDeniedException: kms:GetKeyRotationStatus"),
        ("aws.guardduty.enabled", region, "AccessDeniedException: guardduty:ListDetectors"),
        ("aws.iam.root_signin_alarm", region, "AccessDeniedException: cloudwatch:DescribeAlarms"),
        ("aws.config.change_alarm", region, "AccessDeniedException: cloudwatch:DescribeAlarms"),
    }
    # every other check still ran and passed, as on the unrestricted account
    others = {f.check for f in found.findings if f.status.value == "pass"}
    untouched = set(ALL_CHECKS) - {check for check, _, _ in errors}
    assert untouched <= others
    assert not [f for f in found.findings if f.status.value == "fail"]
    # a denial is an answer, not a reason to retry
    assert {op: counts[op] for op in DENIED} == {
        "iam:GetAccountAuthorizationDetails": 1,
        "ec2:DescribeSecurityGroups": 1,
        "s3:GetBucketPolicy": 2,
        "kms:GetKeyRotationStatus": 1,
        "guardduty:ListDetectors": 1,
        "cloudwatch:DescribeAlarms": 1,
    }


THROTTLED = (
    "iam:GetAccountAuthorizationDetails",
    "ec2:DescribeSecurityGroups",
    "s3:GetBucketEncryption",
    "kms:DescribeKey",
    "guardduty:ListDetectors",
    "cloudtrail:GetTrailStatus",
    "s3control:GetPublicAccessBlock",
)


def _plain(found: AwsScan) -> list[tuple[str, str, str, str | None]]:
    return sorted((f.check, f.status.value, f.resource, f.observed) for f in found.findings)


def test_throttling_gives_the_same_result_as_no_throttling(emu: Emulator, scan: Any) -> None:
    assert emu.proxy is not None
    calm = scan(BAD)
    emu.proxy.reset()
    emu.proxy.throttle = dict.fromkeys(THROTTLED, 2)
    try:
        stormy = scan(BAD)
        throttled = dict(emu.proxy.throttled)
    finally:
        emu.proxy.reset()
    assert throttled == dict.fromkeys(THROTTLED, 2)  # every throttle was really answered, and retried
    assert _plain(stormy) == _plain(calm)


def test_every_call_is_in_the_table_and_the_shipped_policy_lists_exactly_those(
    emu: Emulator, scan: Any, calls: Counter[tuple[str, str]]
) -> None:
    scan(GOOD, break_glass=["BreakGlass"])
    scan(BAD)
    assert set(calls) <= set(ACTIONS), set(calls) - set(ACTIONS)
    assert policy_actions() == set(ACTIONS.values())
    # nothing in the policy that no run needs: the two accounts between them make every call
    assert {ACTIONS[c] for c in calls} == policy_actions()


def test_the_collector_module_imports_no_aws_sdk() -> None:
    code = "import sys, antai.collectors.aws.collect, antai.cli.commands.check; print('boto3' in sys.modules)"
    result = run_cli.__globals__["subprocess"].run(
        [run_cli.__globals__["sys"].executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- through the CLI, as a user runs it ------------------------------------------------------------------


def cli(emu: Emulator, account: str, *args: str) -> Any:
    return run_cli("check", "aws", *args, env={**emu.env(account), "ANTAI_USER": "tester"})


def test_json_output_lists_every_finding_with_the_verdict_per_item(emu: Emulator) -> None:
    result = cli(emu, BAD, "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tool"] == "antai" and data["target"] == f"AWS {BAD} ap-northeast-1"
    assert data["worst_failing"] == "critical"
    assert data["items"]["IAM-01"]["result"] == "fail"
    assert data["items"]["DAT-11"]["result"] == "fail"
    root = next(f for f in data["findings"] if f["check"] == "aws.iam.root_mfa")
    assert root == {
        "check": "aws.iam.root_mfa",
        "status": "fail",
        "severity": "critical",
        "resource": f"arn:aws:iam::{BAD}:root",
        "items": ["IAM-01", "IAM-02"],
        "observed": "AccountMFAEnabled=0",
        "title": "The root user has MFA",
        "observed_at": root["observed_at"],
    }
    assert data["totals"]["error"] == 0 and data["unmapped"] == {}


def test_fail_on_high_exits_1_on_the_failing_account_and_0_on_the_compliant_one(emu: Emulator) -> None:
    failing = cli(emu, BAD, "--fail-on", "high", "--lang", "en")
    assert failing.returncode == 1
    assert "a critical finding failed (--fail-on high or worse fails the run)" in failing.stderr
    assert "IAM-01" in failing.stdout
    passing = cli(emu, GOOD, "--fail-on", "high", "--break-glass", "BreakGlass", "--lang", "en")
    assert passing.returncode == 0, passing.stderr


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Test KK")


def test_record_keeps_the_scan_as_evidence_on_the_applicable_items(emu: Emulator, workspace_template: Path) -> None:
    ws = workspace_template
    result = cli(emu, BAD, "--record", "-C", str(ws), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    recorded = json.loads(result.stdout)["recorded"]
    items = {item for m in CHECKS for item in m.META.items}
    assert set(recorded["evidence"].values()) | set(recorded["outside_plan"]) == items
    assert "IAM-01" in recorded["evidence"].values()
    kept = list((ws / "evidence" / "files").glob("E*-antai-check-aws.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["target"] == f"AWS {BAD} ap-northeast-1"
    verified = run_cli("verify", "-C", str(ws))
    assert verified.returncode == 0, verified.stderr


def test_print_policy_is_the_shipped_policy_with_every_action(emu: Emulator) -> None:
    result = run_cli("check", "aws", "--print-policy")
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["Version"] == "2012-10-17"
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    assert set(statement["Action"]) == set(ACTIONS.values())
    assert all(not a.split(":")[1].startswith(("Put", "Create", "Delete", "Update")) for a in statement["Action"])


def test_list_names_every_check_with_its_items(emu: Emulator) -> None:
    result = run_cli("check", "aws", "--list", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [c["id"] for c in listed] == ALL_CHECKS
    first = listed[0]
    assert first["items"] == ["IAM-01", "IAM-02"] and first["severity"] == "critical"
    assert first["title"] == {"ja": "ルートユーザーに MFA が設定されている", "en": "The root user has MFA"}


def test_unreachable_endpoint_and_missing_credentials_are_clear_errors(tmp_path: Path) -> None:
    blank = {
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
    }
    missing = run_cli("check", "aws", env=blank)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "AWS の認証情報が見つからない" in missing.stderr
    closed = {
        **blank,
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    unreachable = run_cli("check", "aws", "--lang", "en", env=closed)
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    assert "could not reach AWS at http://127.0.0.1:9" in unreachable.stderr
    profile = run_cli("check", "aws", "--profile", "nope", env=blank)
    assert profile.returncode == 2 and "AWS のプロファイル nope" in profile.stderr
