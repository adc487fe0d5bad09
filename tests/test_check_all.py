"""`antai check all`: the workspace's checks.yaml, every declared target at once, one run per target; and the
shared check loop of the collectors (signals are never verdicts; a check that breaks is an error, not a pass)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from antai.assessment.findings import FindingStatus, ScanRun, Severity, ToolInfo
from antai.collectors import base
from antai.collectors.run_all import Job, run_jobs
from antai.errors import AntaiError
from antai.reports.scan import scan_data
from tests.dns_harness import Knot
from tests.web_harness import Sites

from .conftest import run_cli

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _meta(check_id: str, items: tuple[str, ...], signal: bool = False) -> base.CheckMeta:
    words = base.Text("日本語", "English")
    return base.CheckMeta(check_id, items, Severity.HIGH, words, words, words, signal=signal)


def _check(meta: base.CheckMeta, evaluate: object) -> SimpleNamespace:
    return SimpleNamespace(META=meta, evaluate=evaluate)


def _run() -> ScanRun:
    return ScanRun(ToolInfo("antai", "test"), target="t", observed_at=NOW, findings=[])


# --- the shared check loop ------------------------------------------------------------------------------


def test_signals_are_kept_apart_from_verdicts() -> None:
    def hinted(facts: object) -> Iterator[base.Result]:
        yield base.seen("app", "okhttp3/CertificatePinner", True)

    def verdict(facts: object) -> Iterator[base.Result]:
        yield base.failed("app", "cleartext permitted")

    run = _run()
    checks = [
        _check(_meta("x.pinning_hint", ("MOB-06",), signal=True), hinted),
        _check(_meta("x.clear", ("MOB-06",)), verdict),
    ]
    base.evaluate(checks, None, run, "en", resource="app")
    assert [(f.check, f.status) for f in run.findings or []] == [("x.clear", FindingStatus.FAIL)]
    assert run.tally.items["MOB-06"].failed == 1 and run.tally.items["MOB-06"].passed == 0
    [hint] = run.signals
    assert (hint.check, hint.seen, hint.observed, hint.items) == (
        "x.pinning_hint",
        True,
        "okhttp3/CertificatePinner",
        ("MOB-06",),
    )
    data = scan_data(run)
    assert data["signals"] == [
        {
            "check": "x.pinning_hint",
            "items": ["MOB-06"],
            "resource": "app",
            "seen": True,
            "observed": "okhttp3/CertificatePinner",
            "title": "English",
        }
    ]
    assert [f["check"] for f in data["findings"]] == ["x.clear"]


def test_a_check_that_breaks_is_an_error_and_the_others_still_run() -> None:
    def broken(facts: object) -> Iterator[base.Result]:
        raise KeyError("unexpected")
        yield  # pragma: no cover

    def fine(facts: object) -> Iterator[base.Result]:
        yield base.passed("app")

    run = _run()
    base.evaluate(
        [_check(_meta("x.broken", ("MOB-08",)), broken), _check(_meta("x.fine", ("MOB-02",)), fine)],
        None,
        run,
        "ja",
        resource="app",
    )
    found = {(f.check, f.status, f.observed) for f in run.findings or []}
    assert found == {
        ("x.broken", FindingStatus.ERROR, "KeyError while evaluating"),
        ("x.fine", FindingStatus.PASS, None),
    }
    assert run.tally.items["MOB-08"].result is FindingStatus.ERROR
    assert all(f.title == "日本語" for f in run.findings or [])


# --- running jobs ---------------------------------------------------------------------------------------


def test_jobs_run_at_once_and_a_failing_target_does_not_stop_the_others() -> None:
    started = threading.Barrier(3, timeout=5)  # all three must be running at the same time

    def ok(name: str):  # type: ignore[no-untyped-def]
        def run(progress):  # type: ignore[no-untyped-def]
            started.wait()
            progress("half", 1, 2)
            scan = _run()
            scan.target = name
            return scan

        return run

    def refused(progress):  # type: ignore[no-untyped-def]
        started.wait()
        raise AntaiError("no such package", code="package_not_found", path="x.apk")

    seen: list[tuple[str, int, int]] = []
    outcomes = run_jobs(
        [Job("web", "a", ok("a")), Job("apk", "x.apk", refused), Job("dns", "b", ok("b"))],
        lambda what, done, total: seen.append((what, done, total)),
    )
    assert [(o.job.label, o.run.target if o.run else None, o.error.code if o.error else None) for o in outcomes] == [
        ("a", "a", None),
        ("x.apk", None, "package_not_found"),
        ("b", "b", None),
    ]
    assert {what for what, _, _ in seen} >= {"web: half", "dns: half", "web", "apk", "dns"}
    assert max(done for _, done, _ in seen) == 3 and {total for _, _, total in seen} == {3}


# --- checks.yaml ----------------------------------------------------------------------------------------


def test_a_missing_declaration_says_what_to_write(tmp_path: Path) -> None:
    result = run_cli("check", "all", "-C", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert f"{tmp_path / 'checks.yaml'} がない" in result.stderr and "Traceback" not in result.stderr


def test_a_wrong_declaration_is_refused_at_its_lines(tmp_path: Path) -> None:
    (tmp_path / "checks.yaml").write_text(
        "aws:\n  - regoins: [ap-northeast-1]\ndns:\n  domains: [example.test]\n  tiemout: 3\n", encoding="utf-8"
    )
    result = run_cli("check", "all", "-C", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{tmp_path / 'checks.yaml'}:2:5: 未知の項目 'regoins'（'regions' の誤りでは？）"
    assert lines[1] == f"{tmp_path / 'checks.yaml'}:5:3: 未知の項目 'tiemout'（'timeout' の誤りでは？）"
    assert "2 件の問題がある" in lines[2]


def test_a_declaration_of_nothing_fails(tmp_path: Path) -> None:
    (tmp_path / "checks.yaml").write_text("{}\n", encoding="utf-8")
    result = run_cli("check", "all", "-C", str(tmp_path), "--lang", "en")
    assert result.returncode == 1
    assert "declares nothing to check" in result.stderr


def test_a_package_of_unknown_kind_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "checks.yaml").write_text("apps:\n  - path: build/app.apk\n  - path: build/app.aab\n", "utf-8")
    result = run_cli("check", "all", "-C", str(tmp_path), "--lang", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'checks.yaml'}:3:5: ") and "kind: apk or kind: ipa" in first, first


@pytest.mark.parametrize("text", ["dns:\n  domains: []\n", "dns:\n  domains: [a.test]\n  timeout: 0\n", "version: 2\n"])
def test_declarations_out_of_range_are_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "checks.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "all", "-C", str(tmp_path), "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{tmp_path / 'checks.yaml'}:"), result.stderr
    assert result.stdout == ""  # nothing ran, so nothing was written


# --- a real run: a Knot server for DNS, an AWS declaration with no credentials ----------------------------

BLANK_AWS = {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": "",
    "AWS_SECRET_ACCESS_KEY": "",
    "ANTAI_USER": "tester",
}


@pytest.fixture(scope="module")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knot]:
    with Knot(tmp_path_factory.mktemp("knot")) as server:
        yield server


def test_every_declared_target_runs_and_one_that_cannot_is_named(knot: Knot, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    made = run_cli("init", str(ws), "--profile", "example:remittance", "--org", "Test KK", env={"ANTAI_USER": "tester"})
    assert made.returncode == 0, made.stderr
    (ws / "checks.yaml").write_text(
        f"aws:\n  - regions: [ap-northeast-1]\ndns:\n  domains: [example.test, expired.test]\n"
        f"  nameserver: '{knot.address}'\n  timeout: 3\n",
        encoding="utf-8",
    )
    result = run_cli("check", "all", "--record", "--format", "json", "-C", str(ws), env=BLANK_AWS)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "antai.scans/1"
    [dns] = data["runs"]
    assert dns["target"] == "DNS example.test, expired.test"
    assert dns["items"]["CYB-02"]["result"] == "fail"  # expired.test's signatures
    assert "CYB-02" in dns["recorded"]["evidence"].values()
    [error] = data["errors"]
    assert (error["kind"], error["code"]) == ("aws", "aws_no_credentials")
    assert "AWS の認証情報が見つからない" in error["message"]
    assert "AWS の認証情報が見つからない" in result.stderr
    assert "1 件の対象のうち" not in result.stderr and "2 件の対象のうち 1 件を確認できなかった" in result.stderr
    evidence = run_cli("evidence", "list", "-C", str(ws), "--format", "json", "--lang", "en")
    assert evidence.returncode == 0, evidence.stderr
    assert "antai-check-dns.json" in evidence.stdout
    only = run_cli("check", "all", "--only", "dns", "--fail-on", "high", "-C", str(ws), env=BLANK_AWS)
    assert only.returncode == 1 and "--fail-on high" in only.stderr
    assert "Traceback" not in only.stderr + result.stderr


def test_packages_and_web_endpoints_are_found_relative_to_the_declaration(
    knot: Knot, shared: Path, tmp_path: Path
) -> None:
    """The real APK and IPA fixtures, a loopback HTTPS server with the test CA, the Knot zone: four runs in the
    order of checks.yaml's sections, and the package that is not there named as the one error."""
    ws = tmp_path / "ws"
    made = run_cli("init", str(ws), "--profile", "example:remittance", "--org", "Test KK", env={"ANTAI_USER": "tester"})
    assert made.returncode == 0, made.stderr
    (ws / "build").mkdir()
    shutil.copy(shared / "fixtures" / "apk" / "uncrackable1.apk", ws / "build" / "app.apk")
    shutil.copy(shared / "fixtures" / "ipa" / "undebuggable.ipa", ws / "build" / "App.ipa")
    (tmp_path / "sites").mkdir()
    with Sites(tmp_path / "sites") as sites:
        (ws / "certs").mkdir()
        shutil.copy(sites.ca, ws / "certs" / "ca.pem")
        (ws / "checks.yaml").write_text(
            "apps:\n  - path: build/app.apk\n  - path: build/App.ipa\n  - path: build/gone.apk\n"
            f"web:\n  urls: ['{sites.urls['good']}']\n  ca_file: certs/ca.pem\n  timeout: 3\n"
            f"dns:\n  domains: [example.test]\n  nameserver: '{knot.address}'\n  timeout: 3\n",
            encoding="utf-8",
        )
        result = run_cli("check", "all", "--record", "--format", "json", "-C", str(ws), env={"ANTAI_USER": "tester"})
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    origin = sites.urls["good"].rstrip("/")
    assert [run["target"] for run in data["runs"]] == [
        "Android app owasp.mstg.uncrackable1",
        "iOS app sg.vp.UnDebuggable",
        f"web {origin}",
        "DNS example.test",
    ]
    apk, ipa, web, dns = data["runs"]
    assert apk["items"]["MOB-02"]["result"] == "fail"  # android:allowBackup is not turned off
    assert ipa["items"]["MOB-08"]["result"] == "fail"  # get-task-allow in the shipped entitlements
    assert web["items"]["TRN-01"]["result"] == "pass"  # the test CA from certs/ca.pem was trusted
    assert dns["items"]["CYB-02"]["result"] == "pass"
    [error] = data["errors"]
    assert (error["kind"], error["code"]) == ("apk", "package_not_found")
    assert "build/gone.apk" in error["message"]
    assert "4 件" not in result.stderr and "5 件の対象のうち 1 件を確認できなかった" in result.stderr
    recorded = {item for run in data["runs"] for item in run["recorded"]["evidence"].values()}
    assert {"MOB-02", "MOB-08", "TRN-01", "CYB-02"} <= recorded


def test_every_check_antai_runs_is_in_its_collectors_document() -> None:
    """docs/<collector>.md names each of the collector's checks (the documents are what users read)."""
    from antai.collectors.registry import COLLECTORS, metas

    documents = {"aws": "aws.md", "apk": "mobile.md", "ipa": "mobile.md", "web": "web.md", "dns": "dns.md"}
    assert set(documents) == set(COLLECTORS)
    docs = Path(__file__).resolve().parent.parent / "docs"
    missing = [
        (kind, meta.id)
        for kind in COLLECTORS
        for meta in metas(kind)
        if f"`{meta.id}`" not in (docs / documents[kind]).read_text(encoding="utf-8")
    ]
    assert missing == []
