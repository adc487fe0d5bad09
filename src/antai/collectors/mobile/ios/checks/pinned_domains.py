"""Certificate pinning declared in Info.plist (NSPinnedDomains, iOS 14 and later): which domains, and how many
keys each pins. Pinning done in code (TrustKit, a URLSession delegate) is not visible here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from antai.assessment.verdicts import FindingStatus, Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.ios.checks.common import MAX_LISTED, ats, flag, shown
from antai.collectors.mobile.ios.facts import IpaFacts, Unreadable

META = CheckMeta(
    id="ipa.pinned_domains",
    items=("MOB-06",),
    severity=Severity.MEDIUM,
    title=Text(
        "Info.plist の NSPinnedDomains で接続先の鍵を予備を含め 2 つ以上固定している",
        "Info.plist pins at least two keys, one a backup, per domain with NSPinnedDomains",
    ),
    rationale=Text(
        "ピン留めがなければ、利用者に入れさせた不正なルート証明書や誤発行された証明書で通信を傍受されうる。"
        "鍵が 1 つだけだと、鍵を替えた日に全利用者のアプリが接続できなくなる",
        "Without pinning, a rogue root certificate the user was tricked into installing or a mis-issued "
        "certificate lets someone intercept the traffic; with a single pinned key, changing that key cuts every "
        "user off",
    ),
    remediation=Text(
        "自社 API のドメインを NSAppTransportSecurity の NSPinnedDomains に置き、NSPinnedCAIdentities（または "
        "NSPinnedLeafIdentities）に SPKI の SHA-256 を稼働中の鍵と予備の鍵の 2 つ以上書く。コードでピン留めして"
        "いるなら、その設計と試験の記録をエビデンスにする",
        "Put the API domains in NSPinnedDomains under NSAppTransportSecurity with at least two SPKI SHA-256 "
        "values (the live key and a backup) in NSPinnedCAIdentities or NSPinnedLeafIdentities; if the app pins in "
        "code instead, keep that design and its test record as evidence",
    ),
)

IDENTITIES = ("NSPinnedCAIdentities", "NSPinnedLeafIdentities")


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    found = ats(facts)
    if isinstance(found, Unreadable):
        yield errored(
            facts.resource,
            facts.say("NSAppTransportSecurity が辞書ではない", "NSAppTransportSecurity is not a dictionary"),
        )
        return
    pinned = found.get("NSPinnedDomains") if found is not None else None
    if pinned is None or pinned == {}:
        yield failed(
            facts.resource,
            facts.say(
                "Info.plist に NSPinnedDomains がない（コードでのピン留めはこの検査では分からない）",
                "no NSPinnedDomains in Info.plist (pinning done in code is not visible to this check)",
            ),
        )
        return
    if not isinstance(pinned, dict):
        yield errored(
            facts.resource, facts.say("NSPinnedDomains が辞書ではない", "NSPinnedDomains is not a dictionary")
        )
        return
    names = sorted(pinned, key=lambda d: shown(d, 253))
    for name in names[:MAX_LISTED]:
        yield _domain(shown(name, 253), pinned[name], facts)
    if len(names) > MAX_LISTED:
        rest = [_domain(shown(n, 253), pinned[n], facts) for n in names[MAX_LISTED:]]
        weak = sum(1 for r in rest if r.status is FindingStatus.FAIL)
        resource = facts.say(f"ほかに {len(rest)} 件の接続先", f"{len(rest)} more domains")
        yield (
            failed(
                resource, facts.say(f"{weak} 件が 2 つ未満の鍵しか固定していない", f"{weak} pin fewer than two keys")
            )
            if weak
            else passed(resource, facts.say("いずれも 2 つ以上の鍵を固定", "each pins two keys or more"))
        )


def _domain(domain: str, entry: Any, facts: IpaFacts) -> Result:
    if not isinstance(entry, dict):
        return failed(domain, facts.say("ピン留めの設定が辞書ではない", "the pinning entry is not a dictionary"))
    counts = {}
    for key in IDENTITIES:
        value = entry.get(key)
        counts[key] = (
            sum(1 for i in value if isinstance(i, dict) and i.get("SPKI-SHA256-BASE64"))
            if isinstance(value, list)
            else 0
        )
    keys = sum(counts.values())
    parts = [f"{key} {count}" for key, count in counts.items() if count]
    subdomains = (
        facts.say("、サブドメインを含む", ", subdomains included") if flag(entry.get("NSIncludesSubdomains")) else ""
    )
    detail = ", ".join(parts) or facts.say("鍵なし", "no keys")
    if keys >= 2:
        return passed(
            domain,
            facts.say(f"{keys} つの鍵を固定（{detail}{subdomains}）", f"{keys} keys pinned ({detail}{subdomains})"),
        )
    if keys == 1:
        return failed(
            domain,
            facts.say(
                f"固定した鍵が 1 つだけ（{detail}{subdomains}）。予備の鍵がなく、鍵の交換で接続できなくなる",
                f"a single key pinned ({detail}{subdomains}): no backup, a key change cuts users off",
            ),
        )
    return failed(domain, facts.say(f"固定した鍵がない（{detail}）", f"no key pinned ({detail})"))
