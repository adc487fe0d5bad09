"""An HSTS header with max-age of at least a year and includeSubDomains."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.web.checks.common import response_or_result
from antai.collectors.web.facts import SiteFacts

MIN_AGE = 31536000

META = CheckMeta(
    id="web.hsts",
    items=("CYB-03",),
    severity=Severity.MEDIUM,
    title=Text(
        "HSTS ヘッダーが max-age 1 年以上で includeSubDomains を含む",
        "HSTS is sent with max-age of at least a year and includeSubDomains",
    ),
    rationale=Text(
        "HSTS がなければ、公衆 Wi-Fi などで最初の HTTP 接続を乗っ取り HTTPS へのリダイレクトを外す攻撃"
        "（SSL ストリッピング）を防げない",
        "Without HSTS, an attacker on public Wi-Fi can hijack the first plain-HTTP request and strip the "
        "redirect to HTTPS (SSL stripping)",
    ),
    remediation=Text(
        "HTTPS の応答すべてに Strict-Transport-Security: max-age=31536000; includeSubDomains を付ける",
        "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response",
    ),
)


def parse(value: str) -> tuple[int | None, bool, bool]:
    """(max-age or None when absent or unreadable, includeSubDomains, preload)."""
    age: int | None = None
    flags = set()
    for part in value.split(";"):
        key, _, raw = part.strip().partition("=")
        key = key.strip().lower()
        if key == "max-age" and age is None:
            digits = raw.strip().strip('"')
            age = int(digits) if digits.isdigit() and len(digits) < 16 else None
        elif key:
            flags.add(key)
    return age, "includesubdomains" in flags, "preload" in flags


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    value = response.header("strict-transport-security")
    if value is None:
        yield failed(facts.url, facts.say("HSTS ヘッダーがない", "no HSTS header"))
        return
    age, subdomains, _ = parse(value)
    shown = value.strip()[:120]
    problems = []
    if age is None or age < MIN_AGE:
        problems.append(facts.say("max-age が 1 年未満", "max-age under a year"))
    if not subdomains:
        problems.append(facts.say("includeSubDomains がない", "no includeSubDomains"))
    if problems:
        yield failed(facts.url, f"{shown} (" + ", ".join(problems) + ")")
        return
    yield passed(facts.url, shown)
