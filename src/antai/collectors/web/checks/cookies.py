"""Every cookie the page sets is Secure, HttpOnly and SameSite (Lax or Strict)."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, not_applicable, passed
from antai.collectors.web.checks.common import response_or_result
from antai.collectors.web.facts import SiteFacts

META = CheckMeta(
    id="web.cookies",
    items=("SEC-05",),
    severity=Severity.MEDIUM,
    title=Text(
        "Cookie に Secure、HttpOnly、SameSite（Lax か Strict）が付いている",
        "Cookies are Secure, HttpOnly and SameSite (Lax or Strict)",
    ),
    rationale=Text(
        "Secure がなければ Cookie が HTTP で漏れ、HttpOnly がなければ XSS で盗まれ、"
        "SameSite がなければ CSRF に使われる",
        "Without Secure a cookie leaks over HTTP, without HttpOnly an XSS can steal it, and without SameSite "
        "it rides along in CSRF",
    ),
    remediation=Text(
        "セッションなどの Cookie を Secure; HttpOnly; SameSite=Lax（または Strict）で発行する",
        "Set session and other cookies with Secure; HttpOnly; SameSite=Lax (or Strict)",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    response = response_or_result(facts)
    if isinstance(response, Result):
        yield response
        return
    if not response.cookies:
        yield not_applicable(facts.url, facts.say("Cookie を設定していない", "sets no cookie"))
        return
    for cookie in response.cookies:
        resource = f"{facts.url} cookie {cookie.name or '?'}"
        missing = [flag for flag, on in (("Secure", cookie.secure), ("HttpOnly", cookie.httponly)) if not on]
        samesite = (cookie.samesite or "").capitalize()
        if samesite not in ("Lax", "Strict"):
            missing.append("SameSite" if not samesite else f"SameSite={samesite[:12]}")
        if missing:
            yield failed(resource, facts.say("不足: ", "missing: ") + ", ".join(missing))
        else:
            yield passed(resource, f"Secure; HttpOnly; SameSite={samesite}")
