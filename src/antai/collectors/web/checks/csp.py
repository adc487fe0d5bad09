"""A Content Security Policy that restricts scripts without unsafe-inline or unsafe-eval."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.web.checks.common import directives, response_or_result
from antai.collectors.web.facts import SiteFacts

META = CheckMeta(
    id="web.csp",
    items=("SEC-05",),
    severity=Severity.MEDIUM,
    title=Text(
        "Content-Security-Policy がスクリプトを制限し、unsafe-inline も unsafe-eval も許さない",
        "A Content-Security-Policy restricts scripts without unsafe-inline or unsafe-eval",
    ),
    rationale=Text(
        "CSP がなければ、XSS が一つあるだけで任意のスクリプトが利用者の権限で動く",
        "Without a CSP, a single XSS runs any script with the user's rights",
    ),
    remediation=Text(
        "Content-Security-Policy で default-src か script-src を自サイトに限り（nonce か hash を使う）、"
        "'unsafe-inline' と 'unsafe-eval' を外す",
        "Send a Content-Security-Policy whose default-src or script-src allows only your origins (with "
        "nonces or hashes), without 'unsafe-inline' and 'unsafe-eval'",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    value = response.header("content-security-policy")
    if value is None:
        yield failed(facts.url, facts.say("Content-Security-Policy がない", "no Content-Security-Policy"))
        return
    found = directives(value)
    name = "script-src" if "script-src" in found else "default-src" if "default-src" in found else None
    if name is None:
        yield failed(facts.url, facts.say("script-src も default-src もない", "neither script-src nor default-src"))
        return
    sources = found[name]
    keyed = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in sources)
    weak = [s for s in ("'unsafe-eval'",) if s in sources]
    if "'unsafe-inline'" in sources and not keyed:  # with a nonce or hash, browsers ignore unsafe-inline
        weak.insert(0, "'unsafe-inline'")
    if "*" in sources:
        weak.append("*")
    shown = f"{name} {' '.join(sources)}"[:160]
    if weak:
        yield failed(facts.url, f"{shown} ({', '.join(weak)})")
        return
    yield passed(facts.url, shown)
