"""Whether the app declares Face ID use (NSFaceIDUsageDescription): a signal for the biometrics item, never a
verdict — how biometrics are bound to a key cannot be read from a package."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, seen
from antai.collectors.mobile.ios.checks.common import shown
from antai.collectors.mobile.ios.facts import IpaFacts

META = CheckMeta(
    id="ipa.face_id_usage",
    items=("MOB-04",),
    severity=Severity.INFO,
    title=Text(
        "Face ID の利用目的（NSFaceIDUsageDescription）を宣言している",
        "The app declares why it uses Face ID (NSFaceIDUsageDescription)",
    ),
    rationale=Text(
        "Face ID を使うアプリは利用目的の文言を Info.plist に置く必要がある。宣言があれば生体認証を使う手がかりに"
        "なるが、鍵と結び付けた認証かどうかは分からない",
        "An app that uses Face ID must state why in Info.plist. The key hints that the app uses biometrics; "
        "whether they unlock a device-held key cannot be told from it",
    ),
    remediation=Text(
        "生体認証を使うなら、Secure Enclave の鍵（.biometryCurrentSet）と結び付けた設計と、結果の改ざんで取引"
        "できないことを示す試験の記録をエビデンスにする",
        "If the app uses biometrics, keep as evidence the design binding them to a Secure Enclave key "
        "(.biometryCurrentSet) and a test record showing that tampering with the result allows no transaction",
    ),
    signal=True,
)


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    text = facts.info.get("NSFaceIDUsageDescription")
    if isinstance(text, str) and text.strip():
        yield seen(facts.resource, f"NSFaceIDUsageDescription: {shown(text, 80)}", True)
        return
    # a signal, never a verdict (see antai.collectors.base): "not seen", so that MOB-04 gets no finding from it
    yield seen(
        facts.resource,
        facts.say(
            "NSFaceIDUsageDescription がない: Face ID は使えない。Touch ID やパスコードでの LocalAuthentication の"
            "利用は実行ファイルを解析しないと分からない",
            "no NSFaceIDUsageDescription: the app cannot use Face ID; whether it uses LocalAuthentication with "
            "Touch ID or the passcode cannot be told without analysing the executable",
        ),
        False,
    )
