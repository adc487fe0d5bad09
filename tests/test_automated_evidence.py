"""Automated evidence through the CLI: status, its gates, the reports, verify and submissions (the core:
tests/unit/test_findings.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from antai.app.ports import Actor
from antai.app.scans import record_scan
from antai.assessment.findings import Finding, ScanRun, Severity, ToolInfo
from antai.catalog import Catalog
from antai.workspace.store import FileStore
from tests.conftest import fresh_workspace, init_template, run_cli, sign_off
from tests.unit.test_findings import ACCOUNT, F, P, finding, raw_file

# --- the CLI: status, its gates, the report, verify ------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Scan KK")


def _record_in(ws: Path, catalog: Catalog, run: ScanRun, raw: Path) -> None:
    actor = Actor("ci", dt.datetime.now(dt.UTC).replace(microsecond=0))
    record_scan(FileStore(ws), catalog, actor, run, raw)


def _now_run(*findings: Finding, days_ago: float = 0, target: str = ACCOUNT) -> ScanRun:
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=days_ago, minutes=5)
    run = ScanRun(ToolInfo("antai", "0.1.0"), target, when, findings=[])
    for f in findings:
        run.add(f)
    return run


def test_status_report_and_gates_show_a_contradicted_claim(template: Path, tmp_path: Path, catalog: Catalog) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    assert run_cli("set", "IAM-01", "--status", "implemented", "-C", str(ws)).returncode == 0
    _record_in(ws, catalog, _now_run(finding("aws.iam.root_mfa", F, "IAM-01", severity=Severity.CRITICAL)),
               raw_file(tmp_path, "cli"))  # fmt: skip

    table = run_cli("status", "-C", str(ws), "--lang", "ja", env={"COLUMNS": "120"})
    assert table.returncode == 0, table.stderr
    assert "スキャン結果と矛盾する申告: IAM-01" in table.stdout
    assert "申告と矛盾" in table.stdout and "不適合" in table.stdout

    gated = run_cli("status", "-C", str(ws), "--fail-on", "contradicted,overdue", "--lang", "ja")
    assert gated.returncode == 1
    assert "--fail-on の条件に当たる: スキャン結果と矛盾する申告 1 件" in gated.stderr
    assert run_cli("status", "-C", str(ws), "--fail-on", "overdue").returncode == 0
    bad = run_cli("status", "-C", str(ws), "--fail-on", "contradicted,late", "--lang", "en")
    assert bad.returncode == 2
    assert "--fail-on takes overdue, expired, contradicted and unanswered" in bad.stderr

    data = json.loads(run_cli("status", "-C", str(ws), "--format", "json").stdout)
    assert data["flags"]["contradicted"] == ["IAM-01"]
    assert data["automated"]["IAM-01"][0]["result"] == "fail"
    assert data["automated"]["IAM-01"][0]["tool"] == "antai"

    report = json.loads(run_cli("report", "-C", str(ws), "--format", "json").stdout)
    iam01 = next(i for i in report["items"] if i["id"] == "IAM-01")
    assert iam01["contradicted_by"] == ["E0001"]
    assert iam01["evidence"][0]["automated"]["checks"][0]["check"] == "aws.iam.root_mfa"
    md = run_cli("report", "-C", str(ws), "--format", "md", "--lang", "ja").stdout
    assert "## スキャン結果と矛盾する申告" in md
    assert "| IAM-01 | クラウドのルートアカウントの単独使用防止 | antai 0.1.0 · AWS 123456789012 ap-northeast-1 |" in md
    assert "実施済み（スキャン結果と矛盾）" in md


def test_stale_automated_evidence_fails_the_expired_gate(template: Path, tmp_path: Path, catalog: Catalog) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    _record_in(ws, catalog, _now_run(finding("aws.s3.block", P, "DAT-06"), days_ago=45), raw_file(tmp_path, "s"))
    data = json.loads(run_cli("status", "-C", str(ws), "--format", "json").stdout)
    assert data["flags"]["stale_automated"] == ["E0001"]
    assert data["flags"]["expired_evidence"] == []
    gated = run_cli("status", "-C", str(ws), "--fail-on", "expired", "--lang", "en")
    assert gated.returncode == 1
    assert "1 expired evidence record(s) or acceptance(s)" in gated.stderr


def test_verify_still_checks_the_raw_output_of_a_replaced_scan(
    template: Path, tmp_path: Path, catalog: Catalog
) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    _record_in(ws, catalog, _now_run(finding("s3", F, "DAT-06"), days_ago=2), raw_file(tmp_path, "first"))
    _record_in(ws, catalog, _now_run(finding("s3", P, "DAT-06")), raw_file(tmp_path, "second"))
    index = (ws / "evidence" / "index.yaml").read_text(encoding="utf-8")
    assert "E0001" not in index and "E0002" in index and "&id" not in index
    ok = run_cli("verify", "-C", str(ws), "--lang", "en")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 evidence files match" in ok.stdout  # the current raw output and the replaced one
    replaced = next(p for p in (ws / "evidence" / "files").iterdir() if p.name.startswith("E0001-"))
    replaced.write_text("forged", encoding="utf-8")
    bad = run_cli("verify", "-C", str(ws), "--lang", "en")
    assert bad.returncode == 1
    assert replaced.name in bad.stdout + bad.stderr


def test_a_submission_carries_a_scan_s_raw_output_once_and_the_bank_verifies_it(
    template: Path, tmp_path: Path, catalog: Catalog
) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    env = {"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(tmp_path / "keys")}
    _record_in(
        ws,
        catalog,
        _now_run(finding("root", F, "IAM-01", "IAM-02"), finding("s3", P, "DAT-06")),
        raw_file(tmp_path, "bundle"),
    )
    assert run_cli("key", "new", env=env).returncode == 0
    sign_off(ws, lambda *args: run_cli(*args, env=env))
    made = run_cli("submit", "-C", str(ws), "--lang", "en", env=env)
    assert made.returncode == 0, made.stderr
    bundle = next(p for p in (ws / "submissions").iterdir() if p.is_dir())
    assert [p.name for p in (bundle / "evidence").iterdir()] == ["E0001-raw-" + str(abs(hash("bundle"))) + ".json"]
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    shared = {e["id"]: e["path"] for e in manifest["evidence"]}
    assert set(shared) == {"E0001", "E0002", "E0003"} and len(set(shared.values())) == 1
    fingerprint = run_cli("key", "show", env=env).stdout.split()[-1]
    checked = run_cli("review", "verify", str(bundle), "--key", fingerprint, "--lang", "en", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _ocsf(check: str, status: str, resource: str, when: dt.datetime) -> dict[str, object]:
    """One Prowler OCSF detection finding, with the fields Prowler 5 writes that antai reads."""
    return {
        "metadata": {"event_code": check, "product": {"name": "Prowler", "version": "5.46.0"}, "version": "1.4.0"},
        "severity": "Critical",
        "status_code": status,
        "status_detail": f"{check} {status.lower()}",
        "finding_info": {"title": check, "uid": f"prowler-{check}-{resource}"},
        "resources": [{"uid": resource, "name": resource.rsplit(":", 1)[-1], "region": "ap-northeast-1"}],
        "cloud": {"account": {"uid": "123456789012"}, "provider": "aws", "region": "ap-northeast-1"},
        "time_dt": when.isoformat(),
        "class_name": "Detection Finding",
    }


def test_an_imported_prowler_scan_contradicts_a_claim_end_to_end(template: Path, tmp_path: Path) -> None:
    """The whole path a CI job takes: a claim, Prowler's output imported with --record, the gate."""
    ws = fresh_workspace(template, tmp_path / "ws")
    assert run_cli("set", "IAM-01", "--status", "implemented", "-C", str(ws)).returncode == 0
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    output = tmp_path / "prowler-output.ocsf.json"
    findings = [
        _ocsf("iam_root_mfa_enabled", "FAIL", "arn:aws:iam::123456789012:root", when),
        _ocsf("s3_account_level_public_access_blocks", "PASS", "arn:aws:s3:::123456789012", when),
    ]
    output.write_text(json.dumps(findings), encoding="utf-8")
    imported = run_cli("import", "prowler", str(output), "--record", "-C", str(ws), "--lang", "ja")
    assert imported.returncode == 0, imported.stderr
    assert "prowler 5.46.0: AWS 123456789012" in imported.stdout
    assert "として記録した" in imported.stdout
    listed = run_cli("evidence", "list", "-C", str(ws), "--lang", "ja").stdout.splitlines()
    assert [line.split()[1] for line in listed] == ["DAT-06", "IAM-01", "IAM-02"]
    assert "（自動: 不適合）" in listed[1] and "（自動: 適合）" in listed[0]
    gated = run_cli("status", "-C", str(ws), "--fail-on", "contradicted", "--lang", "en")
    assert gated.returncode == 1
    assert "1 claim(s) contradicted by scans" in gated.stderr
    kept = next((ws / "evidence" / "files").iterdir())
    assert kept.read_bytes() == output.read_bytes()  # the raw output, byte for byte
    log = run_cli("log", "-C", str(ws), "--lang", "ja").stdout.splitlines()[-1]
    assert log.endswith(
        "スキャン記録 prowler 5.46.0（AWS 123456789012）: 不適合 2、確認不能 0、適合 1 項目（E0001〜E0003）"
    )
    again = run_cli("import", "prowler", str(output), "--record", "-C", str(ws), "--lang", "en")
    assert "already recorded (E0001, E0002, E0003); nothing was added" in again.stdout


def test_a_file_that_names_no_target_or_time_says_so_and_takes_them_from_the_user(
    template: Path, tmp_path: Path, shared: Path
) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    report = tmp_path / "nested" / "checkov.json"
    report.parent.mkdir()
    report.write_bytes((shared / "fixtures" / "scanners" / "checkov-report-many-vuln.json").read_bytes())
    guessed = run_cli("import", "checkov", str(report), "--lang", "en")
    assert guessed.returncode == 0, guessed.stderr
    assert "checkov 1.0.467: checkov.json (" in guessed.stdout  # the file's name, never its local path
    assert "the file gives no scan time, so its modification time is taken" in guessed.stdout
    assert "its name checkov.json is taken as the target" in guessed.stdout
    given = run_cli(
        "import", "checkov", str(report), "--target", "github.com/milka/infra",
        "--observed-at", "2026-12-01T09:30+09:00", "--record", "-C", str(ws), "--format", "json",
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    data = json.loads(given.stdout)
    assert (data["target"], data["observed_at"]) == ("github.com/milka/infra", "2026-12-01T00:30:00+00:00")
    listed = json.loads(run_cli("evidence", "list", "-C", str(ws), "--format", "json").stdout)
    assert {e["scan"]["target"] for e in listed} == {"github.com/milka/infra"}
    assert {e["effective_from"] for e in listed} == {"2026-12-01"}


def test_a_scan_with_nothing_to_record_says_so(template: Path, tmp_path: Path, shared: Path) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    empty = shared / "fixtures" / "scanners" / "prowler_zero_vul.csv"
    done = run_cli("import", "prowler", str(empty), "--record", "-C", str(ws), "--lang", "ja")
    assert done.returncode == 0, done.stderr
    assert "記録するものがない: プロファイルで選ばれた項目に関わる検出が 1 件もない" in done.stdout
    assert not (ws / "evidence" / "files").exists()


def test_claiming_an_item_the_latest_scan_fails_warns(template: Path, tmp_path: Path, catalog: Catalog) -> None:
    ws = fresh_workspace(template, tmp_path / "ws")
    _record_in(ws, catalog, _now_run(finding("aws.s3.block", F, "DAT-06")), raw_file(tmp_path, "warn"))
    claimed = run_cli("set", "DAT-06", "--status", "implemented", "-C", str(ws), "--lang", "ja")
    assert claimed.returncode == 0
    assert "注意: DAT-06 の最新のスキャン（E0001）は不適合を示している" in claimed.stderr
    partial = run_cli("set", "DAT-06", "--status", "partial", "--due", "2027-06-30", "-C", str(ws), "--lang", "ja")
    assert "注意" not in partial.stderr
