"""android:debuggable must not be true in a release build."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.android.checks.common import unreadable
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.debuggable",
    items=("MOB-08",),
    severity=Severity.CRITICAL,
    title=Text(
        "デバッグ可能なビルド（android:debuggable）ではない", "The build is not debuggable (android:debuggable)"
    ),
    rationale=Text(
        "デバッグ可能なアプリには端末を手にした誰でもデバッガーを付けられ、メモリ上のトークンを読んだり処理を書き換えたりできる",
        "Anyone holding the phone can attach a debugger to a debuggable app, read tokens from its memory and change "
        "what it does",
    ),
    remediation=Text(
        "リリースビルドから android:debuggable を外す（Gradle の release ビルドタイプは debuggable false のまま）。"
        "CI で配布する APK を antai check apk --fail-on critical で確かめる",
        "Remove android:debuggable from release builds (leave debuggable false in the Gradle release build type) "
        "and check the APK you ship in CI with antai check apk --fail-on critical",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    problem = unreadable(facts, "debuggable")
    if problem is not None:
        yield problem
        return
    version = facts.say(f"版 {facts.version}: ", f"version {facts.version}: ")
    if facts.debuggable:
        yield failed(facts.package, version + 'android:debuggable="true"')
    elif facts.debuggable is False:
        yield passed(facts.package, version + 'android:debuggable="false"')
    else:
        yield passed(facts.package, version + facts.say("android:debuggable の指定なし", "no android:debuggable"))
