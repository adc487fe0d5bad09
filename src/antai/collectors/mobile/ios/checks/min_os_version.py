"""MinimumOSVersion (the Xcode deployment target) against antai's dated table of iOS versions that still
receive security updates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.ios.checks.common import shown
from antai.collectors.mobile.ios.facts import IpaFacts

META = CheckMeta(
    id="ipa.min_os_version",
    items=("MOB-03",),
    severity=Severity.MEDIUM,
    title=Text(
        "最低 iOS 版（MinimumOSVersion）がセキュリティ更新の続いている版である",
        "The minimum iOS version (MinimumOSVersion) still receives security updates",
    ),
    rationale=Text(
        "セキュリティ更新の終わった iOS では既知の脆弱性が直らないまま残り、アプリが頼る Keychain や TLS 検証の"
        "保護が破られうる",
        "On an iOS version that no longer gets security updates known flaws stay open, and they can defeat the "
        "Keychain and TLS protections the app relies on",
    ),
    remediation=Text(
        "Xcode の iOS Deployment Target を、Apple がまだセキュリティ更新を出している版以上に上げ、"
        "対応 OS の方針に記録する（Apple のセキュリティリリースのページで確かめる）",
        "Raise the iOS deployment target in Xcode to a version Apple still ships security updates for, and "
        "record it in the OS support policy (check Apple's security releases page)",
    ),
)

_VERSION = re.compile(r"^\s*(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?\s*$")


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    table = facts.table
    raw = facts.info.get("MinimumOSVersion")
    app = _app_version(facts)
    if raw is None:
        yield failed(
            facts.resource,
            facts.say(
                f"Info.plist に MinimumOSVersion がない（どの iOS でも動く扱い）{app}",
                f"no MinimumOSVersion in Info.plist (any iOS version){app}",
            ),
        )
        return
    match = _VERSION.match(raw) if isinstance(raw, str) else None
    if match is None:
        yield errored(
            facts.resource,
            facts.say(
                f"MinimumOSVersion {shown(raw, 40)} を版番号として読めない{app}",
                f"MinimumOSVersion {shown(raw, 40)} is not a version number{app}",
            ),
        )
        return
    major, version = int(match.group(1)), match.group(0).strip()
    oldest, newest = table.oldest_supported, table.newest
    when = facts.say(f"表: {table.as_of} 時点", f"table as of {table.as_of}")
    release = table.release(major)
    if major >= oldest.major and (release is None or release.security_updates):
        latest = (
            facts.say(
                f"最新は {release.latest}（{release.latest_date}）", f"latest {release.latest} of {release.latest_date}"
            )
            if release is not None
            else facts.say("表より新しい版", "newer than the table")
        )
        partial = (
            facts.say(
                f"。全ての修正が出るのは最新の iOS {newest.major} のみ",
                f"; only the latest, iOS {newest.major}, gets every fix",
            )
            if major < newest.major
            else ""
        )
        yield passed(
            facts.resource,
            facts.say(
                f"MinimumOSVersion {version}: iOS {major} にはセキュリティ更新がある（{latest}、{when}）{partial}{app}",
                f"MinimumOSVersion {version}: iOS {major} receives security updates ({latest}, {when}){partial}{app}",
            ),
        )
        return
    ended = (
        facts.say(f"最終 {release.latest}、{release.latest_date}", f"last {release.latest} of {release.latest_date}")
        if release is not None
        else facts.say("表にない古い版", "older than the table")
    )
    yield failed(
        facts.resource,
        facts.say(
            f"MinimumOSVersion {version}: iOS {major} のセキュリティ更新は終了（{ended}）。更新が続く最も古い版は "
            f"iOS {oldest.major}（{when}）{app}",
            f"MinimumOSVersion {version}: iOS {major} no longer gets security updates ({ended}); the oldest "
            f"version that does is iOS {oldest.major} ({when}){app}",
        ),
    )


def _app_version(facts: IpaFacts) -> str:
    if facts.version is None and facts.build is None:
        return ""
    version, build = facts.version or "?", facts.build or "?"
    return facts.say(f"。アプリの版 {version}（ビルド {build}）", f"; app version {version} (build {build})")
