"""Signal: the code names the Android Keystore key generator (and StrongBox), a hint that keys are hardware-backed."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, seen
from antai.collectors.mobile.android.dex import HINTS
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.keystore_hint",
    items=("MOB-01",),
    severity=Severity.INFO,
    title=Text(
        "コードが Android Keystore の鍵生成（KeyGenParameterSpec）を使っている形跡",
        "The code refers to Android Keystore key generation (KeyGenParameterSpec)",
    ),
    rationale=Text(
        "DEX の文字列表にある名前だけから推す手掛かりで、鍵の使い方や保存するデータが正しいかは示さない",
        "A hint from the names in the DEX string tables only: it does not show that keys are used, or data is "
        "stored, the right way",
    ),
    remediation=Text(
        "トークンは Keystore（可能なら setIsStrongBoxBacked(true)）で生成した鍵で暗号化し、"
        "設計書とコードレビューで確かめる",
        "Encrypt tokens with a key generated in the Keystore (setIsStrongBoxBacked(true) where available) and "
        "confirm it in the design and code review",
    ),
    signal=True,
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    if facts.dex.error is not None:
        yield errored(facts.package, facts.say("DEX を読めない: ", "DEX unreadable: ") + facts.dex.error)
        return
    found = sorted(s for s in facts.dex.found if s in HINTS["keystore"])
    strongbox = facts.say("、StrongBox あり", ", StrongBox") if HINTS["strongbox"][0] in facts.dex.found else ""
    yield seen(facts.package, ", ".join(found) + strongbox if found else None, bool(found))
