"""Push notifications of a release build go through Apple's production service: aps-environment
"development" means the build was signed for development."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, not_applicable, passed
from antai.collectors.mobile.ios.checks.common import entitlements, no_entitlements, shown, source_name
from antai.collectors.mobile.ios.facts import IpaFacts

META = CheckMeta(
    id="ipa.aps_environment",
    items=("MOB-08",),
    severity=Severity.MEDIUM,
    title=Text(
        "プッシュ通知の環境（aps-environment）が本番（production）である",
        "The push notification environment (aps-environment) is production",
    ),
    rationale=Text(
        "aps-environment が development のビルドは開発用の署名で作られており、本番の通知も届かない。"
        "配布物に開発用の設定が残っている印である",
        "A build whose aps-environment is development was signed for development and gets no production "
        "notifications: development settings made it into what is shipped",
    ),
    remediation=Text(
        "App Store 配布用のプロファイルで書き出す（aps-environment は production になる）。CI で配布物の "
        "entitlements を確かめる",
        "Export with an App Store distribution profile (aps-environment becomes production) and check the "
        "shipped entitlements in CI",
    ),
)


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    found = entitlements(facts, xcent=True)
    if found is None:
        yield no_entitlements(facts)
        return
    values, source = found
    where = source_name(source, facts)
    value = values.get("aps-environment")
    if value is None:
        yield not_applicable(
            facts.resource,
            facts.say(
                f"{where}の entitlements に aps-environment がない（プッシュ通知を使わない）",
                f"no aps-environment in the {where} entitlements (no push notifications)",
            ),
        )
        return
    if value == "production":
        yield passed(
            facts.resource,
            f"aps-environment production（{where}）" if facts.lang == "ja" else f"aps-environment production ({where})",
        )
        return
    yield failed(
        facts.resource,
        facts.say(
            f"{where}の entitlements で aps-environment が {shown(value, 40)}（開発用）",
            f"aps-environment is {shown(value, 40)} in the {where} entitlements (development)",
        ),
    )
