"""The APK is signed with APK Signature Scheme v2 or v3, not only with the old JAR signature (v1)."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.signing_scheme",
    items=("MOB-11",),
    severity=Severity.HIGH,
    title=Text(
        "APK 署名スキーム v2 か v3 で署名している",
        "The APK is signed with APK Signature Scheme v2 or v3",
    ),
    rationale=Text(
        "v1（JAR 署名）だけの APK は ZIP の一部しか守られず、Janus（CVE-2017-13156）のように中身を差し替えられた"
        "アプリが正規の署名のまま通る。署名のない APK はインストールも更新の確認もできない",
        "A v1-only (JAR-signed) APK protects only part of the zip, so a tampered app can keep a valid signature "
        "(Janus, CVE-2017-13156); an unsigned APK cannot be installed or checked at all",
    ),
    remediation=Text(
        "apksigner（Android Gradle Plugin の既定）で v2 と v3 を有効にして署名し、apksigner verify -v で確かめる。"
        "鍵は Play アプリ署名に預ける",
        "Sign with v2 and v3 enabled using apksigner (the Android Gradle Plugin's default) and check with "
        "apksigner verify -v; keep the app signing key in Play App Signing",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    signing = facts.signing
    schemes = [
        name for name, on in (("v1", signing.v1), ("v2", signing.v2), ("v3", signing.v3), ("v3.1", signing.v31)) if on
    ]
    shown = facts.say("署名スキーム: ", "signature schemes: ") + (", ".join(schemes) or facts.say("なし", "none"))
    if signing.error is not None:
        yield errored(
            facts.package, facts.say("署名ブロックを読めない: ", "signing block unreadable: ") + signing.error
        )
    elif signing.v2 or signing.v3 or signing.v31:
        yield passed(facts.package, shown)
    elif signing.v1:
        yield failed(
            facts.package, facts.say("署名スキーム: v1（JAR 署名）のみ", "signature schemes: v1 (JAR signing) only")
        )
    else:
        yield failed(facts.package, facts.say("署名がない", "not signed"))
