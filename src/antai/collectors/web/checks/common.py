"""What the web checks share: the results for a URL they do not apply to or could not look at."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from antai.collectors.base import Result, errored, not_applicable
from antai.collectors.web.facts import Failure, Response, SiteFacts

__all__ = ["day", "directives", "https_only", "response_or_result", "scheme_host"]


def day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d")


def https_only(facts: SiteFacts) -> Result | None:
    """``not_applicable`` for a plain-HTTP URL (TLS and headers are checked at its https:// URL)."""
    if facts.https:
        return None
    return not_applicable(
        facts.url,
        facts.say(
            "HTTP の URL（TLS とヘッダーは https:// の URL で確かめる）",
            "a plain HTTP URL (TLS and headers are checked at the https:// URL)",
        ),
    )


def response_or_result(facts: SiteFacts) -> Response | Result:
    """The HTTPS response, or the result to give instead (not applicable, error)."""
    skip = https_only(facts)
    if skip is not None:
        return skip
    if isinstance(facts.response, Failure):
        return errored(facts.url, facts.response.observed(facts.lang))
    if facts.response is None:
        return errored(facts.url, facts.say("応答を得られなかった", "no response"))
    return facts.response


def directives(policy: str) -> dict[str, list[str]]:
    """A CSP's directives (names lower-case; the first of a repeated one counts, as browsers do)."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return found


def scheme_host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").rstrip(".").lower()
