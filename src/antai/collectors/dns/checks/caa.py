"""CAA records say which certificate authorities may issue certificates for the domain."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.facts import Failure, ZoneFacts

META = CheckMeta(
    id="dns.caa",
    items=("CYB-01", "KEY-03"),
    severity=Severity.MEDIUM,
    title=Text(
        "CAA レコードで証明書を発行できる認証局を限っている",
        "CAA records limit which certificate authorities may issue certificates",
    ),
    rationale=Text(
        "CAA がなければどの認証局もこのドメインの証明書を発行できる。"
        "DNS やメールを一時的に奪った攻撃者が正規の証明書を手に入れやすくなる",
        "Without CAA any certificate authority may issue for the domain, which makes it easier for someone "
        "who briefly controls its DNS or mail to obtain a genuine certificate",
    ),
    remediation=Text(
        '使う認証局だけを issue に書いた CAA レコードを置く（例: 0 issue "amazon.com"、'
        '0 issuewild ";"、0 iodef "mailto:security@…"）',
        'Publish CAA records naming only the CAs you use (e.g. 0 issue "amazon.com", 0 issuewild ";", '
        '0 iodef "mailto:security@…")',
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    domain, caa = facts.domain, facts.caa
    if isinstance(caa, Failure):
        yield errored(domain, caa.observed(facts.lang))
        return
    if caa is None:
        yield failed(domain, facts.say("CAA がない（どの認証局も発行できる）", "no CAA (any CA may issue)"))
        return
    where = "" if caa.owner == domain else facts.say(f"{caa.owner} の CAA: ", f"CAA at {caa.owner}: ")
    parts = []
    for tag in ("issue", "issuewild"):
        values = [_ca(value)[:64] for _, t, value in caa.entries if t == tag][:8]
        if values:
            shown = ", ".join(v or facts.say("なし", "none") for v in values)
            parts.append(f"{tag} {shown}")
    if not parts:
        tags = ", ".join(sorted({t for _, t, _ in caa.entries}))
        yield failed(
            domain,
            where
            + facts.say(
                f"CAA に issue がない（{tags} のみ。どの認証局も発行できる）",
                f"CAA without issue ({tags} only: any CA may issue)",
            ),
        )
        return
    yield passed(domain, where + "; ".join(parts))


def _ca(value: str) -> str:
    """The CA's domain of an issue value ("letsencrypt.org; validationmethods=dns-01"); "" for ";"."""
    return value.split(";", 1)[0].strip()
