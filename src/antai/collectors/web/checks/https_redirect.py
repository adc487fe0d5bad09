"""Plain HTTP serves nothing but a redirect to HTTPS on the same host."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.web.checks.common import scheme_host
from antai.collectors.web.facts import Failure, SiteFacts

META = CheckMeta(
    id="web.https_redirect",
    items=("TRN-01", "CYB-03"),
    severity=Severity.HIGH,
    title=Text(
        "HTTP では同じホストの HTTPS へのリダイレクトだけを返す",
        "Plain HTTP only redirects to HTTPS on the same host",
    ),
    rationale=Text(
        "HTTP で内容を返すと、経路上の誰もがそれを読み、書き換えられる",
        "Content served over plain HTTP can be read and altered by anyone on the path",
    ),
    remediation=Text(
        "ポート 80 では 301 か 308 で https://同じホスト/ へ転送するだけにする（または 80 番を閉じる）",
        "On port 80 answer only with a 301 or 308 to https://the same host/ (or close port 80)",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    got = facts.redirect
    if isinstance(got, Failure) or got is None:
        yield errored(facts.url, got.observed(facts.lang) if got else facts.say("確認できない", "could not look"))
        return
    if not got.listener:
        if facts.https:
            yield passed(got.url, facts.say("HTTP の待ち受けがない（接続を拒否）", "no cleartext listener (refused)"))
        else:
            yield errored(got.url, facts.say(f"{got.url} が接続を拒否した", f"{got.url} refused the connection"))
        return
    if got.status in (301, 302, 303, 307, 308) and got.location:
        scheme, host = scheme_host(got.location)
        if scheme == "https" and host == facts.host:
            yield passed(got.url, f"{got.status} → {got.location}")
            return
        why = facts.say("HTTPS ではない", "not HTTPS") if scheme != "https" else facts.say("別のホスト", "another host")
        yield failed(got.url, f"{got.status} → {got.location} ({why})")
        return
    yield failed(
        got.url,
        facts.say(
            f"HTTP で {got.status} を返し、HTTPS へ転送しない",
            f"answers {got.status} over HTTP without a redirect to HTTPS",
        ),
    )
