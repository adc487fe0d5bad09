"""X-Content-Type-Options: nosniff."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.web.checks.common import response_or_result
from antai.collectors.web.facts import SiteFacts

META = CheckMeta(
    id="web.content_type_options",
    items=("SEC-05",),
    severity=Severity.LOW,
    title=Text("X-Content-Type-Options: nosniff を返す", "X-Content-Type-Options: nosniff is sent"),
    rationale=Text(
        "nosniff がなければ、ブラウザーが利用者のアップロードなどをスクリプトとして解釈しうる",
        "Without nosniff, browsers may run content such as user uploads as script",
    ),
    remediation=Text(
        "すべての応答に X-Content-Type-Options: nosniff を付ける",
        "Send X-Content-Type-Options: nosniff on every response",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    value = response.header("x-content-type-options")
    if value is None:
        yield failed(facts.url, facts.say("X-Content-Type-Options がない", "no X-Content-Type-Options"))
        return
    shown = value.strip()[:60]
    yield passed(facts.url, shown) if shown.lower() == "nosniff" else failed(facts.url, shown)
