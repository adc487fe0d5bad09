"""The app trusts only the system's certificate authorities, not the ones a user installs."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.user_certificates",
    items=("MOB-06",),
    severity=Severity.HIGH,
    title=Text(
        "利用者が追加した認証局の証明書を信頼しない",
        "Certificate authorities a user installed are not trusted",
    ),
    rationale=Text(
        "利用者が入れた CA を信頼するアプリは、利用者をだまして CA を入れさせた攻撃者や社内プロキシに通信を復号される",
        "An app that trusts user-installed CAs lets anyone who talks a user into installing one, or a corporate "
        "proxy, decrypt its traffic",
    ),
    remediation=Text(
        'base-config と domain-config の trust-anchors から <certificates src="user"/> を外す'
        "（検証用の信頼は debug-overrides に置く）。"
        "targetSdk 24 未満では既定で信頼するため、24 以上にするか trust-anchors を書く",
        'Remove <certificates src="user"/> from the trust-anchors of base-config and domain-config (put trust '
        "for testing in debug-overrides); below targetSdk 24 it is the default, so raise it or write trust-anchors",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    config = facts.network_config
    if config is None:
        if facts.target_sdk is None:
            yield errored(facts.package, facts.say("targetSdkVersion を読めない", "targetSdkVersion unreadable"))
        elif facts.target_sdk < 24:
            yield failed(
                facts.package,
                facts.say(
                    f"ネットワークセキュリティ構成なし（targetSdk {facts.target_sdk} の既定で利用者の CA を信頼）",
                    f"no network security config (targetSdk {facts.target_sdk} trusts user CAs by default)",
                ),
            )
        else:
            yield passed(
                facts.package,
                facts.say(
                    f"ネットワークセキュリティ構成なし（targetSdk {facts.target_sdk} の既定はシステムの CA のみ）",
                    f"no network security config (targetSdk {facts.target_sdk} trusts system CAs only)",
                ),
            )
        return
    if config.error is not None:
        yield errored(
            facts.package,
            facts.say("ネットワークセキュリティ構成を読めない: ", "network security config unreadable: ")
            + config.error,
        )
        return
    if config.base_user_certificates:
        yield failed(facts.package, f'{config.source}: base-config trust-anchors certificates src="user"')
    else:
        yield passed(facts.package, f"{config.source}: base-config " + facts.say("利用者の CA なし", "no user CAs"))
    for domain in config.domains:
        if domain.user_certificates and not config.base_user_certificates:
            yield failed(
                f"{facts.package} domain {', '.join(domain.domains)}",
                f'{config.source}: domain-config trust-anchors certificates src="user"',
            )
