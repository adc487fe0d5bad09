"""`antai check web` against real loopback servers (tests/web_harness): certificates minted by a test CA
(passed with --ca-file), HTTPS servers good and bad, plain HTTP servers, a refused port and a silent one."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from antai.assessment.findings import ScanRun
from antai.collectors.web.collect import check_web, metas
from antai.collectors.web.urls import WebUsageError, parse_url
from tests.web_harness import Sites

from .conftest import run_cli


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with Sites(tmp_path_factory.mktemp("web")) as running:
        yield running


@pytest.fixture(scope="module")
def scanned(sites: Sites) -> ScanRun:
    return check_web(list(sites.urls.values()), lang="en", timeout=1, ca_file=sites.ca)


def verdicts(run: ScanRun, url: str) -> dict[str, str]:
    return {
        f.check: f.status.value for f in run.findings or [] if f.resource.startswith(url) and "cookie" not in f.resource
    }


def observed(run: ScanRun, url: str, check: str) -> str:
    [found] = [f for f in run.findings or [] if f.resource == url and f.check == check]
    return found.observed or ""


def _port_80_open() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 80), timeout=0.5).close()
    except OSError:
        return False
    return True


PLAIN = "fail" if _port_80_open() else "pass"
GOOD = {
    "web.tls_versions": "pass",
    "web.certificate_valid": "pass",
    "web.certificate_expiry": "pass",
    "web.certificate_lifetime": "pass",
    "web.hsts": "pass",
    "web.hsts_preload": "pass",
    "web.csp": "pass",
    "web.content_type_options": "pass",
    "web.framing": "pass",
}


def _https(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def test_the_good_server_passes_every_check(sites: Sites, scanned: ScanRun) -> None:
    url = sites.urls["good"]
    got = verdicts(scanned, url)
    assert got == GOOD
    assert observed(scanned, url, "web.tls_versions") == (
        "TLS 1.0 refused, TLS 1.1 refused, TLS 1.2 accepted, TLS 1.3 accepted"
    )
    redirect = [
        f for f in scanned.findings or [] if f.check == "web.https_redirect" and f.resource == "http://127.0.0.1/"
    ]
    assert len(redirect) == 8 and {f.status.value for f in redirect} == {PLAIN}
    [cookie] = [f for f in scanned.findings or [] if f.resource == f"{url} cookie session"]
    assert cookie.status.value == "pass" and "s3cr3t" not in json.dumps(cookie.observed)


def test_weak_headers_and_cookies_fail_one_by_one(sites: Sites, scanned: ScanRun) -> None:
    url = sites.urls["weak"]
    assert verdicts(scanned, url) == _https(
        **{
            "web.hsts": "fail",
            "web.hsts_preload": "fail",
            "web.csp": "fail",
            "web.content_type_options": "fail",
            "web.framing": "fail",
        }
    )
    assert observed(scanned, url, "web.hsts") == "no HSTS header"
    assert observed(scanned, url, "web.csp").endswith("('unsafe-inline', 'unsafe-eval')")
    cookies = {
        f.resource: (f.status.value, f.observed)
        for f in scanned.findings or []
        if "cookie" in f.resource and f.resource.startswith(url)
    }
    assert cookies == {
        f"{url} cookie session": ("fail", "missing: Secure, HttpOnly, SameSite"),
        f"{url} cookie prefs": ("fail", "missing: SameSite=None"),
    }
    assert "hunter2" not in json.dumps([f.observed for f in scanned.findings or []])


def test_tls_versions_of_a_12_only_and_a_legacy_server(sites: Sites, scanned: ScanRun) -> None:
    assert verdicts(scanned, sites.urls["tls12"])["web.tls_versions"] == "pass"
    assert observed(scanned, sites.urls["tls12"], "web.tls_versions").endswith("TLS 1.2 accepted, TLS 1.3 refused")
    assert verdicts(scanned, sites.urls["legacy"]) == _https(**{"web.tls_versions": "fail"})
    assert observed(scanned, sites.urls["legacy"], "web.tls_versions").startswith("TLS 1.0 accepted, TLS 1.1 accepted")


def test_certificate_problems_say_why(sites: Sites, scanned: ScanRun) -> None:
    expired, wrong, soon, long = (sites.urls[k] for k in ("expired", "wronghost", "soon", "long"))
    assert verdicts(scanned, expired) == _https(**{"web.certificate_valid": "fail", "web.certificate_expiry": "fail"})
    assert observed(scanned, expired, "web.certificate_valid").startswith("expired (on ")
    assert observed(scanned, expired, "web.certificate_expiry").endswith("(2 days ago)")
    assert verdicts(scanned, wrong) == _https(**{"web.certificate_valid": "fail"})
    assert observed(scanned, wrong, "web.certificate_valid").startswith(
        "wrong host (a certificate for other.example, not 127.0.0.1)"
    )
    assert verdicts(scanned, soon) == _https(**{"web.certificate_expiry": "fail"})
    assert observed(scanned, soon, "web.certificate_expiry").endswith("(10 days left)")
    assert verdicts(scanned, long) == _https(**{"web.certificate_lifetime": "fail"})
    assert observed(scanned, long, "web.certificate_lifetime").endswith("valid 365 days (maximum 200)")


def test_plain_http_redirects(sites: Sites, scanned: ScanRun) -> None:
    for name, status in (("redirect", "pass"), ("elsewhere", "fail"), ("cleartext", "fail")):
        got = verdicts(scanned, sites.urls[name])
        assert got.pop("web.https_redirect") == status, name
        assert set(got.values()) == {"not_applicable"}
    assert (
        observed(scanned, sites.urls["elsewhere"], "web.https_redirect") == "301 → https://evil.example/ (another host)"
    )
    assert observed(scanned, sites.urls["cleartext"], "web.https_redirect") == (
        "answers 200 over HTTP without a redirect to HTTPS"
    )


def test_a_refused_or_silent_endpoint_gives_errors_only(sites: Sites, scanned: ScanRun) -> None:
    for name in ("refused", "silent"):
        got = verdicts(scanned, sites.urls[name])
        assert len(got) == 11 and set(got.values()) == {"error"}, name
    assert observed(scanned, sites.urls["silent"], "web.hsts").startswith("timeout (no answer from 127.0.0.1:")


def test_ten_urls_take_under_two_seconds_and_the_target_is_named(sites: Sites) -> None:
    urls = [sites.urls[k] for k in ("good", "weak", "tls12", "legacy", "expired", "wronghost", "soon", "long")]
    urls += [sites.urls["redirect"], sites.urls["cleartext"]]
    started = time.monotonic()
    run = check_web(urls, lang="en", timeout=2, ca_file=sites.ca)
    assert time.monotonic() - started < 2.0
    assert run.target.startswith("web http://127.0.0.1:") and len(run.target) <= 200
    assert run.observed_at.tzinfo is not None


def test_cli_json_fail_on_and_japanese(sites: Sites) -> None:
    good = run_cli("check", "web", sites.urls["good"], "--ca-file", str(sites.ca), "--format", "json", "--lang", "en")
    assert good.returncode == 0, good.stderr
    data = json.loads(good.stdout)
    assert {f["check"]: f["status"] for f in data["findings"]}["web.certificate_valid"] == "pass"
    bad = run_cli("check", "web", sites.urls["expired"], "--ca-file", str(sites.ca), "--fail-on", "high")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    shown = run_cli("check", "web", sites.urls["weak"], sites.urls["expired"], "--ca-file", str(sites.ca))
    assert shown.returncode == 0, shown.stderr
    for line in shown.stdout.splitlines():
        words = line.replace("（", " ").replace("）", " ").replace(":", " ").split()
        for english in ("pass", "fail", "error", "expired", "missing", "timeout", "high", "medium", "refused"):
            assert english not in words, line
    assert "不適合" in shown.stdout
    as_json = run_cli("check", "web", sites.urls["expired"], "--ca-file", str(sites.ca), "--format", "json")
    seen = {f["check"]: f["observed"] for f in json.loads(as_json.stdout)["findings"]}
    assert seen["web.certificate_valid"].startswith("期限切れ（")
    assert seen["web.tls_versions"] == "TLS 1.0 拒否, TLS 1.1 拒否, TLS 1.2 受け付ける, TLS 1.3 受け付ける"


def test_record_lands_the_scan_as_evidence(sites: Sites, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    made = run_cli("init", str(ws), "--profile", "example:remittance", "--org", "Test KK", env={"ANTAI_USER": "tester"})
    assert made.returncode == 0, made.stderr
    result = run_cli(
        "check", "web", sites.urls["good"], "--ca-file", str(sites.ca), "--record", "-C", str(ws),
        "--format", "json", "--lang", "en",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    recorded = json.loads(result.stdout)["recorded"]
    assert set(recorded["evidence"].values()) | set(recorded["outside_plan"]) == {
        "TRN-01",
        "KEY-03",
        "CYB-03",
        "SEC-05",
    }
    kept = list((ws / "evidence" / "files").glob("E*-antai-check-web.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["target"].startswith("web https://127.0.0.1:")


@pytest.mark.parametrize(
    ("url", "wording"),
    [
        ("ftp://example.test/", "http:// か https:// で始める"),
        ("https:///nohost", "ホスト名がない"),
        ("https://user:pw@example.test/", "ユーザー名やパスワード"),
        ("https://example.test:99999/", "ポート番号を読めない"),
    ],
)
def test_a_bad_url_is_bad_usage_before_any_connection(url: str, wording: str) -> None:
    with pytest.raises(WebUsageError) as caught:
        parse_url(url)
    assert caught.value.code == "web_bad_url"
    result = run_cli("check", "web", url)
    assert result.returncode == 2 and wording in result.stderr and "Traceback" not in result.stderr
    assert "pw" not in result.stderr.replace("パスワード", "") or "user:pw" in url


def test_metas_list_the_checks() -> None:
    got = {m.id: (m.items, m.severity.value) for m in metas()}
    assert got["web.tls_versions"] == (("TRN-01",), "high")
    assert got["web.certificate_expiry"] == (("KEY-03",), "high")
    assert got["web.hsts"] == (("CYB-03",), "medium")
    assert len(got) == 11
