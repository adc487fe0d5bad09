"""The app does not install on Android versions that no longer receive security updates."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.android.checks.common import android, unreadable
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.min_sdk_supported",
    items=("MOB-03",),
    severity=Severity.MEDIUM,
    title=Text(
        "minSdkVersion がセキュリティ更新の続く Android の版以上",
        "minSdkVersion is a version of Android that still receives security updates",
    ),
    rationale=Text(
        "セキュリティ更新の止まった版では既知の脆弱性で Keystore・生体認証・TLS の検証といったアプリの守りを迂回される",
        "On a version that no longer gets security updates, known flaws can bypass what the app relies on: the "
        "Keystore, biometrics, TLS validation",
    ),
    remediation=Text(
        "minSdkVersion を Android セキュリティ情報（Security Bulletin）がパッチを出している最も古い版以上に上げ、"
        "対応 OS の方針に日付とともに記録する",
        "Raise minSdkVersion to at least the oldest version the Android Security Bulletins still patch, and "
        "record it, dated, in the OS support policy",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    problem = unreadable(facts, "minSdkVersion")
    if problem is not None or facts.min_sdk is None:
        yield problem or failed(facts.package, "minSdkVersion ?")
        return
    table = facts.support
    oldest = table.oldest_supported
    shown = f"minSdkVersion {facts.min_sdk}: {android(facts, facts.min_sdk)}"
    if facts.min_sdk >= oldest.api:
        yield passed(facts.package, shown)
        return
    version = table.version(facts.min_sdk)
    if version is not None and version.security_end is not None:
        ended = facts.say(
            f"、{version.security_end} にセキュリティ更新終了", f", security updates ended {version.security_end}"
        )
    else:
        ended = facts.say("、セキュリティ更新なし", ", no security updates")
    floor = facts.say(
        f"（{table.as_of} 時点で更新が続く最古の版は API {oldest.api}、Android {oldest.name}）",
        f" (oldest still patched as of {table.as_of}: API {oldest.api}, Android {oldest.name})",
    )
    yield failed(facts.package, shown + ended + floor)
