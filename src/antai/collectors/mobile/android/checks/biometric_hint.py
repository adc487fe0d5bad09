"""Signal: the code names BiometricPrompt (and its CryptoObject), a hint of biometric authentication."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, seen
from antai.collectors.mobile.android.dex import HINTS
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.biometric_hint",
    items=("MOB-04",),
    severity=Severity.INFO,
    title=Text(
        "コードが BiometricPrompt を使っている形跡（CryptoObject で鍵と結び付けているか）",
        "The code refers to BiometricPrompt (and whether a CryptoObject binds it to a key)",
    ),
    rationale=Text(
        "DEX の文字列表にある名前だけから推す手掛かりで、"
        "生体認証が鍵の解錠とサーバーの検証に結び付いているかは示さない",
        "A hint from the names in the DEX string tables only: it does not show that biometrics unlock a key the "
        "server verifies",
    ),
    remediation=Text(
        "BiometricPrompt を CryptoObject 付きで呼び、鍵の署名をサーバーで検証する設計を設計書と試験記録で示す",
        "Call BiometricPrompt with a CryptoObject and show in the design and a test record that the server checks "
        "the key's signature",
    ),
    signal=True,
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    if facts.dex.error is not None:
        yield errored(facts.package, facts.say("DEX を読めない: ", "DEX unreadable: ") + facts.dex.error)
        return
    found = sorted(s for s in facts.dex.found if s in HINTS["biometric"])
    crypto = any(s in facts.dex.found for s in HINTS["biometric_crypto"])
    bound = (
        facts.say("、CryptoObject あり", ", with CryptoObject")
        if crypto
        else facts.say("、CryptoObject なし", ", no CryptoObject")
    )
    yield seen(facts.package, ", ".join(found) + bound if found else None, bool(found))
