"""What the DNS checks share: the zone-level errors and the wording of a validation's outcome."""

from __future__ import annotations

import datetime as dt

from antai.collectors.base import Result, errored
from antai.collectors.dns.facts import Failure, Outcome, Records, ZoneFacts

__all__ = ["outcome_text", "when", "zone_error"]


def when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def zone_error(facts: ZoneFacts) -> Result | None:
    """An ``error`` when the domain's SOA could not be asked or the name is not a zone's apex (DNSSEC is a
    property of a zone: a name inside one is checked by checking the zone)."""
    if isinstance(facts.soa, Failure):
        return errored(facts.domain, facts.soa.observed(facts.lang))
    if facts.soa is None:
        zone = facts.zone or "?"
        return errored(
            facts.domain,
            facts.say(
                f"ゾーンの頂点ではない（SOA がない。ゾーンは {zone}）。ゾーン名を指定する",
                f"not a zone apex (no SOA here; the zone is {zone}): give the zone's name",
            ),
        )
    return None


def outcome_text(facts: ZoneFacts, records: Records) -> str:
    """Why ``records`` validates or not, in the run's language: valid, expired, not yet valid, bogus, unsigned."""
    outcome = records.outcome
    if outcome is None:
        return facts.say("署名なし: RRSIG がない", "unsigned: no RRSIG")
    sig = records.first(outcome)
    tag, alg = sig.key_tag, sig.algorithm
    if outcome is Outcome.VALID:
        return facts.say(
            f"有効: 鍵 {tag} の署名（{when(sig.expiration)} まで）",
            f"valid: signed by key {tag} until {when(sig.expiration)}",
        )
    if outcome is Outcome.EXPIRED:
        return facts.say(
            f"期限切れ: 鍵 {tag} の RRSIG は {when(sig.expiration)} に失効した",
            f"expired: the RRSIG by key {tag} expired on {when(sig.expiration)}",
        )
    if outcome is Outcome.NOT_YET_VALID:
        return facts.say(
            f"有効期間前: 鍵 {tag} の RRSIG は {when(sig.inception)} から有効",
            f"not yet valid: the RRSIG by key {tag} is valid from {when(sig.inception)}",
        )
    if outcome is Outcome.NO_KEY:
        return facts.say(
            f"検証失敗: 鍵タグ {tag}（アルゴリズム {alg}）の DNSKEY がゾーンにない",
            f"bogus: the zone has no DNSKEY with key tag {tag} (algorithm {alg})",
        )
    if outcome is Outcome.UNSUPPORTED:
        return facts.say(
            f"アルゴリズム {alg} の署名は antai では検証できない",
            f"a signature of algorithm {alg}, which antai cannot verify",
        )
    return facts.say(
        f"検証失敗: 鍵 {tag} の RRSIG が内容と一致しない（改ざんか署名の誤り）",
        f"bogus: the RRSIG by key {tag} does not verify (altered data or a broken signer)",
    )
