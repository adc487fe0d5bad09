"""The HSTS header asks to be preloaded."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.web.checks.common import response_or_result
from antai.collectors.web.checks.hsts import parse
from antai.collectors.web.facts import SiteFacts

META = CheckMeta(
    id="web.hsts_preload",
    items=("CYB-03",),
    severity=Severity.LOW,
    title=Text("HSTS ヘッダーが preload を含む", "The HSTS header carries preload"),
    rationale=Text(
        "preload 付きで登録されたドメインには、ブラウザーが最初の接続から HTTPS だけを使う",
        "For a domain registered with preload, browsers use HTTPS from the very first connection",
    ),
    remediation=Text(
        "サブドメインすべてが HTTPS に対応したら HSTS に preload を加え、hstspreload.org で登録する",
        "Once every subdomain serves HTTPS, add preload to HSTS and submit the domain at hstspreload.org",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    value = response.header("strict-transport-security")
    if value is None:
        yield failed(facts.url, facts.say("HSTS ヘッダーがない", "no HSTS header"))
        return
    _, _, preload = parse(value)
    shown = value.strip()[:120]
    yield (
        passed(facts.url, shown)
        if preload
        else failed(facts.url, facts.say(f"{shown}（preload なし）", f"{shown} (no preload)"))
    )
