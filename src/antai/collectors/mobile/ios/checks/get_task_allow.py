"""A release build carries no get-task-allow entitlement: with it, any debugger may attach to the app and
read its memory (tokens, keys). Xcode sets it in development builds only."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.ios.checks.common import entitlements, flag, listing, no_entitlements, shown, source_name
from antai.collectors.mobile.ios.facts import IpaFacts, Profile

META = CheckMeta(
    id="ipa.get_task_allow",
    items=("MOB-08",),
    severity=Severity.CRITICAL,
    title=Text(
        "配布するビルドに get-task-allow（デバッグ許可）がない",
        "The shipped build has no get-task-allow entitlement (debugging allowed)",
    ),
    rationale=Text(
        "get-task-allow が有効なビルドにはデバッガを接続でき、実行中のアプリのメモリからトークンや鍵を読まれ、"
        "認証の判定を書き換えられる。開発用の署名で作られたビルドである",
        "A build with get-task-allow accepts a debugger, which can read tokens and keys from the running app's "
        "memory and change its authentication decisions; it is a build signed for development",
    ),
    remediation=Text(
        "App Store 配布用（Distribution）の証明書とプロファイルで Archive から書き出したビルドを配布し、CI で"
        "get-task-allow がないことを確かめる",
        "Ship the build exported from an archive with a distribution certificate and profile, and check in CI "
        "that get-task-allow is absent",
    ),
)


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    found = entitlements(facts)
    if found is None:
        yield no_entitlements(facts)
        return
    values, source = found
    where = source_name(source, facts)
    groups = values.get("keychain-access-groups")
    shown_groups = (
        facts.say("。keychain-access-groups: ", "; keychain-access-groups: ")
        + listing([shown(g, 80) for g in groups if isinstance(g, str)], facts, 3)
        if isinstance(groups, list) and groups
        else ""
    )
    profile_note = ""
    if (
        source == "signature"
        and isinstance(facts.profile, Profile)
        and flag(facts.profile.entitlements.get("get-task-allow")) is True
    ):
        profile_note = facts.say(
            "（プロファイルは開発用で get-task-allow を許す）", " (the profile is for development and allows it)"
        )
    if flag(values.get("get-task-allow")) is True:
        yield failed(
            facts.resource,
            facts.say(
                f"{where}の entitlements で get-task-allow が有効（開発用のビルド）{shown_groups}",
                f"get-task-allow is true in the {where} entitlements (a development build){shown_groups}",
            ),
        )
        return
    yield passed(
        facts.resource,
        facts.say(
            f"{where}の entitlements に get-task-allow がない{profile_note}{shown_groups}",
            f"no get-task-allow in the {where} entitlements{profile_note}{shown_groups}",
        ),
    )
