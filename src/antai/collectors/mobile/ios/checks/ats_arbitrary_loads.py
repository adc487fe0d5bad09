"""App Transport Security: the app-wide switches that allow plain HTTP and weak TLS (NSAllowsArbitraryLoads
and its variants for web views and media)."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.ios.checks.common import ats, flag
from antai.collectors.mobile.ios.facts import IpaFacts, Unreadable

META = CheckMeta(
    id="ipa.ats_arbitrary_loads",
    items=("MOB-06",),
    severity=Severity.HIGH,
    title=Text(
        "App Transport Security を全体では無効にしていない（NSAllowsArbitraryLoads 等がない）",
        "App Transport Security is not switched off app-wide (no NSAllowsArbitraryLoads or its variants)",
    ),
    rationale=Text(
        "NSAllowsArbitraryLoads（Web 表示やメディア向けの同種の設定を含む）を有効にすると、平文の HTTP や古い TLS "
        "での通信が許され、公衆 Wi-Fi 等での盗聴や改ざんを防げない",
        "NSAllowsArbitraryLoads (and its variants for web content and media) lets the app use plain HTTP and "
        "old TLS, so traffic on public Wi-Fi and the like can be read or altered",
    ),
    remediation=Text(
        "Info.plist の NSAppTransportSecurity から NSAllowsArbitraryLoads、NSAllowsArbitraryLoadsInWebContent、"
        "NSAllowsArbitraryLoadsForMedia を削除する。HTTPS にできない接続先があれば、その接続先だけの例外にして"
        "期限を決める",
        "Remove NSAllowsArbitraryLoads, NSAllowsArbitraryLoadsInWebContent and NSAllowsArbitraryLoadsForMedia "
        "from NSAppTransportSecurity in Info.plist; a host that cannot do HTTPS gets a per-domain exception with "
        "an end date",
    ),
)

KEYS = ("NSAllowsArbitraryLoads", "NSAllowsArbitraryLoadsInWebContent", "NSAllowsArbitraryLoadsForMedia")


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    found = ats(facts)
    if found is None:
        yield passed(
            facts.resource,
            facts.say(
                "NSAppTransportSecurity がない: ATS の既定（全接続で HTTPS、TLS 1.2 以上）",
                "no NSAppTransportSecurity: ATS defaults (HTTPS with TLS 1.2 or later for every connection)",
            ),
        )
        return
    if isinstance(found, Unreadable):
        yield errored(
            facts.resource,
            facts.say("NSAppTransportSecurity が辞書ではない", "NSAppTransportSecurity is not a dictionary"),
        )
        return
    allowed = [key for key in KEYS if flag(found.get(key)) is True]
    if allowed:
        yield failed(
            facts.resource,
            facts.say(f"{', '.join(allowed)} が有効", f"{', '.join(allowed)} set to true"),
        )
        return
    local = facts.say("（NSAllowsLocalNetworking は有効）", " (NSAllowsLocalNetworking is on)")
    yield passed(
        facts.resource,
        facts.say("NSAppTransportSecurity に全体の例外はない", "no app-wide exception in NSAppTransportSecurity")
        + (local if flag(found.get("NSAllowsLocalNetworking")) is True else ""),
    )
