"""The certificate chain validates to a trusted root and names the host."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.web.checks.common import day, https_only
from antai.collectors.web.facts import Certificate, Failure, SiteFacts

META = CheckMeta(
    id="web.certificate_valid",
    items=("KEY-03", "TRN-01"),
    severity=Severity.HIGH,
    title=Text(
        "証明書チェーンが信頼できるルートまで検証でき、ホスト名と一致する",
        "The certificate chain validates to a trusted root and matches the host name",
    ),
    rationale=Text(
        "検証できない証明書ではブラウザーやアプリが接続を止め、警告を読み飛ばす利用者は偽のサーバーを見分けられない",
        "Browsers and apps stop at a certificate that does not validate, and users who click through the "
        "warning cannot tell a fake server from yours",
    ),
    remediation=Text(
        "公的な認証局の証明書を自動更新で使い（例: ACM、Let's Encrypt）、中間証明書を含むチェーンを送り、"
        "証明書の SAN にこのホスト名を入れる",
        "Serve a publicly trusted, automatically renewed certificate (e.g. ACM, Let's Encrypt) with its "
        "intermediate certificates, and put this host name in its SAN",
    ),
)


def evaluate(facts: SiteFacts) -> Iterator[Result]:
    skip = https_only(facts)
    if skip is not None:
        yield skip
        return
    got, cert = facts.verification, facts.certificate
    if isinstance(got, Failure) or got is None:
        yield errored(facts.url, got.observed(facts.lang) if got else facts.say("確認できない", "could not look"))
        return
    who = _who(facts, cert)
    if got.ok:
        yield passed(facts.url, facts.say(f"検証できた（{who}）", f"validates ({who})"))
        return
    if got.reason == "expired" and isinstance(cert, Certificate):
        why = facts.say(f"期限切れ（{day(cert.not_after)} に失効）", f"expired (on {day(cert.not_after)})")
    elif got.reason == "not_yet_valid" and isinstance(cert, Certificate):
        why = facts.say(f"有効期間前（{day(cert.not_before)} から）", f"not yet valid (from {day(cert.not_before)})")
    elif got.reason == "hostname":
        names = ", ".join(cert.names[:5]) if isinstance(cert, Certificate) else "?"
        why = facts.say(
            f"ホスト名が一致しない（{facts.host} ではなく {names} の証明書）",
            f"wrong host (a certificate for {names}, not {facts.host})",
        )
    elif got.reason == "unknown_ca":
        why = facts.say(
            "信頼できない認証局（チェーンが信頼済みのルートに届かない）",
            "unknown CA (the chain does not reach a trusted root)",
        )
    else:
        why = facts.say(f"検証できない（{got.detail}）", f"does not validate ({got.detail})")
    yield failed(facts.url, f"{why}; {who}")


def _who(facts: SiteFacts, cert: Certificate | Failure | None) -> str:
    if not isinstance(cert, Certificate):
        return facts.say("証明書を読めない", "certificate unreadable")
    return facts.say(f"発行者 {cert.issuer}", f"issuer {cert.issuer}")
