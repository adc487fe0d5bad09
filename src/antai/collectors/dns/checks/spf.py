"""The domain publishes one SPF record that ends in -all or ~all."""

from __future__ import annotations

import re
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.dns.facts import Failure, ZoneFacts

_ALL = re.compile(r"^([+\-~?]?)all$", re.IGNORECASE)
_REDIRECT = re.compile(r"^redirect=(\S+)$", re.IGNORECASE)

META = CheckMeta(
    id="dns.spf",
    items=("CYB-06",),
    severity=Severity.MEDIUM,
    title=Text(
        "SPF レコードが 1 つあり、-all か ~all で終わる",
        "One SPF record, ending in -all or ~all",
    ),
    rationale=Text(
        "SPF がないか +all・?all で終わっていれば、どのサーバーからでもこのドメインを差出人にしたメールを送れ、"
        "受信側はなりすましを見分けられない",
        "With no SPF, or one ending in +all or ?all, any server can send mail as the domain and receivers "
        "cannot tell spoofed mail apart",
    ),
    remediation=Text(
        "実際に使う送信サービスだけを include した SPF を 1 つ置き、-all で終える"
        "（メールを送らないドメインは v=spf1 -all）",
        "Publish a single SPF record that includes only the senders you use and ends in -all (v=spf1 -all "
        "for a domain that sends no mail)",
    ),
)


def evaluate(facts: ZoneFacts) -> Iterator[Result]:
    domain, spf = facts.domain, facts.spf
    if isinstance(spf, Failure):
        yield errored(domain, spf.observed(facts.lang))
        return
    if not spf.records:
        yield failed(domain, facts.say("SPF（v=spf1 の TXT）がない", "no SPF record (TXT v=spf1)"))
        return
    if len(spf.records) > 1:
        yield failed(
            domain,
            facts.say(
                f"SPF が {len(spf.records)} つある（受信側は SPF 全体をエラーとして扱う）",
                f"{len(spf.records)} SPF records (receivers treat that as a permanent error)",
            ),
        )
        return
    record = spf.records[0]
    qualifier, redirect = _terms(record)
    via = ""
    if qualifier is None and redirect is not None and spf.redirect is not None:
        target, found = spf.redirect
        if isinstance(found, Failure):
            yield errored(domain, found.observed(facts.lang))
            return
        via = facts.say(f"redirect={target} の先: ", f"via redirect={target}: ")
        if len(found) != 1:
            yield failed(
                domain,
                via + facts.say(f"SPF が {len(found)} つある", f"{len(found)} SPF records at the redirect target"),
            )
            return
        record = found[0]
        qualifier, redirect = _terms(record)
        if qualifier is None and redirect is not None:
            yield errored(
                domain,
                via
                + facts.say(
                    "redirect が 2 段以上続く（antai は 1 段だけたどる）", "a second redirect (antai follows one)"
                ),
            )
            return
    shown = record if len(record) <= 160 else record[:157] + "…"
    if qualifier in ("-", "~"):
        yield passed(domain, f"{via}{qualifier}all: {shown}")
    elif qualifier == "?":
        yield failed(
            domain,
            via
            + facts.say(
                f"?all（中立。なりすましに印が付かない）: {shown}",
                f"?all (neutral: spoofed mail is not marked): {shown}",
            ),
        )
    elif qualifier is not None:
        yield failed(
            domain,
            via
            + facts.say(
                f"+all（どのサーバーからでも送れる）: {shown}", f"+all (any server may send as the domain): {shown}"
            ),
        )
    else:
        yield failed(
            domain,
            via
            + facts.say(
                f"all がない（既定は ?all で中立）: {shown}", f"no all term (the default is ?all, neutral): {shown}"
            ),
        )


def _terms(record: str) -> tuple[str | None, str | None]:
    """The qualifier of the record's all term ('' for a bare all; None when absent) and its redirect= target."""
    qualifier: str | None = None
    redirect: str | None = None
    for term in record.split()[1:]:
        matched = _ALL.match(term)
        if matched:
            qualifier = matched.group(1) or "+"
        redirected = _REDIRECT.match(term)
        if redirected:
            redirect = redirected.group(1).rstrip(".").lower()
    return qualifier, redirect


def redirect_target(record: str) -> str | None:
    """Where the gathering should look next: the redirect= of a record without an all term."""
    qualifier, redirect = _terms(record)
    return redirect if qualifier is None else None
