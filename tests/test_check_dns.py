"""`antai check dns` against a real Knot server on 127.0.0.1 (tests/dns_harness): a parent zone `test.` holding
the DS records, a zone Knot signs, an unsigned one, and zones signed by dnspython and then broken (expired
signatures, a changed record, signatures about to expire, a DS of another key), served with signing off.

Every verdict and reason is asserted per zone, in-process and through the real CLI; the checks' edge cases
(SPF, DMARC, CAA, a signature of an unknown algorithm) run on hand-made facts.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from antai.assessment.findings import ScanRun
from antai.assessment.verdicts import FindingStatus
from antai.collectors.base import evaluate
from antai.collectors.dns.checks import CHECKS, caa, dmarc, rrsig_expiry, rrsig_valid, spf
from antai.collectors.dns.collect import check_dns, metas
from antai.collectors.dns.facts import Caa, Failure, Outcome, Records, Signature, Spf, ZoneFacts
from antai.collectors.dns.names import (
    DnsError,
    DnsUsageError,
    Server,
    no_resolver,
    parse_domain,
    parse_domains,
    parse_nameserver,
)
from antai.collectors.dns.query import system_servers
from antai.labels import label
from antai.messages import error_text
from tests.dns_harness import Knot, free_port

from .conftest import run_cli

ZONES = ["example.test", "plain.test", "expired.test", "bogus.test", "soon.test", "stale.test"]
ALL_CHECKS = [m.META.id for m in CHECKS]


@pytest.fixture(scope="session")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knot]:
    with Knot(tmp_path_factory.mktemp("knot")) as server:
        yield server


@pytest.fixture(scope="session")
def scanned(knot: Knot) -> ScanRun:
    return check_dns(ZONES, nameserver=knot.address, lang="en", timeout=3)


Table = dict[tuple[str, str], tuple[str, str]]


def table(run: ScanRun) -> Table:
    """(check, resource) -> (status, observed)"""
    assert run.findings is not None
    found: Table = {}
    for f in run.findings:
        assert (f.check, f.resource) not in found, f"{f.check} twice on {f.resource}"
        found[(f.check, f.resource)] = (f.status.value, f.observed or "")
    return found


def statuses(found: Table, domain: str) -> dict[str, str]:
    """ "check resource" -> status for one domain's findings."""
    return {
        f"{check} {resource}": status
        for (check, resource), (status, _) in found.items()
        if resource in (domain, f"_dmarc.{domain}") or resource.startswith(f"{domain} ")
    }


def reason(found: Table, check: str, resource: str) -> str:
    return found[(check, resource)][1]


# --- every zone, every check -------------------------------------------------------------------------------


def test_the_zone_knot_signs_passes_every_check(knot: Knot, scanned: ScanRun) -> None:
    found = table(scanned)
    assert statuses(found, "example.test") == {
        "dns.ds_at_parent example.test": "pass",
        "dns.dnskey_signed example.test": "pass",
        "dns.rrsig_valid example.test SOA": "pass",
        "dns.rrsig_valid example.test A": "pass",
        "dns.rrsig_valid example.test AAAA": "pass",
        "dns.rrsig_valid example.test MX": "pass",
        "dns.rrsig_expiry example.test": "pass",
        "dns.caa example.test": "pass",
        "dns.spf example.test": "pass",
        "dns.dmarc _dmarc.example.test": "pass",
    }
    ds = reason(found, "dns.ds_at_parent", "example.test")
    assert ds.startswith("DS ") and "/SHA-256 matches KSK " in ds
    assert ds.split()[1].split("/")[0] == ds.split()[-1]  # the DS's key tag is the KSK's
    assert reason(found, "dns.rrsig_valid", "example.test A").startswith("valid: signed by key ")
    assert reason(found, "dns.rrsig_expiry", "example.test").endswith(" days away")
    assert reason(found, "dns.caa", "example.test") == "issue amazon.com, letsencrypt.org; issuewild none"
    assert reason(found, "dns.spf", "example.test") == "-all: v=spf1 include:_spf.example.test -all"
    assert reason(found, "dns.dmarc", "_dmarc.example.test") == "p=reject"


def test_an_unsigned_zone_fails_dnssec_as_unsigned_and_has_no_caa_spf_or_dmarc(scanned: ScanRun) -> None:
    found = table(scanned)
    assert statuses(found, "plain.test") == {
        "dns.ds_at_parent plain.test": "fail",
        "dns.dnskey_signed plain.test": "fail",
        "dns.rrsig_valid plain.test SOA": "fail",
        "dns.rrsig_valid plain.test A": "fail",
        "dns.rrsig_expiry plain.test": "not_applicable",
        "dns.caa plain.test": "fail",
        "dns.spf plain.test": "fail",
        "dns.dmarc _dmarc.plain.test": "fail",
    }
    assert reason(found, "dns.ds_at_parent", "plain.test").startswith("no DS at the parent")
    assert reason(found, "dns.dnskey_signed", "plain.test") == "no DNSKEY (the zone is not signed)"
    assert reason(found, "dns.rrsig_valid", "plain.test A") == "unsigned: no RRSIG"
    assert reason(found, "dns.caa", "plain.test") == "no CAA (any CA may issue)"
    assert reason(found, "dns.spf", "plain.test") == "no SPF record (TXT v=spf1)"
    assert reason(found, "dns.dmarc", "_dmarc.plain.test") == "no DMARC record (TXT v=DMARC1)"


def test_expired_signatures_fail_as_expired_and_say_when(scanned: ScanRun) -> None:
    found = table(scanned)
    assert statuses(found, "expired.test") == {
        "dns.ds_at_parent expired.test": "pass",  # the DS does match the KSK: it is the signatures that expired
        "dns.dnskey_signed expired.test": "fail",
        "dns.rrsig_valid expired.test SOA": "fail",
        "dns.rrsig_valid expired.test A": "fail",
        "dns.rrsig_valid expired.test AAAA": "fail",
        "dns.rrsig_valid expired.test MX": "fail",
        "dns.rrsig_expiry expired.test": "fail",
        "dns.caa expired.test": "fail",
        "dns.spf expired.test": "fail",
        "dns.dmarc _dmarc.expired.test": "fail",
    }
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    for rdtype in ("SOA", "A", "AAAA", "MX"):
        text = reason(found, "dns.rrsig_valid", f"expired.test {rdtype}")
        assert text.startswith("expired: the RRSIG by key ") and f"expired on {yesterday}" in text
    assert "expired: the RRSIG by key" in reason(found, "dns.dnskey_signed", "expired.test")
    horizon = reason(found, "dns.rrsig_expiry", "expired.test")
    assert horizon.startswith(f"the earliest RRSIG expiration, {yesterday}") and "passed 1.0 days ago" in horizon
    assert reason(found, "dns.spf", "expired.test") == "?all (neutral: spoofed mail is not marked): v=spf1 ?all"
    assert reason(found, "dns.dmarc", "_dmarc.expired.test") == "p=none (monitoring only: spoofed mail is delivered)"


def test_a_changed_record_is_bogus_and_the_rest_of_the_zone_still_validates(scanned: ScanRun) -> None:
    found = table(scanned)
    assert statuses(found, "bogus.test") == {
        "dns.ds_at_parent bogus.test": "pass",
        "dns.dnskey_signed bogus.test": "pass",
        "dns.rrsig_valid bogus.test SOA": "pass",
        "dns.rrsig_valid bogus.test A": "fail",
        "dns.rrsig_valid bogus.test MX": "pass",
        "dns.rrsig_expiry bogus.test": "pass",
        "dns.caa bogus.test": "fail",
        "dns.spf bogus.test": "pass",
        "dns.dmarc _dmarc.bogus.test": "pass",
    }
    bogus = reason(found, "dns.rrsig_valid", "bogus.test A")
    assert bogus.startswith("bogus: the RRSIG by key ") and bogus.endswith(
        "does not verify (altered data or a broken signer)"
    )
    assert reason(found, "dns.caa", "bogus.test") == "CAA without issue (iodef only: any CA may issue)"
    assert (
        reason(found, "dns.spf", "bogus.test") == "via redirect=_spf.example.test: -all: v=spf1 ip4:192.0.2.0/24 -all"
    )
    assert reason(found, "dns.dmarc", "_dmarc.bogus.test") == "p=quarantine"


def test_signatures_that_expire_within_a_week_fail_the_horizon_with_the_date(scanned: ScanRun) -> None:
    found = table(scanned)
    assert statuses(found, "soon.test") == {
        "dns.ds_at_parent soon.test": "pass",
        "dns.dnskey_signed soon.test": "pass",
        "dns.rrsig_valid soon.test SOA": "pass",
        "dns.rrsig_valid soon.test A": "pass",
        "dns.rrsig_expiry soon.test": "fail",
        "dns.caa soon.test": "pass",
        "dns.spf soon.test": "fail",
        "dns.dmarc _dmarc.soon.test": "fail",
    }
    in_three_days = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    horizon = reason(found, "dns.rrsig_expiry", "soon.test")
    assert horizon.startswith(f"the earliest RRSIG expiration is {in_three_days}") and "3.0 days away" in horizon
    [expiry] = [f for f in scanned.findings or [] if f.check == "dns.rrsig_expiry" and f.resource == "soon.test"]
    assert expiry.severity.value == "medium" and expiry.items == ("CYB-02",)
    assert reason(found, "dns.caa", "soon.test") == "issue none"
    assert reason(found, "dns.spf", "soon.test") == "+all (any server may send as the domain): v=spf1 +all"
    assert reason(found, "dns.dmarc", "_dmarc.soon.test") == "p=reject; pct=50 (applied to only part of the mail)"


def test_a_ds_of_a_key_the_zone_no_longer_has_fails(scanned: ScanRun) -> None:
    found = table(scanned)
    assert found[("dns.ds_at_parent", "stale.test")][0] == "fail"
    text = reason(found, "dns.ds_at_parent", "stale.test")
    assert text.startswith("DS ") and "matches none of the zone's DNSKEYs" in text
    assert found[("dns.dnskey_signed", "stale.test")][0] == "pass"
    assert found[("dns.rrsig_valid", "stale.test A")][0] == "pass"


def test_the_run_names_its_target_and_start_and_every_check_ran_on_every_zone(scanned: ScanRun) -> None:
    assert scanned.target == "DNS " + ", ".join(sorted(ZONES))
    assert scanned.observed_at.tzinfo is not None and scanned.observed_at.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - scanned.observed_at).total_seconds()) < 60
    seen = {(f.check, f.resource.split()[0].removeprefix("_dmarc.")) for f in scanned.findings or []}
    assert seen == {(check, zone) for check in ALL_CHECKS for zone in ZONES}


def test_signatures_are_validated_at_the_time_given(knot: Knot) -> None:
    """Before Knot's inception the signatures are not yet valid; 25 days on, the week's horizon is crossed."""
    past = table(check_dns(["example.test"], nameserver=knot.address, lang="en", now=_now() - dt.timedelta(days=2)))
    assert past[("dns.rrsig_valid", "example.test A")][0] == "fail"
    assert past[("dns.rrsig_valid", "example.test A")][1].startswith("not yet valid: the RRSIG by key ")
    assert past[("dns.dnskey_signed", "example.test")][0] == "fail"
    later = table(check_dns(["example.test"], nameserver=knot.address, lang="en", now=_now() + dt.timedelta(days=25)))
    assert later[("dns.rrsig_expiry", "example.test")][0] == "fail"
    assert later[("dns.rrsig_valid", "example.test A")][0] == "pass"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- what the server cannot answer ------------------------------------------------------------------------


def test_names_the_server_cannot_answer_give_errors_and_the_other_domains_complete(knot: Knot) -> None:
    done: list[tuple[str, int, int]] = []
    run = check_dns(
        ["example.test", "nowhere.example", "missing.test", "lame.test", "mail.example.test"],
        nameserver=knot.address,
        lang="en",
        timeout=3,
        progress=lambda what, n, total: done.append((what, n, total)),
    )
    found = table(run)
    assert {s for k, s in statuses(found, "example.test").items()} == {"pass"}
    for domain, observed in (
        ("nowhere.example", f"{knot.address} answered REFUSED"),
        ("missing.test", f"the domain does not exist ({knot.address} answered NXDOMAIN)"),
        ("lame.test", f"{knot.address} does not serve this zone (it delegates to ns.test)"),
    ):
        assert {s for s in statuses(found, domain).values()} == {"error"}, domain
        assert reason(found, "dns.ds_at_parent", domain) == observed
    inside = statuses(found, "mail.example.test")
    assert {inside[f"{c} mail.example.test"] for c in ("dns.ds_at_parent", "dns.dnskey_signed")} == {"error"}
    assert reason(found, "dns.rrsig_valid", "mail.example.test") == (
        "not a zone apex (no SOA here; the zone is example.test): give the zone's name"
    )
    assert reason(found, "dns.caa", "mail.example.test").startswith("CAA at example.test: issue amazon.com")
    assert sorted(d[0] for d in done) == sorted(
        ["example.test", "nowhere.example", "missing.test", "lame.test", "mail.example.test"]
    )
    assert sorted(d[1] for d in done) == [1, 2, 3, 4, 5] and {d[2] for d in done} == {5}


def test_the_server_of_the_zone_alone_cannot_show_the_ds(tmp_path: Path) -> None:
    """A server with example.test but not test. answers a DS query from the zone itself: that is an error."""
    with Knot(tmp_path, only=("example.test",)) as child:
        found = table(check_dns(["example.test"], nameserver=child.address, lang="en", timeout=3))
    assert found[("dns.ds_at_parent", "example.test")] == (
        "error",
        f"{child.address} does not serve the parent zone, so the DS cannot be seen "
        "(ask the parent's server or a resolver)",
    )
    assert found[("dns.dnskey_signed", "example.test")][0] == "pass"


def test_a_dead_server_gives_errors_within_the_timeout_never_a_pass() -> None:
    dead = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run_cli(
        "check", "dns", "example.test", "plain.test", "--nameserver", dead, "--timeout", "1", "--format", "json"
    )
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert {f["status"] for f in data["findings"]} == {"error"}
    assert len(data["findings"]) == 2 * len(ALL_CHECKS)
    assert {f["observed"] for f in data["findings"]} == {f"タイムアウト（{dead} から 1 秒以内に応答がない）"}
    assert took < 8, took  # one timeout (the questions run concurrently), plus the start of a Python process
    english = check_dns(["example.test"], nameserver=dead, lang="en", timeout=0.5)
    assert {f.observed for f in english.findings or []} == {f"timeout (no answer from {dead} within 0.5 s)"}


# --- through the CLI ----------------------------------------------------------------------------------------


def test_json_through_the_cli_gives_the_same_verdicts(knot: Knot) -> None:
    result = run_cli("check", "dns", "example.test", "--nameserver", knot.address, "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == "DNS example.test"
    assert data["totals"] == {"pass": 10, "fail": 0, "error": 0, "not_applicable": 0}
    assert {item: v["result"] for item, v in data["items"].items()} == {
        "CYB-01": "pass",
        "CYB-02": "pass",
        "CYB-06": "pass",
        "KEY-03": "pass",
    }
    broken = run_cli("check", "dns", "bogus.test", "--nameserver", knot.address, "--format", "json", "--lang", "en")
    bogus = {(f["check"], f["resource"]): (f["status"], f["observed"]) for f in json.loads(broken.stdout)["findings"]}
    assert bogus[("dns.rrsig_valid", "bogus.test A")][0] == "fail"
    assert bogus[("dns.rrsig_valid", "bogus.test A")][1].startswith("bogus: ")


def test_fail_on_high_exits_1_for_expired_signatures_and_0_for_a_sound_zone(knot: Knot) -> None:
    failing = run_cli("check", "dns", "expired.test", "--nameserver", knot.address, "--fail-on", "high", "--lang", "en")
    assert failing.returncode == 1, failing.stderr
    assert "--fail-on high" in failing.stderr and "Traceback" not in failing.stderr
    assert "CYB-02" in failing.stdout
    passing = run_cli("check", "dns", "example.test", "--nameserver", knot.address, "--fail-on", "high")
    assert passing.returncode == 0, passing.stderr
    medium = run_cli("check", "dns", "soon.test", "--nameserver", knot.address, "--fail-on", "high")
    assert medium.returncode == 1  # the SPF +all of soon.test is medium, its DMARC pct=50 high


ENGLISH_WORDS = (
    {label(f"finding.{s.value}", "en") for s in FindingStatus}
    | {"pass", "fail", "error", "not_applicable", "expired", "bogus", "unsigned", "valid", "not yet valid"}
    | {"timeout", "medium", "high"}
)


def test_japanese_output_has_no_english_status_words(knot: Knot) -> None:
    shown = run_cli("check", "dns", *ZONES, "--nameserver", knot.address)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    for english in ENGLISH_WORDS:
        for line in text.splitlines():
            words = line.replace("（", " ").replace("）", " ").replace(":", " ").replace("、", " ").split()
            assert english not in words, f"{english!r} in {line!r}"
    assert "CYB-02  不適合" in text and "dns.rrsig_valid: 不適合" in text
    as_json = run_cli("check", "dns", *ZONES, "--nameserver", knot.address, "--format", "json")
    data = json.loads(as_json.stdout)
    observed = {(f["check"], f["resource"]): f["observed"] for f in data["findings"]}
    assert observed[("dns.rrsig_valid", "expired.test A")].startswith("期限切れ: 鍵 ")
    assert observed[("dns.rrsig_valid", "bogus.test A")].startswith("検証失敗: 鍵 ")
    assert observed[("dns.rrsig_valid", "plain.test A")] == "署名なし: RRSIG がない"
    assert observed[("dns.rrsig_valid", "example.test A")].startswith("有効: 鍵 ")
    assert (
        observed[("dns.ds_at_parent", "plain.test")] == "親ゾーンに DS がない（検証するリゾルバーは署名を確かめない）"
    )
    assert observed[("dns.dmarc", "_dmarc.expired.test")] == "p=none（監視のみ。なりすましメールも届く）"
    for value in observed.values():
        assert not any(w in value for w in ("expired", "bogus", "unsigned", "not yet", "the ")), value
    past = check_dns(["example.test"], nameserver=knot.address, lang="ja", now=_now() - dt.timedelta(days=2))
    [a] = [f for f in past.findings or [] if f.resource == "example.test A"]
    assert a.observed is not None and a.observed.startswith("有効期間前: 鍵 ")


def test_record_lands_the_scan_as_evidence_on_cyb_02(knot: Knot, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    made = run_cli("init", str(ws), "--profile", "example:remittance", "--org", "Test KK", env={"ANTAI_USER": "tester"})
    assert made.returncode == 0, made.stderr
    result = run_cli(
        "check", "dns", "example.test", "--nameserver", knot.address, "--record", "-C", str(ws),
        "--format", "json", "--lang", "en",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    recorded = json.loads(result.stdout)["recorded"]
    assert "CYB-02" in recorded["evidence"].values()
    assert set(recorded["evidence"].values()) | set(recorded["outside_plan"]) == {
        "CYB-01",
        "CYB-02",
        "CYB-06",
        "KEY-03",
    }
    kept = list((ws / "evidence" / "files").glob("E*-antai-check-dns.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["target"] == "DNS example.test"
    verified = run_cli("verify", "-C", str(ws))
    assert verified.returncode == 0, verified.stderr


@pytest.mark.parametrize(
    ("args", "wording"),
    [
        (["bad domain"], "「bad domain」はドメイン名として使えない"),
        (["exa$mple.test"], "「exa$mple.test」はドメイン名として使えない"),
        (["a" * 64 + ".test"], "はドメイン名として使えない"),
        (["example.test", "--nameserver", "ns.example.test"], "--nameserver の「ns.example.test」は IP アドレス"),
        (["example.test", "--nameserver", "127.0.0.1:70000"], "--nameserver の「127.0.0.1:70000」は IP アドレス"),
    ],
)
def test_a_bad_domain_or_nameserver_is_bad_usage_before_any_query(args: list[str], wording: str) -> None:
    result = run_cli("check", "dns", *args)
    assert result.returncode == 2, result.stderr
    assert wording in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


# --- in-process: names, facts, the import ------------------------------------------------------------------


def test_names_and_addresses_are_normalised_or_refused() -> None:
    assert parse_domain("Example.TEST.") == "example.test"
    assert parse_domain("例え.jp") == "xn--r8jz45g.jp"
    assert parse_domain("_dmarc.example.com") == "_dmarc.example.com"
    for bad in ("", ".", "a..b", "exa mple.com", "-a.com", "a-.com", "a" * 64 + ".com", "x." * 127 + "com"):
        with pytest.raises(DnsUsageError) as caught:
            parse_domain(bad)
        assert caught.value.code == "dns_bad_domain"
    assert parse_nameserver("127.0.0.1:5300") == Server("127.0.0.1", 5300)
    assert parse_nameserver("192.0.2.53") == Server("192.0.2.53", 53)
    assert parse_nameserver("2001:db8::53") == Server("2001:db8::53", 53)
    assert parse_nameserver("[2001:db8::53]:5300") == Server("2001:db8::53", 5300)
    assert Server("2001:db8::53", 5300).label == "[2001:db8::53]:5300"
    for bad in ("ns1.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1", "[::1]x", "1.2.3.4:5:6", ""):
        with pytest.raises(DnsUsageError) as caught:
            parse_nameserver(bad)
        assert caught.value.code == "dns_bad_nameserver"
    with pytest.raises(DnsUsageError):
        check_dns(["ok.test", "not ok"], nameserver="127.0.0.1:9", lang="en")
    with pytest.raises(DnsUsageError) as caught:
        check_dns([f"d{n}.test" for n in range(101)], nameserver="127.0.0.1:9", lang="en")
    assert caught.value.code == "dns_too_many_domains"
    assert parse_domains(["A.test", "a.test.", "b.test"]) == ["a.test", "b.test"]


@pytest.mark.parametrize(
    ("error", "wording"),
    [
        (lambda: parse_domain("a b"), "「a b」はドメイン名として使えない"),
        (lambda: parse_nameserver("x"), "--nameserver の「x」は IP アドレス（とポート番号）ではない"),
        (lambda: parse_domains([]), "確認するドメインがない"),
        (lambda: parse_domains([f"d{n}.test" for n in range(101)]), "ドメインが多すぎる（101 件。1 回に 100 件まで）"),
    ],
)
def test_every_dns_error_has_japanese_wording(error: Callable[[], object], wording: str) -> None:
    with pytest.raises(DnsError) as caught:
        error()
    exc = caught.value
    assert error_text(exc.code, exc.params, str(exc), "ja") == wording + (
        "（英数字とハイフンのラベルを . でつなぎ、全体で 253 文字まで）" if exc.code == "dns_bad_domain" else ""
    ) + ("（例: 192.0.2.53、192.0.2.53:5300、[2001:db8::53]:5300）" if exc.code == "dns_bad_nameserver" else "")
    resolver = no_resolver("NoResolverConfiguration")
    assert error_text(resolver.code, resolver.params, str(resolver), "ja").startswith(
        "この機械には DNS リゾルバーが設定されていない（NoResolverConfiguration）"
    )


def test_without_nameserver_the_system_resolvers_are_used() -> None:
    conf = Path("/etc/resolv.conf")
    lines = (
        [line.split()[1] for line in conf.read_text().splitlines() if line.startswith("nameserver")]
        if conf.exists()
        else []
    )
    if not lines:
        pytest.skip("no nameserver in /etc/resolv.conf here")
    assert [s.host for s in system_servers()] == lines


def test_the_collector_loads_no_dnspython_until_it_runs() -> None:
    code = (
        "import sys, antai.collectors.dns.collect as c; m = c.metas(); "
        "assert not [n for n in sys.modules if n == 'dns' or n.startswith('dns.')], sorted(sys.modules); "
        "print(len(m))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(ALL_CHECKS))


def test_metas_list_the_checks_with_their_items_and_severities() -> None:
    listed = {m.id: (m.items, m.severity.value) for m in metas()}
    assert listed == {
        "dns.ds_at_parent": (("CYB-02",), "high"),
        "dns.dnskey_signed": (("CYB-02",), "high"),
        "dns.rrsig_valid": (("CYB-02",), "high"),
        "dns.rrsig_expiry": (("CYB-02",), "medium"),
        "dns.caa": (("CYB-01", "KEY-03"), "medium"),
        "dns.spf": (("CYB-06",), "medium"),
        "dns.dmarc": (("CYB-06",), "high"),
    }
    for m in metas():
        for text in (m.title, m.rationale, m.remediation):
            assert text.ja and text.en and text.ja != text.en


NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _facts(**changes: object) -> ZoneFacts:
    base: dict[str, object] = {"domain": "example.com", "lang": "en", "now": NOW, "soa": Records("SOA", ("x",))}
    return ZoneFacts(**{**base, **changes})  # type: ignore[arg-type]


def _results(module: object, facts: ZoneFacts) -> list[tuple[str, str, str]]:
    return [(r.status.value, r.resource, r.observed or "") for r in module.evaluate(facts)]  # type: ignore[attr-defined]


def test_spf_variants_on_hand_made_facts() -> None:
    def one(facts: ZoneFacts) -> tuple[str, str]:
        [(status, _, observed)] = _results(spf, facts)
        return status, observed

    assert one(_facts(spf=Spf(("v=spf1 -all", "v=spf1 ~all")))) == (
        "fail",
        "2 SPF records (receivers treat that as a permanent error)",
    )
    assert one(_facts(spf=Spf(("v=spf1 mx",)))) == ("fail", "no all term (the default is ?all, neutral): v=spf1 mx")
    assert one(_facts(spf=Spf(("v=spf1 mx ~ALL",)))) == ("pass", "~all: v=spf1 mx ~ALL")
    assert one(_facts(spf=Spf(("v=spf1 all",))))[0] == "fail"
    timeout = Failure("timeout", "192.0.2.53:53", timeout=2)
    redirected = Spf(("v=spf1 redirect=_spf.example.com",), ("_spf.example.com", timeout))
    assert one(_facts(spf=redirected)) == ("error", "timeout (no answer from 192.0.2.53:53 within 2 s)")
    again = Spf(("v=spf1 redirect=a.example.com",), ("a.example.com", ("v=spf1 redirect=b.example.com",)))
    assert one(_facts(spf=again))[0] == "error"
    assert one(_facts(spf=timeout))[0] == "error"


def test_dmarc_and_caa_variants_on_hand_made_facts() -> None:
    def one(module: object, facts: ZoneFacts) -> tuple[str, str, str]:
        [result] = _results(module, facts)
        return result

    assert one(dmarc, _facts(dmarc=("v=DMARC1; p=Reject; sp=none; rua=mailto:x@example.com",))) == (
        "pass",
        "_dmarc.example.com",
        "p=reject; sp=none",
    )
    assert one(dmarc, _facts(dmarc=("v=DMARC1; rua=mailto:x@example.com",)))[0] == "fail"
    assert one(dmarc, _facts(dmarc=("v=DMARC1; p=reject", "v=DMARC1; p=none")))[2] == (
        "2 DMARC records (receivers ignore DMARC then)"
    )
    ancestor = Caa("example.com", ((0, "issue", "pki.goog"), (128, "tbs", "x")))
    assert one(caa, _facts(domain="www.example.com", caa=ancestor)) == (
        "pass",
        "www.example.com",
        "CAA at example.com: issue pki.goog",
    )


def test_an_unknown_algorithm_is_an_error_and_a_missing_key_is_bogus() -> None:
    sig = Signature(
        "A", 1234, 253, "example.com", NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=9), Outcome.UNSUPPORTED
    )
    facts = _facts(dnskey=None, records={"A": Records("A", ("192.0.2.1",), (sig,))})
    results = {resource: (status, observed) for status, resource, observed in _results(rrsig_valid, facts)}
    assert results["example.com A"] == ("error", "a signature of algorithm 253, which antai cannot verify")
    assert results["example.com SOA"] == ("fail", "unsigned: no RRSIG")
    missing = Signature("A", 999, 13, "example.com", sig.inception, sig.expiration, Outcome.NO_KEY)
    facts = _facts(records={"A": Records("A", ("192.0.2.1",), (missing,))})
    results = {resource: (status, observed) for status, resource, observed in _results(rrsig_valid, facts)}
    assert results["example.com A"] == ("fail", "bogus: the zone has no DNSKEY with key tag 999 (algorithm 13)")
    [(status, _, observed)] = _results(rrsig_expiry, facts)
    assert (status, observed) == ("pass", "the earliest RRSIG expiration is 2026-12-10 00:00 UTC (A), 9.0 days away")


def test_a_check_that_breaks_on_odd_facts_gives_an_error_not_a_crash() -> None:
    run = ScanRun(_tool(), target="DNS x", observed_at=NOW, findings=[])  # type: ignore[arg-type]
    odd = _facts(records={"A": "not records"}, spf="v=spf1 -all")
    evaluate(CHECKS, odd, run, "en", resource="example.com")
    found = {(f.check, f.resource, f.status.value, f.observed) for f in run.findings or []}
    assert ("dns.rrsig_valid", "example.com", "error", "AttributeError while evaluating") in found
    assert ("dns.spf", "example.com", "error", "AttributeError while evaluating") in found
    assert not [f for f in found if f[0] == "dns.rrsig_valid" and f[2] == "pass" and f[1] != "example.com SOA"]


def _tool() -> object:
    from antai import __version__
    from antai.assessment.findings import ToolInfo

    return ToolInfo("antai", __version__)
