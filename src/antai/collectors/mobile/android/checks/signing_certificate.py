"""The APK is not signed with a debug certificate or one of AOSP's public test keys."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, not_applicable, passed
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.signing_certificate",
    items=("MOB-11", "MOB-08"),
    severity=Severity.HIGH,
    title=Text(
        "デバッグ用・公開テスト用の証明書で署名していない",
        "The APK is not signed with a debug or public test certificate",
    ),
    rationale=Text(
        "デバッグ証明書（CN=Android Debug）は開発者の PC ごとにあり、AOSP のテスト鍵は秘密鍵まで公開されている。"
        "それで署名したアプリは誰でも同じ署名で偽の更新を作れる",
        "A debug certificate (CN=Android Debug) sits on every developer's laptop and AOSP's test keys are public, "
        "private keys included: anyone can sign a fake update that Android accepts as the same app",
    ),
    remediation=Text(
        "リリースは CI で本番のアップロード鍵（Play アプリ署名）で署名する。"
        "配布版の証明書の SHA-256 を記録した値と照合する",
        "Sign releases in CI with the production upload key (Play App Signing), and compare the SHA-256 of the "
        "published build's certificate with the registered value",
    ),
)

_KIND = {
    "android_debug": ("デバッグ証明書", "debug certificate"),
    "aosp_test": ("AOSP の公開テスト鍵", "AOSP public test key"),
}


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    signing = facts.signing
    version = facts.say(f"版 {facts.version}: ", f"version {facts.version}: ")
    if signing.error is not None:
        yield errored(facts.package, facts.say("署名を読めない: ", "signature unreadable: ") + signing.error)
        return
    if not signing.certificates:
        yield not_applicable(
            facts.package, facts.say("署名がない（apk.signing_scheme を参照）", "not signed (see apk.signing_scheme)")
        )
        return
    bad = [c for c in signing.certificates if c.debug is not None]
    for cert in bad:
        ja, en = _KIND[cert.debug or "android_debug"]
        yield failed(
            facts.package,
            version + facts.say(f"{ja}（{cert.subject}）", f"{en} ({cert.subject})") + f" SHA-256 {cert.sha256}",
        )
    if not bad:
        cert = signing.certificates[0]
        yield passed(facts.package, version + f"{cert.subject[:120]} SHA-256 {cert.sha256}")
