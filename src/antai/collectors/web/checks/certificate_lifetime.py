"""The certificate's validity is no longer than the CA/Browser Forum allows for its issue date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.web.checks.common import day, https_only
from antai.collectors.web.facts import Failure, SiteFacts

# CA/Browser Forum Baseline Requirements §6.3.2 as amended by ballot SC-081 (passed April 2025): the
# longest validity of a publicly trusted TLS certificate, by the date it is issued (its notBefore).
MAX_VALIDITY: tuple[tuple[dt.datetime, int], ...] = (
    (dt.datetime(2029, 3, 15, tzinfo=dt.UTC), 47),
    (dt.datetime(2027, 3, 15, tzinfo=dt.UTC), 100),
    (dt.datetime(2026, 3, 15, tzinfo=dt.UTC), 200),
    (dt.datetime.min.replace(tzinfo=dt.UTC), 398),
)

META = CheckMeta(
    id="web.certificate_lifetime",
    items=("KEY-03",),
    severity=Severity.MEDIUM,
    title=Text(
        "証明書の有効期間が CA/ブラウザーフォーラムの上限以内",
        "The certificate's validity is within the CA/Browser Forum maximum",
    ),
    rationale=Text(
        "上限（SC-081: 2026-03-15 以降の発行は 200 日、2027-03-15 から 100 日、2029-03-15 から 47 日）を超える"
        "証明書はブラウザーに拒否される。長い期間は手作業の更新が残っている印でもある",
        "Browsers reject certificates valid longer than the maximum (SC-081: 200 days if issued from "
        "2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15); a long validity also hints at manual renewal",
    ),
    remediation=Text(
        "上限以内の証明書を自動で発行・更新する仕組み（ACM、ACME クライアント）に切り替える",
        "Move to certificates issued and renewed automatically within the maximum (ACM, an ACME client)",
    ),
)


def maximum_days(issued: dt.datetime) -> int:
    return next(days for since, days in MAX_VALIDITY if issued >= since)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    skip = https_only(facts)
    if skip is not None:
        yield skip
        return
    cert = facts.certificate
    if isinstance(cert, Failure) or cert is None:
        yield errored(facts.url, cert.observed(facts.lang) if cert else facts.say("証明書がない", "no certificate"))
        return
    span = cert.not_after - cert.not_before
    limit = maximum_days(cert.not_before)
    days = span.days + (1 if span.seconds else 0)
    seen = facts.say(
        f"{day(cert.not_before)} 発行、有効期間 {days} 日（上限 {limit} 日）",
        f"issued {day(cert.not_before)}, valid {days} days (maximum {limit})",
    )
    yield failed(facts.url, seen) if span > dt.timedelta(days=limit) else passed(facts.url, seen)
