"""The app does not allow cleartext HTTP: neither in the manifest nor in its network security config."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.android.checks.common import unreadable
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.cleartext_traffic",
    items=("MOB-06",),
    severity=Severity.HIGH,
    title=Text("平文の HTTP 通信を許していない", "Cleartext HTTP traffic is not allowed"),
    rationale=Text(
        "平文の通信は同じ Wi-Fi や経路上の誰でも読み書きでき、トークンや取引内容が盗まれ、応答を偽装される",
        "Cleartext traffic can be read and changed by anyone on the same Wi-Fi or on the path: tokens and "
        "transactions leak and answers can be forged",
    ),
    remediation=Text(
        'network_security_config.xml の base-config に cleartextTrafficPermitted="false" を書き、domain-config でも '
        'true にしない。設定ファイルがなければ android:usesCleartextTraffic="false" を指定する',
        'Set cleartextTrafficPermitted="false" in the base-config of network_security_config.xml and in no '
        'domain-config allow it; without that file, set android:usesCleartextTraffic="false"',
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    config = facts.network_config
    if config is not None:  # on Android 7 and later the config decides; usesCleartextTraffic is ignored
        if config.error is not None:
            yield errored(
                facts.package,
                facts.say("ネットワークセキュリティ構成を読めない: ", "network security config unreadable: ")
                + config.error,
            )
            return
        where = config.source
        if config.base_cleartext:
            why = (
                ""
                if config.base_cleartext_explicit
                else facts.say("（targetSdk 28 未満の既定）", " (the default below targetSdk 28)")
            )
            yield failed(facts.package, f'{where}: base-config cleartextTrafficPermitted="true"{why}')
        else:
            yield passed(facts.package, f'{where}: base-config cleartextTrafficPermitted="false"')
        for domain in config.domains:
            if domain.cleartext and domain.cleartext_explicit:
                yield failed(
                    f"{facts.package} domain {', '.join(domain.domains)}",
                    f'{where}: domain-config cleartextTrafficPermitted="true"',
                )
        return
    problem = unreadable(facts, "usesCleartextTraffic")
    if problem is not None:
        yield problem
        return
    if facts.uses_cleartext:
        yield failed(facts.package, 'android:usesCleartextTraffic="true"')
    elif facts.uses_cleartext is False:
        yield passed(facts.package, 'android:usesCleartextTraffic="false"')
    elif facts.target_sdk is None:
        yield errored(facts.package, facts.say("targetSdkVersion を読めない", "targetSdkVersion unreadable"))
    elif facts.target_sdk >= 28:
        yield passed(
            facts.package,
            facts.say(
                f"usesCleartextTraffic の指定なし（targetSdk {facts.target_sdk} の既定は false）",
                f"no usesCleartextTraffic (false by default at targetSdk {facts.target_sdk})",
            ),
        )
    else:
        yield failed(
            facts.package,
            facts.say(
                f"usesCleartextTraffic の指定なし（targetSdk {facts.target_sdk} の既定は true）",
                f"no usesCleartextTraffic (true by default at targetSdk {facts.target_sdk})",
            ),
        )
