"""The zone publishes DNSKEY records, and the DNSKEY RRset is validly signed by one of its own keys."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.checks.common import outcome_text, zone_error
from antai.collectors.dns.facts import Failure, Outcome, ZoneFacts

META = CheckMeta(
    id="dns.dnskey_signed",
    items=("CYB-02",),
    severity=Severity.HIGH,
    title=Text(
        "ゾーンに DNSKEY があり、DNSKEY 自体が有効に署名されている",
        "The zone has DNSKEY records and the DNSKEY set is validly self-signed",
    ),
    rationale=Text(
        "DNSKEY がなければゾーンは署名されていない。DNSKEY の署名が検証できなければ、"
        "検証するリゾルバーはゾーンのどの応答も受け付けない",
        "Without DNSKEY records the zone is not signed; if the DNSKEY set's own signature does not validate, "
        "validating resolvers accept no answer from the zone",
    ),
    remediation=Text(
        "DNS 事業者（Route 53、Cloud DNS など）でゾーンの DNSSEC 署名を有効にし、署名の失敗を知らせるアラームを設ける",
        "Turn on DNSSEC signing for the zone at the DNS provider (Route 53, Cloud DNS…) and alarm on signing failures",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    problem = zone_error(facts)
    if problem is not None:
        yield problem
        return
    domain, dnskey = facts.domain, facts.dnskey
    if isinstance(dnskey, Failure):
        yield errored(domain, dnskey.observed(facts.lang))
        return
    if dnskey is None:
        yield failed(
            domain, facts.say("DNSKEY がない（ゾーンが署名されていない）", "no DNSKEY (the zone is not signed)")
        )
        return
    ksk = [k.tag for k in facts.keys if k.ksk]
    zsk = [k.tag for k in facts.keys if not k.ksk]
    shown = facts.say(
        f"KSK {_tags(ksk)}、ZSK {_tags(zsk)}。",
        f"KSK {_tags(ksk)}, ZSK {_tags(zsk)}; ",
    )
    reason = outcome_text(facts, dnskey)
    if dnskey.outcome is Outcome.VALID:
        yield passed(domain, shown + reason)
    elif dnskey.outcome is Outcome.UNSUPPORTED:
        yield errored(domain, shown + reason)
    else:
        yield failed(domain, shown + reason)


def _tags(tags: list[int]) -> str:
    return ", ".join(map(str, tags)) or "-"
