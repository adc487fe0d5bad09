"""App Transport Security: per-domain exceptions (NSExceptionDomains) that allow plain HTTP or TLS older than
1.2 for a host."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.ios.checks.common import MAX_LISTED, ats, flag, listing, shown
from antai.collectors.mobile.ios.facts import IpaFacts, Unreadable

META = CheckMeta(
    id="ipa.ats_exception_domains",
    items=("MOB-06",),
    severity=Severity.HIGH,
    title=Text(
        "ATS の接続先ごとの例外で平文 HTTP や TLS 1.2 未満を許していない",
        "No per-domain ATS exception allows plain HTTP or TLS older than 1.2",
    ),
    rationale=Text(
        "NSExceptionAllowsInsecureHTTPLoads や NSExceptionMinimumTLSVersion（TLSv1.0、TLSv1.1）の例外がある接続先"
        "とは、平文や破られうる TLS で通信し、トークンや口座情報が盗聴・改ざんされうる",
        "A domain with NSExceptionAllowsInsecureHTTPLoads or an NSExceptionMinimumTLSVersion of TLSv1.0 or "
        "TLSv1.1 is reached over plain HTTP or breakable TLS, exposing tokens and account data",
    ),
    remediation=Text(
        "接続先を HTTPS（TLS 1.2 以上）に対応させ、NSExceptionDomains の該当する例外を削除する。"
        "外部の接続先で直せない場合は、その接続先に秘密を送らないことを確かめ、例外に期限を決める",
        "Serve the host over HTTPS with TLS 1.2 or later and remove its exception from NSExceptionDomains; for "
        "a third-party host you cannot fix, make sure no secret goes to it and give the exception an end date",
    ),
)

WEAK_TLS = {"tlsv1.0", "tlsv1.1", "tlsv1", "sslv3"}
INSECURE = ("NSExceptionAllowsInsecureHTTPLoads", "NSThirdPartyExceptionAllowsInsecureHTTPLoads")
MINIMUM = ("NSExceptionMinimumTLSVersion", "NSThirdPartyExceptionMinimumTLSVersion")


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    found = ats(facts)
    if found is None:
        yield passed(
            facts.resource,
            facts.say(
                "NSAppTransportSecurity がない: 例外なし（ATS の既定）",
                "no NSAppTransportSecurity: no exceptions (ATS defaults)",
            ),
        )
        return
    if isinstance(found, Unreadable):
        yield errored(
            facts.resource,
            facts.say("NSAppTransportSecurity が辞書ではない", "NSAppTransportSecurity is not a dictionary"),
        )
        return
    domains = found.get("NSExceptionDomains")
    if domains is None or domains == {}:
        yield passed(facts.resource, facts.say("NSExceptionDomains がない", "no NSExceptionDomains"))
        return
    if not isinstance(domains, dict):
        yield errored(
            facts.resource, facts.say("NSExceptionDomains が辞書ではない", "NSExceptionDomains is not a dictionary")
        )
        return
    names = sorted(domains, key=lambda d: shown(d, 253))
    rest_failing: list[str] = []
    for index, name in enumerate(names):
        domain = shown(name, 253)
        problems = _problems(domains[name], facts)
        if index < MAX_LISTED:
            yield failed(domain, "; ".join(problems)) if problems else passed(domain, _fine(domains[name], facts))
        elif problems:
            rest_failing.append(domain)
    rest = len(names) - MAX_LISTED
    if rest > 0:
        summary = facts.say(f"ほかに {rest} 件の接続先", f"{rest} more domains")
        if rest_failing:
            yield failed(
                summary,
                facts.say(
                    f"{len(rest_failing)} 件が平文 HTTP か TLS 1.2 未満を許す: {listing(rest_failing, facts)}",
                    f"{len(rest_failing)} allow plain HTTP or TLS below 1.2: {listing(rest_failing, facts)}",
                ),
            )
        else:
            yield passed(
                summary, facts.say("平文 HTTP も TLS 1.2 未満も許していない", "none allows plain HTTP or TLS below 1.2")
            )


def _problems(entry: Any, facts: IpaFacts) -> list[str]:
    if not isinstance(entry, dict):
        return [facts.say("例外の設定が辞書ではない", "the exception is not a dictionary")]
    problems = [facts.say(f"{key} が有効", f"{key} set to true") for key in INSECURE if flag(entry.get(key)) is True]
    for key in MINIMUM:
        value = entry.get(key)
        if isinstance(value, str) and value.strip().lower() in WEAK_TLS:
            problems.append(f"{key} {shown(value, 20)}")
    return problems


def _fine(entry: Mapping[str, Any], facts: IpaFacts) -> str:
    notes = []
    if flag(entry.get("NSIncludesSubdomains")) is True:
        notes.append(facts.say("サブドメインを含む", "includes subdomains"))
    if flag(entry.get("NSExceptionRequiresForwardSecrecy")) is False:
        notes.append(facts.say("前方秘匿性を求めない", "forward secrecy not required"))
    for key in MINIMUM:
        value = entry.get(key)
        if isinstance(value, str):
            notes.append(f"{key} {shown(value, 20)}")
    detail = f"（{', '.join(notes)}）" if notes and facts.lang == "ja" else (f" ({', '.join(notes)})" if notes else "")
    return facts.say("平文 HTTP も TLS 1.2 未満も許していない", "allows neither plain HTTP nor TLS below 1.2") + detail
