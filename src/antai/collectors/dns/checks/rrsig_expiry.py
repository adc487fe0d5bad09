"""The earliest expiration of the zone's signatures is at least a week away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, not_applicable, passed
from antai.collectors.dns.checks.common import when, zone_error
from antai.collectors.dns.facts import Failure, Records, ZoneFacts

HORIZON = dt.timedelta(days=7)

META = CheckMeta(
    id="dns.rrsig_expiry",
    items=("CYB-02",),
    severity=Severity.MEDIUM,
    title=Text(
        "最も早く失効する署名（RRSIG）まで 7 日以上ある",
        "The earliest RRSIG expiration is at least 7 days away",
    ),
    rationale=Text(
        "署名は期限が来れば失効し、再署名が止まっていると検証するリゾルバーからドメインが引けなくなる。"
        "7 日を切っているのは自動署名が止まっている兆候",
        "Signatures expire; if re-signing has stopped, the domain becomes unresolvable for validating "
        "resolvers. Fewer than 7 days left is the sign of a stalled signer",
    ),
    remediation=Text(
        "DNS 事業者の署名の状態（Route 53 の DNSSECInternalFailure など）を確かめて再署名させ、"
        "署名の失敗と期限にアラームを設ける",
        "Check the provider's signing status (e.g. Route 53's DNSSECInternalFailure), get the zone re-signed, "
        "and alarm on signing failures and on the expiry horizon",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    problem = zone_error(facts)
    if problem is not None:
        yield problem
        return
    looked = [facts.soa, facts.dnskey, *facts.records.values()]
    signed = [r for r in looked if isinstance(r, Records)]
    signatures = [s for r in signed for s in r.signatures]
    if not signatures:
        failures = [r for r in looked if isinstance(r, Failure)]
        if failures:
            yield errored(facts.domain, failures[0].observed(facts.lang))
        else:
            yield not_applicable(
                facts.domain,
                facts.say("署名がない（ゾーンが署名されていない）", "no signatures (the zone is not signed)"),
            )
        return
    earliest = min(signatures, key=lambda s: s.expiration)
    left = earliest.expiration - facts.now
    days = left.total_seconds() / 86400
    at = when(earliest.expiration)
    if left < dt.timedelta(0):
        yield failed(
            facts.domain,
            facts.say(
                f"最も早い署名の期限 {at}（{earliest.covered}）は {-days:.1f} 日前に過ぎた",
                f"the earliest RRSIG expiration, {at} ({earliest.covered}), passed {-days:.1f} days ago",
            ),
        )
    elif left < HORIZON:
        yield failed(
            facts.domain,
            facts.say(
                f"最も早い署名の期限 {at}（{earliest.covered}）まで {days:.1f} 日",
                f"the earliest RRSIG expiration is {at} ({earliest.covered}), {days:.1f} days away",
            ),
        )
    else:
        yield passed(
            facts.domain,
            facts.say(
                f"最も早い署名の期限 {at}（{earliest.covered}）まで {days:.1f} 日",
                f"the earliest RRSIG expiration is {at} ({earliest.covered}), {days:.1f} days away",
            ),
        )
