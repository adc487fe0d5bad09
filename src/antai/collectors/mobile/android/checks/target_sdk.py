"""The app targets a version of Android that still receives security updates, so its protections apply."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.android.checks.common import android, unreadable
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.target_sdk_supported",
    items=("MOB-03",),
    severity=Severity.MEDIUM,
    title=Text(
        "targetSdkVersion がセキュリティ更新の続く Android の版以上",
        "targetSdkVersion is a version of Android that still receives security updates",
    ),
    rationale=Text(
        "古い targetSdk のアプリには新しい OS の保護（平文通信の禁止、利用者 CA の不信任、exported の明示など）が"
        "働かず、Google Play にも公開できない",
        "An app with an old targetSdk runs without the newer OS protections (no cleartext by default, no trust in "
        "user CAs, explicit exported) and cannot be published on Google Play",
    ),
    remediation=Text(
        "targetSdkVersion を毎年 Google Play の要件に合わせて上げ、新しい版の動作変更を試験する",
        "Raise targetSdkVersion every year in line with Google Play's requirement and test the new version's "
        "behaviour changes",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    problem = unreadable(facts, "targetSdkVersion")
    if problem is not None or facts.target_sdk is None:
        yield problem or failed(facts.package, "targetSdkVersion ?")
        return
    table = facts.support
    oldest, newest = table.oldest_supported, table.supported[0]
    shown = f"targetSdkVersion {facts.target_sdk}: {android(facts, facts.target_sdk)}"
    if facts.target_sdk >= oldest.api:
        yield passed(facts.package, shown)
    else:
        yield failed(
            facts.package,
            shown
            + facts.say(
                f"（{table.as_of} 時点で更新が続く版は API {oldest.api}〜{newest.api}）",
                f" (patched as of {table.as_of}: API {oldest.api} to {newest.api})",
            ),
        )
