"""Signal: the code names a certificate pinning library (OkHttp's CertificatePinner, TrustKit)."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, seen
from antai.collectors.mobile.android.dex import HINTS
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.pinning_hint",
    items=("MOB-06",),
    severity=Severity.INFO,
    title=Text(
        "コードが証明書ピンニングのライブラリ（OkHttp CertificatePinner、TrustKit）を使っている形跡",
        "The code refers to a certificate pinning library (OkHttp CertificatePinner, TrustKit)",
    ),
    rationale=Text(
        "DEX の文字列表にある名前だけから推す手掛かりで、どのドメインにどのピンを設定したかは示さない",
        "A hint from the names in the DEX string tables only: it does not show which domains are pinned to which keys",
    ),
    remediation=Text(
        "ピンはネットワークセキュリティ構成の pin-set に置くと antai で確かめられる。"
        "コードで固定するならピンと期限を設計書に記録する",
        "Pins in a network security config pin-set can be checked by antai; if the code pins, record the pins and "
        "their expiry in the design",
    ),
    signal=True,
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    if facts.dex.error is not None:
        yield errored(facts.package, facts.say("DEX を読めない: ", "DEX unreadable: ") + facts.dex.error)
        return
    found = sorted(s for s in facts.dex.found if s in HINTS["pinning"])
    yield seen(facts.package, ", ".join(found) if found else None, bool(found))
