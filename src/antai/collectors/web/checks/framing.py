"""Other sites cannot frame the page: CSP frame-ancestors, or X-Frame-Options DENY or SAMEORIGIN."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.web.checks.common import directives, response_or_result
from antai.collectors.web.facts import SiteFacts

META = CheckMeta(
    id="web.framing",
    items=("SEC-05",),
    severity=Severity.MEDIUM,
    title=Text(
        "他サイトの frame に埋め込ませない（frame-ancestors か X-Frame-Options）",
        "Other sites cannot frame the page (frame-ancestors or X-Frame-Options)",
    ),
    rationale=Text(
        "埋め込みを許すと、透明な frame で利用者に送金ボタンなどを押させるクリックジャッキングを防げない",
        "A page that can be framed is open to clickjacking: a transparent frame tricks users into clicking "
        "buttons such as a transfer",
    ),
    remediation=Text(
        "Content-Security-Policy に frame-ancestors 'none'（または 'self'）を入れ、古いブラウザー向けに "
        "X-Frame-Options: DENY も付ける",
        "Put frame-ancestors 'none' (or 'self') in the Content-Security-Policy and, for old browsers, send "
        "X-Frame-Options: DENY too",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    policy = response.header("content-security-policy")
    ancestors = directives(policy).get("frame-ancestors") if policy else None
    if ancestors is not None:
        shown = f"frame-ancestors {' '.join(ancestors)}"[:120]
        if "*" in ancestors or any(a in ("http:", "https:") for a in ancestors):
            yield failed(facts.url, shown)
        else:
            yield passed(facts.url, shown)
        return
    xfo = response.header("x-frame-options")
    if xfo is not None and xfo.strip().upper() in ("DENY", "SAMEORIGIN"):
        yield passed(facts.url, f"X-Frame-Options: {xfo.strip().upper()}")
        return
    if xfo is not None:
        yield failed(facts.url, f"X-Frame-Options: {xfo.strip()[:60]}")
        return
    yield failed(
        facts.url, facts.say("frame-ancestors も X-Frame-Options もない", "neither frame-ancestors nor X-Frame-Options")
    )
