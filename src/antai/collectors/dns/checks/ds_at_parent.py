"""The parent zone holds a DS record that is the digest of one of the zone's DNSKEYs (the chain of trust)."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.checks.common import zone_error
from antai.collectors.dns.facts import Failure, Key, ZoneFacts

META = CheckMeta(
    id="dns.ds_at_parent",
    items=("CYB-02",),
    severity=Severity.HIGH,
    title=Text(
        "親ゾーンに DS レコードがあり、ゾーンの鍵署名鍵（KSK）と一致する",
        "The parent zone has a DS record matching the zone's key-signing key (KSK)",
    ),
    rationale=Text(
        "DS がなければ検証するリゾルバーは署名を確かめず、署名は偽の応答を防がない。"
        "DS がどの鍵とも一致しなければ、検証するリゾルバーからドメイン全体が引けなくなる",
        "Without a DS, validating resolvers never check the signatures, so they stop no forged answer; a DS "
        "that matches no key makes the whole domain unresolvable for them",
    ),
    remediation=Text(
        "DNS 事業者が示す DS レコード（KSK のダイジェスト）をレジストラに登録する。"
        "鍵の交換や事業者の移行では、古い DS を新しいものに置き換える",
        "Register the DS record your DNS provider shows (the KSK's digest) with the registrar; replace the old "
        "DS when the key is rolled or the provider changes",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    problem = zone_error(facts)
    if problem is not None:
        yield problem
        return
    domain, ds = facts.domain, facts.ds
    if isinstance(ds, Failure):
        yield errored(domain, ds.observed(facts.lang))
        return
    if isinstance(facts.dnskey, Failure):
        yield errored(domain, facts.dnskey.observed(facts.lang))
        return
    if not ds:
        yield failed(
            domain,
            facts.say(
                "親ゾーンに DS がない（検証するリゾルバーは署名を確かめない）",
                "no DS at the parent (validating resolvers do not check the signatures)",
            ),
        )
        return
    shown = ", ".join(f"{d.key_tag}/{_digest(d.digest_type)}" for d in ds)
    if not facts.keys:
        yield failed(
            domain,
            facts.say(
                f"親ゾーンに DS {shown} があるが、ゾーンに DNSKEY がない（検証するリゾルバーから引けない）",
                f"DS {shown} at the parent, but the zone has no DNSKEY (unresolvable for validating resolvers)",
            ),
        )
        return
    matching = [d for d in ds if d.matches is not None]
    if matching:
        first = matching[0]
        key = next(k for k in facts.keys if k.tag == first.matches)
        others = len(ds) - len(matching)
        extra = facts.say(f"（ほかに一致しない DS が {others} 件）", f" ({others} other DS match no key)")
        yield passed(
            domain,
            facts.say(
                f"DS {first.key_tag}/{_digest(first.digest_type)} が{_role(facts, key)} {key.tag} と一致",
                f"DS {first.key_tag}/{_digest(first.digest_type)} matches {_role(facts, key)} {key.tag}",
            )
            + (extra if others else ""),
        )
        return
    if not any(d.computable for d in ds):
        yield errored(
            domain,
            facts.say(
                f"DS {shown} のダイジェスト方式は antai では計算できない",
                f"DS {shown}: a digest type antai cannot compute",
            ),
        )
        return
    tags = ", ".join(str(k.tag) for k in facts.keys)
    yield failed(
        domain,
        facts.say(
            f"DS {shown} がゾーンのどの DNSKEY（{tags}）とも一致しない（検証するリゾルバーから引けない）",
            f"DS {shown} matches none of the zone's DNSKEYs ({tags}): unresolvable for validating resolvers",
        ),
    )


def _digest(digest_type: int) -> str:
    return {1: "SHA-1", 2: "SHA-256", 4: "SHA-384"}.get(digest_type, f"digest {digest_type}")


def _role(facts: ZoneFacts, key: Key) -> str:
    if key.ksk:
        return facts.say(" KSK", "KSK")
    return facts.say(f" 鍵（フラグ {key.flags}）", f"key (flags {key.flags})")
