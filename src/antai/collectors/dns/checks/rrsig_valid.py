"""The SOA, A, AAAA and MX records at the apex (those that exist) carry an RRSIG that validates against the
zone's DNSKEY; a failure says why: expired, not yet valid, bogus or unsigned."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.checks.common import outcome_text, zone_error
from antai.collectors.dns.facts import Failure, Outcome, ZoneFacts

TYPES = ("SOA", "A", "AAAA", "MX")

META = CheckMeta(
    id="dns.rrsig_valid",
    items=("CYB-02",),
    severity=Severity.HIGH,
    title=Text(
        "SOA・A・AAAA・MX の署名（RRSIG）がゾーンの DNSKEY で検証できる",
        "The SOA, A, AAAA and MX records have RRSIGs that validate against the zone's DNSKEY",
    ),
    rationale=Text(
        "署名のない記録は偽の応答を防げない。期限切れや検証できない署名があると、"
        "検証するリゾルバーはその名前を引けなくなる（Web もメールも止まる）",
        "Unsigned records are not protected from forged answers; an expired or bogus signature makes the name "
        "unresolvable for validating resolvers, which stops the web site and mail alike",
    ),
    remediation=Text(
        "署名を DNS 事業者の自動署名に任せ、手作業で署名したゾーンを置かない。"
        "失敗した記録は事業者の署名の状態と鍵を確かめて再署名する",
        "Leave signing to the DNS provider's automatic signer rather than hand-signed zone files; for a failing "
        "record, check the provider's signing status and keys and re-sign",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    problem = zone_error(facts)
    if problem is not None:
        yield problem
        return
    if isinstance(facts.dnskey, Failure):
        yield errored(facts.domain, facts.dnskey.observed(facts.lang))
        return
    for rdtype in TYPES:
        found = facts.soa if rdtype == "SOA" else facts.records.get(rdtype)
        resource = f"{facts.domain} {rdtype}"
        if isinstance(found, Failure):
            yield errored(resource, found.observed(facts.lang))
        elif found is not None:
            reason = outcome_text(facts, found)
            if found.outcome is Outcome.VALID:
                yield passed(resource, reason)
            elif found.outcome is Outcome.UNSUPPORTED:
                yield errored(resource, reason)
            else:
                yield failed(resource, reason)
