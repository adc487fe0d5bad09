"""The certificate has more than 30 days left."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.web.checks.common import day, https_only
from antai.collectors.web.facts import Failure, SiteFacts

HORIZON_DAYS = 30

META = CheckMeta(
    id="web.certificate_expiry",
    items=("KEY-03",),
    severity=Severity.HIGH,
    title=Text("証明書の残り有効期間が 30 日より長い", "The certificate has more than 30 days left"),
    rationale=Text(
        "期限切れの証明書はアプリ、API、銀行との接続を一度に止める。自動更新は通常 30 日前までに済むので、"
        "残りが 30 日以下なら更新が止まっている",
        "An expired certificate stops the app, the API and bank connections at once; automatic renewal "
        "normally happens well before the last 30 days, so 30 days or fewer means renewal has stalled",
    ),
    remediation=Text(
        "証明書を更新し、自動更新（ACM、certbot など）が動いているか、失敗を通知する監視があるかを確かめる",
        "Renew the certificate, and check that automatic renewal (ACM, certbot…) runs and that its failure "
        "alerts someone",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    skip = https_only(facts)
    if skip is not None:
        yield skip
        return
    cert = facts.certificate
    if isinstance(cert, Failure) or cert is None:
        yield errored(facts.url, cert.observed(facts.lang) if cert else facts.say("証明書がない", "no certificate"))
        return
    left = cert.not_after - facts.now
    days = left.days
    if left.total_seconds() <= 0:
        yield failed(
            facts.url,
            facts.say(
                f"{day(cert.not_after)} に期限切れ（{(facts.now - cert.not_after).days} 日前）",
                f"expired on {day(cert.not_after)} ({(facts.now - cert.not_after).days} days ago)",
            ),
        )
        return
    seen = facts.say(f"{day(cert.not_after)} まで（残り {days} 日）", f"until {day(cert.not_after)} ({days} days left)")
    yield failed(facts.url, seen) if days <= HORIZON_DAYS else passed(facts.url, seen)
