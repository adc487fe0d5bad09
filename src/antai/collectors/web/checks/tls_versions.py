"""Only TLS 1.2 and later: TLS 1.0 and 1.1 are refused, 1.2 or 1.3 is accepted."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.web.checks.common import https_only
from antai.collectors.web.facts import Failure, Probe, SiteFacts

META = CheckMeta(
    id="web.tls_versions",
    items=("TRN-01",),
    severity=Severity.HIGH,
    title=Text(
        "TLS 1.0 と 1.1 を拒否し、TLS 1.2 以上だけで通信する", "Refuses TLS 1.0 and 1.1 and speaks TLS 1.2 or later"
    ),
    rationale=Text(
        "TLS 1.0 と 1.1 には既知の弱点があり、経路上の攻撃者に古い版へ落とされると通信を読まれたり改ざんされたりしうる",
        "TLS 1.0 and 1.1 have known weaknesses; an attacker on the path who forces an old version may read or "
        "alter the traffic",
    ),
    remediation=Text(
        "ロードバランサーや Web サーバーの TLS ポリシーで最低版を TLS 1.2 にする"
        "（例: ELBSecurityPolicy-TLS13-1-2-2021-06、nginx の ssl_protocols TLSv1.2 TLSv1.3）",
        "Set the minimum version to TLS 1.2 in the load balancer's or server's TLS policy (e.g. "
        "ELBSecurityPolicy-TLS13-1-2-2021-06, nginx ssl_protocols TLSv1.2 TLSv1.3)",
    ),
)

_OLD = ("TLSv1", "TLSv1.1")
_NEW = ("TLSv1.2", "TLSv1.3")
_SHOWN = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3"}


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    skip = https_only(facts)
    if skip is not None:
        yield skip
        return
    if isinstance(facts.certificate, Failure) and not facts.versions:
        yield errored(facts.url, facts.certificate.observed(facts.lang))
        return
    word = {
        Probe.ACCEPTED: facts.say("受け付ける", "accepted"),
        Probe.REFUSED: facts.say("拒否", "refused"),
        Probe.UNTESTABLE: facts.say("確認不可", "not testable"),
    }
    seen = ", ".join(
        f"{_SHOWN[name]} {word[got] if isinstance(got, Probe) else facts.say('応答なし', 'no answer')}"
        for name, got in facts.versions.items()
    )
    old = [name for name in _OLD if facts.versions.get(name) is Probe.ACCEPTED]
    if old:
        yield failed(facts.url, seen)
        return
    for name in _OLD:
        got = facts.versions.get(name)
        if got is Probe.UNTESTABLE or got is None:
            why = facts.untestable.get(name, "")
            yield errored(
                facts.url,
                facts.say(
                    f"確認不可: この機械の OpenSSL は {_SHOWN[name]} を提示できない（{why}）",
                    f"not testable: this machine's OpenSSL cannot offer {_SHOWN[name]} ({why})",
                ),
            )
            return
        if isinstance(got, Failure):
            yield errored(facts.url, got.observed(facts.lang))
            return
    if not any(facts.versions.get(name) is Probe.ACCEPTED for name in _NEW):
        lost = next((got for name in _NEW if isinstance(got := facts.versions.get(name), Failure)), None)
        yield errored(facts.url, lost.observed(facts.lang)) if lost is not None else failed(facts.url, seen)
        return
    yield passed(facts.url, seen)
