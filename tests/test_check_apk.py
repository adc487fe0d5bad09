"""`antai check apk` on real packages: the three real APKs in ../shared/fixtures/apk, and APKs this module
builds once with Debian's aapt, zipalign, apksigner and keytool (tests/apk_harness): network security
configs with and without pin-sets, backup on and off with and without rules, exported components, and the
same app signed v1 only, v2, v3, with a debug certificate and not at all. Hostile packages (a zip bomb,
traversal, a duplicate or symlinked manifest, corrupt and deeply nested binary XML, truncated zips) must give
a clean message and exit code within two seconds. A short atheris run fuzzes the reader at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from antai.assessment.findings import ScanRun
from antai.collectors.mobile.android import axml as reader_axml
from antai.collectors.mobile.android.checks import CHECKS
from antai.collectors.mobile.android.checks.os_table_current import MAX_AGE_MONTHS, _months_later
from antai.collectors.mobile.android.collect import check_apk, metas
from antai.collectors.mobile.android.reader import ApkUnreadable
from antai.collectors.mobile.android.support import load_table, parse_table
from antai.collectors.mobile.archive import PackageError
from antai.errors import NotFound
from tests import apk_harness
from tests.apk_harness import axml, dex

from .conftest import SHARED, init_template, run_cli

FIXTURES = SHARED / "fixtures" / "apk"
TODAY = dt.date(2026, 12, 2)
ALL = [m.META.id for m in CHECKS]
SIGNALS = {m.META.id for m in CHECKS if m.META.signal}
VERDICTS = [c for c in ALL if c not in SIGNALS]
# a fixed table, so that the verdicts on the built APKs do not move with the calendar
TABLE = parse_table(
    {
        "as_of": "2026-11-01",
        "sources": ["https://source.android.com/docs/security/bulletin"],
        "versions": [
            {"api": 37, "android": "17", "released": "2026-06-16", "security_end": None},
            {"api": 36, "android": "16", "released": "2025-06-10", "security_end": None},
            {"api": 35, "android": "15", "released": "2024-09-03", "security_end": None},
            {"api": 34, "android": "14", "released": "2023-10-04", "security_end": None},
            {"api": 33, "android": "13", "released": "2022-08-15", "security_end": "2026-03-02"},
            {"api": 28, "android": "9", "released": "2018-08-06", "security_end": "2022-01-01"},
        ],
    }
)
PIN_A, PIN_B = "7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=", "fwza0LRMXouZHRC8Ei+4PyuldPDcf3UKgO/04cDM1oE="
HINT_STRINGS = [
    "Landroid/security/keystore/KeyGenParameterSpec$Builder;",
    "setIsStrongBoxBacked",
    "Landroidx/biometric/BiometricPrompt;",
    "Landroidx/biometric/BiometricPrompt$CryptoObject;",
    "Lokhttp3/CertificatePinner;",
    "Lcom/example/bank/MainActivity;",
]
STRICT_NSC = f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
  <base-config cleartextTrafficPermitted="false">
    <trust-anchors><certificates src="system"/></trust-anchors>
  </base-config>
  <domain-config>
    <domain includeSubdomains="true">api.example.com</domain>
    <pin-set expiration="2030-01-01"><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
  </domain-config>
  <debug-overrides><trust-anchors><certificates src="user"/></trust-anchors></debug-overrides>
</network-security-config>
"""
MIXED_NSC = f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
  <domain-config>
    <domain>api.example.com</domain>
    <pin-set expiration="2030-01-01"><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
    <domain-config><domain>eu.api.example.com</domain></domain-config>
  </domain-config>
  <domain-config><domain>old.example.com</domain>
    <pin-set expiration="2025-06-30"><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
  </domain-config>
  <domain-config><domain>cdn.example.com</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin></pin-set>
  </domain-config>
  <domain-config cleartextTrafficPermitted="true"><domain>legacy.example.com</domain></domain-config>
  <domain-config><domain>proxy.example.com</domain>
    <trust-anchors><certificates src="system"/><certificates src="user"/></trust-anchors>
  </domain-config>
</network-security-config>
"""
OPEN_NSC = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
  <base-config cleartextTrafficPermitted="true">
    <trust-anchors><certificates src="system"/><certificates src="user"/></trust-anchors>
  </base-config>
</network-security-config>
"""
RULES = """<?xml version="1.0" encoding="utf-8"?>
<data-extraction-rules>
  <cloud-backup><exclude domain="sharedpref" path="."/><exclude domain="database" path="."/></cloud-backup>
  <device-transfer><exclude domain="database" path="."/></device-transfer>
</data-extraction-rules>
"""
EMPTY_RULES = """<?xml version="1.0" encoding="utf-8"?>
<data-extraction-rules><cloud-backup/><device-transfer/></data-extraction-rules>
"""
COMPONENTS = """
    <permission android:name="com.example.bank.permission.SYNC" android:protectionLevel="signature"/>
    <permission android:name="com.example.bank.permission.OPEN" android:protectionLevel="normal"/>
"""
EXPORTS = """
    <activity android:name=".TransferActivity" android:exported="true"/>
    <activity android:name=".LinkActivity" android:exported="true">
      <intent-filter android:autoVerify="true">
        <action android:name="android.intent.action.VIEW"/>
        <category android:name="android.intent.category.DEFAULT"/>
        <category android:name="android.intent.category.BROWSABLE"/>
        <data android:scheme="https" android:host="app.example.com"/>
      </intent-filter>
    </activity>
    <service android:name="com.example.bank.PushService">
      <intent-filter><action android:name="com.example.bank.PUSH"/></intent-filter>
    </service>
    <service android:name=".SyncService" android:exported="true" android:permission="com.example.bank.permission.SYNC"/>
    <receiver android:name=".OpenReceiver" android:exported="true"
        android:permission="com.example.bank.permission.OPEN"/>
    <provider android:name=".DataProvider" android:authorities="com.example.bank.data" android:exported="false"/>
    <service android:name=".Internal"/>
"""


@dataclass
class Apks:
    good: Path
    mixed: Path
    open: Path
    backup_rules: Path
    backup_empty: Path
    backup_default: Path
    exports: Path
    v1_only: Path
    v2_only: Path
    v3_only: Path
    debug: Path
    unsigned: Path
    folder: Path


@pytest.fixture(scope="module")
def apks(tmp_path_factory: pytest.TempPathFactory) -> Apks:
    missing = apk_harness.missing_tools()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing in CI: {missing}")
        pytest.skip(f"not installed: {missing}")
    root = tmp_path_factory.mktemp("apks")
    release = apk_harness.make_key(root / "keys", "release", "CN=Example Bank Release,O=Example Bank KK,C=JP")
    debug_key = apk_harness.make_key(root / "keys", "debug", "CN=Android Debug,O=Android,C=US")
    code = {"classes.dex": dex.write(HINT_STRINGS), "classes2.dex": dex.write(["Lcom/example/bank/Second;"])}

    def built(name: str, manifest: str, res: dict[str, str] | None = None, **options: Any) -> Path:
        unsigned = apk_harness.build(root / name, manifest, res=res, files=code)
        return apk_harness.sign(unsigned, release, root / f"{name}.apk", v2=True, v3=True, **options)

    nsc = 'android:allowBackup="false" android:networkSecurityConfig="@xml/network_security_config"'
    good_unsigned = apk_harness.build(
        root / "good",
        apk_harness.manifest(application=nsc, extra=COMPONENTS),
        res={"xml/network_security_config.xml": STRICT_NSC},
        files=code,
    )
    return Apks(
        good=apk_harness.sign(good_unsigned, release, root / "good.apk", v2=True, v3=True),
        mixed=built("mixed", apk_harness.manifest(application=nsc), {"xml/network_security_config.xml": MIXED_NSC}),
        open=built(
            "open",
            apk_harness.manifest(application=nsc.replace("false", "true", 1), target_sdk=33),
            {"xml/network_security_config.xml": OPEN_NSC},
        ),
        backup_rules=built(
            "rules",
            apk_harness.manifest(
                application='android:allowBackup="true" android:dataExtractionRules="@xml/extraction"'
            ),
            {"xml/extraction.xml": RULES},
        ),
        backup_empty=built(
            "empty-rules",
            apk_harness.manifest(application='android:dataExtractionRules="@xml/extraction"'),
            {"xml/extraction.xml": EMPTY_RULES},
        ),
        backup_default=built("backup-default", apk_harness.manifest(application="", min_sdk=30, target_sdk=30)),
        exports=built("exports", apk_harness.manifest(min_sdk=30, target_sdk=30, components=EXPORTS, extra=COMPONENTS)),
        v1_only=apk_harness.sign(good_unsigned, release, root / "v1.apk", v1=True, v2=False, v3=False),
        v2_only=apk_harness.sign(good_unsigned, release, root / "v2.apk", v1=False, v2=True, v3=False),
        v3_only=apk_harness.sign(good_unsigned, release, root / "v3.apk", v1=False, v2=False, v3=True),
        debug=apk_harness.sign(good_unsigned, debug_key, root / "debug.apk", v2=True, v3=False),
        unsigned=good_unsigned,
        folder=root,
    )


def scan(path: Path, lang: str = "en", today: dt.date = TODAY) -> ScanRun:
    return check_apk(path, lang=lang, today=today, support=TABLE)


def table(run: ScanRun) -> dict[str, dict[str, str]]:
    """check -> resource -> status"""
    found: dict[str, dict[str, str]] = {}
    for f in run.findings or []:
        found.setdefault(f.check, {})[f.resource] = f.status.value
    return found


def statuses(run: ScanRun) -> dict[str, set[str]]:
    return {check: set(by.values()) for check, by in table(run).items()}


def observed(run: ScanRun, check: str, resource: str | None = None) -> str:
    return next(f.observed or "" for f in run.findings or [] if f.check == check and resource in (None, f.resource))


def signals(run: ScanRun) -> dict[str, tuple[bool, str | None]]:
    return {s.check: (s.seen, s.observed) for s in run.signals}


# --- the real APKs ---------------------------------------------------------------------------------------
STALE = dt.datetime.now(dt.UTC).date() > _months_later(load_table().as_of, MAX_AGE_MONTHS)
REAL = {
    "uncrackable1.apk": (
        "owasp.mstg.uncrackable1",
        {
            "apk.debuggable": "pass",
            "apk.signing_certificate": "pass",
            "apk.signing_scheme": "pass",
            "apk.allow_backup": "fail",
            "apk.backup_rules": "fail",
            "apk.cleartext_traffic": "pass",
            "apk.user_certificates": "pass",
            "apk.certificate_pinning": "fail",
            "apk.exported_components": "pass",
            "apk.min_sdk_supported": "fail",
            "apk.target_sdk_supported": "fail",
        },
    ),
    "TestActivity.apk": (
        "tests.androguard",
        {
            "apk.debuggable": "fail",
            "apk.signing_certificate": "fail",
            "apk.signing_scheme": "fail",
            "apk.allow_backup": "pass",
            "apk.backup_rules": "not_applicable",
            "apk.cleartext_traffic": "fail",
            "apk.user_certificates": "fail",
            "apk.certificate_pinning": "fail",
            "apk.exported_components": "pass",
            "apk.min_sdk_supported": "fail",
            "apk.target_sdk_supported": "fail",
        },
    ),
    "debuggable-boolean.apk": (
        "android.appsecurity.cts.tinyapp",
        {
            "apk.debuggable": "fail",
            "apk.signing_certificate": "fail",
            "apk.signing_scheme": "pass",
            "apk.allow_backup": "fail",
            "apk.backup_rules": "fail",
            "apk.cleartext_traffic": "fail",
            "apk.user_certificates": "pass",
            "apk.certificate_pinning": "fail",
            "apk.exported_components": "pass",
            "apk.min_sdk_supported": "fail",
            "apk.target_sdk_supported": "fail",
        },
    ),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_the_real_apks_get_exact_verdicts_through_the_cli(name: str, shared: Path) -> None:
    package, expected = REAL[name]
    result = run_cli("check", "apk", str(FIXTURES / name), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == f"Android app {package}"
    found = {f["check"]: f["status"] for f in data["findings"]}
    table_verdict = "fail" if STALE else "pass"
    assert found == expected | {"apk.os_table_current": table_verdict}
    assert {s["check"]: s["seen"] for s in data["signals"]} == dict.fromkeys(SIGNALS, False)
    assert data["totals"]["fail"] == sum(1 for v in found.values() if v == "fail")


def test_the_real_apks_observed_values(shared: Path) -> None:
    cracked = check_apk(FIXTURES / "uncrackable1.apk", lang="en", today=TODAY, support=TABLE)
    assert observed(cracked, "apk.allow_backup") == 'android:allowBackup="true"'
    assert observed(cracked, "apk.min_sdk_supported").startswith("minSdkVersion 19: API 19")
    assert "oldest still patched as of 2026-11-01: API 34, Android 14" in observed(cracked, "apk.min_sdk_supported")
    assert observed(cracked, "apk.signing_scheme") == "signature schemes: v1, v2"
    assert observed(cracked, "apk.signing_certificate") == (
        "version 1.0 (1): CN=Jeroen Willemsen,OU=OMTG,O=OWASP,L=Amsterdam,C=NL "
        "SHA-256 cbe68ab87d64341c3fc78119dc1229e8aa86f93fdb2c33aa61252fd491485b1d"
    )
    assert table(cracked)["apk.exported_components"] == {"sg.vantagepoint.uncrackable1.MainActivity": "pass"}
    test_activity = check_apk(FIXTURES / "TestActivity.apk", lang="en", today=TODAY, support=TABLE)
    assert observed(test_activity, "apk.debuggable") == 'version 1.0 (1): android:debuggable="true"'
    assert observed(test_activity, "apk.signing_scheme") == "signature schemes: v1 (JAR signing) only"
    assert "debug certificate (CN=Android Debug,O=Android,C=US)" in observed(test_activity, "apk.signing_certificate")
    assert (
        observed(test_activity, "apk.cleartext_traffic") == "no usesCleartextTraffic (true by default at targetSdk 16)"
    )
    tiny = check_apk(FIXTURES / "debuggable-boolean.apk", lang="en", today=TODAY, support=TABLE)
    assert "AOSP public test key" in observed(tiny, "apk.signing_certificate")
    assert observed(tiny, "apk.allow_backup") == "no android:allowBackup (defaults to true)"


def test_fail_on_critical_exits_1_on_a_debuggable_apk(shared: Path, apks: Apks) -> None:
    bad = run_cli("check", "apk", str(FIXTURES / "TestActivity.apk"), "--fail-on", "critical", "--lang", "en")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "critical" in bad.stderr
    good = run_cli("check", "apk", str(apks.good), "--fail-on", "critical", "--format", "json")
    assert good.returncode == 0, good.stderr


# --- built APKs ----------------------------------------------------------------------------------------
def test_a_hardened_app_passes_and_its_signals_are_seen(apks: Apks) -> None:
    run = scan(apks.good)
    assert statuses(run) == {check: {"pass"} for check in VERDICTS} | {"apk.backup_rules": {"not_applicable"}}
    assert run.target == "Android app com.example.bank"
    assert observed(run, "apk.debuggable") == "version 2.3.1 (7): no android:debuggable"
    assert observed(run, "apk.cleartext_traffic") == (
        'res/xml/network_security_config.xml: base-config cleartextTrafficPermitted="false"'
    )
    assert observed(run, "apk.user_certificates") == "res/xml/network_security_config.xml: base-config no user CAs"
    assert table(run)["apk.certificate_pinning"] == {"com.example.bank domain api.example.com": "pass"}
    assert observed(run, "apk.certificate_pinning") == "2 pin(s), until 2030-01-01"
    assert observed(run, "apk.min_sdk_supported") == "minSdkVersion 34: API 34 (Android 14)"
    assert observed(run, "apk.os_table_current") == (
        "as of 2026-11-01 (source https://source.android.com/docs/security/bulletin)"
    )
    assert signals(run) == {
        "apk.keystore_hint": (True, "Landroid/security/keystore/KeyGenParameterSpec$Builder;, StrongBox"),
        "apk.biometric_hint": (True, "Landroidx/biometric/BiometricPrompt;, with CryptoObject"),
        "apk.pinning_hint": (True, "Lokhttp3/CertificatePinner;"),
    }
    assert run.tally.count == len(run.findings or [])  # signals are not findings
    assert all(f.check not in SIGNALS for f in run.findings or [])


def test_pin_sets_cleartext_domains_and_user_cas_per_domain(apks: Apks) -> None:
    run = scan(apks.mixed)
    found = table(run)
    assert found["apk.certificate_pinning"] == {
        "com.example.bank domain api.example.com": "pass",
        "com.example.bank domain eu.api.example.com": "pass",  # inherits the enclosing pin-set
        "com.example.bank domain old.example.com": "fail",
        "com.example.bank domain cdn.example.com": "fail",
    }
    assert observed(run, "apk.certificate_pinning", "com.example.bank domain old.example.com") == (
        "2 pin(s), expired 2025-06-30 (Android no longer pins)"
    )
    assert observed(run, "apk.certificate_pinning", "com.example.bank domain cdn.example.com") == (
        "1 pin(s) (no backup pin)"
    )
    assert found["apk.cleartext_traffic"] == {
        "com.example.bank": "pass",  # targetSdk 35: the base config's default is false
        "com.example.bank domain legacy.example.com": "fail",
    }
    assert found["apk.user_certificates"] == {
        "com.example.bank": "pass",
        "com.example.bank domain proxy.example.com": "fail",
    }
    later = scan(apks.mixed, today=dt.date(2030, 1, 2))
    assert table(later)["apk.certificate_pinning"]["com.example.bank domain api.example.com"] == "fail"


def test_an_open_config_fails_cleartext_and_user_cas_and_has_no_pins(apks: Apks) -> None:
    run = scan(apks.open)
    assert statuses(run)["apk.cleartext_traffic"] == {"fail"}
    assert statuses(run)["apk.user_certificates"] == {"fail"}
    assert observed(run, "apk.user_certificates") == (
        'res/xml/network_security_config.xml: base-config trust-anchors certificates src="user"'
    )
    # the code names OkHttp's CertificatePinner: a pinning library antai cannot judge, so not a failure
    assert statuses(run)["apk.certificate_pinning"] == {"not_applicable"}
    assert "Lokhttp3/CertificatePinner;" in observed(run, "apk.certificate_pinning")
    assert statuses(run)["apk.allow_backup"] == {"fail"}
    assert statuses(run)["apk.target_sdk_supported"] == {"fail"}
    assert "API 33 (Android 13)" in observed(run, "apk.target_sdk_supported")


def test_backup_on_with_rules_that_exclude_data_passes(apks: Apks) -> None:
    run = scan(apks.backup_rules)
    assert statuses(run)["apk.allow_backup"] == {"pass"}
    assert (
        observed(run, "apk.allow_backup") == 'android:allowBackup="true"; dataExtractionRules limit what is backed up'
    )
    assert statuses(run)["apk.backup_rules"] == {"pass"}
    assert observed(run, "apk.backup_rules") == (
        "dataExtractionRules (res/xml/extraction.xml): cloud-backup include 0 exclude 2; "
        "device-transfer include 0 exclude 1"
    )


def test_backup_rules_that_exclude_nothing_or_no_rules_fail(apks: Apks) -> None:
    empty = scan(apks.backup_empty)
    assert statuses(empty)["apk.allow_backup"] == {"fail"}
    assert observed(empty, "apk.allow_backup") == "no android:allowBackup (defaults to true)"
    assert observed(empty, "apk.backup_rules") == "dataExtractionRules excludes nothing (res/xml/extraction.xml)"
    default = scan(apks.backup_default)  # targetSdk 30: fullBackupContent governs, and there is none
    assert statuses(default)["apk.allow_backup"] == {"fail"}
    assert observed(default, "apk.backup_rules") == "no fullBackupContent"
    ja = scan(apks.backup_default, lang="ja")
    assert observed(ja, "apk.allow_backup") == "android:allowBackup の指定なし（既定は true）"


def test_backup_off_on_target_31_still_notes_device_transfer(apks: Apks) -> None:
    run = scan(apks.good)
    assert observed(run, "apk.backup_rules") == (
        "backup is off (allowBackup=false); on Android 12 and later, device-to-device transfer still takes "
        "everything without rules"
    )


def test_each_exported_component_without_a_permission_fails(apks: Apks) -> None:
    run = scan(apks.exports)
    assert table(run)["apk.exported_components"] == {
        "com.example.bank.MainActivity": "pass",
        "com.example.bank.TransferActivity": "fail",
        "com.example.bank.LinkActivity": "pass",
        "com.example.bank.PushService": "fail",
        "com.example.bank.SyncService": "pass",
        "com.example.bank.OpenReceiver": "fail",
    }
    assert observed(run, "apk.exported_components", "com.example.bank.PushService") == (
        "no android:exported; exported by its intent-filter, no permission"
    )
    assert observed(run, "apk.exported_components", "com.example.bank.OpenReceiver") == (
        'android:exported="true", permission com.example.bank.permission.OPEN is normal (any app can get it)'
    )
    assert observed(run, "apk.exported_components", "com.example.bank.LinkActivity") == (
        'android:exported="true", deep link (https, autoVerify)'
    )
    assert observed(run, "apk.exported_components", "com.example.bank.MainActivity") == (
        'android:exported="true", launcher (public by design)'
    )


@pytest.mark.parametrize(
    ("which", "scheme", "schemes"),
    [
        ("v1_only", "fail", "signature schemes: v1 (JAR signing) only"),
        ("v2_only", "pass", "signature schemes: v2"),
        ("v3_only", "pass", "signature schemes: v3"),
        ("good", "pass", "signature schemes: v2, v3"),
        ("unsigned", "fail", "not signed"),
    ],
)
def test_signature_schemes(apks: Apks, which: str, scheme: str, schemes: str) -> None:
    run = scan(getattr(apks, which))
    assert statuses(run)["apk.signing_scheme"] == {scheme}
    assert observed(run, "apk.signing_scheme") == schemes
    certificate = statuses(run)["apk.signing_certificate"]
    assert certificate == ({"not_applicable"} if which == "unsigned" else {"pass"})
    if which != "unsigned":
        assert "CN=Example Bank Release,O=Example Bank KK,C=JP SHA-256 " in observed(run, "apk.signing_certificate")


def test_a_debug_certificate_fails_and_names_its_fingerprint(apks: Apks) -> None:
    run = scan(apks.debug)
    assert statuses(run)["apk.signing_certificate"] == {"fail"}
    shown = observed(run, "apk.signing_certificate")
    assert shown.startswith("version 2.3.1 (7): debug certificate (CN=Android Debug,O=Android,C=US) SHA-256 ")
    fingerprint = shown.rsplit(" ", 1)[1]
    printed = subprocess.run(
        ["apksigner", "verify", "--print-certs", str(apks.debug)], capture_output=True, text=True, check=True
    ).stdout
    assert f"certificate SHA-256 digest: {fingerprint}" in printed
    assert statuses(run)["apk.signing_scheme"] == {"pass"}


def test_the_os_table_older_than_six_months_is_a_finding(apks: Apks) -> None:
    fresh = scan(apks.good, today=dt.date(2027, 5, 1))
    assert statuses(fresh)["apk.os_table_current"] == {"pass"}
    stale = scan(apks.good, today=dt.date(2027, 5, 2))
    assert statuses(stale)["apk.os_table_current"] == {"fail"}
    assert observed(stale, "apk.os_table_current").endswith(", more than 6 months old on 2027-05-02")
    assert MAX_AGE_MONTHS == 6
    [finding] = [f for f in stale.findings or [] if f.check == "apk.os_table_current"]
    assert finding.items == ("MOB-03",) and finding.severity.value == "low"


def test_the_shipped_table_names_its_sources_and_date() -> None:
    shipped = load_table()
    assert shipped.sources[0] == "https://source.android.com/docs/security/bulletin"
    assert shipped.as_of >= dt.date(2026, 12, 1)
    assert [v.api for v in shipped.supported] == [37, 36, 35, 34]
    assert shipped.version(33) is not None and shipped.version(33).security_end == dt.date(2026, 3, 2)  # type: ignore[union-attr]


def test_every_check_has_wording_in_both_languages_and_items() -> None:
    ids = [m.id for m in metas()]
    assert ids == ALL and len(set(ids)) == len(ids)
    for meta in metas():
        assert re.fullmatch(r"apk\.[a-z_]+", meta.id)
        assert meta.items and all(re.fullmatch(r"MOB-\d\d", i) for i in meta.items)
        for text in (meta.title, meta.rationale, meta.remediation):
            assert text.ja and text.en and re.search(r"[ぁ-んァ-ン一-龥]", text.ja)
    assert {"apk.keystore_hint", "apk.biometric_hint", "apk.pinning_hint"} == SIGNALS


# --- through the CLI -----------------------------------------------------------------------------------
ENGLISH_STATUS = re.compile(r"\b(pass|fail|error|not_applicable|passed|failed)\b", re.IGNORECASE)


def test_japanese_table_output_has_no_english_status_words(apks: Apks) -> None:
    result = run_cli("check", "apk", str(apks.mixed))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "不適合" in out and "適合" in out and "シグナル" in out
    for line in out.splitlines():
        assert not ENGLISH_STATUS.search(line.replace("apk.", "")), line


def test_signals_are_in_the_json_and_not_counted(apks: Apks) -> None:
    result = run_cli("check", "apk", str(apks.good), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["check"]: s["seen"] for s in data["signals"]} == dict.fromkeys(SIGNALS, True)
    assert {s["check"]: s["items"] for s in data["signals"]} == {
        "apk.keystore_hint": ["MOB-01"],
        "apk.biometric_hint": ["MOB-04"],
        "apk.pinning_hint": ["MOB-06"],
    }
    assert not SIGNALS & {f["check"] for f in data["findings"]}
    assert sum(data["totals"].values()) == len(data["findings"])
    assert "MOB-01" not in data["items"] and "MOB-04" not in data["items"]


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Test KK")


def test_record_lands_the_scan_as_evidence_on_the_mob_items(apks: Apks, workspace_template: Path) -> None:
    ws = workspace_template
    result = run_cli("check", "apk", str(apks.mixed), "--record", "-C", str(ws), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    recorded = json.loads(result.stdout)["recorded"]
    items = set(recorded["evidence"].values())
    assert {"MOB-02", "MOB-03", "MOB-06", "MOB-07", "MOB-08", "MOB-11"} <= items | set(recorded["outside_plan"])
    assert "MOB-06" in items
    assert "MOB-01" not in items and "MOB-04" not in items  # signals are not evidence
    kept = list((ws / "evidence" / "files").glob("E*-antai-check-apk.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["target"] == "Android app com.example.bank"
    verified = run_cli("verify", "-C", str(ws))
    assert verified.returncode == 0, verified.stderr


# --- hostile packages ----------------------------------------------------------------------------------
def _zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _manifest() -> bytes:
    with zipfile.ZipFile(FIXTURES / "uncrackable1.apk") as archive:
        return archive.read("AndroidManifest.xml")


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    return info


def _hostile(folder: Path, apks: Apks) -> dict[str, tuple[Path, int, str]]:
    """name → (path, exit code, a phrase the Japanese message must contain)"""
    folder.mkdir(exist_ok=True)
    manifest = _manifest()
    deep = axml.deep(50_000)
    wide = _wide(reader_axml.MAX_ELEMENTS + 1000)
    greedy = bytearray(manifest)
    at = greedy.find(b"\x02\x01\x10\x00")  # the first start-element chunk
    greedy[at + 28 : at + 30] = (65535).to_bytes(2, "little")  # claims 65535 attributes
    garbled = bytearray(manifest)
    garbled[at + 4 : at + 8] = (0x00FFFFFF).to_bytes(4, "little")  # a chunk larger than the document
    real = apks.good.read_bytes()
    directory = folder / "folder.apk"
    directory.mkdir(exist_ok=True)
    (folder / "empty.apk").write_bytes(b"")
    (folder / "truncated.apk").write_bytes(real[: len(real) // 2])
    (folder / "tail-cut.apk").write_bytes(real[:-10])
    with pytest.warns(UserWarning, match="Duplicate name"):
        duplicate = _zip(folder / "duplicate.apk", [("AndroidManifest.xml", manifest), ("AndroidManifest.xml", b"x")])
    return {
        "zip bomb": (
            _zip(folder / "bomb.apk", [("AndroidManifest.xml", manifest), ("assets/zeros", bytes(64 * 1024 * 1024))]),
            1,
            "ZIP 爆弾",
        ),
        "traversal": (
            _zip(folder / "traversal.apk", [("AndroidManifest.xml", manifest), ("../../etc/cron.d/x", b"x")]),
            1,
            "パストラバーサル",
        ),
        "duplicate manifest": (duplicate, 1, "同じ名前のエントリ"),
        "symlink manifest": (
            _zip(folder / "symlink.apk", [(_symlink("AndroidManifest.xml"), b"/etc/passwd")]),
            1,
            "シンボリックリンク",
        ),
        "corrupt manifest": (
            _zip(
                folder / "corrupt.apk",
                [("AndroidManifest.xml", manifest[:40] + bytes(i * 37 % 251 for i in range(600)))],
            ),
            1,
            "AndroidManifest.xml が壊れている",
        ),
        "truncated manifest": (
            _zip(folder / "short.apk", [("AndroidManifest.xml", manifest[: len(manifest) // 2])]),
            1,
            "AndroidManifest.xml が壊れている",
        ),
        "greedy element": (_zip(folder / "greedy.apk", [("AndroidManifest.xml", bytes(greedy))]), 1, "壊れている"),
        "garbled chunk": (_zip(folder / "garbled.apk", [("AndroidManifest.xml", bytes(garbled))]), 1, "壊れている"),
        "plain-text manifest": (
            _zip(folder / "plain.apk", [("AndroidManifest.xml", b'<?xml version="1.0"?><manifest package="a"/>')]),
            1,
            "AndroidManifest.xml が壊れている",
        ),
        "deep nesting": (_zip(folder / "deep.apk", [("AndroidManifest.xml", deep)]), 1, "上限"),
        "too many elements": (_zip(folder / "wide.apk", [("AndroidManifest.xml", wide)]), 1, "上限"),
        "no manifest": (
            _zip(folder / "nomanifest.apk", [("classes.dex", b"dex\n035\x00")]),
            1,
            "AndroidManifest.xml がない",
        ),
        "not a manifest": (
            _zip(folder / "other-root.apk", [("AndroidManifest.xml", axml.write(ET.Element("resources")))]),
            1,
            "<manifest> ではない",
        ),
        "truncated zip": (folder / "truncated.apk", 1, "ZIP 形式のパッケージではない"),
        "cut central directory": (folder / "tail-cut.apk", 1, "ZIP 形式のパッケージではない"),
        "empty file": (folder / "empty.apk", 1, "ZIP 形式のパッケージではない"),
        "a directory": (directory, 1, "通常のファイルではない"),
        "missing file": (folder / "missing.apk", 2, "ファイルがない"),
    }


def _wide(count: int) -> bytes:
    root = ET.Element("manifest", {"package": "com.example.wide"})
    app = ET.SubElement(root, "application")
    for _ in range(count):
        ET.SubElement(app, "meta-data")
    return axml.write(root)


@pytest.fixture(scope="module")
def hostile(apks: Apks, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, str]]:
    return _hostile(tmp_path_factory.mktemp("hostile"), apks)


HOSTILE = [
    "zip bomb",
    "traversal",
    "duplicate manifest",
    "symlink manifest",
    "corrupt manifest",
    "truncated manifest",
    "greedy element",
    "garbled chunk",
    "plain-text manifest",
    "deep nesting",
    "too many elements",
    "no manifest",
    "not a manifest",
    "truncated zip",
    "cut central directory",
    "empty file",
    "a directory",
    "missing file",
]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_packages_give_a_clean_message_quickly(case: str, hostile: dict[str, tuple[Path, int, str]]) -> None:
    path, code, phrase = hostile[case]
    start = time.monotonic()
    result = run_cli("check", "apk", str(path))
    took = time.monotonic() - start
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert phrase in result.stderr, result.stderr
    assert result.stderr.startswith("エラー: ") and result.stderr.count("\n") == 1, result.stderr
    assert took < 2.0, f"{case}: {took:.2f} s"


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_packages_raise_the_documented_errors_in_process(
    case: str, hostile: dict[str, tuple[Path, int, str]]
) -> None:
    path, code, _ = hostile[case]
    start = time.monotonic()
    with pytest.raises((PackageError, ApkUnreadable, NotFound)) as caught:
        check_apk(path, lang="en", today=TODAY)
    assert time.monotonic() - start < 1.5
    assert isinstance(caught.value, NotFound) == (code == 2)


def test_the_binary_xml_limits_are_what_the_messages_say() -> None:
    with pytest.raises(reader_axml.BinaryXmlError, match=f"deeper than {reader_axml.MAX_DEPTH}"):
        reader_axml.check(axml.deep(reader_axml.MAX_DEPTH + 1))
    reader_axml.check(axml.deep(reader_axml.MAX_DEPTH - 2))  # manifest + application + the nested ones


def test_a_broken_network_security_config_is_an_error_never_a_pass(apks: Apks, tmp_path: Path) -> None:
    broken = tmp_path / "broken.apk"
    with zipfile.ZipFile(apks.mixed) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "res/xml/network_security_config.xml":
                data = data[: len(data) // 3]
            dst.writestr(info.filename, data)
    run = scan(broken)
    for check in ("apk.cleartext_traffic", "apk.user_certificates", "apk.certificate_pinning"):
        assert statuses(run)[check] == {"error"}, check
        assert "network security config unreadable: res/xml/network_security_config.xml" in observed(run, check)
    # zipfile does not copy the APK Signing Block: the rewritten package is unsigned, and says so
    assert observed(run, "apk.signing_scheme") == "not signed"


# --- fuzzing -------------------------------------------------------------------------------------------
def test_fuzz_the_apk_reader_briefly(apks: Apks, tmp_path: Path) -> None:
    """atheris for a few seconds from seeds made of the built APKs' parts: any bytes give facts or a clean
    PackageError / ApkUnreadable, nothing else."""
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (it is on Linux x86-64, as in CI)")
    harness = Path(__file__).parent / "fuzz" / "apk.py"
    seeds = tmp_path / "seeds"
    made = subprocess.run(
        [sys.executable, str(harness), "--write-seeds", str(seeds), str(apks.good), str(apks.mixed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    command = [
        sys.executable, str(harness), "-max_total_time=6", "-max_len=65536", "-timeout=5", "-rss_limit_mb=2048",
        "-print_final_stats=1", f"-artifact_prefix={tmp_path}/", str(corpus), str(seeds),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", cwd=tmp_path, timeout=120)
    runs = re.search(r"stat::number_of_executed_units: (\d+)", result.stderr)
    assert result.returncode == 0 and runs, result.stderr[-6000:]
    assert int(runs.group(1)) > 200, result.stderr[-2000:]


def test_without_the_mobile_extra_the_command_names_it(tmp_path: Path, shared: Path) -> None:
    """A Python path where androguard cannot be imported: one line naming the extra, exit 1, no traceback."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    # a None in sys.modules is how Python marks a module as not importable
    (blocker / "sitecustomize.py").write_text("import sys\nsys.modules['androguard'] = None\n", encoding="utf-8")
    env = {"PYTHONPATH": str(blocker)}
    result = run_cli("check", "apk", str(FIXTURES / "TestActivity.apk"), env=env)
    assert result.returncode == 1, result.stderr
    expected = "エラー: APK の確認には androguard が要る。`pip install 'antai[mobile]'` でインストールする"
    assert result.stderr.strip() == expected
