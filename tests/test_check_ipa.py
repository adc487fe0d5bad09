"""`antai check ipa` on real packages: the real IPA in ../shared/fixtures/ipa, and IPAs this module builds with
tests/ipa_builder.py (Info.plist as XML and binary, a CMS-signed provisioning profile, the xcent file and an
executable whose code signature holds the entitlements): the minimum iOS version, App Transport Security,
pinned domains, the Face ID signal, get-task-allow, aps-environment and the distribution profile. Hostile
packages (a zip bomb, traversal, entity expansion, shared references, oversized plists, 60 MB of candidate
magic numbers) must give a clean message and exit code, or a bounded scan, within two seconds. A short
atheris run fuzzes the reader at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import plistlib
import re
import stat
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from antai.assessment.findings import ScanRun
from antai.assessment.verdicts import FindingStatus
from antai.collectors.mobile.archive import PackageError
from antai.collectors.mobile.ios import reader
from antai.collectors.mobile.ios.checks import CHECKS
from antai.collectors.mobile.ios.checks.os_table_current import MONTHS, stale_after
from antai.collectors.mobile.ios.collect import check_ipa, metas
from antai.collectors.mobile.ios.facts import OsRelease, Profile, SupportTable
from antai.collectors.mobile.ios.reader import IpaError, load_table, read_ipa
from antai.errors import NotFound
from tests import ipa_builder as build
from tests.ipa_builder import Ipa, info_plist, profile

from .conftest import SHARED, init_template, run_cli

FIXTURE = SHARED / "fixtures" / "ipa" / "undebuggable.ipa"
TODAY = dt.date(2026, 12, 2)
ALL = [m.META.id for m in CHECKS]
SIGNALS = {m.META.id for m in CHECKS if m.META.signal}
# a fixed table, so that the verdicts on the built IPAs do not move when the shipped one is updated
TABLE = SupportTable(
    as_of=dt.date(2026, 11, 1),
    sources=("https://support.apple.com/en-us/100100",),
    releases=(
        OsRelease(27, "27.1", "2026-10-27", True),
        OsRelease(26, "26.7.2", "2026-10-27", True),
        OsRelease(18, "18.7.11", "2026-10-27", True),
        OsRelease(17, "17.7.11", "2026-05-12", True, "iPadOS only"),
        OsRelease(16, "16.7.16", "2026-05-12", True),
        OsRelease(15, "15.8.8", "2026-05-12", False),
        OsRelease(14, "14.8.1", "2021-10-26", False),
    ),
)
PIN_A, PIN_B = "7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=", "fwza0LRMXouZHRC8Ei+4PyuldPDcf3UKgO/04cDM1oE="
TEAM = build.TEAM_ID
RELEASE = {
    "application-identifier": f"{TEAM}.com.example.bank",
    "com.apple.developer.team-identifier": TEAM,
    "keychain-access-groups": [f"{TEAM}.com.example.bank"],
    "aps-environment": "production",
}
DEBUG = RELEASE | {"get-task-allow": True, "aps-environment": "development"}
PINNED = {
    "api.example.com": {
        "NSIncludesSubdomains": True,
        "NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": PIN_A}, {"SPKI-SHA256-BASE64": PIN_B}],
    }
}
FACE_ID = "ログインと振込の確認に Face ID を使います"
APP = "2.3.1 (build 7)"


def _specs() -> dict[str, Ipa]:
    hardened = info_plist(NSAppTransportSecurity={"NSPinnedDomains": PINNED}, NSFaceIDUsageDescription=FACE_ID)
    no_push = {k: v for k, v in RELEASE.items() if k != "aps-environment"}
    half = build.mobileprovision(profile("app-store"))
    return {
        "hardened": Ipa(info=hardened, profile=profile("app-store"), signed=RELEASE, local_authentication=True),
        "hardened_binary": Ipa(info=hardened, binary_info=True, profile=profile("app-store"), signed=RELEASE),
        # iOS 12: out of support in the shipped table too (the CLI runs with it)
        "debug": Ipa(info=info_plist(minimum="12.4"), profile=profile("development"), signed=DEBUG),
        "adhoc": Ipa(profile=profile("ad-hoc"), signed=RELEASE),
        "enterprise": Ipa(profile=profile("enterprise", name="Example Bank In-House"), signed=RELEASE),
        "profile_only": Ipa(profile=profile("development")),
        "release_dev_profile": Ipa(profile=profile("development"), signed=RELEASE),
        "fat_debug": Ipa(profile=profile("development"), signed=RELEASE, fat={"get-task-allow": True}),
        "no_push": Ipa(profile=profile("app-store", entitlements={"aps-environment": None}), signed=no_push),
        "bare": Ipa(),
        "no_executable": Ipa(no_executable=True),
        "xcent_only": Ipa(xcent=DEBUG),
        "truncated_profile": Ipa(profile=half[: len(half) // 2]),
        "no_face_id_la": Ipa(info=info_plist(NSFaceIDUsageDescription="  "), signed=RELEASE, local_authentication=True),
        "ats_open": Ipa(
            info=info_plist(
                NSAppTransportSecurity={
                    "NSAllowsArbitraryLoads": True,
                    "NSAllowsArbitraryLoadsInWebContent": "YES",
                    "NSAllowsArbitraryLoadsForMedia": False,
                }
            ),
            signed=RELEASE,
        ),
        "ats_domains": Ipa(
            info=info_plist(
                NSAppTransportSecurity={
                    "NSExceptionDomains": {
                        "legacy.example.com": {
                            "NSExceptionAllowsInsecureHTTPLoads": True,
                            "NSIncludesSubdomains": True,
                        },
                        "old-tls.example.com": {"NSExceptionMinimumTLSVersion": "TLSv1.0"},
                        "partner.example.net": {"NSThirdPartyExceptionAllowsInsecureHTTPLoads": "YES"},
                        "api.example.com": {
                            "NSExceptionMinimumTLSVersion": "TLSv1.2",
                            "NSExceptionRequiresForwardSecrecy": False,
                        },
                    }
                }
            ),
            signed=RELEASE,
        ),
        "ats_clean": Ipa(
            info=info_plist(NSAppTransportSecurity={"NSAllowsArbitraryLoads": False, "NSAllowsLocalNetworking": True}),
            signed=RELEASE,
        ),
        "ats_broken": Ipa(info=info_plist(NSAppTransportSecurity="off"), signed=RELEASE),
        "pins_mixed": Ipa(
            info=info_plist(
                NSAppTransportSecurity={
                    "NSPinnedDomains": PINNED
                    | {
                        "cdn.example.com": {"NSPinnedLeafIdentities": [{"SPKI-SHA256-BASE64": PIN_A}]},
                        "static.example.com": {"NSIncludesSubdomains": True},
                        "odd.example.com": "pin me",
                    }
                }
            ),
            signed=RELEASE,
        ),
    }


@pytest.fixture(scope="module")
def ipas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ipas")
    return {name: spec.write(root / f"{name}.ipa") for name, spec in _specs().items()}


@pytest.fixture(scope="module")
def real() -> Path:
    """The real IPA: skipped only where ../shared is absent outside CI; a missing file in CI fails."""
    if not SHARED.is_dir() and os.environ.get("CI") != "true":
        pytest.skip("../shared is not present on this machine")
    assert FIXTURE.is_file(), f"missing: {FIXTURE}"
    return FIXTURE


def scan(path: Path, lang: str = "en", today: dt.date = TODAY, table: SupportTable | None = TABLE) -> ScanRun:
    """check_ipa with the fixed table (``table=None``: the shipped one)."""
    with pytest.MonkeyPatch.context() as patch:
        if table is not None:
            patch.setattr(reader, "load_table", lambda: table)
        return check_ipa(path, lang=lang, today=today)


def table(run: ScanRun) -> dict[str, dict[str, str]]:
    """check -> resource -> status"""
    found: dict[str, dict[str, str]] = {}
    for f in run.findings or []:
        found.setdefault(f.check, {})[f.resource] = f.status.value
    return found


def statuses(run: ScanRun) -> dict[str, str]:
    """check -> its one status (for checks with a single resource)"""
    found = {}
    for check, by in table(run).items():
        assert len(by) == 1, (check, by)
        found[check] = next(iter(by.values()))
    return found


def observed(run: ScanRun, check: str, resource: str | None = None) -> str:
    return next(f.observed or "" for f in run.findings or [] if f.check == check and resource in (None, f.resource))


def signals(run: ScanRun) -> dict[str, tuple[bool, str | None]]:
    return {s.check: (s.seen, s.observed) for s in run.signals}


# --- the real IPA --------------------------------------------------------------------------------------
REAL = {
    "ipa.min_os_version": "fail",
    "ipa.ats_arbitrary_loads": "pass",
    "ipa.ats_exception_domains": "pass",
    "ipa.pinned_domains": "fail",
    "ipa.get_task_allow": "fail",
    "ipa.aps_environment": "not_applicable",
    "ipa.distribution": "fail",
    "ipa.os_table_current": "pass",
}
REAL_PROFILE = (
    "'iOS Team Provisioning Profile: sg.vp.UnDebuggable', team Vantage Point Security Pte. Ltd. (LRUD9L355Y), "
    "expires 2018-01-26, certificate SHA-256 dfa4e74d106a95e8d46bc659bf72df21328ab590b0833ba493ce89d5a1449b48 "
    "and 2 more"
)


def test_the_real_ipa_gets_exact_verdicts(real: Path) -> None:
    run = scan(real)
    assert run.target == "iOS app sg.vp.UnDebuggable"
    assert statuses(run) == REAL
    assert set(table(run)["ipa.min_os_version"]) == {"sg.vp.UnDebuggable"}
    assert observed(run, "ipa.min_os_version") == (
        "MinimumOSVersion 8.0: iOS 8 no longer gets security updates (older than the table); the oldest version "
        "that does is iOS 16 (table as of 2026-11-01); app version 1.0 (build 1)"
    )
    assert observed(run, "ipa.get_task_allow") == (
        "get-task-allow is true in the code signature entitlements (a development build); "
        "keychain-access-groups: LRUD9L355Y.sg.vp.UnDebuggable"
    )
    assert observed(run, "ipa.aps_environment") == (
        "no aps-environment in the code signature entitlements (no push notifications)"
    )
    assert observed(run, "ipa.distribution") == f"a development profile (12 registered devices); {REAL_PROFILE}"
    assert observed(run, "ipa.pinned_domains") == (
        "no NSPinnedDomains in Info.plist (pinning done in code is not visible to this check)"
    )
    assert signals(run) == {
        "ipa.face_id_usage": (
            False,
            "no NSFaceIDUsageDescription: the app cannot use Face ID; whether it uses LocalAuthentication with "
            "Touch ID or the passcode cannot be told without analysing the executable",
        )
    }
    assert {f.check: f.items for f in run.findings or []}["ipa.distribution"] == ("MOB-11",)


def test_the_real_ipa_facts(real: Path) -> None:
    facts = read_ipa(real, lang="en", today=TODAY)
    assert (facts.bundle_id, facts.app, facts.version, facts.build) == (
        "sg.vp.UnDebuggable",
        "UnDebuggable.app",
        "1.0",
        "1",
    )
    assert facts.signed.blobs == 2  # a fat binary (armv7 and arm64), one signature each
    assert facts.signed.entitlements == {
        "application-identifier": "LRUD9L355Y.sg.vp.UnDebuggable",
        "com.apple.developer.team-identifier": "LRUD9L355Y",
        "get-task-allow": True,
        "keychain-access-groups": ["LRUD9L355Y.sg.vp.UnDebuggable"],
    }
    assert isinstance(facts.profile, Profile)
    assert (facts.profile.team_id, facts.profile.devices, facts.profile.all_devices) == ("LRUD9L355Y", 12, False)
    assert facts.profile.expires == dt.datetime(2018, 1, 26, 12, 22, 58, tzinfo=dt.UTC)
    assert facts.xcent == {
        "application-identifier": "LRUD9L355Y.sg.vp.UnDebuggable",
        "keychain-access-groups": ["LRUD9L355Y.sg.vp.UnDebuggable"],
    }


def test_the_real_ipa_through_the_cli(real: Path) -> None:
    result = run_cli("check", "ipa", str(real), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == "iOS app sg.vp.UnDebuggable"
    found = {f["check"]: f["status"] for f in data["findings"]}
    stale = dt.datetime.now(dt.UTC).date() > stale_after(load_table().as_of)
    assert found == REAL | {"ipa.os_table_current": "fail" if stale else "pass"}
    assert [(s["check"], s["seen"], s["items"]) for s in data["signals"]] == [("ipa.face_id_usage", False, ["MOB-04"])]
    assert sorted(data["items"]) == ["MOB-03", "MOB-06", "MOB-08", "MOB-11"]  # no MOB-04: a signal is no verdict
    assert data["worst_failing"] == "critical"
    assert data["totals"] == {"pass": 3 - stale, "fail": 4 + stale, "error": 0, "not_applicable": 1}


# --- built IPAs: the minimum iOS version ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("minimum", "status", "expected"),
    [
        (
            "16.0",
            "pass",
            "MinimumOSVersion 16.0: iOS 16 receives security updates (latest 16.7.16 of 2026-05-12, table as of "
            f"2026-11-01); only the latest, iOS 27, gets every fix; app version {APP}",
        ),
        (
            "27.0.1",
            "pass",
            "MinimumOSVersion 27.0.1: iOS 27 receives security updates (latest 27.1 of 2026-10-27, table as of "
            f"2026-11-01); app version {APP}",
        ),
        (
            "28",
            "pass",
            "MinimumOSVersion 28: iOS 28 receives security updates (newer than the table, table as of 2026-11-01); "
            f"app version {APP}",
        ),
        (
            "15.0",
            "fail",
            "MinimumOSVersion 15.0: iOS 15 no longer gets security updates (last 15.8.8 of 2026-05-12); the oldest "
            f"version that does is iOS 16 (table as of 2026-11-01); app version {APP}",
        ),
        (
            "12.4",
            "fail",
            "MinimumOSVersion 12.4: iOS 12 no longer gets security updates (older than the table); the oldest "
            f"version that does is iOS 16 (table as of 2026-11-01); app version {APP}",
        ),
        (None, "fail", f"no MinimumOSVersion in Info.plist (any iOS version); app version {APP}"),
        ("16.0 beta", "error", f"MinimumOSVersion 16.0 beta is not a version number; app version {APP}"),
        (16, "error", f"MinimumOSVersion 16 is not a version number; app version {APP}"),
    ],
)
def test_minimum_os_version(tmp_path: Path, minimum: Any, status: str, expected: str) -> None:
    info = info_plist(minimum=None) | ({} if minimum is None else {"MinimumOSVersion": minimum})
    for binary in (False, True):
        run = scan(Ipa(info=info, binary_info=binary).write(tmp_path / f"app-{binary}.ipa"))
        assert statuses(run)["ipa.min_os_version"] == status
        assert observed(run, "ipa.min_os_version") == expected
        [finding] = [f for f in run.findings or [] if f.check == "ipa.min_os_version"]
        assert finding.items == ("MOB-03",) and finding.severity.value == "medium"


def test_minimum_os_version_in_japanese(tmp_path: Path) -> None:
    run = scan(Ipa(info=info_plist(minimum="15.0")).write(tmp_path / "app.ipa"), lang="ja")
    assert observed(run, "ipa.min_os_version") == (
        "MinimumOSVersion 15.0: iOS 15 のセキュリティ更新は終了（最終 15.8.8、2026-05-12）。更新が続く最も古い版は "
        "iOS 16（表: 2026-11-01 時点）。アプリの版 2.3.1（ビルド 7）"
    )
    newer = scan(Ipa(info=info_plist(minimum="18.1")).write(tmp_path / "newer.ipa"), lang="ja")
    assert observed(newer, "ipa.min_os_version") == (
        "MinimumOSVersion 18.1: iOS 18 にはセキュリティ更新がある（最新は 18.7.11（2026-10-27）、表: 2026-11-01 時点）"
        "。全ての修正が出るのは最新の iOS 27 のみ。アプリの版 2.3.1（ビルド 7）"
    )


# --- App Transport Security and pinning ----------------------------------------------------------------
def test_arbitrary_loads_fail_and_name_every_switch(ipas: dict[str, Path]) -> None:
    run = scan(ipas["ats_open"])
    assert statuses(run)["ipa.ats_arbitrary_loads"] == "fail"
    assert observed(run, "ipa.ats_arbitrary_loads") == (
        "NSAllowsArbitraryLoads, NSAllowsArbitraryLoadsInWebContent set to true"
    )
    [finding] = [f for f in run.findings or [] if f.check == "ipa.ats_arbitrary_loads"]
    assert finding.items == ("MOB-06",) and finding.severity.value == "high"
    assert statuses(run)["ipa.ats_exception_domains"] == "pass"
    assert observed(run, "ipa.ats_exception_domains") == "no NSExceptionDomains"


def test_each_exception_domain_gets_its_own_verdict(ipas: dict[str, Path]) -> None:
    run = scan(ipas["ats_domains"])
    assert table(run)["ipa.ats_exception_domains"] == {
        "api.example.com": "pass",
        "legacy.example.com": "fail",
        "old-tls.example.com": "fail",
        "partner.example.net": "fail",
    }
    check = "ipa.ats_exception_domains"
    assert observed(run, check, "legacy.example.com") == "NSExceptionAllowsInsecureHTTPLoads set to true"
    assert observed(run, check, "old-tls.example.com") == "NSExceptionMinimumTLSVersion TLSv1.0"
    assert observed(run, check, "partner.example.net") == "NSThirdPartyExceptionAllowsInsecureHTTPLoads set to true"
    assert observed(run, check, "api.example.com") == (
        "allows neither plain HTTP nor TLS below 1.2 (forward secrecy not required, NSExceptionMinimumTLSVersion "
        "TLSv1.2)"
    )
    assert table(run)["ipa.ats_arbitrary_loads"] == {"com.example.bank": "pass"}
    ja = scan(ipas["ats_domains"], lang="ja")
    assert observed(ja, check, "legacy.example.com") == "NSExceptionAllowsInsecureHTTPLoads が有効"


def test_clean_and_absent_ats_pass(ipas: dict[str, Path]) -> None:
    clean = scan(ipas["ats_clean"])
    assert observed(clean, "ipa.ats_arbitrary_loads") == (
        "no app-wide exception in NSAppTransportSecurity (NSAllowsLocalNetworking is on)"
    )
    assert statuses(clean)["ipa.ats_arbitrary_loads"] == "pass"
    assert observed(clean, "ipa.ats_exception_domains") == "no NSExceptionDomains"
    absent = scan(ipas["bare"])
    assert statuses(absent)["ipa.ats_arbitrary_loads"] == "pass"
    assert observed(absent, "ipa.ats_arbitrary_loads") == (
        "no NSAppTransportSecurity: ATS defaults (HTTPS with TLS 1.2 or later for every connection)"
    )
    assert observed(absent, "ipa.ats_exception_domains") == "no NSAppTransportSecurity: no exceptions (ATS defaults)"


def test_an_ats_that_is_not_a_dictionary_is_an_error_never_a_pass(ipas: dict[str, Path]) -> None:
    run = scan(ipas["ats_broken"])
    for check in ("ipa.ats_arbitrary_loads", "ipa.ats_exception_domains", "ipa.pinned_domains"):
        assert statuses(run)[check] == "error", check
        assert observed(run, check) == "NSAppTransportSecurity is not a dictionary"


def test_pinned_domains_need_two_keys_each(ipas: dict[str, Path]) -> None:
    hardened = scan(ipas["hardened"])
    assert table(hardened)["ipa.pinned_domains"] == {"api.example.com": "pass"}
    assert observed(hardened, "ipa.pinned_domains") == "2 keys pinned (NSPinnedCAIdentities 2, subdomains included)"
    mixed = scan(ipas["pins_mixed"])
    assert table(mixed)["ipa.pinned_domains"] == {
        "api.example.com": "pass",
        "cdn.example.com": "fail",
        "odd.example.com": "fail",
        "static.example.com": "fail",
    }
    assert observed(mixed, "ipa.pinned_domains", "cdn.example.com") == (
        "a single key pinned (NSPinnedLeafIdentities 1): no backup, a key change cuts users off"
    )
    assert observed(mixed, "ipa.pinned_domains", "static.example.com") == "no key pinned (no keys)"
    assert observed(mixed, "ipa.pinned_domains", "odd.example.com") == "the pinning entry is not a dictionary"
    absent = scan(ipas["ats_clean"])
    assert table(absent)["ipa.pinned_domains"] == {"com.example.bank": "fail"}
    assert observed(absent, "ipa.pinned_domains") == (
        "no NSPinnedDomains in Info.plist (pinning done in code is not visible to this check)"
    )


# --- the Face ID signal --------------------------------------------------------------------------------
def test_face_id_usage_is_a_signal_never_a_finding(ipas: dict[str, Path]) -> None:
    declared = scan(ipas["hardened"])
    assert signals(declared) == {"ipa.face_id_usage": (True, f"NSFaceIDUsageDescription: {FACE_ID}")}
    # LocalAuthentication linked without the usage text (here a blank one): the signal reads Info.plist only,
    # so it is "not seen", and the executable's framework list is not reported either way
    undeclared = scan(ipas["no_face_id_la"])
    assert signals(undeclared)["ipa.face_id_usage"][0] is False
    assert signals(undeclared) == signals(scan(ipas["debug"]))  # no LocalAuthentication there: the same
    for run in (declared, undeclared):
        assert "ipa.face_id_usage" not in table(run)
        assert all("MOB-04" not in f.items for f in run.findings or [])
        assert run.tally.count == len(run.findings or [])
    assert sorted(SIGNALS) == ["ipa.face_id_usage"]


# --- entitlements: get-task-allow, aps-environment, distribution ---------------------------------------
GROUPS = f"keychain-access-groups: {TEAM}.com.example.bank"
NO_ENTITLEMENTS = "no embedded.mobileprovision (App Store downloads have none) and no code signature entitlements"


@pytest.mark.parametrize(
    ("which", "status", "expected"),
    [
        ("debug", "fail", f"get-task-allow is true in the code signature entitlements (a development build); {GROUPS}"),
        (
            "profile_only",
            "fail",
            f"get-task-allow is true in the provisioning profile entitlements (a development build); "
            f"keychain-access-groups: {TEAM}.*",
        ),
        (
            "fat_debug",
            "fail",
            f"get-task-allow is true in the code signature entitlements (a development build); {GROUPS}",
        ),
        ("hardened", "pass", f"no get-task-allow in the code signature entitlements; {GROUPS}"),
        (
            "release_dev_profile",
            "pass",
            f"no get-task-allow in the code signature entitlements (the profile is for development and allows it); "
            f"{GROUPS}",
        ),
        ("bare", "not_applicable", f"{NO_ENTITLEMENTS} (no entitlements in the code signature)"),
        ("no_executable", "not_applicable", f"{NO_ENTITLEMENTS} (no executable)"),
        # Xcode leaves get-task-allow out of the xcent even in debug builds: it is never read for this check
        ("xcent_only", "not_applicable", f"{NO_ENTITLEMENTS} (no entitlements in the code signature)"),
        (
            "truncated_profile",
            "error",
            "embedded.mobileprovision is unreadable (no XML property list inside); no code signature entitlements "
            "either",
        ),
    ],
)
def test_get_task_allow(ipas: dict[str, Path], which: str, status: str, expected: str) -> None:
    run = scan(ipas[which])
    assert statuses(run)["ipa.get_task_allow"] == status
    assert observed(run, "ipa.get_task_allow") == expected
    [finding] = [f for f in run.findings or [] if f.check == "ipa.get_task_allow"]
    assert finding.items == ("MOB-08",) and finding.severity.value == "critical"


def test_get_task_allow_in_japanese(ipas: dict[str, Path]) -> None:
    run = scan(ipas["debug"], lang="ja")
    assert observed(run, "ipa.get_task_allow") == (
        f"コード署名の entitlements で get-task-allow が有効（開発用のビルド）。keychain-access-groups: "
        f"{TEAM}.com.example.bank"
    )


@pytest.mark.parametrize(
    ("which", "status", "expected"),
    [
        ("debug", "fail", "aps-environment is development in the code signature entitlements (development)"),
        (
            "profile_only",
            "fail",
            "aps-environment is development in the provisioning profile entitlements (development)",
        ),
        (
            "xcent_only",
            "fail",
            "aps-environment is development in the archived-expanded-entitlements.xcent entitlements (development)",
        ),
        ("hardened", "pass", "aps-environment production (code signature)"),
        ("no_push", "not_applicable", "no aps-environment in the code signature entitlements (no push notifications)"),
        ("bare", "not_applicable", f"{NO_ENTITLEMENTS} (no entitlements in the code signature)"),
    ],
)
def test_aps_environment(ipas: dict[str, Path], which: str, status: str, expected: str) -> None:
    run = scan(ipas[which])
    assert statuses(run)["ipa.aps_environment"] == status
    assert observed(run, "ipa.aps_environment") == expected


def _about(name: str) -> str:
    certificate = hashlib.sha256(build.signer().der).hexdigest()
    return f"'{name}', team Example Bank KK ({TEAM}), expires 2027-06-30, certificate SHA-256 {certificate}"


@pytest.mark.parametrize(
    ("which", "status", "expected"),
    [
        ("debug", "fail", f"a development profile (3 registered devices); {_about('Example Bank development')}"),
        ("adhoc", "fail", f"an ad hoc profile (3 registered devices); {_about('Example Bank ad-hoc')}"),
        (
            "enterprise",
            "fail",
            f"an enterprise (in-house) profile: installs without the store; {_about('Example Bank In-House')}",
        ),
        ("hardened", "pass", f"an App Store distribution profile; {_about('Example Bank app-store')}"),
        (
            "bare",
            "not_applicable",
            "no embedded.mobileprovision (App Store downloads have none): the distribution cannot be read",
        ),
        ("truncated_profile", "error", "embedded.mobileprovision is unreadable (no XML property list inside)"),
    ],
)
def test_distribution(ipas: dict[str, Path], which: str, status: str, expected: str) -> None:
    run = scan(ipas[which])
    assert statuses(run)["ipa.distribution"] == status
    assert observed(run, "ipa.distribution") == expected


def test_a_hardened_app_passes_every_verdict(ipas: dict[str, Path]) -> None:
    for which in ("hardened", "hardened_binary"):
        run = scan(ipas[which])
        assert run.target == "iOS app com.example.bank"
        assert statuses(run) == dict.fromkeys([c for c in ALL if c not in SIGNALS], "pass")
        assert run.tally.totals[FindingStatus.FAIL] == 0


# --- antai's table of iOS versions ---------------------------------------------------------------------
def test_the_table_older_than_six_months_is_a_failing_finding(ipas: dict[str, Path]) -> None:
    shipped = load_table()
    last_fresh = stale_after(shipped.as_of)
    fresh = scan(ipas["hardened"], today=last_fresh, table=None)
    assert table(fresh)["ipa.os_table_current"] == {"com.example.bank": "pass"}
    assert observed(fresh, "ipa.os_table_current") == (
        f"the table is as of {shipped.as_of} (source {shipped.sources[0]})"
    )
    stale = scan(ipas["hardened"], today=last_fresh + dt.timedelta(days=1), table=None)
    assert table(stale)["ipa.os_table_current"] == {"com.example.bank": "fail"}
    days = (last_fresh - shipped.as_of).days + 1
    assert observed(stale, "ipa.os_table_current") == (
        f"the table is as of {shipped.as_of} ({days} days ago, over 6 months): ipa.min_os_version relies on old "
        "data; update antai"
    )
    [finding] = [f for f in stale.findings or [] if f.check == "ipa.os_table_current"]
    assert finding.items == ("MOB-03",) and finding.severity.value == "low"
    assert stale.tally.totals[FindingStatus.FAIL] == 1  # every other verdict of the hardened app still passes
    assert MONTHS == 6


@pytest.mark.parametrize(
    ("as_of", "last_fresh"),
    [
        (dt.date(2026, 9, 29), dt.date(2027, 3, 29)),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), dt.date(2027, 6, 15)),
        (dt.date(2026, 7, 31), dt.date(2027, 1, 31)),
    ],
)
def test_six_months_after_the_table(as_of: dt.date, last_fresh: dt.date) -> None:
    assert stale_after(as_of) == last_fresh


def test_the_shipped_table_is_consistent() -> None:
    shipped = load_table()
    majors = [r.major for r in shipped.releases]
    assert majors == sorted(majors, reverse=True) and len(set(majors)) == len(majors)
    assert shipped.sources and all(s.startswith("https://") for s in shipped.sources)
    assert all(dt.date.fromisoformat(r.latest_date) <= shipped.as_of for r in shipped.releases)
    assert all(r.latest.split(".")[0] == str(r.major) for r in shipped.releases)
    assert shipped.newest.security_updates and shipped.oldest_supported.major <= shipped.newest.major
    assert not [
        r.major for r in shipped.releases if not r.security_updates and r.major > shipped.oldest_supported.major
    ]


def test_every_check_has_wording_in_both_languages_and_items() -> None:
    ids = [m.id for m in metas()]
    assert ids == ALL and len(set(ids)) == len(ids) == 9
    for meta in metas():
        assert re.fullmatch(r"ipa\.[a-z_]+", meta.id)
        assert meta.items and all(re.fullmatch(r"MOB-\d\d", i) for i in meta.items)
        for text in (meta.title, meta.rationale, meta.remediation):
            assert text.ja and text.en and re.search(r"[ぁ-んァ-ン一-龥]", text.ja)


# --- through the CLI -----------------------------------------------------------------------------------
ENGLISH_STATUS = re.compile(r"\b(pass|fail|error|not_applicable|passed|failed)\b", re.IGNORECASE)
SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"


def test_json_output(ipas: dict[str, Path]) -> None:
    result = run_cli("check", "ipa", str(ipas["debug"]), "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "antai.scan/1" and data["target"] == "iOS app com.example.bank"
    stale = dt.datetime.now(dt.UTC).date() > stale_after(load_table().as_of)
    assert {f["check"]: f["status"] for f in data["findings"]} == {
        "ipa.os_table_current": "fail" if stale else "pass",
        "ipa.min_os_version": "fail",
        "ipa.ats_arbitrary_loads": "pass",
        "ipa.ats_exception_domains": "pass",
        "ipa.pinned_domains": "fail",
        "ipa.get_task_allow": "fail",
        "ipa.aps_environment": "fail",
        "ipa.distribution": "fail",
    }
    assert data["totals"] == {"pass": 3 - stale, "fail": 5 + stale, "error": 0, "not_applicable": 0}
    assert data["worst_failing"] == "critical"
    assert {item: body["result"] for item, body in data["items"].items()} == {
        "MOB-03": "fail",
        "MOB-06": "fail",
        "MOB-08": "fail",
        "MOB-11": "fail",
    }
    assert [c["check"] for c in data["items"]["MOB-08"]["checks"]] == ["ipa.get_task_allow", "ipa.aps_environment"]
    assert [(s["check"], s["seen"]) for s in data["signals"]] == [("ipa.face_id_usage", False)]


def test_sarif_output(ipas: dict[str, Path]) -> None:
    result = run_cli("check", "ipa", str(ipas["debug"]), "--format", "sarif", "--lang", "en")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    [run] = log["runs"]
    assert run["properties"]["target"] == "iOS app com.example.bank"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["MOB-03", "MOB-06", "MOB-08", "MOB-11"]
    results = {(r["properties"]["check"], r["ruleId"], r["level"]) for r in run["results"]}
    assert results == {  # failing findings only, one result each
        ("ipa.get_task_allow", "MOB-08", "error"),
        ("ipa.aps_environment", "MOB-08", "warning"),
        ("ipa.min_os_version", "MOB-03", "warning"),
        ("ipa.pinned_domains", "MOB-06", "warning"),
        ("ipa.distribution", "MOB-11", "warning"),
    }
    [debuggable] = [r for r in run["results"] if r["properties"]["check"] == "ipa.get_task_allow"]
    assert debuggable["message"]["text"].startswith(
        "com.example.bank: antai check ipa.get_task_allow failed (severity critical). Observed: get-task-allow is "
        "true in the code signature entitlements"
    )


def test_fail_on_gates_on_the_severity(ipas: dict[str, Path]) -> None:
    debug = run_cli("check", "ipa", str(ipas["debug"]), "--fail-on", "critical", "--lang", "en")
    assert debug.returncode == 1 and "Traceback" not in debug.stderr
    assert debug.stderr == "Error: a critical finding failed (--fail-on critical or worse fails the run)\n"
    release = run_cli("check", "ipa", str(ipas["hardened"]), "--fail-on", "low", "--format", "json")
    assert release.returncode == 0, release.stderr
    pins = run_cli("check", "ipa", str(ipas["pins_mixed"]), "--fail-on", "high", "--format", "json")
    assert pins.returncode == 0, pins.stderr  # an unpinned domain is medium
    assert run_cli("check", "ipa", str(ipas["pins_mixed"]), "--fail-on", "medium").returncode == 1


def test_japanese_table_output_has_no_english_status_words(ipas: dict[str, Path]) -> None:
    result = run_cli("check", "ipa", str(ipas["pins_mixed"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "不適合" in out and "適合" in out and "シグナル" in out and "MOB-06" in out
    for line in out.splitlines():
        assert not ENGLISH_STATUS.search(line.replace("ipa.", "")), line


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Test KK")


def test_record_lands_the_scan_as_evidence_on_the_mob_items(ipas: dict[str, Path], workspace_template: Path) -> None:
    ws = workspace_template
    result = run_cli(
        "check", "ipa", str(ipas["debug"]), "--record", "-C", str(ws), "--format", "json", "--lang", "en",
        env={"ANTAI_USER": "tester"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    recorded = json.loads(result.stdout)["recorded"]
    items = set(recorded["evidence"].values())
    assert items | set(recorded["outside_plan"]) == {"MOB-03", "MOB-06", "MOB-08", "MOB-11"}
    assert "MOB-08" in items and "MOB-04" not in items  # signals are not evidence
    kept = list((ws / "evidence" / "files").glob("E*-antai-check-ipa.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["target"] == "iOS app com.example.bank"
    verified = run_cli("verify", "-C", str(ws))
    assert verified.returncode == 0, verified.stderr


# --- hostile packages ----------------------------------------------------------------------------------
INFO = "Payload/Bank.app/Info.plist"
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE plist [\n<!ENTITY a "aaaaaaaaaa">\n'
    + b"".join(b'<!ENTITY %c "%s">\n' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
    + b']>\n<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>&j;</string></dict></plist>\n'
)
EXTERNAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>&xxe;</string></dict></plist>\n'
)


def _zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    return info


def _xml_plist(body: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">' + body + b"</plist>\n"


def _shared_references(depth: int) -> bytes:
    """A binary Info.plist of a few hundred bytes whose MinimumOSVersion is an array holding the same array
    twice, ``depth`` times over: plistlib writes each list once, so 2**depth leaves share one object."""
    value: list[Any] = ["16.0"]
    for _ in range(depth):
        value = [value, value]
    return plistlib.dumps(info_plist(MinimumOSVersion=value), fmt=plistlib.FMT_BINARY)


def _refusals(folder: Path, good: Path) -> dict[str, tuple[Path, int, str]]:
    """name → (path, exit code, a phrase the Japanese one-line message must contain)"""
    folder.mkdir(exist_ok=True)
    files = Ipa(profile=profile("app-store"), signed=RELEASE).files()

    def variant(name: str, changes: dict[str, bytes], drop: str = "") -> Path:
        entries = {k: v for k, v in files.items() if k != drop} | changes
        return build.write_zip(folder / name, entries)

    whole = good.read_bytes()
    (folder / "truncated.ipa").write_bytes(whole[: len(whole) // 2])
    (folder / "not-a-zip.ipa").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "empty.ipa").write_bytes(b"")
    directory = folder / "folder.ipa"
    directory.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate it is asked to write
        duplicate = _zip(folder / "duplicate.ipa", [(INFO, files[INFO]), (INFO, plistlib.dumps({"a": 1}))])
    not_plist = "Info.plist を読めない（プロパティリストではないか、壊れている）"
    return {
        "zip bomb": (variant("bomb.ipa", {"Payload/Bank.app/Assets.car": bytes(64 * 1024 * 1024)}), 1, "ZIP 爆弾"),
        "traversal": (variant("traversal.ipa", {"../../Library/LaunchAgents/x.plist": b"x"}), 1, "パストラバーサル"),
        "duplicate Info.plist": (duplicate, 1, "同じ名前のエントリ"),
        "symlink Info.plist": (
            _zip(folder / "symlink.ipa", [(_symlink(INFO), b"/etc/passwd")]),
            1,
            "シンボリックリンク",
        ),
        "not a zip": (folder / "not-a-zip.ipa", 1, "ZIP 形式のパッケージではない"),
        "truncated zip": (folder / "truncated.ipa", 1, "ZIP 形式のパッケージではない"),
        "empty file": (folder / "empty.ipa", 1, "ZIP 形式のパッケージではない"),
        "a directory": (directory, 1, "通常のファイルではない"),
        "missing file": (folder / "missing.ipa", 2, "ファイルがない"),
        "no app": (_zip(folder / "apk.ipa", [("AndroidManifest.xml", b"\x03\x00\x08\x00")]), 1, "Payload/<名前>.app"),
        "two apps": (
            variant("two.ipa", {"Payload/Other.app/Info.plist": files[INFO]}),
            1,
            "Payload にアプリが 2 個ある（Bank.app, Other.app）",
        ),
        "no Info.plist": (variant("no-info.ipa", {}, drop=INFO), 1, "Payload/Bank.app/Info.plist がない"),
        "garbage Info.plist": (variant("garbage.ipa", {INFO: bytes(i * 37 % 251 for i in range(600))}), 1, not_plist),
        "truncated binary Info.plist": (
            variant("short.ipa", {INFO: plistlib.dumps(info_plist(), fmt=plistlib.FMT_BINARY)[:-20]}),
            1,
            not_plist,
        ),
        "Info.plist not a dictionary": (
            variant("array.ipa", {INFO: plistlib.dumps(["com.example.bank"])}),
            1,
            "Info.plist を読めない（中身が辞書ではない）",
        ),
        "billion laughs": (variant("laughs.ipa", {INFO: LAUGHS}), 1, not_plist),
        "external entity": (variant("xxe.ipa", {INFO: EXTERNAL}), 1, not_plist),
        "too many elements": (
            variant("wide.ipa", {INFO: _xml_plist(b"<array>" + b"<dict/>" * 400_000 + b"</array>")}),
            1,
            "Info.plist を読めない（大きさか要素の数が antai の読む上限を超える）",
        ),
        "too many binary objects": (
            variant("wide-binary.ipa", {INFO: plistlib.dumps([{} for _ in range(60_000)], fmt=plistlib.FMT_BINARY)}),
            1,
            "Info.plist を読めない（大きさか要素の数が antai の読む上限を超える）",
        ),
    }


@pytest.fixture(scope="module")
def refusals(ipas: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, str]]:
    return _refusals(tmp_path_factory.mktemp("hostile"), ipas["hardened"])


REFUSED = [
    "zip bomb",
    "traversal",
    "duplicate Info.plist",
    "symlink Info.plist",
    "not a zip",
    "truncated zip",
    "empty file",
    "a directory",
    "missing file",
    "no app",
    "two apps",
    "no Info.plist",
    "garbage Info.plist",
    "truncated binary Info.plist",
    "Info.plist not a dictionary",
    "billion laughs",
    "external entity",
    "too many elements",
    "too many binary objects",
]


@pytest.mark.parametrize("case", REFUSED)
def test_hostile_packages_give_a_clean_message_quickly(case: str, refusals: dict[str, tuple[Path, int, str]]) -> None:
    path, code, phrase = refusals[case]
    start = time.monotonic()
    result = run_cli("check", "ipa", str(path))
    took = time.monotonic() - start
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert phrase in result.stderr, result.stderr
    assert result.stderr.startswith(f"エラー: {path}: ") and result.stderr.count("\n") == 1, result.stderr
    assert took < 2.0, f"{case}: {took:.2f} s"


ERRORS: dict[str, tuple[type[Exception], str, str | None]] = {
    "zip bomb": (PackageError, "package_refused", "ratio"),
    "traversal": (PackageError, "package_refused", "traversal"),
    "duplicate Info.plist": (PackageError, "package_refused", "duplicate"),
    "symlink Info.plist": (PackageError, "package_refused", "symlink"),
    "not a zip": (PackageError, "package_refused", "not_zip"),
    "truncated zip": (PackageError, "package_refused", "not_zip"),
    "empty file": (PackageError, "package_refused", "not_zip"),
    "a directory": (PackageError, "package_refused", "not_a_file"),
    "missing file": (NotFound, "package_not_found", None),
    "no app": (IpaError, "ipa_no_app", None),
    "two apps": (IpaError, "ipa_many_apps", None),
    "no Info.plist": (IpaError, "ipa_no_info_plist", None),
    "garbage Info.plist": (IpaError, "ipa_bad_info_plist", "not_plist"),
    "truncated binary Info.plist": (IpaError, "ipa_bad_info_plist", "not_plist"),
    "Info.plist not a dictionary": (IpaError, "ipa_bad_info_plist", "not_dict"),
    "billion laughs": (IpaError, "ipa_bad_info_plist", "not_plist"),
    "external entity": (IpaError, "ipa_bad_info_plist", "not_plist"),
    "too many elements": (IpaError, "ipa_bad_info_plist", "over_limit"),
    "too many binary objects": (IpaError, "ipa_bad_info_plist", "over_limit"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_hostile_packages_raise_the_documented_errors_in_process(
    case: str, refusals: dict[str, tuple[Path, int, str]]
) -> None:
    path, _, _ = refusals[case]
    kind, code, reason = ERRORS[case]
    start = time.monotonic()
    with pytest.raises((PackageError, IpaError, NotFound)) as caught:
        check_ipa(path, lang="en", today=TODAY)
    assert time.monotonic() - start < 1.5
    assert type(caught.value) is kind and caught.value.code == code
    assert caught.value.params.get("reason") == reason
    assert "\n" not in str(caught.value) and str(caught.value).startswith(f"{path}: ")


def test_the_entity_refusal_names_its_cause(refusals: dict[str, tuple[Path, int, str]]) -> None:
    for case in ("billion laughs", "external entity"):
        with pytest.raises(IpaError, match=r"is not a property list \(InvalidFileException\)"):
            check_ipa(refusals[case][0], lang="en", today=TODAY)
    with pytest.raises(IpaError, match=r"\(more than 50000 elements\)$"):
        check_ipa(refusals["too many elements"][0], lang="en", today=TODAY)


def test_a_newline_in_a_refused_entry_name_stays_on_one_line(tmp_path: Path) -> None:
    path = _zip(tmp_path / "newline.ipa", [(INFO, plistlib.dumps(info_plist())), ("../x\nall checks passed", b"x")])
    result = run_cli("check", "ipa", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "パストラバーサル" in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def _timed_cli(path: Path) -> tuple[dict[str, Any], float]:
    start = time.monotonic()
    result = run_cli("check", "ipa", str(path), "--format", "json", "--lang", "en")
    took = time.monotonic() - start
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), took


def _by_check(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {f["check"]: (f["status"], f["observed"]) for f in data["findings"]}


def test_an_executable_of_60_mb_of_magic_numbers_is_scanned_in_bounded_time(tmp_path: Path) -> None:
    files = Ipa(profile=profile("app-store")).files()
    # each candidate claims a 16-byte blob whose body is the next candidate: never a plist
    files["Payload/Bank.app/Bank"] = struct.pack(">II", 0xFADE7171, 16) * (60_000_000 // 8)
    path = build.write_zip(tmp_path / "magic.ipa", files, stored=True)  # stored: past the ratio limit
    data, took = _timed_cli(path)
    assert took < 2.0, f"{took:.2f} s"
    # no blob in the signature: the profile's entitlements are judged instead
    assert _by_check(data)["ipa.get_task_allow"] == (
        "pass",
        f"no get-task-allow in the provisioning profile entitlements; keychain-access-groups: {TEAM}.*",
    )


def test_large_plausible_blobs_share_one_parsing_budget(tmp_path: Path) -> None:
    """64 blobs of 200 KiB that look like plists (arrays of 28,000 dictionaries): parsing all would take
    seconds; after the budget the rest are skipped, and the real blob behind them is not reached."""
    body = b'<?xml version="1.0"?><plist version="1.0"><array>' + b"<dict/>" * 28_000 + b"</array></plist>"
    junk = struct.pack(">II", 0xFADE7171, 8 + len(body)) + body
    files = Ipa(profile=profile("development")).files()
    files["Payload/Bank.app/Bank"] = junk * 64 + build.entitlements_blob(RELEASE)
    path = build.write_zip(tmp_path / "blobs.ipa", files, stored=True)
    data, took = _timed_cli(path)
    assert took < 2.0, f"{took:.2f} s"
    assert _by_check(data)["ipa.get_task_allow"][0] == "fail"  # judged on the development profile
    facts = read_ipa(path, lang="en", today=TODAY)
    assert facts.signed.entitlements is None and facts.signed.missing == "no entitlements in the code signature"


def test_a_plist_of_shared_references_is_shown_briefly(tmp_path: Path) -> None:
    files = Ipa(signed=RELEASE).files()
    files[INFO] = _shared_references(60)
    assert len(files[INFO]) < 1000
    data, took = _timed_cli(build.write_zip(tmp_path / "shared.ipa", files))
    assert took < 2.0, f"{took:.2f} s"
    status, text = _by_check(data)["ipa.min_os_version"]
    assert status == "error" and text.endswith(f" is not a version number; app version {APP}")
    assert text.startswith("MinimumOSVersion [[[") and len(text) < 120


def test_deep_nesting_within_the_limits_is_read(tmp_path: Path) -> None:
    files = Ipa(signed=RELEASE).files()
    nested = b"<key>NSAppTransportSecurity</key>" + b"<array>" * 40_000 + b"</array>" * 40_000
    files[INFO] = plistlib.dumps(info_plist()).replace(b"</dict>\n</plist>", nested + b"</dict>\n</plist>")
    data, took = _timed_cli(build.write_zip(tmp_path / "deep.ipa", files))
    assert took < 2.0, f"{took:.2f} s"
    assert _by_check(data)["ipa.ats_arbitrary_loads"] == ("error", "NSAppTransportSecurity is not a dictionary")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("truncated", b"", "no XML property list inside"),  # replaced below by half a real profile
        ("entities", build.envelope(LAUGHS), "its property list does not parse (InvalidFileException)"),
        ("not a dictionary", build.envelope(plistlib.dumps(["a"])), "its property list is not a dictionary"),
        ("garbage", bytes(range(256)) * 8, "no XML property list inside"),
    ],
)
def test_a_broken_profile_is_an_error_never_a_pass(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    if name == "truncated":
        whole = build.mobileprovision(profile("app-store"))
        data = whole[: len(whole) // 2]
    path = Ipa(profile=data, signed=RELEASE).write(tmp_path / "profile.ipa")
    start = time.monotonic()
    run = scan(path)
    assert time.monotonic() - start < 1.0
    assert statuses(run)["ipa.distribution"] == "error"
    assert observed(run, "ipa.distribution") == f"embedded.mobileprovision is unreadable ({reason})"
    assert statuses(run)["ipa.get_task_allow"] == "pass"  # the code signature is still read


# --- fuzzing -------------------------------------------------------------------------------------------
def test_fuzz_the_ipa_reader_briefly(ipas: dict[str, Path], tmp_path: Path) -> None:
    """atheris for a few seconds from seeds made of the built IPAs' parts: any bytes give a run or a clean
    PackageError / IpaError, nothing else."""
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (it is on Linux x86-64, as in CI)")
    harness = Path(__file__).parent / "fuzz" / "ipa.py"
    seeds = tmp_path / "seeds"
    sources = [str(ipas[n]) for n in ("debug", "hardened_binary", "ats_domains", "pins_mixed", "xcent_only")]
    made = subprocess.run(
        [sys.executable, str(harness), "--write-seeds", str(seeds), *sources],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert len(list(seeds.iterdir())) == 2 * len(sources)
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
