"""The domain publishes a DMARC record (TXT at _dmarc) whose policy is quarantine or reject."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.facts import Failure, ZoneFacts

META = CheckMeta(
    id="dns.dmarc",
    items=("CYB-06",),
    severity=Severity.HIGH,
    title=Text(
        "DMARC（_dmarc の TXT）があり、ポリシーが reject か quarantine",
        "A DMARC record (TXT at _dmarc) with policy reject or quarantine",
    ),
    rationale=Text(
        "DMARC がないか p=none では、受信側はこのドメインをかたるメールを受信箱に届ける。"
        "顧客に届く偽の通知を止めるのは p=reject（少なくとも p=quarantine）",
        "With no DMARC, or p=none, receivers deliver mail that pretends to be from the domain to the inbox; "
        "p=reject (at least p=quarantine) is what stops fake notices reaching customers",
    ),
    remediation=Text(
        "_dmarc に v=DMARC1; p=none; rua=mailto:… を置いて集計レポートで正規の送信元を確かめ、"
        "3 か月以内に p=quarantine、p=reject へ強める（サブドメインは sp=reject）",
        "Publish v=DMARC1; p=none; rua=mailto:… at _dmarc, confirm the legitimate senders from the aggregate "
        "reports, and tighten to p=quarantine and then p=reject within three months (sp=reject for subdomains)",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    resource = f"_dmarc.{facts.domain}"
    found = facts.dmarc
    if isinstance(found, Failure):
        yield errored(resource, found.observed(facts.lang))
        return
    if not found:
        yield failed(resource, facts.say("DMARC（v=DMARC1 の TXT）がない", "no DMARC record (TXT v=DMARC1)"))
        return
    if len(found) > 1:
        yield failed(
            resource,
            facts.say(
                f"DMARC が {len(found)} つある（受信側は DMARC を無視する）",
                f"{len(found)} DMARC records (receivers ignore DMARC then)",
            ),
        )
        return
    tags = tags_of(found[0])
    policy = tags.get("p", "")
    pct = tags.get("pct", "100")
    shown = "; ".join(f"{k}={tags[k]}" for k in ("p", "sp", "pct") if k in tags)
    if policy == "none":
        yield failed(
            resource,
            facts.say(
                f"{shown}（監視のみ。なりすましメールも届く）", f"{shown} (monitoring only: spoofed mail is delivered)"
            ),
        )
    elif policy not in ("quarantine", "reject"):
        yield failed(
            resource,
            facts.say(
                f"p の値がない・読めない（{shown or found[0][:80]}）", f"no valid p= policy ({shown or found[0][:80]})"
            ),
        )
    elif pct.strip() != "100":
        yield failed(
            resource,
            facts.say(f"{shown}（一部のメールにしか適用されない）", f"{shown} (applied to only part of the mail)"),
        )
    else:
        yield passed(resource, shown)


def tags_of(record: str) -> dict[str, str]:
    """The tag=value pairs of a DMARC record, tags and policy words in lower case."""
    tags: dict[str, str] = {}
    for part in record.split(";"):
        key, sep, value = part.partition("=")
        if sep:
            key = key.strip().lower()
            value = value.strip()
            tags.setdefault(key, value.lower() if key in ("p", "sp") else value)
    return tags
